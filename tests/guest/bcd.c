/*
 * bcd.c — the decimal-adjust instructions daa, das, aaa, aas, aam and aad
 * (valid only outside 64-bit mode, so a translator must pass them through
 * or emulate them exactly).  Every AL value is tried with each state of CF
 * and AF going in; results and the flags the SDM defines for each
 * instruction are hashed, and a decimal adder built from daa is checked.
 * And salc (0xd6, undocumented, run by every x86 CPU outside 64-bit
 * mode): AL = CF ? 0xff : 0, the rest of EAX, the other registers and
 * every flag kept.
 */
#include <stdint.h>
#include <stdio.h>

static uint32_t h = 2166136261u;

static void
mix(uint32_t v)
{
	h = (h ^ v) * 16777619u;
}

/* Load flags (CF=bit0, AF=bit4) and AX, run insn, return AX and flags. */
#define ADJUST(name, insn, defined)						\
	static uint32_t name(uint32_t ax, uint32_t fl, uint32_t *fo)		\
	{									\
		uint32_t f;							\
		__asm__("pushl %2\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %1"	\
			: "+a"(ax), "=r"(f) : "r"(fl) : "cc");			\
		*fo = f & (defined);						\
		return ax & 0xffff;						\
	}

/* daa/das: CF AF SF ZF PF defined, OF undefined. */
ADJUST(do_daa, "daa", 0xd5)
ADJUST(do_das, "das", 0xd5)
/* aaa/aas: AF and CF defined. */
ADJUST(do_aaa, "aaa", 0x11)
ADJUST(do_aas, "aas", 0x11)
/* aam/aad: SF ZF PF defined. */
ADJUST(do_aam, "aam", 0xc4)
ADJUST(do_aad, "aad", 0xc4)
ADJUST(do_aam16, ".byte 0xd4, 0x10", 0xc4)	/* aam with base 16 */
ADJUST(do_aad7, ".byte 0xd5, 0x07", 0xc4)	/* aad with base 7 */

static void
sweep(const char *name, uint32_t (*fn)(uint32_t, uint32_t, uint32_t *))
{
	uint32_t f;

	h = 2166136261u;
	for (uint32_t ah = 0; ah < 256; ah += 85)
		for (uint32_t al = 0; al < 256; al++)
			for (uint32_t in = 0; in < 4; in++) {
				uint32_t fl = 0x202 | (in & 1) | (in & 2) << 3;
				uint32_t ax = fn(ah << 8 | al, fl, &f);
				mix(ax);
				mix(f);
			}
	uint32_t sample = fn(0x0179, 0x203, &f);
	printf("%-6s %08x  ax(0x179,CF)=%04x f=%03x\n", name, h, sample, f);
}

/* salc under each of 64 states of CF PF AF ZF SF OF, over AL values
 * with the rest of EAX set: EAX, the flags and ECX (which a translator
 * may borrow) hashed. */
static void
salc(void)
{
	static const uint32_t eax[] = { 0, 0xff, 0x12345678, 0xdeadbe00, 0xffffffff, 0x80 };
	uint32_t ax, cx, f, fl;
	int i, k;

	h = 2166136261u;
	for (k = 0; k < 64; k++)
		for (i = 0; i < (int)(sizeof eax / sizeof eax[0]); i++) {
			fl = 0x202 | (k & 1) | (k & 2) << 1 | (k & 4) << 2 | (k & 8) << 3 |
				(k & 16) << 3 | (k & 32) << 6;	/* CF PF AF ZF SF OF */
			ax = eax[i];
			cx = 0x5a5a0000u + k;
			__asm__("pushl %3\n\tpopfl\n\t.byte 0xd6\n\tpushfl\n\tpopl %1"
				: "+a"(ax), "=&r"(f), "+c"(cx) : "r"(fl) : "cc");
			mix(ax);
			mix(f & 0x8d5);
			mix(cx);
		}
	fl = 0x203;
	ax = 0x1234;
	__asm__("pushl %2\n\tpopfl\n\t.byte 0xd6" : "+a"(ax) : "c"(0), "r"(fl) : "cc");
	printf("salc   %08x  ax(0x1234,CF)=%08x\n", h, ax);
}

/* Add two 8-digit packed-BCD numbers with adc + daa, byte by byte. */
static uint32_t
bcd_add(uint32_t a, uint32_t b, int *carry)
{
	uint32_t r = 0, c = 0;

	for (int i = 0; i < 4; i++) {
		uint32_t x = a >> (8 * i) & 0xff, y = b >> (8 * i) & 0xff, f;
		__asm__("pushl %3\n\tpopfl\n\tadcb %b2, %%al\n\tdaa\n\tpushfl\n\tpopl %1"
			: "+a"(x), "=r"(f) : "q"(y), "r"(0x202 | c) : "cc");
		c = f & 1;
		r |= (x & 0xff) << (8 * i);
	}
	*carry = c;
	return r;
}

static uint32_t
to_bcd(uint32_t v)
{
	uint32_t r = 0;

	for (int i = 0; i < 8; i++, v /= 10)
		r |= (v % 10) << (4 * i);
	return r;
}

int
main(void)
{
	sweep("daa", do_daa);
	sweep("das", do_das);
	sweep("aaa", do_aaa);
	sweep("aas", do_aas);
	sweep("aam", do_aam);
	sweep("aad", do_aad);
	sweep("aam16", do_aam16);
	sweep("aad7", do_aad7);
	salc();

	uint32_t x = 12345678, bad = 0, sum = 0;
	for (int i = 0; i < 20000; i++) {
		uint32_t y = (x * 2654435761u) % 100000000;
		int c;
		uint32_t r = bcd_add(to_bcd(x), to_bcd(y), &c);
		if (r != to_bcd((x + y) % 100000000) || c != (x + y >= 100000000))
			bad++;
		sum = sum * 31 + r;
		x = (x + y + 1) % 100000000;
	}
	printf("bcd adder sum %08x bad %u\n", sum, bad);
	return 0;
}
