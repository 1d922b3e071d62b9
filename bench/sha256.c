/*
 * sha256.c — benchmark: SHA-256 (FIPS 180-4) written out here, over 64 MiB
 * of pseudo-random data made in memory.  Register-heavy rotates and adds
 * with few loads: a good measure of straight-line translated code.
 * Prints the digest of "abc" (a known answer) and of the data.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIZE = 64 << 20 };

typedef struct {
	uint32_t h[8];
	uint64_t len;
	unsigned char blk[64];
	size_t fill;
} Sha256;

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t
ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static void
compress(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;

	for(int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
	for(int i = 16; i < 64; i++){
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3;
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10;
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for(int i = 0; i < 64; i++){
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void
sha_init(Sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->fill = 0;
}

static void
sha_update(Sha256 *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while(n > 0){
		if(s->fill == 0 && n >= 64){
			compress(s->h, p);
			p += 64;
			n -= 64;
			continue;
		}
		size_t k = 64 - s->fill < n ? 64 - s->fill : n;
		memcpy(s->blk + s->fill, p, k);
		s->fill += k;
		p += k;
		n -= k;
		if(s->fill == 64){
			compress(s->h, s->blk);
			s->fill = 0;
		}
	}
}

static void
sha_final(Sha256 *s, char hex[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;

	for(int i = 0; i < 8; i++)
		pad[padlen + i] = bits >> (56 - 8 * i);
	sha_update(s, pad, padlen + 8);
	for(int i = 0; i < 8; i++)
		sprintf(hex + 8 * i, "%08x", s->h[i]);
}

int
main(void)
{
	Sha256 s;
	char hex[65];
	unsigned char *buf = malloc(SIZE);
	uint32_t x = 88172645u;

	if(buf == NULL){
		fprintf(stderr, "sha256: out of memory\n");
		return 1;
	}
	sha_init(&s);
	sha_update(&s, (const unsigned char *)"abc", 3);
	sha_final(&s, hex);
	printf("sha256(abc) %s\n", hex);
	for(size_t i = 0; i < SIZE; i++){
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x >> 11;
	}
	sha_init(&s);
	sha_update(&s, buf, SIZE);
	sha_final(&s, hex);
	printf("sha256(64 MiB) %s\n", hex);
	return 0;
}
