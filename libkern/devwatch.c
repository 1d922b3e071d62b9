/*
 * devwatch.c — #W, change notification queues: what Linux's inotify
 * gives a program, for the personality (kwatchnew, kwatch, kunwatch).
 *
 * A queue is a Chan born open (as #N's connections), shared by dup,
 * fork and SCM_RIGHTS as any open file; its read gives whole event
 * records in Linux's struct inotify_event form (wd, mask, cookie, len,
 * then the name, NUL-padded to a multiple of 16 bytes: the host's own
 * form, which the host's inotify gives us), Ebadarg where the buffer
 * is too small for the next one; it waits for one unless up->nowait.
 * Readiness (kpoll) is "readable while something is queued".
 *
 * Where events come from.  A '#U' file's changes are made by guests
 * (through devfs's host calls), the host's programs and other
 * sandboxes alike, so the host's inotify sees them all: a watch on a
 * '#U' file or directory is a host watch on the host object, found by
 * devfs (fswatchfd: an O_PATH descriptor resolved in the tree, never a
 * host path) and named to inotify_add_watch as /proc/self/fd/N.  One
 * host inotify descriptor and one reader thread serve every queue of
 * the process, made at the first watch: the host's per-user limits
 * (max_user_instances, 128 by default, shared by every process of the
 * user) are not the guests' to spend, and a descriptor per queue or per
 * sandbox would let one guest exhaust them.  A host object watched by
 * several queues (or twice through two names in one: the same host wd,
 * so the same guest wd, as Linux gives one wd per inode per instance)
 * is one host watch, asked for what all its users want; its mask only
 * grows (inotify_add_watch needs a path to narrow it, and the object
 * may have moved), each user filtering what it did not ask for.
 *
 * Other devices' files (#e, #c, pipes, 9P mounts) get a watch that
 * never fires but IN_IGNORED at its removal: the kernel's own changes
 * to them are not reported (doc/guest-abi.md says why), and Linux's
 * v9fs reports no remote changes either.
 *
 * A union directory's watch watches each '#U' member: events of their
 * entries are the union's (names as the members list them); the first
 * member's own events (IN_DELETE_SELF, IN_MOVE_SELF, IN_ATTRIB of the
 * directory) are the union's, and its end ends the watch.
 *
 * Bounds: watches and queues per sandbox (the Boxacct; procs in none
 * share one account) as Linux's max_user_watches and max_user_instances
 * (ENOSPC, EMFILE), and events per queue as max_queued_events, after
 * which one IN_Q_OVERFLOW is queued; the events are kernel memory of
 * the sandbox (kboxmemcharge, -M), as Linux charges them to the memory
 * cgroup: past its bound, the overflow too.  One lock guards it all.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

enum {
	Evhdr = 16,		/* struct inotify_event */
	Nhash = 256,
	Readbuf = 64 * 1024,
	Guestbits = IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR |
		IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT,
	Selfevents = IN_DELETE_SELF | IN_MOVE_SELF,
};

typedef struct Wev Wev;
typedef struct Hwatch Hwatch;
typedef struct Wuse Wuse;
typedef struct Watch Watch;
typedef struct Wq Wq;

/* A queued event; name holds len bytes (0 or the padded name). */
struct Wev {
	Wev *next;
	int wd;
	uint32_t mask, cookie, len;
	uint32_t charged;	/* bytes charged to the sandbox */
	char name[];
};

/* One host watch: one host object, for every queue watching it. */
struct Hwatch {
	Hwatch *next;		/* in its hash chain */
	int hwd;		/* the host's wd */
	uint32_t mask;		/* asked of the host (event bits) */
	int excl;		/* with IN_EXCL_UNLINK */
	Wuse *uses;
};

/* A guest watch's use of a host watch: its object itself (self) or a
 * member of the union directory it watches. */
struct Wuse {
	Wuse *next;		/* in hw->uses */
	Watch *w;
	Hwatch *hw;
	int self;
};

