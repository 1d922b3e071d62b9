/*
 * guest.c — guest processes and threads.  A guest thread is a Vx run by
 * its own host thread, bound to its own kernel proc (so k* calls act with
 * its namespace and fds); the threads of a process share guest memory and
 * the kernel proc groups.  This file keeps the process table, runs the
 * trap loop, and ends threads and processes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "asan.h"
#include "dat.h"

/* Under AddressSanitizer: LeakSanitizer looks for pointers in the heap,
 * stacks and data, not in pages from mmap; an Lproc is such pages, and
 * what only its fd table points to (an eventfd's, an epoll's, a
 * socket's state) looked leaked where a process was still running at
 * the host's exit.  Each Lproc is a root region while it lives. */
#ifdef VXASAN
#include <sanitizer/lsan_interface.h>
#else
#define __lsan_register_root_region(p, n)
#define __lsan_unregister_root_region(p, n)
#endif

pthread_mutex_t glk = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t gcv = PTHREAD_COND_INITIALIZER;
Lproc *procs;
Vxconf conf = { .memsize = DEFMEM };

static void *cpuwatch(void *);

/* A guest's memory unless -m says: on long a window's reservation costs
 * nothing and its page arrays scale (a spawn loop measured the same at
 * 256 MiB and 1 GiB, 8-10% slower at 4 GiB); compat's guests must all
 * fit in the host's low 4 GiB. */
static uint32_t
defmem(void)
{
	return vx_engine() == VX_ENGINE_LONG ? DEFMEMLONG : DEFMEM;
}

void
vxrun_config(Vxconf *c)
{
	pthread_t th;

	conf = *c;
	if(conf.memsize == 0)
		conf.memsize = defmem();
	procfsinit();
	ptyinit();
	if(conf.cpulimit > 0 && pthread_create(&th, NULL, cpuwatch, NULL) == 0)
		pthread_detach(th);
}

/* CPU time used by the whole host process, in microseconds. */
uint64_t
cputime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* -c: past the limit every guest gets SIGXCPU's default action. */
static void *
cpuwatch(void *arg)
{
	Lproc *p;

	(void)arg;
	for(;;){
		usleep(50000);
		if(cputime() < conf.cpulimit * 1e6)
			continue;
		pthread_mutex_lock(&glk);
		for(p = procs; p != NULL; p = p->next)
			if(!p->zombie)
				killproc(p, LSIGXCPU);
		pthread_mutex_unlock(&glk);
	}
	return NULL;
}

void
pokeall(void)
{
	pthread_cond_broadcast(&gcv);
}

Mm *
newmm(uint32_t brk, uint32_t top)
{
	Mm *mm;

	mm = calloc(1, sizeof *mm);
	if(mm == NULL)
		return NULL;
	atomic_init(&mm->ref, 1);
	pthread_mutex_init(&mm->lk, NULL);
	mm->brkstart = mm->brk = brk;
	mm->mmaptop = top;
	return mm;
}

void
mmdecref(Mm *mm)
{
	if(mm == NULL || atomic_fetch_sub(&mm->ref, 1) != 1)
		return;
	shmfree(mm);
	fmapfree(mm);
	pthread_mutex_destroy(&mm->lk);
	free(mm);
}

/*
 * Freed Lprocs kept for the next newproc: a spawn frees one and makes
 * one, and munmap of a used one is a TLB shootdown of every CPU this
 * many-threaded process ran on (wait4's reaping was 2.6% of a static
 * spawn loop's samples on a PVM host), its fresh pages a fault each at
 * the next first touch.  A kept one is cleared as far as it was used:
 * its fields and its fd table below fdhi (no entry past it was ever
 * installed, so those are still zero).
 */
enum { NSPAREPROC = 4 };
static Lproc *spareproc[NSPAREPROC];
static int nspareproc;
static pthread_mutex_t sparelk = PTHREAD_MUTEX_INITIALIZER;

