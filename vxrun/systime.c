/*
 * systime.c — clocks and sleeping.  Time is the host's; a sleep waits on
 * the global condition variable so a signal or a kill ends it early.
 */
#include <errno.h>
#include <string.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

static long
clockcall(Lthread *t, uint32_t *a, int res, int wide)
{
	struct timespec ts;
	uint64_t ns;
	uint8_t *g;
	Lclock c;
	long r;

	if((r = lxclock(t, a[0], &c)) < 0)
		return r;
	if(res){
		ts = (struct timespec){ 0, 1 };	/* the CPU clocks count ns, as Linux's SCHED ones */
		if(c.kind == LCKHOST && clock_getres(c.host, &ts) < 0)
			return -EINVAL;
	}else{
		ns = lxclockread(t->p, &c);
		ts.tv_sec = ns / 1000000000;
		ts.tv_nsec = ns % 1000000000;
	}
	if(a[1] == 0)
		return res ? 0 : -EFAULT;
	g = gmem(t, a[1], wide ? 16 : 8, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	if(wide){
		put64(g, ts.tv_sec);
		put64(g + 8, ts.tv_nsec);
	}else{
		put32(g, ts.tv_sec);
		put32(g + 4, ts.tv_nsec);
	}
	return 0;
}

long sys_clock_gettime(Lthread *t, uint32_t *a) { return clockcall(t, a, 0, 0); }
long sys_clock_gettime64(Lthread *t, uint32_t *a) { return clockcall(t, a, 0, 1); }
long sys_clock_getres(Lthread *t, uint32_t *a) { return clockcall(t, a, 1, 0); }
long sys_clock_getres64(Lthread *t, uint32_t *a) { return clockcall(t, a, 1, 1); }

/* clock_settime(clock, ts): the host's clock is not the guest's to set
 * (it holds no CAP_SYS_TIME).  Linux's errors in its order: EINVAL for a
 * clock that cannot be set (all but CLOCK_REALTIME and a CPU clock made
 * by clock_getcpuclockid), EFAULT, EINVAL for a time out of range, then
 * EPERM. */
static long
settime(Lthread *t, uint32_t *a, int wide)
{
	int64_t sec, nsec;
	uint8_t *g;
	Lclock c;
	long r;

	if((r = lxclock(t, a[0], &c)) < 0)
		return r;
	if((int32_t)a[0] >= 0 && a[0] != LCLOCK_REALTIME)
		return -EINVAL;
	g = gmem(t, a[1], wide ? 16 : 8, VX_PROT_READ);
	if(g == NULL)
		return -EFAULT;
	if(c.kind != LCKHOST)
		return -EPERM;
	sec = wide ? (int64_t)get64(g) : (int32_t)get32(g);
	nsec = wide ? (int64_t)get64(g + 8) : (int32_t)get32(g + 4);
	if(sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -EINVAL;
	return -EPERM;
}

long sys_clock_settime(Lthread *t, uint32_t *a) { return settime(t, a, 0); }
long sys_clock_settime64(Lthread *t, uint32_t *a) { return settime(t, a, 1); }

long
sys_gettimeofday(Lthread *t, uint32_t *a)
{
	struct timespec ts;
	uint8_t *tv, *tz;

	tv = a[0] ? gmem(t, a[0], 8, VX_PROT_WRITE) : NULL;
	tz = a[1] ? gmem(t, a[1], 8, VX_PROT_WRITE) : NULL;
	if((a[0] && tv == NULL) || (a[1] && tz == NULL))
		return -EFAULT;
	clock_gettime(CLOCK_REALTIME, &ts);
	if(tv != NULL){
		put32(tv, ts.tv_sec);
		put32(tv + 4, ts.tv_nsec / 1000);
	}
	if(tz != NULL)
		memset(tz, 0, 8);
	return 0;
}

long
sys_time(Lthread *t, uint32_t *a)
{
	uint8_t *g;
	time_t now;

	now = time(NULL);
	if(a[0] != 0){
		g = gmem(t, a[0], 4, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		put32(g, now);
	}
	return (uint32_t)now;
}

/* ns to the end, or 0 when it has come */
static uint64_t
nsleft(uint64_t now, uint64_t end)
{
	return now < end ? end - now : 0;
}

/* Write ns to the guest's timespec at addr (when it can be written). */
static void
putts(Lthread *t, uint32_t addr, int wide, uint64_t ns)
{
	uint8_t *r;

	if(addr == 0 || (r = gmem(t, addr, wide ? 16 : 8, VX_PROT_WRITE)) == NULL)
		return;
	if(wide){
		put64(r, ns / 1000000000);
		put64(r + 8, ns % 1000000000);
	}else{
		put32(r, ns / 1000000000);
		put32(r + 4, ns % 1000000000);
	}
}

/* Sleep on clock until req (relative, or absolute with abs); on a signal
 * write the time left to rem (when not 0) and return EINTR.  On the
 * process's CPU clock it wakes to look as often as its threads could
 * use up the time left.  On the caller's own thread clock: Linux's
 * errors. */
static long
sleepcall(Lthread *t, uint32_t clock, int abs, uint32_t req, uint32_t rem, int wide)
{
	struct timespec rdl;
	uint64_t end, now, left, nap;
	int64_t sec, nsec;
	uint8_t *g;
	Lclock c;
	long r;

	if(clock == LCLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP;	/* Linux's has no sleep */
	if((r = lxclock(t, clock, &c)) < 0)
		return r;
	if(c.kind == LCKTHREAD && c.tid == t->tid)
		return -EINVAL;	/* it would never wake */
	g = gmem(t, req, wide ? 16 : 8, VX_PROT_READ);
	if(g == NULL)
		return -EFAULT;
	sec = wide ? (int64_t)get64(g) : (int32_t)get32(g);
	nsec = wide ? (int32_t)get32(g + 8) : (int32_t)get32(g + 4);
	if(sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -EINVAL;
	if(sec > (1L << 33))
		sec = 1L << 33;	/* beyond any run, and no overflow */
	end = (uint64_t)sec * 1000000000 + nsec;
	if(!abs)
		end += lxclockread(t->p, &c);
	pthread_mutex_lock(&glk);
	for(;;){
		now = lxclocknow(t->p, &c);
		if((left = nsleft(now, end)) == 0)
			break;
		if(interrupted(t)){
			pthread_mutex_unlock(&glk);
			if(!abs)
				putts(t, rem, wide, left);
			return -EINTR;
		}
		/* wait at most the remaining time, measured on the realtime clock */
		nap = left;
		if(c.kind == LCKPROC && t->p->nthreads > 1)
			nap /= t->p->nthreads;
		clock_gettime(CLOCK_REALTIME, &rdl);
		nap += rdl.tv_nsec;
		rdl.tv_sec += nap / 1000000000;
		rdl.tv_nsec = nap % 1000000000;
		pthread_cond_timedwait(&gcv, &glk, &rdl);
	}
	pthread_mutex_unlock(&glk);
	return 0;
}

long sys_nanosleep(Lthread *t, uint32_t *a) { return sleepcall(t, CLOCK_MONOTONIC, 0, a[0], a[1], 0); }
long sys_clock_nanosleep(Lthread *t, uint32_t *a) { return sleepcall(t, a[0], a[1] & TIMER_ABSTIME, a[2], a[3], 0); }
long sys_clock_nanosleep64(Lthread *t, uint32_t *a) { return sleepcall(t, a[0], a[1] & TIMER_ABSTIME, a[2], a[3], 1); }

/*
 * adjtimex(timex*) and clock_adjtime(CLOCK_REALTIME, timex*), the
 * 32-bit struct timex: the host's clock is not the guest's to steer, so
 * only a read (modes 0, or LADJ_OFFSET_SS_READ: adjtime(NULL, &old)) is
 * answered, as for a process without CAP_SYS_TIME: the time, a clock
 * not synchronized (LTIME_ERROR, LSTA_UNSYNC) and the kernel's defaults;
 * any change is EPERM.  clock_adjtime64 is left to glibc's fallback.
 */
enum {
	LTIMEXSIZE = 128, LADJ_OFFSET_SS_READ = 0xa001,
	LSTA_UNSYNC = 0x40, LTIME_ERROR = 5,
	LNTP_PHASE_LIMIT = 16000000, LTOLERANCE = 500 << 16,
};

static long
adjtimex(Lthread *t, uint32_t addr)
{
	struct timespec ts;
	uint32_t modes;
	uint8_t *g;

	g = gmem(t, addr, LTIMEXSIZE, VX_PROT_READ | VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	modes = get32(g);
	if(modes != 0 && modes != LADJ_OFFSET_SS_READ)
		return -EPERM;
	clock_gettime(CLOCK_REALTIME, &ts);
	memset(g, 0, LTIMEXSIZE);
	put32(g, modes);
	put32(g + 12, LNTP_PHASE_LIMIT);		/* maxerror */
	put32(g + 16, LNTP_PHASE_LIMIT);		/* esterror */
	put32(g + 20, LSTA_UNSYNC);		/* status */
	put32(g + 24, 2);			/* constant */
	put32(g + 28, 1);			/* precision, us */
	put32(g + 32, LTOLERANCE);
	put32(g + 36, ts.tv_sec);		/* time */
	put32(g + 40, ts.tv_nsec / 1000);
	put32(g + 44, 1000000 / sysconf(_SC_CLK_TCK));	/* tick, us */
	return LTIME_ERROR;
}

long
sys_adjtimex(Lthread *t, uint32_t *a)
{
	return adjtimex(t, a[0]);
}

long
sys_clock_adjtime(Lthread *t, uint32_t *a)
{
	if(a[0] != CLOCK_REALTIME)
		return (int32_t)a[0] < 0 ? -EINVAL : -EOPNOTSUPP;
	return adjtimex(t, a[1]);
}
