/*
 * dat.h — libkern's internal types: Chan, Path, the mount table (Pgrp),
 * fd table (Fgrp), environment (Egrp), Proc and the device table.
 *
 * Errors never unwind: device and kernel functions return -1 or NULL and
 * have set the proc's error string with kseterr (see fns.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include "kernel.h"

typedef struct Chan Chan;
typedef struct Path Path;
typedef struct Dev Dev;
typedef struct Dirtab Dirtab;
typedef struct Walkqid Walkqid;
typedef struct Mhead Mhead;
typedef struct Mount Mount;
typedef struct Pgrp Pgrp;
typedef struct Fgrp Fgrp;
typedef struct Egrp Egrp;
typedef struct Evalue Evalue;
typedef struct Mntparam Mntparam;
typedef struct Unionread Unionread;
typedef struct Rendez Rendez;

enum {
	MAXWELEM = 16,		/* names per device walk, as 9P's Twalk */
	NDEV = 32,		/* device table size */
	Maxenvtotal = 16*1024*1024,	/* bytes of one Egrp's variables (envsize) */
};

/* Chan.flag */
enum {
	COPEN = 0x1,		/* opened: only I/O calls apply */
	CRCLOSE = 0x2,		/* remove on last close */
	CWALKSTAT = 0x4,	/* stat may be answered from this Chan's own walk */
};

/*
 * The name a Chan was reached by, with the mount points crossed.  mtpt[i]
 * is the Chan that was mounted on at element i (the original directory)
 * or NULL; element 0 is the root.  `..` uses it to leave a mounted tree
 * through the mount point, and to find the union again at a parent.
 * Paths are immutable once shared.
 */
struct Path {
	atomic_int ref;
	char *s;		/* "/a/b", or "#c/cons" */
	int len;		/* elements including the root */
	Chan **mtpt;
};

struct Chan {
	atomic_int ref;
	pthread_mutex_t lk;	/* offset, dir read state */
	int type;		/* index in devtab */
	uint dev;		/* device instance */
	Qid qid;
	int mode;		/* open mode */
	int flag;
	vlong offset;
	Path *path;
	int iounit;
	Unionread *ur;		/* opened union directory */
	Chan *mchan;		/* devmnt: the 9P channel */
	void *aux;		/* the device's */
	uvlong auxv;		/* the device's */
	vlong devoffset;	/* next dir read offset the device expects */
	long dri;		/* generic dir read: next entry index */
	uchar *dirbuf;		/* generic dir read: an entry that did not fit */
	int ndirbuf;
	atomic_uint pflags;	/* a personality's flags of this open file
				   (Linux: O_APPEND, O_NONBLOCK), shared by
				   every fd holding it (kfdflags) */
};
enum { CWATCHED = 1u << 31 };	/* pflags: kfdident gave it out; tell kfilegone's function when it goes */

/* A directory read across the members of a union, in mount order. */
struct Unionread {
	int n;
	int cur;
	Chan **mem;		/* unopened members */
	Chan *open;		/* member being read */
};

struct Walkqid {
	Chan *clone;
	int nqid;
	Qid qid[MAXWELEM];
};

struct Mount {
	Mount *next;
	Chan *to;		/* what is mounted */
	int mflag;
	char *spec;
	char *user;		/* mount -u: the attach's uname, or NULL */
	ulong id;
};

struct Mhead {
	Mhead *next;
	Chan *from;		/* the mount point */
	Mount *mount;		/* members, in order */
};

/* A current directory apart from the namespace's (FORKDOT): shared by
 * the procs that share it (Linux's threads), kept by kchdir. */
typedef struct Dotgrp Dotgrp;
struct Dotgrp {
	atomic_int ref;
	pthread_mutex_t lk;
	Chan *dot;
};

/* A namespace: the mount table, root and current directory. */
struct Pgrp {
	atomic_int ref;
	pthread_rwlock_t ns;	/* mhead list */
	pthread_mutex_t lk;	/* slash, dot */
	Mhead *mhead;
	Chan *slash;
	Chan *dot;
	int nodevs;
	ulong pgrpid;
};

struct Fgrp {
	atomic_int ref;
	pthread_mutex_t lk;
	Chan **fd;
	int nfd;		/* allocated */
	int maxfd;		/* highest in use + 1 */
};

struct Evalue {
	Evalue *next;
	char *name;
	char *val;
	long len;
	uvlong qpath;
	ulong vers;
};

struct Egrp {
	atomic_int ref;
	pthread_rwlock_t lk;
	Evalue *ent;
	uvlong path;		/* next qid path */
	ulong vers;		/* bumped on create/remove */
	long size;		/* bytes held (envsize), bounded by Maxenvtotal
				 * and charged to acct */
	Boxacct *acct;		/* the sandbox it was made for, or NULL */
	uint id;		/* which group: qid paths are each group's own */
};

