/*
 * kernel.h — the vxinferno Inferno kernel as a library.
 *
 * The k* calls have the names and signatures of Inferno's kernel.h, so
 * code written against them also builds inside a real emu.  Each call acts
 * for the kernel proc bound to the calling host thread (see kprocnew and
 * ksetproc): its namespace, fd table, environment, user and error string.
 * On failure a call returns -1 (or NULL) and sets the proc's error string
 * in Inferno's wording ("file does not exist", "permission denied" …),
 * which kerrstr and kgerrstr return.
 *
 * Qid and Dir are Plan 9's (9P2000) types.  Strings in a Dir returned by
 * kdirstat, kdirfstat or kdirread live in the same allocation: free() the
 * Dir (or the array) once.  See doc/namespace.md.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef long long vlong;
typedef unsigned long long uvlong;

enum {
	ERRMAX = 128,		/* longest error string, with NUL */
	KNAMELEN = 28,		/* longest user or sysname */
	STATMAX = 65535,	/* largest packed Dir */
	BIT8SZ = 1, BIT16SZ = 2, BIT32SZ = 4, BIT64SZ = 8,
	QIDSZ = BIT8SZ + BIT32SZ + BIT64SZ,
	STATFIXLEN = BIT16SZ + QIDSZ + 5*BIT16SZ + 4*BIT32SZ + BIT64SZ,
};

/* open modes */
enum {
	OREAD = 0, OWRITE = 1, ORDWR = 2, OEXEC = 3,
	OTRUNC = 0x10, OCEXEC = 0x20, ORCLOSE = 0x40, OEXCL = 0x1000,
};

/* bind and mount flags */
enum {
	MREPL = 0x0000,
	MBEFORE = 0x0001,
	MAFTER = 0x0002,
	MORDER = 0x0003,
	MCREATE = 0x0004,
	MCACHE = 0x0010,
	MMASK = 0x0017,
};

/* Qid.type bits */
enum {
	QTDIR = 0x80, QTAPPEND = 0x40, QTEXCL = 0x20, QTMOUNT = 0x10,
	QTAUTH = 0x08, QTTMP = 0x04, QTFILE = 0x00,
};

/* Dir.mode bits */
#define DMDIR		0x80000000u
#define DMAPPEND	0x40000000u
#define DMEXCL		0x20000000u
#define DMMOUNT		0x10000000u
#define DMAUTH		0x08000000u
#define DMTMP		0x04000000u
#define DMSYMLINK	0x02000000u	/* as 9P2000.u: #L's links (self, exe) */
#define DMNAMEDPIPE	0x00200000u	/* as 9P2000.u: #U's FIFOs (devpipe's fifoopen) */
#define DMSOCKET	0x00100000u	/* as 9P2000.u: #U's socket nodes (a bound AF_UNIX name) */
#define DMSETUID	0x00080000u	/* as 9P2000.u: #U's set-user-ID, */
#define DMSETGID	0x00040000u	/* set-group-ID */
#define DMSETVTX	0x00010000u	/* and sticky bits */
#define DMSPECIAL	(DMSETUID | DMSETGID | DMSETVTX)
#define DMREAD		0x4
#define DMWRITE		0x2
#define DMEXEC		0x1

/* kseek whence */
enum { KSEEKSET = 0, KSEEKCUR = 1, KSEEKEND = 2 };

typedef struct Qid {
	uvlong path;
	ulong vers;
	uchar type;
} Qid;

typedef struct Dir {
	ushort type;		/* device character */
	uint dev;		/* device instance */
	Qid qid;
	ulong mode;
	ulong atime;
	ulong mtime;
	vlong length;
	char *name;
	char *uid;
	char *gid;
	char *muid;
} Dir;

/* What a host file system says of a file beyond 9P's Dir, for Linux's
 * stat (kdirstatx): libkern's #U fills it from the host's stat; every
 * other device leaves it zero, blksize 0 meaning "not known" (nlink 0 is
 * a removed file).  want is the caller's: a Linux statx request mask,
 * which, where not 0, #U asks the host's statx with (a host call more),
 * and mask is the answer's stx_mask, with the birth time. */
