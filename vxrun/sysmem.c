/*
 * sysmem.c — brk, mmap2, munmap, mprotect, mremap, madvise.  Guest
 * memory is one Vx region.  A private file mapping of a host file the
 * kernel serves (#U) is mapped copy-on-write with vx_mapfile, anything
 * else is read into fresh pages.  MAP_SHARED is real sharing with
 * vx_mapshared: an anonymous one is a memfd (so a forked child shares
 * it), a #U file's is the host file's pages (writes reach the file); a
 * writable MAP_SHARED of any other file is refused, since nothing would
 * write it back, and a read-only one is a copy.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dat.h"

enum {
	LMAP_SHARED = 0x01, LMAP_PRIVATE = 0x02, LMAP_TYPE = 0x0f, LMAP_FIXED = 0x10,
	LMAP_ANONYMOUS = 0x20, LMAP_HUGETLB = 0x40000, LMAP_FIXED_NOREPLACE = 0x100000,
	LMREMAP_MAYMOVE = 1, LMREMAP_FIXED = 2, LMADV_DONTNEED = 4,
	PROTMASK = VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC,
};

static int
rangeis(Lthread *t, uint32_t addr, uint64_t len, int mapped)
{
	uint64_t a;

	if((uint64_t)addr + len > vx_memsize(t->vx))
		return 0;
	for(a = addr; a < (uint64_t)addr + len; a += PGSIZE)
		if((vx_pageprot(t->vx, a) != -1) != mapped)
			return 0;
	return 1;
}

long
sys_brk(Lthread *t, uint32_t *a)
{
	uint64_t want, old, new;
	Mm *mm;
	long r;

	mm = t->mm;
	pthread_mutex_lock(&mm->lk);
	want = a[0];
	r = mm->brk;
	if(want < mm->brkstart)
		goto out;
	old = pgup(mm->brk);
	new = pgup(want);
	if(new > mm->mmaptop)
		goto out;
	if(new > old){
		if(!rangeis(t, old, new - old, 0))
			goto out;
		if(vx_map(t->vx, old, new - old, VX_PROT_READ | VX_PROT_WRITE) < 0)
			goto out;
	}else if(new < old && vx_unmap(t->vx, new, old - new) < 0)
		goto out;
	mm->brk = want;
	r = want;
out:
	pthread_mutex_unlock(&mm->lk);
	return r;
}

static uint32_t
placemap(Lthread *t, uint32_t hint, uint64_t len)
{
	if(hint != 0 && hint % PGSIZE == 0 && hint >= MINMAP
	&& hint + len <= t->mm->mmaptop && rangeis(t, hint, len, 0))
		return hint;
	return vx_findfree(t->vx, len, t->mm->mmaptop);
}

/* Copy the file's bytes at off into the fresh mapping at addr. */
static long
fillmap(Lthread *t, uint32_t fd, uint32_t addr, uint64_t len, uint64_t off)
{
	uint8_t *p;
	long r;
	uint64_t done;

	p = vx_access(t->vx, addr, len, VX_PROT_NONE);
	if(p == NULL)
		return -EFAULT;
	for(done = 0; done < len; done += r){
		r = kpread(fd, p + done, len - done > 1 << 20 ? 1 << 20 : (long)(len - done), off + done);
		if(r < 0)
			return kerrno();
		if(r == 0)
			break;
	}
	return 0;
}

/*
 * Map a host file the kernel serves from (a #U file) copy-on-write at
 * addr: the pages the file covers from it, the rest (past its end)
 * zero, as a guest sees past the end of a file mapping's last page.
 * 1 when done, 0 when the caller must copy, -errno.
 */
