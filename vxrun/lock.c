/*
 * lock.c — advisory file locks between guest processes, as Linux keeps
 * them: POSIX record locks (fcntl F_SETLK …, owned by the process),
 * OFD locks (F_OFD_SETLK …, owned by the open file) and flock (owned by
 * the open file, a space of its own).  Every guest of one vxinferno is
 * a thread of one host process, so the host's locks cannot tell them
 * apart: the table is ours, one for all guests, keyed by the file as
 * stat shows it (device character, instance, qid.path).  Guarded by
 * glk; a waiter sleeps on gcv, which a signal also wakes.
 *
 * An open file's locks go at its last close, which only the kernel
 * sees: it calls filegone (any thread, any lock held, so glk is out of
 * its reach), which queues the open file and, when a lock is waited
 * for, wakes the waiters (to drain the queue themselves) if glk is
 * free, else the reaper, a thread of ours that drains the queue under
 * glk and so wakes the waiters the drop lets in, one about to sleep
 * when the news came too.  Every operation drains the queue first, so a freed
 * open file's address, reused by a new one, never carries old locks
 * over.  An operation holds a reference to the open file it names
 * (kif_fdident's) until its lock is in the table, so the file cannot go
 * unreported in between.
 *
 * A waiter sleeps on gcv, which a signal also wakes; every change that
 * can let a waiter in (an unlock, a downgrade, a drop at a close or an
 * exit) broadcasts it under glk, so no wake-up is lost and a waiter
 * never looks again on a timer.
 *
 * A close drops the process's POSIX locks on the file after the kernel
 * has closed the fd (lkclosing, lkclosed), as Linux's filp_close; a
 * lock set meanwhile through that fd by another thread is undone by its
 * setter, who looks at the fd again after setting it (fcntllock).
 *
 * Each sandbox (a spawned guest and the processes it forks: Lproc.box)
 * has its share of the table (NLOCKMAX locks, ENOLCK past it, as Linux
 * when it cannot allocate a lock): a guest taking every other byte of a
 * file must not use up the host's memory, nor, where an embedding runs
 * several sandboxes in one process, the room of the others.  A lock
 * counts against the sandbox whose call made it.  A file's locks hang
 * from one of NHASH chains, so a guest's many locks on one file slow
 * only the operations on the files of that chain.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dat.h"

enum {
	LRDLCK = 0, LWRLCK = 1, LUNLCK = 2,
	LSEEK_SET = 0, LSEEK_CUR = 1, LSEEK_END = 2,
	LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8,
	MAXCHAIN = 10,		/* Linux's MAX_DEADLK_ITERATIONS */
	NLOCKMAX = 16384,	/* locks in the table, each sandbox's */
	NHASH = 64,
};
#define LEOF INT64_MAX

typedef struct Flk Flk;
typedef struct Lwait Lwait;
typedef struct Share Share;

/* A sandbox's locks in the table: how many of its NLOCKMAX it uses. */
struct Share {
	Share *next;
	int box;
	int n;
};

struct Flk {
	Flk *next;
	int dc;
	unsigned dev;
	unsigned long long path;
	int flock;		/* flock's space, else fcntl's */
	int pid;		/* POSIX: the owning process; 0: the open file owns it */
	void *file;		/* OFD and flock: the owning open file */
	int type;
	int64_t start, end;	/* inclusive; end LEOF: to any end of file */
	int box;		/* the sandbox whose call made it */
	Share *share;		/* box's count, once in the table */
};

/* A process waiting for a POSIX lock, and whose lock is in its way:
 * the chain EDEADLK follows. */
struct Lwait {
	Lwait *next;
	int pid;
	int onpid;
};

static Flk *locks[NHASH];
static Share *shares;		/* with glk; one with n 0 goes at setlk's next look */
static Lwait *lwaits;
static atomic_int nwaiting;	/* waiters for a lock; changed with glk */
static atomic_int nposix;	/* POSIX locks held: a close looks only when some are */

