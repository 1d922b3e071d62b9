/*
 * systfd.c — timerfd and signalfd.  The guest's fd is one end of a
 * kernel pipe (made as an eventfd's, sysevfd.c) so dup, fork, close and
 * exit treat it as any fd.  A timerfd's pipe is a doorbell holding one
 * byte while it has expiries to read, so poll, select and epoll see it
 * through the kernel's own readiness.  Nothing rings it from outside
 * the guest (the timer thread has no kernel fd table): the waiting
 * thread does, in lxpoll (lxpoll.c), which every wait on fds uses; it
 * also waits no longer than the next expiry, and a timerfd_settime
 * wakes it to look again.  A signalfd's readiness is the reader's own
 * (its thread's and its process's signals), which no shared doorbell
 * can hold: lxpoll answers for it, and its pipe stays silent.
 *
 * Known limit: TFD_TIMER_CANCEL_ON_SET is accepted and never cancels,
 * as a guest cannot set the clock.
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
};

static const uint64_t unblockable = (1ull << (LSIGKILL - 1)) | (1ull << (LSIGSTOP - 1));

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
void
tfdsync(Evfd *e, int fd)
{
	uint64_t n;

	if(e->next != 0 && (n = expiries(&e->next, e->interval, clocknow(e->clock))) != 0){
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
long long
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
	e->clock = e->madeon = c;
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
	/* as Linux's hrtimer, a relative CLOCK_REALTIME timer runs on the
	 * monotonic clock */
	e->clock = e->madeon == CLOCK_REALTIME && !(a[1] & LTFD_TIMER_ABSTIME) ? CLOCK_MONOTONIC : e->madeon;
	now = clocknow(e->clock);
	e->count = 0;
	e->interval = value ? interval : 0;
	e->next = 0;
	if(value != 0)
		e->next = deadline(a[1] & LTFD_TIMER_ABSTIME, value, now);
	tfdsync(e, a[0]);
	pthread_mutex_unlock(&e->lk);
	pthread_mutex_lock(&glk);
	evwake(e);	/* a read or poll waiting for the old time */
	pthread_mutex_unlock(&glk);
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

/*
 * A timerfd read's wait: on its own doorbell (e->ear, the guest end's
 * open file) until its next expiry, as lxpoll's wait on a timerfd, a
 * timerfd_settime waking it to look again (evwake).  Not on fd: a pipe
 * another thread dup2'd there since the read found its Evfd was waited
 * on, without the timer's deadline, for ever (until session 30).  -1:
 * interrupted by a signal.
 */
static int
tfdwait(Lthread *t, Evfd *e, uint32_t fd)
{
	Evwait w, **l;
	long long ms;
	int r, again;

	w.t = t;
	pthread_mutex_lock(&glk);
	w.next = e->waiters;
	e->waiters = &w;
	pthread_mutex_lock(&e->lk);
	tfdsync(e, fd);
	ms = e->count != 0 ? 0 : tfdleft(e);
	pthread_mutex_unlock(&e->lk);
	t->introk = 1;
	if(interrupted(t))
		kif_interrupt(t->kp);
	pthread_mutex_unlock(&glk);
	r = kif_filepoll(e->ear, KIF_READ, ms);
	pthread_mutex_lock(&glk);
	t->introk = 0;
	/* not for t: a timerfd_settime's wake */
	again = !interrupted(t);
	if(again)
		kif_clearinterrupt(t->kp);
	for(l = &e->waiters; *l != NULL; l = &(*l)->next)
		if(*l == &w){
			*l = w.next;
			break;
		}
	pthread_mutex_unlock(&glk);
	return r < 0 && !again ? -1 : 0;
}

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
		if(evnonblock(t, e, fd))
			return -EAGAIN;
		if(e->ear != NULL){
			if(tfdwait(t, e, fd) < 0)
				return -LERESTART;
			continue;
		}
		kf.fd = fd;
		kf.events = KIF_READ;
		kf.revents = 0;
		if(lxpoll(t, &kf, 1, -1) < 0)
			return -LERESTART;
	}
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
	pthread_mutex_unlock(&e->lk);
	evwake(e);	/* as Linux's: pollers look again */
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
	if(sig == LSIGCHLD && w->code >= LCLD_EXITED && w->code <= LCLD_CONTINUED)
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
	nb = evnonblock(t, e, fd);
	k = 0;
	pthread_mutex_lock(&glk);
	for(;;){
		pthread_mutex_lock(&e->lk);
		while(k < n / SSISIZE && (sig = sigtake(t, e->sigmask, &w)) != 0){
			putssi(buf + k * SSISIZE, sig, &w);
			k++;
		}
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
