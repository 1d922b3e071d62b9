/* fuzz_unpack.c — libFuzzer target for the 9P2000 codec.
 *
 * Whatever the bytes, unpack must not read outside them.  When it
 * accepts a message, packing the result must give back exactly the same
 * bytes: the strict codec accepts only canonical encodings.  Accepted
 * stats and directory data are also unpacked and repacked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "styx.h"

static void
die(const char *why)
{
	fprintf(stderr, "fuzz_unpack: %s\n", why);
	abort();
}

/* Every stat in a run of directory entries, each repacked identically. */
static void
dirs(const uint8_t *data, size_t n)
{
	uint8_t *copy, *p, out[65536+2];
	size_t left, m;
	StyxDir d;
	int r;

	copy = malloc(n ? n : 1);
	memcpy(copy, data, n);
	p = copy;
	left = n;
	while(left > 0){
		r = styx_unpackdir(p, left, &d);
		if(r < 0)
			break;
		m = styx_packdir(&d, out, sizeof out);
		if(m != (size_t)r || memcmp(out, data + (p - copy), m) != 0)
			die("stat repack differs");
		p += r;
		left -= r;
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	uint8_t *copy, *out;
	char line[512];
	Fcall f;
	size_t m;
	int r;

	copy = malloc(n ? n : 1);
	memcpy(copy, data, n);
	r = styx_unpack(copy, n, &f);
	if(r >= 0){
		if((size_t)r != n)
			die("unpack length");
		styx_fmtfcall(line, sizeof line, &f);
		if(styx_packsize(&f) != n)
			die("packsize differs");
		out = malloc(n);
		m = styx_pack(&f, out, n);
		if(m != n || memcmp(out, data, n) != 0)
			die("repack differs");
		free(out);
		if(f.type == Rread)
			dirs(f.data, f.count);
	}
	free(copy);
	if(styx_statcheck(data, n) == 0)
		dirs(data, n);
	return 0;
}
