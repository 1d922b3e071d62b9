# steps.S — single steps through what the translator does not translate
# one for one (tests/fuzz_warm.t): a pc thunk's call (made a mov), a
# jmp to a dispatch block (followed: no code of its own), at a step's
# entry and in the middle of a fragment, and an add of esp folded into a
# run whose flag copy the next instruction's flag write drops.  The
# block runs once unstepped, so the fragments the steps enter were made
# without the guest's TF (as the persistent cache's are), then with TF
# set; a SIGTRAP handler records each step's eip and arithmetic flags,
# printed in hex at the end (on a stack of its own, so that the add's
# flags are the same natively).  The old libvx lost steps at each.
	.section .note.GNU-stack,"",@progbits
	.bss
	.align 4
log:	.space 4096
logp:	.space 4
sigact:	.space 20
out:	.space 18
	.balign 16
altstk:	.space 16384		# the handler's (SA_ONSTACK): the adds and
ss:	.space 12		# subs below move esp anywhere
	.balign 256		# a stack at a fixed address: the add's flags
	.space 32768 + 0xc0	# depend on esp (bit 7 of its result set,
stack:				# bit 31 clear: SF is bit 31's)
	.data
hexdig:	.ascii "0123456789abcdef"
	.text
thunk:	movl (%esp), %ebx
	ret
callee:	ret
block:
	nop
	call thunk
	call callee
	jmp disp1		# at a fragment's start (the return's target)
back1:
	nop
	jmp disp2		# in the middle of one
back2:
	pushl $7
	pushl $9
	call callee
	addl $8, %esp		# at a fragment's start, folded into the run
	andl $0x55, %edi	# writes every flag: the add's copy dropped
	call callee
	subl $0x80000000, %esp	# stepped, vx_run does these: every flag
	addl $0x80000000, %esp
	addl $0x7fffffff, %esp
	subl $0x7fffffff, %esp
	subl $-1, %esp
	addl $-1, %esp
	subl $0x40, %esp
	addl $0x40, %esp
	subl $0xc0, %esp	# bit 31 clear, borrow from bit 7
	addl $0xc0, %esp
	ret
disp1:	movl $back1, %ecx
	jmp *%ecx
disp2:	movl $back2, %ecx
	jmp *%ecx

# ontrap(sig, info, uc): eip (uc+76) and eflags (uc+84) to the log
ontrap:
	movl 12(%esp), %ecx
	movl logp, %edx
	cmpl $4088, %edx
	jae 1f
	movl 76(%ecx), %eax
	movl %eax, log(%edx)
	movl 84(%ecx), %eax
	andl $0x8d5, %eax
	movl %eax, log+4(%edx)
	addl $8, logp
1:	ret
sigret:	movl $173, %eax
	int $0x80

#include "hex32.S"

	.globl _start
_start:
	movl $stack, %esp
	movl $ontrap, sigact
	movl $0x1c000004, sigact+4	# SA_SIGINFO|SA_RESTART|SA_RESTORER|SA_ONSTACK
	movl $sigret, sigact+8
	movl $174, %eax			# rt_sigaction(SIGTRAP, &sigact, 0, 8)
	movl $5, %ebx
	movl $sigact, %ecx
	xorl %edx, %edx
	movl $8, %esi
	int $0x80
	movl $altstk, ss		# sigaltstack(&ss, 0)
	movl $16384, ss+8
	movl $186, %eax
	movl $ss, %ebx
	xorl %ecx, %ecx
	int $0x80
	call block			# unstepped: translated without TF
	pushfl
	orl $0x100, (%esp)
	popfl
	call block
	pushfl
	andl $0xfffffeff, (%esp)
	popfl
	xorl %esi, %esi
2:	cmpl logp, %esi
	jae 3f
	movl $out, %edi
	movl log(%esi), %eax
	call hex32
	movb $' ', (%edi)
	incl %edi
	movl log+4(%esi), %eax
	call hex32
	movb $'\n', (%edi)
	movl $4, %eax			# write(1, out, 18)
	movl $1, %ebx
	movl $out, %ecx
	movl $18, %edx
	int $0x80
	addl $8, %esi
	jmp 2b
3:	movl $1, %eax
	xorl %ebx, %ebx
	int $0x80
