# far33ind.S — hostile guest: far jmp/call through a memory far pointer
# (ff 2d / ff 1d with an absolute disp32, RIP-relative if copied into
# 64-bit code) to selector 0x33, the host's 64-bit code segment, at an
# offset that would run `escaped` as 64-bit code.
# Usage: far33ind jmp|call
# Expected under vxhost: PRIVILEGED at fault_X; natively the jump works
# (the escaped code runs in 64-bit mode and exits 3).
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	cmpb $'c', (%eax)
	je fault_call
fault_jmp:
	ljmp *farptr
	jmp escaped
fault_call:
	lcall *farptr
	jmp escaped
#include "escaped.inc"
	.data
farptr:	.long escaped
	.word 0x33
