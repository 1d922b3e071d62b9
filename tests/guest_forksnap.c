/*
 * guest_forksnap.c — a fork while another thread stores: the child's
 * memory is of one moment.  The writer stores lo and then hi, 32 MiB
 * above it, each round; a child that finds hi newer than lo saw a later
 * store and missed an earlier one (a fork that copies page by page
 * while the writer runs).  Linux's children never do.  Then three
 * threads fork at once beside the writer: none waits on another for
 * ever, and their children too see one moment.
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

/* Forks of the running process; the children that saw a torn moment. */
static int
forks(int n)
{
	int k, torn, st;
	pid_t p;

	torn = 0;
	for(k = 0; k < n; k++){
		p = fork();
		if(p == 0)
			_exit(*hi > *lo);
		if(p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
			return -1000;
		torn += WEXITSTATUS(st) != 0;
	}
	return torn;
}

static void *
forker(void *a)
{
	*(int*)a = forks(Forks / 2);
	return NULL;
}

int
main(void)
{
	char *mem;
	pthread_t w, f[3];
	int k, torn, ft[3];

	mem = malloc(Gap + 8192);
	if(mem == NULL)
		return 2;
	memset(mem, 1, Gap + 8192);	/* every page between present: a long copy */
	lo = (unsigned*)mem;
	hi = (unsigned*)(mem + Gap + 4096);
	pthread_create(&w, NULL, writer, NULL);
	while(*hi == 0x01010101)
		;
	torn = forks(Forks);
	printf("children with a later store and not an earlier: %d of %d\n", torn, Forks);
	for(k = 0; k < 3; k++)
		pthread_create(&f[k], NULL, forker, &ft[k]);
	for(k = 0; k < 3; k++){
		pthread_join(f[k], NULL);
		torn += ft[k];
	}
	printf("with three threads forking at once: %d of %d\n", ft[0] + ft[1] + ft[2], 3 * (Forks / 2));
	stop = 1;
	pthread_join(w, NULL);
	return torn != 0;
}
