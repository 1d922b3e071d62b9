/*
 * indjmp.c — indirect jumps and calls whose targets change under them.
 * Once a long-engine Vx is warm (a million rets), its indirect jmps and
 * calls go through the return table as rets do, landing on the target
 * with no check (doc/translator.md, "Indirect jumps and calls through the
 * return table").  Each case here jumps to a few places many times
 * through a table in data, then changes what is there and jumps again:
 * the targets' bytes rewritten, the table pointed elsewhere, the
 * targets' page unmapped and mapped again with other code, a target in
 * the middle of an instruction translated from its start.  Dispatchers
 * of four forms: jmp *(%edx,%eax,4), call *(%edx,%eax,4), a jmp and a
 * call through a register.  Then a switch and function pointers of C.
 * The output must be the CPU's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "retto.h"
#include "codepage.h"

enum { PAGE = 4096, NDISP = 4, NSTUB = 4 };

static uint32_t tab[NSTUB];

/* The dispatchers at page + 16 * k, entered with eax = index, edx = tab. */
static void
emit_dispatchers(void)
{
	static const unsigned char d[NDISP][8] = {
		{ 0xff, 0x24, 0x82 },				/* jmp *(%edx,%eax,4) */
		{ 0xff, 0x14, 0x82, 0xc3 },			/* call *(%edx,%eax,4); ret */
		{ 0x8b, 0x04, 0x82, 0xff, 0xe0 },		/* mov (%edx,%eax,4),%eax; jmp *%eax */
		{ 0x8b, 0x04, 0x82, 0xff, 0xd0, 0xc3 },		/* mov (%edx,%eax,4),%eax; call *%eax; ret */
	};
	int k;

	for(k = 0; k < NDISP; k++)
		memcpy(page + 16 * k, d[k], sizeof d[k]);
}

static uint32_t
run(int disp, uint32_t idx)
{
	uint32_t r;

	__asm__ volatile("call *%3"
		: "=a"(r) : "0"(idx), "d"(tab), "r"(page + 16 * disp) : "ecx", "memory");
	return r;
}

/* Every dispatcher to every table slot, n times each. */
static void
round1(const char *what, int n)
{
	uint32_t s;
	int d, k, i;

	printf("%s:", what);
	for(d = 0; d < NDISP; d++){
		s = 0;
		for(k = 0; k < NSTUB; k++)
			for(i = 0; i < n; i++)
				s = s * 3 + run(d, (uint32_t)k);
		printf(" %u", s);
	}
	printf("\n");
}

static uint32_t f0(uint32_t a) { return a * 3 + 1; }
static uint32_t f1(uint32_t a) { return a * 5 + 2; }
static uint32_t f2(uint32_t a) { return a ^ 0x55aa; }
static uint32_t f3(uint32_t a) { return a + 17; }
static uint32_t (*volatile fns[4])(uint32_t) = { f0, f1, f2, f3 };

static uint32_t
cswitch(uint32_t x, uint32_t a)
{
	switch(x){
	case 0: return a * 7 + 1;
	case 1: return a ^ 0x1234;
	case 2: return a + 99;
	case 3: return a * 3;
	case 4: return a - 5;
	case 5: return a << 1;
	case 6: return a >> 1;
	case 7: return ~a;
	default: return a;
	}
}

int
main(void)
{
	uint32_t a, v;
	int k, i;

	retwarm();
	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(page == MAP_FAILED){
		perror("mmap");
		return 1;
	}
	p2 = page + PAGE;
	emit_dispatchers();
	for(k = 0; k < NSTUB; k++){
		emit_stub(k, 10 + k);
		tab[k] = (uint32_t)(uintptr_t)(p2 + 64 * k);
	}
	round1("first", 50);

	/* the targets' immediates rewritten between rounds */
	for(v = 1; v <= 3; v++){
		for(k = 0; k < NSTUB; k++)
			put32(p2 + 64 * k + 1, 100 * v + k);
		round1("smc", 50);
	}
	/* a target's instruction replaced: xor %eax,%eax; inc %eax; ret */
	p2[0] = 0x31; p2[1] = 0xc0; p2[2] = 0x40; p2[3] = 0xc3;
	round1("smc insn", 50);

	/* the table pointed at other targets (data only) */
	for(k = 0; k < NSTUB; k++)
		tab[k] = (uint32_t)(uintptr_t)(p2 + 64 * (NSTUB - 1 - k));
	round1("table turned", 50);

	/* unmapped and mapped again with other code at the same places */
	for(i = 0; i < 3; i++){
		if(remap() < 0)
			return 1;
		for(k = 0; k < NSTUB; k++)
			emit_stub(k, 1000 * (i + 1) + k);
		round1("remapped", 50);
	}

	/* into the middle of an instruction translated from its start:
	 * mov $0xc340c031,%eax; ret at p2+512, and a jump to p2+513 runs
	 * xor %eax,%eax; inc %eax; ret */
	emit_middle();
	for(k = 0; k < NSTUB; k++)
		tab[k] = (uint32_t)(uintptr_t)(p2 + 512);
	round1("whole insn", 20);
	for(k = 0; k < NSTUB; k++)
		tab[k] = (uint32_t)(uintptr_t)(p2 + 512 + (k & 1));
	round1("middle", 20);
	p2[515] = 0x48;	/* xor; dec %eax; ret from p2+513 */
	round1("middle rewritten", 20);

	/* a switch and function pointers of C, warm */
	a = 1;
	for(i = 0; i < 20000; i++)
		a = cswitch((uint32_t)(i * 7) % 9, a);
	printf("switch: %u\n", a);
	for(i = 0; i < 20000; i++)
		a = fns[(i * 5) & 3](a);
	printf("fnptr: %u\n", a);
	return 0;
}
