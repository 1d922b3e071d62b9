/*
 * guest_sockrace.c — what session 30 left of a socket's copies and
 * temporary fds (tests/vxinferno_sockrace.t).
 *
 *	guest_sockrace copyrace N
 *	guest_sockrace fdrace N
 *	guest_sockrace dgpages
 *
 * copyrace: a writer thread sends N pseudo-random bytes into a unix
 * stream socketpair (then into a loopback TCP connection) and shuts it,
 * three times each; two readers race on the receiving socket: this
 * thread splices it (or
 * sendfiles it, every other call) to a pipe and drains the pipe, another
 * thread reads it.  As Linux: each byte sent reaches exactly one of
 * them (the count of every byte value read is the count sent).  A copy
 * that peeks, writes and then takes what it wrote lost bytes and
 * duplicated others when the other reader read between the peek and
 * the take (or took the copy's "peek" for its own read).
 *
 * fdrace: another thread dups fd 0 or opens "/", over and over, expecting
 * each time the lowest free fd L (which it closes again), while this thread makes
 * N rounds of calls that open no fd on Linux (the calls numbered 0 to 9
 * below): connect of a TCP socket and of a UDP socket, bind and listen
 * of a TCP socket, of a unix socket to a relative path, connect to it,
 * a UDP send and recv, a unix send and recvmsg; and socketpair, whose two new
 * fds the other thread's expectation allows for.  As Linux: every dup
 * answers L (or, while socketpair runs, L or one of the two it takes),
 * and the calls themselves answer 0.  A call that opened a file at a
 * temporary fd for a moment (the lowest free) made the open answer
 * another number, or the dup (which puts its file at the lowest fd the
 * process's record has free) closed the temporary under the call (its
 * next step EBADF, or on another file).
 *
 * dgpages (no race): a 10000-byte unix datagram spliced (nonblocking)
 * to a pipe partly filled a page at a time, and partly read.  As Linux:
 * the datagram is cut to the pipe's free pages (a page for each pipe
 * buffer not in use, at least one), not to its free bytes: a pipe
 * holding 57345 bytes (15 buffers) takes 4096, a full one with 6144
 * bytes read (its first buffer free, the second half read) 4096.
 *
 * holdkill N (red31): N rounds of a child splicing a unix stream socket
 * to a pipe (and draining it) while this process writes into the
 * socket's peer, then is killed (SIGKILL) mid-copy; this process then
 * reads what is left of the socket.  As Linux: the read answers (a
 * copy's hold of the socket ends with the copy, however it ends).  A
 * copy killed between its read and its settling left the socket held
 * for ever (kfileunread refused a killed proc): every later read of it
 * waited, here till an alarm.
 *
 * hold9p (red31; vxinferno only, its mount call): this process serves
 * /n over a socketpair from a thread that answers Twalk and Topen and
 * never a Twrite; another thread sendfiles 3 queued bytes of a unix
 * stream socket to /n/f, whose write waits for ever; 3 more bytes are
 * sent and this thread reads the socket.  As Linux's sendfile (it
 * takes the bytes from the socket, then writes them with the socket
 * let go): the read gets the 3 new bytes.  A copy that held the socket
 * through a write that may wait without end (a 9P file's) kept every
 * other reader waiting with it (here till an alarm; for ever where the
 * server was itself a reader of the socket).
 *
 * peekrace N (red31): a
 * thread writes N bytes into a unix stream socketpair, another peeks
 * it (MSG_PEEK) over and over, this thread reads it.  As Linux: the
 * bytes read are those sent, in order.  vxrun's MSG_PEEK writes "peek"
 * to the conversation's ctl, then reads: the flag is the
 * conversation's, so a read of another thread between the two takes
 * it (its read a peek, the peeker's a read): bytes read twice and
 * lost (20,000,000 bytes: wrong on b976c71).  Now the "peek" is the
 * proc's that wrote it.
 *
 * Prints what was wrong, then "done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <signal.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* --- copyrace ------------------------------------------------------------ */

