/*
 * bits.c — bit manipulation: popcount, clz, ctz, ffs, parity, bswap,
 * rotates, the bt/bts/btr/btc/bsf/bsr/shld/shrd/rcl/rcr instructions, and
 * the arithmetic flags as seen through setcc, adc/sbb chains, lahf and
 * pushf (only the six status flags, whose values are defined).
 */
#include <stdint.h>
#include <stdio.h>

static uint32_t seed = 31337;
static uint32_t h = 2166136261u;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed ^ (seed >> 15);
}

static void
mix(uint32_t v)
{
	h = (h ^ v) * 16777619u;
}

static void
report(const char *what)
{
	printf("%-8s %08x\n", what, h);
	h = 2166136261u;
}

static uint32_t
value(int i)
{
	static const uint32_t e[] = { 0, 1, 0x80000000, 0xffffffff, 0x7fffffff, 0x10, 0xf0f0f0f0 };
	if (i < 7)
		return e[i];
	uint32_t r = rnd();
	return i % 3 ? r : r >> (rnd() % 32);
}

/* Status flags CF PF AF ZF SF OF. */
enum { FLAGMASK = 0x8d5 };

static uint32_t
flags_add(uint32_t a, uint32_t b, uint32_t *res)
{
	uint32_t f;

	__asm__("addl %3, %0\n\tpushfl\n\tpopl %1" : "=r"(*res), "=r"(f) : "0"(a), "r"(b) : "cc");
	return f & FLAGMASK;
}

static uint32_t
flags_sub(uint32_t a, uint32_t b, uint32_t *res)
{
	uint32_t f;

	__asm__("subl %3, %0\n\tpushfl\n\tpopl %1" : "=r"(*res), "=r"(f) : "0"(a), "r"(b) : "cc");
	return f & FLAGMASK;
}

static uint32_t
flags_inc8(uint8_t a, uint8_t *res)
{
	uint32_t f;

	/* inc leaves CF alone: set it first so that shows */
	__asm__("stc\n\tincb %0\n\tpushfl\n\tpopl %1" : "=q"(*res), "=r"(f) : "0"(a) : "cc");
	return f & FLAGMASK;
}

static uint32_t
flags_neg16(uint16_t a, uint16_t *res)
{
	uint32_t f;

	__asm__("negw %0\n\tlahf\n\tmovzbl %%ah, %1" : "=r"(*res), "=&a"(f) : "0"(a) : "cc");
	return f;
}

