/*
 * optab.c — the opcode tables of the x86 decoder (32-bit mode, user level).
 *
 * One list of rows per opcode map.  A row covers a range of opcode bytes:
 *
 *	OP(first, last, flags, imm, class, name)
 *	OPS(first, last, flags, imm, sublist, name)
 *
 * flags: M = a ModRM byte follows, REL = the immediate is a branch
 * displacement, SI/DI = string instruction (the operand it reports);
 * imm: I_NONE, I_B (ib), I_W (iw), I_Z (iz: 4, or 2 with 66), I_AP (far
 * pointer), I_WB (enter), I_MO (moffs).  Later rows override earlier ones,
 * so a map may start with a default row.  A sublist refines a row by
 * ModRM.reg, mod, rm and mandatory prefix:
 *
 *	S(reg0, reg1, mod, rm0, rm1, prefix, imm, class, name)
 *
 * and the first matching entry wins; none matching means invalid.
 * The facts are from the Intel SDM volume 2 opcode maps (appendix A).
 */
#include "decode.h"
#include "optab.h"

#define M	F_MODRM
#define REL	F_REL
#define SI	F_STRSI
#define DI	F_STRDI
#define OP(a, b, f, i, c, n)	{ a, b, f, i, VXC_##c, 0, n }
#define OPS(a, b, f, i, s, n)	{ a, b, f, i, VXC_INVALID, s, n }
#define END			{ 0, 0, 0, 0, 0, 0, 0 }
#define S(...)			S_(__VA_ARGS__)	/* expands ALLREG, ALLRM first */
#define S_(r0, r1, mod, m0, m1, p, i, c, n) \
	{ r0, r1, MOD_##mod, m0, m1, P_##p, i, VXC_##c, n, 0 }
#define SF(...)			SF_(__VA_ARGS__)	/* S with a feature */
#define SF_(r0, r1, mod, m0, m1, p, i, c, f, n) \
	{ r0, r1, MOD_##mod, m0, m1, P_##p, i, VXC_##c, n, f }
#define SEND			{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
#define ALLREG			0, 7
#define ALLRM			0, 7

/* --- refinements of one-byte opcodes ------------------------------------ */

static const Sub s_lea[] = {		/* 8d: the register form is #UD */
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "lea"),
	SEND
};
static const Sub s_movfromseg[] = {	/* 8c */
	S(0, 5, ANY, ALLRM, ANY, I_NONE, MOVFROMSEG, "mov Sw,Ew"),
	SEND
};
static const Sub s_movtoseg[] = {	/* 8e: loading cs is #UD */
	S(0, 0, ANY, ALLRM, ANY, I_NONE, MOVTOSEG, "mov Ew,es"),
	S(2, 5, ANY, ALLRM, ANY, I_NONE, MOVTOSEG, "mov Ew,Sw"),
	SEND
};
static const Sub s_pop[] = {		/* 8f: /1-/7 would be AMD XOP */
	S(0, 0, ANY, ALLRM, ANY, I_NONE, PLAIN, "pop Ev"),
	SEND
};
static const Sub s_bound[] = {		/* 62: the register form is EVEX */
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "bound"),	/* #BR arrives as trap 5 */
	SEND
};
static const Sub s_movb[] = {		/* c6 */
	S(0, 0, ANY, ALLRM, ANY, I_B, PLAIN, "mov Eb,ib"),
	S(7, 7, REG, 0, 0, ANY, I_B, INVALID, "xabort (no RTM)"),
	SEND
};
static const Sub s_movz[] = {		/* c7 */
	S(0, 0, ANY, ALLRM, ANY, I_Z, PLAIN, "mov Ev,iz"),
	S(7, 7, REG, 0, 0, ANY, I_Z, INVALID, "xbegin (no RTM)"),
	SEND
};
static const Sub s_grp3b[] = {		/* f6: only test has an immediate */
	S(0, 1, ANY, ALLRM, ANY, I_B, PLAIN, "test Eb,ib"),
	S(2, 7, ANY, ALLRM, ANY, I_NONE, PLAIN, "not/neg/mul/imul/div/idiv Eb"),
	SEND
};
static const Sub s_grp3z[] = {		/* f7 */
	S(0, 1, ANY, ALLRM, ANY, I_Z, PLAIN, "test Ev,iz"),
	S(2, 7, ANY, ALLRM, ANY, I_NONE, PLAIN, "not/neg/mul/imul/div/idiv Ev"),
	SEND
};
static const Sub s_grp4[] = {		/* fe */
	S(0, 1, ANY, ALLRM, ANY, I_NONE, PLAIN, "inc/dec Eb"),
	SEND
};
static const Sub s_grp5[] = {		/* ff */
	S(0, 1, ANY, ALLRM, ANY, I_NONE, PLAIN, "inc/dec Ev"),
	S(2, 2, ANY, ALLRM, ANY, I_NONE, CALLIND, "call *Ev"),
	S(3, 3, MEM, ALLRM, ANY, I_NONE, PRIV, "lcall *Mp"),
	S(4, 4, ANY, ALLRM, ANY, I_NONE, JMPIND, "jmp *Ev"),
	S(5, 5, MEM, ALLRM, ANY, I_NONE, PRIV, "ljmp *Mp"),
	S(6, 6, ANY, ALLRM, ANY, I_NONE, PLAIN, "push Ev"),
	SEND
};

/* x87 escapes: every memory form is valid except the few listed; among
 * register forms only the listed ones are (some are undocumented aliases
 * such as fstp1, which real processors execute). */
static const Sub s_d9[] = {
	S(1, 1, MEM, ALLRM, ANY, I_NONE, INVALID, "(d9 /1 mem)"),
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "fld/fst/fldenv/fldcw/fnstenv/fnstcw"),
	S(0, 1, REG, ALLRM, ANY, I_NONE, PLAIN, "fld/fxch st(i)"),
	S(2, 2, REG, 0, 0, ANY, I_NONE, PLAIN, "fnop"),
	S(3, 3, REG, ALLRM, ANY, I_NONE, PLAIN, "fstp1"),
	S(4, 4, REG, 0, 1, ANY, I_NONE, PLAIN, "fchs/fabs"),
	S(4, 4, REG, 4, 5, ANY, I_NONE, PLAIN, "ftst/fxam"),
	S(5, 5, REG, 0, 6, ANY, I_NONE, PLAIN, "fld1/fldl2t/../fldz"),
	S(6, 7, REG, ALLRM, ANY, I_NONE, PLAIN, "f2xm1/../fcos"),
	SEND
};
static const Sub s_da[] = {
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "fiadd/../fidivr m32"),
	S(0, 3, REG, ALLRM, ANY, I_NONE, PLAIN, "fcmovb/e/be/u"),
	S(5, 5, REG, 1, 1, ANY, I_NONE, PLAIN, "fucompp"),
	SEND
};
static const Sub s_db[] = {
	S(4, 4, MEM, ALLRM, ANY, I_NONE, INVALID, "(db /4 mem)"),
	S(6, 6, MEM, ALLRM, ANY, I_NONE, INVALID, "(db /6 mem)"),
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "fild/fisttp/fist/fistp/fld/fstp"),
	S(0, 3, REG, ALLRM, ANY, I_NONE, PLAIN, "fcmovnb/ne/nbe/nu"),
	S(4, 4, REG, 0, 4, ANY, I_NONE, PLAIN, "fneni/fndisi/fnclex/fninit/fnsetpm"),
	S(5, 6, REG, ALLRM, ANY, I_NONE, PLAIN, "fucomi/fcomi"),
	SEND
};
static const Sub s_dd[] = {
	S(5, 5, MEM, ALLRM, ANY, I_NONE, INVALID, "(dd /5 mem)"),
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "fld/fisttp/fst/fstp/frstor/fnsave/fnstsw"),
	S(0, 5, REG, ALLRM, ANY, I_NONE, PLAIN, "ffree/fxch4/fst/fstp/fucom/fucomp"),
	SEND
};
static const Sub s_de[] = {
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "fiadd/../fidivr m16"),
	S(0, 2, REG, ALLRM, ANY, I_NONE, PLAIN, "faddp/fmulp/fcomp5"),
	S(3, 3, REG, 1, 1, ANY, I_NONE, PLAIN, "fcompp"),
	S(4, 7, REG, ALLRM, ANY, I_NONE, PLAIN, "fsubrp/fsubp/fdivrp/fdivp"),
	SEND
};
static const Sub s_df[] = {
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PLAIN, "fild/fisttp/fist/fistp/fbld/fbstp m"),
	S(0, 3, REG, ALLRM, ANY, I_NONE, PLAIN, "ffreep/fxch7/fstp8/fstp9"),
	S(4, 4, REG, 0, 0, ANY, I_NONE, PLAIN, "fnstsw ax"),
	S(5, 6, REG, ALLRM, ANY, I_NONE, PLAIN, "fucomip/fcomip"),
	SEND
};

