/*
 * guest_vecrace.c — vectored calls with hostile iovecs while other
 * threads change what they name (tests/vxinferno_vecrace.t): the guest
 * gets errors or short counts, the host never crashes.
 *
 *	guest_vecrace iovecs SEED SECONDS
 *	guest_vecrace sockswap ITERATIONS
 *
 * iovecs: four threads make readv, writev, vmsplice, preadv, pwritev,
 * sendmsg, recvmsg, read and write calls on a pipe, a stream and a
 * datagram socketpair, a file and an eventfd, with iovecs at 0, across
 * 4 GiB, across the end of guest memory, in a region of 16 pages, of
 * lengths 0, 2 GiB - 1, 2 GiB and up, MAX_RW_COUNT and random, up to
 * UIO_MAXIOV and past it, some from an array another thread rewrites;
 * two threads unmap, remap and reprotect the region's pages, rewrite
 * that array, swap the fds with dup2 and toggle O_NONBLOCK.  A SIGALRM
 * without SA_RESTART every 20 ms ends any wait.
 *
 * sockswap: in a child (whose pid is not the one the sockets were
 * made by, so each send tells the conversation its sender again), two
 * threads writev, sendmsg, recvmsg and readv fd 20 while the main
 * thread dup2s a fresh socketpair's end over it ITERATIONS times: the
 * Sock a call had found was freed under it (AddressSanitizer:
 * heap-use-after-free in sendbuf's unixcred; glibc: "corrupted size vs.
 * prev_size").
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { NPG = 16, SWAPFD = 20, GUARD = 2 << 20 };
static char *region;
static volatile int stop;
static int fds[8];	/* a pipe; stream and datagram socketpairs; a file; an eventfd */
static struct iovec shared[64];	/* rewritten by the mutators while in use */
static unsigned seed0;

