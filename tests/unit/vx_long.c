/*
 * vx_long.c — the long engine's own hazards (issue 8): a process holds
 * 1,000 sandboxes; the whole 4 GiB window; addresses, the stack and
 * string instructions wrapping or running off either end; moffs at the
 * top; bytes that are REX prefixes in 64-bit mode; VEX bits 32-bit mode
 * ignores; FS/GS base instructions.  Snippets that every engine must run
 * alike run on each engine the host has (VXENGINE is set per run).
 * It loops over the engines itself (ENGINES-IN-ONE-RUN): tests/engine_unit.t
 * and make test run it once.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"
#include "decode.h"

enum { CODE = 0x10000, STACKTOP = 0x30000, MEM = 1 << 24, TOP = 0xfffff000u };

/* inc/dec of every register through 0x40-0x4f, which are REX in 64-bit mode */
SNIP(rex, "xor %eax,%eax\n xor %ecx,%ecx\n xor %edx,%edx\n xor %ebx,%ebx\n"
	" xor %ebp,%ebp\n xor %esi,%esi\n xor %edi,%edi\n"
	".byte 0x40,0x41,0x41,0x42,0x42,0x42,0x43,0x43,0x43,0x43\n"
	".byte 0x45,0x46,0x47,0x4d,0x4d,0x4e,0x48\n"
	".byte 0x44,0x4c\n"		/* inc %esp; dec %esp */
	" int $0x80")
/* shlx with VEX.W1 (ignored in 32-bit mode: the count is masked to 5
 * bits), VEX.B and vvvv[3] clear (ignored in 32-bit mode: ebx, ecx) */
SNIP(bmi, "mov $32,%ecx\n mov $5,%ebx\n"
	".byte 0xc4,0xe2,0xf1,0xf7,0xc3\n"	/* shlx %ecx,%ebx,%eax, W1 */
	"mov $0xff00ff00,%ecx\n mov $0xffffffff,%ebx\n"
	".byte 0xc4,0xc2,0x70,0xf2,0xd3\n"	/* andn %ebx,%ecx,%edx, B=1 */
	".byte 0xc4,0xe2,0x30,0xf2,0xf3\n"	/* andn %ebx,%ecx,%esi, vvvv[3]=1 */
	"int $0x80")
/* vpcmpestri with VEX.W1: 32-bit mode takes the lengths from eax and edx
 * (|-5| = 5 bytes of "abcdefghijklmnop": no 'j'); W1 in 64-bit mode
 * would read rax = 0xfffffffb, saturated to 16 bytes, and find one.  It
 * is AVX: #UD where our cpuid hides it */
SNIP(pcmpestr, "push $0x706f6e6d\n push $0x6c6b6a69\n push $0x68676665\n push $0x64636261\n"
	" movdqu (%esp),%xmm1\n"
	" push $0x6a6a6a6a\n push $0x6a6a6a6a\n push $0x6a6a6a6a\n push $0x6a6a6a6a\n"
	" movdqu (%esp),%xmm2\n"
	" mov $-5,%eax\n mov $16,%edx\n"
	".byte 0xc4,0xe3,0xf9,0x61,0xca,0x00\n"	/* vpcmpestri $0,%xmm2,%xmm1, W1 */
	" int $0x80")
/* an x87 exception left pending by the guest (ZE set, then unmasked) when
 * it leaves: the host's fldcw on the way out must not take it (the host
 * died of SIGFPE, codefuzz seed 260000012); the guest's next waiting x87
 * instruction does, as natively */
SNIP(fpepend, "fldz\n fld1\n fdivp\n fstp %st(0)\n push $0x37b\n fldcw (%esp)\n"
	" int $0x80\n fwait\n int $0x80")
SNIP(rdfs, "nop\n .byte 0xf3,0x0f,0xae,0xc0\n int $0x80")	/* rdfsbase %eax */
SNIP(wrgs, "nop\n .byte 0xf3,0x0f,0xae,0xd8\n int $0x80")	/* wrgsbase %eax */
SNIP(sysc, "syscall\n int $0x80")
/* the stack wraps at 0 and at 4 GiB; memory operands wrap; moffs at the top */
SNIP(wrap, "mov $0x11223344,%eax\n xor %esp,%esp\n push %eax\n mov %esp,%ebx\n"
	" pop %ecx\n mov %esp,%edx\n"
	" mov $0x10,%esi\n mov -0x14(%esi),%edi\n"	/* 0xfffffffc */
	" movl 0xfffffffc,%ebp\n"			/* absolute disp32 */
	" xor %eax,%eax\n movl 0xfffffffc,%eax\n"	/* a1 moffs */
	" int $0x80")
/* runs of pushes and pops across stack slots while esp crosses 0, and
 * slots of a run at the top that wrap to page 0 (translong.c stkslot:
 * the slot is addressed from the run's esp without addr32, so these
 * fault outside the window until stackwrap turns addr32 on; red team,
 * session 24) */
SNIP(slotwrap, "mov $8,%esp\n mov $0x11,%eax\n mov $0x22,%ebx\n mov $0x33,%ecx\n"
	" push %eax\n push %ebx\n push %ecx\n mov 8(%esp),%edx\n addl $1,4(%esp)\n push 4(%esp)\n"
	" pop %edi\n pop %ebp\n pop %ebx\n pop %eax\n int $0x80")
SNIP(slotwraptop, "mov $0xfffffff8,%esp\n mov $0x55,%eax\n push %eax\n mov 0x10(%esp),%ecx\n"
	" movl $0x66,0x10(%esp)\n push 0x14(%esp)\n pop %edx\n pop %esi\n int $0x80")
/* string instructions at both ends, both directions */
SNIP(strtop, "mov $0xfffffff0,%edi\n mov $16,%ecx\n mov $0xab,%al\n rep stosb\n"
	" mov %edi,%ebx\n mov $0xffffffff,%esi\n mov $0x1000,%edi\n std\n mov $4,%ecx\n rep movsb\n cld\n"
	" int $0x80")
SNIP(strlow, "mov $0xf,%edi\n mov $16,%ecx\n mov $0xcd,%al\n std\n rep stosb\n cld\n"
	" int $0x80")
SNIP(strofftop, "mov $0xfffffffc,%edi\n mov $8,%ecx\n rep stosb\n int $0x80")
/* a base register's disp8 operand (no addr32 since session 27,
 * translong.c disp8) wrapping past 4 GiB and below 0 */
SNIP(basewrap, "mov $0xfffffff8,%ebx\n mov $7,%eax\n mov 0x10(%ebx),%eax\n"
	" mov $4,%edx\n mov -0x8(%edx),%esi\n int $0x80")
