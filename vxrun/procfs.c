/*
 * procfs.c — what Linux programs read in /proc, from the personality's
 * own state: the generator behind the kernel's #L device (klinuxproc,
 * include/kernel.h), which the default namespace binds at /proc.  Each
 * answer is made when a file is opened, for the guest that opens it:
 * self is the caller's process, <pid>/fd its fds, <pid>/maps its pages.
 * Machine-wide files (cpuinfo, meminfo, stat, sys/…) describe the
 * sandbox: the CPU features it offers, the memory a guest has.
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

typedef struct Buf {
	char *s;
	long n, cap;
} Buf;

static void
bprint(Buf *b, const char *fmt, ...)
{
	va_list ap;
	int m;

	for(;;){
		va_start(ap, fmt);
		m = vsnprintf(b->s != NULL ? b->s + b->n : NULL, b->cap - b->n, fmt, ap);	/* NULL+0: UB */
		va_end(ap);
		if(m < 0)
			return;
		if(b->n + m < b->cap){
			b->n += m;
			return;
		}
		b->cap = (b->cap + m) * 2 + 256;
		b->s = realloc(b->s, b->cap);
		if(b->s == NULL){
			b->n = b->cap = 0;
			return;
		}
	}
}

/* The caller's guest process (glk held by the caller), or NULL. */
static Lproc *
callerproc(void)
{
	Lthread *t;
	Lproc *p;
	Kproc *kp;
	int tid;

	kp = kif_cur();
	if(kp == NULL)
		return NULL;
	tid = kif_pid(kp);
	for(p = procs; p != NULL; p = p->next)
		for(t = p->threads; t != NULL; t = t->next)
			if(t->tid == tid)
				return p;
	return NULL;
}


/* Does me see p?  A guest sees its own sandbox's processes only, as
 * if each were a pid namespace; a caller that is no guest (me NULL)
 * sees those of its kernel proc's sandbox (a guest's box is its
 * spawned process's pid, the kernel's the pid of that process's
 * kernel proc: one number), none for an export's client, whose
 * connection is a sandbox of its own; the embedding's own procs, in
 * none, see them all. */
static int
visible(Lproc *me, Lproc *p)
{
	int box;

	if(p->zombie)
		return 0;
	if(me != NULL)
		return p->box == me->box;
	box = kif_boxid(kif_cur());
	return box == 0 || p->box == box;
}

/* The process pid, or the one with thread pid (Linux's /proc/TID
 * works, though only processes are listed), if me sees it. */
static Lproc *
findproc(Lproc *me, int pid)
{
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		if(p->pid == pid && visible(me, p))
			return p;
	for(p = procs; p != NULL; p = p->next)
		if(visible(me, p) && findthread(p, pid) != NULL)
			return p;
	return NULL;
}

static int
pidcmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The pids me sees, ascending, as Linux lists them: ps and top print
 * processes in this order (procs is newest first).  glk held. */
static void
pidlist(Buf *b, Lproc *me)
{
	Lproc *p;
	int *v, n, i;

	n = 0;
	for(p = procs; p != NULL; p = p->next)
		n += visible(me, p);
	v = malloc((n > 0 ? n : 1) * sizeof *v);
	i = 0;
	for(p = procs; p != NULL && i < n; p = p->next)
		if(visible(me, p)){
			if(v == NULL)
				bprint(b, "%d\n", p->pid);	/* no room to sort in */
			else
				v[i++] = p->pid;
		}
	if(v == NULL)
		return;
	qsort(v, i, sizeof *v, pidcmp);
	for(n = 0; n < i; n++)
		bprint(b, "%d\n", v[n]);
	free(v);
}

static const char *
basename0(const char *s)
{
	const char *e;

	e = strrchr(s, '/');
	return e != NULL ? e + 1 : s;
}

/* A thread's name (comm): prctl's, else the program's file name. */
const char *
threadname(Lthread *t)
{
	return t->comm[0] != 0 ? t->comm : basename0(t->p->exe);
}

/* The name of a process: its first thread's, as Linux's
 * /proc/PID/comm is the leader's. */
static const char *
procname(Lproc *p)
{
	Lthread *t;

	for(t = p->threads; t != NULL; t = t->next)
		if(t->tid == p->pid)
			return threadname(t);
	return basename0(p->exe);
}

/* With glk held: p's thread tid, or NULL. */
Lthread *
findthread(Lproc *p, int tid)
{
	Lthread *t;

	for(t = p->threads; t != NULL; t = t->next)
		if(t->tid == tid)
			return t;
	return NULL;
}

/* With glk held: the thread numbered tid in t's sandbox (its pid
 * namespace: another sandbox's tids are other threads), or NULL. */
Lthread *
boxthread(Lthread *t, uint32_t tid)
{
	Lthread *o;
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		if(p->box == t->p->box && (o = findthread(p, (int)tid)) != NULL)
			return o;
	return NULL;
}

/* The thread ids of p in increasing order, as Linux lists them. */
static void
tasks(Buf *b, Lproc *p)
{
	Lthread *t;
	int last, next;

	for(last = 0;; last = next){
		next = 0;
		for(t = p->threads; t != NULL; t = t->next)
			if(t->tid > last && (next == 0 || t->tid < next))
				next = t->tid;
		if(next == 0)
			break;
		bprint(b, "%d\n", next);
	}
}

/*
 * The CPUs a guest is given: those the host lets vxinferno's threads
 * run on (its affinity: taskset, a container's cpuset), not every CPU
 * of the host, numbered from 0, at most 32 (an i386 affinity mask of
 * one word).  cpuinfo, stat, status's Cpus_allowed and
 * sched_getaffinity all say this number, as lxcfs makes a container's
 * agree with its cpuset.
 */