static pthread_mutex_t gonelk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gonecv = PTHREAD_COND_INITIALIZER;	/* the reaper's, with gonelk */
static void **gone;
static int ngone, gonecap;
static int reaping;		/* the reaper runs; else waiters look again every 50 ms */
static pthread_once_t goneonce = PTHREAD_ONCE_INIT;

static void drain(void);

static void
filegone(void *file)
{
	void **g;

	lnkgone(file);	/* a passed link's entry (fdtab.c) */
	pthread_mutex_lock(&gonelk);
	if(ngone == gonecap){
		g = realloc(gone, (gonecap * 2 + 16) * sizeof *g);
		if(g != NULL){
			gone = g;
			gonecap = gonecap * 2 + 16;
		}
	}
	if(ngone < gonecap)
		gone[ngone++] = file;
	pthread_mutex_unlock(&gonelk);
	/* A waiter counts itself before it drains: one that drained
	 * before this file came is counted here.  With glk free no waiter
	 * is between its drain and its sleep, and a wake-up under glk
	 * reaches them all (they drain for themselves); else (glk held,
	 * perhaps by the caller) the reaper's drain under glk wakes them. */
	if(atomic_load(&nwaiting) == 0)
		return;
	if(pthread_mutex_trylock(&glk) == 0){
		pokeall();
		pthread_mutex_unlock(&glk);
		return;
	}
	pthread_mutex_lock(&gonelk);
	pthread_cond_signal(&gonecv);
	pthread_mutex_unlock(&gonelk);
}

static void *
reaper(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&gonelk);
	for(;;){
		while(ngone == 0)
			pthread_cond_wait(&gonecv, &gonelk);
		pthread_mutex_unlock(&gonelk);
		pthread_mutex_lock(&glk);
		drain();
		pthread_mutex_unlock(&glk);
		pthread_mutex_lock(&gonelk);
	}
	return NULL;
}

static void
registergone(void)
{
	pthread_attr_t a;
	pthread_t th;

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 64 * 1024);
	reaping = pthread_create(&th, &a, reaper, NULL) == 0;
	pthread_attr_destroy(&a);
	kif_filegone(filegone);
}

/* Before an open file is asked about (kif_fdident), so its last close
 * is told to filegone. */
void
lkwatch(void)
{
	pthread_once(&goneonce, registergone);
}

/* With glk held: locks went or weakened; waiters look again. */
static void
letin(void)
{
	if(atomic_load(&nwaiting) > 0)
		pokeall();
}

/* The chain of the file's locks (both spaces: flock's and fcntl's). */
static Flk **
chain(int dc, unsigned dev, unsigned long long path)
{
	unsigned long long h;

	h = path * 0x9e3779b97f4a7c15ull ^ (unsigned long long)dev << 8 ^ (unsigned)dc;
	return &locks[(h ^ h >> 29) % NHASH];
}

static void
unlink1(Flk **pp)
{
	Flk *l = *pp;

	*pp = l->next;
	if(l->pid != 0)
		atomic_fetch_sub(&nposix, 1);
	l->share->n--;
	free(l);
}

static int samefile(Flk*, Flk*);
static int sameowner(Flk*, Flk*);
static void dropposix(Lproc*, Kifident*);
static int stillopen(int, void*);

/* Linux keeps a file's locks grouped by owner, owners in the order they
 * came, each one's by start: F_GETLK reports the first conflict in that
 * order, so the table keeps it too. */
static void
link1(Flk *l)
{
	Flk **pp;

	for(pp = chain(l->dc, l->dev, l->path); *pp != NULL && !(samefile(*pp, l) && sameowner(*pp, l)); pp = &(*pp)->next)
		;
	for(; *pp != NULL && samefile(*pp, l) && sameowner(*pp, l) && (*pp)->start < l->start; pp = &(*pp)->next)
		;
	l->next = *pp;
	*pp = l;
	l->share->n++;
	if(l->pid != 0)
		atomic_fetch_add(&nposix, 1);
}

static int
ptrcmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void**)a, y = (uintptr_t)*(void**)b;

	return x < y ? -1 : x > y;
}

