/*
 * intr.c — blocking and its interruption.  A proc that blocks records
 * where: the condition variable and lock of a device wait (procsleep), or
 * its own eventfd when it waits on host fds (procwaithost: kpoll, the
 * console).  kpkill and kinterrupt wake it there; the wait then fails
 * "interrupted".  An interrupt that finds the proc running is kept for
 * its next wait, so one sent just before a proc blocks is not lost.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

enum {
	Backstop = 1000,	/* ms: the longest a device wait sleeps before rechecking */
};

/* Wait on cv (lk held) until woken; callers re-check their condition
 * and procintr().  The wait is registered so procwake can find it. */
void
procsleep(pthread_mutex_t *lk, pthread_cond_t *cv)
{
	procsleepuntil(lk, cv, NULL);
}

/* procsleep, but no later than until (CLOCK_REALTIME; NULL: none) */
void
procsleepuntil(pthread_mutex_t *lk, pthread_cond_t *cv, const struct timespec *until)
{
	struct timespec ts;
	const char *st;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += Backstop / 1000;
	if(until != NULL && (until->tv_sec < ts.tv_sec || (until->tv_sec == ts.tv_sec && until->tv_nsec < ts.tv_nsec)))
		ts = *until;
	if(up == NULL){
		pthread_cond_timedwait(cv, lk, &ts);
		return;
	}
	pthread_mutex_lock(&up->sleeplk);
	up->sleep.lk = lk;
	up->sleep.cv = cv;
	pthread_mutex_unlock(&up->sleeplk);
	/* an interrupt sent before the registration is seen here; one sent
	 * after it finds us registered and broadcasts once we wait */
	if(!atomic_load(&up->note) && !atomic_load(&up->killed)){
		st = up->state;
		up->state = "sleeping";
		pthread_cond_timedwait(cv, lk, &ts);
		up->state = st;
	}
	pthread_mutex_lock(&up->sleeplk);
	up->sleep.lk = NULL;
	up->sleep.cv = NULL;
	pthread_mutex_unlock(&up->sleeplk);
}

/* Must the current proc's wait end?  Sets the error if so, and takes
 * the interrupt (one interrupt fails one wait; a kill stays). */
int
procintr(void)
{
	if(up == NULL)
		return 0;
	if(atomic_load(&up->killed))
		return kseterr(Eintr);
	if(atomic_exchange(&up->note, 0))
		return kseterr(Eintr);
	return 0;
}

/*
 * Wake p wherever it waits.  The sleeper holds the device lock while it
 * registers and until pthread_cond_wait releases it, and takes sleeplk
 * with that lock held; so here the device lock is only tried, and on
 * failure sleeplk is let go for the sleeper to proceed.  The caller keeps
 * p from being freed.
 */
void
procwake(Proc *p)
{
	uint64_t one = 1;
	int tries;

	for(tries = 0;; tries++){
		pthread_mutex_lock(&p->sleeplk);
		if(tries == 0){
			if(p->mntwake != NULL)	/* Styx: a 9P rpc in devmnt */
				p->mntwake(p->mntwakearg);
			if(p->wakefd >= 0 && write(p->wakefd, &one, sizeof one) < 0){
				/* the counter is full: the waiter is awake anyway */
			}
		}
		if(p->sleep.lk == NULL){
			pthread_mutex_unlock(&p->sleeplk);
			return;
		}
		if(pthread_mutex_trylock(p->sleep.lk) == 0){
			pthread_cond_broadcast(p->sleep.cv);
			pthread_mutex_unlock(p->sleep.lk);
			pthread_mutex_unlock(&p->sleeplk);
			return;
		}
		pthread_mutex_unlock(&p->sleeplk);
		sched_yield();
	}
}

void
kinterrupt(Proc *p)
{
	if(p == NULL)
		return;
	atomic_store(&p->note, 1);
	procwake(p);
}

/* Cleared only when set: vxrun clears it on every way back to guest
 * code, and a load costs less than a locked store.  An interrupt set
 * after the load is as one set after the clear. */
void
kclearinterrupt(Proc *p)
{
	if(p != NULL && atomic_load_explicit(&p->note, memory_order_relaxed) != 0)
		atomic_store(&p->note, 0);
}

/* The current proc's eventfd, made on first use; -1 if none can be. */
int
procwakefd(void)
{
	int fd;

	pthread_mutex_lock(&up->sleeplk);
	if(up->wakefd < 0)
		up->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	fd = up->wakefd;
	pthread_mutex_unlock(&up->sleeplk);
	return fd;
}

/*
 * Wait until one of the n host fds in pf (pf[n] is room for one more)
 * is ready, a wake-up (procwake, pollwakeup), ms milliseconds (< 0:
 * forever), or an interrupt.  Returns 1 (something happened: the caller
 * looks again), 0 on timeout, -1 interrupted or error.
 */
int
procwaithost(struct pollfd *pf, int n, int ms)
{
	uint64_t v;
	int r, wfd;

	if(up == NULL){
		r = poll(pf, n, ms);
		return r < 0 && errno != EINTR ? ksetosErr(errno) : r != 0;
	}
	wfd = procwakefd();
	if(wfd < 0)
		return ksetosErr(errno);
	if(procintr() < 0)
		return -1;
	pf[n].fd = wfd;
	pf[n].events = POLLIN;
	pf[n].revents = 0;
	r = poll(pf, n + 1, ms);
	if(r < 0 && errno != EINTR)
		return ksetosErr(errno);
	if(pf[n].revents != 0 && read(wfd, &v, sizeof v) < 0){
		/* drained by an earlier read: nothing to do */
	}
	if(procintr() < 0)
		return -1;
	return r != 0;
}
