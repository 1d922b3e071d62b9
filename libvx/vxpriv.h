/*
 * vxpriv.h — the sandbox's internal structures (not part of the API).
 */
#ifndef VX_PRIV_H
#define VX_PRIV_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include "vx.h"
#include "decode.h"
#include "amd64/state.h"

enum { VX_PAGESHIFT = 12, VX_PAGE = 1 << VX_PAGESHIFT };

/* Page flags in VxMem.page[]: the guest's protection and our own marks. */
enum {
	PG_R = VX_PROT_READ, PG_W = VX_PROT_WRITE, PG_X = VX_PROT_EXEC,
	PG_SHARED = 0x08,	/* vx_mapshared: fork maps it again, never copies;
				   always with PG_VOLATILE */
	PG_MAPPED = 0x10,	/* the guest mapped it */
	PG_CODE = 0x20,		/* translated: host copy write-protected */
	PG_VOLATILE = 0x40,	/* written often while translated: not protected;
				   its fragments check their bytes on entry */
	PG_FILE = 0x80,		/* mapped from a host file: always copied by fork */
};
enum { SMCVOLATILE = 8 };	/* faults on a page before it becomes volatile */

typedef struct VxMem VxMem;
enum { VXOPENED = 64 };

struct VxMem {
	atomic_int ref;
	int engine;		/* VX_ENGINE_*: compat memory is an LDT segment,
				   long memory a window (amd64/window.c) */
	uint8_t *base;		/* host address of guest address 0 (< 4 GB for
				   compat; B, 4 GiB aligned, for long) */
	uint64_t size;		/* bytes, page multiple (long: up to 4 GiB) */
	uint8_t *page;		/* per-page PG_* flags; smcfaults and edge follow it in one mapping */
	size_t arrays;		/* bytes of that mapping */
	uint8_t *smcfaults;	/* per-page count of code-write faults */
	int ldtent;		/* LDT entry of the data segment */
	uint16_t datasel;
	pthread_mutex_t lock;	/* page table and the list of users */
	atomic_uint smcgen;	/* bumped when code pages are written */
	struct FileMap *fmap;	/* vx_mapfile calls, latest last (for fork) */
	int nfmap, afmap;
	uint8_t *edge;		/* bit per page: a host area may begin there (mem.c) */
	atomic_long nedge;	/* bits set in edge */
	uint32_t touchlo, touchhi;	/* pages [lo, hi) held every host call on the
				   window (long: what vx_windowfree must clear) */
	uint64_t *blocks;	/* bit per 64 pages: a host call touched them (vx_memuse) */
	uint8_t *charged;	/* bit per page: charged (vx.h, VX_ACCT_PAGES) */
	uint32_t ncharged;	/* lock: bits set in charged, and pages held (vx_hold) */
	int64_t ntrans;		/* lock: pages of its Vx's translations charged (Vx.tpages) */
	VxAccount *acct;	/* lock: what they are charged to, or NULL */
	/* pages vxmem_hostfault opened past what the guest allows (a host
	 * access racing the guest's munmap or mprotect), page+1 each, for
	 * vxmem_reclose at the next vx_run; openmany: some did not fit */
	atomic_uint opened[VXOPENED];
	atomic_int nopened, openmany;
	/* pages of a shared file mapping the host could not open for its
	 * write (the file is open read-only): vxmem_hostfault put a scratch
	 * page there, vxmem_reclose maps the file's again.  lock. */
	uint32_t shadow[VXOPENED];
	int nshadow;
	void *_Atomic owner;	/* the thread holding lock (mem.c's memlock), or NULL */
};

/* A host descriptor that file mappings keep (mem.c): one dup of the
 * guest's file, shared by every FileMap mapping from it (a fork's
 * copies, the pieces an unmapping cut), closed with the last. */
typedef struct MapFd {
	atomic_int ref;
	int fd;
	VxAccount *acct;	/* charged its one fd (and held) till the last goes */
} MapFd;

typedef struct FileMap {
	uint32_t addr, len;	/* guest range */
	uint64_t off;		/* file offset of addr */
	int fd;			/* h->fd */
	MapFd *h;		/* the descriptor, shared */
	int shared;		/* vx_mapshared: MAP_SHARED, not copy-on-write */
	uint64_t dev, ino;	/* shared: the file's identity (vx_memkey) */
} FileMap;

