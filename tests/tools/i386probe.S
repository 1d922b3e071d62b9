/* i386probe — exits 42 where the host kernel executes i386 programs
 * (tests/lib/engines.sh picks the reference CPU with it). */
	.text
	.globl _start
_start:
	movl $1, %eax	/* exit */
	movl $42, %ebx
	int $0x80
