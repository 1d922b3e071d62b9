# absolute.S — hostile guest: ModRM mod=00 rm=101, an absolute disp32 in
# 32-bit code but RIP-relative in 64-bit code; copied as it is, the long
# engine would read and write next to its code cache.  Loads, stores,
# read-modify-write, lea, SSE, x87 and indirect jmp/call through absolute
# addresses; each check that fails sets a bit of the exit status.
# Expected under vxhost (both engines) and natively: exit 0.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	xorl %ebp, %ebp
	movl magic, %ecx		# 8b 0d disp32
	cmpl $0x12345678, %ecx
	je 1f
	orl $1, %ebp
1:	movl $0x55aa55aa, %edx
	movl %edx, slot			# 89 15 disp32
	movl $slot, %ebx
	cmpl (%ebx), %edx
	je 2f
	orl $2, %ebp
2:	incl counter			# ff 05 disp32
	addl $2, counter		# 83 05 disp32 imm8
	cmpl $3, counter		# 83 3d disp32 imm8
	je 3f
	orl $4, %ebp
3:	leal magic, %eax		# 8d 05 disp32: an address, not a load
	cmpl $magic, %eax
	je 4f
	orl $8, %ebp
4:	movd magic, %xmm0		# 66 0f 6e 05 disp32
	movd %xmm0, %eax
	cmpl $0x12345678, %eax
	je 5f
	orl $16, %ebp
5:	fildl magic			# db 05 disp32
	fistpl slot			# db 1d disp32
	cmpl $0x12345678, slot
	je 6f
	orl $32, %ebp
6:	jmp *target			# ff 25 disp32
	orl $64, %ebp
7:	call *ftarget			# ff 15 disp32
	cmpl $0x99, %eax
	je 8f
	orl $128, %ebp
8:	movl %ebp, %ebx
	jmp exitebx
func:	movl $0x99, %eax
	ret
#include "escaped.inc"
	.data
magic:	.long 0x12345678
slot:	.long 0
counter: .long 0
target:	.long 7b
ftarget: .long func
