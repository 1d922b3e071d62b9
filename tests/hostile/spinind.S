# spinind.S — hostile guest: spins through an indirect jump and a
# push/ret pair (the fast indirect-branch and return paths must still
# see the preemption request).
# Expected: vxhost -T 1 exits 124 with "vxhost: timeout".
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $1f, %ebx
1:	pushl $2f
	ret
2:	jmp *%ebx
