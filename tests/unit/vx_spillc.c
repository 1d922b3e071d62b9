/*
 * vx_spillc.c — guest ecx while an indirect branch uses ecx for its
 * target (spilled to the state block, S_SPILLC, on both engines).
 * Checked: ecx on the indirect entry's miss path (two targets sharing a
 * table slot), at a fault in an indirect jmp's load, and at every point
 * a storm of stops can land in a loop of calls, returns, indirect jumps,
 * indirect calls and a jump through a table (the long engine's
 * jump-table slice, translong.c's jtsite: ecx is the key).  And what
 * the long engine tells its validator of the slices (vx_validfor): only
 * those handed out.  Runs on the engine VXENGINE names (engine_unit.t
 * runs it once per engine).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "vx.h"
#include "vxpriv.h"
#include "vxt.h"

enum { CODE = 0x10000, STACKTOP = 0x50000, MEM = 16 << 20 };

/* Page 0: sl_a, and the loop for the storm.  Page 0x10 (64 KiB on):
 * sl_b, whose address has sl_a's low 16 bits (one slot of the indirect
 * table).  The loop: each target checks ecx is what the jump left. */
SNIP(code,
	"sl_a: mov %ecx,%esi\n int $0x80\n"
	"sl_jmp: jmp *%eax\n"
	"sl_fault: mov $0x4321,%ecx\n mov $0x60000,%eax\n jmp *(%eax)\n"
	"sl_loop: xor %edi,%edi\n mov $10000000,%esi\n lea sl_f2 - code_s + 0x10000,%ebp\n"
	"1: mov %esi,%ecx\n call sl_f1\n cmp %esi,%ecx\n je 2f\n inc %edi\n"
	"2: lea 1(%esi),%ecx\n lea sl_back - code_s + 0x10000,%edx\n jmp *%edx\n"
	"sl_back: lea -1(%ecx),%ecx\n cmp %esi,%ecx\n je 3f\n inc %edi\n"
	"3: mov %esi,%ecx\n call *%ebp\n cmp %esi,%ecx\n je 4f\n inc %edi\n"
	"4: mov %esi,%ecx\n and $3,%ecx\n lea sl_tab - code_s + 0x10000,%edx\n"
	"mov (%edx,%ecx,4),%eax\n jmp *%eax\n"
	"sl_t0: cmp $0,%ecx\n je 7f\n inc %edi\n jmp 7f\n"
	"sl_t1: cmp $1,%ecx\n je 7f\n inc %edi\n jmp 7f\n"
	"sl_t2: cmp $2,%ecx\n je 7f\n inc %edi\n jmp 7f\n"
	"sl_t3: cmp $3,%ecx\n je 7f\n inc %edi\n"
	"7: dec %esi\n jnz 1b\n int $0x80\n"
	"sl_tab: .long sl_t0 - code_s + 0x10000, sl_t1 - code_s + 0x10000, sl_t2 - code_s + 0x10000, sl_t3 - code_s + 0x10000\n"
	"sl_f1: cmp %esi,%ecx\n je 5f\n inc %edi\n 5: ret\n"
	"sl_f2: cmp %esi,%ecx\n je 6f\n inc %edi\n 6: ret\n"
	".skip 0x10000 - (. - code_s), 0x90\n"
	"sl_b: mov %ecx,%edi\n int $0x80\n")
extern const uint8_t sl_a[], sl_jmp[], sl_fault[], sl_loop[], sl_b[];

#define AT(lbl) (CODE + (uint32_t)(lbl - code_s))

/* Does vx's validator accept a jump-table lookup through slice s
 * (movzbl %cl,%r8d; its slot; the spill of ecx; mov %ebx,%ecx; jmp
 * *%r8), as a fresh fragment's code?  A slice not handed out holds
 * zeros, or addresses in code a flush let be overwritten: the red team
 * (session 24) found all 16 accepted from the start. */
