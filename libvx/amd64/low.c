/*
 * low.c — the host's low 4 GB.  What 32-bit code or a segment base must
 * reach lies there: a compat guest's memory (its LDT data segment has a
 * 32-bit base), the code caches (compat runs them through the flat
 * 32-bit code selector, long fragments hold 32-bit addresses of them),
 * the state blocks (compatibility mode takes only the low half of the
 * %fs base; long fragments address them in 32 bits) and compat's stubs.
 * Every sandbox of the host process shares it.
 *
 * Placement.  Compat windows are big (-m, 256 MiB by default), the rest
 * small (a code cache's reservation, a state block's 2 MiB or 260 KiB).
 * Each goes into the free gap that fits it most tightly (best fit), a
 * window at the gap's top, anything else at its bottom; anything but a
 * window first looks only at gaps that are not just above a window.  A
 * window freed so leaves a hole the next window fits, instead of one a
 * code cache cuts in two, and the small things fill the holes their
 * like left, the bottom and the room around the host's own areas there
 * (a static host program and its break, which Linux puts anywhere in
 * the first GiB above it).  Until session 21 one next-fit search in
 * 16 MiB steps served all, and a -m 448 shell with four background
 * processes failed most execs with room for eight such guests
 * (doc/translator.md, "The low 4 GB").
 *
 * The search is over a table, sorted by address, of what this file has
 * mapped (exactly: everything it maps is unmapped through vx_lowfree)
 * and of the host's other areas met on the way: an mmap with
 * MAP_FIXED_NOREPLACE that finds one (EEXIST) asks the kernel what is
 * there (PROCMAP_QUERY, Linux 6.11) and records it, or without that
 * records a VX_HUGE piece of the place tried and tries the next.  When
 * nothing fits, the code caches give back their unclaimed tails
 * (vx_trimcaches), the host's areas are forgotten (some may be gone) and
 * the search runs once more.  lowlk guards the table.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "../vxpriv.h"

enum {
	LOWMIN = 0x100000,	/* well above any mmap_min_addr, and NULL */
	LOWTAB0 = 64,
};
#define LOWTOP	0xfffff000u	/* the last page: a 32-bit end would wrap */

enum { LOWHOST, LOWSMALL, LOWWINDOW };	/* Low.kind: a host area met, or mapped here */

typedef struct Low {
	uint32_t lo, hi;
	int kind;
} Low;

static pthread_mutex_t lowlk = PTHREAD_MUTEX_INITIALIZER;
static Low *lows;
static int nlow, alow;

/* Held across a host fork (vx.c, forkhold): the child gets the table
 * with the areas it describes. */
void
vx_lowforkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&lowlk);
	else
		pthread_mutex_unlock(&lowlk);
}

/* The first entry that ends past a (nlow if none). */
static int
lowat(uint64_t a)
{
	int l = 0, h = nlow, m;

	while(l < h){
		m = (l + h) / 2;
		if(lows[m].hi <= a)
			l = m + 1;
		else
			h = m;
	}
	return l;
}

/* Room in the table for n more entries; -1 without memory. */
static int
lowroom(int n)
{
	Low *t;
	int a;

	if(nlow + n <= alow)
		return 0;
	for(a = alow ? 2 * alow : LOWTAB0; a < nlow + n; a *= 2)
		;
	t = realloc(lows, (size_t)a * sizeof *t);
	if(t == NULL)
		return -1;
	lows = t;
	alow = a;
	return 0;
}

/* Enter [lo, hi), which no entry overlaps; the room is made. */
static void
lowput(uint32_t lo, uint32_t hi, int kind)
{
	int i = lowat(lo);

	memmove(&lows[i + 1], &lows[i], (size_t)(nlow - i) * sizeof *lows);
	lows[i] = (Low){ lo, hi, kind };
	nlow++;
}

/* [lo, hi) of this file's areas is unmapped.  An entry that cannot be
 * split for want of memory stays whole: a little room lost, never an
 * area handed out twice. */