static long total;
static int wfd, rfd;
static long senth[256], readh[256], copyh[256];

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *
writer(void *arg)
{
	static unsigned char b[8192];
	uint32_t seed;
	long done, n, i, w;

	(void)arg;
	seed = 12345;
	for(done = 0; done < total; done += n){
		n = 1 + rnd(&seed) % sizeof b;
		if(n > total - done)
			n = total - done;
		for(i = 0; i < n; i++){
			b[i] = rnd(&seed);
			senth[b[i]]++;
		}
		for(i = 0; i < n; i += w)
			if((w = write(wfd, b + i, n - i)) <= 0){
				printf("copyrace: write: %s\n", strerror(errno));
				return NULL;
			}
	}
	shutdown(wfd, SHUT_WR);
	return NULL;
}

static void *
reader(void *arg)
{
	static unsigned char b[4096];
	uint32_t seed;
	long r, i;

	(void)arg;
	seed = 777;
	while((r = read(rfd, b, 1 + rnd(&seed) % sizeof b)) > 0)
		for(i = 0; i < r; i++)
			readh[b[i]]++;
	if(r < 0)
		printf("copyrace: read: %s\n", strerror(errno));
	return NULL;
}

static void
race(char *kind, int w, int r)
{
	static unsigned char b[1 << 16];
	pthread_t wt, rt;
	long n, k, i, j, got, bad, dup;
	int p[2], c;

	memset(senth, 0, sizeof senth);
	memset(readh, 0, sizeof readh);
	memset(copyh, 0, sizeof copyh);
	wfd = w;
	rfd = r;
	if(pipe(p) < 0){
		printf("copyrace: pipe: %s\n", strerror(errno));
		return;
	}
	pthread_create(&wt, NULL, writer, NULL);
	pthread_create(&rt, NULL, reader, NULL);
	for(c = 0;; c++){
		if(c & 1)
			n = sendfile(p[1], r, NULL, sizeof b);
		else
			n = splice(r, NULL, p[1], NULL, sizeof b, 0);
		if(n <= 0){
			if(n < 0)
				printf("copyrace %s: %s: %s\n", kind, c & 1 ? "sendfile" : "splice", strerror(errno));
			break;
		}
		for(i = 0; i < n; i += k)
			if((k = read(p[0], b, n - i)) <= 0){
				printf("copyrace %s: pipe read: %ld\n", kind, k);
				return;
			}else
				for(j = 0; j < k; j++)
					copyh[b[j]]++;
	}
	pthread_join(wt, NULL);
	pthread_join(rt, NULL);
	got = bad = dup = 0;
	for(i = 0; i < 256; i++){
		got += readh[i] + copyh[i];
		if(readh[i] + copyh[i] != senth[i])
			bad++;
		if(readh[i] + copyh[i] > senth[i])
			dup += readh[i] + copyh[i] - senth[i];
	}
	printf("copyrace %s: %ld bytes sent, %ld received; %ld byte values counted wrong (%ld more than sent)\n",
		kind, total, got, bad, dup);
	close(p[0]);
	close(p[1]);
}

static void
copyrace(long n)
{
	struct sockaddr_in a;
	socklen_t al;
	int s[2], l, c, t, i;

	total = n;
	for(i = 0; i < 3; i++){
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0){
			printf("copyrace: socketpair: %s\n", strerror(errno));
			return;
		}
		race("unix", s[0], s[1]);
		close(s[0]);
		close(s[1]);
	}
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	al = sizeof a;
	if(l < 0 || bind(l, (struct sockaddr*)&a, sizeof a) < 0 || listen(l, 1) < 0 || getsockname(l, (struct sockaddr*)&a, &al) < 0){
		printf("copyrace: tcp: %s\n", strerror(errno));
		return;
	}
	for(i = 0; i < 3; i++){
		if((c = socket(AF_INET, SOCK_STREAM, 0)) < 0 || connect(c, (struct sockaddr*)&a, sizeof a) < 0 || (t = accept(l, NULL, NULL)) < 0){
			printf("copyrace: tcp: %s\n", strerror(errno));
			return;
		}
		race("tcp", c, t);
		close(c);
		close(t);
	}
	close(l);
}

/* --- fdrace -------------------------------------------------------------- */

