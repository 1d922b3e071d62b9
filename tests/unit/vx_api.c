/*
 * vx_api.c — the sandbox API on hand-written guest code: traps and their
 * eip/address, memory checks, fork and thread copies, preemption of a
 * spinning guest, many sandboxes at once on many threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"
#include "decode.h"

/* Guest snippets: 32-bit code, loaded at CODE, position-dependent only
 * through the labels' offsets from the snippet's start. */
SNIP(add, "mov $5,%eax\n add $3,%eax\n mov $10,%ecx\n 1: call 2f\n loop 1b\n int $0x80\n 2: inc %eax\n ret")
SNIP(spin, "1: jmp 1b")
SNIP(spin2, "xor %eax,%eax\n 1: inc %eax\n cmp $0,%eax\n jne 1b\n int $0x80")
SNIP(fault, "mov $0x12345,%ebx\n nop\n mov (%ebx),%eax\n int $0x80")
SNIP(wfault, "mov $0x10000,%ebx\n movl $1,(%ebx)\n int $0x80")
SNIP(limit, "mov $0xfffffff0,%ebx\n mov (%ebx),%eax\n int $0x80")
SNIP(div0, "xor %ecx,%ecx\n mov $1,%eax\n cltd\n idiv %ecx\n int $0x80")
SNIP(farjmp, "ljmp $0x33,$0x1000")
SNIP(ud2, "nop\n ud2")
SNIP(hlt, "hlt")
SNIP(int3, "int3\n int $0x81")
SNIP(gsread, "mov %gs:4,%eax\n mov %gs:-4,%ebx\n mov $4,%esi\n mov %gs:(%esi),%ecx\n int $0x80")
SNIP(gsload, "mov $0x63,%eax\n mov %eax,%gs\n mov %gs,%edx\n mov %gs:0,%ebx\n int $0x80")
SNIP(badgs, "mov $0x33,%eax\n mov %eax,%gs\n int $0x80")
SNIP(cpuid, "mov $1,%eax\n cpuid\n int $0x80")
SNIP(stack, "mov $0x30000,%esp\n push %eax\n push %eax\n int $0x80")
SNIP(cs, "mov %cs:0x20000,%eax\n mov %ds:0x20000,%ebx\n int $0x80")
SNIP(x87, "fldz\n fld1\n fnstcw 0x20000\n andw $0xfffb,0x20000\n fldcw 0x20000\n fdivp\n nop\n fwait\n int $0x80")
SNIP(simd, "stmxcsr 0x20000\n andl $0xfffffdff,0x20000\n ldmxcsr 0x20000\n xorps %xmm1,%xmm1\n mov $1,%eax\n cvtsi2ss %eax,%xmm0\n divss %xmm1,%xmm0\n int $0x80")
SNIP(tf, "pushf\n orl $0x100,(%esp)\n popf\n nop\n nop\n int $0x80")
SNIP(prefixes, ".byte 0x64, 0x3e\n movl 0x20000,%eax\n .byte 0x65, 0x26\n movl 0x20004,%ebx\n .byte 0x64, 0x2e\n movl 0x20000,%ecx\n int $0x80")
SNIP(indjmp, "call 1f\n 1: pop %eax\n add $(2f-1b),%eax\n jmp *%eax\n int3\n 2: mov $7,%ebx\n int $0x80")

enum { CODE = 0x10000, DATA = 0x20000, STACKTOP = 0x40000, MEM = 16 << 20 };

/* Is the CPU QEMU's TCG (../shared/tools/compatvm's VM), which raises
 * no #XM for an unmasked SSE exception (tests/lib/engines.sh, cpu_tcg)? */
static int
cputcg(void)
{
	char line[256];
	FILE *f;
	int tcg = 0;

	if((f = fopen("/proc/cpuinfo", "r")) == NULL)
		return 0;
	while(!tcg && fgets(line, sizeof line, f) != NULL)
		tcg = strncmp(line, "model name", 10) == 0 && strstr(line, "QEMU TCG CPU") != NULL;
	fclose(f);
	return tcg;
}

