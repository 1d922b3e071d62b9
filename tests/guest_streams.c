/*
 * guest_streams.c — stream corners earlier red teams left, run natively
 * and in the sandbox, the same output (tests/vxinferno_streams.t).
 *
 * nbsock: a nonblocking socket read (MSG_DONTWAIT, or O_NONBLOCK on
 * every file the fd may name) never waits, while another thread dup2s
 * an empty blocking socket over the fd and back, or while a second
 * reader takes the byte the first one's readiness test saw.  vxinferno
 * tested readiness and then read, and the device's read waited.
 *
 * sockwait: a read blocked in a socket goes on while another thread
 * closes its fd or dup2s another socket over it (Linux keeps the file
 * until the call returns), and gets the bytes written to its own
 * socket; a signal ends it (EINTR).
 *
 * pipeswap: a pipe's readv and writev while another thread dup2s
 * /dev/zero or /dev/null over the fd and back move bytes only through
 * their own iovecs (the pipe's stand-in token reaches no other file).
 *
 * evswap: a pipe's read and readv while another thread dup2s an
 * eventfd over the fd and back get the pipe's bytes or the eventfd's
 * count, nothing else.  vxinferno's kernel read reached the eventfd's
 * doorbell pipe (a pipe too, so the pin by device let it through) and
 * gave the guest its '!' byte, and the eventfd, its doorbell emptied,
 * then waited for ever.
 *
 * evrev: an eventfd's reads while another thread dup2s a pipe over the
 * fd and back: no byte of the pipe's is lost, nor a count, and the
 * eventfd is not left readable with nothing in it.  vxinferno silenced
 * the doorbell by a read of the fd, the pipe's by then (a byte lost, or
 * a wait for ever on an empty one).
 *
 * vmin: a raw pty read with VMIN past 64 bytes (n_tty reads 64 at a
 * time and goes past the first piece only when VMIN is within it).
 *
 * vmsplice: counted in pipe buffers, as Linux's: each iovec's pieces
 * page by page, at most the pipe's free slots.  Not compared by the
 * test yet: the kernel's pipe counts bytes (doc/guest-abi.md).
 *
 * stdout: write and writev of buffers that fault part way to fd 1, which
 * the test points at a regular file or a pipe.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <sched.h>
#include <stdatomic.h>
#include <poll.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <sys/eventfd.h>

static void
show(const char *what, long r)
{
	printf("%-52s %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
	fflush(stdout);
}

static void
die(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	exit(1);
}

static volatile sig_atomic_t alarmed;

static void
onsig(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* sig's handler onsig, without SA_RESTART: a wait it ends fails EINTR */
static void
catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsig;
	sigaction(sig, &sa, NULL);
}

/* --- nbsock ------------------------------------------------------------ */

enum { Rounds = 20000 };

static int swapfd, nbfd, blkfd;
static atomic_int stop;

static void *
swapper(void *a)
{
	(void)a;
	while(!stop){
		dup2(blkfd, swapfd);
		dup2(nbfd, swapfd);
	}
	return NULL;
}

/* Rounds reads of swapfd with flags while another thread swaps it
 * between nbfd (readable: its peer is gone) and blkfd (empty); how many
 * waited until the watchdog's SIGALRM ended them */
static int
swaprace(int flags)
{
	pthread_t th;
	int i, waited;
	char c;

	stop = 0;
	pthread_create(&th, NULL, swapper, NULL);
	waited = 0;
	alarmed = 0;
	alarm(20);
	for(i = 0; i < Rounds && !alarmed; i++)
		if(recv(swapfd, &c, 1, flags) < 0 && errno == EINTR)
			waited++;
	alarm(0);
	stop = 1;
	pthread_join(th, NULL);
	return waited;
}

static int pairfd[2];
static atomic_long taken;

/* take bytes from pairfd[0] without waiting until Rounds are taken */
static void *
taker(void *a)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char c;

	(void)a;
	while(taken < Rounds && !alarmed){
		sl = sizeof ss;
		if(recvfrom(pairfd[0], &c, 1, MSG_DONTWAIT, (struct sockaddr*)&ss, &sl) == 1)
			taken++;
		else if(errno == EINTR)
			return (void*)1;
	}
	return NULL;
}

