# intono.S — hostile guest: into with OF clear, then immediates that hold
# host instructions.  Until 8f69a4d the long engine's jno over into's
# trap stub jumped 12 bytes past it (its stores had shrunk, ded7601), into
# the translation of what follows: here the third mov's immediate, whose
# bytes 0f 05 ran as a host syscall, exit_group(42) with the guest's eax
# and edi.  Expected under vxhost: exit status 7, as natively.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $231, %eax		# host exit_group, should it reach the host
	movl $42, %edi
	xorl %ebx, %ebx		# OF clear
	into
	movl $0x11111111, %edx
	movl $0x22222222, %esi
	movl $0x90050f90, %ecx	# 90 0f 05 90: syscall inside the immediate
	movl $1, %eax		# exit(7)
	movl $7, %ebx
	int $0x80