static const Op map1[] = {
	OP(0x00, 0x03, M, I_NONE, PLAIN, "add"),
	OP(0x04, 0x04, 0, I_B, PLAIN, "add al,ib"),
	OP(0x05, 0x05, 0, I_Z, PLAIN, "add eax,iz"),
	OP(0x06, 0x06, 0, I_NONE, PUSHSEG, "push es"),
	OP(0x07, 0x07, 0, I_NONE, PRIV, "pop es"),
	OP(0x08, 0x0b, M, I_NONE, PLAIN, "or"),
	OP(0x0c, 0x0c, 0, I_B, PLAIN, "or al,ib"),
	OP(0x0d, 0x0d, 0, I_Z, PLAIN, "or eax,iz"),
	OP(0x0e, 0x0e, 0, I_NONE, PUSHSEG, "push cs"),
	OP(0x0f, 0x0f, F_ESC, I_NONE, INVALID, "(0f escape)"),
	OP(0x10, 0x13, M, I_NONE, PLAIN, "adc"),
	OP(0x14, 0x14, 0, I_B, PLAIN, "adc al,ib"),
	OP(0x15, 0x15, 0, I_Z, PLAIN, "adc eax,iz"),
	OP(0x16, 0x16, 0, I_NONE, PUSHSEG, "push ss"),
	OP(0x17, 0x17, 0, I_NONE, PRIV, "pop ss"),
	OP(0x18, 0x1b, M, I_NONE, PLAIN, "sbb"),
	OP(0x1c, 0x1c, 0, I_B, PLAIN, "sbb al,ib"),
	OP(0x1d, 0x1d, 0, I_Z, PLAIN, "sbb eax,iz"),
	OP(0x1e, 0x1e, 0, I_NONE, PUSHSEG, "push ds"),
	OP(0x1f, 0x1f, 0, I_NONE, PRIV, "pop ds"),
	OP(0x20, 0x23, M, I_NONE, PLAIN, "and"),
	OP(0x24, 0x24, 0, I_B, PLAIN, "and al,ib"),
	OP(0x25, 0x25, 0, I_Z, PLAIN, "and eax,iz"),
	OP(0x26, 0x26, F_PREFIX, I_NONE, INVALID, "es:"),
	OP(0x27, 0x27, 0, I_NONE, PLAIN, "daa"),
	OP(0x28, 0x2b, M, I_NONE, PLAIN, "sub"),
	OP(0x2c, 0x2c, 0, I_B, PLAIN, "sub al,ib"),
	OP(0x2d, 0x2d, 0, I_Z, PLAIN, "sub eax,iz"),
	OP(0x2e, 0x2e, F_PREFIX, I_NONE, INVALID, "cs:"),
	OP(0x2f, 0x2f, 0, I_NONE, PLAIN, "das"),
	OP(0x30, 0x33, M, I_NONE, PLAIN, "xor"),
	OP(0x34, 0x34, 0, I_B, PLAIN, "xor al,ib"),
	OP(0x35, 0x35, 0, I_Z, PLAIN, "xor eax,iz"),
	OP(0x36, 0x36, F_PREFIX, I_NONE, INVALID, "ss:"),
	OP(0x37, 0x37, 0, I_NONE, PLAIN, "aaa"),
	OP(0x38, 0x3b, M, I_NONE, PLAIN, "cmp"),
	OP(0x3c, 0x3c, 0, I_B, PLAIN, "cmp al,ib"),
	OP(0x3d, 0x3d, 0, I_Z, PLAIN, "cmp eax,iz"),
	OP(0x3e, 0x3e, F_PREFIX, I_NONE, INVALID, "ds:"),
	OP(0x3f, 0x3f, 0, I_NONE, PLAIN, "aas"),
	OP(0x40, 0x47, 0, I_NONE, PLAIN, "inc r32"),
	OP(0x48, 0x4f, 0, I_NONE, PLAIN, "dec r32"),
	OP(0x50, 0x57, 0, I_NONE, PLAIN, "push r32"),
	OP(0x58, 0x5f, 0, I_NONE, PLAIN, "pop r32"),
	OP(0x60, 0x60, 0, I_NONE, PLAIN, "pusha"),
	OP(0x61, 0x61, 0, I_NONE, PLAIN, "popa"),
	OPS(0x62, 0x62, M, I_NONE, s_bound, "bound"),
	OP(0x63, 0x63, M, I_NONE, PRIV, "arpl"),
	OP(0x64, 0x64, F_PREFIX, I_NONE, INVALID, "fs:"),
	OP(0x65, 0x65, F_PREFIX, I_NONE, INVALID, "gs:"),
	OP(0x66, 0x66, F_PREFIX, I_NONE, INVALID, "data16"),
	OP(0x67, 0x67, F_PREFIX, I_NONE, INVALID, "addr16"),
	OP(0x68, 0x68, 0, I_Z, PLAIN, "push iz"),
	OP(0x69, 0x69, M, I_Z, PLAIN, "imul Gv,Ev,iz"),
	OP(0x6a, 0x6a, 0, I_B, PLAIN, "push ib"),
	OP(0x6b, 0x6b, M, I_B, PLAIN, "imul Gv,Ev,ib"),
	OP(0x6c, 0x6d, DI, I_NONE, PRIV, "ins"),
	OP(0x6e, 0x6f, SI, I_NONE, PRIV, "outs"),
	OP(0x70, 0x7f, REL, I_B, JCC, "jcc rel8"),
	OP(0x80, 0x80, M, I_B, PLAIN, "alu Eb,ib"),
	OP(0x81, 0x81, M, I_Z, PLAIN, "alu Ev,iz"),
	OP(0x82, 0x82, M, I_B, PLAIN, "alu Eb,ib (alias)"),
	OP(0x83, 0x83, M, I_B, PLAIN, "alu Ev,ib"),
	OP(0x84, 0x85, M, I_NONE, PLAIN, "test"),
	OP(0x86, 0x87, M, I_NONE, PLAIN, "xchg"),
	OP(0x88, 0x8b, M, I_NONE, PLAIN, "mov"),
	OPS(0x8c, 0x8c, M, I_NONE, s_movfromseg, "mov Sw,Ew"),
	OPS(0x8d, 0x8d, M, I_NONE, s_lea, "lea"),
	OPS(0x8e, 0x8e, M, I_NONE, s_movtoseg, "mov Ew,Sw"),
	OPS(0x8f, 0x8f, M, I_NONE, s_pop, "pop Ev"),
	OP(0x90, 0x90, 0, I_NONE, PLAIN, "nop/pause"),
	OP(0x91, 0x97, 0, I_NONE, PLAIN, "xchg eax,r32"),
	OP(0x98, 0x99, 0, I_NONE, PLAIN, "cwde/cdq"),
	OP(0x9a, 0x9a, 0, I_AP, PRIV, "lcall ptr"),
	OP(0x9b, 0x9b, 0, I_NONE, PLAIN, "fwait"),
	OP(0x9c, 0x9f, 0, I_NONE, PLAIN, "pushf/popf/sahf/lahf"),
	OP(0xa0, 0xa3, 0, I_MO, PLAIN, "mov moffs"),
	OP(0xa4, 0xa7, SI, I_NONE, PLAIN, "movs/cmps"),
	OP(0xa8, 0xa8, 0, I_B, PLAIN, "test al,ib"),
	OP(0xa9, 0xa9, 0, I_Z, PLAIN, "test eax,iz"),
	OP(0xaa, 0xab, DI, I_NONE, PLAIN, "stos"),
	OP(0xac, 0xad, SI, I_NONE, PLAIN, "lods"),
	OP(0xae, 0xaf, DI, I_NONE, PLAIN, "scas"),
	OP(0xb0, 0xb7, 0, I_B, PLAIN, "mov r8,ib"),
	OP(0xb8, 0xbf, 0, I_Z, PLAIN, "mov r32,iz"),
	OP(0xc0, 0xc1, M, I_B, PLAIN, "shift E,ib"),
	OP(0xc2, 0xc2, 0, I_W, RET, "ret iw"),
	OP(0xc3, 0xc3, 0, I_NONE, RET, "ret"),
	OP(0xc4, 0xc4, M | F_VEX, I_NONE, PRIV, "les"),
	OP(0xc5, 0xc5, M | F_VEX, I_NONE, PRIV, "lds"),
	OPS(0xc6, 0xc6, M, I_B, s_movb, "mov Eb,ib"),
	OPS(0xc7, 0xc7, M, I_Z, s_movz, "mov Ev,iz"),
	OP(0xc8, 0xc8, 0, I_WB, PLAIN, "enter"),
	OP(0xc9, 0xc9, 0, I_NONE, PLAIN, "leave"),
	OP(0xca, 0xca, 0, I_W, PRIV, "lret iw"),
	OP(0xcb, 0xcb, 0, I_NONE, PRIV, "lret"),
	OP(0xcc, 0xcc, 0, I_NONE, INT3, "int3"),
	OP(0xcd, 0xcd, 0, I_B, INT, "int ib"),
	OP(0xce, 0xce, 0, I_NONE, INTO, "into"),
	OP(0xcf, 0xcf, 0, I_NONE, PRIV, "iret"),
	OP(0xd0, 0xd3, M, I_NONE, PLAIN, "shift E,1/cl"),
	OP(0xd4, 0xd5, 0, I_B, PLAIN, "aam/aad ib"),
	OP(0xd6, 0xd6, 0, I_NONE, PLAIN, "salc"),	/* undocumented; every x86 CPU runs it outside 64-bit mode */
	OP(0xd7, 0xd7, F_XLAT, I_NONE, PLAIN, "xlat"),
	OP(0xd8, 0xd8, M, I_NONE, PLAIN, "x87 d8"),
	OPS(0xd9, 0xd9, M, I_NONE, s_d9, "x87 d9"),
	OPS(0xda, 0xda, M, I_NONE, s_da, "x87 da"),
	OPS(0xdb, 0xdb, M, I_NONE, s_db, "x87 db"),
	OP(0xdc, 0xdc, M, I_NONE, PLAIN, "x87 dc"),
	OPS(0xdd, 0xdd, M, I_NONE, s_dd, "x87 dd"),
	OPS(0xde, 0xde, M, I_NONE, s_de, "x87 de"),
	OPS(0xdf, 0xdf, M, I_NONE, s_df, "x87 df"),
	OP(0xe0, 0xe3, REL, I_B, LOOP, "loopne/loope/loop/jecxz"),
	OP(0xe4, 0xe7, 0, I_B, PRIV, "in/out ib"),
	OP(0xe8, 0xe8, REL, I_Z, CALL, "call rel"),
	OP(0xe9, 0xe9, REL, I_Z, JMP, "jmp rel"),
	OP(0xea, 0xea, 0, I_AP, PRIV, "ljmp ptr"),
	OP(0xeb, 0xeb, REL, I_B, JMP, "jmp rel8"),
	OP(0xec, 0xef, 0, I_NONE, PRIV, "in/out dx"),
	OP(0xf0, 0xf0, F_PREFIX, I_NONE, INVALID, "lock"),
	OP(0xf1, 0xf1, 0, I_NONE, INT3, "int1"),	/* #DB as a trap: SIGTRAP after it */
	OP(0xf2, 0xf3, F_PREFIX, I_NONE, INVALID, "repne/rep"),
	OP(0xf4, 0xf4, 0, I_NONE, PRIV, "hlt"),
	OP(0xf5, 0xf5, 0, I_NONE, PLAIN, "cmc"),
	OPS(0xf6, 0xf6, M, I_NONE, s_grp3b, "grp3 Eb"),
	OPS(0xf7, 0xf7, M, I_NONE, s_grp3z, "grp3 Ev"),
	OP(0xf8, 0xf9, 0, I_NONE, PLAIN, "clc/stc"),
	OP(0xfa, 0xfb, 0, I_NONE, PRIV, "cli/sti"),
	OP(0xfc, 0xfd, 0, I_NONE, PLAIN, "cld/std"),
	OPS(0xfe, 0xfe, M, I_NONE, s_grp4, "grp4"),
	OPS(0xff, 0xff, M, I_NONE, s_grp5, "grp5"),
	END
};

