/*
 * ptimer.c — POSIX timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete.  Each process has a short list of
 * timers under glk; itimer.c's one host thread fires them with the
 * ITIMER_REAL alarms (ptimerfire), posting the signal with si_code
 * SI_TIMER, si_timerid and si_value.  While a timer's signal is still
 * pending a further expiry only counts an overrun, which the signal
 * carries when it is taken (ptimertaken), as Linux's.
 *
 * Clocks: REALTIME, MONOTONIC, BOOTTIME, TAI and the CPU-time clocks
 * of the process and its threads (lxclock.c).  A CPU-time timer is
 * looked at as cpuwait says: no later than its clock could reach the
 * deadline, so it fires within CPUMIN of it while its threads run.
 * SIGEV_THREAD_ID's signal, and a timer on a thread's clock, end with
 * the thread (Linux drops the signal).  The _ALARM clocks are EPERM.
 * A process has at most NPTIMER timers (EAGAIN past that: a guest
 * cannot make unbounded host state).  Timers are not inherited by fork
 * and are deleted at execve and exit, as on Linux.
 *
 * setitimer's ITIMER_VIRTUAL and ITIMER_PROF (cpuitimer) are timers of
 * the same kind on the process's CPU clock, SIGVTALRM and SIGPROF sent
 * with SI_KERNEL, which stay across execve.  Both count the one CPU
 * time the clock has (the guest's code and its system calls: the
 * virtual timer runs as fast as the profiling one).  They are on the
 * process's list under negative ids, which no timer_* call can name.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

enum {
	NPTIMER = 256,
	LSIGEV_SIGNAL = 0, LSIGEV_NONE = 1, LSIGEV_THREAD = 2, LSIGEV_THREAD_ID = 4,
	SIGEVSIZE = 64,
	LTIMER_ABSTIME = 1,
	NS = 1000000000,
	CPUMIN = 1000000,	/* a CPU-time timer's looks: at least 1 ms apart, */
	CPUMAX = 10000000,	/* and at most 10 ms while its clock stands */
};

/* The clock for guest clock id, or -EINVAL/-EOPNOTSUPP/-EPERM as
 * Linux's timer_create answers. */
static int
timerclock(Lthread *t, uint32_t id, Lclock *c)
{
	switch(id){
	case LCLOCK_REALTIME_ALARM:
	case LCLOCK_BOOTTIME_ALARM:
		return -EPERM;	/* no guest has CAP_WAKE_ALARM */
	case LCLOCK_MONOTONIC_RAW:
	case LCLOCK_REALTIME_COARSE:
	case LCLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	}
	return lxclock(t, id, c);
}

/* With glk held: the time on p's timer tm's clock, ns. */
static uint64_t
tmnow(Lproc *p, Ptimer *tm)
{
	return tm->relmono ? clocknow(CLOCK_MONOTONIC) : lxclocknow(p, &tm->clock);
}

/* With glk held: p's timer id, or NULL. */
static Ptimer *
lookup(Lproc *p, int32_t id)
{
	Ptimer *tm;

	if(id < 0)
		return NULL;	/* setitimer's */
	for(tm = p->timers; tm != NULL; tm = tm->next)
		if(tm->id == id)
			return tm;
	return NULL;
}

/* With glk held: is tm's signal pending and not yet taken (on its
 * thread or its process)?  drop: it is dropped too. */
static int
queuedin(Lproc *p, Ptimer *tm, int drop)
{
	Lthread *t;

	t = tm->notify == LSIGEV_THREAD_ID ? findthread(p, tm->tid) : NULL;
	return sigfromtimer(p, t, tm->signo, tm->id, drop);
}

static int
queued(Lproc *p, Ptimer *tm)
{
	return queuedin(p, tm, 0);
}

/* With glk held: tm is set again, disarmed or deleted: a signal of its
 * still pending is dropped, as Linux (6.14 on) drops a timer's signal
 * queued before the timer changed (its it_signal_seq) when it would
 * be taken.  A signal of that number sent otherwise before it (a kill)
 * is kept: the timer's then only counted an overrun. */
