/*
 * elf.c — load an ELF32 i386 executable (and, for a dynamic one, its
 * program interpreter) into guest memory and build the initial process
 * stack of the Linux i386 ABI (argc, argv, envp, auxv).
 *
 * Everything in the image is untrusted.  Each header field is checked
 * before it is used, and address arithmetic is done in 64 bits so that a
 * 32-bit wrap cannot slip a segment past a check.  vx_loadelf copies the
 * segments out of an image in memory; vx_loadelffd maps them from the file
 * copy-on-write where their offsets allow (vx_mapfile) and copies only the
 * partial pages at their ends.  See doc/guest-abi.md for the layout this produces.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <unistd.h>

#include "vxpriv.h"

enum {
	PGSIZE = 4096,
	MAXPHNUM = 128,			/* program headers we accept */
	MAXARGBYTES = VX_MAXARGBYTES,	/* argv+envp strings and pointers */
	STACKMAX = 8 << 20,		/* stack region size */
	STACKMIN = 256 << 10,		/* smallest stack we build */
	STACKGAP = 1 << 20,		/* left free below it: Linux's stack_guard_gap */
	PIEBASE = 0x00400000,		/* lowest load address of a static-pie */
	MAXALIGN = 1 << 24,		/* largest p_align honoured for static-pie */
	MINADDR = PGSIZE,		/* page zero is never mapped */
	NAUXV = 19,			/* auxv pairs, AT_NULL included */
};

/* AT_HWCAP: CPUID.1:EDX bits of what the sandbox offers a guest:
 * fpu(0) tsc(4) cx8(8) cmov(15) mmx(23) fxsr(24) sse(25) sse2(26). */
#define GUESTHWCAP	0x07808111u
#define GUESTPLATFORM	"i686"

enum { MAXIMAGE = 1 << 30 };

typedef struct Load Load;
struct Load {
	Vx *vx;
	const uint8_t *image;
	size_t size;
	Elf32_Ehdr eh;
	Elf32_Phdr ph[MAXPHNUM];	/* the PT_LOAD headers, in order */
	int nload;
	int stackx;			/* PT_GNU_STACK asked for an executable stack */
	uint32_t entry;			/* before relocation */
	uint64_t lo, hi;		/* page range of the image, before relocation */
	uint32_t bias;
	uint32_t phdr;			/* guest address of the program headers, 0 if not loaded */
	uint32_t stacklo, stacktop;
	uint32_t maptop;		/* stacklo less the guard gap: the interpreter and mmap below */
	int mapped;			/* something is mapped: undo on failure */
	int fd;				/* the image's host file, or -1: copy */
	int allowinterp;		/* PT_INTERP is recorded, not refused */
	int isinterp;			/* this is the interpreter */
	uint32_t interpoff, interplen;	/* PT_INTERP's string in the file, 0 len: none */
	uint32_t abase, aentry;		/* AT_BASE, and eip when an interpreter runs first */
};

static uint64_t
pgdown(uint64_t a)
{
	return a & ~(uint64_t)(PGSIZE - 1);
}

