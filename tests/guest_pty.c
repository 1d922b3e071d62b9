/*
 * guest_pty.c — pseudo-terminals as Linux has them (tests/vxinferno_pty.t):
 * posix_openpt, grantpt, unlockpt, ptsname and the slave's lock; the
 * slave a character device, isatty and ttyname; the default modes;
 * canonical input with echo, erase, kill and end of file; raw mode,
 * VMIN and VTIME; output processing; ECHO, ECHONL, INLCR, IGNCR;
 * TIOCINQ, TIOCOUTQ, TCFLSH; poll and non-blocking reads; a session
 * with the slave as its controlling terminal, the signal characters
 * reaching its foreground group only, SIGWINCH, the hangup when the
 * master closes; EIO at the master once the slave is closed; a read
 * interrupted by a signal.  Linux's pty ldisc runs input a little
 * later than the write, so every read here waits for what it expects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "ptyreport.h"

static int master, slave;
static char sname[64];

/* what s holds, control characters as \ooo */
static void
show(const char *what, const char *s, int n)
{
	int i;

	printf("%s: %d \"", what, n);
	for(i = 0; i < n; i++)
		if((unsigned char)s[i] < 040 || (unsigned char)s[i] >= 0177)
			printf("\\%03o", (unsigned char)s[i]);
		else
			putchar(s[i]);
	printf("\"\n");
	fflush(stdout);
}

/* read fd until want bytes came (or an error or end of file) */
static int
readn(int fd, char *buf, int want)
{
	int n, m;

	for(n = 0; n < want; n += m){
		m = read(fd, buf + n, want - n);
		if(m <= 0)
			return n > 0 ? n : m;
	}
	return n;
}

static void
type(const char *s)
{
	if(write(master, s, strlen(s)) != (ssize_t)strlen(s))
		printf("type %s: %s\n", s, strerror(errno));
}

/* the echo of what was typed: exactly want bytes of it */
static void
echoed(const char *what, int want)
{
	char buf[256];
	int n;

	n = readn(master, buf, want);
	show(what, buf, n);
}

/* one read of the slave, after poll says it has something */
static void
slaveread(const char *what, int size)
{
	struct pollfd p = { slave, POLLIN, 0 };
	char buf[256];
	int n;

	poll(&p, 1, 5000);
	n = read(slave, buf, size);
	if(n < 0)
		printf("%s: -1 %s\n", what, strerror(errno));
	else
		show(what, buf, n);
}

static void
setmodes(void (*fn)(struct termios*))
{
	struct termios t;

	tcgetattr(slave, &t);
	fn(&t);
	if(tcsetattr(slave, TCSANOW, &t) < 0)
		printf("tcsetattr: %s\n", strerror(errno));
}

static void cooked(struct termios *t) { t->c_cc[VMIN] = 1; t->c_iflag = ICRNL | IXON; t->c_oflag = OPOST | ONLCR; t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN; }
static void raw(struct termios *t) { cfmakeraw(t); t->c_cc[VMIN] = 1; t->c_cc[VTIME] = 0; }
static void noecho(struct termios *t) { t->c_lflag &= ~ECHO; t->c_lflag |= ECHONL; }
static void crmaps(struct termios *t) { t->c_lflag &= ~(ECHO | ECHONL); t->c_iflag = INLCR | ICRNL; }
static void igncr(struct termios *t) { t->c_iflag = IGNCR; }

static void
openpt(void)
{
	struct stat a, b;
	int fd;
	char *name, *tn;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	printf("posix_openpt: %s\n", master >= 0 ? "ok" : strerror(errno));
	name = ptsname(master);
	snprintf(sname, sizeof sname, "%s", name != NULL ? name : "?");
	printf("ptsname: %s\n", strncmp(sname, "/dev/pts/", 9) == 0 ? "/dev/pts/N" : sname);
	fd = open(sname, O_RDWR | O_NOCTTY);
	printf("open while locked: %d %s\n", fd, fd < 0 ? strerror(errno) : "");
	printf("grantpt: %d unlockpt: %d\n", grantpt(master), unlockpt(master));
	slave = open(sname, O_RDWR | O_NOCTTY);
	printf("open slave: %s\n", slave >= 0 ? "ok" : strerror(errno));
	printf("isatty: master %d slave %d\n", isatty(master), isatty(slave));
	fstat(slave, &a);
	printf("slave: chr %d major>=136 %d\n", S_ISCHR(a.st_mode), major(a.st_rdev) >= 136);
	fd = stat(sname, &b);
	printf("stat of its name: %d same device %d\n", fd, a.st_rdev == b.st_rdev && S_ISCHR(b.st_mode));
	tn = ttyname(slave);
	printf("ttyname(slave) is ptsname: %d\n", tn != NULL && strcmp(tn, sname) == 0);
}

