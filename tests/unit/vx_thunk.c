/*
 * vx_thunk.c — calls i386 position-independent code is full of,
 * translated without a fragment exit or a table lookup: a call of a pc
 * thunk (mov (%esp),%reg; ret) becomes a mov of the return address, and
 * an indirect jmp or call through memory (a PLT entry, jmp *n(%ebx)) or
 * through a register (call *%esi) jumps straight to the target it had
 * when translated if it is the same now.  The thunk lies pages away from
 * its caller.  Checked: the results, what the call leaves below esp, ecx
 * kept across a guessed jump, that both forms were used (stats), that a
 * changed table entry or function pointer (the guess now wrong) and a
 * change to the thunk's or the PLT entry's code are seen, and exact
 * traps (the thunk's store, an indirect load).  Runs on the engine
 * VXENGINE names (engine_unit.t runs it once per engine).
 */
#include <stdint.h>
#include <string.h>
#include "tap.h"
#include "vx.h"
#include "vxt.h"

enum { CODE = 0x10000, DATA = 0x20000, STACKTOP = 0x40000, STACKLO = 0x38000, MEM = 16 << 20 };

SNIP(pic,
	"th_main: push $7\n call th_thunk\n"
	"th_ret1: mov -4(%esp),%edx\n mov %ebx,%edi\n pop %eax\n add $5,%eax\n"
	"lea th_f1 - pic_s + 0x10000,%esi\n jnz th_go\n"	/* a new fragment, esi set */
	"th_go: mov $0x1234,%ecx\n call th_plt\n"
	"mov $0x20000,%ebx\n call th_plt3\n"
	"call *%esi\n"
	"th_ret2: int $0x80\n"
	"th_fault: mov $0x30000,%ecx\n call th_plt2\n int $0x80\n"
	"th_low: mov $0x38000,%esp\n call th_thunk\n int $0x80\n"
	"th_pm: push $5\n push (%esp)\n pop %eax\n pop %edx\n int $0x80\n"
	"th_pmf: push 0x30000\n int $0x80\n"
	"th_pms: mov $0x38000,%esp\n push 0x20000\n int $0x80\n"
	"th_f1: add $100,%eax\n ret\n"
	"th_f2: add $200,%eax\n ret\n"
	".skip 0x3000 - (. - pic_s), 0x90\n"
	"th_thunk: mov (%esp),%ebx\n ret\n"
	".skip 0x9000 - (. - pic_s), 0x90\n"
	"th_plt: jmp *0x20000\n"
	"th_plt2: jmp *(%ecx)\n"
	"th_plt3: jmp *4(%ebx)\n")
extern const uint8_t th_pm[], th_pmf[], th_pms[];
extern const uint8_t th_main[], th_ret1[], th_ret2[], th_fault[], th_low[], th_f1[], th_f2[],
	th_thunk[], th_plt[], th_plt2[];

#define AT(lbl) (CODE + (uint32_t)(lbl - pic_s))

