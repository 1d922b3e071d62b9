/*
 * fuzz.c — random and mutated code for libvx/validate.c, built alone with
 * ASan/UBSan by tests/validate.t.  Inputs end where an inaccessible page
 * begins, so a read past len faults.  Usage: fuzz N [seed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vxpriv.h"

static uint64_t rs;

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs >> 16;
}

/* Pieces the engine emits: mutating sequences of them reaches the
   rule 3/4 state machine and the branch pass, not just the decoder. */
#define P(s) { s, sizeof s - 1 }
static const struct { const char *b; size_t n; } pieces[] = {
	P("\x65\x67\x8b\x03"), P("\x41\x8b\x47\x10"), P("\x89\xf6\x49\x8d\x34\x36"),
	P("\x89\xff\x49\x8d\x3c\x3e"), P("\xa4"), P("\xf3\xab"), P("\x89\xf6"), P("\x89\xff"),
	P("\x49\x8d\xa7\x00\x05\x00\x00"), P("\x9c"), P("\x41\x58"), P("\x50"), P("\x58"),
	P("\x74\x02"), P("\xeb\xfe"), P("\xe9\x00\x00\x00\x00"), P("\x0f\x0b"),
	P("\x65\x67\xd7"), P("\xc4\xe2\x70\xf2\xc2"), P("\x62\xf1\x7c\x48\x28\xc1"),
	P("\x4d\x8d\x4f\x10"), P("\x90"), P("\x67\xe2\xfd"),
	P("\x44\x0f\xb7\xc1"), P("\x47\x8b\x84\x87\x00\x08\x00\x00"), P("\x41\xff\xe0"),
	P("\x44\x0f\xb7\xc1\x47\x8b\x84\x87\x00\x08\x00\x00\x41\xff\xe0"),
};

int
main(int argc, char **argv)
{
	static const uint64_t stubs[] = { 0x30000000 };
	VxValid v = { 0x10000000, 0x20000000, stubs, 1, 0x40800, 0x400, 0x100, 0x800, 0x2c, 0x70 };
	uint8_t *pg, *end, buf[256];
	char err[128];
	long n, i, acc;
	int len, k, m;
	size_t pl;

	n = argc > 1 ? atol(argv[1]) : 1000000;
	rs = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x2545f4914f6cdd1dull;
	if(rs == 0)
		rs = 1;
	pg = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(pg == MAP_FAILED || mprotect(pg + 4096, 4096, PROT_NONE) != 0)
		return 2;
	end = pg + 4096;
	acc = 0;
	for(i = 0; i < n; i++){
		len = 0;
		if(i % 3 == 0){
			len = rnd() % 64 + 1;
			for(k = 0; k < len; k++)
				buf[k] = rnd();
		}else{
			for(m = rnd() % 12 + 1; m > 0; m--){
				k = rnd() % (sizeof pieces / sizeof pieces[0]);
				pl = pieces[k].n;
				if(len + (int)pl > (int)sizeof buf)
					break;
				memcpy(buf + len, pieces[k].b, pl);
				len += pl;
			}
			if(i % 3 == 2)
				for(k = rnd() % 3 + 1; k > 0; k--)
					buf[rnd() % len] ^= 1 << (rnd() % 8);
		}
		memcpy(end - len, buf, len);
		if(vx_validate(end - len, len, 0x10001000, &v, err, sizeof err) == 0)
			acc++;
		else if(strncmp(err, "offset 0x", 9) != 0){
			printf("bad reason: %s\n", err);
			return 1;
		}
	}
	printf("%ld inputs, %ld accepted\n", n, acc);
	return 0;
}
