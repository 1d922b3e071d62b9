/*
 * styxfuzz.c — a stateful 9P fuzzer for kexport.  A forked child runs the
 * kernel and exports its whole namespace on a unix socket; the parent
 * attacks it over real connections with random, mostly well-formed
 * sequences of every T-message (through a mount of a second export on /n
 * too): several connections at once, requests
 * pipelined in one write on a few shared fids, fids reused, walks in
 * place, flushes of pending tags, ORCLOSE, extreme offsets and counts,
 * wstat with odd fields, and abrupt disconnects.  After each batch the
 * child must be alive, answer a fresh client's Tversion, Tattach and
 * Tstat within 2 s, and not have grown in fds or resident memory beyond
 * a bound.  Everything random comes from the seed, printed on failure:
 *
 *	styxfuzz [-s seed] [-t seconds] [-c connections] [-m KiB] [-v]
 *
 * -m is how much resident memory the server may gain (64 MiB by default;
 * a sanitizer build's allocator needs far more, so styx_attack.t checks
 * memory on a plain build and everything else on an ASan one).
 *
 * Exit status 0 when every batch passed, 1 on a failure.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include "kernel.h"
#include "raw9p.h"
#include "fuzztree.h"

enum {
	NFID = 12,		/* fids in play per connection: small, so they collide */
	NTAG = 24,
	BATCHMSGS = 400,	/* per connection per batch */
	FDSLACK = 8,		/* fds the server may gain over its baseline */
	RSSSLACK = 64 << 10,	/* KiB of resident memory it may gain, unless -m */
};

static char dir[256], root[300], sockpath[300];
static pid_t server;
static int verbose;

/* --- the server (child) ---------------------------------------------- */

static void
listener(void *a)
{
	_exit(fuzzlisten(a, KEXPASYNC, NULL) == -1 ? 3 : 4);
}

static void
serve(void)
{
	static char addr[320];
	Kconf c;

	memset(&c, 0, sizeof c);
	if(fuzztree(root, &c) == -1)
		_exit(2);
	snprintf(addr, sizeof addr, "unix!%s", sockpath);
	kspawn(listener, addr, 0, "listen");
	for(;;)
		pause();
}

/* --- random messages --------------------------------------------------- */