static Lproc *
takeproc(void)
{
	Lproc *p = NULL;

	pthread_mutex_lock(&sparelk);
	if(nspareproc > 0)
		p = spareproc[--nspareproc];
	pthread_mutex_unlock(&sparelk);
	if(p != NULL)
		memset(p, 0, offsetof(Lproc, fd) + (size_t)p->fdhi * sizeof p->fd[0]);
	return p;
}

/* 0 if p is kept for the next newproc. */
static int
keepproc(Lproc *p)
{
	int kept = 0;

	pthread_mutex_lock(&sparelk);
	if(nspareproc < NSPAREPROC){
		spareproc[nspareproc++] = p;
		kept = 1;
	}
	pthread_mutex_unlock(&sparelk);
	return kept ? 0 : -1;
}

Lproc *
newproc(Lproc *parent)
{
	Lproc *p;

	/* a kept one, or fresh zero pages, not calloc: it cleared all
	 * 68 KB, where a process uses the fd table's first page or two (a
	 * first touch is several µs on a virtual machine; doc/bench.md) */
	p = takeproc();
	if(p == NULL){
		p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if(p == MAP_FAILED)
			return NULL;
	}
	__lsan_register_root_region(p, sizeof *p);
	p->parent = parent;
	p->umask = 022;
	p->exitsig = LSIGCHLD;
	p->startns = clocknow(CLOCK_BOOTTIME);
	pthread_mutex_init(&p->flk, NULL);
	pthread_mutex_lock(&glk);
	p->next = procs;
	procs = p;
	pthread_mutex_unlock(&glk);
	return p;
}

/*
 * A spawned guest's nice value: its spawner's, as a native program
 * inherits the niceness it was started with (`nice vxinferno prog`):
 * the calling host thread's, which the guest's host threads inherit
 * too.  Linux's nice value is a thread's; getpriority of the caller
 * does not fail.
 */
static int
hostnice(void)
{
	int v;

	v = getpriority(PRIO_PROCESS, 0);
	return v < -20 ? -20 : v > 19 ? 19 : v;
}

/* With glk held: take p out of the table and free it. */
static void
unlinkproc(Lproc *p)
{
	Lproc **l;

	for(l = &procs; *l != NULL; l = &(*l)->next)
		if(*l == p){
			*l = p->next;
			break;
		}
}

/* A proc newproc made that never ran: out of the table and freed. */
void
dropproc(Lproc *p)
{
	pthread_mutex_lock(&glk);
	unlinkproc(p);
	sigflush(p, NULL);	/* a kill may have found it in the table */
	pthread_mutex_unlock(&glk);
	freeproc(p);
}

void
freeproc(Lproc *p)
{
	int i;

	for(i = 0; i < p->fdhi; i++){
		dsput(p->fd[i].ds);
		sockput(p->fd[i].sock);
		lnkput(p->fd[i].lnk);
	}
	pthread_mutex_destroy(&p->flk);
	if(p->zombietask)
		boxtaskend(p->lbox);
	boxput(p->lbox);
	p->lbox = NULL;
	__lsan_unregister_root_region(p, sizeof *p);
	if(keepproc(p) < 0)
		munmap(p, sizeof *p);
}

/* A thread of p with parent's signal mask (set before any signal can
 * see it: a process-directed signal must not find it unblocked) and
 * affinity; NULL: none blocked, every CPU. */
