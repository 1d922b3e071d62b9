/* guest_split — tests/vxinferno_split.t: instructions cut at every byte
 * by the end of executable memory.  Each instruction's first k bytes
 * (k = 1 .. its length) are put at the end of an executable page whose
 * next page is inaccessible (PROT_NONE), unmapped, or readable but not
 * executable, and run with every register pointing into a scratch page
 * filled with the next page's address (so that a ret, a pop or a jump
 * through memory goes there).  What happens is printed: the signal, its
 * address and eip, relative to the next page.  A cut instruction must
 * fault on its fetch (SIGSEGV at the next page, eip at its start) and a
 * whole one run, exactly as the CPU does; the decoder's length or its
 * reading of the bytes past what is there is what this looks at.  With
 * k = 99 the instruction has 16 bytes of room (nops after it): the
 * decoder's quick path for the usual instruction.  pasteof: the next
 * page is a file's that its truncation left past its end (SIGBUS).
 * stdin: the instructions are hex lines read from stdin (a red team's
 * random ones: their addresses differ between native and sandbox, so
 * not for the test). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <ucontext.h>
#include <unistd.h>

enum {
	CODE = 0x06000000,	/* the executable page */
	NEXT = CODE + 4096,	/* the page after it */
	SCRATCH = CODE + 0x4000,	/* every register's page */
	REGS = SCRATCH + 0x800,
};

/* Load every register with REGS, clear the x87 state, jump to tgt. */
uint32_t tgt;
void go(void);
__asm__(".text\n"
	".globl go\n"
	"go:\n"
	"	fninit\n"
	"	movl $0x06004800, %eax\n"
	"	movl %eax, %ecx\n"
	"	movl %eax, %edx\n"
	"	movl %eax, %ebx\n"
	"	movl %eax, %esi\n"
	"	movl %eax, %edi\n"
	"	movl %eax, %ebp\n"
	"	movl %eax, %esp\n"
	"	pushl $0x202\n"
	"	popfl\n"
	"	jmp *tgt\n");

static sigjmp_buf jb;
static volatile int gotsig;
static volatile uint32_t gotaddr, goteip;

static void
onsig(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	gotsig = sig;
	gotaddr = (uint32_t)(uintptr_t)si->si_addr;
	goteip = (uint32_t)uc->uc_mcontext.gregs[REG_EIP];
	siglongjmp(jb, 1);
}

typedef struct Insn Insn;
struct Insn {
	const char *what;
	const char *hex;
};

/* Lengths from 1 to 15 (and 16: too long); prefixes, the 0f 38 and 0f 3a
 * maps, VEX (BMI, which the sandbox offers), ModRM, SIB and displacement
 * sizes, immediates of every kind, moffs, x87, lock, invalid and
 * privileged forms. */
