/*
 * jtab.c — jumps through tables indexed by a register, whose slots and
 * targets change under them.  The long engine sends `jmp *%reg` right
 * after a load of %reg from a table indexed by another register (glibc's
 * small memcpy, a PIC switch) through a slice of 256 host slots picked
 * by the index's low byte, verified at the target (doc/translator.md,
 * "Jump tables").  Each case here jumps through four dispatchers (keys
 * ecx, esi and edi; a PIC table of offsets and tables of addresses),
 * then changes something and jumps again: indices whose low byte is
 * another's (256 apart, negative, huge), the table's entries rewritten,
 * the targets' bytes rewritten, their page unmapped and mapped again, a
 * target inside an instruction translated from its start, the
 * dispatchers themselves rewritten more times than there are slices.
 * Cold and warm (after a million rets: the warming flushes the code
 * cache and the slices with it).  The output must be the CPU's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "retto.h"
#include "codepage.h"

enum { PAGE = 4096, NDISP = 4, NSTUB = 8, NTAB = 2048, MID = 1024 };

static uint32_t abstab[NTAB];	/* target addresses; the index counts from MID */
static int32_t reltab[NTAB];	/* target - &reltab[MID] (a PIC table's form) */

/* globals the dispatch reads by absolute address (a non-PIE build) */
uint32_t g_idx, g_rel, g_abs, g_disp;

/* The dispatchers at page + 32 * k, entered with ebx = &reltab[MID],
 * edx = &abstab[MID], ecx = esi = edi = the index. */
static const unsigned char disp0[NDISP][8] = {
	{ 0x03, 0x1c, 0x8b, 0xff, 0xe3 },	/* add (%ebx,%ecx,4),%ebx; jmp *%ebx */
	{ 0x8b, 0x04, 0x8a, 0xff, 0xe0 },	/* mov (%edx,%ecx,4),%eax; jmp *%eax */
	{ 0x8b, 0x04, 0xb2, 0xff, 0xe0 },	/* mov (%edx,%esi,4),%eax; jmp *%eax */
	{ 0x8b, 0x1c, 0xba, 0xff, 0xe3 },	/* mov (%edx,%edi,4),%ebx; jmp *%ebx */
};

static void
emit_dispatchers(void)
{
	int k;

	for(k = 0; k < NDISP; k++)
		memcpy(page + 32 * k, disp0[k], sizeof disp0[k]);
}

/* Slot i (relative to MID) of both tables leads to a. */
static void
setslot(int32_t i, uint32_t a)
{
	abstab[MID + i] = a;
	reltab[MID + i] = (int32_t)(a - (uint32_t)(uintptr_t)&reltab[MID]);
}

static uint32_t
run(int d, uint32_t idx)
{
	uint32_t r;

	g_idx = idx;
	g_disp = (uint32_t)(uintptr_t)(page + 32 * d);
	__asm__ volatile(
		"push %%ebx\n"
		"push %%esi\n"
		"push %%edi\n"
		"mov g_rel, %%ebx\n"
		"mov g_abs, %%edx\n"
		"mov g_idx, %%ecx\n"
		"mov %%ecx, %%esi\n"
		"mov %%ecx, %%edi\n"
		"call *g_disp\n"
		"pop %%edi\n"
		"pop %%esi\n"
		"pop %%ebx\n"
		: "=a"(r) : : "ecx", "edx", "memory");
	return r;
}

/* Every dispatcher through the indices given, n times each, in turn. */
static void
round1(const char *what, const int32_t *ix, int nix, int n)
{
	uint32_t s;
	int d, k, i;

	printf("%s:", what);
	for(d = 0; d < NDISP; d++){
		s = 0;
		for(i = 0; i < n; i++)
			for(k = 0; k < nix; k++)
				s = s * 3 + run(d, (uint32_t)ix[k]);
		printf(" %u", s);
	}
	printf("\n");
}

static const int32_t small[] = { 0, 1, 2, 3, 4, 5, 6, 7, 3, 1, 7, 0 };
/* low bytes of another index: 256 apart, negative, huge */
static const int32_t alias[] = { 1, 257, 2, -254, 3, 259, 1, -255, 0, 256, 512, 2, -256, -510, 1,
	(int32_t)0x40000102, 2, (int32_t)0xc0000003, 3 };	/* 4 x index wraps: slots 258, 3 */
