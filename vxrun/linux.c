/*
 * linux.c — the Linux i386 system call table (numbers from the kernel's
 * unistd_32.h), the extension calls, dispatch and the -t trace.  Calls
 * not listed return ENOSYS.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dat.h"
#define VXRUN_HOST
#include "vxguest.h"

enum { NSYSCALL = 450 };

static const Syscall systab[NSYSCALL] = {
	[1] = { "exit", sys_exit, 1 },
	[2] = { "fork", sys_fork, 0 },
	[3] = { "read", sys_read, 3 },
	[4] = { "write", sys_write, 3 },
	[5] = { "open", sys_open, 3 },
	[6] = { "close", sys_close, 1 },
	[7] = { "waitpid", sys_waitpid, 3 },
	[8] = { "creat", sys_creat, 2 },
	[9] = { "link", sys_link, 2 },
	[10] = { "unlink", sys_unlink, 1 },
	[11] = { "execve", sys_execve, 3 },
	[12] = { "chdir", sys_chdir, 1 },
	[13] = { "time", sys_time, 1 },
	[15] = { "chmod", sys_chmod, 2 },
	[19] = { "lseek", sys_lseek, 3 },
	[20] = { "getpid", sys_getpid, 0 },
	[24] = { "getuid", sys_getuid, 0 },
	[27] = { "alarm", sys_alarm, 1 },
	[29] = { "pause", sys_pause, 0 },
	[33] = { "access", sys_access, 2 },
	[36] = { "sync", sys_zero, 0 },
	[37] = { "kill", sys_kill, 2 },
	[38] = { "rename", sys_rename, 2 },
	[39] = { "mkdir", sys_mkdir, 2 },
	[40] = { "rmdir", sys_rmdir, 1 },
	[41] = { "dup", sys_dup, 1 },
	[42] = { "pipe", sys_pipe, 1 },
	[43] = { "times", sys_times, 1 },
	[45] = { "brk", sys_brk, 1 },
	[47] = { "getgid", sys_getgid, 0 },
	[49] = { "geteuid", sys_getuid, 0 },
	[50] = { "getegid", sys_getgid, 0 },
	[54] = { "ioctl", sys_ioctl, 3 },
	[55] = { "fcntl", sys_fcntl64, 3 },
	[57] = { "setpgid", sys_setpgid, 2 },
	[60] = { "umask", sys_umask, 1 },
	[63] = { "dup2", sys_dup2, 2 },
	[64] = { "getppid", sys_getppid, 0 },
	[65] = { "getpgrp", sys_getpgrp, 0 },
	[66] = { "setsid", sys_setsid, 0 },
	[75] = { "setrlimit", sys_setrlimit, 2 },
	[77] = { "getrusage", sys_getrusage, 2 },
	[78] = { "gettimeofday", sys_gettimeofday, 2 },
	[80] = { "getgroups", sys_getgroups, 2 },
	[83] = { "symlink", sys_symlink, 2 },
	[85] = { "readlink", sys_readlink, 3 },
	[90] = { "mmap", sys_mmap, 1 },
	[91] = { "munmap", sys_munmap, 2 },
	[92] = { "truncate", sys_truncate64, 2 },
	[93] = { "ftruncate", sys_ftruncate64, 2 },
	[94] = { "fchmod", sys_fchmod, 2 },
	[104] = { "setitimer", sys_setitimer, 3 },
	[105] = { "getitimer", sys_getitimer, 2 },
	[106] = { "stat", sys_stat64, 2 },
	[107] = { "lstat", sys_lstat64, 2 },
	[108] = { "fstat", sys_fstat64, 2 },
	[114] = { "wait4", sys_wait4, 4 },
	[116] = { "sysinfo", sys_sysinfo, 1 },
	[118] = { "fsync", sys_fsync, 1 },
	[119] = { "sigreturn", sys_sigreturn, 0 },
	[120] = { "clone", sys_clone, 5 },
	[122] = { "uname", sys_uname, 1 },
	[125] = { "mprotect", sys_mprotect, 3 },
	[132] = { "getpgid", sys_getpgid, 1 },
	[133] = { "fchdir", sys_fchdir, 1 },
	[140] = { "_llseek", sys_llseek, 5 },
	[142] = { "_newselect", sys_select, 5 },
	[145] = { "readv", sys_readv, 3 },
	[146] = { "writev", sys_writev, 3 },
	[147] = { "getsid", sys_getsid, 1 },
	[148] = { "fdatasync", sys_fsync, 1 },
	[158] = { "sched_yield", sys_zero, 0 },
	[162] = { "nanosleep", sys_nanosleep, 2 },
	[163] = { "mremap", sys_mremap, 5 },
	[168] = { "poll", sys_poll, 3 },
	[172] = { "prctl", sys_einval, 5 },
	[173] = { "rt_sigreturn", sys_rt_sigreturn, 0 },
	[174] = { "rt_sigaction", sys_rt_sigaction, 4 },
	[175] = { "rt_sigprocmask", sys_rt_sigprocmask, 4 },
	[176] = { "rt_sigpending", sys_rt_sigpending, 2 },
	[179] = { "rt_sigsuspend", sys_rt_sigsuspend, 2 },
	[180] = { "pread64", sys_pread64, 5 },
	[181] = { "pwrite64", sys_pwrite64, 5 },
	[182] = { "chown", sys_chown, 3 },
	[183] = { "getcwd", sys_getcwd, 2 },
	[186] = { "sigaltstack", sys_sigaltstack, 2 },
	[187] = { "sendfile", sys_sendfile, 4 },
	[190] = { "vfork", sys_vfork, 0 },
	[191] = { "ugetrlimit", sys_ugetrlimit, 2 },
	[192] = { "mmap2", sys_mmap2, 6 },
	[193] = { "truncate64", sys_truncate64, 3 },
	[194] = { "ftruncate64", sys_ftruncate64, 3 },
	[195] = { "stat64", sys_stat64, 2 },
	[196] = { "lstat64", sys_lstat64, 2 },
	[197] = { "fstat64", sys_fstat64, 2 },
	[198] = { "lchown32", sys_chown, 3 },
	[199] = { "getuid32", sys_getuid, 0 },
	[200] = { "getgid32", sys_getgid, 0 },
	[201] = { "geteuid32", sys_getuid, 0 },
	[202] = { "getegid32", sys_getgid, 0 },
	[205] = { "getgroups32", sys_getgroups, 2 },
	[207] = { "fchown32", sys_chown, 3 },
	[212] = { "chown32", sys_chown, 3 },
	[219] = { "madvise", sys_madvise, 3 },
	[220] = { "getdents64", sys_getdents64, 3 },
	[221] = { "fcntl64", sys_fcntl64, 3 },
	[224] = { "gettid", sys_gettid, 0 },
	[238] = { "tkill", sys_tkill, 2 },
	[239] = { "sendfile64", sys_sendfile, 4 },
	[240] = { "futex", sys_futex, 6 },
	[243] = { "set_thread_area", sys_set_thread_area, 1 },
	[244] = { "get_thread_area", sys_get_thread_area, 1 },
	[252] = { "exit_group", sys_exit_group, 1 },
	[258] = { "set_tid_address", sys_set_tid_address, 1 },
	[265] = { "clock_gettime", sys_clock_gettime, 2 },
	[266] = { "clock_getres", sys_clock_getres, 2 },
	[267] = { "clock_nanosleep", sys_clock_nanosleep, 4 },
	[268] = { "statfs64", sys_statfs64, 3 },
	[269] = { "fstatfs64", sys_fstatfs64, 3 },
	[270] = { "tgkill", sys_tgkill, 3 },
	[271] = { "utimes", sys_zero, 2 },
	[295] = { "openat", sys_openat, 4 },
	[296] = { "mkdirat", sys_mkdirat, 3 },
	[298] = { "fchownat", sys_chown, 5 },
	[300] = { "fstatat64", sys_fstatat64, 4 },
	[301] = { "unlinkat", sys_unlinkat, 3 },
	[302] = { "renameat", sys_renameat, 4 },
	[305] = { "readlinkat", sys_readlinkat, 4 },
	[306] = { "fchmodat", sys_fchmodat, 3 },
	[307] = { "faccessat", sys_faccessat, 3 },
	[308] = { "pselect6", sys_pselect6, 6 },
	[309] = { "ppoll", sys_ppoll, 5 },
	[311] = { "set_robust_list", sys_set_robust_list, 2 },
	[320] = { "utimensat", sys_utimensat, 4 },
	[330] = { "dup3", sys_dup3, 3 },
	[331] = { "pipe2", sys_pipe2, 2 },
	[340] = { "prlimit64", sys_prlimit64, 4 },
	[353] = { "renameat2", sys_renameat2, 5 },
	[355] = { "getrandom", sys_getrandom, 3 },
	[383] = { "statx", sys_statx, 5 },
	[403] = { "clock_gettime64", sys_clock_gettime64, 2 },
	[406] = { "clock_getres_time64", sys_clock_getres64, 2 },
	[407] = { "clock_nanosleep_time64", sys_clock_nanosleep64, 4 },
	[412] = { "utimensat_time64", sys_utimensat, 4 },
	[413] = { "pselect6_time64", sys_pselect6, 6 },
	[414] = { "ppoll_time64", sys_ppoll, 5 },
	[422] = { "futex_time64", sys_futex64, 6 },
	[439] = { "faccessat2", sys_faccessat, 4 },
};

/* The extension calls, from VX_SYS_BASE (include/vxguest.h). */
static const Syscall xtab[] = {
	[VX_SYS_BIND - VX_SYS_BASE] = { "vx_bind", sys_xbind, 3 },
	[VX_SYS_MOUNT - VX_SYS_BASE] = { "vx_mount", sys_xmount, 5 },
	[VX_SYS_UNMOUNT - VX_SYS_BASE] = { "vx_unmount", sys_xunmount, 2 },
	[VX_SYS_ERRSTR - VX_SYS_BASE] = { "vx_errstr", sys_xerrstr, 2 },
	[VX_SYS_DIAL - VX_SYS_BASE] = { "vx_dial", sys_xdial, 1 },
};