static long
hostmap(Lthread *t, int hfd, uint32_t addr, uint64_t len, uint64_t off, int prot, int shared)
{
	struct stat st;
	uint64_t infile;

	if(fstat(hfd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	infile = 0;
	if((uint64_t)st.st_size > off)
		infile = pgup(st.st_size - off);
	if(infile > len)
		infile = len;
	if(infile > 0 && shared && vx_mapshared(t->vx, addr, infile, prot, hfd, off) < 0)
		return errno == EACCES || errno == EPERM ? -EACCES : -ENOMEM;
	if(infile > 0 && !shared && vx_mapfile(t->vx, addr, infile, prot, hfd, off) < 0)
		return 0;
	if(len > infile && vx_map(t->vx, addr + infile, len - infile, prot) < 0){
		vx_unmap(t->vx, addr, len);
		return -ENOMEM;
	}
	return 1;
}

/*
 * MAP_SHARED: hfd's pages (a #U file; past its end, as for hostmap,
 * private zero pages), or for hfd < 0 (anonymous) a new memfd's.  1 when
 * done, 0 when the caller must make a private copy instead (a file that
 * is not a regular host file, mapped read-only), -errno.
 */
static long
sharedmap(Lthread *t, int hfd, uint32_t addr, uint64_t len, uint64_t off, int prot)
{
	int mfd;
	long r;

	if(hfd >= 0){
		r = hostmap(t, hfd, addr, len, off, prot, 1);
		if(r == 0 && (prot & VX_PROT_WRITE))
			r = -ENODEV;	/* nothing would write it back */
		return r;
	}
	mfd = memfd_create("vxinferno-shared", MFD_CLOEXEC);
	if(mfd < 0)
		return errno == EMFILE || errno == ENFILE ? -errno : -ENOMEM;
	r = 1;
	if(ftruncate(mfd, (off_t)len) < 0 || vx_mapshared(t->vx, addr, len, prot, mfd, 0) < 0)
		r = -ENOMEM;
	close(mfd);
	return r;
}

static long
domap(Lthread *t, uint32_t addr, uint32_t size, uint32_t prot, uint32_t flags, uint32_t fd, uint64_t off)
{
	uint32_t type;
	uint64_t len;
	int file, hfd, dc, qtype;
	unsigned long long qpath;
	long r;

	type = flags & LMAP_TYPE;
	if(size == 0 || (type != LMAP_PRIVATE && type != LMAP_SHARED) || (prot & ~PROTMASK) || (flags & LMAP_HUGETLB))
		return -EINVAL;
	file = !(flags & LMAP_ANONYMOUS);
	if(file){
		if(!fdcheck(t->p, fd))
			return -EBADF;
		/* reading the file is always needed, writing it for a
		 * writable shared mapping (Linux: EACCES) */
		if((t->p->fd[fd].flags & 3) == 1
		|| (type == LMAP_SHARED && (prot & VX_PROT_WRITE) && (t->p->fd[fd].flags & 3) != 2))
			return -EACCES;
		/* a directory, pipe or console cannot be mapped (Linux: ENODEV);
		 * filling a mapping from a pipe would wait with mm->lk held */
		if(t->p->fd[fd].isdir || t->p->fd[fd].slow)
			return -ENODEV;
	}
	len = pgup(size);
	if(len > t->mm->mmaptop)
		return -ENOMEM;
	hfd = -1;
	if(file && kif_fdkind(fd, &dc, &qtype, &qpath, &hfd) < 0)
		return -EBADF;
	if(file && type == LMAP_SHARED && (prot & VX_PROT_WRITE) && hfd < 0)
		return -ENODEV;
	pthread_mutex_lock(&t->mm->lk);
	if(flags & (LMAP_FIXED | LMAP_FIXED_NOREPLACE)){
		r = -EINVAL;
		if(addr % PGSIZE != 0)
			goto out;
		r = -EPERM;
		if(addr < MINMAP)
			goto out;
		r = -ENOMEM;
		if(addr + len > vx_memsize(t->vx))
			goto out;
		r = -EEXIST;
		if((flags & LMAP_FIXED_NOREPLACE) && !rangeis(t, addr, len, 0))
			goto out;
	}else{
		addr = placemap(t, addr, len);
		r = -ENOMEM;
		if(addr == 0)
			goto out;
	}
	if(type == LMAP_SHARED && (!file || hfd >= 0)){
		r = sharedmap(t, hfd, addr, len, off, prot);
		if(r > 0)
			r = addr;
		if(r != 0)
			goto out;
	}
	if(hfd >= 0 && (r = hostmap(t, hfd, addr, len, off, prot, 0)) != 0){
		if(r > 0)
			r = addr;
		goto out;
	}
	r = -ENOMEM;
	if(vx_map(t->vx, addr, len, file ? VX_PROT_READ | VX_PROT_WRITE : prot) < 0)
		goto out;
	if(file){
		r = fillmap(t, fd, addr, len, off);
		if(r < 0 || vx_protect(t->vx, addr, len, prot) < 0){
			vx_unmap(t->vx, addr, len);
			if(r == 0)
				r = -ENOMEM;
			goto out;
		}
	}
	r = addr;
out:
	pthread_mutex_unlock(&t->mm->lk);
	if(hfd >= 0)
		close(hfd);
	return r;
}

/* mmap2(addr, len, prot, flags, fd, pgoff) */
long
sys_mmap2(Lthread *t, uint32_t *a)
{
	return domap(t, a[0], a[1], a[2], a[3], a[4], (uint64_t)a[5] * PGSIZE);
}

/* old mmap(struct *args): the same six words in memory, offset in bytes */
long
sys_mmap(Lthread *t, uint32_t *a)
{
	uint8_t *p;

	p = gmem(t, a[0], 24, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	if(get32(p + 20) % PGSIZE)
		return -EINVAL;
	return domap(t, get32(p), get32(p + 4), get32(p + 8), get32(p + 12), get32(p + 16), get32(p + 20));
}

long
sys_munmap(Lthread *t, uint32_t *a)
{
	uint64_t len;
	long r;

	len = pgup(a[1]);
	if(a[0] % PGSIZE != 0 || len == 0 || a[0] + len > vx_memsize(t->vx))
		return -EINVAL;
	pthread_mutex_lock(&t->mm->lk);
	/* ENOMEM: the hole would take a host area past the cap (as Linux
	 * past max_map_count) */
	r = vx_unmap(t->vx, a[0], len) < 0 ? (errno == ENOMEM ? -ENOMEM : -EINVAL) : 0;
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}

long
sys_mprotect(Lthread *t, uint32_t *a)
{
	uint64_t len;
	long r;

	len = pgup(a[1]);
	if(a[0] % PGSIZE != 0 || (a[2] & ~PROTMASK))
		return -EINVAL;
	if(len == 0)
		return 0;
	pthread_mutex_lock(&t->mm->lk);
	r = 0;
	if(!rangeis(t, a[0], len, 1))
		r = -ENOMEM;
	else if(vx_protect(t->vx, a[0], len, a[2]) < 0)
		r = errno == EACCES ? -EACCES : -ENOMEM;	/* EACCES: a shared file open read-only */
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}

static long
moveregion(Lthread *t, uint32_t old, uint32_t oldlen, uint32_t newlen, int prot)
{
	uint32_t new;
	void *src, *dst;

	new = vx_findfree(t->vx, newlen, t->mm->mmaptop);
	if(new == 0 || vx_map(t->vx, new, newlen, VX_PROT_READ | VX_PROT_WRITE) < 0)
		return -ENOMEM;
	src = vx_access(t->vx, old, oldlen, VX_PROT_NONE);
	dst = vx_access(t->vx, new, oldlen, VX_PROT_WRITE);
	if(src == NULL || dst == NULL){
		vx_unmap(t->vx, new, newlen);
		return -ENOMEM;
	}
	memcpy(dst, src, oldlen);
	if(vx_protect(t->vx, new, newlen, prot) < 0){
		vx_unmap(t->vx, new, newlen);
		return -ENOMEM;
	}
	vx_unmap(t->vx, old, oldlen);
	return new;
}

/* mremap(old, oldlen, newlen, flags, newaddr) */
long
sys_mremap(Lthread *t, uint32_t *a)
{
	uint64_t oldlen, newlen;
	uint32_t old;
	long r;
	int prot;

	old = a[0];
	oldlen = pgup(a[1]);
	newlen = pgup(a[2]);
	if(old % PGSIZE != 0 || (a[3] & ~(uint32_t)(LMREMAP_MAYMOVE | LMREMAP_FIXED)) || newlen == 0 || oldlen == 0)
		return -EINVAL;
	if(a[3] & LMREMAP_FIXED)
		return -EINVAL;
	if(newlen > t->mm->mmaptop)
		return -ENOMEM;
	pthread_mutex_lock(&t->mm->lk);
	r = -EFAULT;
	if(!rangeis(t, old, oldlen, 1))
		goto out;
	if(newlen <= oldlen){
		r = old;
		if(newlen < oldlen && vx_unmap(t->vx, old + newlen, oldlen - newlen) < 0)
			r = -EINVAL;
		goto out;
	}
	prot = vx_pageprot(t->vx, old);
	r = -ENOMEM;
	if(vx_pageshared(t->vx, old))
		goto out;	/* a shared mapping shrinks, never grows or moves */
	if(old + newlen <= t->mm->mmaptop && rangeis(t, old + oldlen, newlen - oldlen, 0)){
		r = vx_map(t->vx, old + oldlen, newlen - oldlen, prot) < 0 ? -ENOMEM : (long)old;
		goto out;
	}
	r = -ENOMEM;
	if(a[3] & LMREMAP_MAYMOVE)
		r = moveregion(t, old, oldlen, newlen, prot);
out:
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}

long
sys_madvise(Lthread *t, uint32_t *a)
{
	uint64_t len;
	long r;

	len = pgup(a[1]);
	if(a[0] % PGSIZE != 0 || a[0] + len > vx_memsize(t->vx))
		return -EINVAL;
	if(!rangeis(t, a[0], len, 1))
		return -ENOMEM;
	if(a[2] != LMADV_DONTNEED || len == 0)
		return 0;
	/* a private file mapping is read from its file again; one copied
	 * from a file that is not the host's (fillmap) comes back zero */
	pthread_mutex_lock(&t->mm->lk);
	r = vx_discard(t->vx, a[0], len) < 0 ? -EINVAL : 0;
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}
