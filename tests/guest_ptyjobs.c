/*
 * guest_ptyjobs.c — job control on a pseudo-terminal (tests/vxinferno_pty.t):
 * a session leader (a shell's part) with a foreground job and
 * background jobs on one terminal, the test's main process typing on
 * the master.  ^Z stops the foreground job, the leader sees it stopped
 * (WUNTRACED), takes the terminal back and gives it to the job again
 * with SIGCONT (fg); a background read stops on SIGTTIN, a write under
 * TOSTOP and a tcsetattr on SIGTTOU, a bg'd one stops again; a
 * background read with SIGTTIN ignored fails EIO; TIOCNOTTY by a
 * job gives up its own terminal only; a group orphaned
 * with a stopped member gets SIGHUP and SIGCONT, and in it SIGTSTP does
 * nothing and a background read fails EIO.  Every line is a report
 * through a pipe, each after what caused it, so the order is fixed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "ptyreport.h"

static int master, held[2];
static char *sname;

static const char *
how(int st)
{
	static char buf[32];

	if(WIFSTOPPED(st))
		snprintf(buf, sizeof buf, "stopped %d", WSTOPSIG(st));
	else if(WIFCONTINUED(st))
		snprintf(buf, sizeof buf, "continued");
	else if(WIFSIGNALED(st))
		snprintf(buf, sizeof buf, "killed %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
	return buf;
}

/* the leader waits for job pid's next change */
static void
waitjob(const char *what, int pid)
{
	int st;

	if(waitpid(pid, &st, WUNTRACED | WCONTINUED) < 0)
		report("%s: waitpid %s\n", what, strerror(errno));
	else
		report("%s: %s\n", what, how(st));
}

/* a job in a group of its own (both sides set it, as a shell does) */
static int
job(void (*fn)(void))
{
	int pid;

	sigset_t none;

	pid = fork();
	if(pid == 0){
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);	/* the shell's blocks are its own */
		fn();
		_exit(0);
	}
	setpgid(pid, pid);
	return pid;
}

static void
readline(const char *who)
{
	char buf[64];
	int n;

	n = read(0, buf, sizeof buf - 1);
	if(n < 0)
		report("%s: read -1 %s\n", who, strerror(errno));
	else
		report("%s: read %d \"%.*s\"\n", who, n, n > 0 ? n - 1 : 0, buf);
}

static void
fgjob(void)
{
	while(tcgetpgrp(0) != getpid())
		usleep(1000);
	report("fg: reading\n");
	readline("fg");
}

static void bgread(void) { readline("bg"); }

static void
bgwrite(void)
{
	ssize_t n;

	n = write(1, "out\n", 4);
	report("bg write: %zd\n", n);
}

static void
bgsetattr(void)
{
	struct termios t;
	int r;

	tcgetattr(0, &t);
	r = tcsetattr(0, TCSANOW, &t);
	report("bg tcsetattr: %d\n", r);
}

static void
bgignored(void)
{
	struct termios t;
	sigset_t s;

	signal(SIGTTIN, SIG_IGN);
	readline("bg, SIGTTIN ignored");
	sigemptyset(&s);
	sigaddset(&s, SIGTTOU);
	sigprocmask(SIG_BLOCK, &s, NULL);
	tcgetattr(0, &t);
	report("bg tcsetattr, SIGTTOU blocked: %d\n", tcsetattr(0, TCSANOW, &t));
	report("bg tcsetpgrp, SIGTTOU blocked: %d\n", tcsetpgrp(0, getpgrp()) == 0 ? getpgrp() == tcgetpgrp(0) : -1);
}

/* TIOCNOTTY by a process not the leader: its own terminal only */
static void
notty(void)
{
	struct termios t;
	int r, g;

	r = ioctl(0, TIOCNOTTY);
	g = tcgetpgrp(0);
	report("TIOCNOTTY: %d, then tcgetpgrp %d %s", r, g, g < 0 ? strerror(errno) : "");
	tcgetattr(0, &t);
	report(", a background tcsetattr %d\n", tcsetattr(0, TCSANOW, &t));
}

static volatile sig_atomic_t hups, conts;

static void onhup(int sig) { (void)sig; hups++; }
static void oncont(int sig) { (void)sig; conts++; }

/* a group whose parent leaves while it is stopped */
static void
orphan(void)
{
	int pid;

	pid = fork();
	if(pid == 0){
		signal(SIGHUP, onhup);
		signal(SIGCONT, oncont);
		raise(SIGSTOP);
		report("orphan: goes on, SIGHUP %d SIGCONT %d\n", hups, conts);
		raise(SIGTSTP);
		report("orphan: SIGTSTP did nothing\n");
		readline("orphan");
		_exit(0);
	}
	waitjob("orphan's parent: its child", pid);
	_exit(0);
}

