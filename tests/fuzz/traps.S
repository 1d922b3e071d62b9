# traps.S — the signal the CPU's answer to one instruction gives
# (tests/fuzz_warm.t), chosen by the number of arguments: none int1 (f1:
# #DB as a trap, SIGTRAP TRAP_BRKPT after it), one rsm and two getsec
# (#UD: SIGILL ILL_ILLOPN at it), three int3 (SIGTRAP SI_KERNEL after it); the handler prints the signal, si_code,
# the context's eip and si_addr in hex (not the context's trapno, which
# vxinferno leaves 0).  The old libvx gave SIGSEGV for all but int3.
	.section .note.GNU-stack,"",@progbits
	.bss
sigact:	.space 20
out:	.space 64
	.data
hexdig:	.ascii "0123456789abcdef"
	.text
#include "hex32.S"
hexsp:	call hex32
	movb $' ', (%edi)
	incl %edi
	ret
# handler(sig, info, uc): sig, si_code, eip, si_addr
onsig:
	movl $out, %edi
	movl 4(%esp), %eax
	call hexsp
	movl 8(%esp), %eax
	movl 8(%eax), %eax
	call hexsp
	movl 12(%esp), %esi
	movl 76(%esi), %eax
	call hexsp
	movl 8(%esp), %eax
	movl 12(%eax), %eax
	call hexsp
	movb $'\n', (%edi)
	movl $4, %eax
	movl $1, %ebx
	movl $out, %ecx
	movl $37, %edx
	int $0x80
	movl $1, %eax
	xorl %ebx, %ebx
	int $0x80
sigret:	movl $173, %eax
	int $0x80
	.globl _start
_start:
	movl $onsig, sigact
	movl $0x14000004, sigact+4
	movl $sigret, sigact+8
	movl $4, %ebx
1:	movl $174, %eax
	movl $sigact, %ecx
	xorl %edx, %edx
	movl $8, %esi
	int $0x80
	incl %ebx
	cmpl $12, %ebx
	jb 1b
	cmpl $4, (%esp)
	jb 5f
	int3
	nop
5:	cmpl $2, (%esp)
	jae 2f
	.byte 0xf1
	nop
2:	cmpl $3, (%esp)
	jae 3f
	.byte 0x0f, 0xaa
	nop
3:	.byte 0x0f, 0x37
	nop
