/*
 * client.c — a 9P2000 client core over one file descriptor: version
 * negotiation, tags, and many concurrent callers multiplexed on the one
 * connection.  A reader thread takes every reply and hands it to the
 * caller waiting on its tag; callers pack and write their own requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "styximpl.h"

enum { NTAG = 1024 };	/* most requests in flight on one connection */

typedef struct Req Req;
struct Req {
	pthread_cond_t *cond;	/* signalled when the reply comes; NULL: an orphan or a call's */
	StyxCall *call;		/* a call's (styx_start): its request's, or its Tflush's */
	int done;
	uint8_t *rbuf;		/* the reply, msize-bounded, ours to free */
	long rlen;
	/* An orphan holds the tag of an abandoned request (styx_abandon)
	 * until the server answers it: the reply is dropped.  The orphans
	 * of a request and of its Tflush are each other's partner: the
	 * reply to the Tflush's tag (the Rflush) frees both tags, a reply
	 * to the request's tag its own.  Which tag, not the reply's type,
	 * says which (flush(5)). */
	Req *partner;
	int tag;
	int isflush;		/* the orphan of a Tflush */
};

/*
 * An exchange not waited for (styx_start).  Its tags are its own until
 * styx_take; after that they go with their replies (as an orphan's) and
 * the call is freed with the last.  Its outcome is known (final) when
 * the reply comes, or, after styx_cancel, the Rflush, or the
 * connection dies: done runs then, once, on the reader, holding no lock
 * (cbbusy; styx_take waits for it), and only once the call was sent
 * (live): styx_start runs it itself for a reply that came first.
 */
struct StyxCall {
	StyxClient *c;
	Req req;		/* the request's tag */
	Req freq;		/* the Tflush's */
	int tag, ftag;		/* -1: free */
	int ttype;
	int live;		/* sent */
	int final;		/* the outcome is known */
	int taken;		/* styx_take ran */
	int cbbusy;		/* done is running */
	uint8_t *rbuf;		/* the reply */
	long rlen;
	void (*done)(void*);
	void *arg;
};

struct StyxClient {
	int fd;
	uint32_t msize;
	pthread_mutex_t lk;	/* everything below */
	pthread_cond_t tagfree;
	Req *pending[NTAG];
	int npending;
	int nexttag;
	int dead;
	char err[STYX_ERRMAX];
	int wbusy;		/* lk: a request is being written (one at a time) */
	pthread_cond_t wfree;	/* wbusy cleared */
	pthread_t reader;
	int wake[2];		/* a byte here stops the reader */
	pthread_cond_t cbdone;	/* a call's done returned */
};

static void
seterr(char *err, const char *fmt, const char *arg)
{
	snprintf(err, STYX_ERRMAX, fmt, arg);
}

/* The connection is gone: every waiter wakes and fails with why. */
static void
hangup(StyxClient *c, const char *why)
{
	int i;

	if(!c->dead){
		c->dead = 1;
		snprintf(c->err, sizeof c->err, "%s", why);
	}
	for(i = 0; i < NTAG; i++)
		if(c->pending[i] != NULL && c->pending[i]->cond != NULL)
			pthread_cond_broadcast(c->pending[i]->cond);
	pthread_cond_broadcast(&c->tagfree);
}

static void tagfree(StyxClient*, int);

/* A reply (or the end) for orphan o: its tag is free again; with all
 * (the reply to a Tflush's tag, the client's end) its partner's too.
 * lk held. */
static void
orphanend(StyxClient *c, Req *o, int all)
{
	Req *p;

	p = o->partner;
	if(p != NULL){
		p->partner = NULL;
		if(all){
			tagfree(c, p->tag);
			free(p);
		}
	}
	tagfree(c, o->tag);
	free(o);
}

/* Tag tag held by an orphan from now on; lk held. */
static Req *
orphan(StyxClient *c, int tag)
{
	Req *o;

	o = calloc(1, sizeof *o);
	if(o == NULL)
		return NULL;
	o->tag = tag;
	c->pending[tag] = o;
	return o;
}