enum { NALIAS = sizeof alias / sizeof alias[0] };

static void
cases(const char *phase)
{
	char name[64];
	int k, i;

	for(k = 0; k < NSTUB; k++){
		emit_stub(k, 10 + k);
		setslot(k, (uint32_t)(uintptr_t)(p2 + 64 * k));
	}
	/* indices 256 apart (and negative ones) lead elsewhere */
	for(k = -512; k <= 512; k += 256)
		if(k != 0)
			for(i = 0; i < 4; i++)
				setslot(k + i, (uint32_t)(uintptr_t)(p2 + 64 * ((i + 4 + (k > 0)) & 7)));
	snprintf(name, sizeof name, "%s first", phase);
	round1(name, small, 12, 40);
	snprintf(name, sizeof name, "%s alias", phase);
	round1(name, alias, NALIAS, 40);

	/* the table's entries rewritten (data only) */
	for(k = 0; k < NSTUB; k++)
		setslot(k, (uint32_t)(uintptr_t)(p2 + 64 * (NSTUB - 1 - k)));
	snprintf(name, sizeof name, "%s table turned", phase);
	round1(name, small, 12, 40);
	snprintf(name, sizeof name, "%s table turned alias", phase);
	round1(name, alias, NALIAS, 20);

	/* the targets' immediates rewritten between rounds */
	for(i = 1; i <= 3; i++){
		for(k = 0; k < NSTUB; k++)
			put32(p2 + 64 * k + 1, 100 * (uint32_t)i + (uint32_t)k);
		snprintf(name, sizeof name, "%s smc %d", phase, i);
		round1(name, small, 12, 20);
	}
	/* unmapped and mapped again with other code at the same places */
	for(i = 0; i < 2; i++){
		if(remap() < 0)
			return;
		for(k = 0; k < NSTUB; k++)
			emit_stub(k, 1000 * ((uint32_t)i + 1) + (uint32_t)k);
		snprintf(name, sizeof name, "%s remapped %d", phase, i);
		round1(name, alias, NALIAS, 20);
	}

	/* into the middle of an instruction translated from its start:
	 * mov $0xc340c031,%eax; ret at p2+512, and a jump to p2+513 runs
	 * xor %eax,%eax; inc %eax; ret */
	emit_middle();
	for(k = 0; k < NSTUB; k++)
		setslot(k, (uint32_t)(uintptr_t)(p2 + 512));
	snprintf(name, sizeof name, "%s whole insn", phase);
	round1(name, small, 12, 10);
	for(k = 0; k < NSTUB; k++)
		setslot(k, (uint32_t)(uintptr_t)(p2 + 512 + (k & 1)));
	snprintf(name, sizeof name, "%s middle", phase);
	round1(name, small, 12, 10);
	p2[515] = 0x48;	/* xor; dec %eax; ret from p2+513 */
	snprintf(name, sizeof name, "%s middle rewritten", phase);
	round1(name, small, 12, 10);

	/* the dispatchers rewritten, more times than the engine has slices:
	 * their keys and forms swap round, the targets stay */
	for(k = 0; k < NSTUB; k++){
		emit_stub(k, 50 + k);
		setslot(k, (uint32_t)(uintptr_t)(p2 + 64 * k));
	}
	for(i = 0; i < 24; i++){
		for(k = 0; k < NDISP; k++)
			memcpy(page + 32 * k, disp0[(k + i) % NDISP], sizeof disp0[0]);
		snprintf(name, sizeof name, "%s dispatchers %d", phase, i);
		round1(name, small, 12, 3);
	}
	emit_dispatchers();
}

int
main(void)
{
	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(page == MAP_FAILED){
		perror("mmap");
		return 1;
	}
	p2 = page + PAGE;
	g_rel = (uint32_t)(uintptr_t)&reltab[MID];
	g_abs = (uint32_t)(uintptr_t)&abstab[MID];
	emit_dispatchers();
	cases("cold");
	retwarm();
	cases("warm");
	return 0;
}
