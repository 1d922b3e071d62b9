/*
 * guest_timers.c — timerfd, signalfd and POSIX timers: their errors,
 * expiry counts, readiness under poll, select and epoll, blocking reads
 * woken by time, by a child and by a signal, fork, dup, close and exec;
 * signalfd_siginfo records for kill, tgkill, sigqueue, SIGCHLD and a
 * timer; SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID and glibc's
 * SIGEV_THREAD, overruns, the CPU-time clock.  A signalfd's readiness
 * thread by thread; epolls inside poll, select and epoll (timerfds and
 * signalfds in them); a timerfd reset by another thread while a read or
 * poll waits on it; SIGEV_THREAD_ID at a thread that has ended; the
 * CPU-time clocks of the process and its threads, clock_nanosleep and
 * timers on them.  Its output must be the
 * same natively and under vxinferno (tests/vxinferno_timers.t), except
 * lines starting "vx:", which say what the reference may answer
 * otherwise (qemu-i386 gives timers ids of its own and has 32 of them).
 * Times are generous: a line says yes or no to a range, not a count.
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
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* 32-bit itimerspec, for the calls without _time64 */
struct its32 {
	int32_t isec, insec, vsec, vnsec;
};

static const char *
e(long r)
{
	return r < 0 ? strerror(errno) : "ok";
}

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long long
nowms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Block or unblock one signal (how: SIG_BLOCK, SIG_UNBLOCK); its set in *m. */
static void
maskone(int how, int sig, sigset_t *m)
{
	sigemptyset(m);
	sigaddset(m, sig);
	sigprocmask(how, m, NULL);
}

/* Open fds numbered 1024 or more (a doorbell's hidden end, if shown);
 * /proc/self/fd where there is no /dev/fd (compatvm's root). */
static int
hiddenfds(void)
{
	struct dirent *d;
	DIR *dir;
	int n = 0;

	dir = opendir("/dev/fd");
	if(dir == NULL)
		dir = opendir("/proc/self/fd");
	if(dir == NULL)
		return -1;
	while((d = readdir(dir)) != NULL)
		n += d->d_name[0] != '.' && atoi(d->d_name) >= 1024;
	closedir(dir);
	return n;
}

static void
arm(int fd, int flags, long vms, long ims)
{
	struct itimerspec its = { { ims / 1000, (ims % 1000) * 1000000L }, { vms / 1000, (vms % 1000) * 1000000L } };
	long r = timerfd_settime(fd, flags, &its, NULL);

	if(r < 0)
		printf("settime: %s\n", e(r));
}

static uint64_t
tread(int fd, long *r)
{
	uint64_t v = 0;

	*r = read(fd, &v, 8);
	return v;
}

