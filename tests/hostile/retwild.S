# retwild.S — hostile guest: a ret to the last bytes below 4 GiB, whose
# return table entry (the table's last page) was never filled.
# Expected under vxhost: PAGEFAULT at 0xfffffffc, addr 0xfffffffc
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	pushl $0xfffffffc
fault:	ret
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
