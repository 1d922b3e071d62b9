/*
 * strinsn.c — the x86 string instructions with and without rep prefixes,
 * forwards (DF=0) and backwards (DF=1): movs, stos, lods, cmps, scas in
 * byte, word and dword sizes, rep with ecx=0, repe/repne stopping early,
 * and overlapping moves; the non-rep forms one at a time with the flags
 * cmps and scas leave, DF set by popf as well as std and read back by
 * pushf, and glibc's backward memmove tail (std; movsb; movsw; rep movsl
 * with ecx=0; cld), which the long engine translates without touching
 * RFLAGS.DF.  Every asm block that sets DF clears it again
 * before returning, as the ABI requires.  Final esi/edi/ecx are hashed too.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t h = 2166136261u;
static unsigned char buf[4096], buf2[4096];

static void
mix(uint32_t v)
{
	h = (h ^ v) * 16777619u;
}

static void
mixbuf(const unsigned char *p, int n)
{
	for (int i = 0; i < n; i++)
		mix(p[i]);
}

static void
report(const char *what)
{
	printf("%-8s %08x\n", what, h);
	h = 2166136261u;
}

static void
fill(void)
{
	for (int i = 0; i < (int)sizeof buf; i++) {
		buf[i] = (unsigned char)(i * 7 + (i >> 5));
		buf2[i] = (unsigned char)(i * 13 + 1);
	}
}

static void
moves(void)
{
	for (int n = 0; n < 300; n += 7)
		for (int off = 0; off < 8; off++) {
			fill();
			void *s = buf + 100 + off, *d = buf2 + 200 + (off * 3) % 8;
			uint32_t c = n;
			__asm__ volatile("rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			mix((unsigned char *)s - buf); mix((unsigned char *)d - buf2); mix(c);
			c = n / 4;
			__asm__ volatile("rep movsl" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			c = n / 2;
			__asm__ volatile("rep movsw" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			/* backwards: start at the last element, DF=1 */
			s = buf + 1000 + n - 1;
			d = buf2 + 1500 + n - 1 + off;
			c = n;
			__asm__ volatile("std\n\trep movsb\n\tcld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			mix((unsigned char *)s - buf); mix((unsigned char *)d - buf2);
			s = buf + 2000 + 4 * n;
			d = buf2 + 2600 + 4 * n;
			c = n;
			__asm__ volatile("std\n\trep movsl\n\tcld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			/* overlapping, inside one buffer, backwards like memmove */
			s = buf + 3000 + n;
			d = buf + 3003 + n;
			c = n;
			__asm__ volatile("std\n\trep movsb\n\tcld" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			/* overlapping forwards: the pattern repeats */
			s = buf + 3500;
			d = buf + 3501 + off;
			c = n;
			__asm__ volatile("rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
			mixbuf(buf, sizeof buf);
			mixbuf(buf2, sizeof buf2);
		}
	report("movs");
}

static void
stores(void)
{
	for (int n = 0; n < 200; n += 3) {
		fill();
		void *d = buf + 10 + n % 4;
		uint32_t c = n;
		__asm__ volatile("rep stosl" : "+D"(d), "+c"(c) : "a"(0xdeadbeef + n) : "memory");
		mix((unsigned char *)d - buf);
		d = buf + 1000;
		c = n;
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(c) : "a"(n) : "memory");
		d = buf + 3000 + 2 * n;
		c = n;
		__asm__ volatile("std\n\trep stosw\n\tcld" : "+D"(d), "+c"(c) : "a"(0x1234 + n) : "memory");
		mix((unsigned char *)d - buf);
		d = buf2 + 100;
		__asm__ volatile("stosb\n\tstosw\n\tstosl" : "+D"(d) : "a"(0x87654321u) : "memory");
		/* lods: sum backwards and forwards */
		const void *s = buf + 500;
		uint32_t sum = 0, a = 0;
		for (int i = 0; i < 50; i++) {
			__asm__ volatile("lodsb" : "+S"(s), "+a"(a));
			sum += a & 0xff;
		}
		__asm__ volatile("std\n\tlodsl\n\tlodsw\n\tcld" : "+S"(s), "+a"(a));
		mix(sum); mix(a); mix((const unsigned char *)s - buf);
		mixbuf(buf, sizeof buf);
		mixbuf(buf2, 200);
	}
	report("stos");
}

static void
compares(void)
{
	fill();
	memcpy(buf2, buf, sizeof buf);
	for (int n = 0; n < 256; n++) {
		int pos = (n * 37) % 300;
		buf2[pos] ^= 0x40;
		/* repe cmpsb: stop at the first difference */
		const void *s = buf, *d = buf2;
		uint32_t c = 400, f;
		__asm__ volatile("repe cmpsb\n\tpushfl\n\tpopl %3"
				 : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "memory", "cc");
		mix((const unsigned char *)s - buf); mix(c); mix(f & 0x8d5);
		buf2[pos] ^= 0x40;
		/* backwards repe cmpsl */
		s = buf + 1020;
		d = buf2 + 1020;
		c = 200;
		buf2[900 + n] ^= 1;
		__asm__ volatile("std\n\trepe cmpsl\n\tpushfl\n\tpopl %3\n\tcld"
				 : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "memory", "cc");
		mix((const unsigned char *)s - buf); mix(c); mix(f & 0x8d5);
		buf2[900 + n] ^= 1;
		/* repne scasb: strlen-style search for a byte value */
		d = buf + n;
		c = 4096 - n;
		__asm__ volatile("repne scasb\n\tpushfl\n\tpopl %2"
				 : "+D"(d), "+c"(c), "=r"(f) : "a"(n) : "memory", "cc");
		mix((const unsigned char *)d - buf); mix(c); mix(f & 0x8d5);
		/* repe scasw backwards over a run of equal words */
		d = buf2 + 2000;
		c = 50;
		__asm__ volatile("std\n\trepe scasw\n\tcld" : "+D"(d), "+c"(c) : "a"(n * 0x0101) : "memory", "cc");
		mix((const unsigned char *)d - buf2); mix(c);
		/* cmps with ecx = 0 leaves flags alone */
		s = buf;
		d = buf2 + 1;
		c = 0;
		__asm__ volatile("xorl %%eax, %%eax\n\trepe cmpsb\n\tpushfl\n\tpopl %3"
				 : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "eax", "memory", "cc");
		mix(f & 0x8d5);
	}
	report("cmps");
	uint32_t df;
	__asm__ volatile("pushfl\n\tpopl %0" : "=r"(df));
	printf("DF now %u\n", df >> 10 & 1);
}

/* One non-rep string instruction of each kind and size, both ways. */
static void
single(void)
{
	static const unsigned char v[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 0x40 };

	for (int n = 0; n < 64; n++) {
		fill();
		for (int i = 0; i < 16; i++)
			buf2[600 + i] = v[(n + i) % 6], buf[600 + i] = v[(n * 5 + i * 3) % 6];
		const void *s = buf + 600 + n % 8;
		void *d = buf2 + 600 + n % 5;
		uint32_t f, a = 0x11223344u * (n + 1), df = n & 1 ? 0x400 : 0;
		/* DF from popf, back through pushf */
		__asm__ volatile("pushfl\n\torl %4, (%%esp)\n\tpopfl\n\tcmpsb\n\tpushfl\n\tpopl %2\n\tcld"
				 : "+S"(s), "+D"(d), "=r"(f), "+a"(a) : "r"(df) : "memory", "cc");
		mix(f & 0xcd5); mix((const unsigned char *)s - buf); mix((unsigned char *)d - buf2);
		__asm__ volatile("pushfl\n\torl %3, (%%esp)\n\tpopfl\n\tcmpsw\n\tpushfl\n\tpopl %2\n\tcmpsl\n\tcld"
				 : "+S"(s), "+D"(d), "=r"(f) : "r"(df) : "memory", "cc");
		mix(f & 0xcd5); mix((const unsigned char *)s - buf); mix((unsigned char *)d - buf2);
		__asm__ volatile("std\n\tscasb\n\tpushfl\n\tpopl %1\n\tcld" : "+D"(d), "=r"(f) : "a"(v[n % 6]) : "memory", "cc");
		mix(f & 0xcd5); mix((unsigned char *)d - buf2);
		__asm__ volatile("scasw\n\tpushfl\n\tpopl %1" : "+D"(d), "=r"(f) : "a"(n * 0x0102) : "memory", "cc");
		mix(f & 0xcd5);
		__asm__ volatile("std\n\tscasl\n\tpushfl\n\tpopl %1\n\tcld" : "+D"(d), "=r"(f) : "a"(a) : "memory", "cc");
		mix(f & 0xcd5); mix((unsigned char *)d - buf2);
		/* moves and loads of each size, forwards then backwards */
		__asm__ volatile("movsb\n\tmovsw\n\tmovsl\n\tstd\n\tmovsl\n\tmovsw\n\tmovsb\n\tlodsw\n\tstosb\n\tlodsb\n\tstosl\n\tcld"
				 : "+S"(s), "+D"(d), "+a"(a) : : "memory");
		mix(a); mix((const unsigned char *)s - buf); mix((unsigned char *)d - buf2);
		/* glibc's memmove backwards, for 1-3 bytes: the rep has ecx=0 */
		uint32_t c = n % 4;
		s = buf + 900 + c - 1;
		d = buf + 901 + c - 1;
		__asm__ volatile("std\n\tshrl %%ecx\n\tjnc 1f\n\tmovsb\n1:\tsubl $1, %%edi\n\tsubl $1, %%esi\n\t"
				 "shrl %%ecx\n\tjnc 2f\n\tmovsw\n2:\tsubl $2, %%edi\n\tsubl $2, %%esi\n\trep movsl\n\t"
				 "pushfl\n\tpopl %3\n\tcld"
				 : "+S"(s), "+D"(d), "+c"(c), "=r"(f) : : "memory", "cc");
		mix(f & 0xcd5); mix((const unsigned char *)s - buf); mix((unsigned char *)d - buf); mix(c);
		mixbuf(buf, sizeof buf);
		mixbuf(buf2, 700);
	}
	report("single");
}

int
main(void)
{
	moves();
	stores();
	compares();
	single();
	return 0;
}
