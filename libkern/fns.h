/*
 * fns.h — libkern's internal functions and error strings.
 */

/* Inferno's error strings (errstr.c) */
extern char Enonexist[], Eperm[], Eexist[], Enocreate[], Enotdir[], Ewalknames[], Eisdir[],
	Ebadfd[], Ebadarg[], Ehungup[], Epipe[], Enomem[], Einuse[], Eio[],
	Efilename[], Enotempty[], Ebadusefd[], Eisopen[], Enotopen[], Enodev[],
	Enomount[], Eunmount[], Eshortstat[], Ebadstat[], Enowstat[], Eintr[],
	Ekilled[], Enoproc[], Elimit[], Ereadonly[], Ewstatname[], Etoobig[],
	Enospace[],
	Enosrv[], Enoattach[], Eshort[], Eunion[], Ebadctl[], Eremotefd[], Eagain[],
	Enotlink[], Emfile[];

int kseterr(const char *s);		/* set up->errstr; returns -1 */
void *kseterrp(const char *s);		/* set; returns NULL */
int ksetosErr(int err);			/* host errno to Inferno wording; -1 */
const char *oserrstr(int err);

/* allocation that never returns NULL (abort on exhaustion, like emu) */
void *kmalloc(size_t n);
void *kzalloc(size_t n);
char *kstrdup(const char *s);

/* boxfd.c: a host descriptor kept for up's sandbox: 0 and *b its
 * account (NULL: none) to give it back to with fdgiveback, or -1 with
 * Emfile set past the sandbox's bound */
int fdcharge(Boxacct **b);
void fdgiveback(Boxacct *b);
Boxacct *newboxacct(void);
void consnewbox(Boxacct *b, Boxacct *from);	/* devcons.c: b's sysname from's */

/* chan.c */
Chan *newchan(void);
void incref(atomic_int *r);
int decref(atomic_int *r);
void cclose(Chan *c);
Chan *cclone(Chan *c);
Chan *procdot(Proc *p);		/* its current directory (FORKDOT) or the namespace's, referenced */
void setprocdot(Proc *p, Chan *c);	/* kchdir: c becomes it (the reference taken) */
int eqchan(Chan *a, Chan *b);
int eqqid(Qid a, Qid b);
Path *newpath(const char *s);
void pathclose(Path *p);
Path *pathappend(Path *p, const char *name, Chan *mtpt);
Path *pathparent(Path *p);
Path *pathcross(Path *p, Chan *mtpt);
Path *pathwalk(Path *p, char **names, int n);
void chansetpath(Chan *c, Path *p);
int isdir(Chan *c);
int openmodeok(Chan *c, int omode);
Chan *fdreopen(Chan *c, int fd, int omode, int fresh);

/* namec.c */
/* namec's access modes; Alinkdir is Atodir for a link op on a name in
 * that directory next (Dev.walkpath's Wlinkdir), Alinkstat for the
 * stat of a name in it, as a link (Wlinkstat) */
enum { Aaccess, Atodir, Aopen, Acreate, Aremove, Amount, Abind, Alinkdir, Alinkstat };
Chan *namec(char *name, int amode, int omode, ulong perm);
int walkname(Chan **cp, char **names, int nnames, int nomount);
Chan *domount(Chan *c);
int mtptondev(Chan *c);	/* a mount point on c's device instance? */
int validname(char *name, int slashok);
int cleanname(char *s);
Mhead *findmount(Pgrp *pg, Chan *c);
Chan *openchan(Chan *c, int omode);	/* Styx (export.c): open as namec does */
Chan *createin(Chan *c, char *name, int omode, ulong perm);	/* and create; consumes c */
Chan **unionmembers(Chan *c, int *n);
Chan *mountpoint(Chan *c);	/* the mount point c was reached across, or NULL */
void freemembers(Chan **m, int n);

/* mount.c */
int cmount(Chan *new, Chan *old, int flag, char *spec, char *user);
int cstat(Chan *c, uchar *buf, int n);	/* stat, a mount point under its own name */
int kmountas(int fd, int afd, char *old, int flags, char *spec, char *user);
int cunmount(Chan *mnt, Chan *mounted);
void mountfree(Mount *m);

/* pgrp.c fgrp.c egrp.c */
Pgrp *newpgrp(void);
Pgrp *pgrpcopy(Pgrp *from);
void closepgrp(Pgrp *p);
void pgrpswap(Pgrp *a, Pgrp *b);
int nstext(Pgrp *pg, char **text);
Fgrp *newfgrp(void);
Fgrp *fgrpcopy(Fgrp *f);
void closefgrp(Fgrp *f);
int newfd(Chan *c);
int newfd2(int fd[2], Chan *c[2]);
Chan *fdtochan(int fd, int mode, int chkmnt, int iref);
Egrp *newegrp(Boxacct *acct);
Egrp *egrpcopy(Egrp *e, Boxacct *acct);
int envgrow(Egrp *e, long n);
void closeegrp(Egrp *e);
long envsize(const char *name, long len);
char *kgetenv(Egrp *e, const char *name);	/* malloc'd copy or NULL */
int ksetenv(Egrp *e, const char *name, const char *val);

