/* guest_stressfix.c — the calls stress-ng's stressors found wrong or
 * missing (tests/vxinferno_stressfix.t), each printed so that the run on
 * the reference CPU and the guest run must print the same: the old
 * sigprocmask behind getcontext/swapcontext, lseek's errors and the
 * offsets of /dev/null, zero and full, an open at EMFILE that must not
 * create its file, a writable /dev/zero, sched_getscheduler after
 * sched_setscheduler, names deeper than 256 elements, EPOLLEXCLUSIVE's
 * rules, and the small calls (getcpu, readahead, syncfs, sgetmask, adjtimex's read).  Nothing
 * here may change the host when run natively as root: adjtimex only
 * reads, and only the policies anyone may choose are set. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static void
say(const char *what, long long r)
{
	if(r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %lld\n", what, r);
}

static ucontext_t mainctx, coctx;
static int steps;

static void
coroutine(void)
{
	steps++;
	swapcontext(&coctx, &mainctx);
	steps++;
}

/* getcontext and swapcontext save and set the signal mask through the
 * old sigprocmask; a coroutine runs and comes back, and the mask with
 * SIGUSR1 blocked in the coroutine's context is the one in force there */
static void
contexts(void)
{
	static char stack[64 * 1024];
	sigset_t s;

	if(getcontext(&coctx) < 0){
		say("getcontext", -1);
		return;
	}
	coctx.uc_stack.ss_sp = stack;
	coctx.uc_stack.ss_size = sizeof stack;
	coctx.uc_link = &mainctx;
	sigemptyset(&coctx.uc_sigmask);
	sigaddset(&coctx.uc_sigmask, SIGUSR1);
	makecontext(&coctx, coroutine, 0);
	say("swapcontext in", swapcontext(&mainctx, &coctx));
	sigprocmask(SIG_BLOCK, NULL, &s);
	printf("coroutine steps %d, SIGUSR1 blocked after it %d\n", steps, sigismember(&s, SIGUSR1));
	say("swapcontext again", swapcontext(&mainctx, &coctx));
	printf("coroutine steps %d\n", steps);
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
}

/* the old calls with a 32-bit set, made directly */
static void
oldmasks(void)
{
	unsigned long set, old;

	set = 1ul << (SIGUSR2 - 1);
	say("sigprocmask block", syscall(SYS_sigprocmask, SIG_BLOCK, &set, NULL));
	old = 0;
	say("sigprocmask get", syscall(SYS_sigprocmask, SIG_BLOCK, NULL, &old));
	printf("old set %#lx\n", old);
	say("sigprocmask bad how", syscall(SYS_sigprocmask, 7, &set, NULL));
	raise(SIGUSR2);
	old = 0;
	say("sigpending", syscall(SYS_sigpending, &old));
	printf("pending %#lx\n", old);
	signal(SIGUSR2, SIG_IGN);
	say("sgetmask", syscall(SYS_sgetmask));
	say("ssetmask", syscall(SYS_ssetmask, 0));
	say("sgetmask after", syscall(SYS_sgetmask));
	signal(SIGUSR2, SIG_DFL);
}

static void
seeks(void)
{
	static const char *dev[] = { "/dev/null", "/dev/zero", "/dev/full" };
	char name[64];
	unsigned i;
	int fd;

	for(i = 0; i < sizeof dev / sizeof dev[0]; i++){
		fd = open(dev[i], O_RDWR);
		snprintf(name, sizeof name, "%s lseek", dev[i]);
		say(name, lseek(fd, 12345, SEEK_SET));
		say(name, lseek(fd, -77, SEEK_CUR));
		say(name, lseek(fd, 0x7fffffffffffffffLL, SEEK_END));
		close(fd);
	}
	fd = open("tmp/stressfix.f", O_CREAT | O_RDWR | O_TRUNC, 0600);
	say("write", write(fd, "0123456789", 10));
	say("lseek set -1", lseek(fd, -1, SEEK_SET));
	say("lseek cur -11", lseek(fd, -11, SEEK_CUR));
	say("lseek end -10", lseek(fd, -10, SEEK_END));
	say("lseek end -11", lseek(fd, -11, SEEK_END));
	/* past the largest offset by overflow: EINVAL whatever the file
	 * system's largest file (an offset short of it is not compared) */
	say("lseek set 10", lseek(fd, 10, SEEK_SET));
	say("lseek cur overflow", lseek(fd, 0x7fffffffffffffffLL, SEEK_CUR));
	say("lseek end overflow", lseek(fd, 0x7ffffffffffffffaLL, SEEK_END));
	/* a file without holes: its data from anywhere inside, its one
	 * hole at the end */
	say("SEEK_DATA 4", lseek(fd, 4, SEEK_DATA));
	say("SEEK_HOLE 4", lseek(fd, 4, SEEK_HOLE));
	say("and the offset", lseek(fd, 0, SEEK_CUR));
	say("SEEK_DATA at the end", lseek(fd, 10, SEEK_DATA));
	say("SEEK_HOLE past it", lseek(fd, 11, SEEK_HOLE));
	say("SEEK_DATA -1", lseek(fd, -1, SEEK_DATA));
	say("whence 5", lseek(fd, 0, 5));
	say("lseek back", lseek(fd, 3, SEEK_SET));
	say("readahead", syscall(SYS_readahead, fd, 0, 0, 4096));
	say("syncfs", syscall(SYS_syncfs, fd));
	close(fd);
	fd = open("tmp", O_PATH);
	say("lseek O_PATH", lseek(fd, 0, SEEK_SET));
	close(fd);
	unlink("tmp/stressfix.f");
}

