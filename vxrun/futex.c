/*
 * futex.c — futex wait and wake for guest threads and processes.  A
 * futex is named by vx_memkey: the host address of the guest word, which
 * is the same for every thread sharing the memory and different for a
 * forked copy, or for a word in a MAP_SHARED mapping the file's device
 * and inode (or memfd's) and offset, the same in every process mapping it
 * (a process-shared mutex or semaphore).  Waiters sleep on the global condition variable;
 * a wake marks them.  PI futexes keep Linux's ownership in the word
 * (the owner's tid, FUTEX_WAITERS) without priorities; robust lists
 * are walked as a thread ends or execs.  FUTEX_WAIT_REQUEUE_PI waits
 * on a plain futex; FUTEX_CMP_REQUEUE_PI takes the PI futex for the
 * longest waiter (or fails to) and turns the others into FUTEX_LOCK_PI
 * waiters on it, whose unlock hands it on (condition variables on PI
 * mutexes).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "dat.h"

enum {
	LFUTEX_WAIT = 0, LFUTEX_WAKE = 1, LFUTEX_REQUEUE = 3, LFUTEX_CMP_REQUEUE = 4,
	LFUTEX_WAKE_OP = 5, LFUTEX_LOCK_PI = 6, LFUTEX_UNLOCK_PI = 7, LFUTEX_TRYLOCK_PI = 8,
	LFUTEX_WAIT_BITSET = 9, LFUTEX_WAKE_BITSET = 10, LFUTEX_WAIT_REQUEUE_PI = 11,
	LFUTEX_CMP_REQUEUE_PI = 12, LFUTEX_LOCK_PI2 = 13,
	LFUTEX_CMDMASK = 0x7f, LFUTEX_CLOCK_REALTIME = 256,
	/* the word of a PI or robust futex */
	LFUTEX_WAITERS = 0x80000000, LFUTEX_OWNER_DIED = 0x40000000, LFUTEX_TID_MASK = 0x3fffffff,
	ROBUSTLIMIT = 2048,	/* entries walked at most, as Linux's ROBUST_LIST_LIMIT */
	ROBUSTHEAD = 12,	/* struct robust_list_head on i386 */
};

typedef struct Fwait Fwait;
struct Fwait {
	Fwait *next;
	uint64_t key[3];
	uint32_t bitset;
	int woken;
	int pitid;	/* a FUTEX_LOCK_PI waiter's tid (0: a plain waiter) */
	int tid;	/* a FUTEX_WAIT_REQUEUE_PI waiter's (0: another), */
	uint64_t pikey[3];	/* the PI futex it may be requeued to */
};

static Fwait *waiters;

