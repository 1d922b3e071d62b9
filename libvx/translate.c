/*
 * translate.c — guest code to fragments in the code cache.
 *
 * A fragment is the translation of a run of guest instructions that ends
 * at a control transfer (or after MAXFRAGINSN instructions).  Most
 * instructions are copied as they are: the data segment confines them.
 * Rewritten are control transfers (the code cache is not where the guest
 * thinks its code is), traps, segment register use (guest %fs/%gs are
 * virtual: their accesses are redirected through a scratch register to
 * base + offset in the data segment) and the cs override (dropped: the
 * guest's code and data are one flat space).
 *
 * Layout of a fragment:
 *	ientry:	indirect entry — ecx = guest target, ecx/ebx spilled;
 *		checks the target is ours, else goes to the miss stub
 *	body:	the translated instructions
 *	stubs:	one per direct exit, until the exit is chained to its target
 *
 * Every guest instruction start, inner point that can fault, and stub is
 * recorded in the fragment's map so a host pc can be turned back into
 * guest state (faults, stop requests, self-modifying code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "trans.h"

void
addmap(T *t, int kind, uint32_t geip, int spill, int espadj)
{
	MapEnt *m;

	if(t->nmap >= MAXMAP)
		abort();	/* bounded by MAXFRAGINSN */
	m = &t->map[t->nmap++];
	m->hoff = (uint16_t)(t->p - t->start);	/* < FRAGROOM */
	m->goff = (uint16_t)(kind == M_STUB ? geip : geip - t->geip);
	m->kind = (uint8_t)kind;
	m->spill = (uint8_t)spill;
	m->espadj = (int8_t)espadj;
	m->enter = 0;
}

/* State block accesses: compat mov %reg, %fs:off / mov %fs:off, %reg /
 * movl $imm, %fs:off; long the same through %r15 (off(%r15), disp32).
 * Both forms have the same length.  Written through a local pointer: a
 * byte store through t->p may alias t, which the compiler would reload. */
static void
fsmov(T *t, uint8_t op, int reg, uint32_t off)
{
	uint8_t *p = t->p;

	if(t->lng){
		p[0] = 0x41;
		p[2] = (uint8_t)(0x80 | reg << 3 | 7);
	}else{
		p[0] = 0x64;
		p[2] = (uint8_t)(reg << 3 | 5);
	}
	p[1] = op;
	memcpy(p + 3, &off, 4);
	t->p = p + 7;
}

void
fsst(T *t, int reg, uint32_t off)
{
	fsmov(t, 0x89, reg, off);
}

void
fsld(T *t, int reg, uint32_t off)
{
	fsmov(t, 0x8b, reg, off);
}

void
fsimm(T *t, uint32_t off, uint32_t v)
{
	fsmov(t, 0xc7, 0, off);
	memcpy(t->p, &v, 4);
	t->p += 4;
}

/* movl $v, off(%r15) with an 8-bit displacement (long, off < 128): 8
 * bytes where fsimm's are 11; for the stubs that leave guest code,
 * which nothing patches but the exit stubs' immediate (LSTUBIMM) */
static void
fsimm8(T *t, uint32_t off, uint32_t v)
{
	if(!t->lng || off >= 128){
		fsimm(t, off, v);
		return;
	}
	e8(t, 0x41); e8(t, 0xc7); e8(t, 0x47); e8(t, (uint8_t)off);
	e32(t, v);
}

/* movw $v, %fs:off (compat) or off(%r15) (long) */
static void
fsimm16(T *t, uint32_t off, uint16_t v)
{
	e8(t, 0x66);
	fsmov(t, 0xc7, 0, off);
	memcpy(t->p, &v, 2);
	t->p += 2;
}

/* The runtime stubs of t's engine. */
static uint32_t
stubexit(T *t)
{
	return t->lng ? vx_lstub(t->vx, vxlblob_exit) : vx_blobaddr(vxblob_exit32);
}

static uint32_t
stubmiss(Vx *vx)
{
	return vx->engine == VX_ENGINE_LONG ? vx_lstub(vx, vxlblob_miss) : vx_blobaddr(vxblob_miss32);
}

/* A jump to addr; one to a runtime stub (outside the fragment) is
 * listed for the persistent cache, which moves fragments (tcache.c). */
void
jmpto(T *t, uint32_t addr)
{
	uint8_t *p = t->p;
	uint32_t rel = addr - ((uint32_t)(uintptr_t)p + 5);

	if(addr - (uint32_t)(uintptr_t)t->start >= FRAGROOM){
		if(t->nrel < MAXREL)
			t->rel[t->nrel++] = (uint16_t)(p + 1 - t->start);
		else
			t->nocache = 1;
	}

	p[0] = 0xe9;
	memcpy(p + 1, &rel, 4);
	t->p = p + 5;
}

static unsigned
fraghash(Vx *vx, uint32_t eip)
{
	return (eip * 2654435761u) >> (32 - vx->hashbits);
}

/* An exit's target is looked up when the fragment is finished (its
 * exits linked): start fetching its hash bucket now, a cache miss in a
 * table of megabytes, so that the misses of a fragment's exits overlap
 * with each other and with the work before the lookups. */
void
vx_hashprefetch(Vx *vx, uint32_t eip)
{
	__builtin_prefetch(&vx->hash[fraghash(vx, eip)]);
}

/* A direct exit to guest target: a rel32 patched at finalisation. */
void
exitrel(T *t, uint32_t target)
{
	Exit *x = &t->exit[t->nexit++];

	vx_hashprefetch(t->vx, target);
	x->site = here(t);
	x->target = target;
	e32(t, 0);
}

void
jmpexit(T *t, uint32_t target)
{
	e8(t, 0xe9);
	exitrel(t, target);
}

/* Leave with a trap: resume at reip, report insn at ieip. */
void
trapstub(T *t, int trap, int vector, uint32_t reip, uint32_t ieip)
{
	fsimm8(t, S_EXITCODE, EXIT_TRAP);
	fsimm8(t, S_EXITEIP, reip);
	fsimm8(t, S_LINK, (uint32_t)(trap | vector << 8));
	fsimm8(t, S_SEGVAL, ieip);
	jmpto(t, stubexit(t));
}

void
exitstub(T *t, int code, uint32_t eip, uint32_t link)
{
	fsimm8(t, S_EXITCODE, (uint32_t)code);
	fsimm8(t, S_EXITEIP, eip);
	fsimm8(t, S_LINK, link);
	jmpto(t, stubexit(t));
}

int
isseg(uint8_t b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65;
}

/* A register the instruction does not use, for address arithmetic. */
int
scratch(const VxInsn *in, int avoid)
{
	static const int cand[] = { EBX, ESI, EDI, EBP, EDX, ECX, EAX };
	unsigned used = 1u << ESP | (avoid >= 0 ? 1u << avoid : 0);
	size_t i;

	if(in->base != 0xff)
		used |= 1u << in->base;
	if(in->index != 0xff)
		used |= 1u << in->index;
	if(in->hasmodrm)
		used |= 1u << in->reg;
	if(in->map == VXM_0F && in->op == 0xc7)	/* cmpxchg8b: edx:eax, ecx:ebx */
		used |= 1u << EBX;
	for(i = 0; i < sizeof cand / sizeof cand[0]; i++)
		if(!(used & 1u << cand[i]))
			return cand[i];
	return -1;
}

/* Which prefixes emitmem keeps (segment overrides never). */
enum { PFX_ALL, PFX_ADDR };

/* Copy instruction b; its memory operand becomes [r + index*scale +
 * disp32] when r >= 0; its ModRM reg becomes newreg when newreg >= 0; and
 * with newop (1 or 2 opcode bytes, nop > 0) it becomes that instruction,
 * without immediates. */
