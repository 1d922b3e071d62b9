# addr16.S — hostile guest: 0x67 (16-bit addressing in 32-bit code: the
# effective address wraps at 64 KiB).  In 64-bit code 0x67 means 32-bit
# addressing, so a copied instruction would reach 0x0804xxxx instead.
# The first 64 KiB are never mapped, so every access faults there.
# Usage: addr16 bxsi|disp|bpdi|wrap
#   bxsi: (%bx,%si) with ebx=0x0804fff0, esi=0x20 -> 0x0010
#   disp: disp16 0x1234                          -> 0x1234
#   bpdi: (%bp,%di) with ebp=0x12345678, edi=0   -> 0x5678
#   wrap: 0x10(%bx) with ebx=0xffff              -> 0x000f
# Expected under vxhost: PAGEFAULT at fault_X with those addresses (the
# compat engine, and natively SIGSEGV).  Engine-specific: the long engine
# (as of its commit d4c8e96) translates 16-bit addressing only for lea and
# refuses other addr16 memory operands with ILLEGAL (addr 0), which is
# confined but not what the CPU does; hostile.t accepts that alternative
# until the long engine computes the 16-bit address.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	movl (%eax), %eax
	cmpl $0x69737862, %eax		# "bxsi"
	je bxsi
	cmpl $0x70736964, %eax		# "disp"
	je fault_disp
	cmpl $0x69647062, %eax		# "bpdi"
	je bpdi
	cmpl $0x70617277, %eax		# "wrap"
	je wrap
	jmp escaped
bxsi:	movl $0x0804fff0, %ebx
	movl $0x20, %esi
fault_bxsi:
	addr16 movl (%bx,%si), %ecx
	jmp escaped
fault_disp:
	.byte 0x67, 0x8b, 0x0e		# addr16 mov 0x1234,%ecx
	.word 0x1234
	jmp escaped
bpdi:	movl $0x12345678, %ebp
	xorl %edi, %edi
fault_bpdi:
	addr16 movl (%bp,%di), %ecx
	jmp escaped
wrap:	movl $0xffff, %ebx
fault_wrap:
	addr16 movl 0x10(%bx), %ecx
	jmp escaped
#include "escaped.inc"
