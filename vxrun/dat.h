/*
 * dat.h — the Linux i386 personality's types: guest processes (Lproc),
 * guest threads (Lthread), their shared memory bookkeeping (Mm), per-fd
 * state (Fdinfo) and the system call table entry.
 *
 * Locking: one mutex, glk, guards the process table, every Lproc's
 * thread list, signal state, children and futex waiters; gcv is broadcast
 * on every change that a waiter might wait for (child exit, futex wake,
 * signal posted, kill).  Guest threads are few, so simplicity wins.
 * Mm has its own lock (memory calls), Lproc.flk guards the fd state.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include "vx.h"
#include "kernel.h"
#include "vxrun.h"
#include "kif.h"

typedef struct Lproc Lproc;
typedef struct Lthread Lthread;
typedef struct Mm Mm;
typedef struct Fdinfo Fdinfo;
typedef struct Fdlook Fdlook;
typedef struct Fmap Fmap;
typedef struct Dstate Dstate;
typedef struct Sigact Sigact;
typedef struct Epoll Epoll;
typedef struct Sock Sock;
typedef struct Evfd Evfd;
typedef struct Sigwho Sigwho;
typedef struct Sigq Sigq;
typedef struct Rtq Rtq;
typedef struct Ptimer Ptimer;
typedef struct Evwait Evwait;
typedef struct Lclock Lclock;
typedef struct Lnk Lnk;
typedef struct Lusage Lusage;
typedef struct Lbox Lbox;
typedef struct Giov Giov;
typedef struct Ipc Ipc;
typedef struct Ipcids Ipcids;
typedef struct Ipcns Ipcns;
typedef struct Ipcset Ipcset;
typedef struct Shmat Shmat;
typedef struct Semundo Semundo;

/* A guest iovec, copied (giov) */
struct Giov {
	uint32_t base;
	uint32_t len;
};

/* A place in a call's iovecs (gmem.c giovcopy): the iovec and the
 * bytes of those before it */
typedef struct Giocur {
	uint32_t i;
	uint64_t at;
} Giocur;

/* A vectored call's iovecs as one buffer for a pipe (gmem.c gvecbegin) */
typedef struct Gvec {
	Lthread *t;
	Giov *v;
	uint32_t nv;
	Giocur cur;
	uint64_t skip;	/* the bytes of the iovecs before the token's first */
	uintptr_t tok;	/* the host address that stands for them */
	uint32_t len;
	int out;	/* the pipe's copies read the iovecs (a write) */
} Gvec;

enum {
	PGSIZE = 4096,
	MINMAP = 0x10000,	/* lowest mmap address, as Linux's mmap_min_addr */
	MAXFD = 1024,		/* RLIMIT_NOFILE */
	NSIG = 64,
	MAXPATH = 4096,
	NSTRBUF = 4,		/* guest strings a call may hold at once (gstr) */
	MAXRW = 0x7ffff000,	/* Linux's MAX_RW_COUNT */
	MAXIOV = 1024,		/* Linux's UIO_MAXIOV */
	Streamchunk = 64*1024,	/* a stream's long writev, gathered a piece at a time (gatherput) */
	NORET = -100000,	/* a call that set the registers itself */
	LERESTART = 512,		/* internal: restart the call if the handler allows */
	LERESTARTNOINTR = 513,	/* internal: restart the call after any handler */
	DEFMEM = 256 << 20,	/* guest memory on compat, whose guests share the host's low 4 GiB */
	DEFMEMLONG = 1024 << 20,	/* on long, each in its own 4 GiB window */
};

/* The resource limits a process keeps (sysmisc.c): Linux's RLIMIT_AS,
 * RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_FSIZE and RLIMIT_SIGPENDING. */
enum { RLAS, RLNOFILE, RLNPROC, RLFSIZE, RLSIGPENDING, NRLIM };
#define RLNONE (~(uint64_t)0)

/* Linux i386 signal numbers used by name */
enum {
	LSIGHUP = 1, LSIGINT = 2, LSIGQUIT = 3, LSIGILL = 4, LSIGTRAP = 5, LSIGABRT = 6,
	LSIGBUS = 7, LSIGFPE = 8, LSIGKILL = 9, LSIGUSR1 = 10, LSIGSEGV = 11,
	LSIGUSR2 = 12, LSIGPIPE = 13, LSIGALRM = 14, LSIGTERM = 15, LSIGCHLD = 17,
	LSIGCONT = 18, LSIGSTOP = 19, LSIGTSTP = 20, LSIGTTIN = 21, LSIGTTOU = 22,
	LSIGURG = 23, LSIGXCPU = 24, LSIGXFSZ = 25, LSIGVTALRM = 26, LSIGPROF = 27, LSIGWINCH = 28,
};

/* What / is to a Linux program (procfs.c's rootfs). */
typedef struct Rootfs {
	int type;		/* device letter and instance: st_dev */
	unsigned dev;
	char path[MAXPATH];	/* a name of its top, for statfs */
} Rootfs;

/* A sandbox: the processes a spawned guest and everything it forks
 * (Lproc.box), and what they may take of the host together (quota.c). */
struct Lbox {
	VxAccount acct;		/* first: libvx charges it (pages, mapping fds) */
	atomic_int ref;		/* its processes', its memories' (VX_ACCT_MEMS) */
	_Atomic int64_t pages;	/* committed guest pages */
	int64_t maxpages;	/* 0: no bound */
	atomic_int mapfds;	/* host descriptors of file mappings (also in kbox) */
	int maxmapfds;		/* half the descriptors: opens keep the rest; 0: none */
	atomic_int tasks;	/* its threads, and those being made */
	int maxtasks;		/* 0: no bound */
	atomic_int refused;	/* charges refused so far (exec's ENOMEM) */
	atomic_int sigqueued;	/* real-time signal instances its processes have queued (syssig.c) */
	atomic_int epents;	/* room for epoll entries its epolls hold (sysmore.c),
				 * at most MAXBOXEPENTS */
	Kifbox *kbox;		/* the kernel's account of its host descriptors */
	Ipcns *ipc;		/* its System V IPC namespace (sysipc.c), gone with it */
};

/* Guest memory of one address space, shared by its threads. */
struct Mm {
	atomic_int ref;
	pthread_mutex_t lk;
	uint32_t brkstart;
	uint32_t brk;
	uint32_t mmaptop;	/* mmap searches below this */
	Fmap *fmaps;		/* lk: private mappings filled from a kernel file */
	Shmat *shmats;		/* lk: System V shared memory attached (sysshm.c) */
};

