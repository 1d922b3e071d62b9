/*
 * server.c — a 9P2000 server core.  One poller thread (epoll) reads
 * every connection's requests, checks them against the connection's fids
 * and queues them; one process-wide pool of worker threads runs the
 * callbacks, which may block, and writes every reply.  Neither depends on
 * the number of connections, so idle connections cost no thread.  The
 * poller never writes or blocks: refusals, Rflush and Rversion are jobs
 * for the workers too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "srvimpl.h"

enum {
	MAXACTIVE = 256,	/* requests (and Tflushes) read but not answered, per connection */
	MAXFIDS = 4096,		/* fids per connection, unless StyxSrv.maxfids says */
};

/*
 * Requests read and not answered hold their messages, up to msize each
 * (MAXACTIVE a connection: 16 MB at the export's 64 KB), parked behind
 * ones that block (reads of a pipe), and connections are bounded only by
 * descriptors.  So their bytes are counted, per connection (c->held) and
 * over every connection (held), and a connection stops being read (back-
 * pressure: 9P has no "busy") while
 *   - it holds CONNHELD or more, until its own requests are answered;
 *   - or it holds HELDFLOOR or more and every connection together
 *     HELDMAX or more (heldstop), until its own are answered or the
 *     total falls below HELDMAX: the poller then looks again (heldfd).
 * One holding less than HELDFLOOR is always read, so a new or quiet
 * client is served and a client can flush or clunk what it has waiting.
 * A connection holds at most CONNHELD, every one together HELDMAX plus
 * HELDFLOOR a connection, and each the message being read (msize).
 */
enum {
	CONNHELD = 2*1024*1024,
	HELDMAX = 32*1024*1024,
	HELDFLOOR = 128*1024,
};
static atomic_long held;
static atomic_int nheldstop;	/* connections with heldstop set */
static atomic_int npaused;	/* connections not read now, for whatever reason */
static int heldfd = -1;		/* eventfd: the poller looks at the heldstop connections */

static const char Enotsup[] = "operation not supported";
static const char Sparked[] = "parked";	/* styx_park's: no reply yet */
static atomic_int nparked;
static atomic_long nunparks;

/* A request's parking (StyxReq.park, under lk): running or queued as
 * any; parked by its callback, which has not yet returned; parked and
 * on no worker; unparked before its callback returned (it runs again
 * as soon as it does). */
enum { Prun = 0, Pparking, Pparked, Prerun };

/* n more bytes held by c (fewer if n < 0); any locks held.  Below HELDMAX,
 * connections stopped for it may be read again: the poller, setting
 * heldstop, looks at held after counting it, and we at nheldstop after
 * changing held, so one of us sees the other. */
static void
charge(StyxConn *c, long n)
{
	uint64_t one;

	atomic_fetch_add(&c->held, n);
	if(atomic_fetch_add(&held, n) + n < HELDMAX && n < 0 && atomic_load(&nheldstop) > 0){
		one = 1;
		if(write(heldfd, &one, sizeof one) < 0){
			/* full: a wake is pending already */
		}
	}
}

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
	if(styx_writeall(c->fd, b, n) < 0)
		shutdown(c->fd, SHUT_RDWR);	/* the poller sees the end */
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
	charge(c, -r->isize);
	free(r);
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

/* Requests on f that were parked give up: its clunk or remove would
 * otherwise wait for them (their fid reference) until data came, and a
 * read answered then would take the data for a fid already gone.  lk
 * held.  By number, not r->fid, which a request finishing clears
 * without lk: every parked read or write with f's number is on f (the
 * number was f's when they came, and is free only after this). */
