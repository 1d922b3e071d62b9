/*
 * translong.c — the long engine's instructions: guest code decoded as
 * 32-bit code, emitted as 64-bit code (doc/translator.md, "The long
 * engine").
 *
 * Every guest memory operand gets %gs (base B) and the address-size
 * prefix: the effective address is computed in 32 bits, wraps modulo
 * 2^32 and lands in the window.  What 64-bit mode would read differently
 * is rewritten: inc/dec 0x40-0x4f (REX there), absolute disp32 (RIP-
 * relative there), moffs forms, anything that uses the stack implicitly
 * (64-bit wide there, and %rsp would be a host address), string
 * instructions (no segment can rebase %es:%edi), xlat, loop/jecxz (the
 * count would be %rcx), opcodes 64-bit mode lacks, and VEX bits that
 * 32-bit mode ignores.  Fragment layout, maps and chaining are shared with
 * the compat engine (translate.c).
 *
 * Scratch stays in the state block (S_SPILLR, S_SPILLC) so a fault
 * inside a rewritten sequence is undone by the same map entries as in
 * the compat engine; %r8 holds guest %esp only while %rsp points into the
 * state block's scratch stack (pushf/popf) or during leave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trans.h"

/* Is b[i] a prefix lpfx keeps?  Not segment overrides nor 0x67, and
 * each of the others once: of f2 and f3 the last one only, the one the
 * decoder takes (a mandatory prefix).  Repeats mean nothing, but a copy
 * of a 15-byte instruction with them and a SIB byte added was 16 bytes,
 * which the CPU refuses (codefuzz seed 275103359). */
static int
lpfxkept(const uint8_t *b, const VxInsn *in, int i)
{
	int j;

	if(isseg(b[i]) || b[i] == 0x67)
		return 0;
	for(j = i + 1; j < in->opoff; j++)
		if(b[j] == b[i] || ((b[i] == 0xf2 || b[i] == 0xf3) && (b[j] == 0xf2 || b[j] == 0xf3)))
			return 0;
	return 1;
}

/* The guest's prefixes as lpfxkept keeps them. */
static void
lpfx(T *t, const uint8_t *b, const VxInsn *in)
{
	int i;

	for(i = 0; i < in->opoff; i++)
		if(lpfxkept(b, in, i))
			e8(t, b[i]);
}

/*
 * A memory operand of a base register with no index and at most an
 * 8-bit displacement needs no addr32: the register's upper half is zero
 * (the engine writes guest registers with 32-bit operations only, but in
 * the sequences the validator tracks), so B + %rbase + disp lies in
 * [B - 128, B + 4 GiB + 127], inside the window's guards.  A stack slot
 * (base %esp) since session 22, any base but %ecx since session 27
 * (`mov 0x8(%eax),%edx`: a byte less each).  It differs
 * from the wrapped 32-bit address only when that would cross 0 or 4 GiB,
 * i.e. reach into page 0 or the top page, which i386 Linux never maps
 * (nor vxrun page 0): natively a fault there, here a fault in a guard,
 * at the same guest address (host - B modulo 2^32).  Where the API has
 * mapped that page, the fault's handler (amd64/sig.c, stackwrap) sets
 * Vx.stack67 and the instruction runs again from a fresh translation
 * with addr32 (every such operand, not only stack slots).  The prefix
 * measured 1 % of djpeg and xz -d, whose stack slots are the hottest
 * operands.
 */
static int
disp8(T *t, const VxInsn *in)
{
	/* not %ecx: a 64-bit loop's count (the indirect entry's check)
	 * may leave its upper half set, which the validator cannot rule
	 * out along a branch (doc/validator.md, rule 1) */
	if(t->vx->stack67 || in->moffs || in->addrsize || in->base == 0xff || in->base == ECX
	|| in->index != 0xff || in->dispsize == 4)
		return 0;
	/* Not where the operand's address is more than the ModRM's: a
	 * gather's (VSIB) index field 4 is %xmm4, not "no index", and its
	 * 64-bit elements without addr32 reached any host address; bt, bts,
	 * btr, btc with a bit offset in a register move it by up to
	 * 256 MiB, and natively wrap it at 4 GiB (red team, session 22) */
	if(in->vex || (in->map == VXM_0F && (in->op == 0xa3 || in->op == 0xab || in->op == 0xb3 || in->op == 0xbb)))
		return 0;
	return 1;
}

/* A stack slot so (what runs of pushes and pops address from %rsp). */
static int
stackdisp8(T *t, const VxInsn *in)
{
	return in->base == ESP && disp8(t, in);
}

/* The prefix of a stack slot: %gs, and addr32 once a slot wrapped. */
static void
stkpfx(T *t)
{
	e8(t, 0x65);
	if(t->vx->stack67)
		e8(t, 0x67);
}

/* The length of what lmem emits for b without a new opcode. */
static int
lmemlen(T *t, const uint8_t *b, const VxInsn *in, int r)
{
	int i, n;

	n = in->map == VXM_1 && in->op == 0x8d && !in->vex && !in->moffs ? 0 : r < 0 && disp8(t, in) ? 1 : 2;
	for(i = 0; i < in->opoff; i++)
		n += lpfxkept(b, in, i);
	if(in->moffs)
		return n + 7;
	n += in->modrmoff - in->opoff + in->immsize;
	if(r >= 0)
		return n + 6;
	return n + (in->dispsize ? in->dispoff + in->dispsize : in->modrmoff + 1 + in->hassib) - in->modrmoff;
}

/* A copy of the instruction with the VEX bits that 32-bit mode ignores
 * forced to what names registers 0-7: VEX.R X B (inverted) = 1, the top
 * bit of vvvv (inverted) = 1, W = 0 where 32-bit mode ignores it, bit 7
 * of an is4 register immediate = 0.  b and out hold VX_MAXINSN + 1
 * bytes, copied whole: a fixed-size copy is two moves, in->len bytes a
 * call of memcpy per instruction translated. */
static void
fixvex(const uint8_t *b, const VxInsn *in, uint8_t *out)
{
	int v = in->opoff;

	memcpy(out, b, VX_MAXINSN + 1);
	if(!in->vex)
		return;
	if(in->vex == 3){
		out[v + 1] |= 0xe0;
		out[v + 2] |= 0x40;
		if(in->vexwgpr)		/* the decoder's V_WGPR rows */
			out[v + 2] &= 0x7f;
	}else
		out[v + 1] |= 0xc0;
	if(in->map == VXM_0F3A && (in->op == 0x4a || in->op == 0x4b || in->op == 0x4c) && in->immsize)
		out[in->immoff] &= 0x7f;
}

/* The register a VEX instruction names in vvvv (or -1). */
static int
vexvvvv(const uint8_t *b, const VxInsn *in)
{
	if(!in->vex)
		return -1;
	return (~b[in->opoff + in->vex - 1] >> 3) & 7;
}

/* A scratch register also avoiding VEX.vvvv. */
static int
lscratch(const uint8_t *b, const VxInsn *in, int avoid)
{
	int v = vexvvvv(b, in), r;

	r = scratch(in, avoid);
	if(r >= 0 && r == v){
		/* take the next free one */
		static const int cand[] = { EBX, ESI, EDI, EBP, EDX, ECX, EAX };
		size_t i;
		for(i = 0; i < sizeof cand / sizeof cand[0]; i++){
			int c = cand[i];
			if(c == v || c == avoid || c == (int)in->base || c == (int)in->index
			|| (in->hasmodrm && c == (int)in->reg))
				continue;
			return c;
		}
		return -1;
	}
	return r;
}

/* Emit b with its memory operand through %gs and 32-bit addressing.
 * r >= 0: the operand becomes [r + index*scale + disp32] (a virtual
 * segment base is in r); newreg >= 0 replaces ModRM.reg; newop (nop > 0)
 * replaces the opcode, and then the guest's prefixes and immediates are
 * dropped. */
static void
lmem(T *t, const uint8_t *b, const VxInsn *in, int r, int newreg, const uint8_t *newop, int nop)
{
	int i, reg, end;

	/* lea only computes: the 64-bit sum of the zero-extended registers
	 * has the low half the 32-bit one has, so it needs neither %gs nor
	 * 0x67 (two bytes fewer in the hot loops of compiled code) */
	if(nop != 0 || in->moffs || in->map != VXM_1 || in->op != 0x8d || in->vex){
		e8(t, 0x65);
		if(r >= 0 || !disp8(t, in))
			e8(t, 0x67);
	}
	if(nop == 0)
		lpfx(t, b, in);
	if(in->moffs){
		static const uint8_t conv[4] = { 0x8a, 0x8b, 0x88, 0x89 };
		e8(t, conv[in->op & 3]);
		if(r >= 0){
			e8(t, 0x84);
			e8(t, (uint8_t)(4 << 3 | r));
		}else{
			e8(t, 0x04);
			e8(t, 0x25);
		}
		e32(t, (uint32_t)in->disp);
		return;
	}
	if(nop > 0)
		for(i = 0; i < nop; i++)
			e8(t, newop[i]);
	else
		for(i = in->opoff; i < in->modrmoff; i++)
			e8(t, b[i]);
	reg = newreg >= 0 ? newreg : in->reg;
	if(r >= 0){
		e8(t, (uint8_t)(0x80 | reg << 3 | 4));
		e8(t, (uint8_t)(in->scale << 6 | (in->index == 0xff ? 4 : in->index) << 3 | r));
		e32(t, (uint32_t)in->disp);
	}else if(in->mod == 0 && in->rm == 5){
		/* absolute disp32: RIP-relative in 64-bit mode; SIB form instead */
		e8(t, (uint8_t)(reg << 3 | 4));
		e8(t, 0x25);
		e32(t, (uint32_t)in->disp);
	}else{
		e8(t, (uint8_t)((b[in->modrmoff] & 0xc7) | reg << 3));
		end = in->dispsize ? in->dispoff + in->dispsize : in->modrmoff + 1 + in->hassib;
		for(i = in->modrmoff + 1; i < end; i++)
			e8(t, b[i]);
	}
	if(nop == 0)
		for(i = 0; i < in->immsize; i++)
			e8(t, b[in->immoff + i]);
}

/* Virtual segment base (+ base register) into r, r spilled. */
static void
lsegbase(T *t, const VxInsn *in, int r)
{
	fsst(t, r, S_SPILLR);
	fsld(t, r, in->seg == VXS_GS ? S_GSBASE : S_FSBASE);
	if(!in->moffs && in->base != 0xff){
		e8(t, 0x8d);		/* lea 0(%base,%r,1), %r: no flags */
		e8(t, (uint8_t)(0x44 | r << 3));
		e8(t, (uint8_t)(r << 3 | in->base));
		e8(t, 0);
	}
}

