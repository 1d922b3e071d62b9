# gatherwide.S — hostile guest: an AVX2 gather whose base is %esp and
# whose index is %ymm4 (SIB index field 4, which for a gather names a
# vector register, not "no index"), with 64-bit elements far past 4 GiB:
# 2^40, 5 * 2^32, -2^34, -2^63.  In 32-bit mode the address wraps at
# 4 GiB, so every element reads the qword at (%esp) again.  The long
# engine's stack slots without addr32 (session 22) took the gather for a
# stack slot and computed 64-bit addresses: a guest read any host address
# so (the red team read the host's ELF header at 0x400000).
# Without AVX2 in the sandbox's cpuid there is nothing to try: ok.
# Expected under vxhost (both engines) and natively: "ok", exit 0.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
_start:
	movl $1, %eax
	cpuid
	andl $0x18000000, %ecx		# OSXSAVE and AVX
	cmpl $0x18000000, %ecx
	jne ok
	xorl %ecx, %ecx
	xgetbv
	andl $6, %eax			# the OS saves xmm and ymm
	cmpl $6, %eax
	jne ok
	movl $7, %eax
	xorl %ecx, %ecx
	cpuid
	testl $0x20, %ebx		# AVX2
	jz ok
	pushl $0x55667788
	pushl $0x11223344
	vmovdqu idx, %ymm4
	vpcmpeqd %ymm1, %ymm1, %ymm1
	vpxor %ymm0, %ymm0, %ymm0
	vpgatherqq %ymm1, (%esp,%ymm4,1), %ymm0
	vmovdqu %ymm0, got
	vzeroupper
	movl $got, %esi
	movl $4, %ecx
1:	cmpl $0x11223344, (%esi)
	jne escaped
	cmpl $0x55667788, 4(%esi)
	jne escaped
	addl $8, %esi
	loop 1b
	jmp ok
	.data
	.balign 32
idx:	.quad 0x10000000000, 0x500000000, 0xfffffffc00000000, 0x8000000000000000
got:	.fill 32, 1, 0
	.text
#include "okexit.inc"
