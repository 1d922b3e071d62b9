/*
 * devpty.c — #P, pseudo-terminals.  Its root holds ptmx, a clone file,
 * and pts, a directory of the terminals open now by number.  An open of
 * ptmx makes a new terminal and is its master; pts/N is its slave.  What
 * the master writes is the terminal's input, which the line discipline
 * here turns into what the slave reads (line editing, echo, the signal
 * characters); what the slave writes goes through output processing to
 * the master.  The discipline is the kernel's, not a personality's, so a
 * terminal shared by several guest processes, or reached over 9P, is
 * one terminal with one set of modes (doc/guest-abi.md).
 *
 * Modes are Linux's termios bits and signals Linux's numbers (ptyctl.h):
 * a personality's ioctls read and set them with kptyctl, and the
 * signals go to the function kptysignals registered.  Queues are fixed
 * (Ptyin, Ptyout): a master writing to a slave that does not read waits,
 * as does a slave writing to a master that does not; input typed into a
 * full line is dropped, as Linux's.  A sandbox has at most Ptybox
 * terminals (Linux's kernel.pty.max), the kernel Ptymax.
 *
 * In packet mode (TIOCPKT) each read of the master begins with a byte:
 * 0 before data, or alone, the changes to the slave's state since the
 * last such byte (Linux's TIOCPKT_ bits: its queues flushed, output
 * stopped or started by ^S and ^Q, ^S/^Q flow control turned on or
 * off), which a master like screen's passes on to its own terminal.
 *
 * When the master's last open goes, the terminal is hung up: the slave
 * reads end of file and its writes fail EIO, and the session leader of
 * the session it controlled gets SIGHUP and SIGCONT.  When the slave's
 * last open goes, the master reads what is queued, then EIO.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dat.h"
#include "fns.h"

enum {
	Qdir, Qptmx, Qpts, Qmaster, Qslave,
	Ptyin = 4096,	/* input queue: Linux's N_TTY_BUF_SIZE */
	Ptyout = 8192,	/* output queue, towards the master */
	Ttypiece = 64,	/* a read's bytes are taken and copied out so many at a time (Linux's tty_read) */
	Ptybox = 64,	/* terminals a sandbox may have */
	Ptymax = 1024,	/* terminals in all */
	Ptymem = Ptyin * 2 + Ptyout + 512,	/* what a terminal costs its sandbox */
	Maxsig = 4,
};

/* Linux's termios bits and c_cc indices */
enum {
	IGNBRK = 1, ISTRIP = 040, INLCR = 0100, IGNCR = 0200, ICRNL = 0400,
	IUCLC = 01000, IXON = 02000,
	OPOST = 1, ONLCR = 4, OCRNL = 010, ONOCR = 020, ONLRET = 040,
	ISIG = 1, ICANON = 2, ECHO = 010, ECHOE = 020, ECHOK = 040, ECHONL = 0100,
	NOFLSH = 0200, ECHOCTL = 01000, ECHOKE = 04000, IEXTEN = 0100000,
	VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6,
	VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VWERASE = 14, VEOL2 = 16,
	SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGCONT = 18, SIGTSTP = 20, SIGWINCH = 28,
	TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2,
	/* a packet-mode master's status byte */
	PKTFLUSHREAD = 1, PKTFLUSHWRITE = 2, PKTSTOP = 4, PKTSTART = 8, PKTNOSTOP = 16, PKTDOSTOP = 32,
};

/* A byte of the input queue ends a line (Meol, read with it) or is a
 * VEOF that ends one (Meof, never read). */
enum { Mnone, Meol, Meof };

typedef struct Pty Pty;
struct Pty {
	int n;			/* pts/n; ptys[n] */
	int box;		/* the sandbox it was made in: only its procs find it in pts */
	int ref;		/* Chans; ptylk */
	pthread_mutex_t lk;
	pthread_cond_t cv;	/* any change */
	Kpty m;			/* modes, window, session (inq, arg unused) */
	uchar in[Ptyin];	/* what the slave reads */
	uchar mark[Ptyin];
	int nin, nlines;	/* bytes, line ends queued */
	int edit;		/* in[edit…nin) is the line being edited */
	uchar out[Ptyout];	/* what the master reads */
	int outr, nout;		/* a ring: first byte, count */
	atomic_int nmaster;	/* opens: read under ptylk alone */
	int nslave;
	int slavegone;		/* the slave was open, and its last open went */
	int hungup;		/* the master's last open went */
	int stopped;		/* IXON's VSTOP typed */
	int packet;		/* the master reads in packet mode */
	int perm;		/* ptylk: the slave's permission bits (chmod) */
	int pktstat;		/* PKT bits its next read reports */
	Boxacct *acct;
};

static Pty *ptys[Ptymax];
/* the session each terminal controls, as its m.box, m.sid and m.pgrp:
 * for TIOCSCTTY's look at the others without their locks, and kptyof's */
static struct { int box, sid, pgrp; } owner[Ptymax];
static pthread_mutex_t ptylk = PTHREAD_MUTEX_INITIALIZER;
static Kptysig *ptysig;

/* Signals to send once the terminal's lock is let go. */
typedef struct Sigs Sigs;
struct Sigs {
	int n;
	int box, pgrp[Maxsig], pid[Maxsig], sig[Maxsig];
};

