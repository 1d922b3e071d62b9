# spinjcc.S — hostile guest: spins in a loop of conditional branches
# (chained fragments must still see the preemption request).
# Expected: vxhost -T 1 exits 124 with "vxhost: timeout".
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	xorl %eax, %eax
1:	addl $1, %eax
	jnz 1b
	jmp 1b
