/*
 * sysio.c — terminal ioctls, poll and select.  The console (#c/cons) is a
 * terminal when the host's stdout is one, so guests format output as they
 * would natively.  The kernel offers no readiness test, so poll and select
 * report pipes and files ready (a later read blocks, as on a slow
 * device); only the console is really polled, through the host's stdin.
 */
#include <errno.h>
#include <poll.h>
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
	LPOLLIN = 1, LPOLLPRI = 2, LPOLLOUT = 4, LPOLLNVAL = 0x20,
	LPOLLRDNORM = 0x40, LPOLLWRNORM = 0x100,
	MAXPOLL = 1024,
};

static int
consistty(void)
{
	return isatty(1);
}

long
sys_ioctl(Lthread *t, uint32_t *a)
{
	struct termios tio;
	struct winsize ws;
	uint8_t *p;
	int cons;

	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	cons = t->p->fd[a[0]].iscons && consistty();
	switch(a[1]){
	case LTCGETS:
		if(!cons)
			return -ENOTTY;
		p = gmem(t, a[2], 36, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		if(tcgetattr(1, &tio) < 0)
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
		/* accepted and ignored: the host terminal belongs to the host */
		if(!cons)
			return -ENOTTY;
		return gmem(t, a[2], 36, VX_PROT_READ) ? 0 : -EFAULT;
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
		put16(p, ws.ws_row);
		put16(p + 2, ws.ws_col);
		put16(p + 4, ws.ws_xpixel);
		put16(p + 6, ws.ws_ypixel);
		return 0;
	case LTIOCSWINSZ:
		return cons ? 0 : -ENOTTY;
	case LTIOCGPGRP:
		if(!cons)
			return -ENOTTY;
		p = gmem(t, a[2], 4, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		put32(p, t->p->pid);
		return 0;
	case LTIOCSPGRP:
		return cons ? 0 : -ENOTTY;
	case LFIONBIO:
		return 0;
	}
	return -ENOTTY;
}

/* Is the console readable within ms milliseconds (-1: forever)? */
static int
consready(int ms)
{
	struct pollfd pf;

	pf.fd = 0;
	pf.events = POLLIN;
	pf.revents = 0;
	return poll(&pf, 1, ms) > 0;
}

/* poll over fds described by guest pollfds; timeout in ms, -1 forever */
static long
dopoll(Lthread *t, uint32_t addr, uint32_t n, int ms)
{
	uint8_t *pf;
	uint32_t i;
	int fd, ev, rev, ready, consin;

	if(n > MAXPOLL)
		return -EINVAL;
	pf = gmem(t, addr, n * 8, VX_PROT_READ | VX_PROT_WRITE);
	if(pf == NULL && n != 0)
		return -EFAULT;
	ready = 0;
	consin = 0;
	for(i = 0; i < n; i++){
		fd = (int32_t)get32(pf + 8 * i);
		ev = pf[8 * i + 4] | pf[8 * i + 5] << 8;
		rev = 0;
		if(fd < 0)
			;
		else if(!fdcheck(t->p, fd))
			rev = LPOLLNVAL;
		else if(t->p->fd[fd].iscons && (ev & (LPOLLIN | LPOLLRDNORM))){
			consin = 1;
			rev = ev & (LPOLLOUT | LPOLLWRNORM);
		}else
			rev = ev & (LPOLLIN | LPOLLOUT | LPOLLRDNORM | LPOLLWRNORM | LPOLLPRI);
		put16(pf + 8 * i + 6, rev);
		ready += rev != 0;
	}
	if(consin && consready(ready ? 0 : ms)){
		for(i = 0; i < n; i++){
			fd = (int32_t)get32(pf + 8 * i);
			ev = pf[8 * i + 4] | pf[8 * i + 5] << 8;
			if(fd >= 0 && fd < MAXFD && fdcheck(t->p, fd) && t->p->fd[fd].iscons && (ev & (LPOLLIN | LPOLLRDNORM))){
				put16(pf + 8 * i + 6, (pf[8 * i + 6] | pf[8 * i + 7] << 8) | (ev & (LPOLLIN | LPOLLRDNORM)));
				ready++;
			}
		}
	}else if(ready == 0 && !consin && ms != 0){
		/* nothing to wait for but time */
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		if(ms > 0)
			nanosleep(&ts, NULL);
		else
			return -EINTR;
	}
	return ready;
}

long
sys_poll(Lthread *t, uint32_t *a)
{
	return dopoll(t, a[0], a[1], (int32_t)a[2] < 0 ? -1 : (int)a[2]);
}

/* ppoll(fds, n, timespec, sigmask, size): the mask is ignored */
long
sys_ppoll(Lthread *t, uint32_t *a)
{
	uint8_t *ts;
	int ms;

	ms = -1;
	if(a[2] != 0){
		ts = gmem(t, a[2], t->nr == 414 ? 16 : 8, VX_PROT_READ);
		if(ts == NULL)
			return -EFAULT;
		if(t->nr == 414)
			ms = (int)(get64(ts) * 1000 + get32(ts + 8) / 1000000);
		else
			ms = (int)((int32_t)get32(ts) * 1000 + get32(ts + 4) / 1000000);
	}
	return dopoll(t, a[0], a[1], ms);
}

/* select(n, in, out, ex, timeval) through dopoll's logic */
static long
doselect(Lthread *t, uint32_t n, uint32_t in, uint32_t out, uint32_t ex, int ms)
{
	uint8_t *s[3];
	uint32_t i, nb;
	int fd, ready, consin, k;

	if(n > MAXFD)
		return -EINVAL;
	nb = (n + 31) / 32 * 4;
	s[0] = in ? gmem(t, in, nb, VX_PROT_READ | VX_PROT_WRITE) : NULL;
	s[1] = out ? gmem(t, out, nb, VX_PROT_READ | VX_PROT_WRITE) : NULL;
	s[2] = ex ? gmem(t, ex, nb, VX_PROT_READ | VX_PROT_WRITE) : NULL;
	if((in && !s[0]) || (out && !s[1]) || (ex && !s[2]))
		return -EFAULT;
	consin = -1;
	for(fd = 0; fd < (int)n; fd++)
		for(k = 0; k < 3; k++)
			if(s[k] && (s[k][fd / 8] & (1 << fd % 8)) && !fdcheck(t->p, fd))
				return -EBADF;
	ready = 0;
	if(s[2])
		memset(s[2], 0, nb);
	for(fd = 0; fd < (int)n; fd++){
		if(s[0] && (s[0][fd / 8] & (1 << fd % 8))){
			if(t->p->fd[fd].iscons){
				consin = fd;
				s[0][fd / 8] &= ~(1 << fd % 8);
			}else
				ready++;
		}
		if(s[1] && (s[1][fd / 8] & (1 << fd % 8)))
			ready++;
	}
	if(consin >= 0 && consready(ready ? 0 : ms)){
		for(i = 0; i < n; i++)
			if(t->p->fd[i].iscons && in && fdcheck(t->p, i)){
				uint8_t *g = gmem(t, in, nb, VX_PROT_WRITE);
				if(g != NULL && i == (uint32_t)consin){
					g[i / 8] |= 1 << i % 8;
					ready++;
				}
			}
	}else if(ready == 0 && consin < 0 && ms > 0){
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	return ready;
}

long
sys_select(Lthread *t, uint32_t *a)
{
	uint8_t *tv;
	int ms;

	ms = -1;
	if(a[4] != 0){
		tv = gmem(t, a[4], 8, VX_PROT_READ);
		if(tv == NULL)
			return -EFAULT;
		ms = (int)((int32_t)get32(tv) * 1000 + (int32_t)get32(tv + 4) / 1000);
	}
	return doselect(t, a[0], a[1], a[2], a[3], ms);
}

long
sys_pselect6(Lthread *t, uint32_t *a)
{
	uint8_t *ts;
	int ms;

	ms = -1;
	if(a[4] != 0){
		ts = gmem(t, a[4], t->nr == 413 ? 16 : 8, VX_PROT_READ);
		if(ts == NULL)
			return -EFAULT;
		if(t->nr == 413)
			ms = (int)(get64(ts) * 1000 + get32(ts + 8) / 1000000);
		else
			ms = (int)((int32_t)get32(ts) * 1000 + get32(ts + 4) / 1000000);
	}
	return doselect(t, a[0], a[1], a[2], a[3], ms);
}