static void
nbsock(void)
{
	int a[2], b[2];
	pthread_t th[2];
	void *w0, *w1;
	long i;

	catch(SIGALRM);
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		die("socketpair");
	close(a[1]);	/* a[0] reads end of file: always readable */
	nbfd = a[0];
	blkfd = b[0];
	swapfd = dup(a[0]);
	show("MSG_DONTWAIT reads while the fd is swapped: waited", swaprace(MSG_DONTWAIT));
	show("MSG_DONTWAIT peeks while the fd is swapped: waited", swaprace(MSG_DONTWAIT | MSG_PEEK));
	fcntl(a[0], F_SETFL, O_NONBLOCK);
	fcntl(b[0], F_SETFL, O_NONBLOCK);
	show("O_NONBLOCK reads while the fd is swapped: waited", swaprace(0));
	show("O_NONBLOCK peeks while the fd is swapped: waited", swaprace(MSG_PEEK));
	close(swapfd);

	/* two readers of one datagram socket a byte is sent to at a time */
	if(socketpair(AF_UNIX, SOCK_DGRAM, 0, pairfd) < 0)
		die("socketpair");
	alarmed = 0;
	alarm(20);
	taken = 0;
	pthread_create(&th[0], NULL, taker, NULL);
	pthread_create(&th[1], NULL, taker, NULL);
	for(i = 0; i < Rounds && !alarmed; i++){
		while(i - taken > 8 && !alarmed)
			sched_yield();
		write(pairfd[1], "x", 1);
	}
	pthread_join(th[0], &w0);
	pthread_join(th[1], &w1);
	alarm(0);
	show("two MSG_DONTWAIT readers of one datagram socket: waited", (w0 != NULL) + (w1 != NULL));
}

/* --- sockwait ---------------------------------------------------------- */

static int rdfd;
static long rdret;
static int rderr;
static char rdbuf[16];
static atomic_int rdtid;

static void *
reader(void *a)
{
	(void)a;
	rdtid = syscall(SYS_gettid);
	rdret = read(rdfd, rdbuf, sizeof rdbuf - 1);
	rderr = errno;
	return NULL;
}

/* wait until thread tid sleeps (its /proc state S) */
static void
sleeping(int tid)
{
	char path[64], st[256], *p;
	int fd, i;
	long r;

	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	for(i = 0; i < 100000; i++){
		fd = open(path, O_RDONLY);
		r = fd >= 0 ? read(fd, st, sizeof st - 1) : -1;
		if(fd >= 0)
			close(fd);
		if(r > 0){
			st[r] = 0;
			p = strrchr(st, ')');
			if(p != NULL && p[1] == ' ' && p[2] == 'S')
				return;
		}
		usleep(1000);
	}
	printf("thread %d never slept\n", tid);
}

/* start a reader of fd and wait until it waits */
static pthread_t
startread(int fd)
{
	pthread_t th;

	rdfd = fd;
	rdtid = 0;
	memset(rdbuf, 0, sizeof rdbuf);
	pthread_create(&th, NULL, reader, NULL);
	while(rdtid == 0)
		sched_yield();
	sleeping(rdtid);
	return th;
}

static void
endread(pthread_t th, const char *what)
{
	pthread_join(th, NULL);
	errno = rderr;
	printf("%-52s %ld%s%s %s\n", what, rdret, rdret < 0 ? " " : "", rdret < 0 ? strerror(errno) : "", rdbuf);
	fflush(stdout);
}

static void
sockwait(void)
{
	int a[2], b[2], fd;
	pthread_t th;
	char c;

	catch(SIGUSR1);
	fd = dup(0);	/* the lowest free fd */
	close(fd);
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		die("socketpair");
	/* vxinferno's left the lowest free (its announcer's) unused */
	show("socketpair's ends are the two lowest free fds", a[0] == fd && a[1] == fd + 1 && b[0] == fd + 2 ? 0 : -1);
	/* close of the fd under the read: the read goes on */
	fd = dup(a[0]);
	th = startread(fd);
	show("close of the fd a read waits in", close(fd));
	show("the peer's write", write(a[1], "closed", 6));
	endread(th, "the read, after the close");
	show("a read of the closed fd", read(fd, &c, 1));

	/* dup2 of another socket over it: the read stays on its own */
	fd = dup(a[0]);
	th = startread(fd);
	show("dup2 of another socket over the fd", dup2(b[0], fd) == fd ? 0 : -1);
	show("a write to the new socket's peer", write(b[1], "new", 3));
	show("a write to the old socket's peer", write(a[1], "old", 3));
	endread(th, "the read, after the dup2");
	memset(rdbuf, 0, sizeof rdbuf);
	show("a read of the fd now", read(fd, rdbuf, sizeof rdbuf - 1));
	printf("  %s\n", rdbuf);
	close(fd);

	/* a signal ends it */
	th = startread(a[0]);
	pthread_kill(th, SIGUSR1);
	endread(th, "the read, after a signal");
}

