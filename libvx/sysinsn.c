/*
 * sysinsn.c — the system instructions a 32-bit Linux process may run,
 * done by the runtime for both engines (EXIT_SYSINSN), with what Linux
 * x86-64 gives such a process on a CPU with UMIP (which makes the
 * store-table instructions fault in user mode, and Linux answers them
 * with fixed values):
 *
 *   sgdt, sidt m    a limit of 0 and a base of 0xfffe0000 (GDT) or
 *                   0xffff0000 (IDT), 6 bytes whatever the operand size;
 *                   the register forms are #UD (the decoder's INVALID)
 *   smsw            CR0 as Linux shows it: PE MP ET NE WP AM PG,
 *                   0x80050033; all of it to a 32-bit register, the low
 *                   16 bits to a 16-bit one (66) or to memory
 *   sldt, str       0 (no LDT) and 0x40 (the TSS's selector), zero-
 *                   extended in a 32-bit register, 16 bits elsewhere
 *   lar, lsl,       for the descriptors of a 32-bit process's GDT: user
 *   verr, verw      code 0x23 and data 0x2b (flat 4 GiB), the 64-bit
 *                   code segment 0x33, the three TLS slots (12-14: as
 *                   the guest set them with set_thread_area, its
 *                   granularity, useable, read-only and expand-down
 *                   flags too: vx_settlsdesc) and the
 *                   per-CPU segment 0x7b (limit: CPU 0 of node 0, as
 *                   getcpu says); every other selector, an LDT's
 *                   (no process has one here) or one past the GDT's
 *                   end fails (ZF clear, the destination kept)
 *   monitorx,       AMD's, which its CPUs run in user mode: monitorx
 *   mwaitx, clzero  checks ds:eax as a read and arms nothing, mwaitx
 *                   wakes at once, clzero zeroes the line at ds:eax
 *
 * None of them reaches the host's own tables, CR0 or the compat
 * engine's LDT segments.  The flags other than ZF are kept.
 * doc/guest-abi.md, "System instructions".
 */
#include "vxpriv.h"

enum {
	ZF = 0x40,
	CR0LINUX = 0x80050033,	/* PE MP ET NE WP AM PG */
	GDTBASE = 0xfffe0000,
	IDTBASE = 0xffff0000,
	TSSSEL = 0x40,
	GDTENTRIES = 16,	/* Linux x86-64's GDT: limit 0x7f */
	TLSENTRY0 = 12,
	CPUNODE = 15,
};

#define REG(vx, r)	ST32(vx, S_REGS + 4 * (r))

/* A segment descriptor as lar and lsl see it: its access rights
 * (the second word masked with 0x00ffff00: flags, limit 19:16, P DPL S
 * type) and its limit in bytes. */
typedef struct Desc {
	uint32_t ar;
	uint32_t limit;
} Desc;

enum { AR_CODE = 0x8, AR_RW = 0x2 };	/* type bits: code; readable code, writable data */

/* The descriptor sel names in the GDT a 32-bit process sees, or -1 for
 * none it may look at (lar's failure: not present, a system or kernel
 * descriptor, an LDT selector, past the table's end, the null one). */
static int
getdesc(Vx *vx, uint16_t sel, Desc *d)
{
	uint32_t base, limit, flags, type;
	int idx;

	idx = sel >> 3;
	if((sel & 4) != 0 || idx >= GDTENTRIES)
		return -1;
	switch(idx){
	case 4:		/* __USER32_CS */
		d->ar = 0x00cffb00;
		d->limit = 0xffffffff;
		return 0;
	case 5:		/* __USER_DS */
		d->ar = 0x00cff300;
		d->limit = 0xffffffff;
		return 0;
	case 6:		/* __USER_CS, 64-bit */
		d->ar = 0x00affb00;
		d->limit = 0xffffffff;
		return 0;
	case CPUNODE:	/* read-only, expand-down; its limit cpu | node<<12 */
		d->ar = 0x0040f500;
		d->limit = 0;
		return 0;
	}
	if(idx < TLSENTRY0 || idx >= TLSENTRY0 + VX_NTLS || vx_gettlsdesc(vx, idx - TLSENTRY0, &base, &limit, &flags) < 0)
		return -1;
	/* as set_thread_area made it: G, D and AVL from limit_in_pages,
	 * seg_32bit and useable; present, DPL 3, data, accessed; writable
	 * unless read_exec_only, expand-down for contents 1 */
	type = 1 | ((flags & VX_TLS_READONLY) ? 0 : 2) | ((flags & VX_TLS_CONTENTS) == 2 ? 4 : 0);
	d->ar = ((flags & VX_TLS_PAGES) ? 0x00800000 : 0) | ((flags & VX_TLS_32BIT) ? 0x00400000 : 0) |
		((flags & VX_TLS_USEABLE) ? 0x00100000 : 0) | (limit & 0xf0000) | 0xf000 | type << 8;
	d->limit = (flags & VX_TLS_PAGES) ? limit << 12 | 0xfff : limit;
	return 0;
}

