/*
 * guest_unix.c — what a program can observe of AF_UNIX sockets: the
 * exact names and lengths getsockname, getpeername, accept and
 * recvfrom give (paths with spaces, a path that begins with '@',
 * abstract names with NUL bytes, unnamed sockets), bind's address
 * lengths, autobind, datagram and seqpacket message boundaries,
 * unknown socket options, connected datagram sockets' peers, full
 * datagram receivers, credentials (SO_PEERCRED, SCM_CREDENTIALS),
 * files by sendto, shutdown and SIGPIPE.  Prints what each call returns, to be
 * compared with Linux's (the same binary under the reference).
 *
 *	guest_unix all|SECTION [TAG [DIR]]	the checks (or a section's:
 *				names, lengths, autobind, packets,
 *				dgramnames, refusals, options, dgrampeer,
 *				dgramfull, creds, shutdown),
 *				with names in DIR (default /tmp) and TAG (5
 *				digits) in the abstract ones, so that runs at
 *				once do not meet
 *	guest_unix native [TAG [DIR]]	what qemu-i386 answers itself, not the
 *				kernel: bind with address lengths past
 *				sizeof(struct sockaddr_un) (it cuts them to
 *				that size), an unknown option level (its
 *				ENOPROTOOPT); compare with a native run
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <unistd.h>

static char tag[6] = "00000";

/* name's n bytes into out, "TTTTT" replaced by the run's tag (runs at
 * once, whose abstract names would meet, give different tags) */
static char *
tagged(char *out, const char *name, int n)
{
	char *t;

	memcpy(out, name, n);
	for(t = out; t + 5 <= out + n; t++)
		if(memcmp(t, "TTTTT", 5) == 0)
			memcpy(t, tag, 5);
	return out;
}

static const char *
err(long r)
{
	static char buf[64];

	if(r >= 0)
		snprintf(buf, sizeof buf, "%ld", r);
	else
		snprintf(buf, sizeof buf, "-1 %s", strerrorname_np(errno));
	return buf;
}

/* mh with one buffer (in iov) and a control buffer of cn bytes, cleared */
static void
msginit(struct msghdr *mh, struct iovec *iov, void *buf, size_t n, void *cm, size_t cn)
{
	memset(mh, 0, sizeof *mh);
	memset(cm, 0, cn);
	iov->iov_base = buf;
	iov->iov_len = n;
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
	mh->msg_control = cm;
	mh->msg_controllen = cn;
}

/* an address as its length and bytes: printable ones as they are,
 * the others as \xHH; an autobound name's digits as 'h' (they vary) */
static void
praddr(const char *what, long r, struct sockaddr_un *sa, socklen_t len, socklen_t room)
{
	unsigned char *p;
	socklen_t i, n;

	printf("%s: %s", what, err(r));
	if(r < 0){
		printf("\n");
		return;
	}
	printf(" len %u", (unsigned)len);
	n = len < room ? len : room;
	if(n >= 2)
		printf(" family %d", sa->sun_family);
	p = (unsigned char *)sa->sun_path;
	printf(" [");
	for(i = 2; i < n; i++){
		unsigned char c = p[i - 2];
		if(n == 8 && p[0] == 0 && i >= 3 && strchr("0123456789abcdef", c) != NULL && c != 0)
			printf("h");
		else if(c > ' ' && c < 0x7f && c != '\\')
			printf("%c", c);
		else
			printf("\\x%02x", c);
	}
	printf("]\n");
}

static void
sockname(const char *what, int fd, int peer)
{
	struct sockaddr_un sa;
	socklen_t len;
	long r;

	memset(&sa, 0x55, sizeof sa);
	len = sizeof sa;
	r = peer ? getpeername(fd, (struct sockaddr *)&sa, &len) : getsockname(fd, (struct sockaddr *)&sa, &len);
	praddr(what, r, &sa, len, sizeof sa);
}

/* bind fd to the n bytes at name (sun_path's), the address n + 2 long */
static long
bindn(int fd, const char *name, int n)
{
	struct { struct sockaddr_un sa; char more[32]; } a;

	memset(&a, 0, sizeof a);
	a.sa.sun_family = AF_UNIX;
	tagged(a.sa.sun_path, name, n);
	return bind(fd, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + n);
}

static long
connectn(int fd, const char *name, int n)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	tagged(sa.sun_path, name, n);
	return connect(fd, (struct sockaddr *)&sa, offsetof(struct sockaddr_un, sun_path) + n);
}

/* one byte from fd to to, and its sender as recvfrom gives it */
static void
recvfromshow(const char *what, int fd, int to)
{
	struct sockaddr_un sa;
	socklen_t len;
	char c;
	long r;

	send(fd, "x", 1, 0);
	memset(&sa, 0x55, sizeof sa);
	len = sizeof sa;
	r = recvfrom(to, &c, 1, 0, (struct sockaddr *)&sa, &len);
	praddr(what, r, &sa, len, sizeof sa);
}

/* a listener on name, a caller (bound to cname first if given), the
 * names each end sees */