/* A guest watch: one wd of one queue. */
struct Watch {
	Watch *next;		/* in q->watches */
	Wq *q;
	int wd;
	uint32_t mask;		/* the guest's, with IN_ONESHOT, IN_EXCL_UNLINK */
	int dc;			/* the object: its device, instance, qid path
				 * (its identity where no host watch is) */
	uint dev;
	uvlong qpath;
	int hself;		/* the host wd of the object itself, or -1 */
	Wuse **use;
	int nuse;
};

/* A queue: the Chan's aux. */
struct Wq {
	Wq *next;		/* in wk.queues */
	Boxacct *acct;		/* its sandbox's (a reference), or NULL */
	Watch *watches;
	int lastwd;
	Wev *head, *tail;
	int nev;
	long bytes;		/* FIONREAD */
	Wev *overflow;		/* the queued IN_Q_OVERFLOW, or NULL */
	pthread_cond_t cv;
};

static struct {
	pthread_mutex_t lk;
	int hostfd;		/* the host inotify, or -1 until the first watch */
	int reader;		/* the reader thread runs */
	Hwatch *hash[Nhash];
	Wq *queues;
	atomic_int nwatch, nqueue;	/* of procs in no sandbox */
	int woke;		/* a queue gained events: pollwakeup once unlocked */
} wk = { PTHREAD_MUTEX_INITIALIZER, -1, 0, { 0 }, NULL, 0, 0, 0 };

static atomic_ulong watchpath;
static atomic_int nhost;		/* host watches: hostsync has work */
static pthread_mutex_t rdlk = PTHREAD_MUTEX_INITIALIZER;	/* the host queue's reader */

static atomic_int *
watchcount(Boxacct *a)
{
	return a != NULL ? &a->nwatch : &wk.nwatch;
}

static atomic_int *
queuecount(Boxacct *a)
{
	return a != NULL ? &a->nwatchq : &wk.nqueue;
}

static int
isqueue(Chan *c)
{
	return c->type >= 0 && devtab[c->type] != NULL && devtab[c->type]->dc == 'W' && c->aux != NULL;
}

/* wk.lk held: append an event to q, merged with an identical last one
 * as Linux merges, or IN_Q_OVERFLOW past the bound or past the kernel
 * memory of q's sandbox (-M), to which the events are charged. */
static void
qput(Wq *q, int wd, uint32_t mask, uint32_t cookie, const char *name)
{
	size_t nl, len;
	Wev *e, *t;
	int full;

	nl = name != NULL ? strlen(name) : 0;
	len = nl > 0 ? (nl + 1 + Evhdr - 1) / Evhdr * Evhdr : 0;
	full = q->nev >= Kmaxevents;
	if(!full && (t = q->tail) != NULL && !(t->mask & IN_IGNORED) && t->mask == mask && t->wd == wd &&
	   t->len == len && (nl == 0 || strcmp(t->name, name) == 0))
		return;
	if(!full && kboxmemcharge(q->acct, sizeof *e + len) < 0)
		full = 1;
	if(full){
		if(q->overflow != NULL)
			return;
		wd = -1;
		mask = IN_Q_OVERFLOW;
		cookie = 0;
		nl = len = 0;
	}
	e = kzalloc(sizeof *e + len);
	e->wd = wd;
	e->mask = mask;
	e->cookie = cookie;
	e->len = len;
	e->charged = full ? 0 : sizeof *e + len;
	if(nl > 0)
		memcpy(e->name, name, nl);
	if(full)
		q->overflow = e;
	if(q->tail != NULL)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->nev++;
	q->bytes += Evhdr + len;
	pthread_cond_broadcast(&q->cv);
	wk.woke = 1;
}

/* An event of q's taken or dropped */
static void
evfree(Wq *q, Wev *e)
{
	kboxmemcharge(q->acct, -(vlong)e->charged);
	free(e);
}

static Hwatch **
hwslot(int hwd)
{
	Hwatch **l;

	for(l = &wk.hash[(unsigned)hwd % Nhash]; *l != NULL; l = &(*l)->next)
		if((*l)->hwd == hwd)
			break;
	return l;
}

/* wk.lk held: hw has no users left: the host forgets it too (unless
 * gone already, the host's IN_IGNORED read), and so do we. */
