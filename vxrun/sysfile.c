/*
 * sysfile.c — file descriptor calls: open, read, write, seek, dup, pipe,
 * fcntl.  Guest fd n is kernel fd n; Linux open flags become Inferno open
 * modes, and O_CREAT becomes kcreate when the file does not exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum {
	LO_ACCMODE = 03, LO_CREAT = 0100, LO_EXCL = 0200, LO_NOCTTY = 0400,
	LO_TRUNC = 01000, LO_APPEND = 02000, LO_NONBLOCK = 04000,
	LO_DIRECTORY = 0200000, LO_NOFOLLOW = 0400000, LO_CLOEXEC = 02000000,
	LO_PATH = 010000000, LO_TMPFILE = 020000000,
	LSEEK_DATA = 3, LSEEK_HOLE = 4,
	LO_DSYNC = 010000, LO_SYNC = 04000000, LO_NOATIME = 01000000,
	LAT_FDCWD = -100,
	LF_DUPFD = 0, LF_GETFD = 1, LF_SETFD = 2, LF_GETFL = 3, LF_SETFL = 4,
	LF_GETLK = 5, LF_SETLK = 6, LF_SETLKW = 7, LF_GETLK64 = 12, LF_SETLK64 = 13,
	LF_SETLKW64 = 14, LF_OFD_GETLK = 36, LF_OFD_SETLK = 37, LF_OFD_SETLKW = 38, LF_DUPFD_CLOEXEC = 1030, LF_SETPIPE_SZ = 1031, LF_GETPIPE_SZ = 1032,
	LF_ADD_SEALS = 1033, LF_GET_SEALS = 1034,
	LFD_CLOEXEC = 1,
};

/* A path relative to dirfd (the *at calls) as a namespace path; malloc'd. */
char *
atpath(Lthread *t, uint32_t dirfd, uint32_t addr, int *err)
{
	char *s, *dir, *r;

	s = gpath(t, addr, err);
	if(s == NULL)
		return NULL;
	if(s[0] == '/' || s[0] == '#' || (int32_t)dirfd == LAT_FDCWD){
		r = strdup(s);
		if(r == NULL)
			*err = ENOMEM;
		return r;
	}
	if(!fdcheck(t->p, dirfd)){
		*err = EBADF;
		return NULL;
	}
	if((dir = fdlink(t->p, dirfd)) != NULL){
		free(dir);
		*err = ENOTDIR;
		return NULL;
	}
	dir = kfd2path(dirfd);
	if(dir == NULL){
		*err = EBADF;
		return NULL;
	}
	/* a memfd's name leads nowhere it could be walked from (a file
	 * there so named is no directory either) */
	if(!t->p->fd[dirfd].isdir && strncmp(dir, "/memfd:", 7) == 0){
		free(dir);
		*err = ENOTDIR;
		return NULL;
	}
	if(asprintf(&r, "%s/%s", dir, s) < 0){
		r = NULL;
		*err = ENOMEM;
	}
	free(dir);
	return r;
}

static int
omode(uint32_t flags)
{
	int m;

	switch(flags & LO_ACCMODE){
	case 0: m = OREAD; break;
	case 1: m = OWRITE; break;
	case 2: m = ORDWR; break;
	default: return -1;
	}
	if(flags & LO_TRUNC)
		m |= OTRUNC;
	return m;
}

static int
isnoexist(void)
{
	return kerrno() == -ENOENT;
}

/* The last k* call's error was this text? */
static int
kerris(const char *s)
{
	char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	return strcmp(buf, s) == 0;
}

/*
 * Is (dc, qpath) a file of a #p that lists procs outside the guest's
 * sandbox (emu's: Dis progs; kif_progboxed)?  Such files do not exist
 * for a guest: its /prog is an empty directory, as under vxinferno it
 * holds only its sandbox's procs.  Without this a guest in the Inferno
 * kit read every Dis prog's status, ns and fds and, as its caller's
 * user, could open their ctl (kill), dbgctl and heap.
 */
int
progfile(int dc, uint64_t qpath)
{
	return dc == 'p' && qpath != 0 && !kif_progboxed();
}

/* kdirstat of a guest's path, where a progfile is no such file: else
 * access, chdir, mkdir and execve told a guest of the Inferno kit which
 * Dis progs exist. */
Dir *
gdirstat(char *path)
{
	Dir *d = kdirstat(path);

	if(d != NULL && progfile(d->type, d->qid.path)){
		free(d);
		kwerrstr("file does not exist");
		return NULL;
	}
	return d;
}

/* An fd just opened is no such file: else closed, "file does not exist". */
static int
notprogfile(int fd)
{
	unsigned long long qpath;
	int dc, qtype;

	if(fd < 0 || kif_fdkind(fd, &dc, &qtype, &qpath, NULL) < 0 || !progfile(dc, qpath))
		return fd;
	kclose(fd);
	kwerrstr("file does not exist");
	return -1;
}

/* Is path a progfile that must not even be opened?  Opening emu's
 * #p/N/wait makes it that prog's queue of its children's exits (a
 * message arriving before the close would be lost to the prog), so a
 * name ending in "wait" is looked at first; any other #p file is
 * opened without effect and closed again (notprogfile). */
static int
progwait(char *path)
{
	char *s;
	Dir *d;
	int r;

	if(kif_progboxed())
		return 0;
	s = strrchr(path, '/');
	if(strcmp(s != NULL ? s + 1 : path, "wait") != 0)
		return 0;
	d = kdirstat(path);
	r = d != NULL && progfile(d->type, d->qid.path);
	free(d);
	if(r)
		kwerrstr("file does not exist");
	return r;
}

/* open or create path as doopen asks; -1 with the error set */
static int
openorcreate(char *path, uint32_t flags, int m, uint32_t perm)
{
	int fd, i;

	if(progwait(path))
		return -1;
	if((flags & LO_CREAT) && (flags & LO_EXCL))
		/* a new file is empty: no OTRUNC, which some of emu's devices
		 * (#e) would keep in the Chan's mode and then refuse writes */
		return notprogfile(kcreate(path, (m & ~OTRUNC) | OEXCL, perm));
	/* Linux's O_CREAT opens the file or makes it, one or the other,
	 * whoever makes it meanwhile, and never truncates without O_TRUNC;
	 * the kernel's create truncates a file that exists, so the make is
	 * exclusive, and a file made between the open and the make (another
	 * process's open of the same new name: sqlite's -shm) is opened */
	for(i = 0; i < 16; i++){
		fd = kopen(path, m);
		if(fd >= 0 || !(flags & LO_CREAT) || !isnoexist())
			break;
		fd = kcreate(path, (m & ~OTRUNC) | OEXCL, perm);
		if(fd >= 0 || kerrno() != -EEXIST)
			break;
	}
	return notprogfile(fd);
}

/* What an open keeps of its flags for F_GETFL, as Linux's f_flags:
 * all but O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC and O_CLOEXEC (and bits
 * that are no flag); __O_SYNC implies O_DSYNC; an O_PATH open keeps
 * only O_DIRECTORY and O_NOFOLLOW beside it.  O_DIRECT and O_NOATIME
 * are shown, not acted on (the I/O goes through the host's cache). */
static uint32_t
keptflags(uint32_t flags)
{
	if(flags & LO_PATH)
		return flags & (LO_PATH | LO_DIRECTORY | LO_NOFOLLOW);
	if(flags & LO_SYNC)
		flags |= LO_DSYNC;
	return flags & (LO_ACCMODE | FDSTATUS);
}

/* An O_PATH|O_NOFOLLOW fd of the symbolic link at path, as Linux's: its
 * fstat, fstatat and statx with AT_EMPTY_PATH, and readlinkat with an
 * empty path are the link's, /proc/self/fd/N names it; as a directory
 * fd it is ENOTDIR.  The kernel does not open links, so the kernel file
 * behind it is #c/null (what else an fd call does acts on nothing), and
 * vxrun keeps the path (Lnk), from / so a chdir does not move it. */
static long
linkfd(Lthread *t, char *path, uint32_t flags)
{
	char *abs;
	Lnk *l;
	int fd;

	if(flags & LO_DIRECTORY)
		return -ENOTDIR;	/* a link is no directory (ln -n asks so) */
	abs = strdup(path);
	if(abs != NULL)
		abs = abspath(abs);
	l = abs != NULL ? lnknew(abs) : NULL;
	free(abs);
	if(l == NULL)
		return -ENOMEM;
	fd = kopen("#c/null", OREAD);
	if(fd < 0){
		lnkput(l);
		return kerrno();
	}
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		lnkput(l);
		return -EMFILE;
	}
	fdinstallx(t->p, fd, keptflags(flags), (flags & LO_CLOEXEC) != 0, NULL, NULL, NULL, l);
	return fd;
}

static long doopen(Lthread*, char*, uint32_t, uint32_t);

/* Is kernel fd an open link of the Linux /proc (#L: self/exe, cwd, an
 * fd entry of an epoll or an O_PATH link), which reads as its target?
 * (An fd entry of another file opens that file itself.) */
static int
islxlink(int fd)
{
	unsigned long long qpath;
	int dc, qtype, r;
	Dir *d;

	if(kif_fdkind(fd, &dc, &qtype, &qpath, NULL) < 0 || dc != 'L' || (d = kdirfstat(fd)) == NULL)
		return 0;
	r = (d->mode & DMSYMLINK) != 0;
	free(d);
	return r;
}

/* Open target, where a link the open follows leads (an #L link's, a
 * dangling link's to be made): at most 8 links on, of either kind, then
 * ELOOP. */
static long
openlinked(Lthread *t, char *target, uint32_t flags, uint32_t perm)
{
	static _Thread_local int depth;
	long r;

	if(depth >= 8)
		return -ELOOP;
	depth++;
	r = doopen(t, target, flags, perm);
	depth--;
	return r;
}

/* Open what the #L link open at kernel fd names, as Linux's open
 * follows /proc/self/exe: the program, not its name.  A name that is
 * no path (anon_inode:[eventpoll]) has no file to open: ENXIO; Linux's
 * anonymous inode is root's with mode 0600, so a caller not root is
 * refused before that: EACCES. */
static long
lxfollow(Lthread *t, int fd, uint32_t flags, uint32_t perm)
{
	char *target;
	long n, r;

	target = malloc(MAXPATH);
	if(target == NULL){
		kclose(fd);
		return -ENOMEM;
	}
	n = kread(fd, target, MAXPATH - 1);
	kclose(fd);
	if(n <= 0 || target[0] != '/'){
		r = n < 0 ? kerrno() : n >= 11 && memcmp(target, "anon_inode:", 11) == 0 && hostuid() != 0 ? -EACCES : -ENXIO;
		free(target);
		return r;
	}
	target[n] = 0;
	r = openlinked(t, target, flags, perm);
	free(target);
	return r;
}

/* O_CREAT without O_EXCL on a dangling symbolic link makes the file it
 * names, as Linux's open does: where path is a link, its target (a
 * relative one from the link's directory) in buf, 1; else 0. */
static int
danglingtarget(char *path, char *buf)
{
	Kifstat x;
	char *s;
	Dir *d;
	long n, dn;

	d = kif_lstat(path, &x);
	if(d == NULL)
		return 0;
	n = (d->mode & DMSYMLINK) ? kif_readlink(path, buf, MAXPATH - 1) : -1;
	free(d);
	if(n <= 0)
		return 0;
	buf[n] = 0;
	if(buf[0] == '/')
		return 1;
	s = strrchr(path, '/');
	dn = s == NULL ? 0 : s - path + 1;
	if(dn + n >= MAXPATH)
		return 0;
	memmove(buf + dn, buf, n + 1);
	memcpy(buf, path, dn);
	return 1;
}

/* Open or make the file a dangling link names (the open of the link
 * itself found nothing, its make found the link). */
