/*
 * lxpoll.c — every guest wait on fds (poll, select, epoll_wait, a
 * blocking read of a timerfd) goes through lxpoll, which answers for
 * the fds whose readiness the kernel cannot see by itself:
 *
 * - a timerfd: its doorbell (systfd.c) is brought up to date before
 *   the wait, the wait lasts no longer than its next expiry, and a
 *   timerfd_settime by any thread wakes the waiters to look again
 *   (Evfd.waiters);
 * - a signalfd: readable to the waiting thread when a signal of its
 *   mask is pending for that thread or for its process, as Linux's
 *   signalfd_poll answers for the caller.  The kernel does not poll it:
 *   readiness differs thread by thread, so it has no doorbell of its
 *   own.  A signal it reads ends the wait (Lthread.sigwatch,
 *   postsigwho), and so does a new mask (signalfd on it);
 * - a pidfd (syspidfd.c): readable when its process has ended, whose
 *   end wakes the threads waiting on pidfds (Lthread.pidwatch);
 * - an epoll instance (a #c/null kernel fd, which the kernel finds
 *   always ready): readable when one of the entries epoll_wait would
 *   report is, so its entries are waited for in its place, nested
 *   instances too (epoll_ctl keeps them from looping).
 *
 * An epoll_ctl on an instance in the wait (or on the one epoll_wait
 * waits on: lxpollep) wakes the waiter to build its wait again, as
 * Linux wakes a waiter for an fd added, or modified to a mask that is
 * ready (Epoll.waiters, epchanged).
 *
 * A process that never had such an fd takes the kernel's poll alone.
 * The expansion is bounded: each epoll instance is expanded once however
 * many fds name it (a twin answers as the first), at most MAXNODES fds,
 * MAXDEPTH levels; the kernel polls each fd once however many nodes
 * name it (their events together), so at most the process's MAXFD
 * fds: a guest's nesting cannot make unbounded host work, and every fd
 * in it is waited for (KMAXPOLL, the kernel's limit, is never reached).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dat.h"

enum {
	MAXNODES = 16384,
	MAXDEPTH = 8,		/* epoll_ctl allows 5 levels */
	KMAXPOLL = 4096,	/* kpoll's limit */
};

/* One fd of the wait: the caller's, or an entry of an epoll in it. */
typedef struct Pnode Pnode;
struct Pnode {
	int up;			/* the epoll node it is an entry of; -1: the caller's */
	int top;		/* and then the caller's index */
	int depth;
	int events;		/* KIF_READ, KIF_WRITE */
	int ready;		/* its revents, found by lxpoll (signalfd, epoll) */
	int twin;		/* an epoll expanded at this node already, or -1 */
	int expanded;		/* an epoll whose entries follow, as they were */
	unsigned epgen;		/* at epchanges */
	Evfd *ev;		/* a timerfd or signalfd, referenced */
	Epoll *ep;		/* an epoll instance, referenced */
	Evwait w;		/* in ev->waiters (ep->waiters) during the wait */
};

typedef struct Pset Pset;
struct Pset {
	Pnode *node;
	Kifpoll *k;		/* the kernel's part, one per node (fd -1: none) */
	int n, cap;
	int special;		/* a timerfd, signalfd or epoll among them */
	Kifpoll *kk;		/* what the kernel polls: each fd of k once, */
	int *kidx;		/* each node's entry there, or -1 */
	int nk;
	Epoll *top;		/* lxpollep's: epoll_wait's instance, */
	unsigned topgen;	/* its changes when its entries were taken */
	Evwait topw;
};

/* What a wait may see of fd f (flk held): the kernel's pipes are
 * Plan 9's, both ends read and write, where a Linux pipe's read end is
 * never writable nor its write end readable. */
static int
fdevents(Fdinfo *f)
{
	if(!f->used || !f->ispipe)
		return ~0;
	switch(f->flags & 3){
	case 0:
		return ~KIF_WRITE;
	case 1:
		return ~KIF_READ;
	}
	return ~0;
}

/* Add fd to s (as an entry of node up, or the caller's top); 0, or -1
 * without memory. */
