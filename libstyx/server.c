/*
 * server.c — a 9P2000 server core for one connection.  The calling
 * thread reads requests, checks them against the connection's fids and
 * queues them; a pool of worker threads (grown on demand up to
 * maxworkers) runs the callbacks, which may block, and writes replies.
 * Tversion and Tflush are answered by the reader itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "srvimpl.h"

enum {
	MAXACTIVE = 256,	/* requests (and Tflushes) read but not answered, per connection */
	MAXFIDS = 4096,		/* fids per connection, unless StyxSrv.maxfids says */
};

static const char Enotsup[] = "operation not supported";

static void
trace(StyxConn *c, const char *dir, const Fcall *f)
{
	char line[256];

	if(!c->srv->trace)
		return;
	styx_fmtfcall(line, sizeof line, f);
	fprintf(stderr, "styx fd %d %s %s\n", c->fd, dir, line);
}

/* Writes one message; the caller holds wlk.  Errors are left for the
 * reader to notice as a hangup. */
static void
send1(StyxConn *c, Fcall *f)
{
	uint8_t small[256], *b;
	size_t n;

	trace(c, "->", f);
	n = styx_packsize(f);
	if(n == 0)
		return;
	b = n <= sizeof small ? small : malloc(n);
	if(b == NULL)
		return;
	styx_pack(f, b, n);
	styx_writeall(c->fd, b, n);
	if(b != small)
		free(b);
}

static void
sendlocked(StyxConn *c, Fcall *f)
{
	pthread_mutex_lock(&c->wlk);
	send1(c, f);
	pthread_mutex_unlock(&c->wlk);
}

static void
mkerror(Fcall *f, uint16_t tag, const char *err, char *buf)
{
	memset(f, 0, sizeof *f);
	f->type = Rerror;
	f->tag = tag;
	snprintf(buf, STYX_ERRMAX, "%s", err);
	f->ename = buf;
}

static void
freereq(StyxConn *c, StyxReq *r)
{
	if(c->srv->ops->destroyreq != NULL)
		c->srv->ops->destroyreq(r);
	if(r->newfid != r->fid)
		fidput(c, r->newfid);
	fidput(c, r->fid);
	fidput(c, r->afid);
	free(r->ibuf);
	free(r->rdata);
	free(r);
}

/* Answers a request that never became active. */
static void
refuse(StyxConn *c, StyxReq *r, const char *err)
{
	char buf[STYX_ERRMAX];
	Fcall f;

	mkerror(&f, r->ifcall.tag, err, buf);
	sendlocked(c, &f);
	freereq(c, r);
}

static int
isdir(StyxFid *f)
{
	return (f->qid.type & STYX_QTDIR) != 0;
}

/* Directories are opened (or created) only to read. */
static const char *
checkmode(int dir, int mode)
{
	if(mode & ~(3|STYX_OTRUNC|STYX_ORCLOSE))
		return "bad open mode";
	if(dir && ((mode&3) == STYX_OWRITE || (mode&3) == STYX_ORDWR || (mode & STYX_OTRUNC)))
		return "is a directory";
	return NULL;
}

/* Is s well-formed UTF-8 (no overlong forms, surrogates or values
 * past U+10FFFF)?  9P names are UTF-8 text. */
