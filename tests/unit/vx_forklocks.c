/*
 * vx_forklocks.c — a host fork (an embedder's, or the compat probe's)
 * while another thread makes, pokes, forks and frees sandboxes and a
 * third asks CPUID: the child, with those threads gone, does the same
 * once.  A lock of libvx's that another thread held at the fork stayed
 * held in the child for ever (the /proc/self descriptors', the spare
 * page arrays', the sandbox list's, the CPUID memo's, on compat the
 * LDT's); every child must end.  Without the fix, 8 children of 300
 * hung on the descriptors' lock (the poking thread alone) and nearly
 * every child on the memo's (with the asker); on the compat engine (in
 * the compat VM) 3 of 113 on the LDT's.  Run once per engine by
 * tests/engine_unit.t.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include "tap.h"
#include "vxpriv.h"

enum {
	MEM = 16 << 20,
	PAGE = 0x10000,
	FORKS = 200,
};

static atomic_int stop;

/* A sandbox made, a page poked (the /proc/self/mem descriptor), forked
 * (pagemap) and both freed, and CPUID asked as a guest's cpuid does:
 * 0, or the step that failed. */
static int
cycle(void)
{
	char err[VX_ERRLEN];
	uint32_t id[4];
	Vx *v, *c;
	int r;

	vx_cpuid(0, 0, id);
	v = vx_new(MEM, err);
	if(v == NULL)
		return 1;
	r = 0;
	if(vx_map(v, PAGE, 0x1000, VX_PROT_READ) < 0)
		r = 2;
	else if(vx_poke(v, PAGE, "fork", 4) < 0)
		r = 3;
	else if((c = vx_fork(v, err)) == NULL)
		r = 4;
	else
		vx_free(c);
	vx_free(v);
	return r;
}

/* Mostly pokes, whose lock's window is widest; now and then the whole
 * cycle. */
static void *
worker(void *arg)
{
	char err[VX_ERRLEN];
	Vx *v;
	int i;

	(void)arg;
	v = vx_new(MEM, err);
	if(v == NULL || vx_map(v, PAGE, 0x1000, VX_PROT_READ) < 0)
		return NULL;
	while(!atomic_load(&stop)){
		for(i = 0; i < 200; i++)
			vx_poke(v, PAGE, "poke", 4);
		cycle();
	}
	vx_free(v);
	return NULL;
}

/* CPUID's memo, as guests' cpuid instructions ask it */
static void *
asker(void *arg)
{
	uint32_t id[4];

	(void)arg;
	while(!atomic_load(&stop))
		vx_cpuid(0, 0, id);
	return NULL;
}

int
main(void)
{
	pthread_t th, th2;
	int i, st, hung, failed, r;
	pid_t pid;

	r = cycle();
	if(r != 0){
		ok(0, "a sandbox made, poked and forked (step %d failed)", r);
		return done_testing();
	}
	if(pthread_create(&th, NULL, worker, NULL) != 0 || pthread_create(&th2, NULL, asker, NULL) != 0)
		return ok(0, "threads"), done_testing();
	hung = failed = 0;
	for(i = 0; i < FORKS; i++){
		pid = fork();
		if(pid == 0){
			alarm(10);
			_exit(cycle());
		}
		if(pid < 0 || waitpid(pid, &st, 0) != pid){
			failed++;
			break;
		}
		if(WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM){
			if(++hung == 3)
				break;	/* enough: each cost 10 s */
		}
		else if(!WIFEXITED(st) || WEXITSTATUS(st) != 0){
			if(failed++ == 0)
				diag("child %d: status %#x", i, st);
		}
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	pthread_join(th2, NULL);
	is(hung, 0, "%d host forks beside threads working in libvx: no child hangs on a lock", i < FORKS ? i + 1 : FORKS);
	is(failed, 0, "and each child made, poked, forked and freed a sandbox");
	return done_testing();
}