static void
names(const char *what, const char *name, int n, const char *cname, int cn)
{
	struct sockaddr_un sa;
	socklen_t len;
	int l, c, a, d;
	long r;
	char w[128];

	/* non-blocking: a connect that failed leaves accept nothing */
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r = bindn(l, name, n);
	printf("%s: bind %s", what, err(r));
	printf(" listen %s\n", err(listen(l, 4)));
	snprintf(w, sizeof w, "%s: listener getsockname", what);
	sockname(w, l, 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if(cname != NULL)
		printf("%s: caller bind %s\n", what, err(bindn(c, cname, cn)));
	printf("%s: connect %s\n", what, err(connectn(c, name, n)));
	memset(&sa, 0x55, sizeof sa);
	len = sizeof sa;
	a = accept(l, (struct sockaddr *)&sa, &len);
	snprintf(w, sizeof w, "%s: accept", what);
	praddr(w, a, &sa, len, sizeof sa);
	snprintf(w, sizeof w, "%s: caller getsockname", what);
	sockname(w, c, 0);
	snprintf(w, sizeof w, "%s: caller getpeername", what);
	sockname(w, c, 1);
	snprintf(w, sizeof w, "%s: accepted getsockname", what);
	sockname(w, a, 0);
	snprintf(w, sizeof w, "%s: accepted getpeername", what);
	sockname(w, a, 1);
	d = dup(a);
	snprintf(w, sizeof w, "%s: dup of the accepted: getsockname", what);
	sockname(w, d, 0);
	snprintf(w, sizeof w, "%s: dup of the accepted: getpeername", what);
	sockname(w, d, 1);
	close(d);
	d = dup(l);
	snprintf(w, sizeof w, "%s: dup of the listener: getsockname", what);
	sockname(w, d, 0);
	close(d);
	snprintf(w, sizeof w, "%s: recvfrom by the accepted", what);
	recvfromshow(w, c, a);
	snprintf(w, sizeof w, "%s: recvfrom by the caller", what);
	recvfromshow(w, a, c);
	close(a);
	close(c);
	close(l);
}

static void
checknames(void)
{
	int sv[2];

	struct stat st;
	int c;

	names("space", "guest unix sock", 16, NULL, 0);
	unlink("guest unix sock");
	names("abstract nul", "\0gu\0TTTTTest\0", 14, NULL, 0);
	names("abstract nul short", "\0gu\0TTTTTest", 12, NULL, 0);
	names("path with tail", "guest_unix_t\0junk", 17, NULL, 0);
	unlink("guest_unix_t");
	names("bound caller", "\0guest_srvTTTTT", 15, "guest caller", 12);
	unlink("guest caller");
	names("abstract caller", "\0guest_srv2TTTTT", 16, "\0cal\0lerTTTTT", 13);
	names("at path", "@guest_at", 9, NULL, 0);
	printf("at path: a file: %s\n", stat("@guest_at", &st) == 0 && S_ISSOCK(st.st_mode) ? "socket" : "none");
	unlink("@guest_at");
	printf("socketpair %s\n", err(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)));
	sockname("socketpair getsockname", sv[0], 0);
	sockname("socketpair getpeername", sv[0], 1);
	c = dup(sv[1]);
	sockname("socketpair dup getsockname", c, 0);
	sockname("socketpair dup getpeername", c, 1);
	close(c);
	close(sv[0]);
	close(sv[1]);
}

/* bind with sun_path n bytes long, of 'a's (with a NUL at the end
 * when nul), in a fresh socket */
static void
bindlen(int n, int nul)
{
	char name[160], what[64];
	int fd;
	long r;

	memset(name, 'a', sizeof name);
	if(nul && n > 0)
		name[n - 1] = 0;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	r = bindn(fd, name, n);
	snprintf(what, sizeof what, "bind sun_path %d%s", n, nul ? " nul" : "");
	printf("%s: %s\n", what, err(r));
	if(r == 0){
		sockname(what, fd, 0);
		name[n < 108 ? n : 108] = 0;
		unlink(name);
	}
	close(fd);
}

static void
checklengths(void)
{
	struct sockaddr_un sa;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	printf("bind len 0: %s\n", err(bind(fd, (struct sockaddr *)&sa, 0)));
	printf("bind len 1: %s\n", err(bind(fd, (struct sockaddr *)&sa, 1)));
	sa.sun_family = AF_INET;
	printf("bind family inet: %s\n", err(bind(fd, (struct sockaddr *)&sa, 10)));
	close(fd);
	bindlen(1, 0);
	bindlen(1, 1);
	bindlen(20, 1);
	bindlen(107, 0);
	bindlen(108, 1);
	bindlen(108, 0);
}

static void
checklong(void)
{
	int fd, x = 1;
	socklen_t len;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("setsockopt level 9999: %s\n", err(setsockopt(fd, 9999, 1, &x, sizeof x)));
	printf("setsockopt IPPROTO_TCP: %s\n", err(setsockopt(fd, IPPROTO_TCP, 1, &x, sizeof x)));
	len = sizeof x;
	printf("getsockopt level 9999: %s\n", err(getsockopt(fd, 9999, 1, &x, &len)));
	close(fd);
	bindlen(109, 0);
	bindlen(109, 1);
	bindlen(110, 1);
	bindlen(126, 1);
	bindlen(127, 0);
	bindlen(130, 1);
}

