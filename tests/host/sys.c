/*
 * sys.c — the test host's system call table, and the calls about the
 * process itself: exit, identity, time, randomness, TLS, signals, limits,
 * futex.  Numbers are Linux i386's.  Anything not listed is ENOSYS.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "vxhost.h"

enum {
	NSYSCALL = 450,
	UTSLEN = 65,
	USERDESC = 16,		/* struct user_desc */
	TLSENTRY0 = 12,		/* GDT_ENTRY_TLS_MIN on i386 */
	NSIG64 = 64,
	KSIGACTION = 20,	/* the kernel's i386 struct sigaction */
	LFUTEX_WAIT = 0, LFUTEX_WAKE = 1, LFUTEX_WAIT_BITSET = 9, LFUTEX_WAKE_BITSET = 10,
	LFUTEX_CMDMASK = 0x7f,
	LRLIM_NLIMITS = 16,
	LRLIMIT_STACK = 3, LRLIMIT_CORE = 4, LRLIMIT_NOFILE = 7,
};

void *
vhmem(Host *h, uint32_t addr, uint32_t len, int prot)
{
	return vx_access(h->vx, addr, len, prot);
}

/* A NUL-terminated guest string of at most 4095 bytes, or NULL. */
const char *
vhstr(Host *h, uint32_t addr)
{
	const char *p;
	uint32_t n;

	for(n = 0; n < 4096; n++){
		p = vhmem(h, addr + n, 1, VX_PROT_READ);
		if(p == NULL || addr + n < addr)
			return NULL;
		if(*p == 0)
			return vhmem(h, addr, n + 1, VX_PROT_READ);
	}
	return NULL;
}