#define PTYN(c)		((int)((c)->qid.path >> 4))
#define PTYPE(c)	((int)((c)->qid.path & 0xF))

/* p (its lk held) controls session sid of sandbox box (0: none) */
static void
setsession(Pty *p, int box, int sid, int pgrp)
{
	p->m.box = box;
	p->m.sid = sid;
	p->m.pgrp = pgrp;
	pthread_mutex_lock(&ptylk);
	owner[p->n].box = box;
	owner[p->n].sid = sid;
	owner[p->n].pgrp = pgrp;
	pthread_mutex_unlock(&ptylk);
}

void
kptysignals(Kptysig *fn)
{
	ptysig = fn;
}

static Qid
ptyqid(int n, int t)
{
	return mkqid((uvlong)n << 4 | t, 0, t == Qdir || t == Qpts ? QTDIR : QTFILE);
}

static void
addsig(Sigs *s, Pty *p, int pgrp, int pid, int sig)
{
	if(s->n >= Maxsig || (pgrp <= 0 && pid <= 0))
		return;
	s->box = p->m.box;
	s->pgrp[s->n] = pgrp;
	s->pid[s->n] = pid;
	s->sig[s->n++] = sig;
}

static void
sendsigs(Sigs *s)
{
	int i;

	for(i = 0; i < s->n; i++)
		if(ptysig != NULL)
			ptysig(s->box, s->pgrp[i], s->pid[i], s->sig[i]);
	s->n = 0;
}

/* Linux's default modes of a new terminal (tty_std_termios, 38400 baud) */
static void
stdmodes(Kpty *m)
{
	static const uchar cc[19] = {
		003, 034, 0177, 025, 004, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0,
	};
	m->iflag = ICRNL | IXON;
	m->oflag = OPOST | ONLCR;
	m->cflag = 017 | 060 | 0200;	/* B38400 CS8 CREAD */
	m->lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	m->line = 0;
	memcpy(m->cc, cc, sizeof m->cc);
}

/* A new terminal, its master's reference held; NULL with the error set
 * past the sandbox's or the kernel's bound. */
static Pty *
newpty(void)
{
	Boxacct *a;
	Pty *p;
	int n;

	a = kboxacct(up);
	pthread_mutex_lock(&ptylk);
	for(n = 0; n < Ptymax && ptys[n] != NULL; n++)
		;
	if(n == Ptymax || (a != NULL && atomic_load(&a->npty) >= Ptybox)){
		pthread_mutex_unlock(&ptylk);
		kboxput(a);
		ksetosErr(ENOSPC);
		return NULL;
	}
	if(a != NULL && kboxmemcharge(a, Ptymem) < 0){
		pthread_mutex_unlock(&ptylk);
		kboxput(a);
		return kseterrp(Enomem);
	}
	p = kzalloc(sizeof *p);
	pthread_mutex_init(&p->lk, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->n = n;
	p->box = up != NULL ? up->box : 0;
	p->ref = 1;
	p->perm = 0620;	/* Linux's devpts default */
	p->acct = a;
	if(a != NULL)
		atomic_fetch_add(&a->npty, 1);
	stdmodes(&p->m);
	p->m.row = 0;
	p->m.col = 0;
	p->m.locked = 1;	/* until unlockpt, as Linux */
	ptys[n] = p;
	pthread_mutex_unlock(&ptylk);
	return p;
}

static void
ptyput(Pty *p)
{
	pthread_mutex_lock(&ptylk);
	if(--p->ref > 0){
		pthread_mutex_unlock(&ptylk);
		return;
	}
	ptys[p->n] = NULL;
	owner[p->n].box = owner[p->n].sid = owner[p->n].pgrp = 0;
	pthread_mutex_unlock(&ptylk);
	if(p->acct != NULL){
		atomic_fetch_sub(&p->acct->npty, 1);
		kboxmemcharge(p->acct, -Ptymem);
		kboxput(p->acct);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->lk);
	free(p);
}

/* Does the current proc find p in pts?  A sandbox's procs find its
 * own terminals (as #p its procs, and as a container's devpts), a
 * proc in none every one. */
static int
ptyvisible(Pty *p)
{
	return up == NULL || up->box == 0 || p->box == up->box;
}

/* The terminal numbered n whose master is open, with a reference; NULL if none. */
static Pty *
ptylookup(int n)
{
	Pty *p;

	if(n < 0 || n >= Ptymax)
		return NULL;
	pthread_mutex_lock(&ptylk);
	p = ptys[n];
	if(p != NULL && p->nmaster > 0 && ptyvisible(p))
		p->ref++;
	else
		p = NULL;
	pthread_mutex_unlock(&ptylk);
	return p;
}

static Chan *
ptyattach(char *spec)
{
	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	return devattach('P', NULL);
}

/* Directory entries: the root's ptmx and pts; pts's numbers, of the
 * terminals whose master is open.  A file's is its parent's listing. */
static int
ptygen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	static _Thread_local char nbuf[16];	/* d->name, until the caller packs d */
	Pty *p;
	int t, n, perm;
	long num;
	char *e;
	(void)tab; (void)ntab;

	t = PTYPE(c);
	if(t == Qdir || t == Qptmx || t == Qmaster){
		if(name != NULL)
			i = strcmp(name, "ptmx") == 0 ? 0 : strcmp(name, "pts") == 0 ? 1 : -1;
		if(i == 0)
			devdir(c, t == Qmaster ? c->qid : ptyqid(0, Qptmx), "ptmx", 0, kern.eve, 0666, d);
		else if(i == 1)
			devdir(c, ptyqid(0, Qpts), "pts", 0, kern.eve, 0755, d);
		else
			return -1;
		return 1;
	}
	if(name != NULL){
		if(strcmp(name, "..") == 0)
			return -1;	/* the root: devwalk's */
		num = strtol(name, &e, 10);	/* a long: 4294967297 is no 1 */
		if(*e != 0 || e == name || (name[0] == '0' && name[1] != 0) || num < 0 || num >= Ptymax)
			return -1;
		i = num;
	}else if(t == Qslave){
		if(i > 0)
			return -1;
		i = PTYN(c);	/* stat of an open slave: itself */
	}
	perm = 0;
	for(; i < Ptymax; i++){
		pthread_mutex_lock(&ptylk);
		p = ptys[i];
		n = p != NULL && ((p->nmaster > 0 && ptyvisible(p)) || (t == Qslave && i == PTYN(c)));
		if(n)
			perm = p->perm;
		pthread_mutex_unlock(&ptylk);
		if(n)
			break;
		if(name != NULL || t == Qslave)
			return -1;
	}
	if(i >= Ptymax)
		return -1;
	snprintf(nbuf, sizeof nbuf, "%d", i);
	devdir(c, ptyqid(i, Qslave), nbuf, 0, kern.eve, perm, d);
	return 1;
}

