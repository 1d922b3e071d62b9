/*
 * mem.c — guest memory: one region below 4 GB, confined by an LDT data
 * segment whose base is the region and whose limit is its size.
 *
 * The host copy of a page is never executable (guest code only runs
 * translated) and is write-protected while translations of it exist, so
 * that a write to guest code is seen (self-modifying code).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "vxpriv.h"

enum { MAXMEM = 0xc0000000u, POPULATEMAX = 1 << 20 };

/*
 * A memory's lock says which thread holds it (VxMem.owner: the address
 * of that thread's selfmark), so the host fault handler can tell a
 * fault in its own thread's locked code (vx_poke's store, a fork's
 * copy), where the page flags are as the holder left them, from one
 * that raced another thread's change (vxmem_hostfault).
 */
static _Thread_local char selfmark;

static void
memlock(VxMem *m)
{
	pthread_mutex_lock(&m->lock);
	atomic_store_explicit(&m->owner, &selfmark, memory_order_relaxed);
}

/* 1 with the lock taken, 0 when another thread holds it */
static int
memtrylock(VxMem *m)
{
	if(pthread_mutex_trylock(&m->lock) != 0)
		return 0;
	atomic_store_explicit(&m->owner, &selfmark, memory_order_relaxed);
	return 1;
}

static void
memunlock(VxMem *m)
{
	atomic_store_explicit(&m->owner, NULL, memory_order_relaxed);
	pthread_mutex_unlock(&m->lock);
}
#define LONGMEM	(1ull << 32)

/* Every guest memory, so the signal handler can tell a host access to a
 * guest page from a host bug (see vxmem_hostfault). */
enum { MAXMEMS = 1024 };
static VxMem *_Atomic memreg[MAXMEMS];

static void
memregister(VxMem *m, int on)
{
	int i;

	for(i = 0; i < MAXMEMS; i++){
		VxMem *want = on ? NULL : m, *exp = want;
		if(atomic_compare_exchange_strong(&memreg[i], &exp, on ? m : NULL))
			return;
	}
}

/*
 * Host memory areas (VMAs) taken by guest memory, over every VxMem of
 * this process, and their cap.  Linux refuses mmap, mprotect and munmap
 * past vm.max_map_count for a whole process, so a guest cutting its
 * memory into tens of thousands of areas (mprotect of every other page)
 * would leave the host none for thread stacks, large mallocs, code caches
 * (an embedder's application, all of it).  Guests together get three
 * quarters of the host's limit (49147 of the usual 65530), checked per
 * process since every sandbox in it draws on the one limit; past it their
 * calls fail with ENOMEM, as Linux's do at its own limit.  The quarter
 * left (16383) is the host's: a program uses hundreds, a thread two.
 *
 * The count is an upper bound: MEMAREAS per VxMem (its window, the
 * reservation above, its page arrays) plus every page boundary inside where a host call
 * on it began or ended (an "edge", VxMem.edge) since a mapping last
 * covered it.  Linux splits areas only at such boundaries; it merges
 * some back (same protection, same origin), which is not seen here, so
 * the count may run over, never under, but for the empty areas a kept
 * window holds between two memories (amd64/window.c, at most 64 in each
 * of 4), counted again by the memory that takes it.
 */
enum { MEMAREAS = 3 };
static atomic_long nhostmaps, hostmapmax;
static void mapped(VxMem *m, uint32_t p0, uint32_t np, int covers);
static int copyroom(void);

static int fmapadd(VxMem *m, uint32_t addr, uint32_t len, uint64_t off, int fd, int shared);
static int fmaproom(VxMem *m, int n);
static void fmapshare(VxMem *m, const FileMap *f, uint32_t addr, uint32_t len, uint64_t off);
static void fmapdrop(VxMem *m, uint32_t addr, uint32_t len);
static FileMap *fmapfind(VxMem *m, uint32_t a);

static int
hostprot(int pg)
{
	int p = 0;

	if(!(pg & PG_MAPPED))
		return PROT_NONE;
	if(pg & (PG_R | PG_X))
		p |= PROT_READ;
	if((pg & PG_W) && !(pg & PG_CODE))
		p |= PROT_READ | PROT_WRITE;
	return p;
}

/*
 * Freed page arrays kept for the next VxMem of the same size: a spawn
 * frees two sandboxes and makes two.  Fresh zero pages cost a fault at
 * the first read and another at the first write (about 10 µs each on a
 * PVM host), and a small program's guest touches a dozen of the default
 * 1 GiB's 137 pages (maproom, edgesinside, dropcode); a kept array's
 * pages are present.  Only the pages the last memory wrote are cleared
 * (arraysclear), so a large and sparse one costs no more to keep.
 */
enum { SPAREARRAYS = 4 };
static struct {
	uint8_t *p;
	size_t n;
} sparearrays[SPAREARRAYS];
static pthread_mutex_t sparearraylock = PTHREAD_MUTEX_INITIALIZER;
static void arraysclear(uint8_t *p, size_t n);

static uint8_t *
arraysnew(size_t n)
{
	uint8_t *p = NULL;
	int i;

	pthread_mutex_lock(&sparearraylock);
	for(i = 0; i < SPAREARRAYS; i++)
		if(sparearrays[i].p != NULL && sparearrays[i].n == n){
			p = sparearrays[i].p;
			sparearrays[i].p = NULL;
			break;
		}
	pthread_mutex_unlock(&sparearraylock);
	if(p != NULL){
		arraysclear(p, n);
		return p;
	}
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void
arraysfree(uint8_t *p, size_t n)
{
	int i;

	pthread_mutex_lock(&sparearraylock);
	for(i = 0; i < SPAREARRAYS; i++)
		if(sparearrays[i].p == NULL){
			sparearrays[i].p = p;
			sparearrays[i].n = n;
			pthread_mutex_unlock(&sparearraylock);
			return;
		}
	pthread_mutex_unlock(&sparearraylock);
	munmap(p, n);
}

/* Held across a host fork (vx.c, forkhold). */
void
vxmem_forkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&sparearraylock);
	else
		pthread_mutex_unlock(&sparearraylock);
}

/* vx_dropspares: the kept page arrays go back to the host too. */
void
vxmem_dropspares(void)
{
	int i;

	pthread_mutex_lock(&sparearraylock);
	for(i = 0; i < SPAREARRAYS; i++)
		if(sparearrays[i].p != NULL){
			munmap(sparearrays[i].p, sparearrays[i].n);
			sparearrays[i].p = NULL;
		}
	pthread_mutex_unlock(&sparearraylock);
}

static VxMem *memnew(uint64_t size, int engine, char *err, VxMem *like);

VxMem *
vxmem_new(uint64_t size, int engine, char *err)
{
	return memnew(size, engine, err, NULL);
}

/* A memory laid out as like will be (a fork's copy) takes the kept
 * window whose last guest was laid out nearest to it: its empty areas
 * and page tables fit (amd64/window.c). */
static VxMem *
memnew(uint64_t size, int engine, char *err, VxMem *like)
{
	VxWinLeft left = { 0, 0, 0 };
	VxMem *m;

	if(size == 0 || size > (engine == VX_ENGINE_LONG ? LONGMEM : MAXMEM)){
		snprintf(err, VX_ERRLEN, "guest memory size %llu out of range (1 byte to %s on the %s engine)",
			(unsigned long long)size, engine == VX_ENGINE_LONG ? "4 GiB" : "3 GiB",
			engine == VX_ENGINE_LONG ? "long" : "compat");
		return NULL;
	}
	size = (size + VX_PAGE - 1) & ~(uint64_t)(VX_PAGE - 1);
	m = calloc(1, sizeof *m);
	if(m == NULL){
		snprintf(err, VX_ERRLEN, "out of memory");
		return NULL;
	}
	m->engine = engine;
	m->size = size;
	m->ldtent = -1;
	/* The page arrays in one mapping of fresh zero pages (a guest touches
	 * a few of their pages; calloc cleared them all, 32 pages for the
	 * default 256 MiB: several µs each on a virtual machine), or a freed
	 * one's, cleared. */
	m->arrays = 2 * (size >> VX_PAGESHIFT) + 2 * ((size >> VX_PAGESHIFT >> 3) + 1)
		+ 8 + ((size >> VX_PAGESHIFT >> 12) + 1) * 8;
	m->page = arraysnew(m->arrays);
	if(m->page == NULL){
		snprintf(err, VX_ERRLEN, "out of memory");
		goto fail;
	}
	m->smcfaults = m->page + (size >> VX_PAGESHIFT);
	m->edge = m->smcfaults + (size >> VX_PAGESHIFT);
	m->charged = m->edge + (size >> VX_PAGESHIFT >> 3) + 1;
	m->blocks = (uint64_t *)(((uintptr_t)(m->charged + (size >> VX_PAGESHIFT >> 3) + 1) + 7) & ~(uintptr_t)7);
	if(engine == VX_ENGINE_LONG){
		uint32_t lo = like ? __atomic_load_n(&like->touchlo, __ATOMIC_RELAXED) : 0;
		uint32_t hi = like ? __atomic_load_n(&like->touchhi, __ATOMIC_RELAXED) : 0;

		if(lo < hi){	/* a hint only: the parent's threads may map meanwhile */
			left.lo = (uint64_t)lo << VX_PAGESHIFT;
			left.hi = (uint64_t)hi << VX_PAGESHIFT;
		}
		m->base = vx_window(err, &left);
	}else
		m->base = vx_lowmap2((uint32_t)size, PROT_NONE, VX_LOWWIN, err);
	if(m->base == NULL)
		goto fail;
	if(engine != VX_ENGINE_LONG){
		m->ldtent = vx_ldtalloc((uint32_t)(uintptr_t)m->base, (uint32_t)(size >> VX_PAGESHIFT) - 1, 1, &m->datasel);
		if(m->ldtent < 0){
			snprintf(err, VX_ERRLEN, "modify_ldt: %s", strerror(errno));
			goto fail;
		}
	}
	m->touchlo = UINT32_MAX;
	pthread_mutex_init(&m->lock, NULL);
	atomic_init(&m->ref, 1);
	atomic_init(&m->nedge, 0);
	if(left.areas > 0){
		/* a kept window's empty areas: counted and cleared as this
		 * memory's own */
		m->touchlo = left.lo >> VX_PAGESHIFT;
		m->touchhi = left.hi >> VX_PAGESHIFT;
		atomic_init(&m->nedge, left.areas);
	}
	atomic_fetch_add(&nhostmaps, MEMAREAS + left.areas);
	memregister(m, 1);
	return m;
fail:
	if(m->base && engine == VX_ENGINE_LONG)
		vx_windowfree(m->base, left.lo, left.hi);
	else if(m->base)
		vx_lowfree(m->base, size);
	if(m->page)
		arraysfree(m->page, m->arrays);
	free(m);
	return NULL;
}

/*
 * Host fds held by file mappings, over every Vx, and their cap: half the
 * host's fd limit, at most 16384.  Each vx_mapfile keeps a dup of its
 * file (MapFd, for fork), shared by the records that come from it: a
 * fork's copies and the pieces an unmapping cuts (fmapshare).  A guest
 * mapping a file a page at a time runs out of these (a shared mapping
 * then fails with ENOMEM, a private one is only not remembered, so a
 * fork copies its pages), never the host process out of fds.  A dup per
 * record, as before, cost every fork one fd per mapping (114 for
 * stress-ng with its libraries), a fcntl each and a close each at exit:
 * the sandbox's share of fds (-F) ran out at stress-ng's 21st child,
 * which then failed ENOMEM.
 */
static atomic_int nmapfds, mapfdmax;

static int
mapfdcap(void)
{
	struct rlimit rl;
	int c;

	c = atomic_load(&mapfdmax);
	if(c == 0){
		c = 16384;
		if(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 2 < (rlim_t)c)
			c = rl.rlim_cur / 2;
		if(c < 64)
			c = 64;
		atomic_store(&mapfdmax, c);
	}
	return c;
}

static int acctcharge(VxMem *m, int what, int64_t n);

/* A new MapFd, a dup of fd charged to m's account (which it holds till
 * its last record goes), or NULL (errno ENOMEM past the cap or the
 * account's bound). */