static const Syscall *
lookup(uint32_t nr)
{
	static const Syscall none;

	if(nr < NSYSCALL && systab[nr].fn != NULL)
		return &systab[nr];
	if(nr >= VX_SYS_BASE && nr - VX_SYS_BASE < sizeof xtab / sizeof xtab[0])
		return &xtab[nr - VX_SYS_BASE];
	return &none;
}

const char *
lxname(uint32_t nr)
{
	return lookup(nr)->name;
}

/* A string argument for the trace, quoted and cut short. */
static int
strarg(Lthread *t, char *buf, int n, uint32_t addr)
{
	char *s;

	s = gstr(t, addr);
	if(s == NULL)
		return snprintf(buf, n, "%#x", addr);
	return snprintf(buf, n, "\"%.40s%s\"", s, strlen(s) > 40 ? "..." : "");
}

/* Calls whose first argument (or second, for *at) is a path. */
static int
patharg(uint32_t nr)
{
	switch(nr){
	case 5: case 8: case 10: case 11: case 12: case 15: case 33: case 38:
	case 39: case 40: case 85: case 106: case 107: case 195: case 196:
		return 0;
	case 295: case 296: case 300: case 301: case 302: case 305: case 306:
	case 307: case 383: case 439:
		return 1;
	case VX_SYS_DIAL:
		return 0;
	}
	return -1;
}