static uint64_t
pgup(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

static int
ispow2(uint32_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static int
elfprot(uint32_t pflags)
{
	int prot = VX_PROT_NONE;

	if(pflags & PF_R)
		prot |= VX_PROT_READ;
	if(pflags & PF_W)
		prot |= VX_PROT_WRITE;
	if(pflags & PF_X)
		prot |= VX_PROT_EXEC;
	return prot;
}

static int
checkheader(Load *l)
{
	Elf32_Ehdr *eh = &l->eh;

	if(l->size < sizeof *eh){
		vx_seterr(l->vx, "elf: file too short for an ELF header (%zu bytes)", l->size);
		return -1;
	}
	memcpy(eh, l->image, sizeof *eh);
	if(memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0){
		vx_seterr(l->vx, "elf: not an ELF file (bad magic)");
		return -1;
	}
	if(eh->e_ident[EI_CLASS] == ELFCLASS64){
		vx_seterr(l->vx, "elf: a 64-bit program; only 32-bit x86 (i386) ones run");
		return -1;
	}
	if(eh->e_ident[EI_CLASS] != ELFCLASS32){
		vx_seterr(l->vx, "elf: not a 32-bit ELF file (class %d)", eh->e_ident[EI_CLASS]);
		return -1;
	}
	if(eh->e_ident[EI_DATA] != ELFDATA2LSB){
		vx_seterr(l->vx, "elf: not a little-endian ELF file (data %d)", eh->e_ident[EI_DATA]);
		return -1;
	}
	if(eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT){
		vx_seterr(l->vx, "elf: unknown ELF version");
		return -1;
	}
	if(eh->e_ident[EI_OSABI] != ELFOSABI_SYSV && eh->e_ident[EI_OSABI] != ELFOSABI_GNU){
		vx_seterr(l->vx, "elf: not a Linux executable (OS ABI %d)", eh->e_ident[EI_OSABI]);
		return -1;
	}
	if(eh->e_machine != EM_386){
		vx_seterr(l->vx, "elf: not an i386 executable (machine %d)", eh->e_machine);
		return -1;
	}
	if(eh->e_type != ET_EXEC && eh->e_type != ET_DYN){
		vx_seterr(l->vx, "elf: not an executable (type %d)", eh->e_type);
		return -1;
	}
	if(eh->e_phentsize != sizeof(Elf32_Phdr)){
		vx_seterr(l->vx, "elf: bad program header size %d", eh->e_phentsize);
		return -1;
	}
	if(eh->e_phnum == 0){
		vx_seterr(l->vx, "elf: no program headers");
		return -1;
	}
	if(eh->e_phnum > MAXPHNUM){
		vx_seterr(l->vx, "elf: too many program headers (%d, at most %d)", eh->e_phnum, MAXPHNUM);
		return -1;
	}
	if((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > l->size){
		vx_seterr(l->vx, "elf: program headers lie outside the file");
		return -1;
	}
	return 0;
}

/* Check one PT_LOAD header and append it to l->ph. */
static int
addload(Load *l, int i, Elf32_Phdr *ph)
{
	Elf32_Phdr *prev;

	if(ph->p_filesz > ph->p_memsz){
		vx_seterr(l->vx, "elf: segment %d: file size 0x%x exceeds memory size 0x%x",
			  i, ph->p_filesz, ph->p_memsz);
		return -1;
	}
	if((uint64_t)ph->p_offset + ph->p_filesz > l->size){
		vx_seterr(l->vx, "elf: segment %d: data lies outside the file", i);
		return -1;
	}
	if((uint64_t)ph->p_vaddr + ph->p_memsz > UINT32_MAX){
		vx_seterr(l->vx, "elf: segment %d: address range wraps", i);
		return -1;
	}
	if(ph->p_align > 1 && !ispow2(ph->p_align)){
		vx_seterr(l->vx, "elf: segment %d: alignment 0x%x is not a power of two", i, ph->p_align);
		return -1;
	}
	if((ph->p_vaddr - ph->p_offset) % PGSIZE != 0){
		vx_seterr(l->vx, "elf: segment %d: address 0x%x and offset 0x%x differ modulo the page size",
			  i, ph->p_vaddr, ph->p_offset);
		return -1;
	}
	if(ph->p_memsz == 0)
		return 0;	/* occupies nothing */
	if(l->nload > 0){
		prev = &l->ph[l->nload - 1];
		if(ph->p_vaddr < (uint64_t)prev->p_vaddr + prev->p_memsz){
			vx_seterr(l->vx, "elf: segment %d overlaps or precedes the one before it", i);
			return -1;
		}
	}
	l->ph[l->nload++] = *ph;
	return 0;
}

/* Read and check the program headers. */
static int
readphdrs(Load *l)
{
	Elf32_Phdr ph;
	int i;

	for(i = 0; i < l->eh.e_phnum; i++){
		memcpy(&ph, l->image + l->eh.e_phoff + i * sizeof ph, sizeof ph);
		switch(ph.p_type){
		case PT_LOAD:
			if(addload(l, i, &ph) < 0)
				return -1;
			break;
		case PT_INTERP:
			if(l->isinterp){
				vx_seterr(l->vx, "elf: the interpreter has a PT_INTERP of its own");
				return -1;
			}
			if(!l->allowinterp){
				vx_seterr(l->vx, "elf: dynamically linked executables are not supported (PT_INTERP); link with -static");
				return -1;
			}
			if(ph.p_filesz < 2 || ph.p_filesz > 4096 || (uint64_t)ph.p_offset + ph.p_filesz > l->size
			    || l->image[ph.p_offset + ph.p_filesz - 1] != 0
			    || memchr(l->image + ph.p_offset, 0, ph.p_filesz - 1) != NULL){
				vx_seterr(l->vx, "elf: bad PT_INTERP");
				return -1;
			}
			l->interpoff = ph.p_offset;
			l->interplen = ph.p_filesz - 1;
			break;
		case PT_GNU_STACK:
			l->stackx = (ph.p_flags & PF_X) != 0;
			break;
		case PT_TLS:
			if(ph.p_filesz > ph.p_memsz){
				vx_seterr(l->vx, "elf: TLS segment file size exceeds memory size");
				return -1;
			}
			break;
		}
	}
	if(l->nload == 0){
		vx_seterr(l->vx, "elf: no loadable segments");
		return -1;
	}
	return 0;
}

/* The entry point must be inside an executable segment. */
static int
checkentry(Load *l)
{
	Elf32_Phdr *ph;
	int i;

	for(i = 0; i < l->nload; i++){
		ph = &l->ph[i];
		if((ph->p_flags & PF_X) && l->entry >= ph->p_vaddr
		    && l->entry < (uint64_t)ph->p_vaddr + ph->p_memsz)
			return 0;
	}
	vx_seterr(l->vx, "elf: entry point 0x%x is not in an executable segment", l->entry);
	return -1;
}

/* Lay out the stack region at the top of guest memory, below a guard
 * page, and a gap below it that no mapping is placed in (the
 * interpreter, mmap: VxImage.maptop), an eighth of its size, at most
 * Linux's 1 MiB stack_guard_gap: a stack overflow faults there rather
 * than write over what lies below (ld.so's data page did, so python's
 * faulthandler crashed in its SIGSEGV handler). */
static int
placestack(Load *l)
{
	uint32_t mem, size, gap;

	mem = vx_memsize(l->vx) & ~(uint32_t)(PGSIZE - 1);
	size = STACKMAX;
	if(size > mem / 4)
		size = (mem / 4) & ~(uint32_t)(PGSIZE - 1);
	if(size < STACKMIN){
		vx_seterr(l->vx, "elf: guest memory too small (0x%x bytes)", mem);
		return -1;
	}
	l->stacktop = mem - PGSIZE;
	l->stacklo = l->stacktop - size;
	gap = size / 8 < STACKGAP ? size / 8 : STACKGAP;
	l->maptop = l->stacklo - (gap & ~(uint32_t)(PGSIZE - 1));
	return 0;
}

/* Choose the load bias and check the image fits below the stack. */
static int
placeimage(Load *l)
{
	uint64_t align, b;
	int i;

	l->lo = pgdown(l->ph[0].p_vaddr);
	l->hi = pgup((uint64_t)l->ph[l->nload - 1].p_vaddr + l->ph[l->nload - 1].p_memsz);
	l->bias = 0;
	if(l->eh.e_type == ET_DYN && l->lo < PIEBASE){
		/* A static-pie relocates itself (glibc finds its load address
		 * pc-relatively); the bias must keep every p_align. */
		align = PGSIZE;
		for(i = 0; i < l->nload; i++)
			if(l->ph[i].p_align > align)
				align = l->ph[i].p_align;
		if(align > MAXALIGN){
			vx_seterr(l->vx, "elf: segment alignment 0x%llx too large", (unsigned long long)align);
			return -1;
		}
		b = (PIEBASE - l->lo + align - 1) & ~(align - 1);
		l->bias = (uint32_t)b;
	}
	if(l->lo + l->bias < MINADDR || l->hi + l->bias > l->stacklo){
		vx_seterr(l->vx, "elf: image 0x%llx-0x%llx does not fit in guest memory 0x%x-0x%x below the stack",
			  (unsigned long long)(l->lo + l->bias), (unsigned long long)(l->hi + l->bias),
			  (unsigned)MINADDR, l->stacklo);
		return -1;
	}
	return 0;
}

/* Find the guest address of the program headers: the PT_LOAD whose file
 * data covers them, as Linux does.  0 when none does. */
static uint32_t
findphdr(Load *l)
{
	uint64_t off, end;
	Elf32_Phdr *ph;
	int i;

	off = l->eh.e_phoff;
	end = off + (uint64_t)l->eh.e_phnum * sizeof(Elf32_Phdr);
	for(i = 0; i < l->nload; i++){
		ph = &l->ph[i];
		if(off >= ph->p_offset && end <= (uint64_t)ph->p_offset + ph->p_filesz)
			return ph->p_vaddr + (uint32_t)(off - ph->p_offset) + l->bias;
	}
	return 0;
}

/* Does segment i start in a page of its own, at an address congruent
 * to its file offset modulo the page?  Then vx_loadelffd maps its file
 * pages (mapfromfile), and its first and last pages hold what Linux's
 * loader leaves there: the file's bytes before and after the segment
 * (past the file's end, zeros), but after a segment with bss, whose
 * page's rest is bss; vx_loadelf copies the same bytes (edgecopy). */
static int
congruent(Load *l, int i, uint64_t prevend)
{
	Elf32_Phdr *ph = &l->ph[i];
	uint64_t va = (uint64_t)ph->p_vaddr + l->bias;

	return ph->p_filesz != 0 && ((va - ph->p_offset) & (PGSIZE - 1)) == 0 && pgdown(va) >= prevend;
}

/* Map a congruent segment's file pages from l->fd, copy-on-write;
 * returns 1 when done, 0 when the caller must copy, -1 on error.  Only
 * the rest of a last page where bss starts is cleared (vx_poke: until
 * session 22 both edges of every segment were, four to ten writes
 * through /proc/self/mem a program, and each a private copy of a page
 * of text). */
static int
mapfromfile(Load *l, int i, uint64_t prevend)
{
	Elf32_Phdr *ph = &l->ph[i];
	uint64_t va = (uint64_t)ph->p_vaddr + l->bias, fs, fe, end;
	int prot;

	if(l->fd < 0 || !congruent(l, i, prevend))
		return 0;
	fs = pgdown(va);
	fe = pgup(va + ph->p_filesz);
	end = pgup(va + ph->p_memsz);
	l->mapped = 1;
	/* A data segment is mapped writable and copied in now; another
	 * with its own protection, its bss edge cleared by vx_poke (making
	 * it writable and then protecting it was a TLB shootdown), unless
	 * the next segment shares its last page and is copied into it. */
	prot = VX_PROT_READ | VX_PROT_WRITE;
	if(!(ph->p_flags & PF_W)){
		prot |= VX_NOPOPULATE;
		if(i + 1 >= l->nload || pgdown((uint64_t)l->ph[i + 1].p_vaddr + l->bias) >= end)
			prot = elfprot(ph->p_flags) | VX_NOPOPULATE;
	}
	if(vx_mapfile(l->vx, (uint32_t)fs, (uint32_t)(fe - fs), prot, l->fd, pgdown(ph->p_offset)) < 0)
		return -1;
	if(ph->p_memsz > ph->p_filesz && fe > va + ph->p_filesz
	&& vx_poke(l->vx, (uint32_t)(va + ph->p_filesz), NULL, (uint32_t)(fe - va - ph->p_filesz)) < 0)
		return -1;	/* bss from mid-page */
	if(end > fe && vx_map(l->vx, (uint32_t)fe, (uint32_t)(end - fe), VX_PROT_READ | VX_PROT_WRITE) < 0)
		return -1;
	return 1;
}

/* vx_loadelf's copy of a congruent segment i (its pages mapped
 * writable): the image's bytes before it in its first page and, without
 * bss, after it in its last, as mapfromfile's mapping shows them. */
static int
edgecopy(Load *l, int i)
{
	Elf32_Phdr *ph = &l->ph[i];
	uint64_t va = (uint64_t)ph->p_vaddr + l->bias, head, off, n;
	uint8_t *p;

	head = va - pgdown(va);
	if(head > 0){
		p = vx_access(l->vx, (uint32_t)(va - head), (uint32_t)head, VX_PROT_WRITE);
		if(p == NULL)
			return -1;
		memcpy(p, l->image + ph->p_offset - head, head);
	}
	off = (uint64_t)ph->p_offset + ph->p_filesz;
	n = pgup(va + ph->p_filesz) - (va + ph->p_filesz);
	if(ph->p_memsz > ph->p_filesz || off >= l->size || n == 0)
		return 0;
	if(n > l->size - off)
		n = l->size - off;
	p = vx_access(l->vx, (uint32_t)(va + ph->p_filesz), (uint32_t)n, VX_PROT_WRITE);
	if(p == NULL)
		return -1;
	memcpy(p, l->image + off, n);
	return 0;
}

/* Map every segment writable, copy its file data (or map it from the
 * file), then give each page the protection its segments ask for.  Fresh
 * pages are zero, so bss — also the tail of a last file page where bss
 * starts mid-page — needs no clearing.  Consecutive segments may share a
 * page; that page gets the union. */
static int
mapsegments(Load *l)
{
	uint64_t start, end, prevend;
	Elf32_Phdr *ph;
	uint8_t *p;
	int i, prot, shared, r, cong;

	prevend = 0;
	for(i = 0; i < l->nload; i++){
		ph = &l->ph[i];
		start = pgdown((uint64_t)ph->p_vaddr + l->bias);
		end = pgup((uint64_t)ph->p_vaddr + ph->p_memsz + l->bias);
		cong = congruent(l, i, prevend);
		r = mapfromfile(l, i, prevend);
		if(r < 0)
			return -1;
		if(r > 0){
			prevend = end;
			continue;
		}
		if(start < prevend)
			start = prevend;
		if(start < end){
			l->mapped = 1;
			if(vx_map(l->vx, start, end - start, VX_PROT_READ | VX_PROT_WRITE) < 0)
				return -1;
		}
		if(ph->p_filesz > 0){
			p = vx_access(l->vx, ph->p_vaddr + l->bias, ph->p_filesz, VX_PROT_WRITE);
			if(p == NULL){
				vx_seterr(l->vx, "elf: segment %d: cannot reach mapped memory", i);
				return -1;
			}
			if(l->fd < 0)
				memcpy(p, l->image + ph->p_offset, ph->p_filesz);
			else if(pread(l->fd, p, ph->p_filesz, ph->p_offset) != (ssize_t)ph->p_filesz){
				vx_seterr(l->vx, "elf: segment %d: short read", i);
				return -1;
			}
			if(l->fd < 0 && cong && edgecopy(l, i) < 0){
				vx_seterr(l->vx, "elf: segment %d: cannot reach mapped memory", i);
				return -1;
			}
		}
		prevend = end;
	}
	prevend = 0;
	for(i = 0; i < l->nload; i++){
		ph = &l->ph[i];
		start = pgdown((uint64_t)ph->p_vaddr + l->bias);
		end = pgup((uint64_t)ph->p_vaddr + ph->p_memsz + l->bias);
		prot = elfprot(ph->p_flags);
		shared = start < prevend ? vx_pageprot(l->vx, start) : -1;
		if(vx_protect(l->vx, start, end - start, prot) < 0)
			return -1;
		if(shared > 0 && vx_protect(l->vx, start, PGSIZE, prot | shared) < 0)
			return -1;
		prevend = end;
	}
	return 0;
}

/* Count a NULL-terminated string vector and the bytes it needs on the
 * stack; -1 past the bounds (VX_MAXARGBYTES, VX_MAXARGSTRLEN a string). */
static int
countv(char *const v[], uint64_t *bytes)
{
	size_t len;
	int n;

	n = 0;
	if(v == NULL)
		return 0;
	for(; v[n] != NULL; n++){
		len = strlen(v[n]) + 1;
		*bytes += len + sizeof(uint32_t);
		if(*bytes > MAXARGBYTES || len > VX_MAXARGSTRLEN)
			return -1;
	}
	return n;
}

typedef struct Stk Stk;
struct Stk {
	uint8_t *mem;		/* host address of guest stacklo */
	uint32_t lo;		/* guest address of mem */
	uint32_t sp;		/* guest address of the lowest byte used */
};

/* Push n bytes and return their guest address. */
static uint32_t
pushbytes(Stk *s, const void *p, size_t n)
{
	s->sp -= n;
	memcpy(s->mem + (s->sp - s->lo), p, n);
	return s->sp;
}

static uint32_t
pushstr(Stk *s, const char *str)
{
	return pushbytes(s, str, strlen(str) + 1);
}

static void
put32(Stk *s, uint32_t addr, uint32_t v)
{
	memcpy(s->mem + (addr - s->lo), &v, sizeof v);
}

/* Build argc, argv, envp, auxv and the strings they point to, from the top
 * of the stack region down, and return the initial esp. */
static int
buildstack(Load *l, char *const argv[], char *const envp[], const char *execfn, uint32_t *spp)
{
	uint32_t auxv[2 * NAUXV], *av, aexecfn, aplatform, arandom, p;
	uint8_t rnd[16];
	uint64_t bytes;
	int argc, envc, i, nword;
	Stk s;

	bytes = 0;
	argc = countv(argv, &bytes);
	envc = argc < 0 ? 0 : countv(envp, &bytes);
	if(argc < 0 || envc < 0 || bytes + (execfn ? strlen(execfn) : 0) > MAXARGBYTES ||
	   bytes + (execfn ? strlen(execfn) : 0) > (l->stacktop - l->stacklo) / 4){
		vx_seterr(l->vx, "elf: argument list too long (limit %d bytes, a quarter of the stack, %d a string)",
			  MAXARGBYTES, VX_MAXARGSTRLEN);
		return -1;
	}
	if(getrandom(rnd, sizeof rnd, 0) != sizeof rnd){
		vx_seterr(l->vx, "elf: no random bytes for AT_RANDOM");
		return -1;
	}

	l->mapped = 1;
	if(vx_map(l->vx, l->stacklo, l->stacktop - l->stacklo,
		   VX_PROT_READ | VX_PROT_WRITE | (l->stackx ? VX_PROT_EXEC : 0)) < 0)
		return -1;
	s.mem = vx_access(l->vx, l->stacklo, l->stacktop - l->stacklo, VX_PROT_WRITE);
	if(s.mem == NULL){
		vx_seterr(l->vx, "elf: cannot reach the stack");
		return -1;
	}
	s.lo = l->stacklo;
	s.sp = l->stacktop;
	/* As Linux leaves it (fs/exec.c: bprm->p is the top less a kernel
	 * pointer, 8 bytes on the 64-bit kernels i386 programs run on now):
	 * zeros above the strings, so that a reader that steps one past a
	 * string's end (glibc 2.36's GLIBC_TUNABLES=glibc.cpu.hwcaps parser
	 * parses on into AT_EXECFN's string and then one past it) finds a
	 * NUL, not the end of the stack. */
	pushbytes(&s, &(uint64_t){ 0 }, sizeof(uint64_t));

	/* Strings, as Linux orders them: execfn at the top, then envp, then argv. */
	if(execfn == NULL)
		execfn = argc > 0 ? argv[0] : "";
	aexecfn = pushstr(&s, execfn);
	for(i = envc - 1; i >= 0; i--)
		pushstr(&s, envp[i]);
	for(i = argc - 1; i >= 0; i--)
		pushstr(&s, argv[i]);
	p = s.sp;	/* argv[0]'s string: the vectors below point upward from here */
	aplatform = pushstr(&s, GUESTPLATFORM);
	s.sp &= ~15u;
	arandom = pushbytes(&s, rnd, sizeof rnd);
	if(l->phdr == 0){
		/* No segment holds the program headers: give glibc a copy. */
		s.sp &= ~3u;
		l->phdr = pushbytes(&s, l->image + l->eh.e_phoff, l->eh.e_phnum * sizeof(Elf32_Phdr));
	}

	av = auxv;
#define AUX(t, v) (*av++ = (t), *av++ = (v))
	AUX(AT_HWCAP, GUESTHWCAP);
	AUX(AT_PAGESZ, PGSIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, l->phdr);
	AUX(AT_PHENT, sizeof(Elf32_Phdr));
	AUX(AT_PHNUM, l->eh.e_phnum);
	AUX(AT_BASE, l->abase);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, l->entry + l->bias);
	AUX(AT_UID, getuid());
	AUX(AT_EUID, geteuid());
	AUX(AT_GID, getgid());
	AUX(AT_EGID, getegid());
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, arandom);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, aexecfn);
	AUX(AT_PLATFORM, aplatform);
	AUX(AT_NULL, 0);
#undef AUX

	/* argc, argv[], NULL, envp[], NULL, auxv: esp 16-byte aligned at argc. */
	nword = 1 + (argc + 1) + (envc + 1) + 2 * NAUXV;
	s.sp = (s.sp - nword * 4) & ~15u;
	*spp = s.sp;
	put32(&s, s.sp, argc);
	for(i = 0; i < argc; i++){
		put32(&s, s.sp + 4 * (1 + i), p);
		p += strlen(argv[i]) + 1;
	}
	put32(&s, s.sp + 4 * (1 + argc), 0);
	for(i = 0; i < envc; i++){
		put32(&s, s.sp + 4 * (2 + argc + i), p);
		p += strlen(envp[i]) + 1;
	}
	put32(&s, s.sp + 4 * (2 + argc + envc), 0);
	memcpy(s.mem + (s.sp + 4 * (3 + argc + envc) - s.lo), auxv, sizeof auxv);
	return 0;
}

