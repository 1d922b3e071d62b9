/*
 * sysinsn.c — the system instructions an i386 process may run and what
 * Linux x86-64 gives it (doc/guest-abi.md, "System instructions"): smsw,
 * sgdt, sidt (on a CPU with UMIP Linux answers these three with fixed
 * values), sldt and str; lar, lsl, verr and verw for the selectors of
 * its GDT (user code 0x23, data 0x2b, the 64-bit code 0x33, glibc's TLS
 * 0x63, the per-CPU segment 0x7b), the null one, kernel and system
 * ones, LDT selectors and ones past the table.  Each result to a 32-bit
 * register, a 16-bit one (its upper half kept) and memory (its
 * neighbours kept); sources from memory, through %gs too; the flags
 * other than ZF kept.  The per-CPU segment's limit is the CPU the
 * process runs on: only its ZF is printed.  TLS descriptors set with
 * set_thread_area's flags (page-granular under 1 MiB and past it, in
 * bytes, not useable, read-only, expand-down) as lar, lsl, verr, verw
 * and get_thread_area show them.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
dump(const char *what, const uint8_t *m, int n)
{
	printf("%s:", what);
	for(int i = 0; i < n; i++)
		printf(" %02x", m[i]);
	printf("\n");
}

/* INSN to a 32-bit register, a 16-bit one (66) and 16 bits of memory */
#define STORE3(insn) do { \
	v = 0xdeadbeef; \
	__asm__ volatile(insn " %0" : "+r"(v)); \
	printf(insn " r32: %#x\n", v); \
	v = 0xdeadbeef; \
	__asm__ volatile(".byte 0x66\n\t" insn " %0" : "+r"(v)); \
	printf(insn " r16: %#x\n", v); \
	memset(m, 0xaa, sizeof m); \
	__asm__ volatile(insn " 1+%0" : "+m"(m)); \
	dump(insn " m16", m, 4); \
} while(0)

static void
stores(void)
{
	uint32_t v;
	uint8_t m[8];

	STORE3("smsw");
	STORE3("sldt");
	STORE3("str");
	memset(m, 0xaa, sizeof m);
	__asm__ volatile("sgdt %0" : "+m"(m));
	dump("sgdt", m, 8);
	memset(m, 0xaa, sizeof m);
	__asm__ volatile(".byte 0x66\n\tsgdt %0" : "+m"(m));
	dump("sgdt (66)", m, 8);
	memset(m, 0xaa, sizeof m);
	__asm__ volatile("sidt %0" : "+m"(m));
	dump("sidt", m, 8);
}

static const uint16_t sels[] = {
	0, 1, 3, 4, 7, 0xb, 0x10, 0x13, 0x18, 0x1b, 0x20, 0x23, 0x28, 0x2b, 0x30, 0x33,
	0x3b, 0x43, 0x4b, 0x53, 0x5b, 0x60, 0x63, 0x6b, 0x73, 0x78, 0x7b, 0x7f, 0x80, 0x83,
	0x27, 0x2f, 0x67, 0x1fb, 0xfffb, 0xffff,
};

/* lsl and lar of selector s (ZF in *zl, *za; the destinations start
 * as 0x11111111 and 0x22222222, kept where they fail), verr and verw */
static void
look(uint32_t s, uint32_t *lp, uint8_t *zl, uint32_t *ap, uint8_t *za, uint8_t *zr, uint8_t *zw)
{
	uint32_t l, a;

	l = 0x11111111;
	a = 0x22222222;
	__asm__ volatile("lsl %2, %0\n\tsetz %1" : "+r"(l), "=q"(*zl) : "r"(s) : "cc");
	__asm__ volatile("lar %2, %0\n\tsetz %1" : "+r"(a), "=q"(*za) : "r"(s) : "cc");
	__asm__ volatile("verr %w1\n\tsetz %0" : "=q"(*zr) : "r"(s) : "cc");
	__asm__ volatile("verw %w1\n\tsetz %0" : "=q"(*zw) : "r"(s) : "cc");
	*lp = l;
	*ap = a;
}

static void
selectors(void)
{
	uint32_t s, l, a;
	uint8_t zl, za, zr, zw;

	for(unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++){
		s = sels[i];
		look(s, &l, &zl, &a, &za, &zr, &zw);
		if((s >> 3) == 15 && zl)
			l = 0xc0c0c0c0;	/* the CPU's number: not compared */
		printf("%#06x: lsl %d %#x, lar %d %#x, verr %d, verw %d\n", s, zl, l, za, a, zr, zw);
	}
}

static uint16_t msel;

