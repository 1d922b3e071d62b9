/*
 * blob64.S — the long engine's runtime stubs.  No mode switch: guest code
 * is translated to 64-bit code.  Copied once to a page in the low 4 GB
 * (vx_lblobinit) so that fragments reach it with rel32 jumps; position
 * independent.
 *
 * While translated code runs: %r15 = state block, %r14 = B = GS base,
 * guest registers in the low halves of the host's (upper halves zero),
 * guest flags in RFLAGS but DF, which is in S_DF and S_DFBIT (RFLAGS.DF
 * is clear but inside a backward rep), %rsp = guest %esp (not a host
 * stack), %r12 = the return table (S_RTAB: the Vx's own or the shared
 * one of zeros), %r13 = vxlblob_rmiss, the address its entries are
 * relative to (translate.c, "The return table").
 */
#include "state.h"

	.text
	.code64
	.p2align 6
	.globl vxlblob_start, vxlblob_end, vxlblob_enter, vxlblob_enter_chk
	.globl vxlblob_enter_jmp, vxlblob_bail, vxlblob_exit, vxlblob_sigexit
	.globl vxlblob_miss, vxlblob_chain, vxlblob_lookup, vxlblob_lookup_end
	.globl vxlblob_rmiss, vxlblob_rmiss0, vxlblob_jtmiss
vxlblob_start:

/* int enter(uint8_t *st): run the guest until it exits; returns EXIT_*. */
vxlblob_enter:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, S_HOSTRSP(%rdi)
	stmxcsr	S_HOSTMXCSR(%rdi)
	mov	%rdi, %r15
	cmpl	$0, S_X87HW(%r15)	/* the registers hold the guest's x87 */
	jne	1f			/* state and control word: keep them */
	fnstcw	S_HOSTFCW(%r15)
1:	cmpl	$0, S_HASPKU(%r15)
	je	1f
	xor	%ecx, %ecx
	rdpkru
	mov	%eax, S_HOSTPKRU(%r15)
1:	mov	S_LBASE(%r15), %r14
	mov	S_RTAB(%r15), %r12
	lea	vxlblob_rmiss(%rip), %r13
	cmpl	$0, S_X87(%r15)
	je	1f
	cmpl	$0, S_X87HW(%r15)
	jne	1f
	fxrstor	S_FX(%r15)
	jmp	2f
1:	ldmxcsr	S_FX+24(%r15)		/* no x87/MMX use: what host C code can */
	movaps	S_FX+160(%r15), %xmm0	/* change is MXCSR and the SSE registers */
	movaps	S_FX+176(%r15), %xmm1
	movaps	S_FX+192(%r15), %xmm2
	movaps	S_FX+208(%r15), %xmm3
	movaps	S_FX+224(%r15), %xmm4
	movaps	S_FX+240(%r15), %xmm5
	movaps	S_FX+256(%r15), %xmm6
	movaps	S_FX+272(%r15), %xmm7
2:	cmpl	$0, S_YMM(%r15)		/* after the xmm loads, which leave */
	je	1f			/* the upper halves as they were */
	vinsertf128 $1, S_YMMH+0(%r15), %ymm0, %ymm0
	vinsertf128 $1, S_YMMH+16(%r15), %ymm1, %ymm1
	vinsertf128 $1, S_YMMH+32(%r15), %ymm2, %ymm2
	vinsertf128 $1, S_YMMH+48(%r15), %ymm3, %ymm3
	vinsertf128 $1, S_YMMH+64(%r15), %ymm4, %ymm4
	vinsertf128 $1, S_YMMH+80(%r15), %ymm5, %ymm5
	vinsertf128 $1, S_YMMH+96(%r15), %ymm6, %ymm6
	vinsertf128 $1, S_YMMH+112(%r15), %ymm7, %ymm7
