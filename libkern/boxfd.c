/*
 * boxfd.c — a sandbox's account of the host's descriptors (kernel.h's
 * Boxacct).  The host process has one RLIMIT_NOFILE for every sandbox
 * it runs and for itself; a file that keeps a host descriptor open for
 * a proc in a sandbox (devfs's, devip's) charges that sandbox, so one
 * guest that opens without end gets EMFILE alone while its siblings,
 * the export and the host go on.  Descriptors a call holds only while
 * it runs (an O_PATH lookup) are not charged: there are at most a few
 * per thread, and threads are bounded by the embedding.
 *
 * The account also holds the bytes of kernel memory the sandbox's procs
 * make the host keep for them and could grow without end otherwise:
 * their environments (#e), of which each proc may have a copy.
 */
#include <stdlib.h>
#include "dat.h"
#include "fns.h"

Boxacct *
newboxacct(void)
{
	Boxacct *b = kzalloc(sizeof *b);

	atomic_init(&b->ref, 1);
	return b;
}

Boxacct *
kboxacct(Proc *p)
{
	if(p == NULL || p->acct == NULL)
		return NULL;
	atomic_fetch_add(&p->acct->ref, 1);
	return p->acct;
}

void
kboxput(Boxacct *b)
{
	if(b != NULL && atomic_fetch_sub(&b->ref, 1) == 1)
		free(b);
}

void
kboxlimit(Boxacct *b, int maxfd)
{
	if(b != NULL)
		atomic_store(&b->maxfd, maxfd < 0 ? 0 : maxfd);
}

/* n more of what held counts (n <= 0 gives back), unless that passes
 * *max (0: no bound): then -1 and nothing charged. */
static int
charge(atomic_llong *held, atomic_llong *max, vlong n)
{
	vlong m;

	if(n <= 0){
		atomic_fetch_add(held, n);
		return 0;
	}
	m = atomic_load(max);
	if(atomic_fetch_add(held, n) + n > m && m > 0){
		atomic_fetch_sub(held, n);
		return -1;
	}
	return 0;
}

int
kboxcharge(Boxacct *b, int n)
{
	return b != NULL ? charge(&b->nfd, &b->maxfd, n) : 0;
}

void
kboxmemlimit(Boxacct *b, vlong maxmem)
{
	if(b != NULL)
		atomic_store(&b->maxmem, maxmem < 0 ? 0 : maxmem);
}

int
kboxmemcharge(Boxacct *b, vlong n)
{
	return b != NULL ? charge(&b->mem, &b->maxmem, n) : 0;
}

vlong
kboxmemheld(Boxacct *b)
{
	return b != NULL ? atomic_load(&b->mem) : 0;
}

int
kboxheld(Boxacct *b)
{
	return b != NULL ? atomic_load(&b->nfd) : 0;
}

int
kboxmax(Boxacct *b)
{
	return b != NULL ? atomic_load(&b->maxfd) : 0;
}

int
fdcharge(Boxacct **b)
{
	*b = NULL;
	if(up == NULL || up->acct == NULL)
		return 0;
	if(kboxcharge(up->acct, 1) < 0)
		return kseterr(Emfile);
	*b = kboxacct(up);
	return 0;
}

void
fdgiveback(Boxacct *b)
{
	if(b == NULL)
		return;
	kboxcharge(b, -1);
	kboxput(b);
}
