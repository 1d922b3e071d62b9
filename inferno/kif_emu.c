/*
 * kif_emu.c — the kernel interface of the Linux personality (kif.h) over
 * an Inferno emulator's own kernel.  install.sh copies it to emu/port.
 *
 * A Kproc is an Osenv (namespace, fd table, environment, user, error
 * strings: what the emulator's k* calls use through up->env) with a
 * little more.  kif_set points the calling thread's up->env at one, as
 * the interpreter does for the Prog it runs; a guest thread is a host
 * thread of our own (guests need more than the 32 KiB of a kproc stack)
 * made an emulator Proc with newproc and kprocsetup.  Kills and
 * interrupts are swiproc, so they end a Sleep in any device.
 */
#include	"dat.h"
#include	"fns.h"
#include	"error.h"
#include	"kernel.h"
#include	<pthread.h>
#include	<signal.h>
#include	<sys/prctl.h>
#include	"kif.h"

typedef struct Kproc Kproc;
struct Kproc
{
	Osenv	env;		/* first: a Kproc is the Osenv k* calls use */
	Lock	lk;
	int	pid;
	Proc*	host;		/* the thread's Proc once kif_start runs it */
	int	killed;
	int	intr;		/* an interrupt kif_poll has not taken */
};

typedef struct Start Start;
struct Start
{
	Kproc*	kp;
	void	(*fn)(void*);
	void*	arg;
};

/* Linux status flags of an open file, kept in two bits of the Chan's
 * flag word Inferno leaves unused (its own end at CCACHE 0x80; newchan
 * clears them), so every fd holding the Chan shares them (kif_fdflags,
 * kif_fileflags).  Not atomic with the emulator's own flag updates,
 * which come at open and close. */
enum { EmuAppend = 0x4000, EmuNonblock = 0x8000, LxAppend = 02000, LxNonblock = 04000 };

static Lock pidlk;
static int nextpid = 1;

/* KIF_NEWBOX needs nothing here: emu's #p lists Dis progs, never
 * these procs. */
Kproc*
kif_new(int flags)
{
	Osenv *o;
	Kproc *kp;

	o = up->env;
	kp = malloc(sizeof(*kp));
	if(kp == nil){
		kwerrstr(Enomem);
		return nil;
	}
	memset(kp, 0, sizeof(*kp));
	if(waserror()){
		free(kp);
		return nil;
	}
	if(flags & KIF_FORKFD)
		kp->env.fgrp = dupfgrp(o->fgrp);
	else{
		kp->env.fgrp = o->fgrp;
		incref(&o->fgrp->r);
	}
	poperror();
	if(flags & KIF_FORKENV){
		kp->env.egrp = newegrp();
		egrpcpy(kp->env.egrp, o->egrp);
	}else{
		kp->env.egrp = o->egrp;
		if(o->egrp != nil)
			incref(&o->egrp->r);
	}
	kp->env.pgrp = o->pgrp;
	incref(&o->pgrp->r);
	kp->env.sigs = o->sigs;
	if(o->sigs != nil)
		incref(&o->sigs->r);
	kp->env.errstr = kp->env.errbuf0;
	kp->env.syserrstr = kp->env.errbuf1;
	kp->env.uid = o->uid;
	kp->env.gid = o->gid;
	kstrdup(&kp->env.user, o->user);
	lock(&pidlk);
	kp->pid = nextpid++;
	if(nextpid > 1<<30)
		nextpid = 1;
	unlock(&pidlk);
	return kp;
}

/* emu's devices keep their own descriptors: no account here (the
 * personality's own charges, a file mapping's, need none either). */
Kifbox*
kif_box(Kproc *kp)
{
	(void)kp;
	return nil;
}

void
kif_boxput(Kifbox *b)
{
	(void)b;
}

void
kif_boxlimit(Kifbox *b, int maxfd, uint64_t maxmem)
{
	(void)b;
	(void)maxfd;
	(void)maxmem;
}

int
kif_boxcharge(Kifbox *b, int n)
{
	(void)b;
	(void)n;
	return 0;
}

int
kif_boxheld(Kifbox *b)
{
	(void)b;
	return 0;
}

int
kif_boxmax(Kifbox *b)
{
	(void)b;
	return 0;
}

