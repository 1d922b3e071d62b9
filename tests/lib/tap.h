/* tap.h — a tiny TAP producer for the C tests. */
#ifndef TAP_H
#define TAP_H
void plan(int n);			/* 1..n; plan(0) means "done_testing" at exit */
int ok(int cond, const char *fmt, ...);	/* ok N - name, or not ok; returns cond */
int is(long long got, long long want, const char *fmt, ...);
int isstr(const char *got, const char *want, const char *fmt, ...);
void diag(const char *fmt, ...);
void skip_all(const char *why);
int done_testing(void);			/* prints the plan if none; exit status */
#endif
