/*
 * validate.c — an independent checker of the long engine's emitted code.
 *
 * Native Client's idea: trust a small checker rather than the whole
 * translator.  vx_validate decodes a fragment's 64-bit code with its own
 * compact decoder (it shares nothing with decode.c or optab.c, so a bug
 * there cannot hide itself here) and accepts it only if every instruction
 * obeys the rules of doc/validator.md, numbered the same way in the
 * reasons it gives:
 *   1  ModRM memory operands carry %gs and addr32, no other segment
 *      (%gs:disp8(%reg) with no index needs no addr32 where reg's upper
 *      half is zero: %rsp off the scratch stack, or one of rax, rdx,
 *      rbx, rbp, rsi, rdi that no 64-bit write (REX.W, a pop) has set
 *      since its last 32-bit write with REX; no branch while one may be
 *      set, and never %rcx, which a 64-bit loop may set on its taken edge)
 *   2  or are state-block accesses: disp(%r15), no index, inside the
 *      fields fragments use (VxValid.fieldlo..fieldhi, and the 32-bit
 *      count at VxValid.count), not the host's pointers nor the
 *      indirect table
 *   3  string instructions only right after the rebase of their pointers
 *      and right before the guest view is restored
 *   4  host-stack instructions only on the scratch stack in the block
 *   5  lea accesses nothing; a 64-bit lea writes only r8-r11 or rule 3/4
 *   6  xlat only as 65 67 d7
 *   7  direct branches to this fragment (instruction starts outside the
 *      rule 3/4 sequences), runtime stubs or the code cache; the code
 *      ends with an unconditional jmp or ud2 (it may not fall off its end)
 *   8  no call, ret, indirect or far transfer, int, syscall ...; the
 *      indirect jumps are the inline table lookup, exactly
 *      movzwl %cx,%r8d; mov ht(%r15,%r8,4),%r8d; jmp *%r8 (r8 < 65536
 *      bounds the load to the table, which rule 2 keeps fragments from
 *      writing; neither of the last two may be a branch target), and
 *      the return table's (VxValid.rtab): a 32-bit mov into %r9d (which
 *      zero-extends it), at most lea disp(%rsp),%esp (an indirect
 *      call's: just before it, movl $imm32,%gs:-4(%esp), its return
 *      address), then exactly
 *      mov (%r12,%r9,4),%r8d; lea (%r8,%r13),%r8d; jmp *%r8 (the load
 *      stays inside the 16 GiB table at %r12, which no fragment can
 *      write; nothing after the mov may be a branch target), and a
 *      jump-table slice's (VxValid.jtable, njt): movzbl %Rl,%r8d;
 *      mov slice(%r15,%r8,4),%r8d; mov %ecx,spill(%r15); mov %R,%ecx;
 *      jmp *%r8 (r8 < 256 keeps the load in the slice; nothing after
 *      the movzbl may be a branch target)
 *   9  no write of a segment register or base, nothing privileged
 *  10  nothing writes r12, r13, r14 or r15; 64-bit writes of rsp only
 *      as in 4
 *  11  REX only on the engine's own forms (moves, lea, cmov, simple ALU,
 *      push/pop), whose destination is known; no byte register with REX
 *  12  VEX/EVEX register fields name nothing above 7; W0 on GPR writes
 *  13  nothing that reaches state the engines neither keep nor clear (the
 *      ZMM upper parts, the k registers, every XCR0 component; the YMM
 *      upper halves unless the engine keeps them, VxValid.ymm): of VEX
 *      only the BMI1/BMI2 general-register forms, or with ymm any form
 *      but the opmask ones; no EVEX, no xsave
 * Everything the decoder does not know is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vxpriv.h"

enum { Rip = 16 };		/* base "register" of a RIP-relative operand */

typedef struct Vi Vi;		/* one decoded instruction */
struct Vi {			/* small: it is copied for every instruction */
	int8_t len;
	int8_t o16, a32, lock;		/* legacy prefixes */
	uint8_t rep;			/* F2 or F3, the last one */
	uint8_t seg;			/* the last segment prefix */
	int8_t nseg;			/* how many segment prefixes */
	uint8_t rex;			/* 0x40-0x4f, or 0 */
	int8_t vex;			/* 0; 2 or 3: VEX bytes; 4: EVEX */
	int8_t vw, vl, vvvv, pp;	/* VEX.W, .L, vvvv un-inverted, .pp */
	int8_t vhigh;			/* a VEX/EVEX field names a register > 7 */
	int8_t map;			/* 0 one-byte, 1 0F, 2 0F38, 3 0F3A, 5/6 EVEX */
	uint8_t op;
	int16_t modrm;			/* -1 when absent */
	int8_t mod, reg, rm;		/* reg and rm extended by REX/VEX */
	int8_t mem;			/* the ModRM names memory */
	int8_t base, index, scale;	/* -1: none; base Rip */
	int8_t immlen;
	int32_t disp;
	int32_t imm;			/* sign-extended; the rel of a branch */
};

/*
 * Length classes by opcode.  "." nothing follows; m ModRM; b ModRM+imm8;
 * z ModRM+imm16/32; 1 imm8; 4 imm16/32; r rel32; w imm16; e enter (16+8);
 * v imm16/32/64 (mov r,imm); o moffs (64 bits, 32 with addr32); g, G
 * group 3 (test has an immediate); 3 3DNow (ModRM+imm8); R ModRM that
 * always names registers (mov to/from cr, dr); p prefix or
 * escape (handled before the table); x invalid in 64-bit mode.
 */
static const char map0[] =
	"mmmm14xx" "mmmm14xp"	/* 00 */
	"mmmm14xx" "mmmm14xx"	/* 10 */
	"mmmm14px" "mmmm14px"	/* 20 */
	"mmmm14px" "mmmm14px"	/* 30 */
	"pppppppp" "pppppppp"	/* 40 REX */
	"........" "........"	/* 50 */
	"xxpmpppp" "4z1b...."	/* 60 */
	"11111111" "11111111"	/* 70 */
	"bzxbmmmm" "mmmmmmmm"	/* 80 */
	"........" "..x....."	/* 90 */
	"oooo...." "14......"	/* a0 */
	"11111111" "vvvvvvvv"	/* b0 */
	"bbw.ppbz" "e.w..1x."	/* c0 */
	"mmmmxxx." "mmmmmmmm"	/* d0 */
	"11111111" "rrx1...."	/* e0 */
	"p.pp..gG" "......mm";	/* f0 */