/* an open refused EMFILE creates (and truncates) nothing */
static void
emfile(void)
{
	struct rlimit rl = { 16, 16 };
	struct stat st;
	int fds[32], n, fd, i;

	if(setrlimit(RLIMIT_NOFILE, &rl) < 0){
		say("setrlimit", -1);
		return;
	}
	for(n = 0; n < 32 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0; n++)
		;
	fd = open("tmp/emfile.f", O_CREAT | O_RDWR, 0600);
	say("open O_CREAT at the limit", fd);
	errno = 0;
	say("and the file is there", stat("tmp/emfile.f", &st));
	for(i = 0; i < n; i++)
		close(fds[i]);
	unlink("tmp/emfile.f");
}

static void
devzero(void)
{
	int fd;

	fd = open("/dev/zero", O_RDWR);
	say("/dev/zero O_RDWR", fd >= 0 ? 0 : -1);
	say("/dev/zero write", write(fd, "abc", 3));
	close(fd);
}

static void
policies(void)
{
	struct sched_param sp = { 0 };

	say("setscheduler batch", sched_setscheduler(0, SCHED_BATCH, &sp));
	say("getscheduler", sched_getscheduler(0));
	say("setscheduler other", sched_setscheduler(0, SCHED_OTHER, &sp));
	say("getscheduler", sched_getscheduler(0));
	say("setscheduler policy 7", sched_setscheduler(0, 7, &sp));
	say("setscheduler NULL", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
	sp.sched_priority = 1;
	say("setscheduler batch prio 1", sched_setscheduler(0, SCHED_BATCH, &sp));
	sp.sched_priority = 0;
	/* last: leaving SCHED_IDLE or dropping SCHED_RESET_ON_FORK needs
	 * CAP_SYS_NICE, which a reference run as root has */
	say("setscheduler idle", sched_setscheduler(getpid(), SCHED_IDLE, &sp));
	say("getscheduler", sched_getscheduler(getpid()));
	say("setscheduler idle|reset", sched_setscheduler(0, SCHED_IDLE | SCHED_RESET_ON_FORK, &sp));
	say("getscheduler", sched_getscheduler(0));
}

/* mkdir and open of names 300 elements deep (the kernel allowed 256) */
static void
deep(void)
{
	char path[2048];
	int i, fd;

	strcpy(path, "tmp/deep");
	if(mkdir(path, 0700) < 0){
		say("mkdir", -1);
		return;
	}
	for(i = 0; i < 300; i++){
		strcat(path, "/d");
		if(mkdir(path, 0700) < 0)
			break;
	}
	printf("deep: %d levels, %zu bytes\n", i, strlen(path));
	fd = open(path, O_RDONLY | O_DIRECTORY);
	say("open the deepest", fd >= 0 ? 0 : -1);
	close(fd);
	for(; i >= 0; i--){
		if(rmdir(path) < 0){
			say("rmdir", -1);
			break;
		}
		*strrchr(path, '/') = 0;
	}
}

/* EPOLLEXCLUSIVE only on an add, not on an epoll instance, not
 * changed by a later EPOLL_CTL_MOD */
static void
epollexclusive(void)
{
	struct epoll_event ev;
	int ep, ep2, p[2];

	ep = epoll_create1(0);
	ep2 = epoll_create1(0);
	if(pipe(p) < 0)
		return;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	say("add an epoll exclusively", epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev));
	say("add a pipe exclusively", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	say("mod it", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	ev.events = EPOLLIN;
	say("mod it without", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	ev.events = EPOLLIN | EPOLLPRI | EPOLLEXCLUSIVE;
	say("add exclusively with EPOLLPRI", epoll_ctl(ep2, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN;
	say("add the epoll", epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev));
	say("del it", epoll_ctl(ep, EPOLL_CTL_DEL, ep2, &ev));
	say("add it again", epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev));
	close(p[0]);
	close(p[1]);
	close(ep2);
	close(ep);
}

/* read-only: what the clock says of itself may differ, only the call
 * and the time are compared */
static void
clockread(void)
{
	struct timex tx;
	unsigned cpu, node;
	long r;

	memset(&tx, 0, sizeof tx);
	r = syscall(SYS_adjtimex, &tx);
	printf("adjtimex read: %s, time near now %d\n", r >= 0 ? "ok" : strerror(errno),
		labs((long)tx.time.tv_sec - (long)time(NULL)) < 100);
	cpu = node = 99;
	r = syscall(SYS_getcpu, &cpu, &node, NULL);
	printf("getcpu: %s, cpu %s, node %u\n", r >= 0 ? "ok" : strerror(errno),
		cpu < 1024 ? "valid" : "invalid", node);
}

/* Only as a guest (argument "priv"): what a process without
 * capabilities is refused, EPERM, after chroot has looked at its name;
 * natively as root these would act on the host */
static void
privileged(void)
{
	say("chroot /", syscall(SYS_chroot, "/"));
	say("chroot /nonexistent", syscall(SYS_chroot, "/nonexistent"));
	say("chroot /bin/guest_stressfix", syscall(SYS_chroot, "/bin/guest_stressfix"));
	say("reboot, bad magic", syscall(SYS_reboot, 1, 2, 3, 0));
	say("sethostname", syscall(SYS_sethostname, "x", 1));
	say("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
	say("umount2", syscall(SYS_umount2, "/tmp", 0));
	say("swapon", syscall(SYS_swapon, "/tmp/swap", 0));
	say("clone CLONE_NEWPID", syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0));
	say("clone CLONE_NEWNS", syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0));
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "priv") == 0){
		privileged();
		return 0;
	}
	contexts();
	oldmasks();
	seeks();
	emfile();
	devzero();
	policies();
	deep();
	epollexclusive();
	clockread();
	return 0;
}
