/*
 * syssig.c — Linux signals: actions, masks, kill, and delivery.  A
 * signal is made pending on a thread or its process; the thread sees it
 * when vx_run returns (vx_stop makes a running guest return soon) and
 * either takes the default action or gets a Linux i386 signal frame on
 * its stack and runs the handler.  sigreturn reads the frame back and
 * trusts nothing in it: only the general registers, the user-visible
 * eflags bits, TLS selectors the guest could load anyway, and x87/SSE
 * state with reserved MXCSR bits cleared come back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum {
	LSA_SIGINFO = 4, LSA_ONSTACK = 0x08000000, LSA_RESTART = 0x10000000,
	LSA_NODEFER = 0x40000000, LSA_RESETHAND = 0x80000000, LSA_RESTORER = 0x04000000,
	LSIG_DFL = 0, LSIG_IGN = 1,
	LSIG_BLOCK = 0, LSIG_UNBLOCK = 1, LSIG_SETMASK = 2,
	KSIGACTION = 20,
	SCSIZE = 88,		/* struct sigcontext */
	/* struct _fpstate_32: the i387 (fsave) form, then the FXSAVE area */
	FPLEGACY = 112, FXSIZE = 512, FPSIZE = FPLEGACY + FXSIZE,
	/* where the guest has AVX, the FXSAVE area is the start of an XSAVE
	 * image: its software bytes (at 464) say so, the XSAVE header
	 * follows, then the AVX part (ymm upper halves), then magic2 */
	FPSW = 464, XHDR = 512, XYMM = 576, XSIZE = 832, XMAGIC1 = 0x46505853,
	XMAGIC2 = 0x46505845, XFEAT = 7, FPXSIZE = FPLEGACY + XSIZE + 4,
	/* struct rt_sigframe */
	RT_INFO = 16, RT_UC = 144, RT_RETCODE = 260, RT_SIZE = 268,
	UC_MCONTEXT = 20, UC_SIGMASK = 108,
	/* struct sigframe */
	SF_SC = 8, SF_EXTRAMASK = 96, SF_RETCODE = 100, SF_SIZE = 108,
	USERFLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000,	/* CF PF AF ZF SF TF DF OF AC */
	/* the selectors the guest reads from %cs and %ds %es %ss (libvx:
	 * flatsel), which are an x86-64 kernel's, not an i386 one's 0x73 0x7b */
	LUSER_CS = 0x23, LUSER_DS = 0x2b,
	SIGINFOSIZE = 128,
	/* sigaltstack's stack_t: ss_sp, ss_flags, ss_size */
	SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1u << 31,
	MINSIGSTKSZ = 2048, STACKTSIZE = 12,
};

static uint64_t
sigbit(int sig)
{
	return 1ull << (sig - 1);
}

static const uint64_t unblockable = (1ull << (LSIGKILL - 1)) | (1ull << (LSIGSTOP - 1));

/*
 * Pending signals: a standard one is a bit, with its first sender's
 * siginfo (a second instance merges); a real-time one (LSIGRTMIN up)
 * is a bit while any instance of it is queued, each with its own
 * sender, taken oldest first.  Instances are counted over the sandbox
 * (Linux counts a user's) against the target's RLIMIT_SIGPENDING, at
 * most SIGQMAX: a guest cannot grow host memory by queuing.
 */
static int
isrt(int sig)
{
	return sig >= LSIGRTMIN;
}

/* With glk held: may p queue one more instance? */
static int
sigroom(Lproc *p)
{
	uint64_t lim;

	if(p->lbox == NULL)
		return 0;
	lim = p->rlim[RLSIGPENDING][0];
	if(lim > SIGQMAX)
		lim = SIGQMAX;
	return (uint64_t)atomic_load(&p->lbox->sigqueued) < lim;
}

static void
rtqfree(Lproc *p, Sigq *e)
{
	if(p->lbox != NULL)
		atomic_fetch_sub(&p->lbox->sigqueued, 1);
	free(e);
}

/* With glk held: sig from w made pending in pend, who, q (p's or one of
 * its threads').  Past the limit a real-time signal stays pending
 * without its siginfo (Linux: kill's, the kernel's), or, sent with
 * siginfo of its own (sigqueue, tgkill), is refused: -EAGAIN.  A POSIX
 * timer's always queues: Linux allocates its instance with the timer. */
static long
enqueue(Lproc *p, uint64_t *pend, Sigwho *who, Rtq *q, int sig, Sigwho *w)
{
	Sigq *e;
	int timer;

	if(!isrt(sig)){
		if(!(*pend & sigbit(sig))){
			*pend |= sigbit(sig);
			sigchanged(p);
			who[sig] = *w;
		}
		return 0;
	}
	timer = w->code == LSI_TIMER && w->timerid >= 0;	/* ours, not a sigqueue's SI_TIMER */
	e = NULL;
	if((timer || sigroom(p)) && (e = malloc(sizeof *e)) != NULL){
		e->next = NULL;
		e->sig = sig;
		e->w = *w;
		if(q->first == NULL)
			q->first = e;
		else
			q->last->next = e;
		q->last = e;
		if(p->lbox != NULL)
			atomic_fetch_add(&p->lbox->sigqueued, 1);
	}
	if(e == NULL && !timer && w->code != LSI_USER && w->code != LSI_KERNEL)
		return -EAGAIN;
	*pend |= sigbit(sig);
	sigchanged(p);
	return 0;
}

/* With glk held: q's instance e (after prev) is taken off; the bit goes
 * when no other instance of its signal is queued. */
static void
unlinkq(Lproc *p, uint64_t *pend, Rtq *q, Sigq *prev, Sigq *e)
{
	Sigq *x;
	int sig;

	sig = e->sig;
	if(prev == NULL)
		q->first = e->next;
	else
		prev->next = e->next;
	if(q->last == e)
		q->last = prev;
	for(x = e->next; x != NULL && x->sig != sig; x = x->next)
		;
	if(x == NULL)
		*pend &= ~sigbit(sig);
	rtqfree(p, e);
}

/* With glk held: take pending sig off pend, who, q, its sender into *w;
 * a real-time one whose siginfo was lost reads as kill's from outside
 * (Linux's SI_USER with pid and uid 0). */
static void
dequeue(Lproc *p, uint64_t *pend, Sigwho *who, Rtq *q, int sig, Sigwho *w)
{
	Sigq *e, *prev;

	if(!isrt(sig)){
		*pend &= ~sigbit(sig);
		*w = who[sig];
		return;
	}
	prev = NULL;
	for(e = q->first; e != NULL && e->sig != sig; e = e->next)
		prev = e;
	if(e == NULL){
		*pend &= ~sigbit(sig);
		*w = (Sigwho){ .code = LSI_USER };
		return;
	}
	*w = e->w;
	unlinkq(p, pend, q, prev, e);
}

/* With glk held: every instance of the signals of set dropped from
 * pend and q. */
