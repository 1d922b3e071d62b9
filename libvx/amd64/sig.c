/*
 * sig.c — host signals while guest code runs.
 *
 * Faults in translated code become precise guest traps: the host pc is
 * mapped back to the guest instruction, the guest registers are taken from
 * the signal context (undoing any spill the translation made), and the
 * context is redirected to the exit stub.  Stop requests and the end of
 * self-modifying-code writes need a clean instruction boundary: when the
 * signal lands elsewhere we single-step (TF) until one is reached.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>
#include "../vxpriv.h"

_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs) + REG_RIP * 8 == 168, "REG_RIP offset");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs) + REG_RAX * 8 == 144, "REG_RAX offset");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs) + REG_RDI * 8 == 104, "REG_RDI offset");

_Thread_local Vx *vx_current;
int vx_stopsig;

void vx_sigwrap(int, siginfo_t *, void *);
void vx_sighandler(int sig, siginfo_t *si, void *ucv);

static struct sigaction oldact[65];
static const int trapsigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };

enum { ALTSTACK = 64 * 1024, TF = 0x100 };

static pthread_mutex_t initlk = PTHREAD_MUTEX_INITIALIZER;	/* vx_siginit's */

int
vx_siginit(char *err)
{
	static int done;
	struct sigaction sa;
	size_t i;

	pthread_mutex_lock(&initlk);
	if(done){
		pthread_mutex_unlock(&initlk);
		return 0;
	}
	vx_stopsig = SIGRTMIN + 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = vx_sigwrap;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, vx_stopsig);
	for(i = 0; i < sizeof trapsigs / sizeof trapsigs[0]; i++)
		if(sigaction(trapsigs[i], &sa, &oldact[trapsigs[i]]) < 0)
			goto fail;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	if(sigaction(vx_stopsig, &sa, &oldact[vx_stopsig]) < 0)
		goto fail;
	done = 1;
	pthread_mutex_unlock(&initlk);
	return 0;
fail:
	pthread_mutex_unlock(&initlk);
	if(err)
		snprintf(err, VX_ERRLEN, "sigaction: %s", strerror(errno));
	return -1;
}

/* Guest esp is not a host address: every thread that runs guests needs
 * an alternate signal stack. */
/* Load the state selector into %fs once per thread (keeping the host's
 * FS base), with signals blocked: between the load and wrfsbase the base
 * is the descriptor's, which no signal handler could use. */
static void
loadstatesel(uint16_t sel)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	__asm__ volatile(
		"rdfsbase %%rax\n\t"
		"mov %0, %%fs\n\t"
		"wrfsbase %%rax"
		: : "r"((uint32_t)sel) : "rax", "memory");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * Each host thread that runs guests gets its own signal stack.  It used
 * to be mapped for good: every guest process spawned (a host thread) left
 * 64 KiB behind, and whatever of it signals had touched.  Now a thread's
 * stack is given up when the thread ends (a key destructor) and kept,
 * eight at most, for the next thread: no munmap (a TLB shootdown
 * in this many-threaded process) and no mmap at a spawn.
 */
static VxKept altspare = { .lk = PTHREAD_MUTEX_INITIALIZER, .max = 8 };

/* Held across a host fork (vx.c, forkhold), the set-up's first: a child
 * forked during the set-up would wait on it for ever; so, on the spare
 * alternate stacks' (a leaf), would one forked beside a thread's end. */
void
vx_sigforkhold(int hold)
{
	if(hold){
		pthread_mutex_lock(&initlk);
		pthread_mutex_lock(&altspare.lk);
	}else{
		pthread_mutex_unlock(&altspare.lk);
		pthread_mutex_unlock(&initlk);
	}
}
static pthread_key_t altkey;
static pthread_once_t altonce = PTHREAD_ONCE_INIT;

/* A signal stack no thread uses: kept, or unmapped. */
static void
altstackkeep(void *sp)
{
	if(vx_keptput(&altspare, sp) < 0)
		munmap(sp, ALTSTACK);
}

/* The thread is ending: its signal stack is no longer its own. */
static void
altstackdone(void *sp)
{
	stack_t ss;

	memset(&ss, 0, sizeof ss);
	ss.ss_flags = SS_DISABLE;
	if(sigaltstack(&ss, NULL) < 0)
		return;	/* still in use (cannot be while the thread exits): leave it */
	altstackkeep(sp);
}

