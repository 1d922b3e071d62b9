/*
 * guest_net.c — sockets inside the sandbox, on loopback: a TCP server
 * and client, UDP, socketpair, AF_UNIX by path and abstract name,
 * non-blocking connect and accept with poll, names, options, errors.
 * Prints one line per check; the same lines natively and in vxinferno.
 *
 *	guest_net		all the checks
 *	guest_net connrace	only the connect race (its rounds)
 *	guest_net nonet		no network (vxinferno without -N): socket(AF_INET)
 *				fails cleanly, AF_UNIX and socketpair work
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static int fails;

static void
check(int cond, const char *what)
{
	printf("%s %s\n", cond ? "ok" : "FAIL", what);
	if(!cond){
		printf("  errno %d (%s)\n", errno, strerror(errno));
		fails++;
	}
}

static int
sendall(int fd, const char *s)
{
	return send(fd, s, strlen(s), 0) == (ssize_t)strlen(s);
}

static int
recvis(int fd, const char *want)
{
	char buf[256];
	size_t got = 0, n = strlen(want);
	ssize_t r;

	while(got < n && (r = recv(fd, buf + got, n - got, 0)) > 0)
		got += r;
	return got == n && memcmp(buf, want, n) == 0;
}

/* A listening TCP socket on 127.0.0.1 and its port. */
static int
tcplisten(int *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if(fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if(bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0)
		return -1;
	if(getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
tcp(void)
{
	struct sockaddr_in sa, pa, ca;
	socklen_t sl;
	int lfd, cfd, sfd, port, v;
	char buf[16];

	lfd = tcplisten(&port);
	check(lfd >= 0 && port > 0, "tcp: bind 127.0.0.1:0, listen, getsockname gives a port");
	sl = sizeof v;
	check(getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &v, &sl) == 0 && v == 1, "tcp: SO_ACCEPTCONN");
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	check(connect(cfd, (struct sockaddr *)&sa, sizeof sa) == 0, "tcp: connect");
	sl = sizeof ca;
	sfd = accept(lfd, (struct sockaddr *)&ca, &sl);
	check(sfd >= 0 && sl == sizeof ca && ca.sin_family == AF_INET && ca.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
		"tcp: accept gives the caller's address");
	sl = sizeof pa;
	check(getpeername(cfd, (struct sockaddr *)&pa, &sl) == 0 && pa.sin_port == htons(port), "tcp: getpeername is the server");
	sl = sizeof pa;
	check(getsockname(cfd, (struct sockaddr *)&pa, &sl) == 0 && pa.sin_port == ca.sin_port, "tcp: getsockname is what accept saw");
	v = 1;
	check(setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) == 0, "tcp: TCP_NODELAY accepted");
	sl = sizeof v;
	check(getsockopt(cfd, SOL_SOCKET, SO_TYPE, &v, &sl) == 0 && v == SOCK_STREAM, "tcp: SO_TYPE");
	check(sendall(cfd, "hello server") && recvis(sfd, "hello server"), "tcp: client to server");
	check(write(sfd, "hi client", 9) == 9 && read(cfd, buf, 9) == 9 && memcmp(buf, "hi client", 9) == 0, "tcp: read and write work too");
	check(sendall(sfd, "peekaboo") && recv(cfd, buf, 4, MSG_PEEK) == 4 && memcmp(buf, "peek", 4) == 0,
		"tcp: MSG_PEEK shows the bytes");
	check(recv(cfd, buf, 8, MSG_PEEK | MSG_WAITALL) >= 4 && memcmp(buf, "peek", 4) == 0 && recvis(cfd, "peekaboo"),
		"tcp: and leaves them for the next recv");
	check(shutdown(cfd, SHUT_WR) == 0 && recv(sfd, buf, sizeof buf, 0) == 0, "tcp: shutdown(SHUT_WR) is end of file for the server");
	check(sendall(sfd, "after") && recvis(cfd, "after"), "tcp: the other direction still works");
	close(sfd);
	check(recv(cfd, buf, sizeof buf, 0) == 0, "tcp: the server's close is end of file");
	close(cfd);
	close(lfd);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(cfd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno == ECONNREFUSED, "tcp: a closed port refuses: ECONNREFUSED");
	close(cfd);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	check(send(cfd, "x", 1, MSG_NOSIGNAL) < 0 && (errno == ENOTCONN || errno == EPIPE), "tcp: send unconnected fails");
	sl = sizeof pa;
	check(getpeername(cfd, (struct sockaddr *)&pa, &sl) < 0 && errno == ENOTCONN, "tcp: getpeername unconnected: ENOTCONN");
	close(cfd);
}

static void
nonblocking(void)
{
	struct sockaddr_in sa;
	struct pollfd pf;
	socklen_t sl;
	int lfd, cfd, sfd, port, r, err;
	char buf[8];

	lfd = tcplisten(&port);
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	check(accept(lfd, NULL, NULL) < 0 && errno == EAGAIN, "nonblock: accept with nobody calling: EAGAIN");
	pf.fd = lfd;
	pf.events = POLLIN;
	check(poll(&pf, 1, 0) == 0, "nonblock: poll: the listener is not readable yet");
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(cfd, (struct sockaddr *)&sa, sizeof sa);
	check(r == 0 || errno == EINPROGRESS, "nonblock: connect: 0 or EINPROGRESS");
	pf.fd = cfd;
	pf.events = POLLOUT;
	check(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT), "nonblock: poll says writable once connected");
	sl = sizeof err;
	check(getsockopt(cfd, SOL_SOCKET, SO_ERROR, &err, &sl) == 0 && err == 0, "nonblock: SO_ERROR 0");
	pf.fd = lfd;
	pf.events = POLLIN;
	check(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN), "nonblock: poll: the listener is readable");
	sfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	check(sfd >= 0, "nonblock: accept4(SOCK_NONBLOCK)");
	check(recv(sfd, buf, sizeof buf, 0) < 0 && errno == EAGAIN, "nonblock: recv with nothing sent: EAGAIN");
	check(recv(cfd, buf, sizeof buf, MSG_DONTWAIT) < 0 && errno == EAGAIN, "nonblock: MSG_DONTWAIT: EAGAIN");
	pf.fd = sfd;
	pf.events = POLLIN;
	check(poll(&pf, 1, 0) == 0, "nonblock: poll: no data, not readable");
	check(send(cfd, "ping", 4, 0) == 4, "nonblock: send");
	check(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN), "nonblock: poll: readable after the send");
	check(recv(sfd, buf, sizeof buf, 0) == 4 && memcmp(buf, "ping", 4) == 0, "nonblock: recv");
	close(cfd);
	check(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN) && recv(sfd, buf, sizeof buf, 0) == 0,
		"nonblock: poll: readable at the peer's close, then end of file");
	close(sfd);
	close(lfd);
}