static void
flushq(Lproc *p, uint64_t *pend, Rtq *q, uint64_t set)
{
	Sigq *e, *prev, *next;

	*pend &= ~set;
	prev = NULL;
	for(e = q->first; e != NULL; e = next){
		next = e->next;
		if(set & sigbit(e->sig))
			unlinkq(p, pend, q, prev, e);
		else
			prev = e;
	}
}

/* With glk held: t's pending signals (t non-NULL: a thread ending), or
 * p's own, dropped. */
void
sigflush(Lproc *p, Lthread *t)
{
	if(t != NULL)
		flushq(p, &t->pending, &t->rtq, ~0ull);
	else
		flushq(p, &p->pending, &p->rtq, ~0ull);
}

/* With glk held: is sig from POSIX timer timerid pending on t (when
 * not NULL) or p?  drop: it is dropped too. */
static int
fromtimer(Lproc *p, uint64_t *pend, Sigwho *who, Rtq *q, int sig, int timerid, int drop)
{
	Sigq *e, *prev;

	if(!(*pend & sigbit(sig)))
		return 0;
	if(!isrt(sig)){
		if(who[sig].code != LSI_TIMER || who[sig].timerid != timerid)
			return 0;
		if(drop)
			*pend &= ~sigbit(sig);
		return 1;
	}
	prev = NULL;
	for(e = q->first; e != NULL; prev = e, e = e->next)
		if(e->sig == sig && e->w.code == LSI_TIMER && e->w.timerid == timerid){
			if(drop)
				unlinkq(p, pend, q, prev, e);
			return 1;
		}
	return 0;
}

int
sigfromtimer(Lproc *p, Lthread *t, int sig, int timerid, int drop)
{
	if(t != NULL && fromtimer(p, &t->pending, t->who, &t->rtq, sig, timerid, drop))
		return 1;
	return fromtimer(p, &p->pending, p->who, &p->rtq, sig, timerid, drop);
}

/* Signals whose default action is to do nothing (and those that stop
 * or continue a process, which postsigwho acts on when they come). */
int
sigdefaultignored(int sig)
{
	switch(sig){
	case LSIGCHLD: case LSIGCONT: case LSIGURG: case LSIGWINCH:
	case LSIGSTOP: case LSIGTSTP: case LSIGTTIN: case LSIGTTOU:
		return 1;
	}
	return 0;
}

static const uint64_t stopsigs = (1ull << (LSIGSTOP - 1)) | (1ull << (LSIGTSTP - 1)) |
	(1ull << (LSIGTTIN - 1)) | (1ull << (LSIGTTOU - 1));

/* With glk held: p's own and its threads' pending signals of set are
 * dropped (a stop signal drops a pending SIGCONT, SIGCONT the stops). */
static void
droppending(Lproc *p, uint64_t set)
{
	Lthread *o;

	flushq(p, &p->pending, &p->rtq, set);
	for(o = p->threads; o != NULL; o = o->next)
		flushq(p, &o->pending, &o->rtq, set);
}

/* With glk held: p stopped or went on; its parent can wait for that
 * (waitst), and has SIGCHLD unless its action says SA_NOCLDSTOP. */
static void
tellparent(Lproc *p, int code, int sig, int waitst)
{
	enum { LSA_NOCLDSTOP = 1 };

	p->waitst = waitst;
	if(p->parent != NULL && !(p->parent->act[LSIGCHLD].flags & LSA_NOCLDSTOP))
		postsigwho(p->parent, NULL, LSIGCHLD, &(Sigwho){ .code = code, .pid = p->pid,
			.uid = hostuid(), .status = sig });
	pokeall();
}

/* With glk held: job control.  A stop signal's default action stops
 * all of p's threads, each where it next would run guest code
 * (stopwait), a thread blocked in a call when that returns; SIGCONT
 * lets them go on.  SIGKILL ends a stopped process (killproc wakes the
 * waits); other signals wait, pending, for SIGCONT. */
static void
stopproc(Lproc *p, int sig)
{
	Lthread *o;

	droppending(p, sigbit(LSIGCONT));
	if(p->stopsig != 0)
		return;
	p->stopsig = sig;
	sigchanged(p);
	for(o = p->threads; o != NULL; o = o->next)
		vx_stop(o->vx);
	tellparent(p, LCLD_STOPPED, sig, sig << 8 | 0x7f);
}

static void
contproc(Lproc *p)
{
	droppending(p, stopsigs);
	if(p->stopsig == 0)
		return;
	p->stopsig = 0;
	sigchanged(p);
	tellparent(p, LCLD_CONTINUED, LSIGCONT, 0xffff);
}

/* Wait while t's process is stopped. */
void
stopwait(Lthread *t)
{
	pthread_mutex_lock(&glk);
	while(t->p->stopsig != 0 && !t->dying)
		pthread_cond_wait(&gcv, &glk);
	pthread_mutex_unlock(&glk);
}

static int
ignored(Lproc *p, int sig)
{
	uint32_t h;

	h = p->act[sig].handler;
	return h == LSIG_IGN || (h == LSIG_DFL && sigdefaultignored(sig));
}

/* With glk held: a thread of p waiting in lxpoll on a signalfd that
 * reads sig (and could take this one) looks again. */
static void
wakewatchers(Lproc *p, Lthread *t, int sig)
{
	Lthread *o;

	for(o = p->threads; o != NULL; o = o->next)
		if((o->sigwatch & sigbit(sig)) && o->introk && (t == NULL || t == o))
			kif_interrupt(o->kp);
}

/* With glk held: post sig to p, or to its thread t, from w (its
 * siginfo's sender); NULL: from outside the guests (vxinferno's own
 * kill), SI_USER with pid and uid 0, as Linux gives a sender outside
 * the pid namespace. */
long
postsigwho(Lproc *p, Lthread *t, int sig, Sigwho *w)
{
	static Sigwho outside = { .code = LSI_USER };
	Lthread *o;
	long r;

	if(sig < 1 || sig > NSIG || p->zombie || p->exiting)
		return 0;
	if(sig == LSIGKILL){
		killproc(p, sig);
		return 0;
	}
	if(sig == LSIGCONT)
		contproc(p);
	if(t == NULL){
		for(o = p->threads; o != NULL; o = o->next)
			if(!(o->mask & sigbit(sig)))
				break;
		if(o == NULL)
			o = p->threads;
	}else
		o = t;
	/* SIGSTOP, or another stop signal at its default action and not
	 * blocked, stops p now; a blocked one stays pending and, once
	 * unblocked, is ignored (deliver) */
	if((sigbit(sig) & stopsigs) && (sig == LSIGSTOP || (p->act[sig].handler == LSIG_DFL &&
	    o != NULL && !(o->mask & sigbit(sig))))){
		/* but SIGTSTP, SIGTTIN and SIGTTOU do nothing to an
		 * orphaned group (no one to continue it), as Linux's */
		if(sig == LSIGSTOP || !pgrporphaned(p))
			stopproc(p, sig);
		return 0;
	}
	if(ignored(p, sig) && (o == NULL || !(o->mask & sigbit(sig))))
		return 0;
	/* an unblocked default-fatal signal ends the process at once, so
	 * threads blocked in the kernel are woken too; a stopped process
	 * keeps it pending till SIGCONT, as Linux's */
	if(p->act[sig].handler == LSIG_DFL && o != NULL && !(o->mask & sigbit(sig)) && p->stopsig == 0){
		killproc(p, sig);
		return 0;
	}
	if(w == NULL)
		w = &outside;
	if(t != NULL)
		r = enqueue(p, &t->pending, t->who, &t->rtq, sig, w);
	else
		r = enqueue(p, &p->pending, p->who, &p->rtq, sig, w);
	if(r < 0)
		return r;
	wakewatchers(p, t, sig);
	if(o != NULL){
		vx_stop(o->vx);
		/* a handled signal ends a wait in a pipe, the console or poll
		 * with "interrupted": EINTR, or a restart */
		if(!(o->mask & sigbit(sig)) && o->introk)
			kif_interrupt(o->kp);
	}
	pokeall();
	return 0;
}