static unsigned
rnd(unsigned *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void *
wild(unsigned *s)
{
	switch(rnd(s) % 10){
	case 0:
		return NULL;
	case 1:
		return (void*)(uintptr_t)(0xfffff000u + rnd(s) % 0x1000);
	case 2:
		return (void*)(uintptr_t)(0x10000000u - 0x800 + rnd(s) % 0x1000);	/* the end of 256 MiB */
	case 3:
		return (void*)(uintptr_t)0xc0000000u;
	default:
		return region + rnd(s) % (NPG * 4096);
	}
}

static size_t
wlen(unsigned *s)
{
	switch(rnd(s) % 10){
	case 0:
		return 0;
	case 1:
		return 0x7fffffff;
	case 2:
		return 0x80000000u + rnd(s);
	case 3:
		return 0x7ffff000;
	case 4:
		return rnd(s) % (1 << 20);
	default:
		return rnd(s) % 9000;
	}
}

static void
fill(unsigned *s, struct iovec *v, int n)
{
	int i;

	for(i = 0; i < n; i++)
		v[i] = (struct iovec){wild(s), wlen(s)};
}

static void *
caller(void *a)
{
	unsigned s = seed0 + (uintptr_t)a * 7919;
	struct iovec v[64], *vp;
	struct msghdr m;
	int n, fd;

	while(!stop){
		n = rnd(&s) % 5 == 0 ? 1020 + rnd(&s) % 10 : 1 + rnd(&s) % 64;
		vp = shared;
		if(n <= 64 && rnd(&s) % 3 != 0){
			fill(&s, v, n);
			vp = v;
		}else if(n > 64)
			vp = (struct iovec*)region;	/* whatever the region holds now */
		fd = fds[rnd(&s) % 8];
		memset(&m, 0, sizeof m);
		m.msg_iov = vp;
		m.msg_iovlen = n;
		switch(rnd(&s) % 8){
		case 0: readv(fd, vp, n); break;
		case 1: writev(fd, vp, n); break;
		case 2: syscall(SYS_vmsplice, fd, vp, n, rnd(&s) % 16); break;
		case 3: preadv(fd, vp, n, rnd(&s) % 100000); break;
		case 4: pwritev(fd, vp, n, rnd(&s) % 100000); break;
		case 5: sendmsg(fd, &m, MSG_DONTWAIT); break;
		case 6: recvmsg(fd, &m, MSG_DONTWAIT); break;
		case 7: read(fd, wild(&s), wlen(&s)); write(fd, wild(&s), wlen(&s) % 70000); break;
		}
	}
	return NULL;
}

static void *
mutator(void *a)
{
	unsigned s = seed0 + 99 + (uintptr_t)a;
	char b[4096];
	int pg, i, t, x, y, fl;

	while(!stop){
		pg = rnd(&s) % NPG;
		switch(rnd(&s) % 8){
		case 0:
			i = 1 + rnd(&s) % 3;
			munmap(region + pg * 4096, 4096 * (pg + i > NPG ? NPG - pg : i));
			break;
		case 1:
			mmap(region + pg * 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 2:
			mprotect(region + pg * 4096, 4096, rnd(&s) % 4);
			break;
		case 3:
			fill(&s, shared, 64);
			break;
		case 4:
			mmap(region, NPG * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 5:	/* two fds swapped under the callers */
			x = rnd(&s) % 8;
			y = rnd(&s) % 8;
			if((t = dup(fds[x])) >= 0){
				dup2(fds[y], fds[x]);
				dup2(t, fds[y]);
				close(t);
			}
			break;
		case 6:
			for(i = 0; i < 8; i++)
				read(fds[i], b, sizeof b);
			break;
		case 7:
			fl = fcntl(fds[rnd(&s) % 8], F_GETFL);
			fcntl(fds[rnd(&s) % 8], F_SETFL, (fl & ~O_NONBLOCK) | (rnd(&s) % 2 ? O_NONBLOCK : 0));
			break;
		}
	}
	return NULL;
}

static void
onalrm(int sig)
{
	(void)sig;
}

/* Every 20 ms for secs, SIGALRM to the threads (no SA_RESTART: it ends
 * their waits), then stop them */
static void
drive(pthread_t *th, int nth, int secs)
{
	struct timespec ts = {0, 20000000};
	int i, k;

	for(i = 0; i < secs * 50; i++){
		nanosleep(&ts, NULL);
		for(k = 0; k < nth; k++)
			pthread_kill(th[k], SIGALRM);
	}
	stop = 1;
	for(i = 0; i < 20; i++){
		nanosleep(&ts, NULL);
		for(k = 0; k < nth; k++)
			pthread_kill(th[k], SIGALRM);
	}
}

static int
iovecs(int secs)
{
	pthread_t th[6];
	int i;

	/* the region between two guards of 2 MiB, past which no length
	 * reaches: the guest must not scribble on its own stacks (a
	 * readv across the region's end wrote the main thread's, next to
	 * it in the sandbox) */
	region = mmap(NULL, NPG * 4096 + 2 * GUARD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(region == MAP_FAILED)
		return 1;
	region += GUARD;
	mmap(region, NPG * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if(pipe(fds) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, fds + 2) < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, fds + 4) < 0)
		return 1;
	fds[6] = open("/tmp/vecrace.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	fds[7] = eventfd(0, 0);
	for(i = 0; i < 8; i++)
		fcntl(fds[i], F_SETFL, O_NONBLOCK);
	for(i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, caller, (void*)(uintptr_t)i);
	for(i = 4; i < 6; i++)
		pthread_create(&th[i], NULL, mutator, (void*)(uintptr_t)i);
	drive(th, 6, secs);
	printf("iovecs: seed %u done\n", seed0);
	fflush(stdout);
	_exit(0);
}

static void *
swapper(void *a)
{
	char b[64] = "x";
	struct iovec v[2] = {{b, 10}, {b, 20}};
	struct msghdr m;
	int i;

	i = (uintptr_t)a;
	memset(&m, 0, sizeof m);
	m.msg_iov = v;
	m.msg_iovlen = 2;
	while(!stop){
		switch(i++ % 4){
		case 0: writev(SWAPFD, v, 2); break;
		case 1: sendmsg(SWAPFD, &m, MSG_DONTWAIT); break;
		case 2: recvmsg(SWAPFD, &m, MSG_DONTWAIT); break;
		case 3: readv(SWAPFD, v, 2); break;
		}
	}
	return NULL;
}

static int
sockswap(int iters)
{
	pthread_t th[2];
	int k, s[2], st;
	pid_t pid;

	if(socketpair(AF_UNIX, SOCK_DGRAM, 0, s) < 0)
		return 1;
	dup2(s[0], SWAPFD);
	close(s[0]);
	close(s[1]);
	fcntl(SWAPFD, F_SETFL, O_NONBLOCK);
	if((pid = fork()) != 0){
		waitpid(pid, &st, 0);
		printf("sockswap: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "done" : "the child failed");
		return 0;
	}
	for(k = 0; k < 2; k++)
		pthread_create(&th[k], NULL, swapper, (void*)(uintptr_t)k);
	for(k = 0; k < iters; k++){
		if(socketpair(AF_UNIX, k % 2 ? SOCK_STREAM : SOCK_DGRAM, 0, s) < 0)
			continue;
		fcntl(s[0], F_SETFL, O_NONBLOCK);
		dup2(s[0], SWAPFD);	/* the Sock the threads' calls found goes */
		close(s[0]);
		close(s[1]);
	}
	drive(th, 2, 0);
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 3 && strcmp(argv[1], "iovecs") == 0){
		seed0 = atoi(argv[2]);
		return iovecs(atoi(argv[3]));
	}
	if(argc > 2 && strcmp(argv[1], "sockswap") == 0)
		return sockswap(atoi(argv[2]));
	fprintf(stderr, "usage: guest_vecrace iovecs SEED SECONDS | sockswap ITERATIONS\n");
	return 2;
}