/* --- refinements of 0f opcodes ------------------------------------------ */

static const Sub s_grp6[] = {		/* 0f 00 */
	S(0, 1, ANY, ALLRM, ANY, I_NONE, SYSINSN, "sldt/str"),
	S(2, 3, ANY, ALLRM, ANY, I_NONE, PRIV, "lldt/ltr"),
	S(4, 5, ANY, ALLRM, ANY, I_NONE, SYSINSN, "verr/verw"),
	SEND
};
static const Sub s_grp7[] = {		/* 0f 01 */
	S(0, 1, MEM, ALLRM, ANY, I_NONE, SYSINSN, "sgdt/sidt"),
	S(4, 4, ANY, ALLRM, ANY, I_NONE, SYSINSN, "smsw"),
	S(ALLREG, MEM, ALLRM, ANY, I_NONE, PRIV, "lgdt/lidt/lmsw/invlpg"),
	S(2, 2, REG, 0, 0, NP, I_NONE, XGETBV, "xgetbv"),
	S(7, 7, REG, 1, 1, NP, I_NONE, PLAIN, "rdtscp"),
	S(5, 5, REG, 0, 0, NP, I_NONE, PLAIN, "serialize"),
	S(2, 2, REG, 5, 6, NP, I_NONE, INVALID, "xend/xtest (no RTM)"),
	S(5, 5, REG, 6, 6, NP, I_NONE, INVALID, "rdpkru (cpuid offers no PKU: #UD, as with CR4.PKE clear)"),
	/* sgdt and sidt have no register form: what is there (enclv,
	 * vmcall, vmlaunch, vmresume, vmxoff, pconfig, wrmsrns; monitor,
	 * mwait, clac, stac, encls) is #UD in user mode on a CPU without
	 * VMX (cpuid offers none), as natively (a hypervisor may answer
	 * vmcall itself) */
	S(0, 1, REG, ALLRM, ANY, I_NONE, INVALID, "0f 01 c0-cf: #UD"),
	/* d0-ff: what is #UD in a 32-bit process on a CPU without VMX,
	 * SGX, CET, UINTR, PKU (cpuid offers none) or RDPRU, INVLPGB
	 * (cpuid 0x80000008 passes the CPU's: the host's answer), as
	 * natively; swapgs is #UD outside 64-bit mode.  AMD's monitorx,
	 * mwaitx and clzero run in user mode (sysinsn.c) */
	S(2, 2, REG, 2, 4, ANY, I_NONE, INVALID, "0f 01 d2-d4 (vmfunc): #UD"),
	S(2, 2, REG, 7, 7, ANY, I_NONE, INVALID, "enclu: #UD"),
	S(5, 5, REG, 1, 5, ANY, I_NONE, INVALID, "0f 01 e9-ed (CET, UINTR): #UD"),
	S(5, 5, REG, 7, 7, ANY, I_NONE, INVALID, "wrpkru (no PKU): #UD"),
	S(7, 7, REG, 0, 0, ANY, I_NONE, INVALID, "swapgs: #UD outside 64-bit mode"),
	S(7, 7, REG, 2, 4, NP, I_NONE, SYSINSN, "monitorx/mwaitx/clzero"),
	S(7, 7, REG, 5, 7, ANY, I_NONE, INVALID, "rdpru/invlpgb/tlbsync: #UD"),
	S(ALLREG, REG, ALLRM, ANY, I_NONE, PRIV, "system 0f 01 (svm, xsetbv, lmsw ...)"),
	SEND
};
static const Sub s_hint1e[] = {		/* 0f 1e */
	S(7, 7, REG, 3, 3, F3, I_NONE, ENDBR, "endbr32"),
	S(ALLREG, ANY, ALLRM, ANY, I_NONE, PLAIN, "nop Ev (hint)"),
	SEND
};
static const Sub s_0f78[] = {
	S(ALLREG, ANY, ALLRM, NP, I_NONE, PRIV, "vmread"),
	S(0, 0, REG, ALLRM, 66, I_W, INVALID, "extrq ib,ib (no SSE4a)"),
	S(ALLREG, REG, ALLRM, F2, I_W, INVALID, "insertq ib,ib (no SSE4a)"),
	SEND
};
static const Sub s_0f79[] = {
	S(ALLREG, ANY, ALLRM, NP, I_NONE, PRIV, "vmwrite"),
	S(ALLREG, REG, ALLRM, 66, I_NONE, INVALID, "extrq (no SSE4a)"),
	S(ALLREG, REG, ALLRM, F2, I_NONE, INVALID, "insertq (no SSE4a)"),
	SEND
};
static const Sub s_grp15[] = {		/* 0f ae */
	S(0, 3, REG, ALLRM, F3, I_NONE, INVALID, "rd/wr fs/gs base: #UD outside 64-bit mode"),
	S(ALLREG, ANY, ALLRM, F3, I_NONE, PRIV, "ptwrite/incssp/umonitor/clrssbsy"),
	S(ALLREG, ANY, ALLRM, F2, I_NONE, PRIV, "umwait"),
	S(6, 6, REG, ALLRM, 66, I_NONE, PRIV, "tpause"),
	/* the rest are NP ("66 is #UD or another instruction") but for
	   clwb and clflushopt */
	S(5, 5, REG, ALLRM, NP, I_NONE, PLAIN, "lfence"),
	S(6, 6, REG, ALLRM, NP, I_NONE, PLAIN, "mfence"),
	S(7, 7, REG, ALLRM, NP, I_NONE, PLAIN, "sfence"),
	S(0, 1, MEM, ALLRM, NP, I_NONE, PLAIN, "fxsave/fxrstor"),
	S(2, 3, MEM, ALLRM, NP, I_NONE, PLAIN, "ldmxcsr/stmxcsr"),
	/* the xsave family reads and writes every state XCR0 enables, the
	   YMM upper halves and k registers too: #UD while cpuid hides XSAVE */
	SF(4, 5, MEM, ALLRM, NP, I_NONE, PLAIN, VXF_XSAVE, "xsave/xrstor"),
	SF(6, 6, MEM, ALLRM, NP, I_NONE, PLAIN, VXF_XSAVE, "xsaveopt"),
	S(7, 7, MEM, ALLRM, NP, I_NONE, PLAIN, "clflush"),
	S(6, 7, MEM, ALLRM, 66, I_NONE, PLAIN, "clwb/clflushopt"),
	SEND
};
static const Sub s_popcnt[] = {		/* 0f b8 */
	S(ALLREG, ANY, ALLRM, F3, I_NONE, PLAIN, "popcnt"),
	SEND				/* jmpe: IA-64 only */
};
static const Sub s_grp8[] = {		/* 0f ba */
	S(4, 7, ANY, ALLRM, ANY, I_B, PLAIN, "bt/bts/btr/btc Ev,ib"),
	SEND
};
static const Sub s_grp9[] = {		/* 0f c7 */
	S(1, 1, MEM, ALLRM, ANY, I_NONE, PLAIN, "cmpxchg8b"),
	S(3, 3, MEM, ALLRM, ANY, I_NONE, PRIV, "xrstors"),
	SF(4, 4, MEM, ALLRM, NP, I_NONE, PLAIN, VXF_XSAVE, "xsavec"),	/* NP: #UD with 66 f2 f3 */
	S(5, 5, MEM, ALLRM, ANY, I_NONE, PRIV, "xsaves"),
	S(6, 7, MEM, ALLRM, ANY, I_NONE, PRIV, "vmptrld/vmclear/vmxon/vmptrst"),
	S(7, 7, REG, ALLRM, F3, I_NONE, PLAIN, "rdpid"),
	S(6, 7, REG, ALLRM, NP, I_NONE, PLAIN, "rdrand/rdseed"),
	S(6, 7, REG, ALLRM, 66, I_NONE, PLAIN, "rdrand/rdseed r16"),
	SEND
};

