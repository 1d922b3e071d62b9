/*
 * guest_shm.c — MAP_SHARED across fork, natively and as a guest (the
 * output must be the same): anonymous shared memory written by parent
 * and child at once, a shared file mapping whose writes reach the file,
 * a process-shared semaphore and mutex (futexes across processes),
 * private mappings staying private, mprotect and MADV_DONTNEED keeping
 * shared data, the access-mode errors, mappings cut in pieces across a
 * fork, and map/unmap loops (whole and a page at a time) that must not
 * run out of anything.  Run from a directory it may write (argv[1], or
 * /tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PG = 4096, N = 200000 };

static int
waitchild(pid_t pid)
{
	int st;

	if(waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
anon(void)
{
	char *p, *q;
	atomic_int *c;
	pid_t pid;
	int i;

	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED || q == MAP_FAILED){
		printf("anon: mmap failed\n");
		return;
	}
	c = (atomic_int *)(p + 64);
	p[0] = 'a';
	q[0] = 'a';
	pid = fork();
	if(pid == 0){
		p[0] = 'b';
		p[PG] = 'c';
		q[0] = 'z';
		for(i = 0; i < N; i++)
			atomic_fetch_add(c, 1);
		_exit(0);
	}
	int st;

	for(i = 0; i < N; i++)
		atomic_fetch_add(c, 1);
	st = waitchild(pid);	/* before the reads: argument order is unspecified */
	printf("anon: child %d, shared %c %c, private %c, counter %d\n", st, p[0], p[PG], q[0], atomic_load(c));

	/* a grandchild through two forks still shares it */
	pid = fork();
	if(pid == 0){
		pid_t g = fork();
		if(g == 0){
			strcpy(p + 128, "grandchild");
			_exit(0);
		}
		_exit(waitchild(g));
	}
	st = waitchild(pid);
	printf("anon: two forks %d: %s\n", st, p + 128);

	/* read-only for a while: still the same memory */
	mprotect(p, 2 * PG, PROT_READ);
	pid = fork();
	if(pid == 0)
		_exit(p[0] == 'b' ? 0 : 1);
	printf("anon: read-only child %d\n", waitchild(pid));
	mprotect(p, 2 * PG, PROT_READ | PROT_WRITE);
	pid = fork();
	if(pid == 0){
		p[1] = 'w';
		_exit(0);
	}
	waitchild(pid);
	printf("anon: writable again: %c\n", p[1]);

	/* MADV_DONTNEED: a shared mapping's data stays the object's */
	madvise(p, 2 * PG, MADV_DONTNEED);
	printf("anon: after MADV_DONTNEED %c %c %s\n", p[0], p[PG], p + 128);
	munmap(p, 2 * PG);
	munmap(q, PG);
}

