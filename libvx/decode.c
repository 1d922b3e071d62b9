/*
 * decode.c — the 32-bit x86 instruction decoder: prefixes, opcode maps
 * (optab.c), ModRM/SIB/displacement, immediates, VEX, and the class the
 * translator acts on.  Every byte read is checked against both the bytes
 * available and the 15-byte architectural limit.  See doc/decoder.md.
 */
#include <pthread.h>
#include <string.h>
#include "decode.h"
#include "optab.h"

/* The rows expanded to one word per opcode byte, built once per process:
 * the row's flags, immediate kind, class and whether it has refinements,
 * beside its index (+ 1; 0: no row), so that an instruction's form is one
 * load after its first byte, not an index and then the row (the row is
 * read for its name and refinements only, off the length's chain; a
 * prefix byte is told by the same word).  4 KiB, and the VEX rows below
 * packed: the tables take three fresh pages (a fresh page is a
 * hypervisor trip on a PVM host; doc/bench.md). */
enum {
	K_IMMSHIFT = 9,		/* bits 0-8: F_* */
	K_CLSSHIFT = 12,	/* bits 9-11: I_* */
	K_SUB = 1 << 17,	/* bits 12-16: VXC_*; the row has refinements */
	K_ROWSHIFT = 18,	/* bits 18-31: the row's index + 1 */
};
_Static_assert(VXC_NCLASS <= 32 && I_MO < 8 && F_MODREG < 1 << K_IMMSHIFT, "an opcode's word holds its row's fields");
static uint32_t optab[NMAP][256];
static pthread_once_t optab_once = PTHREAD_ONCE_INIT;
static _Atomic int optab_built;	/* set by optab_build: pthread_once is a call per decode */
static void voptab_build(void);

static void
optab_build(void)
{
	int m, b;
	const Op *o;

	for(m = 0; m < NMAP; m++)
		for(o = vx_optab[m]; o->name != NULL; o++)
			for(b = o->first; b <= o->last; b++)
				optab[m][b] = (uint32_t)(o - vx_optab[m] + 1) << K_ROWSHIFT
					| (uint32_t)o->cls << K_CLSSHIFT | (uint32_t)o->imm << K_IMMSHIFT
					| o->flags | (o->sub != NULL ? K_SUB : 0);
	voptab_build();
	optab_built = 1;
}

static const Op *
oprow(int map, uint32_t k)
{
	return &vx_optab[map][(k >> K_ROWSHIFT) - 1];
}

/* Outcomes of the steps of decoding: D_LONG, past the length limit. */
enum { D_SHORT = -1, D_BAD = 0, D_OK = 1, D_LONG = 2 };

typedef struct Dec Dec;
struct Dec {
	const uint8_t *p;
	size_t avail;
	int n;			/* bytes consumed */
	int rel;		/* the immediate is a branch displacement */
};

/* Can k more bytes be read?  The length limit is checked first: an
 * instruction that would pass it is invalid however many bytes follow
 * (#GP, as the CPU raises), once its first 15 bytes could be fetched
 * (one of them missing is the fetch's page fault first). */
static int
need(const Dec *d, int k)
{
	if(d->n + k > VX_MAXINSN)
		return d->avail < VX_MAXINSN ? D_SHORT : D_LONG;
	if((size_t)(d->n + k) > d->avail)
		return D_SHORT;
	return D_OK;
}

/* Read k (1, 2 or 4) little-endian bytes; need() was checked.  One
 * 4-byte load, masked, where the bytes past them are there too, not a
 * loop of k loads: a branch on k fewer per immediate or displacement
 * (doc/bench.md, "Translation's cost per fragment"). */
static inline uint32_t
take(Dec *d, int k)
{
	static const uint32_t mask[5] = { 0, 0xff, 0xffff, 0xffffff, 0xffffffff };
	uint32_t v;
	int i;

	if((size_t)d->n + 4 <= d->avail){
		memcpy(&v, d->p + d->n, 4);	/* x86 hosts: little-endian */
		v &= mask[k];
	}else{
		v = 0;
		for(i = 0; i < k; i++)
			v |= (uint32_t)d->p[d->n + i] << (8*i);
	}
	d->n += k;
	return v;
}

