/*
 * chase.c — benchmark: pointer chasing through a 16 MiB array holding one
 * random cycle over all its 4M slots (Sattolo's shuffle), so every load
 * depends on the one before and misses the caches.  Measures memory
 * latency: a sandbox adds nothing here unless it slows data accesses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 4 << 20, STEPS = 3000017 };

int
main(void)
{
	uint32_t *next = malloc(N * sizeof *next), x = 123456789u;

	if(next == NULL){
		fprintf(stderr, "chase: out of memory\n");
		return 1;
	}
	for(uint32_t i = 0; i < N; i++)
		next[i] = i;
	for(uint32_t i = N - 1; i > 0; i--) {	/* Sattolo: one cycle of length N */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		uint32_t j = x % i, t = next[i];
		next[i] = next[j];
		next[j] = t;
	}
	uint32_t p = 0, sum = 0;
	for(uint32_t s = 0; s < STEPS; s++){
		p = next[p];
		sum = (sum ^ p) * 16777619u;
	}
	printf("chase %u steps at %u sum %08x\n", (unsigned)STEPS, p, sum);
	return 0;
}
