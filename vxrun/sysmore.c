/*
 * sysmore.c — calls real programs make beyond the basics: epoll (an
 * interest list over kif_poll), the sched_* family, prctl (with the
 * capability sets' calls: all empty), fadvise,
 * the extended attributes (none: EOPNOTSUPP).
 *
 * An epoll instance is a kernel fd (#c/null, so close, dup and exec
 * treat it as any fd) whose Fdinfo holds the interest list, waited for
 * with kif_poll.  EPOLLONESHOT disables an entry once it is reported,
 * until EPOLL_CTL_MOD.  epoll_pwait's mask holds during the wait.  An
 * fd closed while in the list is dropped from it (by the next wait, or
 * the next epoll_ctl naming its number: its Fdinfo.gen tells a new open
 * of the same number from it).  epoll_ctl finds an entry through an
 * index by fd (Epoll.at), so its cost does not grow with the list.
 *
 * EPOLLET: an entry is reported when its state changes, not while it
 * is ready.  Each wait looks at every entry; an edge-triggered one fires
 * when a kind of readiness appears that it did not have at its last look,
 * or when it is readable and new bytes arrived since then: the kernel
 * counts the bytes ever written to a pipe end or arrived on a
 * conversation's data file (their qid.vers), and an eventfd counts its
 * writes.  Without such a count (a 9P /net, emu, a listener) only the
 * changes of state are seen, and a call on the fd that fails EAGAIN
 * (the drain an EPOLLET program makes before it waits) forgets the
 * state, so what is ready at the next look fires.  An entry reported and still ready cannot be waited
 * for in the kernel (it would be ready at once), so while there is one
 * the wait looks again every 10 ms.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

enum {
	LEPOLLIN = 0x001, LEPOLLPRI = 0x002, LEPOLLOUT = 0x004, LEPOLLERR = 0x008,
	LEPOLLHUP = 0x010, LEPOLLRDNORM = 0x040, LEPOLLWRNORM = 0x100, LEPOLLRDHUP = 0x2000,
	LEPOLLONESHOT = 1u << 30, LEPOLLET = 1u << 31, LEPOLLWAKEUP = 1u << 29,
	LEPOLLEXCLUSIVE = 1u << 28,
	LEPOLLEXCLUSIVEOK = LEPOLLIN | LEPOLLOUT | LEPOLLERR | LEPOLLHUP | LEPOLLWAKEUP | LEPOLLET | LEPOLLEXCLUSIVE,
	LEPOLL_CTL_ADD = 1, LEPOLL_CTL_DEL = 2, LEPOLL_CTL_MOD = 3,
	LEPOLL_CLOEXEC = 02000000,
	EPEVSZ = 12,		/* struct epoll_event on i386: u32 events, u64 data, packed */
	MAXEPOLL = 4096,
	EPMAXEVENTS = 0x7fffffff / EPEVSZ,	/* Linux's EP_MAX_EVENTS */
	EPMAXNEST = 4,		/* Linux's EPOLL_MAX_NESTS */
	EPGROW = 16,		/* entries an epoll's first room */
	/* entries of a sandbox's epolls, as Linux's max_user_watches
	 * (millions there, for a user's every process): 40 MiB of host
	 * memory.  Each epoll holds at most MAXEPOLL, but a process may
	 * have 500 epolls of 500 fds and the sandbox 1024 processes */
	MAXBOXEPENTS = 1 << 20,
};

struct Epoll {
	atomic_int ref;
	pthread_mutex_t lk;
	struct Epent {
		int fd;
		uint32_t events;
		uint64_t data;
		int off;		/* EPOLLONESHOT fired */
		uint32_t last;		/* EPOLLET: revents at the last look */
		uint32_t lastgen;	/* and the arrivals count then */
		uint32_t drained;	/* and the fd's Fdinfo.drained */
		uint32_t gen;		/* the fd's Fdinfo.gen when added */
	} *e;
	int n;
	int room;		/* entries e has room for, charged to box */
	short *at;		/* fd's entry + 1, 0: none (epoll_ctl's look-up in O(1)) */
	int nat;		/* fds at has room for */
	int atcharge;		/* at's size charged to box, in entries */
	Lbox *box;		/* the sandbox of its maker (a reference), or NULL */
	atomic_uint changes;	/* epoll_ctl calls that changed the list (under lk) */
	Evwait *waiters;	/* glk: threads in lxpoll on it: a change wakes them */
};

void
epdecref(Epoll *ep)
{
	if(ep == NULL || atomic_fetch_sub(&ep->ref, 1) != 1)
		return;
	if(ep->box != NULL){
		atomic_fetch_sub(&ep->box->epents, ep->room + ep->atcharge);
		boxput(ep->box);
	}
	free(ep->e);
	free(ep->at);
	pthread_mutex_destroy(&ep->lk);
	free(ep);
}

void
epincref(Epoll *ep)
{
	if(ep != NULL)
		atomic_fetch_add(&ep->ref, 1);
}

