/*
 * guest_sigrun.c — signals landing anywhere in the long engine's
 * session-24 forms, on a handler that scribbles over 2 KiB of its stack
 * (tests/vxinferno_sigrun.t, natively and in the sandbox):
 *
 *	runs	a run of pushes and pops across stack-slot instructions
 *		(translong.c, stkslot): the handler's frame goes below the
 *		esp the guest is stopped with; were that the esp of the run's
 *		start, it would land on the pushed values
 *	jtab	a jump through a table keyed by ecx (jtsite: ecx spilled at
 *		the site, reloaded at the target): each target checks the ecx
 *		and the ebx it sees
 *
 * Each prints how many results were wrong (0) and whether enough signals
 * came (a loop runs until 300 have, or a bound).  Red team, session 24.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t nsig;

static void
scribble(int sig)
{
	volatile uint8_t junk[2048];
	int i;

	(void)sig;
	for(i = 0; i < (int)sizeof junk; i++)
		junk[i] = (uint8_t)(0xa5 ^ i);
	nsig++;
}

uint32_t runs(uint32_t a, uint32_t b);
uint32_t jt(uint32_t k);

__asm__(
	".text\n"
	/* runs(a, b) = ((a<<3 ^ (a+b)) + (a<<3) + b) ^ (a+b) ^ b, through
	 * pushes, stack slots and pops */
	".globl runs\n"
	"runs:\n"
	" push %ebx\n push %esi\n push %edi\n push %ebp\n"	/* a at 20, b at 24 */
	" mov 20(%esp),%eax\n"
	" push %eax\n"					/* [a]; b at 28 */
	" push 28(%esp)\n"				/* [b][a] */
	" mov 4(%esp),%ebx\n"				/* a */
	" add (%esp),%ebx\n"				/* a + b */
	" push %ebx\n"					/* [a+b][b][a] */
	" shll $3,8(%esp)\n"				/* leaves the run: [a+b][b][a<<3] */
	" push 8(%esp)\n"				/* [a<<3][a+b][b][a<<3] */
	" mov 12(%esp),%esi\n"
	" xor 4(%esp),%esi\n"
	" add (%esp),%esi\n add 8(%esp),%esi\n"
	" pop %eax\n pop %ecx\n pop %edx\n pop %edi\n"
	" xor %ecx,%eax\n xor %edx,%eax\n xor %edi,%eax\n"	/* (a+b) ^ b */
	" xor %esi,%eax\n"
	" pop %ebp\n pop %edi\n pop %esi\n pop %ebx\n"
	" ret\n"
	/* jt(k): through a table keyed by ecx = k & 3; each target checks
	 * ecx and ebx (k) and returns its index + 16 * bad */
	".globl jt\n"
	"jt:\n"
	" push %ebx\n"
	" mov 8(%esp),%ebx\n"
	" mov %ebx,%ecx\n and $3,%ecx\n"
	" mov $jttab,%edx\n"
	" mov (%edx,%ecx,4),%eax\n"
	" jmp *%eax\n"
	"jt0: xor %eax,%eax\n cmp $0,%ecx\n jmp 9f\n"
	"jt1: mov $1,%eax\n cmp $1,%ecx\n jmp 9f\n"
	"jt2: mov $2,%eax\n cmp $2,%ecx\n jmp 9f\n"
	"jt3: mov $3,%eax\n cmp $3,%ecx\n"
	"9: je 8f\n add $16,%eax\n"
	"8: and $3,%ebx\n cmp %ebx,%ecx\n je 7f\n add $16,%eax\n"
	"7: pop %ebx\n ret\n"
	".section .rodata\n .align 4\n"
	"jttab: .long jt0, jt1, jt2, jt3\n"
	".text\n"
);

enum { WANT = 300, BOUND = 200000000 };

static void
storm(const char *what, int jump)
{
	struct itimerval it;
	uint32_t i, bad = 0, a, b, want;

	nsig = 0;
	memset(&it, 0, sizeof it);
	it.it_interval.tv_usec = 200;
	it.it_value.tv_usec = 200;
	setitimer(ITIMER_REAL, &it, NULL);
	for(i = 0; i < BOUND && (nsig < WANT || i < 100000); i++){
		if(jump){
			bad += jt(i) != (i & 3);
		}else{
			a = i * 2654435761u;
			b = i ^ 0x5bd1e995;
			want = (((a << 3) ^ (a + b)) + (a << 3) + b) ^ (a + b) ^ b;
			bad += runs(a, b) != want;
		}
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	printf("%s: wrong %u, enough signals %d\n", what, bad, nsig >= WANT);
}

int
main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = scribble;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	storm("runs", 0);
	storm("jtab", 1);
	return 0;
}
