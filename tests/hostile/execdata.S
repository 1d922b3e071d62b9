# execdata.S — hostile guest: a jump into a static data array holding code
# Expected under vxhost: PAGEFAULT at dcode, addr dcode
	.section .note.GNU-stack,"",@progbits
	.data
	.align 16
# exit(3) if it ever runs
dcode:	.byte 0xb8, 1, 0, 0, 0, 0xbb, 3, 0, 0, 0, 0xcd, 0x80
	.text
	.globl _start
_start:
	nop
fault:	jmp dcode
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