static void
checkautobind(void)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, l, c, a, one = 1;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	sa.sun_family = AF_UNIX;
	printf("autobind: bind %s\n", err(bind(fd, (struct sockaddr *)&sa, sizeof sa.sun_family)));
	sockname("autobind: getsockname", fd, 0);
	printf("autobind: again %s\n", err(bind(fd, (struct sockaddr *)&sa, sizeof sa.sun_family)));
	printf("autobind: listen %s\n", err(listen(fd, 2)));
	close(fd);

	l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	bindn(l, "\0guest_abTTTTT", 14);
	listen(l, 2);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("autobind: passcred %s\n", err(setsockopt(c, SOL_SOCKET, SO_PASSCRED, &one, sizeof one)));
	printf("autobind: connect %s\n", err(connectn(c, "\0guest_abTTTTT", 14)));
	sockname("autobind: caller getsockname", c, 0);
	len = sizeof sa;
	a = accept(l, (struct sockaddr *)&sa, &len);
	praddr("autobind: accept", a, &sa, len, sizeof sa);
	close(a);
	close(c);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("autobind: connect without passcred %s\n", err(connectn(c, "\0guest_abTTTTT", 14)));
	sockname("autobind: its getsockname", c, 0);
	close(c);
	close(l);
}

static void
recvshow(const char *what, int fd, size_t n, int flags)
{
	char buf[64];
	struct iovec iov;
	struct msghdr mh;
	long r;

	memset(buf, 0, sizeof buf);
	memset(&mh, 0, sizeof mh);
	iov.iov_base = buf;
	iov.iov_len = n;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	r = recvmsg(fd, &mh, flags | MSG_DONTWAIT);
	printf("%s: %s", what, err(r));
	if(r >= 0)
		printf(" [%.*s] flags%s", (int)(r < (long)n ? r : (long)n), buf, mh.msg_flags & MSG_TRUNC ? " trunc" : "");
	printf("\n");
}

static void
boundaries(const char *what, int type)
{
	char w[80];
	int sv[2];

	printf("%s socketpair %s\n", what, err(socketpair(AF_UNIX, type, 0, sv)));
	snprintf(w, sizeof w, "%s recvfrom", what);
	recvfromshow(w, sv[0], sv[1]);
	printf("%s send abc %s\n", what, err(send(sv[0], "abc", 3, 0)));
	printf("%s send empty %s\n", what, err(send(sv[0], "", 0, 0)));
	printf("%s send defghij %s\n", what, err(send(sv[0], "defghij", 7, 0)));
	printf("%s send kl %s\n", what, err(send(sv[0], "kl", 2, 0)));
	printf("%s send mnop %s\n", what, err(send(sv[0], "mnop", 4, 0)));
	snprintf(w, sizeof w, "%s recv 10", what);
	recvshow(w, sv[1], 10, 0);
	snprintf(w, sizeof w, "%s recv empty", what);
	recvshow(w, sv[1], 10, 0);
	snprintf(w, sizeof w, "%s peek 3", what);
	recvshow(w, sv[1], 3, MSG_PEEK);
	snprintf(w, sizeof w, "%s recv 3 trunc", what);
	recvshow(w, sv[1], 3, MSG_TRUNC);
	snprintf(w, sizeof w, "%s recv 1", what);
	recvshow(w, sv[1], 1, 0);
	snprintf(w, sizeof w, "%s recv 10 again", what);
	recvshow(w, sv[1], 10, 0);
	snprintf(w, sizeof w, "%s recv nothing left", what);
	recvshow(w, sv[1], 10, 0);
	close(sv[0]);
	snprintf(w, sizeof w, "%s recv after close", what);
	recvshow(w, sv[1], 10, 0);
	close(sv[1]);
}

static void
getint(const char *what, int fd, int name)
{
	socklen_t len;
	long r;
	int x;

	x = -1;
	len = sizeof x;
	r = getsockopt(fd, SOL_SOCKET, name, &x, &len);
	printf("%s: %s", what, err(r));
	printf(" %d len %u\n", x, (unsigned)len);
}

static void
checkopts(void)
{
	int fd, x;
	socklen_t len;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	x = 1;
	printf("setsockopt 9999: %s\n", err(setsockopt(fd, SOL_SOCKET, 9999, &x, sizeof x)));
	printf("setsockopt SO_TYPE: %s\n", err(setsockopt(fd, SOL_SOCKET, SO_TYPE, &x, sizeof x)));
	printf("setsockopt SO_ERROR: %s\n", err(setsockopt(fd, SOL_SOCKET, SO_ERROR, &x, sizeof x)));
	printf("setsockopt SO_PEERCRED: %s\n", err(setsockopt(fd, SOL_SOCKET, SO_PEERCRED, &x, sizeof x)));
	len = sizeof x;
	printf("getsockopt 9999: %s\n", err(getsockopt(fd, SOL_SOCKET, 9999, &x, &len)));
	getint("getsockopt SO_PASSCRED", fd, SO_PASSCRED);
	x = 1;
	printf("setsockopt SO_PASSCRED: %s\n", err(setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &x, sizeof x)));
	getint("getsockopt SO_PASSCRED", fd, SO_PASSCRED);
	getint("getsockopt SO_PRIORITY", fd, SO_PRIORITY);
	getint("getsockopt SO_OOBINLINE", fd, SO_OOBINLINE);
	getint("getsockopt SO_RCVLOWAT", fd, SO_RCVLOWAT);
	getint("getsockopt SO_SNDLOWAT", fd, SO_SNDLOWAT);
	getint("getsockopt SO_TIMESTAMP", fd, SO_TIMESTAMP);
	close(fd);
}

/* sendto name's n bytes, as sendto shows it */
static long
sendton(int fd, const char *buf, const char *name, int n)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	tagged(sa.sun_path, name, n);
	return sendto(fd, buf, strlen(buf), 0, (struct sockaddr *)&sa, offsetof(struct sockaddr_un, sun_path) + n);
}

