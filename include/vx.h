/*
 * vx.h — the vxinferno sandbox: run 32-bit x86 guest code confined by
 * segmentation and binary translation inside the host process.
 *
 * A Vx is one guest CPU (a register set) attached to a guest memory.
 * Several Vx may share one guest memory (guest threads); each must be run
 * from one host thread at a time.  Host code never dereferences guest
 * addresses itself: vx_access() checks a range and returns the host
 * pointer, or NULL.
 *
 * Errors: calls returning int give 0 on success and -1 on failure, with a
 * message in vx_errstr(); calls returning a pointer give NULL.
 */
#ifndef VX_H
#define VX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Vx Vx;

/* Guest registers, in x86 encoding order for the first eight. */
enum {
	VX_EAX, VX_ECX, VX_EDX, VX_EBX, VX_ESP, VX_EBP, VX_ESI, VX_EDI,
	VX_EIP, VX_EFLAGS,
	VX_NREG
};

/* Page permissions of guest memory. */
enum {
	VX_PROT_NONE  = 0,
	VX_PROT_READ  = 1,
	VX_PROT_WRITE = 2,
	VX_PROT_EXEC  = 4,
};

/* Why vx_run returned. */
enum {
	VX_TRAP_SYSCALL = 1,	/* int $0x80; eip is past the instruction */
	VX_TRAP_INT,		/* int $n, n != 0x80; vector in info.vector, eip past it */
	VX_TRAP_SYSENTER,	/* sysenter; eip past it */
	VX_TRAP_SYSCALLINSN,	/* the syscall instruction; eip past it */
	VX_TRAP_PAGEFAULT,	/* access outside mapped or permitted memory; info.addr */
	VX_TRAP_ILLEGAL,	/* undefined or unsupported instruction */
	VX_TRAP_PRIVILEGED,	/* privileged, I/O, far transfer or segment load */
	VX_TRAP_DIVIDE,		/* divide error */
	VX_TRAP_FPU,		/* x87 floating-point exception */
	VX_TRAP_SIMD,		/* SSE floating-point exception */
	VX_TRAP_BREAKPOINT,	/* int3; eip past it */
	VX_TRAP_SINGLESTEP,	/* one instruction ran with TF set */
	VX_TRAP_OVERFLOW,	/* into with OF set; eip past it */
	VX_TRAP_BOUND,		/* bound range exceeded */
	VX_TRAP_PREEMPT,	/* vx_stop() was called */
	VX_TRAP_ALIGN,		/* alignment check with AC set */
	VX_TRAP_BUSERR,		/* a file mapping's page past its file's end; info.addr */
	VX_NTRAP
};

typedef struct VxTrapInfo {
	int trap;		/* VX_TRAP_* */
	uint32_t eip;		/* guest eip of the trapping instruction */
	uint32_t addr;		/* faulting guest address (PAGEFAULT) */
	int write;		/* PAGEFAULT: the access was a write */
	int vector;		/* INT: the interrupt number */
} VxTrapInfo;

enum { VX_ERRLEN = 128 };

/* --- engines ---
 *
 * compat: guest code runs in 32-bit compatibility mode, its data accesses
 * checked by an LDT data segment (needs 32-bit code and LDT segments).
 * long: guest code is translated to 64-bit code; every guest access goes
 * through %gs into a 4 GiB window (any x86-64 host).
 * New sandboxes use vx_engine(): VXENGINE=compat|long in the environment
 * forces one, otherwise the best one the host runs (probed once). */
enum { VX_ENGINE_COMPAT = 1, VX_ENGINE_LONG = 2 };

/* The engine new sandboxes get, or 0 when the host runs none (vx_new then
 * fails saying why). */
int vx_engine(void);

/* 1 when this host can run engine e; otherwise 0 and a one-line reason in
 * why (may be NULL). */
int vx_engineok(int e, char why[VX_ERRLEN]);

