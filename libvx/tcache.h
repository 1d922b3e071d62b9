/*
 * tcache.h — the persistent translation cache's file format (tcache.c;
 * tests/tools/tcmut.c crafts damaged files from it).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
enum {
	TCVERSION = 1,
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

static inline uint64_t
tcsum(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	uint64_t w;

	for(; n >= 8; b += 8, n -= 8){
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, b, n);
	h = (h ^ w ^ n) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

