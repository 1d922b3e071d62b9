/*
 * guest_boxpeer.c — two sandboxes of one embedding (tests/unit/vxrun_boxes.c)
 * must not reach each other's processes: signals and the Linux /proc stop
 * at a sandbox's edge, as at a pid namespace's.  Run under vxinferno only.
 *
 *	guest_boxpeer wait	forks a child, writes "PID CHILDPID" to /ready,
 *				both wait for /done; a SIGUSR1 to either makes
 *				/hit, the child makes /childdone when it sees
 *				/done.  Exit 2 if its nice value changed.
 *	guest_boxpeer probe PID CHILDPID
 *				from another sandbox, what it may do to them;
 *				the exit status sums what went wrong:
 *	1 kill(PID, 0) is not ESRCH
 *	2 tkill, tgkill or rt_sigqueueinfo to PID is not ESRCH
 *	4 kill(-PID, 0) (its group) is not ESRCH
 *	8 getpgid, getsid or getpriority of PID is not ESRCH
 *	16 /proc lists PID or CHILDPID, or /proc/PID/stat opens
 *	32 /proc does not list the probe's own pid or /proc/self/stat fails
 *	64 kill(-1, SIGUSR1) failed, reached the probe or missed its child
 *	128 setpriority(PRIO_USER, 0, 19) failed
 *	guest_boxpeer fgwait	(the console a terminal) forks a child into a
 *				group of its own, makes that group the
 *				console's foreground (TIOCSPGRP), writes
 *				the child's pid to /fgready, waits for
 *				/done: exit 1 if the set
 *				failed, 2 if TIOCGPGRP then gives another group
 *	guest_boxpeer fgprobe	from another sandbox: exit 1 if TIOCGPGRP is
 *				not its own session's group, 2 if its
 *				TIOCSPGRP of its own group fails, 4 if its
 *				TIOCSPGRP of the first sandbox's group (its
 *				pid from /fgready) is not ESRCH
 *	guest_boxpeer prog PID CHILDPID
 *				the same through the kernel's #p (/prog):
 *	1 #p lists PID or CHILDPID, or #p/PID/status or fd opens
 *	2 a write of "interrupt" or "kill" to #p/CHILDPID/ctl succeeds
 *	4 the host's first proc (#p/1, not a guest) shows or opens
 *	8 #p does not list the probe's own pid, or its status fails
 *	16 #s shows or opens the waiter's post "boxpeer" (a pipe), or the
 *	   probe cannot post its own under that name
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static pid_t leader;
static volatile sig_atomic_t selfhit;

static void
onusr1hit(int sig)
{
	(void)sig;
	close(open("/hit", O_WRONLY | O_CREAT, 0644));
}

/* until /done exists, or the file system fails us (a killed proc) */
static void
awaitdone(void)
{
	while(access("/done", F_OK) != 0 && errno == ENOENT)
		usleep(10000);
}

static int
waitmode(void)
{
	pid_t c;
	FILE *f;
	int st, pp[2], sfd, prio;

	/* its start's own value, the spawner's niceness (make test under nice(1)) */
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if(errno != 0)
		return 2;
	signal(SIGUSR1, onusr1hit);
	if(pipe(pp) == 0 && (sfd = open("#s/boxpeer", O_WRONLY | O_CREAT, 0666)) >= 0){
		dprintf(sfd, "%d", pp[0]);
		close(sfd);
	}
	c = fork();
	if(c < 0)
		return 1;
	if(c == 0){
		awaitdone();
		close(open("/childdone", O_WRONLY | O_CREAT, 0644));
		_exit(0);
	}
	f = fopen("/ready.tmp", "w");
	if(f == NULL)
		return 1;
	fprintf(f, "%d %d\n", getpid(), c);
	fclose(f);
	rename("/ready.tmp", "/ready");
	awaitdone();
	waitpid(c, &st, 0);
	errno = 0;
	return getpriority(PRIO_PROCESS, 0) != prio || errno != 0 ? 2 : 0;
}

