/*
 * fdtab.c — what Linux keeps per fd that Inferno does not: close-on-exec,
 * the access mode, whether it is the console or a directory, and
 * getdents64 state.  Guest fd n is kernel fd n; the table only remembers
 * these extras (guarded by p->flk).  The O_APPEND and O_NONBLOCK status
 * flags are the open file's, as in Linux: the kernel keeps them with it
 * (kif_fdflags), so a dup, a fork's copy and an fd passed over a socket
 * share them, and another open does not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

/* Was the kif call that just failed refused because the kernel keeps
 * no open-file references (KIF_EBYFD: go by fd)?  The error stays set. */
int
kifbyfd(void)
{
	char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	return strcmp(buf, KIF_EBYFD) == 0;
}

/* Is fd one the guest has open? */
int
fdcheck(Lproc *p, uint32_t fd)
{
	int ok;

	if(fd >= MAXFD)
		return 0;
	pthread_mutex_lock(&p->flk);
	ok = p->fd[fd].used;
	pthread_mutex_unlock(&p->flk);
	return ok;
}

/*
 * fd's record for a read or write, in one lock round trip where
 * fdcheck, evof and the reads of its bits took one each (five for a
 * read of a file).  The copy is as current as fdcheck's answer was:
 * another thread's close or dup2 may change fd after the lock is let
 * go, as before, and then the kernel's fd table, which the call goes
 * through, decides (EBADF, or the new file); the Evfd stays while l
 * holds it.  0 (l cleared) for an fd not open.
 */
int
fdlook(Lproc *p, uint32_t fd, Fdlook *l)
{
	Fdinfo *f;

	memset(l, 0, sizeof *l);
	if(fd >= MAXFD)
		return 0;
	f = &p->fd[fd];
	pthread_mutex_lock(&p->flk);
	if(f->used){
		l->used = 1;
		l->isdir = f->isdir;
		l->slow = f->slow;
		l->ispipe = f->ispipe;
		l->istty = f->istty;
		l->other = f->ep != NULL;
		l->hostfile = f->hostfile;
		l->flags = f->flags;
		l->dc = f->dc;
		l->qpath = f->qpath;
		l->gen = f->gen;
		l->sock = sockget(f->sock);
		l->ev = f->ev;
		evincref(l->ev);
	}
	pthread_mutex_unlock(&p->flk);
	return l->used;
}

void
fdlookdone(Fdlook *l)
{
	evdecref(l->ev);
	l->ev = NULL;
	sockput(l->sock);
	l->sock = NULL;
}

/* What the host's fds 0-2 are, for Fdinfo.hostfile: filled by
 * stdio.c's vxrun_stdio, 0 (a stream) in an embedding whose console is
 * its own */
uint8_t hostkind[3];

int
stdhostfile(int hostfd)
{
	return hostfd >= 0 && hostfd < 3 ? hostkind[hostfd] : 0;
}

/* A directory's listing state, made at its first getdents or when the
 * open file is shared (dsshare). */
Dstate*
dsnew(void)
{
	Dstate *ds;

	ds = calloc(1, sizeof *ds);
	if(ds == NULL)
		return NULL;
	atomic_init(&ds->ref, 1);
	pthread_mutex_init(&ds->lk, NULL);
	return ds;
}

/*
 * A reference to f's listing state for another descriptor of the same
 * open file (a dup, a fork's copy), with its process's flk held: as
 * Linux's f_pos, what one reads the other does not, and a rewind
 * through either starts both over.  (Each with its own, the copy took
 * the kernel's offset, which is past what the first had read ahead and
 * not yet returned.)  NULL for what is no directory.
 */
Dstate*
dsshare(Fdinfo *f)
{
	if(!f->isdir)
		return NULL;
	if(f->ds == NULL)
		f->ds = dsnew();
	if(f->ds != NULL)
		atomic_fetch_add(&f->ds->ref, 1);
	return f->ds;
}

void
dsput(Dstate *ds)
{
	if(ds == NULL || atomic_fetch_sub(&ds->ref, 1) != 1)
		return;
	pthread_mutex_destroy(&ds->lk);
	free(ds->d);
	free(ds->seen);
	free(ds->pool);
	free(ds);
}

/* The qid paths of #c/cons and #c/tty, to know the console when it is
 * opened, and of #c's null, zero and full, whose offsets mean nothing. */
