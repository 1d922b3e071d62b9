/*
 * sysio.c — terminal ioctls, poll and select.  The console (#c/cons) is a
 * terminal when the host's stdout is one, so guests format output as they
 * would natively, and its modes are the host terminal's.  poll and select are the kernel's kpoll: pipes and the
 * console are really tested, files are always ready; the wait ends on
 * pipe activity, console input, the timeout, or a signal (EINTR).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

enum {
	LTCGETS = 0x5401, LTCSETS = 0x5402, LTCSETSW = 0x5403, LTCSETSF = 0x5404,
	LTIOCGPGRP = 0x540f, LTIOCSPGRP = 0x5410, LTIOCGWINSZ = 0x5413,
	LTIOCSWINSZ = 0x5414, LFIONREAD = 0x541b, LFIONBIO = 0x5421,
	LPOLLIN = 1, LPOLLPRI = 2, LPOLLOUT = 4, LPOLLERR = 8, LPOLLHUP = 0x10,
	LPOLLNVAL = 0x20, LPOLLRDNORM = 0x40, LPOLLWRNORM = 0x100, LPOLLRDHUP = 0x2000,
	MAXPOLL = 1024,
};

int
consistty(void)
{
	return isatty(1);
}

/* Is the console me's controlling terminal?  It is that of the session
 * its sandbox began with (the spawned guest leads it: sid == box); a
 * process that made a session of its own with setsid has none, as on
 * Linux.  glk held. */
int
isctty(Lproc *me)
{
	return me->sid == me->box;
}

/* TIOCSPGRP's check of pgrp, as Linux's: the session of the group
 * numbered pgrp, or, if there is no such group, of the process or
 * thread with that number; ESRCH if none in the caller's sandbox (its
 * pid namespace), EPERM if it is another session's.  glk held. */
int
fgpgrpok(Lproc *me, int pgrp)
{
	Lproc *p, *bypid;
	Lthread *t;

	bypid = NULL;
	for(p = procs; p != NULL; p = p->next){
		if(p->box != me->box)
			continue;
		if(p->pgid == pgrp)
			return p->sid == me->sid ? 0 : -EPERM;
		if(p->pid == pgrp)
			bypid = p;
		for(t = p->threads; t != NULL && bypid == NULL; t = t->next)
			if(t->tid == pgrp)
				bypid = p;
	}
	if(bypid == NULL)
		return -ESRCH;
	return bypid->sid == me->sid ? 0 : -EPERM;
}

/* TIOCGWINSZ's struct winsize */
void
putwinsize(uint8_t *p, int row, int col, int xpixel, int ypixel)
{
	put16(p, row);
	put16(p + 2, col);
	put16(p + 4, xpixel);
	put16(p + 6, ypixel);
}