int
ncpu(void)
{
	cpu_set_t set;
	int n;

	if(sched_getaffinity(0, sizeof set, &set) < 0 || (n = CPU_COUNT(&set)) < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if(n < 1)
		n = 1;
	return n > 32 ? 32 : n;
}

/* ncpu's mask */
uint32_t
cpumask(void)
{
	int n;

	n = ncpu();
	return n >= 32 ? ~0u : (1u << n) - 1;
}

static void
cpuinfo(Buf *b)
{
	unsigned int r[4], brand[12], a, bx, c, d, fam, model, step;
	char vendor[13], name[49];
	int i;

	memset(vendor, 0, sizeof vendor);
	memset(name, 0, sizeof name);
	fam = model = step = 0;
	if(__get_cpuid(0, &a, &bx, &c, &d)){
		memcpy(vendor, &bx, 4);
		memcpy(vendor + 4, &d, 4);
		memcpy(vendor + 8, &c, 4);
	}
	if(__get_cpuid(1, &r[0], &r[1], &r[2], &r[3])){
		step = r[0] & 0xf;
		fam = (r[0] >> 8) & 0xf;
		model = (r[0] >> 4) & 0xf;
		if(fam == 0xf)
			fam += (r[0] >> 20) & 0xff;
		if(fam >= 6)
			model |= ((r[0] >> 16) & 0xf) << 4;
	}
	if(__get_cpuid(0x80000004, &a, &bx, &c, &d)){
		for(i = 0; i < 3; i++)
			__get_cpuid(0x80000002 + i, &brand[4*i], &brand[4*i+1], &brand[4*i+2], &brand[4*i+3]);
		memcpy(name, brand, 48);
	}
	for(i = 0; i < ncpu(); i++){
		bprint(b, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
			"model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: 1000.000\ncache size\t: 512 KB\n"
			"physical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n"
			"fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 1\nwp\t\t: yes\n"
			"flags\t\t: fpu tsc cx8 cmov mmx fxsr sse sse2\nbogomips\t: 2000.00\n"
			"clflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 32 bits physical, 32 bits virtual\n\n",
			i, vendor, fam, model, name, step, ncpu(), i, ncpu());
	}
}

/* The sandbox's memory (boxmeminfo), not the host's. */
static void
meminfo(Buf *b, Lproc *me)
{
	uint64_t total, avail;

	boxmeminfo(me != NULL ? me->lbox : NULL, &total, &avail);
	bprint(b, "MemTotal:       %8llu kB\nMemFree:        %8llu kB\nMemAvailable:   %8llu kB\n"
		"Buffers:               0 kB\nCached:                0 kB\nSwapCached:            0 kB\n"
		"SwapTotal:             0 kB\nSwapFree:              0 kB\nCommitLimit:    %8llu kB\n",
		(unsigned long long)total / 1024, (unsigned long long)avail / 1024,
		(unsigned long long)avail / 1024, (unsigned long long)total / 1024);
}

/* /proc/uptime in hundredths, as Linux's: ps's elapsed times subtract
 * a start in ticks from it (whole seconds made new processes start in
 * the future, and ps printed 47721-20:36:48) */
static void
uptime(Buf *b)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	bprint(b, "%lld.%02ld 0.00\n", (long long)ts.tv_sec, ts.tv_nsec / 10000000);
}

/*
 * /proc/vmstat, which procps's vmstat needs ("Unable to create vmstat
 * structure" without it): the sandbox's own figures as /proc/stat's —
 * its free pages, the faults of its live processes and the children
 * they reaped; it has no swap, and its file I/O is not counted in
 * pages (0).  glk held.
 */
static void
vmstatfile(Buf *b, Lproc *me)
{
	uint64_t total, avail, minflt, majflt;
	Lusage u;
	Lproc *p;

	boxmeminfo(me != NULL ? me->lbox : NULL, &total, &avail);
	minflt = majflt = 0;
	for(p = procs; p != NULL; p = p->next){
		if(!visible(me, p))
			continue;
		procusage(p, &u);
		minflt += u.minflt + p->child.minflt;
		majflt += u.majflt + p->child.majflt;
	}
	bprint(b, "nr_free_pages %llu\npgpgin 0\npgpgout 0\npswpin 0\npswpout 0\npgfault %llu\npgmajfault %llu\n",
		(unsigned long long)(avail / PGSIZE), (unsigned long long)(minflt + majflt), (unsigned long long)majflt);
}

static long
since(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec;
}

/*
 * /proc/stat: the sandbox's own CPU time, not the host's, as lxcfs's
 * CPU view gives a container its cgroup's: what its live processes
 * used with the children they reaped (lxusage.c), spread evenly over
 * its CPUs; idle the rest of those CPUs' time since its first live
 * process began.  So top and a load meter in a guest show its own
 * load, and nothing of other sandboxes or of the host's other work.
 * In ticks (USER_HZ).  glk held.
 */
static void
statfile(Buf *b, Lproc *me)
{
	enum { TICK = 10000000 };
	uint64_t user, sys, idle, start, now, csw;
	Lusage u;
	int i, n, cpus;
	Lproc *p;

	user = sys = csw = 0;
	now = clocknow(CLOCK_BOOTTIME);
	start = now;
	n = 0;
	for(p = procs; p != NULL; p = p->next){
		if(!visible(me, p))
			continue;
		n++;
		procusage(p, &u);
		user += u.utime + p->child.utime;
		sys += u.stime + p->child.stime;
		csw += u.nvcsw + u.nivcsw + p->child.nvcsw + p->child.nivcsw;
		if(p->startns < start)
			start = p->startns;
	}
	cpus = ncpu();
	user /= TICK;
	sys /= TICK;
	idle = (now - start) / TICK * cpus;
	idle = idle > user + sys ? idle - user - sys : 0;
	bprint(b, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n", (unsigned long long)user,
		(unsigned long long)sys, (unsigned long long)idle);
	for(i = 0; i < cpus; i++)
		bprint(b, "cpu%d %llu 0 %llu %llu 0 0 0 0 0 0\n", i, (unsigned long long)(user / cpus),
			(unsigned long long)(sys / cpus), (unsigned long long)(idle / cpus));
	bprint(b, "intr 0\nctxt %llu\nbtime %ld\nprocesses %d\nprocs_running 1\nprocs_blocked 0\n",
		(unsigned long long)csw, since(CLOCK_REALTIME) - since(CLOCK_BOOTTIME), n);
}

/* One line of <pid>/maps: [start, a) with protection prot, from file
 * mapping fm at its offset (fm NULL: none), or named name */
static void
mapline(Buf *b, uint32_t start, uint32_t a, int prot, Fmap *fm, const char *name)
{
	unsigned long long q;
	char *fname;
	long n;

	fname = NULL;
	q = 0;
	if(fm != NULL && (fname = kif_filename(fm->file, &q)) != NULL)
		name = fname;
	if(q >> 32)
		q = (uint32_t)(q ^ (q >> 32));	/* as stat's st_ino (sysdir.c) */
	n = b->n;
	bprint(b, "%08x-%08x %c%c%c%c %08llx 00:00 %llu ", start, a,
		prot & VX_PROT_READ ? 'r' : '-', prot & VX_PROT_WRITE ? 'w' : '-',
		prot & VX_PROT_EXEC ? 'x' : '-', 'p',
		fm != NULL ? (unsigned long long)(fm->off + (start - fm->addr)) : 0ULL, fname != NULL ? q : 0ULL);
	n = b->n - n;
	if(name[0] != 0)
		bprint(b, "%*s%s", n < 66 ? 66 - n : 0, "", name);
	bprint(b, "\n");
	free(fname);
}

/*
 * <pid>/maps: runs of pages with the same protection and file; the brk
 * area and the stack are named, and so is a mapping of a file mmap
 * made (its name, offset and qid's path: ld.so's libraries; the program
 * and ld.so, which execve copies in, are not).  The file mappings are
 * read only if their lock is free now: a mapping being made may hold it
 * through a 9P read, and glk, held here, must not wait on it (unnamed
 * for that read, then).  glk held.
 */
static void
maps(Buf *b, Lproc *p)
{
	uint32_t a, start, mem, top;
	int prot, cur, locked;
	Fmap *scan, *fm, *curfm;
	Lthread *t;
	const char *name;

	t = p->threads;
	if(t == NULL)
		return;
	mem = vx_memsize(t->vx);
	top = t->mm->mmaptop;
	locked = pthread_mutex_trylock(&t->mm->lk) == 0;
	scan = locked ? t->mm->fmaps : NULL;
	cur = -1;
	curfm = NULL;
	start = 0;
	for(a = 0;; a += PGSIZE){
		prot = a < mem ? vx_pageprot(t->vx, a) : -1;
		while(scan != NULL && scan->addr + scan->len <= a)
			scan = scan->next;
		fm = scan != NULL && scan->addr <= a && prot != -1 ? scan : NULL;
		if(prot != cur || fm != curfm || (cur != -1 && (a == top || a == pgup(t->mm->brk)))){
			if(cur != -1){
				name = "";
				if(start >= t->mm->brkstart && a <= pgup(t->mm->brk) && start < pgup(t->mm->brk))
					name = "[heap]";
				else if(start >= top)
					name = "[stack]";
				mapline(b, start, a, cur, curfm, name);
			}
			cur = prot;
			curfm = fm;
			start = a;
		}
		if(a >= mem)
			break;
	}
	if(locked)
		pthread_mutex_unlock(&t->mm->lk);
}