void
kif_free(Kproc *kp)
{
	if(kp == nil)
		return;
	closefgrp(kp->env.fgrp);
	closepgrp(kp->env.pgrp);
	closeegrp(kp->env.egrp);
	closesigs(kp->env.sigs);
	free(kp->env.user);
	free(kp);
	kif_closed();	/* the fds' last closes, for file locks */
}

Kproc*
kif_set(Kproc *kp)
{
	Osenv *old;

	old = up->env;
	up->env = kp != nil ? &kp->env : &up->defenv;
	return (Kproc*)old;
}

Kproc*
kif_cur(void)
{
	return (Kproc*)up->env;
}

/* The emulator interrupts a proc blocked in the host with SIGUSR1, and
 * its other signals have handlers that run on the interrupted stack:
 * none may arrive while guest code runs with a guest stack pointer. */
static void
blocksignals(void)
{
	static int sigs[] = { SIGUSR1, SIGUSR2, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
		SIGCHLD, SIGPIPE, SIGALRM, SIGWINCH };
	sigset_t set;
	int i;

	sigemptyset(&set);
	for(i = 0; i < nelem(sigs); i++)
		sigaddset(&set, sigs[i]);
	pthread_sigmask(SIG_BLOCK, &set, nil);
}

static void*
startmain(void *v)
{
	Start s;
	Proc *p;

	s = *(Start*)v;
	free(v);
	blocksignals();
	prctl(PR_SET_NAME, "vxguest");	/* the host's ps and top tell guests apart */
	p = newproc();
	if(p == nil)
		panic("kif_start: no memory");
	kprocsetup(p);
	strcpy(p->text, "vxguest");
	lock(&s.kp->lk);
	s.kp->host = p;
	if(s.kp->killed)
		p->killed = 1;
	unlock(&s.kp->lk);
	up->env = &s.kp->env;
	s.fn(s.arg);		/* unbinds and frees kp before it returns */
	up->env = &p->defenv;
	free(p->defenv.user);
	free(p->prog);
	free(p->os);
	free(p);
	return nil;
}

int
kif_start(Kproc *kp, void (*fn)(void*), void *arg)
{
	pthread_attr_t attr;
	pthread_t th;
	Start *s;
	int r;

	s = malloc(sizeof(*s));
	if(s == nil)
		return -1;
	s->kp = kp;
	s->fn = fn;
	s->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 1<<20);
	r = pthread_create(&th, &attr, startmain, s);
	pthread_attr_destroy(&attr);
	if(r != 0){
		free(s);
		return -1;
	}
	return 0;
}

int
kif_pid(Kproc *kp)
{
	return kp != nil ? kp->pid : -1;
}

/* emu's #p lists Dis progs, none of them a guest's: vxrun hides them. */
int
kif_progboxed(void)
{
	return 0;
}

/* No /proc here (kif_procfs): no sandbox to tell. */
int
kif_boxid(Kproc *kp)
{
	USED(kp);
	return 0;
}

/* Note a kill, or set or clear an interrupt (intr < 0: leave it), in
 * kp; the Proc running it, if any. */
static Proc*
mark(Kproc *kp, int kill, int intr)
{
	Proc *h;

	lock(&kp->lk);
	kp->killed |= kill;
	if(intr >= 0)
		kp->intr = intr;
	h = kp->host;
	unlock(&kp->lk);
	return h;
}

void
kif_kill(Kproc *kp)
{
	Proc *h;

	h = mark(kp, 1, -1);
	if(h != nil)
		swiproc(h, 0);
}

void
kif_interrupt(Kproc *kp)
{
	Proc *h;

	h = mark(kp, 0, 1);
	if(h != nil)
		swiproc(h, 1);
}

void
kif_clearinterrupt(Kproc *kp)
{
	Proc *h;

	h = mark(kp, 0, 0);
	if(h != nil){
		lock(&h->rlock);
		h->swipend = 0;
		unlock(&h->rlock);
	}
}

/* The emulator has no readiness test: a valid fd is ready. */
int
kif_ready(int fd, int events)
{
	Dir *d;

	d = kdirfstat(fd);
	if(d == nil)
		return -1;
	free(d);
	return events & (KIF_READ|KIF_WRITE);
}

/* Take kp's pending interrupt or kill, if any. */
static int
takeintr(Kproc *kp)
{
	int r;

	lock(&kp->lk);
	r = kp->killed || kp->intr;
	kp->intr = 0;
	unlock(&kp->lk);
	return r;
}

