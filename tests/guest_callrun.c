/*
 * guest_callrun.c — call sites whose pushes and call are one run (the
 * long engine moves esp once, ahead of the run's stores: translong.c,
 * callrun), run under the reference and under vxinferno
 * (tests/vxinferno_callrun.t); the outputs must match.  A million
 * returns first, so that the long engine translates what follows warm,
 * the form that moves a call site's esp first.
 *
 * - The caller's flags reach the callee: callees whose first
 *   instructions read them (pushf, adc, jc, and a prologue's pushes
 *   before a pushf), over compares of many value pairs.
 * - A callee rewritten after its caller was translated: its first
 *   instruction writes the flags (xor), then reads them (pushf).
 * - A fault in each store of such a run (the stack's next page not
 *   mapped): the SIGSEGV's eip and esp are the faulting push's or the
 *   call's, as natively.
 * - Stepped by the trap flag through such a call: each step's eip and
 *   esp; a profiling timer's signals landing in such a run: esp at each
 *   instruction.
 * - Edges: a slot push whose displacement with the change made ahead
 *   does not fit 8 bits, the largest change made ahead, a run across a
 *   page's end.
 * - Stepped by the trap flag through a run whose subs from esp are
 *   followed by instructions that write every flag (the translation
 *   drops the subs' flags): a step after each instruction, each sub's
 *   flags seen (red team, session 25: two steps were lost at each).
 * - A call into its own run (the target a push in the middle of it),
 *   recursing until the stack reaches an unmapped page: the SIGSEGV's
 *   eip and esp, the handler leaving by siglongjmp.
 * - A run that goes up after its push (add $63,%esp, two pops; add
 *   $67,%esp and a ret) before it goes down to its call: the pending
 *   change plus what callrun would make ahead passes 127, so the pops'
 *   and the ret's loads took a slot 256 bytes off (red team, session 25).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

enum { TF = 0x100, FLAGS = 0x8d5, MAXSTEP = 64 };	/* CF PF AF ZF SF OF */

extern char fstore[], fstore_end[], frecover[], stepregion[], stepregion_end[], foldregion[], foldregion_end[];
extern char stepcall[], stepfold[];
extern char asyncrun[], async0[], async1[], async2[], async3[], async4[], async5[], async6[], asynccallee[], asyncend[];
extern char popsup[], retup[], retok[], retwrong[], upmid[];
extern char midrun[], midrun1[], midrun2[], midrun3[];
unsigned long savedesp, stepesp, asyncesp, foldsaved;
/* the stack stepfold runs on: the flags of its subs from esp depend on
 * esp's value, the same in a static binary's bss natively and here; the
 * trap handler's frames go below its top */
char foldstack[32768] __attribute__((aligned(16)));
/* the stack of the runs that go up: upmid is its middle */
__asm__(".data\n.balign 16\nupstack: .fill 512, 1, 0\nupmid: .fill 512, 1, 0\n.text\n");

/* flags(a, b): cmp %edx,%eax, then a run of two pushes and a call to a
 * callee that reads them first; each returns what it read */
