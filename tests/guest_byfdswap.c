/*
 * guest_byfdswap.c — the steps of a read or write that looked at its
 * fd again after taking its open file, each with the fd swapped by
 * another thread meanwhile (swapfd.h), and a copy whose write comes up
 * short (tests/vxinferno_byfdswap.t).  As Linux's, each call acts on
 * the one open file it took.
 *
 *	guest_byfdswap ttyjob|sigpipe|sockfile|nbswap|evwait|ready|copyroom|copyeof N
 *	guest_byfdswap copyshort|sockcopy|evcopy|netfile
 *
 * ttyjob: a background process (its own process group, the terminal's
 * foreground group another) with TOSTOP set writes to Swapfd, swapped
 * between the terminal's slave and /dev/null; a SIGTTOU handler
 * without SA_RESTART.  As Linux: the terminal's write stops the process
 * (SIGTTOU, EINTR), /dev/null's writes; nothing reaches the terminal.
 * A write whose job-control look found /dev/null at the fd and whose
 * take found the terminal wrote to it.
 *
 * sigpipe: Swapfd swaps between a pipe's write end whose reader is gone
 * and a nonblocking datagram socket; SIGPIPE is caught and counted.  As
 * Linux: every write's EPIPE comes with a SIGPIPE (the pipe's; a
 * datagram socket's EPIPE would not), and a write answers 1, EPIPE or
 * EAGAIN only.  A write that found the socket at the fd when it asked
 * whether to send SIGPIPE sent none; one whose record was the socket
 * and which found the pipe at the fd when it looked for the socket
 * answered ENOTSOCK.
 *
 * sockfile: RLIMIT_FSIZE is Limit and SIGXFSZ ignored; Swapfd swaps
 * between a stream socket (a thread reads its other end) and a file at
 * its limit.  As Linux: each write answers 1 (the socket) or EFBIG (the
 * file) and the file stays at Limit.  A write whose record was the
 * socket wrote by fd: into the file, past its limit.
 *
 * nbswap: Swapfd swaps between a blocking stream socket holding a byte
 * and an empty nonblocking one; each round reads a byte from Swapfd
 * (recv, or read) and, having got one, writes another into the first
 * socket's other end.  As Linux: each call answers 1 or EAGAIN.  A call
 * whose O_NONBLOCK was the first socket's (read by fd before its take)
 * and whose take found the second waited on it for ever (a hang: the
 * test's timeout); one the other way answered the first's byte under
 * the second's O_NONBLOCK (not seen).
 *
 * evwait: an eventfd (blocking, count 0) and an empty nonblocking pipe
 * end.  Each round another thread reads Swapfd while it is the eventfd
 * (again on EAGAIN, the pipe's), and this one puts the pipe at Swapfd,
 * adds 1 to the counter and puts the eventfd back.  As Linux: the read
 * that took the eventfd answers once the count is there.  One that
 * waited on whatever was at the fd (the pipe) when the write woke it
 * waited for ever (a hang: the test's timeout).
 *
 * ready: Swapfd swaps between the standard input, O_NONBLOCK (the
 * test gives a pipe that nobody writes and a writer holds open), and
 * an empty regular file.  As Linux: each read answers EAGAIN (the
 * input) or 0.  A read whose readiness test found the file at the fd
 * and whose take found the console (whose read looks at no O_NONBLOCK
 * of its own) waited on it for ever (a hang: the test's timeout).
 *
 * copyshort (no race): splice from a pipe to /dev/full (EINVAL) and to a
 * nonblocking pipe with one page of room: as Linux, the pipe read from
 * keeps what was not written, in order.
 *
 * sockcopy (no race): a stream socket (socketpair) holding Pat bytes
 * is spliced and sendfile'd to a full nonblocking pipe (EAGAIN) and
 * spliced to one with a page of room.  As Linux: the failed copies take
 * nothing, the socket keeps them all in order; the short one takes only
 * what it wrote, the rest still in the socket after it.  A copy read
 * the socket and lost what its write did not take.
 *
 * evcopy (no race): splice from an eventfd (count 5) and from an
 * expired timerfd to a full nonblocking pipe, splice from an eventfd
 * to a pipe with room and from a pipe to an eventfd, sendfile from a
 * file to an eventfd, vmsplice to an eventfd, splice with
 * SPLICE_F_NONBLOCK to a full blocking pipe and sendfile to a full
 * pipe.  As Linux (they have no splice_read or splice_write, and are no
 * pipe): each fails and takes nothing (EAGAIN where the pipe written is
 * full, as Linux waits for its room first; vmsplice EBADF; else
 * EINVAL): the count and the expiry are still there,
 * and once read, poll finds the eventfd not readable.  An eventfd's
 * file is a doorbell pipe here: a copy that read the counter and whose
 * write failed put the counter's 8 bytes into the doorbell (kfileunread),
 * the count lost, poll readable for ever, and a blocking read spinning
 * where no signal reached it (a blocking eventfd's read, last: a hang,
 * the test's timeout).  Until session 30 a copy from one failed EINVAL
 * at once, also where Linux's EAGAIN of a full pipe comes first, and a
 * vmsplice to one added to its count.
 *
 * copyroom: Ncopy threads splice N times each from a nonblocking pipe
 * to a full one (EAGAIN) while this one writes the first pipe,
 * nonblocking, 4N times; and a splice from a pipe to itself.  As Linux
 * (splice holds its pipe; EINVAL): the writes stop at the pipe's size,
 * and it holds that much.  Each copy took bytes and put them back
 * after its write failed, and writers filled the room meanwhile: the
 * pipe held Ncopy+1 times its size (a sandbox's charge for it passed).
 *
 * copyeof: N times, a pipe written 1000 bytes and its write end
 * closed, read to its end while another thread splices from it to a
 * full pipe (EAGAIN).  As Linux (splice holds its pipe): the reader
 * gets all 1000 bytes each time.  A read that came while a copy held
 * the bytes it then put back saw end of file ahead of them.
 *
 * netfile (no race; vxinferno's /net, none on Linux): a TCP connection's
 * data file, found by its local port in /net/tcp/N/local, opened
 * O_WRONLY (send and write through it reach the peer) and O_RDONLY
 * (recv reads what the peer wrote; send fails EBADF).  A socket call's
 * take of its file was for reading whatever the move: a send on the
 * O_WRONLY file was made again for ever (a spin, the test's timeout).
 *
 * Prints what was wrong and the copies' answers, then "done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include "swapfd.h"

enum { Limit = 4096, Pat = 10000 };

static volatile sig_atomic_t nsig;

static void
onsig(int sig)
{
	(void)sig;
	nsig++;
}

static void
catch(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsig;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void
ttyjob(long rounds)
{
	struct termios tc;
	pthread_t th;
	char *name, c;
	long i;
	int m, s, st;
	pid_t p, g;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if(m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || (name = ptsname(m)) == NULL){
		printf("ttyjob: no terminal: %s\n", strerror(errno));
		return;
	}
	fcntl(m, F_SETFL, O_NONBLOCK);
	fflush(stdout);
	if((p = fork()) == 0){
		/* the session leader, in the foreground */
		setsid();
		s = open(name, O_RDWR);
		if(s < 0 || ioctl(s, TIOCSCTTY, 0) < 0 || tcgetattr(s, &tc) < 0)
			_exit(2);
		tc.c_lflag |= TOSTOP;
		tc.c_oflag &= ~OPOST;
		tcsetattr(s, TCSANOW, &tc);
		if((g = fork()) == 0){
			/* the background writer */
			setpgid(0, 0);
			catch(SIGTTOU, 0);
			fda = s;
			fdb = open("/dev/null", O_WRONLY);
			if(fdb < 0 || dup2(fda, Swapfd) != Swapfd)
				_exit(2);
			pthread_create(&th, NULL, swapper, NULL);
			st = 0;
			for(i = 0; i < rounds && st == 0; i++){
				if(write(Swapfd, "x", 1) < 0 && errno != EINTR)
					st = 3;
				if(i % 64 == 0 && read(m, &c, 1) == 1)
					st = 1;	/* the terminal got a byte */
			}
			atomic_store(&stop, 1);
			pthread_join(th, NULL);
			if(st == 0 && read(m, &c, 1) == 1)
				st = 1;
			_exit(st);
		}
		st = 2;
		if(g > 0)
			waitpid(g, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 4);
	}
	st = 2;
	if(p > 0)
		waitpid(p, &st, 0);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : 4;
	if(st == 1)
		printf("ttyjob: a background write under TOSTOP reached the terminal\n");
	else if(st != 0)
		printf("ttyjob: status %d\n", st);
}

