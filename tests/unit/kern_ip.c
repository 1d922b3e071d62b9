/* kern_ip.c — #I, the network device: its files, tcp over loopback,
 * udp with headers, unix conversations inside the kernel, cs, readiness,
 * bad ctl messages, and knoattach closing the door on '#I'.  Loopback
 * only. */
#include <malloc.h>
#include <pthread.h>
#include "kern_test.h"

/* Open clone: the ctl fd, the conversation's directory in dir. */
static int
newconv(char *proto, char *dir, int n)
{
	char path[64], num[16];
	long r;
	int fd;

	snprintf(path, sizeof path, "/net/%s/clone", proto);
	fd = kopen(path, ORDWR);
	if(fd < 0)
		return -1;
	r = kread(fd, num, sizeof num - 1);
	if(r <= 0){
		kclose(fd);
		return -1;
	}
	num[r] = 0;
	snprintf(dir, n, "/net/%s/%s", proto, num);
	return fd;
}

static int
ctl(int fd, char *msg)
{
	return kwrite(fd, msg, strlen(msg)) == (long)strlen(msg) ? 0 : -1;
}

static int
opendir1(char *dir, char *file, int mode)
{
	char path[96];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return kopen(path, mode);
}

static char *
readf(char *dir, char *file)
{
	char path[96];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return kt_read(path);
}

static void
tcp(void)
{
	char adir[64], cdir[64], ldir[96], msg[128], buf[64], *s;
	int afd, cfd, lfd, dfd, sfd, port;
	long r;

	afd = newconv("tcp", adir, sizeof adir);
	ok(afd >= 0, "open /net/tcp/clone: %s", adir);
	ok(ctl(afd, "announce 127.0.0.1!0") == 0, "announce 127.0.0.1!0");
	s = readf(adir, "local");
	port = s != NULL && strncmp(s, "127.0.0.1!", 10) == 0 ? atoi(s + 10) : 0;
	ok(port > 0, "local names the port: %d", port);
	s = readf(adir, "status");
	ok(s != NULL && strstr(s, "Announced") != NULL, "status: Announced");
	cfd = newconv("tcp", cdir, sizeof cdir);
	snprintf(msg, sizeof msg, "connect 127.0.0.1!%d", port);
	ok(cfd >= 0 && ctl(cfd, msg) == 0, "connect to it");
	lfd = opendir1(adir, "listen", ORDWR);
	ok(lfd >= 0, "open listen: the caller's conversation");
	r = lfd >= 0 ? kread(lfd, buf, sizeof buf - 1) : -1;
	buf[r > 0 ? r : 0] = 0;
	snprintf(ldir, sizeof ldir, "/net/tcp/%s", buf);
	ok(r > 0 && strcmp(ldir, adir) != 0 && strcmp(ldir, cdir) != 0, "a new conversation: %s", ldir);
	s = readf(ldir, "remote");
	ok(s != NULL && strncmp(s, "127.0.0.1!", 10) == 0, "its remote is the caller");
	dfd = opendir1(cdir, "data", ORDWR);
	sfd = opendir1(ldir, "data", ORDWR);
	ok(dfd >= 0 && sfd >= 0, "open both data files");
	ok(kready(sfd, KPREAD) == 0, "nothing to read yet");
	ok(kwrite(dfd, "hello", 5) == 5, "write to the server");
	{
		Kpollfd pf = { sfd, KPREAD, 0 };
		ok(kpoll(&pf, 1, 5000) == 1 && (pf.revents & KPREAD), "kpoll sees it readable");
	}
	r = kread(sfd, buf, sizeof buf);
	ok(r == 5 && memcmp(buf, "hello", 5) == 0, "the server reads it");
	ok(kwrite(sfd, "back", 4) == 4 && kread(dfd, buf, sizeof buf) == 4, "and answers");
	ok(kwrite(dfd, "peekme", 6) == 6 && ctl(lfd, "peek") == 0, "peek on the server's ctl (its listen fd)");
	r = kread(sfd, buf, sizeof buf);
	ok(r == 6 && memcmp(buf, "peekme", 6) == 0, "a peeking read returns the bytes");
	r = kread(sfd, buf, sizeof buf);
	ok(r == 6 && memcmp(buf, "peekme", 6) == 0, "and the next read gets them again, taking them");
	ok(kready(sfd, KPREAD) == 0, "then nothing is left");
	ok(ctl(cfd, "shutdown wr") == 0, "shutdown wr");
	ok(kread(sfd, buf, sizeof buf) == 0, "the server reads end of file");
	s = readf(cdir, "status");
	ok(s != NULL && strstr(s, "Established") != NULL, "status: Established");
	kclose(dfd);
	kclose(cfd);
	kclose(sfd);
	kclose(lfd);
	kt_fails(ctl(afd, "frobnicate"), "bad process or channel control request", "an unknown ctl message");
	ok(ctl(afd, "connect nowhere") < 0, "a connect without a port fails");
	ok(ctl(afd, "connect 127.0.0.1!99999") < 0 && ctl(afd, "connect 127.0.0.1!99999999999999999999999") < 0,
		"a port above 65535 is refused, not taken modulo 65536");
	kclose(afd);
	cfd = newconv("tcp", cdir, sizeof cdir);
	snprintf(msg, sizeof msg, "connect 127.0.0.1!%d", port);
	ok(cfd >= 0 && ctl(cfd, msg) < 0 && strcasestr(kt_err(), "refused") != NULL,
		"once the announcer is gone, connect is refused: %s", kt_err());
	kclose(cfd);
}