static Vx *
mk(const uint8_t *s, const uint8_t *e)
{
	Vx *vx = vxt_guest(MEM, CODE, s, (size_t)(e - s), 0x1000, STACKTOP - 0x8000, STACKTOP);

	if(vx == NULL)
		return NULL;
	vx_map(vx, DATA, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
	return vx;
}

#define OFF(name, lbl) ((uint32_t)(lbl - name##_s))

static void
traps(void)
{
	VxTrapInfo ti;
	Vx *vx;

	vx = mk(add_s, add_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "int $0x80 is a syscall trap");
	is(vx_getreg(vx, VX_EAX), 18, "calls, loop and ret computed 5+3+10");
	is(ti.eip, CODE + 20, "trap eip is the int instruction");
	is(vx_getreg(vx, VX_EIP), CODE + 22, "eip resumes past it");
	is(ti.vector, 0x80, "vector 0x80");
	vx_free(vx);

	vx = mk(fault_s, fault_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "load from unmapped page faults");
	is(ti.addr, 0x12345, "fault address");
	is(ti.eip, CODE + 6, "fault eip is the load");
	is(vx_getreg(vx, VX_EBX), 0x12345, "registers as at the fault");
	vx_free(vx);

	vx = mk(wfault_s, wfault_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "store to read-only code faults");
	is(ti.addr, CODE, "address");
	ok(ti.write, "write flag");
	vx_free(vx);

	vx = mk(limit_s, limit_e);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "load past the segment limit faults");
	is(ti.addr, 0xfffffff0u, "address computed for a limit fault");
	is(ti.eip, CODE + 5, "eip");
	vx_free(vx);

	vx = mk(div0_s, div0_e);
	is(vx_run(vx, &ti), VX_TRAP_DIVIDE, "divide by zero");
	is(ti.eip, CODE + 8, "divide eip");
	vx_free(vx);

	vx = mk(farjmp_s, farjmp_e);
	is(vx_run(vx, &ti), VX_TRAP_PRIVILEGED, "far jmp to the 64-bit selector is refused");
	is(ti.eip, CODE, "at the ljmp");
	vx_free(vx);

	vx = mk(ud2_s, ud2_e);
	is(vx_run(vx, &ti), VX_TRAP_ILLEGAL, "ud2 is illegal");
	is(ti.eip, CODE + 1, "at ud2");
	vx_free(vx);

	vx = mk(hlt_s, hlt_e);
	is(vx_run(vx, &ti), VX_TRAP_PRIVILEGED, "hlt is privileged");
	vx_free(vx);

	vx = mk(int3_s, int3_e);
	is(vx_run(vx, &ti), VX_TRAP_BREAKPOINT, "int3");
	is(vx_getreg(vx, VX_EIP), CODE + 1, "resumes past int3");
	is(vx_run(vx, &ti), VX_TRAP_INT, "int $0x81");
	is(ti.vector, 0x81, "vector");
	vx_free(vx);

	vx = mk(stack_s, stack_e);
	vx_unmap(vx, 0x2f000, 0x1000);
	is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "push into an unmapped page");
	is(ti.addr, 0x2fffc, "stack fault address");
	is(vx_getreg(vx, VX_ESP), 0x30000, "esp unchanged by the faulting push");
	vx_free(vx);

	vx = mk(cs_s, cs_e);
	*(uint32_t *)vx_access(vx, DATA, 4, VX_PROT_WRITE) = 0xfeedf00d;
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%%cs: load runs");
	is(vx_getreg(vx, VX_EAX), 0xfeedf00d, "%%cs: reads guest memory, as %%ds:");
	vx_free(vx);

	vx = mk(prefixes_s, prefixes_e);
	*(uint32_t *)vx_access(vx, DATA, 4, VX_PROT_WRITE) = 0xabcd1234;
	*(uint32_t *)vx_access(vx, DATA + 4, 4, VX_PROT_WRITE) = 0x5678ef01;
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%%fs:/%%gs: prefix followed by another override runs");
	is(vx_getreg(vx, VX_EAX), 0xabcd1234, "fs then ds: the last override (guest data) wins");
	is(vx_getreg(vx, VX_EBX), 0x5678ef01, "gs then es: guest data");
	is(vx_getreg(vx, VX_ECX), 0xabcd1234, "fs then cs: guest data");
	vx_free(vx);

	vx = mk(indjmp_s, indjmp_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "call/pop/jmp* (PIC thunk pattern)");
	is(vx_getreg(vx, VX_EBX), 7, "indirect jump reached its target");
	vx_free(vx);

	vx = mk(x87_s, x87_e);
	is(vx_run(vx, &ti), VX_TRAP_FPU, "unmasked x87 divide by zero");
	is(ti.eip, CODE + OFF(x87, x87_e) - 3, "reported at the next x87 instruction (fwait)");
	vx_free(vx);

	if(cputcg()){
		ok(1, "# skip unmasked SSE divide by zero: QEMU's TCG raises no #XM");
		ok(1, "# skip at the divss: QEMU's TCG raises no #XM");
	}else{
		vx = mk(simd_s, simd_e);
		is(vx_run(vx, &ti), VX_TRAP_SIMD, "unmasked SSE divide by zero");
		is(ti.eip, CODE + OFF(simd, simd_e) - 6, "at the divss");
		vx_free(vx);
	}

	vx = mk(tf_s, tf_e);
	is(vx_run(vx, &ti), VX_TRAP_SINGLESTEP, "guest TF gives a single-step trap");
	is(ti.eip, CODE + 10, "after the instruction that follows popf, as the CPU");
	ok(vx_getreg(vx, VX_EFLAGS) & 0x100, "TF stays set in the guest's flags");
	is(vx_run(vx, &ti), VX_TRAP_SINGLESTEP, "TF set: the next run steps one instruction");
	is(ti.eip, CODE + 11, "after the second nop");
	vx_setreg(vx, VX_EFLAGS, vx_getreg(vx, VX_EFLAGS) & ~0x100u);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "TF cleared by vx_setreg: runs on to the int $0x80");
	vx_free(vx);

	vx = mk(cpuid_s, cpuid_e);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "cpuid is answered");
	ok(vx_getreg(vx, VX_EDX) & (1u << 26), "sse2 reported");
	ok(!(vx_getreg(vx, VX_ECX) & (1u << 28)) == !(vx_guestfeat() & VXF_AVX), "avx reported only where the engines keep the YMM state");
	ok(!(vx_getreg(vx, VX_EDX) & (1u << 11)), "sysenter not reported");
	vx_free(vx);
}

