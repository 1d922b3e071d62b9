/*
 * decode.c — tests of the x86 decoder (libvx/decode.c):
 *  1. hand cases for every class and the tricky prefix/ModRM/SIB/disp/imm
 *     forms, and vx_insn_ea;
 *  2. lengths differential against objdump, on real i386 binaries
 *     (busybox, a static glibc program, the i386 libc.so) and on a sweep of
 *     every opcode of every map under several prefixes and ModRM forms;
 *     every instruction of the real binaries must have a usable class;
 *  3. random bytes at the end of a readable page, followed by an
 *     inaccessible one: never a read past avail, -1 exactly when short.
 * All of these decode with every feature of the tables (VXF_ALL); the
 * guest's decoder (vx_decode) accepts only what our cpuid offers, which
 *  4. checks: of the VEX forms only BMI1/BMI2, and no xsave family.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "decode.h"

/* --- helpers --------------------------------------------------------- */

/* The decoder with every form of its tables. */
static int
decall(const uint8_t *p, size_t avail, uint32_t eip, VxInsn *in)
{
	return vx_decodefeat(p, avail, eip, VXF_ALL, in);
}

static int
unhex(const char *s, uint8_t *b, int max)
{
	int n;
	unsigned v;

	n = 0;
	while(*s){
		if(isspace((unsigned char)*s)){
			s++;
			continue;
		}
		if(n >= max || sscanf(s, "%2x", &v) != 1)
			return -1;
		b[n++] = v;
		s += 2;
	}
	return n;
}

static long long
field(const VxInsn *in, const char *name, int *okp)
{
	static const struct {
		const char *name;
		size_t off, size;
		int sign;
	} f[] = {
#define F(x, s) { #x, offsetof(VxInsn, x), sizeof(((VxInsn*)0)->x), s }
		F(len, 0), F(cls, 0), F(map, 0), F(op, 0), F(opoff, 0), F(seg, 0),
		F(segoff, 0), F(opsize, 0), F(addrsize, 0), F(rep, 0), F(repne, 0),
		F(lock, 0), F(hasmodrm, 0), F(modrm, 0), F(modrmoff, 0), F(mod, 0),
		F(reg, 0), F(rm, 0), F(hasmem, 0), F(hassib, 0), F(sib, 0),
		F(base, 0), F(index, 0), F(scale, 0), F(dispsize, 0), F(dispoff, 0),
		F(disp, 1), F(immsize, 0), F(immoff, 0), F(imm, 0), F(string, 0),
		F(moffs, 0), F(rel, 1), F(target, 0), F(vex, 0), F(xlat, 0), F(vexwgpr, 0), F(toolong, 0),
#undef F
	};
	const uint8_t *p;
	size_t i;

	p = (const uint8_t *)in;
	for(i = 0; i < sizeof f / sizeof f[0]; i++){
		if(strcmp(f[i].name, name) != 0)
			continue;
		*okp = 1;
		if(f[i].size == 1)
			return p[f[i].off];
		if(f[i].sign){
			int32_t v;
			memcpy(&v, p + f[i].off, 4);
			return v;
		}else{
			uint32_t v;
			memcpy(&v, p + f[i].off, 4);
			return v;
		}
	}
	*okp = 0;
	return 0;
}

/* Check "name=value name=value ..." against *in; report the first wrong. */
static int
fields(const VxInsn *in, const char *spec, char *why, size_t nwhy)
{
	char buf[256], *t, *save, *eq;
	long long want, got;
	int known;

	snprintf(buf, sizeof buf, "%s", spec ? spec : "");
	for(t = strtok_r(buf, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save)){
		eq = strchr(t, '=');
		if(eq == NULL){
			snprintf(why, nwhy, "bad spec %s", t);
			return 0;
		}
		*eq = 0;
		want = strtoll(eq+1, NULL, 0);
		got = field(in, t, &known);
		if(!known){
			snprintf(why, nwhy, "no field %s", t);
			return 0;
		}
		if(got != want){
			snprintf(why, nwhy, "%s = %#llx, want %#llx", t, got, want);
			return 0;
		}
	}
	return 1;
}

/* --- 1. hand cases ----------------------------------------------------- */

typedef struct Case Case;
struct Case {
	const char *hex;
	int ret;		/* expected return: length, 0 (invalid) or -1 */
	int cls;
	const char *want;	/* further fields */
	uint32_t eip;
};

#define C(h, r, c, w)		{ h, r, VXC_##c, w, 0x1000 }
#define CE(h, r, c, w, e)	{ h, r, VXC_##c, w, e }

