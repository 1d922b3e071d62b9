/*
 * vx_inside.c — a direct jump to an instruction that an existing
 * fragment already translates (past a conditional branch, the join of
 * an if) is chained into that fragment instead of translating the rest
 * of the block again (VxStats.inside).  It must give the guest's result,
 * never enter where the fragment has something pending (inside a run of
 * pushes on the long engine), never skip the byte check of a fragment on
 * a volatile page, and be undone when the entered fragment's code
 * changes.  A loop's jump back into its own fragment still gets a
 * fragment of its own (its body aligned).  Runs on the engine VXENGINE
 * names (engine_unit.t runs it once per engine).
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"

enum { CODE = 0x10000, SHARED = 0x18000, STACKTOP = 0x40000, MEM = 16 << 20 };

/* sixteen adds of 1 after h_mid: a block much longer than the one before it */
#define ADD4 "add $1,%eax\n add $1,%eax\n add $1,%eax\n add $1,%eax\n"
#define LONGBLOCK ADD4 ADD4 ADD4 ADD4

/* Page 0: a block with an instruction in its middle (a_mid) and a push
 * run (c_l is its second push); a loop.  Page 1: jumps into page 0's
 * blocks from outside them. */
SNIP(code,
	"a_start: mov $1,%eax\n"
	"a_mid: add $5,%eax\n int $0x80\n"
	"c_start: push %eax\n"
	"c_l: push %ebx\n push %ecx\n pop %esi\n pop %edi\n pop %edx\n int $0x80\n"
	"e_start: mov $10,%ecx\n xor %eax,%eax\n"
	"e_top: add %ecx,%eax\n dec %ecx\n jnz e_top\n int $0x80\n"
	"h_start: mov $3,%eax\n"
	"h_mid: add $4,%eax\n" LONGBLOCK "int $0x80\n"
	"m_start: xor %eax,%eax\n test %ecx,%ecx\n jz m_join\n add $1,%eax\n"
	"m_join: add $2,%eax\n int $0x80\n"
	"n_start: mov $5,%ecx\n xor %eax,%eax\n jmp n_mid\n"
	"n_top: add $2,%eax\n"
	"n_mid: " LONGBLOCK "dec %ecx\n jnz n_top\n int $0x80\n"
	".skip 4096 - (. - code_s), 0x90\n"
	"b_start: mov $100,%eax\n jmp a_mid\n"
	"d_start: mov $7,%ebx\n mov $8,%ecx\n push $9\n jmp c_l\n")
extern const uint8_t a_start[], a_mid[], c_start[], c_l[], e_start[], e_top[], b_start[], d_start[];
extern const uint8_t h_start[], h_mid[], m_start[], n_start[], n_mid[];

#define AT(lbl) (CODE + (uint32_t)(lbl - code_s))

/* The same shape for a shared (volatile) page: f_mid, and a jump to it
 * from a private page. */
SNIP(vol,
	"f_start: mov $1,%eax\n"
	"f_mid: add $5,%eax\n int $0x80\n")
extern const uint8_t f_start[], f_mid[];
SNIP(volj,
	"g_start: mov $100,%eax\n .byte 0xe9\n .long 0\n")	/* jmp rel32, patched */

#define VAT(lbl) (SHARED + (uint32_t)(lbl - vol_s))
enum { GCODE = CODE + 0x2000 };

/* Twice the same code, p_ and q_: the start's lea (8d) takes the mov
 * after it as its ModRM (b8: disp32(%eax), %edi) and immediate, so a
 * translation from p_start falls into p_mid, the instruction p_t reaches
 * after that mov.  Run from p_t first, p_mid is a live fragment's inside
 * entry and p_start's translation stops there; q_'s never does. */
#define JOINED(x) \
	x "_start: mov $100,%eax\n cmp $200,%eax\n .byte 0x8d\n" \
	x "_t: mov $1,%eax\n" \
	x "_mid: mov (%ecx),%edx\n add $3,%edx\n int $0x80\n"
/* The same with a run of pushes before the join (long: their esp update
 * is pending there): the last is a push $imm32 whose immediate is the
 * other block's mov $1,%al; nop; nop. */
#define PUSHED(x) \
	x "_start: mov $7,%eax\n mov $8,%ebx\n push %eax\n push %ebx\n .byte 0x68\n" \
	x "_t: mov $1,%al\n nop\n nop\n" \
	x "_mid: pop %edx\n pop %esi\n pop %edi\n add %esi,%edx\n int $0x80\n"
SNIP(pq, JOINED("p") JOINED("q") PUSHED("u") PUSHED("w"))
extern const uint8_t p_start[], p_t[], p_mid[], q_start[], q_mid[];
extern const uint8_t u_start[], u_t[], w_start[];
enum { PQCODE = CODE + 0x2800 };
#define PQ(lbl) (PQCODE + (uint32_t)(lbl - pq_s))