static long
epcreate(Lthread *t, int cloexec)
{
	Epoll *ep;
	int fd;

	ep = calloc(1, sizeof *ep);
	if(ep == NULL)
		return -ENOMEM;
	atomic_init(&ep->ref, 1);
	pthread_mutex_init(&ep->lk, NULL);
	ep->box = boxget(t->p->lbox);
	fd = kopen("#c/null", ORDWR);
	if(fd < 0){
		epdecref(ep);
		return kerrno();
	}
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		epdecref(ep);
		return -EMFILE;
	}
	fdinstallx(t->p, fd, 2, cloexec, ep, NULL, NULL, NULL);
	return fd;
}

long
sys_epoll_create(Lthread *t, uint32_t *a)
{
	if((int32_t)a[0] <= 0)
		return -EINVAL;
	return epcreate(t, 0);
}

long
sys_epoll_create1(Lthread *t, uint32_t *a)
{
	if(a[0] & ~(uint32_t)LEPOLL_CLOEXEC)
		return -EINVAL;
	return epcreate(t, (a[0] & LEPOLL_CLOEXEC) != 0);
}

/* epfd's instance, referenced, or NULL with *err. */
static Epoll *
epof(Lthread *t, uint32_t epfd, long *err)
{
	Epoll *ep;

	if(!fdcheck(t->p, epfd)){
		*err = -EBADF;
		return NULL;
	}
	pthread_mutex_lock(&t->p->flk);
	ep = t->p->fd[epfd].ep;
	epincref(ep);
	pthread_mutex_unlock(&t->p->flk);
	if(ep == NULL)
		*err = -EINVAL;
	return ep;
}

/* Drop entry i (ep->lk held): the last takes its place. */
static void
epdrop(Epoll *ep, int i)
{
	ep->at[ep->e[i].fd] = 0;
	if(i != --ep->n){
		ep->e[i] = ep->e[ep->n];
		ep->at[ep->e[i].fd] = i + 1;
	}
}

/* Is entry i's fd closed since it was added (ep->lk held)? */
static int
epgone(Lthread *t, Epoll *ep, int i)
{
	Fdinfo *f;
	int gone;

	pthread_mutex_lock(&t->p->flk);
	f = &t->p->fd[ep->e[i].fd];
	gone = !f->used || f->gen != ep->e[i].gen;
	pthread_mutex_unlock(&t->p->flk);
	return gone;
}

/* Drop the entries whose fd was closed since (ep->lk held). */
static void
epprune(Lthread *t, Epoll *ep)
{
	int i;

	for(i = 0; i < ep->n; ){
		if(epgone(t, ep, i))
			epdrop(ep, i);
		else
			i++;
	}
}

/* fd's entry in ep, or -1 (ep->lk held): one look, not a scan of the
 * list, so a guest adding N fds makes O(N) work, not O(N²).  An entry
 * whose fd was closed since goes here (and at the waits, epprune). */
static int
eplookup(Lthread *t, Epoll *ep, int fd)
{
	int i;

	i = fd < ep->nat ? ep->at[fd] - 1 : -1;
	if(i >= 0 && epgone(t, ep, i)){
		epdrop(ep, i);
		i = -1;
	}
	return i;
}

static int eplist(Epoll *ep, Kifpoll *kf, int n, int held);

/* The epolls one epnest has looked at, and how deep each nests
 * (-2: being looked at). */
typedef struct Epseen Epseen;
struct Epseen {
	Epoll **ep;
	int *depth;
	int n;
};

/* How deep the epolls under fd nest (0: fd is no epoll, 1: one with
 * none inside), or -1 when ep is among them, they nest deeper than
 * Linux lets them (EPOLL_MAX_NESTS) or there is no memory: adding fd to
 * ep must fail.  Each instance is looked at once (seen), however many
 * fds name it. */
static int
epnest(Lthread *t, Epoll *ep, int fd, int level, Epseen *seen)
{
	Epoll *sub, **ns;
	int *fds, *nd, i, n, d, k, deepest;
	long err;

	if(fd < 0 || fd >= MAXFD || (sub = epof(t, fd, &err)) == NULL)
		return 0;
	for(k = 0; k < seen->n && seen->ep[k] != sub; k++)
		;
	if(sub == ep || level > EPMAXNEST || (k < seen->n && seen->depth[k] == -2)){
		epdecref(sub);
		return -1;
	}
	if(k < seen->n){
		epdecref(sub);
		d = seen->depth[k];
		return d < 0 || level + d > EPMAXNEST ? -1 : d;
	}
	ns = realloc(seen->ep, (k + 1) * sizeof *ns);
	if(ns != NULL)
		seen->ep = ns;
	nd = realloc(seen->depth, (k + 1) * sizeof *nd);
	if(nd != NULL)
		seen->depth = nd;
	if(ns == NULL || nd == NULL){
		epdecref(sub);
		return -1;
	}
	seen->ep[k] = sub;	/* only compared: the reference goes below */
	seen->depth[k] = -2;
	seen->n++;
	pthread_mutex_lock(&sub->lk);
	n = sub->n;
	fds = malloc((n + 1) * sizeof *fds);
	for(i = 0; fds != NULL && i < n; i++)
		fds[i] = sub->e[i].fd;
	pthread_mutex_unlock(&sub->lk);
	epdecref(sub);
	deepest = fds == NULL ? -1 : 0;
	for(i = 0; i < n && deepest >= 0; i++){
		d = epnest(t, ep, fds[i], level + 1, seen);
		deepest = d < 0 ? -1 : d > deepest ? d : deepest;
	}
	free(fds);
	d = deepest < 0 ? -1 : deepest + 1;
	seen->depth[k] = d;
	return d < 0 || level + d > EPMAXNEST ? -1 : d;
}

