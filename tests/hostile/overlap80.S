# overlap80.S — hostile guest: overlapping instructions.  The bytes of a
# "movl $0x909080cd, %ebx" hide "int $0x80" at offset 1.  The mov runs once
# normally, then the guest jumps into its middle: the CPU runs int $0x80
# with eax = 1 (exit) and ebx = 0x909080cd, so the exit status is 0xcd.
# The sandbox must decode from the jump target, not reuse the translation
# of the whole mov.  Expected everywhere: exit status 205, no output.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $1, %eax
	xorl %ecx, %ecx
outer:	movl $0x909080cd, %ebx		# bb cd 80 90 90
	incl %ecx
	cmpl $1, %ecx
	je outer+1
	movl $1, %eax			# not reached
	movl $7, %ebx
	int $0x80