static void
emitmem(T *t, const uint8_t *b, const VxInsn *in, int r, int newreg, const uint8_t *newop, int nop, int pfx)
{
	int i, reg, end;

	for(i = 0; i < in->opoff; i++)
		if(!isseg(b[i]) && (pfx == PFX_ALL || b[i] == 0x67))
			e8(t, b[i]);
	if(in->moffs){
		static const uint8_t conv[4] = { 0x8a, 0x8b, 0x88, 0x89 };
		e8(t, conv[in->op & 3]);
		e8(t, (uint8_t)(0x80 | 4));
		e8(t, (uint8_t)(4 << 3 | r));
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

/* Copy an instruction without its segment override prefixes: %cs:, %ds:,
 * %es: and %ss: all name the one guest data segment. */
static void
copynoseg(T *t, const uint8_t *b, const VxInsn *in)
{
	int i;

	for(i = 0; i < in->len; i++)
		if(i >= in->opoff || !isseg(b[i]))
			e8(t, b[i]);
}

/* Does an %fs: or %gs: prefix byte appear anywhere among the prefixes? */
static int
fsgsprefix(const uint8_t *b, const VxInsn *in)
{
	int i;

	for(i = 0; i < in->opoff; i++)
		if(b[i] == 0x64 || b[i] == 0x65)
			return 1;
	return 0;
}

/* Load the virtual segment base plus the operand's base register into r. */
static void
segbase(T *t, const VxInsn *in, int r)
{
	fsst(t, r, S_SPILLR);
	fsld(t, r, in->seg == VXS_GS ? S_GSBASE : S_FSBASE);
	if(!in->moffs && in->base != 0xff){
		/* lea 0(%base,%r,1), %r: no flags touched */
		e8(t, 0x8d);
		e8(t, (uint8_t)(0x44 | r << 3));
		e8(t, (uint8_t)(r << 3 | in->base));
		e8(t, 0);
	}
}

int
virtseg(const VxInsn *in)
{
	return in->seg == VXS_FS || in->seg == VXS_GS;
}

/* A plain instruction whose memory operand goes through virtual %fs/%gs. */
static int
segmem(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int r;

	if(in->addrsize || in->string || (in->map == VXM_1 && in->op == 0xd7))
		return -1;
	r = scratch(in, -1);
	if(r < 0)
		return -1;
	segbase(t, in, r);
	addmap(t, M_INNER, eip, SP_R | r, 0);
	emitmem(t, b, in, r, -1, NULL, 0, PFX_ALL);
	fsld(t, r, S_SPILLR);
	return 0;
}

/* %ds %es %ss hold the guest's LDT data segment while it runs, whose
 * selector is not the one a guest on Linux reads: push and mov give
 * Linux's flat selector instead, as the long engine does.  push is
 * push imm8 (zero-extended as this CPU's push of a segment register;
 * 2 bytes with 0x66); mov to a register is mov imm (the upper half
 * zeroed as the CPU does, kept with 0x66); mov to memory stores 16
 * bits whatever the operand size, as movw imm16 does. */
static void
pushflat(T *t, const VxInsn *in)
{
	if(in->opsize)
		e8(t, 0x66);
	e8(t, 0x6a);
	e8(t, (uint8_t)flatsel(in->op >> 3));
}

static int
movflat(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	static const uint8_t op_movwimm[] = { 0x66, 0xc7 };
	uint32_t sel = flatsel(in->reg);
	int r = -1;

	if(in->mod == 3){
		if(in->opsize)
			e8(t, 0x66);
		e8(t, (uint8_t)(0xb8 | in->rm));
		if(in->opsize){
			e8(t, (uint8_t)sel);
			e8(t, 0);
		}else
			e32(t, sel);
		return 0;
	}
	if(virtseg(in)){
		if(in->addrsize || (r = scratch(in, -1)) < 0)
			return -1;
		segbase(t, in, r);
		addmap(t, M_INNER, eip, SP_R | r, 0);
	}
	emitmem(t, b, in, r, 0, op_movwimm, 2, PFX_ADDR);
	e8(t, (uint8_t)sel);
	e8(t, 0);
	if(r >= 0)
		fsld(t, r, S_SPILLR);
	return 0;
}

/*
 * fnstenv, fnsave and fxsave store the last x87 instruction's address
 * and selectors: here the address of its translation in the code cache
 * (a host address the guest has no business seeing) and the host's
 * selectors (LDT data, or long mode's 0x33).  The translation stores
 * over them after the instruction: instruction pointer 0 (as AMD's
 * fxsave leaves it when no exception is pending), code selector 0x23,
 * data selector 0x2b; the opcode and the operand's address (a guest
 * address) stay.  fpuimage says whether in stores such an image, and
 * where the three fields are (offsets; the pointer's width in *ipw).
 */
int
fpuimage(const VxInsn *in, int off[3], int *ipw)
{
	static const int env32[3] = { 12, 16, 24 }, env16[3] = { 6, 8, 12 }, fx[3] = { 8, 12, 20 };
	const int *o;

	if(!in->hasmem || in->vex || in->addrsize)
		return 0;	/* 16-bit addressing: left as the CPU stored it */
	if(in->map == VXM_1 && (in->op == 0xd9 || in->op == 0xdd) && in->reg == 6)
		o = in->opsize ? env16 : env32;
	else if(in->map == VXM_0F && in->op == 0xae && in->reg == 0 && !in->opsize && !in->rep && !in->repne)
		o = fx;
	else
		return 0;
	memcpy(off, o, sizeof fx);
	*ipw = o == env16 ? 2 : 4;
	return 1;
}

/* r (spilled) = the operand's base register, or 0 (the same encoding in
 * both engines: 32-bit registers 0-7). */
void
fpubase(T *t, const VxInsn *in, int r)
{
	fsst(t, r, S_SPILLR);
	if(in->base != 0xff){
		e8(t, 0x89);
		e8(t, (uint8_t)(0xc0 | in->base << 3 | r));
	}else{
		e8(t, (uint8_t)(0xb8 | r));
		e32(t, 0);
	}
}

/* The three stores over in's image, r holding the operand's base (and
 * virtual segment base); emit writes a store of op's form with the
 * operand [r + index*scale + disp32]; the immediate follows. */
void
fpustores(T *t, const uint8_t *b, const VxInsn *in, int r, void (*emit)(T *, const uint8_t *, const VxInsn *, int, const uint8_t *, int))
{
	static const uint8_t op32[] = { 0xc7 }, op16[] = { 0x66, 0xc7 };
	static const uint32_t val[3] = { 0, 0x23, 0x2b };
	int off[3], ipw, i;
	VxInsn f;

	fpuimage(in, off, &ipw);
	for(i = 0; i < 3; i++){
		f = *in;
		f.disp = in->disp + off[i];
		if(i == 0 && ipw == 4){
			emit(t, b, &f, r, op32, 1);
			e32(t, val[i]);
		}else{
			emit(t, b, &f, r, op16, 2);
			e8(t, (uint8_t)val[i]);
			e8(t, (uint8_t)(val[i] >> 8));
		}
	}
	fsld(t, r, S_SPILLR);
}

/*
 * Before an instruction that stores the x87 environment (fpuimage's,
 * whatever its addressing): the FPU's own instruction pointer and
 * selectors made what the guest may see, by a fnstenv to the state
 * block, those fields changed there, and a fldenv back (fnstenv masks
 * every exception and waits for none, so a pending one stays pending,
 * for the guest's next waiting instruction).  The instruction then
 * stores no host address at all: the stores after it (fpustores) alone
 * left one in guest memory until they ran, and a thread that made the
 * page read-only between the two had its fault's handler read the code
 * cache's address there.
 */
void
fpuclean(T *t, const VxInsn *in)
{
	if(!in->hasmem || in->vex)
		return;
	if(!(in->map == VXM_1 && (in->op == 0xd9 || in->op == 0xdd) && in->reg == 6)
	&& !(in->map == VXM_0F && in->op == 0xae && in->reg == 0))
		return;
	fsmov(t, 0xd9, 6, S_FPUENV);		/* fnstenv */
	fsimm(t, S_FPUENV + 12, 0);		/* instruction pointer */
	fsimm16(t, S_FPUENV + 16, 0x23);	/* code selector (the opcode above it stays) */
	fsimm16(t, S_FPUENV + 24, 0x2b);	/* operand's selector */
	fsmov(t, 0xd9, 4, S_FPUENV);		/* fldenv */
}

static void
fpustore(T *t, const uint8_t *b, const VxInsn *in, int r, const uint8_t *op, int nop)
{
	emitmem(t, b, in, r, 0, op, nop, PFX_ADDR);
}

static void
fpuptrs(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	int off[3], ipw, r;

	if(!fpuimage(in, off, &ipw) || (r = scratch(in, -1)) < 0)
		return;
	if(virtseg(in))
		segbase(t, in, r);
	else
		fpubase(t, in, r);
	addmap(t, M_INNER, eip, SP_R | r, 0);
	fpustores(t, b, in, r, fpustore);
}

/* Traps and exits, the same for both engines (the emitters pick each
 * engine's forms, of equal lengths). */
int
transtrap(T *t, const VxInsn *in, uint32_t eip)
{
	uint32_t next = eip + in->len;
	uint8_t *j;

	switch(in->cls){
	case VXC_INT:
		if((in->imm & 0xff) == 0x80)
			trapstub(t, VX_TRAP_SYSCALL, 0x80, next, eip);
		else
			trapstub(t, VX_TRAP_INT, (int)(in->imm & 0xff), next, eip);
		return 1;
	case VXC_INT3:
		trapstub(t, VX_TRAP_BREAKPOINT, in->op == 0xf1 ? 1 : 3, next, eip);
		return 1;
	case VXC_INTO:
		/* jno over the trap, its displacement the stub's length as
		 * emitted (the long engine's stores shrank in ded7601 and the
		 * fixed 4*11+5 jumped into the stub's last store) */
		e8(t, 0x71);
		e8(t, 0);
		j = t->p;
		trapstub(t, VX_TRAP_OVERFLOW, 4, next, eip);
		j[-1] = (uint8_t)(t->p - j);	/* at most 4*11+5 bytes */
		return 0;
	case VXC_SYSENTER:
		trapstub(t, VX_TRAP_SYSENTER, 0, next, eip);
		return 1;
	case VXC_SYSCALL:
		trapstub(t, VX_TRAP_SYSCALLINSN, 0, next, eip);
		return 1;
	case VXC_CPUID:
		exitstub(t, EXIT_CPUID, eip, 0);
		return 1;
	case VXC_XGETBV:
		exitstub(t, EXIT_XGETBV, eip, 0);
		return 1;
	case VXC_SYSINSN:
		exitstub(t, EXIT_SYSINSN, eip, 0);
		return 1;
	}
	trapstub(t, VX_TRAP_ILLEGAL, 0, eip, eip);
	return 1;
}

static const uint8_t op_mov[] = { 0x8b }, op_movzw[] = { 0x0f, 0xb7 }, op_movw[] = { 0x66, 0x89 };

/* Load the operand of in into dst: 32 bits (an indirect branch target) or
 * 16 bits zero-extended (a segment selector). */
static int
loadop(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip, int dst, int wide, int spill)
{
	int r = -1;

	if(in->mod == 3){
		if(wide)
			e8(t, 0x8b);
		else{
			e8(t, 0x0f);
			e8(t, 0xb7);
		}
		e8(t, (uint8_t)(0xc0 | dst << 3 | in->rm));
		return 0;
	}
	if(virtseg(in)){
		if(in->addrsize)
			return -1;
		r = scratch(in, dst);
		if(r < 0)
			return -1;
		segbase(t, in, r);
		addmap(t, M_INNER, eip, spill | SP_R | r, 0);
	}
	if(wide)
		emitmem(t, b, in, r, dst, op_mov, 1, PFX_ADDR);
	else
		emitmem(t, b, in, r, dst, op_movzw, 2, PFX_ADDR);
	if(r >= 0)
		fsld(t, r, S_SPILLR);
	return 0;
}

/* Target in ecx, ecx spilled: spill ebx, look it up in the table. */
static void
indjump(T *t)
{
	fsst(t, EBX, S_SPILLB);
	e8(t, 0x0f); e8(t, 0xb7); e8(t, 0xd9);			/* movzwl %cx, %ebx */
	e8(t, 0x64); e8(t, 0xff); e8(t, 0x24); e8(t, 0x9d);	/* jmp *%fs:S_HT(,%ebx,4) */
	e32(t, S_HT);
}

/* Is [a, a+4) mapped and readable guest memory? */
static int
readable(VxMem *m, uint32_t a)
{
	uint8_t p0, p1;

	if(a > m->size - 4)
		return 0;
	p0 = m->page[a >> VX_PAGESHIFT];
	p1 = m->page[(a + 3) >> VX_PAGESHIFT];
	return (p0 & p1 & (PG_MAPPED | PG_R)) == (PG_MAPPED | PG_R);
}

/*
 * A guess at an indirect jmp's or call's target: its operand evaluated
 * with the guest's registers as they are now, at the start of the
 * fragment (it is translated when the guest first gets there).  A PLT
 * entry, jmp *n(%ebx), starts its own fragment with the module's GOT in
 * ebx (the i386 ABI), so the guess is the function it leads to (Debian
 * binds at load time); a call through a function pointer guesses the
 * function called the first time.  Only a hint: the translation compares
 * it with the real target.  Not for jump tables (an index register) nor
 * a jmp through a register (memcpy's dispatch on the size): their
 * targets vary, and each miss costs the comparison.  0: no guess.
 */
uint32_t
vx_guess(T *t, const VxInsn *in)
{
	Vx *vx = t->vx;
	VxMem *m = vx->mem;
	uint32_t a, v;

	if(in->opsize || in->addrsize || virtseg(in))
		return 0;
	if(in->mod == 3 && in->cls == VXC_CALLIND)
		v = ST32(vx, S_REGS + 4 * in->rm);
	else if(in->mod != 3 && in->index == 0xff){
		a = (uint32_t)in->disp;
		if(in->base != 0xff)
			a += ST32(vx, S_REGS + 4 * in->base);
		if(!readable(m, a))
			return 0;
		memcpy(&v, m->base + a, 4);
	}else
		return 0;
	if(v == 0 || v >= m->size || (m->page[v >> VX_PAGESHIFT] & (PG_MAPPED | PG_X)) != (PG_MAPPED | PG_X))
		return 0;
	return v;
}

/* The target (in ecx, guest ecx spilled) compared with the guess,
 * flag-free: lea -g(%ecx), %ecx; jecxz hit (jrcxz on long: the 32-bit
 * lea cleared the upper half); lea g(%ecx), %ecx.  Then the caller's
 * lookup, then guesstail.  Returns the jecxz's rel8. */
static uint8_t *
guesshead(T *t, uint32_t g)
{
	uint8_t *rel;

	e8(t, 0x8d); e8(t, 0x89); e32(t, -g);
	e8(t, 0xe3);
	rel = t->p;
	e8(t, 0);
	e8(t, 0x8d); e8(t, 0x89); e32(t, g);
	return rel;
}

/* hit: ecx back, and a direct exit to the guess (chained like any other:
 * no table load, no indirect jump, no check at the target). */
static void
guesstail(T *t, uint8_t *rel, uint32_t g)
{
	*rel = (uint8_t)(t->p - (rel + 1));	/* < 128: a lea and a lookup */
	fsld(t, ECX, S_SPILLC);
	jmpexit(t, g);
	t->vx->stats.guesses++;
}

/* An indirect jmp or call, its target in ecx (guest ecx spilled): the
 * engine's table lookup, after a check of the guessed target where
 * there is one. */
void
vx_indirect(T *t, const VxInsn *in, void (*lookup)(T *))
{
	uint32_t g = vx_guess(t, in);
	uint8_t *rel = g != 0 ? guesshead(t, g) : NULL;

	lookup(t);
	if(rel != NULL)
		guesstail(t, rel, g);
}

static int
translate1(T *t, const uint8_t *b, const VxInsn *in, uint32_t eip)
{
	uint32_t next = eip + in->len;
	int sreg, cc;

	switch(in->cls){
	case VXC_PLAIN:
		fpuclean(t, in);
		if(in->hasmem && virtseg(in) && !(in->map == VXM_1 && in->op == 0x8d)){
			if(segmem(t, b, in, eip) < 0)
				goto illegal;
		}else if(in->seg == VXS_CS || fsgsprefix(b, in)){
			/* the last override wins; an earlier %fs:/%gs: byte must not
			 * reach the CPU, whatever it makes of several */
			copynoseg(t, b, in);
		}else{
			memcpy(t->p, b, in->len);
			t->p += in->len;
		}
		fpuptrs(t, b, in, eip);
		if(in->map == VXM_1 && in->op == 0x9d){
			/* popf: a TF it sets traps after the host's next
			 * instruction, the CPU after the next guest one.  Two
			 * nops, the trap landing inside them (sig.c, stepsig:
			 * one boundary more), not at the next boundary, which
			 * a fragment that ends here would have reached by its
			 * jump alone: the step reported before the guest
			 * instruction ran (as the long engine's lpopf) */
			addmap(t, M_INNER, eip, SP_TFSKIP, in->opsize ? 2 : 4);
			e8(t, 0x90);
			e8(t, 0x90);
		}
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
		return 0;	/* the fall-through path goes on in this fragment */
	case VXC_LOOP:
		if(in->addrsize)
			e8(t, 0x67);
		e8(t, in->op);
		e8(t, 2);
		e8(t, 0xeb);
		e8(t, 5);
		jmpexit(t, in->target);
		jmpexit(t, next);
		return 1;
	case VXC_CALL:
		e8(t, 0x68);
		e32(t, next);
		jmpexit(t, in->target);
		return 1;
	case VXC_RET:
		fsst(t, ECX, S_SPILLC);
		e8(t, 0x59);				/* pop %ecx */
		if(in->op == 0xc2){			/* lea imm16(%esp), %esp */
			e8(t, 0x8d); e8(t, 0xa4); e8(t, 0x24);
			e32(t, in->imm & 0xffff);
		}
		indjump(t);
		return 1;
	case VXC_JMPIND:
	case VXC_CALLIND:
		if(in->opsize)
			goto illegal;
		fsst(t, ECX, S_SPILLC);
		if(loadop(t, b, in, eip, ECX, 1, 0) < 0)
			goto illegal;
		if(in->cls == VXC_CALLIND){
			addmap(t, M_INNER, eip, SP_C, 0);
			e8(t, 0x68);
			e32(t, next);
		}
		vx_indirect(t, in, indjump);
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
			int r = scratch(in, -1);
			if(r < 0 || virtseg(in))
				goto illegal;
			fsst(t, r, S_SPILLR);
			addmap(t, M_INNER, eip, SP_R | r, 0);
			if(loadop(t, b, in, eip, r, 0, SP_R | r) < 0)
				goto illegal;
			fsst(t, r, S_SEGVAL);
			fsld(t, r, S_SPILLR);
		}
		exitstub(t, EXIT_SETSEG, next, (uint32_t)((sreg - 4) | in->len << 8));
		return 1;
	case VXC_POPSEG:
		/* popl %fs:S_SEGVAL, then load it */
		e8(t, 0x64); e8(t, 0x8f); e8(t, 0x05); e32(t, S_SEGVAL);
		exitstub(t, EXIT_SETSEG, next, (uint32_t)((in->op == 0xa1 ? 0 : 1) | in->len << 8 | 1 << 16));
		return 1;
	case VXC_PUSHSEG:
		if(in->map == VXM_0F){	/* push fs/gs: the virtual selector */
			if(in->opsize)
				e8(t, 0x66);
			e8(t, 0x64); e8(t, 0xff); e8(t, 0x35);
			e32(t, S_SEGSEL + (in->op == 0xa0 ? 0 : 4));
		}else if(in->op == 0x0e)	/* push cs: the real one is 0x23 */
			copynoseg(t, b, in);
		else
			pushflat(t, in);
		return 0;
	case VXC_MOVFROMSEG:
		sreg = in->reg;
		if(sreg == 1){		/* cs: the real one is 0x23 */
			if(virtseg(in)){
				if(segmem(t, b, in, eip) < 0)
					goto illegal;
			}else
				copynoseg(t, b, in);
			return 0;
		}
		if(sreg != 4 && sreg != 5){
			if(movflat(t, b, in, eip) < 0)
				goto illegal;
			return 0;
		}
		if(in->mod == 3){
			if(in->opsize)
				e8(t, 0x66);
			fsld(t, in->rm, S_SEGSEL + (sreg == 4 ? 0 : 4));
		}else{
			int r = scratch(in, -1);
			if(r < 0 || virtseg(in))
				goto illegal;
			fsst(t, r, S_SPILLR);
			fsld(t, r, S_SEGSEL + (sreg == 4 ? 0 : 4));
			addmap(t, M_INNER, eip, SP_R | r, 0);
			emitmem(t, b, in, -1, r, op_movw, 2, PFX_ADDR);	/* movw %r, mem */
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

/* The slot of the live fragment at eip, or NULL. */
static const FragHash *
hashfind(Vx *vx, uint32_t eip)
{
	uint32_t mask = (1u << vx->hashbits) - 1, i;
	FragHash *h;

	for(i = fraghash(vx, eip);; i = (i + 1) & mask){
		h = &vx->hash[i];
		if(h->fi == HASHEMPTY)
			return NULL;
		if(h->geip == eip && h->fi != HASHGONE)
			return h;
	}
}

Frag *
vx_findfrag(Vx *vx, uint32_t eip)
{
	const FragHash *h = hashfind(vx, eip);

	return h != NULL ? vx->frags[h->fi - HASHFI] : NULL;
}

/* Is there a live fragment at eip?  The slot answers, without a load
 * from vx->frags (run-ahead asks for each entry it takes). */
int
vx_hasfrag(Vx *vx, uint32_t eip)
{
	return hashfind(vx, eip) != NULL;
}

/* No allocation: vx_invalidate may run in a signal handler. */
static void
hashdel(Vx *vx, Frag *f)
{
	uint32_t mask = (1u << vx->hashbits) - 1, i;
	FragHash *h;

	for(i = fraghash(vx, f->geip);; i = (i + 1) & mask){
		h = &vx->hash[i];
		if(h->fi == HASHEMPTY)
			return;
		if(h->geip == f->geip && h->fi >= HASHFI && vx->frags[h->fi - HASHFI] == f){
			h->fi = HASHGONE;
			return;
		}
	}
}

Frag *
vx_fraghost(Vx *vx, uint32_t a)
{
	int lo = 0, hi = vx->nfrags - 1, mid;
	Frag *f;

	/* the last fragment starting at or below a */
	while(lo < hi){
		mid = (lo + hi + 1) / 2;
		if(vx->fragcode[mid] <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	if(vx->nfrags == 0 || vx->fragcode[lo] > a)
		return NULL;
	f = vx->frags[lo];
	return a < f->end ? f : NULL;
}

const MapEnt *
vx_mapfind(const Frag *f, uint32_t hoff)
{
	int lo = 0, hi = f->nmap - 1, mid, best = -1;

	while(lo <= hi){
		mid = (lo + hi) / 2;
		if(f->map[mid].hoff <= hoff){
			best = mid;
			lo = mid + 1;
		}else
			hi = mid - 1;
	}
	return best < 0 ? NULL : &f->map[best];
}

static void
patch32(uint32_t site, uint32_t to)
{
	uint32_t rel = to - (site + 4);
	memcpy((void *)(uintptr_t)site, &rel, 4);
}

/* Metadata space from the Vx's arena, 8-aligned; a new chunk (or one a
 * flush emptied) when the current one is full.  Chunks grow from 32 KiB
 * so that a small program pays little, and are faulted in ahead of use
 * at most ARENAFILL at a time, one system call a step (a page fault is
 * several µs on a virtual machine; faulting a whole 1 MiB chunk in at
 * once zeroed and freed half a chunk for nothing on average). */
enum { ARENAFIRST = 32 << 10, ARENACHUNK = 1 << 20, ARENAFILL = 128 << 10 };

static void
arenafill(Arena *a, size_t need)
{
	size_t step;

	if(need > a->size + sizeof *a)
		need = a->size + sizeof *a;
	while(a->filled < need){
		step = a->size + sizeof *a - a->filled;
		if(step > ARENAFILL)
			step = ARENAFILL;
		madvise((uint8_t *)a + a->filled, step, MADV_POPULATE_WRITE);
		a->filled += step;
	}
}

/*
 * Huge-page chunks a freed Vx gave up, for the next Vx's arena.  A
 * compile's cc1 fills ten (19 MB of metadata for 47,000 fragments, one
 * of them a 4 MiB table) and each fresh one was zeroed by the host,
 * faulted in and, at its free, unmapped (doc/bench.md, "Compiles,
 * thirteenth session").  A chunk is used again as a flush uses it
 * again, not cleared: nothing reads arena memory it has not written
 * since fragalloc gave it out.  At most ARENAPOOL bytes; vx_dropspares
 * gives them back.
 */
enum { ARENAPOOL = 32 << 20 };
static pthread_mutex_t poollk = PTHREAD_MUTEX_INITIALIZER;
static Arena *chunkpool;
static size_t chunkpoolbytes;

/* a: a chunk no Vx uses; kept if it is huge pages of its own
 * (vx_hugemap's) */
static void
chunkput(Arena *a)
{
	size_t n = a->size + sizeof *a;

	if(n % VX_HUGE == 0 && (uintptr_t)a % VX_HUGE == 0){
		pthread_mutex_lock(&poollk);
		if(chunkpoolbytes + n <= ARENAPOOL){
			a->next = chunkpool;
			chunkpool = a;
			chunkpoolbytes += n;
			a = NULL;
		}
		pthread_mutex_unlock(&poollk);
	}
	if(a != NULL)
		munmap(a, n);
}

/* The smallest kept chunk of at least n bytes (header included). */
static Arena *
chunkget(size_t n)
{
	Arena **l, **best = NULL, *a;

	pthread_mutex_lock(&poollk);
	for(l = &chunkpool; *l != NULL; l = &(*l)->next)
		if((*l)->size + sizeof **l >= n && (best == NULL || (*l)->size < (*best)->size))
			best = l;
	a = NULL;
	if(best != NULL){
		a = *best;
		*best = a->next;
		chunkpoolbytes -= a->size + sizeof *a;
	}
	pthread_mutex_unlock(&poollk);
	return a;
}

/* Held across a host fork (vx.c, forkhold). */
void
vx_arenaforkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&poollk);
	else
		pthread_mutex_unlock(&poollk);
}

void
vx_arenadrop(void)
{
	Arena *a;

	while((a = chunkget(0)) != NULL)
		munmap(a, a->size + sizeof *a);
}

/* A chunk more for vx's metadata (not its first): charged to its
 * memory's account; past the bound it is used all the same (the
 * translation under way needs it) and the next translation starts with
 * a flush that gives the chunks back (vx_translate). */
static void
chunkcharge(Vx *vx, Arena *b)
{
	int64_t np = (int64_t)((b->size + sizeof *b) >> VX_PAGESHIFT);

	if(vx->mem == NULL || vxmem_transcharge(vx->mem, np) < 0){
		vx->tover = 1;
		return;
	}
	vx->tpages += np;
	vx->apages += np;
}

/* After a flush: the metadata chunks but the first given up, and their
 * charge. */
static void
arenagiveback(Vx *vx)
{
	vx_arenatrim(vx);
	if(vx->apages != 0 && vx->mem != NULL)
		vxmem_transcharge(vx->mem, -vx->apages);
	vx->tpages -= vx->apages;
	vx->apages = 0;
	vx->tover = 0;
}

static void *
fragalloc(Vx *vx, size_t n)
{
	Arena *a = vx->arenacur, *b;
	size_t sz;
	void *p;

	n = (n + 7) & ~(size_t)7;
	while(a == NULL || a->used + n > a->size){
		if(a != NULL && a->next != NULL){
			a = a->next;
			a->used = 0;
			continue;
		}
		sz = a == NULL ? ARENAFIRST : 2 * (a->size + sizeof *a);
		if(sz > ARENACHUNK)
			sz = ARENACHUNK;
		if(sz < n + sizeof *a)
			sz = n + sizeof *a;
		if(vx->huge && a == NULL){
			/* the first: the rest of the state block's huge page
			 * (vxpriv.h, ARENAROOM) */
			p = vx->st + ARENAROOM;
			sz = vx->stmap - ARENAROOM;
		}else if(vx->huge && (b = chunkget(vx_hugeround(sz))) != NULL){
			/* a freed Vx's, faulted in as far as b->filled */
			b->next = NULL;
			b->used = 0;
			chunkcharge(vx, b);
			if(a != NULL)
				a->next = b;
			else
				vx->arena = b;
			a = b;
			continue;
		}else if(vx->huge){
			/* one huge page per chunk (vxpriv.h, VX_HUGE) */
			sz = vx_hugeround(sz);
			p = vx_hugemap(sz);
			if(p == NULL)
				abort();
		}else{
			p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if(p == MAP_FAILED)
				abort();
		}
		b = p;
		b->next = NULL;
		b->size = sz - sizeof *b;
		b->used = 0;
		b->filled = 0;
		if(a != NULL)
			chunkcharge(vx, b);
		arenafill(b, sz < ARENAFILL ? sz : ARENAFILL);
		if(a != NULL)
			a->next = b;	/* a is the last chunk */
		else
			vx->arena = b;
		a = b;
	}
	vx->arenacur = a;
	p = (uint8_t *)(a + 1) + a->used;
	a->used += n;
	arenafill(a, sizeof *a + a->used);
	return p;
}

/* n bytes of the fragments' metadata (a cached fragment's map: tcache.c,
 * vx_tcget), till the flush. */
void *
vx_fragmem(Vx *vx, size_t n)
{
	return fragalloc(vx, n);
}

void
vx_arenafree(Vx *vx)
{
	Arena *a, *next;

	for(a = vx->arena; a != NULL; a = next){
		next = a->next;
		chunkput(a);
	}
	vx->arena = vx->arenacur = NULL;
}

/* Every chunk but the first given up, the first emptied (a spare Vx). */
void
vx_arenatrim(Vx *vx)
{
	Arena *a, *next;

	if(vx->arena == NULL)
		return;
	for(a = vx->arena->next; a != NULL; a = next){
		next = a->next;
		chunkput(a);
	}
	vx->arena->next = NULL;
	vx->arena->used = 0;
	vx->arenacur = vx->arena;
}

/*
 * Until a long guest's first x87 or MMX instruction, entry and exit move
 * only MXCSR and the SSE registers (S_X87).  The flag is set when such an
 * instruction is translated, before it can run; a translation that may
 * never run (a call's continuation, translated ahead) leaves it alone,
 * or a null system call would pay a full fxsave and fxrstor (57 -> 150
 * ns) for x87 code the guest has not reached.  Such a fragment becomes
 * reachable only here: linked to, or dispatched to by the runtime.
 */
void
vx_reach(Vx *vx, Frag *f)
{
	if(f->x87)
		ST32(vx, S_X87) = 1;
}

static int validating(void);

/* Is at an entry of to: its body, or where its map marks an instruction
 * enterable (never in a fragment that checks its bytes on entry)?  The
 * validator sees one fragment and not the rel32s patched after it
 * (doc/validator.md, "Chaining after validation"): with VXVALIDATE=1
 * each link is held to this instead. */
static int
entryof(const Frag *to, uint32_t at)
{
	int i;

	if(at == to->body)
		return 1;
	if(to->checked)
		return 0;
	for(i = 0; i < to->nmap; i++)
		if(to->map[i].kind == M_INSN && to->map[i].enter && to->code + to->map[i].hoff == at)
			return 1;
	return 0;
}

/*
 * Keep the link of from's exit i to host address at in to for the cache
 * file (tcache.c, tclinks): a warm start that takes both from the file
 * links them so without looking anything up (prelink).  An inside one by
 * its map entry, which the next run checks at once.  Only while the run
 * makes a file (vx_tcattach: no file was loaded): python's first run
 * logs about 19,000.
 */
static void
logmade(Vx *vx, const Frag *from, int i, const Frag *to, uint32_t at)
{
	TcMade *p;
	uint32_t n;
	int k = TCSTART;

	if(at != to->body){
		for(k = 0; k < to->nmap; k++)
			if(to->map[k].kind == M_INSN && to->map[k].enter && to->code + to->map[k].hoff == at)
				break;
		if(k == to->nmap || k >= TCSTART)
			return;
	}
	if(vx->nmade == vx->amade){
		n = vx->amade ? 2 * vx->amade : 4096;
		if(n > MADEMAX || (p = vx_tcgrow(vx->made, vx->amade * sizeof *p, n * sizeof *p)) == NULL)
			return;
		vx->made = p;
		vx->amade = n;
	}
	vx->made[vx->nmade++] = (TcMade){from->tcent, to->tcent, (uint16_t)i, (uint16_t)k};
}

/* Chain exit i of fragment from to host address at in fragment to (its
 * body, or an instruction vx_findinside found). */
void
vx_linkexit(Vx *vx, Frag *from, int i, Frag *to, uint32_t at)
{
	Link *l;

	if(from->dead || to->dead)
		return;
	if(validating() && !entryof(to, at)){
		/* an engine bug: a jump into the middle of an instruction's
		 * translation could skip its confinement */
		fprintf(stderr, "vx: VXVALIDATE: link to %#x, no entry of the fragment at guest %#x\n", at, to->geip);
		abort();
	}
	vx_reach(vx, to);
	if(vx->nlinks == 0){
		vx->links = fragalloc(vx, LINKCHUNK * sizeof *l);	/* in the arena: a flush empties it */
		vx->nlinks = LINKCHUNK;
	}
	l = vx->links++;
	vx->nlinks--;
	l->site = from->out[i].site;
	l->stub = from->out[i].stub;
	l->next = to->in;
	atomic_signal_fence(memory_order_release);	/* whole before vx_invalidate, in a signal handler, can walk to it */
	to->in = l;
	patch32(from->out[i].site, at);
	if(vx->tclog && from->tcent != 0 && to->tcent != 0)
		logmade(vx, from, i, to, at);
}

_Static_assert(MAXEXIT <= 256, "an exit's index is 8 bits of S_LINK");

/* The exit an exit stub named in S_LINK (vx_translate's exitlink): its
 * index in *from's exits, or -1.  The stub names it by the fragment's
 * index in vx->frags (which only a flush empties) and the exit's, so
 * that the runtime finds it without searching by host address. */
int
vx_exitat(Vx *vx, uint32_t link, Frag **from)
{
	uint32_t k = link >> 8, i = link & 0xff;

	if(k >= (uint32_t)vx->nfrags || i >= (uint32_t)vx->frags[k]->nout)
		return -1;
	*from = vx->frags[k];
	return (int)i;
}

static void hashresize(Vx *vx, int bits);

/* Slot value fi: vx->frags[fi - HASHFI] is at geip. */
static void
hashput(Vx *vx, uint32_t geip, uint32_t fi)
{
	uint32_t mask = (1u << vx->hashbits) - 1, i;
	FragHash *h;

	for(i = fraghash(vx, geip);; i = (i + 1) & mask){
		h = &vx->hash[i];
		if(h->fi == HASHEMPTY){
			vx->hashused++;
			break;
		}
		if(h->fi == HASHGONE)
			break;
	}
	h->geip = geip;
	h->fi = fi;
}

/* The first table, 1 << bits slots: room, zeroed memory the caller
 * owns (the rest of a huge state block's page, past the block), or else
 * a mapping faulted in by one system call; -1 without memory.  From
 * calloc its pages were faulted in one at a time as fragments landed in
 * them: python3 -c pass took 956 of its 1,630 page faults there (a fault
 * is several µs on a virtual machine), and in a page of its own each of
 * its eight pages still cost a trip at its first touch.  The bigger
 * tables it grows into come from the arena (hashgrow). */
int
vx_hashinit(Vx *vx, int bits, void *room)
{
	void *p = room;

	if(p == NULL){
		p = mmap(NULL, ((size_t)1 << bits) * sizeof(FragHash), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if(p == MAP_FAILED)
			return -1;
	}
	vx_hashfree(vx);
	vx->hash = vx->hash0 = p;
	vx->hash0own = room == NULL;
	vx->hashbits = vx->hash0bits = bits;
	vx->hashused = 0;
	return 0;
}

void
vx_hashfree(Vx *vx)
{
	if(vx->hash0 != NULL && vx->hash0own)
		munmap(vx->hash0, ((size_t)1 << vx->hash0bits) * sizeof(FragHash));
	vx->hash = vx->hash0 = NULL;
}

/* Half the slots are used: a table four times the size (or, at the
 * most, the same size without the deleted), the live fragments put back.
 * Four, not two: python3 -c pass (14,000 fragments) grew it four times,
 * putting 15,000 entries again and leaving 448 KB of old tables in the
 * arena, 64 KB of it now; a program of 1,000 fragments pays 64 KB more. */
static void
hashgrow(Vx *vx)
{
	int bits = vx->hashbits + HASHSTEP;

	hashresize(vx, bits < HASHBITSMAX ? bits : HASHBITSMAX);
}

static void
hashresize(Vx *vx, int bits)
{
	FragHash *old = vx->hash, *h;
	uint32_t i, n = 1u << vx->hashbits;

	/* from the arena (in its huge pages; the old table stays till the
	 * flush), cache-line aligned: a mapping of its own each time cost
	 * python3 -c pass about 250 fresh small pages and four munmaps */
	h = fragalloc(vx, (sizeof *h << bits) + 64);
	h = (FragHash *)(((uintptr_t)h + 63) & ~(uintptr_t)63);
	memset(h, 0, sizeof *h << bits);
	vx->hash = h;
	vx->hashbits = bits;
	vx->hashused = 0;
	for(i = 0; i < n; i++)
		if(old[i].fi >= HASHFI)
			hashput(vx, old[i].geip, old[i].fi);
}

/* The fragments in code order, four times the room each time (as the
 * fragment table: fewer old copies), in the arena
 * (its huge pages are faulted in ahead; from realloc each new page of the
 * arrays was a page fault, 50 of python3 -c pass's 330).  The old arrays
 * stay till the flush, which empties these (vx_flushcache). */
static void
fragsgrow(Vx *vx, int n)
{
	Frag **a = fragalloc(vx, n * sizeof *a);
	uint32_t *c = fragalloc(vx, n * sizeof *c);

	if(vx->nfrags > 0){
		memcpy(a, vx->frags, vx->nfrags * sizeof *a);
		memcpy(c, vx->fragcode, vx->nfrags * sizeof *c);
	}
	vx->frags = a;
	vx->fragcode = c;
	vx->afrags = n;
}

static void
addfrag(Vx *vx, Frag *f)
{
	if(vx->nfrags == vx->afrags)
		fragsgrow(vx, vx->afrags ? 4 * vx->afrags : 256);
	vx->fragcode[vx->nfrags] = f->code;
	vx->frags[vx->nfrags++] = f;
	hashput(vx, f->geip, vx->nfrags - 1 + HASHFI);
	if(2 * vx->hashused > 1 << vx->hashbits)
		hashgrow(vx);
}

/* Are f's two pages in one chain?  (An inlined thunk may be any
 * distance away: a multiple of PAGEHASH pages from the first.) */
static int
onechain(const Frag *f)
{
	return f->npage > 1 && f->page[1] % PAGEHASH == f->page[0] % PAGEHASH;
}

static void
pageadd1(Vx *vx, Frag *f, uint32_t p)
{
	Frag **b = &vx->pagefrags[p % PAGEHASH];

	f->page[f->npage] = p;
	f->npage++;
	if(onechain(f))
		return;	/* linked once for both: twice would close a loop */
	f->pnext[f->npage - 1] = *b;
	*b = f;
}

static void
pageadd(Vx *vx, Frag *f)
{
	uint32_t p, last = (f->gend - 1) >> VX_PAGESHIFT;

	f->npage = 0;
	for(p = f->geip >> VX_PAGESHIFT; p <= last && f->npage < 2; p++)
		pageadd1(vx, f, p);
	/* a followed block's page, if another (follows: <= 2 in all) */
	p = f->xlo >> VX_PAGESHIFT;
	if(f->xhi != 0 && f->npage < 2 && f->page[0] != p)
		pageadd1(vx, f, p);
}

/* The chain link that follows f in the list of page p. */
static Frag **
pagelink(Frag *f, uint32_t p)
{
	return &f->pnext[f->npage > 1 && !onechain(f) && f->page[1] % PAGEHASH == p % PAGEHASH];
}

static void
pagedel(Vx *vx, Frag *f)
{
	int k;
	Frag **l;

	for(k = 0; k < (onechain(f) ? 1 : f->npage); k++){
		uint32_t p = f->page[k];
		for(l = &vx->pagefrags[p % PAGEHASH]; *l; l = pagelink(*l, p))
			if(*l == f){
				*l = *pagelink(f, p);
				break;
			}
	}
	f->npage = 0;
}

static uint32_t
enthash(Vx *vx, uint32_t p)
{
	return (p * 0x9e3779b1u) >> (32 - vx->entbits);
}

static EntPage *
entslot(Vx *vx, uint32_t p)
{
	uint32_t mask = (1u << vx->entbits) - 1, i;
	EntPage *e;

	for(i = enthash(vx, p);; i = (i + 1) & mask){
		e = &vx->ent[i];
		if(e->page == p + 1 || e->page == 0)
			return e;
	}
}

/* Start fetching page p's slot (entpage will look it up). */
static void
entprefetch(Vx *vx, uint32_t p)
{
	if(vx->ent != NULL)
		__builtin_prefetch(&vx->ent[enthash(vx, p)]);
}

/* Twice the slots, in the arena like the rest (from calloc its pages
 * were page faults); the old table stays till the flush. */
static void
entresize(Vx *vx, int bits)
{
	EntPage *old = vx->ent, *e;
	int i, n = old != NULL ? 1 << vx->entbits : 0;
	size_t size = sizeof *vx->ent << bits;

	vx->ent = fragalloc(vx, size);
	memset(vx->ent, 0, size);	/* arena memory a flush emptied is not */
	vx->entbits = bits;
	vx->entlast = NULL;	/* the slots move */
	for(i = 0; i < n; i++)
		if(old[i].page != 0){
			e = entslot(vx, old[i].page - 1);
			*e = old[i];
		}
}

static void
entgrow(Vx *vx)
{
	entresize(vx, vx->ent != NULL ? vx->entbits + 1 : 8);
}

/*
 * Room for about n fragments from the start (a program's persistent
 * cache knows how many it will take: vx_tcattach), so that the tables
 * do not grow into it: python3 -c pass registers 16,000 fragments, and
 * the fragment table grew (15,000 entries put again, old tables left in
 * the arena till the flush), the code-order arrays too, the page table
 * of inside entries twice.  A guess too big costs arena room only: at
 * most about 1 MB (RESERVEMAX).
 */
void
vx_fragreserve(Vx *vx, int n)
{
	int bits = vx->hashbits, ebits;

	if(n > RESERVEMAX)
		n = RESERVEMAX;
	while(2 * n > 1 << bits)
		bits++;
	if(bits > vx->hashbits)
		hashresize(vx, bits);
	/* the arrays with room to spare: a run takes a few fresh ones too
	 * (python3 -c pass 16,039 from the file and some more), and growing
	 * past n would quadruple them */
	if(n + n / 4 > vx->afrags)
		fragsgrow(vx, n + n / 4);
	/* python's code: a page with inside entries per 28 fragments */
	for(ebits = 8; 2 * (n / 16) > 1 << ebits; ebits++)
		;
	if(vx->ent == NULL || ebits > vx->entbits)
		entresize(vx, ebits);
}

/* Guest page p's enterable instructions; NULL when it has none,
 * unless make. */
static EntPage *
entpage(Vx *vx, uint32_t p, int make)
{
	const uint8_t *fb;
	EntPage *e;

	/* a fragment asks about its page several times (taken from the
	 * cache: run-ahead's bound, its start's mark, whether the file's
	 * bits are there, entadd), and the next fragment mostly about the
	 * same page */
	if((e = vx->entlast) != NULL && e->page == p + 1)
		return e;
	if(vx->ent == NULL){
		if(!make)
			return NULL;
		entgrow(vx);
	}
	e = entslot(vx, p);
	if(e->page != 0)
		return vx->entlast = e;
	if(!make)
		return NULL;
	if(2 * (vx->entused + 1) > 1 << vx->entbits){
		entgrow(vx);
		e = entslot(vx, p);
	}
	e->bits = fragalloc(vx, VX_PAGE / 8);
	/* a warm start's from the file at once (fromcache) */
	if((fb = vx->tc != NULL ? vx_tcpagebits(vx, p) : NULL) != NULL)
		memcpy(e->bits, fb, VX_PAGE / 8);
	else
		memset(e->bits, 0, VX_PAGE / 8);
	e->seeded = fb != NULL;
	e->fr = NULL;
	e->nfr = e->afr = 0;
	e->page = p + 1;
	vx->entused++;
	return vx->entlast = e;
}

/* Offset a of page p's bytes, clamped to the page. */
static uint16_t
pageoff(uint32_t a, uint32_t p)
{
	uint32_t base = p << VX_PAGESHIFT;

	if(a <= base)
		return 0;
	return a - base >= VX_PAGE ? VX_PAGE : (uint16_t)(a - base);
}

/* List f, vx->frags[fi], under each page it has enterable instructions on. */
static void
entadd(Vx *vx, Frag *f, uint32_t fi)
{
	uint32_t lo = f->geip, hi = f->gend;
	EntFrag *n;
	EntPage *e;
	int k;

	if(f->xhi > f->xlo){
		lo = f->xlo < lo ? f->xlo : lo;
		hi = f->xhi > hi ? f->xhi : hi;
	}
	for(k = 0; k < f->npage; k++){
		if((e = entpage(vx, f->page[k], 0)) == NULL)
			continue;
		if(e->nfr == e->afr){
			e->afr = e->afr ? 2 * e->afr : 8;
			n = fragalloc(vx, e->afr * sizeof *n);	/* the old list stays till the flush */
			if(e->nfr > 0)
				memcpy(n, e->fr, e->nfr * sizeof *n);
			e->fr = n;
		}
		e->fr[e->nfr].lo = pageoff(lo, f->page[k]);
		e->fr[e->nfr].hi = pageoff(hi, f->page[k]);
		e->fr[e->nfr].fi = fi;
		e->nfr++;
	}
}

/* Forget the table of inside entries (it is in the arena). */
void
vx_entfree(Vx *vx)
{
	vx->ent = NULL;
	vx->entbits = vx->entused = 0;
	vx->entlast = NULL;
}

/*
 * The host address where a live fragment translates guest eip at an
 * instruction it may be entered at (MapEnt.enter: the guest's state is
 * exact there and nothing of the fragment's own is pending), or 0.  A
 * direct jump into code already translated past a conditional branch (a
 * loop's head, the join after an if) is chained there rather than
 * translating the rest of the block again: python3 -c pass translated
 * 30% of its instructions twice so.  Not a fragment that checks its
 * bytes on entry (volatile page), whose check would be skipped.  In
 * notin, the jumping fragment, only forward (loops: no exit of it to eip
 * lies at or past eip's code): a jump back into itself is a loop, which
 * keeps a fragment of its own so that the long engine's body alignment
 * applies to it (a tight loop ran 0.10 s so, 0.20 s entered inside);
 * one forward (the join after an if) skips code of its own, which
 * python3 -c pass translated again in 730 fragments of its 16,000.
 * The jump's link is in the fragment's list, so invalidating it unlinks.
 */
static int
loops(const Frag *f, uint32_t eip, uint32_t at)
{
	int i;

	for(i = 0; i < f->nout; i++)
		if(f->out[i].target == eip && f->out[i].site >= at)
			return 1;
	return 0;
}

uint32_t
vx_findinside(Vx *vx, uint32_t eip, Frag *notin, Frag **fp)
{
	uint32_t p = eip >> VX_PAGESHIFT, o = eip & (VX_PAGE - 1);
	const MapEnt *m;
	EntPage *e;
	Frag *f;
	int32_t d;
	uint16_t g;
	int i, j;

	e = entpage(vx, p, 0);
	if(e == NULL || (e->bits[o >> 3] & 1 << (o & 7)) == 0)
		return 0;	/* the common case: a jump to new code */
	for(j = e->nfr - 1; j >= 0; j--){
		if(o < e->fr[j].lo || o >= e->fr[j].hi)
			continue;
		f = vx->frags[e->fr[j].fi];
		if(f->dead || f->checked)
			continue;
		if((eip < f->geip || eip >= f->gend) && (eip < f->xlo || eip >= f->xhi))
			continue;
		/* an M_INSN's guest address is geip plus its signed 16-bit
		 * offset: compare offsets, the cheap test first (python's
		 * search went through 20 entries of 46 on average) */
		d = (int32_t)(eip - f->geip);
		if(d < INT16_MIN || d > INT16_MAX)
			continue;
		g = (uint16_t)d;
		for(i = 0; i < f->nmap; i++){
			m = &f->map[i];
			if(m->goff == g && m->kind == M_INSN && m->enter){
				if(f == notin && loops(f, eip, f->code + m->hoff))
					break;
				*fp = f;
				return f->code + m->hoff;
			}
		}
	}
	return 0;
}

/*
 * The return table (long engine): one 32-bit entry per guest address,
 * 2^32 of them (16 GiB of address space, MAP_NORESERVE: pages of zeros,
 * none committed until an entry in it is written).  An entry is the
 * host address of the body of the fragment at that guest address,
 * minus the address of vxlblob_rmiss (in %r13 while guest code runs),
 * so that an entry never written, 0, leads to the miss stub.  A
 * translated ret is
 *	mov %gs:pend(%esp),%r9d; lea pend+4(%rsp),%esp;
 *	mov (%r12,%r9,4),%r8d; lea (%r8,%r13),%r8d; jmp *%r8
 * with no check at the target: the entry is exact.  Entries are written
 * by the runtime alone (a ret that missed, a call's continuation),
 * cleared when their fragment dies, and all of them by a flush.  The
 * mapping lies outside every guest window's reservation (the kernel
 * places it; a guest reaches only its own window and guards), and the
 * validator lets fragments read it only through that exact sequence,
 * whose index is a zero-extended 32-bit register (doc/validator.md).
 * Pages of entries written are charged to the memory's account (a bit
 * each in the bitmap after the entries); a page refused leaves the
 * entry empty.
 *
 * Return targets are sparse (python3 -c pass returns into about 1,000
 * pages of entries, one every KiB of its code), and the first read of a
 * page of zeros is a page fault too (0.7 us here, 1.4-5 us for a first
 * write): 1,400 more faults, 2.5-3 ms of a 31 ms start.  So a Vx starts
 * cold: %r12 is a table shared by the process, read-only and never
 * written, whose reads the huge zero page serves (a fault per 2 MiB);
 * a cold ret does not read it but goes through the indirect table
 * inline (translong.c, coldret), counting down S_RMISSN, and every
 * RCOLDEVERY+1-th goes through vxlblob_rmiss to the runtime (a visit
 * costs an exit: python3's start, 320,000 rets, makes 4 of them rather
 * than 312).  After RWARM rets' worth of those (a million rets) the
 * Vx turns warm: %r12 is its own table from then on, whose entries it
 * fills as rets miss (RTABFREE pages for any target, then only for
 * targets the sampling finds hot, or in pages already written), and a
 * ret to a target with an entry goes straight to its body.
 */
static uint8_t *rtabzero;
static pthread_once_t rtabzeroonce = PTHREAD_ONCE_INIT;

static void
rtabzeromap(void)
{
	void *p;

	p = mmap(NULL, RTABSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(p == MAP_FAILED)
		return;
	madvise(p, RTABSIZE, MADV_HUGEPAGE);
	rtabzero = p;
}

int
vx_rtabmap(Vx *vx, char *err)
{
	void *p;

	pthread_once(&rtabzeroonce, rtabzeromap);
	if(rtabzero == NULL){
		snprintf(err, VX_ERRLEN, "return table: %s", strerror(ENOMEM));
		return -1;
	}
	p = mmap(NULL, RTABMAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(p == MAP_FAILED){
		snprintf(err, VX_ERRLEN, "return table: %s", strerror(errno));
		return -1;
	}
	/* a huge page would commit 2 MiB for the first entry written */
	madvise(p, RTABMAP, MADV_NOHUGEPAGE);
	vx->rtab = p;
	return 0;
}

/* The table %r12 gets at the next entry: the Vx's own once warm. */
uint64_t
vx_rtabbase(Vx *vx)
{
	return (uintptr_t)(vx->rwarm ? vx->rtab : rtabzero);
}

/* A ret missed the table and went to the runtime: is this the miss
 * that turns the Vx warm?  Then %r12 becomes its own table and the code
 * cache is flushed, so that what runs from now on is translated warm:
 * indirect jumps and calls through the table too (translong.c,
 * exactind), which a cold Vx's fragments have not. */
int
vx_rtabwarm(Vx *vx)
{
	if(vx->rwarm || vx->rtab == NULL)
		return 0;
	vx->rsamples += (RCOLDEVERY + 1) / (RMISSEVERY + 1);	/* a cold visit's rets */
	if(vx->rsamples < RWARM)
		return 0;
	vx->rwarm = 1;
	*(uint64_t *)(vx->st + S_RTAB) = vx_rtabbase(vx);
	vx_tcwarm(vx);	/* flushes */
	return 1;
}

/* A ret missed the table and went to the runtime (one in RMISSEVERY+1
 * of those that missed): warm up, and give its target an entry.
 * Returns the count for S_RMISSN. */
uint32_t
vx_rtabmiss(Vx *vx, uint32_t geip, uint32_t host)
{
	if(vx->rwarm && host != 0)
		vx_rtabset(vx, geip, host, 1);
	if(!vx->rwarm)
		return RCOLDEVERY;
	return vx->rpages < RTABFREE ? 0 : RMISSEVERY;
}

void
vx_rtabset(Vx *vx, uint32_t geip, uint32_t host, int hot)
{
	uint32_t pg = geip >> (VX_PAGESHIFT - 2);
	uint64_t *bits = (uint64_t *)(vx->rtab + RTABSIZE);
	int64_t n;

	if(vx->rtab == NULL || !vx->rwarm)
		return;
	if(!(bits[pg >> 6] & 1ull << (pg & 63))){
		if((!hot && vx->rpages >= RTABFREE) || vx->mem == NULL || vxmem_transcharge(vx->mem, 1) < 0)
			return;
		bits[pg >> 6] |= 1ull << (pg & 63);
		n = vx->rpages++;
		vx->tpages++;
		if(n < RTABLIST)
			vx->rtouched[n] = pg;
		if(n == 0 || pg < vx->rtablo)
			vx->rtablo = pg;
		if(n == 0 || pg >= vx->rtabhi)
			vx->rtabhi = pg + 1;
	}
	((uint32_t *)vx->rtab)[geip] = host - vx_lstub(vx, vxlblob_rmiss);
}

/* Make f what an indirect branch or a ret to eip finds at once: its
 * indirect-table slot and, in a warm Vx, its return-table entry, as the
 * runtime fills them at a miss (a call's continuation, an indirect
 * target taken from the persistent cache). */
void
vx_settarget(Vx *vx, uint32_t eip, Frag *f)
{
	ST32(vx, S_HT + 4 * (eip & 0xffff)) = f->ientry;
	vx_rtabset(vx, eip, f->body, 0);
}

/* Every entry empty again, the pages given back and uncharged: a few
 * cleared by stores (madvise would cost a TLB shootdown, and the next
 * guest of a spare Vx the faults again), more given to the kernel.
 * keep (a flush, the Vx goes on with the same memory): the few cleared
 * by stores stay resident, so they stay charged and marked; uncharged,
 * a guest that returned into RTABLIST new pages between flushes grew
 * the host by that much each time past its -M quota (red team, session
 * 21: 3,000 flushes, 395 MB resident under -M 128). */
void
vx_rtabclear(Vx *vx, int keep)
{
	uint64_t *bits = (uint64_t *)(vx->rtab + RTABSIZE);
	uint32_t pg, lo, hi;
	int64_t i;

	if(vx->rtab == NULL || vx->rpages == 0)
		return;
	if(vx->rpages <= RTABLIST){
		for(i = 0; i < vx->rpages; i++){
			pg = vx->rtouched[i];
			memset(vx->rtab + ((uint64_t)pg << VX_PAGESHIFT), 0, VX_PAGE);
			if(!keep)
				bits[pg >> 6] = 0;
		}
		if(keep)
			return;
	}else{
		madvise(vx->rtab + ((uint64_t)vx->rtablo << VX_PAGESHIFT),
			(uint64_t)(vx->rtabhi - vx->rtablo) << VX_PAGESHIFT, MADV_DONTNEED);
		lo = (vx->rtablo / 8) & ~(uint32_t)(VX_PAGE - 1);
		hi = (vx->rtabhi + 8 * VX_PAGE - 1) / 8 & ~(uint32_t)(VX_PAGE - 1);
		madvise(vx->rtab + RTABSIZE + lo, hi - lo, MADV_DONTNEED);
	}
	if(vx->mem != NULL)
		vxmem_transcharge(vx->mem, -vx->rpages);
	vx->tpages -= vx->rpages;
	vx->rpages = 0;
	vx->rtablo = vx->rtabhi = 0;
}

/* Where a flush puts the next fragment: the cache's start, or, while
 * perf maps are written (vx_perfmapping), on past the fragments it
 * threw away while the room lasts, so that no host address is named
 * twice in the map (vx_growcache moves a full cache to fresh pages). */
static uint32_t
flushtop(Vx *vx)
{
	uint32_t base = vx->engine == VX_ENGINE_LONG ? LSTUBROOM : 0;

	if(vx_perfmapping() && vx->cachetop > base && vx->cachesize - vx->cachetop >= FRAGROOM)
		return vx->cachetop;
	return base;
}

void
vx_flushcache(Vx *vx)
{
	int i;
	uint32_t miss = stubmiss(vx);

	if(vx->nfrags > 0){	/* else empty already (a new Vx is calloc'd) */
		vx->hash = vx->hash0;	/* a bigger one was in the arena */
		vx->hashbits = vx->hash0bits;
		memset(vx->hash, 0, sizeof *vx->hash << vx->hashbits);
		vx->hashused = 0;
		memset(vx->pagefrags, 0, sizeof vx->pagefrags);
	}
	vx_entfree(vx);		/* it, its bitmaps and the arrays of fragments were in the arena */
	vx->frags = NULL;
	vx->fragcode = NULL;
	vx->nfrags = vx->afrags = 0;
	vx->arenacur = vx->arena;
	if(vx->arena != NULL)
		vx->arena->used = 0;
	vx->links = NULL;	/* the log of links was in it */
	vx->nlinks = 0;
	for(i = 0; i < S_HTSIZE; i++)
		ST32(vx, S_HT + 4 * i) = miss;
	vx->njt = 0;	/* their sites are gone; a new site fills its slice */
	vx->chainf = NULL;	/* the chain exit being served went with its fragment (loopjump) */
	vx_rtabclear(vx, 1);
	vx->cachetop = flushtop(vx);
	vx->stats.flushes++;
	vx->cachegen++;
}

/* Slots of jump-table slices (translong.c, jtsite) that lead to a dead
 * fragment's indirect entry go back to their site's miss stub, so that
 * the next jump there fills them with the new one.  (The dead entry
 * jumps to the miss stub: left, the slot would miss for good.)  Stores
 * only: may run in a signal handler. */
static void
jtforget(Vx *vx, uint32_t ientry)
{
	int s, i;

	for(s = 0; s < vx->njt; s++)
		for(i = 0; i < 256; i++)
			if(ST32(vx, S_JT + 1024 * s + 4 * i) == ientry)
				ST32(vx, S_JT + 1024 * s + 4 * i) = vx->jtmiss[s];
}

/* Guest bytes [lo, hi) changed: their fragments must never run again.
 * May run in a signal handler: it only patches code, no allocation. */
void
vx_invalidate(Vx *vx, uint32_t lo, uint32_t hi)
{
	uint32_t p, miss = stubmiss(vx);
	Frag *f, *next;
	Link *l;

	if(hi <= lo)
		return;
	for(p = lo >> VX_PAGESHIFT; p <= (hi - 1) >> VX_PAGESHIFT; p++){
		for(f = vx->pagefrags[p % PAGEHASH]; f; f = next){
			next = *pagelink(f, p);
			if(f->dead || ((f->gend <= lo || f->geip >= hi) && (f->xhi <= lo || f->xlo >= hi)))
				continue;
			if((f->page[0] != p) && !(f->npage > 1 && f->page[1] == p))
				continue;	/* another page in the same bucket */
			f->dead = 1;
			hashdel(vx, f);
			pagedel(vx, f);
			/* the indirect entry now goes to the miss stub, and
			 * so does a ret through the return table (a store:
			 * this may run in a signal handler) */
			if(vx->rtab != NULL && ((uint32_t *)vx->rtab)[f->geip] != 0)
				((uint32_t *)vx->rtab)[f->geip] = 0;	/* read first: a write would commit a page */
			uint8_t *c = (uint8_t *)(uintptr_t)f->ientry;
			c[0] = 0xe9;
			patch32(f->ientry + 1, miss);
			jtforget(vx, f->ientry);
			for(l = f->in; l != NULL; l = l->next)
				patch32(l->site, l->stub);
			f->in = NULL;
		}
	}
}

void
vx_applysmc(Vx *vx)
{
	unsigned g = atomic_load(&vx->mem->smcgen);
	int others;

	if(g == vx->smcseen)
		return;
	/* another Vx changed our code: one running now, or one gone since
	 * (a vfork child that rewrote its parent's code and exited, a
	 * thread that ended: the memory's ref alone missed those) */
	others = g - vx->smcseen != vx->smcmine;
	vx->smcseen = g;
	vx->smcmine = 0;
	if(others || atomic_load(&vx->mem->ref) > 1)
		vx_flushcache(vx);
}

/* Both addresses' pages are checked, or both are not (and b's page can
 * be write-protected when a's is). */
static int
samepage(Vx *vx, uint32_t a, uint32_t b)
{
	uint8_t *pg = vx->mem->page;

	return ((pg[a >> VX_PAGESHIFT] ^ pg[b >> VX_PAGESHIFT]) & PG_VOLATILE) == 0 && !vxmem_codefull(vx, b);
}

/* The guest bytes the instruction at hand was judged on: its length n,
 * or for one the decoder refused (n == 0: a lock where none may be, too
 * long) up to VX_MAXINSN of the avail there. */
static uint32_t
judged(int n, uint32_t avail)
{
	return n ? (uint32_t)n : avail < VX_MAXINSN ? avail : VX_MAXINSN;
}

/*
 * Decode the instruction at eip from a copy of its bytes (avail of them,
 * vxmem_codebytes) taken while they are write-protected.  Copied first
 * and protected only when the fragment is done, another guest thread's
 * write in between went unseen: the page was still writable, so no
 * fault, and the fragment ran the old bytes until something else dropped
 * it (red team, session 22).  So: copy, decode, protect the bytes used,
 * and compare again; a write before the protection shows as a
 * difference (decode the new bytes), one after it faults and drops the
 * fragment.  Usually the page is protected already: then the copy is
 * all (the per-instruction protect and compare cost python3's start
 * 0.5 ms, 2.5%).  A volatile page is not
 * protected: its fragment checks the bytes held here (hold, checkblock).
 */
static int
decodeheld(Vx *vx, uint32_t eip, uint32_t avail, uint8_t *ib, VxInsn *in)
{
	const uint8_t *pg = vx->mem->page;
	uint32_t len;
	int n;

	/* protected before the copy (loaded before it): a write since
	 * faulted, bumping smcgen before it landed, so the next exit drops
	 * the fragment as for any write after the protection.  Every mark
	 * cleared bumps it (vxmem_unprotect, dropcode, the fault paths) */
	if((__atomic_load_n(&pg[eip >> VX_PAGESHIFT], __ATOMIC_ACQUIRE) & PG_CODE)
	&& (__atomic_load_n(&pg[(eip + avail - 1) >> VX_PAGESHIFT], __ATOMIC_ACQUIRE) & PG_CODE)){
		vx_codecopy(ib, vx->mem->base + eip, avail);
		return vx_decode(ib, avail, eip, in);
	}
	for(;;){
		vx_codecopy(ib, vx->mem->base + eip, avail);
		n = vx_decode(ib, avail, eip, in);
		if(n < 0)
			return n;
		len = judged(n, avail);
		vxmem_markcode(vx, eip, eip + len);
		if(vx_codesame(ib, vx->mem->base + eip, len))
			return n;
	}
}

/* A checked fragment: keep the bytes the instruction at eip was decoded
 * from, for its check (checked fragments are contiguous from geip). */
static void
hold(T *t, uint32_t eip, const uint8_t *ib, uint32_t avail)
{
	uint32_t off = eip - t->geip;

	if(off + avail > sizeof t->held)
		abort();	/* bounded by MAXFRAGINSN */
	memcpy(t->held + off, ib, avail);
	t->nheld = off + avail;
}

/* checkblock's load of the w (4, 2 or 1) guest bytes at a into %ecx,
 * zero-extended: movl, movzwl or movzbl, through %gs in the long engine. */
static void
checkload(T *t, uint32_t a, uint32_t w)
{
	if(t->lng){
		e8(t, 0x65); e8(t, 0x67);
	}
	if(w == 4)
		e8(t, 0x8b);
	else{
		e8(t, 0x0f); e8(t, w == 2 ? 0xb7 : 0xb6);
	}
	if(t->lng){				/* (a) by a SIB with no base */
		e8(t, 0x0c); e8(t, 0x25);
	}else
		e8(t, 0x0d);			/* (a), disp32 */
	e32(t, a);
}

/* For a fragment of a volatile page: compare its guest bytes [lo, hi) with
 * what was translated (the bytes hold kept: memory read now could have
 * changed since they were decoded), flag-free, before running it.  Words
 * of 4, the last overlapping the one before; a fragment of fewer than 4
 * bytes by a 2- and a 1-byte load, for no load may pass hi: the next
 * page may be one the guest cannot read (a 1-byte hlt at a page's end
 * before an unmapped page faulted in its check, at the wrong eip, and
 * the translator's own read opened that page). */
static void
checkblock(T *t, uint32_t lo, uint32_t hi, uint32_t site)
{
	const uint8_t *g = t->vx->mem->base;
	uint32_t a, v, w, stale[256];
	int n = 0, i;

	patch32(site, here(t));
	addmap(t, M_INNER, lo, SP_C, 0);
	fsst(t, ECX, S_SPILLC);
	for(a = lo; a < hi; a += w){
		w = hi - lo < 4 ? (hi - a >= 2 ? 2 : 1) : 4;
		if(a + w > hi)
			a = hi - w;	/* the last word overlaps the one before */
		v = 0;
		for(i = 0; i < (int)w; i++)	/* the bytes held (all of them, from lo to hi) */
			((uint8_t *)&v)[i] = a + (uint32_t)i - lo < t->nheld ? t->held[a + (uint32_t)i - lo] : g[a + (uint32_t)i];
		checkload(t, a, w);
		e8(t, 0x8d); e8(t, 0x89); e32(t, -v);		/* lea -v(%ecx), %ecx */
		e8(t, 0xe3); e8(t, 5);				/* jecxz next */
		e8(t, 0xe9);
		if(n < 256)
			stale[n++] = here(t);
		e32(t, 0);
		if(a + w >= hi)
			break;
	}
	fsld(t, ECX, S_SPILLC);
	jmpto(t, site + 4);
	for(i = 0; i < n; i++)
		patch32(stale[i], here(t));
	fsld(t, ECX, S_SPILLC);
	exitstub(t, EXIT_STALE, lo, 0);
}

/* VXVALIDATE=1: every long fragment goes through the validator before
 * it can run. */
static int
validating(void)
{
	static int on = -1;

	if(on < 0){
		const char *s = getenv("VXVALIDATE");
		on = s != NULL && strcmp(s, "1") == 0;
	}
	return on;
}

/* For tcache.c: a cache file is then read into a private copy, so that
 * what is validated is what runs (tcache.c, filemap). */
int
vx_validating(void)
{
	return validating();
}

/* What the validator is told of vx's engine (checkfrag1; its tests):
 * stubs holds VXVALIDSTUBS entries.  The jump-table slices handed out
 * so far (Vx.njt, a fragment's own among them: jtsite fills its slice
 * before the fragment is checked), not all S_JTN: one not handed out
 * holds zeros (a new state block) or, after a flush, addresses in code
 * since overwritten, and a lookup through it would jump there. */
void
vx_validfor(Vx *vx, VxValid *v, uint64_t *stubs, int cached)
{
	stubs[0] = vx_lstub(vx, vxlblob_exit);
	stubs[1] = vx_lstub(vx, vxlblob_miss);
	stubs[2] = vx_lstub(vx, vxlblob_chain);
	stubs[3] = vx_lstub(vx, vxlblob_lookup);
	stubs[4] = vx_lstub(vx, vxlblob_rmiss0);	/* a cold ret's count at 0 */
	stubs[5] = vx_lstub(vx, vxlblob_jtmiss);
	memset(v, 0, sizeof *v);
	v->cachelo = (uintptr_t)vx->cache;
	v->cachehi = (uintptr_t)vx->cache + vx->cachesize;
	v->stubs = stubs;
	v->nstubs = VXVALIDSTUBS;
	v->htable = S_HT;
	if(!cached && vx->njt > 0){	/* the cache holds no jump-table site (jtsite) */
		v->jtable = S_JT;
		v->njt = (uint32_t)vx->njt;
	}
	v->rtab = 1;
	v->fieldlo = S_EXITCODE;		/* exit code .. the guest DF (long) */
	v->fieldhi = S_DFBIT + 4;
	v->count = S_RMISSN;		/* a cold ret's count (translong.c, coldret) */
	v->envlo = S_FPUENV;		/* fnstenv, fldenv: fpuclean */
	v->statesize = S_SIZE;
	v->xstack = S_XSTACK;
	v->xstacksize = S_XSTACKSIZE;
	v->ymm = ST32(vx, S_YMM) != 0;
}

/* cached: the fragment came from the persistent cache, not from the
 * translator, so nothing about it is taken on trust: its jumps may reach
 * only itself and the stubs (a fresh one's rel32s into the code cache
 * are chained exits the engine made), the offsets the engine enters
 * (body, indirect entry, inside entries, exit stubs) must be instruction
 * starts outside rule 3/4 sequences, and the rel32s it rewrites (exit
 * sites) those of jumps. */
static int
checkfrag1(Vx *vx, T *t, int cached)
{
	uint64_t stubs[VXVALIDSTUBS];
	uint32_t ent[2 + MAXMAP + MAXEXIT], pat[MAXEXIT], start = (uint32_t)(uintptr_t)t->start;
	VxValid v;
	char why[VX_ERRLEN];
	int i, ne = 0;

	vx_validfor(vx, &v, stubs, cached);
	if(cached){
		v.cachelo = v.cachehi = 0;
		ent[ne++] = t->body;
		ent[ne++] = t->ientry;
		for(i = 0; i < t->nmap; i++)
			if(t->map[i].enter)
				ent[ne++] = t->map[i].hoff;
		for(i = 0; i < t->nexit; i++){
			ent[ne++] = t->exit[i].stub - start;
			pat[i] = t->exit[i].site - start;
		}
		v.entries = ent;
		v.nentries = ne;
		v.patches = pat;
		v.npatches = t->nexit;
	}
	why[0] = 0;
	if(vx_validate(t->start, (size_t)(t->p - t->start), (uintptr_t)t->start, &v, why, sizeof why) == 0)
		return 0;
	if(!cached)	/* a refused cached fragment is a miss: translated afresh */
		vx_seterr(vx, "validator: fragment at guest 0x%x: %s", t->geip, why);
	return -1;
}

static int
checkfrag(Vx *vx, T *t)
{
	return checkfrag1(vx, t, 0);
}

/* VXPERFMAP: 0 off, 1 the map, 2 the map, the code and the
 * instructions (perfmap).  Read once per process. */
int
vx_perfmapping(void)
{
	static atomic_int on = -1;
	int v = atomic_load(&on);
	const char *s;

	if(v < 0){
		s = getenv("VXPERFMAP");
		v = s == NULL ? 0 : strcmp(s, "1") == 0 ? 1 : strcmp(s, "2") == 0 ? 2 : 0;
		atomic_store(&on, v);
	}
	return v;
}

/* VXPERFMAP=1: each fragment is listed in /tmp/perf-PID.map as
 * "host-address size vx:guest-address", the file perf(1) reads to name
 * code it finds no ELF symbols for; `perf report` then shows where a
 * guest's time goes by guest address.  The file has no times, so a host
 * address must never name two fragments: while it is on, a flush does
 * not take the cache's room back (flushtop), a full cache moves to a
 * fresh mapping and a freed one keeps its addresses (vx.c,
 * cacheretire).  A forked process starts its own file (perf looks it up
 * by pid). */
static void
perfmap(Frag *f, uint32_t size)
{
	static int on = -1, cfd = -1;
	static FILE *fp, *ip;
	static pid_t pid;
	char path[64];
	int i;

	if(on < 0)
		on = vx_perfmapping();
	if(!on)
		return;
	if(fp == NULL || pid != getpid()){
		if(fp != NULL)
			fclose(fp);
		if(cfd >= 0)
			close(cfd);
		if(ip != NULL)
			fclose(ip);
		cfd = -1;
		ip = NULL;
		pid = getpid();
		snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)pid);
		fp = fopen(path, "ae");
		if(fp == NULL){
			on = 0;
			return;
		}
		setvbuf(fp, NULL, _IOLBF, 0);
		if(on == 2){
			snprintf(path, sizeof path, "/tmp/perf-%d.code", (int)pid);
			cfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			snprintf(path, sizeof path, "/tmp/perf-%d.insn", (int)pid);
			ip = fopen(path, "we");
		}
	}
	fprintf(fp, "%lx %x vx:%08x%s\n", (unsigned long)f->code, size, f->geip, f->xlo ? "+" : "");
	/* VXPERFMAP=2: the code as emitted (exits unchained), at its host
	 * address as file offset: objdump -D -b binary -m i386:x86-64
	 * --start-address=host reads it back */
	if(cfd >= 0 && pwrite(cfd, (void *)(uintptr_t)f->code, size, (off_t)f->code) != (ssize_t)size){
		close(cfd);
		cfd = -1;
	}
	/* and each map entry, "host-address guest-address kind" (M_*), so
	 * that a sample's host instruction names its guest instruction */
	for(i = 0; ip != NULL && i < f->nmap; i++)
		fprintf(ip, "%lx %08x %d\n", (unsigned long)f->code + f->map[i].hoff,
			mapgeip(f, &f->map[i]), f->map[i].kind);
}

/* Fault the code cache in ahead of its top, a growing step at a time,
 * one system call a step (a page fault is several µs on a virtual
 * machine).  Where the kernel lacks MADV_POPULATE_WRITE the pages fault
 * in as they are written, as before. */
enum { FILLFIRST = 32 << 10, FILLMAX = 256 << 10 };

static void
fillcache(Vx *vx)
{
	uint32_t step = vx->cachefill < FILLFIRST ? FILLFIRST : vx->cachefill;

	if(step > FILLMAX)
		step = FILLMAX;
	if(step > vx->cachesize - vx->cachefill)
		step = vx->cachesize - vx->cachefill;
	if(step > 0)
		madvise(vx->cache + vx->cachefill, step, MADV_POPULATE_WRITE);
	vx->cachefill += step;
}

/* Does the persistent cache serve this Vx?  When it holds the Vx's
 * form: a cold Vx's rets and indirect branches go through the 16-bit
 * table (translong.c, coldret), a warm one's through its exact return
 * table, and a cache object holds one form (the warming flush moves the
 * Vx to the warm one's: vx_rtabwarm, tcache.c's vx_tcwarm). */
static int
tcform(Vx *vx)
{
	/* once stack slots keep addr32 (a wrap: amd64/sig.c, stackwrap) the
	 * cache's fragments, translated without it, are not this Vx's either */
	return vx->tc != NULL && vx->tcwarm == vx->rwarm && !vx->stack67;
}

/* A followed jmp emits no code, but has its point, shared with its
 * target's first instruction (an entry not enterable, listed first): a
 * step by the guest's TF that ends there stops at the jmp, as the CPU's
 * does (amd64/sig.c, boundary), not past it. */
static void
jmppoint(T *t, uint32_t eip)
{
	addmap(t, M_INSN, eip, 0, 0);
}

static _Thread_local T tbuf;	/* translation is never reentered on a thread */
static Frag *fragdone(Vx *vx, T *t);
static Frag *fromcache(Vx *vx, T *t, int ahead);
static void runahead(Vx *vx, Frag *first, uint32_t ford);

/*
 * A direct jmp to a short block that ends in an indirect jump (an
 * interpreter's dispatch: every handler jumps back to one `jmp *table(,
 * %eax,4)`) is not an exit: the fragment goes on with the block, so that
 * each handler has its own copy of the indirect jump, predicted by its own
 * history (threaded code).  Measured on bench/interp: long 1.78 -> 0.74 s,
 * compat 0.99 -> 0.61 s, native 1.27 s.  The block may itself be reached
 * through direct jmps (GCC's handlers jump to a shared `add $8,%edx; jmp
 * next` that jumps to the dispatch): up to FOLLOWJMPS of them are followed
 * too.  Once per fragment; the blocks (at most DISPATCHMAX plain
 * instructions and conditional branches in all, then the indirect jmp) lie
 * in one page, not volatile, within FOLLOWSPAN bytes of each other and
 * +-32 KiB of the fragment's start (map offsets are 16 bits), and the
 * fragment then covers at most two pages (Frag.page).  The span of their
 * bytes is the fragment's second guest range (Frag.xlo, xhi): protected
 * and invalidated like the first.
 */
enum { DISPATCHMAX = 6, FOLLOWNEAR = 30000, FOLLOWJMPS = 2, FOLLOWSPAN = 512 };

/* Within FOLLOWNEAR bytes of each other (16-bit map offsets)? */
static int
near(uint32_t x, uint32_t y)
{
	return (x > y ? x - y : y - x) < FOLLOWNEAR;
}

/* May the block at a be followed (one page, not volatile, code room)? */
static int
followable(Vx *vx, uint32_t a, uint32_t geip, uint32_t pa)
{
	return a != geip && a != 0 && a < vx->mem->size && near(a, geip)
		&& a >> VX_PAGESHIFT == pa
		&& !(vx->mem->page[pa] & PG_VOLATILE)
		&& !vxmem_codefull(vx, a) && !vxmem_codefull(vx, a + 15);
}

/* Is the jmp in a dispatch block to follow?  If so, [*lo, *hi) spans
 * every byte the blocks' translation will read. */
static int
follows(T *t, const VxInsn *in, uint32_t geip, uint32_t eip, int ninsn, uint32_t *lo, uint32_t *hi)
{
	Vx *vx = t->vx;
	uint32_t a = in->target, p0, p1, pa, avail;
	VxInsn d;
	int i, n, jmps;

	if(t->xlo != 0 || in->opsize || ninsn + DISPATCHMAX + FOLLOWJMPS + 2 >= MAXFRAGINSN)
		return 0;
	pa = a >> VX_PAGESHIFT;
	p0 = geip >> VX_PAGESHIFT;
	p1 = (eip + in->len - 1) >> VX_PAGESHIFT;
	if(pa != p0 && pa != p1 && p0 != p1)
		return 0;	/* three pages */
	if(!followable(vx, a, geip, pa))
		return 0;
	*lo = a;
	*hi = a;
	for(i = jmps = 0; i < DISPATCHMAX + FOLLOWJMPS; i++){
		avail = vx_codebytes(vx, a);
		n = avail ? vx_decode(vx->mem->base + a, avail, a, &d) : -1;
		if(n <= 0 || ((a + n - 1) >> VX_PAGESHIFT) != pa)
			return 0;
		*lo = a < *lo ? a : *lo;
		*hi = a + n > *hi ? a + n : *hi;
		if(*hi - *lo > FOLLOWSPAN)
			return 0;
		if(d.cls == VXC_JMPIND)
			return i - jmps < DISPATCHMAX && near(*hi, geip);
		if(d.cls == VXC_JMP && !d.opsize && jmps < FOLLOWJMPS){
			if(!followable(vx, d.target, geip, pa))
				return 0;
			jmps++;
			a = d.target;
			continue;
		}
		if(d.cls != VXC_PLAIN && d.cls != VXC_JCC)
			return 0;
		a += n;
	}
	return 0;
}

/*
 * call __x86.get_pc_thunk.REG: i386 position-independent code learns its
 * own address by calling four bytes, mov (%esp),%reg; ret, at the start
 * of most functions (and memcpy before its jump table).  Translated as it
 * stands that is an exit to the thunk's fragment and a return through the
 * indirect table.  Its effect is known here: the call becomes the store
 * of the return address below esp (what the call and the ret leave there;
 * a fault on it is the call's, esp unchanged) and mov $return, %reg, and
 * the fragment goes on after the call.  The thunk's bytes are the
 * fragment's second guest range, so a write to them drops the fragment.
 * Pages: the fragment's own bytes lie in its first page and the next
 * (a fragment is < 1 page); a thunk in another page confines them to the
 * first (thunkpage, checked before each instruction).
 */
static int
thunkreg(T *t, const VxInsn *in, uint32_t geip, uint32_t eip)
{
	Vx *vx = t->vx;
	uint32_t a = in->target, pa, p0 = geip >> VX_PAGESHIFT;
	uint8_t c[4];

	if(t->xlo != 0 || in->opsize || a > vx->mem->size - 4
	|| ((a + 3) >> VX_PAGESHIFT) != (a >> VX_PAGESHIFT) || vxmem_codebytes(vx, a) < 4)
		return -1;
	pa = a >> VX_PAGESHIFT;
	if((vx->mem->page[pa] & PG_VOLATILE) || vxmem_codefull(vx, a) || vxmem_codefull(vx, a + 3))
		return -1;
	if(pa != p0 && pa != p0 + 1 && ((eip + in->len - 1) >> VX_PAGESHIFT) != p0)
		return -1;
	memcpy(c, vx->mem->base + a, 4);	/* checked and used as one (see ib) */
	if(c[0] != 0x8b || (c[1] & 0xc7) != 0x04 || c[2] != 0x24 || c[3] != 0xc3 || (c[1] >> 3 & 7) == ESP)
		return -1;
	/* protected, then compared again, as decodeheld: else a thunk's
	 * rewrite just before the fragment is done would go unseen */
	vxmem_markcode(vx, a, a + 4);
	if(!vx_codesame(c, vx->mem->base + a, 4))
		return -1;
	return c[1] >> 3 & 7;
}

/* compat: movl $next, -4(%esp); mov $next, %reg */
static void
thunk32(T *t, uint32_t next, int reg)
{
	e8(t, 0xc7); e8(t, 0x44); e8(t, 0x24); e8(t, 0xfc);
	e32(t, next);
	e8(t, (uint8_t)(0xb8 + reg));
	e32(t, next);
}

/* After an inlined thunk in a page neither the fragment's first nor the
 * next: may an instruction at eip still be translated? */
static int
thunkpage(T *t, uint32_t eip)
{
	uint32_t p0 = t->geip >> VX_PAGESHIFT, pa = t->xlo >> VX_PAGESHIFT;

	if(t->xhi == 0 || pa == p0 || pa == p0 + 1)
		return 1;
	return ((eip + VX_MAXINSN - 1) >> VX_PAGESHIFT) == p0;
}

/* tbuf made ready for a fragment at eip at the code cache's top
 * (vx_translate, runahead). */
static T *
tbegin(Vx *vx, uint32_t eip)
{
	T *t = &tbuf;		/* no allocation (and clearing 8 KiB) per fragment */

	t->nmap = t->nexit = t->pend = t->pre = 0;
	t->flagsat = t->flagsend = NULL;
	t->flagskeep = t->flagsmade = 0;
	t->aend = t->xlo = t->xhi = 0;
	t->x87 = t->indirect = 0;
	t->jtkey = -1;
	t->from = vx->chainfrom;
	t->tcord = t->ahead = 0;
	t->tcent = 0;
	t->nrel = t->nocache = 0;
	t->nheld = 0;
	t->smcgen = atomic_load(&vx->mem->smcgen);
	t->cmap = NULL;
	t->vx = vx;
	t->lng = vx->engine == VX_ENGINE_LONG;
	t->start = t->p = vx->cache + vx->cachetop;
	/* long: the body (a loop's head, chained jumps' target) starts on a
	 * 32-byte boundary: a tight guest loop measured 0.44 -> 0.14 s and
	 * interp 1.9 -> 1.4 s so.  Not compat: there interp went 1.0 -> 1.6 s
	 * (the same loop 0.36 -> 0.11 s); its layout stays packed.  On the
	 * second half of a 64-byte line, so that an indirect entry's check
	 * and the body's first instructions are fetched as one line: fib
	 * ran 5 % slower with the body on the first half (doc/bench.md,
	 * "DF and layout"). */
	if(t->lng){
		size_t pad = (size_t)((BODYOFF - ((uintptr_t)t->p + LIENTRYLEN)) & (BODYALIGN - 1));
		memset(t->p, 0xcc, pad);
		t->p += pad;
	}
	t->start = t->p;
	t->geip = eip;
	return t;
}

/*
 * A warm start takes most of its code from the persistent cache, in the
 * order an earlier run made it (tcache.c lays the file out so).  Taken
 * one at a time, each fragment cost an exit from guest code, a lookup
 * by the runtime and a link: python3 -c pass left guest code 13,300
 * times for 16,000 cached fragments.  So after a hit the entries that
 * follow it in the file are taken too, and then their exits are linked
 * to each other as the runtime would link them when they were taken
 * (python3 -c pass: 13,300 exits -> 5,100).  Each is checked exactly as
 * a fragment taken at its exit, and the run ends at the first that
 * is not usable (its library not yet mapped, its bytes changed), or
 * lies in a page this sandbox runs no code in yet, and is not taken at
 * all unless the sandbox uses the cache alone (vx_tcalone): the file
 * holds what every sandbox of the image made, interleaved when they ran
 * at once, and a busybox pipeline's applets each took the others' code
 * (12,800 fragments for its 5,000; 6,100 with the page bound alone,
 * 5,300 with both).  Only while the cache has room without growing
 * and the metadata is within bounds: a flush here would take away the
 * fragment the caller holds.  An x87 fragment is neither linked to nor
 * marks the guest's x87 use here (vx_reach: it waits to be reached).
 */
enum { AHEAD = 1024, AHEADSKIP = 64, PRELINKAHEAD = 4 };

/* May a fragment be entered at guest address a: is a's bit set in its
 * page's inside-entry bitmap?  Every enterable instruction of a live
 * fragment sets it (vx_translate, fromcache), and so does every
 * fragment's start, so that no lookup by address can find either where
 * the bit is clear.  Prelink asks it first: of a warm python start's
 * 39,000 exits a third jump to code no earlier run reached (a branch not
 * taken), and each cost a miss in the fragment table, then
 * vx_findinside's look at this bit.  A bit left set by a
 * fragment since dropped only leads to the lookups. */
static int
mayenter(Vx *vx, uint32_t a)
{
	uint32_t o = a & (VX_PAGE - 1);
	EntPage *e = entpage(vx, a >> VX_PAGESHIFT, 0);

	return e != NULL && (e->bits[o >> 3] & 1 << (o & 7)) != 0;
}

/* Is f's exit i still at its stub (not linked)? */
static int
unlinked(const Frag *f, int i)
{
	int32_t rel;

	memcpy(&rel, (const void *)(uintptr_t)f->out[i].site, 4);
	return f->out[i].site + 4 + (uint32_t)rel == f->out[i].stub;
}

/* The live fragment taken from the cache file's entry number k - 1
 * (the link section's numbers, tcache.h), or NULL. */
static Frag *
ordfrag(Vx *vx, uint32_t k)
{
	uint32_t fi;
	Frag *f;

	if(k == 0 || k > vx->ntcfi || (fi = vx->tcfi[k - 1]) == 0 || fi > (uint32_t)vx->nfrags)
		return NULL;
	f = vx->frags[fi - 1];
	return f->dead ? NULL : f;
}

/*
 * Where exit i of f enters the fragment taken from the file's entry
 * number k - 1, at its map entry mi (TCSTART: its body), as the link
 * section says: the host address (*tp the fragment), or 0.  The numbers
 * are the file's, so only a hint, held to what a lookup by address
 * would find: a body only of a fragment that starts at the exit's
 * target (vx_findfrag's), an inside entry only where vx_findinside
 * would enter (an enterable instruction at the target, in a fragment
 * that does not check its bytes, and not a jump back into f: loops).
 */
static uint32_t
ordentry(Vx *vx, const Frag *f, int i, uint32_t k, uint16_t mi, Frag **tp)
{
	uint32_t eip = f->out[i].target;
	const MapEnt *m;
	Frag *to;

	if((to = ordfrag(vx, k)) == NULL)
		return 0;
	if(mi == TCSTART){
		if(to->geip != eip)
			return 0;
		*tp = to;
		return to->body;
	}
	if(to->checked || mi >= to->nmap)
		return 0;
	m = &to->map[mi];
	if(m->kind != M_INSN || !m->enter || to->geip + (uint32_t)(int32_t)(int16_t)m->goff != eip
	|| (to == f && loops(f, eip, to->code + m->hoff)))
		return 0;
	*tp = to;
	return to->code + m->hoff;
}

/*
 * Link f's exits to the fragments now at their targets, and if f ends
 * in a call, make its continuation the return's target (callcont);
 * next: the fragment taken after f, or NULL; ford: the number + 1 of
 * f's entry in the cache file (0: none).  The file's link section says
 * where the run that wrote it linked each exit (tcache.h): there, if the
 * fragment taken from that entry is there now, else nowhere (an exit
 * taken leaves guest code, as it did in that run).  Only an exit it does
 * not know (TCUNKNOWN: an entry added by a later run) is looked up:
 * python's warm start had 39,000 exits looked up, 24,000 inside
 * fragments, and made 6,000 inside links of which half were ever taken.
 */
static void
prelink(Vx *vx, Frag *f, uint32_t ford, Frag *next)
{
	const uint16_t *lmi = NULL;
	const uint32_t *lt = ford != 0 ? vx_tclinks(vx, ford - 1, f->nout, &lmi) : NULL;
	Frag *to;
	uint32_t c, a;
	int i;

	for(i = 0; i < f->nout; i++){
		if(!unlinked(f, i))
			continue;
		if(lt != NULL && (lt[i] != 0 || lmi[i] != TCUNKNOWN)){
			/* the file's link (tcache.h): none, or none to a
			 * fragment taken: left to the runtime, an exit */
			if(lt[i] == 0 || (a = ordentry(vx, f, i, lt[i], lmi[i], &to)) == 0)
				continue;
			if(!to->x87)
				vx->stats.tclinks++;
		}else if(!mayenter(vx, f->out[i].target))
			continue;
		else if((to = vx_findfrag(vx, f->out[i].target)) != NULL)
			a = to->body;
		else
			a = vx_findinside(vx, f->out[i].target, f, &to);	/* the file does not say */
		if(a != 0 && !to->x87){
			vx_linkexit(vx, f, i, to, a);
			if(a != to->body)
				vx->stats.inside++;
		}
	}
	if(!f->callret)
		return;
	/* the continuation is usually the entry taken next (python: 9,100
	 * calls of 9,700), the only live fragment at its address then:
	 * run-ahead takes none where one is */
	c = f->gend;
	to = next != NULL && next->geip == c && !next->dead ? next : vx_findfrag(vx, c);
	if(to != NULL && !to->x87)
		vx_settarget(vx, c, to);
}

/* Start fetching the buckets prelink(f) will look up: most are cache
 * misses in a table of a quarter megabyte, which overlap so with those of
 * the fragments before f rather than come one after another. */
static void
prelinkfetch(Vx *vx, const Frag *f, uint32_t ford)
{
	const uint16_t *lmi;
	const uint32_t *lt = ford != 0 ? vx_tclinks(vx, ford - 1, f->nout, &lmi) : NULL;
	int i;

	for(i = 0; i < f->nout; i++)
		if(lt == NULL || (lt[i] == 0 && lmi[i] == TCUNKNOWN))
			vx_hashprefetch(vx, f->out[i].target);
		else if(lt[i] != 0 && lt[i] <= vx->ntcfi)
			__builtin_prefetch(&vx->tcfi[lt[i] - 1]);	/* resolved: ordfrag */
	if(f->callret){
		vx_hashprefetch(vx, f->gend);
		__builtin_prefetch(&ST32(vx, S_HT + 4 * (f->gend & 0xffff)), 1);
	}
}

static void
runahead(Vx *vx, Frag *first, uint32_t ford)
{
	Frag *got[AHEAD], *f;
	uint32_t ords[AHEAD];
	EntPage *e;
	uint32_t eip, after;
	int n = 0, skip = 0, i, spec = vx->speculating;
	T *t;

	if(!vx_tcalone(vx))
		return;
	ords[n] = ford;
	got[n++] = first;
	while(n < AHEAD && skip < AHEADSKIP && (eip = vx_tcahead(vx)) != 0){
		if(vx->cachesize - vx->cachetop < FRAGROOM || vx->tover || (e = entpage(vx, eip >> VX_PAGESHIFT, 0)) == NULL)
			break;
		/* fromcache marks its inside entries there, fragdone lists it
		 * in the page's chain */
		__builtin_prefetch(&e->bits[(eip & (VX_PAGE - 1)) >> 3], 1);
		if(e->fr != NULL)
			__builtin_prefetch(&e->fr[e->nfr], 1);	/* entadd's */
		__builtin_prefetch(&vx->pagefrags[(eip >> VX_PAGESHIFT) % PAGEHASH], 1);
		vx_tcprefetch(vx);
		if((after = vx_tcafter(vx)) != 0){
			vx_hashprefetch(vx, after);	/* the next turn's lookup */
			entprefetch(vx, after >> VX_PAGESHIFT);	/* and page bound */
			if(after < vx->mem->size)
				__builtin_prefetch(vx->mem->base + after);	/* its guest bytes (vx_tcget) */
		}
		if(vx_hasfrag(vx, eip)){
			vx_tcpass(vx);	/* taken already */
			skip++;
			continue;
		}
		if((vx->mem->page[eip >> VX_PAGESHIFT] & PG_VOLATILE) || vxmem_codebytes(vx, eip) == 0)
			break;
		while(vx->cachetop + FRAGROOM > vx->cachefill && vx->cachefill < vx->cachesize)
			fillcache(vx);
		t = tbegin(vx, eip);
		t->ahead = 1;
		if(vx_tcget(vx, t) != 0)
			break;	/* a miss, or another sandbox's entry: not in order */
		vx->speculating = 1;
		f = fromcache(vx, t, 1);
		vx->speculating = spec;
		if(f == NULL)
			break;
		vx->stats.tchits++;
		vx->stats.tcahead++;
		ords[n] = t->tcord;
		got[n++] = f;
	}
	for(i = 0; i < n; i++){
		if(i + PRELINKAHEAD < n)
			prelinkfetch(vx, got[i + PRELINKAHEAD], ords[i + PRELINKAHEAD]);
		prelink(vx, got[i], ords[i], i + 1 < n ? got[i + 1] : NULL);
	}
}

/* The guest address of the instruction whose jump is f's exit i: the
 * last M_INSN whose code begins at or before the exit's site. */
uint32_t
vx_exitinsn(const Frag *f, int i)
{
	uint32_t off = f->out[i].site - f->code, best = 0, a = f->geip;
	int k;

	for(k = 0; k < f->nmap; k++)
		if(f->map[k].kind == M_INSN && f->map[k].hoff <= off && f->map[k].hoff >= best){
			best = f->map[k].hoff;
			a = f->geip + (uint32_t)(int32_t)(int16_t)f->map[k].goff;
		}
	return a;
}

/* The inside-entry bitmap of a's page; *pg and *bits keep the page last
 * looked up (a translation's instructions run through one or two). */
static uint8_t *
entbits(Vx *vx, uint32_t a, uint32_t *pg, uint8_t **bits)
{
	if((a >> VX_PAGESHIFT) != *pg){
		*pg = a >> VX_PAGESHIFT;
		*bits = entpage(vx, *pg, 1)->bits;
	}
	return *bits;
}

/* Mark a as a place a fragment may be entered at. */
static void
entmark(Vx *vx, uint32_t a, uint32_t *pg, uint8_t **bits)
{
	uint32_t o = a & (VX_PAGE - 1);

	entbits(vx, a, pg, bits)[o >> 3] |= 1 << (o & 7);
}

/*
 * Is eip an instruction a fragment translated before may be entered at
 * (its bit in the page's inside-entry bitmap, vx_findinside's filter)?
 * Where (the host address, 0 if not; *fp the fragment).
 * A translation that reaches one stops there and jumps to it: python3
 * -c pass ran 1,275 of its 16,000 fragments into code translated
 * before, and translated 24,800 of its 184,000 instructions again so.
 * The bits of a fragment since dropped stay (the bitmap is a filter), so
 * a live fragment must be there too: else, after the code of a page
 * changed, every instruction of it became a fragment of its own.  *pg
 * and *bits hold the page whose bitmap was last looked up
 * (vx_translate's, which marks its instructions in it).
 */
static uint32_t
entered(Vx *vx, uint32_t eip, uint32_t *pg, uint8_t **bits, Frag **fp)
{
	uint32_t o = eip & (VX_PAGE - 1);

	if((entbits(vx, eip, pg, bits)[o >> 3] & 1 << (o & 7)) == 0)
		return 0;
	return vx_findinside(vx, eip, NULL, fp);
}

/* Translating at geip for a chain exit whose jump lies at or past geip
 * (a loop's head: the jump goes back to it), that jump's address; else
 * 0.  A loop head's translation does not stop at code translated
 * before: stopping only past this jump left a loop with a second jump
 * back (zlib's longest_match) going through another fragment on every
 * round.  Found once a translation asks (*lj, ~0 until then): the map's
 * search cost python3's start 0.3 ms made at every chain exit. */
static uint32_t
loopjump(Vx *vx, uint32_t geip, uint32_t *lj)
{
	uint32_t j;

	if(*lj == ~0u){
		j = vx->chainf != NULL ? vx_exitinsn(vx->chainf, vx->chainx) : 0;
		*lj = j >= geip ? j : 0;
	}
	return *lj;
}

Frag *
vx_translate(Vx *vx, uint32_t eip, VxTrapInfo *ti)
{
	T *t;
	Frag *f;
	VxInsn in;
	uint8_t ib[VX_MAXINSN + 1];	/* the instruction's bytes, copied once */
	uint32_t avail, geip = eip, body, ientry, epage = ~0u, stopat = 0;
	uint32_t loopj = ~0u, at;
	Frag *stopf = NULL;
	uint8_t *ebits = NULL;
	int n, ninsn, end = 0, i, checked, r, callret = 0;
	uint32_t checksite = 0, flo = 0, fhi = 0, lo, hi;
	VxStats s0;

	if(vx->tover){
		vx_flushcache(vx);	/* metadata past the sandbox's bound */
		arenagiveback(vx);
	}
	if(vx->cachesize - vx->cachetop < FRAGROOM)
		vx_growcache(vx);
	while(vx->cachetop + FRAGROOM > vx->cachefill && vx->cachefill < vx->cachesize)
		fillcache(vx);
	avail = vxmem_codebytes(vx, eip);
	if(avail == 0){
		ti->trap = vxmem_fetchtrap(vx, eip);
		ti->eip = eip;
		ti->addr = eip;
		return NULL;
	}
	vxmem_codeprep(vx, eip);
	t = tbegin(vx, eip);
	s0 = vx->stats;
	if(tcform(vx) && !(vx->mem->page[eip >> VX_PAGESHIFT] & PG_VOLATILE)){
		if((r = vx_tcget(vx, t)) >= 0 && (f = fromcache(vx, t, 0)) != NULL){
			if(r > 0)
				vx->stats.tcshared++;
			else{
				vx->stats.tchits++;
				runahead(vx, f, t->tcord);
			}
			return f;
		}
		vx->stats.tcmisses++;
		t->cmap = NULL;
		t->nmap = t->nexit = 0;
		t->xlo = t->xhi = 0;
		t->x87 = 0;
		t->p = t->start;
	}
	/* its start is an entry even where the map marks none there (an
	 * inlined thunk first, a page whose bytes are checked): prelink's
	 * mayenter, as fromcache marks a cached fragment's */
	entmark(vx, eip, &epage, &ebits);

	/* indirect entry: the target check falls through when it matches
	 * (loop decrements and jumps only on nonzero, without flags), so the
	 * common path has no taken branch; a mismatch goes back to missl */
	e8(t, 0x8d); e8(t, 0x89); e32(t, eip);			/* missl: lea eip(%ecx), %ecx */
	jmpto(t, stubmiss(vx));
	ientry = here(t);
	addmap(t, M_IENTRY, eip, 0, 0);
	e8(t, 0x8d); e8(t, 0x89); e32(t, 1 - eip);		/* lea 1-eip(%ecx), %ecx */
	e8(t, 0xe2); e8(t, (uint8_t)-19);			/* loop missl */
	fsld(t, ECX, S_SPILLC);
	if(!t->lng)		/* the long lookup stub leaves ebx alone */
		fsld(t, EBX, S_SPILLB);
	body = here(t);	/* at BODYOFF in a BODYALIGN block unless the ientry's length changed */
	checked = (vx->mem->page[eip >> VX_PAGESHIFT] & PG_VOLATILE) != 0;
	if(checked){
		e8(t, 0xe9);		/* to the check block, patched below */
		checksite = here(t);
		e32(t, 0);
	}

	for(ninsn = 0; !end; ninsn++){
		if(ninsn == MAXFRAGINSN){
			vx_lflush(t);
			addmap(t, M_TAIL, eip, 0, 0);
			jmpexit(t, eip);
			break;
		}
		if((ninsn > 0 && (eip & (VX_PAGE - 1)) < 16 && samepage(vx, geip, eip) == 0) || !thunkpage(t, eip)
		|| (ninsn > 0 && ((eip + 15) >> VX_PAGESHIFT) != (geip >> VX_PAGESHIFT) && vxmem_codefull(vx, eip + 15))){
			/* stop where protection mode changes: a fragment is checked
			 * or protected as a whole */
			vx_lflush(t);
			addmap(t, M_TAIL, eip, 0, 0);
			jmpexit(t, eip);
			break;
		}
		if(ninsn > 0 && !checked && fhi == 0 && (at = entered(vx, eip, &epage, &ebits, &stopf)) != 0
		&& loopjump(vx, geip, &loopj) == 0){
			/* translated before, enterable there: go on in that
			 * fragment rather than translate its code again (the
			 * exit is linked below); not a loop's head, so that the
			 * loop stays one fragment */
			stopat = at;
			vx_lflush(t);
			addmap(t, M_TAIL, eip, 0, 0);
			jmpexit(t, eip);
			break;
		}
		/* decoded and emitted from one copy: read twice from guest
		 * memory, the bytes could change in between (another guest
		 * thread writing them, the page not yet write-protected), and
		 * bytes never decoded would be copied into the cache */
		avail = vx_codebytes(vx, eip);
		n = avail ? decodeheld(vx, eip, avail, ib, &in) : -1;
		if(checked && n >= 0)
			hold(t, eip, ib, avail);
		if((t->pend || t->pre) && (n <= 0 || !vx_lmerges(t, &in)))
			vx_lflush(t);	/* long: the merged pushes' or pops' esp */
		if(fhi != 0 && n > 0 && (eip < flo || eip + (uint32_t)n > fhi)){
			/* the followed blocks changed since follows read them:
			 * translate nothing outside the range that guards them */
			addmap(t, M_TAIL, eip, 0, 0);
			jmpexit(t, eip);
			break;
		}
		if(n < 0){
			if(ninsn == 0){
				/* the instruction runs off executable memory */
				uint32_t a = eip + avail;
				ti->trap = vxmem_fetchtrap(vx, a);
				ti->eip = eip;
				ti->addr = a;
				return NULL;
			}
			addmap(t, M_TAIL, eip, 0, 0);
			jmpexit(t, eip);
			break;
		}
		if(in.cls == VXC_JMP && !checked && follows(t, &in, geip, eip, ninsn, &lo, &hi)){
			/* no code: the block's translation goes on here */
			vx_lflush(t);
			jmppoint(t, eip);
			t->aend = eip + in.len;
			t->xlo = flo = lo;
			fhi = hi;
			eip = in.target;
			vx->stats.dispatch++;
			continue;
		}
		if(in.cls == VXC_JMP && fhi != 0 && !in.opsize && in.target >= flo && in.target < fhi){
			/* a jmp between followed blocks, inside the span */
			vx_lflush(t);
			jmppoint(t, eip);
			eip = in.target;
			continue;
		}
		if(in.cls == VXC_CALL && !checked && (r = thunkreg(t, &in, geip, eip)) >= 0){
			addmap(t, M_INSN, eip, 0, 0);
			if(t->lng)
				vx_lthunk(t, eip + in.len, r);
			else
				thunk32(t, eip + in.len, r);
			t->xlo = in.target;
			t->xhi = in.target + 4;
			vx->stats.thunks++;
			eip += in.len;
			continue;
		}
		addmap(t, M_INSN, eip, 0, 0);
		if(!checked && t->pend == 0){
			/* guest state exact, nothing pending: a jump may enter */
			t->map[t->nmap - 1].enter = 1;
			entmark(vx, eip, &epage, &ebits);
		}
		if(n == 0 || in.cls == VXC_INVALID){
			/* past the length limit the CPU raises #GP, else #UD */
			trapstub(t, in.toolong ? VX_TRAP_PRIVILEGED : VX_TRAP_ILLEGAL, 0, eip, eip);
			/* the fragment spans every byte the trap was decided on:
			 * an instruction the decoder refused (n == 0: a lock
			 * where none may be, too long) was judged on up to
			 * VX_MAXINSN of them, and a fragment of one byte there
			 * passed a volatile page's check after the bytes behind
			 * it changed (f0 0f 01 26 rewritten as f0 01 03 kept
			 * its #UD: red team, session 22) */
			eip += judged(n, avail);
			break;
		}
		if(vx->trace)
			fprintf(stderr, "vx: %08x %-10s len %d\n", eip, vx_clsname(in.cls), in.len);
		if(t->lng){
			end = vx_translong1(t, ib, &in, eip);
			vx_ljtkey(t, &in, eip);
		}else
			end = translate1(t, ib, &in, eip);
		callret = end && (in.cls == VXC_CALL || in.cls == VXC_CALLIND);
		eip += in.len;
	}

	/* exit stubs */
	for(i = 0; i < t->nexit; i++){
		Exit *x = &t->exit[i];
		uint32_t stub = here(t);
		x->stub = stub;
		addmap(t, M_STUB, (uint32_t)i, 0, 0);	/* the exit's index */
		fsimm8(t, S_LINK, (uint32_t)vx->nfrags << 8 | (uint32_t)i);	/* vx_exitat: this fragment's index (addfrag), the exit's; long: LSTUBLEN bytes in all */
		jmpto(t, t->lng ? vx_lstub(vx, vxlblob_chain) : vx_blobaddr(vxblob_chain32));
		patch32(x->site, stub);
		/* its target (the bucket was prefetched by exitrel): start
		 * fetching the fragment linked to below */
		x->to = x->target == geip ? NULL : vx_findfrag(vx, x->target);
		if(x->to != NULL)
			__builtin_prefetch(x->to);
	}
	if(checked)
		checkblock(t, geip, eip, checksite);
	if(t->lng && validating() && checkfrag(vx, t) < 0){
		ti->trap = VX_TRAP_ILLEGAL;
		ti->eip = geip;
		return NULL;
	}
	t->gend = fhi ? t->aend : eip;
	t->xhi = fhi ? fhi : t->xhi;
	t->ientry = ientry - (uint32_t)(uintptr_t)t->start;
	t->body = body - (uint32_t)(uintptr_t)t->start;
	t->checked = checked;
	t->callret = callret && t->xlo == 0;
	t->dispatch = (int)(vx->stats.dispatch - s0.dispatch);
	t->thunks = (int)(vx->stats.thunks - s0.thunks);
	t->guesses = (int)(vx->stats.guesses - s0.guesses);
	if(tcform(vx) && !checked && !t->nocache)
		vx_tcput(vx, t);
	f = fragdone(vx, t);
	if(stopat != 0 && stopat != stopf->body){
		/* inside: as the exit would be linked when first taken
		 * (fragdone linked a fragment's body) */
		vx_linkexit(vx, f, f->nout - 1, stopf, stopat);
		vx->stats.inside++;
	}
	return f;
}

/*
 * Register the fragment t holds at t->start: its Frag, map and exits in
 * one piece of the arena, the tables that find it (by guest address, by
 * host address, by page, inside entries), and links to and from it.  A
 * fresh translation and one copied from the persistent cache (tcache.c)
 * both end here, so they are alike to the rest of the engine.
 */
static Frag *
fragdone(Vx *vx, T *t)
{
	uint32_t geip = t->geip;
	Frag *f;
	int i;

	/* the map of a fragment from the cache stays in the cache's
	 * private copy of its file, which outlives the Vx's fragments
	 * (vx_tcattach, vx_tcdetach); a mapped file's was copied into the arena (vx_tcget) */
	f = fragalloc(vx, sizeof *f + (t->cmap ? 0 : t->nmap * sizeof(MapEnt)) + t->nexit * sizeof(Out));
	memset(f, 0, sizeof *f);
	if(t->cmap != NULL){
		f->map = t->cmap;
		f->out = (Out *)(f + 1);
	}else{
		memcpy(f + 1, t->map, t->nmap * sizeof(MapEnt));
		f->map = (MapEnt *)(f + 1);
		f->out = (Out *)((MapEnt *)(f + 1) + t->nmap);
	}
	f->geip = geip;
	f->gend = t->gend;
	f->xlo = t->xlo;
	f->xhi = t->xhi;
	f->code = (uint32_t)(uintptr_t)t->start;
	f->ientry = f->code + t->ientry;
	f->body = f->code + t->body;
	f->end = here(t);
	f->checked = (uint8_t)t->checked;
	f->x87 = (uint8_t)t->x87;
	f->callret = (uint8_t)t->callret;
	f->nmap = t->nmap;
	f->nout = t->nexit;
	f->tcent = t->tcent;
	for(i = 0; i < t->nexit; i++){
		f->out[i].site = t->exit[i].site;
		f->out[i].stub = t->exit[i].stub;
		f->out[i].target = t->exit[i].target;
	}
	addfrag(vx, f);
	pageadd(vx, f);
	if(!t->checked)
		entadd(vx, f, vx->nfrags - 1);
	/* link the exits whose targets exist (f itself included) */
	for(i = 0; i < t->nexit; i++){
		Frag *to = t->exit[i].target == geip ? f : t->exit[i].to;
		if(to)
			vx_linkexit(vx, f, i, to, to->body);
	}
	vx->cachetop = (uint32_t)(t->p - vx->cache);
	vx->cachetop = (vx->cachetop + 15) & ~15u;
	vx->stats.fragments++;
	vx->stats.codebytes += (uint32_t)(t->p - t->start);
	perfmap(f, (uint32_t)(t->p - t->start));
	vxmem_markcode(vx, geip, f->gend > geip ? f->gend : geip + 1);
	if(f->xhi > f->xlo)
		vxmem_markcode(vx, f->xlo, f->xhi);
	return f;
}

/* Does [a, a + n) lie in the guest range [geip, gend) or [xlo, xhi)
 * that drops the fragment t describes when written? */
static int
covered(const T *t, uint32_t a, uint32_t n)
{
	uint64_t e = (uint64_t)a + n;

	return (a >= t->geip && e <= t->gend) || (a >= t->xlo && e <= t->xhi);
}

/* The guest instruction at a, decoded again for cachedfields: its length
 * (a refused one's: the bytes it was judged on), -1 if none, or outside
 * the fragment's ranges. */
static int
cachedinsn(Vx *vx, const T *t, uint32_t a, VxInsn *in)
{
	uint8_t b[VX_MAXINSN + 1];
	uint32_t avail = vxmem_codebytes(vx, a), len;
	int n;

	if(avail == 0)
		return -1;
	vx_codecopy(b, vx->mem->base + a, avail);
	if((n = vx_decode(b, avail, a, in)) < 0)
		return -1;
	if(n == 0)
		in->cls = VXC_INVALID;
	len = judged(n, avail);
	return covered(t, a, len) ? (int)len : -1;
}

/*
 * VXVALIDATE=1, a cached fragment: are the fields the file gives and the
 * validator cannot see true of the guest code its map names?  The x87
 * flag (a false 0 would leave the guest's x87 state in the host's
 * registers, or the host's in the guest's: vx_reach) and the ranges
 * [geip, gend), [xlo, xhi) (too short, a write to the code or an munmap
 * would not drop the fragment).  Each instruction the map names, each
 * jmp followed between them (follows: no map entry) and a pc thunk's
 * bytes (a call the fragment goes on after) are decoded again from the
 * guest memory entok compared and protected, and must lie in the
 * ranges; an x87 one needs the flag.  A larger range or a flag set for
 * nothing costs only speed, and is let through.
 */
static int
cachedfields(Vx *vx, const T *t)
{
	VxInsn in;
	uint32_t pc = t->geip, a, last = ~0u, thunk = 0;
	int i, n, hops, kind, x87 = 0;

	for(i = 0; i < t->nmap; i++){
		kind = t->map[i].kind;
		if(kind != M_INSN && kind != M_INNER && kind != M_TAIL)
			continue;
		a = t->geip + (uint32_t)(int32_t)(int16_t)t->map[i].goff;
		/* a point inside the instruction at last (an M_INNER, a rep's
		 * second M_INSN); an instruction start whose entry became
		 * M_INNER (lflagsdead) is at pc */
		if(a == last || (kind == M_INNER && a != pc))
			continue;
		if(thunk != 0 && !covered(t, thunk, 4))
			return 0;
		thunk = 0;
		/* the instructions up to a have no entry: a jmp followed
		 * (follows, or between followed blocks) */
		for(hops = 0; a != pc; hops++){
			if(hops == 4 || cachedinsn(vx, t, pc, &in) < 0 || in.cls != VXC_JMP || in.opsize)
				return 0;
			pc = in.target;
		}
		if(kind == M_TAIL)
			continue;
		if((n = cachedinsn(vx, t, a, &in)) < 0)
			return 0;
		x87 |= vx_lx87insn(&in);
		if(in.cls == VXC_CALL)
			thunk = in.target;	/* the fragment goes on: a thunk's */
		last = a;
		pc = a + (uint32_t)n;
		if(in.cls == VXC_JMP && !in.opsize)
			pc = in.target;	/* a followed jmp's own entry (jmppoint) */
	}
	return !x87 || t->x87;
}

/*
 * f, taken ahead, was made at a chain exit of the fragment at from (the
 * entry says so): link that fragment's exits to f's address, which
 * prelink left unlinked when f was not yet taken (taken by a later run,
 * an exit to it would leave guest code to be linked: python, 1,800 exits
 * a warm start), as prelink or that exit would link them.  An x87 f
 * waits to be reached.
 */
static void
linkfrom(Vx *vx, Frag *f, uint32_t from)
{
	Frag *a;
	int i;

	if(f->x87 || (a = vx_findfrag(vx, from)) == NULL)
		return;
	for(i = 0; i < a->nout; i++)
		if(a->out[i].target == f->geip && unlinked(a, i))
			vx_linkexit(vx, a, i, f, f->body);
}

/* Did a's page take its inside-entry bits from the cache file (the page
 * made here if new)? */
static int
seeded(Vx *vx, uint32_t a)
{
	return entpage(vx, a >> VX_PAGESHIFT, 1)->seeded;
}

/* A fragment the persistent cache put at t->start (vx_tcget): with
 * VXVALIDATE=1 checked by the validator, more strictly than a fresh
 * one; its inside entries marked as a translation marks them; then
 * registered. */
static Frag *
fromcache(Vx *vx, T *t, int ahead)
{
	const MapEnt *map;
	uint32_t a, epage = ~0u;
	uint8_t *ebits = NULL;
	Frag *f;
	int i;

	/* only the long engine keeps a cache (vx_tcattach): compat has no
	 * validator.  The code is trusted as the translator's own unless
	 * VXVALIDATE=1 (doc/translator.md, "Trust": the directory and the
	 * file are the user's alone; validating every cached fragment costs
	 * about what the cache saves) */
	if(!t->lng)
		return NULL;
	if(validating()){
		/* the map checked is the map used: fragdone copies t->map */
		if(t->cmap != NULL)
			memcpy(t->map, t->cmap, t->nmap * sizeof *map);
		t->cmap = NULL;
		if(!cachedfields(vx, t) || checkfrag1(vx, t, 1) < 0)
			return NULL;
	}
	map = t->cmap != NULL ? t->cmap : t->map;
	/* its start too, whether or not the map marks it (prelink's mayenter) */
	entmark(vx, t->geip, &epage, &ebits);
	/* pages whose bits came from the file's page section have its
	 * marks (made by the run that wrote the file): made only so that
	 * fragdone lists it there (entadd) */
	if(seeded(vx, t->geip) && seeded(vx, t->gend - (t->gend > t->geip))
	&& (t->xhi <= t->xlo || (seeded(vx, t->xlo) && seeded(vx, t->xhi - 1))))
		i = t->nmap;
	else
		i = 0;
	for(; i < t->nmap; i++){
		if(!map[i].enter)
			continue;
		a = t->geip + (uint32_t)(int32_t)(int16_t)map[i].goff;
		entmark(vx, a, &epage, &ebits);
	}
	if(t->x87 && !vx->speculating)
		ST32(vx, S_X87) = 1;
	/* taken ahead, its exits are looked up once, by runahead's prelink */
	for(i = 0; i < t->nexit; i++)
		t->exit[i].to = t->exit[i].target == t->geip || ahead ? NULL : vx_findfrag(vx, t->exit[i].target);
	vx->stats.dispatch += (uint64_t)t->dispatch;
	vx->stats.thunks += (uint64_t)t->thunks;
	vx->stats.guesses += (uint64_t)t->guesses;
	f = fragdone(vx, t);
	if(t->tcord != 0)
		vx_tctook(vx, t->tcord - 1, (uint32_t)vx->nfrags - 1);
	/* an indirect target when the entry was made: its slot filled now,
	 * as the runtime fills it at a miss (vx_run, EXIT_LOOKUP), not at
	 * the first miss (python: 2,050 exits a warm start); an x87 one
	 * waits to be reached, as a call's continuation does (prelink) */
	if(t->indirect && !f->x87)
		vx_settarget(vx, t->geip, f);
	if(ahead && t->from != 0)
		linkfrom(vx, f, t->from);
	return f;
}
