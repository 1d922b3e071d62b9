/*
 * kif_libkern.c — the kernel interface (kif.h) over our own kernel,
 * libkern: a Kproc is a libkern Proc, threads are pthreads bound to it.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "kernel.h"
#include "kif.h"

_Static_assert(sizeof(Kifpoll) == sizeof(Kpollfd), "Kifpoll is Kpollfd");
_Static_assert(offsetof(Kifpoll, revents) == offsetof(Kpollfd, revents), "Kifpoll is Kpollfd");
_Static_assert((int)KIF_READ == KPREAD && (int)KIF_WRITE == KPWRITE && (int)KIF_HUP == KPHUP && (int)KIF_NVAL == KPNVAL,
	"readiness bits");

typedef struct Start Start;
struct Start {
	Proc *kp;
	void (*fn)(void *);
	void *arg;
};

Kproc *
kif_new(int flags)
{
	int f;

	f = 0;
	if(flags & KIF_FORKFD)
		f |= FORKFD;
	if(flags & KIF_FORKENV)
		f |= FORKENV;
	if(flags & KIF_FORKDOT)
		f |= FORKDOT;
	if(flags & KIF_NEWBOX)
		f |= NEWBOX;
	return (Kproc *)kprocnew(f);
}

Kifbox *
kif_box(Kproc *kp)
{
	return (Kifbox *)kboxacct((Proc *)kp);
}

void
kif_boxput(Kifbox *b)
{
	kboxput((Boxacct *)b);
}

void
kif_boxlimit(Kifbox *b, int maxfd, uint64_t maxmem)
{
	kboxlimit((Boxacct *)b, maxfd);
	kboxmemlimit((Boxacct *)b, maxmem > INT64_MAX ? 0 : (vlong)maxmem);
}

int
kif_boxcharge(Kifbox *b, int n)
{
	return kboxcharge((Boxacct *)b, n);
}

int
kif_boxheld(Kifbox *b)
{
	return kboxheld((Boxacct *)b);
}

int
kif_boxmax(Kifbox *b)
{
	return kboxmax((Boxacct *)b);
}

void
kif_free(Kproc *kp)
{
	kprocfree((Proc *)kp);
}

Kproc *
kif_set(Kproc *kp)
{
	Proc *old;

	old = kcurproc();
	ksetproc((Proc *)kp);
	return (Kproc *)old;
}

Kproc *
kif_cur(void)
{
	return (Kproc *)kcurproc();
}

static void *
startmain(void *arg)
{
	Start s;

	s = *(Start *)arg;
	free(arg);
	ksetproc(s.kp);
	s.fn(s.arg);
	return NULL;
}

int
kif_start(Kproc *kp, void (*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t th;
	Start *s;
	int r;

	s = malloc(sizeof *s);
	if(s == NULL)
		return -1;
	s->kp = (Proc *)kp;
	s->fn = fn;
	s->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 1 << 20);
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
	return kprocpid((Proc *)kp);
}

int
kif_progboxed(void)
{
	return 1;
}

int
kif_boxid(Kproc *kp)
{
	return kprocbox((Proc *)kp);
}

void
kif_kill(Kproc *kp)
{
	kpkill(kprocpid((Proc *)kp));
}

void
kif_interrupt(Kproc *kp)
{
	kinterrupt((Proc *)kp);
}

void
kif_clearinterrupt(Kproc *kp)
{
	kclearinterrupt((Proc *)kp);
}

int
kif_ready(int fd, int events)
{
	return kready(fd, events);
}

int
kif_poll(Kifpoll *fds, int n, long long ms)
{
	return kpoll((Kpollfd *)fds, n, ms);
}

void
kif_procfs(int (*gen)(const char *path, char **data, long *len, int *fd))
{
	klinuxproc(gen);
}

static struct Dir *
kifstat(Dir *d, Dirx *dx, Kifstat *x)
{
	if(d == NULL)
		return NULL;
	x->nlink = dx->nlink;
	x->size = dx->size;
	x->blocks = dx->blocks;
	x->blksize = dx->blksize;
	x->atimens = dx->atimens;
	x->mtimens = dx->mtimens;
	x->ctime = dx->ctime;
	x->ctimens = dx->ctimens;
	x->statxmask = dx->mask;
	x->btime = dx->btime;
	x->btimens = dx->btimens;
	return d;
}

/* The Dirx asking for what statx's mask want says, or nothing more. */
static void
dirxwant(Dirx *dx, unsigned long want)
{
	memset(dx, 0, sizeof *dx);
	dx->want = want != 0 ? DXSTATX | (want & ~(unsigned long)KIF_STATX) : 0;
}

