/*
 * vx_forkonce.c — a host fork while another thread makes the process's
 * first sandbox, inside its one-time set-up (the signal handlers'; on
 * the compat engine the blob's and the state selector's follow): the
 * child's own first sandbox must not wait for ever on the set-up's
 * lock, which a thread the child does not have held at the fork.  The
 * set-up is slowed where it first calls sigaction (this program's
 * sigaction, which libvx's calls reach) so the fork lands inside it
 * every time.  Without the fix the child hung until its alarm.  Run
 * once per engine by tests/engine_unit.t.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include "tap.h"
#include "vxpriv.h"

enum { MEM = 16 << 20 };

extern int __sigaction(int, const struct sigaction *, struct sigaction *);

static atomic_int inside;

/* libvx's sigaction: the first change waits a while, the fork meanwhile */
int
sigaction(int sig, const struct sigaction *sa, struct sigaction *old)
{
	if(sa != NULL && atomic_exchange(&inside, 1) == 0)
		usleep(300 * 1000);
	return __sigaction(sig, sa, old);
}

static void *
maker(void *arg)
{
	char err[VX_ERRLEN];
	Vx *v;

	(void)arg;
	v = vx_new(MEM, err);
	if(v == NULL){
		diag("vx_new: %s", err);
		return NULL;
	}
	vx_free(v);
	return arg == NULL ? (void *)1 : NULL;
}

int
main(void)
{
	char err[VX_ERRLEN];
	pthread_t th;
	void *made;
	pid_t kid;
	int st;
	Vx *v;

	plan(2);
	if(pthread_create(&th, NULL, maker, NULL) != 0)
		skip_all("no thread");
	while(!atomic_load(&inside))
		usleep(1000);
	kid = fork();
	if(kid == 0){
		alarm(20);
		v = vx_new(MEM, err);
		_exit(v != NULL ? 0 : 1);
	}
	st = -1;
	if(kid > 0)
		waitpid(kid, &st, 0);
	ok(kid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		"a child forked inside the first sandbox's set-up makes a sandbox of its own (status %#x)", st);
	pthread_join(th, &made);
	ok(made != NULL, "the first sandbox was made");
	return 0;
}