static void
udp(void)
{
	struct sockaddr_in a, b, from;
	socklen_t sl;
	int fa, fb, v;
	char buf[64];
	ssize_t r;

	fa = socket(AF_INET, SOCK_DGRAM, 0);
	fb = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	b = a;
	check(bind(fa, (struct sockaddr *)&a, sizeof a) == 0 && bind(fb, (struct sockaddr *)&b, sizeof b) == 0, "udp: bind two sockets");
	sl = sizeof a;
	getsockname(fa, (struct sockaddr *)&a, &sl);
	sl = sizeof b;
	getsockname(fb, (struct sockaddr *)&b, &sl);
	check(a.sin_port != 0 && b.sin_port != 0 && a.sin_port != b.sin_port, "udp: each has its own port");
	sl = sizeof v;
	check(getsockopt(fa, SOL_SOCKET, SO_TYPE, &v, &sl) == 0 && v == SOCK_DGRAM, "udp: SO_TYPE");
	check(sendto(fa, "datagram", 8, 0, (struct sockaddr *)&b, sizeof b) == 8, "udp: sendto");
	sl = sizeof from;
	r = recvfrom(fb, buf, sizeof buf, 0, (struct sockaddr *)&from, &sl);
	check(r == 8 && memcmp(buf, "datagram", 8) == 0 && from.sin_port == a.sin_port && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
		"udp: recvfrom names the sender");
	check(sendto(fb, "one", 3, 0, (struct sockaddr *)&a, sizeof a) == 3 && sendto(fb, "two", 3, 0, (struct sockaddr *)&a, sizeof a) == 3,
		"udp: two datagrams back");
	check(recv(fa, buf, sizeof buf, MSG_PEEK) == 3 && memcmp(buf, "one", 3) == 0, "udp: MSG_PEEK shows the first datagram");
	check(recv(fa, buf, sizeof buf, 0) == 3 && recv(fa, buf + 3, sizeof buf, 0) == 3 && memcmp(buf, "onetwo", 6) == 0,
		"udp: boundaries kept");
	{
		struct iovec iv;
		struct msghdr mh;

		iv.iov_base = "msg";
		iv.iov_len = 3;
		memset(&mh, 0, sizeof mh);
		mh.msg_name = &b;
		mh.msg_namelen = sizeof b;
		mh.msg_iov = &iv;
		mh.msg_iovlen = 1;
		check(sendmsg(fa, &mh, 0) == 3, "udp: sendmsg with a name");
		iv.iov_base = buf;
		iv.iov_len = sizeof buf;
		memset(&from, 0, sizeof from);
		mh.msg_name = &from;
		mh.msg_namelen = sizeof from;
		check(recvmsg(fb, &mh, 0) == 3 && memcmp(buf, "msg", 3) == 0 && mh.msg_namelen == sizeof from && from.sin_port == a.sin_port,
			"udp: recvmsg names the sender");
	}
	{
		struct mmsghdr mm[2];
		struct iovec iv[2];
		char r0[8], r1[8];

		memset(mm, 0, sizeof mm);
		iv[0].iov_base = "first";
		iv[0].iov_len = 5;
		iv[1].iov_base = "second";
		iv[1].iov_len = 6;
		mm[0].msg_hdr.msg_name = mm[1].msg_hdr.msg_name = &b;
		mm[0].msg_hdr.msg_namelen = mm[1].msg_hdr.msg_namelen = sizeof b;
		mm[0].msg_hdr.msg_iov = &iv[0];
		mm[1].msg_hdr.msg_iov = &iv[1];
		mm[0].msg_hdr.msg_iovlen = mm[1].msg_hdr.msg_iovlen = 1;
		check(sendmmsg(fa, mm, 2, 0) == 2 && mm[0].msg_len == 5 && mm[1].msg_len == 6, "udp: sendmmsg sends two");
		memset(mm, 0, sizeof mm);
		iv[0].iov_base = r0;
		iv[0].iov_len = sizeof r0;
		iv[1].iov_base = r1;
		iv[1].iov_len = sizeof r1;
		mm[0].msg_hdr.msg_iov = &iv[0];
		mm[1].msg_hdr.msg_iov = &iv[1];
		mm[0].msg_hdr.msg_iovlen = mm[1].msg_hdr.msg_iovlen = 1;
		check(recvmmsg(fb, mm, 2, 0, NULL) == 2 && mm[0].msg_len == 5 && mm[1].msg_len == 6 &&
			memcmp(r0, "first", 5) == 0 && memcmp(r1, "second", 6) == 0, "udp: recvmmsg takes both");
	}
	check(connect(fa, (struct sockaddr *)&b, sizeof b) == 0 && send(fa, "conn", 4, 0) == 4, "udp: connect, then send");
	check(recv(fb, buf, sizeof buf, 0) == 4 && memcmp(buf, "conn", 4) == 0, "udp: it arrives");
	{
		/* vectored calls are one datagram each, as Linux's (they
		 * were one per buffer) */
		char w[] = "vectored datagram";
		struct iovec v[3] = {{w, 8}, {w + 8, 0}, {w + 8, 9}};

		check(writev(fa, v, 3) == 17 && writev(fa, v, 1) == 8, "udp: writev of 8+0+9, then of 8");
		memset(buf, 0, sizeof buf);
		v[0] = (struct iovec){buf, 3};
		v[1] = (struct iovec){buf + 3, 40};
		check(readv(fb, v, 2) == 17 && memcmp(buf, w, 17) == 0, "udp: readv of 3+40 takes the 17-byte datagram whole");
		check(readv(fb, v, 1) == 3 && memcmp(buf, w, 3) == 0, "udp: a readv of 3 the next, truncated");
		check(send(fa, "z", 1, 0) == 1 && recv(fb, buf, sizeof buf, 0) == 1 && buf[0] == 'z', "udp: the rest of it gone");
	}
	close(fa);
	fa = socket(AF_INET, SOCK_DGRAM, 0);
	check(sendto(fa, "x", 1, 0, (struct sockaddr *)&b, sizeof b) == 1 && recv(fb, buf, sizeof buf, 0) == 1, "udp: sendto without bind binds");
	close(fa);
	close(fb);
}

