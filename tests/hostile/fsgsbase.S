# fsgsbase.S — hostile guest: rdfsbase/rdgsbase/wrfsbase/wrgsbase, which
# exist only in 64-bit mode (#UD for a 32-bit guest).  In the long engine
# they would read or move the host's TLS or the window base.
# Usage: fsgsbase rdfs|rdgs|wrfs|wrgs
# Expected under vxhost (both engines): ILLEGAL at fault_X; natively SIGILL.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %esi		# argv[1]
	testl %esi, %esi
	je escaped
	movl 1(%esi), %esi		# "dfs", "dgs", "rfs", "rgs" (+ NUL)
	movl $0x1000, %eax		# a would-be base
	cmpl $0x736664, %esi
	je fault_rdfs
	cmpl $0x736764, %esi
	je fault_rdgs
	cmpl $0x736672, %esi
	je fault_wrfs
	cmpl $0x736772, %esi
	je fault_wrgs
	jmp escaped
fault_rdfs:
	.byte 0xf3, 0x0f, 0xae, 0xc0	# rdfsbase %eax
	jmp escaped
fault_rdgs:
	.byte 0xf3, 0x0f, 0xae, 0xc8	# rdgsbase %eax
	jmp escaped
fault_wrfs:
	.byte 0xf3, 0x0f, 0xae, 0xd0	# wrfsbase %eax
	movl %fs:0, %eax
	jmp escaped
fault_wrgs:
	.byte 0xf3, 0x0f, 0xae, 0xd8	# wrgsbase %eax
	movl %gs:0, %eax
	jmp escaped
#include "escaped.inc"
