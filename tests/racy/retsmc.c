/*
 * retsmc.c — a guest races its own returns against its own code writes:
 * one thread returns, a million times and more (so that a long-engine
 * Vx uses its own return table), into code in a page that the other
 * thread rewrites meanwhile (mov $imm,%eax; ret, the immediate flipped
 * between two values whose bytes are all alike), and into code it
 * then rewrites itself.  Every value a return brings back must be one
 * the code held (a torn immediate shows as mixed bytes); a stale
 * translation the table still led to would bring back the old value
 * after the thread's own rewrite.  Prints "ok" and exits 0.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "../guest/retto.h"

enum { ROUNDS = 3000, PER = 400 };
static unsigned char *page;
static volatile int done;

static void
emit(unsigned char *p, uint32_t v)
{
	p[0] = 0xb8;
	memcpy(p + 1, &v, 4);
	p[5] = 0xc3;
}

static int
alike(uint32_t v, uint8_t a, uint8_t b)
{
	int i;

	for(i = 0; i < 4; i++, v >>= 8)
		if((v & 0xff) != a && (v & 0xff) != b)
			return 0;
	return 1;
}

static void *
flipper(void *arg)
{
	uint32_t v = 0x22222222;

	(void)arg;
	while(!done){
		memcpy(page + 1, &v, 4);
		v ^= 0x22222222 ^ 0x33333333;
	}
	return NULL;
}

int
main(void)
{
	pthread_t t;
	uint32_t v;
	int i, j, bad = 0;

	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(page == MAP_FAILED)
		return 1;
	emit(page, 0x22222222);
	emit(page + 4096 + 64, 1);
	retwarm();
	pthread_create(&t, NULL, flipper, NULL);
	for(i = 0; i < ROUNDS; i++){
		for(j = 0; j < PER; j++){
			v = retto(page);
			if(!alike(v, 0x22, 0x33) && bad++ < 5)
				printf("torn or stale: %#x\n", v);
		}
		/* a page only this thread writes: its own rewrite must show */
		emit(page + 4096 + 64, (uint32_t)i + 2);
		if((v = retto(page + 4096 + 64)) != (uint32_t)i + 2 && bad++ < 5)
			printf("stale after a rewrite: %u, want %u\n", v, i + 2);
	}
	done = 1;
	pthread_join(t, NULL);
	printf(bad ? "bad\n" : "ok\n");
	return bad != 0;
}
