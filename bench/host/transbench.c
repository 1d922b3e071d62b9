/*
 * transbench FILE VADDR OFFSET LEN [N] — the translator alone: the LEN
 * bytes of FILE at OFFSET (an i386 program's .text, from readelf -S) are
 * mapped executable at VADDR in a new sandbox, and the targets of its
 * direct calls and jumps, in a fixed shuffled order, are translated as a
 * program's start would reach them, N of them (default 16,000, about
 * python3 -c pass's fragments), none run.  Prints the fragments made and
 * the TSC cycles they took.  The translation of a start without the
 * guest or the kernel; under `valgrind --tool=callgrind
 * --toggle-collect=vx_translate` its instruction counts are the same
 * from run to run (its cycles are not, on a shared machine), so a change
 * of a few percent in the translator shows (doc/bench.md, "Translation's own
 * cost").  Build against the library, internal headers included:
 *
 *	cc -O2 -g -Iinclude -Ilibvx -o /tmp/transbench bench/host/transbench.c build/libvx.a -lpthread
 *	readelf -S build/i386root/usr/bin/python3.11 | grep ' .text'
 *	/tmp/transbench build/i386root/usr/bin/python3.11 0x08061f20 0x19f20 0x2abd52
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <x86intrin.h>
#include "vx.h"
#include "vxpriv.h"
#include "decode.h"

enum { MEMSIZE = 0x10000000 };

static int
cmpaddr(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The direct branch targets inside [lo, lo + n) of the n bytes at b
 * (guest address lo), by a linear sweep: sorted, each once; *nt of them. */
static uint32_t *
targets(const uint8_t *b, uint32_t lo, uint32_t n, int *nt)
{
	uint32_t *t = malloc(n / 2 * sizeof *t + sizeof *t), i, avail;
	VxInsn in;
	int k = 0, m = 0, r;

	if(t == NULL)
		return NULL;
	for(i = 0; i < n; i += r > 0 ? (uint32_t)r : 1){
		avail = n - i < 16 ? n - i : 16;
		r = vx_decode(b + i, avail, lo + i, &in);
		if(r > 0 && (in.cls == VXC_CALL || in.cls == VXC_JMP || in.cls == VXC_JCC)
		&& in.target >= lo && in.target - lo < n)
			t[k++] = in.target;
	}
	qsort(t, k, sizeof *t, cmpaddr);
	for(r = 0; r < k; r++)
		if(m == 0 || t[m - 1] != t[r])
			t[m++] = t[r];
	*nt = m;
	return t;
}

/* A fixed order (xorshift), so that runs translate the same fragments. */
static void
shuffle(uint32_t *t, int n)
{
	uint64_t s = 88172645463325252ull;
	uint32_t x;
	int i, j;

	for(i = n - 1; i > 0; i--){
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		j = (int)(s % (uint64_t)(i + 1));
		x = t[i];
		t[i] = t[j];
		t[j] = x;
	}
}

int
main(int argc, char **argv)
{
	char err[VX_ERRLEN];
	uint32_t vaddr, off, len, pg, plen, *t;
	uint64_t c0, c1;
	uint8_t *b;
	VxTrapInfo ti;
	FILE *f;
	Vx *vx;
	int i, n, nt, made;

	if(argc < 5){
		fprintf(stderr, "usage: transbench file vaddr offset len [n]\n");
		return 2;
	}
	vaddr = (uint32_t)strtoul(argv[2], NULL, 0);
	off = (uint32_t)strtoul(argv[3], NULL, 0);
	len = (uint32_t)strtoul(argv[4], NULL, 0);
	n = argc > 5 ? atoi(argv[5]) : 16000;
	pg = vaddr & ~0xfffu;
	plen = (len + (vaddr - pg) + 0xfff) & ~0xfffu;
	if(off < vaddr - pg || (uint64_t)pg + plen > 0xc0000000u){
		fprintf(stderr, "transbench: bad offset or address\n");
		return 2;
	}
	if((f = fopen(argv[1], "rb")) == NULL || (b = calloc(1, plen)) == NULL
	|| fseek(f, (long)(off - (vaddr - pg)), SEEK_SET) != 0 || fread(b, 1, plen, f) == 0){
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	if((vx = vx_new(pg + plen > MEMSIZE ? pg + plen : MEMSIZE, err)) == NULL){
		fprintf(stderr, "transbench: %s\n", err);
		return 1;
	}
	vx_map(vx, pg, plen, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, pg, plen, VX_PROT_WRITE), b, plen);
	vx_protect(vx, pg, plen, VX_PROT_READ | VX_PROT_EXEC);
	if((t = targets(b + (vaddr - pg), vaddr, len, &nt)) == NULL)
		return 1;
	shuffle(t, nt);
	if(n > nt)
		n = nt;
	made = 0;
	c0 = __rdtsc();
	for(i = 0; i < n; i++){
		if(vx_findfrag(vx, t[i]) != NULL)
			continue;
		memset(&ti, 0, sizeof ti);
		if(vx_translate(vx, t[i], &ti) != NULL)
			made++;
	}
	c1 = __rdtsc();
	printf("%d targets, %d translated: %.2f M TSC cycles, %.0f a fragment; %lu code bytes\n",
		nt, made, (double)(c1 - c0) / 1e6, made ? (double)(c1 - c0) / made : 0.0,
		(unsigned long)vx->stats.codebytes);
	vx_free(vx);
	return 0;
}