static int
sliceok(Vx *vx, int s)
{
	uint8_t c[] = { 0x44, 0x0f, 0xb6, 0xc1, 0x47, 0x8b, 0x84, 0x87, 0, 0, 0, 0,
		0x41, 0x89, 0x8f, 0, 0, 0, 0, 0x8b, 0xcb, 0x41, 0xff, 0xe0 };
	uint32_t d = S_JT + 1024 * (uint32_t)s, sp = S_SPILLC;
	uint64_t stubs[VXVALIDSTUBS];
	VxValid v;
	char why[VX_ERRLEN];

	memcpy(c + 8, &d, 4);
	memcpy(c + 15, &sp, 4);
	vx_validfor(vx, &v, stubs, 0);
	return vx_validate(c, sizeof c, (uintptr_t)vx->cache + 0x1000, &v, why, sizeof why) == 0;
}

int
main(void)
{
	char err[VX_ERRLEN];
	int r, stops;
	Vx *vx = vx_new(MEM, err);

	if(vx == NULL){
		diag("vx_new: %s", err);
		return done_testing();
	}
	vx_map(vx, CODE, 0x11000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, CODE, (uint32_t)(code_e - code_s), VX_PROT_WRITE), code_s, code_e - code_s);
	vx_protect(vx, CODE, 0x11000, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(vx, STACKTOP - 0x8000, 0x8000, VX_PROT_READ | VX_PROT_WRITE);
	if(!ok((AT(sl_a) & 0xffff) == (AT(sl_b) & 0xffff), "two targets share a slot of the indirect table"))
		return done_testing();

	/* the miss path of an indirect entry: the slot holds the other one */
	vx_setreg(vx, VX_EAX, AT(sl_a));
	vx_setreg(vx, VX_ECX, 0x1111);
	is(vxt_run(vx, AT(sl_jmp), STACKTOP), VX_TRAP_SYSCALL, "jmp *%%eax to the first");
	is(vx_getreg(vx, VX_ESI), 0x1111, "it sees the jumper's ecx");
	vx_setreg(vx, VX_EAX, AT(sl_b));
	vx_setreg(vx, VX_ECX, 0x2222);
	is(vxt_run(vx, AT(sl_jmp), STACKTOP), VX_TRAP_SYSCALL, "the same jmp to the second");
	is(vx_getreg(vx, VX_EDI), 0x2222, "which misses at the first's entry and sees ecx");
	vx_setreg(vx, VX_EAX, AT(sl_a));
	vx_setreg(vx, VX_ECX, 0x3333);
	is(vxt_run(vx, AT(sl_jmp), STACKTOP), VX_TRAP_SYSCALL, "back to the first");
	is(vx_getreg(vx, VX_ESI), 0x3333, "ecx again");
	is(vx_getreg(vx, VX_ECX), 0x3333, "and ecx itself");

	/* a fault at the load of an indirect jmp's target */
	is(vxt_run(vx, AT(sl_fault), STACKTOP), VX_TRAP_PAGEFAULT, "jmp *(%%eax) from unmapped memory faults");
	is(vx_getreg(vx, VX_ECX), 0x4321, "with the guest's ecx, not the target register's");
	is(vx_getreg(vx, VX_EAX), 0x60000, "and its address in eax");

	if(vx_engine() == VX_ENGINE_LONG){
		ok(vx->njt == 0 && !sliceok(vx, 0) && !sliceok(vx, S_JTN - 1),
			"no slice handed out: the validator refuses a lookup through any (njt %d)", vx->njt);
	}

	/* calls, returns, indirect jumps and calls, a jump through a table,
	 * under a storm of stops */
	vx_setreg(vx, VX_EIP, AT(sl_loop));
	vx_setreg(vx, VX_ESP, STACKTOP);
	r = vxt_understops(vx, &stops);
	is(r, VX_TRAP_SYSCALL, "the loop of indirect branches finishes under stops (%d stops)", stops);
	is(vx_getreg(vx, VX_EDI), 0, "every target saw the ecx its jump left");
	is(vx_getreg(vx, VX_ESP), STACKTOP, "the stack balanced");
	if(vx_engine() == VX_ENGINE_LONG){
		/* the stops' resumptions may translate the site again, each
		 * time with a slice of its own */
		ok(vx->njt >= 1 && sliceok(vx, vx->njt - 1) && (vx->njt == S_JTN || !sliceok(vx, vx->njt)),
			"the loop's site handed slices out: a lookup through the last accepted, through the next refused (njt %d)", vx->njt);
	}

	vx_free(vx);
	return done_testing();
}
