# moffstop.S — hostile guest: the moffs forms (A0-A3) at the top of the
# window.  In 64-bit mode their offset is 8 bytes, so they must be
# re-encoded, not copied.
# Usage: moffstop load|store|byte|word
# Expected under vxhost: PAGEFAULT at fault_X, addr 0xfffffffc (0xffffffff
# for byte, 0xfffffffe for word).
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	movzbl (%eax), %eax
	cmpb $'l', %al
	je fault_load
	cmpb $'s', %al
	je fault_store
	cmpb $'b', %al
	je fault_byte
	cmpb $'w', %al
	je fault_word
	jmp escaped
fault_load:
	.byte 0xa1			# mov 0xfffffffc,%eax
	.long 0xfffffffc
	jmp escaped
fault_store:
	.byte 0xa3			# mov %eax,0xfffffffc
	.long 0xfffffffc
	jmp escaped
fault_byte:
	.byte 0xa0			# mov 0xffffffff,%al
	.long 0xffffffff
	jmp escaped
fault_word:
	.byte 0x66, 0xa1		# mov 0xfffffffe,%ax
	.long 0xfffffffe
	jmp escaped
#include "escaped.inc"
