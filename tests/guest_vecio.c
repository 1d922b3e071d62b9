/*
 * guest_vecio.c — readv and writev (preadv, pwritev) of streams and
 * files, run natively and in the sandbox, the same output
 * (tests/vxinferno_vecio.t).  vxinferno did a stream's vectored call as
 * one read or write per buffer, after checking every buffer first.
 *
 * atomic: four writers writev records of two 2,000-byte halves into one
 * pipe; a write of at most PIPE_BUF is atomic, so every 4,000-byte
 * record comes out whole.  Then one writev of 3 MB (past PIPE_BUF: no
 * promise of atomicity, but all of it, in order) to a reader.
 *
 * sockets: readv and writev of a SOCK_DGRAM and a SOCK_SEQPACKET
 * socketpair are one datagram each (a short readv truncates it); of a
 * SOCK_STREAM one, one read of what is there; an eventfd's read of 8
 * bytes in two iovecs of 4 (its writev is a write a buffer at a time,
 * the 4 bytes EINVAL), a timerfd's and a signalfd's readv one read, an
 * inotify queue's a read a buffer at a time.
 *
 * faults: a pipe's and a socket's readv and writev whose second buffer
 * is not there (or read-only, for a read): a pipe moves the pipe buffers
 * that reach the buffers whole and leaves the rest (EFAULT for none); a
 * socket's write sends nothing (EFAULT); a datagram read delivers one
 * that fits before the fault, else fails EFAULT and loses it; a stream
 * socket's read of one write's bytes that straddle the fault is EFAULT
 * and leaves them.
 *
 * files: preadv and pwritev at an offset leave the fd's own; a file's
 * readv and writev whose second buffer is not there move the first.
 *
 * limits, vmsplice, sigpipe: see those functions (session 25's red
 * team: EINVAL past MAX_RW_COUNT, a vmsplice that waited for ever, no
 * SIGPIPE with a short count).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/inotify.h>
#include <signal.h>
#include <stdint.h>

static char *area;	/* 4 pages: 0-2 read-write, 3 unmapped or read-only */

