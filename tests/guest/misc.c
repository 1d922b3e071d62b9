/*
 * misc.c — assorted C features that compile to less common code:
 * thread-local variables (%gs-relative loads after set_thread_area),
 * variable-length arrays and alloca, variadic functions, bit-fields,
 * large struct copies and returns, unaligned and packed accesses,
 * sscanf, a sieve, and long double/64-bit conversions.
 */
#include <alloca.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static __thread int tls_counter = 5;
static __thread char tls_buf[64];
static __thread uint64_t tls_wide;

static uint32_t h = 2166136261u;

static void
mix(uint32_t v)
{
	h = (h ^ v) * 16777619u;
}

static int
vsum(int n, ...)
{
	va_list ap;
	int s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		if (i % 3 == 2)
			s += (int)va_arg(ap, double);
		else if (i % 3 == 1)
			s += (int)va_arg(ap, long long);
		else
			s += va_arg(ap, int);
	}
	va_end(ap);
	return s;
}

struct bits {
	unsigned a : 3;
	signed b : 5;
	unsigned c : 12;
	unsigned d : 1;
	unsigned long long e : 40;
};

struct big {
	int v[100];
	char tag[13];
};

__attribute__((noinline)) static struct big
make_big(int k)
{
	struct big b;

	for (int i = 0; i < 100; i++)
		b.v[i] = k * i;
	snprintf(b.tag, sizeof b.tag, "big%d", k);
	return b;
}

struct __attribute__((packed)) pk {
	char c;
	uint32_t u;
	uint16_t w;
	uint64_t q;
};

static unsigned
vla_sum(int n)
{
	int a[n];
	int *b = alloca(n * sizeof(int));

	for (int i = 0; i < n; i++) {
		a[i] = i * i;
		b[i] = a[i] - i;
	}
	unsigned s = 0;
	for (int i = 0; i < n; i++)
		s += (unsigned)(a[i] ^ b[n - 1 - i]);
	return s;
}

int
main(void)
{
	/* TLS */
	for (int i = 0; i < 1000; i++) {
		tls_counter += i;
		tls_buf[i % 64] ^= (char)i;
		tls_wide = tls_wide * 3 + i;
	}
	uint32_t tb = 0;
	for (int i = 0; i < 64; i++)
		tb = tb * 31 + (unsigned char)tls_buf[i];
	printf("tls %d %08x %llu\n", tls_counter, tb, (unsigned long long)tls_wide);

	printf("varargs %d\n", vsum(9, 1, 2LL, 3.5, 4, 5LL, 6.25, 7, 8LL, 9.75));

	struct bits bf = { 0 };
	for (int i = 0; i < 1000; i++) {
		bf.a += i;
		bf.b -= i;
		bf.c = bf.c * 3 + i;
		bf.d ^= i & 1;
		bf.e = bf.e * 5 + i;
		mix(bf.a); mix((uint32_t)bf.b); mix(bf.c); mix(bf.d); mix((uint32_t)bf.e);
	}
	printf("bitfields %08x\n", h);

	struct big b1 = make_big(3), b2;
	b2 = b1;
	b2.v[50] = -1;
	struct big b3 = make_big(b2.v[99]);
	printf("struct %d %d %s %s %d\n", b1.v[50], b2.v[50], b1.tag, b3.tag, b3.v[2]);

	unsigned char raw[64];
	for (int i = 0; i < 64; i++)
		raw[i] = i * 11;
	uint32_t ua = 0;
	for (int off = 0; off < 40; off++) {
		struct pk p;
		memcpy(&p, raw + off, sizeof p);
		ua = ua * 31 + p.c + p.u + p.w + (uint32_t)(p.q >> 17);
		struct pk *pp = (struct pk *)(raw + off);
		ua ^= pp->u;
	}
	printf("packed %08x size %zu\n", ua, sizeof(struct pk));

	printf("vla %u %u %u\n", vla_sum(1), vla_sum(100), vla_sum(5000));

	int x, y;
	char word[16];
	double d;
	unsigned hx;
	int n = sscanf("  -42 17 hello 3.25e2 ff", "%d %i %15s %lf %x", &x, &y, word, &d, &hx);
	printf("sscanf %d: %d %d %s %g %u\n", n, x, y, word, d, hx);

	static char sieve[1000000];
	int primes = 0;
	uint32_t last = 0;
	for (int i = 2; i < 1000000; i++)
		if (!sieve[i]) {
			primes++;
			last = i;
			for (int j = 2 * i; j < 1000000; j += i)
				sieve[j] = 1;
		}
	printf("primes %d last %u\n", primes, last);

	h = 2166136261u;
	for (int i = 0; i < 2000; i++) {
		long double ld = (long double)i * 1e15L / 7;
		unsigned long long u = (unsigned long long)ld;
		long long s = (long long)-ld;
		double dd = (double)u;
		float ff = (float)s;
		mix((uint32_t)u); mix((uint32_t)(u >> 32)); mix((uint32_t)s);
		mix((uint32_t)(long long)dd); mix((uint32_t)(long long)ff);
		mix((uint32_t)(unsigned long long)(dd * 3));
	}
	printf("conversions %08x\n", h);
	return 0;
}
