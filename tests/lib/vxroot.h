/*
 * vxroot.h — what the embedding's unit tests (vxrun_boxes.c,
 * vxrun_boxunix.c) share: a fresh root holding i386 guests built from
 * tests/, the kernel started on it, and a wait for a file a guest
 * makes there.  Include after kernel.h, vxrun.h and tap.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Make root (a mkdtemp template) with bin/ holding each of guests
 * (names of tests/NAME.c, NULL-ended), start the kernel on it with the
 * console as fd 0 and vxrun's defaults; skip_all if that cannot be. */
static inline void
vxroot_make(char *root, char *const *guests)
{
	char cmd[1024];
	Kconf kc;
	Vxconf vc;
	size_t n;

	if(mkdtemp(root) == NULL)
		skip_all("mkdtemp");
	n = snprintf(cmd, sizeof cmd, "mkdir %s/bin", root);
	for(; *guests != NULL && n < sizeof cmd; guests++)
		n += snprintf(cmd + n, sizeof cmd - n, " && gcc -m32 -static -O1 -Iinclude -o %s/bin/%s tests/%s.c "
			"-lpthread 2>/dev/null", root, *guests, *guests);
	if(n >= sizeof cmd || system(cmd) != 0){
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
}

/* Until root/name exists (1) or guest pid has ended (0), a minute at most. */
static inline int
vxroot_await(const char *root, const char *name, int pid)
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
