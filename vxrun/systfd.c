/*
 * systfd.c — timerfd and signalfd, as eventfd is (sysevfd.c): the
 * guest's fd is one end of a kernel pipe whose other, hidden, end is a
 * doorbell holding one byte while the fd is readable, so poll, select
 * and epoll see it through the kernel's own readiness, and dup, fork,
 * close and exit treat it as any fd.
 *
 * Nothing rings a doorbell from outside the guest: a timer thread has
 * no kernel fd table, a signal's sender may be another process.  The
 * waiting thread rings it instead.  lxpoll, which every wait on fds
 * uses, brings the doorbells of the timerfds and signalfds it waits on
 * up to date, waits no longer than the earliest timerfd expiry, and is
 * woken by a signal that a signalfd it waits on reads (Lthread.sigwatch,
 * postsigwho).  So a timerfd or signalfd is ready to the thread that
 * waits on it, however it waits; another thread's view is brought up
 * to date by its next wait or read.
 *
 * Known limits: a signalfd's readiness is the poller's signals (its
 * thread's and its process's); TFD_TIMER_CANCEL_ON_SET is accepted and
 * never cancels, as a guest cannot set the clock; an epoll inside a
 * poll set does not look at the timerfds in its own list (epoll_wait on
 * it does); a read blocked on a timerfd sleeps to the deadline it saw
 * (a timerfd_settime by another thread that makes it earlier is seen
 * at that deadline).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dat.h"

enum {
	LTFD_TIMER_ABSTIME = 1,
	LTFD_TIMER_CANCEL_ON_SET = 2,
	LO_NONBLOCK = 04000,
	LO_CLOEXEC = 02000000,
	NS = 1000000000,
	SSISIZE = 128,		/* struct signalfd_siginfo */
	LCLOCK_REALTIME = 0, LCLOCK_MONOTONIC = 1, LCLOCK_BOOTTIME = 7,
	LCLOCK_REALTIME_ALARM = 8, LCLOCK_BOOTTIME_ALARM = 9,
};

static const uint64_t unblockable = (1ull << (LSIGKILL - 1)) | (1ull << (LSIGSTOP - 1));

static int
nonblocking(Lthread *t, uint32_t fd)
{
	return (fdstatus(t->p, fd) & LO_NONBLOCK) != 0;
}

/* fd's Evfd of kind, referenced; NULL with EBADF or EINVAL in *err. */
static Evfd *
evkind(Lthread *t, uint32_t fd, int kind, long *err)
{
	Evfd *e;

	*err = -EBADF;
	if(!fdcheck(t->p, fd))
		return NULL;
	*err = -EINVAL;
	e = evof(t->p, fd);
	if(e != NULL && e->kind != kind){
		evdecref(e);
		e = NULL;
	}
	return e;
}

/* With e->lk held: count the timerfd's expiries up to now, forward an
 * interval timer past now, and ring or silence the doorbell. */
static void
tfdsync(Evfd *e, int fd)
{
	uint64_t now, n;

	if(e->next != 0 && (now = clocknow(e->clock)) >= e->next){
		n = 1;
		if(e->interval != 0){
			n += (now - e->next) / e->interval;
			e->next += n * e->interval;
		}else
			e->next = 0;
		e->count += n;
		e->nwrite++;
	}
	evring(e, fd, e->count != 0);
}

/* With e->lk held: ns to the timerfd's next expiry (at least 1), 0
 * when it is disarmed. */
static uint64_t
tfdremain(Evfd *e)
{
	uint64_t now;

	if(e->next == 0)
		return 0;
	now = clocknow(e->clock);
	return e->next > now ? e->next - now : 1;
}

/* With e->lk held: ms until the timerfd's next expiry (rounded up), or -1. */
static long long
tfdleft(Evfd *e)
{
	return e->next == 0 ? -1 : (long long)((tfdremain(e) + 999999) / 1000000);
}