/* The entry after i in pts: ptygen's i is the terminal number, so a
 * directory read steps through it (Chan.dri) by the numbers found. */
static long
ptydirread(Chan *c, void *buf, long n)
{
	uchar *b = buf;
	long m;
	uint l;
	Dir d;

	m = 0;
	while(ptygen(c, NULL, NULL, 0, c->dri, &d) == 1){
		l = sizeD2M(&d);
		if((long)l > n - m)
			break;
		m += convD2M(&d, b + m, n - m);
		c->dri = PTYPE(c) == Qpts ? (long)(d.qid.path >> 4) + 1 : c->dri + 1;
	}
	if(m == 0 && ptygen(c, NULL, NULL, 0, c->dri, &d) == 1)
		return kseterr(Eshortstat);
	return m;
}

/* Linux's disassociate_ctty at a session leader's exit: the
 * foreground group of the terminal the session controlled gets SIGHUP
 * (a pty's: no SIGCONT), and the terminal is no session's. */
int
kptyof(int box, int sid, int *pgrp)
{
	int i, n;

	n = -1;
	pthread_mutex_lock(&ptylk);
	for(i = 0; i < Ptymax && sid != 0; i++)
		if(ptys[i] != NULL && owner[i].sid == sid && owner[i].box == box){
			n = i;
			if(pgrp != NULL)
				*pgrp = owner[i].pgrp;
			break;
		}
	pthread_mutex_unlock(&ptylk);
	return n;
}

void
kptysessionend(int box, int sid)
{
	Pty *p;
	Sigs s;
	int i;

	if(sid == 0)
		return;
	p = NULL;
	pthread_mutex_lock(&ptylk);
	for(i = 0; i < Ptymax; i++)
		if(ptys[i] != NULL && owner[i].sid == sid && owner[i].box == box){
			p = ptys[i];
			p->ref++;
			break;
		}
	pthread_mutex_unlock(&ptylk);
	if(p == NULL)
		return;
	s.n = 0;
	pthread_mutex_lock(&p->lk);
	if(p->m.sid == sid && p->m.box == box){
		addsig(&s, p, p->m.pgrp, 0, SIGHUP);
		setsession(p, 0, 0, 0);
	}
	pthread_mutex_unlock(&p->lk);
	sendsigs(&s);
	ptyput(p);
}

/* devwalk's, and a walk to pts/N takes a reference to terminal N (a
 * clone of a slave Chan, one more to its terminal). */
static Walkqid *
ptywalk(Chan *c, Chan *nc, char **name, int nname)
{
	Walkqid *wq;
	Chan *wc;
	Pty *p;

	/* A terminal's file has no names under it, not even `..`: refused
	 * here, as devwalk's failure would close a clone that shares c's
	 * reference to the terminal and so drop one never taken. */
	if(c->aux != NULL && nname > 0)
		return kseterrp(Enotdir);
	wq = devwalk(c, nc, name, nname, NULL, 0, ptygen);
	if(wq == NULL || (wc = wq->clone) == NULL)
		return wq;
	if(wc->aux != NULL){
		if(nc != NULL)
			return wq;	/* the caller's clone has its reference */
		pthread_mutex_lock(&ptylk);
		((Pty*)wc->aux)->ref++;
		pthread_mutex_unlock(&ptylk);
	}else if(PTYPE(wc) == Qslave){
		if((p = ptylookup(PTYN(wc))) == NULL){	/* its master went meanwhile */
			if(nc == NULL)
				cclose(wc);
			free(wq);
			return kseterrp(Enonexist);
		}
		wc->aux = p;
	}
	return wq;
}

static int
ptystat(Chan *c, uchar *db, int n)
{
	return devstat(c, db, n, NULL, 0, ptygen);
}

