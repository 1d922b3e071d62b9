/*
 * guest_rusage.c — what getrusage, times, wait4/waitid and /proc/self/stat
 * say a process used, and the CPU clock of another process
 * (clock_getcpuclockid), run natively (or under qemu-i386) and under
 * vxinferno by tests/vxinferno_rusage.t: each line is a fact that holds
 * on Linux (1), so the outputs must match.  Lines "vx:" are facts the
 * reference cannot give (qemu-user makes up its own /proc/self/stat).
 * Times are CPU time used on purpose, with wide bounds: the facts are
 * whose time is counted, not how exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MS = 1000000 };

static long long
cpuns(clockid_t c)
{
	struct timespec ts;

	if(clock_gettime(c, &ts) < 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static volatile unsigned sink;

/* Use ms of this thread's CPU time in user code (the clock asked
 * seldom, so the time is not in system calls). */
static void
burn(int ms)
{
	long long end = cpuns(CLOCK_THREAD_CPUTIME_ID) + ms * (long long)MS;
	unsigned i, x = sink;

	while(cpuns(CLOCK_THREAD_CPUTIME_ID) < end)
		for(i = 0; i < 200000; i++)
			x = x * 1103515245 + 12345;
	sink = x;
}

static long long
tvns(struct timeval *tv)
{
	return tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
}

static long long
total(struct rusage *r)
{
	return tvns(&r->ru_utime) + tvns(&r->ru_stime);
}

static long long
used(int who)
{
	struct rusage r;

	if(getrusage(who, &r) < 0)
		return -1;
	return total(&r);
}

static long
ticks(struct tms *t)
{
	return t->tms_utime + t->tms_stime;
}

static long
cticks(struct tms *t)
{
	return t->tms_cutime + t->tms_cstime;
}

/* Touch n MiB (kept). */
static void
touch(int n)
{
	volatile char *p = malloc((size_t)n << 20);
	size_t i;

	if(p == NULL)
		return;
	for(i = 0; i < (size_t)n << 20; i += 4096)
		p[i] = 1;
}

static volatile int burnerdone;

static void *
burner(void *arg)
{
	burn(200);
	*(long long *)arg = used(RUSAGE_THREAD);
	burnerdone = 1;
	return NULL;
}

static void
self(void)
{
	struct rusage r0, r1;
	struct tms t0, t1;
	long long a, b, mine, own;
	pthread_t th;

	getrusage(RUSAGE_SELF, &r0);
	times(&t0);
	burn(200);
	getrusage(RUSAGE_SELF, &r1);
	times(&t1);
	a = total(&r1) - total(&r0);
	b = tvns(&r1.ru_utime) - tvns(&r0.ru_utime);
	printf("RUSAGE_SELF counts the process's 200 ms: %d, mostly user time: %d\n",
		a >= 180 * MS && a < 5000LL * MS, b >= a * 6 / 10);
	printf("times counts them: %d\n", ticks(&t1) - ticks(&t0) >= 18 && ticks(&t1) - ticks(&t0) < 500);

	/* the caller's own time is its thread clock's, whatever that is
	 * (an emulator's thread start is slow): the bounds are beside it */
	a = used(RUSAGE_THREAD);
	b = used(RUSAGE_SELF);
	own = cpuns(CLOCK_THREAD_CPUTIME_ID);
	pthread_create(&th, NULL, burner, &mine);
	while(!burnerdone)
		usleep(1000);
	pthread_join(th, NULL);
	own = cpuns(CLOCK_THREAD_CPUTIME_ID) - own;
	printf("another thread's 200 ms: in RUSAGE_SELF %d, not in the caller's RUSAGE_THREAD %d, in its own %d\n",
		used(RUSAGE_SELF) - b >= 180 * MS, used(RUSAGE_THREAD) - a < own + 100 * MS,
		mine >= 180 * MS && mine < 5000LL * MS);
}

static void
faults(void)
{
	struct rusage r0, r1;
	int i;

	getrusage(RUSAGE_SELF, &r0);
	touch(64);
	for(i = 0; i < 20; i++)
		usleep(1000);
	getrusage(RUSAGE_SELF, &r1);
	printf("64 MiB touched: ru_maxrss grew by 60 MiB or more %d, minflt grew %d\n",
		r1.ru_maxrss - r0.ru_maxrss >= 60 * 1024, r1.ru_minflt > r0.ru_minflt);
	printf("20 sleeps: nvcsw grew by 10 or more %d\n", r1.ru_nvcsw - r0.ru_nvcsw >= 10);
}

static int sleptfd[2], endfd[2];

/* 20 sleeps, its tid down sleptfd, then alive until endfd says. */
static void *
sleeper(void *arg)
{
	int i, tid;
	char c;

	(void)arg;
	for(i = 0; i < 20; i++)
		usleep(1000);
	tid = syscall(SYS_gettid);
	write(sleptfd[1], &tid, sizeof tid);
	read(endfd[0], &c, 1);
	return NULL;
}

