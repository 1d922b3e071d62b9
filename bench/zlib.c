/*
 * zlib.c — benchmark: compress 16 MiB of deterministic text-like data
 * (words drawn from a small vocabulary by a fixed pseudo-random sequence)
 * with zlib at level 6, then decompress and compare.  Real library code:
 * hashing, match searching, Huffman coding.  Prints sizes and CRCs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { SIZE = 16 << 20 };

static const char *words[] = {
	"the", "sandbox", "runs", "guest", "code", "at", "native", "speed", "inside", "one",
	"process", "segment", "limit", "checks", "every", "access", "translator", "fragment",
	"cache", "namespace", "bind", "mount", "styx", "message", "of", "and", "a", "to",
	"kernel", "device", "channel", "file", "read", "write", "open", "clunk", "walk",
};

static void
maketext(unsigned char *p, size_t n)
{
	uint32_t x = 42;
	size_t i = 0;

	while(i < n){
		x = x * 1103515245u + 12345u;
		const char *w = words[(x >> 16) % (sizeof words / sizeof words[0])];
		while(*w && i < n)
			p[i++] = *w++;
		if(i < n)
			p[i++] = (x >> 8) % 13 == 0 ? '\n' : (x >> 8) % 7 == 0 ? ',' : ' ';
		if((x >> 24) % 50 == 0)	/* now and then a number */
			for(int k = 0; k < 6 && i < n; k++)
				p[i++] = '0' + (x >> (k * 3)) % 10;
	}
}

int
main(void)
{
	unsigned char *in = malloc(SIZE), *back = malloc(SIZE);
	uLongf zlen = compressBound(SIZE), blen = SIZE;
	unsigned char *z = malloc(zlen);

	if(in == NULL || back == NULL || z == NULL){
		fprintf(stderr, "zlib: out of memory\n");
		return 1;
	}
	maketext(in, SIZE);
	if(compress2(z, &zlen, in, SIZE, 6) != Z_OK){
		fprintf(stderr, "zlib: compress2 failed\n");
		return 1;
	}
	if(uncompress(back, &blen, z, zlen) != Z_OK || blen != SIZE || memcmp(in, back, SIZE)){
		fprintf(stderr, "zlib: round trip failed\n");
		return 1;
	}
	printf("zlib in %u crc %08lx out %lu crc %08lx\n", (unsigned)SIZE,
	       crc32(0, in, SIZE), (unsigned long)zlen, crc32(0, z, zlen));
	return 0;
}
