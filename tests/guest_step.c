/*
 * guest_step.c — single-stepping by the trap flag, run under the
 * reference and under vxinferno (tests/vxinferno_step.t); the outputs
 * must match.  A SIGTRAP handler that leaves TF set in the frame it
 * returns through steps the program one instruction at a time, as a
 * debugger in the process (or anti-debug code) does: each SIGTRAP comes
 * after one instruction, at the next one's address.  TF set by popf,
 * and by a SIGUSR1 handler in its frame; straight code, jumps, a call
 * and a ret, a loop, cpuid, daa and lsl (which the runtime does), pushf (its
 * TF), a system call, indirect jumps and calls, rep movsb, a fault under
 * TF; TF cleared by the handler or by the program's own popf ends the
 * stepping.  And runs of pushes and pops across stack-slot instructions
 * with a jump through a table keyed by ecx (the long engine's forms of
 * session 24, translong.c stkslot and jtsite; red team), each step's esp
 * and ecx printed too.  TF set by a popf whose block ends there (the
 * next instruction's block translated before, its start reached by a
 * jump); and a step whose call lands in a block of a page that checks
 * its bytes (written often) after they changed (red team, session 26).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

enum { TF = 0x100, MAXSTEP = 256 };

extern char region[], region_end[], usrregion[], usrregion_end[], popfregion[], faultat[];
extern char mixregion[], mixregion_end[], runregion[], runregion_end[];
extern char joinregion[], joinregion_end[], smcpage[], smct[], smcregion[], smcregion_end[];
unsigned long runesp;

static unsigned long seen[MAXSTEP];
static int seentf[MAXSTEP];
static long seenesp[MAXSTEP];
static unsigned long seenecx[MAXSTEP];
static int withregs;
static volatile int nseen;
static char *base, *stopat;
static int firstcode = -1;
static char *firstaddr, *firsteip;
static volatile int segvs;

static void
ontrap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char *eip = (char *)uc->uc_mcontext.gregs[REG_EIP];

	(void)sig;
	if(firstcode < 0){
		firstcode = si->si_code;
		firstaddr = si->si_addr;
		firsteip = eip;
	}
	if(nseen < MAXSTEP){
		seentf[nseen] = (uc->uc_mcontext.gregs[REG_EFL] & TF) != 0;
		seenesp[nseen] = (long)(uc->uc_mcontext.gregs[REG_ESP] - runesp);
		seenecx[nseen] = uc->uc_mcontext.gregs[REG_ECX];
		seen[nseen++] = eip - base;
	}
	if(eip == stopat || nseen >= MAXSTEP)
		uc->uc_mcontext.gregs[REG_EFL] &= ~TF;
}

static void
onusr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_EFL] |= TF;
}

static void
onsegv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	segvs++;
	uc->uc_mcontext.gregs[REG_EIP] += 2;	/* past the 2-byte faulting load */
}

static void
report(const char *what)
{
	int i;

	printf("%s: %d steps:", what, nseen);
	for(i = 0; i < nseen; i++){
		printf(" %lu%s", seen[i], seentf[i] ? "" : "(no TF)");
		if(withregs)
			printf("[esp %ld ecx %lu]", seenesp[i], seenecx[i]);
	}
	printf("\n");
	nseen = 0;
}

/* Straight code, a jump, a call and ret, a loop of three, then the end:
 * entered with TF set by popf. */
