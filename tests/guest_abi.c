/*
 * guest_abi.c — what Linux programs check of the system that vxinferno
 * once answered otherwise: the device numbers of /dev/null and its kin,
 * and whether stdin is /dev/null (rdev); the flags F_GETFL reports of
 * files opened with each flag, of pipes, sockets, epoll and eventfd, and
 * after dup, fork and F_SETFL (getfl); statx's mask and birth time
 * (statx); the sender in the siginfo of rt_sigtimedwait and of a
 * SA_SIGINFO handler (siginfo); getlogin's error where no login uid is
 * set, setpgid of a child before and after its execve (misc); the
 * faults of sgdt, smsw, str, lsl, verr, lldt, ltr, lmsw, lgdt (sysfault);
 * the word above AT_EXECFN's string at the stack's top (stacktop);
 * the register forms of sgdt and sidt, 0f 01 c0-cf (sysud); set_thread_area
 * with every flag byte, get_thread_area, lar and lsl of the slot (tlsall).  Its output must be the same
 * natively and under vxinferno (tests/vxinferno_abi.t).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>

/* --- rdev ---------------------------------------------------------------- */

/* The numbers by stat, the old i386 stat and statx: they must agree. */
static void
devnums(const char *path)
{
	struct statx sx;
	struct stat st;
	struct { uint32_t dev, ino; uint16_t mode, nlink, uid, gid; uint32_t rdev; char rest[44]; } ost;

	if(stat(path, &st) < 0){
		printf("%s: %s\n", path, strerror(errno));
		return;
	}
	printf("%s: char %d rdev %u:%u", path, S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
	if(syscall(SYS_stat, path, &ost) == 0)
		printf(", struct stat's %u:%u", major(ost.rdev), minor(ost.rdev));
	if(statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx) == 0)
		printf(", statx's %u:%u", sx.stx_rdev_major, sx.stx_rdev_minor);
	printf("\n");
}

/* Is fd /dev/null?  The test programs make: the same device numbers. */
static int
isdevnull(int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) &&
		a.st_rdev == b.st_rdev && a.st_rdev == makedev(1, 3);
}