/* --- evswap ----------------------------------------------------------- */

static int evfd, evpipe[2];

static void *
evswapper(void *a)
{
	(void)a;
	while(!stop){
		dup2(evfd, swapfd);
		dup2(evpipe[0], swapfd);
	}
	return NULL;
}

/* keeps the eventfd's count above 0 (a) or the pipe fed */
static void *
evfeeder(void *a)
{
	uint64_t one = 1;
	char b[64];

	memset(b, 'p', sizeof b);
	while(!stop)
		if((a != NULL ? write(evfd, &one, 8) : write(evpipe[1], b, sizeof b)) < 0 && errno != EAGAIN)
			break;
	return NULL;
}

/* Is buf[0:r] (of a buffer of n bytes, 'x' before the read) the pipe's
 * bytes or the eventfd's count? */
static int
evread(const char *buf, long r, int n)
{
	long k;

	if(r == 8 && buf[4] == 0 && buf[5] == 0 && buf[6] == 0 && buf[7] == 0)
		return 1;	/* a count that fits 32 bits */
	for(k = 0; k < r && buf[k] == 'p'; k++)
		;
	return r > 0 && k == r && (r == n || buf[r] == 'x');
}

static void
evswap(void)
{
	char buf[257];
	struct iovec v[2];
	pthread_t th[3];
	long r, i, bad, seen[2];
	int vec;

	if(pipe2(evpipe, O_NONBLOCK) < 0 || (evfd = eventfd(1, EFD_NONBLOCK)) < 0)
		die("setup");
	swapfd = dup(evpipe[0]);
	stop = 0;
	pthread_create(&th[0], NULL, evswapper, NULL);
	pthread_create(&th[1], NULL, evfeeder, &evfd);
	pthread_create(&th[2], NULL, evfeeder, NULL);
	for(vec = 0; vec < 2; vec++){
		bad = seen[0] = seen[1] = 0;
		for(i = 0; i < 200000 && (seen[0] < 3000 || seen[1] < 3000); i++){
			memset(buf, 'x', sizeof buf);
			v[0] = (struct iovec){buf, 5};
			v[1] = (struct iovec){buf + 5, sizeof buf - 6};
			r = vec ? readv(swapfd, v, 2) : read(swapfd, buf, sizeof buf - 1);
			if(r < 0 && errno == EAGAIN)
				continue;
			if(evread(buf, r, sizeof buf - 1))
				seen[r == 8 && buf[0] != 'p']++;
			else if(bad++ < 3)
				printf("  %ld %s [%02x]\n", r, r < 0 ? strerror(errno) : "", buf[0] & 0xff);
		}
		show(vec ? "readv of a pipe an eventfd is swapped with: odd" : "read of a pipe an eventfd is swapped with: odd", bad);
	}
	stop = 1;
	for(vec = 0; vec < 3; vec++)
		pthread_join(th[vec], NULL);
}

/* evrev: an eventfd's reads while another thread dup2s a pipe over the
 * fd and back.  The read that takes the count to 0 silences the
 * eventfd's doorbell: from the eventfd, never from the pipe now at the
 * fd (vxinferno's read of the fd took a byte of the pipe's, which was
 * lost, and left the doorbell rung: the eventfd polled readable with
 * nothing in it). */