/* Reads n bytes unless the wake pipe fires first: 0, 1 at EOF, -1. */
static int
readfull(StyxClient *c, uint8_t *p, size_t n)
{
	struct pollfd pf[2];
	ssize_t m;

	while(n > 0){
		pf[0].fd = c->fd;
		pf[0].events = POLLIN;
		pf[1].fd = c->wake[0];
		pf[1].events = POLLIN;
		if(poll(pf, 2, -1) < 0){
			if(errno == EINTR)
				continue;
			return -1;
		}
		if(pf[1].revents)
			return -1;
		m = read(c->fd, p, n);
		if(m < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if(m < 0)
			return -1;
		if(m == 0)
			return 1;
		p += m;
		n -= m;
	}
	return 0;
}

/* Reads one reply into a new buffer; NULL with why on failure. */
static uint8_t *
readreply(StyxClient *c, long *lenp, const char **why)
{
	uint8_t hdr[4], *b;
	uint32_t size;
	int r;

	r = readfull(c, hdr, 4);
	if(r != 0){
		*why = r > 0 ? "hangup: server closed the connection" : "hangup: read error";
		return NULL;
	}
	size = get32(hdr);
	if(size < 7 || size > c->msize){
		*why = size < 7 ? "protocol botch: 9P message too short" : "protocol botch: 9P message larger than msize";
		return NULL;
	}
	b = malloc(size);
	if(b == NULL){
		*why = "out of memory";
		return NULL;
	}
	memcpy(b, hdr, 4);
	r = readfull(c, b+4, size-4);
	if(r != 0){
		free(b);
		*why = r > 0 ? "hangup: server closed the connection mid-message" : "hangup: read error";
		return NULL;
	}
	*lenp = size;
	return b;
}

/* A taken call goes with its last tag (lk held). */
static void
callgone(StyxCall *k)
{
	if(k->tag < 0 && k->ftag < 0)
		free(k);
}

/* k's outcome is known: done runs, unless k is not yet sent (styx_start
 * runs it then) or was taken.  lk held; let go while done runs. */
static void
callfinal(StyxClient *c, StyxCall *k)
{
	if(k->final || k->taken)
		return;
	k->final = 1;
	if(!k->live)
		return;
	k->cbbusy = 1;
	pthread_mutex_unlock(&c->lk);
	k->done(k->arg);
	pthread_mutex_lock(&c->lk);
	k->cbbusy = 0;
	pthread_cond_broadcast(&c->cbdone);
}

/* A reply to one of call k's tags (r: which); lk held.  A reply to the
 * Tflush's tag is its Rflush and frees both (flush(5)); the request's
 * own reply frees its tag unless a Tflush is out for it.  A taken call
 * goes with its last tag. */
static void
callreply(StyxClient *c, Req *r, uint8_t *b, long n)
{
	StyxCall *k;

	k = r->call;
	if(r == &k->freq){
		free(b);
		tagfree(c, k->ftag);
		k->ftag = -1;
		if(k->tag >= 0){
			tagfree(c, k->tag);
			k->tag = -1;
		}
	}else{
		r->done = 1;	/* a second reply to it is a botch */
		if(k->rbuf == NULL && !k->taken){
			k->rbuf = b;
			k->rlen = n;
		}else
			free(b);
		if(k->ftag < 0 && k->live){
			tagfree(c, k->tag);
			k->tag = -1;
		}
	}
	if(k->taken){
		callgone(k);
		return;
	}
	callfinal(c, k);
}

/* The connection died: every call sent learns it.  lk held (let go
 * while done runs: no call is added, the connection being dead). */
static void
callshangup(StyxClient *c)
{
	Req *r;
	int i;

	for(i = 0; i < NTAG; i++){
		r = c->pending[i];
		if(r != NULL && r->call != NULL)
			callfinal(c, r->call);
	}
}

static void *
readerproc(void *a)
{
	StyxClient *c;
	const char *why;
	uint8_t *b;
	long n;
	int tag;
	Req *r;

	c = a;
	for(;;){
		b = readreply(c, &n, &why);
		pthread_mutex_lock(&c->lk);
		if(b == NULL){
			hangup(c, why);
			callshangup(c);
			pthread_mutex_unlock(&c->lk);
			return NULL;
		}
		tag = get16(b+5);
		r = tag < NTAG ? c->pending[tag] : NULL;
		if(r == NULL || r->done){
			free(b);
			hangup(c, "protocol botch: reply with an unknown tag");
			callshangup(c);
			pthread_mutex_unlock(&c->lk);
			return NULL;
		}
		if(r->call != NULL){
			callreply(c, r, b, n);
			pthread_mutex_unlock(&c->lk);
			continue;
		}
		if(r->cond == NULL){
			/* a Tflush's reply ends its request too; a reply to
			 * the request's tag (even one of Rflush's type, from a
			 * hostile server) is the request's alone */
			orphanend(c, r, r->isflush);
			free(b);
			pthread_mutex_unlock(&c->lk);
			continue;
		}
		r->rbuf = b;
		r->rlen = n;
		r->done = 1;
		pthread_cond_broadcast(r->cond);
		pthread_mutex_unlock(&c->lk);
	}
}

/* Wait (lk held) on cond until woken, or 100 ms: for waits that must
 * also see an abandon, which wakes another condition. */
static void
waitawhile(StyxClient *c, pthread_cond_t *cond)
{
	struct timespec t1;

	clock_gettime(CLOCK_REALTIME, &t1);
	t1.tv_nsec += 100*1000*1000;
	if(t1.tv_nsec >= 1000*1000*1000){
		t1.tv_sec++;
		t1.tv_nsec -= 1000*1000*1000;
	}
	pthread_cond_timedwait(cond, &c->lk, &t1);
}

static int
interrupted(StyxIntr *in)
{
	return in != NULL && atomic_load(&in->set);
}

static int
abandoned(StyxIntr *in)
{
	return in != NULL && atomic_load(&in->abandon);
}

/* Takes a free tag for r (lk held); -1 if the connection died waiting,
 * or (a caller waiting for one) stop says so. */
static int
tagalloc(StyxClient *c, Req *r, int (*stop)(StyxIntr*), StyxIntr *in)
{
	int i, t;

	while(!c->dead && c->npending == NTAG && !stop(in)){
		/* a Tflush's wait is woken on its request's condition, not
		 * this one: it looks at stop again now and then */
		if(in == NULL)
			pthread_cond_wait(&c->tagfree, &c->lk);
		else
			waitawhile(c, &c->tagfree);
	}
	if(c->dead || c->npending == NTAG)
		return -1;
	for(i = 0; i < NTAG; i++){
		t = (c->nexttag + i) % NTAG;
		if(c->pending[t] == NULL){
			c->pending[t] = r;
			c->npending++;
			c->nexttag = t + 1;
			return t;
		}
	}
	return -1;	/* cannot happen: npending < NTAG */
}

static void
tagfree(StyxClient *c, int tag)
{
	c->pending[tag] = NULL;
	c->npending--;
	pthread_cond_broadcast(&c->tagfree);
}

/* Request r (tag) never went, or went only in part: its tag is free
 * again.  A reply to the tag may have come all the same (a server that
 * answers a tag before the request for it, or a reply meant for another
 * request): the reader gave it to r, and it goes with r.  lk held; once
 * the tag is free the reader can no longer give r anything. */
static void
tagdrop(StyxClient *c, int tag, Req *r)
{
	tagfree(c, tag);
	free(r->rbuf);
	r->rbuf = NULL;
	r->done = 0;
}

/*
 * Write the whole message b[n] to the server; a server that reads
 * nothing fills the socket and the write waits for room, which an
 * abandoned caller stops waiting for.  0 when written, -1 with errno on
 * an error, 1 when abandoned before a byte went, 2 after some did.
 */
static int
writemsg(StyxClient *c, const uint8_t *b, size_t n, StyxIntr *in)
{
	struct pollfd pf;
	size_t off;
	ssize_t m;

	for(off = 0; off < n; off += m){
		/* a dead peer must give EPIPE, not kill the host */
		m = send(c->fd, b + off, n - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if(m < 0 && errno == ENOTSOCK)
			return styx_writeall(c->fd, b + off, n - off);
		if(m < 0 && errno == EINTR){
			m = 0;
			continue;
		}
		if(m < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)){
			if(abandoned(in))
				return off == 0 ? 1 : 2;
			pf.fd = c->fd;
			pf.events = POLLOUT;
			poll(&pf, 1, 100);
			m = 0;
			continue;
		}
		if(m <= 0)
			return -1;
	}
	return 0;
}

/* Packs and writes f, one writer at a time; -1 with err on failure (a
 * dead peer kills c), -2 with err "interrupted" when the caller was
 * abandoned before any of it went.  A request cut short leaves the
 * stream unusable: the connection is hung up. */
static int
send1(StyxClient *c, Fcall *f, StyxIntr *in, char *err)
{
	uint8_t *b;
	size_t n;
	int r;

	n = styx_packsize(f);
	if(n == 0 || n > c->msize){
		seterr(err, "%s", n == 0 ? "bad 9P request" : "9P request larger than msize");
		return -1;
	}
	b = malloc(n);
	if(b == NULL){
		seterr(err, "%s", "out of memory");
		return -1;
	}
	styx_pack(f, b, n);
	pthread_mutex_lock(&c->lk);
	while(c->wbusy && !c->dead && !abandoned(in))
		waitawhile(c, &c->wfree);
	if(c->dead || c->wbusy){
		r = c->dead ? -1 : -2;
		snprintf(err, STYX_ERRMAX, "%s", c->dead ? c->err : "interrupted");
		pthread_mutex_unlock(&c->lk);
		free(b);
		return r;
	}
	c->wbusy = 1;
	pthread_mutex_unlock(&c->lk);
	r = writemsg(c, b, n, in);
	free(b);
	pthread_mutex_lock(&c->lk);
	c->wbusy = 0;
	pthread_cond_broadcast(&c->wfree);
	if(r == 1){
		pthread_mutex_unlock(&c->lk);
		seterr(err, "%s", "interrupted");
		return -2;
	}
	if(r != 0){
		hangup(c, r == 2 ? "hangup: a request cut short" : "hangup: write to server failed");
		shutdown(c->fd, SHUT_RDWR);
		snprintf(err, STYX_ERRMAX, "%s", c->err);
		pthread_mutex_unlock(&c->lk);
		return -1;
	}
	pthread_mutex_unlock(&c->lk);
	return 0;
}

static void
intrwaiting(StyxIntr *in, pthread_mutex_t *lk, pthread_cond_t *cond)
{
	if(in == NULL)
		return;
	pthread_mutex_lock(&in->lk);
	in->waitlk = lk;
	in->waitcond = cond;
	pthread_mutex_unlock(&in->lk);
}

/*
 * The caller was interrupted while r (tag) was outstanding: send Tflush
 * and wait for Rflush, uninterruptibly unless the caller is abandoned
 * (killed).  The tag stays reserved until then (flush(5)); a reply to r
 * that comes first still counts.  An abandoned wait leaves the tags to
 * orphans; returns 1 if r's tag is one now (not the caller's to free).
 * lk held.
 */
static int
flush(StyxClient *c, int tag, Req *r, StyxIntr *in)
{
	Req fr, *o, *fo;
	Fcall f;
	int ftag;
	char err[STYX_ERRMAX];

	memset(&fr, 0, sizeof fr);
	fr.cond = r->cond;
	ftag = tagalloc(c, &fr, abandoned, in);
	if(ftag < 0){
		/* no tag for the Tflush and the caller is gone: r's tag
		 * waits for its reply */
		if(!c->dead && !r->done && abandoned(in) && orphan(c, tag) != NULL)
			return 1;
		return 0;
	}
	memset(&f, 0, sizeof f);
	f.type = Tflush;
	f.tag = ftag;
	f.oldtag = tag;
	pthread_mutex_unlock(&c->lk);
	if(send1(c, &f, in, err) < 0){
		pthread_mutex_lock(&c->lk);
		tagdrop(c, ftag, &fr);
		/* abandoned before the Tflush went: r's tag waits for its reply */
		if(!c->dead && !r->done && orphan(c, tag) != NULL)
			return 1;
		return 0;
	}
	pthread_mutex_lock(&c->lk);
	while(!fr.done && !c->dead && !abandoned(in))
		pthread_cond_wait(fr.cond, &c->lk);
	if(fr.done || c->dead || (fo = orphan(c, ftag)) == NULL){
		free(fr.rbuf);	/* Rflush, or a botched reply: the tag is free either way */
		tagfree(c, ftag);
		return 0;
	}
	if(r->done)
		return 0;	/* r's reply came: its tag is free, the Tflush's is not */
	o = orphan(c, tag);
	if(o == NULL)
		return 0;	/* out of memory: the Tflush's orphan frees only its own */
	o->partner = fo;
	fo->partner = o;
	fo->isflush = 1;
	return 1;
}

/* Turns a reply b[n] into rx, or an error (b freed). */
static int
takereply(uint8_t *b, long n, int ttype, Fcall *rx, uint8_t **rbuf, char *err)
{
	int e;

	e = styx_unpack(b, n, rx);
	if(e < 0){
		seterr(err, "%s", styx_strerror(e));
		free(b);
		return -1;
	}
	if(rx->type == Rerror){
		seterr(err, "%s", rx->ename);
		free(b);
		return -1;
	}
	if(rx->type != ttype+1){
		seterr(err, "protocol botch: %s answered with another type", styx_typename(ttype));
		free(b);
		return -1;
	}
	*rbuf = b;
	return 0;
}

int
styx_rpc(StyxClient *c, Fcall *tx, Fcall *rx, uint8_t **rbuf, StyxIntr *intr, char err[STYX_ERRMAX])
{
	pthread_cond_t cond;
	Req r;
	int tag, got, orphaned;

	*rbuf = NULL;
	if(intr != NULL && atomic_load(&intr->set)){
		seterr(err, "%s", "interrupted");
		return -1;
	}
	if(!styx_typeok(tx->type) || (tx->type & 1) || tx->type == Tversion || tx->type == Tflush){
		seterr(err, "%s", "bad 9P request type");
		return -1;
	}
	memset(&r, 0, sizeof r);
	pthread_cond_init(&cond, NULL);
	r.cond = &cond;
	intrwaiting(intr, &c->lk, &c->tagfree);
	pthread_mutex_lock(&c->lk);
	tag = tagalloc(c, &r, interrupted, intr);
	if(tag < 0){
		snprintf(err, STYX_ERRMAX, "%s", c->dead ? c->err : "interrupted");
		pthread_mutex_unlock(&c->lk);
		intrwaiting(intr, NULL, NULL);
		pthread_cond_destroy(&cond);
		return -1;
	}
	pthread_mutex_unlock(&c->lk);
	tx->tag = tag;
	if(send1(c, tx, intr, err) < 0){
		pthread_mutex_lock(&c->lk);
		tagdrop(c, tag, &r);
		pthread_mutex_unlock(&c->lk);
		pthread_cond_destroy(&cond);
		return -1;
	}

	intrwaiting(intr, &c->lk, &cond);
	pthread_mutex_lock(&c->lk);
	while(!r.done && !c->dead && !interrupted(intr))
		pthread_cond_wait(&cond, &c->lk);
	orphaned = 0;
	if(!r.done && !c->dead)
		orphaned = flush(c, tag, &r, intr);
	got = r.done;
	if(!got)
		snprintf(err, STYX_ERRMAX, "%s", c->dead ? c->err : "interrupted");
	if(!orphaned)
		tagfree(c, tag);
	pthread_mutex_unlock(&c->lk);
	intrwaiting(intr, NULL, NULL);
	pthread_cond_destroy(&cond);
	if(!got)
		return -1;
	return takereply(r.rbuf, r.rlen, tx->type, rx, rbuf, err);
}

int
styx_start(StyxClient *c, Fcall *tx, void (*done)(void*), void *arg, StyxCall **kp, char err[STYX_ERRMAX])
{
	StyxCall *k;
	int tag;

	*kp = NULL;
	if(!styx_typeok(tx->type) || (tx->type & 1) || tx->type == Tversion || tx->type == Tflush){
		seterr(err, "%s", "bad 9P request type");
		return -1;
	}
	k = calloc(1, sizeof *k);
	if(k == NULL){
		seterr(err, "%s", "out of memory");
		return -1;
	}
	k->c = c;
	k->req.call = k;
	k->freq.call = k;
	k->ftag = -1;
	k->ttype = tx->type;
	k->done = done;
	k->arg = arg;
	pthread_mutex_lock(&c->lk);
	if(c->dead || c->npending >= NTAG/2){
		/* half the tags stay for calls waited for and Tflushes */
		tag = c->dead ? -1 : 1;
		if(c->dead)
			snprintf(err, STYX_ERRMAX, "%s", c->err);
		pthread_mutex_unlock(&c->lk);
		free(k);
		return tag;
	}
	k->tag = tagalloc(c, &k->req, interrupted, NULL);	/* one is free (no StyxIntr: never stopped) */
	pthread_mutex_unlock(&c->lk);
	tx->tag = k->tag;
	if(send1(c, tx, NULL, err) < 0){
		pthread_mutex_lock(&c->lk);
		if(k->tag >= 0)
			tagfree(c, k->tag);
		pthread_mutex_unlock(&c->lk);
		free(k->rbuf);
		free(k);
		return -1;
	}
	pthread_mutex_lock(&c->lk);
	if(c->dead && !k->final){
		/* the reader may have ended before it was sent: no done */
		snprintf(err, STYX_ERRMAX, "%s", c->err);
		tagfree(c, k->tag);
		pthread_mutex_unlock(&c->lk);
		free(k);
		return -1;
	}
	k->live = 1;
	tag = k->final;
	if(tag && k->ftag < 0){
		/* the reply came before we were done sending */
		tagfree(c, k->tag);
		k->tag = -1;
	}
	pthread_mutex_unlock(&c->lk);
	*kp = k;
	if(tag)
		done(arg);
	return 0;
}

void
styx_cancel(StyxCall *k)
{
	StyxClient *c;
	char err[STYX_ERRMAX];
	Fcall f;
	int ftag;

	c = k->c;
	pthread_mutex_lock(&c->lk);
	if(k->final || k->ftag >= 0 || k->tag < 0 || c->dead){
		pthread_mutex_unlock(&c->lk);
		return;
	}
	ftag = tagalloc(c, &k->freq, interrupted, NULL);	/* may wait for one (never stopped) */
	if(ftag < 0 || k->final){
		/* dead, or the reply came meanwhile: its tag may be another's now */
		if(ftag >= 0)
			tagfree(c, ftag);
		pthread_mutex_unlock(&c->lk);
		return;
	}
	k->ftag = ftag;
	memset(&f, 0, sizeof f);
	f.type = Tflush;
	f.tag = ftag;
	f.oldtag = k->tag;
	pthread_mutex_unlock(&c->lk);
	if(send1(c, &f, NULL, err) < 0){
		/* the connection is dead (the reader tells k) */
		pthread_mutex_lock(&c->lk);
		if(k->ftag >= 0){
			tagfree(c, k->ftag);
			k->ftag = -1;
		}
		pthread_mutex_unlock(&c->lk);
	}
}

int
styx_take(StyxCall *k, Fcall *rx, uint8_t **rbuf, char err[STYX_ERRMAX])
{
	StyxClient *c;
	uint8_t *b;
	long n;
	int ttype;

	c = k->c;
	*rbuf = NULL;
	pthread_mutex_lock(&c->lk);
	while(k->cbbusy)
		pthread_cond_wait(&c->cbdone, &c->lk);
	b = k->rbuf;
	n = k->rlen;
	k->rbuf = NULL;
	ttype = k->ttype;
	if(b == NULL)
		snprintf(err, STYX_ERRMAX, "%s", k->final && c->dead ? c->err : "interrupted");
	k->taken = 1;
	callgone(k);
	pthread_mutex_unlock(&c->lk);
	if(b == NULL)
		return -1;
	return takereply(b, n, ttype, rx, rbuf, err);
}

void
styx_intrinit(StyxIntr *in)
{
	atomic_init(&in->set, 0);
	atomic_init(&in->abandon, 0);
	pthread_mutex_init(&in->lk, NULL);
	in->waitlk = NULL;
	in->waitcond = NULL;
}

void
styx_interrupt(StyxIntr *in)
{
	atomic_store(&in->set, 1);
	pthread_mutex_lock(&in->lk);
	if(in->waitlk != NULL){
		pthread_mutex_lock(in->waitlk);
		pthread_cond_broadcast(in->waitcond);
		pthread_mutex_unlock(in->waitlk);
	}
	pthread_mutex_unlock(&in->lk);
}

void
styx_abandon(StyxIntr *in)
{
	atomic_store(&in->abandon, 1);
	styx_interrupt(in);
}

void
styx_intrclear(StyxIntr *in)
{
	atomic_store(&in->set, 0);
	atomic_store(&in->abandon, 0);
}

/* One synchronous Tversion/Rversion exchange before the reader runs. */
static int
version1(int fd, uint32_t msize, const char *v, uint32_t *rmsize, char *rv, char *err)
{
	uint8_t *b;
	Fcall f;
	size_t n;
	long m;
	int e;

	memset(&f, 0, sizeof f);
	f.type = Tversion;
	f.tag = STYX_NOTAG;
	f.msize = msize;
	f.version = (char*)v;
	b = malloc(msize);
	if(b == NULL){
		seterr(err, "%s", "out of memory");
		return -1;
	}
	n = styx_pack(&f, b, msize);
	if(styx_writeall(fd, b, n) < 0){
		seterr(err, "%s", "hangup: cannot write Tversion");
		free(b);
		return -1;
	}
	m = styx_readmsg(fd, b, msize);
	if(m <= 0){
		seterr(err, "%s", m == 0 ? "hangup: server closed the connection during Tversion"
			: errno == EMSGSIZE ? "Rversion larger than msize" : "hangup: bad Rversion");
		free(b);
		return -1;
	}
	e = styx_unpack(b, m, &f);
	if(e < 0)
		seterr(err, "%s", e == -STYX_EDOTL ? "server speaks 9P2000.L, not 9P2000" : styx_strerror(e));
	else if(f.type == Rerror)
		seterr(err, "version: %s", f.ename);
	else if(f.type != Rversion || f.tag != STYX_NOTAG)
		seterr(err, "%s", "protocol botch: bad reply to Tversion");
	else{
		*rmsize = f.msize;
		snprintf(rv, 32, "%s", f.version);
		free(b);
		return 0;
	}
	free(b);
	return -1;
}

/* version(5): the server answers with our version, or a prefix of it,
 * or "unknown".  An "unknown" is probed once more as 9P2000.L so the
 * error can name what the server does speak (diod, Linux v9fs servers). */
static int
negotiate(int fd, uint32_t msize, uint32_t *got, char *err)
{
	char v[32];

	if(version1(fd, msize, "9P2000", got, v, err) < 0)
		return -1;
	if(strcmp(v, "unknown") == 0){
		if(version1(fd, msize, "9P2000.L", got, v, err) == 0 && strcmp(v, "9P2000.L") == 0)
			seterr(err, "%s", "server speaks 9P2000.L, not 9P2000");
		else
			seterr(err, "%s", "server does not speak 9P2000");
		return -1;
	}
	if(strcmp(v, "9P2000") != 0){
		seterr(err, "server speaks %s, not 9P2000", v);
		return -1;
	}
	if(*got > msize){
		seterr(err, "%s", "protocol botch: server raised msize");
		return -1;
	}
	if(*got < STYX_MINMSIZE){
		snprintf(err, STYX_ERRMAX, "server msize %lu too small", (unsigned long)*got);
		return -1;
	}
	return 0;
}

StyxClient *
styx_client_new(int fd, uint32_t msize, char err[STYX_ERRMAX])
{
	StyxClient *c;
	uint32_t got;

	if(msize < STYX_MINMSIZE)
		msize = STYX_MINMSIZE;
	if(msize > STYX_MAXMSIZE)
		msize = STYX_MAXMSIZE;
	if(negotiate(fd, msize, &got, err) < 0)
		return NULL;
	c = calloc(1, sizeof *c);
	if(c == NULL){
		seterr(err, "%s", "out of memory");
		return NULL;
	}
	c->fd = fd;
	c->msize = got;
	pthread_mutex_init(&c->lk, NULL);
	pthread_cond_init(&c->wfree, NULL);
	pthread_cond_init(&c->tagfree, NULL);
	pthread_cond_init(&c->cbdone, NULL);
	if(pipe2(c->wake, O_CLOEXEC) < 0){
		seterr(err, "%s", "out of file descriptors");
		free(c);
		return NULL;
	}
	if(pthread_create(&c->reader, NULL, readerproc, c) != 0){
		seterr(err, "%s", "cannot start reader thread");
		close(c->wake[0]);
		close(c->wake[1]);
		free(c);
		return NULL;
	}
	return c;
}

uint32_t
styx_client_msize(StyxClient *c)
{
	return c->msize;
}

int
styx_client_dead(StyxClient *c)
{
	int d;

	pthread_mutex_lock(&c->lk);
	d = c->dead;
	pthread_mutex_unlock(&c->lk);
	return d;
}

void
styx_client_free(StyxClient *c)
{
	StyxCall *k;
	Req *r;
	char b;
	int i;

	b = 0;
	if(write(c->wake[1], &b, 1) < 0){
		/* the pipe cannot be full: one byte, once */
	}
	pthread_join(c->reader, NULL);
	pthread_mutex_lock(&c->lk);
	hangup(c, "hangup: client closed");
	for(i = 0; i < NTAG; i++){
		r = c->pending[i];
		if(r != NULL && r->call != NULL && r->call->taken){
			/* a taken call's tags: it goes with the last */
			k = r->call;
			tagfree(c, i);
			if(k->tag == i)
				k->tag = -1;
			if(k->ftag == i)
				k->ftag = -1;
			callgone(k);
		}else if(r != NULL && r->call == NULL && r->cond == NULL)
			orphanend(c, r, 1);
	}
	while(c->npending > 0)	/* rpcs still waking up */
		pthread_cond_wait(&c->tagfree, &c->lk);
	pthread_mutex_unlock(&c->lk);
	close(c->wake[0]);
	close(c->wake[1]);
	close(c->fd);
	pthread_mutex_destroy(&c->lk);
	pthread_cond_destroy(&c->wfree);
	pthread_cond_destroy(&c->tagfree);
	pthread_cond_destroy(&c->cbdone);
	free(c);
}
