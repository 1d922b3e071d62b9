/*
 * speed.c — what vx_validate costs, on synthetic fragments shaped like the
 * long engine's output (guest loads/stores through %gs with addr32,
 * register arithmetic, state-block accesses, in-fragment and stub
 * branches, rebased string instructions, scratch-stack sequences, SSE).
 * Not a test: doc/validator.md quotes its figures (CPU time, so a busy
 * machine inflates them less).  Build and run:
 *   cc -O2 -D_GNU_SOURCE -Iinclude -Ilibvx tests/validate/speed.c libvx/validate.c -o /tmp/vspeed && /tmp/vspeed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vxpriv.h"

#define P(s) { s, sizeof s - 1 }
static const struct { const char *b; int n; } pieces[] = {
	P("\x65\x67\x8b\x03"), P("\x65\x67\x89\x44\x24\x04"), P("\x65\x67\x8b\x04\x8d\x00\x10\x00\x00"),
	P("\x01\xd8"), P("\x29\xc8"), P("\x83\xc0\x01"), P("\x85\xc0"), P("\x89\xc3"), P("\x8d\x04\x03"),
	P("\x41\x8b\x47\x10"), P("\x41\x89\x47\x14"), P("\x65\x67\x66\x0f\x6f\x03"), P("\x66\x0f\xef\xc1"),
	P("\x65\x67\xf0\x0f\xb1\x0b"), P("\xc1\xe0\x04"), P("\x0f\xaf\xc1"), P("\x65\x67\x0f\xb6\x03"),
	P("\x89\xf6\x49\x8d\x34\x36\x89\xff\x49\x8d\x3c\x3e\xf3\xa4\x89\xf6\x89\xff"),
	P("\x49\x8d\xa7\x00\x05\x00\x00\x9c\x41\x58\x41\x8b\x67\x10"),
	P("\x45\x8b\x87\x00\x08\x00\x00"), P("\x65\x67\xd9\x03"),
};

int
main(void)
{
	static const uint64_t stubs[] = { 0x30000000, 0x30000040 };
	VxValid v = { 0x10000000, 0x20000000, stubs, 2, 0x40800, 0x400, 0x100 };
	enum { NFRAG = 4096, MAXF = 512, REP = 50 };
	static uint8_t code[NFRAG][MAXF];
	static int len[NFRAG], ninsn[NFRAG];
	struct timespec t0, t1;
	long bytes, insns, r, i;
	double ns;
	int n, k, want, j;
	char err[128];
	int32_t rel;

	srand(1);
	bytes = insns = 0;
	for(i = 0; i < NFRAG; i++){
		want = 40 + rand() % 360;
		n = 0;
		ninsn[i] = 0;
		while(n < want){
			if(rand() % 8 == 0 && n + 2 + 5 < MAXF){
				/* a jcc over the next piece-free 0 bytes: to the next insn */
				code[i][n++] = 0x74;
				code[i][n++] = 0x00;
				ninsn[i]++;
				continue;
			}
			k = rand() % (sizeof pieces / sizeof pieces[0]);
			if(n + pieces[k].n + 5 > MAXF)
				break;
			memcpy(code[i] + n, pieces[k].b, pieces[k].n);
			n += pieces[k].n;
			ninsn[i] += pieces[k].n > 12 ? 6 : 1;
		}
		code[i][n] = 0xe9;	/* jmp to stub 0 */
		rel = (int32_t)(stubs[0] - (0x10001000 + n + 5));
		memcpy(code[i] + n + 1, &rel, 4);
		len[i] = n + 5;
		ninsn[i]++;
		if(vx_validate(code[i], len[i], 0x10001000, &v, err, sizeof err) != 0){
			fprintf(stderr, "fragment %ld rejected: %s\n", i, err);
			return 1;
		}
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for(r = 0; r < REP; r++)
		for(i = 0; i < NFRAG; i++){
			j = vx_validate(code[i], len[i], 0x10001000, &v, err, sizeof err);
			if(j != 0)
				return 1;
			bytes += len[i];
			insns += ninsn[i];
		}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%ld fragments, %.0f bytes and %.0f instructions each on average: %.2f ns/byte, %.1f ns/instruction, %.0f ns/fragment\n",
		(long)NFRAG * REP, (double)bytes / (NFRAG * REP), (double)insns / (NFRAG * REP),
		ns / bytes, ns / insns, ns / (NFRAG * REP));
	return 0;
}
