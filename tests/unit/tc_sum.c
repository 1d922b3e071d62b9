/*
 * tc_sum.c — the persistent translation cache's checksum (libvx/tcache.h,
 * tcsum), which decides whether a cache file is used at all: taken a
 * piece at a time as a file is read it equals the sum taken at once,
 * whatever the pieces; a single bit flipped anywhere, two words of a
 * block swapped, a block zeroed (a truncation's zeros), or two bits
 * flipped where the lanes' linear steps could undo each other changes it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "tcache.h"

enum { N = 4096 + 3 * TCBLOCK + 77 };	/* not a whole number of blocks */

static uint8_t buf[N];

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The sum of buf taken in pieces of pseudo-random sizes up to max. */
static uint64_t
piecewise(uint64_t seed, size_t max)
{
	TcSum s;
	size_t at, k;

	tcsuminit(&s, 0);
	for(at = 0; at < N; at += k){
		k = 1 + rnd(&seed) % max;
		if(k > N - at)
			k = N - at;
		tcsumadd(&s, buf + at, k);
	}
	return tcsumend(&s);
}

/* Does the sum of buf (whole) stay with bit b of bytes x and y flipped? */
static int
kept2(size_t x, size_t y, int b, uint64_t whole)
{
	int same;

	buf[x] ^= (uint8_t)(1 << b);
	buf[y] ^= (uint8_t)(1 << b);
	same = tcsum(buf, N, 0) == whole;
	buf[x] ^= (uint8_t)(1 << b);
	buf[y] ^= (uint8_t)(1 << b);
	return same;
}

int
main(void)
{
	uint64_t seed = 0x1234567, whole, w;
	size_t i, bad;
	int b;

	for(i = 0; i < N; i++)
		buf[i] = (uint8_t)rnd(&seed);
	whole = tcsum(buf, N, 0);

	bad = 0;
	for(i = 0; i < 64; i++)
		bad += piecewise(i + 1, i < 32 ? 1 + i : 3 * TCBLOCK) != whole;
	is((long long)bad, 0, "64 ways of taking the sum a piece at a time: the sum taken at once");

	bad = 0;
	for(i = 0; i < N; i++){
		b = (int)(i % 8);
		buf[i] ^= (uint8_t)(1 << b);
		bad += tcsum(buf, N, 0) == whole;
		buf[i] ^= (uint8_t)(1 << b);
	}
	is((long long)bad, 0, "a bit flipped in any of %d bytes changes the sum", N);

	bad = 0;
	for(i = 0; i + 16 <= N; i += 16){
		memcpy(&w, buf + i, 8);
		memmove(buf + i, buf + i + 8, 8);
		memcpy(buf + i + 8, &w, 8);
		bad += tcsum(buf, N, 0) == whole;
		memcpy(&w, buf + i, 8);
		memmove(buf + i, buf + i + 8, 8);
		memcpy(buf + i + 8, &w, 8);
	}
	is((long long)bad, 0, "the two words of any 16 bytes swapped change the sum");

	bad = 0;
	for(i = 0; i + TCBLOCK <= N; i += TCBLOCK){
		uint8_t save[TCBLOCK];

		memcpy(save, buf + i, TCBLOCK);
		memset(buf + i, 0, TCBLOCK);
		bad += tcsum(buf, N, 0) == whole;
		memcpy(buf + i, save, TCBLOCK);
	}
	is((long long)bad, 0, "any block zeroed changes the sum");
	/* pairs of flips the lanes' linear steps could undo (red team,
	 * session 24): a bit of a lane's second word and the same bit of its
	 * first word a block later (120 bytes on); half of these kept the
	 * sum when the second word was added unspread */
	bad = 0;
	for(i = 0; i + 2 * TCBLOCK <= N; i += TCBLOCK)
		for(b = 0; b < 16 * TCLANES * 8; b++){
			size_t x = i + 16 * (size_t)(b / 64) + 8 + (size_t)(b % 64) / 8;

			bad += kept2(x, x + TCBLOCK - 8, b % 8, whole);
		}
	is((long long)bad, 0, "a bit of a lane's second word and the same bit of its next first word flipped change the sum");
	/* and the same bit of two lanes' last second words, which the lanes'
	 * combination xored together before its first multiply */
	bad = 0;
	for(b = 0; b < 64 * TCLANES * TCLANES; b++){
		size_t last = (N / TCBLOCK - 1) * TCBLOCK, l0 = (size_t)b / 64 % TCLANES, l1 = (size_t)b / 64 / TCLANES;
		size_t x = last + 16 * l0 + 8 + (size_t)(b % 64) / 8, y = last + 16 * l1 + 8 + (size_t)(b % 64) / 8;

		if(l0 != l1)
			bad += kept2(x, y, b % 8, whole);
	}
	is((long long)bad, 0, "the same bit of two lanes' last second words flipped changes the sum");
	ok(tcsum(buf, N, 1) != whole, "the seed changes the sum");
	return done_testing();
}
