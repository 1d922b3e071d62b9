/*
 * export.c — kexport: serve a subtree of the namespace to a 9P2000
 * client with the libstyx server core.  Every fid is a Chan reached from
 * the exported directory by the kernel's own walk, so mounts and unions
 * inside it are served too, and `..` never climbs above it.
 *
 * The core runs callbacks on its worker threads; each worker acts as a
 * kernel proc of its own (a child of the serving proc, sharing its
 * namespace), made on first use and freed when the thread ends.  Tflush
 * interrupts the worker's proc (kinterrupt), so a blocked read gives up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "net.h"
#include "styx.h"

enum { XMSIZE = 64*1024 + STYX_IOHDRSZ };

typedef struct Export Export;
typedef struct Xfid Xfid;
typedef struct Xreq Xreq;

struct Export {
	Chan *root;		/* the exported directory */
	Proc *proc;		/* serving; parent of the workers' procs */
	int hostfd;		/* the connection */
	StyxSrv srv;
};

struct Xfid {
	Chan *c;
	int depth;		/* names below the root: `..` stops at 0 */
	Export *e;
};

struct Xreq {
	Proc *p;		/* the worker running it, while it runs (xlk) */
	uchar *stat;		/* Tstat: the buffer r->d points into */
};

static pthread_mutex_t xlk = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t xonce = PTHREAD_ONCE_INIT;
static pthread_key_t xkey;

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

/* The calling worker's proc, made on first use. */
static void
xproc(Export *e)
{
	Proc *p;

	if(up != NULL)
		return;
	pthread_once(&xonce, xkeyinit);
	up = e->proc;
	p = kprocnew(0);
	up = p;
	if(p == NULL)
		abort();	/* kprocnew fails only without a parent */
	snprintf(p->name, sizeof p->name, "exportwork");
	pthread_setspecific(xkey, p);
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
	x = kzalloc(sizeof *x);
	pthread_mutex_lock(&xlk);
	x->p = up;
	r->aux = x;
	pthread_mutex_unlock(&xlk);
	if(atomic_load(&r->flushed))
		return Eintr;
	return NULL;
}

static const char *
xend(StyxReq *r, const char *err)
{
	Xreq *x;

	pthread_mutex_lock(&xlk);
	x = r->aux;
	if(x != NULL)
		x->p = NULL;
	pthread_mutex_unlock(&xlk);
	return err;
}

static const char *
xerr(void)
{
	return up->errstr;	/* the worker's: valid until its next call */
}

static StyxQid
sqid(Qid q)
{
	StyxQid s;

	s.path = q.path;
	s.vers = q.vers;
	s.type = q.type;
	return s;
}

static Xfid *
newxfid(Export *e, Chan *c, int depth)
{
	Xfid *x;

	x = kzalloc(sizeof *x);
	x->c = c;
	x->depth = depth;
	x->e = e;
	return x;
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
	c = cclone(e->root);
	if(c == NULL)
		return xend(r, xerr());
	r->newfid->aux = newxfid(e, c, 0);
	r->ofcall.qid = sqid(c->qid);
	return xend(r, NULL);
}

static const char *
xwalk(StyxReq *r)
{
	Xfid *x;
	Chan *c, *nc;
	const char *err;
	char *name;
	int i, n, depth;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	c = x->c;
	incref(&c->ref);
	depth = x->depth;
	n = r->ifcall.nwname;
	err = NULL;
	for(i = 0; i < n; i++){
		name = r->ifcall.wname[i];
		if(name[0] == 0 || strchr(name, '/') != NULL){
			err = Efilename;
			break;
		}
		if(strcmp(name, ".") == 0 || (strcmp(name, "..") == 0 && depth == 0)){
			r->ofcall.wqid[i] = sqid(c->qid);
			continue;
		}
		if(walkname(&c, &name, 1, 0) < 0){
			err = xerr();
			break;
		}
		depth += strcmp(name, "..") == 0 ? -1 : 1;
		r->ofcall.wqid[i] = sqid(c->qid);
	}
	r->ofcall.nwqid = i;
	if(i < n){
		cclose(c);
		return xend(r, i == 0 ? err : NULL);
	}
	if(c == x->c){	/* nothing walked: the new fid needs its own Chan */
		nc = cclone(c);
		cclose(c);
		if(nc == NULL)
			return xend(r, xerr());
		c = nc;
	}
	if(r->newfid == r->fid){
		cclose(x->c);
		x->c = c;
		x->depth = depth;
	}else
		r->newfid->aux = newxfid(x->e, c, depth);
	return xend(r, NULL);
}

static const char *
xopen(StyxReq *r)
{
	Xfid *x;
	Chan *c;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	c = openchan(x->c, r->ifcall.mode);
	if(c == NULL)
		return xend(r, xerr());
	x->c = c;
	r->ofcall.qid = sqid(c->qid);
	return xend(r, NULL);
}

