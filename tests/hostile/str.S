# str.S — hostile guest: str
# Expected under vxhost: PRIVILEGED at fault
	.section .note.GNU-stack,"",@progbits
	.data
	.align 16
buf:	.space 16
	.text
	.globl _start
_start:
	nop
	fault:	str %eax
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
