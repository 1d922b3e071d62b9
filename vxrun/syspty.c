/*
 * syspty.c — Linux's terminal ioctls on a pseudo-terminal: the
 * kernel's #P (libkern/devpty.c) keeps the terminal, its modes, line
 * discipline and session; here the guest's arguments are checked and
 * the process side is answered (who leads a session, which groups
 * exist), and the device's signals are posted to process groups.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dat.h"

enum {
	LTCGETS = 0x5401, LTCSETS = 0x5402, LTCSETSW = 0x5403, LTCSETSF = 0x5404,
	LTCSBRK = 0x5409, LTCFLSH = 0x540b, LTIOCSCTTY = 0x540e, LTIOCGPGRP = 0x540f,
	LTIOCSPGRP = 0x5410, LTIOCOUTQ = 0x5411, LTIOCGWINSZ = 0x5413, LTIOCSWINSZ = 0x5414,
	LFIONREAD = 0x541b, LTIOCNOTTY = 0x5422, LTIOCGSID = 0x5429,
	LTIOCGPTN = 0x80045430, LTIOCSPTLCK = 0x40045431, LTIOCGPTLCK = 0x80045439,
	LTIOCGPTPEER = 0x5441, LTIOCPKT = 0x5420, LTIOCGPKT = 0x80045438,
	Termiossize = 36,	/* the kernel's struct termios: four flag words, c_line, c_cc[19] */
	LTOSTOP = 0400,		/* c_lflag: a background write stops */
	LSIG_IGN = 1,
};

/* p's last thread is gone: if it led a session, that session's
 * terminal's foreground group hears of it (Linux's disassociate_ctty). */
void
ptyexit(Lproc *p)
{
	if(p->pid == p->sid)
		kif_ptysessionend(p->box, p->sid);
}

static long
ptyerr(void)
{
	return kerrno();
}

static void
puttermios(uint8_t *b, Kpty *k)
{
	memset(b, 0, Termiossize);
	put32(b, k->iflag);
	put32(b + 4, k->oflag);
	put32(b + 8, k->cflag);
	put32(b + 12, k->lflag);
	b[16] = k->line;
	memcpy(b + 17, k->cc, sizeof k->cc);
}

static void
gettermios(Kpty *k, const uint8_t *b)
{
	k->iflag = get32(b);
	k->oflag = get32(b + 4);
	k->cflag = get32(b + 8);
	k->lflag = get32(b + 12);
	k->line = b[16];
	memcpy(k->cc, b + 17, sizeof k->cc);
}

/* Is the terminal k (KPTYGET's) the caller's controlling terminal?
 * Its session's, unless the caller gave it up (TIOCNOTTY). */
static int
isours(Lthread *t, Kpty *k)
{
	return k->sid != 0 && k->sid == t->p->sid && k->box == t->p->box && !t->p->noctty;
}

/*
 * Job control (POSIX's orphaned process groups, Linux's
 * will_become_orphaned_pgrp): a group is orphaned when no member has a
 * parent in another group of the same session — nobody there to
 * continue it.  A member whose parent is gone (or going: gone) does not
 * count.  glk held.
 */
static int
orphaned(int box, int pgid)
{
	Lproc *q, *pa;

	for(q = procs; q != NULL; q = q->next){
		if(q->zombie || q->box != box || q->pgid != pgid)
			continue;
		pa = q->parent;
		if(pa != NULL && !pa->zombie && pa->pgid != pgid && pa->sid == q->sid)
			return 0;
	}
	return 1;
}

int
pgrporphaned(Lproc *p)
{
	return orphaned(p->box, p->pgid);
}

static int
stoppedin(int box, int pgid)
{
	Lproc *q;

	for(q = procs; q != NULL; q = q->next)
		if(!q->zombie && q->box == box && q->pgid == pgid && q->stopsig != 0)
			return 1;
	return 0;
}

/* With glk held: sig to the processes of sandbox box in group pgrp
 * (> 0), or to process pid: the terminal's signals (SI_KERNEL, as Linux's). */
static void
sigjob(int box, int pgrp, int pid, int sig)
{
	Sigwho w = { .code = LSI_KERNEL };
	Lproc *q;

	for(q = procs; q != NULL; q = q->next)
		if(!q->zombie && q->box == box && (pgrp > 0 ? q->pgid == pgrp : q->pid == pid))
			postsigwho(q, NULL, sig, &w);
}