static void
tfderrors(void)
{
	struct itimerspec its = { { 0, 0 }, { 1, 0 } };
	struct its32 i32 = { 0, 0, 1, 0 };
	int fd, p[2];
	long r;
	char b[8];

	r = timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0);
	printf("timerfd_create cputime clock: %ld %s\n", r, e(r));
	r = timerfd_create(99, 0);
	printf("timerfd_create clock 99: %ld %s\n", r, e(r));
	r = timerfd_create(CLOCK_MONOTONIC, 1);
	printf("timerfd_create bad flags: %ld %s\n", r, e(r));
	r = timerfd_create(CLOCK_REALTIME_ALARM, 0);
	printf("vx: timerfd_create REALTIME_ALARM: %s\n", e(r));	/* root's, where root has CAP_WAKE_ALARM */
	if(r >= 0)
		close(r);
	r = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
	printf("vx: timerfd_create BOOTTIME_ALARM: %s\n", e(r));
	if(r >= 0)
		close(r);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	printf("timerfd_create: %s cloexec %d nonblock %d\n", e(fd), fcntl(fd, F_GETFD) & FD_CLOEXEC,
		(fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	r = read(fd, b, 8);
	printf("read, not armed, nonblocking: %ld %s\n", r, e(r));
	r = read(fd, b, 4);
	printf("read of 4 bytes: %ld %s\n", r, e(r));
	r = write(fd, b, 8);
	printf("write: %ld %s\n", r, e(r));
	r = timerfd_settime(fd, 4, &its, NULL);
	printf("settime flags 4: %ld %s\n", r, e(r));
	its.it_value.tv_nsec = 1000000000;
	r = timerfd_settime(fd, 0, &its, NULL);
	printf("settime nsec 1e9: %ld %s\n", r, e(r));
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec = -1;
	r = timerfd_settime(fd, 0, &its, NULL);
	printf("settime sec -1: %ld %s\n", r, e(r));
	r = syscall(SYS_timerfd_settime, fd, 0, (void *)16, NULL);
	printf("settime new at 16: %ld %s\n", r, e(r));
	r = syscall(SYS_timerfd_settime, fd, 0, &i32, (void *)16);
	printf("settime old at 16: %ld %s\n", r, e(r));
	r = syscall(SYS_timerfd_gettime, fd, (void *)16);
	printf("gettime at 16: %ld %s\n", r, e(r));
	its.it_value.tv_sec = 1;
	pipe(p);
	r = timerfd_settime(p[0], 0, &its, NULL);
	printf("settime on a pipe: %ld %s\n", r, e(r));
	r = timerfd_settime(900, 0, &its, NULL);
	printf("settime on fd 900: %ld %s\n", r, e(r));
	r = timerfd_gettime(p[1], &its);
	printf("gettime on a pipe: %ld %s\n", r, e(r));
	close(p[0]);
	close(p[1]);
	p[0] = eventfd(0, 0);
	r = timerfd_gettime(p[0], &its);
	printf("gettime on an eventfd: %ld %s\n", r, e(r));
	close(p[0]);
	close(fd);
	r = read(fd, b, 8);
	printf("read after close: %ld %s\n", r, e(r));
}

static void
tfdtimes(void)
{
	struct itimerspec its, old;
	struct its32 i32;
	struct timespec now;
	struct pollfd pf;
	uint64_t v;
	long long t0;
	int fd;
	long r;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	arm(fd, 0, 300, 0);
	timerfd_gettime(fd, &its);
	printf("gettime armed 300 ms: value in (200, 300] ms %d, interval %ld.%09ld\n",
		its.it_value.tv_sec == 0 && its.it_value.tv_nsec > 200000000, (long)its.it_interval.tv_sec,
		its.it_interval.tv_nsec);
	pf.fd = fd;
	pf.events = POLLIN;
	r = poll(&pf, 1, 0);
	printf("poll before expiry: %ld revents %#x\n", r, pf.revents);
	t0 = nowms();
	r = poll(&pf, 1, 5000);
	printf("poll: %ld revents %#x, after 200 ms or more %d\n", r, pf.revents, nowms() - t0 >= 200);
	v = tread(fd, &r);
	printf("read: %ld %s %llu\n", r, e(r), (unsigned long long)v);
	timerfd_gettime(fd, &its);
	printf("gettime after a one-shot expiry: %ld.%09ld %ld.%09ld\n", (long)its.it_value.tv_sec,
		its.it_value.tv_nsec, (long)its.it_interval.tv_sec, its.it_interval.tv_nsec);
	v = tread(fd, &r);
	printf("read again: %ld %s\n", r, e(r));

	/* an interval: the expiries add up until read (at most one more
	 * than the 20 ms the read came after: a loaded host's nap lasts
	 * longer than 170 ms) */
	t0 = nowms();
	arm(fd, 0, 20, 20);
	nap(170);
	v = tread(fd, &r);
	printf("interval 20 ms, 170 ms later: %ld, count in [5, 9] %d\n", r, v >= 5 && v <= (unsigned long long)(nowms() - t0) / 20 + 1);
	memset(&old, 0, sizeof old);
	its = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
	timerfd_settime(fd, 0, &its, &old);
	printf("disarm, old interval %ld.%09ld, old value <= 20 ms %d\n", (long)old.it_interval.tv_sec,
		old.it_interval.tv_nsec, old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= 20000000);
	nap(50);
	v = tread(fd, &r);
	printf("read after disarm: %ld %s\n", r, e(r));

	/* absolute, in the past: one expiry and one per interval missed */
	clock_gettime(CLOCK_REALTIME, &now);
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	its = (struct itimerspec){ { 0, 100000000 }, { now.tv_sec - 1, now.tv_nsec } };
	r = timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
	printf("settime absolute, 1 s ago, every 100 ms: %ld %s\n", r, e(r));
	v = tread(fd, &r);
	printf("read: %ld, count 11 or 12 %d\n", r, v == 11 || v == 12);
	/* absolute in the future, through the 32-bit call */
	clock_gettime(CLOCK_REALTIME, &now);
	i32 = (struct its32){ 0, 0, now.tv_sec + 10, 0 };
	r = syscall(SYS_timerfd_settime, fd, TFD_TIMER_ABSTIME, &i32, &i32);
	printf("32-bit settime, old interval %d.%09d: %ld %s\n", i32.isec, i32.insec, r, e(r));
	r = syscall(SYS_timerfd_gettime, fd, &i32);
	printf("32-bit gettime: %ld, value in (9, 11] s %d\n", r, i32.vsec >= 9 && i32.vsec <= 10);
	close(fd);

	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	arm(fd, 0, 30, 0);
	t0 = nowms();
	v = tread(fd, &r);
	printf("blocking read, BOOTTIME 30 ms: %ld %llu, waited %d\n", r, (unsigned long long)v, nowms() - t0 >= 25);
	close(fd);
}

static void
tfdwaits(void)
{
	struct epoll_event ev, got[4];
	uint64_t v;
	fd_set rs;
	struct timeval tv;
	int fd, fd2, ep, st;
	pid_t pid;
	long r;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	arm(fd, 0, 40, 0);
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv = (struct timeval){ 5, 0 };
	r = select(fd + 1, &rs, NULL, NULL, &tv);
	printf("select: %ld set %d\n", r, FD_ISSET(fd, &rs) != 0);
	tread(fd, &r);

	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.u64 = 7;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	r = epoll_wait(ep, got, 4, 0);
	printf("epoll_wait, not armed: %ld\n", r);
	arm(fd, 0, 40, 60);
	r = epoll_wait(ep, got, 4, 5000);
	printf("epoll_wait: %ld events %#x data %llu\n", r, r > 0 ? got[0].events : 0,
		r > 0 ? (unsigned long long)got[0].data.u64 : 0);
	r = epoll_wait(ep, got, 4, 0);
	printf("epoll_wait, not read: %ld (level-triggered)\n", r);
	v = tread(fd, &r);
	r = epoll_wait(ep, got, 4, 0);
	printf("epoll_wait after read: %ld\n", r);
	r = epoll_wait(ep, got, 4, 5000);
	printf("epoll_wait, next interval: %ld\n", r);
	tread(fd, &r);

	/* dup: the same timer; fork: the child reads it too */
	fd2 = dup(fd);
	arm(fd2, 0, 30, 0);
	nap(60);
	v = tread(fd, &r);
	printf("armed through a dup, read through the original: %ld %llu\n", r, (unsigned long long)v);
	arm(fd, 0, 50, 0);
	pid = fork();
	if(pid == 0){
		struct pollfd pf = { fd2, POLLIN, 0 };

		r = poll(&pf, 1, 5000);
		v = tread(fd2, &r);
		_exit(r == 8 && v == 1 ? 3 : 4);
	}
	waitpid(pid, &st, 0);
	printf("a forked child waits and reads: exit %d\n", WEXITSTATUS(st));
	v = tread(fd, &r);
	printf("the parent's read after the child's: %ld %s\n", r, e(r));
	close(fd2);
	close(ep);
	close(fd);
}

static void
onalrm(int sig)
{
	(void)sig;
}

static void
tfdintr(void)
{
	struct sigaction sa;
	uint64_t v;
	long r;
	int fd, st;
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;
	sigaction(SIGALRM, &sa, NULL);
	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	alarm(1);
	v = tread(fd, &r);
	printf("blocking read on a disarmed timerfd, SIGALRM: %ld %s\n", r, e(r));
	(void)v;
	/* a child blocked in read is killed */
	pid = fork();
	if(pid == 0){
		tread(fd, &r);
		_exit(9);
	}
	nap(100);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("a child blocked on a timerfd, killed: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	close(fd);
	signal(SIGALRM, SIG_DFL);
}

static void
sfdshow(const char *what, struct signalfd_siginfo *s)
{
	printf("%s: signo %u code %d pid %s uid %s status %d int %d ptr %llu overrun %u\n", what,
		s->ssi_signo, s->ssi_code, s->ssi_pid == (uint32_t)getpid() ? "self" : s->ssi_pid ? "other" : "0",
		s->ssi_uid == getuid() ? "mine" : "other", s->ssi_status, s->ssi_int,
		(unsigned long long)s->ssi_ptr, s->ssi_overrun);
}

static void
sfdtests(void)
{
	struct signalfd_siginfo si[3];
	struct epoll_event ev, got[2];
	struct pollfd pf;
	sigset_t m, pend;
	union sigval sv;
	siginfo_t qi;
	int fd, p[2], ep, st;
	pid_t pid;
	long r;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGCHLD);
	sigaddset(&m, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &m, NULL);

	r = syscall(SYS_signalfd4, -1, &m, 4, 0);
	printf("vx: signalfd4 sizemask 4: %s\n", r < 0 ? strerror(errno) : "made one");	/* qemu takes it */
	if(r >= 0)
		close(r);
	r = syscall(SYS_signalfd4, -1, (void *)16, 8, 0);
	printf("signalfd4 mask at 16: %ld %s\n", r, e(r));
	r = syscall(SYS_signalfd4, -1, &m, 8, 1);
	printf("signalfd4 flags 1: %ld %s\n", r, e(r));
	pipe(p);
	r = signalfd(p[0], &m, 0);
	printf("signalfd on a pipe: %ld %s\n", r, e(r));
	close(p[0]);
	close(p[1]);
	r = signalfd(900, &m, 0);
	printf("signalfd on fd 900: %ld %s\n", r, e(r));

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGKILL);
	fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("signalfd: %s cloexec %d nonblock %d\n", e(fd), fcntl(fd, F_GETFD) & FD_CLOEXEC,
		(fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	r = read(fd, si, sizeof si[0]);
	printf("read, nothing pending: %ld %s\n", r, e(r));
	r = read(fd, si, 64);
	printf("read of 64 bytes: %ld %s\n", r, e(r));
	r = write(fd, si, sizeof si[0]);
	printf("write: %ld %s\n", r, e(r));
	pf.fd = fd;
	pf.events = POLLIN;
	r = poll(&pf, 1, 0);
	printf("poll, nothing pending: %ld\n", r);
	kill(getpid(), SIGUSR1);
	r = poll(&pf, 1, 0);
	printf("poll, SIGUSR1 pending: %ld revents %#x\n", r, pf.revents);
	r = read(fd, si, sizeof si);
	printf("read: %ld\n", r);
	sfdshow("kill", &si[0]);
	sigpending(&pend);
	printf("SIGUSR1 still pending: %d\n", sigismember(&pend, SIGUSR1));
	r = poll(&pf, 1, 0);
	printf("poll after read: %ld\n", r);

	/* a new mask for the same signalfd */
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGCHLD);
	sigaddset(&m, SIGRTMIN + 1);
	r = signalfd(fd, &m, 0);
	printf("signalfd(fd, new mask) is fd: %d\n", r == fd);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	kill(getpid(), SIGUSR1);
	r = read(fd, si, sizeof si);
	printf("read two: %ld\n", r);
	sfdshow("tgkill (the thread's first)", &si[0]);
	sfdshow("kill", &si[1]);
	sv.sival_int = 1234;
	sigqueue(getpid(), SIGRTMIN + 1, sv);
	r = read(fd, si, sizeof si);
	printf("read: %ld\n", r);
	sfdshow("sigqueue", &si[0]);
	pid = fork();
	if(pid == 0){
		nap(5000);
		_exit(0);
	}
	memset(&qi, 0, sizeof qi);
	qi.si_code = SI_USER;
	r = syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &qi);
	printf("rt_sigqueueinfo SI_USER to another process: %ld %s\n", r, e(r));
	qi.si_code = SI_TKILL;
	r = syscall(SYS_rt_tgsigqueueinfo, pid, pid, SIGUSR1, &qi);
	printf("rt_tgsigqueueinfo SI_TKILL to another process: %ld %s\n", r, e(r));
	r = syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)16);
	printf("rt_sigqueueinfo info at 16: %ld %s\n", r, e(r));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	r = read(fd, si, sizeof si);	/* its SIGCHLD */
	printf("read: %ld signo %u code %d status %d\n", r, si[0].ssi_signo, si[0].ssi_code, si[0].ssi_status);

	/* SIGCHLD, and a blocking read woken by a child's exit */
	fcntl(fd, F_SETFL, 0);
	pid = fork();
	if(pid == 0){
		nap(50);
		_exit(7);
	}
	r = read(fd, si, sizeof si);
	printf("blocking read, a child exits: %ld\n", r);
	si[0].ssi_pid = si[0].ssi_pid == (uint32_t)pid ? (uint32_t)getpid() : 0;	/* "self": the child */
	sfdshow("SIGCHLD (pid self: the child's)", &si[0]);
	waitpid(pid, &st, 0);

	/* epoll, woken by another process's kill */
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.u32 = 5;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	r = epoll_wait(ep, got, 2, 0);
	printf("epoll_wait, nothing pending: %ld\n", r);
	pid = fork();
	if(pid == 0){
		nap(80);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	r = epoll_wait(ep, got, 2, 5000);
	printf("epoll_wait, a child sends SIGUSR2: %ld events %#x data %u\n", r, r > 0 ? got[0].events : 0,
		r > 0 ? got[0].data.u32 : 0);
	r = read(fd, si, sizeof si[0]);
	printf("read: %ld signo %u pid %s\n", r, si[0].ssi_signo, si[0].ssi_pid == (uint32_t)pid ? "the child's" : "other");
	waitpid(pid, &st, 0);
	r = read(fd, si, sizeof si);	/* the child's SIGCHLD */
	printf("read: %ld signo %u\n", r, si[0].ssi_signo);
	/* a blocking read woken by a signal it does not read */
	fcntl(fd, F_SETFL, O_NONBLOCK);
	close(ep);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
}


