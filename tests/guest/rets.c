/*
 * rets.c — returns whose targets change under them.  The long engine
 * sends a ret through a table with one entry per guest address, filled
 * the first time a return lands there (doc/translator.md, "The return
 * table"); every case here returns to one place many times, then changes
 * what is there and returns again: the continuation's bytes rewritten,
 * its page unmapped and mapped again with other code, and returns into
 * the middle of an instruction that was
 * translated from its start, a ret $imm, and recursion deep enough that
 * the returns go to many addresses.  The output must be the CPU's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "retto.h"

typedef uint32_t (*Fn)(void);

enum { PAGE = 4096 };
static unsigned char *page;

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* At p: call +6 (to the ret at p+11); mov $v,%eax; ret; pad; ret.  The
 * continuation p+5 is what the first ret returns to. */
static Fn
emit_call(unsigned char *p, uint32_t v)
{
	static const unsigned char code[] = {
		0xe8, 6, 0, 0, 0,		/* call p+11 */
		0xb8, 0, 0, 0, 0,		/* mov $v, %eax */
		0xc3,				/* ret */
		0xc3,				/* p+11: ret */
	};

	memcpy(p, code, sizeof code);
	put32(p + 6, v);
	return (Fn)(void *)p;
}

static uint32_t
calln(Fn f, int n)
{
	uint32_t s = 0;
	int i;

	for(i = 0; i < n; i++)
		s += f();
	return s;
}

static uint32_t
fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* At p: call p+16 (a ret); mov $v,%eax; jmp p+17 (a ret): code run
 * before the warming and after it (a continuation with no ret of its
 * own, which a warming that kept such fragments would keep, its entry
 * in the table filled then: doc/translator.md, "Warming"). */
static Fn
emit_kept(unsigned char *p, uint32_t v)
{
	static const unsigned char code[] = {
		0xe8, 11, 0, 0, 0,		/* call p+16 */
		0xb8, 0, 0, 0, 0,		/* mov $v, %eax */
		0xeb, 5,			/* jmp p+17 */
		0x90, 0x90, 0x90, 0x90,
		0xc3,				/* p+16: ret */
		0xc3,				/* p+17: ret */
	};

	memcpy(p, code, sizeof code);
	put32(p + 6, v);
	return (Fn)(void *)p;
}

/* ret $8 back to a continuation that is rewritten */
static Fn
emit_retimm(unsigned char *p, uint32_t v)
{
	static const unsigned char code[] = {
		0x6a, 1, 0x6a, 2,		/* push $1; push $2 */
		0xe8, 6, 0, 0, 0,		/* call p+15 */
		0xb8, 0, 0, 0, 0,		/* mov $v, %eax */
		0xc3,				/* ret */
		0xc2, 8, 0,			/* p+15: ret $8 */
	};

	memcpy(p, code, sizeof code);
	put32(p + 10, v);
	return (Fn)(void *)p;
}

int
main(void)
{
	unsigned char *p2;
	Fn f;
	uint32_t v, r;
	int i;

	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(page == MAP_FAILED){
		perror("mmap");
		return 1;
	}
	/* a continuation translated cold, run again warm, then
	 * rewritten: no entry may outlive its bytes */
	f = emit_kept(page + 1024, 3);
	printf("kept cold: %u\n", calln(f, 10));
	retwarm();
	printf("kept warm: %u\n", calln(f, 100));
	for(v = 1; v <= 3; v++){
		put32(page + 1024 + 6, 100 + v);
		/* first from main's text: the call at page+1024, translated
		 * again, would give the continuation a new entry */
		r = retto(page + 1024 + 5);
		printf("kept rewritten %u: %u %u\n", v, r, calln(f, 100));
	}

	/* the continuation's immediate rewritten between rounds */
	f = emit_call(page, 1);
	for(v = 1; v <= 5; v++){
		put32(page + 6, v * 1000);
		printf("smc imm %u: %u\n", v, calln(f, 100));
	}
	/* the continuation's instruction replaced (xor; inc; ret) */
	page[5] = 0x31; page[6] = 0xc0; page[7] = 0x40; page[8] = 0xc3;
	printf("smc insn: %u\n", calln(f, 100));

	/* unmapped and mapped again with other code at the same place */
	for(i = 0; i < 3; i++){
		f = emit_call(page, 7);
		printf("before unmap %d: %u\n", i, calln(f, 50));
		munmap(page, PAGE);
		if(mmap(page, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != page){
			perror("mmap again");
			return 1;
		}
		f = emit_call(page, 11 + i);
		printf("after remap %d: %u\n", i, calln(f, 50));
	}

	/* rets from main's text to code in the second page, which is
	 * written only between rounds (so its translations are write-
	 * protected, not checked on entry as a page written often is): the
	 * table's entry for the target is filled by the first ret and must
	 * not outlive the code it leads to */
	p2 = page + PAGE;
	for(v = 40; v < 44; v++){
		p2[64] = 0xb8; put32(p2 + 65, v); p2[69] = 0xc3;	/* mov $v,%eax; ret */
		printf("ret to p2+64: %u %u\n", retto(p2 + 64), retto(p2 + 64));
	}
	/* unmapped and mapped again with other code */
	for(v = 50; v < 53; v++){
		munmap(p2, PAGE);
		if(mmap(p2, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p2){
			perror("mmap again");
			return 1;
		}
		p2[64] = 0xb8; put32(p2 + 65, v); p2[69] = 0xc3;
		printf("remapped, ret to p2+64: %u %u\n", retto(p2 + 64), retto(p2 + 64));
	}

	/* into the middle of an instruction translated from its start:
	 * mov $0xc3909090,%eax at p2+128, then a ret to p2+129 runs
	 * nop; nop; nop; ret with eax as it was */
	p2[128] = 0xb8; put32(p2 + 129, 0xc3909090); p2[133] = 0xc3;
	printf("whole insn: %#x\n", retto(p2 + 128));
	printf("middle: %s\n", retto(p2 + 129) == 0xc3909090 ? "eax from the whole insn" : "eax as the caller left it");
	printf("middle again: %s\n", retto(p2 + 130) == 0xc3909090 ? "eax from the whole insn" : "eax as the caller left it");
	p2[131] = 0x40;	/* nop; inc %eax; ret from p2+130 */
	printf("middle rewritten: %#x\n", retto(p2 + 128));

	/* ret $8 to a rewritten continuation */
	f = emit_retimm(page + 256, 5);
	for(v = 1; v <= 3; v++){
		put32(page + 266, v);
		printf("ret imm %u: %u\n", v, calln(f, 20));
	}

	/* many return addresses, many times */
	printf("fib(24) = %u\n", fib(24));
	return 0;
}