static const char map1[] =
	"mmmmx..." "..x.xm.3"	/* 00 */
	"mmmmmmmm" "mmmmmmmm"	/* 10 */
	"RRRRxxxx" "mmmmmmmm"	/* 20 */
	"......x." "pxpxxxxx"	/* 30 */
	"mmmmmmmm" "mmmmmmmm"	/* 40 */
	"mmmmmmmm" "mmmmmmmm"	/* 50 */
	"mmmmmmmm" "mmmmmmmm"	/* 60 */
	"bbbbmmm." "mmxxmmmm"	/* 70 */
	"rrrrrrrr" "rrrrrrrr"	/* 80 */
	"mmmmmmmm" "mmmmmmmm"	/* 90 */
	"...mbmxx" "...mbmmm"	/* a0 */
	"mmmmmmmm" "mmbmmmmm"	/* b0 */
	"mmbmbbbm" "........"	/* c0 */
	"mmmmmmmm" "mmmmmmmm"	/* d0 */
	"mmmmmmmm" "mmmmmmmm"	/* e0 */
	"mmmmmmmm" "mmmmmmmm";	/* f0 */

static int
isprefix(int c)
{
	switch(c){
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		return 1;
	}
	return 0;
}

/* VEX/EVEX opcodes followed by an imm8, in map 1 (all of map 3 has one). */
static int
veximm(int map, int op)
{
	if(map == 3)
		return 1;
	return map == 1 && (op == 0xc2 || op == 0xc4 || op == 0xc5 || op == 0xc6 ||
		(op >= 0x70 && op <= 0x73));
}

/*
 * Decode one instruction of p[0..n).  Returns its length, -1 for an
 * encoding we do not know (or longer than 15 bytes), -2 when p ends
 * inside it.
 */
static int
decode(const uint8_t *p, size_t n, Vi *d)
{
	size_t i, max;
	int c, kind, rr, rx, rb, sib, dsz, isz;

	static const Vi empty = { .modrm = -1, .base = -1, .index = -1 };

	*d = empty;	/* a copy: memset's rep stos was 40% of the time */
	max = n < 15 ? n : 15;
#define NEED(k) do{ if(i + (k) > max) return i + (k) > 15 ? -1 : -2; }while(0)
	for(i = 0;; i++){
		NEED(1);
		c = p[i];
		if(!isprefix(c))
			break;
		switch(c){
		case 0x66: d->o16 = 1; break;
		case 0x67: d->a32 = 1; break;
		case 0xf0: d->lock = 1; break;
		case 0xf2: case 0xf3: d->rep = c; break;
		default: d->seg = c; d->nseg++; break;
		}
	}
	if((c & 0xf0) == 0x40){
		d->rex = c;
		i++;
		NEED(1);
		c = p[i];
		/* a prefix after REX cancels it: never emitted, refuse */
		if(isprefix(c) || (c & 0xf0) == 0x40)
			return -1;
	}
	rr = d->rex >> 2 & 1;
	rx = d->rex >> 1 & 1;
	rb = d->rex & 1;
	i++;
	if(c == 0xc4 || c == 0xc5 || c == 0x62){
		/* VEX and EVEX (always, in 64-bit mode) */
		if(d->rex || d->o16 || d->rep || d->lock)
			return -1;
		if(c == 0xc5){
			NEED(2);
			d->vex = 2;
			rr = !(p[i] & 0x80);
			d->vvvv = ~p[i] >> 3 & 15;
			d->vl = p[i] >> 2 & 1;
			d->pp = p[i] & 3;
			d->map = 1;
			d->op = p[i+1];
			i += 2;
		}else if(c == 0xc4){
			NEED(3);
			d->vex = 3;
			rr = !(p[i] & 0x80);
			rx = !(p[i] & 0x40);
			rb = !(p[i] & 0x20);
			d->map = p[i] & 31;
			if(d->map < 1 || d->map > 3)
				return -1;
			d->vw = p[i+1] >> 7;
			d->vvvv = ~p[i+1] >> 3 & 15;
			d->vl = p[i+1] >> 2 & 1;
			d->pp = p[i+1] & 3;
			d->op = p[i+2];
			i += 3;
		}else{
			NEED(4);
			d->vex = 4;
			/* P0 bit 3 set or P1 bit 2 clear: APX or #UD */
			if((p[i] & 0x08) || !(p[i+1] & 0x04))
				return -1;
			rr = !(p[i] & 0x80);
			rx = !(p[i] & 0x40);
			rb = !(p[i] & 0x20);
			d->map = p[i] & 7;
			if(d->map == 0 || d->map == 4 || d->map == 7)
				return -1;
			d->vhigh = !(p[i] & 0x10) || !(p[i+2] & 0x08);	/* R', V' */
			d->vw = p[i+1] >> 7;
			d->vvvv = ~p[i+1] >> 3 & 15;
			d->vl = p[i+2] >> 5 & 3;
			d->pp = p[i+1] & 3;
			d->op = p[i+3];
			i += 4;
		}
		d->vhigh |= rr | rx | rb | (d->vvvv > 7);
		kind = veximm(d->map, d->op) ? 'b' : 'm';
		if(d->vex != 4 && d->map == 1 && d->op == 0x77)
			kind = '.';	/* vzeroupper, vzeroall */
	}else if(c == 0x0f){
		NEED(1);
		c = p[i++];
		if(c == 0x38 || c == 0x3a){
			NEED(1);
			d->map = c == 0x38 ? 2 : 3;
			d->op = p[i++];
			kind = c == 0x38 ? 'm' : 'b';
		}else{
			d->map = 1;
			d->op = c;
			kind = map1[c];
			/* SSE4a extrq/insertq: two imm8 */
			if(c == 0x78 && (d->o16 || d->rep == 0xf2))
				kind = 'q';
		}
	}else{
		d->map = 0;
		d->op = c;
		kind = map0[c];
	}
	if(kind == 'x' || kind == 'p')
		return -1;
	/* 66 with a rel32 branch: rel16 on AMD, rel32 on Intel.  A length
	   that depends on the vendor cannot be validated. */
	if(kind == 'r' && d->o16)
		return -1;

	switch(kind){
	case 'm': case 'b': case 'z': case 'g': case 'G': case '3': case 'q': case 'R':
		NEED(1);
		d->modrm = p[i++];
		d->mod = kind == 'R' ? 3 : d->modrm >> 6;	/* mov cr/dr: always registers */
		d->reg = (d->modrm >> 3 & 7) | rr << 3;
		d->rm = (d->modrm & 7) | rb << 3;
		if(d->mod != 3){
			d->mem = 1;
			d->scale = 1;
			dsz = d->mod == 1 ? 1 : d->mod == 2 ? 4 : 0;
			if((d->modrm & 7) == 4){
				NEED(1);
				sib = p[i++];
				d->scale = 1 << (sib >> 6);
				if(((sib >> 3 & 7) | rx << 3) != 4)
					d->index = (sib >> 3 & 7) | rx << 3;
				if((sib & 7) == 5 && d->mod == 0)
					dsz = 4;	/* no base */
				else
					d->base = (sib & 7) | rb << 3;
			}else if((d->modrm & 7) == 5 && d->mod == 0){
				d->base = Rip;
				dsz = 4;
			}else
				d->base = d->rm;
			NEED(dsz);
			if(dsz == 1)
				d->disp = (int8_t)p[i];
			else if(dsz == 4)
				d->disp = (int32_t)(p[i] | p[i+1] << 8 | p[i+2] << 16 | (uint32_t)p[i+3] << 24);
			i += dsz;
		}
	}
	/* XOP (AMD) shares 8F with pop r/m: refused */
	if(d->vex == 0 && d->map == 0 && d->op == 0x8f && (d->reg & 7) != 0)
		return -1;

	switch(kind){
	case '1': case 'b': case '3': isz = 1; break;
	case '4': case 'z': isz = d->o16 ? 2 : 4; break;
	case 'r': isz = 4; break;
	case 'w': isz = 2; break;
	case 'e': isz = 3; break;
	case 'q': isz = 2; break;
	case 'v': isz = (d->rex & 8) ? 8 : d->o16 ? 2 : 4; break;
	case 'o': isz = d->a32 ? 4 : 8; break;
	case 'g': isz = (d->reg & 7) < 2; break;
	case 'G': isz = (d->reg & 7) < 2 ? (d->o16 ? 2 : 4) : 0; break;
	default: isz = 0; break;
	}
	NEED(isz);
	d->immlen = isz;
	if(isz == 1)
		d->imm = (int8_t)p[i];
	else if(isz == 2)
		d->imm = (int16_t)(p[i] | p[i+1] << 8);
	else if(isz >= 4)
		d->imm = (int32_t)(p[i] | p[i+1] << 8 | p[i+2] << 16 | (uint32_t)p[i+3] << 24);
	i += isz;
	d->len = i;
	return i;
#undef NEED
}

