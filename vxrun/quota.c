/*
 * quota.c — what one sandbox may take of the host (Lbox), all its
 * processes together: committed guest memory (libvx charges its pages,
 * vx.h's VxAccount), host descriptors (the kernel's account, kif_box,
 * which file mappings' descriptors join) and threads.  Bounded like
 * Linux's cgroup memory limit, RLIMIT_NOFILE and RLIMIT_NPROC, but for
 * the sandbox as a whole, so that one guest that forks, maps or opens
 * without end fails its own calls (ENOMEM, EMFILE, EAGAIN) while its
 * siblings in the same host process, and the host, go on.
 */
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include "dat.h"

enum { DEFTASKS = 1024, MINFDS = 64 };

/* The host's RAM (_SC_PHYS_PAGES) or what of it is free
 * (_SC_AVPHYS_PAGES), bytes; 0 if sysconf cannot say. */
static uint64_t
hostpages(int name)
{
	long n, ps;

	n = sysconf(name);
	ps = sysconf(_SC_PAGESIZE);
	return n > 0 && ps > 0 ? (uint64_t)n * (uint64_t)ps : 0;
}

/* Four processes' worth of -m: a shell and its pipeline fill their
 * windows, and a guest that forks more of them does not take the host's
 * memory; never more than the host has, never less than one window. */
static uint64_t
defboxmem(uint32_t memsize)
{
	uint64_t m, ram;

	m = 4 * (uint64_t)memsize;
	ram = hostpages(_SC_PHYS_PAGES);
	if(ram != 0 && m > ram)
		m = ram;
	if(m < memsize)
		m = memsize;
	return m;
}

/* A quarter of the host process's descriptors, read at each spawn: the
 * rest is the host's, the export's (which takes at most another
 * quarter) and the sibling sandboxes'. */