static void
tls(void)
{
	VxTrapInfo ti;
	Vx *vx;

	vx = mk(gsread_s, gsread_e);
	vx_settls(vx, 0, DATA + 0x100, 0xfffff);
	vx_setseg(vx, 0, vx_tlssel(0));
	*(uint32_t *)vx_access(vx, DATA + 0x104, 4, VX_PROT_WRITE) = 0x11111111;
	*(uint32_t *)vx_access(vx, DATA + 0xfc, 4, VX_PROT_WRITE) = 0x22222222;
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "%%gs accesses run");
	is(vx_getreg(vx, VX_EAX), 0x11111111, "%%gs:4");
	is(vx_getreg(vx, VX_EBX), 0x22222222, "%%gs:-4 wraps like a flat segment");
	is(vx_getreg(vx, VX_ECX), 0x11111111, "%%gs:(%%esi)");
	vx_free(vx);

	vx = mk(gsload_s, gsload_e);
	vx_settls(vx, 0, DATA + 0x200, 0xfffff);
	*(uint32_t *)vx_access(vx, DATA + 0x200, 4, VX_PROT_WRITE) = 0x33333333;
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "guest loads %%gs with its TLS selector");
	is(vx_getreg(vx, VX_EDX) & 0xffff, 0x63, "reading %%gs gives the virtual selector");
	is(vx_getreg(vx, VX_EBX), 0x33333333, "and %%gs:0 reads the TLS block");
	vx_free(vx);

	vx = mk(badgs_s, badgs_e);
	is(vx_run(vx, &ti), VX_TRAP_PRIVILEGED, "loading %%gs with the host's 64-bit selector is refused");
	is(ti.eip, CODE + 5, "at the mov");
	vx_free(vx);

	vx = mk(spin_s, spin_e);
	ok(vx_settls(vx, 3, 0, 0) < 0, "no TLS slot 3");
	vx_free(vx);
}