/* What an instruction is, for the policy. */
enum {
	K_PLAIN,	/* computes; its ModRM memory operand obeys rule 1 or 2 */
	K_LEA,		/* no access */
	K_NOP,		/* 0F 1F: no access */
	K_BRANCH,	/* direct: rule 7 */
	K_STRING,	/* rule 3 */
	K_PUSH, K_POP,	/* rule 4 (pushfq, popfq included) */
	K_XLAT,		/* rule 6 */
	K_IMPLICIT,	/* moffs, maskmov: implicit address, needs %gs addr32 */
	K_UD2,
	K_BAD,		/* refused; why says so */
};

/* jmp, jcc, loop, jrcxz: the direct branches of rule 7 */
static int
isbranch(const Vi *d)
{
	int op;

	op = d->op;
	if(d->vex)
		return 0;
	if(d->map == 1)
		return op >= 0x80 && op <= 0x8f;
	return d->map == 0 && ((op >= 0x70 && op <= 0x7f) || op == 0xeb || op == 0xe9 || (op >= 0xe0 && op <= 0xe3));
}

static int
classify(const Vi *d, const char **why)
{
	int op, r;

	op = d->op;
	r = d->reg & 7;
	if(d->vex){
		if(d->map == 1 && op == 0xf7)
			return K_IMPLICIT;	/* vmaskmovdqu writes [rdi] */
		/* AMX: 48-4b (tileloadd, tileloaddrs, tmmultf32ps ...), 5c-5f
		 * (the dot products, ttransposed), 6b-6f (AMX-COMPLEX,
		 * AMX-TRANSPOSE): tile state, and a tile load's rows at a
		 * stride from the base; no VEX form of anything else there
		 * (red team, session 27: 4a, 5f, 6b-6f passed with ymm) */
		if(d->vex != 4 && d->map == 2 && ((op >= 0x48 && op <= 0x4b) || (op >= 0x5c && op <= 0x5f) ||
		   (op >= 0x6b && op <= 0x6f))){
			*why = "AMX instruction (refused)";
			return K_BAD;
		}
		return K_PLAIN;
	}
	if(d->map == 0){
		if(op >= 0x50 && op <= 0x57)
			return K_PUSH;
		if(op >= 0x58 && op <= 0x5f)
			return K_POP;
		if(isbranch(d))
			return K_BRANCH;
		switch(op){
		case 0x68: case 0x6a: case 0x9c: return K_PUSH;
		case 0x9d: return K_POP;
		case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xaa: case 0xab:
		case 0xac: case 0xad: case 0xae: case 0xaf:
			return K_STRING;
		case 0xa0: case 0xa1: case 0xa2: case 0xa3: return K_IMPLICIT;
		case 0xd7: return K_XLAT;
		case 0x8d:
			if(!d->mem)
				break;
			return K_LEA;
		case 0x6c: case 0x6d: case 0x6e: case 0x6f: case 0xe4: case 0xe5: case 0xe6:
		case 0xe7: case 0xec: case 0xed: case 0xee: case 0xef:
			*why = "port I/O (rule 9)";
			return K_BAD;
		case 0x8e: *why = "write of a segment register (rule 9)"; return K_BAD;
		case 0x8f: *why = "pop to memory (rule 4)"; return K_BAD;
		case 0xc2: case 0xc3: *why = "ret (rule 8)"; return K_BAD;
		case 0xca: case 0xcb: case 0xcf: *why = "far return or iret (rule 8)"; return K_BAD;
		case 0xc8: case 0xc9: *why = "enter/leave (rule 4)"; return K_BAD;
		case 0xcc: case 0xcd: case 0xf1: *why = "software interrupt (rule 8)"; return K_BAD;
		case 0xe8: *why = "call (rule 8)"; return K_BAD;
		case 0xf4: case 0xfa: case 0xfb: *why = "privileged instruction (rule 9)"; return K_BAD;
		case 0xc6: case 0xc7:
			if(r == 0)
				return K_PLAIN;
			if(d->modrm == 0xf8){
				*why = "transactional region (rule 8)";
				return K_BAD;
			}
			break;
		case 0xfe:
			if(r < 2)
				return K_PLAIN;
			break;
		case 0xff:
			if(r < 2)
				return K_PLAIN;
			if(r == 6){
				*why = "push of memory (rule 4)";
				return K_BAD;
			}
			if(r < 6){
				*why = "indirect or far call/jmp (rule 8)";
				return K_BAD;
			}
			break;
		default:
			return K_PLAIN;
		}
		*why = "unknown instruction";
		return K_BAD;
	}
	if(d->map == 1){
		if(isbranch(d))
			return K_BRANCH;
		/* rdtscp and serialize, the decoder's PLAIN forms of 0f 01:
		 * they read the TSC (and TSC_AUX) or wait; codefuzz seed
		 * 276837625 showed the validator refused every 0f 01 */
		if(op == 0x01 && (d->modrm == 0xf9 || d->modrm == 0xe8) && !d->rep && !d->o16 && !d->lock)
			return K_PLAIN;
		switch(op){
		case 0x00: case 0x01: case 0x06: case 0x08: case 0x09: case 0x20: case 0x21:
		case 0x22: case 0x23: case 0x30: case 0x32: case 0x33: case 0x37: case 0x78:
		case 0x79: case 0xaa:
			*why = "system or privileged instruction (rule 9)";
			return K_BAD;
		case 0x02: case 0x03:
			*why = "segment descriptor access (rule 9)";
			return K_BAD;
		case 0x05: case 0x07: case 0x34: case 0x35:
			*why = "syscall/sysenter/sysexit/sysret (rule 8)";
			return K_BAD;
		case 0x0b: return K_UD2;
		case 0x0f: *why = "3DNow! (refused)"; return K_BAD;
		case 0x1f: return d->mem ? K_NOP : K_PLAIN;
		case 0xa0: case 0xa8: *why = "push of a segment register (rule 4)"; return K_BAD;
		case 0xa1: case 0xa9: case 0xb2: case 0xb4: case 0xb5:
			*why = "write of a segment register (rule 9)";
			return K_BAD;
		case 0xb9: case 0xff: *why = "trap other than ud2 (rule 8)"; return K_BAD;
		case 0xf7: return K_IMPLICIT;	/* maskmovq/maskmovdqu write [rdi] */
		case 0xae:
			if(d->rep == 0xf3 && d->mod == 3 && r < 4){
				*why = "FS/GS base instruction (rule 9)";
				return K_BAD;
			}
			if(d->rep || (d->mod == 3 && (d->o16 || r < 5))){
				*why = "system instruction (rule 9)";
				return K_BAD;
			}
			return K_PLAIN;
		case 0xc7:
			if((r == 1 && d->mem) || (d->mod == 3 && r >= 6 && !d->rep))
				return K_PLAIN;	/* cmpxchg8b/16b, rdrand, rdseed (with 66: of a 16-bit register, codefuzz seed 291000519) */
			if(r == 4 && d->mem && !d->rep && !d->o16)
				return K_PLAIN;	/* xsavec: an explicit operand, as xsave */
			if(d->mod == 3 && r == 7 && d->rep == 0xf3 && !d->o16)
				return K_PLAIN;	/* rdpid: reads TSC_AUX into a register */
			*why = "system instruction (rule 9)";
			return K_BAD;
		case 0xba:
			if(r >= 4)
				return K_PLAIN;
			break;
		default:
			return K_PLAIN;
		}
		*why = "unknown instruction";
		return K_BAD;
	}
	if(d->map == 2){
		/* the f0 row holds movdir64b and enqcmd (a destination address in
		   a register, through ES), wrss/wruss, RAO-INT: only movbe,
		   crc32, adcx/adox and movdiri are taken from it.  80-82:
		   invept/invvpid/invpcid */
		if((op >= 0xf2 && op != 0xf6 && op != 0xf9) || (op == 0xf6 && !d->o16 && d->rep != 0xf3) ||
		   (op >= 0x80 && op <= 0x82)){
			*why = "system or implicit-address instruction (rule 9)";
			return K_BAD;
		}
		return K_PLAIN;
	}
	return K_PLAIN;	/* 0F 3A */
}

