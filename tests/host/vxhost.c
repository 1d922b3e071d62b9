/*
 * vxhost.c — `vxhost [-t] [-m MB] [-T seconds] prog args…` runs a static
 * Linux i386 program in a Vx and serves its system calls itself (sys*.c).
 * A fatal trap prints one line and exits with 128+signal, the status a
 * shell shows for the native program killed by that signal.  -T stops a
 * guest that runs too long through vx_stop: status 124.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vxhost.h"

enum {
	MAXIMAGE = 512 << 20,
	STOPWAIT = 50,		/* tenths of a second the guest gets to stop */
};

typedef struct Trap {
	const char *name;
	int sig;		/* what Linux would send; 0: not fatal */
} Trap;

static const Trap traps[VX_NTRAP] = {
	[VX_TRAP_SYSCALL] = { "SYSCALL", 0 },
	[VX_TRAP_INT] = { "INT", SIGSEGV },		/* int n is a #GP on Linux */
	[VX_TRAP_SYSENTER] = { "SYSENTER", 0 },
	[VX_TRAP_SYSCALLINSN] = { "SYSCALLINSN", SIGILL },	/* #UD on Intel */
	[VX_TRAP_PAGEFAULT] = { "PAGEFAULT", SIGSEGV },
	[VX_TRAP_ILLEGAL] = { "ILLEGAL", SIGILL },
	[VX_TRAP_PRIVILEGED] = { "PRIVILEGED", SIGSEGV },
	[VX_TRAP_DIVIDE] = { "DIVIDE", SIGFPE },
	[VX_TRAP_FPU] = { "FPU", SIGFPE },
	[VX_TRAP_SIMD] = { "SIMD", SIGFPE },
	[VX_TRAP_BREAKPOINT] = { "BREAKPOINT", SIGTRAP },
	[VX_TRAP_SINGLESTEP] = { "SINGLESTEP", SIGTRAP },
	[VX_TRAP_OVERFLOW] = { "OVERFLOW", SIGSEGV },	/* Linux sends SIGSEGV for #OF */
	[VX_TRAP_BOUND] = { "BOUND", SIGSEGV },
	[VX_TRAP_PREEMPT] = { "PREEMPT", 0 },
	[VX_TRAP_ALIGN] = { "ALIGN", SIGBUS },
	[VX_TRAP_BUSERR] = { "BUSERR", SIGBUS },
};

static char *guestenv[] = { "PATH=/bin", "HOME=/", "LANG=C", NULL };

static Host host;
static double timeout;
static atomic_int timedout;
static atomic_int ending;

static void
usage(void)
{
	fprintf(stderr, "usage: vxhost [-t] [-m MB] [-T seconds] prog [args...]\n");
	exit(2);
}

/* Print msg and exit, once: the watchdog and the main thread may race. */
static void
endwith(const char *msg, int status)
{
	int no;

	no = 0;
	if(!atomic_compare_exchange_strong(&ending, &no, 1))
		for(;;)
			pause();
	fflush(stdout);
	fprintf(stderr, "vxhost: %s\n", msg);
	_exit(status);
}

/* -T: stop the guest with vx_stop, the way an embedding would.  A guest
 * blocked in a host call (read of stdin, sleep) cannot see the stop, so
 * then the watchdog ends the run itself. */
static void *
watchdog(void *arg)
{
	struct timespec ts;
	Host *h;
	int i;

	h = arg;
	ts.tv_sec = (time_t)timeout;
	ts.tv_nsec = (long)((timeout - ts.tv_sec) * 1e9);
	while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	atomic_store(&timedout, 1);
	for(i = 0; i < STOPWAIT; i++){
		if(atomic_load(&h->inhost))
			endwith("timeout", 124);
		vx_stop(h->vx);
		usleep(100000);
	}
	endwith("timeout, and vx_stop did not stop the guest", 125);
	return NULL;
}

