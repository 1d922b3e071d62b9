/* guest_sigq — real-time signals are queued: every instance with its
 * own siginfo, lower numbers first, one number's instances in the
 * order sent, a standard signal's second instance merged; blocked ones
 * kept till unblocked; sigwaitinfo, sigtimedwait and signalfd take them
 * one at a time; a thread-directed one before the process's;
 * RLIMIT_SIGPENDING bounds the queue (sigqueue's EAGAIN, kill's lost
 * siginfo); several handled at once nest, the last frame's first.  Prints the same as Linux (qemu-i386). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { NLOG = 64 };
static struct { int sig, code, val, self; } logged[NLOG];
static volatile int nlog;

static void
onsig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if(nlog < NLOG){
		logged[nlog].sig = sig;
		logged[nlog].code = si->si_code;
		logged[nlog].val = si->si_value.sival_int;
		logged[nlog].self = si->si_pid == getpid();
		nlog++;
	}
}

static void
queue(int sig, int val)
{
	union sigval v = { .sival_int = val };

	if(sigqueue(getpid(), sig, v) < 0)
		printf("sigqueue %d: %s\n", sig, strerror(errno));
}

/* sig with val to this thread alone (rt_tgsigqueueinfo) */
static void
queuethread(int sig, int val)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = val;
	if(syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), sig, &si) < 0)
		printf("rt_tgsigqueueinfo: %s\n", strerror(errno));
}

static const char *
code(int c)
{
	switch(c){
	case SI_USER: return "user";
	case SI_QUEUE: return "queue";
	case SI_TKILL: return "tkill";
	}
	return "other";
}

static void
printinfo(const char *what, int sig, int c, int val, int self)
{
	printf("%s RTMIN+%d %s %d%s\n", what, sig - SIGRTMIN, code(c), c == SI_QUEUE ? val : 0, self ? " self" : "");
}

/* take every pending signal of set without waiting; how many */
static int
drain(const sigset_t *set, const char *what, int quiet)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig, n;

	for(n = 0; (sig = sigtimedwait(set, &si, &zero)) > 0; n++)
		if(!quiet)
			printinfo(what, sig, si.si_code, si.si_value.sival_int, si.si_pid == getpid());
	if(errno != EAGAIN)
		printf("sigtimedwait: %s\n", strerror(errno));
	return n;
}

static void
pending(const char *what)
{
	sigset_t p;
	int s;

	sigpending(&p);
	printf("%s pending:", what);
	if(sigismember(&p, SIGUSR1))
		printf(" USR1");
	for(s = SIGRTMIN; s <= SIGRTMIN + 5; s++)
		if(sigismember(&p, s))
			printf(" RTMIN+%d", s - SIGRTMIN);
	printf("\n");
}

/* sigqueue to itself until refused: how many, and why it stopped */
static int
fill(int *err)
{
	int n;

	for(n = 0; n < 1000000; n++)
		if(sigqueue(getpid(), SIGRTMIN + n % 8, (union sigval){ .sival_int = n }) < 0)
			break;
	*err = errno;
	return n;
}

/* vxinferno's sandbox bound (no reference: Linux's is the host's): a
 * process and its child together queue at most RLIMIT_SIGPENDING, which
 * no guest raises */
