/*
 * lxclock.c — the clocks a guest names (clock_gettime, clock_getres,
 * clock_nanosleep, timer_create): the host's own for wall and
 * monotonic time; for CPU time the guest's own.  A guest thread is a
 * host thread from clone to exit, so a thread's CPU clock is its host
 * thread's (Lthread.cpuclock) and a process's is the sum of its live
 * threads' and what its ended threads used (Lproc.cpudead), counted
 * from its fork and kept across execve, as Linux's.  Neither includes
 * another guest, nor vxinferno's own threads.
 *
 * CPU clock ids: CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID,
 * and Linux's per-pid ones (clock_getcpuclockid, pthread_getcpuclockid:
 * ~pid << 3 | per-thread 4 | PROF, VIRT or SCHED, all the same CPU
 * time here) for the caller's own process and its threads, and for
 * another process of its sandbox (a zombie's too, until it is reaped),
 * as Linux reads any process's it can see; another process's thread,
 * or a process beyond the sandbox or gone, is EINVAL, as Linux answers
 * (glibc's clock_getcpuclockid turns that into ESRCH).
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

static int
hostclock(uint32_t id)
{
	if(id == LCLOCK_PROCESS_CPUTIME_ID || id == LCLOCK_THREAD_CPUTIME_ID)
		return 0;
	return id <= CLOCK_BOOTTIME || id == CLOCK_TAI;
}

/* With glk held: process pid of me's sandbox, not reaped yet (Linux
 * reads a zombie's clock), or NULL. */
static Lproc *
otherproc(Lproc *me, int pid)
{
	Lproc *q;

	for(q = procs; q != NULL; q = q->next)
		if(q->pid == pid && q->box == me->box)
			return q;
	return NULL;
}

/* Guest clock id as c, for t; 0 or -EINVAL. */
int
lxclock(Lthread *t, uint32_t id, Lclock *c)
{
	int32_t pid;

	*c = (Lclock){ .kind = LCKHOST, .host = id };
	if(hostclock(id))
		return 0;
	if(id == LCLOCK_PROCESS_CPUTIME_ID){
		c->kind = LCKPROC;
		return 0;
	}
	if(id == LCLOCK_THREAD_CPUTIME_ID){
		c->kind = LCKTHREAD;
		c->tid = t->tid;
		return 0;
	}
	if((int32_t)id >= 0 || (id & 3) == 3)
		return -EINVAL;
	pid = ~((int32_t)id >> 3);
	if(id & 4){
		c->kind = LCKTHREAD;
		c->tid = pid != 0 ? pid : t->tid;
		pthread_mutex_lock(&glk);
		pid = findthread(t->p, c->tid) != NULL;
		pthread_mutex_unlock(&glk);
		return pid ? 0 : -EINVAL;
	}
	c->kind = LCKPROC;
	if(pid == 0 || pid == t->p->pid)
		return 0;
	c->pid = pid;
	pthread_mutex_lock(&glk);
	pid = otherproc(t->p, pid) != NULL;
	pthread_mutex_unlock(&glk);
	return pid ? 0 : -EINVAL;
}

/* With glk held: guest thread o's CPU time, ns (0 before it runs). */
static uint64_t
threadcpu(Lthread *o)
{
	return o->hascpu ? clocknow(o->cpuclock) : 0;
}

/* With glk held: the CPU time of p's threads, ns. */
uint64_t
proccpu(Lproc *p)
{
	uint64_t ns;
	Lthread *o;

	ns = p->cpudead;
	for(o = p->threads; o != NULL; o = o->next)
		ns += threadcpu(o);
	return ns;
}

/* With glk held for a CPU clock: c's time for process p, ns; 0 when it
 * cannot be read (a thread that is gone). */
uint64_t
lxclocknow(Lproc *p, Lclock *c)
{
	Lthread *o;

	switch(c->kind){
	case LCKPROC:
		if(c->pid != 0 && c->pid != p->pid)
			p = otherproc(p, c->pid);
		return p != NULL ? proccpu(p) : 0;
	case LCKTHREAD:
		o = findthread(p, c->tid);
		return o != NULL ? threadcpu(o) : 0;
	}
	return clocknow(c->host);
}

/* The same, taking glk for a CPU clock. */
uint64_t
lxclockread(Lproc *p, Lclock *c)
{
	uint64_t ns;

	if(c->kind == LCKHOST)
		return clocknow(c->host);
	pthread_mutex_lock(&glk);
	ns = lxclocknow(p, c);
	pthread_mutex_unlock(&glk);
	return ns;
}

/* The thread running this, at its start: its CPU clock. */
void
threadcpustart(Lthread *t)
{
	clockid_t c;

	if(pthread_getcpuclockid(pthread_self(), &c) != 0)
		return;
	pthread_mutex_lock(&glk);
	t->cpuclock = c;
	t->htid = gettid();
	t->hascpu = 1;
	pthread_mutex_unlock(&glk);
}

/* With glk held, on t's own host thread as it leaves its process: its
 * CPU time stays with the process. */
void
threadcpuend(Lthread *t)
{
	t->p->cpudead += clocknow(CLOCK_THREAD_CPUTIME_ID);
	usageend(t);
	t->hascpu = 0;
}