/* into with OF clear goes on (ded7601 shrank the trap stub it jumps
 * over, the jno's displacement stayed: into the stub's last store) */
SNIP(intono, "mov $1,%eax\n add $1,%eax\n into\n mov $5,%ebx\n int $0x80")
/* base+disp8 without addr32 (translong.c, disp8) wrapping both ways:
 * stores, and a load straddling 4 GiB (red team, session 27) */
SNIP(wrapst, "mov $4,%edx\n movl $0x99,-0x8(%edx)\n mov $0xfffffff8,%ebx\n movl $0x77,0x10(%ebx)\n int $0x80")
SNIP(wrapstrad, "mov $0xfffffff0,%ebx\n mov 0xe(%ebx),%eax\n int $0x80")
SNIP(strofflow, "mov $2,%esi\n mov $0x1000,%edi\n mov $8,%ecx\n std\n rep movsb\n int $0x80")
/* a call site's run in a warm Vx (translong.c, callrun: esp moved
 * first, the stores above it) with esp crossing 0 and the top: a million
 * rets first, then three pushes and a call from esp 8 (the first two
 * slots in page 0, the rest at the top), and four pushes from esp 0x10
 * with the top page unmapped: the call's store faults, esp the guest's */
#define WARMUP "mov $1100000,%esi\n 9: call 8f\n dec %esi\n jnz 9b\n jmp 7f\n 8: ret\n 7: "
SNIP(runwrap, WARMUP "mov $8,%esp\n mov $0x11,%eax\n mov $0x22,%ebx\n mov $0x33,%ecx\n"
	" push %eax\n push %ebx\n push %ecx\n call 1f\n 1: mov %esp,%edx\n pop %edi\n pop %ebp\n int $0x80")
SNIP(runwrapoff, WARMUP "mov $0x10,%esp\n mov $0x11,%eax\n mov $0x22,%ebx\n push $5\n push %eax\n push %eax\n"
	" push %ebx\n rwo_call: call 1f\n 1: int $0x80")
extern const uint8_t rwo_call[];
/* push/pop/call/ret through the window's top page */
SNIP(calltop, "xor %esp,%esp\n call 1f\n int $0x80\n 1: mov (%esp),%ebx\n mov %esp,%edx\n ret")

/* The instructions 64-bit mode lacks, which the long engine emulates:
 * every AL with CF and AF both ways (AH varied too), a checksum of the
 * results and of the flags the SDM defines, to compare across engines. */
#define BCD(name, insn, mask) SNIP(name, "xor %edi,%edi\n xor %esi,%esi\n" \
	"1: mov %esi,%eax\n and $0xff,%eax\n imul $0x3500,%esi,%ecx\n and $0xff00,%ecx\n or %ecx,%eax\n" \
	" mov %esi,%ecx\n shr $8,%ecx\n and $1,%ecx\n mov %esi,%edx\n shr $5,%edx\n and $0x10,%edx\n" \
	" or %edx,%ecx\n push %ecx\n popf\n " insn "\n pushf\n pop %edx\n and $" #mask ",%edx\n" \
	" rol $7,%edi\n xor %eax,%edi\n add %edx,%edi\n inc %esi\n cmp $0x400,%esi\n jne 1b\n int $0x80")
BCD(bdaa, "daa", 0xd5)
BCD(bdas, "das", 0xd5)
BCD(baaa, "aaa", 0x11)
BCD(baas, "aas", 0x11)
BCD(baam, "aam", 0xc4)
BCD(baad, "aad", 0xc4)
BCD(baam7, ".byte 0xd4,7", 0xc4)
BCD(baad7, ".byte 0xd5,7", 0xc4)
SNIP(bound, "mov $0x20000,%ebx\n movl $-5,(%ebx)\n movl $5,4(%ebx)\n mov $5,%eax\n bound %eax,(%ebx)\n"
	" mov $-5,%eax\n bound %eax,(%ebx)\n mov $6,%eax\n bound %eax,(%ebx)\n int $0x80")

/* pushf/popf under a storm of stops: the flags the guest pushes never
 * carry the TF the runtime uses to step to a boundary. */
SNIP(flagloop, "xor %edi,%edi\n mov $400000,%esi\n 1: pushf\n pop %eax\n and $0x100,%eax\n or %eax,%edi\n"
	" push $0x8d5\n popf\n pushf\n pop %eax\n and $0x100,%eax\n or %eax,%edi\n dec %esi\n jnz 1b\n int $0x80")

/* runs of pushes and pops (the long engine merges their esp updates):
 * a fault inside a run sees the esp of the instruction that faulted */
SNIP(pushrun, "mov $0x28008,%esp\n mov $1,%eax\n mov $2,%ebx\n push %eax\n push %ebx\n push %ecx\n int $0x80")
SNIP(poprun, "mov $0x2fff8,%esp\n movl $5,(%esp)\n movl $6,4(%esp)\n pop %eax\n pop %ebx\n pop %ecx\n int $0x80")
SNIP(popret, "mov $0x2fff8,%esp\n mov $7,%ecx\n pop %eax\n pop %ebx\n ret")
SNIP(pushcall, "mov $0x28008,%esp\n push $9\n push %eax\n call 1f\n 1: int $0x80")
/* a run goes on across stack-slot instructions (the long engine
 * addresses their slot from the esp of the run's start): a fault at one
 * sees the esp of the instruction that faulted, not the run's; esp 0x28008,
 * two pushes, then a load, a push of a slot (its store faults), an add to
 * a slot and a store below the stack's mapping; after a pop, a load
 * above it */
SNIP(slotld, "mov $0x28008,%esp\n mov $1,%eax\n mov $2,%ebx\n push %eax\n push %ebx\n mov 4(%esp),%edx\n"
	" sl_ld: mov -4(%esp),%ecx\n int $0x80")
extern const uint8_t sl_ld[];
SNIP(slotpush, "mov $0x28008,%esp\n mov $1,%eax\n mov $2,%ebx\n push %eax\n push %ebx\n sp_push: push 4(%esp)\n int $0x80")
extern const uint8_t sp_push[];
SNIP(slotalu, "mov $0x28008,%esp\n mov $1,%eax\n push %eax\n addl $5,(%esp)\n mov (%esp),%ebx\n push %eax\n"
	" sa_add: addl $1,-4(%esp)\n int $0x80")
extern const uint8_t sa_add[];
SNIP(slotst, "mov $0x28008,%esp\n mov $1,%eax\n push %eax\n push %eax\n sst_st: movl $9,-8(%esp)\n int $0x80")
extern const uint8_t sst_st[];
SNIP(slotpop, "mov $0x2fff8,%esp\n movl $5,(%esp)\n movl $6,4(%esp)\n pop %eax\n mov (%esp),%ebx\n"
	" spop_ld: mov 4(%esp),%ecx\n int $0x80")