static void
defaults(void)
{
	struct termios t;
	struct winsize w;

	tcgetattr(slave, &t);
	printf("modes: iflag %#o oflag %#o cflag %#o lflag %#o\n", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
	printf("cc: intr %o quit %o erase %o kill %o eof %o min %d time %d susp %o\n", t.c_cc[VINTR],
		t.c_cc[VQUIT], t.c_cc[VERASE], t.c_cc[VKILL], t.c_cc[VEOF], t.c_cc[VMIN], t.c_cc[VTIME], t.c_cc[VSUSP]);
	tcgetattr(master, &t);
	printf("master's modes are the slave's: lflag %#o\n", t.c_lflag);
	ioctl(master, TIOCGWINSZ, &w);
	printf("winsize: %d %d\n", w.ws_row, w.ws_col);
}

static void
canonical(void)
{
	type("hello\r");
	slaveread("line", 100);
	echoed("echo", 7);
	type("abc\177d\025xy\n");
	slaveread("erase, kill", 100);
	echoed("echo", 3 + 3 + 1 + 9 + 4);
	type("two\nlines\n");
	slaveread("first of two", 100);
	slaveread("second", 100);
	echoed("echo", 12);
	type("ab\004");
	slaveread("ab^D", 100);
	type("\004");
	slaveread("^D alone", 100);
	type("longline\n");
	slaveread("short read", 4);
	slaveread("its rest", 100);
	echoed("echo", 2 + 10);
	type("q\n");
	slaveread("q", 100);
	echoed("echo", 3);
}

static void
rawmode(void)
{
	struct pollfd p = { slave, POLLIN, 0 };
	struct termios t;
	char buf[64];
	int n, i;

	setmodes(raw);
	type("a\rb");
	n = readn(slave, buf, 3);
	show("raw", buf, n);
	tcgetattr(slave, &t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	tcsetattr(slave, TCSANOW, &t);
	printf("VMIN 0 VTIME 0, empty: %zd\n", read(slave, buf, 10));
	t.c_cc[VTIME] = 1;
	tcsetattr(slave, TCSANOW, &t);
	printf("VMIN 0 VTIME 1, empty: %zd\n", read(slave, buf, 10));
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	tcsetattr(slave, TCSANOW, &t);
	printf("poll, 2 of VMIN 3: ");
	type("xy");
	n = poll(&p, 1, 100);
	printf("%d\n", n);
	type("z");
	n = read(slave, buf, 10);
	show("VMIN 3", buf, n);
	if(write(slave, "o\nk", 3) != 3)
		printf("write: %s\n", strerror(errno));
	echoed("raw output", 3);
	/* flush */
	type("abc");
	for(i = 0; i < 500; i++){
		ioctl(slave, FIONREAD, &n);
		if(n >= 3)
			break;
		poll(&p, 1, 10);
	}
	printf("FIONREAD: %d\n", n);
	printf("tcflush: %d\n", tcflush(slave, TCIFLUSH));
	ioctl(slave, FIONREAD, &n);
	printf("FIONREAD after: %d\n", n);
	fcntl(slave, F_SETFL, O_NONBLOCK);
	n = read(slave, buf, 10);
	printf("non-blocking read, empty: %d %s\n", n, strerror(errno));
	fcntl(slave, F_SETFL, 0);
	setmodes(cooked);
}

static void
echomodes(void)
{
	setmodes(noecho);
	type("secret\n");
	slaveread("no echo", 100);
	if(write(slave, "#", 1) != 1)
		printf("write: %s\n", strerror(errno));
	echoed("ECHONL only", 3);
	setmodes(crmaps);
	type("a\nb\r");
	slaveread("INLCR", 100);
	setmodes(igncr);
	type("c\rd\n");
	slaveread("IGNCR", 100);
	setmodes(cooked);
}

static void
polls(void)
{
	struct pollfd p[2] = { { master, POLLIN | POLLOUT, 0 }, { slave, POLLIN | POLLOUT, 0 } };
	int n;

	n = poll(p, 2, 0);
	printf("poll idle: %d master %#x slave %#x\n", n, p[0].revents, p[1].revents);
	type("x");
	p[1].events = POLLIN;
	n = poll(p + 1, 1, 100);
	printf("poll, a partial line: %d\n", n);
	type("\n");
	n = poll(p + 1, 1, 5000);
	printf("poll, the line: %d slave %#x\n", n, p[1].revents);
	slaveread("x", 100);
	echoed("echo", 3);
}

/* The session: a child leads it with the slave as its controlling
 * terminal; a grandchild in a group of its own is made foreground and
 * takes the signal characters.  Reports come back through rep
 * (ptyreport.h). */

/* the signals a terminal sends */
static void
jobsigs(sigset_t *s)
{
	static const int sig[] = { SIGINT, SIGQUIT, SIGTSTP, SIGWINCH, SIGHUP, SIGCONT };
	unsigned i;

	sigemptyset(s);
	for(i = 0; i < sizeof sig / sizeof sig[0]; i++)
		sigaddset(s, sig[i]);
}

static void
waitsigs(int n)
{
	siginfo_t si;
	sigset_t s;
	int i, sig;

	jobsigs(&s);
	for(i = 0; i < n; i++){
		sig = sigwaitinfo(&s, &si);
		report("%s: signal %d code %#x\n", getpid() == getpgrp() && getpgrp() != getsid(0) ? "grandchild" : "leader", sig, si.si_code);
	}
}

static void
grandchild(int fd)
{
	struct winsize w;

	setpgid(0, 0);
	if(tcsetpgrp(fd, getpid()) < 0)
		report("tcsetpgrp: %d\n", errno, 0);
	report("foreground: %d\n", tcgetpgrp(fd) == getpid(), 0);
	waitsigs(4);	/* ^C ^\ ^Z, the window */
	ioctl(fd, TIOCGWINSZ, &w);
	report("window %d %d\n", w.ws_row, w.ws_col);
	_exit(0);
}

static void
leader(void)
{
	sigset_t s;
	char buf[16];
	int fd, st, g, n, tty;

	close(master);
	close(rep[0]);
	n = ioctl(slave, TIOCSCTTY, 0);
	report("TIOCSCTTY before setsid: %d %d\n", n, errno);
	close(slave);
	jobsigs(&s);
	sigaddset(&s, SIGTTOU);
	sigprocmask(SIG_BLOCK, &s, NULL);
	setsid();
	fd = open(sname, O_RDWR | O_NOCTTY);
	n = tcgetpgrp(fd);
	report("TIOCGPGRP, no controlling terminal: %d %d\n", n, errno);
	report("TIOCSCTTY: %d\n", ioctl(fd, TIOCSCTTY, 0), 0);
	report("TIOCGPGRP is me: %d\n", tcgetpgrp(fd) == getpid());
	tty = open("/dev/tty", O_RDWR);
	report("/dev/tty: a terminal %d, mine %d\n", isatty(tty), tcgetpgrp(tty) == getpid());
	if(write(tty, "via /dev/tty\n", 13) != 13)
		report("write /dev/tty: %d\n", errno);
	close(tty);
	g = fork();
	if(g == 0)
		grandchild(fd);
	waitpid(g, &st, 0);
	report("grandchild: %#x\n", st, 0);
	sigpending(&s);
	report("leader: SIGINT pending %d, SIGWINCH %d\n", sigismember(&s, SIGINT), sigismember(&s, SIGWINCH));
	tcsetpgrp(fd, getpid());
	report("ready\n", 0, 0);
	waitsigs(2);	/* the hangup: SIGHUP, SIGCONT */
	n = read(fd, buf, sizeof buf);
	report("read after the hangup: %d\n", n, 0);
	n = write(fd, "x", 1);
	report("write after the hangup: %d %d\n", n, n < 0 ? errno : 0);
	_exit(0);
}

static void
session(void)
{
	struct winsize w = { 30, 100, 0, 0 };
	int pid, st;

	if(pipe(rep) < 0)
		return;
	pid = fork();
	if(pid == 0)
		leader();
	close(rep[1]);
	close(slave);
	relay("foreground: 1\n");
	echoed("the leader's write", 14);
	type("\003");
	relay("code 0x80\n");
	echoed("^C echoed", 2);
	type("\034");
	relay("code 0x80\n");
	echoed("^\\ echoed", 2);
	type("\032");
	relay("code 0x80\n");
	echoed("^Z echoed", 2);
	printf("TIOCSWINSZ: %d\n", ioctl(master, TIOCSWINSZ, &w));
	relay("ready\n");
	close(master);
	relay("write after the hangup");
	relay("\n");
	waitpid(pid, &st, 0);
	printf("leader: %#x\n", st);
}

/* a new terminal: master and slave */
static void
newpair(void)
{
	master = posix_openpt(O_RDWR | O_NOCTTY);
	grantpt(master);
	unlockpt(master);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
}

static void
slavegone(void)
{
	struct pollfd p;
	char buf[16];
	int n;

	newpair();
	if(write(slave, "bye\n", 4) != 4)
		printf("write: %s\n", strerror(errno));
	close(slave);
	n = readn(master, buf, 5);
	show("master reads what was left", buf, n);
	p.fd = master;
	p.events = POLLIN;
	n = poll(&p, 1, 5000);
	printf("poll: %d hup %d\n", n, (p.revents & POLLHUP) != 0);
	n = read(master, buf, sizeof buf);
	printf("then: %d %s\n", n, strerror(errno));
	close(master);
}

static void
onalarm(int sig)
{
	(void)sig;
}

static void
interrupted(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 200000 } };
	char buf[8];
	int n;

	newpair();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalarm;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(slave, buf, sizeof buf);
	printf("read, interrupted: %d %s\n", n, strerror(errno));
	close(slave);
	close(master);
}