/* "compat", "long", or "none". */
const char *vx_enginename(int e);

/* The engine of a sandbox. */
int vx_engineof(Vx *vx);

/* Create a sandbox of engine vx_engine() with memsize bytes of guest
 * memory (rounded up to pages; at most 3 GiB for compat; for long up to
 * 4 GiB: a memsize above 0xfffff000 means all 4 GiB, and vx_memsize then
 * says 0xfffff000).  All of it starts unmapped.  On failure (including no
 * engine: VXENGINE names one this host cannot run) returns NULL and, if
 * err is not NULL, writes a one-line message there. */
Vx *vx_new(uint32_t memsize, char err[VX_ERRLEN]);

/* Free a Vx.  Guest memory is freed with its last Vx.  A long-engine
 * Vx's state block and code cache may be kept, emptied, for the next
 * vx_new, vx_fork or vx_thread of the process (a process spawn in the
 * sandbox frees two and makes two), and so may a freed memory's page
 * arrays and (long) its window's reservation, emptied of every page,
 * and (vx_tcache) the copies of translation cache files read for it:
 * vx_dropspares gives them back. */
void vx_free(Vx *vx);
void vx_dropspares(void);

/* The host process is about to exit: finish with vx as vx_free would
 * for anything outside the process to see (the persistent translation
 * cache is written) and for vx_allstats, but leave its memory to the
 * process's exit, which takes it back in one pass (vx_free's munmaps
 * cost more).  vx must not be used again. */
void vx_abandon(Vx *vx);

/* The last error message of calls on vx. */
const char *vx_errstr(Vx *vx);

/* Guest memory size in bytes. */
uint32_t vx_memsize(Vx *vx);

/* Guest memory resident in the host now, in bytes (its pages mincore
 * finds in memory): a guest's resident set, for getrusage's ru_maxrss. */
uint64_t vx_resident(Vx *vx);

/* What the guest memory takes now, in bytes, below split (u[0]) and
 * from it on (u[1], a guest's stack, say): mapped pages
 * (Linux's VmSize), those private and writable (VmData), executable
 * (VmExe and VmLib), resident in the host (VmRSS, as vx_resident), and
 * resident of file or shared mappings (RssFile and RssShmem).  Read
 * without the memory's lock, so an embedder may ask under a lock of
 * its own that a thread mapping or forking may wait for: a moment's
 * figures only when no thread maps meanwhile. */
typedef struct VxMemUse {
	uint64_t mapped, data, exec, resident, fileres;
} VxMemUse;
void vx_memuse(Vx *vx, uint32_t split, VxMemUse u[2]);

/* A copy of vx and a private copy of its memory (fork). */
Vx *vx_fork(Vx *vx, char err[VX_ERRLEN]);

/* A new Vx sharing vx's memory, with a copy of its registers (a thread). */
Vx *vx_thread(Vx *vx, char err[VX_ERRLEN]);

/* --- loading --- */

typedef struct VxImage {
	uint32_t entry;		/* initial eip */
	uint32_t sp;		/* initial esp: argc, argv, envp, auxv */
	uint32_t brk;		/* first byte past the loaded segments, page aligned */
	uint32_t phdr, phnum;
	uint32_t base;		/* load bias (static-pie), 0 for ET_EXEC */
	uint32_t maptop;	/* the highest address mappings may reach: the
				 * stack region's bottom less a guard gap */
} VxImage;

/* Load a static ELF32 i386 executable from image[0..size) into vx, which
 * must have no mappings yet, build the initial stack (argv, envp, auxv) at
 * the top of guest memory and set eip and esp.  execfn is AT_EXECFN.  On
 * failure returns -1 with the reason in vx_errstr(). */
int vx_loadelf(Vx *vx, const void *image, size_t size,
	       char *const argv[], char *const envp[], const char *execfn,
	       VxImage *img);