/* May fd go into ep (no loop, not too deep)? */
static int
epnestok(Lthread *t, Epoll *ep, int fd)
{
	Epseen seen = { 0 };
	int d;

	d = epnest(t, ep, fd, 0, &seen);
	free(seen.ep);
	free(seen.depth);
	return d >= 0;
}

/* The entries of ep that a wait on ep itself waits for (what
 * epoll_wait would report: eplist's with held) into *items, malloc'd;
 * their count, or -1 without memory. */
int
epitems(Lthread *t, Epoll *ep, Kifpoll **items, unsigned *gen)
{
	Kifpoll *kf;
	int n;

	pthread_mutex_lock(&ep->lk);
	epprune(t, ep);
	*gen = epchanges(ep);
	n = ep->n;
	kf = calloc(n + 1, sizeof *kf);
	if(kf != NULL)
		eplist(ep, kf, n, 1);
	pthread_mutex_unlock(&ep->lk);
	*items = kf;
	return kf != NULL ? n : -1;
}

/* The count of ep's changes, for a wait to know its list is out of
 * date (read with its entries, under ep->lk, or with glk held after
 * epwatch). */
unsigned
epchanges(Epoll *ep)
{
	return atomic_load(&ep->changes);
}

/* With glk held: w's thread waits on ep (on), or no longer. */
void
epwatch(Epoll *ep, Evwait *w, int on)
{
	Evwait **l;

	if(on){
		w->next = ep->waiters;
		ep->waiters = w;
		return;
	}
	for(l = &ep->waiters; *l != NULL; l = &(*l)->next)
		if(*l == w){
			*l = w->next;
			break;
		}
}

/* ep's list changed (its lk held until now): the threads waiting on
 * it look again, as Linux wakes a waiter for an fd added or modified
 * to a mask that is ready. */
static void
epchanged(Epoll *ep)
{
	Evwait *w;

	pthread_mutex_lock(&glk);
	for(w = ep->waiters; w != NULL; w = w->next)
		if(w->t->introk)
			kif_interrupt(w->t->kp);
	pthread_mutex_unlock(&glk);
}

/* Charge n more entries to ep's sandbox: 0, or -ENOSPC past its
 * MAXBOXEPENTS, as Linux past max_user_watches. */
static long
epcharge(Epoll *ep, int n)
{
	if(ep->box != NULL && atomic_fetch_add(&ep->box->epents, n) + n > MAXBOXEPENTS){
		atomic_fetch_sub(&ep->box->epents, n);
		return -ENOSPC;
	}
	return 0;
}

static void
epuncharge(Epoll *ep, int n)
{
	if(ep->box != NULL)
		atomic_fetch_sub(&ep->box->epents, n);
}

/* Room in ep->at for fd (ep->lk held), grown to the next power of two
 * (an epoll of low fds stays small), its bytes charged as entries. */
static long
epatgrow(Epoll *ep, int fd)
{
	short *na;
	int nat, charge;
	long r;

	if(fd < ep->nat)
		return 0;
	for(nat = 64; nat <= fd; nat *= 2)
		;
	charge = (nat * sizeof *na + sizeof *ep->e - 1) / sizeof *ep->e;
	if((r = epcharge(ep, charge - ep->atcharge)) < 0)
		return r;
	na = realloc(ep->at, nat * sizeof *na);
	if(na == NULL){
		epuncharge(ep, charge - ep->atcharge);
		return -ENOMEM;
	}
	memset(na + ep->nat, 0, (nat - ep->nat) * sizeof *na);
	ep->at = na;
	ep->nat = nat;
	ep->atcharge = charge;
	return 0;
}

/* Room for more entries (ep->lk held), twice as many (at least
 * EPGROW), so N adds copy O(N) entries in all: -ENOSPC past the
 * sandbox's MAXBOXEPENTS. */
static long
epgrow(Epoll *ep)
{
	struct Epent *ne;
	int more;

	more = ep->room < EPGROW ? EPGROW : ep->room;
	if(epcharge(ep, more) < 0)
		return -ENOSPC;
	ne = realloc(ep->e, (ep->room + more) * sizeof *ep->e);
	if(ne == NULL){
		epuncharge(ep, more);
		return -ENOMEM;
	}
	ep->e = ne;
	ep->room += more;
	return 0;
}

