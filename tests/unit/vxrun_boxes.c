/* vxrun_boxes.c — two sandboxes of one embedding (two vxrun_spawn
 * guests) and the file lock table (vxrun/lock.c): a guest that fills
 * its share (ENOLCK) leaves the other sandbox its own; an env file each
 * makes (#e numbers each group's files alike) is not the other's file
 * to flock; F_GETLK of a lock held in the other sandbox shows no pid.
 * Each sandbox is as a pid namespace, with a console foreground group
 * of its own: a guest neither signals, nor
 * finds, nor renices, nor sees in /proc the other sandbox's processes,
 * nor in the kernel's #p, where it neither reads nor interrupts them,
 * nor sees the host's own procs; nor does it see the other's #s posts.
 * And what a sandbox may take of the host is its own (vxrun.h's
 * bounds): one that takes all its memory, threads and host descriptors
 * leaves a sibling its own, with the host process's descriptors few.
 * Guests are tests/guest_lockabuse.c's fill, one, hold and probe,
 * tests/guest_boxpeer.c and tests/guest_quota.c, compiled into a fresh
 * root.  Each sandbox is an IPC namespace too (tests/guest_sysvbox.c):
 * System V objects are not another sandbox's, and go, host memfds and
 * all, when their sandbox ends. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel.h"
#include "vxrun.h"
#include "tap.h"
#include "vxroot.h"

static char *env[] = { "PATH=/bin", "HOME=/", "LANG=C", NULL };
static char root[] = "/tmp/vxrun_boxes.XXXXXX";

static int
spawnargv(char *prog, char **argv)
{
	char err[ERRMAX], path[64];
	int pid;

	snprintf(path, sizeof path, "/bin/%s", prog);
	pid = vxrun_spawn(path, argv, env, err, sizeof err);
	if(pid < 0)
		diag("spawn %s %s: %s", prog, argv[1], err);
	return pid;
}

static int
spawn(char *mode)
{
	char *argv[] = { "guest_lockabuse", mode, NULL };

	return spawnargv("guest_lockabuse", argv);
}

/* Until root/name exists (1) or guest pid has ended (0). */
static int
await(char *name, int pid)
{
	return vxroot_await(root, name, pid);
}

static int
exists(char *name)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", root, name);
	return access(path, F_OK) == 0;
}

static void
mark(char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, name);
	f = fopen(path, "w");
	if(f != NULL)
		fclose(f);
}

/* A waiter in one sandbox, a prober in another (guest_boxpeer.c). */
static void
peers(void)
{
	char path[256], spid[16], schild[16];
	char *argv[] = { "guest_boxpeer", "probe", spid, schild, NULL };
	char *wargv[] = { "guest_boxpeer", "wait", NULL };
	char *pargv[] = { "guest_boxpeer", "prog", spid, schild, NULL };
	int a, pid, child, st;
	FILE *f;

	snprintf(path, sizeof path, "%s/done", root);
	unlink(path);
	a = spawnargv("guest_boxpeer", wargv);
	pid = child = -1;
	if(await("ready", a)){
		snprintf(path, sizeof path, "%s/ready", root);
		f = fopen(path, "r");
		if(f == NULL || fscanf(f, "%d %d", &pid, &child) != 2)
			pid = -1;
		if(f != NULL)
			fclose(f);
	}
	ok(pid > 0 && child > 0, "a guest and its child wait (pids %d %d)", pid, child);
	snprintf(spid, sizeof spid, "%d", pid);
	snprintf(schild, sizeof schild, "%d", child);
	st = vxrun_wait(spawnargv("guest_boxpeer", argv));
	ok(st >= 0 && (st & 32) == 0, "the other sandbox's guest sees itself in /proc (status %d)", st);
	ok(st >= 0 && (st & 1) == 0, "its kill of the first guest's pid is ESRCH");
	ok(st >= 0 && (st & 2) == 0, "its tkill, tgkill and rt_sigqueueinfo are ESRCH");
	ok(st >= 0 && (st & 4) == 0, "its kill of the first guest's group is ESRCH");
	ok(st >= 0 && (st & 8) == 0, "its getpgid, getsid and getpriority of that pid are ESRCH");
	ok(st >= 0 && (st & 16) == 0, "its /proc neither lists nor opens the other sandbox's processes");
	ok(st >= 0 && (st & 64) == 0, "its kill(-1) reaches its own child, not itself");
	ok(st >= 0 && (st & 128) == 0, "its setpriority(PRIO_USER) succeeds");
	st = vxrun_wait(spawnargv("guest_boxpeer", pargv));
	ok(st >= 0 && (st & 8) == 0, "the other sandbox's guest sees itself in #p (status %d)", st);
	ok(st >= 0 && (st & 1) == 0, "#p neither lists nor opens the first sandbox's processes");
	ok(st >= 0 && (st & 2) == 0, "a write to #p/CHILD/ctl of the first sandbox fails");
	ok(st >= 0 && (st & 4) == 0, "#p does not show the host's own first proc");
	ok(st >= 0 && (st & 16) == 0, "#s neither shows nor opens the first sandbox's post, whose name is free here");
	mark("done");
	st = vxrun_wait(a);
	ok(!exists("hit"), "kill(-1) in one sandbox did not reach the other's processes");
	ok(exists("childdone"), "the first guest's child lived to see /done");
	is(st, 0, "setpriority(PRIO_USER) in one sandbox left the other's nice value");
}

