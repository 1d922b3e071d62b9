# smc.S — hostile guest: self-modifying code.  A small function in a
# writable and executable section runs once (so it has a translation),
# then the guest overwrites it with "ljmp $0x33, $escaped" and calls it
# again.  The sandbox must notice the write, retranslate and trap; running
# the stale translation (prints STALE) or the far jump are both failures.
# Expected under vxhost: PRIVILEGED at blk.
	.section .note.GNU-stack,"",@progbits
	.section .smc, "awx", @progbits
blk:	movl $1, %eax
	ret
	.fill 16, 1, 0x90
	.data
stalemsg: .ascii "STALE\n"
escmsg:	.ascii "ESCAPED\n"
	.text
	.globl _start
_start:
	call blk
	movb $0xea, blk			# ljmp ptr16:32
	movl $escaped, blk+1
	movw $0x33, blk+5
	call blk
	movl $4, %eax
	movl $1, %ebx
	movl $stalemsg, %ecx
	movl $6, %edx
	int $0x80
	movl $1, %eax
	movl $4, %ebx
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
