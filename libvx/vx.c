/*
 * vx.c — creating sandboxes and running them (the API of vx.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include "trans.h"

enum {
	CACHESIZE = 32 << 20,	/* the most a cache grows to; long: its first reservation */
	CROOM = 8 << 20,	/* compat: a cache's first reservation */
	CACHEFIRST = 1 << 20,	/* the part claimed at first (vx_growcache) */
	SPAREFILL = 32 << 20,	/* the code cache pages the spares hold, at most */
	PERFKEEP = 1 << 30,	/* VXPERFMAP: given-up caches' addresses kept, at most */
	EFL_USER = 0x00000cd5 | 0x00040000 | 0x00200000 | 0x100 | 0x400,	/* CF PF AF ZF SF DF OF, AC, ID, TF */
	EFL_TF = 0x100,
};

void
vx_seterr(Vx *vx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vx->err, sizeof vx->err, fmt, ap);
	va_end(ap);
}

const char *
vx_errstr(Vx *vx)
{
	return vx->err;
}

static void
seterr(char *err, const char *msg)
{
	if(err)
		snprintf(err, VX_ERRLEN, "%s", msg);
}

/*
 * Every live Vx, for the code caches' reservations and the process's
 * statistics.  A long cache is mapped CACHESIZE bytes at once when the
 * low 4 GB has room (address space only: MAP_NORESERVE, nothing touched)
 * and grows in place by claiming more of its mapping, so growing never
 * retranslates anything.  A compat cache is mapped CROOM bytes: its
 * guest's memory is in the low 4 GB too, where a window needs its room
 * in one piece and a tail given back is of no use to it (until session
 * 21 a compat cache was 32 MiB from the start, a fifth of the room of a
 * -m 128 guest).  Most programs translate less (bash 0.5 MB, python3's
 * start 2.0 MB); past it a cache grows as a long one does past
 * CACHESIZE's reservation.  When the low 4 GB runs out, vx_lowmap takes
 * back every cache's unclaimed tail (vx_trimcaches): a process still
 * holds 1,000 sandboxes, whose caches then grow by extending their
 * mappings where the neighbourhood is free, or else by a flush into a
 * new mapping.  cachelk guards the list, each Vx's cachemap and the
 * growth of its cachesize.
 */
static pthread_mutex_t cachelk = PTHREAD_MUTEX_INITIALIZER;
static Vx *vxlist;
static VxStats freedstats;	/* of the Vx already freed */
static atomic_int nhuge;	/* live Vx with huge pages (Vx.huge) */
static int lowtight;		/* a reservation failed since the last free */
static void sparefreeall(void);

static void
addstats(VxStats *to, const VxStats *s)
{
	to->fragments += s->fragments;
	to->codebytes += s->codebytes;
	to->exits += s->exits;
	to->flushes += s->flushes;
	to->smc += s->smc;
	to->dispatch += s->dispatch;
	to->thunks += s->thunks;
	to->guesses += s->guesses;
	to->inside += s->inside;
	to->tchits += s->tchits;
	to->tcmisses += s->tcmisses;
	to->tcshared += s->tcshared;
	to->callruns += s->callruns;
	to->warmrets += s->warmrets;
	to->warmind += s->warmind;
	to->tcahead += s->tcahead;
	to->tclinks += s->tclinks;
}

/* Map a code cache of at least need bytes for vx, its engine's
 * reservation while the low 4 GB has room; *mapped says how many.  A
 * long one of a Vx with huge pages is in huge pages (CACHESIZE is a
 * multiple of VX_HUGE). */
static uint8_t *
cachemap(Vx *vx, uint32_t need, uint32_t *mapped, char *err)
{
	uint32_t room = vx->engine == VX_ENGINE_LONG ? CACHESIZE : CROOM;
	int huge = vx->huge && vx->engine == VX_ENGINE_LONG;
	uint8_t *c;
	int tight;

	if(room < need)
		room = need;
	pthread_mutex_lock(&cachelk);
	tight = lowtight;
	pthread_mutex_unlock(&cachelk);
	if(!tight){
		c = vx_lowmap2(room, PROT_READ | PROT_WRITE | PROT_EXEC, huge ? VX_LOWHUGE : 0, NULL);
		if(c != NULL){
			*mapped = room;
			return c;
		}
		pthread_mutex_lock(&cachelk);
		lowtight = 1;
		pthread_mutex_unlock(&cachelk);
	}
	*mapped = need;
	return vx_lowmap(need, PROT_READ | PROT_WRITE | PROT_EXEC, err);
}

/* The low 4 GB is full: unmap every cache's unclaimed tail. */
void
vx_trimcaches(void)
{
	Vx *v;

	pthread_mutex_lock(&cachelk);
	for(v = vxlist; v != NULL; v = v->next)
		if(v->cachemap > v->cachesize){
			vx_lowfree(v->cache + v->cachesize, v->cachemap - v->cachesize);
			v->cachemap = v->cachesize;
		}
	pthread_mutex_unlock(&cachelk);
	sparefreeall();
}

/*
 * A host fork (an embedder's, or the compat probe's) copies a lock that
 * another thread holds at that moment into a child without that thread,
 * held: the child's first call that takes it waits for ever.  libvx's
 * process-wide locks (the kept windows' and alternate stacks' among them) are held across every fork instead.  The one-time
 * set-ups' (the signal handlers', the blob's, the state selector's)
 * come first: a set-up takes others under its own (the low memory
 * search's, the LDT's).  The rest are leaves (no lock is taken under
 * one), so their order is free.  A memory's own lock is not held: a
 * host fork's child must not use a sandbox another thread was changing
 * at the fork, as with any data.
 */
static void
forkhold(int hold)
{
	if(hold){
		vx_sigforkhold(1);
		vx_setupforkhold(1);
		vx_tcforkhold(1);
		pthread_mutex_lock(&cachelk);
		vxmem_forkhold(1);
		vx_cpuidforkhold(1);
		vx_lowforkhold(1);
		vx_ldtforkhold(1);
		vx_arenaforkhold(1);
		vx_windowforkhold(1);
	}else{
		vx_windowforkhold(0);
		vx_arenaforkhold(0);
		vx_ldtforkhold(0);
		vx_lowforkhold(0);
		vx_cpuidforkhold(0);
		vxmem_forkhold(0);
		pthread_mutex_unlock(&cachelk);
		vx_tcforkhold(0);
		vx_setupforkhold(0);
		vx_sigforkhold(0);
	}
}