enum {
	DXBTIME = 0x800,	/* Linux's STATX_BTIME */
	DXSTATX = 1u << 31,	/* want: ask the host's statx (a reserved bit of its mask) */
};
typedef struct Dirx {
	ulong want;		/* in: DXSTATX | a statx request mask, or 0 */
	ulong mask;		/* out: the host's stx_mask, 0 if none */
	ulong nlink;		/* hard links */
	vlong size;		/* the host's size, also of a directory (Dir's is 0) */
	uvlong blocks;		/* 512-byte blocks allocated */
	ulong blksize;		/* preferred I/O size */
	ulong atimens, mtimens;	/* nanoseconds beside Dir's atime, mtime */
	vlong ctime;		/* last status change, seconds */
	ulong ctimens;
	vlong btime;		/* creation, seconds (have & DXBTIME) */
	ulong btimens;
} Dirx;

/* What the file system holding a file says of itself, for Linux's
 * statfs (kstatfs): libkern's #U gives the host's statfs of its tree,
 * with FSRDONLY where the tree is read-only; every other device leaves
 * it zero (type 0: no storage, nothing known). */
enum { FSRDONLY = 1 };		/* flags: Linux's ST_RDONLY */
typedef struct Fsstat {
	ulong type;		/* the host's magic number, or 0 */
	ulong bsize;		/* preferred I/O size */
	ulong frsize;		/* the unit of blocks */
	uvlong blocks, bfree, bavail;
	uvlong files, ffree;
	ulong namelen;
	ulong flags;		/* Linux's ST_* bits (the host's), FSRDONLY */
} Fsstat;

/* --- the calls (sysfile.c) -------------------------------------------- */
int kopen(char *path, int mode);
int kcreate(char *path, int mode, ulong perm);
long kread(int fd, void *buf, long n);
long kwrite(int fd, void *buf, long n);
long kpread(int fd, void *buf, long n, vlong off);
long kpwrite(int fd, void *buf, long n, vlong off);
vlong kseek(int fd, vlong off, int whence);
int kclose(int fd);
int kdup(int old, int new);		/* new == -1: lowest free fd */
char *kfd2path(int fd);			/* malloc'd; free it */
int kstat(char *path, uchar *buf, int n);
int kfstat(int fd, uchar *buf, int n);
int kwstat(char *path, uchar *buf, int n);
int kfwstat(int fd, uchar *buf, int n);
Dir *kdirstat(char *path);
Dir *kdirfstat(int fd);
Dir *kdirstatx(char *path, Dirx *x);	/* kdirstat, and the device's Dirx */
Dir *kdirfstatx(int fd, Dirx *x);
int kstatfs(char *path, Fsstat *s);	/* the file system of path's file */
int kfstatfs(int fd, Fsstat *s);
int kdirwstat(char *path, Dir *d);
int kdirfwstat(int fd, Dir *d);
int kdirwstatx(char *path, Dir *d, Dirx *x);	/* kdirwstat; Dir's atime too, x's nanoseconds */
int kdirfwstatx(int fd, Dir *d, Dirx *x);
long kdirread(int fd, Dir **d);		/* count of entries in *d (free it); 0 at end */
int kbind(char *new, char *old, int flags);
int kmount(int fd, int afd, char *old, int flags, char *spec);
int kunmount(char *new, char *old);	/* new == NULL: everything at old */
int kremove(char *path);
int klink(char *old, char *new);			/* a hard link, where the device has them (#U) */
int kmove(char *old, char *new);			/* rename to another directory of the same #U tree */
/* 1 if something is bound or mounted on path, else 0; -1 if there is no
 * such file.  d, what a lstat of path said (or NULL), spares the walk
 * where no mount point can be it. */
