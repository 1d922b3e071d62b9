/*
 * poll.c — readiness: kready and kpoll, for poll(2) and select(2).
 *
 * A device that can block says when it would not (a Readyfn, listed in
 * readytab: the Dev table is positional and shared with devices written
 * elsewhere, so it is not widened).  Everything else is always ready: a
 * file read does not wait for anything but the disk.
 *
 * kpoll sleeps on the proc's eventfd (see intr.c), plus any host fd a
 * device named (the console's stdin).  Devices call pollwakeup when
 * their state changes, which writes every waiting poller's eventfd; the
 * poller then looks at all its fds again.  A waiter registers before it
 * looks, so a change between the look and the sleep still wakes it.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

enum {
	Smallhost = 8,		/* host fds a kpoll waits on without an allocation */
	Maxpoll = 4096,		/* fds per kpoll */
};

static struct {
	int dc;
	Readyfn *ready;
	int nowait;	/* its reads fail Eagain under knowait rather than wait */
} readytab[] = {
	{ '|', pipeready, 1 },
	{ 'c', consready, 0 },	/* #c/cons reads the host's stdin */
	{ 'I', ipready, 1 },
	{ 'P', ptyready, 1 },
	{ 'W', watchready, 1 },
};

static atomic_int npollers;
static pthread_mutex_t pollk = PTHREAD_MUTEX_INITIALIZER;
static Poller *pollers;

/* Something may have become ready: every kpoll looks again. */
void
pollwakeup(void)
{
	Poller *w;
	uint64_t one = 1;

	if(atomic_load(&npollers) == 0)
		return;
	pthread_mutex_lock(&pollk);
	for(w = pollers; w != NULL; w = w->next){
		/* one write until the waiter looks again: a busy pipe
		 * beside a waiter paid an eventfd write every operation */
		if(!atomic_exchange(&w->armed, 0))
			continue;
		if(w->p == NULL){
			if(write(w->fd, &one, sizeof one) < 0){
				/* counter full: it will wake anyway */
			}
			continue;
		}
		pthread_mutex_lock(&w->p->sleeplk);
		if(w->p->wakefd >= 0 && write(w->p->wakefd, &one, sizeof one) < 0){
			/* counter full: it will wake anyway */
		}
		pthread_mutex_unlock(&w->p->sleeplk);
	}
	pthread_mutex_unlock(&pollk);
}

/* w (p NULL, fd an eventfd) joins (on) or leaves the waiters pollwakeup
 * wakes.  Join before looking at what is ready, as kpoll does. */
void
pollerlist(Poller *w, int on)
{
	Poller **l;

	pthread_mutex_lock(&pollk);
	if(on){
		atomic_store(&w->armed, 1);
		w->next = pollers;
		pollers = w;
		atomic_fetch_add(&npollers, 1);
	}else{
		for(l = &pollers; *l != NULL; l = &(*l)->next)
			if(*l == w){
				*l = w->next;
				atomic_fetch_sub(&npollers, 1);
				break;
			}
	}
	pthread_mutex_unlock(&pollk);
}

/* Has c's device a readiness test: 0 no (its reads and writes may wait
 * with no way to know it), 1 and its reads honor knowait, 2 a test
 * alone.  Directories never wait. */
int
chanpollable(Chan *c)
{
	size_t i;
	int dc;

	if(c->qid.type & QTDIR)
		return 0;
	dc = devtab[c->type]->dc;
	for(i = 0; i < sizeof readytab / sizeof readytab[0]; i++)
		if(readytab[i].dc == dc)
			return readytab[i].nowait ? 1 : 2;
	return 0;
}

int
chanready(Chan *c, int events, int *hostfd)
{
	size_t i;
	int dc;

	if(c->qid.type & QTDIR)
		return events & (KPREAD | KPWRITE);
	dc = devtab[c->type]->dc;
	for(i = 0; i < sizeof readytab / sizeof readytab[0]; i++)
		if(readytab[i].dc == dc)
			return readytab[i].ready(c, events, hostfd);
	return events & (KPREAD | KPWRITE);
}

int
kready(int fd, int events)
{
	Chan *c;
	int r, hfd;

	if(up == NULL)
		return kseterr(Enoproc);
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	hfd = -1;
	r = chanready(c, events & (KPREAD | KPWRITE), &hfd);
	cclose(c);
	return r;
}