__asm__(
	".text\n"
	"stepped:\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"region:\n"
	"	nop\n"
	"	movl $3, %ecx\n"
	"	addl $1, %eax\n"
	"	jmp 1f\n"
	"	ud2\n"
	"1:	call 2f\n"
	"	jmp 3f\n"
	"2:	leal 4(%eax), %eax\n"
	"	ret\n"
	"3:	decl %ecx\n"
	"	jnz 3b\n"
	"	xchgl %eax, %edx\n"
	"region_end:\n"
	"	nop\n"
	"	ret\n"
	/* stepped from a SIGUSR1 handler's frame: the kill returns into it */
	"usrstepped:\n"
	"	movl $37, %eax\n"	/* kill(getpid(), SIGUSR1) */
	"	int $0x80\n"
	"usrregion:\n"
	"	nop\n"
	"	incl %edx\n"
	"	incl %edx\n"
	"usrregion_end:\n"
	"	nop\n"
	"	ret\n"
	/* stepping ended by the program's own popf */
	"popfstepped:\n"
	"	pushfl\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"popfregion:\n"
	"	nop\n"
	"	nop\n"
	"	popfl\n"	/* the flags from before: TF clear */
	"	nop\n"
	"	nop\n"
	"	ret\n"
	/* what the runtime does for the translation (cpuid, daa), pushf
	 * (its TF), a system call, indirect jumps and calls, a string
	 * instruction repeated */
	"mixstepped:\n"
	"	pushl %ebx\n"
	"	pushl %esi\n"
	"	pushl %edi\n"
	"	subl $16, %esp\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"mixregion:\n"
	"	xorl %eax, %eax\n"
	"	cpuid\n"
	"	movl $0x19, %eax\n"
	"	daa\n"
	"	movl $0x2b, %eax\n"
	"	lsl %eax, %eax\n"
	"	pushfl\n"
	"	popl %edx\n"
	"	andl $0x100, %edx\n"
	"	movl %edx, 12(%esp)\n"
	"	movl $20, %eax\n"	/* getpid */
	"	int $0x80\n"
	"	nop\n"
	"	leal 4f, %eax\n"
	"	jmp *%eax\n"
	"	ud2\n"
	"4:	leal 5f, %eax\n"
	"	call *%eax\n"
	"	movl %esp, %esi\n"
	"	movl %esp, %edi\n"
	"	movl $3, %ecx\n"
	"	rep movsb\n"
	"	jmp 6f\n"
	"5:	ret\n"
	"6:	movl 12(%esp), %eax\n"
	"mixregion_end:\n"
	"	nop\n"
	"	addl $16, %esp\n"
	"	popl %edi\n"
	"	popl %esi\n"
	"	popl %ebx\n"
	"	ret\n"
	/* runs of pushes across stack slots, a table jump keyed by ecx, a
	 * call in a run */
	"runstepped:\n"
	"	pushl %ebx\n"
	"	pushl %esi\n"
	"	pushl %edi\n"
	"	pushl %ebp\n"
	"	movl %esp, runesp\n"
	"	movl $9, %ecx\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"runregion:\n"
	"	movl $7, %eax\n"
	"	pushl %eax\n"
	"	pushl (%esp)\n"
	"	movl 4(%esp), %ebx\n"
	"	addl $3, (%esp)\n"
	"	pushl 8(%esp)\n"
	"	subl $8, %esp\n"
	"	movl %eax, 4(%esp)\n"
	"	cmpl $7, 4(%esp)\n"
	"	popl %edx\n"
	"	popl %edx\n"
	"	movl (%esp), %esi\n"
	"	popl %edx\n"
	"	popl %edx\n"
	"	popl %edx\n"
	"	movl $2, %ecx\n"
	"	movl $runtab, %edx\n"
	"	movl (%edx,%ecx,4), %eax\n"
	"	jmp *%eax\n"
	"r0:	ud2\n"
	"r1:	ud2\n"
	"r2:	movl %ecx, %edi\n"
	"	pushl %edi\n"
	"	pushl $5\n"
	"	call 7f\n"
	"	addl $8, %esp\n"
	"	jmp 8f\n"
	"7:	pushl %ebx\n"
	"	movl 8(%esp), %ebx\n"
	"	addl 12(%esp), %ebx\n"
	"	popl %ebx\n"
	"	ret\n"
	"8:	nop\n"
	"runregion_end:\n"
	"	nop\n"
	"	popl %ebp\n"
	"	popl %edi\n"
	"	popl %esi\n"
	"	popl %ebx\n"
	"	ret\n"
	".section .rodata\n"
	"	.align 4\n"
	"runtab:	.long r0, r1, r2\n"
	".text\n"
	/* a fault under TF: the SIGSEGV handler moves on, stepping goes on */
	"faultstepped:\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"	nop\n"
	"faultat:\n"
	"	movl (%eax), %eax\n"	/* 2 bytes; eax 0 */
	"	nop\n"
	"	nop\n"
	"	ret\n"
	/* TF set by a popf whose block ends there: joinregion is
	 * translated before, so the block after the popf jumps to it */
	"joinstepped:\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"joinregion:\n"
	"	nop\n"
	"	nop\n"
	"joinregion_end:\n"
	"	nop\n"
	"	ret\n"
	/* calls of smct, a block on a page of its own that is written
	 * often (its blocks then check their bytes), whose bytes change
	 * after smcregion's calls were chained to it */
	"smcstepped:\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"smcregion:\n"
	"	call smct\n"
	"	call smct\n"
	"smcregion_end:\n"
	"	nop\n"
	"	ret\n"
	".section .text.stepsmc, \"ax\"\n"
	"	.balign 4096\n"
	"smcpage:\n"
	"smct:	movl $1, %eax\n"
	"	ret\n"
	"	.balign 4096\n"
	".text\n"
);