/* Guest pages [addr, addr+len) of a private mapping of file at off:
 * MADV_DONTNEED reads them from it again and mremap grows them with
 * its next bytes, as Linux's private file mapping.  Copies (fillmap)
 * are read again through the kernel; a host file's pages mapped in
 * place (host: hostmap, neither moved nor forked since) by the host.
 * Sorted by addr, never overlapping (sysmem.c). */
struct Fmap {
	Fmap *next;
	uint32_t addr;
	uint32_t len;
	uint64_t off;
	struct Kiffile *file;
	int host;
	uint64_t hostend;	/* host: the file offset where the host file's pages end */
};

/* A directory being read with getdents64: entries not yet returned and
 * the names already returned, so a union shows each name once. */
/* A directory fd's getdents state: the fd's reference and one per
 * getdents running on it (another thread may close the fd meanwhile);
 * lk makes concurrent getdents take turns. */
struct Dstate {
	atomic_int ref;
	pthread_mutex_t lk;
	Dir *d;
	long n, i;
	uint32_t *seen;		/* open hash of names: 1 + offset in pool, 0 free */
	uint32_t nseen, cap;
	char *pool;		/* the names seen, one after another */
	uint32_t npool, maxpool;
	int64_t off;
	int dots;		/* "." and ".." returned so far */
	int eof;		/* the kernel said end of listing: ask again after a rewind */
	int eofmid;		/* the kernel's offset was not 0 then (dsrewound) */
};

struct Fdinfo {
	uint8_t used;
	uint8_t cloexec;
	uint8_t iscons;		/* #c/cons: a terminal if the host's is */
	uint8_t isdir;
	uint8_t slow;		/* a pipe or the console: a signal may end its I/O */
	uint8_t hostfile;	/* the console on the host's fds (stdio.c): Hostfile* */
	uint8_t ispipe;		/* the kernel's pipe or FIFO: kif_nowait governs its waits */
	uint8_t istty;		/* #P's master or slave: job control (ttyjob) */
	uint8_t nooff;		/* #c null, zero or full: Linux's lseek of one answers 0 */
	uint32_t flags;		/* access mode (status flags: fdflags) */
	int dc;			/* its kernel file's device (kif_fdkind), 0 where unknown */
	uint64_t qpath;		/* and that file's qid path: the file rwlk checks it reads */
	_Atomic uint64_t stcache;	/* fdstatus: stgen << 32 | status flags */
	uint32_t drained;	/* calls on it that failed EAGAIN (epoll's EPOLLET) */
	uint32_t gen;		/* which open this is: epoll forgets a closed fd's */
	Dstate *ds;
	Epoll *ep;		/* an epoll instance's interest list (sysmore.c) */
	Sock *sock;		/* a socket's state (syssock.c), or NULL */
	Evfd *ev;		/* an eventfd's counter (sysevfd.c), or NULL */
	Lnk *lnk;		/* an O_PATH|O_NOFOLLOW fd of a symbolic link, or NULL */
};

/* What a read or write needs of an fd's Fdinfo, taken under one p->flk
 * (fdlook): whether it is open, its kind, and a reference to its Evfd. */
struct Fdlook {
	uint8_t used;
	uint8_t isdir;
	uint8_t slow;
	uint8_t ispipe;
	uint8_t istty;
	uint8_t other;		/* a socket's or epoll's: none of a file's calls */
	uint8_t hostfile;	/* Fdinfo.hostfile */
	uint32_t flags;
	int dc;			/* Fdinfo.dc */
	uint64_t qpath;		/* Fdinfo.qpath */
	uint32_t gen;		/* Fdinfo.gen: which open the record was */
	Sock *sock;		/* counted: fdlookdone drops it (sockrw's)*/
	Evfd *ev;		/* counted: fdlookdone drops it */
};

/* The symbolic link an O_PATH|O_NOFOLLOW fd names (the kernel opens no
 * link: the fd's kernel file is #c/null, which nothing can harm);
 * shared by dup and fork, as the open file is. */
struct Lnk {
	atomic_int ref;
	char path[];		/* its namespace path */
};

struct Sigact {
	uint32_t handler;	/* 0 SIG_DFL, 1 SIG_IGN, else guest address */
	uint32_t flags;
	uint32_t restorer;
	uint64_t mask;
};

/* Who sent a pending signal, for its siginfo: the first of each
 * number, as Linux keeps one siginfo for a non-real-time signal (a
 * real-time one's are queued there; here too the first). */
struct Sigwho {
	int code;		/* si_code: SI_USER, SI_TKILL, SI_KERNEL, CLD_* */
	int pid;		/* si_pid: the sender's process, or the child */
	uint32_t uid;		/* si_uid */
	int status;		/* si_status of a SIGCHLD */
	uint32_t value;		/* si_value: sigqueue's and a POSIX timer's */
	int timerid;		/* a POSIX timer's si_timerid (SI_TIMER) */
	int overrun;		/* its si_overrun, set when it is taken */
};
/* A real-time signal's instance, queued with its sender: Linux queues
 * each (a standard signal's second merges with the first: who[]). */
struct Sigq {
	Sigq *next;
	int sig;
	Sigwho w;
};
struct Rtq {
	Sigq *first, *last;	/* oldest first */
};
enum { LSIGRTMIN = 32,		/* the kernel's SIGRTMIN: glibc keeps 32 and 33 */
	SIGQMAX = 8192 };	/* a sandbox's queued instances, at most (RLIMIT_SIGPENDING) */
enum { LSI_USER = 0, LSI_KERNEL = 0x80, LSI_QUEUE = -1, LSI_TIMER = -2, LSI_TKILL = -6,
	LCLD_EXITED = 1, LCLD_KILLED = 2, LCLD_DUMPED = 3, LCLD_STOPPED = 5, LCLD_CONTINUED = 6 };

/* An eventfd, timerfd, signalfd or pidfd: what is behind the fd
 * (sysevfd.c, systfd.c, syspidfd.c).  count and rung change with the doorbell, under lk. */
enum { EVCOUNT, EVTIMER, EVSIGNAL, EVPID };
#define EVMAX 0xfffffffffffffffeULL	/* an eventfd's greatest count */