static void forkprepare(void) { forkhold(1); }
static void forkdone(void) { forkhold(0); }

__attribute__((constructor)) static void
forkinit(void)
{
	pthread_atfork(forkprepare, forkdone, forkdone);
}

static void
vxlink(Vx *vx)
{
	pthread_mutex_lock(&cachelk);
	vx->next = vxlist;
	vx->prev = NULL;
	if(vxlist != NULL)
		vxlist->prev = vx;
	vxlist = vx;
	pthread_mutex_unlock(&cachelk);
}

static void
vxunlink(Vx *vx)
{
	pthread_mutex_lock(&cachelk);
	if(vx->prev != NULL)
		vx->prev->next = vx->next;
	else
		vxlist = vx->next;
	if(vx->next != NULL)
		vx->next->prev = vx->prev;
	addstats(&freedstats, &vx->stats);
	lowtight = 0;
	pthread_mutex_unlock(&cachelk);
}

/* The statistics of every sandbox the process has made, live or freed.
 * A live one's counters are read as its thread updates them: a display. */
void
vx_allstats(VxStats *st)
{
	Vx *v;

	pthread_mutex_lock(&cachelk);
	*st = freedstats;
	for(v = vxlist; v != NULL; v = v->next)
		addstats(st, &v->stats);
	pthread_mutex_unlock(&cachelk);
}

/* A zeroed Vx in fresh pages, so that only those used are touched: most
 * of its 33 KB is pagefrags, of which a small program uses a page or
 * two (calloc cleared all nine, a fault each; a fault is several µs on a
 * virtual machine).  NULL without memory. */
