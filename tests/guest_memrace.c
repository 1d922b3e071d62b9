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

static void
remap(int rounds)
{
	char path[256], buf[4096];
	pthread_t th;
	int fd, i, j, bad;

	snprintf(path, sizeof path, "%s/memrace.%d", tmpdir, getpid());
	for(i = 0; i < 4096; i++)
		buf[i] = pattern(i);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if(fd < 0 || write(fd, buf, sizeof buf) != sizeof buf){
		printf("file: %s\n", strerror(errno));
		return;
	}
	unlink(path);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_create(&th, NULL, timer, NULL);
	bad = 0;
	for(i = 0; i < rounds; i++){
		mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		sched_yield();
		munmap(page, 4096);
		if(mmap(page, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) != page){
			printf("mmap: %s\n", strerror(errno));
			break;
		}
		/* past the time the other thread may have written */
		for(j = 1024; j < 4096; j++)
			if((unsigned char)page[j] != pattern(j)){
				bad++;
				break;
			}
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("remap: %d rounds lost the file's bytes\n", bad);
}

int
main(int argc, char **argv)
{
	tmpdir = getenv("GAPSTMP") != NULL ? getenv("GAPSTMP") : "/tmp";
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2)
		return 2;
	if(strcmp(argv[1], "remap") == 0)
		remap(argc > 2 ? atoi(argv[2]) : 20000);
	else
		return 2;
	return 0;
}