extern const uint8_t spop_ld[];
/* a run goes on across register-only instructions and add/sub $imm,%esp
 * (whose flags must still be the guest's): at esp 8, two pushes and a
 * sub wrap esp below 0 (CF, SF), an add brings it back to 0 (ZF, CF,
 * AF, PF); lahf reads each; then a pop after an add and a mov faults */
SNIP(espflags, "mov $8,%esp\n mov $1,%eax\n mov $2,%ebx\n push %eax\n push %ebx\n sub $4,%esp\n mov %eax,%ecx\n"
	" lahf\n mov %eax,%ebp\n add $4,%esp\n mov %ebx,%esi\n pop %ebx\n pop %edi\n lahf\n mov %eax,0x100\n"
	/* adc reads the sub's CF; cmp's flags replace the add's */
	" mov $8,%esp\n xor %edx,%edx\n push %eax\n push %ebx\n sub $4,%esp\n adc $0,%edx\n mov %edx,0x104\n"
	" add $4,%esp\n cmp %eax,%eax\n pop %ebx\n pop %edx\n lahf\n mov %eax,0x108\n"
	" mov $0x2fff8,%esp\n add $4,%esp\n mov $3,%ecx\n pop %edx\n fe_pop: pop %ebx\n int $0x80")
extern const uint8_t fe_pop[];
/* and under a storm of stops: every stop lands inside or between runs */
SNIP(stackloop, "mov $0x1234,%ebx\n mov $0x5678,%ebp\n xor %edi,%edi\n mov $2000000,%esi\n"
	" 1: mov %esi,%eax\n inc %eax\n push %eax\n push %esi\n push $7\n call 2f\n add $12,%esp\n"
	" dec %esi\n jnz 1b\n int $0x80\n"
	" 2: push %ebx\n push %ebp\n mov 12(%esp),%ebx\n add 16(%esp),%ebx\n sub 20(%esp),%ebx\n"
	" add %ebx,%edi\n pop %ebp\n pop %ebx\n ret")
/* a caller that passes stack arguments on (push of a slot, a load of
 * one) and a callee that reads and compares its arguments in slots, with
 * pushes and pops pending around them: one run per call site under a
 * storm of stops.  edi sums 2i+3 for i = 1..8000000, ebp counts slots
 * that were not 3, ecx is the callee's return address read at (%esp) */
SNIP(slotloop, "mov $0x1234,%ebx\n xor %edi,%edi\n xor %ebp,%ebp\n mov $8000000,%esi\n push $3\n"
	" 1: push %esi\n push 4(%esp)\n mov 4(%esp),%eax\n push %eax\n call 2f\n"
	" sl_back: add $12,%esp\n dec %esi\n jnz 1b\n add $4,%esp\n int $0x80\n"
	" 2: push %ebx\n mov 8(%esp),%ebx\n add 12(%esp),%ebx\n add 16(%esp),%ebx\n add %ebx,%edi\n"
	" cmpl $3,12(%esp)\n setne %al\n movzbl %al,%eax\n add %eax,%ebp\n pop %ebx\n mov (%esp),%ecx\n ret")
extern const uint8_t sl_back[];

/* bench/fib's code (runs across movs, the sub and add of its frame, the
 * cmp), fib(20) 400 times */
SNIP(fibloop, "mov $400,%edi\n xor %ebp,%ebp\n 2: mov $20,%eax\n call 3f\n add %eax,%ebp\n dec %edi\n jnz 2b\n int $0x80\n"
	" 3: push %esi\n push %ebx\n mov %eax,%ebx\n sub $4,%esp\n cmp $1,%eax\n jbe 1f\n"
	" lea -1(%eax),%eax\n call 3b\n mov %eax,%esi\n lea -2(%ebx),%eax\n call 3b\n lea (%esi,%eax),%ebx\n"
	" 1: add $4,%esp\n mov %ebx,%eax\n pop %ebx\n pop %esi\n ret")

/* the same fib(20) 12 times: 262,680 calls and rets, under the million
 * that warm a Vx */
SNIP(fibcold, "mov $12,%edi\n xor %ebp,%ebp\n 2: mov $20,%eax\n call 3f\n add %eax,%ebp\n dec %edi\n jnz 2b\n int $0x80\n"
	" 3: push %esi\n push %ebx\n mov %eax,%ebx\n sub $4,%esp\n cmp $1,%eax\n jbe 1f\n"
	" lea -1(%eax),%eax\n call 3b\n mov %eax,%esi\n lea -2(%ebx),%eax\n call 3b\n lea (%esi,%eax),%ebx\n"
	" 1: add $4,%esp\n mov %ebx,%eax\n pop %ebx\n pop %esi\n ret")

/* The direction flag, which the long engine keeps in its state block
 * while guest code runs: across an exit and an entry (std, then the
 * system call, then single moves that go on downwards, cld), and a loop
 * of rep and single moves both ways with pushf reading DF, for a storm
 * of stops (every iteration adds 0x400 + 0x28ffb + 0x29ffb to ebx) */
SNIP(dfexit, "mov $0x29010,%esi\n mov $0x2a010,%edi\n std\n int $0x80\n movsb\n movsl\n pushf\n pop %ebx\n"
	" cld\n pushf\n pop %ecx\n int $0x80")
SNIP(dfentry, "lodsb\n stosb\n pushf\n pop %ebx\n int $0x80")
SNIP(dfloop, "mov $300000,%ebp\n xor %ebx,%ebx\n"
	" 1: mov $0x29000,%esi\n mov $0x2a000,%edi\n mov $5,%ecx\n rep movsb\n"
	" std\n mov $3,%ecx\n rep movsb\n movsb\n movsw\n movsl\n"
	" pushf\n pop %eax\n and $0x400,%eax\n add %eax,%ebx\n"
	" cld\n pushf\n pop %eax\n and $0x400,%eax\n add %eax,%ebx\n"
	" add %esi,%ebx\n add %edi,%ebx\n dec %ebp\n jnz 1b\n int $0x80")

/* A 15-byte instruction, imul $7, 0x10(%esi), %eax with four repeats of
 * f2/f3 before it: its copy through %gs (65 67, two bytes more) was 17
 * bytes, which the CPU refuses; the repeats mean nothing and go. */
SNIP(longinsn, "mov $0x20000,%esi\n movl $3,0x10(%esi)\n"
	".byte 0xf2,0xf3,0xf2,0xf3,0xf2,0x69,0x86,0x10,0,0,0,7,0,0,0\n int $0x80")

