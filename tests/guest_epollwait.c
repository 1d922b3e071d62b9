/*
 * guest_epollwait.c — epoll beside a waiting thread and over many fds,
 * run natively (or under qemu-i386) and under vxinferno by
 * tests/vxinferno_epoll.t; the outputs must match:
 *
 * - an fd added to an epoll (or an entry modified to a mask now ready)
 *   by one thread while another waits in epoll_wait on it, or on an
 *   epoll holding it, or in poll on it: the waiter is woken, as Linux's;
 * - a wait over nested epolls that name more fds than one poll takes
 *   (4,320 entries of ten epolls, the same 480 fds nine times, one
 *   more fd ready last) reports that last one;
 * - epoll_wait with maxevents 10,000 (Redis asks for its setsize) and
 *   an interest list of every fd a process may hold;
 * - an interest list of 800 fds churned: DEL of some, MOD of others,
 *   fds closed (dropped from the list) and their numbers opened again
 *   and added, the whole list deleted and added again: the wait then
 *   reports exactly the entries left (epoll_ctl's fd index, sysmore.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long long
nowms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

typedef struct Waiter Waiter;
struct Waiter {
	int fd;			/* epoll fd, or the fd to poll */
	int usepoll;
	volatile int n;		/* what the wait returned */
	volatile long long ms;	/* and when, from its start */
	volatile int started;
	pthread_t th;
};

static void *
waiter(void *arg)
{
	Waiter *w = arg;
	struct epoll_event ev[4];
	struct pollfd pf;
	long long t0;

	t0 = nowms();
	w->started = 1;
	if(w->usepoll){
		pf = (struct pollfd){ w->fd, POLLIN, 0 };
		w->n = poll(&pf, 1, 4000);
	}else
		w->n = epoll_wait(w->fd, ev, 4, 4000);
	w->ms = nowms() - t0;
	return NULL;
}

static void
startwait(Waiter *w, int fd, int usepoll)
{
	memset(w, 0, sizeof *w);
	w->fd = fd;
	w->usepoll = usepoll;
	pthread_create(&w->th, NULL, waiter, w);
	while(!w->started)
		usleep(1000);
	usleep(100000);	/* let it be in the wait */
}

static void
endwait(Waiter *w, const char *what)
{
	pthread_join(w->th, NULL);
	printf("%s: the waiter got %d, at once %d\n", what, w->n, w->ms < 2000);
}

/* A pipe with a byte in it: its read end. */
static int
readypipe(void)
{
	int p[2];

	if(pipe(p) < 0)
		return -1;
	(void)!write(p[1], "x", 1);
	return p[0];
}

static void
ctlwhilewaiting(void)
{
	struct epoll_event ev;
	Waiter w;
	int ep, in, r;

	ep = epoll_create1(0);
	r = readypipe();
	startwait(&w, ep, 0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 1 };
	epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev);
	endwait(&w, "EPOLL_CTL_ADD of a ready fd during epoll_wait");

	r = readypipe();
	ev = (struct epoll_event){ .events = EPOLLOUT, .data.u32 = 2 };
	epoll_ctl(ep, EPOLL_CTL_DEL, r - 0, NULL);
	epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev);	/* a read end: never writable */
	{
		struct epoll_event out[4];
		int i, n = epoll_wait(ep, out, 4, 0);
		for(i = 0; i < n; i++)
			if(out[i].data.u32 == 1)
				epoll_ctl(ep, EPOLL_CTL_DEL, w.fd, NULL);
	}
	close(ep);
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev);
	startwait(&w, ep, 0);
	ev.events = EPOLLIN;
	epoll_ctl(ep, EPOLL_CTL_MOD, r, &ev);
	endwait(&w, "EPOLL_CTL_MOD to a ready mask during epoll_wait");
	close(ep);

	ep = epoll_create1(0);
	in = epoll_create1(0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 3 };
	epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev);
	startwait(&w, ep, 0);
	epoll_ctl(in, EPOLL_CTL_ADD, readypipe(), &ev);
	endwait(&w, "EPOLL_CTL_ADD to an epoll nested in the one waited on");

	ep = epoll_create1(0);
	startwait(&w, ep, 1);
	epoll_ctl(ep, EPOLL_CTL_ADD, readypipe(), &ev);
	endwait(&w, "EPOLL_CTL_ADD to an epoll another thread polls");

	/* a DEL during the wait does not end it */
	ep = epoll_create1(0);
	{
		int p[2];
		(void)!pipe(p);
		epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
		startwait(&w, ep, 0);
		epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
		usleep(100000);
		printf("EPOLL_CTL_DEL during epoll_wait: the waiter still waits %d\n", w.n == 0 && w.ms == 0);
		epoll_ctl(ep, EPOLL_CTL_ADD, readypipe(), &ev);
		endwait(&w, "then an ADD of a ready fd");
	}
}

