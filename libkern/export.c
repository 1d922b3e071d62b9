/*
 * export.c — kexport: serve a subtree of the namespace to a 9P2000
 * client with the libstyx server core.  Every fid is a Chan reached from
 * the exported directory by the kernel's own walk, so mounts and unions
 * inside it are served too, and `..` never climbs above it.
 *
 * The core runs callbacks on its worker threads, one pool shared by every
 * connection; each worker acts as a kernel proc of its own, made on first
 * use and freed when the thread ends, and takes on the namespace, fds and
 * environment of the export it serves at each request (xproc), but
 * never uses the fds: fd numbers a client writes (passfd, #s) or opens
 * (/fd/N) are refused, since they would name the exporter's files.  Tflush
 * interrupts the worker's proc (kinterrupt), so a blocked read gives up.
 *
 * Requests run concurrently, several on one fid: each takes its own
 * reference to the fid's Chan (xref) and uses only that, so a walk in
 * place, an open or a clunk that replaces or drops the fid's Chan never
 * pulls it from under another.  Requests that change what a fid is
 * (open, create, walk in place) are one at a time per fid.
 *
 * The client is unauthenticated, so it acts as Plan 9's "none" (the
 * workers' user): the devices' own permission checks then keep it from
 * the console, other procs' ctl files and global settings.  Each
 * connection is a sandbox of its own (NEWBOX), which its workers take
 * on at each request: its #p shows the connection's own procs only
 * (never pid 1, the exporter, other clients' workers or the guests).
 * Its #s is the exporter's registry: /srv is part of the namespace it
 * was given (a client opens the exporter's posts; it cannot post, as it
 * has no fds).
 *
 * Qids are the export's own: devices number their files independently
 * (every device root is path 0), and clients use qid.path as an inode
 * number, so each (device, instance, path) gets a fresh path, which it
 * keeps while the export remembers it: in walks, opens, stats and
 * directory reads alike (xdirfix).  The map is bounded (QHASH x QCHAIN
 * entries, about 1.5 MB, plus one per fid), so a client walking to or
 * listing file after file cannot make the host hold memory without
 * bound: a bucket forgets the file least recently shown, which gets a
 * new path (never one in use) if it is shown again.  A file a fid
 * refers to is pinned, never forgotten: it keeps its path while the
 * client holds it, however many files it is shown meanwhile.
 *
 * Remote clients cannot use up the host process's descriptors: a
 * connection holds one (its socket) and an open fid may (a #U file, a
 * socket), so together the exports may hold a quarter of the process's
 * descriptor limit (xbudget), one connection's open fids a quarter of
 * that.  Past it a Topen or Tcreate gets "too many open files", and a
 * new connection an Rerror "too many connections" and a hangup.  Nor can
 * they take every conversation of #I: a connection, a sandbox, has 1024
 * of a protocol, and the clients of every export 4096 together (devip.c
 * Remoteconv); past it an open of a clone gets "no free conversations".
 * Nor their memory: a connection has 4096 fids, and every export's
 * clients 32768 together (xfidtake); past it an attach or a walk to a
 * new fid gets "too many fids".  Requests read and not answered hold at
 * most 2 MB a connection and 32 MB (and 128 KB a connection) over all:
 * past it a connection is not read until its own are answered; a read
 * or write that would wait on a device with a readiness test, or for a
 * mounted server's reply, holds no worker (parking, below); and
 * requests blocked in callbacks (host files, a mounted server's
 * directories, stats, walks) hold at most 16 workers a connection
 * and 64 beyond each connection's first over all, so a new client
 * always gets a worker (libstyx server.c CONNHELD, HELDMAX, POOLSHARED)
 * or, when the pool serves 512 connections (POOLCONNS) of every export
 * and server in the process, "too many connections" and a hangup.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "net.h"
#include "styx.h"

enum {
	XMSIZE = 64*1024 + STYX_IOHDRSZ,
	QHASH = 1024,		/* qid map buckets */
	QCHAIN = 32,		/* entries a bucket keeps: 32768 an export */
	XFIDS = 32768,		/* fids of every export's clients together */
};

static char Enone[] = "none";		/* the user of an unauthenticated client */
static char Econns[] = "too many connections";
static char Efids[] = "too many fids";
static char Ebusy[] = "fid busy: another request is changing it";
static char Eoffset[] = "negative offset";

typedef struct Export Export;
typedef struct Xfid Xfid;
typedef struct Xreq Xreq;
typedef struct Xqid Xqid;

/* One file the export has shown, and the path it was given. */
struct Xqid {
	Xqid *next;
	int pins;		/* fids referring to it: not forgotten while > 0 */
	int type;		/* devtab index */
	uint dev;
	uvlong path;		/* the device's */
	uvlong xpath;		/* the export's */
};

struct Export {
	Chan *root;		/* the exported directory */
	Proc *proc;		/* serving; parent of the workers' procs */
	int hostfd;		/* the connection */
	StyxSrv srv;
	pthread_mutex_t qlk;	/* qmap, nextpath */
	Xqid *qmap[QHASH];
	uvlong nextpath;
	atomic_int nopen;	/* open fids, counted in xheld */
};

struct Xfid {
	pthread_mutex_t lk;	/* c, depth, busy */
	Chan *c;		/* NULL once removed */
	Xqid *pin;		/* c's entry in the qid map (qlk), pinned */
	int depth;		/* names below the root: `..` stops at 0 */
	int busy;		/* an open, create or walk in place is running */
	int held;		/* c is open: counted in e->nopen and xheld */
	Export *e;
	int pgoing;		/* one of its parked requests runs again (xpk.lk) */
	uint pscan;		/* the parker's look that passed over one of them */
};

struct Xreq {
	Proc *p;		/* the worker running it, while it runs (xlk) */
	uchar *stat;		/* Tstat: the buffer r->d points into */
	/* a read or write parked (xpark): on the parker's list, in the
	 * order parked, until its callback returns without parking again;
	 * all but inlist under xpk.lk (inlist: r's worker's alone) */
	StyxReq *r;
	Xfid *xf;
	Chan *pc;		/* what it waits on (a reference), while parked */
	int events;		/* KPREAD or KPWRITE */
	int inlist;
	int going;		/* unparked: its callback runs again */
	int holds;		/* and holds xf->pgoing */
	uvlong okey;		/* the object it waits on (xpk.lk): see objkey */
	int futile;		/* runs again that found it would wait after all */
	long wdone;		/* a parked write's bytes written so far (its worker's) */
	/* a read or write of a mounted file (#M): its Tread or Twrite in
	 * flight (xmnt), the count it asked (its worker's); its outcome
	 * known (xmntdone); how it is parked (xpk.lk): 1 for the reply,
	 * 2 flushed, the server told (Tflush), for the reply or Rflush */
	StyxCall *call;
	long mn;
	atomic_int mready;
	int mw;
	int ismnt;		/* on the list as a mounted file's (xpk.lk) */
	Xreq *pnext, *pprev;
	Xreq *gonext;		/* the parker's: unparked in this look */
};

