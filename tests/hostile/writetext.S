# writetext.S — hostile guest: a store into its own read-only text
# Expected under vxhost: PAGEFAULT at fault, addr _start
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	nop
fault:	movl $0x90909090, _start
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