static void
udp(void)
{
	char adir[64], cdir[64], msg[128], buf[256], *s;
	int afd, cfd, adfd, cdfd, port;
	long r;

	afd = newconv("udp", adir, sizeof adir);
	ok(afd >= 0 && ctl(afd, "announce 127.0.0.1!0") == 0 && ctl(afd, "headers") == 0, "udp: announce, headers");
	s = readf(adir, "local");
	port = s != NULL && strncmp(s, "127.0.0.1!", 10) == 0 ? atoi(s + 10) : 0;
	ok(port > 0, "udp local port %d", port);
	cfd = newconv("udp", cdir, sizeof cdir);
	snprintf(msg, sizeof msg, "connect 127.0.0.1!%d", port);
	ok(cfd >= 0 && ctl(cfd, msg) == 0, "udp connect");
	adfd = opendir1(adir, "data", ORDWR);
	cdfd = opendir1(cdir, "data", ORDWR);
	ok(kwrite(cdfd, "dgram", 5) == 5, "a datagram to it");
	r = kread(adfd, buf, sizeof buf);
	ok(r == 52 + 5 && memcmp(buf + 52, "dgram", 5) == 0 && buf[10] == (char)0xff && buf[12] == 127,
		"read with a 52-byte header naming the sender");
	/* answer through the header: swap nothing, the raddr is the sender */
	memcpy(buf + 52, "reply", 5);
	ok(kwrite(adfd, buf, 52 + 5) == 57, "write back with the same header");
	r = kread(cdfd, buf, sizeof buf);
	ok(r == 5 && memcmp(buf, "reply", 5) == 0, "the connected side reads the reply");
	kclose(adfd);
	kclose(cdfd);
	kclose(afd);
	kclose(cfd);
}

