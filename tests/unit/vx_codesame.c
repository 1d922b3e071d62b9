/*
 * vx_codesame.c — libvx's compare of guest code bytes (vxpriv.h,
 * vx_codesame): every length from 0 to 80, each byte changed in turn on
 * either side, the same as memcmp's answer; and both sides placed
 * against a page that cannot be read, so that a load past the n bytes
 * (a cached fragment's bytes at the end of the guest's last page) would
 * fault.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "vxpriv.h"

enum { MAXN = 80 };

/* Two bytes of memory each side, ending where an unreadable page begins. */
static uint8_t *
edge(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if(p == MAP_FAILED || mprotect(p + pg, pg, PROT_NONE) != 0)
		return NULL;
	return p + pg;
}

int
main(void)
{
	uint8_t *ea = edge(), *eb = edge(), *a, *b;
	uint32_t n, j;
	int bad = 0, wrong = 0;

	if(ea == NULL || eb == NULL)
		skip_all("no memory");
	for(n = 0; n <= MAXN; n++){
		a = ea - n;
		b = eb - n;
		for(j = 0; j < n; j++)
			a[j] = b[j] = (uint8_t)(j * 37 + n);
		bad += !vx_codesame(a, b, n);
		for(j = 0; j < n; j++){
			a[j] ^= 0x40;
			wrong += vx_codesame(a, b, n) != (memcmp(a, b, n) == 0) || vx_codesame(b, a, n);
			a[j] ^= 0x40;
			b[j] ^= 0x01;
			wrong += vx_codesame(a, b, n);
			b[j] ^= 0x01;
		}
	}
	is(bad, 0, "lengths 0-%d, the same bytes (the last at a page's end): the same", MAXN);
	is(wrong, 0, "each byte changed on either side: not the same");
	/* the bytes past n differ: not compared */
	ea[-9] = 1;
	eb[-9] = 2;
	ok(vx_codesame(ea - 17, eb - 17, 8), "bytes past the length are not compared");
	return done_testing();
}