/* A signalfd is ready to a thread for its own signals and its
 * process's, not another thread's (Linux's signalfd_poll looks at the
 * caller's); a timerfd reset by another thread wakes a wait on it. */
static int sfd;
static volatile int phase;

static void *
sfdpoller(void *arg)
{
	struct signalfd_siginfo si;
	struct pollfd pf = { sfd, POLLIN, 0 };
	long long t0;
	long r;

	(void)arg;
	r = poll(&pf, 1, 0);
	printf("a process signal, polled by another thread: %ld revents %#x\n", r, pf.revents);
	r = read(sfd, &si, sizeof si);
	printf("read there: %ld signo %u\n", r, si.ssi_signo);
	phase = 1;
	while(phase != 2)
		nap(1);
	r = poll(&pf, 1, 0);
	printf("the main thread's signal, polled by another thread: %ld\n", r);
	phase = 3;
	t0 = nowms();
	r = poll(&pf, 1, 400);
	printf("a poll by another thread while the main thread polls its own signal: %ld, after its timeout %d\n",
		r, nowms() - t0 >= 350);
	phase = 5;
	t0 = nowms();
	r = poll(&pf, 1, 5000);
	printf("a poll woken by a process signal: %ld revents %#x, before its timeout %d\n", r, pf.revents,
		nowms() - t0 < 4000);
	return NULL;
}