static void
unixconv(void)
{
	char adir[64], cdir[64], ldir[96], buf[64], *s;
	int afd, cfd, lfd, a, b;
	long r;

	afd = newconv("unix", adir, sizeof adir);
	ok(afd >= 0 && ctl(afd, "announce /tmp/sock") == 0, "unix: announce a name");
	cfd = newconv("unix", cdir, sizeof cdir);
	ok(ctl(cfd, "connect /tmp/sock") == 0, "unix: connect to it");
	ok(kready(afd, KPREAD) == KPREAD, "the announcement is readable: a caller waits");
	lfd = opendir1(adir, "listen", ORDWR);
	r = lfd >= 0 ? kread(lfd, buf, sizeof buf - 1) : -1;
	buf[r > 0 ? r : 0] = 0;
	snprintf(ldir, sizeof ldir, "/net/unix/%s", buf);
	ok(r > 0, "listen yields %s", ldir);
	s = readf(cdir, "remote");
	isstr(s, "/tmp/sock\n", "the caller's remote is the name");
	a = opendir1(cdir, "data", ORDWR);
	b = opendir1(ldir, "data", ORDWR);
	ok(kwrite(a, "ping", 4) == 4 && kread(b, buf, sizeof buf) == 4 && memcmp(buf, "ping", 4) == 0, "unix data one way");
	ok(kwrite(b, "pong", 4) == 4 && kread(a, buf, sizeof buf) == 4 && memcmp(buf, "pong", 4) == 0, "and the other");
	kclose(b);
	kclose(lfd);
	ok(kread(a, buf, sizeof buf) == 0, "the other end's close is end of file");
	kclose(a);
	kclose(cfd);
	cfd = newconv("unix", cdir, sizeof cdir);
	ok(ctl(cfd, "announce /tmp/sock") < 0, "a name announced twice is in use: %s", kt_err());
	ok(ctl(cfd, "connect /tmp/other") < 0 && strstr(kt_err(), "refused") != NULL, "an unknown name is refused");
	kclose(cfd);
	kclose(afd);
	cfd = newconv("unix", cdir, sizeof cdir);
	ok(ctl(cfd, "connect /tmp/sock") < 0, "a closed announcement refuses callers");
	kclose(cfd);
}

/* A caller is queued on the announcement adir: open its listen, the
 * callee's directory into ldir; the listen fd. */
static int
accepted(char *adir, char *ldir, int nldir)
{
	char num[16];
	int lfd;
	long r;

	lfd = opendir1(adir, "listen", ORDWR);
	r = lfd >= 0 ? kread(lfd, num, sizeof num - 1) : -1;
	num[r > 0 ? r : 0] = 0;
	snprintf(ldir, nldir, "/net/unix/%s", num);
	return lfd;
}

/* A unix connection on name: in fds the announcement's ctl, the
 * caller's ctl, the listen, the caller's data and the callee's; the
 * caller's and callee's directories into cdir and ldir (96 bytes). */
static void
unixlink(char *what, char *name, int *fds, char *cdir, char *ldir)
{
	char adir[64], msg[96];

	fds[0] = newconv("unix", adir, sizeof adir);
	snprintf(msg, sizeof msg, "announce %s", name);
	ok(fds[0] >= 0 && ctl(fds[0], msg) == 0, "%s: announce", what);
	fds[1] = newconv("unix", cdir, 96);
	snprintf(msg, sizeof msg, "connect %s", name);
	ok(ctl(fds[1], msg) == 0, "%s: connect", what);
	fds[2] = accepted(adir, ldir, 96);
	fds[3] = opendir1(cdir, "data", ORDWR);
	fds[4] = opendir1(ldir, "data", ORDWR);
}

/* Passing files (SCM_RIGHTS's kernel half): passfd on one end's ctl,
 * fds on the other's, at the offset of the bytes about to be read. */