/* An 8-bit register operand: with REX it would mean spl..dil, r8b.. */
static int
bytereg(const Vi *d)
{
	int op;

	op = d->op;
	if(d->map == 0){
		if(op < 0x40 && (op & 7) < 4 && !(op & 1))
			return 1;		/* ALU r/m8, r8 both ways */
		if(op == 0x84 || op == 0x86 || op == 0x88 || op == 0x8a || (op >= 0xb0 && op <= 0xb7))
			return 1;
		if(op == 0x80 || op == 0xc0 || op == 0xc6 || op == 0xd0 || op == 0xd2 || op == 0xf6 || op == 0xfe)
			return d->mod == 3;
		return 0;
	}
	if(d->map == 1)
		return ((op >= 0x90 && op <= 0x9f) || op == 0xb6 || op == 0xbe) && d->mod == 3;
	return 0;
}

/*
 * Rule 11: the general-register destination of a REX-prefixed form we
 * accept, in *dst (-1: none), or a reason to refuse.
 */
static const char *
rexform(const Vi *d, int *dst)
{
	int op, r;

	op = d->op;
	r = d->reg & 7;
	*dst = -1;
	if(bytereg(d))
		return "byte register with a REX prefix (rule 11)";
	if(d->map == 0){
		if(op < 0x40 && (op & 7) < 4){		/* ALU, word forms */
			if(op >> 3 == 7)
				return NULL;		/* cmp */
			*dst = (op & 2) ? d->reg : d->mod == 3 ? d->rm : -1;
			return NULL;
		}
		if(op >= 0x58 && op <= 0x5f){
			*dst = (op & 7) | (d->rex & 1) << 3;
			return NULL;
		}
		if(op >= 0xb8 && op <= 0xbf){
			*dst = (op & 7) | (d->rex & 1) << 3;
			return NULL;
		}
		switch(op){
		case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55:
		case 0x56: case 0x57: case 0x85: case 0xc6:
			return NULL;
		case 0x89:
			*dst = d->mod == 3 ? d->rm : -1;
			return NULL;
		case 0x8b: case 0x8d: case 0x63:
			*dst = d->reg;
			return NULL;
		case 0x81: case 0x83: case 0xc7:
			if(op == 0xc7 && r != 0)
				break;
			*dst = r == 7 || d->mod != 3 ? -1 : d->rm;
			return NULL;
		case 0xd9:	/* fldenv, fnstenv of the state block (fpuclean) */
			if((r == 4 || r == 6) && d->mod != 3 && !(d->rex & 8))
				return NULL;
			break;
		}
	}else if(d->map == 1){
		if(op == 0xb6 || op == 0xb7 || op == 0xbe || op == 0xbf || (op >= 0x40 && op <= 0x4f)){
			*dst = d->reg;
			return NULL;
		}
	}
	return "REX prefix on a form the engine does not emit (rule 11)";
}

/* Does the instruction name register 4 (rsp) in any register field?  Such
   an instruction ends the scratch-stack sequence (rule 4): conservative. */
static int
namesrsp(const Vi *d)
{
	if(d->modrm >= 0 && (d->reg == 4 || (d->mod == 3 && d->rm == 4)))
		return 1;
	if(d->vex && d->vvvv == 4)
		return 1;
	if(d->map == 0 && (d->op == 0x94 || d->op == 0xbc))
		return 1;
	return d->map == 1 && d->op == 0xcc;
}

/* mov %esi,%esi (1) or mov %edi,%edi (2), as 89 or 8B with nothing else;
   0 for anything else */
static int
movself(const uint8_t *p, const Vi *d)
{
	if(d->len != 2 || (p[0] != 0x89 && p[0] != 0x8b))
		return 0;
	return p[1] == 0xf6 ? 1 : p[1] == 0xff ? 2 : 0;
}

/* lea without prefixes other than REX.W+B/X: its register fields */
static int
plainlea64(const Vi *d)
{
	return d->map == 0 && d->op == 0x8d && !d->vex && (d->rex & 8) && d->mem &&
		!d->a32 && !d->o16 && !d->rep && !d->lock && !d->nseg;
}

/* lea (%r14,%reg),%reg, either order, scale 1, disp 0 (rule 3) */
static int
rebaselea(const Vi *d, int reg)
{
	return plainlea64(d) && d->reg == reg && d->disp == 0 && d->scale == 1 &&
		((d->base == 14 && d->index == reg) || (d->base == reg && d->index == 14));
}