static void
rdev(void)
{
	static const char *devs[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty" };
	unsigned i;
	int fd;

	for(i = 0; i < sizeof devs / sizeof devs[0]; i++)
		devnums(devs[i]);
	fd = open("/dev/null", O_RDWR);
	printf("an open /dev/null is /dev/null: %d\n", isdevnull(fd));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	printf("/dev/zero is not: %d\n", !isdevnull(fd));
	close(fd);
	printf("stdin is /dev/null: %d\n", isdevnull(0));
	printf("stdout is /dev/null: %d\n", isdevnull(1));
	printf("a read of stdin: %zd\n", read(0, &fd, 1));
}

/* --- getfl --------------------------------------------------------------- */

/* F_GETFL's flags by name.  O_LARGEFILE is left out: the reference,
 * qemu-i386 on a 64-bit kernel, always reports it (checked apart). */
static void
flagnames(const char *what, int fd)
{
	static const struct { int bit; const char *name; } fl[] = {
		{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" }, { O_DSYNC, "O_DSYNC" },
		{ O_ASYNC, "O_ASYNC" }, { O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
		{ O_NOATIME, "O_NOATIME" }, { 04000000, "__O_SYNC" }, { O_PATH, "O_PATH" },
		{ O_CLOEXEC, "O_CLOEXEC" }, { O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" },
		{ O_TRUNC, "O_TRUNC" }, { O_NOCTTY, "O_NOCTTY" },
	};
	static const char *acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "3" };
	unsigned i;
	int f, rest;

	f = fcntl(fd, F_GETFL);
	if(f < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	f &= ~O_LARGEFILE;
	printf("%s: %s", what, acc[f & O_ACCMODE]);
	rest = f & ~O_ACCMODE;
	for(i = 0; i < sizeof fl / sizeof fl[0]; i++)
		if(rest & fl[i].bit){
			printf(" %s", fl[i].name);
			rest &= ~fl[i].bit;
		}
	if(rest)
		printf(" %#o", rest);
	printf("\n");
}

static void
openfl(const char *what, const char *path, int flags)
{
	int fd;

	fd = open(path, flags, 0644);
	if(fd < 0){
		printf("%s: open: %s\n", what, strerror(errno));
		return;
	}
	flagnames(what, fd);
	close(fd);
}

static void
getfl(void)
{
	int fd, fd2, p[2];
	pid_t pid;

	openfl("O_RDONLY", "gf", O_RDONLY | O_CREAT);
	openfl("O_WRONLY|O_CREAT|O_TRUNC|O_EXCL", "gf2", O_WRONLY | O_CREAT | O_TRUNC | O_EXCL);
	openfl("O_RDWR|O_APPEND|O_CLOEXEC|O_NOCTTY", "gf", O_RDWR | O_APPEND | O_CLOEXEC | O_NOCTTY);
	openfl("O_RDONLY|O_NONBLOCK", "gf", O_RDONLY | O_NONBLOCK);
	openfl("O_DIRECTORY", ".", O_RDONLY | O_DIRECTORY);
	openfl("a directory without O_DIRECTORY", ".", O_RDONLY);
	openfl("O_NOFOLLOW", "gf", O_RDONLY | O_NOFOLLOW);
	openfl("O_NOATIME", "gf", O_RDONLY | O_NOATIME);
	openfl("O_SYNC", "gf", O_WRONLY | O_SYNC);
	openfl("O_DSYNC", "gf", O_WRONLY | O_DSYNC);
	openfl("O_ASYNC", "gf", O_RDONLY | O_ASYNC);
	openfl("O_PATH|O_DIRECTORY|O_NOFOLLOW|O_NONBLOCK|O_APPEND", ".", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_APPEND);
	openfl("O_PATH|O_RDWR", "gf", O_PATH | O_RDWR);
	openfl("a bit that is no flag (0x40000000)", "gf", O_RDONLY | 0x40000000);
	fd = open(".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	fd2 = dup(fd);
	flagnames("a dup of O_DIRECTORY|O_NOFOLLOW", fd2);
	close(fd2);
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		flagnames("in a forked child", fd);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK | O_NOATIME | O_SYNC | O_CREAT | O_TRUNC);
	flagnames("after F_SETFL O_NONBLOCK|O_NOATIME|O_SYNC|O_CREAT|O_TRUNC", fd);
	fcntl(fd, F_SETFL, 0);
	flagnames("after F_SETFL 0", fd);
	close(fd);
	if(pipe2(p, O_NONBLOCK) == 0){
		flagnames("pipe2 O_NONBLOCK, read end", p[0]);
		flagnames("pipe2 O_NONBLOCK, write end", p[1]);
		close(p[0]);
		close(p[1]);
	}
	if(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p) == 0){
		flagnames("socketpair SOCK_NONBLOCK", p[0]);
		close(p[0]);
		close(p[1]);
	}
	fd = epoll_create1(EPOLL_CLOEXEC);
	flagnames("epoll_create1", fd);
	close(fd);
	fd = eventfd(0, EFD_NONBLOCK);
	flagnames("eventfd EFD_NONBLOCK", fd);
	close(fd);
	unlink("gf");
	unlink("gf2");
}

/* O_LARGEFILE is kept as the program passed it, as a 32-bit Linux
 * kernel's and a 64-bit one's compat open do (qemu always sets it:
 * run on the sandbox alone). */
static void
largefile(void)
{
	int a, b;

	a = open("lf", O_RDWR | O_CREAT, 0644);
	b = open("lf", O_RDWR | O_LARGEFILE);
	printf("O_LARGEFILE without it: %d, with it: %d\n",
		(fcntl(a, F_GETFL) & O_LARGEFILE) != 0, (fcntl(b, F_GETFL) & O_LARGEFILE) != 0);
	unlink("lf");
}

/* --- statx --------------------------------------------------------------- */

static void
sx(const char *what, int dirfd, const char *path, int flags, unsigned mask)
{
	struct statx x;

	memset(&x, 0xa5, sizeof x);
	if(statx(dirfd, path, flags, mask, &x) < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	/* the bits of the fields vxinferno fills: not STATX_MNT_ID and later */
	printf("%s: mask %#x", what, x.stx_mask & (STATX_BASIC_STATS | STATX_BTIME));
	if(x.stx_mask & STATX_BTIME)
		printf(" btime %lld.%09u", (long long)x.stx_btime.tv_sec, x.stx_btime.tv_nsec);
	printf(" size %llu mode %o\n", (unsigned long long)x.stx_size, x.stx_mode);
}

/* statx of a file the test made on the host (a #U file to the guest):
 * the host's mask and birth time, asked for or not, by path and by fd */
static void
statxmode(const char *path)
{
	int fd, fds[2];

	sx("basic stats asked", AT_FDCWD, path, 0, STATX_BASIC_STATS);
	sx("basic stats and btime asked", AT_FDCWD, path, 0, STATX_BASIC_STATS | STATX_BTIME);
	sx("STATX_ALL", AT_FDCWD, path, 0, STATX_ALL);
	sx("the size alone asked", AT_FDCWD, path, 0, STATX_SIZE);
	sx("nothing asked", AT_FDCWD, path, 0, 0);
	/* coreutils' stat and ls: through lstat's path */
	sx("AT_SYMLINK_NOFOLLOW, btime asked", AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME);
	fd = open(path, O_RDONLY);
	sx("by fd (AT_EMPTY_PATH), btime asked", fd, "", AT_EMPTY_PATH, STATX_BTIME);
	close(fd);
	sx("its directory, btime asked", AT_FDCWD, "tmp", 0, STATX_BASIC_STATS | STATX_BTIME);
	if(pipe(fds) == 0){
		sx("a pipe, btime asked", fds[0], "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME);
		close(fds[0]);
		close(fds[1]);
	}
}

/* a kernel device's file (vxinferno alone: Linux's /dev is a tmpfs) */
static void
statxdev(void)
{
	sx("/dev/null", AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS | STATX_BTIME);
	sx("/proc/self/stat", AT_FDCWD, "/proc/self/stat", 0, STATX_BASIC_STATS | STATX_BTIME);
}

/* --- siginfo ------------------------------------------------------------- */

static const char *
codename(int code)
{
	switch(code){
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_DUMPED: return "CLD_DUMPED";
	}
	return "?";
}

/* A siginfo told without the numbers that differ from run to run:
 * the pid as whose it is.  What the kernel sends itself (SI_KERNEL)
 * carries uid 0 whoever we are: told as 0, not as whether it is ours,
 * which depends on the run (as root or not; a reference run by a user
 * not root is root in a user namespace of its own). */
static void
whosent(const char *what, int r, siginfo_t *si, pid_t other)
{
	const char *uid;

	if(r < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	if(si->si_code == SI_KERNEL)
		uid = si->si_uid == 0 ? "0" : "not 0";
	else
		uid = si->si_uid == getuid() ? "ours" : "another";
	printf("%s: %s code %s pid %s uid %s", what, strsignal(si->si_signo), codename(si->si_code),
		si->si_pid == getpid() ? "ours" : si->si_pid == other && other != 0 ? "the child's" : si->si_pid == 0 ? "0" : "another",
		uid);
	if(si->si_code == CLD_EXITED || si->si_code == CLD_KILLED)
		printf(" status %d", si->si_status);
	printf("\n");
}

static siginfo_t handled;
static volatile sig_atomic_t nhandled;

static void
onsig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	handled = *si;
	nhandled++;
}

static void
siginfo(void)
{
	struct timespec ts = { 5, 0 };
	struct sigaction sa;
	siginfo_t si;
	sigset_t set;
	pid_t pid;
	int r;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	r = sigtimedwait(&set, &si, &ts);
	whosent("kill of our own", r, &si, 0);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	r = sigtimedwait(&set, &si, &ts);
	whosent("tgkill of our own thread", r, &si, 0);
	syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR2);
	r = sigwaitinfo(&set, &si);
	whosent("tkill", r, &si, 0);
	/* glibc's sigtimedwait and sigwaitinfo fold SI_TKILL into SI_USER: the call itself */
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	r = syscall(SYS_rt_sigtimedwait, &set, &si, &ts, 8);
	whosent("tgkill, rt_sigtimedwait by number", r, &si, 0);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	r = sigtimedwait(&set, &si, &ts);
	whosent("two kills, one taken", r, &si, 0);
	ts.tv_sec = 0;
	r = sigtimedwait(&set, &si, &ts);
	printf("  and no second: %s\n", r < 0 ? strerror(errno) : "one");
	ts.tv_sec = 5;
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		kill(getppid(), SIGUSR1);
		_exit(3);
	}
	r = sigtimedwait(&set, &si, &ts);
	whosent("kill from a child", r, &si, pid);
	r = sigtimedwait(&set, &si, &ts);
	whosent("its exit", r, &si, pid);
	waitpid(pid, NULL, 0);
	pid = fork();
	if(pid == 0){
		for(;;)
			pause();
	}
	kill(pid, SIGTERM);
	r = sigtimedwait(&set, &si, &ts);
	whosent("a child killed by SIGTERM", r, &si, pid);
	waitpid(pid, NULL, 0);

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onsig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	whosent("a SA_SIGINFO handler, kill", nhandled == 1 ? 0 : -1, &handled, 0);
	raise(SIGUSR1);
	whosent("a SA_SIGINFO handler, raise", nhandled == 2 ? 0 : -1, &handled, 0);
	alarm(1);
	sigaction(SIGALRM, &sa, NULL);
	while(nhandled < 3)
		pause();
	whosent("a SA_SIGINFO handler, alarm", 0, &handled, 0);
}

/* --- misc ---------------------------------------------------------------- */

/* A child that waits, having made an execve or not: its pid once it
 * has (-1 when its execve failed). */
static pid_t
waitingchild(int exec)
{
	int p[2];
	pid_t pid;
	char c;

	if(pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if(pid == 0){
		close(p[0]);
		if(exec)
			execl("/proc/self/exe", "guest_abi", "pause", (char*)NULL);
		write(p[1], "x", 1);	/* not made, or not asked for */
		if(exec)
			_exit(1);
		for(;;)
			pause();
	}
	close(p[1]);
	/* end of file: the execve closed it */
	if(read(p[0], &c, 1) == 1 && exec){
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

static void
misc(void)
{
	char buf[64];
	pid_t pid;
	char *s;
	int r;

	errno = 0;
	s = getlogin();
	printf("getlogin: %s\n", s != NULL ? "a name" : strerror(errno));
	r = getlogin_r(buf, sizeof buf);
	printf("getlogin_r: %s\n", r == 0 ? "a name" : strerror(r));
	pid = waitingchild(0);
	printf("setpgid of a child before its execve: %s", setpgid(pid, pid) < 0 ? strerror(errno) : "ok");
	printf(", its group its own: %d\n", getpgid(pid) == pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* setpgid of a child after its execve (qemu-i386 cannot exec an i386
 * program on a host without binfmt_misc: the sandbox alone) */
static void
execpgid(void)
{
	pid_t pid;

	pid = waitingchild(1);
	if(pid < 0){
		printf("the child's execve failed\n");
		return;
	}
	printf("setpgid of a child after its execve: %s", setpgid(pid, pid) < 0 ? strerror(errno) : "ok");
	printf(", its group ours: %d\n", getpgid(pid) == getpgrp());
	printf("  into our own group: %s\n", setpgid(pid, getpgrp()) < 0 ? strerror(errno) : "ok");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* --- mntid: statx's STATX_MNT_ID names the line of /proc/self/mountinfo
 * of the mount a file is under: the one at the longest mount point
 * holding its path, the last listed of those at one point. */

/* Mountinfo's mount point for id, and the one that holds path; "?" for none. */
static void
mountsof(uint64_t id, const char *path, char *byid, char *bypath, size_t n)
{
	char line[512], at[256];
	unsigned long long mid;
	size_t best = 0, k;
	FILE *f;

	snprintf(byid, n, "?");
	snprintf(bypath, n, "?");
	f = fopen("/proc/self/mountinfo", "r");
	if(f == NULL)
		return;
	while(fgets(line, sizeof line, f) != NULL){
		if(sscanf(line, "%llu %*u %*s %*s %255s", &mid, at) != 2)
			continue;
		if(mid == id)
			snprintf(byid, n, "%s", at);
		k = strcmp(at, "/") == 0 ? 0 : strlen(at);
		if((k == 0 || (strncmp(at, path, k) == 0 && (path[k] == 0 || path[k] == '/'))) && k + 1 >= best){
			best = k + 1;
			snprintf(bypath, n, "%s", at);
		}
	}
	fclose(f);
}

static void
mntid1(const char *what, int dirfd, const char *path, int flags, const char *abs)
{
	struct statx x;
	char byid[256], bypath[256];

	memset(&x, 0, sizeof x);
	if(statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_MNT_ID, &x) < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	mountsof(x.stx_mnt_id, abs, byid, bypath, sizeof byid);
	printf("%s: mask %s, mount %s, holds it %s: %s\n", what, x.stx_mask & STATX_MNT_ID ? "has STATX_MNT_ID" : "lacks it",
		byid, bypath, strcmp(byid, bypath) == 0 ? "the same" : "another");
}

static void
mntids(void)
{
	int fd;

	mntid1("/", AT_FDCWD, "/", 0, "/");
	mntid1("/tmp", AT_FDCWD, "/tmp", 0, "/tmp");
	mntid1("/dev/null", AT_FDCWD, "/dev/null", 0, "/dev/null");
	mntid1("/dev/shm", AT_FDCWD, "/dev/shm", 0, "/dev/shm");
	mntid1("/proc/self/stat", AT_FDCWD, "/proc/self/stat", 0, "/proc/self/stat");
	if(chdir("/dev") == 0)
		mntid1("null, from /dev", AT_FDCWD, "null", 0, "/dev/null");
	mntid1("../tmp/., from /dev", AT_FDCWD, "../tmp/.", 0, "/tmp");
	fd = open("/dev", O_RDONLY | O_DIRECTORY);
	mntid1("an fd of /dev (AT_EMPTY_PATH)", fd, "", AT_EMPTY_PATH, "/dev");
	mntid1("shm in an fd of /dev", fd, "shm", 0, "/dev/shm");
	close(fd);
}

/* --- sysfault: the system instructions' faults ----------------------- */

static sigjmp_buf sysjb;
static volatile int syssig, syscode;
static void *volatile sysaddr;

static void
sysfaulted(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	syssig = sig;
	syscode = si->si_code;
	sysaddr = si->si_addr;
	siglongjmp(sysjb, 1);
}

/* SIGSEGV and SIGILL to sysfaulted, which jumps back to sysjb */
static void
catchfaults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = sysfaulted;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
}

/* How each faulting form ends: SIGSEGV with SEGV_MAPERR and the
 * operand's address for a store to (sgdt, smsw, str) or a selector
 * read from (lsl, verr) an unmapped page, SI_KERNEL for the loads
 * (lldt, ltr, lmsw, lgdt: #GP in user mode) */
static void
sysfault(void)
{
	char *p, *hole;
	uint16_t sel = 0;
	int i;

	catchfaults();
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED)
		return;
	hole = p + 4096;
	munmap(hole, 4096);
	for(i = 0; i < 9; i++){
		static const char *name[] = { "sgdt", "smsw", "str", "lsl", "verr", "lldt", "ltr", "lmsw", "lgdt" };
		syssig = 0;
		if(sigsetjmp(sysjb, 1) == 0)
			switch(i){
			case 0: __asm__ volatile("sgdt (%0)" :: "r"(hole) : "memory"); break;
			case 1: __asm__ volatile("smsw (%0)" :: "r"(hole) : "memory"); break;
			case 2: __asm__ volatile("str (%0)" :: "r"(hole) : "memory"); break;
			case 3: __asm__ volatile("lsl (%0), %%eax" :: "r"(hole) : "eax", "cc"); break;
			case 4: __asm__ volatile("verr (%0)" :: "r"(hole) : "cc"); break;
			case 5: __asm__ volatile("lldt %w0" :: "r"(sel)); break;
			case 6: __asm__ volatile("ltr %w0" :: "r"(sel)); break;
			case 7: __asm__ volatile("lmsw %w0" :: "r"(sel)); break;
			case 8: __asm__ volatile("lgdt (%0)" :: "r"(p)); break;
			}
		if(syssig == 0)
			printf("%s: ran\n", name[i]);
		else
			printf("%s: signal %d code %#x, at the operand: %d\n", name[i], syssig, syscode,
				sysaddr == (void *)hole ? 1 : sysaddr == NULL ? 0 : -1);
	}
	munmap(p, 4096);
}

/* --- stacktop ------------------------------------------------------------ */

/* Linux leaves a zero pointer above the strings at the stack's top (its
 * bprm->p starts a pointer below the end: 8 bytes on a 64-bit kernel); glibc 2.36's parser of
 * GLIBC_TUNABLES=glibc.cpu.hwcaps=... steps past the last environment
 * string into AT_EXECFN's and one past its NUL, which faulted where the
 * string ended the stack.  The bytes after the string, and how far the
 * [stack] mapping goes on past them. */
static void
stacktop(void)
{
	const char *fn = (const char *)getauxval(AT_EXECFN);
	unsigned long lo, hi, at;
	const unsigned char *after;
	char line[256];
	FILE *f;
	long top = -1;

	if(fn == NULL){
		printf("no AT_EXECFN\n");
		return;
	}
	after = (const unsigned char *)fn + strlen(fn) + 1;
	at = (unsigned long)after;
	f = fopen("/proc/self/maps", "r");
	while(f != NULL && fgets(line, sizeof line, f) != NULL)
		if(strstr(line, "[stack]") != NULL && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			top = at <= hi ? (long)(hi - at) : -1;
	if(f != NULL)
		fclose(f);
	printf("after AT_EXECFN: %u %u %u %u, %ld bytes to the stack's end\n", after[0], after[1], after[2], after[3], top);
}

/* sgdt and sidt have no register form: 0f 01 c0-cf are other
 * instructions (vmx's, monitor, mwait, clac, stac, encls), each #UD in
 * user mode on a CPU without them: SIGILL, ILL_ILLOPN at the
 * instruction.  Not c1 (vmcall): a hypervisor may answer it itself
 * (KVM on this host's guest: SIGSEGV). */
static void
sysud(void)
{
	uint8_t *code;
	int b;

	catchfaults();
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(code == MAP_FAILED)
		return;
	for(b = 0xc0; b <= 0xcf; b++){
		if(b == 0xc1)
			continue;
		memcpy(code, "\x0f\x01\x00\xc3", 4);	/* the instruction; ret */
		code[2] = b;
		syssig = 0;
		if(sigsetjmp(sysjb, 1) == 0)
			((void (*)(void))code)();
		if(syssig == 0)
			printf("0f 01 %02x: ran\n", b);
		else
			printf("0f 01 %02x: signal %d code %#x, at the instruction: %d\n", b, syssig, syscode,
				sysaddr == (void *)code);
	}
	munmap(code, 4096);
}

/*
 * 0f 01 d0-ff, the rest of the register forms of group 7: xgetbv,
 * xsetbv, vmfunc, xend, xtest, enclu, AMD's SVM (vmrun ... invlpga),
 * smsw and lmsw of a register, serialize, rdpkru, wrpkru, swapgs,
 * rdtscp, monitorx, mwaitx, clzero, rdpru, invlpgb, tlsync: each run
 * with eax a buffer's address (clzero's), ecx and edx 0 (xgetbv's and
 * rdpkru's index), and what it did printed: the signal and where, or
 * what it left in eax and edx where that is no clock (xgetbv, rdpkru,
 * smsw) and how much of the buffer it cleared.  What runs is the CPU's
 * and its hypervisor's: the reference is the run on the same CPU.
 */
static uint8_t ud2buf[256] __attribute__((aligned(64)));
static volatile uint32_t ud2eax, ud2edx;

static void
sysud2(void)
{
	uint8_t *code, *c;
	uint32_t a;
	int b, i, cleared;

	catchfaults();
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(code == MAP_FAILED)
		return;
	for(b = 0xd0; b <= 0xff; b++){
		if(b == 0xc1 + 0x18 || b == 0xe4){
			/* vmmcall: KVM answers it itself (as vmcall, sysud);
			 * smsw %esp: no stack to return on */
			continue;
		}
		c = code;
		*c++ = 0x60;	/* pusha: smsw and its kin write any register */
		*c++ = 0xb8;	/* mov $ud2buf+64, %eax */
		a = (uint32_t)(uintptr_t)(ud2buf + 64);
		memcpy(c, &a, 4);
		c += 4;
		memcpy(c, "\x31\xc9\x31\xd2\x0f\x01", 6);	/* xor %ecx,%ecx; xor %edx,%edx */
		c += 6;
		*c++ = b;
		*c++ = 0xa3;	/* mov %eax, ud2eax */
		a = (uint32_t)(uintptr_t)&ud2eax;
		memcpy(c, &a, 4);
		c += 4;
		*c++ = 0x89;	/* mov %edx, ud2edx */
		*c++ = 0x15;
		a = (uint32_t)(uintptr_t)&ud2edx;
		memcpy(c, &a, 4);
		c += 4;
		*c++ = 0x61;	/* popa */
		*c = 0xc3;
		memset(ud2buf, 0xff, sizeof ud2buf);
		ud2eax = ud2edx = 0x5a5a5a5a;
		syssig = 0;
		if(sigsetjmp(sysjb, 1) == 0)
			((void (*)(void))code)();
		for(cleared = 0, i = 0; i < (int)sizeof ud2buf; i++)
			cleared += ud2buf[i] == 0;
		if(syssig != 0)
			printf("0f 01 %02x: signal %d code %#x, at the instruction: %d", b, syssig, syscode,
				sysaddr == (void *)(code + 10));
		else if(b == 0xd0)	/* XCR0: the states the sandbox's cpuid offers */
			printf("0f 01 %02x: ran, x87 and SSE enabled %d, edx %#x", b, (ud2eax & 3) == 3, ud2edx);
		else if(b == 0xee || (b >= 0xe0 && b <= 0xe7))
			printf("0f 01 %02x: ran, eax %#x edx %#x", b, ud2eax, ud2edx);
		else
			printf("0f 01 %02x: ran", b);
		printf(", %d bytes cleared\n", cleared);
	}
	munmap(code, 4096);
}

/*
 * clzeromem: clzero's guest-supplied address (session 24's red team):
 * the 64-byte line of an unaligned address, the last line of a page, a
 * read-only page (SIGSEGV, its bytes kept), an unmapped one, the last
 * line below 4 GiB, null; the fault's address from the line's start;
 * and clzero over translated code: the zeroed line runs as zeros
 * (add %al,(%eax) with %al 0: no change) into the next one's
 * "mov $2, %eax; ret" (a stale translation would say 1).  monitorx and
 * mwaitx are left out: KVM takes them as no-ops, faults and all.
 */
static void
clzat(const char *what, uint32_t a)
{
	syssig = 0;
	if(sigsetjmp(sysjb, 1) == 0)
		__asm__ volatile(".byte 0x0f, 0x01, 0xfc" : : "a"(a) : "memory");
	printf("%s: signal %d, at the line's start %d\n", what, syssig,
		syssig != 0 && (uint32_t)(uintptr_t)sysaddr == (a & ~63u));
}

static void
clzeromem(void)
{
	uint8_t *p, *code, *line, *q;
	uint32_t a;
	int i, z;

	catchfaults();
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED || code == MAP_FAILED)
		return;
	memset(p, 0xff, 3 * 4096);
	clzat("unaligned", (uint32_t)(uintptr_t)(p + 100));
	for(z = 0, i = 0; i < 4096; i++)
		z += p[i] == 0;
	printf("  zeros %d from %d\n", z, (int)((uint8_t *)memchr(p, 0, 4096) - p));
	clzat("last line of a page", (uint32_t)(uintptr_t)(p + 4095));
	printf("  its last byte %d, the next page's first %d\n", p[4095], p[4096]);
	mprotect(p + 4096, 4096, PROT_READ);
	clzat("read-only page", (uint32_t)(uintptr_t)(p + 4096 + 8));
	printf("  kept %d\n", p[4096] == 0xff && p[4096 + 63] == 0xff);
	munmap(p + 8192, 4096);
	clzat("unmapped page", (uint32_t)(uintptr_t)(p + 8192 + 70));
	clzat("last line below 4 GiB", 0xffffffffu);
	clzat("null", 0);
	memset(code, 0x90, 4096);
	line = code + 0x100;	/* %al 0 */
	q = code + 0xf0;	/* mov $line, %eax; clzero; nops into line */
	memcpy(line, "\xb8\x01\x00\x00\x00\xc3", 6);
	memcpy(line + 64, "\xb8\x02\x00\x00\x00\xc3", 6);
	a = (uint32_t)(uintptr_t)line;
	q[0] = 0xb8;
	memcpy(q + 1, &a, 4);
	memcpy(q + 5, "\x0f\x01\xfc", 3);
	printf("the line, twice: %d %d\n", ((int (*)(void))line)(), ((int (*)(void))line)());
	printf("clzero of it, then it: %d\n", ((int (*)(void))q)());
	munmap(code, 4096);
	munmap(p, 8192);
}

/*
 * tlsclearmt: set_thread_area's clearing form (LDT_empty) where another
 * holder of the slot is: a thread's clear empties its own slot only (the
 * main thread's %fs still reads through it), a forked child's too, a
 * signal handler's empties the interrupted code's slot and its %fs is 0
 * after sigreturn, as Linux's (red team, session 24: found nothing).
 */
static int tlsmtentry;
static uint32_t tlsmtdata[2] = { 0x11111111, 0x22222222 };

static long
tlsmtset(int e, unsigned flags, uint32_t base, uint32_t limit)
{
	unsigned d[4] = { (unsigned)e, base, limit, flags };
	long r;

	r = syscall(SYS_set_thread_area, d);
	if(r == 0)
		tlsmtentry = d[0];
	return r;
}

static int
tlsmtpresent(void)
{
	unsigned d[4] = { (unsigned)tlsmtentry, 0, 0, 0 };

	syscall(SYS_get_thread_area, d);
	return !(d[3] & 0x20) && d[1] != 0;
}

static unsigned
tlsmtfs(void)
{
	unsigned v;

	__asm__ volatile("mov %%fs, %0" : "=r"(v));
	return v & 0xffff;
}

static uint32_t
tlsmtread(void)
{
	uint32_t v;

	__asm__ volatile("movl %%fs:4, %0" : "=r"(v));
	return v;
}

static void *
tlsmtthread(void *a)
{
	int before;
	long r;

	(void)a;
	before = tlsmtpresent();
	r = tlsmtset(tlsmtentry, 0x28, 0, 0);
	printf("thread: present %d, clear %ld, present %d\n", before, r, tlsmtpresent());
	return NULL;
}

static void
tlsmthandler(int sig)
{
	(void)sig;
	tlsmtset(tlsmtentry, 0x28, 0, 0);
}

static void
tlsclearmt(void)
{
	pthread_t th;
	unsigned sel;
	pid_t pid;
	int st;

	if(tlsmtset(-1, 0x51, (uint32_t)(uintptr_t)tlsmtdata, 0xfffff) < 0){
		printf("set_thread_area: %s\n", strerror(errno));
		return;
	}
	sel = tlsmtentry * 8 + 3;
	__asm__ volatile("mov %0, %%fs" : : "r"(sel));
	printf("main: %%fs the slot %d, reads %#x\n", tlsmtfs() == sel, tlsmtread());
	pthread_create(&th, NULL, tlsmtthread, NULL);
	pthread_join(th, NULL);
	printf("main after the thread's clear: present %d, %%fs kept %d, reads %#x\n", tlsmtpresent(), tlsmtfs() == sel, tlsmtread());
	if((pid = fork()) == 0){
		printf("child: %%fs kept %d, reads %#x\n", tlsmtfs() == sel, tlsmtread());
		printf("child: clear %ld", tlsmtset(tlsmtentry, 0x28, 0, 0));
		printf(", %%fs %#x\n", tlsmtfs());
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child's status %#x\n", st);
	printf("parent after the child's clear: present %d, %%fs kept %d, reads %#x\n", tlsmtpresent(), tlsmtfs() == sel, tlsmtread());
	signal(SIGUSR1, tlsmthandler);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_DFL);
	printf("after a handler's clear: present %d, %%fs %#x\n", tlsmtpresent(), tlsmtfs());
	__asm__ volatile("mov %0, %%fs" : : "r"(0));
}

/*
 * tlsempty: set_thread_area's clearing forms, Linux's LDT_empty (base
 * and limit 0, read_exec_only and seg_not_present, nothing else) and
 * the descriptor of zeros: the slot is emptied (get_thread_area reads
 * it as read_exec_only and seg_not_present, lar fails, %fs holding it
 * becomes 0) and set_thread_area(-1) finds it free again; forms near
 * them that are not empty are refused; a slot never set reads empty.
 */
static unsigned tlsprobe(int lsl, unsigned sel, int *valid);

static void
tlsshow(const char *what, unsigned e, unsigned base, unsigned limit, unsigned flags)
{
	unsigned d[4], g[4];
	unsigned short fs;
	int va;
	long r;

	d[0] = e;
	d[1] = base;
	d[2] = limit;
	d[3] = flags;
	errno = 0;
	r = syscall(SYS_set_thread_area, d);
	memset(g, 0, sizeof g);
	g[0] = e;
	syscall(SYS_get_thread_area, g);
	tlsprobe(0, e << 3 | 3, &va);
	__asm__ volatile("mov %%fs, %0" : "=r"(fs));
	printf("%s: %ld %s; get base %x limit %x flags %x, lar %d, fs %#x\n", what, r, r < 0 ? strerror(errno) : "",
		g[1], g[2], g[3], va, fs);
}

static void
tlsempty(void)
{
	static const unsigned near[] = { 0x20, 0x08, 0x68, 0x29, 0x2c, 0x38, 0xa8, 0x80, 0x128 };
	unsigned d[4], e, sel;
	char what[64];
	long r;
	int i;

	d[0] = -1;
	d[1] = 0x1000;
	d[2] = 0xfff;
	d[3] = 0x51;
	r = syscall(SYS_set_thread_area, d);
	e = d[0];
	printf("set -1: %ld, entry %u\n", r, e);
	sel = e << 3 | 3;
	__asm__ volatile("mov %0, %%fs" : : "r"(sel));
	tlsshow("cleared by LDT_empty's form", e, 0, 0, 0x28);
	d[0] = -1;
	d[1] = 0x2000;
	d[2] = 0xfff;
	d[3] = 0x51;
	r = syscall(SYS_set_thread_area, d);
	printf("set -1 again: %ld, the same entry %d\n", r, d[0] == e);
	__asm__ volatile("mov %0, %%fs" : : "r"(sel));
	tlsshow("cleared by zeros", e, 0, 0, 0);
	for(i = 0; i < (int)(sizeof near / sizeof near[0]); i++){
		snprintf(what, sizeof what, "flags %#x, base and limit 0", near[i]);
		tlsshow(what, e, 0, 0, near[i]);
	}
	tlsshow("LDT_empty's flags, limit 1", e, 0, 1, 0x28);
	tlsshow("LDT_empty's flags, base 0x1000", e, 0x1000, 0, 0x28);
	tlsshow("LDT_empty's flags, limit 0x100000", e, 0, 0x100000, 0x28);
	d[0] = 14;
	d[1] = d[2] = d[3] = 0x77;
	r = syscall(SYS_get_thread_area, d);
	printf("get of a slot never set: %ld base %x limit %x flags %x\n", r, d[1], d[2], d[3]);
}

/* nosys: system calls vxrun does not serve: numbers i386 never had
 * (222, 251, 1000) and a named one (lookup_dcookie, 253); -t must name
 * each (issue 10) */
static void
nosys(void)
{
	static const long nrs[] = { 222, 251, 253, 1000 };
	unsigned i;
	long r;

	for(i = 0; i < sizeof nrs / sizeof nrs[0]; i++){
		r = syscall(nrs[i], 1, 2, 3);
		printf("%ld: %ld %s\n", nrs[i], r, r < 0 ? strerror(errno) : "");
	}
}

/* set_thread_area with every flag byte (seg_32bit, contents,
 * read_exec_only, limit_in_pages, seg_not_present, useable, lm) and
 * limits at the edges of 20 bits, in slot 14: what it answers, what
 * get_thread_area gives back, what lar and lsl see (session 23's red
 * team; vx_settlsdesc keeps the limit and flags).  Not the descriptor
 * of zeros, which Linux takes as "clear the slot" (tlsempty). */
static unsigned
tlsprobe(int lsl, unsigned sel, int *valid)
{
	unsigned r;
	uint8_t z;

	r = 0;
	if(lsl)
		__asm__ volatile("lsl %2, %0; setz %1" : "+r"(r), "=q"(z) : "r"(sel));
	else
		__asm__ volatile("lar %2, %0; setz %1" : "+r"(r), "=q"(z) : "r"(sel));
	*valid = z;
	return z ? r : 0;
}

static void
tlsall(void)
{
	static const unsigned limits[] = { 0, 1, 0xfff, 0xfffff, 0x100000, 0xffffffff };
	unsigned fl, li, d[4], g[4], a, l;
	int va, vl;
	long r;

	for(fl = 0; fl < 256; fl++)
		for(li = 0; li < 6; li++){
			if(fl == 0 && li == 0)
				continue;
			d[0] = 14;
			d[1] = 0x1000 * fl;
			d[2] = limits[li];
			d[3] = fl;
			errno = 0;
			r = syscall(SYS_set_thread_area, d);
			if(r < 0){
				printf("flags %02x limit %x: %s\n", fl, limits[li], strerror(errno));
				continue;
			}
			memset(g, 0, sizeof g);
			g[0] = 14;
			r = syscall(SYS_get_thread_area, g);
			a = tlsprobe(0, 14 << 3 | 3, &va);
			l = tlsprobe(1, 14 << 3 | 3, &vl);
			printf("flags %02x limit %x: get %ld base %x limit %x flags %x, lar %d %x, lsl %d %x\n",
				fl, limits[li], r, g[1], g[2], g[3], va, a, vl, l);
		}
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2){
		fprintf(stderr, "usage: guest_abi mode\n");
		return 2;
	}
	if(strcmp(argv[1], "rdev") == 0)
		rdev();
	else if(strcmp(argv[1], "getfl") == 0)
		getfl();
	else if(strcmp(argv[1], "largefile") == 0)
		largefile();
	else if(strcmp(argv[1], "statx") == 0 && argc > 2)
		statxmode(argv[2]);
	else if(strcmp(argv[1], "mntid") == 0)
		mntids();
	else if(strcmp(argv[1], "statxdev") == 0)
		statxdev();
	else if(strcmp(argv[1], "siginfo") == 0)
		siginfo();
	else if(strcmp(argv[1], "misc") == 0)
		misc();
	else if(strcmp(argv[1], "execpgid") == 0)
		execpgid();
	else if(strcmp(argv[1], "sysfault") == 0)
		sysfault();
	else if(strcmp(argv[1], "stacktop") == 0)
		stacktop();
	else if(strcmp(argv[1], "sysud") == 0)
		sysud();
	else if(strcmp(argv[1], "sysud2") == 0)
		sysud2();
	else if(strcmp(argv[1], "clzeromem") == 0)
		clzeromem();
	else if(strcmp(argv[1], "tlsclearmt") == 0)
		tlsclearmt();
	else if(strcmp(argv[1], "tlsempty") == 0)
		tlsempty();
	else if(strcmp(argv[1], "nosys") == 0)
		nosys();
	else if(strcmp(argv[1], "tlsall") == 0)
		tlsall();
	else if(strcmp(argv[1], "pause") == 0)
		for(;;)
			pause();
	else{
		fprintf(stderr, "guest_abi: unknown mode %s\n", argv[1]);
		return 2;
	}
	return 0;
}
