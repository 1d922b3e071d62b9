/* haveavx2.h — does cpuid offer AVX2 with its state enabled (OSXSAVE,
 * AVX, XCR0's SSE and AVX bits, leaf 7's AVX2)?  For the guest programs
 * that use ymm registers where they may and compute the same otherwise
 * (tests/guest/ymm.c, tests/guest_signal.c). */
#include <cpuid.h>

static int
haveavx2(void)
{
	unsigned a, b, c, d, lo, hi;

	if(!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if((lo & 6) != 6 || __get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & bit_AVX2) != 0;
}