static int
fgwait(void)
{
	pid_t c;
	int st, bad, f;

	c = fork();
	if(c < 0)
		return 1;
	if(c == 0){
		setpgid(0, 0);
		awaitdone();
		_exit(0);
	}
	setpgid(c, c);
	bad = tcsetpgrp(0, c) != 0;
	f = open("/fgready.new", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dprintf(f, "%d\n", (int)c);
	close(f);
	rename("/fgready.new", "/fgready");
	awaitdone();
	if(!bad && tcgetpgrp(0) != c)
		bad = 2;
	waitpid(c, &st, 0);
	return bad;
}

static int
fgprobe(void)
{
	char buf[32];
	int f, n, other;

	if(tcgetpgrp(0) != getpid())
		return 1;
	if(tcsetpgrp(0, getpid()) != 0)
		return 2;
	f = open("/fgready", O_RDONLY);
	n = f < 0 ? -1 : read(f, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	other = atoi(buf);
	if(other <= 0 || tcsetpgrp(0, other) == 0 || errno != ESRCH)
		return 4;
	return 0;
}

static int
esrch(long r)
{
	return r == -1 && errno == ESRCH;
}

static int
signals(pid_t pid)
{
	siginfo_t si;
	int bad;

	bad = 0;
	if(!esrch(kill(pid, 0)))
		bad |= 1;
	memset(&si, 0, sizeof si);
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	if(!esrch(syscall(SYS_tkill, pid, 0)) || !esrch(syscall(SYS_tgkill, pid, pid, 0))
	|| !esrch(syscall(SYS_rt_sigqueueinfo, pid, 0, &si)))
		bad |= 2;
	if(!esrch(kill(-pid, 0)))
		bad |= 4;
	errno = 0;
	if(!esrch(getpgid(pid)) || !esrch(getsid(pid)) || !esrch(getpriority(PRIO_PROCESS, pid)))
		bad |= 8;
	return bad;
}

/* Does directory dir list pid or child (1, 0; -1: unreadable)?  *self
 * says whether it lists the caller. */
static int
lists(const char *dir, pid_t pid, pid_t child, int *self)
{
	struct dirent *e;
	DIR *d;
	int found;

	found = 0;
	*self = 0;
	d = opendir(dir);
	if(d == NULL)
		return -1;
	while((e = readdir(d)) != NULL){
		if(atoi(e->d_name) == getpid())
			*self = 1;
		if(atoi(e->d_name) == pid || atoi(e->d_name) == child)
			found = 1;
	}
	closedir(d);
	return found;
}

/* Does path open for mode, or fail otherwise than "no such file"? */
static int
opens(const char *path, int mode)
{
	int fd;

	fd = open(path, mode);
	if(fd >= 0)
		close(fd);
	return fd >= 0 || errno != ENOENT;
}

/* 16 if /proc shows pid or child, 32 if it does not show the caller */
static int
proc(pid_t pid, pid_t child)
{
	char path[64];
	int bad, self, fd;

	bad = 0;
	if(lists("/proc", pid, child, &self) != 0)
		bad |= 16;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if(opens(path, O_RDONLY))
		bad |= 16;
	fd = open("/proc/self/stat", O_RDONLY);
	if(!self || fd < 0)
		bad |= 32;
	if(fd >= 0)
		close(fd);
	return bad;
}

static void
onusr1probe(int sig)
{
	(void)sig;
	if(getpid() != leader)
		_exit(7);
	selfhit = 1;
}

/* kill(-1) reaches the caller's own child, not the caller (Linux's
 * rule) and nothing of the other sandbox (the waiter's /hit) */
static int
killall(void)
{
	pid_t c;
	int st, r;

	leader = getpid();
	signal(SIGUSR1, onusr1probe);
	c = fork();
	if(c < 0)
		return 64;
	if(c == 0){
		for(;;)
			pause();
	}
	usleep(100000);	/* let the child be running (its handler is inherited) */
	r = kill(-1, SIGUSR1);
	if(r != 0){
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		return 64;
	}
	if(waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 7 || selfhit)
		return 64;
	return 0;
}

/* Does directory dir (#p, #s) list name? */
static int
listsname(const char *dir, const char *name)
{
	struct dirent *e;
	DIR *d;
	int found;

	d = opendir(dir);
	if(d == NULL)
		return 0;
	found = 0;
	while((e = readdir(d)) != NULL)
		if(strcmp(e->d_name, name) == 0)
			found = 1;
	closedir(d);
	return found;
}

static int
proglists(pid_t pid)
{
	char name[16];

	snprintf(name, sizeof name, "%d", pid);
	return listsname("#p", name);
}

static int
progopens(pid_t pid, const char *file, int mode)
{
	char path[64];
	int fd;

	snprintf(path, sizeof path, "#p/%d/%s", pid, file);
	fd = open(path, mode);
	if(fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int
prog(pid_t pid, pid_t child)
{
	char path[64];
	int bad, fd;

	bad = 0;
	if(proglists(pid) || proglists(child) || progopens(pid, "status", O_RDONLY) || progopens(pid, "fd", O_RDONLY))
		bad |= 1;
	snprintf(path, sizeof path, "#p/%d/ctl", child);
	fd = open(path, O_WRONLY);
	if(fd >= 0 && (write(fd, "interrupt", 9) == 9 || write(fd, "kill", 4) == 4))
		bad |= 2;
	if(fd >= 0)
		close(fd);
	if(proglists(1) || progopens(1, "status", O_RDONLY) || progopens(1, "ctl", O_WRONLY))
		bad |= 4;
	if(!proglists(getpid()) || !progopens(getpid(), "status", O_RDONLY))
		bad |= 8;
	fd = -1;
	if(listsname("#s", "boxpeer") || (fd = open("#s/boxpeer", O_RDONLY)) >= 0)
		bad |= 16;
	if(fd >= 0)
		close(fd);
	if((fd = open("#s/boxpeer", O_WRONLY | O_CREAT | O_EXCL, 0666)) < 0)
		bad |= 16;
	else{
		close(fd);
		unlink("#s/boxpeer");
	}
	return bad;
}

int
main(int argc, char **argv)
{
	pid_t pid, child;
	int bad;

	if(argc == 2 && strcmp(argv[1], "wait") == 0)
		return waitmode();
	if(argc == 2 && strcmp(argv[1], "fgwait") == 0)
		return fgwait();
	if(argc == 2 && strcmp(argv[1], "fgprobe") == 0)
		return fgprobe();
	if(argc != 4 || (strcmp(argv[1], "probe") != 0 && strcmp(argv[1], "prog") != 0)){
		fprintf(stderr, "usage: guest_boxpeer wait | fgwait | fgprobe | probe|prog PID CHILDPID\n");
		return 255;
	}
	pid = atoi(argv[2]);
	child = atoi(argv[3]);
	if(strcmp(argv[1], "prog") == 0)
		return prog(pid, child);
	bad = signals(pid) | proc(pid, child) | killall();
	if(setpriority(PRIO_USER, 0, 19) != 0)
		bad |= 128;
	return bad;
}