int kmounted(char *path, Dir *d);
/* Symbolic links, where the device of the last name's directory has
 * them (#U): ksymlink makes path a link to target (EPERM elsewhere);
 * kreadlink reads a link's target (the length; not NUL-terminated);
 * klstatx is kdirstatx of a link itself (mode DMSYMLINK|0777, length
 * the target's), and kdirstatx where path is no link; kremovelink
 * removes a link, one that leads nowhere too; klinktimes sets a
 * link's own times (d's atime and mtime, ~0 unchanged, with x's
 * nanoseconds).  kreadlink, kremovelink and klinktimes fail (EINVAL)
 * where path is no link: "not a symbolic link" where a device with
 * links found the name, else "bad arg". */
int ksymlink(char *target, char *path);
long kreadlink(char *path, char *buf, long n);
Dir *klstatx(char *path, Dirx *x);
int kremovelink(char *path);
int klinktimes(char *path, Dir *d, Dirx *x);
int kchdir(char *path);
int kpipe(int fd[2]);
int kmemfd(const char *name, unsigned hostflags);	/* devfs.c: memfd_create's file */
/* a shared mapping of [off, off+len) of fd's file is to be made: a
 * memfd's pages are charged with those it may make; -1 past the bound */
int kmemfdmapped(int fd, vlong off, vlong len);
/*
 * Change notification (devwatch.c, #W): Linux inotify's semantics and
 * record form.  kwatchnew: a new queue at a new fd, whose reads give
 * struct inotify_event records ("bad arg" for a buffer too small for
 * the next; "resource temporarily unavailable" instead of a wait under
 * knowait).  kwatch: a watch of queue fd on path's file for mask
 * (inotify's IN_* bits and flags): its wd, or -1 ("no space left on
 * device" past Kmaxwatch watches in the sandbox, "file exists" for
 * IN_MASK_CREATE …).  kunwatch ends one (IN_IGNORED queued).
 * kwatchqueued: the bytes a read of everything would give.  A read,
 * readiness test or kwatchqueued sees every change made before it (as
 * Linux queues an event in the call that made the change).  Queues per
 * sandbox are
 * bounded by Kmaxqueue ("too many open files"), events per queue by
 * Kmaxevents (then one IN_Q_OVERFLOW).
 */
enum { Kmaxwatch = 8192, Kmaxqueue = 128, Kmaxevents = 16384 };
int kwatchnew(void);
int kwatch(int fd, char *path, ulong mask);
int kunwatch(int fd, int wd);
long kwatchqueued(int fd);
/* on != 0: the calling proc's pipe reads and writes that would wait fail
 * "resource temporarily unavailable" instead (O_NONBLOCK, with no race
 * against another reader between a readiness test and the read), and a
 * named pipe's open does not wait (a reader goes on, a writer without a
 * reader fails ENXIO, as Linux's O_NONBLOCK); on == KNOWAITOPEN: as 1,
 * but such an open fails "resource temporarily unavailable" where it
 * would wait, so that the caller can wait knowing it may (a signal may
 * end that wait, not another).  The old setting. */
enum { KNOWAITOPEN = 2 };
int knowait(int on);
int kiounit(int fd);
/* A pipe's room a direction (Linux's F_GETPIPE_SZ); with size > 0 (a
 * multiple of 4096) made that first (F_SETPIPE_SZ): the room, or -1 with
 * the error set (devpipe.c) */
long kpiperoom(int fd, long size);
void kerrstr(char *buf, uint n);		/* swap buf with the error string */
void kgerrstr(char *buf, uint n);	/* copy the error string out */
void kwerrstr(char *fmt, ...);		/* set the error string */
int kfversion(int fd, uint msize, char *version, uint nversion);
int kfauth(int fd, char *aname);

/* --- Dir packing (dirconv.c, over libstyx's stat codec) ------------------ */
uint sizeD2M(Dir *d);
uint convD2M(Dir *d, uchar *buf, uint n);	/* 0 if n too small */
uint convM2D(uchar *buf, uint n, Dir *d, char *strs);	/* strs: room for the strings, or NULL */
int statcheck(uchar *buf, uint n);	/* 0 if buf is one well-formed stat */
void nulldir(Dir *d);			/* "don't change" values for wstat */
long dirpackage(uchar *buf, long n, Dir **dp);	/* unpack n bytes of stats */

/* --- kernel and procs (proc.c, kinit.c) --------------------------------- */
typedef struct Proc Proc;

