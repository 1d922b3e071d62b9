/* guest_threads — pthreads under vxinferno: workers sum ranges under a
 * mutex, a condition variable hands out work, join collects; prints the
 * same as natively.
 *
 * guest_threads clonetls: the raw clone call (int $0x80) with
 * CLONE_SETTLS and a descriptor Linux refuses (an entry_number not of a
 * TLS slot, -1, which clone does not allocate, a 16-bit segment, an
 * unmapped pointer), as a thread and as a process: Linux's copy_thread
 * fails the clone with EINVAL or EFAULT and makes nothing, so nothing
 * runs, parent_tid is not written and no child is there to wait for. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { NT = 4, N = 200000 };

static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long long total;
static int started, go;
static __thread int mine;

static void *
worker(void *arg)
{
	long i, id = (long)arg;
	long long s = 0;

	mine = (int)id + 1;
	pthread_mutex_lock(&lk);
	started++;
	pthread_cond_broadcast(&cv);
	while(!go)
		pthread_cond_wait(&cv, &lk);
	pthread_mutex_unlock(&lk);
	for(i = id; i < N; i += NT)
		s += i;
	pthread_mutex_lock(&lk);
	total += s;
	pthread_mutex_unlock(&lk);
	return (void *)(long)mine;
}

enum {
	CVM = 0x100, CFS = 0x200, CFILES = 0x400, CSIGHAND = 0x800, CTHREAD = 0x10000,
	CSYSVSEM = 0x40000, CSETTLS = 0x80000, CPARENTSETTID = 0x100000, SIGCHLDNO = 17,
};

/* clone(flags, stack, parent_tid, tls, child_tid), the i386 order, by
 * int $0x80; a child (there should be none) adds to childran and ends
 * at once with exit(2), touching no stack.  The result as the kernel
 * gives it: -errno on failure. */
long rawclone(long flags, void *stack, int *ptid, void *tls, int *ctid);
volatile int childran;
__asm__(
	".text\n"
	".globl rawclone\n"
	"rawclone:\n"
	"	pushl %ebx\n"
	"	pushl %esi\n"
	"	pushl %edi\n"
	"	movl 16(%esp), %ebx\n"
	"	movl 20(%esp), %ecx\n"
	"	movl 24(%esp), %edx\n"
	"	movl 28(%esp), %esi\n"
	"	movl 32(%esp), %edi\n"
	"	movl $120, %eax\n"
	"	int $0x80\n"
	"	testl %eax, %eax\n"
	"	jnz 1f\n"
	"	lock incl childran\n"
	"	movl $1, %eax\n"
	"	xorl %ebx, %ebx\n"
	"	int $0x80\n"
	"1:	popl %edi\n"
	"	popl %esi\n"
	"	popl %ebx\n"
	"	ret\n");

static char cstack[8192] __attribute__((aligned(16)));

static int
clonetls(void)
{
	static const struct {
		char *name;
		unsigned entry, flags;
	} bad[] = {
		{"entry 5", 5, 0x51},
		{"entry 15", 15, 0x51},
		{"entry -1", 0xffffffff, 0x51},
		{"16-bit", 12, 0x50},
		{"not present", 12, 0x71},
	};
	unsigned desc[4];
	char *gone;
	long r;
	int i, k, ptid, ctid, st;

	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(gone == MAP_FAILED || munmap(gone, 4096) < 0){
		printf("mmap: %s\n", strerror(errno));
		return 1;
	}
	for(k = 0; k < 2; k++){
		for(i = 0; i < (int)(sizeof bad / sizeof bad[0]) + 1; i++){
			ptid = ctid = -7;
			if(i < (int)(sizeof bad / sizeof bad[0])){
				desc[0] = bad[i].entry;
				desc[1] = (unsigned)(unsigned long)&ptid;
				desc[2] = 0xfffff;
				desc[3] = bad[i].flags;
			}
			r = rawclone(k == 0 ? CVM | CFS | CFILES | CSIGHAND | CTHREAD | CSYSVSEM | CSETTLS | CPARENTSETTID :
				CSETTLS | CPARENTSETTID | SIGCHLDNO,
				k == 0 ? cstack + sizeof cstack : NULL, &ptid,
				i < (int)(sizeof bad / sizeof bad[0]) ? (void*)desc : (void*)gone, &ctid);
			printf("%s, %s: %s, parent_tid %s\n", k == 0 ? "thread" : "process",
				i < (int)(sizeof bad / sizeof bad[0]) ? bad[i].name : "unmapped",
				r < 0 ? strerror(-r) : "made", ptid == -7 ? "untouched" : "written");
			if(r > 0 && k == 1)
				waitpid(r, &st, __WALL);
		}
	}
	/* a process made would be a child to wait for; a thread made runs
	 * its increment before its exit, seen here or not (racy only in
	 * the failing case: the results above say it) */
	r = waitpid(-1, &st, WNOHANG | __WALL);
	printf("children: %s\n", r < 0 ? strerror(errno) : "some");
	printf("ran: %d\n", childran);
	return 0;
}

int
main(int argc, char **argv)
{
	pthread_t th[NT];
	long i, tlsok = 1;
	void *r;

	if(argc > 1 && strcmp(argv[1], "clonetls") == 0)
		return clonetls();
	for(i = 0; i < NT; i++)
		if(pthread_create(&th[i], NULL, worker, (void *)i) != 0){
			printf("pthread_create failed\n");
			return 1;
		}
	pthread_mutex_lock(&lk);
	while(started < NT)
		pthread_cond_wait(&cv, &lk);
	go = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lk);
	for(i = 0; i < NT; i++){
		pthread_join(th[i], &r);
		if((long)r != i + 1)
			tlsok = 0;
	}
	printf("threads %d total %lld tls %s main tls %d\n", NT, total, tlsok ? "ok" : "BAD", mine);
	return 0;
}