void
postsig(Lproc *p, Lthread *t, int sig)
{
	postsigwho(p, t, sig, NULL);
}

/* sig to t from itself (SIGPIPE: Linux's send_sig, SI_USER with its own
 * pid and uid); takes glk. */
void
postsigself(Lthread *t, int sig)
{
	Sigwho w = { .code = LSI_USER, .pid = t->p->pid, .uid = hostuid() };

	pthread_mutex_lock(&glk);
	postsigwho(t->p, t, sig, &w);
	pthread_mutex_unlock(&glk);
}

/* The siginfo fields of who after si_signo, si_errno: si_code, then
 * si_pid, si_uid (kill's, and SIGCHLD's with si_status, sigqueue's
 * with si_value), or a POSIX timer's si_timerid, si_overrun, si_value. */
void
putwho(uint8_t *info, Sigwho *w)
{
	put32(info + 8, w->code);
	if(w->code == LSI_TIMER){
		put32(info + 12, w->timerid);
		put32(info + 16, w->overrun);
		put32(info + 20, w->value);
		return;
	}
	put32(info + 12, w->pid);
	put32(info + 16, w->uid);
	if(w->code >= LCLD_EXITED && w->code <= LCLD_CONTINUED)
		put32(info + 20, w->status);
	else if(w->code < 0)
		put32(info + 20, w->value);
}

/* With glk held: take pending sig off t (or its process), with its sender into *w. */
static void
takesig(Lthread *t, int sig, Sigwho *w)
{
	if(t->pending & sigbit(sig))
		dequeue(t->p, &t->pending, t->who, &t->rtq, sig, w);
	else
		dequeue(t->p, &t->p->pending, t->p->who, &t->p->rtq, sig, w);
	if(w->code == LSI_TIMER)
		ptimertaken(t->p, w);
}

/* With glk held: take the lowest pending signal of set (the thread's
 * before the process's, as Linux's dequeue_signal); it, or 0. */
int
sigtake(Lthread *t, uint64_t set, Sigwho *w)
{
	uint64_t got;
	int sig;

	if((got = t->pending & set) == 0 && (got = t->p->pending & set) == 0)
		return 0;
	sig = __builtin_ctzll(got) + 1;
	takesig(t, sig, w);
	return sig;
}

/*
 * Around a k* call that may wait where Linux lets a signal end the wait
 * (pipes, the console, poll and select).  Other calls — files, 9P — are
 * never interrupted, as Linux's disk and 9P waits are not (only a kill
 * ends them).  A signal that came just before intrbegin interrupts at
 * once, so none is missed.
 */
void
intrbegin(Lthread *t)
{
	pthread_mutex_lock(&glk);
	t->introk = 1;
	if(interrupted(t))
		kif_interrupt(t->kp);
	pthread_mutex_unlock(&glk);
}

void
intrend(Lthread *t)
{
	pthread_mutex_lock(&glk);
	t->introk = 0;
	pthread_mutex_unlock(&glk);
}

/*
 * intrbegin for a read or write of a pipe, the console, a terminal or
 * a socket (sysfile.c rw), without glk where no signal can be pending
 * and unblocked: none was when deliver last held glk (it delivers or
 * leaves blocked all it finds), the mask is what it was then, and none
 * came since (p->sigseq unchanged).  A poster bumps sigseq (enqueue)
 * before it reads introk (postsigwho); this thread stores introk
 * before it reads sigseq, both sequentially consistent: either the
 * poster sees introk and interrupts the wait, or this thread sees the
 * bump and looks under glk as intrbegin does.  Only for those calls:
 * the non-signal wakers (evwake, epchanged, pidfdwake) are for waits
 * that set introk under glk with their state, and stay so.
 */
void
intrbeginio(Lthread *t)
{
	t->introk = 1;
	if(atomic_load(&t->p->sigseq) == t->sigseen && t->mask == t->maskseen)
		return;
	pthread_mutex_lock(&glk);
	if(interrupted(t))
		kif_interrupt(t->kp);
	pthread_mutex_unlock(&glk);
}

/* A poster that read introk before this store interrupts a wait that
 * is over: the interrupt stays till deliver's settled (or
 * deliverquiet) clears it, which the call's return reaches before any
 * other call's wait (rw makes no other wait after it). */
void
intrendio(Lthread *t)
{
	t->introk = 0;
}

/* With glk held, on the way back to guest code: an interrupt sent for a
 * signal that has been delivered must not fail a later call. */
static void
settled(Lthread *t)
{
	if(((t->pending | t->p->pending) & ~t->mask) == 0)
		kif_clearinterrupt(t->kp);
}

/* A trap's signal: delivered if handled and not blocked, else fatal. */
void
forcesig(Lthread *t, int sig)
{
	Lproc *p;

	p = t->p;
	pthread_mutex_lock(&glk);
	if(p->act[sig].handler > LSIG_IGN && !(t->mask & sigbit(sig))){
		t->pending |= sigbit(sig);
		t->who[sig] = (Sigwho){ .code = LSI_KERNEL };
		sigchanged(p);
	}else
		killproc(p, sig);
	pthread_mutex_unlock(&glk);
}

/* execve: handled signals go back to their defaults. */
void
sigexec(Lproc *p)
{
	int i;

	for(i = 1; i <= NSIG; i++)
		if(p->act[i].handler != LSIG_IGN)
			memset(&p->act[i], 0, sizeof p->act[i]);
}

