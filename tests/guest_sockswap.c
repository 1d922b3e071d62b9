/*
 * guest_sockswap.c — what session 29's byfd and sockleft left: copies
 * from a datagram socket, from a socket whose fd is a dup, and from a
 * connected TCP socket, whose write may come up short; and calls on an
 * fd another thread swaps (swapfd.h) between two sockets of one device,
 * between an unconnected socket and a pipe, and between a timerfd and
 * a pipe (tests/vxinferno_sockswap.t).
 *
 *	guest_sockswap dgcopy|tcpcopy|cperr
 *	guest_sockswap sockid|ctlswap|tfdwait|ctltemp N
 *
 * dgcopy (no race): a unix datagram socketpair's and a UDP socket's
 * datagram spliced and sendfile'd to a full nonblocking pipe: as
 * Linux's (which waits for the pipe's room before it reads), EAGAIN and
 * the datagram still queued.  A 10000-byte datagram spliced to a pipe
 * with a page of room: 4096 bytes copied, the rest of that datagram
 * dropped, the next datagram whole.  A blocking empty datagram socket
 * spliced with SPLICE_F_NONBLOCK to a full pipe: EAGAIN, not a wait.
 * A datagram sendfile'd to /dev/full: EINVAL (Linux 5.10 on: it has no
 * splice_write), the datagram still queued (it was ENOSPC, lost).  A
 * dup of a stream socket (whose record has no Sock yet) spliced to a
 * full pipe: EAGAIN, the socket keeps its bytes.  Each of these read
 * the datagram (or the bytes) first and lost it; the empty socket's
 * waited for ever (a hang: the test's timeout).
 *
 * tcpcopy (no race): splice from a TCP socket made by socket() and
 * connect() and from the one accept() gave.  The connected one's
 * record kept its ctl's qid path when the data file replaced it at the
 * fd, and the copy's take, which compares them, made the call again
 * for ever (a spin: the test's timeout).
 *
 * sockid: Swapfd swaps between a bound UDP socket and a unix stream
 * socket (one device, #I, here), each holding a one-byte message that
 * is sent again once read; N recvs (MSG_DONTWAIT) of Swapfd.  As Linux:
 * each answers 1 byte, 'u' or 's', or EAGAIN.  A recv whose Sock was
 * one socket's and whose take found the other read the UDP datagram
 * with its 52-byte header as data, or the stream's byte as a header
 * (EIO).
 *
 * ctlswap: Swapfd swaps between a fresh (unconnected) TCP socket and a
 * pipe's write end; N setsockopt(SO_SNDBUF)s of Swapfd.  As Linux: each
 * answers 0 or ENOTSOCK, and the pipe gets nothing.  The socket's ctl
 * message, written on the fd (an unconnected socket's fd is its ctl),
 * went into the pipe where it had been put there meanwhile.
 *
 * tfdwait: a blocking timerfd and an empty nonblocking pipe.  Each
 * round another thread reads Swapfd while it is the timerfd (again on
 * EAGAIN, the pipe's), and this one puts the pipe at Swapfd, arms the
 * timer (a microsecond) and puts the timerfd back.  As Linux: the read that took
 * the timerfd answers once it expires.  One that waited on whatever was
 * at the fd (the pipe) waited for ever (a hang: the test's timeout).
 *
 * ctltemp: a fresh TCP socket; another thread dup2s a pipe's write end
 * onto the lowest free fd and closes it, over and over; N rounds of a
 * setsockopt(SO_SNDBUF) and a getsockname of the socket.  As Linux:
 * each answers 0, every dup2 and close succeeds and the pipe gets
 * nothing.  The socket's ctl was opened for each message at a
 * temporary fd, the lowest free number: the dup2 put the pipe there
 * between the open and the write, the pipe got "sndbuf N", and the
 * close of the temporary closed the guest's fd behind its record (a
 * close EBADF), as getsockname's read of the "local" file did.
 *
 * cperr (no race): splice's and copy_file_range's argument checks in
 * Linux's order.  A splice of length 0 answers 0 before its flags and
 * fds are looked at (they were: EINVAL, EBADF).  A unix datagram
 * spliced to a pipe's read end: EBADF with the datagram still queued
 * (it was read, and lost, before the write's EBADF); a pipe's write
 * end spliced from: EBADF.  A socket's offset in a splice: EINVAL (no
 * FMODE_PREAD; it was ESPIPE).  copy_file_range of a regular file to
 * /dev/full or /dev/null: EINVAL (not regular; it was ENOSPC, and a
 * copy).  A blocking fresh (unbound) UDP socket's splice and sendfile
 * to a pipe wait till a signal (a timer's, no SA_RESTART): EINTR (they
 * read the socket's ctl, the file held from the call's start, which the
 * data file replaced when the read announced it: EIO at once).
 *
 * Prints what was wrong and the calls' answers, then "done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <signal.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "swapfd.h"

enum { Big = 10000 };

static char pat[Big], got[1 << 17];

/* a pipe filled to the last byte (nonblocking), or with a page of
 * room (room) */