static void
leader(void)
{
	struct termios t;
	sigset_t s;
	int fd, pid, st;

	close(master);
	close(rep[0]);
	setsid();
	fd = open(sname, O_RDWR);	/* a leader's open: its controlling terminal */
	dup2(fd, 0);
	dup2(fd, 1);
	close(fd);
	tcgetattr(0, &t);
	t.c_lflag &= ~ECHO;
	tcsetattr(0, TCSANOW, &t);
	sigemptyset(&s);
	sigaddset(&s, SIGTTOU);
	sigaddset(&s, SIGTSTP);
	sigaddset(&s, SIGTTIN);
	sigprocmask(SIG_BLOCK, &s, NULL);	/* a shell's */
	report("leader: the foreground %d\n", tcgetpgrp(0) == getpid());

	/* ^Z, fg */
	pid = job(fgjob);
	tcsetpgrp(0, pid);
	waitjob("fg job", pid);
	report("leader: takes the terminal %d\n", tcsetpgrp(0, getpid()) == 0 && tcgetpgrp(0) == getpid());
	tcsetpgrp(0, pid);
	kill(-pid, SIGCONT);
	waitjob("fg job after SIGCONT", pid);
	waitjob("fg job", pid);
	tcsetpgrp(0, getpid());

	/* a background read: SIGTTIN; fg */
	pid = job(bgread);
	waitjob("bg read", pid);
	tcsetpgrp(0, pid);
	kill(-pid, SIGCONT);
	waitjob("bg read after fg", pid);
	report("type\n");
	waitjob("bg read", pid);
	tcsetpgrp(0, getpid());

	/* TOSTOP: a background write stops; bg'd, it stops again */
	pid = job(bgwrite);
	waitjob("bg write, no TOSTOP", pid);
	t.c_lflag |= TOSTOP;
	tcsetattr(0, TCSANOW, &t);
	pid = job(bgwrite);
	waitjob("bg write, TOSTOP", pid);
	kill(-pid, SIGCONT);
	/* its continue and its next stop race the wait: the stop alone */
	if(waitpid(pid, &st, WUNTRACED) < 0)
		report("waitpid: %s\n", strerror(errno));
	report("bg write after bg: %s\n", how(st));
	kill(-pid, SIGKILL);
	waitjob("bg write", pid);
	t.c_lflag &= ~TOSTOP;
	tcsetattr(0, TCSANOW, &t);

	/* tcsetattr from the background */
	pid = job(bgsetattr);
	waitjob("bg tcsetattr", pid);
	kill(-pid, SIGKILL);
	waitjob("bg tcsetattr", pid);

	/* SIGTTIN ignored: EIO */
	pid = job(bgignored);
	waitjob("bg, SIGTTIN ignored", pid);
	tcsetpgrp(0, getpid());

	pid = job(notty);
	waitjob("TIOCNOTTY", pid);
	report("leader: still the session's %d\n", tcgetpgrp(0) == getpid());

	/* an orphaned stopped group */
	if(pipe(held) < 0)
		report("pipe: %s\n", strerror(errno));
	pid = job(orphan);
	close(held[1]);
	waitpid(pid, NULL, 0);	/* silent: the orphan's lines race it */
	/* the session stays till the orphan is done: its leader's end
	 * would take the terminal from it */
	while(read(held[0], &t, 1) > 0)
		;
	_exit(0);
}

/* a step that never came: what did */
static void
onalarm(int sig)
{
	(void)sig;
	printf("%s[stuck]\n", relaybuf);
	fflush(stdout);
	_exit(3);
}

static void
type(const char *s)
{
	if(write(master, s, strlen(s)) != (ssize_t)strlen(s))
		printf("type: %s\n", strerror(errno));
}

int
main(void)
{
	char out[16];
	int pid, st, m;

	setvbuf(stdout, NULL, _IOLBF, 0);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	grantpt(master);
	unlockpt(master);
	sname = ptsname(master);
	if(master < 0 || sname == NULL || pipe(rep) < 0){
		printf("no terminal: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if(pid == 0)
		leader();
	close(rep[1]);
	signal(SIGALRM, onalarm);
	alarm(30);
	relay("fg: reading\n");
	type("\032");
	relay("fg job after SIGCONT: continued\n");
	type("line\n");
	relay("type\n");
	type("two\n");
	relay("bg write, no TOSTOP: exit 0\n");
	m = read(master, out, sizeof out);
	printf("master reads: %d \"%.*s\"\n", m, m > 2 ? m - 2 : 0, out);
	relay("orphan: read -1 Input/output error\n");
	waitpid(pid, &st, 0);
	printf("leader: %#x\n", st);
	return 0;
}
