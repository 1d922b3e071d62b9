/*
 * guest_memrace.c — host writes into guest memory that another guest
 * thread changes meanwhile (session 24's red team, left for session 25).
 * Run natively and in the sandbox, the same output
 * (tests/vxinferno_memrace.t).
 *
 * remap: one thread asks the kernel for the time into a page over and
 * over, while another maps it writable, unmaps it and maps a file
 * there read-only: the file's bytes must be there, whatever the first
 * thread's calls did (Linux fails them EFAULT).  vxinferno's fault
 * handler, finding the page unmapped, mapped a scratch page over it
 * after the file had come: the file's bytes went, zeros instead.
 *
 * shared: the same with a shared mapping of the file open read-only
 * (a mapping over the writable page, no unmap between): the host could
 * not open the page for the write it raced with (no mprotect makes
 * such a page writable) and mapped an anonymous scratch page there
 * for good: zeros, the file's later writes unseen.  Linux's call fails
 * EFAULT, the page stays the file's, the file unwritten.
 *
 * protect: the shared case with an eventfd's read as the host's
 * write, and an mprotect writable racing it (EACCES natively).
 *
 * pty: a thread reads a terminal (a pty's slave, then its master) into
 * a page another thread unmaps before the line comes.  Linux's read
 * takes the line and fails EFAULT copying it out: the line is gone.
 * vxinferno wrote it into a scratch page the host fault handler opened
 * and returned its length (or, with the page gone before the read began,
 * failed EFAULT leaving the line there).  Also the same with the
 * buffer bad from the start, and one that ends two bytes in; and
 * 200-byte lines and raw reads (slave, master) into such buffers:
 * Linux's read takes and copies out 64 bytes at a time, so a fault
 * loses the piece it hit and leaves the rest queued (vxinferno took it
 * all, and lost all of it).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <termios.h>
#include <stdint.h>
#include <sys/eventfd.h>

static const char *tmpdir;
static char *page;
static atomic_int stop;

static void *
timer(void *a)
{
	(void)a;
	while(!atomic_load(&stop))
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (struct timespec *)page);
	return NULL;
}

static int
pattern(int i)
{
	return (i * 7 + 3) % 251 + 1;
}

/* A file of a page of pattern bytes, unlinked: its fd, open read-write;
 * *ro gets a read-only one. */
static int
patternfile(int *ro)
{
	char path[256], buf[4096];
	int fd, i;

	snprintf(path, sizeof path, "%s/memrace.%d", tmpdir, getpid());
	for(i = 0; i < 4096; i++)
		buf[i] = pattern(i);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if(fd < 0 || write(fd, buf, sizeof buf) != sizeof buf){
		printf("file: %s\n", strerror(errno));
		exit(1);
	}
	*ro = open(path, O_RDONLY);
	unlink(path);
	return fd;
}

/* Rounds of: the page writable, then unmapped, then the file's, mapped
 * read-only (shared: MAP_SHARED of the read-only fd): how many lost the
 * file's bytes past where the timer writes. */
static int
rounds(int n, int fd, int shared)
{
	int i, j, bad;

	bad = 0;
	for(i = 0; i < n; i++){
		mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		sched_yield();
		if(!shared)
			munmap(page, 4096);
		if(mmap(page, 4096, PROT_READ, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd, 0) != page){
			printf("mmap: %s\n", strerror(errno));
			break;
		}
		for(j = 1024; j < 4096; j++)
			if((unsigned char)page[j] != pattern(j)){
				bad++;
				break;
			}
	}
	return bad;
}

static void
race(const char *what, int n, int shared)
{
	pthread_t th;
	int fd, ro, bad;
	char b[8], c;

	fd = patternfile(&ro);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	atomic_store(&stop, 0);
	pthread_create(&th, NULL, timer, NULL);
	bad = rounds(n, shared ? ro : fd, shared);
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("%s: %d rounds lost the file's bytes\n", what, bad);
	if(!shared)
		return;
	/* the time never reached the file, and the page is still the file's */
	pread(fd, b, 8, 0);
	printf("%s: file's first bytes kept: %d\n", what, (unsigned char)b[0] == pattern(0) && (unsigned char)b[7] == pattern(7));
	c = 0x55;
	pwrite(fd, &c, 1, 2000);
	printf("%s: the page sees the file's write: %d\n", what, page[2000] == c);
}