/* Kinds of map entries, from host code offsets back to guest state. */
enum {
	M_INSN = 0,	/* start of a guest instruction: guest state is exact */
	M_INNER,	/* inside an instruction's translation */
	M_STUB,		/* start of an exit stub: about to run geip */
	M_IENTRY,	/* indirect entry: geip in ecx, ecx/ebx in spills */
	M_TAIL,		/* a branch leg: about to run geip */
};
/* Which guest registers live in a spill slot at an M_INNER point. */
enum { SP_C = 1 << 4, SP_R = 1 << 5 };	/* low 3 bits: the SP_R register */
/* The tail of a popf (both engines): a guest TF it set traps here, but the
 * CPU would trap after the next guest instruction. */
enum { SP_TFSKIP = 1 << 6 };
/* Long engine, a pushf before its pushfq: a stop here restarts the
 * instruction (stepping on would push our TF); guest esp is in %r8d
 * once %rsp is on the state block's scratch stack. */
enum { SP_RESTART = 1 << 7 };

/* 8 bytes (a fragment has one per guest instruction at least): offsets
 * within the fragment; mapgeip() gives the guest address. */
typedef struct MapEnt {
	uint16_t hoff;		/* host offset from Frag.code */
	uint16_t goff;		/* guest offset from Frag.geip, signed (a followed
				   jmp's block may lie before it); M_STUB: its
				   exit's index in Frag.out */
	uint8_t kind;
	uint8_t spill;		/* SP_* | reg */
	int8_t espadj;		/* esp change already done (pop, push) */
	uint8_t enter;		/* M_INSN where a chained jump may enter
				   (vx_findinside): nothing pending */
} MapEnt;

/* A chained jump into a fragment, put back to its stub when the
 * fragment dies (vx_invalidate).  A fragment's are a list through the
 * Vx's log of links (vx_linkexit), which each link appends to: with an
 * array of each fragment's, grown by doubling, a link wrote to an array
 * made at the fragment's first link, long gone from the CPU's caches
 * (a warm python start's prelink, 18,600 links: 0.67 ms, 0.60 so;
 * doc/bench.md, "the take's pieces, session 26"). */
typedef struct Link Link;
struct Link {
	uint32_t site;		/* host address of the rel32 */
	uint32_t stub;		/* host address of its exit stub */
	Link *next;		/* the fragment's link before it */
};

typedef struct Out {
	uint32_t site;		/* host address of the rel32 */
	uint32_t stub;		/* host address of its exit stub */
	uint32_t target;	/* guest address it goes to */
} Out;

/* Pointers first, so that nothing pads it (104 bytes, not 112):
 * python3 -c pass registers 16,000, and its metadata arena is a few
 * 2 MiB pages, each zeroed by the kernel at its first touch. */
typedef struct Frag Frag;
struct Frag {
	uint32_t geip, gend;	/* guest bytes [geip, gend) */
	uint32_t xlo, xhi;	/* and [xlo, xhi): the dispatch block of a jmp it
				   went on through (0, 0: none) */
	uint32_t code;		/* host address: start of its code */
	uint32_t ientry;	/* host address: indirect entry */
	uint32_t body;		/* host address: direct entry */
	uint32_t end;		/* host address past the stubs */
	const MapEnt *map;	/* in the arena, or in a persistent cache file */
	Out *out;		/* its direct exits */
	Link *in;		/* chained jumps into this fragment, the newest first */
	Frag *pnext[2];		/* chains of VxMem.pagefrags */
	int nmap;
	int nout;
	uint32_t page[2];	/* guest pages it covers (a fragment is < 1 page) */
	int npage;
	uint8_t dead;
	uint8_t checked;	/* verifies its guest bytes on entry */
	uint8_t callret;	/* ends in a call: gend is the return address */
	uint8_t x87;		/* long: uses x87/MMX state (see vx_reach) */
	uint32_t tcent;		/* the cache entry it was made from or into: number + 1 in
				   the file loaded, TCPEND | index since; 0 none (TcMade) */
};

/* The live fragments by guest address: open addressing, linear probes,
 * the key beside the fragment's index in Vx.frags (8 bytes a slot, eight
 * a cache line: python3's table is 256 KB, not 512), so that a lookup,
 * found or not, mostly reads one cache line of it.  2^HASHBITS0 slots at
 * first, grown 2^HASHSTEP times to keep at most half in use (a small
 * program touches few pages of it). */
