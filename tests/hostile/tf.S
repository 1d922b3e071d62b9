# tf.S — hostile guest: setting the trap flag with popf
# Expected under vxhost: SINGLESTEP
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	pushfl
	orl $0x100, (%esp)
	popfl
fault:	nop
	nop
fault_end:
	nop
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