/* The same from an open host file: the image is read through mmap and
 * the segments are mapped from the file copy-on-write where their file
 * offsets allow, so nothing is copied until the guest writes.  fd may be
 * closed afterwards. */
/* The most bytes of argv and envp the loaders take: each string with its
 * NUL and a 4-byte pointer.  Linux's limit, a quarter of the stack's
 * rlimit (8 MiB, as getrlimit says), and of each string (MAX_ARG_STRLEN);
 * the loaders take at most a quarter of their stack region, which may be
 * as small as 256 KiB. */
enum { VX_MAXARGBYTES = 2 << 20, VX_MAXARGSTRLEN = 128 * 1024 };

int vx_loadelffd(Vx *vx, int fd,
		 char *const argv[], char *const envp[], const char *execfn,
		 VxImage *img);

/* A dynamically linked executable (PT_INTERP).  vx_elfinterp: 1 and the
 * interpreter's path (NUL-terminated, at most n bytes) when the ELF file
 * fd names one, 0 when it is static, -1 (vx_errstr) when it is not a
 * valid ELF file.  vx_loadelfinterp: load the program from fd as
 * vx_loadelffd does and the interpreter (an ET_DYN ELF file, ld.so) from
 * ifd below the stack region; the guest starts at the interpreter's
 * entry with AT_BASE its load address and AT_ENTRY the program's.  The
 * caller finds the interpreter file (vxrun: in the guest's namespace,
 * never on the host). */
int vx_elfinterp(Vx *vx, int fd, char *path, size_t n);
int vx_loadelfinterp(Vx *vx, int fd, int ifd,
		     char *const argv[], char *const envp[], const char *execfn,
		     VxImage *img);

/* --- running --- */

/* Run guest code until a trap, fill *ti (may be NULL) and return ti->trap.
 * While the guest's TF is set (its popf, or vx_setreg of VX_EFLAGS), a
 * run is one instruction and VX_TRAP_SINGLESTEP at the next, as the CPU. */
int vx_run(Vx *vx, VxTrapInfo *ti);

/* Ask vx, which may be running on another thread, to stop soon with
 * VX_TRAP_PREEMPT.  Safe to call from any thread and from a signal handler. */
void vx_stop(Vx *vx);

/* VX_EFLAGS: the flags a program may set (CF PF AF ZF SF TF DF OF AC ID), IF on. */
uint32_t vx_getreg(Vx *vx, int reg);
void vx_setreg(Vx *vx, int reg, uint32_t val);

/* The guest's x87/SSE state in FXSAVE layout (512 bytes). */
void *vx_fpstate(Vx *vx);

/* The upper halves of the guest's ymm0-7 (8 x 16 bytes), where the guest
 * is offered AVX and the engines keep them; else NULL. */
void *vx_ymmstate(Vx *vx);

/* The x87/SSE state a Linux process starts with, into an FXSAVE area
 * (512 bytes): a new Vx's, and a sigreturn's without a saved one. */
void vx_fpinit(void *fx);

/* --- memory --- */

/* Check that guest [addr, addr+len) is mapped with at least prot and
 * return the host pointer for addr, or NULL.  The pointer stays valid
 * until the range is unmapped.  len 0 is allowed (any addr <= memsize). */
void *vx_access(Vx *vx, uint32_t addr, uint32_t len, int prot);

/* Copy n bytes where either side may be guest memory that another guest
 * thread unmaps or protects meanwhile (a host pointer from vx_access):
 * the copy ends at the first page the guest itself may not access so,
 * and no page is made accessible for it; returns the bytes moved, every
 * one before that page's piece.  Other host accesses to such a page
 * are let through (see vxmem_hostfault in mem.c). */
size_t vx_guardcopy(void *dst, const void *src, size_t n);

/* Map zeroed pages at a page-aligned guest address (replacing what was
 * there), unmap, and change protection.  Ranges must lie inside guest memory. */