static void
altkeyinit(void)
{
	pthread_key_create(&altkey, altstackdone);
}

static void *
altstacknew(void)
{
	void *p;

	p = vx_kepttake(&altspare);
	if(p != NULL)
		return p;
	p = mmap(NULL, ALTSTACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int
vx_threadinit(uint16_t statesel, char *err)
{
	static _Thread_local int done;
	stack_t ss, old;
	uint16_t cur;

	__asm__ volatile("mov %%fs, %0" : "=r"(cur));
	if(statesel != 0 && cur != statesel)	/* long: FS stays the host's */
		loadstatesel(statesel);
	if(done)
		return 0;
	if(sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) && old.ss_size >= ALTSTACK){
		done = 1;
		return 0;
	}
	pthread_once(&altonce, altkeyinit);
	ss.ss_sp = altstacknew();
	if(ss.ss_sp == NULL)
		goto fail;
	ss.ss_size = ALTSTACK;
	ss.ss_flags = 0;
	if(sigaltstack(&ss, NULL) < 0){
		altstackkeep(ss.ss_sp);
		goto fail;
	}
	pthread_setspecific(altkey, ss.ss_sp);
	done = 1;
	return 0;
fail:
	if(err)
		snprintf(err, VX_ERRLEN, "sigaltstack: %s", strerror(errno));
	return -1;
}

/* Not ours: behave as if we had never been installed. */
static void
chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *o = &oldact[sig];

	if(o->sa_flags & SA_SIGINFO){
		if(o->sa_sigaction){
			o->sa_sigaction(sig, si, uc);
			return;
		}
	}else if(o->sa_handler == SIG_IGN)
		return;
	else if(o->sa_handler != SIG_DFL){
		o->sa_handler(sig);
		return;
	}
	/* default action: reinstate it and let the faulting insn run again,
	 * or re-raise an asynchronous signal */
	signal(sig, SIG_DFL);
	if(si->si_code <= 0)
		raise(sig);
}

static int
regidx(int r)
{
	static const int g[8] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI };
	return g[r & 7];
}

/* The guest's registers at a map point, into the state block. */
static void
saveregs(Vx *vx, greg_t *g, const MapEnt *m)
{
	int r;

	for(r = 0; r < 8; r++)
		ST32(vx, S_REGS + 4 * r) = (uint32_t)g[regidx(r)];
	if(m == NULL)
		return;
	if(m->kind == M_IENTRY){
		ST32(vx, S_REGS + 4 * VX_ECX) = ST32(vx, S_SPILLC);
		if(vx->engine != VX_ENGINE_LONG)	/* the long lookup keeps ebx */
			ST32(vx, S_REGS + 4 * VX_EBX) = ST32(vx, S_SPILLB);
		return;
	}
	if(m->spill & SP_C)
		ST32(vx, S_REGS + 4 * VX_ECX) = ST32(vx, S_SPILLC);
	if(m->spill & SP_R)
		ST32(vx, S_REGS + 4 * (m->spill & 7)) = ST32(vx, S_SPILLR);
	ST32(vx, S_REGS + 4 * VX_ESP) -= m->espadj;
}

/* Leave guest code from the signal context: regs are saved, resume at the
 * 32-bit exit stub, which saves the FPU state and returns to vx_run. */
static void
redirect(Vx *vx, greg_t *g, uint32_t geip)
{
	ST32(vx, S_EXITEIP) = geip;
	ST32(vx, S_EXITCODE) = EXIT_SIGNAL;
	g[REG_RIP] = vx->engine == VX_ENGINE_LONG ? vx_lstub(vx, vxlblob_sigexit) : vx_blobaddr(vxblob_sigexit32);
	g[REG_EFL] &= ~TF;
}

/* Is host pc at a point where the guest state is exact? */
static int
boundary(Vx *vx, uint32_t pc, uint32_t ecx, uint32_t *geip, const MapEnt **mp)
{
	Frag *f = vx_fraghost(vx, pc);
	const MapEnt *m;

	*mp = NULL;
	if(f == NULL)
		return 0;
	m = vx_mapfind(f, pc - f->code);
	if(m == NULL || f->code + m->hoff != pc)
		return 0;
	/* a followed jmp emits no code: its entry and its target's first
	 * instruction's share the point, where the jmp has not run yet (a
	 * step that stopped at the target's passed the jmp unseen) */
	while(m->kind == M_INSN && m > f->map && m[-1].kind == M_INSN && m[-1].hoff == m->hoff)
		m--;
	*mp = m;
	switch(m->kind){
	case M_INSN:
	case M_STUB:
	case M_TAIL:
		*geip = mapgeip(f, m);
		return 1;
	case M_IENTRY:
		*geip = ecx;
		return 1;
	}
	return 0;
}

