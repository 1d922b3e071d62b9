# lar.S — hostile guest: lar and lsl on every selector would show the
# host's descriptors (the compat engine's LDT segments, the host's
# GDT).  The guest sees a 32-bit Linux process's GDT: 0x23 flat 32-bit
# code, 0x2b flat data, every LDT selector absent (it has no LDT).
# Expected under vxhost: prints "ok", exits 0 (natively too).
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $0x23, %ecx
	larl %ecx, %eax
	jnz escaped
	cmpl $0x00cffb00, %eax
	jne escaped
	lsll %ecx, %eax
	jnz escaped
	cmpl $0xffffffff, %eax
	jne escaped
	movl $0x2b, %ecx
	larl %ecx, %eax
	jnz escaped
	cmpl $0x00cff300, %eax
	jne escaped
	movl $7, %ecx			# every LDT selector, RPL 3
1:	larl %ecx, %eax
	jz escaped
	lsll %ecx, %eax
	jz escaped
	verr %cx
	jz escaped
	addl $8, %ecx
	cmpl $0x10000, %ecx
	jb 1b
	jmp ok

#include "okexit.inc"