static void
evrev(void)
{
	enum { N = 20000 };
	uint64_t one = 1, v;
	long i, n, k, wrote, got, counted;
	struct pollfd pf;
	char buf[64];
	pthread_t th;

	if(pipe2(evpipe, O_NONBLOCK) < 0 || (evfd = eventfd(0, EFD_NONBLOCK)) < 0)
		die("setup");
	swapfd = dup(evfd);
	stop = 0;
	pthread_create(&th, NULL, evswapper, NULL);
	wrote = got = counted = 0;
	for(i = 0; i < N; i++){
		if(write(evfd, &one, 8) != 8)
			die("eventfd write");
		if(write(evpipe[1], "p", 1) == 1)
			wrote++;
		n = read(swapfd, buf, 8);
		if(n == 8 && buf[4] == 0 && buf[5] == 0 && buf[6] == 0 && buf[7] == 0){
			memcpy(&v, buf, 8);
			counted += v;
		}else
			for(k = 0; k < n; k++)
				got += buf[k] == 'p';
	}
	stop = 1;
	pthread_join(th, NULL);
	while((n = read(evpipe[0], buf, sizeof buf)) > 0)
		got += n;
	if(read(evfd, &v, 8) == 8)
		counted += v;
	pf = (struct pollfd){evfd, POLLIN, 0};
	printf("pipe bytes lost %ld\n", wrote - got);
	printf("eventfd counts lost %ld\n", N - counted);
	printf("eventfd readable with nothing in it: %d\n", poll(&pf, 1, 0));
}

/* --- vmin -------------------------------------------------------------- */

static int ptm, pts;

/* n bytes written to the master, and every one of them at the slave */
static void
feed(int n)
{
	char b[512];
	int q, i;

	memset(b, 'a', sizeof b);
	if(n > 0 && write(ptm, b, n) != n)
		die("write master");
	for(i = 0; i < 10000; i++){
		if(ioctl(pts, FIONREAD, &q) < 0)
			die("FIONREAD");
		if(q >= n)
			return;
		usleep(1000);
	}
	printf("only %d of %d bytes reached the slave\n", q, n);
}

static void
setvmin(int vmin, int vtime)
{
	struct termios t;

	if(tcgetattr(pts, &t) < 0)
		die("tcgetattr");
	cfmakeraw(&t);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	if(tcsetattr(pts, TCSANOW, &t) < 0)
		die("tcsetattr");
}

static void
drain(void)
{
	char b[512];
	int fl, q;

	ioctl(pts, FIONREAD, &q);
	fl = fcntl(pts, F_GETFL);
	fcntl(pts, F_SETFL, fl | O_NONBLOCK);
	setvmin(0, 0);
	while(read(pts, b, sizeof b) > 0)
		;
	fcntl(pts, F_SETFL, fl);
	printf("  left %d\n", q);
}

static void
vmincase(int vmin, int vtime, int queued, int count, int nonblock)
{
	char b[512], what[80];
	int fl;
	long r;

	setvmin(vmin, vtime);
	feed(queued);
	fl = fcntl(pts, F_GETFL);
	if(nonblock)
		fcntl(pts, F_SETFL, fl | O_NONBLOCK);
	r = read(pts, b, count);
	fcntl(pts, F_SETFL, fl);
	snprintf(what, sizeof what, "VMIN %d VTIME %d, %d queued, read %d%s", vmin, vtime, queued, count, nonblock ? " O_NONBLOCK" : "");
	show(what, r);
	drain();
}

static void
vmin(void)
{
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if(ptm < 0 || grantpt(ptm) < 0 || unlockpt(ptm) < 0)
		die("posix_openpt");
	pts = open(ptsname(ptm), O_RDWR | O_NOCTTY);
	if(pts < 0)
		die("open slave");
	vmincase(100, 0, 150, 300, 0);
	vmincase(100, 0, 70, 300, 0);
	vmincase(200, 0, 250, 300, 0);
	vmincase(255, 0, 300, 400, 0);
	vmincase(100, 0, 150, 50, 0);
	vmincase(100, 0, 150, 64, 0);
	vmincase(100, 0, 150, 65, 0);
	vmincase(64, 0, 150, 300, 0);
	vmincase(65, 0, 150, 300, 0);
	vmincase(10, 0, 150, 300, 0);
	vmincase(100, 1, 30, 300, 0);	/* VTIME ends it, after the first byte */
	vmincase(100, 1, 90, 300, 0);
	vmincase(100, 0, 30, 300, 1);
	vmincase(100, 0, 90, 300, 1);
	vmincase(10, 0, 5, 300, 1);
}

/* --- pipeswap ---------------------------------------------------------- */

static int pipefd[2], zerofd, nullfd, pswapfd;

