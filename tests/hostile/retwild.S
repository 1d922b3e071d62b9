# retwild.S — hostile guest: a ret to the last bytes below 4 GiB, whose
# return table entry (the table's last page) was never filled.
# Expected under vxhost: PAGEFAULT at 0xfffffffc, addr 0xfffffffc
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	pushl $0xfffffffc
fault:	ret
fault_end:
	jmp escaped

#include "escaped.inc"