static int
utf8ok(const char *s)
{
	const unsigned char *p;
	unsigned long v;
	int n, i;

	for(p = (const unsigned char*)s; *p != 0; p += n){
		if(*p < 0x80){
			n = 1;
			continue;
		}
		if(*p >= 0xC2 && *p <= 0xDF){
			n = 2;
			v = *p & 0x1F;
		}else if(*p >= 0xE0 && *p <= 0xEF){
			n = 3;
			v = *p & 0x0F;
		}else if(*p >= 0xF0 && *p <= 0xF4){
			n = 4;
			v = *p & 0x07;
		}else
			return 0;
		for(i = 1; i < n; i++){
			if((p[i] & 0xC0) != 0x80)
				return 0;
			v = v << 6 | (p[i] & 0x3F);
		}
		if((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
	}
	return 1;
}

/* A name a client may give a new file (Tcreate, Twstat's rename).  NUL
 * cannot arrive: the codec refuses it in strings. */
static const char *
checkname(const char *s)
{
	if(s[0] == 0 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strchr(s, '/') != NULL)
		return "bad file name";
	if(!utf8ok(s))
		return "file name is not UTF-8";
	return NULL;
}

static const char *
newfiderr(StyxConn *c)
{
	return c->nfids >= c->maxfids ? "too many fids" : "fid in use";
}

/* Takes the request's fids and checks what 9P demands of them; lk held.
 * Any references taken stay in r for freereq. */
static const char *
takefids(StyxConn *c, StyxReq *r)
{
	Fcall *f;

	f = &r->ifcall;
	if(f->type == Tauth || f->type == Tattach){
		if(f->type == Tauth && c->srv->ops->auth == NULL)
			return "authentication not required";
		if(f->type == Tattach && f->afid != STYX_NOFID){
			r->afid = fidlookup(c, f->afid);
			if(r->afid == NULL)
				return "unknown fid";
			if(!(r->afid->qid.type & STYX_QTAUTH))
				return "not an authentication fid";
		}
		r->newfid = fidnew(c, f->type == Tauth ? f->afid : f->fid);
		if(r->newfid == NULL)
			return newfiderr(c);
		return NULL;
	}
	r->fid = fidlookup(c, f->fid);
	if(r->fid == NULL)
		return "unknown fid";
	switch(f->type){
	case Twalk:
		if(r->fid->omode != -1)
			return "cannot walk an open fid";
		if(f->nwname > 0 && !isdir(r->fid))
			return "walk in a non-directory";
		if(f->newfid == f->fid)
			r->newfid = r->fid;
		else if((r->newfid = fidnew(c, f->newfid)) == NULL)
			return newfiderr(c);
		break;
	case Topen:
		if(r->fid->omode != -1)
			return "file already open";
		return checkmode(isdir(r->fid), f->mode);
	case Tcreate:
		if(r->fid->omode != -1)
			return "file already open";
		if(!isdir(r->fid))
			return "create in a non-directory";
		if(checkname(f->name) != NULL)
			return checkname(f->name);
		return checkmode((f->perm & STYX_DMDIR) != 0, f->mode & ~STYX_OTRUNC);
	case Tread:
		if(r->fid->omode == -1 || (r->fid->omode&3) == STYX_OWRITE)
			return "file not open for reading";
		if(isdir(r->fid) && f->offset != 0 && f->offset != r->fid->diroffset)
			return "bad offset in directory read";
		if(f->count > c->msize - STYX_IOHDRSZ)
			f->count = c->msize - STYX_IOHDRSZ;
		break;
	case Twrite:
		if(r->fid->omode == -1 || ((r->fid->omode&3) != STYX_OWRITE && (r->fid->omode&3) != STYX_ORDWR))
			return "file not open for writing";
		break;
	case Tclunk:
	case Tremove:
		fidremove(c, r->fid);	/* gone whatever the callback says */
		break;
	case Twstat:
		if(styx_unpackdir(f->stat, f->nstat, &r->d) < 0)
			return "bad stat";
		if(r->d.name[0] != 0 && checkname(r->d.name) != NULL)
			return checkname(r->d.name);
		break;
	}
	return NULL;
}

/* --- workers ------------------------------------------------------------ */

static const char *
call(StyxReq *r)
{
	const StyxSrvOps *o;

	o = r->conn->srv->ops;
	switch(r->ifcall.type){
	case Tauth:
		return o->auth != NULL ? o->auth(r) : Enotsup;
	case Tattach:
		return o->attach != NULL ? o->attach(r) : Enotsup;
	case Twalk:
		return o->walk != NULL ? o->walk(r) : Enotsup;
	case Topen:
		return o->open != NULL ? o->open(r) : Enotsup;
	case Tcreate:
		return o->create != NULL ? o->create(r) : Enotsup;
	case Tread:
		r->rdata = malloc(r->ifcall.count ? r->ifcall.count : 1);
		if(r->rdata == NULL)
			return "out of memory";
		r->ofcall.data = r->rdata;
		return o->read != NULL ? o->read(r) : Enotsup;
	case Twrite:
		return o->write != NULL ? o->write(r) : Enotsup;
	case Tclunk:
		return o->clunk != NULL ? o->clunk(r) : NULL;
	case Tremove:
		return o->remove != NULL ? o->remove(r) : Enotsup;
	case Tstat:
		return o->stat != NULL ? o->stat(r) : Enotsup;
	case Twstat:
		return o->wstat != NULL ? o->wstat(r) : Enotsup;
	}
	return "bad message type";
}

/* A request flushed before any worker took it is not run, unless the
 * fid is going anyway (clunk, remove): those callbacks must see it. */
static int
skip(StyxReq *r)
{
	return atomic_load(&r->flushed) && r->ifcall.type != Tclunk && r->ifcall.type != Tremove;
}

/* A new fid takes its qid and user and becomes visible; a failed one
 * leaves the table.  lk held. */
static void
settle(StyxConn *c, StyxReq *r, StyxFid *from, const StyxQid *q, int ok)
{
	if(!ok){
		fidremove(c, r->newfid);
		return;
	}
	r->newfid->qid = *q;
	r->newfid->uid = strdup(from != NULL && from->uid != NULL ? from->uid : r->ifcall.uname);
	r->newfid->live = 1;
}

static const char *
walked(StyxConn *c, StyxReq *r, const char *err)
{
	Fcall *in, *out;
	int all;

	in = &r->ifcall;
	out = &r->ofcall;
	if(err == NULL && out->nwqid > in->nwname)
		err = "walk callback botch";
	if(err == NULL && in->nwname > 0 && out->nwqid == 0)
		err = "file does not exist";
	all = err == NULL && out->nwqid == in->nwname;
	if(r->newfid == r->fid){
		if(all && in->nwname > 0)
			r->fid->qid = out->wqid[in->nwname-1];
	}else
		settle(c, r, r->fid, in->nwname > 0 ? &out->wqid[in->nwname-1] : &r->fid->qid, all);
	return err;
}

/* What 9P says follows from a request's success or failure.  lk held,
 * so the reader's checks never see a fid half updated. */
static const char *
finish(StyxConn *c, StyxReq *r, const char *err)
{
	Fcall *in, *out;
	size_t n;

	in = &r->ifcall;
	out = &r->ofcall;
	switch(in->type){
	case Tauth:
		settle(c, r, NULL, &out->aqid, err == NULL);
		break;
	case Tattach:
		settle(c, r, NULL, &out->qid, err == NULL);
		break;
	case Twalk:
		err = walked(c, r, err);
		break;
	case Topen:
	case Tcreate:
		if(err == NULL){
			r->fid->omode = in->mode;
			r->fid->qid = out->qid;
			r->fid->diroffset = 0;
		}
		break;
	case Tread:
		if(err == NULL && out->count > in->count)
			err = "read callback botch";
		if(err == NULL && isdir(r->fid))
			r->fid->diroffset = in->offset + out->count;
		break;
	case Twrite:
		if(err == NULL && out->count > in->count)
			err = "write callback botch";
		break;
	case Tstat:
		if(err != NULL)
			break;
		n = styx_dirsize(&r->d);
		if(n == 0 || n > c->msize - 9)
			return "stat too big";
		r->rdata = malloc(n);
		if(r->rdata == NULL)
			return "out of memory";
		styx_packdir(&r->d, r->rdata, n);
		out->stat = r->rdata;
		out->nstat = n;
		break;
	}
	return err;
}

static void
unlinkactive(StyxConn *c, StyxReq *r)
{
	StyxReq **l;

	for(l = &c->active; *l != NULL; l = &(*l)->next)
		if(*l == r){
			*l = r->next;
			return;
		}
}

/*
 * The reply, then an Rflush for every Tflush that named it, all while
 * holding wlk, taken before r left the active list: a Tflush read later
 * finds no r and answers at once, but cannot write before we have.
 */
static void
respond(StyxConn *c, StyxReq *r, const char *err)
{
	char ebuf[STYX_ERRMAX];
	StyxReq *fl, *next;
	Fcall f;
	int nfl;

	pthread_mutex_lock(&c->lk);
	err = finish(c, r, err);
	if(err != NULL)
		mkerror(&r->ofcall, r->ifcall.tag, err, ebuf);
	else{
		r->ofcall.type = r->ifcall.type + 1;
		r->ofcall.tag = r->ifcall.tag;
	}
	unlinkactive(c, r);
	fl = r->flushers;
	r->flushers = NULL;
	pthread_mutex_lock(&c->wlk);
	pthread_mutex_unlock(&c->lk);
	send1(c, &r->ofcall);
	nfl = 0;
	for(; fl != NULL; fl = next){
		next = fl->flushnext;
		memset(&f, 0, sizeof f);
		f.type = Rflush;
		f.tag = fl->ifcall.tag;
		send1(c, &f);
		freereq(c, fl);
		nfl++;
	}
	pthread_mutex_unlock(&c->wlk);
	freereq(c, r);
	pthread_mutex_lock(&c->lk);
	c->nactive -= 1 + nfl;
	pthread_cond_broadcast(&c->idle);
	pthread_mutex_unlock(&c->lk);
}

static void *
worker(void *a)
{
	StyxConn *c;
	StyxReq *r;

	c = a;
	pthread_mutex_lock(&c->lk);
	for(;;){
		while(c->qhead == NULL && !c->closing){
			c->nidle++;
			pthread_cond_wait(&c->work, &c->lk);
			c->nidle--;
		}
		if(c->qhead == NULL)
			break;
		r = c->qhead;
		c->qhead = r->qnext;
		if(c->qhead == NULL)
			c->qtail = NULL;
		pthread_mutex_unlock(&c->lk);
		respond(c, r, skip(r) ? "interrupted" : call(r));
		pthread_mutex_lock(&c->lk);
	}
	c->nworkers--;
	pthread_cond_broadcast(&c->idle);
	pthread_mutex_unlock(&c->lk);
	return NULL;
}

/* Queues r for a worker, starting one if none is idle; lk held. */
static void
enqueue(StyxConn *c, StyxReq *r)
{
	pthread_attr_t attr;
	pthread_t t;

	r->qnext = NULL;
	if(c->qtail != NULL)
		c->qtail->qnext = r;
	else
		c->qhead = r;
	c->qtail = r;
	if(c->nidle == 0 && c->nworkers < c->maxworkers){
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if(pthread_create(&t, &attr, worker, c) == 0)
			c->nworkers++;
		pthread_attr_destroy(&attr);
	}
	if(c->nworkers == 0){	/* could not start a thread: answer it here */
		c->qhead = c->qtail = NULL;
		pthread_mutex_unlock(&c->lk);
		respond(c, r, call(r));
		pthread_mutex_lock(&c->lk);
		return;
	}
	pthread_cond_signal(&c->work);
}

/* --- the reader ------------------------------------------------------- */

static void
flushall(StyxConn *c)
{
	StyxReq *r;

	pthread_mutex_lock(&c->lk);
	for(r = c->active; r != NULL; r = r->next)
		if(!atomic_exchange(&r->flushed, 1) && c->srv->ops->flush != NULL)
			c->srv->ops->flush(r);
	while(c->nactive > 0)
		pthread_cond_wait(&c->idle, &c->lk);
	pthread_mutex_unlock(&c->lk);
}

static void
version(StyxConn *c, StyxReq *r)
{
	uint32_t ours;
	Fcall f;
	char *v;

	flushall(c);
	fidclunkall(c);
	ours = c->srv->msize ? c->srv->msize : STYX_DEFMSIZE;
	if(ours < STYX_MINMSIZE)
		ours = STYX_MINMSIZE;
	if(ours > STYX_MAXMSIZE)
		ours = STYX_MAXMSIZE;
	if(r->ifcall.msize < STYX_MINMSIZE){
		refuse(c, r, "msize too small");
		return;
	}
	v = r->ifcall.version;
	memset(&f, 0, sizeof f);
	f.type = Rversion;
	f.tag = r->ifcall.tag;
	f.msize = r->ifcall.msize < ours ? r->ifcall.msize : ours;
	if(strncmp(v, "9P2000", 6) == 0 && (v[6] == 0 || v[6] == '.')){
		f.version = "9P2000";
		c->versioned = 1;
	}else{
		f.version = "unknown";
		c->versioned = 0;
	}
	sendlocked(c, &f);
	c->msize = f.msize;
	freereq(c, r);
}

static void
flush(StyxConn *c, StyxReq *r)
{
	StyxReq *old;
	Fcall f;

	pthread_mutex_lock(&c->lk);
	while(c->nactive >= MAXACTIVE)
		pthread_cond_wait(&c->idle, &c->lk);
	for(old = c->active; old != NULL; old = old->next)
		if(old->ifcall.tag == r->ifcall.oldtag)
			break;
	if(old != NULL){
		c->nactive++;	/* until old's reply answers it too */
		r->flushnext = old->flushers;
		old->flushers = r;
		if(!atomic_exchange(&old->flushed, 1) && c->srv->ops->flush != NULL)
			c->srv->ops->flush(old);
		pthread_mutex_unlock(&c->lk);
		return;
	}
	pthread_mutex_unlock(&c->lk);
	memset(&f, 0, sizeof f);
	f.type = Rflush;
	f.tag = r->ifcall.tag;
	sendlocked(c, &f);
	freereq(c, r);
}

static int
tagactive(StyxConn *c, uint16_t tag)
{
	StyxReq *r;

	for(r = c->active; r != NULL; r = r->next)
		if(r->ifcall.tag == tag)
			return 1;
	return 0;
}

static void
dispatch(StyxConn *c, StyxReq *r)
{
	const char *err;

	if(r->ifcall.type == Tversion){
		version(c, r);
		return;
	}
	if(r->ifcall.type & 1){
		refuse(c, r, "bad message type: a reply sent to a server");
		return;
	}
	if(!c->versioned){
		refuse(c, r, "version not negotiated");
		return;
	}
	if(r->ifcall.tag == STYX_NOTAG){
		refuse(c, r, "bad tag: NOTAG is only for Tversion");
		return;
	}
	if(r->ifcall.type == Tflush){
		flush(c, r);
		return;
	}
	pthread_mutex_lock(&c->lk);
	while(c->nactive >= MAXACTIVE)
		pthread_cond_wait(&c->idle, &c->lk);
	err = NULL;
	if(tagactive(c, r->ifcall.tag))
		err = "duplicate tag";
	if(err == NULL)
		err = takefids(c, r);
	if(err != NULL){
		pthread_mutex_unlock(&c->lk);
		refuse(c, r, err);
		return;
	}
	r->next = c->active;
	c->active = r;
	c->nactive++;
	enqueue(c, r);
	pthread_mutex_unlock(&c->lk);
}

/* Reads and dispatches until the client goes; -1 on a protocol or I/O error. */
static int
readloop(StyxConn *c)
{
	StyxReq *r;
	uint8_t *b;
	long n;
	int e;

	for(;;){
		b = styx_readmsgalloc(c->fd, c->msize, &n);
		if(b == NULL)
			return n == 0 ? 0 : -1;
		r = calloc(1, sizeof *r);
		if(r == NULL){
			free(b);
			return -1;
		}
		r->ibuf = b;
		r->conn = c;
		e = styx_unpack(b, n, &r->ifcall);
		if(e < 0){
			r->ifcall.tag = get16(b+5);
			refuse(c, r, styx_strerror(e));
			continue;
		}
		trace(c, "<-", &r->ifcall);
		dispatch(c, r);
	}
}

int
styx_serve(StyxSrv *srv, int fd)
{
	StyxConn *c;
	int rc;

	c = calloc(1, sizeof *c);
	if(c == NULL)
		return -1;
	c->srv = srv;
	c->fd = fd;
	c->msize = srv->msize ? srv->msize : STYX_DEFMSIZE;
	if(c->msize < STYX_MINMSIZE)
		c->msize = STYX_MINMSIZE;
	if(c->msize > STYX_MAXMSIZE)
		c->msize = STYX_MAXMSIZE;
	c->maxworkers = srv->maxworkers > 0 ? srv->maxworkers : 16;
	c->maxfids = srv->maxfids > 0 ? srv->maxfids : MAXFIDS;
	pthread_mutex_init(&c->lk, NULL);
	pthread_mutex_init(&c->wlk, NULL);
	pthread_cond_init(&c->work, NULL);
	pthread_cond_init(&c->idle, NULL);

	rc = readloop(c);

	flushall(c);
	fidclunkall(c);
	pthread_mutex_lock(&c->lk);
	c->closing = 1;
	pthread_cond_broadcast(&c->work);
	while(c->nworkers > 0)
		pthread_cond_wait(&c->idle, &c->lk);
	pthread_mutex_unlock(&c->lk);
	pthread_mutex_destroy(&c->lk);
	pthread_mutex_destroy(&c->wlk);
	pthread_cond_destroy(&c->work);
	pthread_cond_destroy(&c->idle);
	free(c);
	return rc;
}

StyxSrv *
styx_connsrv(StyxConn *c)
{
	return c->srv;
}

uint32_t
styx_connmsize(StyxConn *c)
{
	return c->msize;
}