static void
forms(void)
{
	uint32_t l, a, f, tcb;
	uint8_t zr, zw;

	l = 0x11111111;
	a = 0x22222222;
	msel = 0x23;
	__asm__ volatile(".byte 0x66\n\tlsl %2, %w0\n\t.byte 0x66\n\tlar %2, %w1" : "+r"(l), "+r"(a) : "m"(msel) : "cc");
	printf("lsl, lar r16, m16 0x23: %#x %#x\n", l, a);
	l = a = 0;
	msel = 0x63;
	__asm__ volatile("lsl %2, %0\n\tlar %2, %1" : "+r"(l), "+r"(a) : "m"(msel) : "cc");
	printf("lsl, lar m16 0x63: %#x %#x\n", l, a);
	msel = 0x2b;
	__asm__ volatile("verr %2\n\tsetz %0\n\tverw %2\n\tsetz %1" : "=q"(zr), "=q"(zw) : "m"(msel) : "cc");
	printf("verr, verw m16 0x2b: %d %d\n", zr, zw);
	/* through %gs: glibc's thread block holds its own address at %gs:0 */
	__asm__ volatile("mov %%gs:0, %0" : "=r"(tcb));
	msel = 0x2b;
	l = 0;
	__asm__ volatile("lsl %%gs:(%1), %0" : "+r"(l) : "r"((uint32_t)(uintptr_t)&msel - tcb) : "cc", "memory");
	printf("lsl %%gs:m16 0x2b: %#x\n", l);

	/* the flags but ZF kept: CF PF AF SF OF set, then a success and a failure */
	__asm__ volatile("pushl $0x895\n\tpopfl\n\tlsl %2, %0\n\tpushfl\n\tpopl %1" : "=r"(l), "=r"(f) : "r"(0x2b) : "cc");
	printf("lsl 0x2b after popf 0x895: flags %#x\n", f & 0x8d5);
	__asm__ volatile("pushl $0x8d5\n\tpopfl\n\tlar %2, %0\n\tpushfl\n\tpopl %1" : "+r"(a), "=r"(f) : "r"(0x10) : "cc");
	printf("lar 0x10 after popf 0x8d5: flags %#x\n", f & 0x8d5);
	__asm__ volatile("pushl $0x0\n\tpopfl\n\tverw %w1\n\tpushfl\n\tpopl %0" : "=r"(f) : "r"(0x23) : "cc");
	printf("verw 0x23 after popf 0: flags %#x\n", f & 0x8d5);
	__asm__ volatile("pushl $0x0\n\tpopfl\n\tsmsw %0\n\tpushfl\n\tpopl %1" : "=r"(l), "=r"(f) :: "cc");
	printf("smsw after popf 0: flags %#x\n", f & 0x8d5);
}

/* struct user_desc: entry, base, limit, then flags seg_32bit (bit 0),
 * contents (1-2), read_exec_only (3), limit_in_pages (4),
 * seg_not_present (5), useable (6) */
typedef struct Udesc {
	uint32_t entry, base, limit, flags;
} Udesc;

static void
tlsdesc(uint32_t limit, uint32_t flags)
{
	Udesc u, g;
	uint32_t s, l, a;
	uint8_t zl, za, zr, zw;
	long r, rg;

	u.entry = 14;	/* glibc's is 12 */
	u.base = 0x1000;
	u.limit = limit;
	u.flags = flags;
	r = syscall(SYS_set_thread_area, &u);
	s = 14 << 3 | 3;
	look(s, &l, &zl, &a, &za, &zr, &zw);
	memset(&g, 0, sizeof g);
	g.entry = 14;
	rg = syscall(SYS_get_thread_area, &g);
	printf("tls limit %#x flags %#x: set %ld; lsl %d %#x, lar %d %#x, verr %d, verw %d; get %ld: base %#x limit %#x flags %#x\n",
		limit, flags, r, zl, l, za, a, zr, zw, rg, g.base, g.limit, g.flags);
}

static void
tlsdescs(void)
{
	tlsdesc(0xff, 0x51);		/* pages, under 1 MiB */
	tlsdesc(0, 0x51);
	tlsdesc(0xfffff, 0x51);		/* pages, 4 GiB */
	tlsdesc(0xfffff, 0x41);		/* bytes */
	tlsdesc(0x1000, 0x41);
	tlsdesc(0x100, 0x11);		/* not useable */
	tlsdesc(0x1000, 0x49);		/* read-only */
	tlsdesc(0x1000, 0x43);		/* expand-down */
	tlsdesc(0x12345, 0x5b);		/* pages, expand-down, read-only */
}

int
main(void)
{
	stores();
	selectors();
	forms();
	tlsdescs();
	return 0;
}