static int
addnode(Lthread *t, Pset *s, int fd, int events, int up, int top, int depth)
{
	Pnode *nn;
	Kifpoll *nk;
	Pnode *x;
	int cap;

	if(s->n == s->cap){
		cap = s->cap < 16 ? 16 : 2 * s->cap;
		nn = realloc(s->node, cap * sizeof *nn);
		if(nn != NULL)
			s->node = nn;
		nk = realloc(s->k, cap * sizeof *nk);
		if(nk != NULL)
			s->k = nk;
		if(nn == NULL || nk == NULL)
			return -1;
		s->cap = cap;
	}
	x = &s->node[s->n];
	*x = (Pnode){ .up = up, .top = top, .depth = depth, .events = events, .twin = -1 };
	s->k[s->n] = (Kifpoll){ .fd = fd, .events = events };
	if(fd >= 0 && fd < MAXFD){
		pthread_mutex_lock(&t->p->flk);
		if(t->p->fd[fd].used){
			x->ev = t->p->fd[fd].ev;
			x->ep = t->p->fd[fd].ep;
		}
		x->events &= fdevents(&t->p->fd[fd]);
		s->k[s->n].events = x->events;
		if(x->ev != NULL && x->ev->kind == EVCOUNT)
			s->k[s->n].events &= ~KIF_WRITE;	/* its doorbell always is */
		evincref(x->ev);
		epincref(x->ep);
		pthread_mutex_unlock(&t->p->flk);
	}
	if(x->ep != NULL || (x->ev != NULL && (x->ev->kind == EVSIGNAL || x->ev->kind == EVPID)))
		s->k[s->n].fd = -1;	/* lxpoll's to answer, not the kernel's */
	s->special |= x->ev != NULL || x->ep != NULL;
	s->n++;
	return 0;
}

/* Put the entries of each epoll node in s after it, level by level. */
static int
expand(Lthread *t, Pset *s)
{
	Kifpoll *items;
	int i, j, m;


	for(i = 0; i < s->n; i++){
		if(s->node[i].ep == NULL || !(s->node[i].events & KIF_READ) || s->node[i].depth >= MAXDEPTH)
			continue;
		for(j = 0; j < i && s->node[j].ep != s->node[i].ep; j++)
			;
		if(j < i){
			s->node[i].twin = j;
			continue;
		}
		m = epitems(t, s->node[i].ep, &items, &s->node[i].epgen);
		if(m < 0)
			return -1;
		s->node[i].expanded = 1;
		for(j = 0; j < m && s->n < MAXNODES; j++)
			if(items[j].fd >= 0 && addnode(t, s, items[j].fd, items[j].events, i, -1, s->node[i].depth + 1) < 0){
				free(items);
				return -1;
			}
		free(items);
	}
	return 0;
}

/* The kernel's share of s: each fd of the nodes once, asked for what
 * any of them wants (a guest's fds are below MAXFD). */
static int
kernelset(Pset *s)
{
	int i, j, fd, at[MAXFD];

	s->kk = malloc((s->n + 1) * sizeof *s->kk);
	s->kidx = malloc((s->n + 1) * sizeof *s->kidx);
	if(s->kk == NULL || s->kidx == NULL)
		return -1;
	memset(at, 0xff, sizeof at);	/* -1 */
	s->nk = 0;
	for(i = 0; i < s->n; i++){
		s->kidx[i] = -1;
		fd = s->k[i].fd;
		if(fd < 0)
			continue;
		j = fd < MAXFD ? at[fd] : -1;
		if(j < 0){
			if(s->nk == KMAXPOLL)
				continue;
			j = s->nk++;
			s->kk[j] = (Kifpoll){ .fd = fd };
			if(fd < MAXFD)
				at[fd] = j;
		}
		s->kk[j].events |= s->k[i].events;
		s->kidx[i] = j;
	}
	return 0;
}

static void
freeset(Pset *s)
{
	int i;

	for(i = 0; i < s->n; i++){
		evdecref(s->node[i].ev);
		epdecref(s->node[i].ep);
	}
	free(s->node);
	free(s->k);
	free(s->kk);
	free(s->kidx);
}

/* With glk held: bring the timerfds' doorbells up to date and find the
 * signalfds ready to t; the ms to the first timerfd expiry (-1: none),
 * the signals that end the wait in *watch, whether a signalfd is ready
 * in *any. */
