/*
 * sysshm.c — System V shared memory: shmget, shmat, shmdt, shmctl.  A
 * segment is a host memfd of its size, made by shmget and mapped
 * shared (vx_mapshared) wherever it is attached, so a forked child
 * shares its pages as Linux's; it lives until IPC_RMID and the last
 * detach.  Its whole size is charged to the sandbox of the process that
 * made it (ipccharge) from shmget to its end, and its mappings are
 * not charged again: a guest cannot pass -M through segments, attached
 * or not, written or not.  Each memory (Mm) keeps what is attached in
 * it (Shmat), as Linux's vmas: an attach cut by munmap or a mapping
 * over it is cut the same (shmcut), cut in two counts twice in
 * shm_nattch, and one wholly unmapped is detached; fork copies them,
 * exec and exit detach them (shmfree).  The segments are their
 * sandbox's (Ipcns.shm), and go when it ends (shmnsfree).
 *
 * Locking: shmlk (recursive: shmat's SHM_REMAP cuts what it maps over)
 * guards the segments and is taken inside mm->lk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dat.h"

enum {
	/* Linux's: SHMMAX and SHMALL are ULONG_MAX - 2^24 on a 64-bit
	 * kernel, which tells an i386 program SHMMAX is INT_MAX (compat)
	 * but takes any 32-bit size (then ENOMEM): so do we */
	SHMMIN = 1, SHMMAXINFO = 0x7fffffff, SHMALL = 0xfeffffff, SHMSEG = SHMMNI,
	SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000,
	SHM_DEST = 01000, SHM_LOCKED = 02000,
	SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15,
};

typedef struct Shm Shm;
struct Shm {
	Ipc ipc;		/* first */
	uint32_t size;
	int fd;			/* the host memfd holding its pages */
	int nattch;
	int cpid, lpid;
	uint64_t atime, dtime;
};

/* Guest pages [addr, addr+len) are segment seg's from byte off. */
struct Shmat {
	Shmat *next;
	uint32_t addr, len, off;
	Shm *seg;
};

static pthread_mutex_t shmlk = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* s's memfd and pages no longer charged to its sandbox. */
static void
shmuncharge(Shm *s)
{
	if(s->ipc.box != NULL)
		s->ipc.box->acct.charge(&s->ipc.box->acct, VX_ACCT_FDS, -1);
	ipcuncharge(&s->ipc);
}

static void
shmdestroy(Shm *s)
{
	ipcdel(&s->ipc);
	close(s->fd);
	shmuncharge(s);
	free(s);
}

/* The sandbox has ended: each of its segments goes.  No process
 * of it is left to have one attached; were one still attached, it would
 * be an orphan, out of the table, charged to nothing, freed at its last
 * detach. */
void
shmnsfree(Ipcns *ns)
{
	Shm *s;
	int i;

	pthread_mutex_lock(&shmlk);
	for(i = 0; i < ns->shm.n; i++){
		if((s = (Shm *)ns->shm.obj[i]) == NULL)
			continue;
		s->ipc.mode |= SHM_DEST;
		if(s->nattch == 0){
			shmdestroy(s);
			continue;
		}
		ipcdel(&s->ipc);
		shmuncharge(s);
	}
	pthread_mutex_unlock(&shmlk);
}

/* One attach fewer (shmlk held); pid 0: not known. */
static void
shmdetach(Shm *s, int pid)
{
	s->dtime = ipcnow();
	if(pid != 0)
		s->lpid = pid;
	if(--s->nattch == 0 && (s->ipc.mode & SHM_DEST))
		shmdestroy(s);
}

static long
shmcheck(Ipc *o, uint32_t size)
{
	return ((Shm *)o)->size < size ? -EINVAL : 0;
}

static Ipc *
shmmake(Lthread *t, uint32_t size, long *err)
{
	Shm *s;
	Lbox *b;

	*err = -EINVAL;
	if(size < SHMMIN)
		return NULL;
	*err = -ENOMEM;
	s = calloc(1, sizeof *s);
	if(s == NULL)
		return NULL;
	s->ipc.id = -1;
	s->size = size;
	s->cpid = t->p->pid;
	s->fd = -1;
	b = t->p->lbox;
	if(ipccharge(&s->ipc, b, size) < 0)
		goto fail;
	*err = -ENFILE;
	if(b != NULL && b->acct.charge(&b->acct, VX_ACCT_FDS, 1) < 0)
		goto fail;
	s->fd = memfd_create("vxinferno-sysv-shm", MFD_CLOEXEC);
	if(s->fd < 0 || ftruncate(s->fd, (off_t)pgup(size)) < 0){
		if(b != NULL)
			b->acct.charge(&b->acct, VX_ACCT_FDS, -1);
		goto fail;
	}
	return &s->ipc;
fail:
	if(s->fd >= 0)
		close(s->fd);
	ipcuncharge(&s->ipc);
	free(s);
	return NULL;
}