/* A 16-bit address into reg (lea, opsize: leaw): the sum of the full
 * 32-bit registers has the right low 16 bits; keep those. */
static int
llea16(T *t, const VxInsn *in, int reg, int opsize)
{
	static const int8_t base[8] = { EBX, EBX, EBP, EBP, -1, -1, EBP, EBX };
	static const int8_t index[8] = { ESI, EDI, ESI, EDI, ESI, EDI, -1, -1 };
	int bs = base[in->rm], ix = index[in->rm];

	if(in->mod == 0 && in->rm == 6)
		bs = -1;
	if(bs < 0 && ix >= 0){
		bs = ix;
		ix = -1;
	}
	if(opsize)
		e8(t, 0x66);
	e8(t, 0x8d);
	if(bs < 0){
		e8(t, (uint8_t)(reg << 3 | 4));
		e8(t, 0x25);
	}else{
		e8(t, (uint8_t)(0x80 | reg << 3 | 4));
		e8(t, (uint8_t)((ix < 0 ? 4 : ix) << 3 | bs));
	}
	e32(t, (uint32_t)in->disp);
	if(!opsize){
		e8(t, 0x0f); e8(t, 0xb7);				/* movzwl */
		e8(t, (uint8_t)(0xc0 | reg << 3 | reg));
	}
	return 0;
}

/*
 * A memory operand with 16-bit addressing (0x67), which 64-bit mode has
 * not: its address computed into a scratch register r (spilled), the
 * operand [r].  With a flat segment it lies in the low 64 KiB, which
 * Linux maps for no i386 process (mmap_min_addr): natively a fault
 * there, with that address; it was #UD here.  Not with a virtual
 * segment's base (%fs:, %gs:), nor in the forms lplainmem does not
 * take (moffs, push and pop of memory, strings, xlat), nor below.
 */
static int
lmem16(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	VxInsn a = *in;
	int r;

	if(virtseg(in) || in->moffs || (r = lscratch(b, in, -1)) < 0)
		return -1;
	/* a gather's VSIB needs 32-bit addressing (#UD); bt* with a bit
	 * offset in a register reach past the 16-bit sum: left #UD */
	if((in->vex && in->map == VXM_0F38 && in->op >= 0x90 && in->op <= 0x93)
	|| (in->map == VXM_0F && (in->op == 0xa3 || in->op == 0xab || in->op == 0xb3 || in->op == 0xbb)))
		return -1;
	a.addrsize = 0;
	a.base = a.index = 0xff;
	a.scale = 0;
	a.disp = 0;
	if(lmemlen(t, b, &a, r) > 15)
		return -1;
	fsst(t, r, S_SPILLR);
	llea16(t, in, r, 0);
	addmap(t, M_INNER, eip, SP_R | r, 0);
	lmem(t, b, &a, r, -1, NULL, 0);
	fsld(t, r, S_SPILLR);
	return 0;
}

/* A plain instruction with a memory operand. */
static int
lplainmem(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int r;

	if(in->addrsize && in->map == VXM_1 && in->op == 0x8d && !in->vex)
		return llea16(t, in, in->reg, in->opsize);
	if(in->addrsize)
		return lmem16(t, b, in, eip);
	if(virtseg(in) && !(in->map == VXM_1 && in->op == 0x8d)){
		r = lscratch(b, in, -1);
		if(r < 0 || lmemlen(t, b, in, r) > 15)
			return -1;
		lsegbase(t, in, r);
		addmap(t, M_INNER, eip, SP_R | r, 0);
		lmem(t, b, in, r, -1, NULL, 0);
		fsld(t, r, S_SPILLR);
		return 0;
	}
	if(lmemlen(t, b, in, -1) > 15)
		return -1;	/* the CPU would refuse the copy */
	lmem(t, b, in, -1, -1, NULL, 0);
	return 0;
}

static void
lfpustore(T *t, const uint8_t *b, const VxInsn *in, int r, const uint8_t *op, int nop)
{
	lmem(t, b, in, r, 0, op, nop);
}

/* The x87 image's pointers, as compat's fpuptrs (translate.c). */
static void
lfpuptrs(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int off[3], ipw, r;

	if(!fpuimage(in, off, &ipw) || (r = lscratch(b, in, -1)) < 0)
		return;
	if(virtseg(in))
		lsegbase(t, in, r);
	else
		fpubase(t, in, r);
	addmap(t, M_INNER, eip, SP_R | r, 0);
	fpustores(t, b, in, r, lfpustore);
}

static const uint8_t op_mov[] = { 0x8b }, op_st[] = { 0x89 }, op_movzw[] = { 0x0f, 0xb7 },
	op_movw[] = { 0x66, 0x89 };

/* The ModRM, SIB and displacement of %gs:disp(%rsp), reg in ModRM.reg:
 * at 0 without the displacement byte (a pop's or a ret's load with
 * nothing pending, a call's store: one byte of four or five). */
static void
stkmodrm(T *t, int reg, int disp)
{
	if(disp == 0){
		e8(t, (uint8_t)(0x04 | (reg & 7) << 3));
		e8(t, 0x24);
		return;
	}
	e8(t, (uint8_t)(0x44 | (reg & 7) << 3));
	e8(t, 0x24);
	e8(t, (uint8_t)disp);
}

/* Guest stack accesses: [66] mov %reg, %gs:disp8(%rsp) and back (reg 9:
 * %r9d, the engine's scratch). */
static void
stk(T *t, int load, int reg, int disp, int w16)
{
	if(w16)
		e8(t, 0x66);
	stkpfx(t);
	if(reg >= 8)
		e8(t, 0x44);
	e8(t, load ? 0x8b : 0x89);
	stkmodrm(t, reg, disp);
}

static void
stkimm(T *t, int disp, uint32_t v, int w16)
{
	if(w16)
		e8(t, 0x66);
	stkpfx(t);
	e8(t, 0xc7);
	stkmodrm(t, 0, disp);
	if(w16){
		e8(t, (uint8_t)v);
		e8(t, (uint8_t)(v >> 8));
	}else
		e32(t, v);
}

/* lea n(%rsp), %esp: 32-bit result, wraps; no flags. */
static void
leaesp(T *t, int32_t n)
{
	e8(t, 0x8d);
	if(n >= -128 && n < 128){
		e8(t, 0x64);
		e8(t, 0x24);
		e8(t, (uint8_t)n);
	}else{
		e8(t, 0xa4);
		e8(t, 0x24);
		e32(t, (uint32_t)n);
	}
}

/*
 * Consecutive pushes (or pops) of registers share one esp update: each
 * store (load) addresses its slot relative to the esp of the run's start
 * and the lea comes once, before the first instruction that is not part
 * of the run; a ret or a call may end the run and takes the pending
 * adjustment into its own lea.  The esp chain of lea's is what made
 * call-heavy code slow (native esp updates cost nothing: the CPU's stack
 * engine).  Each instruction of the run has its M_INSN map entry with
 * espadj = -pend, so a fault or a stop there sees the guest's esp.  A
 * call site's run makes its change first instead (callrun): then pend
 * starts positive, pre says how much of it was made ahead, and the
 * merge rules look at pend - pre, the run's change so far, and keep
 * pend itself within 8 bits (pendfits).
 */
enum { MAXPEND = 64 };

static int
pushreg(const VxInsn *in)
{
	return in->cls == VXC_PLAIN && in->map == VXM_1 && !in->vex && !in->opsize
		&& ((in->op >= 0x50 && in->op <= 0x57 && in->op != 0x54) || in->op == 0x68 || in->op == 0x6a);
}

static int
popreg(const VxInsn *in)
{
	return in->cls == VXC_PLAIN && in->map == VXM_1 && !in->vex && !in->opsize
		&& in->op >= 0x58 && in->op <= 0x5f && in->op != 0x5c;
}

/*
 * A register-only instruction that names no esp and cannot fault: a run
 * goes on across it (its map entry carries the lagging esp), so that
 * `push; push; mov %eax,%ebx` or `mov %ebx,%eax; pop; pop; ret` keep one
 * esp update.  Byte forms with rm or reg 4 (%ah) are left out with esp.
 */
static int
regonly(const VxInsn *in)
{
	uint8_t op = in->op;

	if(in->cls != VXC_PLAIN || in->map != VXM_1 || in->vex || in->seg || in->lock
	|| in->rep || in->repne || in->addrsize)
		return 0;
	if(op < 0x40 && (op & 7) < 4)		/* ALU r/m,r and r,r/m */
		return in->mod == 3 && in->rm != ESP && in->reg != ESP;
	if(op < 0x40 && (op & 7) < 6)		/* ALU al/eax,imm */
		return 1;
	if(op >= 0x40 && op < 0x50)		/* inc, dec */
		return (op & 7) != ESP;
	if(op >= 0xb8 && op <= 0xbf)		/* mov $imm,r */
		return (op & 7) != ESP;
	switch(op){
	case 0x80: case 0x81: case 0x83:
		return in->mod == 3 && in->rm != ESP;
	case 0x84: case 0x85: case 0x88: case 0x89: case 0x8a: case 0x8b:
		return in->mod == 3 && in->rm != ESP && in->reg != ESP;
	case 0x8d:				/* lea: computes, accesses nothing */
		return in->reg != ESP && in->base != ESP && in->index != ESP;
	}
	return 0;
}

/* add or sub $imm, %esp (32-bit): its esp change, or 0. */
static int32_t
espimm(const VxInsn *in)
{
	int32_t v;

	if(in->cls != VXC_PLAIN || in->map != VXM_1 || in->vex || in->opsize || in->lock
	|| (in->op != 0x81 && in->op != 0x83) || in->mod != 3 || in->rm != ESP || (in->reg != 0 && in->reg != 5))
		return 0;
	v = in->op == 0x83 ? (int32_t)(int8_t)in->imm : (int32_t)in->imm;
	return in->reg == 0 ? v : -v;
}

static int
inrun(int32_t pend)
{
	return pend > -MAXPEND && pend < MAXPEND;
}

/*
 * An instruction whose one use of esp is as the base of a stack slot
 * (`mov 0x20(%esp),%ebx`, `mov %eax,4(%esp)`, `cmpl $0,0x10(%esp)`,
 * `add 8(%esp),%eax`), or a push of a slot (`push 0x18(%esp)`: i386 code
 * passes stack arguments on so): inside a run the slot is addressed from
 * the host's esp with the pending change added (lstkslot), so the run
 * goes on across it and a call site's pushes, argument copies and call
 * share one esp update.  A fault or a stop there sees the guest's esp
 * through its map entry, as anywhere in a run.  The forms: 32-bit ALU,
 * mov, test, movzx/movsx, imul, cmov with a register that is not esp
 * (nor %ah), group 1 with an immediate, mov $imm, inc and dec; no
 * prefix.  Only where the slot's displacement with the pending change
 * is still 8 bits (stackdisp8's argument holds for it).
 */
