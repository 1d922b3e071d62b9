/*
 * guest_eventfd.c — eventfd's counter, semaphore mode, non-blocking
 * EAGAIN, blocking reads woken by a thread, a child and a signal, poll,
 * select and epoll readiness (not writable at the greatest count, a
 * reader's read ending a wait to write), bad sizes and overflow,
 * nothing left once a child that held it has exited and the parent
 * closed it.  Its output must be the same natively and under vxinferno
 * (tests/vxinferno_eventfd.t).
 * "orphan": exit leaving a forked child that holds an eventfd and an
 * epoll still running (the host then exits under it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Open fds numbered 1024 or more, which a program here never has (the
 * limit): under vxinferno an eventfd's hidden doorbell would be one. */
static int
hiddenfds(void)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	d = opendir("/dev/fd");
	if(d == NULL)
		d = opendir("/proc/self/fd");	/* a root without /dev/fd (compatvm's) */
	if(d == NULL)
		return -1;
	while((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' && atoi(e->d_name) >= 1024;
	closedir(d);
	return n;
}

static const char *
err(long r)
{
	return r < 0 ? strerror(errno) : "ok";
}

static void
put(int fd, uint64_t v)
{
	long r = write(fd, &v, 8);
	printf("write %llu: %ld %s\n", (unsigned long long)v, r, err(r));
}

static void
get(int fd)
{
	uint64_t v = 0;
	long r = read(fd, &v, 8);
	printf("read: %ld %s %llu\n", r, err(r), r == 8 ? (unsigned long long)v : 0ULL);
}

/* concurrent sides only record what they saw, so the lines' order is fixed */
static long tres;
static uint64_t tval;

static void *
writer(void *a)
{
	uint64_t v = 5;

	nap(150);
	tres = write(*(int *)a, &v, 8);
	return NULL;
}

static void *
reader(void *a)
{
	nap(150);
	tres = read(*(int *)a, &tval, 8);
	return NULL;
}

static void
onalarm(int s)
{
	(void)s;
}

/* The parent exits at once; the child, which shares its eventfd and
 * epoll, outlives it. */
static int
orphan(void)
{
	int fd, ep;

	fd = eventfd(1, 0);
	ep = epoll_create1(0);
	if(fd < 0 || ep < 0)
		return 1;
	if(fork() == 0){
		sleep(30);
		_exit(0);
	}
	printf("the parent exits, its child still running\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct epoll_event ev, out[4];
	struct sigaction sa;
	struct itimerval it;
	struct pollfd pf;
	struct timeval tv;
	pthread_t th;
	fd_set rs, ws;
	uint64_t v;
	uint32_t small;
	int fd, fd2, ep, st, n;
	pid_t pid;
	long r;

	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc > 1 && strcmp(argv[1], "orphan") == 0)
		return orphan();
	printf("-- counter\n");
	fd = eventfd(0, 0);
	printf("eventfd: %s\n", err(fd));
	put(fd, 3);
	put(fd, 4);
	get(fd);
	printf("flags: nonblock %d cloexec %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	get(fd);
	put(fd, 0);
	get(fd);

	printf("-- sizes\n");
	r = read(fd, &small, 4);
	printf("read 4: %ld %s\n", r, err(r));
	r = write(fd, &small, 4);
	printf("write 4: %ld %s\n", r, err(r));
	{
		uint64_t big[2] = { 6, 7 };
		r = write(fd, big, 16);
		printf("write 16: %ld %s\n", r, err(r));
		big[0] = big[1] = 0;
		r = read(fd, big, 16);
		printf("read 16: %ld %s %llu %llu\n", r, err(r), (unsigned long long)big[0], (unsigned long long)big[1]);
	}
	put(fd, ~0ULL);
	r = syscall(SYS_eventfd2, 0, 0x40);
	printf("bad flags: %ld %s\n", r, err(r));

	printf("-- overflow\n");
	put(fd, 0xfffffffffffffffeULL);
	put(fd, 1);
	pf.fd = fd;
	pf.events = POLLIN | POLLOUT;
	n = poll(&pf, 1, 0);
	printf("poll full: %d revents %#x\n", n, pf.revents);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(fd, &rs);
	FD_SET(fd, &ws);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	n = select(fd + 1, &rs, &ws, NULL, &tv);
	printf("select full: %d r %d w %d\n", n, FD_ISSET(fd, &rs) != 0, FD_ISSET(fd, &ws) != 0);
	ep = epoll_create1(0);
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLOUT;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	n = epoll_wait(ep, out, 4, 0);
	printf("epoll full, EPOLLOUT: %d\n", n);
	/* a reader makes it writable again: a wait for that ends */
	tres = 0;
	pthread_create(&th, NULL, reader, &fd);
	pf.events = POLLOUT;
	n = poll(&pf, 1, 10000);
	printf("poll full, a reader: %d revents %#x\n", n, pf.revents);
	pthread_join(th, NULL);
	printf("reader: %ld %llu\n", tres, (unsigned long long)tval);
	n = epoll_wait(ep, out, 4, 0);
	printf("epoll emptied, EPOLLOUT: %d events %#x\n", n, n > 0 ? out[0].events : 0);
	close(ep);
	put(fd, 1);
	get(fd);
	close(fd);

	printf("-- semaphore\n");
	fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	printf("flags: nonblock %d cloexec %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	get(fd);
	get(fd);
	put(fd, 2);
	get(fd);
	get(fd);
	get(fd);
	get(fd);
	close(fd);

	printf("-- poll, select, epoll\n");
	fd = eventfd(0, EFD_NONBLOCK);
	pf.fd = fd;
	pf.events = POLLIN | POLLOUT;
	pf.revents = 0;
	n = poll(&pf, 1, 0);
	printf("poll empty: %d revents %#x\n", n, pf.revents);
	put(fd, 1);
	n = poll(&pf, 1, 0);
	printf("poll set: %d revents %#x\n", n, pf.revents);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(fd, &rs);
	FD_SET(fd, &ws);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	n = select(fd + 1, &rs, &ws, NULL, &tv);
	printf("select set: %d r %d w %d\n", n, FD_ISSET(fd, &rs) != 0, FD_ISSET(fd, &ws) != 0);
	get(fd);
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	n = select(fd + 1, &rs, NULL, NULL, &tv);
	printf("select empty: %d\n", n);
	ep = epoll_create1(0);
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u64 = 42;
	r = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	printf("epoll_ctl: %s\n", err(r));
	n = epoll_wait(ep, out, 4, 0);
	printf("epoll empty: %d\n", n);
	put(fd, 2);
	n = epoll_wait(ep, out, 4, 0);
	printf("epoll set: %d events %#x data %llu\n", n, n > 0 ? out[0].events : 0, n > 0 ? (unsigned long long)out[0].data.u64 : 0ULL);
	get(fd);
	close(ep);

	printf("-- dup and fork share the counter\n");
	fd2 = dup(fd);
	put(fd2, 11);
	get(fd);
	close(fd2);
	close(fd);
	fd = eventfd(0, 0);
	pid = fork();
	if(pid == 0){
		nap(150);
		v = 9;
		_exit(write(fd, &v, 8) == 8 ? 0 : 1);
	}
	get(fd);	/* blocks until the child writes */
	waitpid(pid, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	pid = fork();
	if(pid == 0){
		v = 0;		/* the child waits for the parent */
		_exit(read(fd, &v, 8) == 8 && v == 8 ? 3 : 1);
	}
	nap(150);
	put(fd, 8);
	waitpid(pid, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	printf("-- a thread wakes a blocked read\n");
	pthread_create(&th, NULL, writer, &fd);
	get(fd);
	pthread_join(th, NULL);
	printf("writer: %ld\n", tres);

	printf("-- a signal interrupts a blocked read\n");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 100000;
	setitimer(ITIMER_REAL, &it, NULL);
	v = 0;
	r = read(fd, &v, 8);
	printf("read: %ld %s\n", r, err(r));
	put(fd, 1);
	get(fd);

	printf("-- a write at the maximum waits for a reader\n");
	put(fd, 0xfffffffffffffffeULL);
	pthread_create(&th, NULL, reader, &fd);
	put(fd, 1);
	pthread_join(th, NULL);
	printf("reader: %ld %llu\n", tres, (unsigned long long)tval);
	get(fd);

	printf("-- epoll_pwait's mask\n");
	{
		sigset_t blk, none, now;

		sigemptyset(&blk);
		sigaddset(&blk, SIGALRM);
		sigemptyset(&none);
		sigprocmask(SIG_BLOCK, &blk, NULL);
		ep = epoll_create1(EPOLL_CLOEXEC);
		ev.events = EPOLLIN;
		ev.data.u64 = 7;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		setitimer(ITIMER_REAL, &it, NULL);
		n = epoll_pwait(ep, out, 4, 2000, &none);
		printf("epoll_pwait, SIGALRM unblocked: %d %s\n", n, err(n));
		sigprocmask(SIG_BLOCK, NULL, &now);
		printf("blocked again after: %d\n", sigismember(&now, SIGALRM));
		setitimer(ITIMER_REAL, &it, NULL);
		n = epoll_pwait(ep, out, 4, 300, &blk);
		printf("epoll_pwait, SIGALRM blocked: %d %s\n", n, err(n));
		sigprocmask(SIG_UNBLOCK, &blk, NULL);
		close(ep);
	}
	close(fd);
	r = write(fd, &v, 8);
	printf("closed: %ld %s\n", r, err(r));

	/* a child that exits holding the eventfd (and an epoll) drops its
	 * share: once the parent closes it, nothing of it is left */
	fd = eventfd(1, 0);
	ep = epoll_create1(0);
	if(fork() == 0)
		_exit(0);
	wait(NULL);
	close(ep);
	close(fd);
	printf("hidden fds after a child exited and close: %d\n", hiddenfds());
	return 0;
}
