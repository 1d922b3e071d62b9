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
 * traps (the thunk's store, an indirect load); a thunk 16 MiB from its
 * caller (farthunk).  Runs on the engine
 * VXENGINE names (engine_unit.t runs it once per engine).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
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

/*
 * A thunk a multiple of 16 MiB (the translator's page-list hash, 4096
 * pages) from its caller, as in a large library: the fragment's two
 * pages share a chain.  A third page in that chain changing must not
 * loop for ever over it (node hung so, in an mprotect of its JIT's code
 * space), and the thunk changing must still reach the caller.
 */
enum { FARMEM = 64 << 20, FAR = CODE + (16 << 20) + 0x80, THIRD = CODE + (32 << 20) };

static void
farthunk(void)
{
	static const uint8_t thunk[] = { 0x8b, 0x1c, 0x24, 0xc3 };	/* mov (%esp),%ebx; ret */
	static const uint8_t third[] = { 0xb8, 5, 0, 0, 0, 0xcd, 0x80 };	/* mov $5,%eax; int $0x80 */
	uint8_t call[7] = { 0xe8, 0, 0, 0, 0, 0xcd, 0x80 };	/* call FAR; int $0x80 */
	uint32_t rel = FAR - (CODE + 5);
	VxStats st;
	Vx *vx;

	memcpy(call + 1, &rel, 4);
	if((vx = vxt_guest(FARMEM, CODE, call, sizeof call, 0x1000, STACKLO, STACKTOP)) == NULL)
		return;
	vx_map(vx, FAR & ~0xfffu, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, FAR, sizeof thunk, VX_PROT_WRITE), thunk, sizeof thunk);
	vx_protect(vx, FAR & ~0xfffu, 0x1000, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(vx, THIRD, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, THIRD, sizeof third, VX_PROT_WRITE), third, sizeof third);
	vx_protect(vx, THIRD, 0x1000, VX_PROT_READ | VX_PROT_EXEC);

	alarm(60);	/* the old loop never ends: fail, do not hang */
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_SYSCALL, "far thunk: the caller runs");
	is(vx_getreg(vx, VX_EBX), CODE + 5, "far thunk: its register is the return address");
	vx_stats(vx, &st);
	ok(st.thunks >= 1, "far thunk: 16 MiB away, still translated as a mov (%llu)", (unsigned long long)st.thunks);
	is(vxt_run(vx, THIRD, STACKTOP), VX_TRAP_SYSCALL, "far thunk: code on a third page of the same chain runs");
	vxt_poke(vx, THIRD + 1, 6);
	is(vxt_run(vx, THIRD, STACKTOP), VX_TRAP_SYSCALL, "far thunk: the third page changed (no endless walk of the chain)");
	is(vx_getreg(vx, VX_EAX), 6, "far thunk: and its new code runs");
	vxt_poke(vx, FAR + 1, 0x2c);	/* mov (%esp),%ebp */
	vx_setreg(vx, VX_EBX, 0);
	vxt_run(vx, CODE, STACKTOP);
	is(vx_getreg(vx, VX_EBP), CODE + 5, "far thunk: a changed thunk reaches its caller");
	is(vx_getreg(vx, VX_EBX), 0, "far thunk: and the old register is not loaded");
	vxt_poke(vx, CODE + 5, 0xcc);	/* int $0x80 -> int3 */
	is(vxt_run(vx, CODE, STACKTOP), VX_TRAP_BREAKPOINT, "far thunk: a change to the caller's own page is seen");
	alarm(0);
	vx_free(vx);
}

int
main(void)
{
	VxTrapInfo ti;
	VxStats st;
	uint32_t *tab;
	Vx *vx;
	int i;

	farthunk();
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
