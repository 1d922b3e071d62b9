/*
 * arith.c — 32- and 64-bit integer arithmetic: add/sub/mul, signed and
 * unsigned division and remainder (never INT_MIN/-1 or /0), shifts by every
 * count, and mixes of signed and unsigned operands.  Each group prints a
 * hash of its results so one wrong instruction shows up as a changed line.
 */
#include <stdint.h>
#include <stdio.h>
#include <limits.h>

static uint32_t seed = 12345;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) | (seed << 16);
}

static uint64_t h = 14695981039346656037ull;

static void
mix(uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 1099511628211ull;
	}
}

static void
report(const char *what)
{
	printf("%-12s %016llx\n", what, (unsigned long long)h);
	h = 14695981039346656037ull;
}

/* Interesting operands: edges of every width plus random ones. */
static const uint32_t edge32[] = {
	0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
	0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
	1000000007, 0xdeadbeef,
};
#define NEDGE (int)(sizeof edge32 / sizeof edge32[0])

static uint32_t
operand(int i)
{
	return i < NEDGE ? edge32[i] : rnd();
}

static void
addmul32(void)
{
	for (int i = 0; i < 200; i++)
		for (int j = 0; j < 200; j++) {
			uint32_t a = operand(i), b = operand(j);
			int32_t sa = (int32_t)a, sb = (int32_t)b;
			mix(a + b);
			mix(a - b);
			mix(a * b);
			mix((uint64_t)a * b);
			mix((uint64_t)((int64_t)sa * sb));
			mix(a & b); mix(a | b); mix(a ^ ~b);
			mix(sa < sb); mix(a < b); mix(sa <= sb); mix(a >= b);
		}
	report("addmul32");
}

static void
div32(void)
{
	for (int i = 0; i < 300; i++)
		for (int j = 0; j < 300; j++) {
			uint32_t a = operand(i), b = operand(j);
			int32_t sa = (int32_t)a, sb = (int32_t)b;
			if (b == 0)
				continue;
			mix(a / b);
			mix(a % b);
			if (!(sa == INT_MIN && sb == -1)) {
				mix((uint32_t)(sa / sb));
				mix((uint32_t)(sa % sb));
			}
		}
	report("div32");
}

static void
shift32(void)
{
	for (int i = 0; i < 100; i++) {
		uint32_t a = operand(i);
		int32_t sa = (int32_t)a;
		for (volatile int c = 0; c < 32; c++) {
			mix(a << c);
			mix(a >> c);
			mix((uint32_t)(sa >> c));
			mix((a << c) | (c ? a >> (32 - c) : 0));
		}
		uint16_t w = (uint16_t)a;
		int8_t b = (int8_t)a;
		mix((uint32_t)(int32_t)b);
		mix((uint32_t)w * w);
		mix((uint32_t)(int16_t)w >> 3);
	}
	report("shift32");
}

static uint64_t
operand64(int i)
{
	static const uint64_t e[] = {
		0, 1, 2, 10, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
		0x8000000000000000ull, 0xffffffffffffffffull, 0x123456789abcdefull,
		1000000000000000003ull, 0xfffffffe00000001ull,
	};
	if (i < (int)(sizeof e / sizeof e[0]))
		return e[i];
	uint64_t r = (uint64_t)rnd() << 32 | rnd();
	switch (i % 4) {
	case 0: return r >> (rnd() % 64);	/* small divisors too */
	case 1: return r & 0xffffffff;
	default: return r;
	}
}

static void
arith64(void)
{
	for (int i = 0; i < 150; i++)
		for (int j = 0; j < 150; j++) {
			uint64_t a = operand64(i), b = operand64(j);
			int64_t sa = (int64_t)a, sb = (int64_t)b;
			mix(a + b); mix(a - b); mix(a * b);
			mix(sa < sb); mix(a < b);
			if (b != 0) {
				mix(a / b);
				mix(a % b);
				if (!(sa == INT64_MIN && sb == -1)) {
					mix((uint64_t)(sa / sb));
					mix((uint64_t)(sa % sb));
				}
			}
		}
	report("arith64");
	for (int i = 0; i < 200; i++) {
		uint64_t a = operand64(i);
		for (volatile int c = 0; c < 64; c++) {
			mix(a << c);
			mix(a >> c);
			mix((uint64_t)((int64_t)a >> c));
		}
	}
	report("shift64");
}

static void
mixed(void)
{
	/* The usual arithmetic conversions, where signed meets unsigned. */
	for (int i = 0; i < 100; i++) {
		int32_t s = (int32_t)operand(i);
		uint32_t u = operand(i + 7);
		int16_t s16 = (int16_t)u;
		uint8_t u8 = (uint8_t)s;
		mix(s < u);
		mix((uint64_t)(s + (int64_t)u));
		mix((uint64_t)(int64_t)s * u);
		mix((uint32_t)(s16 * u8));
		mix((uint32_t)(s16 / (u8 | 1)));
		mix((uint64_t)(long long)s16 << 40);
		mix((uint32_t)(unsigned char)(s + u8));
		mix((uint32_t)(signed char)(s ^ u8));
	}
	report("mixed");
}

int
main(void)
{
	addmul32();
	div32();
	shift32();
	arith64();
	mixed();
	return 0;
}