static void
passing(void)
{
	char cdir[96], ldir[96], buf[4200], big[2200];
	int afd, cfd, lfd, a, b, f, p[2], x, y, z, i, n, l[5];
	long r;

	unixlink("passing", "pass", l, cdir, ldir);
	afd = l[0];
	cfd = l[1];
	lfd = l[2];
	a = l[3];
	b = l[4];
	ok(kpipe(p) == 0, "a pipe to pass");
	f = opendir1(cdir, "fds", OREAD);
	r = f >= 0 ? kpread(f, buf, sizeof buf - 1, 100) : -1;
	buf[r > 0 ? r : 0] = 0;
	isstr(buf, "-1 0", "nothing in flight");
	kclose(f);
	ok(ctl(cfd, "passfd 99999") < 0, "passfd of a closed fd fails: %s", kt_err());
	ok(ctl(cfd, "passfd 1x") < 0 && ctl(cfd, "passfd -1") < 0, "passfd of garbage fails: %s", kt_err());
	n = snprintf(big, sizeof big, "passfd");
	for(i = 0; i < 254; i++)
		n += snprintf(big + n, sizeof big - n, " %d", p[1]);
	ok(ctl(cfd, big) < 0, "passfd of 254 files fails: %s", kt_err());
	ok(ctl(cfd, "passfd") == 0, "passfd alone cancels (nothing)");
	ok(ctl(cfd, "passfd") == 0, "passfd alone cancels");
	snprintf(big, sizeof big, "passfd %d/65536", p[1]);
	ok(ctl(cfd, big) < 0, "passfd with flags past 0xffff fails: %s", kt_err());
	snprintf(big, sizeof big, "passfd %d/2049", p[1]);
	ok(ctl(cfd, big) == 0, "passfd of the pipe's write end, with flags 2049");
	kclose(p[1]);
	ok(kwrite(a, "hi", 2) == 2, "its bytes");
	f = opendir1(ldir, "fds", OREAD);
	ok(f >= 0, "fds opens for reading");
	ok(opendir1(ldir, "fds", ORDWR) < 0, "and only for reading");
	ok(kpread(f, buf, 100, 2) < 0, "a short read of fds fails, installing nothing: %s", kt_err());
	r = kpread(f, buf, sizeof buf - 1, 0);
	buf[r > 0 ? r : 0] = 0;
	isstr(buf, "0 2", "a reader of no bytes is told where the batch is, takes nothing");
	r = kpread(f, buf, sizeof buf - 1, 2);
	buf[r > 0 ? r : 0] = 0;
	ok(sscanf(buf, "0 2 %d/%d/%d", &x, &y, &z) == 3 && y == ORDWR && z == 2049, "a reader of its byte takes it, with the Chan's mode and the writer's flags: %s", buf);
	ok(kwrite(x, "via", 3) == 3 && kread(p[0], buf, sizeof buf) == 3, "the passed fd writes the pipe");
	r = kread(b, buf, sizeof buf);
	ok(r == 2, "then the bytes");
	kclose(x);
	ok(kread(p[0], buf, sizeof buf) == 0, "the passed fd was the last write end");
	kclose(p[0]);
	ok(kpipe(p) == 0, "another pipe");
	snprintf(big, sizeof big, "passfd %d", p[1]);
	ok(ctl(cfd, big) == 0 && kwrite(a, "xy", 2) == 2, "passed with bytes");
	kclose(p[1]);
	ok(kread(b, buf, sizeof buf) == 2, "a plain read takes the bytes");
	ok(kread(p[0], buf, sizeof buf) == 0, "and drops the files: the pipe ends");
	kclose(p[0]);
	ok(kpipe(p) == 0, "a third pipe");
	snprintf(big, sizeof big, "passfd %d", p[1]);
	ok(ctl(cfd, big) == 0 && kwrite(a, "z", 1) == 1, "passed, never read");
	kclose(p[1]);
	kclose(b);
	kclose(lfd);
	kclose(f);
	ok(kread(p[0], buf, sizeof buf) == 0, "the reader's close drops what was in flight to it");
	kclose(p[0]);
	kclose(a);
	kclose(cfd);
	kclose(afd);
	cfd = newconv("tcp", cdir, sizeof cdir);
	ok(ctl(cfd, "passfd 0") < 0, "tcp: passfd is a bad ctl: %s", kt_err());
	ok(opendir1(cdir, "fds", OREAD) < 0, "tcp: no fds file");
	kclose(cfd);
	cfd = newconv("unix", cdir, sizeof cdir);
	snprintf(big, sizeof big, "passfd %d", cfd);
	ok(ctl(cfd, big) < 0 && strstr(kt_err(), "not connected") != NULL, "unix, not connected: passfd fails");
	kclose(cfd);
}

