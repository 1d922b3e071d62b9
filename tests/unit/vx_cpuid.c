/*
 * vx_cpuid.c — the CPU a guest sees (libvx/cpuid.c): every leaf and
 * subleaf a guest may ask gets the host's answer less the hidden
 * features, whatever garbage ecx holds for a leaf without subleaves, and
 * each distinct question runs the host's CPUID at most once per process
 * (a trip to the hypervisor on a virtual machine), none for the leaves
 * the host's glibc has read already.
 */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>
#if defined(__GLIBC__) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define HAVELIBCLEAVES 1
#endif
#endif
#include "tap.h"
#include "vxpriv.h"

/* The leaves the host's glibc read at its own start (its CPU features)
 * are answered from its copy: the first questions of a process, for
 * them, run the host's CPUID once only, for leaf 0 (the memo's probe of
 * the highest leaf).  Called before anything else asks. */
static void
libcleaves(void)
{
#ifdef HAVELIBCLEAVES
	static const uint32_t leaves[] = { 1, 7, 0x80000001u, 0x80000007u, 0x80000008u };
	static const unsigned idx[] = { CPUID_INDEX_1, CPUID_INDEX_7, CPUID_INDEX_80000001,
		CPUID_INDEX_80000007, CPUID_INDEX_80000008 };
	const struct cpuid_feature *f;
	uint32_t r[4];
	int i, n, empty = 0;

	for(i = 0; i < 5; i++){
		f = __x86_get_cpuid_feature_leaf(idx[i]);
		empty += (f->cpuid_array[0] | f->cpuid_array[1] | f->cpuid_array[2] | f->cpuid_array[3]) == 0;
	}
	n = vx_cpuidcount();
	for(i = 0; i < 5; i++)
		vx_cpuid(leaves[i], 0, r);
	ok(vx_cpuidcount() - n <= 1 + empty, "leaves 1, 7, 0x80000001, 7 and 8 from glibc's copy: %d host CPUIDs, want at most %d",
		vx_cpuidcount() - n, 1 + empty);
#else
	ok(1, "# SKIP no <sys/platform/x86.h>: glibc's leaves are not read");
#endif
}

