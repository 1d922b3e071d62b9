/*
 * vx_cache.c — the code cache: a program whose translation is larger
 * than the long engine's first claim (1 MiB) is translated once, with no
 * flush (the cache grows in place), and runs right, chained jumps across
 * the old and the new part included; the same when the low 4 GB is
 * crowded by 1,000 other sandboxes (their unclaimed reservations are
 * taken back, the cache grows by extension or by a flush into a new
 * mapping).  A flush after the fragment table grew (its bigger tables
 * live in the flushed metadata) leaves a table that finds the new
 * fragments.  Run once per engine by tests/engine_unit.t.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "vx.h"

enum {
	CODE = 0x10000,
	NBLK = 8000,		/* blocks of ADDS adds and a jump: > 2 MiB translated */
	ADDS = 60,
	BLK = ADDS * 5 + 5,
	STACKTOP = 0x8000,
	MEM = 8 << 20,
	NSAND = 1000,
};

static uint32_t want;

/* NBLK blocks of `add $k,%eax`, each ending in a jump to the next; the
 * whole run twice (the second time through chained code), then int $0x80. */
static uint8_t *
program(uint32_t *len)
{
	uint32_t n = NBLK * BLK + 16, k = 1, at;
	uint8_t *p = malloc(n), *q = p;
	int i, j;

	if(p == NULL)
		abort();
	want = 0;
	*q++ = 0x31; *q++ = 0xc0;		/* xor %eax,%eax */
	*q++ = 0xb9; memcpy(q, &(uint32_t){ 2 }, 4); q += 4;	/* mov $2,%ecx */
	for(i = 0; i < NBLK; i++){
		for(j = 0; j < ADDS; j++){
			k = k * 1103515245u + 12345u;
			*q++ = 0x05;
			memcpy(q, &k, 4);
			q += 4;
			want += 2 * k;
		}
		*q++ = 0xe9;				/* jmp to the next block */
		memcpy(q, &(uint32_t){ 0 }, 4);
		q += 4;
	}
	*q++ = 0x49;				/* dec %ecx */
	at = (uint32_t)(q - p);
	*q++ = 0x0f; *q++ = 0x85;		/* jnz the first block */
	{
		int32_t rel = 7 - (int32_t)(at + 6);
		memcpy(q, &rel, 4);
		q += 4;
	}
	*q++ = 0xcd; *q++ = 0x80;
	*len = (uint32_t)(q - p);
	return p;
}

static void
load(Vx *vx, const uint8_t *code, uint32_t len)
{
	uint32_t size = (len + 0xfff) & ~0xfffu;

	vx_map(vx, CODE, size, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, CODE, len, VX_PROT_WRITE), code, len);
	vx_protect(vx, CODE, size, VX_PROT_READ | VX_PROT_EXEC);
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
}

/* A sandbox, with the program loaded when code is not NULL. */
static Vx *
mk(const uint8_t *code, uint32_t len)
{
	char err[VX_ERRLEN];
	Vx *vx = vx_new(MEM, err);

	if(vx == NULL){
		diag("vx_new: %s", err);
		return NULL;
	}
	vx_map(vx, 0x1000, STACKTOP - 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	if(code != NULL)
		load(vx, code, len);
	return vx;
}

/* Run the program in vx; its result and statistics. */
static int
runbig(Vx *vx, VxStats *st)
{
	VxTrapInfo ti;
	int r;

	r = vx_run(vx, &ti);
	vx_stats(vx, st);
	return r == VX_TRAP_SYSCALL && vx_getreg(vx, VX_EAX) == want && vx_getreg(vx, VX_ECX) == 0;
}

int
main(void)
{
	static Vx *v[NSAND];
	uint8_t *code;
	uint32_t len;
	VxStats st, all;
	Vx *vx;
	int i, made;

	code = program(&len);
	vx = mk(code, len);
	if(!ok(vx != NULL, "a sandbox"))
		return done_testing();
	ok(runbig(vx, &st), "%d blocks run twice: the sum is right", NBLK);
	ok(st.codebytes > 2u << 20, "more than 2 MiB translated (%llu bytes)", (unsigned long long)st.codebytes);
	ok(st.fragments >= NBLK && st.fragments < NBLK + 16,
		"each block translated once (%llu fragments)", (unsigned long long)st.fragments);
	is((long long)st.flushes, 0, "the cache grew without a flush");
	/* a code page's protection changed in a sandbox whose memory
	 * another one shares flushes its cache (vx_applysmc): run it all
	 * again after that */
	{
		char err[VX_ERRLEN];
		Vx *t = vx_thread(vx, err);

		if(ok(t != NULL && vx_protect(vx, CODE, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC) == 0,
			"a thread sharing its memory; a code page made writable")){
			vx_setreg(vx, VX_EIP, CODE);
			vx_setreg(vx, VX_ESP, STACKTOP);
			ok(runbig(vx, &st), "run again after the flush: the sum is right");
			is((long long)st.flushes, 1, "one flush");
			ok(st.fragments >= 2 * NBLK && st.fragments < 2 * NBLK + 32,
				"each block translated once more (%llu fragments in all)", (unsigned long long)st.fragments);
		}
		vx_free(t);
	}
	vx_allstats(&all);
	ok(all.fragments >= st.fragments && all.codebytes >= st.codebytes, "the process's statistics count it");
	vx_free(vx);
	vx_allstats(&st);
	is((long long)st.fragments, (long long)all.fragments, "and still count it once it is freed");

	if(vx_engine() != VX_ENGINE_LONG){
		ok(1, "# skip crowded low 4 GB: long engine only");
		free(code);
		return done_testing();
	}
	/* crowd the low 4 GB, then grow the first and the last one's cache */
	for(made = 0; made < NSAND; made++)
		if((v[made] = mk(NULL, 0)) == NULL)
			break;
	if(is(made, NSAND, "%d long sandboxes", NSAND)){
		int which[2] = { 0, NSAND - 1 };
		for(i = 0; i < 2; i++){
			load(v[which[i]], code, len);
			ok(runbig(v[which[i]], &st), "sandbox %d among them: the sum is right (%llu flushes)",
				which[i], (unsigned long long)st.flushes);
		}
	}
	for(i = 0; i < made; i++)
		vx_free(v[i]);
	vx = mk(code, len);
	ok(vx != NULL && runbig(vx, &st) && st.flushes == 0, "all freed: a cache grows without a flush again");
	vx_free(vx);
	free(code);
	return done_testing();
}
