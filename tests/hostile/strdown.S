# strdown.S — hostile guest: string instructions with DF=1 at the bottom
# of the window, counting downward past 0 (the long engine's guard below
# the window must catch them; the compat engine's segment wraps to the
# limit).  Linux and vxhost keep the first 64 KiB unmapped, so the walk
# starts on the lowest mappable page, 0x10000.
# Usage: strdown low|zero
#   low:  mmap 0x10000, rep stosl downward from 0x10004: 0x10004 and
#         0x10000 are written, then 0xfffc faults
#   zero: rep stosl downward from 0x1000: faults at once
# Expected under vxhost: PAGEFAULT at fault, addr 0xfffc / 0x1000.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	cmpb $'z', (%eax)
	je zero
	movl $192, %eax			# mmap2(0x10000, 4096, RW, PRIVATE|ANON|FIXED)
	movl $0x10000, %ebx
	movl $4096, %ecx
	movl $3, %edx
	movl $0x32, %esi
	movl $-1, %edi
	xorl %ebp, %ebp
	int $0x80
	cmpl $0x10000, %eax
	jne escaped
	movl $0x10004, %edi
	jmp go
zero:
	movl $0x1000, %edi
go:	movl $0x1000, %ecx
	movl $0x42424242, %eax
	std
fault:	rep stosl
	cld
	jmp escaped
#include "escaped.inc"