/* epoll_ctl(epfd, op, fd, event*) */
long
sys_epoll_ctl(Lthread *t, uint32_t *a)
{
	unsigned long long qp;
	uint8_t *ev;
	Epoll *ep;
	long r;
	int i, dc, qt;

	ep = epof(t, a[0], &r);
	if(ep == NULL)
		return r;
	ev = NULL;
	r = -EFAULT;
	if(a[1] != LEPOLL_CTL_DEL && (ev = gmem(t, a[3], EPEVSZ, VX_PROT_READ)) == NULL)
		goto out;
	r = -EBADF;
	if(!fdcheck(t->p, a[2]))
		goto out;
	r = -EINVAL;
	if(a[2] == a[0])
		goto out;
	r = -ELOOP;
	if(a[1] == LEPOLL_CTL_ADD && !epnestok(t, ep, a[2]))
		goto out;
	r = -EPERM;
	if(a[1] == LEPOLL_CTL_ADD && kif_fdkind(a[2], &dc, &qt, &qp, NULL) == 0 && dc == 'U')
		goto out;	/* a file or directory: never waits, as Linux says */
	/* EPOLLEXCLUSIVE: only added, only with the bits that make sense for
	 * a wakeup of one waiter, and never on an epoll instance */
	r = -EINVAL;
	if(ev != NULL && (get32(ev) & LEPOLLEXCLUSIVE) &&
	   (a[1] == LEPOLL_CTL_MOD || (get32(ev) & ~(uint32_t)LEPOLLEXCLUSIVEOK) || t->p->fd[a[2]].ep != NULL))
		goto out;
	pthread_mutex_lock(&ep->lk);
	i = eplookup(t, ep, a[2]);
	switch(a[1]){
	case LEPOLL_CTL_ADD:
		r = -EEXIST;
		if(i >= 0)
			break;
		r = -ENOSPC;
		if(ep->n >= MAXEPOLL)
			break;
		if(ep->n == ep->room && (r = epgrow(ep)) < 0)
			break;
		if((r = epatgrow(ep, a[2])) < 0)
			break;
		ep->e[ep->n].fd = a[2];
		ep->e[ep->n].events = get32(ev);
		ep->e[ep->n].data = get64(ev + 4);
		ep->e[ep->n].off = 0;
		ep->e[ep->n].last = 0;
		ep->e[ep->n].lastgen = 0;
		pthread_mutex_lock(&t->p->flk);
		ep->e[ep->n].drained = t->p->fd[a[2]].drained;
		ep->e[ep->n].gen = t->p->fd[a[2]].gen;
		pthread_mutex_unlock(&t->p->flk);
		ep->at[a[2]] = ++ep->n;
		r = 0;
		break;
	case LEPOLL_CTL_MOD:
		r = -ENOENT;
		if(i < 0)
			break;
		r = -EINVAL;
		if(ep->e[i].events & LEPOLLEXCLUSIVE)
			break;
		ep->e[i].events = get32(ev);
		ep->e[i].data = get64(ev + 4);
		ep->e[i].off = 0;
		ep->e[i].last = 0;	/* as Linux: ready now is reported */
		r = 0;
		break;
	case LEPOLL_CTL_DEL:
		r = -ENOENT;
		if(i < 0)
			break;
		epdrop(ep, i);
		r = 0;
		break;
	default:
		r = -EINVAL;
	}
	if(r == 0)
		atomic_fetch_add(&ep->changes, 1);
	pthread_mutex_unlock(&ep->lk);
	if(r == 0)
		epchanged(ep);
out:
	epdecref(ep);
	return r;
}

/* The bytes (or eventfd writes) that ever arrived on fd, where the
 * kernel counts them (see the top); else 0. */
static uint32_t
arrivals(Lthread *t, int fd)
{
	unsigned long long qp;
	int dc, qt;
	uint32_t n;
	Dir *d;

	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0)
		return 0;
	if(dc == '|' && evwrites(t->p, fd, &n))
		return n;
	if(dc != '|' && dc != 'I')
		return 0;
	d = kdirfstat(fd);
	if(d == NULL)
		return 0;
	n = d->qid.vers;
	free(d);
	return n;
}

/* Linux's revents for entry e from the kernel's answer. */
static uint32_t
eprevents(Lthread *t, struct Epent *e, Kifpoll *k)
{
	uint32_t ev, rev;

	ev = e->events;
	rev = 0;
	if(k->revents & KIF_NVAL)
		return 0;
	if(k->revents & KIF_READ)
		rev |= ev & (LEPOLLIN | LEPOLLRDNORM);
	if(k->revents & KIF_WRITE)
		rev |= ev & (LEPOLLOUT | LEPOLLWRNORM);
	if(k->revents & KIF_HUP)
		rev |= (t->p->fd[k->fd].flags & 3) == 1 ? LEPOLLERR : LEPOLLHUP | (ev & LEPOLLRDHUP);
	return rev;
}

/* The entries' poll list: fd -1 for those that wait for nothing (a
 * spent EPOLLONESHOT; with held, an edge-triggered entry still ready
 * since its last look, which only a new arrival can fire).  The count
 * of those held back. */
static int
eplist(Epoll *ep, Kifpoll *kf, int n, int held)
{
	uint32_t ev;
	int i, nheld;

	nheld = 0;
	for(i = 0; i < n; i++){
		ev = ep->e[i].off ? 0 : ep->e[i].events;
		if(held && (ev & LEPOLLET) && (ep->e[i].last & ev) != 0){
			ev = 0;
			nheld++;
		}
		kf[i].fd = ev != 0 ? ep->e[i].fd : -1;
		kf[i].events = ((ev & (LEPOLLIN | LEPOLLRDNORM | LEPOLLPRI)) ? KIF_READ : 0) |
			((ev & (LEPOLLOUT | LEPOLLWRNORM)) ? KIF_WRITE : 0);
		kf[i].revents = 0;
	}
	return nheld;
}

