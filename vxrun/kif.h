/*
 * kif.h — what the Linux personality needs from a kernel beyond
 * Inferno's k* calls (kernel.h): kernel procs for guest threads and
 * processes, readiness for poll and select, interrupts and kills.
 *
 * Two implementations: vxrun/kif_libkern.c over our own kernel
 * (libkern), and inferno/kif_emu.c over a real Inferno emulator (its
 * Osenv groups, its Procs, swiproc).  This header must stay neutral:
 * no kernel type appears in it, so both sides include it as it is.
 * See doc/kernel-interface.md.
 */
#ifndef KIF_H
#define KIF_H

/* A kernel proc: what a k* call acts for (namespace, fd table,
 * environment, user, error string).  Opaque. */
typedef struct Kproc Kproc;

/* kif_new flags: the fd table and the environment are shared with the
 * current proc unless copied; the namespace is always shared, and so is
 * the current directory unless KIF_FORKDOT gives the new proc one of
 * its own (a copy of the current proc's), as a Linux process has.
 * KIF_NEWBOX: the new proc begins a sandbox, which the procs it makes
 * share; where the kernel lists its procs to them (libkern's #p), a
 * proc in a sandbox finds only its sandbox's.  (emu's #p lists Dis
 * progs, never these procs: nothing to do there; what a guest sees of
 * the Dis progs is its caller's namespace and user, doc/guest-abi.md.) */
enum { KIF_FORKFD = 1, KIF_FORKENV = 2, KIF_FORKDOT = 4, KIF_NEWBOX = 8 };

/* A new proc, a child of the calling thread's; NULL with the error
 * string set.  It runs nothing until kif_start or kif_set. */
Kproc *kif_new(int flags);

/* A sandbox's account of host descriptors (KIF_NEWBOX): each one a
 * file keeps open for one of its procs (a host file's, a socket's) is
 * charged to it until the file lets it go, and past maxfd (0: no bound)
 * the call that would take one fails "too many open files" (EMFILE) in
 * that sandbox only.  kif_box: kp's sandbox's, a reference (NULL where
 * the kernel keeps none: emu, or kp in no sandbox); kif_boxcharge: n
 * more charged (n < 0 gives back), 0 or -1 past the bound;
 * kif_boxheld: how many are charged now.  The kernel memory the
 * sandbox's procs hold (their environments: a fork copies one) is
 * bounded by maxmem bytes (0: no bound) the same way: past it a write
 * of an environment variable, or a fork, fails "no space: environment full". */
typedef struct Kifbox Kifbox;
Kifbox *kif_box(Kproc *kp);
void kif_boxput(Kifbox *b);
void kif_boxlimit(Kifbox *b, int maxfd, uint64_t maxmem);
int kif_boxcharge(Kifbox *b, int n);
int kif_boxheld(Kifbox *b);
int kif_boxmax(Kifbox *b);	/* its bound; 0: none */

/* Free a proc that no thread is bound to (closes its fds when it held
 * the last reference to its table). */
void kif_free(Kproc *kp);

/* Bind kp to the calling thread (NULL: unbind); returns what was bound
 * before, for a later kif_set that puts it back.  kif_cur's value is
 * only good for that. */
Kproc *kif_set(Kproc *kp);
Kproc *kif_cur(void);

/* A new host thread (1 MiB of stack at least) that runs fn(arg) bound
 * to kp; the thread ends when fn returns, after fn has unbound kp
 * (kif_set(NULL)).  0, or -1 if no thread could be made. */
int kif_start(Kproc *kp, void (*fn)(void *), void *arg);

/* A number for kp, unique among live procs: the guest's tid and pid. */
int kif_pid(Kproc *kp);

/* Does the kernel's #p show a sandbox's procs only (libkern: 1)?  Where
 * it does not (emu: its #p lists Dis progs, which no guest is), vxrun
 * hides #p's files below its top from guests (progfile), so that a
 * guest's /prog, as under vxinferno, holds nothing outside its sandbox:
 * an empty directory. */
int kif_progboxed(void);

