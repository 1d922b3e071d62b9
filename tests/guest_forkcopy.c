/*
 * guest_forkcopy.c — a fork's copy of written memory, whole 2 MiB
 * blocks of it among partial ones (libvx copies whole resident blocks
 * into huge pages, the rest a page at a time): the child sees every
 * word its parent wrote, in a writable region, a read-only one and one
 * made inaccessible; its writes and its child's stay theirs.  Prints
 * one line a fact; the same natively and in the sandbox.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MB = 1 << 20, PG = 4096, Len = 9 * MB + 3 * PG };

static uint32_t *rw, *ro, *none;

static void
fill(uint32_t *p, size_t len, uint32_t seed)
{
	for(size_t i = 0; i < len / 4; i++)
		p[i] = (uint32_t)i * 2654435761u ^ seed;
}

/* the first word that differs, or -1 */
static long
check(const uint32_t *p, size_t len, uint32_t seed)
{
	for(size_t i = 0; i < len / 4; i++)
		if(p[i] != ((uint32_t)i * 2654435761u ^ seed))
			return (long)i;
	return -1;
}

static int
waitok(pid_t pid)
{
	int st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int
main(void)
{
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* at an address that is no multiple of 2 MiB: blocks and pieces */
	rw = mmap(NULL, Len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, Len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, Len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(rw == MAP_FAILED || ro == MAP_FAILED || none == MAP_FAILED)
		return 2;
	fill(rw, Len, 1);
	fill(ro, Len, 2);
	fill(none, Len, 3);
	/* a page in the middle of rw made read-only cuts its run in three */
	if(mprotect(ro, Len, PROT_READ) < 0 || mprotect(none, Len, PROT_NONE) < 0
	|| mprotect((char *)rw + 4 * MB, PG, PROT_READ) < 0)
		return 2;
	pid = fork();
	if(pid == 0){
		long a = check(rw, Len, 1), b = check(ro, Len, 2), c;
		mprotect(none, Len, PROT_READ);
		c = check(none, Len, 3);
		printf("child sees the parent's words: %ld %ld %ld\n", a, b, c);
		mprotect((char *)rw + 4 * MB, PG, PROT_READ | PROT_WRITE);
		fill(rw, Len, 4);
		pid = fork();
		if(pid == 0){
			printf("grandchild sees the child's words: %ld\n", check(rw, Len, 4));
			fill(rw, Len, 5);
			_exit(0);
		}
		if(!waitok(pid))
			printf("grandchild failed\n");
		printf("child's words after the grandchild wrote its own: %ld\n", check(rw, Len, 4));
		_exit(0);
	}
	if(pid < 0 || !waitok(pid))
		printf("child failed\n");
	mprotect(none, Len, PROT_READ);
	printf("parent's words after the child wrote its own: %ld %ld %ld\n",
		check(rw, Len, 1), check(ro, Len, 2), check(none, Len, 3));
	return 0;
}
