# hostjmp.S — hostile guest: jumps and calls to addresses that look like
# host code (a non-PIE host's text at 0x400000, the low region where the
# sandbox keeps its code cache and stubs, a vdso-like page).  Guest
# addresses are only ever guest addresses: each must be a clean page
# fault at the target with nothing run there.
# Usage: hostjmp low|cache|top|call|direct
# Expected under vxhost: PAGEFAULT, eip = addr = the target.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	movl (%eax), %eax
	cmpl $0x00776f6c, %eax		# "low"
	je low
	cmpl $0x68636163, %eax		# "cach"
	je cache
	cmpl $0x00706f74, %eax		# "top"
	je top
	cmpl $0x6c6c6163, %eax		# "call"
	je call
	cmpl $0x65726964, %eax		# "dire"
	je direct
	jmp escaped
low:	movl $0x00400000, %eax
	jmp *%eax
cache:	movl $0x20000000, %eax
	jmp *%eax
top:	movl $0xffffe000, %eax
	jmp *%eax
call:	movl $0x00401000, %eax
	call *%eax
	jmp escaped
direct:	jmp 0x00402000			# e9 rel32
#include "escaped.inc"