static void
sfdthreads(void)
{
	struct signalfd_siginfo si;
	struct pollfd pf;
	pthread_t th;
	sigset_t m;
	long r;

	maskone(SIG_BLOCK, SIGUSR1, &m);
	sfd = signalfd(-1, &m, SFD_NONBLOCK);
	kill(getpid(), SIGUSR1);
	phase = 0;
	pthread_create(&th, NULL, sfdpoller, NULL);
	while(phase != 1)
		nap(1);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	phase = 2;
	while(phase != 3)
		nap(1);
	nap(100);
	pf.fd = sfd;
	pf.events = POLLIN;
	r = poll(&pf, 1, 0);
	printf("the main thread polls its own signal: %ld\n", r);
	/* read once the other thread's poll has timed out and said so:
	 * under load the two lines came out in either order */
	while(phase != 5)
		nap(1);
	r = read(sfd, &si, sizeof si);
	printf("and reads it: %ld signo %u\n", r, si.ssi_signo);
	nap(100);
	kill(getpid(), SIGUSR1);
	pthread_join(th, NULL);
	r = read(sfd, &si, sizeof si);
	printf("read: %ld signo %u\n", r, si.ssi_signo);
	close(sfd);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
}

/* An epoll instance is readable when an entry it would report is:
 * under poll, select and another epoll, timerfds and signalfds too. */
static void
epnested(void)
{
	struct epoll_event ev, got[2];
	struct pollfd pf;
	struct signalfd_siginfo si;
	fd_set rs;
	struct timeval tv;
	sigset_t m;
	int p[2], ep, ep2, ep3, tfd, sfd2;
	long long t0;
	long r;
	char c;

	pipe(p);
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	pf.fd = ep;
	pf.events = POLLIN | POLLOUT;
	r = poll(&pf, 1, 0);
	printf("poll of an epoll, nothing ready in it: %ld revents %#x\n", r, pf.revents);
	write(p[1], "x", 1);
	r = poll(&pf, 1, 0);
	printf("poll of an epoll, a pipe in it readable: %ld revents %#x\n", r, pf.revents);
	read(p[0], &c, 1);

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	ep2 = epoll_create1(0);
	ev.data.u32 = 2;
	epoll_ctl(ep2, EPOLL_CTL_ADD, tfd, &ev);
	arm(tfd, 0, 100, 0);
	pf.fd = ep2;
	pf.events = POLLIN;
	t0 = nowms();
	r = poll(&pf, 1, 3000);
	printf("poll of an epoll holding a timerfd of 100 ms: %ld revents %#x, after 80 ms or more %d, before 2 s %d\n",
		r, pf.revents, nowms() - t0 >= 80, nowms() - t0 < 2000);
	tread(tfd, &r);

	r = epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev);
	printf("an epoll into itself: %ld %s\n", r, e(r));
	ev.data.u32 = 3;
	r = epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev);
	printf("an epoll into another: %ld %s\n", r, e(r));
	r = epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &ev);
	printf("and back, a loop: %ld %s\n", r, e(r));
	arm(tfd, 0, 100, 0);
	t0 = nowms();
	r = epoll_wait(ep, got, 2, 3000);
	printf("epoll_wait, the timerfd two epolls down: %ld events %#x data %u, after 80 ms or more %d\n", r,
		r > 0 ? got[0].events : 0, r > 0 ? got[0].data.u32 : 0, nowms() - t0 >= 80);
	r = epoll_wait(ep, got, 2, 0);
	printf("epoll_wait again, not read: %ld\n", r);
	tread(tfd, &r);
	r = epoll_wait(ep, got, 2, 0);
	printf("epoll_wait after the read: %ld\n", r);

	/* a signalfd inside, under select */
	maskone(SIG_BLOCK, SIGUSR2, &m);
	sfd2 = signalfd(-1, &m, SFD_NONBLOCK);
	ep3 = epoll_create1(0);
	ev.data.u32 = 4;
	epoll_ctl(ep3, EPOLL_CTL_ADD, sfd2, &ev);
	FD_ZERO(&rs);
	FD_SET(ep3, &rs);
	tv = (struct timeval){ 0, 0 };
	r = select(ep3 + 1, &rs, NULL, NULL, &tv);
	printf("select of an epoll holding a signalfd, nothing pending: %ld\n", r);
	kill(getpid(), SIGUSR2);
	FD_SET(ep3, &rs);
	tv = (struct timeval){ 2, 0 };
	r = select(ep3 + 1, &rs, NULL, NULL, &tv);
	printf("the same, SIGUSR2 pending: %ld set %d\n", r, FD_ISSET(ep3, &rs) != 0);
	r = read(sfd2, &si, sizeof si);
	printf("read: %ld signo %u\n", r, si.ssi_signo);
	close(sfd2);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	close(ep3);
	close(ep);
	close(ep2);
	close(tfd);
	close(p[0]);
	close(p[1]);
}