static uvlong consqid, ttyqid, nullqid, zeroqid, fullqid, errconsqid;
static pthread_once_t consonce = PTHREAD_ONCE_INIT;

static uvlong
qidof(char *name)
{
	uvlong q;
	Dir *d;

	d = kdirstat(name);
	q = d != NULL ? d->qid.path : ~0ULL;
	free(d);
	return q;
}

static void
findcons(void)
{
	consqid = qidof("#c/cons");
	errconsqid = qidof("#c2/cons");	/* the host's stderr: a stream, no terminal */
	ttyqid = qidof("#c/tty");
	nullqid = qidof("#c/null");
	zeroqid = qidof("#c/zero");
	fullqid = qidof("#c/full");
}

/* Does a signal end the waits of a file of device dc, qid path qpath
 * (Fdinfo.slow)?  The console's and the host's stderr, a pipe's, a
 * socket's, a terminal's, an inotify queue's. */
int
slowkind(int dc, unsigned long long qpath)
{
	pthread_once(&consonce, findcons);
	return dc == '|' || dc == 'I' || dc == 'P' || dc == 'W' ||
		(dc == 'c' && (qpath == consqid || qpath == ttyqid || qpath == errconsqid));
}

/* Is fd #c's tty, Linux's /dev/tty? */
int
isdevtty(int fd)
{
	unsigned long long qpath;
	int dc, qtype;

	pthread_once(&consonce, findcons);
	return kif_fdkind(fd, &dc, &qtype, &qpath, NULL) == 0 && dc == 'c' && qpath == ttyqid;
}

/* Does a file of device dc, qid path qpath never look at the buffer
 * of a read (out 0) or write?  Writes to #c's null, zero and full
 * (Linux's write_null and write_full: the count, or ENOSPC), reads of
 * null (0). */
int
sinkkind(int dc, unsigned long long qpath, int out)
{
	pthread_once(&consonce, findcons);
	return dc == 'c' && (qpath == nullqid || (out && (qpath == zeroqid || qpath == fullqid)));
}

/* #c/full: Linux's /dev/full has no splice_write, so a splice or
 * sendfile to it is EINVAL before anything is read (since 5.10) */
int
fullkind(int dc, unsigned long long qpath)
{
	pthread_once(&consonce, findcons);
	return dc == 'c' && qpath == fullqid;
}

/* Record a new fd (from open, dup, pipe); it replaces what was there.
 * What it is comes from its Chan (kif_fdkind), not from a stat, which
 * on a 9P mount would cost a round trip per open, dup and pipe. */
static atomic_uint fdgen;

/* flags: the access mode, and for a new open file its status flags
 * (a dup or a passed fd has its own already). */
void
fdinstall(Lproc *p, int fd, uint32_t flags, int cloexec)
{
	fdinstallx(p, fd, flags, cloexec, NULL, NULL, NULL, NULL);
}

/* Has the process an fd free below its limit (RLIMIT_NOFILE) for an
 * open to take? */
int
fdroom(Lproc *p)
{
	int i, lim;

	lim = fdlimit(p);
	pthread_mutex_lock(&p->flk);
	for(i = 0; i < lim && i < p->fdhi; i++)
		if(!p->fd[i].used)
			break;
	pthread_mutex_unlock(&p->flk);
	return i < lim;
}

/* fdinstall with what the fd is besides (references the table takes
 * over): an epoll instance, an eventfd (timerfd, signalfd), a socket, an
 * O_PATH symbolic link, in the same step, so a fork's copy (fdcopy)
 * never has the fd without them. */
void
fdinstallx(Lproc *p, int fd, uint32_t flags, int cloexec, Epoll *ep, Evfd *ev, Sock *sock, Lnk *lnk)
{
	if(fd < 0 || fd >= MAXFD){
		epdecref(ep);
		evdecref(ev);
		sockput(sock);
		lnkput(lnk);
		return;
	}
	if(flags & FDSTATUS)
		fdsetstatus(fd, 0, flags & FDSTATUS);
	flags &= ~(uint32_t)FDSTATUS;
	pthread_once(&consonce, findcons);
	pthread_mutex_lock(&p->flk);
	fdrecord(p, fd, flags, cloexec, ep, ev, sock, lnk);
	pthread_mutex_unlock(&p->flk);
}

