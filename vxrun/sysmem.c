/*
 * sysmem.c — brk, mmap2, munmap, mprotect, mremap, madvise.  Guest
 * memory is one Vx region.  A private file mapping of a host file the
 * kernel serves (#U) is mapped copy-on-write with vx_mapfile, anything
 * else is read into fresh pages.  MAP_SHARED is real sharing with
 * vx_mapshared: an anonymous one is a memfd (so a forked child shares
 * it), a #U file's is the host file's pages (writes reach the file); a
 * writable MAP_SHARED of any other file is refused, since nothing would
 * write it back, and a read-only one is a copy.  A private mapping of a
 * file, copy or #U, keeps a reference to its file (Fmap), so that
 * MADV_DONTNEED reads the file's pages again and mremap grows it with
 * the file's next bytes, as Linux's private file mappings do, also once
 * moved by mremap or copied by fork (a #U mapping's pages are then
 * copies: the host's MADV_DONTNEED would make them zero), and past the
 * end the file had at the mmap (zero pages of ours, which the file may
 * have grown into since).  msync has nothing to copy back (a
 * shared mapping is the file's own pages): it checks its arguments as
 * Linux does, and MS_SYNC asks the host to write the pages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dat.h"

enum {
	LMAP_SHARED = 0x01, LMAP_PRIVATE = 0x02, LMAP_TYPE = 0x0f, LMAP_FIXED = 0x10,
	LMAP_ANONYMOUS = 0x20, LMAP_HUGETLB = 0x40000, LMAP_FIXED_NOREPLACE = 0x100000,
	LMREMAP_MAYMOVE = 1, LMREMAP_FIXED = 2, LMREMAP_DONTUNMAP = 4, LMADV_DONTNEED = 4,
	LMS_ASYNC = 1, LMS_INVALIDATE = 2, LMS_SYNC = 4,
	PROTMASK = VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC,
};

int
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

static long discard(Lthread *t, uint32_t addr, uint64_t len);

/*
 * A private anonymous mapping of up to ANONPOP bytes is faulted in by
 * the call that makes it (VX_MAP_POPULATE): a program asks for one to
 * fill it (python's allocator takes 256 KiB arenas and writes every
 * 4 KiB pool of them in turn), and on a PVM host each first store's
 * fault is a trip through the hypervisor: 150 of a warm python start's
 * 400 faults (doc/bench.md, "python3's warm start: host costs, session
 * 31").  Larger ones (thread stacks, reservations) are left to fault,
 * and so are brk's steps: a static glibc's first is 132 KiB, of which
 * it uses a page or two (populated, an empty program's start was 0.1-0.2
 * ms slower; python's little sooner, within the noise).
 */
enum { ANONPOP = 256 << 10 };

static int
anonpop(uint64_t len)
{
	return len <= ANONPOP ? VX_MAP_POPULATE : 0;
}

static int pastas(Lthread *t, uint64_t len);

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
		if(!rangeis(t, old, new - old, 0) || pastas(t, new - old))
			goto out;
		if(vx_map(t->vx, old, new - old, VX_PROT_READ | VX_PROT_WRITE) < 0)
			goto out;
	}else if(new < old){
		if(vx_unmap(t->vx, new, old - new) < 0)
			goto out;
		fmapcut(mm, new, old - new);	/* a file mapped there over the heap */
	}
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

/* Read len bytes of the file at off into p: through fd, or the kept
 * file f when fd < 0.  The bytes read (fewer at its end), or -errno. */
/* Would len more committed bytes take t's process past its RLIMIT_AS?
 * A lowered one bounds what the process has written or may write (its
 * charged pages, vx.h), not its address space: a reservation costs
 * nothing inside the window -m reserved anyway. */
static int
pastas(Lthread *t, uint64_t len)
{
	uint64_t as = t->p->rlim[RLAS][0];	/* a word setrlimit writes */

	return as < vx_memsize(t->vx) && vx_charged(t->vx) * PGSIZE + len > as;
}