static void
hwdrop(Hwatch *hw, int gone)
{
	Hwatch **l;

	if(hw->uses != NULL)
		return;
	l = hwslot(hw->hwd);
	if(*l == hw)
		*l = hw->next;
	if(!gone)
		inotify_rm_watch(wk.hostfd, hw->hwd);
	atomic_fetch_sub(&nhost, 1);
	free(hw);
}

/* wk.lk held: u leaves its host watch's users; the host watch goes with
 * its last unless it is gone (gone: its hwd, else -1). */
static void
unuse(Wuse *u, int gone)
{
	Wuse **l;

	for(l = &u->hw->uses; *l != NULL; l = &(*l)->next)
		if(*l == u){
			*l = u->next;
			break;
		}
	hwdrop(u->hw, u->hw->hwd == gone);
	free(u);
}

/* wk.lk held: w ends (IN_IGNORED queued if ignored), its uses of host
 * watches let go; gone: a host wd the host has dropped already, or -1. */
static void
watchend(Watch *w, int ignored, int gone)
{
	Watch **l;
	int i;

	for(l = &w->q->watches; *l != NULL; l = &(*l)->next)
		if(*l == w){
			*l = w->next;
			break;
		}
	if(ignored)
		qput(w->q, w->wd, IN_IGNORED, 0, NULL);
	for(i = 0; i < w->nuse; i++)
		unuse(w->use[i], gone);
	atomic_fetch_sub(watchcount(w->q->acct), 1);
	free(w->use);
	free(w);
}

/* wk.lk held: host watch hwd reports mask (cookie, name) to its users
 * (none when we know it no more: a removed watch's IN_IGNORED). */
static void
dispatch(int hwd, uint32_t mask, uint32_t cookie, const char *name)
{
	Hwatch *hw;
	Wuse *u, *next;
	Watch *w;
	uint32_t m;
	Wq *q;

	if(hwd == -1){
		if(mask & IN_Q_OVERFLOW)
			for(q = wk.queues; q != NULL; q = q->next)
				qput(q, -1, IN_Q_OVERFLOW, 0, NULL);
		return;
	}
	hw = *hwslot(hwd);
	if(hw == NULL)
		return;
	for(u = hw->uses; u != NULL; u = next){
		next = u->next;
		w = u->w;
		if(mask & IN_IGNORED){
			if(u->self)
				watchend(w, 1, hwd);	/* frees u; next stays valid */
			else{
				/* a union member gone: the union stays */
				for(int i = 0; i < w->nuse; i++)
					if(w->use[i] == u){
						w->use[i] = w->use[--w->nuse];
						break;
					}
				unuse(u, hwd);
			}
			continue;
		}
		/* a union member's own events are not the union's */
		if(!u->self && (name == NULL || name[0] == 0))
			continue;
		m = (mask & w->mask & IN_ALL_EVENTS) | (mask & IN_UNMOUNT);	/* Linux's IN_UNMOUNT is unasked */
		if(m == 0)
			continue;
		qput(w->q, w->wd, m | (mask & IN_ISDIR), cookie, name);
		if(w->mask & IN_ONESHOT)
			watchend(w, 1, -1);
	}
}

/* Take what the host has queued and hand it to the queues; the host's
 * reads and their dispatch in one order (rdlk).  0 when it had nothing. */
static int
drain(void)
{
	static char buf[Readbuf];
	struct inotify_event *e;
	ssize_t n;
	char *p;
	int woke, any;

	any = 0;
	pthread_mutex_lock(&rdlk);
	while((n = read(wk.hostfd, buf, sizeof buf)) > 0){
		any = 1;
		pthread_mutex_lock(&wk.lk);
		for(p = buf; p + Evhdr <= buf + n; p += Evhdr + e->len){
			e = (struct inotify_event *)p;
			dispatch(e->wd, e->mask, e->cookie, e->len > 0 ? e->name : NULL);
		}
		woke = wk.woke;
		wk.woke = 0;
		pthread_mutex_unlock(&wk.lk);
		if(woke)
			pollwakeup();
	}
	pthread_mutex_unlock(&rdlk);
	return any;
}

