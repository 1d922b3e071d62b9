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

static int
okclock(uint32_t id)
{
	return id <= CLOCK_BOOTTIME || id == CLOCK_TAI;
}

static long
clockcall(Lthread *t, uint32_t *a, int res, int wide)
{
	struct timespec ts;
	uint8_t *g;

	if(!okclock(a[0]))
		return -EINVAL;
	if((res ? clock_getres(a[0], &ts) : clock_gettime(a[0], &ts)) < 0)
		return -EINVAL;
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

static void
tsadd(struct timespec *a, const struct timespec *b)
{
	a->tv_sec += b->tv_sec;
	a->tv_nsec += b->tv_nsec;
	if(a->tv_nsec >= 1000000000){
		a->tv_nsec -= 1000000000;
		a->tv_sec++;
	}
}

static int
tsbefore(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Sleep on clock until req (relative, or absolute with abs); on a signal
 * write the time left to rem (when not 0) and return EINTR. */
static long
sleepcall(Lthread *t, uint32_t clock, int abs, uint32_t req, uint32_t rem, int wide)
{
	struct timespec ts, end, now, rdl, left;
	uint8_t *g, *r;

	if(!okclock(clock))
		return -EINVAL;
	g = gmem(t, req, wide ? 16 : 8, VX_PROT_READ);
	if(g == NULL)
		return -EFAULT;
	ts.tv_sec = wide ? (int64_t)get64(g) : (int32_t)get32(g);
	ts.tv_nsec = wide ? (int32_t)get32(g + 8) : (int32_t)get32(g + 4);
	if(ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	if(ts.tv_sec > (1L << 40))
		ts.tv_sec = 1L << 40;
	clock_gettime(clock, &now);
	end = ts;
	if(!abs)
		tsadd(&end, &now);
	pthread_mutex_lock(&glk);
	for(;;){
		clock_gettime(clock, &now);
		if(!tsbefore(&now, &end))
			break;
		if(interrupted(t)){
			pthread_mutex_unlock(&glk);
			if(!abs && rem != 0 && (r = gmem(t, rem, wide ? 16 : 8, VX_PROT_WRITE)) != NULL){
				left.tv_sec = end.tv_sec - now.tv_sec;
				left.tv_nsec = end.tv_nsec - now.tv_nsec;
				if(left.tv_nsec < 0){
					left.tv_nsec += 1000000000;
					left.tv_sec--;
				}
				if(wide){
					put64(r, left.tv_sec);
					put64(r + 8, left.tv_nsec);
				}else{
					put32(r, left.tv_sec);
					put32(r + 4, left.tv_nsec);
				}
			}
			return -EINTR;
		}
		/* wait at most the remaining time, measured on the realtime clock */
		clock_gettime(CLOCK_REALTIME, &rdl);
		left.tv_sec = end.tv_sec - now.tv_sec;
		left.tv_nsec = end.tv_nsec - now.tv_nsec;
		if(left.tv_nsec < 0){
			left.tv_nsec += 1000000000;
			left.tv_sec--;
		}
		tsadd(&rdl, &left);
		pthread_cond_timedwait(&gcv, &glk, &rdl);
	}
	pthread_mutex_unlock(&glk);
	return 0;
}

long sys_nanosleep(Lthread *t, uint32_t *a) { return sleepcall(t, CLOCK_MONOTONIC, 0, a[0], a[1], 0); }
long sys_clock_nanosleep(Lthread *t, uint32_t *a) { return sleepcall(t, a[0], a[1] & TIMER_ABSTIME, a[2], a[3], 0); }
long sys_clock_nanosleep64(Lthread *t, uint32_t *a) { return sleepcall(t, a[0], a[1] & TIMER_ABSTIME, a[2], a[3], 1); }

long
sys_times(Lthread *t, uint32_t *a)
{
	struct timespec ts;
	uint8_t *g;
	uint64_t us;

	us = cputime();
	if(a[0] != 0){
		g = gmem(t, a[0], 16, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		memset(g, 0, 16);
		put32(g, us / 10000);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 100 + ts.tv_nsec / 10000000);
}

long
sys_getrusage(Lthread *t, uint32_t *a)
{
	uint8_t *g;
	uint64_t us;

	g = gmem(t, a[1], 72, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	memset(g, 0, 72);
	us = cputime();
	put32(g, us / 1000000);
	put32(g + 4, us % 1000000);
	return 0;
}
