# csread.S — hostile guest: %cs-, %ss- and %es-override loads.
# Natively %cs is flat, so %cs:addr reads the same byte as %ds:addr.  The
# sandbox runs translated code from another segment, so it must rewrite
# the override; reading through it must give guest memory, never the code
# cache.  Expected everywhere: prints "ok" and exits 0.
	.section .note.GNU-stack,"",@progbits
	.data
	.align 4
val:	.long 0x12345678
okmsg:	.ascii "ok\n"
badmsg:	.ascii "cs differs\n"
	.text
	.globl _start
_start:
	movl val, %eax
	movl %cs:val, %ebx		# absolute address
	cmpl %eax, %ebx
	jne bad
	movl %ss:val, %ebx
	cmpl %eax, %ebx
	jne bad
	movl %es:val, %ebx
	cmpl %eax, %ebx
	jne bad
	movl $val, %esi
	movl %cs:(%esi), %ebx		# through a register
	cmpl %eax, %ebx
	jne bad
	movl %cs:4(%esi), %ebx		# code reading its own data page
	cmpl okmsg, %ebx
	jne bad
	movl _start, %eax		# its own code, through both
	movl %cs:_start, %ebx
	cmpl %eax, %ebx
	jne bad
	cld
	movl $val, %esi
	cs lodsl			# string op with the override
	cmpl $0x12345678, %eax
	jne bad
	movl $4, %eax
	movl $1, %ebx
	movl $okmsg, %ecx
	movl $3, %edx
	int $0x80
	movl $1, %eax
	movl $0, %ebx
	int $0x80
bad:
	movl $4, %eax
	movl $1, %ebx
	movl $badmsg, %ecx
	movl $11, %edx
	int $0x80
	movl $1, %eax
	movl $1, %ebx
	int $0x80
