/*
 * setjmp.c — non-local jumps: _setjmp/_longjmp out of deep recursion, from
 * nested handlers, back into a loop many times, and through function
 * pointers.  glibc mangles the saved stack and return pointers with a
 * guard kept in the thread control block (%gs), so this also checks TLS.
 * _setjmp is used rather than setjmp so no signal mask is saved (that
 * would need rt_sigprocmask, which a test host need not serve).
 */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf top, inner;
static int depth_reached;

static void
dive(int n)
{
	volatile char pad[37];

	pad[n % 37] = 1;	/* a frame with a live array: no tail call */
	depth_reached = n;
	if (n == 1000)
		_longjmp(top, n);
	dive(n + 1);
}

static int
handler_chain(int level)
{
	jmp_buf save;
	volatile int caught = 0;

	if (level == 0)
		_longjmp(inner, 7);
	__builtin_memcpy(save, inner, sizeof save);
	int v = _setjmp(inner);
	if (v == 0)
		caught = handler_chain(level - 1);
	else
		caught = v;
	__builtin_memcpy(inner, save, sizeof save);
	if (level < 5)
		_longjmp(inner, caught + level);
	return caught + level;
}

static jmp_buf loopbuf;

static void
bounce(int i)
{
	_longjmp(loopbuf, i + 1);
}

int
main(void)
{
	volatile int r;

	r = _setjmp(top);
	if (r == 0) {
		dive(0);
		printf("not reached\n");
	}
	printf("dive returned %d depth %d\n", r, depth_reached);

	r = _setjmp(inner);
	if (r == 0)
		r = handler_chain(10);
	printf("chain %d\n", r);

	/* A loop made of longjmps: 100000 round trips. */
	volatile int i = 0;
	volatile unsigned sum = 0;
	int v = _setjmp(loopbuf);
	sum = sum * 31 + v;
	i = v;
	if (i < 100000)
		bounce(i);
	printf("loop %d sum %08x\n", i, sum);

	/* Registers and locals survive: volatile ones keep their last value. */
	volatile double d = 1.5;
	volatile long long ll = 1;
	jmp_buf b;
	if (_setjmp(b) < 3) {
		d *= 2;
		ll = ll * 10 + 1;
		static int again;
		_longjmp(b, ++again);
	}
	printf("d %g ll %lld\n", d, ll);

	/* longjmp with value 0 becomes 1. */
	jmp_buf z;
	volatile int zero_seen = 0;
	int zv = _setjmp(z);
	if (!zero_seen) {
		zero_seen = 1;
		_longjmp(z, 0);
	}
	printf("zero becomes %d\n", zv);

	/* The full setjmp/longjmp pair with __builtin variants. */
	void *bb[5];
	volatile int hits = 0;
	__builtin_setjmp(bb);
	hits++;
	if (hits < 5)
		__builtin_longjmp(bb, 1);
	printf("builtin hits %d\n", hits);
	return 0;
}