static long long
syncset(Lthread *t, Pset *s, uint64_t *watch, int *any)
{
	long long cap, l;
	Pnode *x;
	int i;

	cap = -1;
	*watch = 0;
	*any = 0;
	for(i = 0; i < s->n; i++){
		x = &s->node[i];
		x->ready = 0;
		if(x->ev == NULL)
			continue;
		pthread_mutex_lock(&x->ev->lk);
		if(x->ev->kind == EVTIMER){
			tfdsync(x->ev, s->k[i].fd);
			l = tfdleft(x->ev);
			if(l >= 0 && (cap < 0 || l < cap))
				cap = l;
		}else if(x->ev->kind == EVCOUNT){
			/* an eventfd: writable below its greatest count
			 * (a read from it there wakes the wait) */
			if(x->ev->count < EVMAX)
				x->ready = x->events & KIF_WRITE;
			*any |= x->ready != 0;
		}else if(x->ev->kind == EVPID){
			/* a pidfd: readable once its process has ended,
			 * whose end interrupts the wait (procend) */
			if(pidended(t->p->box, x->ev->pid))
				x->ready = x->events & KIF_READ;
			*any |= x->ready != 0;
			t->pidwatch = 1;
		}else{
			if((t->pending | t->p->pending) & x->ev->sigmask)
				x->ready = x->events & KIF_READ;
			*any |= x->ready != 0;
			*watch |= x->ev->sigmask;
		}
		pthread_mutex_unlock(&x->ev->lk);
	}
	return cap;
}

/* With glk held: s's timerfds, signalfds and epolls know t waits on
 * them (on), or no longer. */
static void
enlist(Lthread *t, Pset *s, int on)
{
	Evwait **l;
	Pnode *x;
	int i;

	if(s->top != NULL){
		s->topw.t = t;
		epwatch(s->top, &s->topw, on);
	}
	for(i = 0; i < s->n; i++){
		x = &s->node[i];
		if(x->ep != NULL){
			x->w.t = t;
			epwatch(x->ep, &x->w, on);
			continue;
		}
		if(x->ev == NULL)
			continue;
		if(on){
			x->w.t = t;
			x->w.next = x->ev->waiters;
			x->ev->waiters = &x->w;
			continue;
		}
		for(l = &x->ev->waiters; *l != NULL; l = &(*l)->next)
			if(*l == &x->w){
				*l = x->w.next;
				break;
			}
	}
}

/* With glk held: the threads waiting on e look again (its time or mask
 * changed). */
void
evwake(Evfd *e)
{
	Evwait *w;

	for(w = e->waiters; w != NULL; w = w->next)
		if(w->t->introk)
			kif_interrupt(w->t->kp);
}

/* The kernel's answers and lxpoll's into kf, entries of an epoll
 * making it readable (passes until nothing changes: a twin may answer
 * before its first is known); how many of kf are ready. */
static int
fold(Pset *s, Kifpoll *kf, int n)
{
	Pnode *x;
	int i, r, ready, changed, pass;

	for(i = 0; i < s->n; i++)
		if(s->kidx[i] >= 0)
			s->node[i].ready |= s->kk[s->kidx[i]].revents & (s->k[i].events | ~(KIF_READ | KIF_WRITE));
	pass = 0;
	do{
		changed = 0;
		for(i = s->n - 1; i >= 0; i--){
			x = &s->node[i];
			if(x->twin >= 0 && (s->node[x->twin].ready & ~x->ready)){
				x->ready |= s->node[x->twin].ready;
				changed = 1;
			}
			r = x->ready;
			if(x->up < 0 || !(r & (KIF_READ | KIF_WRITE | KIF_HUP)) || (r & KIF_NVAL))
				continue;
			r = s->node[x->up].events & KIF_READ;
			if(r & ~s->node[x->up].ready){
				s->node[x->up].ready |= r;
				changed = 1;
			}
		}
	}while(changed && ++pass <= MAXDEPTH);
	for(i = 0; i < n; i++)
		kf[i].revents = 0;
	for(i = 0; i < s->n; i++)
		if(s->node[i].up < 0)
			kf[s->node[i].top].revents = s->node[i].ready;
	ready = 0;
	for(i = 0; i < n; i++)
		ready += kf[i].revents != 0;
	return ready;
}

/* The kernel's poll alone, interruptible. */
static int
plainpoll(Lthread *t, Kifpoll *kf, int n, long long ms)
{
	int r;

	intrbegin(t);
	r = kif_poll(kf, n, ms);
	intrend(t);
	return r;
}

/* With glk held: has an epoll of the wait changed since its entries
 * were taken?  LXCHANGED for lxpollep's own, REBUILD for one inside,
 * else 0. */
enum { REBUILD = -3 };
static int
changed(Pset *s)
{
	int i;

	if(s->top != NULL && epchanges(s->top) != s->topgen)
		return LXCHANGED;
	for(i = 0; i < s->n; i++)
		if(s->node[i].expanded && epchanges(s->node[i].ep) != s->node[i].epgen)
			return REBUILD;
	return 0;
}