/* Configuration of the kernel; zero values give the defaults. */
typedef struct Kconf {
	const char *root;	/* host directory served by #U; NULL: no #U */
	int readonly;		/* #U refuses every change */
	const char *devs;	/* device characters to configure; NULL: all */
	const char *user;	/* host owner (eve); NULL: "inferno" */
	const char *sysname;	/* NULL: the host's name */
	/* The console (#c/cons); NULL: the host's stdin and stdout. */
	long (*consread)(void *arg, void *buf, long n);
	long (*conswrite)(void *arg, const void *buf, long n);
	void *consarg;
	int nodefaultns;	/* 1: the first proc gets only #/ at / */
	/* How a device that takes data off a queue (a pipe's read) copies
	 * it into the caller's buffer, which another thread may take away
	 * meanwhile (a sandbox's guest memory: vx_guardcopy): the bytes
	 * moved, fewer where it faulted; what did not move stays queued.
	 * NULL: memcpy's, all of them. */
	size_t (*copy)(void *dst, const void *src, size_t n);
} Kconf;

/* Start the kernel (once per host process) and bind its first proc, with
 * the default namespace (see knsdefault), to the calling thread. */
int kinit(Kconf *conf);

/* Kconf.copy from now on: an embedded personality's own (vxrun sets
 * one that also carries a guest's readv and writev to its buffers). */
void kcopyset(size_t (*copy)(void *dst, const void *src, size_t n));

/* kprocnew and kpctl flags, Inferno's pctl values. */
enum {
	NEWFD = 1,	/* an empty fd table */
	FORKFD = 2,	/* a copy of the fd table */
	NEWNS = 4,	/* a namespace rooted at dot, with no mounts */
	FORKNS = 8,	/* a copy of the namespace */
	NEWPGRP = 16,	/* (accepted; process groups are not kept) */
	NODEVS = 32,	/* no '#' attaches but #| #e #c #p #s #d */
	NEWENV = 64,	/* an empty environment */
	FORKENV = 128,	/* a copy of the environment */
	FORKDOT = 0x10000,	/* (ours) a current directory of its own, from the
				 * parent's, in the shared namespace: Linux's
				 * processes, whose chdir is theirs alone */
	NEWBOX = 0x20000,	/* (ours) a sandbox of its own, which later
				 * children share: #p shows a proc in one only
				 * its sandbox's procs, as a pid namespace */
};

Proc *kprocnew(int flags);	/* child of the current proc; groups shared unless flags say */
void kprocfree(Proc *p);	/* close its fds, drop its groups; not while bound */
void ksetproc(Proc *p);		/* bind p to the calling thread (NULL: unbind) */
Proc *kcurproc(void);		/* the calling thread's proc, or NULL */
int kspawn(void (*fn)(void *), void *arg, int flags, char *name);	/* new host thread, new proc: its pid */
int kpctl(int flags);		/* change the current proc's groups */

/* (ours) A sandbox's account of the host's descriptors: each one a
 * file keeps open for a proc of the sandbox (a #U file's, a #I
 * socket's) is charged to it until the file lets it go; past maxfd
 * (0: no bound) the open, socket or accept that would take one fails
 * "too many open files" (EMFILE) in that sandbox only.  kboxacct: p's
 * sandbox's, a reference for kboxput (NULL: p is in none, and its
 * files are charged to nobody).  kboxcharge: n more (n < 0 gives
 * back), 0 or -1 past the bound; kboxheld: how many are charged. */
typedef struct Boxacct Boxacct;
Boxacct *kboxacct(Proc *p);
void kboxput(Boxacct *b);
void kboxlimit(Boxacct *b, int maxfd);
int kboxcharge(Boxacct *b, int n);
int kboxheld(Boxacct *b);
int kboxmax(Boxacct *b);		/* its bound; 0: none */
/* Kernel memory the sandbox's procs hold (their environments, each
 * proc's copy): kboxmemcharge as kboxcharge, in bytes, bounded by
 * kboxmemlimit's maxmem (0: none); past it a write to #e or a fork
 * that copies an environment fails "no space: environment full". */
