/*
 * bzip2.c — benchmark: compress 8 MiB of deterministic text-like data with
 * libbz2 (900 KiB blocks) through BZ2_bzBuffToBuffCompress, then
 * decompress and compare.  The Burrows-Wheeler sort is branchy and
 * memory-bound, unlike zlib.  Prints sizes and a checksum.
 */
#include <bzlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIZE = 8 << 20 };

static const char *words[] = {
	"the", "sandbox", "runs", "guest", "code", "at", "native", "speed", "inside", "one",
	"process", "segment", "limit", "checks", "every", "access", "translator", "fragment",
	"cache", "namespace", "bind", "mount", "styx", "message", "of", "and", "a", "to",
	"kernel", "device", "channel", "file", "read", "write", "open", "clunk", "walk",
};

static void
maketext(char *p, size_t n)
{
	uint32_t x = 7;
	size_t i = 0;

	while(i < n){
		x = x * 1103515245u + 12345u;
		const char *w = words[(x >> 16) % (sizeof words / sizeof words[0])];
		while(*w && i < n)
			p[i++] = *w++;
		if(i < n)
			p[i++] = (x >> 8) % 13 == 0 ? '\n' : (x >> 8) % 7 == 0 ? ',' : ' ';
		if((x >> 24) % 50 == 0)
			for(int k = 0; k < 6 && i < n; k++)
				p[i++] = '0' + (x >> (k * 3)) % 10;
	}
}

static uint32_t
fnv(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while(n--)
		h = (h ^ (unsigned char)*p++) * 16777619u;
	return h;
}

int
main(void)
{
	unsigned zlen = SIZE + SIZE / 100 + 600, blen = SIZE;
	char *in = malloc(SIZE), *back = malloc(SIZE), *z = malloc(zlen);

	if(in == NULL || back == NULL || z == NULL){
		fprintf(stderr, "bzip2: out of memory\n");
		return 1;
	}
	maketext(in, SIZE);
	if(BZ2_bzBuffToBuffCompress(z, &zlen, in, SIZE, 9, 0, 0) != BZ_OK){
		fprintf(stderr, "bzip2: compress failed\n");
		return 1;
	}
	if(BZ2_bzBuffToBuffDecompress(back, &blen, z, zlen, 0, 0) != BZ_OK || blen != SIZE ||
	    memcmp(in, back, SIZE)){
		fprintf(stderr, "bzip2: round trip failed\n");
		return 1;
	}
	printf("bzip2 in %u hash %08x out %u hash %08x\n", (unsigned)SIZE, fnv(in, SIZE), zlen,
	       fnv(z, zlen));
	return 0;
}
