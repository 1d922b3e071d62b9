/*
 * fuzz.c — a system-call fuzzer for the vxinferno personality: a static
 * i386 guest that makes random system calls with `int $0x80`.
 *
 *	fuzz [-d logfile] [-k n] [-j n] [-q] [-m] [-n] [-l] [-t] [-i] seed ncalls
 *
 * From seed it draws ncalls calls: numbers from the whole i386 table
 * (0..450), the extension range (0x7000..) and a few wild ones;
 * arguments from interesting values, pointers into its own buffers (with
 * random bytes, paths, pointer arrays), pointers just below the top of
 * guest memory, unmapped and read-only pointers.  The same seed gives the
 * same calls.  What only ends the run early or waits forever is
 * neutralised: exit is skipped, kill-like calls send fatal signals only
 * to pids that are not ours, fork-like calls are few and their children
 * exit at once, waits get a zero timeout or no blocking mask, and a
 * watchdog SIGALRM (no SA_RESTART) ends any call still waiting after
 * WATCHMS.  The guest may still kill itself (munmap of its text, a
 * sigreturn into garbage): the host must survive that too.
 *
 * -d logs the seed and every call (number, arguments, result) to a file,
 * written before the call so the culprit of a crash is the last line.
 * -k n forks n children one after the other, child i fuzzing with
 * seed+i, and prints "mark 1" after the first and "mark 2" after the
 * last, each followed by a pause, so the test can count the host's open
 * files in between (a leak shows as growth).  -q: no "kill" words in
 * buffers (for -k, so a child does not kill the driver through /prog).
 * -m: half the calls are memory calls with arguments that make sense
 * (mmap2 of files open read-only or read-write, shared or private, fixed
 * in a region of 16 pages, munmap, mprotect, mremap, madvise, ftruncate
 * of the files, and reads, writes and forks that copy into and out of the
 * region): what MAP_SHARED and partial mappings do to the host.  Without
 * it a seed draws the same calls as before it existed.
 * -n: -m with the memory calls of session 19 among them: memfd_create
 * (with sealing or not) and F_ADD_SEALS, vfork children that run on the
 * parent's memory (a few memory calls on the region, then exit),
 * mremap with MREMAP_FIXED and MREMAP_DONTUNMAP into the region, and
 * sendfile, splice and copy_file_range between the files and the
 * region.  -m alone draws the calls it drew before.
 * -l: half the calls (of those -m leaves) are file-lock calls: fcntl and
 * fcntl64 with every lock command (F_GETLK … F_OFD_SETLKW and their
 * neighbours) on a struct flock or flock64 of sane and insane values
 * (types, whences, starts and lengths at 0, ±1, 2^31, 2^32, 2^63 and
 * random; l_pid; a bad pointer), flock with every op, and the opens,
 * closes, dups, seeks, truncates and forks that change what the locks
 * belong to.  Likewise without it a seed draws the calls it drew before.
 * -t: half the calls (of those -m and -l leave) are timer calls: POSIX
 * timers on every clock (the CPU-time ones, other threads', bad ids)
 * with every notification (SIGEV_THREAD_ID at our threads, ended ones
 * and strangers; only signals this guest survives), timerfds and
 * signalfds, settimes of times tiny, huge, negative, absolute and
 * unnormalised, in 32- and 64-bit layouts, gettime, getoverrun and
 * delete of live, deleted and wild ids, reads, polls and epolls (nested
 * ones too) of the fds, clock_gettime and clock_nanosleep on the CPU
 * clocks (other processes' too), getrusage, times and wait4's rusage,
 * closes and forks; with -j the threads race settime and
 * delete against the timer thread's firing, and against their exits.
 * Likewise without it a seed draws the calls it drew before.
 * -i: half the calls (of those the modes above leave) are System V IPC,
 * terminal and pidfd calls with arguments that mostly make sense:
 * opens of /dev/ptmx, /dev/pts/N, /dev/tty and #P's names (`..` under
 * a slave too), every terminal ioctl on the fds, reads and writes of
 * the line discipline's characters, setsid and setpgid; shmget of odd
 * and huge sizes, shmat, shmdt, semget, semtimedop (and ipc(2)'s),
 * msgget, msgsnd, msgrcv of every kind, the *ctl commands on the ids
 * the gets gave; pidfd_open, pidfd_send_signal of harmless signals,
 * pidfd_getfd, waitid(P_PIDFD) and forks whose children exit at once
 * (detaches, undos).  The signals a terminal sends are ignored.
 * Likewise without it a seed draws the calls it drew before.
 * -j n fuzzes in n threads at once (seed, seed+1 ...; then the order of
 * the calls is not reproducible): races between a call and another
 * thread's munmap, close or exit.  The main thread watches them (see
 * fuzzthreads) and ends the process with exit_group.
 *
 * At start it checks that no fd above 2 is open: the host must give a
 * guest nothing but its standard fds.  It prints "fuzz: seed S: N calls"
 * when it reaches the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	NBUF = 8,
	MAXBUF = 3 * 4096,
	WATCHMS = 50,
	MAXFORK = 4,
	MAXVFORK = 64,	/* -n's vfork children */
	NTRACK = 16,
	LOGFD = 1000,		/* out of the way: -d must not change the calls */
	JOINSECS = 5,
};

/* raw system call with six arguments from a[] */
long rawsys(uint32_t nr, const uint32_t *a);
/* the same for fork-like calls: a child (eax 0) exits at once without
 * touching its stack, which may be garbage */
long rawfork(uint32_t nr, const uint32_t *a);
__asm__(
	".text\n"
	".globl rawsys\n"
	"rawsys:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 20(%esp), %eax\n"
	"	movl 24(%esp), %ecx\n"
	"	movl 0(%ecx), %ebx\n"
	"	movl 8(%ecx), %edx\n"
	"	movl 12(%ecx), %esi\n"
	"	movl 16(%ecx), %edi\n"
	"	movl 20(%ecx), %ebp\n"
	"	movl 4(%ecx), %ecx\n"
	"	int $0x80\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n"
	".globl rawfork\n"
	"rawfork:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 20(%esp), %eax\n"
	"	movl 24(%esp), %ecx\n"
	"	movl 0(%ecx), %ebx\n"
	"	movl 8(%ecx), %edx\n"
	"	movl 12(%ecx), %esi\n"
	"	movl 16(%ecx), %edi\n"
	"	movl 20(%ecx), %ebp\n"
	"	movl 4(%ecx), %ecx\n"
	"	int $0x80\n"
	"	testl %eax, %eax\n"
	"	jnz 1f\n"
	"	call fuzzchild\n"		/* the child: -n's vfork child's calls, */
	"	movl $1, %eax\n"		/* then exit(0), thread or process */
	"	xorl %ebx, %ebx\n"
	"	int $0x80\n"
	"	hlt\n"
	"1:	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n");