/* The instruction's memory operand's address (fs and gs: the guest's
 * TLS bases; the other segments are flat) */
static int
opaddr(Vx *vx, const VxInsn *in, uint32_t *ea)
{
	uint32_t regs[8];
	int r;

	for(r = 0; r < 8; r++)
		regs[r] = REG(vx, r);
	if(!vx_insn_ea(in, regs, ea))
		return -1;
	if(in->seg == VXS_GS)
		*ea += ST32(vx, S_GSBASE);
	else if(in->seg == VXS_FS)
		*ea += ST32(vx, S_FSBASE);
	return 0;
}

/* Store n bytes of v at a, all or none; -1 if some byte is not
 * writable (Linux's emulation reports the store's address) */
static int
store(Vx *vx, uint32_t a, const uint8_t *v, int n)
{
	uint8_t *p[8];
	int i;

	for(i = 0; i < n; i++)
		if((p[i] = vx_access(vx, a + (uint32_t)i, 1, VX_PROT_WRITE)) == NULL)
			return -1;
	for(i = 0; i < n; i++)
		*p[i] = v[i];
	return 0;
}

/* The r/m16 source of lar, lsl, verr, verw */
static int
getsel(Vx *vx, const VxInsn *in, uint16_t *sel, uint32_t *fault)
{
	uint32_t ea;
	uint8_t *p0, *p1;

	if(in->mod == 3){
		*sel = (uint16_t)REG(vx, in->rm);
		return 0;
	}
	if(opaddr(vx, in, &ea) < 0)
		return -1;
	p0 = vx_access(vx, ea, 1, VX_PROT_READ);
	p1 = p0 != NULL ? vx_access(vx, ea + 1, 1, VX_PROT_READ) : NULL;
	if(p1 == NULL){
		*fault = p0 == NULL ? ea : ea + 1;
		return -2;
	}
	*sel = (uint16_t)(*p0 | *p1 << 8);
	return 0;
}

/* A 16-bit value to r/m16, or to a 32-bit register zero-extended
 * (wide: smsw's whole CR0 instead) */
static int
put16(Vx *vx, const VxInsn *in, uint32_t v, uint32_t *fault)
{
	uint8_t b[2];
	uint32_t ea;

	if(in->mod == 3){
		if(in->opsize)
			REG(vx, in->rm) = (REG(vx, in->rm) & ~0xffffu) | (v & 0xffff);
		else
			REG(vx, in->rm) = v;
		return 0;
	}
	if(opaddr(vx, in, &ea) < 0)
		return -1;
	b[0] = v & 0xff;
	b[1] = (v >> 8) & 0xff;
	if(store(vx, ea, b, 2) < 0){
		*fault = ea;
		return -2;
	}
	return 0;
}

static int
putdt(Vx *vx, const VxInsn *in, uint32_t base, uint32_t *fault)
{
	uint8_t b[6] = { 0, 0, base & 0xff, (base >> 8) & 0xff, (base >> 16) & 0xff, base >> 24 };
	uint32_t ea;

	if(opaddr(vx, in, &ea) < 0)
		return -1;
	if(store(vx, ea, b, 6) < 0){
		*fault = ea;
		return -2;
	}
	return 0;
}

/* lar, lsl: ZF and the destination where the descriptor may be seen */
static void
loadseg(Vx *vx, const VxInsn *in, uint16_t sel, int lsl)
{
	Desc d;
	uint32_t v;

	if(getdesc(vx, sel, &d) < 0){
		ST32(vx, S_EFLAGS) &= ~(uint32_t)ZF;
		return;
	}
	v = lsl ? d.limit : d.ar;
	if(in->opsize)
		REG(vx, in->reg) = (REG(vx, in->reg) & ~0xffffu) | (v & 0xffff);
	else
		REG(vx, in->reg) = v;
	ST32(vx, S_EFLAGS) |= ZF;
}

