/*
 * validate.c — tests of the long engine's code validator (libvx/validate.c):
 *  1. hand-assembled sequences: every rule of long-contract.md with
 *     accepted and rejected examples; the reason names rule and offset;
 *  2. the validator's own length decoder against objdump on x86-64 host
 *     binaries (libc, libm, libstdc++, gcc, as): at least 500,000
 *     instructions must agree;
 *  3. random and mutated byte strings (bounded here; tests/validate.t
 *     runs a million under ASan): never a crash, never a read past len.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "vxpriv.h"

enum {
	ADDR = 0x10001000,	/* where the hand cases "are" */
	STATESIZE = 0x40800,
	XSTACK = 0x400, XSTACKSIZE = 0x100,
};
static const uint64_t stubs[] = { 0x30000000, 0x30000040 };
static const VxValid vv = {
	.cachelo = 0x10000000, .cachehi = 0x20000000,
	.stubs = stubs, .nstubs = 2,
	.statesize = STATESIZE, .xstack = XSTACK, .xstacksize = XSTACKSIZE,
};

/* As the engine passes it: the inline lookup's table, the fields
   fragments use (0x2c..0x78, as S_EXITCODE..S_DFBIT+4: up to the
   virtual segment value, then the long engine's copy of the guest's DF) */
static const VxValid vs = {
	.cachelo = 0x10000000, .cachehi = 0x20000000,
	.stubs = stubs, .nstubs = 2,
	.statesize = STATESIZE, .xstack = XSTACK, .xstacksize = XSTACKSIZE,
	.htable = 0x800, .fieldlo = 0x2c, .fieldhi = 0x78, .rtab = 1, .envlo = 0xd8,
	.count = 0x78,
};

/* A mini assembler: hex bytes, and "@stub" "@cache" "@out" for a jmp
   rel32 to stub 0, into the code cache, nowhere allowed.  Unless the text
   starts with "!", a jmp to stub 1 ends the code. */
static int
assemble(const char *s, uint8_t *b, int max)
{
	int n, term;
	unsigned v;
	uint64_t to;
	int32_t rel;

	n = 0;
	term = 1;
	if(*s == '!'){
		term = 0;
		s++;
	}
	for(;;){
		while(isspace((unsigned char)*s))
			s++;
		if(*s == 0 && term){
			s = "@stub1";
			term = 0;
		}
		if(*s == 0)
			break;
		if(*s == '@'){
			if(strncmp(s, "@stub1", 6) == 0)
				to = stubs[1], s += 6;
			else if(strncmp(s, "@stub", 5) == 0)
				to = stubs[0], s += 5;
			else if(strncmp(s, "@cache", 6) == 0)
				to = vv.cachelo + 0x100, s += 6;
			else
				to = 0x50000000, s += 4;
			if(n + 5 > max)
				return -1;
			rel = (int32_t)(to - (ADDR + n + 5));
			b[n++] = 0xe9;
			memcpy(b + n, &rel, 4);
			n += 4;
			continue;
		}
		if(n >= max || sscanf(s, "%2x", &v) != 1)
			return -1;
		b[n++] = v;
		s += 2;
	}
	return n;
}

typedef struct Case {
	const char *code;
	const char *want;	/* NULL: accepted; else a substring of the reason */
	const char *name;
} Case;

