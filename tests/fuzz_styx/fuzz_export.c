/* fuzz_export.c — libFuzzer target for the 9P server side: libkern's
 * export (kexport) and the libstyx server under it, facing a client whose
 * T-messages the fuzzer chooses.
 *
 * Each input is one connection to an export of the whole namespace (a
 * #U root holding a file, a directory, a fifo, and /n: that directory
 * exported again over a kernel pipe and mounted, so devmnt is reached
 * through the export too).  After a sane Tversion the input is a list
 * of records
 *	ctl[1] len[2] body[len]
 * each one message: the harness writes size[4] = len+4, then body
 * (type[1] tag[2] …); ctl bit 0x80: body goes out as it is, without the
 * size (framing attacks); bit 1: pipelined, the next record is sent at
 * once, else the harness waits (briefly) for the reply with this tag.
 * At the end the client hangs up; the export must answer, close, free
 * every fid and return.  Whatever the messages, nothing may crash, leak,
 * read out of bounds or hang (a server that does not end within 60 s is
 * a finding: abort).  Seeds: mkseeds -x. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "kernel.h"
#include "raw9p.h"
#include "fuzztree.h"

enum { WAITMS = 50, ENDMS = 60000 };	/* a loaded machine (nice 19) once took 10 s */

static char root[64], sockpath[128];
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ended;		/* exports that returned */

static void
exportended(void)
{
	pthread_mutex_lock(&lk);
	ended++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lk);
}

static void
listener(void *a)
{
	fuzzlisten(a, KEXPWAIT, exportended);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char addr[160];
	Kconf c;

	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	if(fuzztmp(root, sizeof root, "fuzz_export") < 0)
		abort();
	snprintf(sockpath, sizeof sockpath, "%s.sock", root);
	memset(&c, 0, sizeof c);
	c.consread = fuzzconsread;
	c.conswrite = fuzzconswrite;
	if(fuzztree(root, &c) < 0)
		abort();
	snprintf(addr, sizeof addr, "unix!%s", sockpath);
	kspawn(listener, addr, 0, "listen");
	return 0;
}

static long
nowms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read replies until one with tag arrives (tag < 0: until the server
 * closes), at most ms.  0: got it; 1: timed out; -1: closed.  A signal
 * (libFuzzer's SIGALRM for -timeout, every timeout/2+1 s, to any thread)
 * ends a poll early: it is no time out.  Taken for one, it was the
 * "server did not close in 60000 ms" of sessions 8, 10 and 11, reported
 * at once and never reproduced alone. */
static int
drain(int fd, int tag, long ms)
{
	static uint8_t buf[R9MSIZE];
	struct pollfd p;
	long end, n, left;
	int r;

	end = nowms() + ms;
	for(;;){
		left = end - nowms();
		if(left < 0)
			return 1;
		p.fd = fd;
		p.events = POLLIN;
		r = poll(&p, 1, left);
		if(r < 0 && errno == EINTR)
			continue;
		if(r <= 0)
			return 1;
		n = styx_readmsg(fd, buf, sizeof buf);
		if(n <= 0)
			return -1;
		if(tag >= 0 && n >= 7 && (buf[5] | buf[6] << 8) == tag)
			return 0;
	}
}

/* A hang: with FUZZ_GDB set, every thread's stack first. */
static void
hung(const char *what, int fd)
{
	char cmd[128];

	fprintf(stderr, "fuzz_export: %s in %d ms (client fd %d)\n", what, ENDMS, fd);
	if(getenv("FUZZ_GDB") != NULL){
		snprintf(cmd, sizeof cmd, "ls -l /proc/%d/fd >&2; cat /proc/net/unix | grep fuzz_export >&2", (int)getpid());
		if(system(cmd) != 0)
			fprintf(stderr, "fuzz_export: no ls\n");
		snprintf(cmd, sizeof cmd, "gdb -p %d -batch -ex 'thread apply all bt' >&2", (int)getpid());
		if(system(cmd) != 0)
			fprintf(stderr, "fuzz_export: no gdb\n");
	}
	abort();
}

static void
sendversion(int fd)
{
	Fcall f;

	r9init(&f, Tversion, STYX_NOTAG, 0);
	f.msize = R9MSIZE;
	f.version = "9P2000";
	if(r9send(fd, &f) == 0)
		drain(fd, STYX_NOTAG, 1000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	uint8_t msg[R9MSIZE + 4];
	size_t i, l;
	int fd, ctl, want, closed;

	pthread_mutex_lock(&lk);
	want = ended + 1;
	pthread_mutex_unlock(&lk);
	fd = r9dial(sockpath);
	if(fd < 0)
		abort();
	sendversion(fd);
	closed = 0;
	for(i = 0; i + 3 <= n && !closed; i += 3 + l){
		ctl = data[i];
		l = data[i + 1] | data[i + 2] << 8;
		if(l > n - i - 3)
			l = n - i - 3;
		if(l > R9MSIZE - 4)
			l = R9MSIZE - 4;
		if(ctl & 0x80){
			memcpy(msg, data + i + 3, l);
			closed = styx_writeall(fd, msg, l) < 0;
			continue;
		}
		msg[0] = l + 4;
		msg[1] = (l + 4) >> 8;
		msg[2] = msg[3] = 0;
		memcpy(msg + 4, data + i + 3, l);
		if(styx_writeall(fd, msg, l + 4) < 0)
			break;
		if(!(ctl & 1) && l >= 3)
			closed = drain(fd, msg[5] | msg[6] << 8, WAITMS) < 0;
	}
	/* hang up: the export answers what is pending, then ends */
	shutdown(fd, SHUT_WR);
	if(!closed && drain(fd, -1, ENDMS) > 0)
		hung("the server did not close", fd);
	close(fd);
	pthread_mutex_lock(&lk);
	while(ended < want){
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ENDMS / 1000;
		if(pthread_cond_timedwait(&cv, &lk, &ts) == ETIMEDOUT && ended < want)
			hung("kexport did not return", -1);
	}
	pthread_mutex_unlock(&lk);
	return 0;
}
