/* fake9p.c — what the tests' fake 9P servers share; see fake9p.h. */
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fake9p.h"

typedef struct Listener {
	int afd;
	F9serve *serve;
	void *arg;
	int flags;
} Listener;

typedef struct Conn {
	int fd;
	Listener *l;
} Conn;

static void *
connthread(void *a)
{
	Conn *c = a;

	c->l->serve(c->fd, c->l->arg);
	free(c);
	return NULL;
}

static void *
acceptloop(void *a)
{
	char err[STYX_ERRMAX];
	Listener *l = a;
	pthread_t th;
	Conn *c;
	int fd;

	while((fd = styx_listen(l->afd, -1, err)) >= 0){
		if(!(l->flags & F9THREAD)){
			l->serve(fd, l->arg);
			continue;
		}
		c = malloc(sizeof *c);
		if(c == NULL){
			close(fd);
			continue;
		}
		c->fd = fd;
		c->l = l;
		if(pthread_create(&th, NULL, connthread, c) != 0){
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(th);
	}
	return NULL;
}

int
f9listen(const char *addr, F9serve *serve, void *arg, int flags, char err[STYX_ERRMAX])
{
	static Listener l[8];	/* one per listener, for the process's life */
	static int nl;
	pthread_t th;
	int afd;

	if(nl == (int)(sizeof l / sizeof l[0])){
		snprintf(err, STYX_ERRMAX, "f9listen: too many listeners");
		return -1;
	}
	afd = styx_announce(addr, err);
	if(afd < 0)
		return -1;
	l[nl] = (Listener){ afd, serve, arg, flags };
	if(pthread_create(&th, NULL, acceptloop, &l[nl]) != 0){
		close(afd);
		snprintf(err, STYX_ERRMAX, "f9listen: no thread");
		return -1;
	}
	nl++;
	pthread_detach(th);
	return 0;
}

uint8_t *
f9next(int fd, size_t msize, Fcall *t)
{
	uint8_t *b;
	long n;

	b = styx_readmsgalloc(fd, msize, &n);
	if(b != NULL && styx_unpack(b, n, t) != n){
		free(b);
		return NULL;
	}
	return b;
}

int
f9reply(int fd, const Fcall *r)
{
	uint8_t *b;
	size_t n;
	int rv;

	n = styx_packsize(r);
	if(n == 0 || (b = malloc(n)) == NULL)
		return -1;
	rv = styx_pack(r, b, n) == n ? styx_writeall(fd, b, n) : -1;
	free(b);
	return rv;
}

int
f9error(int fd, int tag, const char *ename)
{
	Fcall r;

	memset(&r, 0, sizeof r);
	r.type = Rerror;
	r.tag = tag;
	r.ename = (char*)ename;
	return f9reply(fd, &r);
}

void
f9put16(uint8_t *p, unsigned v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void
f9put32(uint8_t *p, uint32_t v)
{
	f9put16(p, v & 0xffff);
	f9put16(p + 2, v >> 16);
}

int
f9raw(int fd, int type, int tag, uint8_t *b, size_t n)
{
	f9put32(b, (uint32_t)n);
	b[4] = type;
	f9put16(b + 5, tag);
	return styx_writeall(fd, b, n);
}

StyxQid
f9qid(uint64_t path, int isdir)
{
	StyxQid q;

	q.path = path;
	q.vers = 0;
	q.type = isdir ? STYX_QTDIR : STYX_QTFILE;
	return q;
}

StyxDir *
f9dir(StyxDir *d, StyxQid q, const char *name, uint64_t length)
{
	int isdir = (q.type & STYX_QTDIR) != 0;

	memset(d, 0, sizeof *d);
	d->qid = q;
	d->mode = isdir ? STYX_DMDIR | 0755 : 0644;
	d->length = isdir ? 0 : length;
	d->name = (char*)name;
	d->uid = d->gid = d->muid = "glenda";
	return d;
}