int vx_map(Vx *vx, uint32_t addr, uint32_t len, int prot);
/* The same, holding the n bytes at src (zero after), put in place in
 * one step: a thread touching the range meanwhile reads the old pages or
 * the new ones, never a hole or zeros (MADV_DONTNEED's refill of a
 * copied file mapping). */
int vx_mapcopy(Vx *vx, uint32_t addr, uint32_t len, int prot, const void *src, uint32_t n);
/* Map len bytes of host file fd from offset off (both page aligned)
 * privately, copy-on-write: guest writes never reach the file. */
int vx_mapfile(Vx *vx, uint32_t addr, uint32_t len, int prot, int fd, uint64_t off);
/* The same, shared: guest writes reach the file (or memory object, e.g.
 * a memfd) and every other mapping of it, a vx_fork child maps the same
 * pages instead of copying them, and translations of code in them check
 * their bytes on entry (another process may write them at any time). */
int vx_mapshared(Vx *vx, uint32_t addr, uint32_t len, int prot, int fd, uint64_t off);
int vx_unmap(Vx *vx, uint32_t addr, uint32_t len);
/* mremap's move: the private pages [from, from+len) to [to, to+len)
 * (apart, to's old pages replaced), with their contents, protection,
 * charge and file (a private file mapping stays one, for fork and
 * MADV_DONTNEED), moved by the host rather than copied where it can;
 * from is then unmapped.  -1 (nothing changed) with errno ENOMEM for an
 * unmapped page or the host area cap, EINVAL for a shared page. */
int vx_move(Vx *vx, uint32_t from, uint32_t len, uint32_t to);
/* MADV_DONTNEED: private pages as they were mapped (a file mapping's
 * read from the file again, anonymous ones zero); shared ones kept. */
int vx_discard(Vx *vx, uint32_t addr, uint32_t len);
/* Fails (errno EACCES) where the host refuses, as for a shared mapping
 * of a file open read-only made writable; the pages keep their
 * protection then.
 * vx_map, vx_mapfile, vx_mapshared, vx_unmap and vx_protect also fail
 * with errno ENOMEM when the change could cut guest memory into more
 * host memory areas than the process's cap for all its sandboxes (3/4 of
 * vm.max_map_count, the rest kept for the host), as Linux's calls do at
 * max_map_count; so may vx_fork.  Unmapping whole ranges gives them back. */
int vx_protect(Vx *vx, uint32_t addr, uint32_t len, int prot);

/* With vx_mapshared's prot: the file is anonymous memory made for this
 * mapping (a memfd): its pages are charged as private ones (below). */
enum { VX_MAP_ANON = 0x200 };

/* With vx_map's prot: fault the pages in now rather than at each first
 * store (a small anonymous mapping a program is about to fill: on a
 * hypervisor that shadows page tables a page fault is a trip through
 * it, several µs). */
enum { VX_MAP_POPULATE = 0x400 };

/* --- accounting ---
 *
 * What guest memories take of the host can be drawn from an account the
 * embedder keeps (vxrun: one per sandbox of processes), shared by every
 * memory given it and by their vx_fork copies.  a->charge(a, what, n):
 * n > 0 asks for n more (0 if granted, -1 if refused), n < 0 gives back.
 *   VX_ACCT_PAGES: committed guest pages.  A private page is charged
 *     from the call that lets the guest write it (mapped writable, or
 *     made writable by vx_protect) until it is unmapped or mapped over,
 *     as Linux's commit charge: a page made read-only again keeps what
 *     was written.  Shared pages are their file's, uncharged, except
 *     VX_MAP_ANON ones.  A vx_fork copy charges all its parent's.  A
 *     call that would go past the account fails (errno ENOMEM) and
 *     changes nothing.
 *   VX_ACCT_FDS: host descriptors kept by file mappings (for fork),
 *     one per vx_mapfile or vx_mapshared call, shared by the vx_fork
 *     copies and charged to the account of the memory that made it
 *     until the last copy goes (the account is held meanwhile, as by a
 *     memory; vx_setaccount moves only those a memory holds alone);
 *     refused, a private mapping is only not remembered (its pages are
 *     copied by a fork), a shared one fails with ENOMEM.
 *   VX_ACCT_MEMS: memories holding the account (+1 when one takes it,
 *     -1 when it is freed): the account must live until the last goes.
 * The pages are counted whether or not there is an account;
 * vx_setaccount charges those mapped now to a (NULL: none) and gives
 * them back to the memory's old account: 0, or -1 (ENOMEM) if a
 * refuses, and nothing changes. */