struct Evfd {
	atomic_int ref;
	pthread_mutex_t lk;
	int kind;		/* EVCOUNT, EVTIMER, EVSIGNAL */
	uint64_t count;		/* eventfd: the counter; timerfd: expirations not read */
	int sem;
	int bell;		/* kernel fd of the pipe's hidden end */
	Kiffile *ear;		/* the guest's end, its open file (kif_fdfile), or NULL (emu) */
	int rung;		/* timerfd, signalfd: the doorbell holds its byte */
	uint32_t nwrite;	/* writes so far: epoll's EPOLLET tells a new one */
	int clock;		/* timerfd: the host clock of its deadline */
	int madeon;		/* and the one it was made on (relative REALTIME: MONOTONIC) */
	uint64_t next;		/* timerfd: the next expiry on clock, ns; 0: disarmed */
	uint64_t interval;	/* timerfd: ns, 0: one shot */
	uint64_t sigmask;	/* signalfd: the signals it reads */
	int pid;		/* pidfd: its process */
	Evwait *waiters;	/* glk: threads in lxpoll on it (timerfd, signalfd, eventfd) */
};

/* A thread waiting on a timerfd or signalfd in lxpoll: a new time or
 * mask makes it look again (evwake). */
struct Evwait {
	Evwait *next;
	Lthread *t;
};

/* Linux's clock ids (the guest's numbers, not the host's) */
enum {
	LCLOCK_REALTIME = 0, LCLOCK_MONOTONIC = 1, LCLOCK_PROCESS_CPUTIME_ID = 2,
	LCLOCK_THREAD_CPUTIME_ID = 3, LCLOCK_MONOTONIC_RAW = 4, LCLOCK_REALTIME_COARSE = 5,
	LCLOCK_MONOTONIC_COARSE = 6, LCLOCK_BOOTTIME = 7, LCLOCK_REALTIME_ALARM = 8,
	LCLOCK_BOOTTIME_ALARM = 9, LCLOCK_TAI = 11,
};

/* A clock a guest names (lxclock.c): a host clock, or the CPU time of
 * a guest process or of one of its threads. */
enum { LCKHOST, LCKPROC, LCKTHREAD };
struct Lclock {
	int kind;
	clockid_t host;		/* LCKHOST: the host's clock */
	int tid;		/* LCKTHREAD: the thread */
	int pid;		/* LCKPROC: another process of the sandbox; 0: the caller's */
};

/* What a guest thread, process or its reaped children used, as
 * getrusage and times tell it (lxusage.c). */
struct Lusage {
	uint64_t utime, stime;	/* ns */
	uint64_t minflt, majflt;
	uint64_t nvcsw, nivcsw;
	uint64_t maxrss;	/* KiB, a high water */
};

/* A POSIX timer (ptimer.c), in its process's list under glk. */
struct Ptimer {
	Ptimer *next;
	int id;
	Lclock clock;		/* its deadlines' clock */
	uint64_t lastcpu;	/* a CPU clock: its time at the last look, */
	uint64_t lastwait;	/* and the wait before that look, ns */
	int orphan;		/* its thread (SIGEV_THREAD_ID, a thread clock) is gone */
	int relmono;		/* armed relative on REALTIME: on MONOTONIC, as Linux's */
	uint64_t at;		/* next expiry on clock, ns; 0: disarmed */
	uint64_t interval;
	int notify;		/* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
	int signo;
	uint32_t value;		/* sigev_value */
	int tid;		/* SIGEV_THREAD_ID's thread */
	int overrun;		/* expiries while its signal was pending */
	int lastoverrun;	/* timer_getoverrun: at the last delivery */
};

struct Lproc {
	Lproc *next;		/* in the table */
	int pid;
	Lproc *parent;		/* NULL: top level or orphan */
	int toplevel;		/* spawned by vxrun_spawn: vxrun_wait reaps it */
	int box;		/* its sandbox: the pid of the spawned guest it descends from */
	Lbox *lbox;		/* and what that sandbox holds (a reference) */
	uint64_t rlim[NRLIM][2];	/* glk: its own limits, soft and hard (setrlimit:
				 * lowered, never above the sandbox's bounds) */
	Lthread *threads;
	int nthreads;
	int nlive;		/* glk: threads not yet through threadend (their Vx freed) */
	int dethreading;	/* glk: an execve waits for the other threads to end (dethread) */
	int zombie;
	int ntasks;		/* glk: threads not yet past threadend's first step */
	int zombietask;		/* its last thread's place in the sandbox's threads, held till it is reaped */
	int exiting;		/* exit_group or a fatal signal is under way */
	atomic_uint sigseq;	/* bumped under glk by every change deliver acts on (sigchanged) */
	int status;		/* Linux wait status once exiting */
	int exitsig;		/* sent to the parent when it ends */
	int stopsig;		/* the signal that stopped it (job control), 0 while it runs */
	int waitst;		/* a stop's or continue's wait status its parent has not
				 * waited for (WUNTRACED, WCONTINUED), else 0 */
	int vforkwait;		/* a vfork parent waits until exec or exit */
	int execed;		/* glk: it made an execve (Linux: no PF_FORKNOEXEC) */
	atomic_int forking;	/* forks copying its memory: its threads keep out of guest code (forkhold) */
	uint64_t pending;	/* process-directed signals */
	Sigwho who[NSIG + 1];	/* glk: their senders */
	Rtq rtq;		/* glk: its real-time ones' instances */
	Sigact act[NSIG + 1];
	int pgid;		/* process group */
	int sid;		/* session */
	int noctty;		/* glk: gave its session's terminal up (TIOCNOTTY, not its leader) */
	int nice;		/* glk: setpriority's, -20 to 19; inherited by fork */
	int fgpgrp;		/* glk: its sandbox's console foreground group
				 * (TIOCSPGRP; 0: the session's), the same in
				 * every process of the sandbox */
	uint64_t alarmat;	/* ITIMER_REAL deadline, CLOCK_MONOTONIC ns; 0: off */
	uint64_t alarmint;	/* its interval in ns; 0: one shot */
	uint64_t cpudead;	/* glk: CPU ns of its threads that ended (lxclock.c) */
	Lusage dead;		/* glk: what its ended threads used, its resident high water (lxusage.c) */
	Lusage child;		/* glk: what its reaped children used, theirs included */
	uint64_t vmpeak;	/* glk: its mapped bytes' high water as /proc looked (procfs.c) */
	uint64_t startns;	/* CLOCK_BOOTTIME at its fork, ns (/proc/PID/stat) */
	Ptimer *timers;		/* glk: POSIX timers, not inherited by fork */
	Semundo *semundo;	/* glk: its semaphores' SEM_UNDO adjustments (syssem.c) */
	int ntimers;
	int specialfds;		/* it has had a timerfd, signalfd or epoll (lxpoll) */
	int evfds;		/* it has had an eventfd (lxpoll: one at EVMAX is not writable) */
	uint32_t umask;
	char exe[256];		/* namespace path of the running program */
	char cmdline[1024];	/* its argv, NUL after each, cut short (procfs.c) */
	int ncmdline;
	unsigned rootgen;	/* root is rootfs's for this namespace generation */
	Rootfs root;
	pthread_mutex_t flk;
	int fdhi;		/* flk: every fd[i] ever installed has i < fdhi */
	Fdinfo fd[MAXFD];	/* fresh zero pages (newproc): untouched past fdhi */
};