/* "peek" is for the next data read alone, however that read ends: one
 * that fails leaves no peek behind for the read after it. */
static void
peeking(void)
{
	char adir[64], cdir[64], ldir[96], buf[64];
	int afd, cfd, lfd, a, b;

	afd = newconv("unix", adir, sizeof adir);
	ok(afd >= 0 && ctl(afd, "announce peeker") == 0, "peek: announce");
	cfd = newconv("unix", cdir, sizeof cdir);
	a = opendir1(cdir, "data", ORDWR);
	ok(ctl(cfd, "peek") == 0, "peek: asked before a connection");
	ok(a >= 0 && kread(a, buf, sizeof buf) < 0, "peek: the read fails: %s", kt_err());
	ok(ctl(cfd, "connect peeker") == 0, "peek: connect");
	lfd = accepted(adir, ldir, sizeof ldir);
	b = opendir1(ldir, "data", ORDWR);
	ok(b >= 0 && kwrite(b, "ab", 2) == 2 && kread(a, buf, sizeof buf) == 2, "peek: the next read takes two bytes");
	ok(kwrite(b, "cd", 2) == 2 && kread(a, buf, sizeof buf) == 2 && memcmp(buf, "cd", 2) == 0,
		"and the one after has the next two: the failed peek did not stick");
	ok(ctl(cfd, "peek") == 0 && kwrite(b, "ef", 2) == 2 && kread(a, buf, sizeof buf) == 2 && kread(a, buf, sizeof buf) == 2
		&& memcmp(buf, "ef", 2) == 0, "a peek, then a read of the same bytes");
	kclose(a);
	kclose(b);
	kclose(lfd);
	kclose(cfd);
	kclose(afd);
}

/* holding: a data read under kpipecopy of a stream conversation peeks
 * and holds it; kfileunread takes all but the bytes given back and lets
 * it go.  Another proc's read of it meanwhile waits and then gets what
 * the copy did not take (until session 31 a copy peeked and then took,
 * and a read between took the peeked bytes too). */
static Proc *holdproc;
static int holdfd;
static char holdbuf[16];
static long holdgot;
static volatile int holdstarted;

static void *
holdreader(void *arg)
{
	(void)arg;
	ksetproc(holdproc);
	holdstarted = 1;
	holdgot = kread(holdfd, holdbuf, sizeof holdbuf);
	ksetproc(NULL);
	return NULL;
}

/* a copy's proc that is killed between its read and its settling */
static long killedsettle;

static void *
killedcopy(void *arg)
{
	Kfile *f = arg;
	char buf[16];
	long r;

	ksetproc(holdproc);
	killedsettle = -2;
	kpipecopy(1);
	r = kfilepread(f, buf, sizeof buf, 0);
	kpipecopy(0);
	if(r == 2 && kpkill(kprocpid(holdproc)) == 0)
		killedsettle = kfileunread(f, buf + 1, 1);
	ksetproc(NULL);
	return NULL;
}