static const Case cases[] = {
	/* plain integer, BCD, prefixes */
	C("90", 1, PLAIN, "map=0 op=0x90 opoff=0 hasmodrm=0 hasmem=0"),
	C("f3 90", 2, PLAIN, "rep=1 opoff=1"),
	C("27", 1, PLAIN, ""), C("2f", 1, PLAIN, ""), C("37", 1, PLAIN, ""), C("3f", 1, PLAIN, ""),
	C("d4 0a", 2, PLAIN, "imm=10 immoff=1 immsize=1"), C("d5 0a", 2, PLAIN, "imm=10"),
	C("d6", 1, PLAIN, "op=0xd6 hasmodrm=0"), C("f0 d6", 0, INVALID, "len=2"),
	C("05 78 56 34 12", 5, PLAIN, "imm=0x12345678 immsize=4"),
	C("66 05 34 12", 4, PLAIN, "imm=0x1234 immsize=2 opsize=1"),
	C("b8 78 56 34 12", 5, PLAIN, "imm=0x12345678"),
	C("66 b8 34 12", 4, PLAIN, "imm=0x1234"),
	C("68 00 10 00 00", 5, PLAIN, ""), C("6a ff", 2, PLAIN, "imm=0xff"),
	C("69 c0 10 00 00 00", 6, PLAIN, "imm=16 immoff=2"),
	C("6b c0 10", 3, PLAIN, "imm=16"),
	C("83 c4 10", 3, PLAIN, "mod=3 reg=0 rm=4"),
	C("82 c0 10", 3, PLAIN, ""),
	C("81 6d fc 00 01 00 00", 7, PLAIN, "disp=-4 dispsize=1 dispoff=2 imm=0x100 immoff=3"),
	C("c1 e0 04", 3, PLAIN, ""), C("d3 e0", 2, PLAIN, ""),
	C("f7 05 00 10 00 00 78 56 34 12", 10, PLAIN, "imm=0x12345678 immsize=4 dispsize=4 base=0xff"),
	C("66 f7 05 00 10 00 00 34 12", 9, PLAIN, "imm=0x1234 immsize=2"),
	C("f7 c8 01 00 00 00", 6, PLAIN, "reg=1 immsize=4"),
	C("f7 d8", 2, PLAIN, "immsize=0"), C("f7 f1", 2, PLAIN, ""),
	C("f6 c0 12", 3, PLAIN, "imm=0x12 immsize=1"), C("f6 d8", 2, PLAIN, "immsize=0"),
	C("fe c0", 2, PLAIN, ""), C("fe f8", 0, INVALID, "len=2"),
	C("c8 10 00 01", 4, PLAIN, "immsize=3 imm=0x10 immoff=1"),
	C("c9", 1, PLAIN, ""),
	C("c7 00 01 00 00 00", 6, PLAIN, "imm=1"),
	C("66 c7 00 01 00", 5, PLAIN, "imm=1 immsize=2"),
	C("c6 00 01", 3, PLAIN, "imm=1"), C("c6 08 01", 0, INVALID, "len=3"),
	C("c7 f8 00 00 00 00", 0, INVALID, "len=6"), C("c6 f8 00", 0, INVALID, "len=3"),
	C("8d 44 24 04", 4, PLAIN, ""), C("8d c0", 0, INVALID, "len=2"),
	C("8f c0", 2, PLAIN, ""), C("8f c8", 0, INVALID, "len=2"),
	C("8f 05 00 10 00 00", 6, PLAIN, ""),
	C("ff 30", 2, PLAIN, ""), C("ff 38", 0, INVALID, "len=2"), C("ff c0", 2, PLAIN, ""),
	C("0f b1 0a", 3, PLAIN, ""), C("f0 0f b1 0a", 4, PLAIN, "lock=1 opoff=1"),
	C("f0 0f c7 0e", 4, PLAIN, "lock=1"), C("0f c7 c8", 0, INVALID, "len=3"),
	C("f0 01 c0", 0, INVALID, "len=3"), C("f0 90", 0, INVALID, "len=2"),
	C("f0 ff 00", 4 - 1, PLAIN, "lock=1"),
	C("0f c1 c8", 3, PLAIN, ""), C("0f c8", 2, PLAIN, "map=1 op=0xc8 opoff=0"),
	C("0f 44 c1", 3, PLAIN, ""), C("0f 94 c0", 3, PLAIN, ""),
	C("0f a4 c2 04", 4, PLAIN, "imm=4"), C("0f a5 c2", 3, PLAIN, ""),
	C("0f ac c2 04", 4, PLAIN, ""), C("0f ad c2", 3, PLAIN, ""),
	C("0f bc c1", 3, PLAIN, ""), C("0f bd c1", 3, PLAIN, ""),
	C("f3 0f b8 c1", 4, PLAIN, "rep=1 map=1 op=0xb8"), C("0f b8 c1", 0, INVALID, "len=3"),
	C("f3 0f bd c1", 4, PLAIN, ""), C("f3 0f bc c1", 4, PLAIN, ""),
	C("0f a3 c8", 3, PLAIN, ""), C("0f ab c8", 3, PLAIN, ""),
	C("0f b3 c8", 3, PLAIN, ""), C("0f bb c8", 3, PLAIN, ""),
	C("0f ba e0 05", 4, PLAIN, "imm=5 reg=4"), C("0f ba 20 05", 4, PLAIN, ""),
	C("0f ba c0 05", 0, INVALID, "len=4"),
	C("0f b6 c0", 3, PLAIN, ""), C("0f bf c0", 3, PLAIN, ""), C("0f af c1", 3, PLAIN, ""),
	C("0f 31", 2, PLAIN, ""), C("0f 01 f9", 3, PLAIN, ""),
	C("0f 0d 08", 3, PLAIN, ""), C("0f 18 08", 3, PLAIN, ""),
	C("0f 1f 44 00 00", 5, PLAIN, "disp=0 dispsize=1"),
	C("66 0f 1f 84 00 00 00 00 00", 9, PLAIN, "opoff=1 hassib=1 dispsize=4"),
	C("66 2e 0f 1f 84 00 00 00 00 00", 10, PLAIN, "seg=2 segoff=1 opoff=2"),
	C("f3 0f 1e fa", 4, PLAIN, ""),		/* endbr64: a nop here */
	C("0f 1e c8", 3, PLAIN, ""),
	/* string instructions */
	C("f3 a4", 2, PLAIN, "string=1 hasmem=1 rep=1"),
	C("f3 a5", 2, PLAIN, "string=1"), C("f2 ae", 2, PLAIN, "string=1 repne=1"),
	C("a6", 1, PLAIN, "string=1"), C("aa", 1, PLAIN, "string=1"), C("ad", 1, PLAIN, "string=1"),
	C("d7", 1, PLAIN, "xlat=1 hasmem=1"),
	/* x87 */
	C("d9 ee", 2, PLAIN, ""), C("d9 c9", 2, PLAIN, ""), C("dd 1c 24", 3, PLAIN, "hassib=1"),
	C("db 2d 00 00 00 00", 6, PLAIN, "dispsize=4"), C("df e0", 2, PLAIN, ""),
	C("d9 d1", 0, INVALID, "len=2"), C("d9 08", 0, INVALID, "len=2"),
	C("de d9", 2, PLAIN, ""), C("de d8", 0, INVALID, "len=2"), C("9b", 1, PLAIN, ""),
	C("da e9", 2, PLAIN, ""), C("db e3", 2, PLAIN, ""), C("df f0", 2, PLAIN, ""),
	C("dc 0d 00 00 00 00", 6, PLAIN, ""), C("d8 c1", 2, PLAIN, ""),
	C("dd 7c 24 fe", 4, PLAIN, "disp=-2"),
	/* MMX, SSE .. SSE4.2, AES, PCLMUL, SHA */
	C("0f 6f c1", 3, PLAIN, ""), C("0f 77", 2, PLAIN, ""),
	C("66 0f 6f 04 24", 5, PLAIN, "opsize=1 map=1 op=0x6f"),
	C("f2 0f 10 44 24 04", 6, PLAIN, "repne=1"), C("0f 28 c1", 3, PLAIN, ""),
	C("66 0f 70 c1 1b", 5, PLAIN, "imm=0x1b"), C("0f 71 d0 04", 4, PLAIN, ""),
	C("66 0f 73 d8 08", 5, PLAIN, ""), C("0f c2 c1 01", 4, PLAIN, ""),
	C("66 0f c4 c0 03", 5, PLAIN, ""), C("66 0f c5 c0 03", 5, PLAIN, ""),
	C("0f c6 c1 44", 4, PLAIN, ""), C("0f c3 00", 3, PLAIN, ""),
	C("66 0f 38 00 c1", 5, PLAIN, "map=2 op=0 opoff=1"),
	C("66 0f 3a 0f c1 08", 6, PLAIN, "map=3 op=0x0f imm=8"),
	C("0f 3a 0f c1 08", 5, PLAIN, ""),
	C("66 0f 3a 63 c1 0c", 6, PLAIN, ""), C("66 0f 3a 44 c1 00", 6, PLAIN, ""),
	C("66 0f 38 dc c1", 5, PLAIN, ""), C("66 0f 3a df c1 01", 6, PLAIN, ""),
	C("0f 38 c9 c1", 4, PLAIN, ""), C("0f 3a cc c1 00", 5, PLAIN, ""),
	C("66 0f 38 17 c1", 5, PLAIN, ""), C("66 0f 3a 16 c0 01", 6, PLAIN, ""),
	C("0f 38 f0 06", 4, PLAIN, ""), C("f2 0f 38 f1 c1", 5, PLAIN, ""),
	C("66 0f 38 f6 c1", 5, PLAIN, ""), C("f3 0f 38 f6 c1", 5, PLAIN, ""),
	C("0f 38 50 c1", 0, INVALID, "len=4"), C("0f 3a 50 c1 00", 0, INVALID, "len=5"),
	C("0f ae 00", 3, PLAIN, ""), C("0f ae 08", 3, PLAIN, ""), C("0f ae 10", 3, PLAIN, ""),
	C("0f ae 5c 24 04", 5, PLAIN, ""), C("0f ae 20", 3, PLAIN, ""), C("0f ae 28", 3, PLAIN, ""),
	C("0f ae 30", 3, PLAIN, ""), C("0f ae 38", 3, PLAIN, ""),
	C("0f ae e8", 3, PLAIN, ""), C("0f ae f0", 3, PLAIN, ""), C("0f ae f8", 3, PLAIN, ""),
	C("0f ae c0", 0, INVALID, "len=3"),
	C("0f c7 f0", 3, PLAIN, ""), C("0f c7 f8", 3, PLAIN, ""), C("0f c7 20", 3, PLAIN, ""),
	/* VEX (BMI, AVX) versus les/lds */
	C("c4 e2 78 f2 c1", 5, PLAIN, "vex=3 map=2 op=0xf2 opoff=0 modrmoff=4"),
	C("c4 e2 7b f6 c1", 5, PLAIN, "vex=3"),		/* mulx */
	C("c4 e2 78 f7 c1", 5, PLAIN, "vex=3"),		/* bextr */
	C("c4 e3 7b f0 c1 05", 6, PLAIN, "map=3 imm=5"),	/* rorx */
	C("c5 f8 77", 3, PLAIN, "vex=2 map=1 op=0x77 hasmodrm=0"),
	C("c5 f9 6f 04 24", 5, PLAIN, "vex=2 hasmem=1 hassib=1"),
	C("c5 fd 6f 44 24 20", 6, PLAIN, "disp=0x20"),
	C("c4 e3 79 0f c1 08", 6, PLAIN, "imm=8"),
	C("c5 f9 70 c1 1b", 5, PLAIN, "imm=0x1b"),
	C("3e c5 f8 77", 4, PLAIN, "vex=2 opoff=1 seg=4"),
	C("66 c5 f8 77", 0, INVALID, "len=4"),
	C("c4 e0 78 f2 c1", 0, INVALID, "len=3"),
	/* no VEX form in 32-bit mode, where the validator would refuse a
	 * W1 copy as a 64-bit register write (codefuzz seed 249756048) */
	C("c4 e2 fe f0 f0", 0, INVALID, "len=5"), C("c4 e2 79 f1 c1", 0, INVALID, ""),
	C("c4 e2 78 f4 c1", 0, INVALID, ""), C("c5 f8 78 c1", 0, INVALID, ""),
	C("c4 e1 fb 93 c1", 0, INVALID, ""), C("c4 e1 7b 93 c1", 5, PLAIN, ""),	/* kmovq r64 no, kmovd yes */
	/* FMA4 and vpermil2 (AMD's, not offered by cpuid): an is4 bit 7 the
	 * translator would copy (codefuzz seed 250453070); blendv stays */
	C("c4 c3 f4 7c aa e4 b8 31 7b 86", 0, INVALID, "len=10"), C("c4 e3 71 5c c2 30", 0, INVALID, ""),
	C("c4 e3 71 48 c2 30", 0, INVALID, ""), C("c4 e3 71 4a c2 30", 6, PLAIN, ""),
	/* AMX is 64-bit mode only; the validator refuses it (codefuzz seed
	 * 250645003: c4 c2 4b 49 f3, tilezero) */
	C("c4 c2 4b 49 f3", 0, INVALID, ""), C("c4 e2 7b 4b 04 24", 0, INVALID, ""),
	C("c4 e2 72 5e c2", 0, INVALID, ""), C("c4 e2 7a 5c c2", 0, INVALID, ""),
	/* 0f ae with 66: only clwb and clflushopt (and tpause); the fences and
	   fxsave..xsaveopt are NP, #UD with 66 (codefuzz seed 270000043) */
	C("66 0f ae e8", 0, INVALID, "len=4"), C("66 0f ae f8", 0, INVALID, ""), C("66 0f ae fd", 0, INVALID, ""),
	C("66 0f ae 00", 0, INVALID, "len=4"), C("66 0f ae 20", 0, INVALID, ""),
	C("66 0f ae 30", 4, PLAIN, ""), C("66 0f ae 38", 4, PLAIN, ""), C("0f ae f8", 3, PLAIN, ""),
	C("0f c7 20", 3, PLAIN, ""), C("66 0f c7 20", 0, INVALID, "len=4"),	/* xsavec is NP (seed 270000650) */
	C("f3 0f c7 20", 0, INVALID, ""), C("66 0f c7 08", 4, PLAIN, ""),	/* cmpxchg8b takes 66 */
	/* VEX forms: pp, L, W, vvvv, ModRM form, VSIB (the sweep below has them all) */
	C("c5 f8 ff c0", 0, INVALID, "len=4"), C("c5 f9 77", 0, INVALID, "len=3"),	/* 0f ff; vzeroupper is NP only */
	C("c4 e3 7d 00 c1 05", 0, INVALID, "len=6"), C("c4 e3 fd 00 c1 05", 6, PLAIN, ""),	/* vpermq: W1 only */
	C("c4 e3 f9 00 c1 05", 0, INVALID, ""),			/* vpermq: L1 only */
	C("c5 f0 28 c1", 0, INVALID, "len=4"), C("c5 f0 58 c1", 4, PLAIN, ""),	/* vvvv reserved / used */
	C("c4 e1 38 28 c1", 0, INVALID, ""),			/* vvvv 0111: all four bits must be 1 */
	C("c4 e1 38 58 c1", 5, PLAIN, ""),			/* used: the top bit is ignored */
	C("c4 e2 69 92 04 08", 6, PLAIN, "hassib=1"),		/* vgatherdps xmm0, mask xmm2, index xmm1 */
	C("c4 e2 79 92 04 08", 0, INVALID, "len=6"),		/* mask = destination */
	C("c4 e2 69 92 04 10", 0, INVALID, ""),			/* index = mask */
	C("c4 e2 69 92 00", 0, INVALID, "len=5"),		/* no SIB */
	C("67 c4 e2 69 92 04", 0, INVALID, "len=6"),		/* 16-bit addressing has no SIB */
	C("c5 fd 6e c1", 0, INVALID, ""), C("c5 f9 6e c1", 4, PLAIN, "vexwgpr=1"),	/* vmovd: L0 only */
	C("c5 f9 50 00", 0, INVALID, ""), C("c5 f9 e7 c1", 0, INVALID, ""),	/* register / memory only */
	C("c4 e3 f9 61 c1 01", 6, PLAIN, "vexwgpr=1"), C("c4 e3 79 62 c1 01", 6, PLAIN, "vexwgpr=0"),
	C("c4 e2 70 f3 c9", 5, PLAIN, ""), C("c4 e2 70 f3 c1", 0, INVALID, ""),	/* blsr /1; /0 none */
	C("c4 e2 7c f2 c1", 0, INVALID, ""),			/* andn: LZ */
	C("c4 e2 7d 5a c1", 0, INVALID, ""), C("c4 e2 7d 5a 00", 5, PLAIN, ""),	/* vbroadcasti128: memory only */
	C("c4 00", 2, PRIV, "vex=0 mod=0"),
	C("c5 05 00 00 00 00", 6, PRIV, "dispsize=4"),
	C("c5 78 10", 3, PRIV, "mod=1 reg=7"),
	C("62 00", 2, PLAIN, ""), C("62 c0", 0, INVALID, "len=2"),	/* bound: #BR is trap 5 */
	/* branches */
	C("e8 00 00 00 00", 5, CALL, "rel=0 target=0x1005 immoff=1 immsize=4"),
	C("e8 fb ff ff ff", 5, CALL, "rel=-5 target=0x1000"),
	C("66 e8 00 00", 0, INVALID, "len=4"),
	C("e9 00 01 00 00", 5, JMP, "target=0x1105"),
	C("eb fe", 2, JMP, "rel=-2 target=0x1000"),
	CE("eb 10", 2, JMP, "target=0x10", 0xfffffffe),
	CE("e9 00 00 00 80", 5, JMP, "target=0x80000005", 0),
	C("66 eb 00", 0, INVALID, "len=3"),
	C("74 10", 2, JCC, "target=0x1012"), C("2e 74 10", 3, JCC, "target=0x1013 seg=2"),
	C("0f 84 00 01 00 00", 6, JCC, "target=0x1106 map=1"),
	C("66 0f 84 00 01", 0, INVALID, "len=5"),
	C("e3 02", 2, LOOP, "target=0x1004"), C("e2 fe", 2, LOOP, "target=0x1000"),
	C("67 e3 02", 3, LOOP, "addrsize=1 target=0x1005"),
	C("ff 14 85 00 00 00 00", 7, CALLIND, "hassib=1 base=0xff index=0 scale=2 dispsize=4 disp=0"),
	C("ff d0", 2, CALLIND, "mod=3 hasmem=0"), C("ff e0", 2, JMPIND, ""),
	C("ff 24 24", 3, JMPIND, "base=4 index=0xff"),
	C("ff 24 8d 00 10 00 00", 7, JMPIND, "index=1 scale=2 disp=0x1000"),
	C("66 ff d0", 0, INVALID, "len=3"), C("66 ff e0", 0, INVALID, "len=3"),
	C("c3", 1, RET, ""), C("c2 08 00", 3, RET, "imm=8 immsize=2"),
	C("f3 c3", 2, RET, "rep=1"), C("66 c3", 0, INVALID, "len=2"),
	/* traps */
	C("cd 80", 2, INT, "imm=0x80"), C("cc", 1, INT3, ""), C("ce", 1, INTO, ""),
	C("0f 34", 2, SYSENTER, ""), C("0f 05", 2, SYSCALL, ""), C("0f a2", 2, CPUID, ""),
	C("0f 01 d0", 3, XGETBV, "reg=2 rm=0"),
	C("f3 0f 1e fb", 4, ENDBR, "rep=1 opoff=1"),
	C("0f 0b", 0, INVALID, "len=2"), C("0f b9 c0", 0, INVALID, "len=3"),
	C("0f ff c0", 0, INVALID, "len=3"), C("0f 04", 0, INVALID, "len=2"),
	/* segments */
	C("8e e8", 2, MOVTOSEG, "reg=5"), C("8e d8", 2, MOVTOSEG, "reg=3"),
	C("8e 10", 2, MOVTOSEG, "reg=2 hasmem=1"), C("8e c8", 0, INVALID, "len=2"),
	C("8e f0", 0, INVALID, "len=2"),
	C("8c d8", 2, MOVFROMSEG, "reg=3"), C("8c e8", 2, MOVFROMSEG, "reg=5"),
	C("8c f0", 0, INVALID, "len=2"),
	C("0f a1", 2, POPSEG, ""), C("0f a9", 2, POPSEG, ""),
	C("07", 1, PRIV, ""), C("17", 1, PRIV, ""), C("1f", 1, PRIV, ""),
	C("06", 1, PUSHSEG, ""), C("0e", 1, PUSHSEG, ""), C("16", 1, PUSHSEG, ""),
	C("1e", 1, PUSHSEG, ""), C("0f a0", 2, PUSHSEG, ""), C("0f a8", 2, PUSHSEG, ""),
	C("c4 00", 2, PRIV, ""), C("0f b2 00", 3, PRIV, ""), C("0f b4 00", 3, PRIV, ""),
	C("0f b5 00", 3, PRIV, ""),
	/* privileged, I/O, far transfers */
	C("9a 78 56 34 12 23 00", 7, PRIV, "immsize=6 imm=0x12345678"),
	C("66 9a 34 12 23 00", 6, PRIV, "immsize=4 imm=0x1234"),
	C("ea 78 56 34 12 23 00", 7, PRIV, "immsize=6"),
	C("ff 18", 2, PRIV, ""), C("ff 28", 2, PRIV, ""), C("ff d8", 0, INVALID, "len=2"),
	C("ca 04 00", 3, PRIV, "imm=4"), C("cb", 1, PRIV, ""), C("cf", 1, PRIV, ""),
	C("f4", 1, PRIV, ""), C("fa", 1, PRIV, ""), C("fb", 1, PRIV, ""), C("f1", 1, INT3, ""),	/* int1: #DB, SIGTRAP */
	C("e4 60", 2, PRIV, ""), C("e7 60", 2, PRIV, ""), C("ec", 1, PRIV, ""), C("ef", 1, PRIV, ""),
	C("6c", 1, PRIV, "string=1"), C("f3 6f", 2, PRIV, "string=1"),
	C("0f 20 c0", 3, PRIV, ""), C("0f 22 05", 3, PRIV, "hasmem=0 dispsize=0"),
	C("0f 21 c0", 3, PRIV, ""), C("0f 23 c0", 3, PRIV, ""),
	C("0f 06", 2, PRIV, ""), C("0f 08", 2, PRIV, ""), C("0f 09", 2, PRIV, ""),
	C("0f 30", 2, PRIV, ""), C("0f 32", 2, PRIV, ""), C("0f 33", 2, PRIV, ""),
	C("0f 35", 2, PRIV, ""), C("0f 07", 2, PRIV, ""), C("0f aa", 0, INVALID, "len=2"), C("0f 37", 0, INVALID, "len=2"),	/* rsm, getsec: #UD */
	C("0f 02 c0", 3, SYSINSN, ""), C("0f 03 c0", 3, SYSINSN, ""), C("66 0f 03 05 00 00 00 00", 8, SYSINSN, "opsize=1"),
	C("0f 00 e0", 3, SYSINSN, "reg=4"), C("0f 00 e8", 3, SYSINSN, ""), C("0f 00 c0", 3, SYSINSN, ""),
	C("0f 00 08", 3, SYSINSN, ""), C("0f 00 d0", 3, PRIV, "reg=2"), C("0f 00 18", 3, PRIV, "reg=3"),
	C("0f 00 f8", 0, INVALID, "len=3"),
	C("0f 01 05 00 00 00 00", 7, SYSINSN, ""), C("0f 01 0d 00 00 00 00", 7, SYSINSN, ""),
	C("0f 01 c0", 0, INVALID, "len=3"), C("0f 01 20", 3, SYSINSN, "reg=4"),
	C("0f 01 10", 3, PRIV, ""), C("0f 01 e0", 3, SYSINSN, ""), C("0f 01 f0", 3, PRIV, ""),
	C("0f 01 38", 3, PRIV, ""), C("0f 01 d1", 3, PRIV, ""), C("0f 01 ef", 0, INVALID, "len=3"),
	C("0f 01 c8", 0, INVALID, "len=3"), C("0f 01 cf", 0, INVALID, "len=3"), C("0f 01 f8", 0, INVALID, "len=3"), C("0f 01 d5", 0, INVALID, "len=3"),
	C("63 c0", 2, PRIV, ""),
	C("f3 0f ae c0", 0, INVALID, "len=4"), C("f3 0f ae c8", 0, INVALID, "len=4"),
	C("f3 0f ae d0", 0, INVALID, "len=4"), C("f3 0f ae d8", 0, INVALID, "len=4"),
	C("0f c7 30", 3, PRIV, ""), C("0f c7 18", 3, PRIV, ""),
	C("66 0f 38 82 00", 5, PRIV, ""), C("0f 78 c0", 3, PRIV, ""),
	/* memory operand forms, 32-bit */
	C("8b 04 24", 3, PLAIN, "hassib=1 base=4 index=0xff dispsize=0"),
	C("8b 44 24 04", 4, PLAIN, "disp=4 dispoff=3"),
	C("8b 05 78 56 34 12", 6, PLAIN, "base=0xff index=0xff disp=0x12345678 dispoff=2"),
	C("8b 04 25 78 56 34 12", 7, PLAIN, "base=0xff index=0xff disp=0x12345678"),
	C("8b 84 88 00 01 00 00", 7, PLAIN, "base=0 index=1 scale=2 disp=0x100"),
	C("8b 45 fc", 3, PLAIN, "base=5 disp=-4"),
	C("8b 44 05 00", 4, PLAIN, "base=5 index=0 dispsize=1"),
	C("8b 04 2c", 3, PLAIN, "base=4 index=5"),
	C("8b c1", 2, PLAIN, "hasmem=0"),
	/* memory operand forms, 16-bit (67) */
	C("67 8b 07", 3, PLAIN, "addrsize=1 base=0xff index=0xff dispsize=0 hasmem=1"),
	C("67 8b 46 10", 4, PLAIN, "dispsize=1 disp=0x10"),
	C("67 8b 06 34 12", 5, PLAIN, "dispsize=2 disp=0x1234"),
	C("67 8b 80 34 12", 5, PLAIN, "dispsize=2"),
	C("67 8b 04", 3, PLAIN, "hassib=0"),
	C("67 8b c0", 3, PLAIN, "hasmem=0"),
	C("67 c7 06 34 12 78 56 34 12", 9, PLAIN, "imm=0x12345678 dispsize=2"),
	/* moffs */
	C("a1 78 56 34 12", 5, PLAIN, "moffs=1 hasmem=1 dispsize=4 dispoff=1 disp=0x12345678 immsize=0"),
	C("a3 00 00 00 80", 5, PLAIN, "moffs=1 disp=-0x80000000"),
	C("67 a1 34 12", 4, PLAIN, "moffs=1 dispsize=2 disp=0x1234"),
	C("66 a1 78 56 34 12", 6, PLAIN, "dispsize=4"),
	C("64 a1 00 00 00 00", 6, PLAIN, "seg=5 segoff=0 opoff=1"),
	C("65 a1 14 00 00 00", 6, PLAIN, "seg=6"),
	C("2e 3e 64 8b 00", 5, PLAIN, "seg=5 segoff=2 opoff=3"),
	C("26 65 8b 00", 4, PLAIN, "seg=6 segoff=1"),
	C("36 8b 00", 3, PLAIN, "seg=3"),
	/* the 15-byte limit and short buffers */
	C("66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 15, PLAIN, "opoff=14 toolong=0"),
	C("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 0, INVALID, "len=15 toolong=1"),
	C("3e 3e 3e 3e 81 84 88 00 01 00 00 01 00 00 00", 15, PLAIN, "imm=1 immoff=11"),
	C("3e 3e 3e 3e 3e 81 84 88 00 01 00 00 01 00 00 00", 0, INVALID, "toolong=1"),
	C("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66", 0, INVALID, "len=15 toolong=1"),
	/* past the limit with one of the first 15 bytes missing: the fetch
	 * faults first (short), as the CPU's page fault comes before its #GP */
	C("3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 05", -1, INVALID, ""),
	C("0f 0b", 0, INVALID, "len=2 toolong=0"),
	C("", -1, INVALID, ""), C("0f", -1, INVALID, ""), C("66", -1, INVALID, ""),
	C("e8 00 00", -1, INVALID, ""), C("8b 84 88 00 01", -1, INVALID, ""),
	C("c4", -1, INVALID, ""), C("c4 e2", -1, INVALID, ""), C("c5 f8", -1, INVALID, ""),
	C("0f 38", -1, INVALID, ""), C("66 66 66 66 66 66 66 66 66 66", -1, INVALID, ""),
	C("0f 0b", 0, INVALID, "len=2"),
};

static void
handcases(void)
{
	uint8_t b[64];
	char why[128];
	const Case *c;
	VxInsn in;
	size_t i;
	int n, r, good;

	for(i = 0; i < sizeof cases / sizeof cases[0]; i++){
		c = &cases[i];
		n = unhex(c->hex, b, sizeof b);
		if(n < 0){
			ok(0, "bad hex %s", c->hex);
			continue;
		}
		r = decall(b, n, c->eip, &in);
		why[0] = 0;
		good = r == c->ret;
		if(!good)
			snprintf(why, sizeof why, "returned %d, want %d (len %d cls %s)", r, c->ret, in.len, vx_clsname(in.cls));
		else if(r >= 0 && in.cls != c->cls){
			good = 0;
			snprintf(why, sizeof why, "class %s, want %s", vx_clsname(in.cls), vx_clsname(c->cls));
		}else if(r > 0 && in.len != r){
			good = 0;
			snprintf(why, sizeof why, "len %d", in.len);
		}else if(r >= 0)
			good = fields(&in, c->want, why, sizeof why);
		ok(good, "[%s] -> %d %s %s%s%s", c->hex, c->ret, vx_clsname(c->cls), c->want, why[0] ? ": " : "", why);
	}
}

/* vx_insn_ea */
static void
eacases(void)
{
	static const struct {
		const char *hex;
		int ret;
		uint32_t ea;
	} e[] = {
		{ "8b 84 88 00 01 00 00", 1, 0x100 + 0x10 + 3*4 },	/* eax=0x10 ecx=3 */
		{ "8b 04 25 78 56 34 12", 1, 0x12345678 },
		{ "8b 45 fc", 1, 0x7ffc },				/* ebp=0x8000 */
		{ "8b 04 24", 1, 0xbff0 },				/* esp */
		{ "8b 44 9d 04", 1, 0x8000 + 0x20*4 + 4 },		/* ebp + ebx*4: ebx=0x20 */
		{ "ff 24 8d 00 10 00 00", 1, 0x1000 + 12 },
		{ "67 8b 40 ff", 1, 0x0000 },				/* (bx+si-1)&0xffff */
		{ "67 8b 06 34 12", 1, 0x1234 },
		{ "67 8b 46 10", 1, 0x8010 },				/* bp+0x10 */
		{ "67 8b 07", 1, 0xffff },				/* bx */
		{ "a1 78 56 34 12", 1, 0x12345678 },
		{ "67 a1 34 12", 1, 0x1234 },
		{ "a5", 1, 0x00010002 },				/* movs: esi */
		{ "a6", 1, 0x00010002 },				/* cmps: esi */
		{ "ab", 1, 0x00020004 },				/* stos: edi */
		{ "ae", 1, 0x00020004 },				/* scas: edi */
		{ "ac", 1, 0x00010002 },				/* lods: esi */
		{ "67 ab", 1, 0x0004 },
		{ "d7", 1, 0x1ffff + 0x10 },				/* xlat: ebx + al */
		{ "90", 0, 0 },
		{ "8b c1", 0, 0 },
		{ "ff d0", 0, 0 },
	};
	uint32_t regs[8] = { 0x10, 3, 0, 0x1ffff, 0xbff0, 0x8000, 0x00010002, 0x00020004 };
	uint8_t b[16];
	uint32_t ea;
	VxInsn in;
	size_t i;
	int n, r;

	/* ebx differs between cases: 0x20 for the scaled one */
	for(i = 0; i < sizeof e / sizeof e[0]; i++){
		n = unhex(e[i].hex, b, sizeof b);
		decall(b, n, 0, &in);
		regs[3] = strcmp(e[i].hex, "8b 44 9d 04") == 0 ? 0x20 : 0x1ffff;
		regs[6] = strcmp(e[i].hex, "67 8b 40 ff") == 0 ? 2 : 0x00010002;
		ea = 0xdeadbeef;
		r = vx_insn_ea(&in, regs, &ea);
		if(e[i].ret)
			ok(r == 1 && ea == e[i].ea, "ea [%s] = %#x (got %d %#x)", e[i].hex, e[i].ea, r, ea);
		else
			ok(r == 0, "ea [%s]: no memory operand", e[i].hex);
	}
}

static void
clsnames(void)
{
	int c, d, distinct;

	distinct = 1;
	for(c = 0; c < VXC_NCLASS; c++)
		for(d = 0; d < c; d++)
			if(strcmp(vx_clsname(c), vx_clsname(d)) == 0 || strcmp(vx_clsname(c), "?") == 0)
				distinct = 0;
	ok(distinct, "vx_clsname names every class distinctly");
	isstr(vx_clsname(VXC_NCLASS), "?", "vx_clsname out of range");
	isstr(vx_clsname(-1), "?", "vx_clsname negative");
}

/* --- 2. objdump differential -------------------------------------------- */

/* Bytes of the instructions objdump listed, in address order, and where
 * each instruction starts. */
typedef struct Listing Listing;
struct Listing {
	uint8_t *b;
	size_t nb, cap;
	struct Ins {
		size_t off;		/* in b */
		size_t chunkend;	/* end of the contiguous run holding it */
		uint32_t addr;
		int len;
		char text[48];
	} *ins;
	size_t ni, icap;
};

static void
addins(Listing *l, uint32_t addr, const uint8_t *b, int n, const char *text)
{
	if(l->nb + n > l->cap){
		l->cap = (l->cap + n) * 2;
		l->b = realloc(l->b, l->cap);
	}
	if(l->ni == l->icap){
		l->icap = l->icap * 2 + 1024;
		l->ins = realloc(l->ins, l->icap * sizeof l->ins[0]);
	}
	if(l->b == NULL || l->ins == NULL){
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	l->ins[l->ni].off = l->nb;
	l->ins[l->ni].addr = addr;
	l->ins[l->ni].len = n;
	snprintf(l->ins[l->ni].text, sizeof l->ins[0].text, "%s", text);
	l->ni++;
	memcpy(l->b + l->nb, b, n);
	l->nb += n;
}

/* Run objdump; a discontinuity of addresses or a new section starts a new
 * chunk, and no instruction is decoded with bytes beyond its chunk. */
static int
listing(const char *cmd, Listing *l)
{
	FILE *f;
	char line[512], *s, *tab2;
	unsigned long addr, next;
	uint8_t b[32];
	size_t chunk, i;
	int n, ok;
	unsigned v;

	memset(l, 0, sizeof *l);
	f = popen(cmd, "r");
	if(f == NULL)
		return -1;
	next = ~0UL;
	chunk = 0;
	while(fgets(line, sizeof line, f) != NULL){
		line[strcspn(line, "\n")] = 0;
		if(strncmp(line, "Disassembly of section", 22) == 0 || strstr(line, "file format") != NULL){
			next = ~0UL;
			continue;
		}
		s = line;
		while(*s == ' ')
			s++;
		if(sscanf(s, "%lx:\t", &addr) != 1 || strchr(s, '\t') == NULL || s[strcspn(s, ":")] != ':')
			continue;
		s = strchr(s, '\t') + 1;
		tab2 = strchr(s, '\t');
		n = 0;
		ok = 1;
		while(*s && *s != '\t'){
			if(*s == ' '){
				s++;
				continue;
			}
			if(n >= (int)sizeof b || sscanf(s, "%2x", &v) != 1){
				ok = 0;
				break;
			}
			b[n++] = v;
			s += 2;
		}
		if(!ok || n == 0)
			continue;
		if(addr != next){
			for(i = chunk; i < l->ni; i++)
				l->ins[i].chunkend = l->nb;
			chunk = l->ni;
		}
		addins(l, addr, b, n, tab2 ? tab2 + 1 : "(bytes)");
		next = addr + n;
	}
	for(i = chunk; i < l->ni; i++)
		l->ins[i].chunkend = l->nb;
	if(pclose(f) != 0 && l->ni == 0)
		return -1;
	return 0;
}

static void
hexstr(const uint8_t *b, int n, char *out, size_t nout)
{
	size_t k;
	int i;

	k = 0;
	out[0] = 0;
	for(i = 0; i < n && k + 4 < nout; i++)
		k += snprintf(out + k, nout - k, "%s%02x", i ? " " : "", b[i]);
}

/* objdump folds fwait (with any prefixes) into the next x87 instruction
 * (fstcw = 9b d9 /7); the processor executes it as an instruction of its
 * own. */
static int
fwaitfold(const Listing *l, const struct Ins *x, const VxInsn *w)
{
	VxInsn in;

	if(w->map != VXM_1 || w->op != 0x9b || w->len >= x->len)
		return 0;
	decall(l->b + x->off + w->len, x->chunkend - x->off - w->len, x->addr + w->len, &in);
	return w->len + in.len == x->len;
}

/* Instructions objdump decodes that we refuse on purpose (rdpkru and
 * wrpkru: cpuid offers no PKU; glibc's pkey_get and pkey_set have them). */
static int
refusedok(const char *text)
{
	static const char *const ok[] = {
		"ud2", "ud1", "ud0", "(bad)", "xbegin", "xabort", "xend", "xtest", "rdpkru", "wrpkru",
	};
	size_t i;

	for(i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if(strncmp(text, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

typedef struct Tally Tally;
struct Tally {
	long n, bad, mismatch, refused, invalid, cls[VXC_NCLASS];
};

static void
compare(const char *what, const Listing *l, Tally *t, int realcode)
{
	const struct Ins *x;
	char hx[64];
	VxInsn in;
	size_t i;
	int r, shown, shownv;

	memset(t, 0, sizeof *t);
	shown = shownv = 0;
	for(i = 0; i < l->ni; i++){
		x = &l->ins[i];
		if(strstr(x->text, "(bad)") != NULL){
			t->bad++;
			continue;
		}
		t->n++;
		r = decall(l->b + x->off, x->chunkend - x->off, x->addr, &in);
		if(r < 0){
			/* ran off the end of the chunk: objdump did too */
			t->bad++;
			t->n--;
			continue;
		}
		t->cls[in.cls]++;
		if(r > 0 && in.len != x->len && !fwaitfold(l, x, &in)){
			t->mismatch++;
			if(shown++ < 12){
				hexstr(l->b + x->off, x->len, hx, sizeof hx);
				diag("%s %#x: [%s] objdump %d '%s', decoder %d (%s)", what, x->addr, hx, x->len, x->text, in.len, in.name);
			}
		}
		if(r == 0 && realcode){
			if(refusedok(x->text)){
				if(t->refused++ < 8){
					hexstr(l->b + x->off, x->len, hx, sizeof hx);
					diag("%s %#x: [%s] '%s' refused on purpose", what, x->addr, hx, x->text);
				}
			}
			else{
				t->invalid++;
				if(shownv++ < 20){
					hexstr(l->b + x->off, x->len, hx, sizeof hx);
					diag("%s %#x: [%s] '%s' is invalid to the decoder (%s)", what, x->addr, hx, x->text, in.name);
				}
			}
		}
	}
}

static int
have(const char *path)
{
	return access(path, R_OK) == 0;
}

static void
realbinary(const char *what, const char *path)
{
	char cmd[512];
	Listing l;
	Tally t;
	int c;

	if(!have(path) || system("objdump --version >/dev/null 2>&1") != 0){
		ok(1, "# SKIP %s: %s or objdump missing", what, path);
		ok(1, "# SKIP %s classes", what);
		return;
	}
	snprintf(cmd, sizeof cmd, "objdump -d -z -M att --insn-width=16 '%s' 2>/dev/null", path);
	if(listing(cmd, &l) < 0 || l.ni == 0){
		ok(0, "%s: objdump listing", what);
		return;
	}
	compare(what, &l, &t, 1);
	ok(t.mismatch == 0 && t.n > 1000, "%s: lengths agree with objdump on %ld instructions (%ld mismatches, %ld (bad) skipped)", what, t.n, t.mismatch, t.bad);
	ok(t.invalid == 0, "%s: no instruction invalid to the decoder but %ld deliberate refusals (ud2, RTM, rdpkru, wrpkru); %ld unexpected", what, t.refused, t.invalid);
	for(c = 0; c < VXC_NCLASS; c++)
		if(t.cls[c])
			diag("%s: %-10s %ld", what, vx_clsname(c), t.cls[c]);
	free(l.b);
	free(l.ins);
}

/* A glibc static program built now; NULL if gcc -m32 cannot. */
static const char *
staticprog(char *dir, size_t ndir)
{
	static char path[256];
	char cmd[1024];
	FILE *f;

	snprintf(dir, ndir, "/tmp/decodetXXXXXX");
	if(mkdtemp(dir) == NULL)
		return NULL;
	snprintf(path, sizeof path, "%s/prog.c", dir);
	f = fopen(path, "w");
	if(f == NULL)
		return NULL;
	fputs("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <math.h>\n"
	      "#include <setjmp.h>\n#include <time.h>\n#include <pthread.h>\n#include <wchar.h>\n#include <locale.h>\n"
	      "static jmp_buf jb;\nstatic int cmp(const void *a, const void *b){ return *(const double*)a < *(const double*)b ? -1 : 1; }\n"
	      "static void *th(void *a){ return a; }\n"
	      "int main(int argc, char **argv){ double v[64]; char buf[256]; wchar_t w[64]; pthread_t t; int i;\n"
	      " setlocale(LC_ALL, \"\");\n"
	      " for(i = 0; i < 64; i++) v[i] = sin(i) * exp(i / 10.0) + log(i + 1) + pow(i, 0.3) + strtod(argv[0], 0);\n"
	      " qsort(v, 64, sizeof v[0], cmp); snprintf(buf, sizeof buf, \"%g %Lg %s\", v[3], (long double)v[7], argv[0]);\n"
	      " mbstowcs(w, buf, 64); if(setjmp(jb) == 0) longjmp(jb, 1);\n"
	      " pthread_create(&t, 0, th, 0); pthread_join(t, 0);\n"
	      " printf(\"%s %zu %ld %d\\n\", buf, strlen(buf) + wcslen(w), (long)time(0), (int)(memchr(buf, 'e', 200) != 0) + argc);\n"
	      " return 0; }\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/prog", dir);
	snprintf(cmd, sizeof cmd, "gcc -m32 -static -O2 -o %s %s/prog.c -lm -lpthread >/dev/null 2>&1", path, dir);
	if(system(cmd) != 0)
		return NULL;
	return path;
}

/* Every opcode of every map, under several prefixes and ModRM forms, laid
 * out 32 bytes apart with nop padding so objdump resynchronises before
 * each; compared where the decoder accepts the instruction. */
static void
sweep(void)
{
	static const char *const pfx[] = { "", "66", "67", "f3", "f2", "f0" };
	static const char *const esc[] = { "", "0f", "0f 38", "0f 3a" };
	/* ModRM forms, with what follows them */
	static const uint8_t tails[][2] = {
		{ 0x04, 0x25 }, { 0x05, 0 }, { 0x06, 0 }, { 0x44, 0x8d }, { 0x84, 0x05 },
		{ 0x80, 0 }, { 0xc0, 0 }, { 0xc3, 0 }, { 0xc6, 0 },
	};
	char path[] = "/tmp/decodesweepXXXXXX", cmd[512];
	uint8_t rec[32], p[8];
	FILE *f;
	Listing l;
	Tally t;
	int fd, e, i, op, reg, k, np, ne, c;
	long nrec;

	if(system("objdump --version >/dev/null 2>&1") != 0){
		ok(1, "# SKIP opcode sweep: no objdump");
		return;
	}
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if(f == NULL){
		ok(0, "opcode sweep: temporary file");
		return;
	}
	nrec = 0;
	for(i = 0; i < (int)(sizeof pfx / sizeof pfx[0]); i++)
	for(e = 0; e < 4; e++)
	for(op = 0; op < 256; op++)
	for(reg = 0; reg < 8; reg++)
	for(k = 0; k < (int)(sizeof tails / sizeof tails[0]); k++){
		if(e == 0 && (op == 0x0f || op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e
		|| (op >= 0x64 && op <= 0x67) || op == 0xf0 || op == 0xf2 || op == 0xf3))
			continue;
		if(e == 1 && (op == 0x38 || op == 0x3a))
			continue;
		/* c4/c5 with a register ModRM are VEX: swept below */
		if(e == 0 && (op == 0xc4 || op == 0xc5) && tails[k][0] >= 0xc0)
			continue;
		np = unhex(pfx[i], p, sizeof p);
		ne = unhex(esc[e], p + np, sizeof p - np);
		memset(rec, 0x90, sizeof rec);
		memcpy(rec, p, np + ne);
		c = np + ne;
		rec[c++] = op;
		rec[c++] = tails[k][0] | reg << 3;
		rec[c++] = tails[k][1];
		for(; c < 16; c++)
			rec[c] = 0x11 * (c & 7);
		fwrite(rec, 1, sizeof rec, f);
		nrec++;
	}
	/* VEX: every map and opcode, with and without a memory operand */
	for(e = 0; e < 3; e++)
	for(op = 0; op < 256; op++)
	for(k = 0; k < 4; k++){
		static const uint8_t vt[4][2] = { { 0xc1, 0 }, { 0x44, 0x24 }, { 0x05, 0 }, { 0x84, 0x8d } };
		memset(rec, 0x90, sizeof rec);
		c = 0;
		if(e == 0){
			rec[c++] = 0xc5;
			rec[c++] = 0xf8 | (k & 1) << 2 | (k >> 1);	/* vary L, pp */
		}else{
			rec[c++] = 0xc4;
			rec[c++] = 0xe0 | (e + 1);
			rec[c++] = 0x78 | (k & 1) << 2 | (k >> 1);
		}
		rec[c++] = op;
		rec[c++] = vt[k][0];
		rec[c++] = vt[k][1];
		for(; c < 16; c++)
			rec[c] = 0x11 * (c & 7);
		fwrite(rec, 1, sizeof rec, f);
		nrec++;
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "objdump -D -z -b binary -m i386 -M att --insn-width=16 %s 2>/dev/null", path);
	if(listing(cmd, &l) < 0){
		ok(0, "opcode sweep: objdump");
		unlink(path);
		return;
	}
	/* keep only record starts */
	{
		size_t i2, j;
		for(i2 = j = 0; i2 < l.ni; i2++)
			if(l.ins[i2].addr % 32 == 0){
				l.ins[j] = l.ins[i2];
				l.ins[j].chunkend = l.ins[j].off + 16 < l.ins[i2].chunkend ? l.ins[j].off + 16 : l.ins[i2].chunkend;
				j++;
			}
		l.ni = j;
	}
	compare("sweep", &l, &t, 0);
	ok(t.mismatch == 0 && t.n - t.cls[VXC_INVALID] > nrec / 4, "opcode sweep: lengths agree with objdump on %ld accepted encodings of %ld (%ld (bad) skipped)", t.n - t.cls[VXC_INVALID], nrec, t.bad);
	free(l.b);
	free(l.ins);
	if(getenv("DECODE_KEEP_SWEEP") != NULL)
		diag("sweep records kept in %s", path);
	else
		unlink(path);
}

/* VEX validity against objdump: every map, opcode, pp, L, W, ModRM.reg,
 * register and memory form, with vvvv 1111 and with vvvv naming a
 * register, in the 3-byte form (and the 2-byte one for map 0f, W0).
 * objdump's "(bad)" means the form does not exist; the decoder must agree,
 * and where both accept, the lengths must agree.  Where objdump and the
 * SDM part, the SDM wins; those forms are listed here with the reason. */
typedef struct Vexdiff Vexdiff;
struct Vexdiff {
	int map, op0, op1, pp;	/* pp -1: any */
	int w;			/* -1: any */
	int mod;		/* -1: any; 3: register form; 0: memory */
	int objok;		/* objdump accepts what the decoder refuses (1),
				   or refuses what it accepts (0) */
	const char *why;
};

static const Vexdiff vexdiffs[] = {
	{ 1, 0x92, 0x93, 3, 1, -1, 1, "kmovq k,r64 / r64,k (f2 W1): the SDM says V/I, #UD outside 64-bit mode; objdump shows kmovd" },
	{ 2, 0x50, 0x51, 0, 0, -1, 1, "AVX-VNNI-INT8 vpdpbssd/vpdpbuud (NP): not offered by our cpuid, not on this host" },
	{ 2, 0x50, 0x51, 2, 0, -1, 1, "AVX-VNNI-INT8 vpdpbsud (F3): not offered, not on this host" },
	{ 2, 0x50, 0x51, 3, 0, -1, 1, "AVX-VNNI-INT8 vpdpbssd (F2): not offered, not on this host" },
	{ 2, 0xb4, 0xb5, 1, 1, -1, 1, "AVX-IFMA vpmadd52luq/huq: not offered, not on this host" },
	{ 2, 0xb0, 0xb1, -1, 0, 0, 1, "AVX-NE-CONVERT vcvtnee*/vcvtneo*/vbcstne*: not offered, not on this host" },
	{ 2, 0x72, 0x72, 2, 0, -1, 1, "AVX-NE-CONVERT vcvtneps2bf16: not offered, not on this host" },
	{ 1, 0x77, 0x77, 1, -1, -1, 1, "vzeroupper/vzeroall with pp 66: the SDM has only VEX.0F (NP); objdump ignores pp" },
	{ 1, 0x77, 0x77, 2, -1, -1, 1, "vzeroupper/vzeroall with pp F3: likewise" },
	{ 1, 0x77, 0x77, 3, -1, -1, 1, "vzeroupper/vzeroall with pp F2: likewise" },
	{ 1, 0xae, 0xae, 1, -1, 0, 1, "vldmxcsr/vstmxcsr with pp 66: the SDM has only VEX.LZ.0F (NP); objdump ignores pp" },
	{ 1, 0xae, 0xae, 2, -1, 0, 1, "vldmxcsr/vstmxcsr with pp F3: likewise" },
	{ 1, 0xae, 0xae, 3, -1, 0, 1, "vldmxcsr/vstmxcsr with pp F2: likewise" },
	{ 3, 0x48, 0x49, 1, -1, -1, 1, "vpermil2ps/pd (AMD, never shipped): not offered, not on this host" },
	{ 3, 0x5c, 0x5f, 1, -1, -1, 1, "AMD FMA4 vfmaddsub/vfmsubadd: not offered, not on this host (Zen has no FMA4)" },
	{ 3, 0x68, 0x6f, 1, -1, -1, 1, "AMD FMA4 vfmadd/vfmsub: likewise" },
	{ 3, 0x78, 0x7f, 1, -1, -1, 1, "AMD FMA4 vfnmadd/vfnmsub: likewise" },
};

static const Vexdiff *
vexdiff(int map, int op, int pp, int w, int mod, int objok)
{
	size_t i;
	const Vexdiff *x;

	for(i = 0; i < sizeof vexdiffs / sizeof vexdiffs[0]; i++){
		x = &vexdiffs[i];
		if(x->map == map && op >= x->op0 && op <= x->op1 && (x->pp < 0 || x->pp == pp)
		&& (x->w < 0 || x->w == w) && (x->mod < 0 || (x->mod == 3) == (mod == 3)) && x->objok == objok)
			return x;
	}
	return NULL;
}

/* One VEX record: prefix, opcode, ModRM (register: rm 3; memory: a SIB
 * with index 1 and base ebp plus disp32, which a gather takes), then an
 * ib that does not name a register above 7, then padding. */
static int
vexrec(uint8_t *rec, int two, int map, int op, int pp, int l, int w, int vvvv, int mem, int reg)
{
	int c;

	memset(rec, 0x90, 32);
	c = 0;
	if(two){
		rec[c++] = 0xc5;
		rec[c++] = 0x80 | vvvv << 3 | l << 2 | pp;
	}else{
		rec[c++] = 0xc4;
		rec[c++] = 0xe0 | map;
		rec[c++] = w << 7 | vvvv << 3 | l << 2 | pp;
	}
	rec[c++] = op;
	if(mem){
		rec[c++] = 0x84 | reg << 3;
		rec[c++] = 0x4d;
		rec[c++] = 0x78; rec[c++] = 0x56; rec[c++] = 0x34; rec[c++] = 0x12;
	}else
		rec[c++] = 0xc3 | reg << 3;
	rec[c++] = 0x21;
	return c;
}

/* The sweeps' VEX records in turn: both prefixes, maps 1-3, every
 * opcode, pp, L, W, vvvv 1111 or naming register 2, register and memory
 * operands, each ModRM.reg (the two-byte prefix has only map 1, W0).
 * *i counts from 0; 0 when there are no more. */
typedef struct Vexform {
	int two, map, op, pp, lb, w, vv, mem, reg;
} Vexform;

static int
vexnext(long *i, Vexform *v, uint8_t *rec)
{
	long k;

	while((k = (*i)++) < 2L * 3 * 256 * 4 * 2 * 2 * 2 * 2 * 8){
		v->reg = k % 8; k /= 8;
		v->mem = k % 2; k /= 2;
		v->vv = k % 2; k /= 2;
		v->w = k % 2; k /= 2;
		v->lb = k % 2; k /= 2;
		v->pp = k % 4; k /= 4;
		v->op = k % 256; k /= 256;
		v->map = 1 + k % 3;
		v->two = k / 3;
		if(v->two && (v->map != 1 || v->w))
			continue;
		vexrec(rec, v->two, v->map, v->op, v->pp, v->lb, v->w, v->vv ? 0xd : 0xf, v->mem, v->reg);
		return 1;
	}
	return 0;
}

static void
vexsweep(void)
{
	char path[] = "/tmp/decodevexXXXXXX", cmd[512], hx[64];
	uint8_t rec[32];
	const struct Ins *x;
	const Vexdiff *why;
	FILE *f;
	Listing l;
	VxInsn in;
	Vexform v;
	long vi;
	int fd, r, objok, used[sizeof vexdiffs / sizeof vexdiffs[0]];
	long n, nok, nlen, ndiff, nexc, nrec;
	size_t i;

	if(system("objdump --version >/dev/null 2>&1") != 0){
		ok(1, "# SKIP VEX sweep: no objdump");
		ok(1, "# SKIP VEX sweep");
		return;
	}
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if(f == NULL){
		ok(0, "VEX sweep: temporary file");
		return;
	}
	nrec = 0;
	vi = 0;
	while(vexnext(&vi, &v, rec)){
		fwrite(rec, 1, sizeof rec, f);
		nrec++;
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "objdump -D -z -b binary -m i386 -M att --insn-width=16 %s 2>/dev/null", path);
	if(listing(cmd, &l) < 0){
		ok(0, "VEX sweep: objdump");
		unlink(path);
		return;
	}
	memset(used, 0, sizeof used);
	n = nok = nlen = ndiff = nexc = 0;
	for(i = 0; i < l.ni; i++){
		x = &l.ins[i];
		if(x->addr % 32 != 0)
			continue;
		n++;
		r = decall(l.b + x->off, 16, x->addr, &in);
		objok = strstr(x->text, "(bad)") == NULL;
		hexstr(l.b + x->off, objok ? x->len : 6, hx, sizeof hx);
		if(r > 0)
			nok++;
		if(r > 0 && objok && in.len != x->len){
			if(nlen++ < 12)
				diag("VEX sweep: [%s] objdump %d '%s', decoder %d (%s)", hx, x->len, x->text, in.len, in.name);
			continue;
		}
		if((r > 0) == objok)
			continue;
		{
			const uint8_t *b = l.b + x->off;
			int vmap = b[0] == 0xc5 ? 1 : b[1] & 0x1f, last = b[0] == 0xc5 ? b[1] : b[2];
			int vw = b[0] == 0xc5 ? 0 : b[2] >> 7, vop = b[0] == 0xc5 ? b[2] : b[3];
			int vmod = (b[0] == 0xc5 ? b[3] : b[4]) >> 6;
			why = vexdiff(vmap, vop, last & 3, vw, vmod, objok);
		}
		if(why != NULL){
			used[why - vexdiffs]++;
			nexc++;
			continue;
		}
		if(ndiff++ < 40 || getenv("DECODE_VEX_ALL") != NULL)
			diag("VEX sweep: [%s] objdump '%s', decoder %s (%s)", hx, objok ? x->text : "(bad)", r > 0 ? "valid" : "invalid", in.name);
	}
	ok(n == nrec && nlen == 0, "VEX sweep: lengths agree with objdump on the %ld of %ld records (%ld listed) the decoder accepts (%ld differ)", nok, nrec, n, nlen);
	ok(ndiff == 0, "VEX sweep: valid/invalid agrees with objdump but for %ld listed exceptions (%ld unexplained)", nexc, ndiff);
	for(i = 0; i < sizeof vexdiffs / sizeof vexdiffs[0]; i++)
		diag("VEX sweep exception, %d records: %s", used[i], vexdiffs[i].why);
	free(l.b);
	free(l.ins);
	if(getenv("DECODE_KEEP_SWEEP") != NULL)
		diag("VEX sweep records kept in %s", path);
	else
		unlink(path);
}

/* VEX validity against this CPU: each record of the sweep runs natively
 * (in 64-bit mode, where these encodings mean what they mean in 32-bit
 * mode: VEX.R X B are 1 and vvvv names xmm0-7), between a prologue that
 * points every general register at a scratch page and an epilogue that
 * takes back the stack pointer.  #UD arrives as SIGILL; any other signal
 * or none means the CPU took the encoding.  Exact only on a CPU that has
 * every extension the decoder accepts and none of those it refuses, so
 * other hosts skip. */
#ifdef __x86_64__
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>

static sigjmp_buf hwjmp;
static volatile sig_atomic_t hwsig;
static uint64_t hwsavesp;

static void
hwtrap(int sig)
{
	hwsig = sig;
	siglongjmp(hwjmp, 1);
}

/* Does this CPU have exactly the VEX extensions of the decoder's table? */
static const char *
hwvexcpu(void)
{
	unsigned a, b, c, d, b7, c7, a71, d71, cx;

	if(__get_cpuid_max(0, NULL) < 7)
		return "no cpuid leaf 7";
	__cpuid(1, a, b, c, d);
	cx = c;
	__cpuid_count(7, 0, a, b7, c7, d);
	__cpuid_count(7, 1, a71, b, c, d71);
	if(!(cx & bit_AVX) || !(cx & bit_FMA) || !(cx & bit_F16C) || !(cx & bit_OSXSAVE))
		return "no AVX, FMA or F16C";
	if(!(b7 & bit_AVX2) || !(b7 & bit_BMI) || !(b7 & bit_BMI2) || !(b7 & bit_AVX512F)
	|| !(b7 & bit_AVX512BW) || !(b7 & bit_AVX512DQ))
		return "no AVX2, BMI1/2 or AVX-512 F/BW/DQ (mask instructions)";
	if(!(c7 & bit_GFNI) || !(c7 & bit_VAES) || !(c7 & bit_VPCLMULQDQ) || !(a71 & (1u << 4)))
		return "no GFNI, VAES, VPCLMULQDQ or AVX-VNNI";
	if(a71 & (1u << 23) || d71 & (3u << 4))
		return "has AVX-IFMA, AVX-VNNI-INT8 or AVX-NE-CONVERT, which the decoder refuses";
	__cpuid(0x80000000, a, b, c, d);
	if(a >= 0x80000001){
		__cpuid(0x80000001, a, b, c, d);
		if(c & bit_FMA4)
			return "has FMA4, which the decoder refuses";
	}
	return NULL;
}

/* Forms the decoder refuses, by the SDM, that a CPU may run anyway. */
static const char *
hwlax(int map, int op, int pp, int w, int mem)
{
	if(map == 1 && (op == 0x92 || op == 0x93) && pp == 3 && w && !mem)
		return "kmovq k,r64 / r64,k: valid in 64-bit mode only (SDM: V/I)";
	if(map == 3 && op <= 0x01 && pp == 1 && !w)
		return "vpermq/vpermpd with W0: the SDM (and objdump) define W1 only; AMD Zen 4 runs W0";
	return NULL;
}

static uint8_t *
hwemit(uint8_t *p, const void *v, int n)
{
	memcpy(p, v, n);
	return p + n;
}

/* The signal the instruction raised, or 0. */
static int
hwrun(uint8_t *code, uint8_t *scratch, const uint8_t *insn, int n)
{
	static const uint8_t push[] = { 0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57 };
	static const uint8_t pop[] = { 0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b, 0xc3 };
	static const uint8_t spread[] = {	/* rcx rdx rbx rsi rdi rbp = rax */
		0x48, 0x89, 0xc1, 0x48, 0x89, 0xc2, 0x48, 0x89, 0xc3,
		0x48, 0x89, 0xc6, 0x48, 0x89, 0xc7, 0x48, 0x89, 0xc5,
	};
	uint64_t spp, scr;
	uint32_t mxcsr;
	uint8_t *p;

	spp = (uint64_t)(uintptr_t)&hwsavesp;
	scr = (uint64_t)(uintptr_t)scratch + 2048;
	p = hwemit(code, push, sizeof push);
	p = hwemit(p, "\x48\xb8", 2);		/* movabs &hwsavesp, %rax */
	p = hwemit(p, &spp, 8);
	p = hwemit(p, "\x48\x89\x20", 3);	/* mov %rsp, (%rax) */
	p = hwemit(p, "\x48\xb8", 2);		/* movabs scratch, %rax */
	p = hwemit(p, &scr, 8);
	p = hwemit(p, spread, sizeof spread);
	p = hwemit(p, insn, n);
	p = hwemit(p, "\x48\xb8", 2);
	p = hwemit(p, &spp, 8);
	p = hwemit(p, "\x48\x8b\x20", 3);	/* mov (%rax), %rsp */
	hwemit(p, pop, sizeof pop);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	hwsig = 0;
	if(sigsetjmp(hwjmp, 1) == 0)
		((void (*)(void))code)();
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	return hwsig;
}

static void
vexhardware(void)
{
	static const int sigs[] = { SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP };
	struct sigaction sa, old[5];
	uint8_t rec[32], *code, *scratch;
	const char *why;
	char hx[64];
	stack_t ss, oldss;
	VxInsn in;
	Vexform v;
	long vi;
	int r, sig, i;
	long n, nvalid, bad, lax;

	if((why = hwvexcpu()) != NULL){
		ok(1, "# SKIP VEX on this CPU: %s", why);
		return;
	}
	code = mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	scratch = mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	ss.ss_sp = malloc(65536);
	ss.ss_size = 65536;
	ss.ss_flags = 0;
	if(code == MAP_FAILED || scratch == MAP_FAILED || ss.ss_sp == NULL || sigaltstack(&ss, &oldss) < 0){
		ok(1, "# SKIP VEX on this CPU: no executable page or signal stack");
		return;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = hwtrap;
	sa.sa_flags = SA_ONSTACK | SA_NODEFER;
	for(i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, &old[i]);
	n = nvalid = bad = lax = 0;
	vi = 0;
	while(vexnext(&vi, &v, rec)){
		r = decall(rec, 16, 0x1000, &in);
		if(in.len == 0 || in.vex == 0)
			continue;
		n++;
		nvalid += r > 0;
		sig = hwrun(code, scratch, rec, in.len);
		if((sig != SIGILL) == (r > 0))
			continue;
		/* forms the decoder refuses that a CPU may run */
		if(r == 0 && (why = hwlax(v.map, v.op, v.pp, v.w, v.mem)) != NULL){
			if(lax++ < 4)
				diag("VEX on this CPU: [%02x %02x %02x %02x] refused, but runs: %s", rec[0], rec[1], rec[2], rec[3], why);
			continue;
		}
		if(bad++ < 20 || getenv("DECODE_VEX_ALL") != NULL){
			hexstr(rec, in.len, hx, sizeof hx);
			diag("VEX on this CPU: [%s] decoder %s (%s), CPU %s", hx, r > 0 ? "valid" : "invalid", in.name,
				sig == SIGILL ? "#UD" : "runs it");
		}
	}
	for(i = 0; i < 5; i++)
		sigaction(sigs[i], &old[i], NULL);
	sigaltstack(&oldss, NULL);
	munmap(code, 4096);
	munmap(scratch, 4096);
	free(ss.ss_sp);
	ok(bad == 0 && n > 400000, "VEX on this CPU: of %ld encodings the decoder accepts %ld; the CPU raises #UD on exactly the others, but for %ld listed forms it runs; %ld differ",
		n, nvalid, lax, bad);
}
#else
static void
vexhardware(void)
{
	ok(1, "# SKIP VEX on this CPU: not an x86-64 host");
}
#endif

/* --- 3. random bytes ---------------------------------------------------- */

static uint64_t rs = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 16);
}

/* Bias random instructions towards interesting bytes. */
static void
randinsn(uint8_t *b, int n)
{
	static const uint8_t hot[] = {
		0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x64, 0x65, 0x0f, 0x38, 0x3a,
		0xc4, 0xc5, 0x62, 0x8f, 0xff, 0xf7, 0xf6, 0xd9, 0xdf, 0x01, 0xae, 0xc7,
	};
	int i;

	for(i = 0; i < n; i++)
		b[i] = rnd() % 3 == 0 ? hot[rnd() % sizeof hot] : rnd();
}

/* Do a and b say the same of an instruction, field by field? */
static int
sameinsn(const VxInsn *a, const VxInsn *b)
{
#define F(x) (a->x == b->x)
	return F(len) && F(cls) && F(map) && F(op) && F(opoff) && F(seg) && F(segoff)
	&& F(opsize) && F(addrsize) && F(rep) && F(repne) && F(lock) && F(hasmodrm)
	&& F(modrm) && F(modrmoff) && F(mod) && F(reg) && F(rm) && F(hasmem) && F(hassib)
	&& F(sib) && F(base) && F(index) && F(scale) && F(dispsize) && F(dispoff) && F(disp)
	&& F(immsize) && F(immoff) && F(imm) && F(string) && F(moffs) && F(rel) && F(target)
	&& F(vex) && F(vexwgpr) && F(xlat) && F(toolong) && F(feat)
	&& (a->name == b->name || (a->name != NULL && b->name != NULL && strcmp(a->name, b->name) == 0));
#undef F
}

/* With 15 bytes or more an instruction without a prefix takes the
 * decoder's quick path, with fewer its full one: a valid instruction
 * decoded from any avail that holds it must come out the same in every
 * field, whichever path decoded it. */
static void
randomcases(void)
{
	long pg, iter, fails, shortfail, structfail, fieldfail;
	uint8_t *m, *end, src[16];
	VxInsn full, in;
	int r, rfull, a;

	pg = sysconf(_SC_PAGESIZE);
	m = mmap(NULL, 2*pg, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	if(m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE) != 0){
		ok(0, "random: guard page");
		return;
	}
	end = m + pg;	/* the first byte that faults */
	fails = shortfail = structfail = fieldfail = 0;
	for(iter = 0; iter < 200000; iter++){
		randinsn(src, 16);
		memcpy(end - 15, src, 15);
		rfull = decall(end - 15, 15, 0x1000, &full);
		if(rfull < 0)
			fails++;	/* 15 bytes always suffice */
		if(rfull > 0 && (full.len > 15 || full.opoff >= full.len
		|| (full.hasmodrm && full.modrmoff >= full.len)
		|| (full.dispsize && full.dispoff + full.dispsize > full.len)
		|| (full.immsize && full.immoff + full.immsize != full.len)
		|| (full.seg && full.segoff >= full.opoff)))
			structfail++;
		for(a = 0; a <= 15; a++){
			memcpy(end - a, src, a);
			r = decall(end - a, a, 0x1000, &in);
			if(a < full.len || (rfull < 0)){
				if(r != -1 && rfull >= 0)
					shortfail++;
			}else if(r != rfull || in.len != full.len || in.cls != full.cls)
				shortfail++;
			else if(rfull > 0 && !sameinsn(&in, &full))
				fieldfail++;
		}
	}
	ok(fails == 0, "random: 15 bytes always decide (%ld undecided)", fails);
	ok(structfail == 0, "random: offsets of parts lie inside the instruction (%ld bad)", structfail);
	ok(shortfail == 0, "random: -1 exactly when avail < length, same answer otherwise (%ld bad)", shortfail);
	ok(fieldfail == 0, "random: a valid instruction's every field the same from any avail that holds it (%ld differ)", fieldfail);
	munmap(m, 2*pg);
}

/* --- 4. the guest's decoder ---------------------------------------------- */

/* The VEX opcodes of BMI1 and BMI2 (andn, blsr/blsmsk/blsi, bzhi, pext,
 * pdep, mulx, bextr, shlx, sarx, shrx; rorx): general registers only. */
static int
bmiop(int map, int op)
{
	return (map == 2 && (op == 0xf2 || op == 0xf3 || op == 0xf5 || op == 0xf6 || op == 0xf7))
		|| (map == 3 && op == 0xf0);
}

/* AVX forms, which the guest gets where its cpuid shows their set (the
 * host's OS enables the YMM state): then plain, else invalid with the
 * same length. */
static const struct {
	const char *hex;
	int len;
	uint32_t feat;
} gavx[] = {
	{ "c5 f8 77", 3, VXF_AVX },			/* vzeroupper */
	{ "c5 fc 77", 3, VXF_AVX },			/* vzeroall */
	{ "c5 fe 6f 03", 4, VXF_AVX },			/* vmovdqu (%ebx),%ymm0 */
	{ "c5 fa 6f 03", 4, VXF_AVX },			/* vmovdqu (%ebx),%xmm0 */
	{ "c5 f5 ef c9", 4, VXF_AVX2 },			/* vpxor %ymm1,%ymm1,%ymm1 */
	{ "c4 e3 7d 39 c0 01", 6, VXF_AVX2 },		/* vextracti128 */
	{ "c4 e2 79 18 03", 5, VXF_AVX },		/* vbroadcastss */
	{ "c4 e2 f1 a8 c2", 5, VXF_FMA },		/* vfmadd213pd */
	{ "c4 e2 79 13 c1", 5, VXF_F16C },		/* vcvtph2ps */
	{ "c4 e2 71 dc c2", 5, VXF_VAES },		/* vaesenc */
	{ "c4 e2 6d 90 04 88", 6, VXF_AVX2 },		/* vpgatherdd %ymm2,(%eax,%ymm1,4),%ymm0 */
};

/* Forms as a guest's code meets them: what cpuid hides is invalid, its
 * length still known; BMI and the rest of 0f ae/0f c7 unchanged. */
static const Case gcases[] = {
	C("c5 f8 92 c8", 0, INVALID, "len=4"),			/* kmovw %eax,%k1 */
	C("c5 f8 93 c1", 0, INVALID, "len=4"),			/* kmovw %k1,%eax */
	C("c4 e1 f8 90 c1", 0, INVALID, "len=5"),		/* kmovq %k1,%k0 */
	C("c4 e3 79 30 c1 01", 0, INVALID, "len=6"),		/* kshiftrb */
	C("0f ae 20", 0, INVALID, "len=3"),			/* xsave */
	C("0f ae 28", 0, INVALID, "len=3"),			/* xrstor */
	C("0f ae 30", 0, INVALID, "len=3"),			/* xsaveopt */
	C("0f c7 20", 0, INVALID, "len=3"),			/* xsavec */
	C("0f ae 38", 3, PLAIN, ""),				/* clflush */
	C("0f ae 00", 3, PLAIN, ""),				/* fxsave */
	C("0f ae 08", 3, PLAIN, ""),				/* fxrstor */
	C("0f c7 08", 3, PLAIN, ""),				/* cmpxchg8b */
	C("0f 01 d0", 3, XGETBV, ""),				/* xgetbv: answers x87|SSE(|AVX) */
	C("0f 01 ee", 0, INVALID, "len=3"),			/* rdpkru: no PKU offered */
	C("0f 01 ef", 0, INVALID, "len=3"),			/* wrpkru: the same */
	C("0f 01 fc", 3, SYSINSN, ""),				/* clzero: cpuid offers it */
	C("0f 01 fa", 3, SYSINSN, ""),				/* monitorx */
	C("0f 01 d4", 0, INVALID, "len=3"),			/* vmfunc */
	C("64 2e 65 0f 01 ee", 0, INVALID, ""),			/* codefuzz seed 276837625 */
	C("66 0f 38 dc c1", 5, PLAIN, ""),			/* aesenc (legacy SSE) */
};

static void
guestcases(void)
{
	uint8_t b[64];
	char why[128];
	const Case *c;
	VxInsn in;
	size_t i;
	int n, r, good;
	uint32_t gf;

	for(i = 0; i < sizeof gcases / sizeof gcases[0]; i++){
		c = &gcases[i];
		n = unhex(c->hex, b, sizeof b);
		r = vx_decode(b, n, c->eip, &in);
		good = r == c->ret && in.cls == c->cls && fields(&in, c->want, why, sizeof why);
		ok(good, "guest: [%s] -> %d %s %s (got %d %s, %s)", c->hex, c->ret, vx_clsname(c->cls), c->want,
			r, vx_clsname(in.cls), in.name);
	}
	gf = vx_guestfeat();
	for(i = 0; i < sizeof gavx / sizeof gavx[0]; i++){
		n = unhex(gavx[i].hex, b, sizeof b);
		r = vx_decode(b, n, 0x1000, &in);
		good = (gf & gavx[i].feat) ? r == gavx[i].len && in.cls == VXC_PLAIN : r == 0 && in.cls == VXC_INVALID && in.len == gavx[i].len;
		ok(good, "guest: [%s] %s (cpuid %s it; got %d %s, %s)", gavx[i].hex,
			(gf & gavx[i].feat) ? "runs" : "is invalid", (gf & gavx[i].feat) ? "offers" : "hides",
			r, vx_clsname(in.cls), in.name);
	}
	ok((gf & ~(VXF_BMI1 | VXF_BMI2 | VXF_AVX | VXF_AVX2 | VXF_FMA | VXF_F16C | VXF_VAES | VXF_VPCLMUL)) == 0,
		"guest: cpuid offers no VEX feature but BMI1/BMI2 and AVX's, no XSAVE, no AVX-512 (%#x)", gf);
	ok(!(gf & (VXF_AVX2 | VXF_FMA | VXF_F16C | VXF_VAES | VXF_VPCLMUL)) || (gf & VXF_AVX),
		"guest: AVX's sets only with AVX (%#x)", gf);
}

/* Every VEX record of the sweeps: the guest's decoder accepts one only
 * if the full decoder accepts it (same length) and cpuid shows its set
 * (BMI1/2 and, where the host's OS enables the YMM state, AVX, AVX2,
 * FMA, F16C, VAES, VPCLMULQDQ); everything else, the k-register
 * instructions, AVX-VNNI, GFNI, is refused, its length as the full
 * decoder's. */
static void
guestvex(void)
{
	uint8_t rec[32];
	char hx[64];
	VxInsn all, in;
	Vexform v;
	long vi;
	int ra, rg, bmi;
	long nall, nbmi, nrefused, bad;
	uint32_t gf;

	gf = vx_guestfeat();
	nall = nbmi = nrefused = bad = 0;
	vi = 0;
	while(vexnext(&vi, &v, rec)){
		ra = decall(rec, 16, 0x1000, &all);
		rg = vx_decode(rec, 16, 0x1000, &in);
		if(ra <= 0)
			continue;
		nall++;
		bmi = bmiop(v.map, v.op);
		nbmi += bmi;
		nrefused += !bmi && rg == 0;
		nrefused -= !bmi && rg == 0;
		nrefused += rg == 0;
		if(rg > 0 ? (all.feat & ~gf) == 0 && rg == ra : in.len == all.len && (all.feat & ~gf) != 0)
			continue;
		if(bad++ < 20){
			hexstr(rec, all.len, hx, sizeof hx);
			diag("guest VEX: [%s] %s: full decoder %d, guest's %d (%s)", hx, all.name, ra, rg, in.name);
		}
	}
	ok(bad == 0 && nbmi > 0 && nrefused < nall - nbmi && nrefused > 0,
		"guest VEX: of %ld forms the full decoder accepts, the guest's refuses the %ld whose set cpuid hides (%ld BMI; %ld differ)",
		nall, nrefused, nbmi, bad);
}

int
main(void)
{
	char dir[64];
	const char *prog;

	handcases();
	eacases();
	clsnames();
	randomcases();
	sweep();
	vexsweep();
	vexhardware();
	guestcases();
	guestvex();
	realbinary("busybox", "build/deb/bin/busybox");
	prog = staticprog(dir, sizeof dir);
	if(prog != NULL)
		realbinary("glibc static", prog);
	else
		ok(1, "# SKIP glibc static: gcc -m32 -static failed");
	realbinary("libc.so.6 (i386)", "/usr/lib32/libc.so.6");
	realbinary("libm.so.6 (i386)", "/usr/lib32/libm.so.6");
	if(prog != NULL){
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if(system(cmd) != 0)
			diag("could not remove %s", dir);
	}
	return done_testing();
}
