/*
 * stkslot.c — instructions whose one use of esp is a stack slot, between
 * pushes and pops (the long engine addresses such a slot from the esp of
 * the run of pushes it is in, translong.c stkslot): mov, ALU both ways,
 * test, cmov, movzx/movsx, imul, group 1, mov $imm, inc, dec and push
 * of a slot, (%esp) and disp8(%esp) forms, the flags of slot compares
 * read by adc and cmov; and a call passing its arguments on by pushes of
 * slots.  Written in assembly, so that -O0 and -O2 run the same code.
 */
#include <stdint.h>
#include <stdio.h>

uint32_t slots(uint32_t a, uint32_t b);
uint32_t passon(uint32_t a, uint32_t b, uint32_t c);

/* at entry [ret][a][b]; the comments give esp's slots after each push */
__asm__(
	".text\n"
	".globl slots\n"
	"slots:\n"
	" push %ebx\n push %esi\n push %edi\n"	/* a at 16, b at 20 */
	" mov 16(%esp),%eax\n"
	" mov 20(%esp),%ecx\n"
	" push %eax\n"				/* [a] ...; a at 20, b at 24 */
	" push 24(%esp)\n"			/* [b][a] ...; a at 24, b at 28 */
	" add 4(%esp),%ecx\n"			/* b + a */
	" sub (%esp),%ecx\n"			/* a */
	" xor %ecx,4(%esp)\n"			/* slot 1: 0 */
	" adc 28(%esp),%ecx\n"			/* a + b + CF(0) */
	" cmpl $5,28(%esp)\n"
	" cmovb 24(%esp),%ecx\n"
	" adc $0,%ecx\n"			/* + (b < 5) */
	" movzbl 24(%esp),%edx\n"
	" movsbl 28(%esp),%esi\n"
	" imul 24(%esp),%edx\n"
	" test %edx,(%esp)\n"
	" cmovz 28(%esp),%esi\n"
	" incl (%esp)\n"			/* b + 1 */
	" decl 4(%esp)\n"			/* -1 */
	" orl $0x80,(%esp)\n"
	" andl $0xfffff0ff,(%esp)\n"
	" movl $0x12345678,4(%esp)\n"
	" mov (%esp),%eax\n"
	" sub $8,%esp\n"			/* [x][y][b'][0x12345678] ... */
	" mov %ecx,(%esp)\n"
	" mov %edx,4(%esp)\n"
	" xor 12(%esp),%eax\n"
	" cmp 4(%esp),%ecx\n"
	" sbb (%esp),%eax\n"
	" add $16,%esp\n"
	" xor %esi,%eax\n"
	" rol $7,%eax\n"
	" add %ecx,%eax\n"
	" xor %edx,%eax\n"
	" pop %edi\n pop %esi\n pop %ebx\n"
	" ret\n"
	/* passon(a, b, c): calls sum3(c, b, a) pushing its own arguments on */
	".globl passon\n"
	"passon:\n"
	" push %ebx\n"				/* a at 8, b at 12, c at 16 */
	" push 8(%esp)\n"			/* [a]: a at 12, b at 16, c at 20 */
	" push 16(%esp)\n"			/* [b][a]: c at 24 */
	" push 24(%esp)\n"			/* [c][b][a] */
	" mov 8(%esp),%ebx\n"			/* a */
	" call sum3\n"
	" add $12,%esp\n"
	" xor %ebx,%eax\n"
	" pop %ebx\n"
	" ret\n"
	/* sum3(x, y, z) = x * 3 + y * 5 + z * 7 (through its slots) */
	"sum3:\n"
	" push %esi\n push %edi\n"		/* x at 12, y at 16, z at 20 */
	" sub $4,%esp\n"			/* x at 16, y at 20, z at 24 */
	" mov 16(%esp),%eax\n"
	" imul $3,%eax,%eax\n"
	" mov 20(%esp),%esi\n"
	" imul $5,%esi,%esi\n"
	" mov 24(%esp),%edi\n"
	" imul $7,%edi,%edi\n"
	" mov %esi,(%esp)\n"
	" add (%esp),%eax\n"
	" add %edi,%eax\n"
	" add $4,%esp\n"
	" pop %edi\n pop %esi\n"
	" ret\n");

int
main(void)
{
	static const uint32_t v[] = { 0, 1, 2, 4, 5, 6, 0x7f, 0x80, 0xff, 0x100, 0x7fffffff, 0x80000000, 0xfffffffb, 0xffffffff, 0x12345678, 0xdeadbeef };
	uint32_t h = 2166136261u, g = 2166136261u;
	unsigned i, j, k;

	for(i = 0; i < sizeof v / sizeof v[0]; i++)
		for(j = 0; j < sizeof v / sizeof v[0]; j++){
			h = (h ^ slots(v[i], v[j])) * 16777619u;
			for(k = 0; k < 4; k++)
				g = (g ^ passon(v[i], v[j], v[k])) * 16777619u;
		}
	printf("slots    %08x\n", h);
	printf("passon   %08x\n", g);
	printf("one      %08x %08x\n", slots(3, 9), passon(1, 2, 3));
	return 0;
}