/* The sandbox (KIF_NEWBOX) kp is in: the number (kif_pid) of the proc
 * that began it, or 0 for none, as for a kernel that has none (emu).
 * vxrun's /proc shows a caller that is no guest (an export's worker)
 * only the processes of its sandbox; one in none sees all. */
int kif_boxid(Kproc *kp);

/* kp is killed: its current and later blocking k* calls fail.  kp
 * must stay valid during the call. */
void kif_kill(Kproc *kp);

/* Interrupt kp's current blocking wait (a pipe, the console, kif_poll),
 * or its next one: it fails "interrupted".  kif_clearinterrupt forgets
 * one not yet taken. */
void kif_interrupt(Kproc *kp);
void kif_clearinterrupt(Kproc *kp);

/* Readiness.  kif_ready: which of events an I/O call on fd would do
 * without blocking now, plus KIF_HUP when a pipe's other end is gone;
 * -1 for a bad fd.  kif_poll: wait until one of fds is ready (revents
 * set, the count returned; KIF_NVAL for a bad fd, fd < 0 ignored), ms
 * milliseconds pass (0; ms < 0: no limit), or an interrupt or kill (-1,
 * "interrupted").  A kernel that cannot test a kind of file says it is
 * ready. */
enum { KIF_READ = 1, KIF_WRITE = 2, KIF_HUP = 4, KIF_NVAL = 8 };
typedef struct Kifpoll {
	int fd;
	int events;
	int revents;
} Kifpoll;
int kif_ready(int fd, int events);
int kif_poll(Kifpoll *fds, int n, long long ms);

/* What fd is, at no cost (no stat, no 9P message): its device character
 * ('#c' gives 'c', a pipe '|', a host file 'U' …), its qid's type bits
 * (0x80 a directory) and path.  hostfd, when not NULL, gets a new host
 * descriptor of the same file when the kernel serves it from one (a
 * '#U' file open for reading: the caller may mmap it and must close
 * it), else -1.  0, or -1 for a bad fd. */
int kif_fdkind(int fd, int *dc, int *qtype, unsigned long long *qpath, int *hostfd);

/* Flags kept with fd's open file, shared by every fd and process that
 * shares it (dup, fork, SCM_RIGHTS), not by another open: clear, then
 * set bits, and the new value; -1 for a bad fd.  (O_APPEND, O_NONBLOCK.) */
int kif_fdflags(int fd, unsigned clear, unsigned set);

/* Which file fd's open file is, as stat says (dc, dev, path), and the
 * open file itself (file, shared by dup, fork and SCM_RIGHTS), for file
 * locks.  kif_filegone's function is called with file when its last
 * reference goes (from any thread, with no kernel lock it may take); a
 * kernel that cannot see that (emu) keeps a reference of its own to
 * each file asked about and reports one when only that is left, at its
 * next kif_fdident or kif_closed.  0, or -1 for a bad fd.  The caller
 * holds a reference to file until kif_fileput, so file cannot go (nor
 * its address be reused) while a lock is being set.  kif_closed: the
 * personality has closed an fd (close, dup2 over one): such a kernel
 * looks now (libkern's: nothing to do). */
typedef struct Kifident {
	int dc;
	unsigned dev;
	unsigned long long path;
	void *file;
} Kifident;
int kif_fdident(int fd, Kifident *id);
void kif_fileput(void *file);	/* drops the reference kif_fdident gave with file */
void kif_filegone(void (*fn)(void *file));
void kif_closed(void);

/* kdirread for getdents64, which needs of each entry only its name,
 * qid, type, dev and mode's DMDIR: a kernel may leave the rest empty
 * (libkern's '#U' then stats no entry) or give it all (emu).  struct
 * Dir is kernel.h's, the same struct in both kernels. */
struct Dir;
long kif_dirreadnames(int fd, struct Dir **d);

/* While on, the calling proc's pipe reads and writes fail with EAGAIN
 * where they would wait (O_NONBLOCK), and a named pipe's open does not
 * wait (a reader goes on, a lone writer fails ENXIO); on ==
 * KIF_NOWAITOPEN: the same, but an open that would wait fails with
 * EAGAIN instead (the caller then waits, interruptibly).  A kernel without the mode (emu)
 * ignores it: the readiness test before each call is then all there is. */