int
kif_poll(Kifpoll *fds, int n, long long ms)
{
	Kproc *kp;
	int i, r, k;

	r = 0;
	for(i = 0; i < n; i++){
		fds[i].revents = 0;
		if(fds[i].fd < 0)
			continue;
		k = kif_ready(fds[i].fd, fds[i].events);
		fds[i].revents = k < 0 ? KIF_NVAL : k;
		if(fds[i].revents != 0)
			r++;
	}
	if(r > 0 || ms == 0)
		return r;
	/* nothing to wait for but time: sleep in slices, ending on a signal
	 * (only guest threads poll: up->env is their Kproc) */
	kp = (Kproc*)up->env;
	for(;;){
		if(takeintr(kp)){
			kwerrstr(Eintr);
			return -1;
		}
		if(ms >= 0 && ms < 20){
			osmillisleep(ms);
			return 0;
		}
		osmillisleep(20);
		if(ms > 0)
			ms -= 20;
	}
}

/* emu's pipes have no fail-rather-than-wait mode (kif.h). */
void
kif_nowait(int on)
{
	(void)on;
}

/* emu's pipes do not say their room (kif.h). */
int
kif_pipesize(int fd)
{
	(void)fd;
	return -1;
}

/* nor change it */
int
kif_setpipesize(int fd, int size)
{
	(void)fd, (void)size;
	return 0;
}

/* emu's pipes copy with memmove: the caller checks its buffers (kif.h) */
int
kif_copyhook(size_t (*copy)(void *dst, const void *src, size_t n))
{
	USED(copy);
	return 0;
}

/* emu has no pseudo-terminal device (kif.h). */
int
kif_ptyctl(int fd, int op, Kpty *k)
{
	USED(fd);
	USED(op);
	USED(k);
	kwerrstr("inappropriate ioctl for device");
	return -1;
}

void
kif_ptysignals(Kptysig *fn)
{
	USED(fn);
}

void
kif_ptysessionend(int box, int sid)
{
	USED(box);
	USED(sid);
}

int
kif_ptyof(int box, int sid, int *pgrp)
{
	USED(box);
	USED(sid);
	USED(pgrp);
	return -1;
}

/* Inferno's kdirread, whole entries: emu has no cheaper kind of read. */
long
kif_dirreadnames(int fd, struct Dir **d)
{
	return kdirread(fd, d);
}

/* Nor symbolic links: a stat of a link is a stat. */
int
kif_symlink(char *target, char *path)
{
	(void)target;
	(void)path;
	kwerrstr(Eperm);
	return -1;
}

long
kif_readlink(char *path, char *buf, long n)
{
	(void)path;
	(void)buf;
	(void)n;
	kwerrstr(Ebadarg);
	return -1;
}

struct Dir *
kif_lstat(char *path, Kifstat *x)
{
	return kif_dirstat(path, -1, x);
}

struct Dir *
kif_lstatx(char *path, Kifstat *x, ulong want)
{
	(void)want;
	return kif_lstat(path, x);
}

int
kif_removelink(char *path)
{
	(void)path;
	kwerrstr(Ebadarg);
	return -1;
}

int
kif_linktimes(char *path, struct Dir *d, Kifstat *x)
{
	(void)path;
	(void)d;
	(void)x;
	kwerrstr(Ebadarg);
	return -1;
}

/* Inferno's file servers have no hard links. */
int
kif_link(char *old, char *new)
{
	(void)old;
	(void)new;
	kwerrstr(Eperm);
	return -1;
}

/* A stat has only what 9P's Dir says: x is zero ("not known"). */
struct Dir *
kif_dirstat(char *path, int fd, Kifstat *x)
{
	memset(x, 0, sizeof *x);
	return path != nil ? kdirstat(path) : kdirfstat(fd);
}

/* No host statx either. */
struct Dir *
kif_dirstatx(char *path, int fd, Kifstat *x, ulong want)
{
	(void)want;
	return kif_dirstat(path, fd, x);
}

/* 9P's wstat: the mtime, in seconds. */
int
kif_dirwstat(char *path, int fd, struct Dir *d, Kifstat *x)
{
	(void)x;
	return path != nil ? kdirwstat(path, d) : kdirfwstat(fd, d);
}

/* The emulator's devices say nothing of their file systems: only
 * whether the file is there. */
