/*
 * guest_lockabuse.c — what a hostile guest does to the file lock table
 * (vxrun/lock.c); run under vxinferno only, Linux has no such bound.
 *
 *	guest_lockabuse many	every other byte of a file locked until the
 *				table is full: ENOLCK, not the host's memory;
 *				unlocking gives the room back
 *	guest_lockabuse race N	flock and close of the same fd in two
 *				threads, N times: no lock may outlive its
 *				open file (checked through a second open)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MANY = 200000 };

static int
lk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, cmd, &fl) < 0 ? -errno : 0;
}

static int
many(void)
{
	int fd, i, r, st;
	pid_t kid;

	fd = open("manyfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(fd < 0){
		perror("manyfile");
		return 1;
	}
	r = 0;
	for(i = 0; i < MANY; i++)
		if((r = lk(fd, F_SETLK, F_WRLCK, 2 * (off_t)i, 1)) < 0)
			break;
	printf("many: %s after %d locks\n", r == -ENOLCK ? "ENOLCK" : r < 0 ? strerror(-r) : "no limit", i);
	/* full: a lock held already needs no room, an unlock makes some */
	r = lk(fd, F_SETLK, F_WRLCK, 2, 1);
	printf("full: held again %d", r);
	r = lk(fd, F_SETLK, F_UNLCK, 4, 1);
	printf(", unlock one %d", r);
	r = lk(fd, F_SETLK, F_RDLCK, 2 * (off_t)MANY + 1, 1);
	printf(", a new one %d", r);
	r = lk(fd, F_SETLK, F_RDLCK, 2 * (off_t)MANY + 3, 1);
	printf(", one more %s\n", r == -ENOLCK ? "ENOLCK" : strerror(-r));
	fflush(stdout);
	/* another process meets the same bound, and gets room when we unlock */
	if((kid = fork()) == 0){
		int k = open("manyfile", O_RDWR);
		int e = lk(k, F_SETLK, F_WRLCK, 2 * (off_t)MANY + 5, 1);

		printf("child while full: %s\n", e == -ENOLCK ? "ENOLCK" : strerror(-e));
		fflush(stdout);
		_exit(0);
	}
	waitpid(kid, &st, 0);
	printf("unlock all: %d\n", lk(fd, F_SETLK, F_UNLCK, 0, 0));
	printf("lock again: %d\n", lk(fd, F_SETLK, F_WRLCK, 0, 1));
	close(fd);
	unlink("manyfile");
	return 0;
}

static atomic_int go, done;
static int rfd;

static void *
closer(void *arg)
{
	(void)arg;
	for(;;){
		while(atomic_load(&go) == 0)
			;
		if(atomic_load(&go) < 0)
			return NULL;
		close(rfd);
		atomic_store(&go, 0);
		atomic_store(&done, 1);
	}
}

static int
race(int n)
{
	pthread_t th;
	int i, stale, check;

	check = open("racefile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(check < 0 || pthread_create(&th, NULL, closer, NULL) != 0){
		perror("race");
		return 1;
	}
	stale = 0;
	for(i = 0; i < n; i++){
		rfd = open("racefile", O_RDWR);
		atomic_store(&done, 0);
		atomic_store(&go, 1);
		if(i & 1)
			flock(rfd, LOCK_EX | LOCK_NB);
		else
			lk(rfd, F_OFD_SETLK, F_WRLCK, 0, 0);
		while(atomic_load(&done) == 0)
			;
		/* rfd's open file is gone: so are its locks */
		if(flock(check, LOCK_EX | LOCK_NB) < 0 || lk(check, F_OFD_SETLK, F_WRLCK, 0, 0) < 0){
			stale++;
			if(stale == 1)
				printf("race: a lock outlived its open file at round %d\n", i);
		}
		flock(check, LOCK_UN);
		lk(check, F_OFD_SETLK, F_UNLCK, 0, 0);
	}
	atomic_store(&go, -1);
	pthread_join(th, NULL);
	printf("race: %d rounds, %d stale\n", n, stale);
	unlink("racefile");
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "many") == 0)
		return many();
	if(argc > 2 && strcmp(argv[1], "race") == 0)
		return race(atoi(argv[2]));
	fprintf(stderr, "usage: guest_lockabuse many | race N\n");
	return 2;
}
