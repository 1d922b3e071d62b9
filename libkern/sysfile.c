/*
 * sysfile.c — the k* calls of kernel.h: file descriptors, I/O, stat,
 * bind/mount/unmount, create/remove, chdir, pipe and errors.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"
#include "net.h"	/* Styx: mntversion, mntauth */

/* Can kmount attach anything? */
int
havemountdriver(void)
{
	int t;
	for(t = 0; devtab[t] != NULL; t++)
		if(devtab[t]->mntattach != NULL)
			return 1;
	return 0;
}

/* Every call starts here: a proc must be bound and not killed. */
int
kenter(void)
{
	if(up == NULL)
		return kseterr(Enoproc);
	if(atomic_load(&up->killed))
		return kseterr(Ekilled);
	return 0;
}

static int
openmode(int omode)
{
	if(omode & ~(3|OTRUNC|OCEXEC|ORCLOSE|OEXCL))
		return kseterr(Ebadarg);
	return 0;
}

/* c (NULL: the error set) at a new fd; c closed if there is none. */
int
chanfd(Chan *c)
{
	int fd;

	if(c == NULL)
		return -1;
	fd = newfd(c);
	if(fd < 0)
		cclose(c);
	return fd;
}

/* path opened for the caller alone: its Chan, at no fd (a temporary
 * fd took the lowest free number, which another thread's dup2 could
 * replace before the caller's write, and whose close then closed what
 * that dup2 put there); kfileclose after.  NULL with the error set. */
Kfile *
kfileopen(char *path, int mode)
{
	if(kenter() < 0 || openmode(mode) < 0)
		return NULL;
	return (Kfile*)namec(path, Aopen, mode, 0);
}

int
kopen(char *path, int mode)
{
	return chanfd((Chan*)kfileopen(path, mode));
}

/* kcreate's file, at no fd: NULL with the error set */
Kfile *
kfilecreate(char *path, int mode, ulong perm)
{
	if(kenter() < 0 || openmode(mode) < 0)
		return NULL;
	if((perm & DMDIR) && (mode & 3) != OREAD)
		return kseterrp(Eisdir);
	return (Kfile*)namec(path, Acreate, mode, perm);
}

int
kcreate(char *path, int mode, ulong perm)
{
	return chanfd((Chan*)kfilecreate(path, mode, perm));
}

/* A directory read of c; names: by the device's dirnames if it has one. */
static long
dirread1(Chan *c, void *buf, long n, vlong off, int names)
{
	Dev *d = devtab[c->type];
	if(names && d->dirnames != NULL)
		return d->dirnames(c, buf, n, off);
	return d->read(c, buf, n, off);
}

/* Read a union directory: each member in turn, opened as it is reached. */
long
unionread(Chan *c, void *buf, long n, int names)
{
	Unionread *ur = c->ur;
	long r;
	for(;;){
		if(ur->open == NULL){
			Chan *m, *o;
			if(ur->cur >= ur->n)
				return 0;
			m = cclone(ur->mem[ur->cur]);
			if(m == NULL){
				ur->cur++;
				continue;
			}
			o = devtab[m->type]->open(m, OREAD);
			if(o == NULL){
				cclose(m);
				ur->cur++;
				continue;
			}
			ur->open = o;
		}
		r = dirread1(ur->open, buf, n, ur->open->offset, names);
		if(r < 0)
			return -1;
		if(r > 0){
			ur->open->offset += r;
			return r;
		}
		cclose(ur->open);
		ur->open = NULL;
		ur->cur++;
	}
}

static void
dirrewind(Chan *c)
{
	c->dri = 0;
	c->ndirbuf = 0;
	c->devoffset = 0;
	if(c->ur != NULL){
		cclose(c->ur->open);
		c->ur->open = NULL;
		c->ur->cur = 0;
	}
}

/* Read from open c at *off (advanced). Directory reads are sequential: an
 * offset of 0 starts over, any other continues where the last one ended;
 * names: the reader needs only names, qids and DMDIR (Dev.dirnames). */
static long
chanread(Chan *c, void *buf, long n, vlong *off, int names)
{
	long r;
	if(n < 0)
		return kseterr(Ebadarg);
	if(c->qid.type & QTDIR){
		pthread_mutex_lock(&c->lk);
		if(*off == 0)
			dirrewind(c);
		if(c->ur != NULL)
			r = unionread(c, buf, n, names);
		else
			r = dirread1(c, buf, n, *off == 0 ? 0 : c->devoffset, names);
		if(r > 0){
			c->devoffset += r;
			*off += r;
		}
		pthread_mutex_unlock(&c->lk);
		return r;
	}
	r = devtab[c->type]->read(c, buf, n, *off);
	if(r > 0)
		*off += r;
	return r;
}

int
kchanread(Chan *c, void *buf, long n, vlong *off)
{
	return chanread(c, buf, n, off, 0);
}

enum { Rread, Rwrite, Rnames };	/* rw's how; Rnames: a directory's names */

/* rw of the open file c, taken from its fd (rw, kfileio) */
static long
rwchan(Chan *c, void *buf, long n, vlong *poff, int how)
{
	int write = how == Rwrite;
	vlong off;
	long r;

	if(poff != NULL && *poff < 0)
		return kseterr(Ebadarg);
	if(write && (c->qid.type & QTDIR))
		return kseterr(Eisdir);
	if(poff != NULL)
		off = *poff;
	else{
		pthread_mutex_lock(&c->lk);
		off = c->offset;
		pthread_mutex_unlock(&c->lk);
	}
	if(n > INT64_MAX - off)
		n = INT64_MAX - off;	/* nothing lies past 2^63-1; off + r stays defined */
	if(write){
		r = devtab[c->type]->write(c, buf, n, off);
		if(r > 0)
			off += r;
	}else if(how == Rnames && !(c->qid.type & QTDIR))
		return kseterr(Enotdir);
	else
		r = chanread(c, buf, n, &off, how == Rnames);
	if(r > 0 && poff == NULL){
		pthread_mutex_lock(&c->lk);
		c->offset += r;
		pthread_mutex_unlock(&c->lk);
	}
	return r;
}

