/* guest_signal — signal delivery: a handler for a self-sent SIGUSR1 with
 * siginfo, SIGCHLD from a child, SIGPIPE on a closed pipe (EPIPE once
 * ignored), masks, and SIGSEGV from a bad access caught and survived via
 * siglongjmp; the selectors in the handler's frame (as the guest reads
 * them from the registers); the x87 state in the frame, in Linux's
 * layout.  Prints the same as natively. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, chld, pipes, segv;
static sigjmp_buf jb;

static volatile int framesel[4];

static void
onusr1(int sig, siginfo_t *si, void *v)
{
	ucontext_t *uc = v;

	usr1 = sig == SIGUSR1 && si->si_signo == SIGUSR1;
	framesel[0] = uc->uc_mcontext.gregs[REG_CS] & 0xffff;
	framesel[1] = uc->uc_mcontext.gregs[REG_DS] & 0xffff;
	framesel[2] = uc->uc_mcontext.gregs[REG_ES] & 0xffff;
	framesel[3] = uc->uc_mcontext.gregs[REG_SS] & 0xffff;
}

/* The x87 state in the frame (Linux's fsave form, then FXSAVE's): what
 * the handler sees, and a control word it changes taking effect. */
static volatile uint32_t fpw[5];
static uint8_t fpst[20];

static void
onusr2(int sig, siginfo_t *si, void *v)
{
	ucontext_t *uc = v;
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;

	(void)sig;
	(void)si;
	if(fp == NULL)
		return;
	memcpy((void *)&fpw[0], fp + 0, 4);		/* cw */
	memcpy((void *)&fpw[1], fp + 4, 4);		/* sw */
	memcpy((void *)&fpw[2], fp + 8, 4);		/* tag */
	memcpy((void *)&fpw[3], fp + 108, 4);		/* status, magic */
	memcpy((void *)&fpw[4], fp + 112 + 24, 4);	/* FXSAVE's mxcsr */
	memcpy(fpst, fp + 28, 20);			/* st(0), st(1) */
	fp[1] |= 0x0c;					/* round toward zero */
}

static void
x87frame(void)
{
	struct sigaction sa;
	uint16_t cw0, cw1;
	int i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onusr2;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	/* kill(getpid(), SIGUSR2) by hand: nothing else runs with the two
	 * registers loaded */
	__asm__ volatile("fnstcw %0\n\tfld1\n\tfldpi\n\tint $0x80\n\tfnstcw %1\n\tfstp %%st(0)\n\tfstp %%st(0)\n\tfldcw %0"
		: "=m"(cw0), "=m"(cw1) : "a"(37), "b"(getpid()), "c"(SIGUSR2) : "memory");
	/* the upper halves (0xffff on Linux) and the control word the
	 * handler set (Linux takes it, qemu-i386 does not) are not shown */
	printf("x87 frame: cw %x sw %x tag %x status/magic %x mxcsr %x st",
		fpw[0] & 0xffff, fpw[1] & 0xffff, fpw[2] & 0xffff, fpw[3], fpw[4]);
	for(i = 0; i < 20; i++)
		printf("%s%02x", i == 10 ? " " : "", fpst[i]);
	printf("\n");
	(void)cw1;
}

static void onchld(int sig) { (void)sig; chld++; }
static void onpipe(int sig) { (void)sig; pipes++; }
static void onsegv(int sig) { (void)sig; segv++; siglongjmp(jb, 1); }

int
main(void)
{
	struct sigaction sa;
	sigset_t set, old;
	int p[2], st;
	double f = 1.5;
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onusr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("usr1 %d\n", usr1);
	printf("frame cs %x ds %x es %x ss %x\n", framesel[0], framesel[1], framesel[2], framesel[3]);

	/* blocked, then delivered on unblock */
	usr1 = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	printf("while blocked %d\n", usr1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after unblock %d\n", usr1);

	signal(SIGCHLD, onchld);
	pid = fork();
	if(pid == 0)
		_exit(7);
	while(waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	printf("child status %d chld %d\n", WEXITSTATUS(st), chld > 0);

	signal(SIGPIPE, onpipe);
	pipe(p);
	close(p[0]);
	errno = 0;
	st = (int)write(p[1], "x", 1);
	printf("write %d errno %s pipes %d\n", st, strerror(errno), (int)pipes);

	x87frame();

	signal(SIGSEGV, onsegv);
	if(sigsetjmp(jb, 1) == 0)
		*(volatile int *)16 = 1;
	printf("segv %d, fp %.2f still good\n", (int)segv, f * 2);

	/* default action of SIGTERM ends us: status 143 from the shell */
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	kill(getpid(), SIGTERM);
	printf("not reached\n");
	return 0;
}