static void *
pfeeder(void *a)
{
	char b[512];

	(void)a;
	memset(b, 'p', sizeof b);
	while(!stop)
		if(write(pipefd[1], b, sizeof b) < 0)
			break;
	return NULL;
}

static void *
pswapper(void *a)
{
	int other;

	other = *(int*)a;
	while(!stop){
		dup2(other, pswapfd);
		dup2(*(int*)a == zerofd ? pipefd[0] : pipefd[1], pswapfd);
	}
	return NULL;
}

/* readv (writev) of a pipe's fd while another thread dup2s /dev/zero
 * (/dev/null) over it and back: each call moves the pipe's bytes or the
 * other file's, through its own iovecs, and nothing else.  vxinferno
 * hands the pipe a stand-in token for the iovecs, which only the pipe's
 * copies resolve: had the read reached /dev/zero, it would have written
 * through it as a host buffer (at the guest's address 0), and the
 * iovecs kept their 'x'.  (A writev's count is not compared: a file's
 * writev is a write an iovec at a time here, and a swap between two
 * may split it, where Linux's takes the file once.) */
static void
pipeswap(void)
{
	static char buf[3][300];
	struct iovec v[2];
	pthread_t th[2];
	long r, i, k, bad, calls;
	int other;

	signal(SIGPIPE, SIG_IGN);	/* the feeder's write once the reader is closed */
	if(pipe(pipefd) < 0 || (zerofd = open("/dev/zero", O_RDONLY)) < 0 || (nullfd = open("/dev/null", O_WRONLY)) < 0)
		die("setup");
	/* reads */
	pswapfd = dup(pipefd[0]);
	stop = 0;
	other = zerofd;
	pthread_create(&th[0], NULL, pfeeder, NULL);
	pthread_create(&th[1], NULL, pswapper, &other);
	bad = calls = 0;
	for(i = 0; i < Rounds; i++){
		memset(buf, 'x', sizeof buf);
		v[0] = (struct iovec){buf[0], 100};
		v[1] = (struct iovec){buf[1], 200};
		r = readv(pswapfd, v, 2);
		if(r < 0)
			continue;
		calls++;
		for(k = 0; k < 300; k++){
			char c = k < 100 ? buf[0][k] : buf[1][k - 100];
			if(k < r ? (c != 'p' && c != 0) : c != 'x')
				bad++;
		}
		for(k = 0; k < 300; k++)
			if(buf[2][k] != 'x')
				bad++;
	}
	stop = 1;
	pthread_join(th[1], NULL);
	close(pswapfd);
	close(pipefd[0]);	/* no reader left: the feeder's write fails */
	pthread_join(th[0], NULL);
	show("readv of a pipe /dev/zero is swapped with: bytes astray", bad);
	show("  calls that failed", Rounds - calls);
	close(pipefd[1]);

	/* writes */
	if(pipe(pipefd) < 0)
		die("pipe");
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
	pswapfd = dup(pipefd[1]);
	fcntl(pswapfd, F_SETFL, O_NONBLOCK);
	stop = 0;
	other = nullfd;
	pthread_create(&th[1], NULL, pswapper, &other);
	memset(buf, 'w', sizeof buf);
	bad = 0;
	for(i = 0; i < Rounds; i++){
		char rb[4096];
		v[0] = (struct iovec){buf[0], 100};
		v[1] = (struct iovec){buf[1], 200};
		writev(pswapfd, v, 2);
		while((r = read(pipefd[0], rb, sizeof rb)) > 0)
			for(k = 0; k < r; k++)
				if(rb[k] != 'w')
					bad++;
	}
	stop = 1;
	pthread_join(th[1], NULL);
	show("writev of a pipe /dev/null is swapped with: bytes astray", bad);
}

/* --- vmsplice ---------------------------------------------------------- */

