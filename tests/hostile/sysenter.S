# sysenter.S — hostile guest: the sysenter instruction with close(2) in the
# registers.  On AMD a sysenter from compatibility mode reaches the host
# kernel directly; if it ever did, vxhost's own stderr would be closed.
# Expected under vxhost: a trap line on stderr, either at fault (the
# sandbox refuses sysenter) or at after (it was served as a guest system
# call and the guest went on to ud2).
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $6, %eax			# close
	movl $2, %ebx			# fd 2
	movl %esp, %ebp
	movl $after, %edx		# where a sysenter might come back
fault:	sysenter
after:	ud2