/* fdinstallx's record of fd (0 <= fd < MAXFD) as the kernel's table has
 * it now, with p->flk held: for dup2, whose kernel swap and record are
 * one step to a fork. */
void
fdrecord(Lproc *p, int fd, uint32_t flags, int cloexec, Epoll *ep, Evfd *ev, Sock *sock, Lnk *lnk)
{
	unsigned long long qpath;
	int dc, qtype, known;
	Fdinfo *f;

	pthread_once(&consonce, findcons);
	known = kif_fdkind(fd, &dc, &qtype, &qpath, NULL) == 0;
	if(fd >= p->fdhi)
		p->fdhi = fd + 1;
	f = &p->fd[fd];
	dsput(f->ds);
	epdecref(f->ep);
	evdecref(f->ev);
	sockput(f->sock);
	lnkput(f->lnk);
	memset(f, 0, sizeof *f);
	f->used = 1;
	f->gen = atomic_fetch_add(&fdgen, 1) + 1;
	f->cloexec = cloexec != 0;
	f->flags = flags;
	if(known){
		f->isdir = (qtype & QTDIR) != 0;
		f->iscons = dc == 'c' && (qpath == consqid || qpath == ttyqid);
		f->dc = dc;
		f->qpath = qpath;
		f->slow = slowkind(dc, qpath);
		if(f->iscons)
			f->hostfile = stdhostfile(0) | stdhostfile(1);
		else if(dc == 'c' && qpath == errconsqid)
			f->hostfile = stdhostfile(2);
		f->ispipe = dc == '|';
		f->istty = dc == 'P' && !(qtype & QTDIR);
		f->nooff = (dc == 'c' && (qpath == nullqid || qpath == zeroqid || qpath == fullqid)) ||
			dc == 'W';	/* an inotify queue's lseek too */
	}
	f->ep = ep;
	f->ev = ev;
	if(ep != NULL || (ev != NULL && ev->kind != EVCOUNT))
		p->specialfds = 1;	/* lxpoll looks at such fds from now on */
	if(ev != NULL && ev->kind == EVCOUNT)
		p->evfds = 1;		/* and at these when one is full */
	f->lnk = lnk;
	if(sock != NULL){
		f->sock = sock;
		f->slow = 1;		/* a signal ends its waits */
		f->isdir = 0;
	}
}

/*
 * Status flags change rarely and are read by every read and write: each
 * fd caches its open file's, valid while stgen, bumped by every change
 * anywhere in the process (another process sharing the open file may make
 * it), stays what it was when they were fetched.  0 never matches.
 */
static atomic_uint stgen = 1;

int
fdsetstatus(uint32_t fd, uint32_t clear, uint32_t set)
{
	int r = kif_fdflags((int)fd, clear, set);

	atomic_fetch_add(&stgen, 1);
	return r;
}

/* The open file's flags (FDSTATUS: O_APPEND, O_NONBLOCK and those open
 * kept), 0 for a bad fd. */
int
fdstatus(Lproc *p, uint32_t fd)
{
	uint64_t c;
	uint32_t g;
	int st;

	if(fd >= MAXFD)
		return 0;
	g = atomic_load(&stgen);
	c = atomic_load(&p->fd[fd].stcache);
	if(c >> 32 == g)
		return (int)(uint32_t)c;
	st = kif_fdflags((int)fd, 0, 0);
	st = st < 0 ? 0 : st & FDSTATUS;
	/* fetched after g was read: right for g, or g is stale already */
	atomic_store(&p->fd[fd].stcache, (uint64_t)g << 32 | (uint32_t)st);
	return st;
}

/* Is fd open on its file, not an O_PATH fd, which only names it (the
 * calls that read, write or change the file through the fd: Linux's
 * EBADF for an O_PATH one)? */
int
fdopened(Lproc *p, uint32_t fd)
{
	return fdcheck(p, fd) && !(fdstatus(p, fd) & 010000000);
}

/* fd's flags as F_GETFL says them: its access mode and its open file's
 * flags. */
uint32_t
fdflags(Lproc *p, uint32_t fd)
{
	uint32_t mode;

	if(fd >= MAXFD)
		return 0;
	pthread_mutex_lock(&p->flk);
	mode = p->fd[fd].flags;
	pthread_mutex_unlock(&p->flk);
	return mode | fdstatus(p, fd);
}

