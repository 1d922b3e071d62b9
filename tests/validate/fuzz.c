/*
 * fuzz.c — random and mutated code for libvx/validate.c, built alone with
 * ASan/UBSan by tests/validate.t.  Inputs end where an inaccessible page
 * begins, so a read past len faults; accepted code with a jump-table
 * slice's load is checked against an oracle of rule 8's third lookup.
 * Usage: fuzz N [seed]
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
	/* jump-table slices (slices at 0x40800 and 0x40c00): movzbl, slot
	   loads of each slice, one off a slice, the spill, the target into
	   ecx, whole lookups */
	P("\x44\x0f\xb6\xc1"), P("\x44\x0f\xb6\xc6"), P("\x47\x8b\x84\x87\x00\x08\x04\x00"),
	P("\x47\x8b\x84\x87\x00\x0c\x04\x00"), P("\x47\x8b\x84\x87\x04\x08\x04\x00"),
	P("\x41\x89\x8f\x38\x00\x00\x00"), P("\x8b\xcb"),
	P("\x44\x0f\xb6\xc1\x47\x8b\x84\x87\x00\x08\x04\x00\x41\x89\x8f\x38\x00\x00\x00\x8b\xcb\x41\xff\xe0"),
	P("\x44\x0f\xb6\xc3\x47\x8b\x84\x87\x00\x0c\x04\x00\x41\x89\x8f\x38\x00\x00\x00\x8b\xc8\x41\xff\xe0"),
};

enum { JT = 0x40800, NJT = 2 };

/* An oracle apart from the validator's state machine, on accepted code
 * decoded linearly: a jmp *%r8 right after a load of a slice's slot
 * comes after exactly movzbl %?l,%r8d; the load; the spill of ecx;
 * mov %?,%ecx (rule 8's third lookup); every load of a slot right after
 * that movzbl, its displacement a slice's start.  0 when it holds. */
static int
jtoracle(const uint8_t *c, int len)
{
	int at[256], n = 0, o = 0, k, i;
	uint32_t d;

	while(o < len && n < 256){
		k = vx_validlen(c + o, (size_t)(len - o));
		if(k <= 0)
			return 0;	/* the validator accepted it: cannot happen */
		at[n++] = o;
		o += k;
	}
	for(i = 0; i < n; i++){
		const uint8_t *p = c + at[i];
		int l = (i + 1 < n ? at[i + 1] : len) - at[i];

		if(l == 8 && memcmp(p, "\x47\x8b\x84\x87", 4) == 0){
			memcpy(&d, p + 4, 4);
			if(d == 0x800)
				continue;	/* the indirect table's */
			if(d < JT || d >= JT + 1024 * NJT || (d - JT) % 1024 != 0)
				return 1;
			if(i == 0 || at[i] - at[i - 1] != 4 || memcmp(c + at[i - 1], "\x44\x0f\xb6", 3) != 0 || (c[at[i - 1] + 3] & 0xf8) != 0xc0)
				return 2;
			if(i + 3 < n && at[i + 3] + 3 <= len && memcmp(c + at[i + 3], "\x41\xff\xe0", 3) == 0
			&& (at[i + 2] - at[i + 1] != 7 || memcmp(c + at[i + 1], "\x41\x89\x8f", 3) != 0
			  || at[i + 3] - at[i + 2] != 2 || c[at[i + 2]] != 0x8b || (c[at[i + 2] + 1] & 0xf8) != 0xc8))
				return 3;
			if(i + 1 < n && at[i + 1] + 3 <= len && memcmp(c + at[i + 1], "\x41\xff\xe0", 3) == 0)
				return 4;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const uint64_t stubs[] = { 0x30000000 };
	VxValid v = { 0x10000000, 0x20000000, stubs, 1, 0x40800, 0x400, 0x100, 0x800, 0x2c, 0x70 };
	uint8_t *pg, *end, buf[256];
	char err[128];
	long n, i, acc, accjt;
	int len, k, m, why;
	size_t pl;

	v.statesize = JT + 1024 * NJT;
	v.jtable = JT;
	v.njt = NJT;
	n = argc > 1 ? atol(argv[1]) : 1000000;
	rs = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x2545f4914f6cdd1dull;
	if(rs == 0)
		rs = 1;
	pg = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(pg == MAP_FAILED || mprotect(pg + 4096, 4096, PROT_NONE) != 0)
		return 2;
	end = pg + 4096;
	acc = accjt = 0;
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
		if(vx_validate(end - len, len, 0x10001000, &v, err, sizeof err) == 0){
			acc++;
			if((why = jtoracle(end - len, len)) != 0){
				printf("accepted but not a slice lookup as rule 8 has it (%d):", why);
				for(k = 0; k < len; k++)
					printf(" %02x", buf[k]);
				printf("\n");
				return 1;
			}
			accjt += memmem(buf, (size_t)len, "\x47\x8b\x84\x87\x00\x08\x04\x00", 8) != NULL
				|| memmem(buf, (size_t)len, "\x47\x8b\x84\x87\x00\x0c\x04\x00", 8) != NULL;
		}else if(strncmp(err, "offset 0x", 9) != 0){
			printf("bad reason: %s\n", err);
			return 1;
		}
	}
	printf("%ld inputs, %ld accepted (%ld with a slice's load)\n", n, acc, accjt);
	return 0;
}