static void
putsigcontext(Lthread *t, uint8_t *sc, uint32_t fpaddr, uint64_t oldmask)
{
	Vx *vx;

	vx = t->vx;
	memset(sc, 0, SCSIZE);
	put16(sc + 0, vx_getseg(vx, 0));
	put16(sc + 4, vx_getseg(vx, 1));
	put16(sc + 8, LUSER_DS);
	put16(sc + 12, LUSER_DS);
	put32(sc + 16, vx_getreg(vx, VX_EDI));
	put32(sc + 20, vx_getreg(vx, VX_ESI));
	put32(sc + 24, vx_getreg(vx, VX_EBP));
	put32(sc + 28, vx_getreg(vx, VX_ESP));
	put32(sc + 32, vx_getreg(vx, VX_EBX));
	put32(sc + 36, vx_getreg(vx, VX_EDX));
	put32(sc + 40, vx_getreg(vx, VX_ECX));
	put32(sc + 44, vx_getreg(vx, VX_EAX));
	put32(sc + 56, vx_getreg(vx, VX_EIP));
	put16(sc + 60, LUSER_CS);
	put32(sc + 64, vx_getreg(vx, VX_EFLAGS));
	put32(sc + 68, vx_getreg(vx, VX_ESP));
	put16(sc + 72, LUSER_DS);
	put32(sc + 76, fpaddr);
	put32(sc + 80, (uint32_t)oldmask);
}

/* Is sp on t's alternate signal stack?  Never while SS_AUTODISARM
 * has set it aside (Linux's on_sig_stack). */
static int
onaltstack(Lthread *t, uint32_t sp)
{
	if(t->altflags & SS_AUTODISARM)
		return 0;
	return sp > t->altsp && sp - t->altsp <= t->altsize;
}

/* sigaltstack's ss_flags for a thread at sp: SS_DISABLE with no
 * alternate stack, SS_ONSTACK on it, else 0 (Linux's sas_ss_flags). */
static int
altflags(Lthread *t, uint32_t sp)
{
	if(t->altsize == 0)
		return SS_DISABLE;
	return onaltstack(t, sp) ? SS_ONSTACK : 0;
}

