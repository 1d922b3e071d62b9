/*
 * guest_pipefault.c — a pipe's read and write whose buffer the guest
 * cannot reach all of (session 24's red team).  Run natively and in the
 * sandbox, the same output (tests/vxinferno_pipefault.t).
 *
 * faults: one thread.  Linux looks at a pipe's buffer only as it copies,
 * a pipe buffer (a page) at a time: a read moves the whole pipe buffers
 * that reach the buffer before its unmapped, PROT_NONE or read-only
 * page (12288 of a 16 KiB write, 100 bytes into a long buffer whose end
 * is not there), EFAULT when none does, the rest left; a write queues
 * the pieces it copied whole (its length modulo a page merged into the
 * last buffer first when it fits, then pages); an empty pipe's read
 * fails EAGAIN and a readerless write EPIPE before any fault.  vxinferno
 * checked the whole buffer first: EFAULT for all of these.
 *
 * race: a writer and a reader move a numbered byte stream through a
 * pipe while a third thread unmaps, remaps and reprotects both their
 * buffers (memfd pages, so a remap keeps the bytes): every byte a write
 * says it queued comes out once, in order, none made up or lost.  A
 * guard copy whose fault the handler found allowed, and the guest then
 * unmapped, wrote into a scratch page the host opened and counted the
 * bytes as read: lost (about one run in ten).  racev: the same with
 * writev and readv of two iovecs (the pipe copies through them as one
 * buffer since session 25).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/uio.h>

static char *area;	/* 4 pages: 0-2 RW, 3 changed per case */