static const Insn insns[] = {
	{ "nop", "90" },
	{ "push eax", "50" },
	{ "ret", "c3" },
	{ "ret imm16", "c2 08 00" },
	{ "int3", "cc" },
	{ "hlt", "f4" },
	{ "cli", "fa" },
	{ "out dx,al", "ee" },
	{ "add al,ib", "04 7f" },
	{ "add eax,id", "05 78 56 34 12" },
	{ "66 add ax,iw", "66 05 34 12" },
	{ "add [eax],ib", "80 00 01" },
	{ "add [eax+d8],ib", "80 40 10 01" },
	{ "add [eax+d32],ib", "80 80 10 00 00 00 01" },
	{ "add [sib],ib", "80 04 24 01" },
	{ "add [sib+d8],ib", "80 44 24 10 01" },
	{ "add [sib+d32],ib", "80 84 24 10 00 00 00 01" },
	{ "add [d32+idx],ib", "80 04 05 00 48 00 06 01" },
	{ "add [d32],id", "81 05 00 48 00 06 78 56 34 12" },
	{ "add [sib+d32],id", "81 84 24 10 00 00 00 78 56 34 12" },
	{ "66 add [sib+d32],iw", "66 81 84 24 10 00 00 00 34 12" },
	{ "imul r,[sib+d32],id", "69 84 24 10 00 00 00 78 56 34 12" },
	{ "mov [d32],id", "c7 05 00 48 00 06 78 56 34 12" },
	{ "mov eax,moffs", "a1 00 48 00 06" },
	{ "mov moffs,eax", "a3 04 48 00 06" },
	{ "67 lea [bp+si+d8]", "67 8d 42 10" },
	{ "67 lea [d16]", "67 8d 06 34 12" },
	{ "enter iw,ib", "c8 10 00 00" },
	{ "call rel32 0", "e8 00 00 00 00" },
	{ "jmp rel8 0", "eb 00" },
	{ "jmp rel32 0", "e9 00 00 00 00" },
	{ "jcc rel32 0", "0f 84 00 00 00 00" },
	{ "jmp [eax]", "ff 20" },
	{ "jmp [d32]", "ff 25 00 48 00 06" },
	{ "call [sib+d32]", "ff 94 24 00 00 00 00" },
	{ "movzx r,[sib+d32]", "0f b6 84 24 10 00 00 00" },
	{ "imul r,[d32]", "0f af 05 00 48 00 06" },
	{ "nopl [sib+d32]", "0f 1f 84 00 00 00 00 00" },
	{ "66 nopw [sib+d32]", "66 0f 1f 84 00 00 00 00 00" },
	{ "shld [d32],r,ib", "0f a4 05 00 48 00 06 03" },
	{ "bt [eax],ib", "0f ba 20 05" },
	{ "setcc [d32]", "0f 94 05 00 48 00 06" },
	{ "cmov r,[sib+d8]", "0f 44 44 24 10" },
	{ "cpuid", "0f a2" },
	{ "rdtsc", "0f 31" },
	{ "ud2", "0f 0b" },
	{ "mov eax,cr0", "0f 20 c0" },
	{ "mov cr0,eax", "0f 22 c0" },
	{ "pshufb xmm", "66 0f 38 00 c1" },
	{ "movbe r,[d32]", "0f 38 f0 05 00 48 00 06" },
	{ "palignr xmm,ib", "66 0f 3a 0f c1 08" },
	{ "pextrd [d32],xmm,ib", "66 0f 3a 16 05 00 48 00 06 01" },
	{ "andn (vex3)", "c4 e2 78 f2 c1" },
	{ "rorx (vex3, ib)", "c4 e3 7b f0 c1 05" },
	{ "shlx [sib+d32] (vex3)", "c4 e2 79 f7 84 24 10 00 00 00" },
	{ "les (c4, mod 0)", "c4 00" },
	{ "fldz", "d9 ee" },
	{ "fld qword [d32]", "dd 05 00 48 00 06" },
	{ "faddp", "de c1" },
	{ "fnstenv [sib+d32]", "d9 b4 24 00 01 00 00" },
	{ "lock add [eax],ecx", "f0 01 08" },
	{ "lock add [sib+d32],id", "f0 81 84 24 10 00 00 00 78 56 34 12" },
	{ "lock nop (ud)", "f0 90" },
	{ "lock add eax,ecx (ud)", "f0 01 c8" },
	{ "seg fs: mov eax,[d32]", "64 8b 05 00 00 00 00" },
	{ "seg es cs ss ds: add [sib+d32],id", "26 2e 36 3e 81 84 24 10 00 00 00 78 56 34 12" },
	{ "rep movsb", "f3 a4" },
	{ "repne scasb", "f2 ae" },
	{ "xlat", "d7" },
	{ "15 bytes: 66 x11 add ax,iw", "66 66 66 66 66 66 66 66 66 66 66 66 05 34 12" },
	{ "16 bytes: 66 x12 add ax,iw (#GP)", "66 66 66 66 66 66 66 66 66 66 66 66 66 05 34 12" },
	{ "16 bytes: 3e x8 add [sib+d32],ib", "3e 3e 3e 3e 3e 3e 3e 3e 80 84 24 10 00 00 00 01" },
	{ "undefined 0f 04", "0f 04" },
	{ "undefined 0f 38 ff", "0f 38 ff c0" },
	{ "bound (62, mod 0)", "62 00" },
	{ "pop [d32] (8f /0)", "8f 05 00 48 00 06" },
	{ "into", "ce" },
	{ "aam 0 (#DE)", "d4 00" },
	{ "div ecx (#DE)", "31 c9 f7 f1" },
	{ "xgetbv", "0f 01 d0" },
	{ "clflush [d32]", "0f ae 3d 00 48 00 06" },
	{ "prefetch [sib+d32]", "0f 18 84 24 10 00 00 00" },
	{ "popcnt r,[d32]", "f3 0f b8 05 00 48 00 06" },
	{ "crc32 r,[d32]", "f2 0f 38 f1 05 00 48 00 06" },
	{ "tzcnt r,r", "f3 0f bc c1" },
	{ "pause", "f3 90" },
	{ "pcmpgtq without 66 (ud)", "0f 38 37 c1" },
	{ "aesenc without 66 (ud)", "0f 38 dc 05 00 48 00 06" },
};

