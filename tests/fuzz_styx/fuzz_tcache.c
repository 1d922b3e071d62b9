/*
 * fuzz_tcache.c — libFuzzer target for the persistent translation
 * cache's loader (libvx/tcache.c): a cache file is whoever wrote it's
 * choice, so a damaged or crafted one must be a miss, never a crash, a
 * hang or a read outside it.  The input is
 *	mode[1] file…
 * The file is written into a cache directory as the cold form's file of
 * the guest tcguest (mode & 1 = 0) or as its warm form's (mode & 1 = 1;
 * the cold file is then the one the first run made, and the guest runs
 * long enough to turn warm: tcache.c, vx_tcwarm).  Its header's magic,
 * version, engine, build, key and (unless mode & 2) size are made the
 * ones this build expects, and its checksum is recomputed as
 * tests/tools/tcmut does, so every input gets past them to the index,
 * the entries, the page and link sections.  Then a sandbox loads the
 * guest from its file (vx_loadelffd: the cache file is loaded, its code
 * pages are file pages that vx_tcfaultin may populate), runs it to its
 * exit with VXVALIDATE=1 (every cached fragment through the validator;
 * without it a file's code runs as the translator's own, tcache.c,
 * "Trust"), and is freed (the file is rewritten from the old entries
 * and the new).  A run is stopped after RUNMS (a crafted fragment may
 * loop as guest code may): a stop is not a finding, a host hang is
 * (libFuzzer's -timeout).
 *
 * The guest (build/fuzz_styx/tcguest) is found beside the binary, or at
 * FUZZ_TCGUEST.  FUZZ_TCACHE_SAY=1: print each run's end and its hits.
 * FUZZ_TCACHE_SEEDS=DIR: write the seeds (the cold file
 * and the warm one, as the guest's runs made them) into DIR and exit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vx.h"
#include "tcache.h"

enum { MEM = 256 << 20, RUNMS = 2000, MAXFILE = 1 << 20 };

static char dir[64];
static char guest[4096];
static int guestfd;		/* opened once: a build replacing the file meanwhile
				 * (build.sh, made by a campaign's next target) is
				 * no finding */
static char coldname[128], warmname[128];
static uint8_t *cold;		/* the cold file a first run made */
static size_t ncold;
static uint8_t *warm;
static size_t nwarm;
static TcHdr coldhdr, warmhdr;

static pthread_mutex_t wlk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wcv = PTHREAD_COND_INITIALIZER;
static Vx *running;		/* the watchdog stops it at its deadline */
static struct timespec deadline;

_Noreturn static void
die(const char *what)
{
	fprintf(stderr, "fuzz_tcache: %s: %s\n", what, strerror(errno));
	abort();
}

static void *
watchdog(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&wlk);
	for(;;){
		if(running == NULL){
			pthread_cond_wait(&wcv, &wlk);
			continue;
		}
		if(pthread_cond_timedwait(&wcv, &wlk, &deadline) == ETIMEDOUT && running != NULL){
			vx_stop(running);
			deadline.tv_sec += 1;	/* again later if it did not stop */
		}
	}
	return NULL;
}

/* Run the guest once (warm: with an argument); its exit status, or -1
 * for a trap or a stop. */
static int
rung(int warmrun)
{
	char err[VX_ERRLEN];
	char *argv[] = { "tcguest", warmrun ? "warm" : NULL, NULL };
	char *envp[] = { NULL };
	VxTrapInfo ti;
	VxImage im;
	Vx *vx;
	int rc = -1;

	if((vx = vx_new(MEM, err)) == NULL){
		fprintf(stderr, "fuzz_tcache: vx_new: %s\n", err);
		abort();
	}
	if(vx_loadelffd(vx, guestfd, argv, envp, "/tcguest", &im) < 0){
		fprintf(stderr, "fuzz_tcache: load %s: %s\n", guest, vx_errstr(vx));
		abort();
	}
	pthread_mutex_lock(&wlk);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += RUNMS / 1000;
	running = vx;
	pthread_cond_signal(&wcv);
	pthread_mutex_unlock(&wlk);
	for(;;){
		if(vx_run(vx, &ti) != VX_TRAP_SYSCALL)
			break;
		if(vx_getreg(vx, VX_EAX) == 1){
			rc = (int)vx_getreg(vx, VX_EBX);
			break;
		}
		vx_setreg(vx, VX_EAX, (uint32_t)-38);	/* ENOSYS */
	}
	pthread_mutex_lock(&wlk);
	running = NULL;
	pthread_mutex_unlock(&wlk);
	if(getenv("FUZZ_TCACHE_SAY") != NULL){
		VxStats st;
		vx_stats(vx, &st);
		fprintf(stderr, "fuzz_tcache: %s run: exit %d, trap %d at %#x; %llu hits, %llu misses, %llu links, %llu warm rets\n",
			warmrun ? "warm" : "cold", rc, ti.trap, ti.eip, (unsigned long long)st.tchits,
			(unsigned long long)st.tcmisses, (unsigned long long)st.tclinks, (unsigned long long)st.warmrets);
	}
	vx_free(vx);
	vx_dropspares();	/* no kept copy: the next run reads its file */
	return rc;
}

/* Remove every file in the cache directory. */
static void
empty(void)
{
	char p[256];
	struct dirent *d;
	DIR *dp;

	if((dp = opendir(dir)) == NULL)
		die(dir);
	while((d = readdir(dp)) != NULL)
		if(d->d_name[0] != '.' || strncmp(d->d_name, ".vxtc", 5) == 0){
			snprintf(p, sizeof p, "%s/%s", dir, d->d_name);
			unlink(p);
		}
	closedir(dp);
}