static void
unqueue(Lproc *p, Ptimer *tm)
{
	if(tm->notify != LSIGEV_NONE)
		queuedin(p, tm, 1);
}

/* With glk held: the expiries of tm up to now (its clock's time), 0
 * when it is not due; an interval timer moves on past now, a one-shot
 * one is disarmed. */
static uint64_t
due(Ptimer *tm, uint64_t now)
{
	return expiries(&tm->at, tm->interval, now);
}

/* Add n to an overrun count, which stops at INT32_MAX. */
static int
addoverrun(int o, uint64_t n)
{
	return n > (uint64_t)INT32_MAX - o ? INT32_MAX : o + (int)n;
}

/* With glk held: tm expired; signal it, or count an overrun. */
static void
expire(Lproc *p, Ptimer *tm, uint64_t n)
{
	Sigwho w = { .code = LSI_TIMER, .value = tm->value, .timerid = tm->id };
	Lthread *t;

	if(tm->notify == LSIGEV_NONE)
		return;
	if(tm->id < 0){
		postsigwho(p, NULL, tm->signo, &(Sigwho){ .code = LSI_KERNEL });	/* setitimer's */
		return;
	}
	t = tm->notify == LSIGEV_THREAD_ID ? findthread(p, tm->tid) : NULL;
	if(tm->notify == LSIGEV_THREAD_ID && (t == NULL || tm->orphan))
		return;	/* its thread is gone: Linux drops the signal */
	if(queued(p, tm)){
		tm->overrun = addoverrun(tm->overrun, n);
		return;
	}
	tm->overrun = addoverrun(0, n - 1);
	postsigwho(p, t, tm->signo, &w);
}

/* How long (monotonic ns) before the timer thread looks at CPU-time
 * timer tm again, left ns before it is due at CPU time now.  The clock
 * runs no faster than the threads that may run at once (one for a
 * thread's clock), so sleeping left / those threads never passes the
 * deadline; at least CPUMIN, and while the clock stands still
 * (nothing runs) the sleeps double up to CPUMAX, the most a thread
 * that starts to run again can overshoot. */
static uint64_t
cpuwait(Lproc *p, Ptimer *tm, uint64_t now, uint64_t left)
{
	static long ncpu;
	uint64_t w, k, b;

	if(ncpu <= 0 && (ncpu = sysconf(_SC_NPROCESSORS_ONLN)) <= 0)
		ncpu = 1;
	k = tm->clock.kind == LCKPROC ? (uint64_t)p->nthreads : 1;
	if(k > (uint64_t)ncpu)
		k = ncpu;
	if(k == 0)
		k = 1;
	w = left / k;
	if(now == tm->lastcpu){
		b = 2 * tm->lastwait < CPUMAX ? 2 * tm->lastwait : CPUMAX;
		if(w < b)
			w = b;
	}
	if(w < CPUMIN)
		w = CPUMIN;
	tm->lastcpu = now;
	tm->lastwait = w;
	return w;
}

/* From the timer thread, glk held: fire p's due timers; the monotonic
 * time of its next look, or 0 for none.  The thread does not wake for
 * a timer that sends nothing (SIGEV_NONE: timer_gettime counts its
 * expiries) or whose signal still waits to be taken (its taking counts
 * the expiries since as overruns and wakes the thread: ptimertaken), so
 * a timer of a nanosecond costs no more than the signals taken, and
 * not for one whose thread has ended (it sends nothing again); one
 * whose signal is ignored is looked at no more often than every
 * CPUMIN, as Linux rearms such a timer a jiffy on. */