static Chan *
ptyopen(Chan *c, int omode)
{
	Pty *p;

	switch(PTYPE(c)){
	case Qdir:
	case Qpts:
		if((omode & 3) != OREAD)
			return kseterrp(Eisdir);
		break;
	case Qptmx:
		if((p = newpty()) == NULL)
			return NULL;
		atomic_store(&p->nmaster, 1);
		c->aux = p;
		c->qid = ptyqid(p->n, Qmaster);
		break;
	case Qslave:
		p = c->aux;
		pthread_mutex_lock(&p->lk);
		if(p->m.locked || p->hungup){
			pthread_mutex_unlock(&p->lk);
			return kseterrp(Eio);
		}
		p->nslave++;
		p->slavegone = 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->lk);
		pollwakeup();
		break;
	default:
		return kseterrp(Eperm);
	}
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

/* The session's controlling terminal is gone: SIGHUP and SIGCONT to
 * whom Linux sends them (the session leader on a hangup, the
 * foreground group when its leader gives the terminal up). */
static void
dropsession(Pty *p, Sigs *s, int toleader)
{
	if(p->m.sid != 0){
		if(toleader){
			addsig(s, p, 0, p->m.sid, SIGHUP);
			addsig(s, p, 0, p->m.sid, SIGCONT);
		}else{
			addsig(s, p, p->m.pgrp, 0, SIGHUP);
			addsig(s, p, p->m.pgrp, 0, SIGCONT);
		}
	}
	setsession(p, 0, 0, 0);
}

static void
ptyclose(Chan *c)
{
	Pty *p = c->aux;
	Sigs s;

	if(p == NULL)
		return;
	s.n = 0;
	if(c->flag & COPEN){
		pthread_mutex_lock(&p->lk);
		if(PTYPE(c) == Qmaster && atomic_fetch_sub(&p->nmaster, 1) == 1){
			p->hungup = 1;
			dropsession(p, &s, 1);
		}
		if(PTYPE(c) == Qslave && --p->nslave == 0)
			p->slavegone = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->lk);
		pollwakeup();
		sendsigs(&s);
	}
	ptyput(p);
}

/* Output queue, towards the master. */
static int
outroom(Pty *p)
{
	return Ptyout - p->nout;
}

static void
output(Pty *p, int ch)
{
	if(p->nout < Ptyout)
		p->out[(p->outr + p->nout++) % Ptyout] = ch;
}

/* c through output processing (OPOST), if there is room for what it
 * becomes; 0 if not. */
static int
outchar(Pty *p, int ch)
{
	unsigned o = p->m.oflag;

	if(o & OPOST){
		if(ch == '\n' && (o & ONLCR)){
			if(outroom(p) < 2)
				return 0;
			output(p, '\r');
		}else if(ch == '\r' && (o & OCRNL))
			ch = '\n';
	}
	if(outroom(p) < 1)
		return 0;
	output(p, ch);
	return 1;
}

/* Echo: control characters as ^X under ECHOCTL (not tab, newline, START, STOP) */
static int
isctl(int ch)
{
	return (ch < 040 && ch != '\t' && ch != '\n') || ch == 0177;
}

static void
echo(Pty *p, int ch)
{
	if((p->m.lflag & ECHOCTL) && isctl(ch) && ch != p->m.cc[VSTART] && ch != p->m.cc[VSTOP]){
		if(outroom(p) >= 2){
			output(p, '^');
			output(p, ch ^ 0100);
		}
		return;
	}
	outchar(p, ch);
}

/* ECHOE's erasure of the last character edited */
static void
erase1(Pty *p)
{
	int ch, w;

	ch = p->in[--p->nin];
	if(!(p->m.lflag & ECHO))
		return;
	if(!(p->m.lflag & ECHOE)){
		echo(p, p->m.cc[VERASE]);
		return;
	}
	w = (p->m.lflag & ECHOCTL) && isctl(ch) ? 2 : 1;
	while(w-- > 0 && outroom(p) >= 3){
		output(p, '\b');
		output(p, ' ');
		output(p, '\b');
	}
}

static void
killline(Pty *p)
{
	unsigned l = p->m.lflag;

	if(p->nin == p->edit)
		return;

	if(!(l & ECHO) || !(l & ECHOK) || !(l & ECHOKE) || !(l & ECHOE)){
		p->nin = p->edit;
		if(l & ECHO){
			echo(p, p->m.cc[VKILL]);
			if(l & ECHOK)
				outchar(p, '\n');
		}
		return;
	}
	while(p->nin > p->edit)
		erase1(p);
}

/* A change a packet-mode master hears of: the bits set replace those
 * cleared (Linux's pktstatus) */
static void
pktnote(Pty *p, int set, int clear)
{
	if(p->packet)
		p->pktstat = (p->pktstat & ~clear) | set;
}

/* IXON's output stop and start, for a packet-mode master on each change */
static void
setstopped(Pty *p, int stop)
{
	if(p->stopped == stop)
		return;
	p->stopped = stop;
	pktnote(p, stop ? PKTSTOP : PKTSTART, stop ? PKTSTART : PKTSTOP);
}

/* ^S/^Q flow control as a packet-mode master sees it: on with IXON
 * and the usual characters (Linux's pty_set_termios) */
static int
dostop(unsigned iflag, uchar *cc)
{
	return (iflag & IXON) && cc[VSTOP] == 023 && cc[VSTART] == 021;
}

static void
flushin(Pty *p)
{
	p->nin = p->nlines = p->edit = 0;
}