static void
lowcut(uint32_t lo, uint32_t hi)
{
	Low *e;
	int i;

	for(i = lowat(lo); i < nlow && lows[i].lo < hi; ){
		e = &lows[i];
		if(e->kind == LOWHOST){
			i++;
			continue;
		}
		if(e->lo < lo && e->hi > hi){
			if(lowroom(1) < 0)
				return;
			memmove(&lows[i + 1], &lows[i], (size_t)(nlow - i) * sizeof *lows);
			nlow++;
			lows[i].hi = lo;
			lows[i + 1].lo = hi;
			return;
		}
		if(e->lo < lo){
			e->hi = lo;
			i++;
		}else if(e->hi > hi){
			e->lo = hi;
			return;
		}else{
			memmove(&lows[i], &lows[i + 1], (size_t)(nlow - i - 1) * sizeof *lows);
			nlow--;
		}
	}
}

/* The host's areas in [lo, hi) that the table lacks: entered as host
 * areas.  How many entries that made, or -1 without memory. */
static int
lowforeign(uint64_t lo, uint64_t hi)
{
	uint64_t end;
	int i, n = 0;

	if(lo < LOWMIN)
		lo = LOWMIN;
	if(hi > LOWTOP)
		hi = LOWTOP;
	while(lo < hi){
		i = lowat(lo);
		if(i < nlow && lows[i].lo <= lo){
			lo = lows[i].hi;
			continue;
		}
		end = i < nlow && lows[i].lo < hi ? lows[i].lo : hi;
		if(lowroom(1) < 0)
			return -1;
		lowput((uint32_t)lo, (uint32_t)end, LOWHOST);
		n++;
		lo = end;
	}
	return n;
}

/* Forget the host's areas: some may be gone. */
static void
lowforget(void)
{
	int i, j;

	for(i = j = 0; i < nlow; i++)
		if(lows[i].kind != LOWHOST)
			lows[j++] = lows[i];
	nlow = j;
}

/* Where size bytes at an align boundary go: in the gap that fits them
 * most tightly, a window (win) at its top, the rest at its bottom; of
 * gaps alike the highest for a window, else the lowest.  The rest
 * looks at gaps just above a window only if nothing else fits.  0 if
 * nothing fits. */
static uint32_t
lowfit(uint32_t size, uint32_t align, int win)
{
	uint64_t lo, hi, a, len, best = 0, bestlen = ~0ull, mask = ~(uint64_t)(align - 1);
	int i, pass, afterwin;

	for(pass = win; pass < 2 && best == 0; pass++){
		lo = LOWMIN;
		afterwin = 0;
		for(i = 0; i <= nlow; i++){
			hi = i < nlow ? lows[i].lo : LOWTOP;
			len = hi > lo ? hi - lo : 0;
			if(len >= size && (pass > 0 || !afterwin)){
				a = win ? (hi - size) & mask : (lo + align - 1) & mask;
				if(a >= lo && a + size <= hi && (len < bestlen || (win && len == bestlen))){
					best = a;
					bestlen = len;
				}
			}
			if(i < nlow && lows[i].hi > lo){
				lo = lows[i].hi;
				afterwin = lows[i].kind == LOWWINDOW;
			}
		}
	}
	return (uint32_t)best;
}

/* An mmap of [a, a + size) met a host area the table lacks: enter what
 * the kernel says is there or, if it cannot say, a VX_HUGE piece at the
 * end lowfit placed it against (a window's top, else the bottom), so
 * that the next try is past it.  Each call enters something; -1 without
 * memory. */
