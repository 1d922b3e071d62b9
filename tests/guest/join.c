/*
 * join.c — code reached by falling into an instruction that another
 * block was entered at before (a translation stops there and jumps into
 * the other one, translate.c's `entered`), then changed under it.  The
 * blocks lie in two pages of the program's own text, so that a
 * persistent translation cache keeps them: the jumping block's page
 * alone or the target's alone is rewritten, the target's page unmapped
 * and mapped again with other code, and a block is entered inside an
 * instruction another decoded from its start.  Also the join after an
 * if, reached by a jump forward in its own block and from elsewhere.
 * Every call must run the bytes as they are now; the program prints
 * each result.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/*
 * h1 falls into t1's add: the lea (8d) takes t1's mov as its ModRM byte
 * (b8: disp32(%eax), %edi) and immediate, so h1 decodes mov, lea, then
 * m1, the instruction t1 reaches after its mov.  h2/t2 are the same at
 * the end of page A, their m2 the first instruction of page B.  On page
 * B: o1 is mov $0xc340c031,%eax; ret and o2, its second byte, xor; inc;
 * ret; o_s's lea ends at o1's ret.  fj's jz jumps forward to its own
 * join, which fx jumps to from elsewhere.  ecx is the argument.
 */
__asm__(
	".pushsection .text.join,\"ax\"\n"
	".balign 4096\n"
	"jpA:\n"
	"h1: mov $100,%eax\n .byte 0x8d\n"
	"t1: mov $1,%eax\n"
	"m1: add $5,%eax\n add %ecx,%eax\n ret\n"
	".skip 4096 - 11 - (. - jpA), 0xcc\n"
	"h2: mov $200,%eax\n .byte 0x8d\n"
	"t2: mov $2,%eax\n"
	"jpB:\n"
	"m2: add $5,%eax\n add %ecx,%eax\n ret\n"
	".skip 0x100 - (. - jpB), 0xcc\n"
	"o_s: mov $300,%eax\n .byte 0x8d\n"
	"o1: .byte 0xb8\n"
	"o2: .byte 0x31, 0xc0, 0x40, 0xc3\n"
	"o3: .byte 0xc3\n"
	".skip 0x200 - (. - jpB), 0xcc\n"
	"fj: xor %eax,%eax\n test %ecx,%ecx\n jz fj_join\n add $1,%eax\n"
	"fj_join: add $2,%eax\n ret\n"
	"fx: mov $50,%eax\n jmp fj_join\n"
	".skip 4096 - (. - jpB), 0xcc\n"
	".popsection\n");
extern unsigned char jpA[], jpB[], h1[], t1[], m1[], h2[], t2[], m2[];
extern unsigned char o_s[], o1[], o2[], fj[], fj_join[], fx[];

static unsigned char saved[4096];
static int step, quiet;
static uint32_t hash;

/* call fn with ecx = arg (edi 0 before): prints eax and edi after, or
 * (quiet) adds them to hash */
static void
run(const char *what, void *fn, uint32_t arg)
{
	uint32_t a, d = 0, c = arg;

	__asm__ volatile("call *%3" : "=a"(a), "+D"(d), "+c"(c) : "r"(fn) : "edx", "memory", "cc");
	hash = (hash * 31 + a) * 31 + d;
	if(!quiet)
		printf("%2d %-6s %3u: eax %08x edi %08x\n", step++, what, arg, a, d);
}

/* page B unmapped and mapped again holding saved */
static int
remapB(void)
{
	if(munmap(jpB, 4096) != 0
	|| mmap(jpB, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != jpB){
		perror("remap");
		return -1;
	}
	memcpy(jpB, saved, sizeof saved);
	return 0;
}

/* Calls in a pseudo-random order, and rewrites between them (page B's
 * mostly by remapping it, which keeps it from becoming a page whose
 * blocks check their bytes): which blocks exist when another is
 * translated, so where translations stop, depends on the order.  The
 * results' hash every 50 steps. */
static int
shuffled(int n)
{
	void *fn[] = { t1, h1, t2, h2, o1, o2, o_s, fj, fx };
	uint32_t x = 12345, v;
	int i, k;

	quiet = 1;
	for(i = 0; i < n; i++){
		x = x * 1103515245 + 12345;
		k = (int)(x >> 16) % 12;
		v = x >> 24;
		if(k < 9)
			run("", fn[k], v & 3);
		else if(k == 9)
			m1[2] = (unsigned char)v;
		else if(k == 10)
			m2[2] = (unsigned char)v;
		else{
			memcpy(saved, jpB, sizeof saved);
			saved[2] = (unsigned char)v;	/* m2's immediate */
			saved[o2 - jpB + 2] = v & 1 ? 0x40 : 0x90;	/* inc or nop */
			saved[fj_join - jpB + 2] = (unsigned char)(v >> 4);
			if(remapB() < 0)
				return -1;
		}
		if(i % 50 == 49)
			printf("shuffled %d: %08x\n", i + 1, hash);
	}
	quiet = 0;
	return 0;
}

static int
writable(void)
{
	if(mprotect(jpA, 2 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0){
		perror("mprotect");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int k;

	(void)argv;
	if(writable() < 0)
		return 1;
	if(argc > 1){
		/* first the blocks that stop in others (a run after one that
		 * made them, with a persistent cache: taken back ending where
		 * nothing is translated yet) */
		run("h1", h1, 2);
		run("h2", h2, 2);
		run("o_s", o_s, 2);
	}

	/* a stop inside a block of the same page; its instruction changes */
	run("t1", t1, 0);
	run("h1", h1, 0);
	run("h1", h1, 1);
	m1[2] = 7;
	run("h1", h1, 0);
	run("t1", t1, 0);

	/* the stop's target lies on the next page, which alone changes */
	run("t2", t2, 0);
	run("h2", h2, 0);
	m2[2] = 9;
	run("h2", h2, 0);
	run("t2", t2, 3);
	run("h2", h2, 3);

	/* page B unmapped and mapped again with other code at m2 */
	memcpy(saved, jpB, sizeof saved);
	saved[0] = 0x83;	/* add $-3,%eax */
	saved[1] = 0xc0;
	saved[2] = 0xfd;
	if(remapB() < 0)
		return 1;
	run("h2", h2, 0);
	run("t2", t2, 0);

	/* overlapping decodings: o2 inside o1's mov, o_s's lea ending at
	 * o1's ret */
	run("o2", o2, 0);
	run("o1", o1, 0);
	run("o_s", o_s, 0);
	run("o2", o2, 0);
	o2[2] = 0x90;	/* inc -> nop */
	run("o_s", o_s, 0);
	run("o1", o1, 0);
	run("o2", o2, 0);

	/* the join after an if: by its own jump forward and from fx */
	run("fj", fj, 1);
	run("fj", fj, 0);
	run("fx", fx, 0);
	run("fj", fj, 0);
	fj_join[2] = 3;
	run("fj", fj, 0);
	run("fx", fx, 0);
	run("fj", fj, 1);

	/* rewritten again and again, in both orders: the page's blocks
	 * become checked ones past a few rewrites (no stops then) */
	for(k = 0; k < 24; k++){
		m1[2] = (unsigned char)k;
		run(k & 1 ? "h1" : "t1", k & 1 ? (void *)h1 : (void *)t1, (uint32_t)k);
		run(k & 1 ? "t1" : "h1", k & 1 ? (void *)t1 : (void *)h1, (uint32_t)k);
		m2[2] = (unsigned char)(k + 1);
		run("h2", h2, (uint32_t)k);
	}
	return shuffled(600) < 0;
}