/* v's low k (1, 2 or 4) bytes, sign-extended. */
static inline int32_t
sext(uint32_t v, int k)
{
	int s = 32 - 8*k;

	return (int32_t)(v << s) >> s;	/* arithmetic shift (gcc, clang) */
}

/* The mandatory prefix as SSE and later encodings read it. */
static int
mandatory(const VxInsn *in, int lastrep)
{
	if(lastrep)
		return lastrep == 0xf3 ? P_F3 : P_F2;
	return in->opsize ? P_66 : P_NP;
}

/* Legacy prefixes: any number, bounded by the length limit; *k: the
 * one-byte map's word for the byte after them. */
static int
prefixes(Dec *d, VxInsn *in, int *lastrep, uint32_t *k)
{
	static const uint8_t segof[256] = {
		[0x26] = VXS_ES, [0x2e] = VXS_CS, [0x36] = VXS_SS,
		[0x3e] = VXS_DS, [0x64] = VXS_FS, [0x65] = VXS_GS,
	};
	uint8_t b;
	int r;

	for(;;){
		if((r = need(d, 1)) != D_OK)
			return r;
		b = d->p[d->n];
		*k = optab[VXM_1][b];
		if(!(*k & F_PREFIX))
			return D_OK;
		switch(b){
		case 0x66:
			in->opsize = 1;
			break;
		case 0x67:
			in->addrsize = 1;
			break;
		case 0xf0:
			in->lock = 1;
			break;
		case 0xf2:
			in->repne = 1;
			*lastrep = b;
			break;
		case 0xf3:
			in->rep = 1;
			*lastrep = b;
			break;
		default:
			in->seg = segof[b];
			in->segoff = d->n;
			break;
		}
		d->n++;
	}
}

/* ModRM memory operand, 16-bit addressing (67 prefix): no SIB; disp16
 * alone for mod 0, rm 6. */
static void
modrm16(VxInsn *in)
{
	if(in->mod == 0 && in->rm == 6)
		in->dispsize = 2;
	else if(in->mod == 1)
		in->dispsize = 1;
	else if(in->mod == 2)
		in->dispsize = 2;
}

/* ModRM memory operand, 32-bit addressing. */
static inline __attribute__((always_inline)) int
modrm32(Dec *d, VxInsn *in)
{
	int r;

	if(in->rm == 4){
		if((r = need(d, 1)) != D_OK)
			return r;
		in->hassib = 1;
		in->sib = d->p[d->n++];
		in->scale = in->sib >> 6;
		in->index = (in->sib >> 3) & 7;
		if(in->index == 4)
			in->index = 0xff;
		in->base = in->sib & 7;
		if(in->base == 5 && in->mod == 0){
			in->base = 0xff;
			in->dispsize = 4;
		}
	}else if(in->mod == 0 && in->rm == 5)
		in->dispsize = 4;
	else
		in->base = in->rm;
	if(in->mod == 1)
		in->dispsize = 1;
	else if(in->mod == 2)
		in->dispsize = 4;
	return D_OK;
}

/* Inlined, as modrm32 and immediate are: calls made per instruction
 * (doc/bench.md, "Translation's cost per fragment"). */
static inline __attribute__((always_inline)) int
modrm(Dec *d, VxInsn *in, int regonly)
{
	int r;

	if((r = need(d, 1)) != D_OK)
		return r;
	in->hasmodrm = 1;
	in->modrmoff = d->n;
	in->modrm = d->p[d->n++];
	in->mod = in->modrm >> 6;
	in->reg = (in->modrm >> 3) & 7;
	in->rm = in->modrm & 7;
	if(in->mod == 3 || regonly)
		return D_OK;
	in->hasmem = 1;
	if(in->addrsize)
		modrm16(in);
	else if((r = modrm32(d, in)) != D_OK)
		return r;
	if(in->dispsize == 0)
		return D_OK;
	if((r = need(d, in->dispsize)) != D_OK)
		return r;
	in->dispoff = d->n;
	in->disp = sext(take(d, in->dispsize), in->dispsize);
	return D_OK;
}