__asm__(
	".text\n"
	"viapushf:\n"
	"	cmpl %edx, %eax\n"
	"	pushl %eax\n"
	"	pushl %edx\n"
	"	call rdpushf\n"
	"	addl $8, %esp\n"
	"	ret\n"
	"rdpushf:\n"
	"	pushfl\n"
	"	popl %eax\n"
	"	ret\n"
	"viaadc:\n"
	"	cmpl %edx, %eax\n"
	"	pushl %ebx\n"
	"	pushl 4(%esp)\n"
	"	movl $0, %eax\n"
	"	call rdadc\n"
	"	addl $4, %esp\n"
	"	popl %ebx\n"
	"	ret\n"
	"rdadc:\n"
	"	adcl $0, %eax\n"
	"	ret\n"
	"viajc:\n"
	"	subl %edx, %eax\n"
	"	pushl $1\n"
	"	pushl $2\n"
	"	pushl $3\n"
	"	call rdjc\n"
	"	addl $12, %esp\n"
	"	ret\n"
	"rdjc:\n"
	"	jc 1f\n"
	"	movl $0, %eax\n"
	"	ret\n"
	"1:	movl $1, %eax\n"
	"	ret\n"
	"viaprologue:\n"
	"	cmpl %edx, %eax\n"
	"	pushl %eax\n"
	"	call rdprologue\n"
	"	addl $4, %esp\n"
	"	ret\n"
	"rdprologue:\n"
	"	pushl %ebp\n"
	"	movl %esp, %ebp\n"
	"	pushl %ebx\n"
	"	pushfl\n"
	"	popl %eax\n"
	"	popl %ebx\n"
	"	popl %ebp\n"
	"	ret\n"
	/* the run's stores, esp in %eax: the SIGSEGV handler comes back to
	 * frecover with the old esp */
	"storerun:\n"
	"	movl %esp, savedesp\n"
	"	movl %eax, %esp\n"
	"fstore:\n"
	"	pushl $1\n"
	"	pushl %ebx\n"
	"	pushl $3\n"
	"	call fstore_end\n"
	"fstore_end:\n"
	"	movl savedesp, %esp\n"
	"frecover:\n"
	"	ret\n"
	/* stepped: a run to a call whose callee reads the flags */
	"stepcall:\n"
	"	pushl %ebx\n"
	"	movl %esp, stepesp\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"stepregion:\n"
	"	cmpl $5, %eax\n"
	"	pushl %eax\n"
	"	pushl 4(%esp)\n"
	"	movl (%esp), %ebx\n"
	"	pushl $9\n"
	"	call rdstep\n"
	"	addl $12, %esp\n"
	"stepregion_end:\n"
	"	nop\n"
	"	popl %ebx\n"
	"	ret\n"
	/* stepped: a run with subs from esp whose next instruction writes
	 * every flag (the translation drops the sub's flags), the call's
	 * callee reading the flags */
	"stepfold:\n"
	"	testl %eax, %eax\n"	/* the flags the first steps see */
	"	pushl %ebx\n"
	"	movl %esp, foldsaved\n"
	"	leal foldstack+32768, %esp\n"	/* the same address natively */
	"	movl %esp, stepesp\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	"foldregion:\n"
	"	pushl %eax\n"
	"	subl $4, %esp\n"
	"	addl $1, %eax\n"
	"	pushl %eax\n"
	"	subl $8, %esp\n"
	"	xorl %ebx, %ebx\n"
	"	pushl %ebx\n"
	"	subl $5, %esp\n"
	"	call rdstep\n"
	"	addl $29, %esp\n"
	"foldregion_end:\n"
	"	nop\n"
	"	movl foldsaved, %esp\n"
	"	popl %ebx\n"
	"	ret\n"
	/* a slot push whose displacement with the run's change made ahead
	 * no longer fits 8 bits, and the largest run made ahead */
	"farslot:\n"
	"	subl $0x7c, %esp\n"
	"	movl %eax, 0x78(%esp)\n"
	"	pushl 0x78(%esp)\n"
	"	pushl %edx\n"
	"	call sumargs\n"
	"	addl $0x84, %esp\n"
	"	ret\n"
	"bigrun:\n"
	"	subl $0x34, %esp\n"
	"	movl %eax, (%esp)\n"
	"	pushl %edx\n"
	"	pushl %eax\n"
	"	call sumargs\n"
	"	addl $0x3c, %esp\n"
	"	ret\n"
	"sumargs:\n"
	"	movl 4(%esp), %eax\n"
	"	addl 8(%esp), %eax\n"
	"	ret\n"
	/* interrupted by a timer's signals: each point's esp known */
	"asyncrun:\n"
	"	movl %esp, asyncesp\n"
	"async0:	pushl %eax\n"
	"async1:	pushl %ebx\n"
	"async2:	pushl $5\n"
	"async3:	pushl 8(%esp)\n"
	"async4:	call asynccallee\n"
	"async5:	addl $16, %esp\n"
	"async6:	ret\n"
	"asynccallee:\n"
	"	ret\n"
	"asyncend:\n"
	/* a run whose call goes to its own second push, esp in %eax: it
	 * recurses until a store faults */
	"midgo:\n"
	"	movl %eax, %esp\n"
	"midrun:	pushl %eax\n"
	"midrun1:	pushl %ebx\n"
	"	decl %ecx\n"
	"midrun2:	pushl $7\n"
	"midrun3:	call midrun1\n"
	/* runs that go up, esp in upstack's middle (upmid): pops above it,
	 * then a sub and a call (the pops' loads at the pending change 126
	 * and 130 with 67 made ahead) */
	"popsup:\n"
	"	movl %esp, savedesp\n"
	"	leal upmid, %esp\n"
	"	pushl %eax\n"
	"	addl $63, %esp\n"
	"	popl %ebx\n"
	"	popl %ecx\n"
	"	subl $130, %esp\n"
	"	call upcallee\n"
	"	movl savedesp, %esp\n"
	"	ret\n"
	"upcallee:\n"
	"	movl %ecx, %eax\n"
	"	ret\n"
	/* a ret at the pending change 130: it returns through upmid+63 (to
	 * retok); what follows it, seen only by the decoding ahead, goes down
	 * to a call */
	"retup:\n"
	"	movl %esp, savedesp\n"
	"	leal upmid, %esp\n"
	"	pushl %eax\n"
	"	addl $67, %esp\n"
	"	ret\n"
	"	subl $126, %esp\n"
	"	call upcallee\n"
	"retok:\n"
	"	movl savedesp, %esp\n"
	"	movl $1, %eax\n"
	"	ret\n"
	"retwrong:\n"
	"	movl savedesp, %esp\n"
	"	movl $2, %eax\n"
	"	ret\n"
	"rdstep:\n"
	"	adcl $0, %eax\n"
	"	pushl %ebp\n"
	"	popl %ebp\n"
	"	ret\n"
);