static const Case cases[] = {
	/* rule 1 */
	{"65 67 8b 03", NULL, "mov %gs:(%ebx),%eax"},
	{"65 67 89 44 24 04", NULL, "mov %eax,%gs:4(%esp)"},
	{"65 67 8b 04 8d 00 10 00 00", NULL, "scaled index, no base"},
	{"65 67 8b 04 25 f0 ff ff ff", NULL, "absolute disp32 through SIB"},
	{"65 67 44 8b 00", NULL, "load into r8d through %gs"},
	{"65 67 66 0f 6f 03", NULL, "movdqa from guest memory"},
	{"65 67 d9 03", NULL, "flds"},
	{"65 67 f0 0f b1 0b", NULL, "lock cmpxchg"},
	{"65 67 0f ae 03", NULL, "fxsave"},
	{"65 67 0f c7 0b", NULL, "cmpxchg8b"},
	{"65 67 0f c7 23", "xsave family", "xsavec (the decoder refuses it: cpuid hides XSAVE)"},
	{"65 67 0f ae 23", "rule 13", "xsave"},
	{"65 67 0f ae 2b", "rule 13", "xrstor"},
	{"65 67 0f ae 33", "rule 13", "xsaveopt"},
	{"65 67 66 0f ae 33", NULL, "clwb (66 0f ae /6)"},
	{"65 67 0f ae 3b", NULL, "clflush"},
	{"f3 0f c7 f8", NULL, "rdpid %eax (the decoder's PLAIN)"},
	{"0f 01 f9", NULL, "rdtscp (the decoder's PLAIN; refused before: seed 276837625)"},
	{"0f 01 e8", NULL, "serialize (likewise)"},
	{"66 0f 01 f9", "rule 9", "rdtscp with 66 (#UD; the decoder says so)"},
	{"f3 0f 01 e8", "rule 9", "f3 0f 01 e8: setssbsy"},
	{"0f 01 ee", "rule 9", "rdpkru (the decoder refuses it: cpuid hides PKU)"},
	{"65 67 0f c7 2b", "rule 9", "xsaves"},
	{"f3 0f c7 f0", "rule 9", "f3 /6 register: senduipi"},
	{"0f c7 f0", NULL, "rdrand %eax"},
	{"66 0f c7 fe", NULL, "rdseed %si (refused before: codefuzz seed 291000519)"},
	{"66 0f c7 f4", NULL, "rdrand %sp (keeps the upper bits of %rsp, as a 32-bit write clears them)"},
	{"65 67 0f 18 0b", NULL, "prefetch"},
	{"65 67 c4 e2 70 f2 03", NULL, "andn from guest memory"},
	{"65 67 c5 fc 28 03", "rule 13", "vmovaps from guest memory"},
	{"65 67 a1 fc ff ff ff", NULL, "moffs load at 0xfffffffc"},
	{"65 67 0f f7 c1", NULL, "maskmovq through %gs:(%edi)"},
	{"0f 1f 44 00 00", NULL, "nop with ModRM accesses nothing"},
	{"2e 90", NULL, "segment prefix on a non-memory instruction"},
	{"8b 03", "without %gs and addr32 (rule 1)", "no prefixes"},
	{"67 8b 03", "without %gs (rule 1)", "missing 0x65"},
	{"65 8b 03", NULL, "no addr32, base rbx, no displacement (translong.c, disp8)"},
	{"65 8b 01", "without addr32 (rule 1)", "no addr32, base rcx (a 64-bit loop may set its upper half)"},
	{"65 41 8b 00", "without addr32 (rule 1)", "no addr32, base r8"},
	{"65 8b 83 08 00 00 00", "without addr32 (rule 1)", "no addr32, base rbx, disp32"},
	{"65 8b 04 03", "without addr32 (rule 1)", "no addr32, base rbx with an index"},
	{"65 0f a3 03", "more than the ModRM's (rule 1)", "bt with a register offset, no addr32"},
	/* a stack slot needs no addr32 (translong.c, stackdisp8) */
	{"65 8b 44 24 08", NULL, "mov %gs:8(%rsp),%eax"},
	{"65 8b 04 24", NULL, "mov %gs:(%rsp),%eax"},
	{"65 44 89 4c 24 80", NULL, "mov %r9d,%gs:-128(%rsp)"},
	{"66 65 c7 44 24 fe 2b 00", NULL, "movw $0x2b,%gs:-2(%rsp)"},
	{"65 8b 84 24 00 01 00 00", "without addr32 (rule 1)", "a stack slot at disp32 0x100"},
	{"65 8b 84 24 7f 00 00 00", "without addr32 (rule 1)", "a stack slot at disp32 0x7f"},
	{"65 8b 44 0c 08", "without addr32 (rule 1)", "a stack slot with an index"},
	{"65 8b 43 08", NULL, "base rbx, disp8, without addr32"},
	{"65 8b 45 f8", NULL, "base rbp, disp8, without addr32"},
	{"65 8b 47 7f 65 8b 40 80 65 8b 52 10 65 8b 76 01", NULL, "bases rdi, rax, rdx, rsi without addr32"},
	/* rule 1: a register a 64-bit write may have left with an upper half */
	{"48 83 c0 01 65 8b 40 08", "upper half may be set (rule 1)", "after add $1,%rax (REX.W)"},
	{"48 8b c3 65 8b 40 08", "upper half may be set (rule 1)", "after mov %rbx,%rax"},
	{"48 63 d8 65 8b 03", "upper half may be set (rule 1)", "after movslq %eax,%rbx"},
	{"48 83 c0 01 41 8b 47 40 65 8b 40 08", NULL, "after add $1,%rax and a 32-bit reload of eax"},
	{"48 83 c0 01 66 41 8b 47 40 65 8b 40 08", "upper half may be set (rule 1)", "a 16-bit reload keeps the upper half"},
	{"48 83 c0 01 65 40 8b 40 08", "upper half may be set (rule 1)", "a 32-bit load into rax through the rax it clears"},
	{"65 48 8b 40 08 41 8b 47 40", NULL, "a 64-bit load into rax through rax as it was, then a reload"},
	{"65 48 8b 40 08 65 8b 40 08", "upper half may be set (rule 1)", "a 64-bit load into rax, then rax as a base"},
	{"48 83 c0 01 65 67 8b 40 08 41 8b 47 40", NULL, "with addr32 it does not matter"},
	{"48 83 c3 01 65 8b 40 08 41 8b 5f 40", NULL, "another register's upper half"},
	{"48 83 c0 01 eb 00 41 8b 47 40", "upper half may be set (rule 1)", "a branch while set"},
	{"49 8d a7 00 05 00 00 9c 58 44 89 c4 65 8b 40 08", "upper half may be set (rule 1)", "after a 64-bit pop of rax"},
	{"49 8d a7 00 05 00 00 9c 58 44 89 c4 42 8d 04 08 65 8b 40 08", NULL, "after the pop, lpushf's lea (%rax,%r9),%eax"},
	/* red team, session 27: other ways to a 64-bit register write */
	{"48 87 c3 65 8b 43 08", "rule", "xchg %rax,%rbx (REX.W) then rbx as a base"},
	{"48 0f c1 c3 65 8b 43 08", "rule", "xadd %rax,%rbx (REX.W)"},
	{"48 0f b1 cb 65 8b 40 08", "rule", "cmpxchg %rcx,%rbx (REX.W, rax implicitly)"},
	{"48 f7 e3 65 8b 42 08", "rule", "mul %rbx (REX.W, rdx:rax)"},
	{"48 99 65 8b 42 08", "rule", "cqo (rdx)"},
	{"48 98 65 8b 40 08", "rule", "cdqe (rax)"},
	{"48 0f cb 65 8b 43 08", "rule", "bswap %rbx"},
	{"48 b8 00 00 00 00 01 00 00 00 65 8b 40 08", "upper half may be set (rule 1)", "movabs $2^32,%rax"},
	{"48 c7 c0 ff ff ff ff 65 8b 40 08", "upper half may be set (rule 1)", "mov $-1,%rax (sign-extended imm32)"},
	{"48 0f 44 c3 65 8b 40 08", "upper half may be set (rule 1)", "cmove %rbx,%rax"},
	{"48 0f bf c3 65 8b 40 08", "upper half may be set (rule 1)", "movswq %bx,%rax"},
	{"48 8d 04 18 65 8b 40 08", "rule", "lea (%rax,%rbx),%rax (REX.W)"},
	{"48 8b c3 40 0f 44 c3 65 8b 40 08", NULL, "a 32-bit cmov with REX clears even when not taken"},
	{"48 8b c3 87 c3 65 8b 43 08 41 8b 47 40", NULL, "xchg %eax,%ebx (32 bits): rbx zero-extended"},
	{"48 8b c3 87 c3 65 8b 40 08", "upper half may be set (rule 1)", "xchg %eax,%ebx: rax kept dirty (no REX, conservative)"},
	{"48 8b c3 0f bc c1 65 8b 40 08", "upper half may be set (rule 1)", "bsf %ecx,%eax keeps rax's upper half when ecx is 0"},
	{"48 8b c3 66 40 63 c1 65 8b 40 08", "upper half may be set (rule 1)", "a 16-bit movsxd keeps it"},
	{"66 48 0f 7e c3 65 8b 43 08", "rule", "movq %xmm0,%rbx"},
	{"66 48 0f 3a 16 c3 00 65 8b 43 08", "rule", "pextrq $0,%xmm0,%rbx"},
	{"48 0f c7 f3 65 8b 43 08", "rule", "rdrand %rbx"},
	{"f2 48 0f 2d d8 65 8b 43 08", "rule", "cvtsd2si %xmm0,%rbx"},
	{"f3 48 0f b8 d8 65 8b 43 08", "rule", "popcnt %rax,%rbx"},
	{"8f c3 65 8b 43 08", "rule", "pop %rbx through 8f (64 bits)"},
	{"49 8d a7 00 05 00 00 9c 5b 44 89 c4 65 8b 43 08", "upper half may be set (rule 1)", "pushfq; pop %rbx; rbx as a base"},
	{"49 8d a7 00 05 00 00 9c 48 5b 44 89 c4 65 8b 43 08", "upper half may be set (rule 1)", "pop %rbx with REX.W"},
	{"49 8d a7 00 05 00 00 9c 41 5b 44 89 c4 65 8b 43 08", NULL, "pop %r11 leaves rbx"},
	{"40 48 8b c3 65 8b 40 08", "unknown", "two REX prefixes (the last counts)"},
	{"48 40 8b c3 65 8b 40 08", "unknown", "two REX prefixes, the 32-bit one last"},
	{"48 66 8b c3 65 8b 40 08", "unknown", "a prefix after REX.W cancels it"},
	{"c4 e2 e0 f2 c3 65 8b 40 08", "rule 12", "andn W1 into rax"},
	{"c4 e3 fb f0 c3 05 65 8b 40 08", "rule 12", "rorx W1 into rax"},
	{"c4 e2 e3 f6 c3 65 8b 43 08", "rule 12", "mulx W1 (rax and rbx)"},
	{"c4 e2 f8 f7 c3 65 8b 40 08", "rule 12", "bextr W1"},
	{"c4 e2 f8 f5 c3 65 8b 40 08", "rule 12", "bzhi W1"},
	{"c4 e2 e3 f5 c3 65 8b 40 08", "rule 12", "pdep W1"},
	{"c4 e2 e2 f5 c3 65 8b 40 08", "rule 12", "pext W1"},
	{"c4 e2 f9 f7 c3 65 8b 40 08", "rule 12", "shlx W1"},
	{"c4 e2 f8 f3 cb 65 8b 40 08", "rule 12", "blsr W1 (into vvvv, rax)"},
	{"c4 e2 60 f2 c3 65 8b 40 08 c4 e2 78 f3 cb 65 8b 40 08", NULL, "andn, blsr W0: 32 bits"},
	{"c4 e1 f9 7e c3 65 8b 43 08", "rule 12", "vmovq %xmm0,%rbx"},
	{"c4 e3 f9 16 c3 00 65 8b 43 08", "rule 12", "vpextrq $0,%xmm0,%rbx"},
	{"c4 e1 fb 2d d8 65 8b 43 08", "rule 12", "vcvtsd2si %xmm0,%rbx"},
	{"48 83 c3 01 90 41 8b 5f 40 74 f9", "rule", "a branch to an instruction where rbx may be set"},
	{"48 83 c1 01 e3 00", "upper half may be set (rule 1)", "jrcxz while rcx's upper half may be set"},
	{"48 83 c0 01 e2 00", "upper half may be set (rule 1)", "loop while rax's upper half may be set"},
	{"48 83 c0 01 0f 84 00 00 00 00", "upper half may be set (rule 1)", "jcc rel32 while set"},
	{"48 83 c0 01 e9 @stub", "upper half may be set (rule 1)", "jmp to a stub while set"},
	{"48 83 c0 01 65 8b 04 20", "upper half may be set (rule 1)", "base rax through a SIB with no index"},
	{"48 83 c0 01 65 8b 44 20 08", "upper half may be set (rule 1)", "the same with disp8"},
	{"65 42 8b 04 20", "without addr32 (rule 1)", "SIB index 4 with REX.X is r12, an index"},
	{"65 41 8b 44 24 08", "without addr32 (rule 1)", "base r12 (SIB base 4 with REX.B)"},
	{"65 8b 04 25 00 00 00 00", "without addr32 (rule 1)", "SIB with no base: an absolute address"},
	{"65 8b 44 05 08", "without addr32 (rule 1)", "base rbp with an index"},
	{"64 8b 43 08", "rule 1", "%fs:8(%rbx)"},
	{"65 64 8b 43 08", "rule 1", "two segment prefixes"},
	{"48 83 c3 01 65 67 8b 43 08 65 0f 18 43 08", "upper half may be set (rule 1)", "a prefetch through a set rbx"},
	{"48 83 c3 01 65 0f 1f 43 08 41 8b 5f 40", NULL, "a nop's operand is no access"},
	{"48 83 c3 01 65 8d 43 08 41 8b 5f 40", NULL, "lea through a set rbx computes, accesses nothing"},
	{"48 83 c3 01 65 c5 f8 77", "rule", "a VEX form without ymm"},
	{"8b 44 24 08", "without %gs and addr32 (rule 1)", "a stack slot without %gs"},
	{"49 8d a7 00 05 00 00 65 8b 44 24 08 89 c4", "without addr32 (rule 1)", "a stack slot while rsp is the scratch stack"},
	{"49 8d a7 00 05 00 00 89 c4 65 8b 44 24 08", NULL, "a stack slot after esp is the guest's again"},
	/* a call's run with its esp change made ahead (translong.c, callrun):
	 * the lea first, the slots above esp, the return address at 0 */
	{"8d 64 24 ec 65 c7 44 24 10 00 00 00 00 65 89 44 24 0c 65 44 8b 4c 24 28 65 44 89 4c 24 04 65 c7 44 24 00 39 37 75 3f",
		NULL, "a call's run made ahead: lea, pushes' and return address's stores above esp"},
	{"48 8d 64 24 ec 65 89 44 24 0c 65 c7 44 24 00 39 37 75 3f", "rule", "a call's run made ahead by a 64-bit lea of rsp"},
	{"48 83 ec 14 65 89 44 24 0c 65 c7 44 24 00 39 37 75 3f", "64-bit write of %rsp (rule 10)", "a call's run made ahead by sub $20,%rsp"},
	{"8d 64 24 ec 65 89 84 24 80 00 00 00", "without addr32 (rule 1)", "a slot made ahead past 8 bits, without addr32"},
	/* not where the address is more than the slot (red team, session 22) */
	{"65 0f a3 04 24", "more than the ModRM's (rule 1)", "bt %eax,%gs:(%rsp): a register bit offset"},
	{"65 67 0f a3 04 24", NULL, "bt %eax,%gs:(%esp)"},
	{"64 67 8b 03", "other than %gs (rule 1)", "%fs prefix"},
	{"2e 65 67 8b 03", "other than %gs (rule 1)", "second segment prefix"},
	{"65 67 8b 05 00 00 00 00", "RIP-relative", "RIP-relative with prefixes"},
	{"8b 05 00 00 00 00", "RIP-relative", "RIP-relative"},
	{"0f c7 0b", "rule 1", "cmpxchg8b without prefixes"},
	{"0f 18 0b", "rule 1", "prefetch without prefixes"},
	{"c5 fc 28 03", "rule 1", "vmovaps without prefixes"},
	{"a1 fc ff ff ff 00 00 00 00", "rule 1", "moffs without prefixes"},
	{"0f f7 c1", "rule 1", "maskmovq through %ds:(%rdi)"},
	{"66 0f 38 f8 03", "implicit-address", "movdir64b"},
	{"f2 0f 38 f8 03", "implicit-address", "enqcmd"},
	{"66 0f 38 f5 03", "rule 9", "wruss"},
	{"0f 38 f6 03", "rule 9", "wrss"},
	{"65 67 66 0f 38 f6 03", NULL, "adcx from guest memory"},
	{"65 67 0f 38 f0 03", NULL, "movbe from guest memory"},
	{"65 67 f2 0f 38 f1 03", NULL, "crc32 with guest memory"},
	{"65 67 0f 38 f9 03", NULL, "movdiri to guest memory"},
	/* rule 2 */
	{"41 8b 47 10", NULL, "mov 0x10(%r15),%eax"},
	{"49 89 47 10", NULL, "mov %rax,0x10(%r15)"},
	{"45 8b 87 00 08 00 00", NULL, "mov 0x800(%r15),%r8d"},
	{"41 8b 87 fc 07 04 00", NULL, "last word of the block"},
	{"41 8b 07", NULL, "(%r15) without displacement"},
	{"41 0f ae 87 00 02 00 00", "rule 11", "fxsave into the block with REX"},
	{"41 8b 47 f0", "rule 2", "negative displacement"},
	{"41 8b 87 fe 07 04 00", "rule 2", "word crossing the block's end"},
	{"43 8b 04 0f", "rule 2", "state block with an index"},
	{"65 41 8b 47 10", "rule 1", "state block with %gs"},
	{"67 41 8b 47 10", "rule 1", "state block with addr32"},
	{"41 8b 46 10", "rule 1", "r14-relative without %gs"},
	/* rule 3 */
	{"89 f6 49 8d 34 36 89 ff 49 8d 3c 3e a4 89 f6 89 ff", NULL, "movsb"},
	{"89 f6 49 8d 34 36 89 ff 49 8d 3c 3e f3 a5 89 ff 89 f6", NULL, "rep movsl, fixups swapped"},
	{"89 ff 49 8d 3c 3e f3 ab 89 ff", NULL, "rep stosl"},
	{"89 f6 4a 8d 34 36 ac 89 f6", NULL, "lodsb, r14 as index"},
	{"89 ff 49 8d 3c 3e 66 f2 af 89 ff", NULL, "repne scasw"},
	{"a4", "without the rebase of %rsi", "movsb without rebase"},
	{"89 f6 49 8d 34 36 aa 89 ff", "without the rebase of %rdi", "rebase of the wrong register"},
	{"49 8d 34 36 ac 89 f6", "not right after mov %esi,%esi", "rebase without mov"},
	{"89 f6 49 8d 34 36 90 ac 89 f6", "between a pointer rebase", "instruction between"},
	{"89 f6 49 8d 34 36 ac", "not followed by mov", "no fixup"},
	{"89 f6 49 8d 34 36 ac 90", "not followed by mov", "fixup late"},
	{"89 f6 49 8d 34 36 67 ac 89 f6", "rule 3", "string op with addr32"},
	{"89 f6 49 8d 34 36 65 ac 89 f6", "rule 3", "string op with %gs"},
	{"89 ff 49 8d 3c 3e 48 ab 89 ff", "rule 11", "stosq"},
	{"89 f6 49 8d 34 76 ac 89 f6", "rule 5", "rebase with scale 2"},
	{"89 f6 49 8d 74 36 01 ac 89 f6", "rule 5", "rebase with a displacement"},
	{"89 f6 49 8d 34 37 ac 89 f6", "rule 5", "rebase on r15"},
	{"89 f6 49 8d 34 36 89 f6 49 8d 34 36 ac 89 f6", "rule 3", "rebased twice"},
	{"89 f6 49 8d 34 36 eb 00 ac 89 f6", "rule 3", "branch between rebase and string op"},
	{"89 f6 49 8d 34 36 89 f6 ac 89 f6", "between a pointer rebase", "rebase undone by a second mov %esi,%esi"},
	{"89 f6 49 8d 34 36 89 ff 49 8d 3c 3e 89 ff a4 89 f6 89 ff", "between a pointer rebase", "rdi rebase undone"},
	{"89 f6 49 8d 34 36 89 ff a4 89 f6", "rule 3", "movsb with rdi zero-extended, not rebased"},
	/* rule 4 */
	{"49 8d a7 00 05 00 00 9c 41 58 41 8b 67 10", NULL, "pushfq; pop %r8 on the scratch stack"},
	{"49 8d a7 00 05 00 00 50 6a 01 41 5b 58 89 c4 41 8b 47 40", NULL, "push/pop balanced"},
	{"49 8d a7 00 05 00 00 50 6a 01 41 5b 58 89 c4", "upper half may be set (rule 1)", "push/pop balanced, then a jump with the popped rax"},
	{"50", "outside the scratch stack", "push without the scratch-stack lea"},
	{"9c", "outside the scratch stack", "pushfq without lea"},
	{"49 8d a7 08 04 00 00 50 50", "overflow", "scratch stack overflow"},
	{"49 8d a7 00 05 00 00 58", "underflow", "scratch stack underflow"},
	{"49 8d a7 00 01 00 00", "rule 4", "lea of rsp outside the scratch area"},
	{"49 8d a7 00 05 00 00 89 c4 50", "outside the scratch stack", "push after esp is written"},
	{"49 8d a7 00 05 00 00 41 8b 67 10 50", "outside the scratch stack", "push after esp is reloaded"},
	{"49 8d a7 f8 04 00 00 5c", "pop of %rsp", "pop %rsp"},
	{"49 8d a7 00 05 00 00 66 50", "16-bit", "pushw"},
	{"48 89 c4", "64-bit write of %rsp (rule 10)", "mov %rax,%rsp"},
	{"65 67 ff 33", "push of memory (rule 4)", "push of memory"},
	{"c9", "rule 4", "leave"},
	{"49 8d a7 00 05 00 00 50 eb fd", "branch into a rebase or scratch-stack", "branch into the scratch-stack sequence"},
	/* rule 5 */
	{"4c 8d 04 03", NULL, "lea (%rbx,%rax),%r8"},
	{"4d 8d 4f 10", NULL, "lea 0x10(%r15),%r9"},
	{"8d 04 03", NULL, "32-bit lea"},
	{"67 8d 04 03", NULL, "lea with addr32"},
	{"8d 05 00 00 00 00", NULL, "RIP-relative lea accesses nothing"},
	{"48 8d 04 03", "rule 5", "64-bit lea into %rax"},
	{"4d 8d 77 10", "write of %r14 (rule 10)", "lea writing %r14"},
	{"4d 8d 3c 24", "write of %r15 (rule 10)", "lea writing %r15"},
	/* rule 6 */
	{"65 67 d7", NULL, "xlat"},
	{"d7", "rule 6", "xlat without prefixes"},
	{"67 d7", "rule 6", "xlat without %gs"},
	{"65 d7", "rule 6", "xlat without addr32"},
	/* rule 7 */
	{"74 02 90 90", NULL, "jz inside the fragment"},
	{"0f 84 02 00 00 00 90 90", NULL, "jz rel32 inside the fragment"},
	{"67 e2 fd", NULL, "loop to itself"},
	{"e3 00", NULL, "jrcxz"},
	{"!@stub", NULL, "jmp to a stub"},
	{"!@cache", NULL, "jmp into the code cache"},
	{"!0f 0b", NULL, "ends with ud2"},
	{"!@out", "outside the fragment", "jmp outside the fragment and not a stub"},
	{"74 7f", "outside the fragment", "short branch out of the fragment"},
	{"eb 01 b8 00 00 00 00", "middle of an instruction", "branch into an instruction"},
	{"66 eb 00", "prefix on a branch", "jmp with 0x66"},
	{"f2 eb 00", "prefix on a branch", "bnd jmp"},
	{"!90", "falls off its end", "fall-through"},
	{"!74 00", "falls off its end", "ends with jcc"},
	/* rule 8 */
	{"e8 00 00 00 00", "call (rule 8)", "call"},
	{"c3", "ret (rule 8)", "ret"},
	{"ff e0", "rule 8", "indirect jmp"},
	{"41 ff e3", "rule 8", "indirect jmp through r11"},
	{"65 67 ff 23", "rule 8", "indirect jmp through memory"},
	{"ff 2d 00 00 00 00", "rule 8", "far jmp through memory"},
	{"ff d0", "rule 8", "indirect call"},
	{"0f 05", "rule 8", "syscall"},
	{"0f 34", "rule 8", "sysenter"},
	{"cd 80", "rule 8", "int 0x80"},
	{"cc", "rule 8", "int3"},
	{"48 cf", "rule 8", "iretq"},
	{"cb", "rule 8", "lret"},
	{"c7 f8 00 00 00 00", "rule 8", "xbegin"},
	/* rule 9 */
	{"8e e8", "segment register (rule 9)", "mov to %gs"},
	{"8e d8", "segment register (rule 9)", "mov to %ds"},
	{"f3 0f ae d8", "FS/GS base instruction (rule 9)", "wrgsbase"},
	{"f3 48 0f ae d0", "FS/GS base instruction (rule 9)", "wrfsbase %rax"},
	{"f3 0f ae c0", "FS/GS base instruction (rule 9)", "rdfsbase"},
	{"65 67 0f b5 03", "rule 9", "lgs"},
	{"65 67 0f b2 03", "rule 9", "lss"},
	{"0f a1", "rule 9", "pop %fs"},
	{"0f 01 f8", "rule 9", "swapgs"},
	{"f4", "rule 9", "hlt"},
	{"e4 60", "rule 9", "in"},
	{"0f 22 d8", "rule 9", "mov to cr3"},
	{"0f 00 d8", "rule 9", "ltr"},
	/* rule 10 */
	{"45 89 c1", NULL, "mov %r8d,%r9d"},
	{"41 89 c0", NULL, "mov %eax,%r8d"},
	{"44 89 c0", NULL, "mov %r8d,%eax"},
	{"49 89 c5", "write of %r13 (rule 10)", "mov %rax,%r13"},
	{"4d 89 c7", "write of %r15 (rule 10)", "mov %r8,%r15"},
	{"41 bf 00 00 00 00", "write of %r15 (rule 10)", "mov $0,%r15d"},
	{"41 5e", "write of %r14 (rule 10)", "pop %r14"},
	{"49 83 c6 01", "write of %r14 (rule 10)", "add $1,%r14"},
	{"4d 8b 77 10", "write of %r14 (rule 10)", "load into %r14"},
	{"49 c7 c4 00 00 00 00", "write of %r12 (rule 10)", "mov $0,%r12"},
	{"4c 8d 20", "write of %r12 (rule 10)", "lea (%rax),%r12"},
	{"41 5d", "write of %r13 (rule 10)", "pop %r13"},
	{"4d 8d 58 01", NULL, "lea 1(%r8),%r11"},
	/* rule 11 */
	{"40 88 e0", "byte register with a REX prefix (rule 11)", "REX with %ah-class byte register"},
	{"41 88 c4", "rule 11", "mov %al,%r12b"},
	{"40 0f b6 c4", "rule 11", "movzbl %spl,%eax"},
	{"45 0f b6 47 20", NULL, "movzbl 0x20(%r15),%r8d"},
	{"41 c6 47 20 01", NULL, "movb $1,0x20(%r15)"},
	{"48 0f af c1", "rule 11", "imul %rcx,%rax"},
	{"48 f7 d0", "rule 11", "not %rax"},
	{"48 66 90", "unknown", "REX before a prefix"},
	/* rule 12 */
	{"c4 e2 70 f2 c2", NULL, "andn"},
	{"c4 c2 70 f2 c2", "rule 12", "andn with VEX.B naming r10"},
	{"c4 e2 30 f2 c2", "rule 12", "andn with vvvv naming r9"},
	{"c4 e2 f0 f2 c2", "W1 on a general-register write (rule 12)", "andn with W1"},
	{"c4 62 70 f2 c2", "rule 12", "andn with VEX.R naming r8"},
	{"c5 fc 28 c1", "VEX other than BMI1/BMI2", "vmovaps %ymm1,%ymm0"},
	{"c4 e1 fb 93 c1", "rule 12", "kmovq %k1,%rax (W1)"},
	{"c5 fb 93 c1", "rule 13", "kmovd %k1,%eax"},
	{"c5 7c 28 c1", "rule 12", "VEX naming ymm8"},
	{"c5 bc 28 c1", "rule 12", "VEX vvvv naming ymm8"},
	{"c4 e3 79 4a c1 20", "rule 13", "vblendvps, is4 = xmm2"},
	{"c4 e3 79 4a c1 80", "is4", "vblendvps, is4 = xmm8"},
	{"62 f1 7c 48 28 c1", "EVEX: vector state", "vmovaps %zmm1,%zmm0"},
	{"62 e1 7c 48 28 c1", "rule 12", "EVEX R' naming zmm16"},
	{"62 f1 7c 40 28 c1", "rule 12", "EVEX V' clear"},
	{"62 b1 7c 48 28 c1", "rule 12", "EVEX X naming zmm17"},
	/* rule 13: of VEX only BMI1/BMI2, VEX.L0 */
	{"c4 e3 7b f0 c1 05", NULL, "rorx $5,%ecx,%eax"},
	{"c4 e2 72 f7 c2", NULL, "sarx %ecx,%edx,%eax"},
	{"c4 e2 78 f3 c9", NULL, "blsr %ecx,%eax"},
	{"c4 e2 74 f2 c2", "rule 13", "andn with VEX.L1 (#UD)"},
	{"c5 f8 77", "rule 13", "vzeroupper"},
	{"c5 f9 6f c1", "rule 13", "vmovdqa %xmm1,%xmm0 (VEX.128)"},
	{"c4 e2 79 18 c1", "rule 13", "vbroadcastss"},
	{"c5 f8 92 c8", "rule 13", "kmovw %eax,%k1"},
	/* decoding */
	{"0f 0f c1 9e", "3DNow", "3DNow! pfadd"},
	{"0f 04", "unknown", "0f 04"},
	{"06", "unknown", "push %es (invalid in 64-bit mode)"},
	{"8f e8 78 c2 c1 00", "unknown", "XOP"},
	{"!66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", "unknown", "16 bytes"},
	{"!65 67 8b", "past the end", "truncated"},
	{"!44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", "rule 2", "inline lookup where the engine gave no table"},
	{"!44 0f b6 c1 47 8b 84 87 00 08 04 00 41 89 8f 38 00 00 00 8b cb 41 ff e0", "rule", "a jump-table lookup where the engine gave no slices"},
	{"!65 67 44 8b 4c 24 00 8d 64 24 04 47 8b 04 8c 47 8d 04 28 41 ff e0", "rule 1",
		"a ret through the return table where the engine gave none"},
};

