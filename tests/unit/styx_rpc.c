/* styx_rpc.c — the client core against the server core over a
 * socketpair, serving a toy in-memory tree; plus fake servers for the
 * version edge cases and a server process killed mid-request. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "styx.h"
#include "tap.h"
#include "tsleeps.h"

/* --- the toy tree ------------------------------------------------------ */

typedef struct Node Node;
struct Node {
	char name[64];
	StyxQid qid;
	uint32_t mode;
	uint8_t *data;
	uint64_t len;
	Node *parent, *child, *sib;
};

typedef struct Fidaux {
	Node *n;
	Node *next;		/* directory read position */
} Fidaux;

static pthread_mutex_t treelk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flushed = PTHREAD_COND_INITIALIZER;
static Node *root;
static Node *graveyard;		/* removed nodes: a fid may still point at one */
static uint64_t qpath;
static atomic_int nfids, nflushcb, nslow;
static atomic_int lazyms;	/* tdestroyfid waits this long first */
static pthread_cond_t unheld = PTHREAD_COND_INITIALIZER;
static int holdopens;		/* treelk: tdestroyreq keeps a Topen's worker until 0 */

static Node *
mknode(Node *dir, const char *name, uint32_t mode)
{
	Node *n;

	n = calloc(1, sizeof *n);
	snprintf(n->name, sizeof n->name, "%s", name);
	n->mode = mode;
	n->qid.path = ++qpath;
	n->qid.type = mode & STYX_DMDIR ? STYX_QTDIR : STYX_QTFILE;
	n->parent = dir ? dir : n;
	if(dir){
		n->sib = dir->child;
		dir->child = n;
	}
	return n;
}

