/*
 * guest_stackgap.c — a stack overflow faults at the stack's end, not in
 * a mapping below it: Linux keeps a guard gap (stack_guard_gap) between
 * the stack and any mapping it places, so a runaway recursion gets
 * SIGSEGV (here handled on an alternate stack) before it writes over
 * anything.  A private anonymous mapping made first, which vxinferno
 * placed right below the stack region, and the interpreter's data
 * (ld.so's, in python's faulthandler test_stack_overflow) were written
 * over instead.  Its output must be the same natively and under
 * vxinferno (tests/vxinferno_stackgap.t).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { LEN = 256 << 10 };

static unsigned char *region;

static void
onsegv(int sig, siginfo_t *si, void *ctx)
{
	char buf[128];
	int i, intact, n;

	(void)sig, (void)si, (void)ctx;
	intact = 1;
	for(i = 0; i < LEN; i++)
		if(region[i] != 0x5a)
			intact = 0;
	n = snprintf(buf, sizeof buf, "SIGSEGV on the alternate stack; the mapping made first intact: %d\n", intact);
	write(1, buf, n);
	_exit(0);
}

/* a frame of 1 KiB a call, each written, none a tail call */
static int __attribute__((noinline))
deeper(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	pad[sizeof pad - 1] = (char)n;
	return deeper(n + 1) + pad[0];
}

int
main(void)
{
	struct sigaction sa;
	stack_t ss;

	region = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(region == MAP_FAILED){
		perror("mmap");
		return 1;
	}
	memset(region, 0x5a, LEN);
	ss.ss_sp = malloc(1 << 16);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	if(sigaltstack(&ss, NULL) < 0){
		perror("sigaltstack");
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onsegv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	printf("recursing\n");
	fflush(stdout);
	return deeper(0) != 0;
}