struct Lthread {
	Lthread *next;		/* in p->threads */
	Lproc *p;
	Vx *vx;
	Mm *mm;
	Kproc *kp;		/* its kernel proc (kif.h) */
	int tid;
	uint64_t mask;
	uint64_t pending;
	Sigwho who[NSIG + 1];	/* glk: the senders of pending */
	Rtq rtq;		/* glk: its real-time ones' instances */
	uint64_t sigwatch;	/* glk: blocked signals that end its wait (signalfd in lxpoll) */
	unsigned sigseen;	/* p->sigseq at its last full deliver */
	uint64_t maskseen;	/* and its mask then (intrbeginio) */
	int pidwatch;		/* glk: a process's end ends its wait (pidfd in lxpoll) */
	uint64_t savedmask;	/* sigsuspend: mask to restore after delivery */
	int restoremask;
	uint32_t cleartid;
	uint32_t robust;	/* set_robust_list's head (futex.c) */
	int tlsused;
	int dying;
	clockid_t cpuclock;	/* glk: its host thread's CPU clock, */
	int hascpu;		/* once that thread runs (lxclock.c) */
	int htid;		/* glk: its host thread's id, once it runs (lxusage.c) */
	uint32_t cpus;		/* glk: sched_setaffinity's mask; 0: every CPU (sysmore.c) */
	uint32_t ioprio;	/* glk: ioprio_set's class and data (sysmore.c) */
	atomic_int inguest;	/* in vx_run, or about to be (forkhold) */
	atomic_int callnr;	/* the system call it left guest code for, until it goes back; -1: none (forkhold) */
	uint32_t nr;		/* system call being served */
	int restart;		/* it returned LERESTART */
	atomic_int introk;	/* in a wait a signal may end (intrbegin); set under glk but by intrbeginio */
	int fltsig;		/* a fault's signal not yet delivered, with its */
	int fltcode;		/* siginfo si_code and */
	uint32_t fltaddr;	/* si_addr */
	uint32_t altsp;		/* sigaltstack: its base and size, */
	uint32_t altsize;	/* 0 when there is none (SS_DISABLE) */
	int altflags;		/* its ss_flags as set (SS_AUTODISARM) */
	char comm[16];		/* prctl(PR_SET_NAME)'s name; "": the program's */
	uint32_t policy;	/* sched_setscheduler's (sysmore.c), with SCHED_RESET_ON_FORK */
	char lasterr[ERRMAX];	/* the error string of the last failed call */
	uint32_t nextstrbuf;
	Sock **sockheld;	/* the Socks its call found (sockof), held until it returns (sockdrop) */
	int nsockheld, maxsockheld;
	/* a send's or receive's socket file, taken at its first move
	 * (syssock.c's sockio) and held to its end: sockin says a call is
	 * under way on sockfd; socklook, where not NULL, is the Sock of
	 * rwheld's record (sockrw's), which sockof gives for sockfd;
	 * sockdc the device the file taken must be of (the record's);
	 * socknb the O_NONBLOCK the call found at sockfd before the take,
	 * plus 1 (0: none asked), which the file taken must have; sockgen
	 * the open (Fdinfo.gen) whose record gave the call its Sock, which
	 * must still be at sockfd when the file is taken (0: not known) */
	Kiffile *sockfile;
	Sock *socklook;
	int sockin, sockfd, sockdc, socknb;
	uint32_t sockgen;
	/* scratch, last and not cleared (newthread): 32 KiB written before
	 * it is read, whose clearing touched eight fresh pages a thread */
	char strbuf[NSTRBUF][MAXPATH];	/* gstr's copies of guest strings */
	Giov iovbuf[MAXIOV];	/* giov's copy of a call's iovecs */
};

enum { SCHEDRESETFORK = 0x40000000 };	/* sched_setscheduler: a child takes the normal policy */

typedef long Sysfn(Lthread *t, uint32_t *a);

/* One system call: everything about it is in its row (linux.c). */
typedef struct Syscall {
	uint32_t nr;
	const char *name;
	Sysfn *fn;
	const char *args;	/* for the -t trace, one letter each: x number, p path */
	int flags;
} Syscall;
enum { Tbefore = 1 };	/* may block or not return: traced before it runs too */

extern pthread_mutex_t glk;
extern pthread_cond_t gcv;
extern Lproc *procs;
extern Vxconf conf;

/* System V IPC (sysipc.c): the part every object has, first in its
 * family's structure; a family's table of them. */
struct Ipc {
	int32_t id;
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode;		/* the permissions and the family's flags (SHM_DEST) */
	uint32_t seq;
	uint64_t ctime;
	int removed;		/* IPC_RMID: out of the table, or on its way */
	Ipcids *ids;		/* its table while in it */
	Lbox *box;		/* charged: the sandbox that made it (whose
				 * namespace holds it: no reference), */
	int64_t pages;		/* and how many pages */
};
struct Ipcids {
	Ipc **obj;		/* by slot */
	int n;
	int inuse;
	int mni;		/* at most this many */
	uint32_t seq;
};
/* A sandbox's objects and what counts against its limits, as a Linux
 * IPC namespace's. */
