/*
 * syspidfd.c — pidfd_open, pidfd_send_signal, pidfd_getfd, and the
 * pidfd of waitid's P_PIDFD.  A pidfd is an Evfd (sysevfd.c) of kind
 * EVPID naming a process of the caller's sandbox by its pid (pids are
 * not reused while it runs); lxpoll answers for it, readable once the
 * process has ended, as Linux's, and a process's end wakes the threads
 * waiting on pidfds (pidfdwake).  read and write are EINVAL, and like
 * Linux's it is open O_RDWR and close-on-exec.  pidfd_getfd is EPERM,
 * as to a process that may not ptrace (no guest may: ptrace is not
 * served).  pidfd_send_signal also takes an open /proc/PID directory,
 * as Linux's does (psmisc's killall signals that way).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum { LPIDFD_NONBLOCK = 04000 };

/* Has process pid of sandbox box ended (a zombie, or reaped)?  glk held. */
int
pidended(int box, int pid)
{
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		if(p->pid == pid && p->box == box)
			return p->zombie;
	return 1;
}

/* p has ended (glk held): the waits on pidfds look again. */
void
pidfdwake(Lproc *p)
{
	Lthread *o;
	Lproc *q;

	for(q = procs; q != NULL; q = q->next)
		if(q->box == p->box)
			for(o = q->threads; o != NULL; o = o->next)
				if(o->pidwatch && o->introk)
					kif_interrupt(o->kp);
}

/* pidfd_open(pid, flags) */
long
sys_pidfd_open(Lthread *t, uint32_t *a)
{
	Lproc *p;
	Evfd *e;
	int fd;
	long r;

	if((a[1] & ~(uint32_t)LPIDFD_NONBLOCK) || (int32_t)a[0] <= 0)
		return -EINVAL;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		if(p->box == t->p->box && (p->pid == (int)a[0] || (!p->zombie && findthread(p, a[0]) != NULL)))
			break;
	/* a thread's id, not a process's: EINVAL */
	r = p == NULL ? -ESRCH : p->pid != (int)a[0] ? -EINVAL : 0;
	pthread_mutex_unlock(&glk);
	if(r < 0)
		return r;
	e = calloc(1, sizeof *e);
	if(e == NULL)
		return -ENOMEM;
	e->kind = EVPID;
	e->pid = a[0];
	fd = evmake(t, e, LPIDFD_NONBLOCK & a[1]);
	if(fd >= 0){
		pthread_mutex_lock(&t->p->flk);
		t->p->fd[fd].cloexec = 1;
		pthread_mutex_unlock(&t->p->flk);
	}
	return fd;
}

/* The pid of fd's pidfd, or -EBADF (not a pidfd either, as Linux's). */
int
pidfdpid(Lproc *p, uint32_t fd)
{
	Evfd *e;
	int pid;

	if(!fdcheck(p, fd))
		return -EBADF;
	e = evof(p, fd);
	pid = e != NULL && e->kind == EVPID ? e->pid : -EBADF;
	evdecref(e);
	return pid;
}

/* The pid of an open /proc/PID directory (#L's, by its name: /proc/self
 * the caller's), or -EBADF; /proc/PID/task/TID is no pidfd, as Linux's.
 * The pid is looked up when the signal is sent, not when the directory
 * was opened. */
static int
procdirpid(Lthread *t, uint32_t fd)
{
	unsigned long long qp;
	int dc, qt, pid;
	char *path, *s, *e;
	long n;

	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0 || dc != 'L' || !(qt & QTDIR) || (path = kfd2path(fd)) == NULL)
		return -EBADF;
	pid = -EBADF;
	s = strrchr(path, '/');
	if(s != NULL && s - path >= 5 && strncmp(s - 5, "/task", 5) == 0)
		s = NULL;
	else
		s = s != NULL ? s + 1 : path;
	if(s != NULL && strcmp(s, "self") == 0)
		pid = t->p->pid;
	else if(s != NULL && *s >= '1' && *s <= '9'){
		n = strtol(s, &e, 10);
		if(*e == 0 && n > 0 && n < 1L << 30)
			pid = n;
	}
	free(path);
	return pid;
}

/* pidfd_send_signal(pidfd, sig, info, flags): kill's, or with info
 * rt_sigqueueinfo's rules */
long
sys_pidfd_send_signal(Lthread *t, uint32_t *a)
{
	uint32_t b[3];
	int pid;

	if(a[3] != 0)
		return -EINVAL;
	if((pid = pidfdpid(t->p, a[0])) == -EBADF && fdcheck(t->p, a[0]))
		pid = procdirpid(t, a[0]);
	if(pid < 0)
		return pid;
	b[0] = pid;
	b[1] = a[1];
	if(a[2] == 0)
		return sys_kill(t, b);
	b[2] = a[2];
	return sys_rt_sigqueueinfo(t, b);
}

/* pidfd_getfd(pidfd, fd, flags) */
long
sys_pidfd_getfd(Lthread *t, uint32_t *a)
{
	uint32_t b[2];
	int pid;

	if(a[2] != 0)
		return -EINVAL;
	if((pid = pidfdpid(t->p, a[0])) < 0)
		return pid;
	b[0] = pid;
	b[1] = 0;
	return sys_kill(t, b) < 0 ? -ESRCH : -EPERM;
}
