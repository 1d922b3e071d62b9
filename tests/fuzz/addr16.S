# addr16.S — memory operands with 16-bit addressing (0x67) in 32-bit
# code (tests/fuzz_warm.t): each lies in the low 64 KiB, which Linux
# maps for no i386 process, so each faults; the SIGSEGV handler prints
# the fault's eip and address in hex and goes on after the instruction.
# The long engine, which has no 16-bit addressing, made them #UD.
	.section .note.GNU-stack,"",@progbits
	.bss
sigact:	.space 20
resume:	.space 4
out:	.space 18
	.data
hexdig:	.ascii "0123456789abcdef"
	.text
#include "hex32.S"
# onsegv(sig, info, uc): eip (uc+76) and si_addr, then to resume
onsegv:
	pushal
	movl $out, %edi
	movl 44(%esp), %eax		# uc
	movl 76(%eax), %eax
	call hex32
	movb $' ', (%edi)
	incl %edi
	movl 40(%esp), %eax		# info
	movl 12(%eax), %eax
	call hex32
	movb $'\n', (%edi)
	movl $4, %eax
	movl $1, %ebx
	movl $out, %ecx
	movl $18, %edx
	int $0x80
	popal
	movl 12(%esp), %ecx
	movl resume, %eax
	movl %eax, 76(%ecx)
	ret
sigret:	movl $173, %eax
	int $0x80

# T insn: the instruction, resumed after when it faults
#define T(...) movl $9f, resume; __VA_ARGS__; 9:

	.globl _start
_start:
	movl $onsegv, sigact
	movl $0x14000004, sigact+4	# SA_SIGINFO|SA_RESTART|SA_RESTORER
	movl $sigret, sigact+8
	movl $174, %eax			# rt_sigaction(SIGSEGV, &sigact, 0, 8)
	movl $11, %ebx
	movl $sigact, %ecx
	xorl %edx, %edx
	movl $8, %esi
	int $0x80
	movl $0x12341234, %ebx
	movl $0x100, %esi
	movl $0x8000, %edi
	movl $0xfff0, %ebp
	T(movl (%bx,%si), %eax)
	T(addl %eax, 4(%bx))
	T(movw $7, -2(%bp,%di))		/* wraps at 64 KiB */
	T(mull 0x1234)
	T(incb (%si))
	T(movups (%di), %xmm0)
	T(flds 0x10(%bp))
	T(cmpxchgl %ecx, (%bx,%di))
	T(shll %cl, 0x7fff(%bp,%si))
	movl $1, %eax
	xorl %ebx, %ebx
	int $0x80
