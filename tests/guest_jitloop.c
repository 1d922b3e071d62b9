/* guest_jitloop ROUNDS — code it writes and runs: 256 Ki small
 * functions (mov $imm,%eax; ret) written into a buffer and each called
 * once, ROUNDS times with new immediates; each round fills about 25 MiB
 * of the code cache, so the cache is full and flushed again and again
 * (tests/vxinferno_perfmap.t). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { NFUNC = 256 << 10, FUNCLEN = 16 };

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, r, i;
	unsigned char *b, *p;
	unsigned s = 0, v;

	b = mmap(NULL, (size_t)NFUNC * FUNCLEN, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(b == MAP_FAILED)
		return 1;
	for(r = 0; r < rounds; r++){
		for(i = 0; i < NFUNC; i++){
			p = b + FUNCLEN * i;
			v = (unsigned)r * 7 + (unsigned)i;
			p[0] = 0xb8;	/* mov $v, %eax */
			memcpy(p + 1, &v, 4);
			p[5] = 0xc3;	/* ret */
		}
		for(i = 0; i < NFUNC; i++)
			s += ((unsigned (*)(void))(b + FUNCLEN * i))();
	}
	printf("sum %u\n", s);
	return 0;
}
