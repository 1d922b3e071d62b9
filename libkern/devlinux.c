/*
 * devlinux.c — #L, the /proc tree Linux programs read, served from the
 * state of whoever runs them: a personality (vxrun) registers a
 * generator with klinuxproc, and this device turns its answers into
 * files.  The generator answers for a path below the top ("", "self",
 * "42/fd/3", "cpuinfo") as the calling proc sees it, so /proc/self is
 * the caller's own.  Files are read from a snapshot taken at open, as
 * Linux's seq files are; a directory's entries are listed at open too.
 * A link (self, exe) reads as its target and stats with DMSYMLINK; an
 * fd's entry (self/fd/N) stats as a link too, but opens and wstats the
 * Chan of the caller's fd N, as #d does, so chmod("/proc/self/fd/3")
 * changes the open file and its name is that Chan's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

static Klxgen *lxgen;

void
klinuxproc(Klxgen *gen)
{
	lxgen = gen;
}

/* A Chan's state: its path below the top, and what open found. */
typedef struct Lx {
	char *path;
	int kind;
	char *data;
	long len;
	char **names;	/* a directory's entries */
	int nnames;
	char *entry;	/* the path of the entry read last (its Dir's name) */
} Lx;

static Lx *
newlx(const char *path)
{
	Lx *l;

	l = kzalloc(sizeof *l);
	l->path = kstrdup(path);
	return l;
}

static void
freelx(Lx *l)
{
	if(l == NULL)
		return;
	free(l->path);
	free(l->data);
	free(l->names);
	free(l->entry);
	free(l);
}

/* Ask the generator; KLXNONE with the error set when there is no such
 * file.  *data is the caller's to free; data NULL asks for the kind
 * only (a walk, a stat), which the generator may answer without making
 * the contents. */
static int
gen(const char *path, char **data, long *len, int *fd)
{
	int k;

	if(data != NULL)
		*data = NULL;
	*len = 0;
	*fd = -1;
	k = lxgen != NULL ? lxgen(path, data, len, fd) : (path[0] == 0 ? KLXDIR : KLXNONE);
	if(k == KLXNONE){
		if(data != NULL){
			free(*data);
			*data = NULL;
		}
		kseterr(Enonexist);
	}
	return k;
}

static uvlong
pathqid(const char *s)
{
	uvlong h;

	h = 1469598103934665603ULL;
	for(; *s; s++)
		h = (h ^ (uchar)*s) * 1099511628211ULL;
	return h >> 1;
}

static Qid
lxqid(const char *path, int kind)
{
	return mkqid(path[0] == 0 ? 0 : pathqid(path), 0, kind == KLXDIR ? QTDIR : QTFILE);
}

static Chan *
lxattach(char *spec)
{
	Chan *c;

	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	c = devattach('L', spec);
	c->aux = newlx("");
	return c;
}

/* path/name, or the parent for "..". */
static char *
child(const char *path, const char *name)
{
	char *s, *p;
	size_t n;

	if(strcmp(name, "..") == 0){
		s = kstrdup(path);
		p = strrchr(s, '/');
		if(p != NULL)
			*p = 0;
		else
			s[0] = 0;
		return s;
	}
	n = strlen(path) + strlen(name) + 2;
	s = kmalloc(n);
	snprintf(s, n, "%s%s%s", path, path[0] ? "/" : "", name);
	return s;
}

static Walkqid *
lxwalk(Chan *c, Chan *nc, char **name, int nname)
{
	Walkqid *wq;
	char *path, *np;
	long len;
	int j, k, fd, alloc;

	if(nname > MAXWELEM)
		return kseterrp(Ebadarg);
	alloc = 0;
	if(nc == NULL){
		nc = devclone(c);
		if(nc == NULL)
			return NULL;
		nc->aux = newlx(((Lx*)c->aux)->path);	/* its own, not c's */
		alloc = 1;
	}
	wq = newwq();
	path = kstrdup(((Lx*)c->aux)->path);
	for(j = 0; j < nname; j++){
		if(!(nc->qid.type & QTDIR)){
			kseterr(Enotdir);
			break;
		}
		if(strcmp(name[j], ".") == 0){
			wq->qid[j] = nc->qid;
			continue;
		}
		if(strchr(name[j], '/') != NULL){
			kseterr(Enonexist);
			break;
		}
		np = child(path, name[j]);
		k = gen(np, NULL, &len, &fd);
		if(k == KLXNONE){
			free(np);
			break;
		}
		free(path);
		path = np;
		nc->qid = lxqid(path, k);
		wq->qid[j] = nc->qid;
	}
	wq->nqid = j;
	if(j < nname){
		free(path);
		if(alloc)
			cclose(nc);
		if(j == 0){
			free(wq);
			return NULL;
		}
		return wq;
	}
	freelx(nc->aux);
	nc->aux = newlx(path);
	free(path);
	wq->clone = nc;
	return wq;
}

static const char *
lastname(const char *path)
{
	const char *s;

	if(path[0] == 0)
		return "proc";
	s = strrchr(path, '/');
	return s != NULL ? s + 1 : path;
}

/* d for path of kind k (len: a file's length, 0 as on Linux). */
static void
lxdir(Chan *c, const char *path, int k, Dir *d)
{
	ulong perm;

	perm = k == KLXDIR ? 0555 : k == KLXLINK ? 0777 : 0444;
	devdir(c, lxqid(path, k), (char*)lastname(path), 0, kern.eve, perm, d);
	if(k == KLXLINK)
		d->mode |= DMSYMLINK;
}

/* The Chan of the caller's fd for an fd entry, or NULL. */
static Chan *
fdchan(Lx *l)
{
	long len;
	int k, fd;

	k = gen(l->path, NULL, &len, &fd);
	if(k != KLXFD)
		return k == KLXNONE ? NULL : kseterrp(Eperm);
	return fdtochan(fd, -1, 0, 1);
}

