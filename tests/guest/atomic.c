/*
 * atomic.c — the locked and exchange instructions a single thread still
 * uses (glibc's locks, reference counts): xchg, cmpxchg in three sizes,
 * cmpxchg8b, xadd, lock-prefixed add/or/and/xor/inc/dec/not/neg/bts, and
 * the GCC __atomic builtins, with flags after each where defined.
 */
#include <stdint.h>
#include <stdio.h>

static uint32_t h = 2166136261u;
static uint32_t seed = 1;

static void
mix(uint32_t v)
{
	h = (h ^ v) * 16777619u;
}

static uint32_t
rnd(void)
{
	seed = seed * 1664525u + 1013904223u;
	return seed;
}

static void
report(const char *what)
{
	printf("%-10s %08x\n", what, h);
	h = 2166136261u;
}

int
main(void)
{
	static volatile uint32_t m32;
	static volatile uint16_t m16;
	static volatile uint8_t m8;
	static volatile uint64_t m64 __attribute__((aligned(8)));

	for (int i = 0; i < 20000; i++) {
		uint32_t v = rnd(), e = rnd() & 3 ? m32 : rnd(), z;
		__asm__ volatile("lock cmpxchgl %2, %1\n\tsetz %b0"
				 : "=q"(z), "+m"(m32), "+r"(v), "+a"(e) : : "cc", "memory");
		mix(z & 1); mix(e); mix(m32);
		uint16_t e16 = rnd() & 1 ? m16 : (uint16_t)rnd(), v16 = (uint16_t)rnd();
		__asm__ volatile("lock cmpxchgw %1, %0" : "+m"(m16), "+r"(v16), "+a"(e16) : : "cc", "memory");
		mix(m16); mix(e16);
		uint8_t e8 = rnd() & 1 ? m8 : (uint8_t)rnd(), v8 = (uint8_t)rnd();
		__asm__ volatile("cmpxchgb %1, %0" : "+m"(m8), "+q"(v8), "+a"(e8) : : "cc", "memory");
		mix(m8); mix(e8);
		uint32_t x = rnd();
		__asm__ volatile("xchgl %0, %1" : "+r"(x), "+m"(m32) : : "memory");
		mix(x); mix(m32);
		x = rnd();
		__asm__ volatile("lock xaddl %0, %1" : "+r"(x), "+m"(m32) : : "cc", "memory");
		mix(x); mix(m32);
		uint32_t f;
		__asm__ volatile("lock addl %2, %0\n\tpushfl\n\tpopl %1" : "+m"(m32), "=r"(f) : "ri"(rnd()) : "cc", "memory");
		mix(m32); mix(f & 0x8d5);
		__asm__ volatile("lock orl %1, %0" : "+m"(m32) : "r"(rnd() & rnd()) : "cc", "memory");
		__asm__ volatile("lock andl %1, %0" : "+m"(m32) : "r"(rnd() | rnd()) : "cc", "memory");
		__asm__ volatile("lock xorl %1, %0" : "+m"(m32) : "r"(rnd()) : "cc", "memory");
		__asm__ volatile("lock incl %0\n\tlock decw %1\n\tlock notb %2" : "+m"(m32), "+m"(m16), "+m"(m8) : : "cc", "memory");
		__asm__ volatile("lock negl %0\n\tpushfl\n\tpopl %1" : "+m"(m32), "=r"(f) : : "cc", "memory");
		mix(m32); mix(m16); mix(m8); mix(f & 0x8d5);
		__asm__ volatile("lock btsl %2, %0\n\tsetc %b1" : "+m"(m32), "=q"(z) : "r"(rnd() % 32) : "cc", "memory");
		mix(m32); mix(z & 1);
	}
	report("locked");

	/* cmpxchg8b: succeed when edx:eax matches, else load it. */
	m64 = 0x0123456789abcdefull;
	for (int i = 0; i < 20000; i++) {
		uint64_t want = rnd() % 3 ? m64 : (uint64_t)rnd() << 32 | rnd();
		uint64_t nv = (uint64_t)rnd() << 32 | rnd();
		uint32_t lo = (uint32_t)want, hi = (uint32_t)(want >> 32), z;
		__asm__ volatile("lock cmpxchg8b %0\n\tsetz %b1"
				 : "+m"(m64), "=q"(z), "+a"(lo), "+d"(hi)
				 : "b"((uint32_t)nv), "c"((uint32_t)(nv >> 32)) : "cc", "memory");
		mix(z & 1); mix(lo); mix(hi); mix((uint32_t)m64); mix((uint32_t)(m64 >> 32));
	}
	report("cmpxchg8b");

	/* The compiler's atomics, including 64-bit ones (cmpxchg8b loops). */
	static uint32_t a32;
	static uint64_t a64 __attribute__((aligned(8)));
	for (int i = 0; i < 20000; i++) {
		uint32_t v = rnd();
		mix(__atomic_fetch_add(&a32, v, __ATOMIC_SEQ_CST));
		mix(__atomic_exchange_n(&a32, a32 ^ v, __ATOMIC_ACQ_REL));
		mix(__atomic_fetch_or(&a32, v >> 7, __ATOMIC_RELAXED));
		mix(__atomic_sub_fetch(&a32, 3, __ATOMIC_SEQ_CST));
		uint32_t exp = i & 1 ? a32 : v;
		mix(__atomic_compare_exchange_n(&a32, &exp, v * 3, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
		mix(exp);
		uint64_t w = (uint64_t)v * 0x100000001ull;
		uint64_t old = __atomic_fetch_add(&a64, w, __ATOMIC_SEQ_CST);
		mix((uint32_t)old); mix((uint32_t)(old >> 32));
		uint64_t e64 = i % 3 ? a64 : w;
		mix(__atomic_compare_exchange_n(&a64, &e64, w ^ a64, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
		mix((uint32_t)(e64 >> 32));
		mix(__sync_bool_compare_and_swap(&a32, v * 3, v));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	mix(a32); mix((uint32_t)a64); mix((uint32_t)(a64 >> 32));
	report("builtins");
	return 0;
}