static void
pair(void)
{
	int sv[2];
	char buf[16];

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	{
		struct stat st;
		int d = dup(sv[0]);
		check(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode), "fstat of a socket: S_IFSOCK");
		check(fstat(d, &st) == 0 && S_ISSOCK(st.st_mode), "and of its dup");
		close(d);
	}
	check(write(sv[0], "left", 4) == 4 && recv(sv[1], buf, 2, MSG_PEEK) == 2 && memcmp(buf, "le", 2) == 0
		&& read(sv[1], buf, sizeof buf) == 4 && memcmp(buf, "left", 4) == 0, "socketpair: one way, peeked first");
	check(send(sv[1], "right", 5, 0) == 5 && recv(sv[0], buf, sizeof buf, 0) == 5 && memcmp(buf, "right", 5) == 0, "socketpair: the other");
	{
		struct iovec iv[2], rv[2];
		struct msghdr mh;
		char b1[2], b2[8];

		iv[0].iov_base = "ab";
		iv[0].iov_len = 2;
		iv[1].iov_base = "cde";
		iv[1].iov_len = 3;
		memset(&mh, 0, sizeof mh);
		mh.msg_iov = iv;
		mh.msg_iovlen = 2;
		check(sendmsg(sv[0], &mh, 0) == 5, "socketpair: sendmsg gathers");
		rv[0].iov_base = b1;
		rv[0].iov_len = 2;
		rv[1].iov_base = b2;
		rv[1].iov_len = 8;
		mh.msg_iov = rv;
		check(recvmsg(sv[1], &mh, 0) == 5 && memcmp(b1, "ab", 2) == 0 && memcmp(b2, "cde", 3) == 0 && mh.msg_controllen == 0,
			"socketpair: recvmsg scatters");
	}
	if(fork() == 0){
		close(sv[0]);
		write(sv[1], "from child", 10);
		_exit(0);
	}
	close(sv[1]);
	check(recvis(sv[0], "from child") && read(sv[0], buf, sizeof buf) == 0, "socketpair: across fork, then end of file");
	close(sv[0]);
}

