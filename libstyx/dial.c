/*
 * dial.c — Inferno dial strings on host sockets:
 *	tcp!host!port	(net!host!port is taken as tcp)
 *	unix!/path
 * for dialing out, announcing and accepting.  No kernel here: the k*
 * wrappers (libkern/sysnet.c) turn the descriptors into Chans.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "styximpl.h"

enum { MAXADDR = 256 };

typedef struct Addr {
	int isunix;		/* 1: path, else host and port */
	char buf[MAXADDR];
	char *host;
	char *port;
	char *path;
} Addr;

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets err (cut to STYX_ERRMAX) and returns -1. */
static int
fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, STYX_ERRMAX, fmt, ap);
	va_end(ap);
	return -1;
}

/* 9P is request and reply: a reply split over segments must not wait for
 * a delayed ACK (Nagle), so every TCP connection sends at once. */
static void
nodelay(int fd)
{
	int dom, one = 1;
	socklen_t n = sizeof dom;

	if(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &n) == 0 && (dom == AF_INET || dom == AF_INET6))
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Splits addr into a; -1 with err if it is not a dial string we know. */
static int
parseaddr(const char *addr, Addr *a, char *err)
{
	char *net, *bang;

	memset(a, 0, sizeof *a);
	if(addr == NULL || strlen(addr) >= sizeof a->buf)
		return fail(err, "bad dial string");
	strcpy(a->buf, addr);
	net = a->buf;
	bang = strchr(net, '!');
	if(bang == NULL)
		return fail(err, "bad dial string %s: want net!address", addr);
	*bang = 0;
	if(strcmp(net, "unix") == 0){
		a->isunix = 1;
		a->path = bang + 1;
		if(a->path[0] == 0 || strlen(a->path) >= sizeof(((struct sockaddr_un*)0)->sun_path))
			return fail(err, "bad unix socket path in %s", addr);
		return 0;
	}
	if(strcmp(net, "tcp") != 0 && strcmp(net, "net") != 0)
		return fail(err, "unsupported network %s in %s", net, addr);
	a->host = bang + 1;
	bang = strchr(a->host, '!');
	if(bang == NULL || bang == a->host || bang[1] == 0 || strchr(bang + 1, '!') != NULL)
		return fail(err, "bad dial string %s: want tcp!host!port", addr);
	*bang = 0;
	a->port = bang + 1;
	/* getaddrinfo takes a number's low 16 bits: tcp!*!99999 announced 34463 */
	if(strspn(a->port, "0123456789") == strlen(a->port) && strtoul(a->port, NULL, 10) > 65535)
		return fail(err, "bad dial string %s: port %s above 65535", addr, a->port);
	return 0;
}

static int
unixaddr(Addr *a, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, a->path, strlen(a->path) + 1);
	return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

static struct addrinfo *
resolve(Addr *a, int passive, char *err)
{
	struct addrinfo hint, *res;
	const char *host;
	int e;

	memset(&hint, 0, sizeof hint);
	hint.ai_family = AF_UNSPEC;
	hint.ai_socktype = SOCK_STREAM;
	hint.ai_flags = passive ? AI_PASSIVE : 0;
	host = a->host;
	if(passive && strcmp(host, "*") == 0)
		host = NULL;
	e = getaddrinfo(host, a->port, &hint, &res);
	if(e != 0){
		fail(err, "cannot resolve %s: %s", a->host, gai_strerror(e));
		return NULL;
	}
	return res;
}

int
styx_dial(const char *addr, char err[STYX_ERRMAX])
{
	struct sockaddr_un sun;
	struct addrinfo *res, *ai;
	Addr a;
	int fd, e;

	if(parseaddr(addr, &a, err) < 0)
		return -1;
	if(a.isunix){
		fd = unixaddr(&a, &sun);
		if(fd < 0)
			return fail(err, "socket: %s", strerror(errno));
		if(connect(fd, (struct sockaddr*)&sun, sizeof sun) < 0){
			e = errno;
			close(fd);
			return fail(err, "dial %s: %s", addr, strerror(e));
		}
		return fd;
	}
	res = resolve(&a, 0, err);
	if(res == NULL)
		return -1;
	e = ECONNREFUSED;
	fd = -1;
	for(ai = res; ai != NULL; ai = ai->ai_next){
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if(fd < 0){
			e = errno;
			continue;
		}
		if(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0){
			nodelay(fd);
			break;
		}
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if(fd < 0)
		return fail(err, "dial %s: %s", addr, strerror(e));
	return fd;
}

/* A unix socket file left by a dead server may be replaced; a live one not. */
static void
unlinkstale(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, dead;

	if(stat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if(fd < 0)
		return;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	dead = connect(fd, (struct sockaddr*)&sun, sizeof sun) < 0 && errno == ECONNREFUSED;
	close(fd);
	if(dead)
		unlink(path);
}

int
styx_announce(const char *addr, char err[STYX_ERRMAX])
{
	struct sockaddr_un sun;
	struct addrinfo *res, *ai;
	Addr a;
	int fd, e, one;

	if(parseaddr(addr, &a, err) < 0)
		return -1;
	if(a.isunix){
		unlinkstale(a.path);
		fd = unixaddr(&a, &sun);
		if(fd < 0)
			return fail(err, "socket: %s", strerror(errno));
		if(bind(fd, (struct sockaddr*)&sun, sizeof sun) < 0 || listen(fd, 64) < 0){
			e = errno;
			close(fd);
			return fail(err, "announce %s: %s", addr, strerror(e));
		}
		return fd;
	}
	res = resolve(&a, 1, err);
	if(res == NULL)
		return -1;
	e = EADDRNOTAVAIL;
	fd = -1;
	for(ai = res; ai != NULL; ai = ai->ai_next){
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if(fd < 0){
			e = errno;
			continue;
		}
		one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if(bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if(fd < 0)
		return fail(err, "announce %s: %s", addr, strerror(e));
	return fd;
}

int
styx_listen(int afd, int timeoutms, char err[STYX_ERRMAX])
{
	struct pollfd pf;
	int fd, r;

	for(;;){
		if(timeoutms >= 0){
			pf.fd = afd;
			pf.events = POLLIN;
			r = poll(&pf, 1, timeoutms);
			if(r < 0 && errno == EINTR)
				continue;
			if(r == 0){
				snprintf(err, STYX_ERRMAX, "timed out");
				errno = ETIMEDOUT;
				return -1;
			}
		}
		fd = accept4(afd, NULL, NULL, SOCK_CLOEXEC);
		if(fd >= 0){
			nodelay(fd);
			return fd;
		}
		if(errno == EINTR || errno == ECONNABORTED || (timeoutms >= 0 && errno == EAGAIN))
			continue;
		return fail(err, "listen: %s", strerror(errno));
	}
}
