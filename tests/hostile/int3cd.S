# int3cd.S — hostile guest: int $3 in its two-byte form (cd 03)
# Expected under vxhost: BREAKPOINT or INT at fault (or past it)
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
fault:	.byte 0xcd, 0x03
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