static long
creatlink(Lthread *t, char *path, uint32_t flags, uint32_t perm)
{
	char *target;
	long r;

	target = malloc(MAXPATH);
	if(target == NULL)
		return -ENOMEM;
	r = danglingtarget(path, target) ? openlinked(t, target, flags & ~LO_EXCL, perm) : -EEXIST;
	free(target);
	return r;
}

/*
 * open a namespace path with Linux flags; returns the fd or -errno.
 * Only a named pipe's open may wait for the other side, and only that
 * wait may a signal end (a 9P open is not interrupted, as Linux's disk
 * and network file opens are not): the open is tried first without
 * waiting (KIF_NOWAITOPEN), and made again, interruptibly, where it
 * would have waited.  O_NONBLOCK and O_PATH opens never wait.
 */
static long
doopen(Lthread *t, char *path, uint32_t flags, uint32_t perm)
{
	int fd, m, islink;
	Kifstat x;
	Dir *d;

	if(flags & LO_TMPFILE)
		return -EOPNOTSUPP;
	if(flags & LO_PATH)
		flags &= ~(LO_ACCMODE | LO_TRUNC | LO_CREAT);
	if(dirpath(path)){
		if(flags & LO_CREAT)
			return -EISDIR;
		if((fd = needdir(path)) < 0)
			return fd;
	}
	m = omode(flags);
	if(m < 0)
		return -EINVAL;
	perm &= 0777 & ~t->p->umask;
	/* Linux takes the fd before it touches the file: an open refused
	 * EMFILE creates and truncates nothing */
	if((flags & (LO_CREAT | LO_TRUNC)) && !fdroom(t->p))
		return -EMFILE;
	if((flags & LO_CREAT) && (flags & LO_EXCL)){
		d = kdirstat(path);
		if(d != NULL){
			free(d);
			return -EEXIST;
		}
	}
	/* O_NOFOLLOW: a symbolic link at the end is not opened, ELOOP; with
	 * O_PATH it is the fd's file (linkfd) */
	if((flags & LO_NOFOLLOW) && (d = kif_lstat(path, &x)) != NULL){
		islink = (d->mode & DMSYMLINK) != 0;
		free(d);
		if(islink)
			return (flags & LO_PATH) ? linkfd(t, path, flags) : -ELOOP;
	}
	kif_nowait((flags & (LO_NONBLOCK | LO_PATH)) ? 1 : KIF_NOWAITOPEN);
	fd = openorcreate(path, flags, m, perm);
	kif_nowait(0);
	if(fd < 0 && !(flags & (LO_NONBLOCK | LO_PATH)) && kerris("resource temporarily unavailable")){
		intrbegin(t);
		fd = openorcreate(path, flags, m, perm);
		intrend(t);
		if(fd < 0 && kerris("interrupted"))
			return -LERESTART;
	}
	if(fd < 0 && (flags & (LO_CREAT | LO_EXCL)) == LO_CREAT && kerrno() == -EEXIST)
		return creatlink(t, path, flags, perm);
	if(fd < 0)
		return kerrno();
	if(islxlink(fd))
		return lxfollow(t, fd, flags, perm);
	fd = ptydevtty(t, fd, m);
	if(fd < 0)
		return fd;
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		return -EMFILE;
	}
	fdinstall(t->p, fd, keptflags(flags), (flags & LO_CLOEXEC) != 0);
	if((flags & LO_DIRECTORY) && !t->p->fd[fd].isdir){
		fdclose(t->p, fd);
		return -ENOTDIR;
	}
	if(!(flags & LO_NOCTTY))
		ptyopened(t, fd);
	return fd;
}

long
sys_open(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return doopen(t, path, a[1], a[2]);
}

long
sys_creat(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return doopen(t, path, LO_CREAT | LO_TRUNC | 1, a[1]);
}

long
sys_openat(Lthread *t, uint32_t *a)
{
	char *path;
	long r;
	int err;

	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = doopen(t, path, a[2], a[3]);
	free(path);
	return r;
}

long
sys_close(Lthread *t, uint32_t *a)
{
	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	if(fdclose(t->p, a[0]) < 0)
		return kerrno();
	return 0;
}

/*
 * close_range(first, last, flags): close each open fd from first to last
 * (past the table's end: to its end), or with CLOSE_RANGE_CLOEXEC mark
 * each close-on-exec, as Linux's; EINVAL for another flag or first past
 * last.  CLOSE_RANGE_UNSHARE gives Linux's caller a table of its own
 * first: the same for a process of one thread; in one of more (whose
 * threads share the table here) EINVAL rather than close the others'
 * fds.
 */
long
sys_close_range(Lthread *t, uint32_t *a)
{
	enum { LCLOSE_RANGE_UNSHARE = 2, LCLOSE_RANGE_CLOEXEC = 4 };
	uint32_t fd, last;
	int alone;

	if((a[2] & ~(uint32_t)(LCLOSE_RANGE_UNSHARE | LCLOSE_RANGE_CLOEXEC)) || a[0] > a[1])
		return -EINVAL;
	if(a[2] & LCLOSE_RANGE_UNSHARE){
		pthread_mutex_lock(&glk);
		alone = t->p->nthreads == 1;
		pthread_mutex_unlock(&glk);
		if(!alone)
			return -EINVAL;
	}
	last = a[1] < MAXFD - 1 ? a[1] : MAXFD - 1;
	for(fd = a[0]; fd <= last; fd++){
		if(!fdcheck(t->p, fd))
			continue;
		if(a[2] & LCLOSE_RANGE_CLOEXEC)
			t->p->fd[fd].cloexec = 1;	/* as F_SETFD */
		else
			fdclose(t->p, fd);
	}
	return 0;
}

/* An fd with no file behind it: a socket, an eventfd (timerfd,
 * signalfd), an epoll, or a device read as a stream (f->slow) */
static int
nofile(Fdinfo *f)
{
	return f->slow || f->sock != NULL || f->ev != NULL || f->ep != NULL;
}

/* nofile of a look (fdlook) */
static int
lknofile(Fdlook *l)
{
	return l->slow || l->sock != NULL || l->ev != NULL || l->other;
}

/* Does a read (out 0) or write of the fd l looked at move as a
 * stream's, all or none of a buffer that faults part way?  lknofile's,
 * but a standard fd the host points at a regular file moves as a file
 * (stdio.c's hostfile). */
static int
streamio(Fdlook *l, int out)
{
	return lknofile(l) && !(l->hostfile & (out ? Hostwrite : Hostread));
}

/* Of a write of n bytes to a pipe of the host's (Hostpipe in hostfile)
 * whose guest buffer is there for room of them, what the host's pipe
 * would take: all, or the whole pages before the fault (stdio.c) */
static uint32_t
hostpipepart(int hostfile, uint32_t room, uint32_t n)
{
	if(!(hostfile & Hostpipe) || room >= n)
		return n;
	return room & ~(uint32_t)(PGSIZE - 1);
}

/* How many of n bytes a write at off may put below the limit lim, or
 * -EFBIG where it would start at or past it */
static long
limroom(uint64_t lim, int64_t off, long n)
{
	if((uint64_t)off >= lim)
		return -EFBIG;
	return lim - (uint64_t)off < (uint64_t)n ? (long)(lim - (uint64_t)off) : n;
}

/*
 * RLIMIT_FSIZE: how many of n bytes a write at off (< 0: at fd's
 * offset) may put in a regular file, or -EFBIG where it would start at
 * or past the soft limit.  Pipes, sockets and devices are not bounded.
 * The signal is the system call's to send (fsizesig): a call that
 * wrote something before reaching the limit returns that, unsignalled.
 * By fd: for a kernel that gives no taken files (fileroom's).
 */
static long
fsizeroom(Lthread *t, int fd, int64_t off, long n)
{
	uint64_t lim;
	Fdinfo *f;

	lim = fsizelimit(t);
	if(lim == RLNONE || n <= 0 || !fdcheck(t->p, fd))
		return n;
	f = &t->p->fd[fd];
	if(f->ispipe || f->isdir || nofile(f) || !isregular(NULL, fd))
		return n;
	if(off < 0 && (off = kseek(fd, 0, KSEEKCUR)) < 0)
		return n;
	return limroom(lim, off, n);
}

/*
 * fsizeroom's, of the open file k a write has taken (takefile): its
 * kind and, where off < 0, its offset, not those of whatever another
 * thread put at the fd since.  l, where not NULL, is a record that
 * describes k (rwfile compared them), whose pipes and streams need no
 * stat.
 */
static long
fileroom(Lthread *t, Fdlook *l, Kiffile *k, int64_t off, long n)
{
	uint64_t lim;

	lim = fsizelimit(t);
	if(lim == RLNONE || n <= 0)
		return n;
	if(l != NULL && (l->ispipe || l->isdir || lknofile(l)))
		return n;
	if(!fileisregular(k))
		return n;
	if(off < 0 && (off = kif_fileseek(k, 0, KSEEKCUR)) < 0)
		return n;
	return limroom(lim, off, n);
}

/* The soft RLIMIT_FSIZE (RLNONE: none): a word setrlimit writes, read
 * without glk as RLIMIT_AS's is (sysmem.c), every write asking */
uint64_t
fsizelimit(Lthread *t)
{
	return t->p->rlim[RLFSIZE][0];
}

/* A system call's result: EFBIG from the limit also sends SIGXFSZ. */
long
fsizesig(Lthread *t, long r)
{
	if(r == -EFBIG)
		postsigself(t, LSIGXFSZ);
	return r;
}

/* The errno of a failed read or write; a wait the kernel ended for a
 * signal (kinterrupt) is restarted or fails EINTR, as the handler says;
 * a write's EPIPE sends SIGPIPE where sigpipe says so. */
static long
ioerr1(Lthread *t, int sigpipe, int out)
{
	char buf[ERRMAX];
	long r;

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	if(strcmp(buf, "interrupted") == 0)
		return -LERESTART;
	r = kerrno();
	if(out && r == -EPIPE && sigpipe)
		postsigself(t, LSIGPIPE);
	return r;
}

/* ioerr1, SIGPIPE's look by fd: EPIPE sends it, as Linux's, but a
 * datagram or seqpacket socket's does not */
static long
ioerr(Lthread *t, int fd, int out)
{
	return ioerr1(t, out && socksigpipe(t->p, fd), out);
}

/* An open file taken for a call's reads or writes (takefile) and what
 * it is; copyfd holds one for the whole call, as Linux's sendfile and
 * splice hold theirs */
typedef struct Took Took;
struct Took {
	Kiffile *k;
	int dc;
	unsigned long long qpath;
};

/* The kernel keeps no open-file references (KIF_EBYFD; emu's kit until
 * session 28): reads and writes go by fd. */
static _Atomic int gbyfd;

/*
 * fd's open file, taken once for the kernel's read or write (out) of
 * it, so that what a call decided from what it knew of the file is
 * what it reads or writes, whatever another thread dup2s over fd
 * meanwhile (as Linux's read holds its file); *dc and *qpath say what
 * it is.  NULL, with *r 0 where the call goes by fd (KIF_EBYFD), or the
 * errno (fd closed since).
 */
static Kiffile *
takefile(uint32_t fd, int out, int *dc, unsigned long long *qpath, long *r)
{
	Kiffile *k;

	*r = 0;
	if(atomic_load_explicit(&gbyfd, memory_order_relaxed))
		return NULL;
	if((k = kif_fdfileio(fd, out, dc, qpath)) != NULL)
		return k;
	if(kifbyfd())
		atomic_store(&gbyfd, 1);
	else
		*r = kerrno();
	return NULL;
}