/* The first refinement of o matching the ModRM byte and prefix, or NULL. */
static const Sub *
refine(const Op *o, const VxInsn *in, int pfx)
{
	const Sub *s;

	for(s = o->sub; s->name != NULL; s++){
		if(in->reg < s->reg0 || in->reg > s->reg1)
			continue;
		if(in->rm < s->rm0 || in->rm > s->rm1)
			continue;
		if(s->mod == MOD_MEM && in->mod == 3)
			continue;
		if(s->mod == MOD_REG && in->mod != 3)
			continue;
		if(s->pfx != P_ANY && s->pfx != pfx)
			continue;
		return s;
	}
	return NULL;
}

/* The immediate (or moffs address) of the given kind: its bytes in
 * all and its first part's (enter's iw, a far pointer's offset), by
 * kind and 66 prefix; a table, not a switch's indirect jump. */
static const uint8_t immall[I_MO][2] = {
	[I_B] = {1, 1}, [I_W] = {2, 2}, [I_Z] = {4, 2}, [I_AP] = {6, 4}, [I_WB] = {3, 3},
};
static const uint8_t immfirst[I_MO][2] = {
	[I_B] = {1, 1}, [I_W] = {2, 2}, [I_Z] = {4, 2}, [I_AP] = {4, 2}, [I_WB] = {2, 2},
};

static inline __attribute__((always_inline)) int
immediate(Dec *d, VxInsn *in, int kind, int rel)
{
	int k, first, r;

	if(kind == I_NONE)
		return D_OK;
	if(kind == I_MO){
		k = in->addrsize ? 2 : 4;
		if((r = need(d, k)) != D_OK)
			return r;
		in->moffs = 1;
		in->hasmem = 1;
		in->dispsize = k;
		in->dispoff = d->n;
		in->disp = (int32_t)take(d, k);	/* an address: not sign-extended */
		return D_OK;
	}
	if(kind > I_MO)
		return D_BAD;
	k = immall[kind][in->opsize != 0];
	first = immfirst[kind][in->opsize != 0];
	if((r = need(d, k)) != D_OK)
		return r;
	in->immoff = d->n;
	in->immsize = k;
	in->imm = take(d, first);
	d->n = in->immoff + k;
	if(rel)
		in->rel = sext(in->imm, first);
	return D_OK;
}

/* The VEX rows of each map and opcode, as indices into vx_voptab:
 * nvrow of them from vrow[vfirst], in the table's order (the first
 * form that fits is taken). */
enum { NVROW = 8, NVLIST = 1024 };
static uint8_t nvrow[NMAP][256];
static uint16_t vfirst[NMAP][256];
static uint16_t vrow[NVLIST];
static int vrowsover;		/* more than NVROW rows for an opcode, or NVLIST in all: a table bug */

static void
voptab_build(void)
{
	uint8_t fill[NMAP][256];
	const Vop *v;
	int m, b, n;

	for(v = vx_voptab; v->name != NULL; v++)
		for(b = v->first; b <= v->last; b++){
			if(nvrow[v->map][b] == NVROW){
				vrowsover = 1;
				continue;
			}
			nvrow[v->map][b]++;
		}
	n = 0;
	for(m = 0; m < NMAP; m++)
		for(b = 0; b < 256; b++){
			vfirst[m][b] = (uint16_t)n;
			n += nvrow[m][b];
		}
	if(n > NVLIST){
		vrowsover = 1;
		return;
	}
	memset(fill, 0, sizeof fill);
	for(v = vx_voptab; v->name != NULL; v++)
		for(b = v->first; b <= v->last; b++)
			if(fill[v->map][b] < nvrow[v->map][b])
				vrow[vfirst[v->map][b] + fill[v->map][b]++] = (uint16_t)(v - vx_voptab);
}

/* The fields of a VEX prefix that say which form an opcode takes. */
typedef struct Vexf Vexf;
struct Vexf {
	int pfx;	/* P_NP, P_66, P_F3, P_F2 */
	int l, w;	/* VL0/VL1, VW0/VW1 */
	int vvvv;	/* as encoded (inverted), all four bits */
};