Lthread *
newthread(Lproc *p, Vx *vx, Mm *mm, Kproc *kp, Lthread *parent)
{
	Lthread *t;

	t = malloc(sizeof *t);
	if(t == NULL)
		return NULL;
	memset(t, 0, offsetof(Lthread, strbuf));
	t->p = p;
	t->vx = vx;
	t->mm = mm;
	t->kp = kp;
	t->tid = kif_pid(kp);
	atomic_init(&t->callnr, -1);
	pthread_mutex_lock(&glk);
	if(parent != NULL){	/* its signal mask and affinity are its parent's */
		t->mask = parent->mask;
		t->cpus = parent->cpus;
		/* and an I/O priority of a class, as Linux's copy_io */
		if(parent->ioprio >> 13 != 0)
			t->ioprio = parent->ioprio;
	}
	t->next = p->threads;
	p->threads = t;
	p->nthreads++;
	p->nlive++;
	p->ntasks++;
	/* a clone racing with exit_group or a fatal signal: killproc has
	 * already marked the threads it saw; this one must end too */
	if(p->exiting || p->dethreading)
		t->dying = 1;	/* and one racing with another thread's execve */
	pthread_mutex_unlock(&glk);
	return t;
}

/* A thread newthread made whose host thread could not be started
 * (kif_start: no memory for its stack): out of its process and freed,
 * as though never made, with its sandbox task given back; the clone
 * fails.  It never ran, so nothing but the thread list knew it. */
void
threadunmake(Lthread *t)
{
	Lthread **l;
	Lproc *p;

	p = t->p;
	pthread_mutex_lock(&glk);
	for(l = &p->threads; *l != NULL; l = &(*l)->next)
		if(*l == t){
			*l = t->next;
			break;
		}
	p->nthreads--;
	p->nlive--;
	p->ntasks--;
	sigflush(p, t);
	pokeall();
	pthread_mutex_unlock(&glk);
	boxtaskend(p->lbox);
	vx_free(t->vx);
	mmdecref(t->mm);
	kif_free(t->kp);
	free(t->sockheld);
	free(t);
}

/* With glk held: end every thread of p; status is the wait status. */
void
killproc(Lproc *p, int status)
{
	Lthread *t;

	if(p->exiting)
		return;
	p->exiting = 1;
	p->status = status;
	sigchanged(p);
	for(t = p->threads; t != NULL; t = t->next){
		t->dying = 1;
		vx_stop(t->vx);
		kif_kill(t->kp);
	}
	pokeall();
}

/* SIGCHLD's si_code for a wait status. */
static int
chldcode(int status)
{
	if((status & 0x7f) == 0)
		return LCLD_EXITED;
	return (status & 0x80) ? LCLD_DUMPED : LCLD_KILLED;
}

/* The last thread of p is gone: make it a zombie for its parent. */
static void
procend(Lproc *p)
{
	Lproc *q, *next, *dead;

	dead = NULL;
	pthread_mutex_lock(&glk);
	p->zombie = 1;
	pidfdwake(p);
	p->vforkwait = 0;
	for(q = procs; q != NULL; q = next){
		next = q->next;
		if(q->parent != p)
			continue;
		q->parent = NULL;
		orphanedhup(p, q);
		if(q->zombie && !q->toplevel){
			unlinkproc(q);
			q->next = dead;
			dead = q;
		}
	}
	orphanedhup(p, p);
	if(p->parent == NULL && !p->toplevel){
		unlinkproc(p);
		p->next = dead;
		dead = p;
	}else if(p->parent != NULL && p->exitsig != 0)
		postsigwho(p->parent, NULL, p->exitsig, &(Sigwho){ .code = chldcode(p->status), .pid = p->pid,
			.uid = hostuid(), .status = (p->status & 0x7f) ? p->status & 0x7f : (p->status >> 8) & 0xff });
	pokeall();
	pthread_mutex_unlock(&glk);
	for(; dead != NULL; dead = next){
		next = dead->next;
		freeproc(dead);
	}
}

/* A thread is finished: clear its tid word (pthread_join waits on it),
 * leave the process, free the Vx and the kernel proc.  The last thread
 * of the embedding's own guest only abandons its Vx when the embedding
 * exits next (Vxconf.exitafter): the munmaps of window, cache and
 * metadata (their TLB flushes a hypervisor trip each) took longer than
 * the host process's exit takes to drop the same memory. */