static void
undo(Load *l)
{
	if(!l->mapped)
		return;
	if(l->hi > l->lo)
		vx_unmap(l->vx, l->lo + l->bias, l->hi - l->lo);
	vx_unmap(l->vx, l->stacklo, l->stacktop - l->stacklo);
}

/*
 * The program interpreter (ld.so) li, an ET_DYN without PT_INTERP of
 * its own, goes at the highest free place below the stack region, as
 * Linux puts it below the mmap base; its entry is where the guest
 * starts and its bias is AT_BASE.
 */
static int
loadinterp(Load *l, Load *li)
{
	uint64_t align, len, at;
	int i;

	li->vx = l->vx;
	li->isinterp = 1;
	if(checkheader(li) < 0 || readphdrs(li) < 0)
		goto bad;
	if(li->eh.e_type != ET_DYN){
		vx_seterr(l->vx, "elf: the interpreter is not ET_DYN");
		goto bad;
	}
	li->entry = li->eh.e_entry;
	if(checkentry(li) < 0)
		goto bad;
	li->lo = pgdown(li->ph[0].p_vaddr);
	li->hi = pgup((uint64_t)li->ph[li->nload - 1].p_vaddr + li->ph[li->nload - 1].p_memsz);
	align = PGSIZE;
	for(i = 0; i < li->nload; i++)
		if(li->ph[i].p_align > align)
			align = li->ph[i].p_align;
	if(align > MAXALIGN){
		vx_seterr(l->vx, "elf: interpreter alignment 0x%llx too large", (unsigned long long)align);
		goto bad;
	}
	len = li->hi - li->lo;
	at = len + align - PGSIZE > UINT32_MAX ? 0 : vx_findfree(l->vx, (uint32_t)(len + align - PGSIZE), l->maptop);
	if(at == 0 || at < MINADDR){
		vx_seterr(l->vx, "elf: no room for the interpreter (0x%llx bytes)", (unsigned long long)len);
		goto bad;
	}
	at = (at + align - 1) & ~(align - 1);
	li->bias = (uint32_t)(at - li->lo);
	li->stacklo = l->stacklo;
	li->stacktop = l->stacktop;
	li->maptop = l->maptop;
	if(mapsegments(li) < 0){
		if(li->mapped)
			vx_unmap(l->vx, li->lo + li->bias, li->hi - li->lo);
		return -1;
	}
	l->abase = li->bias + (uint32_t)li->lo;
	l->aentry = li->entry + li->bias;
	return 0;
bad:
	return -1;
}

