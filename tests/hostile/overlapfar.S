# overlapfar.S — hostile guest: a far jump hidden inside another
# instruction.  "movl $0x909028ff, %ebx" holds "ljmp *(%eax)" at offset 1
# and %eax points at the far pointer 0x33:escaped.  The mov runs once
# normally, then the guest jumps into its middle.
# Expected under vxhost: PRIVILEGED at outer+1.
	.section .note.GNU-stack,"",@progbits
	.data
fptr:	.long escaped
	.word 0x33
escmsg:	.ascii "ESCAPED\n"
	.text
	.globl _start
_start:
	movl $fptr, %eax
	xorl %ecx, %ecx
outer:	movl $0x909028ff, %ebx		# bb ff 28 90 90
	incl %ecx
	cmpl $1, %ecx
	je outer+1
	movl $1, %eax			# not reached
	movl $7, %ebx
	int $0x80
escaped:
	movl $4, %eax
	movl $1, %ebx
	movl $escmsg, %ecx
	movl $8, %edx
	int $0x80
	movl $1, %eax
	movl $3, %ebx
	int $0x80