static long
rw(int fd, void *buf, long n, vlong *poff, int how)
{
	Chan *c;
	long r;

	if(kenter() < 0)
		return -1;
	if(n < 0 || (buf == NULL && n > 0))
		return kseterr(Ebadarg);
	c = fdtochan(fd, how == Rwrite ? OWRITE : OREAD, 1, 1);
	if(c == NULL)
		return -1;
	r = rwchan(c, buf, n, poff, how);
	cclose(c);
	return r;
}

/* A Kfile is the open Chan itself, with a reference of its own. */
Kfile *
kfdfile(int fd)
{
	if(kenter() < 0)
		return NULL;
	return (Kfile*)fdtochan(fd, OREAD, 1, 1);
}

long
kfilepread(Kfile *f, void *buf, long n, vlong off)
{
	Chan *c = (Chan*)f;

	if(kenter() < 0)
		return -1;
	if(n < 0 || off < 0 || (buf == NULL && n > 0))
		return kseterr(Ebadarg);
	if(c->qid.type & QTDIR)
		return kseterr(Eisdir);
	if(n > INT64_MAX - off)
		n = INT64_MAX - off;
	return chanread(c, buf, n, &off, 0);
}

/* /proc/PID/maps names a mapping's file by this */
char *
kfilename(Kfile *f, uvlong *qpath)
{
	Chan *c = (Chan*)f;

	*qpath = c->qid.path;
	return kstrdup(c->path != NULL ? c->path->s : "?");
}

/* its device's character ('I', 'M' …), as kfdident's *dc */
int
kfiledev(Kfile *f)
{
	return devtab[((Chan*)f)->type]->dc;
}

Kfile *
kfiledup(Kfile *f)
{
	incref(&((Chan*)f)->ref);
	return f;
}

void
kfileclose(Kfile *f)
{
	if(f != NULL)
		cclose((Chan*)f);
}

/* fd's open file for one read or write, taken once: a dup2 or close of
 * fd meanwhile changes neither what the caller learns of it (*dc, *qid)
 * nor what kfileio reads or writes, as Linux's read holds its file */
Kfile *
kfdfileio(int fd, int write, int *dc, Qid *qid)
{
	Chan *c;

	if(kenter() < 0)
		return NULL;
	if((c = fdtochan(fd, write ? OWRITE : OREAD, 1, 1)) != NULL){
		*dc = devtab[c->type]->dc;
		*qid = c->qid;
	}
	return (Kfile*)c;
}

long
kfileio(Kfile *f, void *buf, long n, vlong off, int write)
{
	if(kenter() < 0)
		return -1;
	if(n < 0 || (buf == NULL && n > 0))
		return kseterr(Ebadarg);
	return rwchan((Chan*)f, buf, n, off < 0 ? NULL : &off, write ? Rwrite : Rread);
}

int
kfileflags(Kfile *f)
{
	return (int)(atomic_load(&((Chan*)f)->pflags) & ~CWATCHED);
}

long
kread(int fd, void *buf, long n)
{
	return rw(fd, buf, n, NULL, Rread);
}

long
kwrite(int fd, void *buf, long n)
{
	return rw(fd, buf, n, NULL, Rwrite);
}

long
kpread(int fd, void *buf, long n, vlong off)
{
	return rw(fd, buf, n, &off, Rread);
}

long
kpwrite(int fd, void *buf, long n, vlong off)
{
	return rw(fd, buf, n, &off, Rwrite);
}

/* A mount point is shown under its own name, as in Plan 9, not under the
 * name the mounted server gives its root ("" from u9fs, "." from
 * plan9port's ramfs).  buf holds r bytes of c's stat, in room for n. */
static int
mtptname(Chan *c, uchar *buf, int r, int n)
{
	Path *p = c->path;
	char *name, *strs;
	uchar *tmp;
	uint m;
	Dir d;
	if(r <= BIT16SZ || p == NULL || p->len <= 1 || p->mtpt[p->len-1] == NULL)
		return r;
	name = strrchr(p->s, '/');
	name = name != NULL ? name + 1 : p->s;
	tmp = kmalloc(2*r);
	strs = (char*)tmp + r;
	memcpy(tmp, buf, r);
	if(name[0] == 0 || convM2D(tmp, r, &d, strs) == 0 || strcmp(d.name, name) == 0){
		free(tmp);
		return r;
	}
	d.name = name;
	m = sizeD2M(&d);
	if(m == 0){
		/* too big for a stat under the longer name: the server's
		 * (converting it gave 0 with the old size left in buf, so
		 * a caller asked for that size again, for ever) */
		free(tmp);
		return r;
	}
	if(m > (uint)n){
		/* too small: say how much is needed, as a device does */
		buf[0] = (m - BIT16SZ) & 0xFF;
		buf[1] = (m - BIT16SZ) >> 8;
		r = BIT16SZ;
	}else
		r = convD2M(&d, buf, n);
	free(tmp);
	return r;
}

/* A device's stat of c, with the mount point's name (see mtptname);
 * with x, what the device says beyond the Dir (Dev.statx), or zeros. */
static int
cstatx(Chan *c, uchar *buf, int n, Dirx *x)
{
	Dev *d = devtab[c->type];
	ulong want;
	int r;
	if(x != NULL){
		want = x->want;
		memset(x, 0, sizeof *x);
		x->want = want;
	}
	if(x != NULL && d->statx != NULL)
		r = d->statx(c, buf, n, x);
	else
		r = d->stat(c, buf, n);
	if(r < 0)
		return r;
	return mtptname(c, buf, r, n);
}