/*
 * rwlk's file, taken (takefile), if it is the one its fdlook saw
 * (f: its device and qid path).  Where it is another, one another
 * thread put at the fd since, the call is made again from the start
 * (-LERESTARTNOINTR: before any handler has run, and after one,
 * whatever SA_RESTART says), as though that file had been there
 * first: a pipe dup2'd over a regular file must be waited on as a
 * pipe, one a signal ends; an eventfd's doorbell (a kernel pipe) must
 * not be read raw where fdlook saw a pipe; a pipe's stand-in buffer
 * (rwmem, pipev) must reach no file but that pipe.  A record that
 * knew nothing of its file (dc 0) has nothing to compare.
 */
static Kiffile *
rwfile(Fdlook *f, uint32_t fd, int out, long *r)
{
	unsigned long long qpath;
	Kiffile *k;
	int dc;

	if((k = takefile(fd, out, &dc, &qpath, r)) == NULL || f->dc == 0)
		return k;
	if(dc != f->dc || qpath != f->qpath){
		kif_fileclose(k);
		*r = -LERESTARTNOINTR;
		return NULL;
	}
	return k;
}

/* A read or write of p[0:n] on fd, whose record f holds (fdlook);
 * guarded: p is a buffer only a pipe's or terminal's copies may have
 * (rwmem, pipev), which only the file f describes may get (rwfile).
 * held, where not NULL, is fd's open file taken already and found to
 * be the one f describes (copyfd's, for its whole call): the call
 * reads or writes it, the caller releasing it. */
static long
rwheld(Lthread *t, Fdlook *f, uint32_t fd, Kiffile *held, void *p, uint32_t n, int out, int guarded)
{
	Kiffile *k;
	long r;
	int nb, st;

	if(!f->used)
		return -EBADF;
	st = fdstatus(t->p, fd);
	if(st & LO_PATH)
		return -EBADF;	/* an O_PATH fd only names its file */
	/* a guarded buffer is no host buffer: another file put at the fd
	 * since makes the call again */
	if(f->ev != NULL)
		return guarded ? -LERESTARTNOINTR : evrw(t, f->ev, fd, p, n, out);
	if((f->flags & 3) == (out ? 0 : 1))
		return -EBADF;	/* not open for it (a pipe's read end does not write) */
	if(f->sock != NULL)
		return guarded ? -LERESTARTNOINTR : sockrw(t, fd, f, held, p, n, out);
	if(!out && f->isdir)
		return -EISDIR;
	/* the file, taken once: each step below asks it, not whatever
	 * another thread put at the fd since (until session 29 the job
	 * control and readiness looks went by fd, and a dup2 and a dup2
	 * back between them and the take landed them on another file) */
	if(held != NULL)
		k = held;
	else if((k = rwfile(f, fd, out, &r)) == NULL && r != 0)
		return r;
	/* the taken file's status, not that of whatever was at the fd when
	 * fdstatus looked: a nonblocking terminal's read waited where
	 * another thread had had a blocking file at the fd meanwhile */
	if(k != NULL && ((st = kif_fileflags(k) & FDSTATUS) & LO_PATH)){
		r = -EBADF;
		goto done;
	}
	/* a background process's (SIGTTIN, SIGTTOU) */
	if(f->istty && (r = k != NULL ? ttyjobfile(t, k, out) : ttyjob(t, fd, out)) != 0)
		goto done;
	/* O_NONBLOCK: the kernel's readiness test instead of waiting; a
	 * pipe's own read and write decide under kif_nowait, as Linux's:
	 * a FIFO read with no writer is end of file, also where poll shows
	 * nothing yet (no writer came since the open); so do a terminal's,
	 * as n_tty's: a raw read takes what is there, fewer than VMIN too,
	 * where poll says readable only once VMIN bytes are */
	if((st & LO_NONBLOCK) && n > 0 && !f->ispipe && !f->istty &&
	   !((k != NULL ? kif_fileready(k, out ? KIF_WRITE : KIF_READ) : kif_ready(fd, out ? KIF_WRITE : KIF_READ)) & (out ? KIF_WRITE : KIF_READ | KIF_HUP))){
		r = -EAGAIN;
		goto done;
	}
	/* O_APPEND's move to the end and RLIMIT_FSIZE's room: of the file
	 * the write goes to, taken, not of whatever another thread put at
	 * the fd since (an append moved another file's offset, and the
	 * write went where the taken file's offset had been; the limit
	 * looked at a pipe and let a file grow past it) */
	if(out && (st & LO_APPEND))
		k != NULL ? kif_fileseek(k, 0, KSEEKEND) : kseek(fd, 0, KSEEKEND);
	if(out){
		r = k != NULL ? fileroom(t, f, k, -1, n) : fsizeroom(t, fd, -1, n);
		if(r <= 0 && n > 0)
			goto done;
		n = r;
	}
	nb = (st & LO_NONBLOCK) != 0;
	if(nb)
		kif_nowait(1);	/* a pipe drained by another reader since: EAGAIN, not a wait */
	if(f->slow)
		intrbeginio(t);
	if(k != NULL)
		r = kif_fileio(k, p, n, -1, out);
	else
		r = out ? kwrite(fd, p, n) : kread(fd, p, n);
	if(f->slow)
		intrendio(t);
	if(nb)
		kif_nowait(0);
	/* EPIPE's SIGPIPE: the record is no socket's (sockrw's), so it is
	 * sent, whatever is at the fd now (a datagram socket put there
	 * since kept a pipe's from being sent) */
	if(r < 0)
		r = ioerr1(t, 1, out);
	/* a pipe's write cut short by its reader's going: SIGPIPE with the
	 * count, as Linux's pipe_write sends it whatever it wrote; the
	 * hangup the taken pipe's */
	else if(out && f->ispipe && (uint32_t)r < n &&
	   ((k != NULL ? kif_fileready(k, KIF_WRITE) : kif_ready(fd, KIF_WRITE)) & KIF_HUP))
		postsigself(t, LSIGPIPE);
done:
	if(k != held)
		kif_fileclose(k);
	return r;
}

static long
rwlk(Lthread *t, Fdlook *f, uint32_t fd, void *p, uint32_t n, int out, int guarded)
{
	return rwheld(t, f, fd, NULL, p, n, out, guarded);
}

/* The buffer of a call whose device never looks at it (sinkkind): one
 * byte of the host's, so only such a file may have it.  rwmem gives it
 * where fdlook's record is such a file, so that rwlk's file is that one
 * or none (rwfile); prwfile, which has no record, asks its file. */
static char unlooked[1];

/*
 * A positional read or write of fd at off, of its open file taken once
 * (takefile), or of held where not NULL (copyfd's, taken for its whole
 * call): one another thread turned into a pipe, the console or another
 * stream since the call looked at fd has no offsets (ESPIPE, as had the
 * dup2 come first), where the kernel's positional read of it would wait
 * where no signal reaches.  A write's RLIMIT_FSIZE is that file's
 * (-EFBIG, the caller's to signal), and so is its O_APPEND: as Linux's
 * pwrite, a write to such a file goes to its end, at any offset (until
 * session 28 it went to the offset).
 */
/* The length of a taken file: where an O_APPEND file's positional
 * write goes, whatever its offset (Linux's pwrite, its BUGS) */
static int64_t
fileend(Kiffile *k)
{
	int64_t len;
	Dir *d;

	if((d = kif_filedirstat(k)) == NULL)
		return -1;
	len = d->length;
	free(d);
	return len;
}

static long
prwtook(Lthread *t, uint32_t fd, Took *held, void *p, uint32_t n, int64_t off, int out)
{
	Took tk;
	long r;

	if(held == NULL){
		held = &tk;
		if((tk.k = takefile(fd, out, &tk.dc, &tk.qpath, &r)) == NULL){
			if(r != 0)
				return r;
			if(out && (r = fsizeroom(t, fd, off, n)) <= 0 && n > 0)
				return r;
			if(out)
				n = r;
			r = out ? kpwrite(fd, p, n, off) : kpread(fd, p, n, off);
			return r < 0 ? ioerr(t, fd, out) : r;
		}
	}
	if(p == unlooked && !sinkkind(held->dc, held->qpath, out))
		r = -LERESTARTNOINTR;	/* no sink now (rwmem): as though it had been there first */
	else if(slowkind(held->dc, held->qpath))
		r = -ESPIPE;
	/* an O_APPEND file's write goes to its end (off moved there) */
	else if(out && (kif_fileflags(held->k) & LO_APPEND) && (off = fileend(held->k)) < 0)
		r = ioerr(t, fd, out);
	else if(out && (r = fileroom(t, NULL, held->k, off, n)) <= 0 && n > 0)
		r = r < 0 ? r : 0;
	else if((r = kif_fileio(held->k, p, out ? (uint32_t)r : n, off, out)) < 0)
		r = ioerr(t, fd, out);
	if(held == &tk)
		kif_fileclose(tk.k);
	return r;
}

static long
prwfile(Lthread *t, uint32_t fd, void *p, uint32_t n, int64_t off, int out)
{
	return prwtook(t, fd, NULL, p, n, off, out);
}

static long
rw(Lthread *t, uint32_t fd, void *p, uint32_t n, int out)
{
	Fdlook l;
	long r;

	fdlook(t->p, fd, &l);
	r = rwlk(t, &l, fd, p, n, out, 0);
	fdlookdone(&l);
	return r;
}

/* A read of an inotify queue into memory the guest cannot write: Linux
 * takes the first event off the queue before it finds the buffer bad,
 * so it is lost; its other answers (EINVAL for a buffer too small for
 * it, EAGAIN, a wait) come first.  Records are whole multiples of 16
 * bytes: the first read that succeeds, growing by 16, takes one. */
static long
notifyfault(Lthread *t, uint32_t fd, uint32_t n)
{
	char buf[16 + 256];
	uint32_t m;
	long r;

	r = -EINVAL;
	for(m = 16; m <= n && m <= sizeof buf && r == -EINVAL; m += 16)
		r = rw(t, fd, buf, m, 0);
	return r > 0 ? -EFAULT : r;
}

/* l is a pipe or FIFO as Linux sees one: not the doorbell pipe an
 * eventfd, timerfd or signalfd sits on here (ispipe too) */
static int
plainpipe(Fdlook *l)
{
	return l->ispipe && l->ev == NULL;
}

/* fd reads and writes a kernel pipe (or FIFO) whose copies look at
 * the buffer as they go (devpipe's kcopy, where gpipecopy); an eventfd, timerfd or
 * signalfd, which sits on one too, copies its record itself */
static int
kpipeof(Fdlook *l)
{
	return gpipecopy && l->used && plainpipe(l);
}

/* fd's record (fdlook) is a terminal's master or slave (#P), whose
 * read takes its bytes and then copies them out, stopping at the first
 * page the guest refuses (devpty's takeout), as Linux's tty read.  The
 * record's, not the fd's now: rwlk gives the buffer to the file the
 * record describes or to none (rwfile), and another thread may put a
 * terminal at the fd and take it away again meanwhile (an inotify
 * queue's read, which fdlook saw, then copied an event into memory the
 * guest may not write). */
static int
ptyfdof(Fdlook *l)
{
	return l->used && l->istty;
}

/* May fd's read (out 0) or write have a buffer that only its device's
 * copies look at (kcopy): a kernel pipe's, a terminal's read's.  Such a
 * buffer (gmemguarded, no page of it looked at) or a vectored call's
 * stand-in token (pipev) means the guest's memory only to that file's
 * copies; any other file would move bytes through it as a host buffer,
 * to and from guest memory the call never named.  rwlk gives it to the
 * file fdlook saw or to none (rwfile): another file put at the fd by
 * another thread makes the call again, as though it had been there
 * first. */
static int
guardable(Fdlook *l, int out)
{
	return kpipeof(l) || (!out && ptyfdof(l));
}