void stepped(void), usrstepped(int, int), popfstepped(void), faultstepped(void), runstepped(void);
void joinstepped(void), smcstepped(void);
int mixstepped(void);

int
main(void)
{
	struct sigaction sa;
	void *fn;
	int i;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = ontrap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	sa.sa_sigaction = onusr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = onsegv;
	sigaction(SIGSEGV, &sa, NULL);

	base = region;
	stopat = region_end;
	stepped();
	report("popf, then the handler keeps TF");
	/* Linux's si_code and si_addr (qemu says TRAP_BRKPT): apart */
	printf("apart: si_code %d, si_addr the next instruction %d\n", firstcode, firstaddr == firsteip);

	base = usrregion;
	stopat = usrregion_end;
	__asm__ volatile("call usrstepped" : : "b"(getpid()), "c"(SIGUSR1) : "eax", "edx", "memory", "cc");
	report("TF from a SIGUSR1 handler's frame");

	base = popfregion;
	stopat = NULL;
	popfstepped();
	report("stepping ended by the program's popf");

	base = mixregion;
	stopat = mixregion_end;
	i = mixstepped();
	report("cpuid, daa, pushf, a system call, indirect jumps, rep movsb");
	printf("pushf under TF pushed TF: %d\n", i != 0);

	base = runregion;
	stopat = runregion_end;
	withregs = 1;
	runstepped();
	report("runs of pushes across stack slots, a table jump, a call");
	withregs = 0;

	base = faultat;
	stopat = faultat + 4;
	__asm__ volatile("call faultstepped" : : "a"(0) : "memory", "cc");
	report("a fault while stepping");
	printf("SIGSEGVs: %d\n", segvs);

	base = joinregion;
	stopat = joinregion_end;
	fn = joinregion;
	__asm__ volatile("call *%0" : : "r"(fn) : "memory", "cc");	/* translated first */
	fn = joinstepped;
	__asm__ volatile("call *%0" : : "r"(fn) : "memory", "cc");	/* a block of its own */
	report("popf at its block's end, the next block translated before");

	if(mprotect(smcpage, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0){
		perror("mprotect");
		return 1;
	}
	for(i = 0; i < 16; i++){
		smct[1] = (char)i;	/* the page written again and again */
		__asm__ volatile("call smcregion" : : : "eax", "memory", "cc");
	}
	smct[1] = 99;
	base = smcregion;
	stopat = smcregion_end;
	__asm__ volatile("call smcstepped" : : : "eax", "memory", "cc");
	report("chained calls into a block whose checked bytes changed");
	return 0;
}