static void
dosyscall(Host *h, int sysenter)
{
	uint32_t a[6];
	void *p;
	long r;

	a[0] = vx_getreg(h->vx, VX_EBX);
	a[1] = vx_getreg(h->vx, VX_ECX);
	a[2] = vx_getreg(h->vx, VX_EDX);
	a[3] = vx_getreg(h->vx, VX_ESI);
	a[4] = vx_getreg(h->vx, VX_EDI);
	a[5] = vx_getreg(h->vx, VX_EBP);
	if(sysenter){
		/* The vDSO convention: ebp holds the user esp, the sixth argument is at 0(%ebp). */
		p = vhmem(h, a[5], 4, VX_PROT_READ);
		a[5] = p ? vhget32(p) : 0;
	}
	r = vhsyscall(h, vx_getreg(h->vx, VX_EAX), a);
	vx_setreg(h->vx, VX_EAX, (uint32_t)r);
}

static void
fataltrap(VxTrapInfo *ti)
{
	const char *name;
	int sig;

	name = "UNKNOWN";
	sig = SIGSEGV;
	if(ti->trap > 0 && ti->trap < VX_NTRAP && traps[ti->trap].name != NULL){
		name = traps[ti->trap].name;
		sig = traps[ti->trap].sig;
	}
	fflush(stdout);
	fprintf(stderr, "vxhost: trap %s eip=0x%08x addr=0x%08x\n", name, ti->eip, ti->addr);
	exit(128 + sig);
}

static void
run(Host *h)
{
	VxTrapInfo ti;

	for(;;){
		memset(&ti, 0, sizeof ti);
		switch(vx_run(h->vx, &ti)){
		case VX_TRAP_SYSCALL:
			dosyscall(h, 0);
			break;
		case VX_TRAP_SYSENTER:
			dosyscall(h, 1);
			break;
		case VX_TRAP_INT:
			if(ti.vector != 0x80)
				fataltrap(&ti);
			dosyscall(h, 0);
			break;
		case VX_TRAP_PREEMPT:
			break;
		default:
			fataltrap(&ti);
		}
		if(atomic_load(&timedout))
			endwith("timeout", 124);
	}
}

/* Open the program; exits on failure with the shell's "not found"
 * status.  The loader maps it from the file (vx_loadelffd). */
static int
openprog(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if(fd < 0){
		fprintf(stderr, "vxhost: %s: %s\n", path, strerror(errno));
		exit(127);
	}
	return fd;
}

int
main(int argc, char **argv)
{
	char err[VX_ERRLEN], *end;
	pthread_t th;
	uint32_t mb;
	Host *h;
	int c, fd;

	mb = 1024;
	h = &host;
	while((c = getopt(argc, argv, "+tm:T:")) != -1){
		switch(c){
		case 't':
			h->trace = 1;
			break;
		case 'm':
			mb = strtoul(optarg, &end, 10);
			if(*end != 0 || mb < 1 || mb > 3072)
				usage();
			break;
		case 'T':
			timeout = strtod(optarg, &end);
			if(*end != 0 || !(timeout > 0 && timeout < 1e6))
				usage();
			break;
		default:
			usage();
		}
	}
	if(optind >= argc)
		usage();

	fd = openprog(argv[optind]);
	h->vx = vx_new(mb << 20, err);
	if(h->vx == NULL){
		fprintf(stderr, "vxhost: vx_new: %s\n", err);
		return 1;
	}
	if(vx_loadelffd(h->vx, fd, argv + optind, guestenv, argv[optind], &h->img) < 0){
		fprintf(stderr, "vxhost: %s: %s\n", argv[optind], vx_errstr(h->vx));
		return 126;
	}
	close(fd);
	h->brkstart = h->brk = h->img.brk;
	h->mmaptop = h->img.sp & ~(uint32_t)(PGSIZE - 1);	/* below the stack */

	if(timeout > 0){
		if(pthread_create(&th, NULL, watchdog, h) != 0){
			fprintf(stderr, "vxhost: cannot start the watchdog\n");
			return 1;
		}
		pthread_detach(th);
	}
	run(h);
	return 0;
}
