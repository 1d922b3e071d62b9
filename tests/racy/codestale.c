/*
 * codestale.c — a guest thread rewrites an instruction's immediate
 * (mov $v,%eax; ret, in a page of its own) while another runs it: the
 * writer stores v into the code, then v into `written`, and waits until
 * the runner has checked that round; the runner reads `written`, makes
 * a system call (where the sandbox applies other threads' code writes),
 * calls the code, and the value must not be older than the one it read.
 * It writes twice a round: the first write faults (the page is
 * protected), so the runner translates the code again, and the second
 * lands somewhere in that translation.
 * A translation that copied the guest bytes before write-protecting
 * them missed a write that came in between (no fault: the page was
 * still writable) and ran the old immediate from then on (red team,
 * session 22).  Prints "ok" and exits 0, or "stale" and exits 1.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { ROUNDS = 20000 };
static unsigned char *page;
static uint32_t written, checked;
static int stale;

static void *
writer(void *arg)
{
	uint32_t v;
	volatile int spin;

	(void)arg;
	for(v = 2; v <= ROUNDS && !__atomic_load_n(&stale, __ATOMIC_ACQUIRE); v += 2){
		/* the first write faults on the protected page, so the
		 * runner drops its translation at its next system call and
		 * translates again; the second lands, after a varying delay,
		 * at some point of that translation */
		__atomic_store_n((uint32_t *)(page + 1), v - 1, __ATOMIC_RELAXED);	/* unaligned: one mov */
		for(spin = 0; spin < (int)(v * 37 % 4001); spin++)
			;
		__atomic_store_n((uint32_t *)(page + 1), v, __ATOMIC_RELAXED);
		__atomic_store_n(&written, v, __ATOMIC_SEQ_CST);
		while(__atomic_load_n(&checked, __ATOMIC_ACQUIRE) < v && !__atomic_load_n(&stale, __ATOMIC_ACQUIRE))
			;
	}
	return NULL;
}

int
main(void)
{
	pthread_t th;
	uint32_t (*f)(void), w, r;
	uint32_t v0 = 0;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(page == MAP_FAILED)
		return 2;
	page[0] = 0xb8;
	memcpy(page + 1, &v0, 4);
	page[5] = 0xc3;
	f = (uint32_t (*)(void))page;
	if(pthread_create(&th, NULL, writer, NULL) != 0)
		return 2;
	do{
		w = __atomic_load_n(&written, __ATOMIC_SEQ_CST);
		syscall(SYS_getppid);
		r = f();
		if(r < w){
			printf("stale: round %u ran %u\n", w, r);
			__atomic_store_n(&stale, 1, __ATOMIC_RELEASE);
			break;
		}
		__atomic_store_n(&checked, w, __ATOMIC_RELEASE);
	}while(w < ROUNDS);
	pthread_join(th, NULL);
	if(stale)
		return 1;
	printf("ok\n");
	return 0;
}
