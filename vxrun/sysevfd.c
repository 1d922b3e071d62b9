/*
 * sysevfd.c — eventfd and eventfd2: an 8-byte counter behind an fd.
 *
 * The guest's fd is one end of a kernel pipe; the other end is kept at a
 * kernel fd above MAXFD, where no guest call can name it.  The pipe is a
 * doorbell: it holds one byte exactly while the counter is not zero, so
 * the kernel's own readiness (kif_ready, kif_poll) answers poll, select
 * and epoll, and a blocking read waits in kif_poll, which a signal or a
 * kill ends as it ends a pipe read.  The counter and the doorbell change
 * together under the Evfd's lock; the Evfd is shared, refcounted, by dup
 * and fork as the open file is.
 *
 * Writability is lxpoll's to answer: the counter below EVMAX, as Linux's
 * eventfd_poll (the doorbell's pipe is always writable).  Known limits: a
 * write that would overflow the counter waits by polling (10 ms steps,
 * interruptible).  A fork child's copy of the hidden end stays open
 * until the child exits when another process drops the last reference.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum {
	LEFD_SEMAPHORE = 1,
	LEFD_NONBLOCK = 04000,
	LEFD_CLOEXEC = 02000000,
	LO_NONBLOCK = 04000,
	MAXHIDDEN = 65536,	/* the kernel's fd limit (kdup) */
};

static pthread_mutex_t hidlk = PTHREAD_MUTEX_INITIALIZER;

void
evincref(Evfd *e)
{
	if(e != NULL)
		atomic_fetch_add(&e->ref, 1);
}

void
evdecref(Evfd *e)
{
	if(e == NULL || atomic_fetch_sub(&e->ref, 1) != 1)
		return;
	kclose(e->bell);
	kif_fileclose(e->ear);
	pthread_mutex_destroy(&e->lk);
	free(e);
}

/* Move kernel fd fd to a free slot at or above MAXFD; its new number or -1. */
static int
hide(int fd)
{
	int dc, qt, h;
	unsigned long long qp;

	pthread_mutex_lock(&hidlk);
	for(h = MAXFD; h < MAXHIDDEN; h++)
		if(kif_fdkind(h, &dc, &qt, &qp, NULL) < 0)
			break;
	if(h < MAXHIDDEN && kdup(fd, h) == h){
		pthread_mutex_unlock(&hidlk);
		kclose(fd);
		return h;
	}
	pthread_mutex_unlock(&hidlk);
	return -1;
}

/* Give the new e (ref 1, kind and its state set) a doorbell pipe whose
 * other end is the guest's new fd (O_NONBLOCK and O_CLOEXEC from flags);
 * the fd, or an error with e freed. */
int
evmake(Lthread *t, Evfd *e, uint32_t flags)
{
	int p[2];

	if(kpipe(p) < 0){
		free(e);
		return kerrno();
	}
	if(p[0] >= fdlimit(t->p)){
		kclose(p[0]);
		kclose(p[1]);
		free(e);
		return -EMFILE;
	}
	if((e->bell = hide(p[1])) < 0){
		free(e);
		kclose(p[0]);
		kclose(p[1]);
		return -ENOMEM;
	}
	e->ear = kif_fdfile(p[0]);
	atomic_init(&e->ref, 1);
	pthread_mutex_init(&e->lk, NULL);
	if(e->count != 0 && kwrite(e->bell, "!", 1) != 1){
		evdecref(e);
		kclose(p[0]);
		return -ENOMEM;
	}
	e->rung = e->count != 0;
	fdinstallx(t->p, p[0], 2 | (flags & LEFD_NONBLOCK), (flags & LEFD_CLOEXEC) != 0, NULL, e, NULL, NULL);
	return p[0];
}

/* With e->lk held: take the doorbell's byte (it holds one, so the read
 * does not wait) from its guest end: its open file, not fd, where the
 * kernel keeps one (e->ear), as another thread may have dup2'd another
 * file over fd since the call looked at it (a pipe of the guest's,
 * whose byte would be lost, or an empty one, waited on for ever).  1:
 * taken. */
static int
evsilence(Evfd *e, int fd)
{
	char c;

	if(e->ear != NULL)
		return kif_fileio(e->ear, &c, 1, -1, 0) == 1;
	return kread(fd, &c, 1) == 1;
}

/* With e->lk held: the doorbell on or off; fd is the guest's end */
void
evring(Evfd *e, int fd, int on)
{
	if(on && !e->rung)
		e->rung = kwrite(e->bell, "!", 1) == 1;
	else if(!on && e->rung && evsilence(e, fd))
		e->rung = 0;
}

static long
evcreate(Lthread *t, uint32_t init, uint32_t flags)
{
	Evfd *e;

	if(flags & ~(uint32_t)(LEFD_SEMAPHORE | LEFD_NONBLOCK | LEFD_CLOEXEC))
		return -EINVAL;
	e = calloc(1, sizeof *e);
	if(e == NULL)
		return -ENOMEM;
	e->kind = EVCOUNT;
	e->sem = (flags & LEFD_SEMAPHORE) != 0;
	e->count = init;
	return evmake(t, e, flags);
}