int
cstat(Chan *c, uchar *buf, int n)
{
	return cstatx(c, buf, n, NULL);
}

static Dir *
chandirstat(Chan *c, Dirx *x)
{
	uchar *buf;
	int n = 256, r;
	Dir *d;
	for(;;){
		buf = kmalloc(n);
		r = cstatx(c, buf, n, x);
		if(r < 0){
			free(buf);
			return NULL;
		}
		if(r > BIT16SZ)
			break;
		n = (buf[0] | buf[1] << 8) + BIT16SZ;
		free(buf);
	}
	d = kmalloc(sizeof(Dir) + r);
	if(convM2D(buf, r, d, (char*)&d[1]) == 0){
		free(buf);
		free(d);
		return kseterrp(Ebadstat);
	}
	free(buf);
	return d;
}

/* base+off would overflow a vlong (a guest's lseek asks anything) */
static int
seekpast(vlong base, vlong off)
{
	return off > 0 ? base > LLONG_MAX - off : base < LLONG_MIN - off;
}

/* Move c's offset (kseek's, of an open file in hand) */
static vlong
chanseek(Chan *c, vlong off, int whence)
{
	Dir *d;
	vlong o;

	pthread_mutex_lock(&c->lk);
	switch(whence){
	case KSEEKSET:
		o = off;
		break;
	case KSEEKCUR:
		if(off == 0){
			/* where it is: a question, which moves nothing and
			 * on a directory starts no listing over (dirrewind) */
			o = c->offset;
			pthread_mutex_unlock(&c->lk);
			return o;
		}
		if(seekpast(c->offset, off)){
			pthread_mutex_unlock(&c->lk);
			return kseterr(Ebadarg);
		}
		o = c->offset + off;
		break;
	case KSEEKEND:
		pthread_mutex_unlock(&c->lk);
		d = chandirstat(c, NULL);
		if(d == NULL)
			return -1;
		pthread_mutex_lock(&c->lk);
		if(seekpast(d->length, off)){
			pthread_mutex_unlock(&c->lk);
			free(d);
			return kseterr(Ebadarg);
		}
		o = d->length + off;
		free(d);
		break;
	default:
		pthread_mutex_unlock(&c->lk);
		return kseterr(Ebadarg);
	}
	if(o < 0 || ((c->qid.type & QTDIR) && o != 0)){
		pthread_mutex_unlock(&c->lk);
		return kseterr((c->qid.type & QTDIR) ? Eisdir : "negative seek offset");
	}
	c->offset = o;
	if(c->qid.type & QTDIR)
		dirrewind(c);
	pthread_mutex_unlock(&c->lk);
	return o;
}

vlong
kseek(int fd, vlong off, int whence)
{
	Chan *c;
	vlong o;

	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 1, 1);
	if(c == NULL)
		return -1;
	o = chanseek(c, off, whence);
	cclose(c);
	return o;
}

/* kseek and kdirfstat of a file taken for a read or write (kfdfileio):
 * an O_APPEND write's move to the end and RLIMIT_FSIZE's look are of
 * the file it writes, not of whatever another thread put at its fd */
vlong
kfileseek(Kfile *f, vlong off, int whence)
{
	if(kenter() < 0)
		return -1;
	return chanseek((Chan*)f, off, whence);
}

Dir*
kfiledirstat(Kfile *f)
{
	if(kenter() < 0)
		return NULL;
	return chandirstat((Chan*)f, NULL);
}

/* kready's, kptyctl's, of a file taken for a read or write: a
 * terminal's job control, an O_NONBLOCK read's readiness test and a
 * pipe write's hangup are the file's the call reads or writes */
int
kfileready(Kfile *f, int events)
{
	int hfd;

	if(kenter() < 0)
		return -1;
	hfd = -1;
	return chanready((Chan*)f, events & (KPREAD | KPWRITE), &hfd);
}

int
kfileptyctl(Kfile *f, int op, Kpty *k)
{
	if(kenter() < 0)
		return -1;
	return ptyctlchan((Chan*)f, op, k);
}

/* Bytes a read of pipe end f took, back at the head of its queue (a
 * copy from the pipe whose write came up short keeps them there, as
 * Linux's splice), and the room of what a read under kpipecopy took
 * given back (n 0 after a whole write); of a stream socket's data file
 * (#I), the bytes its read under kpipecopy peeked taken but the last n,
 * and the socket let go (ipunread): n, or -1 with the error set for
 * any other file */
long
kfileunread(Kfile *f, void *buf, long n)
{
	Chan *c = (Chan*)f;

	/* not kenter: a killed proc settles too.  A copy killed between
	 * its read and this (exit_group, exec, SIGKILL of the process)
	 * left a stream socket held, every other reader of it waiting for
	 * ever, and a pipe's room kept, until red31 */
	if(up == NULL)
		return kseterr(Enoproc);
	if(devtab[c->type]->dc == 'I')
		return ipunread(c, n);
	return pipeunread(c, buf, n);
}

/* Pipe end f's room for writes in whole free pages (Linux's count for
 * a copy's read of a datagram): bytes, or -1 with the error set where f
 * is no pipe end that writes */
long
kfilepiperoom(Kfile *f)
{
	if(kenter() < 0)
		return -1;
	return pipepageroom((Chan*)f);
}

/* on: this proc's pipe reads are a copy's (splice): what one takes
 * keeps its room in the pipe, which writers do not fill, until the
 * copy settles it (kfileunread), so the bytes its write did not take
 * go back within the pipe's room, as Linux's splice holds its pipe.
 * A stream socket's read (#I) then peeks and holds the socket (no
 * other read takes from it) till kfileunread takes what was written. */