static void
unixsock(const char *name, int abstract)
{
	struct sockaddr_un sa, ca;
	socklen_t len, sl;
	int lfd, cfd, sfd;
	char what[96];

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if(abstract){
		memcpy(sa.sun_path + 1, name, strlen(name));
		len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	}else{
		unlink(name);
		strcpy(sa.sun_path, name);
		len = sizeof sa;
	}
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(what, sizeof what, "unix %s: bind, listen", abstract ? "abstract" : "path");
	check(lfd >= 0 && bind(lfd, (struct sockaddr *)&sa, len) == 0 && listen(lfd, 4) == 0, what);
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(what, sizeof what, "unix %s: connect", abstract ? "abstract" : "path");
	check(connect(cfd, (struct sockaddr *)&sa, len) == 0, what);
	sfd = accept(lfd, NULL, NULL);
	snprintf(what, sizeof what, "unix %s: accept, exchange", abstract ? "abstract" : "path");
	check(sfd >= 0 && sendall(cfd, "unix!") && recvis(sfd, "unix!") && sendall(sfd, "back") && recvis(cfd, "back"), what);
	sl = sizeof ca;
	snprintf(what, sizeof what, "unix %s: getpeername is the name", abstract ? "abstract" : "path");
	check(getpeername(cfd, (struct sockaddr *)&ca, &sl) == 0 && ca.sun_family == AF_UNIX &&
		(abstract ? memcmp(ca.sun_path + 1, name, strlen(name)) == 0 : strcmp(ca.sun_path, name) == 0), what);
	close(sfd);
	close(cfd);
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(what, sizeof what, "unix %s: bound twice: EADDRINUSE", abstract ? "abstract" : "path");
	if(!abstract)
		check(1, what);		/* a path bound twice needs the file removed on Linux */
	else
		check(bind(cfd, (struct sockaddr *)&sa, len) < 0 && errno == EADDRINUSE, what);
	close(cfd);
	close(lfd);
	if(!abstract)
		unlink(name);
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(what, sizeof what, "unix %s: nobody there: ECONNREFUSED or ENOENT", abstract ? "abstract" : "path");
	check(connect(cfd, (struct sockaddr *)&sa, len) < 0 && (errno == ECONNREFUSED || errno == ENOENT), what);
	close(cfd);
}

