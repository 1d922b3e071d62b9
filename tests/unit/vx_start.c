/*
 * vx_start.c — what setting a sandbox up maps and leaves behind
 * (doc/bench.md, "Start-up"): more sandboxes than get huge pages, each run
 * through a program whose translation outgrows the first metadata chunk,
 * then freed, leave the host's mappings as they were; a private writable
 * file mapping of up to 1 MiB is copied in by vx_mapfile itself (its pages
 * present before the guest touches them), holds the file's bytes, and the
 * guest's stores stay in the copy.  Run once per engine by
 * tests/engine_unit.t.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"

enum {
	CODE = 0x10000,
	STACK = 0x100000,
	STACKTOP = 0x108000,
	MEM = 16 << 20,
	NSAND = 25,		/* past HUGEVX (8) three times */
	NBLK = 8000,		/* fragments: their metadata > 2 MiB of arena */
	FILEAT = 0x400000,
	FILELEN = 64 << 10,
};

/* NBLK blocks of `add $k,%eax; jmp next`, then int $0x80; *sum is eax. */
static uint8_t *
program(uint32_t *len, uint32_t *sum)
{
	uint8_t *p = malloc(NBLK * 10 + 8), *q = p;
	uint32_t k = 7;
	int i;

	if(p == NULL)
		abort();
	*sum = 0;
	*q++ = 0x31; *q++ = 0xc0;		/* xor %eax,%eax */
	for(i = 0; i < NBLK; i++){
		k = k * 1103515245u + 12345u;
		*sum += k;
		*q++ = 0x05;			/* add $k,%eax */
		memcpy(q, &k, 4);
		q += 4;
		*q++ = 0xe9;			/* jmp to the next block */
		memset(q, 0, 4);
		q += 4;
	}
	*q++ = 0xcd; *q++ = 0x80;
	*len = (uint32_t)(q - p);
	return p;
}

/* Mappings of this process other than its heap, stack and vDSO: how many
 * and how many bytes. */
static void
maps(long *n, unsigned long long *bytes)
{
	char line[512];
	unsigned long long lo, hi;
	FILE *f = fopen("/proc/self/maps", "r");

	*n = 0;
	*bytes = 0;
	if(f == NULL)
		return;
	while(fgets(line, sizeof line, f) != NULL){
		if(strstr(line, "[heap]") || strstr(line, "[stack]") || strstr(line, "[v"))
			continue;
		if(sscanf(line, "%llx-%llx", &lo, &hi) == 2){
			(*n)++;
			*bytes += hi - lo;
		}
	}
	fclose(f);
}

static Vx *
mk(const uint8_t *code, uint32_t len)
{
	return vxt_guest(MEM, CODE, code, len, (len + 0xfff) & ~0xfffu, STACK, STACKTOP);
}

static void
leftover(void)
{
	Vx *vx[NSAND];
	uint32_t len, sum;
	uint8_t *code = program(&len, &sum);
	long n0, n1;
	unsigned long long b0, b1;
	int i, good = 0, made = 0;

	/* the process's one-time set-up (stubs, signal stack, tables) first */
	vx[0] = mk(code, len);
	if(vx[0] != NULL && vxt_run(vx[0], CODE, STACKTOP) == VX_TRAP_SYSCALL)
		vx_free(vx[0]);
	vx_dropspares();
	maps(&n0, &b0);
	for(i = 0; i < NSAND; i++){
		vx[i] = mk(code, len);
		if(vx[i] == NULL)
			continue;
		made++;
		if(vxt_run(vx[i], CODE, STACKTOP) == VX_TRAP_SYSCALL && vx_getreg(vx[i], VX_EAX) == sum)
			good++;
	}
	is(made, NSAND, "%d sandboxes at once", NSAND);
	is(good, made, "each ran its %d blocks to the right sum", NBLK);
	for(i = 0; i < NSAND; i++)
		vx_free(vx[i]);
	vx_dropspares();	/* the state blocks and caches kept for the next */
	maps(&n1, &b1);
	is(n1, n0, "freed: as many host mappings as before");
	is((long long)b1, (long long)b0, "freed: as many bytes mapped as before");
	free(code);
}

/* Is the host page at p present (/proc/self/pagemap bit 63)? -1: unknown. */
static int
present(const void *p)
{
	uint64_t e;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	int r = -1;

	if(fd >= 0 && pread(fd, &e, 8, (off_t)((uintptr_t)p / 4096 * 8)) == 8)
		r = (int)(e >> 63 & 1);
	if(fd >= 0)
		close(fd);
	return r;
}

SNIP(store, "movl $0x55aa55aa,0x400000+0x2000\n mov 0x400000+0x3004,%eax\n int $0x80")

static void
privdata(void)
{
	char path[] = "/tmp/vx_start.XXXXXX", err[VX_ERRLEN];
	uint8_t *buf = malloc(FILELEN), *h, back[4];
	uint32_t w;
	int fd, i, all;
	Vx *vx;

	fd = mkstemp(path);
	if(buf == NULL || fd < 0){
		ok(0, "a scratch file");
		return;
	}
	unlink(path);
	for(i = 0; i < FILELEN; i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	if(write(fd, buf, FILELEN) != FILELEN){
		ok(0, "a scratch file");
		close(fd);
		return;
	}
	vx = vx_new(MEM, err);
	if(vx == NULL){
		ok(0, "vx_new: %s", err);
		close(fd);
		return;
	}
	ok(vx_mapfile(vx, FILEAT, FILELEN, VX_PROT_READ | VX_PROT_WRITE, fd, 0) == 0, "a private writable file mapping");
	h = vx_access(vx, FILEAT, FILELEN, VX_PROT_READ);
	all = h != NULL;
	for(i = 0; all && i < FILELEN; i += 4096)
		if(present(h + i) != 1)
			all = 0;
	ok(all, "its %d pages are in memory before the guest touches one", FILELEN / 4096);
	ok(h != NULL && memcmp(h, buf, FILELEN) == 0, "and hold the file's bytes");
	vx_map(vx, CODE, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, CODE, (uint32_t)(store_e - store_s), VX_PROT_WRITE), store_s, store_e - store_s);
	vx_protect(vx, CODE, 0x1000, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(vx, STACK, STACKTOP - STACK, VX_PROT_READ | VX_PROT_WRITE);
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "a guest stores into it and reads it");
	memcpy(&w, buf + 0x3004, 4);
	is(vx_getreg(vx, VX_EAX), w, "the guest reads the file's word");
	memcpy(&w, h + 0x2000, 4);
	is(w, 0x55aa55aa, "the guest's store is in its copy");
	ok(pread(fd, back, 4, 0x2000) == 4 && memcmp(back, buf + 0x2000, 4) == 0, "and not in the file");
	vx_free(vx);
	close(fd);
	free(buf);
}

int
main(void)
{
	leftover();
	privdata();
	return done_testing();
}
