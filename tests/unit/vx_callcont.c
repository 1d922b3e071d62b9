/*
 * vx_callcont.c — when the runtime translates a fragment that ends in a
 * call, it translates the return address too and puts it in the
 * indirect table, so the callee's ret finds it without leaving guest
 * code.  The exits must show it, and a call that never returns (to
 * garbage after it, or to the end of executable memory) must behave as
 * before.  Runs on the engine VXENGINE names (engine_unit.t runs it once
 * per engine).
 */
#include <stdint.h>
#include <string.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"

enum { CODE = 0x10000, STACKTOP = 0x40000, MEM = 16 << 20 };

/* s1 calls and returns; s2 calls a function that never returns, with
 * an invalid instruction after the call; s3's call is the last
 * instruction of executable memory (its return address is not).  s4's
 * continuation, translated with its call, is the first x87 code: it
 * sets truncation, which must survive the system call after it (long:
 * the exits save x87 state only once x87 code can run). */
SNIP(code,
	"s1: mov $1,%ebx\n call f1\n add $1,%eax\n call f1\n add %ebx,%eax\n int $0x80\n"
	"f1: add $5,%eax\n ret\n"
	"s2: call f2\n ud2\n"
	"f2: add $4,%esp\n mov $7,%eax\n int $0x80\n"
	"f3: mov $9,%eax\n int $0x80\n"
	"s4: call f1\n fldcw (cw4 - code_s + 0x10000)\n int $0x80\n"
	" fldl (v4 - code_s + 0x10000)\n fistpl -8(%esp)\n"
	" mov -8(%esp),%eax\n int $0x80\n"
	".p2align 3\n v4: .double 1.75\n cw4: .short 0x0f7f\n"
	".skip 4096 - 5 - (. - code_s), 0x90\n"
	"s3: call f3\n")
extern const uint8_t s1[], f1[], s2[], f2[], f3[], s3[], s4[];

#define AT(lbl) (CODE + (uint32_t)(lbl - code_s))

static uint64_t
exits(Vx *vx)
{
	VxStats st;

	vx_stats(vx, &st);
	return st.exits;
}

int
main(void)
{
	char err[VX_ERRLEN];
	uint64_t e0;
	Vx *vx = vx_new(MEM, err);

	if(vx == NULL){
		diag("vx_new: %s", err);
		return done_testing();
	}
	vx_map(vx, CODE, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, CODE, (uint32_t)(code_e - code_s), VX_PROT_WRITE), code_s, code_e - code_s);
	vx_protect(vx, CODE, 0x1000, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(vx, STACKTOP - 0x8000, 0x8000, VX_PROT_READ | VX_PROT_WRITE);

	vx_setreg(vx, VX_EAX, 0);
	e0 = exits(vx);
	is(vxt_run(vx, AT(s1), STACKTOP), VX_TRAP_SYSCALL, "two calls and returns");
	is(vx_getreg(vx, VX_EAX), 12, "0 + 5 + 1 + 5 + 1");
	/* the first call's exit (f1 made, the continuation with it), the
	 * second call's (to the continuation's own exit: f1 is linked
	 * from the first only), int $0x80; no exit for either ret */
	is(exits(vx) - e0, 3, "the rets left guest code for nothing (%llu exits)", (unsigned long long)(exits(vx) - e0));
	vx_setreg(vx, VX_EAX, 0);
	e0 = exits(vx);
	is(vxt_run(vx, AT(s1), STACKTOP), VX_TRAP_SYSCALL, "again");
	is(vx_getreg(vx, VX_EAX), 12, "the same result");
	is(exits(vx) - e0, 1, "one exit: the system call");

	is(vxt_run(vx, AT(s2), STACKTOP), VX_TRAP_SYSCALL, "a call that never returns, ud2 after it");
	is(vx_getreg(vx, VX_EAX), 7, "ran the callee, not the ud2");
	is(vx_getreg(vx, VX_ESP), STACKTOP, "which dropped its return address");
	is(vxt_run(vx, AT(s3), STACKTOP), VX_TRAP_SYSCALL, "a call at the end of executable memory");
	is(vx_getreg(vx, VX_EAX), 9, "ran the callee");
	vx_setreg(vx, VX_EIP, AT(s3) + 5);
	{
		VxTrapInfo ti;
		is(vx_run(vx, &ti), VX_TRAP_PAGEFAULT, "its return address still faults when run");
		is(ti.addr, AT(s3) + 5, "at that address");
	}
	vx_setreg(vx, VX_EAX, 0);
	is(vxt_run(vx, AT(s4), STACKTOP), VX_TRAP_SYSCALL, "x87 code first met after a call");
	is(vx_run(vx, &(VxTrapInfo){0}), VX_TRAP_SYSCALL, "runs on after its system call");
	is(vx_getreg(vx, VX_EAX), 1, "1.75 stored truncated: the guest's control word outlived the system call");
	vx_free(vx);
	return done_testing();
}