enum { SHMMNI = 4096, SEMMNI = 32000, MSGMNI = 32000 };
struct Ipcns {
	Ipcids shm, sem, msg;
	long usedsems;		/* semaphores in its sets: SEMMNS's */
	uint64_t msgs, msgbytes;	/* in its queues: MSG_INFO's */
};
struct Ipcset {			/* IPC_SET's */
	uint32_t uid, gid, mode;
};
enum { IPC64 = 0x100, LIPC_NOWAIT = 04000, LIPC_RMID = 0, LIPC_SET = 1, LIPC_STAT = 2, LIPC_INFO = 3 };
uint64_t ipcnow(void);
Ipc *ipcfind(Ipcids *ids, int32_t id);
Ipc *ipcslot(Ipcids *ids, int32_t idx);
Ipc *ipcstatof(Ipcids *ids, int32_t id, int byslot, int any, long *r);
int ipcmaxidx(Ipcids *ids);
void ipcdel(Ipc *o);
Ipcns *ipcns(Lthread *t);
Ipcns *ipcnsnew(void);
void ipcnsfree(Ipcns *ns);
void shmnsfree(Ipcns *ns);
void semnsfree(Ipcns *ns);
void msgnsfree(Ipcns *ns);
int ipcaccess(Ipc *o, uint32_t flag);
int ipcowner(Ipc *o);
long ipcget(Lthread *t, Ipcids *ids, int32_t key, uint32_t flag, uint32_t arg,
	long (*check)(Ipc *, uint32_t), Ipc *(*make)(Lthread *, uint32_t, long *));
int ipccharge(Ipc *o, Lbox *b, uint64_t bytes);
void ipcuncharge(Ipc *o);
void putperm(uint8_t *p, Ipc *o, int v64);
uint8_t *ipcds(Lthread *t, uint32_t addr, Ipc *o, int v64, uint32_t size64, uint32_t sizeold);
void puttime(uint8_t *p, uint64_t v);
long getperm(Lthread *t, uint32_t addr, int v64, Ipcset *s);
void ipcset(Ipc *o, Ipcset *s);
uint32_t ipcversion(uint32_t cmd, int direct, int *v64);
/* sysshm.c, syssem.c, sysmsg.c */
long shmctlx(Lthread *t, uint32_t *a, int direct);
long semctlx(Lthread *t, uint32_t *a, int direct);
long msgctlx(Lthread *t, uint32_t *a, int direct);
long semtimed(Lthread *t, uint32_t *a, int wide);
void shmcut(Mm *mm, uint32_t addr, uint64_t len);	/* mm->lk held */
int shmcopy(Mm *to, Mm *from);	/* from->lk held */
void shmfree(Mm *mm);
void semexit(Lproc *p);
char *ipcprocfs(const char *which, Lbox *b);	/* /proc/sysvipc/{shm,sem,msg} of b's
						 * namespace, malloced; glk held */
void ipcprocids(FILE *f, Ipc *o);
void shmprocfs(FILE *f, Ipcns *ns);
void semprocfs(FILE *f, Ipcns *ns);
void msgprocfs(FILE *f, Ipcns *ns);

/* gmem.c */
void *gmem(Lthread *t, uint32_t addr, uint32_t len, int prot);
void *gmemroom(Lthread *t, uint32_t addr, uint32_t len, int prot, uint32_t *room);
void *gmemguarded(Lthread *t, uint32_t addr, uint32_t len, uint32_t *room);
char *gstr(Lthread *t, uint32_t addr);	/* a copy: see gmem.c */
long gstrcpy(Lthread *t, uint32_t addr, char *buf, uint32_t max);
char *gpath(Lthread *t, uint32_t addr, int *err);
Giov *giov(Lthread *t, uint32_t addr, uint32_t n, int prot, uint64_t *total, long *err);
uint32_t giovgather(Lthread *t, Giov *v, uint32_t nv, uint64_t skip, void *buf, uint32_t len);
uint32_t giovscatter(Lthread *t, Giov *v, uint32_t nv, const void *buf, uint32_t len);
uint32_t giovroom(Lthread *t, Giov *v, uint32_t nv, int prot, uint32_t len);
typedef long Putfn(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, void *arg);
long gatherput(Lthread *t, uint32_t fd, Giov *v, uint32_t nv, uint64_t total, uint32_t chunk, Putfn *put, void *arg);
void *gvecbegin(Gvec *g, Lthread *t, Giov *v, uint32_t nv, uint64_t skip, uint32_t len, int out, uint32_t *room);
void gvecend(void);
void gcopywire(void);
extern int gpipecopy;
void put16(void *p, uint16_t v);
void put32(void *p, uint32_t v);
void put64(void *p, uint64_t v);
uint32_t get32(const void *p);
uint16_t get16(const void *p);
uint64_t get64(const void *p);
int64_t arg64(uint32_t lo, uint32_t hi);	/* a 64-bit argument in two words */
uint64_t pgup(uint64_t a);

/* errno.c */
typedef struct Errmap {
	const char *s;
	int err;
	int prefix;	/* s is followed by detail: "unsupported network udp in …" */
} Errmap;
extern const Errmap kernerrs[];
long kerrno(void);
int errnoof(const char *err);
int errnolookup(const char *err);

/* lxnames.c */
const char *lxname(uint32_t nr);

/* linux.c */
long lxdispatch(Lthread *t, uint32_t nr, uint32_t *a);

/* guest.c */
void guestloop(Lthread *t);
int forkhold(Lthread *t);
void forkrelease(Lthread *t);
int startthread(Lthread *t);
void threadunmake(Lthread *t);
Lthread *newthread(Lproc *p, Vx *vx, Mm *mm, Kproc *kp, Lthread *parent);
Lproc *newproc(Lproc *parent);
void freeproc(Lproc *p);
void dropproc(Lproc *p);
void killproc(Lproc *p, int status);
void pokeall(void);
Mm *newmm(uint32_t brk, uint32_t top);
Mm *mmforimage(VxImage *img);
void mmdecref(Mm *mm);
int fmapcopy(Mm *to, Mm *from);	/* sysmem.c; from->lk held */
void fmapcut(Mm *mm, uint32_t addr, uint64_t len);	/* mm->lk held */
int rangeis(Lthread *t, uint32_t addr, uint64_t len, int mapped);
void fmapfree(Mm *mm);
uint64_t cputime(void);

/* quota.c */
Lbox *boxnew(const Vxbounds *b, uint32_t memsize, Kproc *kp);
Lbox *boxget(Lbox *b);
void boxput(Lbox *b);
int boxtask(Lbox *b, uint64_t nproc);	/* one more thread: 0, or -1 past the
				 * bound or the caller's RLIMIT_NPROC */