static const Op map0f[] = {
	OPS(0x00, 0x00, M, I_NONE, s_grp6, "grp6"),
	OPS(0x01, 0x01, M, I_NONE, s_grp7, "grp7"),
	OP(0x02, 0x03, M, I_NONE, SYSINSN, "lar/lsl"),
	OP(0x05, 0x05, 0, I_NONE, SYSCALL, "syscall"),
	OP(0x06, 0x06, 0, I_NONE, PRIV, "clts"),
	OP(0x07, 0x07, 0, I_NONE, PRIV, "sysret"),
	OP(0x08, 0x09, 0, I_NONE, PRIV, "invd/wbinvd"),
	OP(0x0b, 0x0b, 0, I_NONE, INVALID, "ud2"),
	OP(0x0d, 0x0d, M, I_NONE, PLAIN, "prefetch/prefetchw"),
	OP(0x0e, 0x0e, 0, I_NONE, INVALID, "femms (no 3DNow!)"),
	OP(0x0f, 0x0f, M, I_B, INVALID, "3DNow! (not offered)"),
	OP(0x10, 0x17, M, I_NONE, PLAIN, "movups/movss/movlps/unpck/movhps .."),
	OP(0x18, 0x1f, M, I_NONE, PLAIN, "prefetch/hint nop"),
	OPS(0x1e, 0x1e, M, I_NONE, s_hint1e, "endbr32/hint nop"),
	OP(0x20, 0x23, M | F_MODREG, I_NONE, PRIV, "mov cr/dr"),
	OP(0x28, 0x2f, M, I_NONE, PLAIN, "movaps/cvt/ucomis/comis .."),
	OP(0x30, 0x30, 0, I_NONE, PRIV, "wrmsr"),
	OP(0x31, 0x31, 0, I_NONE, PLAIN, "rdtsc"),
	OP(0x32, 0x33, 0, I_NONE, PRIV, "rdmsr/rdpmc"),
	OP(0x34, 0x34, 0, I_NONE, SYSENTER, "sysenter"),
	OP(0x35, 0x35, 0, I_NONE, PRIV, "sysexit"),
	OP(0x37, 0x37, 0, I_NONE, INVALID, "getsec"),	/* #UD: CR4.SMXE is clear */
	OP(0x38, 0x38, F_ESC, I_NONE, INVALID, "(0f 38 escape)"),
	OP(0x3a, 0x3a, F_ESC, I_NONE, INVALID, "(0f 3a escape)"),
	OP(0x40, 0x4f, M, I_NONE, PLAIN, "cmovcc"),
	OP(0x50, 0x6f, M, I_NONE, PLAIN, "sse/mmx arithmetic, pack/unpack, movd/movq"),
	OP(0x70, 0x73, M, I_B, PLAIN, "pshuf*, psrl/psra/psll ib"),
	OP(0x74, 0x76, M, I_NONE, PLAIN, "pcmpeq"),
	OP(0x77, 0x77, 0, I_NONE, PLAIN, "emms"),
	OPS(0x78, 0x78, M, I_NONE, s_0f78, "vmread/extrq/insertq"),
	OPS(0x79, 0x79, M, I_NONE, s_0f79, "vmwrite/extrq/insertq"),
	OP(0x7c, 0x7f, M, I_NONE, PLAIN, "haddp/hsubp/movd/movq/movdq"),
	OP(0x80, 0x8f, REL, I_Z, JCC, "jcc rel32"),
	OP(0x90, 0x9f, M, I_NONE, PLAIN, "setcc"),
	OP(0xa0, 0xa0, 0, I_NONE, PUSHSEG, "push fs"),
	OP(0xa1, 0xa1, 0, I_NONE, POPSEG, "pop fs"),
	OP(0xa2, 0xa2, 0, I_NONE, CPUID, "cpuid"),
	OP(0xa3, 0xa3, M, I_NONE, PLAIN, "bt"),
	OP(0xa4, 0xa4, M, I_B, PLAIN, "shld ib"),
	OP(0xa5, 0xa5, M, I_NONE, PLAIN, "shld cl"),
	OP(0xa8, 0xa8, 0, I_NONE, PUSHSEG, "push gs"),
	OP(0xa9, 0xa9, 0, I_NONE, POPSEG, "pop gs"),
	OP(0xaa, 0xaa, 0, I_NONE, INVALID, "rsm"),	/* #UD outside SMM */
	OP(0xab, 0xab, M, I_NONE, PLAIN, "bts"),
	OP(0xac, 0xac, M, I_B, PLAIN, "shrd ib"),
	OP(0xad, 0xad, M, I_NONE, PLAIN, "shrd cl"),
	OPS(0xae, 0xae, M, I_NONE, s_grp15, "grp15"),
	OP(0xaf, 0xaf, M, I_NONE, PLAIN, "imul Gv,Ev"),
	OP(0xb0, 0xb1, M, I_NONE, PLAIN, "cmpxchg"),
	OP(0xb2, 0xb2, M, I_NONE, PRIV, "lss"),
	OP(0xb3, 0xb3, M, I_NONE, PLAIN, "btr"),
	OP(0xb4, 0xb5, M, I_NONE, PRIV, "lfs/lgs"),
	OP(0xb6, 0xb7, M, I_NONE, PLAIN, "movzx"),
	OPS(0xb8, 0xb8, M, I_NONE, s_popcnt, "popcnt"),
	OP(0xb9, 0xb9, M, I_NONE, INVALID, "ud1"),
	OPS(0xba, 0xba, M, I_B, s_grp8, "grp8"),
	OP(0xbb, 0xbb, M, I_NONE, PLAIN, "btc"),
	OP(0xbc, 0xbd, M, I_NONE, PLAIN, "bsf/bsr/tzcnt/lzcnt"),
	OP(0xbe, 0xbf, M, I_NONE, PLAIN, "movsx"),
	OP(0xc0, 0xc1, M, I_NONE, PLAIN, "xadd"),
	OP(0xc2, 0xc2, M, I_B, PLAIN, "cmpps/cmpss/cmppd/cmpsd"),
	OP(0xc3, 0xc3, M, I_NONE, PLAIN, "movnti"),
	OP(0xc4, 0xc6, M, I_B, PLAIN, "pinsrw/pextrw/shufps"),
	OPS(0xc7, 0xc7, M, I_NONE, s_grp9, "grp9"),
	OP(0xc8, 0xcf, 0, I_NONE, PLAIN, "bswap"),
	OP(0xd0, 0xfe, M, I_NONE, PLAIN, "sse/mmx arithmetic"),
	OP(0xff, 0xff, M, I_NONE, INVALID, "ud0"),
	END
};

