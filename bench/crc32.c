/*
 * crc32.c — benchmark: table-driven CRC-32 (the IEEE 802.3 polynomial,
 * reflected, one byte per step) over 64 MiB of pseudo-random data made in
 * memory, PASSES times.  A tight loop of loads, shifts and xors: the
 * translated code should run at native speed.  Prints the CRCs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { SIZE = 64 << 20, PASSES = 4 };

static uint32_t table[256];

static void
mktable(void)
{
	for(uint32_t i = 0; i < 256; i++){
		uint32_t c = i;
		for(int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t
crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	while(n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int
main(void)
{
	unsigned char *buf = malloc(SIZE);
	uint32_t x = 2463534242u, crc = 0;

	if(buf == NULL){
		fprintf(stderr, "crc32: out of memory\n");
		return 1;
	}
	for(size_t i = 0; i < SIZE; i += 4){
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x;
		buf[i + 1] = x >> 8;
		buf[i + 2] = x >> 16;
		buf[i + 3] = x >> 24;
	}
	mktable();
	printf("crc32 check %08x\n", crc32(0, (const unsigned char *)"123456789", 9));
	for(int pass = 0; pass < PASSES; pass++)
		crc = crc32(crc, buf, SIZE);
	printf("crc32 %d x 64 MiB %08x\n", PASSES, crc);
	return 0;
}