/*
 * A process's memory as /proc/PID/stat, statm and status show it, from
 * its guest memory (vx_memuse: the pages mapped and those the host
 * holds resident), glk held.  Its peaks are high waters of looks: each
 * of these reads, getrusage's, and those at execve and exit for the
 * resident size (ru_maxrss's, which Linux's VmHWM is too), not of
 * every moment as Linux's.  A zombie has none.
 */
typedef struct Memfig {
	uint64_t size, peak, rss, hwm, data, stack, exec, fileres;
} Memfig;

static int
memfig(Lproc *p, Memfig *f)
{
	VxMemUse u[2], all;
	Lthread *t;

	memset(f, 0, sizeof *f);
	t = p->threads;
	if(t == NULL)
		return 0;
	vx_memuse(t->vx, t->mm->mmaptop, u);	/* the stack above mmaptop */
	all = (VxMemUse){ u[0].mapped + u[1].mapped, u[0].data, u[0].exec + u[1].exec,
		u[0].resident + u[1].resident, u[0].fileres + u[1].fileres };
	if(all.mapped > p->vmpeak)
		p->vmpeak = all.mapped;
	if(all.resident / 1024 > p->dead.maxrss)
		p->dead.maxrss = all.resident / 1024;
	f->size = all.mapped;
	f->peak = p->vmpeak;
	f->rss = all.resident;
	f->hwm = (uint64_t)p->dead.maxrss * 1024;
	f->stack = u[1].mapped;
	f->data = all.data;
	f->exec = all.exec;
	f->fileres = all.fileres;
	return 1;
}

static void
statm(Buf *b, Lproc *p)
{
	Memfig f;

	memfig(p, &f);
	/* size resident shared text lib data dt, in pages */
	bprint(b, "%llu %llu %llu %llu 0 %llu 0\n", (unsigned long long)(f.size / PGSIZE),
		(unsigned long long)(f.rss / PGSIZE), (unsigned long long)(f.fileres / PGSIZE),
		(unsigned long long)(f.exec / PGSIZE), (unsigned long long)((f.data + f.stack) / PGSIZE));
}

static void
statusmem(Buf *b, Lproc *p)
{
	Memfig f;

	if(!memfig(p, &f))
		return;
	bprint(b, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\n"
		"VmHWM:\t%8llu kB\nVmRSS:\t%8llu kB\nRssAnon:\t%8llu kB\nRssFile:\t%8llu kB\nRssShmem:\t       0 kB\n"
		"VmData:\t%8llu kB\nVmStk:\t%8llu kB\nVmExe:\t%8llu kB\nVmLib:\t       0 kB\nVmPTE:\t       0 kB\nVmSwap:\t       0 kB\n",
		(unsigned long long)f.peak / 1024, (unsigned long long)f.size / 1024,
		(unsigned long long)f.hwm / 1024, (unsigned long long)f.rss / 1024,
		(unsigned long long)(f.rss - f.fileres) / 1024, (unsigned long long)f.fileres / 1024,
		(unsigned long long)f.data / 1024, (unsigned long long)f.stack / 1024, (unsigned long long)f.exec / 1024);
}

static int
nthreads(Lproc *p)
{
	Lthread *t;
	int n;

	n = 0;
	for(t = p->threads; t != NULL; t = t->next)
		n++;
	return n;
}

/*
 * Linux's state of thread t, or of process p's (t NULL: its leader's,
 * as Linux's /proc/PID/stat), glk held: a thread in a system call is
 * asleep in it (ps's S: sleep, wait, read of a pipe or terminal), one
 * in guest code running (R), and so is the reader itself.  Until
 * session 20 every live process was R.
 */
static int
statechar(Lproc *p, Lthread *t)
{
	Kproc *kp;

	if(p->zombie)
		return 'Z';
	if(p->stopsig)
		return 'T';
	if(t == NULL)
		for(t = p->threads; t != NULL && t->tid != p->pid; t = t->next)
			;
	if(t == NULL || atomic_load(&t->callnr) < 0)
		return 'R';
	kp = kif_cur();
	return kp != NULL && kif_pid(kp) == t->tid ? 'R' : 'S';
}

static const char *
statename(int c)
{
	switch(c){
	case 'Z': return "Z (zombie)";
	case 'T': return "T (stopped)";
	case 'S': return "S (sleeping)";
	}
	return "R (running)";
}

/* p's controlling terminal as Linux's stat gives it: the device number
 * of its pty's slave (136:N, the minor's low byte in bits 0-7, the rest
 * from bit 20) and that terminal's foreground group; 0 and -1 without
 * one.  ps's TTY column, its + for the foreground, and a bare ps (the
 * caller's terminal's processes) read these.  glk held. */
static void
ctty(Lproc *p, unsigned *nr, int *tpgid)
{
	int n, pg;

	*nr = 0;
	*tpgid = -1;
	pg = -1;
	if(p->zombie || p->noctty || (n = kif_ptyof(p->box, p->sid, &pg)) < 0)
		return;
	*nr = 136 << 8 | (n & 0xFF) | (unsigned)(n & ~0xFF) << 12;
	*tpgid = pg > 0 ? pg : -1;
}

/* stat of process p, or of its thread t (t NULL: the process), glk
 * held: its faults and CPU time as getrusage and times say (lxusage.c;
 * a thread's own, its process's children), its priority and nice value
 * as getpriority's (sysproc.c), its start in ticks since boot */
static void
pstat(Buf *b, Lproc *p, Lthread *t)
{
	enum { TICK = 10000000 };
	Lusage u, c;
	Memfig f;
	unsigned ttynr;
	int tpgid;

	memfig(p, &f);
	ctty(p, &ttynr, &tpgid);
	if(t != NULL)
		threadusage(t, &u);
	else
		procusage(p, &u);
	c = p->child;
	bprint(b, "%d (%.15s) %c %d %d %d %u %d 4194304 %llu %llu %llu %llu %llu %llu %llu %llu %d %d %d 0 %llu %u %u "
		"4294967295 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		t != NULL ? t->tid : p->pid, t != NULL ? threadname(t) : procname(p),
		statechar(p, t), p->parent != NULL ? p->parent->pid : 1,
		p->pgid, p->sid, ttynr, tpgid, (unsigned long long)u.minflt, (unsigned long long)c.minflt,
		(unsigned long long)u.majflt, (unsigned long long)c.majflt,
		(unsigned long long)(u.utime / TICK), (unsigned long long)(u.stime / TICK),
		(unsigned long long)(c.utime / TICK), (unsigned long long)(c.stime / TICK),
		20 + p->nice, p->nice, nthreads(p), (unsigned long long)(p->startns / TICK), (unsigned)f.size, (unsigned)(f.rss / PGSIZE));
}

