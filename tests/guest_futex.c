/*
 * guest_futex.c — the futex operations beyond wait and wake that glibc
 * and other runtimes use: FUTEX_WAKE_OP's encoded operations,
 * comparisons, errors and counts (wakeop); PI futexes, by hand and as
 * PTHREAD_PRIO_INHERIT mutexes: ownership, EDEADLK, EPERM, ESRCH, the
 * hand-over to a waiter, timeouts (pi); robust futex lists: a thread or
 * process that ends holding a robust mutex makes the next locker's
 * EOWNERDEAD, a waiter woken, get/set_robust_list (robust);
 * FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI (a condition variable
 * on a PI mutex): errors, a timeout, a waiter given the free lock, three
 * requeued behind a held one and handed it in turn, FUTEX_WAKE refused
 * (EINVAL), a plain waiter met (requeuepi).  Its output
 * must be the same natively and under vxinferno (vxinferno_futex.t);
 * qemu-i386 refuses robust lists, so the test compares robust's with
 * what futex(2), get_robust_list(2) and pthread_mutexattr_setrobust(3)
 * say.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

static long
fx(volatile uint32_t *u, int op, uint32_t val, void *ts, volatile uint32_t *u2, uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, ts, u2, val3);
}

static const char *
res(long r)
{
	static char buf[4][64];
	static int i;
	char *b;

	b = buf[i++ % 4];
	if(r < 0)
		snprintf(b, 64, "-1 %s", strerrorname_np(errno));
	else
		snprintf(b, 64, "%ld", r);
	return b;
}

static pid_t
gettid_(void)
{
	return syscall(SYS_gettid);
}

/* Spin, yielding, until *u != v; 0 if it never changed in 30 s. */
static int
until(volatile uint32_t *u, uint32_t v)
{
	time_t end;

	end = time(NULL) + 30;
	while(__atomic_load_n(u, __ATOMIC_SEQ_CST) == v)
		if(sched_yield(), time(NULL) > end)
			return 0;
	return 1;
}

/* Wait until thread tid of this process has left /proc/self/task. */
static int
gone(pid_t tid)
{
	char path[64];
	time_t end;

	snprintf(path, sizeof path, "/proc/self/task/%d", (int)tid);
	end = time(NULL) + 30;
	while(access(path, F_OK) == 0)
		if(sched_yield(), time(NULL) > end)
			return 0;
	return 1;
}

/* --- wakeop */

static volatile uint32_t w1, w2;