void
kpipecopy(int on)
{
	if(kenter() < 0)
		return;
	up->pipecopy = on != 0;
}

int
kclose(int fd)
{
	Fgrp *f;
	Chan *c;
	if(kenter() < 0)
		return -1;
	f = up->fgrp;
	pthread_mutex_lock(&f->lk);
	if(fd < 0 || fd >= f->maxfd || (c = f->fd[fd]) == NULL){
		pthread_mutex_unlock(&f->lk);
		return kseterr(Ebadfd);
	}
	f->fd[fd] = NULL;
	while(f->maxfd > 0 && f->fd[f->maxfd-1] == NULL)
		f->maxfd--;
	pthread_mutex_unlock(&f->lk);
	cclose(c);
	return 0;
}

/* c (a reference of the caller's, given) at fd new of up's table, what
 * new held closed; new -1: the lowest free fd.  new, or -1 with the
 * error set (c closed). */
static int
fdput(Chan *c, int new)
{
	Fgrp *f;
	Chan *oc = NULL;

	if(new == -1){
		new = newfd(c);
		if(new < 0)
			cclose(c);
		return new;
	}
	if(new < 0 || new >= 65536){
		cclose(c);
		return kseterr(Ebadfd);
	}
	f = up->fgrp;
	pthread_mutex_lock(&f->lk);
	if(new >= f->nfd){
		int n = (new / 16 + 1) * 16;
		f->fd = realloc(f->fd, n * sizeof(Chan*));
		if(f->fd == NULL)
			abort();
		memset(f->fd + f->nfd, 0, (n - f->nfd) * sizeof(Chan*));
		f->nfd = n;
	}
	oc = f->fd[new];
	f->fd[new] = c;
	if(new >= f->maxfd)
		f->maxfd = new + 1;
	pthread_mutex_unlock(&f->lk);
	cclose(oc);
	return new;
}

int
kdup(int old, int new)
{
	Chan *c;

	if(kenter() < 0)
		return -1;
	c = fdtochan(old, -1, 0, 1);
	if(c == NULL)
		return -1;
	return fdput(c, new);
}

/* Open file f (a Kfile: kfileopen's, kfdfile's) at fd, as kdup(old, fd)
 * would put old's there; fd -1: the lowest free.  The caller keeps its
 * own reference.  So a personality opens a file at no fd and puts it
 * at the fd it is for in one step, without a temporary fd. */
int
kfiletofd(Kfile *f, int fd)
{
	Chan *c = (Chan*)f;

	if(kenter() < 0)
		return -1;
	incref(&c->ref);
	return fdput(c, fd);
}

/* memfd_create's file (devfs.c's fsmemchan) at a new fd. */
int
kmemfd(const char *name, unsigned hostflags)
{
	if(kenter() < 0)
		return -1;
	return chanfd(fsmemchan(name, hostflags));
}

int
kmemfdmapped(int fd, vlong off, vlong len)
{
	Chan *c;
	int r;

	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	r = fsmemmapped(c, off, len);
	cclose(c);
	return r;
}

char *
kfd2path(int fd)
{
	Chan *c;
	char *s;
	if(kenter() < 0)
		return NULL;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return NULL;
	s = kstrdup(c->path != NULL ? c->path->s : "?");
	cclose(c);
	return s;
}

int
kfdkind(int fd, int *dc, Qid *qid, int *hostfd)
{
	Chan *c;

	if(hostfd != NULL)
		*hostfd = -1;
	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	*dc = devtab[c->type]->dc;
	*qid = c->qid;
	if(hostfd != NULL)
		*hostfd = fsdupfd(c);
	cclose(c);
	return 0;
}

int
kfdflags(int fd, uint clear, uint set)
{
	Chan *c;
	uint old, new;

	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	old = atomic_load(&c->pflags);
	do
		new = (old & ~clear) | set;
	while(!atomic_compare_exchange_weak(&c->pflags, &old, new));
	cclose(c);
	return (int)(new & ~CWATCHED);
}

int
kfdident(int fd, int *dc, uint *dev, uvlong *path, void **file)
{
	Chan *c;

	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	*dc = devtab[c->type]->dc;
	*dev = c->dev;
	if(*dc == 'e')	/* an env file is the caller's group's: a copy's paths repeat */
		*dev = up->egrp->id;
	*path = c->qid.path;
	*file = c;	/* its reference is the caller's: kfileclose */
	atomic_fetch_or(&c->pflags, CWATCHED);
	return 0;
}

static int
chanstat(Chan *c, uchar *buf, int n)
{
	int r;
	if(n < BIT16SZ){
		cclose(c);
		return kseterr(Eshortstat);
	}
	r = cstat(c, buf, n);
	cclose(c);
	return r;
}

int
kstat(char *path, uchar *buf, int n)
{
	Chan *c;
	if(kenter() < 0)
		return -1;
	c = namec(path, Aaccess, 0, 0);
	if(c == NULL)
		return -1;
	c->flag |= CWALKSTAT;	/* ours alone, just walked */
	return chanstat(c, buf, n);
}

int
kfstat(int fd, uchar *buf, int n)
{
	Chan *c;
	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	return chanstat(c, buf, n);
}

enum { STATATIME = BIT16SZ + BIT16SZ + BIT32SZ + QIDSZ + BIT32SZ };	/* atime's offset in a packed Dir */

