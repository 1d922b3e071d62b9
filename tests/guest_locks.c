/*
 * guest_locks.c — file locks between processes: POSIX record locks
 * (conflicts, F_GETLK's answer, splitting and merging, release on the
 * close of any fd of the file and at exit, F_SETLKW's wake-up, EINTR,
 * EDEADLK, EBADF for the open mode, l_whence and negative l_len), OFD
 * locks, and flock (shared across dup and fork, released at the last
 * close, independent of POSIX locks).  Prints what it sees; the test
 * compares it with the reference's (Linux, through qemu-i386).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *F = "lockfile";
static pid_t kid;

static int
lk(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = whence;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, cmd, &fl) < 0 ? -errno : 0;
}

static const char *
tname(int t)
{
	return t == F_RDLCK ? "RD" : t == F_WRLCK ? "WR" : t == F_UNLCK ? "UN" : "?";
}

/* F_GETLK for a write lock over [start, start+len) as another process sees it */
static void
getlk(const char *what, int fd, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_start = start;
	fl.l_len = len;
	if(fcntl(fd, F_GETLK, &fl) < 0){
		printf("%s: getlk %s\n", what, strerror(errno));
		return;
	}
	if(fl.l_type == F_UNLCK)
		printf("%s: UN\n", what);
	else
		printf("%s: %s %lld+%lld %s\n", what, tname(fl.l_type), (long long)fl.l_start,
			(long long)fl.l_len, fl.l_pid == kid ? "kid" : fl.l_pid == getppid() ? "parent" : fl.l_pid == -1 ? "-1" : "other");
}

static void
rendezvous(int w)
{
	char c = 0;

	if(write(w, &c, 1) != 1)
		_exit(9);
}

static void
waitfor(int r)
{
	char c;

	if(read(r, &c, 1) != 1)
		_exit(9);
}