static void
endline(Pty *p, int ch, int mark)
{
	p->in[p->nin] = ch;
	p->mark[p->nin++] = mark;
	p->nlines++;
	p->edit = p->nin;
}

/*
 * chmod of a slave (screen makes its terminals 0600 or 0620, mesg
 * turns group writes on and off, as on a login's terminal): its
 * permission bits, which its stat shows.  The kernel's user owns every
 * terminal, so nothing else of it changes; times are accepted and not
 * kept.
 */
static int
ptywstat(Chan *c, uchar *db, int n)
{
	char *strs;
	Pty *p;
	Dir d;
	int r;

	if(PTYPE(c) != Qslave)
		return devwstat(c, db, n);
	strs = kmalloc(n);
	r = 0;
	if(convM2D(db, n, &d, strs) == 0)
		r = kseterr(Ebadstat);
	else if(d.name[0] != 0 || d.length != -1 || (d.uid[0] != 0 && strcmp(d.uid, kern.eve) != 0)
	|| (d.gid[0] != 0 && strcmp(d.gid, kern.eve) != 0))
		r = kseterr(Eperm);
	else if((p = ptylookup(PTYN(c))) == NULL)
		r = kseterr(Enonexist);
	else{
		if((d.mode & 0xFFFFFFFFUL) != 0xFFFFFFFFUL){
			pthread_mutex_lock(&ptylk);
			p->perm = d.mode & 0777;
			pthread_mutex_unlock(&ptylk);
		}
		ptyput(p);
	}
	free(strs);
	return r;
}

/* A character typed on the master.  0 if it must wait for room. */
static int
input(Pty *p, int ch, Sigs *s)
{
	unsigned i = p->m.iflag, l = p->m.lflag;
	uchar *cc = p->m.cc;
	int sig, canon;

	if(i & ISTRIP)
		ch &= 0177;
	if(i & IXON){
		if(ch == cc[VSTOP] && ch != 0){
			setstopped(p, 1);
			return 1;
		}
		if(ch == cc[VSTART] && ch != 0){
			setstopped(p, 0);
			return 1;
		}
	}
	if(l & ISIG){
		sig = ch == 0 ? 0 : ch == cc[VINTR] ? SIGINT : ch == cc[VQUIT] ? SIGQUIT : ch == cc[VSUSP] ? SIGTSTP : 0;
		if(sig != 0){
			if(!(l & NOFLSH)){
				flushin(p);
				p->nout = 0;
				pktnote(p, PKTFLUSHREAD | PKTFLUSHWRITE, 0);
			}
			if(i & IXON)
				setstopped(p, 0);
			if(l & ECHO)
				echo(p, ch);
			addsig(s, p, p->m.pgrp, 0, sig);
			return 1;
		}
	}
	if(ch == '\r'){
		if(i & IGNCR)
			return 1;
		if(i & ICRNL)
			ch = '\n';
	}else if(ch == '\n' && (i & INLCR))
		ch = '\r';
	canon = (l & ICANON) != 0;
	if(canon && ch != 0){
		if(ch == cc[VERASE] || ((l & IEXTEN) && ch == cc[VWERASE])){
			if(ch == cc[VERASE]){
				if(p->nin > p->edit)
					erase1(p);
				return 1;
			}
			while(p->nin > p->edit && (p->in[p->nin-1] == ' ' || p->in[p->nin-1] == '\t'))
				erase1(p);
			while(p->nin > p->edit && p->in[p->nin-1] != ' ' && p->in[p->nin-1] != '\t')
				erase1(p);
			return 1;
		}
		if(ch == cc[VKILL]){
			killline(p);
			return 1;
		}
		if(ch == cc[VEOF]){
			if(p->nin >= Ptyin)
				return 0;
			endline(p, ch, Meof);
			return 1;
		}
	}
	if(canon && (ch == '\n' || (ch != 0 && (ch == cc[VEOL] || ch == cc[VEOL2])))){
		if(p->nin >= Ptyin)
			return 0;
		if((l & ECHO) || (ch == '\n' && (l & ECHONL)))
			echo(p, ch);
		endline(p, ch, Meol);
		return 1;
	}
	if(canon && p->nin >= Ptyin - 1){
		if(p->nlines == 0)
			return 1;	/* a full line with no end: dropped, as Linux */
		return 0;
	}
	if(!canon && p->nin >= Ptyin)
		return 0;
	if(l & ECHO)
		echo(p, ch);
	p->in[p->nin] = ch;
	p->mark[p->nin++] = Mnone;
	if(!canon)
		p->edit = p->nin;
	return 1;
}

/* Linux's TIOCINQ of a slave: in canonical mode the bytes of complete
 * lines, less their VEOFs; else all. */
static int
inq(Pty *p)
{
	int i, n;

	if(!(p->m.lflag & ICANON))
		return p->nin;
	n = 0;
	for(i = 0; i < p->edit; i++)
		n += p->mark[i] != Meof;
	return n;
}

/* Bytes a slave reader may take now: a line's in canonical mode (1 for
 * a line that is a VEOF alone), else all that is queued. */
static int
inready(Pty *p)
{
	int i;

	if(!(p->m.lflag & ICANON))
		return p->nin;
	if(p->nlines == 0)
		return 0;
	for(i = 0; i < p->nin && p->mark[i] == Mnone; i++)
		;
	return i + 1;
}

