/*
 * sse.c — SSE/SSE2 packed integer and floating-point operations through
 * intrinsics, MMX with emms, SSSE3/SSE4.1 shuffles and blends, and the
 * SSE4.2 crc32 and popcnt instructions.  Functions carry target
 * attributes so the 32-bit build needs no extra flags; nothing here asks
 * cpuid, so the output is the same on any CPU that runs it.
 */
#include <emmintrin.h>
#include <mmintrin.h>
#include <nmmintrin.h>
#include <smmintrin.h>
#include <tmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SSE2 __attribute__((target("sse2")))

static uint64_t h = 14695981039346656037ull;

static void
mixb(const void *p, int n)
{
	const unsigned char *b = p;

	for (int i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
}

static void
report(const char *what)
{
	printf("%-10s %016llx\n", what, (unsigned long long)h);
	h = 14695981039346656037ull;
}

static uint32_t seed = 99;

static uint32_t
rnd(void)
{
	seed = seed * 1664525u + 1013904223u;
	return seed;
}

SSE2 static void
mixv(__m128i v)
{
	uint8_t b[16];

	_mm_storeu_si128((__m128i *)b, v);
	mixb(b, 16);
}

SSE2 static __m128i
rndv(void)
{
	return _mm_set_epi32(rnd(), rnd(), rnd(), rnd());
}

SSE2 static void
integer(void)
{
	for (int i = 0; i < 500; i++) {
		__m128i a = rndv(), b = rndv();
		mixv(_mm_add_epi8(a, b)); mixv(_mm_adds_epi16(a, b)); mixv(_mm_subs_epu8(a, b));
		mixv(_mm_add_epi64(a, b)); mixv(_mm_sub_epi32(a, b));
		mixv(_mm_mullo_epi16(a, b)); mixv(_mm_mulhi_epu16(a, b)); mixv(_mm_mul_epu32(a, b));
		mixv(_mm_madd_epi16(a, b)); mixv(_mm_sad_epu8(a, b)); mixv(_mm_avg_epu8(a, b));
		mixv(_mm_max_epi16(a, b)); mixv(_mm_min_epu8(a, b));
		mixv(_mm_cmpeq_epi8(a, _mm_and_si128(a, b))); mixv(_mm_cmpgt_epi32(a, b));
		mixv(_mm_andnot_si128(a, b)); mixv(_mm_xor_si128(a, b)); mixv(_mm_or_si128(a, b));
		mixv(_mm_slli_epi16(a, 3)); mixv(_mm_srai_epi32(a, 7)); mixv(_mm_srli_epi64(a, 13));
		mixv(_mm_sll_epi32(a, _mm_cvtsi32_si128(i % 40)));
		mixv(_mm_slli_si128(a, 5)); mixv(_mm_srli_si128(b, 9));
		mixv(_mm_shuffle_epi32(a, 0x1b)); mixv(_mm_shufflelo_epi16(a, 0x4e));
		mixv(_mm_shufflehi_epi16(b, 0x39));
		mixv(_mm_unpacklo_epi8(a, b)); mixv(_mm_unpackhi_epi32(a, b));
		mixv(_mm_unpacklo_epi64(a, b));
		mixv(_mm_packs_epi32(a, b)); mixv(_mm_packus_epi16(a, b)); mixv(_mm_packs_epi16(a, b));
		int m = _mm_movemask_epi8(a);
		mixb(&m, 4);
		int e = _mm_extract_epi16(a, 5);
		mixb(&e, 4);
		mixv(_mm_insert_epi16(a, i, 3));
	}
	report("int");
}

SSE2 static void
floating(void)
{
	for (int i = 0; i < 300; i++) {
		float f[4] = { (int)rnd() / 65536.0f, (int)rnd() / 1e6f, (rnd() % 1000) - 500.5f, i };
		double d[2] = { (int)rnd() / 3.0, (rnd() % 100) / 7.0 };
		__m128 a = _mm_loadu_ps(f), b = _mm_shuffle_ps(a, a, 0x93);
		__m128d x = _mm_loadu_pd(d), y = _mm_set_pd(1.5, -2.25);
		__m128 r[] = {
			_mm_add_ps(a, b), _mm_mul_ps(a, b), _mm_div_ps(a, _mm_set1_ps(3.0f)),
			_mm_sqrt_ps(_mm_and_ps(a, _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff)))),
			_mm_max_ps(a, b), _mm_min_ss(a, b), _mm_cmplt_ps(a, b),
			_mm_unpacklo_ps(a, b), _mm_movehl_ps(a, b),
			_mm_cvtepi32_ps(_mm_cvttps_epi32(a)), _mm_cvtpd_ps(x),
		};
		__m128d s[] = {
			_mm_add_pd(x, y), _mm_mul_pd(x, y), _mm_div_pd(x, y), _mm_sub_sd(x, y),
			_mm_sqrt_pd(_mm_mul_pd(x, x)), _mm_max_pd(x, y), _mm_cmpge_pd(x, y),
			_mm_cvtps_pd(a), _mm_shuffle_pd(x, y, 1), _mm_cvtepi32_pd(_mm_cvtpd_epi32(x)),
		};
		mixb(r, sizeof r);
		mixb(s, sizeof s);
		int k = _mm_cvtsd_si32(x) ^ _mm_cvttss_si32(a) ^ _mm_movemask_ps(a) ^ _mm_movemask_pd(x);
		mixb(&k, 4);
	}
	report("float");
	/* MXCSR rounding modes: round-to-nearest, down, up, toward zero. */
	unsigned csr = _mm_getcsr();
	for (int rc = 0; rc < 4; rc++) {
		_mm_setcsr((csr & ~0x6000u) | rc << 13);
		volatile float a = 1.0f, b = 3.0f;
		volatile double c = 2.0, d = 3.0, m = -2.5;
		float q = _mm_cvtss_f32(_mm_div_ss(_mm_set_ss(a), _mm_set_ss(b)));
		double e = _mm_cvtsd_f64(_mm_div_sd(_mm_set_sd(c), _mm_set_sd(d)));
		int n = _mm_cvtsd_si32(_mm_set_sd(m));
		printf("mxcsr rc%d %a %a %d\n", rc, q, e, n);
	}
	_mm_setcsr(csr);
	/* Flush-to-zero and denormals-are-zero. */
	_mm_setcsr(csr | 0x8040);
	volatile float tiny = 0x1p-140f;
	float z = _mm_cvtss_f32(_mm_mul_ss(_mm_set_ss(tiny), _mm_set_ss(2.0f)));
	_mm_setcsr(csr);
	float nz = _mm_cvtss_f32(_mm_mul_ss(_mm_set_ss(tiny), _mm_set_ss(2.0f)));
	printf("ftz %a %a\n", z, nz);
}