static int
slotform(const VxInsn *in)
{
	uint8_t op = in->op;

	if(in->cls != VXC_PLAIN || in->vex || in->opsize || in->seg || in->lock
	|| in->rep || in->repne || in->mod == 3 || in->base != ESP || in->index != 0xff)
		return 0;
	if(in->map == VXM_0F)
		return in->reg != ESP && ((op >= 0x40 && op <= 0x4f) || op == 0xaf || op == 0xb6 || op == 0xb7 || op == 0xbe || op == 0xbf);
	if(in->map != VXM_1)
		return 0;
	if(op < 0x40 && (op & 7) < 4)
		return in->reg != ESP;
	switch(op){
	case 0x84: case 0x85: case 0x88: case 0x89: case 0x8a: case 0x8b:
		return in->reg != ESP;
	case 0x80: case 0x81: case 0x83:
		return 1;
	case 0xc6: case 0xc7:
		return in->reg == 0;
	case 0xff:
		return in->reg == 0 || in->reg == 1 || in->reg == 6;
	}
	return 0;
}

/* push m32 */
static int
pushmem(const VxInsn *in)
{
	return in->map == VXM_1 && in->op == 0xff && in->reg == 6;
}

/* May in go on a run with its stack slot addressed so (lstkslot), the
 * run's esp change so far rel, pend of it not yet made?  A push of a
 * slot starts one, as a push of a register does. */
static int
slotat(T *t, const VxInsn *in, int32_t rel, int32_t pend)
{
	int32_t d = in->disp + pend;

	if(!slotform(in) || !stackdisp8(t, in) || d < -128 || d >= 128)
		return 0;
	if(pushmem(in))
		return rel <= 0 && inrun(rel - 4);
	return 1;
}

static int
stkslot(T *t, const VxInsn *in)
{
	return slotat(t, in, t->pend - t->pre, t->pend);
}

/* in's stack slot from the host's esp, the pending change added: the
 * guest's opcode, ModRM with an 8-bit displacement, its SIB byte (base
 * esp, no index) and immediate, %gs; a push of a slot through %r9d, its
 * store below the run's slots */
static void
lstkslot(T *t, const uint8_t *b, const VxInsn *in)
{
	int d = (int)(in->disp + t->pend), i;

	if(pushmem(in)){
		stk(t, 1, 9, d, 0);			/* mov %gs:d(%rsp), %r9d */
		stk(t, 0, 9, t->pend - 4, 0);		/* mov %r9d, %gs:pend-4(%rsp) */
		t->pend -= 4;
		return;
	}
	stkpfx(t);
	for(i = in->opoff; i < in->modrmoff; i++)
		e8(t, b[i]);
	e8(t, (uint8_t)(0x44 | in->reg << 3));		/* disp8 with a SIB byte */
	e8(t, b[in->modrmoff + 1]);
	e8(t, (uint8_t)d);
	for(i = 0; i < in->immsize; i++)
		e8(t, b[in->immoff + i]);
}

/*
 * Is pend, a run's change not yet made after an instruction, one the
 * next can use?  It is an 8-bit displacement (a pop's or a ret's load
 * at pend, a push's or a call's store at pend - 4, a folded add/sub's
 * lea, a slot's) and the map's espadj (int8_t).  Without callrun pend
 * is the run's change (inrun: within 64 bytes); with it pend is that
 * change plus what was made ahead (up to 68), so a run that goes up
 * after its pushes (add $63,%esp; pop; pop) could reach 131: the pop's
 * load took the slot 256 bytes below (red team, session 25).
 */
static int
pendfits(int32_t pend)
{
	return pend >= -128 + 4 && pend < 128;
}

/* May in join a run of pushes or pops whose esp change so far is rel,
 * pend of it not yet made (the rest made ahead: callrun)? */
static int
mergesat(T *t, const VxInsn *in, int32_t rel, int32_t pend)
{
	if(regonly(in) || slotat(t, in, rel, pend))
		return 1;
	if(espimm(in) != 0)
		return inrun(rel + espimm(in)) && pendfits(pend + espimm(in));
	if(rel < 0)
		return rel > -MAXPEND && (pushreg(in) || (in->cls == VXC_CALL && !in->opsize));
	if(rel > 0)
		return rel < MAXPEND && ((popreg(in) && pendfits(pend + 4)) || (in->cls == VXC_RET && !in->opsize));
	return pend == 0;
}

/* May in join the run of pushes or pops now pending? */
int
vx_lmerges(T *t, const VxInsn *in)
{
	return mergesat(t, in, t->pend - t->pre, t->pend);
}

/*
 * Does a run start at the add or sub $imm,%esp at eip (nothing pending)?
 * Only if a push, pop, call or ret follows it across register-only
 * instructions: else the run's lea would come right after the flags'
 * computation, one instruction more than the guest's own.
 */
static int
runahead(T *t, uint32_t eip)
{
	Vx *vx = t->vx;
	VxInsn d;
	uint32_t avail;
	int i, n;

	for(i = 0; i < 8; i++){
		avail = vx_codebytes(vx, eip);
		n = avail ? vx_decode(vx->mem->base + eip, avail, eip, &d) : -1;
		if(n <= 0)
			return 0;
		if(pushreg(&d) || popreg(&d) || ((d.cls == VXC_RET || d.cls == VXC_CALL) && !d.opsize))
			return 1;
		if(!regonly(&d) && !slotform(&d))
			return 0;
		eip += (uint32_t)n;
	}
	return 0;
}

/* Do the four bytes at a look like a pc thunk (mov (%esp),%reg; ret),
 * which translate.c's thunkreg inlines without moving esp?  A guess from
 * unprotected bytes: callrun's choice costs speed when wrong, never
 * exactness. */
static int
thunklike(Vx *vx, uint32_t a)
{
	const uint8_t *c;

	if(a > vx->mem->size - 4 || vxmem_codebytes(vx, a) < 4)
		return 0;
	c = vx->mem->base + a;
	return c[0] == 0x8b && (c[1] & 0xc7) == 0x04 && c[2] == 0x24 && c[3] == 0xc3;
}

/* Does in start a run that callrun may make ahead, pre of its change
 * made at its start: a push of a register or of a stack slot (whose
 * displacement must still fit), or a sub from esp that a run folds? */
static int
startsrun(T *t, const VxInsn *in, int32_t pre)
{
	if(pushreg(in))
		return 1;
	if(pushmem(in))
		return slotat(t, in, 0, pre);
	return espimm(in) < 0 && inrun(espimm(in));
}

/*
 * The run starting at in (eip), its pending change taken as pre when it
 * starts: the esp change through the direct call that ends it (a
 * negative number), or 0 if it does not end in one within 16
 * instructions, as vx_lmerges would merge them.
 */
static int32_t
runtocall(T *t, const VxInsn *in, uint32_t eip, int32_t pre)
{
	Vx *vx = t->vx;
	VxInsn d = *in;
	uint32_t avail;
	int32_t rel = 0;
	int i, n;

	for(i = 0; i < 16; i++){
		if(i == 0 ? !startsrun(t, &d, pre) : !mergesat(t, &d, rel, rel + pre))
			return 0;
		if(d.cls == VXC_CALL)
			return rel < 0 && !d.opsize && !thunklike(vx, d.target) ? rel - 4 : 0;
		if(pushreg(&d) || pushmem(&d))
			rel -= 4;
		else if(popreg(&d))
			rel += 4;
		else
			rel += espimm(&d);
		eip += d.len;
		avail = vxmem_codebytes(vx, eip);
		n = avail ? vx_decode(vx->mem->base + eip, avail, eip, &d) : -1;
		if(n <= 0)
			return 0;
	}
	return 0;
}

/* cmp $imm, %esp for a sub $imm, %esp while %esp is still the guest's
 * (nothing pending): the sub's flags exactly (cmp is sub without the
 * result), where the fold's copy through %r9d is 9 bytes (lespimm). */
static void
espcmp(T *t, const VxInsn *in)
{
	e8(t, in->op);
	e8(t, 0xfc);						/* cmp $imm, %esp */
	if(in->op == 0x83)
		e8(t, (uint8_t)in->imm);
	else
		e32(t, in->imm);
}

/*
 * A call site's run (its pushes, argument copies and the call) moves
 * esp once, ahead of its stores, where a run moves it after them: the
 * lea then lies before the caller's stores of the arguments rather than
 * between them and the callee's loads of them, where it stopped the
 * CPU's renaming of the stores into the loads (natively one value: the
 * stack engine tracks esp across push, call and push; a lea it does not
 * track).  A sub would do as well but writes the flags, which the callee
 * may read.  The run's pending change starts as the whole change (pre),
 * so the stores address slots above esp and the call needs no lea.  If
 * the run ends elsewhere after all, its end's lea makes esp right, as any
 * run's: only speed depends on the guess.  The M_INNER entry after the
 * lea gives a fault in the run's first store the guest's esp; the
 * instruction's own entry, before it, is the boundary.  Only once the
 * Vx is warm: decoding each run ahead cost python3's cold start 6 %
 * (1.5 ms of translation), and code that runs long is translated again
 * warm; the cold form stays as it was.
 */
static void
callrun(T *t, const VxInsn *in, uint32_t eip)
{
	int32_t d;

	if((d = runtocall(t, in, eip, 0)) == 0 || runtocall(t, in, eip, -d) != d)
		return;
	if(espimm(in) < 0 && !runahead(t, eip + in->len))
		return;
	if(espimm(in) < 0 && in->reg == 5){
		/* a sub that starts the run: its flags before the lea, while
		 * %esp is the guest's; lespimm then makes none */
		espcmp(t, in);
		t->flagsmade = 1;
	}
	leaesp(t, d);
	addmap(t, M_INNER, eip, 0, d);
	t->pend = t->pre = -d;
	t->vx->stats.callruns++;
}

/* Does the register-only in write every status flag without reading one? */
static int
killsflags(const VxInsn *in)
{
	uint8_t op = in->op;

	if(!regonly(in))
		return 0;
	if(op < 0x40 && (op & 7) < 6)
		return op >> 3 != 2 && op >> 3 != 3;	/* not adc, sbb */
	if(op == 0x80 || op == 0x81 || op == 0x83)
		return in->reg != 2 && in->reg != 3;
	return op == 0x84 || op == 0x85;
}

