/*
 * vx_inlinks.c — the chained jumps into a fragment are all undone when
 * its code changes (translate.c, vx_invalidate, the Vx's log of links
 * that vx_linkexit keeps).  K blocks each jump to one target block T on
 * a page of its own, which adds 1 and jumps back through a register; the
 * program goes round them twice (their jumps to T chained), then writes
 * T's immediate (100) and goes round once more: every block must reach
 * the new T.  A link left to the old translation adds 1 where 100 was
 * asked for.  K is more than the links taken from the arena at a time.
 * The same again: T written back by the host (vx_access), in a fork's
 * copy, in a second sandbox on the memory (a thread), in the next
 * sandbox made (a spare's log of links).  Run once per engine by
 * tests/engine_unit.t.
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

static const uint8_t tcode[] = { 0x05, 1, 0, 0, 0, 0xff, 0xe2 };	/* add $1,%eax; jmp *%edx */

/* The program and T loaded into vx's memory (mapped when map) */
static void
load(Vx *vx, const uint8_t *code, uint32_t len, int map)
{
	uint32_t size = (len + 0xfff) & ~0xfffu;

	if(map){
		vx_map(vx, 0x1000, STACKTOP - 0x1000, VX_PROT_READ | VX_PROT_WRITE);
		vx_map(vx, CODE, size, VX_PROT_READ | VX_PROT_WRITE);
		memcpy(vx_access(vx, CODE, len, VX_PROT_WRITE), code, len);
		vx_protect(vx, CODE, size, VX_PROT_READ | VX_PROT_EXEC);
		vx_map(vx, TGT, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	}
	/* T's first bytes again, written by the host (vx_access drops
	 * the translations of T, and so the links into it, as a guest
	 * write would) */
	memcpy(vx_access(vx, TGT, sizeof tcode, VX_PROT_WRITE), tcode, sizeof tcode);
	if(map)
		vx_protect(vx, TGT, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC);
}

/* Run vx's program from the start: what it leaves in %eax, or -1 */
static long long
go(Vx *vx, const uint8_t *code, uint32_t len, int map)
{
	VxTrapInfo ti;
	int i;

	load(vx, code, len, map);
	for(i = 0; i < VX_NREG; i++)
		if(i != VX_EFLAGS)
			vx_setreg(vx, i, 0);
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
	if(vx_run(vx, &ti) != VX_TRAP_SYSCALL)
		return -1;
	return (long long)vx_getreg(vx, VX_EAX);
}

int
main(void)
{
	char err[VX_ERRLEN];
	uint32_t len, want;
	uint8_t *code = program(&len, &want);
	VxStats st;
	Vx *vx, *c;

	if((vx = vx_new(MEM, err)) == NULL){
		diag("vx_new: %s", err);
		ok(0, "a sandbox");
		return done_testing();
	}
	is(go(vx, code, len, 1), (long long)want,
	   "%d blocks chained into one target, which then changes: each reaches the new code", K);
	vx_stats(vx, &st);
	ok(st.smc >= 1, "the target's change was seen as such (%llu)", (unsigned long long)st.smc);
	/* T written back by the host, which must undo the links the run
	 * made to the translation of its new code */
	is(go(vx, code, len, 0), (long long)want, "again, T written back by the host first");
	if((c = vx_fork(vx, err)) == NULL)
		diag("vx_fork: %s", err);
	is(c != NULL ? go(c, code, len, 0) : -2, (long long)want, "in a fork's copy");
	is(go(vx, code, len, 0), (long long)want, "and in its parent after");
	vx_free(c);
	if((c = vx_thread(vx, err)) == NULL)
		diag("vx_thread: %s", err);
	is(c != NULL ? go(c, code, len, 0) : -2, (long long)want, "in a second sandbox on the same memory (a thread)");
	is(go(vx, code, len, 0), (long long)want, "and in the first after");
	vx_free(c);
	vx_free(vx);
	/* a spare (long engine): the freed one's state block, code cache
	 * and arena, where its log of links was */
	if((vx = vx_new(MEM, err)) == NULL)
		diag("vx_new: %s", err);
	is(vx != NULL ? go(vx, code, len, 1) : -2, (long long)want, "in the next sandbox made");
	is(vx != NULL ? go(vx, code, len, 0) : -2, (long long)want, "and again there");
	vx_free(vx);
	free(code);
	return done_testing();
}