/* proc.c */
Proc *kfirstproc(void);
size_t kcopy(void *dst, const void *src, size_t n);	/* kinit.c: Kconf.copy */
Proc *pidtoproc(int pid);	/* with kern.proclk held */
int procvisible(Proc *p);	/* in #p, to the current proc */
void procsleep(pthread_mutex_t *lk, pthread_cond_t *cv);
struct timespec;
void procsleepuntil(pthread_mutex_t *lk, pthread_cond_t *cv, const struct timespec *until);
int procintr(void);
void procwake(Proc *p);
int procwakefd(void);
struct pollfd;
int procwaithost(struct pollfd *pf, int n, int ms);	/* pf has room for n+1 */

/* poll.c: a device's readiness test (see kready); *hostfd may name a
 * host fd whose readiness would change the answer.  pollwakeup tells
 * kpoll waiters that something may have become ready. */
typedef int Readyfn(Chan *c, int events, int *hostfd);
Readyfn pipeready, consready, ipready, ptyready, watchready;
Chan *fifoopen(uvlong key0, uvlong key1, int omode, Chan *node);	/* devpipe: a named pipe, by a file server's key */
long pipeunread(Chan *c, void *buf, long n);	/* devpipe: bytes a read took, back at its queue's head */
long pipepageroom(Chan *c);	/* devpipe: a pipe end's room for writes in whole free pages, as Linux counts */
long ipunread(Chan *c, long n);	/* devip: a copy's held read of a stream settled, n bytes of it left */
int chanready(Chan *c, int events, int *hostfd);	/* poll.c: kready's, of a Chan */
int ptyctlchan(Chan *c, int op, Kpty *k);	/* devpty: kptyctl's, of a Chan */
void pollwakeup(void);
/* poll.c: a waiter pollwakeup wakes: a kpoll's proc, or (p NULL) an
 * eventfd written (the export's parker) */
typedef struct Poller Poller;
struct Poller {
	Poller *next;
	Proc *p;
	int fd;
	atomic_int armed;	/* pollwakeup writes only if set; the waiter sets it before each look */
};
void pollerlist(Poller *w, int on);
int chanpollable(Chan *c);	/* 0 no readiness test, 1 and reads honor knowait, 2 a test alone */
char *fdtext(Proc *p, int *n);

/* dev.c: generic device helpers */
int devno(int dc, int user);
Chan *devattach(int dc, char *spec);
Chan *devclone(Chan *c);
Walkqid *devwalk(Chan *c, Chan *nc, char **name, int nname, Dirtab *tab, int ntab, Devgen *gen);
int devstat(Chan *c, uchar *db, int n, Dirtab *tab, int ntab, Devgen *gen);
long devdirread(Chan *c, char *d, long n, Dirtab *tab, int ntab, Devgen *gen);
long dirreadpack(Chan *c, uchar *buf, long n, Dir *(*next)(Chan *, void *), void *arg);
Chan *devopen(Chan *c, int omode, Dirtab *tab, int ntab, Devgen *gen);
int devcreate(Chan *c, char *name, int omode, ulong perm);
int devremove(Chan *c);
int devwstat(Chan *c, uchar *db, int n);
int devgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d);
void devdir(Chan *c, Qid q, char *n, vlong length, char *user, ulong perm, Dir *d);
long readstr(vlong off, char *buf, long n, const char *str);
long readnum(vlong off, char *buf, long n, vlong val, int size);
int devpermok(ulong perm, char *owner, int omode);
Walkqid *newwq(void);
Qid mkqid(uvlong path, ulong vers, int type);

/* sysfile.c */
int havemountdriver(void);
long unionread(Chan *c, void *buf, long n, int names);
int kchanread(Chan *c, void *buf, long n, vlong *off);

/* devsrv.c, devfs.c */
void srvinit(void);
void fsinit(void);
int fsdupfd(Chan *c);	/* devfs.c: for kfdkind */
Chan *fsmemchan(const char *name, unsigned hostflags);	/* devfs.c: for kmemfd */
Chan *fsgrant(Chan *c, int how);	/* devfs.c: the Chan a bind of c keeps (a #U grant) */
enum { Grantroot = 1, Grantnew = 2 };	/* fsgrant: bound at /; an export's root */
int fsmemmapped(Chan *c, vlong off, vlong len);	/* devfs.c: for kmemfdmapped */
long fshostcalls(void);	/* devfs.c: for the tests */
int fswatchfd(Chan *c);	/* devfs.c: an O_PATH host descriptor of c's file, for devwatch.c */
int fswatchlink(Chan *dir, char *name);	/* and of a link itself */
int fswatchlinkfd(char *path);	/* sysfile.c: fswatchlink of path's last name */
int kenter(void);	/* sysfile.c: every k* call's start */
int chanfd(Chan *c);	/* sysfile.c: c at a new fd */
