/*
 * far.c — hostile guest: a far control transfer to a chosen selector.
 * Usage: far KIND SELECTOR, KIND one of
 *	jmp	ljmp through a memory far pointer
 *	call	lcall through a memory far pointer
 *	lret	far return through a crafted stack frame
 *	iret	iret through a crafted frame (current EFLAGS)
 * The transfer sits at the global label fault_KIND.  Targets are
 * escaped(), which prints ESCAPED and exits 3.  Selectors 0x23 and 0x33
 * are the host's 32- and 64-bit code segments; others may name the
 * sandbox's own LDT entries.  Every one must trap (PRIVILEGED) at the label.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOINL __attribute__((noinline, noclone))

static struct {
	uint32_t off;
	uint16_t sel;
} __attribute__((packed)) farptr;

static void
escaped(void)
{
	asm volatile("int $0x80" :: "a"(4), "b"(1), "c"("ESCAPED\n"), "d"(8) : "memory");
	asm volatile("int $0x80" :: "a"(1), "b"(3));
}

NOINL static void
fjmp(uint32_t s)
{
	farptr.off = (uint32_t)(uintptr_t)escaped;
	farptr.sel = (uint16_t)s;
	asm volatile(".globl fault_jmp\nfault_jmp: ljmp *%0" :: "m"(farptr) : "memory");
}

NOINL static void
fcall(uint32_t s)
{
	farptr.off = (uint32_t)(uintptr_t)escaped;
	farptr.sel = (uint16_t)s;
	asm volatile(".globl fault_call\nfault_call: lcall *%0" :: "m"(farptr) : "memory");
}

NOINL static void
flret(uint32_t s)
{
	asm volatile("pushl %0\n\tpushl %1\n"
		     ".globl fault_lret\nfault_lret: lret"
		     :: "r"(s), "r"((uint32_t)(uintptr_t)escaped) : "memory");
}

NOINL static void
firet(uint32_t s)
{
	asm volatile("pushfl\n\tpushl %0\n\tpushl %1\n"
		     ".globl fault_iret\nfault_iret: iret"
		     :: "r"(s), "r"((uint32_t)(uintptr_t)escaped) : "memory");
}

int
main(int argc, char **argv)
{
	uint32_t s;

	if (argc != 3) {
		fprintf(stderr, "usage: far KIND SELECTOR\n");
		return 2;
	}
	s = (uint32_t)strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "jmp"))
		fjmp(s);
	else if (!strcmp(argv[1], "call"))
		fcall(s);
	else if (!strcmp(argv[1], "lret"))
		flret(s);
	else if (!strcmp(argv[1], "iret"))
		firet(s);
	else {
		fprintf(stderr, "far: unknown kind %s\n", argv[1]);
		return 2;
	}
	printf("ESCAPED (fell through)\n");
	return 3;
}