/* A call on fd failed EAGAIN: whatever is ready on it next is new
 * (epoll's EPOLLET, sysmore.c).  fd may be no fd at all (the first
 * argument of a call that has none): a spurious edge is harmless. */
void
fddrained(Lproc *p, uint32_t fd)
{
	if(fd >= MAXFD)
		return;
	pthread_mutex_lock(&p->flk);
	p->fd[fd].drained++;
	pthread_mutex_unlock(&p->flk);
}

void
fdrelease(Lproc *p, int fd)
{
	Dstate *ds;
	Epoll *ep;
	Evfd *ev;
	Sock *sk;
	Lnk *lk;

	if(fd < 0 || fd >= MAXFD)
		return;
	pthread_mutex_lock(&p->flk);
	ds = p->fd[fd].ds;
	ep = p->fd[fd].ep;
	sk = p->fd[fd].sock;
	ev = p->fd[fd].ev;
	lk = p->fd[fd].lnk;
	memset(&p->fd[fd], 0, sizeof p->fd[fd]);
	pthread_mutex_unlock(&p->flk);
	dsput(ds);
	epdecref(ep);
	evdecref(ev);
	sockput(sk);
	lnkput(lk);
}

Lnk *
lnknew(const char *path)
{
	Lnk *l;

	l = malloc(sizeof *l + strlen(path) + 1);
	if(l == NULL)
		return NULL;
	atomic_init(&l->ref, 1);
	strcpy(l->path, path);
	return l;
}

Lnk *
lnkget(Lnk *l)
{
	if(l != NULL)
		atomic_fetch_add(&l->ref, 1);
	return l;
}

void
lnkput(Lnk *l)
{
	if(l != NULL && atomic_fetch_sub(&l->ref, 1) == 1)
		free(l);
}

/*
 * A link's O_PATH fd passed by SCM_RIGHTS.  The kernel passes the fd's
 * open file, #c/null, which holds no link, so its Lnk goes by a table
 * keyed by that open file, where the receiver looks.  An entry lives as
 * long as the open file does: the kernel's word that its last reference
 * went (lock.c's filegone) takes the entry out before the address can
 * name another file, so no other fd is ever taken for a link.
 */
typedef struct Lnkpass Lnkpass;
struct Lnkpass {
	void *file;
	Lnk *lnk;
	Lnkpass *next;
};
static pthread_mutex_t passlk = PTHREAD_MUTEX_INITIALIZER;	/* no kernel call under it */
static Lnkpass *passed;
static atomic_int npassed;

/* fd, the O_PATH fd of link l, is about to be passed: 0, or -errno. */
int
lnkpass(int fd, Lnk *l)
{
	Kifident id;
	Lnkpass *e;

	lkwatch();
	if(kif_fdident(fd, &id) < 0)
		return -EBADF;
	pthread_mutex_lock(&passlk);
	for(e = passed; e != NULL && e->file != id.file; e = e->next)
		;
	if(e == NULL && (e = malloc(sizeof *e)) != NULL){
		e->file = id.file;
		e->lnk = lnkget(l);
		e->next = passed;
		passed = e;
		atomic_fetch_add(&npassed, 1);
	}
	pthread_mutex_unlock(&passlk);
	kif_fileput(id.file);
	return e != NULL ? 0 : -ENOMEM;
}

/* The link (referenced) whose fd's open file a passed fd is, or NULL. */
Lnk *
lnkpassed(int fd)
{
	Kifident id;
	Lnkpass *e;
	Lnk *l;

	if(atomic_load(&npassed) == 0 || kif_fdident(fd, &id) < 0)
		return NULL;
	l = NULL;
	pthread_mutex_lock(&passlk);
	for(e = passed; e != NULL; e = e->next)
		if(e->file == id.file){
			l = lnkget(e->lnk);
			break;
		}
	pthread_mutex_unlock(&passlk);
	kif_fileput(id.file);
	return l;
}

/* file's last reference went (any thread, any lock but passlk held). */
void
lnkgone(void *file)
{
	Lnkpass **l, *e;

	if(atomic_load(&npassed) == 0)
		return;
	e = NULL;
	pthread_mutex_lock(&passlk);
	for(l = &passed; *l != NULL; l = &(*l)->next)
		if((*l)->file == file){
			e = *l;
			*l = e->next;
			atomic_fetch_sub(&npassed, 1);
			break;
		}
	pthread_mutex_unlock(&passlk);
	if(e != NULL){
		lnkput(e->lnk);
		free(e);
	}
}

