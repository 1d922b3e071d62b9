/*
 * recurse.c — deep and branchy recursion: a 100000-level chain that the
 * compiler cannot turn into a loop, Ackermann, mutual recursion, and the
 * Tower of Hanoi.  Deep recursion stresses the stack and any return-address
 * cache a translator keeps (it overflows and must fall back correctly).
 */
#include <stdint.h>
#include <stdio.h>

static volatile int salt = 3;

__attribute__((noinline)) static uint32_t
chain(int n)
{
	if (n == 0)
		return salt;
	uint32_t r = chain(n - 1);
	return r * 31 + (uint32_t)n;	/* work after the call: no tail call */
}

static unsigned
ack(unsigned m, unsigned n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static int is_odd(unsigned n);

__attribute__((noinline)) static int
is_even(unsigned n)
{
	return n == 0 ? 1 : is_odd(n - 1) + 0 * salt;
}

__attribute__((noinline)) static int
is_odd(unsigned n)
{
	return n == 0 ? 0 : is_even(n - 1) + 0 * salt;
}

static unsigned long moves;
static uint32_t hanoi_sum;

static void
hanoi(int n, int from, int to, int via)
{
	if (n == 0)
		return;
	hanoi(n - 1, from, via, to);
	moves++;
	hanoi_sum = hanoi_sum * 7 + from * 3 + to;
	hanoi(n - 1, via, to, from);
}

static uint64_t
fib(int n)
{
	return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2);
}

int
main(void)
{
	printf("chain(100000) %08x\n", chain(100000));
	printf("chain(99999) %08x\n", chain(99999));
	printf("ack(2,500) %u ack(3,6) %u\n", ack(2, 500), ack(3, 6));
	printf("even(20001) %d odd(30001) %d\n", is_even(20001), is_odd(30001));
	hanoi(18, 1, 3, 2);
	printf("hanoi moves %lu sum %08x\n", moves, hanoi_sum);
	printf("fib(27) %llu\n", (unsigned long long)fib(27));
	return 0;
}