/* The value of line "name:" of file path, or -1. */
static long long
statusline(const char *path, const char *name)
{
	char line[256];
	long long v;
	size_t n;
	FILE *f;

	f = fopen(path, "r");
	if(f == NULL)
		return -1;
	v = -1;
	n = strlen(name);
	while(fgets(line, sizeof line, f) != NULL)
		if(strncmp(line, name, n) == 0 && line[n] == ':')
			v = atoll(line + n + 1);
	fclose(f);
	return v;
}

/* Another live thread's context switches: in RUSAGE_SELF (beyond the
 * caller's own) and in that thread's /proc/self/task/TID/status. */
static void
switches(void)
{
	struct rusage s0, s1, t0, t1;
	char path[64];
	pthread_t th;
	int tid;

	if(pipe(sleptfd) < 0 || pipe(endfd) < 0)
		return;
	getrusage(RUSAGE_SELF, &s0);
	getrusage(RUSAGE_THREAD, &t0);
	pthread_create(&th, NULL, sleeper, NULL);
	if(read(sleptfd[0], &tid, sizeof tid) != sizeof tid)
		tid = 0;
	getrusage(RUSAGE_SELF, &s1);
	getrusage(RUSAGE_THREAD, &t1);
	snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
	printf("a live thread's 20 sleeps: in RUSAGE_SELF's nvcsw %d, its status's voluntary_ctxt_switches %d\n",
		(s1.ru_nvcsw - s0.ru_nvcsw) - (t1.ru_nvcsw - t0.ru_nvcsw) >= 10,
		statusline(path, "voluntary_ctxt_switches") >= 10);
	write(endfd[1], "x", 1);
	pthread_join(th, NULL);
}

