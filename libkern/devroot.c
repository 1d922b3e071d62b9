/*
 * devroot.c — #/, the root device: the fixed directories that other
 * devices are bound on.  Read-only.
 */
#include "dat.h"
#include "fns.h"

static Dirtab rootdir[] = {
	{ "chan", { 1, 0, QTDIR }, 0, 0555 },
	{ "dev", { 2, 0, QTDIR }, 0, 0555 },
	{ "env", { 3, 0, QTDIR }, 0, 0555 },
	{ "fd", { 4, 0, QTDIR }, 0, 0555 },
	{ "n", { 5, 0, QTDIR }, 0, 0555 },
	{ "net", { 6, 0, QTDIR }, 0, 0555 },
	{ "prog", { 7, 0, QTDIR }, 0, 0555 },
	{ "srv", { 8, 0, QTDIR }, 0, 0555 },
	{ "proc", { 9, 0, QTDIR }, 0, 0555 },
};
enum { Nroot = sizeof rootdir / sizeof rootdir[0] };

/* The directories themselves are empty: only the root lists entries. */
static int
rootgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	if(c->qid.path != 0 && (c->qid.type & QTDIR)){
		if(name != NULL && name[0] == '.' && name[1] == '.' && name[2] == 0){
			devdir(c, mkqid(0, 0, QTDIR), "/", 0, kern.eve, 0555, d);
			return 1;
		}
		return -1;
	}
	return devgen(c, name, tab, ntab, i, d);
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
	0, NULL, NULL,
};