/*
 * add or sub $imm,%esp inside a run: esp's change joins the pending one,
 * and the guest's flags come from the same operation on a copy of esp in
 * %r9d, off the chain of esp updates; a sub with nothing pending (the
 * run's first instruction) from cmp $imm,%esp instead, made ahead of
 * the lea where callrun moves esp first (espcmp).  If the next
 * instruction writes every flag (fib's sub $4,%esp; cmp $1,%eax),
 * lflagsdead takes the copy back out (not one made ahead).
 */
static void
lespimm(T *t, const VxInsn *in, int32_t d)
{
	t->flagsat = t->p;
	t->flagskeep = t->pend == t->pre && t->vx->tf;
	if(t->flagsmade){
		/* callrun computed them before its lea (espcmp) */
		t->flagsmade = 0;
		t->pend += d;
		t->flagsend = NULL;
		return;
	}
	if(t->pend == 0 && in->reg == 5)
		espcmp(t, in);		/* %esp is the guest's: 3 bytes, not 9 */
	else{
		e8(t, 0x44); e8(t, 0x8d); e8(t, 0x4c); e8(t, 0x24);	/* lea pend(%rsp), %r9d */
		e8(t, (uint8_t)t->pend);
		e8(t, 0x41);
		e8(t, in->op);
		e8(t, (uint8_t)(0xc0 | in->reg << 3 | 1));		/* add/sub $imm, %r9d */
		if(in->op == 0x83)
			e8(t, (uint8_t)in->imm);
		else
			e32(t, in->imm);
	}
	t->pend += d;
	t->flagsend = t->p;
}

/*
 * The instruction after a folded add/sub $imm,%esp writes every flag, so
 * the copy's flags are dead: its code goes.  The instruction's code now
 * begins at the add/sub's point, where the flags are not yet the
 * add/sub's, so its map entry becomes M_INNER one byte into that code
 * (inside its first host instruction: never a pc a stop or a fault
 * sees, and the instruction cannot fault, being register-only), and the
 * add/sub's own entry stays the boundary at the point, a stop before
 * it.  An M_INNER entry at the point itself (what this did before) hid
 * the add/sub's, so a step by the guest's TF that entered at the
 * add/sub took the next boundary for its own and passed three
 * instructions (red team, session 25); the entry is kept, not dropped,
 * because cachedfields walks a cached fragment's instructions by their
 * entries.  While the guest steps, not where the add/sub starts the run
 * (flagskeep): each step enters a fragment at its first instruction,
 * and must stop after the add/sub, with its flags.  Only inside a run
 * (nothing pending is an enterable point).
 */
static void
lflagsdead(T *t, const VxInsn *in)
{
	MapEnt *m = &t->map[t->nmap - 1];

	if(t->flagsend != t->p || t->pend == 0 || !killsflags(in) || m->enter || t->flagskeep)
		return;
	t->p = t->flagsat;
	m->hoff = (uint16_t)(t->p - t->start + 1);	/* its code: 2 bytes or more */
	m->kind = M_INNER;
	t->flagsend = NULL;
}

/* An inlined pc thunk (translate.c): the return address stored where the
 * call would push it (after a run of pushes, below their slots), esp as
 * it was, and the register loaded. */
void
vx_lthunk(T *t, uint32_t next, int reg)
{
	if(t->pend)
		t->map[t->nmap - 1].espadj = (int8_t)-t->pend;
	stkimm(t, t->pend - 4, next, 0);
	e8(t, (uint8_t)(0xb8 + reg));				/* mov $next, %reg */
	e32(t, next);
}

/* The run ends: esp catches up. */
void
vx_lflush(T *t)
{
	t->pre = 0;
	if(t->pend == 0)
		return;
	leaesp(t, t->pend);
	t->pend = 0;
}

/* %rsp onto the state block's scratch stack, guest esp kept in %r8d. */
static void
xstackon(T *t)
{
	e8(t, 0x41); e8(t, 0x89); e8(t, 0xe0);			/* mov %esp, %r8d */
	e8(t, 0x49); e8(t, 0x8d); e8(t, 0xa7);			/* lea X(%r15), %rsp */
	e32(t, S_XSTACK + S_XSTACKSIZE / 2);
}

static void
xstackoff(T *t)
{
	e8(t, 0x44); e8(t, 0x89); e8(t, 0xc4);			/* mov %r8d, %esp */
}

/* Indirect branch, target in ecx (guest ecx spilled): the table lookup
 * inline, so that its indirect jump is predicted per site as a native
 * return or indirect jump would be.  The validator accepts exactly this
 * sequence (rule 8's one exception): r8 < 65536 after the movzwl, so the
 * load reads only the table, which the runtime alone writes.  (One shared
 * stub measured much slower; a copy of it per site after the fragment
 * cost one more taken jump per indirect branch.) */
static void
lookup(T *t)
{
	e8(t, 0x44); e8(t, 0x0f); e8(t, 0xb7); e8(t, 0xc1);	/* movzwl %cx, %r8d */
	e8(t, 0x47); e8(t, 0x8b); e8(t, 0x84); e8(t, 0x87);	/* mov S_HT(%r15,%r8,4), %r8d */
	e32(t, S_HT);
	e8(t, 0x41); e8(t, 0xff); e8(t, 0xe0);			/* jmp *%r8 */
}

/* A ret, its target in %r9d (zero-extended) and esp popped: the return
 * table's entry for it (translate.c, "The return table"), relative to
 * the miss stub in %r13, and a jump to the body of the fragment there,
 * or to the miss stub.  No check at the target, no guest register
 * spilled: the table is exact.  The validator accepts exactly this after
 * a 32-bit move into %r9d and at most the esp update (rule 8). */
static void
retlookup(T *t)
{
	e8(t, 0x47); e8(t, 0x8b); e8(t, 0x04); e8(t, 0x8c);	/* mov (%r12,%r9,4), %r8d */
	e8(t, 0x47); e8(t, 0x8d); e8(t, 0x04); e8(t, 0x28);	/* lea (%r8,%r13), %r8d */
	e8(t, 0x41); e8(t, 0xff); e8(t, 0xe0);			/* jmp *%r8 */
}

/* mov %reg, off(%r15) or back, off < 128: the disp8 form, 4 bytes
 * against fsst's 7 (whose fixed length the exit stubs need; a cold
 * ret's four accesses are not patched). */
static void
fsshort(T *t, uint8_t op, int reg, uint32_t off)
{
	e8(t, 0x41); e8(t, op);
	e8(t, (uint8_t)(0x40 | reg << 3 | 7));
	e8(t, (uint8_t)off);
}

/*
 * A ret in a cold Vx (translate.c, "The return table"): its table is
 * the shared one of zeros, so the exact form would miss it every time
 * into the one shared jump of vxlblob_rmiss, which the CPU predicts
 * badly, after a load of a table line seen nowhere else (python3's
 * start: about a third of its translated time on that sequence, the
 * stub and the target's check).  Cold, a ret goes through the 16-bit
 * table inline instead, with its own predicted jump, to the target's
 * indirect entry and its check, as an indirect jmp does:
 *
 *	mov %ecx, S_SPILLC(%r15)
 *	mov S_RMISSN(%r15), %ecx	# the count towards warming
 *	jrcxz 1f
 *	lea -1(%rcx), %ecx
 *	mov %ecx, S_RMISSN(%r15)
 *	mov %gs:pend(%esp), %ecx
 *	lea pend+4(%rsp), %esp
 *	movzwl %cx, %r8d; mov S_HT(%r15,%r8,4), %r8d; jmp *%r8
 *   1:	mov %gs:pend(%esp), %r9d
 *	lea pend+4(%rsp), %esp
 *	jmp vxlblob_rmiss0
 *
 * counting down S_RMISSN, so that every RCOLDEVERY+1-th ret reaches
 * the runtime (vxlblob_rmiss0: the miss stub's exit, with ecx spilled
 * and the target in %r9d) and the Vx warms after as many rets as
 * before (vx_rtabwarm); warming flushes the cache, and hot code comes
 * back in the exact form.  The spill and the count go through %r15
 * with 8-bit displacements (S_RMISSN is next to the fields), and the
 * return address is loaded into ecx, where the lookup wants it, after
 * the count, so that the path taken is 41 bytes (54 with the target
 * loaded into %r9d first, for both paths, and ecx moved from it; 66
 * with fsst's 32-bit displacements); the rare path, which wants it in
 * %r9d, loads it again.
 * The spill carries the pending esp change (the first map entry, as the
 * warm form's load does); the M_INNER entry after it says ecx is
 * spilled, for a fault on either path's load of the stack (a fault
 * after the count's store has used up one of its rets: a count, no
 * more).
 */
static void
coldret(T *t, const VxInsn *in, uint32_t eip)
{
	uint8_t *jr;
	int32_t pop = t->pend + 4 + (in->op == 0xc2 ? (int32_t)(in->imm & 0xffff) : 0);

	fsshort(t, 0x89, ECX, S_SPILLC);
	addmap(t, M_INNER, eip, SP_C, -t->pend);
	fsshort(t, 0x8b, ECX, S_RMISSN);
	e8(t, 0xe3);					/* jrcxz 1f */
	jr = t->p;
	e8(t, 0);
	e8(t, 0x8d); e8(t, 0x49); e8(t, 0xff);		/* lea -1(%rcx), %ecx */
	fsshort(t, 0x89, ECX, S_RMISSN);
	stk(t, 1, ECX, t->pend, 0);			/* mov %gs:pend(%esp), %ecx */
	leaesp(t, pop);
	lookup(t);
	*jr = (uint8_t)(t->p - jr - 1);
	stk(t, 1, 9, t->pend, 0);			/* mov %gs:pend(%esp), %r9d */
	leaesp(t, pop);
	t->pend = 0;
	jmpto(t, vx_lstub(t->vx, vxlblob_rmiss0));
}

/*
 * An indirect jmp or call through the return table, as a ret goes: the
 * target into %r9d (a 32-bit mov: zero-extended), a call's return
 * address stored and esp moved, then retlookup's three instructions,
 * landing on the target's body with no check.  Only once the Vx is warm
 * (its own table in %r12: cold, every such jump would miss into the
 * shared stub), for operands with no virtual segment or address-size
 * prefix, and where the translator has no guess for the target (a
 * compared direct jump is cheaper still).  0: not done, the caller
 * takes the 16-bit table's path.
 */