void kboxmemlimit(Boxacct *b, vlong maxmem);
int kboxmemcharge(Boxacct *b, vlong n);
vlong kboxmemheld(Boxacct *b);
int kgetpid(void);
int ksetuser(char *user);
char *kgetuser(char *buf, uint n);
int kprocname(char *name);	/* for #p/N/status */
int kkilled(void);		/* the current proc was killed (#p/N/ctl) */
int kpkill(int pid);		/* kill another proc: -1 if none */

/* Interrupts (proc.c), as Plan 9's notes interrupt a system call:
 * kinterrupt makes p's current blocking wait (a pipe read or write, a
 * console read, kpoll), or its next one if it is not waiting, fail
 * "interrupted"; one interrupt fails one wait.  kclearinterrupt forgets
 * an interrupt not yet taken.  Unlike kpkill, p lives on.  p must stay
 * valid during the call (kinterrupt does not take the proc table lock). */
void kinterrupt(Proc *p);
void kclearinterrupt(Proc *p);
int kprocpid(Proc *p);		/* p's pid, or -1 for NULL */
int kprocbox(Proc *p);		/* p's sandbox (NEWBOX), 0 for none; p the caller's own */

/* Readiness, for poll and select (poll.c).  kready tells which of
 * events (KPREAD, KPWRITE) an I/O call on fd would do without blocking
 * now, plus KPHUP when the other end of a pipe is gone (so a read gives
 * end of file once the data is taken, and a write fails); -1 for a bad fd.
 * Pipes and the console are really tested; files and everything else
 * are always ready.  kpoll waits until one of fds is ready (revents set,
 * the count returned; KPNVAL for a bad fd, fd < 0 ignored), ms
 * milliseconds pass (0; ms < 0: no limit), or an interrupt or kill
 * (-1, "interrupted").  Pipe activity wakes it; nothing is polled. */
enum { KPREAD = 1, KPWRITE = 2, KPHUP = 4, KPNVAL = 8 };
typedef struct Kpollfd {
	int fd;
	int events;
	int revents;
} Kpollfd;
int kready(int fd, int events);
int kpoll(Kpollfd *fds, int n, vlong ms);

/* #L, the Linux /proc tree (devlinux.c), from a personality's
 * generator: gen answers for path below /proc ("" the top, "self",
 * "42/fd/3", "cpuinfo"), as the calling proc sees it, with the kind:
 * KLXNONE there is no such file; KLXDIR a directory, its entry names in
 * *data, each ending in a newline; KLXFILE a file, its contents; KLXLINK
 * a link, its target; KLXFD the caller's open fd *fd, whose Chan the
 * file is.  *data (malloc'd, *len bytes) becomes the device's.  data
 * NULL asks for the kind only (a walk, a stat): the contents need not
 * be made. */
enum { KLXNONE, KLXDIR, KLXFILE, KLXLINK, KLXFD };
typedef int Klxgen(const char *path, char **data, long *len, int *fd);
void klinuxproc(Klxgen *gen);

/* What fd is, without a stat (so without a 9P message): its device's
 * character ('U', 'c', '|', 'M' …) in *dc and its qid.  For a '#U' file
 * open for reading, *hostfd (when not NULL) gets a new host descriptor
 * of the same file, to map; else -1 (sysfile.c). */
int kfdkind(int fd, int *dc, Qid *qid, int *hostfd);

/* Pseudo-terminals (#P, devpty.c): kptyctl reads or sets the terminal
 * fd is a master or slave of (op and Kpty: ptyctl.h), 0 or -1 with the
 * error set ("inappropriate ioctl for device" for any other file);
 * kptysignals gives the function that delivers its signals. */
#include "ptyctl.h"
int kptyctl(int fd, int op, Kpty *k);
void kptysignals(Kptysig *fn);
void kptysessionend(int box, int sid);	/* its leader is gone: SIGHUP to its terminal's foreground group */
int kptyof(int box, int sid, int *pgrp);	/* the number of the terminal the session has, or -1; its foreground group at *pgrp (if not NULL) */

