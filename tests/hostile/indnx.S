# indnx.S — hostile guest: indirect jumps into a page whose table entry
# is filled (a warm long-engine Vx sends jmp *%reg through the return
# table, doc/translator.md), after the page was made non-executable: the
# jump must fault at its target, not run the translation the entry led to.
# Expected under vxhost: PAGEFAULT at 0x20000000, addr 0x20000000
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $1200000, %ecx		# a million rets: the Vx warm
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
	movl $3, %esi
1:	call 2f				# jmp to 0x20000000, which returns here
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
2:	movl $0x20000000, %eax
fault:	jmp *%eax
fault_end:
	jmp escaped

#include "escaped.inc"
