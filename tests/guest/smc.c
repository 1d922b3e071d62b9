/*
 * smc.c — self-modifying code.  Machine code is written into an anonymous
 * read-write-execute mapping, called, rewritten and called again; every
 * call must run the bytes as they are now.  Cases: rewriting an immediate
 * between calls, code that patches its own immediate as it runs, code that
 * patches an instruction ahead of itself in the same block (with a jump
 * in between, as the Intel SDM asks of self-modifying code), data writes
 * that share a page with hot code, overlapping instructions entered at
 * two offsets, and a generated loop regenerated many times.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef uint32_t (*Fn)(uint32_t);

static unsigned char *page;

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* mov eax,[esp+4]; add eax,imm32; ret */
static Fn
emit_add(unsigned char *p, uint32_t imm)
{
	static const unsigned char code[] = { 0x8b, 0x44, 0x24, 0x04, 0x05, 0, 0, 0, 0, 0xc3 };

	memcpy(p, code, sizeof code);
	put32(p + 5, imm);
	return (Fn)(void *)p;
}

int
main(void)
{
	page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}

	/* 1. Rewrite the immediate between calls. */
	Fn f = emit_add(page, 0);
	uint32_t sum = 0;
	for (uint32_t i = 0; i < 2000; i++) {
		put32(page + 5, i * 7);
		sum = sum * 31 + f(i);
		sum = sum * 31 + f(i);		/* twice: the second may hit a cache */
	}
	printf("imm rewrite %08x\n", sum);

	/* 2. Replace the whole function by a different one. */
	static const unsigned char sub[] = { 0x8b, 0x44, 0x24, 0x04, 0xf7, 0xd8, 0xc3 };	/* neg */
	static const unsigned char dbl[] = { 0x8b, 0x44, 0x24, 0x04, 0x01, 0xc0, 0xc3 };	/* add eax,eax */
	sum = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		memcpy(page, i & 1 ? sub : dbl, 7);
		sum = sum * 31 + f(i + 100);
	}
	printf("swap %08x\n", sum);

	/* 3. Code that increments its own immediate: mov eax,imm; inc dword [page+1]; ret */
	unsigned char *p = page + 64;
	p[0] = 0xb8;
	put32(p + 1, 1000);
	p[5] = 0xff;
	p[6] = 0x05;
	put32(p + 7, (uint32_t)(uintptr_t)(p + 1));
	p[11] = 0xc3;
	Fn counter = (Fn)(void *)p;
	sum = 0;
	for (int i = 0; i < 500; i++)
		sum += counter(0);
	printf("self counter %u last %u\n", sum, counter(0));

	/* 4. Patch an instruction ahead in the same run of code:
	 *    mov byte [q+9], 0x48 ; jmp +0 ; inc eax (0x40, becomes dec eax) ; ret
	 *    with eax = 10 first; then put back 0x40 and run again. */
	unsigned char *q = page + 128;
	q[0] = 0xb8; put32(q + 1, 10);			/* mov eax,10 */
	q[5] = 0xc6; q[6] = 0x05; put32(q + 7, (uint32_t)(uintptr_t)(q + 14)); q[11] = 0x48;	/* mov byte [q+14],0x48 */
	q[12] = 0xeb; q[13] = 0x00;			/* jmp next */
	q[14] = 0x40;					/* inc eax -> dec eax */
	q[15] = 0xc3;
	Fn ahead = (Fn)(void *)q;
	uint32_t r1 = ahead(0);
	q[14] = 0x40;
	q[11] = 0x41;					/* now patch to inc ecx: eax unchanged */
	uint32_t r2 = ahead(0);
	printf("patch ahead %u %u\n", r1, r2);

	/* 5. Data writes into a page with hot code. */
	Fn g = emit_add(page + 4096, 3);
	volatile uint32_t *data = (volatile uint32_t *)(page + 4096 + 2048);
	sum = 0;
	for (uint32_t i = 0; i < 100000; i++) {
		data[i & 63] = i;
		sum += g(data[(i * 7) & 63]);
	}
	printf("data beside code %08x\n", sum);

	/* 6. Overlapping instructions: at o, mov eax,0xc340c031; ret.
	 *    At o+1 the same bytes read xor eax,eax; inc eax; ret. */
	unsigned char *o = page + 256;
	static const unsigned char ov[] = { 0xb8, 0x31, 0xc0, 0x40, 0xc3, 0xc3 };
	memcpy(o, ov, sizeof ov);
	Fn whole = (Fn)(void *)o, inner = (Fn)(void *)(o + 1);
	printf("overlap %08x %u %08x\n", whole(0), inner(0), whole(0));

	/* 7. A generated loop: ecx = n; loop { eax += K; eax ^= ecx } ; regenerated
	 *    with new constants 300 times, each run 1000 iterations. */
	unsigned char *l = page + 8192;
	sum = 0;
	for (uint32_t k = 0; k < 300; k++) {
		unsigned char *c = l;
		*c++ = 0x8b; *c++ = 0x4c; *c++ = 0x24; *c++ = 0x04;	/* mov ecx,[esp+4] */
		*c++ = 0x31; *c++ = 0xc0;				/* xor eax,eax */
		unsigned char *top = c;
		*c++ = 0x05; put32(c, k * 2654435761u); c += 4;		/* add eax,K */
		*c++ = 0x31; *c++ = 0xc8;				/* xor eax,ecx */
		*c++ = 0xc1; *c++ = 0xc0; *c++ = (unsigned char)(k % 31 + 1);	/* rol eax,n */
		*c++ = 0xe2; *c = (unsigned char)(top - (c + 1)); c++;	/* loop top */
		*c++ = 0xc3;
		sum = sum * 31 + ((Fn)(void *)l)(1000);
	}
	printf("generated loops %08x\n", sum);
	return 0;
}
