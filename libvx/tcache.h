/*
 * tcache.h — the persistent translation cache's file format (tcache.c;
 * tests/tools/tcmut.c crafts damaged files from it).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
enum {
	TCVERSION = 10,	/* 2: tcsum in four lanes; 3: one sum for the whole file, entries in the order made; 4: rets through the return table; 5: cold rets inline (the cache holds the cold form), stack slots without addr32; 6: TCINDIRECT, TcEnt.from; 7: tcsum in eight lanes; 8: its second words spread; 9: the links resolved (TcIdx.ord, the link section); 10: exit stubs of 13 bytes (LSTUBLEN), the cold ret and call of session 27 */
	TCDEFMAX = 256 << 20,	/* the directory's default bound */
	TCFILEMAX = 64 << 20,	/* one file's bound (offsets are 32-bit) */
	BUILDLEN = 32,
	KEYBYTES = 4096,	/* of the image hashed for its key */
	TCFORMWARM = 0x100,	/* TcHdr.engine: the warm form's file (tcache.c, vx_tcwarm) */
	TCWARMKEY = 0x6d726177,	/* "warm": the warm form's key is the image's with it flipped */
	PENDSTEP = 2 << 20,	/* new entries' memory faulted in by this much (a huge page), */
	PENDFIRST = 16 << 10,	/* from this much, doubling */
	PMAYBITS = 1 << 20,	/* pendmay's filter: 128 KiB, two bits an entry */
	TCREAD = 256 << 10,	/* read and summed a piece this big at a time */
	TCPAGEBITS = 4096 / 8,	/* a page section's bitmap (VX_PAGE / 8) */
	NEWFEW = 32,		/* fewer new entries than 1/NEWFEW of the old: not written */
	KEPTMAX = 8,		/* read copies kept after their last sandbox, */
	KEPTBYTES = 64 << 20,	/* and their bytes at most */
	TCX87 = 1,
	TCCALLRET = 2,
	TCINDIRECT = 4,	/* the run that made it gave it the indirect table's slot (vx_tcindirect) */
};

typedef struct TcHdr {
	char magic[8];		/* "vxtcache" */
	uint32_t version;
	uint32_t engine;	/* VX_ENGINE_*, with TCFORMWARM for the warm form's */
	uint8_t build[BUILDLEN];
	uint64_t key;
	uint64_t size;		/* of the whole file */
	uint32_t nent;
	uint32_t nlink;		/* exits in the link section */
	uint64_t sum;		/* of the whole file, this field 0 */
	uint64_t linkoff;	/* the link section's offset: past the page section */
	uint32_t npage;		/* pages in the page section */
	uint32_t pad;
	uint64_t pageoff;	/* the page section's offset: past the entries */
} TcHdr;

typedef struct TcIdx {
	uint32_t geip;
	uint32_t off;		/* of its TcEnt from the file's start */
	uint32_t ord;		/* its place in the file's order (the link section's) */
} TcIdx;

/*
 * The page section, at TcHdr.pageoff: uint32_t page[npage] ascending
 * (padded to 8 bytes), then for each page its VX_PAGE / 8 bytes of
 * inside-entry bits (translate.c, EntPage) as the sandbox that wrote
 * the file had them: a warm start takes a page's bits at once when it
 * first makes the page's table rather than mark each cached fragment's
 * enterable instructions (fromcache).  A filter: a bit set for nothing
 * costs a lookup, one left clear a link not made.
 *
 * The link section, at TcHdr.linkoff to the file's end, says where
 * the run that wrote the file linked each entry's exits, so that a warm
 * start links the fragments it takes without looking their targets up
 * (translate.c, prelink): uint32_t first[nent + 1], to[nlink], then
 * uint16_t mi[nlink] (padded to 4 bytes).  The entries are numbered in
 * the file's order (TcIdx.ord); entry k's exits are to[first[k],
 * first[k + 1]), one for each TcOut, each the number + 1 of the entry
 * it was linked into, mi the map entry of the instruction it enters
 * there (TCSTART: the body).  to 0: not linked (mi 0: by that run,
 * left to the runtime; TCUNKNOWN: no run said, looked up).  Hints only:
 * a link made so goes to a live fragment's start or enterable
 * instruction at the exit's own target, whatever the numbers say.
 */

/* An entry, 8-aligned, then: MapEnt map[nmap], TcOut out[nout],
 * TcRel rel[nrel], the guest bytes [geip, gend) and [xlo, xhi), the
 * code (ncode bytes from the fragment's start). */
typedef struct TcEnt {
	uint32_t len;		/* bytes, this header included, 8-aligned */
	uint32_t geip, gend, xlo, xhi;
	uint16_t ncode, nmap, nout, nrel;
	uint16_t ientry, body;	/* offsets in the code */
	uint8_t flags;		/* TCX87, TCCALLRET, TCINDIRECT */
	uint8_t dispatch, thunks, guesses;
	uint32_t from;		/* made at a chain exit of the fragment at this
				   guest address (0: not so) */
} TcEnt;

typedef struct TcOut {
	uint16_t site, stub;	/* offsets in the code */
	uint32_t target;
} TcOut;

typedef struct TcRel {
	uint32_t site;		/* offset of a rel32 in the code */
	uint32_t to;		/* its target's offset in the stubs */
} TcRel;