void boxtaskend(Lbox *b);
uint64_t boxmemmax(Lbox *b);	/* bytes; 0: none */
void boxmeminfo(Lbox *b, uint64_t *total, uint64_t *avail);	/* what a guest is told */
void boxrlimits(Lbox *b, uint32_t memsize, uint64_t rlim[NRLIM][2]);	/* a spawn's */
int fdlimit(Lproc *p);		/* fds at or above it are refused (EMFILE) */
int fdroom(Lproc *p);		/* an fd is free below fdlimit */
int boxfdmax(Lbox *b);		/* 0: none */
int boxtaskmax(Lbox *b);	/* 0: none */

/* exec.c */
int loadprog(Lbox *box, Vx **vxp, const char *path, char *const argv[], char *const envp[],
	     uint32_t memsize, VxImage *img, char *err, int nerr);

/* sysmore.c */
void epincref(Epoll *ep);
void epdecref(Epoll *ep);
int epitems(Lthread *t, Epoll *ep, Kifpoll **items, unsigned *gen);
unsigned epchanges(Epoll *ep);
void epwatch(Epoll *ep, Evwait *w, int on);	/* glk held */
void evincref(Evfd *e);
void evdecref(Evfd *e);
Evfd *evof(Lproc *p, uint32_t fd);
int evwrites(Lproc *p, uint32_t fd, uint32_t *n);
void fddrained(Lproc *p, uint32_t fd);
int waitmask(Lthread *t, uint32_t addr, uint32_t size, int *err);
void endmask(Lthread *t, long r);
int evnonblock(Lthread *t, Evfd *e, uint32_t fd);
long evrw(Lthread *t, Evfd *e, uint32_t fd, void *p, uint32_t n, int out);
int evmake(Lthread *t, Evfd *e, uint32_t flags);
void evring(Evfd *e, int fd, int on);

/* systfd.c */
long tfdrw(Lthread *t, Evfd *e, uint32_t fd, void *p, uint32_t n, int out);
long sfdrw(Lthread *t, Evfd *e, uint32_t fd, void *p, uint32_t n, int out);
void tfdsync(Evfd *e, int fd);
long long tfdleft(Evfd *e);

/* lxpoll.c */
enum { LXCHANGED = -2 };	/* lxpollep: the epoll's list changed */
int lxpoll(Lthread *t, Kifpoll *kf, int n, long long ms);
int lxpollep(Lthread *t, Kifpoll *kf, int n, long long ms, Epoll *top, unsigned topchanges);
void evwake(Evfd *e);

/* lxclock.c */
int lxclock(Lthread *t, uint32_t id, Lclock *c);
uint64_t lxclocknow(Lproc *p, Lclock *c);	/* glk held for a CPU clock */
uint64_t lxclockread(Lproc *p, Lclock *c);
uint64_t proccpu(Lproc *p);
void threadcpustart(Lthread *t);
void threadcpuend(Lthread *t);

/* lxusage.c */
void procusage(Lproc *p, Lusage *u);	/* glk held */
void threadusage(Lthread *o, Lusage *u);	/* glk held */
void usageend(Lthread *t);	/* glk held */
void usagerss(Lthread *t);	/* glk not held */
void usagereap(Lproc *p, Lproc *c, Lusage *u);	/* glk held */
void putrusage(uint8_t *g, Lusage *u);

/* itimer.c, ptimer.c, lxpoll.c, sysmore.c */
uint64_t clocknow(int clock);
long long nowms(void);
uint64_t expiries(uint64_t *at, uint64_t interval, uint64_t now);
uint64_t deadline(int abs, uint64_t value, uint64_t now);
int kicktimer(void);
uint64_t ptimerfire(Lproc *p, uint64_t now);
void ptimersfree(Lproc *p, int all);
long cpuitimer(Lproc *p, int which, int set, uint64_t value, uint64_t interval, uint64_t *oleft, uint64_t *oint);
void ptimertaken(Lproc *p, Sigwho *w);
void ptimerthreadend(Lproc *p, int tid);
int getits(uint8_t *g, int wide, uint64_t *interval, uint64_t *value);
void putits(uint8_t *g, int wide, uint64_t interval, uint64_t value);
long putitsat(Lthread *t, uint32_t addr, int wide, uint64_t interval, uint64_t value);

/* procfs.c */
void rootfs(Lproc *p, Rootfs *rf);	/* what / is to a Linux program */
void nschanged(void);
uint64_t mountid(const char *path);
void procfsinit(void);

/* syspty.c: pseudo-terminal ioctls (NOTPTY: fd is none, or the request
 * is every file's); sysio.c's console checks they share */
enum { NOTPTY = 1 };
long ptyioctl(Lthread *t, uint32_t *a);
void ptyopened(Lthread *t, int fd);
int ptydevtty(Lthread *t, int fd, int omode);
int isdevtty(int fd);
/* what the host's fd 0-2 is, for Fdinfo.hostfile: Hostread
 * (fd 0) or Hostwrite (fds 1, 2) for a regular file, Hostpipe for a
 * FIFO written (fds 1, 2), else 0 */
enum { Hostread = 1, Hostwrite = 2, Hostpipe = 4 };
int stdhostfile(int hostfd);	/* fdtab.c */
extern uint8_t hostkind[3];	/* fdtab.c's, filled by stdio.c */
int sinkkind(int dc, unsigned long long qpath, int out);
int fullkind(int dc, unsigned long long qpath);
int kifbyfd(void);
void ptyinit(void);
void ptyexit(Lproc *p);
long ttyjob(Lthread *t, int fd, int out);
long ttyjobfile(Lthread *t, Kiffile *f, int out);
int pgrporphaned(Lproc *p);
void orphanedhup(Lproc *gone, Lproc *q);
int consistty(void);
int isctty(Lproc*);
int fgpgrpok(Lproc *me, int pgrp);
long pgrparg(Lthread *t, uint32_t addr, int *pg);
void putwinsize(uint8_t *p, int row, int col, int xpixel, int ypixel);
void setcmdline(Lproc *p, char *const argv[]);
void setexe(Lproc *p, const char *path);
const char *threadname(Lthread *t);	/* glk held */
Lthread *findthread(Lproc *p, int tid);	/* glk held */
Lthread *boxthread(Lthread *t, uint32_t tid);	/* glk held */
char *linktarget(const char *path, int *err);
int lxpath(char *path);
int ncpu(void);
uint32_t cpumask(void);

