/*
 * devroot.c — #/, the root device: the fixed directories that other
 * devices are bound on.  Read-only.  Its /dev (under #c's files in the
 * default namespace) holds what Linux programs find there beside the
 * devices: fd, where #d is bound, pts, where #P's slaves are, shm
 * (where vxinferno binds /tmp, for POSIX shared memory and named
 * semaphores), and stdin, stdout and
 * stderr, which open the caller's fd 0, 1 and 2 as #d's files do.
 */
#include <string.h>
#include "dat.h"
#include "fns.h"

enum { Qdev = 2, Qdevfd = 10, Qstdin = 11, Qdevshm = 14, Qdevpts = 15 };

static Dirtab rootdir[] = {
	{ "chan", { 1, 0, QTDIR }, 0, 0555 },
	{ "dev", { Qdev, 0, QTDIR }, 0, 0555 },
	{ "env", { 3, 0, QTDIR }, 0, 0555 },
	{ "fd", { 4, 0, QTDIR }, 0, 0555 },
	{ "n", { 5, 0, QTDIR }, 0, 0555 },
	{ "net", { 6, 0, QTDIR }, 0, 0555 },
	{ "prog", { 7, 0, QTDIR }, 0, 0555 },
	{ "srv", { 8, 0, QTDIR }, 0, 0555 },
	{ "proc", { 9, 0, QTDIR }, 0, 0555 },
};
enum { Nroot = sizeof rootdir / sizeof rootdir[0] };

/* /dev's own names; qid path Qstdin+N opens fd N */
static Dirtab devnames[] = {
	{ "fd", { Qdevfd, 0, QTDIR }, 0, 0555 },
	{ "pts", { Qdevpts, 0, QTDIR }, 0, 0555 },
	{ "shm", { Qdevshm, 0, QTDIR }, 0, 0555 },
	{ "stdin", { Qstdin, 0, 0 }, 0, 0666 },
	{ "stdout", { Qstdin + 1, 0, 0 }, 0, 0666 },
	{ "stderr", { Qstdin + 2, 0, 0 }, 0, 0666 },
};
enum { Ndev = sizeof devnames / sizeof devnames[0] };

/* Only the root and /dev list entries; the other directories are empty.
 * A file is looked for among /dev's entries, its only parent. */
static int
rootgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	uvlong p;

	p = c->qid.path;
	if(p == 0)
		return devgen(c, name, tab, ntab, i, d);
	if(name != NULL && strcmp(name, "..") == 0){
		if(p == Qdevfd || p == Qdevshm || p == Qdevpts)
			devdir(c, mkqid(Qdev, 0, QTDIR), "dev", 0, kern.eve, 0555, d);
		else
			devdir(c, mkqid(0, 0, QTDIR), "/", 0, kern.eve, 0555, d);
		return 1;
	}
	if(p == Qdev || !(c->qid.type & QTDIR))
		return devgen(c, name, devnames, Ndev, i, d);
	return -1;
}

static Chan *
rootattach(char *spec)
{
	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	return devattach('/', spec);
}

static Walkqid *
rootwalk(Chan *c, Chan *nc, char **name, int nname)
{
	return devwalk(c, nc, name, nname, rootdir, Nroot, rootgen);
}

static int
rootstat(Chan *c, uchar *db, int n)
{
	return devstat(c, db, n, rootdir, Nroot, rootgen);
}

static Chan *
rootopen(Chan *c, int omode)
{
	if(!(c->qid.type & QTDIR) && c->qid.path >= Qstdin && c->qid.path < Qstdin + 3)
		return fdreopen(c, (int)(c->qid.path - Qstdin), omode, 1);
	return devopen(c, omode, rootdir, Nroot, rootgen);
}

static void
rootclose(Chan *c)
{
	(void)c;
}

static long
rootread(Chan *c, void *buf, long n, vlong off)
{
	(void)off;
	return devdirread(c, buf, n, rootdir, Nroot, rootgen);
}

static long
rootwrite(Chan *c, void *buf, long n, vlong off)
{
	(void)c; (void)buf; (void)n; (void)off;
	return kseterr(Eisdir);
}

Dev rootdevtab = {
	'/', "root",
	NULL, rootattach, rootwalk, rootstat, rootopen, devcreate,
	rootclose, rootread, rootwrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
