/*
 * strings.c — glibc's string and memory functions over every source and
 * destination alignment in a 64-byte window and many lengths.  In a
 * static binary these dispatch through ifuncs to SSE2/SSSE3/AVX2/EVEX
 * variants chosen by cpuid, so whatever the sandbox reports, the results
 * must be those of the plain C definitions.  Each result is also checked
 * against a byte loop here; a mismatch prints a BAD line.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { WIN = 64, MAXLEN = 300, BUF = WIN + MAXLEN + 64 };

static unsigned char src[BUF], dst[BUF], ref[BUF];
static uint32_t seed = 7;
static uint32_t sum;
static int bad;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static void
mix(uint32_t v)
{
	sum = (sum ^ v) * 16777619u;
}

static void
fail(const char *fn, int a, int b, int n)
{
	if (bad++ < 10)
		printf("BAD %s align %d/%d len %d\n", fn, a, b, n);
}

static const int lens[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 95, 96, 97,
	127, 128, 129, 191, 255, 256, 257, 299,
};
#define NLEN (int)(sizeof lens / sizeof lens[0])

static void
fill(unsigned char *p, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = 'a' + rnd() % 26;
}

static void
copies(void)
{
	for (int a = 0; a < WIN; a += 3)
		for (int b = 0; b < WIN; b += 5)
			for (int k = 0; k < NLEN; k++) {
				int n = lens[k];
				fill(src, BUF);
				memset(dst, 0x55, BUF);
				memcpy(dst + b, src + a, n);
				for (int i = 0; i < BUF; i++)
					if (dst[i] != (i >= b && i < b + n ? src[a + i - b] : 0x55)) {
						fail("memcpy", a, b, n);
						break;
					}
				mix(dst[b] + n);
				/* memmove both ways inside one buffer */
				memcpy(ref, src, BUF);
				memmove(src + b, src + a, n);
				for (int i = 0; i < n; i++)
					if (src[b + i] != ref[a + i]) {
						fail("memmove", a, b, n);
						break;
					}
				memset(dst + a, b, n & 511);
				for (int i = 0; i < n; i++)
					if (dst[a + i] != b) {
						fail("memset", a, b, n);
						break;
					}
				mix(memcmp(src, ref, BUF) != 0);
			}
	printf("copies %08x\n", sum);
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

static void
compares(void)
{
	for (int a = 0; a < WIN; a += 1)
		for (int b = 0; b < WIN; b += 7)
			for (int k = 0; k < NLEN; k++) {
				int n = lens[k];
				fill(src + a, n);
				memcpy(dst + b, src + a, n);
				int pos = n ? (int)(rnd() % n) : 0;
				if (n && rnd() % 4)
					dst[b + pos] ^= 1 << (rnd() % 8);
				int want = 0;
				for (int i = 0; i < n; i++)
					if (src[a + i] != dst[b + i]) {
						want = src[a + i] < dst[b + i] ? -1 : 1;
						break;
					}
				if (sign(memcmp(src + a, dst + b, n)) != want)
					fail("memcmp", a, b, n);
				src[a + n] = 0;
				dst[b + n] = 0;
				int sc = sign(strcmp((char *)src + a, (char *)dst + b));
				if (sc != want)
					fail("strcmp", a, b, n);
				int m = n / 2;
				int sn = sign(strncmp((char *)src + a, (char *)dst + b, m));
				mix(sc * 3 + sn + 7);
				mix(bcmp(src + a, dst + b, n) != 0);
			}
	printf("compares %08x\n", sum);
}

static void
searches(void)
{
	for (int a = 0; a < WIN; a++)
		for (int k = 0; k < NLEN; k++) {
			int n = lens[k];
			char *s = (char *)src + a;
			fill(src + a, n);
			s[n] = 0;
			s[n + 1] = 'z';		/* past the end: must not be found */
			if ((int)strlen(s) != n)
				fail("strlen", a, 0, n);
			if ((int)strnlen(s, n / 2) != n / 2)
				fail("strnlen", a, 0, n);
			int c = 'a' + rnd() % 26;
			char *p = strchr(s, c), *r = strrchr(s, c);
			char *q = memchr(s, c, n), *e = rawmemchr(s, 0);
			int pi = -1, ri = -1;
			for (int i = 0; i < n; i++)
				if (s[i] == c) {
					if (pi < 0)
						pi = i;
					ri = i;
				}
			if ((p ? p - s : -1) != pi || (q ? q - s : -1) != pi)
				fail("strchr/memchr", a, c, n);
			if ((r ? r - s : -1) != ri)
				fail("strrchr", a, c, n);
			if (e != s + n || strchr(s, 0) != s + n)
				fail("rawmemchr", a, 0, n);
			if (memrchr(s, c, n) != (ri < 0 ? NULL : s + ri))
				fail("memrchr", a, c, n);
			mix(pi * 7 + ri);
			/* strstr with a needle cut from the haystack */
			if (n > 4) {
				int off = rnd() % (n - 3), len = 1 + rnd() % (n - off < 40 ? n - off : 40);
				char needle[64];
				memcpy(needle, s + off, len);
				needle[len] = 0;
				char *f = strstr(s, needle);
				if (!f || f > s + off || memcmp(f, needle, len))
					fail("strstr", a, off, n);
				mix(f - s);
				needle[len / 2] = '#';
				if (strstr(s, needle))
					fail("strstr-miss", a, off, n);
				mix(strspn(s, "abcdefghijklm") + 3 * strcspn(s, "xyz"));
				char *m = memmem(s, n, needle, len / 2 + 1);
				mix(m ? m - s : 1000);
			}
			char cp[BUF];
			strcpy(cp, s);
			strcat(cp, "tail");
			mix(strlen(cp) + (strcmp(cp + n, "tail") != 0) * 99);
			char *sp = stpcpy(cp, s);
			mix(sp - cp);
		}
	printf("searches %08x\n", sum);
}

static void
cases(void)
{
	const char *w[] = { "Hello", "hello", "HELLO!", "help", "", "hellO wOrld" };
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 6; j++)
			mix(sign(strcasecmp(w[i], w[j])) + 2 * sign(strncasecmp(w[i], w[j], 4)));
	printf("cases %08x\n", sum);
}

int
main(void)
{
	copies();
	compares();
	searches();
	cases();
	printf("bad %d\n", bad);
	return bad != 0;
}
