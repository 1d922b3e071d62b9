/*
 * sysnotify.c — inotify_init, inotify_init1, inotify_add_watch and
 * inotify_rm_watch over the kernel's change notification queues
 * (kif_watchnew …: libkern's #W, libkern/devwatch.c; ENOSYS where the
 * kernel has none, emu).  The queue is a kernel file at the guest's fd,
 * so read, poll, select, epoll, O_NONBLOCK, dup, fork, exec and close
 * treat it as any file whose readiness the kernel knows; its reads give
 * Linux's struct inotify_event records as they are.  Here only the
 * checks Linux makes before it looks at the path, in Linux's order.
 */
#include <errno.h>
#include <stdlib.h>
#include "dat.h"

enum {
	LIN_NONBLOCK = 04000,
	LIN_CLOEXEC = 02000000,
	LIN_ALL_EVENTS = 0xfff,
	LIN_MASK_CREATE = 0x10000000,
	LIN_MASK_ADD = 0x20000000,
	/* every bit inotify_add_watch accepts (Linux's ALL_INOTIFY_BITS) */
	LIN_ALLBITS = LIN_ALL_EVENTS | 0x2000 | 0x4000 | 0x8000 | 0x01000000 | 0x02000000 |
		0x04000000 | LIN_MASK_CREATE | LIN_MASK_ADD | 0x40000000 | 0x80000000u,
	LAT_FDCWD = -100,
};

static long
notifyinit(Lthread *t, uint32_t flags)
{
	int fd;

	if(flags & ~(uint32_t)(LIN_NONBLOCK | LIN_CLOEXEC))
		return -EINVAL;
	fd = kif_watchnew();
	if(fd < 0)
		return kerrno();
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		return -EMFILE;
	}
	fdinstall(t->p, fd, flags & LIN_NONBLOCK, (flags & LIN_CLOEXEC) != 0);
	return fd;
}

long
sys_inotify_init(Lthread *t, uint32_t *a)
{
	(void)a;
	return notifyinit(t, 0);
}

long
sys_inotify_init1(Lthread *t, uint32_t *a)
{
	return notifyinit(t, a[0]);
}

/* Is fd an inotify queue? */
int
isnotifyfd(uint32_t fd)
{
	unsigned long long qp;
	int dc, qt;

	return kif_fdkind(fd, &dc, &qt, &qp, NULL) == 0 && dc == 'W';
}

/* inotify_add_watch(fd, path, mask) */
long
sys_inotify_add_watch(Lthread *t, uint32_t *a)
{
	uint32_t mask;
	char *path;
	int err;
	long r;

	mask = a[2];
	if((mask & ~(uint32_t)LIN_ALLBITS) || mask == 0 ||
	   ((mask & LIN_MASK_ADD) && (mask & LIN_MASK_CREATE)))
		return -EINVAL;
	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	if(!isnotifyfd(a[0]))
		return -EINVAL;
	path = atpath(t, (uint32_t)LAT_FDCWD, a[1], &err);
	if(path == NULL)
		return -err;
	r = kif_watch(a[0], path, mask);
	free(path);
	return r < 0 ? kerrno() : r;
}

/* inotify_rm_watch(fd, wd) */
long
sys_inotify_rm_watch(Lthread *t, uint32_t *a)
{
	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	if(!isnotifyfd(a[0]))
		return -EINVAL;
	return kif_unwatch(a[0], (int)a[1]) < 0 ? kerrno() : 0;
}

/* FIONREAD of a queue: the bytes a read of everything would give;
 * -ENOTTY for another fd. */
long
notifynread(uint32_t fd, uint8_t *p)
{
	long n;

	if(!isnotifyfd(fd))
		return -ENOTTY;
	n = kif_watchqueued(fd);
	if(n < 0)
		return kerrno();
	put32(p, (uint32_t)n);
	return 0;
}