static int
chanwstat(Chan *c, uchar *buf, int n, Dirx *x)
{
	Dev *d = devtab[c->type];
	int r;
	if(buf == NULL || n < STATFIXLEN || statcheck(buf, n) < 0){
		cclose(c);
		return kseterr(Ebadstat);
	}
	if(x != NULL && d->wstatx != NULL)
		r = d->wstatx(c, buf, n, x);
	else{
		if(x != NULL)	/* 9P's wstat may not change the atime: don't touch */
			memset(buf + STATATIME, 0xFF, BIT32SZ);
		r = d->wstat(c, buf, n);
	}
	cclose(c);
	return r < 0 ? -1 : n;
}

static int
pathwstat(char *path, uchar *buf, int n, Dirx *x)
{
	Chan *c;
	if(kenter() < 0)
		return -1;
	c = namec(path, Aaccess, 0, 0);
	if(c == NULL)
		return -1;
	return chanwstat(c, buf, n, x);
}

static int
fdwstat(int fd, uchar *buf, int n, Dirx *x)
{
	Chan *c;
	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	return chanwstat(c, buf, n, x);
}

int kwstat(char *path, uchar *buf, int n) { return pathwstat(path, buf, n, NULL); }
int kfwstat(int fd, uchar *buf, int n) { return fdwstat(fd, buf, n, NULL); }

Dir *
kdirstatx(char *path, Dirx *x)
{
	Chan *c;
	Dir *d;
	if(kenter() < 0)
		return NULL;
	c = namec(path, Aaccess, 0, 0);
	if(c == NULL)
		return NULL;
	c->flag |= CWALKSTAT;
	d = chandirstat(c, x);
	cclose(c);
	return d;
}

Dir *
kdirfstatx(int fd, Dirx *x)
{
	Chan *c;
	Dir *d;
	if(kenter() < 0)
		return NULL;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return NULL;
	d = chandirstat(c, x);
	cclose(c);
	return d;
}

static int
chanstatfs(Chan *c, Fsstat *s)
{
	Dev *d = devtab[c->type];
	memset(s, 0, sizeof *s);
	return d->statfs != NULL ? d->statfs(c, s) : 0;
}

int
kstatfs(char *path, Fsstat *s)
{
	Chan *c;
	int r;
	if(kenter() < 0)
		return -1;
	c = namec(path, Aaccess, 0, 0);
	if(c == NULL)
		return -1;
	r = chanstatfs(c, s);
	cclose(c);
	return r;
}

int
kfstatfs(int fd, Fsstat *s)
{
	Chan *c;
	int r;
	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	r = chanstatfs(c, s);
	cclose(c);
	return r;
}

Dir *kdirstat(char *path) { return kdirstatx(path, NULL); }
Dir *kdirfstat(int fd) { return kdirfstatx(fd, NULL); }

static uchar *
packdir(Dir *d, int *n)
{
	uchar *buf;
	*n = sizeD2M(d);
	if(*n == 0)
		return kseterrp(Ebadstat);
	buf = kmalloc(*n);
	convD2M(d, buf, *n);
	return buf;
}

/* The member of new's directory that is c's device instance, as a Chan
 * of its own, with the last element of new in *name (free *dir after);
 * NULL with the error (EXDEV: none is). */
static Chan *
samedevdir(Chan *c, char *new, char **dir, char **name)
{
	Chan *d, *m, **mem;
	int i, n;

	*dir = kstrdup(new);
	*name = strrchr(*dir, '/');
	if(*name == NULL){
		*name = *dir;
		d = namec(".", Atodir, 0, 0);
	}else{
		*(*name)++ = 0;
		d = namec((*dir)[0] ? *dir : "/", Atodir, 0, 0);
	}
	if(d == NULL)
		return NULL;
	m = NULL;
	mem = unionmembers(d, &n);
	if(mem == NULL){
		if(d->type == c->type && d->dev == c->dev)
			return d;
	}else{
		for(i = 0; i < n; i++)
			if(mem[i]->type == c->type && mem[i]->dev == c->dev){
				m = mem[i];
				incref(&m->ref);
				break;
			}
		freemembers(mem, n);
	}
	cclose(d);
	if(m == NULL)
		ksetosErr(EXDEV);
	return m;
}

/* Linux's link (a hard link new to old's file) and rename across
 * directories (old moved to new): where old's device has them, between
 * two directories of one instance. */
static int
linkormove(char *old, char *new, int move)
{
	Chan *c, *d;
	char *dir, *name;
	int r;

	if(kenter() < 0)
		return -1;
	c = namec(old, Aaccess, 0, 0);
	if(c == NULL)
		return -1;
	r = -1;
	d = samedevdir(c, new, &dir, &name);
	if(d != NULL){
		if(move)
			r = devtab[c->type]->move == NULL ? ksetosErr(EXDEV) : devtab[c->type]->move(c, d, name);
		else
			r = devtab[c->type]->link == NULL ? ksetosErr(EPERM) : devtab[c->type]->link(c, d, name);
		cclose(d);
	}
	free(dir);
	cclose(c);
	return r;
}

int klink(char *old, char *new) { return linkormove(old, new, 0); }
int kmove(char *old, char *new) { return linkormove(old, new, 1); }

/* Is name one a path ends in ("/a/b": b)?  An empty, `.` or `..` one
 * could be any. */