static int
lowlearn(uint32_t a, uint32_t size, int win)
{
	uint64_t s, e, p = a, end = (uint64_t)a + size;
	uint32_t piece = size < VX_HUGE ? size : VX_HUGE;
	int n = 0, r;

	while(p < end && vx_hostarea(p, &s, &e) > 0 && s < end && e > p){
		if((r = lowforeign(s, e)) < 0)
			return -1;
		n += r;
		p = e;
	}
	if(n > 0)
		return 0;
	return win ? lowforeign(end - piece, end) : lowforeign(a, a + piece);
}

/* The host program's own image, from the linker's symbols (GNU ld
 * defines both): a static host's lies in the low 4 GB (0x400000), where
 * the first code cache would otherwise be tried, refused (EEXIST) and
 * the image learnt area by area from the kernel (an open of
 * /proc/self/maps and seven PROCMAP_QUERY calls at every start).
 * Entered once, before the first search; lowlk held. */
extern char __executable_start[] __attribute__((weak));
extern char _end[] __attribute__((weak));

static void
lowself(void)
{
	static int done;
	uint64_t lo, hi;

	if(done)
		return;
	done = 1;
	if(__executable_start == NULL || _end == NULL)
		return;
	lo = (uintptr_t)__executable_start & ~(uint64_t)(VX_PAGE - 1);
	hi = ((uintptr_t)_end + VX_PAGE - 1) & ~(uint64_t)(VX_PAGE - 1);
	if(lo < hi && hi <= LOWTOP && lowroom(1) == 0)
		lowforeign(lo, hi);
}

/* Map size bytes at an align boundary where lowfit says; lowlk held.
 * NULL and errno: ENOSPC when nothing fits, or the host's refusal. */
static void *
lowtake(uint32_t size, uint32_t align, int win, int prot, int pop)
{
	uint32_t a;
	void *p;

	lowself();
	for(;;){
		if(lowroom(1) < 0){
			errno = ENOMEM;
			return NULL;
		}
		a = lowfit(size, align, win);
		if(a == 0){
			errno = ENOSPC;
			return NULL;
		}
		p = mmap((void *)(uintptr_t)a, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE
			| (pop ? MAP_POPULATE : MAP_NORESERVE), -1, 0);
		if(p == (void *)(uintptr_t)a){
			lowput(a, a + size, win ? LOWWINDOW : LOWSMALL);
			return p;
		}
		if(p != MAP_FAILED)
			munmap(p, size);	/* a kernel before 4.17 took it as a hint */
		else if(errno != EEXIST)
			return NULL;
		if(lowlearn(a, size, win) < 0){
			errno = ENOMEM;
			return NULL;
		}
	}
}

/* Reserve size bytes below 4 GB. */
void *
vx_lowmap(uint32_t size, int prot, char *err)
{
	return vx_lowmap2(size, prot, 0, err);
}

/* populate (VX_LOWPOP): fault the first size bytes in now, in one system
 * call (a page fault is several µs on a virtual machine; this is on the
 * start-up path).  VX_LOWHUGE: at a VX_HUGE boundary, size rounded up to
 * a multiple of VX_HUGE (the caller unmaps vx_hugeround(size)),
 * transparent huge pages asked for.  VX_LOWWIN: a compat guest's memory,
 * placed as a window (lowfit) at a VX_HUGE boundary (its huge pages
 * line up with the guest's).  When nothing fits, the code caches give
 * back their unclaimed reservations (vx_trimcaches) and the search runs
 * once more, the host's areas met before forgotten. */