enum { KIF_NOWAITOPEN = 2 };
void kif_nowait(int on);

/* A pipe end's room, the bytes queued a direction before a writer
 * waits (Linux's F_GETPIPE_SZ), or -1 where the kernel does not say
 * (emu). */
int kif_pipesize(int fd);
/* Make it size bytes (a multiple of 4096), Linux's F_SETPIPE_SZ: the
 * room, -1 with the kernel's error (EBUSY: more queued than that; EPERM:
 * more than the sandbox can afford), or 0 where the kernel's pipes keep
 * the room they were made with (emu). */
int kif_setpipesize(int fd, int size);

/* Make copy the one the kernel's pipes copy guest buffers with (a copy
 * that stops at the first byte the guest refuses and says how many
 * moved): 1, or 0 where the kernel's pipes copy with memmove (emu), so
 * that a caller must hand them checked host buffers. */
int kif_copyhook(size_t (*copy)(void *dst, const void *src, size_t n));

/* Pseudo-terminals, where the kernel has them (libkern's #P; emu:
 * none, every fd "inappropriate ioctl for device"): kif_ptyctl reads or
 * sets the terminal fd is a side of (op and Kpty: include/ptyctl.h);
 * kif_ptysignals gives the function that delivers its signals;
 * kif_ptysessionend: session sid of sandbox box lost its leader, so its
 * terminal's foreground group gets SIGHUP, as Linux's; kif_ptyof:
 * which terminal that session has (/dev/tty). */
#include "ptyctl.h"
int kif_ptyctl(int fd, int op, Kpty *k);
void kif_ptysignals(Kptysig *fn);
void kif_ptysessionend(int box, int sid);
int kif_ptyof(int box, int sid, int *pgrp);	/* the number of the terminal session sid of box has, or -1; its foreground group at *pgrp (if not NULL) */

/* The Linux /proc tree: gen answers for a path below /proc as
 * include/kernel.h's Klxgen says (vxrun/procfs.c).  A kernel with a
 * device for it (libkern's #L) serves its answers; others ignore it. */
void kif_procfs(int (*gen)(const char *path, char **data, long *len, int *fd));

/* kdirstat of path (or kdirfstat of fd when path is NULL), with what
 * the kernel knows of the file beyond the Dir, for Linux's stat:
 * libkern's #U gives the host's link count, blocks and nanoseconds;
 * elsewhere (a 9P file, emu) every field of x is 0, blksize 0 meaning
 * "not known". */
typedef struct Kifstat {
	unsigned long nlink;
	long long size;		/* a directory's too */
	unsigned long long blocks;	/* of 512 bytes */
	unsigned long blksize;
	unsigned long atimens, mtimens;
	long long ctime;
	unsigned long ctimens;
	unsigned long statxmask;	/* kif_dirstatx: the host's stx_mask, or 0 */
	long long btime;	/* where statxmask has STATX_BTIME */
	unsigned long btimens;
} Kifstat;
struct Dir *kif_dirstat(char *path, int fd, Kifstat *x);
/* The same, and where want (KIF_STATX | a Linux statx request mask) is
 * not 0 and the kernel's file is a host's (libkern's #U), what the
 * host's statx says for the mask: its stx_mask and the birth time. */
enum { KIF_STATX = 1u << 31 };
struct Dir *kif_dirstatx(char *path, int fd, Kifstat *x, unsigned long want);

/* kdirwstat of path (kdirfwstat of fd when path is NULL) that also
 * sets the Dir's atime, each time with x's atimens and mtimens, where
 * the kernel's file can (libkern's #U); elsewhere kdirwstat: 9P's
 * mtime in seconds. */
int kif_dirwstat(char *path, int fd, struct Dir *d, Kifstat *x);