static pthread_mutex_t xlk = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t xonce = PTHREAD_ONCE_INIT;
static pthread_key_t xkey;

/* --- descriptors held for remote clients ------------------------------ */

static atomic_int xheld;	/* connections and open fids of every export */

/* What the exports may hold together: a quarter of the descriptor limit
 * (read each time, so a change of it counts). */
static int
xbudget(void)
{
	struct rlimit rl;

	if(getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 1 << 22)
		return 1 << 20;
	return rl.rlim_cur < 64 ? 16 : (int)(rl.rlim_cur / 4);
}

/* Take one from the budget for e's open fid, or for a connection when
 * e is NULL; -1 when there is none left (or e has its share). */
static int
xtake(Export *e)
{
	int lim;

	lim = xbudget();
	if(e != NULL && atomic_fetch_add(&e->nopen, 1) >= lim / 4){
		atomic_fetch_sub(&e->nopen, 1);
		return -1;
	}
	if(atomic_fetch_add(&xheld, 1) >= lim){
		atomic_fetch_sub(&xheld, 1);
		if(e != NULL)
			atomic_fetch_sub(&e->nopen, 1);
		return -1;
	}
	return 0;
}

static void
xgive(Export *e)
{
	if(e != NULL)
		atomic_fetch_sub(&e->nopen, 1);
	atomic_fetch_sub(&xheld, 1);
}

/* A connection over the budget is told why before the hangup; the write
 * of a few bytes to a fresh socket does not wait (if it would, it is
 * dropped). */
