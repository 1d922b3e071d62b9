/*
 * x87env.c — the x87 environment images (fnstenv, fnsave in both
 * operand sizes, fxsave) hold the last x87 instruction's address and
 * selectors.  A sandbox must not show its code cache's address there
 * (the pointer is 0 or inside the program) nor its own selectors (the
 * guest's flat 0x23 and 0x2b).  Operands through a base, an index,
 * %esp and a %gs: override.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern char __executable_start[], etext[];

static double one = 1.5, out;
static uint8_t img[512] __attribute__((aligned(16)));
static uint8_t fx[512 + 16] __attribute__((aligned(16)));

static uint32_t
get(const uint8_t *p, int off, int w)
{
	uint32_t v = 0;

	memcpy(&v, p + off, (size_t)w);
	return v;
}

/* the pointer at ip (w bytes), code selector at cs, data selector at ds */
static void
show(const char *what, const uint8_t *p, int ip, int w, int cs, int ds)
{
	uint32_t a = get(p, ip, w);
	int ok = a == 0 || (w == 2 ? 1 : (a >= (uint32_t)(uintptr_t)__executable_start && a < (uint32_t)(uintptr_t)etext));

	uint32_t c = get(p, cs, 2), d = get(p, ds, 2);

	/* fxsave's selectors are 0 on CPUs that deprecate them (and AMD's) */
	if(ip == 8 && c == 0 && d == 0)
		c = 0x23, d = 0x2b;
	printf("%s: ip %s cs %x ds %x\n", what, ok ? "guest" : "FOREIGN", c, d);
}

int
main(void)
{
	uint32_t tcb, i = 4;
	uint8_t *sp;

	memset(img, 0xee, sizeof img);
	__asm__ volatile("fldl %1\n\tfstpl %2\n\tfnstenv %0\n\tfldenv %0" : "=m"(img) : "m"(one), "m"(out));
	show("fnstenv", img, 12, 4, 16, 24);

	memset(img, 0xee, sizeof img);
	__asm__ volatile("fldl %0\n\tfstpl %1\n\tfnstenv -4(%2,%3,1)\n\tfldenv -4(%2,%3,1)"
		:: "m"(one), "m"(out), "r"(img), "r"(i) : "memory");
	show("fnstenv index", img, 12, 4, 16, 24);

	memset(img, 0xee, sizeof img);
	__asm__ volatile("fldl %1\n\tfstpl %2\n\tdata16 fnstenv %0\n\tdata16 fldenv %0" : "=m"(img) : "m"(one), "m"(out));
	show("fnstenv 16", img, 6, 2, 8, 12);

	memset(img, 0xee, sizeof img);
	__asm__ volatile("fldl %1\n\tfstpl %2\n\tfnsave %0\n\tfrstor %0" : "=m"(img) : "m"(one), "m"(out));
	show("fnsave", img, 12, 4, 16, 24);

	memset(img, 0xee, sizeof img);
	__asm__ volatile("sub $128, %%esp\n\tfldl %1\n\tfstpl %2\n\tfnsave (%%esp)\n\tfrstor (%%esp)\n\t"
		"mov %%esp, %0\n\tadd $128, %%esp" : "=r"(sp) : "m"(one), "m"(out) : "memory");
	show("fnsave esp", sp, 12, 4, 16, 24);	/* below esp, but nothing ran over it */

	uint8_t *f = fx + (16 - ((uintptr_t)fx & 15)) % 16;
	memset(f, 0xee, 512);
	__asm__ volatile("fldl %1\n\tfstpl %2\n\tfxsave %0" : "=m"(*(uint8_t (*)[512])f) : "m"(one), "m"(out));
	show("fxsave", f, 8, 4, 12, 20);

	/* glibc's thread block holds its own address at %gs:0 */
	memset(img, 0xee, sizeof img);
	__asm__ volatile("mov %%gs:0, %0" : "=r"(tcb));
	__asm__ volatile("fldl %0\n\tfstpl %1\n\tfnstenv %%gs:(%2)\n\tfldenv %%gs:(%2)"
		:: "m"(one), "m"(out), "r"((uint32_t)(uintptr_t)img - tcb) : "memory");
	show("fnstenv gs", img, 12, 4, 16, 24);
	return 0;
}