static void
vexfields(const VxInsn *in, const uint8_t *v, Vexf *f)
{
	uint8_t last;

	last = v[in->vex - 1];
	f->pfx = P_NP + (last & 3);
	f->l = last & 4 ? VL1 : VL0;
	f->w = in->vex == 3 && (v[2] & 0x80) ? VW1 : VW0;
	f->vvvv = (last >> 3) & 0xf;
}

/* A gather's memory operand: a SIB (no 16-bit addressing) whose index is
 * a vector register, and destination, mask and index all different
 * (#UD otherwise).  32-bit mode reads three bits of each. */
static int
vsibok(const VxInsn *in, const Vexf *f)
{
	int dst, mask, idx;

	if(in->mod == 3 || in->addrsize || !in->hassib)
		return 0;
	dst = in->reg;
	mask = ~f->vvvv & 7;
	idx = (in->sib >> 3) & 7;
	return dst != mask && dst != idx && mask != idx;
}

/* The VEX row describing this form, or NULL: the form does not exist in
 * 32-bit mode (#UD). */
static const Vop *
vexform(const VxInsn *in, const uint8_t *v)
{
	const Vop *r;
	Vexf f;
	int i;

	vexfields(in, v, &f);
	for(i = 0; i < nvrow[in->map][in->op]; i++){
		r = &vx_voptab[vrow[vfirst[in->map][in->op] + i]];
		if(r->pfx != f.pfx || !(r->l & f.l) || !(r->w & f.w))
			continue;
		if(!(r->flags & V_NDS) && f.vvvv != 0xf)
			continue;
		if(in->hasmodrm){
			if(in->reg < r->reg0 || in->reg > r->reg1)
				continue;
			if((r->flags & V_REG) && in->mod != 3)
				continue;
			if((r->flags & V_MEM) && in->mod == 3)
				continue;
			if((r->flags & V_VSIB) && !vsibok(in, &f))
				continue;
		}
		return r;
	}
	return NULL;
}

/* VEX (c4/c5 followed by a byte >= 0xc0, which in 32-bit mode cannot be
 * the ModRM of les/lds).  Maps 0f, 0f 38, 0f 3a.  Every VEX instruction has
 * a ModRM byte except vzeroupper/vzeroall (0f 77); map 0f 3a and a few 0f
 * opcodes have an ib.  The class is PLAIN: nothing VEX-encoded reaches
 * segments or control flow in 32-bit mode. */
static int
vex(Dec *d, VxInsn *in, uint8_t c)
{
	const Vop *v;
	int r, m;

	in->vex = c == 0xc5 ? 2 : 3;
	if((r = need(d, in->vex - 1)) != D_OK)
		return r;
	if(c == 0xc5)
		m = 1;
	else
		m = d->p[d->n] & 0x1f;
	d->n += in->vex - 1;
	if(m < 1 || m > 3){
		in->name = "vex (reserved map)";
		return D_BAD;
	}
	in->map = m;
	if((r = need(d, 1)) != D_OK)
		return r;
	in->op = d->p[d->n++];
	in->name = "vex";
	in->cls = VXC_PLAIN;
	if(!(in->map == VXM_0F && in->op == 0x77))
		if((r = modrm(d, in, 0)) != D_OK)
			return r;
	r = D_OK;
	if(in->map == VXM_0F3A)
		r = immediate(d, in, I_B, 0);
	else if(in->map == VXM_0F)
		switch(in->op){
		case 0x70: case 0x71: case 0x72: case 0x73:
		case 0xc2: case 0xc4: case 0xc5: case 0xc6:
			r = immediate(d, in, I_B, 0);
		}
	if(r != D_OK)
		return r;
	v = vexform(in, d->p + in->opoff);
	if(v == NULL || vrowsover){
		in->name = "vex (no such form)";
		in->cls = VXC_INVALID;
		return D_OK;
	}
	in->name = v->name;
	in->feat = v->feat;
	in->vexwgpr = (v->flags & V_WGPR) != 0;
	return D_OK;
}

/* After the whole instruction is known: classes the translator cannot
 * honour in this form. */