static void
setbad(int how)
{
	munmap(area + 3 * 4096, 4096);
	if(how == 1)
		mmap(area + 3 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	else if(how == 2)
		mmap(area + 3 * 4096, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void
drain(int fd, const char *what)
{
	static char b[70000];
	long k, t = 0, zeros = 0, bad = 0;
	int i;

	while((k = read(fd, b, sizeof b)) > 0){
		for(i = 0; i < k; i++){
			if(b[i] == 0) zeros++;
			if((unsigned char)b[i] != (unsigned char)((t + i) % 251 + 1)) bad++;
		}
		t += k;
	}
	printf("  %s left %ld zeros %ld out-of-order %ld\n", what, t, zeros, bad);
}

static void
fill(char *p, long n, long start)
{
	long i;
	for(i = 0; i < n; i++)
		p[i] = (start + i) % 251 + 1;
}

static void
say(const char *what, long r)
{
	if(r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

/* read: pipe holds pre (written in writes of wsz), read of rn into area+off */
static void
rcase(int how, long pre, long wsz, long off, long rn)
{
	int fd[2];
	char what[160];
	static char src[70000];
	long w, r, got;

	pipe(fd);
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	fill(src, pre, 0);
	for(w = 0; w < pre; w += wsz)
		write(fd[1], src + w, pre - w < wsz ? pre - w : wsz);
	setbad(how);
	r = read(fd[0], area + off, rn);
	snprintf(what, sizeof what, "read bad%d pre %ld by %ld at %ld of %ld", how, pre, wsz, off, rn);
	say(what, r);
	got = r > 0 ? r : 0;
	/* check what came */
	{
		long i, ok = 1;
		for(i = 0; i < got; i++)
			ok &= (unsigned char)area[off + i] == (unsigned char)(i % 251 + 1);
		printf("  its bytes right %ld\n", ok);
	}
	close(fd[1]);
	/* drain expects the stream from offset got */
	{
		static char b[70000];
		long k, t = got, bad = 0, i;
		while((k = read(fd[0], b, sizeof b)) > 0){
			for(i = 0; i < k; i++)
				if((unsigned char)b[i] != (unsigned char)((t + i) % 251 + 1)) bad++;
			t += k;
		}
		printf("  total %ld wrong %ld\n", t, bad);
	}
	close(fd[0]);
}

/* write: pipe holds pre bytes, write of wn from area+off */
static void
wcase(int how, long pre, long off, long wn)
{
	int fd[2];
	char what[160];
	static char src[70000];
	long r;

	pipe(fd);
	fcntl(fd[1], F_SETFL, O_NONBLOCK);
	fill(src, pre, 0);
	if(pre)
		write(fd[1], src, pre);
	setbad(0);
	fill(area + off, 3 * 4096 - off, pre);
	setbad(how);
	r = write(fd[1], area + off, wn);
	snprintf(what, sizeof what, "write bad%d pre %ld at %ld of %ld", how, pre, off, wn);
	say(what, r);
	close(fd[1]);
	fcntl(fd[0], F_SETFL, 0);
	drain(fd[0], "pipe");
	close(fd[0]);
}

static void *volatile nil;	/* NULL the compiler cannot see */

static void
edges(void)
{
	int fd[2];
	char b[8];

	signal(SIGPIPE, SIG_IGN);
	pipe(fd);
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	say("empty pipe, nonblocking, read into NULL", read(fd[0], nil, 100));
	say("empty pipe, read of 0 into NULL", read(fd[0], nil, 0));
	write(fd[1], "abc", 3);
	say("read of 0 into NULL", read(fd[0], nil, 0));
	say("read into NULL", read(fd[0], nil, 10));
	say("write of 0 from NULL", write(fd[1], nil, 0));
	say("write from NULL", write(fd[1], nil, 10));
	say("then read", read(fd[0], b, sizeof b));
	close(fd[0]);
	say("no reader: write from NULL", write(fd[1], nil, 10));
	close(fd[1]);
}

static void
faults(void)
{
	int how;

	area = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for(how = 0; how < 3; how++){
		rcase(how, 100, 100, 3 * 4096 - 50, 100);
		rcase(how, 100, 100, 3 * 4096 - 200, 8192);
		rcase(how, 16384, 16384, 0, 16384);
		rcase(how, 16384, 4096, 0, 16384);
		rcase(how, 16384, 1000, 0, 16384);
		rcase(how, 16384, 16384, 100, 16384);
		rcase(how, 5000, 5000, 3 * 4096 - 6000, 8000);
		wcase(how, 0, 100, 6000);
		wcase(how, 0, 0, 6000);
		wcase(how, 0, 0, 16384);
		wcase(how, 10, 3 * 4096 - 50, 100);
		wcase(how, 10, 3 * 4096 - 5000, 5000);
		wcase(how, 4000, 3 * 4096 - 5000, 5000);
		wcase(how, 0, 3 * 4096 - 10, 0);
		wcase(how, 0, 3 * 4096 - 5000, 6000);
		wcase(how, 0, 3 * 4096 - 3000, 6000);
		wcase(how, 100, 3 * 4096 - 5000, 6000);
		wcase(how, 3000, 3 * 4096 - 5000, 6000);
	}
	edges();
}

enum { NP = 4, PG = 4096, TOTAL = 1 << 20 };
static char *wbuf, *rbuf;	/* NP pages each, memfd-backed */
static int wfd, rfd, pfd[2];
static atomic_int stop;
static pthread_mutex_t rlk = PTHREAD_MUTEX_INITIALIZER;
static long wrote, wfaults, rfaults, bad, got;
static int vec;	/* racev: writev and readv of the same bytes in two iovecs */

static unsigned char
at(long i)
{
	return i % 251 + 1;
}

static void
remap(char *b, int fd, int page, int how)
{
	char *p = b + page * PG;

	switch(how){
	case 0:
		munmap(p, PG);
		break;
	case 1:
		mprotect(p, PG, PROT_NONE);
		break;
	case 2:
		mprotect(p, PG, PROT_READ);
		break;
	default:
		mmap(p, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, page * PG);
		break;
	}
}

static void *
mutator(void *a)
{
	unsigned s = 12345;
	(void)a;
	while(!atomic_load(&stop)){
		s = s * 1103515245 + 12345;
		if(s >> 31)
			remap(wbuf, wfd, (s >> 8) % NP, (s >> 4) % 5);
		else{
			pthread_mutex_lock(&rlk);
			remap(rbuf, rfd, (s >> 8) % NP, (s >> 4) % 5);
			pthread_mutex_unlock(&rlk);
		}
		sched_yield();
	}
	return NULL;
}

static void *
writer(void *a)
{
	long off = 0, k, n;
	unsigned s = 777;
	(void)a;
	while(off < TOTAL){
		s = s * 1103515245 + 12345;
		/* the source: memfd bytes hold at(i) for i in the pattern's
		 * period, so a write from wbuf + (off % 251) sends at(off...) */
		n = 1 + (s >> 8) % (NP * PG - 251);
		if(n > TOTAL - off)
			n = TOTAL - off;
		if(vec){
			struct iovec v[2] = {{wbuf + off % 251, n / 3}, {wbuf + off % 251 + n / 3, n - n / 3}};

			k = writev(pfd[1], v, 2);
		}else
			k = write(pfd[1], wbuf + off % 251, n);
		if(k < 0){
			wfaults++;
			continue;
		}
		off += k;
	}
	wrote = off;
	close(pfd[1]);
	return NULL;
}

static void
race(void)
{
	pthread_t mt, wt;
	static char copy[NP * PG];
	unsigned s = 99;
	long i, k, n, o;

	wfd = memfd_create("w", 0);
	rfd = memfd_create("r", 0);
	ftruncate(wfd, NP * PG);
	ftruncate(rfd, NP * PG);
	wbuf = mmap(NULL, NP * PG, PROT_READ | PROT_WRITE, MAP_SHARED, wfd, 0);
	rbuf = mmap(NULL, NP * PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	for(i = 0; i < NP * PG; i++)
		wbuf[i] = at(i);
	pipe(pfd);
	pthread_create(&mt, NULL, mutator, NULL);
	pthread_create(&wt, NULL, writer, NULL);
	for(;;){
		s = s * 1103515245 + 12345;
		o = (s >> 4) % 1000;
		n = 1 + (s >> 12) % (NP * PG - o);
		if(vec){
			struct iovec v[2] = {{rbuf + o, n / 2}, {rbuf + o + n / 2, n - n / 2}};

			k = readv(pfd[0], v, 2);
		}else
			k = read(pfd[0], rbuf + o, n);
		if(k == 0)
			break;
		if(k < 0){
			if(errno != EFAULT)
				printf("read: %s\n", strerror(errno));
			rfaults++;
			continue;
		}
		/* what came, read under the lock with the pages back */
		pthread_mutex_lock(&rlk);
		for(i = 0; i < NP; i++)
			remap(rbuf, rfd, i, 3);
		memcpy(copy, rbuf + o, k);
		pthread_mutex_unlock(&rlk);
		for(i = 0; i < k; i++)
			bad += (unsigned char)copy[i] != at(got + i);
		got += k;
	}
	atomic_store(&stop, 1);
	pthread_join(mt, NULL);
	pthread_join(wt, NULL);
	printf("written %ld, read %ld, wrong bytes %ld, faults seen %d\n", wrote, got, bad, wfaults + rfaults > 0);
}

/*
 * writers: two writers send numbered 16-byte records through one pipe,
 * up to 256 a write (at most PIPE_BUF: whole or not at all, EFAULT
 * when the buffer went), staged under a lock and written while a third
 * thread unmaps, remaps and reprotects their buffers and the reader's:
 * each writer's records come out once each, in order, whole.
 */
enum { NW = 2, RECS = 20000, RPAGES = 2 };
static int wmfd[NW], rrfd;
static char *wbufs[NW], *rrbuf;
static pthread_mutex_t wlk[NW] = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
static pthread_mutex_t rrlk = PTHREAD_MUTEX_INITIALIZER;
static int wpfd[2];
static atomic_int wstop;
static long partial[NW];

static void *
wmutator(void *a)
{
	unsigned s = 4242, w;
	(void)a;
	while(!atomic_load(&wstop)){
		s = s * 1103515245 + 12345;
		w = (s >> 20) % (NW + 1);
		if(w < NW){
			pthread_mutex_lock(&wlk[w]);	/* not while it stages */
			remap(wbufs[w], wmfd[w], (s >> 8) % RPAGES, (s >> 4) % 4);
			pthread_mutex_unlock(&wlk[w]);
		}else{
			pthread_mutex_lock(&rrlk);
			remap(rrbuf, rrfd, (s >> 8) % RPAGES, (s >> 4) % 4);
			pthread_mutex_unlock(&rrlk);
		}
		sched_yield();
	}
	return NULL;
}

static void *
wwriter(void *a)
{
	int id = (int)(intptr_t)a, i;
	unsigned s = 31 * id + 7, rec[4];
	long seq = 0, n, k, o;

	while(seq < RECS){
		s = s * 1103515245 + 12345;
		n = 1 + (s >> 8) % 256;
		if(n > RECS - seq)
			n = RECS - seq;
		o = 16 * ((s >> 4) % 16);
		pthread_mutex_lock(&wlk[id]);
		for(i = 0; i < RPAGES; i++)
			remap(wbufs[id], wmfd[id], i, 3);
		for(i = 0; i < n; i++){
			rec[0] = id;
			rec[1] = seq + i;
			rec[2] = ~(unsigned)(seq + i);
			rec[3] = 0x5a5a5a5a ^ id;
			memcpy(wbufs[id] + o + 16 * i, rec, 16);
		}
		pthread_mutex_unlock(&wlk[id]);
		k = write(wpfd[1], wbufs[id] + o, 16 * n);
		if(k == 16 * n)
			seq += n;
		else if(k >= 0)
			partial[id]++;
	}
	return NULL;
}

static void
writers(void)
{
	pthread_t mt, wt[NW];
	static unsigned char stream[16 + RPAGES * PG];
	static char copy[RPAGES * PG];
	long next[NW] = { 0 }, bad = 0, held = 0, k, n, i;
	unsigned s = 5, rec[4];
	int w;

	for(w = 0; w < NW; w++){
		wmfd[w] = memfd_create("w", 0);
		ftruncate(wmfd[w], RPAGES * PG);
		wbufs[w] = mmap(NULL, RPAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, wmfd[w], 0);
	}
	rrfd = memfd_create("r", 0);
	ftruncate(rrfd, RPAGES * PG);
	rrbuf = mmap(NULL, RPAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, rrfd, 0);
	pipe(wpfd);
	pthread_create(&mt, NULL, wmutator, NULL);
	for(w = 0; w < NW; w++)
		pthread_create(&wt[w], NULL, wwriter, (void *)(intptr_t)w);
	while(next[0] < RECS || next[1] < RECS){
		s = s * 1103515245 + 12345;
		n = 1 + (s >> 8) % (RPAGES * PG);
		k = read(wpfd[0], rrbuf, n);
		if(k <= 0)
			continue;
		pthread_mutex_lock(&rrlk);
		for(i = 0; i < RPAGES; i++)
			remap(rrbuf, rrfd, i, 3);
		memcpy(copy, rrbuf, k);
		pthread_mutex_unlock(&rrlk);
		memcpy(stream + held, copy, k);
		held += k;
		for(i = 0; i + 16 <= held; i += 16){
			memcpy(rec, stream + i, 16);
			if(rec[0] >= NW || rec[1] != (unsigned)next[rec[0]] || rec[2] != ~rec[1] || rec[3] != (0x5a5a5a5a ^ rec[0])){
				bad++;
				break;
			}
			next[rec[0]]++;
		}
		if(bad)
			break;
		memmove(stream, stream + i, held - i);
		held -= i;
	}
	atomic_store(&wstop, 1);
	if(bad)
		exit(1);
	for(w = 0; w < NW; w++)
		pthread_join(wt[w], NULL);
	pthread_join(mt, NULL);
	printf("records %ld %ld, left over %ld, wrong %ld, partial writes %ld\n", next[0], next[1], held, bad, partial[0] + partial[1]);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "faults") == 0)
		faults();
	else if(argc > 1 && strcmp(argv[1], "race") == 0)
		race();
	else if(argc > 1 && strcmp(argv[1], "racev") == 0){
		vec = 1;
		race();
	}
	else if(argc > 1 && strcmp(argv[1], "writers") == 0)
		writers();
	else{
		fprintf(stderr, "usage: guest_pipefault faults|race|racev|writers\n");
		return 2;
	}
	return 0;
}