/* SSE and x87 state across exits to the host, which clobbers both */
SNIP(fpkeep, "mov $0x11111111,%eax\n movd %eax,%xmm0\n mov $0x77777777,%eax\n movd %eax,%xmm7\n int $0x80\n"
	" movd %xmm0,%ebx\n movd %xmm7,%ecx\n int $0x80\n"
	" fld1\n fld1\n faddp\n int $0x80\n fistpl 0x20000\n movd %xmm7,%ecx\n int $0x80")

/* Two values on the x87 stack, then a direct and an indirect jump to
 * unmapped code at 0x5000: a chain exit and a lookup exit, after which
 * vx_run returns (the long engine leaves the guest's x87 state in the
 * registers on those exits, S_X87HW); fpc_back stores them. */
SNIP(fpchain, "fld1\n fldpi\n jmp fpchain_s - 0xb000\n"
	"fpc_look: fld1\n fldpi\n mov $0x5000,%eax\n jmp *%eax\n"
	"fpc_back: fstpl 0x20000\n fstpl 0x20008\n int $0x80")
extern const uint8_t fpc_look[], fpc_back[];

static void
hostclobber(void)
{
	__asm__ volatile("pcmpeqd %%xmm0,%%xmm0\n pcmpeqd %%xmm7,%%xmm7\n fninit" ::: "xmm0", "xmm7", "memory");
}

static Vx *
mk(uint32_t memsize, const uint8_t *s, const uint8_t *e)
{
	Vx *vx = vxt_guest(memsize, CODE, s, (size_t)(e - s), 0x1000, STACKTOP - 0x8000, STACKTOP);

	if(vx != NULL){
		vx_setreg(vx, VX_EIP, CODE);
		vx_setreg(vx, VX_ESP, STACKTOP);
	}
	return vx;
}

static uint32_t R(Vx *vx, int r) { return vx_getreg(vx, r); }

/* The host CPU's flags (lahf's byte) of x + d, as add or sub of |d|. */
static uint32_t
hostflags(uint32_t x, int32_t d)
{
	uint32_t ah;

	if(d < 0)
		__asm__("subl %2,%1\n lahf\n shr $8,%%eax" : "=&a"(ah), "+r"(x) : "r"((uint32_t)-d) : "cc");
	else
		__asm__("addl %2,%1\n lahf\n shr $8,%%eax" : "=&a"(ah), "+r"(x) : "r"((uint32_t)d) : "cc");
	return ah & 0xd5;
}

static uint32_t bcdsum[2][8];