static void
memory(void)
{
	Vx *vx = mk(spin_s, spin_e);
	uint32_t m = vx_memsize(vx);

	ok(vx_access(vx, DATA, 0x1000, VX_PROT_WRITE) != NULL, "access inside a mapping");
	ok(vx_access(vx, DATA, 0x1001, VX_PROT_READ) == NULL, "access running off a mapping");
	ok(vx_access(vx, CODE, 4, VX_PROT_WRITE) == NULL, "write access to read-only code refused");
	ok(vx_access(vx, 0xfffffff0u, 0x20, VX_PROT_READ) == NULL, "wrapping range refused");
	ok(vx_access(vx, m - 4, 8, VX_PROT_READ) == NULL, "range past the end refused");
	ok(vx_map(vx, 0x1001, 10, VX_PROT_READ) < 0, "unaligned map refused");
	ok(vx_map(vx, m, 0x1000, VX_PROT_READ) < 0, "map past the end refused");
	ok(vx_map(vx, m - 0x1000, 0x2000, VX_PROT_READ) < 0, "map straddling the end refused");
	ok(vx_protect(vx, 0x100000, 0x1000, VX_PROT_READ) < 0, "protect of unmapped pages refused");
	is(vx_pageprot(vx, CODE), VX_PROT_READ | VX_PROT_EXEC, "page protection");
	is(vx_pageprot(vx, 0x100000), -1, "unmapped page");
	ok(vx_findfree(vx, 0x3000, 0) + 0x3000 <= m && vx_findfree(vx, 0x3000, 0) >= STACKTOP, "findfree finds room at the top");
	vx_free(vx);
	ok(vx_new(0, NULL) == NULL, "zero-size memory refused");
	vx = vx_new(0xf0000000u, NULL);
	if(vx_engine() == VX_ENGINE_LONG)
		ok(vx != NULL, "more than 3 GiB: the long engine's window holds 4 GiB");
	else
		ok(vx == NULL, "more than 3 GiB refused");
	vx_free(vx);
}

/* Two indirect targets whose addresses share the table index (low 16
 * bits): each lookup must tell them apart.  ebx counts the visits. */
SNIP(collide, "mov $2000,%esi\n 1: mov $0x30000,%eax\n call *%eax\n mov $0x40000,%eax\n call *%eax\n dec %esi\n jnz 1b\n int $0x80")
SNIP(tgt3, "add $1,%ebx\n ret")
SNIP(tgt4, "add $1000,%ebx\n ret")

static void
collisions(void)
{
	VxTrapInfo ti;
	Vx *vx = mk(collide_s, collide_e);

	vx_map(vx, 0x30000, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC);
	vx_map(vx, 0x40000, 0x1000, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC);
	vx_map(vx, 0x50000 - 0x8000, 0x8000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, 0x30000, 16, VX_PROT_WRITE), tgt3_s, tgt3_e - tgt3_s);
	memcpy(vx_access(vx, 0x40000, 16, VX_PROT_WRITE), tgt4_s, tgt4_e - tgt4_s);
	vx_setreg(vx, VX_ESP, 0x50000);
	vx_setreg(vx, VX_EBX, 0);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "colliding indirect targets run");
	is(vx_getreg(vx, VX_EBX), 2000 * 1001, "each call reached its own target");
	vx_free(vx);
}

SNIP(counter, "1: incl 0x20000\n int $0x80\n jmp 1b")