/* The queues' counts, and TIOCNOTTY: the session leader gives its
 * terminal up, and its foreground group (itself) gets SIGHUP.  With
 * sid, only what qemu-i386 does not pass on (TIOCGPTLCK, TIOCGSID),
 * which vxinferno_pty.t checks against Linux's answers written out. */
static void
counts(int sid)
{
	int pid, st, lk, n, r, i;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	lk = -1;
	r = ioctl(master, TIOCGPTLCK, &lk);
	if(sid)
		printf("TIOCGPTLCK: %d %d\n", r, lk);
	unlockpt(master);
	r = ioctl(master, TIOCGPTLCK, &lk);
	if(sid)
		printf("TIOCGPTLCK unlocked: %d %d\n", r, lk);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if(!sid){
		r = ioctl(slave, TIOCGPTN, &n);
		printf("TIOCGPTN on the slave: %d %s\n", r, strerror(errno));
		type("ab\ncd");
		slaveread("line", 100);
		r = ioctl(slave, TIOCINQ, &n);
		printf("TIOCINQ, a partial line: %d %d\n", r, n);
		type("\n");
		poll(&(struct pollfd){ slave, POLLIN, 0 }, 1, 5000);
		r = ioctl(slave, TIOCINQ, &n);
		printf("TIOCINQ, a line: %d %d\n", r, n);
		r = ioctl(slave, TIOCOUTQ, &n);
		printf("TIOCOUTQ: %d %d\n", r, n);
		/* the echo reaches the master's queue after the slave's
		 * line (Linux hands it over from a work queue): natively
		 * under load FIONREAD once saw 6 of "ab\r\ncd\r\n" */
		for(i = 0; i < 200; i++){
			r = ioctl(master, FIONREAD, &n);
			if(r < 0 || n >= 8)
				break;
			usleep(5000);
		}
		printf("FIONREAD on the master (the echo): %d %d\n", r, n);
	}
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGHUP);
		sigaddset(&s, SIGCONT);
		sigprocmask(SIG_BLOCK, &s, NULL);
		close(slave);
		setsid();
		slave = open(ptsname(master), O_RDWR);	/* a leader's open takes it */
		n = tcgetpgrp(slave);
		r = ioctl(slave, TIOCSCTTY, 0);
		if(!sid)
			printf("the controlling terminal by open: %d\n", n == getpid());
		if(sid){
			printf("TIOCGSID is me: %d\n", tcgetsid(slave) == getpid());
			r = ioctl(master, TIOCGSID, &n);
			printf("TIOCGSID on the master: %d %d\n", r, n == getpid());
		}else{
			printf("TIOCSCTTY: %d\n", r);
			r = ioctl(slave, TIOCNOTTY);
			printf("TIOCNOTTY: %d; TIOCGPGRP then: %d\n", r, tcgetpgrp(slave));
			sigpending(&s);
			printf("SIGHUP pending: %d\n", sigismember(&s, SIGHUP));
		}
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child: %#x\n", st);
	close(slave);
	close(master);
}

