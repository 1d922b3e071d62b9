/*
 * vx_hostguard.c — host accesses to guest pages the guest took away
 * after the access was checked (another guest thread's munmap or
 * mprotect during a system call):
 *  - vx_guardcopy ends at the first page the guest refuses, moves none
 *    of that page's piece, opens nothing, and is exact at page edges
 *    (a pipe's read keeps the bytes that did not go: devpipe, kcopy);
 *  - any other host access is let through (vxmem_hostfault opens the
 *    page), and the page has the guest's protection again before the
 *    guest runs next (vxmem_reclose): the guest's own write to its
 *    read-only page faults.  Until session 24 the page stayed open on
 *    the host until the guest's next mprotect.  More pages than the
 *    memory notes one by one (VXOPENED) are reclosed by a whole scan.
 * Run once per engine by tests/engine_unit.t.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "vxpriv.h"
#include "vxt.h"

enum {
	CODE = 0x10000,
	STACK = 0x100000,
	STACKTOP = 0x108000,
	DATA = 0x400000,
	NDATA = 2 * VXOPENED + 8,	/* pages: past what is noted one by one */
	MEM = 16 << 20,
};

/* the guest writes the first word of DATA's page EBX */
SNIP(wr, "shl $12, %ebx\n movl $1, 0x400000(%ebx)\n mov $7,%eax\n int $0x80")

/* the guest writes page pg; what vx_run said */
static int
guestwrite(Vx *vx, uint32_t pg, VxTrapInfo *ti)
{
	vx_setreg(vx, VX_EBX, pg);
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
	return vx_run(vx, ti);
}

int
main(void)
{
	static uint8_t src[3 * 4096];
	VxTrapInfo ti;
	uint8_t *p;
	uint32_t i;
	size_t n;
	int all;
	Vx *vx;

	vx = vxt_guest(MEM, CODE, wr_s, (size_t)(wr_e - wr_s), 0x1000, STACK, STACKTOP);
	if(vx == NULL)
		return ok(0, "a sandbox"), done_testing();
	memset(src, 's', sizeof src);
	vx_map(vx, DATA, NDATA << 12, VX_PROT_READ | VX_PROT_WRITE);
	p = vx_access(vx, DATA, NDATA << 12, VX_PROT_WRITE);	/* checked, as a call does */
	ok(p != NULL, "the guest's pages, checked");
	if(p == NULL)
		return done_testing();
	memset(p, 'm', NDATA << 12);

	/* vx_guardcopy */
	vx_protect(vx, DATA + 0x1000, 0x1000, VX_PROT_READ);
	n = vx_guardcopy(p + 0x800, src, 0x1800);
	ok(n == 0x800, "guardcopy into a page then a read-only one: the bytes before it (%zu)", n);
	ok(p[0x7ff] == 'm' && p[0x800] == 's' && p[0xfff] == 's' && p[0x1000] == 'm' && p[0x17ff] == 'm',
		"... those moved, the read-only page kept");
	ok(strcmp(vxt_hostperm(p + 0x1000), "r--p") == 0, "... and read-only on the host (%s)", vxt_hostperm(p + 0x1000));
	vx_unmap(vx, DATA + 0x1000, 0x1000);
	n = vx_guardcopy(p + 0x1000, src, 16);
	ok(n == 0, "guardcopy into an unmapped page: nothing (%zu)", n);
	n = vx_guardcopy(src, p + 0x800, 0x1000);
	ok(n == 0x800 && src[0] == 's', "guardcopy out of a page then an unmapped one: the bytes before it (%zu)", n);
	n = vx_guardcopy(p + 0x2000, src, 0x2000);
	ok(n == 0x2000, "guardcopy into mapped pages: all of it (%zu)", n);
	vx_map(vx, DATA + 0x1000, 0x1000, VX_PROT_READ | VX_PROT_WRITE);

	/* a plain host write after the guest's mprotect */
	vx_protect(vx, DATA, NDATA << 12, VX_PROT_READ);
	p[0] = 'h';
	ok(p[0] == 'h', "a host write to a page made read-only since its check goes through");
	is(guestwrite(vx, 0, &ti), VX_TRAP_PAGEFAULT, "the guest's own write to it then faults");
	ok(ti.addr == DATA && ti.write, "... at the page (%#x, write %d)", ti.addr, ti.write);
	ok(strcmp(vxt_hostperm(p), "r--p") == 0, "... read-only on the host again (%s)", vxt_hostperm(p));

	/* more than VXOPENED pages: reclosed by the scan */
	for(i = 0; i < NDATA; i++)
		p[i << 12] = 'h';
	is(guestwrite(vx, NDATA - 1, &ti), VX_TRAP_PAGEFAULT, "%d pages written by the host: the guest's write to the last faults", NDATA);
	for(all = 1, i = 0; i < NDATA; i++)
		all &= strcmp(vxt_hostperm(p + (i << 12)), "r--p") == 0;
	ok(all, "... every one read-only on the host again");
	is(guestwrite(vx, 3, &ti), VX_TRAP_PAGEFAULT, "... the guest's write to another faults");

	/* an unmapped page the host touched: unmapped to the guest */
	vx_unmap(vx, DATA, 0x1000);
	p[0] = 'h';
	is(guestwrite(vx, 0, &ti), VX_TRAP_PAGEFAULT, "a page unmapped since, written by the host: the guest's write faults");
	ok(strcmp(vxt_hostperm(p), "---p") == 0, "... inaccessible on the host again (%s)", vxt_hostperm(p));
	vx_protect(vx, DATA + 0x1000, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(guestwrite(vx, 1, &ti), VX_TRAP_SYSCALL, "a page made writable again: the guest writes it");
	vx_free(vx);
	return done_testing();
}
