/*
 * gen.c — random-instruction program generator for the differential fuzzer.
 *
 *	gen [-f] [-n] [-q] [-b|-w|-z [-v]] SEED K N [listing]
 *
 * writes to stdout a 32-bit x86 assembly program (for gcc -m32 -static
 * -nostdlib) with K test cases of about N random user-mode instructions
 * each.  A case loads seeded random values into the general registers,
 * EFLAGS' arithmetic flags, the xmm registers and a 256-byte scratch
 * buffer, runs its instructions straight through (with a few forward
 * branches, calls and indirect jumps), then prints the registers, the
 * flags, MXCSR, xmm0-7 and the buffer as hex with write(2).  Running the
 * program natively and in the sandbox must print the same text.
 *
 * Rules that keep the output a pure function of the seed:
 *  - %ebp holds scratch+128 for the whole case and %esp is never read or
 *    written except by balanced push/pop and call/ret; every memory
 *    operand lies inside the scratch buffer (or on the stack).
 *  - flags an instruction leaves undefined (Intel SDM) are tracked; no
 *    instruction reads them, and the dump masks them out.
 *  - no division except by a known nonzero, non-overflowing divisor;
 *    bsf/bsr only on nonzero sources; shld/shrd 16-bit counts <= 16.
 *
 * -q: the reference is qemu-i386, which is not exact where these
 * programs look: its cmpxchg8b (7.2) clobbers the arithmetic flags and
 * DF in what pushf sees, where the CPU leaves every flag but ZF alone,
 * so after it only ZF counts as defined (the dump leaves out DF too);
 * it never sets MXCSR.DE (a denormal operand), so the dump leaves that
 * bit out; and where both sources of an SSE add, sub, mul or div are
 * NaNs it returns another NaN than the CPU, so those lanes are made all
 * ones after each (nanpost).  Without -q a seed gives the program it
 * always gave.
 *
 * -n: the cases' initial data is rich in NaNs, infinities and zeros
 * (fpword), so the SSE instructions meet them.  -b, -w, -z: a wrong
 * sandbox's program, for tests; -v with one: the same made harmless
 * (nanwrong).
 *
 * The listing file gets, per case, the instruction lines in order, so a
 * mismatch can be shown with the code that caused it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	CF = 0x001, PF = 0x004, AF = 0x010, ZF = 0x040, SF = 0x080,
	DF = 0x400, OF = 0x800,
	ARITH = CF|PF|AF|ZF|SF|OF,
	BUFSZ = 256,		/* scratch buffer; %ebp points at its middle */
	NXMM = 8,
};

static uint64_t rs;
static int qemuref;		/* -q: see above */
static int nanrich;		/* -n: see fpword */
static unsigned undef;		/* flags currently undefined */
static int ncase, nlabel;
static FILE *lst;
static char mpfx[16];		/* "{disp32} " when a memory operand forces it */
static int keepcl;		/* %cl holds a shift count: mem() must not load %ecx */

