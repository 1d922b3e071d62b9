/* vxrun_wait.c — the embedding calls the emulator's builtin uses, over
 * libkern: vxrun_spawnmem gives a guest its own memory size (getrlimit
 * says it), vxrun_waitfor times out on a running guest and then reaps
 * it, vxrun_kill ends a spinning guest and the shell's child with it,
 * Vxconf.shareenv lets the guest write the caller's /env.  Guests are
 * busybox's sh from the embedded root build/root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel.h"
#include "vxrun.h"
#include "tap.h"

static char *env[] = { "PATH=/bin", "HOME=/", "LANG=C", NULL };

static int
spawn(char *script, uint32_t mb)
{
	char err[ERRMAX], *path;
	char *argv[] = { "sh", "-c", script, NULL };
	int pid;

	path = vxrun_lookpath("sh", "/bin", err, sizeof err);
	if(path == NULL){
		diag("lookpath: %s", err);
		return -1;
	}
	pid = vxrun_spawnmem(path, argv, env, mb << 20, err, sizeof err);
	if(pid < 0)
		diag("spawn: %s", err);
	free(path);
	return pid;
}

/* The contents of a kernel file, or "" */
static char *
kcat(char *path)
{
	static char buf[256];
	long n;
	int fd;

	buf[0] = 0;
	fd = kopen(path, OREAD);
	if(fd < 0)
		return buf;
	n = kread(fd, buf, sizeof buf - 1);
	kclose(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

int
main(void)
{
	Kconf kc;
	Vxconf vc;
	int pid, st, i;

	if(access("build/root/bin/busybox", X_OK) < 0)
		skip_all("no build/root/bin/busybox");
	memset(&kc, 0, sizeof kc);
	kc.root = "build/root";
	kc.readonly = 0;
	if(kinit(&kc) < 0)
		skip_all("kinit failed");
	memset(&vc, 0, sizeof vc);
	vc.shareenv = 1;
	vxrun_config(&vc);
	/* the guest's fds 0-2: the console is the host's; keep it quiet */
	kclose(0);
	kopen("#c/cons", OREAD);

	pid = spawn("ulimit -v > /env/vxlimit", 160);
	ok(pid > 0, "vxrun_spawnmem starts a guest");
	is(vxrun_wait(pid), 0, "it exits 0");
	isstr(kcat("#e/vxlimit"), "163840\n", "it has 160 MiB, and wrote the caller's /env (shareenv)");

	pid = spawn("while :; do :; done", 0);
	ok(pid > 0, "a spinning guest starts");
	is(vxrun_waitfor(pid, 100), -2, "vxrun_waitfor: still running after 100 ms");
	is(vxrun_kill(pid, 9), 0, "vxrun_kill finds it");
	for(i = 0, st = -2; st == -2 && i < 100; i++)
		st = vxrun_waitfor(pid, 100);
	is(st, 128 + 9, "it ends killed (status 137)");
	is(vxrun_waitfor(pid, 0), -1, "and is reaped: no such guest any more");
	is(vxrun_kill(pid, 9), -1, "vxrun_kill of a reaped guest: -1");

	/* the kill reaches the children of the guest too */
	pid = spawn("(while :; do :; done) & while :; do :; done", 0);
	ok(pid > 0, "a guest with a spinning child starts");
	for(i = 0; i < 50 && vxrun_nguests() < 2; i++)
		usleep(20000);
	is(vxrun_nguests(), 2, "two guest processes run");
	vxrun_kill(pid, 9);
	is(vxrun_wait(pid), 128 + 9, "the guest ends killed");
	for(i = 0; i < 100 && vxrun_nguests() > 0; i++)
		usleep(20000);
	is(vxrun_nguests(), 0, "its child ended too");
	return done_testing();
}