enum { HASHBITS0 = 11, HASHSTEP = 2, HASHBITSMAX = 22, PAGEHASH = 1 << 12, MAXFRAGINSN = 64 };
/* vx_fragreserve's bound, in fragments */
enum { RESERVEMAX = 1 << 15 };
/* Links taken from the arena at a time (vx_linkexit) */
enum { LINKCHUNK = 256 };
/* The return table (translate.c): its pages RTABLIST cleared by stores,
 * not madvise; RTABFREE filled for any target, past them only for hot
 * ones; every RMISSEVERY+1-th ret that misses it goes to the runtime
 * (vxlblob_rmiss), or, cold, every RCOLDEVERY+1-th ret; after RWARM
 * times RMISSEVERY+1 rets a Vx uses its own table */
enum { RTABLIST = 32, RTABFREE = 64, RMISSEVERY = 1023, RCOLDEVERY = 65535, RWARM = 1024 };

/* A chained jump made between fragments kept across runs (vx_linkexit),
 * for the cache file's link section (tcache.c, tclinks): exit `exit`
 * of the fragment made from cache entry from to map entry mi of the one
 * made from entry to (TCSTART: its body).  Entries as Frag.tcent names
 * them. */
typedef struct TcMade {
	uint32_t from, to;
	uint16_t exit, mi;
} TcMade;
enum {
	TCSTART = 0xffff,	/* the link section's mi for an entry's start (tcache.h), */
	TCUNKNOWN = 0xfffe,	/* for an exit no run that wrote a file logged (to 0) */
	TCPEND = 1u << 31,	/* Frag.tcent: TCPEND | j, the j-th entry made since the load */
	MADEMAX = 1 << 20,	/* links a Vx logs at most (12 MB; python's first run: 20,000) */
};

typedef struct FragHash {
	uint32_t geip;
	uint32_t fi;	/* HASHEMPTY; HASHGONE: a deleted one (probes go on);
			   else Vx.frags[fi - HASHFI] */
} FragHash;
enum { HASHEMPTY, HASHGONE, HASHFI };

/* The fragments' metadata (Frag, its map, its links) comes from chunks
 * owned by the Vx, emptied by a flush: no malloc per fragment. */
typedef struct Arena Arena;
struct Arena {
	Arena *next;
	size_t size, used;	/* bytes after the header */
	size_t filled;		/* bytes from the chunk's start faulted in */
};

/* Pages holding instructions a jump may enter inside a fragment
 * (MapEnt.enter): a bit per byte of the page, and the fragments that
 * may be entered there with their guest bounds side by side, so that
 * vx_findinside reads no Frag but the one that covers the target (a
 * walk of the page's chain of Frags cost python3 -c pass 5% of its
 * time); 8 bytes an entry, eight a cache line.  Dead fragments stay
 * listed and their bits set (the search skips them); a flush empties
 * the table; bitmaps and lists are in the arena. */
typedef struct EntFrag {
	uint16_t lo, hi;	/* page offsets: covers its guest bytes on the
				   page, a followed block's too */
	uint32_t fi;		/* its index in Vx.frags */
} EntFrag;

typedef struct EntPage {
	uint32_t page;		/* guest page + 1; 0: an empty slot */
	int nfr, afr;
	int seeded;		/* bits from the cache file's page section (tcache.h) */
	uint8_t *bits;		/* VX_PAGE bits */
	EntFrag *fr;		/* in the order made */
} EntPage;

typedef struct VxTls {
	uint32_t base, limit;	/* limit: as the descriptor has it (20 bits) */
	uint32_t flags;		/* set_thread_area's (vx_settlsdesc) */
	int used;
} VxTls;

struct Vx {
	int engine;		/* VX_ENGINE_* */
	uint8_t *st;		/* state block (S_* offsets), low 4 GB */
	uint32_t stmap;		/* bytes mapped at st */
	int huge;		/* one of the first HUGEVX: huge pages */
	uint16_t stsel;		/* the process's state selector (vx_statesel) */
	VxMem *mem;
	char err[VX_ERRLEN];

