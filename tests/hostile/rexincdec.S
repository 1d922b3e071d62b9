# rexincdec.S — hostile guest: bytes 0x40-0x4f before instructions.  In
# 32-bit code they are inc/dec; in 64-bit code they would be REX prefixes
# (64-bit operands, r8-r15, spl..dil for ah..bh, an imm64 that swallows
# the next instructions).  Each check that fails sets a bit of the exit
# status.  Expected under vxhost (both engines) and natively: exit 0.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	xorl %ebp, %ebp
	# 40 89 c3: inc %eax; mov %eax,%ebx
	movl $5, %eax
	.byte 0x40, 0x89, 0xc3
	cmpl $6, %ebx
	je 1f
	orl $1, %ebp
1:	# 48 50: dec %eax; push %eax (4 bytes, not a push %rax of 8)
	movl $0x11, %eax
	movl %esp, %esi
	.byte 0x48, 0x50
	subl %esp, %esi
	popl %ebx
	cmpl $4, %esi
	jne 2f
	cmpl $0x10, %ebx
	je 3f
2:	orl $2, %ebp
3:	# 4f b8 imm32 40 40 40 40: dec %edi; mov $imm32,%eax; inc %eax x4
	# (as REX.WB it would be mov $imm64,%r8 eating the incs)
	movl $7, %edi
	.byte 0x4f, 0xb8
	.long 0x12345678
	.byte 0x40, 0x40, 0x40, 0x40
	cmpl $0x1234567c, %eax
	jne 4f
	cmpl $6, %edi
	je 5f
4:	orl $4, %ebp
5:	# 43 88 e0: inc %ebx; mov %ah,%al (with REX: mov %spl,%al)
	movl $0x1234, %eax
	movl $1, %ebx
	.byte 0x43, 0x88, 0xe0
	cmpl $0x1212, %eax
	jne 6f
	cmpl $2, %ebx
	je 7f
6:	orl $8, %ebp
7:	# 41 8b 07: inc %ecx; mov (%edi),%eax (with REX.B: (%r15))
	movl $val, %edi
	movl $9, %ecx
	.byte 0x41, 0x8b, 0x07
	cmpl $0xcafef00d, %eax
	jne 8f
	cmpl $10, %ecx
	je 9f
8:	orl $16, %ebp
9:	# 49 0f af c1: dec %ecx; imul %ecx,%eax
	movl $3, %eax
	movl $5, %ecx
	.byte 0x49, 0x0f, 0xaf, 0xc1
	cmpl $12, %eax
	je 10f
	orl $32, %ebp
10:	# 48 48 48 90: dec %eax three times, nop
	movl $3, %eax
	.byte 0x48, 0x48, 0x48, 0x90
	testl %eax, %eax
	je 11f
	orl $64, %ebp
11:	# 4e 8d 04 0b: dec %esi; lea (%ebx,%ecx),%eax (REX.WRX: lea into %r8)
	movl $1, %esi
	movl $0x100, %ebx
	movl $0x23, %ecx
	xorl %eax, %eax
	.byte 0x4e, 0x8d, 0x04, 0x0b
	cmpl $0x123, %eax
	jne 12f
	testl %esi, %esi
	je 13f
12:	orl $128, %ebp
13:	movl %ebp, %ebx
	jmp exitebx
#include "escaped.inc"
	.data
val:	.long 0xcafef00d