/* The open file's personality flags (Chan.pflags, kept for a Linux
 * personality's O_APPEND and O_NONBLOCK): clear then set bits, at once,
 * and return the new value; -1 for a bad fd.  Every fd sharing the open
 * file (dup, fork, fds passed over a socket) sees them, another open of
 * the same file does not. */
int kfdflags(int fd, uint clear, uint set);

/* Which file fd's open file is (its device's character, device instance
 * and qid.path, as a stat gives them; for #e the caller's environment
 * group instead of the instance, as each group numbers its own files)
 * and the open file itself, an
 * identity good until its last reference goes: then the function given
 * to kfilegone is called with it (from whichever thread dropped that
 * reference; it must take no kernel lock).  Only open files asked about
 * here are reported.  *file comes with a reference of the caller's,
 * dropped with kfileclose((Kfile*)*file), so the open file cannot go
 * while the caller works with it.  A personality keeps file locks with
 * these. */
int kfdident(int fd, int *dc, uint *dev, uvlong *path, void **file);
void kfilegone(void (*fn)(void *file));

/* A reference to fd's open file that no fd table holds, for what a
 * personality keeps for itself (a private file mapping it filled from
 * the file, read again after MADV_DONTNEED): kfilepread reads it at an
 * offset, kfiledup adds a reference (a forked copy of the mapping),
 * kfileclose drops one (sysfile.c). */
typedef struct Kfile Kfile;
Kfile *kfdfile(int fd);		/* NULL with the error set */
Kfile *kfileopen(char *path, int mode);	/* path opened at no fd: NULL with the error set */
Kfile *kfilecreate(char *path, int mode, ulong perm);	/* kcreate's, at no fd: NULL with the error set */
int kfiletofd(Kfile *f, int fd);	/* f (another reference) at fd, as kdup's old; fd -1: the lowest free */
long kfilepread(Kfile *f, void *buf, long n, vlong off);
Kfile *kfiledup(Kfile *f);
void kfileclose(Kfile *f);
int kfiledev(Kfile *f);	/* its device's character, as kfdident's */
char *kfilename(Kfile *f, uvlong *qpath);	/* the name it was opened by (the caller frees) and its qid's path */
/* For one read or write of fd: its open file, taken once, so that what
 * the caller learns of it (*dc and *qid: kfdkind's answers) is what
 * kfileio (kpread's or kpwrite's at off, kread's or kwrite's at the
 * file's offset where off < 0) reads or writes, whatever another thread
 * dup2s over fd meanwhile; kfileclose after. */
Kfile *kfdfileio(int fd, int write, int *dc, Qid *qid);	/* NULL with the error set (EBADF, not open for it) */
long kfileio(Kfile *f, void *buf, long n, vlong off, int write);	/* write as kfdfileio's was */
int kfileflags(Kfile *f);	/* its status flags, as kfdflags(fd, 0, 0) had fd been it */
vlong kfileseek(Kfile *f, vlong off, int whence);	/* kseek's, of the file taken */
Dir *kfiledirstat(Kfile *f);	/* kdirfstat's, of the file taken */
int kfileready(Kfile *f, int events);	/* kready's, of the file taken */
int kfileptyctl(Kfile *f, int op, Kpty *k);	/* kptyctl's, of the file taken */
long kfileunread(Kfile *f, void *buf, long n);	/* a pipe end's: n bytes read put back ahead of its queue; a kpipecopy read settled (a stream socket's: all but n taken) */
long kfilepiperoom(Kfile *f);	/* a pipe end's room for writes in whole free pages (bytes), as Linux counts; -1 for another file */
void kpipecopy(int on);	/* this proc's pipe reads are a copy's: their bytes keep their room until kfileunread; a stream socket's are peeked, the socket held till then */
int kfilepoll(Kfile *f, int events, vlong ms);	/* kpoll's wait, of the file taken: its revents, 0, or -1 */

/* kdirread for a reader that needs of each entry only its name, qid,
 * type, dev and mode's DMDIR (Linux getdents64): a device may then
 * leave the other fields empty, and '#U' stats no entry (sysfile.c). */
long kdirreadnames(int fd, Dir **d);