static void
refuseforms(VxInsn *in)
{
	switch(in->cls){
	case VXC_JMP: case VXC_JCC: case VXC_LOOP: case VXC_CALL:
	case VXC_JMPIND: case VXC_CALLIND: case VXC_RET:
		/* 66 truncates eip to 16 bits: not supported. */
		if(in->opsize)
			in->cls = VXC_INVALID;
		break;
	}
	/* lock is only defined on a read-modify-write of memory. */
	if(in->lock && !(in->cls == VXC_PLAIN && in->hasmodrm && in->mod != 3 && !in->vex))
		in->cls = VXC_INVALID;
	/* VEX forbids the legacy 66 f2 f3 f0 prefixes. */
	if(in->vex && (in->opsize || in->rep || in->repne || in->lock))
		in->cls = VXC_INVALID;
}

/* A form whose CPUID feature is not in the set is #UD, as on a CPU
 * without it, or whose OS has not enabled its register state: the
 * engines neither save nor clear the YMM upper halves and k registers
 * (doc/decoder.md). */
static void
refusefeat(VxInsn *in, uint32_t feat)
{
	if(in->cls != VXC_INVALID && (in->feat & feat) != in->feat){
		in->cls = VXC_INVALID;
		in->name = in->vex ? "vex (feature not offered)" : "(feature not offered)";
	}
}

static int
decode(Dec *d, VxInsn *in)
{
	const Op *o;
	const Sub *s;
	uint8_t b;
	uint32_t k;
	int r, lastrep, imm;

	lastrep = 0;
	if((r = prefixes(d, in, &lastrep, &k)) != D_OK)
		return r;
	in->opoff = d->n;
	b = d->p[d->n++];
	in->map = VXM_1;
	if(b == 0x0f){
		if((r = need(d, 1)) != D_OK)
			return r;
		b = d->p[d->n++];
		in->map = VXM_0F;
		if(b == 0x38 || b == 0x3a){
			in->map = b == 0x38 ? VXM_0F38 : VXM_0F3A;
			if((r = need(d, 1)) != D_OK)
				return r;
			b = d->p[d->n++];
		}
		k = optab[in->map][b];
	}
	in->op = b;
	if(k == 0){
		in->name = "(undefined)";
		return D_BAD;
	}
	if(k & F_VEX){
		if((r = need(d, 1)) != D_OK)
			return r;
		if(d->p[d->n] >= 0xc0)
			return vex(d, in, b);
	}
	o = oprow(in->map, k);
	in->name = o->name;
	in->cls = (k >> K_CLSSHIFT) & 0x1f;
	imm = (k >> K_IMMSHIFT) & 7;
	if(k & F_MODRM)
		if((r = modrm(d, in, k & F_MODREG)) != D_OK)
			return r;
	if(k & K_SUB){
		s = refine(o, in, mandatory(in, lastrep));
		if(s != NULL){
			in->name = s->name;
			in->cls = s->cls;
			in->feat = s->feat;
			imm = s->imm;
		}else
			in->cls = VXC_INVALID;
	}
	if(k & (F_STRSI | F_STRDI)){
		in->string = 1;
		in->hasmem = 1;
	}
	if(k & F_XLAT){
		in->xlat = 1;
		in->hasmem = 1;
	}
	d->rel = (k & F_REL) != 0;
	return immediate(d, in, imm, d->rel);
}

int
vx_decode(const uint8_t *p, size_t avail, uint32_t eip, VxInsn *in)
{
	static _Atomic uint32_t guest;	/* vx_guestfeat() | 1<<31 once asked */
	uint32_t f;

	if((f = guest) == 0){
		f = vx_guestfeat() | 1u<<31;
		guest = f;
	}
	return vx_decodefeat(p, avail, eip, f & VXF_ALL, in);
}

/*
 * The usual instruction: no prefix, the one-byte map or 0f's, a row
 * without refinements, not VEX, string or xlat, and VX_MAXINSN bytes
 * there (without a prefix an instruction is at most 12 bytes, so no
 * read passes either bound).  The same fields as decode and what follows it
 * in vx_decodefeat give it (in cleared first), by a path with none of
 * their length checks, prefix cases and refusals: 91% of python3.11's
 * instructions (the refined rows, 8%, go the long way: inlining the
 * search made the path no shorter).  callgrind, python3.11's text:
 * 156 host instructions a decode before, 101 now (doc/bench.md,
 * "Translation's own cost").
 */