static void
xrefuse(int hfd)
{
	uchar buf[128];
	Fcall f;
	size_t n;

	memset(&f, 0, sizeof f);
	f.type = Rerror;
	f.tag = STYX_NOTAG;
	f.ename = Econns;
	n = styx_pack(&f, buf, sizeof buf);
	if(n > 0)
		send(hfd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
xthreadend(void *p)
{
	kprocfree(p);
}

static void
xkeyinit(void)
{
	pthread_key_create(&xkey, xthreadend);
}

/* The calling worker's proc, made on first use, with e's groups. */
static void
xproc(Export *e)
{
	Proc *p, *ep;

	if(up == NULL){
		pthread_once(&xonce, xkeyinit);
		up = e->proc;
		p = kprocnew(0);
		up = p;
		if(p == NULL)
			abort();	/* kprocnew fails only without a parent */
		snprintf(p->name, sizeof p->name, "exportwork");
		snprintf(p->user, sizeof p->user, "%s", Enone);
		/* the client's "passfd 3", "/fd/3", a #s post would name the
		 * export's files (a KEXPWAIT export's are its caller's): a
		 * remote client has none */
		p->remote = 1;
		pthread_setspecific(xkey, p);
	}
	ep = e->proc;
	if(up->box != ep->box){
		/* its #p: the connection's sandbox (procvisible reads box
		 * under proclk) */
		pthread_mutex_lock(&kern.proclk);
		up->box = ep->box;
		pthread_mutex_unlock(&kern.proclk);
	}
	up->srvbox = ep->srvbox;	/* its #s: the exporter's */
	if(up->acct != ep->acct){	/* its descriptors: the connection's account */
		kboxput(up->acct);
		up->acct = kboxacct(ep);
	}
	if(up->pgrp != ep->pgrp){
		incref(&ep->pgrp->ref);
		closepgrp(up->pgrp);
		up->pgrp = ep->pgrp;
	}
	if(up->fgrp != ep->fgrp){
		incref(&ep->fgrp->ref);
		closefgrp(up->fgrp);
		up->fgrp = ep->fgrp;
	}
	if(up->egrp != ep->egrp){
		incref(&ep->egrp->ref);
		closeegrp(up->egrp);
		up->egrp = ep->egrp;
	}
}

static Export *
xexport(StyxReq *r)
{
	return styx_connsrv(r->conn)->aux;
}

/* Every callback starts here: a proc, no stale interrupt, and the
 * request findable by flush. */
static const char *
xbegin(StyxReq *r)
{
	Xreq *x;

	xproc(xexport(r));
	kclearinterrupt(up);
	x = r->aux;	/* a parked request's, run again */
	if(x == NULL){
		x = kzalloc(sizeof *x);
		x->r = r;
	}
	pthread_mutex_lock(&xlk);
	x->p = up;
	r->aux = x;
	pthread_mutex_unlock(&xlk);
	if(atomic_load(&r->flushed))
		return Eintr;
	return NULL;
}

static void xunlist(Xreq *x);

static const char *
xend(StyxReq *r, const char *err)
{
	Xreq *x;

	pthread_mutex_lock(&xlk);
	x = r->aux;
	if(x != NULL)
		x->p = NULL;
	pthread_mutex_unlock(&xlk);
	if(x != NULL)
		xunlist(x);	/* was parked: done now */
	return err;
}

static const char *
xerr(void)
{
	return up->errstr;	/* the worker's: valid until its next call */
}

static atomic_long nxqid;	/* entries in every export's qmap (the tests') */

/* The entry of the export's map for path q of device instance (type,
 * dev), made if need be, moved to the front of its bucket (recently
 * shown); qlk held.  A bucket keeps at most QCHAIN entries no fid pins,
 * the most recently shown: one pinned while others were added becomes
 * unpinned later, so more than one may go at a time.  Pinned ones, at
 * most one a fid, may pass QCHAIN. */
static Xqid *
xlookup(Export *e, int type, uint dev, uvlong q)
{
	Xqid *x, **b, **l;
	uvlong h;
	int n;

	h = (q * 0x9E3779B97F4A7C15ULL) ^ ((uvlong)type << 40) ^ dev;
	b = &e->qmap[(h ^ h >> 29) % QHASH];
	for(l = b; (x = *l) != NULL; l = &x->next)
		if(x->type == type && x->dev == dev && x->path == q){
			*l = x->next;
			x->next = *b;
			*b = x;
			return x;
		}
	x = kzalloc(sizeof *x);
	x->type = type;
	x->dev = dev;
	x->path = q;
	x->xpath = e->nextpath++;
	x->next = *b;
	*b = x;
	atomic_fetch_add(&nxqid, 1);
	/* the new entry counts: the caller pins it, or not */
	n = 0;
	for(l = b; (x = *l) != NULL; )
		if(x->pins == 0 && ++n > QCHAIN){
			*l = x->next;
			free(x);
			atomic_fetch_sub(&nxqid, 1);
		}else
			l = &x->next;
	return *b;
}

/* The export's path for path q of device instance (type, dev). */
static uvlong
xpath(Export *e, int type, uint dev, uvlong q)
{
	uvlong p;

	pthread_mutex_lock(&e->qlk);
	p = xlookup(e, type, dev, q)->xpath;
	pthread_mutex_unlock(&e->qlk);
	return p;
}

/* The fid refers to c now: its entry is pinned, the last one's not. */
static void
xpin(Xfid *f, Chan *c)
{
	Export *e = f->e;

	pthread_mutex_lock(&e->qlk);
	if(f->pin != NULL)
		f->pin->pins--;
	f->pin = NULL;
	if(c != NULL){
		f->pin = xlookup(e, c->type, c->dev, c->qid.path);
		f->pin->pins++;
	}
	pthread_mutex_unlock(&e->qlk);
}

long
kexportqids(void)
{
	return atomic_load(&nxqid);
}

static void
freeqmap(Export *e)
{
	Xqid *x, *next;
	int i;

	for(i = 0; i < QHASH; i++)
		for(x = e->qmap[i]; x != NULL; x = next){
			next = x->next;
			free(x);
			atomic_fetch_sub(&nxqid, 1);
		}
}

/* c's qid as the client sees it. */
static StyxQid
sqid(Export *e, Chan *c)
{
	StyxQid s;

	s.path = xpath(e, c->type, c->dev, c->qid.path);
	s.vers = c->qid.vers;
	s.type = c->qid.type;
	return s;
}

/*
 * The fids of every export together: each holds a Chan and its path
 * (about 1.2 KB with the rest), and a connection may have 4096 (libstyx
 * MAXFIDS) while the connections are bounded only by the descriptor
 * budget, so clients walking fid after fid made the host hold memory
 * without bound (252b5b3: 50 connections of 4095 fids, +232 MB; the
 * budget of a limit of 20,000 lets 5000 connect).  Past XFIDS (~40 MB)
 * an attach or a walk to a new fid gets "too many fids".
 */
static atomic_int xfids;

static int
xfidtake(void)
{
	if(atomic_fetch_add(&xfids, 1) >= XFIDS){
		atomic_fetch_sub(&xfids, 1);
		return -1;
	}
	return 0;
}

/* The number of fids the exports hold, for the tests. */
long
kexportfids(void)
{
	return atomic_load(&xfids);
}

/* A new fid's Xfid: the caller took its xfidtake. */
static Xfid *
newxfid(Export *e, Chan *c, int depth)
{
	Xfid *x;

	x = kzalloc(sizeof *x);
	pthread_mutex_init(&x->lk, NULL);
	x->c = c;
	x->depth = depth;
	x->e = e;
	xpin(x, c);
	return x;
}

/* A reference to the fid's Chan for this request, or NULL (the fid
 * was removed under it).  With busy set, the caller is the one request
 * allowed to change the fid until xrelease. */
static Chan *
xref(StyxReq *r, int *depth, int busy, const char **err)
{
	Xfid *x;
	Chan *c;

	x = r->fid->aux;
	pthread_mutex_lock(&x->lk);
	c = x->c;
	if(c == NULL || (busy && x->busy)){
		pthread_mutex_unlock(&x->lk);
		*err = c == NULL ? Enonexist : Ebusy;
		return NULL;
	}
	incref(&c->ref);
	if(depth != NULL)
		*depth = x->depth;
	if(busy)
		x->busy = 1;
	pthread_mutex_unlock(&x->lk);
	return c;
}

/* Ends a busy request: the fid becomes nc (if not NULL) at depth; held:
 * nc is open, with its share of the budget taken (xtake). */
static void
xrelease(StyxReq *r, Chan *nc, int depth, int held)
{
	Xfid *x;
	Chan *old;

	x = r->fid->aux;
	old = NULL;
	pthread_mutex_lock(&x->lk);
	if(nc != NULL){
		old = x->c;
		x->c = nc;
		x->depth = depth;
		if(x->held && !held)
			xgive(x->e);
		x->held = held;
	}
	if(nc != NULL)
		xpin(x, nc);	/* (x->lk before qlk) */
	x->busy = 0;
	pthread_mutex_unlock(&x->lk);
	if(old != NULL)
		cclose(old);
}

/* --- parking: reads and writes that would wait -------------------------
 *
 * A read of an empty pipe (or a pty, a socket, a watch queue) waits for
 * as long as the writer likes; on a worker it held the worker, and the
 * pool's workers are bounded (libstyx POOLSHARED): five clients with 16
 * such reads each left an honest client's read of its own pipe and the
 * write that would end it waiting for ever, on one connection, with no
 * worker to run the write.  So a read or write of a Chan whose device
 * has a readiness test (poll.c readytab) never waits on a worker: a read
 * is tried with knowait (no race with another reader between a test and
 * the read), a write (which must go whole, so is never cut short by
 * knowait) is tried once the device says it would not wait, and one
 * that would wait is parked (styx_park): the worker goes back to the
 * pool and the request goes on the parker's list.  One parker thread
 * for every export waits, as kpoll does, on pollwakeup (listed in poll.c
 * while anything is parked, so pollwakeup costs nothing more otherwise)
 * and the host fds the devices name, and runs again (styx_unpark) each
 * request whose Chan became ready, oldest first, at most one at a time
 * a fid (the one parked first gets the data first), or that was flushed
 * (then it gives up).  One that finds it would wait after all (another
 * reader took the data) parks again, in its place; after Xfutile such
 * runs (a device whose test says ready while its read would
 * wait) it waits on its worker as before, rather than spin.  A read or
 * write of a mounted server's file (#M) sends its Tread or Twrite and
 * parks until the reply, which runs it again (xmnt, xmntdone: the parker
 * is not woken for it, only for its flush).  Devices without a readiness
 * test (#U host files, #s …) wait on the worker as before.
 */
enum { Xfutile = 3 };

static struct {
	pthread_mutex_t lk;
	Xreq *head, *tail;	/* parked, the oldest first */
	int n;
	int npoll;		/* of them, waiting on a device (not a mounted file's) */
	atomic_int fd;		/* eventfd: the parker looks again (xflush reads it unlocked) */
	Poller w;		/* pollwakeup writes fd while listed */
} xpk = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0, -1, { NULL, NULL, -1, 0 } };
static pthread_once_t xpkonce = PTHREAD_ONCE_INIT;

static void
xpkwake(void)
{
	uint64_t one = 1;

	if(xpk.fd >= 0 && write(xpk.fd, &one, sizeof one) < 0){
		/* counter full: it will look anyway */
	}
}

/* x's run again is over (it parked again, or is done): the next of its
 * fid may go.  xpk.lk held. */
static void
xpkstop(Xreq *x)
{
	if(x->holds)
		x->xf->pgoing = 0;
	x->going = x->holds = 0;
}

/* Takes x off the list; xpk.lk held.  The Chan it waited on, if any, is
 * the caller's to close. */
static Chan *
xpkdel(Xreq *x)
{
	Chan *c;

	if(x->pprev != NULL)
		x->pprev->pnext = x->pnext;
	else
		xpk.head = x->pnext;
	if(x->pnext != NULL)
		x->pnext->pprev = x->pprev;
	else
		xpk.tail = x->pprev;
	x->pnext = x->pprev = NULL;
	xpk.n--;
	if(!x->ismnt)
		xpk.npoll--;
	xpkstop(x);
	c = x->pc;
	x->pc = NULL;
	return c;
}

/* Which object and direction a parked request waits on (one end of one
 * pipe, one socket), hashed: the parker runs one request an object at a
 * time, or a byte written to a pipe with 250 reads parked on it ran all
 * 250 again, 249 to park once more (2.8 ms of CPU a byte).  A collision
 * only delays a request to the parker's next look. */
static uvlong
objkey(Chan *c, int events)
{
	uvlong k;

	k = c->qid.path * 0x9e3779b97f4a7c15ULL;
	k ^= ((uvlong)c->type << 40) ^ ((uvlong)c->dev << 8) ^ (uvlong)events;
	return k * 0xff51afd7ed558ccdULL | 1;	/* 0 is an empty slot */
}

/* Is k in the set t (n slots, a power of two); with put, put it there. */
static int
keyset(uvlong *t, int n, uvlong k, int put)
{
	int i;

	for(i = (int)(k >> 33) & (n - 1); t[i] != 0; i = (i + 1) & (n - 1))
		if(t[i] == k)
			return 1;
	if(put)
		t[i] = k;
	return 0;
}

/* The parker: a plain thread, no proc (chanready needs none). */
static void *
xparker(void *a)
{
	struct pollfd *pf, one;
	Xreq *x, *go, **gol;
	uint64_t v;
	uvlong *kt;
	uint scan;
	int npf, nkt, nh, listed, hfd, fl;

	(void)a;
	pf = NULL;
	npf = 0;
	kt = NULL;
	nkt = 0;
	listed = 0;
	scan = 0;
	for(;;){
		if(read(xpk.fd, &v, sizeof v) < 0){
			/* nothing new */
		}
		pthread_mutex_lock(&xpk.lk);
		/* listed for pollwakeup only while a request waits on a
		 * device: a mounted file's reply wakes its own */
		if(listed && xpk.npoll == 0){
			pollerlist(&xpk.w, 0);
			listed = 0;
		}
		if(xpk.head == NULL){
			pthread_mutex_unlock(&xpk.lk);
			one.fd = xpk.fd;
			one.events = POLLIN;
			poll(&one, 1, -1);
			continue;
		}
		/* listed and armed before looking: a change after the look
		 * wakes us */
		if(xpk.npoll > 0){
			if(!listed)
				pollerlist(&xpk.w, 1);
			atomic_store(&xpk.w.armed, 1);
			listed = 1;
		}
		if(npf < xpk.n + 1){
			free(pf);
			npf = xpk.n + 64;
			pf = kmalloc(npf * sizeof pf[0]);
		}
		if(nkt < 2 * (xpk.n + 1)){
			free(kt);
			for(nkt = 64; nkt < 2 * (xpk.n + 1); nkt *= 2)
				;
			kt = kmalloc(nkt * sizeof kt[0]);
		}
		memset(kt, 0, nkt * sizeof kt[0]);
		for(x = xpk.head; x != NULL; x = x->pnext)
			if(x->holds)
				keyset(kt, nkt, x->okey, 1);
		pf[0].fd = xpk.fd;
		pf[0].events = POLLIN;
		nh = 1;
		go = NULL;
		gol = &go;
		scan++;
		for(x = xpk.head; x != NULL; x = x->pnext){
			if(x->going)
				continue;
			fl = atomic_load(&x->r->flushed);
			if(x->mw){
				/* a mounted file's: its reply runs it again
				 * (xmntdone); a flush once, to tell the server */
				if(!fl || x->mw == 2)
					continue;
			}else if(!fl){
				/* after the one of its fid going now, or one
				 * passed over in this look: in their order */
				if(x->xf->pgoing || x->xf->pscan == scan)
					continue;
				x->xf->pscan = scan;
				/* one of its object's runs again now: when
				 * that ends (parks again or is done), we look
				 * again */
				if(keyset(kt, nkt, x->okey, 0))
					continue;
				hfd = -1;
				if(chanready(x->pc, x->events, &hfd) == 0){
					if(hfd >= 0){
						pf[nh].fd = hfd;
						pf[nh].events = x->events & KPREAD ? POLLIN : POLLOUT;
						nh++;
					}
					continue;
				}
				x->holds = 1;
				x->xf->pgoing = 1;
				keyset(kt, nkt, x->okey, 1);
			}
			x->going = 1;
			x->gonext = NULL;
			*gol = x;
			gol = &x->gonext;
		}
		pthread_mutex_unlock(&xpk.lk);
		/* in the order parked; x may be gone once unparked */
		for(; go != NULL; go = x){
			x = go->gonext;
			styx_unpark(go->r);
		}
		poll(pf, nh, -1);
	}
	return NULL;
}

static void
xpkinit(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int fd;

	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if(fd < 0)
		return;
	xpk.w.fd = fd;
	xpk.fd = fd;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if(pthread_create(&t, &attr, xparker, NULL) != 0){
		xpk.fd = -1;
		close(fd);
	}
	pthread_attr_destroy(&attr);
}

/* Can r park (else it waits on its worker)? */
static int
xcanpark(StyxReq *r)
{
	Xreq *x = r->aux;

	if(x->futile >= Xfutile)
		return 0;
	pthread_once(&xpkonce, xpkinit);
	return xpk.fd >= 0;
}

/* r would wait for c (events): parked, holding c, in its place if it
 * was parked before, else last.  lied: its device's test says c is
 * ready while it would wait (a run again that found it would wait
 * counts as futile only then: a run that lost the data to another
 * reader is no spin, and counting it let a client that feeds its own
 * pipe a byte at a time put every other parked read of it back on a
 * worker, 71 workers held, export_attack 26).  mw: it waits for the
 * reply to its request to a mounted file (Xreq.mw), and runs again
 * at once if that came first.  What the callback returns. */
static const char *
xpark(StyxReq *r, Chan *c, int events, int lied, int mw)
{
	const char *s;
	Xreq *x;
	int now, fl;

	x = r->aux;
	pthread_mutex_lock(&xlk);
	x->p = NULL;	/* nothing to interrupt */
	pthread_mutex_unlock(&xlk);
	s = styx_park(r);	/* before the parker can see it */
	pthread_mutex_lock(&xpk.lk);
	if(x->going && lied)
		x->futile++;	/* it was said to be ready, and still is */
	x->pc = c;
	x->events = events;
	x->okey = objkey(c, events);
	x->xf = r->fid->aux;
	x->mw = mw;
	if(!x->inlist){
		x->inlist = 1;
		x->pprev = xpk.tail;
		x->pnext = NULL;
		if(xpk.tail != NULL)
			xpk.tail->pnext = x;
		else
			xpk.head = x;
		xpk.tail = x;
		xpk.n++;
		x->ismnt = mw != 0;
		if(!x->ismnt)
			xpk.npoll++;
	}
	xpkstop(x);
	/* the reply came while it parked: xmntdone saw it running */
	now = mw && atomic_load(&x->mready);
	if(now)
		x->going = 1;
	fl = atomic_load(&r->flushed);
	pthread_mutex_unlock(&xpk.lk);
	if(now)
		styx_unpark(r);
	else if(!mw || (mw == 1 && fl))
		xpkwake();	/* the parker looks: a flush runs it again */
	return s;
}

/* The outcome of a parked request's Tread or Twrite of a mounted file
 * is known (on the mount's reader, holding no lock; the request cannot
 * end before this returns, mntioend waits): it runs again, unless it
 * is running (xpark looks then). */
static void
xmntdone(void *a)
{
	Xreq *x = a;
	int now;

	atomic_store(&x->mready, 1);
	pthread_mutex_lock(&xpk.lk);
	now = x->inlist && !x->going;
	if(now)
		x->going = 1;
	pthread_mutex_unlock(&xpk.lk);
	if(now)
		styx_unpark(x->r);
}

/* The Chan a request parked on, to run it again (the list keeps its
 * place), or NULL. */
static Chan *
xparked(StyxReq *r)
{
	Xreq *x = r->aux;
	Chan *c;

	if(!x->inlist)
		return NULL;
	pthread_mutex_lock(&xpk.lk);
	c = x->pc;
	x->pc = NULL;
	pthread_mutex_unlock(&xpk.lk);
	return c;
}

/* What a read or write runs on: the Chan it parked on, or its fid's
 * (NULL: *err says why). */
static Chan *
xchan(StyxReq *r, const char **err)
{
	Chan *c = xparked(r);

	return c != NULL ? c : xref(r, NULL, 0, err);
}

/* A parked request is done (answered, or gave up): off the list; the
 * next on its fid may go. */
static void
xunlist(Xreq *x)
{
	Chan *c;
	int m;

	if(!x->inlist)
		return;
	pthread_mutex_lock(&xpk.lk);
	c = xpkdel(x);
	x->inlist = 0;
	m = x->ismnt;
	pthread_mutex_unlock(&xpk.lk);
	if(c != NULL)
		cclose(c);
	if(!m)
		xpkwake();	/* (a mounted file's held no fid's or object's turn) */
}

static int
wouldwait(void)
{
	return strcmp(up->errstr, Eagain) == 0;
}

/* Does c's device say a read or write (events) would not wait: ready,
 * or the other end gone? */
static int
xready(Chan *c, int events)
{
	int hfd;

	hfd = -1;
	return (chanready(c, events, &hfd) & (events | KPHUP)) != 0;
}

/* --- the callbacks ------------------------------------------------------ */

static const char *
xattach(StyxReq *r)
{
	Export *e;
	Chan *c;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	e = xexport(r);
	if(xfidtake() < 0)
		return xend(r, Efids);
	c = cclone(e->root);
	if(c == NULL){
		atomic_fetch_sub(&xfids, 1);
		return xend(r, xerr());
	}
	r->newfid->aux = newxfid(e, c, 0);
	r->ofcall.qid = sqid(e, c);
	return xend(r, NULL);
}

static const char *
xwalk(StyxReq *r)
{
	Xfid *x;
	Chan *c, *nc, *orig;
	const char *err;
	char *name;
	int i, n, depth, inplace;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	inplace = r->newfid == r->fid;
	c = xref(r, &depth, inplace, &err);
	if(c == NULL)
		return xend(r, err);
	orig = c;
	n = r->ifcall.nwname;
	err = NULL;
	for(i = 0; i < n; i++){
		name = r->ifcall.wname[i];
		if(name[0] == 0 || strchr(name, '/') != NULL){
			err = Efilename;
			break;
		}
		if(strcmp(name, ".") == 0 || (strcmp(name, "..") == 0 && depth == 0)){
			r->ofcall.wqid[i] = sqid(x->e, c);
			continue;
		}
		if(walkname(&c, &name, 1, 0) < 0){
			err = xerr();
			break;
		}
		depth += strcmp(name, "..") == 0 ? -1 : 1;
		r->ofcall.wqid[i] = sqid(x->e, c);
	}
	r->ofcall.nwqid = i;
	if(i < n){
		cclose(c);
		if(inplace)
			xrelease(r, NULL, 0, 0);
		return xend(r, i == 0 ? err : NULL);
	}
	if(c == orig){	/* nothing walked: the new fid needs its own Chan */
		nc = cclone(c);
		cclose(c);
		if(nc == NULL){
			if(inplace)
				xrelease(r, NULL, 0, 0);
			return xend(r, xerr());
		}
		c = nc;
	}
	if(inplace)
		xrelease(r, c, depth, 0);
	else if(xfidtake() < 0){
		cclose(c);
		return xend(r, Efids);
	}else
		r->newfid->aux = newxfid(x->e, c, depth);
	return xend(r, NULL);
}

/* The open is done on a clone, so requests still using the unopened
 * Chan keep it intact. */
static const char *
xopen(StyxReq *r)
{
	Xfid *x;
	Chan *c, *nc, *oc;
	const char *err;
	int depth;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	c = xref(r, &depth, 1, &err);
	if(c == NULL)
		return xend(r, err);
	if(xtake(x->e) < 0){
		cclose(c);
		xrelease(r, NULL, 0, 0);
		return xend(r, Emfile);
	}
	nc = cclone(c);
	cclose(c);
	if(nc == NULL){
		xgive(x->e);
		xrelease(r, NULL, 0, 0);
		return xend(r, xerr());
	}
	oc = openchan(nc, r->ifcall.mode);
	if(oc == NULL){
		cclose(nc);
		xgive(x->e);
		xrelease(r, NULL, 0, 0);
		return xend(r, xerr());
	}
	r->ofcall.qid = sqid(x->e, oc);
	xrelease(r, oc, depth, 1);
	return xend(r, NULL);
}

static const char *
xcreate(StyxReq *r)
{
	Xfid *x;
	Chan *c, *dc;
	const char *err;
	int depth;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	dc = xref(r, &depth, 1, &err);
	if(dc == NULL)
		return xend(r, err);
	if(xtake(x->e) < 0){
		cclose(dc);
		xrelease(r, NULL, 0, 0);
		return xend(r, Emfile);
	}
	c = createin(dc, r->ifcall.name, r->ifcall.mode | OEXCL, r->ifcall.perm);	/* takes dc */
	if(c == NULL){
		xgive(x->e);
		xrelease(r, NULL, 0, 0);
		return xend(r, xerr());
	}
	r->ofcall.qid = sqid(x->e, c);
	xrelease(r, c, depth + 1, 1);
	return xend(r, NULL);
}

static uvlong
get64(uchar *p)
{
	return (uvlong)(p[0] | p[1] << 8 | p[2] << 16 | (uint)p[3] << 24) |
		(uvlong)(p[4] | p[5] << 8 | p[6] << 16 | (uint)p[7] << 24) << 32;
}

static void
put64(uchar *p, uvlong v)
{
	int i;

	for(i = 0; i < 8; i++)
		p[i] = v >> 8*i;
}

/* If (type, dev, q) is a mount point of the export's namespace, what a
 * walk to it finds: the first member mounted there. */
static void
xcrossed(int *type, uint *dev, Qid *q)
{
	Pgrp *pg = up->pgrp;
	Mhead *mh;
	Chan *to;

	pthread_rwlock_rdlock(&pg->ns);
	for(mh = pg->mhead; mh != NULL; mh = mh->next)
		if(mh->from->type == *type && mh->from->dev == *dev && eqqid(mh->from->qid, *q)){
			if(mh->mount != NULL){
				to = mh->mount->to;
				*type = to->type;
				*dev = to->dev;
				*q = to->qid;
			}
			break;
		}
	pthread_rwlock_unlock(&pg->ns);
}

/*
 * A directory read gives each entry the qid a walk to its name gives
 * (clients that cache by qid, Plan 9's and Linux's v9fs, must see one
 * qid for one file): its device instance's path mapped as sqid maps a
 * Chan's, and for a mount point the mounted file's, as Plan 9's
 * mountfix does (a union's later member with the same name is another
 * file, which a walk never reaches).  Entries carry their device
 * (devdir's type and dev; devmnt's are its own, mntdirfix), so the
 * members of a union are told apart.  The path is rewritten in place:
 * the entry's size is unchanged.
 */
static void
xdirfix(Export *e, uchar *buf, long n)
{
	long k, m;
	uchar *p;
	int type;
	uint dev;
	Qid q;

	for(k = 0; n - k >= STATFIXLEN; k += m){
		p = buf + k;
		m = (p[0] | p[1] << 8) + BIT16SZ;
		if(m < STATFIXLEN || m > n - k)
			break;
		type = devno(p[2] | p[3] << 8, 0);
		if(type < 0)
			continue;	/* no device of ours: nothing walks to it either */
		dev = p[4] | p[5] << 8 | p[6] << 16 | (uint)p[7] << 24;
		q.type = p[8];
		q.vers = p[9] | p[10] << 8 | p[11] << 16 | (uint)p[12] << 24;
		q.path = get64(p + 13);
		xcrossed(&type, &dev, &q);
		p[8] = q.type;
		p[9] = q.vers;
		p[10] = q.vers >> 8;
		p[11] = q.vers >> 16;
		p[12] = q.vers >> 24;
		put64(p + 13, xpath(e, type, dev, q.path));
	}
}

/* 9P offsets are unsigned; the kernel's are signed: one at or past
 * 2^63 would reach a device as a negative offset. */
static int
offok(uvlong off, uint count)
{
	return off <= (uvlong)INT64_MAX && count <= INT64_MAX - off;
}

/*
 * A read or write of a mounted file (#M): its Tread or Twrite goes to
 * the server, and the request parks until the reply (xmntdone); run
 * again, it answers from the reply and never sends the request again.
 * A read is one Tread (at most the mount's iounit: a short read, as
 * a directory's); a write goes in pieces of what fits, one at a time,
 * until the server takes less than asked (none), as mntrdwr's.  Flushed
 * while its request is out (a Tflush, its fid's clunk, Tversion, the
 * hangup), it tells the server (Tflush) and waits, parked, for the
 * Rflush (then it gives up: for a Tflush only the Rflush is sent) or
 * the reply (then it answers from it, and the Rflush follows).  c is
 * the request's (closed here).  *sync: mntiostart said not now (half
 * the mount's tags in flight): the caller waits for it on its worker,
 * as before (a write: for the rest, from wdone).
 */
static const char *
xmnt(StyxReq *r, Chan *c, int type, int *sync)
{
	Xreq *x = r->aux;
	int ev, rc;
	long n, got;

	ev = type == Tread ? KPREAD : KPWRITE;
	*sync = 0;
	for(;;){
		if(x->call == NULL){
			n = type == Tread ? (long)r->ifcall.count : (long)r->ifcall.count - x->wdone;
			atomic_store(&x->mready, 0);
			rc = mntiostart(c, type, type == Twrite ? r->ifcall.data + x->wdone : NULL, &n,
				r->ifcall.offset + x->wdone, xmntdone, x, &x->call);
			if(rc == 0){
				*sync = 1;
				return NULL;
			}
			if(rc < 0)
				break;
			x->mn = n;
			return xpark(r, c, ev, 0, 1);
		}
		if(!atomic_load(&x->mready)){
			/* run again before its reply: flushed */
			mntiocancel(x->call);
			return xpark(r, c, ev, 0, 2);
		}
		got = mntioend(c, x->call, type, r->ofcall.data, x->mn);
		x->call = NULL;
		if(got < 0)
			break;
		if(type == Tread){
			cclose(c);
			r->ofcall.count = got;
			return xend(r, NULL);
		}
		x->wdone += got;
		if(got == 0 || x->wdone >= (long)r->ifcall.count || atomic_load(&r->flushed))
			break;
	}
	cclose(c);
	if(x->wdone > 0){
		/* what went, as an interrupted blocking write's */
		r->ofcall.count = x->wdone;
		return xend(r, NULL);
	}
	return xend(r, xerr());
}

static int
ismnt(Chan *c)
{
	return devtab[c->type]->dc == 'M' && !(c->qid.type & QTDIR);
}

static const char *
xread(StyxReq *r)
{
	Chan *c;
	Xreq *x;
	const char *err, *s;
	vlong off;
	long n;
	int pk, nw, fl, sync;

	fl = xbegin(r) != NULL;
	x = r->aux;
	if(x->call != NULL)	/* a mounted file's, parked: its reply, or flushed */
		return xmnt(r, xparked(r), Tread, &sync);
	if(fl)
		return xend(r, Eintr);
	if(!offok(r->ifcall.offset, 0))
		return xend(r, Eoffset);
	if((c = xchan(r, &err)) == NULL)
		return xend(r, err);
	off = r->ifcall.offset;
	n = r->ifcall.count;
	if(n > INT64_MAX - off)
		n = INT64_MAX - off;
	if(c->qid.type & QTDIR){
		n = kchanread(c, r->ofcall.data, n, &off);
		if(n > 0)
			xdirfix(xexport(r), r->ofcall.data, n);
	}else if(n > 0 && ismnt(c) && xcanpark(r)){
		/* a read of a mounted file parks until the server answers */
		s = xmnt(r, c, Tread, &sync);
		if(!sync)
			return s;
		n = devtab[c->type]->read(c, r->ofcall.data, n, off);
	}else if(n > 0 && (pk = chanpollable(c)) != 0 && xcanpark(r)){
		/* a read that would wait is parked, not waited for */
		if(pk == 2 && !xready(c, KPREAD))
			return xpark(r, c, KPREAD, 0, 0);
		nw = up->nowait;
		up->nowait = pk == 1;
		n = devtab[c->type]->read(c, r->ofcall.data, n, off);
		up->nowait = nw;
		if(n < 0 && pk == 1 && wouldwait())
			return xpark(r, c, KPREAD, xready(c, KPREAD), 0);
	}else
		n = devtab[c->type]->read(c, r->ofcall.data, n, off);
	cclose(c);
	if(n < 0)
		return xend(r, xerr());
	r->ofcall.count = n;
	return xend(r, NULL);
}

static const char *
xwrite(StyxReq *r)
{
	Chan *c;
	Xreq *x;
	const char *err, *s;
	long n, done;
	int hfd, pk, nw, sync, fl;

	fl = xbegin(r) != NULL;
	x = r->aux;
	if(x->call != NULL){
		/* a mounted file's, parked: its reply (flushed: it told the
		 * server and waits for its answer).  A piece after the first
		 * that finds half the mount's tags in flight: the rest waits
		 * on the worker, below (returning then answered the write
		 * with no count and left it on the parker's list, freed:
		 * export_attack 30) */
		c = xparked(r);
		s = xmnt(r, c, Twrite, &sync);
		if(!sync)
			return s;
	}else if(fl){
		/* flushed: what a parked write wrote is answered, as an
		 * interrupted blocking write's is */
		if(x->wdone == 0)
			return xend(r, Eintr);
		r->ofcall.count = x->wdone;
		return xend(r, NULL);
	}else{
		if(!offok(r->ifcall.offset, r->ifcall.count))
			return xend(r, Eoffset);
		if((c = xchan(r, &err)) == NULL)
			return xend(r, err);
		if(r->ifcall.count > 0 && ismnt(c) && xcanpark(r)){
			/* a write to a mounted file parks until the server
			 * answers; not now: the rest waits on the worker,
			 * below */
			s = xmnt(r, c, Twrite, &sync);
			if(!sync)
				return s;
		}
	}
	/* a write that would wait is parked.  A pipe's, with room for
	 * part of it, writes that part under knowait and parks for the
	 * rest (a write let go by room for part of it that waited on its
	 * worker for the rest let a reader taking 4 KB of each of 70 full
	 * pipes put 70 parked writes on workers); others go whole once
	 * the test says they may (a datagram's knowait failure would lose
	 * the address its ctl set for it) */
	done = x->wdone;
	hfd = -1;
	pk = r->ifcall.count > 0 ? chanpollable(c) : 0;
	if(pk != 0 && xcanpark(r)){
		if(chanready(c, KPWRITE, &hfd) == 0)
			return xpark(r, c, KPWRITE, 0, 0);	/* the parker's test, which said ready: a race */
		if(devtab[c->type]->dc == '|'){
			nw = up->nowait;
			up->nowait = 1;
			n = devtab[c->type]->write(c, r->ifcall.data + done, r->ifcall.count - done, r->ifcall.offset + done);
			up->nowait = nw;
			if(n > 0)
				x->wdone = done += n;
			if(done < (long)r->ifcall.count && (n > 0 || wouldwait()))
				return xpark(r, c, KPWRITE, n <= 0 && xready(c, KPWRITE), 0);
			goto out;
		}
	}
	n = devtab[c->type]->write(c, r->ifcall.data + done, r->ifcall.count - done, r->ifcall.offset + done);
	if(n > 0)
		done += n;
out:
	cclose(c);
	if(n < 0 && done == 0)
		return xend(r, xerr());
	r->ofcall.count = done;
	return xend(r, NULL);
}

/*
 * Removes what the fid refers to, never whatever has its name now.  An
 * unopened Chan is a name: remove consumes a device's state, so a clone
 * is removed.  An open Chan is the file itself: the fid is already out of
 * the table, so the Chan is taken from it and the device removes it by
 * its identity; if other requests still use it, it is marked to go when
 * the last of them is done (as ORCLOSE).
 */
static const char *
xremove(StyxReq *r)
{
	Xfid *x;
	Chan *c, *nc;
	const char *err;
	int rc, depth;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	c = xref(r, &depth, 0, &err);
	if(c == NULL)
		return xend(r, err);
	if(depth == 0){
		cclose(c);
		return xend(r, Eperm);
	}
	/* a name something is bound or mounted on in the exported
	 * namespace is in use, as to the namespace's own processes
	 * (namec's Aremove; Inferno's kremove refuses it too): the
	 * device would remove the mounted tree's root, never the name */
	if(mountpoint(c) != NULL){
		cclose(c);
		return xend(r, Einuse);
	}
	if(!(c->flag & COPEN)){
		nc = cclone(c);
		cclose(c);
		if(nc == NULL)
			return xend(r, xerr());
		rc = devtab[nc->type]->remove(nc);
		nc->type = -1;
		cclose(nc);
		return xend(r, rc < 0 ? xerr() : NULL);
	}
	pthread_mutex_lock(&x->lk);
	if(x->c == c){
		x->c = NULL;
		decref(&c->ref);	/* the fid's; ours remains */
		if(x->held)
			xgive(x->e);
		x->held = 0;
	}
	pthread_mutex_unlock(&x->lk);
	pthread_mutex_lock(&c->lk);
	if(atomic_load(&c->ref) > 1){
		c->flag |= CRCLOSE;
		pthread_mutex_unlock(&c->lk);
		cclose(c);
		return xend(r, NULL);
	}
	pthread_mutex_unlock(&c->lk);
	rc = devtab[c->type]->remove(c);
	c->type = -1;
	cclose(c);
	return xend(r, rc < 0 ? xerr() : NULL);
}

static const char *
xstat(StyxReq *r)
{
	Xreq *xr;
	Chan *c;
	const char *err;
	uchar *buf;
	int n, m;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	c = xref(r, NULL, 0, &err);
	if(c == NULL)
		return xend(r, err);
	for(n = 256;; n = m){
		buf = kmalloc(n);
		m = cstat(c, buf, n);
		if(m < 0){
			free(buf);
			cclose(c);
			return xend(r, xerr());
		}
		if(m > BIT16SZ)
			break;
		m = (buf[0] | buf[1] << 8) + BIT16SZ;
		free(buf);
	}
	xr = r->aux;
	xr->stat = buf;
	if(styx_unpackdir(buf, m, &r->d) != m){
		cclose(c);
		return xend(r, Ebadstat);
	}
	r->d.qid.path = xpath(xexport(r), c->type, c->dev, r->d.qid.path);
	cclose(c);
	return xend(r, NULL);
}

static const char *
xwstat(StyxReq *r)
{
	Chan *c;
	const char *err;
	uchar *buf;
	size_t n;
	int rc;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	n = styx_dirsize(&r->d);
	if(n == 0)
		return xend(r, Ebadstat);
	c = xref(r, NULL, 0, &err);
	if(c == NULL)
		return xend(r, err);
	/* a name for a mount point (the device would rename the mounted
	 * tree's root, never the name): in use, as xremove's */
	if(r->d.name != NULL && r->d.name[0] != 0 && mountpoint(c) != NULL){
		cclose(c);
		return xend(r, Einuse);
	}
	buf = kmalloc(n);
	styx_packdir(&r->d, buf, n);
	rc = devtab[c->type]->wstat(c, buf, n);
	free(buf);
	cclose(c);
	return xend(r, rc < 0 ? xerr() : NULL);
}

/* Runs on the core's reader with the connection locked: no blocking. */
static void
xflush(StyxReq *old)
{
	Xreq *x;

	pthread_mutex_lock(&xlk);
	x = old->aux;
	if(x != NULL && x->p != NULL)
		kinterrupt(x->p);
	pthread_mutex_unlock(&xlk);
	/* a parked one (or one parking now: flushed is set before this)
	 * is run again by the parker, to give up */
	if(x != NULL)
		xpkwake();
}

static void
xdestroyfid(StyxFid *f)
{
	Xfid *x;

	x = f->aux;
	if(x == NULL)
		return;
	xproc(x->e);
	xpin(x, NULL);
	if(x->c != NULL)
		cclose(x->c);	/* ORCLOSE files go here, once no request uses them */
	if(x->held)
		xgive(x->e);
	pthread_mutex_destroy(&x->lk);
	free(x);
	atomic_fetch_sub(&xfids, 1);
}

static void
xdestroyreq(StyxReq *r)
{
	Xreq *x;

	x = r->aux;
	if(x == NULL)
		return;
	if(x->call != NULL){
		/* never: a parked request runs again until it took its
		 * outcome; the call is abandoned */
		Fcall rx;
		uint8_t *rb;
		char err[STYX_ERRMAX];

		if(styx_take(x->call, &rx, &rb, err) == 0)
			free(rb);
	}
	free(x->stat);
	free(x);
}

static const StyxSrvOps xops = {
	.attach = xattach,
	.walk = xwalk,
	.open = xopen,
	.create = xcreate,
	.read = xread,
	.write = xwrite,
	.remove = xremove,
	.stat = xstat,
	.wstat = xwstat,
	.flush = xflush,
	.destroyfid = xdestroyfid,
	.destroyreq = xdestroyreq,
};

/* --- serving ------------------------------------------------------------ */

static void
freeexport(Export *e)
{
	xgive(NULL);	/* the connection's */
	close(e->hostfd);
	cclose(e->root);
	freeqmap(e);
	pthread_mutex_destroy(&e->qlk);
	free(e);
}

/* KEXPASYNC: the connection has ended; on a worker of the pool. */
static void
exportdone(void *a, int rc)
{
	Export *e = a;
	Proc *p;

	(void)rc;
	xproc(e);
	p = e->proc;
	freeexport(e);
	kprocfree(p);	/* the groups live on while a worker's proc holds them */
}

int
kexport(int fd, char *dir, int flags)
{
	Export *e;
	Chan *c, *root;
	Proc *p;
	int hfd, full;

	if(up == NULL)
		return kseterr(Enoproc);
	if(atomic_load(&up->killed))
		return kseterr(Ekilled);
	if(flags & ~KEXPASYNC)
		return kseterr(Ebadarg);
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	root = namec(dir != NULL && dir[0] != 0 ? dir : "/", Atodir, 0, 0);
	if(root != NULL){
		/* a directory of #U: its clients are granted it alone (a
		 * link in it leads nowhere above it) */
		Chan *g = fsgrant(root, Grantnew);
		cclose(root);
		root = g;
	}
	if(root == NULL){
		cclose(c);
		return -1;
	}
	hfd = chanhostfd(c);
	cclose(c);
	if(hfd < 0){
		cclose(root);
		return -1;
	}
	if(xtake(NULL) < 0){
		xrefuse(hfd);
		close(hfd);
		cclose(root);
		return kseterr(Econns);
	}
	e = kzalloc(sizeof *e);
	e->root = root;
	e->hostfd = hfd;
	pthread_mutex_init(&e->qlk, NULL);
	e->nextpath = 1;
	e->srv.ops = &xops;
	e->srv.msize = XMSIZE;
	e->srv.aux = e;
	/* a proc for the groups (no fds: a client has none) that begins
	 * the connection's sandbox */
	e->proc = kprocnew(NEWFD | NEWBOX);
	if(e->proc == NULL){
		freeexport(e);
		return -1;
	}
	e->proc->srvbox = up->srvbox;	/* #s is the namespace's: the exporter's posts */
	snprintf(e->proc->name, sizeof e->proc->name, "export");
	if(flags & KEXPASYNC){
		/* no thread: the shared poller and pool */
		if(styx_serveasync(&e->srv, hfd, exportdone, e) < 0){
			full = errno == EAGAIN;
			if(full)
				xrefuse(hfd);
			kprocfree(e->proc);
			freeexport(e);
			return kseterr(full ? Econns : Elimit);
		}
		return 0;
	}
	if(styx_serve(&e->srv, e->hostfd) < 0 && errno == EAGAIN)
		xrefuse(hfd);
	p = e->proc;
	freeexport(e);
	kprocfree(p);
	return 0;
}
