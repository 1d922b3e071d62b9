/*
 * guest_sigswap.c — a read whose fd another thread turns into a pipe
 * under it (tests/vxinferno_sigswap.t).
 *
 *	guest_sigswap [pread|preadv|sendfile] N
 *
 * Each of N rounds: the worker reads fd Swapfd, a regular file at its
 * end (each read answers 0 at once), again and again; meanwhile the
 * main thread dup2s an empty pipe's read end over Swapfd and then
 * sends the worker SIGUSR1 (a handler, no SA_RESTART) until the worker
 * says a read failed EINTR.  As Linux: a read that began on the file
 * answers from the file, the next reads the pipe and waits there, and
 * a signal ends that wait.  A wait on the pipe that a read entered
 * having looked at the fd while it was the file must be one a signal
 * ends too; one that is not is a hang (the test's timeout).
 *
 * pread, preadv, sendfile (with an offset): the worker reads the file
 * at offset 0 (each read
 * answers at once) until one fails ESPIPE, the pipe's answer, or EINTR:
 * a positional read that looked at the fd as the file must not wait on
 * the pipe (no signal ends that wait).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum { Swapfd = 30 };	/* below 40: emu's dup2 (inferno/check.sh) */

static atomic_int go, ack, wtid, sigs;
static int nround, mode;

enum { Read, Pread, Preadv, Sendfile };

static int nullfd;

/* one read of Swapfd as mode says: done (EINTR, or ESPIPE for a
 * positional one)? */
static int
readone(void)
{
	struct iovec v[2];
	char buf[16];
	off_t off;
	long r;

	switch(mode){
	case Pread:
		r = pread(Swapfd, buf, sizeof buf, 0);
		break;
	case Preadv:
		v[0] = (struct iovec){buf, 8};
		v[1] = (struct iovec){buf + 8, 8};
		r = preadv(Swapfd, v, 2, 0);
		break;
	case Sendfile:
		off = 0;
		r = sendfile(nullfd, Swapfd, &off, sizeof buf);
		break;
	default:
		r = read(Swapfd, buf, sizeof buf);
		break;
	}
	return r < 0 && (errno == EINTR || (mode != Read && errno == ESPIPE));
}

static void
on1(int sig)
{
	(void)sig;
	atomic_fetch_add(&sigs, 1);
}

/* until *c is want, asleep (futex) where the main thread wakes it */
static void
await(atomic_int *c, int want)
{
	int v;

	while((v = atomic_load(c)) != want)
		syscall(SYS_futex, c, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static void *
worker(void *arg)
{
	int k;

	(void)arg;
	atomic_store(&wtid, (int)syscall(SYS_gettid));
	for(k = 1; k <= nround; k++){
		await(&go, k);
		while(!readone())
			;
		atomic_store(&ack, k);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t w;
	sigset_t s;
	int file, pfd[2], k, i;
	char *prog;

	prog = argv[0];
	if(argc > 2){
		mode = strcmp(argv[1], "pread") == 0 ? Pread : strcmp(argv[1], "preadv") == 0 ? Preadv :
			strcmp(argv[1], "sendfile") == 0 ? Sendfile : Read;
		argv++;
		argc--;
	}
	nround = argc > 1 ? atoi(argv[1]) : 50;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on1;
	sigaction(SIGUSR1, &sa, NULL);
	/* the main thread takes none: they are the worker's */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	nullfd = open("/dev/null", O_WRONLY);
	/* a file to read: the program's own (emu has no /proc: by its name) */
	if((file = open("/proc/self/exe", O_RDONLY)) < 0)
		file = open(prog, O_RDONLY);
	if(file < 0 || pipe(pfd) < 0){
		perror("setup");
		return 1;
	}
	lseek(file, 0, SEEK_END);
	pthread_create(&w, NULL, worker, NULL);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	while(atomic_load(&wtid) == 0)
		sched_yield();
	for(k = 1; k <= nround; k++){
		dup2(file, Swapfd);
		atomic_store(&go, k);
		syscall(SYS_futex, &go, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		/* land the swap at different points of the worker's reads */
		for(i = 0; i < k % 5; i++)
			sched_yield();
		dup2(pfd[0], Swapfd);
		while(atomic_load(&ack) != k){
			syscall(SYS_tgkill, getpid(), atomic_load(&wtid), SIGUSR1);
			sched_yield();
		}
	}
	pthread_join(w, NULL);
	/* a read's every round ends with a signal; a positional one's
	 * mostly with ESPIPE */
	if(mode == Read)
		printf("rounds %d, signals at least as many: %s\n", nround, atomic_load(&sigs) >= nround ? "yes" : "no");
	else
		printf("rounds %d\n", nround);
	return 0;
}
