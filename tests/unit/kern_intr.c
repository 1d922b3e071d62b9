/* kern_intr.c — interrupting blocked k* calls without killing (kinterrupt,
 * /prog/N/ctl "interrupt"), kill waking at once, kprocpid, and readiness
 * (kready, kpoll): timeouts, wake-ups by pipe activity from other procs,
 * interrupts, bad fds. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include "kern_test.h"
#include "tsleeps.h"

static int pfd[2];
static atomic_int blockpid, blockdone, blocktid;
static _Atomic(Proc *) blockproc;
static long blockret;
static char blockerr[ERRMAX];
static char blockbuf[70000];

static long
msnow(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run by kspawn: one blocking call on pfd, chosen by a; then, if the
 * call was interrupted, a second read to show the proc lives on. */
static void
blocker(void *a)
{
	int what = (int)(long)a;
	atomic_store(&blockproc, kcurproc());
	atomic_store(&blocktid, syscall(SYS_gettid));
	atomic_store(&blockpid, kgetpid());
	blockerr[0] = 0;
	switch(what){
	case 0:
		blockret = kread(pfd[0], blockbuf, 16);
		break;
	case 1:
		blockret = kwrite(pfd[1], blockbuf, 4096);
		break;
	case 2: {
		Kpollfd f = { pfd[0], KPREAD, 0 };
		blockret = kpoll(&f, 1, -1);
		break;
	}
	}
	if(blockret < 0)
		kgerrstr(blockerr, sizeof blockerr);
	atomic_store(&blockdone, 1);
	/* still alive: this read is served once the test writes */
	if(blockret < 0 && what != 1 && kread(pfd[0], blockbuf, 16) == 5)
		atomic_store(&blockdone, 2);
}

/* How many times the blocker's host thread has gone to sleep. */
static long
sleeps(void)
{
	return threadsleeps(atomic_load(&blocktid));
}

/* A blocker that waits on a polling tick wakes every tick; one that
 * sleeps until it is woken does not, but for intr.c's 1 s backstop
 * (one wake-up in 200 ms at most).  Counted, not timed: under load the
 * interrupt's wake-up took 34 ms, near the 40 the test allowed. */
static void
startblocker(int what)
{
	int i;
	long n0, n1;
	atomic_store(&blockpid, 0);
	atomic_store(&blockdone, 0);
	atomic_store(&blockproc, NULL);
	ok(kspawn(blocker, (void*)(long)what, 0, "blocker") > 0, "spawn a proc that blocks");
	for(i = 0; i < 2000 && atomic_load(&blockpid) == 0; i++)
		usleep(1000);
	usleep(100000);
	n0 = sleeps();
	usleep(200000);
	n1 = sleeps();
	is(atomic_load(&blockdone), 0, "it is blocked");
	ok(n0 >= 0 && n1 - n0 <= 1, "asleep: not woken by a polling tick (%ld wake-ups in 200 ms)", n1 - n0);
}

static int
waitdone(int want, int ms)
{
	long end = msnow() + ms;
	while(atomic_load(&blockdone) < want && msnow() < end)
		usleep(500);
	return atomic_load(&blockdone) >= want;
}

static void
interrupts(void)
{
	char path[64];
	long t0;

	ok(kpipe(pfd) == 0, "pipe");
	startblocker(0);
	t0 = msnow();
	kinterrupt(atomic_load(&blockproc));
	ok(waitdone(1, 2000), "kinterrupt ends a blocked pipe read (%ld ms)", msnow() - t0);
	is(blockret, -1, "it returns -1");
	isstr(blockerr, "interrupted", "with 'interrupted'");
	ok(kwrite(pfd[1], "hello", 5) == 5, "write");
	ok(waitdone(2, 2000), "the proc lives on: its next read gets the data");

	startblocker(2);
	kinterrupt(atomic_load(&blockproc));
	ok(waitdone(1, 2000), "kinterrupt ends a kpoll");
	isstr(blockerr, "interrupted", "with 'interrupted'");
	ok(kwrite(pfd[1], "world", 5) == 5, "write");
	ok(waitdone(2, 2000), "and the proc reads on");

	ok(kwrite(pfd[1], blockbuf, 65536) == 65536, "fill the pipe");
	startblocker(1);
	snprintf(path, sizeof path, "/prog/%d/ctl", atomic_load(&blockpid));
	ok(kt_write(path, "interrupt") == 0, "write 'interrupt' to its ctl");
	ok(waitdone(1, 2000), "a write blocked on a full pipe ends");
	isstr(blockerr, "interrupted", "with 'interrupted'");
	snprintf(path, sizeof path, "/prog/%d/ctl", kgetpid());
	kt_fails(kt_write(path, "interrupts"), "bad process or channel control request", "a bad ctl message");
	kclose(pfd[0]);
	kclose(pfd[1]);

	/* kill: at once too, where it used to wait for a 50 ms tick */
	ok(kpipe(pfd) == 0, "pipe");
	startblocker(0);
	snprintf(path, sizeof path, "/prog/%d/ctl", atomic_load(&blockpid));
	t0 = msnow();
	ok(kt_write(path, "kill") == 0, "kill it");
	ok(waitdone(1, 2000), "a kill ends the read (%ld ms)", msnow() - t0);
	isstr(blockerr, "interrupted", "with 'interrupted'");
	usleep(20000);
	kclose(pfd[0]);
	kclose(pfd[1]);
}

