/*
 * dev.c — helpers shared by the devices: attach, clone, walk, stat, open
 * and directory reads over a generator of entries (Devgen), and the
 * string/number read helpers.
 *
 * A Devgen called with name != NULL looks that name up in directory c;
 * with name == NULL it yields entry i.  When c is a file, it lists c's
 * parent directory, so that devstat can find c among its siblings.  The
 * name "..", when the generator does not know it, means the device root.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

Qid
mkqid(uvlong path, ulong vers, int type)
{
	Qid q;
	q.path = path;
	q.vers = vers;
	q.type = type;
	return q;
}

int
devno(int dc, int user)
{
	int i;
	for(i = 0; devtab[i] != NULL; i++)
		if(devtab[i]->dc == dc)
			return i;
	if(user)
		kseterr(Enonexist);
	return -1;
}

Chan *
devattach(int dc, char *spec)
{
	Chan *c = newchan();
	char buf[64];
	c->type = devno(dc, 0);
	c->qid = mkqid(0, 0, QTDIR);
	snprintf(buf, sizeof buf, "#%c%s", dc, spec != NULL ? spec : "");
	c->path = newpath(buf);
	return c;
}

Chan *
devclone(Chan *c)
{
	Chan *nc;
	if(c->flag & COPEN)
		return kseterrp(Eisopen);
	nc = newchan();
	nc->type = c->type;
	nc->dev = c->dev;
	nc->qid = c->qid;
	nc->mode = c->mode;
	nc->aux = c->aux;
	nc->auxv = c->auxv;
	nc->path = c->path;
	if(nc->path != NULL)
		incref(&nc->path->ref);
	return nc;
}

Walkqid *
newwq(void)
{
	return kzalloc(sizeof(Walkqid));
}

void
devdir(Chan *c, Qid q, char *n, vlong length, char *user, ulong perm, Dir *d)
{
	memset(d, 0, sizeof *d);
	d->type = devtab[c->type]->dc;
	d->dev = c->dev;
	d->qid = q;
	d->mode = perm;
	if(q.type & QTDIR)
		d->mode |= DMDIR;
	d->atime = d->mtime = 0;
	d->length = length;
	d->name = n;
	d->uid = d->gid = d->muid = user;
}

int
devgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	if(tab == NULL)
		return -1;
	if(name != NULL){
		for(i = 0; i < ntab; i++)
			if(strcmp(tab[i].name, name) == 0)
				break;
	}
	if(i < 0 || i >= ntab)
		return -1;
	devdir(c, tab[i].qid, tab[i].name, tab[i].length, kern.eve, tab[i].perm, d);
	return 1;
}

Walkqid *
devwalk(Chan *c, Chan *nc, char **name, int nname, Dirtab *tab, int ntab, Devgen *gen)
{
	Walkqid *wq;
	int j, alloc = 0;
	Dir d;
	if(nname > MAXWELEM)
		return kseterrp(Ebadarg);
	wq = newwq();
	if(nc == NULL){
		nc = devclone(c);
		if(nc == NULL){
			free(wq);
			return NULL;
		}
		alloc = 1;
	}
	for(j = 0; j < nname; j++){
		if(!(nc->qid.type & QTDIR)){
			kseterr(Enotdir);
			break;
		}
		if(strcmp(name[j], ".") == 0){
			wq->qid[j] = nc->qid;
			continue;
		}
		if(gen(nc, name[j], tab, ntab, -1, &d) != 1){
			if(strcmp(name[j], "..") == 0){
				nc->qid = mkqid(0, 0, QTDIR);
				wq->qid[j] = nc->qid;
				continue;
			}
			kseterr(Enonexist);
			break;
		}
		nc->qid = d.qid;
		wq->qid[j] = d.qid;
	}
	wq->nqid = j;
	if(j < nname){
		if(alloc)
			cclose(nc);
		if(j == 0){
			free(wq);
			return NULL;
		}
		return wq;
	}
	wq->clone = nc;
	return wq;
}

static char *
lastelem(Chan *c)
{
	char *s;
	if(c->path == NULL)
		return "?";
	s = strrchr(c->path->s, '/');
	if(s == NULL)
		return c->path->s;
	if(s[1] == 0)
		return "/";
	return s + 1;
}

int
devstat(Chan *c, uchar *db, int n, Dirtab *tab, int ntab, Devgen *gen)
{
	Dir d;
	int i, m;
	for(i = 0;; i++){
		int r = gen(c, NULL, tab, ntab, i, &d);
		if(r < 0){
			if(!(c->qid.type & QTDIR))
				return kseterr(Enonexist);
			devdir(c, c->qid, lastelem(c), 0, kern.eve, 0555, &d);
			break;
		}
		if(r == 1 && eqqid(d.qid, c->qid)){
			if(d.qid.type & QTDIR)
				d.name = lastelem(c);
			break;
		}
	}
	m = convD2M(&d, db, n);
	if(m == 0)
		return kseterr(Eshortstat);
	return m;
}

/* Pack Dirs from next() into buf; an entry that does not fit is kept in
 * the Chan for the next read.  Used by every directory read. */