/* The path of the symbolic link fd names (malloc'd), or NULL when fd is
 * no O_PATH fd of a link. */
char *
fdlink(Lproc *p, uint32_t fd)
{
	char *s;

	if(fd >= MAXFD)
		return NULL;
	s = NULL;
	pthread_mutex_lock(&p->flk);
	if(p->fd[fd].used && p->fd[fd].lnk != NULL)
		s = strdup(p->fd[fd].lnk->path);
	pthread_mutex_unlock(&p->flk);
	return s;
}

/* Close fd, as Linux's close: out of p's table first, then the
 * kernel's close, then p's POSIX locks on the file (lock.c). */
int
fdclose(Lproc *p, int fd)
{
	Kifident id;
	int held, r;

	fdrelease(p, fd);
	held = lkclosing(fd, &id);
	r = kclose(fd);
	if(held)
		lkclosed(p, &id);
	kif_closed();
	return r;
}

/* The last thread of p is leaving, still on p's kernel proc: release
 * what every fd holds, as Linux closes a process's files at its exit.
 * Here and not in freeproc, which may run on another proc (wait4): an
 * eventfd's doorbell is a number in this proc's kernel fd table. */
void
fdexit(Lproc *p)
{
	int i, n;

	pthread_mutex_lock(&p->flk);
	n = p->fdhi;
	pthread_mutex_unlock(&p->flk);
	for(i = 0; i < n; i++)
		fdrelease(p, i);
	lkexit(p);
}

/*
 * fork: the same fds, without directory read state.  The kernel's table
 * is copied here too, as kif_new(kflags) makes the child's proc (*kp),
 * both under from->flk, as Linux's dup_fd copies one table under its
 * lock.  Then an fd in fd[] is in the kernel's table, the same open
 * file: a call adds a kernel fd before it records it (fdinstall) and
 * forgets one (fdrelease) before the kernel closes it.  The kernel's
 * table may hold more: an fd being opened or closed by a call under way
 * in another thread, or a call's own for a moment (mkdir's create, a
 * socket's data file); fdreconcile closes those in the child.
 */
void
fdcopy(Lproc *to, Lproc *from, Kproc **kp, int kflags)
{
	int i;

	pthread_mutex_lock(&from->flk);
	*kp = kif_new(kflags);
	if(*kp == NULL){
		pthread_mutex_unlock(&from->flk);
		return;
	}
	to->fdhi = from->fdhi;
	to->specialfds = from->specialfds;
	to->evfds = from->evfds;
	for(i = 0; i < from->fdhi; i++){
		Dstate *ds = from->fd[i].used ? dsshare(&from->fd[i]) : NULL;
		to->fd[i] = from->fd[i];
		to->fd[i].ds = ds;
		epincref(to->fd[i].ep);	/* the instance is shared, as the open file is */
		sockget(to->fd[i].sock);
		evincref(to->fd[i].ev);
		lnkget(to->fd[i].lnk);
	}
	pthread_mutex_unlock(&from->flk);
}

/* After fdcopy, beside a call under way in another thread of the parent
 * (forkhold's answer): the child's kernel fds below MAXFD that are not
 * in its fd[] go, as an fd not yet installed or already picked for its
 * close is not a Linux child's (above MAXFD are eventfds' hidden ends,
 * which stay).  A stray took the number the child's next open should
 * get, and outlived an exec, close-on-exec or not, holding a pipe open. */
void
fdreconcile(Lproc *p, Kproc *kp)
{
	unsigned long long qpath;
	int i, dc, qtype;
	Kproc *save;

	save = kif_set(kp);
	for(i = 0; i < MAXFD; i++)
		if(!p->fd[i].used && kif_fdkind(i, &dc, &qtype, &qpath, NULL) == 0)
			kclose(i);
	kif_set(save);
}

/* execve: close the fds marked close-on-exec. */
void
fdcloexec(Lproc *p)
{
	int i, close;

	for(i = 0; i < MAXFD; i++){
		pthread_mutex_lock(&p->flk);
		if(i >= p->fdhi){
			pthread_mutex_unlock(&p->flk);
			break;
		}
		close = p->fd[i].used && p->fd[i].cloexec;
		pthread_mutex_unlock(&p->flk);
		if(close)
			fdclose(p, i);
	}
}
