/*
 * vx_perfmap.c — VXPERFMAP=1's map (/tmp/perf-PID.map) never names a
 * host address twice: perf reads it without times, so a host address
 * that held one fragment and then another charges every sample there to
 * whichever line it takes.  On each engine: a sandbox runs a loop, is
 * freed, and a second one runs it (a freed cache's addresses, or a
 * spare's, would go to the second); on the long engine the second runs
 * fib long enough to warm, whose flush retranslates what ran before.
 * The map's ranges must not overlap (the file is one per process: the
 * second engine's check reads the first's lines too).  It loops over the engines itself
 * (ENGINES-IN-ONE-RUN): tests/engine_unit.t and make test run it once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"

enum { CODE = 0x10000, STACKTOP = 0x30000, MEM = 1 << 24, MAXFRAG = 100000 };

/* bench/fib's code, fib(20) 400 times: 8.7 million rets warm a long Vx */
SNIP(fib, "mov $400,%edi\n xor %ebp,%ebp\n 2: mov $20,%eax\n call 3f\n add %eax,%ebp\n dec %edi\n jnz 2b\n int $0x80\n"
	" 3: push %esi\n push %ebx\n mov %eax,%ebx\n sub $4,%esp\n cmp $1,%eax\n jbe 1f\n"
	" lea -1(%eax),%eax\n call 3b\n mov %eax,%esi\n lea -2(%ebx),%eax\n call 3b\n lea (%esi,%eax),%ebx\n"
	" 1: add $4,%esp\n mov %ebx,%eax\n pop %ebx\n pop %esi\n ret")

typedef struct Range {
	unsigned long lo, hi;
	unsigned guest;
} Range;

static Range r[MAXFRAG];

static int
bylo(const void *a, const void *b)
{
	const Range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static uint64_t
runfib(const char *en)
{
	VxTrapInfo ti;
	VxStats st;
	Vx *vx = vxt_guest(MEM, CODE, fib_s, (size_t)(fib_e - fib_s), 0x1000, STACKTOP - 0x8000, STACKTOP);

	if(vx == NULL)
		return ~0ull;
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
	ok(vx_run(vx, &ti) == VX_TRAP_SYSCALL && vx_getreg(vx, VX_EBP) == 400 * 6765,
		"%s: fib(20) 400 times runs", en);
	vx_stats(vx, &st);
	vx_free(vx);
	return st.flushes;
}

static void
check(const char *en, int engine)
{
	char path[64], line[256];
	unsigned long size;
	uint64_t flushes;
	int n = 0, i, over = 0, again = 0;
	FILE *f;

	snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
	runfib(en);
	flushes = runfib(en);
	if(engine == VX_ENGINE_LONG)
		ok(flushes == 1, "%s: the second run warmed (%llu flushes)", en, (unsigned long long)flushes);
	f = fopen(path, "r");
	ok(f != NULL, "%s: %s written", en, path);
	if(f == NULL)
		return;
	while(n < MAXFRAG && fgets(line, sizeof line, f) != NULL)
		if(sscanf(line, "%lx %lx vx:%x", &r[n].lo, &size, &r[n].guest) == 3){
			r[n].hi = r[n].lo + size;
			n++;
		}
	fclose(f);
	qsort(r, n, sizeof r[0], bylo);
	for(i = 1; i < n; i++){
		if(r[i].lo < r[i - 1].hi){
			if(over++ == 0)
				diag("%lx+%lx vx:%08x overlaps %lx+%lx vx:%08x", r[i].lo, r[i].hi - r[i].lo, r[i].guest,
					r[i - 1].lo, r[i - 1].hi - r[i - 1].lo, r[i - 1].guest);
		}
	}
	for(i = 0; i < n; i++)
		again += r[i].guest == CODE;
	ok(again >= 2, "%s: %d fragments listed, the entry translated %d times", en, n, again);
	ok(over == 0, "%s: no host address named twice (%d overlaps)", en, over);
}

int
main(void)
{
	static const char *names[] = { "compat", "long" };
	char why[VX_ERRLEN];
	char path[64];
	int e;

	snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
	unlink(path);	/* a dead process's of the same pid */
	setenv("VXPERFMAP", "1", 1);	/* before the first translation: read once */
	for(e = VX_ENGINE_COMPAT; e <= VX_ENGINE_LONG; e++){
		if(!vx_engineok(e, why)){
			ok(1, "# skip %s: %s", names[e - 1], why);
			continue;
		}
		setenv("VXENGINE", names[e - 1], 1);
		check(names[e - 1], e);
	}
	unlink(path);
	return done_testing();
}