static void
forkthread(void)
{
	VxTrapInfo ti;
	Vx *a = mk(counter_s, counter_e), *b, *c;
	char err[VX_ERRLEN];

	vx_run(a, &ti);
	b = vx_fork(a, err);
	ok(b != NULL, "fork");
	vx_run(b, &ti);
	vx_run(b, &ti);
	is(*(uint32_t *)vx_access(a, DATA, 4, VX_PROT_READ), 1, "parent memory untouched by the child");
	is(*(uint32_t *)vx_access(b, DATA, 4, VX_PROT_READ), 3, "child continued from the parent's state");
	c = vx_thread(a, err);
	ok(c != NULL, "thread");
	vx_run(c, &ti);
	is(*(uint32_t *)vx_access(a, DATA, 4, VX_PROT_READ), 2, "a thread shares memory");
	vx_free(a);
	vx_run(c, &ti);
	is(*(uint32_t *)vx_access(c, DATA, 4, VX_PROT_READ), 3, "memory outlives the first Vx");
	vx_free(c);
	vx_free(b);
}

/* vx_mapshared: a fork maps the same pages (both sides see each other's
 * writes, a guest's incl too), private memory next to it stays private,
 * and vx_memkey names shared words alike in both, private ones apart. */
static void
shared(void)
{
	enum { SH = 0x30000 };
	VxTrapInfo ti;
	Vx *a = mk(counter_s, counter_e), *b;
	char err[VX_ERRLEN];
	uint64_t ka[3], kb[3], pa[3], pb[3];
	struct stat st;
	uint32_t *wa, *wb;
	int fd;

	fd = memfd_create("vx_api", MFD_CLOEXEC);
	ok(fd >= 0 && ftruncate(fd, 8192) == 0, "memfd");
	ok(vx_mapshared(a, SH, 8192, VX_PROT_READ | VX_PROT_WRITE, fd, 0) == 0, "vx_mapshared");
	ok(fstat(fd, &st) == 0, "fstat the memfd");
	close(fd);	/* the Vx keeps its own */
	ok(vx_pageshared(a, SH + 4096) && !vx_pageshared(a, DATA), "vx_pageshared tells them apart");
	vx_run(a, &ti);	/* DATA 1 */
	b = vx_fork(a, err);
	ok(b != NULL, "fork of shared memory: %s", b ? "" : err);
	if(b == NULL)
		return;
	wa = vx_access(a, SH + 4096, 4, VX_PROT_WRITE);
	wb = vx_access(b, SH + 4096, 4, VX_PROT_WRITE);
	*wa = 0x1234;
	is(*wb, 0x1234, "the child sees the parent's write");
	*wb = 0x5678;
	is(*wa, 0x5678, "and the parent the child's");
	vx_memkey(a, SH + 4100, ka);
	vx_memkey(b, SH + 4100, kb);
	vx_memkey(a, DATA, pa);
	vx_memkey(b, DATA, pb);
	ok(memcmp(ka, kb, sizeof ka) == 0, "a shared word has one key in both");
	/* two files' words must never share a key: a wake-one could be
	 * spent on the other file's waiter (dev was once cut to 19 bits) */
	ok(ka[0] == (uint64_t)st.st_dev && ka[1] == (uint64_t)st.st_ino && ka[2] == 4100,
		"the key is the file's whole device and inode, and the offset");
	ok(memcmp(pa, pb, sizeof pa) != 0, "a private word has one per process");
	ok(memcmp(ka, pa, sizeof ka) != 0 && pa[2] == ~0ull, "and shared keys are not private ones");
	ok(vx_memkey(a, vx_memsize(a), ka) < 0, "no key past guest memory");
	vx_run(b, &ti);	/* the child's incl of DATA stays its own */
	is(*(uint32_t *)vx_access(a, DATA, 4, VX_PROT_READ), 1, "private memory beside it stays private");
	ok(vx_protect(a, SH, 8192, VX_PROT_READ) == 0 && vx_pageshared(a, SH), "mprotect keeps it shared");
	ok(vx_unmap(a, SH, 8192) == 0 && !vx_pageshared(a, SH), "unmapped, no longer shared");
	is(*wb, 0x5678, "the child's mapping outlives the parent's");
	vx_free(b);
	vx_free(a);
}

static void *
stopper(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	vx_stop(arg);
	return NULL;
}