/* --- 0f 38: every opcode has a ModRM byte and no immediate --------------- */

static const Sub s_crc32[] = {		/* 0f 38 f0/f1 */
	S(ALLREG, ANY, ALLRM, F2, I_NONE, PLAIN, "crc32"),
	S(ALLREG, MEM, ALLRM, NP, I_NONE, PLAIN, "movbe"),
	S(ALLREG, MEM, ALLRM, 66, I_NONE, PLAIN, "movbe m16"),
	SEND
};
static const Sub s_adx[] = {		/* 0f 38 f6 */
	S(ALLREG, ANY, ALLRM, 66, I_NONE, PLAIN, "adcx"),
	S(ALLREG, ANY, ALLRM, F3, I_NONE, PLAIN, "adox"),
	S(ALLREG, ANY, ALLRM, NP, I_NONE, PRIV, "wrssd"),
	SEND
};

static const Op map0f38[] = {
	OP(0x00, 0xff, M, I_NONE, INVALID, "(0f 38 undefined)"),
	OP(0x00, 0x0b, M, I_NONE, PLAIN, "pshufb/phadd/phsub/pmaddubsw/psign/pmulhrsw"),
	OP(0x10, 0x10, M, I_NONE, PLAIN, "pblendvb"),
	OP(0x14, 0x15, M, I_NONE, PLAIN, "blendvps/blendvpd"),
	OP(0x17, 0x17, M, I_NONE, PLAIN, "ptest"),
	OP(0x1c, 0x1e, M, I_NONE, PLAIN, "pabsb/w/d"),
	OP(0x20, 0x25, M, I_NONE, PLAIN, "pmovsx"),
	OP(0x28, 0x2b, M, I_NONE, PLAIN, "pmuldq/pcmpeqq/movntdqa/packusdw"),
	OP(0x30, 0x35, M, I_NONE, PLAIN, "pmovzx"),
	OP(0x37, 0x41, M, I_NONE, PLAIN, "pcmpgtq/pmin/pmax/pmulld/phminposuw"),
	OP(0x80, 0x82, M, I_NONE, PRIV, "invept/invvpid/invpcid"),
	OP(0xc8, 0xcd, M, I_NONE, PLAIN, "sha1/sha256"),
	OP(0xcf, 0xcf, M, I_NONE, PLAIN, "gf2p8mulb"),
	OP(0xdb, 0xdf, M, I_NONE, PLAIN, "aesimc/aesenc/aesenclast/aesdec/aesdeclast"),
	OPS(0xf0, 0xf1, M, I_NONE, s_crc32, "movbe/crc32"),
	OP(0xf5, 0xf5, M, I_NONE, PRIV, "wrussd"),
	OPS(0xf6, 0xf6, M, I_NONE, s_adx, "adcx/adox/wrssd"),
	OP(0xf8, 0xf9, M, I_NONE, PRIV, "movdir64b/enqcmd/movdiri"),
	END
};

/* --- 0f 3a: every opcode has a ModRM byte and an ib ---------------------- */

static const Op map0f3a[] = {
	OP(0x00, 0xff, M, I_B, INVALID, "(0f 3a undefined)"),
	OP(0x08, 0x0f, M, I_B, PLAIN, "round/blend/pblendw/palignr"),
	OP(0x14, 0x17, M, I_B, PLAIN, "pextrb/w/d, extractps"),
	OP(0x20, 0x22, M, I_B, PLAIN, "pinsrb, insertps, pinsrd"),
	OP(0x40, 0x42, M, I_B, PLAIN, "dpps/dppd/mpsadbw"),
	OP(0x44, 0x44, M, I_B, PLAIN, "pclmulqdq"),
	OP(0x60, 0x63, M, I_B, PLAIN, "pcmpestr/pcmpistr"),
	OP(0xcc, 0xcc, M, I_B, PLAIN, "sha1rnds4"),
	OP(0xce, 0xcf, M, I_B, PLAIN, "gf2p8affineqb/gf2p8affineinvqb"),
	OP(0xdf, 0xdf, M, I_B, PLAIN, "aeskeygenassist"),
	END
};

/* --- VEX ------------------------------------------------------------------
 *
 *	V(map, first, last, pp, L, W, flags, name)
 *	VG(map, op, reg0, reg1, pp, L, W, flags, name)	(ModRM.reg selects)
 *
 * L: VL0 (VEX.128 or LZ), VL1 (VEX.256), VLX (both, or LIG); W: VW0, VW1,
 * VWX (WIG, or both element sizes).  flags: V_NDS when vvvv names a
 * register (otherwise all four bits must be 1: the SDM's "VEX.vvvv is
 * reserved and must be 1111b, otherwise #UD", which holds in 32-bit mode
 * too); V_REG/V_MEM for the ModRM forms; V_VSIB; V_WGPR.  Only AVX, AVX2,
 * FMA, F16C, BMI1/2, AVX-VNNI, VEX-encoded GFNI/VAES/VPCLMULQDQ and the
 * AVX-512 mask instructions are here: newer VEX sets (AVX-IFMA,
 * AVX-VNNI-INT8/16, AVX-NE-CONVERT, SHA512, SM3/SM4), AMX and cmpccxadd
 * (64-bit mode only), and AMD's FMA4 and vpermil2 are #UD to the guest.
 */
#define V(m, a, b, p, l, w, f, x, n)	{ VXM_##m, a, b, P_##p, 0, 7, l, w, f, VXF_##x, n }
#define VG(m, a, r0, r1, p, l, w, f, x, n)	{ VXM_##m, a, a, P_##p, r0, r1, l, w, f, VXF_##x, n }