/* Runs on every engine. */
static void
common(const char *en, int e)
{
	static const uint8_t *const bs[8][2] = {
		{ bdaa_s, bdaa_e }, { bdas_s, bdas_e }, { baaa_s, baaa_e }, { baas_s, baas_e },
		{ baam_s, baam_e }, { baad_s, baad_e }, { baam7_s, baam7_e }, { baad7_s, baad7_e },
	};
	static const char *const bn[8] = { "daa", "das", "aaa", "aas", "aam", "aad", "aam $7", "aad $7" };
	VxTrapInfo ti;
	Vx *vx;
	int i;

	for(i = 0; i < 8; i++){
		vx = mk(MEM, bs[i][0], bs[i][1]);
		is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: %s over every AL, CF, AF", en, bn[i]);
		bcdsum[e - 1][i] = R(vx, VX_EDI);
		vx_free(vx);
	}
	vx = mk(MEM, longinsn_s, longinsn_e);
	vx_map(vx, 0x20000, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: a 15-byte instruction of repeated f2/f3 prefixes runs", en);
	is(R(vx, VX_EAX), 21, "%s: and computes", en);
	vx_free(vx);
	vx = mk(MEM, fpkeep_s, fpkeep_e);
	vx_map(vx, 0x20000, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_run(vx, &ti);
	hostclobber();
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: SSE state kept over an exit", en);
	ok(R(vx, VX_EBX) == 0x11111111 && R(vx, VX_ECX) == 0x77777777, "%s: xmm0 and xmm7 as the guest left them", en);
	vx_run(vx, &ti);
	hostclobber();
	vx_run(vx, &ti);
	{
		uint32_t *p = vx_access(vx, 0x20000, 4, VX_PROT_READ);
		ok(p && *p == 2 && R(vx, VX_ECX) == 0x77777777, "%s: the x87 stack kept over an exit too", en);
		uint8_t *fx = vx_fpstate(vx);
		ok(fx[160] == 0x11 && fx[272] == 0x77, "%s: vx_fpstate has the guest's xmm registers", en);
	}
	vx_free(vx);
	for(i = 0; i < 2; i++){
		const char *how = i == 0 ? "direct" : "indirect";
		double v[2] = { 0, 0 };
		uint8_t *fx, *p;

		vx = mk(MEM, fpchain_s, fpchain_e);
		vx_map(vx, 0x20000, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
		vx_setreg(vx, VX_EIP, CODE + (i == 0 ? 0 : (uint32_t)(fpc_look - fpchain_s)));
		is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: %s jump to unmapped code, two values on the x87 stack", en, i == 0 ? "a direct" : "an indirect");
		hostclobber();
		fx = vx_fpstate(vx);
		ok(fx[4] == 0xc0, "%s: vx_fpstate has them after the %s jump's exit (tags %#x)", en, how, fx[4]);
		vx_setreg(vx, VX_EIP, CODE + (uint32_t)(fpc_back - fpchain_s));
		is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: stored after the %s jump", en, how);
		p = vx_access(vx, 0x20000, 16, VX_PROT_READ);
		if(p != NULL)
			memcpy(v, p, 16);
		ok(v[0] > 3.14159 && v[0] < 3.1416 && v[1] == 1.0, "%s: pi and 1 as loaded before the %s jump (%g %g)", en, how, v[0], v[1]);
		vx_free(vx);
	}

	vx = mk(MEM, pushrun_s, pushrun_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: the third push of a run faults", en);
	ok(ti.eip == CODE + 17 && ti.addr == 0x27ffc && R(vx, VX_ESP) == 0x28000,
		"%s: at it, its slot, esp after two pushes (eip %#x addr %#x esp %#x)", en, ti.eip, ti.addr, R(vx, VX_ESP));
	{
		uint32_t *p = vx_access(vx, 0x28000, 8, VX_PROT_READ);
		ok(p && p[0] == 2 && p[1] == 1, "%s: the two pushes stored", en);
	}
	vx_free(vx);
	vx = mk(MEM, poprun_s, poprun_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: the third pop of a run faults", en);
	ok(ti.eip == CODE + 22 && ti.addr == 0x30000 && R(vx, VX_ESP) == 0x30000 && R(vx, VX_EAX) == 5 && R(vx, VX_EBX) == 6,
		"%s: at it, its slot, esp after two pops (eip %#x addr %#x esp %#x)", en, ti.eip, ti.addr, R(vx, VX_ESP));
	vx_free(vx);
	vx = mk(MEM, popret_s, popret_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a ret after pops faults", en);
	ok(ti.eip == CODE + 12 && ti.addr == 0x30000 && R(vx, VX_ESP) == 0x30000 && R(vx, VX_ECX) == 7,
		"%s: at it, esp after the pops, ecx the guest's (eip %#x esp %#x ecx %#x)", en, ti.eip, R(vx, VX_ESP), R(vx, VX_ECX));
	vx_free(vx);
	vx = mk(MEM, pushcall_s, pushcall_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a call after pushes faults", en);
	ok(ti.eip == CODE + 8 && ti.addr == 0x27ffc && R(vx, VX_ESP) == 0x28000,
		"%s: at it, esp after the pushes (eip %#x addr %#x esp %#x)", en, ti.eip, ti.addr, R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(MEM, slotld_s, slotld_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a stack-slot load in a run of pushes faults", en);
	ok(ti.eip == CODE + (uint32_t)(sl_ld - slotld_s) && ti.addr == 0x27ffc && R(vx, VX_ESP) == 0x28000 && R(vx, VX_EDX) == 1,
		"%s: at it, its slot, esp after two pushes, the load before it done (eip %#x addr %#x esp %#x edx %#x)", en,
		ti.eip, ti.addr, R(vx, VX_ESP), R(vx, VX_EDX));
	vx_free(vx);
	vx = mk(MEM, slotpush_s, slotpush_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a push of a slot in a run faults at its store", en);
	ok(ti.eip == CODE + (uint32_t)(sp_push - slotpush_s) && ti.addr == 0x27ffc && R(vx, VX_ESP) == 0x28000,
		"%s: at it, esp after two pushes (eip %#x addr %#x esp %#x)", en, ti.eip, ti.addr, R(vx, VX_ESP));
	vx_free(vx);
	vx = mk(MEM, slotalu_s, slotalu_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: an add to a slot in a run faults", en);
	ok(ti.eip == CODE + (uint32_t)(sa_add - slotalu_s) && ti.addr == 0x27ffc && R(vx, VX_ESP) == 0x28000 && R(vx, VX_EBX) == 6,
		"%s: at it, esp after two pushes; the add to the pushed slot done (eip %#x addr %#x esp %#x ebx %#x)", en,
		ti.eip, ti.addr, R(vx, VX_ESP), R(vx, VX_EBX));
	vx_free(vx);
	vx = mk(MEM, slotst_s, slotst_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a store of an immediate to a slot in a run faults", en);
	ok(ti.eip == CODE + (uint32_t)(sst_st - slotst_s) && ti.addr == 0x27ff8 && R(vx, VX_ESP) == 0x28000,
		"%s: at it, its slot, esp after two pushes (eip %#x addr %#x esp %#x)", en, ti.eip, ti.addr, R(vx, VX_ESP));
	vx_free(vx);
	vx = mk(MEM, slotpop_s, slotpop_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a stack-slot load in a run of pops faults", en);
	ok(ti.eip == CODE + (uint32_t)(spop_ld - slotpop_s) && ti.addr == 0x30000 && R(vx, VX_ESP) == 0x2fffc
		&& R(vx, VX_EAX) == 5 && R(vx, VX_EBX) == 6,
		"%s: at it, its slot, esp after the pop (eip %#x addr %#x esp %#x eax %#x ebx %#x)", en,
		ti.eip, ti.addr, R(vx, VX_ESP), R(vx, VX_EAX), R(vx, VX_EBX));
	vx_free(vx);

	vx = mk(MEM, espflags_s, espflags_e);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "%s: a pop after add $4,%%esp and a mov faults", en);
	is(R(vx, VX_EBP) >> 8 & 0xd5, hostflags(0, -4), "%s: sub $4,%%esp in a run of pushes: its flags", en);
	{
		uint32_t *p = vx_access(vx, 0x100, 12, VX_PROT_READ);
		ok(p != NULL, "%s: the results are readable", en);
		is(p[0] >> 8 & 0xd5, hostflags(0xfffffffc, 4), "%s: add $4,%%esp before pops: its flags", en);
		is(p[1], 1, "%s: adc after sub $4,%%esp in a run: the sub's carry", en);
		is(p[2] >> 8 & 0xd5, hostflags(1, -1), "%s: cmp after add $4,%%esp in a run: cmp's flags (ZF PF)", en);
	}
	ok(R(vx, VX_ESI) == 2 && R(vx, VX_EBX) == 2 && R(vx, VX_EDI) == 1 && R(vx, VX_ECX) == 3,
		"%s: the run's pushes and pops (esi %#x ebx %#x edi %#x ecx %#x)", en, R(vx, VX_ESI), R(vx, VX_EBX), R(vx, VX_EDI), R(vx, VX_ECX));
	ok(ti.eip == CODE + (uint32_t)(fe_pop - espflags_s) && ti.addr == 0x30000 && R(vx, VX_ESP) == 0x30000,
		"%s: at the second pop, esp after the add and the first pop (eip %#x addr %#x esp %#x)", en,
		ti.eip, ti.addr, R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(MEM, bound_s, bound_e);
	vx_map(vx, 0x20000, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_BOUND, "%s: bound traps out of range", en);
	is(ti.eip, CODE + 37, "%s: at the third bound", en);
	vx_free(vx);

	vx = mk(MEM, rex_s, rex_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: 0x40-0x4f run as inc/dec", en);
	ok(R(vx, VX_EAX) == 0 && R(vx, VX_ECX) == 2 && R(vx, VX_EDX) == 3 && R(vx, VX_EBX) == 4
		&& R(vx, VX_EBP) == 0xffffffff && R(vx, VX_ESI) == 0 && R(vx, VX_EDI) == 1 && R(vx, VX_ESP) == STACKTOP,
		"%s: every register counted (eax %#x ecx %#x edx %#x ebx %#x ebp %#x esi %#x edi %#x)", en,
		R(vx, VX_EAX), R(vx, VX_ECX), R(vx, VX_EDX), R(vx, VX_EBX), R(vx, VX_EBP), R(vx, VX_ESI), R(vx, VX_EDI));
	vx_free(vx);

	vx = mk(MEM, bmi_s, bmi_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: BMI with VEX bits 32-bit mode ignores", en);
	is(R(vx, VX_EAX), 5, "%s: shlx VEX.W1 is a 32-bit shift (count 32 masked to 0)", en);
	is(R(vx, VX_EDX), 0x00ff00ff, "%s: andn with VEX.B set names ebx", en);
	is(R(vx, VX_ESI), 0x00ff00ff, "%s: andn with vvvv[3] clear names ecx", en);
	vx_free(vx);

	vx = mk(MEM, pcmpestr_s, pcmpestr_e);
	if(vx_guestfeat() & VXF_AVX){
		is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: vpcmpestri (AVX, offered) runs", en);
		is(R(vx, VX_ECX), 16, "%s: VEX.W1 ignored: lengths from eax and edx, no match", en);
	}else{
		is(vx_run(vx, &ti), VX_TRAP_ILLEGAL, "%s: vpcmpestri (AVX, hidden by cpuid) is #UD", en);
		is(ti.eip, CODE + (uint32_t)(pcmpestr_e - pcmpestr_s) - 8, "%s: at the instruction", en);
	}
	vx_free(vx);

	vx = mk(MEM, fpepend_s, fpepend_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: leaves with an x87 exception pending", en);
	is(vx_run(vx, &ti), VX_TRAP_FPU, "%s: the guest's next fwait takes it", en);
	vx_free(vx);

	vx = mk(MEM, dfexit_s, dfexit_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: std, then a system call", en);
	is(R(vx, VX_EFLAGS) & 0x400, 0x400, "%s: the guest's DF is set at the exit", en);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: and back in", en);
	ok(R(vx, VX_ESI) == 0x2900b && R(vx, VX_EDI) == 0x2a00b, "%s: movsb and movsl went down (esi %#x edi %#x)",
		en, R(vx, VX_ESI), R(vx, VX_EDI));
	ok((R(vx, VX_EBX) & 0x400) && !(R(vx, VX_ECX) & 0x400) && !(R(vx, VX_EFLAGS) & 0x400),
		"%s: pushf saw DF set, then clear after cld", en);
	vx_free(vx);

	vx = mk(MEM, dfentry_s, dfentry_e);
	vx_setreg(vx, VX_ESI, 0x29010);
	vx_setreg(vx, VX_EDI, 0x2a010);
	vx_setreg(vx, VX_EFLAGS, 0x602);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%s: DF set by the host before the run", en);
	ok(R(vx, VX_ESI) == 0x2900f && R(vx, VX_EDI) == 0x2a00f && (R(vx, VX_EBX) & 0x400) && (R(vx, VX_EFLAGS) & 0x400),
		"%s: lodsb and stosb went down, pushf and the exit kept DF (esi %#x edi %#x)", en, R(vx, VX_ESI), R(vx, VX_EDI));
	vx_free(vx);

	vx = mk(MEM, rdfs_s, rdfs_e);
	is(vx_run(vx, &ti), VX_TRAP_ILLEGAL, "%s: rdfsbase is #UD, as natively in 32-bit mode", en);
	is(ti.eip, CODE + 1, "%s: at the instruction", en);
	vx_free(vx);
	vx = mk(MEM, wrgs_s, wrgs_e);
	is(vx_run(vx, &ti), VX_TRAP_ILLEGAL, "%s: wrgsbase is #UD, as natively in 32-bit mode", en);
	vx_free(vx);
	vx = mk(MEM, sysc_s, sysc_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALLINSN, "%s: syscall traps", en);
	vx_free(vx);
}

static void
storm(const char *en)
{
	int r, stops;
	Vx *vx = mk(MEM, flagloop_s, flagloop_e);

	r = vxt_understops(vx, &stops);
	is(r, VX_TRAP_SYSCALL, "%s: pushf/popf loop under stops finishes (%d stops)", en, stops);
	is(R(vx, VX_EDI), 0, "%s: no pushed flags carried TF", en);
	is(R(vx, VX_ESP), STACKTOP, "%s: the stack balanced", en);
	vx_free(vx);

	vx = mk(MEM, stackloop_s, stackloop_e);
	r = vxt_understops(vx, &stops);
	is(r, VX_TRAP_SYSCALL, "%s: push/pop/call/ret loop under stops finishes (%d stops)", en, stops);
	ok(R(vx, VX_EDI) == 6 * 2000000 && R(vx, VX_EBX) == 0x1234 && R(vx, VX_EBP) == 0x5678 && R(vx, VX_ESP) == STACKTOP,
		"%s: every stop saw the stack as the guest left it (edi %u ebx %#x ebp %#x esp %#x)", en,
		R(vx, VX_EDI), R(vx, VX_EBX), R(vx, VX_EBP), R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(MEM, dfloop_s, dfloop_e);
	r = vxt_understops(vx, &stops);
	is(r, VX_TRAP_SYSCALL, "%s: string moves both ways under stops finish (%d stops)", en, stops);
	ok(R(vx, VX_EBX) == 300000u * (0x400 + 0x28ffb + 0x29ffb) && !(R(vx, VX_EFLAGS) & 0x400),
		"%s: every stop saw the guest's DF and pointers (ebx %#x)", en, R(vx, VX_EBX));
	vx_free(vx);

	vx = mk(MEM, slotloop_s, slotloop_e);
	r = vxt_understops(vx, &stops);
	is(r, VX_TRAP_SYSCALL, "%s: calls passing stack arguments on under stops finish (%d stops)", en, stops);
	ok(R(vx, VX_EDI) == (uint32_t)(8000000ull * 8000001ull + 24000000ull) && R(vx, VX_EBP) == 0
		&& R(vx, VX_EBX) == 0x1234 && R(vx, VX_ECX) == CODE + (uint32_t)(sl_back - slotloop_s) && R(vx, VX_ESP) == STACKTOP,
		"%s: every slot as the guest wrote it (edi %u ebp %u ebx %#x ecx %#x esp %#x)", en,
		R(vx, VX_EDI), R(vx, VX_EBP), R(vx, VX_EBX), R(vx, VX_ECX), R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(MEM, fibloop_s, fibloop_e);
	r = vxt_understops(vx, &stops);
	is(r, VX_TRAP_SYSCALL, "%s: recursive fib under stops finishes (%d stops)", en, stops);
	ok(R(vx, VX_EBP) == 400 * 6765 && R(vx, VX_ESP) == STACKTOP,
		"%s: with fib's result and the stack balanced (ebp %u esp %#x)", en, R(vx, VX_EBP), R(vx, VX_ESP));
	vx_free(vx);
}

/* The long engine only: a cold Vx's rets go to the runtime every
 * 65,536th, not every 1,024th (translong.c, coldret: 262,680 rets made
 * 256 such exits before), and a Vx still warms after a million rets
 * (the warming flushes its code cache once), its rets then through the
 * exact table (cold, 8.7 million rets would make 132 exits or more). */
static void
rets(void)
{
	VxTrapInfo ti;
	VxStats st;
	Vx *vx;

	vx = mk(MEM, fibcold_s, fibcold_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "cold: fib(20) 12 times runs");
	vx_stats(vx, &st);
	ok(R(vx, VX_EBP) == 12 * 6765 && st.exits < 64 && st.flushes == 0,
		"cold: 262,680 rets with %llu exits, %llu flushes (ebp %u)",
		(unsigned long long)st.exits, (unsigned long long)st.flushes, R(vx, VX_EBP));
	vx_free(vx);

	vx = mk(MEM, fibloop_s, fibloop_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "warm: fib(20) 400 times runs");
	vx_stats(vx, &st);
	ok(R(vx, VX_EBP) == 400 * 6765 && st.flushes == 1 && st.exits < 8700000 / 65536,
		"warm: 8.7 million rets warmed the Vx (%llu flushes, %llu exits, %llu fragments)",
		(unsigned long long)st.flushes, (unsigned long long)st.exits, (unsigned long long)st.fragments);
	vx_free(vx);
}

/* The long engine only: the full 4 GiB. */
static void
window(void)
{
	VxTrapInfo ti;
	VxStats st;
	uint8_t *p, *q;
	Vx *vx;
	int i;

	vx = mk(0xffffffffu, wrap_s, wrap_e);
	if(!ok(vx != NULL, "a 4 GiB guest"))
		return;
	ok(vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE) == 0, "the page at 0xfffff000 maps");
	p = vx_access(vx, 0xfffffffc, 4, VX_PROT_WRITE);
	ok(p != NULL, "and is reachable from the host");
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "stack and addresses wrap");
	is(R(vx, VX_EBX), 0xfffffffc, "push at esp 0 writes below 4 GiB");
	is(R(vx, VX_ECX), 0x11223344, "pop reads it back");
	is(R(vx, VX_EDX), 0, "and esp wraps to 0");
	is(R(vx, VX_EDI), 0x11223344, "disp -0x14 from 0x10 reads 0xfffffffc");
	is(R(vx, VX_EBP), 0x11223344, "absolute 0xfffffffc");
	is(R(vx, VX_EAX), 0x11223344, "moffs 0xfffffffc");
	vx_free(vx);

	vx = mk(0xffffffffu, strtop_s, strtop_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, 0, 0x2000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "rep stos up to the last byte, rep movs down from it");
	is(R(vx, VX_EBX), 0, "edi wrapped to 0");
	p = vx_access(vx, 0xffd, 4, VX_PROT_READ);
	ok(p && p[0] == 0xab && p[1] == 0xab && p[2] == 0xab && p[3] == 0xab, "copied down from the top");
	is(R(vx, VX_ESI), 0xfffffffb, "esi counted down");
	p = vx_access(vx, 0xfffffff0, 16, VX_PROT_READ);
	for(i = 0; p && i < 16 && p[i] == 0xab; i++)
		;
	is(i, 16, "the top 16 bytes stored");
	vx_free(vx);

	vx = mk(0xffffffffu, strlow_s, strlow_e);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "rep stos down to address 0");
	is(R(vx, VX_EDI), 0xffffffff, "edi wrapped below 0");
	p = vx_access(vx, 0, 16, VX_PROT_READ);
	ok(p && p[0] == 0xcd && p[15] == 0xcd, "the bottom 16 bytes stored");
	vx_free(vx);

	vx = mk(0xffffffffu, strofftop_s, strofftop_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "rep stos running off the top faults (page 0 unmapped)");
	is(ti.addr, 0, "at guest address 0");
	is(R(vx, VX_ECX), 4, "after 4 bytes");
	is(R(vx, VX_EDI), 0, "edi is the guest's");
	vx_free(vx);

	vx = mk(0xffffffffu, basewrap_s, basewrap_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "0x10(%%ebx) at 0xfffffff8 faults (page 0 unmapped)");
	ok(ti.addr == 8 && ti.eip == CODE + 10 && R(vx, VX_EBX) == 0xfffffff8 && R(vx, VX_EAX) == 7,
		"at guest address 8, at the mov, ebx and eax the guest's (addr %#x eip %#x)", ti.addr, ti.eip);
	vx_free(vx);
	vx = mk(0xffffffffu, basewrap_s, basewrap_e);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	if((p = vx_access(vx, 8, 4, VX_PROT_WRITE)) != NULL)
		memcpy(p, "\x11\x22\x33\x44", 4);
	if((p = vx_access(vx, 0xfffffffc, 4, VX_PROT_WRITE)) != NULL)
		memcpy(p, "\x55\x66\x77\x08", 4);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "page 0 and the top page mapped: both wrap");
	is(R(vx, VX_EAX), 0x44332211, "0x10(%%ebx) at 0xfffffff8 reads address 8");
	is(R(vx, VX_ESI), 0x08776655, "-0x8(%%edx) at 4 reads 0xfffffffc");
	vx_free(vx);

	vx = mk(0xffffffffu, wrapst_s, wrapst_e);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "a store at -0x8(%%edx), edx 4, faults (the top page unmapped)");
	p = vx_access(vx, 0, 0x1000, VX_PROT_READ);
	for(i = 0; p != NULL && i < 0x1000 && p[i] == 0; i++)
		;
	ok(ti.addr == 0xfffffffc && ti.eip == CODE + 5 && i == 0x1000,
		"at guest address 0xfffffffc, at the store, page 0 untouched (addr %#x eip %#x)", ti.addr, ti.eip);
	vx_free(vx);
	vx = mk(0xffffffffu, wrapst_s, wrapst_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "the stores: the second faults (page 0 unmapped)");
	p = vx_access(vx, TOP, 0x1000, VX_PROT_READ);
	for(i = 0; p != NULL && i < 0xffc && p[i] == 0; i++)
		;
	ok(ti.addr == 8 && p != NULL && memcmp(p + 0xffc, "\x99\0\0\0", 4) == 0 && i == 0xffc,
		"at guest address 8; the first stored at 0xfffffffc only (addr %#x)", ti.addr);
	vx_free(vx);
	vx = mk(0xffffffffu, wrapst_s, wrapst_e);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "both pages mapped: both stores wrap");
	p = vx_access(vx, TOP + 0xffc, 4, VX_PROT_READ);
	q = vx_access(vx, 8, 4, VX_PROT_READ);
	ok(p != NULL && q != NULL && p[0] == 0x99 && q[0] == 0x77, "at 0xfffffffc and 8");
	vx_free(vx);
	vx = mk(0xffffffffu, wrapstrad_s, wrapstrad_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "a load of 0xe(%%ebx), ebx 0xfffffff0, straddling 4 GiB faults");
	ok(ti.addr == 0 && ti.eip == CODE + 5, "at guest address 0 (addr %#x eip %#x)", ti.addr, ti.eip);
	vx_free(vx);

	vx = mk(0xffffffffu, intono_s, intono_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "into with OF clear goes on");
	ok(R(vx, VX_EBX) == 5 && R(vx, VX_EAX) == 2, "to the next instruction (ebx %#x eax %#x eip %#x)",
		R(vx, VX_EBX), R(vx, VX_EAX), ti.eip);
	vx_free(vx);

	vx = mk(0xffffffffu, strofflow_s, strofflow_e);
	vx_map(vx, 0, 0x2000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "rep movs running off the bottom faults (the top unmapped)");
	is(ti.addr, 0xffffffff, "at guest address 0xffffffff");
	is(R(vx, VX_ECX), 5, "after 3 bytes");
	vx_free(vx);

	vx = mk(0xffffffffu, slotwrap_s, slotwrap_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "a run of pushes across slots with esp crossing 0");
	ok(R(vx, VX_EDX) == 0x11 && R(vx, VX_EDI) == 0x23 && R(vx, VX_EBP) == 0x33 && R(vx, VX_EBX) == 0x23
		&& R(vx, VX_EAX) == 0x11 && R(vx, VX_ESP) == 8,
		"each slot where i386 has it (edx %#x edi %#x ebp %#x ebx %#x eax %#x esp %#x)",
		R(vx, VX_EDX), R(vx, VX_EDI), R(vx, VX_EBP), R(vx, VX_EBX), R(vx, VX_EAX), R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(0xffffffffu, slotwraptop_s, slotwraptop_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	p = vx_access(vx, 4, 8, VX_PROT_WRITE);
	if(p != NULL){
		p[0] = 0x77;
		p[4] = 0x88;
	}
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "slots of a run at the top wrapping to page 0");
	p = vx_access(vx, 4, 4, VX_PROT_READ);
	ok(R(vx, VX_ECX) == 0x77 && p != NULL && p[0] == 0x66 && R(vx, VX_EDX) == 0x88 && R(vx, VX_ESI) == 0x55
		&& R(vx, VX_ESP) == 0xfffffff8,
		"loads, a store and a push of slots at 4 and 8 (ecx %#x [4] %#x edx %#x esi %#x esp %#x)",
		R(vx, VX_ECX), p ? p[0] : 0, R(vx, VX_EDX), R(vx, VX_ESI), R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(0xffffffffu, runwrap_s, runwrap_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "warm: a call's run with esp crossing 0");
	vx_stats(vx, &st);
	is((int)st.flushes, 2, "warm: the rets warmed the Vx, the stack wrapped (a flush each)");
	p = vx_access(vx, 0, 8, VX_PROT_READ);
	ok(p != NULL && p[4] == 0x11 && p[0] == 0x22 && R(vx, VX_EBP) == 0x33 && R(vx, VX_EDX) == 0xfffffff8
		&& R(vx, VX_EDI) == (uint32_t)(CODE + (runwrap_e - runwrap_s) - 6) && R(vx, VX_ESP) == 0,
		"warm: each slot where i386 has it ([4] %#x [0] %#x ebp %#x edx %#x edi %#x esp %#x)",
		p ? p[4] : 0, p ? p[0] : 0, R(vx, VX_EBP), R(vx, VX_EDX), R(vx, VX_EDI), R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(0xffffffffu, runwrapoff_s, runwrapoff_e);
	vx_map(vx, 0, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "warm: a call's run off the bottom faults (the top unmapped)");
	ok(ti.addr == 0xfffffffc && ti.eip == (uint32_t)(CODE + (rwo_call - runwrapoff_s)) && R(vx, VX_ESP) == 0,
		"warm: at the call, esp 0, address 0xfffffffc (addr %#x eip %#x esp %#x)", ti.addr, ti.eip, R(vx, VX_ESP));
	vx_free(vx);

	vx = mk(0xffffffffu, calltop_s, calltop_e);
	vx_map(vx, TOP, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "call and ret across the 4 GiB wrap");
	is(R(vx, VX_EBX), CODE + 7, "the return address was pushed below 4 GiB");
	is(R(vx, VX_EDX), 0xfffffffc, "esp 0 - 4");
	is(R(vx, VX_ESP), 0, "and back to 0");
	vx_free(vx);
}

/* The long engine only: reservations are virtual; a process holds many. */
static void
many(void)
{
	enum { N = 1000 };
	static Vx *v[N];
	VxTrapInfo ti;
	int i, made = 0, ran = 0;

	for(i = 0; i < N; i++){
		v[i] = mk(1 << 20, rex_s, rex_e);
		if(v[i] == NULL)
			break;
		made++;
		if(i % 97 == 0 && vx_run(v[i], &ti) == VX_TRAP_SYSCALL && vx_getreg(v[i], VX_ECX) == 2)
			ran++;
	}
	is(made, N, "%d long sandboxes in one process", N);
	is(ran, (N + 96) / 97, "and they run");
	for(i = 0; i < made; i++)
		vx_free(v[i]);
	v[0] = mk(1 << 20, rex_s, rex_e);
	ok(v[0] != NULL, "freed, and made again");
	vx_free(v[0]);
}

int
main(void)
{
	static const char *names[] = { "compat", "long" };
	char why[VX_ERRLEN];
	int e;

	for(e = VX_ENGINE_COMPAT; e <= VX_ENGINE_LONG; e++){
		if(!vx_engineok(e, why)){
			ok(1, "# skip %s: %s", names[e - 1], why);
			continue;
		}
		setenv("VXENGINE", names[e - 1], 1);
		common(names[e - 1], e);
		storm(names[e - 1]);
	}
	if(vx_engineok(VX_ENGINE_COMPAT, NULL) && vx_engineok(VX_ENGINE_LONG, NULL))
		ok(memcmp(bcdsum[0], bcdsum[1], sizeof bcdsum[0]) == 0,
			"the BCD instructions give the CPU's results and flags on long as on compat");
	if(vx_engineok(VX_ENGINE_LONG, why)){
		setenv("VXENGINE", "long", 1);
		window();
		rets();
		many();
	}else
		ok(1, "# skip long engine: %s", why);
	{
		Vx *vx;
		char err[VX_ERRLEN];
		setenv("VXENGINE", "nosuch", 1);
		vx = vx_new(MEM, err);
		ok(vx == NULL && strstr(err, "no such engine") != NULL, "VXENGINE=nosuch: a one-line error (%s)", vx ? "" : err);
		vx_free(vx);
	}
	return done_testing();
}
