/*
 * vx_follow.c — a jmp to a dispatch block (a short block ending in an
 * indirect jmp) is translated through: each handler of a bytecode
 * interpreter gets its own copy of the dispatch.  The result must be the
 * interpreter's, the copies counted, and a change to the dispatch
 * block's code (or to a handler's) must reach every copy.  The second
 * interpreter reaches its dispatch through two direct jmps (GCC's shape:
 * handlers jump to a shared `add $1,%esi; jmp fetch`, which jumps to the
 * bound check): the copies follow them too, and a change to the middle
 * block reaches every copy.  Runs on the engine VXENGINE names
 * (engine_unit.t runs it once per engine).
 */
#include <stdint.h>
#include <string.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"

enum { CODE = 0x10000, DATA = 0x20000, PROG = DATA + 0x100, STACKTOP = 0x40000, MEM = 16 << 20 };

/* A bytecode loop: op 0, 1, 2 add 1, 10, 100 to ebx, op 3 ends (int
 * $0x80); an op above the bound ends in int3.  The table at DATA.  The
 * dispatch block is on the page after the handlers', so that only its
 * own range (Frag.xlo) ties the handlers' fragments to its page. */
SNIP(interp,
	"mov $0x20100,%esi\n xor %ebx,%ebx\n jmp fi_dispatch\n"
	"fi_h0: add $1,%ebx\n jmp fi_dispatch\n"
	"fi_h1: add $10,%ebx\n jmp fi_dispatch\n"
	"fi_h2: add $100,%ebx\n jmp fi_dispatch\n"
	"fi_h3: int $0x80\n"
	"fi_bad: int3\n"
	".skip 4096 - (. - interp_s), 0x90\n"	/* the dispatch on the next page */
	"fi_dispatch: movzbl (%esi),%eax\n inc %esi\n"
	"fi_bound: cmp $3,%eax\n ja fi_bad\n jmp *0x20000(,%eax,4)\n")
extern const uint8_t fi_dispatch[], fi_bound[], fi_h0[], fi_h1[], fi_h2[], fi_h3[], fi_bad[];

/* The same loop; its dispatch is three blocks on the next page, in the
 * order bound check, fetch, next, each ending in a jmp to the one
 * before (the span the copies guard is all three). */
SNIP(chain,
	"mov $0x20100,%esi\n xor %ebx,%ebx\n jmp fc_fetch\n"
	"fc_h0: add $1,%ebx\n jmp fc_next\n"
	"fc_h1: add $10,%ebx\n jmp fc_next\n"
	"fc_h2: add $100,%ebx\n jmp fc_next\n"
	"fc_h3: int $0x80\n"
	"fc_bad: int3\n"
	".skip 4096 - (. - chain_s), 0x90\n"
	"fc_bound: cmp $3,%eax\n ja fc_bad\n jmp *0x20000(,%eax,4)\n"
	"fc_fetch: movzbl (%esi),%eax\n jmp fc_bound\n"
	"fc_next: add $1,%esi\n jmp fc_fetch\n")
extern const uint8_t fc_h0[], fc_h1[], fc_h2[], fc_h3[], fc_next[], fc_bound[];

#define AT(lbl) (CODE + (uint32_t)(lbl - interp_s))
#define CAT(lbl) (CODE + (uint32_t)(lbl - chain_s))

static Vx *
mk(const uint8_t *s, const uint8_t *e, const uint32_t h[4])
{
	uint32_t *tab;
	uint8_t *prog;
	Vx *vx = vxt_guest(MEM, CODE, s, (size_t)(e - s), 0x2000, STACKTOP - 0x8000, STACKTOP);
	int i;

	if(vx == NULL)
		return NULL;
	vx_map(vx, DATA, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	tab = vx_access(vx, DATA, 16, VX_PROT_WRITE);
	for(i = 0; i < 4; i++)
		tab[i] = h[i];
	prog = vx_access(vx, PROG, 3001, VX_PROT_WRITE);
	for(i = 0; i < 3000; i++)
		prog[i] = (uint8_t)(i * 7 % 3);	/* 0 1 2 in a mixed order */
	prog[3000] = 3;
	return vx;
}

/* Through jmps to the dispatch: every handler has its own copy. */
static void
chained(void)
{
	const uint32_t h[4] = { CAT(fc_h0), CAT(fc_h1), CAT(fc_h2), CAT(fc_h3) };
	VxStats st;
	Vx *vx;

	vx = mk(chain_s, chain_e, h);
	if(vx == NULL)
		return;
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "chained: the interpreter runs to its end");
	is(vx_getreg(vx, VX_EBX), 1000 * 111, "chained: with the interpreter's result");
	vx_stats(vx, &st);
	ok(st.dispatch >= 4, "chained: each handler's jmp went on through two jmps into the dispatch (%llu copies)",
		(unsigned long long)st.dispatch);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "chained: again, through the copies");
	is(vx_getreg(vx, VX_EBX), 1000 * 111, "chained: the same result");

	/* the middle block: add $1,%esi -> add $2: every other op runs,
	 * ops 0, 2, 1, 0, ... (prog[i] = i % 3 for even i): 500 of each */
	vxt_poke(vx, CAT(fc_next) + 2, 2);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "chained: a changed middle block reaches every copy");
	is(vx_getreg(vx, VX_EBX), 500 * 111, "chained: with the result of every other op");
	vxt_poke(vx, CAT(fc_next) + 2, 1);
	vxt_poke(vx, CAT(fc_bound) + 2, 2);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_BREAKPOINT, "chained: a changed bound check reaches every copy");
	vx_free(vx);
}

int
main(void)
{
	const uint32_t h[4] = { AT(fi_h0), AT(fi_h1), AT(fi_h2), AT(fi_h3) };
	VxStats st;
	Vx *vx;
	int i;

	chained();
	vx = mk(interp_s, interp_e, h);
	if(vx == NULL)
		return done_testing();
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "the interpreter runs to its end");
	is(vx_getreg(vx, VX_EBX), 1000 * 111, "with the interpreter's result");
	vx_stats(vx, &st);
	ok(st.dispatch >= 3, "each handler's jmp went on into the dispatch (%llu copies)", (unsigned long long)st.dispatch);
	for(i = 0; i < 3; i++){
		is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "again, through the copies (%d)", i);
		is(vx_getreg(vx, VX_EBX), 1000 * 111, "the same result (%d)", i);
	}

	/* the bound in the dispatch block: cmp $3 -> cmp $2, so op 3 is bad */
	vxt_poke(vx, AT(fi_bound) + 2, 2);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_BREAKPOINT, "a changed dispatch block reaches every copy");
	vxt_poke(vx, AT(fi_bound) + 2, 3);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "and changed back");
	is(vx_getreg(vx, VX_EBX), 1000 * 111, "with the old result");

	/* a handler: add $10 -> add $20 */
	vxt_poke(vx, AT(fi_h1) + 2, 20);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "a changed handler runs");
	is(vx_getreg(vx, VX_EBX), 1000 * 121, "with its new constant");
	vx_free(vx);
	return done_testing();
}