static __thread uint64_t rs;	/* per thread for -j */
static int logfd = -1;
static int quiet;
static int mypid, myppid;
static int nforks;
static uint32_t top;			/* first page above the initial stack strings */
static uint8_t *buf[NBUF];
static uint32_t buflen[NBUF];
static uint8_t *edge;			/* the last page before an unmapped one */
static uint32_t maps[NTRACK];		/* results of mmap calls */
static int nmaps;
static uint32_t fds[NTRACK];		/* results of calls that return fds */
static int nfds;
static int memmode;			/* -m */
static int newmode;			/* -n */
static int invfork;			/* -n: a vfork child is running */
static int nvforks;			/* -n: vforks made */
static int lockmode;			/* -l */
static int timermode;			/* -t */
static int ipcmode;			/* -i */
enum { MAXJ = 16 };
static atomic_int jtid[MAXJ];		/* -j's threads */
static uint8_t *region;			/* -m: 64 pages for fixed mappings */
enum { NREGION = 16 };

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 16);
}

static uint32_t
pick(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static const uint32_t ints[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 32, 63, 64, 100, 127, 128, 255, 256,
	511, 512, 1023, 1024, 4095, 4096, 4097, 8192, 65535, 65536, 0x7fff,
	0x100000, 0x7ffff000, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001,
	0xfffffffe, 0xffffffff, 0xfffff000, 0xffffff9c /* AT_FDCWD */, 0xffffff00,
	0x10000000, 0x0fffffff, 0x40000000, 0xc0000000, 0x1000, 0x10000, 0xffff,
};

static const char *paths[] = {
	"/", ".", "..", "", "/env/x", "/env", "#e/y", "#c/cons", "#c/consctl", "/dev/cons",
	"/dev/drivers", "/dev/null", "/prog", "/prog/1/ctl", "/prog/2/ctl", "/prog/3/ns",
	"/prog/1/fd", "#p/2/status", "/fd/0", "/fd/1", "/fd/3", "#|", "#|/data", "#|/data1",
	"/srv", "#s/x", "/srv/x", "#U", "#U/..", "#U/../canary", "/../canary", "../../canary",
	"/tmp", "/tmp/x", "/tmp/y/z", "/a", "/a/b", "/file", "/bin", "/bin/fuzz",
	"/proc/self/exe", "/proc", "#M", "#N", "#d", "#d/0", "#/", "#Z", "#", "#U/tmp/x",
	"//tmp//x//", "/tmp/../tmp/./x", "/dir/", "/dir/sub", "/dir/../file",
	"tcp!127.0.0.1!1", "unix!/tmp/sock", "net!x!y", "/mnt", "/n",
};

static const char *words[] = {
	"kill", "killgrp", "interrupt", "hang", "rawon", "rawoff", "x", "\n", "bind / /",
	"mount", "", "hello world\n",
};

/* fill b[0..n) in one of several ways; the caller gets a pointer into it */
static void
fill(uint8_t *b, uint32_t n)
{
	uint32_t i, k;
	const char *s;

	switch(pick(8)){
	case 0:
		memset(b, 0, n);
		break;
	case 1:
	case 2:
		for(i = 0; i < n; i++)
			b[i] = rnd();
		break;
	case 3:
	case 4:		/* a path, NUL-terminated */
		s = paths[pick(sizeof paths / sizeof paths[0])];
		snprintf((char *)b, n, "%s", s);
		break;
	case 5:		/* a long string, terminated or not */
		k = pick(n);
		memset(b, pick(2) ? 'a' : '/', k);
		if(k < n && pick(4))
			b[k] = 0;
		break;
	case 6:		/* an array of pointers: argv, iovecs, fd sets */
		for(i = 0; i + 4 <= n; i += 4){
			uint32_t v = pick(2) ? (uint32_t)(uintptr_t)(b + pick(n)) : ints[pick(sizeof ints / 4)];
			if(pick(8) == 0)
				v = 0;
			memcpy(b + i, &v, 4);
		}
		break;
	case 7:		/* a control word */
		do
			s = words[pick(sizeof words / sizeof words[0])];
		while(quiet && strncmp(s, "kill", 4) == 0);
		snprintf((char *)b, n, "%s", s);
		break;
	}
}

static uint32_t
goodptr(void)
{
	int i = pick(NBUF);
	uint32_t off;

	if(buf[i] == NULL)
		return 0;
	off = pick(8) ? 0 : pick(buflen[i]);
	fill(buf[i] + off, buflen[i] - off);
	return (uint32_t)(uintptr_t)(buf[i] + off);
}

static uint32_t
badptr(void)
{
	static const char ro[] = "read-only";

	switch(pick(10)){
	case 0: return top - 1 - pick(16);		/* just below the top */
	case 1: return top - 4096 + pick(4096);
	case 2: return top + pick(8192);		/* the guard page and above */
	case 3: return (uint32_t)(uintptr_t)(edge + 4096 - 1 - pick(64));	/* runs off a mapping */
	case 4: return (uint32_t)(uintptr_t)(edge + 4096);		/* unmapped */
	case 5: return (uint32_t)(uintptr_t)rawsys;			/* text */
	case 6: return (uint32_t)(uintptr_t)ro;				/* read-only data */
	case 7: return 0x1000 * pick(16);				/* page zero and low pages */
	case 8: return 0xffffffff - pick(4096);
	default: return 0x80000000 + pick(0x10000);
	}
}

static uint32_t
arg(void)
{
	uint32_t r = pick(100);

	if(r < 25)
		return ints[pick(sizeof ints / 4)];
	if(r < 40)
		return nfds && pick(2) ? fds[pick(nfds)] : pick(12);
	if(r < 70)
		return goodptr();
	if(r < 82)
		return badptr();
	if(r < 88 && nmaps)
		return maps[pick(nmaps)] + (pick(2) ? 0 : 4096 * pick(4));
	if(r < 94)
		return pick(0x1000) * 4096;	/* page boundaries */
	return rnd();
}

static const uint32_t hot[] = {
	3, 4, 5, 6, 10, 12, 19, 33, 38, 39, 40, 41, 42, 54, 63, 85, 91, 118, 125, 133, 140,
	145, 146, 163, 168, 180, 181, 183, 192, 193, 194, 195, 196, 197, 219, 220, 221,
	295, 296, 300, 301, 305, 320, 330, 331, 383, 142, 308, 309,
	0x7000, 0x7001, 0x7002, 0x7003, 0x7004,
};

static uint32_t
callnr(void)
{
	uint32_t r = pick(100);

	if(r < 60)
		return pick(451);
	if(r < 85)
		return hot[pick(sizeof hot / 4)];
	if(r < 95)
		return 0x7000 + pick(8);
	switch(pick(4)){
	case 0: return rnd();
	case 1: return 451 + pick(0x7000 - 451);
	case 2: return 0x7000 - 1 - pick(4);
	default: return 0xffffffff - pick(4);
	}
}

/* a zero struct timespec/timeval (and its 64-bit form) */
static uint32_t zerots[4];
static uint32_t zeromask[2];

static int
forbidden(int pid)
{
	return pid <= 1 || pid == mypid || pid == myppid;
}

static int
harmless(uint32_t sig)
{
	/* CHLD CONT URG WINCH; not STOP or TSTP, which since session 19
	 * stop the fuzzer for good (job control: nothing continues it) */
	static const uint32_t ok[] = { 0, 17, 18, 23, 28 };
	uint32_t i;

	for(i = 0; i < sizeof ok / 4; i++)
		if(sig == ok[i])
			return 1;
	return 0;
}

/* Make a call harmless to the test itself; returns 0 to skip it. */
static int
neutralise(uint32_t nr, uint32_t *a)
{
	int i;

	for(i = 0; i < 6; i++)	/* keep the log open: no call names its fd */
		if(a[i] == LOGFD)
			a[i]++;
	switch(nr){
	case 1: case 252:			/* exit, exit_group */
	case 29: case 72: case 179:		/* pause, sigsuspend, rt_sigsuspend: see below */
		if(nr == 179 && pick(2)){
			a[0] = (uint32_t)(uintptr_t)zeromask;	/* the watchdog ends it */
			return 1;
		}
		return nr == 29;		/* pause: the watchdog ends it */
	case 119: case 173:			/* sigreturn: usually fatal to us */
		return pick(20) == 0;
	case 11:				/* execve: rarely; usually it fails */
		return pick(4) == 0;
	case 37: case 238:			/* kill, tkill */
		if(forbidden((int32_t)a[0]) && !harmless(a[1]))
			a[1] = 0;
		return 1;
	case 178:				/* rt_sigqueueinfo(pid, sig, info) */
		if(forbidden((int32_t)a[0]) && !harmless(a[1]))
			a[1] = 0;
		return 1;
	case 270: case 335:			/* tgkill, rt_tgsigqueueinfo(tgid, tid, sig, ...) */
		if((forbidden((int32_t)a[0]) || forbidden((int32_t)a[1])) && !harmless(a[2]))
			a[2] = 0;
		return 1;
	case 2: case 190: case 120: case 435:	/* fork, vfork, clone, clone3 */
		if(newmode && nr == 190 && invfork == 0 && nvforks < MAXVFORK){
			nvforks++;	/* -n's: children that exit by themselves */
			return 1;
		}
		if(nforks >= MAXFORK)
			return 0;
		nforks++;
		if(nr == 120)		/* no fatal exit signal for the parent */
			a[0] = (a[0] & ~0xffu) | (pick(2) ? 17 : 0);
		return 1;
	case 177: case 421:			/* rt_sigtimedwait: zero timeout */
		a[2] = (uint32_t)(uintptr_t)zerots;
		return 1;
	case 308: case 413:			/* pselect6: no mask that blocks the watchdog */
		a[5] = 0;
		return 1;
	case 309: case 414:			/* ppoll */
		a[3] = 0;
		return 1;
	case 97:				/* setpriority: no nice that starves the run on a loaded host */
		a[2] = 0;
		return 1;
	case 27: case 104: case 105:		/* alarm, setitimer: the next call's watchdog resets it */
		return 1;
	}
	return 1;
}

/* calls that may change what the watchdog relies on (ssetmask, 69,
 * blocks signals since session 18) */
static int
sigcall(uint32_t nr)
{
	return nr == 48 || nr == 67 || nr == 69 || nr == 126 || nr == 174 || nr == 175 || nr == 119 || nr == 173
		|| nr == 2 || nr == 190 || nr == 120;
}

static int
returnsfd(uint32_t nr)
{
	return nr == 5 || nr == 8 || nr == 41 || nr == 63 || nr == 295 || nr == 330 || nr == 221
		|| nr == 55 || nr == 0x7004 || nr == 322 || nr == 321 || nr == 327 || nr == 329 || nr == 254
		|| (nr == 356 && newmode);
}

static void
onalarm(int sig)
{
	(void)sig;
}

static void
watchdog(void)
{
	struct sigaction sa;
	sigset_t s;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;	/* no SA_RESTART: a waiting call fails EINTR */
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void
arm(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = WATCHMS * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
setup(void)
{
	uint8_t *p;
	uint32_t n;
	int i;

	for(i = 0; i < NBUF; i++){
		/* each buffer ends at an unmapped page, so a long length faults */
		n = 1 + pick(MAXBUF);
		p = mmap(NULL, ((n + 4095) & ~4095u) + 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if(p == MAP_FAILED)
			continue;
		munmap(p + ((n + 4095) & ~4095u), 4096);
		buf[i] = p + ((n + 4095) & ~4095u) - n;
		buflen[i] = n;
	}
	edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(edge == MAP_FAILED)
		edge = (uint8_t *)0x5000;
	else
		munmap(edge + 4096, 4096);
}

/* -m: a memory call with arguments that mostly make sense */
static const char *mpaths[] = { "/tmp/m0", "/tmp/m1", "/file", "/a/big" };

static uint32_t
mfd(void)
{
	return nfds && pick(4) ? fds[pick(nfds)] : pick(8);
}

static uint32_t
maddr(void)
{
	return (uint32_t)(uintptr_t)(region + 4096 * pick(NREGION - 4));	/* + 4 pages at most */
}

static uint32_t
memcall(uint32_t *a)
{
	static const uint32_t flags[] = { 0x01, 0x02, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32, 0x100011 };

	memset(a, 0, 6 * sizeof a[0]);
	switch(pick(newmode ? 16 : 12)){
	case 0:		/* open */
		a[0] = (uint32_t)(uintptr_t)mpaths[pick(4)];
		a[1] = pick(3) ? 2 | 0100 : 0;	/* O_RDWR|O_CREAT, O_RDONLY */
		a[2] = 0600;
		return 5;
	case 1:		/* ftruncate */
		a[0] = mfd();
		a[1] = 4096 * pick(6) + (pick(2) ? pick(4096) : 0);
		return 93;
	case 2: case 3: case 4:	/* mmap2 */
		a[0] = pick(4) ? maddr() : 0;
		a[1] = 4096 * (1 + pick(4)) - (pick(4) ? 0 : pick(4096));
		a[2] = pick(8);
		a[3] = flags[pick(sizeof flags / 4)];
		a[4] = a[3] & 0x20 ? (uint32_t)-1 : mfd();
		a[5] = pick(4);
		return 192;
	case 5:		/* munmap */
		a[0] = maddr();
		a[1] = 4096 * pick(4) + pick(2);
		return 91;
	case 6:		/* mprotect */
		a[0] = maddr();
		a[1] = 4096 * (1 + pick(4));
		a[2] = pick(8);
		return 125;
	case 7:		/* mremap */
		a[0] = maddr();
		a[1] = 4096 * (1 + pick(3));
		a[2] = 4096 * (1 + pick(4));
		a[3] = pick(2);
		return 163;
	case 8:		/* madvise DONTNEED */
		a[0] = maddr();
		a[1] = 4096 * (1 + pick(3));
		a[2] = 4;
		return 219;
	case 9:		/* read into the region, or pread64 from the start */
		a[0] = mfd();
		a[1] = maddr() + pick(4096);
		a[2] = pick(3 * 4096);
		return pick(2) ? 3 : 180;
	case 10:	/* write from the region */
		a[0] = mfd();
		a[1] = maddr() + pick(4096);
		a[2] = pick(3 * 4096);
		return 4;
	case 11:	/* fork: the child copies or shares the region */
		return pick(4) ? 20 : 2;	/* mostly getpid */
	case 12:	/* memfd_create, or a seal on an fd */
		if(pick(2)){
			a[0] = (uint32_t)(uintptr_t)"fz";
			a[1] = pick(4) & 2;	/* MFD_ALLOW_SEALING or not */
			return 356;
		}
		a[0] = mfd();
		a[1] = 1033;	/* F_ADD_SEALS */
		a[2] = pick(16);
		return 55;
	case 13:	/* vfork: the child maps and unmaps in our memory */
		return invfork ? 20 : 190;
	case 14:	/* mremap to a fixed place, or leaving the old pages */
		a[0] = maddr();
		a[1] = 4096 * (1 + pick(3));
		a[2] = 4096 * (1 + pick(4));
		a[3] = 1 | (pick(2) ? 2 : 0) | (pick(3) ? 0 : 4);
		a[4] = maddr();
		return 163;
	default:	/* sendfile, splice, copy_file_range */
		a[0] = mfd();
		a[2] = mfd();
		a[4] = pick(3 * 4096);
		switch(pick(3)){
		case 0:
			a[1] = mfd();
			a[2] = pick(2) ? maddr() + pick(4096) : 0;	/* the offset in the region */
			a[3] = a[4];
			return 239;
		case 1:
			return 313;
		default:
			a[1] = pick(2) ? maddr() + pick(4096) : 0;
			a[3] = pick(2) ? maddr() + pick(4096) : 0;
			return 377;
		}
	}
}

/* -n: a vfork child, on our memory and stack (below rawfork's frame),
 * makes a few memory calls that cannot wait (it has no watchdog, and we
 * wait for it), then exits; any other fork-like child exits at once. */
void fuzzchild(void);
void
fuzzchild(void)
{
	uint32_t a[6], nr;
	int i, n;

	if(!invfork)
		return;
	n = 1 + pick(4);
	for(i = 0; i < n; i++){
		nr = memcall(a);
		if(nr == 192 || nr == 91 || nr == 125 || nr == 163 || nr == 219 || nr == 93)
			rawsys(nr, a);
	}
}

/* -l: a file-lock call */
static const char *lpaths[] = { "/tmp/l0", "/tmp/l1", "/file" };
static uint8_t lkbuf[32];

static uint64_t
lkval(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 10, 100, 4096, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
		0x7fffffffffffffffull, 0x7ffffffffffffffeull, 0x8000000000000000ull,
		0xffffffffffffffffull, 0xfffffffffffffff0ull, 0x7fffffff00000000ull,
	};

	switch(pick(4)){
	case 0: return pick(64);
	case 1: return -(uint64_t)pick(64);
	case 2: return ((uint64_t)rnd() << 32) | rnd();
	default: return v[pick(sizeof v / sizeof v[0])];
	}
}

/* struct flock (wide 0) or flock64 as i386 lays them out, in lkbuf */
static uint32_t
lkstruct(int wide)
{
	static const int16_t types[] = { 0, 1, 2, 3, -1, 0x100 };
	uint64_t start = lkval(), len = lkval();
	int16_t t = pick(8) ? types[pick(3)] : types[pick(6)];
	int16_t w = pick(8) ? (int16_t)pick(3) : (int16_t)rnd();
	int32_t pid = pick(4) ? 0 : (int32_t)rnd();

	if(pick(16) == 0)
		return badptr();
	memcpy(lkbuf, &t, 2);
	memcpy(lkbuf + 2, &w, 2);
	if(wide){
		memcpy(lkbuf + 4, &start, 8);
		memcpy(lkbuf + 12, &len, 8);
		memcpy(lkbuf + 20, &pid, 4);
	}else{
		uint32_t s32 = (uint32_t)start, l32 = (uint32_t)len;
		memcpy(lkbuf + 4, &s32, 4);
		memcpy(lkbuf + 8, &l32, 4);
		memcpy(lkbuf + 12, &pid, 4);
	}
	return (uint32_t)(uintptr_t)lkbuf;
}

static uint32_t
lockcall(uint32_t *a)
{
	static const uint32_t cmds[] = { 5, 6, 7, 12, 13, 14, 36, 37, 38 };
	static const uint32_t ops[] = { 1, 2, 8, 5, 6, 12, 0, 3, 4, 0xffffffff };
	static const uint32_t modes[] = { 2 | 0100, 0, 1 | 0100, 2 };

	memset(a, 0, 6 * sizeof a[0]);
	switch(pick(16)){
	case 0: case 1:	/* open read-write, read-only, write-only */
		a[0] = (uint32_t)(uintptr_t)lpaths[pick(3)];
		a[1] = modes[pick(4)];
		a[2] = 0600;
		return 5;
	case 2:		/* close */
		a[0] = mfd();
		return 6;
	case 3:		/* dup, dup2 onto a tracked fd */
		a[0] = mfd();
		a[1] = mfd();
		return pick(2) ? 41 : 63;
	case 4:		/* lseek, for SEEK_CUR */
		a[0] = mfd();
		a[1] = pick(2) ? pick(100) : rnd();
		a[2] = pick(3);
		return 19;
	case 5:		/* ftruncate, for SEEK_END */
		a[0] = mfd();
		a[1] = pick(2) ? pick(200) : rnd();
		return 93;
	case 6: case 7:	/* flock */
		a[0] = mfd();
		a[1] = ops[pick(sizeof ops / 4)];
		return 143;
	case 8:		/* fork: the child's exit drops its POSIX locks */
		return pick(4) ? 20 : 2;
	default:	/* fcntl, fcntl64 with a lock command */
		a[0] = mfd();
		a[1] = pick(8) ? cmds[pick(sizeof cmds / 4)] : pick(8) ? pick(40) : rnd();
		a[2] = lkstruct(a[1] >= 12 && pick(8) != 0);
		return pick(4) ? 221 : 55;
	}
}

/* -t: a timer call */
static uint32_t tids[NTRACK];		/* timer ids timer_create gave */
static int ntids;
static uint32_t tbuf[16];		/* sigevents, itimerspecs, masks */
static uint32_t tout[64];		/* what calls write (reads up to 128 bytes) */

static uint32_t
tfd(void)
{
	return nfds && pick(8) ? fds[pick(nfds)] : pick(2) ? pick(16) : rnd();
}

static uint32_t
ttid(void)
{
	return ntids && pick(8) ? tids[pick(ntids)] : pick(2) ? pick(300) : rnd();
}

/* a thread id: ours, one of -j's (perhaps ended), or a stranger's */
static uint32_t
athread(void)
{
	switch(pick(4)){
	case 0: return (uint32_t)rawsys(224, (uint32_t[6]){ 0 });
	case 1: return atomic_load(&jtid[pick(MAXJ)]);
	case 2: return mypid + pick(8);
	default: return pick(2) ? rnd() : 1;
	}
}

static uint32_t
tclock(void)
{
	static const uint32_t c[] = { 0, 1, 2, 3, 4, 7, 8, 9, 11, 99, 0xfffffffe, 0xfffffffa, 0xfffffffb, 0xfffffff9 };

	if(pick(2))
		return pick(4) ? pick(4) : 7;	/* the usual ones */
	if(pick(4) == 0)	/* a thread's clock: ~tid << 3 | 4 | SCHED */
		return (~athread() << 3) | 4 | pick(4);
	if(pick(4) == 0)	/* a process's: ours, a child's, a stranger's */
		return (~(pick(2) ? mypid + pick(8) : athread()) << 3) | pick(4);
	return c[pick(sizeof c / 4)];
}

/* ns, seconds: tiny, zero, huge, negative, unnormalised */
static uint32_t
tnsec(void)
{
	static const uint32_t v[] = { 0, 1, 1000, 1000000, 999999999, 1000000000, 0xffffffff, 0x80000000 };

	return pick(4) ? pick(2000000) : v[pick(sizeof v / 4)];
}

static uint32_t
tsec(void)
{
	static const uint32_t v[] = { 0, 0, 0, 1, 2, 0x7fffffff, 0xffffffff, 0x80000000, 2000000000 };

	return pick(2) ? 0 : v[pick(sizeof v / 4)];
}

/* an itimerspec (wide: two 64-bit timespecs), or a bad pointer */
static uint32_t
titspec(int wide)
{
	int i;

	if(pick(16) == 0)
		return badptr();
	for(i = 0; i < 2; i++){
		if(wide){
			tbuf[4 * i] = tsec();
			tbuf[4 * i + 1] = pick(8) ? 0 : rnd();
			tbuf[4 * i + 2] = tnsec();
			tbuf[4 * i + 3] = 0;
		}else{
			tbuf[2 * i] = tsec();
			tbuf[2 * i + 1] = tnsec();
		}
	}
	return (uint32_t)(uintptr_t)tbuf;
}

/* a struct sigevent: value, signo, notify, tid; only signals the guest
 * survives (ignored by default, or SIGALRM, which it handles) */
static uint32_t
tsigevent(void)
{
	static const uint32_t sigs[] = { 17, 23, 28, 14, 0, 65, 0xffffffff };
	static const uint32_t how[] = { 0, 1, 4, 4, 2, 3, 0x7fffffff };

	if(pick(16) == 0)
		return pick(2) ? 0 : badptr();
	memset(tbuf, 0, 64);
	tbuf[0] = rnd();
	tbuf[1] = sigs[pick(2) ? pick(4) : pick(sizeof sigs / 4)];
	tbuf[2] = how[pick(2) ? pick(3) : pick(sizeof how / 4)];
	tbuf[3] = pick(2) ? (uint32_t)rawsys(224, (uint32_t[6]){ 0 }) : athread();
	return (uint32_t)(uintptr_t)tbuf;
}

static uint32_t
outptr(void)
{
	return pick(8) ? (uint32_t)(uintptr_t)tout : pick(2) ? 0 : badptr();
}

static uint32_t
timercall(uint32_t *a)
{
	int wide;

	memset(a, 0, 6 * sizeof a[0]);
	wide = pick(2);
	switch(pick(27)){
	case 0: case 1:		/* timer_create */
		a[0] = tclock();
		a[1] = tsigevent();
		a[2] = pick(8) ? (uint32_t)(uintptr_t)&tids[ntids < NTRACK ? (uint32_t)ntids : pick(NTRACK)] : badptr();
		return 259;
	case 2: case 3: case 4:	/* timer_settime, timer_settime64 */
		a[0] = ttid();
		a[1] = pick(4) ? 0 : pick(3) ? 1 : rnd();
		a[2] = titspec(wide);
		a[3] = pick(2) ? 0 : outptr();
		return wide ? 409 : 260;
	case 5:			/* timer_gettime, timer_gettime64 */
		a[0] = ttid();
		a[1] = outptr();
		return wide ? 408 : 261;
	case 6:			/* timer_getoverrun, timer_delete */
		a[0] = ttid();
		return pick(2) ? 262 : 263;
	case 7:			/* timerfd_create */
		a[0] = tclock();
		a[1] = pick(4) ? 04000 * pick(2) | 02000000 * pick(2) : rnd();
		return 322;
	case 8: case 9:		/* timerfd_settime, timerfd_settime64 */
		a[0] = tfd();
		a[1] = pick(4) ? pick(4) : rnd();
		a[2] = titspec(wide);
		a[3] = pick(2) ? 0 : outptr();
		return wide ? 411 : 325;
	case 10:		/* timerfd_gettime, timerfd_gettime64 */
		a[0] = tfd();
		a[1] = outptr();
		return wide ? 410 : 326;
	case 11:		/* signalfd4, signalfd */
		tbuf[0] = pick(2) ? rnd() : 1u << pick(32);
		tbuf[1] = rnd();
		a[0] = pick(2) ? 0xffffffff : tfd();
		a[1] = pick(8) ? (uint32_t)(uintptr_t)tbuf : badptr();
		a[2] = pick(8) ? 8 : pick(16);
		a[3] = pick(4) ? 04000 * pick(2) : rnd();
		return pick(2) ? 327 : 321;
	case 12: case 13:	/* read of a timerfd or signalfd */
		a[0] = tfd();
		a[1] = pick(8) ? (uint32_t)(uintptr_t)tout : badptr();
		a[2] = pick(2) ? 8 : pick(2) ? 128 : pick(64);
		return 3;
	case 14:		/* poll of our fds, up to 20 ms */
		{
			static uint32_t pfd[8 * 2];
			int i, n = 1 + pick(8);

			for(i = 0; i < n; i++){
				pfd[2 * i] = tfd();
				pfd[2 * i + 1] = pick(8) ? 1 : rnd() & 0xffff;
			}
			a[0] = (uint32_t)(uintptr_t)pfd;
			a[1] = n;
			a[2] = pick(21);
			return 168;
		}
	case 15:		/* epoll_create1 */
		a[0] = pick(8) ? 0 : 02000000;
		return 329;
	case 16: case 17:	/* epoll_ctl: our fds, epolls into epolls */
		tbuf[0] = pick(4) ? 1 : rnd();
		tbuf[1] = rnd();
		tbuf[2] = rnd();
		a[0] = tfd();
		a[1] = 1 + pick(3);
		a[2] = tfd();
		a[3] = (uint32_t)(uintptr_t)tbuf;
		return 255;
	case 18:		/* epoll_wait, up to 20 ms */
		a[0] = tfd();
		a[1] = (uint32_t)(uintptr_t)tout;
		a[2] = 1 + pick(5);
		a[3] = pick(21);
		return 256;
	case 19:		/* clock_gettime, clock_gettime64, clock_getres */
		a[0] = tclock();
		a[1] = outptr();
		return pick(3) == 0 ? 266 : wide ? 403 : 265;
	case 20:		/* clock_nanosleep: the watchdog ends a long one */
		a[0] = tclock();
		a[1] = pick(4) ? 0 : 1;
		tout[0] = pick(2) ? 0 : tsec();
		tout[1] = tnsec();
		a[2] = pick(8) ? (uint32_t)(uintptr_t)tout : badptr();
		a[3] = pick(2) ? 0 : outptr();
		return 267;
	case 21:		/* close */
		a[0] = tfd();
		return 6;
	case 22:		/* a signal a signalfd might read: harmless ones */
		a[0] = mypid;
		a[1] = pick(2) ? 17 : 28;
		return 37;
	case 23:		/* getrusage: self, children, thread, bad */
		a[0] = pick(4) ? pick(3) - 1 : rnd();
		a[1] = outptr();
		return 77;
	case 24:		/* times */
		a[0] = outptr();
		return 43;
	case 25:		/* wait4 of the forks, WNOHANG, with rusage */
		a[0] = pick(2) ? 0xffffffff : mypid + pick(8);
		a[1] = pick(2) ? 0 : outptr();
		a[2] = 1;
		a[3] = outptr();
		return 114;
	default:		/* fork: the child inherits timerfds, not timers */
		return pick(4) ? 20 : 2;
	}
}

/* -i: System V IPC, pseudo-terminals and pidfds */
static uint32_t ipcids[NTRACK];		/* ids the *get calls gave */
static int nipcids;
static uint32_t shmaddrs[NTRACK];	/* addresses shmat gave */
static int nshmaddrs;
static uint8_t ibuf[512];		/* termios, winsizes, sembufs, messages, *id_ds */
static const char *ipaths[] = {
	"/dev/ptmx", "/dev/ptmx", "/dev/pts/0", "/dev/pts/1", "/dev/pts/2", "/dev/tty",
	"#P/ptmx", "#P/pts/0", "#P/pts/0/..", "/dev/pts/0/x", "/dev/pts",
};
/* what a terminal's line discipline acts on: the signal, editing and
 * flow characters, CR and NL */
static const uint8_t ichars[] = { 3, 4, 0x1a, 0x1c, 0x7f, 0x15, 0x17, 0x11, 0x13, '\r', '\n', 'a', ' ' };

static uint32_t
iid(void)
{
	return nipcids && pick(8) ? ipcids[pick(nipcids)] : pick(2) ? pick(4) : rnd();
}

static uint32_t
ibufp(void)
{
	return pick(16) ? (uint32_t)(uintptr_t)ibuf : badptr();
}

/* ibuf's first n bytes: small values mostly (termios flags, semaphore
 * numbers and operations, message types), random ones now and then */
static void
ifill(int n)
{
	int i;

	for(i = 0; i < n; i++)
		ibuf[i] = pick(4) ? pick(4) : pick(2) ? ichars[pick(sizeof ichars)] : rnd();
}

static uint32_t
ikey(void)
{
	return pick(2) ? 0 : pick(4) ? 0x5600 + pick(4) : rnd();	/* IPC_PRIVATE, a few keys, any */
}

static uint32_t
ipccall(uint32_t *a)
{
	static const uint32_t ioctls[] = {
		0x5401, 0x5402, 0x5403, 0x5404, 0x5409, 0x540b, 0x540e, 0x540f, 0x5410,
		0x5411, 0x5413, 0x5414, 0x541b, 0x5422, 0x5429, 0x80045430, 0x40045431,
		0x80045439, 0x5441, 0x5421, 0x540a, 0x5412,
	};
	static const uint32_t ctls[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	int i, n;

	memset(a, 0, 6 * sizeof a[0]);
	switch(pick(26)){
	case 0: case 1:		/* open a terminal's file, or #P's */
		a[0] = (uint32_t)(uintptr_t)ipaths[pick(sizeof ipaths / sizeof ipaths[0])];
		a[1] = 2 | (pick(2) ? 0400 : 0) | (pick(2) ? 04000 : 0);	/* O_RDWR, O_NOCTTY, O_NONBLOCK */
		return 5;
	case 2: case 3: case 4: case 5:	/* a terminal ioctl */
		ifill(64);
		if(pick(2))
			memset(ibuf, 0, 4);	/* TIOCSPTLCK 0: unlocked */
		a[0] = mfd();
		a[1] = pick(16) ? ioctls[pick(sizeof ioctls / 4)] : rnd();
		a[2] = ibufp();
		return 54;
	case 6:			/* read */
		a[0] = mfd();
		a[1] = ibufp();
		a[2] = pick(4) ? pick(64) : pick(sizeof ibuf);
		return 3;
	case 7: case 8:		/* write: typed on a master, output on a slave */
		n = 1 + pick(64);
		for(i = 0; i < n; i++)
			ibuf[i] = pick(2) ? ichars[pick(sizeof ichars)] : rnd();
		a[0] = mfd();
		a[1] = ibufp();
		a[2] = pick(8) ? (uint32_t)n : pick(sizeof ibuf);
		return 4;
	case 9:			/* setsid, setpgid, getsid */
		a[0] = pick(2) ? 0 : mypid + pick(4);
		a[1] = pick(2) ? 0 : mypid + pick(4);
		return pick(3) == 0 ? 66 : pick(2) ? 57 : 147;
	case 10:		/* close */
		a[0] = mfd();
		return 6;
	case 11:		/* shmget: small, odd and huge sizes */
		a[0] = ikey();
		a[1] = pick(4) ? 4096 * pick(4) + pick(2) : pick(2) ? rnd() : 0xffffffff - pick(8192);
		a[2] = 01000 | (pick(4) ? 0600 : rnd() & 0777) | (pick(4) ? 0 : 02000);
		return 395;
	case 12:		/* shmat: anywhere, read-only or not */
		a[0] = iid();
		a[1] = pick(8) ? 0 : nshmaddrs ? shmaddrs[pick(nshmaddrs)] + 4096 * pick(2) + pick(2) : badptr();
		a[2] = (pick(2) ? 010000 : 0) | (pick(4) ? 0 : 020000) | (pick(8) ? 0 : 040000);
		return 397;
	case 13:		/* shmdt */
		a[0] = nshmaddrs && pick(4) ? shmaddrs[pick(nshmaddrs)] + (pick(4) ? 0 : 4096) : rnd();
		return 398;
	case 14: case 20: case 23:	/* shmctl, semctl, msgctl; IPC_64 or not */
		ifill(128);
		a[0] = iid();
		a[1] = pick(4) ? 0 : pick(4);	/* semctl's semnum */
		a[2] = (pick(8) ? ctls[pick(sizeof ctls / 4)] : rnd()) | (pick(2) ? 0x100 : 0);
		a[3] = pick(4) ? ibufp() : pick(100);
		if(pick(2)){	/* shmctl and msgctl: (id, cmd, buf) */
			a[1] = a[2];
			a[2] = a[3];
			return pick(2) ? 396 : 402;
		}
		return 394;
	case 15: case 16:	/* semget */
		a[0] = ikey();
		a[1] = pick(4) ? 1 + pick(8) : pick(2) ? rnd() : 32000;
		a[2] = 01000 | 0600 | (pick(4) ? 0 : 02000);
		return 393;
	case 17: case 18:	/* semtimedop: sembufs of small numbers, waits ended by the watchdog */
		n = pick(8) ? 1 + pick(6) : pick(2) ? 500 + pick(2) : rnd();
		for(i = 0; i < 6; i++){
			uint16_t num = pick(8) ? pick(8) : rnd(), flg = (pick(2) ? 04000 : 0) | (pick(2) ? 010000 : 0);
			int16_t op = pick(8) ? (int16_t)pick(5) - 2 : (int16_t)rnd();
			memcpy(ibuf + 6 * i, &num, 2);
			memcpy(ibuf + 6 * i + 2, &op, 2);
			memcpy(ibuf + 6 * i + 4, &flg, 2);
		}
		a[0] = iid();
		a[1] = ibufp();
		a[2] = n;
		a[3] = pick(2) ? 0 : pick(2) ? (uint32_t)(uintptr_t)zerots : badptr();
		return pick(2) ? 420 : 117;	/* semtimedop_time64, or ipc(SEMOP, ...) below */
	case 19:		/* msgget */
		a[0] = ikey();
		a[1] = 01000 | 0600 | (pick(4) ? 0 : 02000);
		return 399;
	case 21:		/* msgsnd: small and large, mostly not waiting */
		ifill(sizeof ibuf);
		ibuf[0] = 1 + pick(4);
		ibuf[1] = ibuf[2] = ibuf[3] = 0;
		a[0] = iid();
		a[1] = ibufp();
		a[2] = pick(4) ? pick(sizeof ibuf - 4) : pick(2) ? 8192 + pick(2) : rnd();
		a[3] = pick(4) ? 04000 : 0;
		return 400;
	case 22:		/* msgrcv: every kind of type, MSG_COPY, MSG_EXCEPT, MSG_NOERROR */
		a[0] = iid();
		a[1] = ibufp();
		a[2] = pick(4) ? pick(sizeof ibuf - 4) : rnd();
		a[3] = pick(4) ? pick(7) - 3 : rnd();
		a[4] = (pick(4) ? 04000 : 0) | (pick(2) ? 010000 : 0) | (pick(4) ? 0 : 020000) | (pick(4) ? 0 : 040000);
		return 401;
	case 24:		/* pidfd_open, of us, a child, a stranger */
		a[0] = pick(2) ? (uint32_t)mypid : pick(2) ? mypid + pick(8) : rnd();
		a[1] = pick(4) ? 0 : pick(2) ? 04000 : rnd();
		return 434;
	default:		/* pidfd_send_signal (harmless ones), pidfd_getfd, waitid(P_PIDFD), fork */
		switch(pick(5)){
		case 0:
			a[0] = mfd();
			a[1] = pick(2) ? 0 : pick(2) ? 17 : 28;
			a[2] = pick(2) ? 0 : ibufp();
			a[3] = pick(8) ? 0 : rnd();
			return 424;
		case 1:
			a[0] = mfd();
			a[1] = mfd();
			a[2] = pick(8) ? 0 : rnd();
			return 438;
		case 2:
			a[0] = 3;
			a[1] = mfd();
			a[2] = ibufp();
			a[3] = 4 | 1;	/* WEXITED|WNOHANG */
			return 284;
		default:
			return pick(4) ? 20 : 2;	/* children exit at once: detach, undo */
		}
	}
}

/* -i: a guest's terminal signals (^C, ^Z, ^\ typed on a master, a
 * hangup, a background read) would end or stop the fuzzer itself */
static void
ignorejobsigs(void)
{
	static const int s[] = { SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
	int i;

	for(i = 0; i < (int)(sizeof s / sizeof s[0]); i++)
		signal(s[i], SIG_IGN);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
note(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if(logfd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if(n > (int)sizeof line - 1)
		n = sizeof line - 1;
	if(write(logfd, line, n) < 0)
		logfd = -1;
}

static void fuzz(uint32_t seed, int ncalls);

static int jcalls;
static uint32_t jseed;
static atomic_int jdone[MAXJ];

static void *
jthread(void *arg)
{
	int i = (int)(uintptr_t)arg;

	atomic_store(&jtid[i], (int)rawsys(224, (uint32_t[6]){0}));	/* gettid */
	fuzz(jseed + i, jcalls);
	atomic_store(&jdone[i], 1);
	return NULL;
}

/* -j: n threads fuzz at once while this one watches: every WATCHMS it
 * sends each a SIGALRM of its own (one process timer cannot end every
 * thread's wait), and after JOINSECS it ends the process with exit_group
 * even if some thread still waits — the host must carry that out */
static void
fuzzthreads(uint32_t seed, int ncalls, int n)
{
	pthread_t th;
	uint32_t a[6];
	int i, k, left;

	if(n > MAXJ)
		n = MAXJ;
	jseed = seed;
	jcalls = ncalls;
	for(i = 0; i < n; i++)
		if(pthread_create(&th, NULL, jthread, (void *)(uintptr_t)i) != 0)
			atomic_store(&jdone[i], 1);
	left = n;
	for(k = 0; k < JOINSECS * 1000 / WATCHMS && left > 0; k++){
		usleep(WATCHMS * 1000);
		left = 0;
		for(i = 0; i < n; i++)
			if(!atomic_load(&jdone[i])){
				left++;
				if(atomic_load(&jtid[i]) > 0)
					rawsys(270, (uint32_t[6]){ mypid, atomic_load(&jtid[i]), SIGALRM });
			}
	}
	printf("fuzz: seed %u: %d threads x %d calls, %d ended\n", seed, n, ncalls, n - left);
	fflush(stdout);
	memset(a, 0, sizeof a);
	rawsys(252, a);
}

static void
fuzz(uint32_t seed, int ncalls)
{
	struct itimerval it;
	uint32_t a[6], nr;
	long r;
	int i, j;

	rs = 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed << 17) ^ seed;
	for(i = 0; i < 8; i++)
		rnd();
	setup();
	if(memmode && region == NULL){
		region = mmap(NULL, NREGION * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if(region == MAP_FAILED)
			region = (uint8_t *)0x10000;
	}
	watchdog();
	if(ipcmode)
		ignorejobsigs();
	note("seed %u\n", seed);
	for(i = 0; i < ncalls; i++){
		if(memmode && pick(2))
			nr = memcall(a);
		else if(lockmode && pick(2))
			nr = lockcall(a);
		else if(timermode && pick(2))
			nr = timercall(a);
		else if(ipcmode && pick(2)){
			nr = ipccall(a);
			if(nr == 117){	/* ipc(SEMOP or SEMTIMEDOP, id, nsops, 0, sops, timeout) */
				uint32_t sops = a[1], ts = a[3];
				a[1] = a[0];
				a[0] = pick(2) ? 1 : 4;
				a[3] = 0;
				a[4] = sops;
				a[5] = ts;
			}
		}
		else{
			nr = callnr();
			for(j = 0; j < 6; j++)
				a[j] = arg();
		}
		if(!neutralise(nr, a))
			continue;
		note("%d: %#x(%#x, %#x, %#x, %#x, %#x, %#x)", i, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		/* mount waits for a 9P answer like a disk and only a fatal
		 * signal ends it (as Linux's 9p): for a pipe that is forever,
		 * so here the watchdog kills us */
		if(nr == 0x7001)
			signal(SIGALRM, SIG_DFL);
		arm();
		if(nr == 2 || nr == 190 || nr == 120 || nr == 435){
			invfork = newmode && nr == 190;
			r = rawfork(nr, a);
			invfork = 0;
		}else
			r = rawsys(nr, a);
		note(" = %ld\n", r);
		if(r >= 0 && returnsfd(nr) && nfds < NTRACK)
			fds[nfds++] = r;
		if(r == 0 && nr == 259 && a[2] == (uint32_t)(uintptr_t)&tids[ntids] && ntids < NTRACK)
			ntids++;
		if((nr == 192 || nr == 90) && (uint32_t)r < 0xfffff000u && nmaps < NTRACK)
			maps[nmaps++] = r;
		if(ipcmode && r >= 0 && (nr == 393 || nr == 395 || nr == 399))
			ipcids[nipcids < NTRACK ? (uint32_t)nipcids++ : pick(NTRACK)] = r;
		if(ipcmode && nr == 397 && (uint32_t)r < 0xfffff000u)
			shmaddrs[nshmaddrs < NTRACK ? (uint32_t)nshmaddrs++ : pick(NTRACK)] = r;
		if(ipcmode && r >= 0 && nr == 434 && nfds < NTRACK)
			fds[nfds++] = r;
		if(sigcall(nr) || nr == 0x7001){
			watchdog();
			if(ipcmode)
				ignorejobsigs();
		}
		/* a System V shm segment outlives its process, as Linux's,
		 * holding a host memfd: removed at once (it lives while
		 * attached), so that the host's fds do not grow over the
		 * fuzzing processes */
		if(r >= 0 && (nr == 395 || (nr == 117 && (a[0] & 0xffff) == 23))){
			uint32_t rm[6] = { r, 0, 0, 0, 0, 0 };	/* shmctl(id, IPC_RMID) */
			rawsys(396, rm);
		}
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	note("done\n");
}

/* no fd but 0-2 may be open when a guest starts */
static int
fdsclean(void)
{
	int fd, bad;

	bad = 0;
	for(fd = 3; fd < 1024; fd++)
		if(fd != logfd && fcntl(fd, F_GETFD) >= 0){
			printf("fuzz: fd %d open at start\n", fd);
			bad = 1;
		}
	return !bad;
}

static void
mark(int n)
{
	printf("\nmark %d\n", n);	/* a line of its own after a child's partial writes to stdout */
	fflush(stdout);
	sleep(1);
}

int
main(int argc, char **argv)
{
	uint32_t seed;
	int c, kids, nthreads, i, ncalls, st;
	pid_t pid;

	kids = 0;
	nthreads = 0;
	while((c = getopt(argc, argv, "d:k:j:qmnlti")) != -1){
		switch(c){
		case 'd':
			logfd = open(optarg, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
			if(logfd < 0 || dup2(logfd, LOGFD) != LOGFD){
				perror(optarg);
				return 2;
			}
			close(logfd);
			logfd = LOGFD;
			break;
		case 'k':
			kids = atoi(optarg);
			break;
		case 'j':
			nthreads = atoi(optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'n':
			newmode = 1;
			/* fall through */
		case 'm':
			memmode = 1;
			break;
		case 'l':
			lockmode = 1;
			break;
		case 't':
			timermode = 1;
			break;
		case 'i':
			ipcmode = 1;
			break;
		default:
			goto usage;
		}
	}
	if(argc - optind != 2){
	usage:
		fprintf(stderr, "usage: fuzz [-d log] [-k n] [-j n] [-q] [-m] [-l] [-t] [-i] seed ncalls\n");
		return 2;
	}
	seed = strtoul(argv[optind], NULL, 0);
	ncalls = atoi(argv[optind + 1]);
	top = ((uint32_t)(uintptr_t)argv[0] + 4095) & ~4095u;
	if(!fdsclean())
		return 3;
	if(kids == 0 && nthreads > 1){
		mypid = getpid();
		myppid = getppid();
		fuzzthreads(seed, ncalls, nthreads);
		arm();	/* the exit's flush: see below */
		return 0;
	}
	if(kids == 0){
		mypid = getpid();
		myppid = getppid();
		fuzz(seed, ncalls);
		/* the calls may have left a terminal whose output is full
		 * on stdout (a dup2): its write would wait for a reader for
		 * ever, natively too (fuzz -i seed 501, now and then) */
		arm();
		printf("fuzz: seed %u: %d calls\n", seed, ncalls);
		fflush(stdout);
		return 0;
	}
	for(i = 0; i < kids; i++){
		fflush(stdout);
		pid = fork();
		if(pid == 0){
			mypid = getpid();
			myppid = getppid();
			fuzz(seed + i, ncalls);
			_exit(0);
		}
		if(pid < 0 || waitpid(pid, &st, 0) != pid){
			printf("fuzz: child %d lost\n", i);
			return 1;
		}
		if(i == 0)
			mark(1);
	}
	mark(2);
	printf("fuzz: %d children done\n", kids);
	return 0;
}
