/*
 * sysproc.c — processes and threads: fork, vfork and clone (a process is
 * a Vx copy on a new kernel proc with a copy of the fd table and
 * environment and the same namespace, or with vfork's CLONE_VM a Vx
 * sharing the parent's memory; a thread is a Vx sharing memory on
 * a kernel proc sharing everything), execve, wait4, exit, and the ids.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "dat.h"

enum {
	LCLONE_VM = 0x100, LCLONE_FS = 0x200, LCLONE_FILES = 0x400, LCLONE_SIGHAND = 0x800,
	LCLONE_VFORK = 0x4000, LCLONE_PARENT = 0x8000, LCLONE_THREAD = 0x10000,
	LCLONE_SYSVSEM = 0x40000, LCLONE_SETTLS = 0x80000, LCLONE_PARENT_SETTID = 0x100000,
	LCLONE_CHILD_CLEARTID = 0x200000, LCLONE_DETACHED = 0x400000,
	LCLONE_CHILD_SETTID = 0x1000000,
	LCLONE_NEWANY = 0x20000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000,
	LWNOHANG = 1, LWUNTRACED = 2, LWCONTINUED = 8,
};

/* With glk held: must a blocking call give up for a signal or an end? */
int
interrupted(Lthread *t)
{
	return t->dying || ((t->pending | t->p->pending) & ~t->mask) != 0;
}

