/*
 * futex.c — futex wait and wake for guest threads and processes.  A
 * futex is named by vx_memkey: the host address of the guest word, which
 * is the same for every thread sharing the memory and different for a
 * forked copy, or for a word in a MAP_SHARED mapping the file's device
 * and inode (or memfd's) and offset, the same in every process mapping it
 * (a process-shared mutex or semaphore).  Waiters sleep on the global condition variable;
 * a wake marks them.
 */
#include <errno.h>
#include <time.h>
#include "dat.h"

enum {
	LFUTEX_WAIT = 0, LFUTEX_WAKE = 1, LFUTEX_REQUEUE = 3, LFUTEX_CMP_REQUEUE = 4,
	LFUTEX_WAKE_OP = 5, LFUTEX_WAIT_BITSET = 9, LFUTEX_WAKE_BITSET = 10,
	LFUTEX_CMDMASK = 0x7f, LFUTEX_CLOCK_REALTIME = 256,
};

typedef struct Fwait Fwait;
struct Fwait {
	Fwait *next;
	uint64_t key[3];
	uint32_t bitset;
	int woken;
};

static Fwait *waiters;

/* With glk held: wake up to n waiters on key whose bitset meets bitset. */
static long
wake(const uint64_t *key, int n, uint32_t bitset)
{
	Fwait *w;
	long k;

	k = 0;
	for(w = waiters; w != NULL && k < n; w = w->next)
		if(w->key[0] == key[0] && w->key[1] == key[1] && w->key[2] == key[2] && !w->woken && (w->bitset & bitset)){
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
	Fwait w, **l;
	long r;

	if(bitset == 0)
		return -EINVAL;
	if(tsaddr != 0 && (r = tsdeadline(t, tsaddr, wide, absolute, realtime, &dl)) < 0)
		return r;
	if(vx_memkey(t->vx, addr, w.key) < 0)
		return -EFAULT;
	w.bitset = bitset;
	w.woken = 0;
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
	for(l = &waiters; *l != NULL; l = &(*l)->next)
		if(*l == &w){
			*l = w.next;
			break;
		}
	pthread_mutex_unlock(&glk);
	return r;
}

static long
futex(Lthread *t, uint32_t *a, int wide)
{
	uint64_t key[3];
	uint32_t *uaddr, *u2;
	int op, rt;
	long k;

	op = a[1] & LFUTEX_CMDMASK;
	rt = (a[1] & LFUTEX_CLOCK_REALTIME) != 0;
	if(a[0] % 4 != 0)
		return -EINVAL;
	uaddr = gmem(t, a[0], 4, VX_PROT_READ);
	if(uaddr == NULL)
		return -EFAULT;
	switch(op){
	case LFUTEX_WAIT:
		return futexwait(t, a[0], uaddr, a[2], a[3], wide, 0, rt, ~0u);
	case LFUTEX_WAIT_BITSET:
		return futexwait(t, a[0], uaddr, a[2], a[3], wide, 1, rt, a[5]);
	case LFUTEX_WAKE:
		return futexwake(t, a[0], (int32_t)a[2] < 0 ? 0x7fffffff : (int)a[2], ~0u);
	case LFUTEX_WAKE_BITSET:
		if(a[5] == 0)
			return -EINVAL;
		return futexwake(t, a[0], (int32_t)a[2] < 0 ? 0x7fffffff : (int)a[2], a[5]);
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
	(void)t;
	return a[1] == 12 ? 0 : -EINVAL;
}
