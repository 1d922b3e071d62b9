/*
 * fsgs.c — hostile guest: %fs and %gs accesses.  Usage: fsgs KIND
 *	gshuge	load %gs:0x7ffffff0 (glibc's TLS segment, huge offset)
 *	fszero	load %fs:0x10 with %fs still 0 as at process start (the
 *		runtime keeps its own state behind a segment register; the
 *		guest must never reach it)
 *	fshuge	load %fs:0x7ffffff0 with %fs = 0
 *	fstls	copy the TLS selector from %gs to %fs and check that
 *		%fs:0 and %gs:0 agree (legal: prints "fs ok", exits 0)
 * Faulting loads are at the global label fault_KIND.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NOINL __attribute__((noinline, noclone))

NOINL static uint32_t
gshuge(void)
{
	uint32_t v;
	asm volatile(".globl fault_gshuge\nfault_gshuge: movl %%gs:0x7ffffff0, %0" : "=r"(v));
	return v;
}

NOINL static uint32_t
fszero(void)
{
	uint32_t v;
	asm volatile(".globl fault_fszero\nfault_fszero: movl %%fs:0x10, %0" : "=r"(v));
	return v;
}

NOINL static uint32_t
fshuge(void)
{
	uint32_t v;
	asm volatile(".globl fault_fshuge\nfault_fshuge: movl %%fs:0x7ffffff0, %0" : "=r"(v));
	return v;
}

NOINL static int
fstls(void)
{
	uint32_t a, b;
	asm volatile("movw %%gs, %%ax\n\tmovw %%ax, %%fs\n\t"
		     "movl %%fs:0, %0\n\tmovl %%gs:0, %1" : "=r"(a), "=r"(b) :: "eax");
	return a == b && a != 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fsgs KIND\n");
		return 2;
	}
	if (!strcmp(argv[1], "fstls")) {
		if (fstls()) {
			printf("fs ok\n");
			return 0;
		}
		printf("fs differs\n");
		return 1;
	}
	if (!strcmp(argv[1], "gshuge"))
		gshuge();
	else if (!strcmp(argv[1], "fszero"))
		fszero();
	else if (!strcmp(argv[1], "fshuge"))
		fshuge();
	else {
		fprintf(stderr, "fsgs: unknown kind %s\n", argv[1]);
		return 2;
	}
	printf("ESCAPED\n");
	return 3;
}