static void
preempt(void)
{
	VxTrapInfo ti;
	pthread_t t;
	Vx *vx;

	vx = mk(spin_s, spin_e);
	pthread_create(&t, NULL, stopper, vx);
	is(vx_run(vx, &ti), VX_TRAP_PREEMPT, "a jmp-to-self loop is stopped");
	pthread_join(t, NULL);
	is(vx_getreg(vx, VX_EIP), CODE, "at the loop");
	pthread_create(&t, NULL, stopper, vx);
	is(vx_run(vx, &ti), VX_TRAP_PREEMPT, "and can be resumed and stopped again");
	pthread_join(t, NULL);
	vx_free(vx);

	vx = mk(spin2_s, spin2_e);
	pthread_create(&t, NULL, stopper, vx);
	is(vx_run(vx, &ti), VX_TRAP_PREEMPT, "a counting loop is stopped");
	pthread_join(t, NULL);
	vx_setreg(vx, VX_EAX, 0xfffffff0u);
	is(vx_run(vx, &ti), VX_TRAP_SYSCALL, "resumed with changed registers it finishes");
	vx_free(vx);
}

/* A mix of calls, returns, indirect jumps, %gs accesses, string ops and
 * flags-dependent arithmetic, for preemption at random points. */
SNIP(mix, "mov $3000000,%esi\n xor %eax,%eax\n xor %ebx,%ebx\n"
	"1: call 2f\n adc %esi,%ebx\n mov %gs:4,%ecx\n add %ecx,%eax\n"
	" call 3f\n rol $3,%eax\n dec %esi\n jnz 1b\n int $0x80\n"
	"2: xor %esi,%eax\n lea 4f-1b(%edx),%ecx\n ret\n"
	"3: mov %eax,%gs:8\n addl $1,%gs:4\n jmp *%edi\n"
	"4: nop\n 5: ret")

static atomic_int mixdone;