static int
exactind(T *t, const uint8_t *b, const VxInsn *in, uint32_t next)
{
	static const uint8_t movr9[] = { 0x44, 0x8b };

	if(!t->vx->rwarm || in->addrsize || virtseg(in) || vx_guess(t, in) != 0)
		return 0;
	if(in->mod == 3){
		e8(t, 0x44); e8(t, 0x8b);			/* mov %reg, %r9d */
		e8(t, (uint8_t)(0xc0 | 1 << 3 | in->rm));
	}else
		lmem(t, b, in, -1, 1, movr9, 2);		/* mov m32, %r9d (REX.R) */
	t->vx->stats.warmind++;
	if(in->cls == VXC_CALLIND){
		stkimm(t, -4, next, 0);
		leaesp(t, -4);
	}
	retlookup(t);
	return 1;
}

/*
 * Jump tables.  A `jmp *%reg` right after a load of %reg from a table
 * indexed by a register (glibc i386's small memcpy: `add (%ebx,%ecx,4),
 * %ebx; jmp *%ebx`, a PIC switch) goes to the fragment at its target
 * through a slice of 256 slots in the state block (S_JT), picked by the
 * index register's low byte, the key:
 *
 *	movzbl %kl, %r8d
 *	mov S_JT+1024*s(%r15,%r8,4), %r8d
 *	mov %ecx, S_SPILLC(%r15)
 *	mov %reg, %ecx
 *	jmp *%r8
 *   miss:	movl $s, S_LINK(%r15)
 *	jmp vxlblob_jtmiss
 *
 * A slot holds the indirect entry of a fragment, whose check compares
 * ecx (the guest's target) with its own address, or the site's miss
 * stub; the runtime fills it at the miss (EXIT_JTMISS) with the target's
 * entry.  So the host jump's address depends on the key alone, ready
 * before the guest's table load, and the check that depends on that
 * load is a predicted branch: on a mispredicted jump the CPU need not
 * wait for the guest's load, the add and a lookup keyed by its result.
 * Nothing is assumed of the table, the key or the guest's bound on it:
 * a slot is only a prediction, a wrong one fails the check and goes the
 * indirect table's way.  r8 < 256 keeps the load inside the slice
 * (the validator's rule 8); slots are written by the runtime alone.
 * While slices last (a flush empties them); cold or warm, the fragment
 * is not kept in the persistent cache (which holds no slices); 0: not
 * done.  A slot whose fragment dies goes back to the miss stub
 * (translate.c, jtforget); one left leading to a live fragment other
 * than the guest's target (the table rewritten, an index 256 apart)
 * misses at the check into the indirect table's path, correct but
 * slower, until a flush.
 */
static int
jtsite(T *t, const VxInsn *in, uint32_t eip)
{
	Vx *vx = t->vx;
	int s, k = t->jtkey, i;
	uint32_t miss;

	if(in->cls != VXC_JMPIND || in->mod != 3 || k < 0 || t->jtkeyend != eip || vx->njt >= S_JTN)
		return 0;
	s = vx->njt++;
	e8(t, 0x44); e8(t, 0x0f); e8(t, 0xb6);			/* movzbl %kl, %r8d */
	e8(t, (uint8_t)(0xc0 | k));
	e8(t, 0x47); e8(t, 0x8b); e8(t, 0x84); e8(t, 0x87);	/* mov S_JT+1024*s(%r15,%r8,4), %r8d */
	e32(t, (uint32_t)(S_JT + 1024 * s));
	fsst(t, ECX, S_SPILLC);
	addmap(t, M_INNER, eip, SP_C, 0);
	e8(t, 0x8b); e8(t, (uint8_t)(0xc0 | ECX << 3 | in->rm));	/* mov %reg, %ecx */
	e8(t, 0x41); e8(t, 0xff); e8(t, 0xe0);			/* jmp *%r8 */
	miss = here(t);
	fsimm(t, S_LINK, (uint32_t)s);
	jmpto(t, vx_lstub(vx, vxlblob_jtmiss));
	t->nocache = 1;
	vx->jtkey[s] = (uint8_t)k;
	vx->jtmiss[s] = miss;
	for(i = 0; i < 256; i++)
		ST32(vx, S_JT + 1024 * s + 4 * i) = miss;
	return 1;
}

/* After each instruction: does it load a register from a table indexed
 * by another (add or mov, scale 4), for a jmp through it next? */
void
vx_ljtkey(T *t, const VxInsn *in, uint32_t eip)
{
	t->jtkey = -1;
	if(in->cls == VXC_PLAIN && in->map == VXM_1 && (in->op == 0x03 || in->op == 0x8b) && in->mod != 3
	&& !in->opsize && !in->addrsize && in->index != 0xff && in->scale == 2 && in->reg != in->index){
		t->jtkey = in->index;
		t->jtkeyend = eip + in->len;
	}
}

/* The target of an indirect branch into ecx (guest ecx already spilled). */
static int
ltarget(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int r;

	if(in->mod == 3){
		e8(t, 0x8b);
		e8(t, (uint8_t)(0xc0 | ECX << 3 | in->rm));
		return 0;
	}
	if(in->addrsize)
		return -1;
	if(virtseg(in)){
		r = lscratch(b, in, ECX);
		if(r < 0)
			return -1;
		lsegbase(t, in, r);
		addmap(t, M_INNER, eip, SP_C | SP_R | r, 0);
		lmem(t, b, in, r, ECX, op_mov, 1);
		fsld(t, r, S_SPILLR);
		return 0;
	}
	lmem(t, b, in, -1, ECX, op_mov, 1);
	return 0;
}

/*
 * The guest's direction flag.  RFLAGS.DF changed costs this CPU 40-60 ns
 * (std, cld after std, a popfq that flips it), a store costs nothing, and
 * static i386 glibc's memmove sets and clears DF on every backward copy.
 * So while translated code runs RFLAGS.DF is clear (but inside a backward
 * rep, below) and the guest's DF is in the state block: S_DF (0 or -1)
 * and S_DFBIT (0 or 0x400, its place in EFLAGS).  Entry takes them from
 * S_EFLAGS and exit puts them back (blob64.S); std, cld, pushf and popf
 * use them here.
 */
static void
ldf(T *t, int r9)
{
	if(r9){
		e8(t, 0x45); e8(t, 0x8b); e8(t, 0x8f);		/* mov S_DF(%r15), %r9d */
		e32(t, S_DF);
	}else
		fsld(t, ECX, S_DF);
}

/* After the access: lea k(%rsi,%r9,2k), %esi (resp. %rdi, %edi) with
 * %r9d = S_DF: k forwards, -k backwards (the 64-bit sum's low half). */
static void
ldfstep(T *t, int si, int di, int k)
{
	uint8_t sc = k == 1 ? 0x40 : k == 2 ? 0x80 : 0xc0;

	ldf(t, 1);
	if(si){
		e8(t, 0x42); e8(t, 0x8d); e8(t, 0x74);		/* lea k(%rsi,%r9,2k), %esi */
		e8(t, (uint8_t)(sc | 1 << 3 | ESI)); e8(t, (uint8_t)k);
	}
	if(di){
		e8(t, 0x42); e8(t, 0x8d); e8(t, 0x7c);		/* lea k(%rdi,%r9,2k), %edi */
		e8(t, (uint8_t)(sc | 1 << 3 | EDI)); e8(t, (uint8_t)k);
	}
}

/* [66] %gs:(%esi or %edi) with addr32, op, reg (REX.R when rex). */
static void
lsdi(T *t, int w16, int rex, uint8_t op, int reg, int rm)
{
	if(w16)
		e8(t, 0x66);
	e8(t, 0x65); e8(t, 0x67);
	if(rex)
		e8(t, 0x44);
	e8(t, op);
	e8(t, (uint8_t)(reg << 3 | rm));
}

/* One string instruction without rep: plain loads and stores through
 * %gs, then esi/edi step by S_DF.  Nothing changes before the last
 * access, so a fault at either leaves the guest at the instruction.
 * Bytes go through guest eax (spilled: a byte register with REX is not
 * an engine form), words and dwords through %r9. */
static void
lstrone(T *t, const VxInsn *in, uint32_t eip, int si, int di)
{
	int op = in->op & ~1, k = !(in->op & 1) ? 1 : in->opsize ? 2 : 4, w = in->opsize && k == 2;
	uint8_t ld = k == 1 ? 0x8a : 0x8b, st = k == 1 ? 0x88 : 0x89, cmp = k == 1 ? 0x3a : 0x3b;

	switch(op){
	case 0xa4:	/* movs */
	case 0xa6:	/* cmps: [esi] - [edi] */
		if(k == 1){
			fsst(t, EAX, S_SPILLR);
			addmap(t, M_INNER, eip, SP_R | EAX, 0);
			lsdi(t, 0, 0, ld, EAX, ESI);
			lsdi(t, 0, 0, op == 0xa4 ? st : cmp, EAX, EDI);
			fsld(t, EAX, S_SPILLR);
		}else{
			lsdi(t, w, 1, ld, 1, ESI);
			lsdi(t, w, 1, op == 0xa4 ? st : cmp, 1, EDI);
		}
		break;
	case 0xaa:	/* stos */
		lsdi(t, w, 0, st, EAX, EDI);
		break;
	case 0xac:	/* lods */
		lsdi(t, w, 0, ld, EAX, ESI);
		break;
	case 0xae:	/* scas: al - [edi] */
		lsdi(t, w, 0, cmp, EAX, EDI);
		break;
	}
	ldfstep(t, si, di, k);
}

/* A rep string instruction: the CPU's, with %rsi/%rdi host addresses
 * B + guest address for the one instruction (the guards cover any rep
 * count in either direction) and guest addresses again after it; a
 * count of 0 skips it all (the CPU's rep costs ~20 ns even then).  With
 * S_DF set it runs between std and cld. */