/* Look at every fd once; the count ready, with host fds to wait on
 * added to hp (*nh of them: hp has room for n).  Every one
 * is waited on: until session 28 only the first 8 were, and a wait
 * on more sockets missed what arrived on the rest (python's asyncio
 * test_create_connection_ssl_1, 25 clients: an epoll_wait slept on
 * while a reply lay in a socket). */
static int
pollonce(Kpollfd *fds, Chan *held, int n, struct pollfd *hp, int *nh)
{
	Chan *c;
	int i, j, hfd, nready;

	nready = 0;
	*nh = 0;
	for(i = 0; i < n; i++){
		fds[i].revents = 0;
		if(fds[i].fd < 0)
			continue;
		if(held != NULL){
			c = held;	/* kfilepoll's: n is 1 */
			incref(&c->ref);
		}else
			c = fdtochan(fds[i].fd, -1, 0, 1);
		if(c == NULL){
			fds[i].revents = KPNVAL;
			nready++;
			continue;
		}
		hfd = -1;
		fds[i].revents = chanready(c, fds[i].events & (KPREAD | KPWRITE), &hfd);
		cclose(c);
		if(fds[i].revents != 0)
			nready++;
		else if(hfd >= 0){
			/* one entry each (poll takes a host fd twice) */
			j = fds[i].events;
			hp[*nh].fd = hfd;
			hp[*nh].events = ((j & KPREAD) ? POLLIN : 0) | ((j & KPWRITE) ? POLLOUT : 0);
			(*nh)++;
		}
	}
	return nready;
}

static vlong
nowms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (vlong)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int pollwait(Kpollfd *fds, Chan *held, int n, vlong ms);

int
kpoll(Kpollfd *fds, int n, vlong ms)
{
	return pollwait(fds, NULL, n, ms);
}

/* kpoll's wait of one open file in hand, not of an fd (an eventfd's
 * read waits on its own doorbell, whatever another thread put at its
 * fd since): KPREAD, KPWRITE as kready's, 0 at ms's end, -1 interrupted */
int
kfilepoll(Kfile *f, int events, vlong ms)
{
	Kpollfd k;
	int r;

	k.fd = 0;
	k.events = events;
	k.revents = 0;
	r = pollwait(&k, (Chan*)f, 1, ms);
	return r > 0 ? k.revents : r;
}

static int
pollwait(Kpollfd *fds, Chan *held, int n, vlong ms)
{
	struct pollfd small[Smallhost + 1], *hp;
	Poller me, **l;
	vlong end, left;
	int r, nh;

	if(up == NULL)
		return kseterr(Enoproc);
	if(atomic_load(&up->killed))
		return kseterr(Ekilled);
	if(n < 0 || n > Maxpoll || (n > 0 && fds == NULL))
		return kseterr(Ebadarg);
	/* the eventfd exists before we register, so no wake-up misses it */
	if(procwakefd() < 0)
		return ksetosErr(errno);
	/* each fd may name a host fd, and procwaithost adds the eventfd */
	hp = n <= Smallhost ? small : kmalloc((n + 1) * sizeof *hp);
	end = ms >= 0 ? nowms() + ms : 0;
	me.p = up;
	me.fd = -1;
	atomic_init(&me.armed, 1);
	pthread_mutex_lock(&pollk);
	me.next = pollers;
	pollers = &me;
	atomic_fetch_add(&npollers, 1);
	pthread_mutex_unlock(&pollk);
	for(;;){
		atomic_store(&me.armed, 1);	/* before the look: a change after it writes */
		r = pollonce(fds, held, n, hp, &nh);
		if(r > 0 || ms == 0)
			break;
		left = -1;
		if(ms > 0){
			left = end - nowms();
			if(left <= 0){
				r = 0;
				break;
			}
			if(left > 1 << 30)
				left = 1 << 30;
		}
		r = procwaithost(hp, nh, (int)left);
		if(r < 0)
			break;
	}
	pthread_mutex_lock(&pollk);
	for(l = &pollers; *l != NULL; l = &(*l)->next)
		if(*l == &me){
			*l = me.next;
			break;
		}
	atomic_fetch_sub(&npollers, 1);
	pthread_mutex_unlock(&pollk);
	if(hp != small)
		free(hp);
	return r;
}
