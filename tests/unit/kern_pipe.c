/* kern_pipe.c — #| pipes: a byte stream (reads gather writes), end of file, closed pipes, blocking
 * and concurrent procs on host threads, kill of a blocked reader. */
#include <pthread.h>
#include <stdatomic.h>
#include "kern_test.h"

enum { Nwriter = 4, Nmsg = 2000 };

static int pfd[2];
static atomic_int done;

static void
writer(void *a)
{
	int id = (int)(long)a, i;
	char msg[32];
	for(i = 0; i < Nmsg; i++){
		int n = snprintf(msg, sizeof msg, "w%d:%d\n", id, i);
		if(kwrite(pfd[1], msg, n) != n)
			break;
	}
	atomic_fetch_add(&done, 1);
}

static void
basics(void)
{
	int p[2];
	char buf[64];
	Dir *d;
	ok(kpipe(p) == 0, "kpipe");
	ok(kwrite(p[0], "one", 3) == 3 && kwrite(p[0], "two", 3) == 3, "two writes");
	ok(kread(p[1], buf, 4) == 4 && memcmp(buf, "onet", 4) == 0, "a read takes across writes, up to its count");
	ok(kread(p[1], buf, 0) == 0, "a read of nothing returns at once");
	ok(kread(p[1], buf, sizeof buf) == 2 && memcmp(buf, "wo", 2) == 0, "then the rest, all that is queued");
	ok(kwrite(p[0], "a", 1) == 1 && kwrite(p[0], "bc", 2) == 2 && kwrite(p[0], "def", 3) == 3, "three writes");
	ok(kread(p[1], buf, sizeof buf) == 6 && memcmp(buf, "abcdef", 6) == 0, "one read takes them all");
	ok(knowait(1) == 0, "knowait: on");
	kt_fails(kread(p[1], buf, sizeof buf), "resource temporarily unavailable", "knowait: a read of an empty pipe fails at once");
	{
		static char fill[70000];
		long n = kwrite(p[0], fill, sizeof fill);
		ok(n == 65536, "knowait: a write longer than the room queues what fits, as Linux's (%ld of 70000)", n);
		kt_fails(kwrite(p[0], "x", 1), "resource temporarily unavailable", "knowait: a write to a full pipe fails at once");
		ok(kread(p[1], fill, sizeof fill) == 65536, "knowait: a read of what is queued");
		ok(kwrite(p[0], fill, 65536 - 100) == 65536 - 100, "knowait: a write that leaves 100 bytes of room");
		kt_fails(kwrite(p[0], fill, 200), "resource temporarily unavailable", "knowait: one of 200 goes whole or not at all (PIPE_BUF)");
		ok(kwrite(p[0], fill, 5000) == 100, "knowait: one of 5000 may be split: 100 queued");
		ok(kread(p[1], fill, sizeof fill) == 65536, "knowait: all of it read");
	}
	ok(knowait(0) == 1, "knowait: off, it was on");
	ok(kwrite(p[1], "back", 4) == 4 && kread(p[0], buf, sizeof buf) == 4, "pipes are two-way");
	{
		char *s = kfd2path(p[0]), *t = kfd2path(p[1]);
		isstr(s, "#|/data", "fd2path of end 0");
		isstr(t, "#|/data1", "fd2path of end 1");
		free(s); free(t);
	}
	ok(kwrite(p[0], "xyz", 3) == 3, "queue 3 bytes");
	d = kdirfstat(p[1]);
	ok(d != NULL && d->length == 3 && strcmp(d->name, "data1") == 0, "stat shows what end 1 can read");
	free(d);
	kclose(p[0]);
	ok(kread(p[1], buf, sizeof buf) == 3, "queued data survives the writer's close");
	ok(kread(p[1], buf, sizeof buf) == 0, "then end of file");
	kt_fails(kwrite(p[1], "x", 1), "write on closed pipe", "write towards a closed end");
	kclose(p[1]);
	{
		int fd = kopen("#|", OREAD);
		char *s = fd >= 0 ? kfd2path(fd) : NULL;
		isstr(s, "#|", "open #| directly");
		free(s);
		isstr(kt_ls("#|"), "data data1", "a pipe directory");
		kclose(fd);
	}
}

static void
concurrent(void)
{
	int i, seen[Nwriter], bad = 0, n = 0;
	long r;
	ok(kpipe(pfd) == 0, "pipe for %d writers", Nwriter);
	for(i = 0; i < Nwriter; i++){
		seen[i] = 0;
		ok(kspawn(writer, (void*)(long)i, 0, "writer") > 0, "spawn writer %d", i);
	}
	/* the writers share our fd table; reads gather what is queued, each
	 * write's bytes together, in order per writer: parse whole lines */
	{
		static char acc[256];
		long have = 0;
		char *nl, *s;
		while(n + bad < Nwriter*Nmsg && (r = kread(pfd[0], acc + have, sizeof acc - 1 - have)) > 0){
			have += r;
			acc[have] = 0;
			for(s = acc; (nl = strchr(s, '\n')) != NULL; s = nl + 1){
				int id, k;
				*nl = 0;
				if(sscanf(s, "w%d:%d", &id, &k) != 2 || id < 0 || id >= Nwriter || k != seen[id]){
					bad++;
					continue;
				}
				seen[id]++;
				n++;
			}
			have -= s - acc;
			memmove(acc, s, have);
			if(have == sizeof acc - 1)
				break;	/* a line longer than any write: garbage */
		}
	}
	is(n, Nwriter*Nmsg, "all messages arrived");
	is(bad, 0, "whole and in order");
	while(atomic_load(&done) < Nwriter)
		usleep(1000);
	kclose(pfd[0]);
	kclose(pfd[1]);
}

