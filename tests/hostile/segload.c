/*
 * segload.c — hostile guest: loads a segment register with a chosen
 * selector.  Usage: segload KIND SELECTOR, KIND one of
 *	movds moves movss movfs movgs	mov to the register
 *	popds popes popss popfs popgs	pop into it
 *	lds les lss lfs lgs		far-pointer loads
 * The faulting instruction sits at the global label fault_KIND so the
 * test can check the trap's eip.  In the sandbox these selectors would
 * name the host's GDT segments (0x23, 0x2b, 0x33) or the sandbox's own
 * LDT entries; every one must trap (PRIVILEGED) at that label.
 * If the load is let through, the program prints ESCAPED and exits 3.
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

/* One function per form; the label marks the instruction itself. */
#define MOVSEG(name, reg) \
NOINL static void name(uint32_t s) { \
	asm volatile(".globl fault_" #name "\nfault_" #name ": movw %w0, %%" #reg \
		     :: "r"(s) : "memory"); \
}
#define POPSEG(name, reg) \
NOINL static void name(uint32_t s) { \
	asm volatile("pushl %0\n.globl fault_" #name "\nfault_" #name ": popl %%" #reg \
		     :: "r"(s) : "memory"); \
}
#define LSEG(name) \
NOINL static void name(uint32_t s) { \
	uint32_t r; \
	farptr.sel = (uint16_t)s; \
	asm volatile(".globl fault_" #name "\nfault_" #name ": " #name " %1, %0" \
		     : "=r"(r) : "m"(farptr) : "memory"); \
}

MOVSEG(movds, ds) MOVSEG(moves, es) MOVSEG(movss, ss) MOVSEG(movfs, fs) MOVSEG(movgs, gs)
POPSEG(popds, ds) POPSEG(popes, es) POPSEG(popss, ss) POPSEG(popfs, fs) POPSEG(popgs, gs)
LSEG(lds) LSEG(les) LSEG(lfs) LSEG(lgs)

/* lss replaces %esp too: keep it pointing at the current stack. */
NOINL static void
lss(uint32_t s)
{
	farptr.sel = (uint16_t)s;
	asm volatile("movl %%esp, %0\n"
		     ".globl fault_lss\nfault_lss: lss %0, %%esp" : "+m"(farptr) :: "memory");
}

static const struct {
	const char *name;
	void (*fn)(uint32_t);
} kinds[] = {
	{ "movds", movds }, { "moves", moves }, { "movss", movss }, { "movfs", movfs },
	{ "movgs", movgs }, { "popds", popds }, { "popes", popes }, { "popss", popss },
	{ "popfs", popfs }, { "popgs", popgs }, { "lds", lds }, { "les", les },
	{ "lss", lss }, { "lfs", lfs }, { "lgs", lgs },
};

int
main(int argc, char **argv)
{
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: segload KIND SELECTOR\n");
		return 2;
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(argv[1], kinds[i].name) == 0) {
			kinds[i].fn((uint32_t)strtoul(argv[2], NULL, 0));
			/* reached only when the load was allowed; %ds may be
			 * unusable now, so write with a bare system call */
			asm volatile("int $0x80" :: "a"(4), "b"(1), "c"("ESCAPED\n"), "d"(8) : "memory");
			_exit(3);
		}
	fprintf(stderr, "segload: unknown kind %s\n", argv[1]);
	return 2;
}
