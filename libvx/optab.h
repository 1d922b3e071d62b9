/*
 * optab.h — the decoder's opcode tables (optab.c), read by decode.c.
 *
 * Each opcode map is a list of rows, each naming a range of opcode bytes,
 * their operand form, immediate and class.  A row whose meaning depends on
 * the ModRM byte or on a mandatory prefix points at a list of refinements
 * (Sub), searched in order; the first that matches wins.
 * See doc/decoder.md.
 */
#ifndef VX_OPTAB_H
#define VX_OPTAB_H

#include <stdint.h>
#include "decode.h"

/* Immediate kinds. */
enum {
	I_NONE = 0,
	I_B,		/* ib: 1 byte */
	I_W,		/* iw: 2 bytes */
	I_Z,		/* iz: 4 bytes, 2 with a 66 prefix */
	I_AP,		/* far pointer: offset iz + selector iw (6, or 4 with 66) */
	I_WB,		/* enter: iw + ib */
	I_MO,		/* moffs: 4 bytes, 2 with a 67 prefix (an address, not an imm) */
};

/* Row flags. */
enum {
	F_MODRM  = 1<<0,	/* a ModRM byte follows the opcode */
	F_REL    = 1<<1,	/* the immediate is a branch displacement */
	F_STRSI  = 1<<2,	/* string instruction; reports [esi] */
	F_STRDI  = 1<<3,	/* string instruction; reports [edi] */
	F_PREFIX = 1<<4,	/* a legacy prefix byte, not an opcode */
	F_ESC    = 1<<5,	/* 0f, 0f 38, 0f 3a: escape to another map */
	F_VEX    = 1<<6,	/* c4/c5: VEX if the next byte is >= 0xc0 */
	F_XLAT   = 1<<7,	/* d7: reports [ebx+al] */
	F_MODREG = 1<<8,	/* ModRM always names registers whatever its mod
				   (mov to/from control and debug registers) */
};

/* Sub.mod */
enum { MOD_ANY = 0, MOD_MEM, MOD_REG };
/* Sub.pfx: the mandatory prefix (the last f2/f3, else 66, else none). */
enum { P_ANY = 0, P_NP, P_66, P_F3, P_F2 };

typedef struct Sub Sub;
struct Sub {
	uint8_t reg0, reg1;	/* ModRM.reg range */
	uint8_t mod;		/* MOD_* */
	uint8_t rm0, rm1;	/* ModRM.rm range */
	uint8_t pfx;		/* P_* */
	uint8_t imm;		/* I_*: replaces the row's */
	uint8_t cls;		/* VXC_* */
	const char *name;	/* NULL ends a list */
	uint16_t feat;		/* VXF_* (decode.h) the form needs, or 0 */
};

typedef struct Op Op;
struct Op {
	uint8_t first, last;	/* opcode byte range */
	uint16_t flags;		/* F_* */
	uint8_t imm;		/* I_* */
	uint8_t cls;		/* VXC_* */
	const Sub *sub;		/* refinements, or NULL */
	const char *name;	/* NULL ends a list */
};

enum { NMAP = 4 };

/* VEX rows: which pp, VEX.L, VEX.W, vvvv use and ModRM forms of a VEX
 * opcode exist in 32-bit mode (Intel SDM vol. 2).  An encoding no row
 * matches is #UD.  The length does not depend on the rows: map 0f3a
 * and a few 0f opcodes take an ib, every opcode but 0f 77 a ModRM. */
enum {
	VL0 = 1<<0,	/* VEX.128, LZ */
	VL1 = 1<<1,	/* VEX.256 */
	VLX = VL0 | VL1,	/* either: 128 and 256, or LIG */
	VW0 = 1<<0,
	VW1 = 1<<1,
	VWX = VW0 | VW1,	/* WIG, or W selects the element size */
};
enum {
	V_NDS  = 1<<0,	/* vvvv names a register; else it must be 1111 */
	V_REG  = 1<<1,	/* register form only (mod 3) */
	V_MEM  = 1<<2,	/* memory form only */
	V_VSIB = 1<<3,	/* memory through a SIB with a vector index; the
			   destination, mask (vvvv) and index are distinct */
	V_WGPR = 1<<4,	/* W1 would make a general-register operand 64-bit
			   in 64-bit mode; 32-bit mode ignores W */
};

typedef struct Vop Vop;
struct Vop {
	uint8_t map;		/* VXM_0F, VXM_0F38, VXM_0F3A */
	uint8_t first, last;	/* opcode byte range */
	uint8_t pfx;		/* P_NP, P_66, P_F3, P_F2 (VEX.pp) */
	uint8_t reg0, reg1;	/* ModRM.reg range */
	uint8_t l, w;		/* VL* and VW* sets */
	uint8_t flags;		/* V_* */
	uint16_t feat;		/* VXF_* (decode.h): the CPUID feature */
	const char *name;	/* NULL ends the list */
};

/* Every VEX form of 32-bit mode, ending with a row whose name is NULL. */
extern const Vop vx_voptab[];

/* The rows of each map (VXM_*), ending with a row whose name is NULL.
 * Later rows override earlier ones for the same byte. */
extern const Op *const vx_optab[NMAP];

#endif
