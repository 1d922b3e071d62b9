/*
 * segread.c — what a guest reads from %cs %ds %es %ss: Linux's flat
 * selectors (0x23, 0x2b), whatever the sandbox keeps in the real
 * registers.  mov to a 32-bit register (upper half zeroed), to a 16-bit
 * one (upper half kept), to memory (16 bits stored, the neighbours
 * kept), to memory through a %gs: override, and push with either
 * operand size (the slot zeroed first: some CPUs write only 16 bits of
 * a 32-bit push).  %fs and %gs are not printed: qemu's TLS selector
 * differs from Linux's.
 */
#include <stdint.h>
#include <stdio.h>

static uint32_t slot[2];

int
main(void)
{
	uint32_t cs, ds, es, ss, w, tcb, v;
	uint16_t m[3] = { 0x1111, 0x2222, 0x3333 };

	cs = ds = es = ss = 0xdeadbeef;
	__asm__ volatile("mov %%cs, %0\n\tmov %%ds, %1\n\tmov %%es, %2\n\tmov %%ss, %3"
		: "+r"(cs), "+r"(ds), "+r"(es), "+r"(ss));
	printf("mov r32: cs %x ds %x es %x ss %x\n", cs, ds, es, ss);

	cs = ds = es = ss = 0xdeadbeef;
	__asm__ volatile("mov %%cs, %w0\n\tmov %%ds, %w1\n\tmov %%es, %w2\n\tmov %%ss, %w3"
		: "+r"(cs), "+r"(ds), "+r"(es), "+r"(ss));
	printf("mov r16: cs %x ds %x es %x ss %x\n", cs, ds, es, ss);

	__asm__ volatile("movw %%ds, %0" : "=m"(m[1]));
	printf("mov m16: %x %x %x\n", m[0], m[1], m[2]);
	__asm__ volatile(".byte 0x66\n\tmovw %%ss, %0" : "=m"(m[0]));	/* 0x66: still 16 bits */
	__asm__ volatile("movw %%cs, %0" : "=m"(m[2]));
	printf("mov m16: %x %x %x\n", m[0], m[1], m[2]);

	/* through %gs: glibc's thread block holds its own address at %gs:0 */
	slot[0] = slot[1] = 0xffffffff;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(tcb));
	__asm__ volatile("movw %%es, %%gs:(%0)\n\tmovw %%cs, %%gs:2(%0)"
		:: "r"((uint32_t)(uintptr_t)slot - tcb) : "memory");
	__asm__ volatile(".byte 0x66\n\tmovw %%ss, %%gs:4(%0)" :: "r"((uint32_t)(uintptr_t)slot - tcb) : "memory");
	printf("mov %%gs:m16: %08x %08x\n", slot[0], slot[1]);

	for (int i = 0; i < 4; i++) {
		__asm__ volatile("pushl $0\n\tpopl %0" : "=r"(v));
		switch (i) {
		case 0: __asm__ volatile("push %%ds\n\tpopl %0" : "=r"(v)); break;
		case 1: __asm__ volatile("push %%es\n\tpopl %0" : "=r"(v)); break;
		case 2: __asm__ volatile("push %%ss\n\tpopl %0" : "=r"(v)); break;
		case 3: __asm__ volatile("push %%cs\n\tpopl %0" : "=r"(v)); break;
		}
		__asm__ volatile("mov %%esp, %0\n\tpushw %%ds\n\tsub %%esp, %0\n\tpopw %w1"
			: "=&r"(w), "=r"(ds));
		printf("push %d: %x, pushw %u bytes %x\n", i, v, w, ds & 0xffff);
	}
	return 0;
}