static atomic_int phase, seen, stopping;
static int low;
static atomic_long wrong;
static long firstwrong = -1;

static void *
dupper(void *arg)
{
	long n;
	int fd, ph;

	(void)arg;
	n = 0;
	while(!atomic_load(&stopping)){
		ph = atomic_load(&phase);
		atomic_store(&seen, ph);
		if(ph == 0)
			continue;
		fd = (n++ & 1) ? open("/", O_RDONLY | O_DIRECTORY) : dup(0);
		/* while socketpair runs, its two fds may come first */
		if(fd != low && (ph != 2 || (fd != low + 1 && fd != low + 2))){
			if(atomic_fetch_add(&wrong, 1) == 0)
				firstwrong = fd;
		}
		if(fd >= 0)
			close(fd);
	}
	return NULL;
}

/* the racing thread dups (ph) till f is done, then stops */
static void
racing(int ph)
{
	atomic_store(&phase, ph);
	while(atomic_load(&seen) != ph)
		;
}

static void
still(void)
{
	atomic_store(&phase, 0);
	while(atomic_load(&seen) != 0)
		;
}

static int
lowest(void)
{
	int fd;

	fd = dup(0);
	close(fd);
	return fd;
}

static void
fdrace(long rounds)
{
	struct sockaddr_in a, ua;
	struct sockaddr_un un;
	socklen_t al;
	pthread_t th;
	struct msghdr mh;
	struct iovec iv;
	struct sockaddr_in ta;
	int l, u, t, c, d, x, y, bad, st, sv[2], q[2];
	long i, r;
	char dir[64], b[8];

	l = socket(AF_INET, SOCK_STREAM, 0);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ua = ta = a;
	al = sizeof a;
	if(l < 0 || u < 0 || bind(l, (struct sockaddr*)&a, sizeof a) < 0 || listen(l, 64) < 0 || getsockname(l, (struct sockaddr*)&a, &al) < 0
	|| bind(u, (struct sockaddr*)&ua, sizeof ua) < 0 || getsockname(u, (struct sockaddr*)&ua, &(socklen_t){sizeof ua}) < 0
	|| socketpair(AF_UNIX, SOCK_STREAM, 0, q) < 0){
		printf("fdrace: %s\n", strerror(errno));
		return;
	}
	snprintf(dir, sizeof dir, "/tmp/sockrace.%d", getpid());
	if((mkdir(dir, 0700) < 0 && errno != EEXIST) || chdir(dir) < 0){
		printf("fdrace: %s: %s\n", dir, strerror(errno));
		return;
	}
	fcntl(l, F_SETFL, O_NONBLOCK);	/* an accept after a failed connect does not wait */
	fcntl(u, F_SETFL, O_NONBLOCK);
	pthread_create(&th, NULL, dupper, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++){
		/* made while the other thread waits: their fds are no race */
		c = socket(AF_INET, SOCK_STREAM, 0);
		d = socket(AF_INET, SOCK_DGRAM, 0);
		t = socket(AF_INET, SOCK_STREAM, 0);
		x = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		y = socket(AF_UNIX, SOCK_STREAM, 0);
		low = lowest();
		racing(1);
		memset(&un, 0, sizeof un);
		un.sun_family = AF_UNIX;
		snprintf(un.sun_path, sizeof un.sun_path, "s%ld", i);
		memset(&mh, 0, sizeof mh);
		iv.iov_base = b;
		iv.iov_len = sizeof b;
		mh.msg_iov = &iv;
		mh.msg_iovlen = 1;
		r = 0;
		for(st = 0; st < 10 && r == 0; st++)
			switch(st){
			case 0: r = connect(c, (struct sockaddr*)&a, sizeof a); break;
			case 1: r = connect(d, (struct sockaddr*)&ua, sizeof ua); break;
			case 2: r = bind(t, (struct sockaddr*)&ta, sizeof ta); break;
			case 3: r = listen(t, 1); break;
			case 4: r = bind(x, (struct sockaddr*)&un, sizeof un); break;
			case 5: r = listen(x, 1); break;
			case 6: r = connect(y, (struct sockaddr*)&un, sizeof un); break;
			case 7: r = send(d, "x", 1, 0) == 1 ? 0 : -1; break;
			case 8: r = recv(u, b, sizeof b, 0) == 1 ? 0 : -1; break;	/* there once sent (loopback) */
			case 9: r = send(q[0], "y", 1, 0) == 1 ? recvmsg(q[1], &mh, 0) - 1 : -1; break;
			}
		still();
		if(r != 0 && !bad++)
			printf("fdrace: call %d failed: %s\n", st - 1, strerror(errno));
		/* socketpair's two fds: the lowest two free, the race allows for them */
		sv[0] = sv[1] = -1;
		racing(2);
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 && !bad++)
			printf("fdrace: socketpair: %s\n", strerror(errno));
		still();
		if(sv[0] == sv[1] && !bad++)
			printf("fdrace: socketpair answered %d twice\n", sv[0]);
		if(sv[0] >= 0){
			close(sv[0]);
			close(sv[1]);
		}
		if((r = accept(l, NULL, NULL)) >= 0)
			close(r);
		if((r = accept(x, NULL, NULL)) >= 0)
			close(r);
		close(c);
		close(d);
		close(t);
		close(x);
		close(y);
		unlink(un.sun_path);
	}
	atomic_store(&stopping, 1);
	pthread_join(th, NULL);
	chdir("/");
	rmdir(dir);
	printf("fdrace: %d calls failed; %ld dups answered another fd than the lowest free\n", bad, atomic_load(&wrong));
	if(atomic_load(&wrong) > 0)
		fprintf(stderr, "fdrace: the first answered %ld\n", firstwrong);
}

