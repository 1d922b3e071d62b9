/*
 * guest_sigquiet.c — signals sent to a thread busy in file calls
 * (tests/vxinferno_sigquiet.t).  After a read, write, pread, lseek,
 * stat, open or close the runtime may skip taking its signal lock
 * (vxrun/syssig.c deliverquiet): a signal posted meanwhile must still
 * be delivered before the thread's next guest instruction runs on.
 *
 *	guest_sigquiet alias
 *	guest_sigquiet N
 *	guest_sigquiet pipewait N
 *
 * pipewait: the worker reads an empty pipe, blocking, while the main
 * thread sends it N SIGUSR1s (no SA_RESTART) one at a time: each must
 * end the wait (EINTR) and run the handler, whenever it comes against
 * the read's start (the runtime's intrbeginio looks for a pending
 * signal without its lock); a missed one is a hang.
 *
 * alias: sigprocmask with the new and the old set the same memory, as
 * glibc's pthread_sigmask(how, &s, &s): the new set is the one given
 * (the runtime wrote the old mask first, then read it back as the new).
 *
 * A worker thread loops over those calls (and a pipe's write and read,
 * SIGPIPE-free) while the main thread, which blocks SIGUSR1, sends N
 * signals one at a time — tgkill to the worker, kill to the process
 * (only the worker can take it), SIGUSR2 with SA_RESTART, SIGSTOP and
 * SIGCONT from a child — each time waiting until the worker's handler
 * has counted it.  A lost signal is a hang (the test's timeout); it
 * also reads and writes an fd a third thread dup2s between /dev/null
 * and two files (one read-only) or closes under the worker's calls:
 * every call answers (a count or an error), none crashes the host.
 * (Not a pipe or an eventfd: a read whose fd becomes a pipe after the
 * call has looked at it is made again, and waits on that pipe;
 * guest_sigswap has a signal end that wait.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_int got1, got2, stop, swaps;
static atomic_int wtid;
static int nullfd, filefd, rofd, pfd[2];
enum { Swapfd = 40 };

static void
on1(int sig)
{
	(void)sig;
	atomic_fetch_add(&got1, 1);
}

static void
on2(int sig)
{
	(void)sig;
	atomic_fetch_add(&got2, 1);
}

static void *
worker(void *arg)
{
	char buf[512];
	struct stat st;
	int fd;

	(void)arg;
	atomic_store(&wtid, (int)syscall(SYS_gettid));
	memset(buf, 'x', sizeof buf);
	while(!atomic_load(&stop)){
		write(nullfd, buf, sizeof buf);
		pwrite(filefd, buf, 64, 0);
		pread(filefd, buf, 64, 0);
		lseek(filefd, 0, SEEK_SET);
		write(pfd[1], buf, 1);
		read(pfd[0], buf, 1);
		stat("/tmp", &st);
		if((fd = open("/tmp", O_RDONLY | O_DIRECTORY)) >= 0)
			close(fd);
		/* the fd the third thread swaps: any answer but a crash */
		write(Swapfd, buf, 8);
		read(Swapfd, buf, 8);
	}
	return NULL;
}

static void *
swapper(void *arg)
{
	int from[4];
	int i;

	(void)arg;
	from[0] = nullfd;
	from[1] = rofd;
	from[2] = nullfd;
	from[3] = filefd;
	for(i = 0; !atomic_load(&stop); i++){
		dup2(from[i & 3], Swapfd);
		if((i & 7) == 7)
			close(Swapfd);
		atomic_fetch_add(&swaps, 1);
		sched_yield();
	}
	return NULL;
}


/* until *c reaches want */
static void
await(atomic_int *c, int want)
{
	while(atomic_load(c) < want)
		sched_yield();
}

static int bp[2];
static atomic_int eintr;