static uint8_t *
slurp(const char *name, size_t *n)
{
	char p[256];
	struct stat st;
	uint8_t *b;
	int fd;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	if((fd = open(p, O_RDONLY)) < 0 || fstat(fd, &st) < 0 || (b = malloc(st.st_size)) == NULL
	|| read(fd, b, st.st_size) != st.st_size)
		die(p);
	close(fd);
	*n = (size_t)st.st_size;
	return b;
}

/* Write n bytes as the cache file name: a new file renamed in, as
 * tcache.c's writers do. */
static void
put(const char *name, const uint8_t *b, size_t n)
{
	char p[256], t[256];
	int fd;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	snprintf(t, sizeof t, "%s/new", dir);
	if((fd = open(t, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0
	|| (n > 0 && write(fd, b, n) != (ssize_t)n) || close(fd) < 0 || rename(t, p) < 0)
		die(p);
}

/* The names of the files the runs made, and their bytes. */
static void
findfiles(void)
{
	struct dirent *d;
	DIR *dp;

	if((dp = opendir(dir)) == NULL)
		die(dir);
	while((d = readdir(dp)) != NULL){
		if(strstr(d->d_name, ".vxtc") == NULL || d->d_name[0] == '.')
			continue;
		if(strstr(d->d_name, "-warm") != NULL)
			snprintf(warmname, sizeof warmname, "%s", d->d_name);
		else
			snprintf(coldname, sizeof coldname, "%s", d->d_name);
	}
	closedir(dp);
	if(coldname[0] == 0 || warmname[0] == 0){
		fprintf(stderr, "fuzz_tcache: the guest's runs made no cache file (cold %s, warm %s)\n",
			coldname[0] ? coldname : "none", warmname[0] ? warmname : "none");
		abort();
	}
	cold = slurp(coldname, &ncold);
	warm = slurp(warmname, &nwarm);
	if(ncold < sizeof(TcHdr) || nwarm < sizeof(TcHdr)){
		fprintf(stderr, "fuzz_tcache: short cache files\n");
		abort();
	}
	memcpy(&coldhdr, cold, sizeof coldhdr);
	memcpy(&warmhdr, warm, sizeof warmhdr);
}

/* At the fuzzer's exit: the cache directory goes. */
static void
cleanup(void)
{
	empty();
	rmdir(dir);
}

static void
seeds(const char *out)
{
	char p[512];
	uint8_t m;
	FILE *f;
	int i;

	for(i = 0; i < 2; i++){
		snprintf(p, sizeof p, "%s/%s", out, i ? "warm" : "cold");
		m = (uint8_t)i;
		if((f = fopen(p, "w")) == NULL)
			die(p);
		fwrite(&m, 1, 1, f);
		fwrite(i ? warm : cold, 1, i ? nwarm : ncold, f);
		if(fclose(f) != 0)
			die(p);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[VX_ERRLEN], *s;
	const char *g;
	pthread_t w;

	setenv("VXVALIDATE", "1", 1);
	if((g = getenv("FUZZ_TCGUEST")) != NULL)
		snprintf(guest, sizeof guest, "%s", g);
	else{
		snprintf(guest, sizeof guest, "%s", (*argv)[0]);
		s = strrchr(guest, '/');
		snprintf(s != NULL ? s + 1 : guest, sizeof guest - (s != NULL ? (size_t)(s + 1 - guest) : 0), "tcguest");
	}
	(void)argc;
	if((guestfd = open(guest, O_RDONLY | O_CLOEXEC)) < 0)
		die(guest);
	snprintf(dir, sizeof dir, "/tmp/fuzz_tcache.XXXXXX");
	if(mkdtemp(dir) == NULL)
		die("mkdtemp");
	atexit(cleanup);
	if(vx_tcache(dir, 0, err) < 0){
		fprintf(stderr, "fuzz_tcache: vx_tcache: %s\n", err);
		abort();
	}
	if(pthread_create(&w, NULL, watchdog, NULL) != 0)
		die("pthread_create");
	/* a cold run makes the cold file, a warm one the warm file */
	if(rung(0) < 0 || rung(1) < 0){
		fprintf(stderr, "fuzz_tcache: the guest did not exit\n");
		abort();
	}
	findfiles();
	if((s = getenv("FUZZ_TCACHE_SEEDS")) != NULL){
		seeds(s);
		exit(0);
	}
	return 0;
}

/* The header fields tcload compares with what it expects, made so, and
 * the sum recomputed (tcmut's sumfile). */
static void
fixhdr(uint8_t *f, size_t n, const TcHdr *want, int keepsize)
{
	TcHdr h;
	TcSum s;

	if(n < sizeof h)
		return;
	memcpy(&h, f, sizeof h);
	memcpy(h.magic, want->magic, sizeof h.magic);
	h.version = want->version;
	h.engine = want->engine;
	memcpy(h.build, want->build, sizeof h.build);
	h.key = want->key;
	if(!keepsize)
		h.size = n;
	h.sum = 0;
	memcpy(f, &h, sizeof h);
	tcsuminit(&s, 0);
	tcsumadd(&s, f, n);
	h.sum = tcsumend(&s);
	memcpy(f, &h, sizeof h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *f;
	size_t n;
	int mode;

	if(size < 1 || size - 1 > MAXFILE)
		return 0;
	mode = data[0];
	n = size - 1;
	if((f = malloc(n + 1)) == NULL)
		abort();
	memcpy(f, data + 1, n);
	empty();
	if(mode & 1){
		fixhdr(f, n, &warmhdr, mode & 2);
		put(coldname, cold, ncold);
		put(warmname, f, n);
	}else{
		fixhdr(f, n, &coldhdr, mode & 2);
		put(coldname, f, n);
	}
	free(f);
	rung(mode & 1);
	return 0;
}