static int tfdx;

static void *
rearmer(void *arg)
{
	long what = (long)arg;

	nap(50);
	if(what == 0)
		arm(tfdx, 0, 50, 0);	/* earlier than the 10 s it had */
	else if(what == 1)
		arm(tfdx, 0, 0, 0);	/* disarmed */
	else{
		arm(tfdx, 0, 0, 0);
		nap(750);
		arm(tfdx, 0, 100, 0);
	}
	return NULL;
}

static void
tfdreset(void)
{
	struct sigaction sa;
	struct pollfd pf;
	pthread_t th;
	uint64_t v;
	long long t0;
	long r;

	tfdx = timerfd_create(CLOCK_MONOTONIC, 0);
	arm(tfdx, 0, 10000, 0);
	pthread_create(&th, NULL, rearmer, (void *)0L);
	t0 = nowms();
	v = tread(tfdx, &r);
	printf("a read blocked on a 10 s timerfd, another thread makes it 50 ms: %ld %llu, within 2 s %d\n", r,
		(unsigned long long)v, nowms() - t0 < 2000);
	pthread_join(th, NULL);

	/* 1 s, though the disarm comes at 50 ms: under load a thread's
	 * start and nap ran past 200 ms, and the timer fired first */
	arm(tfdx, 0, 1000, 0);
	pthread_create(&th, NULL, rearmer, (void *)1L);
	pf.fd = tfdx;
	pf.events = POLLIN;
	t0 = nowms();
	r = poll(&pf, 1, 1400);
	printf("a poll on a 1 s timerfd that another thread disarms: %ld, after its timeout %d\n", r,
		nowms() - t0 >= 1350);
	pthread_join(th, NULL);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;	/* no SA_RESTART: a read still blocked at 3 s fails */
	sigaction(SIGALRM, &sa, NULL);
	alarm(3);
	/* 600 ms, disarmed at 50 (room for a loaded host), armed again
	 * past the 600: a disarm that did nothing ends the read early */
	arm(tfdx, 0, 600, 0);
	pthread_create(&th, NULL, rearmer, (void *)2L);
	t0 = nowms();
	v = tread(tfdx, &r);
	printf("a read on a 600 ms timerfd disarmed, then armed 100 ms at 800 ms: %ld %s %llu, after 850 ms or more %d\n",
		r, e(r), (unsigned long long)v, nowms() - t0 >= 850);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	pthread_join(th, NULL);
	close(tfdx);
}

/* Times past Linux's KTIME_MAX (292 years of ns): its timers saturate
 * there, through the time64 calls. */
struct its64 {
	int64_t isec, insec, vsec, vnsec;
};

static void
hugetimes(void)
{
	struct its64 w;
	struct sigevent sev;
	int fd, id;
	long r;

	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	w = (struct its64){ (int64_t)1 << 40, 0, (int64_t)1 << 40, 0 };
	r = syscall(411, fd, 0, &w, NULL);	/* timerfd_settime64 */
	memset(&w, 0, sizeof w);
	syscall(410, fd, &w);			/* timerfd_gettime64 */
	printf("timerfd of 2^40 s: %ld %s, interval %lld.%09lld, value over 9e9 s %d\n", r, e(r),
		(long long)w.isec, (long long)w.insec, w.vsec > 9000000000LL);
	close(fd);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_NONE;
	syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &id);
	w = (struct its64){ 0, 0, (int64_t)1 << 62, 999999999 };
	r = syscall(409, id, 0, &w, NULL);	/* timer_settime64 */
	memset(&w, 0, sizeof w);
	syscall(408, id, &w);			/* timer_gettime64 */
	printf("timer of 2^62 s: %ld %s, value over 9e9 s and under 9.3e9 %d\n", r, e(r),
		w.vsec > 9000000000LL && w.vsec < 9300000000LL);
	syscall(SYS_timer_delete, id);
}

/* POSIX timers */
static volatile int threadfired;
static volatile int cpufired;

static void
onthread(union sigval v)
{
	threadfired = v.sival_int;
}

static void
oncpu(int sig)
{
	(void)sig;
	cpufired = 1;
}

/* A timer on the process's CPU clock whose signal sig handler takes. */
static long
cputimer(int sig, void (*handler)(int), timer_t *tm)
{
	struct sigevent sev;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(sig, &sa, NULL);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	return timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, tm);
}

