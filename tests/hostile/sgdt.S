# sgdt.S — hostile guest: sgdt would reveal the host's GDT base on a CPU
# without UMIP.  The guest gets what Linux's UMIP emulation gives a
# 32-bit process: limit 0, base 0xfffe0000.  Expected under vxhost:
# prints "ok", exits 0 (natively the same on a CPU with UMIP).
	.section .note.GNU-stack,"",@progbits
	.data
	.align 16
buf:	.space 16
	.text
	.globl _start
_start:
	movl $-1, buf
	movl $-1, buf+4
	sgdt buf
	cmpw $0, buf
	jne escaped
	cmpl $0xfffe0000, buf+2
	jne escaped
	cmpw $0xffff, buf+6		# 6 bytes stored, no more
	jne escaped
	jmp ok

#include "okexit.inc"