static long
putid(Lthread *t, uint32_t addr, int id)
{
	void *p;

	p = gmem(t, addr, 4, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	put32(p, id);
	return 0;
}

static long
newthreadcall(Lthread *t, uint32_t flags, uint32_t sp, uint32_t ptid, uint32_t tls, uint32_t ctid)
{
	char err[VX_ERRLEN];
	Tlsdesc td;
	Lthread *nt;
	Kproc *kp;
	Vx *vx;
	int tid, r;

	if((flags & (LCLONE_VM | LCLONE_SIGHAND)) != (LCLONE_VM | LCLONE_SIGHAND))
		return -EINVAL;
	if(boxtask(t->p->lbox, t->p->rlim[RLNPROC][0]) < 0)
		return -EAGAIN;	/* the sandbox's threads: RLIMIT_NPROC's error */
	if((flags & LCLONE_SETTLS) && (r = clonetls(t, tls, &td)) < 0){
		boxtaskend(t->p->lbox);
		return r;	/* Linux's clone fails and makes nothing */
	}
	vx = vx_thread(t->vx, err);
	if(vx == NULL){
		boxtaskend(t->p->lbox);
		return -ENOMEM;
	}
	kp = kif_new(0);
	if(kp == NULL){
		vx_free(vx);
		boxtaskend(t->p->lbox);
		return -EAGAIN;
	}
	atomic_fetch_add(&t->mm->ref, 1);
	nt = newthread(t->p, vx, t->mm, kp, t);
	if(nt == NULL){
		vx_free(vx);
		mmdecref(t->mm);
		kif_free(kp);
		boxtaskend(t->p->lbox);
		return -ENOMEM;
	}
	memcpy(nt->comm, t->comm, sizeof nt->comm);
	nt->policy = t->policy & ~SCHEDRESETFORK;
	vx_setreg(vx, VX_EAX, 0);
	if(sp != 0)
		vx_setreg(vx, VX_ESP, sp);
	if(flags & LCLONE_SETTLS)
		clonetlsput(nt, &td);
	if(flags & LCLONE_PARENT_SETTID)
		putid(t, ptid, nt->tid);
	if(flags & LCLONE_CHILD_SETTID)
		putid(nt, ctid, nt->tid);
	if(flags & LCLONE_CHILD_CLEARTID)
		nt->cleartid = ctid;
	tid = nt->tid;		/* once started, nt may end and be freed at any time */
	if(startthread(nt) < 0){
		threadunmake(nt);	/* it never ran: Linux's clone fails whole */
		return -EAGAIN;
	}
	return tid;
}

/* With glk held: is p's child pid still in its vfork (not exec'd or gone)? */
static int
vforkwaiting(Lproc *p, int pid)
{
	Lproc *q;

	for(q = procs; q != NULL; q = q->next)
		if(q->pid == pid && q->parent == p)
			return q->vforkwait;
	return 0;
}

static long
newproccall(Lthread *t, uint32_t flags, uint32_t sp, uint32_t ptid, uint32_t tls, uint32_t ctid)
{
	char err[VX_ERRLEN];
	Tlsdesc td;
	Lthread *nt;
	Lproc *np;
	Kproc *kp;
	Vx *vx;
	Mm *mm;
	int pid, held, busy, r;

	/* before any copy, as Linux checks RLIMIT_NPROC */
	if(boxtask(t->p->lbox, t->p->rlim[RLNPROC][0]) < 0)
		return -EAGAIN;
	/* the TLS descriptor is the parent's memory, the child's of this moment */
	if((flags & LCLONE_SETTLS) && (r = clonetls(t, tls, &td)) < 0){
		boxtaskend(t->p->lbox);
		return r;
	}
	held = busy = 0;
	if(flags & LCLONE_VM){
		vx = vx_thread(t->vx, err);	/* vfork, posix_spawn: shares memory until execve */
		mm = t->mm;
		if(vx != NULL)
			atomic_fetch_add(&mm->ref, 1);
		/* no thread is stopped: any other may be opening or closing
		 * an fd as the table is copied, and its kernel fd would
		 * outlive the child's exec (202 of 2,000 vfork children
		 * beside a thread making pipes had one: a pipe end held
		 * open in a program that never knew it) */
		pthread_mutex_lock(&glk);
		busy = t->p->nthreads > 1;
		pthread_mutex_unlock(&glk);
	}else{
		/* the memory and its file records of one moment: no other
		 * thread runs guest code, or maps or unmaps, meanwhile; held
		 * until the fd table is copied too (fdcopy), so that no
		 * call begins meanwhile */
		busy = forkhold(t);
		held = 1;
		pthread_mutex_lock(&t->mm->lk);
		vx = vx_fork(t->vx, err);
		mm = NULL;
		if(vx != NULL){
			mm = newmm(t->mm->brkstart, t->mm->mmaptop);
			if(mm != NULL)
				mm->brk = t->mm->brk;
			if(mm != NULL && (fmapcopy(mm, t->mm) < 0 || shmcopy(mm, t->mm) < 0)){
				mmdecref(mm);
				mm = NULL;
			}
		}
		pthread_mutex_unlock(&t->mm->lk);
	}
	kp = NULL;
	np = vx != NULL && mm != NULL ? newproc(t->p) : NULL;
	if(np != NULL){
		/* the kernel's fd table with ours, of one moment */
		fdcopy(np, t->p, &kp, ((flags & LCLONE_FILES) ? KIF_FORKENV : KIF_FORKFD | KIF_FORKENV) |
			((flags & LCLONE_FS) ? 0 : KIF_FORKDOT));
		if(kp != NULL && busy && !(flags & LCLONE_FILES))
			fdreconcile(np, kp);
	}
	if(held)
		forkrelease(t);
	if(vx == NULL || mm == NULL || kp == NULL){
		if(np != NULL)
			dropproc(np);
		vx_free(vx);
		mmdecref(mm);
		boxtaskend(t->p->lbox);
		/* the kernel's part of a process is memory too: its
		 * environment's copy may be past the sandbox's bound */
		return -ENOMEM;
	}
	np->exitsig = flags & 0xff;
	np->umask = t->p->umask;
	np->box = t->p->box;
	np->lbox = boxget(t->p->lbox);
	memcpy(np->exe, t->p->exe, sizeof np->exe);
	memcpy(np->cmdline, t->p->cmdline, sizeof np->cmdline);
	np->ncmdline = t->p->ncmdline;
	pthread_mutex_lock(&glk);
	memcpy(np->act, t->p->act, sizeof np->act);
	np->pgid = t->p->pgid;
	np->sid = t->p->sid;
	np->noctty = t->p->noctty;
	np->nice = t->p->nice;
	memcpy(np->rlim, t->p->rlim, sizeof np->rlim);
	np->fgpgrp = t->p->fgpgrp;
	pthread_mutex_unlock(&glk);
	nt = newthread(np, vx, mm, kp, t);
	if(nt == NULL){
		/* cannot happen short of memory exhaustion; leaks the proc entry */
		vx_free(vx);
		mmdecref(mm);
		kif_free(kp);
		boxtaskend(t->p->lbox);
		return -ENOMEM;
	}
	np->pid = pid = nt->tid;
	memcpy(nt->comm, t->comm, sizeof nt->comm);
	nt->policy = t->policy & ~SCHEDRESETFORK;
	/* a forked child keeps its alternate signal stack (a copy of the
	 * parent's memory); a child sharing memory gets none unless vfork
	 * stops the parent (Linux's copy_process) */
	if(!(flags & LCLONE_VM) || (flags & LCLONE_VFORK)){
		nt->altsp = t->altsp;
		nt->altsize = t->altsize;
		nt->altflags = t->altflags;
	}
	vx_setreg(vx, VX_EAX, 0);
	if(sp != 0)
		vx_setreg(vx, VX_ESP, sp);
	if(flags & LCLONE_SETTLS)
		clonetlsput(nt, &td);
	if(flags & LCLONE_PARENT_SETTID)
		putid(t, ptid, pid);
	if(flags & LCLONE_CHILD_SETTID)
		putid(nt, ctid, pid);
	if(flags & LCLONE_CHILD_CLEARTID)
		nt->cleartid = ctid;
	np->vforkwait = (flags & LCLONE_VFORK) != 0;
	if(startthread(nt) < 0){
		/* a process whose one thread never ran: no child at all */
		threadunmake(nt);
		dropproc(np);
		return -EAGAIN;
	}
	if(flags & LCLONE_VFORK){
		/* np may be reaped (and freed) by another thread of ours once
		 * it exits: find it again by pid on every wake-up */
		pthread_mutex_lock(&glk);
		while(!t->dying && vforkwaiting(t->p, pid))
			pthread_cond_wait(&gcv, &glk);
		pthread_mutex_unlock(&glk);
	}
	return pid;
}

/* clone(flags, newsp, parent_tid, tls, child_tid) — i386 argument order */
long
sys_clone(Lthread *t, uint32_t *a)
{
	/* a new mount, pid, user, net, ipc, uts or cgroup namespace:
	 * refused as to a process without CAP_SYS_ADMIN (or without user
	 * namespaces), not made and ignored */
	if(a[0] & LCLONE_NEWANY)
		return -EPERM;
	if(a[0] & LCLONE_THREAD)
		return newthreadcall(t, a[0], a[1], a[2], a[3], a[4]);
	return newproccall(t, a[0], a[1], a[2], a[3], a[4]);
}

long
sys_fork(Lthread *t, uint32_t *a)
{
	(void)a;
	return newproccall(t, LSIGCHLD, 0, 0, 0, 0);
}

/* vfork: Linux's clone(CLONE_VM|CLONE_VFORK), the child running on the
 * parent's memory (and stack) while the parent waits until it execs or
 * exits; its fd table, signal handlers and process are its own.  (It
 * was a vx_fork copy of every page the parent had written, for a child
 * that mostly only execs.) */
long
sys_vfork(Lthread *t, uint32_t *a)
{
	(void)a;
	return newproccall(t, LCLONE_VM | LCLONE_VFORK | LSIGCHLD, 0, 0, 0, 0);
}

static void
freeargs(char **v)
{
	free(v);
}

/* A copy of a guest argv or envp array, its strings after its pointers
 * in one allocation (freeargs); each string and its pointer spend
 * strlen + 5 of *budget, the bytes the loader takes (VX_MAXARGBYTES),
 * a string at most VX_MAXARGSTRLEN with its NUL: past them E2BIG, before
 * more is copied (8192 strings of 4 KiB each in argv and envp took 64 MiB
 * of the host for each execve).  NULL with *err set. */
static char **
copyargs(Lthread *t, uint32_t addr, uint32_t *budget, int *err)
{
	char **v, *s;
	uint8_t *p;
	uint32_t n, i;
	long k;

	for(n = 0; addr != 0; n++){
		if(4 * (n + 1) > *budget){
			*err = E2BIG;
			return NULL;
		}
		p = gmem(t, addr + 4 * n, 4, VX_PROT_READ);
		if(p == NULL){
			*err = EFAULT;
			return NULL;
		}
		if(get32(p) == 0)
			break;
	}
	v = malloc((n + 1) * sizeof *v + *budget);
	if(v == NULL){
		*err = ENOMEM;
		return NULL;
	}
	s = (char*)(v + n + 1);
	for(i = 0; i < n; i++){
		p = gmem(t, addr + 4 * i, 4, VX_PROT_READ);
		k = p == NULL ? -EFAULT : *budget < 5 ? -ENAMETOOLONG :
			gstrcpy(t, get32(p), s, *budget - 4 < VX_MAXARGSTRLEN ? *budget - 4 : VX_MAXARGSTRLEN);
		if(k < 0){
			*err = k == -ENAMETOOLONG ? E2BIG : EFAULT;
			free(v);
			return NULL;
		}
		v[i] = s;
		s += k + 1;
		*budget -= k + 5;
	}
	v[n] = NULL;
	return v;
}

/* With glk held: end the other threads of t's process and wait for them.
 * -1 if t is itself ending: another thread's execve or exit_group came
 * first (two threads each waiting here for the other would wait forever). */
static int
dethread(Lthread *t)
{
	Lthread *o;

	if(t->dying)
		return -1;
	for(o = t->p->threads; o != NULL; o = o->next)
		if(o != t){
			o->dying = 1;
			sigchanged(t->p);
			vx_stop(o->vx);
			kif_kill(o->kp);
		}
	/* a thread asleep on gcv (pause, sigsuspend, a wait4 without a
	 * kernel call) sees its dying only when woken: killproc's poke */
	pokeall();
	t->p->dethreading++;	/* a thread made meanwhile (clone) ends too */
	while(t->p->nthreads > 1 && !t->dying)
		pthread_cond_wait(&gcv, &glk);
	t->p->dethreading--;
	return t->dying ? -1 : 0;
}

long
sys_execve(Lthread *t, uint32_t *a)
{
	char err[ERRMAX], *path, **argv, **envp;
	uint32_t budget;
	VxImage img;
	Vx *nvx, *old;
	Mm *mm, *oldmm;
	int e;
	long r;

	path = gpath(t, a[0], &e);
	if(path == NULL)
		return -e;
	path = strdup(strcmp(path, "/proc/self/exe") == 0 ? t->p->exe : path);
	budget = VX_MAXARGBYTES;
	argv = copyargs(t, a[1], &budget, &e);
	envp = argv != NULL ? copyargs(t, a[2], &budget, &e) : NULL;
	if(path == NULL || argv == NULL || envp == NULL){
		free(path);
		freeargs(argv);
		freeargs(envp);
		return path == NULL ? -ENOMEM : -e;
	}
	r = loadprog(t->p->lbox, &nvx, path, argv, envp, vx_memsize(t->vx), &img, err, sizeof err);
	if(r == 0)
		setcmdline(t->p, argv);
	freeargs(argv);
	freeargs(envp);
	if(r < 0){
		if(conf.trace)
			fprintf(stderr, "[%d] execve: %s\n", t->tid, err);
		free(path);
		return r;
	}
	mm = mmforimage(&img);
	if(mm == NULL){
		vx_free(nvx);
		free(path);
		return -ENOMEM;
	}
	/* the point of no return, unless another thread got there first */
	pthread_mutex_lock(&glk);
	if(dethread(t) < 0){
		pthread_mutex_unlock(&glk);
		vx_free(nvx);
		mmdecref(mm);
		free(path);
		return NORET;	/* t is dying: guestloop ends it */
	}
	t->p->execed = 1;	/* its parent's setpgid of it is EACCES from now (before
				 * the close-on-exec fds close: a parent may wait for that) */
	pthread_mutex_unlock(&glk);
	robustexit(t);	/* the old program's robust mutexes, as Linux's exec */
	usagerss(t);	/* the old program's memory: Linux keeps its high water */
	/* the new memory in place under glk: /proc (maps, stat) looks
	 * at a process's first thread's with glk held */
	pthread_mutex_lock(&glk);
	old = t->vx;
	t->vx = nvx;
	oldmm = t->mm;
	t->mm = mm;
	pthread_mutex_unlock(&glk);
	vx_free(old);
	mmdecref(oldmm);
	t->cleartid = 0;
	t->tlsused = 0;
	t->altsp = t->altsize = 0;	/* the old program's signal stack is gone */
	t->altflags = 0;
	setexe(t->p, path);
	memset(t->comm, 0, sizeof t->comm);	/* the new program's name */
	free(path);
	fdcloexec(t->p);
	ptimersfree(t->p, 0);	/* Linux's exec deletes the POSIX timers, not setitimer's */
	pthread_mutex_lock(&glk);
	sigexec(t->p);
	t->p->vforkwait = 0;
	pokeall();
	pthread_mutex_unlock(&glk);
	return NORET;
}

/* Does child c match wait4's pid argument for parent p? */
static int
waitmatch(Lproc *c, Lproc *p, int32_t pid)
{
	if(c->parent != p)
		return 0;
	if(pid > 0)
		return c->pid == pid;
	if(pid == -1)
		return 1;
	return c->pgid == (pid == 0 ? p->pgid : -pid);
}

/* What a wait waits for: a child's end, stop or continue. */
enum { WANTEXIT = 1, WANTSTOP = 2, WANTCONT = 4 };

/* Has child c a stop or continue to report that want asks for? */
static int
waitevent(Lproc *c, int want)
{
	if((c->waitst & 0xff) == 0x7f)
		return (want & WANTSTOP) != 0;
	return c->waitst == 0xffff && (want & WANTCONT);
}

/* Wait for a child matching pid (as wait4's argument) to end (or stop or
 * go on, as want asks): 1 and its pid, status and usage (an ended child
 * reaped, its usage the parent's children's, unless nowait; a stop's
 * or continue's usage none), 0 when none has ended and nohang,
 * -ECHILD when none matches, -LERESTART for a signal. */
static long
waitchild(Lthread *t, int32_t pid, int want, int nohang, int nowait, int *id, int *status, Lusage *ru)
{
	Lproc *c, **l;
	int any;

	pthread_mutex_lock(&glk);
	for(;;){
		any = 0;
		for(l = &procs; (c = *l) != NULL; l = &c->next){
			if(!waitmatch(c, t->p, pid))
				continue;
			any = 1;
			if(c->zombie && (want & WANTEXIT)){
				if(!nowait)
					*l = c->next;
				break;
			}
			if(!c->zombie && waitevent(c, want))
				break;
		}
		if(c != NULL || !any || nohang)
			break;
		if(interrupted(t)){
			pthread_mutex_unlock(&glk);
			return -LERESTART;
		}
		pthread_cond_wait(&gcv, &glk);
	}
	if(c != NULL && !c->zombie){
		*id = c->pid;
		*status = c->waitst;
		if(!nowait)
			c->waitst = 0;
		memset(ru, 0, sizeof *ru);
		pthread_mutex_unlock(&glk);
		return 1;
	}
	if(c != NULL){
		*id = c->pid;
		*status = c->status;
		usagereap(nowait ? NULL : t->p, c, ru);
	}
	pthread_mutex_unlock(&glk);
	if(c == NULL)
		return any ? 0 : -ECHILD;
	if(!nowait)
		freeproc(c);
	return 1;
}

static long
dowait(Lthread *t, int32_t pid, uint32_t staddr, uint32_t options, uint32_t rusage)
{
	uint8_t *st, *ru;
	int id, status;
	Lusage u;
	long r;

	if(options & ~(uint32_t)(LWNOHANG | LWUNTRACED | LWCONTINUED | 0x40000000 | 0x80000000 | 0x20000000))
		return -EINVAL;
	if(pid == INT32_MIN)	/* as Linux: -pid would overflow */
		return -ESRCH;
	r = waitchild(t, pid, WANTEXIT | ((options & LWUNTRACED) ? WANTSTOP : 0) | ((options & LWCONTINUED) ? WANTCONT : 0),
		(options & LWNOHANG) != 0, 0, &id, &status, &u);
	if(r <= 0)
		return r;
	/* as Linux: the child is reaped even if the status cannot be stored */
	st = staddr ? gmem(t, staddr, 4, VX_PROT_WRITE) : NULL;
	ru = rusage ? gmem(t, rusage, 72, VX_PROT_WRITE) : NULL;
	if((staddr && st == NULL) || (rusage && ru == NULL))
		return -EFAULT;
	if(st != NULL)
		put32(st, status);
	if(ru != NULL)
		putrusage(ru, &u);
	return id;
}

/*
 * waitid(idtype, id, infop, options, rusage): wait4 told in siginfo,
 * for the ends (WEXITED), stops (WSTOPPED) and continues (WCONTINUED)
 * asked; WNOWAIT leaves the child to be waited for again.  With WNOHANG
 * and nothing to report, the siginfo's si_signo and si_pid are 0, as
 * Linux leaves them.
 */
long
sys_waitid(Lthread *t, uint32_t *a)
{
	enum { P_ALL = 0, P_PID, P_PGID, P_PIDFD, LWEXITED = 4, LWSTOPPED = 2, LWNOWAIT = 0x01000000,
		CLD_EXITED = 1, CLD_KILLED, CLD_DUMPED, SIGINFOSIZE = 128 };
	uint8_t *info, *ru;
	int32_t id, pid;
	int cpid, status;
	Lusage u;
	long r;

	id = a[1];
	if(a[3] & ~(uint32_t)(LWNOHANG | LWSTOPPED | LWEXITED | LWCONTINUED | LWNOWAIT | 0x40000000 | 0x80000000 | 0x20000000))
		return -EINVAL;
	if(!(a[3] & (LWEXITED | LWSTOPPED | LWCONTINUED)))
		return -EINVAL;
	switch(a[0]){
	case P_ALL: pid = -1; break;
	case P_PID: if(id <= 0) return -EINVAL; pid = id; break;
	case P_PGID: if(id < 0) return -EINVAL; pid = -id; break;
	case P_PIDFD: if((pid = pidfdpid(t->p, id)) < 0) return pid; break;
	default: return -EINVAL;
	}
	info = a[2] ? gmem(t, a[2], SIGINFOSIZE, VX_PROT_WRITE) : NULL;
	ru = a[4] ? gmem(t, a[4], 72, VX_PROT_WRITE) : NULL;
	if((a[2] && info == NULL) || (a[4] && ru == NULL))
		return -EFAULT;
	r = waitchild(t, pid, ((a[3] & LWEXITED) ? WANTEXIT : 0) | ((a[3] & LWSTOPPED) ? WANTSTOP : 0) |
		((a[3] & LWCONTINUED) ? WANTCONT : 0), (a[3] & LWNOHANG) != 0, (a[3] & LWNOWAIT) != 0, &cpid, &status, &u);
	if(r < 0)
		return r;
	if(info != NULL){
		memset(info, 0, SIGINFOSIZE);
		if(r > 0){
			put32(info, LSIGCHLD);
			if(status == 0xffff){
				put32(info + 8, LCLD_CONTINUED);
				put32(info + 20, LSIGCONT);
			}else if((status & 0xff) == 0x7f){
				put32(info + 8, LCLD_STOPPED);
				put32(info + 20, (status >> 8) & 0xff);
			}else{
				put32(info + 8, (status & 0x7f) == 0 ? CLD_EXITED : (status & 0x80) ? CLD_DUMPED : CLD_KILLED);
				put32(info + 20, (status & 0x7f) == 0 ? (status >> 8) & 0xff : status & 0x7f);
			}
			put32(info + 12, cpid);
			put32(info + 16, getuid());
		}
	}
	if(ru != NULL && r > 0)
		putrusage(ru, &u);
	else if(ru != NULL)
		memset(ru, 0, 72);
	return 0;
}

long sys_wait4(Lthread *t, uint32_t *a) { return dowait(t, a[0], a[1], a[2], a[3]); }
long sys_waitpid(Lthread *t, uint32_t *a) { return dowait(t, a[0], a[1], a[2], 0); }

long
sys_exit(Lthread *t, uint32_t *a)
{
	pthread_mutex_lock(&glk);
	if(t->p->nthreads == 1 && !t->p->exiting){
		t->p->exiting = 1;
		t->p->status = (a[0] & 0xff) << 8;
	}
	t->dying = 1;
	pthread_mutex_unlock(&glk);
	return NORET;
}

long
sys_exit_group(Lthread *t, uint32_t *a)
{
	pthread_mutex_lock(&glk);
	killproc(t->p, (a[0] & 0xff) << 8);
	t->dying = 1;
	pthread_mutex_unlock(&glk);
	return NORET;
}

long
sys_getpid(Lthread *t, uint32_t *a)
{
	(void)a;
	return t->p->pid;
}

long
sys_gettid(Lthread *t, uint32_t *a)
{
	(void)a;
	return t->tid;
}

long
sys_getppid(Lthread *t, uint32_t *a)
{
	int pid;

	(void)a;
	pthread_mutex_lock(&glk);
	pid = t->p->parent != NULL ? t->p->parent->pid : 1;
	pthread_mutex_unlock(&glk);
	return pid;
}

/*
 * Process groups and sessions, enough for a shell's job control: a
 * process spawned by vxrun leads a new session and group; children
 * inherit both; kill and wait accept 0 and -pgid.  There is no
 * controlling terminal beyond TIOCGPGRP/TIOCSPGRP on the console.
 */

/* With glk held: the process with pid (zombies too, as Linux) in
 * sandbox box, or NULL: another sandbox's is as in another pid
 * namespace, none. */
static Lproc *
findproc(int box, int32_t pid)
{
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		if(p->pid == pid && p->box == box)
			return p;
	return NULL;
}

/* getpgid and getsid: pid 0 is the caller */
static long
getids(Lthread *t, int32_t pid, int sid)
{
	Lproc *p;
	long r;

	if(pid < 0)
		return -ESRCH;
	pthread_mutex_lock(&glk);
	p = pid == 0 ? t->p : findproc(t->p->box, pid);
	r = p == NULL ? -ESRCH : sid ? p->sid : p->pgid;
	pthread_mutex_unlock(&glk);
	return r;
}

long sys_getpgrp(Lthread *t, uint32_t *a) { (void)a; return getids(t, 0, 0); }
long sys_getpgid(Lthread *t, uint32_t *a) { return getids(t, a[0], 0); }
long sys_getsid(Lthread *t, uint32_t *a) { return getids(t, a[0], 1); }

long
sys_setsid(Lthread *t, uint32_t *a)
{
	Lproc *p;
	long r;

	(void)a;
	pthread_mutex_lock(&glk);
	/* a group leader (or anyone whose pid names a group) may not */
	for(p = procs; p != NULL; p = p->next)
		if(p->pgid == t->p->pid && p->box == t->p->box)
			break;
	if(p != NULL)
		r = -EPERM;
	else{
		r = t->p->sid = t->p->pgid = t->p->pid;
		t->p->noctty = 0;	/* a new session: none yet */
	}
	pthread_mutex_unlock(&glk);
	return r;
}

/* setpgid(pid, pgid): the caller or one of its children, into a new group
 * or an existing one of the same session */
long
sys_setpgid(Lthread *t, uint32_t *a)
{
	int32_t pid, pgid;
	Lproc *p, *q;
	long r;

	pid = a[0] ? (int32_t)a[0] : t->p->pid;
	pgid = a[1] ? (int32_t)a[1] : pid;
	if(pid < 0 || pgid < 0)
		return -EINVAL;
	pthread_mutex_lock(&glk);
	p = findproc(t->p->box, pid);
	r = 0;
	if(p == NULL || p->zombie || (p != t->p && p->parent != t->p))
		r = -ESRCH;
	else if(p->sid != t->p->sid)
		r = -EPERM;
	else if(p != t->p && p->execed)
		r = -EACCES;	/* a child that has made an execve, as Linux */
	else if(p->sid == p->pid)
		r = -EPERM;
	else if(pgid != p->pid){
		for(q = procs; q != NULL; q = q->next)
			if(!q->zombie && q->pgid == pgid && q->sid == p->sid && q->box == p->box)
				break;
		if(q == NULL)
			r = -EPERM;
	}
	if(r == 0)
		p->pgid = pgid;
	pthread_mutex_unlock(&glk);
	return r;
}

/*
 * capget, capset: a guest holds no capabilities, whatever the host user
 * is (a guest of root reads uid 0, as a Linux root process whose
 * bounding set was emptied: setpriv --bounding-set=-all); what it may do
 * is the sandbox's to say, not a capability's.  Every set of every
 * process of the sandbox reads empty; capset succeeds only in keeping
 * them empty.  The versions are Linux's: 1 (one 32-bit word per set), 2
 * and 3 (two words); another is EINVAL with 3 written back, and a
 * capget with no data pointer (libcap's probe for the version) then
 * succeeds.
 */
enum {
	CAPV1 = 0x19980330, CAPV2 = 0x20071026, CAPV3 = 0x20080522,
	CAPDATASZ = 12,		/* struct __user_cap_data_struct: effective, permitted, inheritable */
	CAPLASTHI = (1 << (40 - 32 + 1)) - 1,	/* the bits of the second word below CAP_LAST_CAP (40) */
};

/* The header's version: how many data structs it takes, or an error
 * (-EINVAL with the version written back, -EFAULT). */
static long
capwords(Lthread *t, uint32_t hdr)
{
	uint8_t *h;

	if((h = gmem(t, hdr, 4, VX_PROT_READ)) == NULL)
		return -EFAULT;
	switch(get32(h)){
	case CAPV1:
		return 1;
	case CAPV2:
	case CAPV3:
		return 2;
	}
	if((h = gmem(t, hdr, 4, VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	put32(h, CAPV3);
	return -EINVAL;
}

/* Is id a process or thread of sandbox box (a zombie too)? */
static int
taskof(int box, int32_t id)
{
	Lproc *p;

	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		if(p->box == box && (p->pid == id || findthread(p, id) != NULL))
			break;
	pthread_mutex_unlock(&glk);
	return p != NULL;
}

/* capget(header*, data*) */
long
sys_capget(Lthread *t, uint32_t *a)
{
	uint8_t *h, *d;
	int32_t pid;
	long n;

	n = capwords(t, a[0]);
	if(a[1] == 0)
		return n == -EINVAL || n > 0 ? 0 : n;
	if(n < 0)
		return n;
	if((h = gmem(t, a[0] + 4, 4, VX_PROT_READ)) == NULL)
		return -EFAULT;
	pid = get32(h);
	if(pid < 0)
		return -EINVAL;
	if(pid != 0 && pid != t->p->pid && !taskof(t->p->box, pid))
		return -ESRCH;
	if((d = gmem(t, a[1], n * CAPDATASZ, VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	memset(d, 0, n * CAPDATASZ);
	return 0;
}

/* capset(header*, data*): the caller's own (pid 0 or its pid), and
 * only to what it has, none: a bit above CAP_LAST_CAP is ignored, as
 * Linux's */
long
sys_capset(Lthread *t, uint32_t *a)
{
	uint8_t *h, *d;
	uint32_t any;
	int32_t pid;
	long n;
	int i;

	if((n = capwords(t, a[0])) < 0)
		return n;
	if((h = gmem(t, a[0] + 4, 4, VX_PROT_READ)) == NULL)
		return -EFAULT;
	pid = get32(h);
	if(pid != 0 && pid != t->p->pid)
		return -EPERM;
	if((d = gmem(t, a[1], n * CAPDATASZ, VX_PROT_READ)) == NULL)
		return -EFAULT;
	any = 0;
	for(i = 0; i < 3; i++){
		any |= get32(d + 4 * i);
		if(n > 1)
			any |= get32(d + CAPDATASZ + 4 * i) & CAPLASTHI;
	}
	return any != 0 ? -EPERM : 0;
}

/*
 * getpriority, setpriority: a nice value per process, inherited by fork
 * and kept by execve; a spawned guest starts with its spawner's host
 * niceness (guest.c), as a program run under nice(1).  PRIO_PROCESS, PRIO_PGRP or PRIO_USER (every guest
 * of the caller's sandbox: they have one uid); who 0 is the caller's.  As for an unprivileged
 * Linux user (RLIMIT_NICE 0, as getrlimit says), a guest may only lower its priority:
 * a smaller value than a process has is EACCES.  Setting the caller's
 * own also sets its host thread's, which the host threads it starts
 * (its children's) inherit.  getpriority returns 20 - nice, as the
 * system call does (glibc converts).
 */
enum { LPRIO_PROCESS = 0, LPRIO_PGRP, LPRIO_USER };

static int
priomatch(Lthread *t, Lproc *p, uint32_t which, int32_t who)
{
	if(p->zombie || p->box != t->p->box)
		return 0;
	switch(which){
	case LPRIO_PROCESS: return p->pid == (who == 0 ? t->p->pid : who);
	case LPRIO_PGRP: return p->pgid == (who == 0 ? t->p->pgid : who);
	default: return 1;
	}
}

long
sys_getpriority(Lthread *t, uint32_t *a)
{
	Lproc *p;
	int best;

	if(a[0] > LPRIO_USER)
		return -EINVAL;
	best = 100;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		if(priomatch(t, p, a[0], a[1]) && p->nice < best)
			best = p->nice;
	pthread_mutex_unlock(&glk);
	return best == 100 ? -ESRCH : 20 - best;
}

long
sys_setpriority(Lthread *t, uint32_t *a)
{
	Lproc *p;
	int32_t nice;
	long r;
	int self;

	if(a[0] > LPRIO_USER)
		return -EINVAL;
	nice = a[2];
	if(nice < -20)
		nice = -20;
	if(nice > 19)
		nice = 19;
	r = -ESRCH;
	self = 0;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		if(priomatch(t, p, a[0], a[1]) && nice < p->nice){
			r = -EACCES;
			break;
		}
	if(r != -EACCES)
		for(p = procs; p != NULL; p = p->next)
			if(priomatch(t, p, a[0], a[1])){
				p->nice = nice;
				self |= p == t->p;
				r = 0;
			}
	pthread_mutex_unlock(&glk);
	if(self)
		setpriority(PRIO_PROCESS, 0, nice);	/* the calling host thread */
	return r;
}