static void
siggroup(int box, int pgid, int sig)
{
	sigjob(box, pgid, 0, sig);
}

/* the device's signals (kptysignals) */
static void
ptysignal(int box, int pgrp, int pid, int sig)
{
	pthread_mutex_lock(&glk);
	sigjob(box, pgrp, pid, sig);
	pthread_mutex_unlock(&glk);
}

void
ptyinit(void)
{
	kif_ptysignals(ptysignal);
}

/*
 * With glk held, as gone ends: q is its child, now without a parent,
 * or gone itself.  A group gone's end orphans that has a stopped
 * member gets SIGHUP, then SIGCONT (POSIX; Linux's kill_orphaned_pgrp):
 * q's when it is another group of gone's session; gone's own when its
 * parent, in another group of the session, was what kept it.
 */
void
orphanedhup(Lproc *gone, Lproc *q)
{
	Lproc *pa;

	if(q == gone){
		pa = gone->parent;
		if(pa == NULL || pa->pgid == gone->pgid || pa->sid != gone->sid)
			return;
	}else if(q->pgid == gone->pgid || q->sid != gone->sid)
		return;
	if(orphaned(q->box, q->pgid) && stoppedin(q->box, q->pgid)){
		siggroup(q->box, q->pgid, LSIGHUP);
		siggroup(q->box, q->pgid, LSIGCONT);
	}
}

/*
 * Linux's __tty_check_change, for a caller whose controlling terminal
 * k is: one in a background group reading it (sig SIGTTIN), writing
 * it under TOSTOP or changing it (SIGTTOU) has its group signalled and
 * the call restarted once it goes on (a stop, or a handler); 0 when it
 * may go on (the foreground, another terminal, SIGTTOU ignored or
 * blocked), EIO when nothing could continue it: SIGTTIN ignored or
 * blocked, or its group orphaned.
 */
static long
jobcheck(Lthread *t, Kpty *k, int sig)
{
	Lproc *p = t->p;
	long r;

	if(k->pgrp == 0)
		return 0;
	r = 0;
	pthread_mutex_lock(&glk);
	if(isours(t, k) && p->pgid != k->pgrp){
		if((t->mask & 1ull << (sig - 1)) || p->act[sig].handler == LSIG_IGN)
			r = sig == LSIGTTIN ? -EIO : 0;
		else if(orphaned(p->box, p->pgid))
			r = -EIO;
		else{
			siggroup(p->box, p->pgid, sig);
			r = -LERESTART;
		}
	}
	pthread_mutex_unlock(&glk);
	return r;
}

/* jobcheck's answer for a read (out 0) or write of a terminal whose
 * state kptyget read (its answer got): a slave's (a write only under
 * TOSTOP); the master is no one's terminal */
static long
ttyjobof(Lthread *t, Kpty *k, int got, int out)
{
	if(got < 0 || k->master || (out && !(k->lflag & LTOSTOP)))
		return 0;
	return jobcheck(t, k, out ? LSIGTTOU : LSIGTTIN);
}

/* ttyjobof of pty fd */
long
ttyjob(Lthread *t, int fd, int out)
{
	Kpty k;

	memset(&k, 0, sizeof k);
	return ttyjobof(t, &k, kif_ptyctl(fd, KPTYGET, &k), out);
}

/* ttyjobof of the open file a read or write took (rwheld): the
 * terminal it reads or writes, not whatever another thread put at the
 * fd since (a background write under TOSTOP went to the terminal
 * unstopped where the look by fd had found another file) */
long
ttyjobfile(Lthread *t, Kiffile *f, int out)
{
	Kpty k;

	memset(&k, 0, sizeof k);
	return ttyjobof(t, &k, kif_fileptyctl(f, KPTYGET, &k), out);
}

