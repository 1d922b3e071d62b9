/*
 * fib.c — benchmark: naive recursive Fibonacci, fib(35) computed REPS
 * times, about 30 million calls and returns each.  Measures call/return
 * cost: a translator that looks up every return address in a hash table
 * is slow here.  GCC would turn one of the two calls into a loop (an
 * accumulator tail call); the attribute keeps both as real calls.
 */
#include <stdio.h>
#include <stdlib.h>

enum { REPS = 8 };

__attribute__((noinline, optimize("no-optimize-sibling-calls"))) static unsigned
fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int
main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 35, sum = 0;

	for(int i = 0; i < REPS; i++)
		sum += fib(n) ^ i;
	printf("fib(%u) x %d %u\n", n, REPS, sum);
	return 0;
}