static long
sendton2(int fd, const char *buf, const char *name, int n, int flags)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	tagged(sa.sun_path, name, n);
	return sendto(fd, buf, strlen(buf), flags, (struct sockaddr *)&sa, offsetof(struct sockaddr_un, sun_path) + n);
}

/* a datagram from fd, with its sender, as recvfrom shows it */
static void
dgramfrom(const char *what, int fd, size_t n, int flags)
{
	struct sockaddr_un sa;
	socklen_t len;
	char buf[64], w[96];
	long r;

	memset(&sa, 0x55, sizeof sa);
	memset(buf, 0, sizeof buf);
	len = sizeof sa;
	r = recvfrom(fd, buf, n, flags | MSG_DONTWAIT, (struct sockaddr *)&sa, &len);
	snprintf(w, sizeof w, "%s [%.*s]", what, (int)(r < 0 ? 0 : r < (long)n ? r : (long)n), buf);
	praddr(w, r, &sa, len, sizeof sa);
}

/* datagram sockets by name: bound, unbound, connected, autobound */
static void
checkdgramnames(void)
{
	int srv, c, d, one = 1;
	char buf[16];

	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("dgram bind: %s\n", err(bindn(srv, "guest dgram srv", 16)));
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("dgram send unconnected: %s\n", err(send(c, "x", 1, 0)));
	printf("dgram sendto unbound: %s\n", err(sendton(c, "hello", "guest dgram srv", 16)));
	dgramfrom("dgram recvfrom unbound", srv, 10, 0);
	printf("dgram sendto nobody path: %s\n", err(sendton(c, "x", "guest no such", 14)));
	printf("dgram sendto nobody abstract: %s\n", err(sendton(c, "x", "\0guest_noTTTTT", 15)));
	printf("dgram caller bind: %s\n", err(bindn(c, "\0guest\0cliTTTTT", 16)));
	printf("dgram sendto bound: %s\n", err(sendton(c, "again", "guest dgram srv", 16)));
	printf("dgram sendto long: %s\n", err(sendton(c, "0123456789abcdef", "guest dgram srv", 16)));
	dgramfrom("dgram recvfrom bound", srv, 10, MSG_PEEK);
	dgramfrom("dgram recvfrom bound", srv, 10, 0);
	dgramfrom("dgram recvfrom short", srv, 4, MSG_TRUNC);
	printf("dgram sendto again: %s\n", err(sendton(c, "0123456789", "guest dgram srv", 16)));
	d = dup(srv);
	dgramfrom("dgram recvfrom short, by a dup", d, 4, 0);
	sockname("dgram dup getsockname", d, 0);
	close(d);
	printf("dgram reply: %s\n", err(sendton(srv, "reply", "\0guest\0cliTTTTT", 16)));
	dgramfrom("dgram reply recvfrom", c, 10, 0);
	d = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("dgram connect: %s\n", err(connectn(d, "guest dgram srv", 16)));
	sockname("dgram connect getpeername", d, 1);
	printf("dgram connected write: %s\n", err(write(d, "viawrite", 8)));
	printf("dgram connected send: %s\n", err(send(d, "viasend", 7, 0)));
	memset(buf, 0, sizeof buf);
	printf("dgram read: %s", err(read(srv, buf, sizeof buf)));
	printf(" [%s]\n", buf);
	dgramfrom("dgram recvfrom connected", srv, 10, 0);
	printf("dgram connect nobody: %s\n", err(connectn(d, "\0guest_noTTTTT", 15)));
	close(d);
	d = socket(AF_UNIX, SOCK_DGRAM, 0);
	setsockopt(d, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	printf("dgram passcred sendto: %s\n", err(sendton(d, "cred", "guest dgram srv", 16)));
	sockname("dgram passcred getsockname", d, 0);
	dgramfrom("dgram recvfrom passcred", srv, 10, 0);
	dgramfrom("dgram recvfrom empty", srv, 10, 0);
	close(d);
	close(c);
	close(srv);
	unlink("guest dgram srv");
}

/* a fresh socket's recv, send and getpeername; a listener's recv */
static void
recvfresh(const char *what, int type)
{
	char buf[4];
	int fd;

	fd = socket(AF_UNIX, type, 0);
	printf("%s fresh: recv %s", what, err(recv(fd, buf, sizeof buf, MSG_DONTWAIT)));
	printf(" send %s", err(send(fd, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL)));
	printf(" shutdown %s\n", err(shutdown(fd, SHUT_RD)));
	sockname("fresh getpeername", fd, 1);
	if(type != SOCK_DGRAM && bindn(fd, "\0guest_freshTTTTT", 17) == 0 && listen(fd, 1) == 0){
		printf("%s listener: recv %s", what, err(recv(fd, buf, sizeof buf, MSG_DONTWAIT)));
		printf(" send %s\n", err(send(fd, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL)));
	}
	close(fd);
}

/* connects and sends Linux refuses */
static void
checkrefusals(void)
{
	int st, dg, sp, c, p;

	st = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("bound, not listening: bind %s\n", err(bindn(st, "\0guest_stTTTTT", 14)));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("bound, not listening: connect %s\n", err(connectn(c, "\0guest_stTTTTT", 14)));
	close(c);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("bound twice: %s\n", err(bindn(c, "\0guest_stTTTTT", 14)));
	printf("listen %s\n", err(listen(st, 2)));
	printf("bind a bound socket: %s\n", err(bindn(st, "\0guest_st2TTTTT", 15)));
	dg = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("dgram bind: %s\n", err(bindn(dg, "\0guest_dgTTTTT", 14)));
	printf("stream to a dgram name: %s\n", err(connectn(c, "\0guest_dgTTTTT", 14)));
	close(c);
	sp = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	printf("seqpacket to a stream listener: %s\n", err(connectn(sp, "\0guest_stTTTTT", 14)));
	close(sp);
	p = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("path listener: %s", err(bindn(p, "guest_stp", 9)));
	printf(" %s\n", err(listen(p, 2)));
	sp = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	printf("seqpacket to a stream path: %s\n", err(connectn(sp, "guest_stp", 9)));
	close(sp);
	sp = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("dgram to a stream path: %s\n", err(sendton(sp, "x", "guest_stp", 9)));
	printf("dgram connect to a stream path: %s\n", err(connectn(sp, "guest_stp", 9)));
	close(sp);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	sp = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("stream to a dgram path: bind %s", err(bindn(sp, "guest_dgp", 9)));
	printf(" %s\n", err(connectn(c, "guest_dgp", 9)));
	close(sp);
	close(c);
	close(p);
	unlink("guest_stp");
	unlink("guest_dgp");
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("dgram to a stream listener: %s\n", err(sendton(c, "x", "\0guest_stTTTTT", 14)));
	printf("dgram connect to a stream listener: %s\n", err(connectn(c, "\0guest_stTTTTT", 14)));
	printf("dgram to itself: bind %s", err(bindn(c, "\0guest_selfTTTTT", 16)));
	printf(" sendto %s\n", err(sendton(c, "me", "\0guest_selfTTTTT", 16)));
	dgramfrom("dgram to itself: recvfrom", c, 10, 0);
	close(c);
	close(dg);
	close(st);
	recvfresh("stream", SOCK_STREAM);
	recvfresh("seqpacket", SOCK_SEQPACKET);
	recvfresh("dgram", SOCK_DGRAM);
}

/* send s with the fd on sv */
static long
sendfd(int sv, char *s, int fd)
{
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr h; } cm;
	struct cmsghdr *h;
	struct msghdr mh;
	struct iovec iov;

	msginit(&mh, &iov, s, strlen(s), cm.b, sizeof cm.b);
	h = CMSG_FIRSTHDR(&mh);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(sv, &mh, 0);
}

