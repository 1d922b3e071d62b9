/*
 * window.c — the long engine's host side: guest windows, the GS base,
 * and the stubs in low memory.
 *
 * A guest memory is a 4 GiB window at a 4 GiB-aligned host address B,
 * with 16 GiB of PROT_NONE guard below and above: translated code reaches
 * it only through %gs (base B) with 32-bit addressing, which wraps modulo
 * 2^32 inside the window by hardware; string instructions, rebased by
 * %r14 = B, can run at most 4 x (2^32 - 1) bytes past either end, into a
 * guard.  Nothing is committed: the reservation is MAP_NORESERVE.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../vxpriv.h"

enum { HWCAP2_FSGSBASE = 1 << 1 };

#define GIB	(1ull << 30)
#define WINDOW	(4 * GIB)
#define GUARD	(16 * GIB)

int
vx_hasfsgsbase(void)
{
	return (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;
}

/*
 * Freed windows kept for the next guest memory (the probe's too).  A
 * spawn frees two windows and makes two, and on a hypervisor that
 * shadows page tables (PVM) freeing one was about 0.2 ms of CPU and
 * more of wall time: munmap of the whole reservation frees its
 * page tables (each table entry cleared is a trip to the hypervisor)
 * and the next guest builds them again at its first touches.  A kept
 * window has the part its guest used, [lo, hi), emptied (windowclear)
 * with its page tables left in place, which the next guest, laid out as
 * programs are, uses again (doc/bench.md, "Spawn and start-up, twelfth
 * session" and "Spawn, thirteenth session").
 */
static VxKept sparewin = { .lk = PTHREAD_MUTEX_INITIALIZER, .max = 4 };

/* Held across a host fork (vx.c, forkhold; a leaf): a child forked while
 * another thread kept or took a window waited for ever at its first
 * vx_new (vx_forklocks: 1 run in 20). */
void
vx_windowforkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&sparewin.lk);
	else
		pthread_mutex_unlock(&sparewin.lk);
}
atomic_long vx_windowreuses, vx_windowclears;

/* Where an emptied kept window's last guest was, [lo, hi), and how many
 * host areas (inaccessible, empty) it left there, which the next memory
 * counts as its own and clears again with its own part.  Indexed as
 * sparewin.p. */
static VxWinLeft leftover[8];

/* PROCMAP_QUERY of /proc/PID/maps (Linux 6.11, <linux/fs.h>): the area
 * covering or following an address. */
enum {
	MAPQ_SHARED = 0x08,	/* PROCMAP_QUERY_VMA_SHARED */
	MAPQ_NEXT = 0x10,	/* PROCMAP_QUERY_COVERING_OR_NEXT_VMA */
	/* a kept window holds at most this many areas more than the one
	 * reservation: they are not in mem.c's count of host areas */
	KEEPAREAS = 64,
};
#define MAPQUERY	_IOWR('f', 17, MapQuery)

typedef struct MapQuery {
	uint64_t size, flags, addr;
	uint64_t start, end, vmaflags, pagesize, offset, inode;
	uint32_t devmajor, devminor, namesize, buildidsize;
	uint64_t nameaddr, buildidaddr;
} MapQuery;

/* The next host area at or after a: 1 with q's [start, end), 0 if
 * none, -1 if the kernel cannot say. */
