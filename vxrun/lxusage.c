/*
 * lxusage.c — what getrusage, times, wait4, waitid and /proc/PID/stat
 * say a guest used.  A guest thread is one host thread from clone to
 * exit, so what the host counts for that thread is the guest thread's:
 *
 * - CPU time: the thread's host CPU clock (exact, lxclock.c), split into
 *   user and system in the ratio the host kernel gives for the thread:
 *   getrusage(RUSAGE_THREAD) when the thread asks about itself (one
 *   call), else its /proc/self/task/TID/stat (tick-sampled, as every
 *   Linux split is).  "System" is the host kernel's time for the thread;
 *   the personality's own work serving a call (and the translator's)
 *   is host user time, so it counts as user here, where Linux would
 *   count the call as system time.
 * - minflt/majflt: the host thread's faults (the translator's and the
 *   calls' own touches of guest memory among them); nvcsw/nivcsw: its
 *   context switches (another live thread's from its host
 *   /proc/self/task/TID/status).
 * - maxrss: the guest memory's resident pages (vx_resident), looked at
 *   when the process asks, at execve and when its last thread ends: a
 *   high water of those looks, not of every moment as Linux's.
 * - inblock, oublock, nsignals and the rest: 0.
 *
 * A process's figures are its live threads' plus its ended threads'
 * (Lproc.dead), from its fork, kept across execve; its children's
 * (Lproc.child) are added when it reaps one, with that child's own
 * reaped children, as Linux's.  So nothing of another guest, another
 * sandbox or vxinferno's own threads is in them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "dat.h"

enum { NS = 1000000000, TICKNS = NS / 100 };	/* USER_HZ */

static uint64_t
tvns(struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * NS + (uint64_t)tv->tv_usec * 1000;
}

/* The calling host thread's own figures. */
static void
selfusage(Lusage *u)
{
	struct rusage r;

	memset(u, 0, sizeof *u);
	if(getrusage(RUSAGE_THREAD, &r) < 0)
		return;
	u->utime = tvns(&r.ru_utime);
	u->stime = tvns(&r.ru_stime);
	u->minflt = r.ru_minflt;
	u->majflt = r.ru_majflt;
	u->nvcsw = r.ru_nvcsw;
	u->nivcsw = r.ru_nivcsw;
}

/* The host's file name of host thread htid into buf: its length, or
 * -1. */