static int
fillpipe(int b[2], int room)
{
	static char f[4096];

	if(pipe2(b, O_NONBLOCK) < 0)
		return -1;
	memset(f, 'f', sizeof f);
	while(write(b[1], f, sizeof f) > 0)
		;
	while(write(b[1], f, 1) > 0)
		;
	if(room && read(b[0], f, sizeof f) != sizeof f)
		return -1;
	return 0;
}

static void
answer(char *what, long r)
{
	printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

/* what datagram socket s holds next: its length and whether it is
 * the pattern's first n bytes */
static void
next(char *what, int s, long n)
{
	long r;

	r = recv(s, got, sizeof got, MSG_DONTWAIT);
	printf("%s: the socket's next datagram %ld bytes%s\n", what, r,
		r == n && memcmp(got, pat, n) == 0 ? ", whole" : r < 0 ? " (none)" : "");
}

/* the datagram copies of rd, whose peer wr sends with send (to NULL) or
 * sendto */
static void
dgcopies(char *kind, int rd, int wr, struct sockaddr_in *to)
{
	char what[64];
	long r;
	int b[2];

#define SEND(n) (to == NULL ? send(wr, pat, (n), 0) : sendto(wr, pat, (n), 0, (struct sockaddr*)to, sizeof *to))
	if(fillpipe(b, 0) < 0 || SEND(1000) != 1000)
		return;
	snprintf(what, sizeof what, "%s splice to a full pipe", kind);
	answer(what, splice(rd, NULL, b[1], NULL, 1000, 0));
	next(what, rd, 1000);
	if(SEND(1000) != 1000)
		return;
	snprintf(what, sizeof what, "%s sendfile to a full pipe", kind);
	answer(what, sendfile(b[1], rd, NULL, 1000));
	next(what, rd, 1000);
	close(b[0]);
	close(b[1]);
	if(fillpipe(b, 1) < 0 || SEND(Big) != Big || SEND(7) != 7)
		return;
	snprintf(what, sizeof what, "%s splice to a page of room", kind);
	r = splice(rd, NULL, b[1], NULL, Big, 0);
	answer(what, r);
	if(r > 0){
		long k;

		for(k = 0; read(b[0], got, 4096) == 4096; k++)
			;
		/* the pipe's 15 pages of 'f', then what the copy put */
		printf("%s: the copy's bytes %s\n", what, memcmp(got, pat, r) == 0 ? "in order" : "wrong");
	}
	next(what, rd, 7);
	close(b[0]);
	close(b[1]);
#undef SEND
}

/* UDP sockets *rd, bound to a loopback port (its address in *a), and
 * *wr to send to it from */
static int
udppair(int *rd, int *wr, struct sockaddr_in *a)
{
	socklen_t al;

	*rd = socket(AF_INET, SOCK_DGRAM, 0);
	*wr = socket(AF_INET, SOCK_DGRAM, 0);
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	al = sizeof *a;
	if(*rd < 0 || *wr < 0 || bind(*rd, (struct sockaddr*)a, sizeof *a) < 0 || getsockname(*rd, (struct sockaddr*)a, &al) < 0)
		return -1;
	return 0;
}

static void
dgcopy(void)
{
	struct sockaddr_in a;
	int sv[2], b[2], u1, u2, d, st[2];
	long i, k;

	for(i = 0; i < Big; i++)
		pat[i] = 'a' + i % 23;
	if(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		return;
	dgcopies("unix datagram", sv[1], sv[0], NULL);
	/* to /dev/full (no splice_write: EINVAL before the read) */
	if((d = open("/dev/full", O_WRONLY)) < 0 || send(sv[0], pat, 1000, 0) != 1000)
		return;
	answer("unix datagram sendfile to /dev/full", sendfile(d, sv[1], NULL, 1000));
	next("unix datagram sendfile to /dev/full", sv[1], 1000);
	close(d);
	/* blocking and empty, to a full pipe: the pipe's room first */
	if(fillpipe(b, 0) < 0)
		return;
	fcntl(b[1], F_SETFL, 0);
	answer("empty blocking unix datagram socket, SPLICE_F_NONBLOCK, to a full pipe", splice(sv[1], NULL, b[1], NULL, 1000, SPLICE_F_NONBLOCK));
	close(b[0]);
	close(b[1]);
	if(udppair(&u1, &u2, &a) < 0){
		printf("udp: %s\n", strerror(errno));
		return;
	}
	dgcopies("udp", u1, u2, &a);
	/* a dup's record: no Sock till a socket call finds it */
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, st) < 0 || write(st[0], pat, Big) != Big || (d = dup(st[1])) < 0 || fillpipe(b, 0) < 0)
		return;
	answer("dup of a stream socket, splice to a full pipe", splice(d, NULL, b[1], NULL, Big, 0));
	fcntl(st[1], F_SETFL, O_NONBLOCK);
	for(k = 0; k < Big && (i = read(st[1], got + k, Big - k)) > 0; k += i)
		;
	printf("dup of a stream socket: the socket holds %ld bytes%s\n", k, k == Big && memcmp(got, pat, Big) == 0 ? ", in order" : "");
}