/* Take up to n bytes of the input queue into buf: one line, or what
 * there is.  The count. */
static long
takein(Pty *p, uchar *buf, long n)
{
	long m, used;
	int canon;

	canon = (p->m.lflag & ICANON) != 0;
	m = 0;
	for(used = 0; used < p->nin && m < n; used++){
		if(p->mark[used] == Meof){
			p->nlines--;
			if(canon){
				used++;
				break;
			}
			continue;
		}
		buf[m++] = p->in[used];
		if(p->mark[used] == Meol){
			p->nlines--;
			if(canon){
				used++;
				break;
			}
		}
	}
	memmove(p->in, p->in + used, p->nin - used);
	memmove(p->mark, p->mark + used, p->nin - used);
	p->nin -= used;
	p->edit = p->edit > used ? p->edit - used : 0;
	if(!canon)
		p->edit = p->nin;
	return m;
}

/* takein into the caller's buf, which another thread may take away
 * meanwhile (kcopy), a piece of Ttypiece bytes at a time as Linux's
 * tty_read: it takes a piece and copies it out, and a piece that does
 * not reach the buffer ends the read with the rest of it gone (*fault
 * set); what lies past that piece stays queued for the next read.  The
 * count copied. */
static long
takeout(Pty *p, uchar *buf, long n, int *fault)
{
	uchar tmp[Ttypiece];
	long m, k;
	size_t c;
	int canon, lines;

	canon = (p->m.lflag & ICANON) != 0;
	for(m = 0; m < n; ){
		lines = p->nlines;
		k = takein(p, tmp, n - m < Ttypiece ? n - m : Ttypiece);
		c = kcopy(buf + m, tmp, k);
		m += (long)c;
		if(c < (size_t)k){
			*fault = 1;
			break;
		}
		if(k == 0 || (canon ? p->nlines != lines : p->nin == 0))
			break;	/* the line is done, or the queue empty */
	}
	return m;
}

/* Wait on p (lk held) until woken, or until *until; -1 interrupted. */
static int
ptywait(Pty *p, struct timespec *until)
{
	if(procintr() < 0)
		return -1;
	procsleepuntil(&p->lk, &p->cv, until);
	return 0;
}

static int
passed(struct timespec *until)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec > until->tv_sec || (now.tv_sec == until->tv_sec && now.tv_nsec >= until->tv_nsec);
}

static void
deadline(struct timespec *t, int tenths)
{
	clock_gettime(CLOCK_REALTIME, t);
	t->tv_nsec += (long)(tenths % 10) * 100000000;
	t->tv_sec += tenths / 10 + t->tv_nsec / 1000000000;
	t->tv_nsec %= 1000000000;
}

/*
 * A slave's read.  Canonical: a line, waiting for one.  Otherwise as
 * VMIN and VTIME say (POSIX's four cases): at least min(VMIN, n) bytes;
 * with VTIME, a timer of that many tenths of a second, from the call
 * when VMIN is 0, else from each byte.  Linux's n_tty_read sees the call
 * a piece (Ttypiece) at a time and goes on to the next piece only when
 * the first held VMIN: with VMIN past a piece, a read that could take
 * more returns a piece's worth once it has it (slavelimit).
 */
static long
slavelimit(long vmin, long n)
{
	return vmin > Ttypiece && n > Ttypiece ? Ttypiece : n;
}

