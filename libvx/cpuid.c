/*
 * cpuid.c — the CPU the guest sees: the host's, less every feature the
 * translator does not handle (AVX and later vector state, XSAVE, SYSENTER,
 * TSX, ...), so that glibc's ifunc selection only picks code we run.
 */
#include <cpuid.h>
#include <pthread.h>
#include <string.h>
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

static void cpuid1(uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* CPUID traps to the hypervisor on a virtual machine (tens of µs) and
 * glibc asks dozens of times at start-up: remember the answers. */
enum { NMEMO = 64 };
static struct { uint32_t leaf, sub, r[4]; int used; } memo[NMEMO];
static pthread_mutex_t memolock = PTHREAD_MUTEX_INITIALIZER;

/* Does the host kernel enable protection keys (OSPKE)?  Asked once. */
int
vx_hasospke(void)
{
	static atomic_int known = -1;
	unsigned a, b, c, d;

	if(known < 0){
		__cpuid_count(7, 0, a, b, c, d);
		known = (c >> 4) & 1;
	}
	return known;
}

void
vx_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	int i;

	pthread_mutex_lock(&memolock);
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

/* memolock held */
static void
cpuid1(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	static uint32_t maxl;
	uint32_t a, b, c, d;

	if(maxl == 0)
		__cpuid(0, maxl, b, c, d);
	if(maxl > 0xd)
		maxl = 0xd;
	if(leaf < 0x80000000u && leaf > maxl)
		leaf = maxl;	/* as a CPU does for leaves past the maximum */
	__cpuid_count(leaf, sub, a, b, c, d);
	switch(leaf){
	case 0:
		a = maxl;
		break;
	case 1:
		c &= L1ECX;
		d &= L1EDX;
		b &= 0x0000ffffu;	/* no APIC id, one logical CPU */
		break;
	case 7:
		if(sub == 0){
			a = 0;
			b &= L7EBX;
		}else
			a = b = 0;
		c = d = 0;
		break;
	case 0xd:		/* no XSAVE */
		a = b = c = d = 0;
		break;
	case 0x80000001u:
		c &= X1ECX;
		d = 0;		/* no syscall, nx, lm in a 32-bit guest's view */
		break;
	case 5: case 6: case 0xa: case 0xb:
		a = b = c = d = 0;
		break;
	}
	r[0] = a;
	r[1] = b;
	r[2] = c;
	r[3] = d;
}