static void
unparkfid(StyxConn *c, StyxFid *f)
{
	StyxReq *r;

	for(r = c->active; r != NULL; r = r->next)
		if(r->parked && (r->ifcall.type == Tread || r->ifcall.type == Twrite) && r->ifcall.fid == f->fid &&
		   !atomic_exchange(&r->flushed, 1) && c->srv->ops->flush != NULL)
			c->srv->ops->flush(r);
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
		unparkfid(c, r->fid);
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
 * fid is going anyway (clunk, remove): those callbacks must see it; nor
 * one parked, whose callback gives up what it holds. */
static int
skip(StyxReq *r)
{
	return atomic_load(&r->flushed) && r->ifcall.type != Tclunk && r->ifcall.type != Tremove && !r->parked;
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

/* The request's references to its fids go before the reply: once a
 * client has read a reply, no request it answered still holds a fid.
 * So when it reads an Rclunk or Rremove, destroyfid has run (the file
 * closed, the server's resources for it given back) unless a request
 * still unanswered uses the fid, even if the worker that answered an
 * earlier one on it (a Topen, say) has not yet freed that request. */
static void
dropfids(StyxConn *c, StyxReq *r)
{
	if(r->newfid != r->fid)
		fidput(c, r->newfid);
	fidput(c, r->fid);
	fidput(c, r->afid);
	r->newfid = r->fid = r->afid = NULL;
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
	int nfl, quiet;

	pthread_mutex_lock(&c->lk);
	err = finish(c, r, err);
	if(err != NULL)
		mkerror(&r->ofcall, r->ifcall.tag, err, ebuf);
	else{
		r->ofcall.type = r->ifcall.type + 1;
		r->ofcall.tag = r->ifcall.tag;
	}
	pthread_mutex_unlock(&c->lk);
	dropfids(c, r);
	pthread_mutex_lock(&c->lk);
	unlinkactive(c, r);
	fl = r->flushers;
	r->flushers = NULL;
	/* a parked request that gave up for a Tflush is answered by the
	 * Rflush alone (flush(5): either is right; this one is shorter) */
	quiet = fl != NULL && r->parked && err != NULL && atomic_load(&r->flushed);
	pthread_mutex_lock(&c->wlk);
	pthread_mutex_unlock(&c->lk);
	if(!quiet)
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
	pthread_mutex_unlock(&c->lk);
}

/* --- the pool ------------------------------------------------------------
 *
 * One process-wide pool of worker threads serves every connection: a
 * thread is started when a job could run and no worker is idle (up to
 * POOLMAX), and leaves after IDLESECS without work, so idle connections
 * cost no thread.  Jobs wait in their connection's queues, connections
 * with jobs in a ring; a worker takes the first job that may run of the
 * first connection that has one, in turn (takejob).  Requests and
 * replies (capped jobs) may block for as long as a client likes (a read
 * of a pipe), so they are limited twice: a
 * connection runs at most its maxworkers, and beyond each connection's
 * first, at most POOLSHARED run over every connection.  A connection's
 * first is never refused for the shared limit: however many workers
 * other clients hold blocked, one with none running gets one (a new
 * client, an honest one asking one thing at a time), as long as fewer
 * than POOLMAX - POOLSHARED are held by connections' first requests and
 * their replies (a connection's descriptor is one of the export's, a
 * quarter of the process's limit: 256 at 1024).  Refusals and Rflushes
 * run one at a time a connection beside its requests; control jobs (the
 * end of a connection, a Tversion) are taken regardless.
 *
 * A thread starts only from submit, so a worker that takes a job and
 * leaves another that could run behind it wakes an idle worker or starts
 * one: a burst of submits that each saw the same idle worker left jobs
 * queued with no thread to run them while every worker was blocked
 * (export_attack 22: 51 workers in pipe reads, 16 jobs that could run,
 * a new client's Tversion among them, waiting for ever).
 */
enum {
	POOLCONNS = 512,	/* connections served at once */
	POOLSHARED = 64,	/* capped jobs running beyond their connection's first */
	/* a connection's first request and a refusal or Rflush may each
	 * hold a worker for as long as the client likes (a read of a pipe;
	 * a reply written to a client that reads a byte now and then), its
	 * Tversion and end only when neither runs: 2 a connection, the
	 * shared ones, and room for ends finishing after their connection
	 * has left the count.  When the export took connections up to a
	 * quarter of the descriptor limit (5000 at 20000), 512 of them with
	 * a read blocked each took all 512 workers of before, and a new
	 * client's Tversion waited for ever (export_attack 23). */
	POOLMAX = 2*POOLCONNS + POOLSHARED + 64,
	IDLESECS = 5,
	SENDSECS = 30,		/* a client that reads no replies this long is cut off */
	Kreq = 0, Kreply, Kversion, Kend,
};

static struct {
	pthread_mutex_t lk;
	pthread_cond_t work;
	StyxConn *ready, *readytail;	/* connections with jobs queued, in turn */
	int nworkers, nidle;
	int nconns;		/* connections served (at most POOLCONNS) */
	int nrun;		/* capped jobs running */
	int nshared;		/* of them, beyond their connection's first */
	int epfd;		/* the poller's */
	StyxConn *conns;	/* every connection served (epoll holds them too) */
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, 0, 0, -1, NULL };

static pthread_once_t poolonce = PTHREAD_ONCE_INIT;

static void runjob(StyxReq *r);

/* Requests count against their connection's maxworkers and the shared
 * bound; the end and Tversion, one at a time anyway, do not.  Refusals
 * and Rflushes (Kreply) are one at a time a connection, whatever its
 * requests do: they run no callback, only write (their replies wait for
 * each other's anyway), and an Rflush for a request already answered
 * waited for ever behind 16 blocked reads. */
static int
capped(StyxReq *r)
{
	return r->kind == Kreq || r->kind == Kreply;
}

/* May another of c's requests run now: under its maxworkers, and its
 * first or within the shared bound?  pool.lk held. */
static int
reqroom(StyxConn *c)
{
	int n;

	n = atomic_load(&c->nrunning);
	return n < c->maxworkers && (n == 0 || pool.nshared < POOLSHARED);
}

/* May r run now?  pool.lk held. */
static int
runnable(StyxReq *r)
{
	if(r->kind == Kreply)
		return !r->conn->replying;
	return !capped(r) || reqroom(r->conn);
}

/* A job class's queue of a connection. */
static int
jobclass(int kind)
{
	return kind == Kreq ? 0 : kind == Kreply ? 1 : 2;
}

/* Which of c's queues has a job that may run now, or -1.  pool.lk held. */
static int
connjob(StyxConn *c)
{
	if(c->jobs[2] != NULL)
		return 2;
	if(c->jobs[1] != NULL && !c->replying)
		return 1;
	if(c->jobs[0] != NULL && reqroom(c))
		return 0;
	return -1;
}

/* c joins the end of the ring of connections with jobs.  pool.lk held. */
static void
readyput(StyxConn *c)
{
	c->rnext = NULL;
	if(pool.readytail != NULL)
		pool.readytail->rnext = c;
	else
		pool.ready = c;
	pool.readytail = c;
}

/*
 * The first job a worker may take, counted as running; *more says
 * whether another may run after it.  pool.lk held.  Jobs wait in their
 * connection's queues and the connections with jobs in a ring, taken in
 * turn, so a look costs a step a connection, not a job: one queue of
 * every job made each take walk past every job of connections at their
 * bounds (400 clients with 240 requests each behind reads of a pipe:
 * 95000 jobs looked at under the pool's lock for each one taken, and an
 * honest client's session took 100 ms instead of 0.5).
 */
static StyxReq *
takejob(int *more)
{
	StyxConn **l, *c, *prev, *q;
	StyxReq *r;
	int k;

	*more = 0;
	prev = NULL;
	for(l = &pool.ready; (c = *l) != NULL; prev = c, l = &c->rnext){
		k = connjob(c);
		if(k < 0)
			continue;
		r = c->jobs[k];
		c->jobs[k] = r->qnext;
		if(c->jobs[k] == NULL)
			c->jobstail[k] = NULL;
		r->qnext = NULL;
		/* to the end of the ring, if it has more */
		*l = c->rnext;
		if(pool.readytail == c)
			pool.readytail = prev;
		c->rnext = NULL;
		if(c->jobs[0] != NULL || c->jobs[1] != NULL || c->jobs[2] != NULL)
			readyput(c);
		else
			c->inready = 0;
		if(r->kind == Kreply)
			c->replying = 1;
		else if(capped(r) && atomic_fetch_add(&c->nrunning, 1) > 0)
			pool.nshared++;
		if(capped(r))
			pool.nrun++;
		for(q = pool.ready; q != NULL; q = q->rnext)
			if(connjob(q) >= 0){
				*more = 1;
				break;
			}
		return r;
	}
	return NULL;
}

/* A capped job of c is done; c->lk held (settled may end c next). */
static void
release(StyxConn *c, int kind)
{
	pthread_mutex_lock(&pool.lk);
	if(kind == Kreply)
		c->replying = 0;
	else if(atomic_fetch_sub(&c->nrunning, 1) > 1)
		pool.nshared--;
	pool.nrun--;
	pthread_mutex_unlock(&pool.lk);
}

static void *worker(void *a);

/* A job may run: wake an idle worker, or start one.  pool.lk held. */
static void
kick(void)
{
	pthread_attr_t attr;
	pthread_t t;

	if(pool.nidle > 0){
		pthread_cond_signal(&pool.work);
		return;
	}
	if(pool.nworkers >= POOLMAX)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if(pthread_create(&t, &attr, worker, NULL) == 0)
		pool.nworkers++;
	pthread_attr_destroy(&attr);
}

static void *
worker(void *a)
{
	struct timespec ts;
	StyxReq *r;
	int idle, more;

	(void)a;
	pthread_mutex_lock(&pool.lk);
	for(;;){
		r = takejob(&more);
		if(r == NULL){
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += IDLESECS;
			pool.nidle++;
			idle = pthread_cond_timedwait(&pool.work, &pool.lk, &ts);
			pool.nidle--;
			if(idle == ETIMEDOUT && pool.ready == NULL)
				break;
			continue;
		}
		if(more)
			kick();
		pthread_mutex_unlock(&pool.lk);
		runjob(r);
		pthread_mutex_lock(&pool.lk);
	}
	pool.nworkers--;
	pthread_mutex_unlock(&pool.lk);
	return NULL;
}

/* Queues a job and, if it may run, sees that a worker will take it.
 * With no worker at all (no thread could be made) the caller runs it. */
static void
submit(StyxReq *r, int kind)
{
	StyxConn *c;
	int none, more, k;

	r->kind = kind;
	r->qnext = NULL;
	c = r->conn;
	k = jobclass(kind);
	pthread_mutex_lock(&pool.lk);
	if(c->jobstail[k] != NULL)
		c->jobstail[k]->qnext = r;
	else
		c->jobs[k] = r;
	c->jobstail[k] = r;
	if(!c->inready){
		c->inready = 1;
		readyput(c);
	}
	if(runnable(r))
		kick();
	none = pool.nworkers == 0;
	r = none ? takejob(&more) : NULL;
	pthread_mutex_unlock(&pool.lk);
	if(r != NULL)
		runjob(r);
}

/* Reading stops (events 0) or goes on (EPOLLIN); lk held. */
static void
watch(StyxConn *c, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.ptr = c;
	epoll_ctl(pool.epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Must c stop reading for the export-wide bound?  lk held. */
static int
overall(StyxConn *c)
{
	return atomic_load(&c->held) >= HELDFLOOR && atomic_load(&held) >= HELDMAX;
}

/* Must c stop reading for what it holds itself?  lk held. */
static int
overheld(StyxConn *c)
{
	return c->nactive + c->nreply >= MAXACTIVE || atomic_load(&c->held) >= CONNHELD;
}

/* Reading resumes once c holds less than its bounds; lk held. */
static void
resume(StyxConn *c)
{
	if(c->heldstop && !overall(c)){
		c->heldstop = 0;
		atomic_fetch_sub(&nheldstop, 1);
	}
	if(c->paused && !c->eof && c->vreq == NULL && !overheld(c) && !c->heldstop){
		c->paused = 0;
		atomic_fetch_sub(&npaused, 1);
		watch(c, EPOLLIN);
	}
}

/* What follows when requests finish: a waiting Tversion goes on, a
 * connection whose client went ends, reading resumes.  lk held; the
 * caller touches c no more once it lets lk go if an end was queued. */
static void
settled(StyxConn *c)
{
	if(c->nactive == 0 && atomic_load(&c->nrunning) == 0){
		if(c->vreq != NULL && !c->vqueued && c->nreply == 0){
			c->vqueued = 1;
			submit(c->vreq, Kversion);
			return;
		}
		if(c->eof && c->nreply == 0 && c->vreq == NULL && !c->endqueued){
			c->endqueued = 1;
			submit(c->endreq, Kend);
			return;
		}
	}
	resume(c);
}

/* Sets flushed on every active request and wakes its callback; lk held. */
static void
flushactive(StyxConn *c)
{
	StyxReq *r;

	for(r = c->active; r != NULL; r = r->next)
		if(!atomic_exchange(&r->flushed, 1) && c->srv->ops->flush != NULL)
			c->srv->ops->flush(r);
}

static void
version(StyxConn *c, StyxReq *r)
{
	uint32_t ours;
	Fcall f;
	char *v;

	fidclunkall(c);
	ours = c->srv->msize ? c->srv->msize : STYX_DEFMSIZE;
	if(ours < STYX_MINMSIZE)
		ours = STYX_MINMSIZE;
	if(ours > STYX_MAXMSIZE)
		ours = STYX_MAXMSIZE;
	v = r->ifcall.version;
	memset(&f, 0, sizeof f);
	f.tag = r->ifcall.tag;
	if(r->ifcall.msize < STYX_MINMSIZE){
		mkerror(&f, r->ifcall.tag, "msize too small", r->ebuf);
		sendlocked(c, &f);
	}else{
		f.type = Rversion;
		f.msize = r->ifcall.msize < ours ? r->ifcall.msize : ours;
		f.version = "unknown";
		if(strncmp(v, "9P2000", 6) == 0 && (v[6] == 0 || v[6] == '.'))
			f.version = "9P2000";
		sendlocked(c, &f);
		pthread_mutex_lock(&c->lk);	/* the poller reads them */
		c->versioned = f.version[0] == '9';
		c->msize = f.msize;
		pthread_mutex_unlock(&c->lk);
	}
	freereq(c, r);
}

static void
unlinkconn(StyxConn *c)
{
	StyxConn **l;

	pthread_mutex_lock(&pool.lk);
	for(l = &pool.conns; *l != NULL; l = &(*l)->pnext)
		if(*l == c){
			*l = c->pnext;
			pool.nconns--;
			break;
		}
	pthread_mutex_unlock(&pool.lk);
}

static void
endconn(StyxConn *c)
{
	/* whoever queued the end let lk go last */
	pthread_mutex_lock(&c->lk);
	pthread_mutex_unlock(&c->lk);
	fidclunkall(c);
	unlinkconn(c);
	if(c->paused)
		atomic_fetch_sub(&npaused, 1);
	free(c->endreq);
	free(c->msg);
	c->done(c->donearg, c->rc);
	pthread_mutex_destroy(&c->lk);
	pthread_mutex_destroy(&c->wlk);
	free(c);
}

static void
runjob(StyxReq *r)
{
	const char *err;
	StyxConn *c;
	Fcall f;
	int again;

	c = r->conn;
	switch(r->kind){
	case Kreq:
		err = skip(r) ? "interrupted" : call(r);
		if(err == Sparked){
			/* its worker goes back to the pool; the request stays
			 * active until styx_unpark runs it again.  A Tread's
			 * buffer (up to msize, counted in no bound) goes too:
			 * 250 parked reads of 64 KB held 16 MB a connection
			 * (export_attack 27); call allocates it again */
			free(r->rdata);
			r->rdata = NULL;
			pthread_mutex_lock(&c->lk);
			again = r->park == Prerun;
			r->park = again ? Prun : Pparked;
			release(c, Kreq);
			settled(c);
			pthread_mutex_unlock(&c->lk);
			if(again)
				submit(r, Kreq);
			break;
		}
		respond(c, r, err);
		pthread_mutex_lock(&c->lk);
		release(c, Kreq);
		settled(c);
		pthread_mutex_unlock(&c->lk);
		break;
	case Kreply:
		if(r->err != NULL)
			mkerror(&f, r->ifcall.tag, r->err, r->ebuf);
		else{
			memset(&f, 0, sizeof f);
			f.type = Rflush;
			f.tag = r->ifcall.tag;
		}
		dropfids(c, r);
		sendlocked(c, &f);
		freereq(c, r);
		pthread_mutex_lock(&c->lk);
		c->nreply--;
		release(c, Kreply);
		settled(c);
		pthread_mutex_unlock(&c->lk);
		break;
	case Kversion:
		version(c, r);
		pthread_mutex_lock(&c->lk);
		c->vreq = NULL;
		c->vqueued = 0;
		settled(c);
		pthread_mutex_unlock(&c->lk);
		break;
	case Kend:
		endconn(c);
		break;
	}
}

/* --- the reader ------------------------------------------------------- */

/* Answers a request that never became active (err NULL: an Rflush). */
static void
refuse(StyxConn *c, StyxReq *r, const char *err)
{
	uint16_t tag;
	uint8_t type;

	/* the Rerror needs the tag alone: the message goes now, not when
	 * the reply is sent, which may wait behind blocked requests (64 KB
	 * Twrites on a fid not open for writing were parked so, uncounted) */
	tag = r->ifcall.tag;
	type = r->ifcall.type;
	memset(&r->ifcall, 0, sizeof r->ifcall);
	r->ifcall.tag = tag;
	r->ifcall.type = type;
	free(r->ibuf);
	r->ibuf = NULL;
	charge(c, -(r->isize - (long)sizeof *r));
	r->isize = sizeof *r;
	r->err = err;
	pthread_mutex_lock(&c->lk);
	c->nreply++;
	pthread_mutex_unlock(&c->lk);
	submit(r, Kreply);
}

static void
flush(StyxConn *c, StyxReq *r)
{
	StyxReq *old;

	pthread_mutex_lock(&c->lk);
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
	refuse(c, r, NULL);
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
	int versioned;

	if(r->ifcall.type == Tversion){
		/* everything before it is flushed and answered first */
		pthread_mutex_lock(&c->lk);
		c->vreq = r;
		flushactive(c);
		settled(c);
		pthread_mutex_unlock(&c->lk);
		return;
	}
	if(r->ifcall.type & 1){
		refuse(c, r, "bad message type: a reply sent to a server");
		return;
	}
	pthread_mutex_lock(&c->lk);
	versioned = c->versioned;
	pthread_mutex_unlock(&c->lk);
	if(!versioned){
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
	pthread_mutex_unlock(&c->lk);
	submit(r, Kreq);
}

/* One whole message in b[0..n): unpack and dispatch it. */
static void
message(StyxConn *c, uint8_t *b, long n)
{
	StyxReq *r;
	int e;

	r = calloc(1, sizeof *r);
	if(r == NULL){
		free(b);
		return;
	}
	r->ibuf = b;
	r->isize = n + sizeof *r;
	r->conn = c;
	charge(c, r->isize);
	e = styx_unpack(b, n, &r->ifcall);
	if(e < 0){
		r->ifcall.tag = get16(b+5);
		refuse(c, r, styx_strerror(e));
		return;
	}
	trace(c, "<-", &r->ifcall);
	dispatch(c, r);
}

static StyxConn *hlist;	/* the poller's: connections that set heldstop */

static void
hlistdel(StyxConn *c)
{
	StyxConn **l;

	for(l = &hlist; *l != NULL; l = &(*l)->hnext)
		if(*l == c){
			*l = c->hnext;
			break;
		}
	c->inhlist = 0;
}

/* The export's held bytes fell below HELDMAX: read again what stopped
 * for them.  A connection on the list cannot end meanwhile: only the
 * poller hangs up, and takes it off the list first. */
static void
heldwake(void)
{
	StyxConn *c, **l;
	uint64_t v;
	int stop;

	if(read(heldfd, &v, sizeof v) < 0){
		/* nothing pending */
	}
	l = &hlist;
	while((c = *l) != NULL){
		pthread_mutex_lock(&c->lk);
		resume(c);
		stop = c->heldstop;
		pthread_mutex_unlock(&c->lk);
		if(stop)
			l = &c->hnext;
		else{
			*l = c->hnext;
			c->inhlist = 0;
		}
	}
}

/* The client went (rc 0) or broke the connection or the protocol (-1):
 * no more reading; pending requests are flushed, then the end comes. */
static void
hangup(StyxConn *c, int rc)
{
	epoll_ctl(pool.epfd, EPOLL_CTL_DEL, c->fd, NULL);
	if(c->inhlist)
		hlistdel(c);
	pthread_mutex_lock(&c->lk);
	if(c->heldstop){
		c->heldstop = 0;
		atomic_fetch_sub(&nheldstop, 1);
	}
	c->eof = 1;
	c->rc = rc;
	flushactive(c);
	settled(c);
	pthread_mutex_unlock(&c->lk);
}

/* Reads what has arrived, once (level-triggered: more comes on the next
 * wake); a message is complete when its size[4] bytes are in.  A
 * connection not read still reports a hangup (EPOLLHUP, EPOLLERR): its
 * client has gone, and what it left in the socket is not read (it was,
 * past every bound: 60000 Treads of 23 bytes in an 8 MB send buffer
 * held 85 MB, export_attack 24). */
static void
input(StyxConn *c, uint32_t events)
{
	uint32_t size;
	long n;
	int pause, bad;

	if(events & (EPOLLHUP | EPOLLERR)){
		pthread_mutex_lock(&c->lk);
		pause = c->paused;
		pthread_mutex_unlock(&c->lk);
		if(pause){
			hangup(c, 0);
			return;
		}
	}
	if(c->msg == NULL){
		n = read(c->fd, c->hdr + c->nhdr, 4 - c->nhdr);
		if(n <= 0){
			if(n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			hangup(c, n == 0 && c->nhdr == 0 ? 0 : -1);
			return;
		}
		c->nhdr += n;
		if(c->nhdr < 4)
			return;
		size = get32(c->hdr);
		pthread_mutex_lock(&c->lk);
		bad = size < 7 || size > c->msize;
		pthread_mutex_unlock(&c->lk);
		if(bad){
			hangup(c, -1);
			return;
		}
		c->msg = malloc(size);
		if(c->msg == NULL){
			hangup(c, -1);
			return;
		}
		memcpy(c->msg, c->hdr, 4);
		c->nmsg = 4;
		c->msgsize = size;
		return;
	}
	n = read(c->fd, c->msg + c->nmsg, c->msgsize - c->nmsg);
	if(n <= 0){
		if(n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		hangup(c, -1);
		return;
	}
	c->nmsg += n;
	if(c->nmsg < c->msgsize)
		return;
	n = c->msgsize;
	c->nhdr = 0;
	message(c, c->msg, n);	/* takes the buffer */
	c->msg = NULL;
	pthread_mutex_lock(&c->lk);
	if(!c->heldstop && !c->eof && overall(c)){
		c->heldstop = 1;
		atomic_fetch_add(&nheldstop, 1);
		/* a worker that took held below HELDMAX before that saw no
		 * heldstop connection to wake: look again after counting */
		if(atomic_load(&held) < HELDMAX){
			c->heldstop = 0;
			atomic_fetch_sub(&nheldstop, 1);
		}else if(!c->inhlist){
			c->inhlist = 1;
			c->hnext = hlist;
			hlist = c;
		}
	}
	pause = overheld(c) || c->vreq != NULL || c->heldstop;
	if(pause && !c->eof && !c->paused){
		c->paused = 1;
		atomic_fetch_add(&npaused, 1);
		watch(c, 0);
	}
	pthread_mutex_unlock(&c->lk);
}

static void *
poller(void *a)
{
	struct epoll_event ev[64];
	int i, n;

	(void)a;
	for(;;){
		n = epoll_wait(pool.epfd, ev, 64, -1);
		for(i = 0; i < n; i++)
			if(ev[i].data.ptr == &heldfd)
				heldwake();
			else
				input(ev[i].data.ptr, ev[i].events);
	}
	return NULL;
}

static void
poolinit(void)
{
	struct epoll_event ev;
	pthread_attr_t attr;
	pthread_t t;

	pool.epfd = epoll_create1(EPOLL_CLOEXEC);
	if(pool.epfd < 0)
		return;
	heldfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = &heldfd;
	if(heldfd < 0 || epoll_ctl(pool.epfd, EPOLL_CTL_ADD, heldfd, &ev) < 0){
		if(heldfd >= 0)
			close(heldfd);
		heldfd = -1;
		close(pool.epfd);
		pool.epfd = -1;
		return;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if(pthread_create(&t, &attr, poller, NULL) != 0){
		close(pool.epfd);
		pool.epfd = -1;
	}
	pthread_attr_destroy(&attr);
}

int
styx_serveasync(StyxSrv *srv, int fd, void (*done)(void *arg, int rc), void *arg)
{
	struct epoll_event ev;
	struct timeval tv;
	StyxConn *c;

	pthread_once(&poolonce, poolinit);
	if(pool.epfd < 0)
		return -1;
	c = calloc(1, sizeof *c);
	if(c == NULL)
		return -1;
	c->endreq = calloc(1, sizeof *c->endreq);
	if(c->endreq == NULL){
		free(c);
		return -1;
	}
	c->endreq->conn = c;
	c->srv = srv;
	c->fd = fd;
	c->done = done;
	c->donearg = arg;
	c->msize = srv->msize ? srv->msize : STYX_DEFMSIZE;
	if(c->msize < STYX_MINMSIZE)
		c->msize = STYX_MINMSIZE;
	if(c->msize > STYX_MAXMSIZE)
		c->msize = STYX_MAXMSIZE;
	c->maxworkers = srv->maxworkers > 0 ? srv->maxworkers : 16;
	c->maxfids = srv->maxfids > 0 ? srv->maxfids : MAXFIDS;
	pthread_mutex_init(&c->lk, NULL);
	pthread_mutex_init(&c->wlk, NULL);
	/* replies block a worker at most this long (sockets only) */
	tv.tv_sec = SENDSECS;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	pthread_mutex_lock(&pool.lk);
	if(pool.nconns >= POOLCONNS){
		pthread_mutex_unlock(&pool.lk);
		pthread_mutex_destroy(&c->lk);
		pthread_mutex_destroy(&c->wlk);
		free(c->endreq);
		free(c);
		errno = EAGAIN;
		return -1;
	}
	c->pnext = pool.conns;
	pool.conns = c;
	pool.nconns++;
	pthread_mutex_unlock(&pool.lk);
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = c;
	if(epoll_ctl(pool.epfd, EPOLL_CTL_ADD, fd, &ev) < 0){
		unlinkconn(c);
		pthread_mutex_destroy(&c->lk);
		pthread_mutex_destroy(&c->wlk);
		free(c->endreq);
		free(c);
		return -1;
	}
	return 0;
}

typedef struct Waiter {
	pthread_mutex_t lk;
	pthread_cond_t cv;
	int done, rc;
} Waiter;

static void
wake(void *a, int rc)
{
	Waiter *w = a;

	pthread_mutex_lock(&w->lk);
	w->done = 1;
	w->rc = rc;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->lk);
}

int
styx_serve(StyxSrv *srv, int fd)
{
	Waiter w;

	memset(&w, 0, sizeof w);
	pthread_mutex_init(&w.lk, NULL);
	pthread_cond_init(&w.cv, NULL);
	if(styx_serveasync(srv, fd, wake, &w) < 0)
		return -1;
	pthread_mutex_lock(&w.lk);
	while(!w.done)
		pthread_cond_wait(&w.cv, &w.lk);
	pthread_mutex_unlock(&w.lk);
	pthread_mutex_destroy(&w.lk);
	pthread_cond_destroy(&w.cv);
	return w.rc;
}

const char *
styx_park(StyxReq *r)
{
	pthread_mutex_lock(&r->conn->lk);
	r->park = Pparking;
	r->parked = 1;
	/* its fid's clunk or remove came while it ran, before it parked:
	 * it gives up as unparkfid's do (it was passed over then, and
	 * a mounted server that never answers held it, and its fid,
	 * for good: export_attack 31).  The callback looks at flushed
	 * after this. */
	if((r->ifcall.type == Tread || r->ifcall.type == Twrite) && r->fid != NULL && r->fid->gone)
		atomic_store(&r->flushed, 1);
	pthread_mutex_unlock(&r->conn->lk);
	atomic_fetch_add(&nparked, 1);
	return Sparked;
}

void
styx_unpark(StyxReq *r)
{
	StyxConn *c;
	int now;

	c = r->conn;
	atomic_fetch_sub(&nparked, 1);
	atomic_fetch_add(&nunparks, 1);
	pthread_mutex_lock(&c->lk);
	now = r->park == Pparked;
	r->park = now ? Prun : Prerun;
	pthread_mutex_unlock(&c->lk);
	if(now)
		submit(r, Kreq);
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

void
styx_srvstats(StyxSrvStats *st)
{
	memset(st, 0, sizeof *st);
	st->held = atomic_load(&held);
	st->heldmax = HELDMAX;
	st->connheld = CONNHELD;
	st->heldfloor = HELDFLOOR;
	st->heldstopped = atomic_load(&nheldstop);
	st->paused = atomic_load(&npaused);
	st->sharedmax = POOLSHARED;
	st->poolmax = POOLMAX;
	st->connsmax = POOLCONNS;
	st->parked = atomic_load(&nparked);
	st->unparks = atomic_load(&nunparks);
	pthread_mutex_lock(&pool.lk);
	st->conns = pool.nconns;
	st->workers = pool.nworkers;
	st->running = pool.nrun;
	st->shared = pool.nshared;
	pthread_mutex_unlock(&pool.lk);
}