static long
readfile(int fd, Kiffile *f, uint8_t *p, uint64_t len, uint64_t off)
{
	long r, n;
	uint64_t done;

	for(done = 0; done < len; done += r){
		n = len - done > 1 << 20 ? 1 << 20 : (long)(len - done);
		r = fd >= 0 ? kpread(fd, p + done, n, off + done) : kif_filepread(f, p + done, n, off + done);
		if(r < 0)
			return kerrno();
		if(r == 0)
			break;
	}
	return (long)done;
}

/* Copy the file's bytes at off into the fresh mapping at addr (fd or f
 * as for readfile). */
static long
fillmap(Lthread *t, int fd, Kiffile *f, uint32_t addr, uint64_t len, uint64_t off)
{
	uint8_t *p;
	long r;

	p = vx_access(t->vx, addr, len, VX_PROT_NONE);
	if(p == NULL)
		return -EFAULT;
	r = readfile(fd, f, p, len, off);
	return r < 0 ? r : 0;
}

enum { COPYSTEP = 1 << 20 };	/* bytes read and put in place at a time */

/* [addr, addr+len) becomes the file f's bytes at off with protection
 * prot, put in place a step at a time by vx_mapcopy: a thread reading
 * them meanwhile sees what was there or the file's bytes, never a hole
 * or zeros (past the file's end: zeros).  -errno. */
static long
copyin(Lthread *t, Kiffile *f, uint32_t addr, uint32_t len, uint64_t off, int prot)
{
	uint8_t *buf;
	uint32_t done, step;
	long r;

	buf = malloc(len < COPYSTEP ? len : COPYSTEP);
	if(buf == NULL)
		return -ENOMEM;
	r = 0;
	for(done = 0; done < len && r >= 0; done += step){
		step = len - done < COPYSTEP ? len - done : COPYSTEP;
		r = readfile(-1, f, buf, step, off + done);
		if(r >= 0 && vx_mapcopy(t->vx, addr + done, step, prot, buf, (uint32_t)r) < 0)
			r = -ENOMEM;
	}
	free(buf);
	return r < 0 ? r : 0;
}

/* --- Fmap: the files private copies came from ---------------------------- */

static Fmap *
newfmap(uint32_t addr, uint32_t len, uint64_t off, Kiffile *file, Fmap *next)
{
	Fmap *m;

	m = malloc(sizeof *m);
	if(m == NULL)
		return NULL;
	m->addr = addr;
	m->len = len;
	m->off = off;
	m->file = file;
	m->host = 0;
	m->hostend = 0;
	m->next = next;
	return m;
}

/* Forget [addr, addr+len): unmapped, or mapped anew.  A record that
 * cannot be cut in two (no memory) goes whole: its pages then come back
 * zero, as before there were records.  System V shared memory attached
 * there is detached (shmcut). */
void
fmapcut(Mm *mm, uint32_t addr, uint64_t len)
{
	uint64_t end, mend;
	Fmap **l, *m, *tail;

	shmcut(mm, addr, len);
	end = (uint64_t)addr + len;
	for(l = &mm->fmaps; (m = *l) != NULL;){
		mend = (uint64_t)m->addr + m->len;
		if(mend <= addr || m->addr >= end){
			l = &m->next;
			continue;
		}
		if(m->addr < addr && mend > end){	/* the hole is inside: two records */
			tail = newfmap(end, mend - end, m->off + (end - m->addr), m->file, m->next);
			if(tail == NULL){
				*l = m->next;
				kif_fileclose(m->file);
				free(m);
				return;
			}
			tail->host = m->host;
			tail->hostend = m->hostend;
			kif_filedup(m->file);
			m->len = addr - m->addr;
			m->next = tail;
			return;
		}
		if(m->addr < addr){		/* keeps its head */
			m->len = addr - m->addr;
			l = &m->next;
		}else if(mend > end){		/* keeps its tail */
			m->off += end - m->addr;
			m->len = mend - end;
			m->addr = end;
			l = &m->next;
		}else{				/* inside: gone */
			*l = m->next;
			kif_fileclose(m->file);
			free(m);
		}
	}
}

