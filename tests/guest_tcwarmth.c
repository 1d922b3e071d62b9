/* guest_tcwarmth — threads and a fork around the warming flush (libvx's
 * return table: about a million rets, then the Vx moves to the warm
 * form's cache object, tcache.c's vx_tcwarm), for
 * tests/vxinferno_tcwarm.t: two threads warm at once while the main
 * thread translates; the main thread warms and then makes a thread,
 * which starts cold and warms; a fork of the warm main thread makes a
 * thread.  Each prints what it computed, as natively. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CALLS = 1500000, TCALLS = 1200000 };

__attribute__((noinline)) static unsigned
step(unsigned x)
{
	return x * 1103515245u + 12345u;
}

__attribute__((noinline)) static unsigned
mix(unsigned x)
{
	return (x ^ (x >> 7)) * 2654435761u;
}

static unsigned (*volatile through)(unsigned) = mix;	/* an indirect call */

static int
bycount(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* formatting, sorting, parsing: code a thread runs first after it warmed */
static void
after(char *out, size_t n, unsigned seed)
{
	unsigned v[64];
	char buf[128], tok[128], *p, *save;
	double d = 0;
	int i;

	for(i = 0; i < 64; i++)
		v[i] = seed = through(step(seed)) >> 8;
	qsort(v, 64, sizeof v[0], bycount);
	snprintf(buf, sizeof buf, "%u %u %.3f %x", v[0], v[63], v[31] / 7.0, v[17]);
	strcpy(tok, buf);
	for(p = strtok_r(tok, " ", &save); p != NULL; p = strtok_r(NULL, " ", &save))
		d += strtod(p, NULL);
	snprintf(out, n, "%s %.1f", buf, d);
}

static char result[8][256];

static void *
worker(void *arg)
{
	unsigned s = (unsigned)(uintptr_t)arg;
	int i, k = s & 7;

	for(i = 0; i < TCALLS; i++)
		s = (i & 1) ? step(s) : through(s);
	after(result[k], sizeof result[k], s);
	return result[k];
}

int
main(void)
{
	pthread_t t[4];
	unsigned s = 1;
	char out[256];
	void *r;
	int i, st;
	pid_t pid;

	pthread_create(&t[0], NULL, worker, (void *)1);
	pthread_create(&t[1], NULL, worker, (void *)2);
	for(i = 0; i < 200; i++){
		after(out, sizeof out, s + i);
		s += out[0];
	}
	pthread_join(t[0], &r);
	printf("thread 1: %s\n", (char *)r);
	pthread_join(t[1], &r);
	printf("thread 2: %s\n", (char *)r);
	printf("main: %u\n", s);
	for(i = 0; i < CALLS; i++)
		s = step(s);
	pthread_create(&t[2], NULL, worker, (void *)3);
	after(out, sizeof out, s);
	printf("main warm: %s\n", out);
	pthread_join(t[2], &r);
	printf("thread 3: %s\n", (char *)r);
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		pthread_create(&t[3], NULL, worker, (void *)4);
		after(out, sizeof out, s + 9);
		pthread_join(t[3], &r);
		printf("child: %s / %s\n", out, (char *)r);
		fflush(stdout);
		_exit(0);
	}
	if(pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}