enum { VX_ACCT_PAGES = 1, VX_ACCT_FDS, VX_ACCT_MEMS };
typedef struct VxAccount VxAccount;
struct VxAccount {
	int (*charge)(VxAccount *a, int what, int64_t n);
};
int vx_setaccount(Vx *vx, VxAccount *a);
/* Pages charged to vx's memory now (whatever its account). */
uint64_t vx_charged(Vx *vx);
/* Host memory that vx's memory holds beyond its pages (a program image
 * copied into a memfd, which its file mappings keep), charged to its
 * account as len bytes of committed pages until the memory is freed
 * (a vx_fork copy charged again): 0, or -1 (ENOMEM) past the bound. */
int vx_hold(Vx *vx, uint64_t len);

/* Protection of the page holding addr, or -1 when unmapped. */
int vx_pageprot(Vx *vx, uint32_t addr);
/* 1 when the page holding addr is a vx_mapshared mapping, else 0. */
int vx_pageshared(Vx *vx, uint32_t addr);
/* A name for the memory at addr that every Vx mapping the same memory
 * agrees on (futexes across processes): a shared mapping's file (device
 * and inode, whole) and offset, else the host address.  -1 outside
 * guest memory. */
int vx_memkey(Vx *vx, uint32_t addr, uint64_t key[3]);

/* Find len bytes of unmapped guest pages, highest first below 'below';
 * returns the address or 0 when none. */
uint32_t vx_findfree(Vx *vx, uint32_t len, uint32_t below);

/* --- TLS (Linux set_thread_area) --- */

enum { VX_NTLS = 3 };

/* Set TLS slot n (0..VX_NTLS-1) to guest base and byte limit.  The guest
 * reaches slot n through selector vx_tlssel(n) in %gs or %fs.  Accesses
 * through it are confined to guest memory like every other access. */
int vx_settls(Vx *vx, int n, uint32_t base, uint32_t limit);
uint16_t vx_tlssel(int n);	/* (12+n)<<3 | 3, as Linux i386 */
int vx_gettls(Vx *vx, int n, uint32_t *base, uint32_t *limit);

/* The same with the descriptor as set_thread_area's struct user_desc
 * gives it: its 20-bit limit (in pages with VX_TLS_PAGES) and flags,
 * which lar, lsl, verr, verw and get_thread_area show as Linux's GDT
 * entry would.  vx_settls's slot is 32-bit, useable, writable data, in
 * pages where the byte limit is past 1 MiB.  The flags only describe:
 * every access through the slot is confined to guest memory alike.
 * A slot set VX_TLS_NOTPRESENT is empty: vx_gettlsdesc fails for it, as
 * for one never set, its selector no longer loads, and %fs or %gs
 * holding it becomes 0 (Linux's set_thread_area that clears an entry). */
enum {
	VX_TLS_32BIT = 0x01,		/* seg_32bit */
	VX_TLS_CONTENTS = 0x06,		/* contents: 0 data, 1 expand-down data */
	VX_TLS_READONLY = 0x08,		/* read_exec_only */
	VX_TLS_PAGES = 0x10,		/* limit_in_pages */
	VX_TLS_NOTPRESENT = 0x20,	/* seg_not_present */
	VX_TLS_USEABLE = 0x40,		/* useable */
	VX_TLS_FLAGS = 0x7f,
};
int vx_settlsdesc(Vx *vx, int n, uint32_t base, uint32_t limit, uint32_t flags);
int vx_gettlsdesc(Vx *vx, int n, uint32_t *base, uint32_t *limit, uint32_t *flags);