/*
 * The guest memory a read (out 0) or write on fd moves the *n bytes at
 * addr through, with in *n how many of them it may move.  A file's runs
 * as far as its memory does (gmemroom): Linux copies a file's bytes up
 * to the first page it cannot reach and returns that short count.  A
 * stream's (socket, terminal, eventfd) is all or nothing: Linux's copy
 * of a socket's buffer that faults fails whole and leaves the bytes
 * there (a datagram socket's read then goes to streamv, which takes
 * the datagram and delivers it if it fits before the fault).  A pipe's goes to the pipe unlooked at (gmemguarded): its copy
 * stops at the first page the guest refuses, a pipe buffer at a time, as
 * Linux's (devpipe.c).  So does a terminal's read (devpty.c): Linux's
 * takes the bytes, copies them out as far as the buffer goes and drops
 * the rest (a line read into a bad buffer is gone, EFAULT).  A device that never looks at the buffer
 * (a write to /dev/null, as Linux's write_null) gets one that is not
 * there too.
 */
static void *
rwmem(Lthread *t, Fdlook *l, uint32_t addr, uint32_t *n, int out, int *guarded)
{
	uint32_t room;
	void *p;

	if(guarded != NULL)
		*guarded = 0;
	if(guarded != NULL && guardable(l, out)){
		p = gmemguarded(t, addr, *n, n);
		*guarded = p != NULL;
		return p;
	}
	if(out && l->used && (l->hostfile & Hostpipe)){
		p = gmemroom(t, addr, *n, VX_PROT_READ, &room);
		room = hostpipepart(l->hostfile, room, *n);
		if(room == 0 && *n > 0)
			p = NULL;
	}else if(!l->used || streamio(l, out)){
		p = gmem(t, addr, *n, out ? VX_PROT_READ : VX_PROT_WRITE);
		room = p != NULL ? *n : 0;
	}else
		p = gmemroom(t, addr, *n, out ? VX_PROT_READ : VX_PROT_WRITE, &room);
	if(room < *n && l->used && sinkkind(l->dc, l->qpath, out))
		return unlooked;	/* never looked at: all *n of it */
	*n = room;
	return p;
}

/* A read of an eventfd, timerfd or signalfd into memory the guest
 * cannot write: Linux takes the count (one, as a semaphore; the ticks;
 * the first signal) and then fails to copy it, so it is lost; its other
 * answers (EINVAL for a count too small, EAGAIN, a wait) come first.
 * One record, as the read of a buffer that held it would take. */
static long
evlost(Lthread *t, Evfd *e, uint32_t fd, uint32_t n)
{
	char buf[128];	/* a signalfd's record, the largest */
	long r;

	r = evrw(t, e, fd, buf, n < sizeof buf ? n : sizeof buf, 0);
	return r > 0 ? -EFAULT : r;
}

/*
 * The answer of a read or write of n bytes (at off; < 0: at the fd's
 * offset) whose buffer holds none of them: what Linux finds wrong
 * before it looks at the buffer (a bad fd, one not open for it, a
 * directory), nothing at a file's end (a read there copies nothing), an
 * inotify queue's or eventfd's lost record; else EFAULT.
 */
static long
rwfail(Lthread *t, uint32_t fd, uint32_t n, int64_t off, int out)
{
	Fdinfo *f;
	Evfd *e;
	Took tk;
	long r;
	char b;

	if(!fdcheck(t->p, fd) || (fdstatus(t->p, fd) & LO_PATH))
		return -EBADF;
	if((e = evof(t->p, fd)) != NULL){
		r = out ? -EFAULT : evlost(t, e, fd, n);
		evdecref(e);
		return r;
	}
	f = &t->p->fd[fd];
	if((f->flags & 3) == (out ? 0 : 1))
		return -EBADF;
	if(out)
		return -EFAULT;
	if(f->isdir)
		return -EISDIR;
	if(isnotifyfd(fd))
		return notifyfault(t, fd, n);
	if(n == 0 || nofile(f))
		return -EFAULT;
	/* of the file taken once: its kind, its offset and its byte at
	 * that offset, whatever another thread puts at the fd meanwhile (a
	 * terminal put there since isregular looked by fd was read, a
	 * wait no signal ended) */
	if((tk.k = takefile(fd, 0, &tk.dc, &tk.qpath, &r)) == NULL){
		if(r != 0 || !isregular(NULL, fd))
			return -EFAULT;
		if(off < 0 && (off = kseek(fd, 0, KSEEKCUR)) < 0)
			return -EFAULT;
		return prwfile(t, fd, &b, 1, off, 0) == 0 ? 0 : -EFAULT;
	}
	r = -EFAULT;
	if(fileisregular(tk.k) && (off >= 0 || (off = kif_fileseek(tk.k, 0, KSEEKCUR)) >= 0) &&
	   prwtook(t, fd, &tk, &b, 1, off, 0) == 0)
		r = 0;
	kif_fileclose(tk.k);
	return r;
}

static long streamv(Lthread*, uint32_t, Giov*, uint32_t, uint64_t, int);

/* read and write take fd's record once (fdlook), for rwmem and rw */
long
sys_read(Lthread *t, uint32_t *a)
{
	uint32_t n;
	Fdlook l;
	Giov one;
	void *p;
	long r;
	int guarded;

	fdlook(t->p, a[0], &l);
	n = a[2] > MAXRW ? MAXRW : a[2];
	p = rwmem(t, &l, a[1], &n, 0, &guarded);
	if(p == NULL && l.used && l.sock != NULL){
		one = (Giov){a[1], a[2] > MAXRW ? MAXRW : a[2]};
		r = streamv(t, a[0], &one, 1, one.len, 0);	/* a datagram that fits */
	}else if(p == NULL)
		r = rwfail(t, a[0], a[2], -1, 0);
	else
		r = rwlk(t, &l, a[0], p, n, 0, guarded);
	fdlookdone(&l);
	return r;
}

long
sys_write(Lthread *t, uint32_t *a)
{
	uint32_t n;
	Fdlook l;
	void *p;
	long r;
	int guarded;

	fdlook(t->p, a[0], &l);
	n = a[2] > MAXRW ? MAXRW : a[2];
	p = rwmem(t, &l, a[1], &n, 1, &guarded);
	if(p == NULL)
		r = rwfail(t, a[0], a[2], -1, 1);
	else
		r = rwlk(t, &l, a[0], p, n, 1, guarded);
	fdlookdone(&l);
	return fsizesig(t, r);
}

/*
 * A pipe's readv or writev: one read or write of the iovecs as one
 * buffer (gvecbegin), so a write of at most PIPE_BUF goes in whole and a
 * copy stops where Linux's would, the pipe's accounting saying what
 * moved.  A write longer than the guest memory (iovecs that repeat a
 * buffer) goes a memory's worth at a time, as Linux may split one past
 * PIPE_BUF.
 */
static long
pipev(Lthread *t, uint32_t fd, Giov *v, uint32_t nv, uint64_t total, int out)
{
	uint32_t len, room;
	uint64_t done;
	Fdlook l;
	void *tok;
	Gvec g;
	long r;

	done = 0;
	do{
		len = total - done;
		fdlook(t->p, fd, &l);	/* each time: another thread may have put another file there */
		if(!kpipeof(&l)){	/* no pipe at the fd now: through a host buffer */
			fdlookdone(&l);
			return done > 0 ? (long)done : streamv(t, fd, v, nv, total, out);
		}
		if((tok = gvecbegin(&g, t, v, nv, done, len, out, &room)) == NULL){
			fdlookdone(&l);
			return done > 0 ? (long)done : -EFAULT;
		}
		r = rwlk(t, &l, fd, tok, room, out, 1);
		gvecend();
		fdlookdone(&l);
		if(r < 0)
			return done > 0 ? (long)done : r;
		done += r;
	}while(out && (uint32_t)r == room && done < total);
	return done;
}

enum {
	Streamread = 1 << 20,	/* a stream's readv: at most this (a short read) */
};

/*
 * A write of the iovecs' total bytes gathered into a host buffer of at
 * most chunk bytes, each chunk given to put (at least once: an empty
 * datagram is one): the bytes written.  A chunk the guest refuses part
 * of goes nowhere: EFAULT, or the count of those before it; so does an
 * error after some were written, and a short put ends the write.
 */
long
gatherput(Lthread *t, uint32_t fd, Giov *v, uint32_t nv, uint64_t total, uint32_t chunk, Putfn *put, void *arg)
{
	uint64_t done;
	uint32_t len;
	uint8_t *buf;
	long r;

	len = total < chunk ? total : chunk;
	if((buf = malloc(len + 1)) == NULL)
		return -ENOMEM;
	done = 0;
	do{
		if(len > total - done)
			len = total - done;
		if(giovgather(t, v, nv, done, buf, len) < len){
			r = -EFAULT;
			break;
		}
		if((r = put(t, fd, buf, len, arg)) > 0)
			done += r;
	}while(r > 0 && (uint32_t)r == len && done < total);
	free(buf);
	return done > 0 ? (long)done : r;
}

/* rw as gatherput's put */
static long
rwput(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, void *arg)
{
	(void)arg;
	return rw(t, fd, buf, n, 1);
}

/*
 * The readv or writev of a stream other than a pipe (a socket, a
 * terminal, an eventfd), and the read of a socket into a buffer the
 * guest refuses part of: one read or write through a host buffer, as
 * Linux's takes the iovecs as one buffer: a datagram socket's is one
 * datagram.  A write is all or nothing: a buffer the guest refuses any
 * of is EFAULT and sends nothing, as Linux's copy into one socket
 * buffer.  A read into such a buffer: a datagram is taken and then
 * delivered if it fits before the fault, else lost (EFAULT), as Linux's;
 * anything else's is EFAULT whole, the bytes left (rwfail), as Linux's
 * stream socket where one write's bytes straddle the fault (it takes
 * the queued writes that fit before it, which the kernel's queue does
 * not tell apart).  A stream's long write goes a chunk at a time
 * (gatherput: no host copy as large as the guest asks); a socket's
 * write is sendmsg's (socksendv).
 */
static long
streamv(Lthread *t, uint32_t fd, Giov *v, uint32_t nv, uint64_t total, int out)
{
	uint32_t len, room;
	uint8_t *buf;
	long r;

	if(out){
		if(t->p->fd[fd].hostfile & Hostpipe)
			total = hostpipepart(t->p->fd[fd].hostfile, giovroom(t, v, nv, VX_PROT_READ, total < MAXRW ? total : MAXRW), total);
		r = total == 0 ? -EFAULT : t->p->fd[fd].sock != NULL ? socksendv(t, fd, 0, 0, v, nv, total, 0)
			: gatherput(t, fd, v, nv, total, Streamchunk, rwput, NULL);
		return r == -EFAULT ? rwfail(t, fd, total, -1, 1) : r;
	}
	len = total < Streamread ? total : Streamread;
	room = giovroom(t, v, nv, VX_PROT_WRITE, len);
	if(room < len && (room == 0 || t->p->fd[fd].sock == NULL || socksigpipe(t->p, fd)))
		return rwfail(t, fd, total, -1, 0);
	if((buf = malloc(len)) == NULL)
		return -ENOMEM;
	r = recvdeliver(t, fd, v, nv, buf, rw(t, fd, buf, len, 0));
	free(buf);
	return r;
}

/*
 * readv and writev (off < 0: at the fd's offset), preadv and pwritev (at
 * off, which the fd's offset does not follow).  A file's buffers are
 * taken in turn, each as far as its memory goes (rwmem), a short one
 * ending the call; a stream's as one buffer (pipev, streamv).
 */