/* Against vs: the inline lookup (rule 8's exception), rule 2's fields. */
/* With the guest's ymm state kept (VxValid.ymm): a stack slot without
 * addr32 is no VEX or EVEX form, whose SIB index 4 may be a vector (a
 * gather's): with 64-bit elements any host address (red team, session
 * 22: a guest read the host's ELF header so) */
static const Case ymmcases[] = {
	{"65 67 c4 e2 f5 91 04 24", NULL, "vpgatherqq %gs:(%esp,%ymm4,1)"},
	{"65 c4 e2 f5 91 04 24", "more than the ModRM's (rule 1)", "vpgatherqq %gs:(%rsp,%ymm4,1): any host address"},
	{"65 c5 fe 6f 44 24 08", "more than the ModRM's (rule 1)", "vmovdqu %gs:8(%rsp): no VEX form without addr32"},
	{"65 67 c5 fe 6f 44 24 08", NULL, "vmovdqu %gs:8(%esp)"},
	{"65 62 f2 fd 49 a1 04 24", "rule", "vpscatterqq to %gs:(%rsp,%zmm4,1)"},
	/* red team, session 27: CMPccXADD (VEX.66.0F38 e0-ef) writes its
	   ModRM.reg register with the old memory value: W1, 64 bits of it */
	{"65 67 c4 e2 f9 e0 19 65 8b 43 08 41 8b 5f 40", "rule 12", "cmpoxadd %rax,%rbx,%gs:(%ecx) (W1) then rbx as a base"},
	{"65 67 c4 e2 f9 ef 19 41 8b 5f 40", "rule 12", "cmpnlexadd W1"},
	{"65 67 c4 e2 79 e4 19 65 8b 43 08", NULL, "cmpexadd W0: a 32-bit write"},
	{"c4 e1 f9 7e c3 65 8b 43 08", "rule 12", "vmovq %xmm0,%rbx"},
	{"c5 f9 d7 d8 65 8b 43 08", NULL, "vpmovmskb %xmm0,%ebx zero-extends"},
	{"c4 e2 7b 4a 04 0b", "AMX", "tileloaddrs (%rbx,%rcx,1),%tmm0 (AMX-MOVRS)"},
	{"65 67 c4 e2 7b 4a 04 0b", "AMX", "tileloaddrs with %gs and addr32"},
	{"c4 e2 7a 5f c1", "AMX", "ttransposed %tmm1,%tmm0 (AMX-TRANSPOSE)"},
	{"c4 e2 71 6c c2", "AMX", "tcmmimfp16ps (AMX-COMPLEX)"},
	{"c4 e2 71 48 c2", "AMX", "tmmultf32ps (AMX-TF32)"},
	{"c4 e2 78 6e 04 0b", "AMX", "t2rpntlvwz0 (AMX-TRANSPOSE)"},
	{"c4 e2 7d 45 c1 c4 e2 7d 5a 04 24", "rule 1", "vpsrlvd, vbroadcasti128 (%rsp): not AMX, the operand's rule"},
	{"c4 e2 7d 45 c1 65 67 c4 e2 7d 5a 04 24", NULL, "vpsrlvd, vbroadcasti128 %gs:(%esp)"},
};