static void
threadend(Lthread *t)
{
	Lthread **l;
	Lproc *p;
	Kproc *kp;
	void *w;
	int last, abandon, done;

	p = t->p;
	robustexit(t);	/* before it leaves the list: a PI waiter takes a gone owner's lock */
	/* out of the list before the joiner wakes: /proc/PID/task no
	 * longer shows a thread that pthread_join has seen end */
	pthread_mutex_lock(&glk);
	for(l = &p->threads; *l != NULL; l = &(*l)->next)
		if(*l == t){
			*l = t->next;
			break;
		}
	threadcpuend(t);
	ptimerthreadend(p, t->tid);
	sigflush(p, t);	/* its own pending signals go with it, as Linux's */
	/* a zombie keeps its last thread's place (freeproc gives it back),
	 * as Linux counts zombies in RLIMIT_NPROC: a guest forking
	 * children that exit and never reaping them made 3,000 zombies
	 * under -P 64, each a process's host memory, with no bound */
	if(--p->ntasks == 0)
		p->zombietask = 1;
	else
		boxtaskend(p->lbox);
	pthread_mutex_unlock(&glk);
	if(t->cleartid != 0 && (w = gmem(t, t->cleartid, 4, VX_PROT_WRITE)) != NULL){
		put32(w, 0);
		futexwake(t, t->cleartid, 1, ~0u);
	}
	pthread_mutex_lock(&glk);
	last = --p->nthreads == 0;
	if(last && !p->exiting){
		p->exiting = 1;
		p->status = 0;
	}
	if(last)
		sigflush(p, NULL);	/* exiting: no more come */
	pokeall();	/* execve may wait for the other threads to go */
	pthread_mutex_unlock(&glk);
	abandon = last && p->toplevel && conf.exitafter;
	if(last){
		/* its memory's last look, before it goes; not for a guest the
		 * embedding exits after: no guest can wait for it or see its
		 * zombie's memory, and the look is a mincore of every block
		 * host calls touched */
		if(!abandon)
			usagerss(t);
		fdexit(p);
		ptyexit(p);
		ptimersfree(p, 1);
		semexit(p);
	}
	kp = t->kp;
	if(abandon)
		vx_abandon(t->vx);
	else
		vx_free(t->vx);
	mmdecref(t->mm);
	sockdrop(t);
	free(t->sockheld);
	free(t);
	kif_set(NULL);
	kif_free(kp);
	/* the zombie only once every thread has dropped its Vx: the last
	 * to drop a translation cache writes its file (vx_tcdetach), and
	 * the embedding exits when it sees the zombie (a thread killed by
	 * the exit_group of another could be the last, and its write was
	 * cut off: until session 24 the wait for the stderr pump, which
	 * ended with the threads' kernel procs, held the exit back) */
	pthread_mutex_lock(&glk);
	done = --p->nlive == 0;
	pthread_mutex_unlock(&glk);
	if(done)
		procend(p);
}

static void
dosyscall(Lthread *t, int sysenter)
{
	uint32_t a[6];
	void *p;
	long r;

	a[0] = vx_getreg(t->vx, VX_EBX);
	a[1] = vx_getreg(t->vx, VX_ECX);
	a[2] = vx_getreg(t->vx, VX_EDX);
	a[3] = vx_getreg(t->vx, VX_ESI);
	a[4] = vx_getreg(t->vx, VX_EDI);
	a[5] = vx_getreg(t->vx, VX_EBP);
	if(sysenter){
		/* the vDSO convention: the sixth argument is at 0(%ebp) */
		p = gmem(t, a[5], 4, VX_PROT_READ);
		a[5] = p != NULL ? get32(p) : 0;
	}
	t->nr = vx_getreg(t->vx, VX_EAX);
	r = lxdispatch(t, t->nr, a);
	if(r == -EAGAIN && t->nr != 102)
		fddrained(t->p, a[0]);	/* socketcall's fd is in memory: syssock.c */
	t->restart = r == -LERESTART || r == -LERESTARTNOINTR;
	if(r != NORET)
		vx_setreg(t->vx, VX_EAX, (uint32_t)r);
}

