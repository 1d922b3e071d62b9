/*
 * vx_inlinks.c — the chained jumps into a fragment are all undone when
 * its code changes (translate.c, vx_invalidate, the Vx's log of links
 * that vx_linkexit keeps).  K blocks each jump to one target block T on
 * a page of its own, which adds 1 and jumps back through a register; the
 * program goes round them twice (their jumps to T chained), then writes
 * T's immediate (100) and goes round once more: every block must reach
 * the new T.  A link left to the old translation adds 1 where 100 was
 * asked for.  K is more than the links taken from the arena at a time.
 * Run once per engine by tests/engine_unit.t.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "vx.h"

enum {
	CODE = 0x10000,
	TGT = 0x20000,		/* T, a page of its own */
	K = 300,
	BLK = 15,
	STACKTOP = 0x8000,
	MEM = 8 << 20,
};

static uint8_t *
put32(uint8_t *q, uint32_t v)
{
	memcpy(q, &v, 4);
	return q + 4;
}

/* rel32 of a jump whose 4 bytes are at guest address at, to guest to */
static uint8_t *
rel(uint8_t *q, uint32_t at, uint32_t to)
{
	return put32(q, to - (at + 4));
}

static uint8_t *
program(uint32_t *len, uint32_t *want)
{
	uint8_t *p = malloc(64 + K * BLK), *q = p, *je;
	uint32_t c0, i, sum = 0, done;

	if(p == NULL)
		abort();
	*q++ = 0x31; *q++ = 0xc0;		/* xor %eax,%eax */
	*q++ = 0x31; *q++ = 0xf6;		/* xor %esi,%esi */
	*q++ = 0xb9; q = put32(q, 2);		/* mov $2,%ecx */
	c0 = CODE + (uint32_t)(q - p);
	for(i = 0; i < K; i++){
		*q++ = 0x05; q = put32(q, i + 1);	/* add $i+1,%eax */
		*q++ = 0xba; q = put32(q, c0 + (i + 1) * BLK);	/* mov $next,%edx */
		*q++ = 0xe9; q = rel(q, CODE + (uint32_t)(q - p), TGT);	/* jmp T */
		sum += i + 1;
	}
	*q++ = 0x49;				/* dec %ecx */
	*q++ = 0x0f; *q++ = 0x85; q = rel(q, CODE + (uint32_t)(q - p), c0);	/* jnz C0 */
	*q++ = 0x83; *q++ = 0xfe; *q++ = 0x01;	/* cmp $1,%esi */
	*q++ = 0x74; je = q++;			/* je done */
	*q++ = 0xbe; q = put32(q, 1);		/* mov $1,%esi */
	*q++ = 0xc7; *q++ = 0x05; q = put32(q, TGT + 1); q = put32(q, 100);	/* movl $100,T+1 */
	*q++ = 0xb9; q = put32(q, 1);		/* mov $1,%ecx */
	*q++ = 0xe9; q = rel(q, CODE + (uint32_t)(q - p), c0);	/* jmp C0 */
	done = (uint32_t)(q - p);
	*je = (uint8_t)(done - (uint32_t)(je + 1 - p));
	*q++ = 0xcd; *q++ = 0x80;		/* int $0x80 */
	*len = (uint32_t)(q - p);
	*want = 2 * (sum + K) + sum + 100 * K;
	return p;
}

int
main(void)
{
	static const uint8_t t[] = { 0x05, 1, 0, 0, 0, 0xff, 0xe2 };	/* add $1,%eax; jmp *%edx */
	char err[VX_ERRLEN];
	uint32_t len, want, size;
	uint8_t *code = program(&len, &want);
	VxTrapInfo ti;
	VxStats st;
	Vx *vx;
	int r;

	if((vx = vx_new(MEM, err)) == NULL){
		diag("vx_new: %s", err);
		ok(0, "a sandbox");
		return done_testing();
	}
	size = (len + 0xfff) & ~0xfffu;
	vx_map(vx, 0x1000, STACKTOP - 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, CODE, size, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, CODE, len, VX_PROT_WRITE), code, len);
	vx_protect(vx, CODE, size, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(vx, TGT, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, TGT, sizeof t, VX_PROT_WRITE), t, sizeof t);
	vx_protect(vx, TGT, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC);
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
	r = vx_run(vx, &ti);
	vx_stats(vx, &st);
	is(r, VX_TRAP_SYSCALL, "the program ends at its int $0x80");
	is((long long)vx_getreg(vx, VX_EAX), (long long)want,
	   "%d blocks chained into one target, which then changes: each reaches the new code", K);
	ok(st.smc >= 1, "the target's change was seen as such (%llu)", (unsigned long long)st.smc);
	vx_free(vx);
	free(code);
	return done_testing();
}
