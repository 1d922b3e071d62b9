/*
 * retto.h — for guests that test returns (rets.c, tests/racy/retsmc.c):
 * a ret to `to` from the caller's own text, whose target then returns
 * (with a ret of its own) to the caller; its eax comes back.
 */
static uint32_t
retto(unsigned char *to)
{
	uint32_t r;

	__asm__ volatile(
		"call 1f\n"
		"jmp 2f\n"
		"1: push %1\n"
		"ret\n"
		"2:\n"
		: "=a"(r) : "r"(to) : "memory", "ecx", "edx");
	return r;
}

/* A million and more rets: a long-engine Vx uses its own return table
 * only once a million have missed the shared one (libvx/translate.c). */
static void
retwarm(void)
{
	__asm__ volatile(
		"mov $1200000, %%ecx\n"
		"1: call 2f\n"
		"jmp 3f\n"
		"2: ret\n"
		"3: loop 1b\n"
		::: "ecx", "memory");
}