static void
fanin(void)
{
	enum { NPIPE = 480, NIN = 9 };
	static struct epoll_event out[10000];
	struct epoll_event ev;
	int rd[NPIPE], wr[NPIPE], in[NIN], ep, last, i, j, n, p[2], ok;

	for(i = 0; i < NPIPE; i++){
		if(pipe(p) < 0){
			printf("pipe %d: %s\n", i, strerror(errno));
			return;
		}
		rd[i] = p[0];
		wr[i] = p[1];
	}
	ep = epoll_create1(0);
	ok = 1;
	for(j = 0; j < NIN; j++){
		in[j] = epoll_create1(0);
		for(i = 0; i < NPIPE; i++){
			ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = i };
			ok &= epoll_ctl(in[j], EPOLL_CTL_ADD, rd[i], &ev) == 0;
		}
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 1000 + j };
		ok &= epoll_ctl(ep, EPOLL_CTL_ADD, in[j], &ev) == 0;
	}
	last = epoll_create1(0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 7 };
	ok &= epoll_ctl(last, EPOLL_CTL_ADD, readypipe(), &ev) == 0;
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 2000 };
	ok &= epoll_ctl(ep, EPOLL_CTL_ADD, last, &ev) == 0;
	printf("ten epolls under one, 4,321 entries: made %d\n", ok);
	n = epoll_wait(ep, out, 10000, 1000);
	printf("a wait on them: %d ready, the last epoll's: %d\n", n, n == 1 && out[0].data.u32 == 2000);
	(void)!write(wr[NPIPE - 1], "y", 1);
	n = epoll_wait(ep, out, 10000, 1000);
	printf("one of the 480 made ready: %d ready\n", n);

	/* every fd the process may hold in one list, all writable */
	close(ep);
	ep = epoll_create1(0);
	ok = 1;
	for(i = 0; i < NPIPE; i++){
		ev = (struct epoll_event){ .events = EPOLLOUT, .data.u32 = i };
		ok &= epoll_ctl(ep, EPOLL_CTL_ADD, wr[i], &ev) == 0;
		ev.data.u32 = 10000 + i;
		ok &= epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &ev) == 0;
	}
	n = epoll_wait(ep, out, 10000, 0);
	printf("960 entries, maxevents 10000: %d %s\n", n, n < 0 ? strerror(errno) : "");
	n = epoll_wait(ep, out, 100, 0);
	printf("the same, maxevents 100: %d\n", n);
	n = epoll_wait(ep, out, 0, 0);
	printf("maxevents 0: %d %s\n", n, n < 0 ? strerror(errno) : "");
}

/* What a wait reports, order aside: count and a sum over data and events. */
static void
report(int ep, const char *what)
{
	static struct epoll_event out[2048];
	unsigned long long sum;
	int i, n;

	n = epoll_wait(ep, out, 2048, 0);
	sum = 0;
	for(i = 0; i < n; i++)
		sum += out[i].data.u64 * 131 + out[i].events;
	printf("%s: %d ready, sum %llu\n", what, n, sum);
}