/* The context switches of thread t, or of p's first thread (Linux's
 * /proc/PID/status has the leader's own, not the process's). */
static void
ctxtswitches(Buf *b, Lproc *p, Lthread *t)
{
	Lusage u;

	memset(&u, 0, sizeof u);
	if(t == NULL)
		t = findthread(p, p->pid);
	if(t != NULL)
		threadusage(t, &u);
	bprint(b, "voluntary_ctxt_switches:\t%llu\nnonvoluntary_ctxt_switches:\t%llu\n",
		(unsigned long long)u.nvcsw, (unsigned long long)u.nivcsw);
}

enum { LSIG_DFL = 0, LSIG_IGN = 1 };	/* Sigact.handler */

static void
pstatus(Buf *b, Lproc *p, Lthread *t)
{
	uint64_t blk, ign, cgt;
	Lthread *t0;
	int sig;

	t0 = t;
	bprint(b, "Name:\t%.15s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		"TracerPid:\t0\nUid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nFDSize:\t%d\nGroups:\t\n",
		t != NULL ? threadname(t) : procname(p), p->umask, statename(statechar(p, t)),
		p->pid, t != NULL ? t->tid : p->pid,
		p->parent != NULL ? p->parent->pid : 1,
		hostuid(), hostuid(), hostuid(), hostuid(), hostgid(), hostgid(), hostgid(), hostgid(), MAXFD);
	statusmem(b, p);
	/* the thread's blocked signals (a process's: its leader's, or
	 * another once the leader is gone), the process's ignored and
	 * caught ones, bit sig-1 each */
	if(t0 == NULL && (t0 = findthread(p, p->pid)) == NULL)
		t0 = p->threads;
	blk = ign = cgt = 0;
	if(t0 != NULL)
		blk = t0->mask;
	for(sig = 1; sig <= NSIG; sig++)
		if(p->act[sig].handler == LSIG_IGN)
			ign |= 1ull << (sig - 1);
		else if(p->act[sig].handler != LSIG_DFL)
			cgt |= 1ull << (sig - 1);
	bprint(b, "Threads:\t%d\n"
		"SigQ:\t%d/%llu\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n"
		"SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n"
		/* no capabilities (capget, sysproc.c); PR_GET_NO_NEW_PRIVS's 1 */
		"CapInh:\t%016x\nCapPrm:\t%016x\nCapEff:\t%016x\nCapBnd:\t%016x\nCapAmb:\t%016x\n"
		"NoNewPrivs:\t1\n"
		"Cpus_allowed:\t%x\nCpus_allowed_list:\t0-%d\n",
		nthreads(p),
		/* queued real-time signals: the sandbox's, as Linux's are the user's */
		p->lbox != NULL ? atomic_load(&p->lbox->sigqueued) : 0, (unsigned long long)p->rlim[RLSIGPENDING][0],
		(unsigned long long)(t != NULL ? t->pending : p->threads != NULL ? p->threads->pending : 0),
		(unsigned long long)p->pending,
		(unsigned long long)blk, (unsigned long long)ign, (unsigned long long)cgt,
		0, 0, 0, 0, 0,
		cpumask(), ncpu() - 1);
	ctxtswitches(b, p, t);
}

/* The static files of sys/: path, contents. */
static const char *const sysfiles[][2] = {
	{ "sys/kernel/ngroups_max", "65536\n" },
	{ "sys/kernel/osrelease", "6.1.0\n" },
	{ "sys/kernel/ostype", "Linux\n" },
	{ "sys/kernel/pid_max", "4194304\n" },
	{ "sys/kernel/threads-max", "4096\n" },
	{ "sys/kernel/cap_last_cap", "40\n" },
	/* System V IPC's limits (sysipc.c), a 64-bit kernel's */
	{ "sys/kernel/shmmax", "18446744073692774399\n" },
	{ "sys/kernel/shmall", "18446744073692774399\n" },
	{ "sys/kernel/shmmni", "4096\n" },
	{ "sys/kernel/sem", "32000\t1024000000\t500\t32000\n" },
	{ "sys/kernel/msgmax", "8192\n" },
	{ "sys/kernel/msgmnb", "16384\n" },
	{ "sys/kernel/msgmni", "32000\n" },
	/* made when opened (ipcprocfs) */
	{ "sysvipc/shm", NULL },
	{ "sysvipc/sem", NULL },
	{ "sysvipc/msg", NULL },
	{ "sys/vm/overcommit_memory", "0\n" },
	{ "sys/vm/max_map_count", "65530\n" },
	{ "sys/fs/file-max", "1024\n" },
	{ "sys/fs/nr_open", "1024\n" },
	/* a sandbox's bounds (libkern/devwatch.c): kernel.h's Kmaxwatch … */
	{ "sys/fs/inotify/max_user_watches", "8192\n" },
	{ "sys/fs/inotify/max_user_instances", "128\n" },
	{ "sys/fs/inotify/max_queued_events", "16384\n" },
	{ "version", "Linux version 6.1.0 (vxinferno) #1 SMP\n" },
	{ "filesystems", "nodev\tproc\nnodev\t9p\n" },
};

/* A directory of sys/ (or the top's static names): its entries. */
static int
sysdir(const char *path, Buf *b)
{
	size_t i, n;
	const char *s, *e;
	char seen[512];
	int found;

	n = strlen(path);
	found = 0;
	seen[0] = 0;
	for(i = 0; i < sizeof sysfiles / sizeof sysfiles[0]; i++){
		s = sysfiles[i][0];
		if(n > 0 && (strncmp(s, path, n) != 0 || s[n] != '/'))
			continue;
		s += n > 0 ? n + 1 : 0;
		e = strchr(s, '/');
		if(e == NULL)
			e = s + strlen(s);
		found = 1;
		/* each name once */
		if(strstr(seen, s) == NULL || (int)(e - s) > 100){
			bprint(b, "%.*s\n", (int)(e - s), s);
			snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%.*s ", (int)(e - s), s);
		}
	}
	return found;
}

/* The caller's current directory, or NULL: asked before glk is taken
 * (opening dot on a 9P mount is a round trip). */
static char *
callercwd(const char *path)
{
	const char *s = strrchr(path, '/');
	char *cwd;
	int fd;

	if(s == NULL || strcmp(s, "/cwd") != 0)
		return NULL;
	fd = kopen(".", OREAD);
	if(fd < 0)
		return NULL;
	cwd = kfd2path(fd);
	kclose(fd);
	return cwd;
}

/*
 * The mount table (mounts, mountinfo), from the caller's namespace as
 * the kernel prints it (#p/N/ns: one bind or mount per line, in the
 * order they were made).  Each line is a Linux mount: its point; its
 * device as stat gives a file's st_dev (the device's letter and
 * instance, so df finds the mount of a file); its type 9p for a host
 * tree or a 9P mount (what statfs says), proc for #L, and none (no
 * storage: df leaves them out) for the kernel's other devices; a bound
 * directory's path as the root of mountinfo.  A union is the mount
 * made last at that point, as Linux shows a mount over another.
 */
enum { MAXNSARGS = 8 };