/* --- dgpages ------------------------------------------------------------- */

/* a unix datagram of 10000 bytes spliced to nonblocking pipe p, which
 * holds what fill wrote less what drain then read */
static void
dgcut(char *what, long fill, long drain)
{
	static char b[1 << 16];
	int s[2], p[2];
	long r, k;

	if(socketpair(AF_UNIX, SOCK_DGRAM, 0, s) < 0 || pipe2(p, O_NONBLOCK) < 0){
		printf("dgpages: %s\n", strerror(errno));
		return;
	}
	memset(b, 'p', sizeof b);
	/* a page at a time, the last piece alone, as a writer of pages would */
	for(r = 0; r < fill; r += k)
		if((k = write(p[1], b, fill - r > 4096 ? 4096 : fill - r)) <= 0)
			break;
	if(drain > 0 && read(p[0], b, drain) != drain)
		printf("dgpages: short read\n");
	memset(b, 'd', 10000);
	if(send(s[1], b, 10000, 0) != 10000)
		printf("dgpages: send: %s\n", strerror(errno));
	r = splice(s[0], NULL, p[1], NULL, 10000, SPLICE_F_NONBLOCK);
	printf("dgpages: %s: splice %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
	close(s[0]);
	close(s[1]);
	close(p[0]);
	close(p[1]);
}

static void
dgpages(void)
{
	dgcut("a pipe holding 57345 bytes (15 pages)", 57345, 0);
	dgcut("a full pipe with 6144 bytes read (a page and a half)", 65536, 6144);
	dgcut("a full pipe with 2048 bytes read (half a page)", 65536, 2048);
	dgcut("an empty pipe", 0, 0);
	dgcut("a pipe holding 4097 bytes", 4097, 0);
}

/* --- holdkill ------------------------------------------------------------ */

static void
onalarm(int sig)
{
	(void)sig;
}

static void
holdkill(long n)
{
	static char buf[65536];
	struct sigaction sa;
	int sv[2], p[2], q[2], st, hung, killed, k;
	long i, r, sent;
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;	/* no SA_RESTART: a hung read ends EINTR */
	sigaction(SIGALRM, &sa, NULL);
	hung = killed = 0;
	for(i = 0; i < n; i++){
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(p) < 0){
			printf("holdkill: socketpair or pipe: %s\n", strerror(errno));
			return;
		}
		/* the socket full first: the child's copies find bytes queued */
		fcntl(sv[1], F_SETFL, O_NONBLOCK);
		for(sent = 0; (r = write(sv[1], buf, 4096)) > 0; sent += r)
			;
		if(pipe(q) < 0){
			printf("holdkill: pipe: %s\n", strerror(errno));
			return;
		}
		pid = fork();
		if(pid == 0){
			close(sv[1]);
			for(k = 0;; k++){
				/* every other round sendfile's copy */
				r = i & 1 ? sendfile(p[1], sv[0], NULL, 1024) : splice(sv[0], NULL, p[1], NULL, 1024, 0);
				if(r <= 0)
					_exit(1);
				if(read(p[0], buf, r) != r)
					_exit(1);
				if(k == (i * 7) % 13)
					write(q[1], "g", 1);	/* copying: kill me */
			}
		}
		if(pid < 0){
			printf("holdkill: fork: %s\n", strerror(errno));
			return;
		}
		read(q[0], buf, 1);
		kill(pid, SIGKILL);
		if(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		alarm(10);
		while((r = read(sv[0], buf, sizeof buf)) > 0)
			;
		alarm(0);
		if(r < 0 && errno == EINTR)
			hung++;
		else if(r < 0 && errno != EAGAIN)
			printf("holdkill: read: %s\n", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		close(p[0]);
		close(p[1]);
		close(q[0]);
		close(q[1]);
	}
	printf("holdkill: %ld rounds, %d children killed; reads of the socket after that hung: %d\n", n, killed, hung);
}

/* --- peekrace ------------------------------------------------------------ */

static int pksock[2];
static atomic_int pkstop;
static long pktotal;

static unsigned char
pkbyte(long i)
{
	return (unsigned char)(i ^ (i >> 8) ^ (i >> 16) ^ 0x5a);
}

static void *
pkwriter(void *a)
{
	unsigned char b[4096];
	long i, j, n;

	(void)a;
	for(i = 0; i < pktotal; i += n){
		n = pktotal - i < (long)sizeof b ? pktotal - i : (long)sizeof b;
		for(j = 0; j < n; j++)
			b[j] = pkbyte(i + j);
		if((n = write(pksock[1], b, n)) <= 0)
			break;
	}
	shutdown(pksock[1], SHUT_WR);
	return NULL;
}

static void *
pkpeeker(void *a)
{
	char b[1024];
	long k;

	(void)a;
	for(k = 0; !atomic_load(&pkstop); k++)
		recv(pksock[0], b, 1 + (k * 131) % 1000, MSG_PEEK);
	return NULL;
}

static void
peekrace(long n)
{
	unsigned char b[1024];
	pthread_t w, pk;
	long got, r, k, j, bad;

	pktotal = n;
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, pksock) < 0)
		return;
	pthread_create(&w, NULL, pkwriter, NULL);
	pthread_create(&pk, NULL, pkpeeker, NULL);
	bad = 0;
	for(got = 0, k = 0; (r = read(pksock[0], b, 1 + (k * 37) % 700)) > 0; got += r, k++)
		for(j = 0; j < r; j++)
			if(b[j] != pkbyte(got + j))
				bad++;
	atomic_store(&pkstop, 1);
	pthread_join(w, NULL);
	pthread_join(pk, NULL);
	printf("peekrace: %ld bytes sent, %s read, %s\n", n, got == n ? "as many" : "another count",
		bad == 0 ? "in order" : "some wrong");
}