/* An interrupt sent while the proc runs waits for its next blocking call,
 * and is taken by one call only. */
static void
pending(void)
{
	Proc *me = kcurproc();
	Kpollfd f;
	char buf[8];
	int p[2];

	ok(kpipe(p) == 0, "pipe");
	ok(kwrite(p[1], "ab", 2) == 2, "queue data");
	kinterrupt(me);
	ok(kread(p[0], buf, 1) == 1, "a read that need not wait is not interrupted");
	ok(kread(p[0], buf, 1) == 1, "nor is the next");
	kt_fails(kread(p[0], buf, 1), "interrupted", "the next read that would block");
	f.fd = p[0];
	f.events = KPREAD;
	ok(kpoll(&f, 1, 0) == 0, "the interrupt is taken: kpoll(0) just looks");
	kinterrupt(me);
	kclearinterrupt(me);
	ok(kpoll(&f, 1, 30) == 0, "kclearinterrupt forgets it: kpoll times out");
	kinterrupt(me);
	kt_fails(kpoll(&f, 1, 1000), "interrupted", "a pending interrupt ends kpoll");
	kinterrupt(NULL);
	ok(kpoll(&f, 1, 30) == 0, "kinterrupt(NULL) interrupts nobody: kpoll times out");
	kinterrupt(me);
	kclearinterrupt(NULL);
	kt_fails(kpoll(&f, 1, 1000), "interrupted", "kclearinterrupt(NULL) clears nobody's interrupt");
	kclose(p[0]);
	kclose(p[1]);
}

static void
pids(void)
{
	Proc *p = kprocnew(0);
	is(kprocpid(kcurproc()), kgetpid(), "kprocpid of the current proc");
	ok(p != NULL && kprocpid(p) > kgetpid(), "kprocpid of a new proc");
	is(kprocpid(NULL), -1, "kprocpid(NULL)");
	kprocfree(p);
}

static void
readiness(void)
{
	int p[2], fd;
	char buf[8];
	ok(kpipe(p) == 0, "pipe");
	is(kready(p[0], KPREAD | KPWRITE), KPWRITE, "an empty pipe: writable, not readable");
	ok(kwrite(p[1], "x", 1) == 1, "write");
	is(kready(p[0], KPREAD), KPREAD, "then readable");
	is(kready(p[0], 0), 0, "no events asked, none given");
	ok(kread(p[0], buf, 1) == 1, "read");
	ok(kwrite(p[0], blockbuf, 65536) == 65536, "fill the other direction");
	is(kready(p[0], KPWRITE), 0, "a full pipe is not writable");
	kclose(p[1]);
	is(kready(p[0], KPREAD | KPWRITE), KPWRITE | KPHUP, "other end gone: hang-up, and a write would not wait");
	kclose(p[0]);
	kt_fails(kready(p[0], KPREAD), "bad fd", "kready of a closed fd");
	kt_fails(kready(-1, KPREAD), "bad fd", "kready of fd -1");

	ok(kt_create("/rfile", OWRITE, 0644, "data") == 0, "a #U file");
	fd = kopen("/rfile", ORDWR);
	is(kready(fd, KPREAD | KPWRITE), KPREAD | KPWRITE, "files are always ready");
	kclose(fd);
	kremove("/rfile");
	fd = kopen("/dev/cons", ORDWR);
	is(kready(fd, KPREAD | KPWRITE), KPREAD | KPWRITE, "the embedder's console is taken as ready");
	kclose(fd);
	fd = kopen("/dev", OREAD);
	is(kready(fd, KPREAD), KPREAD, "a directory is ready");
	kclose(fd);
}

