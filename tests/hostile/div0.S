# div0.S — hostile guest: an unsigned divide by zero
# Expected under vxhost: DIVIDE at fault
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $1, %eax
	xorl %edx, %edx
	xorl %ecx, %ecx
fault:	divl %ecx
fault_end:
	jmp escaped

# Only reached if the attack did not trap: say so and exit 3.
escaped:
	movl $4, %eax
	movl $1, %ebx
	movl $escmsg, %ecx
	movl $8, %edx
	int $0x80
	movl $1, %eax
	movl $3, %ebx
	int $0x80
	.data
escmsg:	.ascii "ESCAPED\n"
