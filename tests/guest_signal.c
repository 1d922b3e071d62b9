/* guest_signal — signal delivery: a handler for a self-sent SIGUSR1 with
 * siginfo, SIGCHLD from a child, SIGPIPE on a closed pipe (EPIPE once
 * ignored), masks, and SIGSEGV from a bad access caught and survived via
 * siglongjmp; the selectors in the handler's frame (as the guest reads
 * them from the registers); the x87 state in the frame, in Linux's
 * layout; where cpuid offers AVX2, the ymm upper halves in the frame's
 * XSAVE image and put back by sigreturn; SIGSEGV's address for stack
 * slots that wrap past 0 or 4 GiB (the long engine addresses them
 * without addr32: doc/translator.md, "Stack slots get %gs alone"),
 * taken on an alternate stack; SIGILL from an instruction the CPU
 * refuses, rewritten in place into one it runs behind the same first
 * bytes, again and again.  Prints the same as natively. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "guest/haveavx2.h"

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

/* ymm0-7 across a handler that changes them all: sigreturn puts back the
 * frame's image, which the handler saw (Linux's _fpx_sw_bytes, the XSAVE
 * header, the AVX part at 576, magic2) and changed for ymm1. */
static uint32_t yin[8][8], yout[8][8];
static volatile int yframe;	/* 1: the frame's image as Linux's, with ymm0's upper half */

