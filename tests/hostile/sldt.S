# sldt.S — hostile guest: sldt, str and smsw would show the host's LDT,
# task register and CR0 (and the compat engine's LDT) on a CPU without
# UMIP.  The guest gets Linux's answers for a 32-bit process: no LDT
# (0), the TSS's selector 0x40, CR0 0x80050033, to a register and to
# memory.  Expected under vxhost: prints "ok", exits 0 (natively the
# same on a CPU with UMIP).
	.section .note.GNU-stack,"",@progbits
	.data
	.align 16
buf:	.space 16
	.text
	.globl _start
_start:
	movl $-1, %eax
	sldt %eax
	cmpl $0, %eax
	jne escaped
	movl $-1, buf
	sldt buf
	cmpl $0xffff0000, buf
	jne escaped
	movl $-1, %eax
	str %eax
	cmpl $0x40, %eax
	jne escaped
	movl $-1, buf
	str buf
	cmpl $0xffff0040, buf
	jne escaped
	movl $-1, %eax
	smsw %eax
	cmpl $0x80050033, %eax
	jne escaped
	movl $-1, buf
	smsw buf
	cmpl $0xffff0033, buf
	jne escaped
	jmp ok

#include "okexit.inc"