/* A million and more returns: the long engine translates warm from then
 * on (translate.c, vx_rtabwarm), the form whose call sites' runs move
 * esp first; the code before (cold) keeps the lea at the call. */
static void
warm(void)
{
	long i;

	for(i = 0; i < 1500000; i++)
		__asm__ volatile("call 1f\n\tjmp 2f\n1:\tret\n2:" : : : "memory");
}

static unsigned
flags(const char *how, unsigned a, unsigned b)
{
	unsigned r;

	if(strcmp(how, "pushf") == 0)
		__asm__ volatile("call viapushf" : "=a"(r) : "a"(a), "d"(b) : "memory", "cc");
	else if(strcmp(how, "adc") == 0)
		__asm__ volatile("call viaadc" : "=a"(r) : "a"(a), "d"(b) : "memory", "cc");
	else if(strcmp(how, "jc") == 0)
		__asm__ volatile("call viajc" : "=a"(r), "+d"(b) : "a"(a) : "memory", "cc");
	else
		__asm__ volatile("call viaprologue" : "=a"(r) : "a"(a), "d"(b) : "memory", "cc");
	return strcmp(how, "adc") == 0 || strcmp(how, "jc") == 0 ? r : r & FLAGS;
}

static const unsigned vals[] = { 0, 1, 2, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffff0, 0xfffffffe, 0xffffffff };

static void
flagcalls(void)
{
	static const char *hows[] = { "pushf", "adc", "jc", "prologue" };
	unsigned i, j, k, sum, r;

	for(k = 0; k < 4; k++){
		printf("callee reads the flags by %s:", hows[k]);
		for(i = 0; i < sizeof vals / sizeof vals[0]; i++){
			sum = 0;
			for(j = 0; j < sizeof vals / sizeof vals[0]; j++){
				r = flags(hows[k], vals[i], vals[j]);
				sum = sum * 31 + r;
			}
			printf(" %08x", sum);
		}
		printf("\n");
	}
}

/* A caller and its callee on two pages written here: the caller
 * translated, the callee's first instruction rewritten (from one that
 * writes the flags to one that reads them), the caller called again. */