/* Copy out what fired (under ep->lk); the count. */
static int
epcollect(Lthread *t, Epoll *ep, Kifpoll *kf, uint32_t *gen, int n, uint8_t *out, int max)
{
	struct Epent *e;
	uint32_t rev, d;
	int i, got, fire;

	got = 0;
	for(i = 0; i < n && i < ep->n && got < max; i++){
		e = &ep->e[i];
		if(kf[i].fd < 0 || e->fd != kf[i].fd)
			continue;
		rev = eprevents(t, e, &kf[i]);
		fire = rev != 0;
		if(e->events & LEPOLLET){
			pthread_mutex_lock(&t->p->flk);
			d = t->p->fd[e->fd].drained;
			pthread_mutex_unlock(&t->p->flk);
			if(d != e->drained){
				/* drained (EAGAIN) since: what is ready now is new */
				e->drained = d;
				e->last = 0;
			}
			/* an edge: a readiness it lacked, or new bytes to read */
			fire = (rev & ~e->last) != 0 || ((rev & (LEPOLLIN | LEPOLLRDNORM)) && gen[i] != e->lastgen);
			e->last = rev;
			e->lastgen = gen[i];
		}
		if(!fire)
			continue;
		put32(out + got * EPEVSZ, rev);
		put64(out + got * EPEVSZ + 4, e->data);
		if(e->events & LEPOLLONESHOT)
			e->off = 1;
		got++;
	}
	return got;
}

/* epoll_wait(epfd, events*, maxevents, timeout ms) */
static long
epwait(Lthread *t, uint32_t *a)
{
	Kifpoll *kf;
	uint8_t *out;
	uint32_t *gen;
	Epoll *ep;
	long long ms, end, wait, left;
	unsigned changes;
	uint32_t max;
	long r;
	int i, n, got, et, nheld;

	if((int32_t)a[2] <= 0 || a[2] > EPMAXEVENTS)
		return -EINVAL;
	/* an instance reports at most MAXEPOLL entries: Redis asks 10,000 */
	max = a[2] < MAXEPOLL ? a[2] : MAXEPOLL;
	out = gmem(t, a[1], max * EPEVSZ, VX_PROT_WRITE);
	if(out == NULL)
		return -EFAULT;
	ep = epof(t, a[0], &r);
	if(ep == NULL)
		return r;
	ms = (int32_t)a[3] < 0 ? -1 : (int32_t)a[3];
	end = ms > 0 ? nowms() + ms : 0;
	kf = NULL;
	gen = NULL;
	for(;;){
		pthread_mutex_lock(&ep->lk);
		epprune(t, ep);
		n = ep->n;
		free(kf);
		free(gen);
		kf = calloc(n + 1, sizeof *kf);
		gen = calloc(n + 1, sizeof *gen);
		if(kf == NULL || gen == NULL){
			pthread_mutex_unlock(&ep->lk);
			r = -ENOMEM;
			break;
		}
		et = 0;
		for(i = 0; i < n; i++)
			et |= (ep->e[i].events & LEPOLLET) != 0;
		eplist(ep, kf, n, 0);
		changes = epchanges(ep);
		pthread_mutex_unlock(&ep->lk);
		left = ms;
		if(ms > 0 && (left = end - nowms()) < 0)
			left = 0;
		/* a look: at once when an entry is edge-triggered (its state
		 * decides, not readiness alone), else the wait itself, until
		 * the list changes */
		r = lxpollep(t, kf, n, et ? 0 : left, ep, changes);
		if(r == LXCHANGED)
			continue;
		if(r < 0){
			r = kerrno();
			break;
		}
		for(i = 0; i < n; i++)
			if(kf[i].fd >= 0 && (kf[i].revents & KIF_READ))
				gen[i] = arrivals(t, kf[i].fd);
		pthread_mutex_lock(&ep->lk);
		got = epcollect(t, ep, kf, gen, n, out, (int)max);
		nheld = eplist(ep, kf, n, 1);
		pthread_mutex_unlock(&ep->lk);
		r = got;
		if(got > 0 || !et || ms == 0)
			break;
		wait = ms;
		if(ms > 0 && (wait = end - nowms()) <= 0)
			break;
		if(nheld > 0 && (wait < 0 || wait > 10))
			wait = 10;
		r = lxpollep(t, kf, n, wait, ep, changes);
		if(r < 0 && r != LXCHANGED){
			r = kerrno();
			break;
		}
	}
	free(kf);
	free(gen);
	epdecref(ep);
	return r;
}

long
sys_epoll_wait(Lthread *t, uint32_t *a)
{
	return epwait(t, a);
}

/* epoll_pwait(epfd, events, max, timeout, sigmask, size): the mask is
 * in force during the wait, as ppoll's (sysio.c) */
long
sys_epoll_pwait(Lthread *t, uint32_t *a)
{
	long r;
	int err;

	if(waitmask(t, a[4], a[5], &err))
		return -EINTR;
	if(err)
		return err;
	r = epwait(t, a);
	endmask(t, r);
	return r;
}

/*
 * The sched_* calls.  Every thread runs under SCHED_OTHER at priority
 * 0, which is all a guest may ask for (the real-time policies need
 * CAP_SYS_NICE: EPERM); its affinity mask is kept (inherited by its
 * threads and children) and read back, but the host schedules it where
 * it likes.  A pid is a thread id of the caller's sandbox, 0 the caller;
 * the errors and their order are Linux's: EINVAL for a negative pid or
 * a null param, then EFAULT, ESRCH, and EINVAL for what the param says.
 */
