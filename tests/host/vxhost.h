/*
 * vxhost.h — the minimal test host: runs one static Linux i386 program in a
 * Vx and serves the few system calls a computing glibc program makes.  It
 * stands in for the real personality (vxrun) so libvx can be tested alone.
 * See doc/guest-abi.md.
 */
#ifndef VXHOST_H
#define VXHOST_H

#include <stdatomic.h>
#include <stdint.h>
#include "vx.h"

enum {
	GUESTPID = 100,		/* what getpid and gettid answer */
	PGSIZE = 4096,
	MINMAP = 0x10000,	/* like Linux's mmap_min_addr */
};

typedef struct Host Host;
struct Host {
	Vx *vx;
	VxImage img;
	uint32_t brkstart;	/* the initial break */
	uint32_t brk;		/* the current break, as the guest set it */
	uint32_t mmaptop;	/* mmap looks for free pages below this */
	int trace;		/* -t: print each system call */
	int closed;		/* bit n: guest closed fd n (0..2) */
	int tlsused;		/* bit n: TLS slot n was set */
	uint32_t cleartid;	/* set_tid_address */
	atomic_int inhost;	/* blocked in a host call that may not return soon */
};

/* A Linux system call: args from ebx ecx edx esi edi ebp; returns the value
 * for eax, -errno on failure (addresses are returned as positive longs). */
typedef long Sysfn(Host *h, uint32_t *a);

/* sys.c */
long vhsyscall(Host *h, uint32_t nr, uint32_t *a);
void vhexit(Host *h, int status) __attribute__((noreturn));

/* sysmem.c */
Sysfn vh_brk, vh_mmap2, vh_munmap, vh_mprotect, vh_mremap, vh_madvise;
uint64_t vhpgup(uint64_t a);
int vhrangefree(Host *h, uint32_t addr, uint32_t len);

/* sysfile.c */
Sysfn vh_read, vh_write, vh_readv, vh_writev, vh_close, vh_lseek, vh_llseek,
	vh_ioctl, vh_fcntl, vh_fstat64, vh_fstatat64, vh_statx, vh_nofile, vh_nofileat;
int vhfd(Host *h, uint32_t fd);

/* guest memory: the host pointer for guest [addr, addr+len) with prot, or NULL */
void *vhmem(Host *h, uint32_t addr, uint32_t len, int prot);
const char *vhstr(Host *h, uint32_t addr);
void vhput32(void *p, uint32_t v);
void vhput64(void *p, uint64_t v);
uint32_t vhget32(const void *p);

#endif