static long
put32to(Lthread *t, uint32_t addr, uint32_t v)
{
	uint8_t *p;

	if((p = gmem(t, addr, 4, VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	put32(p, v);
	return 0;
}

static long
setpgrp(Lthread *t, int fd, Kpty *k, uint32_t addr)
{
	int pg, r;

	if((r = jobcheck(t, k, LSIGTTOU)) != 0)
		return r == -EIO ? -ENOTTY : r;	/* Linux's tiocspgrp */
	if(!isours(t, k))
		return -ENOTTY;
	if((r = pgrparg(t, addr, &pg)) < 0)
		return r;
	pthread_mutex_lock(&glk);
	r = fgpgrpok(t->p, pg);
	pthread_mutex_unlock(&glk);
	if(r < 0)
		return r;
	k->pgrp = pg;
	return kif_ptyctl(fd, KPTYSETPGRP, k) < 0 ? ptyerr() : 0;
}

/* TIOCSCTTY: only a session leader without a controlling terminal
 * (the console is the first session's when the host's is a terminal) */
static long
setctty(Lthread *t, int fd, Kpty *k)
{
	if(isours(t, k))
		return 0;
	if(t->p->pid != t->p->sid || (isctty(t->p) && consistty()))
		return -EPERM;
	k->box = t->p->box;
	k->sid = t->p->sid;
	k->pgrp = t->p->pgid;
	return kif_ptyctl(fd, KPTYSCTTY, k) < 0 ? ptyerr() : 0;
}

/* /dev/tty is the caller's controlling terminal: the slave of the
 * terminal its session has, put at fd (an open of #c's tty), or the
 * console where that is a terminal and the caller's session the one
 * its sandbox began with.  A caller with none (after setsid or
 * TIOCNOTTY, or a console that is no terminal) gets ENXIO, as on
 * Linux: a program that would ask /dev/tty for a password must not
 * read its standard input instead. */
int
ptydevtty(Lthread *t, int fd, int omode)
{
	char path[32];
	int n, nfd;

	if(!isdevtty(fd))
		return fd;
	if(t->p->noctty || (n = kif_ptyof(t->p->box, t->p->sid, NULL)) < 0){
		if(!t->p->noctty && isctty(t->p) && consistty())
			return fd;
		kclose(fd);
		return -ENXIO;
	}
	snprintf(path, sizeof path, "/dev/pts/%d", n);
	nfd = kopen(path, omode);
	if(nfd < 0)
		return fd;
	kdup(nfd, fd);
	kclose(nfd);
	return fd;
}

/* An open without O_NOCTTY: a session leader with no controlling
 * terminal takes a slave that no session has, as Linux's tty_open. */
void
ptyopened(Lthread *t, int fd)
{
	unsigned long long qp;
	int dc, qt;
	Kpty k;

	if(t->p->pid != t->p->sid || kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0 || dc != 'P' || (qt & QTDIR))
		return;
	memset(&k, 0, sizeof k);
	if(kif_ptyctl(fd, KPTYGET, &k) < 0 || k.master || k.sid != 0)
		return;
	setctty(t, fd, &k);	/* fails where the session has a terminal: the open stands */
}

/*
 * The ioctl a[1] on fd a[0] when it is a pseudo-terminal; NOTPTY when
 * it is not, or for a request the caller answers for every file
 * (FIONBIO).  Each guest pointer is checked before the terminal moves.
 */
long
ptyioctl(Lthread *t, uint32_t *a)
{
	unsigned long long qp;
	int dc, qt, fd;
	uint8_t *b;
	long r;
	Kpty k;

	fd = a[0];
	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0 || dc != 'P' || (qt & QTDIR))
		return NOTPTY;
	memset(&k, 0, sizeof k);
	switch(a[1]){
	case LTCGETS: case LTCSETS: case LTCSETSW: case LTCSETSF: case LTCSBRK:
	case LTCFLSH: case LTIOCSCTTY: case LTIOCGPGRP: case LTIOCSPGRP: case LTIOCOUTQ:
	case LTIOCGWINSZ: case LTIOCSWINSZ: case LFIONREAD: case LTIOCNOTTY: case LTIOCGSID:
	case LTIOCGPTN: case LTIOCSPTLCK: case LTIOCGPTLCK: case LTIOCGPTPEER:
	case LTIOCPKT: case LTIOCGPKT:
		break;
	default:
		return NOTPTY;
	}
	if(kif_ptyctl(fd, KPTYGET, &k) < 0)
		return ptyerr();
	switch(a[1]){
	case LTCGETS:
		if((b = gmem(t, a[2], Termiossize, VX_PROT_WRITE)) == NULL)
			return -EFAULT;
		puttermios(b, &k);
		return 0;
	case LTCSETS:
	case LTCSETSW:
	case LTCSETSF:
		if((b = gmem(t, a[2], Termiossize, VX_PROT_READ)) == NULL)
			return -EFAULT;
		if((r = jobcheck(t, &k, LSIGTTOU)) != 0)
			return r;
		gettermios(&k, b);
		k.arg = a[1] == LTCSETSF;	/* TCSETSW: nothing waits to be sent */
		return kif_ptyctl(fd, KPTYSETATTR, &k) < 0 ? ptyerr() : 0;
	case LTCSBRK:	/* tcdrain: the output is the master's already */
		return jobcheck(t, &k, LSIGTTOU);
	case LTCFLSH:
		if((r = jobcheck(t, &k, LSIGTTOU)) != 0)
			return r;
		k.arg = (int32_t)a[2];
		return kif_ptyctl(fd, KPTYFLUSH, &k) < 0 ? ptyerr() : 0;
	case LTIOCGWINSZ:
		if((b = gmem(t, a[2], 8, VX_PROT_WRITE)) == NULL)
			return -EFAULT;
		putwinsize(b, k.row, k.col, k.xpixel, k.ypixel);
		return 0;
	case LTIOCSWINSZ:
		if((b = gmem(t, a[2], 8, VX_PROT_READ)) == NULL)
			return -EFAULT;
		k.row = get16(b);
		k.col = get16(b + 2);
		k.xpixel = get16(b + 4);
		k.ypixel = get16(b + 6);
		return kif_ptyctl(fd, KPTYSETWINSZ, &k) < 0 ? ptyerr() : 0;
	case LFIONREAD:
		return put32to(t, a[2], k.inq);
	case LTIOCOUTQ:	/* a pty's output is at the other side at once */
		return put32to(t, a[2], 0);
	case LTIOCGPTN:
		return k.master ? put32to(t, a[2], k.n) : -ENOTTY;
	case LTIOCGPTLCK:
		return k.master ? put32to(t, a[2], k.locked) : -ENOTTY;
	case LTIOCSPTLCK:
		if(!k.master)
			return -ENOTTY;
		if((b = gmem(t, a[2], 4, VX_PROT_READ)) == NULL)
			return -EFAULT;
		k.locked = get32(b) != 0;
		return kif_ptyctl(fd, KPTYLOCK, &k) < 0 ? ptyerr() : 0;
	case LTIOCPKT:	/* the master's only, as the other pty ioctls above */
		if(!k.master)
			return -ENOTTY;
		if((b = gmem(t, a[2], 4, VX_PROT_READ)) == NULL)
			return -EFAULT;
		k.arg = get32(b) != 0;
		return kif_ptyctl(fd, KPTYPACKET, &k) < 0 ? ptyerr() : 0;
	case LTIOCGPKT:
		return k.master ? put32to(t, a[2], k.packet) : -ENOTTY;
	case LTIOCGPTPEER:	/* glibc's openpty opens pts/N by name instead */
		return k.master ? -EINVAL : -ENOTTY;
	case LTIOCGPGRP:
		/* the slave's: the caller's controlling terminal's only */
		if(!k.master && !isours(t, &k))
			return -ENOTTY;
		return put32to(t, a[2], k.pgrp);
	case LTIOCSPGRP:
		return setpgrp(t, fd, &k, a[2]);
	case LTIOCGSID:
		if((!k.master && !isours(t, &k)) || k.sid == 0)
			return -ENOTTY;
		return put32to(t, a[2], k.sid);
	case LTIOCSCTTY:
		return setctty(t, fd, &k);
	case LTIOCNOTTY:
		if(k.master || !isours(t, &k))
			return -ENOTTY;
		if(t->p->pid != t->p->sid){
			/* another process gives up only its own (Linux's
			 * proc_clear_tty); its children inherit that */
			pthread_mutex_lock(&glk);
			t->p->noctty = 1;
			pthread_mutex_unlock(&glk);
			return 0;
		}
		k.arg = 1;	/* the leader gives it up for the session */
		return kif_ptyctl(fd, KPTYNOTTY, &k) < 0 ? ptyerr() : 0;
	}
	return NOTPTY;
}