/* lea disp(%r15),%rsp into the scratch stack (rule 4) */
static int
stacklea(const Vi *d, const VxValid *v)
{
	return plainlea64(d) && d->reg == 4 && d->base == 15 && d->index < 0 &&
		(int64_t)d->disp >= v->xstack && d->disp <= (int64_t)v->xstack + v->xstacksize;
}

/* Bytes a ModRM memory operand may touch, for rule 2; -1: unbounded. */
static int
opsize(const Vi *d)
{
	int op, r;

	op = d->op;
	r = d->reg & 7;
	if(d->vex){
		/* gathers and scatters: the index is a vector */
		if(d->map == 2 && ((op >= 0x90 && op <= 0x93) || (op >= 0xa0 && op <= 0xa3) || op == 0xc6 || op == 0xc7))
			return -1;
		return 64;
	}
	if(d->map == 0){
		if(op == 0xd9 && (r == 4 || r == 6))
			return d->o16 ? 14 : 28;	/* fldenv/fnstenv */
		if(op >= 0xd8 && op <= 0xdf)
			return 108;		/* fnsave/frstor */
		if(bytereg(d) || op == 0x80 || op == 0xc0 || op == 0xc6 || op == 0xd0 || op == 0xd2 ||
		   op == 0xf6 || op == 0xfe)
			return 1;
		return (d->rex & 8) ? 8 : d->o16 ? 2 : 4;
	}
	if(d->map == 1){
		if(op == 0xa3 || op == 0xab || op == 0xb3 || op == 0xbb)
			return -1;		/* bit offset in a register */
		if(op == 0xae)
			return r < 2 ? 512 : r < 4 ? 4 : -1;	/* xsave family: unbounded */
		if(op == 0xb6 || op == 0xbe || (op >= 0x90 && op <= 0x9f))
			return 1;
		if(op == 0xb7 || op == 0xbf)
			return 2;
		if(op >= 0x40 && op <= 0x4f)
			return (d->rex & 8) ? 8 : d->o16 ? 2 : 4;
	}
	return 16;
}

/* Rules 1 and 2 for a ModRM memory operand.  Rule 1's one form without
 * addr32: %gs:disp8(%base), no index, whose base's upper half is zero:
 * %rsp while it is the guest's esp (not the scratch stack, rule 10), or
 * rax, rdx, rbx, rbp, rsi or rdi outside dirty (the registers a 64-bit
 * write may have left with an upper half), so that the access lies
 * within 128 bytes of the window, inside its guards.  Not %rcx: a
 * 64-bit loop (the indirect entry's check) decrements it, and at the
 * loop's target the scan's state does not say so. */
static const char *
memrule(const Vi *d, const VxValid *v, int onstack, int dirty)
{
	int64_t sz;

	if(d->base == Rip)
		return "RIP-relative memory operand (rule 1)";
	if(d->nseg == 0 && !d->a32 && d->base == 15){
		sz = opsize(d);
		if(d->index >= 0 || sz < 0 || d->disp < 0 || d->disp + sz > v->statesize)
			return "state-block access with an index, of unbounded size or outside the block (rule 2)";
		if(v->envlo && d->disp >= (int64_t)v->envlo && d->disp + sz <= (int64_t)v->envlo + 28)
			return NULL;	/* fpuclean's x87 environment (translate.c) */
		if(v->count && d->disp == (int64_t)v->count && sz == 4)
			return NULL;	/* a cold ret's count (translong.c, coldret) */
		if(v->fieldhi && (d->disp < (int64_t)v->fieldlo || d->disp + sz > v->fieldhi))
			return "state-block access outside the fields fragments use (rule 2)";
		return NULL;
	}
	if(d->nseg > 1 || (d->nseg == 1 && d->seg != 0x65))
		return "memory operand with a segment prefix other than %gs (rule 1)";
	if(d->nseg == 0)
		return d->a32 ? "memory operand without %gs (rule 1)" : "memory operand without %gs and addr32 (rule 1)";
	if(!d->a32 && (d->base < 0 || d->base > 7 || d->base == 1 || d->index >= 0 || d->disp < -128 || d->disp > 127
	|| d->mod == 2 || (d->base == 4 && onstack)))
		return "memory operand without addr32 (rule 1)";
	if(!d->a32 && (dirty >> d->base & 1))
		return "memory operand without addr32 whose base's upper half may be set (rule 1)";
	/* the slot's address alone: a VEX or EVEX form may be a gather or
	 * scatter, whose SIB index 4 is a vector register (any 64-bit
	 * offset), and bt's register bit offset adds up to 256 MiB */
	if(!d->a32 && (d->vex || (d->map == 1 && (d->op == 0xa3 || d->op == 0xab || d->op == 0xb3 || d->op == 0xbb))))
		return "operand without addr32 whose address is more than the ModRM's (rule 1)";
	return NULL;
}

/* Rule 12: VEX/EVEX fields that 32-bit mode ignores. */
static const char *
vexrule(const Vi *d, const uint8_t *p)
{
	int op, gprw;

	if(d->vhigh)
		return "VEX/EVEX field names a register above 7 (rule 12)";
	op = d->op;
	/* is4 operand: imm8 bits 7:4 name a register */
	if(d->map == 3 && d->vex != 4 && ((op >= 0x48 && op <= 0x4c) || (op >= 0x5c && op <= 0x5f) ||
	   (op >= 0x68 && op <= 0x6f) || (op >= 0x78 && op <= 0x7f)) && (p[d->len-1] & 0x80))
		return "is4 immediate names a register above 7 (rule 12)";
	/* W1 turns these GPR writes into 64-bit ones (32-bit mode ignores it) */
	/* (and CMPccXADD, VEX.66.0F38 e0-ef, loads the old memory value
	 * into its ModRM.reg register: with W1 all 64 bits of guest data,
	 * which rule 1's dirty registers would miss; red team, session 27) */
	gprw = (d->map == 2 && op >= 0xf0 && op <= 0xf7) || (d->map == 3 && (op == 0xf0 || op == 0x16)) ||
		(d->map == 2 && op >= 0xe0 && op <= 0xef && d->vex != 4) ||
		(d->map == 1 && ((op == 0x7e && d->pp == 1) || (op == 0x93 && d->pp == 3) ||
		 ((op == 0x2c || op == 0x2d || op == 0x78 || op == 0x79) && d->pp >= 2))) ||
		(d->map == 5 && (op == 0x2c || op == 0x2d || op == 0x78 || op == 0x79));
	if(gprw && d->vw)
		return "VEX/EVEX.W1 on a general-register write (rule 12)";
	return NULL;
}

/* Rule 13: the guest is offered no vector state beyond YMM0-7, which is
 * all the engines save (cpuid.c, decode.c refuse the rest), and ymm0-7's
 * upper halves only where the engine keeps them (v->ymm, S_YMM), so no
 * copied instruction may touch the rest: without ymm, VEX only as andn,
 * blsr/blsmsk/blsi, bzhi, pext, pdep, mulx, bextr, shlx, sarx, shrx (0f38
 * f2 f3 f5 f6 f7) and rorx (0f3a f0), all VEX.L0; with it, every VEX form
 * but the AVX-512 opmask ones (0f 41-4b, 90-93, 98-99; 0f3a 30-33: the k
 * registers); no EVEX; not xsave, xrstor, xsaveopt, xsavec (66 0f ae /6
 * is clwb).  Registers above 7 are rule 12's. */