/* shmget(key, size, flags) */
long
sys_shmget(Lthread *t, uint32_t *a)
{
	long r;

	pthread_mutex_lock(&shmlk);
	r = ipcget(t, &ipcns(t)->shm, a[0], a[2], a[1], shmcheck, shmmake);
	pthread_mutex_unlock(&shmlk);
	return r;
}

/* Segment id of t's namespace. */
static Shm *
shmof(Lthread *t, int32_t id)
{
	return (Shm *)ipcfind(&ipcns(t)->shm, id);
}

/* Where a new attach of len bytes goes (mm->lk held): addr, checked,
 * or a free place; 0 with *err. */
static uint32_t
shmplace(Lthread *t, uint32_t addr, uint32_t len, uint32_t flags, long *err)
{
	if(addr == 0){
		*err = -ENOMEM;
		return vx_findfree(t->vx, len, t->mm->mmaptop);
	}
	*err = -EINVAL;
	if(addr < MINMAP || (uint64_t)addr + len > vx_memsize(t->vx))
		return 0;
	if(!(flags & SHM_REMAP) && !rangeis(t, addr, len, 0))
		return 0;
	return addr;
}

/* Map segment s at addr; read-only (SHM_RDONLY) through a read-only
 * open of its memfd, so that mprotect cannot make it writable (the
 * host refuses: EACCES, as Linux's). */