/* One wait over a set built from kf, until end (ms > 0) or for ever
 * (ms < 0): the count ready, -1 interrupted, or changed's answer. */
static int
waitset(Lthread *t, Kifpoll *kf, int n, long long ms, long long end, Epoll *top, unsigned topgen)
{
	long long cap, wait;
	uint64_t watch;
	Pset s;
	int i, r, any, again, last;

	s = (Pset){ .top = top, .topgen = topgen };
	for(i = 0; i < n; i++)
		if(addnode(t, &s, kf[i].fd, kf[i].events, -1, i, 0) < 0)
			break;
	if(ms > 0 && (ms = end - nowms()) < 0)
		ms = 0;
	if(i < n || (!s.special && top == NULL) || expand(t, &s) < 0 || kernelset(&s) < 0){
		/* nothing special (or no memory): the kernel's poll alone */
		freeset(&s);
		return plainpoll(t, kf, n, ms);
	}
	pthread_mutex_lock(&glk);
	enlist(t, &s, 1);
	pthread_mutex_unlock(&glk);
	for(;;){
		wait = ms;
		if(ms > 0 && (wait = end - nowms()) < 0)
			wait = 0;
		last = wait == 0;
		pthread_mutex_lock(&glk);
		if((r = changed(&s)) != 0){
			pthread_mutex_unlock(&glk);
			break;
		}
		cap = syncset(t, &s, &watch, &any);
		t->sigwatch = watch;
		t->introk = 1;
		if(interrupted(t))
			kif_interrupt(t->kp);
		pthread_mutex_unlock(&glk);
		if(any)
			wait = 0;
		else if(cap >= 0 && (wait < 0 || cap < wait))
			wait = cap;
		for(i = 0; i < s.nk; i++)
			s.kk[i].revents = 0;
		r = kif_poll(s.kk, s.nk, wait);
		pthread_mutex_lock(&glk);
		t->introk = 0;
		t->sigwatch = 0;
		t->pidwatch = 0;
		/* not for t: a signal a signalfd reads, a timerfd reset, an
		 * epoll changed (whose interrupt may come after the poll) */
		again = !interrupted(t);
		if(again)
			kif_clearinterrupt(t->kp);
		again &= r < 0;
		pthread_mutex_unlock(&glk);
		if(again)
			continue;
		if(r < 0)
			break;
		r = fold(&s, kf, n);
		if(r != 0 || last)
			break;
	}
	pthread_mutex_lock(&glk);
	enlist(t, &s, 0);
	pthread_mutex_unlock(&glk);
	freeset(&s);
	return r;
}

/*
 * kif_poll for a guest's wait on fds (ms < 0: no limit): the count of
 * kf ready (revents set), or -1 interrupted as intrbegin says.  kf
 * made from epoll top's entries when its changes were topchanges
 * (lxpollep): LXCHANGED when they change during the wait.
 */
int
lxpollep(Lthread *t, Kifpoll *kf, int n, long long ms, Epoll *top, unsigned topchanges)
{
	long long end;
	int i, r, full;
	Evfd *e;

	full = 0;
	pthread_mutex_lock(&t->p->flk);
	for(i = 0; i < n; i++)
		if(kf[i].fd >= 0 && kf[i].fd < MAXFD){
			kf[i].events &= fdevents(&t->p->fd[kf[i].fd]);
			/* an eventfd at its greatest count, asked whether
			 * it is writable: the kernel would say it is */
			e = t->p->fd[kf[i].fd].used ? t->p->fd[kf[i].fd].ev : NULL;
			if(t->p->evfds && e != NULL && e->kind == EVCOUNT && (kf[i].events & KIF_WRITE)){
				pthread_mutex_lock(&e->lk);
				full |= e->count == EVMAX;
				pthread_mutex_unlock(&e->lk);
			}
		}
	pthread_mutex_unlock(&t->p->flk);
	if(!t->p->specialfds && top == NULL && !full)
		return plainpoll(t, kf, n, ms);
	end = ms > 0 ? nowms() + ms : 0;
	while((r = waitset(t, kf, n, ms, end, top, topchanges)) == REBUILD)
		;
	return r;
}

int
lxpoll(Lthread *t, Kifpoll *kf, int n, long long ms)
{
	return lxpollep(t, kf, n, ms, NULL, 0);
}