static int
load(Vx *vx, const void *image, size_t size, int fd, Load *li,
     char *const argv[], char *const envp[], const char *execfn,
     VxImage *img)
{
	Load l;
	uint32_t sp, eip;
	int r;

	memset(&l, 0, sizeof l);
	l.vx = vx;
	l.image = image;
	l.size = image == NULL ? 0 : size;
	l.fd = fd;
	l.allowinterp = li != NULL;
	if(checkheader(&l) < 0 || readphdrs(&l) < 0)
		return -1;
	if(li != NULL && l.interplen == 0){
		vx_seterr(vx, "elf: an interpreter was given for a program without PT_INTERP");
		return -1;
	}
	l.entry = l.eh.e_entry;
	if(checkentry(&l) < 0 || placestack(&l) < 0 || placeimage(&l) < 0)
		return -1;
	l.phdr = findphdr(&l);
	if(mapsegments(&l) < 0){
		undo(&l);
		return -1;
	}
	if(li != NULL && loadinterp(&l, li) < 0){
		undo(&l);
		return -1;
	}
	if(buildstack(&l, argv, envp, execfn, &sp) < 0){
		if(li != NULL)
			vx_unmap(vx, li->lo + li->bias, li->hi - li->lo);
		undo(&l);
		return -1;
	}
	eip = li != NULL ? l.aentry : l.entry + l.bias;

	for(r = VX_EAX; r <= VX_EDI; r++)
		vx_setreg(vx, r, 0);	/* edx 0: no rtld_fini for _start to register */
	vx_setreg(vx, VX_ESP, sp);
	vx_setreg(vx, VX_EIP, eip);
	vx_setreg(vx, VX_EFLAGS, 0x202);	/* a new program's: no TF, DF */
	if(img != NULL){
		img->entry = eip;
		img->sp = sp;
		img->brk = (uint32_t)(l.hi + l.bias);
		img->phdr = l.phdr;
		img->phnum = l.eh.e_phnum;
		img->base = l.bias;
		img->maptop = l.maptop;
	}
	vx_tcattach(vx, image, size);
	return 0;
}