static void
lstrrep(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip, int si, int di)
{
	uint8_t *done, *fwd, *out;
	int pass;

	e8(t, 0x67); e8(t, 0xe3); e8(t, 0);		/* jecxz done */
	done = t->p;
	fsst(t, ECX, S_SPILLC);
	addmap(t, M_INNER, eip, SP_C, 0);
	ldf(t, 0);					/* mov S_DF, %ecx */
	e8(t, 0xe3); e8(t, 0);				/* jrcxz fwd */
	fwd = t->p;
	e8(t, 0xfd);					/* std */
	out = NULL;
	for(pass = 0; pass < 2; pass++){
		if(pass == 1){
			fwd[-1] = (uint8_t)(t->p - fwd);
			addmap(t, M_INNER, eip, SP_C, 0);
		}
		fsld(t, ECX, S_SPILLC);
		if(si){
			e8(t, 0x89); e8(t, 0xf6);			/* mov %esi, %esi */
			e8(t, 0x49); e8(t, 0x8d); e8(t, 0x34); e8(t, 0x36);	/* lea (%r14,%rsi), %rsi */
		}
		if(di){
			e8(t, 0x89); e8(t, 0xff);			/* mov %edi, %edi */
			e8(t, 0x49); e8(t, 0x8d); e8(t, 0x3c); e8(t, 0x3e);	/* lea (%r14,%rdi), %rdi */
		}
		/* B is 4 GiB aligned: the low halves are the guest's registers,
		 * so a fault or a stop inside a rep is at an exact guest state */
		addmap(t, M_INSN, eip, 0, 0);
		lpfx(t, b, in);
		e8(t, in->op);
		if(si){
			e8(t, 0x89); e8(t, 0xf6);
		}
		if(di){
			e8(t, 0x89); e8(t, 0xff);
		}
		if(pass == 0){
			e8(t, 0xfc);				/* cld */
			e8(t, 0xeb); e8(t, 0);			/* jmp done */
			out = t->p;
		}
	}
	out[-1] = (uint8_t)(t->p - out);
	done[-1] = (uint8_t)(t->p - done);
}

/* String instructions (doc/translator.md, "Each 64-bit hazard"). */
static int
lstring(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int op = in->op & ~1, si, di;

	si = op == 0xa4 || op == 0xa6 || op == 0xac;
	di = op == 0xa4 || op == 0xa6 || op == 0xaa || op == 0xae;
	if(in->addrsize || (si && virtseg(in)))
		return -1;
	if(in->rep || in->repne)
		lstrrep(t, b, in, eip, si, di);
	else
		lstrone(t, in, eip, si, di);
	return 0;
}

static int
lpush(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int w = in->opsize ? 2 : 4, r;

	if(in->mod == 3){
		stk(t, 0, in->rm, -w, in->opsize);
		leaesp(t, -w);
		return 0;
	}
	if(in->addrsize)
		return -1;
	/* the operand is read before esp changes, as the CPU does */
	if(!virtseg(in) && !in->opsize){
		/* through %r9d, which the guest cannot name: no spill of a
		 * guest register (i386 code pushes stack arguments so);
		 * a fault at the load or the store leaves the guest as it
		 * was at the instruction */
		static const uint8_t op_movr9[] = { 0x44, 0x8b };
		lmem(t, b, in, -1, 1, op_movr9, 2);	/* mov mem, %r9d */
		stkpfx(t);
		e8(t, 0x44); e8(t, 0x89);			/* mov %r9d, %gs:-4(%rsp) */
		e8(t, 0x4c); e8(t, 0x24); e8(t, 0xfc);
		leaesp(t, -4);
		return 0;
	}
	r = lscratch(b, in, -1);
	if(r < 0)
		return -1;
	if(virtseg(in))
		lsegbase(t, in, r);
	else
		fsst(t, r, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | r, 0);
	if(in->opsize){
		static const uint8_t op16[] = { 0x66, 0x8b };
		lmem(t, b, in, virtseg(in) ? r : -1, r, op16, 2);
	}else
		lmem(t, b, in, virtseg(in) ? r : -1, r, op_mov, 1);
	stk(t, 0, r, -w, in->opsize);
	leaesp(t, -w);
	fsld(t, r, S_SPILLR);
	return 0;
}

static int
lpop(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int w = in->opsize ? 2 : 4, r;

	if(in->mod == 3){
		if(in->rm == ESP){
			stk(t, 1, ESP, 0, in->opsize);
			return 0;
		}
		stk(t, 1, in->rm, 0, in->opsize);
		leaesp(t, w);
		return 0;
	}
	if(in->addrsize || virtseg(in))
		return -1;
	/* the address is computed with the incremented esp, as the CPU does */
	r = lscratch(b, in, -1);
	if(r < 0)
		return -1;
	fsst(t, r, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | r, 0);
	stk(t, 1, r, 0, in->opsize);
	leaesp(t, w);
	addmap(t, M_INNER, eip, SP_R | r, w);
	if(in->opsize){
		static const uint8_t op16[] = { 0x66, 0x89 };
		lmem(t, b, in, -1, r, op16, 2);
	}else
		lmem(t, b, in, -1, r, op_st, 1);
	fsld(t, r, S_SPILLR);
	return 0;
}

static int
lpusha(T *t, const VxInsn *in)
{
	int r;

	if(in->opsize)
		return -1;
	for(r = EAX; r <= EDI; r++)
		stk(t, 0, r, -4 * (r + 1), 0);
	leaesp(t, -32);
	return 0;
}

static int
lpopa(T *t, const VxInsn *in, uint32_t eip)
{
	static const int off[8] = { 28, 24, 20, 16, -1, 8, 4, 0 };
	int r;

	if(in->opsize)
		return -1;
	/* both ends readable means all is: probe the top into edi first */
	fsst(t, EDI, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | EDI, 0);
	stk(t, 1, EDI, 28, 0);
	stk(t, 1, EDI, 0, 0);
	for(r = EAX; r < EDI; r++)
		if(off[r] >= 0)
			stk(t, 1, r, off[r], 0);
	leaesp(t, 32);
	return 0;
}

static void
lpushf(T *t, uint32_t eip)
{
	fsst(t, EAX, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | EAX | SP_RESTART, 0);
	xstackon(t);
	e8(t, 0x9c);						/* pushfq */
	addmap(t, M_INNER, eip, SP_R | EAX, 0);
	e8(t, 0x58);						/* pop %rax */
	xstackoff(t);
	e8(t, 0x45); e8(t, 0x8b); e8(t, 0x8f); e32(t, S_DFBIT);	/* mov S_DFBIT(%r15), %r9d */
	e8(t, 0x42); e8(t, 0x8d); e8(t, 0x04); e8(t, 0x08);	/* lea (%rax,%r9), %eax: DF in */
	stk(t, 0, EAX, -4, 0);
	leaesp(t, -4);
	fsld(t, EAX, S_SPILLR);
}

static void
lpopf(T *t, uint32_t eip)
{
	fsst(t, EAX, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | EAX, 0);
	stk(t, 1, EAX, 0, 0);
	leaesp(t, 4);
	/* DF to S_DF and S_DFBIT, and out of what popfq loads (the old
	 * flags are dead here, nothing from here faults) */
	e8(t, 0x41); e8(t, 0x89); e8(t, 0xc1);			/* mov %eax, %r9d */
	e8(t, 0x25); e32(t, 0x400);				/* and $0x400, %eax */
	fsst(t, EAX, S_DFBIT);
	e8(t, 0xc1); e8(t, 0xe8); e8(t, 10);			/* shr $10, %eax */
	e8(t, 0xf7); e8(t, 0xd8);				/* neg %eax */
	fsst(t, EAX, S_DF);
	e8(t, 0x44); e8(t, 0x89); e8(t, 0xc8);			/* mov %r9d, %eax */
	e8(t, 0x25); e32(t, ~(uint32_t)0x400);			/* and $~0x400, %eax */
	xstackon(t);
	e8(t, 0x50);						/* push %rax */
	e8(t, 0x9d);						/* popfq */
	addmap(t, M_INNER, eip, SP_R | EAX | SP_TFSKIP, 4);
	xstackoff(t);
	fsld(t, EAX, S_SPILLR);
}

static void
lleave(T *t, uint32_t eip)
{
	fsst(t, EAX, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | EAX, 0);
	e8(t, 0x65); e8(t, 0x67); e8(t, 0x8b); e8(t, 0x45); e8(t, 0x00);	/* mov %gs:(%ebp), %eax */
	e8(t, 0x8d); e8(t, 0x65); e8(t, 0x04);				/* lea 4(%rbp), %esp */
	e8(t, 0x89); e8(t, 0xc5);					/* mov %eax, %ebp */
	fsld(t, EAX, S_SPILLR);
}

/* enter iw, 0 */
static void
lenter(T *t, uint32_t size)
{
	stk(t, 0, EBP, -4, 0);
	e8(t, 0x8d); e8(t, 0x6c); e8(t, 0x24); e8(t, 0xfc);	/* lea -4(%rsp), %ebp */
	e8(t, 0x8d); e8(t, 0xa5); e32(t, -size);		/* lea -size(%rbp), %esp */
}

/* salc (not in 64-bit mode): %al = CF ? 0xff : 0, the flags kept,
 * through %ecx, spilled: setnc %cl; movzbl %cl, %ecx; lea -1(%rcx),
 * %ecx; mov %cl, %al.  Interrupted inside, it runs again from the
 * start with %ecx back, to the same %al. */
static void
lsalc(T *t, uint32_t eip)
{
	static const uint8_t seq[] = {
		0x0f, 0x93, 0xc1,	/* setnc %cl */
		0x0f, 0xb6, 0xc9,	/* movzbl %cl, %ecx */
		0x8d, 0x49, 0xff,	/* lea -1(%rcx), %ecx: no flags */
		0x88, 0xc8,		/* mov %cl, %al */
	};
	size_t i;

	fsst(t, ECX, S_SPILLR);
	addmap(t, M_INNER, eip, SP_R | ECX, 0);
	for(i = 0; i < sizeof seq; i++)
		e8(t, seq[i]);
	fsld(t, ECX, S_SPILLR);
}

/* Does the instruction use x87 or MMX state (or save or load it all)?
 * Until a guest's first one, entry and exit move only MXCSR and xmm0-7
 * (S_X87): host C code never leaves the x87 state changed. */
int
vx_lx87insn(const VxInsn *in)
{
	int np = !in->opsize && !in->rep && !in->repne;

	if(in->vex)
		return 0;
	switch(in->map){
	case VXM_1:
		return in->op >= 0xd8 && in->op <= 0xdf;
	case VXM_0F:
		if(in->op == 0xae || in->op == 0xc7)
			return in->hasmem;	/* fxsave, xrstor ... */
		if(in->op == 0x77 || in->op == 0x0e)
			return 1;
		if(in->op == 0x2a || in->op == 0x2c || in->op == 0x2d)
			return !in->rep && !in->repne;
		if(in->op == 0xd6)
			return in->rep || in->repne;
		return np && ((in->op >= 0x60 && in->op <= 0x7f) || in->op == 0xc4 || in->op == 0xc5 || in->op >= 0xd1);
	case VXM_0F38:
		return np && in->op <= 0x1e;
	case VXM_0F3A:
		return np && in->op == 0x0f;
	}
	return 0;
}

