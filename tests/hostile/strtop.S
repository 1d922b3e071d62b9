# strtop.S — hostile guest: string instructions at the top of the 4 GiB
# window, counting upward past 4 GiB.  The long engine rebases %esi/%edi
# to host pointers for them (guards above the window cover any rep
# count); the compat engine's data segment limit stops them.
# Usage: strtop load|store|stack
#   load:  rep movsb from 0xfffff000 (0x2000 bytes) into the guest's bss
#   store: rep stosl to 0xfffff800 upward
#   stack: rep lodsl from the stack upward with a huge count: it runs off
#          the end of guest memory (address checked loosely: the top of
#          the stack differs between engines and natively)
# Expected under vxhost: PAGEFAULT at fault, the first unmapped address.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	cld
	movzbl 3(%eax), %eax		# loaD, stoRe, staCk: the fourth letter
	cmpb $'d', %al
	je load
	cmpb $'r', %al
	je store
	movl %esp, %esi
	movl $0x40000000, %ecx
	jmp fault_lods
load:
	movl $0xfffff000, %esi
	movl $buf, %edi
	movl $0x2000, %ecx
fault:	rep movsb
	jmp escaped
store:
	movl $0xfffff800, %edi
	movl $0x800, %ecx
	movl $0x41414141, %eax
fault_stos:
	rep stosl
	jmp escaped
fault_lods:
	rep lodsl
	jmp escaped
#include "escaped.inc"
	.bss
buf:	.space 0x2000