/*
 * The host queues an event in the host call that made the change, and
 * Linux queues a guest's in the guest's: a program that writes a file
 * and then reads or polls its watch without waiting finds the event
 * there.  So whoever looks at a queue (a read, a readiness test,
 * FIONREAD) first takes what the host has queued by then, not only
 * the reader thread, as it comes: a change made before the look, by a
 * guest, the host or another sandbox, is seen by it.  No other call
 * pays anything.
 */
static void
hostsync(void)
{
	if(atomic_load_explicit(&nhost, memory_order_relaxed) != 0)
		drain();
}

static void
readermain(void)
{
	struct pollfd pf;

	for(;;){
		pf.fd = wk.hostfd;
		pf.events = POLLIN;
		if(poll(&pf, 1, -1) <= 0)
			continue;
		if(!drain())
			usleep(1000);	/* another drained it first; never spin */
	}
}

static void *
readerthread(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	readermain();
	return NULL;
}

/* wk.lk held: the host inotify and its reader, made once. */
static int
hoststart(void)
{
	pthread_attr_t attr;
	pthread_t th;
	int fd;

	if(wk.reader)
		return 0;
	if(wk.hostfd < 0){
		fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if(fd < 0)
			return ksetosErr(errno);
		wk.hostfd = fd;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 << 10);
	if(pthread_create(&th, &attr, readerthread, NULL) != 0){
		pthread_attr_destroy(&attr);
		return ksetosErr(EAGAIN);
	}
	pthread_attr_destroy(&attr);
	wk.reader = 1;
	return 0;
}

/* wk.lk held: a host watch on the object of O_PATH descriptor fd, for
 * want (event bits, IN_EXCL_UNLINK), found or made; NULL with the error. */
static Hwatch *
hostwatch(int fd, uint32_t want)
{
	char path[64];
	uint32_t events;
	Hwatch *hw, **l;
	int hwd, excl;

	if(hoststart() < 0)
		return NULL;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	events = want & IN_ALL_EVENTS;
	hwd = inotify_add_watch(wk.hostfd, path, events | IN_MASK_ADD);
	if(hwd < 0){
		ksetosErr(errno);
		return NULL;
	}
	l = hwslot(hwd);
	hw = *l;
	excl = (want & IN_EXCL_UNLINK) != 0;
	if(hw == NULL){
		hw = kzalloc(sizeof *hw);
		hw->hwd = hwd;
		hw->mask = events;
		hw->excl = 0;
		*l = hw;
		atomic_fetch_add(&nhost, 1);
	}else{
		hw->mask |= events;
		excl &= hw->excl;
	}
	/* IN_EXCL_UNLINK while every user wants it */
	if(excl != hw->excl){
		if(inotify_add_watch(wk.hostfd, path, hw->mask | (excl ? IN_EXCL_UNLINK : 0)) == hwd)
			hw->excl = excl;
	}
	return hw;
}

static Watch *
findwatch(Wq *q, int wd)
{
	Watch *w;

	for(w = q->watches; w != NULL; w = w->next)
		if(w->wd == wd)
			break;
	return w;
}

/* wk.lk held: a new wd of q, as Linux's: increasing from 1, never one
 * in use. */
static int
newwd(Wq *q)
{
	do{
		if(++q->lastwd <= 0)
			q->lastwd = 1;
	}while(findwatch(q, q->lastwd) != NULL);
	return q->lastwd;
}

/* wk.lk held: w now uses host watch hw (self: its object's own) */
static void
adduse(Watch *w, Hwatch *hw, int self)
{
	Wuse *u;

	for(u = hw->uses; u != NULL; u = u->next)
		if(u->w == w)
			return;
	u = kzalloc(sizeof *u);
	u->w = w;
	u->hw = hw;
	u->self = self;
	u->next = hw->uses;
	hw->uses = u;
	w->use = realloc(w->use, (w->nuse + 1) * sizeof *w->use);
	if(w->use == NULL)
		abort();
	w->use[w->nuse++] = u;
}

/* What a watch is on: its identity, and its '#U' host objects as
 * O_PATH descriptors (fds[0] the object itself where first). */
