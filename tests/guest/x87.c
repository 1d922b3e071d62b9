/*
 * x87.c — long double arithmetic on the x87 stack: the basic operations,
 * the transcendental instructions (fsin, fcos, fpatan, fyl2x, f2xm1 via
 * libm), rounding-control changes through fldcw, conversions between long
 * double and integers, and printing with %La/%Lg so every bit shows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t h = 14695981039346656037ull;

static void
mixld(long double v)
{
	unsigned char b[10];

	memcpy(b, &v, 10);	/* only the 80 value bits; the padding is junk */
	for (int i = 0; i < 10; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
}

static void
report(const char *what)
{
	printf("%-12s %016llx\n", what, (unsigned long long)h);
	h = 14695981039346656037ull;
}

static void
setcw(uint16_t cw)
{
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

static uint16_t
getcw(void)
{
	uint16_t cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

int
main(void)
{
	volatile long double a = 1.0L, b;
	long double x;

	for (int i = 1; i <= 40; i++) {
		a = a * 3.0L / 2.0L + 1.0L / i;
		b = a - (long double)i / 7.0L;
		mixld(a); mixld(b); mixld(a * b); mixld(a / b); mixld(-a);
	}
	printf("a=%La b=%.21Lg\n", (long double)a, (long double)b);
	report("basic");

	for (int i = -50; i <= 50; i++) {
		x = i * 0.37L;
		mixld(sinl(x)); mixld(cosl(x)); mixld(tanl(x));
		mixld(atan2l(x, 1.5L)); mixld(expl(x / 4)); mixld(fabsl(x));
		if (x > 0) {
			mixld(logl(x)); mixld(log2l(x)); mixld(sqrtl(x));
			mixld(powl(x, 1.3L));
		}
		mixld(floorl(x)); mixld(ceill(x)); mixld(truncl(x));
		mixld(fmodl(x, 1.7L)); mixld(ldexpl(x, i));
	}
	printf("sinl(1)=%La sqrtl(2)=%La\n", sinl(1.0L), sqrtl(2.0L));
	printf("expl(1)=%.21Lg atanl(1)*4=%.21Lg\n", expl(1.0L), atanl(1.0L) * 4);
	report("libm");

	/* Raw x87 instructions, bypassing libm. */
	long double pi, l2e, l2t, lg2, ln2, r;
	__asm__("fldpi" : "=t"(pi));
	__asm__("fldl2e" : "=t"(l2e));
	__asm__("fldl2t" : "=t"(l2t));
	__asm__("fldlg2" : "=t"(lg2));
	__asm__("fldln2" : "=t"(ln2));
	printf("consts %La %La %La %La %La\n", pi, l2e, l2t, lg2, ln2);
	__asm__("fsqrt" : "=t"(r) : "0"(2.0L));
	printf("fsqrt %La\n", r);
	__asm__("fsin" : "=t"(r) : "0"(0.5L));
	printf("fsin %La\n", r);
	__asm__("fcos" : "=t"(r) : "0"(0.5L));
	printf("fcos %La\n", r);
	__asm__("f2xm1" : "=t"(r) : "0"(0.25L));
	printf("f2xm1 %La\n", r);
	__asm__("fyl2x" : "=t"(r) : "0"(8.0L), "u"(3.0L) : "st(1)");
	printf("fyl2x %La\n", r);
	__asm__("fpatan" : "=t"(r) : "0"(1.0L), "u"(2.0L) : "st(1)");
	printf("fpatan %La\n", r);
	__asm__("fscale" : "=t"(r) : "0"(1.5L), "u"(10.0L));
	printf("fscale %La\n", r);
	__asm__("fprem" : "=t"(r) : "0"(100.0L), "u"(7.5L));
	printf("fprem %La\n", r);
	__asm__("frndint" : "=t"(r) : "0"(2.5L));
	printf("frndint %La\n", r);

	/* Rounding control: the same sums under the four modes. */
	uint16_t cw = getcw();
	for (int mode = 0; mode < 4; mode++) {
		setcw((cw & ~0x0c00) | mode << 10);
		volatile long double s = 0;
		for (int i = 1; i < 1000; i++)
			s += 1.0L / i;
		long long ll;
		__asm__("fistpll %0" : "=m"(ll) : "t"(s * 1e15L) : "st");
		mixld(s);
		printf("rc%d %La %lld\n", mode, (long double)s, ll);
	}
	/* Precision control: 24- and 53-bit mantissas. */
	for (int pc = 0; pc < 4; pc++) {
		if (pc == 1)
			continue;
		setcw((cw & ~0x0300) | pc << 8);
		volatile long double t = 1.0L;
		t = t / 3.0L;
		mixld(t);
		printf("pc%d %La\n", pc, (long double)t);
	}
	setcw(cw);
	report("control");

	/* Conversions. */
	for (int i = 0; i < 64; i++) {
		long double v = ldexpl(1.0L, i) - 0.5L;
		long long q = (long long)v;
		unsigned long long u = (unsigned long long)(v * 1.5L);
		int k = (int)(v / (1 << 20));
		mixld((long double)q); mixld((long double)u); mixld((long double)k);
		mixld((long double)(double)v); mixld((long double)(float)v);
	}
	report("convert");

	/* Special values. */
	long double inf = INFINITY, nan = NAN, den = 0x1p-16440L;
	printf("%Lg %Lg %Lg %La %Lg %Lg\n", inf, -inf, nan, den, den * 0x1p100L,
	       1.0L / -inf);
	printf("isnan %d %d isinf %d fpclass %d %d\n", isnan(nan), isnan(inf),
	       isinf(-inf), fpclassify(den), fpclassify(0.0L));
	return 0;
}