1:
	movl	S_EFLAGS(%r15), %eax
	movl	%eax, %ecx		/* DF goes to the state block: */
	andl	$0x400, %ecx		/* S_DFBIT 0 or 0x400, S_DF 0 or -1 */
	movl	%ecx, S_DFBIT(%r15)
	shrl	$10, %ecx
	negl	%ecx
	movl	%ecx, S_DF(%r15)
	andl	$~0x400, %eax		/* DF clear; TF only when vx_run steps */
	push	%rax
	popfq				/* guest flags from here: no flag writes */
	movl	S_REGS+0(%r15), %eax
	movl	S_REGS+8(%r15), %edx
	movl	S_REGS+12(%r15), %ebx
	movl	S_REGS+20(%r15), %ebp
	movl	S_REGS+24(%r15), %esi
	movl	S_REGS+28(%r15), %edi
	movl	S_TARGET(%r15), %r8d
	movl	S_STOPREQ(%r15), %ecx
vxlblob_enter_chk:			/* a stop signal from here on bails out */
	jrcxz	1f
	jmp	vxlblob_bail
1:	movl	S_REGS+4(%r15), %ecx
	movl	S_REGS+16(%r15), %esp	/* the host stack is in S_HOSTRSP */
vxlblob_enter_jmp:
	jmp	*%r8

/* Give up entering (stop requested): the guest state block is intact. */
vxlblob_bail:
	movl	$EXIT_PREEMPT, S_EXITCODE(%r15)
	mov	S_HOSTRSP(%r15), %rsp
	jmp	restore

/* Save the guest's registers and return to the host. */
	.p2align 4
vxlblob_exit:
	movl	%eax, S_REGS+0(%r15)
	movl	%ecx, S_REGS+4(%r15)
	movl	%edx, S_REGS+8(%r15)
	movl	%ebx, S_REGS+12(%r15)
	movl	%esp, S_REGS+16(%r15)
	movl	%ebp, S_REGS+20(%r15)
	movl	%esi, S_REGS+24(%r15)
	movl	%edi, S_REGS+28(%r15)
vxlblob_sigexit:			/* the signal handler saved them already */
	mov	S_HOSTRSP(%r15), %rsp	/* mov: flags untouched */
	pushfq
	pop	%rax
	orl	S_DFBIT(%r15), %eax	/* the guest's DF (translong.c) */
	movl	%eax, S_EFLAGS(%r15)
	cmpl	$0, S_YMM(%r15)
	je	2f
	vextractf128 $1, %ymm0, S_YMMH+0(%r15)
	vextractf128 $1, %ymm1, S_YMMH+16(%r15)
	vextractf128 $1, %ymm2, S_YMMH+32(%r15)
	vextractf128 $1, %ymm3, S_YMMH+48(%r15)
	vextractf128 $1, %ymm4, S_YMMH+64(%r15)
	vextractf128 $1, %ymm5, S_YMMH+80(%r15)
	vextractf128 $1, %ymm6, S_YMMH+96(%r15)
	vextractf128 $1, %ymm7, S_YMMH+112(%r15)
	vzeroupper			/* host code starts clean (its legacy SSE) */
2:	cmpl	$0, S_X87(%r15)
	je	1f
	cmpl	$EXIT_CHAIN, S_EXITCODE(%r15)	/* to the translator and back: */
	je	3f				/* the x87 state stays in the */
	cmpl	$EXIT_LOOKUP, S_EXITCODE(%r15)	/* registers (vx_x87sync) */
	je	3f
	cmpl	$EXIT_RMISS, S_EXITCODE(%r15)
	je	3f
	cmpl	$EXIT_JTMISS, S_EXITCODE(%r15)
	je	3f
	fxsave	S_FX(%r15)
	movl	$0, S_X87HW(%r15)
	jmp	restore