static void
children(void)
{
	int a[2], b[2], st, e;
	struct rusage r, c0, c1, s0, s1;
	struct tms t0, t1;
	clockid_t cid;
	long long x, own;
	siginfo_t si;
	pid_t pid;
	char ch;

	(void)!pipe(a);
	(void)!pipe(b);
	getrusage(RUSAGE_CHILDREN, &c0);
	getrusage(RUSAGE_SELF, &s0);
	own = cpuns(CLOCK_PROCESS_CPUTIME_ID);
	times(&t0);
	pid = fork();
	if(pid == 0){
		burn(300);
		touch(48);
		(void)!write(a[1], "x", 1);
		(void)!read(b[0], &ch, 1);
		_exit(0);
	}
	(void)!read(a[0], &ch, 1);
	getrusage(RUSAGE_SELF, &s1);
	getrusage(RUSAGE_CHILDREN, &c1);
	own = cpuns(CLOCK_PROCESS_CPUTIME_ID) - own;	/* the fork's copy, whatever it took */
	printf("a child's 300 ms: not in the parent's RUSAGE_SELF %d, nor in RUSAGE_CHILDREN before the wait %d\n",
		total(&s1) - total(&s0) < own + 100 * MS, total(&c1) - total(&c0) < 50 * MS);
	e = clock_getcpuclockid(pid, &cid);
	x = e == 0 ? cpuns(cid) : -1;
	printf("clock_getcpuclockid of the child: %s, its clock has its 300 ms: %d\n", e ? strerror(e) : "ok",
		x >= 280 * MS && x < 5000LL * MS);
	(void)!write(b[1], "x", 1);
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	x = cpuns(cid);
	printf("the clock of the child ended, not yet reaped: %d\n", x >= 280 * MS);
	memset(&r, 0, sizeof r);
	wait4(pid, &st, 0, &r);
	getrusage(RUSAGE_CHILDREN, &c1);
	times(&t1);
	printf("wait4's rusage: the child's 300 ms %d, its 48 MiB in ru_maxrss %d\n",
		total(&r) >= 280 * MS && total(&r) < 5000LL * MS, r.ru_maxrss >= 48 * 1024);
	printf("after the wait RUSAGE_CHILDREN has them %d, its ru_maxrss the child's %d, times the ticks %d\n",
		total(&c1) - total(&c0) >= 280 * MS, c1.ru_maxrss >= 48 * 1024, cticks(&t1) - cticks(&t0) >= 28);
	errno = 0;
	x = cpuns(cid);
	printf("the clock of the reaped child: %s\n", x < 0 ? strerror(errno) : "readable");

	/* a child's reaped children count in its rusage, its unreaped not */
	pid = fork();
	if(pid == 0){
		pid_t g = fork();
		if(g == 0){
			burn(200);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	wait4(pid, &st, 0, &r);
	printf("wait4's rusage has the child's reaped child's 200 ms: %d\n", total(&r) >= 180 * MS);
	(void)!pipe(a);
	pid = fork();
	if(pid == 0){
		if(fork() == 0){
			burn(200);
			_exit(0);
		}
		x = cpuns(CLOCK_PROCESS_CPUTIME_ID);	/* its own, the fork's copy among it */
		(void)!write(a[1], &x, sizeof x);
		_exit(0);
	}
	x = 0;
	(void)!read(a[0], &x, sizeof x);
	wait4(pid, &st, 0, &r);
	printf("and not an orphaned one's: %d\n", total(&r) < x + 100 * MS);
}

static void
clocks(void)
{
	clockid_t c;
	long r;
	int e;

	e = clock_getcpuclockid(getpid(), &c);
	printf("clock_getcpuclockid of itself: %s\n", e ? strerror(e) : "ok");
	e = clock_getcpuclockid(0x3ffffff0, &c);
	printf("clock_getcpuclockid of no process: %s\n", e ? strerror(e) : "ok");
	/* the raw call: Linux says EINVAL, glibc makes that ESRCH */
	r = syscall(SYS_clock_gettime, (clockid_t)((~0x3ffffff0u << 3) | 2), &(struct timespec){ 0, 0 });
	printf("clock_gettime on no process's clock: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	r = syscall(SYS_clock_gettime, (clockid_t)((~(unsigned)syscall(SYS_gettid) << 3) | 2), &(struct timespec){ 0, 0 });
	printf("clock_gettime on its own pid's clock: %ld\n", r);
}

/* /proc/self/stat read into buf: what follows the name, or NULL. */
static char *
selfstat(char *buf, int nbuf)
{
	FILE *f;
	char *s;
	int n;

	f = fopen("/proc/self/stat", "r");
	n = f != NULL ? (int)fread(buf, 1, nbuf - 1, f) : 0;
	if(f != NULL)
		fclose(f);
	buf[n > 0 ? n : 0] = 0;
	s = strrchr(buf, ')');
	return s != NULL ? s + 1 : NULL;
}

static void
procstat(void)
{
	char buf[1024], *s;
	unsigned long long ut, st, cut, cst, start;
	double up;
	struct tms t;
	FILE *f;

	times(&t);
	s = selfstat(buf, sizeof buf);
	if(s == NULL || sscanf(s, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu %*d %*d %*d %*d %llu",
		&ut, &st, &cut, &cst, &start) != 5){
		printf("/proc/self/stat: unreadable\n");
		return;
	}
	f = fopen("/proc/uptime", "r");
	if(f == NULL || fscanf(f, "%lf", &up) != 1)
		up = 0;
	if(f != NULL)
		fclose(f);
	printf("/proc/self/stat starttime in the last ten minutes: %d\n",
		start <= (unsigned long long)(up * 100) + 100 && start + 60000 >= (unsigned long long)(up * 100));
	printf("vx: /proc/self/stat utime+stime as times says %d, cutime+cstime %d\n",
		ut + st + 3 >= (unsigned long long)ticks(&t) && ut + st <= (unsigned long long)ticks(&t) + 3,
		cut + cst + 3 >= (unsigned long long)cticks(&t) && cut + cst <= (unsigned long long)cticks(&t) + 3);
}

/* /proc/self/status's line name in kB, statm's field i in pages. */
static long long
statmfield(int i)
{
	long long v[7];
	FILE *f;
	int n;

	f = fopen("/proc/self/statm", "r");
	if(f == NULL)
		return -1;
	n = fscanf(f, "%lld %lld %lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]);
	fclose(f);
	return n == 7 ? v[i] : -1;
}

/* /proc/self/stat's vsize (bytes) and rss (pages). */
static void
statmem(unsigned long long *vsize, long long *rss)
{
	char buf[1024], *s;

	*vsize = 0;
	*rss = -1;
	s = selfstat(buf, sizeof buf);
	if(s != NULL)
		sscanf(s, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %*u %llu %lld",
			vsize, rss);
}

static int
near(long long got, long long want, long long slack)
{
	return got >= want - slack && got <= want + slack;
}

/* 64 MiB mapped, touched and unmapped: what status, statm and stat
 * say of the process's size and resident set (kB; statm's pages). */
static void
memory(void)
{
	enum { MB = 64, KB = MB * 1024, PAGES = KB / 4 };
	long long size0, rss0, msize0, mres0, size1, rss1, msize1, mres1, size2, rss2, mres2, peak, hwm, srss0, srss2;
	unsigned long long vs0, vs1;
	volatile char *p;
	size_t i;

	size0 = statusline("/proc/self/status", "VmSize");
	rss0 = statusline("/proc/self/status", "VmRSS");
	msize0 = statmfield(0);
	mres0 = statmfield(1);
	statmem(&vs0, &srss0);
	p = mmap(NULL, (size_t)MB << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED){
		printf("mmap 64 MiB: %s\n", strerror(errno));
		return;
	}
	size1 = statusline("/proc/self/status", "VmSize");
	rss1 = statusline("/proc/self/status", "VmRSS");
	msize1 = statmfield(0);
	mres1 = statmfield(1);
	statmem(&vs1, &srss2);
	printf("64 MiB mapped: VmRSS grew by under 4 MiB %d, statm's resident by under 4 MiB %d\n",
		rss1 - rss0 < 4096, mres1 - mres0 < 1024);
	/* qemu-user reserves the guest's address space at its start */
	printf("vx: 64 MiB mapped: VmSize grew by it %d, statm's size %d, /proc/self/stat's vsize %d\n",
		near(size1 - size0, KB, 1024), near(msize1 - msize0, PAGES, 256),
		near((long long)(vs1 - vs0), (long long)MB << 20, 4 << 20));
	for(i = 0; i < (size_t)MB << 20; i += 4096)
		p[i] = 1;
	rss2 = statusline("/proc/self/status", "VmRSS");
	mres2 = statmfield(1);
	peak = statusline("/proc/self/status", "VmPeak");
	hwm = statusline("/proc/self/status", "VmHWM");
	statmem(&vs1, &srss2);
	printf("64 MiB touched: VmRSS grew by it %d, statm's resident by it %d, VmPeak >= VmSize %d, VmHWM >= VmRSS %d\n",
		near(rss2 - rss1, KB, 4096), near(mres2 - mres1, PAGES, 1024),
		peak >= size1, hwm >= rss2);
	printf("vx: 64 MiB touched: /proc/self/stat's rss grew by it %d\n", near(srss2 - srss0, PAGES, 1024));
	munmap((void *)p, (size_t)MB << 20);
	size2 = statusline("/proc/self/status", "VmSize");
	printf("vx: 64 MiB unmapped: VmSize back %d, VmPeak kept %d\n", near(size2, size0, 1024),
		statusline("/proc/self/status", "VmPeak") >= size1);
}

/* A brk step and a small anonymous mapping left untouched are not
 * resident, as on Linux; touched, they are.  (vxinferno populated
 * mappings of up to 1 MiB at once until session 23: VmRSS grew by
 * them untouched.) */
static void
smallmaps(void)
{
	enum { KB = 768 };
	long long rss0, rss1, rss2;
	volatile char *p, *b;
	size_t i;

	rss0 = statusline("/proc/self/status", "VmRSS");
	b = sbrk(KB * 1024);
	p = mmap(NULL, KB * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(b == (void *)-1 || p == MAP_FAILED){
		printf("sbrk, mmap %d KiB: %s\n", KB, strerror(errno));
		return;
	}
	rss1 = statusline("/proc/self/status", "VmRSS");
	printf("%d KiB of brk and %d KiB mapped, untouched: VmRSS grew by under %d KiB %d\n",
		KB, KB, KB / 2, rss1 - rss0 < KB / 2);
	for(i = 0; i < KB * 1024; i += 4096){
		b[i] = 1;
		p[i] = 1;
	}
	rss2 = statusline("/proc/self/status", "VmRSS");
	printf("both touched: VmRSS grew by them %d\n", near(rss2 - rss1, 2 * KB, KB / 2));
	munmap((void *)p, KB * 1024);
	sbrk(-KB * 1024);
}

/* burn: another sandbox's load: its 600 ms, then /burned, and wait for
 * /done (tests/unit/vxrun_boxes.c).  probe: 100 ms of its own; exit 1
 * if getrusage, 2 if times, 4 if its process clock says it used 400 ms
 * or more. */
static int
boxes(char *mode)
{
	struct tms t;
	FILE *f;
	int r;

	if(strcmp(mode, "burn") == 0){
		burn(600);
		f = fopen("/burned", "w");
		if(f != NULL)
			fclose(f);
		while(access("/done", F_OK) < 0)
			usleep(10000);
		return 0;
	}
	burn(100);
	times(&t);
	r = 0;
	if(used(RUSAGE_SELF) >= 400 * MS)
		r |= 1;
	if(ticks(&t) >= 40)
		r |= 2;
	if(cpuns(CLOCK_PROCESS_CPUTIME_ID) >= 400 * MS)
		r |= 4;
	return r;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc > 1)
		return boxes(argv[1]);
	self();
	switches();
	children();
	clocks();
	procstat();
	faults();	/* a fork copies what is touched (doc/guest-abi.md) */
	memory();	/* after faults: its high water is above faults' */
	smallmaps();
	printf("RUSAGE_BOTH: %d %s\n", getrusage(-2, &(struct rusage){ 0 }), strerror(errno));
	return 0;
}
