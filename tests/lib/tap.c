/* tap.c — see tap.h.  Output is flushed per line so a crash keeps the
 * results already printed, and a line is written under stdout's lock:
 * a diag from another thread (a test's server) must not land inside an
 * "ok N - ..." line, or turn it into a comment. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"

static int ntest, nfail, planned = -1;

void
plan(int n)
{
	planned = n;
	if(n > 0)
		printf("1..%d\n", n);
	fflush(stdout);
}

static int
vok(int cond, const char *fmt, va_list ap)
{
	flockfile(stdout);
	ntest++;
	if(!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
	return cond;
}

int
ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

int
is(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vok(got == want, fmt, ap);
	va_end(ap);
	if(got != want)
		diag("  got %lld (0x%llx), want %lld (0x%llx)", got, got, want, want);
	return got == want;
}

int
isstr(const char *got, const char *want, const char *fmt, ...)
{
	int c = got && want ? strcmp(got, want) == 0 : got == want;
	va_list ap;
	va_start(ap, fmt);
	vok(c, fmt, ap);
	va_end(ap);
	if(!c)
		diag("  got '%s', want '%s'", got ? got : "(null)", want ? want : "(null)");
	return c;
}

void
diag(const char *fmt, ...)
{
	va_list ap;
	flockfile(stdout);
	fflush(stdout);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
}

void
skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

int
done_testing(void)
{
	if(planned <= 0)
		printf("1..%d\n", ntest);
	fflush(stdout);
	if(planned > 0 && ntest != planned)
		return 1;
	return nfail != 0;
}