/* messages with fds (pipes' ends) after a read short and a plain read:
 * each fd arrives with its own message, or not at all */
static void
rightsafter(const char *what, int type)
{
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr h; } cm;
	struct cmsghdr *h;
	struct msghdr mh;
	struct iovec iov;
	char buf[16], c;
	int sv[2], p[2], q[2], fd;
	long r;

	if(socketpair(AF_UNIX, type, 0, sv) < 0 || pipe(p) < 0 || pipe(q) < 0)
		return;
	send(sv[0], "abcdef", 6, 0);
	printf("%s rights: sendmsg %s", what, err(sendfd(sv[0], "gh", p[0])));
	printf(" %s\n", err(sendfd(sv[0], "ij", q[0])));
	printf("%s rights: read 2 of 6: %s\n", what, err(read(sv[1], buf, 2)));
	memset(buf, 0, sizeof buf);
	printf("%s rights: a plain read: %s", what, err(read(sv[1], buf, 2)));
	printf(" [%s]\n", buf);
	memset(buf, 0, sizeof buf);
	msginit(&mh, &iov, buf, sizeof buf, cm.b, sizeof cm.b);
	r = recvmsg(sv[1], &mh, MSG_DONTWAIT);
	h = CMSG_FIRSTHDR(&mh);
	printf("%s rights: recvmsg %s [%s] %s", what, err(r), buf,
		h != NULL && h->cmsg_type == SCM_RIGHTS ? "with an fd" : "no fd");
	if(h != NULL && h->cmsg_type == SCM_RIGHTS){
		memcpy(&fd, CMSG_DATA(h), sizeof fd);
		write(p[1], "p", 1);
		write(q[1], "q", 1);
		printf(", the pipe %s", read(fd, &c, 1) == 1 ? (c == 'q' ? "sent with it" : "sent before") : "unread");
		close(fd);
	}
	printf("\n");
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

static void
checkpackets(void)
{
	boundaries("dgram", SOCK_DGRAM);
	boundaries("seqpacket", SOCK_SEQPACKET);
	rightsafter("dgram", SOCK_DGRAM);
	rightsafter("seqpacket", SOCK_SEQPACKET);
	rightsafter("stream", SOCK_STREAM);
}

/* an abstract dgram socket bound to name (tagged) */
static int
dgbound(const char *name, int n)
{
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	bindn(fd, name, n);
	return fd;
}

static void
unspec(const char *what, int fd)
{
	struct sockaddr sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_family = AF_UNSPEC;
	printf("%s: %s\n", what, err(connect(fd, &sa, sizeof sa)));
}

/* a connected datagram socket takes only its peer's datagrams; others
 * get EPERM; connect(AF_UNSPEC) dissolves it (and drops what was queued) */
