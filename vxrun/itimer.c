/*
 * itimer.c — alarm, setitimer and getitimer.  ITIMER_REAL: SIGALRM to
 * the process when its deadline passes, again every interval;
 * ITIMER_VIRTUAL and ITIMER_PROF are CPU-time timers (ptimer.c).  One host
 * thread, started on first use, sleeps until the earliest deadline of all
 * guest processes; arming a timer wakes it to look again.  A fork does not
 * inherit the timer, an execve keeps it, as on Linux.  The same thread
 * fires the POSIX timers (ptimer.c).
 */
#include <errno.h>
#include <time.h>
#include "dat.h"

enum {
	LITIMER_REAL = 0, LITIMER_VIRTUAL = 1, LITIMER_PROF = 2,
	NS = 1000000000,
	MINREARM = 1000000,
};

static pthread_cond_t timercv;
static int timerup;

/* The host clock's time in ns; 0 when it cannot be read. */
uint64_t
clocknow(int clock)
{
	struct timespec ts;

	if(clock_gettime(clock, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * NS + ts.tv_nsec;
}

/* The monotonic clock in ms: the guests' poll and epoll timeouts */
long long
nowms(void)
{
	return clocknow(CLOCK_MONOTONIC) / 1000000;
}

/* A timer due at *at (0: disarmed), every interval (0: once), at time
 * now: its expiries (0: not due), *at moved past now or to 0. */
uint64_t
expiries(uint64_t *at, uint64_t interval, uint64_t now)
{
	uint64_t n;

	if(*at == 0 || now < *at)
		return 0;
	n = 1;
	if(interval != 0){
		n += (now - *at) / interval;
		*at += n * interval;
	}else
		*at = 0;
	return n;
}

/* A timer's deadline for a value set at time now (abs: value is the
 * time itself), never 0 (disarmed) and no later than Linux's KTIME_MAX,
 * which its timers saturate at. */
uint64_t
deadline(int abs, uint64_t value, uint64_t now)
{
	uint64_t at;

	at = abs ? value : now + value;
	if(at > (uint64_t)INT64_MAX)
		at = INT64_MAX;
	return at != 0 ? at : 1;
}

static uint64_t
nowns(void)
{
	return clocknow(CLOCK_MONOTONIC);
}

/* With glk held: post SIGALRM for every due timer; the next deadline. */
static uint64_t
firetimers(uint64_t now)
{
	uint64_t next, at;
	Lproc *p;

	next = 0;
	for(p = procs; p != NULL; p = p->next){
		if(p->zombie || p->exiting){
			p->alarmat = 0;
			continue;
		}
		if(p->timers != NULL && (at = ptimerfire(p, now)) != 0 && (next == 0 || at < next))
			next = at;
		if(p->alarmat == 0)
			continue;
		if(p->alarmat <= now){
			/* while a SIGALRM waits to be taken, another is nothing:
			 * a tiny interval wakes this thread no more than every
			 * ms (a guest cannot make it spin) */
			p->alarmat = p->alarmint ? now + p->alarmint : 0;
			if(p->alarmint != 0 && p->alarmint < MINREARM && (p->pending & (1ull << (LSIGALRM - 1))))
				p->alarmat = now + MINREARM;
			postsigwho(p, NULL, LSIGALRM, &(Sigwho){ .code = LSI_KERNEL });	/* Linux's SEND_SIG_PRIV */
		}
		if(p->alarmat != 0 && (next == 0 || p->alarmat < next))
			next = p->alarmat;
	}
	return next;
}

static void *
timerthread(void *arg)
{
	struct timespec dl;
	uint64_t next;

	(void)arg;
	pthread_mutex_lock(&glk);
	for(;;){
		next = firetimers(nowns());
		if(next == 0){
			pthread_cond_wait(&timercv, &glk);
			continue;
		}
		dl.tv_sec = next / NS;
		dl.tv_nsec = next % NS;
		pthread_cond_timedwait(&timercv, &glk, &dl);
	}
	return NULL;
}

/* With glk held: start the thread once, and make it look again. */
int
kicktimer(void)
{
	pthread_condattr_t ca;
	pthread_attr_t attr;
	pthread_t th;
	int r;

	if(!timerup){
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&timercv, &ca);
		pthread_condattr_destroy(&ca);
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 64 << 10);
		r = pthread_create(&th, &attr, timerthread, NULL);
		pthread_attr_destroy(&attr);
		if(r != 0){
			pthread_cond_destroy(&timercv);
			return -EAGAIN;
		}
		timerup = 1;
	}
	pthread_cond_signal(&timercv);
	return 0;
}