static const char *
staterule(const Vi *d, const VxValid *v)
{
	int op, r;

	op = d->op;
	r = d->reg & 7;
	if(d->vex == 4)
		return "EVEX: vector state the engines do not keep (rule 13)";
	if(d->vex){
		if(d->vl == 0 && ((d->map == 2 && (op == 0xf2 || op == 0xf3 || (op >= 0xf5 && op <= 0xf7))) ||
		   (d->map == 3 && op == 0xf0)))
			return NULL;
		if(!v->ymm)
			return "VEX other than BMI1/BMI2: vector state the engines do not keep (rule 13)";
		if((d->map == 1 && ((op >= 0x41 && op <= 0x4b) || (op >= 0x90 && op <= 0x93) || op == 0x98 || op == 0x99)) ||
		   (d->map == 3 && op >= 0x30 && op <= 0x33))
			return "VEX opmask instruction: the k registers, which the engines do not keep (rule 13)";
		return NULL;
	}
	if(d->map == 1 && d->mem && ((op == 0xae && (r == 4 || r == 5 || (r == 6 && !d->o16))) || (op == 0xc7 && r == 4)))
		return "xsave family: state the engines do not keep (rule 13)";
	return NULL;
}

/* Scan state between instructions (rules 3 and 4). */
typedef struct Scan {
	int prevmov;		/* 1: last was mov %esi,%esi; 2: mov %edi,%edi */
	int rebased;		/* 1 rsi, 2 rdi: host pointers awaiting their string op */
	int fixup;		/* 1 esi, 2 edi: must be restored next */
	int onstack;		/* %rsp is on the scratch stack */
	int dirty;		/* registers 0-7 a 64-bit write may have left
				   with a nonzero upper half (rule 1) */
	int64_t sp;		/* its offset in the block */
	int lookup;		/* 1: after the lookup's movzwl; 2: after its load;
				   return table: 3 after a 32-bit mov into %r9d, 4
				   after an esp lea past it, 5 after the table
				   load, 6 after the lea of the target, 7 after
				   an indirect call's store of its return address;
				   jump-table slice: 8 after movzbl into %r8d, 9
				   after the slot's load, 10 after the spill of
				   ecx, 11 after the mov into ecx */
} Scan;

/* The inline indirect-branch lookup (rule 8's exception). */
static const uint8_t lkzx[] = { 0x44, 0x0f, 0xb7, 0xc1 };	/* movzwl %cx, %r8d */
static const uint8_t lkld[] = { 0x47, 0x8b, 0x84, 0x87 };	/* mov disp32(%r15,%r8,4), %r8d */
static const uint8_t lkjmp[] = { 0x41, 0xff, 0xe0 };		/* jmp *%r8 */
static const uint8_t rtld[] = { 0x47, 0x8b, 0x04, 0x8c };	/* mov (%r12,%r9,4), %r8d */
static const uint8_t rtlea[] = { 0x47, 0x8d, 0x04, 0x28 };	/* lea (%r8,%r13), %r8d */
static const uint8_t rtpush[] = { 0x65, 0xc7, 0x44, 0x24, 0xfc };	/* movl $imm32, %gs:-4(%rsp) */
static const uint8_t rtpush67[] = { 0x65, 0x67, 0xc7, 0x44, 0x24, 0xfc };	/* the same with addr32 (older caches) */

/* mov r/m32, %r9d: REX.R alone, 32 bits, so %r9's upper half is zero */
static int
movr9d(const Vi *d)
{
	return d->map == 0 && d->op == 0x8b && !d->vex && d->rex == 0x44 && d->reg == 9 && !d->o16;
}

/* lea disp(%rsp), %esp: the guest esp update a ret makes */
static int
esplea(const Vi *d)
{
	return d->map == 0 && d->op == 0x8d && !d->vex && !d->rex && d->mem && d->reg == 4 &&
		d->base == 4 && d->index < 0 && !d->a32 && !d->o16 && !d->nseg && !d->rep && !d->lock;
}

/* The return table's sequence (rule 8), after the mov into %r9d. */
static const char *
rtabrule(const Vi *d, const uint8_t *p, Scan *s, const VxValid *v, int st, int *neutral, int *done)
{
	if(!v->rtab)
		return NULL;
	if(d->len == 4 && memcmp(p, rtld, 4) == 0){
		if(st != 3 && st != 4)
			return "return table load without a 32-bit mov into %r9d just before it (rule 8)";
		s->lookup = 5;
	}else if(d->len == 4 && memcmp(p, rtlea, 4) == 0){
		if(st != 5)
			return "lea (%r8,%r13),%r8d not right after the return table load (rule 8)";
		s->lookup = 6;
	}else{
		if((st == 3 || st == 7) && esplea(d)){
			s->lookup = 4;
			*neutral = 0;	/* a jump here would skip the mov */
		}else if(st == 3 && ((d->len == 9 && memcmp(p, rtpush, 5) == 0) || (d->len == 10 && memcmp(p, rtpush67, 6) == 0))){
			s->lookup = 7;	/* an indirect call's return address */
			*neutral = 0;
		}else if(movr9d(d))
			s->lookup = 3;
		return NULL;	/* the rules for any instruction follow */
	}
	*neutral = 0;
	*done = 1;
	return NULL;
}

/* A jump-table slice's lookup (rule 8): movzbl of a byte register into
 * %r8d (r8 < 256), the load of a slot of one of the slices, the spill of
 * ecx, a mov of a register into ecx, then jmp *%r8. */
static const uint8_t jtzx[] = { 0x44, 0x0f, 0xb6 };		/* movzbl %?l, %r8d (c0-c7) */
static const uint8_t jtspill[] = { 0x41, 0x89, 0x8f };		/* mov %ecx, disp32(%r15) */

static const char *
jtrule(const Vi *d, const uint8_t *p, Scan *s, const VxValid *v, int st, int *neutral, int *done)
{
	uint32_t disp;

	if(v->jtable == 0 || v->njt == 0 || (uint64_t)v->jtable + 1024ull * v->njt > v->statesize)
		return NULL;
	if(d->len == 4 && memcmp(p, jtzx, 3) == 0 && (p[3] & 0xf8) == 0xc0 && *neutral){
		s->lookup = 8;
		s->prevmov = 0;
		*done = 1;
		return NULL;
	}
	if(d->len == 8 && memcmp(p, lkld, 4) == 0 && st == 8){
		memcpy(&disp, p + 4, 4);
		if(disp < v->jtable || disp - v->jtable >= 1024u * v->njt || (disp - v->jtable) % 1024 != 0)
			return "jump-table load not of a slice (rule 8)";
		s->lookup = 9;
		*neutral = 0;
		*done = 1;
		return NULL;
	}
	if(st == 9 || st == 10){
		if(st == 9 && d->len == 7 && memcmp(p, jtspill, 3) == 0)
			s->lookup = 10;
		else if(st == 10 && d->len == 2 && p[0] == 0x8b && (p[1] & 0xf8) == 0xc8)
			s->lookup = 11;
		else
			return "jump-table lookup not exactly movzbl, load, spill of ecx, mov to ecx, jmp *%r8 (rule 8)";
		*neutral = 0;	/* the rules for any instruction follow */
	}
	return NULL;
}