/* A hostile guest's terminals: bad pointers fail EFAULT; queues are
 * bounded (what a master may type into a slave that never reads, what
 * a slave may write to a master that never reads); terminals are
 * bounded per sandbox.  Linux's own bounds differ (kernel.pty.max is
 * 4096, its flip buffers larger): vxinferno_pty.t checks the answers. */
static void
limits(void)
{
	static char big[1 << 20];
	int fds[200], n, i;
	long w;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	unlockpt(master);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	n = ioctl(slave, TCGETS, (void*)16);
	printf("TCGETS to a bad address: %d %s\n", n, strerror(errno));
	n = ioctl(master, TIOCSWINSZ, (void*)0xfffffff0);
	printf("TIOCSWINSZ from a bad address: %d %s\n", n, strerror(errno));
	n = ioctl(master, TIOCGPTN, (void*)0);
	printf("TIOCGPTN to NULL: %d %s\n", n, strerror(errno));
	setmodes(raw);
	fcntl(master, F_SETFL, O_NONBLOCK);
	fcntl(slave, F_SETFL, O_NONBLOCK);
	w = write(master, big, sizeof big);
	n = write(master, big, 1);
	printf("typed into a slave that does not read: %s, then %d %s\n", w > 0 && w <= 65536 ? "bounded" : "unbounded", n, strerror(errno));
	w = write(slave, big, sizeof big);
	n = write(slave, big, 1);
	printf("written to a master that does not read: %s, then %d %s\n", w > 0 && w <= 65536 ? "bounded" : "unbounded", n, strerror(errno));
	for(i = 0; i < 200; i++)
		if((fds[i] = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
			break;
	printf("terminals: %d more, then %s\n", i, strerror(errno));
	while(--i >= 0)
		close(fds[i]);
	n = posix_openpt(O_RDWR | O_NOCTTY);
	printf("after closing them: %s\n", n >= 0 ? "ok" : strerror(errno));
	close(n);
	/* a walk under a slave's name (#P's own `..`, no mount above it) is
	 * refused, and the terminal stays its master's: another made then
	 * has a number of its own (a failed walk freed the first) */
	for(i = 0; i < 20; i++){
		struct stat st;
		char up[64], name[64];
		int m2;

		if((n = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
			break;
		snprintf(name, sizeof name, "%s", ptsname(n));
		snprintf(up, sizeof up, "#P/pts/%s/..", name + strlen("/dev/pts/"));
		if(stat(up, &st) == 0 || stat(up, &st) == 0)
			break;
		m2 = posix_openpt(O_RDWR | O_NOCTTY);
		if(m2 < 0 || strcmp(name, ptsname(m2)) == 0)
			break;
		close(m2);
		close(n);
	}
	printf("a walk under a slave: refused, the terminal kept: %s\n", i == 20 ? "ok" : "no");
}

int
main(int argc, char **argv)
{
	if(argc > 1 && strcmp(argv[1], "limits") == 0){
		limits();
		return 0;
	}
	if(argc > 1){
		counts(1);
		return 0;
	}
	openpt();
	defaults();
	canonical();
	rawmode();
	echomodes();
	polls();
	session();
	counts(0);
	slavegone();
	interrupted();
	return 0;
}