static void
stopat(Vx *vx, greg_t *g, uint32_t geip, const MapEnt *m, int trap)
{
	saveregs(vx, g, m);
	memset(&vx->sigtrap, 0, sizeof vx->sigtrap);
	vx->sigtrap.trap = trap;
	vx->sigtrap.eip = geip;
	vx->sigresume = trap == 0;
	vx->stepping = 0;
	vx->steptrap = 0;
	vx->tfskip = 0;
	vx->skippc = 0;
	redirect(vx, g, geip);
}

/* A stop or step signal: exit at a boundary, or step towards one. */
static void
stepsig(Vx *vx, greg_t *g, int trap)
{
	uint32_t pc = (uint32_t)g[REG_RIP], geip;
	const MapEnt *m;

	if(boundary(vx, pc, (uint32_t)g[REG_RCX], &geip, &m)){
		if(vx->tfskip && vx->steptrap == VX_TRAP_PREEMPT){
			/* a stop before the stepped instruction began */
			stopat(vx, g, geip, m, VX_TRAP_PREEMPT);
			return;
		}
		if(vx->tfskip){
			vx->tfskip = 0;
			vx->skippc = (uintptr_t)g[REG_RIP];
			vx->skipgeip = geip;
			vx->stepping = 1;
			g[REG_EFL] |= TF;
			return;
		}
		if(vx->skippc != 0 && m->kind == M_INSN && geip == vx->skipgeip && (uintptr_t)g[REG_RIP] != vx->skippc){
			/* the instruction passed has a boundary of its own
			 * inside (a rep's, before its first iteration): past it
			 * too; stepping there again, an iteration ran */
			vx->skippc = (uintptr_t)g[REG_RIP];
			g[REG_EFL] |= TF;
			return;
		}
		stopat(vx, g, geip, m, trap);
		return;
	}
	{
		Frag *f = vx_fraghost(vx, pc);
		const MapEnt *me = f ? vx_mapfind(f, pc - f->code) : NULL;
		if(me && me->kind == M_INNER && (me->spill & SP_TFSKIP) && !vx->stepping && trap == VX_TRAP_SINGLESTEP){
			vx->tfskip = 1;
			vx->tf = 1;	/* the guest's popf set it: kept past any stop */
		}
		if(me && me->kind == M_INNER && (me->spill & SP_RESTART) && trap == VX_TRAP_PREEMPT){
			uintptr_t sp = (uintptr_t)g[REG_RSP];
			stopat(vx, g, mapgeip(f, me), me, trap);
			if(sp >= (uintptr_t)vx->st && sp < (uintptr_t)vx->st + S_SIZE)
				ST32(vx, S_REGS + 4 * VX_ESP) = (uint32_t)g[REG_R8];
			return;
		}
	}
	vx->stepping = 1;
	if(trap && (vx->steptrap == 0 || vx->steptrap == VX_TRAP_SINGLESTEP))
		vx->steptrap = trap;
	g[REG_EFL] |= TF;
}

/* The x86 exception, when the kernel says which. */
enum { X_DE = 0, X_OF = 4, X_BR = 5, X_UD = 6, X_SS = 12, X_GP = 13, X_PF = 14, X_MF = 16, X_AC = 17, X_XM = 19 };

static int
fault2trap(int sig, siginfo_t *si, const VxInsn *in, int trapno)
{
	switch(trapno){
	case X_DE: return VX_TRAP_DIVIDE;
	case X_OF: return VX_TRAP_OVERFLOW;
	case X_BR: return VX_TRAP_BOUND;
	case X_UD: return VX_TRAP_ILLEGAL;
	case X_MF: return VX_TRAP_FPU;
	case X_XM: return VX_TRAP_SIMD;
	case X_AC: return VX_TRAP_ALIGN;
	}
	switch(sig){
	case SIGFPE:
		switch(si->si_code){
		case FPE_INTDIV:
		case FPE_INTOVF:
			return VX_TRAP_DIVIDE;
		}
		return in && in->map != VXM_1 ? VX_TRAP_SIMD : VX_TRAP_FPU;
	case SIGILL:
		return VX_TRAP_ILLEGAL;
	case SIGBUS:
		if(si->si_code == BUS_ADRALN)
			return VX_TRAP_ALIGN;
		return VX_TRAP_PAGEFAULT;
	}
	return VX_TRAP_PAGEFAULT;
}