static int
endsin(char *path, char *name, int n)
{
	char *s;

	if(n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
		return 1;
	s = strrchr(path, '/');
	s = s == NULL ? path : s + 1;
	return strncmp(s, name, n) == 0 && s[n] == 0;
}

/* Could path's last name, or d (what a lstat of it said, or NULL), be a
 * mount point?  The mount table only, to spare a walk: a mount point's
 * path ends in that name, or, reached through a symbolic link, it is
 * the file d is. */
static int
maybemtpt(char *path, Dir *d)
{
	Pgrp *pg = up->pgrp;
	Mhead *m;
	Chan *f;
	char *name;
	int n, r = 0;

	n = strlen(path);
	while(n > 1 && path[n-1] == '/')
		n--;
	name = path + n;
	while(name > path && name[-1] != '/')
		name--;
	n = path + n - name;
	pthread_rwlock_rdlock(&pg->ns);
	for(m = pg->mhead; m != NULL && !r; m = m->next){
		f = m->from;
		r = f->path == NULL || endsin(f->path->s, name, n) ||
			(d != NULL && d->type == devtab[f->type]->dc && d->dev == f->dev && d->qid.path == f->qid.path);
	}
	pthread_rwlock_unlock(&pg->ns);
	return r;
}

/* Is path's name one something is bound or mounted on?  A rename of it
 * or onto it would move or replace the mounted tree's root (or a
 * union's first member), never the name: Linux's EBUSY, as remove's. */
int
kmounted(char *path, Dir *d)
{
	Chan *c;
	int r;

	if(kenter() < 0)
		return -1;
	if(!maybemtpt(path, d))
		return 0;
	c = namec(path, Aaccess, 0, 0);
	if(c == NULL)
		return -1;
	r = mountpoint(c) != NULL;
	cclose(c);
	return r;
}

/*
 * Symbolic links.  A link is a name in a directory, looked at without
 * following it: path's directory is walked to (a union's members are
 * asked in order, as a walk would) and its device is asked about the
 * last name.  A path that ends in `/`, `.` or `..` names no link.
 */
enum { Lmk, Lread, Lstat, Lrm, Ltimes, Lwatch };

/* Is the error just set "file does not exist"? */
static int
nonexist(void)
{
	return strcmp(up->errstr, Enonexist) == 0;
}

typedef struct Linkop {
	int op;
	char *target;		/* Lmk */
	char *buf;		/* Lread */
	long n;
	uchar *db;		/* Lstat */
	Dirx *x;		/* Lstat, Ltimes */
	Dir *d;			/* Ltimes */
	int final;		/* Lstat: what the device says of a file is its stat */
} Linkop;

enum { Nolinks = -2 };	/* linkop1: the device has no links */

/* The op on name in dir: the device's answer, or Nolinks. */
static long
linkop1(Chan *dir, char *name, Linkop *l)
{
	Dev *d = devtab[dir->type];

	switch(l->op){
	case Lmk:
		return d->symlink != NULL ? d->symlink(dir, name, l->target) : Nolinks;
	case Lread:
		return d->readlink != NULL ? d->readlink(dir, name, l->buf, l->n) : Nolinks;
	case Lstat:
		return d->lstat != NULL ? d->lstat(dir, name, l->db, l->n, l->x) : Nolinks;
	case Ltimes:
		return d->linktimes != NULL ? d->linktimes(dir, name, l->d, l->x) : Nolinks;
	case Lwatch:
		return d->lstat != NULL ? fswatchlink(dir, name) : Nolinks;
	default:
		return d->rmlink != NULL ? d->rmlink(dir, name) : Nolinks;
	}
}

/* What a name where no device has links is: no link (Lstat), none to
 * be made (EPERM, symlink(2)'s "no symbolic links here"), or not one
 * (Ebadarg). */
static long
nolinks(Linkop *l)
{
	if(l->op == Lstat)
		return 0;
	return l->op == Lmk ? ksetosErr(EPERM) : kseterr(Ebadarg);
}

/* Is name in dir?  (dir: a union member whose device has no links) */
static int
hasname(Chan *dir, char *name)
{
	Walkqid *wq;
	int r;

	wq = devtab[dir->type]->walk(dir, NULL, &name, 1);
	if(wq == NULL)
		return 0;
	r = wq->nqid == 1;
	if(wq->clone != NULL)
		cclose(wq->clone);
	free(wq);
	return r;
}

/* The op on path's last name: in each member of its directory in turn
 * while the name is not there; a member whose device has no links and
 * holds the name says it is no link.  *none is set where path names no
 * link at all (`/`, `x/`, `.`, `..`). */
static long
linkop(char *path, Linkop *l, int *none)
{
	Chan *d, **mem;
	char *dir, *name;
	long r, k;
	int i, n;

	*none = 0;
	n = strlen(path);
	if(n == 0 || path[n-1] == '/'){
		*none = 1;
		return 0;
	}
	dir = kstrdup(path);
	name = strrchr(dir, '/');
	if(name == NULL){
		name = dir;
		d = namec(".", Atodir, 0, 0);
	}else{
		*name++ = 0;
		d = namec(dir[0] ? dir : "/", l->op == Lstat ? Alinkstat : Alinkdir, 0, 0);
	}
	if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0){
		*none = 1;
		r = 0;
	}else if(d == NULL)
		r = -1;
	else if((mem = unionmembers(d, &n)) == NULL){
		/* no union member before it, no mount point on it */
		l->final = !mtptondev(d);
		r = linkop1(d, name, l);
	}else{
		r = Nolinks;
		for(i = 0; i < n; i++){
			k = linkop1(mem[i], name, l);
			if(k == Nolinks){
				if(!hasname(mem[i], name))
					continue;
				r = l->op == Lmk ? kseterr(Eexist) : nolinks(l);
				break;
			}
			r = k;
			if(r >= 0 || !nonexist())
				break;
		}
		freemembers(mem, n);
	}
	if(r == Nolinks)
		r = nolinks(l);
	if(d != NULL)
		cclose(d);
	free(dir);
	return r;
}

int
ksymlink(char *target, char *path)
{
	Linkop l = { .op = Lmk, .target = target };
	int none;
	long r;

	if(kenter() < 0)
		return -1;
	if(target == NULL || target[0] == 0)
		return kseterr(Enonexist);
	r = linkop(path, &l, &none);
	if(none)
		return kseterr(Eexist);
	return r < 0 ? -1 : 0;
}

