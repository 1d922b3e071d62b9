/*
 * unmap.c — a hostile guest races its own system call: one thread blocks
 * in read(2) into a buffer, another unmaps the buffer and then writes the
 * pipe.  The host checked the buffer before blocking; its later copy
 * must not crash the host.  Prints "survived" when the process lives.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
static char *buf; static int fds[2]; static long r;
static void *reader(void *a){ (void)a; r = read(fds[0], buf, 4096); return 0; }
int main(void){
	pipe(fds);
	buf = mmap(0, 1<<20, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	pthread_t t; pthread_create(&t, 0, reader, 0);
	struct timespec ts = {0, 200000000}; nanosleep(&ts, 0);
	munmap(buf, 1<<20);
	char junk[4096]; memset(junk, 1, sizeof junk);
	write(fds[1], junk, sizeof junk);
	pthread_join(t, 0);
	printf("survived, read returned %ld\n", r);
	return 0;
}