static void *
spammer(void *arg)
{
	Vx *vx = arg;
	struct timespec ts = { 0, 100 * 1000 };

	while(!atomic_load(&mixdone)){
		vx_stop(vx);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static Vx *
mkmix(void)
{
	Vx *vx = mk(mix_s, mix_e);

	vx_settls(vx, 0, DATA + 0x100, 0xfffff);
	vx_setseg(vx, 0, vx_tlssel(0));
	vx_setreg(vx, VX_EDI, CODE + OFF(mix, mix_e) - 1);	/* the last ret */
	vx_setreg(vx, VX_EDX, 0);
	return vx;
}

/* A second sandbox runs the same workload while a thread stops it every
 * 100 µs; whatever the stops interrupt, the result must match.  On a
 * loaded machine the stopping thread may not run during one round, so
 * rounds repeat (each checked) until more than 10 stops have landed. */
static void
stopstorm(void)
{
	VxTrapInfo ti;
	pthread_t t;
	Vx *a, *b;
	int r, round, stops = 0, bad = 0;

	a = mkmix();
	r = vx_run(a, &ti);
	is(r, VX_TRAP_SYSCALL, "mixed workload runs");
	for(round = 0; round < 100 && stops <= 10 && !bad; round++){
		b = mkmix();
		atomic_store(&mixdone, 0);
		pthread_create(&t, NULL, spammer, b);
		while((r = vx_run(b, &ti)) == VX_TRAP_PREEMPT)
			stops++;
		atomic_store(&mixdone, 1);
		pthread_join(t, NULL);
		if(r != VX_TRAP_SYSCALL)
			bad = 1;
		for(int i = 0; i < 8; i++)
			if(i != VX_ESP && vx_getreg(a, i) != vx_getreg(b, i)){
				diag("reg %d: %#x vs %#x", i, vx_getreg(a, i), vx_getreg(b, i));
				bad = 1;
			}
		if(memcmp(vx_access(a, DATA + 0x100, 16, VX_PROT_READ), vx_access(b, DATA + 0x100, 16, VX_PROT_READ), 16) != 0){
			diag("memory differs after round %d", round);
			bad = 1;
		}
		vx_free(b);
	}
	ok(!bad, "stopped %d times at random points in %d rounds, the same registers and memory as uninterrupted", stops, round);
	ok(stops > 10, "stops were delivered (%d)", stops);
	vx_free(a);
}

SNIP(work, "mov $100000,%ecx\n xor %eax,%eax\n 1: add %ecx,%eax\n call 2f\n loop 1b\n int $0x80\n 2: xor $0x55,%eax\n ret")

static void *
runner(void *arg)
{
	VxTrapInfo ti;
	Vx *vx = mk(work_s, work_e);
	int i, good = 1;
	uint32_t want = 0;

	(void)arg;
	for(uint32_t c = 100000; c > 0; c--)
		want = (want + c) ^ 0x55;
	for(i = 0; i < 5; i++){
		vx_setreg(vx, VX_EIP, CODE);
		vx_setreg(vx, VX_ESP, STACKTOP);
		if(vx_run(vx, &ti) != VX_TRAP_SYSCALL || vx_getreg(vx, VX_EAX) != want)
			good = 0;
	}
	vx_free(vx);
	return (void *)(intptr_t)good;
}

static void
many(void)
{
	enum { N = 8 };
	pthread_t t[N];
	void *r;
	int i, good = 1;

	for(i = 0; i < N; i++)
		pthread_create(&t[i], NULL, runner, NULL);
	for(i = 0; i < N; i++){
		pthread_join(t[i], &r);
		good &= (int)(intptr_t)r;
	}
	ok(good, "%d sandboxes on %d threads at once compute right", N, N);
}

/* Lines of /proc/self/maps: the host's memory areas. */
static long
hostareas(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	if(f == NULL)
		return -1;
	while((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Guests splitting their memory into host areas stop at ENOMEM, the
 * limit shared by every sandbox of the process, well under the host's
 * vm.max_map_count; unmapping gives the areas back. */
static void
mapcap(void)
{
	enum { BIG = 512 << 20, NP = BIG >> 12 };
	char err[VX_ERRLEN];
	Vx *a = vx_new(BIG, err), *b = vx_new(BIG, err);
	long i, max = 65530, peak;
	FILE *f;
	int enomem;

	if(a == NULL || b == NULL){
		diag("vx_new: %s", err);
		ok(0, "two 512 MiB sandboxes");
		return;
	}
	f = fopen("/proc/sys/vm/max_map_count", "r");
	if(f != NULL){
		if(fscanf(f, "%ld", &max) != 1)
			max = 65530;
		fclose(f);
	}
	vx_map(a, 0, BIG, VX_PROT_READ | VX_PROT_WRITE);
	vx_map(b, 0, BIG, VX_PROT_READ | VX_PROT_WRITE);
	for(i = 1, enomem = 0; i < NP; i += 2)
		if(vx_protect(a, (uint32_t)i << 12, 0x1000, VX_PROT_READ) < 0){
			enomem = errno == ENOMEM;
			break;
		}
	ok(enomem && i < NP, "alternate pages' protection: ENOMEM after %ld pages", i / 2);
	peak = hostareas();
	ok(peak > 0 && peak < max - max / 8, "host areas at the limit: %ld of the host's %ld", peak, max);
	ok(vx_protect(b, 0x1000, 0x1000, VX_PROT_READ) < 0 && errno == ENOMEM,
		"another sandbox of the process shares the limit");
	ok(vx_unmap(b, 0x3000, 0x1000) < 0 && errno == ENOMEM, "an unmap splitting a mapping: ENOMEM");
	ok(vx_map(b, 0x5000, 0x1000, VX_PROT_READ) < 0 && errno == ENOMEM, "a map splitting one: ENOMEM");
	ok(vx_protect(a, 0x1000, 0x1000, VX_PROT_READ) == 0, "a change at edges already made still works");
	ok(vx_unmap(a, 0, BIG) == 0, "unmapping it all works at the limit");
	ok(vx_protect(b, 0x1000, 0x1000, VX_PROT_READ) == 0 && vx_map(b, 0x5000, 0x1000, VX_PROT_READ) == 0,
		"after that the other sandbox splits its memory again");
	vx_free(a);
	vx_free(b);
}

int
main(void)
{
	traps();
	tls();
	memory();
	forkthread();
	shared();
	collisions();
	preempt();
	stopstorm();
	many();
	mapcap();
	return done_testing();
}