/* The guest's registers and eip relative to base. */
typedef struct Regs {
	uint32_t r[8], eflags, eip;
} Regs;

static Regs
regs(Vx *vx, uint32_t base)
{
	Regs g;
	int i;

	for(i = 0; i < 8; i++)
		g.r[i] = vx_getreg(vx, VX_EAX + i);
	g.eflags = vx_getreg(vx, VX_EFLAGS) & 0x8d5;
	g.eip = vx_getreg(vx, VX_EIP) - base;
	return g;
}

/* From base + off with ecx = c (the others 0): each single step's
 * registers until a trap that is not a step (at most max): their count,
 * the trap's in *last. */
static int
steps(Vx *vx, uint32_t base, uint32_t off, uint32_t c, Regs *rs, int max, int *last)
{
	VxTrapInfo ti;
	int i, k = 0;

	for(i = 0; i < 8; i++)
		vx_setreg(vx, VX_EAX + i, 0);
	vx_setreg(vx, VX_ECX, c);
	vx_setreg(vx, VX_ESP, STACKTOP);
	vx_setreg(vx, VX_EIP, base + off);
	vx_setreg(vx, VX_EFLAGS, 0x202 | 0x100);
	while(k < max && (*last = vx_run(vx, &ti)) == VX_TRAP_SINGLESTEP)
		rs[k++] = regs(vx, base);
	vx_setreg(vx, VX_EFLAGS, 0x202);
	return k;
}

static VxStats
stats(Vx *vx)
{
	VxStats st;

	vx_stats(vx, &st);
	return st;
}

/* Run from eip to an int $0x80, which must leave want in eax; what the
 * run translated and linked (the change in the stats). */
static VxStats
ran(Vx *vx, uint32_t eip, uint32_t want, const char *what)
{
	VxStats a = stats(vx), b;

	is(vxt_run(vx, eip, STACKTOP), VX_TRAP_SYSCALL, "%s", what);
	is(vx_getreg(vx, VX_EAX), want, "%s: eax %u", what, want);
	b = stats(vx);
	b.fragments -= a.fragments;
	b.codebytes -= a.codebytes;
	b.inside -= a.inside;
	return b;
}

