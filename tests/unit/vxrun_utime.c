/* vxrun_utime.c — utimes(2) and utime(2) under vxinferno against the
 * host kernel: tests/guest_utime.c is built with gcc -m32 -static, run
 * natively and as a guest in the same scratch root, and the outputs must
 * be the same (and say what was set).  Skipped without bin/vxinferno or
 * a 32-bit toolchain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"

static char root[64];

static char *
slurp(const char *path)
{
	static char buf[2][4096];
	static int i;
	char *b;
	FILE *f;
	size_t n;

	b = buf[i++ & 1];
	b[0] = 0;
	f = fopen(path, "r");
	if(f == NULL)
		return b;
	n = fread(b, 1, sizeof buf[0] - 1, f);
	b[n] = 0;
	fclose(f);
	return b;
}

static int
run(const char *cmd)
{
	int st;

	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int
main(void)
{
	char cmd[1024], *nat, *vx;

	if(access("bin/vxinferno", X_OK) < 0)
		skip_all("bin/vxinferno not built");
	snprintf(root, sizeof root, "/tmp/vxrun_utime.XXXXXX");
	if(mkdtemp(root) == NULL)
		skip_all("no scratch directory");
	snprintf(cmd, sizeof cmd, "mkdir -p %s/bin %s/tmp && gcc -m32 -static -O1 -o %s/bin/guest_utime tests/guest_utime.c 2>/dev/null",
		root, root, root);
	if(run(cmd) != 0){
		snprintf(cmd, sizeof cmd, "rm -rf %s", root);
		run(cmd);
		skip_all("gcc -m32 -static cannot build tests/guest_utime.c");
	}
	snprintf(cmd, sizeof cmd, "cd %s && ./bin/guest_utime >nat.out 2>&1", root);
	is(run(cmd), 0, "the native run succeeds");
	snprintf(cmd, sizeof cmd, "bin/vxinferno -r %s guest_utime >%s/vx.out 2>&1", root, root);
	is(run(cmd), 0, "the guest run succeeds");
	snprintf(cmd, sizeof cmd, "%s/nat.out", root);
	nat = slurp(cmd);
	snprintf(cmd, sizeof cmd, "%s/vx.out", root);
	vx = slurp(cmd);
	ok(strstr(nat, "utimes: mtime 1000000000\nutime: mtime 1200000000\nutimes NULL: now\n") != NULL,
		"the native run set the times (the test itself works)");
	if(!isstr(vx, nat, "utimes and utime behave as the host kernel's"))
		diag("native:\n%s\nguest:\n%s", nat, vx);
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	run(cmd);
	return done_testing();
}