/* Copy guest bytes without faulting: another guest thread may unmap the
 * page at any moment, and a fault inside this handler would kill the
 * host (SIGSEGV is blocked here).  process_vm_readv reports EFAULT. */
static int
safecopy(uint8_t *dst, const uint8_t *src, size_t n)
{
	struct iovec l = { dst, n }, r = { (void *)src, n };

	return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == (ssize_t)n;
}

/*
 * A long engine stack slot or base+disp8 operand without addr32
 * (translong.c, disp8) that would have wrapped past 0 or 4 GiB faults in
 * the guard within 128 bytes of the window.  Natively that reaches page
 * 0 or the top page, which i386 Linux never maps; a sandbox that maps
 * one (the API allows it) gets the i386 result by translating them with
 * addr32 from then on.  A straddle at 4 GiB faults at the window's end with addr32
 * too: only once, the second fault is the guest's.
 */
static int
stackwrap(Vx *vx, siginfo_t *si, uintptr_t a)
{
	uintptr_t base = (uintptr_t)vx->mem->base;
	uint32_t ga = (uint32_t)(a - base);

	if(vx->engine != VX_ENGINE_LONG || vx->stack67 || si->si_code == SI_KERNEL)
		return 0;
	if(!(a >= base - 128 && a < base) && !(a >= base + (1ull << 32) && a < base + (1ull << 32) + 128))
		return 0;
	return ga < vx->mem->size && (vx->mem->page[ga >> VX_PAGESHIFT] & PG_MAPPED) != 0;
}

/* Does in access the stack implicitly (push, pop, call, ret, leave,
 * enter, pushf, pusha ...: no memory operand, or push and pop of one)? */
static int
stackop(const VxInsn *in)
{
	return !in->hasmem || (in->map == VXM_1 && (in->op == 0x8f || (in->op == 0xff && in->reg == 6)));
}

/* The guest address of in's first stack access. */
static uint32_t
stackslot(Vx *vx, const VxInsn *in)
{
	uint32_t esp = ST32(vx, S_REGS + 4 * VX_ESP);
	int pops = in->map == VXM_1 && ((in->op >= 0x58 && in->op <= 0x5f) || in->op == 0x8f
		|| in->op == 0x9d || in->op == 0xc3 || in->op == 0xc2 || in->op == 0x61);

	if(in->map == VXM_1 && in->op == 0xc9)
		return ST32(vx, S_REGS + 4 * VX_EBP);	/* leave pops at ebp */
	return pops ? esp : esp - 4;
}