/* Set t's alternate stack from the stack_t ss, t being at sp. */
static long
setaltstack(Lthread *t, uint8_t *ss, uint32_t sp)
{
	uint32_t base, size, flags, mode;

	base = get32(ss);
	flags = get32(ss + 4);
	size = get32(ss + 8);
	if(onaltstack(t, sp))
		return -EPERM;
	mode = flags & ~(uint32_t)SS_AUTODISARM;
	if(mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
		return -EINVAL;
	if(mode == SS_DISABLE)
		base = size = 0;
	else if(size < MINSIGSTKSZ)
		return -ENOMEM;
	t->altsp = base;
	t->altsize = size;
	t->altflags = flags;
	return 0;
}

/*
 * Linux i386's _fpstate is the fsave form (control, status and tag
 * words, instruction and operand pointers, the eight registers of 10
 * bytes in stack order, the status again and 0 for "FXSAVE follows"),
 * then the FXSAVE area, which SSE handlers read (mxcsr, xmm).  The
 * pointers are the guest's flat selectors and no instruction address
 * (the saved one is the code cache's).
 */
static int
fptag(const uint8_t *fx, int phys)
{
	int top = (get16(fx + 2) >> 11) & 7;
	const uint8_t *r = fx + 32 + 16 * ((phys - top) & 7);
	uint16_t exp = get16(r + 8) & 0x7fff;
	uint64_t sig;

	if(!(fx[4] & 1 << phys))
		return 3;		/* empty */
	memcpy(&sig, r, 8);
	if(exp == 0x7fff)
		return 2;		/* special: NaN, infinity */
	if(exp == 0)
		return sig == 0 ? 1 : 2;	/* zero, or denormal */
	return (sig >> 63) ? 0 : 2;	/* valid, or unnormal */
}

/* The XSAVE image's part past the FXSAVE area, as Linux writes it for
 * x87, SSE and AVX state (struct _fpx_sw_bytes at FPSW): the upper halves
 * of ymm0-7, so that sigreturn puts back what the handler changed. */
static void
putxstate(uint8_t *x, const uint8_t *ymmh)
{
	put32(x + FPSW, XMAGIC1);
	put32(x + FPSW + 4, FPXSIZE);		/* extended_size: all of _fpstate */
	put64(x + FPSW + 8, XFEAT);		/* xfeatures */
	put32(x + FPSW + 16, XSIZE);		/* xstate_size */
	memset(x + XHDR, 0, XSIZE - XHDR);
	put64(x + XHDR, XFEAT);			/* xstate_bv */
	memcpy(x + XYMM, ymmh, 128);
	put32(x + XSIZE, XMAGIC2);
}

/* sigreturn: the upper halves from an XSAVE image that says it holds
 * them, else their initial state (zero), as Linux's. */
static void
getxstate(uint8_t *ymmh, const uint8_t *x)
{
	memset(ymmh, 0, 128);
	if(x == NULL || get32(x + FPSW) != XMAGIC1 || get32(x + FPSW + 16) != XSIZE ||
	   get32(x + XSIZE) != XMAGIC2 || !(get32(x + FPSW + 8) & 4) || !(get32(x + XHDR) & 4))
		return;
	memcpy(ymmh, x + XYMM, 128);
}

static void
putfpstate(uint8_t *fp, const uint8_t *fx)
{
	uint32_t tag = 0;
	int i;

	memset(fp, 0, FPLEGACY);
	memcpy(fp + FPLEGACY, fx, FXSIZE);
	memset(fp + FPLEGACY + FPSW, 0, FXSIZE - FPSW);	/* no xstate follows */
	/* fxsave's FIP, and its selectors, which are the host's (the long
	 * engine's 0x33, compat's LDT data selector): 0 as in an x86-64
	 * Linux's frame (its 64-bit form's upper halves of FIP and FDP) */
	put32(fp + FPLEGACY + 8, 0);
	put32(fp + FPLEGACY + 12, 0);
	put32(fp + FPLEGACY + 20, 0);
	for(i = 0; i < 8; i++)
		tag |= (uint32_t)fptag(fx, i) << 2 * i;
	put32(fp + 0, 0xffff0000u | get16(fx + 0));
	put32(fp + 4, 0xffff0000u | get16(fx + 2));
	put32(fp + 8, 0xffff0000u | tag);
	put32(fp + 12, 0);
	put32(fp + 16, 0x23u | (uint32_t)(get16(fx + 6) & 0x7ff) << 16);
	put32(fp + 20, get32(fx + 16));
	put32(fp + 24, 0xffff0000u | 0x2b);
	for(i = 0; i < 8; i++)
		memcpy(fp + 28 + 10 * i, fx + 32 + 16 * i, 10);
	put16(fp + 108, get16(fx + 2));
	put16(fp + 110, 0);				/* X86_FXSR_MAGIC */
}

/* sigreturn: the FXSAVE area, with the fsave form's x87 state over it
 * (a handler changes the control or status word there, as on Linux). */
static void
getfpstate(uint8_t *fx, const uint8_t *fp)
{
	uint32_t tag = get32(fp + 8);
	int i;

	memcpy(fx, fp + FPLEGACY, FXSIZE);
	put16(fx + 0, (uint16_t)get32(fp + 0));
	put16(fx + 2, (uint16_t)get32(fp + 4));
	fx[4] = 0;
	for(i = 0; i < 8; i++)
		if(((tag >> 2 * i) & 3) != 3)
			fx[4] |= (uint8_t)(1 << i);
	put16(fx + 6, (uint16_t)(get32(fp + 16) >> 16) & 0x7ff);
	put32(fx + 8, get32(fp + 12));
	put32(fx + 16, get32(fp + 20));
	for(i = 0; i < 8; i++)
		memcpy(fx + 32 + 16 * i, fp + 28 + 10 * i, 10);
}

/* Build the frame for sig with action act; 0 on success, -1 if the
 * stack cannot take it. */
static int
setupframe(Lthread *t, int sig, Sigact *act, uint64_t oldmask, Sigwho *w)
{
	static const uint8_t rtcode[8] = { 0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0 };
	static const uint8_t code[8] = { 0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80 };
	uint32_t sp, fpaddr, frame, size, fpsize;
	uint8_t *f, *fp, *ymmh;
	int rt;

	rt = (act->flags & LSA_SIGINFO) != 0;
	size = rt ? RT_SIZE : SF_SIZE;
	ymmh = vx_ymmstate(t->vx);
	fpsize = ymmh != NULL ? FPXSIZE : FPSIZE;
	sp = vx_getreg(t->vx, VX_ESP);
	if((act->flags & LSA_ONSTACK) && altflags(t, sp) == 0)
		sp = t->altsp + t->altsize;
	if(sp < fpsize + size + 64)
		return -1;
	fpaddr = ((sp - (fpsize - FPLEGACY)) & ~63u) - FPLEGACY;	/* the FXSAVE area 64-aligned, as Linux's */
	frame = (((fpaddr - size) + 4) & ~15u) - 4;
	f = gmem(t, frame, fpaddr + fpsize - frame, VX_PROT_WRITE);
	if(f == NULL)
		return -1;
	fp = f + (fpaddr - frame);
	putfpstate(fp, vx_fpstate(t->vx));
	if(ymmh != NULL)
		putxstate(fp + FPLEGACY, ymmh);
	put32(f + 4, sig);
	if(rt){
		put32(f, (act->flags & LSA_RESTORER) ? act->restorer : frame + RT_RETCODE);
		put32(f + 8, frame + RT_INFO);
		put32(f + 12, frame + RT_UC);
		memset(f + RT_INFO, 0, RT_UC - RT_INFO);
		put32(f + RT_INFO, sig);
		putwho(f + RT_INFO, w);
		if(sig == t->fltsig){
			/* the fault that raised it (guest.c's faultinfo) */
			put32(f + RT_INFO + 8, t->fltcode);
			put32(f + RT_INFO + 12, t->fltaddr);
		}
		memset(f + RT_UC, 0, UC_MCONTEXT);
		/* uc_stack: the alternate stack as set, which sigreturn
		 * sets again */
		put32(f + RT_UC + 8, t->altsp);
		put32(f + RT_UC + 12, t->altsize == 0 ? SS_DISABLE : t->altflags);
		put32(f + RT_UC + 16, t->altsize);
		putsigcontext(t, f + RT_UC + UC_MCONTEXT, fpaddr, oldmask);
		put64(f + RT_UC + UC_SIGMASK, oldmask);
		memcpy(f + RT_RETCODE, rtcode, 8);
		vx_setreg(t->vx, VX_EDX, frame + RT_INFO);
		vx_setreg(t->vx, VX_ECX, frame + RT_UC);
	}else{
		put32(f, (act->flags & LSA_RESTORER) ? act->restorer : frame + SF_RETCODE);
		putsigcontext(t, f + SF_SC, fpaddr, oldmask);
		put32(f + SF_EXTRAMASK, (uint32_t)(oldmask >> 32));
		memcpy(f + SF_RETCODE, code, 8);
		vx_setreg(t->vx, VX_EDX, 0);
		vx_setreg(t->vx, VX_ECX, 0);
	}
	if(sig == t->fltsig)
		t->fltsig = 0;
	if(t->altflags & SS_AUTODISARM)
		t->altsp = t->altsize = t->altflags = 0;
	vx_setreg(t->vx, VX_ESP, frame);
	vx_setreg(t->vx, VX_EIP, act->handler);
	vx_setreg(t->vx, VX_EAX, sig);
	vx_setreg(t->vx, VX_EFLAGS, vx_getreg(t->vx, VX_EFLAGS) & ~(uint32_t)(0x400 | 0x100));
	return 0;
}

/* A call that returned LERESTART: run it again, or report EINTR. */
static void
restartcall(Lthread *t, int handled, uint32_t flags)
{
	uint32_t eax;

	if(!t->restart)
		return;
	t->restart = 0;
	eax = vx_getreg(t->vx, VX_EAX);
	if(eax != (uint32_t)-LERESTART && eax != (uint32_t)-LERESTARTNOINTR)
		return;
	if(handled && !(flags & LSA_RESTART) && eax == (uint32_t)-LERESTART){
		vx_setreg(t->vx, VX_EAX, (uint32_t)-EINTR);
		return;
	}
	vx_setreg(t->vx, VX_EAX, t->nr);
	vx_setreg(t->vx, VX_EIP, vx_getreg(t->vx, VX_EIP) - 2);
}

/*
 * Before running guest code: act on the pending, unblocked signals,
 * a frame for each handled one, lowest first.  Returns -1 when the thread must end, 1 when its process is stopped
 * (the caller waits in stopwait, then asks again).
 */
int
deliver(Lthread *t, long *res)
{
	uint64_t pend, oldmask;
	Sigwho who;
	Lproc *p;
	Sigact act;
	int sig;

	(void)res;
	p = t->p;
	pthread_mutex_lock(&glk);
	t->sigseen = atomic_load(&p->sigseq);	/* stable: bumped under glk */
	for(;;){
		if(t->dying){
			pthread_mutex_unlock(&glk);
			return -1;
		}
		if(p->stopsig != 0){
			pthread_mutex_unlock(&glk);
			return 1;
		}
		pend = (t->pending | p->pending) & ~t->mask;
		if(pend == 0)
			break;
		sig = __builtin_ctzll(pend) + 1;
		takesig(t, sig, &who);
		act = p->act[sig];
		if(act.handler == LSIG_IGN || (act.handler == LSIG_DFL && sigdefaultignored(sig)))
			continue;
		if(act.handler == LSIG_DFL){
			killproc(p, sig);
			pthread_mutex_unlock(&glk);
			return -1;
		}
		restartcall(t, 1, act.flags);
		oldmask = t->restoremask ? t->savedmask : t->mask;
		t->restoremask = 0;
		if(setupframe(t, sig, &act, oldmask, &who) < 0){
			killproc(p, LSIGSEGV);
			pthread_mutex_unlock(&glk);
			return -1;
		}
		t->mask |= act.mask;
		if(!(act.flags & LSA_NODEFER))
			t->mask |= sigbit(sig);
		t->mask &= ~unblockable;
		if(act.flags & LSA_RESETHAND)
			memset(&p->act[sig], 0, sizeof p->act[sig]);
		/* on to the next one the new mask lets through: its frame
		 * goes above this one, so its handler runs first, as
		 * Linux's (exit_to_user_mode_loop) */
	}
	restartcall(t, 0, 0);
	if(t->restoremask){
		t->mask = t->savedmask;
		t->restoremask = 0;
	}
	t->maskseen = t->mask;	/* none of pending unblocked by it (intrbeginio) */
	settled(t);
	pthread_mutex_unlock(&glk);
	return 0;
}

/*
 * With glk held: p's or a thread's pending signals, stop or end
 * changed.  Every such change bumps sigseq, before the vx_stop that
 * makes a running thread look (enqueue, forcesig, stopproc, contproc,
 * killproc, dethread).
 */
void
sigchanged(Lproc *p)
{
	atomic_fetch_add(&p->sigseq, 1);
}

/*
 * deliver's answer without glk, where it is sure to be "nothing to do"
 * (1), for a thread back from a file call (guestloop's quietcall: one
 * that changes no signal mask, handler or saved mask).  deliver acts
 * on t->restart and t->restoremask, its own (this thread's, looked at
 * here), and on pending signals, a stop and an end, which others
 * change, each bumping p->sigseq under glk (sigchanged).  An
 * unchanged sigseq since deliver last held glk means none of those
 * changed since it found nothing in them: the thread's mask is what it
 * was then (a quiet call changes none), so nothing is deliverable.  A
 * change that lands after the load is one that came just after
 * deliver's unlock, as it may today: its poster's vx_stop, after its
 * bump, latches S_STOPREQ, which vx_run looks at before any guest
 * instruction, and the preempted thread goes through deliver whole.
 * settled's clear of the kernel proc's interrupt is made here too:
 * an interrupt a poster sends after the load comes with that vx_stop,
 * so no call begins before deliver has seen its signal.
 */
int
deliverquiet(Lthread *t)
{
	if(t->restart || t->restoremask || atomic_load(&t->p->sigseq) != t->sigseen)
		return 0;
	kif_clearinterrupt(t->kp);
	return 1;
}

/* Restore from the sigcontext at sc and the mask; -1 if unreadable. */
static int
restorectx(Lthread *t, uint32_t scaddr, uint64_t mask)
{
	uint32_t fl, fpaddr;
	uint16_t sel;
	uint8_t *sc, *fp, *mine, *ymmh, *xp;
	Vx *vx;

	vx = t->vx;
	sc = gmem(t, scaddr, SCSIZE, VX_PROT_READ);
	if(sc == NULL)
		return -1;
	vx_setreg(vx, VX_EDI, get32(sc + 16));
	vx_setreg(vx, VX_ESI, get32(sc + 20));
	vx_setreg(vx, VX_EBP, get32(sc + 24));
	vx_setreg(vx, VX_ESP, get32(sc + 28));
	vx_setreg(vx, VX_EBX, get32(sc + 32));
	vx_setreg(vx, VX_EDX, get32(sc + 36));
	vx_setreg(vx, VX_ECX, get32(sc + 40));
	vx_setreg(vx, VX_EAX, get32(sc + 44));
	vx_setreg(vx, VX_EIP, get32(sc + 56));
	fl = vx_getreg(vx, VX_EFLAGS);
	vx_setreg(vx, VX_EFLAGS, (fl & ~(uint32_t)USERFLAGS) | (get32(sc + 64) & USERFLAGS));
	/* %gs and %fs: only selectors vx_setseg accepts (TLS slots) */
	sel = sc[0] | sc[1] << 8;
	if(sel != vx_getseg(vx, 0))
		vx_setseg(vx, 0, sel);
	sel = sc[4] | sc[5] << 8;
	if(sel != vx_getseg(vx, 1))
		vx_setseg(vx, 1, sel);
	/* the mask first, as Linux's: a bad fpstate's SIGSEGV comes under it */
	pthread_mutex_lock(&glk);
	t->mask = mask & ~unblockable;
	pthread_mutex_unlock(&glk);
	fpaddr = get32(sc + 76);
	mine = vx_fpstate(vx);
	ymmh = vx_ymmstate(vx);
	if(fpaddr == 0){	/* none: the FPU's initial state, as Linux's */
		vx_fpinit(mine);
		if(ymmh != NULL)
			memset(ymmh, 0, 128);
		return 0;
	}
	if((fp = gmem(t, fpaddr, FPSIZE, VX_PROT_READ)) == NULL)
		return -1;	/* SIGSEGV, as Linux's */
	getfpstate(mine, fp);
	if(ymmh != NULL){	/* an FXSAVE-only frame: no upper halves */
		xp = gmem(t, fpaddr, FPXSIZE, VX_PROT_READ);
		getxstate(ymmh, xp != NULL ? xp + FPLEGACY : NULL);
	}
	/* reserved MXCSR bits would make FXRSTOR fault in the host */
	put32(mine + 24, get32(mine + 24) & 0xffff);
	return 0;
}

long
sys_rt_sigreturn(Lthread *t, uint32_t *a)
{
	uint32_t frame;
	uint8_t *m, *ss;

	(void)a;
	frame = vx_getreg(t->vx, VX_ESP) - 4;
	m = gmem(t, frame + RT_UC + UC_SIGMASK, 8, VX_PROT_READ);
	if(m == NULL || restorectx(t, frame + RT_UC + UC_MCONTEXT, get64(m)) < 0){
		forcesig(t, LSIGSEGV);
		return NORET;
	}
	/* uc_stack as the handler left it, judged from the restored
	 * stack pointer; a bad one is ignored (Linux's restore_altstack) */
	if((ss = gmem(t, frame + RT_UC + 8, STACKTSIZE, VX_PROT_READ)) != NULL)
		setaltstack(t, ss, vx_getreg(t->vx, VX_ESP));
	return NORET;
}

long
sys_sigreturn(Lthread *t, uint32_t *a)
{
	uint32_t frame;
	uint8_t *sc, *x;
	uint64_t mask;

	(void)a;
	frame = vx_getreg(t->vx, VX_ESP) - 8;
	sc = gmem(t, frame + SF_SC, SCSIZE, VX_PROT_READ);
	x = gmem(t, frame + SF_EXTRAMASK, 4, VX_PROT_READ);
	if(sc == NULL || x == NULL){
		forcesig(t, LSIGSEGV);
		return NORET;
	}
	mask = get32(sc + 80) | (uint64_t)get32(x) << 32;
	if(restorectx(t, frame + SF_SC, mask) < 0)
		forcesig(t, LSIGSEGV);
	return NORET;
}

/* rt_sigaction(sig, act, oact, sigsetsize) */
long
sys_rt_sigaction(Lthread *t, uint32_t *a)
{
	uint8_t *n, *o;
	Sigact na;
	int sig;

	sig = a[0];
	if(a[3] != 8 || sig < 1 || sig > NSIG)
		return -EINVAL;
	n = a[1] ? gmem(t, a[1], KSIGACTION, VX_PROT_READ) : NULL;
	o = a[2] ? gmem(t, a[2], KSIGACTION, VX_PROT_WRITE) : NULL;
	if((a[1] && n == NULL) || (a[2] && o == NULL))
		return -EFAULT;
	if(n != NULL && (sig == LSIGKILL || sig == LSIGSTOP))
		return -EINVAL;
	if(n != NULL){
		na.handler = get32(n);
		na.flags = get32(n + 4);
		na.restorer = get32(n + 8);
		na.mask = get64(n + 12) & ~unblockable;
	}
	pthread_mutex_lock(&glk);
	if(o != NULL){
		put32(o, t->p->act[sig].handler);
		put32(o + 4, t->p->act[sig].flags);
		put32(o + 8, t->p->act[sig].restorer);
		put64(o + 12, t->p->act[sig].mask);
	}
	if(n != NULL){
		t->p->act[sig] = na;
		/* setting SIG_IGN (or a default that ignores) discards pending ones */
		if(ignored(t->p, sig))
			droppending(t->p, sigbit(sig));
	}
	pthread_mutex_unlock(&glk);
	return 0;
}

/* The thread's mask changed by how with set, glk held; SIG_SETMASK
 * replaces only the bits of wide (the old calls' set is the low 32
 * signals'). */
static void
changemask(Lthread *t, uint32_t how, uint64_t set, uint64_t wide)
{
	switch(how){
	case LSIG_BLOCK: t->mask |= set; break;
	case LSIG_UNBLOCK: t->mask &= ~set; break;
	case LSIG_SETMASK: t->mask = (t->mask & ~wide) | set; break;
	}
	t->mask &= ~unblockable;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
long
sys_rt_sigprocmask(Lthread *t, uint32_t *a)
{
	uint64_t set, old;
	uint8_t *n, *o;

	if(a[3] != 8)
		return -EINVAL;
	n = a[1] ? gmem(t, a[1], 8, VX_PROT_READ) : NULL;
	o = a[2] ? gmem(t, a[2], 8, VX_PROT_WRITE) : NULL;
	if((a[1] && n == NULL) || (a[2] && o == NULL))
		return -EFAULT;
	if(n != NULL && a[0] > LSIG_SETMASK)
		return -EINVAL;
	/* the new set is read before the old is written: they may be the
	 * same memory (glibc's pthread_sigmask(how, &s, &s)), as Linux's
	 * copy in comes first */
	set = n != NULL ? get64(n) : 0;
	pthread_mutex_lock(&glk);
	old = t->mask;
	if(n != NULL)
		changemask(t, a[0], set, ~0ull);
	pthread_mutex_unlock(&glk);
	if(o != NULL)
		put64(o, old);
	return 0;
}

/* sigprocmask(how, set, oset): the old call with a 32-bit set, which
 * i386 glibc's getcontext, setcontext and swapcontext still make */
long
sys_sigprocmask(Lthread *t, uint32_t *a)
{
	uint64_t set, old;
	uint8_t *n, *o;

	n = a[1] ? gmem(t, a[1], 4, VX_PROT_READ) : NULL;
	o = a[2] ? gmem(t, a[2], 4, VX_PROT_WRITE) : NULL;
	if((a[1] && n == NULL) || (a[2] && o == NULL))
		return -EFAULT;
	if(n != NULL && a[0] > LSIG_SETMASK)
		return -EINVAL;
	set = n != NULL ? get32(n) : 0;	/* before the old is written, as above */
	pthread_mutex_lock(&glk);
	old = t->mask;
	if(n != NULL)
		changemask(t, a[0], set, 0xffffffffull);
	pthread_mutex_unlock(&glk);
	if(o != NULL)
		put32(o, (uint32_t)old);
	return 0;
}

/* sgetmask() and ssetmask(mask): the oldest calls, the low 32 signals'
 * mask; ssetmask replaces the whole mask */
long
sys_sgetmask(Lthread *t, uint32_t *a)
{
	long r;

	(void)a;
	pthread_mutex_lock(&glk);
	r = (uint32_t)t->mask;
	pthread_mutex_unlock(&glk);
	return r;
}

long
sys_ssetmask(Lthread *t, uint32_t *a)
{
	long r;

	pthread_mutex_lock(&glk);
	r = (uint32_t)t->mask;
	t->mask = a[0] & ~unblockable;
	pthread_mutex_unlock(&glk);
	return r;
}

/* rt_sigpending(set, sigsetsize) and sigpending(set): the blocked
 * signals pending, 8 bytes or the old call's low 4 */
static long
sigpending(Lthread *t, uint32_t addr, int n)
{
	uint8_t *o;
	uint64_t set;

	o = gmem(t, addr, n, VX_PROT_WRITE);
	if(o == NULL)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	set = (t->pending | t->p->pending) & t->mask;
	pthread_mutex_unlock(&glk);
	if(n == 8)
		put64(o, set);
	else
		put32(o, (uint32_t)set);
	return 0;
}

long
sys_rt_sigpending(Lthread *t, uint32_t *a)
{
	if(a[1] != 8)
		return -EINVAL;
	return sigpending(t, a[0], 8);
}

long
sys_sigpending(Lthread *t, uint32_t *a)
{
	return sigpending(t, a[0], 4);
}

/* Sleep until a signal is to be delivered. */
static long
waitsig(Lthread *t)
{
	pthread_mutex_lock(&glk);
	while(!interrupted(t))
		pthread_cond_wait(&gcv, &glk);
	pthread_mutex_unlock(&glk);
	return -EINTR;
}

long
sys_pause(Lthread *t, uint32_t *a)
{
	(void)a;
	return waitsig(t);
}

long
sys_rt_sigsuspend(Lthread *t, uint32_t *a)
{
	uint8_t *n;

	if(a[1] != 8)
		return -EINVAL;
	n = gmem(t, a[0], 8, VX_PROT_READ);
	if(n == NULL)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	t->savedmask = t->mask;
	t->restoremask = 1;
	t->mask = get64(n) & ~unblockable;
	pthread_mutex_unlock(&glk);
	return waitsig(t);
}

/*
 * rt_sigtimedwait(set, info, timeout, sigsetsize): take one pending
 * signal of set (the thread's before the process's, as Linux's
 * dequeue_signal, the lowest of each, a real-time one's oldest
 * instance) without running its handler, waiting for one until the timeout (none: for
 * ever; zero: not at all, EAGAIN).  Another signal that is to be
 * delivered ends the wait with EINTR.  The signals waited for are
 * normally blocked; postsig still makes them pending and wakes gcv.
 * info is the taken instance's sender (a standard signal's first).
 */
static long
sigtimedwait(Lthread *t, uint32_t *a, int wide)
{
	struct timespec dl;
	uint64_t set, got;
	uint8_t *s, *info, *ts;
	Sigwho who;
	long r;
	int poll;

	if(a[3] != 8)
		return -EINVAL;
	s = gmem(t, a[0], 8, VX_PROT_READ);
	if(s == NULL)
		return -EFAULT;
	set = get64(s) & ~unblockable;
	info = NULL;
	if(a[1] != 0 && (info = gmem(t, a[1], SIGINFOSIZE, VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	poll = 0;
	if(a[2] != 0){
		/* looked at before tsdeadline reads it: another thread may
		 * unmap it between the two */
		if((ts = gmem(t, a[2], wide ? 16 : 8, VX_PROT_READ)) == NULL)
			return -EFAULT;
		poll = (wide ? get64(ts) == 0 && get32(ts + 8) == 0 : get32(ts) == 0 && get32(ts + 4) == 0);
		if((r = tsdeadline(t, a[2], wide, 0, 1, &dl)) < 0)
			return r;
	}
	pthread_mutex_lock(&glk);
	for(;;){
		if((got = t->pending & set) != 0 || (got = t->p->pending & set) != 0){
			r = __builtin_ctzll(got) + 1;
			takesig(t, r, &who);
			break;
		}
		if(interrupted(t)){
			r = -EINTR;
			break;
		}
		if(poll){
			r = -EAGAIN;
			break;
		}
		if(a[2] == 0)
			pthread_cond_wait(&gcv, &glk);
		else if(pthread_cond_timedwait(&gcv, &glk, &dl) == ETIMEDOUT)
			poll = 1;	/* look once more, then EAGAIN */
	}
	settled(t);
	pthread_mutex_unlock(&glk);
	if(r > 0 && info != NULL){
		memset(info, 0, SIGINFOSIZE);
		put32(info, r);		/* si_signo; si_errno 0 */
		putwho(info, &who);
	}
	return r;
}

long sys_rt_sigtimedwait(Lthread *t, uint32_t *a) { return sigtimedwait(t, a, 0); }
long sys_rt_sigtimedwait_time64(Lthread *t, uint32_t *a) { return sigtimedwait(t, a, 1); }

/* sigaltstack(ss, old_ss): the thread's alternate stack for handlers
 * with SA_ONSTACK (Go's runtime takes every signal there). */
long
sys_sigaltstack(Lthread *t, uint32_t *a)
{
	uint8_t *ss, *o;
	uint32_t sp, obase, osize;
	int oflags;
	long r;

	ss = NULL;
	if(a[0] != 0 && (ss = gmem(t, a[0], STACKTSIZE, VX_PROT_READ)) == NULL)
		return -EFAULT;
	sp = vx_getreg(t->vx, VX_ESP);
	obase = t->altsp;
	osize = t->altsize;
	oflags = altflags(t, sp) | (t->altflags & SS_AUTODISARM);
	if(ss != NULL && (r = setaltstack(t, ss, sp)) < 0)
		return r;
	if(a[1] != 0){
		o = gmem(t, a[1], STACKTSIZE, VX_PROT_WRITE);
		if(o == NULL)
			return -EFAULT;
		put32(o, obase);
		put32(o + 4, oflags);
		put32(o + 8, osize);
	}
	return 0;
}

static long
killpid(Lthread *t, int32_t pid, int sig)
{
	Sigwho w = { .code = LSI_USER, .pid = t->p->pid, .uid = hostuid() };
	Lproc *p;
	int n;

	if(sig < 0 || sig > NSIG)
		return -EINVAL;
	if(pid == INT32_MIN)	/* no group -pid (as Linux); -pid would overflow */
		return -ESRCH;
	n = 0;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next){
		if(p->zombie || p->box != t->p->box)	/* a sandbox is a pid namespace */
			continue;
		if(pid > 0 ? p->pid != pid : pid == 0 ? p->pgid != t->p->pgid : pid == -1 ? p == t->p : p->pgid != -pid)
			continue;
		n++;
		if(sig != 0)
			postsigwho(p, NULL, sig, &w);
	}
	pthread_mutex_unlock(&glk);
	return n ? 0 : -ESRCH;
}

long
sys_kill(Lthread *t, uint32_t *a)
{
	return killpid(t, a[0], a[1]);
}

/* sig from w to thread tid of process tgid (tgid <= 0: of any), or to
 * process tgid itself (tid 0), both of sandbox box; 0, -ESRCH or
 * -EAGAIN (its queue is full). */
static long
sendsig(int box, int32_t tgid, int32_t tid, int sig, Sigwho *w)
{
	Lthread *o;
	Lproc *p;
	long r;

	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next){
		if(p->zombie || p->box != box || (tgid > 0 && p->pid != tgid))
			continue;
		o = tid > 0 ? findthread(p, tid) : NULL;
		if(tid > 0 && o == NULL)
			continue;
		r = sig != 0 ? postsigwho(p, o, sig, w) : 0;
		pthread_mutex_unlock(&glk);
		return r;
	}
	pthread_mutex_unlock(&glk);
	return -ESRCH;
}

static long
killtid(Lthread *t, int32_t tgid, int32_t tid, int sig)
{
	Sigwho w = { .code = LSI_TKILL, .pid = t->p->pid, .uid = hostuid() };

	if(sig < 0 || sig > NSIG)
		return -EINVAL;
	if(tid <= 0)
		return -EINVAL;
	return sendsig(t->p->box, tgid, tid, sig, &w);
}

long sys_tkill(Lthread *t, uint32_t *a) { return killtid(t, -1, a[0], a[1]); }

/* rt_sigqueueinfo(pid, sig, info) and rt_tgsigqueueinfo(tgid, tid, sig,
 * info): sig with the guest's si_code and si_value, its pid and uid as
 * the sender's (pid 0 reads as the caller).  A process may not pose as
 * the kernel or kill() to another one (Linux: EPERM). */
static long
sigqueue(Lthread *t, int32_t tgid, int32_t tid, int sig, uint32_t addr)
{
	Sigwho w = { .code = 0 };
	uint8_t *info;

	info = gmem(t, addr, SIGINFOSIZE, VX_PROT_READ);
	if(info == NULL)
		return -EFAULT;
	w.code = (int32_t)get32(info + 8);
	w.pid = (int32_t)get32(info + 12);
	w.uid = get32(info + 16);
	w.value = get32(info + 20);
	if((w.code >= 0 || w.code == LSI_TKILL) && tgid != t->p->pid)
		return -EPERM;
	if(sig < 0 || sig > NSIG)
		return -EINVAL;
	if(w.code == LSI_TIMER)
		w.timerid = -1;	/* no timer of ours: ptimertaken leaves it */
	return sendsig(t->p->box, tgid, tid, sig, &w);
}

long
sys_rt_sigqueueinfo(Lthread *t, uint32_t *a)
{
	if((int32_t)a[0] <= 0)
		return -ESRCH;
	return sigqueue(t, a[0], 0, a[1], a[2]);
}

long
sys_rt_tgsigqueueinfo(Lthread *t, uint32_t *a)
{
	if((int32_t)a[0] <= 0 || (int32_t)a[1] <= 0)
		return -EINVAL;
	return sigqueue(t, a[0], a[1], a[2], a[3]);
}
long sys_tgkill(Lthread *t, uint32_t *a) { return killtid(t, a[0], a[1], a[2]); }