static void
trace(Lthread *t, uint32_t nr, const Syscall *s, uint32_t *a, long r, int before)
{
	char args[256];
	int i, n, len, pa;

	len = 0;
	args[0] = 0;
	n = s->name != NULL ? s->nargs : 6;
	pa = patharg(nr);
	for(i = 0; i < n && len < (int)sizeof args - 1; i++){
		len += snprintf(args + len, sizeof args - len, "%s", i ? ", " : "");
		if(i == pa && len < (int)sizeof args - 1)
			len += strarg(t, args + len, sizeof args - len, a[i]);
		else if(len < (int)sizeof args - 1)
			len += snprintf(args + len, sizeof args - len, "%#x", a[i]);
	}
	if(s->name != NULL)
		fprintf(stderr, "[%d] %s(%s)", t->tid, s->name, args);
	else
		fprintf(stderr, "[%d] syscall_%u(%s)", t->tid, nr, args);
	if(before)
		fprintf(stderr, " ...\n");
	else if(r == NORET)
		fprintf(stderr, " = ?\n");
	else if(r == -LERESTART)
		fprintf(stderr, " = ? (interrupted)\n");
	else if((uint32_t)r >= (uint32_t)-4095)
		fprintf(stderr, " = -1 %s (%s)\n", strerrorname_np(-(int32_t)r), strerror(-(int32_t)r));
	else
		fprintf(stderr, " = %#lx\n", (unsigned long)(uint32_t)r);
}

/* Calls that may not return, or block: traced before they run too. */
static int
tracebefore(uint32_t nr)
{
	return nr == 1 || nr == 252 || nr == 11 || nr == 114 || nr == 7 || nr == 240 || nr == 422;
}

/* Remember the failure for vx_errstr: the kernel's words if they are
 * what the errno came from, else the errno's. */
static void
seterr(Lthread *t, int err)
{
	char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	if(buf[0] != 0 && errnoof(buf) == err)
		snprintf(t->lasterr, sizeof t->lasterr, "%s", buf);
	else
		snprintf(t->lasterr, sizeof t->lasterr, "%s", strerror(err));
}

long
lxdispatch(Lthread *t, uint32_t nr, uint32_t *a)
{
	const Syscall *s;
	long r;

	s = lookup(nr);
	if(conf.trace && tracebefore(nr))
		trace(t, nr, s, a, 0, 1);
	r = s->fn != NULL ? s->fn(t, a) : -ENOSYS;
	if(r < 0 && r > -4096)
		seterr(t, -r);
	if(conf.trace)
		trace(t, nr, s, a, r, 0);
	return r;
}