static MapFd *
mapfdnew(VxMem *m, int fd)
{
	MapFd *h;

	h = malloc(sizeof *h);
	if(h == NULL)
		return NULL;
	if(acctcharge(m, VX_ACCT_FDS, 1) < 0){
		free(h);
		errno = ENOMEM;
		return NULL;
	}
	if(atomic_fetch_add(&nmapfds, 1) >= mapfdcap()){
		errno = ENOMEM;
		goto fail;
	}
	h->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if(h->fd < 0)
		goto fail;
	atomic_init(&h->ref, 1);
	h->acct = m->acct;
	acctcharge(m, VX_ACCT_MEMS, 1);
	return h;
fail:
	atomic_fetch_sub(&nmapfds, 1);
	acctcharge(m, VX_ACCT_FDS, -1);
	free(h);
	return NULL;
}

static void
mapfdput(MapFd *h)
{
	VxAccount *a;

	if(atomic_fetch_sub(&h->ref, 1) != 1)
		return;
	close(h->fd);
	atomic_fetch_sub(&nmapfds, 1);
	a = h->acct;
	free(h);
	if(a != NULL){
		a->charge(a, VX_ACCT_FDS, -1);
		a->charge(a, VX_ACCT_MEMS, -1);
	}
}

/* The MapFds that m alone holds (one record each) and that are charged
 * to old: what vx_setaccount moves to the new account.  Those other
 * memories share stay with the account that opened them.  m->lock held. */
static int64_t
mapfdsown(VxMem *m, VxAccount *old)
{
	int64_t n = 0;

	for(int i = 0; i < m->nfmap; i++)
		if(m->fmap[i].h->acct == old && atomic_load(&m->fmap[i].h->ref) == 1)
			n++;
	return n;
}

static void
mapfdsmove(VxMem *m, VxAccount *old, VxAccount *a)
{
	for(int i = 0; i < m->nfmap; i++)
		if(m->fmap[i].h->acct == old && atomic_load(&m->fmap[i].h->ref) == 1)
			m->fmap[i].h->acct = a;
}

/*
 * The commit charge (vx.h, VX_ACCT_PAGES): a bit per page says it is
 * charged; ncharged counts them.  Both are kept under m->lock whether
 * or not the memory has an account, so one given later (vx_setaccount)
 * is charged what is mapped then.
 */
static int
acctcharge(VxMem *m, int what, int64_t n)
{
	if(m->acct == NULL || n == 0)
		return 0;
	return m->acct->charge(m->acct, what, n);
}

static int
ones8(uint8_t b)
{
	int n;

	for(n = 0; b != 0; b &= b - 1)
		n++;
	return n;
}

/* Charged pages in [p0, p0+np). */
static uint32_t
chargedin(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t p = p0, e = p0 + np, n = 0;

	while(p < e){
		if((p & 7) == 0 && e - p >= 8){
			n += ones8(m->charged[p >> 3]);
			p += 8;
			continue;
		}
		n += m->charged[p >> 3] >> (p & 7) & 1;
		p++;
	}
	return n;
}

/* Pages [p0, p0+np) charged (on) or not; a byte of the map is written
 * only where it changes (the map is fresh zero pages). */
static void
setcharged(VxMem *m, uint32_t p0, uint32_t np, int on)
{
	uint32_t p = p0, e = p0 + np;
	uint8_t *b, bit;

	while(p < e){
		b = &m->charged[p >> 3];
		if((p & 7) == 0 && e - p >= 8){
			if(*b != (on ? 0xff : 0)){
				m->ncharged += on ? 8 - ones8(*b) : -ones8(*b);
				*b = on ? 0xff : 0;
			}
			p += 8;
			continue;
		}
		bit = 1 << (p & 7);
		if(on && !(*b & bit)){
			*b |= bit;
			m->ncharged++;
		}else if(!on && (*b & bit)){
			*b &= ~bit;
			m->ncharged--;
		}
		p++;
	}
}

/* Before pages [p0, p0+np) are mapped anew, charged (on) or not: the
 * difference from what they are charged now, in *d, asked of the
 * account.  -1 (errno ENOMEM) when it refuses.  m->lock held. */
static int
chargemap(Vx *vx, uint32_t p0, uint32_t np, int on, int64_t *d)
{
	VxMem *m = vx->mem;

	*d = (on ? (int64_t)np : 0) - (int64_t)chargedin(m, p0, np);
	if(*d > 0 && acctcharge(m, VX_ACCT_PAGES, *d) < 0){
		*d = 0;
		vx_seterr(vx, "guest memory past its account's bound");
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* After the host call: mapped (ok), the pages follow on; failed, the
 * charge asked for is given back. */
static void
chargedone(VxMem *m, uint32_t p0, uint32_t np, int on, int64_t d, int ok)
{
	if(!ok){
		if(d > 0)
			acctcharge(m, VX_ACCT_PAGES, -d);
		return;
	}
	setcharged(m, p0, np, on);
	if(d < 0)
		acctcharge(m, VX_ACCT_PAGES, d);
}

int
vx_setaccount(Vx *vx, VxAccount *a)
{
	VxMem *m = vx->mem;
	VxAccount *old;
	int64_t own;

	memlock(m);
	old = m->acct;
	own = mapfdsown(m, old);
	if(a == old){
		memunlock(m);
		return 0;
	}
	if(a != NULL){
		if(a->charge(a, VX_ACCT_PAGES, m->ncharged + m->ntrans) < 0){
			memunlock(m);
			vx_seterr(vx, "guest memory past its account's bound");
			errno = ENOMEM;
			return -1;
		}
		if(a->charge(a, VX_ACCT_FDS, own) < 0){
			a->charge(a, VX_ACCT_PAGES, -((int64_t)m->ncharged + m->ntrans));
			memunlock(m);
			vx_seterr(vx, "file mappings past their account's bound");
			errno = ENOMEM;
			return -1;
		}
		a->charge(a, VX_ACCT_MEMS, 1 + own);
	}
	m->acct = a;
	mapfdsmove(m, old, a);
	if(old != NULL){
		old->charge(old, VX_ACCT_PAGES, -((int64_t)m->ncharged + m->ntrans));
		old->charge(old, VX_ACCT_FDS, -own);
		old->charge(old, VX_ACCT_MEMS, -1 - own);
	}
	memunlock(m);
	return 0;
}

uint64_t
vx_charged(Vx *vx)
{
	uint64_t n;

	memlock(vx->mem);
	n = vx->mem->ncharged;
	memunlock(vx->mem);
	return n;
}

/* A Vx's translations grew (pages > 0) or went (< 0): charged to m's
 * account as its guest pages are, since every thread's code cache and
 * metadata are host memory the guest makes the host spend (16 threads
 * running 8 MiB of code took 2.3 GB under -M 64).  0, or -1 refused. */
int
vxmem_transcharge(VxMem *m, int64_t pages)
{
	memlock(m);
	if(pages > 0 && acctcharge(m, VX_ACCT_PAGES, pages) < 0){
		memunlock(m);
		return -1;
	}
	if(pages < 0)
		acctcharge(m, VX_ACCT_PAGES, pages);
	m->ntrans += pages;
	memunlock(m);
	return 0;
}

int
vx_hold(Vx *vx, uint64_t len)
{
	VxMem *m = vx->mem;
	uint64_t np = (len + VX_PAGE - 1) >> VX_PAGESHIFT;

	memlock(m);
	if(np > UINT32_MAX - m->ncharged || acctcharge(m, VX_ACCT_PAGES, (int64_t)np) < 0){
		memunlock(m);
		vx_seterr(vx, "guest memory past its account's bound");
		errno = ENOMEM;
		return -1;
	}
	m->ncharged += (uint32_t)np;
	memunlock(m);
	return 0;
}

void
vxmem_decref(VxMem *m)
{
	if(m == NULL || atomic_fetch_sub(&m->ref, 1) != 1)
		return;
	memregister(m, 0);
	for(int i = 0; i < m->nfmap; i++)
		mapfdput(m->fmap[i].h);
	free(m->fmap);
	acctcharge(m, VX_ACCT_PAGES, -((int64_t)m->ncharged + m->ntrans));
	acctcharge(m, VX_ACCT_MEMS, -1);
	if(m->engine == VX_ENGINE_LONG)
		vx_windowfree(m->base, (uint64_t)m->touchlo << VX_PAGESHIFT, (uint64_t)m->touchhi << VX_PAGESHIFT);
	else{
		vx_ldtfree(m->ldtent);
		vx_lowfree(m->base, m->size);
	}
	pthread_mutex_destroy(&m->lock);
	atomic_fetch_sub(&nhostmaps, MEMAREAS + atomic_load(&m->nedge));
	arraysfree(m->page, m->arrays);
	free(m);
}

/* Host memory that is mapped read-only is written through
 * /proc/self/mem, as a debugger pokes text (the kernel's FOLL_FORCE
 * makes the private copy and leaves the page table entry read-only),
 * instead of being made writable, written and protected again: taking
 * write access back from a present page is a TLB shootdown of every
 * CPU this many-threaded process ran on, tens of µs on a PVM host, and
 * a fork and a program load did one for each read-only run they wrote
 * (doc/bench.md, "Spawn and start-up, tenth session").  The descriptor
 * names the memory of the process that opened it, so a host fork's child
 * opens its own. */

/* A descriptor of this process's own /proc/self file (mem, pagemap),
 * opened once by each process: one a host fork's child inherited names
 * its parent's memory (a write there is the parent's; its pagemap, read
 * for the child's copy, is the parent's pages).  Lock-free: a lock
 * another thread held at a host fork would stay held in the child, whose
 * first vx_poke or vx_fork then waited for ever. */
typedef struct Selffd {
	const char *path;
	int flags;
	_Atomic uint64_t pidfd;	/* the opener's pid << 32 | the descriptor (-1: none); 0 at first */
} Selffd;

static Selffd selfmemfd = { "/proc/self/mem", O_RDWR, 0 };
static Selffd pagemapfd = { "/proc/self/pagemap", O_RDONLY, 0 };
static Selffd mapsfd = { "/proc/self/maps", O_RDONLY, 0 };

static int
selffd(Selffd *s)
{
	uint64_t me = (uint64_t)(uint32_t)getpid() << 32, old, new;
	int fd;

	old = atomic_load(&s->pidfd);
	while((old & ~0xffffffffull) != me){
		/* this process's first: the copy inherited goes once its own
		 * is in; of threads opening at once one's is kept */
		fd = open(s->path, s->flags | O_CLOEXEC);
		new = me | (uint32_t)fd;
		if(atomic_compare_exchange_strong(&s->pidfd, &old, new)){
			if(old != 0 && (int32_t)old >= 0)
				close((int32_t)old);
			return fd;
		}
		if(fd >= 0)
			close(fd);
	}
	return (int32_t)old;
}

static int
selfmem(void)
{
	return selffd(&selfmemfd);
}

/* For PROCMAP_QUERY (amd64/window.c, windowclear). */
int
vx_selfmaps(void)
{
	return selffd(&mapsfd);
}

static int
allzero(const uint8_t *p, size_t n)
{
	const uint64_t *w = (const uint64_t *)p;
	size_t i;

	for(i = 0; i < n / 8; i++)
		if(w[i] != 0)
			return 0;
	for(i = n & ~(size_t)7; i < n; i++)
		if(p[i] != 0)
			return 0;
	return 1;
}

/* Zero the kept page arrays p (n bytes, page aligned) for their next
 * memory.  A page that is neither present nor swapped out (bits 63 and
 * 62 of /proc/self/pagemap, one read for up to 512 pages) was never
 * touched and reads as zeros; a present one is cleared only if it is not
 * zero already (a page only read is the shared zero page: a store would
 * be a fault).  Where pagemap cannot say, everything is cleared. */
static void
arraysclear(uint8_t *p, size_t n)
{
	uint64_t e[512];
	size_t np = (n + VX_PAGE - 1) / VX_PAGE, k, c, i, off, len;
	int fd;

	fd = selffd(&pagemapfd);
	for(k = 0; k < np; k += c){
		c = np - k < 512 ? np - k : 512;
		if(fd < 0 || pread(fd, e, c * 8, (off_t)(((uintptr_t)p / VX_PAGE + k) * 8)) != (ssize_t)(c * 8)){
			off = k * VX_PAGE;
			memset(p + off, 0, c * VX_PAGE < n - off ? c * VX_PAGE : n - off);
			continue;
		}
		for(i = 0; i < c; i++){
			if(!(e[i] >> 62 & 3))
				continue;
			off = (k + i) * VX_PAGE;
			len = n - off < VX_PAGE ? n - off : VX_PAGE;
			if(!allzero(p + off, len))
				memset(p + off, 0, len);
		}
	}
}

/* Write n bytes of src (zeros if src is NULL) at host address p whatever
 * its protection, through fd, this process's /proc/self/mem (selfmem: a
 * fork asks once for all its runs, since each ask is a getpid); 0, or -1
 * if it cannot (the caller then makes the page writable for the copy). */
static int
forcewrite(int fd, uint8_t *p, const void *src, size_t n)
{
	static const uint8_t zero[VX_PAGE];
	const uint8_t *s = src;
	size_t c;
	ssize_t w;

	if(fd < 0)
		return -1;
	while(n > 0){
		c = n;
		if(s == NULL && c > sizeof zero)
			c = sizeof zero;
		w = pwrite(fd, s != NULL ? s : zero, c, (off_t)(uintptr_t)p);
		if(w <= 0)
			return -1;
		p += w;
		n -= w;
		if(s != NULL)
			s += w;
	}
	return 0;
}

/* The end of the run from page i whose flags, masked by mask, are pg:
 * eight at a time, since a fork walks every page of a 4 GiB memory's
 * array (a million bytes, a millisecond a byte at a time). */
static uint32_t
pagerun(const uint8_t *page, uint32_t i, uint32_t np, uint8_t pg, uint8_t mask)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t w;

	for(; i + 8 <= np; i += 8){
		memcpy(&w, page + i, 8);
		if((w & mask * ones) != pg * ones)
			break;
	}
	for(; i < np && (page[i] & mask) == pg; i++)
		;
	return i;
}

/* The first of pages [p0, p0+np) that is not mapped, as an offset
 * from p0; np when all are.  m->lock held. */
static uint32_t
firstunmapped(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t i;

	for(i = 0; i < np && (m->page[p0 + i] & PG_MAPPED); i++)
		;
	return i;
}

/* Do pages [p0, p0+np) all take a host store as they are (mapped
 * writable, no translation's write protection)?  m->lock held. */
static int
hostwritable(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t i;

	for(i = 0; i < np && (hostprot(m->page[p0 + i]) & PROT_WRITE); i++)
		;
	return i == np;
}

/* Which of the n pages from host address p are still the file's own
 * (never written by this process, so not private copies)?  From
 * /proc/self/pagemap (fd, from selffd), one read for the run: bit 63 "present", bit 62
 * "swapped", bit 61 "file page or shared anonymous".  A page never
 * touched is the file's too.  On any failure, none are (they get copied). */
static void
stillfile(int fd, const void *p, uint32_t n, unsigned char *res)
{
	uint64_t e[256];
	uint32_t k, c, i;

	for(k = 0; k < n; k += c){
		c = n - k < 256 ? n - k : 256;
		if(fd < 0 || pread(fd, e, c * 8, (off_t)(((uintptr_t)p / VX_PAGE + k) * 8)) != (ssize_t)(c * 8)){
			for(i = 0; i < c; i++)
				res[k + i] = 1;
			continue;
		}
		for(i = 0; i < c; i++)
			res[k + i] = (!(e[i] >> 63 & 1) && !(e[i] >> 62 & 1)) || (e[i] >> 61 & 1) ? 2 : 1;
	}
}

/* Shared pages [i, j) of m appear in n as the same pages of the same
 * files (fork), each from the shared mapping that made it. */
static int
sharepages(VxMem *n, VxMem *m, uint32_t i, uint32_t j, uint8_t pg)
{
	uint32_t k, e, a;
	FileMap *fm;

	for(k = i; k < j; k = e){
		a = k << VX_PAGESHIFT;
		fm = fmapfind(m, a);
		if(fm == NULL || !fm->shared){
			errno = EINVAL;	/* cannot happen: PG_SHARED pages have theirs */
			return -1;
		}
		for(e = k + 1; e < j && fmapfind(m, e << VX_PAGESHIFT) == fm; e++)
			;
		if(copyroom() < 0)
			return -1;
		mapped(n, k, e - k, 1);
		if(mmap(n->base + a, (size_t)(e - k) << VX_PAGESHIFT, hostprot(pg), MAP_SHARED | MAP_FIXED,
			fm->fd, (off_t)(fm->off + (a - fm->addr))) == MAP_FAILED)
			return -1;
	}
	memset(n->page + i, pg | PG_VOLATILE, j - i);
	return 0;
}

/* Is the page at p all zeros?  A fork leaves such a page out: the
 * copy's fresh page reads as zeros too, and a page written costs the
 * host 4 to 6 µs (hugecopy) against a tenth of that to read it.  A small
 * static program's fork copied 47 pages, 37 of them zeros (its heap, its
 * stack's untouched depths). */
static int
pagezero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)p;
	uint64_t or;
	int i, k;

	for(i = 0; i < VX_PAGE / 8; i += 8){
		or = 0;
		for(k = 0; k < 8; k++)
			or |= w[i + k];
		if(or != 0)
			return 0;
	}
	return 1;
}

