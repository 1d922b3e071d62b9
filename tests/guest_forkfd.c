/*
 * guest_forkfd.c — fork while another thread opens and closes fds: the
 * child's fd table is of one moment, as Linux's (dup_fd copies the
 * table under its lock; an fd still being opened or already being
 * closed is simply not the child's).  Two threads make and close pipes
 * (one with dup2 onto a fixed fd, one with eventfd) while the main
 * thread forks; each child closes every fd it has from 3 up and opens
 * /dev/null, which must be fd 3, the lowest free.  An fd the child's
 * table held without the child knowing it (an open or a close half
 * done at the fork) took a number and was never closed: the child's
 * next open got 4 or 5, and an exec'd child kept the write end of a
 * pipe open for ever, close-on-exec or not.  Then a thread dup2s one
 * of two pipes' ends in turn onto an fd that stays open while the main
 * thread forks: each child must have that fd, the one file or the
 * other (a dup2 half done at the fork left the child without it).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FORKS = 300, TOP = 64, SWAPFD = 41 };

static atomic_int stop;

static void *
piper(void *arg)
{
	int p[2];

	(void)arg;
	while(!atomic_load(&stop)){
		if(pipe2(p, O_CLOEXEC) < 0)
			continue;
		if(dup2(p[1], 40) == 40)
			close(40);
		close(p[0]);
		close(p[1]);
	}
	return NULL;
}

static void *
eventer(void *arg)
{
	int e;

	(void)arg;
	while(!atomic_load(&stop)){
		e = eventfd(0, EFD_CLOEXEC);
		if(e >= 0)
			close(e);
	}
	return NULL;
}

static int ends[2];	/* swapper's two files, by turns at SWAPFD */

static void *
swapper(void *arg)
{
	int i;

	(void)arg;
	for(i = 0; !atomic_load(&stop); i ^= 1)
		dup2(ends[i], SWAPFD);
	return NULL;
}

/* In a child: 0 if SWAPFD is one of the two ends' files, 1 if not open,
 * 2 if another file. */
static int
swapped(void)
{
	struct stat s, a, b;

	if(fstat(SWAPFD, &s) < 0)
		return 1;
	if(fstat(ends[0], &a) < 0 || fstat(ends[1], &b) < 0)
		return 2;
	return s.st_ino == a.st_ino || s.st_ino == b.st_ino ? 0 : 2;
}

/* fork beside swapper: how many children lacked SWAPFD's file */
static int
dup2forks(void)
{
	pthread_t th;
	int p[2], q[2], i, st, bad;
	pid_t kid;

	if(pipe(p) < 0 || pipe(q) < 0)
		return -1;
	ends[0] = p[0];
	ends[1] = q[0];
	dup2(ends[0], SWAPFD);
	atomic_store(&stop, 0);
	if(pthread_create(&th, NULL, swapper, NULL) != 0)
		return -1;
	bad = 0;
	for(i = 0; i < FORKS; i++){
		kid = fork();
		if(kid == 0)
			_exit(swapped());
		if(kid < 0 || waitpid(kid, &st, 0) != kid || !WIFEXITED(st))
			break;
		if(WEXITSTATUS(st) != 0)
			bad++;
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("dup2: %d forks, %d children without the fd's file\n", i, bad);
	return bad;
}

int
main(void)
{
	pthread_t a, b;
	int i, fd, st, bad;
	pid_t kid;

	if(pthread_create(&a, NULL, piper, NULL) != 0 || pthread_create(&b, NULL, eventer, NULL) != 0){
		printf("no threads\n");
		return 1;
	}
	bad = 0;
	for(i = 0; i < FORKS; i++){
		kid = fork();
		if(kid == 0){
			for(fd = 3; fd < TOP; fd++)
				close(fd);
			fd = open("/dev/null", O_RDONLY);
			_exit(fd == 3 ? 0 : fd < 0 ? 100 : fd);
		}
		if(kid < 0 || waitpid(kid, &st, 0) != kid || !WIFEXITED(st)){
			printf("fork or wait failed\n");
			break;
		}
		if(WEXITSTATUS(st) != 0)
			bad++;
	}
	atomic_store(&stop, 1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("forkfd: %d forks, %d children whose first free fd was not 3\n", i, bad);
	return (dup2forks() != 0) + (bad != 0);
}
