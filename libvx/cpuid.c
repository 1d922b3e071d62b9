/*
 * cpuid.c — the CPU the guest sees: the host's, less every feature the
 * translator does not handle (AVX-512 and later vector state, XSAVE,
 * SYSENTER, TSX, ...), so that glibc's ifunc selection only picks code we
 * run.  AVX, AVX2, FMA and F16C are shown where the host's OS has enabled
 * the YMM state: the engines keep ymm0-7 whole (S_YMM).
 */
#include <cpuid.h>
#include <pthread.h>
#include <string.h>
#if defined(__GLIBC__) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define HAVELIBCLEAVES 1
#endif
#endif
#include "vxpriv.h"

/* leaf 1 edx: fpu vme? no. keep: fpu de tsc msr? no. */
#define L1EDX	(1u<<0 | 1u<<4 | 1u<<8 | 1u<<15 | 1u<<23 | 1u<<24 | 1u<<25 | 1u<<26)
	/* fpu tsc cx8 cmov mmx fxsr sse sse2 */
#define L1ECX	(1u<<0 | 1u<<1 | 1u<<9 | 1u<<13 | 1u<<19 | 1u<<20 | 1u<<22 | 1u<<23 | 1u<<25)
	/* sse3 pclmulqdq ssse3 cx16 sse4.1 sse4.2 movbe popcnt aes */
#define L7EBX	(1u<<3 | 1u<<8 | 1u<<9)
	/* bmi1 bmi2 erms */
#define X1ECX	(1u<<0 | 1u<<5)
	/* lahf-lm lzcnt(abm) */
#define L1AVX	(1u<<12 | 1u<<27 | 1u<<28 | 1u<<29)
	/* fma osxsave avx f16c, where the host's XCR0 enables the YMM state */
#define L7AVX	(1u<<5)
	/* avx2, likewise */

static void cpuid1(uint32_t leaf, uint32_t sub, uint32_t r[4]);
static int hassubleaf(uint32_t leaf);

/* CPUID traps to the hypervisor on a virtual machine (tens of µs) and
 * glibc asks dozens of times at start-up: remember the answers. */
enum { NMEMO = 64 };
typedef struct Memo {
	uint32_t leaf, sub, r[4];
	int used;
} Memo;
static Memo memo[NMEMO];
static pthread_mutex_t memolock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t maxl;	/* the highest basic leaf shown (0: not asked yet) */
static int ncpuid;	/* host CPUIDs run (vx_cpuidcount) */

/*
 * The leaves the host's glibc read at its own start, for its ifuncs
 * (<sys/platform/x86.h>, glibc 2.33): 1, 7 (subleaf 0), 0x80000001,
 * 0x80000007 and 0x80000008, as the CPU answered them.  Asked here they
 * cost no trip to the hypervisor (3.8 µs each on the session-22 KVM
 * host, where they were 7 of the 12 CPUIDs of every start).  A leaf
 * beyond what the CPU has is all zeros there: the CPU is asked.
 */
static int
libcleaf(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
#ifdef HAVELIBCLEAVES
	const struct cpuid_feature *f;
	unsigned int i;

	switch(leaf){
	case 1: i = CPUID_INDEX_1; break;
	case 7: i = CPUID_INDEX_7; break;
	case 0x80000001u: i = CPUID_INDEX_80000001; break;
	case 0x80000007u: i = CPUID_INDEX_80000007; break;
	case 0x80000008u: i = CPUID_INDEX_80000008; break;
	default: return 0;
	}
	if(leaf == 7 && sub != 0)
		return 0;
	f = __x86_get_cpuid_feature_leaf(i);
	if(f == NULL || (f->cpuid_array[0] | f->cpuid_array[1] | f->cpuid_array[2] | f->cpuid_array[3]) == 0)
		return 0;
	memcpy(r, f->cpuid_array, 4 * sizeof r[0]);
	return 1;
#else
	(void)leaf, (void)sub, (void)r;
	return 0;
#endif
}

/* The host CPU's answer: glibc's copy, or the CPU's (then 1: the
 * caller under memolock counts it, vx_cpuidcount). */
static int
hostcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	if(libcleaf(leaf, sub, r))
		return 0;
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
	return 1;
}

/* Does the host kernel enable protection keys (OSPKE)?  Asked once. */
int
vx_hasospke(void)
{
	static atomic_int known = -1;
	uint32_t r[4];

	if(known < 0){
		hostcpuid(7, 0, r);
		known = (r[2] >> 4) & 1;
	}
	return known;
}

/* The leaf the CPU answers (past the maximum basic leaf: the maximum, as
 * a CPU does), and the subleaf as far as it matters: leaves that do not
 * read ecx get 0, so that the garbage a guest leaves there (glibc's start
 * asks 0x80000000 five times with five different ecx values) does not
 * defeat the memo.  memolock held. */
static void
leafkey(uint32_t *leaf, uint32_t *sub)
{
	uint32_t b, c, d;

	if(maxl == 0){
		/* the first question: the probe is leaf 0's answer too */
		__cpuid(0, maxl, b, c, d);
		ncpuid++;
		if(maxl > 0xd)
			maxl = 0xd;
		memo[0] = (Memo){ 0, 0, { maxl, b, c, d }, 1 };
	}
	if(*leaf < 0x80000000u && *leaf > maxl)
		*leaf = maxl;
	if(!hassubleaf(*leaf))
		*sub = 0;
}

/* Does the answer depend on ecx?  Of the basic leaves the guest can
 * reach (0 to 0xd), 4 (cache parameters), 7, 0xb and 0xd do; of the
 * extended ones, all but 0x80000000 to 0x80000008 are treated as if they
 * did (0x8000001d, 0x80000020 and 0x80000026 do on AMD). */