/* Linux's signal for a trap the guest caused. */
static int
trapsig(VxTrapInfo *ti)
{
	switch(ti->trap){
	case VX_TRAP_ILLEGAL:
	case VX_TRAP_SYSCALLINSN:
		return LSIGILL;
	case VX_TRAP_DIVIDE:
	case VX_TRAP_FPU:
	case VX_TRAP_SIMD:
		return LSIGFPE;
	case VX_TRAP_BREAKPOINT:
	case VX_TRAP_SINGLESTEP:
		return LSIGTRAP;
	case VX_TRAP_ALIGN:
	case VX_TRAP_BUSERR:
		return LSIGBUS;
	default:
		return LSIGSEGV;
	}
}

/* What the handler's siginfo says of a fault: Linux's si_code and
 * si_addr for a memory fault (SEGV_MAPERR 1, SEGV_ACCERR 2; BUS_ADRALN
 * 1, BUS_ADRERR 2), for #UD (ILL_ILLOPN 2) and #DE (FPE_INTDIV 1) the
 * instruction's address, for a single step (TRAP_TRACE 2) and int1
 * (TRAP_BRKPT 1) the next instruction's, SI_KERNEL for the rest. */
static void
faultinfo(Lthread *t, VxTrapInfo *ti)
{
	t->fltsig = trapsig(ti);
	t->fltcode = 0x80;
	t->fltaddr = 0;
	switch(ti->trap){
	case VX_TRAP_PAGEFAULT:
		t->fltcode = vx_pageprot(t->vx, ti->addr) >= 0 ? 2 : 1;
		t->fltaddr = ti->addr;
		break;
	case VX_TRAP_BUSERR:
		t->fltcode = 2;
		t->fltaddr = ti->addr;
		break;
	case VX_TRAP_ALIGN:
		t->fltcode = 1;
		t->fltaddr = ti->addr;
		break;
	case VX_TRAP_ILLEGAL:
		t->fltcode = 2;
		t->fltaddr = ti->eip;
		break;
	case VX_TRAP_DIVIDE:
		t->fltcode = 1;
		t->fltaddr = ti->eip;
		break;
	case VX_TRAP_SINGLESTEP:
		t->fltcode = 2;
		t->fltaddr = ti->eip;
		break;
	case VX_TRAP_BREAKPOINT:
		if(ti->vector == 1){	/* int1: #DB (int3's is SI_KERNEL) */
			t->fltcode = 1;
			t->fltaddr = vx_getreg(t->vx, VX_EIP);	/* ti->eip is its own */
		}
		break;
	}
}

/*
 * A fork's copy of guest memory must be of one moment, as Linux's is
 * (it write-protects each page it copies, and a thread that stores to
 * one afterwards waits for the fork to end).  Copied page by page
 * while the process's other threads run, a child could see a thread's
 * later store and miss its earlier one: glibc's free pushes a chunk on
 * a fastbin without the arena lock (the chunk's link, then the bin's
 * head), and python's asyncio and multiprocessing forks died in the
 * child with "malloc(): unaligned fastbin chunk detected".  So a fork
 * stops the other threads of its process at their next exit from guest
 * code (vx_stop) and keeps them out, signal frames included, until its
 * copy is made.  A thread in a system call is let be: its copy-out of a
 * result is not held back.
 */
static void
leaveguest(Lthread *t)
{
	atomic_store(&t->inguest, 0);
	if(atomic_load(&t->p->forking) != 0){
		pthread_mutex_lock(&glk);
		pthread_cond_broadcast(&gcv);
		pthread_mutex_unlock(&glk);
	}
}

/* 0 when t may run guest code, -1 if it is to end instead. */
static int
enterguest(Lthread *t)
{
	Lproc *p = t->p;

	for(;;){
		atomic_store(&t->inguest, 1);
		if(atomic_load(&p->forking) == 0)
			return 0;
		leaveguest(t);
		pthread_mutex_lock(&glk);
		while(atomic_load(&p->forking) != 0 && !t->dying)
			pthread_cond_wait(&gcv, &glk);
		pthread_mutex_unlock(&glk);
		if(t->dying)
			return -1;
	}
}

