/* codefuzz.c — random code bytes through the decoder, the translator and
 * the code they emit, with the validator on (run with VXVALIDATE=1):
 *
 *	codefuzz [-t seconds] [-s first-seed] [N]
 *
 * Each seed is a sandbox with 64 KiB of random code (uniform bytes,
 * runs of prefixes and escapes, and pieces of real instructions) in a
 * writable page range, so stores into it exercise the self-modifying
 * code path too, and 128 KiB of data; registers point into them.  It
 * runs from random places in the code up to RESTARTS times: after each
 * trap (a fault, an illegal instruction, a system call …) it goes on
 * from a new place; a watchdog stops a run after WATCHMS.  A finding is
 * the host dying (the caller sees a signal), or a fragment the
 * validator refused (an illegal-instruction trap whose error names the
 * validator): the seed is printed, exit status 1.  With -t, seeds go on
 * until the time is up; N (default 200) caps them.  Exit status 0 and a
 * summary (seeds, runs, traps by kind, fragments translated) otherwise. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "vx.h"

enum {
	CODE = 0x10000, CODESIZE = 64 << 10,
	DATA = 0x40000, DATASIZE = 128 << 10,
	RESTARTS = 300, WATCHMS = 20,
};

static unsigned short rs[3];	/* jrand48's state: the same sequence from a seed everywhere */

static uint32_t
rnd(void)
{
	return (uint32_t)jrand48(rs);
}

/* Bytes that make the decoder's life interesting. */
static const uint8_t prefixes[] = {
	0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x26, 0x36, 0x3e, 0x64, 0x65, 0x0f, 0x0f, 0xc4, 0xc5, 0x62, 0x8f,
};
#define P(s) { s, sizeof s - 1 }
static const struct { const char *b; size_t n; } pieces[] = {
	P("\x8b\x03"), P("\x89\x04\x24"), P("\xff\xe0"), P("\xff\x24\x85\x00\x00\x04\x00"), P("\xc3"), P("\xc2\x04\x00"),
	P("\xe8\x00\x00\x00\x00"), P("\x58"), P("\x50"), P("\x9c"), P("\x9d"), P("\xf3\xa4"), P("\xf3\xab"), P("\xfd"),
	P("\xfc"), P("\x0f\xa2"), P("\x0f\x01\xd0"), P("\xcd\x80"), P("\x60"), P("\x61"), P("\xc8\x10\x00\x01"), P("\xc9"),
	P("\x0f\xc7\x0e"), P("\xd9\xee"), P("\xdd\x1c\x24"), P("\x0f\x28\xc1"), P("\xc5\xf8\x77"), P("\x8e\xe0"),
	P("\x8c\xe8"), P("\x65\xa1\x14\x00\x00\x00"), P("\xe2\xfe"), P("\x74\x02"), P("\xeb\xfe"), P("\x0f\x85\x00\x01\x00\x00"),
	P("\x8d\x74\x26\x00"), P("\xf7\xf1"), P("\xd4\x0a"), P("\x62\x0e"), P("\xce"), P("\xcc"), P("\x0f\x0b"),
	/* the system instructions the runtime does (sysinsn.c), stack slots
	 * of every kind (bt's register offset, a gather with %esp as base) */
	P("\x0f\x01\x04\x24"), P("\x0f\x01\x4c\x24\xfc"), P("\x0f\x01\xe0"), P("\x66\x0f\x00\xc8"),
	P("\x0f\x00\x44\x24\x02"), P("\x0f\x02\xc3"), P("\x0f\x03\x04\x24"), P("\x0f\x00\x24\x24"),
	P("\x0f\x00\xe8"), P("\x67\x0f\x01\x07"), P("\x65\x0f\x01\x0b"), P("\x0f\xab\x04\x24"),
	P("\xc4\xe2\xf5\x91\x04\x24"), P("\xc4\xe2\x75\x90\x44\x24\x10"), P("\xc5\xfe\x6f\x44\x24\x08"),
};
enum { NPIECES = sizeof pieces / sizeof pieces[0] };

static void
gencode(uint8_t *p, size_t n)
{
	size_t i, k;
	int mode;

	for(i = 0; i < n; ){
		mode = rnd() % 4;
		if(mode == 0){
			int j = rnd() % NPIECES;
			k = pieces[j].n < n - i ? pieces[j].n : n - i;
			memcpy(p + i, pieces[j].b, k);
		}else if(mode == 1){
			for(k = 0; k < 1 + rnd() % 4 && i + k < n; k++)
				p[i + k] = prefixes[rnd() % sizeof prefixes];
		}else{
			for(k = 0; k < 1 + rnd() % 8 && i + k < n; k++)
				p[i + k] = rnd();
		}
		i += k;
	}
}

/* The watchdog: a run still going after WATCHMS is stopped. */
static pthread_mutex_t wlk = PTHREAD_MUTEX_INITIALIZER;
static Vx *running;
static unsigned long gen;

static void *
watchdog(void *a)
{
	unsigned long seen = 0;

	(void)a;
	for(;;){
		usleep(WATCHMS * 1000);
		pthread_mutex_lock(&wlk);
		if(running != NULL && gen == seen)
			vx_stop(running);
		seen = gen;
		pthread_mutex_unlock(&wlk);
	}
	return NULL;
}

static void
setrunning(Vx *vx)
{
	pthread_mutex_lock(&wlk);
	running = vx;
	gen++;
	pthread_mutex_unlock(&wlk);
}

