/*
 * trans.h — what translate.c (fragments, both engines) shares with
 * translong.c (the long engine's instructions).
 */
#ifndef VX_TRANS_H
#define VX_TRANS_H

#include <string.h>
#include "vxpriv.h"

/* Bounds: an instruction makes at most 3 map entries and 2 exits, each
 * exit a stub entry; the check block of a volatile fragment adds one. */
enum { MAXMAP = 6 * MAXFRAGINSN + 16, MAXEXIT = 2 * MAXFRAGINSN + 4, FRAGROOM = 16384 };
/* Jumps to runtime stubs in a fragment that the persistent cache can
 * move (more: the fragment is not kept, T.nocache). */
enum { MAXREL = MAXEXIT + MAXFRAGINSN + 8 };
enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };
/* A long fragment's body starts BODYOFF bytes into a BODYALIGN-aligned
 * block (32-byte aligned, and the indirect entry's check, which returns
 * and indirect jumps land on, in the same 64-byte line as the body's
 * first 32 bytes); the indirect entry before it is lea, jmp rel32, lea,
 * loop, reload of ecx. */
enum { BODYALIGN = 64, BODYOFF = 32, LIENTRYLEN = 6 + 5 + 6 + 2 + 7 };
/* A long fragment's exit stub: movl $link, S_LINK(%r15) with an 8-bit
 * displacement (its immediate LSTUBIMM bytes in, set per run by the
 * persistent cache), then jmp rel32 to vxlblob_chain; compat's is 16
 * bytes (fsimm's disp32 form). */
enum { LSTUBIMM = 4, LSTUBLEN = 4 + 4 + 5 };

typedef struct Exit {
	uint32_t site;		/* host address of the rel32 */
	uint32_t target;	/* guest eip */
	uint32_t stub;		/* host address of its exit stub */
	struct Frag *to;	/* the fragment at target when the stubs were made */
} Exit;

typedef struct T {
	Vx *vx;
	int lng;		/* long engine: 64-bit code, state block in %r15 */
	uint8_t *p, *start;
	uint32_t geip;
	MapEnt map[MAXMAP];
	int nmap;
	Exit exit[MAXEXIT];
	int nexit;
	int x87;		/* long: an instruction uses x87/MMX state */
	int pend;		/* long: esp adjustment of merged pushes/pops not yet done */
	int pre;		/* long: the part of it made ahead, at the run's start (callrun) */
	uint8_t *flagsat, *flagsend;	/* long: the flags' copy of a folded add/sub $imm,%esp */
	int flagskeep;		/* long: its flags are kept (it starts its run, the guest steps) */
	int flagsmade;		/* long: callrun made a sub's flags ahead of its lea (espcmp) */
	uint32_t aend, xlo;	/* a followed jmp: the end of the fragment's own
				   bytes, the start of the block it went on in */
	uint32_t xhi;		/* an inlined pc thunk: the end of its bytes at xlo
				   (0: none, or the block's end is where it stops) */
	int jtkey;		/* long: the last instruction loaded from a table
				   indexed by this register (-1 none; translong.c, jtsite) */
	uint32_t jtkeyend;	/* and ended here */
	int trap;		/* fetch trap at the first instruction */
	uint32_t trapaddr;

	/* the finished fragment, for fragdone and the persistent cache */
	uint32_t gend;		/* Frag.gend; xlo, xhi above are Frag's */
	uint32_t ientry, body;	/* offsets from start */
	int checked, callret;
	int indirect;		/* from the cache: its run filled its indirect table slot */
	uint32_t from;		/* made at a chain exit of the fragment at from (Vx.chainfrom) */
	uint32_t tcord;		/* from the cache file's entry number tcord - 1 (0: not; vx_tcget) */
	int ahead;		/* vx_tcget for run-ahead (translate.c): prelink links it */
	uint32_t tcent;		/* Frag.tcent (vx_tcget, vx_tcput) */
	int dispatch, thunks, guesses;	/* this fragment's share of VxStats */
	const MapEnt *cmap;	/* the map in a persistent cache file (else map) */
	uint16_t rel[MAXREL];	/* offsets of rel32s that reach runtime stubs */
	int nrel;
	int nocache;		/* too many of them: not kept across runs */
	/* a checked fragment's guest bytes as decoded (from geip): its
	 * check compares with these, not with memory read again later */
	uint8_t held[MAXFRAGINSN * VX_MAXINSN + 16];
	uint32_t nheld;
	unsigned smcgen;	/* VxMem.smcgen when the translation began */
} T;