/* What the file system holding path's file (fd's when path is NULL)
 * says of itself, for Linux's statfs: libkern's #U gives the host's
 * (KIF_FSRDONLY in flags where the tree is read-only); elsewhere every
 * field is 0, type 0 meaning "nothing known" (a kernel device, a 9P
 * file, emu).  -1 with the error set for a bad path or fd. */
enum { KIF_FSRDONLY = 1 };	/* Linux's ST_RDONLY */
typedef struct Kifstatfs {
	unsigned long type;
	unsigned long bsize, frsize;
	unsigned long long blocks, bfree, bavail, files, ffree;
	unsigned long namelen;
	unsigned long flags;	/* Linux's ST_* bits */
} Kifstatfs;
int kif_statfs(char *path, int fd, Kifstatfs *s);

/* A reference to fd's open file that no fd table holds (kernel.h's
 * Kfile): the file a private mapping was filled from, read again after
 * MADV_DONTNEED.  kif_fdfile gives NULL, the error set, where the
 * kernel keeps none (emu: the pages then come back zero). */
typedef struct Kiffile Kiffile;
Kiffile *kif_fdfile(int fd);
/* path opened (mode as kopen's) at no fd, for the caller alone: no
 * other thread's dup2 or close can reach it; NULL with the error set,
 * KIF_EBYFD where the kernel opens only at fds (then kopen) */
Kiffile *kif_fileopen(char *path, int mode);
/* kcreate's file at no fd, as kif_fileopen's (KIF_EBYFD: then kcreate) */
Kiffile *kif_filecreate(char *path, int mode, unsigned long perm);
/* f (another reference) at fd, what fd held closed, as kdup(old, fd);
 * fd -1: the lowest free.  fd, or -1 with the error set.  A file
 * opened at no fd goes to its fd in one step, no temporary fd taken. */
int kif_filetofd(Kiffile *f, int fd);
long kif_filepread(Kiffile *f, void *buf, long n, long long off);
Kiffile *kif_filedup(Kiffile *f);
void kif_fileclose(Kiffile *f);
char *kif_filename(Kiffile *f, unsigned long long *qpath);	/* its name (the caller frees) and qid path; NULL: none */
int kif_filedev(Kiffile *f);	/* its device's character (kif_fdkind's dc) */
/* fd's open file for one read or write (kernel.h's kfdfileio), with
 * what it is (*dc, *qpath: kif_fdkind's answers), and the read or
 * write of it (kif_fileio at off; off < 0: at the file's offset, which
 * it moves): what the caller learns of the file is what it reads or
 * writes, whatever another thread dup2s over fd meanwhile;
 * kif_fileclose after.  kif_fdfileio gives NULL with the error set: fd
 * not open for it, or KIF_EBYFD where the kernel keeps no such
 * reference, and the caller then reads and writes by fd (kread,
 * kpread …) as before.  (libkern's and emu's, since session 28, keep
 * them.) */
Kiffile *kif_fdfileio(int fd, int write, int *dc, unsigned long long *qpath);
long kif_fileio(Kiffile *f, void *buf, long n, long long off, int write);
int kif_fileflags(Kiffile *f);	/* its status flags (kif_fdflags's, of this file) */
/* kseek's and kdirfstat's, of the file taken (an O_APPEND write's
 * move to the end, RLIMIT_FSIZE's look at its kind and offset) */
long long kif_fileseek(Kiffile *f, long long off, int whence);
struct Dir *kif_filedirstat(Kiffile *f);	/* NULL with the error set; the caller frees */
/* kif_ready's and kif_ptyctl's, of the file taken (a terminal's job
 * control, an O_NONBLOCK call's readiness test, a pipe write's hangup:
 * the file the call reads or writes, not whatever is at its fd now) */
int kif_fileready(Kiffile *f, int events);
int kif_fileptyctl(Kiffile *f, int op, Kpty *k);
/* A pipe end's read of n bytes undone: they go back ahead of what is
 * queued (a copy whose write came up short leaves in the pipe what it
 * did not write, as Linux's splice): n, or -1 with the error set (not
 * a pipe; emu's pipes cannot) */