static uint32_t
rnd(void)
{
	/* xorshift64*: small, seedable, same on every host */
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (uint32_t)((rs * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint32_t
rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int
chance(int pct)
{
	return (int)rn(100) < pct;
}

/* An immediate, biased toward the edges where flag bugs live. */
static uint32_t
imm(int bits)
{
	static const uint32_t edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x100, 0x10,
	};
	uint32_t v = chance(30) ? edge[rn(sizeof edge / sizeof edge[0])] : rnd();
	if(bits == 8)
		return v & 0xff;
	if(bits == 16)
		return v & 0xffff;
	return v;
}

/* One instruction line: asm text to the program, list text to the listing. */
static void
emit2(const char *as, const char *ls)
{
	printf("\t%s\n", as);
	if(lst)
		fprintf(lst, "\t%s\n", ls);
}

static void
emit(const char *fmt, ...)
{
	char b[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	emit2(b, b);
}

static void
label(const char *l)
{
	printf("%s:\n", l);
	if(lst)
		fprintf(lst, "%s:\n", l);
}

/* --- operands --- */

static const char *r32w[] = { "eax", "ecx", "edx", "ebx", "esi", "edi" };
static const char *r32r[] = { "eax", "ecx", "edx", "ebx", "esi", "edi", "ebp" };
static const char *r16w[] = { "ax", "cx", "dx", "bx", "si", "di" };
static const char *r16r[] = { "ax", "cx", "dx", "bx", "si", "di", "bp" };
static const char *r8[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };

static const char *
wreg(int size)
{
	if(size == 8)
		return r8[rn(8)];
	if(size == 16)
		return r16w[rn(6)];
	return r32w[rn(6)];
}

static int noebp;	/* in a callee whose %ebp is its frame pointer (a
			   stack address, which differs from run to run) */

static const char *
rreg(int size)
{
	if(size == 8)
		return r8[rn(8)];
	if(size == 16)
		return r16r[rn(noebp ? 6 : 7)];
	return r32r[rn(noebp ? 6 : 7)];
}

/* A register mem() may load to build an address. */
static const char *
setupreg(void)
{
	const char *r;

	do
		r = r32w[rn(6)];
	while(keepcl && r[1] == 'c');
	return r;
}

static char
sfx(int size)
{
	return size == 8 ? 'b' : size == 16 ? 'w' : 'l';
}

/* A buffer offset for an access of size bytes aligned to align. */
static int
boff(int size, int align)
{
	int t = (int)rn(BUFSZ - size + 1);
	return t - t % align;
}

/*
 * A memory operand inside the scratch buffer.  Most are %ebp-based with
 * disp8 (sometimes forced disp32); others exercise absolute, base+index,
 * scaled-index-without-base and other-base forms, loading the registers
 * they need first (those loads are part of the case).
 */
/* >0 inside stkrun: memory operands are slots of that many words
 * pushed, addressed from %esp */
static int stkwords;
static int short8;	/* in a body jecxz or loop jumps over */

static const char *
mem(int size, int align)
{
	static char b[96];
	int t = boff(size, align), k, s, x;
	const char *i, *r;

	mpfx[0] = 0;
	if(stkwords > 0 && size <= 4 * stkwords){
		t = (int)rn(4 * stkwords - size + 1);
		t -= t % align;
		if(t == 0 && chance(30))
			snprintf(b, sizeof b, "(%%esp)");
		else
			snprintf(b, sizeof b, "%d(%%esp)", t);
		return b;
	}
	switch(rn(10)){
	case 0:
		snprintf(b, sizeof b, "scratch+%d", t);
		break;
	case 1:
		s = 1 << rn(4);
		k = (int)rn(17) - 8;
		i = setupreg();
		emit("movl $%d, %%%s", k, i);
		snprintf(b, sizeof b, "%d(%%ebp,%%%s,%d)", t - 128 - k * s, i, s);
		break;
	case 2:
		s = 1 << rn(4);
		k = (int)rn(17);
		i = setupreg();
		emit("movl $%d, %%%s", k, i);
		snprintf(b, sizeof b, "scratch+%d(,%%%s,%d)", t - k * s, i, s);
		break;
	case 3:
		x = (int)rn(BUFSZ + 1);
		r = setupreg();
		if(chance(50))
			emit("movl $scratch+%d, %%%s", x, r);
		else
			emit("leal %d(%%ebp), %%%s", x - 128, r);
		snprintf(b, sizeof b, "%d(%%%s)", t - x, r);
		break;
	case 4:
		strcpy(mpfx, "{disp32} ");
		/* fall through */
	default:
		if(t == 128 && chance(50))
			snprintf(b, sizeof b, "(%%ebp)");
		else
			snprintf(b, sizeof b, "%d(%%ebp)", t - 128);
		break;
	}
	return b;
}

/* A plain %ebp-relative operand that loads no registers. */
static const char *
memebp(int size, int align)
{
	static char b[32];

	mpfx[0] = 0;
	snprintf(b, sizeof b, "%d(%%ebp)", boff(size, align) - 128);
	return b;
}

/* Emit one instruction with the memory prefix (if any) in front. */
static void
emitm(const char *fmt, ...)
{
	char b[256], c[280];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	snprintf(c, sizeof c, "%s%s", mpfx, b);
	mpfx[0] = 0;
	emit2(c, c);
}

/* Record the flag effect of the instruction just emitted. */
static void
flags(unsigned def, unsigned und)
{
	undef = (undef & ~def) | und;
}

/* --- condition codes --- */

static const struct { const char *cc; unsigned reads; } conds[] = {
	{ "o", OF }, { "no", OF }, { "b", CF }, { "ae", CF },
	{ "e", ZF }, { "ne", ZF }, { "be", CF|ZF }, { "a", CF|ZF },
	{ "s", SF }, { "ns", SF }, { "p", PF }, { "np", PF },
	{ "l", SF|OF }, { "ge", SF|OF }, { "le", ZF|SF|OF }, { "g", ZF|SF|OF },
};

/* A condition whose flags are all defined now, or NULL. */
static const char *
defcond(void)
{
	int i, n = (int)rn(16);

	for(i = 0; i < 16; i++, n = (n + 1) % 16)
		if(!(conds[n].reads & undef))
			return conds[n].cc;
	return NULL;
}

/* --- instruction classes; each returns 0 when it cannot go now --- */

static int
alu(void)
{
	static const char *ops[] = { "add", "adc", "sub", "sbb", "and", "or", "xor", "cmp", "test", "mov" };
	int op = (int)rn(10), size = 8 << rn(3), s;
	const char *o = ops[op], *m;
	unsigned def = ARITH, und = 0;

	s = sfx(size);
	if((op == 1 || op == 3) && (undef & CF))
		return 0;
	if(op >= 4 && op <= 6)
		def = ARITH & ~AF, und = AF;
	if(op == 8)
		def = ARITH & ~AF, und = AF;
	switch(rn(5)){
	case 0:
		emit("%s%c %%%s, %%%s", o, s, rreg(size), (op == 7 || op == 8) ? rreg(size) : wreg(size));
		break;
	case 1:
		emit("%s%c $0x%x, %%%s", o, s, imm(size), (op == 7 || op == 8) ? rreg(size) : wreg(size));
		break;
	case 2:
		if(op == 8) {	/* test has no mem,reg direction */
			m = mem(size / 8, 1);
			emitm("test%c %%%s, %s", s, rreg(size), m);
			break;
		}
		m = mem(size / 8, 1);
		emitm("%s%c %s, %%%s", o, s, m, op == 7 ? rreg(size) : wreg(size));
		break;
	case 3:
		m = mem(size / 8, 1);
		emitm("%s%c %%%s, %s", o, s, rreg(size), m);
		break;
	default:
		m = mem(size / 8, 1);
		emitm("%s%c $0x%x, %s", o, s, imm(size), m);
		break;
	}
	if(op != 9)
		flags(def, und);
	return 1;
}

static int
unary(void)
{
	static const char *ops[] = { "inc", "dec", "neg", "not" };
	int op = (int)rn(4), size = 8 << rn(3);
	const char *m;

	if(chance(50))
		emit("%s%c %%%s", ops[op], sfx(size), wreg(size));
	else{
		m = mem(size / 8, 1);
		emitm("%s%c %s", ops[op], sfx(size), m);
	}
	if(op < 2)
		flags(OF|SF|ZF|AF|PF, 0);
	else if(op == 2)
		flags(ARITH, 0);
	return 1;
}

/* The destination of a shift/rotate: a register or a buffer operand. */
static void
emitdst(const char *pre, int size)
{
	const char *m;

	if(chance(60))
		emit("%s%%%s", pre, wreg(size));
	else{
		m = mem(size / 8, 1);
		emitm("%s%s", pre, m);
	}
}

static int
shift(void)
{
	static const char *ops[] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sar", "sal" };
	int op = (int)rn(8), size = 8 << rn(3), n, form;
	char pre[32];
	unsigned def, und;

	if((op == 2 || op == 3) && (undef & CF))
		return 0;
	form = (int)rn(3);
	if(form == 2 && chance(30))
		emit("movb $%u, %%cl", rn(40));
	if(form == 0){
		snprintf(pre, sizeof pre, "%s%c ", ops[op], sfx(size));
		n = 1;
	}else if(form == 1){
		n = chance(10) ? (int)rn(256) : (int)rn(33);
		snprintf(pre, sizeof pre, "%s%c $%d, ", ops[op], sfx(size), n);
		n &= 31;
	}else{
		snprintf(pre, sizeof pre, "%s%c %%cl, ", ops[op], sfx(size));
		n = -1;		/* unknown at generation time */
	}
	keepcl = form == 2;
	emitdst(pre, size);
	keepcl = 0;
	if(n == 0)
		return 1;
	if(op < 4) {		/* rotates: CF and OF only */
		if(n == 1)
			flags(CF|OF, 0);
		else if(n > 1)
			flags(CF, OF);
		else
			flags(0, OF);
		return 1;
	}
	if(n == 1){
		flags(CF|SF|ZF|PF|OF, AF);
		return 1;
	}
	if(n > 1){
		def = CF|SF|ZF|PF;
		und = AF|OF;
		if(n >= size && op != 6) {	/* shl/shr past the width: CF undefined */
			def &= ~CF;
			und |= CF;
		}
		flags(def, und);
		return 1;
	}
	/* count in %cl: zero leaves flags alone, else as above */
	und = AF|OF;
	if(size < 32 && op != 6)
		und |= CF;
	flags(0, und);
	return 1;
}

static int
shiftd(void)
{
	int size = chance(50) ? 16 : 32, n;
	const char *op = chance(50) ? "shld" : "shrd", *src = rreg(size);
	char pre[48];

	if(chance(50)){
		n = (int)rn(size == 16 ? 17 : 32);
		snprintf(pre, sizeof pre, "%s%c $%d, %%%s, ", op, sfx(size), n, src);
	}else{
		if(size == 16 || chance(30)){
			n = (int)rn(size == 16 ? 17 : 32);
			emit("movb $%d, %%cl", n);
		}else
			n = -1;
		if(!strcmp(src, "cl") || !strcmp(src, "cx"))
			src = size == 16 ? "bx" : "ebx";
		snprintf(pre, sizeof pre, "%s%c %%cl, %%%s, ", op, sfx(size), src);
		keepcl = 1;
	}
	emitdst(pre, size);
	keepcl = 0;
	if(n == 0)
		return 1;
	if(n == 1)
		flags(CF|SF|ZF|PF|OF, AF);
	else if(n > 1)
		flags(CF|SF|ZF|PF, AF|OF);
	else
		flags(0, AF|OF);
	return 1;
}

static int
mul(void)
{
	int size = 8 << rn(3), form = (int)rn(3);
	const char *m;

	if(form > 0 && size == 8)
		size = 32;
	if(form == 0){
		const char *op = chance(50) ? "mul" : "imul";
		if(chance(50))
			emit("%s%c %%%s", op, sfx(size), rreg(size));
		else{
			m = mem(size / 8, 1);
			emitm("%s%c %s", op, sfx(size), m);
		}
	}else if(form == 1){
		if(chance(50))
			emit("imul%c %%%s, %%%s", sfx(size), rreg(size), wreg(size));
		else{
			m = mem(size / 8, 1);
			emitm("imul%c %s, %%%s", sfx(size), m, wreg(size));
		}
	}else{
		uint32_t v = chance(50) ? (uint32_t)(int32_t)(int8_t)rnd() : imm(size);
		if(size == 16)
			v &= 0xffff;
		if(chance(50))
			emit("imul%c $0x%x, %%%s, %%%s", sfx(size), v, rreg(size), wreg(size));
		else{
			m = mem(size / 8, 1);
			emitm("imul%c $0x%x, %s, %%%s", sfx(size), v, m, wreg(size));
		}
	}
	flags(CF|OF, SF|ZF|AF|PF);
	return 1;
}

/* Division by a divisor loaded just before, chosen so it cannot fault. */
static int
divide(void)
{
	int size = 8 << rn(3);
	uint32_t d;

	if(chance(50)){
		d = 1 + rn(size == 8 ? 255 : 0xfffe);
		if(size == 8){
			emit("movb $0, %%ah");
			emit("movb $%u, %%bl", d);
			emit("divb %%bl");
		}else if(size == 16){
			emit("movw $0, %%dx");
			emit("movw $%u, %%bx", d);
			emit("divw %%bx");
		}else{
			emit("movl $0, %%edx");
			emit("movl $%u, %%ecx", d | rnd() << 16);
			emit("divl %%ecx");
		}
	}else{
		/* sign-extend then divide by |d| >= 2: the quotient always fits */
		d = 2 + rn(100);
		if(size == 8){
			emit("cbtw");
			emit("movb $%u, %%cl", d);
			emit("idivb %%cl");
		}else if(size == 16){
			emit("cwtd");
			emit("movw $%d, %%si", chance(50) ? (int)d : -(int)d);
			emit("idivw %%si");
		}else{
			emit("cltd");
			emit("movl $%d, %%ebx", chance(50) ? (int)d : -(int)d);
			emit("idivl %%ebx");
		}
	}
	flags(0, ARITH);
	return 1;
}

static int
lea(void)
{
	static const char *b16[] = {
		"(%bx,%si)", "(%bx,%di)", "(%bp,%si)", "(%bp,%di)", "(%si)", "(%di)", "(%bx)",
	};
	char a[80], d[24];
	int s = 1 << rn(4);
	int32_t disp;

	switch(rn(4)){
	case 0: disp = 0; break;
	case 1: disp = (int8_t)rnd(); break;
	case 2: disp = (int32_t)rnd(); break;
	default: disp = (int32_t)imm(32); break;
	}
	snprintf(d, sizeof d, "%d", disp);
	switch(rn(7)){
	case 0:	/* base */
		snprintf(a, sizeof a, "%s(%%%s)", disp ? d : "", rreg(32));
		break;
	case 1:	/* base + index*scale */
		snprintf(a, sizeof a, "%s(%%%s,%%%s,%d)", disp ? d : "", rreg(32), rreg(32), s);
		break;
	case 2:	/* index*scale, no base: always disp32 */
		snprintf(a, sizeof a, "%d(,%%%s,%d)", disp, rreg(32), s);
		break;
	case 3:	/* absolute */
		snprintf(a, sizeof a, "%d", disp);
		break;
	case 4:	/* forced disp32 on a base */
		snprintf(a, sizeof a, "%d(%%%s,%%%s,%d)", (int8_t)disp, rreg(32), rreg(32), s);
		emit("{disp32} leal %s, %%%s", a, wreg(32));
		return 1;
	case 5:	/* 16-bit addressing (0x67 prefix) */
		snprintf(a, sizeof a, "%d%s", (int16_t)disp, b16[rn(7)]);
		emit("leaw %s, %%%s", a, wreg(16));
		return 1;
	default:
		snprintf(a, sizeof a, "%s(%%%s,%%%s,%d)", disp ? d : "", rreg(32), rreg(32), s);
		emit("leaw %s, %%%s", a, wreg(16));
		return 1;
	}
	emit("leal %s, %%%s", a, wreg(32));
	return 1;
}

static int
movx(void)
{
	static const struct { const char *op; int from, to; } f[] = {
		{ "movzbl", 8, 32 }, { "movzbw", 8, 16 }, { "movzwl", 16, 32 },
		{ "movsbl", 8, 32 }, { "movsbw", 8, 16 }, { "movswl", 16, 32 },
	};
	int i = (int)rn(6);
	const char *m;

	if(chance(50))
		emit("%s %%%s, %%%s", f[i].op, rreg(f[i].from), wreg(f[i].to));
	else{
		m = mem(f[i].from / 8, 1);
		emitm("%s %s, %%%s", f[i].op, m, wreg(f[i].to));
	}
	return 1;
}

static int
cmovset(void)
{
	const char *cc = defcond(), *m;
	int size = chance(50) ? 16 : 32;

	if(!cc)
		return 0;
	switch(rn(4)){
	case 0:
		emit("cmov%s %%%s, %%%s", cc, rreg(size), wreg(size));
		break;
	case 1:
		m = mem(size / 8, 1);
		emitm("cmov%s %s, %%%s", cc, m, wreg(size));
		break;
	case 2:
		emit("set%s %%%s", cc, wreg(8));
		break;
	default:
		m = mem(1, 1);
		emitm("set%s %s", cc, m);
		break;
	}
	return 1;
}

static int
xchg(void)
{
	int size = 8 << rn(3);
	const char *m;

	switch(rn(4)){
	case 0:
		emit("xchg%c %%%s, %%%s", sfx(size), wreg(size), wreg(size));
		break;
	case 1:
		m = mem(size / 8, 1);
		emitm("xchg%c %%%s, %s", sfx(size), wreg(size), m);
		break;
	case 2:
		emit("bswap %%%s", wreg(32));
		break;
	default:
		emit("xchgl %%eax, %%%s", wreg(32));
		break;
	}
	return 1;
}

static int
bittest(void)
{
	static const char *ops[] = { "bt", "bts", "btr", "btc" };
	const char *o = ops[rn(4)], *m, *r;
	int size = chance(50) ? 16 : 32;

	switch(rn(4)){
	case 0:
		emit("%s%c %%%s, %%%s", o, sfx(size), rreg(size), wreg(size));
		break;
	case 1:
		emit("%s%c $%u, %%%s", o, sfx(size), rn(chance(20) ? 256 : size), wreg(size));
		break;
	case 2:
		m = mem(size / 8, 1);
		emitm("%s%c $%u, %s", o, sfx(size), rn(chance(20) ? 256 : size), m);
		break;
	default:
		/* register bit offset reaches outside the operand: keep it small */
		r = r32w[rn(6)];
		emit("movl $%d, %%%s", (int)rn(1024) - 512, r);
		if(size == 16)
			emit("%sw %%%s, -2(%%ebp)", o, r + 1);
		else
			emit("%sl %%%s, -4(%%ebp)", o, r);
		break;
	}
	flags(CF, OF|SF|AF|PF);
	return 1;
}

static int
bitscan(void)
{
	const char *o = chance(50) ? "bsf" : "bsr";
	int size = chance(50) ? 16 : 32;
	uint32_t bit = 1u << rn(size);
	const char *src, *m;

	if(chance(50)){
		src = rreg(size);
		if(!strcmp(src, "ebp") || !strcmp(src, "bp"))
			src = size == 16 ? "si" : "esi";
		emit("or%c $0x%x, %%%s", sfx(size), bit, src);
		emit("%s%c %%%s, %%%s", o, sfx(size), src, wreg(size));
	}else{
		m = memebp(size / 8, 1);
		emit("or%c $0x%x, %s", sfx(size), bit, m);
		emit("%s%c %s, %%%s", o, sfx(size), m, wreg(size));
	}
	flags(ZF, CF|OF|SF|AF|PF);
	return 1;
}

static int
misc(void)
{
	switch(rn(9)){
	case 0: emit("cbtw"); break;
	case 1: emit("cwtl"); break;
	case 2: emit("cwtd"); break;
	case 3: emit("cltd"); break;
	case 4:
		if(undef & (SF|ZF|AF|PF|CF))
			return 0;
		emit("lahf");
		break;
	case 5:
		emit("sahf");
		flags(SF|ZF|AF|PF|CF, 0);
		break;
	case 6:
		if(undef & CF)
			return 0;
		emit("cmc");
		break;
	case 7: emit("clc"); flags(CF, 0); break;
	default: emit("stc"); flags(CF, 0); break;
	}
	return 1;
}

static int
bcd(void)
{
	char a[32], l[32];
	unsigned v;

	switch(rn(6)){
	case 0:
	case 1:
		if(undef & (CF|AF))
			return 0;
		emit(rn(2) ? "daa" : "das");
		flags(CF|AF|SF|ZF|PF, OF);
		break;
	case 2:
	case 3:
		if(undef & AF)
			return 0;
		emit(rn(2) ? "aaa" : "aas");
		flags(AF|CF, OF|SF|ZF|PF);
		break;
	case 4:
		v = chance(50) ? 10 : 1 + rn(255);
		snprintf(a, sizeof a, ".byte 0xd4, %u", v);
		snprintf(l, sizeof l, "aam $%u", v);
		emit2(a, l);
		flags(SF|ZF|PF, OF|AF|CF);
		break;
	default:
		v = chance(50) ? 10 : rn(256);
		snprintf(a, sizeof a, ".byte 0xd5, %u", v);
		snprintf(l, sizeof l, "aad $%u", v);
		emit2(a, l);
		flags(SF|ZF|PF, OF|AF|CF);
		break;
	}
	return 1;
}

static int
atomics(void)
{
	int size = 8 << rn(3);
	const char *m;

	switch(rn(5)){
	case 0:
		emit("xadd%c %%%s, %%%s", sfx(size), wreg(size), wreg(size));
		break;
	case 1:
		m = mem(size / 8, 1);
		emitm("%sxadd%c %%%s, %s", chance(30) ? "lock " : "", sfx(size), wreg(size), m);
		break;
	case 2:
		emit("cmpxchg%c %%%s, %%%s", sfx(size), rreg(size), wreg(size));
		break;
	case 3:
		m = mem(size / 8, 1);
		emitm("%scmpxchg%c %%%s, %s", chance(30) ? "lock " : "", sfx(size), rreg(size), m);
		break;
	default:
		m = memebp(8, 1);
		emit("cmpxchg8b %s", m);
		flags(ZF, qemuref ? (ARITH | DF) & ~ZF : 0);
		return 1;
	}
	flags(ARITH, 0);
	return 1;
}

static int
pushpop(void)
{
	const char *m;

	switch(rn(6)){
	case 0:
		emit("pushl %%%s", rreg(32));
		emit("popl %%%s", wreg(32));
		break;
	case 1:
		emit("pushl $0x%x", imm(32));
		emit("popl %%%s", wreg(32));
		break;
	case 2:
		emit("pushw %%%s", rreg(16));
		emit("popw %%%s", wreg(16));
		break;
	case 3:
		m = mem(4, 1);
		emitm("pushl %s", m);
		m = mem(4, 1);
		emitm("popl %s", m);
		break;
	case 4:
		emit("pushal");
		emit("movl $0x%x, %%%s", imm(32), wreg(32));
		emit("popal");
		break;
	default:
		if(undef)
			return 0;
		emit("pushfl");
		emit("popl %%%s", wreg(32));
		break;
	}
	return 1;
}

static int
strops(void)
{
	static const char *ops[] = { "movs", "stos", "lods", "scas", "cmps" };
	int op = (int)rn(5), size = 1 << rn(3), n = (int)rn(9), down = chance(25);
	const char *rep = "";
	char s = size == 1 ? 'b' : size == 2 ? 'w' : 'l';

	/* both pointers start where n elements fit in either direction */
	emit("leal %d(%%ebp), %%esi", (int)rn(65) - 32 - (int)rn(size));
	emit("leal %d(%%ebp), %%edi", (int)rn(65) - 32 - (int)rn(size));
	emit("movl $%d, %%ecx", n);
	if(chance(70))
		rep = op >= 3 ? (chance(50) ? "repe " : "repne ") : "rep ";
	if(down)
		emit("std");
	emit("%s%s%c", rep, ops[op], s);
	if(down)
		emit("cld");
	/* cmps/scas set flags unless a rep prefix meets %ecx == 0 */
	if(op >= 3 && (*rep == 0 || n > 0))
		flags(ARITH, 0);
	return 1;
}

/* Explicit segment overrides: %cs/%ss/%ds/%es all reach the same flat
 * guest memory, which the sandbox must keep true (%cs only for reads). */
static int
segovr(void)
{
	static const char *rseg[] = { "cs", "ss", "ds", "es" };
	static const char *wseg[] = { "ss", "ds", "es" };
	static const char *ops[] = { "mov", "add", "xor", "cmp", "sub" };
	int size = 8 << rn(3), op = (int)rn(5), n;
	const char *m, *sg = rseg[rn(4)];

	switch(rn(4)){
	case 0:
	case 1:
		m = mem(size / 8, 1);
		emitm("%s%c %%%s:%s, %%%s", ops[op], sfx(size), sg, m,
		      op == 3 ? rreg(size) : wreg(size));
		break;
	case 2:
		m = mem(size / 8, 1);
		emitm("%s%c %%%s, %%%s:%s", ops[op], sfx(size), rreg(size), wseg[rn(3)], m);
		break;
	default:
		/* string ops take an override on the source operand only */
		emit("leal %d(%%ebp), %%esi", (int)rn(64) - 32);
		emit("leal %d(%%ebp), %%edi", (int)rn(64) - 32);
		n = (int)rn(6);
		emit("movl $%d, %%ecx", n);
		switch(rn(3)){
		case 0:
			emit("rep movsl %%%s:(%%esi), %%es:(%%edi)", sg);
			break;
		case 1:
			emit("lodsw %%%s:(%%esi)", sg);
			break;
		default:
			emit("repe cmpsb %%es:(%%edi), %%%s:(%%esi)", sg);
			if(n > 0)
				flags(ARITH, 0);
			break;
		}
		return 1;
	}
	if(op != 0)
		flags(ARITH, 0);
	return 1;
}

static int
xlat(void)
{
	emit("leal -128(%%ebp), %%ebx");
	emit("xlatb");
	return 1;
}

/*
 * -q: the NaN an SSE add, sub, mul or div returns when both sources are
 * NaNs is the first source's (quieted) on the CPU, but qemu-i386 (7.2)
 * picks by the x87's rule (the larger significand; a QNaN over an SNaN);
 * every other result of those and of the other SSE instructions made
 * here is qemu's as the CPU's (checked against x86-64 code run natively).
 * So with -q each such instruction is bracketed: its sources are saved
 * before (qsave, qsave+16), and after it the lanes where both were NaNs
 * are set to all ones in the destination (a NaN, the same whichever NaN
 * was picked), with xmm(d+1) as scratch, kept in qsave+32.  A NaN where
 * the other side has a number, a different number, another NaN from one
 * NaN source, a flag or MXCSR bit still differ.  In a body a jecxz or
 * loop jumps over (rel8) the bracket would not fit: there such an
 * instruction becomes a min or max, whose NaN qemu gets right.
 *
 * -b, -w, -z make the program a wrong sandbox's, for the tests that the
 * comparison still sees what it must (tests/fuzz_nan.t): after each such
 * instruction, before the bracket, -b flips the sign of the lanes where
 * both sources were NaNs (another NaN: to be tolerated), -w the sign of
 * every NaN result, -z makes every NaN result zero (both to be caught).
 * With -v the same code changes nothing: that program, laid out as the
 * wrong one, gives the reference.
 */
static int wrong;	/* 'b', 'w', 'z' or 0 */
static int harmless;	/* -v */

/* 'p' or 's' (packed or scalar) and the lane width for an instruction
 * whose two-NaN choice qemu gets wrong, else 0 */
static int
nanlanes(const char *op, int *w)
{
	size_t n = strlen(op);

	if(n != 5 || (strncmp(op, "add", 3) != 0 && strncmp(op, "sub", 3) != 0 &&
	   strncmp(op, "mul", 3) != 0 && strncmp(op, "div", 3) != 0))
		return 0;
	if(op[4] != 's' && op[4] != 'd')
		return 0;
	if(op[3] != 'p' && op[3] != 's')
		return 0;
	*w = op[4] == 's' ? 32 : 64;
	return op[3];
}

/* the instruction to emit in place of op */
static const char *
nanop(const char *op)
{
	static char b[4][8];
	static int i;
	int w;

	if(!(qemuref || wrong) || !short8 || !nanlanes(op, &w))
		return op;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "%s%s", op[0] == 'a' || op[0] == 'm' ? "min" : "max", op + 3);
	return b[i];
}

/* before op src, %xmmd: save both sources */
static void
nanpre(const char *op, const char *src, int d)
{
	int w;

	if(!(qemuref || wrong) || !nanlanes(op, &w))
		return;
	emit("movdqa %%xmm%d, qsave", d);
	if(src[0] == '%')
		emit("movdqa %s, qsave+16", src);
}

/* %xmmx (saved in qsave+32) := all ones in the lanes where both sources
 * of op were NaNs; qsave is left holding the first's mask */
static void
nanboth(int k, int w, const char *src, int x)
{
	const char *ld, *sz;

	sz = w == 32 ? "s" : "d";
	/* a scalar's sources are loaded alone (the other lanes zero): the
	 * instruction leaves those lanes as they were */
	ld = k == 's' ? (w == 32 ? "movss" : "movsd") : "movdqu";
	emit("movdqa %%xmm%d, qsave+32", x);
	emit("%s qsave, %%xmm%d", ld, x);
	emit("cmpunord%c%s %%xmm%d, %%xmm%d", k, sz, x, x);
	emit("movdqa %%xmm%d, qsave", x);
	emit("%s %s, %%xmm%d", ld, src[0] == '%' ? "qsave+16" : src, x);
	emit("cmpunord%c%s %%xmm%d, %%xmm%d", k, sz, x, x);
	emit("andps qsave, %%xmm%d", x);
}

/* -w, -z: the NaN results of op in %xmmd made wrong */
static void
nanwrong(int k, int w, int d, int x)
{
	const char *sz = w == 32 ? "s" : "d";

	emit("movdqa %%xmm%d, qsave+48", x);
	if(k == 's'){
		emit("xorps %%xmm%d, %%xmm%d", x, x);
		emit("movs%s %%xmm%d, %%xmm%d", sz, d, x);
	}else
		emit("movdqa %%xmm%d, %%xmm%d", d, x);
	emit("cmpunord%c%s %%xmm%d, %%xmm%d", k, sz, x, x);
	/* -v: instructions of the same lengths that change nothing kept */
	if(wrong == 'w'){
		emit("pslld $31, %%xmm%d", x);
		emit("xorps %%xmm%d, %%xmm%d", x, harmless ? x : d);
	}else{
		emit("andnps %%xmm%d, %%xmm%d", harmless ? x : d, x);
		emit("movdqa %%xmm%d, %%xmm%d", harmless ? d : x, d);
	}
	emit("movdqa qsave+48, %%xmm%d", x);
}

/* after it: the lanes where both sources were NaNs set to all ones */
static void
nanpost(const char *op, const char *src, int d)
{
	int w, k, x = (d + 1) % NXMM;

	if(!(qemuref || wrong) || !(k = nanlanes(op, &w)))
		return;
	if(wrong == 'w' || wrong == 'z')
		nanwrong(k, w, d, x);
	if(!qemuref && wrong != 'b')
		return;
	nanboth(k, w, src, x);
	if(wrong == 'b'){
		emit("movdqa %%xmm%d, qsave", x);
		emit("pslld $31, %%xmm%d", x);
		emit("xorps %%xmm%d, %%xmm%d", x, harmless ? x : d);
		emit("movdqa qsave, %%xmm%d", x);
	}
	if(qemuref)
		emit("orps %%xmm%d, %%xmm%d", x, d);
	emit("movdqa qsave+32, %%xmm%d", x);
}

/* op src, %xmmd: a source register or memory operand, bracketed */
static void
fpop(const char *op, const char *src, int d)
{
	op = nanop(op);
	nanpre(op, src, d);
	if(src[0] == '%')
		emit("%s %s, %%xmm%d", op, src, d);
	else
		emitm("%s %s, %%xmm%d", op, src, d);
	nanpost(op, src, d);
}

static int
sse(void)
{
	static const char *binop[] = {
		"paddb", "paddw", "paddd", "paddq", "psubb", "psubw", "psubd", "psubq",
		"paddsb", "paddsw", "paddusb", "paddusw", "psubsb", "psubsw", "psubusb", "psubusw",
		"pmullw", "pmulhw", "pmulhuw", "pmuludq", "pmaddwd", "pand", "pandn", "por", "pxor",
		"pcmpeqb", "pcmpeqw", "pcmpeqd", "pcmpgtb", "pcmpgtw", "pcmpgtd",
		"packsswb", "packssdw", "packuswb", "punpcklbw", "punpcklwd", "punpckldq",
		"punpcklqdq", "punpckhbw", "punpckhwd", "punpckhdq", "punpckhqdq",
		"pavgb", "pavgw", "pmaxsw", "pmaxub", "pminsw", "pminub", "psadbw",
		"psllw", "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw", "psrad",
		"addps", "subps", "mulps", "divps", "minps", "maxps", "andps", "andnps", "orps",
		"xorps", "unpcklps", "unpckhps", "addpd", "subpd", "mulpd", "divpd", "minpd",
		"maxpd", "sqrtps", "sqrtpd", "cvtdq2ps", "cvttps2dq", "cvtps2dq", "cvtps2pd",
		"cvtpd2ps", "cvtdq2pd", "movdqa", "movaps", "movapd",
	};
	static const char *scalar[] = {
		"addss", "subss", "mulss", "minss", "maxss", "addsd", "subsd", "mulsd",
		"minsd", "maxsd", "sqrtsd",
	};
	static const char *shimm[] = {
		"psllw", "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw", "psrad",
		"pslldq", "psrldq",
	};
	static const char *shuf[] = { "pshufd", "pshuflw", "pshufhw", "shufps", "shufpd" };
	static const char *cmpf[] = { "comiss", "ucomiss", "comisd", "ucomisd" };
	int a = (int)rn(NXMM), b = (int)rn(NXMM);
	const char *m;
	char r[8];

	switch(rn(12)){
	case 0: case 1: case 2:
		snprintf(r, sizeof r, "%%xmm%d", a);
		fpop(binop[rn(sizeof binop / sizeof binop[0])], r, b);
		break;
	case 3:
		m = mem(16, 16);
		fpop(binop[rn(sizeof binop / sizeof binop[0])], m, b);
		break;
	case 4:
		if(chance(50)){
			snprintf(r, sizeof r, "%%xmm%d", a);
			fpop(scalar[rn(sizeof scalar / sizeof scalar[0])], r, b);
		}else{
			m = mem(8, 8);
			fpop(scalar[rn(sizeof scalar / sizeof scalar[0]) % 5 + 5], m, b);
		}
		break;
	case 5:
		emit("%s $%u, %%xmm%d", shimm[rn(10)], rn(chance(20) ? 256 : 20), b);
		break;
	case 6:
		emit("%s $0x%x, %%xmm%d, %%xmm%d", shuf[rn(5)], rn(256), a, b);
		break;
	case 7:
		switch(rn(8)){
		case 0: emit("movd %%%s, %%xmm%d", rreg(32), b); break;
		case 1: emit("movd %%xmm%d, %%%s", a, wreg(32)); break;
		case 2: emit("pmovmskb %%xmm%d, %%%s", a, wreg(32)); break;
		case 3: emit("movmskps %%xmm%d, %%%s", a, wreg(32)); break;
		case 4: emit("pextrw $%u, %%xmm%d, %%%s", rn(8), a, wreg(32)); break;
		case 5: emit("pinsrw $%u, %%%s, %%xmm%d", rn(8), rreg(32), b); break;
		case 6: emit("cvtsi2sd %%%s, %%xmm%d", rreg(32), b); break;
		default: emit("cvttsd2si %%xmm%d, %%%s", a, wreg(32)); break;
		}
		break;
	case 8:
		m = mem(16, 1);
		if(chance(50))
			emitm("movdqu %s, %%xmm%d", m, b);
		else
			emitm("movdqu %%xmm%d, %s", a, m);
		break;
	case 9:
		if(chance(50)){
			m = mem(8, 1);
			emitm("movq %%xmm%d, %s", a, m);
		}else{
			m = mem(4, 1);
			emitm("movd %s, %%xmm%d", m, b);
		}
		break;
	case 10:
		emit("%s %%xmm%d, %%xmm%d", cmpf[rn(4)], a, b);
		flags(ARITH, 0);
		break;
	default:
		emit("cmpps $%u, %%xmm%d, %%xmm%d", rn(8), a, b);
		break;
	}
	return 1;
}

/* --- control flow inside a case --- */

static int straight(void);

static int
forward(void)
{
	char l[32], t[32];
	const char *cc = NULL, *r;
	unsigned before;
	int i, n, kind = (int)rn(6);

	snprintf(l, sizeof l, ".Lf%d_%d", ncase, nlabel++);
	switch(kind){
	case 0: case 1: case 2:
		if(!(cc = defcond()))
			return 0;
		emit("%sj%s %s", chance(30) ? "{disp32} " : "", cc, l);
		break;
	case 3:
		emit(rn(2) ? "jecxz %s" : "loop %s", l);
		break;
	case 4:
		/* an indirect jump over the body */
		r = r32w[rn(6)];
		if(chance(50)){
			emit("movl $%s, %%%s", l, r);
			emit("jmp *%%%s", r);
		}else{
			emit("movl $%s, -4(%%ebp)", l);
			emit("jmp *-4(%%ebp)");
		}
		break;
	default:
		/* a call to the body, which returns and is jumped over */
		snprintf(t, sizeof t, ".Lt%d_%d", ncase, nlabel++);
		emit("call %s", t);
		emit("jmp %s", l);
		label(t);
		before = undef;
		for(n = 1 + (int)rn(3), i = 0; i < n; )
			i += straight();
		emit("ret");
		label(l);
		(void)before;
		return 1;
	}
	before = undef;
	short8 = kind == 3;
	for(n = 1 + (int)rn(3), i = 0; i < n; )
		i += straight();
	short8 = 0;
	label(l);
	undef |= before;	/* defined only if defined on both paths */
	return 1;
}

/*
 * Pushes, instructions on the pushed words as stack slots, pops into
 * registers: the long engine addresses such slots from the esp of the
 * run of pushes they are in (translong.c, stkslot).  Slots only where
 * the pushes put words, so the output is defined; a push of a slot in
 * the middle sometimes.
 */
static int
stkrun(void)
{
	static int (*const cls[])(void) = { alu, unary, shift, mul, movx, cmovset };
	int np = 1 + (int)rn(6), i, k;

	if(stkwords > 0 || short8)
		return 0;	/* nested, or in a body a rel8 jumps over */
	for(i = 0; i < np; i++)
		if(chance(70))
			emit("pushl %%%s", rreg(32));
		else
			emit("pushl $0x%x", imm(32));
	if(chance(30)){
		/* a frame: sub $imm,%esp (its flags depend on where the stack
		 * is: left undefined), its words stored before use */
		k = 1 + (int)rn(3);
		emit("subl $%d, %%esp", 4 * k);
		flags(0, ARITH);
		for(i = 0; i < k; i++)
			emit("movl $0x%x, %d(%%esp)", imm(32), 4 * i);
		np += k;
	}
	stkwords = np;
	for(k = 1 + (int)rn(4); k > 0; k--){
		if(chance(15)){
			emit("pushl %d(%%esp)", 4 * (int)rn(np));
			stkwords = ++np;
		}
		cls[rn(sizeof cls / sizeof cls[0])]();
	}
	stkwords = 0;
	for(i = 0; i < np; i++)
		emit("popl %%%s", wreg(32));
	return 1;
}

/*
 * The shapes the warm forms and the cached take are made for (doc/
 * translator.md, "djpeg's call", "Jump tables"): a call site's run of
 * pushes or a frame's sub with esp-relative argument stores, the call
 * straight to the callee or through a PLT-like `jmp *slot`, the callee's
 * prologue (a frame pointer, saved registers, locals), its loads of the
 * arguments, ret or ret $n, and the caller's add/lea of esp or pops.
 * Callees go to .text subsection depth+1, emitted in the order they run,
 * so the flags the generator tracks are those at the callee's entry.
 */
static int depth;	/* callees being generated around this point */
static int callsite(void);

static void
textsub(int sub)
{
	printf("\t.text %d\n", sub);
}

/*
 * With -f: now and then a push or store through page 0 inside a run (a
 * call site's, a prologue's), which faults; the program's SIGSEGV
 * handler adds the fault's eip, esp (from the start's) and address into
 * the scratch buffer and goes on past the instruction (2 bytes), so the
 * state a fault inside a run reports is compared.  A faulting push
 * pushes nothing.  Never without -f: the runner must deliver signals.
 */
static int faults;
static const char *keepreg;	/* holds a PIC base maybefault must not load */

static void
maybefault(int store)
{
	const char *r;

	if(!faults || !chance(12))
		return;
	do
		r = r32w[rn(6)];
	while(r == keepreg);
	emit("movl $%u, %%%s", 16 * rn(200), r);
	if(store)
		emit("movl %%%s, (%%%s)", rreg(32), r);
	else
		emit("pushl (%%%s)", r);
}

static void
callee(const char *fn, int nargs, int retpop)
{
	static int (*const cls[])(void) = { alu, unary, shift, mul, movx, cmovset };
	static const char *save[] = { "ebx", "esi", "edi" };
	int frame = chance(50), nsave = (int)rn(4), nloc = 1 + (int)rn(4), i, k, up;
	int sw = stkwords, ne = noebp;

	label(fn);
	if(frame){
		emit("pushl %%ebp");
		emit("movl %%esp, %%ebp");
		noebp = 1;
	}
	for(i = 0; i < nsave; i++){
		emit("pushl %%%s", save[i]);
		maybefault(0);
	}
	if(chance(70)){
		/* sub's flags depend on where the stack is: undefined */
		emit("subl $%d, %%esp", 4 * nloc);
		flags(0, ARITH);
		for(i = 0; i < nloc; i++)
			emit("movl $0x%x, %d(%%esp)", imm(32), 4 * i);
	}else
		for(i = 0; i < nloc; i++)
			emit("pushl $0x%x", imm(32));
	/* the arguments, above the locals, saved registers, frame and
	 * return address */
	up = 4 * (nloc + nsave + frame + 1);
	for(i = 0; i < nargs; i++)
		if(chance(60)){
			if(frame && chance(50))
				emit("movl %d(%%ebp), %%%s", 8 + 4 * i, r32w[rn(6)]);
			else
				emit("movl %d(%%esp), %%%s", up + 4 * i, r32w[rn(6)]);
		}
	depth++;
	for(k = 1 + (int)rn(4); k > 0; k--){
		if(!frame && chance(15)){
			stkwords = 0;	/* a call from the callee: scratch by %ebp */
			callsite();
			stkwords = nloc;
			continue;
		}
		stkwords = nloc;
		cls[rn(sizeof cls / sizeof cls[0])]();
	}
	depth--;
	stkwords = sw;
	if(frame){
		if(nsave == 0 && chance(50))
			emit("leave");
		else{
			emit("leal %d(%%ebp), %%esp", -4 * nsave);
			for(i = nsave - 1; i >= 0; i--)
				emit("popl %%%s", save[i]);
			emit("popl %%ebp");
		}
		noebp = ne;
	}else{
		if(chance(50)){
			emit("addl $%d, %%esp", 4 * nloc);
			flags(0, ARITH);
		}else
			emit("leal %d(%%esp), %%esp", 4 * nloc);
		for(i = nsave - 1; i >= 0; i--)
			emit("popl %%%s", save[i]);
	}
	if(retpop)
		emit("ret $%d", 4 * nargs);
	else
		emit("ret");
}

/*
 * A call site's run that goes up and down before its call (the red team
 * of session 25 found the pending change's bounds so): pushes, pops, add
 * and sub of esp, each word read only where the run stored it since it
 * was pushed or made by a sub (a signal's frame may land on words an add
 * gave back).  Returns the words left for the callee, all stored.
 */
enum { MIXMAX = 16 };

static int
mixrun(void)
{
	int def[MIXMAX], d = 0, ops = 3 + (int)rn(10), i, j, k;
	const char *r;

	for(; ops > 0; ops--){
		maybefault(0);
		switch(rn(6)){
		case 0: case 1:
			if(d == MIXMAX)
				break;
			for(k = -1, i = 0; i < d && k < 0; i++)
				if(def[i] && chance(20))
					k = i;
			if(k >= 0)
				emit("pushl %d(%%esp)", 4 * (d - 1 - k));
			else if(chance(60))
				emit("pushl %%%s", rreg(32));
			else
				emit("pushl $0x%x", imm(32));
			def[d++] = 1;
			break;
		case 2:
			if(d > 0 && def[d - 1]){
				do
					r = wreg(32);
				while(r == keepreg);	/* a PIC PLT's base */
				emit("popl %%%s", r);
				d--;
			}
			break;
		case 3:
			if(d == 0)
				break;
			j = 1 + (int)rn((uint32_t)d);
			emit("addl $%d, %%esp", 4 * j);
			flags(0, ARITH);
			d -= j;
			break;
		default:
			j = 1 + (int)rn(4);
			if(d + j > MIXMAX)
				break;
			emit("subl $%d, %%esp", 4 * j);
			flags(0, ARITH);
			for(i = 0; i < j; i++)
				def[d + i] = 0;
			d += j;
			for(i = 0; i < j; i++)
				if(chance(60)){
					emit("movl $0x%x, %d(%%esp)", imm(32), 4 * i);
					def[d - 1 - i] = 1;
				}
			break;
		}
	}
	for(i = 0; i < d; i++)
		if(!def[i])
			emit("movl %%%s, %d(%%esp)", rreg(32), 4 * (d - 1 - i));
	return d;
}

static int
callsite(void)
{
	char fn[32], plt[32];
	int nargs = (int)rn(5), pad = chance(40) ? (int)rn(4) : 0, retpop, i, n, w, k, how, got;
	const char *b = NULL, *x;

	if(stkwords > 0 || short8 || depth >= 2)
		return 0;
	snprintf(fn, sizeof fn, ".Lfn%d_%d", ncase, nlabel++);
	snprintf(plt, sizeof plt, ".Lplt%d_%d", ncase, nlabel++);
	retpop = nargs > 0 && chance(25);
	/* how: 0-5 a PLT's jmp *slot, 6-8 a PIC PLT's jmp *off(%b), the
	 * base loaded by a pc thunk first (i386 PIC code keeps %ebx so),
	 * 9-10 call *%reg, 11 call *slot, else a direct call */
	how = (int)rn(20);
	got = 4 * (int)rn(8);
	if(how >= 6 && how <= 8){
		b = r32w[rn(6)];
		emit("call %s.thunk", plt);
		textsub(depth + 1);
		printf("%s.thunk:\n\tmovl (%%esp), %%%s\n\tret\n", plt, b);
		textsub(depth);
		emit("addl $%s.got - %d - ., %%%s", plt, got, b);
		flags(ARITH, 0);
		keepreg = b;
	}
	if(pad > 0){
		emit("subl $%d, %%esp", 4 * pad);	/* gcc's alignment */
		flags(0, ARITH);
	}
	if(chance(20)){
		nargs = mixrun();
		retpop = retpop && nargs > 0;
	}else if(chance(35)){
		/* mov-style: the frame made at once, the arguments stored */
		emit("subl $%d, %%esp", 4 * nargs);
		flags(0, ARITH);
		for(i = 0, k = (int)rn(5); i < nargs; i++, k++){
			if(chance(60))
				emit("movl %%%s, %d(%%esp)", rreg(32), 4 * (k % nargs));
			else
				emit("movl $0x%x, %d(%%esp)", imm(32), 4 * (k % nargs));
			maybefault(1);
		}
	}else
		for(i = 0, n = 0; i < nargs; i++, n++){
			maybefault(0);
			w = (int)rn(10);
			if(w < 5)
				emit("pushl %%%s", rreg(32));
			else if(w < 8 || n == 0)
				emit("pushl $0x%x", imm(32));
			else
				emit("pushl %d(%%esp)", 4 * (int)rn(n));
		}
	keepreg = NULL;
	if(how <= 8 || how == 11)
		printf("\t.data\n%s.got:\t.long %s\n\t.text %d\n", plt, fn, depth);
	if(how <= 8){
		emit("call %s", plt);
		textsub(depth + 1);
		label(plt);
		if(b != NULL)
			emit("jmp *%d(%%%s)", got, b);
		else
			emit("jmp *%s.got", plt);
	}else if(how <= 10){
		x = r32w[rn(6)];
		emit("movl $%s, %%%s", fn, x);
		emit("call *%%%s", x);
		textsub(depth + 1);
	}else if(how == 11){
		emit("call *%s.got", plt);
		textsub(depth + 1);
	}else{
		emit("call %s", fn);
		textsub(depth + 1);
	}
	callee(fn, nargs, retpop);
	textsub(depth);
	/* the caller's cleanup of what the callee did not pop */
	n = pad + (retpop ? 0 : nargs);
	if(n == 0)
		return 1;
	switch(rn(pad > 0 ? 2 : 3)){	/* pad words are the stack's old contents */
	case 0:
		emit("addl $%d, %%esp", 4 * n);
		flags(0, ARITH);
		break;
	case 1:
		emit("leal %d(%%esp), %%esp", 4 * n);
		break;
	default:
		for(i = 0; i < n; i++)
			emit("popl %%%s", wreg(32));
		break;
	}
	return 1;
}

/*
 * A switch through a jump table: glibc's PIC form (a pc thunk, the
 * table's entries relative to the table in .rodata, `add (%b,%i,4),%b;
 * jmp *%b`, which the long engine translates through a slice of slots,
 * translong.c jtsite) or an absolute one (`jmp *T(,%i,4)`).
 */
static int
jumptable(void)
{
	char t[32], e[32], c[48];
	const char *x, *b;
	unsigned before, after;
	int n = 2 + (int)rn(4), pic = chance(60), i, k;

	if(stkwords > 0 || short8)
		return 0;
	snprintf(t, sizeof t, ".Ljt%d_%d", ncase, nlabel++);
	snprintf(e, sizeof e, ".Lje%d_%d", ncase, nlabel++);
	x = r32w[rn(6)];
	do
		b = r32w[rn(6)];
	while(b == x);
	emit("movl $%d, %%%s", (int)rn((uint32_t)n), x);
	if(pic){
		emit("call %s.thunk", t);
		textsub(depth + 1);
		printf("%s.thunk:\n\tmovl (%%esp), %%%s\n\tret\n", t, b);
		textsub(depth);
		emit("addl $%s - ., %%%s", t, b);
		emit("addl (%%%s,%%%s,4), %%%s", b, x, b);
		emit("jmp *%%%s", b);
		flags(ARITH, 0);
	}else
		emit("jmp *%s(,%%%s,4)", t, x);
	printf("\t.section .rodata\n\t.align 4\n%s:\n", t);
	for(i = 0; i < n; i++)
		printf(pic ? "\t.long %s.c%d - %s\n" : "\t.long %s.c%d\n", t, i, t);
	textsub(depth);
	before = undef;
	after = 0;
	for(i = 0; i < n; i++){
		undef = before;
		snprintf(c, sizeof c, "%s.c%d", t, i);
		label(c);
		for(k = 1 + (int)rn(2); k > 0; )
			k -= straight();
		after |= undef;
		if(i < n - 1)
			emit("jmp %s", e);
	}
	label(e);
	undef = after;
	return 1;
}

/* One straight-line unit; returns 1 when something was emitted. */
static int
straight(void)
{
	int w = (int)rn(110);

	if(w < 16) return alu();
	if(w < 22) return unary();
	if(w < 32) return shift();
	if(w < 36) return shiftd();
	if(w < 42) return mul();
	if(w < 44) return divide();
	if(w < 50) return lea();
	if(w < 54) return movx();
	if(w < 60) return cmovset();
	if(w < 63) return xchg();
	if(w < 67) return bittest();
	if(w < 69) return bitscan();
	if(w < 73) return misc();
	if(w < 76) return bcd();
	if(w < 80) return atomics();
	if(w < 83) return pushpop();
	if(w < 86) return strops();
	if(w < 87) return xlat();
	if(w < 90) return segovr();
	if(w < 96) return sse();
	if(w < 100) return stkrun();
	if(w < 107) return callsite();
	return jumptable();
}

/* --- program skeleton --- */

static const char prologue[] =
	"# generated by tests/fuzz/gen.c; do not edit\n"
	"\t.section .note.GNU-stack,\"\",@progbits\n"
	"\t.bss\n"
	"\t.align 64\n"
	"scratch:\t.space 256\n"
	"xsave:\t.space 128\n"
	"mxsave:\t.space 4\n"
	"casenum:\t.space 4\n"
	"mode:\t.space 4\n"		/* argv[1]'s letters: 1 w, 2 a, 4 s, 8 e, 16 W, 32 F */
	"tfbit:\t.space 4\n"		/* 0x100 with s: each case runs with TF */
	"steps:\t.space 4\n"		/* SIGTRAPs in this case */
	"stepsum:\t.space 4\n"	/* and a sum of their eips and esps */
	"nalarm:\t.space 4\n"
	"nsegv:\t.space 4\n"
	"esp0:\t.space 4\n"
	"hmx:\t.space 4\n"
	"sigact:\t.space 20\n"
	"outbuf:\t.space 2048\n"
	"\t.data\n"
	"hexdig:\t.ascii \"0123456789abcdef\"\n"
	"itv:\t.long 0, 47, 0, 47\n"	/* ITIMER_REAL every 47 us */
	"\t.text\n"
	"# load_case: %esi = initial buffer (256) then xmm0-7 (128)\n"
	"load_case:\n"
	"\tcld\n"
	"\tmovl $scratch, %edi\n"
	"\tmovl $64, %ecx\n"
	"1:\tmovl (%esi), %eax\n"
	"\tmovl %eax, (%edi)\n"
	"\taddl $4, %esi\n"
	"\taddl $4, %edi\n"
	"\tdecl %ecx\n"
	"\tjnz 1b\n"
	"\tmovdqu 0(%esi), %xmm0\n"
	"\tmovdqu 16(%esi), %xmm1\n"
	"\tmovdqu 32(%esi), %xmm2\n"
	"\tmovdqu 48(%esi), %xmm3\n"
	"\tmovdqu 64(%esi), %xmm4\n"
	"\tmovdqu 80(%esi), %xmm5\n"
	"\tmovdqu 96(%esi), %xmm6\n"
	"\tmovdqu 112(%esi), %xmm7\n"
	"\tmovl $0x1f80, mxsave\n"
	"\tldmxcsr mxsave\n"
	"\tret\n"
	"# hex32: %eax -> 8 hex digits at (%edi)+; clobbers %ebx %ecx %edx\n"
	"hex32:\n"
	"\tmovl $8, %ecx\n"
	"1:\troll $4, %eax\n"
	"\tmovl %eax, %edx\n"
	"\tandl $15, %edx\n"
	"\tmovb hexdig(%edx), %bl\n"
	"\tmovb %bl, (%edi)\n"
	"\tincl %edi\n"
	"\tdecl %ecx\n"
	"\tjnz 1b\n"
	"\tret\n"
	"# hexbytes: %esi bytes, %ebp count -> hex at (%edi)+\n"
	"hexbytes:\n"
	"1:\tmovzbl (%esi), %eax\n"
	"\tmovl %eax, %edx\n"
	"\tshrl $4, %edx\n"
	"\tmovb hexdig(%edx), %bl\n"
	"\tmovb %bl, (%edi)\n"
	"\tandl $15, %eax\n"
	"\tmovb hexdig(%eax), %bl\n"
	"\tmovb %bl, 1(%edi)\n"
	"\taddl $2, %edi\n"
	"\tincl %esi\n"
	"\tdecl %ebp\n"
	"\tjnz 1b\n"
	"\tret\n"
	"# tag: line start \"CCCCCCCC k \" for line kind %al\n"
	"tag:\n"
	"\tpushl %eax\n"
	"\tmovl casenum, %eax\n"
	"\tcall hex32\n"
	"\tpopl %eax\n"
	"\tmovb $' ', (%edi)\n"
	"\tmovb %al, 1(%edi)\n"
	"\tmovb $' ', 2(%edi)\n"
	"\taddl $3, %edi\n"
	"\tret\n"
	"# dump: stack = ret, pushal (edi esi ebp esp ebx edx ecx eax), eflags, mask\n"
	"dump:\n"
	"\tpushfl\n"			/* TF off (mode s): the dump is not stepped */
	"\tandl $0xfffffeff, (%esp)\n"
	"\tpopfl\n"
	"\tstmxcsr mxsave\n"
	"\tmovdqu %xmm0, xsave+0\n"
	"\tmovdqu %xmm1, xsave+16\n"
	"\tmovdqu %xmm2, xsave+32\n"
	"\tmovdqu %xmm3, xsave+48\n"
	"\tmovdqu %xmm4, xsave+64\n"
	"\tmovdqu %xmm5, xsave+80\n"
	"\tmovdqu %xmm6, xsave+96\n"
	"\tmovdqu %xmm7, xsave+112\n"
	"\tcld\n"
	"\tmovl $outbuf, %edi\n"
	"\tmovb $'r', %al\n"
	"\tcall tag\n"
	"\tmovl $32, %esi\n"
	"2:\tmovl (%esp,%esi), %eax\n"
	"\tcall hex32\n"
	"\tmovb $' ', (%edi)\n"
	"\tincl %edi\n"
	"\tsubl $4, %esi\n"
	"\tcmpl $16, %esi\n"
	"\tjne 3f\n"
	"\tsubl $4, %esi\n"	/* skip the saved %esp */
	"3:\tcmpl $0, %esi\n"
	"\tjne 2b\n"
	"\tmovl 36(%esp), %eax\n"
	"\tandl 40(%esp), %eax\n"
	"\tcall hex32\n"
	"\tmovb $' ', (%edi)\n"
	"\tincl %edi\n"
	"\tmovl mxsave, %eax\n"
	"\tcall hex32\n"
	"\tmovb $'\\n', (%edi)\n"
	"\tincl %edi\n"
	"\tmovb $'x', %al\n"
	"\tcall tag\n"
	"\tmovl $xsave, %esi\n"
	"\tmovl $128, %ebp\n"
	"\tcall hexbytes\n"
	"\tmovb $'\\n', (%edi)\n"
	"\tincl %edi\n"
	"\tmovb $'m', %al\n"
	"\tcall tag\n"
	"\tmovl $scratch, %esi\n"
	"\tmovl $256, %ebp\n"
	"\tcall hexbytes\n"
	"\tmovb $'\\n', (%edi)\n"
	"\tincl %edi\n"
	"\ttestl $4, mode\n"		/* mode s: the case's steps */
	"\tjz 6f\n"
	"\tmovb $'s', %al\n"
	"\tcall tag\n"
	"\tmovl steps, %eax\n"
	"\tcall hex32\n"
	"\tmovb $' ', (%edi)\n"
	"\tincl %edi\n"
	"\tmovl stepsum, %eax\n"
	"\tcall hex32\n"
	"\tmovb $'\\n', (%edi)\n"
	"\tincl %edi\n"
	"\tmovl $0, steps\n"
	"\tmovl $0, stepsum\n"
	"6:\tmovl $outbuf, %ecx\n"
	"\tmovl %edi, %edx\n"
	"\tsubl %ecx, %edx\n"
	"4:\tmovl $4, %eax\n"		/* write(1, outbuf, len), looping on short writes */
	"\tmovl $1, %ebx\n"
	"\tint $0x80\n"
	"\ttestl %eax, %eax\n"
	"\tjle 5f\n"
	"\taddl %eax, %ecx\n"
	"\tsubl %eax, %edx\n"
	"\tjnz 4b\n"
	"\tincl casenum\n"
	"\tret\n"
	"5:\tmovl $1, %eax\n"
	"\tmovl $2, %ebx\n"
	"\tint $0x80\n"
	"# warmup: two million calls and rets, after which the long engine\n"
	"# translates warm (libvx/translate.c, vx_rtabwarm)\n"
	"warmup:\n"
	"\tmovl $0x200000, %ecx\n"
	"1:\tcall 2f\n"
	"\tloop 1b\n"
	"\tret\n"
	"2:\tret\n"
	"# sigon: handler %ecx for signal %ebx (SA_SIGINFO|SA_RESTART|SA_RESTORER)\n"
	"sigon:\n"
	"\tmovl %ecx, sigact\n"
	"\tmovl $0x14000004, sigact+4\n"
	"\tmovl $sigret, sigact+8\n"
	"\tmovl $174, %eax\n"		/* rt_sigaction(sig, &sigact, 0, 8) */
	"\tmovl $sigact, %ecx\n"
	"\txorl %edx, %edx\n"
	"\tmovl $8, %esi\n"
	"\tint $0x80\n"
	"\tret\n"
	"sigret:\tmovl $173, %eax\n"	/* rt_sigreturn */
	"\tint $0x80\n"
	"# ontrap: a single step (mode s) counted, its eip and esp (from the\n"
	"# start's) summed; with e its eip (4 bytes) to fd 2\n"
	"ontrap:\tincl steps\n"
	"\tmovl 12(%esp), %ecx\n"
	"\tmovl stepsum, %eax\n"
	"\troll $5, %eax\n"
	"\txorl 76(%ecx), %eax\n"
	"\taddl 48(%ecx), %eax\n"
	"\tsubl esp0, %eax\n"
	"\tmovl %eax, stepsum\n"
	"\ttestl $8, mode\n"
	"\tjz 1f\n"
	"\tmovl 12(%esp), %ecx\n"		/* the ucontext: its eip at 76 */
	"\tleal 76(%ecx), %ecx\n"
	"\tmovl $4, %eax\n"
	"\tmovl $2, %ebx\n"
	"\tmovl $4, %edx\n"
	"\tint $0x80\n"
	"1:\tret\n"
	"# onsegv: a fault of -f's (a push or store through page 0, 2 bytes):\n"
	"# its eip, esp - esp0 and address into scratch, then past it\n"
	"onsegv:\n"
	"\tincl nsegv\n"
	"\tmovl 12(%esp), %ecx\n"
	"\tmovl 76(%ecx), %eax\n"
	"\txorl %eax, scratch\n"
	"\taddl $2, 76(%ecx)\n"
	"\tmovl 48(%ecx), %eax\n"
	"\tsubl esp0, %eax\n"
	"\taddl %eax, scratch+4\n"
	"\tmovl 8(%esp), %edx\n"
	"\tmovl 12(%edx), %eax\n"
	"\txorl %eax, scratch+8\n"
	"\tret\n"
	"# onalarm: the timer's signal (mode a) clobbers what sigreturn must\n"
	"# give back: registers, flags, DF, xmm, MXCSR\n"
	"onalarm:\n"
	"\tincl nalarm\n"
	"\tmovl $0x5a5a5a5a, %eax\n"
	"\tmovl %eax, %ecx\n"
	"\tmovl %eax, %edx\n"
	"\tpcmpeqb %xmm0, %xmm0\n"
	"\tpcmpeqb %xmm5, %xmm5\n"
	"\tmovl $0x7f80, hmx\n"
	"\tldmxcsr hmx\n"
	"\tstd\n"
	"\tcmpl $1, %eax\n"
	"\tret\n"
	"\n"
	"# argv[1] chooses how the cases run: w after a warm-up, a under a\n"
	"# timer's signals, s single-stepped (counted), W twice with a warm-up\n"
	"# between (the warming's flush of code already run), F in a forked\n"
	"# child and then in the parent (which waits); the output is the same\n"
	"# but for s's step counts, W's second round and F's second copy\n"
	"\t.globl _start\n"
	"_start:\n"
	"\tmovl %esp, esp0\n"
	"\tcmpl $2, (%esp)\n"
	"\tjb 9f\n"
	"\tmovl 8(%esp), %esi\n"
	"1:\tmovzbl (%esi), %eax\n"
	"\tincl %esi\n"
	"\tcmpb $'w', %al\n"
	"\tjne 2f\n"
	"\torl $1, mode\n"
	"2:\tcmpb $'a', %al\n"
	"\tjne 3f\n"
	"\torl $2, mode\n"
	"3:\tcmpb $'s', %al\n"
	"\tjne 4f\n"
	"\torl $4, mode\n"
	"4:\tcmpb $'W', %al\n"
	"\tjne 4f\n"
	"\torl $16, mode\n"
	"4:\tcmpb $'F', %al\n"
	"\tjne 4f\n"
	"\torl $32, mode\n"
	"4:\tcmpb $'e', %al\n"
	"\tjne 5f\n"
	"\torl $8, mode\n"
	"5:\ttestl %eax, %eax\n"
	"\tjnz 1b\n"
	"9:\ttestl $32, mode\n"		/* F: a child runs the cases first */
	"\tjz 1f\n"
	"\tmovl $2, %eax\n"		/* fork */
	"\tint $0x80\n"
	"\ttestl %eax, %eax\n"
	"\tjz 1f\n"
	"\tmovl %eax, %ebx\n"
	"\tmovl $7, %eax\n"		/* waitpid(child, 0, 0) */
	"\txorl %ecx, %ecx\n"
	"\txorl %edx, %edx\n"
	"\tint $0x80\n"
	"1:\ttestl $1, mode\n"
	"\tjz 1f\n"
	"\tcall warmup\n"
	"1:\ttestl $4, mode\n"
	"\tjz 1f\n"
	"\tmovl $5, %ebx\n"		/* SIGTRAP */
	"\tmovl $ontrap, %ecx\n"
	"\tcall sigon\n"
	"\tmovl $0x100, tfbit\n"
	"1:\ttestl $2, mode\n"
	"\tjz 1f\n"
	"\tmovl $14, %ebx\n"		/* SIGALRM */
	"\tmovl $onalarm, %ecx\n"
	"\tcall sigon\n"
	"\tmovl $104, %eax\n"		/* setitimer(ITIMER_REAL, &itv, 0) */
	"\txorl %ebx, %ebx\n"
	"\tmovl $itv, %ecx\n"
	"\txorl %edx, %edx\n"
	"\tint $0x80\n"
	"1:\n";


/*
 * -n: a word of a case's initial buffer and xmm registers, NaNs, infinities, zeros,
 * denormals and ones half the time (single or the high word of a double, signs
 * and payloads at random): random words are NaNs one time in 256
 * (doubles one in 2048), too seldom for an instruction to meet two.
 */
static uint32_t
fpword(void)
{
	static const uint32_t edge[] = {
		0x7fc00000, 0xffc00000, 0x7f800000, 0xff800000, 0, 0x80000000,
		0x00000001, 0x807fffff, 0x3f800000, 0x7ff80000, 0xfff00000, 0x000fffff,
	};
	uint32_t v = rnd();

	switch(rn(8)){
	case 0: case 1:
		return (v & 0x807fffff) | 0x7f800000;	/* a NaN (or an infinity) */
	case 2:
		return (v & 0x800fffff) | 0x7ff00000;	/* a double's high word, as much */
	case 3:
		return edge[v % (sizeof edge / sizeof edge[0])];
	default:
		return v;
	}
}

static void
initdata(int c)
{
	int i, j;

	printf("\t.data\n\t.align 16\ninit%d:\n", c);
	for(i = 0; i < BUFSZ + 16 * NXMM; i += 16){
		printf("\t.long ");
		for(j = 0; j < 4; j++)
			printf("0x%08x%s", nanrich ? fpword() : rnd(), j < 3 ? ", " : "\n");
	}
	printf("\t.text\n");
}

static void
gencase(int c, int n)
{
	static const char *init[] = { "eax", "ecx", "edx", "ebx", "esi", "edi" };
	int i;

	ncase = c;
	nlabel = 0;
	undef = 0;
	initdata(c);
	printf("# case %d\n", c);
	if(lst)
		fprintf(lst, "case %d\n", c);
	printf("\tmovl $init%d, %%esi\n\tcall load_case\n", c);
	emit("pushl $0x%x", (rnd() & ARITH) | 2);
	printf("\tmovl tfbit, %%eax\n\torl %%eax, (%%esp)\n");	/* mode s */
	emit("popfl");
	for(i = 0; i < 6; i++)
		emit("movl $0x%x, %%%s", imm(32), init[i]);
	emit("movl $scratch+128, %%ebp");
	for(i = 0; i < n; ){
		if(chance(8))
			i += forward();
		else
			i += straight();
	}
	printf("\tpushl $0x%x\n\tpushfl\n\tpushal\n\tcall dump\n\taddl $40, %%esp\n",
	       (ARITH | DF) & ~undef);
	if(lst)
		fprintf(lst, "\t# flags compared: 0x%x\n", (ARITH | DF) & ~undef);
}

int
main(int argc, char **argv)
{
	unsigned long long seed;
	int k, n, c;
	const char *mx;

	for(; argc > 1 && argv[1][0] == '-' && argv[1][1] != 0 && argv[1][2] == 0; argc--, argv++){
		if(argv[1][1] == 'f')
			faults = 1;
		else if(argv[1][1] == 'q')
			qemuref = 1;
		else if(argv[1][1] == 'n')
			nanrich = 1;
		else if(argv[1][1] == 'b' || argv[1][1] == 'w' || argv[1][1] == 'z')
			wrong = argv[1][1];
		else if(argv[1][1] == 'v')
			harmless = 1;
		else if(argv[1][1] >= 'a' && argv[1][1] <= 'z'){
			fprintf(stderr, "gen: unknown option %s\n", argv[1]);
			return 2;
		}else
			break;	/* a negative seed */
	}
	if(argc < 4 || argc > 5){
		fprintf(stderr, "usage: gen [-f] [-n] [-q] [-b|-w|-z [-v]] SEED K N [listing]\n");
		return 2;
	}
	seed = strtoull(argv[1], NULL, 0);
	k = atoi(argv[2]);
	n = atoi(argv[3]);
	if(k < 1 || n < 1 || k > 100000 || n > 10000){
		fprintf(stderr, "gen: K and N must be positive\n");
		return 2;
	}
	if(argc == 5 && !(lst = fopen(argv[4], "w"))){
		perror(argv[4]);
		return 1;
	}
	rs = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
	if(!rs)
		rs = 1;
	if(qemuref){
		/* the dump's MXCSR without DE (bit 1) */
		mx = strstr(prologue, "\tmovl mxsave, %eax\n");
		if(mx == NULL){
			fprintf(stderr, "gen: no MXCSR in the dump\n");
			return 2;
		}
		mx += strlen("\tmovl mxsave, %eax\n");
		printf("%.*s\tandl $-3, %%eax\n%s", (int)(mx - prologue), prologue, mx);
	}else
		printf("%s", prologue);
	if(qemuref || wrong)
		printf("\t.bss\n\t.align 16\nqsave:\t.space 64\n\t.text\n");
	if(faults)
		printf("\tmovl $11, %%ebx\n\tmovl $onsegv, %%ecx\n\tcall sigon\n");
	printf(".Lcases:\n");
	for(c = 0; c < k; c++)
		gencase(c, n);
	printf("\ttestl $16, mode\n\tjz 1f\n\tandl $-17, mode\n\tcall warmup\n\tjmp .Lcases\n1:\n");
	printf("\tmovl $1, %%eax\n\tmovl $0, %%ebx\n\tint $0x80\n");
	if(lst && fclose(lst)){
		perror(argv[4]);
		return 1;
	}
	return ferror(stdout) ? 1 : 0;
}