/* Put m in the list, which is kept in address order. */
static void
fmaplink(Mm *mm, Fmap *m)
{
	Fmap **l;

	for(l = &mm->fmaps; *l != NULL && (*l)->addr < m->addr; l = &(*l)->next)
		;
	m->next = *l;
	*l = m;
}

/* Remember that [addr, addr+len) is a private mapping of file at off,
 * its first hostlen bytes the host file's pages in place (the rest,
 * past the file's end when it was mapped, zero pages of ours); the
 * reference is the record's, dropped when none can be made. */
static void
fmapadd(Mm *mm, uint32_t addr, uint32_t len, uint64_t off, Kiffile *file, uint64_t hostlen)
{
	Fmap *m;

	m = newfmap(addr, len, off, file, NULL);
	if(m == NULL){
		kif_fileclose(file);
		return;
	}
	m->host = hostlen > 0;
	m->hostend = off + hostlen;
	fmaplink(mm, m);
}

/* A record that holds a inside it becomes two meeting at a (without
 * memory for the second, it goes: its pages then come back zero). */
static void
fmapsplit(Mm *mm, uint32_t a)
{
	Fmap **l, *m, *tail;

	for(l = &mm->fmaps; (m = *l) != NULL; l = &m->next){
		if(m->addr >= a || a - m->addr >= m->len)
			continue;
		tail = newfmap(a, m->len - (a - m->addr), m->off + (a - m->addr), m->file, m->next);
		if(tail == NULL){
			*l = m->next;
			kif_fileclose(m->file);
			free(m);
			return;
		}
		tail->host = m->host;
		tail->hostend = m->hostend;
		kif_filedup(m->file);
		m->len = a - m->addr;
		m->next = tail;
		return;
	}
}

/* The record holding address a, or NULL. */
static Fmap *
fmapat(Mm *mm, uint32_t a)
{
	Fmap *m;

	for(m = mm->fmaps; m != NULL; m = m->next)
		if(a >= m->addr && a - m->addr < m->len)
			return m;
	return NULL;
}

/* mremap moved [old, old+len) to new: its records go with it, the
 * parts of records it cut through too; the pages are copies now. */
static void
fmapmove(Mm *mm, uint32_t old, uint32_t len, uint32_t new)
{
	Fmap **l, *m, *moved;

	fmapcut(mm, new, len);
	fmapsplit(mm, old);
	fmapsplit(mm, old + len);
	moved = NULL;
	for(l = &mm->fmaps; (m = *l) != NULL;){
		if(m->addr >= old && (uint64_t)m->addr + m->len <= (uint64_t)old + len){
			*l = m->next;
			m->addr = m->addr - old + new;
			m->host = 0;
			m->next = moved;
			moved = m;
		}else
			l = &m->next;
	}
	for(; moved != NULL; moved = m){
		m = moved->next;
		fmaplink(mm, moved);
	}
}

/* A forked copy of the memory has the same records (from->lk held);
 * vx_fork copies the written pages of a host file's mapping, so the
 * child reads all of them through the kernel. */
int
fmapcopy(Mm *to, Mm *from)
{
	Fmap *m, **l;

	l = &to->fmaps;
	for(m = from->fmaps; m != NULL; m = m->next){
		*l = newfmap(m->addr, m->len, m->off, m->file, NULL);
		if(*l == NULL)
			return -1;
		kif_filedup(m->file);
		l = &(*l)->next;
	}
	return 0;
}

void
fmapfree(Mm *mm)
{
	Fmap *m;

	while((m = mm->fmaps) != NULL){
		mm->fmaps = m->next;
		kif_fileclose(m->file);
		free(m);
	}
}

/* MADV_DONTNEED of a private mapping's pages [addr, addr+len) of m: a
 * host file's in place by the host, a copy's read from the file again, a run of one protection at a time, and put in
 * place of the old pages (their translations go with them) without a
 * moment where another thread could find them missing or zero.  -errno. */