int
main(void)
{
	char err[VX_ERRLEN];
	VxStats st0, st, d0, d;
	uint8_t *g;
	uint32_t rel;
	int fd;
	Vx *vx = vx_new(MEM, err);

	if(vx == NULL){
		diag("vx_new: %s", err);
		return done_testing();
	}
	vx_map(vx, CODE, 0x3000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, CODE, (uint32_t)(code_e - code_s), VX_PROT_WRITE), code_s, code_e - code_s);
	memcpy(vx_access(vx, PQCODE, (uint32_t)(pq_e - pq_s), VX_PROT_WRITE), pq_s, pq_e - pq_s);
	vx_map(vx, STACKTOP - 0x8000, 0x8000, VX_PROT_READ | VX_PROT_WRITE);

	/* the jump from another page into a fragment's middle */
	fd = memfd_create("vx_inside", MFD_CLOEXEC);
	if(fd < 0 || ftruncate(fd, 4096) < 0 || pwrite(fd, vol_s, vol_e - vol_s, 0) != vol_e - vol_s){
		diag("memfd");
		return done_testing();
	}
	g = vx_access(vx, GCODE, (uint32_t)(volj_e - volj_s), VX_PROT_WRITE);
	memcpy(g, volj_s, volj_e - volj_s);
	rel = VAT(f_mid) - (GCODE + (uint32_t)(volj_e - volj_s));
	memcpy(g + (volj_e - volj_s) - 4, &rel, 4);
	vx_protect(vx, CODE, 0x3000, VX_PROT_READ | VX_PROT_EXEC);
	ok(vx_mapshared(vx, SHARED, 0x1000, VX_PROT_READ | VX_PROT_EXEC, fd, 0) == 0, "a shared code page");

	is(vxt_run(vx, AT(a_start), STACKTOP), VX_TRAP_SYSCALL, "a block with an instruction in its middle runs");
	is(vx_getreg(vx, VX_EAX), 6, "1 + 5");
	st0 = stats(vx);
	is(vxt_run(vx, AT(b_start), STACKTOP), VX_TRAP_SYSCALL, "a jump to that middle from another page");
	is(vx_getreg(vx, VX_EAX), 105, "100 + 5");
	st = stats(vx);
	is(st.fragments - st0.fragments, 1, "translated only the jumping block");
	is(st.inside - st0.inside, 1, "and chained it inside the first");
	is(vxt_run(vx, AT(b_start), STACKTOP), VX_TRAP_SYSCALL, "again, through the link");
	is(vx_getreg(vx, VX_EAX), 105, "the same result");
	is(stats(vx).fragments, st.fragments, "nothing translated");

	/* the entered fragment's code changes: add $5 -> add $7 */
	vxt_poke(vx, AT(a_mid) + 2, 7);
	is(vxt_run(vx, AT(b_start), STACKTOP), VX_TRAP_SYSCALL, "the entered block changed");
	is(vx_getreg(vx, VX_EAX), 107, "the jump reaches the new code (100 + 7)");
	is(vxt_run(vx, AT(a_start), STACKTOP), VX_TRAP_SYSCALL, "and from its start");
	is(vx_getreg(vx, VX_EAX), 8, "1 + 7");

	/* a push run: c_l is its second push (long: esp lags there) */
	vx_setreg(vx, VX_EAX, 1);
	vx_setreg(vx, VX_EBX, 2);
	vx_setreg(vx, VX_ECX, 3);
	is(vxt_run(vx, AT(c_start), STACKTOP), VX_TRAP_SYSCALL, "pushes and pops run");
	ok(vx_getreg(vx, VX_ESI) == 3 && vx_getreg(vx, VX_EDI) == 2 && vx_getreg(vx, VX_EDX) == 1,
		"popped 3 2 1");
	is(vxt_run(vx, AT(d_start), STACKTOP), VX_TRAP_SYSCALL, "a jump to the second push of the run");
	ok(vx_getreg(vx, VX_ESI) == 8 && vx_getreg(vx, VX_EDI) == 7 && vx_getreg(vx, VX_EDX) == 9,
		"popped 8 7 9 (got %u %u %u)", vx_getreg(vx, VX_ESI), vx_getreg(vx, VX_EDI), vx_getreg(vx, VX_EDX));
	is(vx_getreg(vx, VX_ESP), STACKTOP, "esp back at the top");

	/* a loop: its jump back into its own fragment */
	st0 = stats(vx);
	is(vxt_run(vx, AT(e_start), STACKTOP), VX_TRAP_SYSCALL, "a loop runs");
	is(vx_getreg(vx, VX_EAX), 55, "10 + 9 + ... + 1");
	st = stats(vx);
	is(st.fragments - st0.fragments, 2, "its head has a fragment of its own");
	is(st.inside - st0.inside, 0, "not an entry inside the first");

	/* a translation that reaches code translated before stops there:
	 * h_start's fragment is its one instruction and a jump to h_mid's */
	vx_setreg(vx, VX_EAX, 0);
	d0 = ran(vx, AT(h_mid), 4 + 16, "a long block runs");
	d = ran(vx, AT(h_start), 3 + 4 + 16, "the block from the instruction before it");
	is(d.fragments, 1, "one fragment more");
	ok(d.codebytes < d0.codebytes, "smaller than the long block's: it did not translate the block again (%llu bytes)",
		(unsigned long long)d.codebytes);
	vxt_poke(vx, AT(h_mid) + 2, 5);
	d = ran(vx, AT(h_start), 3 + 5 + 16, "the block reached changed: the jump to it runs the new code");
	/* the dropped fragments' inside-entry bits stay: not a stop at
	 * each instruction they mark */
	ok(d.fragments <= 2, "translated again in at most two fragments (%llu)", (unsigned long long)d.fragments);

	/* started inside a fragment (a resumption does not enter inside),
	 * the new translation stops at the next instruction the old one
	 * may be entered at, and goes on in it */
	vxt_poke(vx, AT(h_mid) + 2, 4);
	ran(vx, AT(h_start), 3 + 4 + 16, "the block from its start");
	vx_setreg(vx, VX_EAX, 10);
	d = ran(vx, AT(h_mid) + 3, 10 + 16, "from the instruction after h_mid");
	is(d.fragments, 1, "a fragment of one instruction at h_mid + 3");
	is(d.inside, 1, "chained inside the block's fragment after it");

	/* a jump forward inside its own fragment (an if's join) is chained
	 * there, not given a fragment of its own */
	vx_setreg(vx, VX_ECX, 1);
	ran(vx, AT(m_start), 1 + 2, "an if, its branch not taken");
	vx_setreg(vx, VX_ECX, 0);
	d = ran(vx, AT(m_start), 2, "taken: a jump forward in its own fragment");
	is(d.fragments, 0, "nothing translated");
	is(d.inside, 1, "chained inside itself");
	vx_setreg(vx, VX_ECX, 1);
	ran(vx, AT(m_start), 1 + 2, "not taken again");

	/* a loop's head reached by its jump back from code translated
	 * before: its fragment does not stop at that code, so that the loop
	 * is one fragment (n_top's holds n_mid's block again) */
	vx_setreg(vx, VX_EAX, 0);
	vx_setreg(vx, VX_ECX, 1);
	d0 = ran(vx, AT(n_mid), 16, "a loop's body, once");
	d = ran(vx, AT(n_start), 5 * 16 + 4 * 2, "the loop, entered at its body, five times round");
	is(d.fragments, 2, "two fragments: the jump to the body, the loop's head");
	ok(d.codebytes > d0.codebytes, "the head's holds the body again (%llu bytes against %llu)",
		(unsigned long long)d.codebytes, (unsigned long long)d0.codebytes);

	/* a fault at the instruction a stop joined, and single steps over
	 * the join: eip, registers and flags as where no stop joined */
	{
		VxTrapInfo ti;
		Regs rp, rq, sp[16], sq[16];
		int np, nq, lp, lq;

		vx_setreg(vx, VX_ECX, 0x100);
		is(vxt_run(vx, PQ(p_t), STACKTOP), VX_TRAP_PAGEFAULT, "p_t: its load faults");
		st0 = stats(vx);
		vx_setreg(vx, VX_EDI, 0);
		vx_setreg(vx, VX_EIP, PQ(p_start));
		is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "p_start: the load after the join faults");
		is(ti.eip, PQ(p_mid), "at the joined instruction");
		rp = regs(vx, PQ(p_start));
		is(stats(vx).inside - st0.inside, 1, "p_start's translation stopped and went on in p_t's");
		vx_setreg(vx, VX_EDI, 0);
		vx_setreg(vx, VX_EIP, PQ(q_start));
		is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "q_start: no stop");
		is(ti.eip, PQ(q_mid), "at the same instruction");
		rq = regs(vx, PQ(q_start));
		ok(memcmp(&rp, &rq, sizeof rp) == 0, "the same registers and flags (eax %x edi %x flags %x, against %x %x %x)",
			rp.r[0], rp.r[7], rp.eflags, rq.r[0], rq.r[7], rq.eflags);
		np = steps(vx, PQ(p_start), 0, STACKTOP - 8, sp, 16, &lp);
		nq = steps(vx, PQ(q_start), 0, STACKTOP - 8, sq, 16, &lq);
		is(np, 5, "five single steps over the join to the int $0x80 (%d)", np);
		ok(np == nq && lp == lq && memcmp(sp, sq, np * sizeof sp[0]) == 0, "each as without the join");
		is(lp, VX_TRAP_SYSCALL, "then the system call");

		/* the join after a run of pushes */
		is(vxt_run(vx, PQ(u_t), STACKTOP - 64), VX_TRAP_SYSCALL, "u_t runs");
		st0 = stats(vx);
		is(vxt_run(vx, PQ(u_start), STACKTOP), VX_TRAP_SYSCALL, "u_start: pushes, then the join");
		is(stats(vx).inside - st0.inside, 1, "its translation stopped after the pushes and went on in u_t's");
		rp = regs(vx, PQ(u_start));
		is(vxt_run(vx, PQ(w_start), STACKTOP), VX_TRAP_SYSCALL, "w_start: no stop");
		rq = regs(vx, PQ(w_start));
		ok(memcmp(&rp, &rq, sizeof rp) == 0 && rp.r[VX_EDX - VX_EAX] == 0x909001b0u + 8 && rp.r[VX_ESP - VX_EAX] == STACKTOP,
			"the same registers (edx %x esp %x, against %x %x)", rp.r[VX_EDX - VX_EAX], rp.r[VX_ESP - VX_EAX],
			rq.r[VX_EDX - VX_EAX], rq.r[VX_ESP - VX_EAX]);
		np = steps(vx, PQ(u_start), 0, 0, sp, 16, &lp);
		nq = steps(vx, PQ(w_start), 0, 0, sq, 16, &lq);
		is(np, 9, "nine single steps over the pushes and the join (%d)", np);
		ok(np == nq && lp == lq && memcmp(sp, sq, np * sizeof sp[0]) == 0, "each as without the join");
	}

	/* a volatile page: its fragments check their bytes on entry */
	is(vxt_run(vx, VAT(f_start), STACKTOP), VX_TRAP_SYSCALL, "code on a shared page runs");
	is(vx_getreg(vx, VX_EAX), 6, "1 + 5 there");
	st0 = stats(vx);
	is(vxt_run(vx, GCODE, STACKTOP), VX_TRAP_SYSCALL, "a jump into its middle");
	is(vx_getreg(vx, VX_EAX), 105, "100 + 5 there");
	is(stats(vx).inside - st0.inside, 0, "not chained inside a checking fragment");
	ok(pwrite(fd, "\x07", 1, f_mid - vol_s + 2) == 1, "the shared page changes behind the sandbox");
	is(vxt_run(vx, GCODE, STACKTOP), VX_TRAP_SYSCALL, "the jump again");
	is(vx_getreg(vx, VX_EAX), 107, "sees the new code (100 + 7)");

	vx_free(vx);
	close(fd);
	return done_testing();
}
