/*
 * stkrun.c — instructions that read or write esp itself, or address a
 * stack slot in a form a run of pushes does not take, in the middle of
 * such runs (the long engine's runs across stack slots, translong.c
 * stkslot: each must end the run first, or see the esp the run lags
 * behind): mov/lea/push/pop of esp, xchg, xadd, cmpxchg with a slot,
 * slots with an index, x87, SSE, bt/bts, shifts, not/neg/mul of a slot,
 * pop to a slot, and slots whose displacement with the run's pending
 * change leaves 8 bits.  Each result is stored relative to the esp at
 * the start (ebp), so native and sandboxed runs print the same.  Red
 * team, session 24; written in assembly so that -O0 and -O2 run it alike.
 */
#include <stdint.h>
#include <stdio.h>

enum { NRES = 40 };
uint32_t res[NRES];
void espforms(void);

#define R(i) "res+" #i "*4"

__asm__(
	".text\n"
	".globl espforms\n"
	"espforms:\n"
	" push %ebx\n push %esi\n push %edi\n push %ebp\n"
	" mov %esp,%ebp\n"
	/* 0: esp read right after a push */
	" push $1\n mov (%esp),%eax\n mov %esp,%ecx\n sub %ebp,%ecx\n mov %ecx," R(0) "\n"
	" mov %ebp,%esp\n"
	/* 1: lea of a slot after a push of a slot */
	" push $2\n push 0(%esp)\n lea 8(%esp),%edx\n sub %ebp,%edx\n mov %edx," R(1) "\n"
	" mov %ebp,%esp\n"
	/* 2: push %esp after pushes */
	" push $3\n push %eax\n push %esp\n mov (%esp),%esi\n sub %ebp,%esi\n mov %esi," R(2) "\n"
	" mov %ebp,%esp\n"
	/* 3: pop %esp in a run of pops */
	" lea -64(%esp),%eax\n push %eax\n push $7\n pop %ecx\n pop %esp\n mov %esp,%ecx\n sub %ebp,%ecx\n"
	" mov %ecx," R(3) "\n"
	" mov %ebp,%esp\n"
	/* 4-6: xchg, xadd, cmpxchg with slots inside a run */
	" mov $0x11,%eax\n push $0x22\n push $0x33\n xchg %eax,4(%esp)\n mov %eax," R(4) "\n"
	" mov $5,%ecx\n xadd %ecx,(%esp)\n mov (%esp),%edx\n add %ecx,%edx\n mov %edx," R(5) "\n"
	" mov $0x38,%eax\n mov $0x99,%ecx\n push $0x44\n cmpxchg %ecx,4(%esp)\n pop %ebx\n pop %ebx\n"
	" mov %ebx," R(6) "\n"
	" mov %ebp,%esp\n"
	/* 7-8: slots with an index and with scale inside a run */
	" push $0x55\n push $0x66\n mov $4,%eax\n mov (%esp,%eax,1),%ecx\n mov %ecx," R(7) "\n"
	" mov $1,%eax\n push $0x77\n mov 4(%esp,%eax,4),%ecx\n mov %ecx," R(8) "\n"
	" mov %ebp,%esp\n"
	/* 9-10: x87 and SSE on slots inside a run */
	" push $1000\n push $-3\n fildl 4(%esp)\n fimull (%esp)\n fistpl 4(%esp)\n pop %eax\n pop %eax\n"
	" mov %eax," R(9) "\n"
	" push $0x1234\n push $0x5678\n movd 4(%esp),%xmm0\n movd %xmm0,(%esp)\n pop %eax\n pop %ecx\n"
	" mov %eax," R(10) "\n"
	" mov %ebp,%esp\n"
	/* 11-12: bt/bts with an immediate and a register bit offset */
	" push $0\n push $8\n btsl $5,4(%esp)\n mov $35,%eax\n bts %eax,(%esp)\n pop %ecx\n pop %ecx\n"
	" mov %ecx," R(11) "\n"
	" push $0x80\n btl $7,(%esp)\n setc %al\n movzbl %al,%eax\n mov %eax," R(12) "\n"
	" mov %ebp,%esp\n"
	/* 13-16: shifts, not, neg, mul of slots inside a run */
	" push $3\n push $5\n shll $4,4(%esp)\n roll (%esp)\n notl 4(%esp)\n negl (%esp)\n"
	" mov 4(%esp),%eax\n mov %eax," R(13) "\n mov (%esp),%eax\n mov %eax," R(14) "\n"
	" push $7\n mov $9,%eax\n mull 8(%esp)\n mov %eax," R(15) "\n"
	" imul $3,4(%esp),%eax\n mov %eax," R(16) "\n"
	" mov %ebp,%esp\n"
	/* 17-18: pop to a slot (its address taken after the pop) in a run */
	" push $0xaa\n push $0xbb\n push $0xcc\n popl 4(%esp)\n pop %eax\n pop %ecx\n"
	" mov %eax," R(17) "\n mov %ecx," R(18) "\n"
	" mov %ebp,%esp\n"
	/* 19: add of esp to a slot */
	" push $0\n add %esp,(%esp)\n pop %eax\n sub %ebp,%eax\n mov %eax," R(19) "\n"
	" mov %ebp,%esp\n"
	/* 20-21: displacements past 8 bits with the pending change: fifteen
	 * pushes, then a slot at -0x80 (stale bytes below esp, written
	 * first) and at 0x7c */
	" sub $0x100,%esp\n"
	" movl $0x5a5a5a5a,-0xbc(%esp)\n movl $0x3c3c3c3c,0x40(%esp)\n"
	" push $1\n push $2\n push $3\n push $4\n push $5\n push $6\n push $7\n push $8\n"
	" push $9\n push $10\n push $11\n push $12\n push $13\n push $14\n push $15\n"
	" mov -0x80(%esp),%eax\n mov %eax," R(20) "\n"
	" mov 0x7c(%esp),%eax\n mov %eax," R(21) "\n"
	" mov %ebp,%esp\n"
	/* 22-23: the same across fifteen pops */
	" sub $0x100,%esp\n"
	" movl $0x1111,0xb8(%esp)\n movl $0x2222,-0x44(%esp)\n"
	" pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n"
	" pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n pop %eax\n"
	" mov 0x7c(%esp),%eax\n mov %eax," R(22) "\n"
	" mov -0x80(%esp),%eax\n mov %eax," R(23) "\n"
	" mov %ebp,%esp\n"
	/* 24: a push of a slot after pushes, its displacement with the
	 * pending change just inside 8 bits; and 25 just past them */
	" sub $0x100,%esp\n"
	" movl $0x4242,-0x80(%esp)\n movl $0x4343,-0x84(%esp)\n"
	" push $1\n push $2\n push $3\n push $4\n push $5\n push $6\n"
	" push -0x68(%esp)\n push -0x68(%esp)\n pop %ecx\n pop %eax\n mov %eax," R(24) "\n mov %ecx," R(35) "\n"
	" mov %ebp,%esp\n"
	/* 25-26: enter and leave after a run */
	" push $0x10\n push $0x20\n enter $8,$0\n mov %esp,%eax\n sub %ebp,%eax\n mov %eax," R(25) "\n"
	" leave\n pop %eax\n mov %eax," R(26) "\n"
	" mov %ebp,%esp\n"
	/* 27-28: a call that reads its return address slot and esp */
	" push $0x30\n push $0x40\n call 1f\n jmp 2f\n"
	"1: mov (%esp),%eax\n sub $espforms,%eax\n mov %eax," R(27) "\n"
	" mov %esp,%eax\n sub %ebp,%eax\n mov %eax," R(28) "\n ret\n"
	"2: mov %ebp,%esp\n"
	/* 29-30: cmov with a slot whose condition is false, setcc into a slot */
	" push $0x61\n push $0x62\n xor %eax,%eax\n mov $0x63,%ecx\n cmovnz 4(%esp),%ecx\n"
	" mov %ecx," R(29) "\n"
	" cmp $0,%eax\n sete 4(%esp)\n pop %eax\n pop %eax\n mov %eax," R(30) "\n"
	" mov %ebp,%esp\n"
	/* 31: 16-bit push of a slot, 16-bit slot ALU in a run */
	" push $0x12345678\n pushw 2(%esp)\n addw $1,(%esp)\n pop %eax\n pop %ecx\n"
	" mov %eax," R(31) "\n"
	" mov %ebp,%esp\n"
	/* 32-33: a byte slot with %ah and %bh */
	" mov $0x1234,%eax\n push $0x7f\n mov %ah,(%esp)\n mov 0(%esp),%bh\n add %ah,1(%esp)\n"
	" pop %ecx\n mov %ecx," R(32) "\n movzbl %bh,%ebx\n mov %ebx," R(33) "\n"
	" mov %ebp,%esp\n"
	/* 34: lods through esi pointing at a slot in a run */
	" push $0xfeed\n push $0xbeef\n lea 4(%esp),%esi\n lodsl\n mov %eax," R(34) "\n"
	" mov %ebp,%esp\n"
	" pop %ebp\n pop %edi\n pop %esi\n pop %ebx\n"
	" ret\n"
);

int
main(void)
{
	int i;

	espforms();
	for(i = 0; i < 36; i++)
		printf("%d: %#x\n", i, res[i]);
	return 0;
}