static int evfd;
static atomic_int evgo, evreading, evdone;

/* Reads the eventfd into the page, a round at a time */
static void *
evreader(void *a)
{
	int k;

	(void)a;
	for(k = 1; ; k++){
		while(atomic_load(&evgo) < k && !atomic_load(&stop))
			sched_yield();	/* until the page is writable again */
		if(atomic_load(&stop))
			break;
		atomic_store(&evreading, k);
		read(evfd, page, 8);	/* Linux's takes the count and fails EFAULT */
		atomic_store(&evdone, k);
	}
	return NULL;
}

/* Rounds of: a thread blocked reading an eventfd into the page, which
 * becomes a shared mapping of the file open read-only; the eventfd
 * written, and mprotect of the page writable over and over until the
 * read is done: how many rounds it allowed (Linux's: none, EACCES; the
 * read fails EFAULT).  vxinferno allowed it on the private copy its
 * fault handler had put there for the read's write (VxMem.shadow)
 * until the next vx_run, whose unshadow then could not map the file
 * writable: the page stayed the copy. */
static int
protrounds(int n, int ro)
{
	uint64_t one = 1;
	int i, j, allowed;

	allowed = 0;
	for(i = 0; i < n; i++){
		mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		atomic_store(&evgo, i + 1);
		while(atomic_load(&evreading) <= i)
			sched_yield();
		for(j = 0; j < 5000; j++)
			__builtin_ia32_pause();	/* most likely in its read by now */
		if(mmap(page, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, ro, 0) != page){
			printf("mmap: %s\n", strerror(errno));
			break;
		}
		write(evfd, &one, 8);
		for(j = 0; j < 2000 && atomic_load(&evdone) <= i; j++)
			if(mprotect(page, 4096, PROT_READ | PROT_WRITE) == 0){
				allowed++;
				mprotect(page, 4096, PROT_READ);
				break;
			}
	}
	return allowed;
}

static void
protect(int n)
{
	pthread_t th;
	uint64_t one = 1;
	int fd, ro, allowed;
	char c;

	fd = patternfile(&ro);
	evfd = eventfd(0, 0);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	atomic_store(&stop, 0);
	pthread_create(&th, NULL, evreader, NULL);
	allowed = protrounds(n, ro);
	atomic_store(&stop, 1);
	write(evfd, &one, 8);
	pthread_join(th, NULL);
	printf("protect: %d rounds made the file's page writable\n", allowed);
	c = 0x55;
	pwrite(fd, &c, 1, 2000);
	printf("protect: the page sees the file's write: %d\n", page[2000] == c);
}

static int ptyfd;
static char *ptybuf;
static atomic_int reading;
static long ptyr;
static int ptyerr;

static void *
ptyreader(void *a)
{
	(void)a;
	atomic_store(&reading, 1);
	ptyr = read(ptyfd, ptybuf, 100);
	ptyerr = errno;
	return NULL;
}

static int ptyslave;	/* the slave's fd, which writes what the master reads */

/* What a read of fd into a page unmapped while it waits got, and what
 * a second read then finds; writer writes the line to the other side. */
static void
ptyround(const char *what, int fd, int writer, int round)
{
	pthread_t th;
	char buf[200];
	long r;
	int i;

	ptyfd = fd;
	ptybuf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	atomic_store(&reading, 0);
	pthread_create(&th, NULL, ptyreader, NULL);
	while(!atomic_load(&reading))
		sched_yield();
	for(i = 0; i < 100; i++)
		sched_yield();	/* most likely in its read by now; either way Linux's answer is one */
	munmap(ptybuf, 4096);
	write(writer, "hello\n", 6);
	pthread_join(th, NULL);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	r = read(fd, buf, sizeof buf);
	fcntl(fd, F_SETFL, 0);
	/* what a master's second read finds depends on Linux's timing (the
	 * slave's output reaches the master's queue in pieces, and one can
	 * land after the faulting read: "then 2" in some native rounds
	 * under load), so only the slave's is compared */
	if(writer == ptyslave){
		printf("%s %d: read %ld %s\n", what, round, ptyr, ptyr < 0 ? strerror(ptyerr) : "");
		return;
	}
	if(round == 0 || ptyr >= 0 || r >= 0)
		printf("%s %d: read %ld %s, then %ld\n", what, round, ptyr, ptyr < 0 ? strerror(ptyerr) : "", r);
}