static void *
waiter(void *arg)
{
	char c;

	(void)arg;
	atomic_store(&wtid, (int)syscall(SYS_gettid));
	while(!atomic_load(&stop))
		if(read(bp[0], &c, 1) < 0 && errno == EINTR)
			atomic_fetch_add(&eintr, 1);
	return NULL;
}

static int
pipewait(int n)
{
	struct sigaction sa;
	pthread_t w;
	sigset_t set;
	int i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on1;
	sigaction(SIGUSR1, &sa, NULL);
	if(pipe(bp) < 0 || pthread_create(&w, NULL, waiter, NULL) != 0)
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	await(&wtid, 1);
	for(i = 0; i < n; i++){
		syscall(SYS_tgkill, getpid(), atomic_load(&wtid), SIGUSR1);
		await(&got1, i + 1);
	}
	atomic_store(&stop, 1);
	write(bp[1], "x", 1);
	pthread_join(w, NULL);
	printf("SIGUSR1 %d, reads ended by one %s\n", atomic_load(&got1), atomic_load(&eintr) > 0 ? "some" : "none");
	return 0;
}

static int
alias(void)
{
	sigset_t s, now;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_SETMASK, &s, &s);	/* old: empty */
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("old has SIGUSR1 %d, now has SIGUSR1 %d\n", sigismember(&s, SIGUSR1), sigismember(&now, SIGUSR1));
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	syscall(SYS_sigprocmask, SIG_BLOCK, &s, &s);	/* the old call, 32 bits */
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("old call: old has SIGUSR2 %d, now has SIGUSR2 %d\n", sigismember(&s, SIGUSR2), sigismember(&now, SIGUSR2));
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t w, s;
	sigset_t set;
	int i, n, tid;
	pid_t kid;

	if(argc > 1 && strcmp(argv[1], "alias") == 0)
		return alias();
	if(argc > 2 && strcmp(argv[1], "pipewait") == 0)
		return pipewait(atoi(argv[2]));
	n = argc > 1 ? atoi(argv[1]) : 200;
	signal(SIGPIPE, SIG_IGN);
	nullfd = open("/dev/null", O_RDWR);
	filefd = open("/tmp/sigquiet.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	rofd = open("/tmp/sigquiet.f", O_RDONLY);
	if(nullfd < 0 || filefd < 0 || rofd < 0 || pipe2(pfd, O_NONBLOCK) < 0){
		perror("setup");
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on2;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* the worker takes both */
	/* the worker starts with both unblocked: the same set in and out,
	 * as glibc's own calls make it (the new set is read first) */
	sigemptyset(&set);
	pthread_sigmask(SIG_SETMASK, &set, &set);
	if(pthread_create(&w, NULL, worker, NULL) != 0)
		return 1;
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	if(pthread_create(&s, NULL, swapper, NULL) != 0)
		return 1;
	await(&wtid, 1);
	tid = atomic_load(&wtid);
	for(i = 0; i < n; i++){
		switch(i % 4){
		case 0:
			syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
			break;
		case 1:
			kill(getpid(), SIGUSR1);
			break;
		case 2:
			syscall(SYS_tgkill, getpid(), tid, SIGUSR2);
			await(&got2, i / 4 + 1);
			continue;
		case 3:
			/* a stop and a continue from another process: the
			 * worker goes on after them, then takes SIGUSR1 */
			if((kid = fork()) == 0){
				kill(getppid(), SIGSTOP);
				kill(getppid(), SIGCONT);
				_exit(0);
			}
			waitpid(kid, NULL, 0);
			kill(getpid(), SIGUSR1);
			break;
		}
		await(&got1, i + 1 - (i + 2) / 4);	/* the SIGUSR1s of 0..i */
	}
	atomic_store(&stop, 1);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	printf("SIGUSR1 %d SIGUSR2 %d swaps %s\n", atomic_load(&got1), atomic_load(&got2), atomic_load(&swaps) > 0 ? "some" : "none");
	unlink("/tmp/sigquiet.f");
	return 0;
}
