/*
 * guest_htcoll — indirect calls to targets whose addresses share their
 * low 16 bits (the long engine's indirect table is indexed by them; a
 * second-chance table keeps both, libvx/amd64/blob64.S, vxlblob_miss):
 * three functions 64 KiB apart called in turn through a pointer, then
 * the third rewritten in place (its fragment dies while the tables
 * still name it) and called again.  Prints the sums; vxinferno_htcoll.t
 * compares them with the native run's and counts the exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/mman.h>

int fa(int x);
int fb(int x);
int fc(int x);
/* each 8 bytes: movl 4(%esp), %eax; addl $k, %eax; ret */
__asm__(".text\n.p2align 16\n"
	".globl fa\nfa: movl 4(%esp), %eax\n addl $1, %eax\n ret\n.skip 65536-8\n"
	".globl fb\nfb: movl 4(%esp), %eax\n addl $2, %eax\n ret\n.skip 65536-8\n"
	".globl fc\nfc: movl 4(%esp), %eax\n addl $3, %eax\n ret\n.skip 4096\n");

static int
run(int (*volatile *fp)(int), int nf, long n)
{
	int s = 0;
	long i;

	for(i = 0; i < n; i++)
		s = fp[i % nf](s) * 3 + (int)i;
	return s;
}

int
main(int argc, char **argv)
{
	int (*volatile fp[3])(int) = {fa, fb, fc};
	long n = argc > 1 ? atol(argv[1]) : 100000;
	uintptr_t pg = (uintptr_t)fc & ~(uintptr_t)4095;

	printf("low 16 bits %x %x %x\n", (unsigned)(uintptr_t)fa & 0xffff,
		(unsigned)(uintptr_t)fb & 0xffff, (unsigned)(uintptr_t)fc & 0xffff);
	printf("two: %d\n", run(fp, 2, n));
	printf("three: %d\n", run(fp, 3, n));
	if(mprotect((void *)pg, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0){
		perror("mprotect");
		return 1;
	}
	((volatile uint8_t *)fc)[6] = 7;	/* addl $3 -> addl $7 */
	printf("rewritten: %d\n", run(fp, 3, n));
	return 0;
}
