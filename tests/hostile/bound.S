# bound.S — hostile guest: bound with an index outside the bounds
# Expected under vxhost: BOUND at fault
	.section .note.GNU-stack,"",@progbits
	.data
bnd:	.long 0, 10
	.text
	.globl _start
_start:
	movl $20, %eax
fault:	boundl %eax, bnd
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