/* Split one line of ns text into words, rc's quotes undone in place. */
static int
nswords(char *s, char **w, int max)
{
	char *o;
	int n;

	for(n = 0; n < max; n++){
		while(*s == ' ')
			s++;
		if(*s == 0)
			break;
		w[n] = o = s;
		while(*s != 0 && *s != ' '){
			if(*s != '\'')
				*o++ = *s++;
			else for(s++; *s != 0; s++){
				if(*s == '\'' && s[1] != '\'')
					break;
				if(*s == '\'')
					s++;
				*o++ = *s;
			}
			if(*s == '\'')
				s++;
		}
		if(*s == ' ')
			s++;
		*o = 0;
	}
	return n;
}

/* s as a field of a mount table: space, tab, newline and backslash in
 * octal, as Linux writes them */
static void
mangle(Buf *b, const char *s)
{
	for(; *s; s++)
		if(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			bprint(b, "\\%03o", (unsigned char)*s);
		else
			bprint(b, "%c", *s);
}

static const char *
fstype(int dc)
{
	switch(dc){
	case 'U': case 'M': return "9p";
	case 'L': return "proc";
	case 'P': return "devpts";	/* only #P/pts is mounted as such (nsmount) */
	}
	return "none";
}

/* a mount's source: Linux's name for the kernel file systems it has */
static const char *
fssource(int dc, const char *src)
{
	return dc == 'L' || dc == 'P' ? fstype(dc) : src;
}

/* A mount point's entry: id, and the path it is at. */
typedef struct Mnt {
	int id;
	char *at;
} Mnt;

/* The words of a bind or mount line after its flags (-b, -a, -c, -bc,
 * -ac, -u user): what is bound or mounted, and where; NULL if none. */
static char **
nsargs(char **w, int n)
{
	int i;

	if(n < 1 || (strcmp(w[0], "bind") != 0 && strcmp(w[0], "mount") != 0))
		return NULL;
	for(i = 1; i < n && w[i][0] == '-'; i++)
		if(strcmp(w[i], "-u") == 0)
			i++;
	return i + 1 < n ? &w[i] : NULL;
}

static void
nsmount(Buf *b, char **w, char **arg, Mnt *mt, int nmt, int info, Rootfs *rf)
{
	char src[64], *from, *at, *root, *rw;
	int i, dc, major, dev, parent, len, best;
	Kifstatfs fs;
	Dir *d;

	from = arg[0];
	at = arg[1];
	d = kdirstat(from);
	dc = d != NULL ? d->type : (from[0] == '#' ? from[1] : 0);
	free(d);
	/* the numbers stat gives a file there (a union's first member's;
	 * the root device's are the root file system's: rootfs) */
	d = kdirstat(at);
	major = d != NULL ? d->type : dc;
	dev = d != NULL ? d->dev : 0;
	free(d);
	if(major == '/'){
		major = rf->type;
		dev = rf->dev;
	}
	/* a read-only tree (vxinferno -R, -b dir:old:ro) */
	rw = strcmp(w[0], "bind") == 0 && kif_statfs(from, -1, &fs) == 0 && (fs.flags & KIF_FSRDONLY) ? "ro" : "rw";
	if(from[0] == '#'){
		len = strcspn(from, "/");
		snprintf(src, sizeof src, "%.*s", len, from);
		root = from[len] != 0 ? from + len : "/";
	}else{
		snprintf(src, sizeof src, "#%c", dc);
		root = from;
	}
	if(strcmp(w[0], "mount") == 0)
		root = "/";
	if(dc == 'P' && strcmp(root, "/pts") == 0)
		root = "/";	/* Linux's devpts, at /dev/pts */
	else if(dc == 'P')
		dc = 0;		/* #P's root, among /dev's files */
	if(!info){
		mangle(b, fssource(dc, src));
		bprint(b, " ");
		mangle(b, at);
		bprint(b, " %s %s 0 0\n", fstype(dc), rw);
		return;
	}
	/* the parent: the latest mount at a directory holding this one */
	parent = mt[nmt].id - 1;
	best = -1;
	for(i = 0; i < nmt; i++){
		len = strlen(mt[i].at);
		if(strcmp(mt[i].at, "/") == 0)
			len = 0;
		if((strncmp(mt[i].at, at, len) == 0 && at[len] == '/') && len >= best){
			best = len;
			parent = mt[i].id;
		}
	}
	bprint(b, "%d %d %d:%d ", mt[nmt].id, parent, major & 0xff, dev & 0xff);
	mangle(b, root);
	bprint(b, " ");
	mangle(b, at);
	bprint(b, " %s - %s ", rw, fstype(dc));
	mangle(b, fssource(dc, src));
	bprint(b, " %s\n", rw);
}

/* The caller's namespace as the kernel prints it (#p/N/ns), malloc'd,
 * its length in *len; NULL when it cannot be read. */
static char *
readns(long *len)
{
	char path[64], *ns, *more;
	long r, got;
	int fd;

	snprintf(path, sizeof path, "#p/%d/ns", kif_pid(kif_cur()));
	fd = kopen(path, OREAD);
	if(fd < 0)
		return NULL;
	ns = NULL;
	got = 0;
	do{
		more = realloc(ns, got + 4096 + 1);
		if(more == NULL){
			free(ns);
			kclose(fd);
			return NULL;
		}
		ns = more;
		r = kread(fd, ns + got, 4096);
		if(r > 0)
			got += r;
	}while(r > 0);
	kclose(fd);
	ns[got] = 0;
	*len = got;
	return ns;
}

/*
 * The file system that / is to a Linux program: the first thing bound
 * or mounted at / other than the root device itself (vxinferno's: #U,
 * the tree given with -r), which mountinfo lists as the root mount.  The
 * root device (#/) only holds the directories other devices are bound
 * on; its own files are shown as that file system's, so that / and
 * /tmp, /bin or /n have one st_dev, as programs that look for mount
 * points by comparing st_dev expect (find -xdev, du -x, df, mountpoint).
 * Without such a bind, #/ itself.  Kept per process until a guest
 * changes a namespace (nschanged: guests share their namespace, and
 * only the extension calls change it).
 */
static atomic_uint nsgen = 1;
static pthread_mutex_t rootlk = PTHREAD_MUTEX_INITIALIZER;

void
nschanged(void)
{
	atomic_fetch_add(&nsgen, 1);
}

static void
findrootfs(Rootfs *rf)
{
	char *ns, *line, *next, *w[MAXNSARGS], **arg;
	long len;
	Dir *d;

	rf->type = '/';
	rf->dev = 0;
	snprintf(rf->path, sizeof rf->path, "/");
	ns = readns(&len);
	for(line = ns; line != NULL && *line != 0; line = next){
		next = strchr(line, '\n');
		if(next != NULL)
			*next++ = 0;
		arg = nsargs(w, nswords(line, w, MAXNSARGS));
		if(arg == NULL || strcmp(arg[1], "/") != 0)
			continue;
		/* a bind's tree is its source's; a mount's, what / now shows */
		d = kdirstat(strcmp(w[0], "bind") == 0 ? arg[0] : "/");
		if(d != NULL && d->type != '/'){
			rf->type = d->type;
			rf->dev = d->dev;
			snprintf(rf->path, sizeof rf->path, "%s", strcmp(w[0], "bind") == 0 ? arg[0] : "/");
			free(d);
			break;
		}
		free(d);
	}
	free(ns);
}

void
rootfs(Lproc *p, Rootfs *rf)
{
	unsigned g;

	pthread_mutex_lock(&rootlk);
	g = atomic_load(&nsgen);
	if(p->rootgen != g){
		findrootfs(&p->root);
		p->rootgen = g;
	}
	*rf = p->root;
	pthread_mutex_unlock(&rootlk);
}

/* The caller's mounts (info 0) or mountinfo (1); NULL when its
 * namespace cannot be read. */
static char *
nstable(int info)
{
	char *ns, *line, *next, *w[MAXNSARGS];
	Buf b = { NULL, 0, 0 };
	char **arg;
	Rootfs rf;
	Mnt *mt;
	int n, nmt;
	long got;

	ns = readns(&got);
	if(ns == NULL)
		return NULL;
	findrootfs(&rf);
	mt = calloc(got / 8 + 2, sizeof *mt);	/* a line is longer than 8 bytes */
	nmt = 0;
	for(line = ns; mt != NULL && line != NULL && *line != 0; line = next){
		next = strchr(line, '\n');
		if(next != NULL)
			*next++ = 0;
		n = nswords(line, w, MAXNSARGS);
		if((arg = nsargs(w, n)) == NULL)
			continue;
		mt[nmt].id = 21 + nmt;
		nsmount(&b, w, arg, mt, nmt, info, &rf);
		mt[nmt].at = arg[1];
		nmt++;
	}
	free(mt);
	free(ns);
	if(b.s == NULL)
		bprint(&b, "%s", "");
	return b.s;
}

/* Is the mount point at a directory holding path (or path itself)? */
static int
mountholds(const char *at, const char *path)
{
	size_t n;

	if(strcmp(at, "/") == 0)
		return path[0] == '/';
	n = strlen(at);
	return strncmp(at, path, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/*
 * statx's stx_mnt_id for the file at path (absolute, cleaned, in the
 * caller's namespace): the id mountinfo gives the mount it is under,
 * the one at the longest point holding it, the latest of those at one
 * point (a mount over another), as Linux's mnt_id matches mountinfo's
 * first field.  A symbolic link on the way is not followed here.  0
 * when the namespace cannot be read.  Not with glk held.
 */
uint64_t
mountid(const char *path)
{
	char *ns, *line, *next, *w[MAXNSARGS], **arg;
	long len;
	int i, best, id;
	size_t n;

	ns = readns(&len);
	if(ns == NULL)
		return 0;
	id = 0;
	best = -1;
	i = 0;
	for(line = ns; *line != 0; line = next){
		next = strchr(line, '\n');
		if(next != NULL)
			*next++ = 0;
		else
			next = line + strlen(line);
		if((arg = nsargs(w, nswords(line, w, MAXNSARGS))) == NULL)
			continue;
		n = strcmp(arg[1], "/") == 0 ? 0 : strlen(arg[1]);
		if(mountholds(arg[1], path) && (int)n >= best){
			best = n;
			id = 21 + i;	/* nstable's numbering */
		}
		i++;
	}
	free(ns);
	return id;
}

/* The mount table, when path asks for it: before glk is taken (the
 * namespace is read through the kernel, and stats of 9P mounts are
 * round trips). */
static char *
callermounts(const char *path)
{
	const char *s = strrchr(path, '/');

	s = s != NULL ? s + 1 : path;
	if(strcmp(s, "mounts") == 0)
		return nstable(0);
	if(strcmp(s, "mountinfo") == 0 && s != path)
		return nstable(1);
	return NULL;
}

/* The host's login uid and audit session (its /proc/self/loginuid and
 * sessionid; unset, 4294967295, where it has none), which the guests
 * share as processes of one login do: glibc's getlogin reads loginuid
 * and fails ENXIO where it is unset, as natively. */
static char loginuid[16] = "4294967295", sessionid[16] = "4294967295";
static pthread_once_t loginonce = PTHREAD_ONCE_INIT;

static void
readhostid(const char *path, char *buf, int nbuf)
{
	char tmp[16];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if(fd < 0)
		return;
	n = read(fd, tmp, sizeof tmp - 1);
	close(fd);
	if(n <= 0)
		return;
	tmp[n] = 0;
	tmp[strspn(tmp, "0123456789")] = 0;
	if(tmp[0] != 0)
		snprintf(buf, nbuf, "%s", tmp);
}

static void
readlogin(void)
{
	readhostid("/proc/self/loginuid", loginuid, sizeof loginuid);
	readhostid("/proc/self/sessionid", sessionid, sizeof sessionid);
}

_Static_assert(Kmaxwatch == 8192 && Kmaxqueue == 128 && Kmaxevents == 16384, "/proc/sys/fs/inotify says the kernel's bounds");

/* What Linux's /proc/PID/fd/FD of an epoll, eventfd, timerfd,
 * signalfd or socket reads as (their kernel files are #c/null, pipes
 * and #I's, names of ours; Linux opens none of them again), or NULL
 * for another fd.  The caller frees it. */
static char *
anonname(Lproc *p, int fd)
{
	unsigned long ino;
	const char *s;
	char *name;
	int sock;

	s = NULL;
	ino = 0;
	pthread_mutex_lock(&p->flk);
	sock = p->fd[fd].used && p->fd[fd].sock != NULL;
	if(sock)
		ino = sockino(p->fd[fd].sock);
	if(p->fd[fd].used && p->fd[fd].ep != NULL)
		s = "anon_inode:[eventpoll]";
	else if(p->fd[fd].used && p->fd[fd].ev != NULL)
		s = p->fd[fd].ev->kind == EVTIMER ? "anon_inode:[timerfd]"
			: p->fd[fd].ev->kind == EVSIGNAL ? "anon_inode:[signalfd]"
			: p->fd[fd].ev->kind == EVPID ? "anon_inode:[pidfd]" : "anon_inode:[eventfd]";
	pthread_mutex_unlock(&p->flk);
	if(s == NULL && !sock && isnotifyfd(fd))
		s = "anon_inode:inotify";
	if(s != NULL)
		return strdup(s);
	if(sock && asprintf(&name, "socket:[%lu]", ino) >= 0)
		return name;
	return NULL;
}

/*
 * An open of /proc/self/fd/N is a new open of N's file (Linux: its own
 * offset and flags).  #U files and pipes are opened anew from the fd's
 * own (Dev.reopen, through KLXFD: the file even after a rename, a
 * pipe's other end); a directory, a device's file (#c/null, #c/cons,
 * #e, #s …) or a 9P file by its name, as a link to it: NULL for those
 * of the first kind, and for a pipe, socket or /proc file.
 */
static char *
reopenname(int fd)
{
	unsigned long long qpath;
	int dc, qtype;

	if(kif_fdkind(fd, &dc, &qtype, &qpath, NULL) < 0)
		return NULL;
	if(!(qtype & 0x80) && (dc == 'U' || dc == '|'))
		return NULL;
	if(dc == '|' || dc == 'I' || dc == 'L' || dc == 'N')
		return NULL;
	return kfd2path(fd);
}

/* The generator (Klxgen); data NULL: the kind only, without the
 * files whose contents cost most to make (a process's memory). */
static int
lxproc(const char *path, char **data, long *len, int *fdp)
{
	Buf b = { NULL, 0, 0 };
	Lproc *me, *p;
	Lthread *t;
	const char *rest;
	char *e, *cwd, *mounts, *lk, *an, *ipc;
	size_t i;
	int k, pid, tid, fd;

	k = KLXNONE;
	t = NULL;
	cwd = callercwd(path);
	mounts = callermounts(path);
	pthread_mutex_lock(&glk);
	me = callerproc();
	if(strcmp(path, "mounts") == 0 && mounts != NULL){
		bprint(&b, "%s", mounts);
		k = KLXFILE;
		goto out;
	}
	for(i = 0; i < sizeof sysfiles / sizeof sysfiles[0]; i++)
		if(strcmp(path, sysfiles[i][0]) == 0){
			if(sysfiles[i][1] != NULL)
				bprint(&b, "%s", sysfiles[i][1]);
			else if((ipc = ipcprocfs(path + 8, me != NULL ? me->lbox : NULL)) != NULL){
				bprint(&b, "%s", ipc);
				free(ipc);
			}
			k = KLXFILE;
			goto out;
		}
	if(path[0] == 0){
		bprint(&b, "self\nthread-self\ncpuinfo\nmeminfo\nstat\nuptime\nloadavg\nvmstat\n");
		sysdir("", &b);
		pidlist(&b, me);
		k = KLXDIR;
		goto out;
	}
	if(strcmp(path, "sys") == 0 || strncmp(path, "sys/", 4) == 0 || strcmp(path, "sysvipc") == 0){
		if(sysdir(path, &b))
			k = KLXDIR;
		goto out;
	}
	if(strcmp(path, "cpuinfo") == 0){
		cpuinfo(&b);
		k = KLXFILE;
		goto out;
	}
	if(strcmp(path, "meminfo") == 0){
		meminfo(&b, me);
		k = KLXFILE;
		goto out;
	}
	if(strcmp(path, "stat") == 0){
		statfile(&b, me);
		k = KLXFILE;
		goto out;
	}
	if(strcmp(path, "vmstat") == 0){
		vmstatfile(&b, me);
		k = KLXFILE;
		goto out;
	}
	if(strcmp(path, "uptime") == 0){
		uptime(&b);
		k = KLXFILE;
		goto out;
	}
	if(strcmp(path, "loadavg") == 0){
		bprint(&b, "0.00 0.00 0.00 1/1 %d\n", me != NULL ? me->pid : 1);
		k = KLXFILE;
		goto out;
	}
	/* self or <pid>, then what is below it */
	if(strncmp(path, "self", 4) == 0 && (path[4] == 0 || path[4] == '/')){
		/* a directory, not Linux's link to <pid>: #L has no links
		 * to walk through */
		if(me == NULL)
			goto out;
		p = me;
		rest = path[4] == 0 ? path + 4 : path + 5;
	}else if(strncmp(path, "thread-self", 11) == 0 && (path[11] == 0 || path[11] == '/')){
		/* the calling thread's task directory, also a directory here */
		if(me == NULL || (t = findthread(me, kif_pid(kif_cur()))) == NULL)
			goto out;
		p = me;
		rest = path[11] == 0 ? path + 11 : path + 12;
	}else{
		pid = strtol(path, &e, 10);
		if(e == path || (*e != 0 && *e != '/') || path[0] == '0' || path[0] == '-' || path[0] == '+')
			goto out;
		p = findproc(me, pid);
		if(p == NULL)
			goto out;
		rest = *e == '/' ? e + 1 : e;
		if(pid != p->pid)
			t = findthread(p, pid);	/* /proc/TID: that thread's */
	}
	if(strcmp(rest, "task") == 0){
		tasks(&b, p);
		k = KLXDIR;
		goto out;
	}
	if(strncmp(rest, "task/", 5) == 0){
		/* task/TID/…: the thread's stat, status and comm; the rest
		 * is the process's, which its threads share */
		rest += 5;
		tid = strtol(rest, &e, 10);
		if(e == rest || (*e != 0 && *e != '/') || rest[0] == '0' || rest[0] == '-' || rest[0] == '+')
			goto out;
		if((t = findthread(p, tid)) == NULL)
			goto out;
		rest = *e == '/' ? e + 1 : e;
	}
	if(rest[0] == 0){
		bprint(&b, "exe\nfd\nmaps\nstat\nstatm\nstatus\ncmdline\ncomm\nmounts\nmountinfo\nloginuid\nsessionid\n");
		if(t == NULL)
			bprint(&b, "task\n");
		if(p == me)
			bprint(&b, "cwd\nroot\n");	/* its own only: another's dot is not ours to open */
		k = KLXDIR;
	}else if(strcmp(rest, "exe") == 0){
		bprint(&b, "%s", p->exe);
		k = KLXLINK;
	}else if(strcmp(rest, "cwd") == 0 && p == me && cwd != NULL){
		bprint(&b, "%s", cwd);
		k = KLXLINK;
	}else if(strcmp(rest, "root") == 0 && p == me){
		bprint(&b, "/");	/* its namespace's root, as the caller's own */
		k = KLXLINK;
	}else if(strcmp(rest, "fd") == 0){
		pthread_mutex_lock(&p->flk);
		for(fd = 0; fd < MAXFD; fd++)
			if(p->fd[fd].used)
				bprint(&b, "%d\n", fd);
		pthread_mutex_unlock(&p->flk);
		k = KLXDIR;
	}else if(strncmp(rest, "fd/", 3) == 0 && p == me){
		fd = strtol(rest + 3, &e, 10);
		if(e == rest + 3 || *e != 0 || rest[3] == '-' || rest[3] == '+' || fd >= MAXFD || !fdcheck(p, fd))
			goto out;
		if((an = anonname(p, fd)) != NULL){
			/* Linux's name; no file of ours to reopen (Linux: ENXIO) */
			bprint(&b, "%s", an);
			free(an);
			k = KLXLINK;
			goto out;
		}
		if((lk = fdlink(p, fd)) != NULL){
			/* a link's O_PATH fd: its kernel file is none of its */
			bprint(&b, "%s", lk);
			free(lk);
			k = KLXLINK;
			goto out;
		}
		/* an open goes by the name; the kind only (a walk, a stat,
		 * a wstat: chmod of /proc/self/fd/N, as glibc's fchmodat
		 * of an O_PATH fd does) is the fd's file itself */
		if(data != NULL && (lk = reopenname(fd)) != NULL){
			bprint(&b, "%s", lk);
			free(lk);
			k = KLXLINK;
			goto out;
		}
		*fdp = fd;
		k = KLXFD;
	}else if(strcmp(rest, "maps") == 0){
		if(data != NULL)
			maps(&b, p);
		k = KLXFILE;
	}else if(strcmp(rest, "stat") == 0){
		if(data != NULL)
			pstat(&b, p, t);
		k = KLXFILE;
	}else if(strcmp(rest, "statm") == 0){
		if(data != NULL)
			statm(&b, p);
		k = KLXFILE;
	}else if(strcmp(rest, "status") == 0){
		if(data != NULL)
			pstatus(&b, p, t);
		k = KLXFILE;
	}else if(strcmp(rest, "cmdline") == 0){
		b.s = realloc(b.s, p->ncmdline + 1);	/* the bytes with their NULs */
		if(b.s != NULL){
			memcpy(b.s, p->cmdline, p->ncmdline);
			b.n = p->ncmdline;
		}
		k = KLXFILE;
	}else if(strcmp(rest, "comm") == 0){
		bprint(&b, "%.15s\n", t != NULL ? threadname(t) : procname(p));
		k = KLXFILE;
	}else if(strcmp(rest, "loginuid") == 0 || strcmp(rest, "sessionid") == 0){
		pthread_once(&loginonce, readlogin);
		bprint(&b, "%s", rest[0] == 'l' ? loginuid : sessionid);	/* no newline, as Linux's */
		k = KLXFILE;
	}else if((strcmp(rest, "mounts") == 0 || strcmp(rest, "mountinfo") == 0) && mounts != NULL){
		bprint(&b, "%s", mounts);
		k = KLXFILE;
	}
out:
	pthread_mutex_unlock(&glk);
	free(cwd);
	free(mounts);
	if(k == KLXNONE || k == KLXFD || data == NULL){
		free(b.s);
		b.s = NULL;
		b.n = 0;
	}
	if(data != NULL)
		*data = b.s;
	*len = b.n;
	return k;
}

/* Remember argv for <pid>/cmdline (at exec and spawn). */
void
setcmdline(Lproc *p, char *const argv[])
{
	size_t n, m;
	int i;

	n = 0;
	for(i = 0; argv != NULL && argv[i] != NULL && n < sizeof p->cmdline; i++){
		m = strlen(argv[i]) + 1;
		if(m > sizeof p->cmdline - n)
			m = sizeof p->cmdline - n;
		memcpy(p->cmdline + n, argv[i], m);
		n += m;
	}
	p->ncmdline = n;
}

/*
 * Remember the program's path for <pid>/exe (at exec and spawn): as
 * Linux gives it, absolute, without "." and ".." (a relative path is
 * taken from the current directory).  Static glibc asserts that the link
 * starts with '/' (_dl_get_origin): `./prog` aborted.  Symbolic links are
 * not followed.
 */
void
setexe(Lproc *p, const char *path)
{
	char *cwd, *s, *e, *q;
	size_t n;
	int fd;

	cwd = NULL;
	if(path[0] != '/' && (fd = kopen(".", OREAD)) >= 0){
		cwd = kfd2path(fd);
		kclose(fd);
	}
	snprintf(p->exe, sizeof p->exe, "%s/%s", cwd != NULL ? cwd : "", path);
	free(cwd);
	/* each component of p->exe appended to q, "." dropped, ".." back */
	q = p->exe;
	for(s = p->exe; *s != 0; s = e){
		while(*s == '/')
			s++;
		for(e = s; *e != 0 && *e != '/'; e++)
			;
		n = e - s;
		if(n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if(n == 2 && s[0] == '.' && s[1] == '.'){
			while(q > p->exe && *--q != '/')
				;
			continue;
		}
		*q++ = '/';
		memmove(q, s, n);
		q += n;
	}
	if(q == p->exe)
		*q++ = '/';
	*q = 0;
}

void
procfsinit(void)
{
	kif_procfs(lxproc);
}

/*
 * The target of the link at path (a namespace path): what an #L link
 * reads as, or for an fd's entry the open file's name.  NULL with
 * *err set: EINVAL when path is not a link.
 */
char *
linktarget(const char *path, int *err)
{
	char buf[MAXPATH], *s;
	int fd, dc, qtype;
	unsigned long long qpath;
	long n;
	Dir *d;

	d = kdirstat((char*)path);
	if(d == NULL){
		*err = -kerrno();
		return NULL;
	}
	if(!(d->mode & DMSYMLINK)){
		free(d);
		*err = EINVAL;
		return NULL;
	}
	free(d);
	fd = kopen((char*)path, OREAD);
	if(fd < 0)
		fd = kopen((char*)path, OWRITE);	/* an fd open for writing only */
	if(fd < 0){
		*err = -kerrno();
		return NULL;
	}
	s = NULL;
	d = NULL;
	/* an #L link reads as its target; an fd entry opens the fd's own
	 * file, which is named, not read (of /proc/self/maps, its text) */
	if(kif_fdkind(fd, &dc, &qtype, &qpath, NULL) == 0 && dc == 'L' && (d = kdirfstat(fd)) != NULL
	&& (d->mode & DMSYMLINK)){
		n = kread(fd, buf, sizeof buf - 1);
		if(n >= 0){
			buf[n] = 0;
			s = strdup(buf);
		}
	}else if(dc == '|')
		s = asprintf(&s, "pipe:[%llu]", qpath >> 4) < 0 ? NULL : s;	/* both ends: one pipe */
	else if(dc == 'I')
		s = asprintf(&s, "socket:[%llu]", qpath >> 4) < 0 ? NULL : s;	/* a conversation */
	else
		s = kfd2path(fd);
	free(d);
	kclose(fd);
	if(s == NULL)
		*err = ENOMEM;
	return s;
}

/* The end of a /proc link's name in path (absolute, in a gpath buffer)
 * that more of the path follows: /proc/P/L/ or /proc/P/task/T/L/, where
 * P is self, thread-self or a number, and L is cwd, root, exe or fd/N;
 * NULL if there is none. */
static char *
lxlinkend(char *path)
{
	char *s, *e;
	int i;

	if(strncmp(path, "/proc/", 6) != 0)
		return NULL;
	s = path + 6;
	if(strncmp(s, "self/", 5) == 0)
		s += 5;
	else if(strncmp(s, "thread-self/", 12) == 0)
		s += 12;
	else{
		for(e = s; *e >= '0' && *e <= '9'; e++)
			;
		if(e == s || *e != '/')
			return NULL;
		s = e + 1;
	}
	if(strncmp(s, "task/", 5) == 0){
		for(e = s + 5; *e >= '0' && *e <= '9'; e++)
			;
		if(e == s + 5 || *e != '/')
			return NULL;
		s = e + 1;
	}
	for(i = 0; i < 3; i++){
		static const char *const names[] = { "cwd/", "root/", "exe/" };
		if(strncmp(s, names[i], strlen(names[i])) == 0)
			return s + strlen(names[i]) - 1;
	}
	if(strncmp(s, "fd/", 3) != 0)
		return NULL;
	for(e = s + 3; *e >= '0' && *e <= '9'; e++)
		;
	return e > s + 3 && *e == '/' ? e : NULL;
}

/*
 * A path through a /proc link (/proc/self/cwd/x, /proc/self/fd/3/x,
 * /proc/self/root/etc) as Linux walks it: the link is followed and the
 * rest looked up from where it leads.  The kernel's walk cannot leave
 * #L for another device, so the link is read here and path (a gpath
 * buffer of MAXPATH) rewritten in place.  0, or -errno: ENOTDIR when the
 * link leads to no path (pipe:[…]), ELOOP past 8 links, ENAMETOOLONG.
 */
int
lxpath(char *path)
{
	char *end, *target;
	size_t n, m;
	int i, err;

	for(i = 0; (end = lxlinkend(path)) != NULL; i++){
		if(i == 8)
			return -ELOOP;
		*end = 0;
		target = linktarget(path, &err);
		*end = '/';
		if(target == NULL)
			return err == EINVAL || err == ENOENT ? 0 : -err;	/* no link: the walk says */
		if(target[0] != '/'){
			free(target);
			return -ENOTDIR;
		}
		n = strcmp(target, "/") == 0 ? 0 : strlen(target);
		m = strlen(end);
		if(n + m >= MAXPATH){
			free(target);
			return -ENAMETOOLONG;
		}
		memmove(path + n, end, m + 1);
		memcpy(path, target, n);
		free(target);
	}
	return 0;
}