static Vx *
vxalloc(void)
{
	void *p = mmap(NULL, sizeof(Vx), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Addresses of given-up caches kept reserved while perf maps are
 * written (cachefree), all sandboxes' together. */
static _Atomic uint64_t perfkept;

/* May n more bytes of given-up caches' addresses be kept?  Not past
 * PERFKEEP: a guest that fills its cache again and again (code it
 * writes and runs, 32 MiB a flush) or a shell loop of spawns filled the
 * low 4 GB with reservations, and then no sandbox of the process could
 * map a compat guest's memory or a cache (execve: ENOMEM; red team,
 * session 23).  Past it the map may name an address twice. */
static int
perfkeep(uint32_t n)
{
	if(atomic_fetch_add(&perfkept, n) + n <= PERFKEEP)
		return 1;
	atomic_fetch_sub(&perfkept, n);
	return 0;
}

/* A code cache given up, of which [c, c + used) held fragments: unmapped,
 * or while perf maps are written (vx_perfmapping) its used part kept as
 * an inaccessible reservation, its pages given back, so that no later
 * cache gets the addresses the map names (perf's map has no times; the
 * low 4 GB loses what the profiled run translated, PERFKEEP at most). */
static void
cachefree(uint8_t *c, uint32_t used, uint32_t mapped)
{
	uint32_t keep = (used + VX_PAGE - 1) & ~(uint32_t)(VX_PAGE - 1);

	if(keep > mapped)
		keep = mapped;
	if(!vx_perfmapping() || keep == 0 || !perfkeep(keep)){
		vx_lowfree(c, mapped);
		return;
	}
	if(mmap(c, keep, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		munmap(c, keep);	/* gone rather than left executable */
	if(mapped > keep)
		vx_lowfree(c + keep, mapped - keep);
}

/* A Vx's own state block, code cache and metadata arena, and the Vx
 * itself: munmapped (each munmap of touched memory is a TLB shootdown on
 * every CPU the process runs on, tens of µs under a hypervisor). */
static void
vxrelease(Vx *vx)
{
	vx_arenafree(vx);	/* the fragments' tables too */
	vx_entfree(vx);
	vx_hashfree(vx);
	if(vx->cache)
		cachefree(vx->cache, vx->cachetop, vx->cachemap);
	if(vx->rtab)
		munmap(vx->rtab, RTABMAP);
	if(vx->st)
		vx_lowfree(vx->st, vx->stmap);
	if(vx->huge)
		atomic_fetch_sub(&nhuge, 1);
	munmap(vx, sizeof *vx);
}

/*
 * Spare Vx.  A process spawned in the sandbox makes two Vx and frees two
 * (fork, then execve's new program; exit): each new one populated a
 * 2 MiB state page and the first of its code cache (zeroed by the host,
 * and a fault), each free munmapped them again (a shootdown each).  A
 * freed long-engine Vx keeps its state block, code cache, first arena
 * chunk and first fragment table as one of NSPARE spares, and newvx
 * takes a spare before making one: the next guest gets
 * the same pages, cleared (the state block's fields, the fragment
 * tables) and emptied as a cache flush empties them (no stale fragment
 * is reachable: the hash, the indirect table and the page lists are
 * reset, and nothing else leads into the cache).  Nothing of the last
 * guest's state carries over: every field of the Vx but the mappings is
 * zeroed, the state block's registers and FX area too.  The low 4 GB
 * running out frees the spares (vx_trimcaches).  cachelk guards them.
 * A cache that grew is kept grown, faulted in as far as it was, while
 * the spares' faulted-in cache pages stay within SPAREFILL: each compile
 * of a shell loop ran a fresh cc1 whose 9 MB of code cache was faulted
 * in and zeroed again, and unmapped at its exit (doc/bench.md,
 * "Compiles, thirteenth session").
 */
enum { NSPARE = 4 };
static Vx *spare[NSPARE];
static int nspare;

/* vx, unlinked and detached from its memory and translation cache:
 * kept as a spare if it can be; 0 if not. */
static int
sparekeep(Vx *vx)
{
	int full, kept = 0, i;
	uint64_t fill = vx->cachefill;

	if(vx->engine != VX_ENGINE_LONG || vx_perfmapping())
		return 0;	/* perf maps: the next guest's code at other addresses */
	pthread_mutex_lock(&cachelk);
	for(i = 0; i < nspare; i++)
		fill += spare[i]->cachefill;
	full = nspare == NSPARE || fill > SPAREFILL;
	pthread_mutex_unlock(&cachelk);
	if(full)
		return 0;
	vx_arenatrim(vx);	/* the first chunk only: a spare holds a few MiB at most */
	if(vx->huge)
		atomic_fetch_sub(&nhuge, 1);	/* counted again when taken */
	pthread_mutex_lock(&cachelk);
	if(nspare < NSPARE){
		spare[nspare++] = vx;
		kept = 1;
	}
	pthread_mutex_unlock(&cachelk);
	if(!kept && vx->huge)
		atomic_fetch_add(&nhuge, 1);	/* as vxrelease expects */
	return kept;
}

/* A spare, emptied, as a fresh Vx of the engine would be before newvx
 * sets it up; NULL if there is none. */
static Vx *
spareget(int engine)
{
	uint8_t *st, *cache, *rtab;
	uint32_t stmap, cachesize, cachemap, cachefill, cachegen;
	FragHash *hash0;
	int huge, hash0own, hash0bits;
	Arena *arena;
	Vx *vx;

	if(engine != VX_ENGINE_LONG)
		return NULL;
	pthread_mutex_lock(&cachelk);
	vx = nspare > 0 ? spare[--nspare] : NULL;
	pthread_mutex_unlock(&cachelk);
	if(vx == NULL)
		return NULL;
	if(vx->nfrags > 0){
		/* as vx_flushcache; newvx's fills the indirect table */
		memset(vx->hash0, 0, sizeof *vx->hash0 << vx->hash0bits);
		memset(vx->pagefrags, 0, sizeof vx->pagefrags);
	}
	st = vx->st, stmap = vx->stmap, huge = vx->huge;
	cache = vx->cache, cachesize = vx->cachesize, cachemap = vx->cachemap;
	cachefill = vx->cachefill, cachegen = vx->cachegen;
	hash0 = vx->hash0, hash0own = vx->hash0own, hash0bits = vx->hash0bits;
	arena = vx->arena;
	rtab = vx->rtab;	/* emptied by vx_free */
	memset(vx, 0, offsetof(Vx, pagefrags));
	memset((uint8_t *)vx + offsetof(Vx, ent), 0, sizeof *vx - offsetof(Vx, ent));
	vx->engine = engine;
	vx->st = st, vx->stmap = stmap, vx->huge = huge;
	if(huge)
		atomic_fetch_add(&nhuge, 1);
	vx->cache = cache, vx->cachesize = cachesize, vx->cachemap = cachemap;
	vx->cachefill = cachefill;	/* those pages are still faulted in */
	vx->cachegen = cachegen + 1;
	vx->hash = vx->hash0 = hash0;
	vx->hash0own = hash0own;
	vx->hashbits = vx->hash0bits = hash0bits;
	vx->arena = vx->arenacur = arena;
	vx->rtab = rtab;
	if(arena != NULL)
		arena->used = 0;
	memset(st, 0, S_HT);	/* registers, FX area, fields; not the indirect table */
	return vx;
}

/* Every spare, freed: the low 4 GB is full (vx_trimcaches), or the
 * embedder wants the memory back. */
static void
sparefreeall(void)
{
	Vx *v[NSPARE];
	int i, n;

	pthread_mutex_lock(&cachelk);
	n = nspare;
	memcpy(v, spare, n * sizeof v[0]);
	nspare = 0;
	pthread_mutex_unlock(&cachelk);
	for(i = 0; i < n; i++){
		if(v[i]->huge)
			atomic_fetch_add(&nhuge, 1);
		vxrelease(v[i]);
	}
}

/* A new Vx's state block, code cache and first fragment table, without
 * its fields set; NULL and err without memory. */
static Vx *
newshell(int engine, char *err)
{
	char buf[VX_ERRLEN];
	Vx *vx;

	vx = vxalloc();
	if(vx == NULL){
		seterr(err, "out of memory");
		return NULL;
	}
	vx->engine = engine;
	if(atomic_fetch_add(&nhuge, 1) < HUGEVX)
		vx->huge = 1;
	else
		atomic_fetch_sub(&nhuge, 1);
	/* every page of it is written at once (vx_flushcache fills the
	 * indirect table) */
	vx->stmap = vx->huge ? vx_hugeround(S_SIZE) : S_SIZE;
	vx->st = vx_lowmap2(S_SIZE, PROT_READ | PROT_WRITE, VX_LOWPOP | (vx->huge ? VX_LOWHUGE : 0), buf);
	if(vx->st == NULL)
		goto fail;
	/* the first fragment table: in the huge page, past the block */
	if(vx_hashinit(vx, HASHBITS0, vx->huge ? vx->st + STATEROOM : NULL) < 0){
		snprintf(buf, sizeof buf, "out of memory");
		goto fail;
	}
	if(vx->engine != VX_ENGINE_LONG){
		vx->stsel = vx_statesel();
		if(vx->stsel == 0){
			snprintf(buf, sizeof buf, "modify_ldt: %s", strerror(errno));
			goto fail;
		}
	}
	if(vx->engine == VX_ENGINE_LONG && vx_rtabmap(vx, buf) < 0)
		goto fail;
	vx->cachesize = CACHEFIRST;
	vx->cache = cachemap(vx, CACHEFIRST, &vx->cachemap, buf);
	if(vx->cache == NULL)
		goto fail;
	return vx;
fail:
	seterr(err, buf);
	if(vx->st == NULL)
		vx->stmap = 0;
	vxrelease(vx);
	return NULL;
}

/* A Vx with its own state block and code cache, on memory m. */
static Vx *
newvx(VxMem *m, char *err)
{
	char buf[VX_ERRLEN];
	Vx *vx;

	if(vx_siginit(buf) < 0 || (m->engine == VX_ENGINE_LONG ? 0 : vx_blobinit(buf)) < 0){
		seterr(err, buf);
		return NULL;
	}
	vx = spareget(m->engine);
	if(vx == NULL)
		vx = newshell(m->engine, err);
	if(vx == NULL)
		return NULL;
	*(uint64_t *)(vx->st + S_LBASE) = (uintptr_t)m->base;
	if(vx->engine == VX_ENGINE_LONG){
		*(uint64_t *)(vx->st + S_RTAB) = vx_rtabbase(vx);
		ST32(vx, S_RMISSN) = RCOLDEVERY;	/* cold: few rets go to the runtime */
		vx_lstubinit(vx);
	}
	vx->mem = m;
	vx->smcseen = atomic_load(&m->smcgen);
	ST32(vx, S_DATASEL) = m->datasel;
	ST32(vx, S_STATESEL) = vx->stsel;
	ST32(vx, S_ENTRY32) = vx_blobaddr(vxblob_entry32);
	ST32(vx, S_EXIT64) = vx_blobaddr(vxblob_exit64);
	*(uint16_t *)(vx->st + S_EXIT64 + 4) = USER64_CS;
	ST32(vx, S_MAGIC) = VX_STATE_MAGIC;
	ST32(vx, S_HASPKU) = vx_hasospke();
	*(uint8_t **)(vx->st + S_BLOCK) = vx->st;
	ST32(vx, S_EFLAGS) = 0x202;
	vx_fpinit(vx->st + S_FX);
	/* the upper halves start zero, as a process's do; a guest offered
	 * AVX has them kept across exits (blob64.S, blob.S) */
	memset(vx->st + S_YMMH, 0, 128);
	ST32(vx, S_YMM) = (vx_guestfeat() & VXF_AVX) != 0;
	vx_flushcache(vx);
	vx->stats.flushes = 0;
	vxlink(vx);
	return vx;
}

Vx *
vx_newengine(uint32_t memsize, int engine, char err[VX_ERRLEN])
{
	char buf[VX_ERRLEN];
	VxMem *m;
	Vx *vx;
	uint64_t size = memsize;

	/* long: a size past the last whole page below 4 GiB means all 4 GiB */
	if(engine == VX_ENGINE_LONG && size > 0xfffff000u)
		size = 1ull << 32;
	m = vxmem_new(size, engine, buf);
	if(m == NULL){
		seterr(err, buf);
		return NULL;
	}
	vx = newvx(m, err);
	if(vx == NULL)
		vxmem_decref(m);
	return vx;
}

void
vx_free(Vx *vx)
{
	VxMem *m;

	if(vx == NULL)
		return;
	vxunlink(vx);
	vx_tcdetach(vx);
	m = vx->mem;
	vx_rtabclear(vx, 0);
	vxmem_transcharge(m, -vx->tpages);
	vx->tpages = 0;
	vx->mem = NULL;
	if(!sparekeep(vx))
		vxrelease(vx);
	vxmem_decref(m);
}

void
vx_dropspares(void)
{
	sparefreeall();
	vxmem_dropspares();
	vx_windowdrop();
	vx_tcdropkept();
	vx_arenadrop();
}

void
vx_abandon(Vx *vx)
{
	if(vx == NULL)
		return;
	vxunlink(vx);
	vx_tcabandon(vx);
}

Vx *
vx_new(uint32_t memsize, char err[VX_ERRLEN])
{
	char why[VX_ERRLEN];
	int e = vx_engine();

	if(e == 0){
		const char *s = getenv("VXENGINE");
		if(s && (strcmp(s, "compat") == 0 || strcmp(s, "long") == 0)){
			vx_engineok(strcmp(s, "long") == 0 ? VX_ENGINE_LONG : VX_ENGINE_COMPAT, why);
			if(err)
				snprintf(err, VX_ERRLEN, "engine %.6s: %.100s", s, why);
		}else if(s && *s){
			if(err)
				snprintf(err, VX_ERRLEN, "VXENGINE=%.40s: no such engine (compat, long)", s);
		}else{
			vx_engineok(VX_ENGINE_LONG, why);
			if(err)
				snprintf(err, VX_ERRLEN, "no engine runs on this host: %.90s", why);
		}
		return NULL;
	}
	return vx_newengine(memsize, e, err);
}

/* The top page of a 4 GiB long guest is usable, but the API counts in
 * 32 bits. */
uint32_t
vx_memsize(Vx *vx)
{
	return vx->mem->size > 0xfffff000u ? 0xfffff000u : (uint32_t)vx->mem->size;
}

static void
copycpu(Vx *to, Vx *from)
{
	memcpy(to->st + S_REGS, from->st + S_REGS, 40);
	memcpy(to->st + S_FX, from->st + S_FX, 512);
	ST32(to, S_X87) = ST32(from, S_X87);
	memcpy(to->st + S_YMMH, from->st + S_YMMH, 128);
	ST32(to, S_YMM) = ST32(from, S_YMM);
	memcpy(to->st + S_SEGBASE, from->st + S_SEGBASE, 6 * 4 + 2 * 4);
	memcpy(to->tls, from->tls, sizeof to->tls);
	memcpy(to->segsel, from->segsel, sizeof to->segsel);
	to->trace = from->trace;
	to->tf = from->tf;
}

Vx *
vx_fork(Vx *vx, char err[VX_ERRLEN])
{
	char buf[VX_ERRLEN];
	VxMem *m;
	Vx *n;

	m = vxmem_copy(vx->mem, buf);
	if(m == NULL){
		seterr(err, buf);
		return NULL;
	}
	n = newvx(m, err);
	if(n == NULL){
		vxmem_decref(m);
		return NULL;
	}
	copycpu(n, vx);
	vx_tcshare(n, vx);
	return n;
}

Vx *
vx_thread(Vx *vx, char err[VX_ERRLEN])
{
	Vx *n;

	atomic_fetch_add(&vx->mem->ref, 1);
	n = newvx(vx->mem, err);
	if(n == NULL){
		vxmem_decref(vx->mem);
		return NULL;
	}
	copycpu(n, vx);
	vx_tcshare(n, vx);
	return n;
}

uint32_t
vx_getreg(Vx *vx, int reg)
{
	if(reg < 0 || reg >= VX_NREG)
		return 0;
	if(reg == VX_EFLAGS && vx->tf)
		return ST32(vx, S_REGS + 4 * reg) | EFL_TF;
	return ST32(vx, S_REGS + 4 * reg);
}

void
vx_setreg(Vx *vx, int reg, uint32_t val)
{
	if(reg < 0 || reg >= VX_NREG)
		return;
	if(reg == VX_EFLAGS){
		vx->tf = (val & EFL_TF) != 0;	/* kept apart: see vx_run */
		val = (val & EFL_USER & ~EFL_TF) | 0x202;
	}
	ST32(vx, S_REGS + 4 * reg) = val;
}

void
vx_fpinit(void *fx)
{
	uint8_t *f = fx;

	memset(f, 0, 512);
	*(uint16_t *)(f + 0) = 0x37f;		/* FCW as Linux starts a process */
	*(uint32_t *)(f + 24) = 0x1f80;	/* MXCSR */
	*(uint32_t *)(f + 28) = 0xffff;	/* MXCSR mask */
}

void *
vx_fpstate(Vx *vx)
{
	ST32(vx, S_X87) = 1;	/* the host may change any of it */
	return vx->st + S_FX;
}

void *
vx_ymmstate(Vx *vx)
{
	return ST32(vx, S_YMM) ? vx->st + S_YMMH : NULL;
}

void
vx_stats(Vx *vx, VxStats *st)
{
	*st = vx->stats;
}

void
vx_settrace(Vx *vx, int on)
{
	vx->trace = on;
}

/* A full cache while perf maps are written: the same size at fresh
 * addresses (cachefree keeps the old ones), for the flush that follows
 * to start at; where there is no room, the flush takes the old cache's
 * room back and the map names those addresses twice. */
static void
freshcache(Vx *vx)
{
	uint32_t mapped;
	uint8_t *c = cachemap(vx, vx->cachesize, &mapped, NULL);

	if(c == NULL)
		return;
	pthread_mutex_lock(&cachelk);
	cachefree(vx->cache, vx->cachetop, vx->cachemap);
	vx->cache = c;
	vx->cachemap = mapped;
	vx->cachefill = 0;
	vx->cachetop = 0;
	pthread_mutex_unlock(&cachelk);
	if(vx->engine == VX_ENGINE_LONG)
		vx_lstubinit(vx);
}

/* The code cache is full: claim twice as much of its mapping, extending
 * the mapping in place if need be, without a flush; else flush it into a
 * new mapping twice the size.  At CACHESIZE a flush.  Only between runs:
 * nothing executes from the cache. */
void
vx_growcache(Vx *vx)
{
	uint32_t want = 2 * vx->cachesize, mapped;
	uint8_t *c, *end;

	if(vx->cachesize >= CACHESIZE
	|| vxmem_transcharge(vx->mem, (want - vx->cachesize) >> VX_PAGESHIFT) < 0){
		if(vx_perfmapping())
			freshcache(vx);
		vx_flushcache(vx);	/* at its size, or at the sandbox's bound */
		return;
	}
	vx->tpages += (want - vx->cachesize) >> VX_PAGESHIFT;
	pthread_mutex_lock(&cachelk);
	end = vx->cache + vx->cachemap;
	if(vx->cachemap < want && vx_lowgrow(end, want - vx->cachemap, PROT_READ | PROT_WRITE | PROT_EXEC) == 0)
		vx->cachemap = want;
	if(vx->cachemap >= want){
		vx->cachesize = want;
		pthread_mutex_unlock(&cachelk);
		return;
	}
	pthread_mutex_unlock(&cachelk);
	c = cachemap(vx, want, &mapped, NULL);
	if(c == NULL){
		vxmem_transcharge(vx->mem, -(int64_t)((want - vx->cachesize) >> VX_PAGESHIFT));
		vx->tpages -= (want - vx->cachesize) >> VX_PAGESHIFT;
		vx_flushcache(vx);
		return;
	}
	pthread_mutex_lock(&cachelk);
	cachefree(vx->cache, vx->cachetop, vx->cachemap);
	vx->cache = c;
	vx->cachemap = mapped;
	vx->cachesize = want;
	vx->cachefill = 0;
	pthread_mutex_unlock(&cachelk);
	if(vx->engine == VX_ENGINE_LONG)
		vx_lstubinit(vx);
	vx_flushcache(vx);	/* the table and the fragments name the old cache */
}

/* --- TLS and virtual segment registers --- */

uint16_t
vx_tlssel(int n)
{
	return (uint16_t)((12 + n) << 3 | 3);
}

static int
selslot(Vx *vx, uint16_t sel)
{
	int n = (sel >> 3) - 12;

	if((sel & 7) != 3 || n < 0 || n >= VX_NTLS || !vx->tls[n].used)
		return -1;
	return n;
}

static void
segupdate(Vx *vx, int fs)
{
	uint16_t sel = vx->segsel[fs ? 0 : 1];
	int n = selslot(vx, sel);

	ST32(vx, S_SEGSEL + (fs ? 0 : 4)) = sel;
	ST32(vx, fs ? S_FSBASE : S_GSBASE) = n >= 0 ? vx->tls[n].base : 0;
}

int
vx_settlsdesc(Vx *vx, int n, uint32_t base, uint32_t limit, uint32_t flags)
{
	if(n < 0 || n >= VX_NTLS){
		vx_seterr(vx, "no TLS slot %d", n);
		return -1;
	}
	vx->tls[n].base = base;
	vx->tls[n].limit = limit & 0xfffff;
	vx->tls[n].flags = flags & VX_TLS_FLAGS;
	vx->tls[n].used = !(flags & VX_TLS_NOTPRESENT);
	if(!vx->tls[n].used){
		/* an empty slot: %fs or %gs holding it becomes 0, as Linux's
		 * reload of a segment register whose entry went */
		if(vx->segsel[0] == vx_tlssel(n))
			vx->segsel[0] = 0;
		if(vx->segsel[1] == vx_tlssel(n))
			vx->segsel[1] = 0;
	}
	segupdate(vx, 1);
	segupdate(vx, 0);
	return 0;
}

int
vx_gettlsdesc(Vx *vx, int n, uint32_t *base, uint32_t *limit, uint32_t *flags)
{
	if(n < 0 || n >= VX_NTLS || !vx->tls[n].used){
		vx_seterr(vx, "no TLS slot %d", n);
		return -1;
	}
	*base = vx->tls[n].base;
	*limit = vx->tls[n].limit;
	*flags = vx->tls[n].flags;
	return 0;
}

/* A byte limit as a descriptor holds it: in pages past 1 MiB */
int
vx_settls(Vx *vx, int n, uint32_t base, uint32_t limit)
{
	if(limit > 0xfffff)
		return vx_settlsdesc(vx, n, base, limit >> 12, VX_TLS_32BIT | VX_TLS_PAGES | VX_TLS_USEABLE);
	return vx_settlsdesc(vx, n, base, limit, VX_TLS_32BIT | VX_TLS_USEABLE);
}

int
vx_gettls(Vx *vx, int n, uint32_t *base, uint32_t *limit)
{
	uint32_t raw, flags;

	if(vx_gettlsdesc(vx, n, base, &raw, &flags) < 0)
		return -1;
	*limit = (flags & VX_TLS_PAGES) ? raw << 12 | 0xfff : raw;
	return 0;
}

uint16_t
vx_getseg(Vx *vx, int fs)
{
	return vx->segsel[fs ? 0 : 1];
}

int
vx_setseg(Vx *vx, int fs, uint16_t sel)
{
	if(sel > 3 && selslot(vx, sel) < 0){
		vx_seterr(vx, "bad segment selector 0x%x", sel);
		return -1;
	}
	vx->segsel[fs ? 0 : 1] = sel;
	segupdate(vx, fs);
	return 0;
}

/* --- running --- */

void
vx_stop(Vx *vx)
{
	ST32(vx, S_STOPREQ) = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if(atomic_load(&vx->running))
		pthread_kill(vx->thread, vx_stopsig);
}

/*
 * f ends in a call, which will usually return: translate the return
 * address now and put it in the indirect table, so that the callee's
 * ret finds it without leaving guest code (python3 -c pass left 9,900
 * times to translate where a ret or an indirect call went).  Several
 * deep, as a continuation may end in a call too.  Only while the cache
 * has room without growing: a flush here would take away the fragments
 * the caller holds.
 */
enum { CONTDEPTH = 4 };

static void
callcont(Vx *vx, Frag *f)
{
	VxTrapInfo ti;
	uint32_t c;
	int depth;

	for(depth = 0; depth < CONTDEPTH && f != NULL && f->callret; depth++){
		c = f->gend;
		/* no flush here (a full cache, metadata past the sandbox's
		 * bound: vx_translate): entry still holds the first fragment */
		if(vx->cachesize - vx->cachetop < FRAGROOM || vx->tover || vx_hasfrag(vx, c))
			break;
		vx->speculating = 1;
		f = vx_translate(vx, c, &ti);
		vx->speculating = 0;
		if(f != NULL && !f->x87)	/* an x87 one waits to be reached */
			vx_settarget(vx, c, f);
	}
}

/* Where to run guest eip directly: a fragment's body, an instruction
 * inside one (vx_findinside, for a chain exit, which links to it once),
 * or a new translation's body; 0 with *ti set when it cannot be
 * fetched.  A resumption after a trap (from == NULL) does not enter
 * inside: that would search the fragment's map after every system call,
 * where a fragment of its own is found by the hash.  A chain exit's is
 * exit xi of from. */
static uint32_t
entry(Vx *vx, uint32_t eip, Frag *from, int xi, Frag **fp, VxTrapInfo *ti)
{
	Frag *f = vx_findfrag(vx, eip);
	uint32_t a = 0;

	if(f == NULL && from != NULL)
		a = vx_findinside(vx, eip, from, &f);
	if(f == NULL){
		vx->chainfrom = from != NULL ? from->geip : 0;
		vx->chainf = from;
		vx->chainx = xi;
		f = vx_translate(vx, eip, ti);
		vx->chainfrom = 0;
		vx->chainf = NULL;
		callcont(vx, f);
	}
	*fp = f;
	if(f == NULL)
		return 0;
	vx_reach(vx, f);
	return a != 0 ? a : f->body;
}

/* An indirect branch to eip missed the table: its slot goes to f, the
 * fragment there (vx->frags[nf] if the miss made it).  A Vx the
 * persistent cache serves (in its form; only the long engine keeps one) has
 * the cache mark the entry made at eip, so that the next run fills the
 * slot when it takes it (vx_tcindirect), when f is new or the slot was
 * empty: not at each fill of two targets that collide in the slot,
 * which would take the cache's lock at every such exit. */
static void
lookupfill(Vx *vx, uint32_t eip, Frag *f, int nf)
{
	if(vx->tc != NULL && vx->tcwarm == vx->rwarm
	&& ((nf < vx->nfrags && vx->frags[nf] == f) || ST32(vx, S_HT + 4 * (eip & 0xffff)) == vx_lstub(vx, vxlblob_miss)))
		vx_tcindirect(vx, eip);
	ST32(vx, S_HT + 4 * (eip & 0xffff)) = f->ientry;
}

/* The trap after a stepped instruction: at the next. */
static void
stepped(Vx *vx, VxTrapInfo *ti)
{
	memset(ti, 0, sizeof *ti);
	ti->trap = VX_TRAP_SINGLESTEP;
	ti->eip = ST32(vx, S_EIP);
}

/*
 * The guest's TF (vx->tf, from vx_setreg or a popf that set it): the CPU
 * traps after each instruction begun with TF set.  vx_run then runs one
 * instruction: translated code on the host's TF from the entry, past the
 * first boundary to the next (sig.c's stepping, tfskip); an instruction
 * the runtime finishes (cpuid, xgetbv, a segment load, the BCD ops)
 * through its exit, and a trap it makes (a system call, a fault) is
 * reported as itself.  A popf is done here: on the host it would set or
 * clear the host's TF.  Was the instruction at eip a popf (or a direct jmp or call, or
 * an add or sub of esp), done?  Then
 * ti holds SINGLESTEP, or the popf's fault.
 */
/*
 * A direct jmp or call stepped: done here too.  Translated, a jmp is
 * followed into its target's code and a call of a pc thunk becomes a
 * mov (translate.c), so neither leaves a boundary where the CPU traps:
 * a step entering at one ran on through the target's first instruction,
 * or the thunk's two (found by tests/fuzz/warm.sh's stepped runs).  A
 * call whose push would fault is left to its translation, which faults
 * as the CPU does.
 */
static int
stepbranch(Vx *vx, const VxInsn *in, uint32_t eip, VxTrapInfo *ti)
{
	uint32_t esp = ST32(vx, S_REGS + 4 * VX_ESP) - 4, ret = eip + in->len;
	uint8_t *p;

	if(in->opsize)
		return 0;
	if(in->cls == VXC_CALL){
		if(esp > ST32(vx, S_REGS + 4 * VX_ESP) || (p = vx_access(vx, esp, 4, VX_PROT_WRITE)) == NULL)
			return 0;
		memcpy(p, &ret, 4);
		ST32(vx, S_REGS + 4 * VX_ESP) = esp;
	}
	ST32(vx, S_EIP) = in->target;
	stepped(vx, ti);
	return 1;
}

/*
 * add or sub $imm,%esp stepped: done here too.  The long engine folds it
 * into a run of pushes and pops, and where the next instruction writes
 * every flag drops its flag copy (translong.c, lflagsdead), leaving no
 * point between the two; a fragment translated so before the guest
 * stepped (or taken from the persistent cache) ran both in one step.
 */
static int
stepespimm(Vx *vx, const VxInsn *in, uint32_t eip, VxTrapInfo *ti)
{
	enum { CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800 };
	uint32_t a = ST32(vx, S_REGS + 4 * VX_ESP), b, r, fl;
	int sub = in->reg == 5;

	if(in->map != VXM_1 || in->vex || (in->op != 0x81 && in->op != 0x83) || in->mod != 3 || in->rm != VX_ESP
	|| (in->reg != 0 && !sub) || in->opsize || in->lock)
		return 0;
	b = in->op == 0x83 ? (uint32_t)(int32_t)(int8_t)in->imm : in->imm;
	r = sub ? a - b : a + b;
	fl = ST32(vx, S_EFLAGS) & ~(uint32_t)(CF | PF | AF | ZF | SF | OF);
	if(sub ? a < b : r < a)
		fl |= CF;
	if(((sub ? a ^ b : ~(a ^ b)) & (a ^ r)) >> 31)
		fl |= OF;
	fl |= (a ^ b ^ r) & AF;
	fl |= r == 0 ? ZF : 0;
	fl |= r >> 31 ? SF : 0;
	fl |= __builtin_parity(r & 0xff) ? 0 : PF;
	ST32(vx, S_EFLAGS) = fl;
	ST32(vx, S_REGS + 4 * VX_ESP) = r;
	ST32(vx, S_EIP) = eip + in->len;
	stepped(vx, ti);
	return 1;
}

static int
steppopf(Vx *vx, uint32_t eip, VxTrapInfo *ti)
{
	uint8_t code[VX_MAXINSN];
	uint32_t avail;
	VxInsn in;

	avail = vxmem_codebytes(vx, eip);
	if(avail > sizeof code)
		avail = sizeof code;
	if(avail == 0 || vx_access(vx, eip, avail, VX_PROT_READ) == NULL)
		return 0;	/* the fetch traps as it would */
	memcpy(code, vx->mem->base + eip, avail);
	if(vx_decode(code, avail, eip, &in) <= 0)
		return 0;
	if(in.cls == VXC_JMP || in.cls == VXC_CALL)
		return stepbranch(vx, &in, eip, ti);
	if(stepespimm(vx, &in, eip, ti))
		return 1;
	if(in.cls != VXC_PLAIN || in.map != VXM_1 || in.vex || in.op != 0x9d || in.opsize)
		return 0;
	if(vx_emulate(vx, eip, ti) == 0)
		stepped(vx, ti);
	return 1;
}

int
vx_run(Vx *vx, VxTrapInfo *ti)
{
	VxTrapInfo dummy, t2;
	uint32_t eip, d, r[4], gen, at, next = 0, nextgen = 0;
	char buf[VX_ERRLEN];
	Frag *f, *from;
	int code, i, step, nf;

	if(ti == NULL)
		ti = &dummy;
	memset(ti, 0, sizeof *ti);
	if(vx_threadinit(vx->stsel, buf) < 0
	|| (vx->engine == VX_ENGINE_LONG && vx_setgsbase((uintptr_t)vx->mem->base) < 0 && (snprintf(buf, sizeof buf, "setting the GS base failed"), 1))){
		vx_seterr(vx, "%s", buf);
		ti->trap = VX_TRAP_ILLEGAL;
		return ti->trap;
	}
	vx_current = vx;
	vx->thread = pthread_self();
	vxmem_reclose(vx->mem);	/* a host access opened pages past the guest's protection */
	atomic_store(&vx->running, 1);
	for(;;){
		if(ST32(vx, S_STOPREQ)){
			ST32(vx, S_STOPREQ) = 0;
			ti->trap = VX_TRAP_PREEMPT;
			ti->eip = ST32(vx, S_EIP);
			break;
		}
		vx_applysmc(vx);
		eip = ST32(vx, S_EIP);
		/* a chain exit just found it (nothing flushed since) */
		at = next != 0 && nextgen == vx->cachegen ? next : entry(vx, eip, NULL, -1, &f, ti);
		next = 0;
		if(at == 0)
			break;
		ST32(vx, S_TARGET) = at;
		vx->stepping = 0;
		vx->steptrap = 0;
		vx->tfskip = 0;
		vx->skippc = 0;
		step = vx->tf;
		if(step){
			if(steppopf(vx, eip, ti))
				goto out;
			vx->stepping = 1;
			vx->steptrap = VX_TRAP_SINGLESTEP;
			vx->tfskip = 1;
			ST32(vx, S_EFLAGS) |= EFL_TF;	/* set by the entry's popfq */
		}
		code = vx->engine == VX_ENGINE_LONG ? ((VxEnterFn)(uintptr_t)vx_lstub(vx, vxlblob_enter))(vx->st) : vx_enter(vx->st);
		vx->stats.exits++;
		ST32(vx, S_EFLAGS) &= ~EFL_TF;
		eip = ST32(vx, S_EXITEIP);
		switch(code){
		case EXIT_CHAIN:
			/* the stub left its jump's site; the exit knows the target */
			if((i = vx_exitat(vx, ST32(vx, S_LINK), &from)) < 0){
				vx_seterr(vx, "internal: no exit 0x%x", ST32(vx, S_LINK));
				ti->trap = VX_TRAP_ILLEGAL;
				ti->eip = ST32(vx, S_EIP);
				goto out;
			}
			eip = from->out[i].target;
			ST32(vx, S_EIP) = eip;
			if(step){
				stepped(vx, ti);
				goto out;
			}
			gen = vx->cachegen;
			/* a fetch trap is found again, and reported, at the loop top;
			 * a flush to make room took the exit away */
			if((at = entry(vx, eip, from, i, &f, &t2)) != 0 && vx->cachegen == gen){
				vx_linkexit(vx, from, i, f, at);
				if(at != f->body)
					vx->stats.inside++;
				next = at;
				nextgen = gen;
			}
			continue;
		case EXIT_LOOKUP:
			ST32(vx, S_EIP) = eip;
			nf = vx->nfrags;
			if(entry(vx, eip, NULL, -1, &f, &t2) != 0){
				lookupfill(vx, eip, f, nf);
				vx_rtabset(vx, eip, f->body, 0);	/* a ret's, maybe */
			}
			break;
		case EXIT_JTMISS:	/* long: a jump-table slice's slot (translong.c, jtsite) */
			ST32(vx, S_EIP) = eip;
			nf = vx->nfrags;
			gen = vx->cachegen;
			if(entry(vx, eip, NULL, -1, &f, &t2) != 0){
				lookupfill(vx, eip, f, nf);
				d = ST32(vx, S_LINK);
				if(vx->cachegen == gen && d < (uint32_t)vx->njt)
					ST32(vx, S_JT + 1024 * d + 4 * (ST32(vx, S_REGS + 4 * vx->jtkey[d]) & 0xff)) = f->ientry;
			}
			break;
		case EXIT_RMISS:	/* long: a ret's or (warm) an indirect branch's target not in the return table */
			ST32(vx, S_EIP) = eip;
			vx_rtabwarm(vx);
			nf = vx->nfrags;
			at = entry(vx, eip, NULL, -1, &f, &t2);
			if(at != 0)
				lookupfill(vx, eip, f, nf);
			ST32(vx, S_RMISSN) = vx_rtabmiss(vx, eip, at != 0 ? f->body : 0);
			break;
		case EXIT_TRAP:
			ST32(vx, S_EIP) = eip;
			d = ST32(vx, S_LINK);
			ti->trap = d & 0xff;
			ti->vector = (d >> 8) & 0xff;
			ti->eip = ST32(vx, S_SEGVAL);
			if(ti->trap == VX_TRAP_PAGEFAULT)
				ti->addr = ti->eip;
			goto out;
		case EXIT_SIGNAL:
			ST32(vx, S_EIP) = eip;
			if(vx->sigresume){
				if(vx->stackwrapped){	/* amd64/sig.c, stackwrap */
					vx->stackwrapped = 0;
					vx_flushcache(vx);
				}
				continue;
			}
			*ti = vx->sigtrap;
			if(ti->trap == VX_TRAP_PREEMPT)
				ST32(vx, S_STOPREQ) = 0;
			if(ti->trap == VX_TRAP_SINGLESTEP)
				vx->tf = 1;	/* a popf set it, or it was */
			goto out;
		case EXIT_SETSEG:
			d = ST32(vx, S_LINK);
			if(vx_setseg(vx, (d & 1) == 0, (uint16_t)ST32(vx, S_SEGVAL)) < 0){
				/* as the CPU: #GP at the instruction, nothing changed */
				if(d & 1 << 16)
					ST32(vx, S_REGS + 4 * VX_ESP) -= 4;
				ST32(vx, S_EIP) = eip - ((d >> 8) & 0xff);
				ti->trap = VX_TRAP_PRIVILEGED;
				ti->eip = ST32(vx, S_EIP);
				goto out;
			}
			ST32(vx, S_EIP) = eip;
			break;
		case EXIT_CPUID:
			vx_cpuid(ST32(vx, S_REGS + 4 * VX_EAX), ST32(vx, S_REGS + 4 * VX_ECX), r);
			ST32(vx, S_REGS + 4 * VX_EAX) = r[0];
			ST32(vx, S_REGS + 4 * VX_EBX) = r[1];
			ST32(vx, S_REGS + 4 * VX_ECX) = r[2];
			ST32(vx, S_REGS + 4 * VX_EDX) = r[3];
			ST32(vx, S_EIP) = eip + 2;
			break;
		case EXIT_XGETBV:
			if(ST32(vx, S_REGS + 4 * VX_ECX) != 0){
				ST32(vx, S_EIP) = eip;
				ti->trap = VX_TRAP_PRIVILEGED;
				ti->eip = eip;
				goto out;
			}
			/* x87 and SSE state, and AVX's where it is offered */
			ST32(vx, S_REGS + 4 * VX_EAX) = ST32(vx, S_YMM) ? 7 : 3;
			ST32(vx, S_REGS + 4 * VX_EDX) = 0;
			ST32(vx, S_EIP) = eip + 3;
			break;
		case EXIT_STALE:
			/* a volatile page changed under a fragment: drop and redo */
			vx_invalidate(vx, eip, eip + 1);
			ST32(vx, S_EIP) = eip;
			if(vx->tf && !vx->tfskip){
				/* stepping (since the run began, or since a
				 * popf in it set TF) and past the instruction's
				 * own boundary (a check comes before its
				 * fragment's first): the instruction is done
				 * and jumped here.  Run on, the next one would
				 * be in the step too (a SIGTRAP lost) */
				stepped(vx, ti);
				goto out;
			}
			continue;
		case EXIT_PREEMPT:
			continue;	/* the flag is handled at the top */
		case EXIT_EMUL:
			ST32(vx, S_EIP) = eip;
			if(vx_emulate(vx, eip, ti) != 0)
				goto out;
			break;
		case EXIT_SYSINSN:
			ST32(vx, S_EIP) = eip;
			if(vx_sysinsn(vx, eip, ti) != 0)
				goto out;
			break;
		default:
			vx_seterr(vx, "internal: exit code %d", code);
			ti->trap = VX_TRAP_ILLEGAL;
			ti->eip = ST32(vx, S_EIP);
			goto out;
		}
		/* an instruction done (a lookup: a jump done, stepped) */
		if(step){
			stepped(vx, ti);
			break;
		}
	}
out:
	vx_x87sync(vx);
	atomic_store(&vx->running, 0);
	return ti->trap;
}
