/* vxrun_exitafter.c — Vxconf.exitafter: the embedding's own guest ends
 * and its status comes back, but its sandbox (the 36 GiB reservation
 * around its 4 GiB window) is left for the host process's exit, guest
 * pages and all; without it the window holds none of the guest's memory
 * by the time vxrun_wait returns (it is unmapped, or kept emptied for
 * the next sandbox: no page of it accessible, none of a file).  Either way the next
 * guest runs.  (The mappings are counted on the long engine only:
 * compat's guest memory is no such reservation.)  Guests are busybox's
 * sh from build/root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel.h"
#include "vx.h"
#include "vxrun.h"
#include "tap.h"

static char *env[] = { "PATH=/bin", "HOME=/", "LANG=C", NULL };

/* sh -c script to its end: its status, or -100 when it did not start. */
static int
run(char *script)
{
	char err[ERRMAX], *path;
	char *argv[] = { "sh", "-c", script, NULL };
	int pid;

	path = vxrun_lookpath("sh", "/bin", err, sizeof err);
	if(path == NULL){
		diag("lookpath: %s", err);
		return -100;
	}
	pid = vxrun_spawn(path, argv, env, err, sizeof err);
	free(path);
	if(pid < 0){
		diag("spawn: %s", err);
		return -100;
	}
	return vxrun_wait(pid);
}

enum { MAXMAPS = 8192 };

typedef struct Map {
	unsigned long lo, hi, ino;
	char perm[8];
} Map;

static Map maps[MAXMAPS];

/* Host mappings that hold guest memory: accessible or of a file, inside
 * a long-engine sandbox's 36 GiB reservation, between its two guards
 * (inaccessible anonymous pieces of 16 GiB or more whose span is the
 * whole reservation).  A window kept emptied holds none, whether it is
 * one piece again or still cut where its last guest's areas were. */
static int
windows(void)
{
	char line[512];
	int n, i, j, k, got;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if(f == NULL)
		return -1;
	n = 0;
	while(n < MAXMAPS && fgets(line, sizeof line, f) != NULL)
		if(sscanf(line, "%lx-%lx %7s %*s %*s %lu", &maps[n].lo, &maps[n].hi, maps[n].perm, &maps[n].ino) == 4)
			n++;
	fclose(f);
	got = 0;
	for(i = 0; i < n; i++){
		if(maps[i].hi - maps[i].lo < (16ul << 30) || strcmp(maps[i].perm, "---p") != 0 || maps[i].ino != 0)
			continue;
		for(j = i + 1; j < n && maps[j].hi - maps[i].lo <= (36ul << 30); j++)
			if(maps[j].hi - maps[i].lo == (36ul << 30) && maps[j].hi - maps[j].lo >= (16ul << 30))
				break;
		if(j >= n || maps[j].hi - maps[i].lo != (36ul << 30))
			continue;
		for(k = i + 1; k < j; k++)
			if(strcmp(maps[k].perm, "---p") != 0 || maps[k].ino != 0)
				got++;
	}
	return got;
}

int
main(void)
{
	Kconf kc;
	Vxconf vc;
	int n0, islong;

	if(access("build/root/bin/busybox", X_OK) < 0)
		skip_all("no build/root/bin/busybox");
	memset(&kc, 0, sizeof kc);
	kc.root = "build/root";
	if(kinit(&kc) < 0)
		skip_all("kinit failed");
	kclose(0);
	kopen("#c/cons", OREAD);
	plan(6);

	/* before vxrun_config, which probes the engine (the probe's window
	 * is kept for the first sandbox) */
	n0 = windows();
	memset(&vc, 0, sizeof vc);
	vxrun_config(&vc);
	is(run("exit 3"), 3, "a guest's status");
	islong = vx_engine() == VX_ENGINE_LONG;	/* probed by now: its reservation may be the window */
	if(islong)
		is(windows(), n0, "without exitafter its window holds no guest memory when vxrun_wait returns");
	else
		ok(1, "# SKIP not the long engine");

	vc.exitafter = 1;
	vxrun_config(&vc);
	is(run("exit 4"), 4, "with exitafter: its status");
	if(islong)
		ok(windows() > n0, "its window is still there with its pages, for the host's exit (%d mappings, %d before)", windows(), n0);
	else
		ok(1, "# SKIP not the long engine");
	is(run("true"), 0, "the next guest runs");
	is(run("exit 5"), 5, "and the one after");
	return 0;
}