/* sysfile.c */
char *atpath(Lthread *t, uint32_t dirfd, uint32_t addr, int *err);
int progfile(int dc, uint64_t qpath);
Dir *gdirstat(char *path);

/* fdtab.c */
int fdcheck(Lproc *p, uint32_t fd);
int fdlook(Lproc *p, uint32_t fd, Fdlook *l);
void fdlookdone(Fdlook *l);
int slowkind(int dc, unsigned long long qpath);
void fdinstall(Lproc *p, int fd, uint32_t flags, int cloexec);
void fdinstallx(Lproc *p, int fd, uint32_t flags, int cloexec, Epoll *ep, Evfd *ev, Sock *sock, Lnk *lnk);
void fdrecord(Lproc *p, int fd, uint32_t flags, int cloexec, Epoll *ep, Evfd *ev, Sock *sock, Lnk *lnk);
uint32_t fdflags(Lproc *p, uint32_t fd);
int fdstatus(Lproc *p, uint32_t fd);
int fdopened(Lproc *p, uint32_t fd);
int fdsetstatus(uint32_t fd, uint32_t clear, uint32_t set);
/* The open file's flags, kept in the kernel (kif_fdflags), so shared
 * by dup, fork and SCM_RIGHTS as Linux's f_flags: the status flags
 * O_APPEND, O_NONBLOCK (F_SETFL) and what open keeps to show F_GETFL:
 * O_DSYNC, O_ASYNC, O_DIRECT, O_LARGEFILE, O_DIRECTORY, O_NOFOLLOW,
 * O_NOATIME, __O_SYNC, O_PATH. */
enum { FDSTATUS = 02000 | 04000 | 010000 | 020000 | 040000 | 0100000 | 0200000 |
	0400000 | 01000000 | 04000000 | 010000000 };
void fdrelease(Lproc *p, int fd);
long fcntllock(Lthread *t, uint32_t fd, uint32_t addr, int wide, int ofd, int cmd);
int lkclosing(int fd, Kifident *id);
void lkclosed(Lproc *p, Kifident *id);
int fdclose(Lproc *p, int fd);
void lkexit(Lproc *p);
void fdexit(Lproc *p);
void fdcopy(Lproc *to, Lproc *from, Kproc **kp, int kflags);
void fdreconcile(Lproc *p, Kproc *kp);
void fdcloexec(Lproc *p);
void dsput(Dstate *ds);
Dstate *dsnew(void);
Dstate *dsshare(Fdinfo *f);
void dsreset(Dstate *ds);
int64_t dirseek(Lthread *t, uint32_t fd, int64_t off, uint32_t whence);	/* sysdir.c: lseek of a directory */
Lnk *lnkget(Lnk *l);
void lnkput(Lnk *l);
Lnk *lnknew(const char *path);
int lnkpass(int fd, Lnk *l);
Lnk *lnkpassed(int fd);
void lnkgone(void *file);
void lkwatch(void);
char *abspath(char *path);
char *fdlink(Lproc *p, uint32_t fd);

/* sysproc.c */
int interrupted(Lthread *t);
int tsdeadline(Lthread *t, uint32_t addr, int wide, int absolute, int realtime, struct timespec *dl);

/* syspidfd.c */
int pidended(int box, int pid);	/* glk held */
void pidfdwake(Lproc *p);	/* glk held */
int pidfdpid(Lproc *p, uint32_t fd);

/* syssock.c: Socks are shared by the fds of a fork */
Sock *sockget(Sock *s);
unsigned long sockino(Sock *s);
void sockput(Sock *s);
int socksigpipe(Lproc *p, int fd);
void sockdrop(Lthread *t);
long sockrw(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n, int out);
long sockpeek(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n, int *peeked);
void sockconsume(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n);
int sockpeeks(Fdlook *f);
long sockholdread(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n);
int sockholds(Fdlook *f, Kiffile *held);
long sockrecord(Lthread *t, uint32_t fd);
long recvdeliver(Lthread *t, uint32_t fd, Giov *v, uint32_t nv, const void *buf, long got);
long socksendv(Lthread *t, uint32_t fd, uint32_t addr, uint32_t alen, Giov *iov, uint32_t niov, uint64_t total, uint32_t flags);

/* syssig.c */
void postsig(Lproc *p, Lthread *t, int sig);
long postsigwho(Lproc *p, Lthread *t, int sig, Sigwho *w);
int sigfromtimer(Lproc *p, Lthread *t, int sig, int timerid, int drop);
void sigflush(Lproc *p, Lthread *t);
void postsigself(Lthread *t, int sig);
int isregular(char *path, int fd);	/* sysdir.c */
int fileisregular(Kiffile *k);	/* sysdir.c: isregular's, of a taken file */
long fsizegrow(Lthread *t, char *path, int fd, int64_t size);
uint64_t fsizelimit(Lthread *t);
long fsizesig(Lthread *t, long r);
void forcesig(Lthread *t, int sig);
int deliver(Lthread *t, long *res);
int deliverquiet(Lthread *t);
void sigchanged(Lproc *p);
void stopwait(Lthread *t);
int sigdefaultignored(int sig);
void sigexec(Lproc *p);
void intrbegin(Lthread *t);
void intrbeginio(Lthread *t);
void intrendio(Lthread *t);
int sigtake(Lthread *t, uint64_t set, Sigwho *w);
void putwho(uint8_t *info, Sigwho *w);
void intrend(Lthread *t);

/* futex.c */
long futexwake(Lthread *t, uint32_t addr, int n, uint32_t bitset);
void robustexit(Lthread *t);

/* sysdir.c */
int dirpath(const char *path);
long needdir(char *path);

/* sysmisc.c: a struct user_desc as read from the guest */
typedef struct Tlsdesc {
	uint32_t entry, base, limit, flags;
} Tlsdesc;
int settls(Lthread *t, uint32_t desc);
int clonetls(Lthread *t, uint32_t desc, Tlsdesc *d);
void clonetlsput(Lthread *nt, Tlsdesc *d);

/* the calls, by file */
Sysfn sys_read, sys_write, sys_readv, sys_writev, sys_pread64, sys_pwrite64, sys_preadv, sys_pwritev, sys_preadv2, sys_pwritev2, sys_fallocate, sys_open,
	sys_openat, sys_creat, sys_close, sys_close_range, sys_lseek, sys_llseek, sys_dup, sys_dup2, sys_dup3,
	sys_pipe, sys_pipe2, sys_fcntl64, sys_ioctl, sys_poll, sys_ppoll, sys_select,
	sys_pselect6, sys_sendfile, sys_ppoll64, sys_pselect6_64;