int
vx_loadelf(Vx *vx, const void *image, size_t size,
	   char *const argv[], char *const envp[], const char *execfn,
	   VxImage *img)
{
	return load(vx, image, size, -1, NULL, argv, envp, execfn, img);
}

/* Do the ELF header, the program headers and a PT_INTERP's bytes all
 * lie in the n bytes at b? */
static int
headfits(const uint8_t *b, size_t n)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	int i;

	if(n < sizeof eh)
		return 0;
	memcpy(&eh, b, sizeof eh);
	if((uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof ph > n)
		return 0;
	for(i = 0; i < eh.e_phnum; i++){
		memcpy(&ph, b + eh.e_phoff + i * sizeof ph, sizeof ph);
		if(ph.p_type == PT_INTERP && (uint64_t)ph.p_offset + ph.p_filesz > n)
			return 0;
	}
	return 1;
}

/*
 * The file fd as an image for load: its first HEADREAD bytes, read into
 * im->head, when the ELF and program headers and PT_INTERP lie there
 * (the segments are mapped or read from fd itself), else a private
 * anonymous image of the file's size holding those same bytes, read
 * from fd, and zeros elsewhere (load reads nothing else of an image
 * with a file: vx_tcattach's key is of the first page).  Not a mapping
 * of the file: another process of the sandbox may cut the file short
 * meanwhile, and the loader's next read of the mapping past the new end
 * was a SIGBUS in the host, which killed it; or change the headers
 * between the loader's check and its use.  Nor a read of the whole
 * file (up to MAXIMAGE) for the few bytes wanted.  NULL with vx's error
 * set.
 */