uint64_t
ptimerfire(Lproc *p, uint64_t mono)
{
	uint64_t now, n, left, next, at;
	Ptimer *tm;

	next = 0;
	for(tm = p->timers; tm != NULL; tm = tm->next){
		if(tm->at == 0 || tm->notify == LSIGEV_NONE || tm->orphan || queued(p, tm))
			continue;	/* nothing to send now */
		now = tmnow(p, tm);
		if(now == 0)
			continue;	/* a CPU clock of a thread that is gone */
		if((n = due(tm, now)) != 0){
			expire(p, tm, n);
			if(tm->at == 0 || queued(p, tm))
				continue;
		}
		left = tm->at - now;
		if(tm->clock.kind != LCKHOST)
			left = cpuwait(p, tm, now, left);
		else if(n != 0 && left < CPUMIN)
			left = CPUMIN;	/* it sent nothing */
		at = mono + left;
		if(next == 0 || at < next)
			next = at;
	}
	return next;
}

/* With glk held: p's thread tid has ended: its timers (SIGEV_THREAD_ID
 * at it, or on its CPU clock) fire no more, though a new thread may
 * get its number. */
void
ptimerthreadend(Lproc *p, int tid)
{
	Ptimer *tm;

	for(tm = p->timers; tm != NULL; tm = tm->next)
		if((tm->notify == LSIGEV_THREAD_ID && tm->tid == tid) ||
		   (tm->clock.kind == LCKTHREAD && tm->clock.tid == tid))
			tm->orphan = 1;
}

/* With glk held: tm's signal is being taken: w gets its overrun, the
 * expiries since it was sent; the timer thread looks at tm again. */
void
ptimertaken(Lproc *p, Sigwho *w)
{
	Ptimer *tm;

	tm = lookup(p, w->timerid);
	if(tm == NULL)
		return;
	tm->overrun = addoverrun(tm->overrun, due(tm, tmnow(p, tm)));
	w->overrun = tm->overrun;
	tm->lastoverrun = tm->overrun;
	tm->overrun = 0;
	kicktimer();
}

/* At exit (all) and execve (the POSIX timers: setitimer's stay). */
void
ptimersfree(Lproc *p, int all)
{
	Ptimer **l, *tm;

	pthread_mutex_lock(&glk);
	for(l = &p->timers; (tm = *l) != NULL; ){
		if(!all && tm->id < 0){
			l = &tm->next;
			continue;
		}
		unqueue(p, tm);
		*l = tm->next;
		if(tm->id >= 0)
			p->ntimers--;
		free(tm);
	}
	pthread_mutex_unlock(&glk);
}

/* With glk held: the lowest id p does not use. */
static int
freeid(Lproc *p)
{
	int id;

	for(id = 0; lookup(p, id) != NULL; id++)
		;
	return id;
}

/* timer_create(clockid, sevp, timerid) */
long
sys_timer_create(Lthread *t, uint32_t *a)
{
	uint8_t *sev, *out;
	Lclock c;
	Ptimer *tm;
	int r;

	sev = NULL;
	if(a[1] != 0 && (sev = gmem(t, a[1], SIGEVSIZE, VX_PROT_READ)) == NULL)
		return -EFAULT;
	if((r = timerclock(t, a[0], &c)) < 0)
		return r;
	out = gmem(t, a[2], 4, VX_PROT_WRITE);
	if(out == NULL)
		return -EFAULT;
	tm = calloc(1, sizeof *tm);
	if(tm == NULL)
		return -EAGAIN;
	tm->clock = c;
	tm->notify = LSIGEV_SIGNAL;
	tm->signo = LSIGALRM;
	if(sev != NULL){
		tm->value = get32(sev);
		tm->signo = (int32_t)get32(sev + 4);
		tm->notify = (int32_t)get32(sev + 8);
		tm->tid = (int32_t)get32(sev + 12);
		if(tm->notify == LSIGEV_THREAD)
			tm->notify = LSIGEV_SIGNAL;	/* the kernel's part of it */
		if(tm->notify != LSIGEV_SIGNAL && tm->notify != LSIGEV_NONE && tm->notify != LSIGEV_THREAD_ID)
			goto inval;
		if(tm->notify != LSIGEV_NONE && (tm->signo <= 0 || tm->signo > NSIG))
			goto inval;
	}
	pthread_mutex_lock(&glk);
	if(tm->notify == LSIGEV_THREAD_ID && findthread(t->p, tm->tid) == NULL){
		pthread_mutex_unlock(&glk);
		goto inval;
	}
	if(t->p->ntimers >= NPTIMER){
		pthread_mutex_unlock(&glk);
		free(tm);
		return -EAGAIN;
	}
	tm->id = freeid(t->p);
	if(sev == NULL)
		tm->value = tm->id;
	tm->next = t->p->timers;
	t->p->timers = tm;
	t->p->ntimers++;
	put32(out, tm->id);
	pthread_mutex_unlock(&glk);
	return 0;
inval:
	free(tm);
	return -EINVAL;
}