__attribute__((target("avx2"))) static void
onymm(int sig, siginfo_t *si, void *v)
{
	ucontext_t *uc = v;
	uint8_t *x = (uint8_t *)uc->uc_mcontext.fpregs + 112;
	uint32_t m1, xs, m2, feat, bv;

	(void)sig;
	(void)si;
	memcpy(&m1, x + 464, 4);
	memcpy(&feat, x + 472, 4);
	memcpy(&xs, x + 480, 4);
	memcpy(&bv, x + 512, 4);
	memcpy(&m2, x + xs, 4);
	yframe = m1 == 0x46505853 && m2 == 0x46505845 && (feat & 4) && (bv & 4) &&
		memcmp(x + 576, &yin[0][4], 16) == 0;
	memset(x + 576 + 16, 0x5a, 16);			/* ymm1's upper half */
	__asm__ volatile("vpcmpeqd %%ymm0,%%ymm0,%%ymm0\n vmovdqa %%ymm0,%%ymm1\n vmovdqa %%ymm0,%%ymm2\n"
		" vmovdqa %%ymm0,%%ymm3\n vmovdqa %%ymm0,%%ymm4\n vmovdqa %%ymm0,%%ymm5\n"
		" vmovdqa %%ymm0,%%ymm6\n vmovdqa %%ymm0,%%ymm7"
		::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7");
}

__attribute__((target("avx2"))) static void
ymmkill(void)
{
	int pid = getpid();

	__asm__ volatile(
		"vmovdqu 0(%1),%%ymm0\n vmovdqu 32(%1),%%ymm1\n vmovdqu 64(%1),%%ymm2\n vmovdqu 96(%1),%%ymm3\n"
		"vmovdqu 128(%1),%%ymm4\n vmovdqu 160(%1),%%ymm5\n vmovdqu 192(%1),%%ymm6\n vmovdqu 224(%1),%%ymm7\n"
		"push %%ebx\n mov %%eax,%%ebx\n mov $37,%%eax\n mov $12,%%ecx\n int $0x80\n pop %%ebx\n"	/* kill(pid, SIGUSR2) */
		"vmovdqu %%ymm0,0(%2)\n vmovdqu %%ymm1,32(%2)\n vmovdqu %%ymm2,64(%2)\n vmovdqu %%ymm3,96(%2)\n"
		"vmovdqu %%ymm4,128(%2)\n vmovdqu %%ymm5,160(%2)\n vmovdqu %%ymm6,192(%2)\n vmovdqu %%ymm7,224(%2)\n vzeroupper"
		: "+a"(pid) : "S"(yin), "D"(yout)
		: "ecx", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "memory");
}

static void
ymmframe(void)
{
	struct sigaction sa;
	int i, j, bad;

	if(!haveavx2()){
		printf("ymm across a handler: frame as Linux's, kept, ymm1 as the frame says\n");
		return;
	}
	for(i = 0; i < 8; i++)
		for(j = 0; j < 8; j++)
			yin[i][j] = 0x9e3779b9u * (uint32_t)(i * 8 + j + 1);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onymm;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	ymmkill();
	bad = 0;
	for(i = 0; i < 8; i++)
		for(j = 0; j < 8; j++)
			if(yout[i][j] != (i == 1 && j >= 4 ? 0x5a5a5a5au : yin[i][j]))
				bad++;
	printf("ymm across a handler: frame %s, %s, ymm1 %s\n", yframe ? "as Linux's" : "not as Linux's",
		bad == 0 ? "kept" : "changed", yout[1][4] == 0x5a5a5a5au ? "as the frame says" : "not as the frame says");
}

/* Stack slots whose address wraps: natively into page 0 or the top
 * page, never mapped for i386 programs. */
static volatile uint32_t wrapaddr;
uint32_t wrapesp;	/* not static: the asm names it */

static void
onwrap(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	wrapaddr = (uint32_t)(uintptr_t)si->si_addr;
	siglongjmp(jb, 1);
}

#define WRAP(name, esp, insn) \
	static void name(void) { \
		__asm__ volatile("mov %%esp, wrapesp\n\tmov $" #esp ", %%esp\n\t" insn "\n\tmov wrapesp, %%esp" ::: "eax", "memory"); \
	}
WRAP(wpush, 0, "push %%eax")
WRAP(wload, 0xfffffff8, "mov 0x10(%%esp), %%eax")
WRAP(wloadneg, 4, "mov -8(%%esp), %%eax")
WRAP(wpop, 0xfffffffc, "pop %%eax")
WRAP(wstore, 0x10, "movl $1, -0x18(%%esp)")
WRAP(wcall, 0, "call 1f\n1:")

static void
stackwrap(void)
{
	static char alt[65536];
	static const struct { const char *what; void (*f)(void); } w[] = {
		{ "push at esp 0", wpush },
		{ "load 0x10(%esp) at esp 0xfffffff8", wload },
		{ "load -8(%esp) at esp 4", wloadneg },
		{ "pop at esp 0xfffffffc", wpop },
		{ "store -0x18(%esp) at esp 0x10", wstore },
		{ "call at esp 0", wcall },
	};
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
	struct sigaction sa;
	unsigned i;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onwrap;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	for(i = 0; i < sizeof w / sizeof w[0]; i++){
		wrapaddr = 0x12345678;
		if(sigsetjmp(jb, 1) == 0){
			w[i].f();
			printf("%s: no fault\n", w[i].what);
		}else
			printf("%s: SIGSEGV at %#x\n", w[i].what, (unsigned)wrapaddr);
	}
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

static void onchld(int sig) { (void)sig; chld++; }
static void onpipe(int sig) { (void)sig; pipes++; }
static void onsegv(int sig) { (void)sig; segv++; siglongjmp(jb, 1); }

static sigjmp_buf udjb;

static void
onill(int sig)
{
	(void)sig;
	siglongjmp(udjb, 1);
}

/* After four nops, lock inc %eax (#UD: lock on a register) and lock
 * incl (%eax), the same first two bytes, in turn at one place 40 times
 * (the page is rewritten often enough that the sandbox checks its bytes
 * rather than write-protecting it): each call as the bytes are now.
 * Until session 22's red team the sandbox kept the #UD once the page was
 * checked: a refused instruction's fragment ended at its first byte. */
static void
udrewrite(void)
{
	static const unsigned char bad[] = { 0x90, 0x90, 0x90, 0x90, 0xf0, 0xff, 0xc0, 0xc3 },
		good[] = { 0x90, 0x90, 0x90, 0x90, 0xf0, 0xff, 0x00, 0xc3 };
	volatile uint32_t counter = 0;
	volatile int wrong = 0, ills = 0;
	struct sigaction sa;
	unsigned char *u;

	u = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(u == MAP_FAILED){
		printf("mmap failed\n");
		return;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onill;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGILL, &sa, NULL);
	for(int k = 0; k < 40; k++){
		int ud = k % 2 == 0;
		memcpy(u, ud ? bad : good, sizeof bad);
		if(sigsetjmp(udjb, 1) == 0){
			__asm__ volatile("call *%1" : : "a"(&counter), "r"(u) : "memory", "cc");
			wrong += ud;
		}else{
			ills++;
			wrong += !ud;
		}
	}
	printf("refused then run: %d #UD, counter %u, %d wrong\n", ills, counter, wrong);
	munmap(u, 4096);
}

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
	ymmframe();

	signal(SIGSEGV, onsegv);
	if(sigsetjmp(jb, 1) == 0)
		*(volatile int *)16 = 1;
	printf("segv %d, fp %.2f still good\n", (int)segv, f * 2);
	stackwrap();
	udrewrite();

	/* default action of SIGTERM ends us: status 143 from the shell */
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	kill(getpid(), SIGTERM);
	printf("not reached\n");
	return 0;
}