Sysfn sys_stat64, sys_lstat64, sys_fstat64, sys_stat, sys_lstat, sys_fstat,
	sys_oldstat, sys_oldlstat, sys_oldfstat, sys_fstatat64, sys_statx, sys_getdents64, sys_getdents,
	sys_mkdir, sys_mkdirat, sys_rmdir, sys_unlink, sys_unlinkat, sys_rename, sys_renameat,
	sys_renameat2, sys_chdir, sys_fchdir, sys_getcwd, sys_readlink, sys_readlinkat,
	sys_access, sys_faccessat, sys_chmod, sys_fchmod, sys_fchmodat, sys_truncate64,
	sys_ftruncate64, sys_truncate, sys_ftruncate, sys_utimensat, sys_utimensat64, sys_utimes, sys_utime, sys_chown, sys_lchown, sys_fchown, sys_fchownat, sys_umask, sys_fsync, sys_statfs64, sys_fstatfs64, sys_statfs, sys_fstatfs,
	sys_link, sys_linkat, sys_symlink, sys_symlinkat, sys_mknod, sys_mknodat;
Sysfn sys_brk, sys_mmap2, sys_mmap, sys_munmap, sys_mprotect, sys_mremap, sys_madvise, sys_msync,
	sys_mlock, sys_mlock2, sys_mlockall;
Sysfn sys_exit, sys_exit_group, sys_fork, sys_vfork, sys_clone, sys_execve, sys_wait4, sys_waitid,
	sys_getpriority, sys_setpriority,
	sys_waitpid, sys_getpid, sys_getppid, sys_gettid, sys_getpgrp, sys_setpgid, sys_capget, sys_capset,
	sys_setsid, sys_getsid, sys_getpgid;
Sysfn sys_futex, sys_futex64, sys_set_robust_list, sys_get_robust_list;
Sysfn sys_kill, sys_tkill, sys_tgkill, sys_rt_sigaction, sys_rt_sigprocmask, sys_sigprocmask, sys_sgetmask, sys_ssetmask, sys_sigreturn,
	sys_rt_sigreturn, sys_rt_sigsuspend, sys_pause, sys_rt_sigpending, sys_sigpending, sys_sigaltstack,
	sys_rt_sigtimedwait, sys_rt_sigtimedwait_time64;
Sysfn sys_alarm, sys_setitimer, sys_getitimer;
Sysfn sys_clock_gettime, sys_clock_gettime64, sys_clock_getres, sys_clock_getres64, sys_clock_settime, sys_clock_settime64,
	sys_gettimeofday, sys_time, sys_nanosleep, sys_clock_nanosleep, sys_clock_nanosleep64,
	sys_times, sys_getrusage;
uint32_t	hostuid(void);
uint32_t	hostgid(void);
Sysfn sys_uname, sys_getuid, sys_getgid, sys_zero, sys_getrandom, sys_set_thread_area,
	sys_get_thread_area, sys_set_tid_address, sys_prlimit64, sys_ugetrlimit, sys_setrlimit,
	sys_sysinfo, sys_einval, sys_getgroups;
Sysfn sys_getuid16, sys_getgid16, sys_getgroups16, sys_setuid, sys_setgid, sys_setreuid,
	sys_setregid, sys_setresuid, sys_setresgid, sys_setuid16, sys_setgid16, sys_setreuid16,
	sys_setregid16, sys_setresuid16, sys_setresgid16, sys_setfsuid, sys_setfsgid,
	sys_setgroups, sys_getresuid, sys_getresgid, sys_getresuid16, sys_getresgid16;
Sysfn sys_sendfile64, sys_copy_file_range, sys_splice, sys_epoll_create, sys_epoll_create1, sys_epoll_ctl,
	sys_epoll_wait, sys_epoll_pwait, sys_sched_getaffinity, sys_sched_getparam, sys_sched_setaffinity,
	sys_sched_getscheduler, sys_sched_setparam, sys_sched_prio_min,
	sys_sched_setscheduler, sys_privileged, sys_chroot, sys_getcpu, sys_ioprio_set, sys_ioprio_get, sys_readahead, sys_adjtimex,
	sys_clock_adjtime, sys_sched_prio, sys_sched_rr_get_interval, sys_sched_rr_get_interval64, sys_prctl, sys_fadvise,
	sys_flock, sys_eventfd,
	sys_getxattr, sys_lgetxattr, sys_fgetxattr, sys_setxattr, sys_lsetxattr, sys_fsetxattr,
	sys_listxattr, sys_llistxattr, sys_flistxattr, sys_removexattr, sys_lremovexattr, sys_fremovexattr, sys_eventfd2, sys_memfd_create;
Sysfn sys_timerfd_create, sys_timerfd_settime, sys_timerfd_gettime, sys_timerfd_settime64,
	sys_timerfd_gettime64, sys_signalfd, sys_signalfd4, sys_timer_create, sys_timer_settime,
	sys_timer_gettime, sys_timer_settime64, sys_timer_gettime64, sys_timer_getoverrun,
	sys_timer_delete, sys_rt_sigqueueinfo, sys_rt_tgsigqueueinfo;
Sysfn sys_xbind, sys_xmount, sys_xunmount, sys_xerrstr, sys_xdial;
Sysfn sys_vmsplice;
Sysfn sys_inotify_init, sys_inotify_init1, sys_inotify_add_watch, sys_inotify_rm_watch;
long notifynread(uint32_t fd, uint8_t *p);	/* sysnotify.c: FIONREAD */
int isnotifyfd(uint32_t fd);
Sysfn sys_pidfd_open, sys_pidfd_send_signal, sys_pidfd_getfd;
Sysfn sys_ipc, sys_shmget, sys_shmat, sys_shmdt, sys_shmctl, sys_semget, sys_semctl,
	sys_semtimedop64, sys_msgget, sys_msgsnd, sys_msgrcv, sys_msgctl;
Sysfn sys_socketcall, sys_socket, sys_socketpair, sys_bind, sys_connect, sys_listen,
	sys_accept4, sys_getsockopt, sys_setsockopt, sys_getsockname, sys_getpeername,
	sys_sendto, sys_recvfrom, sys_sendmsg, sys_recvmsg, sys_shutdown, sys_sendmmsg,
	sys_recvmmsg;