static int
taskfile(int htid, const char *name, char *buf, int nbuf)
{
	char path[64];
	int fd, n;

	snprintf(path, sizeof path, "/proc/self/task/%d/%s", htid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if(fd < 0)
		return -1;
	n = read(fd, buf, nbuf - 1);
	close(fd);
	if(n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

/* The value of status line "name:" in s, or 0. */
static uint64_t
statusfield(const char *s, const char *name)
{
	const char *f;
	size_t n;

	n = strlen(name);
	for(f = s; (f = strstr(f, name)) != NULL; f += n)
		if((f == s || f[-1] == '\n') && f[n] == ':')
			return strtoull(f + n + 1, NULL, 10);
	return 0;
}

/* Another live thread's: its CPU clock split as its host stat's
 * ticks (all user when they say nothing), its faults, and its
 * context switches from its host status. */
static void
otherusage(Lthread *o, Lusage *u)
{
	unsigned long long minf, majf, ut, st;
	char buf[4096], *s;
	uint64_t tot;

	tot = clocknow(o->cpuclock);
	*u = (Lusage){ .utime = tot };
	if(taskfile(o->htid, "status", buf, sizeof buf) > 0){
		u->nvcsw = statusfield(buf, "voluntary_ctxt_switches");
		u->nivcsw = statusfield(buf, "nonvoluntary_ctxt_switches");
	}
	if(taskfile(o->htid, "stat", buf, sizeof buf) <= 0)
		return;
	s = strrchr(buf, ')');	/* after the name, which may hold anything */
	if(s == NULL || sscanf(s + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %*u %llu %*u %llu %llu",
		&minf, &majf, &ut, &st) != 4)
		return;
	u->minflt = minf;
	u->majflt = majf;
	if(ut + st > 0){
		u->stime = (uint64_t)((double)tot * st / (ut + st));
		u->utime = tot - u->stime;
	}
}

/* With glk held: guest thread o's figures (0 before it runs; maxrss
 * not set). */
void
threadusage(Lthread *o, Lusage *u)
{
	if(!o->hascpu){
		memset(u, 0, sizeof *u);
		return;
	}
	if(o->htid == gettid())
		selfusage(u);
	else
		otherusage(o, u);
}

static void
addusage(Lusage *to, Lusage *u)
{
	to->utime += u->utime;
	to->stime += u->stime;
	to->minflt += u->minflt;
	to->majflt += u->majflt;
	to->nvcsw += u->nvcsw;
	to->nivcsw += u->nivcsw;
	if(u->maxrss > to->maxrss)
		to->maxrss = u->maxrss;
}

/* On t's own thread, glk not held (vx_resident takes the memory's
 * lock, which a fork holds while it copies): its memory's resident
 * size is a candidate for its process's high water. */
void
usagerss(Lthread *t)
{
	uint64_t kb;

	kb = vx_resident(t->vx) / 1024;
	pthread_mutex_lock(&glk);
	if(kb > t->p->dead.maxrss)
		t->p->dead.maxrss = kb;
	pthread_mutex_unlock(&glk);
}

/* With glk held: process p's figures. */
void
procusage(Lproc *p, Lusage *u)
{
	Lusage x;
	Lthread *o;

	*u = p->dead;
	for(o = p->threads; o != NULL; o = o->next){
		threadusage(o, &x);
		addusage(u, &x);
	}
}

/* With glk held, on t's own thread as it leaves its process: what it
 * used stays with the process. */
void
usageend(Lthread *t)
{
	Lusage u;

	if(!t->hascpu)
		return;
	selfusage(&u);
	addusage(&t->p->dead, &u);
}

/* With glk held: p reaps its child c (its threads all ended): c's
 * figures with its own reaped children's, for wait4's rusage (u, may
 * be NULL) and, when p takes it, for p's children. */
void
usagereap(Lproc *p, Lproc *c, Lusage *u)
{
	Lusage all;

	all = c->dead;
	addusage(&all, &c->child);
	if(u != NULL)
		*u = all;
	if(p != NULL)
		addusage(&p->child, &all);
}

/* Linux i386's struct rusage (72 bytes) at g. */
void
putrusage(uint8_t *g, Lusage *u)
{
	memset(g, 0, 72);
	put32(g, u->utime / NS);
	put32(g + 4, u->utime % NS / 1000);
	put32(g + 8, u->stime / NS);
	put32(g + 12, u->stime % NS / 1000);
	put32(g + 16, u->maxrss);
	put32(g + 32, u->minflt);
	put32(g + 36, u->majflt);
	put32(g + 64, u->nvcsw);
	put32(g + 68, u->nivcsw);
}

enum { LRUSAGE_SELF = 0, LRUSAGE_CHILDREN = -1, LRUSAGE_THREAD = 1 };

long
sys_getrusage(Lthread *t, uint32_t *a)
{
	uint8_t *g;
	Lusage u;

	if((int32_t)a[0] != LRUSAGE_SELF && (int32_t)a[0] != LRUSAGE_CHILDREN && (int32_t)a[0] != LRUSAGE_THREAD)
		return -EINVAL;
	g = gmem(t, a[1], 72, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	if((int32_t)a[0] != LRUSAGE_CHILDREN)
		usagerss(t);
	pthread_mutex_lock(&glk);
	switch((int32_t)a[0]){
	case LRUSAGE_SELF:
		procusage(t->p, &u);
		break;
	case LRUSAGE_CHILDREN:
		u = t->p->child;
		break;
	default:
		threadusage(t, &u);
		u.maxrss = t->p->dead.maxrss;	/* Linux's is the process's too */
		break;
	}
	pthread_mutex_unlock(&glk);
	putrusage(g, &u);
	return 0;
}

/* times: the process's and its reaped children's CPU time in ticks
 * (USER_HZ, 100 a second); returns the ticks of the monotonic clock. */
long
sys_times(Lthread *t, uint32_t *a)
{
	Lusage u, c;
	uint8_t *g;

	if(a[0] != 0){
		g = gmem(t, a[0], 16, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		pthread_mutex_lock(&glk);
		procusage(t->p, &u);
		c = t->p->child;
		pthread_mutex_unlock(&glk);
		put32(g, u.utime / TICKNS);
		put32(g + 4, u.stime / TICKNS);
		put32(g + 8, c.utime / TICKNS);
		put32(g + 12, c.stime / TICKNS);
	}
	return (uint32_t)(clocknow(CLOCK_MONOTONIC) / TICKNS);
}