/* A 200-byte write to wfd read from rfd into at (n bytes there) and
 * what a second read then finds: Linux's terminal takes and copies out
 * 64 bytes at a time, and a piece that faults is gone (the read returns
 * what went before it, else EFAULT) while what lies past it stays. */
static void
pieces(const char *what, int rfd, int wfd, char *at, long n, int line)
{
	char buf[512];
	long r, r2;
	int e;

	memset(buf, 'a', 200);
	if(line)
		buf[199] = '\n';
	write(wfd, buf, 200);
	r = read(rfd, at, n);
	e = errno;
	fcntl(rfd, F_SETFL, O_NONBLOCK);
	r2 = read(rfd, buf, sizeof buf);
	fcntl(rfd, F_SETFL, 0);
	printf("%s: %ld %s, then %ld\n", what, r, r < 0 ? strerror(e) : "", r2);
}

static void
pty(int n)
{
	struct termios tio;
	char *bad, *half, buf[64];
	int m, s, i;
	long r;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	grantpt(m);
	unlockpt(m);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	tcgetattr(s, &tio);
	tio.c_lflag &= ~ECHO;	/* the master reads only what the slave writes */
	tcsetattr(s, TCSANOW, &tio);
	for(i = 0; i < n; i++)
		ptyround("slave", s, m, i);
	ptyslave = s;
	for(i = 0; i < n; i++)
		ptyround("master", m, s, i);
	/* bad from the start, and ending two bytes in */
	bad = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	half = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(half + 4096, 4096, PROT_NONE);
	/* blocking reads: Linux's line reaches the slave's queue later
	 * than the master's write returns */
	write(m, "first\n", 6);
	r = read(s, bad, 100);
	printf("bad buffer: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	write(m, "second\n", 7);
	r = read(s, half + 4094, 100);
	printf("two bytes of buffer: %ld %.2s\n", r, r > 0 ? half + 4094 : "");
	fcntl(s, F_SETFL, O_NONBLOCK);
	r = read(s, buf, sizeof buf);
	printf("then: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	fcntl(s, F_SETFL, 0);
	/* lines longer than a piece: vxinferno took them whole (all lost) */
	pieces("line into 2 bytes", s, m, half + 4094, 300, 1);
	pieces("line into 100 bytes", s, m, half + 3996, 300, 1);
	pieces("line into a bad buffer", s, m, bad, 300, 1);
	cfmakeraw(&tio);
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	tcsetattr(s, TCSANOW, &tio);
	pieces("raw into 2 bytes", s, m, half + 4094, 300, 0);
	pieces("raw into 100 bytes", s, m, half + 3996, 300, 0);
	pieces("raw into a bad buffer", s, m, bad, 300, 0);
	pieces("master into 100 bytes", m, s, half + 3996, 300, 0);
	pieces("master into a bad buffer", m, s, bad, 300, 0);
}

int
main(int argc, char **argv)
{
	tmpdir = getenv("GAPSTMP") != NULL ? getenv("GAPSTMP") : "/tmp";
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2)
		return 2;
	if(strcmp(argv[1], "remap") == 0)
		race("remap", argc > 2 ? atoi(argv[2]) : 20000, 0);
	else if(strcmp(argv[1], "pty") == 0)
		pty(argc > 2 ? atoi(argv[2]) : 20);
	else if(strcmp(argv[1], "protect") == 0)
		protect(argc > 2 ? atoi(argv[2]) : 20000);
	else if(strcmp(argv[1], "shared") == 0)
		race("shared", argc > 2 ? atoi(argv[2]) : 20000, 1);
	else
		return 2;
	return 0;
}