static void
rewritten(void)
{
	static const unsigned char caller[] = {
		0x39, 0xd0,			/* cmp %edx,%eax */
		0x50,				/* push %eax */
		0x52,				/* push %edx */
		0xe8, 0, 0, 0, 0,		/* call the next page */
		0x83, 0xc4, 0x08,		/* add $8,%esp */
		0xc3,				/* ret */
	};
	static const unsigned char killer[] = { 0x31, 0xc0, 0x9c, 0x58, 0xc3 };	/* xor %eax,%eax; pushf; pop %eax; ret */
	static const unsigned char reader[] = { 0x90, 0x90, 0x9c, 0x58, 0xc3 };	/* nop; nop; pushf; pop %eax; ret */
	unsigned char *p;
	unsigned rel, r, i, round;
	void (*fn)(void);

	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED){
		printf("mmap: failed\n");
		return;
	}
	memcpy(p, caller, sizeof caller);
	rel = 4096 - 9;
	memcpy(p + 5, &rel, 4);
	fn = (void (*)(void))p;
	for(round = 0; round < 3; round++){
		memcpy(p + 4096, round == 1 ? reader : killer, sizeof killer);
		printf("callee rewritten, round %u:", round);
		for(i = 0; i < sizeof vals / sizeof vals[0]; i++){
			__asm__ volatile("call *%2" : "=a"(r) : "a"(vals[i]), "r"(fn), "d"(0x80u) : "memory", "cc");
			printf(" %03x", r & FLAGS);
		}
		printf("\n");
	}
	munmap(p, 8192);
}

static char *faultpage;
static volatile unsigned long segvesp, segveip, segvaddr;
static volatile int segvs;

static void
onsegv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	segvs++;
	segvesp = uc->uc_mcontext.gregs[REG_ESP];
	segveip = uc->uc_mcontext.gregs[REG_EIP];
	uc->uc_mcontext.gregs[REG_ESP] = savedesp;
	uc->uc_mcontext.gregs[REG_EIP] = (unsigned long)frecover;
}

/* esp at top + off, the page below top not mapped: which store faults,
 * with what esp */
static void
faults(void)
{
	char *top = faultpage + 8192;	/* [faultpage, +4096) unmapped, then a page */
	unsigned long esp;
	int off;

	for(off = 0; off <= 16; off += 4){
		esp = (unsigned long)(top - 4096 + off);
		segvs = 0;
		segvesp = segveip = 0;
		__asm__ volatile("call storerun" : : "a"(esp), "b"(0x55u) : "memory", "cc");
		if(segvs)
			printf("esp page+%d: SIGSEGV at fstore+%lu, esp page+%ld\n", off, segveip - (unsigned long)fstore,
				(long)(segvesp - (unsigned long)(top - 4096)));
		else
			printf("esp page+%d: no fault\n", off);
	}
}

static sigjmp_buf midjmp;

static void
onmidsegv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	segvesp = uc->uc_mcontext.gregs[REG_ESP];
	segveip = uc->uc_mcontext.gregs[REG_EIP];
	segvaddr = (unsigned long)si->si_addr;
	siglongjmp(midjmp, 1);
}

/* A call into its own run: each level stores 12 bytes; where, from
 * which esp, the store that reaches the unmapped page faults */
static void
callsinto(void)
{
	struct sigaction sa, old;
	char *top = faultpage + 8192;
	const char *at;
	int off;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onmidsegv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, &old);
	for(off = 0; off < 16; off += 4){
		segveip = segvesp = segvaddr = 0;
		if(sigsetjmp(midjmp, 1) == 0)
			__asm__ volatile("movl %%esp, %%esi\n\tcall midgo\n\tmovl %%esi, %%esp"
				: : "a"(top - off), "b"(0x55u), "c"(100000u) : "edx", "esi", "edi", "memory", "cc");
		at = segveip == (unsigned long)midrun1 ? "push %ebx" : segveip == (unsigned long)midrun2 ? "push $7"
			: segveip == (unsigned long)midrun3 ? "call" : segveip == (unsigned long)midrun ? "push %eax" : "elsewhere";
		printf("a call into its own run from top-%d: SIGSEGV at %s, esp page+%ld, address page+%ld\n", off, at,
			(long)(segvesp - (unsigned long)(top - 4096)), (long)(segvaddr - (unsigned long)(top - 4096)));
	}
	sigaction(SIGSEGV, &old, NULL);
}