static void
sharedfile(const char *dir)
{
	char path[512], buf[32];
	char *p;
	pid_t pid;
	int fd, ro;

	snprintf(path, sizeof path, "%s/shm.file", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || ftruncate(fd, 2 * PG) < 0){
		printf("file: create: %s\n", strerror(errno));
		return;
	}
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if(p == MAP_FAILED){
		printf("file: mmap: %s\n", strerror(errno));
		close(fd);
		return;
	}
	strcpy(p, "through the mapping");
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 19, 0);
	printf("file: read back: %s\n", buf);
	pwrite(fd, "WRITE", 5, PG);
	printf("file: written, mapping sees: %.5s\n", p + PG);
	pid = fork();
	if(pid == 0){
		memcpy(p, "child wrote", 11);
		_exit(0);
	}
	waitchild(pid);
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 19, 0);
	printf("file: after the child: %s\n", buf);
	munmap(p, 2 * PG);
	close(fd);

	/* the access mode decides */
	ro = open(path, O_RDONLY);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
	printf("file: O_RDONLY, shared writable: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	printf("file: O_RDONLY, shared read-only: %s\n", p == MAP_FAILED ? strerror(errno) : p);
	if(p != MAP_FAILED)
		munmap(p, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	printf("file: O_RDONLY, private writable: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
	if(p != MAP_FAILED)
		munmap(p, PG);
	close(ro);
	fd = open(path, O_WRONLY);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	printf("file: O_WRONLY, shared: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
	close(fd);
	unlink(path);
}

/* A semaphore and a mutex in shared memory: the child waits, the parent posts. */
static void
pshared(void)
{
	struct {
		sem_t go, done;
		pthread_mutex_t mu;
		int n;
	} *s;
	pthread_mutexattr_t ma;
	pid_t pid;
	int i;

	s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if(s == MAP_FAILED)
		return;
	sem_init(&s->go, 1, 0);
	sem_init(&s->done, 1, 0);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->mu, &ma);
	pid = fork();
	if(pid == 0){
		for(i = 0; i < 3; i++){
			sem_wait(&s->go);
			pthread_mutex_lock(&s->mu);
			s->n += 10;
			pthread_mutex_unlock(&s->mu);
			sem_post(&s->done);
		}
		sem_wait(&s->go);	/* then both at once */
		for(i = 0; i < N / 10; i++){
			pthread_mutex_lock(&s->mu);
			s->n++;
			pthread_mutex_unlock(&s->mu);
		}
		_exit(0);
	}
	for(i = 0; i < 3; i++){
		usleep(20000);	/* the child is asleep in sem_wait by now */
		sem_post(&s->go);
		sem_wait(&s->done);
		printf("pshared: round %d: %d\n", i, s->n);
	}
	sem_post(&s->go);
	for(i = 0; i < N / 10; i++){
		pthread_mutex_lock(&s->mu);
		s->n++;
		pthread_mutex_unlock(&s->mu);
	}
	i = waitchild(pid);
	printf("pshared: child %d, total %d\n", i, s->n);
	munmap(s, PG);
}

/* Mapping and unmapping many times uses up nothing. */
static void
loops(const char *dir)
{
	char path[512];
	char *p, *r;
	int fd, i, bad = 0;

	snprintf(path, sizeof path, "%s/shm.loop", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || write(fd, "loop", 4) != 4){
		printf("loops: create failed\n");
		return;
	}
	for(i = 0; i < 3000 && !bad; i++){
		p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
		if(p == MAP_FAILED || memcmp(p, "loop", 4) != 0)
			bad = 1;
		else
			munmap(p, PG);
		p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if(p == MAP_FAILED || p[0] != 'l')
			bad = 2;
		else
			munmap(p, PG);
		p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if(p == MAP_FAILED)
			bad = 3;
		else
			munmap(p, PG);
	}
	printf("loops: %d rounds, %s\n", i, bad ? "failed" : "ok");
	/* the same, each mapping unmapped a page at a time, or its middle
	 * page replaced before its ends go, one page further on each
	 * round (a mapping at the same place would replace the last) */
	r = mmap(NULL, 3003 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(r == MAP_FAILED || ftruncate(fd, 3 * PG) < 0)
		bad = 4;
	for(i = 0; i < 3000 && !bad; i++){
		p = r + i * PG;
		if(i % 3 == 2)
			p = mmap(p, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		else
			p = mmap(p, 2 * PG, PROT_READ, (i % 3 ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd, 0);
		if(p == MAP_FAILED)
			bad = 5;
		else{
			munmap(p, PG);
			munmap(p + PG, PG);
		}
		p = mmap(r + i * PG, 3 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
		if(p == MAP_FAILED || mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			bad = 6;
		else{
			munmap(p, PG);
			munmap(p + 2 * PG, PG);
			munmap(p + PG, PG);
		}
	}
	printf("pieces: %d rounds, %s\n", i, bad ? "failed" : "ok");
	close(fd);
	unlink(path);
}

/* Mappings cut in pieces keep their pages: a shared file mapping and a
 * private one, each with its middle page replaced (the upper part is
 * then its own mapping), then a fork: the child shares what is left of
 * the shared one at the right offsets, and gets the private one's bytes. */
static void
pieces(const char *dir)
{
	char path[512];
	char *p, *q;
	pid_t pid;
	int fd, i;

	snprintf(path, sizeof path, "%s/shm.pieces", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || ftruncate(fd, 3 * PG) < 0){
		printf("pieces: create failed\n");
		return;
	}
	for(i = 0; i < 3; i++)
		pwrite(fd, i == 0 ? "page0" : i == 1 ? "page1" : "page2", 5, i * PG);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if(p == MAP_FAILED || q == MAP_FAILED
	|| mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED
	|| mmap(q + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED){
		printf("pieces: mmap failed\n");
		return;
	}
	pid = fork();
	if(pid == 0){
		if(memcmp(p, "page0", 5) != 0 || memcmp(p + 2 * PG, "page2", 5) != 0 || p[PG] != 0
		|| memcmp(q, "page0", 5) != 0 || memcmp(q + 2 * PG, "page2", 5) != 0 || q[PG] != 0)
			_exit(1);
		memcpy(p + 2 * PG, "child", 5);
		_exit(0);
	}
	i = waitchild(pid);
	printf("pieces: child %d, shared %.5s %.5s\n", i, p, p + 2 * PG);
	munmap(p, 3 * PG);
	munmap(q, 3 * PG);
	close(fd);
	unlink(path);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	setvbuf(stdout, NULL, _IONBF, 0);
	anon();
	sharedfile(dir);
	pshared();
	pieces(dir);
	loops(dir);
	return 0;
}