static void
holding(void)
{
	char adir[64], cdir[64], ldir[96], buf[64];
	pthread_t th;
	Kfile *f;
	int afd, cfd, lfd, a, b;
	long r;

	afd = newconv("unix", adir, sizeof adir);
	ok(afd >= 0 && ctl(afd, "announce holder") == 0, "hold: announce");
	cfd = newconv("unix", cdir, sizeof cdir);
	ok(ctl(cfd, "connect holder") == 0, "hold: connect");
	a = opendir1(cdir, "data", ORDWR);
	lfd = accepted(adir, ldir, sizeof ldir);
	b = opendir1(ldir, "data", ORDWR);
	f = kfdfile(a);
	ok(f != NULL && kwrite(b, "abcdef", 6) == 6, "hold: six bytes sent");
	kt_fails(kfileunread(f, NULL, 0), "inappropriate use of fd", "hold: settling before a copy's read");
	kpipecopy(1);
	r = kfilepread(f, buf, sizeof buf, 0);
	kpipecopy(0);
	ok(r == 6 && memcmp(buf, "abcdef", 6) == 0, "hold: a copy's read has them (%ld)", r);
	holdproc = kprocnew(0);
	holdfd = a;
	pthread_create(&th, NULL, holdreader, NULL);
	while(!holdstarted)
		;
	ok(kfileunread(f, buf + 4, 2) == 2, "hold: settled, two given back");
	pthread_join(th, NULL);
	ok(holdgot == 2 && memcmp(holdbuf, "ef", 2) == 0, "hold: another reader gets those two alone (%ld: %.*s)",
		holdgot, (int)(holdgot > 0 ? holdgot : 0), holdbuf);
	kprocfree(holdproc);
	ok(kwrite(b, "gh", 2) == 2 && kread(a, buf, sizeof buf) == 2 && memcmp(buf, "gh", 2) == 0, "hold: a plain read after");
	/* a copy killed while it holds (red31): its settling still lets
	 * the conversation go (kfileunread refused a killed proc, and every
	 * later read waited for ever) */
	ok(kwrite(b, "ij", 2) == 2, "hold: two more sent");
	holdproc = kprocnew(0);
	holdstarted = 0;
	pthread_create(&th, NULL, killedcopy, f);
	pthread_join(th, NULL);
	ok(killedsettle == 1, "hold: a killed copy settles (%ld)", killedsettle);
	kprocfree(holdproc);
	ok(kwrite(b, "kl", 2) == 2 && kread(a, buf, sizeof buf) == 3 && memcmp(buf, "jkl", 3) == 0, "hold: a read after a killed copy gets what it did not take");
	kfileclose(f);
	kclose(a);
	kclose(b);
	kclose(lfd);
	kclose(cfd);
	kclose(afd);
}

static void
cs(void)
{
	char buf[128];
	int fd;
	long r;

	fd = kopen("/net/cs", ORDWR);
	ok(fd >= 0 && ctl(fd, "tcp!127.0.0.1!564") == 0, "cs: a query");
	r = kread(fd, buf, sizeof buf - 1);
	buf[r > 0 ? r : 0] = 0;
	isstr(buf, "/net/tcp/clone 127.0.0.1!564", "cs: numeric");
	ok(ctl(fd, "net!localhost!http") == 0, "cs: net!, a name and a service");
	r = kread(fd, buf, sizeof buf - 1);
	buf[r > 0 ? r : 0] = 0;
	ok(strncmp(buf, "/net/tcp/clone ", 15) == 0 && strstr(buf, "!80") != NULL, "cs: %s", buf);
	ok(ctl(fd, "tcp!127.0.0.1!65536") < 0, "cs: a port above 65535 is not translated");
	ok(ctl(fd, "udp!127.0.0.1!53") == 0 && kread(fd, buf, sizeof buf) > 0 && strncmp(buf, "/net/udp/clone", 14) == 0, "cs: udp");
	/* a read shorter than the line gets its start, the next the rest,
	 * then the next line: nothing is lost (Plan 9's cs) */
	ok(ctl(fd, "tcp!127.0.0.1!564") == 0, "cs: the query again");
	r = kread(fd, buf, 5);
	buf[r > 0 ? r : 0] = 0;
	isstr(buf, "/net/", "cs: a short read: the line's start");
	r = kread(fd, buf, 10);
	buf[r > 0 ? r : 0] = 0;
	isstr(buf, "tcp/clone ", "cs: the next short read: what follows");
	r = kread(fd, buf, sizeof buf - 1);
	buf[r > 0 ? r : 0] = 0;
	isstr(buf, "127.0.0.1!564", "cs: then the rest of the line, and no more");
	ok(kread(fd, buf, sizeof buf) == 0, "cs: then end of file");
	ok(ctl(fd, "bogus!x!1") < 0, "cs: an unknown network fails");
	ok(ctl(fd, "nonsense") < 0, "cs: a bad query fails");
	kclose(fd);
}

