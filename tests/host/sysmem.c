/*
 * sysmem.c — the test host's memory system calls: brk, and anonymous
 * mmap2/munmap/mprotect/mremap/madvise on guest memory.
 */
#include <errno.h>
#include <string.h>

#include "vxhost.h"

/* Linux i386 mmap flags: part of the guest ABI, so spelled out here. */
enum {
	LMAP_SHARED = 0x01,
	LMAP_PRIVATE = 0x02,
	LMAP_TYPE = 0x0f,
	LMAP_FIXED = 0x10,
	LMAP_ANONYMOUS = 0x20,
	LMAP_HUGETLB = 0x40000,
	LMAP_FIXED_NOREPLACE = 0x100000,
	LMREMAP_MAYMOVE = 1,
	LMREMAP_FIXED = 2,
	LMADV_DONTNEED = 4,
	PROTMASK = VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC,
};

uint64_t
vhpgup(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/* Is guest [addr, addr+len) inside memory and wholly unmapped? */
int
vhrangefree(Host *h, uint32_t addr, uint32_t len)
{
	uint64_t a;

	if((uint64_t)addr + len > vx_memsize(h->vx))
		return 0;
	for(a = addr; a < (uint64_t)addr + len; a += PGSIZE)
		if(vx_pageprot(h->vx, a) != -1)
			return 0;
	return 1;
}

/* Is guest [addr, addr+len) wholly mapped? */
static int
rangemapped(Host *h, uint32_t addr, uint32_t len)
{
	uint64_t a;

	if((uint64_t)addr + len > vx_memsize(h->vx))
		return 0;
	for(a = addr; a < (uint64_t)addr + len; a += PGSIZE)
		if(vx_pageprot(h->vx, a) == -1)
			return 0;
	return 1;
}

/* brk(addr): move the break; on failure return the old one, as Linux does. */
long
vh_brk(Host *h, uint32_t *a)
{
	uint64_t want, old, new;

	want = a[0];
	if(want < h->brkstart)
		return h->brk;
	old = vhpgup(h->brk);
	new = vhpgup(want);
	if(new > vx_memsize(h->vx))
		return h->brk;
	if(new > old){
		if(!vhrangefree(h, old, new - old))
			return h->brk;
		if(vx_map(h->vx, old, new - old, VX_PROT_READ | VX_PROT_WRITE) < 0)
			return h->brk;
	}else if(new < old){
		if(vx_unmap(h->vx, new, old - new) < 0)
			return h->brk;
	}
	h->brk = want;
	return h->brk;
}

/* Where to put len bytes when the guest did not insist. */
static uint32_t
placemap(Host *h, uint32_t hint, uint32_t len)
{
	if(hint != 0 && hint % PGSIZE == 0 && hint >= MINMAP
	    && (uint64_t)hint + len <= h->mmaptop && vhrangefree(h, hint, len))
		return hint;
	return vx_findfree(h->vx, len, h->mmaptop);
}

/* mmap2(addr, len, prot, flags, fd, pgoff): anonymous memory only. */
long
vh_mmap2(Host *h, uint32_t *a)
{
	uint32_t addr, prot, flags, type;
	uint64_t len;

	addr = a[0];
	prot = a[2];
	flags = a[3];
	type = flags & LMAP_TYPE;
	if(a[1] == 0 || (type != LMAP_PRIVATE && type != LMAP_SHARED) || (prot & ~PROTMASK)
	    || (flags & LMAP_HUGETLB))
		return -EINVAL;
	if(!(flags & LMAP_ANONYMOUS))
		return vhfd(h, a[4]) < 0 ? -EBADF : -ENODEV;	/* no files to map */
	len = vhpgup(a[1]);
	if(len > vx_memsize(h->vx))
		return -ENOMEM;
	if(flags & (LMAP_FIXED | LMAP_FIXED_NOREPLACE)){
		if(addr % PGSIZE != 0)
			return -EINVAL;
		if(addr < MINMAP)
			return -EPERM;
		if(addr + len > vx_memsize(h->vx))
			return -ENOMEM;
		if((flags & LMAP_FIXED_NOREPLACE) && !vhrangefree(h, addr, len))
			return -EEXIST;
	}else{
		addr = placemap(h, addr, len);
		if(addr == 0)
			return -ENOMEM;
	}
	if(vx_map(h->vx, addr, len, prot) < 0)
		return -ENOMEM;
	return addr;
}

long
vh_munmap(Host *h, uint32_t *a)
{
	uint64_t len;

	len = vhpgup(a[1]);
	if(a[0] % PGSIZE != 0 || len == 0 || a[0] + len > vx_memsize(h->vx))
		return -EINVAL;
	if(vx_unmap(h->vx, a[0], len) < 0)
		return -EINVAL;
	return 0;
}

long
vh_mprotect(Host *h, uint32_t *a)
{
	uint64_t len;

	len = vhpgup(a[1]);
	if(a[0] % PGSIZE != 0 || (a[2] & ~PROTMASK))
		return -EINVAL;
	if(len == 0)
		return 0;
	if(!rangemapped(h, a[0], len))
		return -ENOMEM;
	if(vx_protect(h->vx, a[0], len, a[2]) < 0)
		return -ENOMEM;
	return 0;
}

/* Move [old, old+oldlen) to a new place newlen long, keeping its contents. */
static long
moveregion(Host *h, uint32_t old, uint32_t oldlen, uint32_t newlen, int prot)
{
	uint32_t new;
	void *src, *dst;

	new = vx_findfree(h->vx, newlen, h->mmaptop);
	if(new == 0 || vx_map(h->vx, new, newlen, VX_PROT_READ | VX_PROT_WRITE) < 0)
		return -ENOMEM;
	src = vx_access(h->vx, old, oldlen, VX_PROT_NONE);
	dst = vx_access(h->vx, new, oldlen, VX_PROT_WRITE);
	if(src == NULL || dst == NULL){
		vx_unmap(h->vx, new, newlen);
		return -ENOMEM;
	}
	memcpy(dst, src, oldlen);
	if(vx_protect(h->vx, new, newlen, prot) < 0)
		return -ENOMEM;
	vx_unmap(h->vx, old, oldlen);
	return new;
}

/* mremap(old, oldlen, newlen, flags, newaddr): shrink, grow in place, or move. */
long
vh_mremap(Host *h, uint32_t *a)
{
	uint64_t oldlen, newlen;
	uint32_t old;
	int prot;

	old = a[0];
	oldlen = vhpgup(a[1]);
	newlen = vhpgup(a[2]);
	if(old % PGSIZE != 0 || (a[3] & ~(LMREMAP_MAYMOVE | LMREMAP_FIXED)) || newlen == 0 || oldlen == 0)
		return -EINVAL;
	if(a[3] & LMREMAP_FIXED)
		return -EINVAL;		/* not offered by this host */
	if(newlen > vx_memsize(h->vx))
		return -ENOMEM;
	if(!rangemapped(h, old, oldlen))
		return -EFAULT;
	if(newlen <= oldlen){
		if(newlen < oldlen && vx_unmap(h->vx, old + newlen, oldlen - newlen) < 0)
			return -EINVAL;
		return old;
	}
	prot = vx_pageprot(h->vx, old);
	if(old + newlen <= h->mmaptop && vhrangefree(h, old + oldlen, newlen - oldlen)){
		if(vx_map(h->vx, old + oldlen, newlen - oldlen, prot) < 0)
			return -ENOMEM;
		return old;
	}
	if(!(a[3] & LMREMAP_MAYMOVE))
		return -ENOMEM;
	return moveregion(h, old, oldlen, newlen, prot);
}

/* madvise: only MADV_DONTNEED has a visible effect (the pages read as zero). */
long
vh_madvise(Host *h, uint32_t *a)
{
	uint64_t len, p;
	int prot;

	len = vhpgup(a[1]);
	if(a[0] % PGSIZE != 0 || a[0] + len > vx_memsize(h->vx))
		return -EINVAL;
	if(!rangemapped(h, a[0], len))
		return -ENOMEM;
	if(a[2] != LMADV_DONTNEED)
		return 0;
	for(p = a[0]; p < a[0] + len; p += PGSIZE){
		prot = vx_pageprot(h->vx, p);
		if(vx_map(h->vx, p, PGSIZE, prot) < 0)
			return -ENOMEM;
	}
	return 0;
}