/* timerfd_create(clockid, flags) */
long
sys_timerfd_create(Lthread *t, uint32_t *a)
{
	Evfd *e;
	int c;

	if(a[1] & ~(uint32_t)(LO_NONBLOCK | LO_CLOEXEC))
		return -EINVAL;
	switch(a[0]){
	case LCLOCK_REALTIME: c = CLOCK_REALTIME; break;
	case LCLOCK_MONOTONIC: c = CLOCK_MONOTONIC; break;
	case LCLOCK_BOOTTIME: c = CLOCK_BOOTTIME; break;
	case LCLOCK_REALTIME_ALARM:
	case LCLOCK_BOOTTIME_ALARM:
		return -EPERM;	/* no guest has CAP_WAKE_ALARM */
	default:
		return -EINVAL;
	}
	e = calloc(1, sizeof *e);
	if(e == NULL)
		return -ENOMEM;
	e->kind = EVTIMER;
	e->clock = c;
	return evmake(t, e, a[1]);
}

/* timerfd_settime(fd, flags, new, old) */
static long
tfdsettime(Lthread *t, uint32_t *a, int wide)
{
	uint64_t interval, value, oi, ov, now;
	uint8_t *n;
	Evfd *e;
	long r;

	n = gmem(t, a[2], wide ? 32 : 16, VX_PROT_READ);
	if(n == NULL)
		return -EFAULT;
	if((a[1] & ~(uint32_t)(LTFD_TIMER_ABSTIME | LTFD_TIMER_CANCEL_ON_SET)) ||
	   getits(n, wide, &interval, &value) < 0)
		return -EINVAL;
	if((e = evkind(t, a[0], EVTIMER, &r)) == NULL)
		return r;
	pthread_mutex_lock(&e->lk);
	tfdsync(e, a[0]);
	oi = e->interval;
	ov = tfdremain(e);
	now = clocknow(e->clock);
	e->count = 0;
	e->interval = value ? interval : 0;
	e->next = 0;
	if(value != 0){
		e->next = (a[1] & LTFD_TIMER_ABSTIME) ? value : now + value;
		if(e->next == 0)
			e->next = 1;
	}
	tfdsync(e, a[0]);
	pthread_mutex_unlock(&e->lk);
	evdecref(e);
	return a[3] != 0 ? putitsat(t, a[3], wide, oi, ov) : 0;
}

long sys_timerfd_settime(Lthread *t, uint32_t *a) { return tfdsettime(t, a, 0); }
long sys_timerfd_settime64(Lthread *t, uint32_t *a) { return tfdsettime(t, a, 1); }

static long
tfdgettime(Lthread *t, uint32_t *a, int wide)
{
	uint64_t interval, left;
	Evfd *e;
	long r;

	if((e = evkind(t, a[0], EVTIMER, &r)) == NULL)
		return r;
	pthread_mutex_lock(&e->lk);
	tfdsync(e, a[0]);
	interval = e->interval;
	left = tfdremain(e);
	pthread_mutex_unlock(&e->lk);
	evdecref(e);
	return putitsat(t, a[1], wide, interval, left);
}

long sys_timerfd_gettime(Lthread *t, uint32_t *a) { return tfdgettime(t, a, 0); }
long sys_timerfd_gettime64(Lthread *t, uint32_t *a) { return tfdgettime(t, a, 1); }

/* read of a timerfd: the expiries since the last read, 8 bytes */
long
tfdrw(Lthread *t, Evfd *e, uint32_t fd, void *p, uint32_t n, int out)
{
	Kifpoll kf;
	uint64_t v;

	if(out || n < 8)
		return -EINVAL;
	for(;;){
		pthread_mutex_lock(&e->lk);
		tfdsync(e, fd);
		v = e->count;
		e->count = 0;
		evring(e, fd, 0);
		pthread_mutex_unlock(&e->lk);
		if(v != 0){
			put64(p, v);
			return 8;
		}
		if(nonblocking(t, fd))
			return -EAGAIN;
		kf.fd = fd;
		kf.events = KIF_READ;
		kf.revents = 0;
		if(lxpoll(t, &kf, 1, -1) < 0)
			return -LERESTART;
	}
}

