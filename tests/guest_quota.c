/*
 * guest_quota.c — a guest that takes all its sandbox may have
 * (tests/vxinferno_quota.t, tests/unit/vxrun_boxes.c).  Run under
 * vxinferno with the sandbox bounds -M, -F, -P; each mode prints what
 * it met, one line a fact, and exits 0 unless something it relies on
 * failed.
 *
 *	guest_quota memfork MB	writes MB MiB, forks children that write
 *				their copies until a fork fails; then fills
 *				what is left a page at a time, and tries
 *				mmap, brk, mremap, a thread's clone and
 *				execve; frees it all and forks again
 *	guest_quota fds		opens a file until an open fails, in two
 *				processes (the second, a child, after the
 *				first holds its share); closes, opens again
 *	guest_quota bomb	every process forks two children until a
 *				fork fails; counts them
 *	guest_quota threads	starts threads until one fails
 *	guest_quota rlimit	prints getrlimit of AS, NOFILE, NPROC and
 *				tries setrlimit of each lower, then higher
 *	guest_quota modest MB N	a sibling's fair needs: MB MiB written, N
 *				files open, N children and N threads; exit 1
 *				if any failed
 *	guest_quota envfork MB	writes MB MiB to the environment (/env/big),
 *				forks children holding their copies until a
 *				fork fails; reaps them and forks again
 *	guest_quota meminfo MB	prints the memory sysinfo and /proc/meminfo
 *				say, in MiB; writes MB MiB and says whether
 *				both then say that much less (to a MiB:
 *				the program's own pages come and go) is
 *				available
 *	guest_quota mapfork K N	maps a page of its own file K times
 *				privately and a file once shared, forks N
 *				children that hold those mappings together,
 *				each checks a private page and writes its
 *				mark in the shared one; says how many forks
 *				worked and how many marks the parent sees
 *	guest_quota hog		takes threads, files and memory a MiB at a
 *				time until each fails, writes what
 *				stopped it to /quotafull, and stays until /done
 *				exists: vxrun_boxes.c's sandbox at its bounds
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAXKIDS = 4096, PG = 4096 };

static int hold[2];	/* children wait for hold[1] to close */

static const char *
ename(int e)
{
	switch(e){
	case 0: return "ok";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	}
	return strerror(e);
}

/* A child that waits until the parent lets go (hold[1] closed). */
static void
waitforgo(void)
{
	char c;

	close(hold[1]);
	while(read(hold[0], &c, 1) > 0)
		;
	_exit(0);
}

static void
reap(void)
{
	close(hold[1]);
	while(wait(NULL) > 0)
		;
}

static void
touch(char *p, size_t n, int v)
{
	size_t i;

	for(i = 0; i < n; i += PG)
		p[i] = (char)v;
}

static void *
idle(void *a)
{
	(void)a;
	pause();
	return NULL;
}

/* The environment is kernel memory, not the guest's: each process's
 * copy is charged to the sandbox (a fork without a bound on them made
 * the host hold MB MiB more for every child). */
static void
envfork(long mb)
{
	static char chunk[64 * 1024];
	long kids, i;
	pid_t pid;
	int fd, e;

	memset(chunk, 'e', sizeof chunk);
	fd = open("/env/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if(fd < 0){
		printf("open /env/big: %s\n", ename(errno));
		exit(2);
	}
	for(i = 0; i < mb * 16; i++)
		if(write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk){
			printf("write /env/big: %s\n", ename(errno));
			exit(2);
		}
	close(fd);
	if(pipe(hold) < 0)
		exit(2);
	for(kids = 0; kids < MAXKIDS; kids++){
		pid = fork();
		if(pid < 0)
			break;
		if(pid == 0)
			waitforgo();
	}
	e = errno;
	printf("children %ld, then fork: %s\n", kids, ename(e));
	reap();
	pid = fork();
	if(pid == 0)
		_exit(0);
	printf("after: fork %s\n", pid < 0 ? ename(errno) : "made");
	if(pid > 0)
		waitpid(pid, NULL, 0);
}

