/*
 * guest_timerdrop.c — a POSIX timer's signal still pending when the
 * timer is set again, disarmed or deleted: Linux 6.14 and later drop it
 * (the timer's it_signal_seq moved on), earlier kernels delivered it.
 * qemu-user takes every host signal at once and queues it itself, so it
 * cannot be the reference: tests/vxinferno_timers.t builds this for the
 * host too and compares with the host kernel's answers.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
pending(int sig)
{
	sigset_t p;

	sigpending(&p);
	return sigismember(&p, sig);
}

/* sig taken at once: its si_code (-99: none) */
static int
take(int sig, int *overrun)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, sig);
	memset(&si, 0, sizeof si);
	if(sigtimedwait(&m, &si, &zero) != sig)
		return -99;
	if(overrun != NULL)
		*overrun = si.si_overrun;
	return si.si_code;
}

/* Until sig is pending (10 s at most): the timer thread of vxinferno
 * may be late on a loaded host, past a fixed 30 ms pause. */
static void
untilpending(int sig)
{
	int i;

	for(i = 0; i < 10000 && !pending(sig); i++)
		usleep(1000);
}

/* Until the one-shot timer tm has expired, its value 0 (10 s at most):
 * its signal may be pending already, so sigpending cannot tell. */
static void
untilexpired(timer_t tm)
{
	struct itimerspec its;
	int i;

	for(i = 0; i < 10000; i++){
		if(timer_gettime(tm, &its) < 0 || (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0))
			return;
		usleep(1000);
	}
}

static timer_t
mktimer(int sig)
{
	struct sigevent sev;
	timer_t tm;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	timer_create(CLOCK_MONOTONIC, &sev, &tm);
	return tm;
}

static void
arm(timer_t tm, long long ns, long long intns)
{
	struct itimerspec its;

	its.it_value.tv_sec = ns / 1000000000;
	its.it_value.tv_nsec = ns % 1000000000;
	its.it_interval.tv_sec = intns / 1000000000;
	its.it_interval.tv_nsec = intns % 1000000000;
	timer_settime(tm, 0, &its, NULL);
}

int
main(void)
{
	static const char *how[] = { "set again", "disarmed", "deleted" };
	int sig, i, p0, code, ov;
	sigset_t m;
	timer_t tm;

	setvbuf(stdout, NULL, _IONBF, 0);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &m, NULL);
	for(sig = SIGUSR1; sig != 0; sig = sig == SIGUSR1 ? SIGRTMIN : 0)
		for(i = 0; i < 3; i++){
			tm = mktimer(sig);
			arm(tm, 1000000, 0);
			untilexpired(tm);
			p0 = pending(sig);
			if(i == 0)
				arm(tm, 100000000000LL, 0);
			else if(i == 1)
				arm(tm, 0, 0);
			else
				timer_delete(tm);
			code = take(sig, NULL);
			printf("%s, its signal pending %d, timer %s: taken %d, pending after %d\n",
				sig == SIGUSR1 ? "SIGUSR1" : "SIGRTMIN", p0, how[i], code != -99, pending(sig));
			if(i < 2)
				timer_delete(tm);
		}

	tm = mktimer(SIGUSR1);
	arm(tm, 1000000, 0);
	untilexpired(tm);
	arm(tm, 1000000, 0);
	untilexpired(tm);
	code = take(SIGUSR1, &ov);
	printf("set again, expired again: taken %d, SI_TIMER %d, overrun %d\n", code != -99, code == SI_TIMER, ov);

	arm(tm, 1000000, 0);
	untilexpired(tm);
	kill(getpid(), SIGUSR1);	/* pending already: Linux drops the kill */
	arm(tm, 100000000000LL, 0);
	printf("pending, then a kill, then set again: taken %d\n", take(SIGUSR1, NULL) != -99);

	kill(getpid(), SIGUSR1);
	arm(tm, 1000000, 0);
	untilexpired(tm);
	arm(tm, 100000000000LL, 0);
	code = take(SIGUSR1, NULL);
	printf("a kill pending, the timer expires, set again: the kill's taken %d (SI_USER %d), again %d\n",
		code != -99, code == SI_USER, take(SIGUSR1, NULL) != -99);

	arm(tm, 1000000, 5000000);
	untilpending(SIGUSR1);
	arm(tm, 50000000, 50000000);
	code = take(SIGUSR1, NULL);
	untilpending(SIGUSR1);
	printf("an interval timer pending, set to another interval: taken at once %d, later %d\n",
		code != -99, take(SIGUSR1, &ov) != -99);
	timer_delete(tm);
	return 0;
}