/* The op on the link path names; a path naming none is Ebadarg. */
static long
linkcall(char *path, Linkop *l)
{
	int none;
	long r;

	if(kenter() < 0)
		return -1;
	r = linkop(path, l, &none);
	return none ? kseterr(Ebadarg) : r;
}

long
kreadlink(char *path, char *buf, long n)
{
	Linkop l = { .op = Lread, .buf = buf, .n = n };

	return linkcall(path, &l);
}

int
kremovelink(char *path)
{
	Linkop l = { .op = Lrm };

	return linkcall(path, &l) < 0 ? -1 : 0;
}

/* An O_PATH host descriptor of the '#U' link path names itself, for
 * its watch (devwatch.c), or -1. */
int
fswatchlinkfd(char *path)
{
	Linkop l = { .op = Lwatch };

	return (int)linkcall(path, &l);
}

int
klinktimes(char *path, Dir *d, Dirx *x)
{
	Linkop l = { .op = Ltimes, .d = d, .x = x };

	return linkcall(path, &l) < 0 ? -1 : 0;
}

Dir *
klstatx(char *path, Dirx *x)
{
	uchar buf[2048];
	Linkop l = { .op = Lstat, .db = buf, .n = sizeof buf, .x = x };
	int none;
	long r;
	Dir *d;

	if(kenter() < 0)
		return NULL;
	r = linkop(path, &l, &none);
	if(none || r == 0 || (r < 0 && nonexist()))
		return kdirstatx(path, x);
	if(r < 0)
		return NULL;
	d = kmalloc(sizeof(Dir) + r);
	if(convM2D(buf, r, d, (char*)&d[1]) == 0){
		free(d);
		return kseterrp(Ebadstat);
	}
	/* a file the device answered for may be covered by a mount, or
	 * by another union member: the namespace's stat then */
	if(!(d->mode & DMSYMLINK) && !l.final){
		free(d);
		return kdirstatx(path, x);
	}
	return d;
}

int
kdirwstatx(char *path, Dir *d, Dirx *x)
{
	int n, r;
	uchar *buf = packdir(d, &n);
	if(buf == NULL)
		return -1;
	r = pathwstat(path, buf, n, x);
	free(buf);
	return r < 0 ? -1 : 0;
}

int
kdirfwstatx(int fd, Dir *d, Dirx *x)
{
	int n, r;
	uchar *buf = packdir(d, &n);
	if(buf == NULL)
		return -1;
	r = fdwstat(fd, buf, n, x);
	free(buf);
	return r < 0 ? -1 : 0;
}

int kdirwstat(char *path, Dir *d) { return kdirwstatx(path, d, NULL); }
int kdirfwstat(int fd, Dir *d) { return kdirfwstatx(fd, d, NULL); }

static long
dirread(int fd, Dir **d, int how)
{
	long n, size = 32768;	/* some 600 entries of a host directory a read */
	uchar *buf;
	*d = NULL;
	for(;;){
		buf = kmalloc(size);
		n = rw(fd, buf, size, NULL, how);
		if(n >= 0 || strcmp(up != NULL ? up->errstr : "", Eshortstat) != 0 || size >= STATMAX*2)
			break;
		free(buf);
		size *= 4;
	}
	if(n > 0){
		n = dirpackage(buf, n, d);
		if(n < 0)
			kseterr(Ebadstat);
	}
	free(buf);
	return n;
}

long
kdirread(int fd, Dir **d)
{
	return dirread(fd, d, Rread);
}

/* kdirread for a reader that needs of each entry only its name, qid and
 * mode's DMDIR (Linux getdents64): devices with a Dev.dirnames may leave
 * the rest empty, and one with a Dev.dirlist gives its Dirs as they are,
 * never packed into stat records. */
long
kdirreadnames(int fd, Dir **d)
{
	Chan *c;
	Dev *dv;
	long r;

	*d = NULL;
	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, OREAD, 1, 1);
	if(c == NULL)
		return -1;
	dv = devtab[c->type];
	pthread_mutex_lock(&c->lk);
	if(!(c->qid.type & QTDIR) || dv->dirlist == NULL || c->ur != NULL || c->ndirbuf > 0){
		/* a union's members, a device without Dirs of its own, or
		 * a packed entry left by a read: read and unpack */
		pthread_mutex_unlock(&c->lk);
		cclose(c);
		return dirread(fd, d, Rnames);
	}
	/* as chanread: an offset of 0 starts over, any other goes on;
	 * the offsets count entries (a directory's mean nothing else) */
	if(c->offset == 0)
		dirrewind(c);
	r = dv->dirlist(c, d, c->offset == 0 ? 0 : c->devoffset);
	if(r > 0){
		c->devoffset += r;
		c->offset += r;
	}
	pthread_mutex_unlock(&c->lk);
	cclose(c);
	return r;
}

int
kbind(char *new, char *old, int flags)
{
	Chan *cnew, *cold;
	int r;
	if(kenter() < 0)
		return -1;
	if(flags & ~MMASK || (flags & MORDER) == MORDER)
		return kseterr(Ebadarg);
	cnew = namec(new, Abind, 0, 0);
	if(cnew == NULL)
		return -1;
	cold = namec(old, Amount, 0, 0);
	if(cold == NULL){
		cclose(cnew);
		return -1;
	}
	r = cmount(cnew, cold, flags, NULL, NULL);
	cclose(cnew);
	cclose(cold);
	return r;
}

int
kmount(int fd, int afd, char *old, int flags, char *spec)
{
	return kmountas(fd, afd, old, flags, spec, NULL);
}