/* One sandbox's CPU time is not another's: a guest that burned 600 ms
 * in one, then one that burns 100 ms in another reads its getrusage,
 * times and process clock (tests/guest_rusage.c).  Until session 14
 * getrusage and times gave the whole host process's. */
static void
usage(void)
{
	char *bargv[] = { "guest_rusage", "burn", NULL };
	char *pargv[] = { "guest_rusage", "probe", NULL };
	char path[256];
	int a, st;

	snprintf(path, sizeof path, "%s/done", root);
	unlink(path);
	a = spawnargv("guest_rusage", bargv);
	ok(await("burned", a), "a guest burns 600 ms of CPU in one sandbox");
	st = vxrun_wait(spawnargv("guest_rusage", pargv));
	ok(st >= 0 && (st & 1) == 0, "a guest of another sandbox: its getrusage(RUSAGE_SELF) is its own (status %d)", st);
	ok(st >= 0 && (st & 2) == 0, "its times too");
	ok(st >= 0 && (st & 4) == 0, "and its process CPU clock");
	mark("done");
	vxrun_wait(a);
}

/* The host process's descriptors, and of them the System V shm
 * segments' memfds (sysshm.c). */
static int
hostfds(int *shm)
{
	char path[300], link[256];
	struct dirent *d;
	DIR *dir;
	ssize_t n;
	int all;

	all = *shm = 0;
	dir = opendir("/proc/self/fd");
	if(dir == NULL)
		return -1;
	while((d = readdir(dir)) != NULL){
		if(d->d_name[0] == '.')
			continue;
		all++;
		snprintf(path, sizeof path, "/proc/self/fd/%s", d->d_name);
		if((n = readlink(path, link, sizeof link - 1)) > 0){
			link[n] = 0;
			if(strstr(link, "vxinferno-sysv-shm") != NULL)
				(*shm)++;
		}
	}
	closedir(dir);
	return all - 1;	/* not dir's own */
}

/* A guest_sysvbox make: its pid, its objects' ids in ids[3] (empty
 * strings when it failed). */
static int
sysvmake(char ids[3][16])
{
	char path[256];
	char *argv[] = { "guest_sysvbox", "make", NULL };
	int a, i, id[3];
	FILE *f;

	snprintf(path, sizeof path, "%s/done", root);
	unlink(path);
	snprintf(path, sizeof path, "%s/sysvready", root);
	unlink(path);
	a = spawnargv("guest_sysvbox", argv);
	memset(ids, 0, 3 * sizeof ids[0]);
	if(!await("sysvready", a) || (f = fopen(path, "r")) == NULL)
		return a;
	if(fscanf(f, "%d %d %d", &id[0], &id[1], &id[2]) == 3)
		for(i = 0; i < 3; i++)
			snprintf(ids[i], sizeof ids[i], "%d", id[i]);
	fclose(f);
	return a;
}