static void
bigwrite(void *a)
{
	static char big[200000];
	(void)a;
	memset(big, 'b', sizeof big);
	/* blocks until the reader drains the queue */
	if(kwrite(pfd[1], big, sizeof big) == (long)sizeof big)
		atomic_fetch_add(&done, 10);
	kclose(pfd[1]);
}

static void
blocking(void)
{
	static char buf[65536];
	long r, total = 0;
	atomic_store(&done, 0);
	ok(kpipe(pfd) == 0, "pipe");
	ok(kwrite(pfd[1], buf, 65536) == 65536, "fill the pipe");
	ok(kspawn(bigwrite, NULL, FORKFD, "big") > 0, "a writer that must wait");
	usleep(100000);
	is(atomic_load(&done), 0, "the writer is blocked while full");
	kclose(pfd[1]);
	while((r = kread(pfd[0], buf, sizeof buf)) > 0)
		total += r;
	is(total, 65536 + 200000, "everything read, then end of file when the writer's copy closes");
	kclose(pfd[0]);
	is(atomic_load(&done), 10, "the writer finished");
}

static atomic_int readerpid, readerdone;
static char readererr[ERRMAX];

static void
reader(void *a)
{
	char buf[8];
	(void)a;
	atomic_store(&readerpid, kgetpid());
	if(kread(pfd[0], buf, sizeof buf) < 0)
		kgerrstr(readererr, sizeof readererr);
	atomic_store(&readerdone, 1);
}

static void
killreader(void)
{
	char path[64];
	int i;
	ok(kpipe(pfd) == 0, "pipe");
	ok(kspawn(reader, NULL, 0, "reader") > 0, "a reader that blocks");
	for(i = 0; i < 1000 && atomic_load(&readerpid) == 0; i++)
		usleep(1000);
	usleep(50000);
	is(atomic_load(&readerdone), 0, "it is blocked");
	snprintf(path, sizeof path, "/prog/%d/ctl", atomic_load(&readerpid));
	ok(kt_write(path, "kill") == 0, "kill it through #p");
	for(i = 0; i < 2000 && !atomic_load(&readerdone); i++)
		usleep(1000);
	ok(atomic_load(&readerdone), "the blocked read returned");
	isstr(readererr, "interrupted", "with 'interrupted'");
	kclose(pfd[0]);
	kclose(pfd[1]);
}

/* kfdfileio: a read takes the fd's open file once; what the caller
 * learns of it (its device and qid) and what kfileio reads is that file, whatever
 * is dup2'd over the fd after */
static void
taken(void)
{
	int p[2], z, fd, dc;
	char buf[8];
	Kfile *f;
	Qid q;

	ok(kpipe(p) == 0, "kfdfileio: a pipe");
	z = kopen("#c/zero", OREAD);
	fd = kdup(p[1], -1);
	ok(z >= 0 && fd >= 0, "kfdfileio: /dev/zero and a dup of the pipe's end");
	ok(kwrite(p[0], "abc", 3) == 3, "kfdfileio: 3 bytes queued");
	f = kfdfileio(fd, 0, &dc, &q);
	ok(f != NULL && dc == '|' && !(q.type & QTDIR), "kfdfileio: the fd's open file taken, a pipe's end");
	ok(kdup(z, fd) == fd, "kfdfileio: /dev/zero put at the fd");
	memset(buf, 'x', sizeof buf);
	ok(kfileio(f, buf, sizeof buf, -1, 0) == 3 && memcmp(buf, "abc", 3) == 0, "kfileio: reads the pipe, not /dev/zero");
	kfileclose(f);
	f = kfdfileio(fd, 0, &dc, &q);
	ok(f != NULL && dc == 'c', "kfdfileio: the fd's file taken again: /dev/zero now");
	ok(kfileio(f, buf, sizeof buf, -1, 0) == sizeof buf && buf[0] == 0, "kfileio: reads /dev/zero");
	kfileclose(f);
	kt_fails(kfdfileio(z, 1, &dc, &q) == NULL ? -1 : 0, "inappropriate use of fd", "kfdfileio: a file open only to read is not taken to write");
	ok(kfdfileio(99, 0, &dc, &q) == NULL, "kfdfileio: nor a closed fd");
	kclose(fd);
	kclose(z);
	kclose(p[0]);
	kclose(p[1]);
}

int
main(void)
{
	kt_init(0, NULL);
	basics();
	taken();
	concurrent();
	blocking();
	killreader();
	usleep(100000);	/* let spawned procs finish freeing */
	return done_testing();
}