static void *
waitw(void *a)
{
	volatile uint32_t *u;

	u = a;
	return (void *)(intptr_t)(fx(u, FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 1 : errno);
}

static void
op1(const char *what, uint32_t start, uint32_t enc)
{
	long r;

	w2 = start;
	r = fx(&w1, FUTEX_WAKE_OP, 1, (void *)1, &w2, enc);
	printf("%s: %s word %#x\n", what, res(r), w2);
}

/* Wake with calls of FUTEX_WAKE_OP until n have been woken. */
static long
wakeopall(long n, uint32_t enc)
{
	long r, k;
	time_t end;

	end = time(NULL) + 30;
	for(k = 0; k < n && time(NULL) <= end; k += r > 0 ? r : 0){
		r = fx(&w1, FUTEX_WAKE_OP, INT_MAX, (void *)INT_MAX, &w2, enc);
		if(r < 0)
			return r;
		sched_yield();
	}
	return k;
}

static void
wakeop(void)
{
	pthread_t th[3];
	void *v;
	uint32_t *ro, *none;
	long r;
	int i;

	printf("-- encoded operations, no waiters\n");
	op1("set 7, eq 0 (old 0)", 0, FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 0));
	op1("add 5, eq 3 (old 2)", 2, FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 3));
	op1("add -1, lt 0 (old 0)", 0, FUTEX_OP(FUTEX_OP_ADD, 0xfff, FUTEX_OP_CMP_LT, 0));
	op1("or 0x30, ne 1", 1, FUTEX_OP(FUTEX_OP_OR, 0x30, FUTEX_OP_CMP_NE, 1));
	op1("andn 3, le -1 (old -1)", 0xffffffff, FUTEX_OP(FUTEX_OP_ANDN, 3, FUTEX_OP_CMP_LE, 0xfff));
	op1("xor 0xff, gt 2047", 0x800, FUTEX_OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_GT, 0x7ff));
	op1("xor, ge -2048 (old -2048)", 0xfffff800, FUTEX_OP(FUTEX_OP_XOR, 1, FUTEX_OP_CMP_GE, 0x800));
	op1("set 1<<4", 0, FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_EQ, 0));
	op1("or 1<<31", 1, FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 31, FUTEX_OP_CMP_EQ, 0));
	op1("set 1<<33 (shift taken mod 32)", 0, FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 33, FUTEX_OP_CMP_EQ, 0));
	op1("unknown op 5 (word untouched)", 9, FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0));
	op1("unknown cmp 6 (op done)", 9, FUTEX_OP(FUTEX_OP_SET, 1, 6, 0));
	printf("-- errors\n");
	none = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(none, 4096);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("second word unmapped: %s\n", res(fx(&w1, FUTEX_WAKE_OP, 1, (void *)1, none, 0)));
	r = fx(&w1, FUTEX_WAKE_OP, 1, (void *)1, ro, 0);
	printf("second word read-only: %s word %u\n", res(r), *ro);
	printf("second word misaligned: %s\n", res(fx(&w1, FUTEX_WAKE_OP, 1, (void *)1, (uint32_t *)((char *)&w2 + 1), 0)));
	printf("private: %s\n", res(fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &w2, 0)));
	printf("with FUTEX_CLOCK_REALTIME: %s\n", res(fx(&w1, FUTEX_WAKE_OP | FUTEX_CLOCK_REALTIME, 1, (void *)1, &w2, 0)));
	printf("wake with FUTEX_CLOCK_REALTIME: %s\n", res(fx(&w1, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0)));

	printf("-- waiters: two on the first word, one on the second\n");
	w1 = w2 = 0;
	pthread_create(&th[0], NULL, waitw, (void *)&w1);
	pthread_create(&th[1], NULL, waitw, (void *)&w1);
	pthread_create(&th[2], NULL, waitw, (void *)&w2);
	/* comparison false: only the first word's two, in as many calls as
	 * it takes them to sleep; the word keeps 0 (add 0) */
	r = wakeopall(2, FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_NE, 0));
	printf("comparison false: woke %s\n", res(r));
	for(i = 0; i < 2; i++){
		pthread_join(th[i], &v);
		printf("first-word waiter %d: %s\n", i, (intptr_t)v == 1 ? "woken" : strerrorname_np((intptr_t)v));
	}
	/* comparison true: the second word's */
	r = wakeopall(1, FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0));
	printf("comparison true: woke %s\n", res(r));
	pthread_join(th[2], &v);
	printf("second-word waiter: %s\n", (intptr_t)v == 1 ? "woken" : strerrorname_np((intptr_t)v));
	/* nr_wake 1 of two, both words' */
	pthread_create(&th[0], NULL, waitw, (void *)&w1);
	pthread_create(&th[1], NULL, waitw, (void *)&w2);
	for(r = 0; r < 2; ){
		long k = fx(&w1, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0));
		if(k < 0 || k > 2){
			printf("wake_op of one and one: %s\n", res(k));
			break;
		}
		r += k;
		sched_yield();
	}
	printf("one and one: %ld\n", r);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
}

/* --- pi */

static volatile uint32_t pw;
static volatile pid_t ptid;

static void *
lockpi(void *a)
{
	long r;

	(void)a;
	ptid = gettid_();
	r = fx(&pw, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
	printf("waiter's lock_pi: %s, owner is the waiter: %d\n", res(r), (pw & FUTEX_TID_MASK) == (uint32_t)gettid_());
	r = fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	printf("waiter's unlock_pi: %s word %#x\n", res(r), pw);
	return NULL;
}

static void *
notowner(void *a)
{
	(void)a;
	printf("unlock_pi by another thread: %s\n", res(fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0)));
	printf("trylock_pi by another thread: %s\n", res(fx(&pw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0)));
	return (void *)(intptr_t)gettid_();
}