int
kif_statfs(char *path, int fd, Kifstatfs *s)
{
	Dir *d;

	memset(s, 0, sizeof *s);
	d = path != nil ? kdirstat(path) : kdirfstat(fd);
	if(d == nil)
		return -1;
	free(d);
	return 0;
}

/* No anonymous host-memory files here: memfd_create is ENOSYS. */
int
kif_memfd(const char *name, unsigned hostflags)
{
	(void)name;
	(void)hostflags;
	kwerrstr("not implemented");
	return -1;
}

/* No change notification in emu's kernel: inotify is ENOSYS there. */
int
kif_watchnew(void)
{
	kwerrstr("not implemented");
	return -1;
}

int
kif_watch(int fd, char *path, unsigned long mask)
{
	(void)fd;
	(void)path;
	(void)mask;
	kwerrstr("not implemented");
	return -1;
}

int
kif_unwatch(int fd, int wd)
{
	(void)fd;
	(void)wd;
	kwerrstr("not implemented");
	return -1;
}

long
kif_watchqueued(int fd)
{
	(void)fd;
	kwerrstr("not implemented");
	return -1;
}

/* No memfds to charge here. */
int
kif_memfdmapped(int fd, unsigned long long off, unsigned long long len)
{
	(void)fd;
	(void)off;
	(void)len;
	return 0;
}

/* No file references outside an fd table here: a private mapping the
 * personality filled comes back zero after MADV_DONTNEED. */
Kiffile *
kif_fdfile(int fd)
{
	(void)fd;
	kwerrstr("not supported");
	return nil;
}

long
kif_filepread(Kiffile *f, void *buf, long n, long long off)
{
	(void)f;
	(void)buf;
	(void)n;
	(void)off;
	kwerrstr("not supported");
	return -1;
}

/* Opens are at fds here: the caller uses kopen (KIF_EBYFD) */
Kiffile *
kif_fileopen(char *path, int mode)
{
	(void)path;
	(void)mode;
	kwerrstr(KIF_EBYFD);
	return nil;
}

Kiffile*
kif_filecreate(char *path, int mode, unsigned long perm)
{
	USED(path);
	USED(mode);
	USED(perm);
	kwerrstr(KIF_EBYFD);
	return nil;
}

int
kif_filedev(Kiffile *f)
{
	return devtab[((Chan*)f)->type]->dc;
}

/* only kif_fileopen's and kif_filecreate's go to an fd, and there are none */
int
kif_filetofd(Kiffile *f, int fd)
{
	USED(f);
	USED(fd);
	kwerrstr(KIF_EBYFD);
	return -1;
}

/* The Kiffiles here are kif_fdfileio's: Chans with a reference of
 * the caller's */
Kiffile *
kif_filedup(Kiffile *f)
{
	if(f != nil)
		incref(&((Chan*)f)->r);
	return f;
}

void
kif_fileclose(Kiffile *f)
{
	if(f == nil || waserror())
		return;
	cclose((Chan*)f);
	poperror();
}

char *
kif_filename(Kiffile *f, unsigned long long *qpath)
{
	(void)f;
	*qpath = 0;
	return nil;
}

/*
 * fd's open file for one read or write (kif.h), taken once: its Chan
 * with a reference of the caller's, so that what vxrun learns of it is
 * what kif_fileio reads or writes, whatever another thread dup2s over
 * fd meanwhile (kread and kwrite each look fd up again).
 */
Kiffile *
kif_fdfileio(int fd, int write, int *dc, unsigned long long *qpath)
{
	Chan *c;

	*dc = 0;
	*qpath = 0;
	if(waserror())
		return nil;
	c = fdtochan(up->env->fgrp, fd, write ? OWRITE : OREAD, 1, 1);
	poperror();
	*dc = devtab[c->type]->dc;
	*qpath = c->qid.path;
	return (Kiffile*)c;
}

/*
 * A read or write of a taken Chan: at off, or where off < 0 at its
 * offset, which it moves by what moved (kread's and kwrite's steps,
 * of the Chan in hand).  A positional read leaves the offset alone, as
 * Linux's pread.  Directories are read by their own calls (vxrun's
 * getdents): EISDIR here.
 */
