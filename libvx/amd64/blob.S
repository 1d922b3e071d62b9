/*
 * blob.S — the mode-switch stubs.  This block is copied once to a page in
 * the low 4 GB (vx_blobinit): 32-bit code can only reach addresses there,
 * and a far jump from compatibility mode carries a 32-bit offset.  It must
 * therefore be position independent: it reaches the state block through
 * %rdi or %fs and jumps only within itself.
 */
#include "state.h"

	.text
	.p2align 6
	.globl vxblob_start, vxblob_end, vxblob_enter64, vxblob_enter64_chk
	.globl vxblob_enter64_lret, vxblob_bail64, vxblob_entry32, vxblob_exit32
	.globl vxblob_sigexit32, vxblob_exit64, vxblob_miss32, vxblob_chain32, vxblob_enter64_wrfs
vxblob_start:

/* int enter64(uint8_t *st): run the guest until it exits; returns EXIT_*. */
	.code64
vxblob_enter64:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, S_HOSTRSP(%rdi)
	stmxcsr	S_HOSTMXCSR(%rdi)
	fnstcw	S_HOSTFCW(%rdi)
	rdfsbase %rax
	mov	%rax, S_HOSTFSBASE(%rdi)
	cmpl	$0, S_HASPKU(%rdi)
	je	1f
	xor	%ecx, %ecx
	rdpkru
	mov	%eax, S_HOSTPKRU(%rdi)
1:	pushq	$USER32_CS
	movl	S_ENTRY32(%rdi), %eax
	push	%rax
	/* data segment: reload only what changed (loads are slow, and
	   the host runs fine with them left in place; a host system call
	   resets %ss) */
	movl	S_DATASEL(%rdi), %ecx
	mov	%ds, %edx
	cmp	%ecx, %edx
	je	1f
	mov	%ecx, %ds
1:	mov	%es, %edx
	cmp	%ecx, %edx
	je	1f
	mov	%ecx, %es
1:	mov	%ss, %edx
	cmp	%ecx, %edx
	je	1f
	mov	%ecx, %ss
	/* %fs: the state block.  The selector gives the limit and is loaded
	   when it is not there yet; after that only the base changes
	   (wrfsbase is much cheaper than a descriptor load), and the host
	   runs with the selector left in place: the kernel keeps selector
	   and base apart (FSGSBASE). */
1:	movl	S_STATESEL(%rdi), %ecx
	mov	%fs, %edx
	cmp	%ecx, %edx
	je	2f
	mov	%ecx, %fs		/* (vx_threadinit loaded it: not normally) */
2:
vxblob_enter64_wrfs:			/* the signal wrapper knows this spot */
	wrfsbase %rdi
	movl	S_EFLAGS(%rdi), %eax	/* TF only when vx_run steps */
	push	%rax
	popfq				/* guest flags from here: no flag writes */
	movl	S_STOPREQ(%rdi), %ecx
vxblob_enter64_chk:			/* a stop signal from here on bails out */
	jrcxz	1f
	jmp	vxblob_bail64
1:
vxblob_enter64_lret:
	lretq

/* Give up entering (stop requested): rdi is still the state block. */
vxblob_bail64:
	movl	$EXIT_PREEMPT, S_EXITCODE(%rdi)
	jmp	restore64

/* Back from compatibility mode; %fs still addresses the state block. */
vxblob_exit64:
	mov	%fs:S_BLOCK, %rdi
restore64:
	mov	S_HOSTRSP(%rdi), %rsp
	pushfq
	pop	%rax
	mov	%eax, S_EFLAGS(%rdi)
	pushq	$0x202			/* host flags: IF only, no DF, AC or TF */
	popfq
	cmpb	$0, S_FX+4(%rdi)	/* x87 registers in use (FTW): empty */
	je	1f			/* the stack for the host */
	fninit
1:	fnclex				/* an exception the guest left pending (its */
	fldcw	S_HOSTFCW(%rdi)		/* status word is saved) would fault here */
	ldmxcsr	S_HOSTMXCSR(%rdi)
	cmpl	$0, S_HASPKU(%rdi)	/* xrstor in the guest may have set PKRU */
	je	1f
	xor	%ecx, %ecx
	xor	%edx, %edx
	movl	S_HOSTPKRU(%rdi), %eax
	wrpkru
1:
	mov	S_HOSTFSBASE(%rdi), %rax
	wrfsbase %rax			/* one instruction: no window for signals */
	movl	S_EXITCODE(%rdi), %eax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/* 32-bit side: load the guest's registers and jump to translated code. */
	.code32
	.p2align 4