/* With glk held: the time left and the interval, in ns. */
static void
timerleft(Lproc *p, uint64_t now, uint64_t *left, uint64_t *interval)
{
	*left = p->alarmat == 0 ? 0 : p->alarmat > now ? p->alarmat - now : 1;
	*interval = p->alarmint;
}

/* With glk held: arm (value 0: disarm) and return the old setting. */
static long
settimer(Lproc *p, uint64_t value, uint64_t interval, uint64_t *oleft, uint64_t *oint)
{
	uint64_t now;

	now = nowns();
	timerleft(p, now, oleft, oint);
	p->alarmat = value ? now + value : 0;
	p->alarmint = value ? interval : 0;
	return value ? kicktimer() : 0;
}

long
sys_alarm(Lthread *t, uint32_t *a)
{
	uint64_t left, intv;
	long r;

	pthread_mutex_lock(&glk);
	r = settimer(t->p, (uint64_t)a[0] * NS, 0, &left, &intv);
	pthread_mutex_unlock(&glk);
	if(r < 0)
		return r;
	/* seconds left, rounded to nearest, but never 0 for an armed timer */
	return left == 0 ? 0 : left < NS ? 1 : (long)((left + NS / 2) / NS);
}

static int
gettv(uint8_t *g, uint64_t *ns)
{
	int32_t sec, usec;

	sec = (int32_t)get32(g);
	usec = (int32_t)get32(g + 4);
	if(sec < 0 || usec < 0 || usec >= 1000000)
		return -EINVAL;
	*ns = (uint64_t)sec * NS + (uint64_t)usec * 1000;
	return 0;
}

static void
puttv(uint8_t *g, uint64_t ns)
{
	/* microseconds rounded up, so an armed timer never reads as 0 */
	uint64_t us = (ns + 999) / 1000;

	put32(g, us / 1000000);
	put32(g + 4, us % 1000000);
}

/* setitimer(which, new, old): struct itimerval is interval, then value */
long
sys_setitimer(Lthread *t, uint32_t *a)
{
	uint64_t value, intv, oleft, oint;
	uint8_t *n, *o;
	long r;

	if(a[0] > LITIMER_PROF)
		return -EINVAL;
	n = a[1] ? gmem(t, a[1], 16, VX_PROT_READ) : NULL;
	o = a[2] ? gmem(t, a[2], 16, VX_PROT_WRITE) : NULL;
	if((a[1] && n == NULL) || (a[2] && o == NULL))
		return -EFAULT;
	value = intv = 0;
	if(n != NULL && (gettv(n, &intv) < 0 || gettv(n + 8, &value) < 0))
		return -EINVAL;
	pthread_mutex_lock(&glk);
	if(a[0] == LITIMER_REAL)
		r = settimer(t->p, value, intv, &oleft, &oint);
	else
		r = cpuitimer(t->p, a[0], n != NULL, value, intv, &oleft, &oint);
	pthread_mutex_unlock(&glk);
	if(o != NULL){
		puttv(o, oint);
		puttv(o + 8, oleft);
	}
	return r;
}

long
sys_getitimer(Lthread *t, uint32_t *a)
{
	uint64_t left, intv;
	uint8_t *o;

	if(a[0] > LITIMER_PROF)
		return -EINVAL;
	o = gmem(t, a[1], 16, VX_PROT_WRITE);
	if(o == NULL)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	if(a[0] == LITIMER_REAL)
		timerleft(t->p, nowns(), &left, &intv);
	else
		cpuitimer(t->p, a[0], 0, 0, 0, &left, &intv);
	pthread_mutex_unlock(&glk);
	puttv(o, intv);
	puttv(o + 8, left);
	return 0;
}