/* One word into a lane of tcsum. */
static inline uint64_t
tcmix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 31;
}

/* An invertible sum of rotations: one bit in moves three out, and no
 * input of up to three bits leaves fewer than four in and out together. */
static inline uint64_t
tcspread(uint64_t y)
{
	return y ^ (y << 23 | y >> 41) ^ (y << 41 | y >> 23);
}

/* Two words into a lane: the first through the multiply, the second
 * added after it, then both spread (each step is one-to-one in each
 * word, so a change to one word changes the lane), for one multiply per
 * 16 bytes rather than per 8.  Without the spread (tcmix's shift in its
 * place) a bit flipped in the second word moved the lane by that bit
 * alone when no carry ran, and the same bit flipped in the lane's next
 * first word, xored in before the multiply, undid it: half of all such
 * pairs of flips 120 bytes apart kept the sum (red team, session 24).
 * The spread is on the lane's chain; the multiplies still overlap
 * (6.5 MB in a loop, medians: 0.12 ms unspread, 0.16 so, 0.21 with the
 * second word spread on its own before the add). */
static inline uint64_t
tcmix2(uint64_t h, uint64_t w0, uint64_t w1)
{
	return tcspread((h ^ w0) * 0x9e3779b97f4a7c15ull + w1);
}

/* A checksum against damage (not an adversary: tcmut recomputes it).
 * TCLANES lanes, each taking 16 bytes a block with one multiply
 * (tcmix2), so that the multiplies overlap: the lane is a chain of the
 * multiply and a few one-cycle steps.  Four lanes of one word a
 * multiply took 0.30 ms over python's 6.5 MB file at each warm start,
 * waiting on the multiplier; these take 0.16-0.21, about what reading
 * the file costs (doc/bench.md, "the warm runtime's parts").  Taken a
 * piece at a time (TcSum) or at once (tcsum), the same value: the
 * file's sum is taken as it is read, a piece at a time, while the piece
 * is still in the CPU's cache. */
enum { TCLANES = 8, TCBLOCK = 16 * TCLANES };

typedef struct TcSum {
	uint64_t l[TCLANES];
	uint8_t buf[TCBLOCK];	/* the bytes short of a whole block */
	size_t nbuf;
} TcSum;

static inline void
tcsuminit(TcSum *s, uint64_t h)
{
	int i;

	for(i = 0; i < TCLANES; i++)
		s->l[i] = h + (uint64_t)i;
	s->nbuf = 0;
}

/* nb whole blocks from b, the lanes in registers: kept in *s, they were
 * stored and loaded every block and python's file took 0.8 ms instead
 * of 0.3. */
static inline void
tcsumblocks(TcSum *s, const uint8_t *b, size_t nb)
{
	uint64_t l0 = s->l[0], l1 = s->l[1], l2 = s->l[2], l3 = s->l[3];
	uint64_t l4 = s->l[4], l5 = s->l[5], l6 = s->l[6], l7 = s->l[7], w[2 * TCLANES];

	for(; nb > 0; nb--, b += TCBLOCK){
		memcpy(w, b, TCBLOCK);
		l0 = tcmix2(l0, w[0], w[1]);
		l1 = tcmix2(l1, w[2], w[3]);
		l2 = tcmix2(l2, w[4], w[5]);
		l3 = tcmix2(l3, w[6], w[7]);
		l4 = tcmix2(l4, w[8], w[9]);
		l5 = tcmix2(l5, w[10], w[11]);
		l6 = tcmix2(l6, w[12], w[13]);
		l7 = tcmix2(l7, w[14], w[15]);
	}
	s->l[0] = l0;
	s->l[1] = l1;
	s->l[2] = l2;
	s->l[3] = l3;
	s->l[4] = l4;
	s->l[5] = l5;
	s->l[6] = l6;
	s->l[7] = l7;
}

static inline void
tcsumadd(TcSum *s, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t k;

	if(s->nbuf > 0){
		k = TCBLOCK - s->nbuf < n ? TCBLOCK - s->nbuf : n;
		memcpy(s->buf + s->nbuf, b, k);
		s->nbuf += k;
		b += k;
		n -= k;
		if(s->nbuf < TCBLOCK)
			return;
		tcsumblocks(s, s->buf, 1);
		s->nbuf = 0;
	}
	tcsumblocks(s, b, n / TCBLOCK);
	b += n / TCBLOCK * TCBLOCK;
	n %= TCBLOCK;
	memcpy(s->buf, b, n);
	s->nbuf = n;
}

static inline uint64_t
tcsumend(TcSum *s)
{
	const uint8_t *b = s->buf;
	size_t n = s->nbuf;
	uint64_t w, h = 0;
	int i;

	/* each lane through a multiply before the next is xored in: with
	 * the first lane taken as it was, the same bit flipped in the last
	 * second words of lanes 0 and 1 cancelled */
	for(i = 0; i < TCLANES; i++)
		h = tcmix(h, s->l[i]);

	for(; n >= 8; b += 8, n -= 8){
		memcpy(&w, b, 8);
		h = tcmix(h, w);
	}
	w = 0;
	memcpy(&w, b, n);
	h = (h ^ w ^ n) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

static inline uint64_t
tcsum(const void *p, size_t n, uint64_t h)
{
	TcSum s;

	tcsuminit(&s, h);
	tcsumadd(&s, p, n);
	return tcsumend(&s);
}