static void
timed(const char *what, int op, clockid_t clock, long ns)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	ts.tv_nsec += ns;
	while(ts.tv_nsec >= 1000000000){
		ts.tv_nsec -= 1000000000;
		ts.tv_sec++;
	}
	while(ts.tv_nsec < 0){
		ts.tv_nsec += 1000000000;
		ts.tv_sec--;
	}
	printf("%s: %s\n", what, res(fx(&pw, op, 0, &ts, NULL, 0)));
}

static void *
pitimeout(void *a)
{
	struct timespec bad;

	(void)a;
	timed("lock_pi until a realtime past", FUTEX_LOCK_PI, CLOCK_REALTIME, -500000000);
	timed("lock_pi until a realtime 0.1 s ahead", FUTEX_LOCK_PI, CLOCK_REALTIME, 100000000);
	timed("lock_pi2 until a monotonic past", FUTEX_LOCK_PI2, CLOCK_MONOTONIC, -500000000);
	timed("lock_pi2 until a monotonic 0.1 s ahead", FUTEX_LOCK_PI2, CLOCK_MONOTONIC, 100000000);
	timed("lock_pi2|FUTEX_CLOCK_REALTIME until a realtime past", FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, CLOCK_REALTIME, -500000000);
	bad.tv_sec = 0;
	bad.tv_nsec = 1000000000;
	printf("lock_pi with tv_nsec 1e9: %s\n", res(fx(&pw, FUTEX_LOCK_PI, 0, &bad, NULL, 0)));
	printf("lock_pi with a bad timeout pointer: %s\n", res(fx(&pw, FUTEX_LOCK_PI, 0, (void *)16, NULL, 0)));
	printf("trylock_pi (a timeout ignored): %s\n", res(fx(&pw, FUTEX_TRYLOCK_PI, 0, &bad, NULL, 0)));
	return NULL;
}

static pthread_mutex_t pim;
static long picount;

static void *
pimutexloop(void *a)
{
	int i;

	(void)a;
	for(i = 0; i < 20000; i++){
		pthread_mutex_lock(&pim);
		picount++;
		pthread_mutex_unlock(&pim);
	}
	return NULL;
}

static void *
pitrylock(void *a)
{
	(void)a;
	return (void *)(intptr_t)pthread_mutex_trylock(&pim);
}