void *
vx_lowmap2(uint32_t size, int prot, int flags, char *err)
{
	uint32_t want = size, align = VX_PAGE;
	int pop = (flags & VX_LOWPOP) && !(flags & VX_LOWHUGE), win = (flags & VX_LOWWIN) != 0, i, e = ENOSPC;
	void *p = NULL;

	size = (uint32_t)(((uint64_t)size + VX_PAGE - 1) & ~(uint64_t)(VX_PAGE - 1));
	if(flags & VX_LOWHUGE)
		size = (uint32_t)vx_hugeround((uint64_t)size);
	if(flags & (VX_LOWHUGE | VX_LOWWIN))
		align = VX_HUGE;
	for(i = 0; i < 2 && p == NULL && (e == ENOSPC || e == ENOMEM) && size != 0 && size <= LOWTOP - LOWMIN; i++){
		if(i > 0)
			vx_trimcaches();
		pthread_mutex_lock(&lowlk);
		if(i > 0)
			lowforget();
		p = lowtake(size, align, win, prot, pop);
		e = errno;
		pthread_mutex_unlock(&lowlk);
	}
	if(p == NULL){
		if(err && e == ENOSPC)
			snprintf(err, VX_ERRLEN, "no room for %u MiB more below 4 GB, where this process's compat guests and every code cache live",
				(size + (1 << 20) - 1) >> 20);
		else if(err)
			snprintf(err, VX_ERRLEN, "mapping %u bytes below 4 GB: %s", size, strerror(e));
		errno = e == ENOSPC ? ENOMEM : e;
		return NULL;
	}
	if(flags & VX_LOWHUGE){
		madvise(p, size, MADV_HUGEPAGE);
		if(flags & VX_LOWPOP)
			madvise(p, want, MADV_POPULATE_WRITE);
	}
	return p;
}

/* Extend a mapping of vx_lowmap2's in place: len bytes more at p (its
 * end), if nothing is there.  0, or -1 with nothing changed. */
int
vx_lowgrow(void *p, uint32_t len, int prot)
{
	uint64_t a = (uintptr_t)p;
	int i, r = -1;
	void *q;

	pthread_mutex_lock(&lowlk);
	i = lowat(a);
	if(a + len <= LOWTOP && (i == nlow || lows[i].lo >= a + len) && lowroom(1) == 0){
		q = mmap(p, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
		if(q == p){
			lowput((uint32_t)a, (uint32_t)(a + len), LOWSMALL);
			r = 0;
		}else if(q != MAP_FAILED)
			munmap(q, len);	/* a kernel that took it as a hint */
		else if(errno == EEXIST)
			lowlearn((uint32_t)a, len, 0);
	}
	pthread_mutex_unlock(&lowlk);
	return r;
}

/* Unmap [p, p + len) of vx_lowmap2's, len rounded up to pages as
 * munmap does (a state block's S_SIZE is not a multiple).  The table
 * says taken until the munmap is done, so the lock is not held across
 * it (a munmap of touched pages is a TLB shootdown: tens of µs on a
 * hypervisor). */
void
vx_lowfree(void *p, size_t len)
{
	uint64_t a = (uintptr_t)p, e = (a + len + VX_PAGE - 1) & ~(uint64_t)(VX_PAGE - 1);

	if(p == NULL || len == 0)
		return;
	munmap(p, len);
	if(a >= LOWTOP)
		return;
	pthread_mutex_lock(&lowlk);
	lowcut((uint32_t)a, (uint32_t)(e < LOWTOP ? e : LOWTOP));
	pthread_mutex_unlock(&lowlk);
}

/* Of a reservation [p, p+len), keep the VX_HUGE-aligned [a, a+size) and
 * give the rest back; returns a. */
static uint8_t *
hugetrim(uint8_t *p, size_t len, size_t size)
{
	uint8_t *a = (uint8_t *)(((uintptr_t)p + VX_HUGE - 1) & ~(uintptr_t)(VX_HUGE - 1));

	if(a > p)
		munmap(p, a - p);
	if(a + size < p + len)
		munmap(a + size, p + len - (a + size));
	madvise(a, size, MADV_HUGEPAGE);
	return a;
}

/* size bytes anywhere, at a VX_HUGE boundary, huge pages asked for;
 * size must be a multiple of VX_HUGE.  NULL without memory. */
void *
vx_hugemap(size_t size)
{
	void *p;

	p = mmap(NULL, size + VX_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(p == MAP_FAILED)
		return NULL;
	return hugetrim(p, size + VX_HUGE, size);
}