/* --- hold9p -------------------------------------------------------------- */

static int h9note[2];

/* One 9P message from fd into b[n]: its size, or -1 */
static long
readmsg9(int fd, unsigned char *b, long n)
{
	long got, r, size;

	for(got = 0; got < 4; got += r)
		if((r = read(fd, b + got, 4 - got)) <= 0)
			return -1;
	size = b[0] | b[1] << 8 | b[2] << 16 | (long)b[3] << 24;
	if(size < 7 || size > n)
		return -1;
	for(; got < size; got += r)
		if((r = read(fd, b + got, size - got)) <= 0)
			return -1;
	return size;
}

/* Rversion, Rattach of a directory, Rwalk (a qid a name, the last a
 * file), Ropen, Rclunk; a Twrite is told to h9note and not answered */
static void *
deafserver(void *a)
{
	unsigned char b[8192], r[9 + 16 * 13];
	int fd = *(int*)a, n, i;

	while(readmsg9(fd, b, sizeof b) > 0){
		memset(r, 0, sizeof r);
		r[4] = b[4] + 1;
		r[5] = b[5];
		r[6] = b[6];
		switch(b[4]){
		case 100:	/* Tversion: msize as asked, "9P2000" */
			r[0] = 19;
			memcpy(r + 7, b + 7, 4);
			r[11] = 6;
			memcpy(r + 13, "9P2000", 6);
			break;
		case 104:	/* Tattach: a directory */
			r[0] = 20;
			r[7] = 0x80;
			break;
		case 110:	/* Twalk */
			n = b[15];
			r[0] = 9 + 13 * n;
			r[7] = n;
			for(i = 0; i < n; i++)
				r[9 + 13 * i] = i == n - 1 ? 0 : 0x80;
			break;
		case 112:	/* Topen: a file, iounit 0 */
			r[0] = 24;
			break;
		case 120:	/* Tclunk */
			r[0] = 7;
			break;
		case 118:	/* Twrite: never answered */
			write(h9note[1], "w", 1);
			continue;
		default:	/* Rerror "no" */
			r[0] = 11;
			r[4] = 107;
			r[7] = 2;
			r[9] = 'n';
			r[10] = 'o';
			break;
		}
		if(write(fd, r, r[0]) != r[0])
			break;
	}
	return NULL;
}

