/* vxrun_boxunix.c — two sandboxes of one embedding and the kernel's
 * AF_UNIX names (#I unix, libkern/devip.c): one guest binds an abstract
 * name and a path and listens; a guest of another sandbox must neither
 * connect to them nor find the abstract name taken (each sandbox has its
 * own table, as its own #s).  Then one guest opens AF_UNIX sockets
 * until it can have no more: a guest of another sandbox must still
 * get its own (the device's conversations were 1024 for every sandbox
 * together).  Then one guest holds a socketpair with bytes queued: a
 * guest of another sandbox must not find its conversations in /net/unix,
 * nor open their files by number, nor read the bytes (the table is one
 * for every sandbox, and its directories were listed and opened by
 * anyone: session 28's red team).  Guests are tests/guest_hostile.c's
 * unixhold, unixprobe, unixhog and unixsocket and tests/guest_red28.c's
 * convhold and convprobe, compiled into a fresh root. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel.h"
#include "vxrun.h"
#include "tap.h"
#include "vxroot.h"

static char *env[] = { "PATH=/bin", "HOME=/", "LANG=C", NULL };
static char root[] = "/tmp/vxrun_boxunix.XXXXXX";

static int
spawnof(char *prog, char *mode)
{
	char err[ERRMAX], path[64];
	char *argv[] = { prog, mode, NULL };
	int pid;

	snprintf(path, sizeof path, "/bin/%s", prog);
	pid = vxrun_spawn(path, argv, env, err, sizeof err);
	if(pid < 0)
		diag("spawn %s: %s", mode, err);
	return pid;
}

static int
spawn(char *mode)
{
	return spawnof("guest_hostile", mode);
}

/* Wait until guest pid has made path; its contents into buf. */
static int
waitready(int pid, char *path, char *buf, int n)
{
	int i, fd, r;

	buf[0] = 0;
	for(i = 0; i < 600; i++){
		if((fd = open(path, O_RDONLY)) >= 0){
			r = read(fd, buf, n - 1);
			close(fd);
			buf[r > 0 ? r : 0] = 0;
			if(r > 0)
				return 1;
		}
		if(vxrun_waitfor(pid, 100) != -2)
			break;
	}
	return 0;
}

int
main(void)
{
	char cmd[512], path[256], hog[96];
	int a, st, ready;

	vxroot_make(root, (char *[]){ "guest_hostile", "guest_red28", NULL });
	snprintf(path, sizeof path, "%s/net", root);
	if(mkdir(path, 0777) < 0 || kbind("#Iunix", "/net", MREPL) < 0)
		skip_all("bind #Iunix /net");
	plan(8);

	a = spawn("unixhold");
	ok(vxroot_await(root, "ready", a), "a guest listens at an abstract name and a path");
	st = vxrun_wait(spawn("unixprobe"));
	ok(st >= 0 && (st & 1) == 0, "a guest of another sandbox does not reach the abstract name (status %d)", st);
	ok(st >= 0 && (st & 2) == 0, "nor the path name");
	ok(st >= 0 && (st & 12) == 0, "and binds that abstract name itself, and connects to it");
	snprintf(path, sizeof path, "%s/done", root);
	close(creat(path, 0666));
	vxrun_wait(a);

	unlink(path);
	snprintf(path, sizeof path, "%s/ready", root);
	unlink(path);
	a = spawn("unixhog");
	ready = waitready(a, path, hog, sizeof hog);
	ok(ready, "a guest opens unix sockets until it can have no more: %s", hog);
	st = vxrun_wait(spawn("unixsocket"));
	ok(st == 0, "a guest of another sandbox still gets a unix socket and a socketpair (status %d)", st);
	snprintf(path, sizeof path, "%s/done", root);
	close(creat(path, 0666));
	vxrun_wait(a);

	unlink(path);
	snprintf(path, sizeof path, "%s/ready", root);
	unlink(path);
	a = spawnof("guest_red28", "convhold");
	ok(vxroot_await(root, "ready", a), "a guest holds a socketpair with bytes queued");
	st = vxrun_wait(spawnof("guest_red28", "convprobe"));
	ok(st == 0, "a guest of another sandbox neither lists, opens nor reads its conversations (status %d)", st);
	snprintf(path, sizeof path, "%s/done", root);
	close(creat(path, 0666));
	vxrun_wait(a);
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	system(cmd);
	return 0;
}
