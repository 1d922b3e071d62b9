# callptr.S — hostile guest: a call through a pointer to unmapped memory (0x10)
# Expected under vxhost: PAGEFAULT at 0x10, addr 0x10
	.section .note.GNU-stack,"",@progbits
	.data
fptr:	.long 0x10
	.text
	.globl _start
_start:
	nop
fault:	call *fptr
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
