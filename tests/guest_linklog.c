/*
 * guest_linklog — many chained jumps into a few blocks whose code then
 * changes (libvx/translate.c: the links into a fragment are a list
 * through the Vx's log of links, vx_linkexit, which vx_invalidate walks
 * to put each jump back to its stub).  600 call sites and 300 jump sites
 * reach one block each; a block on the same page is both a target and a
 * source (T3 jumps to T); a loop links to itself; a block on a page of
 * its own jumps into T (U).  Rounds change a target's immediate, a call
 * site's target, U's page, or unmap and map T's page again, in a
 * pseudo-random order, and run every site after each change: a jump
 * left linked to an old translation adds the old immediate.  The rounds
 * go alone, with a second thread alive (each change drops every
 * translation), in another thread, and in a fork's child.  Then two
 * self-checks whose output does not depend on timing: a timer's signal
 * handler rewrites a block the main loop keeps calling through chained
 * sites, and another thread rewrites it while this one calls it after a
 * system call each time; a call whose target did not change across it
 * must return the target's value.  tests/vxinferno_linklog.t runs it
 * natively and as a guest (no cache, cold and warm persistent cache;
 * an argument changes the immediates before the first call, so a warm
 * run's cached blocks are not the bytes there now).
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

__asm__(
	".pushsection .text.linklog,\"ax\"\n"
	".balign 4096\n"
	"jpS1:\n"
	"calls:\n"
	" .rept 600\n call T\n .endr\n ret\n"
	".skip 4096 - (. - jpS1), 0xcc\n"
	"jpS2:\n"
	"jumps:\n"
	" .rept 300\n mov $1f,%edx\n jmp TJ\n1:\n .endr\n ret\n"
	"callt3:\n .rept 60\n call T3\n .endr\n ret\n"
	"callu:\n .rept 60\n call U\n .endr\n ret\n"
	"calltl:\n .rept 30\n mov $3,%ecx\n call TL\n .endr\n ret\n"
	"callts:\n .rept 8\n call TS\n .endr\n ret\n"
	"stepped:\n pushf\n orl $0x100,(%esp)\n popf\n"
	"stepcalls:\n .rept 12\n call T\n .endr\n"
	" pushf\n andl $~0x100,(%esp)\n popf\n ret\n"
	".skip 4096 - (. - jpS2), 0xcc\n"
	"jpT:\n"
	"T: .byte 0x05\n .long 1\n ret\n"	/* add $imm32,%eax */
	"TJ: .byte 0x05\n .long 1\n jmp *%edx\n"
	"T3: .byte 0x05\n .long 1\n jmp T\n"
	"TL: .byte 0x05\n .long 1\n dec %ecx\n jnz TL\n ret\n"
	".skip 4096 - (. - jpT), 0xcc\n"
	"jpU:\n"
	"U: .byte 0x05\n .long 1\n jmp T\n"
	".skip 2048 - (. - jpU), 0xcc\n"
	"TS: mov $0,%eax\n add %eax,%ebx\n ret\n"
	".skip 4096 - (. - jpU), 0xcc\n"
	"jpX:\n"
	/* blocks whose last byte, an indirect jmp's ModRM, an argument
	 * changes (jmp *%edx or *%ecx), on a page no run writes otherwise
	 * (a cached block's bytes): 7, 2, 8, 9 and 17 bytes, so that the
	 * compare of a cached block's guest bytes goes by the word, by the
	 * byte, and past whole words; each reached by a jmp (its bytes in
	 * the jumping block's) and by an indirect one (a block of its own) */
	"TX: .byte 0x05\n .long 100\n jmp *%edx\n"
	"TY: jmp *%edx\n"
	"TZ: .fill 6, 1, 0x90\n jmp *%edx\n"
	"TW: .fill 7, 1, 0x90\n jmp *%edx\n"
	"TV: .fill 15, 1, 0x90\n jmp *%edx\n"
	".macro via t\n"
	" mov $1f,%edx\n mov $2f,%ecx\n shl $2,%ebx\n jmp \\t\n"
	"1: inc %ebx\n"
	"2: inc %ebx\n"
	" mov $1f,%edx\n mov $2f,%ecx\n shl $2,%ebx\n mov $\\t,%edi\n jmp *%edi\n"
	"1: inc %ebx\n"
	"2: inc %ebx\n"
	".endm\n"
	"callx: xor %ebx,%ebx\n"
	" via TX\n via TY\n via TZ\n via TW\n via TV\n"
	" mov %ebx,%eax\n ret\n"
	".skip 4096 - (. - jpX), 0xcc\n"
	".popsection\n");