static int
lxstat(Chan *c, uchar *db, int n)
{
	Lx *l = c->aux;
	long len;
	int k, fd, m;
	Dir d;

	/* an open file is what its open found (the fd it named may be
	 * gone or another file by now: a readlink reads what it opened) */
	if(c->flag & COPEN)
		k = l->kind;
	else if((k = gen(l->path, NULL, &len, &fd)) == KLXNONE)
		return -1;
	lxdir(c, l->path, k == KLXFD ? KLXLINK : k, &d);
	m = convD2M(&d, db, n);
	return m == 0 ? kseterr(Eshortstat) : m;
}

static Chan *
lxopen(Chan *c, int omode)
{
	Lx *l = c->aux;
	char *s, *e;
	int k, fd;

	k = gen(l->path, &l->data, &l->len, &fd);
	if(k == KLXNONE)
		return NULL;
	if(k == KLXFD){
		free(l->data);
		l->data = NULL;
		return fdreopen(c, fd, omode, 1);
	}
	if((omode & 3) != OREAD || (omode & (OTRUNC|ORCLOSE)))
		return kseterrp(k == KLXDIR ? Eisdir : Eperm);
	if(k == KLXDIR){
		/* the entries, one per line */
		for(s = l->data; s != NULL && s < l->data + l->len; s = e + 1){
			e = memchr(s, '\n', l->data + l->len - s);
			if(e == NULL)
				break;
			*e = 0;
			if(e > s){
				l->names = realloc(l->names, (l->nnames + 1) * sizeof *l->names);
				if(l->names == NULL)
					return kseterrp(Enomem);
				l->names[l->nnames++] = s;
			}
		}
	}
	l->kind = k;
	c->dri = 0;
	c->mode = OREAD;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

static void
lxclose(Chan *c)
{
	freelx(c->aux);
	c->aux = NULL;
}

/* Directory entry i of an open directory. */
static int
lxdirgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	Lx *l = c->aux;
	long len;
	int k, fd;

	(void)name, (void)tab, (void)ntab;
	if(i < 0 || i >= l->nnames)
		return -1;
	/* d's name points into it until the next entry or the close:
	 * the Chan's, so an exiting thread leaves none behind */
	free(l->entry);
	l->entry = child(l->path, l->names[i]);
	k = gen(l->entry, NULL, &len, &fd);
	if(k == KLXNONE)
		return 0;	/* gone since the open */
	lxdir(c, l->entry, k == KLXFD ? KLXLINK : k, d);
	return 1;
}

static long
lxread(Chan *c, void *buf, long n, vlong off)
{
	Lx *l = c->aux;

	if(l->kind == KLXDIR)
		return devdirread(c, buf, n, NULL, 0, lxdirgen);
	if(off < 0 || n < 0)
		return kseterr(Ebadarg);
	if(off >= l->len)
		return 0;
	if(n > l->len - off)
		n = l->len - off;
	memcpy(buf, l->data + off, n);
	return n;
}

static long
lxwrite(Chan *c, void *buf, long n, vlong off)
{
	(void)c, (void)buf, (void)n, (void)off;
	return kseterr(Eperm);
}

/* A wstat of an fd's entry is one of its file; a new mode there was
 * made from the entry's (a link), so it gets the file's type bits. */
static int
lxwstat(Chan *c, uchar *db, int n)
{
	uchar sb[STATMAX], *nb;
	char *strs, *fstrs;
	Dir d, fd;
	Chan *f;
	int r, m;

	f = fdchan(c->aux);
	if(f == NULL)
		return -1;
	r = -1;
	strs = kmalloc(n);
	fstrs = kmalloc(STATMAX);
	nb = kmalloc(n + STATMAX);
	if(devtab[f->type]->wstat == NULL)
		kseterr(Eperm);
	else if(convM2D(db, n, &d, strs) == 0)
		kseterr(Ebadstat);
	else if(d.name[0] != 0)
		/* a rename of the entry: Linux's proc fd directory has none
		 * (EPERM).  Passed on, it renamed the open file, and each
		 * rename through one Chan kept its old name until the Chan
		 * went: a loop of them grew the host (2fe3810) */
		ksetosErr(EPERM);
	else if((m = devtab[f->type]->stat(f, sb, sizeof sb)) > 0 && convM2D(sb, m, &fd, fstrs) != 0){
		if(d.mode != (ulong)~0UL && (d.mode & 0xFFFFFFFFUL) != 0xFFFFFFFFUL)
			d.mode = (d.mode & (0777 | DMSPECIAL)) | (fd.mode & ~(0777UL | DMSPECIAL | DMSYMLINK));
		m = convD2M(&d, nb, n + STATMAX);
		r = m == 0 ? kseterr(Ebadstat) : devtab[f->type]->wstat(f, nb, m);
	}
	free(strs);
	free(fstrs);
	free(nb);
	cclose(f);
	return r;
}

/* Refused, but remove consumes the Chan's state as a close would
 * (kremove does not close it after). */
static int
lxremove(Chan *c)
{
	lxclose(c);
	return kseterr(Eperm);
}

static int
lxcreate(Chan *c, char *name, int omode, ulong perm)
{
	(void)c, (void)name, (void)omode, (void)perm;
	return kseterr(Eperm);
}

Dev linuxdevtab = {
	.dc = 'L',
	.name = "linux",
	.attach = lxattach,
	.walk = lxwalk,
	.stat = lxstat,
	.open = lxopen,
	.create = lxcreate,
	.close = lxclose,
	.read = lxread,
	.write = lxwrite,
	.remove = lxremove,
	.wstat = lxwstat,
	0,
};
