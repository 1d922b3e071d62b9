/*
 * vx_poke.c — writing guest pages the host maps read-only without making
 * them writable (libvx/mem.c, forcewrite: the ELF loader's edges, a fork's
 * copies of read-only pages).  vx_poke writes through a read-only page and
 * the page stays read-only for guest and host; it zeros when given no
 * source; it refuses an unmapped page and writes nothing then; poking
 * translated code makes the guest run the new code.  A fork's child gets
 * the written read-only pages with their bytes, still read-only on the
 * host, and its writable pages writable, and runs of pages of every
 * length their protections and bytes.  A host fork's child that forks a
 * sandbox copies the file pages it wrote itself (the parent's pagemap
 * says they are the file's).  Run once per engine by
 * tests/engine_unit.t.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "vxpriv.h"
#include "vxt.h"

enum {
	CODE = 0x10000,
	RO = 0x20000,
	RW = 0x21000,
	STACK = 0x100000,
	STACKTOP = 0x108000,
	MEM = 16 << 20,
};

SNIP(seven, "mov $7,%eax\n int $0x80")
SNIP(nine, "mov $9,%eax\n int $0x80")

static int
allbytes(const uint8_t *p, int c, size_t n)
{
	while(n-- > 0)
		if(*p++ != c)
			return 0;
	return 1;
}

/* Runs of pages of every length 1-19 from RUNS, each unmapped, read-only,
 * read/write or read/execute in turn, every mapped page marked with its
 * number; a fork must give the child each page's protection and bytes
 * (the copy finds the runs eight page flags at a time, then one). */
enum { RUNS = 0x200000 };

static uint32_t
mkruns(Vx *vx)
{
	static const int prot[] = { -1, VX_PROT_READ, VX_PROT_READ | VX_PROT_WRITE, VX_PROT_READ | VX_PROT_EXEC };
	uint32_t a = RUNS, n, k;
	int len, r = 0;

	for(len = 1; len < 20; len++)
		for(k = 0; k < 4; k++, r++){
			n = (uint32_t)len << 12;
			if(prot[r % 4] >= 0){
				vx_map(vx, a, n, VX_PROT_READ | VX_PROT_WRITE);
				for(uint32_t p = 0; p < n; p += 0x1000)
					*(uint32_t *)vx_access(vx, a + p, 4, VX_PROT_WRITE) = a + p;
				vx_protect(vx, a, n, prot[r % 4]);
			}
			a += n;
		}
	return a;
}

static int
sameruns(Vx *a, Vx *c, uint32_t end)
{
	uint32_t p, *x, *y;

	for(p = RUNS; p < end; p += 0x1000){
		if(vx_pageprot(a, p) != vx_pageprot(c, p))
			return diag("page %#x: protection %d in the parent, %d in the child", p, vx_pageprot(a, p), vx_pageprot(c, p)), 0;
		if(vx_pageprot(a, p) < 0)
			continue;
		x = vx_access(a, p, 4, VX_PROT_READ);
		y = vx_access(c, p, 4, VX_PROT_READ);
		if(x == NULL || y == NULL || *x != p || *y != p)
			return diag("page %#x: not its mark in the child", p), 0;
	}
	return 1;
}

/* In a host fork's child, a private file page the child wrote is its
 * own: a sandbox forked there must copy it, not map the file again as
 * the parent's pagemap (where the page is untouched) would say. */
enum { FMAP = 0x300000, FMAP2 = 0x301000, WCODE = 0x30000 };