static const char *
lookuprule(const Vi *d, const uint8_t *p, Scan *s, const VxValid *v, int *neutral, int *done)
{
	const char *why;
	uint32_t disp;
	int st = s->lookup;

	*done = 0;
	s->lookup = 0;
	if(d->len == 3 && memcmp(p, lkjmp, 3) == 0){
		if(st != 2 && st != 6 && st != 11)
			return "jmp *%r8 not right after the table lookup (rule 8)";
		*neutral = 0;
		*done = 1;
		return NULL;
	}
	if((why = jtrule(d, p, s, v, st, neutral, done)) != NULL || *done || s->lookup)
		return why;
	if((why = rtabrule(d, p, s, v, st, neutral, done)) != NULL || *done || s->lookup)
		return why;
	if(v->htable == 0 || (uint64_t)v->htable + 4 * 65536ull > v->statesize)
		return NULL;
	if(d->len == 4 && memcmp(p, lkzx, 4) == 0 && *neutral){
		s->lookup = 1;
		s->prevmov = 0;
		*done = 1;
		return NULL;
	}
	if(d->len == 8 && memcmp(p, lkld, 4) == 0){
		memcpy(&disp, p + 4, 4);
		if(st != 1 || disp != v->htable)
			return "table load not right after movzwl %cx,%r8d, or not of the table (rule 8)";
		s->lookup = 2;
		*neutral = 0;
		*done = 1;
		return NULL;
	}
	return NULL;
}

static int
strregs(int op)			/* pointers a string instruction uses */
{
	switch(op | 1){
	case 0xa5: case 0xa7: return 3;	/* movs, cmps */
	case 0xab: case 0xaf: return 2;	/* stos, scas */
	default: return 1;		/* lods */
	}
}

static const char *
step(const Vi *d, const uint8_t *p, Scan *s, const VxValid *v, int *neutral)
{
	const char *why;
	int k, dst, r, ms, dset = 0, dclr = 0;

	*neutral = !s->rebased && !s->fixup && !s->onstack && !s->dirty;
	/* rule 1: a branch carries clean registers, as every entry has
	 * them (the runtime loads them with 32-bit moves) */
	if(s->dirty && (isbranch(d) || (d->len == 3 && memcmp(p, lkjmp, 3) == 0)))
		return "branch while a register's upper half may be set (rule 1)";
	if((why = lookuprule(d, p, s, v, neutral, &k)) != NULL)
		return why;
	if(k)
		return NULL;
	why = "unknown instruction";
	k = classify(d, &why);
	if(k == K_BAD)
		return why;
	if(d->vex && (why = vexrule(d, p)) != NULL)
		return why;
	if((why = staterule(d, v)) != NULL)
		return why;

	/* rule 3: the guest view comes back right after a string op */
	ms = movself(p, d);
	if(s->fixup){
		if((s->fixup & ms) == 0)
			return "string instruction not followed by mov %esi,%esi / mov %edi,%edi (rule 3)";
		s->fixup &= ~ms;
		s->prevmov = ms;
		return NULL;
	}
	for(r = 0; d->op == 0x8d && r < 2; r++)
		if(rebaselea(d, 6 + r)){
			*neutral = 0;	/* never a branch target: skips the mov */
			if(s->prevmov != 1 << r)
				return r ? "rebase of %rdi not right after mov %edi,%edi (rule 3)"
					: "rebase of %rsi not right after mov %esi,%esi (rule 3)";
			if(s->rebased & (1 << r))
				return "pointer rebased twice (rule 3)";
			s->rebased |= 1 << r;
			s->prevmov = 0;
			return NULL;
		}
	/* between a rebase and its string op: only the other pointer's
	   rebase (a second mov %esi,%esi would undo the first) */
	if(s->rebased && k != K_STRING && (ms == 0 || (s->rebased & ms)))
		return "instruction between a pointer rebase and its string instruction (rule 3)";
	s->prevmov = ms;

	/* rules 10, 11, 5 */
	if(d->rex){
		if((why = rexform(d, &dst)) != NULL)
			return why;
		if(dst >= 12 && dst <= 15){
			static const char *const w[] = { "write of %r12 (rule 10)", "write of %r13 (rule 10)",
				"write of %r14 (rule 10)", "write of %r15 (rule 10)" };
			return w[dst - 12];
		}
		if(d->op == 0x8d && d->map == 0 && (d->rex & 8) && !(dst >= 8 && dst <= 11)){
			if(stacklea(d, v)){
				s->onstack = 1;
				s->sp = d->disp;
				return NULL;
			}
			if(dst == 4)
				return "64-bit lea of %rsp outside the scratch stack (rule 4)";
			return "64-bit lea writing a guest register (rule 5)";
		}
		if(dst == 4 && (d->rex & 8))
			return "64-bit write of %rsp (rule 10)";
		/* rule 1: a 64-bit write may set the upper half, a 32-bit
		 * one (which zero-extends) clears it; 16 bits keep it.  Made
		 * after the instruction's own operand is checked, which uses
		 * the register as it was (mov 8(%rax),%eax with REX) */
		if(dst >= 0 && dst < 8 && k != K_POP){
			if(d->rex & 8)
				dset = 1 << dst;
			else if(!d->o16)
				dclr = 1 << dst;
		}
	}
	if(k == K_POP && d->map == 0 && d->op >= 0x58 && d->op <= 0x5f && !(d->rex & 1))
		s->dirty |= 1 << (d->op & 7);		/* a 64-bit pop (rule 4) */

	switch(k){
	case K_LEA:
	case K_NOP:
	case K_UD2:
		break;
	case K_PLAIN:
		if(d->mem && (why = memrule(d, v, s->onstack, s->dirty)) != NULL)
			return why;
		break;
	case K_IMPLICIT:
		if(d->nseg != 1 || d->seg != 0x65 || !d->a32)
			return "moffs or maskmov without %gs and addr32 (rule 1)";
		break;
	case K_XLAT:
		if(d->len != 3 || p[0] != 0x65 || p[1] != 0x67)
			return "xlat other than 65 67 d7 (rule 6)";
		break;
	case K_STRING:
		if(d->a32 || d->nseg || d->rex || d->lock)
			return "string instruction with addr32, a segment or REX prefix (rule 3)";
		r = strregs(d->op);
		if(r != s->rebased)
			return (r & ~s->rebased & 1) ? "string instruction without the rebase of %rsi (rule 3)" :
				(r & ~s->rebased & 2) ? "string instruction without the rebase of %rdi (rule 3)" :
				"rebased pointer the string instruction does not use (rule 3)";
		s->rebased = 0;
		s->fixup = r;
		break;
	case K_PUSH:
	case K_POP:
		if(!s->onstack)
			return "push/pop outside the scratch stack (rule 4)";
		if(d->o16)
			return "16-bit push/pop (rule 4)";
		if(k == K_POP && d->op == 0x5c && !(d->rex & 1))
			return "pop of %rsp (rule 4)";
		s->sp += k == K_PUSH ? -8 : 8;
		if(s->sp < v->xstack || s->sp > (int64_t)v->xstack + v->xstacksize)
			return "scratch stack overflow or underflow (rule 4)";
		return NULL;
	case K_BRANCH:
		if(d->o16 || d->rep || d->nseg || d->lock || (d->a32 && !(d->map == 0 && d->op >= 0xe0 && d->op <= 0xe3)))
			return "prefix on a branch (rule 7)";
		break;
	}
	s->dirty = (s->dirty & ~dclr) | dset;
	if(s->onstack && namesrsp(d))
		s->onstack = 0;
	return NULL;
}

