# into.S — hostile guest: into with OF set
# Expected under vxhost: OVERFLOW at fault (or past it)
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $0x7fffffff, %eax
	addl $1, %eax
fault:	into
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