int
vx_translong1(T *t, const uint8_t *b0, const VxInsn *in, uint32_t eip)
{
	uint32_t next = eip + in->len;
	uint8_t b[VX_MAXINSN + 1];
	int sreg, cc, r, i;

	fixvex(b0, in, b);
	if(t->pend)	/* inside a run of pushes or pops: esp lags */
		t->map[t->nmap - 1].espadj = (int8_t)-t->pend;
	lflagsdead(t, in);
	t->flagsmade = 0;
	if(t->pend == 0 && t->pre == 0 && t->vx->rwarm)
		callrun(t, in, eip);
	/* the one-byte map's x87 rows without the call (most instructions) */
	if((in->map != VXM_1 || (in->op & 0xf8) == 0xd8) && vx_lx87insn(in)){
		t->x87 = 1;
		if(!t->vx->speculating)
			ST32(t->vx, S_X87) = 1;
	}
	switch(in->cls){
	case VXC_PLAIN:
		if((t->pend != 0 || pushmem(in)) && stkslot(t, in)){
			lstkslot(t, b, in);
			return 0;
		}
		if((r = espimm(in)) != 0 && inrun(t->pend - t->pre + r) && (t->pend != 0 || runahead(t, next))){
			lespimm(t, in, r);
			return 0;
		}
		if(in->map == VXM_1 && !in->vex){
			switch(in->op){
			case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
			case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
				lpfx(t, b, in);				/* inc/dec r: ff /0, ff /1 */
				e8(t, 0xff);
				e8(t, (uint8_t)(0xc0 | (in->op >= 0x48) << 3 | (in->op & 7)));
				return 0;
			case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
				if(pushreg(in)){
					stk(t, 0, in->op & 7, t->pend - 4, 0);
					t->pend -= 4;
					return 0;
				}
				stk(t, 0, in->op & 7, in->opsize ? -2 : -4, in->opsize);
				leaesp(t, in->opsize ? -2 : -4);
				return 0;
			case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
				if((in->op & 7) == ESP){	/* the value popped wins */
					stk(t, 1, ESP, 0, in->opsize);
					return 0;
				}
				if(popreg(in)){
					stk(t, 1, in->op & 7, t->pend, 0);
					t->pend += 4;
					return 0;
				}
				stk(t, 1, in->op & 7, 0, in->opsize);
				leaesp(t, in->opsize ? 2 : 4);
				return 0;
			case 0x60:
				if(lpusha(t, in) < 0)
					goto illegal;
				return 0;
			case 0x61:
				if(lpopa(t, in, eip) < 0)
					goto illegal;
				return 0;
			case 0x68:
			case 0x6a:
				if(pushreg(in)){
					stkimm(t, t->pend - 4, in->op == 0x6a ? (uint32_t)(int32_t)(int8_t)in->imm : in->imm, 0);
					t->pend -= 4;
					return 0;
				}
				stkimm(t, in->opsize ? -2 : -4, in->op == 0x6a ? (uint32_t)(int32_t)(int8_t)in->imm : in->imm, in->opsize);
				leaesp(t, in->opsize ? -2 : -4);
				return 0;
			case 0x8f:
				if(lpop(t, b, in, eip) < 0)
					goto illegal;
				return 0;
			case 0x9c:
				if(in->opsize)
					goto illegal;
				lpushf(t, eip);
				return 0;
			case 0x9d:
				if(in->opsize)
					goto illegal;
				lpopf(t, eip);
				return 0;
			case 0xc8:
				if(in->opsize || b[in->immoff + 2] != 0){
					exitstub(t, EXIT_EMUL, eip, 0);
					return 1;
				}
				lenter(t, in->imm & 0xffff);
				return 0;
			case 0xc9:
				if(in->opsize)
					goto illegal;
				lleave(t, eip);
				return 0;
			case 0xfc:	/* cld, std: the state block's DF */
			case 0xfd:
				fsimm(t, S_DF, in->op == 0xfd ? 0xffffffff : 0);
				fsimm(t, S_DFBIT, in->op == 0xfd ? 0x400 : 0);
				return 0;
			case 0xa4: case 0xa5: case 0xa6: case 0xa7:
			case 0xaa: case 0xab: case 0xac: case 0xad: case 0xae: case 0xaf:
				if(lstring(t, b, in, eip) < 0)
					goto illegal;
				return 0;
			case 0xd7:
				if(in->addrsize || virtseg(in))
					goto illegal;
				e8(t, 0x65); e8(t, 0x67); e8(t, 0xd7);
				return 0;
			case 0xd6:
				lsalc(t, eip);
				return 0;
			case 0x27: case 0x2f: case 0x37: case 0x3f: case 0xd4: case 0xd5: case 0x62:
				/* not in 64-bit mode: the runtime does them */
				exitstub(t, EXIT_EMUL, eip, 0);
				return 1;
			case 0x82:
				b[in->opoff] = 0x80;
				break;
			case 0xff:
				if(in->reg == 6){
					if(lpush(t, b, in, eip) < 0)
						goto illegal;
					return 0;
				}
				break;
			}
		}
		if(in->map == VXM_0F && in->op == 0xf7){
			/* maskmovq/maskmovdqu: implicit %ds:(%edi) */
			if(in->addrsize || virtseg(in))
				goto illegal;
			e8(t, 0x65); e8(t, 0x67);
			lpfx(t, b, in);
			for(i = in->opoff; i < in->len; i++)
				e8(t, b[i]);
			return 0;
		}
		if(in->hasmem){
			fpuclean(t, in);
			if(lplainmem(t, b, in, eip) < 0)
				goto illegal;
			lfpuptrs(t, b, in, eip);
			return 0;
		}
		lpfx(t, b, in);
		for(i = in->opoff; i < in->len; i++)
			e8(t, b[i]);
		return 0;
	case VXC_ENDBR:
		return 0;
	case VXC_JMP:
		jmpexit(t, in->target);
		return 1;
	case VXC_JCC:
		cc = (in->map == VXM_1 ? in->op - 0x70 : in->op - 0x80) & 15;
		e8(t, 0x0f);
		e8(t, (uint8_t)(0x80 | cc));
		exitrel(t, in->target);
		return 0;
	case VXC_LOOP:
		if(in->addrsize)
			goto illegal;	/* %cx counts: not in 64-bit mode */
		e8(t, 0x67);		/* %ecx, not %rcx */
		e8(t, in->op);
		e8(t, 2);
		e8(t, 0xeb);
		e8(t, 5);
		jmpexit(t, in->target);
		jmpexit(t, next);
		return 1;
	case VXC_CALL:
		/* esp first, then the return address at 0(%rsp), whose
		 * store has no displacement byte: 12 bytes rather than 13
		 * (pend 4: its run's esp change made ahead, no lea).  The
		 * M_INNER entry after the lea says esp is 4 below the
		 * guest's, for a fault on the store */
		if(t->pend != 4){
			leaesp(t, t->pend - 4);
			addmap(t, M_INNER, eip, 0, -4);
		}
		stkimm(t, 0, next, 0);
		t->pend = t->pre = 0;
		jmpexit(t, in->target);
		return 1;
	case VXC_RET:
		/* the load is the ret's first instruction: its M_INSN entry
		 * (a boundary for stepping) says the esp change not yet done */
		if(t->pend)
			t->map[t->nmap - 1].espadj = (int8_t)-t->pend;
		if(!t->vx->rwarm){
			coldret(t, in, eip);
			return 1;
		}
		stk(t, 1, 9, t->pend, 0);			/* mov %gs:pend(%esp), %r9d */
		leaesp(t, t->pend + 4 + (in->op == 0xc2 ? (int32_t)(in->imm & 0xffff) : 0));
		t->pend = 0;
		retlookup(t);
		t->vx->stats.warmrets++;
		return 1;
	case VXC_JMPIND:
	case VXC_CALLIND:
		if(in->opsize)
			goto illegal;
		if(jtsite(t, in, eip))
			return 1;
		if(exactind(t, b, in, next))
			return 1;
		fsst(t, ECX, S_SPILLC);
		addmap(t, M_INNER, eip, SP_C, 0);
		if(ltarget(t, b, in, eip) < 0)
			goto illegal;
		if(in->cls == VXC_CALLIND){
			addmap(t, M_INNER, eip, SP_C, 0);
			stkimm(t, -4, next, 0);
			leaesp(t, -4);
		}
		vx_indirect(t, in, lookup);
		return 1;
	case VXC_INT:
	case VXC_INT3:
	case VXC_INTO:
	case VXC_SYSENTER:
	case VXC_SYSCALL:
	case VXC_CPUID:
	case VXC_XGETBV:
	case VXC_SYSINSN:
		return transtrap(t, in, eip);
	case VXC_MOVTOSEG:
		sreg = in->reg;
		if(sreg != 4 && sreg != 5)
			goto priv;
		if(in->mod == 3)
			fsst(t, in->rm, S_SEGVAL);
		else{
			r = lscratch(b, in, -1);
			if(r < 0 || virtseg(in) || in->addrsize)
				goto illegal;
			fsst(t, r, S_SPILLR);
			addmap(t, M_INNER, eip, SP_R | r, 0);
			lmem(t, b, in, -1, r, op_movzw, 2);
			fsst(t, r, S_SEGVAL);
			fsld(t, r, S_SPILLR);
		}
		exitstub(t, EXIT_SETSEG, next, (uint32_t)((sreg - 4) | in->len << 8));
		return 1;
	case VXC_POPSEG:
		fsst(t, EAX, S_SPILLR);
		addmap(t, M_INNER, eip, SP_R | EAX, 0);
		stk(t, 1, EAX, 0, 0);
		leaesp(t, 4);
		fsst(t, EAX, S_SEGVAL);
		fsld(t, EAX, S_SPILLR);
		exitstub(t, EXIT_SETSEG, next, (uint32_t)((in->op == 0xa1 ? 0 : 1) | in->len << 8 | 1 << 16));
		return 1;
	case VXC_PUSHSEG:
		if(in->map == VXM_0F){	/* push fs/gs: the virtual selector */
			fsst(t, EAX, S_SPILLR);
			addmap(t, M_INNER, eip, SP_R | EAX, 0);
			fsld(t, EAX, S_SEGSEL + (in->op == 0xa0 ? 0 : 4));
			stk(t, 0, EAX, in->opsize ? -2 : -4, in->opsize);
			leaesp(t, in->opsize ? -2 : -4);
			fsld(t, EAX, S_SPILLR);
		}else{
			stkimm(t, in->opsize ? -2 : -4, flatsel(in->op >> 3), in->opsize);
			leaesp(t, in->opsize ? -2 : -4);
		}
		return 0;
	case VXC_MOVFROMSEG:
		sreg = in->reg;
		if(sreg != 4 && sreg != 5){
			if(in->mod == 3){
				if(in->opsize)
					e8(t, 0x66);
				e8(t, (uint8_t)(0xb8 | in->rm));
				if(in->opsize){
					e8(t, (uint8_t)flatsel(sreg));
					e8(t, 0);
				}else
					e32(t, flatsel(sreg));
				return 0;
			}
			if(in->addrsize)
				goto illegal;
			r = -1;
			if(virtseg(in)){	/* as compat: mov %ds, %gs:m */
				if((r = lscratch(b, in, -1)) < 0)
					goto illegal;
				lsegbase(t, in, r);
				addmap(t, M_INNER, eip, SP_R | r, 0);
			}
			{
				static const uint8_t op16[] = { 0x66, 0xc7 };
				lmem(t, b, in, r, 0, op16, 2);
				e8(t, (uint8_t)flatsel(sreg));
				e8(t, 0);
			}
			if(r >= 0)
				fsld(t, r, S_SPILLR);
			return 0;
		}
		if(in->mod == 3){
			if(in->opsize)
				e8(t, 0x66);
			fsld(t, in->rm, S_SEGSEL + (sreg == 4 ? 0 : 4));
		}else{
			r = lscratch(b, in, -1);
			if(r < 0 || virtseg(in) || in->addrsize)
				goto illegal;
			fsst(t, r, S_SPILLR);
			fsld(t, r, S_SEGSEL + (sreg == 4 ? 0 : 4));
			addmap(t, M_INNER, eip, SP_R | r, 0);
			lmem(t, b, in, -1, r, op_movw, 2);
			fsld(t, r, S_SPILLR);
		}
		return 0;
	case VXC_PRIV:
	priv:
		trapstub(t, VX_TRAP_PRIVILEGED, 0, eip, eip);
		return 1;
	default:
	illegal:
		trapstub(t, VX_TRAP_ILLEGAL, 0, eip, eip);
		return 1;
	}
}

