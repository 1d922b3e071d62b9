# int81.S — hostile guest: int $0x81
# Expected under vxhost: INT at fault (or past it)
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
fault:	int $0x81
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
