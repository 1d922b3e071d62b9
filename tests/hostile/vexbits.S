# vexbits.S — hostile guest: BMI1/BMI2 instructions (the sandbox shows
# them; AVX it hides) with the VEX bits that 32-bit mode ignores set:
# VEX.B (names r8-r15 in 64-bit mode), the top bit of vvvv, and W1 on the
# general-register forms (a 64-bit operation in 64-bit mode: other flags,
# other shift and index masks).  The guest must get the 32-bit result.
# Each check that fails sets a bit of the exit status.
# Expected under vxhost (both engines) and natively: exit 0.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	xorl %ebp, %ebp
	# andn %edx,%ecx,%eax with VEX.B clear (c4 c2: rm would be %r10)
	movl $0x0f0f0f0f, %ecx
	movl $0xffff00ff, %edx
	xorl %eax, %eax
	.byte 0xc4, 0xc2, 0x70, 0xf2, 0xc2
	cmpl $0xf0f000f0, %eax
	je 1f
	orl $1, %ebp
1:	# andn with vvvv = 1001 (top bit set: %r9 in 64-bit mode)
	xorl %eax, %eax
	.byte 0xc4, 0xe2, 0x30, 0xf2, 0xc2
	cmpl $0xf0f000f0, %eax
	je 2f
	orl $2, %ebp
2:	# andn with W1: SF comes from bit 31, not bit 63
	movl $0x0f0f0f0f, %ecx
	movl $0x80000000, %edx
	.byte 0xc4, 0xe2, 0xf0, 0xf2, 0xc2
	js 3f
	orl $4, %ebp
3:	cmpl $0x80000000, %eax
	je 4f
	orl $4, %ebp
4:	# shlx %ecx,%edx,%eax with W1 and a count of 33: masked to 1
	movl $33, %ecx
	movl $0x40000001, %edx
	.byte 0xc4, 0xe2, 0xf1, 0xf7, 0xc2
	cmpl $0x80000002, %eax
	je 5f
	orl $8, %ebp
5:	# bzhi %ecx,%edx,%eax with W1 and index 40: CF=1, source unchanged
	movl $40, %ecx
	movl $0x12345678, %edx
	.byte 0xc4, 0xe2, 0xf0, 0xf5, 0xc2
	jc 6f
	orl $16, %ebp
6:	cmpl $0x12345678, %eax
	je 7f
	orl $16, %ebp
7:	# rorx $1,%edx,%eax with W1: a 32-bit rotate
	movl $1, %edx
	.byte 0xc4, 0xe3, 0xfb, 0xf0, 0xc2, 0x01
	cmpl $0x80000000, %eax
	je 8f
	orl $32, %ebp
8:	# andn (%ebx),%ecx,%eax with VEX.B clear (base would be %r11)
	movl $val, %ebx
	movl $0x0f0f0f0f, %ecx
	xorl %eax, %eax
	.byte 0xc4, 0xc2, 0x70, 0xf2, 0x03
	cmpl $0xf0f000f0, %eax
	je 9f
	orl $64, %ebp
9:	# sarx with vvvv = 1001 naming the count (%ecx, %r9 in 64-bit mode)
	movl $4, %ecx
	movl $0x80000000, %edx
	.byte 0xc4, 0xe2, 0x32, 0xf7, 0xc2
	cmpl $0xf8000000, %eax
	je 10f
	orl $128, %ebp
10:	movl %ebp, %ebx
	jmp exitebx
#include "escaped.inc"
	.data
val:	.long 0xffff00ff