static void
checkdgrampeer(void)
{
	int a, b, c, d;

	a = dgbound("\0gp_aTTTTT", 10);
	b = dgbound("\0gp_bTTTTT", 10);
	c = dgbound("\0gp_cTTTTT", 10);
	d = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("peer: c to a before: %s\n", err(sendton(c, "early", "\0gp_aTTTTT", 10)));
	printf("peer: connect a b: %s\n", err(connectn(a, "\0gp_bTTTTT", 10)));
	printf("peer: c to a: %s\n", err(sendton(c, "x", "\0gp_aTTTTT", 10)));
	printf("peer: unbound d to a: %s\n", err(sendton(d, "x", "\0gp_aTTTTT", 10)));
	printf("peer: b to a: %s\n", err(sendton(b, "fromb", "\0gp_aTTTTT", 10)));
	dgramfrom("peer: a recvfrom", a, 10, 0);
	dgramfrom("peer: a recvfrom", a, 10, 0);
	dgramfrom("peer: a recvfrom", a, 10, 0);
	printf("peer: a sendto c: %s\n", err(sendton(a, "toc", "\0gp_cTTTTT", 10)));
	dgramfrom("peer: c recvfrom", c, 10, 0);
	printf("peer: connect b a: %s\n", err(connectn(b, "\0gp_aTTTTT", 10)));
	printf("peer: b send: %s\n", err(send(b, "lost", 4, 0)));
	unspec("peer: a unspec", a);
	sockname("peer: a getpeername", a, 1);
	printf("peer: a send: %s\n", err(send(a, "x", 1, MSG_NOSIGNAL)));
	dgramfrom("peer: a recvfrom after unspec", a, 10, 0);
	dgramfrom("peer: b recvfrom", b, 10, 0);
	printf("peer: b send again: %s\n", err(send(b, "bagain", 6, 0)));
	printf("peer: c to a again: %s\n", err(sendton(c, "cagain", "\0gp_aTTTTT", 10)));
	dgramfrom("peer: a recvfrom", a, 10, 0);
	dgramfrom("peer: a recvfrom", a, 10, 0);
	unspec("peer: a unspec again", a);
	/* the peer goes: others are refused until a's own send finds out */
	printf("peer: connect a d: %s", err(bindn(d, "\0gp_dTTTTT", 10)));
	printf(" %s\n", err(connectn(a, "\0gp_dTTTTT", 10)));
	close(d);
	printf("peer: c to a, d gone: %s\n", err(sendton(c, "x", "\0gp_aTTTTT", 10)));
	printf("peer: a send, d gone: %s\n", err(send(a, "x", 1, 0)));
	printf("peer: a send again: %s\n", err(send(a, "x", 1, 0)));
	sockname("peer: a getpeername", a, 1);
	printf("peer: c to a now: %s\n", err(sendton(c, "late", "\0gp_aTTTTT", 10)));
	dgramfrom("peer: a recvfrom", a, 10, 0);
	printf("peer: c to a, empty: %s\n", err(sendton(c, "", "\0gp_aTTTTT", 10)));
	dgramfrom("peer: a recvfrom", a, 10, 0);
	close(a);
	close(b);
	close(c);
}

/* a full datagram receiver: EAGAIN without waiting; a blocking send
 * waits for room, a signal, or the receiver's close */
static void
onalarm(int sig)
{
	(void)sig;
}

static void
checkdgramfull(void)
{
	struct sigaction sa;
	struct pollfd pf;
	int r, s, n, st;
	long e;
	char buf[8];
	pid_t pid;

	r = dgbound("\0gf_rTTTTT", 10);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	for(n = 0; n < 10000 && (e = sendton2(s, "x", "\0gf_rTTTTT", 10, MSG_DONTWAIT)) >= 0; n++)
		;
	printf("full: %d sent, then %s\n", n, err(e));
	printf("full: recv %s", err(recv(r, buf, sizeof buf, 0)));
	printf(" sendto %s", err(sendton2(s, "y", "\0gf_rTTTTT", 10, MSG_DONTWAIT)));
	printf(" again %s\n", err(sendton2(s, "z", "\0gf_rTTTTT", 10, MSG_DONTWAIT)));
	printf("full: connect %s", err(connectn(s, "\0gf_rTTTTT", 10)));
	printf(" send %s\n", err(send(s, "w", 1, MSG_DONTWAIT)));
	pf.fd = s;
	pf.events = POLLOUT;
	printf("full: poll %s", err(poll(&pf, 1, 0)));
	printf(" revents %s\n", pf.revents & POLLOUT ? "out" : "none");
	/* a blocking send, interrupted */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	printf("full: blocking send, alarm: %s\n", err(send(s, "v", 1, 0)));
	/* a blocking send that room ends: its datagram is the last */
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		send(s, "child", 5, 0);
		_exit(0);
	}
	for(n = 0; n < 11; n++)
		recv(r, buf, sizeof buf, 0);
	waitpid(pid, &st, 0);
	memset(buf, 0, sizeof buf);
	printf("full: after the child: %s", err(recv(r, buf, sizeof buf, MSG_DONTWAIT)));
	printf(" [%s]\n", buf);
	while(sendton2(s, "x", "\0gf_rTTTTT", 10, MSG_DONTWAIT) >= 0)
		;
	/* the receiver's close ends it: refused, whether before or after */
	pid = fork();
	if(pid == 0){
		close(r);
		printf("full: child's blocking send, receiver closed: %s\n", err(send(s, "c", 1, 0)));
		_exit(0);
	}
	close(r);
	waitpid(pid, &st, 0);
	printf("full: then %s\n", err(send(s, "c", 1, MSG_DONTWAIT)));
	close(s);
}

