/* guest_joinmt — tests/guest/join.c's blocks that stop inside others,
 * rewritten while another thread lives (each rewrite then drops every
 * translation of the process: vx_applysmc), by another thread while
 * this one waits, and in a fork's child (its copy alone changes);
 * tests/vxinferno_join.t runs it natively and as a guest, with and
 * without a persistent cache. */
#define main joinmain
#include "guest/join.c"
#undef main
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static int park[2];

static void *
parked(void *a)
{
	char c;

	(void)a;
	return read(park[0], &c, 1) < 0 ? NULL : a;
}

static void *
rewriter(void *a)
{
	m1[2] = (unsigned char)(uintptr_t)a;
	m2[2] = (unsigned char)(uintptr_t)a + 1;
	return NULL;
}

/* Another thread rewrites the targets of h1's and h2's joins. */
static void
byother(unsigned char v)
{
	pthread_t th;

	if(pthread_create(&th, NULL, rewriter, (void *)(uintptr_t)v) != 0 || pthread_join(th, NULL) != 0){
		printf("pthread\n");
		return;
	}
	run("h1", h1, v);
	run("h2", h2, v);
	run("t1", t1, v);
}

int
main(int argc, char **argv)
{
	pthread_t th;
	pid_t pid;
	int st;

	if(pipe(park) != 0 || pthread_create(&th, NULL, parked, NULL) != 0)
		return 1;
	/* every case with a second thread alive */
	if(joinmain(argc, argv) != 0)
		return 1;
	if(write(park[1], "x", 1) != 1 || pthread_join(th, NULL) != 0)
		return 1;

	/* one thread alone: the join's target page alone rewritten (the
	 * other thread gone, not every translation is dropped), then the
	 * rewrites by another thread */
	run("t2", t2, 0);
	run("h2", h2, 0);
	m2[2] = 60;
	run("h2", h2, 0);
	run("h1", h1, 0);
	byother(40);
	byother(41);

	/* a fork's child rewrites its copy; the parent's stays */
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		m1[2] = 50;
		m2[2] = 51;
		run("h1", h1, 1);
		run("t2", t2, 1);
		run("h2", h2, 1);
		m2[2] = 52;
		run("h2", h2, 1);
		fflush(stdout);
		_exit(0);
	}
	if(pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	run("h1", h1, 2);
	run("h2", h2, 2);
	return 0;
}