static void
tcpcopy(void)
{
	struct sockaddr_in a;
	socklen_t al;
	int l, c, s, b[2];

	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	al = sizeof a;
	if(l < 0 || bind(l, (struct sockaddr*)&a, sizeof a) < 0 || listen(l, 1) < 0 || getsockname(l, (struct sockaddr*)&a, &al) < 0){
		printf("tcpcopy: %s\n", strerror(errno));
		return;
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if(c < 0 || connect(c, (struct sockaddr*)&a, sizeof a) < 0 || (s = accept(l, NULL, NULL)) < 0 || pipe(b) < 0){
		printf("tcpcopy: %s\n", strerror(errno));
		return;
	}
	if(write(s, "hello", 5) != 5 || write(c, "world", 5) != 5)
		return;
	answer("splice from the connected socket", splice(c, NULL, b[1], NULL, 5, 0));
	answer("splice from the accepted socket", splice(s, NULL, b[1], NULL, 5, 0));
	memset(got, 0, 16);
	if(read(b[0], got, 10) == 10)
		printf("tcpcopy: the pipe holds \"%s\"\n", got);
}

static void
asksock(void)
{
	socklen_t n;
	int ty;

	n = sizeof ty;
	getsockopt(Swapfd, SOL_SOCKET, SO_TYPE, &ty, &n);
}

static void
sockid(long rounds)
{
	struct sockaddr_in a;
	pthread_t th;
	int u1, u2, st[2], bad;
	long i, r;

	if(udppair(&u1, &u2, &a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, st) < 0){
		printf("sockid: %s\n", strerror(errno));
		return;
	}
	if(sendto(u2, "u", 1, 0, (struct sockaddr*)&a, sizeof a) != 1 || write(st[0], "s", 1) != 1)
		return;
	fda = u1;
	fdb = st[1];
	afterb = asksock;
	dup2(fda, Swapfd);
	pthread_create(&th, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++){
		r = recv(Swapfd, got, 256, MSG_DONTWAIT);
		if(r == 1 && got[0] == 'u')
			r = sendto(u2, "u", 1, 0, (struct sockaddr*)&a, sizeof a);
		else if(r == 1 && got[0] == 's')
			r = write(st[0], "s", 1);
		else if(r < 0 && errno == EAGAIN)
			continue;
		else{
			if(!bad++)
				printf("sockid: a recv answered %ld%s%s\n", r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
			/* a lost message: sent again, so both keep one */
			r = r > 1 && got[r - 1] == 'u' ? sendto(u2, "u", 1, 0, (struct sockaddr*)&a, sizeof a) : 1;
		}
		if(r != 1 && !bad++)
			printf("sockid: a refill failed: %s\n", strerror(errno));
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	if(bad)
		printf("sockid: %d wrong answers\n", bad);
}

static void
ctlswap(long rounds)
{
	pthread_t th;
	int p[2], s, bad, x;
	long i, r;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if(s < 0 || pipe2(p, O_NONBLOCK) < 0){
		printf("ctlswap: %s\n", strerror(errno));
		return;
	}
	/* the socket's record given its Sock each time it is put there */
	fda = p[1];
	fdb = s;
	afterb = asksock;
	dup2(fda, Swapfd);
	pthread_create(&th, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++){
		x = 8192 + (i & 1) * 4096;
		r = setsockopt(Swapfd, SOL_SOCKET, SO_SNDBUF, &x, sizeof x);
		if(r != 0 && errno != ENOTSOCK && !bad++)
			printf("ctlswap: a setsockopt answered %ld (%s)\n", r, strerror(errno));
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	r = read(p[0], got, sizeof got);
	answer("ctlswap: what the pipe got", r);
	if(r > 0)
		printf("ctlswap: \"%.40s\"\n", got);
}

static int go[2], fin[2];

static void *
tfdreader(void *arg)
{
	uint64_t v;
	long r;
	char c;

	(void)arg;
	while(read(go[0], &c, 1) == 1){
		while((r = read(Swapfd, &v, 8)) != 8)
			if(r >= 0 || errno != EAGAIN){
				printf("tfdwait: a read answered %ld (%s)\n", r, strerror(errno));
				break;
			}
		if(write(fin[1], "d", 1) != 1)
			break;
	}
	return NULL;
}

static void
tfdwait(long rounds)
{
	struct itimerspec its;
	pthread_t th;
	int p[2];
	long i;
	char c;

	fda = timerfd_create(CLOCK_MONOTONIC, 0);
	if(fda < 0 || pipe2(p, O_NONBLOCK) < 0 || pipe(go) < 0 || pipe(fin) < 0)
		return;
	fdb = p[0];
	memset(&its, 0, sizeof its);
	its.it_value.tv_nsec = 1000;
	pthread_create(&th, NULL, tfdreader, NULL);
	for(i = 0; i < rounds; i++){
		dup2(fda, Swapfd);
		if(write(go[1], "g", 1) != 1)
			break;
		dup2(fdb, Swapfd);
		timerfd_settime(fda, 0, &its, NULL);
		dup2(fda, Swapfd);
		if(read(fin[0], &c, 1) != 1)
			break;
	}
	close(go[1]);
	pthread_join(th, NULL);
	if(i < rounds)
		printf("tfdwait: stopped after %ld rounds\n", i);
}

static void
onalarm(int sig)
{
	(void)sig;
}

static void
cperr(void)
{
	struct sigaction sa;
	struct itimerval it;
	loff_t off;
	int sv[2], b[2], d, f;

	if(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0 || pipe2(b, O_NONBLOCK) < 0)
		return;
	answer("splice of length 0, bad fds", splice(-1, NULL, -1, NULL, 0, 0));
	answer("splice of length 0, bad flags", splice(sv[1], NULL, b[1], NULL, 0, 0x100));
	if(send(sv[0], "dgram", 5, 0) != 5)
		return;
	answer("unix datagram splice to a pipe's read end", splice(sv[1], NULL, b[0], NULL, 100, 0));
	next("unix datagram splice to a pipe's read end", sv[1], 5);
	answer("splice from a pipe's write end", splice(b[1], NULL, sv[0], NULL, 100, 0));
	if(send(sv[0], pat, 5, 0) != 5)
		return;
	off = 0;
	answer("unix datagram splice with an in offset", splice(sv[1], &off, b[1], NULL, 100, 0));
	if(write(b[1], "xyz", 3) != 3)
		return;
	answer("pipe splice to a socket with an out offset", splice(b[0], NULL, sv[0], &off, 3, 0));
	next("the offsets' splices", sv[1], 5);
	/* the root's tmp: the reference runs in the root, the guest at / */
	if((f = open("tmp/cperr", O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 || write(f, pat, 10) != 10)
		return;
	unlink("tmp/cperr");
	if((d = open("/dev/full", O_WRONLY)) >= 0){
		off = 0;
		answer("copy_file_range to /dev/full", copy_file_range(f, &off, d, NULL, 10, 0));
		answer("pipe splice of length 0 to /dev/full", splice(b[0], NULL, d, NULL, 0, 0));
		close(d);
	}
	if((d = open("/dev/null", O_WRONLY)) >= 0){
		off = 0;
		answer("copy_file_range to /dev/null", copy_file_range(f, &off, d, NULL, 10, 0));
		close(d);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 100000;
	if((d = socket(AF_INET, SOCK_DGRAM, 0)) >= 0){
		setitimer(ITIMER_REAL, &it, NULL);
		answer("blocking fresh UDP socket's splice to a pipe, till a signal", splice(d, NULL, b[1], NULL, 100, 0));
		close(d);
	}
	if((d = socket(AF_INET, SOCK_DGRAM, 0)) >= 0){
		setitimer(ITIMER_REAL, &it, NULL);
		answer("blocking fresh UDP socket's sendfile to a pipe, till a signal", sendfile(b[1], d, NULL, 100));
		close(d);
	}
}

static int ctpipe, ctlow;
static atomic_long ctbad;

static void *
lowswapper(void *arg)
{
	(void)arg;
	while(!atomic_load(&stop)){
		if(dup2(ctpipe, ctlow) != ctlow)
			atomic_fetch_add(&ctbad, 1);
		if(close(ctlow) != 0)
			atomic_fetch_add(&ctbad, 1);
	}
	return NULL;
}

static void
ctltemp(long rounds)
{
	struct sockaddr_in a;
	socklen_t al;
	pthread_t th;
	int p[2], s, x, bad;
	long i, r;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if(s < 0 || pipe2(p, O_NONBLOCK) < 0 || (ctlow = dup(0)) < 0){
		printf("ctltemp: %s\n", strerror(errno));
		return;
	}
	close(ctlow);	/* the lowest free fd: where a temporary would go */
	ctpipe = p[1];
	pthread_create(&th, NULL, lowswapper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++){
		x = 8192 + (i & 1) * 4096;
		r = setsockopt(s, SOL_SOCKET, SO_SNDBUF, &x, sizeof x);
		if(r == 0){
			al = sizeof a;
			r = getsockname(s, (struct sockaddr*)&a, &al);
		}
		if(r != 0 && !bad++)
			printf("ctltemp: a call answered %ld (%s)\n", r, strerror(errno));
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("ctltemp: %d calls and %ld dup2s or closes failed\n", bad, atomic_load(&ctbad));
	r = read(p[0], got, sizeof got);
	answer("ctltemp: what the pipe got", r);
	if(r > 0)
		printf("ctltemp: \"%.40s\"\n", got);
}

int
main(int argc, char **argv)
{
	long n;

	setvbuf(stdout, NULL, _IONBF, 0);
	n = argc > 2 ? atol(argv[2]) : 0;
	if(argc < 2){
		fprintf(stderr, "usage: guest_sockswap dgcopy|tcpcopy|cperr, or sockid|ctlswap|tfdwait|ctltemp N\n");
		return 2;
	}
	if(strcmp(argv[1], "dgcopy") == 0)
		dgcopy();
	else if(strcmp(argv[1], "tcpcopy") == 0)
		tcpcopy();
	else if(strcmp(argv[1], "cperr") == 0)
		cperr();
	else if(strcmp(argv[1], "sockid") == 0)
		sockid(n);
	else if(strcmp(argv[1], "ctlswap") == 0)
		ctlswap(n);
	else if(strcmp(argv[1], "tfdwait") == 0)
		tfdwait(n);
	else if(strcmp(argv[1], "ctltemp") == 0)
		ctltemp(n);
	printf("done\n");
	return 0;
}