/* May system call nr change the kernel's fd table, for a while or for
 * good?  No for the calls that wait longest (I/O on fds that exist,
 * waits for time, futexes, children and signals), so that a thread
 * blocked in one costs a fork nothing (fdreconcile). */
static int
fdquiet(int nr)
{
	switch(nr){
	case 3: case 4: case 145: case 146: case 180: case 181:	/* read write readv writev pread64 pwrite64 */
	case 168: case 309: case 414: case 142: case 308: case 413:	/* poll ppoll _newselect pselect6 */
	case 256: case 319: case 441:	/* epoll_wait epoll_pwait epoll_pwait2 */
	case 240: case 422: case 162: case 267: case 407:	/* futex nanosleep clock_nanosleep */
	case 7: case 114: case 284:	/* waitpid wait4 waitid */
	case 29: case 179: case 177: case 421:	/* pause rt_sigsuspend rt_sigtimedwait */
	case 369: case 371:	/* sendto recvfrom */
		return 1;
	}
	return 0;
}

/* Every other thread of t's process out of guest code until
 * forkrelease.  1 if one of them may be in a system call meanwhile (one
 * begun before: none can begin during the hold) that changes the
 * kernel's fd table and fd[] one after the other (fdreconcile). */
int
forkhold(Lthread *t)
{
	Lproc *p = t->p;
	Lthread *o;
	int busy, nr;

	pthread_mutex_lock(&glk);
	atomic_fetch_add(&p->forking, 1);
	for(o = p->threads; o != NULL; o = o->next)
		if(o != t)
			vx_stop(o->vx);
	for(;;){
		for(o = p->threads; o != NULL; o = o->next)
			if(o != t && atomic_load(&o->inguest))
				break;
		if(o == NULL)
			break;
		pthread_cond_wait(&gcv, &glk);
	}
	busy = 0;
	for(o = p->threads; o != NULL; o = o->next)
		if(o != t && (nr = atomic_load(&o->callnr)) >= 0 && !fdquiet(nr))
			busy = 1;
	pthread_mutex_unlock(&glk);
	return busy;
}

void
forkrelease(Lthread *t)
{
	pthread_mutex_lock(&glk);
	atomic_fetch_sub(&t->p->forking, 1);
	pthread_cond_broadcast(&gcv);
	pthread_mutex_unlock(&glk);
}

/* Does system call nr leave its thread's signal mask, saved mask and
 * handlers alone (deliverquiet)?  The file calls: read, write and
 * their vector and positional kinds, lseek, stat, open, close,
 * getdents64, access, readlink. */
static int
quietcall(int nr)
{
	switch(nr){
	case 3: case 4: case 145: case 146: case 180: case 181:	/* read write readv writev pread64 pwrite64 */
	case 19: case 140: case 5: case 295: case 6:	/* lseek _llseek open openat close */
	case 195: case 196: case 197: case 300: case 383:	/* stat64 lstat64 fstat64 fstatat64 statx */
	case 220: case 33: case 307: case 85: case 305:	/* getdents64 access faccessat readlink readlinkat */
		return 1;
	}
	return 0;
}

