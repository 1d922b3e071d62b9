# align.S — hostile guest: sets EFLAGS.AC and makes a misaligned load.
# Natively this raises #AC (SIGBUS).
# Expected under vxhost: ALIGN at fault.
	.section .note.GNU-stack,"",@progbits
	.data
	.align 16
buf:	.space 16
	.text
	.globl _start
_start:
	pushfl
	orl $0x40000, (%esp)
	popfl
	nop
fault:	movl buf+1, %eax
fault_end:
	movl $1, %eax
	movl $3, %ebx
	int $0x80