enum { LSCHED_OTHER = 0, LSCHED_FIFO = 1, LSCHED_RR = 2, LSCHED_BATCH = 3, LSCHED_IDLE = 5, LSCHED_DEADLINE = 6 };

/* Is the thread pid (0: t) there?  0 or -ESRCH. */
static long
schedwho(Lthread *t, int32_t pid)
{
	long r;

	if(pid == 0)
		return 0;
	pthread_mutex_lock(&glk);
	r = boxthread(t, pid) != NULL ? 0 : -ESRCH;
	pthread_mutex_unlock(&glk);
	return r;
}

/* The affinity of thread pid (0: t), into *mask; 0 or -ESRCH */
static long
affinity(Lthread *t, int32_t pid, uint32_t *mask)
{
	Lthread *o;

	pthread_mutex_lock(&glk);
	o = pid == 0 ? t : boxthread(t, pid);
	if(o != NULL)
		*mask = o->cpus != 0 ? o->cpus : cpumask();
	pthread_mutex_unlock(&glk);
	return o != NULL ? 0 : -ESRCH;
}

/* sched_getaffinity(pid, len, mask*): one word (at most 32 CPUs) */
long
sys_sched_getaffinity(Lthread *t, uint32_t *a)
{
	uint32_t mask;
	uint8_t *m;
	long r;

	if(a[1] < 4 || (a[1] & 3))
		return -EINVAL;
	r = affinity(t, a[0], &mask);
	if(r < 0)
		return r;
	m = gmem(t, a[2], 4, VX_PROT_WRITE);
	if(m == NULL)
		return -EFAULT;
	put32(m, mask);
	return 4;
}

/* sched_setaffinity(pid, len, mask*): the CPUs of the guest's among
 * those in the mask (a shorter mask is the rest zeros); none: EINVAL */
long
sys_sched_setaffinity(Lthread *t, uint32_t *a)
{
	uint8_t b[4], *m;
	uint32_t mask;
	Lthread *o;
	long r;

	memset(b, 0, sizeof b);
	if(a[1] != 0){
		m = gmem(t, a[2], a[1] < 4 ? a[1] : 4, VX_PROT_READ);
		if(m == NULL)
			return -EFAULT;
		memmove(b, m, a[1] < 4 ? a[1] : 4);
	}
	mask = get32(b) & cpumask();
	pthread_mutex_lock(&glk);
	o = a[0] == 0 ? t : boxthread(t, a[0]);
	r = o == NULL ? -ESRCH : mask == 0 ? -EINVAL : 0;
	if(r == 0)
		o->cpus = mask;
	pthread_mutex_unlock(&glk);
	return r;
}

/* sched_getparam(pid, param*): priority 0 */
long
sys_sched_getparam(Lthread *t, uint32_t *a)
{
	uint8_t *m;
	long r;

	if((int32_t)a[0] < 0 || a[1] == 0)
		return -EINVAL;
	r = schedwho(t, a[0]);
	if(r < 0)
		return r;
	m = gmem(t, a[1], 4, VX_PROT_WRITE);
	if(m == NULL)
		return -EFAULT;
	put32(m, 0);
	return 0;
}

/*
 * I/O priorities (ionice): kept for each thread, inherited by its
 * threads and children when it has a class, as Linux's, and scheduling
 * nothing (the host's I/O is vxinferno's).  A guest has no capability,
 * so the real-time class is EPERM.  which: a thread (1), a process
 * group (2: each thread of its processes), the user (3: every guest
 * of the sandbox, which all run as the host user).
 */
enum {
	IOWHOPROC = 1, IOWHOPGRP, IOWHOUSER,
	IOCLASSNONE = 0, IOCLASSRT, IOCLASSBE, IOCLASSIDLE,
	IODEFAULT = IOCLASSBE << 13 | 4,	/* best effort, its middle level */
};

/* Does thread o belong to which's who?  glk held. */
static int
iowho(Lthread *t, Lthread *o, int which, int32_t who)
{
	switch(which){
	case IOWHOPROC:
		return o->tid == (who == 0 ? t->tid : who);
	case IOWHOPGRP:
		return !o->p->zombie && o->p->pgid == (who == 0 ? t->p->pgid : who);
	case IOWHOUSER:
		return !o->p->zombie && (who == 0 || (uint32_t)who == hostuid());
	}
	return 0;
}

/* Linux's ioprio_best: the higher priority, a classless one as the default */
static uint32_t
iobest(uint32_t a, uint32_t b)
{
	if(a >> 13 == IOCLASSNONE)
		a = IODEFAULT;
	if(b >> 13 == IOCLASSNONE)
		b = IODEFAULT;
	return a < b ? a : b;
}

/* Set the I/O priority of which's who to prio (set), or read the best
 * of theirs: -ESRCH when there is none, else 0 or that priority */
