/* guest_tcwarm — a program that turns warm (libvx's return table: about
 * a million rets, then the warming flush) and goes on with code it had
 * not run before, in itself and in a child forked after the flush, for
 * tests/vxinferno_tcache.t: the cache keeps the warm form's translations
 * apart (tcache.c, vx_tcwarm), so a warm run of the cache translates
 * neither the code before the flush nor the code after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CALLS = 1500000 };

__attribute__((noinline)) static unsigned
step(unsigned x)
{
	return x * 1103515245u + 12345u;
}

static int
bycount(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* code first run after the flush: formatting, sorting, parsing */
static void
after(const char *who, unsigned seed)
{
	unsigned v[64];
	char buf[128], tok[128], *p;
	double d = 0;
	int i;

	for(i = 0; i < 64; i++)
		v[i] = seed = step(seed) >> 8;
	qsort(v, 64, sizeof v[0], bycount);
	snprintf(buf, sizeof buf, "%u %u %.3f %x", v[0], v[63], v[31] / 7.0, v[17]);
	strcpy(tok, buf);
	for(p = strtok(tok, " "); p != NULL; p = strtok(NULL, " "))
		d += strtod(p, NULL);
	printf("%s: %s %.1f\n", who, buf, d);
}

int
main(void)
{
	unsigned s = 1;
	pid_t pid;
	int i, st;

	for(i = 0; i < CALLS; i++)
		s = step(s);
	printf("stepped %u\n", s);
	fflush(stdout);
	after("parent", s);
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		after("child", s + 1);
		fflush(stdout);
		_exit(0);
	}
	if(pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	after("parent again", s + 2);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}