/* fdb, a socket dup2'd to Swapfd, asked a socket's question there: the
 * runtime's record of Swapfd then knows it for a socket (a dup's does
 * not until a socket call finds it again), so a read or write of it
 * goes by the socket's path */
static void
asksock(void)
{
	socklen_t n;
	int ty;

	n = sizeof ty;
	getsockopt(Swapfd, SOL_SOCKET, SO_TYPE, &ty, &n);
}

static void
drain(int fd)
{
	char buf[256];

	while(recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
		;
}

static void
sigpipe(long rounds)
{
	pthread_t th;
	int p[2], sv[2], bad;
	long i, nepipe;

	if(pipe(p) < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		return;
	close(p[0]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	catch(SIGPIPE, SA_RESTART);
	fda = p[1];
	fdb = sv[0];
	afterb = asksock;
	dup2(fda, Swapfd);
	pthread_create(&th, NULL, swapper, NULL);
	nepipe = 0;
	bad = 0;
	for(i = 0; i < rounds; i++){
		if(write(Swapfd, "x", 1) == 1)
			continue;
		if(errno == EPIPE)
			nepipe++;
		else if(errno == EAGAIN)
			drain(sv[1]);
		else if(!bad++)
			printf("sigpipe: a write answered %s\n", strerror(errno));
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	if(nepipe != nsig)
		printf("sigpipe: %ld writes failed EPIPE, %ld SIGPIPEs\n", nepipe, (long)nsig);
}

static void
nbswap(long rounds)
{
	pthread_t th;
	int a[2], b[2], bad;
	long i, r;
	char c;

	if(socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0 || write(a[1], "x", 1) != 1)
		return;
	fcntl(b[0], F_SETFL, O_NONBLOCK);
	fda = a[0];
	fdb = b[0];
	afterb = asksock;
	dup2(fda, Swapfd);
	pthread_create(&th, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++){
		r = i & 1 ? read(Swapfd, &c, 1) : recv(Swapfd, &c, 1, 0);
		if(r == 1){
			if(write(a[1], "x", 1) != 1 && !bad++)
				printf("nbswap: the refill failed: %s\n", strerror(errno));
		}else if((r != -1 || errno != EAGAIN) && !bad++)
			printf("nbswap: a %s answered %ld (%s)\n", i & 1 ? "read" : "recv", r, r < 0 ? strerror(errno) : "");
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
}

static int sockrd;

static void *
reader(void *arg)
{
	char buf[4096];

	(void)arg;
	while(read(sockrd, buf, sizeof buf) > 0)
		;
	return NULL;
}

static void
sockfile(long rounds)
{
	static char blk[Limit];
	struct rlimit rl;
	struct stat sb;
	pthread_t th, rd;
	int sv[2], bad;
	long i;

	signal(SIGXFSZ, SIG_IGN);
	fda = open("tmp/byfdswap.f", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if(fda < 0 || write(fda, blk, sizeof blk) != sizeof blk || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	rl.rlim_cur = rl.rlim_max = Limit;
	setrlimit(RLIMIT_FSIZE, &rl);
	fdb = sv[0];
	afterb = asksock;
	sockrd = sv[1];
	pthread_create(&rd, NULL, reader, NULL);
	dup2(fda, Swapfd);
	pthread_create(&th, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++)
		if(write(Swapfd, "x", 1) != 1 && errno != EFBIG && !bad++)
			printf("sockfile: a write answered %s\n", strerror(errno));
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	shutdown(sv[0], SHUT_WR);
	pthread_join(rd, NULL);
	if(fstat(fda, &sb) < 0 || sb.st_size != Limit)
		printf("sockfile: the file is %lld bytes, past its limit\n", (long long)sb.st_size);
}

static void
ready(long rounds)
{
	pthread_t th;
	char buf[4096];
	long i, r;
	int bad;

	fda = dup(0);
	fdb = open("tmp/byfdswap.r", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fda < 0 || fdb < 0 || fcntl(fda, F_SETFL, O_NONBLOCK) < 0)
		return;
	dup2(fda, Swapfd);
	pthread_create(&th, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++)
		if((r = read(Swapfd, buf, sizeof buf)) != 0 && (r > 0 || errno != EAGAIN) && !bad++)
			printf("ready: a read answered %ld (%s)\n", r, strerror(errno));
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
}

static int go[2], done[2];

static void *
evreader(void *arg)
{
	uint64_t v;
	long r;
	char c;

	(void)arg;
	while(read(go[0], &c, 1) == 1){
		while((r = read(Swapfd, &v, 8)) != 8)
			if(r >= 0 || errno != EAGAIN){
				printf("evwait: a read answered %ld (%s)\n", r, strerror(errno));
				break;
			}
		if(write(done[1], "d", 1) != 1)
			break;
	}
	return NULL;
}

static void
evwait(long rounds)
{
	pthread_t th;
	int p[2];
	long i;
	char c;

	fda = eventfd(0, 0);
	if(fda < 0 || pipe2(p, O_NONBLOCK) < 0 || pipe(go) < 0 || pipe(done) < 0)
		return;
	fdb = p[0];
	pthread_create(&th, NULL, evreader, NULL);
	for(i = 0; i < rounds; i++){
		dup2(fda, Swapfd);
		if(write(go[1], "g", 1) != 1)
			break;
		dup2(fdb, Swapfd);
		eventfd_write(fda, 1);
		dup2(fda, Swapfd);
		if(read(done[0], &c, 1) != 1)
			break;
	}
	close(go[1]);
	pthread_join(th, NULL);
}

static char pat[Pat];

/* what fd holds (nonblocking), at most n bytes, into buf */
static long
slurp(int fd, char *buf, long n)
{
	long k, r;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	for(k = 0; k < n && (r = read(fd, buf + k, n - k)) > 0; k += r)
		;
	return k;
}

static void
copyshort(void)
{
	static char got[1 << 20];
	long r, k, i, skip;
	int a[2], b[2], full;

	for(i = 0; i < Pat; i++)
		pat[i] = '0' + i % 7;
	/* to /dev/full: ENOSPC, the pipe keeps all */
	full = open("/dev/full", O_WRONLY);
	if(full < 0 || pipe(a) < 0 || write(a[1], pat, Pat) != Pat)
		return;
	/* Linux's answer is ENOSPC, or EINVAL where /dev/full has no
	 * splice (6.x): either way nothing is taken */
	r = splice(a[0], NULL, full, NULL, Pat, 0);
	printf("full: %s\n", r < 0 ? "failed" : "copied");
	k = slurp(a[0], got, sizeof got);
	printf("full: the pipe holds %ld bytes%s\n", k, k == Pat && memcmp(got, pat, Pat) == 0 ? ", all in order" : "");
	close(a[0]);
	close(a[1]);
	/* to a nonblocking pipe with a page of room: what did not go
	 * stays, after what went */
	if(pipe(a) < 0 || pipe2(b, O_NONBLOCK) < 0 || write(a[1], pat, Pat) != Pat)
		return;
	memset(got, 'f', 4096);
	for(skip = 0; (r = write(b[1], got, 4096)) > 0; skip += r)
		;
	skip -= read(b[0], got, 4096);
	r = splice(a[0], NULL, b[1], NULL, Pat, 0);
	printf("pipe: %s\n", r > 0 && r < Pat ? "a part" : r < 0 ? strerror(errno) : r == Pat ? "all" : "none");
	k = slurp(b[0], got, sizeof got);
	if(r > 0 && k >= skip)
		k = skip + slurp(a[0], got + k, sizeof got - k) + (k - skip);
	printf("pipe: %s\n", r > 0 && k - skip == Pat && memcmp(got + skip, pat, Pat) == 0 ? "every byte once, in order" : "bytes lost or out of order");
}

/* a pipe filled to the last byte (nonblocking), or with a page of
 * room (room): its bytes, in *skip */
static int
fillpipe(int b[2], int room, long *skip)
{
	static char f[4096];
	long r;

	if(pipe2(b, O_NONBLOCK) < 0)
		return -1;
	memset(f, 'f', sizeof f);
	for(*skip = 0; (r = write(b[1], f, sizeof f)) > 0; *skip += r)
		;
	while((r = write(b[1], f, 1)) > 0)
		*skip += r;
	if(room)
		*skip -= read(b[0], f, sizeof f);
	return 0;
}

static void
sockcopy(void)
{
	static char got[1 << 20];
	long r, k, skip;
	int sv[2], b[2], i;

	for(i = 0; i < Pat; i++)
		pat[i] = '0' + i % 7;
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	/* to a full nonblocking pipe: EAGAIN, the socket keeps all */
	for(i = 0; i < 2; i++){
		if(write(sv[0], pat, Pat) != Pat || fillpipe(b, 0, &skip) < 0)
			return;
		if(i == 0)
			r = splice(sv[1], NULL, b[1], NULL, Pat, 0);
		else
			r = sendfile(b[1], sv[1], NULL, Pat);
		printf("%s to a full pipe: %s\n", i == 0 ? "splice" : "sendfile", r < 0 ? strerror(errno) : "copied");
		k = slurp(sv[1], got, sizeof got);
		fcntl(sv[1], F_SETFL, 0);
		printf("%s: the socket holds %ld bytes%s\n", i == 0 ? "splice" : "sendfile", k, k == Pat && memcmp(got, pat, Pat) == 0 ? ", all in order" : "");
		close(b[0]);
		close(b[1]);
	}
	/* to a pipe with a page of room: what did not go stays, after
	 * what went */
	if(write(sv[0], pat, Pat) != Pat || fillpipe(b, 1, &skip) < 0)
		return;
	r = splice(sv[1], NULL, b[1], NULL, Pat, 0);
	printf("short: %s\n", r > 0 && r < Pat ? "a part" : r < 0 ? strerror(errno) : r == Pat ? "all" : "none");
	k = slurp(b[0], got, sizeof got);
	if(r > 0 && k >= skip)
		k = skip + slurp(sv[1], got + k, sizeof got - k) + (k - skip);
	printf("short: %s\n", r > 0 && k - skip == Pat && memcmp(got + skip, pat, Pat) == 0 ? "every byte once, in order" : "bytes lost or out of order");
	close(sv[0]);
	close(sv[1]);
}

/* r, errno: a copy's answer (Linux's: EAGAIN where the pipe written
 * is full, as it waits for room first, else EINVAL) */
static void
copyfail(char *what, long r)
{
	printf("%s: %ld (%s)\n", what, r, r < 0 ? strerror(errno) : "copied");
}

static void
evcopy(void)
{
	struct itimerspec its;
	struct pollfd pf;
	static char big[1 << 16];
	struct iovec iv;
	uint64_t v;
	long r;
	int e, tf, f, full[2], fullb[2], p[2];

	e = eventfd(5, EFD_NONBLOCK);
	tf = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	f = open("tmp/byfdswap.e", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(e < 0 || tf < 0 || f < 0 || pipe2(full, O_NONBLOCK) < 0 || pipe2(p, O_NONBLOCK) < 0){
		printf("evcopy: %s\n", strerror(errno));
		return;
	}
	while(write(full[1], big, sizeof big) > 0)
		;
	if(pipe2(fullb, O_NONBLOCK) < 0)
		return;
	while(write(fullb[1], big, sizeof big) > 0)
		;
	fcntl(fullb[1], F_SETFL, 0);
	copyfail("eventfd to a full pipe", splice(e, NULL, full[1], NULL, 8, SPLICE_F_NONBLOCK));
	v = 0;
	r = read(e, &v, 8);
	printf("eventfd: read %ld, count %llu\n", r, (unsigned long long)v);
	pf.fd = e;
	pf.events = POLLIN;
	pf.revents = 0;
	r = poll(&pf, 1, 0);
	printf("eventfd: poll %ld, revents %#x\n", r, pf.revents);
	eventfd_write(e, 3);
	copyfail("eventfd to a pipe", splice(e, NULL, p[1], NULL, 8, SPLICE_F_NONBLOCK));
	if(write(p[1], "12345678", 8) != 8 || write(f, "87654321", 8) != 8 || lseek(f, 0, SEEK_SET) != 0)
		printf("evcopy: %s\n", strerror(errno));
	copyfail("pipe to eventfd", splice(p[0], NULL, e, NULL, 8, SPLICE_F_NONBLOCK));
	copyfail("file to eventfd", sendfile(e, f, NULL, 8));
	/* no pipe either (EBADF): the count stays */
	iv.iov_base = &v;
	iv.iov_len = 8;
	v = 2;
	copyfail("vmsplice to eventfd", vmsplice(e, &iv, 1, 0));
	copyfail("eventfd to a full pipe, blocking, SPLICE_F_NONBLOCK", splice(e, NULL, fullb[1], NULL, 8, SPLICE_F_NONBLOCK));
	copyfail("eventfd to a full pipe, sendfile", sendfile(full[1], e, NULL, 8));
	v = 0;
	r = read(e, &v, 8);
	printf("eventfd: read %ld, count %llu\n", r, (unsigned long long)v);
	r = read(p[0], big, sizeof big);
	printf("pipe: holds %ld\n", r);
	pf.revents = 0;
	r = poll(&pf, 1, 0);
	printf("eventfd: poll %ld, revents %#x\n", r, pf.revents);
	memset(&its, 0, sizeof its);
	its.it_value.tv_nsec = 1;
	timerfd_settime(tf, 0, &its, NULL);
	pf.fd = tf;
	pf.revents = 0;
	poll(&pf, 1, -1);	/* expired */
	copyfail("timerfd to a full pipe", splice(tf, NULL, full[1], NULL, 8, SPLICE_F_NONBLOCK));
	v = 0;
	r = read(tf, &v, 8);
	printf("timerfd: read %ld, expiries %llu\n", r, (unsigned long long)v);
	pf.revents = 0;
	r = poll(&pf, 1, 0);
	printf("timerfd: poll %ld, revents %#x\n", r, pf.revents);
	/* last: where the copy took the count, this read waits (spun, no
	 * signal reaching it: the test's timeout) */
	close(e);
	if((e = eventfd(7, 0)) < 0)
		return;
	copyfail("blocking eventfd to a full pipe", splice(e, NULL, full[1], NULL, 8, SPLICE_F_NONBLOCK));
	v = 0;
	r = read(e, &v, 8);
	printf("blocking eventfd: read %ld, count %llu\n", r, (unsigned long long)v);
}

enum { Ncopy = 8 };
static int roomp[2], roomf[2];
static long roomn;

static void *
roomcopier(void *arg)
{
	long i;

	(void)arg;
	for(i = 0; i < roomn; i++)
		splice(roomp[0], NULL, roomf[1], NULL, 1 << 16, SPLICE_F_NONBLOCK);
	return NULL;
}

static void
copyroom(long rounds)
{
	static char big[1 << 16];
	pthread_t th[Ncopy];
	long total, r, i;
	int n, size, p[2];

	if(pipe2(roomp, O_NONBLOCK) < 0 || pipe2(roomf, O_NONBLOCK) < 0 || pipe(p) < 0)
		return;
	r = write(p[1], "abc", 3);
	r = splice(p[0], NULL, p[1], NULL, 3, 0);
	printf("copyroom: a pipe to itself %ld (%s)\n", r, r < 0 ? strerror(errno) : "copied");
	while(write(roomf[1], big, sizeof big) > 0)
		;
	roomn = rounds;
	for(i = 0; i < Ncopy; i++)
		pthread_create(&th[i], NULL, roomcopier, NULL);
	total = 0;
	for(i = 0; i < 4 * rounds; i++)
		if((r = write(roomp[1], big, sizeof big)) > 0)
			total += r;
	for(i = 0; i < Ncopy; i++)
		pthread_join(th[i], NULL);
	size = fcntl(roomp[0], F_GETPIPE_SZ);
	if(ioctl(roomp[0], FIONREAD, &n) < 0)
		n = -1;
	printf("copyroom: written %s its size, holds %s\n", total == size ? "to" : total < size ? "short of" : "past",
		n == size ? "its size" : n < size ? "less" : "more");
	if(total != size || n != size)
		printf("copyroom: written %ld, holds %d, size %d\n", total, n, size);
}

static atomic_int eofstop;

static void *
eofcopier(void *arg)
{
	(void)arg;
	while(!atomic_load(&eofstop))
		splice(roomp[0], NULL, roomf[1], NULL, 4096, SPLICE_F_NONBLOCK);
	return NULL;
}

static void
copyeof(long rounds)
{
	static char big[1 << 16];
	pthread_t th;
	long i, got, r, nshort;

	if(pipe2(roomf, O_NONBLOCK) < 0)
		return;
	while(write(roomf[1], big, sizeof big) > 0)
		;
	nshort = 0;
	for(i = 0; i < rounds; i++){
		if(pipe(roomp) < 0)
			return;
		atomic_store(&eofstop, 0);
		pthread_create(&th, NULL, eofcopier, NULL);
		if(write(roomp[1], big, 1000) != 1000)
			printf("copyeof: %s\n", strerror(errno));
		close(roomp[1]);
		for(got = 0; (r = read(roomp[0], big, sizeof big)) > 0; got += r)
			;
		atomic_store(&eofstop, 1);
		pthread_join(th, NULL);
		close(roomp[0]);
		if(got != 1000)
			nshort++;
	}
	if(nshort > 0)
		printf("copyeof: %ld of %ld reads to the end short of what was written\n", nshort, rounds);
}

/* the /net/tcp data file of the connection whose local port is port */
static int
netdata(int port, int mode)
{
	char path[64], buf[128], *bang;
	long r;
	int i, fd;

	for(i = 0; i < 64; i++){
		snprintf(path, sizeof path, "/net/tcp/%d/local", i);
		if((fd = open(path, O_RDONLY)) < 0)
			continue;
		r = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[r > 0 ? r : 0] = 0;
		if((bang = strchr(buf, '!')) != NULL && atoi(bang + 1) == port){
			snprintf(path, sizeof path, "/net/tcp/%d/data", i);
			return open(path, mode);
		}
	}
	return -1;
}

static void
netfile(void)
{
	struct sockaddr_in sa, ca;
	socklen_t n;
	char buf[16];
	long r, w;
	int l, c, a, fd;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = sizeof sa;
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if(l < 0 || c < 0 || bind(l, (struct sockaddr*)&sa, sizeof sa) < 0 || listen(l, 1) < 0
	|| getsockname(l, (struct sockaddr*)&sa, &n) < 0 || connect(c, (struct sockaddr*)&sa, sizeof sa) < 0
	|| (a = accept(l, NULL, NULL)) < 0){
		printf("netfile: %s\n", strerror(errno));
		return;
	}
	n = sizeof ca;
	getsockname(c, (struct sockaddr*)&ca, &n);
	if((fd = netdata(ntohs(ca.sin_port), O_WRONLY)) < 0){
		printf("netfile: no /net data file\n");
		return;
	}
	r = send(fd, "x", 1, 0);
	w = write(fd, "y", 1);
	memset(buf, 0, sizeof buf);
	for(n = 0; n < 2 && read(a, buf + n, 1) == 1; n++)
		;
	printf("netfile: send %ld, write %ld, the peer got \"%s\"\n", r, w, buf);
	close(fd);
	if((fd = netdata(ntohs(ca.sin_port), O_RDONLY)) < 0 || write(a, "ab", 2) != 2){
		printf("netfile: %s\n", strerror(errno));
		return;
	}
	memset(buf, 0, sizeof buf);
	for(n = 0; n < 2 && (r = recv(fd, buf + n, 2 - n, 0)) > 0; n += r)
		;
	printf("netfile: recv \"%s\"\n", buf);
	r = send(fd, "z", 1, 0);
	printf("netfile: send on the read-only file %ld (%s)\n", r, r < 0 ? strerror(errno) : "sent");
}

int
main(int argc, char **argv)
{
	long n;

	setvbuf(stdout, NULL, _IONBF, 0);
	n = argc > 2 ? atol(argv[2]) : 0;
	if(argc < 2){
		fprintf(stderr, "usage: guest_byfdswap ttyjob|sigpipe|sockfile|nbswap|evwait|ready|copyroom|copyeof N, or copyshort|sockcopy|evcopy|netfile\n");
		return 2;
	}
	if(strcmp(argv[1], "ttyjob") == 0)
		ttyjob(n);
	else if(strcmp(argv[1], "sigpipe") == 0)
		sigpipe(n);
	else if(strcmp(argv[1], "sockfile") == 0)
		sockfile(n);
	else if(strcmp(argv[1], "nbswap") == 0)
		nbswap(n);
	else if(strcmp(argv[1], "evwait") == 0)
		evwait(n);
	else if(strcmp(argv[1], "ready") == 0)
		ready(n);
	else if(strcmp(argv[1], "copyshort") == 0)
		copyshort();
	else if(strcmp(argv[1], "sockcopy") == 0)
		sockcopy();
	else if(strcmp(argv[1], "evcopy") == 0)
		evcopy();
	else if(strcmp(argv[1], "netfile") == 0)
		netfile();
	else if(strcmp(argv[1], "copyroom") == 0)
		copyroom(n);
	else if(strcmp(argv[1], "copyeof") == 0)
		copyeof(n);
	printf("done\n");
	return 0;
}