static long
vecfd(Lthread *t, Fdlook *l, uint32_t *a, int64_t off, int out)
{
	uint64_t total;
	uint32_t i, len;
	Giov *v;
	void *p;
	long r;

	if(a[2] > MAXIOV)
		return -EINVAL;
	v = giov(t, a[1], a[2], VX_PROT_NONE, &total, &r);
	if(v == NULL)
		return r;
	/* nothing to move: Linux asks the file nothing (a pipe with no
	 * reader is no EPIPE, an empty one no wait, a datagram socket
	 * sends none) once the fd is open for it */
	if(total == 0)
		return (fdstatus(t->p, a[0]) & LO_PATH) || (l->flags & 3) == (out ? 0 : 1) ? -EBADF : 0;
	/* an eventfd's write and an inotify queue's read are Linux's
	 * one-buffer kind: readv and writev call them a buffer at a time
	 * (an eventfd's, timerfd's or signalfd's read takes the iovecs as
	 * one) */
	if(off < 0 && streamio(l, out) && !(out ? l->ev != NULL : isnotifyfd(a[0])))
		return kpipeof(l) ? pipev(t, a[0], v, a[2], total, out) : streamv(t, a[0], v, a[2], total, out);
	for(i = 0, total = 0; i < a[2]; i++){
		if(v[i].len == 0)
			continue;
		len = v[i].len;
		p = rwmem(t, l, v[i].base, &len, out, NULL);	/* a file's: no pipe's buffer */
		if(p == NULL){
			r = total > 0 ? 0 : rwfail(t, a[0], v[i].len, off, out);
			break;
		}
		if(off >= 0)
			r = prwfile(t, a[0], p, len, off + total, out);	/* RLIMIT_FSIZE its file's */
		else
			r = rwlk(t, l, a[0], p, len, out, 0);
		if(r < 0)
			break;
		total += r;
		if((uint32_t)r < v[i].len)
			break;
	}
	if(total > 0)
		return total;
	return r < 0 ? r : 0;
}

static long
vecio(Lthread *t, uint32_t *a, int64_t off, int out)
{
	Fdlook l;
	long r;

	if(!fdlook(t->p, a[0], &l))
		return -EBADF;
	r = vecfd(t, &l, a, off, out);
	fdlookdone(&l);
	return r;
}

static long
rwv(Lthread *t, uint32_t *a, int out)
{
	return vecio(t, a, -1, out);
}

long sys_readv(Lthread *t, uint32_t *a) { return rwv(t, a, 0); }
long sys_writev(Lthread *t, uint32_t *a) { return fsizesig(t, rwv(t, a, 1)); }

static long
prw(Lthread *t, uint32_t *a, int out)
{
	int64_t off;
	uint32_t n;
	Fdlook l;
	void *p;
	long r;

	off = arg64(a[3], a[4]);
	if(off < 0)
		return -EINVAL;
	r = !fdlook(t->p, a[0], &l) || (fdstatus(t->p, a[0]) & LO_PATH) ? -EBADF : 0;
	/* a pipe or the console has no offsets (as Linux: ESPIPE); a
	 * positional read of one would also wait where no signal reaches */
	if(r == 0 && l.slow)
		r = -ESPIPE;
	n = a[2] > MAXRW ? MAXRW : a[2];
	p = r == 0 ? rwmem(t, &l, a[1], &n, out, NULL) : NULL;
	fdlookdone(&l);
	if(r < 0)
		return r;
	if(p == NULL)
		return rwfail(t, a[0], a[2], off, out);
	r = prwfile(t, a[0], p, n, off, out);	/* RLIMIT_FSIZE the taken file's */
	return out ? fsizesig(t, r) : r;
}

long sys_pread64(Lthread *t, uint32_t *a) { return prw(t, a, 0); }
long sys_pwrite64(Lthread *t, uint32_t *a) { return prw(t, a, 1); }

/* preadv and pwritev: at off, of a file that has offsets */
static long
prwv(Lthread *t, uint32_t *a, int64_t off, int out)
{
	if(!fdopened(t->p, a[0]))
		return -EBADF;
	if(off < 0)
		return -EINVAL;
	if(t->p->fd[a[0]].slow)
		return -ESPIPE;
	return vecio(t, a, off, out);
}

/* preadv(fd, iov, n, off_lo, off_hi) */
long sys_preadv(Lthread *t, uint32_t *a) { return prwv(t, a, arg64(a[3], a[4]), 0); }
long sys_pwritev(Lthread *t, uint32_t *a) { return fsizesig(t, prwv(t, a, arg64(a[3], a[4]), 1)); }

/*
 * preadv2 and pwritev2 add flags; an offset of -1 is the fd's own, as
 * readv and writev.  RWF_DSYNC and RWF_SYNC change nothing here (every
 * write reaches the file server); the others are refused, as Linux
 * refuses RWF_HIPRI on a file without O_DIRECT.
 */
enum { RWF_DSYNC = 2, RWF_SYNC = 4 };

static long
prwv2(Lthread *t, uint32_t *a, int out)
{
	int64_t off;

	if(a[5] & ~(uint32_t)(RWF_DSYNC | RWF_SYNC))
		return -EOPNOTSUPP;
	off = arg64(a[3], a[4]);
	if(off == -1)
		return rwv(t, a, out);
	return prwv(t, a, off, out);
}

long sys_preadv2(Lthread *t, uint32_t *a) { return prwv2(t, a, 0); }
long sys_pwritev2(Lthread *t, uint32_t *a) { return fsizesig(t, prwv2(t, a, 1)); }

/*
 * fallocate(fd, mode, off_lo, off_hi, len_lo, len_hi): mode 0 makes the
 * file at least off+len long (glibc's posix_fallocate, rsync, sqlite);
 * FALLOC_FL_KEEP_SIZE alone has nothing to do, as the file servers
 * give no block reservations.  Punching holes and the rest are not
 * offered (EOPNOTSUPP, which programs take as a file system without).
 */
enum { FALLOC_KEEP_SIZE = 1 };

long
sys_fallocate(Lthread *t, uint32_t *a)
{
	int64_t off, len;
	Fdinfo *f;
	Dir *d, nd;
	int64_t size;
	long r;

	off = arg64(a[2], a[3]);
	len = arg64(a[4], a[5]);
	if(a[1] & ~(uint32_t)FALLOC_KEEP_SIZE)
		return -EOPNOTSUPP;
	if(off < 0 || len <= 0)
		return -EINVAL;
	if(!fdopened(t->p, a[0]))
		return -EBADF;
	f = &t->p->fd[a[0]];
	if((f->flags & 3) == 0)
		return -EBADF;
	if(f->ispipe)
		return -ESPIPE;
	if(f->isdir)
		return -EISDIR;
	if(nofile(f))
		return -ENODEV;
	if(off > INT64_MAX - len)
		return -EFBIG;
	if(a[1] & FALLOC_KEEP_SIZE)
		return 0;
	d = kdirfstat(a[0]);
	if(d == NULL)
		return kerrno();
	size = d->length;
	free(d);
	if(off + len <= size)
		return 0;
	if((r = fsizegrow(t, NULL, a[0], off + len)) < 0)
		return r;
	nulldir(&nd);
	nd.length = off + len;
	return kdirfwstat(a[0], &nd) < 0 ? kerrno() : 0;
}

/* readahead(fd, off_lo, off_hi, count): the file servers keep no page
 * cache to fill; a file open for reading that has offsets says yes */
long
sys_readahead(Lthread *t, uint32_t *a)
{
	Fdinfo *f;

	if(!fdopened(t->p, a[0]))
		return -EBADF;
	f = &t->p->fd[a[0]];
	if((f->flags & 3) == 1)
		return -EBADF;
	if(f->isdir || nofile(f))
		return -EINVAL;
	return 0;
}

/* lseek's SEEK_DATA and SEEK_HOLE, as Linux's for a file system that
 * keeps no holes: all of a file is data, with one hole at its end;
 * ENXIO at or past the end */
static int64_t
datahole(uint32_t fd, int64_t off, uint32_t whence)
{
	int64_t size;
	Dir *d;

	d = kdirfstat(fd);
	if(d == NULL)
		return kerrno();
	size = d->length;
	free(d);
	if(off < 0 || off >= size)
		return -ENXIO;
	return kseek(fd, whence == LSEEK_DATA ? off : size, 0) < 0 ? kerrno() : (whence == LSEEK_DATA ? off : size);
}

static int64_t
doseek(Lthread *t, uint32_t fd, int64_t off, uint32_t whence)
{
	Fdinfo *f;
	int64_t r;

	if(!fdcheck(t->p, fd))
		return -EBADF;
	if(whence > LSEEK_HOLE)
		return -EINVAL;
	f = &t->p->fd[fd];
	/* a pipe, socket or the console has no offsets (Linux: ESPIPE);
	 * the kernel's Chan has one, and a reader like bash that read ahead
	 * would seek back over bytes that are gone */
	if(f->slow && !f->nooff)
		return -ESPIPE;
	if(fdstatus(t->p, fd) & LO_PATH)
		return -EBADF;
	if(f->nooff)
		return 0;
	if(whence >= LSEEK_DATA && !f->isdir)
		return datahole(fd, off, whence);
	if(f->isdir)
		return dirseek(t, fd, off, whence);	/* a rewind, or a telldir's position */
	r = kseek(fd, off, whence);
	if(r < 0)
		return kerrno() == -EBADF || kerrno() == -EINVAL ? kerrno() : -ESPIPE;
	return r;
}

long
sys_lseek(Lthread *t, uint32_t *a)
{
	int64_t r;

	r = doseek(t, a[0], (int32_t)a[1], a[2]);
	if(r > 0x7fffffff)
		return -EOVERFLOW;
	return r;
}

/* _llseek(fd, hi, lo, result, whence) */
long
sys_llseek(Lthread *t, uint32_t *a)
{
	int64_t r;
	void *res;

	res = gmem(t, a[3], 8, VX_PROT_WRITE);
	if(res == NULL)
		return -EFAULT;
	r = doseek(t, a[0], arg64(a[2], a[1]), a[4]);
	if(r < 0)
		return r;
	put64(res, r);
	return 0;
}

/* dup old to new (-1: lowest free at or above min); cloexec for the new fd */
static long
dodup(Lthread *t, uint32_t old, int new, int min, int cloexec)
{
	Kifident id;
	uint32_t flags;
	unsigned long long qp;
	int fd, held, spare, dc, qt, fresh;
	Epoll *ep;
	Evfd *ev;
	Lnk *lk;
	Dstate *ds;
	long err;

	if(!fdcheck(t->p, old))
		return -EBADF;
	fresh = new < 0;
	if(!fresh && new >= fdlimit(t->p))
		return -EBADF;
	/* an epoll instance, eventfd or O_PATH link is the open file's: the
	 * copy shares it (references taken now: old may be closed meanwhile) */
	pthread_mutex_lock(&t->p->flk);
	flags = t->p->fd[old].flags;
	ep = t->p->fd[old].ep;
	epincref(ep);
	ev = t->p->fd[old].ev;
	evincref(ev);
	lk = lnkget(t->p->fd[old].lnk);
	ds = dsshare(&t->p->fd[old]);
	pthread_mutex_unlock(&t->p->flk);
	/* The kernel's swap and the record's are one step under the fd
	 * lock, so a fork (fdcopy) gives the child new's old file or its
	 * new one, as Linux's, never neither.  A 9P file's last close is a
	 * clunk, which may be slow: such a file is kept by a spare kernel
	 * fd through the swap and closed after it, so it holds up no other
	 * fd call of the process.  (A dup2 of another thread onto the
	 * spare's number meanwhile would lose its fd, as with the kernel
	 * fds other calls hold for a moment.) */
	held = 0;
	spare = -1;
	if(!fresh){
		held = lkclosing(new, &id);	/* kdup closes what new held */
		if(kif_fdkind(new, &dc, &qt, &qp, NULL) == 0 && dc == 'M')
			spare = kdup(new, -1);
		if(spare >= MAXFD){
			kclose(spare);	/* where fdreconcile does not look: closed in the swap */
			spare = -1;
		}
	}
	pthread_mutex_lock(&t->p->flk);
	/* dup, F_DUPFD: the lowest fd from min that neither the record nor
	 * the kernel's table holds, chosen and taken in one step under flk.
	 * It was chosen by the record alone, before the lock: a file another
	 * thread's call had opened but not yet recorded (a socket's, an
	 * open's) was put out of its fd by the dup, which the call then
	 * recorded as its own, until session 31. */
	if(fresh){
		for(new = min; new < fdlimit(t->p) && (t->p->fd[new].used || kif_fdkind(new, &dc, &qt, &qp, NULL) == 0); new++)
			;
		fd = new < fdlimit(t->p) ? kdup(old, new) : -1;
		err = new >= fdlimit(t->p) ? -EMFILE : fd < 0 ? kerrno() : 0;
	}else{
		fd = kdup(old, new);
		err = fd < 0 ? kerrno() : 0;
	}
	if(fd >= 0)
		fdrecord(t->p, fd, flags, cloexec, ep, ev, NULL, lk);
	if(fd >= 0 && t->p->fd[fd].isdir){
		t->p->fd[fd].ds = ds;
		ds = NULL;
	}
	pthread_mutex_unlock(&t->p->flk);
	dsput(ds);
	if(spare >= 0)
		kclose(spare);
	if(held)
		lkclosed(t->p, &id);
	kif_closed();
	if(fd < 0){
		epdecref(ep);
		evdecref(ev);
		lnkput(lk);
		return err;
	}
	return fd;
}

