# iret23.S — hostile guest: iret through a crafted frame (EFLAGS with IOPL 3, CS 0x23)
# Expected under vxhost: PRIVILEGED at fault
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	pushfl
	orl $0x3000, (%esp)
	pushl $0x23
	pushl $escaped
fault:	iret
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
