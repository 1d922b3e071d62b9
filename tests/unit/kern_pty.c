/* kern_pty.c — #P pseudo-terminals at the kernel's interface: the clone
 * file and the slave's lock, the line discipline (a line typed with
 * erase, echo through ONLCR), kptyctl's session and the signals it
 * names, the window, the hangup, and
 * the master's EIO once the slave is gone. */
#include <stdatomic.h>
#include "kern_test.h"

enum { Nsig = 16 };

static int sigs[Nsig][4];
static atomic_int nsigs;

static void
record(int box, int pgrp, int pid, int sig)
{
	int i = atomic_fetch_add(&nsigs, 1);

	if(i < Nsig){
		sigs[i][0] = box;
		sigs[i][1] = pgrp;
		sigs[i][2] = pid;
		sigs[i][3] = sig;
	}
}

static int
sawsig(int i, int box, int pgrp, int pid, int sig)
{
	return atomic_load(&nsigs) > i && sigs[i][0] == box && sigs[i][1] == pgrp && sigs[i][2] == pid && sigs[i][3] == sig;
}

/* A new terminal's master, its slave unlocked; its KPTYGET in *k and
 * the slave's name in name. */
static int
newterm(Kpty *k, char *name, int nname)
{
	int m;

	m = kopen("/dev/ptmx", ORDWR);
	memset(k, 0, sizeof *k);
	kptyctl(m, KPTYGET, k);
	k->locked = 0;
	kptyctl(m, KPTYLOCK, k);
	snprintf(name, nname, "/dev/pts/%d", k->n);
	return m;
}

int
main(void)
{
	char name[32], buf[64];
	Kpty k;
	Dir *d;
	int m, s, n;

	kt_init(0, NULL);
	kptysignals(record);
	m = kopen("/dev/ptmx", ORDWR);
	ok(m >= 0, "open /dev/ptmx: a new terminal's master");
	memset(&k, 0, sizeof k);
	ok(kptyctl(m, KPTYGET, &k) == 0 && k.master && k.locked, "KPTYGET: the master, locked");
	snprintf(name, sizeof name, "/dev/pts/%d", k.n);
	kt_fails(kopen(name, ORDWR), "i/o error", "its slave cannot be opened while locked");
	k.locked = 0;
	ok(kptyctl(m, KPTYLOCK, &k) == 0, "unlocked");
	s = kopen(name, ORDWR);
	ok(s >= 0, "open %s", name);
	d = kdirstat("/dev/pts");
	ok(d != NULL && (d->mode & DMDIR), "/dev/pts is a directory");
	free(d);
	ok(kwrite(m, "abx\177c\r", 6) == 6, "type a line with an erase");
	n = kread(s, buf, sizeof buf);
	ok(n == 4 && memcmp(buf, "abc\n", 4) == 0, "the slave reads it edited, CR mapped to NL");
	n = kread(m, buf, sizeof buf);
	ok(n == 9 && memcmp(buf, "abx\b \bc\r\n", 9) == 0, "the echo, through ONLCR (%d)", n);
	{
		int p[2];
		ok(kpipe(p) == 0, "a pipe");
		kt_fails(kptyctl(p[0], KPTYGET, &k), "Inappropriate ioctl for device", "kptyctl of a file that is no terminal");
		kclose(p[0]);
		kclose(p[1]);
	}

	k.box = 1;
	k.sid = 5;
	k.pgrp = 7;
	ok(kptyctl(s, KPTYSCTTY, &k) == 0, "the controlling terminal of session 5");
	k.sid = 6;
	kt_fails(kptyctl(s, KPTYSCTTY, &k), "Operation not permitted", "not another session's as well");
	ok(kwrite(m, "\003", 1) == 1 && sawsig(0, 1, 7, 0, 2), "^C: SIGINT to the foreground group");
	n = kread(m, buf, sizeof buf);
	ok(n == 2 && memcmp(buf, "^C", 2) == 0, "echoed ^C");
	k.row = 24;
	k.col = 80;
	k.xpixel = k.ypixel = 0;
	ok(kptyctl(m, KPTYSETWINSZ, &k) == 0 && sawsig(1, 1, 7, 0, 28), "a new window size: SIGWINCH");
	ok(kptyctl(m, KPTYSETWINSZ, &k) == 0 && atomic_load(&nsigs) == 2, "the same size again: none");

	kclose(m);
	ok(sawsig(2, 1, 0, 5, 1) && sawsig(3, 1, 0, 5, 18), "the master closed: SIGHUP and SIGCONT to the session leader");
	ok(kread(s, buf, sizeof buf) == 0, "the hung-up slave reads end of file");
	kt_fails(kwrite(s, "x", 1), "i/o error", "and its writes fail");
	kclose(s);

	m = newterm(&k, name, sizeof name);
	s = kopen(name, ORDWR);
	ok(kwrite(s, "bye\n", 4) == 4, "the slave writes");
	kclose(s);
	n = kread(m, buf, sizeof buf);
	ok(n == 5 && memcmp(buf, "bye\r\n", 5) == 0, "the master reads it after the slave closed");
	kt_fails(kread(m, buf, sizeof buf), "i/o error", "then EIO");
	kclose(m);
	kt_fails(kopen(name, OREAD), "file does not exist", "its pts entry is gone with the master");

	/* A walk of a name from a slave's Chan (bound on a file) fails and
	 * must not drop the terminal's reference that Chan holds: three such
	 * walks freed the terminal under its master. */
	m = newterm(&k, name, sizeof name);
	snprintf(buf, sizeof buf, "/dev/pts/%lld", k.n + (1LL << 32));
	kt_fails(kopen(buf, OREAD), "file does not exist", "pts/(N + 2^32) is not terminal N");
	ok(kbind(name, "/dev/user", MREPL) >= 0, "bind %s on /dev/user", name);
	for(n = 0; n < 3; n++){
		free(kdirstat("/dev/user/x"));
		snprintf(buf, sizeof buf, "#P/pts/%d/..", k.n);
		free(kdirstat(buf));
	}
	kt_fails(kopen("/dev/user/x", OREAD), "not a directory", "a name under the slave is no file");
	s = kopen("/dev/user", ORDWR);
	ok(s >= 0 && kwrite(m, "hi\n", 3) == 3 && kread(s, buf, sizeof buf) == 3, "the terminal still works through the bind");
	kclose(s);
	ok(kunmount(NULL, "/dev/user") >= 0, "unbound");
	kclose(m);
	/* A remove of a slave (rm /dev/pts/N, 9P's Tremove) or an ORCLOSE
	 * open of ptmx must let the terminal go at its master's close:
	 * more of them than the kernel has terminals (Ptymax, 1024). */
	for(n = 0; n < 1100; n++){
		m = kopen("/dev/ptmx", n % 2 ? ORDWR : ORDWR | ORCLOSE);
		if(m < 0)
			break;
		memset(&k, 0, sizeof k);
		kptyctl(m, KPTYGET, &k);
		snprintf(name, sizeof name, "/dev/pts/%d", k.n);
		if(kremove(name) == 0)
			break;
		kclose(m);
	}
	ok(n == 1100, "1100 terminals made, their slaves removed (refused), closed: none kept (%d)", n);
	usleep(100000);	/* let spawned procs finish freeing */
	return done_testing();
}
