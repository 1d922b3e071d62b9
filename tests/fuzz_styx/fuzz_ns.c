/* fuzz_ns.c — libFuzzer target for namespace files (libkern/nsfile.c):
 * the input is the text of a namespace file, applied with knsstring to
 * a fresh copy of a small namespace: a #U root holding a/x, b/y,
 * 'my dir', lib/inc (an include), lib/loop (including itself), and the
 * environment variables where=b and long=(300 bytes).  Nothing may
 * crash, leak or read out of bounds, whatever the text; the namespace
 * of one input never reaches the next.  FUZZ_NS_SAY=1: print each
 * refusal.
 *
 * The kernel runs without #M, #| and #I (Kconf.devs): a mount line is
 * parsed and then refused before it could dial a network address or
 * wait on a pipe nobody answers (mount itself: fuzz_mnt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "fuzztree.h"

static Pgrp *pristine;

static void
setenvvar(char *name, char *val)
{
	char p[64];
	int fd;

	snprintf(p, sizeof p, "/env/%s", name);
	fd = kcreate(p, OWRITE, 0666);
	if(fd < 0 || kwrite(fd, val, strlen(val)) != (long)strlen(val))
		abort();
	kclose(fd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char *dirs[] = { "a", "b", "my dir", "lib" };
	static char root[64];
	char p[600], big[301];
	Kconf c;
	size_t i;

	(void)argc;
	(void)argv;
	if(fuzztmp(root, sizeof root, "fuzz_ns") < 0)
		abort();
	for(i = 0; i < sizeof dirs / sizeof dirs[0]; i++){
		snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
		mkdir(p, 0755);
	}
	fuzzfile(root, "a/x", "x\n");
	fuzzfile(root, "b/y", "y\n");
	fuzzfile(root, "lib/inc", "bind -a /b /lib\ncd /b\n");
	fuzzfile(root, "lib/loop", "bind -b '#c' /b\n. /lib/loop\n");
	memset(&c, 0, sizeof c);
	c.root = root;
	c.user = "eve";
	c.sysname = "fuzzbox";
	c.devs = "/ceUpsdL";
	c.consread = fuzzconsread;	/* an include of /dev/cons reads end of file */
	if(kinit(&c) < 0 || up->dotg != NULL)
		abort();
	setenvvar("where", "b");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	setenvvar("long", big);
	pristine = up->pgrp;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	text = malloc(size + 1);
	if(text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;		/* as readwhole: a NUL would end the text */
	up->pgrp = pgrpcopy(pristine);
	if(knsstring(text, "fuzz") < 0 && getenv("FUZZ_NS_SAY") != NULL){
		char err[ERRMAX];

		kgerrstr(err, sizeof err);
		fprintf(stderr, "refused: %s\n", err);
	}
	closepgrp(up->pgrp);
	up->pgrp = pristine;
	free(text);
	return 0;
}
