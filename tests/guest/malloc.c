/*
 * malloc.c — heap churn: many blocks of mixed sizes allocated, filled,
 * resized with realloc, checked and freed in a pseudo-random order, so
 * glibc's allocator grows and trims the heap with brk.  Blocks stay below
 * the mmap threshold (128 KiB), except one large calloc at the end served
 * by mmap2, which is never freed (a test host need not serve munmap).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 1024, ROUNDS = 60000 };

static unsigned char *blk[SLOTS];
static uint32_t len[SLOTS], tag[SLOTS];
static uint32_t seed = 77;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static uint32_t
pick_size(void)
{
	uint32_t r = rnd();

	switch (r % 8) {
	case 0: return r >> 24;			/* 0..255 */
	case 1: return 16;
	case 2: return (r >> 8) % 4096;
	case 3: return (r >> 8) % 30000;
	default: return (r >> 8) % 600;
	}
}

static int
check(int i)
{
	for (uint32_t k = 0; k < len[i]; k++)
		if (blk[i][k] != (unsigned char)(tag[i] + k * 13))
			return 0;
	return 1;
}

static void
fill(int i)
{
	for (uint32_t k = 0; k < len[i]; k++)
		blk[i][k] = (unsigned char)(tag[i] + k * 13);
}

int
main(void)
{
	int bad = 0, live = 0, allocs = 0, reallocs = 0, frees = 0;
	uint64_t bytes = 0;

	for (int r = 0; r < ROUNDS; r++) {
		int i = rnd() % SLOTS;
		uint32_t op = rnd() % 10;
		if (blk[i] && !check(i))
			bad++;
		if (!blk[i]) {
			len[i] = pick_size();
			tag[i] = rnd();
			blk[i] = op < 3 ? calloc(1, len[i] ? len[i] : 1) : malloc(len[i]);
			if (op < 3)
				for (uint32_t k = 0; k < len[i]; k++)
					bad += blk[i][k] != 0;
			if (!blk[i] && len[i])
				bad += 1000;
			if (!blk[i])
				blk[i] = malloc(1);
			fill(i);
			live++;
			allocs++;
			bytes += len[i];
		} else if (op < 4) {
			uint32_t n = pick_size(), keep = n < len[i] ? n : len[i];
			unsigned char *p = realloc(blk[i], n ? n : 1);
			if (!p) {
				bad += 1000;
				continue;
			}
			for (uint32_t k = 0; k < keep; k++)
				bad += p[k] != (unsigned char)(tag[i] + k * 13);
			blk[i] = p;
			len[i] = n;
			fill(i);
			reallocs++;
		} else {
			free(blk[i]);
			blk[i] = NULL;
			live--;
			frees++;
		}
	}
	uint32_t sum = 0;
	for (int i = 0; i < SLOTS; i++)
		if (blk[i]) {
			bad += !check(i);
			sum = sum * 31 + len[i] + (len[i] ? blk[i][len[i] / 2] : 0);
			free(blk[i]);
		}
	printf("allocs %d reallocs %d frees %d live %d bytes %llu\n", allocs, reallocs, frees, live,
	       (unsigned long long)bytes);
	printf("sum %08x bad %d\n", sum, bad);

	/* aligned allocation */
	int misaligned = 0;
	for (int a = 8; a <= 4096; a *= 2) {
		void *p = aligned_alloc(a, a * 3);
		misaligned += ((uintptr_t)p & (a - 1)) != 0;
		memset(p, a, a * 3);
		free(p);
	}
	printf("misaligned %d\n", misaligned);

	/* One large block, from mmap2. */
	uint32_t *big = calloc(1 << 20, 4);
	uint32_t bsum = 0;
	for (int i = 0; i < 1 << 20; i++)
		big[i] = i * 2654435761u;
	for (int i = 0; i < 1 << 20; i += 4099)
		bsum += big[i];
	printf("big %08x\n", bsum);
	return 0;
}