static int
samekey(const uint64_t *a, const uint64_t *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/* With glk held: take w out of the waiters. */
static void
unwait(Fwait *w)
{
	Fwait **l;

	for(l = &waiters; *l != NULL; l = &(*l)->next)
		if(*l == w){
			*l = w->next;
			return;
		}
}

/* With glk held: wake up to n waiters on key whose bitset meets bitset;
 * -EINVAL when a PI waiter (FUTEX_LOCK_PI, FUTEX_WAIT_REQUEUE_PI) waits
 * there, as Linux (which wakes those queued before it). */
static long
wake(const uint64_t *key, int n, uint32_t bitset)
{
	Fwait *w;
	long k;

	for(w = waiters; w != NULL; w = w->next)
		if(samekey(w->key, key) && !w->woken && (w->pitid != 0 || w->tid != 0))
			return -EINVAL;
	k = 0;
	for(w = waiters; w != NULL && k < n; w = w->next)
		if(samekey(w->key, key) && !w->woken && (w->bitset & bitset)){
			w->woken = 1;
			k++;
		}
	if(k)
		pokeall();
	return k;
}

long
futexwake(Lthread *t, uint32_t addr, int n, uint32_t bitset)
{
	uint64_t key[3];
	long k;

	if(vx_memkey(t->vx, addr, key) < 0)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	k = wake(key, n, bitset);
	pthread_mutex_unlock(&glk);
	return k;
}

/* A guest timespec (32- or 64-bit) as an absolute CLOCK_REALTIME time for
 * pthread_cond_timedwait (also rt_sigtimedwait's). */
int
tsdeadline(Lthread *t, uint32_t addr, int wide, int absolute, int realtime, struct timespec *dl)
{
	struct timespec now, mono;
	uint8_t *p;
	int64_t sec, nsec;

	p = gmem(t, addr, wide ? 16 : 8, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	sec = wide ? (int64_t)get64(p) : (int32_t)get32(p);
	nsec = wide ? (int32_t)get32(p + 8) : (int32_t)get32(p + 4);
	if(sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -EINVAL;
	/* beyond any run, and the sums below cannot overflow */
	if(sec > (int64_t)1 << 40)
		sec = (int64_t)1 << 40;
	clock_gettime(CLOCK_REALTIME, &now);
	if(absolute && !realtime){
		/* a CLOCK_MONOTONIC deadline: convert through the current offset */
		clock_gettime(CLOCK_MONOTONIC, &mono);
		sec += now.tv_sec - mono.tv_sec;
		nsec += now.tv_nsec - mono.tv_nsec;
	}else if(!absolute){
		sec += now.tv_sec;
		nsec += now.tv_nsec;
	}
	while(nsec < 0){
		nsec += 1000000000;
		sec--;
	}
	while(nsec >= 1000000000){
		nsec -= 1000000000;
		sec++;
	}
	dl->tv_sec = sec;
	dl->tv_nsec = nsec;
	return 0;
}

static long
futexwait(Lthread *t, uint32_t addr, uint32_t *uaddr, uint32_t val, uint32_t tsaddr, int wide, int absolute, int realtime, uint32_t bitset)
{
	struct timespec dl;
	Fwait w;
	long r;

	if(bitset == 0)
		return -EINVAL;
	if(tsaddr != 0 && (r = tsdeadline(t, tsaddr, wide, absolute, realtime, &dl)) < 0)
		return r;
	if(vx_memkey(t->vx, addr, w.key) < 0)
		return -EFAULT;
	w.bitset = bitset;
	w.woken = 0;
	w.pitid = 0;
	w.tid = 0;
	pthread_mutex_lock(&glk);
	if(__atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != val){
		pthread_mutex_unlock(&glk);
		return -EAGAIN;
	}
	w.next = waiters;
	waiters = &w;
	r = 0;
	while(!w.woken){
		if(interrupted(t)){
			r = -EINTR;
			break;
		}
		if(tsaddr != 0){
			if(pthread_cond_timedwait(&gcv, &glk, &dl) == ETIMEDOUT && !w.woken){
				r = -ETIMEDOUT;
				break;
			}
		}else
			pthread_cond_wait(&gcv, &glk);
	}
	unwait(&w);
	pthread_mutex_unlock(&glk);
	return r;
}

/* Linux's count of waiters a wake may end: at least one, whatever n says. */
static int
nwake(uint32_t n)
{
	return (int32_t)n < 1 ? 1 : (int)n;
}

static int
cas(uint32_t *u, uint32_t *old, uint32_t new)
{
	return __atomic_compare_exchange_n(u, old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* FUTEX_WAKE_OP's operation on the word at u, done atomically: 1 or 0
 * as its old value meets the encoded comparison, or -ENOSYS for an
 * unknown operation (the word untouched) or comparison (done). */
static long
wakeop(uint32_t *u, uint32_t enc)
{
	uint32_t old, new;
	int32_t oparg, cmparg, o;

	oparg = (int32_t)(enc << 8) >> 20;
	cmparg = (int32_t)(enc << 20) >> 20;
	if(enc & 0x80000000)	/* FUTEX_OP_OPARG_SHIFT; Linux takes the shift mod 32 */
		oparg = (int32_t)(1u << (oparg & 31));
	if(((enc >> 28) & 7) > 4)
		return -ENOSYS;
	old = __atomic_load_n(u, __ATOMIC_SEQ_CST);
	do{
		switch((enc >> 28) & 7){
		case 0: new = oparg; break;		/* SET */
		case 1: new = old + oparg; break;	/* ADD */
		case 2: new = old | oparg; break;	/* OR */
		case 3: new = old & ~oparg; break;	/* ANDN */
		default: new = old ^ oparg; break;	/* XOR */
		}
	}while(!cas(u, &old, new));
	o = (int32_t)old;
	switch((enc >> 24) & 15){
	case 0: return o == cmparg;
	case 1: return o != cmparg;
	case 2: return o < cmparg;
	case 3: return o <= cmparg;
	case 4: return o > cmparg;
	case 5: return o >= cmparg;
	}
	return -ENOSYS;
}

/* FUTEX_WAKE_OP (glibc's older pthread_cond_signal): change the word at
 * a[4], wake a[2] waiters on a[0] and, if the old word met the
 * comparison, a[3] on a[4]; how many were woken. */
static long
futexwakeop(Lthread *t, uint32_t *a)
{
	uint64_t k1[3], k2[3];
	uint32_t *u2;
	long r, n;

	if(a[4] % 4 != 0)
		return -EINVAL;
	u2 = gmem(t, a[4], 4, VX_PROT_READ|VX_PROT_WRITE);
	if(u2 == NULL || vx_memkey(t->vx, a[0], k1) < 0 || vx_memkey(t->vx, a[4], k2) < 0)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	r = wakeop(u2, a[5]);
	if(r >= 0){
		n = wake(k1, nwake(a[2]), ~0u);
		if(r > 0)
			n += wake(k2, nwake(a[3]), ~0u);
		r = n;
	}
	pthread_mutex_unlock(&glk);
	return r;
}

/* With glk held: the longest waiting FUTEX_LOCK_PI waiter on key but
 * skip, or NULL (the list is newest first). */
static Fwait *
piwaiter(const uint64_t *key, Fwait *skip)
{
	Fwait *w, *old;

	old = NULL;
	for(w = waiters; w != NULL; w = w->next)
		if(w != skip && w->pitid != 0 && !w->woken && samekey(w->key, key))
			old = w;
	return old;
}

/*
 * With glk held: take the PI futex word at u for t, keeping
 * FUTEX_OWNER_DIED and saying FUTEX_WAITERS when others wait.  0:
 * taken; 1: another thread holds it, and FUTEX_WAITERS is set so that
 * its unlock comes here; or an error.  A queued waiter (self) takes it
 * from an owner that ended without unlocking, as Linux hands it on.
 */
static long
pitake(Lthread *t, uint32_t *u, const uint64_t *key, Fwait *self)
{
	uint32_t v, nv;

	v = __atomic_load_n(u, __ATOMIC_SEQ_CST);
	for(;;){
		if((v & LFUTEX_TID_MASK) == (uint32_t)t->tid)
			return -EDEADLK;
		if((v & LFUTEX_TID_MASK) == 0 || (self != NULL && boxthread(t, v & LFUTEX_TID_MASK) == NULL)){
			nv = t->tid | (v & LFUTEX_OWNER_DIED);
			if(piwaiter(key, self) != NULL)
				nv |= LFUTEX_WAITERS;
			if(cas(u, &v, nv))
				return 0;
			continue;
		}
		if(boxthread(t, v & LFUTEX_TID_MASK) == NULL)
			return -ESRCH;
		if((v & LFUTEX_WAITERS) || cas(u, &v, v | LFUTEX_WAITERS))
			return 1;
	}
}

/*
 * FUTEX_LOCK_PI, LOCK_PI2 and TRYLOCK_PI (PTHREAD_PRIO_INHERIT mutexes):
 * Linux's ownership, handed over by the unlock, without the priorities.
 * The timeout is absolute, on CLOCK_REALTIME for LOCK_PI.
 */
static long
futexlockpi(Lthread *t, uint32_t *a, uint32_t *u, int wide, int realtime, int try)
{
	struct timespec dl;
	Fwait w;
	long r;

	if(!try && a[3] != 0 && (r = tsdeadline(t, a[3], wide, 1, realtime, &dl)) < 0)
		return r;
	if(vx_memkey(t->vx, a[0], w.key) < 0)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	r = pitake(t, u, w.key, NULL);
	if(r <= 0 || try){
		pthread_mutex_unlock(&glk);
		return r <= 0 ? r : -EAGAIN;
	}
	w.bitset = ~0u;
	w.woken = 0;
	w.pitid = t->tid;
	w.tid = 0;
	w.next = waiters;
	waiters = &w;
	for(;;){
		if(w.woken){	/* handed over by the unlock */
			r = 0;
			break;
		}
		if(interrupted(t)){
			r = -LERESTARTNOINTR;
			break;
		}
		if(!try && a[3] != 0){
			if(pthread_cond_timedwait(&gcv, &glk, &dl) == ETIMEDOUT && !w.woken){
				r = -ETIMEDOUT;
				break;
			}
		}else
			pthread_cond_wait(&gcv, &glk);
		if(!w.woken && (r = pitake(t, u, w.key, &w)) != 1)
			break;
	}
	unwait(&w);
	pthread_mutex_unlock(&glk);
	return r;
}

/* FUTEX_UNLOCK_PI: hand the word to the longest waiter, or clear it. */
static long
futexunlockpi(Lthread *t, uint32_t addr, uint32_t *u)
{
	uint64_t key[3];
	uint32_t v, nv;
	Fwait *w;

	if(vx_memkey(t->vx, addr, key) < 0)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	v = __atomic_load_n(u, __ATOMIC_SEQ_CST);
	do{
		if((v & LFUTEX_TID_MASK) != (uint32_t)t->tid){
			pthread_mutex_unlock(&glk);
			return -EPERM;
		}
		w = piwaiter(key, NULL);
		nv = w != NULL ? (uint32_t)w->pitid | LFUTEX_WAITERS : 0;
	}while(!cas(u, &v, nv));
	if(w != NULL){
		w->woken = 1;
		pokeall();
	}
	pthread_mutex_unlock(&glk);
	return 0;
}

/* With glk held: does a waiter other than skip wait on key, not for a
 * PI futex? */
static int
plainwaiter(const uint64_t *key, Fwait *skip)
{
	Fwait *w;

	for(w = waiters; w != NULL; w = w->next)
		if(w != skip && !w->woken && w->pitid == 0 && samekey(w->key, key))
			return 1;
	return 0;
}

/* With glk held: the longest waiting FUTEX_WAIT_REQUEUE_PI waiter on
 * key, or NULL; -EINVAL in *err when another kind waits there first, or
 * one to be requeued elsewhere than pikey (as Linux). */
static Fwait *
reqwaiter(const uint64_t *key, const uint64_t *pikey, long *err)
{
	Fwait *w, *old;

	old = NULL;
	for(w = waiters; w != NULL; w = w->next)
		if(!w->woken && w->pitid == 0 && samekey(w->key, key))
			old = w;
	*err = 0;
	if(old != NULL && (old->tid == 0 || !samekey(old->pikey, pikey))){
		*err = -EINVAL;
		return NULL;
	}
	return old;
}

/*
 * FUTEX_CMP_REQUEUE_PI(uaddr, 1, nr_requeue, uaddr2, val3): if the
 * word at uaddr is still val3, take the PI futex uaddr2 for the longest
 * waiter (woken holding it) and requeue the rest, up to nr_requeue, as
 * its FUTEX_LOCK_PI waiters; the count woken and requeued.
 */
static long
futexcmprequeuepi(Lthread *t, uint32_t *a, uint32_t *u)
{
	uint64_t key[3], key2[3];
	uint32_t *u2, v, nv;
	Fwait *w;
	long r, n, max;

	if(a[2] != 1 || (int32_t)a[3] < 0 || a[4] % 4 != 0)
		return -EINVAL;
	if((u2 = gmem(t, a[4], 4, VX_PROT_READ|VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	if(vx_memkey(t->vx, a[0], key) < 0 || vx_memkey(t->vx, a[4], key2) < 0)
		return -EFAULT;
	if(samekey(key, key2))
		return -EINVAL;
	max = 1 + (long)(int32_t)a[3];
	pthread_mutex_lock(&glk);
	if(__atomic_load_n(u, __ATOMIC_SEQ_CST) != a[5]){
		pthread_mutex_unlock(&glk);
		return -EAGAIN;
	}
	n = 0;
	if((w = reqwaiter(key, key2, &r)) != NULL){
		/* the first: the lock for it if free, as its FUTEX_LOCK_PI */
		v = __atomic_load_n(u2, __ATOMIC_SEQ_CST);
		do{
			if((v & LFUTEX_TID_MASK) == (uint32_t)w->tid){
				pthread_mutex_unlock(&glk);
				return -EDEADLK;
			}
			if((v & LFUTEX_TID_MASK) != 0)
				break;
			nv = w->tid | (v & LFUTEX_OWNER_DIED);
			if(max > 1 && plainwaiter(key, w))
				nv |= LFUTEX_WAITERS;	/* others to requeue */
		}while(!cas(u2, &v, nv));
		if((v & LFUTEX_TID_MASK) == 0){
			memcpy(w->key, key2, sizeof w->key);
			w->pitid = w->tid;
			w->woken = 1;
			n++;
		}
	}
	/* the rest wait for uaddr2's unlock, which they see by its
	 * FUTEX_WAITERS */
	while(r == 0 && n < max && (w = reqwaiter(key, key2, &r)) != NULL){
		memcpy(w->key, key2, sizeof w->key);
		w->pitid = w->tid;
		v = __atomic_load_n(u2, __ATOMIC_SEQ_CST);
		while((v & LFUTEX_WAITERS) == 0 && !cas(u2, &v, v | LFUTEX_WAITERS))
			;
		n++;
	}
	if(n > 0)
		pokeall();
	pthread_mutex_unlock(&glk);
	return r < 0 && n == 0 ? r : n;
}

/*
 * FUTEX_WAIT_REQUEUE_PI(uaddr, val, deadline, uaddr2): FUTEX_WAIT on
 * uaddr; 0 once FUTEX_CMP_REQUEUE_PI has made the caller the owner of
 * the PI futex uaddr2, directly or after its unlock.  A FUTEX_WAKE on
 * uaddr is EINVAL while it waits (wake); a signal before the requeue
 * restarts the call, after it is EAGAIN (Linux's EWOULDBLOCK: the
 * caller looks again).
 */
static long
futexwaitrequeuepi(Lthread *t, uint32_t *a, uint32_t *u, int wide, int realtime)
{
	struct timespec dl;
	uint32_t *u2;
	Fwait w;
	long r;

	if(a[4] % 4 != 0)
		return -EINVAL;
	if((u2 = gmem(t, a[4], 4, VX_PROT_READ|VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	if(a[3] != 0 && (r = tsdeadline(t, a[3], wide, 1, realtime, &dl)) < 0)
		return r;
	if(vx_memkey(t->vx, a[0], w.key) < 0 || vx_memkey(t->vx, a[4], w.pikey) < 0)
		return -EFAULT;
	if(samekey(w.key, w.pikey))
		return -EINVAL;
	w.bitset = ~0u;
	w.woken = 0;
	w.pitid = 0;
	w.tid = t->tid;
	pthread_mutex_lock(&glk);
	if(__atomic_load_n(u, __ATOMIC_SEQ_CST) != a[2]){
		pthread_mutex_unlock(&glk);
		return -EAGAIN;
	}
	w.next = waiters;
	waiters = &w;
	for(;;){
		if(w.woken){	/* the lock, requeued */
			r = 0;
			break;
		}
		if(interrupted(t)){
			r = w.pitid != 0 ? -EAGAIN : -LERESTARTNOINTR;
			break;
		}
		if(a[3] != 0){
			if(pthread_cond_timedwait(&gcv, &glk, &dl) == ETIMEDOUT && !w.woken){
				r = -ETIMEDOUT;
				break;
			}
		}else
			pthread_cond_wait(&gcv, &glk);
		/* requeued: take the lock from an owner that ended */
		if(!w.woken && w.pitid != 0 && (r = pitake(t, u2, w.key, &w)) != 1)
			break;
	}
	unwait(&w);
	pthread_mutex_unlock(&glk);
	return r;
}

static long
futex(Lthread *t, uint32_t *a, int wide)
{
	uint64_t key[3];
	uint32_t *uaddr, *u2;
	int op, rt, pi;
	long k;

	op = a[1] & LFUTEX_CMDMASK;
	rt = (a[1] & LFUTEX_CLOCK_REALTIME) != 0;
	if(rt && op != LFUTEX_WAIT && op != LFUTEX_WAIT_BITSET && op != LFUTEX_LOCK_PI2 && op != LFUTEX_WAIT_REQUEUE_PI)
		return -ENOSYS;
	if(a[0] % 4 != 0)
		return -EINVAL;
	pi = op == LFUTEX_LOCK_PI || op == LFUTEX_LOCK_PI2 || op == LFUTEX_TRYLOCK_PI || op == LFUTEX_UNLOCK_PI;
	uaddr = gmem(t, a[0], 4, pi ? VX_PROT_READ|VX_PROT_WRITE : VX_PROT_READ);
	if(uaddr == NULL)
		return -EFAULT;
	switch(op){
	case LFUTEX_WAIT:
		return futexwait(t, a[0], uaddr, a[2], a[3], wide, 0, rt, ~0u);
	case LFUTEX_WAIT_BITSET:
		return futexwait(t, a[0], uaddr, a[2], a[3], wide, 1, rt, a[5]);
	case LFUTEX_WAKE:
		return futexwake(t, a[0], nwake(a[2]), ~0u);
	case LFUTEX_WAKE_BITSET:
		if(a[5] == 0)
			return -EINVAL;
		return futexwake(t, a[0], nwake(a[2]), a[5]);
	case LFUTEX_WAKE_OP:
		return futexwakeop(t, a);
	case LFUTEX_LOCK_PI:
		return futexlockpi(t, a, uaddr, wide, 1, 0);
	case LFUTEX_LOCK_PI2:
		return futexlockpi(t, a, uaddr, wide, rt, 0);
	case LFUTEX_TRYLOCK_PI:
		return futexlockpi(t, a, uaddr, wide, 1, 1);
	case LFUTEX_UNLOCK_PI:
		return futexunlockpi(t, a[0], uaddr);
	case LFUTEX_WAIT_REQUEUE_PI:
		return futexwaitrequeuepi(t, a, uaddr, wide, rt);
	case LFUTEX_CMP_REQUEUE_PI:
		return futexcmprequeuepi(t, a, uaddr);
	case LFUTEX_REQUEUE:
	case LFUTEX_CMP_REQUEUE:
		/* requeue by waking: waiters recheck their word, as after a spurious wake */
		u2 = gmem(t, a[4], 4, VX_PROT_READ);
		if(u2 == NULL || a[4] % 4 != 0)
			return u2 == NULL ? -EFAULT : -EINVAL;
		if(vx_memkey(t->vx, a[0], key) < 0)
			return -EFAULT;
		pthread_mutex_lock(&glk);
		if(op == LFUTEX_CMP_REQUEUE && __atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != a[5]){
			pthread_mutex_unlock(&glk);
			return -EAGAIN;
		}
		k = wake(key, 0x7fffffff, ~0u);
		pthread_mutex_unlock(&glk);
		return k;
	}
	return -ENOSYS;
}

long sys_futex(Lthread *t, uint32_t *a) { return futex(t, a, 0); }
long sys_futex64(Lthread *t, uint32_t *a) { return futex(t, a, 1); }

long
sys_set_robust_list(Lthread *t, uint32_t *a)
{
	if(a[1] != ROBUSTHEAD)
		return -EINVAL;
	t->robust = a[0];
	return 0;
}

/* get_robust_list(tid, headp, lenp): tid 0 is the caller. */
long
sys_get_robust_list(Lthread *t, uint32_t *a)
{
	uint32_t head;
	uint8_t *hp, *lp;
	Lthread *o;

	pthread_mutex_lock(&glk);
	o = a[0] == 0 ? t : boxthread(t, a[0]);
	head = o != NULL ? o->robust : 0;
	pthread_mutex_unlock(&glk);
	if(o == NULL)
		return -ESRCH;
	lp = gmem(t, a[2], 4, VX_PROT_WRITE);
	if(lp == NULL)
		return -EFAULT;
	put32(lp, ROBUSTHEAD);
	hp = gmem(t, a[1], 4, VX_PROT_WRITE);
	if(hp == NULL)
		return -EFAULT;
	put32(hp, head);
	return 0;
}

/* A robust futex word t held as it ends: FUTEX_OWNER_DIED for the next
 * locker (EOWNERDEAD), and a waiter woken.  The word of an unlock under
 * way (pending) that reads 0 wakes one too.  -1: the walk must stop. */
static int
ownerdied(Lthread *t, uint32_t addr, int pi, int pending)
{
	uint32_t *u, v;

	if(addr % 4 != 0 || (u = gmem(t, addr, 4, VX_PROT_READ|VX_PROT_WRITE)) == NULL)
		return -1;
	v = __atomic_load_n(u, __ATOMIC_SEQ_CST);
	if(pending && !pi && v == 0){
		futexwake(t, addr, 1, ~0u);
		return 0;
	}
	do
		if((v & LFUTEX_TID_MASK) != (uint32_t)t->tid)
			return 0;
	while(!cas(u, &v, (v & LFUTEX_WAITERS) | LFUTEX_OWNER_DIED));
	if(!pi && (v & LFUTEX_WAITERS))
		futexwake(t, addr, 1, ~0u);
	if(pi){	/* its waiters look again (futexlockpi) */
		pthread_mutex_lock(&glk);
		pokeall();
		pthread_mutex_unlock(&glk);
	}
	return 0;
}

/*
 * A thread ends or execs: walk the robust list glibc keeps of the
 * robust mutexes it holds (set_robust_list's head: the first entry, the
 * offset of an entry's futex word, the entry being locked or unlocked),
 * as far as it reads and no further than Linux would.  An entry's low
 * bit marks a PI futex.
 */
void
robustexit(Lthread *t)
{
	uint32_t head, e, next, off, pending;
	uint8_t *h, *p;
	int n;

	head = t->robust;
	t->robust = 0;
	if(head == 0 || (h = gmem(t, head, ROBUSTHEAD, VX_PROT_READ)) == NULL)
		return;
	e = get32(h);
	off = get32(h + 4);
	pending = get32(h + 8);
	for(n = 0; (e & ~1u) != head && n < ROBUSTLIMIT; n++){
		p = gmem(t, e & ~1u, 4, VX_PROT_READ);
		next = p != NULL ? get32(p) : 0;
		if((e & ~1u) != (pending & ~1u) && ownerdied(t, (e & ~1u) + off, e & 1, 0) < 0)
			return;
		if(p == NULL)
			return;
		e = next;
	}
	if((pending & ~1u) != 0)
		ownerdied(t, (pending & ~1u) + off, pending & 1, 1);
}