/* a creds message's pid, uid, gid as whose they are */
static void
prcreds(const char *what, long r, struct msghdr *mh, pid_t want)
{
	struct cmsghdr *h;
	struct ucred uc;
	int n;

	printf("%s: %s", what, err(r));
	n = 0;
	for(h = CMSG_FIRSTHDR(mh); h != NULL; h = CMSG_NXTHDR(mh, h)){
		if(h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS){
			memcpy(&uc, CMSG_DATA(h), sizeof uc);
			printf(" creds pid %s uid %s gid %s", uc.pid == want ? "sender's" : "other",
				uc.uid == getuid() ? "ours" : "other", uc.gid == getgid() ? "ours" : "other");
		}else if(h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
			printf(" rights");
		n++;
	}
	printf(" (%d)%s\n", n, mh->msg_flags & MSG_CTRUNC ? " ctrunc" : "");
}

static long
recvcreds(int fd, char *buf, int n, pid_t want, const char *what)
{
	union { char b[256]; struct cmsghdr h; } cm;
	struct msghdr mh;
	struct iovec iov;
	long r;

	memset(buf, 0, n);
	msginit(&mh, &iov, buf, n - 1, cm.b, sizeof cm.b);
	r = recvmsg(fd, &mh, 0);
	prcreds(what, r, &mh, want);
	return r;
}

static void
peercred(const char *what, int fd, pid_t want)
{
	struct ucred uc;
	socklen_t len;
	long r;

	len = sizeof uc;
	memset(&uc, 0, sizeof uc);
	r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len);
	printf("%s: %s len %u pid %s uid %s gid %s\n", what, err(r), (unsigned)len,
		uc.pid == want ? "right" : "wrong", uc.uid == getuid() ? "ours" : "other", uc.gid == getgid() ? "ours" : "other");
}

/* SO_PEERCRED, SCM_CREDENTIALS from another process, SCM_RIGHTS by sendto */
static void
checkcreds(void)
{
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr h; } cm;
	struct sockaddr_un sa;
	struct cmsghdr *h;
	struct msghdr mh;
	struct iovec iov;
	char buf[32], c;
	int sv[2], l, a, r, s, p[2], q[2], one = 1, st, fd;
	pid_t pid, me;

	me = getpid();
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	peercred("creds: socketpair", sv[0], me);
	close(sv[0]);
	close(sv[1]);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	bindn(l, "\0gc_lTTTTT", 10);
	listen(l, 2);
	fflush(stdout);
	pipe(p);
	pipe(q);
	pid = fork();
	if(pid == 0){
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		connectn(s, "\0gc_lTTTTT", 10);
		peercred("creds: the caller's peer", s, me);
		write(q[1], "p", 1);	/* printed */
		read(p[0], &c, 1);	/* the receiver wants creds now */
		send(s, "hi", 2, 0);
		_exit(0);
	}
	a = accept(l, NULL, NULL);
	read(q[0], &c, 1);
	peercred("creds: the accepted's peer", a, pid);
	setsockopt(a, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	write(p[1], "g", 1);
	waitpid(pid, &st, 0);
	recvcreds(a, buf, sizeof buf, pid, "creds: stream from a child");
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(a);
	close(l);

	r = dgbound("\0gc_rTTTTT", 10);
	setsockopt(r, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		sendton(s, "dg", "\0gc_rTTTTT", 10);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	recvcreds(r, buf, sizeof buf, pid, "creds: dgram from a child");
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	sendton(s, "me", "\0gc_rTTTTT", 10);
	recvcreds(r, buf, sizeof buf, me, "creds: dgram from us");
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		send(sv[0], "sp", 2, 0);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	recvcreds(sv[1], buf, sizeof buf, pid, "creds: seqpacket from a child");
	close(sv[0]);
	close(sv[1]);

	/* a file by sendto */
	pipe(p);
	msginit(&mh, &iov, "fd", 2, cm.b, sizeof cm.b);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	tagged(sa.sun_path, "\0gc_rTTTTT", 10);
	mh.msg_name = &sa;
	mh.msg_namelen = offsetof(struct sockaddr_un, sun_path) + 10;
	h = CMSG_FIRSTHDR(&mh);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &p[0], sizeof(int));
	printf("creds: sendmsg an fd by name: %s\n", err(sendmsg(s, &mh, 0)));
	printf("creds: and a plain one: %s\n", err(sendton(s, "plain", "\0gc_rTTTTT", 10)));
	one = 0;
	setsockopt(r, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	memset(buf, 0, sizeof buf);
	msginit(&mh, &iov, buf, sizeof buf, cm.b, sizeof cm.b);
	prcreds("creds: recvmsg the fd", recvmsg(r, &mh, 0), &mh, me);
	h = CMSG_FIRSTHDR(&mh);
	if(h != NULL && h->cmsg_type == SCM_RIGHTS){
		memcpy(&fd, CMSG_DATA(h), sizeof fd);
		write(p[1], "P", 1);
		printf("creds: the fd reads %s\n", read(fd, &c, 1) == 1 && c == 'P' ? "the pipe" : "nothing");
		close(fd);
	}
	recvcreds(r, buf, sizeof buf, me, "creds: the plain one");
	printf("creds: [%s]\n", buf);
	close(p[0]);
	close(p[1]);
	close(s);
	close(r);
}

static int npipe;

static void
onpipe(int sig)
{
	(void)sig;
	npipe++;
}

/* a send (flags -1: a write) and the SIGPIPEs so far */
static void
sendpipe(const char *what, int fd, int flags, int nl)
{
	long r;

	r = flags < 0 ? write(fd, "x", 1) : send(fd, "x", 1, flags);
	printf("%s %s sigpipes %d%s", what, err(r), npipe, nl ? "\n" : "");
}

/* shutdown of stream and seqpacket ends; SIGPIPE, MSG_NOSIGNAL */
static void
shutdowns(const char *what, int type)
{
	struct sigaction sa;
	struct pollfd pf;
	char buf[16];
	int sv[2];
	long r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onpipe;
	sigaction(SIGPIPE, &sa, NULL);
	npipe = 0;
	socketpair(AF_UNIX, type, 0, sv);
	send(sv[1], "queued", 6, 0);
	printf("%s: shutdown rd %s", what, err(shutdown(sv[0], SHUT_RD)));
	memset(buf, 0, sizeof buf);
	r = recv(sv[0], buf, sizeof buf, MSG_DONTWAIT);
	printf(" recv %s [%s]", err(r), buf);
	printf(" again %s\n", err(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT)));
	printf("%s: peer's", what);
	sendpipe(" send", sv[1], MSG_NOSIGNAL, 1);
	printf("%s: own send %s\n", what, err(send(sv[0], "back", 4, MSG_NOSIGNAL)));
	memset(buf, 0, sizeof buf);
	printf("%s: peer reads %s [%s]\n", what, err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT)), buf);
	printf("%s: shutdown wr %s", what, err(shutdown(sv[0], SHUT_WR)));
	sendpipe(" send", sv[0], 0, 0);
	sendpipe(" nosignal", sv[0], MSG_NOSIGNAL, 1);
	printf("%s: peer reads %s\n", what, err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT)));
	pf.fd = sv[1];
	pf.events = POLLIN | POLLOUT | POLLRDHUP;
	poll(&pf, 1, 0);
	printf("%s: peer polls%s%s%s%s\n", what, pf.revents & POLLIN ? " in" : "", pf.revents & POLLOUT ? " out" : "",
		pf.revents & POLLRDHUP ? " rdhup" : "", pf.revents & POLLHUP ? " hup" : "");
	close(sv[0]);
	printf("%s: closed peer:", what);
	sendpipe(" send", sv[1], MSG_DONTWAIT, 0);
	sendpipe(" write", sv[1], -1, 0);
	sendpipe(" nosignal", sv[1], MSG_NOSIGNAL, 1);
	printf("%s: closed peer: recv %s\n", what, err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT)));
	close(sv[1]);
	/* a full peer: EAGAIN without waiting */
	socketpair(AF_UNIX, type, 0, sv);
	memset(buf, 'f', sizeof buf);
	while((r = send(sv[0], buf, sizeof buf, MSG_DONTWAIT)) > 0)
		;
	printf("%s: full: %s\n", what, err(r));
	close(sv[0]);
	close(sv[1]);
	signal(SIGPIPE, SIG_DFL);
}