	/* code cache, low 4 GB */
	uint8_t *cache;
	uint32_t cachesize, cachetop;	/* in use: claimed, filled */
	uint32_t cachemap;	/* mapped at cache (long: room to grow in place) */
	uint32_t cachefill;	/* faulted in ahead of cachetop (translate.c) */
	uint32_t cachegen;	/* bumped by every flush (vx_flushcache), which
				   alone empties the cache: growing is not one */
	/* long: the return table (translate.c, "The return table"), a
	 * mapping of RTABMAP bytes: 2^32 entries, then a bit per page of
	 * them (charged); pages of entries [rtablo, rtabhi) may be touched */
	uint8_t *rtab;
	uint32_t rtablo, rtabhi;
	int64_t rpages;		/* its pages charged (part of tpages) */
	int rwarm;		/* %r12 is rtab, not the shared table of zeros */
	/* long: jump-table slices in the state block (S_JT; translong.c,
	 * jtsite), handed out in order, emptied by a flush */
	int njt;
	uint8_t jtkey[S_JTN];	/* each one's key: the guest register whose
				   low byte picks the slot */
	uint32_t jtmiss[S_JTN];	/* each one's miss stub, in its site's fragment */
	uint32_t rsamples;	/* rets counted towards warming, in RMISSEVERY+1s */
	uint32_t rtouched[RTABLIST];	/* the first pages touched, to clear */
	int64_t tpages;		/* pages of its cache's growth and metadata chunks
				   charged to mem's account (vxmem_transcharge) */
	int64_t apages;		/* the metadata chunks' part of tpages */
	int tover;		/* a chunk past the account's bound: flush (vx_translate) */
	Frag **frags;		/* in code address order (in the arena) */
	uint32_t *fragcode;	/* their Frag.code, searched without a pointer chase */
	int nfrags, afrags;
	FragHash *hash;		/* 1 << hashbits slots: hash0 or in the arena */
	int hashbits;
	FragHash *hash0;	/* the first table (vx_hashinit) */
	int hash0own;		/* hash0 is its own mapping, not in the state block's page */
	int hash0bits;
	int hashused;		/* slots not empty (deleted ones included) */
	Arena *arena, *arenacur;	/* metadata chunks, the one in use */
	Link *links;		/* the log of links (vx_linkexit): nlinks more */
	int nlinks;		/* fit at links */
	Frag *pagefrags[PAGEHASH];	/* live fragments by guest page */
	EntPage *ent;		/* 1 << entbits slots (in the arena), or NULL */
	EntPage *entlast;	/* the slot entpage found last, or NULL */
	int entbits, entused;
	unsigned smcseen;	/* VxMem.smcgen last applied */
	unsigned smcmine;	/* of smcgen's steps since, those this Vx made (its own fragments already gone) */

	VxTls tls[VX_NTLS];
	uint16_t segsel[2];	/* virtual fs, gs selectors */

	/* signal and trap bookkeeping */
	atomic_int running;	/* inside vx_run */
	pthread_t thread;
	int stepping;		/* we set TF: stop at the next boundary */
	int steptrap;		/* trap to report when stepping stops (VX_TRAP_*) or 0 */
	int tfskip;		/* step past one more boundary (SP_TFSKIP) */
	uintptr_t skippc;	/* the boundary tfskip passed (0: none), */
	uint32_t skipgeip;	/* its instruction */
	int tf;			/* the guest's TF: each vx_run runs one instruction (vx_run) */
	VxTrapInfo sigtrap;	/* filled by the signal handler */
	int sigresume;		/* the handler exited only to re-dispatch */
	int stack67;		/* long: stack slots and base+disp8 operands keep addr32 (one wrapped into a mapped page; translong.c, disp8) */
	int stackwrapped;	/* the handler saw that wrap: flush, then run the instruction again */
	int trace;
	int speculating;	/* translating what may never run (callcont) */
	uint32_t chainfrom;	/* translating for a chain exit of the fragment at this address (0: not) */
	Frag *chainf;		/* and that fragment, */
	int chainx;		/* the exit it took (vx_translate: a loop's head) */
	VxStats stats;
	struct TCache *tc;	/* translations kept across runs (tcache.c), or NULL */
	int tcwarm;		/* tc holds the warm form's (vx_tcwarm) */
	uint32_t tcnext;	/* offset in tc's file of the entry after the last taken, or 0 */
	uint32_t tcfetched;	/* the file fetched up to here (vx_tcprefetch) */
	uint32_t tcord;		/* the number + 1 of the entry at tcnext (its place in the file) */
	uint32_t *tcfi;		/* by the file's entry number: index + 1 in frags of the fragment
				   taken from it (vx_tctook; a hint, checked: translate.c, ordfrag) */
	uint32_t ntcfi;
	uint8_t *tcpop;		/* bit per page of tc's page section: faulted in (vx_tcfaultin) */
	const struct TCache *tcpopc;	/* the cache object tcpop is of, */
	uint32_t ntcpop;	/* and its pages */
	int tclog;		/* log the links made (TcMade) for the file to be written */
	struct TcMade *made;	/* those links */
	uint32_t nmade, amade;
	Vx *next, *prev;	/* every live Vx (vx.c) */
};