/* eventfd(initval) and eventfd2(initval, flags) */
long
sys_eventfd(Lthread *t, uint32_t *a)
{
	return evcreate(t, a[0], 0);
}

long
sys_eventfd2(Lthread *t, uint32_t *a)
{
	return evcreate(t, a[0], a[1]);
}

/* fd's Evfd, referenced, or NULL when fd is not an eventfd */
Evfd *
evof(Lproc *p, uint32_t fd)
{
	Evfd *e;

	if(fd >= MAXFD)
		return NULL;
	pthread_mutex_lock(&p->flk);
	e = p->fd[fd].ev;
	evincref(e);
	pthread_mutex_unlock(&p->flk);
	return e;
}

/* 1 with the writes made to fd's eventfd so far in *n, 0 when fd is
 * no eventfd. */
int
evwrites(Lproc *p, uint32_t fd, uint32_t *n)
{
	Evfd *e;

	e = evof(p, fd);
	if(e == NULL)
		return 0;
	pthread_mutex_lock(&e->lk);
	*n = e->nwrite;
	pthread_mutex_unlock(&e->lk);
	evdecref(e);
	return 1;
}

/* Wait in the kernel for e's doorbell to ring (or ms to pass); 0, or
 * -1 interrupted.  Its own guest end (e->ear) where the kernel keeps
 * one, not fd: a pipe another thread dup2'd over fd since the read
 * looked was waited on, for ever though the counter was written (until
 * session 29); by fd only over a kernel that keeps none (emu).  e NULL:
 * no doorbell, ms only. */
static int
evwait(Lthread *t, Evfd *e, int fd, long ms)
{
	Kifpoll kf;
	int r;

	kf.fd = fd;
	kf.events = KIF_READ;
	kf.revents = 0;
	intrbegin(t);
	if(e != NULL && e->ear != NULL)
		r = kif_filepoll(e->ear, KIF_READ, ms);
	else
		r = kif_poll(&kf, e == NULL ? 0 : 1, ms);
	intrend(t);
	return r < 0 ? -1 : 0;
}

/* O_NONBLOCK of e's own open file where the kernel keeps it (e->ear),
 * not of whatever is at fd now (a blocking file dup2'd there made a
 * nonblocking eventfd's read wait) */
int
evnonblock(Lthread *t, Evfd *e, uint32_t fd)
{
	if(e->ear != NULL)
		return (kif_fileflags(e->ear) & LO_NONBLOCK) != 0;
	return (fdstatus(t->p, fd) & LO_NONBLOCK) != 0;
}

static long
evread(Lthread *t, Evfd *e, uint32_t fd, uint8_t *buf)
{
	uint64_t v;
	int full;

	for(;;){
		pthread_mutex_lock(&e->lk);
		if(e->count != 0){
			full = e->count == EVMAX;
			v = e->sem ? 1 : e->count;
			e->count -= v;
			if(e->count == 0)
				evsilence(e, fd);
			pthread_mutex_unlock(&e->lk);
			if(full){
				/* writable again: a wait for it looks again */
				pthread_mutex_lock(&glk);
				evwake(e);
				pthread_mutex_unlock(&glk);
			}
			put64(buf, v);
			return 8;
		}
		pthread_mutex_unlock(&e->lk);
		if(evnonblock(t, e, fd))
			return -EAGAIN;
		if(evwait(t, e, fd, -1) < 0)
			return -LERESTART;
	}
}

static long
evwrite(Lthread *t, Evfd *e, uint32_t fd, uint8_t *buf)
{
	uint64_t v;

	v = get64(buf);
	if(v == ~0ULL)
		return -EINVAL;
	for(;;){
		pthread_mutex_lock(&e->lk);
		if(EVMAX - e->count >= v){
			if(e->count == 0 && v != 0)
				kwrite(e->bell, "!", 1);
			e->count += v;
			e->nwrite++;
			pthread_mutex_unlock(&e->lk);
			return 8;
		}
		pthread_mutex_unlock(&e->lk);
		if(evnonblock(t, e, fd))
			return -EAGAIN;
		if(evwait(t, NULL, -1, 10) < 0)
			return -LERESTART;
	}
}

/* read or write of an eventfd, from rw (sysfile.c) */
long
evrw(Lthread *t, Evfd *e, uint32_t fd, void *p, uint32_t n, int out)
{
	if(e->kind == EVTIMER)
		return tfdrw(t, e, fd, p, n, out);
	if(e->kind == EVSIGNAL)
		return sfdrw(t, e, fd, p, n, out);
	if(e->kind == EVPID)
		return -EINVAL;		/* a pidfd (syspidfd.c) */
	if(n < 8 || (out && n != 8))
		return -EINVAL;
	return out ? evwrite(t, e, fd, p) : evread(t, e, fd, p);
}