static void
randregs(Vx *vx)
{
	int r;

	for(r = VX_EAX; r <= VX_EDI; r++)
		vx_setreg(vx, r, rnd() % 4 == 0 ? rnd() << 16 ^ rnd() : rnd() % 8 == 0 ? CODE + rnd() % CODESIZE : DATA + rnd() % DATASIZE);
	vx_setreg(vx, VX_ESP, DATA + DATASIZE / 2 + (rnd() % 64) * 4);
	vx_setreg(vx, VX_EIP, CODE + rnd() % CODESIZE);
}

static long runs, traps[VX_NTRAP];

/* The guest bytes of a refused fragment, to make a reproducer of. */
static void
dump(const uint8_t *code, uint32_t eip)
{
	uint32_t a;

	printf("codefuzz: guest code at 0x%x:", eip);
	for(a = eip; a < eip + 48 && a < CODE + CODESIZE; a++)
		printf(" %02x", code[a - CODE]);
	printf("\n");
}

/* One seed; 0, or -1 on a finding. */
static int
fuzz1(uint64_t seed)
{
	char err[VX_ERRLEN];
	VxTrapInfo ti;
	uint8_t *code;
	Vx *vx;
	int i;

	rs[0] = seed;
	rs[1] = seed >> 16;
	rs[2] = seed >> 32 ^ 0x330e;
	vx = vx_new(1 << 20, err);
	if(vx == NULL){
		fprintf(stderr, "codefuzz: vx_new: %s\n", err);
		exit(2);
	}
	if(vx_map(vx, CODE, CODESIZE, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC) < 0 ||
	   vx_map(vx, DATA, DATASIZE, VX_PROT_READ | VX_PROT_WRITE) < 0 ||
	   (code = vx_access(vx, CODE, CODESIZE, VX_PROT_WRITE)) == NULL){
		fprintf(stderr, "codefuzz: map: %s\n", vx_errstr(vx));
		exit(2);
	}
	gencode(code, CODESIZE);
	randregs(vx);
	for(i = 0; i < RESTARTS; i++){
		setrunning(vx);
		vx_run(vx, &ti);
		setrunning(NULL);
		runs++;
		if(ti.trap > 0 && ti.trap < VX_NTRAP)
			traps[ti.trap]++;
		if(ti.trap == VX_TRAP_ILLEGAL && strncmp(vx_errstr(vx), "validator", 9) == 0){
			printf("codefuzz: seed %llu: %s\n", (unsigned long long)seed, vx_errstr(vx));
			dump(code, ti.eip);
			vx_free(vx);
			return -1;
		}
		if(ti.trap != VX_TRAP_SYSCALL && ti.trap != VX_TRAP_PREEMPT)
			randregs(vx);
		else if(rnd() % 8 == 0)
			vx_setreg(vx, VX_EIP, CODE + rnd() % CODESIZE);
	}
	vx_free(vx);
	return 0;
}

static const char *trapname[VX_NTRAP] = {
	[VX_TRAP_SYSCALL] = "syscall", [VX_TRAP_INT] = "int", [VX_TRAP_SYSENTER] = "sysenter",
	[VX_TRAP_SYSCALLINSN] = "syscallinsn", [VX_TRAP_PAGEFAULT] = "pagefault", [VX_TRAP_ILLEGAL] = "illegal",
	[VX_TRAP_PRIVILEGED] = "privileged", [VX_TRAP_DIVIDE] = "divide", [VX_TRAP_FPU] = "fpu",
	[VX_TRAP_SIMD] = "simd", [VX_TRAP_BREAKPOINT] = "breakpoint", [VX_TRAP_SINGLESTEP] = "singlestep",
	[VX_TRAP_OVERFLOW] = "overflow", [VX_TRAP_BOUND] = "bound", [VX_TRAP_PREEMPT] = "preempt",
	[VX_TRAP_ALIGN] = "align", [VX_TRAP_BUSERR] = "buserr",
};

int
main(int argc, char **argv)
{
	uint64_t first, s;
	long n, secs;
	time_t end;
	VxStats st;
	pthread_t th;
	int c, i;

	secs = 0;
	first = (uint64_t)time(NULL) % 1000000 * 1000;
	while((c = getopt(argc, argv, "t:s:")) != -1)
		switch(c){
		case 't':
			secs = atol(optarg);
			break;
		case 's':
			first = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: codefuzz [-t seconds] [-s first-seed] [N]\n");
			return 2;
		}
	n = optind < argc ? atol(argv[optind]) : (secs > 0 ? 1L << 40 : 200);
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_create(&th, NULL, watchdog, NULL);
	end = time(NULL) + secs;
	for(s = first; s < first + (uint64_t)n && (secs == 0 || time(NULL) < end); s++)
		if(fuzz1(s) < 0)
			return 1;
	vx_allstats(&st);
	printf("codefuzz: seeds %llu..%llu (%llu), %ld runs, %llu fragments, %llu KiB translated, %llu smc;",
		(unsigned long long)first, (unsigned long long)s - 1, (unsigned long long)(s - first), runs,
		(unsigned long long)st.fragments, (unsigned long long)st.codebytes >> 10, (unsigned long long)st.smc);
	for(i = 1; i < VX_NTRAP; i++)
		if(traps[i])
			printf(" %s %ld", trapname[i], traps[i]);
	printf("\n");
	return 0;
}
