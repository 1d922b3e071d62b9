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
long syscall_dispatch(Host *h, uint32_t nr, uint32_t *a);
void guestexit(Host *h, int status) __attribute__((noreturn));

/* sysmem.c */
Sysfn sys_brk, sys_mmap2, sys_munmap, sys_mprotect, sys_mremap, sys_madvise;
uint64_t pgup(uint64_t a);
int rangefree(Host *h, uint32_t addr, uint32_t len);

/* sysfile.c */
Sysfn sys_read, sys_write, sys_readv, sys_writev, sys_close, sys_lseek, sys_llseek,
	sys_ioctl, sys_fcntl, sys_fstat64, sys_fstatat64, sys_statx, sys_nofile, sys_nofileat;
int hostfd(Host *h, uint32_t fd);

/* guest memory: the host pointer for guest [addr, addr+len) with prot, or NULL */
void *gmem(Host *h, uint32_t addr, uint32_t len, int prot);
const char *gstr(Host *h, uint32_t addr);
void put32(void *p, uint32_t v);
void put64(void *p, uint64_t v);
uint32_t get32(const void *p);

#endif