/* A caller that names the listener's path another way (relative to
 * another directory, with "."): getpeername gives the path as the
 * listener bound it, as Linux's. */
static void
unixspelling(void)
{
	struct sockaddr_un sa, ca;
	socklen_t sl;
	int lfd, cfd;
	char cwd[256];

	if(getcwd(cwd, sizeof cwd) == NULL || chdir("/tmp") < 0){
		check(0, "unix spelling: chdir /tmp");
		return;
	}
	unlink("guest_net_rel.sock");
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, "guest_net_rel.sock");
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	check(lfd >= 0 && bind(lfd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(lfd, 4) == 0,
		"unix spelling: bind a relative name, listen");
	strcpy(sa.sun_path, "/tmp/./guest_net_rel.sock");
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	check(chdir("/") == 0 && connect(cfd, (struct sockaddr *)&sa, sizeof sa) == 0,
		"unix spelling: connect from / by another spelling");
	memset(&ca, 0, sizeof ca);
	sl = sizeof ca;
	check(getpeername(cfd, (struct sockaddr *)&ca, &sl) == 0 && strcmp(ca.sun_path, "guest_net_rel.sock") == 0,
		"unix spelling: getpeername is the name as the listener bound it");
	if(strcmp(ca.sun_path, "guest_net_rel.sock") != 0)
		printf("# getpeername: \"%s\"\n", ca.sun_path);
	close(cfd);
	close(lfd);
	unlink("/tmp/guest_net_rel.sock");
	if(chdir(cwd) < 0)
		check(0, "unix spelling: back to the directory");
}

/* AF_INET6: a dual-stack listener takes a v4 and a v6 caller (where the
 * host has IPv6 loopback: else both runs say skip); FIONBIO. */
static void
inet6(void)
{
	struct sockaddr_in6 sa, pa, s6;
	struct sockaddr_in s4;
	socklen_t sl;
	int lfd, cfd, sfd, on;
	char h[64], buf[4];

	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin6_family = AF_INET6;
	sa.sin6_addr = in6addr_any;
	if(lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 4) < 0){
		printf("skip inet6: no IPv6 here\n");
		if(lfd >= 0)
			close(lfd);
		return;
	}
	sl = sizeof sa;
	check(getsockname(lfd, (struct sockaddr *)&sa, &sl) == 0 && sl == sizeof sa && sa.sin6_family == AF_INET6 && sa.sin6_port != 0,
		"inet6: listen on :: and a port");
	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	s4.sin_port = sa.sin6_port;
	s4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(cfd, (struct sockaddr *)&s4, sizeof s4) == 0, "inet6: a v4 caller");
	sl = sizeof pa;
	sfd = accept(lfd, (struct sockaddr *)&pa, &sl);
	inet_ntop(AF_INET6, &pa.sin6_addr, h, sizeof h);
	check(sfd >= 0 && pa.sin6_family == AF_INET6 && strcmp(h, "::ffff:127.0.0.1") == 0, "inet6: accepted as ::ffff:127.0.0.1");
	on = 1;
	check(ioctl(sfd, FIONBIO, &on) == 0 && read(sfd, buf, sizeof buf) < 0 && errno == EAGAIN, "FIONBIO makes reads non-blocking");
	close(sfd);
	close(cfd);
	s6 = sa;
	s6.sin6_addr = in6addr_loopback;
	cfd = socket(AF_INET6, SOCK_STREAM, 0);
	if(connect(cfd, (struct sockaddr *)&s6, sizeof s6) == 0){
		sfd = accept(lfd, (struct sockaddr *)&pa, &sl);
		inet_ntop(AF_INET6, &pa.sin6_addr, h, sizeof h);
		check(sfd >= 0 && strcmp(h, "::1") == 0 && send(cfd, "v6", 2, 0) == 2 && recvis(sfd, "v6"), "inet6: a ::1 caller");
		close(sfd);
	}else
		printf("skip inet6: no ::1 here\n");
	close(cfd);
	close(lfd);
}