/* The name of host user id (user set) or group id, as #U's stats give
 * it (devfs.c): NSS's answer, remembered, or the number; returns buf.
 * The embedder asks for its own user's through here, so that the
 * lookup is made once per process. */
char *khostid(char buf[KNAMELEN], int user, unsigned id);
int khostname(char *name, int n, int user, unsigned id);

/* More host directories for #U (devfs.c): after kfsdir(name, dir, ro),
 * attaching '#Uname' serves the host directory dir (and nothing outside
 * it), read-only when ro is set; '#U' alone is still Kconf.root.  name is
 * 1-27 characters of [A-Za-z0-9._-].  #U must be configured (Kconf.root
 * set).  Only the embedder calls this: a guest can attach, not add, and
 * a proc of a sandbox (NEWBOX) attaches only an instance whose top its
 * namespace already holds (bound or mounted by the embedder, or its
 * root): another is "no such #U directory" to it, so each sandbox of an
 * embedding reaches the directories bound in its own namespace alone.
 * A directory below an instance's top bound alone (kbind("#U/sub",
 * "/x", …), a namespace file's bind, a union member, a root) is a grant:
 * what is walked from it stays below it.  Its symbolic links resolve
 * from it with RESOLVE_BENEATH (one that leaves it — `..` past it, an
 * absolute target, a chain, one swapped in by a race — is "permission
 * denied"), or, bound at /, as in a chroot at it (an absolute link
 * starts there); renames and hard links between two grants are
 * EXDEV, and the granted directory itself does not move (EBUSY).  A
 * sandbox's own bind of a directory it reaches already narrows
 * nothing, and one whose namespace holds the instance's top (#U at /)
 * resolves a link out of a grant from the top, as before.
 * doc/namespace.md, "Grants". */
int kfsdir(char *name, char *dir, int readonly);

/* Close the door on devices (kinit.c): from now on '#x' attaches of the
 * devices named in devs fail "mount/attach disallowed" for every proc,
 * while Chans already made keep working.  An embedder builds a guest's
 * namespace (say '#I' at /net, or none), then calls knoattach("I"), so a
 * guest has exactly the network its namespace was given. */
int knoattach(char *devs);

/* Namespace files (nsfile.c).  knsdefault builds emu's default namespace
 * in the current proc's (fresh) Pgrp; knsfile applies a namespace(6) file
 * read through the namespace; knsstring applies text (name is used in
 * error messages).  All or nothing: on error the namespace is unchanged. */
int knsdefault(void);
int knsfile(char *file);
int knsstring(char *text, char *name);


/* --- Styx: networks and export (libkern/sysnet.c, export.c) ---------------
 * Dial strings are Inferno's: tcp!host!port (tcp!*!port to announce on
 * every address) and unix!/path.  The signatures are Inferno's; what they
 * return differs, because a connection here is one #N Chan on a host
 * socket, with no /net directory and no ctl file:
 *  - kdial and klisten return the connection's data fd (Inferno: kdial
 *    the data fd, klisten the ctl fd);
 *  - a dir (at least KNETPATHLEN bytes, or NULL) receives "#d/N", N the
 *    fd returned: the conversation is named through the dup device;
 *  - kdial's local address must be NULL or ""; *cfdp (if given) is -1;
 *  - kannounce returns the announcement's fd and names it in dir;
 *    klisten(dir, newdir) takes that name ("#d/N" or "/fd/N", N an fd
 *    of the calling proc) and waits for the next caller (a kill ends it). */
enum { KNETPATHLEN = 40 };
int kdial(char *addr, char *local, char *dir, int *cfdp);
int kannounce(char *addr, char *dir);
int klisten(char *dir, char *newdir);
/* Serve the namespace below dir (NULL: /) as 9P2000 on fd: until the
 * client hangs up, or in a new proc with KEXPASYNC (returns at once).
 * fd may be any Chan carrying bytes; it is no longer needed after. */
enum { KEXPWAIT = 0, KEXPASYNC = 1 };
int kexport(int fd, char *dir, int flags);

#ifdef __cplusplus
}
#endif
#endif