/* A sandbox's shm segment, semaphore set and message queue of a key,
 * and another sandbox's view of that key, those ids, /proc/sysvipc and
 * the *_INFO counts; then a sandbox that made them ends and takes them
 * with it.  Until session 19 one namespace served the host process:
 * the other sandbox found, read and counted the first's objects, which
 * outlived it with their memfds. */
static void
sysv(void)
{
	char ids[3][16];
	char *pargv[] = { "guest_sysvbox", "probe", ids[0], ids[1], ids[2], NULL };
	int a, st, shm0, shm1, shm2, all0, all2;

	all0 = hostfds(&shm0);
	a = sysvmake(ids);
	ok(ids[2][0] != 0, "a guest makes a shm segment, a semaphore set and a message queue of a key");
	st = vxrun_wait(spawnargv("guest_sysvbox", pargv));
	ok(st >= 0 && (st & 1) == 0, "another sandbox's *get of that key without IPC_CREAT is ENOENT (status %d)", st);
	ok(st >= 0 && (st & 2) == 0, "its shmat, semop, msgrcv and *ctl of the first's ids are EINVAL");
	ok(st >= 0 && (st & 4) == 0, "its /proc/sysvipc lists none of them");
	ok(st >= 0 && (st & 8) == 0, "its SHM_INFO, SEM_INFO, MSG_INFO count none and *_STAT_ANY finds none");
	ok(st >= 0 && (st & 16) == 0, "its *get with IPC_CREAT makes new objects of that key, empty");
	mark("done");
	is(vxrun_wait(a), 0, "the first guest ends, its objects not removed");
	/* the probe above may have removed them (one namespace): anew */
	a = sysvmake(ids);
	hostfds(&shm1);
	ok(ids[2][0] != 0 && shm1 > shm0, "a guest makes them again, the segment a host memfd (%d, were %d)", shm1, shm0);
	mark("done");
	vxrun_wait(a);
	all2 = hostfds(&shm2);
	ok(shm2 == shm0 && all2 == all0, "its sandbox's end removed them: host memfds %d (were %d), descriptors %d (were %d)",
		shm2, shm0, all2, all0);
}

/* Host stdout onto a new terminal's slave, as the console must be a
 * terminal for TIOCSPGRP; the old stdout is returned, or -1. */
static int
ttystdout(int *master)
{
	int m, sl, old;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if(m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || (sl = open(ptsname(m), O_RDWR | O_NOCTTY)) < 0){
		if(m >= 0)
			close(m);
		return -1;
	}
	fflush(stdout);
	old = dup(1);
	dup2(sl, 1);
	close(sl);
	*master = m;
	return old;
}

/* The console's foreground group: one sandbox's TIOCSPGRP is not what
 * another's TIOCGPGRP reads, nor is it changed by the other's set. */
static void
foreground(void)
{
	char *wargv[] = { "guest_boxpeer", "fgwait", NULL };
	char *pargv[] = { "guest_boxpeer", "fgprobe", NULL };
	char path[256];
	int a, st, pst, old, m;

	snprintf(path, sizeof path, "%s/done", root);
	unlink(path);
	old = ttystdout(&m);
	if(old < 0){
		ok(1, "# SKIP no pseudo-terminal");
		ok(1, "# SKIP no pseudo-terminal");
		return;
	}
	a = spawnargv("guest_boxpeer", wargv);
	pst = -1;
	if(await("fgready", a))
		pst = vxrun_wait(spawnargv("guest_boxpeer", pargv));
	mark("done");
	st = vxrun_wait(a);
	fflush(stdout);
	dup2(old, 1);
	close(old);
	close(m);
	is(pst, 0, "another sandbox's TIOCGPGRP reads its own session's group, not the group the first set; its TIOCSPGRP of its own succeeds, of the first's group fails ESRCH");
	is(st, 0, "the first sandbox's foreground group is still the one it set");
}

/* A sandbox at its bounds (guest_quota hog: 64 MiB, 20 threads, the
 * default quarter of the host's descriptors) beside a sibling with the
 * default bounds that writes 64 MiB, opens 40 files and makes 10
 * processes and 10 threads (guest_quota modest).  The host process has
 * 400 descriptors: without the sandboxes' accounts the hog took them
 * all (385 files), and the sibling's opens and the host's failed. */