vxblob_entry32:
	fxrstor	%fs:S_FX
	movl	%fs:S_YMM, %ecx		/* jecxz: the guest's flags are loaded */
	jecxz	1f
	vinsertf128 $1, %fs:S_YMMH+0, %ymm0, %ymm0
	vinsertf128 $1, %fs:S_YMMH+16, %ymm1, %ymm1
	vinsertf128 $1, %fs:S_YMMH+32, %ymm2, %ymm2
	vinsertf128 $1, %fs:S_YMMH+48, %ymm3, %ymm3
	vinsertf128 $1, %fs:S_YMMH+64, %ymm4, %ymm4
	vinsertf128 $1, %fs:S_YMMH+80, %ymm5, %ymm5
	vinsertf128 $1, %fs:S_YMMH+96, %ymm6, %ymm6
	vinsertf128 $1, %fs:S_YMMH+112, %ymm7, %ymm7
1:
	movl	%fs:S_REGS+0, %eax
	movl	%fs:S_REGS+4, %ecx
	movl	%fs:S_REGS+8, %edx
	movl	%fs:S_REGS+12, %ebx
	movl	%fs:S_REGS+20, %ebp
	movl	%fs:S_REGS+24, %esi
	movl	%fs:S_REGS+28, %edi
	movl	%fs:S_REGS+16, %esp
	jmp	*%fs:S_TARGET

/* Save the guest's registers and return to 64-bit mode. */
	.p2align 4
vxblob_exit32:
	movl	%eax, %fs:S_REGS+0
	movl	%ecx, %fs:S_REGS+4
	movl	%edx, %fs:S_REGS+8
	movl	%ebx, %fs:S_REGS+12
	movl	%esp, %fs:S_REGS+16
	movl	%ebp, %fs:S_REGS+20
	movl	%esi, %fs:S_REGS+24
	movl	%edi, %fs:S_REGS+28
vxblob_sigexit32:			/* the signal handler saved them already */
	fxsave	%fs:S_FX
	movl	%fs:S_YMM, %ecx		/* saved: free; jecxz keeps the flags */
	jecxz	1f
	vextractf128 $1, %ymm0, %fs:S_YMMH+0
	vextractf128 $1, %ymm1, %fs:S_YMMH+16
	vextractf128 $1, %ymm2, %fs:S_YMMH+32
	vextractf128 $1, %ymm3, %fs:S_YMMH+48
	vextractf128 $1, %ymm4, %fs:S_YMMH+64
	vextractf128 $1, %ymm5, %fs:S_YMMH+80
	vextractf128 $1, %ymm6, %fs:S_YMMH+96
	vextractf128 $1, %ymm7, %fs:S_YMMH+112
	vzeroupper			/* host code starts clean (its legacy SSE) */
1:
	ljmp	*%fs:S_EXIT64

/* An indirect branch missed: ecx holds the guest target, ecx and ebx are
 * in their spill slots. */
	.p2align 4
vxblob_miss32:
	movl	%ecx, %fs:S_EXITEIP
	movl	%fs:S_SPILLC, %ecx
	movl	%fs:S_SPILLB, %ebx
	movl	$EXIT_LOOKUP, %fs:S_EXITCODE
	jmp	vxblob_exit32

/* A direct branch to an untranslated target: its stub set S_LINK (which exit). */
	.p2align 4
vxblob_chain32:
	movl	$EXIT_CHAIN, %fs:S_EXITCODE
	jmp	vxblob_exit32

	.p2align 4
vxblob_end:
	.code64

/* The signal handler wrapper: runs before any C so the handler has the
 * host's thread pointer.  A signal may land while %fs holds a state block
 * selector (guest code, or the mode-switch stubs); the host's FS base is
 * then in that block.  Afterwards the selector is reloaded, which puts the
 * block's base back for the interrupted code. */
	.globl vx_sigwrap
	.type vx_sigwrap, @function
vx_sigwrap:
	pushfq				/* a guest may run with AC set: the host */
	andl	$~0x40000, (%rsp)	/* must not (sigreturn restores it) */
	popfq
	mov	%fs, %eax
	test	$4, %eax		/* not an LDT selector: host */
	jz	2f
	/* just after loading the state selector in enter64, the FS base is
	   the descriptor's, not a block: rdi has the state block */
	mov	vx_enter64wrfsaddr(%rip), %rax
	cmp	%rax, 168(%rdx)		/* uc_mcontext.gregs[REG_RIP] */
	jne	1f
	mov	104(%rdx), %rax		/* gregs[REG_RDI] */
	mov	S_HOSTFSBASE(%rax), %rax
	wrfsbase %rax
	jmp	vx_sighandler		/* the interrupted wrfsbase sets the base */
1:	rdfsbase %rax			/* a state block names itself: a host */
	cmp	%rax, %fs:S_BLOCK	/* thread block at that offset does not */
	jne	2f
	cmpl	$VX_STATE_MAGIC, %fs:S_MAGIC
	jne	2f
	push	%rax
	mov	%fs:S_HOSTFSBASE, %rax
	wrfsbase %rax
	call	vx_sighandler
	pop	%rax
	wrfsbase %rax			/* the state block again */
	ret
2:	jmp	vx_sighandler
	.size vx_sigwrap, .-vx_sigwrap

	.section .note.GNU-stack,"",@progbits