/* With glk and e->lk held: a signalfd's doorbell as t's signals say. */
static void
sfdsync(Lthread *t, Evfd *e, int fd)
{
	evring(e, fd, ((t->pending | t->p->pending) & e->sigmask) != 0);
}

/* signalfd4(fd, mask, sizemask, flags): a new signalfd (fd -1), or a
 * new mask for fd's */
static long
signalfd(Lthread *t, int32_t fd, uint32_t addr, uint32_t size, uint32_t flags)
{
	uint64_t mask;
	uint8_t *m;
	Evfd *e;
	long r;

	if(size != 8)
		return -EINVAL;
	m = gmem(t, addr, 8, VX_PROT_READ);
	if(m == NULL)
		return -EFAULT;
	if(flags & ~(uint32_t)(LO_NONBLOCK | LO_CLOEXEC))
		return -EINVAL;
	mask = get64(m) & ~unblockable;
	if(fd == -1){
		e = calloc(1, sizeof *e);
		if(e == NULL)
			return -ENOMEM;
		e->kind = EVSIGNAL;
		e->sigmask = mask;
		return evmake(t, e, flags);
	}
	if((e = evkind(t, fd, EVSIGNAL, &r)) == NULL)
		return r;
	pthread_mutex_lock(&glk);
	pthread_mutex_lock(&e->lk);
	e->sigmask = mask;
	sfdsync(t, e, fd);
	pthread_mutex_unlock(&e->lk);
	pthread_mutex_unlock(&glk);
	evdecref(e);
	return fd;
}

long
sys_signalfd(Lthread *t, uint32_t *a)
{
	return signalfd(t, a[0], a[1], a[2], 0);
}

long
sys_signalfd4(Lthread *t, uint32_t *a)
{
	return signalfd(t, a[0], a[1], a[2], a[3]);
}

/* One struct signalfd_siginfo for sig from w, as Linux's
 * signalfd_copyinfo fills it for each siginfo layout. */
static void
putssi(uint8_t *r, int sig, Sigwho *w)
{
	memset(r, 0, SSISIZE);
	put32(r, sig);
	put32(r + 8, w->code);
	if(w->code == LSI_TIMER){
		put32(r + 24, w->timerid);	/* ssi_tid */
		put32(r + 32, w->overrun);
		put32(r + 44, w->value);	/* ssi_int */
		put64(r + 48, w->value);	/* ssi_ptr */
		return;
	}
	put32(r + 12, w->pid);
	put32(r + 16, w->uid);
	if(sig == LSIGCHLD && w->code >= LCLD_EXITED && w->code <= LCLD_DUMPED)
		put32(r + 40, w->status);
	else if(w->code < 0){
		put32(r + 44, w->value);
		put64(r + 48, w->value);
	}
}

/* read of a signalfd: as many pending signals of its mask as fit, the
 * first waited for unless O_NONBLOCK */
long
sfdrw(Lthread *t, Evfd *e, uint32_t fd, void *p, uint32_t n, int out)
{
	uint8_t *buf;
	uint32_t k;
	Sigwho w;
	int sig, nb;

	if(out || n < SSISIZE)
		return -EINVAL;
	buf = p;
	nb = nonblocking(t, fd);
	k = 0;
	pthread_mutex_lock(&glk);
	for(;;){
		pthread_mutex_lock(&e->lk);
		while(k < n / SSISIZE && (sig = sigtake(t, e->sigmask, &w)) != 0){
			putssi(buf + k * SSISIZE, sig, &w);
			k++;
		}
		sfdsync(t, e, fd);
		pthread_mutex_unlock(&e->lk);
		if(k > 0 || nb || interrupted(t))
			break;
		pthread_cond_wait(&gcv, &glk);
	}
	pthread_mutex_unlock(&glk);
	if(k > 0)
		return k * SSISIZE;
	return nb ? -EAGAIN : -LERESTART;
}

/* The timerfds and signalfds among kf's fds, referenced, into *ev with
 * their fds; how many. */