static void
bounded(void)
{
	char *hargv[] = { "guest_quota", "hog", NULL };
	char *margv[] = { "guest_quota", "modest", "64", "40", NULL };
	char err[ERRMAX], line[256], path[256];
	struct rlimit rl, old;
	Vxbounds b;
	Vxusage u, v;
	FILE *f;
	int a, r, st, fds[150], i, n;

	snprintf(path, sizeof path, "%s/done", root);
	unlink(path);
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = 400;
	setrlimit(RLIMIT_NOFILE, &rl);
	memset(&b, 0, sizeof b);
	b.memsize = 256 << 20;
	b.boxmem = 64 << 20;
	b.boxtasks = 20;
	a = vxrun_spawnbounded("/bin/guest_quota", hargv, env, &b, err, sizeof err);
	if(a < 0)
		diag("spawn hog: %s", err);
	ok(a > 0 && await("quotafull", a), "a sandbox takes all its bounds let it have");
	snprintf(path, sizeof path, "%s/quotafull", root);
	line[0] = 0;
	if((f = fopen(path, "r")) != NULL){
		if(fgets(line, sizeof line, f) == NULL)
			line[0] = 0;
		fclose(f);
	}
	ok(strstr(line, "19 threads EAGAIN") != NULL && strstr(line, "files EMFILE") != NULL
		&& strstr(line, "MiB ENOMEM") != NULL, "it met EAGAIN, EMFILE and ENOMEM: %.*s",
		(int)strcspn(line, "\n"), line);
	memset(&u, 0, sizeof u);
	r = vxrun_usage(a, &u);
	ok(r == 0 && u.tasks == 20 && u.mem <= 64 << 20 && u.mem > 56 << 20 && u.fds > 90 && u.fds <= 100,
		"its usage is at its bounds: %llu bytes, %d descriptors, %d threads",
		(unsigned long long)u.mem, u.fds, u.tasks);
	st = vxrun_wait(spawnargv("guest_quota", margv));
	is(st, 0, "a sibling sandbox writes its 64 MiB, opens 40 files, makes 10 processes and 10 threads");
	/* the host's own descriptors: the hog holds its quarter, no more */
	for(i = n = 0; i < 150; i++)
		if((fds[i] = open("/dev/null", O_RDONLY)) >= 0)
			n++;
	ok(n == 150, "the host process still opens 150 descriptors of its 400 (%d)", n);
	for(i = 0; i < 150; i++)
		if(fds[i] >= 0)
			close(fds[i]);
	memset(&v, 0, sizeof v);
	r = vxrun_usage(a, &v);
	ok(r == 0 && v.mem == u.mem && v.fds == u.fds && v.tasks == u.tasks,
		"the sibling's took nothing from the first sandbox's account");
	mark("done");
	is(vxrun_wait(a), 0, "the sandbox at its bounds ends well");
	setrlimit(RLIMIT_NOFILE, &old);
}

int
main(void)
{
	char cmd[768];
	int a, st;

	vxroot_make(root, (char *[]){ "guest_lockabuse", "guest_boxpeer", "guest_rusage", "guest_quota", "guest_sysvbox", NULL });
	plan(45);

	a = spawn("fill");
	ok(await("full", a), "a guest fills its share of the lock table");
	is(vxrun_wait(spawn("one")), 0, "a guest of another sandbox still gets a lock (not ENOLCK)");
	mark("done");
	is(vxrun_wait(a), 0, "the first met ENOLCK at its share's end");
	snprintf(cmd, sizeof cmd, "%s/done", root);
	unlink(cmd);

	a = spawn("hold");
	ok(await("held", a), "a guest holds an flock of a new env file and a POSIX lock of a shared file");
	st = vxrun_wait(spawn("probe"));
	ok((st & 1) == 0, "the other sandbox's new env file (its group's, numbered alike) is not the same file: its flock is had (status %d)", st);
	ok((st & 6) == 0, "F_GETLK there sees the shared file's lock, with pid 0, not the other sandbox's pid (status %d)", st);
	mark("done");
	vxrun_wait(a);
	peers();
	foreground();
	usage();
	sysv();
	bounded();
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	system(cmd);
	return 0;
}
