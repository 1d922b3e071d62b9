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
 * pipe open for ever, close-on-exec or not.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FORKS = 300, TOP = 64 };

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
	return bad != 0;
}
