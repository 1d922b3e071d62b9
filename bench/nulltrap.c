/*
 * nulltrap.c — benchmark: the cost of one system call round trip.  Calls
 * getpid (Linux i386 number 20) N times through int $0x80 (default one
 * million, or argv[1]) and prints nanoseconds per call, timed with
 * clock_gettime.  Natively this is the kernel's trap path; in the sandbox
 * it is guest -> runtime -> system-call handler -> guest, whatever the
 * handler answers.  The time printed varies by nature; the first line
 * does not.  Built for x86-64 (bench/run.sh does, where the host runs no
 * i386 code) it makes the same call through the syscall instruction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	struct timespec t0, t1;

	if(n <= 0)
		n = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for(long i = 0; i < n; i++){
		int r;
#ifdef __x86_64__
		/* the x86-64 build (bench/run.sh's base where the host runs no
		 * i386 code): getpid through the 64-bit syscall instruction */
		__asm__ volatile("syscall" : "=a"(r) : "0"(39) : "rcx", "r11", "memory");
#else
		__asm__ volatile("int $0x80" : "=a"(r) : "0"(20) : "memory");
#endif
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("nulltrap %ld calls\n", n);
	printf("ns/call %.1f\n", ns / n);
	return 0;
}