3:	movl	$1, S_X87HW(%r15)
1:	stmxcsr	S_FX+24(%r15)
	movaps	%xmm0, S_FX+160(%r15)
	movaps	%xmm1, S_FX+176(%r15)
	movaps	%xmm2, S_FX+192(%r15)
	movaps	%xmm3, S_FX+208(%r15)
	movaps	%xmm4, S_FX+224(%r15)
	movaps	%xmm5, S_FX+240(%r15)
	movaps	%xmm6, S_FX+256(%r15)
	movaps	%xmm7, S_FX+272(%r15)
restore:
	pushq	$0x202			/* host flags: IF only, no DF, AC or TF */
	popfq
	cmpl	$0, S_X87HW(%r15)
	jne	2f
	cmpb	$0, S_FX+4(%r15)	/* x87 registers in use (FTW): empty */
	je	1f			/* the stack for the host */
	fninit
1:	fnclex				/* an exception the guest left pending (its */
	fldcw	S_HOSTFCW(%r15)		/* status word is saved) would fault here */
2:	ldmxcsr	S_HOSTMXCSR(%r15)
	cmpl	$0, S_HASPKU(%r15)	/* xrstor in the guest may have set PKRU */
	je	1f
	xor	%ecx, %ecx
	xor	%edx, %edx
	movl	S_HOSTPKRU(%r15), %eax
	wrpkru
1:	movl	S_EXITCODE(%r15), %eax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/* A jump-table slice's slot missed (translong.c, jtsite): as an indirect
 * branch's miss below, and the site's stub named its slice in S_LINK,
 * for the runtime to fill. */
	.p2align 4
vxlblob_jtmiss:
	movl	$EXIT_JTMISS, S_EXITCODE(%r15)
	jmp	1f
/* An indirect branch missed: ecx holds the guest target, guest ecx is in
 * S_SPILLC. */
vxlblob_miss:
	movl	$EXIT_LOOKUP, S_EXITCODE(%r15)
1:	movl	%ecx, S_EXITEIP(%r15)
	movl	S_SPILLC(%r15), %ecx
	jmp	vxlblob_exit

/* A ret's target has no entry in the return table (an entry of 0 jumps
 * here): %r9d holds the guest target; the guest state is exact otherwise
 * (esp popped, nothing spilled).  The indirect table's lookup, as an
 * indirect jump's (target in ecx, guest ecx spilled), but every
 * S_RMISSN+1-th goes to the runtime, which may give the target an entry
 * (translate.c, "The return table"): hot targets get one soon, a long
 * tail of cold ones (a program's start) need not commit a page each.
 * vxlblob_rmiss0: a cold ret whose count reached 0 (translong.c,
 * coldret), guest ecx spilled, the target in %r9d: to the runtime. */
	.p2align 4
vxlblob_rmiss:
	movl	%ecx, S_SPILLC(%r15)
	movl	S_RMISSN(%r15), %ecx
	jrcxz	1f
	leal	-1(%rcx), %ecx
	movl	%ecx, S_RMISSN(%r15)
	movl	%r9d, %ecx
	movzwl	%cx, %r8d
	movl	S_HT(%r15,%r8,4), %r8d
	jmp	*%r8
1:
vxlblob_rmiss0:
	movl	S_SPILLC(%r15), %ecx
	movl	%r9d, S_EXITEIP(%r15)
	movl	$EXIT_RMISS, S_EXITCODE(%r15)
	jmp	vxlblob_exit

/* A direct branch to an untranslated target: its stub set S_LINK (which exit). */
	.p2align 4
vxlblob_chain:
	movl	$EXIT_CHAIN, S_EXITCODE(%r15)
	jmp	vxlblob_exit

/* Indirect branch: guest target in ecx, guest ecx in S_SPILLC.  The table
 * holds 32-bit host addresses of indirect entries (or of vxlblob_miss);
 * no flag is touched. */
	.p2align 4
vxlblob_lookup:
	movzwl	%cx, %r8d
	movl	S_HT(%r15,%r8,4), %r8d
	jmp	*%r8
vxlblob_lookup_end:

	.p2align 4
vxlblob_end:

	.section .note.GNU-stack,"",@progbits