static int
shmmap(Lthread *t, Shm *s, uint32_t addr, uint32_t len, int prot)
{
	char path[40];
	int fd, r;

	if(prot & VX_PROT_WRITE)
		return vx_mapshared(t->vx, addr, len, prot, s->fd, 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", s->fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if(fd < 0)
		return -1;
	r = vx_mapshared(t->vx, addr, len, prot, fd, 0);
	close(fd);
	return r;
}

/* shmat(id, addr, flags): the address */
long
sys_shmat(Lthread *t, uint32_t *a)
{
	uint32_t addr, flags, len, acc;
	int prot;
	Shmat *at;
	Shm *s;
	long r;

	addr = a[1];
	flags = a[2];
	if((int32_t)a[0] < 0)
		return -EINVAL;
	if(addr != 0 && addr % PGSIZE != 0){
		if(!(flags & SHM_RND))
			return -EINVAL;
		addr &= ~(uint32_t)(PGSIZE - 1);
		if(addr == 0 && (flags & SHM_REMAP))
			return -EINVAL;
	}else if(addr == 0 && (flags & SHM_REMAP))
		return -EINVAL;
	prot = VX_PROT_READ;
	acc = 0444;
	if(!(flags & SHM_RDONLY)){
		prot |= VX_PROT_WRITE;
		acc |= 0222;
	}
	if(flags & SHM_EXEC)
		prot |= VX_PROT_EXEC;
	at = malloc(sizeof *at);
	if(at == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&t->mm->lk);
	pthread_mutex_lock(&shmlk);
	r = -EINVAL;
	if((s = shmof(t, a[0])) == NULL || (r = ipcaccess(&s->ipc, acc)) < 0)
		goto out;
	len = pgup(s->size);
	if((addr = shmplace(t, addr, len, flags, &r)) == 0)
		goto out;
	r = -ENOMEM;
	if(shmmap(t, s, addr, len, prot) < 0)
		goto out;
	fmapcut(t->mm, addr, len);	/* what SHM_REMAP mapped over */
	at->addr = addr;
	at->len = len;
	at->off = 0;
	at->seg = s;
	at->next = t->mm->shmats;
	t->mm->shmats = at;
	at = NULL;
	s->nattch++;
	s->atime = ipcnow();
	s->lpid = t->p->pid;
	r = addr;
out:
	pthread_mutex_unlock(&shmlk);
	pthread_mutex_unlock(&t->mm->lk);
	free(at);
	return r;
}

/* Is at a piece of an attach that began at addr (Linux's test: its
 * offset in the segment is its distance from addr)? */
static int
shmfrom(Shmat *at, uint32_t addr)
{
	return at->addr >= addr && at->addr - addr == at->off;
}

/* shmdt(addr), as Linux's: the first attached piece at or above addr
 * that began at addr names the segment; it goes, and the segment's
 * other pieces that began at addr, within its size. */
long
sys_shmdt(Lthread *t, uint32_t *a)
{
	Shmat **l, *at, *first, *gone;
	uint32_t addr;
	uint64_t end;

	addr = a[0];
	if(addr % PGSIZE != 0)
		return -EINVAL;
	pthread_mutex_lock(&t->mm->lk);
	pthread_mutex_lock(&shmlk);
	first = NULL;
	for(at = t->mm->shmats; at != NULL; at = at->next)
		if(shmfrom(at, addr) && (first == NULL || at->addr < first->addr))
			first = at;
	gone = NULL;
	end = first != NULL ? (uint64_t)addr + pgup(first->seg->size) : 0;
	for(l = &t->mm->shmats; first != NULL && (at = *l) != NULL;){
		if(at == first || (at->seg == first->seg && shmfrom(at, addr) && (uint64_t)at->addr + at->len <= end)){
			*l = at->next;
			at->next = gone;
			gone = at;
		}else
			l = &at->next;
	}
	for(; gone != NULL; gone = at){
		at = gone->next;
		vx_unmap(t->vx, gone->addr, gone->len);
		shmdetach(gone->seg, t->p->pid);	/* the last may free it */
		free(gone);
	}
	pthread_mutex_unlock(&shmlk);
	pthread_mutex_unlock(&t->mm->lk);
	return first != NULL ? 0 : -EINVAL;
}

/* [addr, addr+len) of mm is unmapped or mapped over (mm->lk held): the
 * attaches there are cut as Linux cuts vmas; one cut in two is two
 * attaches (without memory for the second, it stays whole: shmdt then
 * unmaps the hole too, the guest's own loss). */
void
shmcut(Mm *mm, uint32_t addr, uint64_t len)
{
	Shmat **l, *at, *tail;
	uint64_t end, aend;

	if(mm->shmats == NULL || len == 0)
		return;
	end = (uint64_t)addr + len;
	pthread_mutex_lock(&shmlk);
	for(l = &mm->shmats; (at = *l) != NULL;){
		aend = (uint64_t)at->addr + at->len;
		if(aend <= addr || at->addr >= end){
			l = &at->next;
			continue;
		}
		if(at->addr < addr && aend > end){
			tail = malloc(sizeof *tail);
			if(tail != NULL){
				*tail = (Shmat){ at->next, end, aend - end, at->off + (end - at->addr), at->seg };
				at->len = addr - at->addr;
				at->next = tail;
				at->seg->nattch++;
			}
			break;
		}
		if(at->addr < addr){
			at->len = addr - at->addr;
			l = &at->next;
		}else if(aend > end){
			at->off += end - at->addr;
			at->len = aend - end;
			at->addr = end;
			l = &at->next;
		}else{
			*l = at->next;
			shmdetach(at->seg, 0);
			free(at);
		}
	}
	pthread_mutex_unlock(&shmlk);
}

/* A forked copy of the memory has the same attaches (from->lk held). */
int
shmcopy(Mm *to, Mm *from)
{
	Shmat *at, **l;

	pthread_mutex_lock(&shmlk);
	l = &to->shmats;
	for(at = from->shmats; at != NULL; at = at->next){
		*l = malloc(sizeof **l);
		if(*l == NULL)
			break;
		**l = *at;
		(*l)->next = NULL;
		at->seg->nattch++;
		l = &(*l)->next;
	}
	pthread_mutex_unlock(&shmlk);
	return at == NULL ? 0 : -1;
}

/* The memory is gone (exit, exec): everything attached is detached. */
void
shmfree(Mm *mm)
{
	Shmat *at;

	if(mm->shmats == NULL)
		return;
	pthread_mutex_lock(&shmlk);
	while((at = mm->shmats) != NULL){
		mm->shmats = at->next;
		shmdetach(at->seg, 0);
		free(at);
	}
	pthread_mutex_unlock(&shmlk);
}

/* The host pages a segment holds, for SHM_INFO's shm_rss. */
static uint64_t
shmrss(Shm *s)
{
	struct stat st;

	return fstat(s->fd, &st) == 0 ? (uint64_t)st.st_blocks * 512 / PGSIZE : 0;
}

/* IPC_INFO (shminfo64, or the old shminfo's five ints) and SHM_INFO. */
static long
shminfo(Lthread *t, uint32_t cmd, uint32_t addr, int v64)
{
	uint64_t tot, rss;
	Ipcids *ids;
	uint8_t *p;
	Shm *s;
	int i;

	ids = &ipcns(t)->shm;
	if(cmd == LIPC_INFO){
		p = gmem(t, addr, v64 ? 36 : 20, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		memset(p, 0, v64 ? 36 : 20);
		put32(p, SHMMAXINFO);
		put32(p + 4, SHMMIN);
		put32(p + 8, SHMMNI);
		put32(p + 12, SHMSEG);
		put32(p + 16, SHMALL);
		return ipcmaxidx(ids);
	}
	p = gmem(t, addr, 24, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	tot = rss = 0;
	for(i = 0; i < ids->n; i++)
		if((s = (Shm *)ids->obj[i]) != NULL){
			tot += pgup(s->size) / PGSIZE;
			rss += shmrss(s);
		}
	memset(p, 0, 24);
	put32(p, ids->inuse);
	put32(p + 4, tot);
	put32(p + 8, rss);
	return ipcmaxidx(ids);
}

/* shmid64_ds (84 bytes) or the old shmid_ds (48). */
static long
shmstat(Lthread *t, Shm *s, uint32_t addr, int v64)
{
	uint8_t *p;

	if((p = ipcds(t, addr, &s->ipc, v64, 84, 48)) == NULL)
		return -EFAULT;
	if(v64){
		put32(p + 36, s->size);
		puttime(p + 40, s->atime);
		puttime(p + 48, s->dtime);
		puttime(p + 56, s->ipc.ctime);
		put32(p + 64, s->cpid);
		put32(p + 68, s->lpid);
		put32(p + 72, s->nattch);
		return 0;
	}
	put32(p + 16, s->size);
	put32(p + 20, s->atime);
	put32(p + 24, s->dtime);
	put32(p + 28, s->ipc.ctime);
	put16(p + 32, s->cpid);
	put16(p + 34, s->lpid);
	put16(p + 36, s->nattch);
	return 0;
}

/* shmctl(id, cmd, buf); direct: the shmctl call, not ipc(2)'s */
long
shmctlx(Lthread *t, uint32_t *a, int direct)
{
	uint32_t cmd;
	Ipcset set;
	Shm *s;
	int v64;
	long r;

	cmd = ipcversion(a[1], direct, &v64);
	if((int32_t)cmd < 0 || (int32_t)a[0] < 0)
		return -EINVAL;
	if(cmd == LIPC_SET && (r = getperm(t, a[2], v64, &set)) < 0)
		return r;
	pthread_mutex_lock(&shmlk);
	r = -EINVAL;
	switch(cmd){
	case LIPC_INFO:
	case SHM_INFO:
		r = shminfo(t, cmd, a[2], v64);
		break;
	case LIPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		if((s = (Shm *)ipcstatof(&ipcns(t)->shm, a[0], cmd != LIPC_STAT, cmd == SHM_STAT_ANY, &r)) == NULL)
			break;
		r = shmstat(t, s, a[2], v64);
		if(r == 0 && cmd != LIPC_STAT)
			r = s->ipc.id;
		break;
	case SHM_LOCK:
	case SHM_UNLOCK:
		if((s = shmof(t, a[0])) == NULL || (r = ipcowner(&s->ipc)) < 0)
			break;
		if(cmd == SHM_LOCK)
			s->ipc.mode |= SHM_LOCKED;
		else
			s->ipc.mode &= ~(uint32_t)SHM_LOCKED;
		r = 0;
		break;
	case LIPC_SET:
	case LIPC_RMID:
		if((s = shmof(t, a[0])) == NULL || (r = ipcowner(&s->ipc)) < 0)
			break;
		r = 0;
		if(cmd == LIPC_SET){
			ipcset(&s->ipc, &set);
			break;
		}
		/* gone now if nothing is attached, else at the last detach;
		 * meanwhile no key finds it (IPC_PRIVATE) */
		s->ipc.mode |= SHM_DEST;
		s->ipc.key = 0;
		if(s->nattch == 0)
			shmdestroy(s);
		break;
	}
	pthread_mutex_unlock(&shmlk);
	return r;
}

long
sys_shmctl(Lthread *t, uint32_t *a)
{
	return shmctlx(t, a, 1);
}

/* /proc/sysvipc/shm of namespace ns */
void
shmprocfs(FILE *f, Ipcns *ns)
{
	Shm *s;
	int i;

	fprintf(f, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid"
		"      atime      dtime      ctime                   rss                  swap\n");
	pthread_mutex_lock(&shmlk);
	for(i = 0; i < ns->shm.n; i++){
		if((s = (Shm *)ns->shm.obj[i]) == NULL)
			continue;
		ipcprocids(f, &s->ipc);
		fprintf(f, " %21u %5d %5d  %5d %5u %5u %5u %5u %10llu %10llu %10llu %21llu %21d\n",
			s->size, s->cpid, s->lpid, s->nattch, s->ipc.uid, s->ipc.gid, s->ipc.cuid, s->ipc.cgid,
			(unsigned long long)s->atime, (unsigned long long)s->dtime, (unsigned long long)s->ipc.ctime,
			(unsigned long long)shmrss(s) * PGSIZE, 0);
	}
	pthread_mutex_unlock(&shmlk);
}