/* A uname: 1 to KNAMELEN-1 bytes, no blanks or control characters. */
static int
validuser(char *user)
{
	uchar *s;
	if(user[0] == 0 || strlen(user) >= KNAMELEN)
		return kseterr("bad user name");
	for(s = (uchar*)user; *s; s++)
		if(*s <= ' ' || *s == 0x7F)
			return kseterr("bad user name");
	return 0;
}

/* kmount attaching as user (NULL: the proc's user): mount -u. */
int
kmountas(int fd, int afd, char *old, int flags, char *spec, char *user)
{
	Mntparam mp;
	Chan *cnew, *cold;
	int t, r;
	if(kenter() < 0)
		return -1;
	if(user != NULL && validuser(user) < 0)
		return -1;
	if(flags & ~MMASK || (flags & MORDER) == MORDER)
		return kseterr(Ebadarg);
	for(t = 0; devtab[t] != NULL; t++)
		if(devtab[t]->mntattach != NULL)
			break;
	if(devtab[t] == NULL)
		return kseterr(Enomount);
	if(up->pgrp->nodevs)
		return kseterr(Enoattach);
	memset(&mp, 0, sizeof mp);
	mp.chan = fdtochan(fd, ORDWR, 0, 1);
	if(mp.chan == NULL)
		return -1;
	if(afd >= 0){
		mp.authchan = fdtochan(afd, ORDWR, 0, 1);
		if(mp.authchan == NULL){
			cclose(mp.chan);
			return -1;
		}
	}
	mp.spec = spec != NULL ? spec : "";
	mp.user = user;
	mp.flags = flags;
	cnew = devtab[t]->mntattach(&mp);
	cclose(mp.chan);
	cclose(mp.authchan);
	if(cnew == NULL)
		return -1;
	cold = namec(old, Amount, 0, 0);
	if(cold == NULL){
		cclose(cnew);
		return -1;
	}
	r = cmount(cnew, cold, flags, spec, user);
	cclose(cnew);
	cclose(cold);
	return r;
}

int
kunmount(char *new, char *old)
{
	Chan *cnew = NULL, *cold;
	int r;
	if(kenter() < 0)
		return -1;
	cold = namec(old, Amount, 0, 0);
	if(cold == NULL)
		return -1;
	if(new != NULL){
		cnew = namec(new, Abind, 0, 0);
		if(cnew == NULL){
			cclose(cold);
			return -1;
		}
	}
	r = cunmount(cold, cnew);
	cclose(cnew);
	cclose(cold);
	return r;
}

int
kremove(char *path)
{
	Chan *c, *nc;
	int r;
	if(kenter() < 0)
		return -1;
	c = namec(path, Aremove, 0, 0);
	if(c == NULL)
		return -1;
	/* remove consumes the device state: work on a private clone */
	nc = cclone(c);
	cclose(c);
	if(nc == NULL)
		return -1;
	r = devtab[nc->type]->remove(nc);
	nc->type = -1;
	cclose(nc);
	return r;
}

int
kchdir(char *path)
{
	Chan *c;
	if(kenter() < 0)
		return -1;
	c = namec(path, Atodir, 0, 0);
	if(c == NULL)
		return -1;
	setprocdot(up, c);
	return 0;
}

int
kpipe(int fd[2])
{
	Chan *c[2], *d;
	char *names[2] = { "data", "data1" };
	int i;
	if(kenter() < 0)
		return -1;
	d = namec("#|", Atodir, 0, 0);
	if(d == NULL)
		return -1;
	c[0] = c[1] = NULL;
	for(i = 0; i < 2; i++){
		Walkqid *wq = devtab[d->type]->walk(d, NULL, &names[i], 1);
		Chan *o;
		if(wq == NULL || wq->clone == NULL){
			free(wq);
			goto Err;
		}
		c[i] = wq->clone;
		free(wq);
		{
			Path *p = pathappend(d->path, names[i], NULL);
			chansetpath(c[i], p);
			pathclose(p);
		}
		o = devtab[c[i]->type]->open(c[i], ORDWR);
		if(o == NULL)
			goto Err;
		c[i] = o;
	}
	cclose(d);
	if(newfd2(fd, c) < 0){
		cclose(c[0]);
		cclose(c[1]);
		return -1;
	}
	return 0;
Err:
	cclose(c[0]);
	cclose(c[1]);
	cclose(d);
	return -1;
}

int
knowait(int on)
{
	int old;

	if(kenter() < 0)
		return -1;
	old = up->nowait;
	up->nowait = on == KNOWAITOPEN ? on : on != 0;
	return old;
}

int
kiounit(int fd)
{
	Chan *c;
	int n;
	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	n = c->iounit;
	cclose(c);
	return n;
}

int
kfversion(int fd, uint msize, char *version, uint nversion)
{
	Chan *c;
	int r;
	if(kenter() < 0)
		return -1;
	if(devno('M', 0) < 0)
		return kseterr(Enomount);
	/* Styx: devmnt negotiates and keeps the conversation for kmount */
	c = fdtochan(fd, ORDWR, 0, 1);
	if(c == NULL)
		return -1;
	r = mntversion(c, msize, version, nversion);
	cclose(c);
	return r;
}

int
kfauth(int fd, char *aname)
{
	Chan *c, *ac;
	int afd;
	if(kenter() < 0)
		return -1;
	if(devno('M', 0) < 0)
		return kseterr(Enomount);
	/* Styx: Tauth on the conversation; the fd reads and writes the afid */
	c = fdtochan(fd, ORDWR, 0, 1);
	if(c == NULL)
		return -1;
	ac = mntauth(c, aname);
	cclose(c);
	if(ac == NULL)
		return -1;
	afd = newfd(ac);
	if(afd < 0)
		cclose(ac);
	return afd;
}
