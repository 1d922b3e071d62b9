/*
 * vx_codesame.c — libvx's compare of guest code bytes (vxpriv.h,
 * vx_codesame): every length from 0 to 4096, the same as memcmp's
 * answer with one byte changed on either side (every byte to 160;
 * past that every seventh, so every place in a word, and the first and
 * last 24), the two sides placed at different alignments; each side
 * ending where an unreadable page begins, then starting where one
 * ends, so that a load past the n bytes or before them (a cached
 * fragment's bytes at the end of the guest's last page) would fault.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "vxpriv.h"

enum { MAXN = 4096, ALLTO = 160 };

/* Two pages of memory between two that cannot be read. */
static uint8_t *
fenced(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if(p == MAP_FAILED || mprotect(p, pg, PROT_NONE) != 0 || mprotect(p + 3 * pg, pg, PROT_NONE) != 0)
		return NULL;
	return p + pg;
}

/* The byte positions of n that are changed in turn. */
static int
tried(uint32_t j, uint32_t n)
{
	return n <= ALLTO || j < 24 || j + 24 >= n || j % 7 == 0;
}

/* a and b, n bytes each, the same bytes: 1 if vx_codesame says so and
 * says "not the same" for each byte changed, else 0 */
static int
agrees(uint8_t *a, uint8_t *b, uint32_t n)
{
	uint32_t j;
	int ok = 1;

	for(j = 0; j < n; j++)
		a[j] = b[j] = (uint8_t)(j * 37 + n);
	if(!vx_codesame(a, b, n) || !vx_codesame(b, a, n))
		ok = 0;
	for(j = 0; j < n; j++){
		if(!tried(j, n))
			continue;
		a[j] ^= 0x80;
		ok &= !vx_codesame(a, b, n) && !vx_codesame(b, a, n);
		a[j] ^= 0x80;
		b[j] ^= 0x01;
		ok &= !vx_codesame(a, b, n);
		b[j] ^= 0x01;
	}
	return ok;
}

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *fa = fenced(), *fb = fenced();
	uint32_t n, s;
	int atend = 0, atstart = 0;

	if(fa == NULL || fb == NULL)
		skip_all("no memory");
	for(n = 0; n <= MAXN; n++){
		s = n % 8;	/* b's misalignment against a's */
		atend += !agrees(fa + 2 * pg - n, fb + 2 * pg - n - s, n);
		atstart += !agrees(fa, fb + s, n);
	}
	is(atend, 0, "lengths 0-%d ending at an unreadable page: the same bytes the same, each byte changed not", MAXN);
	is(atstart, 0, "lengths 0-%d starting after an unreadable page: the same", MAXN);
	/* the bytes past n differ: not compared */
	fa[2 * pg - 9] = 1;
	fb[2 * pg - 9] = 2;
	ok(vx_codesame(fa + 2 * pg - 17, fb + 2 * pg - 17, 8), "bytes past the length are not compared");
	return done_testing();
}
