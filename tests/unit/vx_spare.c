/*
 * vx_spare.c — a freed long-engine sandbox's state block and code cache
 * serve the next one made (libvx/vx.c, "Spare Vx"), and nothing of the
 * freed guest reaches the new one: its registers, SSE and x87 state are
 * a new sandbox's, its statistics zero, and the code it loads where the
 * old one's translated code ran is run, not the old translation.  A
 * fork and a thread take spares too; vx_dropspares gives them back.
 * Freed guest memories' page arrays are kept too, on both engines, and
 * given to the next of the same size cleared.  A freed long memory's
 * window is kept for the next, emptied: none of the old guest's pages,
 * files or protections remain in it, read from the host side too,
 * whether emptied in place (its page tables kept) or, past 64 host
 * areas, by one mapping; a fork's copy takes the kept window laid out
 * as its parent.  A host thread's signal stack is
 * given back when the thread ends and serves the next thread.  A spare's
 * code cache may have grown; freed arenas' huge-page chunks serve the
 * next arena.  Run once per engine by tests/engine_unit.t (compat keeps no spares).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "vxpriv.h"
#include "vxt.h"

enum {
	CODE = 0x10000,
	STACK = 0x100000,
	STACKTOP = 0x108000,
	MEM = 16 << 20,
};

/* the first guest leaves its marks everywhere it can */
SNIP(dirty, "mov $0x11111111,%eax\n movd %eax,%xmm0\n movd %eax,%xmm7\n fldpi\n fldpi\n"
	"mov $0x2222,%ebx\n mov $0x3333,%esi\n mov $0x4444,%edi\n mov $0x5555,%ebp\n"
	"mov $0x77,%eax\n int $0x80")
/* the second, at the same address: reads what it was given */
SNIP(clean, "movd %xmm0,%ecx\n movd %xmm7,%edx\n or %edx,%ecx\n"
	"mov %ebx,%eax\n or %esi,%eax\n or %edi,%eax\n or %ebp,%eax\n int $0x80")

/* Every page of [p, p+n) resident (mincore): memory reused, not fresh. */
static int
resident(uint8_t *p, size_t n)
{
	unsigned char v[256];
	size_t np = (n + 4095) / 4096, i;

	if(np > sizeof v || mincore(p, n, v) < 0)
		return 0;
	for(i = 0; i < np; i++)
		if(!(v[i] & 1))
			return 0;
	return 1;
}

/* How many host mappings of /proc/self/maps lie in [lo, hi), and is
 * every one of them inaccessible and of no file? */
static int
hostmaps(uintptr_t lo, uintptr_t hi, int *allnone)
{
	char line[512], perm[8];
	unsigned long a, b, ino;
	int n = 0;
	FILE *f;

	*allnone = 1;
	f = fopen("/proc/self/maps", "r");
	if(f == NULL)
		return -1;
	while(fgets(line, sizeof line, f) != NULL){
		if(sscanf(line, "%lx-%lx %7s %*s %*s %lu", &a, &b, perm, &ino) != 4)
			continue;
		if(b <= lo || a >= hi)
			continue;
		n++;
		if(strcmp(perm, "---p") != 0 || ino != 0)
			*allnone = 0;
	}
	fclose(f);
	return n;
}

/* Can this kernel answer PROCMAP_QUERY (Linux 6.11)? */
static int
canquery(void)
{
	uint64_t q[13] = { sizeof q, 0x10, 0 };
	int fd, r;

	fd = open("/proc/self/maps", O_RDONLY);
	if(fd < 0)
		return 0;
	r = ioctl(fd, _IOWR('f', 17, q), q);
	close(fd);
	return r == 0;
}

/* Does the host page at p, made readable here, bypassing the guest's
 * own page table, hold only zeros?  Inaccessible again after. */
static int
hostzero(uint8_t *p)
{
	int z = 1;

	if(mprotect(p, 4096, PROT_READ) < 0)
		return 0;
	for(int i = 0; i < 4096; i++)
		if(p[i] != 0)
			z = 0;
	mprotect(p, 4096, PROT_NONE);
	return z;
}

/* A guest that cut its memory into more host areas than a kept window
 * may hold (window.c, KEEPAREAS): its window is emptied by one mapping. */