/* A unix conversation's memory is its sandbox's while it is in use
 * and given back at its last close: a thousand held at once (bound,
 * with names) and then closed leave no more than their slots in the
 * heap (mallinfo2's bytes in use; they were 7 KB each), the sandbox's
 * account is back where it began, and a second thousand takes nothing
 * more; one kept only by its own file in flight is collected when it
 * is closed. */
static void
unixmemory(void)
{
	enum { N = 1000 };
	struct mallinfo2 m0, m1, m2;
	char dir[64], msg[64];
	vlong held0, held1;
	Proc *me, *box;
	Boxacct *b;
	int fds[N], i, n, round;

	me = kcurproc();
	box = kprocnew(NEWBOX);
	ksetproc(box);
	b = kboxacct(box);
	held0 = kboxmemheld(b);
	m0 = m1 = mallinfo2();
	for(round = 0; round < 2; round++){
		for(n = 0; n < N && (fds[n] = newconv("unix", dir, sizeof dir)) >= 0; n++){
			snprintf(msg, sizeof msg, "bind /tmp/unixmemory/%d", n);
			if(ctl(fds[n], msg) < 0)
				break;
		}
		ok(n == N, "unix memory: %d conversations bound at once (%s)", n, n == N ? "" : kt_err());
		held1 = kboxmemheld(b);
		ok(held1 - held0 >= (vlong)N * 4096, "they are the sandbox's kernel memory (%lld bytes)", held1 - held0);
		for(i = 0; i < n; i++)
			kclose(fds[i]);
		ok(kboxmemheld(b) == held0, "closed, it is given back (%lld bytes left)", kboxmemheld(b) - held0);
		if(round == 0){
			m1 = mallinfo2();
			ok(m1.uordblks < m0.uordblks + N * 512, "the heap keeps %ld bytes a conversation (their slots)",
				(long)((long)(m1.uordblks - m0.uordblks) / N));
		}else{
			m2 = mallinfo2();
			ok(m2.uordblks < m1.uordblks + N * 16, "a second thousand takes no more (%ld bytes)",
				(long)(m2.uordblks - m1.uordblks));
		}
	}
	{
		/* a connection that carries its own end and is closed:
		 * only that file in flight keeps it, and the close
		 * collects it (not the next conversation made) */
		char cdir[96], ldir[96];
		int l[5];

		unixlink("unix memory", "/tmp/unixmemory/cycle", l, cdir, ldir);
		snprintf(msg, sizeof msg, "passfd %d", l[4]);
		ok(ctl(l[1], msg) == 0 && kwrite(l[3], "x", 1) == 1, "the accepted end sent to itself");
		for(i = 4; i >= 0; i--)
			kclose(l[i]);
		ok(kboxmemheld(b) == held0, "all closed, it is collected (%lld bytes left)", kboxmemheld(b) - held0);
	}
	ksetproc(me);
	kprocfree(box);
	kboxput(b);
}

int
main(void)
{
	kt_init(0, NULL);
	ok(kbind("#I", "/net", MREPL) == 0, "bind #I /net");
	isstr(kt_ls("/net"), "tcp udp unix cs", "/net lists the protocols and cs");
	isstr(kt_ls("/net/tcp"), "clone", "a protocol directory without conversations");
	tcp();
	{
		char *s = kt_ls("/net/tcp");
		ok(s != NULL && strncmp(s, "clone 0 1 2", 11) == 0, "conversations are listed: %s", s ? s : kt_err());
		s = kt_ls("/net/tcp/0");
		isstr(s, "ctl data listen local remote status", "a conversation's files");
	}
	udp();
	unixconv();
	unixmemory();
	passing();
	peeking();
	holding();
	cs();
	ok(knoattach("I") == 0, "knoattach I");
	kt_fails(kopen("#I/cs", ORDWR), "mount/attach disallowed", "attaching #I afterwards");
	ok(kopen("/net/cs", ORDWR) >= 0, "the bound /net still works");
	return done_testing();
}