static long
iowalk(Lthread *t, uint32_t which, int32_t who, int set, uint32_t prio)
{
	Lthread *o;
	Lproc *p;
	long r;

	if(which < IOWHOPROC || which > IOWHOUSER)
		return -EINVAL;
	r = -ESRCH;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		for(o = p->box == t->p->box ? p->threads : NULL; o != NULL; o = o->next){
			if(!iowho(t, o, which, who))
				continue;
			if(set){
				o->ioprio = prio;
				r = 0;
			}else
				r = r == -ESRCH ? (long)o->ioprio : (long)iobest(r, o->ioprio);
		}
	pthread_mutex_unlock(&glk);
	return r;
}

/* ioprio_set(which, who, ioprio) */
long
sys_ioprio_set(Lthread *t, uint32_t *a)
{
	uint32_t class, data;

	class = (a[2] & 0xFFFF) >> 13;
	data = a[2] & 0x1FFF;
	if(a[2] > 0xFFFF || class > IOCLASSIDLE || (class == IOCLASSNONE && data != 0))
		return -EINVAL;
	if(class == IOCLASSRT)
		return -EPERM;
	if(class == IOCLASSBE && (data & 7) != data && (data >> 3) > 7)
		return -EINVAL;	/* a level, or one of Linux's hints 1-7 above it */
	return iowalk(t, a[0], a[1], 1, a[2]);
}

/* ioprio_get(which, who): a thread's, or the best of a group's or the user's */
long
sys_ioprio_get(Lthread *t, uint32_t *a)
{
	return iowalk(t, a[0], a[1], 0, 0);
}

/* getcpu(cpu*, node*, cache): CPU 0 of node 0, one of those
 * sched_getaffinity offers (a guest thread is not pinned anywhere) */
long
sys_getcpu(Lthread *t, uint32_t *a)
{
	uint8_t *c, *n;

	c = a[0] ? gmem(t, a[0], 4, VX_PROT_WRITE) : NULL;
	n = a[1] ? gmem(t, a[1], 4, VX_PROT_WRITE) : NULL;
	if((a[0] && c == NULL) || (a[1] && n == NULL))
		return -EFAULT;
	if(c != NULL)
		put32(c, 0);
	if(n != NULL)
		put32(n, 0);
	return 0;
}

/* sched_getscheduler(pid): what sched_setscheduler set for the
 * thread (with SCHED_RESET_ON_FORK), SCHED_OTHER at first */
long
sys_sched_getscheduler(Lthread *t, uint32_t *a)
{
	Lthread *o;
	long r;

	if((int32_t)a[0] < 0)
		return -EINVAL;
	pthread_mutex_lock(&glk);
	o = a[0] == 0 ? t : boxthread(t, a[0]);
	r = o != NULL ? (long)o->policy : -ESRCH;
	pthread_mutex_unlock(&glk);
	return r;
}

/* A policy and priority the guest may set: EINVAL for a policy Linux
 * does not know or a priority out of its range, EPERM for a real-time
 * one (SCHED_DEADLINE is set only by sched_setattr) */