/* A fault in translated code. */
static void
guestfault(Vx *vx, int sig, siginfo_t *si, greg_t *g)
{
	uint32_t pc = (uint32_t)g[REG_RIP], regs[8], ea, avail;
	Frag *f = vx_fraghost(vx, pc);
	const MapEnt *m;
	uintptr_t a, base = (uintptr_t)vx->mem->base;
	VxInsn in, *inp = NULL;
	uint8_t code[16];
	int r, trap;

	if(f == NULL || (m = vx_mapfind(f, pc - f->code)) == NULL){
		chain(sig, si, g);	/* stubs do not fault */
		return;
	}
	a = (uintptr_t)si->si_addr;
	if(sig == SIGSEGV && si->si_code == SEGV_ACCERR && a >= base && a < base + vx->mem->size
	&& (g[REG_ERR] & 2) && vxmem_smcfault(vx, (uint32_t)(a - base))){
		/* a write to translated code: now writable; finish the insn, then
		 * leave at the next boundary so stale code stops running */
		vx->stepping = 1;
		g[REG_EFL] |= TF;
		return;
	}
	saveregs(vx, g, m);
	memset(&vx->sigtrap, 0, sizeof vx->sigtrap);
	vx->sigtrap.eip = mapgeip(f, m);
	if((avail = vxmem_sigcodebytes(vx, vx->sigtrap.eip)) > 0
	&& safecopy(code, vx->mem->base + vx->sigtrap.eip, avail)
	&& vx_decode(code, avail, vx->sigtrap.eip, &in) > 0)
		inp = &in;
	trap = fault2trap(sig, si, inp, (int)g[REG_TRAPNO]);
	if(trap == VX_TRAP_PAGEFAULT && stackwrap(vx, si, a)){
		/* run it again from the instruction, translated with addr32 */
		vx->stack67 = 1;
		vx->stackwrapped = 1;
		vx->sigresume = 1;
		vx->stepping = 0;
		redirect(vx, g, mapgeip(f, m));
		return;
	}
	if(trap == VX_TRAP_PAGEFAULT){
		if(vx->engine == VX_ENGINE_LONG && si->si_code != SI_KERNEL && vx_inwindow(vx->mem->base, a)){
			/* guards included: a string instruction ran off an end */
			vx->sigtrap.addr = (uint32_t)(a - base);
			vx->sigtrap.write = (g[REG_ERR] & 2) != 0;
		}else if(a >= base && a < base + vx->mem->size && si->si_code != SI_KERNEL){
			vx->sigtrap.addr = (uint32_t)(a - base);
			vx->sigtrap.write = (g[REG_ERR] & 2) != 0;
		}else if(inp && stackop(inp) && ((g[REG_TRAPNO] == X_SS || sig == SIGBUS)
		|| (sig == SIGSEGV && si->si_code != SI_KERNEL && (uint32_t)a == (uint32_t)(base + stackslot(vx, inp))))){
			/* an implicit stack access (push, call, pop, leave) past the
			 * limit: the stack slot, not a memory operand's address (#SS
			 * is the stack's; the operand's own fault would be #GP).  Or
			 * a page fault outside guest memory at the slot's address
			 * wrapped modulo 4 GiB: a compat guest's slot past 4 GiB where
			 * the CPU checks no limit (QEMU's TCG; doc/testing.md, "Linux
			 * 6.1 and the compat engine") */
			vx->sigtrap.addr = stackslot(vx, inp);
		}else if(inp && inp->hasmem){
			/* a segment limit fault (#GP/#SS) gives no address: compute it */
			for(r = 0; r < 8; r++)
				regs[r] = ST32(vx, S_REGS + 4 * r);
			if(vx_insn_ea(inp, regs, &ea)){
				if(inp->seg == VXS_GS)
					ea += ST32(vx, S_GSBASE);
				else if(inp->seg == VXS_FS)
					ea += ST32(vx, S_FSBASE);
			}
			vx->sigtrap.addr = ea;
			if(ea < vx->mem->size && vx_pageprot(vx, ea) >= 0 && sig == SIGSEGV && si->si_code == SI_KERNEL)
				trap = VX_TRAP_PRIVILEGED;	/* #GP not from the limit */
		}else if(sig == SIGSEGV && si->si_code == SI_KERNEL)
			trap = VX_TRAP_PRIVILEGED;
		if(sig == SIGBUS && si->si_code == BUS_ADRERR && a >= base && a < base + vx->mem->size)
			trap = VX_TRAP_BUSERR;	/* a mapped file's page past its end */
	}
	vx->sigtrap.trap = trap;
	vx->sigresume = 0;
	vx->stepping = 0;
	redirect(vx, g, mapgeip(f, m));
}

/* A signal with the pc in translated code (either engine). */
static void
codesig(Vx *vx, int sig, siginfo_t *si, greg_t *g)
{
	if(sig == vx_stopsig){
		if(ST32(vx, S_STOPREQ))
			stepsig(vx, g, VX_TRAP_PREEMPT);
	}else if(sig == SIGTRAP && (si->si_code == TRAP_TRACE || si->si_code == TRAP_BRKPT || si->si_code == SI_KERNEL))
		stepsig(vx, g, vx->stepping ? (vx->steptrap ? vx->steptrap : 0) : VX_TRAP_SINGLESTEP);
	else
		guestfault(vx, sig, si, g);
}

/* Host code faulted: on guest memory (vxmem_hostfault), or SIGBUS on a
 * cache file mapped and truncated since (vx_tcbus)?  Then it goes on. */
static int
hostfault(int sig, siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uintptr_t a = (uintptr_t)si->si_addr;

	vxmem_copyfault(a, (g[REG_ERR] & 2) != 0, sig == SIGBUS, &uc->uc_sigmask);	/* vx_guardcopy's: no return */
	return vxmem_hostfault(a, (g[REG_ERR] & 2) != 0, sig == SIGBUS, &uc->uc_sigmask)
		|| (sig == SIGBUS && vx_tcbus(a));
}