static int
flood(void)
{
	struct rlimit rl;
	sigset_t rt;
	int i, n, c, err, go[2], back[2];
	char b;

	sigemptyset(&rt);
	for(i = SIGRTMIN; i <= SIGRTMAX; i++)
		sigaddset(&rt, i);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	getrlimit(RLIMIT_SIGPENDING, &rl);
	printf("limit %lu %lu\n", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	rl.rlim_cur = rl.rlim_max = rl.rlim_max + 1;
	i = setrlimit(RLIMIT_SIGPENDING, &rl);
	printf("raise %d %s\n", i, strerror(errno));
	if(pipe(go) < 0 || pipe(back) < 0)
		return 1;
	if(fork() == 0){
		close(go[1]);	/* the parent's end: its exit ends the wait */
		n = fill(&err);
		write(back[1], &n, sizeof n);
		read(go[0], &b, 1);	/* its queue held till the parent has filled */
		_exit(0);
	}
	read(back[0], &c, sizeof c);
	n = fill(&err);
	printf("child %s, parent %d more, then %s\n", c > 0 ? "some" : "none", n, strerror(err));
	printf("together %d\n", c + n);
	write(go[1], "x", 1);
	wait(NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct signalfd_siginfo ssi[16];
	struct rlimit rl;
	rlim_t was;
	sigset_t set, none, one;
	siginfo_t si;
	int i, fd, n, sent, st;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc > 1 && strcmp(argv[1], "flood") == 0)
		return flood();
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onsig;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);	/* one handler at a time: no nested frames */
	sigaction(SIGUSR1, &sa, NULL);
	for(i = 0; i <= 5; i++)
		sigaction(SIGRTMIN + i, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for(i = 0; i <= 5; i++)
		sigaddset(&set, SIGRTMIN + i);
	sigemptyset(&none);

	/* blocked: all instances kept, then delivered in order on unblock */
	sigprocmask(SIG_BLOCK, &set, NULL);
	for(i = 1; i <= 5; i++)
		queue(SIGRTMIN + 2, i);
	kill(getpid(), SIGUSR1);
	for(i = 10; i <= 12; i++)
		queue(SIGRTMIN, i);
	queue(SIGUSR1, 99);
	queue(SIGRTMIN + 1, 20);
	kill(getpid(), SIGRTMIN + 1);
	pending("blocked");
	sigprocmask(SIG_SETMASK, &none, NULL);
	for(i = 0; i < nlog; i++)
		if(logged[i].sig == SIGUSR1)
			printf("handler USR1 %s%s\n", code(logged[i].code), logged[i].self ? " self" : "");
		else
			printinfo("handler", logged[i].sig, logged[i].code, logged[i].val, logged[i].self);
	pending("after");

	/* sigtimedwait: the thread's first, then the process's, each oldest first */
	sigprocmask(SIG_BLOCK, &set, NULL);
	queue(SIGRTMIN + 3, 31);
	queue(SIGRTMIN + 3, 32);
	queuethread(SIGRTMIN + 4, 41);
	queue(SIGRTMIN + 3, 33);
	queuethread(SIGRTMIN + 4, 42);
	queue(SIGRTMIN, 1);
	drain(&set, "waited", 0);

	/* signalfd: as many as fit in one read */
	fd = signalfd(-1, &set, 0);
	for(i = 0; i < 4; i++)
		queue(SIGRTMIN + 5, 50 + i);
	queue(SIGRTMIN + 1, 60);
	n = read(fd, ssi, sizeof ssi);
	for(i = 0; i < n / (int)sizeof ssi[0]; i++)
		printinfo("signalfd", ssi[i].ssi_signo, ssi[i].ssi_code, ssi[i].ssi_int, ssi[i].ssi_pid == (uint32_t)getpid());
	close(fd);

	/* a child has none of its parent's pending; exec'd or not, its
	 * own pending stay (none here) */
	queue(SIGRTMIN, 70);
	pid = fork();
	if(pid == 0){
		pending("child");
		_exit(0);
	}
	waitpid(pid, &st, 0);
	drain(&set, "parent", 0);

	/* RLIMIT_SIGPENDING: sigqueue past it fails EAGAIN; a kill past
	 * it is sent, its siginfo lost */
	if(getrlimit(RLIMIT_SIGPENDING, &rl) < 0 || rl.rlim_cur == 0)
		printf("getrlimit: %s\n", strerror(errno));
	was = rl.rlim_cur;
	rl.rlim_cur = 16;
	if(setrlimit(RLIMIT_SIGPENDING, &rl) < 0)
		printf("setrlimit: %s\n", strerror(errno));
	for(sent = 0; sent < 100; sent++)
		if(sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = sent }) < 0)
			break;
	/* the limit is a user's: on Linux other processes' pending count
	 * too, those of the user in this user namespace (vxinferno_proc.t
	 * runs the reference in one of its own: exactly 16 then) */
	printf("queued %d, then %s\n", sent, strerror(errno));
	printf("kill %d\n", kill(getpid(), SIGRTMIN + 3));
	sigemptyset(&one);
	sigaddset(&one, SIGRTMIN + 2);
	printf("took %s of RTMIN+2\n", drain(&one, "", 1) == sent ? "all" : "a wrong number");
	sigemptyset(&one);
	sigaddset(&one, SIGRTMIN + 3);
	i = sigwaitinfo(&one, &si);
	printf("kill's RTMIN+%d: %s pid %d\n", i - SIGRTMIN, code(si.si_code), si.si_pid);
	pending("end");
	/* the user's own limit again for the rest (a reference run
	 * without a user namespace of its own shares the count with the
	 * host user's other processes) */
	rl.rlim_cur = was;
	if(setrlimit(RLIMIT_SIGPENDING, &rl) < 0)
		printf("setrlimit back: %s\n", strerror(errno));

	/* handlers that block only their own signal: each unblocked
	 * pending one gets a frame above the last, so the highest runs
	 * first (Linux sets up all before returning to user mode) */
	sigemptyset(&sa.sa_mask);
	for(i = 0; i <= 2; i++)
		sigaction(SIGRTMIN + i, &sa, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for(n = 1; n <= 3; n++)
		for(i = 2; i >= 0; i--)
			queue(SIGRTMIN + i, n);
	nlog = 0;
	sigprocmask(SIG_SETMASK, &none, NULL);
	printf("nested:");
	for(i = 0; i < nlog; i++)
		printf(" RTMIN+%d/%d", logged[i].sig - SIGRTMIN, logged[i].val);
	printf("\n");
	return 0;
}