static int h9file, h9sock;

static void *
h9copier(void *a)
{
	long r;

	(void)a;
	r = sendfile(h9file, h9sock, NULL, 3);
	printf("hold9p: the copy ended: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	write(h9note[1], "e", 1);
	return NULL;
}

static void
hold9p(void)
{
	static int p[2], srvfd;
	struct sigaction sa;
	sigset_t ss;
	pthread_t th;
	char buf[16];
	int sv[2];
	long r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;
	sigaction(SIGALRM, &sa, NULL);
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(h9note) < 0)
		return;
	srvfd = p[1];
	/* the alarm is this thread's: the others' block it */
	sigemptyset(&ss);
	sigaddset(&ss, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	pthread_create(&th, NULL, deafserver, &srvfd);
	if(syscall(0x7001, p[0], -1, "/tmp", 0, "") < 0){
		printf("hold9p: mount: %s\n", strerror(errno));
		return;
	}
	if((h9file = open("/tmp/f", O_WRONLY)) < 0){
		printf("hold9p: open: %s\n", strerror(errno));
		return;
	}
	h9sock = sv[0];
	write(sv[1], "abc", 3);
	pthread_create(&th, NULL, h9copier, NULL);
	pthread_sigmask(SIG_UNBLOCK, &ss, NULL);
	read(h9note[0], buf, 1);	/* the copy's Twrite is at the server */
	write(sv[1], "def", 3);
	alarm(10);
	r = read(sv[0], buf, sizeof buf);
	alarm(0);
	if(r < 0)
		printf("hold9p: read while the copy's write waits: %s\n", strerror(errno));
	else
		printf("hold9p: read while the copy's write waits: %.*s\n", (int)r, buf);
	fflush(stdout);
	_exit(0);	/* the copy's write waits for ever */
}

int
main(int argc, char **argv)
{
	long n;

	setvbuf(stdout, NULL, _IONBF, 0);
	n = argc > 2 ? atol(argv[2]) : 0;
	if(argc < 2){
		fprintf(stderr, "usage: guest_sockrace copyrace|fdrace N, or dgpages\n");
		return 2;
	}
	if(strcmp(argv[1], "copyrace") == 0)
		copyrace(n);
	else if(strcmp(argv[1], "fdrace") == 0)
		fdrace(n);
	else if(strcmp(argv[1], "dgpages") == 0)
		dgpages();
	else if(strcmp(argv[1], "holdkill") == 0)
		holdkill(n);
	else if(strcmp(argv[1], "peekrace") == 0)
		peekrace(n);
	else if(strcmp(argv[1], "hold9p") == 0)
		hold9p();
	printf("done\n");
	return 0;
}