enum { K_NOTQUICK = F_PREFIX | F_ESC | F_VEX | F_STRSI | F_STRDI | F_XLAT | K_SUB };

static inline __attribute__((always_inline)) int
quick(const uint8_t *p, uint32_t eip, uint32_t k, int map, VxInsn *in)
{
	static const uint8_t dispof[4] = { 0, 1, 4, 0 };	/* by mod */
	const Op *o = oprow(map, k);
	uint32_t v;
	int n, imm, sz, first;

	n = map != VXM_1;	/* the opcode's offset: after the 0f escape */
	in->map = (uint8_t)map;
	in->op = p[n++];
	in->name = o->name;
	in->cls = (k >> K_CLSSHIFT) & 0x1f;
	imm = (k >> K_IMMSHIFT) & 7;
	if(k & F_MODRM){
		in->hasmodrm = 1;
		in->modrmoff = n;
		in->modrm = p[n];
		in->mod = p[n] >> 6;
		in->reg = (p[n] >> 3) & 7;
		in->rm = p[n] & 7;
		n++;
		if(in->mod != 3 && !(k & F_MODREG)){
			in->hasmem = 1;
			in->dispsize = dispof[in->mod];
			if(in->rm == 4){
				in->hassib = 1;
				in->sib = p[n];
				in->scale = p[n] >> 6;
				in->index = (p[n] >> 3) & 7;
				if(in->index == 4)
					in->index = 0xff;
				in->base = p[n] & 7;
				if(in->base == 5 && in->mod == 0){
					in->base = 0xff;
					in->dispsize = 4;
				}
				n++;
			}else if(in->mod == 0 && in->rm == 5)
				in->dispsize = 4;
			else
				in->base = in->rm;
			if(in->dispsize != 0){
				memcpy(&v, p + n, 4);
				in->dispoff = n;
				in->disp = in->dispsize == 1 ? (int8_t)v : (int32_t)v;
				n += in->dispsize;
			}
		}
	}
	if(imm == I_MO){
		in->moffs = 1;
		in->hasmem = 1;
		in->dispsize = 4;
		in->dispoff = n;
		memcpy(&in->disp, p + n, 4);
		n += 4;
	}else if(imm != I_NONE){
		if(imm > I_MO){
			in->len = n;
			in->cls = VXC_INVALID;
			return 0;
		}
		sz = immall[imm][0];
		first = immfirst[imm][0];
		memcpy(&v, p + n, 4);
		in->immoff = n;
		in->immsize = sz;
		in->imm = v & (first == 4 ? 0xffffffffu : (1u << 8*first) - 1);
		n += sz;
		if(k & F_REL)
			in->rel = sext(in->imm, first);
	}
	in->len = n;
	if(k & F_REL)
		in->target = eip + n + (uint32_t)in->rel;
	return in->cls == VXC_INVALID ? 0 : n;
}

/* Every other instruction (vx_decodefeat's in cleared); out of line, so
 * that the quick path saves and restores no more registers than it uses. */
static __attribute__((noinline)) int
decodeall(const uint8_t *p, size_t avail, uint32_t eip, uint32_t feat, VxInsn *in)
{
	Dec d;
	int r;

	if(!optab_built)
		pthread_once(&optab_once, optab_build);
	memset(in, 0, sizeof *in);
	in->base = in->index = 0xff;
	d.p = p;
	d.avail = avail;
	d.n = 0;
	d.rel = 0;
	r = decode(&d, in);
	if(r == D_SHORT)
		return -1;
	in->len = d.n;
	if(r == D_BAD || r == D_LONG){
		in->cls = VXC_INVALID;
		in->toolong = r == D_LONG;
		return 0;
	}
	if(d.rel)
		in->target = eip + in->len + (uint32_t)in->rel;
	refuseforms(in);
	refusefeat(in, feat);
	return in->cls == VXC_INVALID ? 0 : in->len;
}