/* An itimerspec at g (two timespecs, 32- or 64-bit) as ns; -EINVAL. */
int
getits(uint8_t *g, int wide, uint64_t *interval, uint64_t *value)
{
	int64_t s[2], ns[2];
	int i, k;

	k = wide ? 16 : 8;
	for(i = 0; i < 2; i++){
		s[i] = wide ? (int64_t)get64(g + k * i) : (int32_t)get32(g + k * i);
		ns[i] = (int32_t)get32(g + k * i + (wide ? 8 : 4));
		if(s[i] < 0 || ns[i] < 0 || ns[i] >= NS)
			return -EINVAL;
	}
	/* from KTIME_SEC_MAX on, Linux's KTIME_MAX (no overflow either) */
	*interval = s[0] >= INT64_MAX / NS ? INT64_MAX : (uint64_t)s[0] * NS + ns[0];
	*value = s[1] >= INT64_MAX / NS ? INT64_MAX : (uint64_t)s[1] * NS + ns[1];
	return 0;
}

/* Write an itimerspec to the guest at addr; 0 or -EFAULT. */
long
putitsat(Lthread *t, uint32_t addr, int wide, uint64_t interval, uint64_t value)
{
	uint8_t *o;

	o = gmem(t, addr, wide ? 32 : 16, VX_PROT_WRITE);
	if(o == NULL)
		return -EFAULT;
	putits(o, wide, interval, value);
	return 0;
}

void
putits(uint8_t *g, int wide, uint64_t interval, uint64_t value)
{
	if(wide){
		put64(g, interval / NS);
		put64(g + 8, interval % NS);
		put64(g + 16, value / NS);
		put64(g + 24, value % NS);
	}else{
		put32(g, interval / NS);
		put32(g + 4, interval % NS);
		put32(g + 8, value / NS);
		put32(g + 12, value % NS);
	}
}

/* With glk held: p's timer tm's time left and interval. */
static void
timeleft(Lproc *p, Ptimer *tm, uint64_t *interval, uint64_t *left)
{
	uint64_t now;

	*interval = tm->interval;
	*left = 0;
	if(tm->at != 0){
		/* expiries the timer thread does not look at (no signal, or
		 * its signal waiting) are counted here, as Linux's forward */
		now = tmnow(p, tm);
		if(tm->notify == LSIGEV_NONE || tm->orphan)
			due(tm, now);
		else if(queued(p, tm))
			tm->overrun = addoverrun(tm->overrun, due(tm, now));
		*left = tm->at == 0 ? 0 : tm->at > now ? tm->at - now : 1;
	}
}

/* With glk held: p's ITIMER_VIRTUAL or ITIMER_PROF (which 1 or 2): its
 * time left and interval, then, when set, armed for value ns (0:
 * disarmed) and every interval after.  0 or -errno. */
long
cpuitimer(Lproc *p, int which, int set, uint64_t value, uint64_t interval, uint64_t *oleft, uint64_t *oint)
{
	Ptimer *tm;
	int id;

	id = -1 - which;	/* -1 is a guest's SI_TIMER (syssig.c) */
	for(tm = p->timers; tm != NULL && tm->id != id; tm = tm->next)
		;
	*oleft = *oint = 0;
	if(tm != NULL)
		timeleft(p, tm, oint, oleft);
	if(!set || (tm == NULL && value == 0))
		return 0;
	if(tm == NULL){
		tm = calloc(1, sizeof *tm);
		if(tm == NULL)
			return -ENOMEM;
		tm->id = id;
		tm->clock = (Lclock){ .kind = LCKPROC };
		tm->notify = LSIGEV_SIGNAL;
		tm->signo = which == 1 ? LSIGVTALRM : LSIGPROF;
		tm->next = p->timers;
		p->timers = tm;
	}
	tm->interval = value ? interval : 0;
	tm->at = 0;
	if(value == 0)
		return 0;
	tm->lastcpu = tm->lastwait = 0;
	tm->at = deadline(0, value, tmnow(p, tm));
	return kicktimer();
}