static int
specials(Lthread *t, Kifpoll *kf, int n, Evfd ***ev, int **fds)
{
	Evfd *e;
	int i, m;

	*ev = NULL;
	*fds = NULL;
	m = 0;
	for(i = 0; i < n; i++){
		if(kf[i].fd < 0 || (e = evof(t->p, kf[i].fd)) == NULL)
			continue;
		if(e->kind != EVCOUNT && *ev == NULL){
			*ev = calloc(n, sizeof **ev);
			*fds = calloc(n, sizeof **fds);
			if(*ev == NULL || *fds == NULL){
				free(*ev);
				free(*fds);
				*ev = NULL;
				*fds = NULL;
				evdecref(e);
				return 0;	/* no memory: the kernel's poll alone */
			}
		}
		if(e->kind == EVCOUNT){
			evdecref(e);
			continue;
		}
		(*ev)[m] = e;
		(*fds)[m++] = kf[i].fd;
	}
	return m;
}

/* With glk held: bring the doorbells up to date; the ms to the first
 * timerfd expiry (-1: none), the signals that end the wait in *watch. */
static long long
syncall(Lthread *t, Evfd **ev, int *fds, int m, uint64_t *watch)
{
	long long cap, l;
	int i;

	cap = -1;
	*watch = 0;
	for(i = 0; i < m; i++){
		pthread_mutex_lock(&ev[i]->lk);
		if(ev[i]->kind == EVTIMER){
			tfdsync(ev[i], fds[i]);
			l = tfdleft(ev[i]);
			if(l >= 0 && (cap < 0 || l < cap))
				cap = l;
		}else{
			sfdsync(t, ev[i], fds[i]);
			*watch |= ev[i]->sigmask;
		}
		pthread_mutex_unlock(&ev[i]->lk);
	}
	return cap;
}

static long long
nowms(void)
{
	return clocknow(CLOCK_MONOTONIC) / 1000000;
}

/*
 * kif_poll for a guest's wait on fds (ms < 0: no limit), interruptible
 * as intrbegin says, with its timerfds and signalfds kept up to date
 * (see the top).  Without either, just the kernel's poll.
 */
int
lxpoll(Lthread *t, Kifpoll *kf, int n, long long ms)
{
	long long end, cap, wait;
	uint64_t watch;
	Evfd **ev;
	int *fds, m, i, r;

	m = 0;
	ev = NULL;
	fds = NULL;
	if(t->p->specialfds)
		m = specials(t, kf, n, &ev, &fds);
	if(m == 0){
		free(ev);
		free(fds);
		intrbegin(t);
		r = kif_poll(kf, n, ms);
		intrend(t);
		return r;
	}
	end = ms < 0 ? 0 : nowms() + ms;
	for(;;){
		pthread_mutex_lock(&glk);
		cap = syncall(t, ev, fds, m, &watch);
		t->sigwatch = watch;
		t->introk = 1;
		if(interrupted(t))
			kif_interrupt(t->kp);
		pthread_mutex_unlock(&glk);
		wait = ms;
		if(ms > 0 && (wait = end - nowms()) < 0)
			wait = 0;
		if(cap >= 0 && (wait < 0 || cap < wait))
			wait = cap;
		r = kif_poll(kf, n, wait);
		pthread_mutex_lock(&glk);
		t->introk = 0;
		t->sigwatch = 0;
		if(r < 0 && !interrupted(t))
			r = 0;	/* a watched signal came: look again */
		pthread_mutex_unlock(&glk);
		if(r != 0 || ms == 0 || (ms > 0 && nowms() >= end))
			break;
	}
	if(r == 0 && ms != 0){
		/* the deadline passed: a last look (an interrupt left by a
		 * watched signal is no reason to fail) */
		pthread_mutex_lock(&glk);
		syncall(t, ev, fds, m, &watch);
		pthread_mutex_unlock(&glk);
		r = kif_poll(kf, n, 0);
		if(r < 0){
			pthread_mutex_lock(&glk);
			if(!interrupted(t))
				r = 0;
			pthread_mutex_unlock(&glk);
		}
	}
	for(i = 0; i < m; i++)
		evdecref(ev[i]);
	free(ev);
	free(fds);
	return r;
}