/* verr, verw: ZF where the segment may be read (code: readable) or
 * written (data: writable) */
static void
verify(Vx *vx, uint16_t sel, int write)
{
	Desc d;
	int type, ok;

	ok = 0;
	if(getdesc(vx, sel, &d) == 0){
		type = (d.ar >> 8) & 0xf;
		if(write)
			ok = !(type & AR_CODE) && (type & AR_RW);
		else
			ok = !(type & AR_CODE) || (type & AR_RW);
	}
	if(ok)
		ST32(vx, S_EFLAGS) |= ZF;
	else
		ST32(vx, S_EFLAGS) &= ~(uint32_t)ZF;
}

/* AMD's user-mode monitorx (0f 01 fa), mwaitx (fb) and clzero (fc),
 * which the CPU runs natively in a 32-bit process: monitorx arms
 * nothing but checks its address (ds:eax) as a read; mwaitx wakes at
 * once, as it may at any time; clzero zeroes the 64-byte line at
 * ds:eax, all of it or, a fault, none.  -2 with *fault: a page fault. */
static int
amdwait(Vx *vx, const VxInsn *in, uint32_t *fault, int *write)
{
	uint32_t a;
	uint8_t *p;

	if(in->rm == 3)
		return 0;
	a = in->addrsize ? REG(vx, 0) & 0xffff : REG(vx, 0);
	if(in->seg == VXS_GS)
		a += ST32(vx, S_GSBASE);
	else if(in->seg == VXS_FS)
		a += ST32(vx, S_FSBASE);
	*write = in->rm == 4;
	if(in->rm == 4)
		a &= ~63u;
	p = vx_access(vx, a, in->rm == 4 ? 64 : 1, in->rm == 4 ? VX_PROT_WRITE : VX_PROT_READ);
	if(p == NULL){
		*fault = a;
		return -2;
	}
	if(in->rm == 4)
		memset(p, 0, 64);
	return 0;
}

static int
trap(VxTrapInfo *ti, int trap, uint32_t eip, uint32_t addr, int write)
{
	ti->trap = trap;
	ti->eip = eip;
	ti->addr = addr;
	ti->write = write;
	return trap;
}

/* Run the system instruction at eip; 0 and eip advanced, or a trap in ti. */
int
vx_sysinsn(Vx *vx, uint32_t eip, VxTrapInfo *ti)
{
	uint8_t code[VX_MAXINSN];
	uint32_t avail, fault;
	uint16_t sel;
	VxInsn in;
	int r, write;

	avail = vxmem_codebytes(vx, eip);
	if(avail > sizeof code)
		avail = sizeof code;
	if(avail == 0 || vx_access(vx, eip, avail, VX_PROT_READ) == NULL)
		return trap(ti, VX_TRAP_PAGEFAULT, eip, eip, 0);
	memcpy(code, vx->mem->base + eip, avail);
	if(vx_decode(code, avail, eip, &in) <= 0 || in.cls != VXC_SYSINSN)
		return trap(ti, VX_TRAP_ILLEGAL, eip, 0, 0);
	fault = 0;
	write = 1;
	r = 0;
	if(in.map == VXM_0F && (in.op == 0x02 || in.op == 0x03)){	/* lar, lsl */
		write = 0;
		if((r = getsel(vx, &in, &sel, &fault)) == 0)
			loadseg(vx, &in, sel, in.op == 0x03);
	}else if(in.op == 0x00 && in.reg >= 4){		/* verr, verw */
		write = 0;
		if((r = getsel(vx, &in, &sel, &fault)) == 0)
			verify(vx, sel, in.reg == 5);
	}else if(in.op == 0x00)			/* sldt, str */
		r = put16(vx, &in, in.reg == 0 ? 0 : TSSSEL, &fault);
	else if(in.reg == 7)			/* monitorx, mwaitx, clzero */
		r = amdwait(vx, &in, &fault, &write);
	else if(in.reg == 4)			/* smsw */
		r = put16(vx, &in, in.mod == 3 ? CR0LINUX : CR0LINUX & 0xffff, &fault);
	else					/* sgdt, sidt */
		r = putdt(vx, &in, in.reg == 0 ? GDTBASE : IDTBASE, &fault);
	if(r == -1)
		return trap(ti, VX_TRAP_ILLEGAL, eip, 0, 0);
	if(r == -2)
		return trap(ti, VX_TRAP_PAGEFAULT, eip, fault, write);
	ST32(vx, S_EIP) = eip + in.len;
	return 0;
}
