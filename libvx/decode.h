/*
 * decode.h — a table-driven decoder for 32-bit x86 user-mode instructions.
 *
 * It finds an instruction's length and parts (prefixes, opcode, ModRM,
 * SIB, displacement, immediates) and its class: what the translator must
 * do with it.  It does not interpret semantics beyond that.
 */
#ifndef VX_DECODE_H
#define VX_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* What the translator does with an instruction. */
enum {
	VXC_INVALID = 0,	/* undefined, unsupported or too long: trap ILLEGAL */
	VXC_PLAIN,		/* copy verbatim (memory operands are confined by DS) */
	VXC_JMP,		/* jmp rel8/rel32: target in .target */
	VXC_JCC,		/* jcc rel8/rel32 (0x70-0x7f, 0f 80-8f) */
	VXC_LOOP,		/* loop/loope/loopne/jecxz (e0-e3), rel8 */
	VXC_CALL,		/* call rel32 */
	VXC_JMPIND,		/* ff /4 */
	VXC_CALLIND,		/* ff /2 */
	VXC_RET,		/* c3, and c2 iw (imm in .imm) */
	VXC_INT,		/* cd ib (vector in .imm) */
	VXC_INT3,		/* cc, and f1 (int1: #DB, vector 1) */
	VXC_INTO,		/* ce */
	VXC_SYSENTER,		/* 0f 34 */
	VXC_SYSCALL,		/* 0f 05 */
	VXC_CPUID,		/* 0f a2 */
	VXC_XGETBV,		/* 0f 01 d0 */
	VXC_SYSINSN,		/* what an i386 process may run of the system
				   instructions: sgdt/sidt (memory), smsw, sldt,
				   str, lar, lsl, verr, verw; the runtime does
				   them (sysinsn.c) */
	VXC_PRIV,		/* privileged, I/O, far transfers, iret, hlt, segment
				   loads other than to fs/gs, lldt, ltr, lgdt ...:
				   trap PRIVILEGED */
	VXC_MOVTOSEG,		/* mov r/m16 -> sreg (8e); .reg = sreg number */
	VXC_MOVFROMSEG,		/* mov sreg -> r/m16 (8c); .reg = sreg number */
	VXC_POPSEG,		/* pop fs / pop gs (0f a1, 0f a9); others are VXC_PRIV */
	VXC_PUSHSEG,		/* push es/cs/ss/ds/fs/gs (06 0e 16 1e 0f a0 0f a8) */
	VXC_ENDBR,		/* f3 0f 1e fb (endbr32) and other hint NOPs: copy or drop */
	VXC_NCLASS
};

/* Segment override prefixes. */
enum { VXS_NONE = 0, VXS_ES, VXS_CS, VXS_SS, VXS_DS, VXS_FS, VXS_GS };

/* Opcode maps. */
enum { VXM_1 = 0, VXM_0F, VXM_0F38, VXM_0F3A };