typedef struct Wobj {
	int dc;
	uint dev;
	uvlong qpath;
	int isdir;
	int fds[8];
	int nfd;
	int first;
} Wobj;

/* What path names: with IN_DONT_FOLLOW, a '#U' link itself where it is
 * one (no device but #U has links); else the file it leads to, and
 * each '#U' member of a union directory.  0, or -1 with the error. */
static int
watchobj(char *path, uint32_t mask, Wobj *o)
{
	Chan **mem, *c;
	Dirx dx;
	Dir *d;
	int i, n, fd;

	memset(o, 0, sizeof *o);
	if(mask & IN_DONT_FOLLOW){
		memset(&dx, 0, sizeof dx);
		d = klstatx(path, &dx);
		if(d == NULL)
			return -1;
		if(d->mode & DMSYMLINK){
			o->dc = d->type;
			o->dev = d->dev;
			o->qpath = d->qid.path;
			free(d);
			if((fd = fswatchlinkfd(path)) < 0)
				return -1;
			o->fds[0] = fd;
			o->nfd = o->first = 1;
			return 0;
		}
		free(d);
	}
	c = namec(path, Aaccess, 0, 0);
	if(c == NULL)
		return -1;
	o->dc = devtab[c->type]->dc;
	o->dev = c->dev;
	o->qpath = c->qid.path;
	o->isdir = (c->qid.type & QTDIR) != 0;
	mem = unionmembers(c, &n);
	if(mem == NULL){
		if((fd = fswatchfd(c)) >= 0){
			o->fds[0] = fd;
			o->nfd = o->first = 1;
		}
	}else{
		for(i = 0; i < n && o->nfd < (int)(sizeof o->fds / sizeof o->fds[0]); i++){
			if((fd = fswatchfd(mem[i])) < 0)
				continue;
			if(i == 0)
				o->first = 1;
			o->fds[o->nfd++] = fd;
		}
		freemembers(mem, n);
	}
	cclose(c);
	return 0;
}

static void
wobjclose(Wobj *o)
{
	int i;

	for(i = 0; i < o->nfd; i++)
		close(o->fds[i]);
}

/* wk.lk held: host watches for o's objects in hw (each once); how
 * many, or -1 with the error (none made kept). */
static int
hostwatches(Wobj *o, uint32_t mask, Hwatch **hw)
{
	int i, j, n;

	n = 0;
	for(i = 0; i < o->nfd; i++){
		if((hw[n] = hostwatch(o->fds[i], mask)) == NULL){
			while(--n >= 0)
				hwdrop(hw[n], -1);
			return -1;
		}
		for(j = 0; j < n && hw[j] != hw[n]; j++)
			;
		if(j == n)
			n++;
		else if(i == 0)
			o->first = 0;
	}
	return n;
}

/* wk.lk held: q's watch of o (first: host wd hself), or NULL */
static Watch *
sameobject(Wq *q, Wobj *o, int hself)
{
	Watch *w;

	for(w = q->watches; w != NULL; w = w->next){
		if(hself >= 0 || w->hself >= 0){
			if(w->hself == hself)
				return w;
			continue;
		}
		if(w->dc == o->dc && w->dev == o->dev && w->qpath == o->qpath)
			return w;
	}
	return NULL;
}

/* wk.lk held: q's watch of o for mask: its wd, or -1 with the error */
static int
addwatch(Wq *q, Wobj *o, uint32_t mask, Hwatch **hw, int nh)
{
	Watch *w;
	int i, hself;

	hself = o->first && nh > 0 ? hw[0]->hwd : -1;
	w = sameobject(q, o, hself);
	if(w != NULL && (mask & IN_MASK_CREATE))
		return kseterr(Eexist);
	if(w == NULL){
		if(atomic_fetch_add(watchcount(q->acct), 1) >= Kmaxwatch){
			atomic_fetch_sub(watchcount(q->acct), 1);
			return ksetosErr(ENOSPC);
		}
		w = kzalloc(sizeof *w);
		w->q = q;
		w->wd = newwd(q);
		w->dc = o->dc;
		w->dev = o->dev;
		w->qpath = o->qpath;
		w->hself = hself;
		w->next = q->watches;
		q->watches = w;
	}else if(mask & IN_MASK_ADD)
		mask |= w->mask;
	/* the object's wd again, its mask replaced or added to */
	w->mask = mask & ~(uint32_t)(IN_MASK_ADD | IN_MASK_CREATE | IN_ONLYDIR | IN_DONT_FOLLOW);
	for(i = 0; i < nh; i++)
		adduse(w, hw[i], hself >= 0 && i == 0);
	return w->wd;
}