static long
refill(Lthread *t, Fmap *m, uint32_t addr, uint32_t len)
{
	uint32_t a, run, hosthere;
	int prot;
	long r;

	if(m->host){
		/* the host file's pages by the host; those that were past
		 * its end at the mmap are ours: the file may have grown
		 * into them since, so they are read as a copy's are */
		hosthere = m->hostend > m->off + (addr - m->addr) ? m->hostend - (m->off + (addr - m->addr)) : 0;
		if(hosthere > len)
			hosthere = len;
		if(hosthere > 0 && vx_discard(t->vx, addr, hosthere) < 0)
			return -EINVAL;
		addr += hosthere;
		len -= hosthere;
	}
	for(a = addr; a < addr + len; a += run){
		prot = vx_pageprot(t->vx, a);
		for(run = PGSIZE; a + run < addr + len && vx_pageprot(t->vx, a + run) == prot; run += PGSIZE)
			;
		if((r = copyin(t, m->file, a, run, m->off + (a - m->addr), prot)) < 0)
			return r;
	}
	return 0;
}

/* Is hfd a host memfd (a guest's memfd_create, kmemfd)?  Its shared
 * mappings are charged as anonymous shared memory is (VX_MAP_ANON),
 * since its pages are host memory, not a file's. */
static int
memfdof(int hfd)
{
	char path[32], name[8];

	snprintf(path, sizeof path, "/proc/self/fd/%d", hfd);
	return readlink(path, name, sizeof name) == sizeof name && memcmp(name, "/memfd:", 7) == 0;
}

/*
 * Map a host file the kernel serves from (a #U file) copy-on-write at
 * addr: the pages the file covers from it, the rest (past its end)
 * zero, as a guest sees past the end of a file mapping's last page.
 * 1 when done, 0 when the caller must copy, -errno.
 */
static long
hostmap(Lthread *t, int hfd, uint32_t addr, uint64_t len, uint64_t off, int prot, int shared, uint64_t *infilep)
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
	if(infile > 0 && shared && vx_mapshared(t->vx, addr, infile, prot | (memfdof(hfd) ? VX_MAP_ANON : 0), hfd, off) < 0)
		return errno == EPERM ? -EPERM : errno == EACCES ? -EACCES : -ENOMEM;	/* EPERM: a seal's (F_SEAL_WRITE) */
	if(infile > 0 && !shared && vx_mapfile(t->vx, addr, infile, prot, hfd, off) < 0)
		return 0;
	if(len > infile && vx_map(t->vx, addr + infile, len - infile, prot) < 0){
		vx_unmap(t->vx, addr, len);
		return -ENOMEM;
	}
	*infilep = infile;
	return 1;
}

/* Is the sandbox still within its bound with memfd fd's pages and
 * those a mapping of [off, off+len) may make, with those of earlier
 * mappings (the kernel charges a memfd the hull of its ranges ever
 * mapped, kif_memfdmapped): a store through a mapping is no call, so a
 * guest filling memfds through mapped windows is stopped here. */
static int
memfdroom(int fd, uint64_t off, uint64_t len)
{
	return kif_memfdmapped(fd, off, len) == 0;
}

/*
 * MAP_SHARED: hfd's pages (a #U file; past its end, as for hostmap,
 * private zero pages), or for hfd < 0 (anonymous) a new memfd's.  1 when
 * done, 0 when the caller must make a private copy instead (a file that
 * is not a regular host file, mapped read-only), -errno.
 */