/* Has the host's OS enabled the SSE and AVX state (XCR0 bits 1, 2)? */
static int
ymmon(void)
{
	uint32_t a, b, c, d, lo, hi;

	__cpuid(1, a, b, c, d);
	if(!(c & bit_OSXSAVE) || !(c & bit_AVX))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

/* The answer as the guest must see it, from the host's CPUID: written
 * here from the rules of cpuid.c's header (features the translator does
 * not handle hidden, AVX, AVX2, FMA, F16C only where the YMM state is
 * enabled, no APIC id, leaves past 0xd as 0xd). */
static void
want(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	uint32_t maxl, a, b, c, d, avx = ymmon();

	__cpuid(0, maxl, b, c, d);
	if(maxl > 0xd)
		maxl = 0xd;
	if(leaf < 0x80000000u && leaf > maxl)
		leaf = maxl;
	__cpuid_count(leaf, sub, a, b, c, d);
	switch(leaf){
	case 0:
		a = maxl;
		break;
	case 1:
		c &= 1u<<0 | 1u<<1 | 1u<<9 | 1u<<13 | 1u<<19 | 1u<<20 | 1u<<22 | 1u<<23 | 1u<<25 |
			(avx ? 1u<<12 | 1u<<27 | 1u<<28 | 1u<<29 : 0);
		d &= 1u<<0 | 1u<<4 | 1u<<8 | 1u<<15 | 1u<<23 | 1u<<24 | 1u<<25 | 1u<<26;
		b &= 0xffff;
		break;
	case 7:
		a = 0;
		b = sub == 0 ? b & (1u<<3 | 1u<<8 | 1u<<9 | (avx ? 1u<<5 : 0)) : 0;
		c = d = 0;
		break;
	case 5: case 6: case 0xa: case 0xb: case 0xd:
		a = b = c = d = 0;
		break;
	case 0x80000001u:
		c &= 1u<<0 | 1u<<5;
		d = 0;
		break;
	}
	r[0] = a, r[1] = b, r[2] = c, r[3] = d;
}

static int
same(uint32_t leaf, uint32_t sub)
{
	uint32_t got[4], exp[4];

	vx_cpuid(leaf, sub, got);
	want(leaf, sub, exp);
	if(memcmp(got, exp, sizeof got) == 0)
		return 1;
	diag("leaf %#x sub %#x: %08x %08x %08x %08x, want %08x %08x %08x %08x", leaf, sub,
		got[0], got[1], got[2], got[3], exp[0], exp[1], exp[2], exp[3]);
	return 0;
}

int
main(void)
{
	static const uint32_t subs[] = { 0, 1, 2, 3, 4, 0x3fffeef8, 0x444d4163, 0xffffffff };
	uint32_t r[4], r2[4], leaf, ext, a, b, c, d;
	int n, bad, i;

	plan(9);
	libcleaves();

	/* glibc's start: 0x80000000 with whatever ecx held */
	n = vx_cpuidcount();
	vx_cpuid(0x80000000u, 0x7808011, r);
	vx_cpuid(0x80000000u, 0x300c0140, r2);
	ok(memcmp(r, r2, sizeof r) == 0, "0x80000000 answers alike whatever ecx holds");
	vx_cpuid(0x80000000u, 0, r2);
	vx_cpuid(1, 0x1234, r2);
	vx_cpuid(1, 0, r2);
	ok(vx_cpuidcount() - n <= 3, "one host CPUID per leaf without subleaves (%d for five questions of two leaves)", vx_cpuidcount() - n);

	n = vx_cpuidcount();
	vx_cpuid(0xd, 1, r);
	vx_cpuid(7, 1, r2);
	vx_cpuid(6, 0, r2);
	is(vx_cpuidcount() - n, 0, "hidden leaves (0xd, 7.1, 6) do not ask the host");
	ok(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0, "leaf 0xd is empty: no XSAVE");

	bad = 0;
	for(leaf = 0; leaf <= 0x20; leaf++)
		for(i = 0; i < (int)(sizeof subs / sizeof subs[0]); i++)
			bad += !same(leaf, subs[i]);
	is(bad, 0, "basic leaves 0 to 0x20, eight ecx values each, as the host's less hidden features");

	__cpuid(0x80000000u, ext, b, c, d);
	bad = 0;
	for(leaf = 0x80000000u; leaf <= ext && leaf <= 0x80000028u; leaf++){
		if(leaf == 0x8000001eu)
			continue;	/* the asking CPU's APIC id: the first answer is kept */
		for(i = 0; i < (int)(sizeof subs / sizeof subs[0]); i++)
			bad += !same(leaf, subs[i]);
	}
	is(bad, 0, "extended leaves up to %#x, eight ecx values each", ext < 0x80000028u ? ext : 0x80000028u);

	/* a subleaf that matters is kept apart: AMD's cache leaf */
	__cpuid_count(0x8000001du, 0, a, b, c, d);
	__cpuid_count(0x8000001du, 3, r2[0], r2[1], r2[2], r2[3]);
	if(ext < 0x8000001du || (r2[0] == a && r2[1] == b && r2[2] == c && r2[3] == d))
		ok(1, "# SKIP the host's 0x8000001d subleaves 0 and 3 are alike");
	else{
		vx_cpuid(0x8000001du, 0, r);
		vx_cpuid(0x8000001du, 3, r2);
		ok(memcmp(r, r2, sizeof r) != 0, "0x8000001d subleaves 0 and 3 differ, as the host's");
	}

	n = vx_cpuidcount();
	for(leaf = 0; leaf <= 0x20; leaf++)
		vx_cpuid(leaf, subs[5], r);
	is(vx_cpuidcount() - n, 0, "asked again: every answer from the memo");
	return 0;
}