static Node *
lookup(Node *d, const char *name)
{
	Node *n;

	if(strcmp(name, "..") == 0)
		return d->parent;
	for(n = d->child; n; n = n->sib)
		if(strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

static Fidaux *
newaux(Node *n)
{
	Fidaux *a;

	a = calloc(1, sizeof *a);
	a->n = n;
	atomic_fetch_add(&nfids, 1);
	return a;
}

static const char *
tattach(StyxReq *r)
{
	r->newfid->aux = newaux(root);
	r->ofcall.qid = root->qid;
	return NULL;
}

static const char *
twalk(StyxReq *r)
{
	Node *n, *m;
	int i;

	pthread_mutex_lock(&treelk);
	n = ((Fidaux*)r->fid->aux)->n;
	for(i = 0; i < r->ifcall.nwname; i++){
		m = (n->mode & STYX_DMDIR) ? lookup(n, r->ifcall.wname[i]) : NULL;
		if(m == NULL)
			break;
		n = m;
		r->ofcall.wqid[i] = n->qid;
	}
	r->ofcall.nwqid = i;
	pthread_mutex_unlock(&treelk);
	if(i == 0 && r->ifcall.nwname > 0)
		return "file does not exist";
	if(i == r->ifcall.nwname){
		if(r->newfid == r->fid)
			((Fidaux*)r->fid->aux)->n = n;
		else
			r->newfid->aux = newaux(n);
	}
	return NULL;
}

static const char *
topen(StyxReq *r)
{
	Node *n;

	n = ((Fidaux*)r->fid->aux)->n;
	pthread_mutex_lock(&treelk);
	if(r->ifcall.mode & STYX_OTRUNC)
		n->len = 0;
	pthread_mutex_unlock(&treelk);
	r->ofcall.qid = n->qid;
	return NULL;
}

static const char *
tcreate(StyxReq *r)
{
	Fidaux *a;
	Node *n;

	a = r->fid->aux;
	pthread_mutex_lock(&treelk);
	if(lookup(a->n, r->ifcall.name) != NULL){
		pthread_mutex_unlock(&treelk);
		return "file already exists";
	}
	n = mknode(a->n, r->ifcall.name, r->ifcall.perm);
	pthread_mutex_unlock(&treelk);
	a->n = n;
	r->ofcall.qid = n->qid;
	return NULL;
}

static void
node2dir(Node *n, StyxDir *d)
{
	memset(d, 0, sizeof *d);
	d->qid = n->qid;
	d->mode = n->mode;
	d->length = n->mode & STYX_DMDIR ? 0 : n->len;
	d->name = n->name;
	d->uid = d->gid = d->muid = "toy";
}

/* "park": a read parks (styx_park) until the gate opens; the test runs
 * it again (unparkq) */
static StyxReq *parkq[64];
static int nparkq, gateopen;	/* treelk */

static const char *
tread(StyxReq *r)
{
	Fidaux *a;
	Node *n;
	StyxDir d;
	size_t m, got;
	const char *s;

	a = r->fid->aux;
	n = a->n;
	if(strcmp(n->name, "park") == 0){
		if(atomic_load(&r->flushed))
			return "interrupted";
		/* styx_park takes the connection's lock, which tflush's
		 * treelk comes after: parked holding no lock, then made
		 * visible to unparkq */
		pthread_mutex_lock(&treelk);
		m = !gateopen && nparkq < 64;
		pthread_mutex_unlock(&treelk);
		if(m){
			s = styx_park(r);
			pthread_mutex_lock(&treelk);
			parkq[nparkq++] = r;
			pthread_mutex_unlock(&treelk);
			return s;
		}
		r->ofcall.data[0] = 'p';
		r->ofcall.count = 1;
		return NULL;
	}
	if(strcmp(n->name, "slow") == 0){	/* blocks until flushed */
		pthread_mutex_lock(&treelk);
		atomic_fetch_add(&nslow, 1);
		while(!atomic_load(&r->flushed))
			pthread_cond_wait(&flushed, &treelk);
		pthread_mutex_unlock(&treelk);
		return "interrupted";
	}
	if(strcmp(n->name, "hang") == 0){
		sleep(30);
		return "woke";
	}
	pthread_mutex_lock(&treelk);
	if(n->mode & STYX_DMDIR){
		if(r->ifcall.offset == 0)
			a->next = n->child;
		for(got = 0; a->next != NULL; a->next = a->next->sib){
			node2dir(a->next, &d);
			m = styx_packdir(&d, r->ofcall.data + got, r->ifcall.count - got);
			if(m == 0)
				break;
			got += m;
		}
	}else{
		got = 0;
		if(r->ifcall.offset < n->len){
			got = n->len - r->ifcall.offset;
			if(got > r->ifcall.count)
				got = r->ifcall.count;
			memcpy(r->ofcall.data, n->data + r->ifcall.offset, got);
		}
	}
	pthread_mutex_unlock(&treelk);
	r->ofcall.count = got;
	return NULL;
}

static const char *
twrite(StyxReq *r)
{
	Node *n;
	uint64_t end;

	n = ((Fidaux*)r->fid->aux)->n;
	end = r->ifcall.offset + r->ifcall.count;
	if(end > 1<<20)
		return "file too big";
	pthread_mutex_lock(&treelk);
	if(end > n->len){
		n->data = realloc(n->data, end);
		if(r->ifcall.offset > n->len)
			memset(n->data + n->len, 0, r->ifcall.offset - n->len);
		n->len = end;
	}
	memcpy(n->data + r->ifcall.offset, r->ifcall.data, r->ifcall.count);
	pthread_mutex_unlock(&treelk);
	r->ofcall.count = r->ifcall.count;
	return NULL;
}

static const char *
tremove(StyxReq *r)
{
	Node *n, **l;

	n = ((Fidaux*)r->fid->aux)->n;
	pthread_mutex_lock(&treelk);
	if(n->child != NULL || n == root){
		pthread_mutex_unlock(&treelk);
		return "directory not empty";
	}
	for(l = &n->parent->child; *l; l = &(*l)->sib)
		if(*l == n){
			*l = n->sib;
			break;
		}
	n->sib = graveyard;
	graveyard = n;
	pthread_mutex_unlock(&treelk);
	return NULL;
}

static const char *
tstat(StyxReq *r)
{
	node2dir(((Fidaux*)r->fid->aux)->n, &r->d);
	return NULL;
}

static const char *
twstat(StyxReq *r)
{
	Node *n;

	n = ((Fidaux*)r->fid->aux)->n;
	pthread_mutex_lock(&treelk);
	if(r->d.name[0] != 0)
		snprintf(n->name, sizeof n->name, "%s", r->d.name);
	if(r->d.length != ~0ull && r->d.length <= n->len)
		n->len = r->d.length;
	if(r->d.mode != ~0u)
		n->mode = (n->mode & STYX_DMDIR) | (r->d.mode & 0777);
	pthread_mutex_unlock(&treelk);
	return NULL;
}

static void
tflush(StyxReq *old)
{
	(void)old;
	atomic_fetch_add(&nflushcb, 1);
	pthread_mutex_lock(&treelk);
	pthread_cond_broadcast(&flushed);
	pthread_mutex_unlock(&treelk);
}

static void
tdestroyfid(StyxFid *f)
{
	if(atomic_load(&lazyms) > 0)
		usleep(atomic_load(&lazyms) * 1000);
	free(f->aux);
	atomic_fetch_sub(&nfids, 1);
}

/* After the reply: a worker slow to free its Topen, with holdopens. */
static void
tdestroyreq(StyxReq *r)
{
	if(r->ifcall.type != Topen)
		return;
	pthread_mutex_lock(&treelk);
	while(holdopens)
		pthread_cond_wait(&unheld, &treelk);
	pthread_mutex_unlock(&treelk);
}

static const StyxSrvOps toyops = {
	.attach = tattach, .walk = twalk, .open = topen, .create = tcreate,
	.read = tread, .write = twrite, .remove = tremove, .stat = tstat,
	.wstat = twstat, .flush = tflush, .destroyfid = tdestroyfid,
	.destroyreq = tdestroyreq,
};

static void
mktree(void)
{
	Node *n;

	root = mknode(NULL, "/", STYX_DMDIR|0777);
	mknode(root, "slow", 0444);
	mknode(root, "hang", 0444);
	mknode(root, "park", 0444);
	n = mknode(root, "big", 0666);
	n->len = 1000;
	n->data = calloc(1, 1000);
	memset(n->data, 'b', 1000);
	mknode(root, "sub", STYX_DMDIR|0777);
}

static void
freenodes(Node *n)
{
	Node *next;

	for(; n != NULL; n = next){
		next = n->sib;
		freenodes(n->child);
		free(n->data);
		free(n);
	}
}

/* --- a served connection --------------------------------------------- */

typedef struct Served {
	StyxSrv srv;
	int fd;
	int rc;
	pthread_t t;
} Served;

static void *
servethread(void *a)
{
	Served *s;

	s = a;
	s->rc = styx_serve(&s->srv, s->fd);
	close(s->fd);
	return NULL;
}

/* Starts a server thread; returns the client's end of the socketpair. */
static int
startserver(Served *s, uint32_t msize)
{
	int sv[2];

	memset(s, 0, sizeof *s);
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	s->srv.ops = &toyops;
	s->srv.msize = msize;
	s->srv.maxworkers = 8;
	s->srv.trace = getenv("STYX_TRACE") != NULL;
	s->fd = sv[1];
	pthread_create(&s->t, NULL, servethread, s);
	return sv[0];
}

/* --- rpc helpers --------------------------------------------------- */

static char lasterr[STYX_ERRMAX];

static int
call(StyxClient *c, Fcall *tx, Fcall *rx, StyxIntr *in)
{
	uint8_t *rb;
	int r;

	r = styx_rpc(c, tx, rx, &rb, in, lasterr);
	free(rb);	/* tests look only at fixed fields after this */
	return r;
}

static int
attach(StyxClient *c, uint32_t fid)
{
	Fcall t, r;

	memset(&t, 0, sizeof t);
	t.type = Tattach; t.fid = fid; t.afid = STYX_NOFID; t.uname = "glenda"; t.aname = "";
	return call(c, &t, &r, NULL);
}

static int
walk(StyxClient *c, uint32_t fid, uint32_t newfid, int n, char **names, int *nwqid)
{
	Fcall t, r;
	int i, e;

	memset(&t, 0, sizeof t);
	t.type = Twalk; t.fid = fid; t.newfid = newfid; t.nwname = n;
	for(i = 0; i < n; i++)
		t.wname[i] = names[i];
	e = call(c, &t, &r, NULL);
	if(nwqid)
		*nwqid = e == 0 ? r.nwqid : -1;
	return e;
}

static int
walk1(StyxClient *c, uint32_t fid, uint32_t newfid, char *name)
{
	return walk(c, fid, newfid, name ? 1 : 0, &name, NULL);
}

static int
fidop(StyxClient *c, int type, uint32_t fid, int mode)
{
	Fcall t, r;

	memset(&t, 0, sizeof t);
	t.type = type; t.fid = fid; t.mode = mode;
	return call(c, &t, &r, NULL);
}

static int
create(StyxClient *c, uint32_t fid, char *name, uint32_t perm, int mode)
{
	Fcall t, r;

	memset(&t, 0, sizeof t);
	t.type = Tcreate; t.fid = fid; t.name = name; t.perm = perm; t.mode = mode;
	return call(c, &t, &r, NULL);
}

static long
rw(StyxClient *c, int type, uint32_t fid, uint64_t off, void *buf, uint32_t n, StyxIntr *in)
{
	Fcall t, r;
	uint8_t *rb;

	memset(&t, 0, sizeof t);
	t.type = type; t.fid = fid; t.offset = off; t.count = n; t.data = buf;
	if(styx_rpc(c, &t, &r, &rb, in, lasterr) < 0)
		return -1;
	if(type == Tread)
		memcpy(buf, r.data, r.count);
	free(rb);
	return r.count;
}

/* --- the tests ------------------------------------------------------- */

static void
basics(StyxClient *c)
{
	char buf[9000], *path[2] = {"sub", "f"}, *bad[2] = {"sub", "nope"};
	uint8_t *rb;
	Fcall t, r;
	StyxDir d;
	int nq, i, found;
	long n;
	size_t off;

	ok(attach(c, 1) == 0, "attach");
	ok(attach(c, 1) < 0 && strcmp(lasterr, "fid in use") == 0, "attach on a used fid: %s", lasterr);
	ok(walk1(c, 1, 2, "sub") == 0, "walk to sub");
	ok(create(c, 2, "f", 0644, STYX_ORDWR) == 0, "create sub/f");
	ok(rw(c, Twrite, 2, 0, "hello, 9P", 9, NULL) == 9, "write 9 bytes");
	ok(rw(c, Twrite, 2, 100, "x", 1, NULL) == 1, "write past the end");
	n = rw(c, Tread, 2, 0, buf, sizeof buf, NULL);
	ok(n == 101 && memcmp(buf, "hello, 9P", 9) == 0 && buf[50] == 0 && buf[100] == 'x', "read back (%ld)", n);
	ok(walk1(c, 2, 3, NULL) < 0 && strcmp(lasterr, "cannot walk an open fid") == 0, "walk an open fid refused");
	ok(fidop(c, Tclunk, 2, 0) == 0, "clunk");
	ok(fidop(c, Tclunk, 2, 0) < 0 && strcmp(lasterr, "unknown fid") == 0, "clunk again: unknown fid");

	ok(walk(c, 1, 3, 2, path, &nq) == 0 && nq == 2, "walk sub/f in one message");
	ok(walk(c, 1, 4, 2, bad, &nq) == 0 && nq == 1, "partial walk gives nwqid 1");
	ok(fidop(c, Tstat, 4, 0) < 0 && strcmp(lasterr, "unknown fid") == 0, "partial walk leaves newfid unset");
	ok(walk(c, 1, 4, 1, bad+1, &nq) < 0 && strcmp(lasterr, "file does not exist") == 0, "failed first name is an error");
	ok(rw(c, Tread, 3, 0, buf, 10, NULL) < 0 && strcmp(lasterr, "file not open for reading") == 0, "read of an unopened fid refused");

	memset(&t, 0, sizeof t);
	t.type = Tstat; t.fid = 3;
	ok(styx_rpc(c, &t, &r, &rb, NULL, lasterr) == 0 && styx_unpackdir(r.stat, r.nstat, &d) == r.nstat
		&& strcmp(d.name, "f") == 0 && d.length == 101 && d.mode == 0644, "stat sub/f");
	free(rb);

	styx_nulldir(&d);
	d.name = "g";
	d.length = 5;
	memset(&t, 0, sizeof t);
	t.type = Twstat; t.fid = 3; t.stat = (uint8_t*)buf;
	t.nstat = styx_packdir(&d, (uint8_t*)buf, sizeof buf);
	ok(call(c, &t, &r, NULL) == 0, "wstat rename to g, truncate to 5");
	ok(walk1(c, 1, 5, "sub") == 0 && fidop(c, Topen, 5, STYX_OREAD) == 0, "open sub");
	ok(fidop(c, Topen, 5, STYX_OREAD) < 0 && strcmp(lasterr, "file already open") == 0, "open twice refused");
	n = rw(c, Tread, 5, 0, buf, sizeof buf, NULL);
	found = 0;
	for(off = 0; n > 0 && off < (size_t)n; off += i){
		i = styx_unpackdir((uint8_t*)buf + off, n - off, &d);
		if(i < 0)
			break;
		if(strcmp(d.name, "g") == 0 && d.length == 5)
			found++;
	}
	ok(found == 1 && off == (size_t)n, "directory read shows g, length 5");
	ok(rw(c, Tread, 5, n, buf, sizeof buf, NULL) == 0, "directory read at the end gives 0");
	ok(rw(c, Tread, 5, 3, buf, sizeof buf, NULL) < 0 && strcmp(lasterr, "bad offset in directory read") == 0,
		"directory read at a bad offset refused");
	ok(rw(c, Twrite, 5, 0, "x", 1, NULL) < 0, "write to a directory refused");
	ok(create(c, 1, "..", 0644, 0) < 0 && strcmp(lasterr, "bad file name") == 0, "create .. refused");
	ok(fidop(c, Tremove, 3, 0) == 0, "remove g");
	ok(fidop(c, Tstat, 3, 0) < 0, "removed fid is clunked");
	ok(walk1(c, 5, 6, "g") < 0, "g is gone");
	ok(fidop(c, Tclunk, 5, 0) == 0, "clunk sub");
}

typedef struct Worker {
	StyxClient *c;
	int id;
	int good;
} Worker;

/* Many threads, each with its own file, all at once on one connection. */
static void *
hammer(void *a)
{
	Worker *w;
	char name[32], buf[256], want[256];
	uint32_t fid;
	int i, n;

	w = a;
	fid = 1000 + w->id*10;
	snprintf(name, sizeof name, "w%d", w->id);
	if(walk1(w->c, 1, fid, NULL) < 0 || create(w->c, fid, name, 0666, STYX_ORDWR) < 0)
		return NULL;
	for(i = 0; i < 100; i++){
		n = snprintf(want, sizeof want, "thread %d pass %d", w->id, i);
		if(rw(w->c, Twrite, fid, 0, want, n, NULL) != n)
			continue;
		if(rw(w->c, Tread, fid, 0, buf, n, NULL) == n && memcmp(buf, want, n) == 0)
			w->good++;
	}
	fidop(w->c, Tremove, fid, 0);
	return NULL;
}

static void
concurrent(StyxClient *c)
{
	enum { N = 16 };
	pthread_t t[N];
	Worker w[N];
	int i, good;

	for(i = 0; i < N; i++){
		w[i].c = c; w[i].id = i; w[i].good = 0;
		pthread_create(&t[i], NULL, hammer, &w[i]);
	}
	good = 0;
	for(i = 0; i < N; i++){
		pthread_join(t[i], NULL);
		good += w[i].good;
	}
	is(good, N*100, "%d threads x 100 write/read pairs on one connection", N);
}

typedef struct Slow {
	StyxClient *c;
	StyxIntr in;
	int rc;
	char err[STYX_ERRMAX];
} Slow;

static void *
slowread(void *a)
{
	Slow *s;
	char buf[16];
	Fcall t, r;
	uint8_t *rb;

	s = a;
	memset(&t, 0, sizeof t);
	t.type = Tread; t.fid = 21; t.count = sizeof buf;
	s->rc = styx_rpc(s->c, &t, &r, &rb, &s->in, s->err);
	free(rb);
	return NULL;
}

static void
flushing(StyxClient *c)
{
	Slow s;
	pthread_t t;
	char buf[8];
	int before, slow, i;

	ok(walk1(c, 1, 21, "slow") == 0 && fidop(c, Topen, 21, STYX_OREAD) == 0, "open slow");
	memset(&s, 0, sizeof s);
	s.c = c;
	styx_intrinit(&s.in);
	before = atomic_load(&nflushcb);
	slow = atomic_load(&nslow);
	pthread_create(&t, NULL, slowread, &s);
	for(i = 0; i < 1000 && atomic_load(&nslow) == slow; i++)	/* until the server blocks in it */
		usleep(10*1000);
	styx_interrupt(&s.in);
	pthread_join(t, NULL);
	ok(s.rc < 0 && strcmp(s.err, "interrupted") == 0, "interrupted read fails: %s", s.err);
	ok(atomic_load(&nflushcb) == before + 1, "server saw the flush");
	s.rc = 0;
	slowread(&s);
	ok(s.rc < 0 && strcmp(s.err, "interrupted") == 0, "interrupt stays set until cleared");
	styx_intrclear(&s.in);
	ok(rw(c, Tread, 1, 0, buf, 0, NULL) < 0 && rw(c, Tread, 2000, 0, buf, 1, NULL) < 0
		&& strcmp(lasterr, "unknown fid") == 0, "connection still answers after the flush");
	ok(fidop(c, Tclunk, 21, 0) == 0, "clunk slow");
}

/* Runs again the parked reads (all, or the flushed ones); how many. */
static int
unparkq(int flushedonly)
{
	StyxReq *go[64];
	int i, j, n;

	pthread_mutex_lock(&treelk);
	for(i = j = n = 0; i < nparkq; i++)
		if(!flushedonly || atomic_load(&parkq[i]->flushed))
			go[n++] = parkq[i];
		else
			parkq[j++] = parkq[i];
	nparkq = j;
	pthread_mutex_unlock(&treelk);
	for(i = 0; i < n; i++)
		styx_unpark(go[i]);
	return n;
}


typedef struct Parked {
	StyxClient *c;
	StyxIntr in;
	int rc;
	char data;
	char err[STYX_ERRMAX];
} Parked;

static void *
parkread(void *a)
{
	Parked *p;
	Fcall t, r;
	uint8_t *rb;

	p = a;
	memset(&t, 0, sizeof t);
	t.type = Tread; t.fid = 22; t.count = 8;
	p->rc = styx_rpc(p->c, &t, &r, &rb, &p->in, p->err);
	if(p->rc == 0){
		p->data = r.count > 0 ? r.data[0] : 0;
		free(rb);
	}
	return NULL;
}

/* Until n reads are parked (10 s at most): 1 if they are. */
static int
waitparked(int n)
{
	StyxSrvStats st;
	int i, k;

	for(i = 0; i < 1000; i++){
		pthread_mutex_lock(&treelk);
		k = nparkq;
		pthread_mutex_unlock(&treelk);
		styx_srvstats(&st);
		if(k >= n && st.parked >= n)
			return 1;
		usleep(10*1000);
	}
	return 0;
}

/* Until the server has seen more than n flushes (10 s at most). */
static int
waitflushes(int n)
{
	int i;

	for(i = 0; i < 1000 && atomic_load(&nflushcb) <= n; i++)
		usleep(10*1000);
	return atomic_load(&nflushcb) > n;
}

/* --- styx_start: calls not waited for ----------------------------------- */

static atomic_int ndone;

static void
calldone(void *a)
{
	atomic_fetch_add((atomic_int*)a, 1);
}

/* Until ndone reaches n (10 s at most): 1 if it does. */
static int
waitdone(int n)
{
	int i;

	for(i = 0; i < 1000 && atomic_load(&ndone) < n; i++)
		usleep(10*1000);
	return atomic_load(&ndone) >= n;
}

static int
startread(StyxClient *c, uint32_t fid, StyxCall **k)
{
	char err[STYX_ERRMAX];
	Fcall t;

	memset(&t, 0, sizeof t);
	t.type = Tread;
	t.fid = fid;
	t.count = 8;
	return styx_start(c, &t, calldone, &ndone, k, err);
}

/* The first byte of k's Rread, or -1 with its error in lasterr. */
static int
takeread(StyxCall *k)
{
	Fcall r;
	uint8_t *rb;
	int v;

	if(styx_take(k, &r, &rb, lasterr) < 0)
		return -1;
	v = r.count > 0 ? r.data[0] : 0;
	free(rb);
	return v;
}

/* The parked reads run again and are answered (until gate(0)); how
 * many. */
static void
gate(int open)
{
	pthread_mutex_lock(&treelk);
	gateopen = open;
	pthread_mutex_unlock(&treelk);
}

static int
answerall(void)
{
	gate(1);
	return unparkq(0);
}

/* The export's reads of mounted files: sent, told when answered, taken
 * (export_attack 29 through devmnt). */
static void
calls(StyxClient *c)
{
	enum { N = 32 };
	StyxCall *k[N];
	int i, n, before, good;

	ok(walk1(c, 1, 23, "park") == 0 && fidop(c, Topen, 23, STYX_OREAD) == 0, "calls: open park");
	pthread_mutex_lock(&treelk);
	gateopen = 0;
	pthread_mutex_unlock(&treelk);
	atomic_store(&ndone, 0);

	/* sent, parked at the server: not done until answered */
	ok(startread(c, 23, &k[0]) == 0 && waitparked(1), "calls: a read sent; parked at the server");
	ok(fidop(c, Tstat, 23, 0) == 0 && atomic_load(&ndone) == 0, "calls: the connection answers meanwhile; it is not done");
	ok(answerall() == 1 && waitdone(1), "calls: answered, done runs");
	gate(0);
	ok(takeread(k[0]) == 'p', "calls: styx_take gives its reply");
	/* many at once */
	atomic_store(&ndone, 0);
	for(n = 0; n < N && startread(c, 23, &k[n]) == 0; n++)
		;
	ok(n == N && waitparked(N), "calls: %d sent at once, parked", n);
	ok(answerall() == N && waitdone(N), "calls: answered, done ran for each (%d)", atomic_load(&ndone));
	gate(0);
	for(good = i = 0; i < n; i++)
		good += takeread(k[i]) == 'p';
	ok(good == N, "calls: each took its reply (%d)", good);

	/* cancel: a Tflush; the Rflush alone answers; done, then
	 * "interrupted" */
	atomic_store(&ndone, 0);
	before = atomic_load(&nflushcb);
	ok(startread(c, 23, &k[0]) == 0 && waitparked(1), "calls: another read parked");
	styx_cancel(k[0]);
	styx_cancel(k[0]);	/* once is all */
	ok(waitflushes(before) && atomic_load(&nflushcb) == before + 1 && unparkq(1) == 1, "calls: styx_cancel: the server sees one Tflush");
	ok(waitdone(1) && takeread(k[0]) < 0 && strcmp(lasterr, "interrupted") == 0, "calls: done runs at the Rflush; the call was interrupted (%s)", lasterr);

	/* a call answered before its cancel: nothing is flushed */
	atomic_store(&ndone, 0);
	before = atomic_load(&nflushcb);
	ok(startread(c, 23, &k[0]) == 0 && waitparked(1) && answerall() == 1 && waitdone(1), "calls: a read answered");
	gate(0);
	styx_cancel(k[0]);
	ok(takeread(k[0]) == 'p' && atomic_load(&nflushcb) == before, "calls: a cancel after the reply sends nothing; the reply stands");

	/* taken before its outcome: abandoned, its tag waits for the
	 * reply (which a leak checker sees freed) */
	atomic_store(&ndone, 0);
	ok(startread(c, 23, &k[0]) == 0 && waitparked(1), "calls: a read parked, to abandon");
	ok(takeread(k[0]) < 0 && strcmp(lasterr, "interrupted") == 0, "calls: taken before its reply: interrupted");
	ok(answerall() == 1, "calls: its reply comes later");
	ok(fidop(c, Tstat, 23, 0) == 0 && atomic_load(&ndone) == 0, "calls: dropped; the connection goes on, no done ran");
	gate(0);
	ok(fidop(c, Tclunk, 23, 0) == 0, "calls: clunk park");
}


/* styx_park: a read that would wait gives its worker back. */
static void
parking(StyxClient *c)
{
	StyxSrvStats st;
	Parked p[4];
	pthread_t t[4];
	int i, good, before;

	ok(walk1(c, 1, 22, "park") == 0 && fidop(c, Topen, 22, STYX_OREAD) == 0, "open park");
	for(i = 0; i < 4; i++){
		memset(&p[i], 0, sizeof p[i]);
		p[i].c = c;
		styx_intrinit(&p[i].in);
		pthread_create(&t[i], NULL, parkread, &p[i]);
	}
	ok(waitparked(4), "4 reads parked");
	styx_srvstats(&st);
	ok(st.running == 0, "parked, they are on no worker (%d running)", st.running);
	ok(fidop(c, Tstat, 22, 0) == 0, "the connection answers meanwhile");
	pthread_mutex_lock(&treelk);
	gateopen = 1;
	pthread_mutex_unlock(&treelk);
	ok(unparkq(0) == 4, "styx_unpark runs them again");
	for(good = i = 0; i < 4; i++){
		pthread_join(t[i], NULL);
		good += p[i].rc == 0 && p[i].data == 'p';
	}
	ok(good == 4, "and each is answered (%d of 4)", good);
	pthread_mutex_lock(&treelk);
	gateopen = 0;
	pthread_mutex_unlock(&treelk);

	/* a Tflush of a parked read: the server's flush runs it again, and
	 * only the Rflush answers it */
	memset(&p[0], 0, sizeof p[0]);
	p[0].c = c;
	styx_intrinit(&p[0].in);
	pthread_create(&t[0], NULL, parkread, &p[0]);
	ok(waitparked(1), "a read parked");
	before = atomic_load(&nflushcb);
	styx_interrupt(&p[0].in);
	ok(waitflushes(before) && unparkq(1) == 1, "interrupted: the server sees the flush and runs it again");
	pthread_join(t[0], NULL);
	ok(p[0].rc < 0 && strcmp(p[0].err, "interrupted") == 0, "the parked read is flushed: %s", p[0].err);

	/* a clunk of its fid releases a parked read */
	memset(&p[0], 0, sizeof p[0]);
	p[0].c = c;
	styx_intrinit(&p[0].in);
	pthread_create(&t[0], NULL, parkread, &p[0]);
	ok(waitparked(1), "a read parked again");
	before = atomic_load(&nflushcb);
	ok(fidop(c, Tclunk, 22, 0) == 0, "its fid clunked");
	ok(waitflushes(before) && unparkq(1) == 1, "the clunk flags the parked read; it runs again");
	pthread_join(t[0], NULL);
	ok(p[0].rc < 0 && strcmp(p[0].err, "interrupted") == 0, "and is answered: %s", p[0].err);
	styx_srvstats(&st);
	ok(st.parked == 0, "nothing is left parked (%d)", st.parked);
}

static void
msizes(void)
{
	Served s;
	StyxClient *c;
	char err[STYX_ERRMAX], buf[2000];
	int fd;
	long n;

	fd = startserver(&s, 300);
	c = styx_client_new(fd, 8192, err);
	ok(c != NULL && styx_client_msize(c) == 300, "server msize 300 wins over 8192");
	if(c == NULL)
		return;
	ok(attach(c, 1) == 0 && walk1(c, 1, 2, "big") == 0 && fidop(c, Topen, 2, STYX_ORDWR) == 0, "open big");
	n = rw(c, Tread, 2, 0, buf, 1000, NULL);
	is(n, 300 - STYX_IOHDRSZ, "Tread count 1000 is cut to msize-IOHDRSZ");
	ok(rw(c, Twrite, 2, 0, buf, 300 - 23, NULL) == 300 - 23, "Twrite that fills msize exactly");
	ok(rw(c, Twrite, 2, 0, buf, 300 - 23 + 1, NULL) < 0
		&& strcmp(lasterr, "9P request larger than msize") == 0, "one byte more refused by the client");
	styx_client_free(c);
	pthread_join(s.t, NULL);

	fd = startserver(&s, 100);
	c = styx_client_new(fd, 10, err);
	ok(c != NULL && styx_client_msize(c) == STYX_MINMSIZE, "msize 10 and 100 both clamp to %d", STYX_MINMSIZE);
	if(c)
		styx_client_free(c);
	pthread_join(s.t, NULL);
}

/* A fake server: answers Tversion with one canned message, twice. */
typedef struct Fake {
	int fd;
	uint8_t reply[2][64];
	size_t n[2];
} Fake;

static void *
fakeserver(void *a)
{
	Fake *f;
	uint8_t buf[8192];
	int i;

	f = a;
	for(i = 0; i < 2 && f->n[i] > 0; i++){
		if(styx_readmsg(f->fd, buf, sizeof buf) <= 0)
			break;
		styx_writeall(f->fd, f->reply[i], f->n[i]);
	}
	close(f->fd);
	return NULL;
}

static size_t
rversion(uint8_t *b, uint32_t msize, const char *v)
{
	Fcall f;

	memset(&f, 0, sizeof f);
	f.type = Rversion; f.tag = STYX_NOTAG; f.msize = msize; f.version = (char*)v;
	return styx_pack(&f, b, 64);
}

static void
fake(const char *v1, uint32_t m1, const char *v2, const uint8_t *raw, size_t nraw,
	const char *want, const char *what)
{
	Fake f;
	pthread_t t;
	StyxClient *c;
	char err[STYX_ERRMAX];
	int sv[2];

	memset(&f, 0, sizeof f);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	f.fd = sv[1];
	if(raw != NULL){
		memcpy(f.reply[0], raw, nraw);
		f.n[0] = nraw;
	}else
		f.n[0] = rversion(f.reply[0], m1, v1);
	if(v2 != NULL)
		f.n[1] = rversion(f.reply[1], m1, v2);
	pthread_create(&t, NULL, fakeserver, &f);
	err[0] = 0;
	c = styx_client_new(sv[0], 8192, err);
	ok(c == NULL && strstr(err, want) != NULL, "%s: %s", what, err);
	if(c != NULL)
		styx_client_free(c);
	else
		close(sv[0]);
	pthread_join(t, NULL);
}

static void
versions(void)
{
	static const uint8_t rlerror[] = {11,0,0,0, 7, 0xff,0xff, 95,0,0,0};

	fake("9P2000.L", 8192, NULL, NULL, 0, "9P2000.L", "server answering 9P2000.L");
	fake("unknown", 8192, "9P2000.L", NULL, 0, "speaks 9P2000.L", "server knowing only 9P2000.L (probed)");
	fake("unknown", 8192, "unknown", NULL, 0, "does not speak 9P2000", "server knowing no 9P2000");
	fake(NULL, 0, NULL, rlerror, sizeof rlerror, "9P2000.L", "server answering Rlerror");
	fake("9P2000", 100, NULL, NULL, 0, "too small", "server msize 100");
	fake("9P2000", 9000, NULL, NULL, 0, "raised msize", "server msize above ours");
	fake(NULL, 0, NULL, (const uint8_t*)"\x05\0\0\0", 4, "hangup", "server sending a 5-byte message");
}

/* Raw bytes straight at the server core. */
static void
serverchecks(void)
{
	Served s;
	uint8_t buf[512];
	Fcall f;
	int fd;
	long n;

	fd = startserver(&s, 0);
	memset(&f, 0, sizeof f);
	f.type = Tattach; f.tag = 1; f.fid = 1; f.afid = STYX_NOFID; f.uname = "u"; f.aname = "";
	styx_writeall(fd, buf, styx_pack(&f, buf, sizeof buf));
	n = styx_readmsg(fd, buf, sizeof buf);
	ok(n > 0 && styx_unpack(buf, n, &f) > 0 && f.type == Rerror && strcmp(f.ename, "version not negotiated") == 0,
		"attach before Tversion refused");
	memset(&f, 0, sizeof f);
	f.type = Tversion; f.tag = STYX_NOTAG; f.msize = 100; f.version = "9P2000";
	styx_writeall(fd, buf, styx_pack(&f, buf, sizeof buf));
	n = styx_readmsg(fd, buf, sizeof buf);
	ok(n > 0 && styx_unpack(buf, n, &f) > 0 && f.type == Rerror && strcmp(f.ename, "msize too small") == 0,
		"Tversion msize 100 refused");
	memset(&f, 0, sizeof f);
	f.type = Tversion; f.tag = STYX_NOTAG; f.msize = 1<<30; f.version = "9P2000.u";
	styx_writeall(fd, buf, styx_pack(&f, buf, sizeof buf));
	n = styx_readmsg(fd, buf, sizeof buf);
	ok(n > 0 && styx_unpack(buf, n, &f) > 0 && f.type == Rversion && strcmp(f.version, "9P2000") == 0
		&& f.msize == STYX_DEFMSIZE, "Tversion 9P2000.u gets 9P2000 and our msize");
	memcpy(buf, "\x0b\0\0\0\x0c\x07\0\x01\0\0\0", 11);	/* Tlopen */
	styx_writeall(fd, buf, 11);
	n = styx_readmsg(fd, buf, sizeof buf);
	ok(n > 0 && styx_unpack(buf, n, &f) > 0 && f.type == Rerror && f.tag == 7 && strstr(f.ename, "9P2000.L") != NULL,
		"9P2000.L request answered: %s", f.ename);
	memcpy(buf, "\x0c\0\0\0\x78\x08\0\x01\0\0\0\0", 12);	/* Tclunk with a trailing byte */
	styx_writeall(fd, buf, 12);
	n = styx_readmsg(fd, buf, sizeof buf);
	ok(n > 0 && styx_unpack(buf, n, &f) > 0 && f.type == Rerror && f.tag == 8, "malformed Tclunk answered: %s", f.ename);
	memset(&f, 0, sizeof f);
	f.type = Rclunk; f.tag = 9;
	styx_writeall(fd, buf, styx_pack(&f, buf, sizeof buf));
	n = styx_readmsg(fd, buf, sizeof buf);
	ok(n > 0 && styx_unpack(buf, n, &f) > 0 && f.type == Rerror && f.tag == 9, "R-message to the server answered: %s", f.ename);
	memcpy(buf, "\xff\xff\0\0", 4);	/* over msize: the server hangs up */
	styx_writeall(fd, buf, 4);
	ok(styx_readmsg(fd, buf, sizeof buf) == 0, "message over msize: server hangs up");
	pthread_join(s.t, NULL);
	ok(s.rc < 0, "styx_serve reports the protocol error");
	close(fd);
}

/* Hangup and Tversion each clunk every fid of the connection. */
static void
fidsgone(void)
{
	Served s;
	StyxClient *c;
	char err[STYX_ERRMAX];
	int fd, base, i;

	base = atomic_load(&nfids);
	fd = startserver(&s, 0);
	c = styx_client_new(fd, 8192, err);
	if(!ok(c != NULL, "connect for hangup test"))
		return;
	attach(c, 1);
	for(i = 0; i < 20; i++)
		walk1(c, 1, 100+i, "sub");
	is(atomic_load(&nfids) - base, 21, "21 fids live on the server");
	styx_client_free(c);
	pthread_join(s.t, NULL);
	is(atomic_load(&nfids) - base, 0, "all destroyed after the client hangs up");
	ok(s.rc == 0, "clean hangup");
}

/* Rclunk and Rremove come after destroyfid has run, slow as it may be:
 * what the fid held (an open file, a share of a budget) is given back
 * when the client reads that it is gone. */
static void
destroyfirst(void)
{
	Served s;
	StyxClient *c;
	char err[STYX_ERRMAX];
	int fd, base, live, rc;

	base = atomic_load(&nfids);
	fd = startserver(&s, 0);
	c = styx_client_new(fd, 8192, err);
	if(!ok(c != NULL, "connect for the clunk order test"))
		return;
	attach(c, 1);
	walk1(c, 1, 2, "sub");
	walk1(c, 1, 3, "sub");
	create(c, 3, "doomed", 0644, STYX_OWRITE);
	atomic_store(&lazyms, 200);
	rc = fidop(c, Tclunk, 2, 0);
	live = atomic_load(&nfids) - base;
	ok(rc == 0 && live == 2, "Rclunk after a slow destroyfid (%d fids live, want 2)", live);
	rc = fidop(c, Tremove, 3, 0);
	live = atomic_load(&nfids) - base;
	ok(rc == 0 && live == 1, "Rremove after a slow destroyfid (%d fids live, want 1)", live);
	atomic_store(&lazyms, 0);
	styx_client_free(c);
	pthread_join(s.t, NULL);
}

/* The worker that wrote Ropen may not have freed that request when the
 * client's Tclunk comes (here it is held after the reply): Rclunk still
 * comes after destroyfid, as the Topen's reference went before Ropen. */
static void
openthenclunk(void)
{
	Served s;
	StyxClient *c;
	char err[STYX_ERRMAX];
	int fd, base, live, ro, rc;

	base = atomic_load(&nfids);
	fd = startserver(&s, 0);
	c = styx_client_new(fd, 8192, err);
	if(!ok(c != NULL, "connect for the open-then-clunk test"))
		return;
	attach(c, 1);
	walk1(c, 1, 2, "big");
	pthread_mutex_lock(&treelk);
	holdopens = 1;
	pthread_mutex_unlock(&treelk);
	ro = fidop(c, Topen, 2, STYX_OREAD);
	rc = fidop(c, Tclunk, 2, 0);
	live = atomic_load(&nfids) - base;
	pthread_mutex_lock(&treelk);
	holdopens = 0;
	pthread_cond_broadcast(&unheld);
	pthread_mutex_unlock(&treelk);
	ok(ro == 0 && rc == 0 && live == 1,
		"Rclunk after destroyfid while the Topen's worker lags (%d fids live, want 1)", live);
	styx_client_free(c);
	pthread_join(s.t, NULL);
}

/* --- a reply that comes before its request went ------------------------ */

typedef struct Early {
	StyxClient *c;
	StyxIntr in;
	int type;		/* Twrite: larger than the socket holds; or Tclunk */
	atomic_int tid;
	int rc;
	char err[STYX_ERRMAX];
} Early;

static uint8_t earlydata[60000];

/* A Twrite waits, the writer's lock held, for a server that does not
 * read; a Tclunk is small. */
static void *
earlyrpc(void *a)
{
	Early *e;
	Fcall t, r;
	uint8_t *rb;

	e = a;
	atomic_store(&e->tid, gettid());
	memset(&t, 0, sizeof t);
	t.type = e->type;
	t.fid = 1;
	t.count = sizeof earlydata;
	t.data = earlydata;
	e->rc = styx_rpc(e->c, &t, &r, &rb, &e->in, e->err);
	if(e->rc == 0)
		free(rb);
	return NULL;
}

static void
earlystart(Early *e, StyxClient *c, int type, pthread_t *t)
{
	memset(e, 0, sizeof *e);
	e->c = c;
	e->type = type;
	styx_intrinit(&e->in);
	pthread_create(t, NULL, earlyrpc, e);
}

static void
earlyend(Early *e, pthread_t t)
{
	pthread_join(t, NULL);
	pthread_mutex_destroy(&e->in.lk);
}

/* A connection whose client writes into a small socket buffer. */
static StyxClient *
earlyconn(int sv[2])
{
	StyxClient *c;
	char err[STYX_ERRMAX];
	uint8_t b[256];
	int sz;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	styx_writeall(sv[1], b, rversion(b, 65536 + STYX_IOHDRSZ, "9P2000"));	/* waits for the client's read */
	c = styx_client_new(sv[0], 65536 + STYX_IOHDRSZ, err);
	if(c == NULL){
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	styx_readmsg(sv[1], b, sizeof b);	/* its Tversion */
	sz = 4096;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	return c;
}

/* Waits until fd has bytes to read: a request is being written. */
static void
readable(int fd)
{
	struct pollfd pf;

	pf.fd = fd;
	pf.events = POLLIN;
	poll(&pf, 1, -1);
}

/* Writes an R-message of type with tag, then the bytes bad[nbad]. */
static void
answer(int fd, int type, int tag, const uint8_t *bad, size_t nbad)
{
	uint8_t b[64];
	Fcall f;

	memset(&f, 0, sizeof f);
	f.type = type;
	f.tag = tag;
	f.count = sizeof earlydata;
	styx_writeall(fd, b, styx_pack(&f, b, sizeof b));
	if(nbad > 0)
		styx_writeall(fd, bad, nbad);
}

/* The server answers tag 0 while the client is still writing the
 * request for it, then botches (answers it again): the reader gave the
 * first answer to the request, which then fails to go (the server hangs
 * up).  The request's failure frees that reply: once leaked, found by
 * fuzz_mnt, where a reply with another request's tag came before the
 * server closed; styx_san.t runs this under LeakSanitizer. */
static void
replyfirst(void)
{
	StyxClient *c;
	pthread_t t;
	Early e;
	int sv[2], i;

	c = earlyconn(sv);
	if(!ok(c != NULL, "connect for the early reply test"))
		return;
	earlystart(&e, c, Twrite, &t);
	readable(sv[1]);	/* its first bytes: tag 0 is the Twrite's */
	answer(sv[1], Rwrite, 0, NULL, 0);
	answer(sv[1], Rwrite, 0, NULL, 0);
	for(i = 0; i < 10000 && !styx_client_dead(c); i++)
		usleep(1000);
	shutdown(sv[1], SHUT_RDWR);
	earlyend(&e, t);
	ok(e.rc < 0 && strstr(e.err, "unknown tag") != NULL,
		"an answer before the request went, then a botch: the request fails: %s", e.err);
	styx_client_free(c);
	close(sv[1]);
}

/* Waits until thread tid has gone to sleep since it had slept n times
 * (without /proc, not at all: the tries below then rely on luck). */
static void
sleptagain(int tid, long n)
{
	int i;

	for(i = 0; i < 5000 && n >= 0 && threadsleeps(tid) <= n; i++)
		usleep(1000);
}

/*
 * The same for a Tflush: an interrupted Tclunk's Tflush waits to be
 * written behind a Twrite that fills the socket, the server answers the
 * Tflush's tag (2) before it went, then sends a message too short to be
 * one; the Tflush then fails to go (the connection is dead), and the
 * Rflush it was given must go with it.  Whether the Tflush had its tag
 * when the answer came shows in the error (an unknown tag, or the short
 * message): a few tries, until one did.
 */
static void
flushfirst(void)
{
	static const uint8_t tooshort[] = { 4, 0, 0, 0 };
	StyxClient *c;
	pthread_t tw, tc;
	Early w, k;
	int sv[2], try, hit;
	long n;
	uint8_t b[256];

	hit = 0;
	memset(&k, 0, sizeof k);
	for(try = 0; try < 20 && !hit; try++){
		if((c = earlyconn(sv)) == NULL)
			break;
		earlystart(&k, c, Tclunk, &tc);
		styx_readmsg(sv[1], b, sizeof b);	/* the Tclunk (tag 0) went */
		earlystart(&w, c, Twrite, &tw);
		readable(sv[1]);	/* the Twrite (tag 1) is being written */
		while(atomic_load(&k.tid) == 0)
			sched_yield();
		n = threadsleeps(atomic_load(&k.tid));
		styx_interrupt(&k.in);
		sleptagain(atomic_load(&k.tid), n);	/* waiting to write its Tflush */
		answer(sv[1], Rflush, 2, tooshort, sizeof tooshort);
		earlyend(&k, tc);
		shutdown(sv[1], SHUT_RDWR);
		earlyend(&w, tw);
		hit = k.rc < 0 && strstr(k.err, "too short") != NULL;
		styx_client_free(c);
		close(sv[1]);
	}
	ok(hit, "an Rflush before its Tflush went, then a botch: the interrupted request fails (%d tries): %s",
		try, k.err);
}

/* The tag of the message the server reads next, and its type in *type
 * (-1 where none came). */
static int
nexttag(int fd, int *type)
{
	uint8_t b[256];
	Fcall f;
	long n;

	*type = -1;
	n = styx_readmsg(fd, b, sizeof b);
	if(n <= 0 || styx_unpack(b, n, &f) < 0)
		return -1;
	*type = f.type;
	return f.tag;
}

/* A Tclunk sent on c, abandoned: its tag in *ktag, its Tflush's in
 * *ftag, and 1 where the server (sv1) saw a Tclunk then a Tflush. */
static int
abandonclunk(StyxClient *c, int sv1, int *ktag, int *ftag)
{
	pthread_t tk;
	Early k;
	int ktype, ftype;

	earlystart(&k, c, Tclunk, &tk);
	*ktag = nexttag(sv1, &ktype);
	styx_abandon(&k.in);
	earlyend(&k, tk);
	*ftag = nexttag(sv1, &ftype);
	return ktype == Tclunk && ftype == Tflush && k.rc < 0;
}

/*
 * An abandoned request's Tflush, answered by a hostile server with a
 * message of Rflush's type on the request's own tag first, then the
 * Rflush on the Tflush's tag, then the reply to a request sent after
 * the Tflush.  9P goes by tag (flush(5)): the first is the request's
 * reply (only its tag is free), the second the Rflush, and the other
 * request gets its reply.  When the client went by the type, the first
 * freed both tags, the real Rflush came for a free tag and the
 * connection hung up ("unknown tag"), failing the other request.  The
 * other request goes only once the abandoned one has returned: an
 * abandoned call sends no Tflush while another's write is under way.
 */
static void
flushbytag(void)
{
	StyxClient *c;
	pthread_t tw;
	Early w;
	int sv[2], ktag, wtag, ftag, wtype, went;

	c = earlyconn(sv);
	if(!ok(c != NULL, "connect for the flush-by-tag test"))
		return;
	went = abandonclunk(c, sv[1], &ktag, &ftag);
	earlystart(&w, c, Tclunk, &tw);
	wtag = nexttag(sv[1], &wtype);
	ok(went && wtype == Tclunk,
		"an abandoned request's Tflush went (tags %d %d %d)", ktag, ftag, wtag);
	answer(sv[1], Rflush, ktag, NULL, 0);	/* the request's reply, of the wrong type */
	answer(sv[1], Rflush, ftag, NULL, 0);
	answer(sv[1], Rclunk, wtag, NULL, 0);
	earlyend(&w, tw);
	ok(w.rc == 0 && !styx_client_dead(c),
		"a reply of Rflush's type to the flushed tag is that request's: the Rflush after it is the Tflush's, the connection goes on: %s",
		w.rc == 0 ? "ok" : w.err);
	styx_client_free(c);
	close(sv[1]);
}

/* A hostile server's answers around an abandoned request's Tflush
 * (session 23's red team): the Tflush's tag answered with Rerror
 * instead of Rflush (both tags free: the next request may take the
 * flushed one), the flushed tag answered twice, the Rflush before the
 * request's own reply (the reply then names a free tag), a reply to a
 * tag never used.  Each ends in a connection that goes on or hangs up,
 * nothing leaked or used after its free (styx_san.t runs this under
 * ASan and LeakSanitizer). */
static void
flushhostile(int how)
{
	static const char *hows[] = {
		"Tflush answered with Rerror", "the flushed tag answered twice",
		"Rflush before the request's reply", "a reply to a tag never used",
	};
	StyxClient *c;
	pthread_t tw;
	Early w;
	Fcall f;
	uint8_t b[64];
	int sv[2], ktag, ftag, wtag, wtype, went;

	c = earlyconn(sv);
	if(!ok(c != NULL, "connect for the hostile flush test %d", how))
		return;
	went = abandonclunk(c, sv[1], &ktag, &ftag);
	switch(how){
	case 0:
		memset(&f, 0, sizeof f);
		f.type = Rerror;
		f.tag = ftag;
		f.ename = "no flush here";
		styx_writeall(sv[1], b, styx_pack(&f, b, sizeof b));
		break;
	case 1:
		answer(sv[1], Rclunk, ktag, NULL, 0);
		answer(sv[1], Rclunk, ktag, NULL, 0);
		break;
	case 2:
		answer(sv[1], Rflush, ftag, NULL, 0);
		answer(sv[1], Rclunk, ktag, NULL, 0);
		break;
	case 3:
		answer(sv[1], Rclunk, (ktag + ftag + 7) % 50 + 100, NULL, 0);
		break;
	}
	if(how == 0){
		/* both tags free: the connection goes on */
		earlystart(&w, c, Tclunk, &tw);
		wtag = nexttag(sv[1], &wtype);
		answer(sv[1], Rclunk, wtag, NULL, 0);
		earlyend(&w, tw);
		ok(went && wtype == Tclunk && w.rc == 0 && !styx_client_dead(c),
			"%s: both tags free, the next request answered: %s", hows[how], w.rc == 0 ? "ok" : w.err);
	}else{
		/* a reply for a free tag: the client hangs up (the test's
		 * alarm ends a wait that never does) */
		while(!styx_client_dead(c))
			sched_yield();
		earlystart(&w, c, Tclunk, &tw);
		earlyend(&w, tw);
		ok(went && w.rc < 0 && styx_client_dead(c),
			"%s: the client hangs up, the next request fails: %s", hows[how], w.rc < 0 ? w.err : "answered");
	}
	styx_client_free(c);
	close(sv[1]);
}

/* A server process killed while a request is outstanding. */
static void
killed(void)
{
	StyxClient *c;
	char err[STYX_ERRMAX], buf[8];
	int sv[2], st;
	pid_t pid;
	Served s;
	long n;
	struct timespec t0, t1;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid = fork();
	if(pid == 0){
		close(sv[0]);
		memset(&s, 0, sizeof s);
		s.srv.ops = &toyops;
		_exit(styx_serve(&s.srv, sv[1]) == 0 ? 0 : 1);
	}
	close(sv[1]);
	c = styx_client_new(sv[0], 8192, err);
	if(!ok(c != NULL, "connect to a server process"))
		return;
	ok(attach(c, 1) == 0 && walk1(c, 1, 2, "hang") == 0 && fidop(c, Topen, 2, STYX_OREAD) == 0, "open hang");
	if(fork() == 0){
		usleep(200*1000);
		kill(pid, SIGKILL);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = rw(c, Tread, 2, 0, buf, sizeof buf, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ok(n < 0 && strstr(lasterr, "hangup") != NULL, "read in progress fails cleanly: %s", lasterr);
	ok(t1.tv_sec - t0.tv_sec < 10, "and promptly");
	ok(styx_client_dead(c), "client knows the connection is dead");
	ok(attach(c, 5) < 0 && strstr(lasterr, "hangup") != NULL, "later rpcs fail at once: %s", lasterr);
	styx_client_free(c);
	waitpid(pid, &st, 0);
	while(wait(NULL) > 0)
		;
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "server was killed");
}

int
main(void)
{
	Served s;
	StyxClient *c;
	char err[STYX_ERRMAX];
	int fd;

	signal(SIGPIPE, SIG_IGN);
	alarm(120);	/* a deadlock fails the test instead of hanging make test */
	mktree();
	killed();		/* first: fork before any thread exists */
	fd = startserver(&s, 0);
	c = styx_client_new(fd, 1<<20, err);
	if(!ok(c != NULL, "version negotiated: %s", c ? "" : err))
		return done_testing();
	is(styx_client_msize(c), STYX_DEFMSIZE, "msize is the server's %d", STYX_DEFMSIZE);
	basics(c);
	concurrent(c);
	flushing(c);
	parking(c);
	calls(c);
	styx_client_free(c);
	pthread_join(s.t, NULL);
	ok(s.rc == 0, "server saw a clean hangup");
	msizes();
	versions();
	serverchecks();
	fidsgone();
	destroyfirst();
	openthenclunk();
	replyfirst();
	flushfirst();
	flushbytag();
	for(int i = 0; i < 4; i++)
		flushhostile(i);
	freenodes(root);
	freenodes(graveyard);
	return done_testing();
}