/* With glk held: drop the locks of open files that have gone.  The
 * queue is sorted and searched: an exit may report every file the
 * process had open at once. */
static void
drain(void)
{
	Flk **pp;
	int i, n, hit;

	pthread_mutex_lock(&gonelk);
	n = ngone;
	hit = 0;
	if(n > 1)
		qsort(gone, n, sizeof gone[0], ptrcmp);
	for(i = 0; i < NHASH && n > 0; i++)
		for(pp = &locks[i]; *pp != NULL; )
			if((*pp)->pid == 0 && bsearch(&(*pp)->file, gone, n, sizeof gone[0], ptrcmp) != NULL){
				unlink1(pp);
				hit = 1;
			}else
				pp = &(*pp)->next;
	ngone = 0;
	pthread_mutex_unlock(&gonelk);
	if(hit)
		letin();
}

static int
samefile(Flk *a, Flk *b)
{
	return a->dc == b->dc && a->dev == b->dev && a->path == b->path && a->flock == b->flock;
}

static int
sameowner(Flk *a, Flk *b)
{
	return a->pid == b->pid && (a->pid != 0 || a->file == b->file);
}

static Flk *
conflict(Flk *r)
{
	Flk *l;

	for(l = *chain(r->dc, r->dev, r->path); l != NULL; l = l->next)
		if(samefile(l, r) && !sameowner(l, r) && (l->type == LWRLCK || r->type == LWRLCK)
		&& l->start <= r->end && r->start <= l->end)
			return l;
	return NULL;
}

/* Is owner pid, about to wait for a lock of onpid's, waiting on itself
 * through a chain of waiting processes? */
static int
deadlock(int pid, int onpid)
{
	Lwait *w;
	int i;

	for(i = 0; i < MAXCHAIN; i++){
		for(w = lwaits; w != NULL; w = w->next)
			if(w->pid == onpid)
				break;
		if(w == NULL)
			return 0;
		onpid = w->onpid;
		if(onpid == pid)
			return 1;
	}
	return 0;
}

/* How many locks r's setting adds at most (itself, and the far piece
 * of a lock of its owner it splits); -1: the owner holds it already. */
static int
lkneed(Flk *r)
{
	Flk *l;

	for(l = *chain(r->dc, r->dev, r->path); l != NULL; l = l->next)
		if(samefile(l, r) && sameowner(l, r) && l->start <= r->start && l->end >= r->end){
			if(l->type == r->type)
				return -1;
			return (r->type != LUNLCK) + (l->start < r->start && l->end > r->end);
		}
	return r->type != LUNLCK;
}

/* With glk held: box's count (made when there is none; NULL if no
 * memory), the counts of sandboxes holding no lock freed on the way. */
static Share *
share(int box)
{
	Share **pp, *s, *found;

	found = NULL;
	for(pp = &shares; (s = *pp) != NULL; )
		if(s->box == box){
			found = s;
			pp = &s->next;
		}else if(s->n == 0){
			*pp = s->next;
			free(s);
		}else
			pp = &s->next;
	if(found == NULL && (found = calloc(1, sizeof *found)) != NULL){
		found->box = box;
		found->next = shares;
		shares = found;
	}
	return found;
}

/* With glk held, no conflict: r's owner now holds r->type over r's
 * range (LUNLCK: nothing), its other locks split around it and those
 * of the same type next to it merged in, as Linux does.  r is the
 * table's now, or freed. */