static void
pi(void)
{
	pthread_mutexattr_t ma;
	pthread_t th[3];
	void *v;
	uint32_t me;
	long r;
	int i;

	me = gettid_();
	printf("-- by hand\n");
	pw = 0;
	r = fx(&pw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
	printf("trylock_pi of a free word: %s, word is my tid: %d\n", res(r), pw == me);
	printf("lock_pi again: %s\n", res(fx(&pw, FUTEX_LOCK_PI, 0, NULL, NULL, 0)));
	printf("trylock_pi again: %s\n", res(fx(&pw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0)));
	pthread_create(&th[0], NULL, notowner, NULL);
	pthread_join(th[0], &v);
	printf("word after the other's trylock: owner me %d, waiters bit %d\n", (pw & FUTEX_TID_MASK) == me, (pw & FUTEX_WAITERS) != 0);
	r = fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	printf("unlock_pi: %s word %#x\n", res(r), pw);
	printf("unlock_pi of a free word: %s\n", res(fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0)));
	/* a thread that has ended: gone from /proc (pthread_join returns as
	 * its tid word clears, and a PI waiter queued before the end is
	 * handed the lock) */
	printf("the thread is gone: %d\n", gone((intptr_t)v));
	pw = (uint32_t)(intptr_t)v;
	printf("lock_pi held by an ended thread: %s\n", res(fx(&pw, FUTEX_LOCK_PI, 0, NULL, NULL, 0)));
	printf("trylock_pi held by an ended thread: %s\n", res(fx(&pw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0)));
	pw = FUTEX_OWNER_DIED;
	r = fx(&pw, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
	printf("lock_pi of an owner-died word: %s, word %s\n", res(r), pw == (me | FUTEX_OWNER_DIED) ? "tid|OWNER_DIED" : "other");
	fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	printf("lock_pi with FUTEX_CLOCK_REALTIME: %s\n", res(fx(&pw, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0)));
	printf("misaligned: %s\n", res(fx((uint32_t *)((char *)&pw + 1), FUTEX_LOCK_PI, 0, NULL, NULL, 0)));

	printf("-- hand-over\n");
	pw = me;	/* held by me, uncontended */
	ptid = 0;
	pthread_create(&th[0], NULL, lockpi, NULL);
	/* the waiter sets FUTEX_WAITERS as it queues */
	printf("waiter queued: %d\n", until(&pw, me));
	printf("word: owner me %d, waiters bit %d\n", (pw & FUTEX_TID_MASK) == me, (pw & FUTEX_WAITERS) != 0);
	r = fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	pthread_join(th[0], NULL);
	printf("my unlock_pi: %s\n", res(r));

	printf("-- timeouts, the word held by me\n");
	pw = me;
	pthread_create(&th[0], NULL, pitimeout, NULL);
	pthread_join(th[0], NULL);
	printf("word: owner me %d\n", (pw & FUTEX_TID_MASK) == me);
	fx(&pw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);

	printf("-- PTHREAD_PRIO_INHERIT mutexes\n");
	pthread_mutexattr_init(&ma);
	printf("setprotocol: %d\n", pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT));
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	printf("init: %d\n", pthread_mutex_init(&pim, &ma));
	printf("lock: %d\n", pthread_mutex_lock(&pim));
	printf("lock again: %s\n", strerrorname_np(pthread_mutex_lock(&pim)));
	pthread_create(&th[0], NULL, pitrylock, NULL);
	pthread_join(th[0], &v);
	printf("trylock by another thread: %s\n", strerrorname_np((intptr_t)v));
	printf("unlock: %d\n", pthread_mutex_unlock(&pim));
	printf("unlock again: %s\n", strerrorname_np(pthread_mutex_unlock(&pim)));
	for(i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, pimutexloop, NULL);
	for(i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	printf("three threads, 20000 locked increments each: %ld\n", picount);
}

/* --- robust */

static pthread_mutex_t rm;
static volatile uint32_t held;

static void *
holdandend(void *a)
{
	printf("owner's lock: %d\n", pthread_mutex_lock(&rm));
	held = 1;
	if(a != NULL)	/* wait for the waiter to queue: FUTEX_WAITERS in the word */
		until((volatile uint32_t *)&rm.__data.__lock, rm.__data.__lock & ~FUTEX_WAITERS);
	return NULL;
}

static void *
waitlock(void *a)
{
	(void)a;
	return (void *)(intptr_t)pthread_mutex_lock(&rm);
}

static void
robustkind(const char *kind, int protocol)
{
	pthread_mutexattr_t ma;
	pthread_t th, tw;
	void *v;
	int r;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setprotocol(&ma, protocol);
	r = pthread_mutex_init(&rm, &ma);
	printf("%s: init: %s\n", kind, r ? strerrorname_np(r) : "0");
	if(r != 0)
		return;
	held = 0;
	pthread_create(&th, NULL, holdandend, NULL);
	pthread_join(th, NULL);
	r = pthread_mutex_lock(&rm);
	printf("%s: lock after the owner ended: %s\n", kind, r ? strerrorname_np(r) : "0");
	printf("%s: consistent: %d\n", kind, pthread_mutex_consistent(&rm));
	printf("%s: unlock, lock, unlock: %d %d %d\n", kind, pthread_mutex_unlock(&rm), pthread_mutex_lock(&rm), pthread_mutex_unlock(&rm));

	/* a waiter queued when the owner ends */
	held = 0;
	pthread_create(&th, NULL, holdandend, (void *)1);
	until(&held, 0);
	pthread_create(&tw, NULL, waitlock, NULL);
	pthread_join(th, NULL);
	pthread_join(tw, &v);
	r = (intptr_t)v;
	printf("%s: the waiter's lock: %s\n", kind, r ? strerrorname_np(r) : "0");
	pthread_mutex_consistent(&rm);
	pthread_mutex_unlock(&rm);
	pthread_mutex_destroy(&rm);
}

static void
robust(void)
{
	pthread_mutexattr_t ma;
	pthread_mutex_t *sm;
	uint32_t head[3], *got;
	size_t len;
	pid_t pid;
	int st, r;

	if(syscall(SYS_get_robust_list, 0, &got, &len) < 0){	/* qemu-i386 */
		printf("no robust lists: %s\n", res(-1));
		return;
	}
	robustkind("robust", PTHREAD_PRIO_NONE);
	robustkind("robust PI", PTHREAD_PRIO_INHERIT);

	printf("-- a process ends holding a process-shared robust mutex\n");
	sm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	r = pthread_mutex_init(sm, &ma);
	printf("process: init: %s\n", r ? strerrorname_np(r) : "0");
	if(r == 0){
		pid = fork();
		if(pid == 0){
			pthread_mutex_lock(sm);
			_exit(0);
		}
		waitpid(pid, &st, 0);
		r = pthread_mutex_lock(sm);
		printf("process: lock after the child ended: %s\n", r ? strerrorname_np(r) : "0");
	}

	printf("-- get_robust_list and set_robust_list\n");
	len = 0;
	got = NULL;
	r = syscall(SYS_get_robust_list, 0, &got, &len);
	printf("get_robust_list: %s len %zu head set %d\n", res(r), len, got != NULL);
	head[0] = (uint32_t)(uintptr_t)head;
	head[1] = 0;
	head[2] = 0;
	printf("set_robust_list of a bad size: %s\n", res(syscall(SYS_set_robust_list, head, 11)));
	printf("set_robust_list: %s\n", res(syscall(SYS_set_robust_list, head, 12)));
	r = syscall(SYS_get_robust_list, 0, &got, &len);
	printf("get_robust_list: %s, it is the new head %d\n", res(r), got == head);
	printf("get_robust_list of my tid: %s\n", res(syscall(SYS_get_robust_list, gettid_(), &got, &len)));
	printf("get_robust_list of no thread: %s\n", res(syscall(SYS_get_robust_list, 0x3ffffff0, &got, &len)));
	printf("get_robust_list to a bad address: %s\n", res(syscall(SYS_get_robust_list, 0, (void *)16, &len)));
}

/* requeuepi: waiters of FUTEX_WAIT_REQUEUE_PI on cond, for mutex */
static volatile uint32_t cond, mutex, plainword;
static atomic_int rqdone, rqowned;

static void *
rqwaiter(void *arg)
{
	long r;

	r = fx(&cond, FUTEX_WAIT_REQUEUE_PI, 0, NULL, &mutex, 0);
	if(arg != NULL)
		*(long *)arg = r < 0 ? -errno : r;
	if(r == 0){
		if((mutex & FUTEX_TID_MASK) == (uint32_t)gettid_())
			atomic_fetch_add(&rqowned, 1);
		fx(&mutex, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	}
	atomic_fetch_add(&rqdone, 1);
	return NULL;
}

static void *
plainwaiter(void *arg)
{
	(void)arg;
	fx(&plainword, FUTEX_WAIT, 0, NULL, NULL, 0);
	return NULL;
}

/* Requeue (or wake) until want waiters were met: the count, or the
 * first error.  Each retry 1 ms later (a waiter not yet waiting). */
static long
requeueall(int want, int nreq, int wakeonly)
{
	long r, n;
	int i;

	n = 0;
	for(i = 0; i < 10000 && n < want; i++){
		if(wakeonly)
			r = fx(&cond, FUTEX_WAKE, 1, NULL, NULL, 0);
		else
			r = fx(&cond, FUTEX_CMP_REQUEUE_PI, 1, (void *)(intptr_t)nreq, &mutex, 0);
		if(r < 0)
			return -errno;
		n += r;
		if(n < want)
			usleep(1000);
	}
	return n;
}

static void
requeuepi(void)
{
	struct timespec ts;
	pthread_t th[3];
	long r, got;
	int i;

	printf("WAIT_REQUEUE_PI, uaddr2 misaligned: %s\n", res(fx(&cond, FUTEX_WAIT_REQUEUE_PI, 0, NULL, (uint32_t *)((char *)&mutex + 1), 0)));
	printf("WAIT_REQUEUE_PI, uaddr2 = uaddr: %s\n", res(fx(&cond, FUTEX_WAIT_REQUEUE_PI, 0, NULL, &cond, 0)));
	printf("WAIT_REQUEUE_PI, uaddr2 unmapped: %s\n", res(fx(&cond, FUTEX_WAIT_REQUEUE_PI, 0, NULL, (uint32_t *)16, 0)));
	printf("WAIT_REQUEUE_PI, the word changed: %s\n", res(fx(&cond, FUTEX_WAIT_REQUEUE_PI, 1, NULL, &mutex, 0)));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 20000000;
	if(ts.tv_nsec >= 1000000000){
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	printf("WAIT_REQUEUE_PI, an absolute deadline passing: %s\n", res(fx(&cond, FUTEX_WAIT_REQUEUE_PI, 0, &ts, &mutex, 0)));
	printf("CMP_REQUEUE_PI, nr_wake 2: %s\n", res(fx(&cond, FUTEX_CMP_REQUEUE_PI, 2, 0, &mutex, 0)));
	printf("CMP_REQUEUE_PI, uaddr2 = uaddr: %s\n", res(fx(&cond, FUTEX_CMP_REQUEUE_PI, 1, 0, &cond, 0)));
	printf("CMP_REQUEUE_PI, the word changed: %s\n", res(fx(&cond, FUTEX_CMP_REQUEUE_PI, 1, 0, &mutex, 1)));
	printf("CMP_REQUEUE_PI, no waiter: %s\n", res(fx(&cond, FUTEX_CMP_REQUEUE_PI, 1, 0, &mutex, 0)));

	/* one waiter, the lock free: it wakes holding it */
	rqdone = rqowned = 0;
	pthread_create(&th[0], NULL, rqwaiter, &got);
	r = requeueall(1, 0, 0);
	pthread_join(th[0], NULL);
	printf("one waiter, the lock free: requeue %ld, the wait %ld, held it %d, the lock after its unlock %#x\n",
		r, got, (int)rqowned, mutex);

	/* three waiters behind a held lock: all requeued, handed on in turn */
	rqdone = rqowned = 0;
	mutex = gettid_();
	for(i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, rqwaiter, NULL);
	r = requeueall(3, INT_MAX, 0);
	printf("three waiters, the lock held: requeued %ld, FUTEX_WAITERS set %d, none done yet %d\n",
		r, (mutex & FUTEX_WAITERS) != 0, rqdone == 0);
	printf("the unlock: %s\n", res(fx(&mutex, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0)));
	for(i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	printf("each held it in turn: %d of 3, the lock at the end %#x\n", (int)rqowned, mutex);

	/* FUTEX_WAKE on the word with such a waiter: EINVAL (Linux's
	 * futex_wake refuses PI waiters), the waiter left for the requeue */
	rqdone = rqowned = 0;
	pthread_create(&th[0], NULL, rqwaiter, &got);
	r = requeueall(1, 0, 1);
	printf("a FUTEX_WAKE on it: %s\n", r < 0 ? strerrorname_np(-r) : "woken");
	r = requeueall(1, 0, 0);
	pthread_join(th[0], NULL);
	printf("then the requeue: %ld, the wait %ld, held it %d\n", r, got, (int)rqowned);

	/* a plain FUTEX_WAIT waiter on the word: EINVAL */
	pthread_create(&th[0], NULL, plainwaiter, NULL);
	for(i = 0; i < 10000; i++){
		r = fx(&plainword, FUTEX_CMP_REQUEUE_PI, 1, 0, &mutex, 0);
		if(r != 0)
			break;
		usleep(1000);
	}
	printf("a plain waiter met: %s\n", res(r));
	for(i = 0; i < 10000 && fx(&plainword, FUTEX_WAKE, 1, NULL, NULL, 0) != 1; i++)
		usleep(1000);
	pthread_join(th[0], NULL);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2)
		return 2;
	if(strcmp(argv[1], "wakeop") == 0)
		wakeop();
	else if(strcmp(argv[1], "pi") == 0)
		pi();
	else if(strcmp(argv[1], "robust") == 0)
		robust();
	else if(strcmp(argv[1], "requeuepi") == 0)
		requeuepi();
	else
		return 2;
	return 0;
}
