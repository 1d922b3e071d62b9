/*
 * tckey — a copy of a program image whose persistent cache key
 * (libvx/tcache.c, vx_tcattach) is the original's with TCWARMKEY
 * flipped, for tests/vxinferno_tcwarm.t:
 *	tckey IN OUT
 * The key is a sum of the image's first KEYBYTES, not a cryptographic
 * hash: whoever writes a program chooses its key, here by the last
 * eight of those bytes (lane 7's second word of the last block), which
 * in a static i386 program lie in the padding before its code segment.
 * So a cold run of OUT finds IN's warm-form cache and a warm one IN's
 * cold-form cache.  Prints both keys; fails where IN is shorter than
 * KEYBYTES or those eight bytes are not zeros (the copy would differ
 * in bytes the program may read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vxpriv.h"
#include "tcache.h"

static const uint64_t mul = 0x9e3779b97f4a7c15ull;	/* tcmix's */

/* mul's inverse mod 2^64 (Newton's: each step doubles the bits right) */
static uint64_t
invmul(void)
{
	uint64_t x = mul;
	int i;

	for(i = 0; i < 6; i++)
		x *= 2 - mul * x;
	return x;
}

/* y ^ y >> s, inverted */
static uint64_t
unshift(uint64_t y, int s)
{
	uint64_t x = y;
	int i;

	for(i = 0; i < 64 / s + 1; i++)
		x = y ^ x >> s;
	return x;
}

/* tcspread is linear over GF(2) with (1 + x^23 + x^41)^64 = 1 in
 * GF(2)[x]/(x^64 - 1): its 64th power is the identity, the 63rd its
 * inverse. */
static uint64_t
unspread(uint64_t y)
{
	int i;

	for(i = 0; i < 63; i++)
		y = tcspread(y);
	return y;
}

/* The key of an image of size bytes whose first KEYBYTES are b. */
static uint64_t
key(const uint8_t *b, size_t size)
{
	return tcsum(b, KEYBYTES, size);
}

int
main(int argc, char **argv)
{
	FILE *in, *out;
	uint8_t *b;
	size_t size, got;
	uint64_t want, h, l7, y, w14, w15, prev;
	TcSum s;
	int i;

	if(argc != 3 || (in = fopen(argv[1], "rb")) == NULL){
		fprintf(stderr, "usage: tckey IN OUT\n");
		return 2;
	}
	fseek(in, 0, SEEK_END);
	size = (size_t)ftell(in);
	rewind(in);
	if(size < KEYBYTES || (b = malloc(size)) == NULL || (got = fread(b, 1, size, in)) != size){
		fprintf(stderr, "tckey: %s: short\n", argv[1]);
		return 1;
	}
	fclose(in);
	for(i = KEYBYTES - 8; i < KEYBYTES; i++)
		if(b[i] != 0){
			fprintf(stderr, "tckey: %s: bytes %d-%d are not padding\n", argv[1], KEYBYTES - 8, KEYBYTES - 1);
			return 1;
		}
	want = key(b, size) ^ TCWARMKEY;
	/* the lanes before the last block's lane 7 */
	tcsuminit(&s, size);
	tcsumadd(&s, b, KEYBYTES - TCBLOCK);
	prev = s.l[7];
	tcsumadd(&s, b + KEYBYTES - TCBLOCK, TCBLOCK);
	/* tcsumend backwards: the fold of the lanes, then lane 7 */
	h = 0;
	for(i = 0; i < TCLANES - 1; i++)
		h = tcmix(h, s.l[i]);
	y = unshift(want, 29) * invmul();	/* h after lane 7 */
	l7 = unshift(y, 31) * invmul() ^ h;
	memcpy(&w14, b + KEYBYTES - 16, 8);
	w15 = unspread(l7) - (prev ^ w14) * mul;
	memcpy(b + KEYBYTES - 8, &w15, 8);
	if(key(b, size) != want){
		fprintf(stderr, "tckey: the key came out %016llx, not %016llx\n", (unsigned long long)key(b, size), (unsigned long long)want);
		return 1;
	}
	if((out = fopen(argv[2], "wb")) == NULL || fwrite(b, 1, size, out) != size || fclose(out) != 0){
		perror(argv[2]);
		return 1;
	}
	printf("%016llx %016llx\n", (unsigned long long)(want ^ TCWARMKEY), (unsigned long long)want);
	return 0;
}
