/*
 * vxrun_gmem.c — gmem and gmemroom (vxrun/gmem.c) at the top of a 4 GiB
 * guest memory (the long engine's whole window, vx_new above
 * 0xfffff000): a range that ends at 4 GiB itself, its last byte
 * 0xffffffff, is guest memory like any other (gmem refused it until
 * session 24, and gmemroom, which clips to 4 GiB, then went page by
 * page); one a byte longer wraps and is refused by gmem, clipped by
 * gmemroom.  A Linux guest never maps there (mmap stops at 0xffffe000,
 * as a 64-bit kernel's TASK_SIZE for a 32-bit process), an embedding's
 * own vx_map may.  Compat memory is 3 GiB at most: skipped there.  Run
 * once per engine by tests/engine_unit.t.
 */
#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "../../vxrun/dat.h"

int
main(void)
{
	char err[VX_ERRLEN];
	Lthread t;
	uint32_t room;
	uint8_t *p;
	Vx *vx;

	if(vx_engine() != VX_ENGINE_LONG)
		skip_all("compat memory ends below 3 GiB");
	vx = vx_new(0xffffffffu, err);
	if(vx == NULL){
		diag("vx_new: %s", err);
		ok(0, "a sandbox");
		return done_testing();
	}
	memset(&t, 0, sizeof t);
	t.vx = vx;
	ok(vx_map(vx, 0xffffe000u, 0x2000, VX_PROT_READ | VX_PROT_WRITE) == 0, "the last two pages below 4 GiB mapped");
	p = gmem(&t, 0xfffffff0u, 16, VX_PROT_WRITE);
	ok(p != NULL, "gmem of the last 16 bytes below 4 GiB");
	if(p != NULL){
		memset(p, 0x5a, 16);
		ok(((uint8_t *)gmem(&t, 0xffffe000u, 1, VX_PROT_READ))[0x1fff] == 0x5a, "... the bytes there");
	}
	ok(gmem(&t, 0xffffe000u, 0x2000, VX_PROT_READ) != NULL, "gmem of both pages, to 4 GiB");
	ok(gmem(&t, 0xfffffff0u, 17, VX_PROT_READ) == NULL, "gmem of a range past 4 GiB: refused");
	p = gmemroom(&t, 0xfffffff0u, 64, VX_PROT_WRITE, &room);
	ok(p != NULL && room == 16, "gmemroom past 4 GiB: the 16 bytes to it (room %u)", room);
	p = gmemroom(&t, 0xffffe800u, 0x1800, VX_PROT_WRITE, &room);
	ok(p != NULL && room == 0x1800, "gmemroom ending at 4 GiB: all of it (room %#x)", room);
	vx_free(vx);
	return done_testing();
}