long
kif_fileio(Kiffile *f, void *buf, long n, long long off, int write)
{
	Chan *c;
	vlong o;
	long r;

	c = (Chan*)f;
	if(waserror())
		return -1;
	if(n < 0)
		error(Etoosmall);
	if(c->qid.type & QTDIR)
		error(Eisdir);
	if(write){
		if(off < 0){
			lock(&c->l);
			o = c->offset;
			c->offset += n;
			unlock(&c->l);
		}else
			o = off;
		if(waserror()){
			if(off < 0){
				lock(&c->l);
				c->offset -= n;
				unlock(&c->l);
			}
			nexterror();
		}
		r = devtab[c->type]->write(c, buf, n, o);
		poperror();
		if(off < 0 && r < n){
			lock(&c->l);
			c->offset -= n - r;
			unlock(&c->l);
		}
	}else{
		if(off < 0){
			lock(&c->l);
			o = c->offset;
			unlock(&c->l);
		}else
			o = off;
		r = devtab[c->type]->read(c, buf, n, o);
		if(off < 0){
			lock(&c->l);
			c->offset += r;
			unlock(&c->l);
		}
	}
	poperror();
	return r;
}

int
kif_fileflags(Kiffile *f)
{
	Chan *c;

	c = (Chan*)f;
	return (c->flag & EmuAppend ? LxAppend : 0) | (c->flag & EmuNonblock ? LxNonblock : 0);
}

/* kseek's steps, of a taken Chan (an O_APPEND write's move to its end,
 * RLIMIT_FSIZE's look at its offset) */
long long
kif_fileseek(Kiffile *f, long long off, int whence)
{
	Chan *c;
	Dir *d;
	vlong o;

	c = (Chan*)f;
	if(waserror())
		return -1;
	if(devtab[c->type]->dc == '|')
		error(Eisstream);
	if((c->qid.type & QTDIR) && !(whence == 0 && off == 0))
		error(Eisdir);
	switch(whence){
	case 0:
		o = off;
		break;
	case 1:
		lock(&c->l);
		o = c->offset + off;
		unlock(&c->l);
		break;
	case 2:
		d = chandirstat(c);
		if(d == nil)
			error("stat error in seek");
		o = d->length + off;
		free(d);
		break;
	default:
		error(Ebadarg);
		return -1;
	}
	if(o < 0)
		error(Enegoff);
	if(whence != 1 || off != 0){
		lock(&c->l);
		c->offset = o;
		unlock(&c->l);
	}
	poperror();
	return o;
}

/* kdirfstat's, of a taken Chan (is it a regular file, for RLIMIT_FSIZE) */
Dir *
kif_filedirstat(Kiffile *f)
{
	Dir *d;

	if(waserror())
		return nil;
	d = chandirstat((Chan*)f);
	poperror();
	return d;
}

/* As kif_ready: a taken Chan is ready */
int
kif_fileready(Kiffile *f, int events)
{
	USED(f);
	return events & (KIF_READ|KIF_WRITE);
}

/* As kif_ptyctl: no terminals */
int
kif_fileptyctl(Kiffile *f, int op, Kpty *k)
{
	USED(f);
	USED(op);
	USED(k);
	kwerrstr("inappropriate ioctl for device");
	return -1;
}

/* As kif_poll's: a taken Chan is ready at once */
int
kif_filepoll(Kiffile *f, int events, long long ms)
{
	USED(f);
	USED(ms);
	return events & (KIF_READ|KIF_WRITE);
}

/* emu's pipes keep no copy's room: kif_fileunread cannot give it back */
void
kif_pipecopy(int on)
{
	USED(on);
}

/* emu's pipes keep bytes, not pages: no room to tell */
long
kif_filepiperoom(Kiffile *f)
{
	USED(f);
	return -1;
}

/* nor do emu's sockets hold a copy's read: sockpeek's "peek" (none) */
int
kif_sockhold(void)
{
	return 0;
}

/* emu's pipes take no bytes back: a copy's short write loses them */
long
kif_fileunread(Kiffile *f, void *buf, long n)
{
	USED(f);
	USED(buf);
	USED(n);
	kwerrstr("not supported");
	return -1;
}

/* Nor renames across directories: EXDEV (Linux's text), so mv copies. */
int
kif_move(char *old, char *new)
{
	(void)old;
	(void)new;
	kwerrstr("Invalid cross-device link");
	return -1;
}

/* Not asked of the emulator's mount table: a rename of its mount
 * point goes to the device as before (kif.h). */