struct Dir *
kif_dirstat(char *path, int fd, Kifstat *x)
{
	return kif_dirstatx(path, fd, x, 0);
}

struct Dir *
kif_dirstatx(char *path, int fd, Kifstat *x, unsigned long want)
{
	Dirx dx;

	dirxwant(&dx, want);
	return kifstat(path != NULL ? kdirstatx(path, &dx) : kdirfstatx(fd, &dx), &dx, x);
}

struct Dir *
kif_lstat(char *path, Kifstat *x)
{
	return kif_lstatx(path, x, 0);
}

struct Dir *
kif_lstatx(char *path, Kifstat *x, unsigned long want)
{
	Dirx dx;

	dirxwant(&dx, want);
	return kifstat(klstatx(path, &dx), &dx, x);
}

int kif_symlink(char *target, char *path) { return ksymlink(target, path); }
long kif_readlink(char *path, char *buf, long n) { return kreadlink(path, buf, n); }
int kif_removelink(char *path) { return kremovelink(path); }

int
kif_linktimes(char *path, struct Dir *d, Kifstat *x)
{
	Dirx dx;

	memset(&dx, 0, sizeof dx);
	dx.atimens = x->atimens;
	dx.mtimens = x->mtimens;
	return klinktimes(path, d, &dx);
}

int
kif_dirwstat(char *path, int fd, struct Dir *d, Kifstat *x)
{
	Dirx dx;

	memset(&dx, 0, sizeof dx);
	dx.atimens = x->atimens;
	dx.mtimens = x->mtimens;
	return path != NULL ? kdirwstatx(path, d, &dx) : kdirfwstatx(fd, d, &dx);
}

_Static_assert((int)KIF_FSRDONLY == (int)FSRDONLY, "kif_statfs's read-only flag is kstatfs's");

int
kif_statfs(char *path, int fd, Kifstatfs *s)
{
	Fsstat f;

	memset(s, 0, sizeof *s);
	if((path != NULL ? kstatfs(path, &f) : kfstatfs(fd, &f)) < 0)
		return -1;
	s->type = f.type;
	s->bsize = f.bsize;
	s->frsize = f.frsize;
	s->blocks = f.blocks;
	s->bfree = f.bfree;
	s->bavail = f.bavail;
	s->files = f.files;
	s->ffree = f.ffree;
	s->namelen = f.namelen;
	s->flags = f.flags;
	return 0;
}

Kiffile *kif_fdfile(int fd) { return (Kiffile*)kfdfile(fd); }
Kiffile *kif_fileopen(char *path, int mode) { return (Kiffile*)kfileopen(path, mode); }
Kiffile *kif_filecreate(char *path, int mode, unsigned long perm) { return (Kiffile*)kfilecreate(path, mode, perm); }
int kif_filetofd(Kiffile *f, int fd) { return kfiletofd((Kfile*)f, fd); }
int kif_filedev(Kiffile *f) { return kfiledev((Kfile*)f); }
long kif_filepread(Kiffile *f, void *buf, long n, long long off) { return kfilepread((Kfile*)f, buf, n, off); }
Kiffile *kif_filedup(Kiffile *f) { return (Kiffile*)kfiledup((Kfile*)f); }
void kif_fileclose(Kiffile *f) { kfileclose((Kfile*)f); }
char *kif_filename(Kiffile *f, unsigned long long *qpath) { return kfilename((Kfile*)f, (uvlong*)qpath); }
long kif_fileio(Kiffile *f, void *buf, long n, long long off, int write) { return kfileio((Kfile*)f, buf, n, off, write); }
int kif_fileflags(Kiffile *f) { return kfileflags((Kfile*)f); }
long long kif_fileseek(Kiffile *f, long long off, int whence) { return kfileseek((Kfile*)f, off, whence); }
Dir *kif_filedirstat(Kiffile *f) { return kfiledirstat((Kfile*)f); }
int kif_fileready(Kiffile *f, int events) { return kfileready((Kfile*)f, events); }
int kif_fileptyctl(Kiffile *f, int op, Kpty *k) { return kfileptyctl((Kfile*)f, op, k); }
long kif_fileunread(Kiffile *f, void *buf, long n) { return kfileunread((Kfile*)f, buf, n); }
int kif_filepoll(Kiffile *f, int events, long long ms) { return kfilepoll((Kfile*)f, events, ms); }
void kif_pipecopy(int on) { kpipecopy(on); }
int kif_sockhold(void) { return 1; }
long kif_filepiperoom(Kiffile *f) { return kfilepiperoom((Kfile*)f); }