static int
setlk(Flk *r)
{
	Flk **pp, *l, *spare;
	Share *sh;
	int need;

	need = lkneed(r);
	if(need < 0){
		free(r);
		return 0;
	}
	sh = share(r->box);
	if(sh == NULL || sh->n + need > NLOCKMAX){
		free(r);
		return -ENOLCK;
	}
	r->share = sh;
	spare = malloc(sizeof *spare);
	if(spare == NULL){
		free(r);
		return -ENOLCK;
	}
	for(pp = chain(r->dc, r->dev, r->path); (l = *pp) != NULL; ){
		if(!samefile(l, r) || !sameowner(l, r) || l->end < r->start || l->start > r->end){
			pp = &l->next;
			continue;
		}
		if(l->start < r->start && l->end > r->end){
			/* r inside l: at most one lock is split, so one spare does */
			*spare = *l;
			spare->box = r->box;	/* r's call makes it: counted in r's share */
			spare->share = sh;
			spare->start = r->end + 1;
			l->end = r->start - 1;
			link1(spare);
			spare = NULL;
			pp = &l->next;
		}else if(l->start < r->start){
			l->end = r->start - 1;
			pp = &l->next;
		}else if(l->end > r->end){
			l->start = r->end + 1;
			pp = &l->next;
		}else
			unlink1(pp);
	}
	free(spare);
	if(r->type == LUNLCK){
		free(r);
		letin();
		return 0;
	}
	for(pp = chain(r->dc, r->dev, r->path); (l = *pp) != NULL; ){
		if(samefile(l, r) && sameowner(l, r) && l->type == r->type
		&& ((l->end != LEOF && l->end + 1 == r->start) || (r->end != LEOF && r->end + 1 == l->start))){
			if(l->start < r->start)
				r->start = l->start;
			if(l->end > r->end)
				r->end = l->end;
			unlink1(pp);
		}else
			pp = &l->next;
	}
	link1(r);
	letin();	/* a downgrade may let readers in */
	return 0;
}

/* With glk held: wait until r can be had, then take it; or fail EAGAIN
 * (nowait), EDEADLK, or for a signal. */
static long
acquire(Lthread *t, Flk *r, int wait)
{
	struct timespec dl;
	Lwait w, **wp;
	Flk *c;
	long err;
	int listed;

	w.pid = r->pid;
	listed = 0;
	err = 1;
	if(wait)
		atomic_fetch_add(&nwaiting, 1);	/* before drain: filegone */
	for(;;){
		drain();
		c = r->type == LUNLCK ? NULL : conflict(r);
		if(c == NULL)
			break;
		if(!wait){
			err = -EAGAIN;
			break;
		}
		if(r->pid != 0 && c->pid != 0 && deadlock(r->pid, c->pid)){
			err = -EDEADLK;
			break;
		}
		if(interrupted(t)){
			err = -LERESTART;
			break;
		}
		w.onpid = c->pid;
		if(r->pid != 0 && !listed){
			w.next = lwaits;
			lwaits = &w;
			listed = 1;
		}
		if(reaping)
			pthread_cond_wait(&gcv, &glk);
		else{
			/* no reaper: a last close cannot wake us */
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_nsec += 50 * 1000000;
			if(dl.tv_nsec >= 1000000000){
				dl.tv_nsec -= 1000000000;
				dl.tv_sec++;
			}
			pthread_cond_timedwait(&gcv, &glk, &dl);
		}
	}
	if(wait)
		atomic_fetch_sub(&nwaiting, 1);
	for(wp = &lwaits; listed && *wp != NULL; wp = &(*wp)->next)
		if(*wp == &w){
			*wp = w.next;
			break;
		}
	if(err != 1){
		free(r);
		return err;
	}
	return setlk(r);
}

/* A request for fd's file, or NULL and the error in *err.  It holds a
 * reference to the open file (id->file) for kif_fileput to drop, with
 * glk not held: the last reference's close may be a device's. */