void
guestloop(Lthread *t)
{
	VxTrapInfo ti;
	int trap, r, quiet;

	quiet = 0;
	for(;;){
		atomic_store(&t->callnr, -1);
		if(enterguest(t) < 0)
			return;
		r = quiet && deliverquiet(t) ? 0 : deliver(t, NULL);
		quiet = 0;
		if(r < 0 || t->dying){
			leaveguest(t);
			return;
		}
		if(r > 0){
			leaveguest(t);
			stopwait(t);
			continue;
		}
		memset(&ti, 0, sizeof ti);
		trap = vx_run(t->vx, &ti);
		/* before inguest goes: forkhold */
		if(trap == VX_TRAP_SYSCALL || trap == VX_TRAP_SYSENTER || (trap == VX_TRAP_INT && ti.vector == 0x80))
			atomic_store(&t->callnr, (int)vx_getreg(t->vx, VX_EAX));
		leaveguest(t);
		switch(trap){
		case VX_TRAP_SYSCALL:
			dosyscall(t, 0);
			quiet = quietcall(t->nr);
			break;
		case VX_TRAP_SYSENTER:
			dosyscall(t, 1);
			quiet = quietcall(t->nr);
			break;
		case VX_TRAP_INT:
			if(ti.vector == 0x80){
				dosyscall(t, 0);
				quiet = quietcall(t->nr);
			}else
				forcesig(t, LSIGSEGV);
			break;
		case VX_TRAP_PREEMPT:
			break;
		default:
			if(conf.trace)
				fprintf(stderr, "[%d] trap %d eip=%#x addr=%#x\n", t->tid, ti.trap, ti.eip, ti.addr);
			faultinfo(t, &ti);
			forcesig(t, t->fltsig);
			break;
		}
	}
}

/* The body of a guest thread's host thread, bound to t->kp by kif_start. */
static void
threadmain(void *arg)
{
	Lthread *t;

	t = arg;
	threadcpustart(t);
	guestloop(t);
	threadend(t);
}

int
startthread(Lthread *t)
{
	return kif_start(t->kp, threadmain, t);
}

/* Shell status of a Linux wait status. */
static int
shellstatus(int st)
{
	if((st & 0x7f) == 0)
		return (st >> 8) & 0xff;
	return 128 + (st & 0x7f);
}

/* With glk held: the spawned guest pid, or NULL. */
static Lproc *
toplevel(int pid)
{
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		if(p->pid == pid && p->toplevel)
			return p;
	return NULL;
}

int
vxrun_wait(int pid)
{
	return vxrun_waitfor(pid, -1);
}

