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
 * Guests are tests/guest_lockabuse.c's fill, one, hold and probe and
 * tests/guest_boxpeer.c, compiled into a fresh root. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel.h"
#include "vxrun.h"
#include "tap.h"

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

/* Until root/name exists (1) or guest pid has ended (0), a minute at most. */
static int
await(char *name, int pid)
{
	char path[256];
	int i;

	snprintf(path, sizeof path, "%s/%s", root, name);
	for(i = 0; i < 600; i++){
		if(access(path, F_OK) == 0)
			return 1;
		if(vxrun_waitfor(pid, 100) != -2)
			return 0;
	}
	return 0;
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

int
main(void)
{
	char cmd[512];
	Kconf kc;
	Vxconf vc;
	int a, st;

	if(mkdtemp(root) == NULL)
		skip_all("mkdtemp");
	snprintf(cmd, sizeof cmd, "mkdir %s/bin && gcc -m32 -static -O1 -Iinclude -o %s/bin/guest_lockabuse "
		"tests/guest_lockabuse.c -lpthread 2>/dev/null && gcc -m32 -static -O1 -o %s/bin/guest_boxpeer "
		"tests/guest_boxpeer.c 2>/dev/null", root, root, root);
	if(system(cmd) != 0){
		snprintf(cmd, sizeof cmd, "rm -rf %s", root);
		system(cmd);
		skip_all("no i386 compiler");
	}
	memset(&kc, 0, sizeof kc);
	kc.root = root;
	if(kinit(&kc) < 0)
		skip_all("kinit failed");
	kclose(0);
	kopen("#c/cons", OREAD);
	memset(&vc, 0, sizeof vc);
	vxrun_config(&vc);
	plan(25);

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
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	system(cmd);
	return 0;
}
