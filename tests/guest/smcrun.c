/*
 * smcrun.c — self-modifying code from inside a run of pushes (the long
 * engine's runs across stack slots, translong.c stkslot): generated code
 * moves esp into its own page, pushes there, and patches an instruction
 * ahead of it through a stack slot (`mov %eax,-0x2d(%esp)` between
 * pushes and a slot increment), with a jump in between as the Intel SDM
 * asks.  Every call must see its own patch: the stores in the run fault
 * on the write-protected code page, and the page turns volatile after
 * some (checked fragments).  (Without the jump both engines run the old
 * immediate once the page is volatile, where this CPU runs the new: the
 * SDM leaves that open.)  Red team, session 24.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef uint32_t (*Fn)(uint32_t);

/* f(x) = x + (x + 1) + x: the last x patched into add $imm,%eax */
static const unsigned char code[] = {
	0x8b, 0x44, 0x24, 0x04,		/* 0x00 mov 4(%esp),%eax */
	0x89, 0xe2,			/* 0x04 mov %esp,%edx */
	0xbc, 0, 0, 0, 0,		/* 0x06 mov $page+0x60,%esp */
	0x50,				/* 0x0b push %eax (page+0x5c) */
	0x50,				/* 0x0c push %eax (page+0x58) */
	0x89, 0x44, 0x24, 0xd3,		/* 0x0d mov %eax,-0x2d(%esp): the imm at 0x2b */
	0xff, 0x44, 0x24, 0x04,		/* 0x11 incl 4(%esp) */
	0x03, 0x44, 0x24, 0x04,		/* 0x15 add 4(%esp),%eax */
	0xeb, 0x00,			/* 0x19 jmp 0x1b */
	0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,	/* 0x1b */
	0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,	/* 0x23 */
	0x05, 0, 0, 0, 0,		/* 0x2a add $imm,%eax */
	0x59,				/* 0x2f pop %ecx */
	0x59,				/* 0x30 pop %ecx */
	0x89, 0xd4,			/* 0x31 mov %edx,%esp */
	0xc3,				/* 0x33 ret */
};

static uint32_t
calls(unsigned char *page)
{
	uint32_t i, sum = 0, top = (uint32_t)(uintptr_t)page + 0x60;
	Fn f = (Fn)(void *)page;

	memcpy(page, code, sizeof code);
	memcpy(page + 7, &top, 4);
	for(i = 0; i < 3000; i++)
		sum = sum * 31 + f(i * 0x10001);
	return sum;
}

int
main(void)
{
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if(page == MAP_FAILED){
		printf("mmap failed\n");
		return 1;
	}
	printf("patched through a slot, a jump after: %08x\n", calls(page));
	return 0;
}
