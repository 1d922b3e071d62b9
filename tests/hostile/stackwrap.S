# stackwrap.S — hostile guest: the stack pointer wrapping at 0 and 4 GiB.
# In the long engine guest pushes and pops are 32-bit (never %rsp-based
# host accesses); every one must stay inside the window and fault there.
# Usage: stackwrap pop|ret|call|odd|leave|enter|popl
#   pop:   esp=0xfffffffc, pop %eax
#   ret:   esp=0xfffffffc, ret
#   call:  esp=0, call (pushes to 0xfffffffc)
#   odd:   esp=0xfffffffe, pop %eax (4 bytes straddle 4 GiB)
#   leave: ebp=0xfffffffc, leave
#   enter: esp=0, enter $0,$0
#   popl:  esp=0xfffffffc, pop to memory
# Expected under vxhost: PAGEFAULT at fault, addr 0xfffffffc (0xfffffffe
# for odd; natively odd is #SS, SIGBUS, since the pop crosses the 4 GiB
# limit).  The compat engine computes a limit fault's address from the
# instruction (libvx/amd64/sig.c): for leave it is %ebp, for a pop to
# memory the stack slot (not the destination); the long engine gets a
# real page-fault address.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl 8(%esp), %eax
	testl %eax, %eax
	je escaped
	movl (%eax), %eax		# first 4 letters (NUL padded: "pop\0")
	movl $0xfffffffc, %ebx
	cmpl $0x00706f70, %eax
	je pop
	cmpl $0x00746572, %eax
	je ret
	cmpl $0x6c6c6163, %eax
	je call
	cmpl $0x0064646f, %eax
	je odd
	cmpl $0x7661656c, %eax
	je leave
	cmpl $0x65746e65, %eax
	je enter
	cmpl $0x6c706f70, %eax
	je popl
	jmp escaped
pop:	movl %ebx, %esp
fault:	popl %eax
	jmp escaped
ret:	movl %ebx, %esp
fault_ret:
	ret
call:	xorl %esp, %esp
fault_call:
	call escaped
odd:	movl $0xfffffffe, %esp
fault_odd:
	popl %eax
	jmp escaped
leave:	movl %ebx, %ebp
fault_leave:
	leave
	jmp escaped
enter:	xorl %esp, %esp
fault_enter:
	enter $0, $0
	jmp escaped
popl:	movl %ebx, %esp
fault_popl:
	popl word
	jmp escaped
#include "escaped.inc"
	.data
word:	.long 0