/* Emitted bytes and words are stored as members of these, not as
 * uint8_t: a byte stored through a uint8_t pointer may alias anything,
 * t->p included, so the compiler reloaded t->p after every e8 and e32 (a
 * store-to-load chain through memory per byte emitted).  A store through
 * a struct's member aliases only that member's type; the code cache is
 * otherwise read as bytes, which alias everything. */
typedef struct Code8 { uint8_t v; } Code8;
typedef struct __attribute__((packed)) Code32 { uint32_t v; } Code32;
static inline void e8(T *t, uint8_t b) { ((Code8 *)t->p)->v = b; t->p++; }
static inline void e32(T *t, uint32_t v) { ((Code32 *)t->p)->v = v; t->p += 4; }
static inline uint32_t here(T *t) { return (uint32_t)(uintptr_t)t->p; }
/* The selector a guest reads from %es %cs %ss %ds: Linux's flat ones
 * (neither engine runs the guest with them in the data registers). */
static inline uint32_t flatsel(int sreg) { return sreg == 1 ? 0x23 : 0x2b; }

void addmap(T *t, int kind, uint32_t geip, int spill, int espadj);
void fsst(T *t, int reg, uint32_t off);
void fsld(T *t, int reg, uint32_t off);
void fsimm(T *t, uint32_t off, uint32_t v);
void jmpto(T *t, uint32_t addr);
void exitrel(T *t, uint32_t target);
void jmpexit(T *t, uint32_t target);
void trapstub(T *t, int trap, int vector, uint32_t reip, uint32_t ieip);
void exitstub(T *t, int code, uint32_t eip, uint32_t link);
int isseg(uint8_t b);
int scratch(const VxInsn *in, int avoid);
int virtseg(const VxInsn *in);
int transtrap(T *t, const VxInsn *in, uint32_t eip);
int fpuimage(const VxInsn *in, int off[3], int *ipw);
void fpuclean(T *t, const VxInsn *in);
void fpubase(T *t, const VxInsn *in, int r);
void fpustores(T *t, const uint8_t *b, const VxInsn *in, int r,
	void (*emit)(T *, const uint8_t *, const VxInsn *, int, const uint8_t *, int));
int vx_lmerges(T *t, const VxInsn *in);
int vx_lx87insn(const VxInsn *in);
void vx_lflush(T *t);
void vx_ljtkey(T *t, const VxInsn *in, uint32_t eip);
void vx_lthunk(T *t, uint32_t next, int reg);
void vx_indirect(T *t, const VxInsn *in, void (*lookup)(T *));
uint32_t vx_guess(T *t, const VxInsn *in);

/* tcache.c: the persistent translation cache */
int vx_tcget(Vx *vx, T *t);
void vx_tcput(Vx *vx, T *t);
void vx_tcindirect(Vx *vx, uint32_t eip);
uint32_t vx_tcahead(Vx *vx);
uint32_t vx_tcafter(Vx *vx);
void vx_tcprefetch(Vx *vx);
void vx_tcpass(Vx *vx);
int vx_tcalone(Vx *vx);
const uint32_t *vx_tclinks(Vx *vx, uint32_t ord, int nout, const uint16_t **mi);
void *vx_fragmem(Vx *vx, size_t n);
const uint8_t *vx_tcpagebits(Vx *vx, uint32_t p);
void vx_tctook(Vx *vx, uint32_t ord, uint32_t fi);
void *vx_tcgrow(void *old, size_t oldn, size_t n);

#endif
