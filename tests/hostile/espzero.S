# espzero.S — hostile guest: a push with %esp = 0
# Expected under vxhost: PAGEFAULT at fault, addr 0xfffffffc
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	xorl %esp, %esp
fault:	pushl $0
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
