/* guest_tcache — built twice by tests/vxinferno_tcache.t with another
 * ANSWER: the same file size and first page (the persistent cache's key)
 * and the same addresses, only answer()'s immediate differs, so a cached
 * translation of the first build must not run for the second. */
#include <stdio.h>

#ifndef ANSWER
#define ANSWER 1
#endif

__attribute__((noinline)) static int
answer(int x)
{
	return x * 3 + ANSWER;
}

int
main(void)
{
	int i, s = 0;

	for(i = 0; i < 1000; i++)
		s += answer(i);
	printf("answer %d\n", s);
	return 0;
}