static unsigned long seen[MAXSTEP], seenfl[MAXSTEP];
static long seenesp[MAXSTEP];
static int nseen;
static char *steplo, *stephi;	/* the region stepped */

static void
ontrap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char *eip = (char *)uc->uc_mcontext.gregs[REG_EIP];

	(void)sig;
	(void)si;
	if(nseen < MAXSTEP){
		seenesp[nseen] = (long)(uc->uc_mcontext.gregs[REG_ESP] - stepesp);
		seenfl[nseen] = uc->uc_mcontext.gregs[REG_EFL] & FLAGS;
		seen[nseen++] = eip - steplo;
	}
	if(eip == stephi || nseen >= MAXSTEP)
		uc->uc_mcontext.gregs[REG_EFL] &= ~TF;
}

/* The steps seen in [steplo, stephi], the callee's apart */
static void
printsteps(int withflags)
{
	int i;

	for(i = 0; i < nseen; i++){
		if(seen[i] > (unsigned long)(stephi - steplo))
			printf(" callee[esp %ld]", seenesp[i]);
		else if(withflags)
			printf(" %lu[esp %ld fl %03lx]", seen[i], seenesp[i], seenfl[i]);
		else
			printf(" %lu[esp %ld]", seen[i], seenesp[i]);
	}
}

/* Stepped through the call at fn with eax a0, a0+1, a0+2, the steps
 * in [lo, hi] and the callee's printed */
static void
stepthrough(const char *what, char *fn, char *lo, char *hi, int a0, int withflags)
{
	unsigned r;
	int a;

	steplo = lo;
	stephi = hi;
	for(a = a0; a <= a0 + 2; a++){
		nseen = 0;
		__asm__ volatile("call *%2" : "=a"(r) : "a"(a), "S"(fn) : "ecx", "edx", "memory", "cc");
		printf("%s, eax %d: %d steps:", what, a, nseen);
		printsteps(withflags);
		printf(" -> %u\n", r);
	}
}

static void
farcalls(void)
{
	unsigned a, b;

	__asm__ volatile("call farslot" : "=a"(a) : "a"(40u), "d"(2u) : "memory", "cc");
	__asm__ volatile("call bigrun" : "=a"(b) : "a"(30u), "d"(4u) : "memory", "cc");
	printf("edges: a slot push beyond 8 bits %u, the largest run %u\n", a, b);
}

/* A run that straddles two pages, its call on the second: the
 * fragment may stop at the page's end, mid-run. */
static void
straddle(void)
{
	static const unsigned char head[] = { 0x50, 0x52, 0x6a, 0x07 };	/* push %eax; push %edx; push $7 */
	static const unsigned char tail[] = { 0xe8, 0, 0, 0, 0, 0x83, 0xc4, 0x0c, 0xc3 };	/* call; add $12,%esp; ret */
	static const unsigned char callee[] = {
		0x8b, 0x44, 0x24, 0x04,		/* mov 4(%esp),%eax */
		0x03, 0x44, 0x24, 0x08,		/* add 8(%esp),%eax */
		0x03, 0x44, 0x24, 0x0c,		/* add 12(%esp),%eax */
		0xc3,
	};
	unsigned char *p;
	unsigned rel, r, i, sum = 0;
	void (*fn)(void);

	p = mmap(NULL, 12288, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED){
		printf("mmap: failed\n");
		return;
	}
	memcpy(p + 4096 - sizeof head, head, sizeof head);
	memcpy(p + 4096, tail, sizeof tail);
	rel = 8192 - (4096 + 5);
	memcpy(p + 4096 + 1, &rel, 4);
	memcpy(p + 8192, callee, sizeof callee);
	mprotect(p, 12288, PROT_READ | PROT_EXEC);
	fn = (void (*)(void))(p + 4096 - sizeof head);
	for(i = 0; i < 100; i++){
		__asm__ volatile("call *%2" : "=a"(r) : "a"(i), "r"(fn), "d"(1000u) : "memory", "cc");
		sum += r;
	}
	printf("a run across a page's end: %u\n", sum);
	munmap(p, 12288);
}