static long
schedok(int32_t policy, int32_t prio)
{
	switch(policy){
	case LSCHED_OTHER: case LSCHED_BATCH: case LSCHED_IDLE:
		return prio == 0 ? 0 : -EINVAL;
	case LSCHED_FIFO: case LSCHED_RR:
		return prio >= 1 && prio <= 99 ? -EPERM : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* sched_setscheduler(pid, policy, param*) and sched_setparam(pid,
 * param*) (policy -1: the thread's own, SCHED_OTHER) */
static long
setsched(Lthread *t, int32_t pid, int32_t policy, uint32_t param)
{
	Lthread *o;
	uint8_t *m;
	int32_t prio;
	long r;

	if(pid < 0 || param == 0)
		return -EINVAL;
	m = gmem(t, param, 4, VX_PROT_READ);
	if(m == NULL)
		return -EFAULT;
	prio = get32(m);
	r = schedwho(t, pid);
	if(r < 0)
		return r;
	r = schedok(policy < 0 ? LSCHED_OTHER : policy & ~SCHEDRESETFORK, prio);
	if(r < 0 || policy < 0)
		return r;
	/* the policy is remembered for sched_getscheduler (a program checks
	 * what it set), with the rules for a thread without CAP_SYS_NICE
	 * (and RLIMIT_NICE 0): it neither leaves SCHED_IDLE nor drops
	 * SCHED_RESET_ON_FORK */
	pthread_mutex_lock(&glk);
	o = pid == 0 ? t : boxthread(t, pid);
	if(o == NULL)
		r = -ESRCH;
	else if((o->policy & ~SCHEDRESETFORK) == LSCHED_IDLE && (policy & ~SCHEDRESETFORK) != LSCHED_IDLE)
		r = -EPERM;
	else if((o->policy & SCHEDRESETFORK) && !(policy & SCHEDRESETFORK))
		r = -EPERM;
	else
		o->policy = policy;
	pthread_mutex_unlock(&glk);
	return r;
}

long
sys_sched_setscheduler(Lthread *t, uint32_t *a)
{
	if((int32_t)a[1] < 0)
		return -EINVAL;
	return setsched(t, a[0], a[1], a[2]);
}

long
sys_sched_setparam(Lthread *t, uint32_t *a)
{
	return setsched(t, a[0], -1, a[1]);
}

/* sched_get_priority_max/min(policy): 1 to 99 for the real-time
 * policies, 0 for the others */
static long
schedprio(uint32_t policy, int max)
{
	switch(policy){
	case LSCHED_FIFO: case LSCHED_RR:
		return max ? 99 : 1;
	case LSCHED_OTHER: case LSCHED_BATCH: case LSCHED_IDLE: case LSCHED_DEADLINE:
		return 0;
	default:
		return -EINVAL;
	}
}

long
sys_sched_prio(Lthread *t, uint32_t *a)
{
	(void)t;
	return schedprio(a[0], 1);
}

long
sys_sched_prio_min(Lthread *t, uint32_t *a)
{
	(void)t;
	return schedprio(a[0], 0);
}

/* sched_rr_get_interval(pid, timespec*): 100 ms (Linux's RR_TIMESLICE)
 * of a thread of the caller's sandbox (EINVAL below 0, ESRCH for none);
 * the _time64 call's timespec has 64-bit fields */
static long
rrinterval(Lthread *t, uint32_t *a, int wide)
{
	uint8_t *m;
	long r;

	if((int32_t)a[0] < 0)
		return -EINVAL;
	r = schedwho(t, a[0]);
	if(r < 0)
		return r;
	m = gmem(t, a[1], wide ? 16 : 8, VX_PROT_WRITE);
	if(m == NULL)
		return -EFAULT;
	if(wide){
		put64(m, 0);
		put64(m + 8, 100000000);
	}else{
		put32(m, 0);
		put32(m + 4, 100000000);
	}
	return 0;
}

long sys_sched_rr_get_interval(Lthread *t, uint32_t *a) { return rrinterval(t, a, 0); }
long sys_sched_rr_get_interval64(Lthread *t, uint32_t *a) { return rrinterval(t, a, 1); }

/* prctl(option, …): names, and the flags programs set and forget */
long
sys_prctl(Lthread *t, uint32_t *a)
{
	enum {
		PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
		PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_TIMERSLACK = 30, PR_SET_TIMERSLACK = 29,
		PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_SET_VMA = 0x53564d41,
		PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_CAP_AMBIENT = 47,
		PR_CAP_AMBIENT_IS_SET = 1, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_LOWER = 3,
		PR_CAP_AMBIENT_CLEAR_ALL = 4,
		CAP_LAST_CAP = 40,
	};
	const char *name;
	char c[16];
	uint8_t *m;
	int i;

	switch(a[0]){
	case PR_SET_PDEATHSIG:
		return a[1] <= NSIG ? 0 : -EINVAL;
	case PR_GET_PDEATHSIG:
		if((m = gmem(t, a[1], 4, VX_PROT_WRITE)) == NULL)
			return -EFAULT;
		put32(m, 0);
		return 0;
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return a[1] <= 1 ? 0 : -EINVAL;
	case PR_SET_NAME:
		/* 15 bytes at most, as Linux: the name may end at a page's end
		 * (an empty name reads as the program's) */
		for(i = 0; i < 15; i++){
			if((m = gmem(t, a[1] + i, 1, VX_PROT_READ)) == NULL)
				return -EFAULT;
			if((c[i] = *m) == 0)
				break;
		}
		c[i] = 0;
		pthread_mutex_lock(&glk);
		memcpy(t->comm, c, sizeof t->comm);
		pthread_mutex_unlock(&glk);
		return 0;
	case PR_GET_NAME:
		if((m = gmem(t, a[1], 16, VX_PROT_WRITE)) == NULL)
			return -EFAULT;
		memset(m, 0, 16);
		pthread_mutex_lock(&glk);
		name = threadname(t);
		memcpy(m, name, strnlen(name, 15));
		pthread_mutex_unlock(&glk);
		return 0;
	case PR_GET_TIMERSLACK:
		return 50000;
	case PR_SET_TIMERSLACK:
	case PR_SET_VMA:
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		return a[1] == 1 && a[2] == 0 ? 0 : -EINVAL;
	case PR_GET_NO_NEW_PRIVS:
		return 1;	/* a guest never gains privileges */
	/* the capability sets, all empty (capget, sysproc.c) */
	case PR_CAPBSET_READ:
		return a[1] <= CAP_LAST_CAP ? 0 : -EINVAL;
	case PR_CAPBSET_DROP:
		return -EPERM;	/* it takes CAP_SETPCAP */
	case PR_CAP_AMBIENT:
		if(a[1] == PR_CAP_AMBIENT_CLEAR_ALL)
			return (a[2] | a[3] | a[4]) == 0 ? 0 : -EINVAL;
		if(a[2] > CAP_LAST_CAP || (a[3] | a[4]) != 0)
			return -EINVAL;
		switch(a[1]){
		case PR_CAP_AMBIENT_IS_SET:
		case PR_CAP_AMBIENT_LOWER:
			return 0;
		case PR_CAP_AMBIENT_RAISE:
			return -EPERM;	/* not in the permitted and inheritable sets */
		}
		return -EINVAL;
	}
	return -EINVAL;
}

/* fadvise64(fd, off, off, len, advice) and fadvise64_64(fd, off, off,
 * len, len, advice): advice only, after checking the fd */
long
sys_fadvise(Lthread *t, uint32_t *a)
{
	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	if(t->p->fd[a[0]].slow)
		return -ESPIPE;
	return 0;
}