/* Are transparent huge pages to be had for MADV_HUGEPAGE?  Not when
 * the host's setting is "never" (then the copy by memcpy would fault a
 * 4 KiB page at a time, slower than forcewrite). */
static int
hugeok(void)
{
	static atomic_int ok;	/* 0 unknown, 1 yes, 2 no */
	char buf[64];
	ssize_t r;
	int fd, v;

	v = atomic_load(&ok);
	if(v == 0){
		v = 2;
		fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
		if(fd >= 0){
			r = read(fd, buf, sizeof buf - 1);
			if(r > 0){
				buf[r] = 0;
				if(strstr(buf, "[never]") == NULL)
					v = 1;
			}
			close(fd);
		}
		atomic_store(&ok, v);
	}
	return v == 1;
}

/* Fork: the 2 MiB blocks of m's anonymous run of np pages from page p0,
 * mapped writable in its copy n, whose every page the parent holds (res, from
 * mincore) are copied by memcpy into transparent huge pages, and taken
 * out of res.  A 4 KiB page costs the host a fault, a fresh page zeroed
 * and charged whichever way it is written (4.6 µs a page here through
 * /proc/self/mem, 5.7 by memcpy); a 2 MiB one, the same for 512 pages:
 * a guest's fork of 100 MiB of heap took 78 ms, now 23.  Only
 * whole resident blocks: a huge page for a few written pages would hold
 * memory the parent never had.  The blocks become host areas of their
 * own (VM_HUGEPAGE). */
static int
hugecopy(VxMem *n, VxMem *m, uint32_t p0, uint32_t np, unsigned char *res)
{
	enum { HP = 512 };	/* pages in a 2 MiB block */
	uint32_t a, b, k;

	/* compat's window need not lie at a 2 MiB boundary: no huge page fits */
	if(np < HP || ((uintptr_t)n->base & ((HP << VX_PAGESHIFT) - 1)) != 0 || !hugeok())
		return 0;
	for(a = (p0 + HP - 1) / HP * HP; a + HP <= p0 + np; a = b){
		for(b = a; b + HP <= p0 + np; b += HP){
			for(k = 0; k < HP && (res[b - p0 + k] & 1); k++)
				;
			if(k < HP)
				break;
		}
		if(b == a){
			b = a + HP;
			continue;
		}
		if(copyroom() < 0)
			return -1;
		mapped(n, a, b - a, 0);
		size_t off = (size_t)a << VX_PAGESHIFT, len = (size_t)(b - a) << VX_PAGESHIFT;
		madvise(n->base + off, len, MADV_HUGEPAGE);
		memcpy(n->base + off, m->base + off, len);
		memset(res + (a - p0), 0, b - a);
	}
	return 0;
}

/* A private copy of every mapped page (fork).  Pages the guest never
 * touched are not resident (mincore) and read as zeros: they are not
 * copied, which keeps a fork of a process with a large stack or heap
 * reservation cheap.  Pages of a file mapping that were never written are
 * mapped from the file again, copy-on-write, instead of copied: a
 * program's text costs nothing to fork.  The copies are written by the
 * kernel (forcewrite), not memcpy: a first store into a fresh page from
 * user mode is a fault and a trip to the hypervisor, 10 µs a page on a
 * PVM host against about 0.5 µs through /proc/self/mem, and a child that
 * execs soon never touches most of them. */