/* fd's queue Chan, referenced; NULL with the error ("bad arg" for
 * another file) */
static Chan *
queuechan(int fd)
{
	Chan *qc;

	if(kenter() < 0)
		return NULL;
	qc = fdtochan(fd, -1, 0, 1);
	if(qc != NULL && !isqueue(qc)){
		cclose(qc);
		return kseterrp(Ebadarg);
	}
	return qc;
}

int
kwatch(int fd, char *path, ulong mask)
{
	Hwatch *hw[8];
	Chan *qc;
	Wobj o;
	int i, nh, r;

	if(kenter() < 0)
		return -1;
	if((mask & ~(ulong)Guestbits) || mask == 0 ||
	   ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)))
		return kseterr(Ebadarg);
	if((qc = queuechan(fd)) == NULL)
		return -1;
	r = -1;
	if(watchobj(path, mask, &o) < 0)
		goto out;
	if((mask & IN_ONLYDIR) && !o.isdir){
		kseterr(Enotdir);
		goto out;
	}
	for(i = 0; i < o.nfd; i++)
		if(syscall(SYS_faccessat2, o.fds[i], "", R_OK, AT_EMPTY_PATH) < 0 && errno == EACCES){
			kseterr(Eperm);
			goto out;
		}
	pthread_mutex_lock(&wk.lk);
	nh = hostwatches(&o, mask, hw);
	if(nh >= 0){
		r = addwatch(qc->aux, &o, mask, hw, nh);
		for(i = 0; i < nh; i++)
			hwdrop(hw[i], -1);	/* those that found no user */
	}
	pthread_mutex_unlock(&wk.lk);
out:
	wobjclose(&o);
	cclose(qc);
	return r;
}

int
kunwatch(int fd, int wd)
{
	Chan *qc;
	Watch *w;
	int woke;

	if((qc = queuechan(fd)) == NULL)
		return -1;
	pthread_mutex_lock(&wk.lk);
	w = findwatch(qc->aux, wd);
	if(w != NULL)
		watchend(w, 1, -1);
	woke = wk.woke;
	wk.woke = 0;
	pthread_mutex_unlock(&wk.lk);
	cclose(qc);
	if(woke)
		pollwakeup();
	return w != NULL ? 0 : kseterr(Ebadarg);
}

/* Bytes queue fd would give a read of everything (FIONREAD), or -1. */
long
kwatchqueued(int fd)
{
	Chan *qc;
	long n;

	if((qc = queuechan(fd)) == NULL)
		return -1;
	hostsync();
	pthread_mutex_lock(&wk.lk);
	n = ((Wq *)qc->aux)->bytes;
	pthread_mutex_unlock(&wk.lk);
	cclose(qc);
	return n;
}

int
kwatchnew(void)
{
	Boxacct *a;
	Chan *c;
	Wq *q;
	int t;

	if(kenter() < 0)
		return -1;
	t = devno('W', 0);
	if(t < 0)
		return kseterr("not implemented");	/* #W not configured: ENOSYS, as a Linux without inotify */
	a = up->acct;
	if(atomic_fetch_add(queuecount(a), 1) >= Kmaxqueue){
		atomic_fetch_sub(queuecount(a), 1);
		return kseterr(Emfile);
	}
	q = kzalloc(sizeof *q);
	pthread_cond_init(&q->cv, NULL);
	if(a != NULL){
		incref(&a->ref);
		q->acct = a;
	}
	c = newchan();
	c->type = t;
	c->qid = mkqid(atomic_fetch_add(&watchpath, 1) + 1, 0, QTFILE);
	c->mode = OREAD;
	c->flag = COPEN;
	c->aux = q;
	c->path = newpath("#W/inotify");
	pthread_mutex_lock(&wk.lk);
	q->next = wk.queues;
	wk.queues = q;
	pthread_mutex_unlock(&wk.lk);
	return chanfd(c);
}

