/*
 * guest_intr.c — blocking calls and signals, readiness, timers and
 * process groups, printed so that a native run and a vxinferno run can
 * be compared line by line (tests/vxinferno_intr.t).
 *
 *	guest_intr		pipes, poll, select, alarm, setitimer, groups
 *	guest_intr cons		the console: stdin must be a pipe that stays
 *				empty until "read of stdin" is printed,
 *				then gives "hi\n" and stays open
 *
 * Times are only compared with generous bounds; pids never printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got, ngot;

static void
handler(int sig)
{
	got = sig;
	ngot++;
}

static void
catch(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	got = 0;
	ngot = 0;
}

static void
dfl(int sig)
{
	signal(sig, SIG_DFL);
}

static long
msnow(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A child that, after ms milliseconds, sends sig to us (if sig) and then
 * writes "x" to wfd (if wfd >= 0). */
static pid_t
later(int ms, int sig, int wfd)
{
	pid_t pid, parent;

	parent = getpid();
	fflush(stdout);
	pid = fork();
	if(pid != 0)
		return pid;
	msleep(ms);
	if(sig)
		kill(parent, sig);
	if(wfd >= 0){
		if(sig)
			msleep(100);
		if(write(wfd, "x", 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void
reap(pid_t pid)
{
	int st;

	while(waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* A child that sends sig to us every 100 ms until stopnag: a blocking
 * call it is to interrupt is interrupted however late we reach it (a
 * signal that comes before is only handled). */
static pid_t
nag(int sig)
{
	pid_t pid, parent;

	parent = getpid();
	fflush(stdout);
	pid = fork();
	if(pid != 0)
		return pid;
	for(;;){
		msleep(100);
		kill(parent, sig);
	}
}

/* A thread of ours that forks a child every 100 ms, which exits at
 * once, until stopchildnag: a SIGCHLD for a blocking call however late
 * we reach it (one child exiting 100 ms on came before the read when
 * the host was loaded, and the read then waited for ever).  The thread
 * blocks SIGCHLD, so that the calling thread takes it. */
static atomic_int childnagging;

static void *
childnagger(void *a)
{
	sigset_t chld;
	pid_t c;

	(void)a;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, NULL);
	while(atomic_load(&childnagging)){
		msleep(100);
		fflush(stdout);
		c = fork();
		if(c == 0)
			_exit(0);
		if(c > 0)
			reap(c);
	}
	return NULL;
}

static pthread_t
childnag(void)
{
	pthread_t th;

	atomic_store(&childnagging, 1);
	pthread_create(&th, NULL, childnagger, NULL);
	return th;
}

/* Stop the child nag, errno kept for ename. */
static void
stopchildnag(pthread_t th)
{
	int e;

	e = errno;
	atomic_store(&childnagging, 0);
	pthread_join(th, NULL);
	errno = e;
}

/* Stop and reap a nag, before anything is printed (no signal then
 * interrupts a write); errno is kept for ename. */
static void
stopnag(pid_t pid)
{
	int e;

	e = errno;
	kill(pid, SIGKILL);
	reap(pid);
	errno = e;
}

static const char *
ename(long r)
{
	if(r >= 0)
		return "ok";
	switch(errno){
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case EPERM: return "EPERM";
	case ESRCH: return "ESRCH";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	}
	return strerror(errno);
}

static void
pipes(void)
{
	char buf[4096];
	int p[2], n, fl;
	pid_t c;
	pthread_t th;
	long r;

	if(pipe(p) < 0)
		return;
	catch(SIGUSR1, 0);
	c = nag(SIGUSR1);
	r = read(p[0], buf, sizeof buf);
	stopnag(c);
	printf("read, handler without SA_RESTART: %ld %s handler %d\n", r, ename(r), got == SIGUSR1);

	catch(SIGUSR1, SA_RESTART);
	c = later(100, SIGUSR1, p[1]);
	r = read(p[0], buf, sizeof buf);
	printf("read, handler with SA_RESTART: %ld %s handler %d\n", r, ename(r), got == SIGUSR1);
	reap(c);

	fl = fcntl(p[0], F_GETFL);
	fcntl(p[0], F_SETFL, fl | O_NONBLOCK);
	r = read(p[0], buf, sizeof buf);
	printf("O_NONBLOCK read of an empty pipe: %ld %s\n", r, ename(r));
	fcntl(p[0], F_SETFL, fl);

	fl = fcntl(p[1], F_GETFL);
	fcntl(p[1], F_SETFL, fl | O_NONBLOCK);
	memset(buf, 'a', sizeof buf);
	for(n = 0; n < 1000 && (r = write(p[1], buf, sizeof buf)) == (long)sizeof buf; n++)
		;
	printf("O_NONBLOCK writes fill the pipe: %s\n", ename(r));
	fcntl(p[1], F_SETFL, fl);
	catch(SIGUSR1, 0);
	c = nag(SIGUSR1);
	r = write(p[1], buf, sizeof buf);
	stopnag(c);
	printf("write to a full pipe, handler: %ld %s handler %d\n", r, ename(r), got == SIGUSR1);
	close(p[0]);
	close(p[1]);

	if(pipe(p) < 0)
		return;
	catch(SIGCHLD, 0);
	th = childnag();
	r = read(p[0], buf, sizeof buf);
	stopchildnag(th);
	printf("read ended by SIGCHLD: %ld %s handler %d\n", r, ename(r), got == SIGCHLD);
	dfl(SIGCHLD);
	close(p[0]);
	close(p[1]);
	dfl(SIGUSR1);
}

static void
polls(void)
{
	struct pollfd pf[2];
	sigset_t none, usr1, old;
	struct timespec ts;
	char buf[16];
	int p[2], r;
	long t0;
	pid_t c;

	if(pipe(p) < 0)
		return;
	pf[0].fd = p[0];
	pf[0].events = POLLIN;
	t0 = msnow();
	r = poll(pf, 1, 150);
	printf("poll of an empty pipe times out: %d waited %d\n", r, msnow() - t0 >= 140);

	if(write(p[1], "ab", 2) != 2)
		return;
	pf[1].fd = p[1];
	pf[1].events = POLLOUT;
	r = poll(pf, 2, -1);
	printf("poll with data: %d revents %#x %#x\n", r, pf[0].revents, pf[1].revents);
	if(read(p[0], buf, sizeof buf) != 2)
		return;

	c = later(100, 0, p[1]);
	t0 = msnow();
	r = poll(pf, 1, -1);
	printf("poll woken by a write: %d revents %#x quick %d\n", r, pf[0].revents, msnow() - t0 < 5000);
	reap(c);
	if(read(p[0], buf, sizeof buf) != 1)
		return;

	catch(SIGUSR1, SA_RESTART);
	c = nag(SIGUSR1);
	r = poll(pf, 1, -1);
	stopnag(c);
	printf("poll ended by a signal (even with SA_RESTART): %d %s handler %d\n", r, ename(r), got == SIGUSR1);

	/* ppoll's mask is in force only while it waits */
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	catch(SIGUSR1, 0);
	c = later(100, SIGUSR1, -1);
	r = ppoll(pf, 1, NULL, &none);
	sigprocmask(SIG_BLOCK, NULL, &old);
	printf("ppoll unblocks for its wait: %d %s handler %d blocked again %d\n", r, ename(r), got == SIGUSR1, sigismember(&old, SIGUSR1));
	reap(c);
	ts.tv_sec = 0;
	ts.tv_nsec = 50000000;
	r = ppoll(pf, 1, &ts, &none);
	printf("ppoll timeout: %d\n", r);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);

	if(write(p[1], "z", 1) != 1)
		return;
	close(p[1]);
	pf[0].revents = 0;
	r = poll(pf, 1, 0);
	printf("poll, data and writer gone: %d revents %#x\n", r, pf[0].revents);
	if(read(p[0], buf, sizeof buf) != 1)
		return;
	r = poll(pf, 1, 0);
	printf("poll, writer gone: %d revents %#x\n", r, pf[0].revents);
	close(p[0]);

	if(pipe(p) < 0)
		return;
	close(p[0]);
	pf[0].fd = p[1];
	pf[0].events = POLLOUT;
	r = poll(pf, 1, 0);
	printf("poll, reader gone: %d revents %#x\n", r, pf[0].revents);
	close(p[1]);

	pf[0].fd = 1000;
	pf[0].events = POLLIN;
	pf[1].fd = -1;
	pf[1].events = POLLIN;
	r = poll(pf, 2, 0);
	printf("poll, a closed fd and a negative one: %d revents %#x %#x\n", r, pf[0].revents, pf[1].revents);
	t0 = msnow();
	r = poll(NULL, 0, 100);
	printf("poll of nothing sleeps: %d waited %d\n", r, msnow() - t0 >= 90);
	dfl(SIGUSR1);
}

static void
selects(void)
{
	struct timeval tv;
	sigset_t none, usr1, old;
	fd_set rd, wr;
	char buf[16];
	int p[2], r;
	long t0;
	pid_t c;

	if(pipe(p) < 0)
		return;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv.tv_sec = 0;
	tv.tv_usec = 150000;
	t0 = msnow();
	r = select(p[0] + 1, &rd, NULL, NULL, &tv);
	printf("select on an empty pipe times out: %d set %d waited %d\n", r, FD_ISSET(p[0], &rd), msnow() - t0 >= 140);

	c = later(100, 0, p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_ZERO(&wr);
	r = select(p[0] + 1, &rd, &wr, NULL, NULL);
	printf("select woken by a write: %d set %d\n", r, FD_ISSET(p[0], &rd));
	reap(c);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	FD_SET(p[0], &rd);
	r = select(p[1] + 1, &rd, &wr, NULL, NULL);
	printf("select, readable and writable: %d %d %d\n", r, FD_ISSET(p[0], &rd), FD_ISSET(p[1], &wr));
	if(read(p[0], buf, sizeof buf) != 1)
		return;

	catch(SIGUSR1, 0);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	c = nag(SIGUSR1);
	r = select(p[0] + 1, &rd, NULL, NULL, NULL);
	stopnag(c);
	printf("select ended by a signal: %d %s handler %d\n", r, ename(r), got == SIGUSR1);

	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	catch(SIGUSR1, 0);
	c = later(100, SIGUSR1, -1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	r = pselect(p[0] + 1, &rd, NULL, NULL, NULL, &none);
	sigprocmask(SIG_BLOCK, NULL, &old);
	printf("pselect unblocks for its wait: %d %s handler %d blocked again %d\n", r, ename(r), got == SIGUSR1, sigismember(&old, SIGUSR1));
	reap(c);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);

	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	r = select(p[0] + 1, &rd, NULL, NULL, NULL);
	printf("select, writer gone: %d set %d\n", r, FD_ISSET(p[0], &rd));
	FD_ZERO(&rd);
	FD_SET(p[1], &rd);
	r = select(p[1] + 1, &rd, NULL, NULL, NULL);
	printf("select of a closed fd: %d %s\n", r, ename(r));
	close(p[0]);
	dfl(SIGUSR1);
}

static void
timers(void)
{
	struct itimerval it, old;
	char buf[16];
	int p[2], i;
	long r;

	if(pipe(p) < 0)
		return;
	catch(SIGALRM, 0);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 100000;
	setitimer(ITIMER_REAL, &it, NULL);
	r = read(p[0], buf, sizeof buf);
	printf("setitimer ends a blocked read: %ld %s handler %d\n", r, ename(r), got == SIGALRM);

	alarm(5);
	r = alarm(0);
	printf("alarm(0) after alarm(5): %ld\n", r);
	printf("alarm(0) again: %u\n", alarm(0));

	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = 2;
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &old);
	printf("getitimer: between 1 and 2 s left %d\n", old.it_value.tv_sec * 1000000 + old.it_value.tv_usec > 1000000 && old.it_value.tv_sec <= 2);
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, &old);
	printf("setitimer returns the old value: %d\n", old.it_value.tv_sec >= 1);
	getitimer(ITIMER_REAL, &old);
	printf("disarmed: %ld %ld\n", (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);

	catch(SIGALRM, 0);
	it.it_value.tv_usec = 30000;
	it.it_interval.tv_usec = 30000;
	setitimer(ITIMER_REAL, &it, NULL);
	for(i = 0; i < 100 && ngot < 3; i++)
		pause();
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	printf("an interval timer repeats: %d\n", ngot >= 3);

	catch(SIGALRM, 0);
	alarm(1);
	r = read(p[0], buf, sizeof buf);
	printf("alarm ends a blocked read: %ld %s handler %d\n", r, ename(r), got == SIGALRM);
	close(p[0]);
	close(p[1]);
	dfl(SIGALRM);
}

static void
groups(void)
{
	int st, r, ready[2];
	pid_t c, g;

	fflush(stdout);
	c = fork();
	if(c == 0){
		/* a child is not a group leader, so it may start a session */
		pid_t me = getpid();
		r = setsid();
		printf("setsid in a child: %d\n", r == me);
		printf("it leads session and group: %d %d %d\n", getsid(0) == me, getpgrp() == me, getpgid(0) == me);
		r = setpgid(0, 0);
		printf("a session leader cannot change group: %d %s\n", r, ename(r));
		fflush(stdout);
		_exit(0);
	}
	reap(c);

	c = fork();
	if(c == 0){
		pause();
		_exit(0);
	}
	r = setpgid(c, c);
	printf("setpgid of a child: %d pgid is its pid %d\n", r, getpgid(c) == c);
	printf("the parent's group is unchanged: %d\n", getpgid(0) == getpgrp() && getpgrp() != c);
	fflush(stdout);
	if(pipe(ready) < 0)
		return;
	g = fork();
	if(g == 0){
		r = setpgid(0, c);
		printf("join a group of the session: %d %d\n", r, getpgrp() == c);
		fflush(stdout);
		if(write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	while(read(ready[0], &st, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	close(ready[1]);
	r = kill(-c, SIGTERM);
	printf("kill of a group: %d\n", r);
	waitpid(c, &st, 0);
	printf("first member: signaled %d by %d\n", WIFSIGNALED(st), WTERMSIG(st));
	waitpid(g, &st, 0);
	printf("second member: signaled %d by %d\n", WIFSIGNALED(st), WTERMSIG(st));
	r = getpgid(0x7ffffff0);
	printf("getpgid of nobody: %d %s\n", r, ename(r));
	r = setpgid(0, 0x7ffffff0);
	printf("setpgid into no group: %d %s\n", r, ename(r));
	r = kill(-0x7ffffff0, 0);
	printf("kill of no group: %d %s\n", r, ename(r));
}

/* stdin: empty for about a second, then "hi\n" */
static void
console(void)
{
	struct pollfd pf;
	char buf[64];
	long r;
	pid_t c;

	pf.fd = 0;
	pf.events = POLLIN;
	r = poll(&pf, 1, 100);
	printf("poll of quiet stdin times out: %ld\n", r);
	catch(SIGUSR1, 0);
	c = nag(SIGUSR1);
	r = read(0, buf, sizeof buf);
	stopnag(c);
	/* the test gives input once it sees this line */
	printf("read of stdin, handler: %ld %s handler %d\n", r, ename(r), got == SIGUSR1);
	r = poll(&pf, 1, 60000);
	printf("poll of stdin wakes on input: %ld revents %#x\n", r, pf.revents);
	r = read(0, buf, sizeof buf);
	printf("then it reads: %ld %.*s", r, (int)(r > 0 ? r : 0), buf);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "cons") == 0){
		console();
		return 0;
	}
	pipes();
	polls();
	selects();
	timers();
	groups();
	return 0;
}
