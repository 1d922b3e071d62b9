/* fuzztree.h — the namespace the 9P server fuzzers export
 * (tests/styxfuzz/styxfuzz.c, tests/fuzz_styx/fuzz_export.c): a #U
 * root holding a file f1, a directory d1 with a file f2, a fifo, a
 * kernel pipe (#|) bound on /p, whose reads and writes that would wait
 * the export parks (libkern/export.c, xpark), and d1 exported again
 * over a kernel pipe and mounted on /n, so devmnt is attacked through
 * the export too; and the listener that exports it to each caller.
 * The pipe on /p is one for every connection: what one leaves in it
 * the next reads. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kernel.h"

static char fuzztmpdir[256];

static inline int
fuzzrmone(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if(flag == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

/* libFuzzer ends a run with exit(), so the tree goes with it; a crash
 * leaves it for the one who looks at the crash. */
static inline void
fuzztmpgone(void)
{
	char p[300];

	nftw(fuzztmpdir, fuzzrmone, 16, FTW_DEPTH | FTW_PHYS);
	snprintf(p, sizeof p, "%s.sock", fuzztmpdir);
	unlink(p);
}

/* A fresh directory NAME.XXXXXX under $TMPDIR (or /tmp) into root,
 * removed at exit with any NAME.XXXXXX.sock beside it.  0 or -1. */
static inline int
fuzztmp(char *root, size_t n, const char *name)
{
	const char *t;

	if(n > sizeof fuzztmpdir)
		return -1;
	t = getenv("TMPDIR");	/* one too long for root (and a socket's name beside it): /tmp */
	if(t == NULL || *t == 0 || (size_t)snprintf(root, n, "%s/%s.XXXXXX", t, name) >= n)
		if((size_t)snprintf(root, n, "/tmp/%s.XXXXXX", name) >= n)
			return -1;
	if(mkdtemp(root) == NULL)
		return -1;
	strcpy(fuzztmpdir, root);
	atexit(fuzztmpgone);
	return 0;
}

/* A console for the fuzzers' kernels: reads end of file (not the
 * host's stdin), writes vanish. */
static inline long
fuzzconsread(void *a, void *buf, long n)
{
	(void)a;
	(void)buf;
	(void)n;
	return 0;
}

static inline long
fuzzconswrite(void *a, const void *buf, long n)
{
	(void)a;
	(void)buf;
	return n;
}

static inline void
fuzzfile(const char *root, const char *rel, const char *s)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", root, rel);
	f = fopen(p, "w");
	if(f != NULL){
		fputs(s, f);
		fclose(f);
	}
}

/* Make the tree in root, start the kernel with c (its root, user and
 * sysname set here), mount /n.  0; -1 if kinit failed, -2 the mount. */
static inline int
fuzztree(const char *root, Kconf *c)
{
	char p[600];
	int p2[2];

	mkdir(root, 0755);
	snprintf(p, sizeof p, "%s/d1", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/fifo", root);
	mkfifo(p, 0666);
	snprintf(p, sizeof p, "%s/p", root);
	mkdir(p, 0755);
	fuzzfile(root, "f1", "a file of some length\n");
	fuzzfile(root, "d1/f2", "another\n");
	c->root = root;
	c->user = "eve";
	c->sysname = "fuzzbox";
	if(kinit(c) < 0)
		return -1;
	if(kpipe(p2) < 0 || kexport(p2[0], "/d1", KEXPASYNC) < 0 ||
	   kmount(p2[1], -1, "/n", MREPL|MCREATE, "") < 0 || kbind("#|", "/p", MREPL) < 0)
		return -2;
	return 0;
}

/* Announce addr and export / to each caller (flags: KEXPWAIT, one after
 * another, or KEXPASYNC); ended, if set, runs after each KEXPWAIT export.
 * Returns only on failure: -1 the announce, -2 a listen. */
static inline int
fuzzlisten(char *addr, int flags, void (*ended)(void))
{
	char adir[KNETPATHLEN];
	int fd;

	if(kannounce(addr, adir) < 0)
		return -1;
	while((fd = klisten(adir, NULL)) >= 0){
		kexport(fd, "/", flags);
		kclose(fd);
		if(ended != NULL)
			ended();
	}
	return -2;
}