static void
memfork(long mb)
{
	size_t n = (size_t)mb << 20;
	char *p, *q, *b;
	long kids, pages;
	pthread_t th;
	int e, r;
	pid_t pid;

	if(pipe(hold) < 0)
		exit(2);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED){
		printf("first mmap: %s\n", ename(errno));
		exit(2);
	}
	touch(p, n, 1);
	for(kids = 0; kids < MAXKIDS; kids++){
		pid = fork();
		if(pid < 0)
			break;
		if(pid == 0){
			touch(p, n, 2);	/* its own copy, written */
			waitforgo();
		}
	}
	e = errno;
	printf("children %ld, then fork: %s\n", kids, ename(e));
	/* what is left, a page at a time, then every call that takes more */
	for(pages = 0; mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED; pages++)
		;
	printf("filled: %s\n", ename(errno));
	q = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap: %s\n", q == MAP_FAILED ? ename(errno) : "made");
	q = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap PROT_NONE: %s\n", q == MAP_FAILED ? ename(errno) : "made");
	r = q != MAP_FAILED ? mprotect(q, PG, PROT_READ | PROT_WRITE) : -1;
	printf("mprotect writable: %s\n", r < 0 ? ename(errno) : "made");
	b = sbrk(1 << 20);
	printf("sbrk: %s\n", b == (void *)-1 ? ename(errno) : "made");
	q = mremap(p, n, n + (1 << 20), MREMAP_MAYMOVE);
	printf("mremap: %s\n", q == MAP_FAILED ? ename(errno) : "made");
	errno = 0;
	pid = fork();
	if(pid == 0)
		_exit(0);
	printf("fork: %s\n", pid < 0 ? ename(errno) : "made");
	if(pid > 0)
		waitpid(pid, NULL, 0);
	r = pthread_create(&th, NULL, idle, NULL);
	printf("pthread_create: %s\n", ename(r));
	/* execve past the bound fails, and the caller goes on (the
	 * image would run rlimit mode, whose first line differs) */
	execl("/bin/guest_quota", "guest_quota", "rlimit", (char *)NULL);
	printf("execve: %s\n", ename(errno));
	/* all given back: the children end, the pages go */
	reap();
	munmap(p, n);
	pid = fork();
	if(pid == 0){
		touch(p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p == MAP_FAILED ? 0 : n, 3);
		_exit(p == MAP_FAILED);
	}
	r = -1;
	if(pid > 0)
		waitpid(pid, &r, 0);
	printf("after: fork and mmap %s\n", r == 0 ? "made" : "FAILED");
}

static long
openmany(void)
{
	long n;

	for(n = 0; open("/bin/guest_quota", O_RDONLY) >= 0; n++)
		;
	return n;
}