static void
onalarm(int sig)
{
	(void)sig;
}

/* A signal ends a blocked accept and recv (no SA_RESTART): EINTR. */
static void
interrupted(void)
{
	struct sigaction sa;
	int lfd, port, sv[2];
	char buf[4];

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;
	sigaction(SIGALRM, &sa, NULL);
	lfd = tcplisten(&port);
	alarm(1);
	check(accept(lfd, NULL, NULL) < 0 && errno == EINTR, "signal: a blocked accept fails EINTR");
	close(lfd);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	alarm(1);
	check(recv(sv[0], buf, sizeof buf, 0) < 0 && errno == EINTR, "signal: a blocked recv fails EINTR");
	alarm(0);
	close(sv[0]);
	close(sv[1]);
}

/* A thread's connect racing the peer's thread (python's test_socket
 * TCPCloserTest.testClose): once accept has returned, the connection is
 * established, and a recv on the client's socket by the accepting thread
 * reads the closed peer's end (0), never ENOTCONN, though the connecting
 * thread may not have returned from connect yet.  Rounds of it, no sleeps. */
struct Conn {
	int fd;
	struct sockaddr_in sa;
	int r;
	int err;
};

static void *
connector(void *v)
{
	struct Conn *c = v;

	c->r = connect(c->fd, (struct sockaddr *)&c->sa, sizeof c->sa);
	c->err = errno;
	return NULL;
}

static void
connrace(int rounds)
{
	struct Conn c;
	pthread_t th;
	int lfd, sfd, port, i, bad, badconn;
	ssize_t r;
	char buf[4];

	lfd = tcplisten(&port);
	check(lfd >= 0, "connrace: listen");
	if(lfd < 0)
		return;
	bad = badconn = 0;
	for(i = 0; i < rounds && bad == 0 && badconn == 0; i++){
		memset(&c, 0, sizeof c);
		c.fd = socket(AF_INET, SOCK_STREAM, 0);
		c.sa.sin_family = AF_INET;
		c.sa.sin_port = htons(port);
		c.sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if(c.fd < 0 || pthread_create(&th, NULL, connector, &c) != 0){
			bad++;
			break;
		}
		sfd = accept(lfd, NULL, NULL);
		if(sfd >= 0)
			close(sfd);
		r = recv(c.fd, buf, sizeof buf, 0);
		if(sfd < 0 || r != 0){
			printf("  round %d: accept %d, recv %zd errno %d (%s)\n", i, sfd, r, errno, strerror(errno));
			bad++;
		}
		pthread_join(th, NULL);
		if(c.r != 0){
			printf("  round %d: connect errno %d\n", i, c.err);
			badconn++;
		}
		close(c.fd);
	}
	close(lfd);
	check(bad == 0 && badconn == 0, "connrace: a recv while another thread's connect returns reads the closed peer's 0");
}

int
main(int argc, char **argv)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "nonet") == 0){
		fd = socket(AF_INET, SOCK_STREAM, 0);
		check(fd < 0 && errno == EAFNOSUPPORT, "no /net: socket(AF_INET) fails EAFNOSUPPORT");
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		check(fd < 0 && errno == EAFNOSUPPORT, "no /net: socket(AF_INET6) fails EAFNOSUPPORT");
		pair();
		unixsock("guest_net_nonet", 1);
		printf("%s\n", fails ? "SOME FAILED" : "all ok");
		return fails != 0;
	}
	if(argc > 1 && strcmp(argv[1], "connrace") == 0){
		connrace(argc > 2 ? atoi(argv[2]) : 200);
		printf("%s\n", fails ? "SOME FAILED" : "all ok");
		return fails != 0;
	}
	tcp();
	nonblocking();
	udp();
	pair();
	unixsock("/tmp/guest_net.sock", 0);
	unixsock("guest_net_abstract", 1);
	unixspelling();
	inet6();
	interrupted();
	connrace(200);
	printf("%s\n", fails ? "SOME FAILED" : "all ok");
	return fails != 0;
}