static const char *
xcreate(StyxReq *r)
{
	Xfid *x;
	Chan *c;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	incref(&x->c->ref);
	c = createin(x->c, r->ifcall.name, r->ifcall.mode | OEXCL, r->ifcall.perm);
	if(c == NULL)
		return xend(r, xerr());
	cclose(x->c);
	x->c = c;
	x->depth++;
	r->ofcall.qid = sqid(c->qid);
	return xend(r, NULL);
}

static const char *
xread(StyxReq *r)
{
	Chan *c;
	vlong off;
	long n;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	c = ((Xfid*)r->fid->aux)->c;
	off = r->ifcall.offset;
	if(c->qid.type & QTDIR)
		n = kchanread(c, r->ofcall.data, r->ifcall.count, &off);
	else
		n = devtab[c->type]->read(c, r->ofcall.data, r->ifcall.count, off);
	if(n < 0)
		return xend(r, xerr());
	r->ofcall.count = n;
	return xend(r, NULL);
}

static const char *
xwrite(StyxReq *r)
{
	Chan *c;
	long n;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	c = ((Xfid*)r->fid->aux)->c;
	n = devtab[c->type]->write(c, r->ifcall.data, r->ifcall.count, r->ifcall.offset);
	if(n < 0)
		return xend(r, xerr());
	r->ofcall.count = n;
	return xend(r, NULL);
}

/* remove consumes a device's state, so it works on a clone; an open
 * Chan cannot be cloned and is removed by its name instead. */
static const char *
xremove(StyxReq *r)
{
	Xfid *x;
	Chan *nc;
	int rc;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	x = r->fid->aux;
	if(x->depth == 0)
		return xend(r, Eperm);
	if(x->c->flag & COPEN){
		if(x->c->path == NULL)
			return xend(r, Eperm);
		rc = kremove(x->c->path->s);
	}else{
		nc = cclone(x->c);
		if(nc == NULL)
			return xend(r, xerr());
		rc = devtab[nc->type]->remove(nc);
		nc->type = -1;
		cclose(nc);
	}
	return xend(r, rc < 0 ? xerr() : NULL);
}

static const char *
xstat(StyxReq *r)
{
	Xreq *xr;
	Chan *c;
	uchar *buf;
	int n, m;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	c = ((Xfid*)r->fid->aux)->c;
	for(n = 256;; n = m){
		buf = kmalloc(n);
		m = devtab[c->type]->stat(c, buf, n);
		if(m < 0){
			free(buf);
			return xend(r, xerr());
		}
		if(m > BIT16SZ)
			break;
		m = (buf[0] | buf[1] << 8) + BIT16SZ;
		free(buf);
	}
	xr = r->aux;
	xr->stat = buf;
	if(styx_unpackdir(buf, m, &r->d) != m)
		return xend(r, Ebadstat);
	return xend(r, NULL);
}

static const char *
xwstat(StyxReq *r)
{
	Chan *c;
	uchar *buf;
	size_t n;
	int rc;

	if(xbegin(r) != NULL)
		return xend(r, Eintr);
	c = ((Xfid*)r->fid->aux)->c;
	n = styx_dirsize(&r->d);
	if(n == 0)
		return xend(r, Ebadstat);
	buf = kmalloc(n);
	styx_packdir(&r->d, buf, n);
	rc = devtab[c->type]->wstat(c, buf, n);
	free(buf);
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
}

static void
xdestroyfid(StyxFid *f)
{
	Xfid *x;

	x = f->aux;
	if(x == NULL)
		return;
	xproc(x->e);
	cclose(x->c);	/* ORCLOSE files go here */
	free(x);
}

static void
xdestroyreq(StyxReq *r)
{
	Xreq *x;

	x = r->aux;
	if(x == NULL)
		return;
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
serve(Export *e)
{
	e->proc = up;
	e->srv.ops = &xops;
	e->srv.msize = XMSIZE;
	e->srv.aux = e;
	styx_serve(&e->srv, e->hostfd);
	close(e->hostfd);
	cclose(e->root);
	free(e);
}

static void
exportproc(void *a)
{
	serve(a);
}

int
kexport(int fd, char *dir, int flags)
{
	Export *e;
	Chan *c, *root;
	int hfd;

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
	e = kzalloc(sizeof *e);
	e->root = root;
	e->hostfd = hfd;
	if(flags & KEXPASYNC){
		if(kspawn(exportproc, e, NEWFD, "export") < 0){
			close(hfd);
			cclose(root);
			free(e);
			return -1;
		}
		return 0;
	}
	serve(e);
	return 0;
}
