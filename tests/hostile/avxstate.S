# avxstate.S — hostile guest: instructions of register state the engines
# neither save nor clear across exits (the YMM upper halves, the AVX-512
# k registers), and the xsave family that reaches every state.  Our cpuid
# hides AVX, AVX-512 and XSAVE: each must be #UD, as on a CPU whose OS has
# not enabled that state, or one guest could read another's secrets.
# Usage: avxstate ymml|vpxr|kmov|kget|vzup|vext|xmmv|bcst|xsav|xrst|xsvc|xsvo
#	|evex|xop8|vx66|vxf0|andl|vzal|fma3
# (EVEX vaddps zmm, 62 with mod 3 where 32-bit mode had bound; XOP
# vprotb, 8f with ModRM.reg 5; vzeroupper behind 66 and f0, which make
# any VEX #UD; andn, a BMI1 form we run, with VEX.L 1; vzeroall; FMA)
# Expected under vxhost (both engines): ILLEGAL at fault_X.  Natively it
# depends on the CPU and OS.
	.section .note.GNU-stack,"",@progbits
	.text
	.globl _start
	.macro pick name, label
	cmpl $(\name), %esi
	je \label
	.endm
_start:
	movl 8(%esp), %esi		# argv[1]
	testl %esi, %esi
	je escaped
	movl (%esi), %esi		# its first four bytes
	movl $buf, %ebx
	movl $-1, %eax
	movl $-1, %edx
	pick 0x6c6d6d79, fault_ymml	# "ymml"
	pick 0x72787076, fault_vpxr	# "vpxr"
	pick 0x766f6d6b, fault_kmov	# "kmov"
	pick 0x7465676b, fault_kget	# "kget"
	pick 0x70757a76, fault_vzup	# "vzup"
	pick 0x74786576, fault_vext	# "vext"
	pick 0x766d6d78, fault_xmmv	# "xmmv"
	pick 0x74736362, fault_bcst	# "bcst"
	pick 0x76617378, fault_xsav	# "xsav"
	pick 0x74737278, fault_xrst	# "xrst"
	pick 0x63767378, fault_xsvc	# "xsvc"
	pick 0x6f767378, fault_xsvo	# "xsvo"
	pick 0x78657665, fault_evex	# "evex"
	pick 0x38706f78, fault_xop8	# "xop8"
	pick 0x36367876, fault_vx66	# "vx66"
	pick 0x30667876, fault_vxf0	# "vxf0"
	pick 0x6c646e61, fault_andl	# "andl"
	pick 0x6c617a76, fault_vzal	# "vzal"
	pick 0x33616d66, fault_fma3	# "fma3"
	jmp escaped
fault_ymml:
	vmovdqu (%ebx), %ymm0
	jmp escaped
fault_vpxr:
	vpxor %ymm1, %ymm1, %ymm1
	jmp escaped
fault_kmov:
	kmovw %eax, %k1
	jmp escaped
fault_kget:
	kmovw %k1, %eax
	jmp escaped
fault_vzup:
	vzeroupper
	jmp escaped
fault_vext:
	vextracti128 $1, %ymm0, %xmm0
	jmp escaped
fault_xmmv:				# VEX.128: AVX too
	vmovdqu (%ebx), %xmm0
	jmp escaped
fault_bcst:
	vbroadcastss (%ebx), %ymm2
	jmp escaped
fault_xsav:
	xsave (%ebx)
	jmp escaped
fault_xrst:
	xrstor (%ebx)
	jmp escaped
fault_xsvc:
	xsavec (%ebx)
	jmp escaped
fault_xsvo:
	xsaveopt (%ebx)
	jmp escaped
fault_evex:
	.byte 0x62, 0xf1, 0x7c, 0x48, 0x58, 0xc1	# vaddps %zmm1, %zmm0, %zmm0
	jmp escaped
fault_xop8:
	.byte 0x8f, 0xe8, 0x78, 0xc0, 0xc1, 0x01	# vprotb $1, %xmm1, %xmm0
	jmp escaped
fault_vx66:
	.byte 0x66, 0xc5, 0xf8, 0x77			# 66 vzeroupper
	jmp escaped
fault_vxf0:
	.byte 0xf0, 0xc5, 0xf8, 0x77			# lock vzeroupper
	jmp escaped
fault_andl:
	.byte 0xc4, 0xe2, 0x7c, 0xf2, 0xc1		# andn with VEX.L 1
	jmp escaped
fault_vzal:
	vzeroall
	jmp escaped
fault_fma3:
	vfmadd132ps %xmm2, %xmm1, %xmm0
	jmp escaped
#include "escaped.inc"
	.bss
	.balign 64
buf:	.space 4096
