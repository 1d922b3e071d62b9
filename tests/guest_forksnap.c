/*
 * guest_forksnap.c — a fork while another thread stores: the child's
 * memory is of one moment.  The writer stores lo and then hi, 32 MiB
 * above it, each round; a child that finds hi newer than lo saw a later
 * store and missed an earlier one (a fork that copies page by page
 * while the writer runs).  Linux's children never do.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Gap = 32 << 20, Forks = 20 };
static volatile unsigned *lo, *hi;
static volatile int stop;

static void *
writer(void *a)
{
	unsigned i;

	(void)a;
	for(i = 1; !stop; i++){
		*lo = i;
		*hi = i;
	}
	return NULL;
}

int
main(void)
{
	char *mem;
	pthread_t w;
	int k, torn, st;
	pid_t p;

	mem = malloc(Gap + 8192);
	if(mem == NULL)
		return 2;
	memset(mem, 1, Gap + 8192);	/* every page between present: a long copy */
	lo = (unsigned*)mem;
	hi = (unsigned*)(mem + Gap + 4096);
	pthread_create(&w, NULL, writer, NULL);
	while(*hi == 0x01010101)
		;
	torn = 0;
	for(k = 0; k < Forks; k++){
		p = fork();
		if(p == 0)
			_exit(*hi > *lo);
		if(p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
			return 3;
		torn += WEXITSTATUS(st) != 0;
	}
	stop = 1;
	pthread_join(w, NULL);
	printf("children with a later store and not an earlier: %d of %d\n", torn, Forks);
	return torn != 0;
}