static long
slaveread(Pty *p, uchar *buf, long n)
{
	struct timespec until, *tp;
	long m, want, lim;
	int vmin, vtime, fault;

	pthread_mutex_lock(&p->lk);
	tp = NULL;
	m = 0;
	fault = 0;
	for(;;){
		if(p->hungup)
			break;	/* Linux's hung-up file: end of file */
		if(p->m.lflag & ICANON){
			if(inready(p) > 0){
				m = takeout(p, buf, n, &fault);
				break;
			}
		}else{
			vmin = p->m.cc[VMIN];
			vtime = p->m.cc[VTIME];
			lim = slavelimit(vmin, n);
			want = vmin < lim ? vmin : lim;
			if(p->nin > 0 && m < lim){
				m += takeout(p, buf + m, lim - m, &fault);
				if(fault)
					break;
				if(vtime > 0 && vmin > 0){
					deadline(&until, vtime);
					tp = &until;
				}
			}
			if(vmin == 0){
				/* a byte, or none once VTIME has passed */
				if(m > 0 || vtime == 0)
					break;
				if(tp == NULL){
					deadline(&until, vtime);
					tp = &until;
				}
			}else if(m >= want)
				break;
			if(tp != NULL && passed(tp))
				break;
		}
		if(up->nowait){
			pthread_mutex_unlock(&p->lk);
			return m > 0 ? m : kseterr(Eagain);
		}
		if(ptywait(p, tp) < 0){
			pthread_mutex_unlock(&p->lk);
			return m > 0 ? m : -1;
		}
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	return m == 0 && fault ? ksetosErr(EFAULT) : m;
}

/* The master's read: what the slave wrote, in packet mode after a 0
 * byte, or the status byte alone */
static long
masterread(Pty *p, uchar *buf, long n)
{
	uchar tmp[Ttypiece];
	size_t c;
	long m, k;
	int fault;

	pthread_mutex_lock(&p->lk);
	while(p->nout == 0 && !(p->packet && p->pktstat)){
		if(p->slavegone){
			pthread_mutex_unlock(&p->lk);
			return kseterr(Eio);
		}
		if(up->nowait){
			pthread_mutex_unlock(&p->lk);
			return kseterr(Eagain);
		}
		if(ptywait(p, NULL) < 0){
			pthread_mutex_unlock(&p->lk);
			return -1;
		}
	}
	/* taken and copied out a piece at a time (as takeout) */
	m = 0;
	k = 0;
	fault = 0;
	if(p->packet){
		tmp[k++] = p->pktstat;
		if(p->pktstat != 0)
			n = 0;
		p->pktstat = 0;
	}
	for(;;){
		for(; m + k < n && k < Ttypiece && p->nout > 0; k++){
			tmp[k] = p->out[p->outr];
			p->outr = (p->outr + 1) % Ptyout;
			p->nout--;
		}
		c = kcopy(buf + m, tmp, k);
		m += (long)c;
		if(c < (size_t)k){
			fault = 1;
			break;
		}
		if(k == 0 || m >= n || p->nout == 0)
			break;
		k = 0;
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	return m == 0 && fault ? ksetosErr(EFAULT) : m;
}

static long
ptyread(Chan *c, void *buf, long n, vlong off)
{
	(void)off;
	switch(PTYPE(c)){
	case Qdir:
	case Qpts:
		return ptydirread(c, buf, n);
	case Qmaster:
		return n <= 0 ? 0 : masterread(c->aux, buf, n);
	case Qslave:
		return n <= 0 ? 0 : slaveread(c->aux, buf, n);
	}
	return kseterr(Eperm);
}

/*
 * Writes take what there is room for and wait for the rest; one that
 * cannot wait (knowait) or is interrupted returns what it took.
 * master: each byte is typed (input); slave: each is output.
 */
static long
ptywrite(Chan *c, void *buf, long n, vlong off)
{
	Pty *p = c->aux;
	uchar *b = buf;
	long done;
	int master, ok;
	Sigs s;
	(void)off;

	if(PTYPE(c) != Qmaster && PTYPE(c) != Qslave)
		return kseterr(Eperm);
	master = PTYPE(c) == Qmaster;
	s.n = 0;
	done = 0;
	pthread_mutex_lock(&p->lk);
	while(done < n){
		if(!master && p->hungup){
			pthread_mutex_unlock(&p->lk);
			return done > 0 ? done : kseterr(Eio);
		}
		if(master)
			ok = input(p, b[done], &s) || p->nslave == 0;	/* nobody to wait for: dropped */
		else
			ok = !p->stopped && outchar(p, b[done]);
		if(ok){
			done++;
			continue;
		}
		pthread_cond_broadcast(&p->cv);
		if(s.n > 0 || done > 0){
			/* readers and signals see what came before this waits */
			pthread_mutex_unlock(&p->lk);
			pollwakeup();
			sendsigs(&s);
			pthread_mutex_lock(&p->lk);
		}
		if(up->nowait || ptywait(p, NULL) < 0){
			pthread_mutex_unlock(&p->lk);
			if(done > 0)
				return done;
			return up->nowait ? kseterr(Eagain) : -1;
		}
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	sendsigs(&s);
	return n;
}

/* For kpoll.  A slave: readable as a read would not wait (VMIN bytes
 * in non-canonical mode without VTIME, as Linux's poll), hung up once
 * the master is gone.  A master: readable with output queued, hung up
 * once the slave was open and is no longer. */
int
ptyready(Chan *c, int events, int *hostfd)
{
	Pty *p = c->aux;
	int r, want;
	(void)hostfd;

	if(PTYPE(c) != Qmaster && PTYPE(c) != Qslave)
		return events;
	r = 0;
	pthread_mutex_lock(&p->lk);
	if(PTYPE(c) == Qslave){
		want = 1;
		if(!(p->m.lflag & ICANON) && p->m.cc[VTIME] == 0 && p->m.cc[VMIN] > 1)
			want = p->m.cc[VMIN];
		if((events & KPREAD) && (p->hungup || inready(p) >= want))
			r |= KPREAD;
		if((events & KPWRITE) && (p->hungup || (!p->stopped && outroom(p) >= 2)))
			r |= KPWRITE;
		if(p->hungup)
			r |= KPHUP;
	}else{
		if((events & KPREAD) && (p->nout > 0 || p->slavegone || (p->packet && p->pktstat)))
			r |= KPREAD;
		if((events & KPWRITE) && p->nin < Ptyin - 1)
			r |= KPWRITE;
		if(p->slavegone)
			r |= KPHUP;
	}
	pthread_mutex_unlock(&p->lk);
	return r;
}

/* Another terminal controls session box, sid?  ptylk held. */
static int
othercontrols(Pty *p, int box, int sid)
{
	int i;

	for(i = 0; i < Ptymax; i++)
		if(i != p->n && owner[i].sid == sid && owner[i].box == box)
			return 1;
	return 0;
}

static int
ctlop(Chan *c, Pty *p, int op, Kpty *k, Sigs *s)
{
	int master = PTYPE(c) == Qmaster, q, flow;

	switch(op){
	case KPTYGET:
		*k = p->m;
		k->n = p->n;
		k->master = master;
		k->inq = master ? p->nout : inq(p);
		k->packet = p->packet;
		return 0;
	case KPTYSETATTR:
		flow = dostop(k->iflag, k->cc);
		if(flow != dostop(p->m.iflag, p->m.cc))
			pktnote(p, flow ? PKTDOSTOP : PKTNOSTOP, PKTDOSTOP | PKTNOSTOP);
		p->m.iflag = k->iflag;
		p->m.oflag = k->oflag;
		p->m.cflag = k->cflag;
		if(((p->m.lflag ^ k->lflag) & ICANON) && (k->lflag & ICANON) && p->nin > 0 && p->mark[p->nin-1] == Mnone){
			/* what raw mode queued is readable as a line, as Linux's */
			p->mark[p->nin-1] = Meol;
			p->nlines++;
		}
		p->edit = p->nin;
		p->m.lflag = k->lflag;
		p->m.line = k->line;
		memcpy(p->m.cc, k->cc, sizeof p->m.cc);
		if(k->arg){
			flushin(p);
			if(!master)
				pktnote(p, PKTFLUSHREAD, 0);
		}
		if(!(p->m.iflag & IXON))
			setstopped(p, 0);
		return 0;
	case KPTYSETWINSZ:
		if(p->m.row != k->row || p->m.col != k->col || p->m.xpixel != k->xpixel || p->m.ypixel != k->ypixel){
			p->m.row = k->row;
			p->m.col = k->col;
			p->m.xpixel = k->xpixel;
			p->m.ypixel = k->ypixel;
			addsig(s, p, p->m.pgrp, 0, SIGWINCH);
		}
		return 0;
	case KPTYLOCK:
		if(!master)
			return ksetosErr(ENOTTY);
		p->m.locked = k->locked != 0;
		return 0;
	case KPTYSCTTY:	/* on the master too: its slave, as Linux */
		if(p->m.sid == k->sid && p->m.box == k->box)
			return 0;
		/* the look and the claim at once: two terminals never take one session */
		pthread_mutex_lock(&ptylk);
		q = p->m.sid != 0 || othercontrols(p, k->box, k->sid);
		if(!q){
			owner[p->n].box = k->box;
			owner[p->n].sid = k->sid;
			owner[p->n].pgrp = k->pgrp;
		}
		pthread_mutex_unlock(&ptylk);
		if(q)
			return ksetosErr(EPERM);
		p->m.box = k->box;
		p->m.sid = k->sid;
		p->m.pgrp = k->pgrp;
		return 0;
	case KPTYNOTTY:
		if(p->m.sid != k->sid || p->m.box != k->box || p->m.sid == 0)
			return ksetosErr(ENOTTY);
		if(k->arg)
			dropsession(p, s, 0);
		return 0;
	case KPTYSETPGRP:
		if(p->m.sid != k->sid || p->m.box != k->box || p->m.sid == 0)
			return ksetosErr(ENOTTY);
		p->m.pgrp = k->pgrp;
		pthread_mutex_lock(&ptylk);
		owner[p->n].pgrp = k->pgrp;
		pthread_mutex_unlock(&ptylk);
		return 0;
	case KPTYFLUSH:
		if(k->arg < TCIFLUSH || k->arg > TCIOFLUSH)
			return kseterr(Ebadarg);
		/* the master's input is the slave's output */
		if(k->arg != (master ? TCIFLUSH : TCOFLUSH))
			flushin(p);
		if(k->arg != (master ? TCOFLUSH : TCIFLUSH))
			p->nout = 0;
		/* only the slave's flushes are news to the master (Linux's) */
		if(!master)
			pktnote(p, (k->arg != TCOFLUSH ? PKTFLUSHREAD : 0) | (k->arg != TCIFLUSH ? PKTFLUSHWRITE : 0), 0);
		return 0;
	case KPTYPACKET:
		if(!master)
			return ksetosErr(ENOTTY);
		if(k->arg && !p->packet)
			p->pktstat = 0;
		p->packet = k->arg != 0;
		return 0;
	}
	return kseterr(Ebadarg);
}

/* A terminal's state, read or set for a personality's ioctl on fd:
 * 0, or -1 with the error set (Enotty: fd is no terminal of #P). */
int
kptyctl(int fd, int op, Kpty *k)
{
	Chan *c;
	int r;

	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	r = ptyctlchan(c, op, k);
	cclose(c);
	return r;
}

/* kptyctl's, of an open file in hand (kfileptyctl: a read's or
 * write's, taken once) */
int
ptyctlchan(Chan *c, int op, Kpty *k)
{
	Pty *p;
	Sigs s;
	int r;

	if(devtab[c->type]->dc != 'P' || (PTYPE(c) != Qmaster && PTYPE(c) != Qslave))
		return ksetosErr(ENOTTY);
	p = c->aux;
	s.n = 0;
	pthread_mutex_lock(&p->lk);
	if(PTYPE(c) == Qslave && p->hungup)
		r = ksetosErr(op == KPTYSETPGRP ? ENOTTY : EIO);	/* Linux's hung-up file */
	else
		r = ctlop(c, p, op, k, &s);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	sendsigs(&s);
	return r;
}

Dev ptydevtab = {
	.dc = 'P', .name = "pty",
	.attach = ptyattach, .walk = ptywalk, .stat = ptystat, .open = ptyopen,
	.create = devcreate, .close = ptyclose, .read = ptyread, .write = ptywrite,
	.remove = devremove, .wstat = ptywstat,
};