static void
manyareas(void)
{
	char err[VX_ERRLEN];
	long clears;
	uint8_t *base, *p;
	int none, n;
	Vx *a;

	a = vx_new(MEM, err);
	if(a == NULL){
		ok(0, "a sandbox: %s", err);
		return;
	}
	base = a->mem->base;
	n = hostmaps((uintptr_t)base, (uintptr_t)base + (4ull << 30), &none);
	diag("the window holds %d areas of the last guest's", n);
	vx_map(a, 0x200000, 0x100000, VX_PROT_READ | VX_PROT_WRITE);
	p = vx_access(a, 0x200000, 0x100000, VX_PROT_WRITE);
	if(p != NULL)
		memset(p, 0xa5, 0x100000);
	for(uint32_t i = 0; i < 100; i++)
		vx_protect(a, 0x200000 + 2 * i * 0x1000, 0x1000, VX_PROT_READ);
	clears = atomic_load(&vx_windowclears);
	vx_free(a);
	a = vx_new(MEM, err);
	if(a == NULL){
		ok(0, "a sandbox: %s", err);
		return;
	}
	n = hostmaps((uintptr_t)base, (uintptr_t)base + (4ull << 30), &none);
	ok(a->mem->base == base && atomic_load(&vx_windowclears) == clears && n == 1 && none,
		"long: a window of 200 areas is emptied by one mapping (%d)", n);
	ok(hostzero(base + 0x200000) && hostzero(base + 0x2ff000), "long: and reads as zeros from the host");
	vx_free(a);
}

/* A fork's copy takes the kept window whose last guest was laid out as
 * the parent is, not the last kept (window.c, windowtake). */
