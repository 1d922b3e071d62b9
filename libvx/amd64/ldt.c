/*
 * ldt.c — LDT descriptors, and compat's stubs in the low 4 GB (low.c).
 *
 * The LDT is per process, so entries are shared out under a lock; this is
 * only on the slow path (creating sandboxes).
 */
#include <asm/ldt.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../vxpriv.h"

enum { NLDT = 8192, FIRSTLDT = 16 };

static pthread_mutex_t ldtlock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t ldtused[NLDT];

static pthread_mutex_t sellk = PTHREAD_MUTEX_INITIALIZER;	/* vx_statesel's: takes ldtlock */
static pthread_mutex_t bloblk = PTHREAD_MUTEX_INITIALIZER;	/* vx_blobinit's: vx_lowmap's locks */

/* Held across a host fork (vx.c, forkhold), before every other lock of
 * libvx (the set-ups take some of those): the one-time set-ups'. */
void
vx_setupforkhold(int hold)
{
	if(hold){
		pthread_mutex_lock(&bloblk);
		pthread_mutex_lock(&sellk);
	}else{
		pthread_mutex_unlock(&sellk);
		pthread_mutex_unlock(&bloblk);
	}
}

/* Held across a host fork (vx.c, forkhold): the LDT's (held over a
 * modify_ldt, slow on compat hosts). */
void
vx_ldtforkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&ldtlock);
	else
		pthread_mutex_unlock(&ldtlock);
}

static int
setldt(int ent, uint32_t base, uint32_t limit, int pages, int present)
{
	struct user_desc d;

	memset(&d, 0, sizeof d);
	d.entry_number = ent;
	d.base_addr = base;
	d.limit = limit;
	d.seg_32bit = 1;
	d.contents = 0;		/* data, expand up */
	d.read_exec_only = 0;
	d.limit_in_pages = pages;
	d.seg_not_present = !present;
	d.useable = 1;
	if(!present){
		memset(&d, 0, sizeof d);
		d.entry_number = ent;
		d.read_exec_only = 1;
		d.seg_not_present = 1;
	}
	return syscall(SYS_modify_ldt, 1, &d, sizeof d);
}

/* A 32-bit writable data segment; *sel gets its selector (TI=1, RPL 3). */
int
vx_ldtalloc(uint32_t base, uint32_t limit, int pages, uint16_t *sel)
{
	int ent;

	pthread_mutex_lock(&ldtlock);
	for(ent = FIRSTLDT; ent < NLDT; ent++)
		if(!ldtused[ent])
			break;
	if(ent == NLDT){
		pthread_mutex_unlock(&ldtlock);
		errno = ENOSPC;
		return -1;
	}
	if(setldt(ent, base, limit, pages, 1) < 0){
		pthread_mutex_unlock(&ldtlock);
		return -1;
	}
	ldtused[ent] = 1;
	pthread_mutex_unlock(&ldtlock);
	*sel = (uint16_t)(ent << 3 | 4 | 3);
	return ent;
}

/* The entry is only marked free: clearing it would cost another
 * modify_ldt, and with it an interrupt to every CPU running this process.
 * Nothing uses a freed entry (a thread's stale selector is reloaded on
 * entry because it differs, or refreshed by the kernel when the entry is
 * rewritten). */
void
vx_ldtfree(int ent)
{
	if(ent < FIRSTLDT || ent >= NLDT)
		return;
	pthread_mutex_lock(&ldtlock);
	ldtused[ent] = 0;
	pthread_mutex_unlock(&ldtlock);
}

/* One selector for every state block of the process: %fs gets its limit
 * from it, its base from wrfsbase (see blob.S), so one descriptor serves
 * all.  Allocated once. */
uint16_t
vx_statesel(void)
{
	static uint16_t sel;

	pthread_mutex_lock(&sellk);
	if(sel == 0 && vx_ldtalloc(0, S_SIZE - 1, 0, &sel) < 0)
		sel = 0;
	pthread_mutex_unlock(&sellk);
	return sel;
}

/* The stubs in the low 4 GB. */
static uint8_t *bloblow;
uintptr_t vx_enter64wrfsaddr;
VxEnterFn vx_enter;

uint32_t
vx_blobaddr(const void *sym)
{
	/* 0 until vx_blobinit: a long engine alone never copies the stubs
	 * (newvx and the signal handler ask all the same) */
	if(bloblow == NULL)
		return 0;
	return (uint32_t)(uintptr_t)(bloblow + ((const uint8_t *)sym - vxblob_start));
}

int
vx_blobinit(char *err)
{
	size_t n = vxblob_end - vxblob_start;
	uint8_t *p;

	pthread_mutex_lock(&bloblk);
	if(bloblow){
		pthread_mutex_unlock(&bloblk);
		return 0;
	}
	p = vx_lowmap(VX_PAGE, PROT_READ | PROT_WRITE, err);
	if(p == NULL){
		pthread_mutex_unlock(&bloblk);
		return -1;
	}
	memcpy(p, vxblob_start, n);
	if(mprotect(p, VX_PAGE, PROT_READ | PROT_EXEC) < 0){
		if(err)
			snprintf(err, VX_ERRLEN, "mprotect stubs: %s", strerror(errno));
		vx_lowfree(p, VX_PAGE);
		pthread_mutex_unlock(&bloblk);
		return -1;
	}
	bloblow = p;
	vx_enter64wrfsaddr = vx_blobaddr(vxblob_enter64_wrfs);
	vx_enter = (VxEnterFn)(uintptr_t)vx_blobaddr(vxblob_enter64);
	pthread_mutex_unlock(&bloblk);
	return 0;
}
