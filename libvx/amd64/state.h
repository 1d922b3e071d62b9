/*
 * state.h — layout of the per-Vx state block.
 *
 * The block lives in the low 4 GB and is the base of an LDT data segment
 * that translated code reaches through %fs, which the guest may not use
 * (guest %fs and %gs are virtual).  Offsets are shared by C and assembly.
 */
#ifndef VX_STATE_H
#define VX_STATE_H

#define S_REGS		0	/* eax ecx edx ebx esp ebp esi edi */
#define S_EIP		32
#define S_EFLAGS	36
#define S_TARGET	40	/* host address entry32 jumps to */
#define S_EXITCODE	44	/* why translated code left (EXIT_*) */
#define S_EXITEIP	48	/* guest eip that goes with the exit */
#define S_LINK		52	/* the exit to chain (vx_exitat), trap detail */
#define S_SPILLC	56	/* ecx while an indirect branch uses it */
#define S_SPILLB	60	/* ebx likewise */
#define S_SPILLR	64	/* a scratch register of a rewritten insn */
#define S_EXIT64	68	/* far pointer m16:32 to exit64: offset, selector */
#define S_SEGBASE	76	/* virtual segment bases: es cs ss ds fs gs (6 x 4) */
#define S_GSBASE	(S_SEGBASE + 5*4)
#define S_FSBASE	(S_SEGBASE + 4*4)
#define S_SEGSEL	100	/* virtual fs, gs selectors (2 x 4) */
#define S_SEGVAL	108	/* value for a virtual segment load */
#define S_DF		112	/* long engine: guest DF, 0 or -1, while translated
				   code runs (RFLAGS.DF is clear; translong.c) */
#define S_DFBIT		116	/* the same as EFLAGS has it: 0 or 0x400 */
#define S_RMISSN	120	/* long engine: rets that missed the return table
				   to let through the indirect table before the
				   next goes to the runtime (vxlblob_rmiss); a
				   cold ret counts it down inline (coldret),
				   within a disp8 of %r15 for its short forms */
#define S_HOSTFSBASE	128
#define S_HOSTMXCSR	136
#define S_HOSTFCW	140
#define S_STOPREQ	144	/* nonzero: vx_stop was called */
#define S_YMM		148	/* the guest is offered AVX: every exit saves the
				   upper halves of ymm0-7 in S_YMMH, every entry
				   loads them (host C code may change them) */
#define S_DATASEL	156	/* guest data selector (ds es ss) */
#define S_STATESEL	160	/* this block's selector (fs) */
#define S_ENTRY32	164	/* host address of entry32 */
#define S_MAGIC		168
#define S_HOSTRSP	176
#define S_BLOCK		184	/* 64-bit pointer to this block */
#define S_HASPKU	192	/* the host has protection keys (OSPKE) */
#define S_HOSTPKRU	196	/* the host's PKRU: guest xrstor could change it */
#define S_LBASE		200	/* long engine: 64-bit window base B (= GS base) */
#define S_X87		208	/* long engine: the guest may use x87/MMX state: full
				   FXSAVE/FXRSTOR; 0: only MXCSR and xmm0-7 move */
#define S_X87HW		212	/* long engine: the guest's x87/MMX state is in the
				   registers, not S_FX (a chain or lookup exit left
				   it there for the translator, which uses none) */
#define S_FPUENV	216	/* 28 bytes: an x87 environment (fnstenv's form) that
				   translated code loads before a guest fnstenv,
				   fnsave or fxsave (translate.c: fpuclean) */
#define S_RTAB		248	/* long engine: 64-bit address of the return table
				   (Vx.rtab), loaded into %r12 on entry */
#define S_XSTACK	256	/* long engine: scratch host stack for pushfq/popfq */
#define S_XSTACKSIZE	256
#define S_FX		512	/* guest FXSAVE area, 512 bytes (XSAVEOPT measured
				   slower here than FXSAVE) */
#define S_YMMH		1024	/* the guest's ymm0-7 upper halves, 8 x 16 bytes */
#define S_HT		2048	/* indirect branch table: 65536 x host address */
#define S_HTSIZE	65536
#define S_JT		(S_HT + 4*S_HTSIZE)	/* long engine: jump-table slices,
				   S_JTN x 256 host addresses (translong.c, jtsite) */
#define S_JTN		16
#define S_SIZE		(S_JT + 4*256*S_JTN)

#define VX_STATE_MAGIC	0x5658494e	/* "VXIN" */

/* Reasons translated code returns to the runtime. */
#define EXIT_CHAIN	1	/* direct branch to an untranslated target; S_LINK to patch */
#define EXIT_LOOKUP	2	/* indirect branch missed the table */
#define EXIT_TRAP	3	/* a trap instruction; S_EXITEIP, detail in S_SEGVAL */
#define EXIT_SIGNAL	4	/* a host signal redirected the guest; details in Vx */
#define EXIT_SETSEG	5	/* virtual segment load: S_SEGVAL; detail sreg in S_LINK */
#define EXIT_CPUID	6
#define EXIT_XGETBV	7
#define EXIT_PREEMPT	8	/* stop request seen on entry */
#define EXIT_STALE	10	/* a checked fragment's guest bytes changed */
#define EXIT_EMUL	11	/* long engine: an instruction 64-bit mode lacks, at S_EXITEIP */
#define EXIT_RMISS	12	/* long engine: a ret's target has no entry in the
				   return table; S_EXITEIP is the target */
#define EXIT_SYSINSN	13	/* lar, lsl, sgdt ... at S_EXITEIP: sysinsn.c */
#define EXIT_JTMISS	14	/* long engine: a jump-table slice's slot missed;
				   S_EXITEIP the target, S_LINK the slice */

#define USER32_CS	0x23	/* Linux x86-64 GDT: flat 32-bit user code */
#define USER64_CS	0x33

#endif