/* A signal while a long guest runs on this thread: guest code runs in
 * 64-bit mode with the host's FS, so only the pc tells guest from host. */
static void
longsig(Vx *vx, int sig, siginfo_t *si, ucontext_t *uc, int incache)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t pc = (uint64_t)g[REG_RIP];

	if(incache){
		codesig(vx, sig, si, g);
		return;
	}
	if(pc >= vx_lstub(vx, vxlblob_start) && pc < vx_lstub(vx, vxlblob_end)){
		if(sig == vx_stopsig){
			if(pc >= vx_lstub(vx, vxlblob_enter_chk) && pc <= vx_lstub(vx, vxlblob_enter_jmp))
				g[REG_RIP] = vx_lstub(vx, vxlblob_bail);
			else if(pc >= vx_lstub(vx, vxlblob_lookup) && pc < vx_lstub(vx, vxlblob_lookup_end)){
				/* on the way to a fragment: step to its indirect entry */
				vx->stepping = 1;
				vx->steptrap = VX_TRAP_PREEMPT;
				g[REG_EFL] |= TF;
			}
			/* elsewhere: entering or leaving, the flag is seen at the next entry */
		}else if(sig == SIGTRAP && vx->stepping)
			;	/* keep stepping through the stubs */
		else if(sig == SIGTRAP && si->si_code == TRAP_TRACE)
			g[REG_EFL] &= ~TF;	/* a stale step: see below */
		else
			chain(sig, si, uc);
		return;
	}
	if(sig == SIGTRAP && si->si_code == TRAP_TRACE){
		/* a step we asked for that outlived the stepping (a stop and a
		 * trap delivered together): finish it here */
		g[REG_EFL] &= ~TF;
		return;
	}
	/* host code on a thread running a long guest (a host access to guest
	 * memory racing another guest thread, or a real host fault) */
	if((sig == SIGSEGV || sig == SIGBUS) && si->si_code > 0 && hostfault(sig, si, uc))
		return;
	if(sig != vx_stopsig)
		chain(sig, si, uc);
}

void
vx_sighandler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	Vx *vx = vx_current;
	uint64_t pc = (uint64_t)g[REG_RIP];
	uint16_t cs = (uint16_t)(g[REG_CSGSFS] & 0xffff);
	int saved = errno;
	int lng = vx != NULL && vx->engine == VX_ENGINE_LONG && atomic_load(&vx->running);
	int incache = vx != NULL && pc >= (uintptr_t)vx->cache && pc < (uintptr_t)vx->cache + vx->cachetop;

	if(lng){
		longsig(vx, sig, si, uc, incache);
		errno = saved;
		return;
	}
	if((sig == SIGSEGV || sig == SIGBUS) && cs != USER32_CS && si->si_code > 0 && hostfault(sig, si, uc)){
		errno = saved;
		return;		/* a host access to guest memory: retried */
	}
	if(vx == NULL || !atomic_load(&vx->running)){
		if(sig != vx_stopsig)
			chain(sig, si, ucv);
		errno = saved;
		return;
	}
	if(cs == USER32_CS && pc >= (uintptr_t)vx->cache && pc < (uintptr_t)vx->cache + vx->cachetop){
		codesig(vx, sig, si, g);
		errno = saved;
		return;
	}
	/* in the stubs */
	if(pc >= vx_blobaddr(vxblob_enter64_chk) && pc <= vx_blobaddr(vxblob_enter64_lret)){
		if(sig == vx_stopsig){
			g[REG_RIP] = vx_blobaddr(vxblob_bail64);
			errno = saved;
			return;
		}
	}
	if(pc >= vx_blobaddr(vxblob_start) && pc < vx_blobaddr(vxblob_end)){
		if(sig == vx_stopsig){
			/* entering or leaving: the flag is seen on the next entry, and
			 * stepping from entry32 reaches the first boundary */
			if(cs == USER32_CS && pc >= vx_blobaddr(vxblob_entry32) && pc < vx_blobaddr(vxblob_exit32)){
				vx->stepping = 1;
				vx->steptrap = VX_TRAP_PREEMPT;
				g[REG_EFL] |= TF;
			}
		}else if(sig == SIGTRAP && vx->stepping)
			;	/* keep stepping through the stubs */
		else
			chain(sig, si, ucv);
		errno = saved;
		return;
	}
	if(sig != vx_stopsig)
		chain(sig, si, ucv);
	errno = saved;
}