enum { HEADREAD = 4096 };
typedef struct Image {
	uint8_t head[HEADREAD];
	void *map;		/* or NULL */
	size_t size;		/* of the file */
} Image;

/* n bytes of fd at off into the image p of size bytes, where they fit;
 * what the file no longer holds stays zero. */
static void
imagepiece(int fd, uint8_t *p, size_t size, uint64_t off, uint64_t n)
{
	ssize_t got;

	if(off >= size || n > size - off)
		return;
	while(n > 0 && (got = pread(fd, p + off, n, off)) > 0){
		off += got;
		n -= got;
	}
}

static const uint8_t *
openimage(Vx *vx, int fd, Image *im)
{
	struct stat st;
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	ssize_t got;
	uint8_t *p;
	int i;

	im->map = NULL;
	if(fstat(fd, &st) < 0){
		vx_seterr(vx, "elf: %s", strerror(errno));
		return NULL;
	}
	if(!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > MAXIMAGE){
		vx_seterr(vx, "elf: not a regular file of a sensible size");
		return NULL;
	}
	im->size = (size_t)st.st_size;
	got = pread(fd, im->head, im->size < HEADREAD ? im->size : HEADREAD, 0);
	if(got > 0 && headfits(im->head, (size_t)got))
		return im->head;
	if(got < 0){
		vx_seterr(vx, "elf: %s", strerror(errno));
		return NULL;
	}
	p = mmap(NULL, im->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(p == MAP_FAILED){
		vx_seterr(vx, "elf: mmap: %s", strerror(errno));
		return NULL;
	}
	memcpy(p, im->head, got);
	memcpy(&eh, p, sizeof eh);
	imagepiece(fd, p, im->size, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof ph);
	for(i = 0; (uint64_t)eh.e_phoff + (uint64_t)(i + 1) * sizeof ph <= im->size && i < eh.e_phnum; i++){
		memcpy(&ph, p + eh.e_phoff + i * sizeof ph, sizeof ph);
		if(ph.p_type == PT_INTERP && ph.p_filesz <= 4096)	/* readphdrs's bound */
			imagepiece(fd, p, im->size, ph.p_offset, ph.p_filesz);
	}
	mprotect(p, im->size, PROT_READ);
	im->map = p;
	return p;
}

static void
closeimage(Image *im)
{
	if(im->map != NULL)
		munmap(im->map, im->size);
	im->map = NULL;
}

int
vx_loadelffd(Vx *vx, int fd,
	     char *const argv[], char *const envp[], const char *execfn,
	     VxImage *img)
{
	const uint8_t *image;
	Image im;
	int r;

	if((image = openimage(vx, fd, &im)) == NULL)
		return -1;
	r = load(vx, image, im.size, fd, NULL, argv, envp, execfn, img);
	closeimage(&im);
	return r;
}

int
vx_elfinterp(Vx *vx, int fd, char *path, size_t n)
{
	const uint8_t *image;
	Image im;
	Load l;
	int r;

	if((image = openimage(vx, fd, &im)) == NULL)
		return -1;
	memset(&l, 0, sizeof l);
	l.vx = vx;
	l.image = image;
	l.size = im.size;
	l.fd = -1;
	l.allowinterp = 1;
	r = -1;
	if(checkheader(&l) == 0 && readphdrs(&l) == 0){
		r = 0;
		if(l.interplen > 0){
			r = 1;
			if(l.interplen >= n){
				vx_seterr(vx, "elf: PT_INTERP longer than %zu bytes", n - 1);
				r = -1;
			}else
				memcpy(path, l.image + l.interpoff, l.interplen + 1);
		}
	}
	closeimage(&im);
	return r;
}

int
vx_loadelfinterp(Vx *vx, int fd, int ifd,
		 char *const argv[], char *const envp[], const char *execfn,
		 VxImage *img)
{
	const uint8_t *image;
	Image *im;
	Load li;
	int r;

	im = malloc(2 * sizeof *im);	/* 8 KiB: not on the caller's stack */
	if(im == NULL){
		vx_seterr(vx, "elf: out of memory");
		return -1;
	}
	r = -1;
	if((image = openimage(vx, fd, &im[0])) == NULL)
		goto out;
	memset(&li, 0, sizeof li);
	if((li.image = openimage(vx, ifd, &im[1])) == NULL){
		closeimage(&im[0]);
		goto out;
	}
	li.size = im[1].size;
	li.fd = ifd;
	r = load(vx, image, im[0].size, fd, &li, argv, envp, execfn, img);
	closeimage(&im[1]);
	closeimage(&im[0]);
out:
	free(im);
	return r;
}