static int
defboxfds(void)
{
	struct rlimit rl;
	rlim_t n;

	if(getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1 << 16;
	n = rl.rlim_cur / 4;
	if(n > 1 << 20)
		n = 1 << 20;
	return n < MINFDS ? MINFDS : (int)n;
}

static int
boxcharge(VxAccount *a, int what, int64_t n)
{
	Lbox *b = (Lbox *)a;

	switch(what){
	case VX_ACCT_PAGES:
		if(n > 0 && b->maxpages > 0 && atomic_fetch_add(&b->pages, n) + n > b->maxpages){
			atomic_fetch_sub(&b->pages, n);
			atomic_fetch_add(&b->refused, 1);
			return -1;
		}
		if(n <= 0 || b->maxpages == 0)
			atomic_fetch_add(&b->pages, n);
		return 0;
	case VX_ACCT_FDS:
		/* file mappings take at most half: a guest mapping a file a
		 * page at a time still opens files (Linux's mappings take
		 * no descriptor at all) */
		if(n > 0 && b->maxmapfds > 0 && atomic_fetch_add(&b->mapfds, (int)n) + n > b->maxmapfds){
			atomic_fetch_sub(&b->mapfds, (int)n);
			atomic_fetch_add(&b->refused, 1);
			return -1;
		}
		if(kif_boxcharge(b->kbox, (int)n) < 0){
			if(n > 0 && b->maxmapfds > 0)
				atomic_fetch_sub(&b->mapfds, (int)n);
			atomic_fetch_add(&b->refused, 1);
			return -1;
		}
		if(n <= 0 || b->maxmapfds == 0)
			atomic_fetch_add(&b->mapfds, (int)n);
		return 0;
	case VX_ACCT_MEMS:
		if(n > 0)
			atomic_fetch_add(&b->ref, (int)n);
		for(; n < 0; n++)
			boxput(b);
		return 0;
	}
	return -1;
}

/* A sandbox's account, for kp, the kernel proc that begins it
 * (KIF_NEWBOX); NULL when out of memory.  Its bounds: bb's, else
 * Vxconf's, else the defaults. */
Lbox *
boxnew(const Vxbounds *bb, uint32_t memsize, Kproc *kp)
{
	uint64_t mem;
	int fds, tasks;
	Lbox *b;

	b = calloc(1, sizeof *b);
	if(b == NULL)
		return NULL;
	b->ipc = ipcnsnew();
	if(b->ipc == NULL){
		free(b);
		return NULL;
	}
	b->acct.charge = boxcharge;
	atomic_init(&b->ref, 1);
	mem = bb != NULL && bb->boxmem != 0 ? bb->boxmem : conf.boxmem;
	fds = bb != NULL && bb->boxfds != 0 ? bb->boxfds : conf.boxfds;
	tasks = bb != NULL && bb->boxtasks != 0 ? bb->boxtasks : conf.boxtasks;
	if(mem == 0)
		mem = defboxmem(memsize);
	b->maxpages = mem == VXRUN_NOBOUND ? 0 : (int64_t)((mem + PGSIZE - 1) / PGSIZE);
	b->maxtasks = tasks < 0 ? 0 : tasks == 0 ? DEFTASKS : tasks;
	b->kbox = kif_box(kp);
	fds = fds < 0 ? 0 : fds == 0 ? defboxfds() : fds;
	/* the environments' copies: as many bytes as its guest memory */
	kif_boxlimit(b->kbox, fds, mem == VXRUN_NOBOUND ? 0 : mem);
	b->maxmapfds = fds / 2;
	return b;
}

Lbox *
boxget(Lbox *b)
{
	if(b != NULL)
		atomic_fetch_add(&b->ref, 1);
	return b;
}

void
boxput(Lbox *b)
{
	if(b == NULL || atomic_fetch_sub(&b->ref, 1) != 1)
		return;
	ipcnsfree(b->ipc);	/* its descriptors back to kbox first */
	kif_boxput(b->kbox);
	free(b);
}

int
boxtask(Lbox *b, uint64_t nproc)
{
	int n;

	if(b == NULL)
		return 0;
	n = atomic_fetch_add(&b->tasks, 1);
	if((n >= b->maxtasks && b->maxtasks > 0) || (uint64_t)n >= nproc){
		atomic_fetch_sub(&b->tasks, 1);
		return -1;
	}
	return 0;
}

void
boxtaskend(Lbox *b)
{
	if(b != NULL)
		atomic_fetch_sub(&b->tasks, 1);
}

/* What getrlimit says a spawned guest may have: its window or its
 * sandbox's memory, if less; its fd table or its sandbox's host
 * descriptors, if fewer; its sandbox's threads (Linux's RLIMIT_NPROC
 * is a user's, counted over all its processes, as this over the
 * sandbox's), and the real-time signals they may queue together
 * (RLIMIT_SIGPENDING, a user's on Linux too).  Soft and hard alike: a guest may lower them. */
void
boxrlimits(Lbox *b, uint32_t memsize, uint64_t rlim[NRLIM][2])
{
	uint64_t m;
	int f;

	m = boxmemmax(b);
	rlim[RLAS][0] = m != 0 && m < memsize ? m : memsize;
	f = boxfdmax(b);
	rlim[RLNOFILE][0] = f > 0 && f < MAXFD ? f : MAXFD;
	rlim[RLNPROC][0] = boxtaskmax(b) > 0 ? (uint64_t)boxtaskmax(b) : RLNONE;
	rlim[RLFSIZE][0] = RLNONE;
	rlim[RLSIGPENDING][0] = SIGQMAX;
	for(int i = 0; i < NRLIM; i++)
		rlim[i][1] = rlim[i][0];
}

int
fdlimit(Lproc *p)
{
	uint64_t n = p->rlim[RLNOFILE][0];

	return n < MAXFD ? (int)n : MAXFD;
}

uint64_t
boxmemmax(Lbox *b)
{
	return b != NULL ? (uint64_t)b->maxpages * PGSIZE : 0;
}

/* The memory a guest is told of (/proc/meminfo, sysinfo): its
 * sandbox's bound and what its processes have not yet committed, as a
 * container is told its cgroup's limit; the host's where that is less
 * or there is no bound.  A guest sizing a cache by the machine's memory
 * (sort, a JVM, python's test suite) then sizes it by its own. */
void
boxmeminfo(Lbox *b, uint64_t *total, uint64_t *avail)
{
	uint64_t ht, ha, m, used;

	if((ht = hostpages(_SC_PHYS_PAGES)) == 0)
		ht = (uint64_t)1 << 32;
	if((ha = hostpages(_SC_AVPHYS_PAGES)) == 0)
		ha = ht;
	m = boxmemmax(b);
	*total = m != 0 && m < ht ? m : ht;
	used = b != NULL ? (uint64_t)atomic_load(&b->pages) * PGSIZE : 0;
	*avail = used < *total ? *total - used : 0;
	if(*avail > ha)
		*avail = ha;
}

int
boxtaskmax(Lbox *b)
{
	return b != NULL ? b->maxtasks : 0;
}

int
boxfdmax(Lbox *b)
{
	return b != NULL && b->kbox != NULL ? kif_boxmax(b->kbox) : 0;
}

int
vxrun_usage(int pid, Vxusage *u)
{
	Lproc *p;
	Lbox *b;

	b = NULL;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		if(p->pid == pid && p->toplevel){
			b = boxget(p->lbox);
			break;
		}
	pthread_mutex_unlock(&glk);
	if(b == NULL)
		return -1;
	u->mem = (uint64_t)atomic_load(&b->pages) * PGSIZE;
	u->fds = kif_boxheld(b->kbox);
	u->tasks = atomic_load(&b->tasks);
	boxput(b);
	return 0;
}
