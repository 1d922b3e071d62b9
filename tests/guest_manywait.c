/*
 * guest_manywait.c — one wait on many sockets: poll, select and
 * epoll_wait over 12 tcp connections on 127.0.0.1, a thread writing to
 * the last one's other end after the wait began.  Each wait, without a
 * timeout, must end with that socket readable (a watchdog ends the
 * program after 30 s).
 * vxinferno's kernel waited on the host descriptors of the first 8 only
 * (-N's tcp and udp sockets are host sockets; its unix sockets wake
 * waiters themselves), and slept through the rest's arrivals.  Its output must be the same natively and under
 * vxinferno (tests/vxinferno_manywait.t).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

enum { N = 12 };

static int sv[N][2];	/* [0] waited on, [1] its peer */

/* N connections on 127.0.0.1: sv[i][0] the caller's end, sv[i][1] the
 * accepted one */
static int
connections(void)
{
	struct sockaddr_in a;
	socklen_t al;
	int l, i;

	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	al = sizeof a;
	if(l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, N) < 0 ||
	   getsockname(l, (struct sockaddr *)&a, &al) < 0)
		return -1;
	for(i = 0; i < N; i++){
		sv[i][0] = socket(AF_INET, SOCK_STREAM, 0);
		if(sv[i][0] < 0 || connect(sv[i][0], (struct sockaddr *)&a, sizeof a) < 0)
			return -1;
		if((sv[i][1] = accept(l, NULL, NULL)) < 0)
			return -1;
	}
	close(l);
	return 0;
}

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* after the wait began (most likely), a byte to the last pair */
static void *
writer(void *a)
{
	(void)a;
	nap(150);
	write(sv[N - 1][1], "x", 1);
	return NULL;
}

static void
watchdog(int sig)
{
	static const char m[] = "no wake-up in 30 s\n";

	(void)sig;
	write(1, m, sizeof m - 1);
	_exit(1);
}

static void
drain(void)
{
	char c;

	read(sv[N - 1][0], &c, 1);
}

int
main(void)
{
	struct epoll_event ev, out[N];
	struct pollfd pf[N];
	pthread_t th;
	fd_set rs;
	int i, n, ep, hi;

	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGALRM, watchdog);
	alarm(30);
	if(connections() < 0){
		perror("connections");
		return 1;
	}

	for(i = 0; i < N; i++)
		pf[i] = (struct pollfd){ .fd = sv[i][0], .events = POLLIN };
	pthread_create(&th, NULL, writer, NULL);
	n = poll(pf, N, -1);
	pthread_join(th, NULL);
	printf("poll: %d, the last readable %d\n", n, (pf[N - 1].revents & POLLIN) != 0);
	drain();

	FD_ZERO(&rs);
	hi = 0;
	for(i = 0; i < N; i++){
		FD_SET(sv[i][0], &rs);
		if(sv[i][0] > hi)
			hi = sv[i][0];
	}
	pthread_create(&th, NULL, writer, NULL);
	n = select(hi + 1, &rs, NULL, NULL, NULL);
	pthread_join(th, NULL);
	printf("select: %d, the last readable %d\n", n, FD_ISSET(sv[N - 1][0], &rs) != 0);
	drain();

	ep = epoll_create1(0);
	for(i = 0; i < N; i++){
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		epoll_ctl(ep, EPOLL_CTL_ADD, sv[i][0], &ev);
	}
	pthread_create(&th, NULL, writer, NULL);
	n = epoll_wait(ep, out, N, -1);
	pthread_join(th, NULL);
	printf("epoll_wait: %d, entry %d\n", n, n > 0 ? (int)out[0].data.u32 : -1);
	return 0;
}