typedef struct VxInsn {
	uint8_t len;		/* whole instruction, bytes (1..15) */
	uint8_t cls;		/* VXC_* */
	uint8_t map;		/* VXM_* */
	uint8_t op;		/* opcode byte within its map */
	uint8_t opoff;		/* offset of the first opcode byte (0f escape
				   included) = number of prefix bytes */
	uint8_t seg;		/* VXS_* segment override, the last one given */
	uint8_t segoff;		/* offset of that prefix byte (valid if seg) */
	uint8_t opsize;		/* 66 prefix present */
	uint8_t addrsize;	/* 67 prefix present (16-bit addressing) */
	uint8_t rep;		/* f3 present */
	uint8_t repne;		/* f2 present */
	uint8_t lock;		/* f0 present */

	uint8_t hasmodrm;
	uint8_t modrm;
	uint8_t modrmoff;	/* offset of the ModRM byte */
	uint8_t mod, reg, rm;	/* ModRM fields */
	uint8_t hasmem;		/* ModRM names memory (mod != 3), or a moffs form
				   (a0-a3), or a string instruction's implicit operand */
	uint8_t hassib;
	uint8_t sib;
	uint8_t base;		/* 32-bit addressing: base register 0-7, or 0xff none */
	uint8_t index;		/* index register 0-7, or 0xff none */
	uint8_t scale;		/* 0-3 (log2) */
	uint8_t dispsize;	/* 0, 1, 2 or 4 */
	uint8_t dispoff;	/* offset of the displacement */
	int32_t disp;		/* sign-extended displacement */

	uint8_t immsize;	/* total immediate bytes (enter iw,ib = 3, far ptr = 6) */
	uint8_t immoff;		/* offset of the first immediate byte */
	uint32_t imm;		/* first immediate, zero-extended (for INT, RET iw) */

	uint8_t string;		/* a string instruction (movs cmps stos lods scas ins outs) */
	uint8_t moffs;		/* a0-a3 memory-offset form (address in .disp, dispsize 4) */
	int32_t rel;		/* relative branches: the displacement */
	uint32_t target;	/* relative branches: eip + len + rel (wraps mod 2^32) */

	/* Added by the decoder's author (doc/decoder.md). */
	uint8_t vex;		/* VEX-encoded: 2 or 3 (bytes of the c5/c4 prefix,
				   which starts at opoff), else 0 */
	uint8_t vexwgpr;	/* VEX.W would widen a general register in
				   64-bit mode; 32-bit mode ignores it */
	uint8_t xlat;		/* d7 xlat: implicit memory operand [ebx+al] */
	uint8_t toolong;	/* invalid for passing the 15-byte limit (#GP, not #UD) */
	uint16_t feat;		/* VXF_* the form needs (0: none beyond the base set) */
	const char *name;	/* mnemonic of the table row, for traces and tests */
} VxInsn;

/* CPUID features a decoded form needs (optab.c gives each VEX row and
 * the XSAVE rows theirs).  vx_decode accepts a form only if the guest is
 * offered its feature (vx_guestfeat, cpuid.c: the guest's cpuid answer
 * read back, so the two cannot disagree); vx_decodefeat takes the set
 * to check against (VXF_ALL: every form in the tables, for tests).  The
 * vector VEX sets need their register state enabled (OSXSAVE, XCR0): on
 * a CPU whose OS has not, they are #UD, as they are to our guests. */
enum {
	VXF_BMI1	= 1<<0,
	VXF_BMI2	= 1<<1,
	VXF_AVX		= 1<<2,
	VXF_AVX2	= 1<<3,
	VXF_FMA		= 1<<4,
	VXF_F16C	= 1<<5,
	VXF_AVXVNNI	= 1<<6,
	VXF_VAES	= 1<<7,	/* VEX-encoded AES (AES and AVX; 256 bits: VAES) */
	VXF_VPCLMUL	= 1<<8,	/* VEX-encoded PCLMULQDQ (likewise) */
	VXF_VGFNI	= 1<<9,	/* VEX-encoded GFNI */
	VXF_AVX512	= 1<<10,	/* the opmask (k) registers: AVX-512F, BW, DQ */
	VXF_XSAVE	= 1<<11,	/* xsave, xrstor, xsaveopt, xsavec */
	VXF_ALL		= (1<<12) - 1,
};

/* The architectural limit on an instruction's length. */
enum { VX_MAXINSN = 15 };

/* For relative branches (jmp, jcc, loop, call rel) the displacement bytes
 * are also reported as the immediate: immoff/immsize locate them. */

/* Decode the instruction at p, which lies at guest address eip and has avail
 * readable bytes.  Returns the length (> 0) and fills *in, or 0 when the
 * bytes are not a valid or supported instruction (in->cls = VXC_INVALID and
 * in->len = bytes consumed before the problem was known), or -1 when more
 * than avail bytes would be needed. */
int vx_decode(const uint8_t *p, size_t avail, uint32_t eip, VxInsn *in);
int vx_decodefeat(const uint8_t *p, size_t avail, uint32_t eip, uint32_t feat, VxInsn *in);

/* The VXF_* features the guest's cpuid offers (cpuid.c). */
uint32_t vx_guestfeat(void);

/* The name of a class, for traces and tests. */
const char *vx_clsname(int cls);

/* The memory effective address of *in given the eight guest registers
 * (VX_EAX order), before any segment base is added; for a fault report.
 * Returns 0 when the instruction has no memory operand. */
int vx_insn_ea(const VxInsn *in, const uint32_t regs[8], uint32_t *ea);

#endif
