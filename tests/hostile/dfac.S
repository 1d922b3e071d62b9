# dfac.S — hostile guest: makes a system call with DF and AC set.  Host
# code (memcpy in the runtime, the kernel's copy) must not run with the
# guest's DF or AC, and the guest must get both back afterwards.
# Expected everywhere: prints "hello" and "done", exit status 0 (4: DF or
# AC lost across the call, 5: the call returned the wrong count).
	.section .note.GNU-stack,"",@progbits
	.data
	.align 4
hello:	.ascii "hello\n"
done:	.ascii "done\n"
lost:	.ascii "flags lost\n"
badret:	.ascii "bad result\n"
	.text
	.globl _start
_start:
	std
	pushfl
	orl $0x40000, (%esp)		# AC
	popfl
	movl $4, %eax			# write(1, hello, 6)
	movl $1, %ebx
	movl $hello, %ecx
	movl $6, %edx
	int $0x80
	pushfl
	popl %esi
	cld
	pushfl
	andl $~0x40000, (%esp)
	popfl
	cmpl $6, %eax
	jne bad2
	andl $0x40400, %esi
	cmpl $0x40400, %esi
	jne bad
	movl $4, %eax
	movl $1, %ebx
	movl $done, %ecx
	movl $5, %edx
	int $0x80
	movl $1, %eax
	movl $0, %ebx
	int $0x80
bad:
	movl $4, %eax
	movl $1, %ebx
	movl $lost, %ecx
	movl $11, %edx
	int $0x80
	movl $1, %eax
	movl $4, %ebx
	int $0x80
bad2:
	movl $4, %eax
	movl $1, %ebx
	movl $badret, %ecx
	movl $11, %edx
	int $0x80
	movl $1, %eax
	movl $5, %ebx
	int $0x80