/* Runs that go up before their call: the values popped, where the ret
 * went (the slot 256 bytes below the right one holds retwrong) */
static void
goesup(void)
{
	unsigned i, r, b, c;
	void *ok = retok, *wrong = retwrong;
	int k;

	for(k = -512; k < 512; k++)
		upmid[k] = (char)k;
	memcpy(upmid + 63, &ok, 4);
	memcpy(upmid - 67 - 126, &wrong, 4);
	for(i = 0; i < 3; i++){
		__asm__ volatile("call popsup" : "=a"(c), "=b"(b) : "a"(0x1234u) : "ecx", "edx", "memory", "cc");
		__asm__ volatile("call retup" : "=a"(r) : "a"(0x1234u) : "ebx", "ecx", "edx", "memory", "cc");
		printf("a run that goes up: pops %08x %08x, ret to %s\n", b, c, r == 1 ? "retok" : "retwrong");
	}
}

static volatile int asyncseen, asyncwrong;

/* Where in asyncrun the signal came, and esp there below asyncrun's own
 * (asyncesp): what it must be at each instruction. */
static void
onalrm(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char *eip = (char *)uc->uc_mcontext.gregs[REG_EIP];
	long d = (long)(uc->uc_mcontext.gregs[REG_ESP] - asyncesp), want;

	(void)sig;
	(void)si;
	if(eip < async0 || eip >= asyncend)
		return;
	if(eip == async0 || eip == async6)
		want = 0;
	else if(eip == async1)
		want = -4;
	else if(eip == async2)
		want = -8;
	else if(eip == async3)
		want = -12;
	else if(eip == async4 || eip == async5)
		want = -16;
	else if(eip == asynccallee)
		want = -20;
	else
		want = 1;	/* inside an instruction: never */
	asyncseen++;
	if(d != want)
		asyncwrong++;
}

static void
async(void)
{
	struct sigaction sa;
	struct itimerval it;
	long i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onalrm;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGPROF, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_interval.tv_usec = 200;
	it.it_value.tv_usec = 200;
	setitimer(ITIMER_PROF, &it, NULL);
	for(i = 0; i < 20000000 && asyncseen < 100; i++)
		__asm__ volatile("call asyncrun" : : "a"(1), "b"(2) : "memory", "cc");
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_PROF, &it, NULL);
	printf("signals inside a call's run with the wrong esp: %d\n", asyncwrong);
	printf("apart: signals inside a call's run: %d\n", asyncseen);	/* varies */
}

int
main(void)
{
	struct sigaction sa;
	stack_t ss;
	static char altstack[65536];

	setvbuf(stdout, NULL, _IONBF, 0);
	warm();
	flagcalls();
	rewritten();
	farcalls();
	straddle();
	goesup();
	async();

	faultpage = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(faultpage == MAP_FAILED || munmap(faultpage, 4096) != 0){
		printf("fault page: failed\n");
		return 1;
	}
	ss.ss_sp = altstack;
	ss.ss_size = sizeof altstack;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onsegv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	faults();
	callsinto();
	

	sa.sa_sigaction = ontrap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	stepthrough("stepped", stepcall, stepregion, stepregion_end, 4, 0);
	/* subs from esp whose flags the next instruction overwrites: a step
	 * after each instruction, with the sub's flags (the translation drops
	 * them but must stop after the sub with them) */
	stepthrough("stepped through folded subs", stepfold, foldregion, foldregion_end, -1, 1);
	return 0;
}