long
dirreadpack(Chan *c, uchar *buf, long n, Dir *(*next)(Chan *, void *), void *arg)
{
	long m = 0;
	uint l;
	if(c->ndirbuf > 0){
		if(c->ndirbuf > n)
			return kseterr(Eshortstat);
		memcpy(buf, c->dirbuf, c->ndirbuf);
		m = c->ndirbuf;
		c->ndirbuf = 0;
	}
	for(;;){
		Dir *d = next(c, arg);
		if(d == NULL)
			break;
		l = sizeD2M(d);
		if(l == 0)
			continue;
		if((long)l > n - m){
			free(c->dirbuf);
			c->dirbuf = kmalloc(l);
			c->ndirbuf = convD2M(d, c->dirbuf, l);
			if(m == 0 && c->ndirbuf > n)
				return kseterr(Eshortstat);
			break;
		}
		m += convD2M(d, buf + m, n - m);
	}
	return m;
}

typedef struct Genarg {
	Dirtab *tab;
	int ntab;
	Devgen *gen;
	Dir d;
} Genarg;

static Dir *
gennext(Chan *c, void *a)
{
	Genarg *g = a;
	for(;;){
		int r = g->gen(c, NULL, g->tab, g->ntab, c->dri, &g->d);
		if(r < 0)
			return NULL;
		c->dri++;
		if(r > 0)
			return &g->d;
	}
}

long
devdirread(Chan *c, char *d, long n, Dirtab *tab, int ntab, Devgen *gen)
{
	Genarg g;
	g.tab = tab;
	g.ntab = ntab;
	g.gen = gen;
	return dirreadpack(c, (uchar*)d, n, gennext, &g);
}

/* Does the permission perm (owned by owner) allow omode for the caller? */
int
devpermok(ulong perm, char *owner, int omode)
{
	static const int access[] = { DMREAD, DMWRITE, DMREAD|DMWRITE, DMEXEC };
	int want = access[omode & 3];
	ulong bits = perm & 7;
	if(omode & OTRUNC)
		want |= DMWRITE;
	if(up != NULL && owner != NULL && strcmp(up->user, owner) == 0 && strcmp(up->user, "none") != 0)
		bits |= (perm >> 6) & 7;
	return (bits & want) == (ulong)want;
}

Chan *
devopen(Chan *c, int omode, Dirtab *tab, int ntab, Devgen *gen)
{
	Dir d;
	int i;
	if(c->qid.type & QTDIR){
		if((omode & ~OCEXEC) != OREAD)
			return kseterrp(Eisdir);
	}else{
		for(i = 0;; i++){
			int r = gen(c, NULL, tab, ntab, i, &d);
			if(r < 0)
				return kseterrp(Enonexist);
			if(r == 1 && eqqid(d.qid, c->qid))
				break;
		}
		if(!devpermok(d.mode, d.uid, omode))
			return kseterrp(Eperm);
	}
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	c->dri = 0;
	return c;
}

int
devcreate(Chan *c, char *name, int omode, ulong perm)
{
	(void)c; (void)name; (void)omode; (void)perm;
	return kseterr(Eperm);
}

/* Dev.remove releases what the Chan holds, as close would, whether or
 * not the file goes (its callers: kremove, 9P's Tremove, the last
 * close of an ORCLOSE open, then free the Chan without a close); a
 * device whose files are never removed releases it in its close.  It
 * did not: rm /dev/pts/N, or an ORCLOSE open of /dev/ptmx or a
 * socket's clone, left the terminal or conversation held for good. */
int
devremove(Chan *c)
{
	devtab[c->type]->close(c);
	return kseterr(Eperm);
}

int
devwstat(Chan *c, uchar *db, int n)
{
	(void)c; (void)db; (void)n;
	return kseterr(Eperm);
}

long
readstr(vlong off, char *buf, long n, const char *str)
{
	long size = strlen(str);
	if(off < 0)
		return kseterr(Ebadarg);
	if(off >= size)
		return 0;
	if(off + n > size)
		n = size - off;
	memmove(buf, str + off, n);
	return n;
}

long
readnum(vlong off, char *buf, long n, vlong val, int size)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%*lld ", size - 1, val);
	return readstr(off, buf, n, tmp);
}