const Vop vx_voptab[] = {
	/* map 0f: AVX, AVX2 */
	V(0F, 0x10, 0x11, NP, VLX, VWX, 0, AVX, "vmovups"),
	V(0F, 0x10, 0x11, 66, VLX, VWX, 0, AVX, "vmovupd"),
	V(0F, 0x10, 0x11, F3, VLX, VWX, V_NDS | V_REG, AVX, "vmovss xmm,xmm,xmm"),
	V(0F, 0x10, 0x11, F3, VLX, VWX, V_MEM, AVX, "vmovss m32"),
	V(0F, 0x10, 0x11, F2, VLX, VWX, V_NDS | V_REG, AVX, "vmovsd xmm,xmm,xmm"),
	V(0F, 0x10, 0x11, F2, VLX, VWX, V_MEM, AVX, "vmovsd m64"),
	V(0F, 0x12, 0x12, NP, VL0, VWX, V_NDS, AVX, "vmovhlps/vmovlps"),
	V(0F, 0x12, 0x12, 66, VL0, VWX, V_NDS | V_MEM, AVX, "vmovlpd"),
	V(0F, 0x12, 0x12, F3, VLX, VWX, 0, AVX, "vmovsldup"),
	V(0F, 0x12, 0x12, F2, VLX, VWX, 0, AVX, "vmovddup"),
	V(0F, 0x13, 0x13, NP, VL0, VWX, V_MEM, AVX, "vmovlps m64,xmm"),
	V(0F, 0x13, 0x13, 66, VL0, VWX, V_MEM, AVX, "vmovlpd m64,xmm"),
	V(0F, 0x14, 0x15, NP, VLX, VWX, V_NDS, AVX, "vunpcklps/vunpckhps"),
	V(0F, 0x14, 0x15, 66, VLX, VWX, V_NDS, AVX, "vunpcklpd/vunpckhpd"),
	V(0F, 0x16, 0x16, NP, VL0, VWX, V_NDS, AVX, "vmovlhps/vmovhps"),
	V(0F, 0x16, 0x16, 66, VL0, VWX, V_NDS | V_MEM, AVX, "vmovhpd"),
	V(0F, 0x16, 0x16, F3, VLX, VWX, 0, AVX, "vmovshdup"),
	V(0F, 0x17, 0x17, NP, VL0, VWX, V_MEM, AVX, "vmovhps m64,xmm"),
	V(0F, 0x17, 0x17, 66, VL0, VWX, V_MEM, AVX, "vmovhpd m64,xmm"),
	V(0F, 0x28, 0x29, NP, VLX, VWX, 0, AVX, "vmovaps"),
	V(0F, 0x28, 0x29, 66, VLX, VWX, 0, AVX, "vmovapd"),
	V(0F, 0x2a, 0x2a, F3, VLX, VWX, V_NDS | V_WGPR, AVX, "vcvtsi2ss"),
	V(0F, 0x2a, 0x2a, F2, VLX, VWX, V_NDS | V_WGPR, AVX, "vcvtsi2sd"),
	V(0F, 0x2b, 0x2b, NP, VLX, VWX, V_MEM, AVX, "vmovntps"),
	V(0F, 0x2b, 0x2b, 66, VLX, VWX, V_MEM, AVX, "vmovntpd"),
	V(0F, 0x2c, 0x2d, F3, VLX, VWX, V_WGPR, AVX, "vcvttss2si/vcvtss2si"),
	V(0F, 0x2c, 0x2d, F2, VLX, VWX, V_WGPR, AVX, "vcvttsd2si/vcvtsd2si"),
	V(0F, 0x2e, 0x2f, NP, VLX, VWX, 0, AVX, "vucomiss/vcomiss"),
	V(0F, 0x2e, 0x2f, 66, VLX, VWX, 0, AVX, "vucomisd/vcomisd"),
	V(0F, 0x50, 0x50, NP, VLX, VWX, V_REG | V_WGPR, AVX, "vmovmskps"),
	V(0F, 0x50, 0x50, 66, VLX, VWX, V_REG | V_WGPR, AVX, "vmovmskpd"),
	V(0F, 0x51, 0x51, NP, VLX, VWX, 0, AVX, "vsqrtps"),
	V(0F, 0x51, 0x51, 66, VLX, VWX, 0, AVX, "vsqrtpd"),
	V(0F, 0x51, 0x51, F3, VLX, VWX, V_NDS, AVX, "vsqrtss"),
	V(0F, 0x51, 0x51, F2, VLX, VWX, V_NDS, AVX, "vsqrtsd"),
	V(0F, 0x52, 0x53, NP, VLX, VWX, 0, AVX, "vrsqrtps/vrcpps"),
	V(0F, 0x52, 0x53, F3, VLX, VWX, V_NDS, AVX, "vrsqrtss/vrcpss"),
	V(0F, 0x54, 0x57, NP, VLX, VWX, V_NDS, AVX, "vandps/vandnps/vorps/vxorps"),
	V(0F, 0x54, 0x57, 66, VLX, VWX, V_NDS, AVX, "vandpd/vandnpd/vorpd/vxorpd"),
	V(0F, 0x58, 0x59, NP, VLX, VWX, V_NDS, AVX, "vaddps/vmulps"),
	V(0F, 0x58, 0x59, 66, VLX, VWX, V_NDS, AVX, "vaddpd/vmulpd"),
	V(0F, 0x58, 0x59, F3, VLX, VWX, V_NDS, AVX, "vaddss/vmulss"),
	V(0F, 0x58, 0x59, F2, VLX, VWX, V_NDS, AVX, "vaddsd/vmulsd"),
	V(0F, 0x5a, 0x5a, NP, VLX, VWX, 0, AVX, "vcvtps2pd"),
	V(0F, 0x5a, 0x5a, 66, VLX, VWX, 0, AVX, "vcvtpd2ps"),
	V(0F, 0x5a, 0x5a, F3, VLX, VWX, V_NDS, AVX, "vcvtss2sd"),
	V(0F, 0x5a, 0x5a, F2, VLX, VWX, V_NDS, AVX, "vcvtsd2ss"),
	V(0F, 0x5b, 0x5b, NP, VLX, VWX, 0, AVX, "vcvtdq2ps"),
	V(0F, 0x5b, 0x5b, 66, VLX, VWX, 0, AVX, "vcvtps2dq"),
	V(0F, 0x5b, 0x5b, F3, VLX, VWX, 0, AVX, "vcvttps2dq"),
	V(0F, 0x5c, 0x5f, NP, VLX, VWX, V_NDS, AVX, "vsubps/vminps/vdivps/vmaxps"),
	V(0F, 0x5c, 0x5f, 66, VLX, VWX, V_NDS, AVX, "vsubpd/vminpd/vdivpd/vmaxpd"),
	V(0F, 0x5c, 0x5f, F3, VLX, VWX, V_NDS, AVX, "vsubss/vminss/vdivss/vmaxss"),
	V(0F, 0x5c, 0x5f, F2, VLX, VWX, V_NDS, AVX, "vsubsd/vminsd/vdivsd/vmaxsd"),
	V(0F, 0x60, 0x6d, 66, VLX, VWX, V_NDS, AVX, "vpunpck*/vpacks*/vpcmpgt*/vpackus*"),
	V(0F, 0x6e, 0x6e, 66, VL0, VWX, V_WGPR, AVX, "vmovd xmm,r/m32"),
	V(0F, 0x6f, 0x6f, 66, VLX, VWX, 0, AVX, "vmovdqa"),
	V(0F, 0x6f, 0x6f, F3, VLX, VWX, 0, AVX, "vmovdqu"),
	V(0F, 0x70, 0x70, 66, VLX, VWX, 0, AVX, "vpshufd"),
	V(0F, 0x70, 0x70, F3, VLX, VWX, 0, AVX, "vpshufhw"),
	V(0F, 0x70, 0x70, F2, VLX, VWX, 0, AVX, "vpshuflw"),
	VG(0F, 0x71, 2, 2, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsrlw ib"),
	VG(0F, 0x71, 4, 4, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsraw ib"),
	VG(0F, 0x71, 6, 6, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsllw ib"),
	VG(0F, 0x72, 2, 2, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsrld ib"),
	VG(0F, 0x72, 4, 4, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsrad ib"),
	VG(0F, 0x72, 6, 6, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpslld ib"),
	VG(0F, 0x73, 2, 3, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsrlq/vpsrldq ib"),
	VG(0F, 0x73, 6, 7, 66, VLX, VWX, V_NDS | V_REG, AVX, "vpsllq/vpslldq ib"),
	V(0F, 0x74, 0x76, 66, VLX, VWX, V_NDS, AVX, "vpcmpeqb/w/d"),
	V(0F, 0x77, 0x77, NP, VLX, VWX, 0, AVX, "vzeroupper/vzeroall"),
	V(0F, 0x7c, 0x7d, 66, VLX, VWX, V_NDS, AVX, "vhaddpd/vhsubpd"),
	V(0F, 0x7c, 0x7d, F2, VLX, VWX, V_NDS, AVX, "vhaddps/vhsubps"),
	V(0F, 0x7e, 0x7e, 66, VL0, VWX, V_WGPR, AVX, "vmovd r/m32,xmm"),
	V(0F, 0x7e, 0x7e, F3, VL0, VWX, 0, AVX, "vmovq xmm,xmm/m64"),
	V(0F, 0x7f, 0x7f, 66, VLX, VWX, 0, AVX, "vmovdqa store"),
	V(0F, 0x7f, 0x7f, F3, VLX, VWX, 0, AVX, "vmovdqu store"),
	VG(0F, 0xae, 2, 3, NP, VL0, VWX, V_MEM, AVX, "vldmxcsr/vstmxcsr"),
	V(0F, 0xc2, 0xc2, NP, VLX, VWX, V_NDS, AVX, "vcmpps"),
	V(0F, 0xc2, 0xc2, 66, VLX, VWX, V_NDS, AVX, "vcmppd"),
	V(0F, 0xc2, 0xc2, F3, VLX, VWX, V_NDS, AVX, "vcmpss"),
	V(0F, 0xc2, 0xc2, F2, VLX, VWX, V_NDS, AVX, "vcmpsd"),
	V(0F, 0xc4, 0xc4, 66, VL0, VWX, V_NDS | V_WGPR, AVX, "vpinsrw"),
	V(0F, 0xc5, 0xc5, 66, VL0, VWX, V_REG | V_WGPR, AVX, "vpextrw r32"),
	V(0F, 0xc6, 0xc6, NP, VLX, VWX, V_NDS, AVX, "vshufps"),
	V(0F, 0xc6, 0xc6, 66, VLX, VWX, V_NDS, AVX, "vshufpd"),
	V(0F, 0xd0, 0xd0, 66, VLX, VWX, V_NDS, AVX, "vaddsubpd"),
	V(0F, 0xd0, 0xd0, F2, VLX, VWX, V_NDS, AVX, "vaddsubps"),
	V(0F, 0xd1, 0xd5, 66, VLX, VWX, V_NDS, AVX, "vpsrlw/d/q, vpaddq, vpmullw"),
	V(0F, 0xd6, 0xd6, 66, VL0, VWX, 0, AVX, "vmovq xmm/m64,xmm"),
	V(0F, 0xd7, 0xd7, 66, VLX, VWX, V_REG | V_WGPR, AVX, "vpmovmskb"),
	V(0F, 0xd8, 0xe5, 66, VLX, VWX, V_NDS, AVX, "vpsubus*/vpmin*/vpand*/vpadd*/vpmax*/vpavg*/vpsra*/vpmulh*"),
	V(0F, 0xe6, 0xe6, 66, VLX, VWX, 0, AVX, "vcvttpd2dq"),
	V(0F, 0xe6, 0xe6, F3, VLX, VWX, 0, AVX, "vcvtdq2pd"),
	V(0F, 0xe6, 0xe6, F2, VLX, VWX, 0, AVX, "vcvtpd2dq"),
	V(0F, 0xe7, 0xe7, 66, VLX, VWX, V_MEM, AVX, "vmovntdq"),
	V(0F, 0xe8, 0xef, 66, VLX, VWX, V_NDS, AVX, "vpsubs*/vpmins*/vpor/vpadds*/vpmaxs*/vpxor"),
	V(0F, 0xf0, 0xf0, F2, VLX, VWX, V_MEM, AVX, "vlddqu"),
	V(0F, 0xf1, 0xf6, 66, VLX, VWX, V_NDS, AVX, "vpsll*/vpmuludq/vpmaddwd/vpsadbw"),
	V(0F, 0xf7, 0xf7, 66, VL0, VWX, V_REG, AVX, "vmaskmovdqu"),
	V(0F, 0xf8, 0xfe, 66, VLX, VWX, V_NDS, AVX, "vpsub*/vpadd*"),

	/* map 0f: AVX-512 mask registers (VEX-encoded); pp and W pick the
	 * width (NP W0 w, NP W1 q, 66 W0 b, 66 W1 d) */
	V(0F, 0x41, 0x42, NP, VL1, VWX, V_NDS | V_REG, AVX512, "kandw/q, kandnw/q"),
	V(0F, 0x41, 0x42, 66, VL1, VWX, V_NDS | V_REG, AVX512, "kandb/d, kandnb/d"),
	V(0F, 0x44, 0x44, NP, VL0, VWX, V_REG, AVX512, "knotw/q"),
	V(0F, 0x44, 0x44, 66, VL0, VWX, V_REG, AVX512, "knotb/d"),
	V(0F, 0x45, 0x47, NP, VL1, VWX, V_NDS | V_REG, AVX512, "korw/q, kxnorw/q, kxorw/q"),
	V(0F, 0x45, 0x47, 66, VL1, VWX, V_NDS | V_REG, AVX512, "korb/d, kxnorb/d, kxorb/d"),
	V(0F, 0x4a, 0x4a, NP, VL1, VWX, V_NDS | V_REG, AVX512, "kaddw/q"),
	V(0F, 0x4a, 0x4a, 66, VL1, VWX, V_NDS | V_REG, AVX512, "kaddb/d"),
	V(0F, 0x4b, 0x4b, NP, VL1, VWX, V_NDS | V_REG, AVX512, "kunpckwd/dq"),
	V(0F, 0x4b, 0x4b, 66, VL1, VW0, V_NDS | V_REG, AVX512, "kunpckbw"),
	V(0F, 0x90, 0x90, NP, VL0, VWX, 0, AVX512, "kmovw/q k,k/m"),
	V(0F, 0x90, 0x90, 66, VL0, VWX, 0, AVX512, "kmovb/d k,k/m"),
	V(0F, 0x91, 0x91, NP, VL0, VWX, V_MEM, AVX512, "kmovw/q m,k"),
	V(0F, 0x91, 0x91, 66, VL0, VWX, V_MEM, AVX512, "kmovb/d m,k"),
	/* kmovq with r64 (f2 W1 92/93) is #UD outside 64-bit mode */
	V(0F, 0x92, 0x93, NP, VL0, VW0, V_REG, AVX512, "kmovw k,r32 / r32,k"),
	V(0F, 0x92, 0x93, 66, VL0, VW0, V_REG, AVX512, "kmovb k,r32 / r32,k"),
	V(0F, 0x92, 0x93, F2, VL0, VW0, V_REG, AVX512, "kmovd k,r32 / r32,k"),
	V(0F, 0x98, 0x99, NP, VL0, VWX, V_REG, AVX512, "kortestw/q, ktestw/q"),
	V(0F, 0x98, 0x99, 66, VL0, VWX, V_REG, AVX512, "kortestb/d, ktestb/d"),

	/* map 0f38 */
	V(0F38, 0x00, 0x0b, 66, VLX, VWX, V_NDS, AVX, "vpshufb/vphadd*/vpmaddubsw/vphsub*/vpsign*"),
	V(0F38, 0x0c, 0x0d, 66, VLX, VW0, V_NDS, AVX, "vpermilps/vpermilpd"),
	V(0F38, 0x0e, 0x0f, 66, VLX, VW0, 0, AVX, "vtestps/vtestpd"),
	V(0F38, 0x13, 0x13, 66, VLX, VW0, 0, F16C, "vcvtph2ps"),
	V(0F38, 0x16, 0x16, 66, VL1, VW0, V_NDS, AVX2, "vpermps"),
	V(0F38, 0x17, 0x17, 66, VLX, VWX, 0, AVX, "vptest"),
	V(0F38, 0x18, 0x18, 66, VLX, VW0, 0, AVX, "vbroadcastss"),
	V(0F38, 0x19, 0x19, 66, VL1, VW0, 0, AVX2, "vbroadcastsd"),
	V(0F38, 0x1a, 0x1a, 66, VL1, VW0, V_MEM, AVX, "vbroadcastf128"),
	V(0F38, 0x1c, 0x1e, 66, VLX, VWX, 0, AVX, "vpabsb/w/d"),
	V(0F38, 0x20, 0x25, 66, VLX, VWX, 0, AVX, "vpmovsx*"),
	V(0F38, 0x28, 0x29, 66, VLX, VWX, V_NDS, AVX, "vpmuldq/vpcmpeqq"),
	V(0F38, 0x2a, 0x2a, 66, VLX, VWX, V_MEM, AVX, "vmovntdqa"),
	V(0F38, 0x2b, 0x2b, 66, VLX, VWX, V_NDS, AVX, "vpackusdw"),
	V(0F38, 0x2c, 0x2f, 66, VLX, VW0, V_NDS | V_MEM, AVX, "vmaskmovps/pd"),
	V(0F38, 0x30, 0x35, 66, VLX, VWX, 0, AVX, "vpmovzx*"),
	V(0F38, 0x36, 0x36, 66, VL1, VW0, V_NDS, AVX2, "vpermd"),
	V(0F38, 0x37, 0x40, 66, VLX, VWX, V_NDS, AVX, "vpcmpgtq/vpmin*/vpmax*/vpmulld"),
	V(0F38, 0x41, 0x41, 66, VL0, VWX, 0, AVX, "vphminposuw"),
	V(0F38, 0x45, 0x45, 66, VLX, VWX, V_NDS, AVX2, "vpsrlvd/q"),
	V(0F38, 0x46, 0x46, 66, VLX, VW0, V_NDS, AVX2, "vpsravd"),
	V(0F38, 0x47, 0x47, 66, VLX, VWX, V_NDS, AVX2, "vpsllvd/q"),
	V(0F38, 0x50, 0x53, 66, VLX, VW0, V_NDS, AVXVNNI, "vpdpbusd(s)/vpdpwssd(s) (AVX-VNNI)"),
	V(0F38, 0x58, 0x59, 66, VLX, VW0, 0, AVX2, "vpbroadcastd/q"),
	V(0F38, 0x5a, 0x5a, 66, VL1, VW0, V_MEM, AVX2, "vbroadcasti128"),
	V(0F38, 0x78, 0x79, 66, VLX, VW0, 0, AVX2, "vpbroadcastb/w"),
	V(0F38, 0x8c, 0x8c, 66, VLX, VWX, V_NDS | V_MEM, AVX2, "vpmaskmovd/q load"),
	V(0F38, 0x8e, 0x8e, 66, VLX, VWX, V_NDS | V_MEM, AVX2, "vpmaskmovd/q store"),
	V(0F38, 0x90, 0x93, 66, VLX, VWX, V_NDS | V_VSIB, AVX2, "vpgather*/vgather*"),
	V(0F38, 0x96, 0x9f, 66, VLX, VWX, V_NDS, FMA, "vfm*132 (FMA)"),
	V(0F38, 0xa6, 0xaf, 66, VLX, VWX, V_NDS, FMA, "vfm*213 (FMA)"),
	V(0F38, 0xb6, 0xbf, 66, VLX, VWX, V_NDS, FMA, "vfm*231 (FMA)"),
	V(0F38, 0xcf, 0xcf, 66, VLX, VW0, V_NDS, VGFNI, "vgf2p8mulb"),
	V(0F38, 0xdb, 0xdb, 66, VL0, VWX, 0, VAES, "vaesimc"),
	V(0F38, 0xdc, 0xdf, 66, VLX, VWX, V_NDS, VAES, "vaesenc/vaesenclast/vaesdec/vaesdeclast"),
	/* BMI1, BMI2 */
	V(0F38, 0xf2, 0xf2, NP, VL0, VWX, V_NDS | V_WGPR, BMI1, "andn"),
	VG(0F38, 0xf3, 1, 3, NP, VL0, VWX, V_NDS | V_WGPR, BMI1, "blsr/blsmsk/blsi"),
	V(0F38, 0xf5, 0xf5, NP, VL0, VWX, V_NDS | V_WGPR, BMI2, "bzhi"),
	V(0F38, 0xf5, 0xf5, F3, VL0, VWX, V_NDS | V_WGPR, BMI2, "pext"),
	V(0F38, 0xf5, 0xf5, F2, VL0, VWX, V_NDS | V_WGPR, BMI2, "pdep"),
	V(0F38, 0xf6, 0xf6, F2, VL0, VWX, V_NDS | V_WGPR, BMI2, "mulx"),
	V(0F38, 0xf7, 0xf7, NP, VL0, VWX, V_NDS | V_WGPR, BMI1, "bextr"),
	V(0F38, 0xf7, 0xf7, 66, VL0, VWX, V_NDS | V_WGPR, BMI2, "shlx"),
	V(0F38, 0xf7, 0xf7, F3, VL0, VWX, V_NDS | V_WGPR, BMI2, "sarx"),
	V(0F38, 0xf7, 0xf7, F2, VL0, VWX, V_NDS | V_WGPR, BMI2, "shrx"),

	/* map 0f3a: all take an ib */
	V(0F3A, 0x00, 0x01, 66, VL1, VW1, 0, AVX2, "vpermq/vpermpd"),
	V(0F3A, 0x02, 0x02, 66, VLX, VW0, V_NDS, AVX2, "vpblendd"),
	V(0F3A, 0x04, 0x05, 66, VLX, VW0, 0, AVX, "vpermilps/vpermilpd ib"),
	V(0F3A, 0x06, 0x06, 66, VL1, VW0, V_NDS, AVX, "vperm2f128"),
	V(0F3A, 0x08, 0x09, 66, VLX, VWX, 0, AVX, "vroundps/vroundpd"),
	V(0F3A, 0x0a, 0x0b, 66, VLX, VWX, V_NDS, AVX, "vroundss/vroundsd"),
	V(0F3A, 0x0c, 0x0f, 66, VLX, VWX, V_NDS, AVX, "vblendps/vblendpd/vpblendw/vpalignr"),
	V(0F3A, 0x14, 0x17, 66, VL0, VWX, V_WGPR, AVX, "vpextrb/w/d, vextractps"),
	V(0F3A, 0x18, 0x18, 66, VL1, VW0, V_NDS, AVX, "vinsertf128"),
	V(0F3A, 0x19, 0x19, 66, VL1, VW0, 0, AVX, "vextractf128"),
	V(0F3A, 0x1d, 0x1d, 66, VLX, VW0, 0, F16C, "vcvtps2ph"),
	V(0F3A, 0x20, 0x22, 66, VL0, VWX, V_NDS | V_WGPR, AVX, "vpinsrb, vinsertps, vpinsrd"),
	V(0F3A, 0x30, 0x33, 66, VL0, VWX, V_REG, AVX512, "kshiftr*/kshiftl*"),
	V(0F3A, 0x38, 0x38, 66, VL1, VW0, V_NDS, AVX2, "vinserti128"),
	V(0F3A, 0x39, 0x39, 66, VL1, VW0, 0, AVX2, "vextracti128"),
	V(0F3A, 0x40, 0x40, 66, VLX, VWX, V_NDS, AVX, "vdpps"),
	V(0F3A, 0x41, 0x41, 66, VL0, VWX, V_NDS, AVX, "vdppd"),
	V(0F3A, 0x42, 0x42, 66, VLX, VWX, V_NDS, AVX, "vmpsadbw"),
	V(0F3A, 0x44, 0x44, 66, VLX, VWX, V_NDS, VPCLMUL, "vpclmulqdq"),
	V(0F3A, 0x46, 0x46, 66, VL1, VW0, V_NDS, AVX2, "vperm2i128"),
	V(0F3A, 0x4a, 0x4c, 66, VLX, VW0, V_NDS, AVX, "vblendvps/vblendvpd/vpblendvb"),
	/* vpcmpestr*: W1 reads rax/rdx in 64-bit mode */
	V(0F3A, 0x60, 0x61, 66, VL0, VWX, V_WGPR, AVX, "vpcmpestrm/vpcmpestri"),
	V(0F3A, 0x62, 0x63, 66, VL0, VWX, 0, AVX, "vpcmpistrm/vpcmpistri"),
	V(0F3A, 0xce, 0xcf, 66, VLX, VW1, V_NDS, VGFNI, "vgf2p8affineqb/vgf2p8affineinvqb"),
	V(0F3A, 0xdf, 0xdf, 66, VL0, VWX, 0, VAES, "vaeskeygenassist"),
	V(0F3A, 0xf0, 0xf0, F2, VL0, VWX, V_WGPR, BMI2, "rorx"),
	{ 0 }
};

const Op *const vx_optab[NMAP] = {
	[VXM_1] = map1,
	[VXM_0F] = map0f,
	[VXM_0F38] = map0f38,
	[VXM_0F3A] = map0f3a,
};