long
sys_dup(Lthread *t, uint32_t *a)
{
	return dodup(t, a[0], -1, 0, 0);
}

long
sys_dup2(Lthread *t, uint32_t *a)
{
	if(a[0] == a[1])
		return fdcheck(t->p, a[0]) ? (long)a[1] : -EBADF;
	return dodup(t, a[0], a[1] >= MAXFD ? MAXFD : (int)a[1], 0, 0);
}

long
sys_dup3(Lthread *t, uint32_t *a)
{
	if(a[0] == a[1] || (a[2] & ~(uint32_t)LO_CLOEXEC))
		return -EINVAL;
	return dodup(t, a[0], a[1] >= MAXFD ? MAXFD : (int)a[1], 0, (a[2] & LO_CLOEXEC) != 0);
}

static long
dopipe(Lthread *t, uint32_t addr, uint32_t flags)
{
	int fd[2];
	void *p;

	if(flags & ~(uint32_t)(LO_CLOEXEC | LO_NONBLOCK))
		return -EINVAL;
	p = gmem(t, addr, 8, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	if(kpipe(fd) < 0)
		return kerrno();
	if(fd[0] >= fdlimit(t->p) || fd[1] >= fdlimit(t->p)){
		kclose(fd[0]);
		kclose(fd[1]);
		return -EMFILE;
	}
	fdinstall(t->p, fd[0], 0 | (flags & LO_NONBLOCK), (flags & LO_CLOEXEC) != 0);
	fdinstall(t->p, fd[1], 1 | (flags & LO_NONBLOCK), (flags & LO_CLOEXEC) != 0);
	put32(p, fd[0]);
	put32((char*)p + 4, fd[1]);
	return 0;
}

enum {
	LMFD_CLOEXEC = 1, LMFD_ALLOW_SEALING = 2, LMFD_HUGETLB = 4, LMFD_NOEXEC_SEAL = 8,
	LMFD_EXEC = 0x10, LMFD_ALL = 0x1f, LMFD_HUGESIZES = 0x3fu << 26,
	MFDNAMEMAX = 249,	/* NAME_MAX less "memfd:" */
};

/*
 * memfd_create(name, flags): an anonymous file in host memory (kmemfd),
 * with Linux's checks in its order: flags, then the name.  MFD_HUGETLB
 * is refused (EINVAL, a kernel with no huge page file system): guest
 * memory is ours, in pages of 4 KiB.  Sealing is the host memfd's own.
 */
long
sys_memfd_create(Lthread *t, uint32_t *a)
{
	char name[MFDNAMEMAX + 1];
	uint32_t flags;
	long n;
	int fd;

	flags = a[1];
	if(flags & ~(uint32_t)(LMFD_ALL | ((flags & LMFD_HUGETLB) ? LMFD_HUGESIZES : 0)))
		return -EINVAL;
	if((flags & LMFD_EXEC) && (flags & LMFD_NOEXEC_SEAL))
		return -EINVAL;
	n = gstrcpy(t, a[0], name, sizeof name);
	if(n < 0)
		return n == -EFAULT ? -EFAULT : -EINVAL;
	if(flags & LMFD_HUGETLB)
		return -EINVAL;
	fd = kif_memfd(name, flags & (LMFD_ALLOW_SEALING | LMFD_NOEXEC_SEAL | LMFD_EXEC));
	if(fd < 0)
		return kerrno();
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		return -EMFILE;
	}
	fdinstall(t->p, fd, 2, (flags & LMFD_CLOEXEC) != 0);
	return fd;
}

/* F_ADD_SEALS and F_GET_SEALS: the host file's own seals (a memfd's,
 * or a host tmpfs file's F_SEAL_SEAL, as Linux has them); EINVAL for
 * any other file, as Linux's. */
static long
seals(uint32_t fd, int cmd, uint32_t arg)
{
	unsigned long long qpath;
	int dc, qtype, hfd, r;

	if(kif_fdkind(fd, &dc, &qtype, &qpath, &hfd) < 0)
		return -EBADF;
	if(hfd < 0)
		return -EINVAL;
	r = cmd == LF_ADD_SEALS ? fcntl(hfd, F_ADD_SEALS, (int)arg) : fcntl(hfd, F_GET_SEALS);
	if(r < 0)
		r = -errno;
	close(hfd);
	return r;
}

long sys_pipe(Lthread *t, uint32_t *a) { return dopipe(t, a[0], 0); }
long sys_pipe2(Lthread *t, uint32_t *a) { return dopipe(t, a[0], a[1]); }

/* F_GETPIPE_SZ: a pipe or FIFO's room a direction, the kernel's
 * (64 KiB, or a page where its sandbox could not afford that;
 * Linux's 64 KiB where the kernel does not say); no other file has one */
static long
pipesize(Lthread *t, uint32_t fd)
{
	int n;

	if(!t->p->fd[fd].ispipe)
		return -EBADF;
	n = kif_pipesize(fd);
	return n > 0 ? n : 1 << 16;
}

/* F_SETPIPE_SZ: the size asked rounded up to a power of two of pages
 * (past 2 GiB EINVAL; growing past pipe-max-size, 1 MiB, EPERM for an
 * unprivileged process), given to the pipe (EBUSY where more is queued,
 * EPERM past the sandbox's memory), the room it then has the answer, as
 * Linux's.  A kernel whose pipes keep their room (emu) answers that. */
static long
setpipesize(Lthread *t, uint32_t fd, uint32_t want)
{
	enum { PIPEMAX = 1 << 20 };
	uint64_t size;
	long have;
	int r;

	if((have = pipesize(t, fd)) < 0)
		return have;
	if(want > 1u << 31)
		return -EINVAL;
	for(size = PGSIZE; size < want; size <<= 1)
		;
	if(size > (uint64_t)have && size > PIPEMAX)
		return -EPERM;
	r = kif_setpipesize(fd, (int)size);
	if(r < 0)
		return kerrno();
	return r > 0 ? r : have;
}

long
sys_fcntl64(Lthread *t, uint32_t *a)
{
	Fdinfo *f;

	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	f = &t->p->fd[a[0]];
	switch(a[1]){
	case LF_DUPFD:
	case LF_DUPFD_CLOEXEC:
		if(a[2] >= (uint32_t)fdlimit(t->p))
			return -EINVAL;
		return dodup(t, a[0], -1, a[2], a[1] == LF_DUPFD_CLOEXEC);
	case LF_GETFD:
		return f->cloexec ? LFD_CLOEXEC : 0;
	case LF_SETFD:
		f->cloexec = (a[2] & LFD_CLOEXEC) != 0;
		return 0;
	case LF_GETFL:
		return fdflags(t->p, a[0]);
	case LF_SETFL:
		/* the open file's, for every fd sharing it */
		return fdsetstatus(a[0], LO_APPEND | LO_NONBLOCK | LO_NOATIME,
			a[2] & (LO_APPEND | LO_NONBLOCK | LO_NOATIME)) < 0 ? -EBADF : 0;
	/* lock.c; the OFD calls take struct flock64, as fcntl64's do */
	case LF_GETLK:
	case LF_SETLK:
	case LF_SETLKW:
		return fcntllock(t, a[0], a[2], 0, 0, a[1] - LF_GETLK);
	case LF_GETLK64:
	case LF_SETLK64:
	case LF_SETLKW64:
		return fcntllock(t, a[0], a[2], 1, 0, a[1] - LF_GETLK64);
	case LF_OFD_GETLK:
	case LF_OFD_SETLK:
	case LF_OFD_SETLKW:
		return fcntllock(t, a[0], a[2], 1, 1, a[1] - LF_OFD_GETLK);
	case LF_GETPIPE_SZ:
		return pipesize(t, a[0]);
	case LF_SETPIPE_SZ:
		return setpipesize(t, a[0], a[2]);
	case LF_ADD_SEALS:
	case LF_GET_SEALS:
		return seals(a[0], a[1], a[2]);
	}
	return -EINVAL;
}

/* What a copy refuses before it moves anything (sendfile's, splice's,
 * copy_file_range's), of the records of its two fds, out's O_APPEND and
 * whether each end has an offset given: the call asks it of the fds,
 * and copyfd again of the records and out file it copies by, so that
 * another thread's dup2 between the two makes no copy Linux refuses */
enum { LSPLICE_NONBLOCK = 2 };
typedef long Copyok(Fdlook *in, Fdlook *out, int outappend, int inoff, int outoff);
static Copyok sendfileok, spliceok, rangeok;
/* Copyok's answer for a copy from an eventfd, timerfd or signalfd (no
 * splice_read) to a pipe: Linux's splice_file_to_pipe waits for the
 * pipe's room first, then refuses it (copyfd: pipewaitroom, EINVAL) */
enum { CPEVROOM = -100000 };

/*
 * Linux's wait_for_space of a copy into pipe out (held file to, where
 * not NULL), before anything is read: 0 once a page of it is free
 * (pipewritable); -EPIPE, with SIGPIPE, where its reader is gone;
 * -EAGAIN where it is full and the copy may not wait (the pipe's
 * O_NONBLOCK, or nb: SPLICE_F_NONBLOCK); -LERESTART interrupted.
 */
static long
pipewaitroom(Lthread *t, uint32_t out, Took *to, int nb)
{
	Kifpoll kf;
	int ev, r;

	for(;;){
		ev = to != NULL ? kif_fileready(to->k, KIF_WRITE) : kif_ready(out, KIF_WRITE);
		if(ev >= 0 && (ev & KIF_HUP)){
			postsigself(t, LSIGPIPE);
			return -EPIPE;
		}
		if(ev < 0 || (ev & KIF_WRITE))
			return 0;
		if(nb || ((to != NULL ? kif_fileflags(to->k) : fdstatus(t->p, out)) & LO_NONBLOCK))
			return -EAGAIN;
		kf = (Kifpoll){.fd = out, .events = KIF_WRITE};
		intrbegin(t);
		r = to != NULL ? kif_filepoll(to->k, KIF_WRITE, -1) : kif_poll(&kf, 1, -1);
		intrend(t);
		if(r < 0)
			return -LERESTART;
	}
}

/*
 * fd's open file taken for copyfd's whole call (takefile) into *tk, if
 * it is the file l, fdlook's record, describes: another thread's dup2
 * between the look and the take makes the call again from the start
 * (-LERESTARTNOINTR), nothing having moved yet.  tk->k NULL where the
 * kernel keeps no such reference (KIF_EBYFD): by fd, as before.
 */