/* The guest address of map entry m of fragment f. */
static inline uint32_t
mapgeip(const Frag *f, const MapEnt *m)
{
	return m->kind == M_STUB ? f->out[m->goff].target : f->geip + (uint32_t)(int32_t)(int16_t)m->goff;
}

/* vx.c */
void vx_seterr(Vx *vx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vx_growcache(Vx *vx);
int vxmem_transcharge(VxMem *m, int64_t pages);
void vx_trimcaches(void);
#define ST32(vx, off)	(*(uint32_t *)((vx)->st + (off)))

/* mem.c */
VxMem *vxmem_new(uint64_t size, int engine, char *err);
void vxmem_decref(VxMem *m);
VxMem *vxmem_copy(VxMem *m, char *err);
int vx_poke(Vx *vx, uint32_t addr, const void *src, uint32_t len);
void vxmem_dropspares(void);
void vxmem_forkhold(int hold);
uint32_t vxmem_codebytes(Vx *vx, uint32_t addr);
int vxmem_fetchtrap(Vx *vx, uint32_t addr);
uint32_t vxmem_sigcodebytes(Vx *vx, uint32_t addr);
int vxmem_codepasteof(Vx *vx, uint32_t addr);
void vx_tcfaultin(Vx *vx, uint32_t p);

/* vxmem_codebytes, its usual answer (16 bytes inside one executable
 * page, not a file's page that may lie past its end) without the call
 * and loop: the translator asks it for every instruction (about 35 host
 * instructions a call, 4% of a translation's). */
static inline uint32_t
vx_codebytes(Vx *vx, uint32_t addr)
{
	VxMem *m = vx->mem;
	uint8_t pg;

	if((addr & (VX_PAGE - 1)) <= VX_PAGE - 16 && addr < m->size){
		pg = m->page[addr >> VX_PAGESHIFT];
		if((pg & (PG_MAPPED | PG_X)) == (PG_MAPPED | PG_X) && (!(pg & (PG_FILE | PG_SHARED)) || (pg & PG_CODE)))
			return 16;
	}
	return vxmem_codebytes(vx, addr);
}

/*
 * Short copies and comparisons of guest code bytes (an instruction's 16,
 * a fragment's few dozen), at every instruction translated and every
 * fragment taken from the persistent cache.  Not glibc's memcpy and
 * memcmp: below one vector they use AVX-512 masked loads, and a masked
 * load whose vector runs past the bytes asked for, here into guest text
 * not yet faulted in or past a mapping's end, measured as slow as a
 * fault on the KVM host of 2026-12-04 (doc/bench.md, "python3 start-up
 * on a KVM host"): python3's warm start spent 11% of its samples on one
 * such load in memcmp.  Plain 8-byte and byte accesses read only the
 * bytes asked for, so they never touch a page past them either.
 */
static inline void
vx_codecopy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	uint64_t w;
	uint32_t i;

	for(i = 0; i + 8 <= n; i += 8){
		memcpy(&w, src + i, 8);
		memcpy(dst + i, &w, 8);
	}
	for(; i < n; i++)
		dst[i] = src[i];
}

/* The differences of n bytes are or'd, and the last word read
 * overlaps the one before (inside the n bytes still) rather than the
 * bytes past the last whole word going one by one: a warm python start
 * compares 15,600 fragments' bytes, a few dozen each (vx_tcget 1.05 ->
 * 1.02 ms; most of what is left is reading them). */