int
main(void)
{
	for (int i = 0; i < 5000; i++) {
		uint32_t v = value(i);
		uint64_t w = (uint64_t)v << 32 | value(i + 3);
		mix(__builtin_popcount(v));
		mix(__builtin_popcountll(w));
		mix(v ? __builtin_clz(v) : 99);
		mix(v ? __builtin_ctz(v) : 99);
		mix(w ? __builtin_clzll(w) : 99);
		mix(w ? __builtin_ctzll(w) : 99);
		mix(__builtin_ffs(v));
		mix(__builtin_parity(v));
		mix(__builtin_bswap32(v));
		mix((uint32_t)__builtin_bswap64(w));
		mix(__builtin_bswap16((uint16_t)v));
		mix(v << (i & 31) | v >> (-i & 31));
		mix(__builtin_clrsb((int32_t)v));
	}
	report("builtins");

	for (int i = 0; i < 5000; i++) {
		uint32_t v = value(i), n = rnd() % 32, r, c;
		__asm__("btl %2, %1\n\tsetc %b0" : "=q"(c) : "r"(v), "r"(n) : "cc");
		mix(c & 1);
		r = v;
		__asm__("btsl %1, %0" : "+r"(r) : "r"(n) : "cc");
		mix(r);
		r = v;
		__asm__("btrl %1, %0" : "+r"(r) : "r"(n) : "cc");
		mix(r);
		r = v;
		__asm__("btcl $13, %0" : "+r"(r) : : "cc");
		mix(r);
		if (v) {
			__asm__("bsfl %1, %0" : "=r"(r) : "r"(v) : "cc");
			mix(r);
			__asm__("bsrl %1, %0" : "=r"(r) : "r"(v) : "cc");
			mix(r);
		}
		uint32_t hi = value(i + 1);
		r = v;
		__asm__("shldl %%cl, %2, %0" : "+r"(r) : "c"(n), "r"(hi) : "cc");
		mix(r);
		r = v;
		__asm__("shrdl $7, %1, %0" : "+r"(r) : "r"(hi) : "cc");
		mix(r);
		r = v;
		__asm__("stc\n\trcll $3, %0" : "+r"(r) : : "cc");
		mix(r);
		r = v;
		__asm__("clc\n\trcrl %%cl, %0\n\tsetc %%cl" : "+r"(r), "+c"(n) : : "cc");
		mix(r + (n & 0xff));
		/* memory bit string: bt with a register offset beyond 32 bits */
		uint32_t arr[4] = { v, ~v, v ^ 0x55555555, 0 };
		uint32_t bit = rnd() % 128;
		__asm__("btsl %1, %0" : "+m"(arr) : "r"(bit) : "cc");
		mix(arr[0] ^ arr[1] ^ arr[2] ^ arr[3]);
	}
	report("bitinsn");

	for (int i = 0; i < 3000; i++) {
		uint32_t a = value(i), b = value(i + 1), r;
		mix(flags_add(a, b, &r)); mix(r);
		mix(flags_sub(a, b, &r)); mix(r);
		uint8_t r8;
		mix(flags_inc8((uint8_t)a, &r8)); mix(r8);
		uint16_t r16;
		mix(flags_neg16((uint16_t)b, &r16)); mix(r16);
		/* every setcc after a compare */
		uint32_t cc = 0;
		uint8_t s;
#define SET(insn, k) __asm__("cmpl %2, %1\n\t" insn " %0" : "=q"(s) : "r"(a), "r"(b) : "cc"); cc |= (uint32_t)s << k;
		SET("seta", 0) SET("setae", 1) SET("setb", 2) SET("setbe", 3) SET("sete", 4)
		SET("setne", 5) SET("setg", 6) SET("setge", 7) SET("setl", 8) SET("setle", 9)
		SET("sets", 10) SET("setns", 11) SET("seto", 12) SET("setno", 13) SET("setp", 14)
		SET("setnp", 15)
		mix(cc);
		/* 96-bit add and subtract with carry chains */
		uint32_t x0 = a, x1 = b, x2 = i;
		__asm__("addl %3, %0\n\tadcl %4, %1\n\tadcl $0, %2"
			: "+r"(x0), "+r"(x1), "+r"(x2) : "r"(b), "r"(a) : "cc");
		mix(x0); mix(x1); mix(x2);
		__asm__("subl %3, %0\n\tsbbl %4, %1\n\tsbbl $0, %2"
			: "+r"(x0), "+r"(x1), "+r"(x2) : "r"(a * 3), "r"(b ^ 1) : "cc");
		mix(x0); mix(x1); mix(x2);
		/* cmov */
		uint32_t m = a;
		__asm__("cmpl %2, %1\n\tcmovbl %2, %0" : "+r"(m) : "r"(a), "r"(b) : "cc");
		mix(m);
		/* imul, mul and their flags */
		uint32_t lo, hi2, f;
		__asm__("mull %3\n\tpushfl\n\tpopl %2" : "=a"(lo), "=d"(hi2), "=r"(f) : "r"(b), "0"(a) : "cc");
		mix(lo); mix(hi2); mix(f & 0x801);
		__asm__("imull %3, %0\n\tpushfl\n\tpopl %1" : "=r"(lo), "=r"(f) : "0"(a), "r"(b) : "cc");
		mix(lo); mix(f & 0x801);
		/* cmc, xchg, bswap, xlat-free byte tricks */
		__asm__("cmpl %2, %1\n\tcmc\n\tsbbl %0, %0" : "=r"(r) : "r"(a), "r"(b) : "cc");
		mix(r);
		/* sahf round trip */
		uint32_t ax = (a & 0xd5) << 8;
		__asm__("sahf\n\tlahf" : "+a"(ax) : : "cc");
		mix(ax >> 8 & 0xd5);
	}
	report("flags");
	return 0;
}