int
vx_decodefeat(const uint8_t *p, size_t avail, uint32_t eip, uint32_t feat, VxInsn *in)
{
	uint32_t k;

	/* the table is read only once built (optab_build may be under way
	 * on another thread), p[0] only if it is there */
	k = optab_built && avail >= VX_MAXINSN ? optab[VXM_1][p[0]] : 0;
	if(k != 0 && !(k & K_NOTQUICK)){
		memset(in, 0, sizeof *in);
		in->base = in->index = 0xff;
		return quick(p, eip, k, VXM_1, in);
	}
	if((k & F_ESC) && p[1] != 0x38 && p[1] != 0x3a){	/* 0f: jcc, movzx, setcc, cmov, imul */
		k = optab[VXM_0F][p[1]];
		if(k != 0 && !(k & K_NOTQUICK)){
			memset(in, 0, sizeof *in);
			in->base = in->index = 0xff;
			return quick(p, eip, k, VXM_0F, in);
		}
	}
	return decodeall(p, avail, eip, feat, in);
}

const char *
vx_clsname(int cls)
{
	static const char *const names[VXC_NCLASS] = {
		[VXC_INVALID] = "invalid",
		[VXC_PLAIN] = "plain",
		[VXC_JMP] = "jmp",
		[VXC_JCC] = "jcc",
		[VXC_LOOP] = "loop",
		[VXC_CALL] = "call",
		[VXC_JMPIND] = "jmpind",
		[VXC_CALLIND] = "callind",
		[VXC_RET] = "ret",
		[VXC_INT] = "int",
		[VXC_INT3] = "int3",
		[VXC_INTO] = "into",
		[VXC_SYSENTER] = "sysenter",
		[VXC_SYSCALL] = "syscall",
		[VXC_CPUID] = "cpuid",
		[VXC_XGETBV] = "xgetbv",
		[VXC_SYSINSN] = "sysinsn",
		[VXC_PRIV] = "priv",
		[VXC_MOVTOSEG] = "movtoseg",
		[VXC_MOVFROMSEG] = "movfromseg",
		[VXC_POPSEG] = "popseg",
		[VXC_PUSHSEG] = "pushseg",
		[VXC_ENDBR] = "endbr",
	};

	if(cls < 0 || cls >= VXC_NCLASS || names[cls] == NULL)
		return "?";
	return names[cls];
}

/* Register numbers in ModRM order, as in regs[] of vx_insn_ea. */
enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, NOREG };

/* 16-bit addressing: the base and index each ModRM.rm adds. */
static const uint8_t rm16base[8] = { EBX, EBX, EBP, EBP, NOREG, NOREG, EBP, EBX };
static const uint8_t rm16index[8] = { ESI, EDI, ESI, EDI, ESI, EDI, NOREG, NOREG };

static uint32_t
ea16(const VxInsn *in, const uint32_t regs[8])
{
	uint32_t a;

	a = (uint32_t)in->disp;
	if(!(in->mod == 0 && in->rm == 6)){
		if(rm16base[in->rm] != NOREG)
			a += regs[rm16base[in->rm]] & 0xffff;
		if(rm16index[in->rm] != NOREG)
			a += regs[rm16index[in->rm]] & 0xffff;
	}
	return a & 0xffff;
}

/* The implicit operand of a string instruction: [edi] for ins, stos and
 * scas; [esi] for the others (movs and cmps also use [edi]). */
static uint32_t
eastring(const VxInsn *in, const uint32_t regs[8])
{
	uint32_t a;

	switch(in->op){
	case 0x6c: case 0x6d: case 0xaa: case 0xab: case 0xae: case 0xaf:
		a = regs[EDI];
		break;
	default:
		a = regs[ESI];
		break;
	}
	return in->addrsize ? a & 0xffff : a;
}

int
vx_insn_ea(const VxInsn *in, const uint32_t regs[8], uint32_t *ea)
{
	uint32_t a;

	if(!in->hasmem)
		return 0;
	if(in->moffs)
		a = (uint32_t)in->disp;
	else if(in->string)
		a = eastring(in, regs);
	else if(in->xlat){
		a = regs[EBX] + (regs[EAX] & 0xff);
		if(in->addrsize)
			a &= 0xffff;
	}else if(in->addrsize)
		a = ea16(in, regs);
	else{
		a = (uint32_t)in->disp;
		if(in->base != 0xff)
			a += regs[in->base & 7];
		if(in->index != 0xff)
			a += regs[in->index & 7] << in->scale;
	}
	*ea = a;
	return 1;
}