/* Blocking with wake-up on kill: a proc records the Rendez it sleeps on. */
struct Rendez {
	pthread_mutex_t *lk;
	pthread_cond_t *cv;
};

/* kernel.h's Boxacct: one per sandbox, shared by its procs and by
 * every file holding a descriptor charged to it (boxfd.c). */
struct Boxacct {
	atomic_int ref;
	atomic_llong nfd;	/* host descriptors charged */
	atomic_llong maxfd;	/* 0: no bound */
	atomic_llong mem;	/* bytes of kernel memory its procs hold (their
				 * environments, every copy) */
	atomic_llong maxmem;	/* 0: no bound */
	atomic_int npty;	/* its pseudo-terminals (devpty.c) */
	atomic_int nwatch;	/* its change notification watches (devwatch.c) */
	atomic_int nwatchq;	/* and queues */
	char sysname[KNAMELEN];	/* its /dev/sysname, "" for the kernel's (devcons.c) */
};

struct Proc {
	Proc *next;		/* in the proc table */
	Dotgrp *dotg;		/* its current directory, or NULL: the namespace's */
	int pid;
	int box;		/* its sandbox (NEWBOX): the pid of the proc that began
				 * it, inherited; 0 for none, which sees every proc */
	Boxacct *acct;		/* its sandbox's host descriptors, or NULL (none) */
	int srvbox;		/* whose #s registry it uses: box's, but an export
				 * connection's is its exporter's (export.c) */
	char name[KNAMELEN];
	char user[KNAMELEN];
	char errstr[ERRMAX];
	char syserr[ERRMAX];	/* kerrstr swap room */
	Pgrp *pgrp;
	Fgrp *fgrp;
	Egrp *egrp;
	atomic_int killed;
	const char *state;	/* for status */
	pthread_mutex_t sleeplk;	/* guards sleep and wakefd */
	Rendez sleep;		/* where it waits, for kill and kinterrupt */
	atomic_int note;	/* kinterrupt: the next wait fails "interrupted" */
	int wakefd;		/* eventfd for waits on host fds (kpoll, cons), or -1 */
	int bound;		/* a thread is bound to it */
	int nowait;		/* knowait: pipes fail rather than wait */
	/* kpipecopy: a pipe read's bytes are a copy's until kfileunread
	 * settles them (copyq, the queue read, and copytaken) */
	int pipecopy;
	void *copyq;
	long copytaken;
	int remote;		/* serves an export's 9P client: fd numbers it
				 * writes or reads name no files (fgrp.c) */
	void *peekconv;		/* devip: the conversation whose next data read
				 * by this proc is a peek (its "peek") */
	/* Styx (devmnt): while a 9P rpc waits, procwake calls
	 * mntwake(mntwakearg) under sleeplk, so the rpc is flushed at once */
	void (*mntwake)(void *);
	void *mntwakearg;
};

/*
 * A device.  dc is its '#' character.  Calls return -1 / NULL with the
 * error set.  walk: nc == NULL asks for a clone of c; a walk of zero names
 * just clones; a partial walk returns nqid < nname and no clone; a failure
 * at the first name returns NULL.  open returns the Chan to use (usually
 * c).  create turns c (the directory) into the new, open file.  close is
 * called for every Chan of the device when its last reference goes.
 */