/* an empty socket shut down for reading: a blocking recv answers 0
 * (a datagram or seqpacket one spun in the device's wait for ever
 * until red30b), a nonblocking one a datagram's EAGAIN, a seqpacket's 0 */
static void
shutempty(const char *what, int type)
{
	char buf[16];
	int sv[2];

	if(socketpair(AF_UNIX, type, 0, sv) < 0)
		return;
	printf("%s: shutdown rd %s", what, err(shutdown(sv[0], SHUT_RD)));
	printf(" nonblocking recv %s", err(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT)));
	printf(" blocking recv %s\n", err(recv(sv[0], buf, sizeof buf, 0)));
	close(sv[0]);
	close(sv[1]);
}

static void
checkshutdown(void)
{
	shutdowns("stream", SOCK_STREAM);
	shutdowns("seqpacket", SOCK_SEQPACKET);
	shutempty("empty stream", SOCK_STREAM);
	shutempty("empty seqpacket", SOCK_SEQPACKET);
	shutempty("empty datagram", SOCK_DGRAM);
}

static struct {
	char *name;
	void (*f)(void);
} sections[] = {
	{ "names", checknames },
	{ "lengths", checklengths },
	{ "autobind", checkautobind },
	{ "packets", checkpackets },
	{ "dgramnames", checkdgramnames },
	{ "refusals", checkrefusals },
	{ "options", checkopts },
	{ "dgrampeer", checkdgrampeer },
	{ "dgramfull", checkdgramfull },
	{ "creds", checkcreds },
	{ "shutdown", checkshutdown },
};

int
main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* relative names: the reference and the guest bind in their own
	 * directories, and the lengths printed stay the same */
	if(argc > 2)
		snprintf(tag, sizeof tag, "%05lu", strtoul(argv[2], NULL, 10) % 100000);
	if(chdir(argc > 3 ? argv[3] : "/tmp") < 0){
		printf("chdir: %s\n", strerror(errno));
		return 1;
	}
	if(argc > 1 && strcmp(argv[1], "native") == 0){
		checklong();
		return 0;
	}
	for(i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if(argc < 2 || strcmp(argv[1], "all") == 0 || strcmp(argv[1], sections[i].name) == 0)
			sections[i].f();
	printf("done\n");
	return 0;
}