void
vhput32(void *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

void
vhput64(void *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

uint32_t
vhget32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

void
vhexit(Host *h, int status)
{
	(void)h;
	fflush(stdout);
	exit(status & 0xff);
}

static long
vh_exit(Host *h, uint32_t *a)
{
	vhexit(h, a[0]);
}

static long
vh_getpid(Host *h, uint32_t *a)
{
	(void)h, (void)a;
	return GUESTPID;
}

static long
vh_getppid(Host *h, uint32_t *a)
{
	(void)h, (void)a;
	return 1;
}

static long vh_getuid(Host *h, uint32_t *a) { (void)h, (void)a; return getuid(); }
static long vh_geteuid(Host *h, uint32_t *a) { (void)h, (void)a; return geteuid(); }
static long vh_getgid(Host *h, uint32_t *a) { (void)h, (void)a; return getgid(); }
static long vh_getegid(Host *h, uint32_t *a) { (void)h, (void)a; return getegid(); }

static long
vh_zero(Host *h, uint32_t *a)
{
	(void)h, (void)a;
	return 0;
}

static long
vh_uname(Host *h, uint32_t *a)
{
	static const char *f[6] = { "Linux", "vxhost", "6.1.0", "#1 vxhost", "i686", "(none)" };
	uint8_t *g;
	int i;

	g = vhmem(h, a[0], 6 * UTSLEN, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	memset(g, 0, 6 * UTSLEN);
	for(i = 0; i < 6; i++)
		memcpy(g + i * UTSLEN, f[i], strlen(f[i]));
	return 0;
}

static long
vh_getcwd(Host *h, uint32_t *a)
{
	uint8_t *g;

	if(a[1] < 2)
		return -ERANGE;
	g = vhmem(h, a[0], 2, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	memcpy(g, "/", 2);
	return 2;
}

static int
okclock(uint32_t id)
{
	return id <= CLOCK_BOOTTIME || id == CLOCK_TAI;
}

/* clock_gettime/clock_getres, with 32- or 64-bit struct timespec */
static long
clockcall(Host *h, uint32_t *a, int res, int wide)
{
	struct timespec ts;
	uint8_t *g;

	if(!okclock(a[0]))
		return -EINVAL;
	if((res ? clock_getres(a[0], &ts) : clock_gettime(a[0], &ts)) < 0)
		return -errno;
	if(a[1] == 0)
		return res ? 0 : -EFAULT;
	g = vhmem(h, a[1], wide ? 16 : 8, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	if(wide){
		vhput64(g, ts.tv_sec);
		vhput64(g + 8, ts.tv_nsec);
	}else{
		vhput32(g, ts.tv_sec);
		vhput32(g + 4, ts.tv_nsec);
	}
	return 0;
}

static long vh_clock_gettime(Host *h, uint32_t *a) { return clockcall(h, a, 0, 0); }
static long vh_clock_gettime64(Host *h, uint32_t *a) { return clockcall(h, a, 0, 1); }
static long vh_clock_getres(Host *h, uint32_t *a) { return clockcall(h, a, 1, 0); }
static long vh_clock_getres64(Host *h, uint32_t *a) { return clockcall(h, a, 1, 1); }

static long
vh_gettimeofday(Host *h, uint32_t *a)
{
	struct timespec ts;
	uint8_t *tv, *tz;

	tv = a[0] ? vhmem(h, a[0], 8, VX_PROT_WRITE) : NULL;
	tz = a[1] ? vhmem(h, a[1], 8, VX_PROT_WRITE) : NULL;
	if((a[0] && tv == NULL) || (a[1] && tz == NULL))
		return -EFAULT;
	clock_gettime(CLOCK_REALTIME, &ts);
	if(tv != NULL){
		vhput32(tv, ts.tv_sec);
		vhput32(tv + 4, ts.tv_nsec / 1000);
	}
	if(tz != NULL)
		memset(tz, 0, 8);
	return 0;
}

static long
vh_time(Host *h, uint32_t *a)
{
	uint8_t *g;
	time_t t;

	t = time(NULL);
	if(a[0] != 0){
		g = vhmem(h, a[0], 4, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		vhput32(g, t);
	}
	return (uint32_t)t;
}

/* nanosleep(req, rem) and clock_nanosleep(clock, flags, req, rem), 32/64-bit */
static long
sleepcall(Host *h, uint32_t clock, uint32_t flags, uint32_t req, int wide)
{
	struct timespec ts;
	uint8_t *g;
	int r;

	if(!okclock(clock))
		return -EINVAL;
	g = vhmem(h, req, wide ? 16 : 8, VX_PROT_READ);
	if(g == NULL)
		return -EFAULT;
	if(wide){
		ts.tv_sec = (int64_t)(vhget32(g) | (uint64_t)vhget32(g + 4) << 32);
		ts.tv_nsec = vhget32(g + 8);
	}else{
		ts.tv_sec = (int32_t)vhget32(g);
		ts.tv_nsec = (int32_t)vhget32(g + 4);
	}
	if(ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	atomic_store(&h->inhost, 1);
	do
		r = clock_nanosleep(clock, flags & TIMER_ABSTIME, &ts, &ts);
	while(r == EINTR);
	atomic_store(&h->inhost, 0);
	return -r;
}

static long vh_nanosleep(Host *h, uint32_t *a) { return sleepcall(h, CLOCK_MONOTONIC, 0, a[0], 0); }
static long vh_clock_nanosleep(Host *h, uint32_t *a) { return sleepcall(h, a[0], a[1], a[2], 0); }
static long vh_clock_nanosleep64(Host *h, uint32_t *a) { return sleepcall(h, a[0], a[1], a[2], 1); }

static long
vh_getrandom(Host *h, uint32_t *a)
{
	uint32_t n;
	ssize_t r;
	void *p;

	if(a[2] & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	n = a[1] > 0x1ffffff ? 0x1ffffff : a[1];
	p = vhmem(h, a[0], n, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	r = getrandom(p, n, a[2]);
	return r < 0 ? -errno : r;
}

/* set_thread_area(struct user_desc *): slots 12..14, -1 picks a free one. */
static long
vh_set_thread_area(Host *h, uint32_t *a)
{
	uint32_t entry, base, limit, flags;
	uint8_t *u;
	int n;

	u = vhmem(h, a[0], USERDESC, VX_PROT_READ | VX_PROT_WRITE);
	if(u == NULL)
		return -EFAULT;
	entry = vhget32(u);
	base = vhget32(u + 4);
	limit = vhget32(u + 8) & 0xfffff;
	flags = vhget32(u + 12);
	if(entry == 0xffffffff){
		for(n = 0; n < VX_NTLS && (h->tlsused & (1 << n)); n++)
			;
		if(n == VX_NTLS)
			return -ESRCH;
		vhput32(u, TLSENTRY0 + n);
	}else if(entry >= TLSENTRY0 && entry < TLSENTRY0 + VX_NTLS){
		n = entry - TLSENTRY0;
	}else
		return -EINVAL;
	/* flags: seg_32bit(0) contents(1-2) read_exec_only(3) limit_in_pages(4)
	 * seg_not_present(5) useable(6).  Only 32-bit present data segments. */
	if(!(flags & 1) || (flags & 6) >= 4 || (flags & 0x20))
		return -EINVAL;
	if(vx_settlsdesc(h->vx, n, base, limit, flags) < 0)	/* kept for lar, lsl */
		return -EINVAL;
	h->tlsused |= 1 << n;
	return 0;
}

static long
vh_get_thread_area(Host *h, uint32_t *a)
{
	uint32_t entry, base, limit, flags;
	uint8_t *u;

	u = vhmem(h, a[0], USERDESC, VX_PROT_READ | VX_PROT_WRITE);
	if(u == NULL)
		return -EFAULT;
	entry = vhget32(u);
	if(entry < TLSENTRY0 || entry >= TLSENTRY0 + VX_NTLS)
		return -EINVAL;
	if(vx_gettlsdesc(h->vx, entry - TLSENTRY0, &base, &limit, &flags) < 0)
		return -EINVAL;
	vhput32(u + 4, base);
	vhput32(u + 8, limit);
	vhput32(u + 12, flags);
	return 0;
}

static long
vh_set_tid_address(Host *h, uint32_t *a)
{
	h->cleartid = a[0];
	return GUESTPID;
}

/* Signals are never delivered: handlers are accepted and forgotten, masks are empty. */
static long
vh_rt_sigaction(Host *h, uint32_t *a)
{
	uint8_t *o;

	if(a[3] != 8 || a[0] < 1 || a[0] > NSIG64)
		return -EINVAL;
	if(a[1] != 0 && (a[0] == SIGKILL || a[0] == SIGSTOP))
		return -EINVAL;
	if(a[1] != 0 && vhmem(h, a[1], KSIGACTION, VX_PROT_READ) == NULL)
		return -EFAULT;
	if(a[2] != 0){
		o = vhmem(h, a[2], KSIGACTION, VX_PROT_WRITE);
		if(o == NULL)
			return -EFAULT;
		memset(o, 0, KSIGACTION);
	}
	return 0;
}

static long
vh_rt_sigprocmask(Host *h, uint32_t *a)
{
	uint8_t *o;

	if(a[3] != 8)
		return -EINVAL;
	if(a[1] != 0 && (a[0] > 2 || vhmem(h, a[1], 8, VX_PROT_READ) == NULL))
		return a[0] > 2 ? -EINVAL : -EFAULT;
	if(a[2] != 0){
		o = vhmem(h, a[2], 8, VX_PROT_WRITE);
		if(o == NULL)
			return -EFAULT;
		memset(o, 0, 8);
	}
	return 0;
}

/* Default dispositions: these signals are ignored (or stop/continue, which
 * we treat as ignored); all others terminate. */
static int
sigignored(uint32_t sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGSTOP || sig == SIGTSTP
	    || sig == SIGTTIN || sig == SIGTTOU || sig == SIGURG || sig == SIGWINCH;
}

static long
sendsig(Host *h, uint32_t pid, uint32_t sig)
{
	if(sig > NSIG64)
		return -EINVAL;
	if(pid != GUESTPID && pid != 0 && pid != 0xffffffff)
		return -ESRCH;
	if(sig == 0 || sigignored(sig))
		return 0;
	fflush(stdout);
	fprintf(stderr, "vxhost: killed by signal %d\n", sig);
	vhexit(h, 128 + sig);
}

static long vh_kill(Host *h, uint32_t *a) { return sendsig(h, a[0], a[1]); }
static long vh_tkill(Host *h, uint32_t *a) { return sendsig(h, a[0], a[1]); }
static long vh_tgkill(Host *h, uint32_t *a) { return a[0] != GUESTPID ? -ESRCH : sendsig(h, a[1], a[2]); }

static void
rlimit(uint32_t res, uint64_t *cur, uint64_t *max)
{
	*cur = *max = ~(uint64_t)0;
	switch(res){
	case LRLIMIT_STACK:
		*cur = 8 << 20;
		break;
	case LRLIMIT_CORE:
		*cur = 0;
		break;
	case LRLIMIT_NOFILE:
		*cur = *max = 1024;
		break;
	}
}

/* prlimit64(pid, resource, new, old) */
static long
vh_prlimit64(Host *h, uint32_t *a)
{
	uint64_t cur, max;
	uint8_t *o;

	if(a[0] != 0 && a[0] != GUESTPID)
		return -ESRCH;
	if(a[1] >= LRLIM_NLIMITS)
		return -EINVAL;
	if(a[2] != 0 && vhmem(h, a[2], 16, VX_PROT_READ) == NULL)
		return -EFAULT;
	if(a[3] != 0){
		o = vhmem(h, a[3], 16, VX_PROT_WRITE);
		if(o == NULL)
			return -EFAULT;
		rlimit(a[1], &cur, &max);
		vhput64(o, cur);
		vhput64(o + 8, max);
	}
	return 0;	/* new limits are accepted and ignored */
}

/* ugetrlimit(resource, struct rlimit *), 32-bit, infinity is ~0 */
static long
vh_ugetrlimit(Host *h, uint32_t *a)
{
	uint64_t cur, max;
	uint8_t *o;

	if(a[0] >= LRLIM_NLIMITS)
		return -EINVAL;
	o = vhmem(h, a[1], 8, VX_PROT_WRITE);
	if(o == NULL)
		return -EFAULT;
	rlimit(a[0], &cur, &max);
	vhput32(o, cur > UINT32_MAX ? UINT32_MAX : cur);
	vhput32(o + 4, max > UINT32_MAX ? UINT32_MAX : max);
	return 0;
}

/* One guest thread: a wake finds nobody, a wait that would sleep never ends. */
static long
vh_futex(Host *h, uint32_t *a)
{
	uint8_t *w;

	switch(a[1] & LFUTEX_CMDMASK){
	case LFUTEX_WAKE:
	case LFUTEX_WAKE_BITSET:
		return 0;
	case LFUTEX_WAIT:
	case LFUTEX_WAIT_BITSET:
		w = vhmem(h, a[0], 4, VX_PROT_READ);
		if(w == NULL || a[0] % 4 != 0)
			return w == NULL ? -EFAULT : -EINVAL;
		if(vhget32(w) != a[2])
			return -EAGAIN;
		if(a[3] != 0)
			return -ETIMEDOUT;
		fflush(stdout);
		fprintf(stderr, "vxhost: futex wait with no other thread: deadlock\n");
		vhexit(h, 1);
	}
	return -ENOSYS;
}

typedef struct Syscall {
	const char *name;
	Sysfn *fn;
	int nargs;
} Syscall;

static const Syscall systab[NSYSCALL] = {
	[1] = { "exit", vh_exit, 1 },
	[3] = { "read", vh_read, 3 },
	[4] = { "write", vh_write, 3 },
	[5] = { "open", vh_nofile, 3 },
	[6] = { "close", vh_close, 1 },
	[13] = { "time", vh_time, 1 },
	[19] = { "lseek", vh_lseek, 3 },
	[20] = { "getpid", vh_getpid, 0 },
	[24] = { "getuid", vh_getuid, 0 },
	[33] = { "access", vh_nofile, 2 },
	[37] = { "kill", vh_kill, 2 },
	[45] = { "brk", vh_brk, 1 },
	[47] = { "getgid", vh_getgid, 0 },
	[49] = { "geteuid", vh_geteuid, 0 },
	[50] = { "getegid", vh_getegid, 0 },
	[54] = { "ioctl", vh_ioctl, 3 },
	[55] = { "fcntl", vh_fcntl, 3 },
	[64] = { "getppid", vh_getppid, 0 },
	[78] = { "gettimeofday", vh_gettimeofday, 2 },
	[85] = { "readlink", vh_nofile, 3 },
	[91] = { "munmap", vh_munmap, 2 },
	[106] = { "stat", vh_nofile, 2 },
	[107] = { "lstat", vh_nofile, 2 },
	[122] = { "uname", vh_uname, 1 },
	[125] = { "mprotect", vh_mprotect, 3 },
	[140] = { "_llseek", vh_llseek, 5 },
	[145] = { "readv", vh_readv, 3 },
	[146] = { "writev", vh_writev, 3 },
	[158] = { "sched_yield", vh_zero, 0 },
	[162] = { "nanosleep", vh_nanosleep, 2 },
	[163] = { "mremap", vh_mremap, 5 },
	[174] = { "rt_sigaction", vh_rt_sigaction, 4 },
	[175] = { "rt_sigprocmask", vh_rt_sigprocmask, 4 },
	[183] = { "getcwd", vh_getcwd, 2 },
	[191] = { "ugetrlimit", vh_ugetrlimit, 2 },
	[192] = { "mmap2", vh_mmap2, 6 },
	[195] = { "stat64", vh_nofile, 2 },
	[196] = { "lstat64", vh_nofile, 2 },
	[197] = { "fstat64", vh_fstat64, 2 },
	[199] = { "getuid32", vh_getuid, 0 },
	[200] = { "getgid32", vh_getgid, 0 },
	[201] = { "geteuid32", vh_geteuid, 0 },
	[202] = { "getegid32", vh_getegid, 0 },
	[219] = { "madvise", vh_madvise, 3 },
	[221] = { "fcntl64", vh_fcntl, 3 },
	[224] = { "gettid", vh_getpid, 0 },
	[238] = { "tkill", vh_tkill, 2 },
	[240] = { "futex", vh_futex, 6 },
	[243] = { "set_thread_area", vh_set_thread_area, 1 },
	[244] = { "get_thread_area", vh_get_thread_area, 1 },
	[252] = { "exit_group", vh_exit, 1 },
	[258] = { "set_tid_address", vh_set_tid_address, 1 },
	[265] = { "clock_gettime", vh_clock_gettime, 2 },
	[266] = { "clock_getres", vh_clock_getres, 2 },
	[267] = { "clock_nanosleep", vh_clock_nanosleep, 4 },
	[270] = { "tgkill", vh_tgkill, 3 },
	[295] = { "openat", vh_nofileat, 4 },
	[300] = { "fstatat64", vh_fstatat64, 4 },
	[305] = { "readlinkat", vh_nofileat, 4 },
	[307] = { "faccessat", vh_nofileat, 3 },
	[311] = { "set_robust_list", vh_zero, 2 },
	[340] = { "prlimit64", vh_prlimit64, 4 },
	[355] = { "getrandom", vh_getrandom, 3 },
	[383] = { "statx", vh_statx, 5 },
	[403] = { "clock_gettime64", vh_clock_gettime64, 2 },
	[406] = { "clock_getres_time64", vh_clock_getres64, 2 },
	[407] = { "clock_nanosleep_time64", vh_clock_nanosleep64, 4 },
	[422] = { "futex_time64", vh_futex, 6 },
	[439] = { "faccessat2", vh_nofileat, 4 },
};

static void
trace(uint32_t nr, const Syscall *s, uint32_t *a, long r)
{
	char args[128];
	int i, n, len;

	len = 0;
	args[0] = 0;
	n = s->name ? s->nargs : 6;
	for(i = 0; i < n; i++)
		len += snprintf(args + len, sizeof args - len, "%s%#x", i ? ", " : "", a[i]);
	if(s->name)
		fprintf(stderr, "vxhost: %s(%s)", s->name, args);
	else
		fprintf(stderr, "vxhost: syscall_%u(%s)", nr, args);
	if(nr == 1 || nr == 252)
		fprintf(stderr, " = ?\n");
	else if((uint32_t)r >= (uint32_t)-4095)
		fprintf(stderr, " = -1 %s (%s)\n", strerrorname_np(-(int32_t)r), strerror(-(int32_t)r));
	else
		fprintf(stderr, " = %#lx\n", (unsigned long)(uint32_t)r);
}

long
vhsyscall(Host *h, uint32_t nr, uint32_t *a)
{
	static const Syscall none;
	const Syscall *s;
	long r;

	s = nr < NSYSCALL && systab[nr].fn != NULL ? &systab[nr] : &none;
	if(h->trace && (nr == 1 || nr == 252))
		trace(nr, s, a, 0);	/* before it ends us */
	r = s->fn != NULL ? s->fn(h, a) : -ENOSYS;
	if(h->trace)
		trace(nr, s, a, r);
	return r;
}