static void
forklayout(void)
{
	char err[VX_ERRLEN];
	Vx *p, *a, *b, *c;
	uint8_t *abase;

	vx_dropspares();
	p = vx_new(MEM, err);
	a = vx_new(MEM, err);
	b = vx_new(MEM, err);
	if(p == NULL || a == NULL || b == NULL){
		ok(0, "three sandboxes: %s", err);
		return;
	}
	vx_map(p, 0x400000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(p, 0xf00000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(a, 0x400000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(a, 0xf00000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(b, 0x8048000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	abase = a->mem->base;
	vx_free(a);
	vx_free(b);
	c = vx_fork(p, err);
	ok(c != NULL && c->mem->base == abase, "long: a fork's copy gets the window laid out as its parent");
	if(c != NULL)
		vx_free(c);
	vx_free(p);
	vx_dropspares();
}

/* The long engine: a freed memory's window serves the next memory made,
 * holding nothing of the old guest's (amd64/window.c, vx_windowfree). */
static void
windows(void)
{
	char err[VX_ERRLEN], path[] = "/tmp/vx_spare.XXXXXX";
	uint8_t buf[8192], *base, *p;
	long reuses, clears;
	int fd, none, n;
	Vx *a, *b;

	clears = atomic_load(&vx_windowclears);
	fd = mkstemp(path);
	if(fd < 0){
		ok(0, "a scratch file: %s", path);
		return;
	}
	unlink(path);
	memset(buf, 0x5a, sizeof buf);
	if(write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
		diag("short write");
	a = vx_new(MEM, err);
	if(a == NULL){
		ok(0, "a sandbox: %s", err);
		close(fd);
		return;
	}
	base = a->mem->base;
	vx_map(a, 0x200000, 0x400000, VX_PROT_READ | VX_PROT_WRITE);
	p = vx_access(a, 0x300000, 4, VX_PROT_WRITE);
	if(p != NULL)
		memset(p, 0xa5, 4);
	vx_mapfile(a, 0x800000, sizeof buf, VX_PROT_READ, fd, 0);
	vx_mapshared(a, 0xa00000, sizeof buf, VX_PROT_READ | VX_PROT_WRITE, fd, 0);
	vx_protect(a, 0x200000, 0x1000, VX_PROT_READ);
	ok(hostmaps((uintptr_t)base, (uintptr_t)base + (4ull << 30), &none) > 1 && !none,
		"long: a guest's mappings are host mappings in its window");
	vx_free(a);
	reuses = atomic_load(&vx_windowreuses);
	b = vx_new(MEM, err);
	if(b == NULL){
		ok(0, "a second sandbox: %s", err);
		close(fd);
		return;
	}
	ok(b->mem->base == base && atomic_load(&vx_windowreuses) == reuses + 1,
		"long: the next memory has the freed one's window, kept");
	if(canquery())
		ok(atomic_load(&vx_windowclears) == clears + 1, "long: emptied in place, page tables kept");
	else
		ok(1, "# SKIP no PROCMAP_QUERY: emptied by one mapping");
	n = hostmaps((uintptr_t)base, (uintptr_t)base + (4ull << 30), &none);
	ok(n >= 1 && none, "long: emptied: every mapping inaccessible, of no file (%d)", n);
	ok(hostzero(base + 0x300000) && hostzero(base + 0x800000) && hostzero(base + 0xa00000),
		"long: the old guest's pages, its file's and its shared file's, read as zeros from the host");
	ok(vx_pageprot(b, 0x300000) < 0 && vx_pageprot(b, 0x800000) < 0 && vx_pageprot(b, 0xa00000) < 0,
		"long: the old guest's pages are unmapped in it");
	vx_map(b, 0x200000, 0x400000, VX_PROT_READ | VX_PROT_WRITE);
	p = vx_access(b, 0x300000, 4, VX_PROT_READ);
	ok(p != NULL && p[0] == 0 && p[3] == 0, "long: memory mapped again where the old guest wrote reads zeros");
	vx_map(b, 0x800000, 0x3000, VX_PROT_READ);
	p = vx_access(b, 0x800000, 1, VX_PROT_READ);
	ok(p != NULL && p[0] == 0, "long: and where it mapped a file, zeros too");
	vx_free(b);
	manyareas();
	vx_dropspares();
	reuses = atomic_load(&vx_windowreuses);
	b = vx_new(MEM, err);
	ok(b != NULL && atomic_load(&vx_windowreuses) == reuses, "long: after vx_dropspares a fresh window");
	vx_free(b);
	vx_dropspares();
	close(fd);
}

/* A thread that readies itself to run guests: its signal stack. */
static void *
altthread(void *arg)
{
	char err[VX_ERRLEN];
	stack_t ss;

	(void)arg;
	if(vx_threadinit(0, err) < 0 || sigaltstack(NULL, &ss) < 0 || (ss.ss_flags & SS_DISABLE))
		return NULL;
	return ss.ss_sp;
}

static void *
altof(void)
{
	pthread_t th;
	void *sp = NULL;

	if(pthread_create(&th, NULL, altthread, NULL) != 0 || pthread_join(th, &sp) != 0)
		return NULL;
	return sp;
}

/* Threads one after another: each ended one's signal stack is the next
 * one's (it was mapped for good before: 64 KiB a spawned process). */
static void
altstacks(void)
{
	void *a, *b, *c;

	a = altof();
	b = altof();
	c = altof();
	ok(a != NULL && b == a && c == a, "an ended thread's signal stack serves the next thread (%p %p %p)", a, b, c);
}

/* Is any page of [p, p+n) resident? */
static int
anyresident(uint8_t *p, size_t n)
{
	unsigned char v[64];
	size_t np = n / 4096, i;

	if(np > sizeof v || mincore(p, n, v) < 0)
		return 1;
	for(i = 0; i < np; i++)
		if(v[i] & 1)
			return 1;
	return 0;
}

/* A 1 GiB memory's arrays (557 KB) are kept as well; only the pages its
 * guest wrote are cleared for the next, the rest stay untouched. */
static void
bigarrays(void)
{
	char err[VX_ERRLEN];
	uint8_t *arr, *mid;
	size_t narr, k;
	Vx *a, *b;

	a = vx_new(1u << 30, err);
	if(a == NULL){
		ok(0, "a 1 GiB sandbox: %s", err);
		return;
	}
	vx_map(a, 0x100000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(a, 0x3ff00000, 0x10000, VX_PROT_READ | VX_PROT_WRITE);
	vx_protect(a, 0x3ff04000, 0x1000, VX_PROT_READ);
	arr = a->mem->page;
	narr = a->mem->arrays;
	mid = (uint8_t *)(((uintptr_t)arr + (0x20000000 >> 12)) & ~(uintptr_t)4095);
	vx_free(a);
	b = vx_new(1u << 30, err);
	ok(b != NULL && b->mem->page == arr, "a 1 GiB sandbox's page arrays serve the next of that size");
	if(b == NULL)
		return;
	ok(!anyresident(mid, 16 * 4096), "pages of them no guest wrote are not touched to clear them");
	for(k = 0; k < narr && b->mem->page[k] == 0; k++)
		;
	is((long long)k, (long long)narr, "all cleared");
	ok(vx_pageprot(b, 0x100000) < 0 && vx_pageprot(b, 0x3ff04000) < 0, "the old guest's pages are unmapped in it");
	vx_free(b);
	vx_dropspares();
}

/* A guest of many small fragments (inc %eax; jnz to the next), ending
 * in int $0x80: its code cache grows past the first MiB and its arena
 * takes huge-page chunks beyond the first.  About 21 bytes of code a
 * block since session 27's 13-byte exit stubs (24 before: 40,000
 * blocks were just past the MiB, and no longer were). */
enum { NBLOCK = 60000 };

static Vx *
mkbig(void)
{
	uint8_t *code = malloc(NBLOCK * 3 + 2);
	size_t len = (NBLOCK * 3 + 2 + 4095) & ~(size_t)4095;
	Vx *vx;
	int i;

	if(code == NULL)
		return NULL;
	for(i = 0; i < NBLOCK; i++){
		code[3 * i] = 0x40;	/* inc %eax */
		code[3 * i + 1] = 0x75;	/* jnz .+2 */
		code[3 * i + 2] = 0;
	}
	code[3 * NBLOCK] = 0xcd;
	code[3 * NBLOCK + 1] = 0x80;
	vx = vxt_guest(MEM, CODE, code, NBLOCK * 3 + 2, (uint32_t)len, STACK, STACKTOP);
	free(code);
	return vx;
}

static int
runbig(Vx *vx)
{
	vx_setreg(vx, VX_EAX, 1);
	return vxt_run(vx, CODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(vx, VX_EAX) == NBLOCK + 1;
}

/* Is the page at p mapped at all? */
static int
mapped(uint8_t *p)
{
	unsigned char v;

	return mincore(p, 4096, &v) == 0;
}

/* Is chunk one of the n in cs? */
static int
among(Arena *chunk, Arena **cs, int n)
{
	int i;

	for(i = 0; i < n; i++)
		if(cs[i] == chunk)
			return 1;
	return 0;
}

/* Long: a freed sandbox whose code cache grew is a spare with it grown
 * and faulted in, and its arena's huge-page chunks serve the next
 * sandbox's arena (a compile's cc1 faulted in and unmapped 9 MB of
 * cache and 19 MB of arena each time). */
static void
bigspare(void)
{
	Arena *chunks[16], *x;
	uint8_t *cache;
	uint32_t size, fill;
	int n = 0, reused = 0;
	Vx *a, *b;

	a = mkbig();
	if(a == NULL || !runbig(a)){
		ok(0, "a guest of %d fragments runs", NBLOCK);
		return;
	}
	ok(a->cachesize > (1u << 20) && a->huge && a->arena->next != NULL,
		"its code cache grew (%u bytes) and its arena took more chunks", a->cachesize);
	cache = a->cache, size = a->cachesize, fill = a->cachefill;
	for(x = a->arena->next; x != NULL && n < 16; x = x->next)
		chunks[n++] = x;
	vx_free(a);
	ok(n > 0 && resident((uint8_t *)chunks[0], 4096) && resident((uint8_t *)chunks[n - 1], 4096),
		"the freed arena's huge-page chunks stay mapped and faulted in");
	b = mkbig();
	ok(b != NULL && b->cache == cache && b->cachesize == size && b->cachefill == fill && resident(cache, 4096),
		"the next sandbox has its code cache, grown and faulted in");
	if(b == NULL)
		return;
	ok(runbig(b), "and runs the same code, translated again");
	for(x = b->arena->next; x != NULL; x = x->next)
		reused += among(x, chunks, n);
	ok(reused > 0, "its arena took the freed one's chunks (%d of %d)", reused, n);
	vx_free(b);
	vx_dropspares();
	ok(!mapped((uint8_t *)chunks[0]), "vx_dropspares unmaps them");
	b = mkbig();
	ok(b != NULL && b->cachesize == (1u << 20) && runbig(b), "after vx_dropspares a fresh code cache, and it runs");
	if(b != NULL)
		vx_free(b);
	vx_dropspares();
}

static Vx *
mk(const uint8_t *s, const uint8_t *e)
{
	return vxt_guest(MEM, CODE, s, (size_t)(e - s), 0x1000, STACK, STACKTOP);
}

int
main(void)
{
	char err[VX_ERRLEN];
	uint8_t *st, *cache, fx0[512], *fx;
	VxStats stats;
	Vx *a, *b, *c, *v[6];
	int i, islong;

	a = mk(dirty_s, dirty_e);
	if(a == NULL){
		ok(0, "a sandbox");
		return done_testing();
	}
	islong = vx_engineof(a) == VX_ENGINE_LONG;
	is(vxt_run(a, CODE, STACKTOP), VX_TRAP_SYSCALL, "the first guest runs");
	is(vx_getreg(a, VX_EAX), 0x77, "to its end");
	st = a->st;
	cache = a->cache;
	vx_free(a);

	b = mk(clean_s, clean_e);
	if(b == NULL){
		ok(0, "a second sandbox");
		return done_testing();
	}
	if(islong)
		ok(b->st == st && b->cache == cache, "long: the next sandbox has the freed one's state block and code cache");
	else
		ok(1, "# SKIP compat keeps no spares");
	vx_stats(b, &stats);
	ok(stats.fragments == 0 && stats.exits == 0 && stats.flushes == 0, "its statistics start at zero");
	for(i = 0; i < VX_NREG; i++)
		if(i != VX_EFLAGS && vx_getreg(b, i) != 0)
			break;
	is(i, VX_NREG, "its registers start at zero");
	fx = vx_fpstate(b);
	memset(fx0, 0, sizeof fx0);
	ok(fx != NULL && memcmp(fx + 160, fx0, 128) == 0, "its xmm registers start at zero");
	ok(fx != NULL && fx[0] == 0x7f && fx[1] == 0x03 && fx[4] == 0 && memcmp(fx + 32, fx0, 128) == 0,
		"its x87 state is a new process's (control word 0x37f, empty stack)");
	is(vxt_run(b, CODE, STACKTOP), VX_TRAP_SYSCALL, "its own code at the old code's address runs");
	is(vx_getreg(b, VX_EAX), 0, "and sees none of the old guest's registers");
	is(vx_getreg(b, VX_ECX), 0, "nor its xmm registers");

	/* a fork and a thread of b take spares when there are some */
	c = vx_fork(b, err);
	ok(c != NULL && vxt_run(c, CODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(c, VX_EAX) == 0, "a fork runs");
	vx_free(c);
	c = vx_thread(b, err);
	ok(c != NULL && vxt_run(c, CODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(c, VX_EAX) == 0, "a thread runs");
	vx_free(c);

	/* more freed at once than are kept */
	for(i = 0; i < 6; i++)
		v[i] = mk(clean_s, clean_e);
	for(i = 0; i < 6; i++)
		if(v[i] != NULL)
			vx_free(v[i]);
	for(i = 0; i < 6; i++){
		v[i] = mk(dirty_s, dirty_e);
		if(v[i] == NULL || vxt_run(v[i], CODE, STACKTOP) != VX_TRAP_SYSCALL || vx_getreg(v[i], VX_EAX) != 0x77)
			break;
	}
	is(i, 6, "six sandboxes made again after six were freed run");
	for(i = 0; i < 6; i++)
		if(v[i] != NULL)
			vx_free(v[i]);
	vx_free(b);
	vx_dropspares();
	b = mk(clean_s, clean_e);
	ok(b != NULL && vxt_run(b, CODE, STACKTOP) == VX_TRAP_SYSCALL, "a sandbox made after vx_dropspares runs");
	vx_free(b);
	vx_dropspares();

	/* the page arrays (protections, SMC counts, edges) of a freed
	 * sandbox serve the next of its size (libvx/mem.c, arraysnew), on
	 * either engine, cleared: nothing of the old guest's mappings */
	a = mk(dirty_s, dirty_e);
	if(a == NULL){
		ok(0, "a sandbox for the page arrays");
		return done_testing();
	}
	vx_map(a, 0x200000, 0x400000, VX_PROT_READ | VX_PROT_WRITE);
	vx_protect(a, 0x300000, 0x1000, VX_PROT_READ);
	is(vxt_run(a, CODE, STACKTOP), VX_TRAP_SYSCALL, "a guest with mappings and translated code");
	uint8_t *arr = a->mem->page;
	size_t narr = a->mem->arrays;
	vx_free(a);
	b = vx_new(MEM, err);
	ok(b != NULL && b->mem->page == arr && resident(arr, 4096), "the next sandbox of that size has its page arrays, the pages the old one wrote present");
	if(b != NULL){
		size_t k;
		for(k = 0; k < narr && b->mem->page[k] == 0; k++)
			;
		is((long long)k, (long long)narr, "all cleared");
		ok(vx_pageprot(b, CODE) < 0 && vx_pageprot(b, 0x200000) < 0 && vx_pageprot(b, 0x300000) < 0,
			"the old guest's pages are unmapped in it");
		ok(vx_access(b, 0x200000, 1, VX_PROT_READ) == NULL, "and unreachable");
		vx_free(b);
	}
	b = vx_new(2 * MEM, err);
	ok(b != NULL && b->mem->page != arr, "a sandbox of another size does not get them");
	vx_free(b);
	vx_dropspares();
	bigarrays();

	if(islong){
		windows();
		forklayout();
		bigspare();
	}else
		ok(1, "# SKIP compat has no windows");
	altstacks();
	return done_testing();
}