long kif_fileunread(Kiffile *f, void *buf, long n);
/* kif_poll's wait, of one file taken (an eventfd's read, on its own
 * doorbell): its revents, 0 when ms passed, -1 interrupted */
int kif_filepoll(Kiffile *f, int events, long long ms);
/* on: this thread's pipe reads are a copy's, whose bytes keep their
 * room in the pipe until kif_fileunread settles them (n 0 after a
 * whole write); emu's: nothing.  Where kif_sockhold answers 1, a
 * stream socket's read (this kernel's #I) is then a peek that holds
 * the socket (no other read takes from it) till kif_fileunread takes
 * all but the n bytes given back and lets it go */
void kif_pipecopy(int on);
int kif_sockhold(void);
/* Pipe end f's room for writes in whole free pages, in bytes, as Linux
 * counts it for a copy's read of a datagram (a page for each pipe
 * buffer not in use); -1 where f is no pipe end or the kernel cannot
 * tell (emu) */
long kif_filepiperoom(Kiffile *f);
#define KIF_EBYFD "no open file references here: go by fd"

/* memfd_create's anonymous file at a new fd (libkern's kmemfd: a host
 * memfd as an open #U file); hostflags for the host's memfd_create.
 * Elsewhere -1, "not implemented" (ENOSYS). */
int kif_memfd(const char *name, unsigned hostflags);
/* A shared mapping of [off, off+len) of fd's file is to be made: a
 * memfd's pages are charged with those the mapping may yet make, -1 past
 * the sandbox's bound (libkern's kmemfdmapped); elsewhere 0. */
int kif_memfdmapped(int fd, unsigned long long off, unsigned long long len);

/* A hard link new to old's file (Linux's link): where the kernel's file
 * device has them (libkern's #U); elsewhere -1, "permission denied". */
int kif_link(char *old, char *new);

/* Rename to another directory (Linux's rename; 9P renames only within
 * one): where the kernel's file device can (libkern's #U, within one
 * tree); elsewhere -1 with EXDEV's text, and mv copies. */
int kif_move(char *old, char *new);

/* Is something bound or mounted on path (1, 0; -1 with the error set)?
 * d is path's lstat, which lets a path no mount point can be named by
 * skip the walk.  Linux's rename refuses a mount point (EBUSY); emu
 * answers 0 (its mount table is the emulator's, not searched here). */
int kif_mounted(char *path, struct Dir *d);

/* Symbolic links, where the kernel's file device has them (libkern's
 * #U; emu: none): kif_symlink makes path a link to target (elsewhere
 * -1, "permission denied"); kif_readlink reads a link's target (its
 * length, no NUL); kif_lstat is kif_dirstat of a link itself (mode
 * DMSYMLINK|0777), and kif_dirstat where path is no link;
 * kif_removelink removes a link, one that leads nowhere too;
 * kif_linktimes sets a link's own times as kif_dirwstat would (d's
 * atime and mtime, x's nanoseconds).  kif_readlink, kif_removelink and
 * kif_linktimes fail "bad arg" (EINVAL) where path is no link. */
int kif_symlink(char *target, char *path);
long kif_readlink(char *path, char *buf, long n);
struct Dir *kif_lstat(char *path, Kifstat *x);
struct Dir *kif_lstatx(char *path, Kifstat *x, unsigned long want);	/* and statx's mask, as kif_dirstatx */
int kif_removelink(char *path);
int kif_linktimes(char *path, struct Dir *d, Kifstat *x);

/* Change notification, Linux's inotify, where the kernel has it
 * (libkern's #W: kernel.h's kwatchnew, kwatch, kunwatch, kwatchqueued;
 * doc/guest-abi.md): a queue at a new fd whose reads give struct
 * inotify_event records, a watch of path's file for mask (its wd), its
 * end, and the bytes queued.  Elsewhere (emu) -1, "not implemented"
 * (ENOSYS). */
int kif_watchnew(void);
int kif_watch(int fd, char *path, unsigned long mask);
int kif_unwatch(int fd, int wd);
long kif_watchqueued(int fd);

#endif
