/* vxrun_boxes.c — two sandboxes of one embedding (two vxrun_spawn
 * guests) and the file lock table (vxrun/lock.c): a guest that fills
 * its share (ENOLCK) leaves the other sandbox its own; an env file each
 * makes (#e numbers each group's files alike) is not the other's file
 * to flock; F_GETLK of a lock held in the other sandbox shows no pid.
 * Guests are tests/guest_lockabuse.c's fill, one, hold and probe,
 * compiled into a fresh root. */
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
spawn(char *mode)
{
	char err[ERRMAX];
	char *argv[] = { "guest_lockabuse", mode, NULL };
	int pid;

	pid = vxrun_spawn("/bin/guest_lockabuse", argv, env, err, sizeof err);
	if(pid < 0)
		diag("spawn %s: %s", mode, err);
	return pid;
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
		"tests/guest_lockabuse.c -lpthread 2>/dev/null", root, root);
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
	plan(6);

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
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	system(cmd);
	return 0;
}