static int
nextarea(int fd, uint64_t a, MapQuery *q)
{
	memset(q, 0, sizeof *q);
	q->size = sizeof *q;
	q->flags = MAPQ_NEXT;
	q->addr = a;
	if(ioctl(fd, MAPQUERY, q) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* The host area at or after a: 1 with its [*s, *e), 0 if none, -1 if
 * the kernel cannot say (low.c, for the areas in its way). */
int
vx_hostarea(uint64_t a, uint64_t *s, uint64_t *e)
{
	MapQuery q;
	int fd, r;

	if((fd = vx_selfmaps()) < 0)
		return -1;
	if((r = nextarea(fd, a, &q)) > 0){
		*s = q.start;
		*e = q.end;
	}
	return r;
}

/* Has area q a file (a shared anonymous one has too)?  A file's device
 * is never 0:0, an anonymous area's always is. */
static int
hasfile(MapQuery *q)
{
	return q->devmajor != 0 || q->devminor != 0 || q->inode != 0 || (q->vmaflags & MAPQ_SHARED);
}

/*
 * Empty [lo, hi) of window b without freeing its page tables:
 * MADV_DONTNEED drops every page of it (private pages read as zeros
 * after it, a file's pages are no longer mapped), every host area there
 * that has a file is then mapped afresh as reservation (nothing is
 * present there any more, so this frees no page tables but those wholly
 * inside a file area of 2 MiB or more and needs no TLB shootdown), and
 * mprotect makes all of it inaccessible, as it was before the guest.
 * Returns how many areas [lo, hi) now holds (the old guest's do not
 * merge back), or -1 with the window in any state (the caller then maps
 * all of it afresh): no PROCMAP_QUERY (before Linux 6.11), an area
 * madvise refuses (locked, of a device), more than KEEPAREAS areas.
 */
static long
windowclear(uint8_t *b, uint64_t lo, uint64_t hi)
{
	uint64_t a = (uintptr_t)b + lo, e = (uintptr_t)b + hi, s, t;
	MapQuery q;
	long n = 0;
	int fd, r;

	if((fd = vx_selfmaps()) < 0)
		return -1;
	if(madvise(b + lo, hi - lo, MADV_DONTNEED) < 0)
		return -1;
	while(a < e && (r = nextarea(fd, a, &q)) != 0){
		if(r < 0 || q.end <= a || ++n > KEEPAREAS)
			return -1;
		if(q.start >= e)
			break;
		s = q.start > a ? q.start : a;
		t = q.end < e ? q.end : e;
		if(hasfile(&q) && mmap((void *)(uintptr_t)s, t - s, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
			return -1;
		a = t;
	}
	if(mprotect(b + lo, hi - lo, PROT_NONE) < 0)
		return -1;
	return n;
}

static void
windowunmap(uint8_t *b)
{
	munmap(b - GUARD, GUARD + WINDOW + GUARD);
}

/* Keep window b, still holding *left. */
static int
windowkeep(uint8_t *b, VxWinLeft *left)
{
	int kept = 0;

	pthread_mutex_lock(&sparewin.lk);
	if(sparewin.n < sparewin.max){
		leftover[sparewin.n] = *left;
		sparewin.p[sparewin.n++] = b;
		kept = 1;
	}
	pthread_mutex_unlock(&sparewin.lk);
	return kept ? 0 : -1;
}

static uint64_t
dist(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* A kept window and what it holds, or NULL: the one whose last guest's
 * part was nearest to *left's [lo, hi) if that is not empty, else the
 * last kept.  A spawn frees the fork's copy of the shell and then the
 * program, so that taken last-kept first each window would change
 * layout at every spawn. */
static uint8_t *
windowtake(VxWinLeft *left)
{
	uint8_t *b = NULL;
	int i, best;

	pthread_mutex_lock(&sparewin.lk);
	if(sparewin.n > 0){
		best = sparewin.n - 1;
		if(left->lo < left->hi)
			for(i = 0; i < sparewin.n; i++)
				if(dist(leftover[i].lo, left->lo) + dist(leftover[i].hi, left->hi)
				< dist(leftover[best].lo, left->lo) + dist(leftover[best].hi, left->hi))
					best = i;
		b = sparewin.p[best];
		*left = leftover[best];
		sparewin.n--;
		sparewin.p[best] = sparewin.p[sparewin.n];
		leftover[best] = leftover[sparewin.n];
	}
	pthread_mutex_unlock(&sparewin.lk);
	return b;
}

/* Reserve a window; returns B or NULL, and in *left what a kept one
 * still holds.  *left's [lo, hi), if not empty, is where the new guest
 * will be (windowtake). */
uint8_t *
vx_window(char *err, VxWinLeft *left)
{
	uint64_t len = GUARD + WINDOW + GUARD + WINDOW, p, b;
	uint8_t *s;
	void *v;

	left->areas = 0;
	s = windowtake(left);
	if(s != NULL){
		atomic_fetch_add(&vx_windowreuses, 1);
		return s;
	}
	memset(left, 0, sizeof *left);
	v = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(v == MAP_FAILED){
		if(err)
			snprintf(err, VX_ERRLEN, "reserving a 36 GiB guest window: %s", strerror(errno));
		return NULL;
	}
	p = (uint64_t)(uintptr_t)v;
	b = (p + GUARD + WINDOW - 1) & ~(WINDOW - 1);
	if(b - GUARD > p)
		munmap(v, b - GUARD - p);
	if(b + WINDOW + GUARD < p + len)
		munmap((void *)(uintptr_t)(b + WINDOW + GUARD), p + len - (b + WINDOW + GUARD));
	return (uint8_t *)(uintptr_t)b;
}

/* The guest of window b is gone; its host calls (and what the window
 * held when it was given to it) reached no further than [lo, hi) (bytes
 * from b).  Kept emptied, or unmapped.  Where it cannot be emptied
 * keeping its page tables, [lo, hi) is mapped afresh as reservation in
 * one call, which drops every page, file and protection and leaves one
 * area. */
void
vx_windowfree(uint8_t *b, uint64_t lo, uint64_t hi)
{
	VxWinLeft left = { 0, 0, 0 };
	long n;

	if(b == NULL)
		return;
	if(hi > WINDOW)
		hi = WINDOW;
	if(lo < hi){
		left = (VxWinLeft){ lo, hi, 0 };	/* the layout, for windowtake */
		if((n = windowclear(b, lo, hi)) >= 0){
			atomic_fetch_add(&vx_windowclears, 1);
			left.areas = n;
		}else if(mmap(b + lo, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
			-1, 0) == MAP_FAILED){
			windowunmap(b);
			return;
		}
	}
	if(windowkeep(b, &left) < 0)
		windowunmap(b);
}

/* The kept windows go back to the host (vx_dropspares). */
void
vx_windowdrop(void)
{
	VxWinLeft left = { 0, 0, 0 };
	uint8_t *b;

	while((b = windowtake(&left)) != NULL)
		windowunmap(b);
}

/* Is host address a inside b's reservation (guards included)? */
int
vx_inwindow(const uint8_t *b, uintptr_t a)
{
	uintptr_t lo = (uintptr_t)b - GUARD;

	return a >= lo && a - lo < GUARD + WINDOW + GUARD;
}

static _Thread_local uint64_t curgs;

/* GS base = b on this thread: wrgsbase where the kernel says it keeps
 * bases written that way (FSGSBASE in AT_HWCAP2), else arch_prctl. */
int
vx_setgsbase(uint64_t b)
{
	static int fsgs = -1;

	if(curgs == b)
		return 0;
	if(fsgs < 0)
		fsgs = vx_hasfsgsbase();
	if(fsgs)
		__asm__ volatile("wrgsbase %0" : : "r"(b) : "memory");
	else if(syscall(SYS_arch_prctl, ARCH_SET_GS, b) < 0)
		return -1;
	curgs = b;
	return 0;
}

/* Can this host run the long engine?  0 or -1 with the reason. */
int
vx_longprobe(char *why)
{
	unsigned long gs;
	VxWinLeft left = { 0, 0, 0 };
	uint8_t *b;

	if(syscall(SYS_arch_prctl, ARCH_GET_GS, &gs) < 0){
		snprintf(why, VX_ERRLEN, "arch_prctl(ARCH_GET_GS): %s", strerror(errno));
		return -1;
	}
	b = vx_window(why, &left);
	if(b == NULL)
		return -1;
	if(windowkeep(b, &left) < 0)
		windowunmap(b);
	return 0;
}

/* The stubs: a copy at the start of every long Vx's code cache, so
 * that fragments reach them with rel32 jumps (64-bit mode does not wrap
 * a rel32 modulo 2^32 as compatibility mode does, and two low-memory
 * regions may be more than 2 GiB apart). */
uint32_t
vx_lstub(Vx *vx, const void *sym)
{
	return (uint32_t)(uintptr_t)(vx->cache + ((const uint8_t *)sym - vxlblob_start));
}

void
vx_lstubinit(Vx *vx)
{
	size_t n = (size_t)(vxlblob_end - vxlblob_start);

	if(n > LSTUBROOM)
		abort();	/* blob64.S outgrew its room */
	memcpy(vx->cache, vxlblob_start, n);
}

/*
 * vx_run is returning: a chain or lookup exit (blob64.S) may have left
 * the guest's x87/MMX state in the registers, S_X87HW, since the
 * translator between it and the next entry uses none; the fxsave and
 * fxrstor of each such round trip were about 3% of a python start.  Put
 * the x87 part (not MXCSR and xmm0-7, which that exit saved and host
 * code has used since) where the embedder reads it (vx_fpstate), and
 * give the host an empty x87 stack and its own control word, as a full
 * exit does.
 */
void
vx_x87sync(Vx *vx)
{
	uint8_t fx[512] __attribute__((aligned(16)));

	if(vx->engine != VX_ENGINE_LONG || ST32(vx, S_X87HW) == 0)
		return;
	__asm__ volatile("fxsave %0" : "=m"(fx));
	memcpy(vx->st + S_FX, fx, 24);			/* control, status, tags, last op */
	memcpy(vx->st + S_FX + 32, fx + 32, 128);	/* st0-7 (mm0-7) */
	__asm__ volatile("fninit\n\tfldcw %0" : : "m"(*(uint16_t *)(vx->st + S_HOSTFCW)));
	ST32(vx, S_X87HW) = 0;
}