static Flk *
newlk(Lthread *t, int fd, Kifident *id, long *err)
{
	Flk *r;

	lkwatch();
	if(kif_fdident(fd, id) < 0){
		*err = -EBADF;
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if(r == NULL){
		kif_fileput(id->file);
		*err = -ENOLCK;
		return NULL;
	}
	r->dc = id->dc;
	r->dev = id->dev;
	r->path = id->path;
	r->box = t->p->box;
	return r;
}

/* The lock's range from l_whence, l_start, l_len, as Linux reckons it. */
static long
lkrange(uint32_t fd, int whence, int64_t start, int64_t len, int64_t *s, int64_t *e)
{
	Kifstat x;
	Dir *d;
	int64_t base;

	switch(whence){
	case LSEEK_SET:
		base = 0;
		break;
	case LSEEK_CUR:
		base = kseek(fd, 0, KSEEKCUR);
		if(base < 0)
			base = 0;
		break;
	case LSEEK_END:
		d = kif_dirstat(NULL, fd, &x);
		if(d == NULL)
			return -EBADF;
		base = d->length;
		free(d);
		break;
	default:
		return -EINVAL;
	}
	if(base < 0)	/* a length past 2^63 from a device */
		return -EINVAL;
	if(__builtin_add_overflow(base, start, &start))
		return -EOVERFLOW;
	if(start < 0)
		return -EINVAL;
	if(len > 0){
		if(__builtin_add_overflow(start, len - 1, e))
			return -EOVERFLOW;
	}else if(len == 0)
		*e = LEOF;
	else{
		*e = start - 1;
		start += len;
		if(start < 0)
			return -EINVAL;
	}
	*s = start;
	return 0;
}

/*
 * fcntl's locks.  wide: struct flock64 (type, whence: 16 bits; start,
 * len: 64; pid: 32), else struct flock (start, len: 32).  ofd: the open
 * file owns the lock.  cmd: 0 get, 1 set, 2 set and wait.
 */
long
fcntllock(Lthread *t, uint32_t fd, uint32_t addr, int wide, int ofd, int cmd)
{
	Kifident id;
	uint8_t *p;
	Flk *r, *c;
	int64_t start, len, s, e;
	int type, mode, pid, owner;
	long err;

	p = gmem(t, addr, wide ? 24 : 16, cmd == 0 ? VX_PROT_READ | VX_PROT_WRITE : VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	type = (int16_t)(p[0] | p[1] << 8);
	start = wide ? (int64_t)get64(p + 4) : (int32_t)get32(p + 4);
	len = wide ? (int64_t)get64(p + 12) : (int32_t)get32(p + 8);
	pid = (int32_t)get32(p + (wide ? 20 : 12));
	if(ofd && pid != 0)
		return -EINVAL;
	if(type != LRDLCK && type != LWRLCK && (type != LUNLCK || cmd == 0))
		return -EINVAL;
	mode = fdflags(t->p, fd) & 3;
	if(cmd != 0 && ((type == LRDLCK && mode == 1) || (type == LWRLCK && mode == 0)))
		return -EBADF;
	err = lkrange(fd, (int16_t)(p[2] | p[3] << 8), start, len, &s, &e);
	if(err < 0)
		return err;
	r = newlk(t, fd, &id, &err);
	if(r == NULL)
		return err;
	r->type = type;
	r->start = s;
	r->end = e;
	if(ofd)
		r->file = id.file;
	else
		r->pid = t->p->pid;
	pthread_mutex_lock(&glk);
	if(cmd != 0){
		err = acquire(t, r, cmd == 2);
		pthread_mutex_unlock(&glk);
		if(err == 0 && !ofd && type != LUNLCK && (!fdcheck(t->p, fd) || !stillopen(fd, id.file))){
			/* closed meanwhile by another thread, whose close may
			 * have dropped the process's locks before this one came
			 * (lkclosing): what a close drops goes, as Linux's
			 * fcntl_setlk */
			pthread_mutex_lock(&glk);
			dropposix(t->p, &id);
			pthread_mutex_unlock(&glk);
			err = -EBADF;
		}
		kif_fileput(id.file);
		return err;
	}
	drain();
	c = conflict(r);
	if(c == NULL){
		pthread_mutex_unlock(&glk);
		kif_fileput(id.file);
		free(r);
		put16(p, LUNLCK);
		return 0;
	}
	*r = *c;
	pthread_mutex_unlock(&glk);
	kif_fileput(id.file);
	if(!wide && (r->start > INT32_MAX || (r->end != LEOF && r->end > INT32_MAX))){
		free(r);
		return -EOVERFLOW;
	}
	/* an OFD lock's owner is -1; another sandbox's process is none
	 * of this one's (Linux: 0 for a pid in no namespace it sees) */
	owner = r->pid == 0 ? -1 : r->box == t->p->box ? r->pid : 0;
	put16(p, r->type);
	put16(p + 2, LSEEK_SET);
	len = r->end == LEOF ? 0 : r->end - r->start + 1;
	if(wide){
		put64(p + 4, r->start);
		put64(p + 12, len);
		put32(p + 20, owner);
	}else{
		put32(p + 4, r->start);
		put32(p + 8, len);
		put32(p + 12, owner);
	}
	free(r);
	return 0;
}

/* flock(fd, op): a conversion drops the old lock first, as Linux's does. */
long
sys_flock(Lthread *t, uint32_t *a)
{
	Kifident id;
	Flk *r, **pp;
	uint32_t op;
	long err;

	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	op = a[1] & ~(uint32_t)LOCK_NB;
	if(op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
		return -EINVAL;
	r = newlk(t, a[0], &id, &err);
	if(r == NULL)
		return err;
	r->flock = 1;
	r->file = id.file;
	r->type = op == LOCK_SH ? LRDLCK : op == LOCK_EX ? LWRLCK : LUNLCK;
	r->start = 0;
	r->end = LEOF;
	pthread_mutex_lock(&glk);
	drain();
	for(pp = chain(r->dc, r->dev, r->path); *pp != NULL; pp = &(*pp)->next)
		if(samefile(*pp, r) && sameowner(*pp, r))
			break;
	if(*pp != NULL && (*pp)->type == r->type){
		free(r);
		err = 0;
	}else{
		if(*pp != NULL){
			unlink1(pp);
			letin();
		}
		if(r->type == LUNLCK){
			free(r);
			err = 0;
		}else
			err = acquire(t, r, (a[1] & LOCK_NB) == 0);
	}
	pthread_mutex_unlock(&glk);
	kif_fileput(id.file);
	return err;
}

/* With glk held: drop p's POSIX locks on the file (all when id is NULL). */
static void
dropposix(Lproc *p, Kifident *id)
{
	Flk **pp, *l;
	int i, hit;

	hit = 0;
	for(i = 0; i < NHASH; i++){
		pp = id != NULL ? chain(id->dc, id->dev, id->path) : &locks[i];
		while((l = *pp) != NULL)
			if(l->pid == p->pid && (id == NULL || (l->dc == id->dc && l->dev == id->dev && l->path == id->path))){
				unlink1(pp);
				hit = 1;
			}else
				pp = &l->next;
		if(id != NULL)
			break;
	}
	if(hit)
		letin();
}

/* Does fd still name the open file? */
static int
stillopen(int fd, void *file)
{
	Kifident now;
	int same;

	if(kif_fdident(fd, &now) < 0)
		return 0;
	same = now.file == file;
	kif_fileput(now.file);
	return same;
}

/* fd is being closed: it has left p's table (fdrelease), the kernel
 * has not closed it yet.  Which file's POSIX locks the close will
 * drop (*id, with a reference), or 0: none can be there.  nposix is
 * read after fd left the table, and a setter counts its lock before it
 * looks at the table (fcntllock): a lock this misses, its setter sees
 * fd gone and undoes. */
int
lkclosing(int fd, Kifident *id)
{
	if(atomic_load(&nposix) == 0 || kif_fdident(fd, id) < 0)
		return 0;
	return 1;
}

/* The kernel has closed the fd lkclosing named id: p's POSIX locks on
 * its file go, whichever fd they were taken through. */
void
lkclosed(Lproc *p, Kifident *id)
{
	pthread_mutex_lock(&glk);
	drain();	/* kif_fdident made the open file one to report: keep the queue short */
	dropposix(p, id);
	pthread_mutex_unlock(&glk);
	kif_fileput(id->file);
}

/* p is ending: its POSIX locks go. */
void
lkexit(Lproc *p)
{
	if(atomic_load(&nposix) == 0)
		return;
	pthread_mutex_lock(&glk);
	dropposix(p, NULL);
	pthread_mutex_unlock(&glk);
}