static void
show(const char *what, long r)
{
	printf("%-44s %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

/* what is left to read on fd, piece by piece */
static void
left(int fd)
{
	static char b[70000];
	long r, t;
	int fl;

	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	for(t = 0; (r = read(fd, b, sizeof b)) > 0; t += r)
		printf("  piece %ld\n", r);
	fcntl(fd, F_SETFL, fl);
	printf("  left %ld\n", t);
}

static void
badpage(int ro)
{
	munmap(area + 3 * 4096, 4096);
	if(ro)
		mmap(area + 3 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static int
atomic(void)
{
	enum { K = 4, N = 1500, H = 2000 };
	static char buf[K * N * 2 * H];
	long got, r, o, big;
	int p[2], i, k, bad;
	struct iovec v[3];
	char *m;

	if(pipe(p) < 0)
		return 1;
	for(k = 0; k < K; k++)
		if(fork() == 0){
			char a[H], b[H];
			struct iovec w[2] = {{a, H}, {b, H}};

			close(p[0]);
			memset(a, 'a' + k, H);
			memset(b, 'a' + k, H);
			for(i = 0; i < N; i++)
				if(writev(p[1], w, 2) != 2 * H)
					_exit(3);
			_exit(0);
		}
	close(p[1]);
	for(got = 0; (r = read(p[0], buf + got, sizeof buf - got)) > 0; got += r)
		;
	close(p[0]);
	bad = 0;
	for(k = 0; k < K; k++){
		wait(&i);
		bad += !WIFEXITED(i) || WEXITSTATUS(i) != 0;
	}
	for(o = 0; o < got; o += 2 * H)
		for(i = 1; i < 2 * H; i++)
			if(buf[o + i] != buf[o]){
				bad++;
				break;
			}
	printf("records %ld, torn or failed %d\n", got / (2 * H), bad);

	/* 3 MB in one writev: all of it, in order */
	big = 3 << 20;
	m = malloc(big);
	for(o = 0; o < big; o++)
		m[o] = o % 251;
	if(pipe(p) < 0)
		return 1;
	if(fork() == 0){
		close(p[0]);
		v[0] = (struct iovec){m, 1000};
		v[1] = (struct iovec){m + 1000, 0};
		v[2] = (struct iovec){m + 1000, big - 1000};
		r = writev(p[1], v, 3);
		_exit(r == big ? 0 : 4);
	}
	close(p[1]);
	for(got = 0, bad = 0; (r = read(p[0], buf, 65536 + 17)) > 0; got += r)
		for(o = 0; o < r; o++)
			bad += buf[o] != (char)((got + o) % 251);
	wait(&i);
	printf("big writev: read %ld, wrong %d, writer status %d\n", got, bad, WEXITSTATUS(i));
	return 0;
}

static void
datagrams(const char *name, int type)
{
	char a[40], b[40], c[100], w[80];
	struct iovec v[3], r[2];
	int s[2];

	if(socketpair(AF_UNIX, type, 0, s) < 0){
		show(name, -1);
		return;
	}
	memset(a, 'a', sizeof a);
	memset(b, 'b', sizeof b);
	v[0] = (struct iovec){a, 10};
	v[1] = (struct iovec){b, 0};
	v[2] = (struct iovec){b, 20};
	snprintf(w, sizeof w, "%s writev 10+0+20", name);
	show(w, writev(s[0], v, 3));
	v[0].iov_len = 30;
	v[2].iov_len = 10;
	snprintf(w, sizeof w, "%s writev 30+0+10", name);
	show(w, writev(s[0], v, 3));
	snprintf(w, sizeof w, "%s writev 0 (sends nothing)", name);
	show(w, writev(s[0], v, 0));
	v[0].iov_len = 25;
	snprintf(w, sizeof w, "%s writev 25", name);
	show(w, writev(s[0], v, 1));
	r[0] = (struct iovec){c, 5};
	r[1] = (struct iovec){c + 5, 95};
	memset(c, 0, sizeof c);
	snprintf(w, sizeof w, "%s readv 5+95", name);
	show(w, readv(s[1], r, 2));
	printf("  %.40s\n", c);
	snprintf(w, sizeof w, "%s readv 5+95", name);
	show(w, readv(s[1], r, 2));
	r[1].iov_len = 3;
	snprintf(w, sizeof w, "%s readv 5+3 (25 truncated)", name);
	show(w, readv(s[1], r, 2));
	left(s[1]);
	close(s[0]);
	close(s[1]);
}

/* 300,000 bytes in one writev and one sendmsg (past a datagram's
 * largest: a stream's goes a piece at a time) to a reader: all of them,
 * in order */
static void
bigstream(int a, int b)
{
	enum { Big = 300000 };
	static char m[Big], in[65536];
	struct iovec v[3];
	struct msghdr mh;
	long r, got, o, bad;
	int i, st;

	for(o = 0; o < Big; o++)
		m[o] = o % 253;
	if(fork() == 0){
		close(b);
		v[0] = (struct iovec){m, 1000};
		v[1] = (struct iovec){m + 1000, 0};
		v[2] = (struct iovec){m + 1000, Big - 1000};
		r = writev(a, v, 3);
		memset(&mh, 0, sizeof mh);
		mh.msg_iov = v;
		mh.msg_iovlen = 3;
		_exit(r == Big && sendmsg(a, &mh, 0) == Big ? 0 : 4);
	}
	for(got = 0, bad = 0; got < 2 * Big && (r = read(b, in, sizeof in)) > 0; got += r)
		for(i = 0; i < r; i++)
			bad += in[i] != (char)((got + i) % Big % 253);
	wait(&st);
	printf("stream writev and sendmsg of %d: read %ld, wrong %ld, writer status %d\n", Big, got, bad, WEXITSTATUS(st));
}

/* A timerfd's and a signalfd's readv take the iovecs as one buffer; an
 * inotify queue's reads them a buffer at a time (Linux's inotify has
 * only the one-buffer read): an event that does not fit the first
 * ends it */
static void
oneread(void)
{
	char b[512], dir[] = "/tmp/guest_vecio.XXXXXX", name[600];
	struct itimerspec its = {{0, 0}, {0, 1000}};
	struct iovec v[2];
	uint64_t x;
	sigset_t set;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	timerfd_settime(fd, 0, &its, NULL);
	v[0] = (struct iovec){&x, 4};
	v[1] = (struct iovec){(char*)&x + 4, 4};
	show("timerfd readv 4+4", readv(fd, v, 2));
	close(fd);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, 0);
	raise(SIGUSR1);
	v[0] = (struct iovec){b, 64};
	v[1] = (struct iovec){b + 64, 64};
	show("signalfd readv 64+64", readv(fd, v, 2));
	close(fd);
	if(mkdtemp(dir) == NULL)
		return;
	fd = inotify_init();
	inotify_add_watch(fd, dir, IN_CREATE);
	snprintf(name, sizeof name, "%s/a", dir);
	close(open(name, O_CREAT | O_WRONLY, 0600));
	unlink(name);
	snprintf(name, sizeof name, "%s/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", dir);
	close(open(name, O_CREAT | O_WRONLY, 0600));
	unlink(name);
	v[0] = (struct iovec){b, 40};
	v[1] = (struct iovec){b + 40, 200};
	show("inotify readv 40+200 (two events)", readv(fd, v, 2));
	show("inotify readv 40+200 (the second)", readv(fd, v, 2));
	close(fd);
	rmdir(dir);
}

static int
sockets(void)
{
	char a[40], c[100];
	struct iovec v[2];
	uint64_t x;
	int s[2], e;

	datagrams("dgram", SOCK_DGRAM);
	datagrams("seqpacket", SOCK_SEQPACKET);
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0)
		return 1;
	memset(a, 's', sizeof a);
	v[0] = (struct iovec){a, 10};
	v[1] = (struct iovec){a, 20};
	show("stream writev 10+20", writev(s[0], v, 2));
	show("stream writev 10+20", writev(s[0], v, 2));
	v[0] = (struct iovec){c, 7};
	v[1] = (struct iovec){c + 7, 93};
	show("stream readv 7+93", readv(s[1], v, 2));
	left(s[1]);
	bigstream(s[0], s[1]);
	close(s[0]);
	close(s[1]);
	e = eventfd(0, 0);
	x = 5;
	v[0] = (struct iovec){&x, 4};
	v[1] = (struct iovec){(char*)&x + 4, 4};
	show("eventfd writev 4+4 (a buffer at a time)", writev(e, v, 2));
	show("eventfd write 8", write(e, &x, 8));
	x = 0;
	show("eventfd readv 4+4", readv(e, v, 2));
	printf("  count %llu\n", (unsigned long long)x);
	close(e);
	oneread();
	return 0;
}

/* The fd pair a (writes) b (reads) of a case, its name */
static int fa, fb;
static const char *fname;

/* writev of [l0 bytes at b0][l1 at b1], and what reached b */
static void
wv(const char *what, char *b0, int l0, char *b1, int l1)
{
	struct iovec v[2] = {{b0, l0}, {b1, l1}};
	char w[80];

	snprintf(w, sizeof w, "%s writev %s", fname, what);
	show(w, writev(fa, v, 2));
	left(fb);
}

/* q1 bytes written (and q2 more, a write of their own), then a readv of
 * [l0 at b0][l1 at b1] (b1 NULL: a read of l0 at b0), and what is left */
static void
rv(int q1, int q2, const char *what, char *b0, int l0, char *b1, int l1)
{
	static char small[300];
	struct iovec v[2] = {{b0, l0}, {b1, l1}};
	char w[80];

	memset(small, 'x', sizeof small);
	write(fa, small, q1);
	if(q2 > 0)
		write(fa, small, q2);
	snprintf(w, sizeof w, "%s %d%s%.0d queued, %s", fname, q1, q2 > 0 ? "+" : "", q2, what);
	show(w, b1 != NULL ? readv(fb, v, 2) : read(fb, b0, l0));
	left(fb);
}

/* q bytes written, then a recvmsg into [l0 at b0][l1 at b1] */
static void
rm(int q, const char *what, char *b0, int l0, char *b1, int l1)
{
	static char small[300];
	struct iovec v[2] = {{b0, l0}, {b1, l1}};
	struct msghdr mh;
	char w[80];

	memset(&mh, 0, sizeof mh);
	mh.msg_iov = v;
	mh.msg_iovlen = 2;
	write(fa, small, q);
	snprintf(w, sizeof w, "%s %d queued, recvmsg %s", fname, q, what);
	show(w, recvmsg(fb, &mh, 0));
	left(fb);
}

/* type: a socket's, or 0 for a pipe */
static void
faultcases(const char *name, int a, int b, int type)
{
	int stream = type == SOCK_STREAM;
	char *end = area + 3 * 4096;	/* the page after it is the bad one */

	fname = name;
	fa = a;
	fb = b;
	badpage(0);
	wv("[100][bad 100]", end - 100, 100, end, 100);
	wv("[4096][bad 100]", area, 4096, end, 100);
	wv("[8192][50|bad 50]", area + 4096, 8192, end - 50, 100);
	wv("[bad 10][100]", end, 10, end - 100, 100);
	if(!stream){
		/* a stream socket takes the queued writes that fit before
		 * the fault; vxinferno's queue does not keep them apart, and
		 * its read into such a buffer is EFAULT whole */
		rv(100, 0, "readv [100][bad 100]", end - 100, 100, end, 100);
		rv(50, 0, "readv [100][bad 100]", end - 100, 100, end, 100);
		rv(100, 100, "readv [100][bad 100]", end - 100, 100, end, 100);
		rv(50, 0, "read [100|bad]", end - 100, 200, NULL, 0);
	}
	rv(200, 0, "readv [100][bad 100]", end - 100, 100, end, 100);
	rv(200, 0, "read [100|bad]", end - 100, 200, NULL, 0);
	if(type != 0 && !stream)
		rm(50, "[100][bad 100]", end - 100, 100, end, 100);
	if(type != 0)
		rm(200, "[100][bad 100]", end - 100, 100, end, 100);
	badpage(1);
	if(!stream)
		rv(30, 0, "readv [100][read-only 100]", end - 100, 100, end, 100);
	rv(130, 0, "readv [100][read-only 100]", end - 100, 100, end, 100);
	wv("[100][read-only 100]", end - 100, 100, end, 100);
}

static int
faults(void)
{
	static const struct { const char *name; int type; } kinds[] = {
		{"stream", SOCK_STREAM}, {"dgram", SOCK_DGRAM}, {"seqpacket", SOCK_SEQPACKET},
	};
	int p[2], i;

	area = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(area, 'y', 3 * 4096);
	if(pipe(p) < 0)
		return 1;
	faultcases("pipe", p[1], p[0], 0);
	close(p[0]);
	close(p[1]);
	for(i = 0; i < 3; i++){
		if(socketpair(AF_UNIX, kinds[i].type, 0, p) < 0)
			return 1;
		faultcases(kinds[i].name, p[0], p[1], kinds[i].type);
		close(p[0]);
		close(p[1]);
	}
	return 0;
}

static int
files(void)
{
	char a[64], b[64], c[200];
	struct iovec v[2];
	int fd;

	area = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(area, 'y', 3 * 4096);
	badpage(0);
	fd = open("/tmp/guest_vecio.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0)
		return 1;
	unlink("/tmp/guest_vecio.file");
	memset(a, 'a', sizeof a);
	memset(b, 'b', sizeof b);
	show("write 10", write(fd, a, 10));
	v[0] = (struct iovec){a, 20};
	v[1] = (struct iovec){b, 30};
	show("pwritev 20+30 at 100", pwritev(fd, v, 2, 100));
	show("offset", lseek(fd, 0, SEEK_CUR));
	memset(c, 0, sizeof c);
	v[0] = (struct iovec){c, 3};
	v[1] = (struct iovec){c + 3, 50};
	show("preadv 3+50 at 98", preadv(fd, v, 2, 98));
	printf("  %d %d %.53s\n", c[0], c[1], c + 2);
	show("offset", lseek(fd, 0, SEEK_CUR));
	show("preadv 3+50 at 1000", preadv(fd, v, 2, 1000));
	v[0] = (struct iovec){area + 3 * 4096 - 100, 100};
	v[1] = (struct iovec){area + 3 * 4096, 100};
	show("pwritev [100][bad 100] at 200", pwritev(fd, v, 2, 200));
	show("writev [100][bad 100]", writev(fd, v, 2));
	show("offset", lseek(fd, 0, SEEK_CUR));
	show("preadv [100][bad 100] at 150", preadv(fd, v, 2, 150));
	show("preadv [100][bad 100] at 0", preadv(fd, v, 2, 0));
	lseek(fd, 0, SEEK_SET);
	show("readv [100][bad 100]", readv(fd, v, 2));
	show("offset", lseek(fd, 0, SEEK_CUR));
	v[0] = (struct iovec){area + 3 * 4096, 100};
	show("readv [bad 100][bad 100]", readv(fd, v, 2));
	close(fd);
	return 0;
}

/* limits: iovecs past MAX_RW_COUNT in all are cut to end there, as
 * Linux's (a short count from a pipe's room, not EINVAL); a length of 2
 * GiB or more (a negative ssize_t) is EINVAL, also after the cut; a
 * buffer that wraps past 4 GiB faults; UIO_MAXIOV buffers go, one more
 * is EINVAL.  A nonblocking pipe takes what fits. */
static int
limits(void)
{
	static struct iovec w[1025];
	struct iovec v[3];
	char *b;
	int p[2], s[2], i;

	b = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(b, 'x', 1 << 20);
	if(pipe2(p, O_NONBLOCK) < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, s) < 0)
		return 1;
	v[0] = (struct iovec){b, 100};
	v[1] = (struct iovec){b, 0x7fffffff};
	v[2] = (struct iovec){b, 0x80000000u};
	show("writev [100][2G-1]", writev(p[1], v, 2));
	left(p[0]);
	show("writev [100][2G-1][2G]", writev(p[1], v, 3));
	left(p[0]);
	v[1].iov_len = 0x80000000u;
	show("writev [100][2G]", writev(p[1], v, 2));
	v[0].iov_len = v[1].iov_len = 0x7ffff000;
	show("writev [MAX_RW][MAX_RW]", writev(p[1], v, 2));
	left(p[0]);
	write(p[1], b, 5000);
	v[0] = (struct iovec){b, 0x7fffffff};
	v[1] = (struct iovec){b, 10};
	show("readv [2G-1][10] of 5000", readv(p[0], v, 2));
	v[0] = (struct iovec){b, 100};
	v[1] = (struct iovec){b, 0x7fffffff};
	show("dgram writev [100][2G-1]", writev(s[0], v, 2));
	v[1] = (struct iovec){(char*)0xfffff000, 0x2000};
	v[2] = (struct iovec){b, 10};
	show("writev [100][4G-4K 8K][10]", writev(p[1], v, 3));
	left(p[0]);
	for(i = 0; i < 1025; i++)
		w[i] = (struct iovec){b + i, 1};
	show("writev 1024 buffers", writev(p[1], w, 1024));
	show("writev 1025 buffers", writev(p[1], w, 1025));
	show("readv 1024 buffers", readv(p[0], w, 1024));
	return 0;
}

/* vmsplice: a write waits only while the pipe is full, then takes what
 * fits (one longer than the pipe with no reader yet is short, not a
 * wait for ever); SPLICE_F_NONBLOCK is EAGAIN where it would wait, the
 * fd's O_NONBLOCK is not looked at; a read is a readv.  Page-aligned
 * buffers: Linux's count is of the pages it takes. */
static void
onalrm(int sig)
{
	(void)sig;
}

static int
vmsplices(void)
{
	struct sigaction sa;
	struct iovec v[2];
	char *b;
	int p[2];

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;
	sigaction(SIGALRM, &sa, NULL);
	b = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(pipe(p) < 0)
		return 1;
	v[0] = (struct iovec){b, 100000};
	v[1] = (struct iovec){b, 100000};
	show("vmsplice 200000, nobody reading", vmsplice(p[1], v, 2, 0));
	show("vmsplice full, SPLICE_F_NONBLOCK", vmsplice(p[1], v, 2, SPLICE_F_NONBLOCK));
	ualarm(50000, 0);
	show("vmsplice full, a signal", vmsplice(p[1], v, 2, 0));
	ualarm(0, 0);
	v[0].iov_len = v[1].iov_len = 1000;
	show("vmsplice read 1000+1000", vmsplice(p[0], v, 2, 0));
	left(p[0]);
	show("vmsplice read empty, SPLICE_F_NONBLOCK", vmsplice(p[0], v, 2, SPLICE_F_NONBLOCK));
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	ualarm(50000, 0);
	show("vmsplice read empty O_NONBLOCK, a signal", vmsplice(p[0], v, 2, 0));
	ualarm(0, 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	show("vmsplice 200000 to O_NONBLOCK", vmsplice(p[1], v, 2, 0));
	show("vmsplice read 1000+1000", vmsplice(p[0], v, 2, 0));
	close(p[1]);
	show("vmsplice read, writer gone", vmsplice(p[0], v, 2, SPLICE_F_NONBLOCK));
	show("vmsplice read, writer gone, empty", vmsplice(p[0], v, 2, SPLICE_F_NONBLOCK));
	return 0;
}

/* sigpipe: a pipe's write or writev cut short by its reader's exit
 * returns the bytes written and raises SIGPIPE, as Linux's pipe_write;
 * the next write EPIPE and SIGPIPE again */
static int npipe;

static void
onpipe(int sig)
{
	(void)sig;
	npipe++;
}

static void
cutshort(const char *what, int vec)
{
	static char rb[65536];
	struct iovec v[2];
	long r, t;
	char *b;
	int p[2];
	pid_t pid;

	b = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(pipe(p) < 0)
		return;
	if((pid = fork()) == 0){
		close(p[1]);
		for(t = 0; t < 65536 && (r = read(p[0], rb, 65536 - t)) > 0; t += r)
			;
		_exit(0);
	}
	close(p[0]);
	v[0] = (struct iovec){b, 100000};
	v[1] = (struct iovec){b, 100000};
	npipe = 0;
	r = vec ? writev(p[1], v, 2) : write(p[1], b, 200000);
	printf("%s cut short: %s, SIGPIPE %d\n", what, r >= 65536 && r < 200000 ? "a short count" : "wrong", npipe);
	waitpid(pid, NULL, 0);
	npipe = 0;
	show(what, vec ? writev(p[1], v, 2) : write(p[1], b, 200000));
	printf("  SIGPIPE %d\n", npipe);
	close(p[1]);
	munmap(b, 1 << 20);
}

static int
sigpipes(void)
{
	signal(SIGPIPE, onpipe);
	cutshort("write", 0);
	cutshort("writev", 1);
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "atomic") == 0)
		return atomic();
	if(argc > 1 && strcmp(argv[1], "sockets") == 0)
		return sockets();
	if(argc > 1 && strcmp(argv[1], "faults") == 0)
		return faults();
	if(argc > 1 && strcmp(argv[1], "files") == 0)
		return files();
	if(argc > 1 && strcmp(argv[1], "limits") == 0)
		return limits();
	if(argc > 1 && strcmp(argv[1], "vmsplice") == 0)
		return vmsplices();
	if(argc > 1 && strcmp(argv[1], "sigpipe") == 0)
		return sigpipes();
	fprintf(stderr, "usage: guest_vecio atomic|sockets|faults|files|limits|vmsplice|sigpipe\n");
	return 2;
}