static void
vms(void)
{
	struct iovec v[40], w;
	char *a, *b;
	int p[2], q, i;
	long r;

	a = mmap(NULL, 40 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(a == MAP_FAILED || pipe(p) < 0)
		die("setup");
	memset(a, 'z', 40 * 4096);
	b = malloc(200000);
	for(i = 0; i < 40; i++)
		v[i] = (struct iovec){a + i * 4096 + 10, 1};
	r = vmsplice(p[1], v, 20, SPLICE_F_NONBLOCK);
	show("vmsplice of 20 1-byte iovecs into an empty pipe", r);
	ioctl(p[0], FIONREAD, &q);
	show("  queued", q);
	show("  read", read(p[0], b, 200000));
	r = vmsplice(p[1], v, 20, SPLICE_F_NONBLOCK);
	show("again, after the read", r);
	show("  read", read(p[0], b, 200000));
	w = (struct iovec){a + 100, 70000};
	show("vmsplice of 70,000 bytes from a page's byte 100", vmsplice(p[1], &w, 1, SPLICE_F_NONBLOCK));
	show("  read", read(p[0], b, 200000));
	w = (struct iovec){a, 70000};
	show("vmsplice of 70,000 bytes from a page's start", vmsplice(p[1], &w, 1, SPLICE_F_NONBLOCK));
	show("  read", read(p[0], b, 200000));
	write(p[1], "abc", 3);
	w = (struct iovec){a + 100, 70000};
	show("vmsplice of 70,000 bytes after a write of 3", vmsplice(p[1], &w, 1, SPLICE_F_NONBLOCK));
	show("  read", read(p[0], b, 200000));
	v[0] = (struct iovec){a + 4000, 200};	/* two pages */
	v[1] = (struct iovec){a + 3 * 4096, 4096};	/* one */
	v[2] = (struct iovec){a + 5 * 4096 + 1, 4096};	/* two */
	show("vmsplice of iovecs of 2, 1 and 2 pages", vmsplice(p[1], v, 3, SPLICE_F_NONBLOCK));
	show("  read", read(p[0], b, 200000));
	write(p[1], b, 15 * 4096);
	show("vmsplice of 2+1+2 pages after 15 pages written", vmsplice(p[1], v, 3, SPLICE_F_NONBLOCK));
	show("  read", read(p[0], b, 200000));
	write(p[1], b, 14 * 4096 + 1);
	show("vmsplice of 2+1+2 pages after 14 pages and a byte", vmsplice(p[1], v, 3, SPLICE_F_NONBLOCK));
	show("  read", read(p[0], b, 200000));
}

/* --- stdout ------------------------------------------------------------ */

static void
stdoutfault(void)
{
	struct iovec v[2];
	char *p;
	long r;

	/* 8 pages, the sixth not there */
	p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED)
		die("mmap");
	memset(p, 'o', 8 * 4096);
	for(r = 0; r < 8 * 4096; r += 64)
		p[r + 63] = '\n';
	mprotect(p + 5 * 4096, 4096, PROT_NONE);
	v[0] = (struct iovec){p + 5 * 4096 - 6, 6};
	v[1] = (struct iovec){p + 5 * 4096, 10};
	r = writev(1, v, 2);
	dprintf(2, "writev of 6 bytes and 10 not there: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	r = write(1, p + 5 * 4096 - 6, 16);
	dprintf(2, "write of 16 bytes, the last 10 not there: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	r = write(1, p + 4096 - 7, 4 * 4096 + 17);
	dprintf(2, "write of 4 pages and 17 bytes, the last 10 not there: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	v[0] = (struct iovec){p, 3 * 4096};
	v[1] = (struct iovec){p + 4 * 4096 + 5, 8192};
	r = writev(1, v, 2);
	dprintf(2, "writev of 3 pages, then a page and a half of 2: %ld %s\n", r, r < 0 ? strerror(errno) : "");
}

int
main(int argc, char **argv)
{
	if(argc < 2){
		fprintf(stderr, "usage: guest_streams nbsock|sockwait|pipeswap|evswap|evrev|vmin|vmsplice|stdout\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	if(strcmp(argv[1], "nbsock") == 0)
		nbsock();
	else if(strcmp(argv[1], "sockwait") == 0)
		sockwait();
	else if(strcmp(argv[1], "pipeswap") == 0)
		pipeswap();
	else if(strcmp(argv[1], "vmin") == 0)
		vmin();
	else if(strcmp(argv[1], "evswap") == 0)
		evswap();
	else if(strcmp(argv[1], "evrev") == 0)
		evrev();
	else if(strcmp(argv[1], "vmsplice") == 0)
		vms();
	else if(strcmp(argv[1], "stdout") == 0)
		stdoutfault();
	else
		return 2;
	return 0;
}