struct Dev {
	int dc;
	char *name;
	void (*init)(void);
	Chan *(*attach)(char *spec);
	Walkqid *(*walk)(Chan *c, Chan *nc, char **name, int nname);
	int (*stat)(Chan *c, uchar *db, int n);
	Chan *(*open)(Chan *c, int omode);
	int (*create)(Chan *c, char *name, int omode, ulong perm);
	void (*close)(Chan *c);
	long (*read)(Chan *c, void *buf, long n, vlong off);
	long (*write)(Chan *c, void *buf, long n, vlong off);
	int (*remove)(Chan *c);
	int (*wstat)(Chan *c, uchar *db, int n);
	/* devmnt only: attach to a 9P conversation (other devices: NULL) */
	Chan *(*mntattach)(Mntparam *p);
	/* walk takes several names at once with 9P's Rwalk rules (else namec
	 * hands it one at a time): Walkmany, or Walkmanyquiet when a walk
	 * that stops short does not set the error for the failing name */
	int multiwalk;
	/* Optional (NULL: none).  walkpath walks plain names, and `..`s that
	 * never leave the names walked before them (so it ends on a plain
	 * name), for a caller that needs only the Chan they lead to, not the
	 * qids on the way.  A walk must stop at a mount point: mtpt holds
	 * the nmtpt directories mounted on in c's device instance (the
	 * caller's namespace), and where there are any the device walks
	 * only when it can show that no name before the last is one of
	 * them, else it fails with Ewalknames and namec walks name by name.
	 * With omode >= 0 the caller opens that Chan next (as open(c, omode)
	 * would), and the device may return it open already; with Wlinkdir
	 * the caller's next call is a link op (symlink … linktimes below)
	 * or a create on a name in that directory, with Wlinkstat a
	 * lstat of a name in it (Chan's qid not needed: only QTDIR), and
	 * with Wremove a remove of the Chan reached; the device may keep
	 * with the Chan what it learnt for it.  The new Chan, or NULL with the error
	 * of the walk (or of the open). */
	Chan *(*walkpath)(Chan *c, char **name, int nname, int omode, Chan **mtpt, int nmtpt);
	/* dirnames reads a directory as read does, for a reader that needs
	 * of each entry only its name, qid and mode's DMDIR (Linux's
	 * getdents64): the rest of each entry may be empty. */
	long (*dirnames)(Chan *c, void *buf, long n, vlong off);
	/* reopen opens c's file anew (its own offset, omode's flags), as
	 * Linux opens a regular file through /proc/self/fd/N; c stays as
	 * it was.  Without it, or when it answers c itself (an open it
	 * cannot make anew), such an open shares c. */
	Chan *(*reopen)(Chan *c, int omode);
	/* link makes name in directory dir (of the same device instance) a
	 * hard link to c's file, as Linux's link(2); 9P has none. */
	int (*link)(Chan *c, Chan *dir, char *name);
	/* move moves c's file to name in directory dir (same instance),
	 * replacing what is there as Linux's rename(2) does; 9P's wstat
	 * renames only within a directory. */
	int (*move)(Chan *c, Chan *dir, char *name);
	/* statx is stat that also fills x from the same look at the file
	 * (a host file system's link count, blocks, nanoseconds); without
	 * it x is zero (kdirstatx). */
	int (*statx)(Chan *c, uchar *db, int n, Dirx *x);
	/* wstatx is wstat that also sets the Dir's atime (9P's wstat
	 * may not), each time with x's nanoseconds (kdirwstatx); without
	 * it wstat is used. */
	int (*wstatx)(Chan *c, uchar *db, int n, Dirx *x);
	/* statfs says what the file system holding c's file says of
	 * itself (kstatfs); without it, nothing (s stays zero). */
	int (*statfs)(Chan *c, Fsstat *s);
	/* Symbolic links, as Linux has them (9P has none), each of name in
	 * directory dir itself, never followed: symlink makes name a link
	 * to target; readlink reads a link's target into buf (at most n
	 * bytes, the length returned); lstat packs the Dir of name itself
	 * into db and x (a link's: mode DMSYMLINK|0777, length the
	 * target's); rmlink removes a link.  readlink and
	 * rmlink fail Enotlink (EINVAL) where name is no link; linktimes
	 * sets a link's own atime and mtime from d (~0: unchanged) with
	 * x's nanoseconds. */
	int (*symlink)(Chan *dir, char *name, char *target);
	long (*readlink)(Chan *dir, char *name, char *buf, long n);
	int (*lstat)(Chan *dir, char *name, uchar *db, int n, Dirx *x);
	int (*rmlink)(Chan *dir, char *name);
	int (*linktimes)(Chan *dir, char *name, Dir *d, Dirx *x);
	/* dirlist: what dirnames gives, as up to a few hundred Dirs in
	 * one allocation (*d, the caller frees it), not packed and
	 * unpacked again; off as dirnames'.  The count, 0 at the end. */
	long (*dirlist)(Chan *c, Dir **d, vlong off);
};

enum { Walkone, Walkmany, Walkmanyquiet };	/* Dev.multiwalk */
/* Dev.walkpath's omode: a link op or a create in it, its remove, a
 * link's stat in it (the directory's own qid may be left unknown) follows */
enum { Wlinkdir = -2, Wremove = -3, Wlinkstat = -4 };

/* What kmount hands to devmnt's mntattach. */
struct Mntparam {
	Chan *chan;		/* the 9P conversation */
	Chan *authchan;		/* or NULL */
	char *spec;
	char *user;		/* uname for Tattach; NULL: the proc's user */
	int flags;
};

/* A static directory entry for the generic device helpers. */
struct Dirtab {
	char name[KNAMELEN];
	Qid qid;
	vlong length;
	ulong perm;
};

/* Generate entry i (or the one named name, when i < 0 is passed as
 * DEVGENNAME) of directory c into d.  Returns 1 found, 0 skip, -1 end. */
typedef int Devgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d);

/* The kernel. */
typedef struct Kernel {
	Kconf conf;
	char *root;		/* conf.root, copied */
	char eve[KNAMELEN];
	char sysname[KNAMELEN];
	pthread_mutex_t proclk;
	Proc *procs;
	int nextpid;
	int ready;
	char noattach[NDEV];	/* devices no longer attachable (knoattach) */
} Kernel;

extern Kernel kern;
extern Dev *devtab[];
extern _Thread_local Proc *up;