static long
holdfile(Fdlook *l, uint32_t fd, int out, Took *tk)
{
	long r;

	if((tk->k = takefile(fd, out, &tk->dc, &tk->qpath, &r)) == NULL)
		return r;
	if(l->dc != 0 && (tk->dc != l->dc || tk->qpath != l->qpath))
		r = -LERESTARTNOINTR;
	else if(kif_fileflags(tk->k) & LO_PATH)
		r = -EBADF;	/* an O_PATH fd only names its file */
	if(r != 0){
		kif_fileclose(tk->k);
		tk->k = NULL;
	}
	return r;
}

/*
 * copyheld's copy of one datagram of socket in (record li, held ti) to
 * pipe out (lo, to), of at most m bytes through buf: the pipe's room
 * waited for first (pipewaitroom), the datagram read, and the pipe
 * written without waiting for more room: what it does not take of the
 * datagram is dropped, as Linux's splice reads a datagram cut to the
 * pipe's room.  A writer that fills the room between the wait and the
 * write (Linux holds the pipe throughout): a blocking pipe's write
 * waits for room again; a nonblocking one's datagram is lost (EAGAIN).
 */
static long
copydgram(Lthread *t, Fdlook *li, uint32_t in, Took *ti, Fdlook *lo, uint32_t out, Took *to, uint8_t *buf, long m, int nb)
{
	long r, w;
	int peeked;

	if((r = pipewaitroom(t, out, to, nb)) < 0)
		return r;
	/* cut to the pipe's room in whole free pages, at least one, as
	 * Linux's copy_splice_read (npages: max(max_usage - used, 1)); it
	 * was the room in bytes until session 31 (a pipe holding 57345
	 * bytes took 8191 of a datagram where Linux's takes 4096) */
	if(to != NULL && (r = kif_filepiperoom(to->k)) >= 0 && (r > PGSIZE ? r : PGSIZE) < m)
		m = r > PGSIZE ? r : PGSIZE;
	r = sockpeek(t, in, li, ti != NULL ? ti->k : NULL, buf, m, &peeked);
	if(r <= 0)
		return r;
	for(;;){
		kif_nowait(1);
		w = rwheld(t, lo, out, to != NULL ? to->k : NULL, buf, r, 1, 0);
		kif_nowait(0);
		if(w != -EAGAIN || (w = pipewaitroom(t, out, to, nb)) < 0)
			return w;
	}
}

/* copystream's write of buf[r] to out (record lo, held to) till all
 * went or a write took none: the bytes written, *k the last write's
 * answer (0 where there was nothing to write) */
static long
writeheld(Lthread *t, Fdlook *lo, uint32_t out, Took *to, uint8_t *buf, long r, long *k)
{
	long w;

	*k = 0;
	for(w = 0; w < r; w += *k)
		if((*k = rwheld(t, lo, out, to != NULL ? to->k : NULL, buf + w, r - w, 1, 0)) <= 0)
			break;
	return w;
}

/*
 * copyheld's copy of at most m bytes from stream socket in (record li,
 * held ti; sockholds) to out (lo, to) through buf.  The read peeks and
 * holds the socket (sockholdread): no other reader takes from it till the
 * copy's kif_fileunread takes what the write took, so each byte goes
 * to one reader exactly, as Linux's splice reads a socket under its
 * lock.  So the write never waits while the socket is held: one that
 * would (a full pipe or socket) takes nothing, the socket is let go,
 * the copy waits for room (pipewaitroom: EAGAIN where it may not) and
 * reads again.  To a pipe the part written is the answer, as Linux's
 * splice reads no more than the pipe's room; to another file the copy
 * goes on with what is queued (without waiting for more), as Linux's
 * sendfile writes all it read.  One read written whole is the answer.
 * To a 9P file, whose write may wait for ever, the bytes are taken
 * before the write, as Linux's sendfile takes them (waits).
 */
static long
copystream(Lthread *t, Fdlook *li, uint32_t in, Took *ti, Fdlook *lo, uint32_t out, Took *to, uint8_t *buf, long m, int nb)
{
	long done, r, w, k;
	int waits;

	/* a 9P file's write may wait without end whatever kif_nowait says
	 * (its server's answer): the socket is not held through it.  Until
	 * red31 it was, and every other reader of the socket waited with
	 * the write, for ever where the server itself was one of them */
	waits = (to != NULL ? to->dc : lo->dc) == 'M';
	for(done = 0;;){
		/* after a part, what is queued now: no wait for more */
		if(done > 0)
			kif_nowait(1);
		r = sockholdread(t, in, li, ti->k, buf, m - done);
		if(done > 0)
			kif_nowait(0);
		if(r <= 0){
			kif_fileunread(ti->k, NULL, m);	/* no hold is left behind, whatever the read said */
			return done > 0 ? done : r;
		}
		if(waits){
			/* taken now, written with the socket let go, as
			 * Linux's sendfile (do_splice_direct) reads into its
			 * pipe and then writes: what the write does not take
			 * is lost there too */
			kif_fileunread(ti->k, NULL, 0);
			w = writeheld(t, lo, out, to, buf, r, &k);
			done += w;
			return done > 0 ? done : k;
		}
		kif_nowait(1);
		w = writeheld(t, lo, out, to, buf, r, &k);
		kif_nowait(0);
		kif_fileunread(ti->k, buf + w, r - w);
		done += w;
		if(w == r || k != -EAGAIN || (done > 0 && lo->ispipe))
			return done > 0 || w == r ? done : k;
		if((k = pipewaitroom(t, out, to, nb)) < 0)
			return done > 0 ? done : k;
	}
}

/*
 * copyfd's copy, from in's file ti (record li) to out's to (lo), both
 * held for the whole call: every byte read is written to the file that
 * was at out when the call began, whatever another thread dup2s over
 * either fd meanwhile, as Linux's sendfile and splice hold their files.
 * So no write is made again to another file (red27b's copyfd made one
 * again while another thread kept swapping out: without bound, no
 * signal or exit delivered meanwhile).  range: copy_file_range's, which
 * sends SIGXFSZ only where it copies nothing.
 */
static long
copyheld(Lthread *t, Fdlook *li, uint32_t in, Took *ti, int64_t *inoff, Fdlook *lo, uint32_t out, Took *to, int64_t *outoff, uint32_t count, int range, int nb)
{
	enum { CHUNK = 1 << 16 };
	uint8_t *buf;
	long done, r, w, m, want;
	int full, fromq, peeked, dgram, hold;

	buf = malloc(CHUNK);
	if(buf == NULL)
		return -ENOMEM;
	if(ti->k == NULL)
		ti = NULL;
	if(to->k == NULL)
		to = NULL;
	/* a pipe's own bytes (no eventfd's count), read under
	 * kif_pipecopy: their room stays theirs till they are written or
	 * put back (kif_fileunread), as Linux's splice holds its pipe */
	fromq = ti != NULL && inoff == NULL && plainpipe(li);
	/* a datagram socket's copy to a pipe: one datagram, read once the
	 * pipe has room (Linux's wait_for_space before its read: EAGAIN
	 * where it may not wait, the datagram still queued; until session
	 * 30 it was read first and lost), cut to what the pipe takes, as
	 * Linux's copy_splice_read reads no more than the room */
	dgram = li->sock != NULL && !sockpeeks(li) && plainpipe(lo) && outoff == NULL;
	/* a stream socket's: read under a hold of the socket (copystream) */
	hold = ti != NULL && outoff == NULL && sockholds(li, ti->k);
	for(done = 0; done < count; done += w){
		m = count - done > CHUNK ? CHUNK : count - done;
		/* bytes taken from a pipe or socket cannot go back: take no
		 * more than out's RLIMIT_FSIZE lets it hold (Linux's splice
		 * leaves the rest in the pipe; they were lost) */
		full = 0;
		if(li->slow && to != NULL && !lo->ispipe){
			if((r = fileroom(t, lo, to->k, outoff != NULL ? *outoff : -1, m)) < 0){
				fsizesig(t, r);
				if(done == 0)
					done = r;
				break;
			}
			full = r < m;	/* the file full once these are in */
			m = r;
		}
		want = m;
		peeked = 0;
		if(hold){
			r = copystream(t, li, in, ti, lo, out, to, buf, m, nb);
			if(r == want && full)
				fsizesig(t, -EFBIG);	/* Linux's next write finds the file full */
			if(done == 0)
				done = r;
			break;
		}
		if(dgram){
			r = copydgram(t, li, in, ti, lo, out, to, buf, m, nb);
			if(done == 0)
				done = r;
			break;
		}
		if(inoff != NULL)
			r = prwtook(t, in, ti, buf, m, *inoff, 0);
		else if(li->sock != NULL)
			r = sockpeek(t, in, li, ti != NULL ? ti->k : NULL, buf, m, &peeked);
		else{
			if(fromq)
				kif_pipecopy(1);
			r = rwheld(t, li, in, ti != NULL ? ti->k : NULL, buf, m, 0, 0);
			if(fromq)
				kif_pipecopy(0);
		}
		if(r <= 0){
			if(done == 0 && r < 0)
				done = r;
			break;
		}
		if(inoff != NULL)
			*inoff += r;
		for(w = 0; w < r; w += m){
			if(outoff != NULL)
				m = prwtook(t, out, to, buf + w, r - w, *outoff, 1);	/* RLIMIT_FSIZE its file's */
			else
				m = rwheld(t, lo, out, to != NULL ? to->k : NULL, buf + w, r - w, 1, 0);
			/* as Linux's splice and sendfile: also after a part;
			 * copy_file_range bounds its count first (only at the
			 * limit itself) */
			if(m == -EFBIG && (!range || done + w == 0))
				fsizesig(t, m);
			if(m <= 0)
				break;
			if(outoff != NULL)
				*outoff += m;
		}
		/* what was read and not written goes back ahead of what the
		 * pipe holds, within the room its read kept: Linux's splice
		 * takes from a pipe only what it wrote (a write that failed
		 * ENOSPC or EAGAIN lost them until session 29; emu's pipes'
		 * still are; a stream socket's are peeked, below) */
		if(fromq)
			kif_fileunread(ti->k, buf + w, r - w);
		/* a socket's: only what was written is taken (sockpeek) */
		if(peeked && w > 0)
			sockconsume(t, in, li, ti != NULL ? ti->k : NULL, buf, w);
		if(w == r && full && r == want){
			/* Linux's next write finds the file full: SIGXFSZ after a part, the part the answer */
			fsizesig(t, -EFBIG);
			done += w;
			break;
		}
		if(w == r && li->slow){
			done += w;	/* a pipe's or socket's bytes so far, as read(2) */
			break;
		}
		if(w < r){
			/* what was read and not written goes back, where it can:
			 * to the file read, not to one put at in since (a
			 * pipe's: above) */
			if(inoff != NULL)
				*inoff -= r - w;
			else if(!li->slow)
				ti != NULL ? kif_fileseek(ti->k, w - r, KSEEKCUR) : kseek(in, w - r, KSEEKCUR);
			if(done + w == 0 && m < 0)
				done = m;
			else
				done += w;
			break;
		}
	}
	free(buf);
	return done;
}

/*
 * Copy up to count bytes from fd in to fd out through a host buffer:
 * from *inoff (advanced) when inoff is not NULL, else from in's offset;
 * to *outoff likewise.  sendfile, splice and copy_file_range.  The
 * bytes copied, or -errno when nothing was.  ok: the call's refusals
 * (Copyok), asked again of the records and the held out file.
 */
