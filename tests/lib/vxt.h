/*
 * vxt.h — what the sandbox's unit tests share beside tap.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>

/* SNIP(name, "asm"): i386 code assembled into .rodata between name_s
 * and name_e, for a test to copy into guest memory. */
#define SNIP(name, body) \
	__asm__(".pushsection .rodata\n.code32\n" #name "_s:\n" body "\n" #name "_e:\n.code64\n.popsection\n"); \
	extern const uint8_t name##_s[], name##_e[];

/* A new sandbox of memsize bytes holding the n bytes of code at code
 * (codelen bytes mapped read/execute) and a read/write stack
 * [stacklo, stacktop); its registers are left as vx_new made them
 * (zero).  NULL, said, when it cannot be made. */
static inline Vx *
vxt_guest(uint32_t memsize, uint32_t code, const uint8_t *s, size_t n, uint32_t codelen,
	uint32_t stacklo, uint32_t stacktop)
{
	char err[VX_ERRLEN];
	Vx *vx = vx_new(memsize, err);

	if(vx == NULL){
		diag("vx_new: %s", err);
		return NULL;
	}
	vx_map(vx, code, codelen, VX_PROT_READ | VX_PROT_WRITE);
	memcpy(vx_access(vx, code, (uint32_t)n, VX_PROT_WRITE), s, n);
	vx_protect(vx, code, codelen, VX_PROT_READ | VX_PROT_EXEC);
	vx_map(vx, stacklo, stacktop - stacklo, VX_PROT_READ | VX_PROT_WRITE);
	return vx;
}

/* Rewrite a byte of guest code through the API, as a guest's mprotect
 * and store would: the translator must notice. */
static inline void
vxt_poke(Vx *vx, uint32_t a, uint8_t v)
{
	uint32_t pg = a & ~0xfffu;

	vx_protect(vx, pg, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	*(uint8_t *)vx_access(vx, a, 1, VX_PROT_WRITE) = v;
	vx_protect(vx, pg, 0x1000, VX_PROT_READ | VX_PROT_EXEC);
}

/* The host's protection of the page at p from /proc/self/maps ("r--p"
 * …), or "" when no mapping holds it. */
static inline const char *
vxt_hostperm(const void *p)
{
	static char perm[8];
	unsigned long lo, hi;
	char line[512];
	FILE *f;

	perm[0] = 0;
	f = fopen("/proc/self/maps", "r");
	if(f == NULL)
		return perm;
	while(fgets(line, sizeof line, f) != NULL)
		if(sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 && (uintptr_t)p >= lo && (uintptr_t)p < hi)
			break;
		else
			perm[0] = 0;
	fclose(f);
	return perm;
}

/* Run from eip with esp at esp until the next trap. */
static inline int
vxt_run(Vx *vx, uint32_t eip, uint32_t esp)
{
	VxTrapInfo ti;

	vx_setreg(vx, VX_EIP, eip);
	vx_setreg(vx, VX_ESP, esp);
	return vx_run(vx, &ti);
}

/* Another thread stops the sandbox every few microseconds until done. */
typedef struct VxtStorm {
	Vx *vx;
	atomic_int done;
} VxtStorm;

static inline void *
vxt_stormer(void *arg)
{
	VxtStorm *s = arg;
	struct timespec ts = { 0, 2 * 1000 };

	while(!atomic_load(&s->done)){
		vx_stop(s->vx);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Run vx to its next trap other than a stop while another thread stops
 * it every few microseconds; the stops in *stops. */
static inline int
vxt_understops(Vx *vx, int *stops)
{
	VxTrapInfo ti;
	VxtStorm s;
	pthread_t th;
	int r;

	s.vx = vx;
	atomic_init(&s.done, 0);
	*stops = 0;
	pthread_create(&th, NULL, vxt_stormer, &s);
	while((r = vx_run(vx, &ti)) == VX_TRAP_PREEMPT)
		(*stops)++;
	atomic_store(&s.done, 1);
	pthread_join(th, NULL);
	return r;
}
