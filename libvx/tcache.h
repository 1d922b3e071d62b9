/*
 * tcache.h — the persistent translation cache's file format (tcache.c;
 * tests/tools/tcmut.c crafts damaged files from it).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
enum {
	TCVERSION = 6,	/* 2: tcsum in four lanes; 3: one sum for the whole file, entries in the order made; 4: rets through the return table; 5: cold rets inline (the cache holds the cold form), stack slots without addr32; 6: TCINDIRECT, TcEnt.from */
	TCDEFMAX = 256 << 20,	/* the directory's default bound */
	TCFILEMAX = 64 << 20,	/* one file's bound (offsets are 32-bit) */
	BUILDLEN = 32,
	KEYBYTES = 4096,	/* of the image hashed for its key */
	PENDSTEP = 2 << 20,	/* new entries' memory faulted in by this much (a huge page), */
	PENDFIRST = 16 << 10,	/* from this much, doubling */
	PMAYBITS = 1 << 20,	/* pendmay's filter: 128 KiB, two bits an entry */
	TCREAD = 256 << 10,	/* read and summed a piece this big at a time */
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
	uint32_t engine;
	uint8_t build[BUILDLEN];
	uint64_t key;
	uint64_t size;		/* of the whole file */
	uint32_t nent;
	uint32_t pad;
	uint64_t sum;		/* of the whole file, this field 0 */
} TcHdr;

typedef struct TcIdx {
	uint32_t geip;
	uint32_t off;		/* of its TcEnt from the file's start */
} TcIdx;

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

/* A checksum against damage (not an adversary: tcmut recomputes it).
 * Four lanes of 8-byte words, so that the multiplies overlap.  Taken a
 * piece at a time (TcSum) or at once (tcsum), the same value: the file's
 * sum is taken as it is read, a piece at a time, while the piece is
 * still in the CPU's cache. */
typedef struct TcSum {
	uint64_t l[4];
	uint8_t buf[32];	/* the bytes short of a whole 32 */
	size_t nbuf;
} TcSum;

static inline void
tcsuminit(TcSum *s, uint64_t h)
{
	s->l[0] = h;
	s->l[1] = h + 1;
	s->l[2] = h + 2;
	s->l[3] = h + 3;
	s->nbuf = 0;
}

static inline void
tcsumblock(TcSum *s, const uint8_t *b)
{
	uint64_t w[4];

	memcpy(w, b, 32);
	s->l[0] = tcmix(s->l[0], w[0]);
	s->l[1] = tcmix(s->l[1], w[1]);
	s->l[2] = tcmix(s->l[2], w[2]);
	s->l[3] = tcmix(s->l[3], w[3]);
}

/* nb whole blocks from b, the lanes in registers: kept in *s, they were
 * stored and loaded at every block (b may alias them), and the sum of a
 * warm python start's 6.5 MB file took 0.8 ms, not 0.3. */
static inline void
tcsumblocks(TcSum *s, const uint8_t *b, size_t nb)
{
	uint64_t l0 = s->l[0], l1 = s->l[1], l2 = s->l[2], l3 = s->l[3], w[4];

	for(; nb > 0; nb--, b += 32){
		memcpy(w, b, 32);
		l0 = tcmix(l0, w[0]);
		l1 = tcmix(l1, w[1]);
		l2 = tcmix(l2, w[2]);
		l3 = tcmix(l3, w[3]);
	}
	s->l[0] = l0;
	s->l[1] = l1;
	s->l[2] = l2;
	s->l[3] = l3;
}

static inline void
tcsumadd(TcSum *s, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t k;

	if(s->nbuf > 0){
		k = 32 - s->nbuf < n ? 32 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, b, k);
		s->nbuf += k;
		b += k;
		n -= k;
		if(s->nbuf < 32)
			return;
		tcsumblock(s, s->buf);
		s->nbuf = 0;
	}
	tcsumblocks(s, b, n / 32);
	b += n / 32 * 32;
	n %= 32;
	memcpy(s->buf, b, n);
	s->nbuf = n;
}

static inline uint64_t
tcsumend(TcSum *s)
{
	const uint8_t *b = s->buf;
	size_t n = s->nbuf;
	uint64_t w, h = tcmix(tcmix(tcmix(s->l[0], s->l[1]), s->l[2]), s->l[3]);

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
