/*
 * tcache.h — the persistent translation cache's file format (tcache.c;
 * tests/tools/tcmut.c crafts damaged files from it).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
enum {
	TCVERSION = 2,	/* 2: tcsum in four lanes */
	TCDEFMAX = 256 << 20,	/* the directory's default bound */
	TCFILEMAX = 64 << 20,	/* one file's bound (offsets are 32-bit) */
	BUILDLEN = 32,
	KEYBYTES = 4096,	/* of the image hashed for its key */
	PENDSTEP = 1 << 20,	/* new entries' memory faulted in by this much */
	TCIOV = 1024,		/* entries per writev (IOV_MAX) */
	NEWFEW = 32,		/* fewer new entries than 1/NEWFEW of the old: not written */
	TCX87 = 1,
	TCCALLRET = 2,
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
	uint64_t sum;		/* of the header (sum 0) and the index */
} TcHdr;

typedef struct TcIdx {
	uint32_t geip;
	uint32_t off;		/* of its TcEnt from the file's start */
} TcIdx;

/* An entry, 8-aligned, then: MapEnt map[nmap], TcOut out[nout],
 * TcRel rel[nrel], the guest bytes [geip, gend) and [xlo, xhi), the
 * code (ncode bytes from the fragment's start). */
typedef struct TcEnt {
	uint64_t sum;		/* of the entry after this field */
	uint32_t len;		/* bytes, this header included, 8-aligned */
	uint32_t geip, gend, xlo, xhi;
	uint16_t ncode, nmap, nout, nrel;
	uint16_t ientry, body;	/* offsets in the code */
	uint8_t flags;		/* TCX87, TCCALLRET */
	uint8_t dispatch, thunks, guesses;
	uint32_t pad;
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
 * Four lanes of 8-byte words, so that the multiplies overlap: a warm
 * python start sums its whole 6.5 MB file, and one chain of dependent
 * multiplies took half of vx_tcget's time. */
static inline uint64_t
tcsum(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	uint64_t w[4], l0 = h, l1 = h + 1, l2 = h + 2, l3 = h + 3;

	for(; n >= 32; b += 32, n -= 32){
		memcpy(w, b, 32);
		l0 = tcmix(l0, w[0]);
		l1 = tcmix(l1, w[1]);
		l2 = tcmix(l2, w[2]);
		l3 = tcmix(l3, w[3]);
	}
	h = tcmix(tcmix(tcmix(l0, l1), l2), l3);
	for(; n >= 8; b += 8, n -= 8){
		memcpy(w, b, 8);
		h = tcmix(h, w[0]);
	}
	w[0] = 0;
	memcpy(w, b, n);
	h = (h ^ w[0] ^ n) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

