/* guest_tcbus — tests/vxinferno_tcache.t: a fault in code taken from
 * the persistent cache, before and after the test changes the cache
 * file in place (truncates it): the signal's eip must name the faulting
 * instruction both times.  The fault is a SIGSEGV (address 0) or, with
 * "bus", a SIGBUS (a page of the guest's own mapping past its file's
 * end, as Linux gives).  Between the two it prints "ready" and waits
 * for a line on stdin. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

/* touch(p): a few instructions, then a load from p at touchat */
int touch(volatile char *p);
extern char touchat[];
__asm__(".text\n"
	".globl touch\n"
	"touch:\n"
	"	movl 4(%esp), %ecx\n"
	"	movl $1, %eax\n"
	"	addl $2, %eax\n"
	"	imull $3, %eax\n"
	".globl touchat\n"
	"touchat:\n"
	"	movzbl (%ecx), %eax\n"
	"	ret\n");

static sigjmp_buf jb;
static volatile long faultoff;
static volatile int faultsig;

static void
onfault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)si;
	faultsig = sig;
	faultoff = (long)uc->uc_mcontext.gregs[REG_EIP] - (long)(unsigned long)touchat;
	siglongjmp(jb, 1);
}

static void
fault(const char *what, volatile char *p)
{
	int i;

	for(i = 0; i < 3; i++){
		faultsig = 0;
		if(sigsetjmp(jb, 1) == 0)
			touch(p);
		printf("%s: signal %d at touchat%+ld\n", what, faultsig, faultoff);
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	volatile char *p = NULL;
	char line[64], name[] = "/tmp/tcbusXXXXXX";
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onfault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if(argc > 1 && strcmp(argv[1], "bus") == 0){
		/* two pages of a file, then the file cut to nothing */
		if((fd = mkstemp(name)) < 0 || ftruncate(fd, 8192) < 0)
			return 2;
		p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
		if(p == MAP_FAILED || ftruncate(fd, 0) < 0)
			return 3;
		unlink(name);
	}
	fault("before", p);
	printf("ready\n");
	fflush(stdout);
	if(fgets(line, sizeof line, stdin) == NULL)
		return 4;
	fault("after", p);
	return 0;
}