int
vxrun_waitfor(int pid, int ms)
{
	struct timespec ts;
	Lproc *p;
	int st;

	if(ms >= 0){
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (long)(ms % 1000) * 1000000;
		if(ts.tv_nsec >= 1000000000){
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&glk);
	for(;;){
		p = toplevel(pid);
		if(p == NULL){
			pthread_mutex_unlock(&glk);
			return -1;
		}
		if(p->zombie)
			break;
		if(ms < 0)
			pthread_cond_wait(&gcv, &glk);
		else if(pthread_cond_timedwait(&gcv, &glk, &ts) == ETIMEDOUT && !p->zombie){
			pthread_mutex_unlock(&glk);
			return -2;
		}
	}
	st = p->status;
	unlinkproc(p);
	pthread_mutex_unlock(&glk);
	freeproc(p);
	return shellstatus(st);
}

int
vxrun_kill(int pid, int sig)
{
	Lproc *p, *top;

	pthread_mutex_lock(&glk);
	top = toplevel(pid);
	if(top == NULL){
		pthread_mutex_unlock(&glk);
		return -1;
	}
	/* the guest leads a session: its descendants are in it unless they left */
	for(p = procs; p != NULL; p = p->next){
		if(p->zombie || (p != top && p->sid != top->sid))
			continue;
		if(sig == LSIGKILL)
			killproc(p, LSIGKILL);
		else if(sig != 0)
			postsig(p, NULL, sig);
	}
	pthread_mutex_unlock(&glk);
	return 0;
}

int
vxrun_signalall(int sig)
{
	Lproc *p;
	int n;

	n = 0;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		if(!p->zombie && !p->exiting){
			postsig(p, NULL, sig);
			n++;
		}
	pthread_mutex_unlock(&glk);
	return n;
}

int
vxrun_nguests(void)
{
	Lproc *p;
	int n;

	n = 0;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		n += !p->zombie;
	pthread_mutex_unlock(&glk);
	return n;
}

/* Top of mmap space: below the stack region vx_loadelf made and the
 * guard gap it leaves under it (VxImage.maptop). */
Mm *
mmforimage(VxImage *img)
{
	return newmm(img->brk, img->maptop);
}

int
vxrun_spawn(const char *path, char *const argv[], char *const envp[], char *err, int nerr)
{
	return vxrun_spawnbounded(path, argv, envp, NULL, err, nerr);
}

int
vxrun_spawnmem(const char *path, char *const argv[], char *const envp[], uint32_t memsize,
	char *err, int nerr)
{
	Vxbounds b = { .memsize = memsize };

	return vxrun_spawnbounded(path, argv, envp, &b, err, nerr);
}

int
vxrun_spawnbounded(const char *path, char *const argv[], char *const envp[], const Vxbounds *bounds,
	char *err, int nerr)
{
	VxImage img;
	Lthread *t;
	Lproc *p;
	Lbox *box;
	Kproc *kp, *save;
	Vx *vx;
	Mm *mm;
	unsigned long long qpath;
	uint32_t memsize;
	int i, dc, qtype;

	gcopywire();	/* the kernel's pipes copy as guests' calls need */

	save = kif_cur();
	kp = kif_new((conf.shareenv ? KIF_FORKFD : KIF_FORKFD|KIF_FORKENV) | KIF_FORKDOT | KIF_NEWBOX);
	if(kp == NULL){
		kgerrstr(err, nerr);
		return -1;
	}
	memsize = bounds != NULL && bounds->memsize != 0 ? bounds->memsize : conf.memsize;
	if(memsize == 0)
		memsize = defmem();
	box = boxnew(bounds, memsize, kp);
	if(box == NULL || boxtask(box, RLNONE) < 0){
		snprintf(err, nerr, "out of memory");
		boxput(box);
		kif_free(kp);
		return -1;
	}
	kif_set(kp);
	if(loadprog(box, &vx, path, argv, envp, memsize, &img, err, nerr) < 0){
		kif_set(save);
		boxput(box);
		kif_free(kp);
		return -1;
	}
	p = newproc(NULL);
	mm = mmforimage(&img);
	if(p == NULL || mm == NULL){
		snprintf(err, nerr, "out of memory");
		goto fail;
	}
	p->toplevel = 1;
	p->nice = hostnice();
	boxrlimits(box, memsize, p->rlim);
	p->lbox = box;
	box = NULL;
	for(i = 1; i <= 64; i++)
		if((conf.sigignore >> (i - 1) & 1) && i != LSIGKILL && i != LSIGSTOP)
			p->act[i].handler = 1;	/* SIG_IGN */
	setexe(p, path);
	setcmdline(p, argv);
	for(i = 0; i < 64; i++)
		if(kif_fdkind(i, &dc, &qtype, &qpath, NULL) == 0)
			fdinstall(p, i, 2, 0);
	kif_set(save);
	t = newthread(p, vx, mm, kp, NULL);
	if(t == NULL){
		snprintf(err, nerr, "out of memory");
		kif_set(kp);
		goto fail;
	}
	pthread_mutex_lock(&glk);
	p->pid = t->tid;
	p->pgid = p->sid = p->pid;	/* each spawned guest leads a session */
	p->box = p->pid;	/* and a sandbox of its own (lock.c's shares) */
	pthread_mutex_unlock(&glk);
	if(startthread(t) < 0){
		snprintf(err, nerr, "cannot create a host thread");
		return -1;	/* cannot be undone cleanly; the guest never runs */
	}
	return p->pid;
fail:
	if(p != NULL){
		pthread_mutex_lock(&glk);
		unlinkproc(p);
		pthread_mutex_unlock(&glk);
		freeproc(p);
	}
	vx_free(vx);
	mmdecref(mm);
	kif_set(save);
	boxput(box);	/* when p did not take it */
	kif_free(kp);
	return -1;
}