static Chan *
watchattach(char *spec)
{
	(void)spec;
	return kseterrp(Enoattach);
}

static Walkqid *
watchwalk(Chan *c, Chan *nc, char **name, int nname)
{
	(void)c; (void)nc; (void)name; (void)nname;
	return kseterrp(Eisopen);
}

static int
watchstat(Chan *c, uchar *db, int n)
{
	Dir d;
	int m;

	devdir(c, c->qid, "inotify", 0, kern.eve, 0600, &d);
	m = convD2M(&d, db, n);
	if(m == 0)
		return kseterr(Eshortstat);
	return m;
}

static Chan *
watchopen(Chan *c, int omode)
{
	(void)omode;
	return c;
}

static void
watchclose(Chan *c)
{
	Wq *q, **l;
	Wev *e;

	q = c->aux;
	if(q == NULL)
		return;
	pthread_mutex_lock(&wk.lk);
	while(q->watches != NULL)
		watchend(q->watches, 0, -1);
	for(l = &wk.queues; *l != NULL; l = &(*l)->next)
		if(*l == q){
			*l = q->next;
			break;
		}
	pthread_mutex_unlock(&wk.lk);
	while((e = q->head) != NULL){
		q->head = e->next;
		evfree(q, e);
	}
	atomic_fetch_sub(queuecount(q->acct), 1);
	if(q->acct != NULL)
		kboxput(q->acct);
	pthread_cond_destroy(&q->cv);
	free(q);
	c->aux = NULL;
}

/* wk.lk held: as many whole events of q as fit in n bytes at buf */
static long
takeevents(Wq *q, char *buf, long n)
{
	long done;
	Wev *e;

	done = 0;
	while((e = q->head) != NULL && done + Evhdr + (long)e->len <= n){
		memcpy(buf + done, &e->wd, 4);
		memcpy(buf + done + 4, &e->mask, 4);
		memcpy(buf + done + 8, &e->cookie, 4);
		memcpy(buf + done + 12, &e->len, 4);
		memcpy(buf + done + Evhdr, e->name, e->len);
		done += Evhdr + e->len;
		q->head = e->next;
		if(q->head == NULL)
			q->tail = NULL;
		if(q->overflow == e)
			q->overflow = NULL;
		q->nev--;
		q->bytes -= Evhdr + e->len;
		evfree(q, e);
	}
	return done;
}

static long
watchread(Chan *c, void *buf, long n, vlong off)
{
	Wq *q;
	long r;

	(void)off;
	q = c->aux;
	hostsync();
	pthread_mutex_lock(&wk.lk);
	for(;;){
		if(q->head != NULL){
			r = takeevents(q, buf, n);
			pthread_mutex_unlock(&wk.lk);
			return r > 0 ? r : kseterr(Ebadarg);
		}
		if(up != NULL && up->nowait){
			pthread_mutex_unlock(&wk.lk);
			return kseterr(Eagain);
		}
		procsleep(&wk.lk, &q->cv);
		if(procintr() < 0){
			pthread_mutex_unlock(&wk.lk);
			return -1;
		}
	}
}

static long
watchwrite(Chan *c, void *buf, long n, vlong off)
{
	(void)c; (void)buf; (void)n; (void)off;
	return kseterr(Ebadarg);
}

int
watchready(Chan *c, int events, int *hostfd)
{
	int r;

	(void)hostfd;
	if(c->aux == NULL)
		return 0;
	hostsync();
	pthread_mutex_lock(&wk.lk);
	r = ((Wq *)c->aux)->head != NULL ? events & KPREAD : 0;
	pthread_mutex_unlock(&wk.lk);
	return r;
}

Dev watchdevtab = {
	'W', "watch",
	NULL, watchattach, watchwalk, watchstat, watchopen, devcreate,
	watchclose, watchread, watchwrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