int
kif_mounted(char *path, struct Dir *d)
{
	(void)path;
	(void)d;
	return 0;
}

/* What fd is, from its Chan; no host descriptor is offered (a #U file
 * of the emulator is not ours to map). */
int
kif_fdkind(int fd, int *dc, int *qtype, unsigned long long *qpath, int *hostfd)
{
	Chan *c;

	if(hostfd != nil)
		*hostfd = -1;
	if(waserror())
		return -1;
	c = fdtochan(up->env->fgrp, fd, -1, 0, 1);
	*dc = devtab[c->type]->dc;
	*qtype = c->qid.type;
	*qpath = c->qid.path;
	cclose(c);
	poperror();
	return 0;
}

/*
 * The file and open file for file locks, and their last closes.  The
 * emulator tells no one when a Chan goes, so each Chan asked about is
 * watched: it holds a reference of ours, and one whose only reference
 * is ours has been closed everywhere else.  kif_closed (after the
 * personality's closes), kif_fdident (before each lock operation) and
 * kif_free (a process's fds closed) look: such a Chan is reported to
 * kif_filegone's function, then closed, so its device's close comes at
 * that look, not at the last close itself (a Limbo program's close of
 * the last reference is seen at a guest's next close or lock).  Our
 * reference also keeps a watched Chan's address from being reused.
 */
static Lock watchlk;
static Chan **watched;
static int nwatched, watchcap;
static void (*gonefn)(void*);

static void
watch(Chan *c)
{
	Chan **w;
	int i;

	lock(&watchlk);
	for(i = 0; i < nwatched; i++)
		if(watched[i] == c){
			unlock(&watchlk);
			return;
		}
	if(nwatched == watchcap){
		w = realloc(watched, (watchcap * 2 + 16) * sizeof(*w));
		if(w == nil){
			unlock(&watchlk);
			return;
		}
		watched = w;
		watchcap = watchcap * 2 + 16;
	}
	incref(&c->r);
	watched[nwatched++] = c;
	unlock(&watchlk);
}

void
kif_closed(void)
{
	Chan *gone[16];
	int i, n;

	if(gonefn == nil)
		return;
	do{
		n = 0;
		lock(&watchlk);
		for(i = 0; i < nwatched && n < nelem(gone); )
			if(watched[i]->r.ref == 1){	/* ours alone: no one else can take one */
				gone[n++] = watched[i];
				watched[i] = watched[--nwatched];
			}else
				i++;
		unlock(&watchlk);
		for(i = 0; i < n; i++){
			gonefn(gone[i]);
			if(!waserror()){
				cclose(gone[i]);
				poperror();
			}
		}
	}while(n == nelem(gone));
}

int
kif_fdident(int fd, Kifident *id)
{
	Chan *c;

	kif_closed();
	if(waserror())
		return -1;
	c = fdtochan(up->env->fgrp, fd, -1, 0, 1);
	id->dc = devtab[c->type]->dc;
	id->dev = c->dev;
	id->path = c->qid.path;
	id->file = c;	/* the caller's reference: kif_fileput */
	poperror();
	if(gonefn != nil)
		watch(c);
	return 0;
}

void
kif_fileput(void *file)
{
	if(waserror())
		return;
	cclose(file);
	poperror();
}

void
kif_filegone(void (*fn)(void *file))
{
	gonefn = fn;
}

/* Linux status flags of fd's open file, kept in two bits of the Chan's
 * flag word (Emu*, above), so every fd holding the Chan shares them. */

int
kif_fdflags(int fd, unsigned clear, unsigned set)
{
	Chan *c;
	int f;

	if(waserror())
		return -1;
	c = fdtochan(up->env->fgrp, fd, -1, 0, 1);
	if(clear & LxAppend)
		c->flag &= ~EmuAppend;
	if(clear & LxNonblock)
		c->flag &= ~EmuNonblock;
	if(set & LxAppend)
		c->flag |= EmuAppend;
	if(set & LxNonblock)
		c->flag |= EmuNonblock;
	f = (c->flag & EmuAppend ? LxAppend : 0) | (c->flag & EmuNonblock ? LxNonblock : 0);
	cclose(c);
	poperror();
	return f;
}

/* The emulator has no device for Linux's /proc: guests go without. */
void
kif_procfs(int (*gen)(const char *path, char **data, long *len, int *fd))
{
	(void)gen;
}