typedef struct Later {
	int fd;
	int ms;
	char *s;
} Later;

static void
writelater(void *a)
{
	Later *l = a;
	usleep(l->ms * 1000);
	if(l->s != NULL)
		kwrite(l->fd, l->s, strlen(l->s));
	else
		kclose(l->fd);
}

static void
polling(void)
{
	Kpollfd f[4];
	static Later l1, l2;
	int p[2], q[2];
	long t0;

	ok(kpipe(p) == 0 && kpipe(q) == 0, "two pipes");
	f[0].fd = p[0];
	f[0].events = KPREAD;
	f[1].fd = q[0];
	f[1].events = KPREAD;
	t0 = msnow();
	is(kpoll(f, 2, 100), 0, "kpoll of empty pipes times out");
	ok(msnow() - t0 >= 95, "after the timeout");
	is(kpoll(f, 0, 30), 0, "kpoll of nothing sleeps");

	l1.fd = q[1];
	l1.ms = 100;
	l1.s = "q";
	ok(kspawn(writelater, &l1, 0, "writer") > 0, "another proc writes the second pipe in 100 ms");
	t0 = msnow();
	is(kpoll(f, 2, -1), 1, "kpoll wakes with one ready");
	ok(msnow() - t0 >= 80 && msnow() - t0 < 1000, "when the write happens (%ld ms)", msnow() - t0);
	is(f[0].revents, 0, "not the first");
	is(f[1].revents, KPREAD, "the second");

	f[2].fd = -1;
	f[2].events = KPREAD;
	f[3].fd = 999;
	f[3].events = KPREAD;
	is(kpoll(f, 4, 0), 2, "a negative fd is skipped, a bad one counts");
	is(f[2].revents, 0, "skipped");
	is(f[3].revents, KPNVAL, "bad fd: KPNVAL");

	l2.fd = p[1];
	l2.ms = 50;
	l2.s = NULL;
	ok(kspawn(writelater, &l2, FORKFD, "closer") > 0, "another proc closes its copy of the writing end");
	kclose(p[1]);
	f[1].fd = -1;
	is(kpoll(f, 2, 2000), 1, "kpoll wakes on the hang-up");
	is(f[0].revents, KPHUP, "KPHUP");
	kt_fails(kpoll(f, -1, 0), "bad arg", "a negative count");
	kt_fails(kpoll(NULL, 1, 0), "bad arg", "no array");
	kclose(p[0]);
	kclose(q[0]);
	kclose(q[1]);
}

/* Many procs poll at once, each woken by its own pipe. */
enum { Npoll = 6 };
static int mp[Npoll][2];
static atomic_int woke;

static void
poller(void *a)
{
	int i = (int)(long)a;
	Kpollfd f = { mp[i][0], KPREAD, 0 };
	if(kpoll(&f, 1, 5000) == 1 && f.revents == KPREAD)
		atomic_fetch_add(&woke, 1);
}

static void
manypollers(void)
{
	int i;
	long t0;
	for(i = 0; i < Npoll; i++)
		kpipe(mp[i]);
	for(i = 0; i < Npoll; i++)
		kspawn(poller, (void*)(long)i, 0, "poller");
	usleep(50000);
	t0 = msnow();
	for(i = 0; i < Npoll; i++)
		kwrite(mp[i][1], "m", 1);
	while(atomic_load(&woke) < Npoll && msnow() - t0 < 3000)
		usleep(1000);
	is(atomic_load(&woke), Npoll, "%d procs polling different pipes all wake", Npoll);
	usleep(20000);
	for(i = 0; i < Npoll; i++){
		kclose(mp[i][0]);
		kclose(mp[i][1]);
	}
}

int
main(void)
{
	kt_init(0, NULL);
	interrupts();
	pending();
	pids();
	readiness();
	polling();
	manypollers();
	usleep(100000);	/* let spawned procs finish freeing */
	return done_testing();
}
