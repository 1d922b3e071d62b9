# retnx.S — hostile guest: rets into a page whose return table entry is
# filled (two rets there, the second through the table), after the page
# was made non-executable: the ret must fault at its target, not run the
# translation the entry led to.
# Expected under vxhost: PAGEFAULT at 0x20000000, addr 0x20000000
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $1200000, %ecx		# a million rets: the Vx's own table in use
9:	call 8f
	loop 9b
	movl $192, %eax			# mmap2(0x20000000, 4096, rwx, private|anon|fixed)
	movl $0x20000000, %ebx
	movl $4096, %ecx
	movl $7, %edx
	movl $0x32, %esi
	movl $-1, %edi
	xorl %ebp, %ebp
	int $0x80
	cmpl $0x20000000, %eax
	jne escaped
	movb $0xc3, 0x20000000		# ret
	movl $2, %esi
1:	call 2f				# ret to 0x20000000, which returns here
	decl %esi
	jnz 1b
	movl $125, %eax			# mprotect(0x20000000, 4096, PROT_READ)
	movl $0x20000000, %ebx
	movl $4096, %ecx
	movl $1, %edx
	int $0x80
	testl %eax, %eax
	jnz escaped
	call 2f
	jmp escaped
8:	ret
#ifdef INDIRECT
2:	movl $0x20000000, %eax
fault:	jmp *%eax			# indnx.S: through the table too, once warm
#else
2:	pushl $0x20000000
fault:	ret
#endif
fault_end:
	jmp escaped

#include "escaped.inc"