__attribute__((target("mmx"))) static void
mmx(void)
{
	uint64_t acc[2] = { 0, 0 };

	for (int i = 0; i < 200; i++) {
		__m64 a = _mm_set_pi32(rnd(), rnd()), b = _mm_set_pi32(rnd(), rnd());
		__m64 r = _mm_add_pi16(a, b);
		r = _mm_xor_si64(r, _mm_mullo_pi16(a, b));
		r = _mm_add_pi32(r, _mm_unpacklo_pi8(a, b));
		r = _mm_xor_si64(r, _mm_packs_pi32(a, b));
		r = _mm_add_pi8(r, _mm_subs_pu8(a, b));
		r = _mm_xor_si64(r, _mm_slli_pi16(a, 3));
		acc[i & 1] ^= (uint32_t)_mm_cvtsi64_si32(r) ^ (uint64_t)(uint32_t)_mm_cvtsi64_si32(_mm_srli_si64(r, 32)) << 32;
	}
	_mm_empty();
	mixb(acc, sizeof acc);
	report("mmx");
}

__attribute__((target("ssse3,sse4.1"))) static void
ssse3(void)
{
	for (int i = 0; i < 300; i++) {
		__m128i a = _mm_set_epi32(rnd(), rnd(), rnd(), rnd());
		__m128i b = _mm_set_epi32(rnd(), rnd(), rnd(), rnd());
		mixv(_mm_shuffle_epi8(a, b)); mixv(_mm_alignr_epi8(a, b, 7));
		mixv(_mm_abs_epi16(a)); mixv(_mm_hadd_epi32(a, b)); mixv(_mm_maddubs_epi16(a, b));
		mixv(_mm_sign_epi8(a, b));
		mixv(_mm_mullo_epi32(a, b)); mixv(_mm_blend_epi16(a, b, 0xa5));
		mixv(_mm_blendv_epi8(a, b, a)); mixv(_mm_max_epu32(a, b)); mixv(_mm_min_epi8(a, b));
		mixv(_mm_cvtepu8_epi32(a)); mixv(_mm_cvtepi16_epi64(b)); mixv(_mm_packus_epi32(a, b));
		mixv(_mm_insert_epi32(a, i, 2)); mixv(_mm_minpos_epu16(a));
		int t = _mm_testz_si128(a, b) * 4 + _mm_testc_si128(a, b) * 2 + _mm_extract_epi8(a, 11);
		mixb(&t, 4);
		__m128 f = _mm_set_ps(i * 0.7f, -i * 1.3f, 2.5f, -0.5f);
		mixv(_mm_castps_si128(_mm_round_ps(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
		mixv(_mm_castps_si128(_mm_floor_ps(f)));
		mixv(_mm_castps_si128(_mm_dp_ps(f, f, 0xf1)));
	}
	report("ssse3/4.1");
}

__attribute__((target("sse4.2,popcnt"))) static void
sse42(void)
{
	uint32_t crc = 0xffffffff;
	unsigned char buf[1000];
	int pop = 0;

	for (int i = 0; i < (int)sizeof buf; i++)
		buf[i] = rnd() >> 24;
	for (int i = 0; i < (int)sizeof buf; i++)
		crc = _mm_crc32_u8(crc, buf[i]);
	printf("crc32c u8  %08x\n", ~crc);
	crc = 0xffffffff;
	for (int i = 0; i + 4 <= (int)sizeof buf; i += 4) {
		uint32_t w;
		memcpy(&w, buf + i, 4);
		crc = _mm_crc32_u32(crc, w);
	}
	printf("crc32c u32 %08x\n", ~crc);
	crc = 0;
	for (int i = 0; i + 2 <= (int)sizeof buf; i += 2) {
		uint16_t w;
		memcpy(&w, buf + i, 2);
		crc = _mm_crc32_u16(crc, w);
	}
	printf("crc32c u16 %08x\n", crc);
	for (int i = 0; i < 1000; i++)
		pop += _mm_popcnt_u32(rnd()) * (i & 3);
	printf("popcnt %d\n", pop);
	/* String compares: find the first vowel in a block. */
	__m128i vow = _mm_setr_epi8('a', 'e', 'i', 'o', 'u', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	__m128i txt = _mm_loadu_si128((const __m128i *)"xyzzy plugh zork");
	int idx = _mm_cmpestri(vow, 5, txt, 16, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY);
	__m128i rng = _mm_setr_epi8('a', 'z', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	__m128i mask = _mm_cmpistrm(rng, txt, _SIDD_UBYTE_OPS | _SIDD_CMP_RANGES | _SIDD_BIT_MASK);
	printf("pcmpestri %d pcmpistrm %04x\n", idx, _mm_cvtsi128_si32(mask));
	mixv(_mm_cmpgt_epi64(_mm_set_epi64x(5, -3), _mm_set_epi64x(-1, -2)));
	report("sse4.2");
}

int
main(void)
{
	integer();
	floating();
	mmx();
	ssse3();
	sse42();
	return 0;
}