static inline int
vx_codesame(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint64_t x, y, d = 0;
	uint32_t i, u, v, w, z;

	if(n >= 8){
		for(i = 0; i + 8 < n; i += 8){
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			d |= x ^ y;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return (d | (x ^ y)) == 0;
	}
	if(n >= 4){
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		memcpy(&w, a + n - 4, 4);
		memcpy(&z, b + n - 4, 4);
		return ((u ^ v) | (w ^ z)) == 0;
	}
	for(i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}
void vxmem_markcode(Vx *vx, uint32_t lo, uint32_t hi);
int vxmem_codefull(Vx *vx, uint32_t addr);
void vxmem_codeprep(Vx *vx, uint32_t addr);
int vxmem_smcfault(Vx *vx, uint32_t addr);
void vxmem_unprotect(Vx *vx, uint32_t page);
int vxmem_hostfault(uintptr_t addr, int write, int bus, const sigset_t *mask);
void vxmem_copyfault(uintptr_t addr, int write, int bus, const sigset_t *mask);
void vxmem_reclose(VxMem *m);

/* translate.c */
enum { RTABPAGES = 1 << 22 };	/* 4 KiB pages of return table entries */
#define RTABSIZE	((uint64_t)RTABPAGES << VX_PAGESHIFT)
#define RTABMAP		(RTABSIZE + RTABPAGES / 8)	/* entries, a bit per page of them */
int vx_rtabmap(Vx *vx, char *err);
void vx_rtabset(Vx *vx, uint32_t geip, uint32_t host, int hot);
void vx_settarget(Vx *vx, uint32_t eip, Frag *f);
uint64_t vx_rtabbase(Vx *vx);
uint32_t vx_rtabmiss(Vx *vx, uint32_t geip, uint32_t host);
int vx_rtabwarm(Vx *vx);
void vx_rtabclear(Vx *vx, int keep);
Frag *vx_translate(Vx *vx, uint32_t eip, VxTrapInfo *ti);
Frag *vx_findfrag(Vx *vx, uint32_t eip);
int vx_hasfrag(Vx *vx, uint32_t eip);
void vx_hashprefetch(Vx *vx, uint32_t eip);
void vx_fragreserve(Vx *vx, int n);
Frag *vx_fraghost(Vx *vx, uint32_t haddr);
const MapEnt *vx_mapfind(const Frag *f, uint32_t hoff);
int vx_exitat(Vx *vx, uint32_t link, Frag **from);
void vx_reach(Vx *vx, Frag *f);
void vx_linkexit(Vx *vx, Frag *from, int i, Frag *to, uint32_t at);
uint32_t vx_findinside(Vx *vx, uint32_t eip, Frag *notin, Frag **fp);
uint32_t vx_exitinsn(const Frag *f, int i);
void vx_entfree(Vx *vx);
void vx_flushcache(Vx *vx);
int vx_perfmapping(void);
void vx_arenafree(Vx *vx);
void vx_arenatrim(Vx *vx);
void vx_arenadrop(void);
void vx_arenaforkhold(int hold);
int vx_hashinit(Vx *vx, int bits, void *room);
void vx_hashfree(Vx *vx);
void vx_invalidate(Vx *vx, uint32_t lo, uint32_t hi);
void vx_applysmc(Vx *vx);

/* tcache.c */
void vx_tcattach(Vx *vx, const void *image, size_t size);
void vx_tcshare(Vx *to, Vx *from);
void vx_tcwarm(Vx *vx);
void vx_tcforkhold(int hold);
void vx_tcdetach(Vx *vx);
void vx_tcabandon(Vx *vx);
void vx_tcdropkept(void);
int vx_tcbus(uintptr_t addr);	/* signal handler: a truncated cache file's page */

/* translong.c */
struct T;
int vx_translong1(struct T *t, const uint8_t *b, const VxInsn *in, uint32_t eip);	/* b: VX_MAXINSN + 1 bytes */
int vx_emulate(Vx *vx, uint32_t eip, VxTrapInfo *ti);
int vx_sysinsn(Vx *vx, uint32_t eip, VxTrapInfo *ti);	/* sysinsn.c */

/* engine.c */
Vx *vx_newengine(uint32_t memsize, int engine, char err[VX_ERRLEN]);

/* cpuid.c */
void vx_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
int vx_cpuidcount(void);
void vx_cpuidforkhold(int hold);
void vx_ldtforkhold(int hold);
void vx_lowforkhold(int hold);
void vx_setupforkhold(int hold);
void vx_sigforkhold(int hold);
void vx_windowforkhold(int hold);
int vx_hasospke(void);

/* amd64/ldt.c */
int vx_ldtalloc(uint32_t base, uint32_t limit, int pages, uint16_t *sel);
void vx_ldtfree(int ent);
uint16_t vx_statesel(void);

/* amd64/sig.c */
int vx_siginit(char *err);
int vx_threadinit(uint16_t statesel, char *err);
extern _Thread_local Vx *vx_current;
extern int vx_stopsig;

/* amd64/blob.S (compat engine), copied once to low memory by vx_blobinit();
 * vx_blobaddr gives a symbol's address in that copy */
uint32_t vx_blobaddr(const void *sym);
int vx_blobinit(char *err);
extern const uint8_t vxblob_start[], vxblob_end[], vxblob_enter64[], vxblob_enter64_chk[],
	vxblob_enter64_lret[], vxblob_bail64[], vxblob_entry32[], vxblob_exit32[],
	vxblob_sigexit32[], vxblob_exit64[], vxblob_miss32[],
	vxblob_chain32[], vxblob_enter64_wrfs[];
typedef int (*VxEnterFn)(uint8_t *st);
extern VxEnterFn vx_enter;

/* amd64/blob64.S (long engine), copied to low memory by vx_lblobinit() */
extern const uint8_t vxlblob_start[], vxlblob_end[], vxlblob_enter[], vxlblob_enter_chk[],
	vxlblob_enter_jmp[], vxlblob_bail[], vxlblob_exit[], vxlblob_sigexit[],
	vxlblob_miss[], vxlblob_chain[], vxlblob_lookup[], vxlblob_lookup_end[], vxlblob_rmiss[], vxlblob_rmiss0[], vxlblob_jtmiss[];
uint32_t vx_lstub(Vx *vx, const void *sym);
void vx_lstubinit(Vx *vx);
enum { LSTUBROOM = 1024 };	/* at the start of a long code cache */

/* A few freed things of one kind kept for the next to be made (guest
 * windows, signal stacks): a stack of at most max (up to 8) pointers
 * under a lock: { .lk = PTHREAD_MUTEX_INITIALIZER, .max = max }. */
typedef struct VxKept {
	pthread_mutex_t lk;
	int n, max;
	void *p[8];
} VxKept;

/* The last one kept, or NULL. */
static inline void *
vx_kepttake(VxKept *k)
{
	void *p = NULL;

	pthread_mutex_lock(&k->lk);
	if(k->n > 0)
		p = k->p[--k->n];
	pthread_mutex_unlock(&k->lk);
	return p;
}

/* Keep p: 0, or -1 when max are kept already. */
static inline int
vx_keptput(VxKept *k, void *p)
{
	int kept = 0;

	pthread_mutex_lock(&k->lk);
	if(k->n < k->max && k->n < 8){
		k->p[k->n++] = p;
		kept = 1;
	}
	pthread_mutex_unlock(&k->lk);
	return kept ? 0 : -1;
}

/* amd64/window.c */
int vx_hasfsgsbase(void);
typedef struct VxWinLeft {
	uint64_t lo, hi;	/* bytes from the window's base */
	long areas;
} VxWinLeft;
uint8_t *vx_window(char *err, VxWinLeft *left);
void vx_windowfree(uint8_t *b, uint64_t lo, uint64_t hi);
void vx_windowdrop(void);
extern atomic_long vx_windowreuses;	/* windows taken from the kept ones */
extern atomic_long vx_windowclears;	/* windows kept with their page tables */
int vx_inwindow(const uint8_t *b, uintptr_t a);
int vx_selfmaps(void);	/* mem.c */
int vx_setgsbase(uint64_t b);
void vx_x87sync(Vx *vx);
int vx_longprobe(char *why);

/* amd64/low.c: the low 4 GB, shared by every sandbox of the process */
void *vx_lowmap(uint32_t size, int prot, char *err);
/* Huge pages for the sandbox's densest memory: under a hypervisor that
 * shadows page tables (PVM) the first touch of every 4 KiB page costs a
 * trip to the hypervisor (4-10 µs) even when it was populated ahead, a
 * 2 MiB page one trip (doc/bench.md, "Start-up").  The first HUGEVX live
 * sandboxes of a process get them (Vx.huge): a few MiB each. */
/* With vx_mapfile's prot (beside VX_PROT_*): the pages are not all to be
 * written, do not copy them in ahead (mem.c, mapfd) */
enum { VX_NOPOPULATE = 0x100 };
enum { VX_LOWPOP = 1, VX_LOWHUGE = 2, VX_LOWWIN = 4, VX_HUGE = 2 << 20, HUGEVX = 8 };
/* A huge state block's page goes on past the block: the first fragment
 * table (vx_hashinit) is there, then the metadata arena's first chunk
 * (translate.c, fragalloc) from ARENAROOM. */
#define STATEROOM	(((uint32_t)S_SIZE + VX_PAGE - 1) & ~(uint32_t)(VX_PAGE - 1))
#define HASH0SIZE	((uint32_t)sizeof(FragHash) << HASHBITS0)
#define ARENAROOM	(STATEROOM + HASH0SIZE)
#define vx_hugeround(n)	(((n) + VX_HUGE - 1) & ~(uint64_t)(VX_HUGE - 1))
void *vx_lowmap2(uint32_t size, int prot, int flags, char *err);
int vx_lowgrow(void *p, uint32_t len, int prot);
void vx_lowfree(void *p, size_t len);
int vx_hostarea(uint64_t a, uint64_t *s, uint64_t *e);	/* amd64/window.c */
void *vx_hugemap(size_t size);

/* validate.c: the long engine's independent code checker (doc/validator.md) */
typedef struct VxValid {
	uint64_t cachelo, cachehi;	/* the code cache: chained targets */
	const uint64_t *stubs;		/* runtime stub entry addresses */
	int nstubs;
	uint32_t statesize;		/* S_SIZE */
	uint32_t xstack, xstacksize;	/* scratch stack inside the block */
	uint32_t htable;		/* the indirect table (65536 32-bit entries) in
					   the block: the inline lookup reads it; 0 none */
	int rtab;			/* rule 8: rets through the return table
					   (%r12 its base, %r13 what its entries add to) */
	uint32_t fieldlo, fieldhi;	/* rule 2: the fields fragments may access,
					   [fieldlo, fieldhi); fieldhi 0: the whole block */
	uint32_t count;			/* rule 2: and the 32-bit field at count (a
					   cold ret's, S_RMISSN); 0 none */
	int ymm;			/* rule 13: the engine keeps the YMM upper
					   halves (S_YMM): VEX vector forms allowed */
	uint32_t envlo;			/* rule 2: and the 28 bytes there, the x87
					   environment that fpuclean stores, edits
					   and loads; 0 none */
	/* For code the engine did not make itself (the persistent cache):
	 * offsets where the engine will enter from outside (body, indirect
	 * entry, inside entries, exit stubs), each an instruction start
	 * outside a rule 3/4 sequence; offsets of rel32s it will rewrite
	 * (chained exits), each the rel32 of a plain jmp or jcc rel32. */
	const uint32_t *entries;
	int nentries;
	const uint32_t *patches;
	int npatches;
	uint32_t jtable, njt;		/* rule 8: njt jump-table slices of 256
					   32-bit entries at jtable; 0 none (last:
					   positional initializers stay as they were) */
} VxValid;
/* 0 when code[0..len) (at host address addr) obeys the rules above;
 * else -1 and a one-line reason with the offending offset in err. */
int vx_validate(const uint8_t *code, size_t len, uint64_t addr,
	const VxValid *v, char *err, size_t nerr);
/* The validator's decoder alone, for its tests: the length of the first
 * instruction of code[0..len), -1 unknown, -2 truncated. */
int vx_validlen(const uint8_t *code, size_t len);
/* VXVALIDATE=1: every long fragment, fresh or cached, is validated
 * (translate.c) */
int vx_validating(void);
/* The validator's parameters for vx's code (translate.c): its stubs,
 * state block, cache, and the jump-table slices handed out so far;
 * cached: for a fragment from the persistent cache */
enum { VXVALIDSTUBS = 6 };
void vx_validfor(Vx *vx, VxValid *v, uint64_t *stubs, int cached);

#endif