VxMem *
vxmem_copy(VxMem *m, char *err)
{
	VxMem *n;
	uint32_t i, np = m->size >> VX_PAGESHIFT, j, k;
	unsigned char *res = NULL;
	size_t ares = 0;
	int f, memfd, pagemap;

	n = memnew(m->size, m->engine, err, m);
	if(n == NULL)
		return NULL;
	memfd = selfmem();
	pagemap = selffd(&pagemapfd);
	memlock(m);
	/* the copy is charged all its parent's pages, first: a fork past
	 * the account's bound copies nothing */
	n->acct = m->acct;
	acctcharge(n, VX_ACCT_MEMS, 1);
	if(acctcharge(n, VX_ACCT_PAGES, m->ncharged) < 0){
		memunlock(m);
		snprintf(err, VX_ERRLEN, "copying guest memory: past its account's bound");
		vxmem_decref(n);
		errno = ENOMEM;
		return NULL;
	}
	n->ncharged = m->ncharged;
	if(fmaproom(n, m->nfmap) < 0)
		goto fail;
	for(f = 0; f < m->nfmap; f++)
		fmapshare(n, &m->fmap[f], m->fmap[f].addr, m->fmap[f].len, m->fmap[f].off);
	for(i = 0; i < np; i = j){
		uint8_t pg = m->page[i] & ~(PG_CODE | PG_VOLATILE);
		j = pagerun(m->page, i + 1, np, pg, (uint8_t)~(PG_CODE | PG_VOLATILE));
		if(!(pg & PG_MAPPED))
			continue;
		/* whole bytes: an unmapped page's bit is 0 */
		for(k = i >> 3; k <= (j - 1) >> 3; k++)
			if(m->charged[k] != 0)
				n->charged[k] = m->charged[k];
		if(pg & PG_SHARED){
			if(sharepages(n, m, i, j, pg) < 0)
				goto fail;
			continue;
		}
		uint8_t *s = m->base + ((size_t)i << VX_PAGESHIFT);
		uint8_t *d = n->base + ((size_t)i << VX_PAGESHIFT);
		size_t len = (size_t)(j - i) << VX_PAGESHIFT;
		/* mapped with their protection and written by forcewrite
		 * (PROT_NONE ones writable, protected after the copy) */
		int prot = hostprot(pg), now = prot != PROT_NONE ? prot : PROT_READ | PROT_WRITE, guessed = 0;
		if(copyroom() < 0)
			goto fail;
		mapped(n, i, j - i, 1);
		if(mmap(d, len, now, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			goto fail;
		if(ares < j - i){
			unsigned char *r = realloc(res, j - i);
			if(r == NULL)
				goto fail;
			res = r;
			ares = j - i;
		}
		if(pg & PG_FILE){
			/* 2: the file's page, mapped again below; 1: copy */
			stillfile(pagemap, s, j - i, res);
			for(k = 0; k < j - i; k++)
				if(res[k] == 2 && fmapfind(m, (i + k) << VX_PAGESHIFT) == NULL)
					res[k] = 1;
		}else if(mincore(s, len, res) < 0){
			memset(res, 1, j - i);
			guessed = 1;
		}
		if(!(hostprot(m->page[i]) & PROT_READ))
			mprotect(s, len, PROT_READ);	/* guest PROT_NONE pages still hold data */
		/* resident pages as mincore says, not as guessed */
		if(!(pg & PG_FILE) && (now & PROT_WRITE) && !guessed && hugecopy(n, m, i, j - i, res) < 0)
			goto fail;
		for(k = 0; k < j - i; ){
			uint32_t e;
			if(res[k] == 2){
				uint32_t a = (i + k) << VX_PAGESHIFT;
				FileMap *fm = fmapfind(m, a);
				for(e = k + 1; e < j - i && res[e] == 2 && fmapfind(m, (i + e) << VX_PAGESHIFT) == fm; e++)
					;
				if(copyroom() < 0)
					goto fail;
				mapped(n, i + k, e - k, 1);
				if(mmap(d + ((size_t)k << VX_PAGESHIFT), (size_t)(e - k) << VX_PAGESHIFT, now,
					MAP_PRIVATE | MAP_FIXED, fm->fd, (off_t)(fm->off + (a - fm->addr))) == MAP_FAILED)
					goto fail;
				k = e;
				continue;
			}
			if(!(res[k] & 1) || pagezero(s + ((size_t)k << VX_PAGESHIFT))){
				k++;
				continue;
			}
			for(e = k + 1; e < j - i && res[e] == 1 && !pagezero(s + ((size_t)e << VX_PAGESHIFT)); e++)
				;
			uint8_t *dk = d + ((size_t)k << VX_PAGESHIFT), *sk = s + ((size_t)k << VX_PAGESHIFT);
			size_t nk = (size_t)(e - k) << VX_PAGESHIFT;
			if(forcewrite(memfd, dk, sk, nk) < 0){
				if(!(now & PROT_WRITE)){
					now = PROT_READ | PROT_WRITE;
					if(mprotect(d, len, now) < 0)
						goto fail;
				}
				memcpy(dk, sk, nk);
			}
			k = e;
		}
		if(!(hostprot(m->page[i]) & PROT_READ))
			mprotect(s, len, PROT_NONE);
		memset(n->page + i, pg, j - i);
		if(now != prot && mprotect(d, len, prot) < 0)
			goto fail;
	}
	memunlock(m);
	free(res);
	return n;
fail:
	memunlock(m);
	free(res);
	snprintf(err, VX_ERRLEN, "copying guest memory: %s", strerror(errno));
	vxmem_decref(n);
	return NULL;
}

/* Read with open and read, not stdio: on the start-up path of every
 * sandbox, and fopen's buffer and scanf's code are pages to touch. */
static long
hostmapcap(void)
{
	char buf[24];
	long c, v;
	ssize_t n;
	int fd;

	c = atomic_load(&hostmapmax);
	if(c == 0){
		c = 65530;	/* Linux's default */
		fd = open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);
		if(fd >= 0){
			n = read(fd, buf, sizeof buf - 1);
			if(n > 0){
				buf[n] = 0;
				v = strtol(buf, NULL, 10);
				if(v > 0)
					c = v;
			}
			close(fd);
		}
		c -= c / 4;
		atomic_store(&hostmapmax, c);
	}
	return c;
}

static int
edgeis(VxMem *m, uint32_t p)
{
	return m->edge[p >> 3] >> (p & 7) & 1;
}

/* A host call began or ended at page p.  Atomic: the fault handler
 * calls this without the lock. */
static void
edgeset(VxMem *m, uint32_t p)
{
	uint8_t bit = 1 << (p & 7);

	if(p == 0 || p > m->size >> VX_PAGESHIFT)
		return;	/* the window's own ends: MEMAREAS */
	if(!(__atomic_fetch_or(&m->edge[p >> 3], bit, __ATOMIC_RELAXED) & bit)){
		atomic_fetch_add(&m->nedge, 1);
		atomic_fetch_add(&nhostmaps, 1);
	}
}

/* How many edges strictly inside pages [p0, p0+np); with clear, also
 * forget them (one mapping now covers them all). */
static long
edgesinside(VxMem *m, uint32_t p0, uint32_t np, int clear)
{
	uint32_t p, e = p0 + np;
	long n = 0;

	for(p = p0 + 1; p < e; p++){
		if((p & 7) == 0 && e - p >= 8 && m->edge[p >> 3] == 0){
			p += 7;
			continue;
		}
		if(edgeis(m, p)){
			n++;
			if(clear)
				__atomic_fetch_and(&m->edge[p >> 3], (uint8_t)~(1 << (p & 7)), __ATOMIC_RELAXED);
		}
	}
	if(clear && n > 0){
		atomic_fetch_sub(&m->nedge, n);
		atomic_fetch_sub(&nhostmaps, n);
	}
	return n;
}

/* A host call is about to change pages [p0, p0+np) of the window, or
 * has: vx_windowfree clears what lies between the lowest and the highest
 * so touched.  Atomic: the fault handler calls this without the lock. */
static void
touched(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t lo = __atomic_load_n(&m->touchlo, __ATOMIC_RELAXED), hi, b;

	/* vx_memuse looks at these blocks only */
	for(b = p0 >> 6; np > 0 && b <= (p0 + np - 1) >> 6; b++)
		if(!(__atomic_load_n(&m->blocks[b >> 6], __ATOMIC_RELAXED) & 1ull << (b & 63)))
			__atomic_fetch_or(&m->blocks[b >> 6], 1ull << (b & 63), __ATOMIC_RELAXED);

	while(p0 < lo && !__atomic_compare_exchange_n(&m->touchlo, &lo, p0, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	hi = __atomic_load_n(&m->touchhi, __ATOMIC_RELAXED);
	while(p0 + np > hi && !__atomic_compare_exchange_n(&m->touchhi, &hi, p0 + np, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static int
edgenew(VxMem *m, uint32_t p)
{
	return p != 0 && p <= m->size >> VX_PAGESHIFT && !edgeis(m, p);
}

/* Is there room for a host call on pages [p0, p0+np)?  A mapping
 * (covers) replaces the areas inside, an mprotect may only split.
 * m->lock held. */
static int
maproom(Vx *vx, uint32_t p0, uint32_t np, int covers)
{
	VxMem *m = vx->mem;
	long add;

	touched(m, p0, np);
	add = edgenew(m, p0) + edgenew(m, p0 + np);
	if(add == 0 || atomic_load(&nhostmaps) + add <= hostmapcap())
		return 0;
	if(covers && edgesinside(m, p0, np, 0) >= add)
		return 0;
	vx_seterr(vx, "guest memory in too many pieces (the cap is %ld host areas, 3/4 of vm.max_map_count)", hostmapcap());
	errno = ENOMEM;
	return -1;
}

/* A host call on pages [p0, p0+np) succeeded. */
static void
mapped(VxMem *m, uint32_t p0, uint32_t np, int covers)
{
	touched(m, p0, np);
	if(covers)
		edgesinside(m, p0, np, 1);
	edgeset(m, p0);
	edgeset(m, p0 + np);
}

/* A fork's copy makes one more host area (at most two edges)? */
static int
copyroom(void)
{
	if(atomic_load(&nhostmaps) + 2 <= hostmapcap())
		return 0;
	errno = ENOMEM;
	return -1;
}

/* Write-protecting the page at addr for translations would take host
 * areas past the cap (see hostmapcap): its code is checked instead
 * (PG_VOLATILE), at the cost of a compare per fragment run. */
int
vxmem_codefull(Vx *vx, uint32_t addr)
{
	VxMem *m = vx->mem;
	uint32_t p = addr >> VX_PAGESHIFT;
	uint8_t pg;

	if(addr >= m->size)
		return 0;
	pg = __atomic_load_n(&m->page[p], __ATOMIC_RELAXED);
	if((pg & (PG_MAPPED | PG_W | PG_CODE | PG_VOLATILE)) != (PG_MAPPED | PG_W))
		return 0;
	return atomic_load(&nhostmaps) + edgenew(m, p) + edgenew(m, p + 1) > hostmapcap();
}

/* Before translating at addr: when its page, or the next one its first
 * instruction may reach into, cannot be write-protected, both become
 * volatile, so the fragment checks its bytes instead. */
void
vxmem_codeprep(Vx *vx, uint32_t addr)
{
	VxMem *m = vx->mem;
	uint32_t p = addr >> VX_PAGESHIFT, q = (addr + 15) >> VX_PAGESHIFT;

	if(!vxmem_codefull(vx, addr) && (q == p || !vxmem_codefull(vx, addr + 15)))
		return;
	memlock(m);
	if(m->page[p] & PG_MAPPED)
		m->page[p] |= PG_VOLATILE;
	if(q != p && q < m->size >> VX_PAGESHIFT && (m->page[q] & PG_MAPPED))
		m->page[q] |= PG_VOLATILE;
	memunlock(m);
}

static int
checkrange(Vx *vx, uint32_t addr, uint32_t len)
{
	if(addr & (VX_PAGE - 1)){
		vx_seterr(vx, "address 0x%x not page aligned", addr);
		return -1;
	}
	if(len == 0 || addr >= vx->mem->size || len > vx->mem->size - addr){
		vx_seterr(vx, "range 0x%x+0x%x outside guest memory", addr, len);
		return -1;
	}
	return 0;
}

static uint32_t
pagelen(uint32_t len)
{
	return (uint32_t)(((uint64_t)len + VX_PAGE - 1) & ~(uint64_t)(VX_PAGE - 1));
}

/* Pages losing their contents or protection lose their translations. */
static void
dropcode(Vx *vx, uint32_t addr, uint32_t len)
{
	VxMem *m = vx->mem;
	uint32_t i, np = len >> VX_PAGESHIFT, p0 = addr >> VX_PAGESHIFT;
	int any = 0;

	for(i = 0; i < np; i++)
		if(m->page[p0 + i] & PG_CODE){
			m->page[p0 + i] &= ~PG_CODE;
			any = 1;
		}
	if(any){
		vx_invalidate(vx, addr, addr + len);
		atomic_fetch_add(&m->smcgen, 1);
		vx->smcmine++;
		vx->stats.smc++;
	}
}

int
vx_map(Vx *vx, uint32_t addr, uint32_t len, int prot)
{
	VxMem *m = vx->mem;
	uint8_t pg;

	len = pagelen(len);
	if(checkrange(vx, addr, len) < 0)
		return -1;
	uint32_t p0 = addr >> VX_PAGESHIFT, np = len >> VX_PAGESHIFT;
	int64_t d;
	int w = (prot & VX_PROT_WRITE) != 0;

	memlock(m);
	if(maproom(vx, p0, np, 1) < 0 || chargemap(vx, p0, np, w, &d) < 0){
		memunlock(m);
		return -1;
	}
	dropcode(vx, addr, len);
	pg = PG_MAPPED | (prot & 7);
	/* Not populated (unlike a small file mapping's private copy, which
	 * vx_mapfile makes at once): a fresh zero page costs about the same
	 * faulted or populated (1.2 µs against 1.1 on the session-23 KVM
	 * host), and much of a brk step or a bss is never touched by a
	 * short program (a static glibc's first brk is 132 KiB, of which
	 * it uses a page or two): populating them was 4% of an empty
	 * start (doc/bench.md, session 23). */
	if(mmap(m->base + addr, len, hostprot(pg), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED
		| (w && (prot & VX_MAP_POPULATE) ? MAP_POPULATE : 0), -1, 0) == MAP_FAILED){
		chargedone(m, p0, np, w, d, 0);
		memunlock(m);
		vx_seterr(vx, "mmap: %s", strerror(errno));
		return -1;
	}
	chargedone(m, p0, np, w, d, 1);
	mapped(m, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT, 1);
	memset(m->page + (addr >> VX_PAGESHIFT), pg, len >> VX_PAGESHIFT);
	fmapdrop(m, addr, len);
	memunlock(m);
	return 0;
}

/*
 * Fresh private pages at addr holding the n bytes at src, zero after,
 * put in place in one step: they are made and filled elsewhere, then
 * moved over the old pages by one host mremap, which other threads see
 * whole (a fault waits for it), so a guest thread touching the range
 * meanwhile reads the old pages or the new, never a hole or zeros.
 */
int
vx_mapcopy(Vx *vx, uint32_t addr, uint32_t len, int prot, const void *src, uint32_t n)
{
	VxMem *m = vx->mem;
	uint32_t p0, np;
	int64_t d;
	int w = (prot & VX_PROT_WRITE) != 0;
	uint8_t pg;
	void *s;

	len = pagelen(len);
	if(checkrange(vx, addr, len) < 0)
		return -1;
	p0 = addr >> VX_PAGESHIFT;
	np = len >> VX_PAGESHIFT;
	if(n > len)
		n = len;
	pg = PG_MAPPED | (prot & 7);
	s = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(s == MAP_FAILED){
		vx_seterr(vx, "mmap: %s", strerror(errno));
		return -1;
	}
	memcpy(s, src, n);
	memlock(m);
	if(maproom(vx, p0, np, 1) < 0 || chargemap(vx, p0, np, w, &d) < 0){
		memunlock(m);
		munmap(s, len);
		return -1;
	}
	dropcode(vx, addr, len);
	if(mprotect(s, len, hostprot(pg)) < 0
	|| mremap(s, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, m->base + addr) == MAP_FAILED){
		chargedone(m, p0, np, w, d, 0);
		memunlock(m);
		vx_seterr(vx, "mremap: %s", strerror(errno));
		munmap(s, len);
		return -1;
	}
	chargedone(m, p0, np, w, d, 1);
	mapped(m, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT, 1);
	memset(m->page + (addr >> VX_PAGESHIFT), pg, len >> VX_PAGESHIFT);
	fmapdrop(m, addr, len);
	memunlock(m);
	return 0;
}

/* Room for n file mappings. */
static int
fmaproom(VxMem *m, int n)
{
	FileMap *f;
	int a;

	if(n <= m->afmap)
		return 0;
	for(a = m->afmap ? m->afmap : 8; a < n; a *= 2)
		;
	f = realloc(m->fmap, a * sizeof *f);
	if(f == NULL)
		return -1;
	m->fmap = f;
	m->afmap = a;
	return 0;
}

/* Remember a file mapping, so a fork can map the pages the guest never
 * wrote from the file rather than copy them (private: failure only costs
 * that), or map the same pages (shared: a failure fails the mapping). */
static int
fmapadd(VxMem *m, uint32_t addr, uint32_t len, uint64_t off, int fd, int shared)
{
	struct stat st;
	FileMap *f;
	MapFd *h;

	if(fmaproom(m, m->nfmap + 1) < 0)
		return -1;
	h = mapfdnew(m, fd);
	if(h == NULL)
		return -1;
	f = &m->fmap[m->nfmap++];
	f->addr = addr;
	f->len = len;
	f->off = off;
	f->fd = h->fd;
	f->h = h;
	f->shared = shared;
	f->dev = f->ino = 0;
	if(shared && fstat(h->fd, &st) == 0){
		f->dev = st.st_dev;
		f->ino = st.st_ino;
	}
	return 0;
}

/* A record of [addr, addr+len) at file offset off from f's file, in m
 * (room made), sharing f's descriptor. */
static void
fmapshare(VxMem *m, const FileMap *f, uint32_t addr, uint32_t len, uint64_t off)
{
	FileMap *g = &m->fmap[m->nfmap++];

	*g = *f;
	g->addr = addr;
	g->len = len;
	g->off = off;
	atomic_fetch_add(&g->h->ref, 1);
}

/* [addr, addr+len) was replaced: forget the file mappings wholly inside
 * it, and their fds, and cut those it covers in part down to the pages
 * they still map, so that a guest mapping and unmapping in a loop, whole
 * or a page at a time, does not pile up host fds.  The mappings are kept
 * disjoint so; one cut in two takes a second fd for its upper part
 * (without one it stays whole: fork then maps a stale part of it, the
 * guest's own loss). */
static void
fmapdrop(VxMem *m, uint32_t addr, uint32_t len)
{
	uint64_t lo = addr, hi = (uint64_t)addr + len, flo, fhi;
	int i, k, n = m->nfmap, nup = 0;

	for(i = 0; i < n; i++)
		if(m->fmap[i].addr < lo && (uint64_t)m->fmap[i].addr + m->fmap[i].len > hi)
			nup++;
	if(nup > 0 && fmaproom(m, n + nup) < 0)
		nup = -1;
	for(i = k = 0, nup = nup < 0 ? -1 : 0; i < n; i++){
		FileMap f = m->fmap[i];
		flo = f.addr;
		fhi = flo + f.len;
		if(fhi <= lo || flo >= hi){
			m->fmap[k++] = f;
			continue;
		}
		if(flo >= lo && fhi <= hi){
			mapfdput(f.h);
			continue;
		}
		if(flo < lo && fhi > hi){
			if(nup < 0){
				m->fmap[k++] = f;
				continue;
			}
			/* the upper part, after the kept ones at the end */
			m->nfmap = n + nup;
			fmapshare(m, &f, (uint32_t)hi, (uint32_t)(fhi - hi), f.off + (hi - flo));
			nup++;
			f.len = (uint32_t)(lo - flo);
		}else if(flo < lo)
			f.len = (uint32_t)(lo - flo);
		else{
			f.addr = (uint32_t)hi;
			f.len = (uint32_t)(fhi - hi);
			f.off += hi - flo;
		}
		m->fmap[k++] = f;
	}
	if(nup > 0)
		memmove(&m->fmap[k], &m->fmap[n], nup * sizeof m->fmap[0]);
	m->nfmap = k + (nup > 0 ? nup : 0);
}

/* The latest file mapping covering guest page address a, or NULL. */
static FileMap *
fmapfind(VxMem *m, uint32_t a)
{
	int i;

	for(i = m->nfmap; i-- > 0; )
		if(a >= m->fmap[i].addr && a - m->fmap[i].addr < m->fmap[i].len)
			return &m->fmap[i];
	return NULL;
}

/* A file mapping, private (copy-on-write) or shared.  Shared pages are
 * never write-protected for translations: another process may write
 * them behind our back, so their fragments check their bytes. */
static int
mapfd(Vx *vx, uint32_t addr, uint32_t len, int prot, int fd, uint64_t off, int shared)
{
	VxMem *m = vx->mem;
	uint32_t p0, np;
	int64_t d;
	uint8_t pg;
	int pop, on;

	len = pagelen(len);
	if(checkrange(vx, addr, len) < 0)
		return -1;
	if(off & (VX_PAGE - 1)){
		vx_seterr(vx, "file offset 0x%llx not page aligned", (unsigned long long)off);
		return -1;
	}
	p0 = addr >> VX_PAGESHIFT;
	np = len >> VX_PAGESHIFT;
	on = shared ? (prot & VX_MAP_ANON) != 0 : (prot & VX_PROT_WRITE) != 0;
	memlock(m);
	if(maproom(vx, p0, np, 1) < 0 || chargemap(vx, p0, np, on, &d) < 0){
		memunlock(m);
		return -1;
	}
	dropcode(vx, addr, len);
	pg = PG_MAPPED | (shared ? PG_SHARED | PG_VOLATILE : PG_FILE) | (prot & 7);
	/* A small private writable mapping is a program's data: its pages
	 * are copied now, in this call, rather than by a copy-on-write fault
	 * each at the first store (10-15 µs apiece on a virtual machine) */
	pop = !shared && (prot & VX_PROT_WRITE) && !(prot & VX_NOPOPULATE) && len <= POPULATEMAX;
	if(mmap(m->base + addr, len, hostprot(pg), (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED
		| (pop ? MAP_POPULATE : 0), fd, (off_t)off) == MAP_FAILED){
		chargedone(m, p0, np, on, d, 0);
		memunlock(m);
		vx_seterr(vx, "mmap: %s", strerror(errno));
		return -1;
	}
	chargedone(m, p0, np, on, d, 1);
	mapped(m, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT, 1);
	memset(m->page + (addr >> VX_PAGESHIFT), pg, len >> VX_PAGESHIFT);
	fmapdrop(m, addr, len);
	if(fmapadd(m, addr, len, off, fd, shared) < 0 && shared){
		/* no fd left to remember it by: a fork could not share it
		 * (a private one's fork only copies the pages instead) */
		mmap(m->base + addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
		memset(m->page + (addr >> VX_PAGESHIFT), 0, len >> VX_PAGESHIFT);
		if(on){
			setcharged(m, p0, np, 0);
			acctcharge(m, VX_ACCT_PAGES, -(int64_t)np);
		}
		memunlock(m);
		vx_seterr(vx, "remembering a shared mapping: %s", strerror(errno));
		return -1;
	}
	memunlock(m);
	return 0;
}

int
vx_mapfile(Vx *vx, uint32_t addr, uint32_t len, int prot, int fd, uint64_t off)
{
	return mapfd(vx, addr, len, prot, fd, off, 0);
}

int
vx_mapshared(Vx *vx, uint32_t addr, uint32_t len, int prot, int fd, uint64_t off)
{
	return mapfd(vx, addr, len, prot, fd, off, 1);
}

/* Write len bytes of src (zeros if src is NULL) at guest address addr
 * whatever the mapped pages' protection: the ELF loader clearing the
 * edges of a read-only segment it mapped read-only from the start.
 * Pages the host can store to as they are (a data segment's, where
 * every program's bss starts) are written directly: the write through
 * /proc/self/mem cost its open, a getpid and a remote page walk at
 * every start (doc/bench.md, "The fixed start, session 25"). */
static void reprotect(VxMem *m, uint32_t p0, uint32_t np);
static void unshadowrange(VxMem *m, uint32_t p0, uint32_t np);

int
vx_poke(Vx *vx, uint32_t addr, const void *src, uint32_t len)
{
	VxMem *m = vx->mem;
	uint32_t p0, np;
	uint8_t *p;

	if(len == 0)
		return 0;
	if(addr > m->size || len > m->size - addr){
		vx_seterr(vx, "bad address");
		return -1;
	}
	p0 = addr >> VX_PAGESHIFT;
	np = (uint32_t)(((uint64_t)addr + len - 1) >> VX_PAGESHIFT) - p0 + 1;
	p = m->base + addr;
	memlock(m);
	if(firstunmapped(m, p0, np) < np){
		memunlock(m);
		vx_seterr(vx, "bad address");
		return -1;
	}
	if(hostwritable(m, p0, np)){
		/* a data segment's bss edge: the pages take a store as they
		 * are, no /proc/self/mem to open and write through */
		if(src != NULL)
			memcpy(p, src, len);
		else
			memset(p, 0, len);
		memunlock(m);
		return 0;
	}
	dropcode(vx, p0 << VX_PAGESHIFT, np << VX_PAGESHIFT);
	if(forcewrite(selfmem(), p, src, len) < 0){
		uint8_t *pg = m->base + ((size_t)p0 << VX_PAGESHIFT);
		if(mprotect(pg, (size_t)np << VX_PAGESHIFT, PROT_READ | PROT_WRITE) < 0){
			memunlock(m);
			vx_seterr(vx, "mprotect: %s", strerror(errno));
			return -1;
		}
		if(src != NULL)
			memcpy(p, src, len);
		else
			memset(p, 0, len);
		reprotect(m, p0, np);
	}
	memunlock(m);
	return 0;
}

/* Linux's MADV_DONTNEED: private pages go back to what they were
 * mapped from (a file mapping's are read from the file again, anonymous
 * ones are zero), shared ones keep their contents; all lose their
 * translations. */
int
vx_discard(Vx *vx, uint32_t addr, uint32_t len)
{
	VxMem *m = vx->mem;
	int r;

	len = pagelen(len);
	if(checkrange(vx, addr, len) < 0)
		return -1;
	memlock(m);
	dropcode(vx, addr, len);
	r = madvise(m->base + addr, len, MADV_DONTNEED);
	memunlock(m);
	if(r < 0)
		vx_seterr(vx, "madvise: %s", strerror(errno));
	return r;
}

int
vx_unmap(Vx *vx, uint32_t addr, uint32_t len)
{
	VxMem *m = vx->mem;

	len = pagelen(len);
	if(checkrange(vx, addr, len) < 0)
		return -1;
	memlock(m);
	if(maproom(vx, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT, 1) < 0){
		memunlock(m);
		return -1;
	}
	dropcode(vx, addr, len);
	if(mmap(m->base + addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED){
		memunlock(m);
		vx_seterr(vx, "mmap: %s", strerror(errno));
		return -1;
	}
	chargedone(m, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT, 0,
		-(int64_t)chargedin(m, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT), 1);
	mapped(m, addr >> VX_PAGESHIFT, len >> VX_PAGESHIFT, 1);
	memset(m->page + (addr >> VX_PAGESHIFT), 0, len >> VX_PAGESHIFT);
	fmapdrop(m, addr, len);
	memunlock(m);
	return 0;
}

/* One piece of vx_move, inside one host area: pages [p, p+n) to [q, q+n)
 * by a host mremap that leaves the old pages mapped (MREMAP_DONTUNMAP:
 * never a hole in guest memory another host mmap could take), else
 * (a kernel before 5.13 for a file's pages) by a copy.  m->lock held. */
static int
movepiece(VxMem *m, uint32_t p, uint32_t q, uint32_t n)
{
	uint8_t *src = m->base + ((size_t)p << VX_PAGESHIFT), *dst = m->base + ((size_t)q << VX_PAGESHIFT);
	size_t len = (size_t)n << VX_PAGESHIFT;
	int prot = hostprot(m->page[p]);

	if(mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, dst) != MAP_FAILED)
		return 0;
	if(mmap(dst, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -1;
	if(!(prot & PROT_READ))
		mprotect(src, len, PROT_READ);	/* guest PROT_NONE pages still hold data */
	memcpy(dst, src, len);
	mprotect(dst, len, prot);
	memset(m->page + p, m->page[p] & ~PG_FILE, n);	/* copies now, not the file's */
	return 0;
}

/* The file records of [from, from+len), at to: the moved pages are
 * still their files'. */
static void
filesmove(VxMem *m, uint32_t from, uint32_t len, uint32_t to)
{
	uint64_t s, e;
	FileMap f;
	int i, n;

	fmapdrop(m, to, len);
	n = m->nfmap;
	for(i = 0; i < n; i++){
		f = m->fmap[i];	/* fmaproom may move the array */
		s = f.addr > from ? f.addr : from;
		e = (uint64_t)f.addr + f.len < (uint64_t)from + len ? (uint64_t)f.addr + f.len : (uint64_t)from + len;
		if(s < e && fmaproom(m, m->nfmap + 1) == 0){
			fmapshare(m, &f, (uint32_t)(s - from + to), (uint32_t)(e - s), f.off + (s - f.addr));
			m->fmap[m->nfmap - 1].shared = 0;
		}
	}
	fmapdrop(m, from, len);
}

int
vx_move(Vx *vx, uint32_t from, uint32_t len, uint32_t to)
{
	VxMem *m = vx->mem;
	uint32_t p0, q0, np, i, j;
	int64_t was;

	len = pagelen(len);
	if(checkrange(vx, from, len) < 0 || checkrange(vx, to, len) < 0)
		return -1;
	if((uint64_t)from + len > to && (uint64_t)to + len > from){
		vx_seterr(vx, "move: ranges overlap");
		errno = EINVAL;
		return -1;
	}
	p0 = from >> VX_PAGESHIFT;
	q0 = to >> VX_PAGESHIFT;
	np = len >> VX_PAGESHIFT;
	memlock(m);
	for(i = 0; i < np; i++)
		if(!(m->page[p0 + i] & PG_MAPPED) || (m->page[p0 + i] & PG_SHARED)){
			memunlock(m);
			vx_seterr(vx, "move: page 0x%x %s", (p0 + i) << VX_PAGESHIFT,
				(m->page[p0 + i] & PG_MAPPED) ? "shared" : "not mapped");
			errno = (m->page[p0 + i] & PG_MAPPED) ? EINVAL : ENOMEM;
			return -1;
		}
	/* the pieces' edges move with them; both ends of both ranges are new */
	if(maproom(vx, q0, np, 1) < 0 || maproom(vx, p0, np, 1) < 0 ||
	   atomic_load(&nhostmaps) + edgesinside(m, p0, np, 0) + 4 > hostmapcap()){
		memunlock(m);
		errno = ENOMEM;
		return -1;
	}
	dropcode(vx, from, len);
	dropcode(vx, to, len);
	/* a piece ends where a host area may (an edge) or the flags change */
	mapped(m, q0, np, 1);
	for(i = 0; i < np; i = j){
		for(j = i + 1; j < np && !edgeis(m, p0 + j) && m->page[p0 + j] == m->page[p0 + i]; j++)
			;
		if(movepiece(m, p0 + i, q0 + i, j - i) < 0){
			/* cannot happen short of host memory: what moved stays at to */
			memunlock(m);
			vx_seterr(vx, "move: mmap: %s", strerror(errno));
			return -1;
		}
		edgeset(m, q0 + i);
		edgeset(m, q0 + j);
	}
	memcpy(m->page + q0, m->page + p0, np);
	for(i = 0; i < np; i++)
		m->page[q0 + i] &= ~PG_VOLATILE;
	/* to's charge is from's; from's goes with its pages */
	was = chargedin(m, q0, np);
	setcharged(m, q0, np, 0);
	for(i = 0; i < np; i++)
		if(m->charged[(p0 + i) >> 3] >> ((p0 + i) & 7) & 1)
			setcharged(m, q0 + i, 1, 1);
	setcharged(m, p0, np, 0);
	acctcharge(m, VX_ACCT_PAGES, -was);
	filesmove(m, from, len, to);
	/* from as vx_unmap leaves it: the old pages the host left there go */
	mmap(m->base + from, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	mapped(m, p0, np, 1);
	memset(m->page + p0, 0, np);
	reprotect(m, q0, np);	/* former code pages writable again */
	memunlock(m);
	return 0;
}

/* Private (not shared) pages in [p0, p0+np), and of them the charged. */
static uint32_t
privatepages(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t i, n = 0;

	for(i = 0; i < np; i++)
		n += !(m->page[p0 + i] & PG_SHARED);
	return n;
}

static uint32_t
chargedprivate(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t i, n = 0;

	for(i = 0; i < np; i++)
		n += !(m->page[p0 + i] & PG_SHARED) && (m->charged[(p0 + i) >> 3] >> ((p0 + i) & 7) & 1);
	return n;
}

/* The host protection of pages [p0, p0+np) as their flags say, a run of
 * like pages at a time.  m->lock held. */
static void
reprotect(VxMem *m, uint32_t p0, uint32_t np)
{
	uint32_t i, j;

	for(i = 0; i < np; i = j){
		for(j = i + 1; j < np && hostprot(m->page[p0 + j]) == hostprot(m->page[p0 + i]); j++)
			;
		mprotect(m->base + ((size_t)(p0 + i) << VX_PAGESHIFT), (size_t)(j - i) << VX_PAGESHIFT,
			hostprot(m->page[p0 + i]));
		mapped(m, p0 + i, j - i, 0);
	}
}

int
vx_protect(Vx *vx, uint32_t addr, uint32_t len, int prot)
{
	VxMem *m = vx->mem;
	uint32_t i, np, p0, need;

	len = pagelen(len);
	if(checkrange(vx, addr, len) < 0)
		return -1;
	np = len >> VX_PAGESHIFT;
	p0 = addr >> VX_PAGESHIFT;
	memlock(m);
	if((i = firstunmapped(m, p0, np)) < np){
		memunlock(m);
		vx_seterr(vx, "protect: page 0x%x not mapped", (p0 + i) << VX_PAGESHIFT);
		errno = ENOMEM;
		return -1;
	}
	if(maproom(vx, p0, np, 0) < 0){
		memunlock(m);
		return -1;
	}
	/* private pages made writable are charged from now on */
	need = 0;
	if(prot & VX_PROT_WRITE)
		need = privatepages(m, p0, np) - chargedprivate(m, p0, np);
	if(need > 0 && acctcharge(m, VX_ACCT_PAGES, need) < 0){
		memunlock(m);
		vx_seterr(vx, "guest memory past its account's bound");
		errno = ENOMEM;
		return -1;
	}
	dropcode(vx, addr, len);
	unshadowrange(m, p0, np);
	mapped(m, p0, np, 0);	/* even failing, it may have split some */
	if(mprotect(m->base + addr, len, hostprot(PG_MAPPED | (prot & 7))) < 0){
		/* a shared mapping of a file open read-only cannot be made
		 * writable (EACCES): the pages keep their protection, which
		 * the host may have changed for the part before it */
		int e = errno;
		reprotect(m, p0, np);
		acctcharge(m, VX_ACCT_PAGES, -(int64_t)need);
		memunlock(m);
		vx_seterr(vx, "mprotect: %s", strerror(e));
		errno = e;
		return -1;
	}
	if(need > 0)
		for(i = 0; i < np; i++)
			if(!(m->page[p0 + i] & PG_SHARED))
				setcharged(m, p0 + i, 1, 1);
	for(i = 0; i < np; i++){
		uint8_t keep = m->page[p0 + i] & (PG_FILE | PG_SHARED);
		m->page[p0 + i] = PG_MAPPED | keep | (keep & PG_SHARED ? PG_VOLATILE : 0) | (prot & 7);
	}
	memunlock(m);
	return 0;
}

int
vx_pageprot(Vx *vx, uint32_t addr)
{
	uint8_t pg;

	if(addr >= vx->mem->size)
		return -1;
	pg = vx->mem->page[addr >> VX_PAGESHIFT];
	if(!(pg & PG_MAPPED))
		return -1;
	return pg & 7;
}

/* The guest memory resident in the host, bytes (a page of a file
 * mapping counts while the host's page cache holds it, as mincore
 * says): vx_memuse's count, which looks only at the blocks host calls
 * touched.  A whole page array's walk cost an empty program's start and
 * exit 8% of their time (4 GiB is a million pages). */
uint64_t
vx_resident(Vx *vx)
{
	VxMemUse u[2];

	vx_memuse(vx, 0, u);
	return u[0].resident + u[1].resident;
}

/* May the 64 pages from p (a multiple of 64) be mapped?  Not unless
 * a host call touched them: a guest's 4 GiB is a million pages, mostly
 * never mapped, and /proc/PID/stat asks for every process (ps). */
static int
blockused(VxMem *m, uint64_t p)
{
	uint64_t b = p >> 6;

	return (__atomic_load_n(&m->blocks[b >> 6], __ATOMIC_RELAXED) >> (b & 63)) & 1;
}

/*
 * A private read-only page of a file mapping is resident (mincore)
 * exactly when the file's page is in the host's page cache: the guest
 * cannot have written it (a copy made through /proc/self/mem, vx_poke,
 * is of a page the cache holds).  mincore finds that out page by page,
 * a lookup in the page cache for every page the process never touched:
 * libc's 2.2 MB, mostly untouched, took 38 µs of each look, which a
 * spawned program pays twice (its execve's and its exit's, usagerss),
 * 10% of a spawn of /bin/true.  cachestat(2) (Linux 6.5) counts a
 * file range's cached pages in one walk of the cache: 3 µs.  Both keep
 * the page cache of a file the caller could not write to themselves:
 * mincore then says every page is resident, cachestat refuses (EPERM),
 * and mincore's answer is taken, as before.
 */
static int
filecacheable(uint8_t pg)
{
	return (pg & (PG_FILE | PG_SHARED | PG_W)) == PG_FILE;
}

#ifndef __NR_cachestat
#define __NR_cachestat 451	/* x86-64, as every architecture since 6.5 */
#endif

typedef struct Cacherange {
	uint64_t off, len;
} Cacherange;

typedef struct Cachestat {
	uint64_t cache, dirty, writeback, evicted, recentevicted;
} Cachestat;

static atomic_int nocachestat;	/* the host kernel lacks it: mincore alone */

/* The cached pages of the n pages of private read-only file mappings
 * at page p, by cachestat on the mappings' descriptors; -1 where a page
 * has no FileMap or the call fails (mincore then).  m->lock held. */
static int64_t
filecached(VxMem *m, uint64_t p, uint64_t n)
{
	uint64_t a = p << VX_PAGESHIFT, e = (p + n) << VX_PAGESHIFT, l;	/* e may be 4 GiB */
	int64_t got = 0;
	Cacherange r;
	Cachestat cs;
	FileMap *f;

	if(atomic_load(&nocachestat))
		return -1;
	while(a < e){
		f = fmapfind(m, (uint32_t)a);
		if(f == NULL || f->shared)
			return -1;
		l = (uint64_t)f->addr + f->len - a;
		if(l > e - a)
			l = e - a;
		r = (Cacherange){ f->off + (a - f->addr), l };
		if(syscall(__NR_cachestat, f->fd, &r, &cs, 0) < 0){
			if(errno == ENOSYS)
				atomic_store(&nocachestat, 1);
			return -1;
		}
		got += cs.cache;
		a += l;
	}
	return got;
}

/* The page arrays are read without m->lock, as vx_pageprot and
 * vxmem_codefull read them; the window stays host memory whatever a
 * thread maps meanwhile (unmapped pages are PROT_NONE), so mincore
 * never fails on a run of it.  The file mappings (filecached) need
 * m->lock, only tried: a fork holds it while it copies, and procfs
 * calls with glk held; without it every run is mincore's. */
void
vx_memuse(Vx *vx, uint32_t split, VxMemUse u[2])
{
	enum { CHUNK = 4096 };
	unsigned char res[CHUNK];
	uint8_t kind[CHUNK], pg;
	VxMem *m = vx->mem;
	uint64_t p, e, s, n, k, c[2][5];
	int64_t cached;
	int h, fc, locked;

	memset(c, 0, sizeof c);
	locked = memtrylock(m);
	e = m->size >> VX_PAGESHIFT;
	s = ((uint64_t)split + VX_PAGE - 1) >> VX_PAGESHIFT;
	for(p = 0; p < e; p += n){
		if((p & 4095) == 0 && __atomic_load_n(&m->blocks[p >> 12], __ATOMIC_RELAXED) == 0){
			n = 4096;	/* 64 blocks none of which was touched */
			continue;
		}
		if((p & 63) == 0 && !blockused(m, p)){
			n = 64;
			continue;
		}
		/* a run of mapped pages on one side of split, at most CHUNK,
		 * all private read-only file pages (filecached) or none */
		h = p >= s;
		fc = locked && filecacheable(__atomic_load_n(&m->page[p], __ATOMIC_RELAXED));
		for(n = 0; p + n < e && n < CHUNK && (p + n >= s) == h; n++){
			pg = __atomic_load_n(&m->page[p + n], __ATOMIC_RELAXED);
			if(!(pg & PG_MAPPED) || (locked && filecacheable(pg) != fc))
				break;
			kind[n] = pg;
			c[h][1] += (pg & (PG_W | PG_SHARED)) == PG_W;
			c[h][2] += (pg & PG_X) != 0;
		}
		if(n == 0){
			n = 1;
			continue;
		}
		c[h][0] += n;
		if(fc && (cached = filecached(m, p, n)) >= 0){
			if((uint64_t)cached > n)
				cached = (int64_t)n;	/* never more than the run */
			c[h][3] += (uint64_t)cached;
			c[h][4] += (uint64_t)cached;
			continue;
		}
		if(mincore(m->base + (p << VX_PAGESHIFT), n << VX_PAGESHIFT, res) < 0)
			continue;
		for(k = 0; k < n; k++)
			if(res[k] & 1){
				c[h][3]++;
				c[h][4] += (kind[k] & (PG_FILE | PG_SHARED)) != 0;
			}
	}
	if(locked)
		memunlock(m);
	for(h = 0; h < 2; h++)
		u[h] = (VxMemUse){ c[h][0] << VX_PAGESHIFT, c[h][1] << VX_PAGESHIFT, c[h][2] << VX_PAGESHIFT,
			c[h][3] << VX_PAGESHIFT, c[h][4] << VX_PAGESHIFT };
}

int
vx_pageshared(Vx *vx, uint32_t addr)
{
	if(addr >= vx->mem->size)
		return 0;
	return (vx->mem->page[addr >> VX_PAGESHIFT] & (PG_MAPPED | PG_SHARED)) == (PG_MAPPED | PG_SHARED);
}

int
vx_memkey(Vx *vx, uint32_t addr, uint64_t key[3])
{
	VxMem *m = vx->mem;
	FileMap *f;

	if(addr >= m->size)
		return -1;
	if(vx_pageshared(vx, addr)){
		memlock(m);
		f = fmapfind(m, addr & ~(uint32_t)(VX_PAGE - 1));
		if(f != NULL && f->shared){
			/* exact: two files' words never share a key, or a
			 * wake meant for one could be spent on the other */
			key[0] = f->dev;
			key[1] = f->ino;
			key[2] = f->off + (addr - f->addr);
			memunlock(m);
			return 0;
		}
		memunlock(m);
	}
	key[0] = (uintptr_t)(m->base + addr);
	key[1] = 0;
	key[2] = ~0ull;	/* private: a file offset is never this */
	return 0;
}

void *
vx_access(Vx *vx, uint32_t addr, uint32_t len, int prot)
{
	VxMem *m = vx->mem;
	uint32_t p, last;
	int code = 0;

	if(addr > m->size || len > m->size - addr){
		vx_seterr(vx, "bad address");
		return NULL;
	}
	if(len == 0)
		return m->base + addr;
	last = (addr + len - 1) >> VX_PAGESHIFT;
	for(p = addr >> VX_PAGESHIFT; p <= last; p++){
		uint8_t pg = m->page[p];
		if(!(pg & PG_MAPPED) || (pg & prot & 7) != (prot & 7)){
			vx_seterr(vx, "bad address");
			return NULL;
		}
		if(pg & PG_CODE)
			code = 1;
	}
	if(code && (prot & VX_PROT_WRITE)){
		memlock(m);
		for(p = addr >> VX_PAGESHIFT; p <= last; p++)
			if(m->page[p] & PG_CODE)
				vxmem_unprotect(vx, p);
		memunlock(m);
	}
	return m->base + addr;
}

/* PG_MAPPED in each byte of a word of page flags */
#define MAPPEDBYTES	(0x0101010101010101ull * PG_MAPPED)

uint32_t
vx_findfree(Vx *vx, uint32_t len, uint32_t below)
{
	VxMem *m = vx->mem;
	uint32_t np, run = 0, p;

	len = pagelen(len);
	if(len == 0 || len > m->size)
		return 0;
	np = len >> VX_PAGESHIFT;
	if(below == 0 || below > m->size)
		below = m->size > 0xfffff000u ? 0xfffff000u : (uint32_t)m->size;
	for(p = below >> VX_PAGESHIFT; p-- > 1; ){	/* never page 0 */
		/* eight pages at a time where all are mapped, or none is
		 * and the run does not end among them: a mmap below 128
		 * MiB of mappings scanned 32,768 flags one by one, 12 µs
		 * of its 26 (doc/translator.md) */
		if((p & 7) == 7 && p > 8){
			uint64_t w;

			memcpy(&w, m->page + p - 7, 8);
			w &= MAPPEDBYTES;
			if(w == MAPPEDBYTES || (w == 0 && run + 8 < np)){
				run = w == 0 ? run + 8 : 0;
				p -= 7;
				continue;
			}
		}
		if(m->page[p] & PG_MAPPED)
			run = 0;
		else if(++run == np)
			return p << VX_PAGESHIFT;
	}
	return 0;
}

/* Is guest address a, on a page mapped from a file and not yet
 * translated, past the file's end (a fetch there is SIGBUS)?  One byte
 * read by vx_guardcopy: an unguarded read by the translator made
 * vxmem_hostfault turn the guest's page into zeros, which the guest
 * then ran (tests/guest_split.c, pasteof).  A translated page was read
 * whole already. */
static int
codepasteof(VxMem *m, uint8_t pg, uint32_t a)
{
	uint8_t b;

	return (pg & (PG_FILE | PG_SHARED)) && !(pg & PG_CODE) && vx_guardcopy(&b, m->base + a, 1) != 1;
}

/* How many bytes from addr on the guest may execute (at most 16);
 * probe: whether a file's page past its end counts (in a signal
 * handler, where the probe's own fault could be a blocked signal, it
 * does: the caller's copy must then be one that cannot fault). */
static uint32_t
codebytes(Vx *vx, uint32_t addr, int probe)
{
	VxMem *m = vx->mem;
	uint32_t n = 0;

	while(n < 16 && addr + n < m->size && addr + n >= addr){
		uint8_t pg = m->page[(addr + n) >> VX_PAGESHIFT];
		if((pg & (PG_MAPPED | PG_X)) != (PG_MAPPED | PG_X))
			break;
		if(probe && (pg & PG_FILE) && !(pg & (PG_CODE | PG_SHARED)))
			vx_tcfaultin(vx, (addr + n) >> VX_PAGESHIFT);	/* a prefetch */
		if(probe && codepasteof(m, pg, addr + n))
			break;
		n += VX_PAGE - ((addr + n) & (VX_PAGE - 1));
	}
	return n > 16 ? 16 : n;
}

uint32_t
vxmem_codebytes(Vx *vx, uint32_t addr)
{
	return codebytes(vx, addr, 1);
}

/* vxmem_codebytes for a signal handler (amd64/sig.c, which copies them
 * by process_vm_readv). */
uint32_t
vxmem_sigcodebytes(Vx *vx, uint32_t addr)
{
	return codebytes(vx, addr, 0);
}

/* codepasteof for the page holding guest address a (tcache.c's check
 * of a cached fragment's bytes, which reads them). */
int
vxmem_codepasteof(Vx *vx, uint32_t a)
{
	VxMem *m = vx->mem;

	return a < m->size && codepasteof(m, m->page[a >> VX_PAGESHIFT], a);
}

/* The trap of a fetch at addr, where vxmem_codebytes stopped: a file's
 * page past its end is SIGBUS, as Linux's, anything else a page fault. */
int
vxmem_fetchtrap(Vx *vx, uint32_t addr)
{
	VxMem *m = vx->mem;
	uint8_t pg;

	if(addr >= m->size)
		return VX_TRAP_PAGEFAULT;
	pg = m->page[addr >> VX_PAGESHIFT];
	if((pg & (PG_MAPPED | PG_X)) == (PG_MAPPED | PG_X) && codepasteof(m, pg, addr))
		return VX_TRAP_BUSERR;
	return VX_TRAP_PAGEFAULT;
}

/* Translations now exist for guest bytes [lo, hi): write-protect them. */
void
vxmem_markcode(Vx *vx, uint32_t lo, uint32_t hi)
{
	VxMem *m = vx->mem;
	uint32_t p;

	if(hi <= lo)
		return;
	/* usually marked already: then no lock (a mark cleared meanwhile
	 * bumps smcgen, as it would after the locked loop) */
	for(p = lo >> VX_PAGESHIFT; p <= (hi - 1) >> VX_PAGESHIFT; p++)
		if(!(__atomic_load_n(&m->page[p], __ATOMIC_RELAXED) & (PG_CODE | PG_VOLATILE)))
			break;
	if(p > (hi - 1) >> VX_PAGESHIFT)
		return;
	memlock(m);
	for(p = lo >> VX_PAGESHIFT; p <= (hi - 1) >> VX_PAGESHIFT; p++){
		uint8_t pg = m->page[p];
		if(pg & (PG_CODE | PG_VOLATILE))
			continue;	/* volatile pages stay writable */
		m->page[p] = pg | PG_CODE;
		if(pg & PG_W){
			mprotect(m->base + ((size_t)p << VX_PAGESHIFT), VX_PAGE, hostprot(pg | PG_CODE));
			mapped(m, p, 1, 0);
		}
	}
	memunlock(m);
}

/* Called with m->lock held: make a code page writable, dropping its translations. */
void
vxmem_unprotect(Vx *vx, uint32_t p)
{
	VxMem *m = vx->mem;

	m->page[p] &= ~PG_CODE;
	mprotect(m->base + ((size_t)p << VX_PAGESHIFT), VX_PAGE, hostprot(m->page[p]));
	mapped(m, p, 1, 0);
	vx_invalidate(vx, p << VX_PAGESHIFT, (p + 1) << VX_PAGESHIFT);
	atomic_fetch_add(&m->smcgen, 1);
	vx->smcmine++;
	vx->stats.smc++;
}

/* A guest write hit a write-protected code page: is that ours to fix?
 * Runs in the signal handler.  The lock is tried, as vxmem_hostfault
 * does (the guest thread that faulted cannot hold it): without it, a
 * page another thread's mprotect made read-only between the look and
 * the unprotect was opened with the flags the look saw.  Held
 * elsewhere: 1, and the write faults again once it is free. */
int
vxmem_smcfault(Vx *vx, uint32_t addr)
{
	VxMem *m = vx->mem;
	uint32_t p = addr >> VX_PAGESHIFT;
	uint8_t pg;

	if(addr >= m->size)
		return 0;
	if(!memtrylock(m)){
		sched_yield();
		return 1;
	}
	pg = m->page[p];
	if((pg & (PG_MAPPED | PG_W | PG_CODE)) != (PG_MAPPED | PG_W | PG_CODE)){
		memunlock(m);
		return 0;
	}
	vxmem_unprotect(vx, p);
	if(m->smcfaults[p] < 255 && ++m->smcfaults[p] >= SMCVOLATILE)
		m->page[p] |= PG_VOLATILE;	/* stop protecting it: check instead */
	memunlock(m);
	return 1;
}

/*
 * A host access faulted SIGBUS at page p, past a shrunk file's end, with
 * the host areas at their cap: the page and those after it in its host
 * area (at most BUSRUN) become one anonymous area of zeros.  One page at
 * a time, a guest making the host touch every other page of a truncated
 * mapping (gettimeofday into each) cut the host's areas past
 * vm.max_map_count: the next page's mmap failed, and the host died of
 * the SIGBUS.  The pages after p in one area are past the end too (the
 * file's offsets grow with the address) and hold nothing: a truncation
 * takes a private mapping's written pages there as well.  Signal handler
 * context: system calls only.
 */
static int
busrun(VxMem *m, uint32_t p)
{
	enum { BUSRUN = 1024 };
	uint8_t pg = m->page[p];
	uint32_t e, top = (uint32_t)(m->size >> VX_PAGESHIFT);

	for(e = p + 1; e < top && e < p + BUSRUN && m->page[e] == pg && !edgeis(m, e); e++)
		;
	if(pg & PG_CODE)
		atomic_fetch_add(&m->smcgen, 1);
	pg &= ~(PG_FILE | PG_SHARED | PG_CODE);
	if(mmap(m->base + ((size_t)p << VX_PAGESHIFT), (size_t)(e - p) << VX_PAGESHIFT, hostprot(pg),
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -1;
	memset(m->page + p, pg, e - p);
	mapped(m, p, e - p, 1);
	return 0;
}

/*
 * vx_guardcopy: a copy whose faults on guest memory the guest itself
 * refuses end it.  The copy goes a page of each side at a time, so a
 * page that faults moves none of its piece: the count is exact.  The
 * signal handler (vxmem_copyfault) jumps back here instead of making
 * the page accessible as vxmem_hostfault would; faults the guest's own
 * protection allows (a translated code page's write protection) are
 * mended as ever and the copy goes on.
 */
static _Thread_local sigjmp_buf *volatile copyjmp;	/* volatile: the compiler
	knows memcpy does not read it, and dropped the store before it */

size_t
vx_guardcopy(void *dst, const void *src, size_t n)
{
	sigjmp_buf jb;
	volatile size_t done;
	size_t k, kd, ks;

	done = 0;
	if(sigsetjmp(jb, 0) != 0){
		copyjmp = NULL;
		return done;
	}
	copyjmp = &jb;
	while(done < n){
		k = n - done;
		kd = VX_PAGE - (((uintptr_t)dst + done) & (VX_PAGE - 1));
		ks = VX_PAGE - (((uintptr_t)src + done) & (VX_PAGE - 1));
		if(k > kd)
			k = kd;
		if(k > ks)
			k = ks;
		memcpy((char *)dst + done, (const char *)src + done, k);
		done += k;
	}
	copyjmp = NULL;
	return done;
}

/* The memory and page of host address addr, when it is guest memory */
static VxMem *
guestpage(uintptr_t addr, uint32_t *p)
{
	int i;

	for(i = 0; i < MAXMEMS; i++){
		VxMem *m = atomic_load(&memreg[i]);
		if(m == NULL || addr < (uintptr_t)m->base || addr >= (uintptr_t)m->base + m->size)
			continue;
		*p = (uint32_t)((addr - (uintptr_t)m->base) >> VX_PAGESHIFT);
		return m;
	}
	return NULL;
}

/* Back to this thread's vx_guardcopy, if one runs, with the mask as it
 * was before the signal: its copy ends at the fault.  Signal handler
 * context. */
static void
copyback(const sigset_t *mask)
{
	sigjmp_buf *jb;

	if((jb = copyjmp) == NULL)
		return;
	copyjmp = NULL;
	pthread_sigmask(SIG_SETMASK, mask, NULL);
	siglongjmp(*jb, 1);
}

/* A host fault at addr during vx_guardcopy on this thread, on a guest
 * page the guest may not access so (unmapped, protected, or a file's
 * page past its end): back to the copy with the mask as it was before
 * the signal.  Returns only when it is not such a fault.  Signal
 * handler context. */
void
vxmem_copyfault(uintptr_t addr, int write, int bus, const sigset_t *mask)
{
	VxMem *m;
	uint32_t p;
	uint8_t pg;

	if(copyjmp == NULL || (m = guestpage(addr, &p)) == NULL)
		return;
	pg = m->page[p];
	if(!bus && (pg & PG_MAPPED) && (pg & (write ? PG_W : PG_R | PG_X)))
		return;		/* the guest may: vxmem_hostfault mends it */
	copyback(mask);
}

/* Note page p as opened by vxmem_hostfault.  Signal handler context. */
static void
reopened(VxMem *m, uint32_t p)
{
	unsigned want;
	int i;

	for(i = 0; i < VXOPENED; i++){
		want = 0;
		if(atomic_load(&m->opened[i]) == p + 1 || atomic_compare_exchange_strong(&m->opened[i], &want, p + 1))
			break;
	}
	if(i == VXOPENED)
		atomic_store(&m->openmany, 1);
	atomic_store(&m->nopened, 1);
}

/* The file's page again at page p of a shared mapping, where
 * vxmem_hostfault put a scratch page (m->shadow): the host's write went
 * there, never to the file.  m->lock held. */
static void
unshadow(VxMem *m, uint32_t p)
{
	uint32_t a = p << VX_PAGESHIFT;
	FileMap *f;

	if((uint64_t)a >= m->size || !(m->page[p] & PG_SHARED) || (f = fmapfind(m, a)) == NULL || !f->shared)
		return;	/* unmapped or mapped again since: the scratch page went with it */
	if(mmap(m->base + a, VX_PAGE, hostprot(m->page[p]), MAP_SHARED | MAP_FIXED, f->fd,
		(off_t)(f->off + (a - f->addr))) != MAP_FAILED)
		mapped(m, p, 1, 0);
}

/* The shadowed pages of [p0, p0+np) their file again now, not at the
 * next vx_run: an mprotect must find the file's page (a private copy
 * took PROT_WRITE where the file open read-only refuses it, EACCES,
 * and unshadow then could not map the file writable: the page stayed
 * the copy for good).  A host write still going on there faults again
 * and shadows it again.  m->lock held. */
static void
unshadowrange(VxMem *m, uint32_t p0, uint32_t np)
{
	int i, k;

	for(i = k = 0; i < m->nshadow; i++){
		if(m->shadow[i] - p0 < np)
			unshadow(m, m->shadow[i]);
		else
			m->shadow[k++] = m->shadow[i];
	}
	m->nshadow = k;
}

/* Give the pages vxmem_hostfault opened the guest's protection again
 * (vx_run's, before guest code runs), and a shared file's pages it
 * covered their file again.  A host access still going on elsewhere
 * faults again and reopens its page. */
void
vxmem_reclose(VxMem *m)
{
	unsigned v;
	int i;

	if(!atomic_load_explicit(&m->nopened, memory_order_relaxed))
		return;
	memlock(m);
	atomic_store(&m->nopened, 0);
	unshadowrange(m, 0, (uint32_t)(m->size >> VX_PAGESHIFT));
	for(i = 0; i < VXOPENED; i++)
		if((v = atomic_exchange(&m->opened[i], 0)) != 0 && (uint64_t)v << VX_PAGESHIFT <= m->size)
			reprotect(m, v - 1, 1);
	if(atomic_exchange(&m->openmany, 0))
		reprotect(m, 0, (uint32_t)(m->size >> VX_PAGESHIFT));
	memunlock(m);
}

/* vxmem_hostfault with the page flags steady: m->lock held, by this
 * thread's handler or by the code the fault interrupted (held). */
static int
hostfaultlocked(VxMem *m, uint32_t p, int write, int bus, const sigset_t *mask, int held)
{
	FileMap *f;
	uint8_t *pg;

	pg = (uint8_t *)m->base + ((size_t)p << VX_PAGESHIFT);
	if(bus && (m->page[p] & PG_MAPPED) && atomic_load(&nhostmaps) + 2 > hostmapcap())
		return busrun(m, p) == 0;
	mapped(m, p, 1, 0);
	if(bus && (m->page[p] & PG_MAPPED)){
		/* a file mapping's page past the file's end (the file
		 * shrank): no protection change can make it readable, so
		 * it becomes a zero page rather than fault forever */
		if(m->page[p] & PG_CODE)
			atomic_fetch_add(&m->smcgen, 1);
		m->page[p] &= ~(PG_FILE | PG_SHARED | PG_CODE);
		return mmap(pg, VX_PAGE, hostprot(m->page[p]), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED;
	}
	if((m->page[p] & (PG_MAPPED | PG_CODE)) == (PG_MAPPED | PG_CODE) && (m->page[p] & PG_W)){
		/* translated code written by the host: stale translations are
		 * caught by the other threads' next exit (smcgen) */
		m->page[p] &= ~PG_CODE;
		atomic_fetch_add(&m->smcgen, 1);
		return mprotect(pg, VX_PAGE, PROT_READ | PROT_WRITE) == 0;
	}
	/* from here the page is opened past what the guest allows
	 * (it changed the page after the host's access was checked):
	 * the host access goes on, and the next vx_run of the memory
	 * gives the page back the guest's protection (vxmem_reclose),
	 * so the guest itself never writes its read-only page or
	 * touches one it unmapped */
	/* ... except for a vx_guardcopy, whose copy ends here: the
	 * guest changed the page since vxmem_copyfault looked (it was
	 * mid-munmap or mprotect), and a scratch page opened for the
	 * copy took bytes the copy then counted as delivered (a pipe's
	 * read lost them, tests/guest_pipefault.c piperace) */
	if(copyjmp != NULL){
		if(!held)
			memunlock(m);
		copyback(mask);
	}
	if(write && (m->page[p] & PG_CODE))
		atomic_fetch_add(&m->smcgen, 1);	/* its translations may be stale */
	if((m->page[p] & PG_MAPPED) && mprotect(pg, VX_PAGE, write ? PROT_READ | PROT_WRITE : PROT_READ) == 0){
		reopened(m, p);
		return 1;
	}
	/* unmapped, or a shared mapping of a file open read-only (no
	 * mprotect makes it writable): a scratch page.  Unmapped, its
	 * flags say so (no fork copies it, the next mapping replaces
	 * it).  A file's page stays the file's for the guest: the
	 * scratch page is a private copy of it (the guest's other
	 * threads read the file's bytes meanwhile, not zeros) and the
	 * next vx_run maps the file's again (unshadow), so the write
	 * never reaches the file, as Linux's copy that faults there, and
	 * the guest does not keep an anonymous page where it mapped the
	 * file.  Past VXOPENED such pages it leaves the file as before. */
	f = NULL;
	if((m->page[p] & PG_SHARED) && m->nshadow < VXOPENED)
		f = fmapfind(m, p << VX_PAGESHIFT);
	if(f != NULL){
		if(mmap(pg, VX_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, f->fd,
			(off_t)(f->off + ((p << VX_PAGESHIFT) - f->addr))) == MAP_FAILED)
			return 0;
		m->shadow[m->nshadow++] = p;
	}else{
		m->page[p] &= ~(PG_FILE | PG_SHARED);
		if(mmap(pg, VX_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			return 0;
	}
	/* noted once open: noted before, a vx_run's vxmem_reclose
	 * between the note and the open left the page open for good */
	reopened(m, p);
	return 1;
}

/* Host code faulted at addr.  When that is a guest page, it is a host
 * access that raced with a guest thread changing its memory after the
 * access was checked (or with code-page write protection): make the page
 * accessible so the host goes on, instead of crashing.  A page the guest
 * had unmapped or protected becomes a scratch page — its contents are
 * lost or replaced by the next mapping, the same as what a racing guest
 * could expect.
 *
 * Signal handler context.  The decision and the change it makes are
 * taken under the memory's lock, so that no other thread's mmap, munmap
 * or mprotect lands between the look at the page's flags and the change
 * (the scratch page for a page the guest unmapped was mapped over the
 * file the guest had mapped there meanwhile, and the flags' updates of
 * the two were torn).  The lock is only tried: a thread holding it
 * elsewhere is changing the memory and lets go without waiting for
 * this one, so the handler returns and the host access faults again (or
 * not: the change may have mapped the page) until it can take it.  The
 * fault is synchronous, on a host copy, never inside the lock's own
 * code, so trying the lock here is safe; a fault in code that holds the
 * lock itself (VxMem.owner says) goes on under that hold. */
int
vxmem_hostfault(uintptr_t addr, int write, int bus, const sigset_t *mask)
{
	VxMem *m;
	uint32_t p;
	int held, r;

	if((m = guestpage(addr, &p)) == NULL)
		return 0;
	held = atomic_load_explicit(&m->owner, memory_order_relaxed) == &selfmark;
	if(!held && !memtrylock(m)){
		sched_yield();
		return 1;	/* again, once the change is made */
	}
	r = hostfaultlocked(m, p, write, bus, mask, held);
	if(!held)
		memunlock(m);
	return r;
}
