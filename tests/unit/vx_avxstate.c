/*
 * vx_avxstate.c — register state the engines do not keep must be out of
 * a guest's reach, and the state they keep must be the guest's own.  The
 * engines save and restore the x87 state, MXCSR and XMM0-7 across exits,
 * and the upper halves of YMM0-7 where the guest is offered AVX (S_YMM);
 * the AVX-512 mask registers k0-k7 stay as the last user left them.
 * Guest A (one sandbox) writes a secret in ymm0's upper half and in k1
 * and exits; guest B (another sandbox), next on the same host thread,
 * reads them.  Our cpuid hides AVX-512 and XSAVE, so those instructions
 * must be #UD (ILLEGAL), as on a CPU whose OS has not enabled that state.
 * Where AVX is offered, B reads its own ymm0 (zero), and A, run again
 * after B and after the host has written ymm0, still has its secret;
 * where it is not, A's and B's ymm instructions are #UD.
 * Runs once per engine through tests/engine_unit.t.
 */
#include <stdint.h>
#include <string.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"
#include "decode.h"

enum { CODE = 0x10000, DATA = 0x20000, STACKTOP = 0x30000, MEM = 1 << 24 };
enum { SECRET = 0x5ec7e7a5 };

/* guest A: the secret (DATA+16, the upper half) into ymm0, and into k1 */
SNIP(aymm, "mov $0x20000,%ebx\n aymm_i: vmovdqu (%ebx),%ymm0\n int $0x80\n"
	" vextracti128 $1,%ymm0,%xmm1\n movd %xmm1,%eax\n int $0x80")
SNIP(ak, "mov $0x5ec7e7a5,%eax\n ak_i: kmovw %eax,%k1\n int $0x80")
/* guest B: ymm0's upper half, k1, and both through xsave */
SNIP(bymm, "xor %eax,%eax\n bymm_i: vextracti128 $1,%ymm0,%xmm1\n movd %xmm1,%eax\n int $0x80")
SNIP(bk, "xor %eax,%eax\n bk_i: kmovw %k1,%eax\n int $0x80")
SNIP(bxsave, "mov $-1,%eax\n mov $-1,%edx\n mov $0x20000,%ebx\n bxsave_i: xsave (%ebx)\n int $0x80")
extern const uint8_t aymm_i[], ak_i[], bymm_i[], bk_i[], bxsave_i[];

static Vx *
mk(const uint8_t *s, const uint8_t *e)
{
	uint32_t *d;
	Vx *vx;
	int i;

	vx = vxt_guest(MEM, CODE, s, (size_t)(e - s), 0x1000, STACKTOP - 0x8000, STACKTOP);
	if(vx == NULL)
		return NULL;
	vx_map(vx, DATA, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	d = vx_access(vx, DATA, 32, VX_PROT_WRITE);
	for(i = 0; i < 8; i++)
		d[i] = SECRET;
	vx_setreg(vx, VX_EIP, CODE);
	vx_setreg(vx, VX_ESP, STACKTOP);
	return vx;
}

/* Run one guest to its first stop: it must be #UD at the instruction i. */
static void
refused(const char *what, const uint8_t *s, const uint8_t *e, const uint8_t *i)
{
	VxTrapInfo ti;
	Vx *vx;
	int t;

	vx = mk(s, e);
	if(vx == NULL){
		ok(0, "%s: a sandbox", what);
		return;
	}
	t = vx_run(vx, &ti);
	if(t != VX_TRAP_ILLEGAL)
		diag("%s ran: trap %d, eax %#x (the secret is %#x)", what, t, vx_getreg(vx, VX_EAX), SECRET);
	ok(t == VX_TRAP_ILLEGAL && ti.eip == CODE + (uint32_t)(i - s), "%s: ILLEGAL at the instruction", what);
	vx_free(vx);
}

/* AVX offered: A's secret stays A's across B's run and the host's use of
 * ymm0; B sees none of it. */
static void
kept(void)
{
	VxTrapInfo ti;
	Vx *a, *b;

	a = mk(aymm_s, aymm_e);
	b = mk(bymm_s, bymm_e);
	if(a == NULL || b == NULL){
		ok(0, "two sandboxes");
		ok(0, "two sandboxes");
		return;
	}
	ok(vx_run(a, &ti) == VX_TRAP_SYSCALL && vx_run(b, &ti) == VX_TRAP_SYSCALL && vx_getreg(b, VX_EAX) == 0,
		"guest B reads ymm0's upper half (vextracti128): its own, zero (eax %#x; A's secret %#x)",
		vx_getreg(b, VX_EAX), SECRET);
	__asm__ volatile("vpcmpeqd %%ymm0,%%ymm0,%%ymm0" ::: "xmm0");	/* host C code using ymm0 */
	ok(vx_run(a, &ti) == VX_TRAP_SYSCALL && vx_getreg(a, VX_EAX) == SECRET,
		"guest A reads its ymm0's upper half after B and the host: its secret (eax %#x)", vx_getreg(a, VX_EAX));
	vx_free(a);
	vx_free(b);
}

int
main(void)
{
	plan(5);
	if(vx_guestfeat() & VXF_AVX)
		kept();
	else{
		refused("guest A writes ymm0's upper half (vmovdqu ymm)", aymm_s, aymm_e, aymm_i);
		refused("guest B reads ymm0's upper half (vextracti128)", bymm_s, bymm_e, bymm_i);
	}
	refused("guest A writes k1 (kmovw)", ak_s, ak_e, ak_i);
	refused("guest B reads k1 (kmovw)", bk_s, bk_e, bk_i);
	refused("guest B saves every XCR0 state (xsave)", bxsave_s, bxsave_e, bxsave_i);
	return 0;
}