static int tidtarget;
static volatile int tidgot;

static void *
waiter(void *arg)
{
	sigset_t m;
	siginfo_t si;

	(void)arg;
	tidtarget = syscall(SYS_gettid);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	if(sigtimedwait(&m, &si, &(struct timespec){ 5, 0 }) == SIGUSR2)
		tidgot = si.si_code == SI_TIMER && si.si_value.sival_int == 99 ? 1 : 2;
	return NULL;
}

static long
kt_create(int clock, struct sigevent *sev, int *id)
{
	return syscall(SYS_timer_create, clock, sev, id);
}

static void
ptimers(char *self)
{
	struct sigevent sev;
	struct itimerspec its;
	struct its32 i32;
	siginfo_t si;
	sigset_t m;
	pthread_t th;
	timer_t tm;
	int id, id2, ids[300], n, st;
	long long t0;
	pid_t pid;
	long r;

	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m, NULL);

	r = kt_create(99, NULL, &id);
	printf("timer_create clock 99: %ld %s\n", r, e(r));
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = 99;
	r = kt_create(CLOCK_MONOTONIC, &sev, &id);
	printf("timer_create notify 99: %ld %s\n", r, e(r));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 0;
	r = kt_create(CLOCK_MONOTONIC, &sev, &id);
	printf("timer_create signal 0: %ld %s\n", r, e(r));
	sev.sigev_signo = 65;
	r = kt_create(CLOCK_MONOTONIC, &sev, &id);
	printf("timer_create signal 65: %ld %s\n", r, e(r));
	sev.sigev_signo = SIGUSR1;
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev._sigev_un._tid = getppid();
	r = kt_create(CLOCK_MONOTONIC, &sev, &id);
	printf("timer_create SIGEV_THREAD_ID another process's thread: %ld %s\n", r, e(r));
	r = kt_create(CLOCK_MONOTONIC, (void *)16, &id);
	printf("timer_create sigevent at 16: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_settime, 12345, 0, &i32, NULL);
	printf("timer_settime id 12345: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_gettime, 12345, &i32);
	printf("timer_gettime id 12345: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_getoverrun, 12345);
	printf("timer_getoverrun id 12345: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_delete, 12345);
	printf("timer_delete id 12345: %ld %s\n", r, e(r));

	/* the default: SIGALRM, si_value the id */
	r = kt_create(CLOCK_MONOTONIC, NULL, &id);
	printf("timer_create default: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_settime, id, 0, NULL, NULL);
	printf("timer_settime new NULL: %ld %s\n", r, e(r));
	i32 = (struct its32){ 0, 0, 0, 1000000000 };
	r = syscall(SYS_timer_settime, id, 0, &i32, NULL);
	printf("timer_settime nsec 1e9: %ld %s\n", r, e(r));
	i32 = (struct its32){ 0, 0, 0, 30000000 };
	r = syscall(SYS_timer_settime, id, 0, &i32, NULL);
	printf("timer_settime 30 ms: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_gettime, id, &i32);
	printf("timer_gettime: %ld, value in (0, 30] ms %d\n", r, i32.vsec == 0 && i32.vnsec > 0 && i32.vnsec <= 30000000);
	r = sigwaitinfo(&m, &si);
	printf("sigwaitinfo: %ld code %d overrun %d\n", r, si.si_code, si.si_overrun);
	printf("vx: si_timerid is the id %d, si_value is the id %d\n", si.si_timerid == id, si.si_value.sival_int == id);
	r = syscall(SYS_timer_gettime, id, &i32);
	printf("timer_gettime after: %ld %d.%09d %d.%09d\n", r, i32.vsec, i32.vnsec, i32.isec, i32.insec);
	r = syscall(SYS_timer_delete, id);
	printf("timer_delete: %ld %s\n", r, e(r));
	r = syscall(SYS_timer_delete, id);
	printf("timer_delete again: %ld %s\n", r, e(r));

	/* an interval whose signal waits: overruns */
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 77;
	timer_create(CLOCK_REALTIME, &sev, &tm);
	its = (struct itimerspec){ { 0, 10000000 }, { 0, 10000000 } };
	t0 = nowms();
	timer_settime(tm, 0, &its, NULL);
	nap(150);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	r = sigwaitinfo(&m, &si);
	/* (15 and over: the 10 ms periods the wait really took, nap longer
	 * than 150 ms on a loaded host) */
	printf("interval 10 ms, 150 ms later: %ld code %d value %d, overrun in [8, 15] %d, getoverrun the same %d\n",
		r, si.si_code, si.si_value.sival_int, si.si_overrun >= 8 && si.si_overrun <= (nowms() - t0) / 10 + 1,
		timer_getoverrun(tm) == si.si_overrun);
	t0 = nowms();
	r = sigwaitinfo(&m, &si);
	/* at most the periods since the last: a loaded host's reference
	 * came back here past 30 ms */
	printf("next: %ld overrun in [0, the periods since] %d\n", r,
		si.si_overrun >= 0 && si.si_overrun <= (nowms() - t0) / 10 + 2);
	its = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
	timer_settime(tm, 0, &its, NULL);
	timer_delete(tm);

	/* absolute, on the realtime clock */
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	timer_create(CLOCK_REALTIME, &sev, &tm);
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_sec -= 2;
	its.it_interval = (struct timespec){ 0, 500000000 };
	r = timer_settime(tm, TIMER_ABSTIME, &its, NULL);
	r = sigwaitinfo(&m, &si);
	printf("absolute 2 s ago, every 500 ms: %ld overrun in [4, 5] %d\n", r, si.si_overrun >= 4 && si.si_overrun <= 5);
	timer_delete(tm);

	/* SIGEV_NONE: counts down, sends nothing */
	sev.sigev_notify = SIGEV_NONE;
	timer_create(CLOCK_MONOTONIC, &sev, &tm);
	its = (struct itimerspec){ { 0, 0 }, { 0, 40000000 } };
	t0 = nowms();
	timer_settime(tm, 0, &its, NULL);
	nap(10);
	timer_gettime(tm, &its);
	/* (or expired, when the nap took 40 ms on a loaded host) */
	printf("SIGEV_NONE after 10 ms: value in (0, 35] ms %d\n", its.it_value.tv_sec == 0 && (its.it_value.tv_nsec > 0 ||
		nowms() - t0 >= 40) && its.it_value.tv_nsec <= 35000000);
	nap(60);
	timer_gettime(tm, &its);
	sigpending(&m);
	printf("SIGEV_NONE expired: value %ld.%09ld, SIGUSR1 pending %d\n", (long)its.it_value.tv_sec,
		its.it_value.tv_nsec, sigismember(&m, SIGUSR1));
	timer_delete(tm);

	/* SIGEV_THREAD_ID: to one thread */
	pthread_create(&th, NULL, waiter, NULL);
	while(tidtarget == 0)
		nap(1);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR2;
	sev.sigev_value.sival_int = 99;
	sev._sigev_un._tid = tidtarget;
	r = timer_create(CLOCK_MONOTONIC, &sev, &tm);
	its = (struct itimerspec){ { 0, 0 }, { 0, 20000000 } };
	timer_settime(tm, 0, &its, NULL);
	pthread_join(th, NULL);
	printf("SIGEV_THREAD_ID: create %s, the thread took it %d\n", e(r), tidgot);
	timer_delete(tm);

	/* glibc's SIGEV_THREAD (a helper thread, SIGEV_THREAD_ID inside) */
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = onthread;
	sev.sigev_value.sival_int = 42;
	r = timer_create(CLOCK_MONOTONIC, &sev, &tm);
	its = (struct itimerspec){ { 0, 0 }, { 0, 20000000 } };
	timer_settime(tm, 0, &its, NULL);
	t0 = nowms();
	while(threadfired == 0 && nowms() - t0 < 5000)
		nap(5);
	printf("SIGEV_THREAD: create %s, ran with %d\n", e(r), threadfired);
	timer_delete(tm);

	/* the process's CPU-time clock */
	r = cputimer(SIGVTALRM, oncpu, &tm);
	its = (struct itimerspec){ { 0, 0 }, { 0, 50000000 } };
	timer_settime(tm, 0, &its, NULL);
	t0 = nowms();
	while(!cpufired && nowms() - t0 < 10000)
		;
	printf("CLOCK_PROCESS_CPUTIME_ID 50 ms: create %s, fired %d\n", e(r), cpufired);
	timer_delete(tm);

	/* not inherited by fork; deleted by exec */
	sev.sigev_notify = SIGEV_NONE;
	kt_create(CLOCK_MONOTONIC, &sev, &id);
	kt_create(CLOCK_MONOTONIC, &sev, &id2);
	pid = fork();
	if(pid == 0)
		_exit(syscall(SYS_timer_gettime, id, &i32) < 0 && errno == EINVAL ? 5 : 6);
	waitpid(pid, &st, 0);
	printf("fork: the child has no timer (%d)\n", WEXITSTATUS(st));
	pid = fork();
	if(pid == 0){
		char a[16], b[16];

		snprintf(a, sizeof a, "%d", id);
		snprintf(b, sizeof b, "%d", id2);
		execl(self, self, "afterexec", a, b, (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	printf("exec: no timer after (%d)\n", WEXITSTATUS(st));
	syscall(SYS_timer_delete, id);
	syscall(SYS_timer_delete, id2);

	/* how many a process may have */
	for(n = 0; n < 300; n++)
		if(kt_create(CLOCK_MONOTONIC, &sev, &ids[n]) < 0)
			break;
	printf("vx: timers made before failing: %d (%s)\n", n, n < 300 ? strerror(errno) : "none failed");
	while(n > 0)
		syscall(SYS_timer_delete, ids[--n]);
	signal(SIGVTALRM, SIG_DFL);
	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
}


static volatile int quickgo;

static void *
quickexit(void *arg)
{
	*(int *)arg = syscall(SYS_gettid);
	while(!quickgo)
		nap(1);
	return NULL;
}

/* SIGEV_THREAD_ID at a thread that has ended: Linux drops the signal
 * (the timer's target task is gone: send_sigqueue sends nothing). */
static void
tidgone(void)
{
	struct sigevent sev;
	struct itimerspec its;
	pthread_t th;
	sigset_t m;
	timer_t tm;
	int tid;
	long r;

	maskone(SIG_BLOCK, SIGUSR2, &m);
	tid = 0;
	pthread_create(&th, NULL, quickexit, &tid);
	while(tid == 0)
		nap(1);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR2;
	sev._sigev_un._tid = tid;
	r = timer_create(CLOCK_MONOTONIC, &sev, &tm);
	quickgo = 1;
	pthread_join(th, NULL);
	nap(20);
	its = (struct itimerspec){ { 0, 0 }, { 0, 20000000 } };
	timer_settime(tm, 0, &its, NULL);
	nap(120);
	sigpending(&m);
	printf("SIGEV_THREAD_ID at a thread that ended: create %s, SIGUSR2 pending %d\n", e(r), sigismember(&m, SIGUSR2));
	timer_delete(tm);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	sigtimedwait(&m, NULL, &(struct timespec){ 0, 0 });	/* one sent where Linux drops it */
	maskone(SIG_UNBLOCK, SIGUSR2, &m);
}

static long long
cpuns(clockid_t c)
{
	struct timespec ts;

	if(clock_gettime(c, &ts) < 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Use ms of this thread's CPU time. */
static void
burn(int ms)
{
	long long end = cpuns(CLOCK_THREAD_CPUTIME_ID) + ms * 1000000LL;

	while(cpuns(CLOCK_THREAD_CPUTIME_ID) < end)
		;
}

static volatile int burnerdone;

static void *
burner(void *arg)
{
	burn((int)(long)arg);
	burnerdone = 1;
	while(burnerdone != 2)
		nap(1);
	return NULL;
}

static volatile long long cpufiredat;

static void
oncputimer(int sig)
{
	(void)sig;
	cpufiredat = cpuns(CLOCK_PROCESS_CPUTIME_ID);
}

/* The CPU-time clocks: a process's counts its own threads only, from
 * its fork; a thread's clock can be read by another thread of its
 * process; clock_nanosleep on a thread's clock is EINVAL; timers. */
static void
cpuclocks(void)
{
	struct itimerspec its;
	struct timespec ts;
	long long t0, t1, th0;
	clockid_t tc;
	pthread_t th;
	timer_t tm;
	int st, i, good, early;
	pid_t pid;
	long r;

	t0 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	pid = fork();
	if(pid == 0){
		long long c0 = cpuns(CLOCK_PROCESS_CPUTIME_ID);

		burn(300);
		_exit(c0 < 200000000LL ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	t1 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	printf("a child's process clock starts at its fork: %d; the parent's does not count the child's 300 ms: %d\n",
		WEXITSTATUS(st) == 0, t1 - t0 < 150000000LL);

	burnerdone = 0;
	t0 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	pthread_create(&th, NULL, burner, (void *)100L);
	r = pthread_getcpuclockid(th, &tc);
	while(!burnerdone)
		nap(1);
	th0 = cpuns(tc);
	printf("pthread_getcpuclockid of another thread: %s, its clock read after 100 ms of CPU: %d\n",
		r == 0 ? "ok" : strerror(r), th0 >= 95000000LL && th0 < 1000000000LL);
	t1 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	printf("the process clock counts the other thread's time: %d\n", t1 - t0 >= 95000000LL);
	burnerdone = 2;
	pthread_join(th, NULL);
	printf("and keeps it after the thread ends: %d\n", cpuns(CLOCK_PROCESS_CPUTIME_ID) >= t1);

	ts = (struct timespec){ 0, 1 };
	r = syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL);	/* glibc's answers itself */
	printf("clock_nanosleep on the thread's CPU clock: %ld %s\n", r, e(r));
	burnerdone = 0;
	pthread_create(&th, NULL, burner, (void *)300L);
	t0 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	ts = (struct timespec){ 0, 50000000 };
	r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &ts, NULL);
	t1 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	printf("clock_nanosleep 50 ms on the process clock, another thread busy: %s, after 50 ms of it %d\n",
		r == 0 ? "ok" : strerror(r), t1 - t0 >= 50000000LL);
	while(!burnerdone)
		nap(1);
	burnerdone = 2;
	pthread_join(th, NULL);

	/* a timer on the process clock fires close to its time */
	cputimer(SIGPROF, oncputimer, &tm);
	good = early = 0;
	for(i = 0; i < 5; i++){
		cpufiredat = 0;
		t0 = cpuns(CLOCK_PROCESS_CPUTIME_ID);
		its = (struct itimerspec){ { 0, 0 }, { 0, 30000000 } };
		timer_settime(tm, 0, &its, NULL);
		while(cpufiredat == 0 && cpuns(CLOCK_PROCESS_CPUTIME_ID) - t0 < 2000000000LL)
			;
		t1 = cpufiredat - t0 - 30000000LL;
		if(getenv("CPUACC") != NULL)
			printf("vx: timer on the process clock, 30 ms: fired %lld us after\n", t1 / 1000);
		early += cpufiredat != 0 && t1 < 0;
		good += cpufiredat != 0 && t1 >= 0 && t1 < 20000000LL;
	}
	/* a bound on correctness, not speed: never early, and not a
	 * sampling period late (accuracy: doc/guest-abi.md) */
	printf("a timer of 30 ms on the process clock, 5 times: never early %d, within 20 ms of its time 3 times or more %d\n",
		early == 0, good >= 3);
	timer_delete(tm);
	signal(SIGPROF, SIG_DFL);
}

/* "leave": exit with a timer armed to fire often, a timerfd and a
 * signalfd open, and a child blocked reading a signalfd. */
static int
leave(void)
{
	struct sigevent sev;
	struct itimerspec its = { { 0, 1000000 }, { 0, 1000000 } };
	sigset_t m;
	timer_t tm;
	int fd, sfd;
	char b[128];

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, NULL);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	timer_create(CLOCK_MONOTONIC, &sev, &tm);
	timer_settime(tm, 0, &its, NULL);
	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	timerfd_settime(fd, 0, &its, NULL);
	sfd = signalfd(-1, &m, 0);
	if(fork() == 0){
		sigdelset(&m, SIGUSR1);
		sigaddset(&m, SIGUSR2);
		signalfd(sfd, &m, 0);
		(void)!read(sfd, b, sizeof b);	/* until the host ends it */
		_exit(0);
	}
	nap(50);
	printf("leaving with a timer, a timerfd, a signalfd and a child blocked on it\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct its32 i32;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 3 && strcmp(argv[1], "afterexec") == 0)
		return syscall(SYS_timer_gettime, atoi(argv[2]), &i32) < 0 && errno == EINVAL &&
			syscall(SYS_timer_gettime, atoi(argv[3]), &i32) < 0 && errno == EINVAL ? 8 : 9;
	if(argc > 1 && strcmp(argv[1], "leave") == 0)
		return leave();
	tfderrors();
	tfdtimes();
	tfdwaits();
	tfdintr();
	sfdtests();
	sfdthreads();
	epnested();
	tfdreset();
	hugetimes();
	ptimers("/proc/self/exe");
	tidgone();
	cpuclocks();
	printf("hidden fds at the end: %d\n", hiddenfds());
	return 0;
}