/* timer_settime(id, flags, new, old) */
static long
settime(Lthread *t, uint32_t *a, int wide)
{
	uint64_t interval, value, oi, ov, now;
	uint8_t *n, *o;
	Ptimer *tm;
	long r;

	if(a[2] == 0)
		return -EINVAL;
	n = gmem(t, a[2], wide ? 32 : 16, VX_PROT_READ);
	o = a[3] ? gmem(t, a[3], wide ? 32 : 16, VX_PROT_WRITE) : NULL;
	if(n == NULL || (a[3] && o == NULL))
		return -EFAULT;
	if((r = getits(n, wide, &interval, &value)) < 0)
		return r;
	pthread_mutex_lock(&glk);
	tm = lookup(t->p, a[0]);
	if(tm == NULL){
		pthread_mutex_unlock(&glk);
		return -EINVAL;
	}
	timeleft(t->p, tm, &oi, &ov);
	unqueue(t->p, tm);
	tm->overrun = tm->lastoverrun = 0;
	tm->interval = value ? interval : 0;
	tm->at = 0;
	/* as Linux's, a relative CLOCK_REALTIME timer runs on the
	 * monotonic clock: no step of the wall clock moves it */
	tm->relmono = tm->clock.kind == LCKHOST && tm->clock.host == CLOCK_REALTIME && !(a[1] & LTIMER_ABSTIME);
	if(value != 0){
		now = tmnow(t->p, tm);
		tm->lastcpu = tm->lastwait = 0;
		/* an absolute time passed expires at once, with an
		 * overrun for each interval since */
		tm->at = deadline(a[1] & LTIMER_ABSTIME, value, now);
		r = kicktimer();
	}
	pthread_mutex_unlock(&glk);
	if(o != NULL)
		putits(o, wide, oi, ov);
	return r;
}

long sys_timer_settime(Lthread *t, uint32_t *a) { return settime(t, a, 0); }
long sys_timer_settime64(Lthread *t, uint32_t *a) { return settime(t, a, 1); }

static long
gettime(Lthread *t, uint32_t *a, int wide)
{
	uint64_t interval, left;
	Ptimer *tm;

	pthread_mutex_lock(&glk);
	tm = lookup(t->p, a[0]);
	if(tm != NULL)
		timeleft(t->p, tm, &interval, &left);
	pthread_mutex_unlock(&glk);
	if(tm == NULL)
		return -EINVAL;
	return putitsat(t, a[1], wide, interval, left);
}

long sys_timer_gettime(Lthread *t, uint32_t *a) { return gettime(t, a, 0); }
long sys_timer_gettime64(Lthread *t, uint32_t *a) { return gettime(t, a, 1); }

long
sys_timer_getoverrun(Lthread *t, uint32_t *a)
{
	Ptimer *tm;
	long r;

	pthread_mutex_lock(&glk);
	tm = lookup(t->p, a[0]);
	r = tm != NULL ? tm->lastoverrun : -EINVAL;
	pthread_mutex_unlock(&glk);
	return r;
}

long
sys_timer_delete(Lthread *t, uint32_t *a)
{
	Ptimer **l, *tm;

	pthread_mutex_lock(&glk);
	for(l = &t->p->timers; (tm = *l) != NULL; l = &tm->next)
		if(tm->id == (int32_t)a[0]){
			unqueue(t->p, tm);
			*l = tm->next;
			t->p->ntimers--;
			break;
		}
	pthread_mutex_unlock(&glk);
	if(tm == NULL)
		return -EINVAL;
	free(tm);
	return 0;
}