static long
copyfd(Lthread *t, uint32_t in, int64_t *inoff, uint32_t out, int64_t *outoff, uint32_t count, Copyok *ok, int nb)
{
	Fdlook li, lo;
	Took ti, to;
	long r;
	int app;

	fdlook(t->p, in, &li);
	fdlook(t->p, out, &lo);
	/* a socket whose record has no Sock yet (a dup's): found now
	 * (sockrecord), so that its bytes are a socket's, peeked (a plain
	 * read of it lost what the write did not take, until session 30) */
	if(li.used && li.sock == NULL && li.dc == 'I' && !li.isdir && li.ev == NULL){
		if((r = sockrecord(t, in)) < 0){
			fdlookdone(&li);
			fdlookdone(&lo);
			return r;
		}
		fdlookdone(&li);
		fdlook(t->p, in, &li);
	}
	ti.k = to.k = NULL;
	if(!li.used || !lo.used)
		r = -EBADF;
	else if(li.isdir || lo.isdir)
		r = -EISDIR;
	else if(inoff != NULL && *inoff < 0)
		r = -EINVAL;
	else if(outoff != NULL && *outoff < 0)
		r = -EINVAL;
	else if((inoff != NULL && li.slow) || (outoff != NULL && lo.slow))
		r = -ESPIPE;
	else if((r = holdfile(&li, in, 0, &ti)) == 0 && (r = holdfile(&lo, out, 1, &to)) == 0){
		app = to.k != NULL ? kif_fileflags(to.k) & LO_APPEND : fdstatus(t->p, out) & LO_APPEND;
		r = ok(&li, &lo, app != 0, inoff != NULL, outoff != NULL);
		if(r == CPEVROOM && (r = pipewaitroom(t, out, to.k != NULL ? &to : NULL, nb)) == 0)
			r = -EINVAL;	/* the pipe has room: the eventfd has no splice_read */
		if(r == 0)
			r = copyheld(t, &li, in, &ti, inoff, &lo, out, &to, outoff, count > MAXRW ? MAXRW : count, ok == rangeok, nb);
	}
	kif_fileclose(ti.k);
	kif_fileclose(to.k);
	fdlookdone(&li);
	fdlookdone(&lo);
	return r;
}

/*
 * What Linux's sendfile refuses before it copies: an in fd not open for
 * reading or an out fd not open for writing (EBADF), an offset on a
 * stream (ESPIPE), a pipe to read from (it has no splice_read) and an
 * O_APPEND file to write to (do_splice_direct's refusal): EINVAL.
 */
static long
sendfileok(Fdlook *fi, Fdlook *fo, int outappend, int inoff, int outoff)
{
	(void)outoff;
	if(!fi->used || !fo->used)
		return -EBADF;
	if(fi->ispipe && (fi->flags & 3) == 1)
		return -EBADF;
	if(fo->ispipe && (fo->flags & 3) == 0)
		return -EBADF;
	if(inoff && fi->slow)
		return -ESPIPE;
	if(plainpipe(fi))
		return -EINVAL;
	if(fo->ev != NULL || fullkind(fo->dc, fo->qpath))
		return -EINVAL;	/* an eventfd, timerfd, signalfd, /dev/full: no splice_write (evcopy) */
	if(fi->ev != NULL)	/* nor splice_read: a pipe's room first, as splice's */
		return fo->ispipe ? CPEVROOM : -EINVAL;
	if(!fo->ispipe && outappend)
		return -EINVAL;
	return 0;
}

/* splice's: a pipe at one end at least (EINVAL), no offset for a pipe
 * (ESPIPE), no O_APPEND file to write to (do_splice's EINVAL) */
static long
spliceok(Fdlook *in, Fdlook *out, int outappend, int inoff, int outoff)
{
	int inp, outp;

	if(!in->used || !out->used)
		return -EBADF;
	/* an eventfd's doorbell pipe is no pipe to Linux */
	inp = plainpipe(in);
	outp = plainpipe(out);
	/* an eventfd, timerfd or signalfd sits on a doorbell pipe here
	 * (ispipe), but Linux's has no splice_read or splice_write: a copy
	 * from one read its counter and, its write failing, put the
	 * counter's bytes into the doorbell (the count lost, poll readable
	 * for ever, a blocking read spinning).  Linux's refuses one to
	 * write to at once, after the offsets' ESPIPE, and waits for room
	 * in the pipe a copy from one writes to first (EAGAIN where it may
	 * not wait: CPEVROOM, copyfd's), then EINVAL (session 30; until
	 * then EINVAL at once) */
	if((inp && inoff) || (outp && outoff))
		return -ESPIPE;
	/* Linux's do_splice: in open for reading and out for writing,
	 * before it looks for a pipe (a datagram spliced to a pipe's read
	 * end was read, and lost, before the write's EBADF, until red30b) */
	if((in->flags & 3) == 1 || (out->flags & 3) == 0)
		return -EBADF;
	if(!inp && !outp)
		return -EINVAL;
	/* an offset of a file with none (a socket, a terminal: no
	 * FMODE_PREAD or FMODE_PWRITE): EINVAL (it was ESPIPE) */
	if((!inp && inoff && in->slow) || (!outp && outoff && out->slow))
		return -EINVAL;
	if(out->ev != NULL || (in->ev != NULL && inoff) || fullkind(out->dc, out->qpath))
		return -EINVAL;	/* an offset of one: not FMODE_PREAD; /dev/full: no splice_write */
	if(in->ev != NULL)
		return CPEVROOM;
	/* one pipe's two ends: Linux's EINVAL, after the offsets' ESPIPE
	 * (a copy's read keeps its room, kif_pipecopy, so its write into a
	 * full one would wait for ever) */
	if(in->ispipe && out->ispipe && in->qpath >> 4 == out->qpath >> 4)
		return -EINVAL;
	if(!out->ispipe && outappend)
		return -EINVAL;
	return 0;
}

/* copy_file_range's: files only (EINVAL for a stream, Linux's regular
 * files), no O_APPEND file to write to (generic_copy_file_checks'
 * EBADF); a closed fd is copyfd's EBADF */
static long
rangeok(Fdlook *in, Fdlook *out, int outappend, int inoff, int outoff)
{
	(void)inoff;
	(void)outoff;
	/* Linux's: regular files only (a character device, /dev/null or
	 * /dev/full: EINVAL, not a copy or ENOSPC, until red30b) */
	if(in->used && out->used && (in->slow || out->slow || in->dc == 'c' || out->dc == 'c'))
		return -EINVAL;
	if(out->used && outappend)
		return -EBADF;
	return 0;
}

/* ok (Copyok) of the fds in and out as they are now: the call's own
 * refusals, before it reads its offsets */
static long
copycheck(Lthread *t, uint32_t in, uint32_t out, Copyok *ok, int inoff, int outoff)
{
	Fdlook li, lo;
	long r;

	fdlook(t->p, in, &li);
	fdlook(t->p, out, &lo);
	r = ok(&li, &lo, lo.used && (fdstatus(t->p, out) & LO_APPEND), inoff, outoff);
	fdlookdone(&li);
	fdlookdone(&lo);
	return r == CPEVROOM ? 0 : r;	/* copyfd's, of its held pipe */
}

/* sendfile(out, in, off*, count): off, where not 0, a 32-bit offset
 * (sendfile) or a 64-bit one (sendfile64, wide) */
static long
sendfilex(Lthread *t, uint32_t *a, int wide)
{
	uint8_t *g;
	int64_t off;
	long r;

	if((r = copycheck(t, a[1], a[0], sendfileok, a[2] != 0, 0)) < 0)
		return r;
	if(a[2] == 0)
		return copyfd(t, a[1], NULL, a[0], NULL, a[3], sendfileok, 0);
	g = gmem(t, a[2], wide ? 8 : 4, VX_PROT_READ | VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	off = wide ? (int64_t)get64(g) : (int32_t)get32(g);
	r = copyfd(t, a[1], &off, a[0], NULL, a[3], sendfileok, 0);
	if(r >= 0){
		if(wide)
			put64(g, (uint64_t)off);
		else
			put32(g, (uint32_t)off);
	}
	return r;
}

long sys_sendfile(Lthread *t, uint32_t *a) { return sendfilex(t, a, 0); }
long sys_sendfile64(Lthread *t, uint32_t *a) { return sendfilex(t, a, 1); }

/* copy_file_range(in, inoff*, out, outoff*, len, flags) */
/* copyfd from a[0] to a[2] at the 64-bit offsets at a[1] and a[3]
 * (0: the fd's own), each moved on by what was copied */
static long
offcopy(Lthread *t, uint32_t *a, Copyok *ok)
{
	uint8_t *gi, *go;
	int64_t ioff, ooff;
	long r;

	gi = go = NULL;
	if(a[1] != 0 && (gi = gmem(t, a[1], 8, VX_PROT_READ | VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	if(a[3] != 0 && (go = gmem(t, a[3], 8, VX_PROT_READ | VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	ioff = gi != NULL ? (int64_t)get64(gi) : 0;
	ooff = go != NULL ? (int64_t)get64(go) : 0;
	r = copyfd(t, a[0], gi != NULL ? &ioff : NULL, a[2], go != NULL ? &ooff : NULL, a[4], ok, ok == spliceok && (a[5] & LSPLICE_NONBLOCK));
	if(r >= 0){
		if(gi != NULL)
			put64(gi, (uint64_t)ioff);
		if(go != NULL)
			put64(go, (uint64_t)ooff);
	}
	return r;
}

/* copy_file_range(in, inoff*, out, outoff*, len, flags): files only */
long
sys_copy_file_range(Lthread *t, uint32_t *a)
{
	long r;

	if(a[5] != 0)
		return -EINVAL;
	if((r = copycheck(t, a[0], a[2], rangeok, a[1] != 0, a[3] != 0)) < 0)
		return r;
	return offcopy(t, a, rangeok);
}

/*
 * vmsplice(fd, iov, nr, flags): a pipe's write end is written from the
 * iovecs (writev), its read end read into them (readv): copies, as
 * Linux's without SPLICE_F_GIFT; anything but a pipe EBADF.  As Linux's,
 * a write waits only while the pipe is full and then takes what fits
 * (a vmsplice longer than the pipe's room with nobody reading yet
 * waited for ever), and SPLICE_F_NONBLOCK is EAGAIN where either would
 * wait; the fd's O_NONBLOCK is not looked at (a wait).
 */
long
sys_vmsplice(Lthread *t, uint32_t *a)
{
	enum { SPLICE_FLAGS = 0xf };
	Kifpoll kf;
	long r;
	int out;

	if(a[3] & ~SPLICE_FLAGS)
		return -EINVAL;
	/* an eventfd's (timerfd's, signalfd's) doorbell is no pipe: Linux's
	 * EBADF (its writev added to the count, until session 30) */
	if(!fdcheck(t->p, a[0]) || !t->p->fd[a[0]].ispipe || t->p->fd[a[0]].ev != NULL)
		return -EBADF;
	out = (t->p->fd[a[0]].flags & 3) != 0;
	for(;;){
		kif_nowait(1);
		r = out ? sys_writev(t, a) : sys_readv(t, a);
		kif_nowait(0);
		if(r != -EAGAIN || (a[3] & LSPLICE_NONBLOCK))
			return r;
		kf = (Kifpoll){.fd = a[0], .events = out ? KIF_WRITE : KIF_READ};
		intrbegin(t);
		r = kif_poll(&kf, 1, -1);
		intrend(t);
		if(r < 0)
			return ioerr(t, a[0], 0);	/* a signal: restarted as the handler says */
	}
}

/* splice(in, inoff*, out, outoff*, len, flags): a copy (copyfd) with a
 * pipe at one end at least, whose offset must be 0 (ESPIPE).  The
 * flags are hints, SPLICE_F_NONBLOCK too: the fds' own O_NONBLOCK
 * decides whether a copy waits. */
long
sys_splice(Lthread *t, uint32_t *a)
{
	enum { SPLICE_FLAGS = 0xf };
	long r;

	if(a[4] == 0)
		return 0;	/* Linux's first answer: before the flags and fds */
	if(a[5] & ~SPLICE_FLAGS)
		return -EINVAL;
	if((r = copycheck(t, a[0], a[2], spliceok, a[1] != 0, a[3] != 0)) < 0)
		return r;
	return offcopy(t, a, spliceok);
}