static int
hostchildcopies(Vx *a)
{
	char err[VX_ERRLEN];
	uint32_t *w, *cw;
	Vx *c;
	int st;
	pid_t pid;

	c = vx_fork(a, err);	/* the parent reads its pagemap once */
	if(c == NULL)
		return diag("vx_fork: %s", err), 0;
	vx_free(c);
	pid = fork();
	if(pid == 0){
		w = vx_access(a, FMAP, 4, VX_PROT_WRITE);
		if(w == NULL)
			_exit(2);
		*w = 0x5a5a5a5a;
		c = vx_fork(a, err);
		cw = c != NULL ? vx_access(c, FMAP, 4, VX_PROT_READ) : NULL;
		_exit(cw == NULL ? 3 : *cw != 0x5a5a5a5a);
	}
	if(pid < 0 || waitpid(pid, &st, 0) != pid)
		return diag("fork or wait failed"), 0;
	if(!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return diag("child status %#x", st), 0;
	return 1;
}

/* Has this process its own /proc/PID/mem open (vx_poke's way through
 * read-only pages)? */
static int
hasselfmem(void)
{
	char want[64], fdp[64], got[64];
	ssize_t n;
	int i;

	snprintf(want, sizeof want, "/proc/%d/mem", (int)getpid());
	for(i = 0; i < 1024; i++){
		snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", i);
		n = readlink(fdp, got, sizeof got - 1);
		if(n > 0){
			got[n] = 0;
			if(strcmp(got, want) == 0)
				return 1;
		}
	}
	return 0;
}

/* In a host fork's child (whose /proc/self/mem is not the parent's):
 * a poke into a writable page is a plain store, one into a read-only
 * page goes through /proc/self/mem.  0, or which failed. */
static int
pokeways(Vx *a)
{
	static const uint8_t four[4] = { 1, 2, 3, 4 };
	int st;
	pid_t pid;

	pid = fork();
	if(pid == 0){
		if(vx_poke(a, RW + 0x300, four, 4) != 0 || hasselfmem())
			_exit(1);
		if(vx_poke(a, RO + 0x300, four, 4) != 0 || !hasselfmem())
			_exit(2);
		_exit(0);
	}
	if(pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int
main(void)
{
	char err[VX_ERRLEN];
	uint8_t *ro, *rw, *cro, *crw, pat[300];
	Vx *a, *c;

	a = vx_new(MEM, err);
	if(a == NULL){
		ok(0, "a sandbox: %s", err);
		return done_testing();
	}
	vx_map(a, CODE, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(a, CODE, (uint32_t)(seven_e - seven_s), VX_PROT_WRITE), seven_s, seven_e - seven_s);
	vx_protect(a, CODE, 0x1000, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(a, STACK, STACKTOP - STACK, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(a, RO, 0x2000, VX_PROT_READ | VX_PROT_WRITE);
	memset(vx_access(a, RO, 0x2000, VX_PROT_WRITE), 0xee, 0x2000);
	vx_protect(a, RO, 0x1000, VX_PROT_READ);
	ro = vx_access(a, RO, 0x1000, VX_PROT_READ);
	rw = vx_access(a, RW, 0x1000, VX_PROT_READ);

	for(int i = 0; i < (int)sizeof pat; i++)
		pat[i] = (uint8_t)(i * 7 + 1);
	is(vx_poke(a, RO + 100, pat, sizeof pat), 0, "vx_poke into a read-only page");
	ok(memcmp(ro + 100, pat, sizeof pat) == 0 && allbytes(ro, 0xee, 100) && allbytes(ro + 400, 0xee, 0x1000 - 400),
		"writes those bytes and no others");
	is(vx_pageprot(a, RO), VX_PROT_READ, "the page stays read-only for the guest");
	isstr(vxt_hostperm(ro), "r--p", "and on the host");
	is(vx_poke(a, RO + 0xf00, NULL, 0x200), 0, "vx_poke of zeros across a read-only and a writable page");
	ok(allbytes(ro + 0xf00, 0, 0x100) && allbytes(rw, 0, 0x100) && allbytes(rw + 0x100, 0xee, 0xf00),
		"zeros exactly the range");
	ok(strcmp(vxt_hostperm(ro), "r--p") == 0 && strcmp(vxt_hostperm(rw), "rw-p") == 0, "both keep their host protection");
	ok(vx_poke(a, 0x400000, pat, 4) < 0, "an unmapped page is refused: %s", vx_errstr(a));
	ok(vx_poke(a, RW + 0xffc, pat, 8) < 0 && allbytes(rw + 0xf00, 0xee, 0x100), "so is a range running into one, and nothing is written");
	ok(vx_poke(a, 0xfffffff0, pat, 0x20) < 0, "a range past the end is refused");
	is(vx_poke(a, RW + 0x200, pat, 16), 0, "vx_poke within a writable page (a plain store)");
	ok(memcmp(rw + 0x200, pat, 16) == 0 && allbytes(rw + 0x100, 0xee, 0x100) && allbytes(rw + 0x210, 0xee, 0xdf0),
		"writes those bytes and no others");
	isstr(vxt_hostperm(rw), "rw-p", "the page stays writable");
	is(pokeways(a), 0, "no /proc/self/mem for it; one for a read-only page");
	memcpy(rw + 0x200, (uint8_t[16]){ 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee }, 16);

	is(vxt_run(a, CODE, STACKTOP), VX_TRAP_SYSCALL, "the guest's code runs");
	is(vx_getreg(a, VX_EAX), 7, "it is the first code");
	is(vx_poke(a, CODE, nine_s, (uint32_t)(nine_e - nine_s)), 0, "vx_poke over its translated code");
	ok(vxt_run(a, CODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == 9, "the new code runs");
	/* code on a writable page: translating it write-protects the host's
	 * copy, so the poke is not a plain store; the guest sees it all the same */
	vx_map(a, WCODE, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC);
	memcpy(vx_access(a, WCODE, (uint32_t)(seven_e - seven_s), VX_PROT_WRITE), seven_s, seven_e - seven_s);
	ok(vxt_run(a, WCODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == 7, "code on a writable page runs");
	isstr(vxt_hostperm(vx_access(a, WCODE, 1, VX_PROT_READ)), "r--p", "translated, it is write-protected on the host");
	is(vx_poke(a, WCODE, nine_s, (uint32_t)(nine_e - nine_s)), 0, "vx_poke over it");
	ok(vxt_run(a, WCODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == 9, "the new code runs");
	is(vx_pageprot(a, WCODE), VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC, "the page keeps the guest's protection");

	uint32_t end = mkruns(a);
	c = vx_fork(a, err);
	ok(c != NULL, "a fork: %s", c ? "" : err);
	ok(c != NULL && sameruns(a, c, end), "the child has every page of runs of 1-19 pages, each run unmapped, r, rw or rx in turn, with its protection and bytes");
	if(c != NULL){
		cro = vx_access(c, RO, 0x1000, VX_PROT_READ);
		crw = vx_access(c, RW, 0x1000, VX_PROT_READ);
		ok(cro != NULL && memcmp(cro, ro, 0x1000) == 0 && memcmp(crw, rw, 0x1000) == 0,
			"the child has the written read-only page and the writable one");
		ok(vx_pageprot(c, RO) == VX_PROT_READ && strcmp(vxt_hostperm(cro), "r--p") == 0,
			"its read-only page is read-only for guest and host");
		isstr(vxt_hostperm(crw), "rw-p", "its writable page is writable");
		ok(vxt_run(c, CODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(c, VX_EAX) == 9, "the child runs the poked code");
		vx_free(c);
	}

	char path[] = "/tmp/vx_poke.XXXXXX";
	uint8_t page[0x1000];
	int fd = mkstemp(path);
	memset(page, 0x11, sizeof page);
	ok(fd >= 0 && write(fd, page, sizeof page) == (ssize_t)sizeof page
		&& vx_mapfile(a, FMAP, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_NOPOPULATE, fd, 0) == 0, "a private file mapping");
	if(fd >= 0){
		unlink(path);
		close(fd);
	}
	ok(hostchildcopies(a), "a host fork's child forking a sandbox copies the file page it wrote");

	/* a data segment's last page, where the ELF loader clears the bss's
	 * start: a private writable file page, stored to directly */
	char path2[] = "/tmp/vx_poke.XXXXXX";
	uint8_t *fm;
	fd = mkstemp(path2);
	ok(fd >= 0 && write(fd, page, sizeof page) == (ssize_t)sizeof page
		&& vx_mapfile(a, FMAP2, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_NOPOPULATE, fd, 0) == 0, "another private file mapping");
	if(fd >= 0){
		unlink(path2);
		fm = vx_access(a, FMAP2, 0x1000, VX_PROT_READ);
		is(vx_poke(a, FMAP2 + 8, NULL, 0x1000 - 8), 0, "vx_poke of zeros to its end");
		ok(fm != NULL && allbytes(fm, 0x11, 8) && allbytes(fm + 8, 0, 0x1000 - 8), "the guest sees them");
		ok(pread(fd, page, sizeof page, 0) == (ssize_t)sizeof page && allbytes(page, 0x11, sizeof page), "the file does not");
		close(fd);
	}
	vx_free(a);
	return done_testing();
}