extern unsigned char jpS1[], jpS2[], jpT[], jpU[], jpX[], calls[], jumps[], callt3[], callu[], calltl[], callts[], stepped[], stepcalls[];
extern unsigned char T[], TJ[], T3[], TL[], U[], TS[], TX[], TY[], TZ[], TW[], TV[], callx[];

static unsigned char saved[4096];
static uint32_t hash;

static uint32_t
run(void *fn)
{
	uint32_t a = 0, b = 0;

	__asm__ volatile("call *%2" : "+a"(a), "+b"(b) : "r"(fn) : "ecx", "edx", "edi", "memory", "cc");
	return a;
}

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* every site once: the sums' hash */
static void
everything(void)
{
	void *fn[] = { calls, jumps, callt3, callu, calltl, callx };
	unsigned i;

	for(i = 0; i < sizeof fn / sizeof fn[0]; i++)
		hash = hash * 31 + run(fn[i]);
}

/* page T unmapped and mapped again, the same bytes but one */
static int
remapT(unsigned char *imm, unsigned char v)
{
	memcpy(saved, jpT, sizeof saved);
	saved[imm - jpT] = v;
	if(munmap(jpT, 4096) != 0
	|| mmap(jpT, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != jpT){
		perror("remap");
		return -1;
	}
	memcpy(jpT, saved, sizeof saved);
	return 0;
}

static int
rounds(const char *what, int n, uint32_t seed)
{
	uint32_t x = seed, v, k;
	int i;

	hash = 0;
	everything();
	for(i = 0; i < n; i++){
		x = x * 1103515245 + 12345;
		v = x >> 24;
		switch((x >> 16) % 8){
		case 0: T[1] = (unsigned char)v; break;	/* add $imm32,%eax: 05 imm32 */
		case 1: TJ[1] = (unsigned char)v; break;
		case 2: T3[1] = (unsigned char)v; break;
		case 3: TL[1] = (unsigned char)v; break;
		case 4: U[1] = (unsigned char)v; break;
		case 5:
			/* call site k now calls T3, or T again */
			k = (x >> 8) % 600;
			put32(calls + 5 * k + 1, (uint32_t)((v & 1 ? T3 : T) - (calls + 5 * k + 5)));
			break;
		case 6:
			if(remapT(T + 1, (unsigned char)v) < 0)
				return -1;
			break;
		case 7:
			break;	/* nothing changes: the links stay */
		}
		everything();
		if(i % 8 == 7)
			printf("%s %d: %08x\n", what, i + 1, hash);
	}
	printf("%s: %08x\n", what, hash);
	return 0;
}

static int park[2];

static void *
parked(void *a)
{
	char c;

	return read(park[0], &c, 1) < 0 ? NULL : a;
}

static void *
inthread(void *a)
{
	return rounds("thread", 24, (uint32_t)(uintptr_t)a) < 0 ? NULL : a;
}

/* TS's immediate, as the last writer left it */
static volatile uint32_t cur;
static volatile int nsig;

static void
onalarm(int s)
{
	(void)s;
	cur++;
	put32(TS + 1, cur);
	nsig++;
}

/* callts: eight calls of TS, each adding its immediate to ebx */
static uint32_t
tsrun(void)
{
	uint32_t a = 0, b = 0;

	__asm__ volatile("call *%2" : "+a"(a), "+b"(b) : "r"(callts) : "ecx", "edx", "memory", "cc");
	return b;
}

/* A timer's handler rewrites TS under the main loop's chained calls. */
static int
bysignal(void)
{
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	uint32_t a, b, r;
	long i, bad = 0;

	signal(SIGALRM, onalarm);
	if(setitimer(ITIMER_REAL, &it, NULL) != 0)
		return -1;
	for(i = 0; nsig < 100 && i < 200000000; i++){
		a = cur;
		r = tsrun();
		b = cur;
		if(a == b && r != 8 * a)
			bad++;
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	printf("a timer's handler rewrites TS: %s, %ld stale\n", nsig >= 100 ? "enough signals" : "too few signals", bad);
	return 0;
}

static volatile int done;

static void *
rewriter(void *a)
{
	uint32_t k = 0;

	while(!done){
		put32(TS + 1, ++k);
		__atomic_store_n(&cur, k, __ATOMIC_RELEASE);
	}
	return a;
}

/* Another thread rewrites TS; this one calls it after a system call. */
static int
bythread(void)
{
	pthread_t th;
	uint32_t a, b, r;
	long i, bad = 0;

	cur = 0;
	put32(TS + 1, 0);
	if(pthread_create(&th, NULL, rewriter, NULL) != 0)
		return -1;
	for(i = 0; i < 3000; i++){
		a = __atomic_load_n(&cur, __ATOMIC_ACQUIRE);
		getppid();
		r = tsrun();
		b = __atomic_load_n(&cur, __ATOMIC_ACQUIRE);
		/* the next value may be written, not yet published */
		if(a == b && r / 8 != a && r / 8 != a + 1)
			bad++;
	}
	done = 1;
	pthread_join(th, NULL);
	printf("another thread rewrites TS: %ld stale\n", bad);
	return 0;
}

static volatile int nstep;

/* each step counted; T's immediate rewritten at some */
static void
ontrap(int s)
{
	(void)s;
	nstep++;
	if(nstep == 5 || nstep == 11 || nstep == 20)
		put32(T + 1, 1000 * nstep);
}

/* The twelve calls of T, chained, then single-stepped (TF) with the
 * handler rewriting T between steps. */
static int
bystep(void)
{
	uint32_t r0, r1;

	signal(SIGTRAP, ontrap);
	put32(T + 1, 1);
	r0 = run(stepcalls);
	r0 += run(stepcalls);
	r1 = run(stepped);
	printf("stepped through chained calls: %u, %u after %d steps; T %u\n", r0, r1, nstep, T[1] | T[2] << 8);
	return 0;
}

int
main(int argc, char **argv)
{
	pthread_t th;
	pid_t pid;
	int st;

	(void)argv;
	if(mprotect(jpS1, 5 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0){
		perror("mprotect");
		return 1;
	}
	if(argc > 1){
		/* other bytes than a run without an argument cached */
		T[1] = 2;
		TJ[1] = 3;
		U[1] = 4;
		put32(calls + 1, (uint32_t)(T3 - (calls + 5)));
		TX[6] = TY[1] = TZ[7] = TW[8] = TV[16] = 0xe1;	/* jmp *%ecx */
	}
	if(rounds("alone", 48, 1) < 0)
		return 1;
	if(pipe(park) != 0 || pthread_create(&th, NULL, parked, NULL) != 0)
		return 1;
	if(rounds("two threads", 24, 2) < 0)
		return 1;
	if(write(park[1], "x", 1) != 1 || pthread_join(th, NULL) != 0)
		return 1;
	if(pthread_create(&th, NULL, inthread, (void *)3) != 0 || pthread_join(th, NULL) != 0)
		return 1;
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		rounds("child", 24, 4);
		fflush(stdout);
		_exit(0);
	}
	if(pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	if(rounds("parent", 16, 5) < 0)
		return 1;
	fflush(stdout);
	if(bystep() < 0 || bysignal() < 0 || bythread() < 0)
		return 1;
	return 0;
}
