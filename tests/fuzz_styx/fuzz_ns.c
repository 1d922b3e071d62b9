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

static Pgrp *pristine;

/* /dev/cons: an include of it reads end of file, not the host's stdin */
static long
consread(void *a, void *buf, long n)
{
	(void)a;
	(void)buf;
	(void)n;
	return 0;
}

static void
hostfile(const char *root, const char *rel, const char *s)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", root, rel);
	if((f = fopen(p, "w")) == NULL)
		abort();
	fputs(s, f);
	fclose(f);
}

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
	static char root[64];
	char p[600], big[301];
	Kconf c;

	(void)argc;
	(void)argv;
	snprintf(root, sizeof root, "/tmp/fuzz_ns.XXXXXX");
	if(mkdtemp(root) == NULL)
		abort();
	snprintf(p, sizeof p, "%s/a", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/b", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/my dir", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/lib", root);
	mkdir(p, 0755);
	hostfile(root, "a/x", "x\n");
	hostfile(root, "b/y", "y\n");
	hostfile(root, "lib/inc", "bind -a /b /lib\ncd /b\n");
	hostfile(root, "lib/loop", "bind -b '#c' /b\n. /lib/loop\n");
	memset(&c, 0, sizeof c);
	c.root = root;
	c.user = "eve";
	c.sysname = "fuzzbox";
	c.devs = "/ceUpsdL";
	c.consread = consread;
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
