/*
 * vx_move.c — mremap's move (libvx/mem.c, vx_move): the pages go to the
 * new place with their bytes, each its own protection for guest and host
 * (runs of unlike pages in one move), their charge (the new place's
 * old pages' given back), and a private file mapping's
 * unwritten pages stay the file's (a write to the file shows there, a
 * vx_fork child maps them from the file) while a written one stays the
 * guest's; the old range is unmapped; translated code moved runs at its
 * new address and a write to it there is seen.  Refused, changing
 * nothing: an unmapped or shared page, overlapping ranges.  Run once
 * per engine by tests/engine_unit.t.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "vxpriv.h"
#include "vxt.h"

enum {
	CODE = 0x10000,
	STACK = 0x100000,
	STACKTOP = 0x108000,
	OLD = 0x200000,		/* 6 pages: rw rw r r rx rw */
	NEW = 0x400000,
	FOLD = 0x600000,	/* a file's 4 pages */
	FNEW = 0x700000,
	MEM = 16 << 20,
};

SNIP(seven, "mov $7,%eax\n int $0x80")

static uint32_t
word(Vx *vx, uint32_t a)
{
	uint32_t *p = vx_access(vx, a, 4, VX_PROT_READ);

	return p != NULL ? *p : 0xdeadbeef;
}

int
main(void)
{
	static const int prot[6] = {
		VX_PROT_READ | VX_PROT_WRITE, VX_PROT_READ | VX_PROT_WRITE, VX_PROT_READ,
		VX_PROT_READ, VX_PROT_READ | VX_PROT_EXEC, VX_PROT_READ | VX_PROT_WRITE,
	};
	static const char *host[6] = { "rw-p", "rw-p", "r--p", "r--p", "r--p", "rw-p" };
	char err[VX_ERRLEN], path[] = "/tmp/vx_move.XXXXXX";
	uint8_t page[0x1000], *base;
	uint64_t charged;
	int i, fd, good;
	Vx *a, *c;

	a = vx_new(MEM, err);
	if(a == NULL){
		ok(0, "a sandbox: %s", err);
		return done_testing();
	}
	vx_map(a, STACK, STACKTOP - STACK, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(a, OLD, 6 << 12, VX_PROT_READ | VX_PROT_WRITE);
	for(i = 0; i < 6; i++)
		*(uint32_t *)vx_access(a, OLD + (i << 12), 4, VX_PROT_WRITE) = 0x1000 + i;
	memcpy(vx_access(a, OLD + (4 << 12), (uint32_t)(seven_e - seven_s), VX_PROT_WRITE), seven_s, seven_e - seven_s);
	for(i = 0; i < 6; i++)
		vx_protect(a, OLD + (i << 12), 0x1000, prot[i]);
	ok(vxt_run(a, OLD + (4 << 12), STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == 7, "code on the old page runs");
	vx_map(a, NEW, 6 << 12, VX_PROT_READ | VX_PROT_WRITE);
	charged = vx_charged(a);

	ok(vx_move(a, OLD, 7 << 12, NEW) < 0 && errno == ENOMEM, "a range with an unmapped page is refused (ENOMEM)");
	ok(vx_move(a, OLD, 6 << 12, OLD + 0x1000) < 0 && errno == EINVAL, "overlapping ranges are refused (EINVAL)");
	ok(word(a, OLD) == 0x1000 && vx_pageprot(a, NEW) == (VX_PROT_READ | VX_PROT_WRITE), "and nothing changed");

	is(vx_move(a, OLD, 6 << 12, NEW), 0, "six pages of four protections moved");
	for(good = 1, i = 0; i < 6; i++){
		uint8_t *h = vx_access(a, NEW + (i << 12), 4, VX_PROT_READ);
		if(vx_pageprot(a, NEW + (i << 12)) != prot[i] || h == NULL || strcmp(vxt_hostperm(h), host[i]) != 0
		|| (i != 4 && word(a, NEW + (i << 12)) != 0x1000u + i) || vx_pageprot(a, OLD + (i << 12)) != -1)
		{
			diag("page %d: prot %d host %s word %#x, old prot %d", i, vx_pageprot(a, NEW + (i << 12)),
				h ? vxt_hostperm(h) : "-", word(a, NEW + (i << 12)), vx_pageprot(a, OLD + (i << 12)));
			good = 0;
		}
	}
	ok(good, "each page has its bytes and its protection for guest and host at the new place, the old unmapped");
	base = (uint8_t *)vx_access(a, STACK, 1, VX_PROT_READ) - STACK;
	isstr(vxt_hostperm(base + OLD + 0x5000), "---p", "the old range is a reservation again on the host");
	is((long)vx_charged(a), (long)(charged - 6), "the charge: the new place's six pages' gone, the moved ones keep theirs (written once, read-only now)");
	ok(vxt_run(a, NEW + (4 << 12), STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == 7, "the moved code runs at its new address");
	vx_protect(a, NEW + (4 << 12), 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC);
	*(uint8_t *)vx_access(a, NEW + (4 << 12) + 1, 1, VX_PROT_WRITE) = 9;
	ok(vxt_run(a, NEW + (4 << 12), STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == 9, "and a write to it there is seen");

	fd = mkstemp(path);
	for(i = 0; i < 4; i++){
		memset(page, 0x30 + i, sizeof page);
		if(fd >= 0)
			write(fd, page, sizeof page);
	}
	ok(fd >= 0 && vx_mapfile(a, FOLD, 4 << 12, VX_PROT_READ | VX_PROT_WRITE | VX_NOPOPULATE, fd, 0) == 0, "a private file mapping");
	*(uint8_t *)vx_access(a, FOLD + 0x1000, 1, VX_PROT_WRITE) = 'w';
	vx_map(a, FNEW, 4 << 12, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_move(a, FOLD, 4 << 12, FNEW), 0, "moved");
	pwrite(fd, "F", 1, 0x2000);
	ok(*(uint8_t *)vx_access(a, FNEW + 0x2000, 1, VX_PROT_READ) == 'F', "an unwritten page is still the file's: a write to the file shows");
	ok(*(uint8_t *)vx_access(a, FNEW + 0x1000, 1, VX_PROT_READ) == 'w' && *(uint8_t *)vx_access(a, FNEW, 1, VX_PROT_READ) == 0x30,
		"the written page is the guest's, the others the file's bytes");
	c = vx_fork(a, err);
	ok(c != NULL, "a fork: %s", c ? "" : err);
	if(c != NULL){
		pwrite(fd, "G", 1, 0x3000);
		ok(*(uint8_t *)vx_access(c, FNEW + 0x3000, 1, VX_PROT_READ) == 'G' && *(uint8_t *)vx_access(c, FNEW + 0x1000, 1, VX_PROT_READ) == 'w',
			"the child maps the unwritten pages from the file at their new place, copies the written one");
		vx_free(c);
	}
	vx_mapshared(a, FOLD, 0x1000, VX_PROT_READ | VX_PROT_WRITE, fd, 0);
	ok(vx_move(a, FOLD, 0x1000, FNEW) < 0 && errno == EINVAL && word(a, FNEW) != 0xdeadbeef, "a shared page is refused (EINVAL), nothing changed");
	if(fd >= 0){
		unlink(path);
		close(fd);
	}
	vx_free(a);
	return done_testing();
}