static int
hassubleaf(uint32_t leaf)
{
	if(leaf >= 0x80000000u)
		return leaf > 0x80000008u;
	return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
}

void
vx_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	int i;

	pthread_mutex_lock(&memolock);
	leafkey(&leaf, &sub);
	for(i = 0; i < NMEMO && memo[i].used; i++)
		if(memo[i].leaf == leaf && memo[i].sub == sub){
			memcpy(r, memo[i].r, sizeof memo[i].r);
			pthread_mutex_unlock(&memolock);
			return;
		}
	cpuid1(leaf, sub, r);
	if(i < NMEMO){
		memo[i].leaf = leaf;
		memo[i].sub = sub;
		memcpy(memo[i].r, r, sizeof memo[i].r);
		memo[i].used = 1;
	}
	pthread_mutex_unlock(&memolock);
}

/* The features of the decoder's forms (VXF_*, decode.h) the guest is
 * offered, read back from the answers it gets, so that the decoder
 * accepts exactly the instructions cpuid shows.  The vector sets count
 * only with AVX and OSXSAVE shown (their state enabled), the xsave family
 * only with XSAVE and OSXSAVE: without them a CPU raises #UD.  The
 * engines keep ymm0-7 whole (S_YMM) but not the k registers, and the
 * xsave family would reach every state, so the masks above offer BMI1,
 * BMI2 and, where the host's OS enables the YMM state, AVX, AVX2, FMA,
 * F16C and VEX-encoded AES and PCLMULQDQ (if the host has them); never
 * AVX-512 or XSAVE. */
uint32_t
vx_guestfeat(void)
{
	uint32_t r0[4], r1[4], r7[4], f;
	int osxsave;

	vx_cpuid(0, 0, r0);
	vx_cpuid(1, 0, r1);
	memset(r7, 0, sizeof r7);
	if(r0[0] >= 7)
		vx_cpuid(7, 0, r7);
	f = 0;
	if(r7[1] & bit_BMI)
		f |= VXF_BMI1;
	if(r7[1] & bit_BMI2)
		f |= VXF_BMI2;
	osxsave = (r1[2] & bit_OSXSAVE) != 0;
	if(osxsave && (r1[2] & bit_XSAVE))
		f |= VXF_XSAVE;
	if(!osxsave || !(r1[2] & bit_AVX))
		return f;
	f |= VXF_AVX;
	if(r7[1] & bit_AVX2)
		f |= VXF_AVX2;
	if(r1[2] & bit_FMA)
		f |= VXF_FMA;
	if(r1[2] & bit_F16C)
		f |= VXF_F16C;
	if(r1[2] & bit_AES)
		f |= VXF_VAES;
	if(r1[2] & bit_PCLMUL)
		f |= VXF_VPCLMUL;
	if(r7[2] & bit_GFNI)
		f |= VXF_VGFNI;
	if(r7[1] & bit_AVX512F)
		f |= VXF_AVX512;
	/* AVX-VNNI is leaf 7.1, which the guest does not see */
	return f;
}

/* Held across a host fork (vx.c, forkhold). */
void
vx_cpuidforkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&memolock);
	else
		pthread_mutex_unlock(&memolock);
}

/* How many times the host's CPUID has run for vx_cpuid (tests). */
int
vx_cpuidcount(void)
{
	int n;

	pthread_mutex_lock(&memolock);
	n = ncpuid;
	pthread_mutex_unlock(&memolock);
	return n;
}

/* Has the host's OS enabled the SSE and AVX state (OSXSAVE, XCR0 bits 1
 * and 2)?  Then the guest may have AVX: vxlblob and vxblob keep the YMM
 * upper halves of ymm0-7 for it. */
static int
hostymm(void)
{
	static atomic_int known = -1;
	uint32_t r[4], c, lo, hi;

	if(known < 0){
		hostcpuid(1, 0, r);
		c = r[2];
		lo = hi = 0;
		if((c & bit_OSXSAVE) && (c & bit_AVX))
			__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		(void)hi;
		known = (lo & 6) == 6;
	}
	return known;
}

/* Is the answer all zeros whatever the CPU (a feature hidden whole)?
 * Then the host is not asked: CPUID is a trip to the hypervisor. */
static int
hidden(uint32_t leaf, uint32_t sub)
{
	switch(leaf){
	case 5: case 6: case 0xa: case 0xb: case 0xd:
		return 1;
	case 7:
		return sub != 0;
	}
	return 0;
}

/* The answer for a leaf as leafkey gives it; memolock held. */
static void
cpuid1(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	uint32_t a, b, c, d;

	if(hidden(leaf, sub)){
		memset(r, 0, 4 * sizeof r[0]);
		return;
	}
	if(hostcpuid(leaf, sub, r))
		ncpuid++;
	a = r[0], b = r[1], c = r[2], d = r[3];
	switch(leaf){
	case 0:
		a = maxl;
		break;
	case 1:
		c &= L1ECX | (hostymm() ? L1AVX : 0);
		d &= L1EDX;
		b &= 0x0000ffffu;	/* no APIC id, one logical CPU */
		break;
	case 7:			/* subleaf 0; the others are hidden */
		a = 0;
		b &= L7EBX | (hostymm() ? L7AVX : 0);
		c = d = 0;
		break;
	case 0x80000001u:
		c &= X1ECX;
		d = 0;		/* no syscall, nx, lm in a 32-bit guest's view */
		break;
	}
	r[0] = a;
	r[1] = b;
	r[2] = c;
	r[3] = d;
}