static const Case strict[] = {
	{"!44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", NULL, "inline lookup ends the code"},
	{"!44 0f b6 c1 47 8b 84 87 00 08 04 00 41 89 8f 38 00 00 00 8b cb 41 ff e0", "rule", "a jump-table lookup where the engine gave no slices"},
	{"44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", NULL, "inline lookup, stubs after it"},
	{"74 00 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", NULL, "a branch to the lookup's start"},
	{"!41 ff e0", "jmp *%r8 not right after the table lookup (rule 8)", "jmp *%r8 alone"},
	{"!47 8b 84 87 00 08 00 00 41 ff e0", "table load not right after movzwl", "lookup without its movzwl"},
	{"!44 0f b7 c1 47 8b 84 87 00 09 00 00 41 ff e0", "not of the table (rule 8)", "lookup of another offset"},
	{"!44 0f b7 c1 90 47 8b 84 87 00 08 00 00 41 ff e0", "rule 8", "an instruction inside the lookup"},
	{"!44 0f b7 c1 47 8b 84 87 00 08 00 00 90 41 ff e0", "rule 8", "an instruction before its jmp"},
	{"!74 04 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", "rule 7", "a branch to the table load"},
	{"!74 0c 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", "rule 7", "a branch to the jmp *%r8"},
	{"!44 0f b7 c1 41 ff e0", "rule 8", "jmp *%r8 after movzwl, without the load"},
	{"!44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e1", "rule 8", "jmp *%r9 after the lookup"},
	{"89 f6 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", NULL, "mov %esi,%esi before the lookup"},
	{"89 f6 49 8d 34 36 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0", "rule", "lookup inside a rebase sequence"},
	/* a ret through the return table (translong.c, retlookup) */
	{"!65 67 44 8b 4c 24 00 8d 64 24 04 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "ret: pop into r9d, lea esp, table"},
	{"!65 67 44 8b 4c 24 08 8d a4 24 10 01 00 00 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "ret imm16 after pops: disp32 lea"},
	{"!44 8b c9 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "mov %ecx,%r9d then the table"},
	{"74 00 44 8b c9 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "a branch to the mov into r9d"},
	{"!47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without a 32-bit mov into %r9d", "table load alone"},
	{"!4c 8b c9 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without a 32-bit mov into %r9d", "table load with a 64-bit index (mov %rcx,%r9)"},
	{"!66 44 8b c9 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without a 32-bit mov into %r9d", "table load after a 16-bit mov into r9w"},
	{"!44 8b c9 90 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "an instruction between the mov and the load"},
	{"!44 8b c9 8d 64 24 04 8d 64 24 04 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "two esp leas before the load"},
	{"!44 8b c9 8d 64 8c 04 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "an esp lea with an index before the load"},
	{"!44 8b c9 47 8b 04 8e 47 8d 04 28 41 ff e0", "rule 1", "table load with base r14"},
	{"!44 8b c9 47 8b 44 8d 00 47 8d 04 28 41 ff e0", "rule 1", "table load with base r13"},
	{"!44 8b c9 47 8b 04 94 47 8d 04 28 41 ff e0", "rule 1", "table load with index r10"},
	{"!44 8b c9 4f 8b 04 8c 47 8d 04 28 41 ff e0", "rule", "a 64-bit table load"},
	{"!44 8b c9 47 8d 04 28 41 ff e0", "not right after the return table load", "lea of the target without the load"},
	{"!44 8b c9 47 8b 04 8c 41 ff e0", "jmp *%r8 not right after the table lookup (rule 8)", "jmp without the lea of the target"},
	{"!44 8b c9 47 8b 04 8c 47 8d 04 20 41 ff e0", "rule", "the target's lea adding r12"},
	{"!44 8b c9 47 8b 04 8c 47 8d 04 28 90 41 ff e0", "rule 8", "an instruction before the jmp"},
	{"!74 03 44 8b c9 47 8b 04 8c 47 8d 04 28 41 ff e0", "rule 7", "a branch to the table load"},
	{"!74 03 44 8b c9 8d 64 24 04 47 8b 04 8c 47 8d 04 28 41 ff e0", "rule 7", "a branch to the esp lea after the mov"},
	{"!74 07 44 8b c9 47 8b 04 8c 47 8d 04 28 41 ff e0", "rule 7", "a branch to the lea of the target"},
	/* an indirect jmp or call through the return table (translong.c,
	   exactind): the target into r9d, a call's return address stored
	   and esp moved, then the table */
	{"!65 67 44 8b 0c 82 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "jmp *(%edx,%eax,4): its load into r9d, the table"},
	{"!44 8b c8 65 67 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "call *%eax: mov into r9d, return address, lea esp, the table"},
	{"!65 67 44 8b 0c 82 65 67 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "call *(%edx,%eax,4)"},
	{"!44 8b c8 65 67 c7 44 24 fc 78 56 34 12 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "a call's store but no esp lea"},
	{"!44 8b c8 65 67 c7 44 24 f8 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "the return address at -8(%esp)"},
	{"!44 8b c8 65 67 c7 44 24 fc 78 56 34 12 65 67 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "two stores of a return address"},
	{"!65 67 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "a call's store and lea without the mov into r9d"},
	{"!44 8b c8 8d 64 24 fc 65 67 c7 44 24 00 78 56 34 12 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "the store after the esp lea"},
	{"!44 8b c8 65 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "call *%eax, the store without addr32 (as emitted since session 22)"},
	{"!44 8b c8 65 c7 44 24 f8 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", "return table load without", "the store without addr32 at -8(%rsp)"},
	{"!44 8b c8 65 67 c7 44 24 fc 78 56 34 12 44 8b c9 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", NULL, "another mov into r9d after the store (the last one counts, as for a ret)"},
	{"!74 03 44 8b c8 65 67 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", "rule 7", "a branch to the call's store"},
	{"!74 0d 44 8b c8 65 67 c7 44 24 fc 78 56 34 12 8d 64 24 fc 47 8b 04 8c 47 8d 04 28 41 ff e0", "rule 7", "a branch to the esp lea after the store"},
	{"41 89 4f 38", NULL, "spill of ecx (0x38)"},
	{"41 8b 47 6c", NULL, "the virtual segment value (0x6c)"},
	{"41 c7 47 2c 01 00 00 00", NULL, "exit code (0x2c)"},
	{"49 89 67 78", "outside the fields fragments use (rule 2)", "write of the host rsp slot"},
	{"41 c7 87 00 08 00 00 00 00 00 00", "outside the fields fragments use (rule 2)", "write into the indirect table"},
	{"41 8b 47 28", "outside the fields fragments use (rule 2)", "read below the fields"},
	{"41 d9 b7 d8 00 00 00", NULL, "fnstenv of the x87 environment (0xd8, fpuclean)"},
	{"41 d9 a7 d8 00 00 00", NULL, "fldenv of the x87 environment"},
	{"41 c7 87 e4 00 00 00 00 00 00 00", NULL, "its instruction pointer written"},
	{"66 41 c7 87 f0 00 00 00 2b 00", NULL, "its operand's selector written"},
	{"41 d9 b7 dc 00 00 00", "outside the fields fragments use (rule 2)", "fnstenv past the environment's end"},
	{"41 c7 87 f8 00 00 00 00 00 00 00", "outside the fields fragments use (rule 2)", "write of the return table's address (0xf8)"},
	{"41 dd b7 d8 00 00 00", "REX prefix on a form the engine does not emit (rule 11)", "fnsave (108 bytes) there"},
	{"49 d9 b7 d8 00 00 00", "REX prefix on a form the engine does not emit (rule 11)", "fnstenv with REX.W"},
	{"41 8b 47 76", "outside the fields fragments use (rule 2)", "a word crossing the fields' end"},
	/* the long engine's DF (translong.c): std/cld, pushf, the steps of
	   a string instruction without rep, a rep run both ways */
	{"41 c7 47 70 ff ff ff ff 41 c7 47 74 00 04 00 00", NULL, "std: S_DF (0x70) and S_DFBIT (0x74)"},
	{"45 8b 8f 74 00 00 00 42 8d 04 08", NULL, "pushf's DF: load S_DFBIT into r9d, lea (%rax,%r9),%eax"},
	{"65 67 44 8b 0e 65 67 44 89 0f 45 8b 4f 70 42 8d 74 8e 04 42 8d 7c 8f 04", NULL,
		"movsl: through r9d, then lea 4(%rsi,%r9,8),%esi and %edi"},
	{"66 65 67 44 8b 0e 66 65 67 44 3b 0f", NULL, "cmpsw through r9w"},
	{"4a 8d 74 4e 01", "rule 5", "the step as a 64-bit lea of rsi"},
	{"65 67 44 88 0f", "rule 11", "a byte store from r9b"},
	{"41 c7 87 90 00 00 00 00 00 00 00", "outside the fields fragments use (rule 2)", "the stop request (0x90)"},
	{"67 e3 3a 41 89 4f 38 41 8b 4f 70 e3 1a fd 41 8b 4f 38 89 f6 49 8d 34 36 89 ff 49 8d 3c 3e f3 a4 89 f6 89 ff fc eb 16 41 8b 4f 38 89 f6 49 8d 34 36 89 ff 49 8d 3c 3e f3 a4 89 f6 89 ff", NULL, "rep movsb: skipped at ecx 0, between std and cld when S_DF is set"},
	{"67 e3 2e 41 89 4f 38 41 8b 4f 70 e3 0e fd 41 8b 4f 38 f3 a4 89 f6 89 ff fc eb 16 41 8b 4f 38 89 f6 49 8d 34 36 89 ff 49 8d 3c 3e f3 a4 89 f6 89 ff", "rule 3", "the backward rep without its rebase"},
	{"41 8b 07", "outside the fields fragments use (rule 2)", "the registers' save area"},
	/* a cold ret (translong.c, coldret): its count (0x78, S_RMISSN, just
	   past the fields), the spill and the count in disp8 forms, the
	   inline lookup, at 0 the miss stub's exit (vxlblob_rmiss0) with the
	   target in %r9d */
	{"41 89 4f 38 41 8b 4f 78 e3 1f 8d 49 ff 41 89 4f 78 65 8b 4c 24 08 8d 64 24 0c 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0 65 44 8b 4c 24 08 8d 64 24 0c @stub",
		NULL, "cold ret: count down, the target into ecx, lookup; at 0 into %r9d and the miss stub"},
	{"41 89 4f 38 41 8b 4f 78 e3 1e 8d 49 ff 41 89 4f 78 65 8b 0c 24 8d 64 24 04 44 0f b7 c1 47 8b 84 87 00 08 00 00 41 ff e0 65 44 8b 0c 24 8d 64 24 04 @stub",
		NULL, "cold ret with nothing pending: its loads at 0(%rsp), no displacement byte"},
	{"65 8b 0c 24", NULL, "a stack load at 0(%rsp) without addr32 nor displacement"},
	{"65 c7 04 24 78 56 34 12", NULL, "a call's store of its return address at 0(%rsp)"},
	{"65 8b 0c 20", NULL, "the same with %rax as the base (SIB, no index)"},
	{"65 8b 0c 21", "memory operand without addr32 (rule 1)", "the same with %rcx as the base"},
	{"65 8b 0c 44", "memory operand without addr32 (rule 1)", "the same with an index (%rsp + 2*%rax)"},
	{"41 8b 4f 78", NULL, "the count read (0x78, disp8)"},
	{"41 8b 87 78 00 00 00", NULL, "the count read (disp32)"},
	{"41 89 47 78", NULL, "the count written"},
	{"41 0f b6 47 78", "outside the fields fragments use (rule 2)", "a byte of the count (movzbl)"},
	{"66 41 89 47 78", "outside the fields fragments use (rule 2)", "a word of the count"},
	{"41 8b 47 7a", "outside the fields fragments use (rule 2)", "a dword across the count's end"},
	{"41 8b 47 7c", "outside the fields fragments use (rule 2)", "the dword after the count"},
	{"49 8b 47 78", "outside the fields fragments use (rule 2)", "a qword from the count"},
	{"41 8b 87 f4 00 00 00", "outside the fields fragments use (rule 2)", "the count's old place (0xf4)"},
};

/* With two jump-table slices after the indirect table (translong.c,
 * jtsite): movzbl of the key into r8d, the slot's load, the spill of
 * ecx, the target into ecx, jmp *%r8; the site's miss stub after it. */
static const VxValid vj = {
	.cachelo = 0x10000000, .cachehi = 0x20000000,
	.stubs = stubs, .nstubs = 2,
	.statesize = STATESIZE + 0x800, .xstack = XSTACK, .xstacksize = XSTACKSIZE,
	.htable = 0x800, .fieldlo = 0x2c, .fieldhi = 0x78, .rtab = 1, .envlo = 0xd8,
	.count = 0x78, .jtable = STATESIZE, .njt = 2,
};

#define JTLD0 "47 8b 84 87 00 08 04 00"	/* mov 0x40800(%r15,%r8,4),%r8d: slice 0 */
#define JTTAIL "41 89 8f 38 00 00 00 8b cb 41 ff e0"	/* spill, mov %ebx,%ecx, jmp *%r8 */
#define JTMISS "41 c7 87 34 00 00 00 01 00 00 00 @stub"	/* movl $1, S_LINK; the miss stub */
static const Case jtcases[] = {
	{"44 0f b6 c1 " JTLD0 " " JTTAIL " " JTMISS, NULL, "slice 0, key %cl, miss stub after"},
	{"!44 0f b6 c1 47 8b 84 87 00 0c 04 00 " JTTAIL, NULL, "slice 1, ends the code"},
	{"!44 0f b6 c6 " JTLD0 " 41 89 8f 38 00 00 00 8b c8 41 ff e0", NULL, "key %sil, target from eax"},
	{"!44 0f b6 c7 " JTLD0 " " JTTAIL, NULL, "key %dil"},
	{"74 00 44 0f b6 c1 " JTLD0 " " JTTAIL, NULL, "a branch to the movzbl"},
	{"!" JTLD0 " " JTTAIL, "rule 8", "slot load without the movzbl"},
	{"!44 0f b7 c1 " JTLD0 " " JTTAIL, "not of the table (rule 8)", "slot load after movzwl: 65536 slots"},
	{"!44 0f b6 c1 47 8b 84 87 00 08 00 00 " JTTAIL, "not of a slice (rule 8)", "movzbl, then the indirect table"},
	{"!44 0f b6 c1 47 8b 84 87 00 10 04 00 " JTTAIL, "not of a slice (rule 8)", "a slice past the last"},
	{"!44 0f b6 c1 47 8b 84 87 04 08 04 00 " JTTAIL, "not of a slice (rule 8)", "a slot load not at a slice's start"},
	{"!44 0f b6 c1 47 8b 84 87 fc 07 04 00 " JTTAIL, "rule 8", "a load before the first slice"},
	{"!44 0f b6 c9 " JTLD0 " " JTTAIL, "rule", "movzbl into r9d"},
	{"!4c 0f b6 c1 " JTLD0 " " JTTAIL, "rule", "movzbl into r8 with REX.W"},
	{"!44 0f b7 c1 47 8b 84 87 00 08 00 00 44 0f b6 c1 " JTLD0 " " JTTAIL, NULL, "a whole jump-table lookup after a 16-bit lookup's load (r8 written again)"},
	{"!44 0f b6 c1 90 " JTLD0 " " JTTAIL, "rule 8", "an instruction between movzbl and the load"},
	{"!44 0f b6 c1 " JTLD0 " 41 ff e0", "jmp *%r8 not right after the table lookup (rule 8)", "jmp right after the slot's load"},
	{"!44 0f b6 c1 " JTLD0 " 8b cb 41 ff e0", "not exactly", "no spill of ecx"},
	{"!44 0f b6 c1 " JTLD0 " 41 89 8f 38 00 00 00 8b d3 41 ff e0", "not exactly", "the target into edx"},
	{"!44 0f b6 c1 " JTLD0 " 41 89 8f 38 00 00 00 44 8b c3 41 ff e0", "not exactly", "r8 overwritten after the load"},
	{"!44 0f b6 c1 " JTLD0 " 41 89 8f 38 00 00 00 8b cb 90 41 ff e0", "rule 8", "an instruction before the jmp"},
	{"!44 0f b6 c1 " JTLD0 " 41 89 87 00 00 00 00 8b cb 41 ff e0", "rule", "spill into the registers' area"},
	{"!44 0f b6 c1 " JTLD0 " 41 89 8f 00 10 00 00 8b cb 41 ff e0", "rule 2", "spill outside the fields"},
	{"!74 0c 44 0f b6 c1 " JTLD0 " " JTTAIL, "rule 7", "a branch to the spill"},
	{"!74 13 44 0f b6 c1 " JTLD0 " " JTTAIL, "rule 7", "a branch to the mov into ecx"},
	{"!74 15 44 0f b6 c1 " JTLD0 " " JTTAIL, "rule 7", "a branch to the jmp"},
	{"!74 04 44 0f b6 c1 " JTLD0 " " JTTAIL, "rule 7", "a branch to the slot's load"},
};

static void
runcases(const Case *cs, int ncs, const VxValid *v)
{
	uint8_t b[96];
	char err[160];
	int i, n, r;
	const Case *c;

	for(i = 0; i < ncs; i++){
		c = &cs[i];
		n = assemble(c->code, b, sizeof b);
		if(n < 0){
			ok(0, "%s: bad test text", c->name);
			continue;
		}
		err[0] = 0;
		r = vx_validate(b, n, ADDR, v, err, sizeof err);
		if(c->want == NULL){
			if(!ok(r == 0, "accept: %s", c->name))
				diag("%s", err);
		}else{
			if(!ok(r == -1 && strstr(err, c->want) != NULL && strncmp(err, "offset 0x", 9) == 0,
			   "reject: %s (%s)", c->name, err))
				diag("want \"%s\", rc %d", c->want, r);
		}
	}
}

/* Code the engine did not make (the persistent cache): the offsets it
 * enters and the rel32s it rewrites are checked too. */
static void
entry1(const char *code, uint32_t ent, uint32_t patch, const char *want, const char *name)
{
	uint8_t b[64];
	char err[160];
	VxValid v = vs;
	int n, r;

	n = assemble(code, b, sizeof b);
	if(ent != ~0u){
		v.entries = &ent;
		v.nentries = 1;
	}
	if(patch != ~0u){
		v.patches = &patch;
		v.npatches = 1;
	}
	err[0] = 0;
	r = vx_validate(b, n, ADDR, &v, err, sizeof err);
	if(want == NULL){
		if(!ok(r == 0, "accept: %s", name))
			diag("%s", err);
	}else
		ok(r == -1 && strstr(err, want) != NULL, "reject: %s (%s)", name, err);
}

static void
entrycases(void)
{
	/* 0: nop, 1: mov $1,%eax (b8 imm32), 6: jmp rel32 to stub 0 (the
	 * patched rel32 at 7), 11: jne rel32 to 0 (0f 85, rel32 at 13),
	 * 17: rebase %rsi (89 f6 49 8d 34 36), 23: lodsb, 24: mov %esi,%esi,
	 * 26: jmp to stub 1 (assemble's end) */
	const char *c = "90 b8 01 00 00 00 @stub 0f 85 ef ff ff ff 89 f6 49 8d 34 36 ac 89 f6";

	entry1(c, 0, ~0u, NULL, "entry at the start");
	entry1(c, 1, ~0u, NULL, "entry at an instruction");
	entry1(c, 2, ~0u, "not at an instruction start", "entry inside mov's immediate");
	entry1(c, 19, ~0u, "inside a rebase", "entry inside a rebase sequence");
	entry1(c, 23, ~0u, "inside a rebase", "entry at the string instruction");
	entry1(c, 200, ~0u, "not at an instruction start", "entry past the end");
	entry1(c, ~0u, 7, NULL, "patch of a jmp rel32");
	entry1(c, ~0u, 13, NULL, "patch of a jcc rel32");
	entry1(c, ~0u, 2, "not the operand", "patch of mov's immediate");
	entry1(c, ~0u, 8, "not the operand", "patch one byte into the rel32");
	entry1(c, ~0u, 12, "not the operand", "patch one byte before a jcc's rel32");
	entry1(c, ~0u, 0, "not the operand", "patch at offset 0");
	entry1(c, ~0u, 26, "not the operand", "patch past the end");
}

static void
handcases(void)
{
	uint8_t b[64];
	char err[160];
	int i, n;

	runcases(cases, sizeof cases / sizeof cases[0], &vv);
	runcases(strict, sizeof strict / sizeof strict[0], &vs);
	runcases(jtcases, sizeof jtcases / sizeof jtcases[0], &vj);
	{
		VxValid vy = vv;
		vy.ymm = 1;
		runcases(ymmcases, sizeof ymmcases / sizeof ymmcases[0], &vy);
	}
	entrycases();
	/* the reason names the offending offset */
	n = assemble("90 90 c3", b, sizeof b);
	vx_validate(b, n, ADDR, &vv, err, sizeof err);
	isstr(err, "offset 0x2: ret (rule 8)", "reason names offset and rule");
	/* a large fragment (the bitmap leaves the stack) */
	{
		static uint8_t big[8192];
		memset(big, 0x90, sizeof big);
		big[0] = 0xe9;		/* jmp to the last instruction */
		*(int32_t *)(big + 1) = sizeof big - 2 - 5;
		big[sizeof big - 2] = 0xeb;
		big[sizeof big - 1] = 0xfe;
		ok(vx_validate(big, sizeof big, ADDR, &vv, err, sizeof err) == 0, "8 KiB fragment accepted");
		big[sizeof big - 1] = 0x7f;
		ok(vx_validate(big, sizeof big, ADDR, &vv, err, sizeof err) == -1, "8 KiB fragment, short jmp out rejected");
		/* more branches than the validator lists: the marks are scanned */
		for(i = 0; i < 1000; i++){
			big[2*i] = 0x74;
			big[2*i + 1] = 0x00;
		}
		big[2000] = 0xeb;
		big[2001] = 0xfe;
		ok(vx_validate(big, 2002, ADDR, &vv, err, sizeof err) == 0, "1000 branches accepted");
		big[2*900 + 1] = 0x01;	/* into the middle of the next jz */
		ok(vx_validate(big, 2002, ADDR, &vv, err, sizeof err) == -1 && strstr(err, "offset 0x708:") != NULL,
			"the 901st branch is checked too (%s)", err);
		big[2*900 + 1] = 0x00;
		big[2*100 + 1] = 0x01;
		ok(vx_validate(big, 2002, ADDR, &vv, err, sizeof err) == -1 && strstr(err, "offset 0xc8:") != NULL,
			"and the 101st (%s)", err);
	}
}

/* --- 2. lengths against objdump ----------------------------------------- */

typedef struct Tally {
	long n, mismatch, unknown;
} Tally;

static uint8_t chunk[1 << 16];
static int starts[1 << 16], nstart, nchunk;

static void
flush(Tally *t, const char *what)
{
	int i, off, len, r, want;

	for(i = 0; i < nstart; i++){
		off = starts[i];
		want = (i + 1 < nstart ? starts[i+1] : nchunk) - off;
		len = nchunk - off;
		r = vx_validlen(chunk + off, len);
		/* objdump folds fwait into the x87 instruction after it */
		if(r == 1 && chunk[off] == 0x9b && want > 1){
			r = vx_validlen(chunk + off + 1, len - 1);
			if(r > 0)
				r++;
		}
		if(r < 0){
			t->unknown++;
			continue;
		}
		t->n++;
		if(r != want && t->mismatch++ < 10){
			char hx[64];
			int k, m;
			for(k = m = 0; k < want && k < 15; k++)
				m += snprintf(hx + m, sizeof hx - m, "%02x", chunk[off + k]);
			diag("%s: [%s] objdump %d, validator %d", what, hx, want, r);
		}
	}
	nstart = nchunk = 0;
}

static void
objdumpfile(const char *path, Tally *t)
{
	char cmd[512], line[512], *p, *q;
	unsigned long addr, next;
	unsigned v;
	FILE *f;
	int nb;

	snprintf(cmd, sizeof cmd, "objdump -d -z --insn-width=16 '%s' 2>/dev/null", path);
	if((f = popen(cmd, "r")) == NULL)
		return;
	next = 0;
	nstart = nchunk = 0;
	while(fgets(line, sizeof line, f) != NULL){
		if(sscanf(line, " %lx:\t", &addr) != 1 || (p = strchr(line, '\t')) == NULL){
			flush(t, path);
			continue;
		}
		p++;
		if((q = strchr(p, '\t')) == NULL || strstr(q, "(bad)") != NULL){
			flush(t, path);
			next = 0;
			continue;
		}
		*q = 0;
		if(addr != next || nchunk + 16 > (int)sizeof chunk)
			flush(t, path);
		starts[nstart++] = nchunk;
		nb = 0;
		while(sscanf(p, "%2x", &v) == 1){
			chunk[nchunk++] = v;
			nb++;
			p += 2;
			while(*p == ' ')
				p++;
		}
		next = addr + nb;
	}
	flush(t, path);
	pclose(f);
}

static void
objdumptest(void)
{
	static const char *files[] = {
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/usr/lib/x86_64-linux-gnu/libm.so.6",
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/usr/bin/gcc",
		"/usr/bin/as",
	};
	Tally t;
	int i;

	if(system("objdump --version >/dev/null 2>&1") != 0){
		ok(1, "# SKIP objdump is missing");
		return;
	}
	memset(&t, 0, sizeof t);
	for(i = 0; i < (int)(sizeof files / sizeof files[0]); i++)
		if(access(files[i], R_OK) == 0)
			objdumpfile(files[i], &t);
	if(t.n + t.unknown < 500000){
		ok(1, "# SKIP only %ld x86-64 instructions found on this host", t.n + t.unknown);
		return;
	}
	ok(t.mismatch == 0 && t.n >= 500000 && t.unknown * 1000 < t.n,
		"lengths agree with objdump on %ld instructions (%ld mismatches, %ld refused as unknown)",
		t.n, t.mismatch, t.unknown);
}

/* Every opcode of every map under several prefixes and ModRM forms, each
   in its own 32-byte slot padded with nops, against objdump's reading of
   the slot's first instruction. */
static void
sweeptest(void)
{
	static const char *pfx[] = { "", "66", "67", "f3", "f2", "48", "6567", "4c" };
	static const char *esc[] = { "", "0f", "0f38", "0f3a", "c5f8", "c4e279", "c4e379", "c4e1f9", "62f17c48", "62f27d08" };
	static const uint8_t modrm[] = { 0x00, 0x05, 0x44, 0x84, 0xc1, 0x3c, 0x0c };
	char path[] = "/tmp/vsweepXXXXXX", cmd[512], line[512], *p, *q;
	uint8_t slot[32];
	unsigned long addr;
	unsigned v;
	long nslot, n, mismatch;
	int fd, a, e, o, m, k, len, r, nb;
	FILE *f;
	static uint8_t *buf;
	static int *olen;

	if(system("objdump --version >/dev/null 2>&1") != 0){
		ok(1, "# SKIP opcode sweep: objdump is missing");
		return;
	}
	nslot = (long)(sizeof pfx / sizeof pfx[0]) * (sizeof esc / sizeof esc[0]) * 256 * sizeof modrm;
	buf = malloc(nslot * 32);
	olen = malloc(nslot * sizeof olen[0]);
	if(buf == NULL || olen == NULL || (fd = mkstemp(path)) < 0){
		ok(0, "opcode sweep: setup");
		return;
	}
	n = 0;
	for(a = 0; a < (int)(sizeof pfx / sizeof pfx[0]); a++)
	for(e = 0; e < (int)(sizeof esc / sizeof esc[0]); e++)
	for(o = 0; o < 256; o++)
	for(m = 0; m < (int)sizeof modrm; m++){
		memset(slot, 0x90, sizeof slot);
		len = 0;
		for(p = (char *)pfx[a]; *p; p += 2, len++)
			sscanf(p, "%2x", &v), slot[len] = v;
		for(p = (char *)esc[e]; *p; p += 2, len++)
			sscanf(p, "%2x", &v), slot[len] = v;
		slot[len++] = o;
		slot[len++] = modrm[m];
		for(k = 0; k < 10; k++)
			slot[len++] = 0x11 * (k + 1);
		memcpy(buf + n * 32, slot, 32);
		olen[n++] = -1;
	}
	if(write(fd, buf, n * 32) != n * 32){
		close(fd);
		ok(0, "opcode sweep: write");
		return;
	}
	close(fd);
	snprintf(cmd, sizeof cmd, "objdump -D -b binary -m i386:x86-64 --insn-width=16 %s 2>/dev/null", path);
	f = popen(cmd, "r");
	while(f != NULL && fgets(line, sizeof line, f) != NULL){
		if(sscanf(line, " %lx:\t", &addr) != 1 || addr % 32 != 0 || (long)(addr / 32) >= n)
			continue;
		if((p = strchr(line, '\t')) == NULL || (q = strchr(p + 1, '\t')) == NULL)
			continue;
		if(strstr(q, "(bad)") != NULL || strstr(q, "rex") != NULL || strstr(q, "data16") != NULL ||
		   strstr(q, "addr32") != NULL || strstr(q, "repz") != NULL || strstr(q, "repnz") != NULL ||
		   strstr(q, "gs\n") != NULL)
			continue;	/* prefixes shown alone: objdump's own resync */
		*q = 0;
		for(nb = 0, p++; sscanf(p, "%2x", &v) == 1; nb++){
			p += 2;
			while(*p == ' ')
				p++;
		}
		olen[addr / 32] = nb;
	}
	if(f != NULL)
		pclose(f);
	unlink(path);
	mismatch = 0;
	k = 0;
	for(a = 0; a < n; a++){
		if(olen[a] < 0)
			continue;
		r = vx_validlen(buf + a * 32, 32);
		if(r < 0)
			continue;	/* refused: safe */
		k++;
		if(r != olen[a] && mismatch++ < 40){
			char hx[80];
			int i, j;
			for(i = j = 0; i < 16; i++)
				j += snprintf(hx + j, sizeof hx - j, "%02x", buf[a * 32 + i]);
			diag("sweep: [%s] objdump %d, validator %d", hx, olen[a], r);
		}
	}
	ok(mismatch == 0 && k > 10000, "opcode sweep: lengths agree with objdump on %d encodings the validator decodes (%ld mismatches)", k, mismatch);
	free(buf);
	free(olen);
}

/* --- 3. random input ------------------------------------------------- */

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs >> 16;
}

static void
fuzz(long iters)
{
	uint8_t *pg, *end, good[64];
	char err[128];
	long i, acc;
	int n, k, g, len;

	/* inputs end at a page followed by an inaccessible one: a read past
	   len faults */
	pg = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(pg == MAP_FAILED || mprotect(pg + 4096, 4096, PROT_NONE) != 0){
		ok(0, "fuzz: mmap");
		return;
	}
	end = pg + 4096;
	acc = 0;
	for(i = 0; i < iters; i++){
		if(i & 1){
			/* a mutated accepted case: reaches the deeper paths */
			g = rnd() % (sizeof cases / sizeof cases[0]);
			len = assemble(cases[g].code, good, sizeof good);
			if(len <= 0)
				continue;
			for(k = rnd() % 3 + 1; k > 0; k--)
				good[rnd() % len] ^= 1 << (rnd() % 8);
			memcpy(end - len, good, len);
		}else{
			len = rnd() % 48 + 1;
			for(k = 0; k < len; k++)
				end[k - len] = rnd();
		}
		n = vx_validate(end - len, len, ADDR, &vv, err, sizeof err);
		acc += n == 0;
		vx_validlen(end - len, len);
	}
	ok(1, "fuzz: %ld inputs, %ld accepted, no crash", iters, acc);
	munmap(pg, 2 * 4096);
}

int
main(int argc, char **argv)
{
	long iters;

	iters = argc > 1 ? atol(argv[1]) : 200000;
	if(argc > 2 && strcmp(argv[2], "fuzz") == 0){
		fuzz(iters);
		return done_testing();
	}
	handcases();
	objdumptest();
	sweeptest();
	fuzz(iters);
	return done_testing();
}