static int
unhex(const char *s, uint8_t *b)
{
	unsigned v;
	int n = 0;

	while(*s != 0){
		if(*s == ' '){
			s++;
			continue;
		}
		if(sscanf(s, "%2x", &v) != 1)
			return -1;
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void
rel(char *buf, size_t n, uint32_t a)
{
	if(a >= CODE && a < SCRATCH + 0x1000)
		snprintf(buf, n, "next%+d", (int)(a - NEXT));
	else
		snprintf(buf, n, "%#x", a);
}

/* Run the bytes b[0..n) placed at start; print what happened. */
static void
runat(const char *what, int k, uint8_t *start, const uint8_t *b, int n)
{
	char a[32], e[32];
	uint32_t *s;
	int i;

	for(s = (uint32_t *)SCRATCH; s < (uint32_t *)(SCRATCH + 0x1000); s++)
		*s = NEXT;
	memcpy(start, b, n);
	__builtin___clear_cache((char *)start, (char *)start + n);
	tgt = (uint32_t)(uintptr_t)start;
	gotsig = 0;
	if(sigsetjmp(jb, 1) == 0)
		go();
	for(i = 0; i < n; i++)
		start[i] = 0xcc;
	rel(a, sizeof a, gotaddr);
	rel(e, sizeof e, goteip);
	printf("%-36s k=%-2d sig %d addr %s eip %s\n", what, k, gotsig,
		gotsig == SIGSEGV || gotsig == SIGBUS || gotsig == SIGILL || gotsig == SIGFPE ? a : "-", e);
}

/* Is what among the names (NULL-terminated)? */
static int
named(char **names, const char *what)
{
	for(; *names != NULL; names++)
		if(strcmp(*names, what) == 0)
			return 1;
	return 0;
}

static void
cut(const char *mode, char **only)
{
	uint8_t b[16], pad[32];
	size_t i;
	int k, n;

	for(i = 0; i < sizeof insns / sizeof insns[0]; i++){
		if(only[0] != NULL && !named(only, insns[i].what))
			continue;
		n = unhex(insns[i].hex, b);
		if(n <= 0 || n > 16){
			printf("%s: bad hex\n", insns[i].what);
			continue;
		}
		for(k = 1; k <= n; k++)
			runat(insns[i].what, k, (uint8_t *)NEXT - k, b, k);
		if(mode[0] == 'n'){	/* with room: the quick path */
			memset(pad, 0x90, sizeof pad);
			memcpy(pad, b, n);
			runat(insns[i].what, 99, (uint8_t *)NEXT - 32, pad, 32);
		}
	}
}

/* The file pasteof and tcfile map: natively in the host's /tmp, so
 * named by the process (tests run side by side). */
static const char *
tmpname(void)
{
	static char name[64];

	snprintf(name, sizeof name, "/tmp/guest_split.%d", (int)getpid());
	return name;
}

/* tcfile full|cut: a file's two pages mapped executable at FILECODE,
 * nops at the first's end running into "mov $42, %eax; ret" at the
 * second's; cut truncates the file to one page before the call (a
 * fetch from the second is then SIGBUS).  Run full, then cut, with a
 * persistent cache: the cached fragment spans both pages, and checking
 * its bytes read the page past the file's end. */
enum { FILECODE = 0x07000000 };

static int
tcfile(const char *how)
{
	static uint8_t two[8192];
	char a[32], e[32];
	int fd, r;

	memset(two, 0xcc, sizeof two);
	memset(two + 4096 - 8, 0x90, 8);
	memcpy(two + 4096, "\xb8\x2a\x00\x00\x00\xc3", 6);
	fd = open(tmpname(), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || write(fd, two, sizeof two) != sizeof two
	|| mmap((void *)FILECODE, 8192, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0) != (void *)FILECODE
	|| (strcmp(how, "cut") == 0 && ftruncate(fd, 4096) < 0)){
		perror("tcfile");
		return 1;
	}
	unlink(tmpname());
	gotsig = 0;
	if(sigsetjmp(jb, 1) == 0){
		r = ((int (*)(void))(FILECODE + 4096 - 8))();
		printf("tcfile %s: ran, %d\n", how, r);
		return 0;
	}
	snprintf(a, sizeof a, "%#x", gotaddr);
	snprintf(e, sizeof e, "%#x", goteip);
	printf("tcfile %s: sig %d addr %s eip %s\n", how, gotsig, a, e);
	return 0;
}

int
main(int argc, char **argv)
{
	stack_t ss;
	struct sigaction sa;
	const char *mode = argc > 1 ? argv[1] : "none";
	void *p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ss.ss_sp = malloc(1 << 16);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	if(ss.ss_sp == NULL || sigaltstack(&ss, NULL) < 0){
		perror("sigaltstack");
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onsig;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	if(strcmp(mode, "tcfile") == 0)
		return tcfile(argc > 2 ? argv[2] : "full");
	p = mmap((void *)CODE, 0x5000, PROT_READ | PROT_WRITE | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if(p != (void *)CODE){
		perror("mmap");
		return 1;
	}
	memset(p, 0xcc, 0x5000);
	mprotect((void *)SCRATCH, 0x1000, PROT_READ | PROT_WRITE);
	if(strcmp(mode, "stdin") == 0){	/* hex lines from stdin, before a PROT_NONE page */
		char line[128];
		uint8_t b[16];
		int k, n;
		mprotect((void *)NEXT, 4096, PROT_NONE);
		while(fgets(line, sizeof line, stdin) != NULL){
			line[strcspn(line, "\n")] = 0;
			if((n = unhex(line, b)) <= 0 || n > 16)
				continue;
			for(k = 1; k <= n; k++)
				runat(line, k, (uint8_t *)NEXT - k, b, k);
		}
		return 0;
	}
	if(strcmp(mode, "none") == 0)
		mprotect((void *)NEXT, 4096, PROT_NONE);
	else if(strcmp(mode, "unmapped") == 0)
		munmap((void *)NEXT, 4096);
	else if(strcmp(mode, "noexec") == 0)
		mprotect((void *)NEXT, 4096, PROT_READ);
	else if(strcmp(mode, "pasteof") == 0){
		/* a file's page that its truncation left past its end: a
		 * fetch there is SIGBUS */
		static char two[8192];
		int fd = open(tmpname(), O_RDWR | O_CREAT | O_TRUNC, 0600);
		if(fd < 0 || write(fd, two, sizeof two) != sizeof two
		|| mmap((void *)NEXT, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 4096) != (void *)NEXT
		|| ftruncate(fd, 4096) < 0){
			perror("pasteof");
			return 1;
		}
		unlink(tmpname());
		close(fd);
	}
	else{
		fprintf(stderr, "usage: guest_split none|unmapped|noexec|pasteof [name...] | stdin | tcfile full|cut\n");
		return 2;
	}
	cut(mode, argv + (argc > 2 ? 2 : argc));
	return 0;
}