static void
fds(void)
{
	long a, b;
	int p[2], st, i;
	pid_t pid;
	char c;

	if(pipe(p) < 0)
		exit(2);
	a = openmany();
	printf("open: %s\n", ename(errno));
	pid = fork();
	if(pid == 0){
		/* the parent's files are the child's too: none more to open */
		b = openmany();
		printf("child open: %s after %ld\n", ename(errno), b);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	for(i = 3; i < 3 + a + 10; i++)
		if(i != p[0] && i != p[1])
			close(i);
	b = openmany();
	printf("after closing: %s\n", b == a ? "as many again" : "not as many");
	printf("opened %ld\n", a);
	(void)c;
}

/* Forks share the host descriptors of their parent's file mappings:
 * N processes holding K mappings each take K, not N times K, of the
 * sandbox's share (-F), so all N forks work. */
static void
mapfork(int k, int n)
{
	unsigned char *sh, *pv[256];
	int fd, i, made, marks, st;
	pid_t pid;
	char c;

	if(k > 256 || n > 255 || pipe(hold) < 0)
		exit(2);
	fd = open("/bin/guest_quota", O_RDONLY);
	for(i = 0; i < k; i++)
		if((pv[i] = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
			exit(3);
	close(fd);
	fd = open("/mapfork.shared", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || ftruncate(fd, PG) < 0
	|| (sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED)
		exit(4);
	close(fd);
	for(made = 0; made < n; made++){
		pid = fork();
		if(pid < 0){
			printf("fork: %s\n", ename(errno));
			break;
		}
		if(pid == 0){
			close(hold[1]);
			for(i = 0; i < k; i++)
				if(memcmp(pv[i], "\177ELF", 4) != 0)
					_exit(1);
			sh[1 + made] = 1;
			read(hold[0], &c, 1);	/* all hold theirs at once */
			_exit(0);
		}
	}
	close(hold[1]);
	for(i = 0; i < made; i++)
		if(wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			printf("a child failed\n");
	for(marks = 0, i = 1; i <= made; i++)
		marks += sh[i];
	printf("children %d of %d, marks %d\n", made, n, marks);
	unlink("/mapfork.shared");
}

static void
bomb(void)
{
	struct pollfd pf;
	int count[2], e, i, n, made;
	long procs, fails, done;
	char c;
	pid_t pid;

	if(pipe(hold) < 0 || pipe(count) < 0)
		exit(2);
	made = 0;
	for(i = 0; i < 2; ){
		/* counted by its parent before it exists, so before anything
		 * it writes: counted after the fork, a child that ran first
		 * and said 'D' could end the count early (seen: 2 of 12) */
		c = 'P';
		write(count[1], &c, 1);
		pid = fork();
		if(pid < 0){
			/* the count taken back */
			e = errno;
			c = e == EAGAIN ? 'E' : 'X';
			write(count[1], &c, 1);
			break;	/* a child: hold */
		}
		if(pid == 0){
			/* a new process: it forks its own two */
			made = 1;
			i = 0;
			continue;
		}
		i++;
	}
	/* done forking: the count ends when every process counted has said
	 * so, not after a quiet spell (a slow host, e.g. an emulated one,
	 * forks slower than any spell).  A process's 'P' is before its
	 * parent's 'D', so none is left uncounted then. */
	c = 'D';
	write(count[1], &c, 1);
	if(made){
		close(count[1]);
		waitforgo();
	}
	close(count[1]);
	procs = 1;
	fails = 0;
	n = 0;
	done = 0;
	pf.fd = count[0];
	pf.events = POLLIN;
	while(done < procs && poll(&pf, 1, 120000) > 0 && read(count[0], &c, 1) == 1){
		if(c == 'P')
			procs++;
		else if(c == 'D')
			done++;
		else if(c == 'E'){
			procs--;
			fails++;
		}else{
			procs--;
			n++;
		}
	}
	printf("processes %ld, EAGAIN %s, other errors %d\n", procs, fails > 0 ? "met" : "never", n);
	reap();
	pid = fork();
	if(pid == 0)
		_exit(0);
	printf("after: fork %s\n", pid > 0 ? "made" : ename(errno));
	if(pid > 0)
		waitpid(pid, NULL, 0);
}

static void
threads(void)
{
	pthread_attr_t a;
	pthread_t th;
	long n;
	int r;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	for(n = 0; (r = pthread_create(&th, &a, idle, NULL)) == 0; n++)
		;
	printf("threads %ld, then %s\n", n, ename(r));
}

static void
showlimit(const char *name, int res)
{
	struct rlimit rl;

	if(getrlimit(res, &rl) < 0){
		printf("%s: %s\n", name, ename(errno));
		return;
	}
	if(rl.rlim_cur == RLIM_INFINITY)
		printf("%s: unlimited", name);
	else
		printf("%s: %llu", name, (unsigned long long)rl.rlim_cur);
	if(rl.rlim_max == RLIM_INFINITY)
		printf(" / unlimited\n");
	else
		printf(" / %llu\n", (unsigned long long)rl.rlim_max);
}

/* Lower the soft and hard limit, then raise the hard one again. */
static void
lower(const char *name, int res, rlim_t to)
{
	struct rlimit rl, old;
	int r;

	getrlimit(res, &old);
	rl.rlim_cur = rl.rlim_max = to;
	r = setrlimit(res, &rl);
	printf("%s lowered to %llu: %s", name, (unsigned long long)to, r < 0 ? ename(errno) : "ok");
	getrlimit(res, &rl);
	printf(", reads %llu\n", (unsigned long long)rl.rlim_cur);
	rl.rlim_cur = rl.rlim_max = old.rlim_max;
	r = setrlimit(res, &rl);
	printf("%s raised again: %s\n", name, r < 0 ? ename(errno) : "ok");
}

static void
rlimits(void)
{
	struct rlimit rl;
	pthread_t th;
	long n;
	int i, r;

	showlimit("AS", RLIMIT_AS);
	showlimit("NOFILE", RLIMIT_NOFILE);
	showlimit("NPROC", RLIMIT_NPROC);
	/* raising above the sandbox's bound: refused */
	getrlimit(RLIMIT_NPROC, &rl);
	if(rl.rlim_max != RLIM_INFINITY){
		rl.rlim_max++;
		printf("NPROC above the bound: %s\n", setrlimit(RLIMIT_NPROC, &rl) < 0 ? ename(errno) : "ok");
	}
	/* lowered, a process's limits hold for it */
	lower("NOFILE", RLIMIT_NOFILE, 10);
	for(n = 0; open("/bin/guest_quota", O_RDONLY) >= 0; n++)
		;
	printf("opens under NOFILE 10: %s at fd %ld\n", ename(errno), n + 3);
	for(i = 3; i < 10; i++)
		close(i);
	rl.rlim_cur = rl.rlim_max = 2;
	r = setrlimit(RLIMIT_NPROC, &rl);
	printf("NPROC lowered to 2: %s\n", r < 0 ? ename(errno) : "ok");
	r = pthread_create(&th, NULL, idle, NULL);
	printf("a thread under NPROC 2: %s\n", ename(r));
	r = pthread_create(&th, NULL, idle, NULL);
	printf("another: %s\n", ename(r));
	rl.rlim_cur = rl.rlim_max = 64 << 20;
	r = setrlimit(RLIMIT_AS, &rl);
	printf("AS lowered to 64 MiB: %s\n", r < 0 ? ename(errno) : "ok");
	printf("mmap of 128 MiB under it: %s\n",
		mmap(NULL, 128 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? ename(errno) : "made");
}

static int
modest(long mb, int n)
{
	pthread_t th[64];
	char *p;
	int i, bad, st;
	pid_t pid;

	bad = 0;
	p = mmap(NULL, (size_t)mb << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED){
		printf("modest mmap: %s\n", ename(errno));
		bad = 1;
	}else
		touch(p, (size_t)mb << 20, 1);
	for(i = 0; i < n; i++)
		if(open("/bin/guest_quota", O_RDONLY) < 0){
			printf("modest open %d: %s\n", i, ename(errno));
			bad = 1;
			break;
		}
	if(pipe(hold) < 0)
		return 1;
	for(i = 0; i < n; i++){
		pid = fork();
		if(pid == 0)
			waitforgo();
		if(pid < 0){
			printf("modest fork %d: %s\n", i, ename(errno));
			bad = 1;
			break;
		}
	}
	for(i = 0; i < n && i < 64; i++)
		if((st = pthread_create(&th[i], NULL, idle, NULL)) != 0){
			printf("modest thread %d: %s\n", i, ename(st));
			bad = 1;
			break;
		}
	reap();
	return bad;
}

/* MemTotal and MemAvailable of /proc/meminfo, in bytes */
static int
procmem(unsigned long long *total, unsigned long long *avail)
{
	char line[128];
	unsigned long long kb;
	FILE *f;
	int n;

	f = fopen("/proc/meminfo", "r");
	if(f == NULL)
		return -1;
	n = 0;
	while(fgets(line, sizeof line, f) != NULL){
		if(sscanf(line, "MemTotal: %llu kB", &kb) == 1){
			*total = kb << 10;
			n++;
		}
		if(sscanf(line, "MemAvailable: %llu kB", &kb) == 1){
			*avail = kb << 10;
			n++;
		}
	}
	fclose(f);
	return n == 2 ? 0 : -1;
}

static void
meminfo(long mb)
{
	unsigned long long pt, pa, pa2, st, sa, sa2, n;
	struct sysinfo si;
	char *p;

	if(sysinfo(&si) < 0 || procmem(&pt, &pa) < 0)
		exit(1);
	st = (unsigned long long)si.totalram * si.mem_unit;
	sa = (unsigned long long)si.freeram * si.mem_unit;
	printf("sysinfo total: %llu MiB\n", st >> 20);
	printf("meminfo total: %llu MiB\n", pt >> 20);
	printf("available at most the total: %d\n", sa <= st && pa <= pt);
	n = (unsigned long long)mb << 20;
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED)
		exit(1);
	touch(p, n, 1);
	if(sysinfo(&si) < 0 || procmem(&pt, &pa2) < 0)
		exit(1);
	sa2 = (unsigned long long)si.freeram * si.mem_unit;
	printf("sysinfo: %ld MiB written, that much less available: %d\n", mb, sa2 + n <= sa + (1 << 20));
	printf("meminfo: %ld MiB written, that much less available: %d\n", mb, pa2 + n <= pa + (1 << 20));
}

static void
hog(void)
{
	pthread_attr_t a;
	pthread_t th;
	long mb, nf, nt;
	int em, ef, et, fd, out;
	char buf[128], *p;

	/* the report's file first: none opens at the bound */
	out = open("/quotafull.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if(out < 0)
		exit(2);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	for(nt = 0; (et = pthread_create(&th, &a, idle, NULL)) == 0; nt++)
		;
	for(nf = 0; (fd = open("/bin/guest_quota", O_RDONLY)) >= 0; nf++)
		;
	ef = errno;
	for(mb = 0; (p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) != MAP_FAILED; mb++)
		touch(p, 1 << 20, 1);
	em = errno;
	snprintf(buf, sizeof buf, "%ld MiB %s, %ld files %s, %ld threads %s\n", mb, ename(em), nf, ename(ef), nt, ename(et));
	if(write(out, buf, strlen(buf)) < 0 || close(out) < 0 || rename("/quotafull.tmp", "/quotafull") < 0)
		exit(3);
	while(access("/done", F_OK) < 0)
		usleep(20000);
	exit(0);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2)
		return 2;
	if(strcmp(argv[1], "memfork") == 0 && argc > 2)
		memfork(atol(argv[2]));
	else if(strcmp(argv[1], "envfork") == 0 && argc > 2)
		envfork(atol(argv[2]));
	else if(strcmp(argv[1], "fds") == 0)
		fds();
	else if(strcmp(argv[1], "bomb") == 0)
		bomb();
	else if(strcmp(argv[1], "threads") == 0)
		threads();
	else if(strcmp(argv[1], "rlimit") == 0)
		rlimits();
	else if(strcmp(argv[1], "mapfork") == 0 && argc > 3)
		mapfork(atoi(argv[2]), atoi(argv[3]));
	else if(strcmp(argv[1], "hog") == 0)
		hog();
	else if(strcmp(argv[1], "meminfo") == 0 && argc > 2)
		meminfo(atol(argv[2]));
	else if(strcmp(argv[1], "modest") == 0 && argc > 3)
		return modest(atol(argv[2]), atoi(argv[3]));
	else
		return 2;
	return 0;
}