static int
isstub(const VxValid *v, uint64_t a)
{
	int i;

	for(i = 0; i < v->nstubs; i++)
		if(v->stubs[i] == a)
			return 1;
	return 0;
}

static int
bad(char *err, size_t nerr, size_t off, const char *why)
{
	if(err != NULL && nerr > 0)
		snprintf(err, nerr, "offset 0x%zx: %s", off, why);
	return -1;
}

int
vx_validlen(const uint8_t *code, size_t len)
{
	Vi d;

	return decode(code, len, &d);
}

enum { START = 1, NEUTRAL = 2, BRANCH = 4 };	/* marks of code offsets */

/* Rule 7 for the branch at off, once every instruction start is marked. */
static int
target(const uint8_t *code, size_t len, uint64_t addr, const VxValid *v, const uint8_t *mark,
	size_t off, char *err, size_t nerr)
{
	Vi d;
	uint64_t tgt;
	int n;
	char buf[96];

	n = decode(code + off, len - off, &d);
	tgt = addr + off + n + d.imm;
	if(tgt >= addr && tgt < addr + len){
		if(!(mark[tgt - addr] & START))
			return bad(err, nerr, off, "branch into the middle of an instruction (rule 7)");
		if(!(mark[tgt - addr] & NEUTRAL))
			return bad(err, nerr, off, "branch into a rebase or scratch-stack sequence (rule 7)");
		return 0;
	}
	if(d.immlen == 4 && (isstub(v, tgt) || (tgt >= v->cachelo && tgt < v->cachehi)))
		return 0;
	snprintf(buf, sizeof buf, "branch to %#llx outside the fragment, stubs and code cache (rule 7)",
		(unsigned long long)tgt);
	return bad(err, nerr, off, buf);
}

/* Is off the rel32 of a plain jmp rel32 (e9) or jcc rel32 (0f 8x) that
 * starts an instruction outside a rule 3/4 sequence?  (Rule 7 leaves
 * branches without prefixes, so the opcode is the first byte.) */
static int
patchable(const uint8_t *code, size_t len, const uint8_t *mark, size_t off)
{
	size_t at;

	if(off + 4 > len || off < 1)
		return 0;
	if(code[off - 1] == 0xe9 && (mark[off - 1] & (START | NEUTRAL)) == (START | NEUTRAL))
		at = off - 1;
	else if(off >= 2 && code[off - 2] == 0x0f && (code[off - 1] & 0xf0) == 0x80
	&& (mark[off - 2] & (START | NEUTRAL)) == (START | NEUTRAL))
		at = off - 2;
	else
		return 0;
	return vx_validlen(code + at, len - at) == (int)(off + 4 - at);
}

int
vx_validate(const uint8_t *code, size_t len, uint64_t addr, const VxValid *v,
	char *err, size_t nerr)
{
	uint8_t small[1024], *mark;
	uint32_t br[256];	/* branch offsets; past 256 the marks are scanned */
	Scan s;
	Vi d;
	size_t off;
	const char *why;
	int n, neutral, rc, ends, nbr, i;

	if(len == 0)
		return 0;
	mark = len <= sizeof small ? small : calloc(len, 1);
	if(mark == NULL)
		return bad(err, nerr, 0, "out of memory");
	memset(mark, 0, len <= sizeof small ? len : 0);
	memset(&s, 0, sizeof s);
	rc = -1;
	ends = 0;
	nbr = 0;

	/* pass 1: boundaries, per-instruction rules, the rule 3/4 sequences */
	for(off = 0; off < len; off += n){
		n = decode(code + off, len - off, &d);
		if(n < 0){
			bad(err, nerr, off, n == -2 ? "instruction runs past the end" : "unknown instruction");
			goto out;
		}
		if((why = step(&d, code + off, &s, v, &neutral)) != NULL){
			bad(err, nerr, off, why);
			goto out;
		}
		mark[off] = START | (neutral ? NEUTRAL : 0);
		if(isbranch(&d)){
			mark[off] |= BRANCH;
			if(nbr < (int)(sizeof br / sizeof br[0]))
				br[nbr] = off;
			nbr++;
		}
		ends = !d.vex && ((d.map == 0 && (d.op == 0xe9 || d.op == 0xeb)) || (d.map == 1 && d.op == 0x0b)
			|| (n == 3 && memcmp(code + off, lkjmp, 3) == 0));	/* passed rule 8 */
	}
	if(s.fixup){
		bad(err, nerr, len, "string instruction not followed by mov %esi,%esi / mov %edi,%edi (rule 3)");
		goto out;
	}
	if(!ends){
		bad(err, nerr, len, "code falls off its end: last instruction not jmp or ud2 (rule 7)");
		goto out;
	}

	/* pass 2: branch targets, now that every start is known */
	if(nbr <= (int)(sizeof br / sizeof br[0])){
		for(i = 0; i < nbr; i++)
			if(target(code, len, addr, v, mark, br[i], err, nerr) < 0)
				goto out;
	}else{
		for(off = 0; off < len; off++)
			if((mark[off] & BRANCH) && target(code, len, addr, v, mark, off, err, nerr) < 0)
				goto out;
	}

	/* pass 3: what the engine will enter or rewrite from outside */
	for(i = 0; i < v->nentries; i++){
		off = v->entries[i];
		if(off >= len || !(mark[off] & START)){
			bad(err, nerr, off, "entry point not at an instruction start");
			goto out;
		}
		if(!(mark[off] & NEUTRAL)){
			bad(err, nerr, off, "entry point inside a rebase or scratch-stack sequence");
			goto out;
		}
	}
	for(i = 0; i < v->npatches; i++){
		off = v->patches[i];
		if(!patchable(code, len, mark, off)){
			bad(err, nerr, off, "patched rel32 not the operand of a jmp or jcc rel32");
			goto out;
		}
	}
	rc = 0;
out:
	if(mark != small)
		free(mark);
	return rc;
}