static void
churn(void)
{
	enum { NP = 400, ROUNDS = 20 };
	struct epoll_event ev;
	int rd[NP], wr[NP], p[2], ep, i, r, bad, e[4];

	ep = epoll_create1(0);
	bad = 0;
	for(i = 0; i < NP; i++){
		if(pipe(p) < 0){
			printf("pipe %d: %s\n", i, strerror(errno));
			return;
		}
		rd[i] = p[0];
		wr[i] = p[1];
		if(i % 2)
			(void)!write(wr[i], "z", 1);
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = i };
		bad += epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &ev) != 0;
		ev = (struct epoll_event){ .events = EPOLLOUT, .data.u64 = 1000 + i };
		bad += epoll_ctl(ep, EPOLL_CTL_ADD, wr[i], &ev) != 0;
	}
	printf("churn: 800 added, failed %d\n", bad);
	report(ep, "churn: all");
	memset(e, 0, sizeof e);
	for(i = 0; i < NP; i += 3)
		e[0] += epoll_ctl(ep, EPOLL_CTL_DEL, rd[i], NULL) != 0;
	for(i = 0; i < NP; i += 3)
		e[1] += epoll_ctl(ep, EPOLL_CTL_DEL, rd[i], NULL) == -1 && errno == ENOENT;
	for(i = 1; i < NP; i += 5){
		ev = (struct epoll_event){ .events = EPOLLIN | EPOLLOUT, .data.u64 = 2000 + i };
		e[2] += epoll_ctl(ep, EPOLL_CTL_MOD, wr[i], &ev) != 0;
	}
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 0 };
	for(i = 1; i < NP; i += 3)
		e[3] += epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &ev) == -1 && errno == EEXIST;
	printf("churn: DEL failed %d, again ENOENT %d, MOD failed %d, ADD again EEXIST %d\n", e[0], e[1], e[2], e[3]);
	report(ep, "churn: after DEL and MOD");
	/* closed fds leave the list; their numbers, opened again, go in anew */
	bad = 0;
	for(i = 2; i < NP; i += 7){
		close(rd[i]);
		close(wr[i]);
	}
	report(ep, "churn: after closes");
	for(i = 2; i < NP; i += 7){
		if(pipe(p) < 0)
			return;
		rd[i] = p[0];
		wr[i] = p[1];
		(void)!write(wr[i], "w", 1);
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 3000 + i };
		bad += epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &ev) != 0;
		bad += epoll_ctl(ep, EPOLL_CTL_MOD, wr[i], &ev) != -1 || errno != ENOENT;
	}
	printf("churn: reopened fds added, failed %d\n", bad);
	report(ep, "churn: after reopening");
	/* the whole list out and in again, ROUNDS times */
	bad = 0;
	for(r = 0; r < ROUNDS; r++){
		for(i = 0; i < NP; i++){
			bad += epoll_ctl(ep, EPOLL_CTL_DEL, rd[i], NULL) != 0 && i % 3 != 0;
			bad += epoll_ctl(ep, EPOLL_CTL_DEL, wr[i], NULL) != 0;
		}
		for(i = NP - 1; i >= 0; i--){
			ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = r * 10000 + i };
			bad += epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &ev) != 0;
			ev = (struct epoll_event){ .events = EPOLLOUT, .data.u64 = r * 10000 + 1000 + i };
			bad += epoll_ctl(ep, EPOLL_CTL_ADD, wr[i], &ev) != 0;
		}
	}
	printf("churn: %d rounds of 800 DEL and ADD, failed %d\n", ROUNDS, bad);
	report(ep, "churn: at the end");
	close(ep);
	for(i = 0; i < NP; i++){
		close(rd[i]);
		close(wr[i]);
	}
}

/* An empty pipe: its write end is writable, its read end is nothing
 * (the kernel's pipes, whose ends both read and write, said writable). */
static void
pipeends(void)
{
	struct epoll_event ev, o[4];
	struct pollfd f[2];
	int p[2], ep, n, i;

	(void)!pipe(p);
	f[0] = (struct pollfd){ p[0], POLLIN | POLLOUT, 0 };
	f[1] = (struct pollfd){ p[1], POLLIN | POLLOUT, 0 };
	n = poll(f, 2, 0);
	printf("poll of an empty pipe's ends for in and out: %d, read end %#x, write end %#x\n", n, f[0].revents, f[1].revents);
	ep = epoll_create1(0);
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLOUT, .data.u32 = 0 };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
	n = epoll_wait(ep, o, 4, 0);
	printf("epoll of them: %d:", n);
	for(i = 0; i < n; i++)
		printf(" end %u %#x", o[i].data.u32, o[i].events);
	printf("\n");
	close(ep);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pipeends();
	ctlwhilewaiting();
	churn();
	fanin();
	return 0;
}