Kiffile *
kif_fdfileio(int fd, int write, int *dc, unsigned long long *qpath)
{
	Kfile *f;
	Qid q;

	if((f = kfdfileio(fd, write, dc, &q)) != NULL)
		*qpath = q.path;
	return (Kiffile*)f;
}

int
kif_link(char *old, char *new)
{
	return klink(old, new);
}

int
kif_move(char *old, char *new)
{
	return kmove(old, new);
}

int
kif_mounted(char *path, struct Dir *d)
{
	return kmounted(path, d);
}

long
kif_dirreadnames(int fd, struct Dir **d)
{
	return kdirreadnames(fd, d);
}

_Static_assert((int)KIF_NOWAITOPEN == (int)KNOWAITOPEN, "kif_nowait's open mode is knowait's");

void
kif_nowait(int on)
{
	knowait(on);
}

/* libkern's pipes keep their room (devpipe.c kpiperoom) */
int
kif_pipesize(int fd)
{
	return kpiperoom(fd, 0);
}

int
kif_setpipesize(int fd, int size)
{
	return kpiperoom(fd, size);
}

int
kif_copyhook(size_t (*copy)(void *dst, const void *src, size_t n))
{
	kcopyset(copy);
	return 1;
}

int
kif_ptyctl(int fd, int op, Kpty *k)
{
	return kptyctl(fd, op, k);
}

void
kif_ptysignals(Kptysig *fn)
{
	kptysignals(fn);
}

void
kif_ptysessionend(int box, int sid)
{
	kptysessionend(box, sid);
}

int
kif_ptyof(int box, int sid, int *pgrp)
{
	return kptyof(box, sid, pgrp);
}

int
kif_fdflags(int fd, unsigned clear, unsigned set)
{
	return kfdflags(fd, clear, set);
}

int
kif_fdident(int fd, Kifident *id)
{
	return kfdident(fd, &id->dc, &id->dev, &id->path, &id->file);
}

void
kif_fileput(void *file)
{
	kfileclose((Kfile*)file);
}

void
kif_filegone(void (*fn)(void *file))
{
	kfilegone(fn);
}

void
kif_closed(void)
{
}

int
kif_memfd(const char *name, unsigned hostflags)
{
	return kmemfd(name, hostflags);
}

int
kif_memfdmapped(int fd, unsigned long long off, unsigned long long len)
{
	return kmemfdmapped(fd, (vlong)off, (vlong)len);
}

int
kif_fdkind(int fd, int *dc, int *qtype, unsigned long long *qpath, int *hostfd)
{
	Qid q;

	if(kfdkind(fd, dc, &q, hostfd) < 0)
		return -1;
	*qtype = q.type;
	*qpath = q.path;
	return 0;
}

int kif_watchnew(void) { return kwatchnew(); }
int kif_watch(int fd, char *path, unsigned long mask) { return kwatch(fd, path, mask); }
int kif_unwatch(int fd, int wd) { return kunwatch(fd, wd); }
long kif_watchqueued(int fd) { return kwatchqueued(fd); }