/* --- instructions 64-bit mode lacks, done by the runtime (EXIT_EMUL) --- */

enum { CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800 };

static uint32_t
szp(uint32_t fl, uint8_t v)
{
	fl &= ~(uint32_t)(SF | ZF | PF);
	if(v & 0x80)
		fl |= SF;
	if(v == 0)
		fl |= ZF;
	if(!__builtin_parity(v))
		fl |= PF;
	return fl;
}

#define REG(vx, r)	ST32(vx, S_REGS + 4 * (r))

static int
memfault(VxTrapInfo *ti, uint32_t eip, uint32_t a, int write)
{
	ti->trap = VX_TRAP_PAGEFAULT;
	ti->eip = eip;
	ti->addr = a;
	ti->write = write;
	return ti->trap;
}

/* Read n (2 or 4) bytes of guest memory at a, wrapping as the CPU. */
static int
rd(Vx *vx, uint32_t a, int n, uint32_t *v)
{
	uint8_t *p;
	int i;

	*v = 0;
	for(i = 0; i < n; i++){
		p = vx_access(vx, a + (uint32_t)i, 1, VX_PROT_READ);
		if(p == NULL)
			return -1;
		*v |= (uint32_t)*p << 8 * i;
	}
	return 0;
}

static uint8_t *
wrp(Vx *vx, uint32_t a)
{
	return vx_access(vx, a, 4, VX_PROT_WRITE);
}

/* Run the instruction at eip; 0 and eip advanced, or a trap in ti. */
int
vx_emulate(Vx *vx, uint32_t eip, VxTrapInfo *ti)
{
	uint8_t code[16];
	uint32_t avail, fl, ax, al, ah, regs[8], ea, lo, hi, v;
	VxInsn in;
	int r;

	avail = vxmem_codebytes(vx, eip);
	if(avail == 0 || vx_access(vx, eip, avail, VX_PROT_READ) == NULL)
		return memfault(ti, eip, eip, 0);
	memcpy(code, vx->mem->base + eip, avail);
	if(vx_decode(code, avail, eip, &in) <= 0){
		ti->trap = VX_TRAP_ILLEGAL;
		ti->eip = eip;
		return ti->trap;
	}
	fl = ST32(vx, S_EFLAGS);
	ax = REG(vx, VX_EAX);
	al = ax & 0xff;
	ah = (ax >> 8) & 0xff;
	switch(in.op){
	case 0x27: {	/* daa */
		uint32_t oal = al, ocf = fl & CF;
		fl &= ~(uint32_t)CF;
		if((al & 0xf) > 9 || (fl & AF)){
			uint32_t s = al + 6;
			al = s & 0xff;
			fl = (fl & ~(uint32_t)CF) | ocf | (s > 0xff ? CF : 0) | AF;
		}else
			fl &= ~(uint32_t)AF;
		if(oal > 0x99 || ocf){
			al = (al + 0x60) & 0xff;
			fl |= CF;
		}else
			fl &= ~(uint32_t)CF;
		fl = szp(fl, (uint8_t)al);
		ax = (ax & ~0xffu) | al;
		break;
	}
	case 0x2f: {	/* das */
		uint32_t oal = al, ocf = fl & CF;
		fl &= ~(uint32_t)CF;
		if((al & 0xf) > 9 || (fl & AF)){
			fl |= ocf | (al < 6 ? CF : 0) | AF;
			al = (al - 6) & 0xff;
		}else
			fl &= ~(uint32_t)AF;
		if(oal > 0x99 || ocf){
			al = (al - 0x60) & 0xff;
			fl |= CF;
		}
		fl = szp(fl, (uint8_t)al);
		ax = (ax & ~0xffu) | al;
		break;
	}
	case 0x37:	/* aaa */
	case 0x3f:	/* aas */
		if((al & 0xf) > 9 || (fl & AF)){
			uint32_t w = ax & 0xffff;
			if(in.op == 0x37)
				w = (w + 0x106) & 0xffff;
			else
				w = ((w - 6) & 0xffff) - 0x100;
			ax = (ax & ~0xffffu) | (w & 0xffff);
			fl |= AF | CF;
		}else
			fl &= ~(uint32_t)(AF | CF);
		ax &= ~0xf0u;
		fl = szp(fl, (uint8_t)(ax & 0xff));
		break;
	case 0xd4:	/* aam */
		if((in.imm & 0xff) == 0){
			ti->trap = VX_TRAP_DIVIDE;
			ti->eip = eip;
			return ti->trap;
		}
		ah = al / (in.imm & 0xff);
		al = al % (in.imm & 0xff);
		ax = (ax & ~0xffffu) | ah << 8 | al;
		fl = szp(fl & ~(uint32_t)(OF | AF | CF), (uint8_t)al);
		break;
	case 0xd5:	/* aad */
		al = (al + ah * (in.imm & 0xff)) & 0xff;
		ax = (ax & ~0xffffu) | al;
		fl = szp(fl & ~(uint32_t)(OF | AF | CF), (uint8_t)al);
		break;
	case 0x62:	/* bound */
		for(r = 0; r < 8; r++)
			regs[r] = REG(vx, r);
		if(!vx_insn_ea(&in, regs, &ea) || in.addrsize){
			ti->trap = VX_TRAP_ILLEGAL;
			ti->eip = eip;
			return ti->trap;
		}
		if(in.seg == VXS_GS)
			ea += ST32(vx, S_GSBASE);
		else if(in.seg == VXS_FS)
			ea += ST32(vx, S_FSBASE);
		if(in.opsize){
			if(rd(vx, ea, 2, &lo) < 0)
				return memfault(ti, eip, ea, 0);
			if(rd(vx, ea + 2, 2, &hi) < 0)
				return memfault(ti, eip, ea + 2, 0);
			v = regs[in.reg] & 0xffff;
			if((int16_t)v < (int16_t)lo || (int16_t)v > (int16_t)hi)
				goto br;
		}else{
			if(rd(vx, ea, 4, &lo) < 0)
				return memfault(ti, eip, ea, 0);
			if(rd(vx, ea + 4, 4, &hi) < 0)
				return memfault(ti, eip, ea + 4, 0);
			v = regs[in.reg];
			if((int32_t)v < (int32_t)lo || (int32_t)v > (int32_t)hi)
				goto br;
		}
		ST32(vx, S_EIP) = eip + in.len;
		return 0;
	br:
		ti->trap = VX_TRAP_BOUND;
		ti->eip = eip;
		return ti->trap;
	case 0x9d:	/* popf, while the guest's TF is set (vx_run) */
		if(in.opsize){
			ti->trap = VX_TRAP_ILLEGAL;
			ti->eip = eip;
			return ti->trap;
		}
		if(rd(vx, REG(vx, VX_ESP), 4, &v) < 0)
			return memfault(ti, eip, REG(vx, VX_ESP), 0);
		REG(vx, VX_ESP) += 4;
		vx_setreg(vx, VX_EFLAGS, v);	/* the flags a program may set, TF too */
		ST32(vx, S_EIP) = eip + in.len;
		return 0;
	case 0xc8: {	/* enter iw, ib with a nesting level */
		uint32_t size = in.imm & 0xffff, level = code[in.immoff + 2] & 31, esp, ebp, ft, i;
		uint8_t *p;
		if(in.opsize){
			ti->trap = VX_TRAP_ILLEGAL;
			ti->eip = eip;
			return ti->trap;
		}
		esp = REG(vx, VX_ESP);
		ebp = REG(vx, VX_EBP);
		esp -= 4;
		if((p = wrp(vx, esp)) == NULL)
			return memfault(ti, eip, esp, 1);
		memcpy(p, &ebp, 4);
		ft = esp;
		for(i = 1; i < level; i++){
			ebp -= 4;
			if(rd(vx, ebp, 4, &v) < 0)
				return memfault(ti, eip, ebp, 0);
			esp -= 4;
			if((p = wrp(vx, esp)) == NULL)
				return memfault(ti, eip, esp, 1);
			memcpy(p, &v, 4);
		}
		if(level > 0){
			esp -= 4;
			if((p = wrp(vx, esp)) == NULL)
				return memfault(ti, eip, esp, 1);
			memcpy(p, &ft, 4);
		}
		REG(vx, VX_EBP) = ft;
		REG(vx, VX_ESP) = esp - size;
		ST32(vx, S_EIP) = eip + in.len;
		return 0;
	}
	default:
		ti->trap = VX_TRAP_ILLEGAL;
		ti->eip = eip;
		return ti->trap;
	}
	REG(vx, VX_EAX) = ax;
	ST32(vx, S_EFLAGS) = fl;
	ST32(vx, S_EIP) = eip + in.len;
	return 0;
}