static uint64_t
rnd(uint64_t *s)
{
	/* splitmix64: small and good enough, and the same everywhere */
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int
pick(uint64_t *s, int n)
{
	return rnd(s) % n;
}

static const char *names[] = {
	"f1", "d1", "f2", "fifo", "dev", "env", "prog", "srv", "fd", "chan", "n", "net",
	"cons", "user", "sysname", "null", "zero", "random", "ctl", "status", "1", "2",
	"..", ".", "", "a/b", "nonesuch", "new", "new2", "caf\xc3\xa9", "bad\xff",
	"over\xc0\xaf", "x", "ns", "fd0", "0", "p", "data", "data1",
};
enum { NNAMES = sizeof names / sizeof names[0] };

static uint64_t
offset(uint64_t *s)
{
	static const uint64_t odd[] = {
		0, 1, 4095, 1ULL << 31, 1ULL << 32, (1ULL << 63) - 1, 1ULL << 63,
		~0ULL, ~0ULL - 4095, ~0ULL - (1ULL << 40) + 1, 16 << 20, (16 << 20) - 1,
	};

	if(pick(s, 3) == 0)
		return odd[pick(s, sizeof odd / sizeof odd[0])];
	return rnd(s) % 64;
}

static uint32_t
count(uint64_t *s)
{
	static const uint32_t odd[] = { 0, 1, 8192, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFF - 4095 };

	if(pick(s, 3) == 0)
		return odd[pick(s, sizeof odd / sizeof odd[0])];
	return rnd(s) % 300;
}

static uint32_t
fid(uint64_t *s)
{
	if(pick(s, 40) == 0)
		return pick(s, 2) ? STYX_NOFID : (uint32_t)rnd(s);
	return pick(s, NFID);
}

/* One random T-message into f; strings and data point at static or
 * caller storage (st: 512 bytes for a stat). */
static void
randmsg(uint64_t *s, Fcall *f, uint8_t *st, uint8_t *data)
{
	static const int types[] = {
		Tversion, Tauth, Tattach, Tattach, Tflush, Tflush, Twalk, Twalk, Twalk, Twalk,
		Topen, Topen, Tcreate, Tread, Tread, Tread, Twrite, Twrite, Tclunk, Tclunk,
		Tremove, Tstat, Tstat, Twstat, Twstat,
	};
	StyxDir d;
	int i, t;

	t = types[pick(s, sizeof types / sizeof types[0])];
	if(t == Tversion && pick(s, 4) != 0)
		t = Tstat;	/* a version resets everything: keep it rare */
	r9init(f, t, pick(s, 60) == 0 ? STYX_NOTAG : pick(s, NTAG), fid(s));
	switch(t){
	case Tversion:
		f->msize = pick(s, 4) == 0 ? (uint32_t)rnd(s) : R9MSIZE;
		f->version = pick(s, 5) == 0 ? "9P2000.L" : "9P2000";
		break;
	case Tauth:
	case Tattach:
		f->afid = pick(s, 8) == 0 ? fid(s) : STYX_NOFID;
		f->uname = pick(s, 2) ? "eve" : "none";
		f->aname = pick(s, 6) == 0 ? "bogus" : "";
		break;
	case Tflush:
		f->oldtag = pick(s, NTAG);
		break;
	case Twalk:
		f->newfid = pick(s, 3) == 0 ? f->fid : fid(s);
		f->nwname = pick(s, 8) == 0 ? pick(s, 17) : pick(s, 4);
		for(i = 0; i < f->nwname; i++)
			f->wname[i] = (char*)names[pick(s, NNAMES)];
		break;
	case Topen:
		f->mode = pick(s, 4) | (pick(s, 4) == 0 ? STYX_OTRUNC : 0) | (pick(s, 4) == 0 ? STYX_ORCLOSE : 0);
		if(pick(s, 20) == 0)
			f->mode = rnd(s);
		break;
	case Tcreate:
		f->name = (char*)names[pick(s, NNAMES)];
		f->perm = pick(s, 4) == 0 ? STYX_DMDIR | 0755 : 0644;
		if(pick(s, 10) == 0)
			f->perm = rnd(s);
		f->mode = pick(s, 3) | (pick(s, 5) == 0 ? STYX_ORCLOSE : 0);
		break;
	case Tread:
		f->offset = offset(s);
		f->count = count(s);
		break;
	case Twrite:
		f->offset = offset(s);
		f->count = pick(s, 64);
		for(i = 0; i < (int)f->count; i++)
			data[i] = pick(s, 4) == 0 ? 'k' : rnd(s);
		if(pick(s, 6) == 0)
			memcpy(data, "kill", f->count = 4);
		f->data = data;
		break;
	case Twstat:
		styx_nulldir(&d);
		if(pick(s, 3) == 0)
			d.length = offset(s);
		if(pick(s, 4) == 0)
			d.name = (char*)names[pick(s, NNAMES)];
		if(pick(s, 4) == 0)
			d.mode = pick(s, 2) ? (uint32_t)rnd(s) : 0600;
		if(pick(s, 5) == 0)
			d.mtime = rnd(s);
		if(pick(s, 8) == 0)
			d.uid = "eve";
		f->nstat = styx_packdir(&d, st, 512);
		f->stat = st;
		break;
	}
}

/* --- the attack --------------------------------------------------------- */

typedef struct Conn {
	uint64_t seed;
	int fd;
} Conn;

static void
drainfor(int fd, int ms)
{
	uint8_t buf[R9MSIZE];
	Fcall rx;

	while(r9recv(fd, &rx, buf, ms) == 1)
		;
}

static void *
attack(void *a)
{
	static _Thread_local uint8_t out[BATCHMSGS * 600];
	uint8_t st[512], data[64];
	Conn *c = a;
	uint64_t *s = &c->seed;
	Fcall f;
	size_t n;
	int i, chunk, sent;

	c->fd = r9dial(sockpath);
	if(c->fd < 0)
		return NULL;
	if(pick(s, 10) != 0)
		r9hello(c->fd, pick(s, NFID), "eve", 2000);
	for(sent = 0; sent < BATCHMSGS; sent += chunk){
		chunk = 1 + pick(s, 60);
		n = 0;
		for(i = 0; i < chunk; i++){
			randmsg(s, &f, st, data);
			if(!r9add(out, sizeof out, &n, &f))
				break;
		}
		if(pick(s, 50) == 0 && n > 10)
			n -= 1 + pick(s, 9);	/* a torn message: the connection goes */
		if(styx_writeall(c->fd, out, n) < 0)
			break;
		if(pick(s, 30) == 0)
			break;	/* hang up with requests pending */
		drainfor(c->fd, pick(s, 3) == 0 ? 20 : 0);
	}
	close(c->fd);
	return NULL;
}

/* --- checks ----------------------------------------------------------- */

static int
countfds(pid_t pid)
{
	char p[64];

	snprintf(p, sizeof p, "/proc/%d/fd", (int)pid);
	return r9count(p);
}

static long
statusfield(pid_t pid, const char *field)
{
	char p[64], line[256];
	FILE *f;
	long v = -1;

	snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
	f = fopen(p, "r");
	if(f == NULL)
		return -1;
	while(fgets(line, sizeof line, f) != NULL)
		if(strncmp(line, field, strlen(field)) == 0)
			v = atol(line + strlen(field));
	fclose(f);
	return v;
}

static int
alive(void)
{
	if(waitpid(server, NULL, WNOHANG) != 0)
		return 0;
	return r9alive(sockpath, 2000);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
cleanup(void)
{
	char cmd[400];

	if(server > 0){
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if(dir[0])
		system(cmd);
}

static int
fail(uint64_t seed, int batch, const char *what)
{
	printf("styxfuzz: FAILED at batch %d: %s\nstyxfuzz: reproduce with -s %llu\n", batch, what, (unsigned long long)seed);
	fflush(stdout);
	cleanup();
	return 1;
}

int
main(int argc, char **argv)
{
	uint64_t seed, bs;
	double secs, end, t0;
	pthread_t th[16];
	Conn conns[16];
	long rss, rss0, threads, rssslack;
	int fds, fds0, nconn, batch, i;
	char why[200];

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	secs = 20;
	nconn = 4;
	rssslack = RSSSLACK;
	for(i = 1; i < argc; i++){
		if(strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if(strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			secs = atof(argv[++i]);
		else if(strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			nconn = atoi(argv[++i]);
		else if(strcmp(argv[i], "-m") == 0 && i + 1 < argc)
			rssslack = atol(argv[++i]);
		else if(strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else{
			fprintf(stderr, "usage: styxfuzz [-s seed] [-t seconds] [-c connections] [-m KiB] [-v]\n");
			return 2;
		}
	}
	if(nconn < 1 || nconn > 16)
		nconn = 4;
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof dir, "/tmp/styxfuzz.XXXXXX");
	if(mkdtemp(dir) == NULL){
		perror("mkdtemp");
		return 2;
	}
	snprintf(root, sizeof root, "%s/root", dir);
	snprintf(sockpath, sizeof sockpath, "%s/sock", dir);	/* outside the export */
	printf("styxfuzz: seed %llu, %g s, %d connections\n", (unsigned long long)seed, secs, nconn);
	fflush(stdout);
	server = fork();
	if(server < 0)
		return 2;
	if(server == 0)
		serve();
	/* the socket's name is there from its bind, before its listen: a
	 * probe then is refused, so try again for up to 5 s */
	for(i = 0; i < 250 && (access(sockpath, F_OK) < 0 || !alive()); i++){
		if(waitpid(server, NULL, WNOHANG) != 0)
			break;
		usleep(20000);
	}
	if(!alive())
		return fail(seed, 0, "the server did not start");
	fds0 = countfds(server);
	rss0 = statusfield(server, "VmRSS:");
	t0 = now();
	end = t0 + secs;
	bs = seed;
	for(batch = 1; now() < end; batch++){
		for(i = 0; i < nconn; i++){
			conns[i].seed = rnd(&bs);
			pthread_create(&th[i], NULL, attack, &conns[i]);
		}
		for(i = 0; i < nconn; i++)
			pthread_join(th[i], NULL);
		if(!alive())
			return fail(seed, batch, "the server died or did not answer a fresh client within 2 s");
		/* hung-up connections wind down asynchronously: give them
		 * time (an ASan build at nice 19 on a loaded machine once
		 * took more than 2 s; a leak stays however long we wait) */
		for(i = 0; i < 200; i++){
			fds = countfds(server);
			if(fds >= 0 && fds <= fds0 + FDSLACK)
				break;
			usleep(50000);
		}
		rss = statusfield(server, "VmRSS:");
		threads = statusfield(server, "Threads:");
		if(verbose)
			printf("batch %d: fds %d (from %d), rss %ld KiB (from %ld), threads %ld\n", batch, fds, fds0, rss, rss0, threads);
		if(fds > fds0 + FDSLACK){
			snprintf(why, sizeof why, "fds grew from %d to %d", fds0, fds);
			return fail(seed, batch, why);
		}
		if(rss > rss0 + rssslack){
			snprintf(why, sizeof why, "resident memory grew from %ld to %ld KiB", rss0, rss);
			return fail(seed, batch, why);
		}
	}
	printf("styxfuzz: %d batches in %.1f s, server fds %d (from %d), rss %ld KiB (from %ld)\n",
		batch - 1, now() - t0, countfds(server), fds0, statusfield(server, "VmRSS:"), rss0);
	cleanup();
	return 0;
}