static Vx *
mk(void)
{
	uint32_t *tab;
	Vx *vx = vxt_guest(MEM, CODE, pic_s, (size_t)(pic_e - pic_s), 0xa000, STACKLO, STACKTOP);

	if(vx == NULL)
		return NULL;
	vx_map(vx, DATA, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	tab = vx_access(vx, DATA, 8, VX_PROT_WRITE);
	tab[0] = AT(th_f1);
	tab[1] = AT(th_f2);
	return vx;
}

static int
run(Vx *vx, uint32_t eip, VxTrapInfo *ti)
{
	int i;

	for(i = 0; i < 8; i++)
		vx_setreg(vx, i, 0);
	vx_setreg(vx, VX_EIP, eip);
	vx_setreg(vx, VX_ESP, STACKTOP);
	return vx_run(vx, ti);
}

int
main(void)
{
	VxTrapInfo ti;
	VxStats st;
	uint32_t *tab;
	Vx *vx;
	int i;

	vx = mk();
	if(vx == NULL)
		return done_testing();
	for(i = 0; i < 2; i++){
		is(run(vx, AT(th_main), &ti), VX_TRAP_SYSCALL, "the program runs (%d)", i);
		is(vx_getreg(vx, VX_EDI), AT(th_ret1), "the thunk's register is the return address (%d)", i);
		is(vx_getreg(vx, VX_EDX), AT(th_ret1), "which the call left below esp (%d)", i);
		is(vx_getreg(vx, VX_EAX), 412, "the calls through the PLT entries and the pointer reached their targets (%d)", i);
		is(vx_getreg(vx, VX_ECX), 0x1234, "ecx is kept (%d)", i);
		is(vx_getreg(vx, VX_ESP), STACKTOP, "esp is back (%d)", i);
	}
	vx_stats(vx, &st);
	ok(st.thunks >= 1, "the thunk's call was translated as a mov (%llu)", (unsigned long long)st.thunks);
	ok(st.guesses >= 3, "the indirect jumps and the call were given their targets (%llu)", (unsigned long long)st.guesses);

	/* the table the PLT entry jumps through changes: the new target runs */
	tab = vx_access(vx, DATA, 8, VX_PROT_WRITE);
	tab[0] = AT(th_f2);
	run(vx, AT(th_main), &ti);
	is(vx_getreg(vx, VX_EAX), 512, "a changed table entry is followed");
	is(vx_getreg(vx, VX_ECX), 0x1234, "ecx is kept on the lookup's path");
	tab[0] = AT(th_f1);
	run(vx, AT(th_main), &ti);
	is(vx_getreg(vx, VX_EAX), 412, "and changed back");

	/* the PLT entry's code: jmp *0x20000 -> jmp *0x20004 */
	vxt_poke(vx, AT(th_plt) + 2, 0x04);
	run(vx, AT(th_main), &ti);
	is(vx_getreg(vx, VX_EAX), 512, "a change to the PLT entry's code is seen");
	vxt_poke(vx, AT(th_plt) + 2, 0x00);

	/* the thunk's code: mov (%esp),%ebx -> mov (%esp),%ebp */
	vxt_poke(vx, AT(th_thunk) + 1, 0x2c);
	run(vx, AT(th_main), &ti);
	is(vx_getreg(vx, VX_EBP), AT(th_ret1), "a changed thunk loads its new register");
	is(vx_getreg(vx, VX_EDI), 0, "and not the old one");
	vxt_poke(vx, AT(th_thunk) + 1, 0x1c);
	run(vx, AT(th_main), &ti);
	is(vx_getreg(vx, VX_EDI), AT(th_ret1), "changed back");

	/* exact traps: an indirect jmp's load (no guess: unmapped) */
	is(run(vx, AT(th_fault), &ti), VX_TRAP_PAGEFAULT, "a fault in an indirect jmp's load");
	is(ti.eip, AT(th_plt2), "is at the jmp");
	is(ti.addr, 0x30000, "at the address it loads");
	is(vx_getreg(vx, VX_ESP), STACKTOP - 4, "after the call's push");
	is(vx_getreg(vx, VX_ECX), 0x30000, "with the caller's registers");

	/* the thunk's store below an unmapped stack */
	is(run(vx, AT(th_low), &ti), VX_TRAP_PAGEFAULT, "a call of the thunk with no room below esp");
	is(ti.eip, AT(th_low) + 5, "faults at the call");
	is(vx_getreg(vx, VX_ESP), STACKLO, "with esp unchanged");
	is(vx_getreg(vx, VX_EBX), 0, "and the register not yet loaded");

	/* push of a memory operand (long: through a scratch register) */
	is(run(vx, AT(th_pm), &ti), VX_TRAP_SYSCALL, "push (%%esp) runs");
	ok(vx_getreg(vx, VX_EAX) == 5 && vx_getreg(vx, VX_EDX) == 5, "and pushes the value");
	is(run(vx, AT(th_pmf), &ti), VX_TRAP_PAGEFAULT, "a push from unmapped memory faults");
	ok(ti.eip == AT(th_pmf) && ti.addr == 0x30000 && vx_getreg(vx, VX_ESP) == STACKTOP,
		"at the push, its operand, esp unchanged");
	is(run(vx, AT(th_pms), &ti), VX_TRAP_PAGEFAULT, "a push with no room below esp faults");
	ok(ti.eip == AT(th_pms) + 5 && ti.addr == STACKLO - 4 && vx_getreg(vx, VX_ESP) == STACKLO,
		"at the push, below the stack, esp unchanged");
	vx_free(vx);
	return done_testing();
}