static void
reap(const char *what)
{
	int st;

	if(waitpid(kid, &st, 0) != kid)
		printf("%s: waitpid %s\n", what, strerror(errno));
	else
		printf("%s: child status %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void
onalarm(int s)
{
	(void)s;
}

/* The child takes locks the parent then probes. */
static void
posix(void)
{
	int p[2], q[2], fd, fd2;

	pipe(p);
	pipe(q);
	kid = fork();
	if(kid == 0){
		fd = open(F, O_RDWR);
		printf("child wr 10+10: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
		printf("child rd 30+10: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 30, 10));
		printf("child wr 20+10 (merges with 10+10): %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 10));
		printf("child unlock 14+2 (splits): %d\n", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 14, 2));
		printf("child rd 100 to EOF: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 0));
		fflush(stdout);
		rendezvous(p[1]);
		waitfor(q[0]);
		/* a second fd of the same file, closed: every lock goes */
		fd2 = open(F, O_RDONLY);
		close(fd2);
		fflush(stdout);
		rendezvous(p[1]);
		waitfor(q[0]);
		printf("child wr 0+1 again: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
		fflush(stdout);
		rendezvous(p[1]);
		waitfor(q[0]);
		_exit(0);	/* with its lock: the exit releases it */
	}
	waitfor(p[0]);
	fd = open(F, O_RDWR);
	getlk("getlk 0+10", fd, 0, 10);
	getlk("getlk 0+11", fd, 0, 11);
	getlk("getlk 14+2 (the hole)", fd, 14, 2);
	getlk("getlk 16+100", fd, 16, 100);
	getlk("getlk 25+1", fd, 25, 1);
	getlk("getlk 35+1", fd, 35, 1);
	getlk("getlk 1000+1", fd, 1000, 1);
	getlk("getlk whole file", fd, 0, 0);
	printf("parent rd 35+1 (shares): %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 35, 1));
	printf("parent wr 35+1 (conflict): %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 35, 1));
	printf("parent wr 14+2 (the hole): %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 14, 2));
	printf("parent wr 13+2 (overlaps): %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 13, 2));
	printf("parent rd 5000 to EOF: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5000, 0));
	lseek(fd, 20, SEEK_SET);
	printf("parent wr SEEK_CUR -5 len -3: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, -5, -3));
	printf("parent wr SEEK_END -1 len 1: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_END, -1, 1));
	printf("parent wr start -1: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
	printf("parent bad whence: %d\n", lk(fd, F_SETLK, F_WRLCK, 7, 0, 1));
	printf("parent bad type: %d\n", lk(fd, F_SETLK, 9, SEEK_SET, 0, 1));
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	rendezvous(q[1]);
	waitfor(p[0]);
	getlk("after the child's close of another fd", fd, 0, 0);
	rendezvous(q[1]);
	waitfor(p[0]);
	getlk("child's new lock", fd, 0, 0);
	rendezvous(q[1]);
	reap("posix");
	getlk("after the child's exit", fd, 0, 0);
	close(fd);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* The parent's own locks: upgrade, downgrade, not inherited, mode. */
static void
ownlocks(void)
{
	int fd, rfd, wfd, p[2], q[2];

	fd = open(F, O_RDWR);
	rfd = open(F, O_RDONLY);
	wfd = open(F, O_WRONLY);
	printf("rd on read-only fd: %d\n", lk(rfd, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	printf("wr on read-only fd: %d\n", lk(rfd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	printf("rd on write-only fd: %d\n", lk(wfd, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	printf("unlock on write-only fd: %d\n", lk(wfd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	printf("rd 0+100: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 100));
	printf("upgrade 40+20: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 40, 20));
	pipe(p);
	pipe(q);
	kid = fork();
	if(kid == 0){
		kid = getpid();
		getlk("child sees", fd, 0, 0);
		getlk("child sees 0+40", fd, 0, 40);
		getlk("child sees 60+50", fd, 60, 50);
		printf("child rd 0+40: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 40));
		printf("child rd 50+1: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 50, 1));
		fflush(stdout);
		rendezvous(p[1]);
		waitfor(q[0]);
		printf("child rd 50+1 after the downgrade: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 50, 1));
		_exit(0);
	}
	waitfor(p[0]);
	printf("downgrade 40+20: %d\n", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 40, 20));
	fflush(stdout);
	rendezvous(q[1]);
	reap("own");
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	close(fd);
	close(rfd);
	close(wfd);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* F_SETLKW: woken by the unlock, ended by a signal, EDEADLK. */
static void
waiting(void)
{
	struct sigaction sa;
	struct itimerval it;
	int fd, p[2], q[2], r, kr;

	pipe(p);
	pipe(q);
	kid = fork();
	if(kid == 0){
		fd = open(F, O_RDWR);
		lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
		lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
		rendezvous(p[1]);
		waitfor(q[0]);
		usleep(200000);
		lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
		waitfor(q[0]);
		/* now wait for the parent's byte 2, holding byte 1; our
		 * exit lets the parent in if we are the one refused */
		r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 2, 1);
		write(p[1], &r, sizeof r);
		_exit(0);
	}
	waitfor(p[0]);
	fd = open(F, O_RDWR);
	rendezvous(q[1]);
	printf("setlkw 0 (the child unlocks): %d\n", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 200000;
	setitimer(ITIMER_REAL, &it, NULL);
	printf("setlkw 1 (SIGALRM): %d\n", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
	printf("wr 2: %d\n", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, 1));
	fflush(stdout);
	/* Each now waits for the other's byte: whichever comes second
	 * closes the cycle and is refused, the other then gets its byte
	 * (the child's when we unlock ours, ours at the child's exit).
	 * Which one comes second the scheduler decides; both outcomes
	 * print the same. */
	rendezvous(q[1]);
	r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
	if(r == -EDEADLK)
		lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 2, 1);
	if(read(p[0], &kr, sizeof kr) != sizeof kr)
		kr = 1;
	printf("setlkw on each other's byte: %d and %d\n", r < kr ? r : kr, r < kr ? kr : r);
	fflush(stdout);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 2, 1);
	reap("waiting");
	close(fd);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* OFD locks: the open file owns them, a second open of the same
 * process conflicts, F_OFD_GETLK says pid -1, the last close frees. */
static void
ofd(void)
{
	struct flock fl;
	int a, b, c;

	a = open(F, O_RDWR);
	b = open(F, O_RDWR);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_len = 10;
	printf("ofd a wr 0+10: %d\n", fcntl(a, F_OFD_SETLK, &fl) < 0 ? -errno : 0);
	printf("ofd b wr 0+10: %d\n", fcntl(b, F_OFD_SETLK, &fl) < 0 ? -errno : 0);
	fl.l_pid = 1;
	printf("ofd with l_pid 1: %d\n", fcntl(b, F_OFD_SETLK, &fl) < 0 ? -errno : 0);
	fl.l_pid = 0;
	fl.l_len = 0;
	printf("ofd getlk b: %d", fcntl(b, F_OFD_GETLK, &fl) < 0 ? -errno : 0);
	printf(" %s %lld+%lld pid %d\n", tname(fl.l_type), (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
	printf("posix wr 5+1 (conflicts with the ofd lock): %d\n", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	c = dup(a);
	close(a);
	fl.l_type = F_WRLCK;
	fl.l_len = 10;
	fl.l_pid = 0;	/* F_OFD_GETLK said -1 */
	printf("ofd b after a closed, dup open: %d\n", fcntl(b, F_OFD_SETLK, &fl) < 0 ? -errno : 0);
	close(c);
	printf("ofd b after the last close: %d\n", fcntl(b, F_OFD_SETLK, &fl) < 0 ? -errno : 0);
	close(b);
}

/* struct flock64 as i386 lays it out, for fcntl64 itself */
struct lk64 {
	int16_t type, whence;
	int64_t start, len;
	int32_t pid;
} __attribute__((packed));

static int
raw64pid(int fd, int cmd, int type, int whence, int64_t start, int64_t len, int pid)
{
	struct lk64 l = { type, whence, start, len, pid };

	return syscall(SYS_fcntl64, fd, cmd, &l) < 0 ? -errno : 0;
}

static int
raw64(int fd, int cmd, int type, int whence, int64_t start, int64_t len)
{
	return raw64pid(fd, cmd, type, whence, start, len, 0);
}

/* What a hostile guest may put in struct flock64: ranges at and past
 * 2^63 from every l_whence, negative lengths reaching below 0, bad
 * types and whences, l_pid for OFD, unreadable structs. */
static void
edges(void)
{
	const int64_t M = INT64_MAX;
	struct lk64 g;
	int fd;

	fd = open(F, O_RDWR);
	printf("edge wr M-1+1: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, M - 1, 1));
	printf("edge wr M+1: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, M, 1));
	printf("edge wr M-1+2: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, M - 1, 2));
	printf("edge wr M-1+M: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, M - 1, M));
	printf("edge wr M to EOF: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, M, 0));
	printf("edge wr M len -M: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, M, -M));
	printf("edge wr 5 len -6: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, 5, -6));
	printf("edge wr 5 len min: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, 5, INT64_MIN));
	printf("edge wr start min: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_SET, INT64_MIN, 1));
	printf("edge wr SEEK_END M: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_END, M, 1));
	printf("edge wr SEEK_END M-64 to EOF: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_END, M - 64, 0));
	printf("edge wr SEEK_END -65: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_END, -65, 1));
	printf("edge wr SEEK_END min: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_END, INT64_MIN, 1));
	lseek(fd, 10, SEEK_SET);
	printf("edge wr SEEK_CUR M: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_CUR, M, 1));
	printf("edge wr SEEK_CUR -11: %d\n", raw64(fd, F_SETLK64, F_WRLCK, SEEK_CUR, -11, 1));
	printf("edge wr whence -1: %d\n", raw64(fd, F_SETLK64, F_WRLCK, -1, 0, 1));
	printf("edge wr whence 3: %d\n", raw64(fd, F_SETLK64, F_WRLCK, 3, 0, 1));
	printf("edge type -1: %d\n", raw64(fd, F_SETLK64, -1, SEEK_SET, 0, 1));
	printf("edge type 3: %d\n", raw64(fd, F_SETLK64, 3, SEEK_SET, 0, 1));
	printf("edge getlk UN: %d\n", raw64(fd, F_GETLK64, F_UNLCK, SEEK_SET, 0, 1));
	printf("edge ofd pid -1: %d\n", raw64pid(fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1, -1));
	printf("edge ofd M+1: %d\n", raw64(fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, M, 1));
	printf("edge struct NULL: %d\n", syscall(SYS_fcntl64, fd, F_SETLK64, NULL) < 0 ? -errno : 0);
	printf("edge struct -1: %d\n", syscall(SYS_fcntl64, fd, F_GETLK64, (void *)-1) < 0 ? -errno : 0);
	printf("edge flock 0: %d\n", flock(fd, 0) < 0 ? -errno : 0);
	printf("edge flock NB only: %d\n", flock(fd, LOCK_NB) < 0 ? -errno : 0);
	printf("edge flock sh|ex: %d\n", flock(fd, LOCK_SH | LOCK_EX) < 0 ? -errno : 0);
	printf("edge bad fd: %d\n", raw64(9999, F_SETLK64, F_WRLCK, SEEK_SET, 0, 1));
	/* the lock at M-1, seen by a child: 64-bit answer */
	if((kid = fork()) == 0){
		memset(&g, 0, sizeof g);
		g.type = F_WRLCK;
		g.start = M - 10;
		printf("edge child getlk: %d", syscall(SYS_fcntl64, fd, F_GETLK64, &g) < 0 ? -errno : 0);
		printf(" %s %lld+%lld\n", tname(g.type), (long long)g.start, (long long)g.len);
		fflush(stdout);
		_exit(0);
	}
	reap("edges");
	raw64(fd, F_SETLK64, F_UNLCK, SEEK_SET, 0, 0);
	close(fd);
}

static int
fl(int fd, int op)
{
	return flock(fd, op) < 0 ? -errno : 0;
}

/* flock: the open file's, across dup and fork; not POSIX's. */
static void
flocks(void)
{
	int a, b, d, p[2], q[2];

	a = open(F, O_RDWR);
	b = open(F, O_RDONLY);
	printf("flock a ex: %d\n", fl(a, LOCK_EX | LOCK_NB));
	printf("flock b sh (another open): %d\n", fl(b, LOCK_SH | LOCK_NB));
	printf("flock a ex again: %d\n", fl(a, LOCK_EX | LOCK_NB));
	d = dup(a);
	printf("flock dup sh (converts): %d\n", fl(d, LOCK_SH | LOCK_NB));
	printf("flock b sh: %d\n", fl(b, LOCK_SH | LOCK_NB));
	printf("flock b ex: %d\n", fl(b, LOCK_EX | LOCK_NB));
	printf("flock bad op: %d\n", fl(b, 0));
	printf("posix wr with flock held: %d\n", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	lk(a, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	fl(b, LOCK_UN);
	printf("flock dup ex: %d\n", fl(d, LOCK_EX | LOCK_NB));
	pipe(p);
	pipe(q);
	kid = fork();
	if(kid == 0){
		/* the child shares the open file, and so the lock */
		printf("child flock a ex: %d\n", fl(a, LOCK_EX | LOCK_NB));
		printf("child flock b sh: %d\n", fl(b, LOCK_SH | LOCK_NB));
		close(a);
		close(d);
		fflush(stdout);
		rendezvous(p[1]);
		waitfor(q[0]);
		/* the parent closed its copies: the last one was ours */
		printf("child flock b sh after every close: %d\n", fl(b, LOCK_SH | LOCK_NB));
		fflush(stdout);
		_exit(0);
	}
	waitfor(p[0]);
	printf("flock b sh, the child's copies closed: %d\n", fl(b, LOCK_SH | LOCK_NB));
	close(a);
	printf("flock b sh, one copy left: %d\n", fl(b, LOCK_SH | LOCK_NB));
	close(d);
	rendezvous(q[1]);
	reap("flock");
	close(b);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* flock waits: woken at the holder's unlock; LOCK_NB fails EWOULDBLOCK. */
static void
flockwait(void)
{
	int a, p[2], q[2];

	pipe(p);
	pipe(q);
	kid = fork();
	if(kid == 0){
		a = open(F, O_RDONLY);
		fl(a, LOCK_EX);
		rendezvous(p[1]);
		waitfor(q[0]);	/* held until the LOCK_NB try is made */
		usleep(200000);	/* the parent waits by now, or takes it at once */
		fl(a, LOCK_UN);
		_exit(0);
	}
	waitfor(p[0]);
	a = open(F, O_RDONLY);
	printf("flock nb: %s\n", fl(a, LOCK_SH | LOCK_NB) == -EWOULDBLOCK ? "EWOULDBLOCK" : "other");
	rendezvous(q[1]);
	printf("flock waits: %d\n", fl(a, LOCK_SH));
	reap("flockwait");
	close(a);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

int
main(void)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(fd < 0 || write(fd, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 64) != 64){
		perror("lockfile");
		return 1;
	}
	close(fd);
	posix();
	ownlocks();
	waiting();
	ofd();
	edges();
	flocks();
	flockwait();
	unlink(F);
	printf("done\n");
	return 0;
}