/* TIOCSPGRP's argument, the group at addr: 0, or EFAULT, EINVAL */
long
pgrparg(Lthread *t, uint32_t addr, int *pg)
{
	uint8_t *p;

	p = gmem(t, addr, 4, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	*pg = (int32_t)get32(p);
	return *pg < 0 ? -EINVAL : 0;
}

/* TIOCSPGRP: the console is every sandbox's, but its foreground group
 * is a number of the caller's pid namespace, so each sandbox keeps its
 * own; glk held. */
static void
setfgpgrp(Lproc *me, int pgrp)
{
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		if(p->box == me->box)
			p->fgpgrp = pgrp;
}

/*
 * Terminal modes.  A guest that puts the console in raw mode (a shell's
 * line editor, a pager) gets the host terminal in that mode, as a native
 * program would; the host's own modes come back when vxinferno exits.
 */
static pthread_mutex_t ttylock = PTHREAD_MUTEX_INITIALIZER;
static struct termios ttysaved;
static int ttyfd = -1;

static void
ttyrestore(void)
{
	if(ttyfd >= 0)
		tcsetattr(ttyfd, TCSADRAIN, &ttysaved);
}

void
vxrun_restoretty(void)
{
	ttyrestore();
}

/* The host fd whose modes the console's are: stdin when it is a terminal. */
static int
ttyhostfd(void)
{
	return isatty(0) ? 0 : 1;
}

static int
ttyset(const uint8_t *p, int how)
{
	struct termios tio;
	int fd = ttyhostfd();

	if(tcgetattr(fd, &tio) < 0)
		return -ENOTTY;
	pthread_mutex_lock(&ttylock);
	if(ttyfd < 0){
		ttysaved = tio;
		ttyfd = fd;
		atexit(ttyrestore);
	}
	pthread_mutex_unlock(&ttylock);
	/* the kernel's struct termios: four flag words, c_line, c_cc[19];
	 * the line speed stays the host's */
	tio.c_iflag = get32(p);
	tio.c_oflag = get32(p + 4);
	tio.c_cflag = (tio.c_cflag & CBAUD) | (get32(p + 8) & ~(uint32_t)CBAUD);
	tio.c_lflag = get32(p + 12);
	tio.c_line = p[16];
	memcpy(tio.c_cc, p + 17, 19);
	return tcsetattr(fd, how, &tio) < 0 ? -errno : 0;
}

/* FIONREAD: the bytes queued on a pipe or socket, which their stat gives
 * as the length (devpipe, devip). */
static long
nread(Lthread *t, uint32_t fd, uint32_t addr)
{
	unsigned long long qp;
	uint8_t *p;
	Evfd *e;
	Dir *d;
	int dc, qt;

	if((e = evof(t->p, fd)) != NULL){
		evdecref(e);
		return -ENOTTY;	/* its pipe is the doorbell, not the count */
	}
	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0 || (dc != '|' && dc != 'I' && dc != 'W'))
		return -ENOTTY;
	p = gmem(t, addr, 4, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	if(dc == 'W')
		return notifynread(fd, p);	/* an inotify queue's */
	d = kdirfstat(fd);
	if(d == NULL)
		return kerrno();
	put32(p, d->length > 0x7fffffff ? 0x7fffffff : (uint32_t)d->length);
	free(d);
	return 0;
}

long
sys_ioctl(Lthread *t, uint32_t *a)
{
	struct termios tio;
	struct winsize ws;
	uint8_t *p;
	int cons, pg, r;

	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	cons = t->p->fd[a[0]].iscons && consistty();
	if(!cons && !t->p->fd[a[0]].iscons && (r = ptyioctl(t, a)) != NOTPTY)
		return r;
	switch(a[1]){
	case LTCGETS:
		if(!cons)
			return -ENOTTY;
		p = gmem(t, a[2], 36, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		if(tcgetattr(ttyhostfd(), &tio) < 0)
			return -ENOTTY;
		/* the kernel's struct termios: four flag words, c_line, c_cc[19] */
		memset(p, 0, 36);
		put32(p, tio.c_iflag);
		put32(p + 4, tio.c_oflag);
		put32(p + 8, tio.c_cflag);
		put32(p + 12, tio.c_lflag);
		p[16] = tio.c_line;
		memcpy(p + 17, tio.c_cc, 19);
		return 0;
	case LTCSETS:
	case LTCSETSW:
	case LTCSETSF:
		if(!cons)
			return -ENOTTY;
		p = gmem(t, a[2], 36, VX_PROT_READ);
		if(p == NULL)
			return -EFAULT;
		return ttyset(p, a[1] == LTCSETS ? TCSANOW : a[1] == LTCSETSW ? TCSADRAIN : TCSAFLUSH);
	case LTIOCGWINSZ:
		if(!cons)
			return -ENOTTY;
		p = gmem(t, a[2], 8, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		if(ioctl(1, TIOCGWINSZ, &ws) < 0){
			ws.ws_row = 24;
			ws.ws_col = 80;
			ws.ws_xpixel = ws.ws_ypixel = 0;
		}
		putwinsize(p, ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
		return 0;
	case LTIOCSWINSZ:
		return cons ? 0 : -ENOTTY;
	case LTIOCGPGRP:
		if(!cons)
			return -ENOTTY;
		pthread_mutex_lock(&glk);
		pg = isctty(t->p) ? (t->p->fgpgrp != 0 ? t->p->fgpgrp : t->p->sid) : -ENOTTY;
		pthread_mutex_unlock(&glk);
		if(pg < 0)
			return pg;
		p = gmem(t, a[2], 4, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		put32(p, pg);
		return 0;
	case LTIOCSPGRP:
		/* remembered for TIOCGPGRP; nothing stops a background
		 * reader.  Linux's order: EFAULT, EINVAL, ENOTTY, ESRCH, EPERM */
		if(!cons)
			return -ENOTTY;
		if((r = pgrparg(t, a[2], &pg)) < 0)
			return r;
		pthread_mutex_lock(&glk);
		r = !isctty(t->p) ? -ENOTTY : fgpgrpok(t->p, pg);
		if(r == 0)
			setfgpgrp(t->p, pg);
		pthread_mutex_unlock(&glk);
		return r;
	case LFIONREAD:
		return nread(t, a[0], a[2]);
	case LFIONBIO:
		/* as fcntl's O_NONBLOCK (CPython sets sockets non-blocking so) */
		p = gmem(t, a[2], 4, VX_PROT_READ);
		if(p == NULL)
			return -EFAULT;
		fdsetstatus(a[0], 04000, get32(p) != 0 ? 04000 : 0);
		return 0;
	}
	return -ENOTTY;
}

/* The Linux revents of fd for events ev, from kpoll's answer k: a pipe
 * whose other end is gone is POLLHUP to a reader, POLLERR to a writer. */
static int
lxrevents(Lthread *t, int fd, int ev, int k)
{
	int r;

	r = 0;
	if(k & KIF_READ)
		r |= ev & (LPOLLIN | LPOLLRDNORM);
	if(k & KIF_WRITE)
		r |= ev & (LPOLLOUT | LPOLLWRNORM);
	if(k & KIF_HUP)
		r |= (t->p->fd[fd].flags & 3) == 1 ? LPOLLERR : LPOLLHUP | (ev & LPOLLRDHUP);
	return r;
}

static int
kevents(int ev)
{
	return ((ev & (LPOLLIN | LPOLLRDNORM | LPOLLPRI)) ? KIF_READ : 0) |
		((ev & (LPOLLOUT | LPOLLWRNORM)) ? KIF_WRITE : 0);
}

/* kpoll failed: "interrupted" (a signal) is EINTR, never a restart */
static long
kpollerr(void)
{
	return kerrno();
}

/*
 * The signal mask of ppoll and pselect6: in force during the wait and,
 * if a signal ends it, while its handler runs (as sigsuspend).  Returns
 * 1 when a signal it unblocks is already pending: the call ends at once.
 */
int
waitmask(Lthread *t, uint32_t addr, uint32_t size, int *err)
{
	uint8_t *m;
	int r;

	*err = 0;
	if(addr == 0)
		return 0;
	if(size != 8){
		*err = -EINVAL;
		return 0;
	}
	m = gmem(t, addr, 8, VX_PROT_READ);
	if(m == NULL){
		*err = -EFAULT;
		return 0;
	}
	pthread_mutex_lock(&glk);
	t->savedmask = t->mask;
	t->restoremask = 1;
	t->mask = get64(m) & ~((1ull << (LSIGKILL - 1)) | (1ull << (LSIGSTOP - 1)));
	r = interrupted(t);
	pthread_mutex_unlock(&glk);
	return r;
}

/* After the wait: without a signal to deliver, the old mask is back. */
void
endmask(Lthread *t, long r)
{
	pthread_mutex_lock(&glk);
	if(t->restoremask && r != -EINTR){
		t->mask = t->savedmask;
		t->restoremask = 0;
	}
	pthread_mutex_unlock(&glk);
}

/* poll over n guest pollfds at addr; ms < 0: no timeout.  Each fd is
 * read once (kf[i].fd, or in neg when negative): another guest thread
 * may rewrite the array while the call waits, and an fd read again
 * would index the fd table unchecked. */
static long
dopoll(Lthread *t, uint32_t addr, uint32_t n, int64_t ms)
{
	Kifpoll *kf;
	uint8_t *pf, *neg;
	uint32_t i;
	int fd, ev, rev, ready;
	long r;

	if(n > MAXPOLL)
		return -EINVAL;
	pf = gmem(t, addr, n * 8, VX_PROT_READ | VX_PROT_WRITE);
	if(pf == NULL && n != 0)
		return -EFAULT;
	kf = calloc(n + 1, sizeof *kf);
	neg = calloc(n + 1, 1);
	if(kf == NULL || neg == NULL){
		free(kf);
		free(neg);
		return -ENOMEM;
	}
	for(i = 0; i < n; i++){
		fd = (int32_t)get32(pf + 8 * i);
		ev = pf[8 * i + 4] | pf[8 * i + 5] << 8;
		neg[i] = fd < 0;
		kf[i].fd = fd >= 0 && fdcheck(t->p, fd) ? fd : -1;
		kf[i].events = kevents(ev);
		if(fd >= 0 && kf[i].fd < 0)
			ms = 0;		/* its POLLNVAL is an event now (Linux) */
	}
	r = lxpoll(t, kf, n, ms);
	if(r < 0){
		free(kf);
		free(neg);
		return kpollerr();
	}
	ready = 0;
	for(i = 0; i < n; i++){
		ev = pf[8 * i + 4] | pf[8 * i + 5] << 8;
		if(neg[i])
			rev = 0;
		else if(kf[i].fd < 0 || (kf[i].revents & KIF_NVAL))
			rev = LPOLLNVAL;
		else
			rev = lxrevents(t, kf[i].fd, ev, kf[i].revents);
		put16(pf + 8 * i + 6, rev);
		ready += rev != 0;
	}
	free(kf);
	free(neg);
	return ready;
}

long
sys_poll(Lthread *t, uint32_t *a)
{
	return dopoll(t, a[0], a[1], (int32_t)a[2] < 0 ? -1 : (int64_t)(int32_t)a[2]);
}

/* A guest timespec (32- or 64-bit) as milliseconds, rounded up; -1 for
 * a NULL pointer; -EINVAL/-EFAULT as *err. */
static int64_t
tsms(Lthread *t, uint32_t addr, int wide, int *err)
{
	uint8_t *ts;
	int64_t sec, nsec;

	*err = 0;
	if(addr == 0)
		return -1;
	ts = gmem(t, addr, wide ? 16 : 8, VX_PROT_READ);
	if(ts == NULL){
		*err = -EFAULT;
		return 0;
	}
	sec = wide ? (int64_t)get64(ts) : (int32_t)get32(ts);
	nsec = wide ? (int32_t)get32(ts + 8) : (int32_t)get32(ts + 4);
	if(sec < 0 || nsec < 0 || nsec >= 1000000000){
		*err = -EINVAL;
		return 0;
	}
	if(sec > (int64_t)1 << 31)
		sec = (int64_t)1 << 31;
	return sec * 1000 + (nsec + 999999) / 1000000;
}

/* ppoll(fds, n, timespec, sigmask, size); wide: a 64-bit timespec */
static long
ppoll(Lthread *t, uint32_t *a, int wide)
{
	int64_t ms;
	long r;
	int err;

	ms = tsms(t, a[2], wide, &err);
	if(err)
		return err;
	if(waitmask(t, a[3], a[4], &err))
		return -EINTR;
	if(err)
		return err;
	r = dopoll(t, a[0], a[1], ms);
	endmask(t, r);
	return r;
}

long
sys_ppoll(Lthread *t, uint32_t *a)
{
	return ppoll(t, a, 0);
}

long
sys_ppoll64(Lthread *t, uint32_t *a)
{
	return ppoll(t, a, 1);
}

/* select(n, in, out, ex, timeout): the fd sets are bit arrays of 32-bit
 * words; ready fds stay set, the others are cleared. */
static long
doselect(Lthread *t, uint32_t n, uint32_t in, uint32_t out, uint32_t ex, int64_t ms)
{
	uint8_t *s[3];
	Kifpoll *kf;
	uint32_t nb;
	int fd, k, ready, isset[3];
	long r;

	if(n > MAXFD)
		return -EINVAL;
	nb = (n + 31) / 32 * 4;
	s[0] = in ? gmem(t, in, nb, VX_PROT_READ | VX_PROT_WRITE) : NULL;
	s[1] = out ? gmem(t, out, nb, VX_PROT_READ | VX_PROT_WRITE) : NULL;
	s[2] = ex ? gmem(t, ex, nb, VX_PROT_READ | VX_PROT_WRITE) : NULL;
	if((in && !s[0]) || (out && !s[1]) || (ex && !s[2]))
		return -EFAULT;
	kf = calloc(n + 1, sizeof *kf);
	if(kf == NULL)
		return -ENOMEM;
	for(fd = 0; fd < (int)n; fd++){
		kf[fd].fd = -1;
		for(k = 0; k < 3; k++)
			isset[k] = s[k] && (s[k][fd / 8] & (1 << fd % 8));
		if(!isset[0] && !isset[1] && !isset[2])
			continue;
		if(!fdcheck(t->p, fd)){
			free(kf);
			return -EBADF;
		}
		kf[fd].fd = fd;
		kf[fd].events = (isset[0] ? KIF_READ : 0) | (isset[1] ? KIF_WRITE : 0);
	}
	r = lxpoll(t, kf, n, ms);
	if(r < 0){
		free(kf);
		return kpollerr();
	}
	ready = 0;
	for(fd = 0; fd < (int)n; fd++){
		int rd, wr;

		if(kf[fd].fd < 0)
			continue;
		/* as Linux: a gone peer makes a reader readable and a writer writable (an error) */
		rd = (kf[fd].revents & (KIF_READ | KIF_HUP)) != 0;
		wr = (kf[fd].revents & (KIF_WRITE | KIF_HUP)) != 0 && (kf[fd].events & KIF_WRITE);
		if(s[0] && (s[0][fd / 8] & (1 << fd % 8))){
			if(rd)
				ready++;
			else
				s[0][fd / 8] &= ~(1 << fd % 8);
		}
		if(s[1] && (s[1][fd / 8] & (1 << fd % 8))){
			if(wr)
				ready++;
			else
				s[1][fd / 8] &= ~(1 << fd % 8);
		}
	}
	if(s[2])
		memset(s[2], 0, nb);
	free(kf);
	return ready;
}

long
sys_select(Lthread *t, uint32_t *a)
{
	uint8_t *tv;
	int64_t ms, sec, usec;

	ms = -1;
	if(a[4] != 0){
		tv = gmem(t, a[4], 8, VX_PROT_READ);
		if(tv == NULL)
			return -EFAULT;
		sec = (int32_t)get32(tv);
		usec = (int32_t)get32(tv + 4);
		if(sec < 0 || usec < 0 || usec >= 1000000)
			return -EINVAL;
		if(sec > (int64_t)1 << 31)
			sec = (int64_t)1 << 31;
		ms = sec * 1000 + (usec + 999) / 1000;
	}
	return doselect(t, a[0], a[1], a[2], a[3], ms);
}

/* pselect6(n, in, out, ex, timespec, {sigmask, size}); wide: a 64-bit timespec */
static long
pselect6(Lthread *t, uint32_t *a, int wide)
{
	uint8_t *sm;
	int64_t ms;
	long r;
	int err;

	ms = tsms(t, a[4], wide, &err);
	if(err)
		return err;
	if(a[5] != 0){
		sm = gmem(t, a[5], 8, VX_PROT_READ);
		if(sm == NULL)
			return -EFAULT;
		if(waitmask(t, get32(sm), get32(sm + 4), &err))
			return -EINTR;
		if(err)
			return err;
	}
	r = doselect(t, a[0], a[1], a[2], a[3], ms);
	endmask(t, r);
	return r;
}

long
sys_pselect6(Lthread *t, uint32_t *a)
{
	return pselect6(t, a, 0);
}

long
sys_pselect6_64(Lthread *t, uint32_t *a)
{
	return pselect6(t, a, 1);
}