static long
sharedmap(Lthread *t, int fd, int hfd, uint32_t addr, uint64_t len, uint64_t off, int prot)
{
	uint64_t infile;
	int mfd;
	long r;

	if(hfd >= 0){
		if(memfdof(hfd) && !memfdroom(fd, off, len))
			return -ENOMEM;
		r = hostmap(t, hfd, addr, len, off, prot, 1, &infile);
		if(r == 0 && (prot & VX_PROT_WRITE))
			r = -ENODEV;	/* nothing would write it back */
		return r;
	}
	mfd = memfd_create("vxinferno-shared", MFD_CLOEXEC);
	if(mfd < 0)
		return errno == EMFILE || errno == ENFILE ? -errno : -ENOMEM;
	r = 1;
	if(ftruncate(mfd, (off_t)len) < 0 || vx_mapshared(t->vx, addr, len, prot | VX_MAP_ANON, mfd, 0) < 0)
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
	uint64_t infile;
	Kiffile *kf;
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
	if(len > t->mm->mmaptop || ((prot & VX_PROT_WRITE) && pastas(t, len)))
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
	fmapcut(t->mm, addr, len);
	if(type == LMAP_SHARED && (!file || hfd >= 0)){
		r = sharedmap(t, fd, hfd, addr, len, off, prot);
		if(r > 0)
			r = addr;
		if(r != 0)
			goto out;
	}
	if(hfd >= 0 && (r = hostmap(t, hfd, addr, len, off, prot, 0, &infile)) != 0){
		if(r > 0){
			r = addr;
			if((kf = kif_fdfile(fd)) != NULL)
				fmapadd(t->mm, addr, len, off, kf, infile);
		}
		goto out;
	}
	r = -ENOMEM;
	if(vx_map(t->vx, addr, len, file ? VX_PROT_READ | VX_PROT_WRITE : prot | anonpop(len)) < 0)
		goto out;
	if(file){
		r = fillmap(t, fd, NULL, addr, len, off);
		if(r < 0 || vx_protect(t->vx, addr, len, prot) < 0){
			vx_unmap(t->vx, addr, len);
			if(r == 0)
				r = -ENOMEM;
			goto out;
		}
	}
	r = addr;
	/* a copy (private, or shared read-only) remembers its file */
	if(file && (kf = kif_fdfile(fd)) != NULL)
		fmapadd(t->mm, addr, len, off, kf, 0);
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

/* old mmap(struct *args): the same six words in memory, offset in
 * bytes; the offset is read once (another thread may change it between
 * the check and the use) */
long
sys_mmap(Lthread *t, uint32_t *a)
{
	uint8_t *p;
	uint32_t off;

	p = gmem(t, a[0], 24, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	off = get32(p + 20);
	if(off % PGSIZE)
		return -EINVAL;
	return domap(t, get32(p), get32(p + 4), get32(p + 8), get32(p + 12), get32(p + 16), off);
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
	if(r == 0)
		fmapcut(t->mm, a[0], len);
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

/* mremap's move to new (0: a free place): the pages themselves
 * (vx_move), or with keep (MREMAP_DONTUNMAP, whose old pages stay) a
 * copy; the grown part, first, from file at foff when the mapping is a
 * file's copy (file not NULL), else zero. */
static long
moveregion(Lthread *t, uint32_t old, uint32_t oldlen, uint32_t newlen, int prot, Kiffile *file, uint64_t foff, uint32_t new, int keep)
{
	void *src, *dst;
	long r;

	if(new == 0)
		new = vx_findfree(t->vx, newlen, t->mm->mmaptop);
	if(new == 0 || vx_map(t->vx, new, newlen, VX_PROT_READ | VX_PROT_WRITE) < 0)
		return -ENOMEM;
	r = 0;
	if(newlen > oldlen && file != NULL)
		r = fillmap(t, -1, file, new + oldlen, newlen - oldlen, foff);
	if(r == 0 && newlen > oldlen && vx_protect(t->vx, new + oldlen, newlen - oldlen, prot) < 0)
		r = -ENOMEM;
	if(r < 0){
		vx_unmap(t->vx, new, newlen);
		return r;
	}
	if(!keep && vx_move(t->vx, old, oldlen, new) == 0)
		return new;
	src = vx_access(t->vx, old, oldlen, VX_PROT_NONE);
	dst = vx_access(t->vx, new, oldlen, VX_PROT_WRITE);
	if(src == NULL || dst == NULL){
		vx_unmap(t->vx, new, newlen);
		return -ENOMEM;
	}
	memcpy(dst, src, oldlen);
	if(vx_protect(t->vx, new, oldlen, prot) < 0){
		vx_unmap(t->vx, new, newlen);
		return -ENOMEM;
	}
	if(!keep)
		vx_unmap(t->vx, old, oldlen);
	return new;
}

/* mremap's growth in place by the free pages [addr, addr+len): zero,
 * or where the mapping is a copy of a file (fm), the file's bytes at
 * foff, its record grown with it.  -errno. */
static long
growinplace(Lthread *t, Fmap *fm, uint32_t addr, uint32_t len, uint64_t foff, int prot)
{
	long r;

	if(fm == NULL)
		return vx_map(t->vx, addr, len, prot) < 0 ? -ENOMEM : 0;
	if((r = copyin(t, fm->file, addr, len, foff, prot)) < 0){
		vx_unmap(t->vx, addr, len);
		return r;
	}
	if((uint64_t)fm->addr + fm->len == addr && !fm->host)
		fm->len += len;
	else
		fmapadd(t->mm, addr, len, foff, kif_filedup(fm->file), 0);
	return 0;
}

/* The file a mapping ending at old+oldlen copies, and the offset of
 * its next bytes (*file NULL: none); its record, or NULL. */
static Fmap *
filetail(Mm *mm, uint32_t old, uint64_t oldlen, Kiffile **file, uint64_t *foff)
{
	Fmap *fm;

	*file = NULL;
	*foff = 0;
	if((fm = fmapat(mm, old + oldlen - 1)) != NULL){
		*file = fm->file;
		*foff = fm->off + (old + oldlen - fm->addr);
	}
	return fm;
}

static void fmapdup(Mm *mm, uint32_t old, uint32_t len, uint32_t new);

/* After moveregion to new, mm->lk held: the file records follow the
 * pages (keep: are copied, and the old pages read as if just mapped),
 * and a grown copy of a file maps the file's next bytes at foff. */
static void
moved(Lthread *t, uint32_t old, uint64_t oldlen, uint64_t newlen, uint32_t new, Kiffile *file, uint64_t foff, int keep)
{
	if(file != NULL && newlen > oldlen)
		kif_filedup(file);	/* before fmapmove, which may cut its record */
	if(keep){
		fmapdup(t->mm, old, oldlen, new);
		discard(t, old, oldlen);
	}else
		fmapmove(t->mm, old, oldlen, new);
	if(file != NULL && newlen > oldlen)
		fmapadd(t->mm, new + oldlen, newlen - oldlen, foff, file, 0);
}

/* The records of [old, old+len), copied to new: MREMAP_DONTUNMAP leaves
 * the old pages the file's too. */
static void
fmapdup(Mm *mm, uint32_t old, uint32_t len, uint32_t new)
{
	Fmap *m;
	uint64_t s, e;

	for(m = mm->fmaps; m != NULL; m = m->next){
		s = m->addr > old ? m->addr : old;
		e = (uint64_t)m->addr + m->len < (uint64_t)old + len ? (uint64_t)m->addr + m->len : (uint64_t)old + len;
		if(s < e)
			fmapadd(mm, s - old + new, e - s, m->off + (s - m->addr), kif_filedup(m->file), 0);
	}
}

/*
 * mremap with MREMAP_FIXED (to newaddr, whatever was there unmapped
 * first) or MREMAP_DONTUNMAP (the old range stays mapped, its pages
 * as if just mapped: zero, or the file's).  Linux's order of checks:
 * the new range inside memory and apart from the old, then the old
 * range past newlen unmapped, then the old range mapped (EFAULT).
 */
static long
mremapto(Lthread *t, uint32_t old, uint64_t oldlen, uint64_t newlen, uint32_t flags, uint32_t newaddr)
{
	uint64_t foff;
	Kiffile *file;
	int prot, keep;
	long r;

	keep = (flags & LMREMAP_DONTUNMAP) != 0;
	if(!(flags & LMREMAP_FIXED))
		newaddr = 0;
	else if(newaddr % PGSIZE != 0 || newaddr + newlen > vx_memsize(t->vx) ||
	   ((uint64_t)old + oldlen > newaddr && newaddr + newlen > old))
		return -EINVAL;
	if(pastas(t, keep ? newlen : newlen > oldlen ? newlen - oldlen : 0))
		return -ENOMEM;
	pthread_mutex_lock(&t->mm->lk);
	if(newaddr != 0 && vx_unmap(t->vx, newaddr, newlen) == 0)
		fmapcut(t->mm, newaddr, newlen);
	if(oldlen > newlen){
		if(vx_unmap(t->vx, old + newlen, oldlen - newlen) == 0)
			fmapcut(t->mm, old + newlen, oldlen - newlen);
		oldlen = newlen;
	}
	r = -EFAULT;
	if(!rangeis(t, old, oldlen, 1))
		goto out;
	r = -ENOMEM;
	prot = vx_pageprot(t->vx, old);
	if(vx_pageshared(t->vx, old))
		goto out;	/* a shared mapping is never moved (doc/guest-abi.md) */
	filetail(t->mm, old, oldlen, &file, &foff);
	r = moveregion(t, old, oldlen, newlen, prot, file, foff, newaddr, keep);
	if(r >= 0)
		moved(t, old, oldlen, newlen, r, file, foff, keep);
out:
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}

/* mremap(old, oldlen, newlen, flags, newaddr) */
long
sys_mremap(Lthread *t, uint32_t *a)
{
	uint64_t oldlen, newlen, foff;
	uint32_t old;
	Kiffile *file;
	Fmap *fm;
	long r;
	int prot;

	old = a[0];
	oldlen = pgup(a[1]);
	newlen = pgup(a[2]);
	if(a[3] & ~(uint32_t)(LMREMAP_MAYMOVE | LMREMAP_FIXED | LMREMAP_DONTUNMAP))
		return -EINVAL;
	if((a[3] & (LMREMAP_FIXED | LMREMAP_DONTUNMAP)) && !(a[3] & LMREMAP_MAYMOVE))
		return -EINVAL;
	if((a[3] & LMREMAP_DONTUNMAP) && oldlen != newlen)
		return -EINVAL;
	if(old % PGSIZE != 0 || newlen == 0 || oldlen == 0)
		return -EINVAL;
	if(a[3] & (LMREMAP_FIXED | LMREMAP_DONTUNMAP))
		return mremapto(t, old, oldlen, newlen, a[3], a[4]);
	if(newlen > t->mm->mmaptop || (newlen > oldlen && pastas(t, newlen - oldlen)))
		return -ENOMEM;
	pthread_mutex_lock(&t->mm->lk);
	r = -EFAULT;
	if(!rangeis(t, old, oldlen, 1))
		goto out;
	if(newlen <= oldlen){
		r = old;
		if(newlen < oldlen && vx_unmap(t->vx, old + newlen, oldlen - newlen) < 0)
			r = -EINVAL;
		else if(newlen < oldlen)
			fmapcut(t->mm, old + newlen, oldlen - newlen);
		goto out;
	}
	prot = vx_pageprot(t->vx, old);
	r = -ENOMEM;
	if(vx_pageshared(t->vx, old))
		goto out;	/* a shared mapping shrinks, never grows or moves */
	/* a copy of a file grows with the file's next bytes, as Linux's
	 * private file mapping does; anything else with zeros */
	fm = filetail(t->mm, old, oldlen, &file, &foff);
	if(old + newlen <= t->mm->mmaptop && rangeis(t, old + oldlen, newlen - oldlen, 0)){
		r = growinplace(t, fm, old + oldlen, newlen - oldlen, foff, prot);
		if(r == 0)
			r = old;
		goto out;
	}
	r = -ENOMEM;
	if(a[3] & LMREMAP_MAYMOVE)
		r = moveregion(t, old, oldlen, newlen, prot, file, foff, 0, 0);
	if(r >= 0 && (uint32_t)r != old)
		moved(t, old, oldlen, newlen, r, file, foff, 0);
out:
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}

/* MADV_DONTNEED of [addr, addr+len), mm->lk held: the copies' pages
 * from their files, the rest by vx_discard. */
static long
discard(Lthread *t, uint32_t addr, uint64_t len)
{
	uint64_t a, end, s, e;
	Fmap *m;
	long r;

	end = (uint64_t)addr + len;
	a = addr;
	for(m = t->mm->fmaps; m != NULL && a < end; m = m->next){
		s = m->addr > a ? m->addr : a;
		e = (uint64_t)m->addr + m->len < end ? (uint64_t)m->addr + m->len : end;
		if(s >= e)
			continue;
		if(s > a && vx_discard(t->vx, a, s - a) < 0)
			return -EINVAL;
		if((r = refill(t, m, s, e - s)) < 0)
			return r;
		a = e;
	}
	if(a < end && vx_discard(t->vx, a, end - a) < 0)
		return -EINVAL;
	return 0;
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
	/* a private file mapping is read from its file again: a host
	 * file's by the host (vx_discard), another's copy from the file
	 * it keeps (Fmap); anonymous pages come back zero */
	pthread_mutex_lock(&t->mm->lk);
	r = discard(t, a[0], len);
	pthread_mutex_unlock(&t->mm->lk);
	return r;
}

/*
 * mlock, munlock, mlock2 and mlockall: accepted and change nothing.  A
 * guest's pages are the host process's memory, which the sandbox does
 * not pin; what a guest can see is kept: ENOMEM for a range not wholly
 * mapped, EINVAL for unknown flags (gpg's secure memory locks its pool
 * and warns "using insecure memory" when it cannot).
 */
static long
lockrange(Lthread *t, uint32_t addr, uint32_t len)
{
	uint64_t start, n;

	start = addr & ~(uint32_t)(PGSIZE - 1);
	n = pgup((uint64_t)len + (addr - start));
	if(n == 0)
		return 0;
	if(start + n > vx_memsize(t->vx) || !rangeis(t, start, n, 1))
		return -ENOMEM;
	return 0;
}

long
sys_mlock(Lthread *t, uint32_t *a)
{
	return lockrange(t, a[0], a[1]);
}

long
sys_mlock2(Lthread *t, uint32_t *a)
{
	if(a[2] & ~1u)		/* MLOCK_ONFAULT */
		return -EINVAL;
	return lockrange(t, a[0], a[1]);
}

long
sys_mlockall(Lthread *t, uint32_t *a)
{
	(void)t;
	/* MCL_CURRENT 1, MCL_FUTURE 2, MCL_ONFAULT 4 (not alone) */
	if(a[0] == 0 || (a[0] & ~7u) || a[0] == 4)
		return -EINVAL;
	return 0;
}

/* msync(2): a MAP_SHARED mapping is the host file's own pages, so a
 * read or another mapping of the file already sees every write, as in
 * Linux's page cache; MS_SYNC writes the shared pages to the host file. */
long
sys_msync(Lthread *t, uint32_t *a)
{
	uint64_t len, x, run;
	void *p;

	if((a[2] & ~(LMS_ASYNC | LMS_INVALIDATE | LMS_SYNC)) || a[0] % PGSIZE != 0 ||
	   ((a[2] & LMS_ASYNC) && (a[2] & LMS_SYNC)))
		return -EINVAL;
	len = pgup(a[1]);
	if(len == 0)
		return 0;
	if(!rangeis(t, a[0], len, 1))
		return -ENOMEM;
	if(!(a[2] & LMS_SYNC))
		return 0;
	for(x = a[0]; x < (uint64_t)a[0] + len; x += run){
		for(run = 0; x + run < (uint64_t)a[0] + len && vx_pageshared(t->vx, x + run); run += PGSIZE)
			;
		if(run == 0){
			run = PGSIZE;
			continue;
		}
		p = vx_access(t->vx, x, run, 0);
		if(p != NULL && msync(p, run, MS_SYNC) < 0)
			return -EIO;
	}
	return 0;
}