/* The guest's current %gs and %fs selectors; setting one that names no
 * TLS slot (or 0) fails. */
uint16_t vx_getseg(Vx *vx, int fs);
int vx_setseg(Vx *vx, int fs, uint16_t sel);

/* --- tuning and statistics --- */

typedef struct VxStats {
	uint64_t fragments;	/* fragments translated */
	uint64_t codebytes;	/* bytes of translated code */
	uint64_t exits;		/* returns to the runtime from guest code */
	uint64_t flushes;	/* code cache flushes */
	uint64_t smc;		/* self-modifying code invalidations */
	uint64_t dispatch;	/* jmps to a dispatch block translated through */
	uint64_t thunks;	/* calls of a pc thunk translated as a mov */
	uint64_t guesses;	/* indirect branches given a guessed direct target */
	uint64_t inside;	/* direct jumps chained to an instruction inside
				   a fragment instead of a new translation */
	uint64_t tchits;	/* fragments copied from the persistent cache */
	uint64_t tcmisses;	/* fragments translated with the cache on */
	uint64_t tcshared;	/* fragments copied from another sandbox's
				   translations in this process since the load */
	/* what only warm code has (tests/fuzz/warm.sh counts them) */
	uint64_t callruns;	/* call sites' runs translated with their esp
				   change made ahead (long, warm: callrun) */
	uint64_t warmrets;	/* rets translated through the exact return
				   table (long, warm) */
	uint64_t warmind;	/* indirect jmps and calls translated through
				   it (long, warm: exactind) */
	uint64_t tcahead;	/* of tchits, fragments taken ahead (runahead) */
	uint64_t tclinks;	/* exits linked as a cache file's link
				   section said */
} VxStats;

void vx_stats(Vx *vx, VxStats *st);
/* The sum over every sandbox this process has made, live or freed. */
void vx_allstats(VxStats *st);

/*
 * Translations kept across runs (off unless asked for).  After
 * vx_tcache(dir, maxbytes, err), every sandbox that loads a program with
 * vx_loadelf* uses and extends a file in dir, named by the program's
 * image, the engine and this build of libvx: a fragment from it is used
 * only where the guest bytes are those it was made from.  The file is
 * written when the last sandbox using it is freed (vx_free), through a
 * temporary file and a rename; dir is made (mode 0700) if missing, and
 * its cache files are kept below maxbytes in all (0: a default), the
 * least recently used removed first.  dir NULL turns it off.  0, or -1
 * with err set (then the cache is off): also when dir is not the
 * user's (or root's) or group or others can write it ("unsafe"), since
 * whoever writes a cache file chooses code this process runs.  Only
 * long-engine sandboxes use it (doc/translator.md, "Trust").
 */
int vx_tcache(const char *dir, uint64_t maxbytes, char err[VX_ERRLEN]);

/*
 * Without a directory (vx_tcache off), vx_tcmemory(1) keeps the same
 * translations in this process's memory only: a program's fragments,
 * made when its last sandbox is freed into a read-only copy as a file
 * would hold them, serve the next sandbox of the same image (a shell
 * loop spawning one program again and again), under the same checks of
 * the guest bytes.  At most KEPTMAX images' copies and KEPTBYTES are
 * kept after their last sandbox (tcache.c); vx_dropspares gives them
 * back.  Long engine only, as vx_tcache.
 */
void vx_tcmemory(int on);

/* Trace translation to stderr (debugging). */
void vx_settrace(Vx *vx, int on);

#ifdef __cplusplus
}
#endif
#endif
