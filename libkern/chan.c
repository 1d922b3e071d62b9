/*
 * chan.c — Chans (references to files on devices) and the Paths that name
 * them.  A Chan is reference counted; the device's close runs when the
 * last reference goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

void
incref(atomic_int *r)
{
	atomic_fetch_add(r, 1);
}

/* Returns the count after the decrement. */
int
decref(atomic_int *r)
{
	return atomic_fetch_sub(r, 1) - 1;
}

Chan *
newchan(void)
{
	Chan *c = kzalloc(sizeof *c);
	atomic_init(&c->ref, 1);
	pthread_mutex_init(&c->lk, NULL);
	c->type = -1;
	return c;
}

static void
urclose(Unionread *ur)
{
	if(ur == NULL)
		return;
	freemembers(ur->mem, ur->n);
	if(ur->open != NULL)
		cclose(ur->open);
	free(ur);
}

static void
chanfree(Chan *c)
{
	if(c->type >= 0 && devtab[c->type] != NULL){
		if((c->flag & (CRCLOSE|COPEN)) == (CRCLOSE|COPEN))
			devtab[c->type]->remove(c);	/* also releases */
		else
			devtab[c->type]->close(c);
	}
	urclose(c->ur);
	if(c->mchan != NULL)
		cclose(c->mchan);
	pathclose(c->path);
	free(c->dirbuf);
	pthread_mutex_destroy(&c->lk);
	free(c);
}

static void (*filegone)(void*);

void
kfilegone(void (*fn)(void*))
{
	filegone = fn;
}

void
cclose(Chan *c)
{
	if(c == NULL)
		return;
	if(decref(&c->ref) == 0){
		if((atomic_load(&c->pflags) & CWATCHED) && filegone != NULL)
			filegone(c);
		chanfree(c);
	}
}

/* A new, unopened Chan for the same file (the device's clone). */
Chan *
cclone(Chan *c)
{
	Walkqid *wq = devtab[c->type]->walk(c, NULL, NULL, 0);
	Chan *nc;
	if(wq == NULL)
		return NULL;
	nc = wq->clone;
	free(wq);
	if(nc == NULL)
		return kseterrp(Enonexist);
	if(nc->path == NULL){
		nc->path = c->path;
		if(nc->path != NULL)
			incref(&nc->path->ref);
	}
	return nc;
}

int
eqqid(Qid a, Qid b)
{
	return a.path == b.path && a.type == b.type;
}

/* Same file on the same device instance (mount points are compared so). */
int
eqchan(Chan *a, Chan *b)
{
	return a->type == b->type && a->dev == b->dev && eqqid(a->qid, b->qid);
}

int
isdir(Chan *c)
{
	if(c->qid.type & QTDIR)
		return 0;
	return kseterr(Enotdir);
}

/* Paths */

Path *
newpath(const char *s)
{
	Path *p = kzalloc(sizeof *p);
	atomic_init(&p->ref, 1);
	p->s = kstrdup(s);
	p->len = 1;
	p->mtpt = kzalloc(sizeof(Chan*));
	return p;
}

void
pathclose(Path *p)
{
	int i;
	if(p == NULL || decref(&p->ref) > 0)
		return;
	for(i = 0; i < p->len; i++)
		cclose(p->mtpt[i]);
	free(p->mtpt);
	free(p->s);
	free(p);
}

/* A new Path: p followed by name; mtpt (referenced by the new Path) is the
 * mount point crossed at that element, if any. */
Path *
pathappend(Path *p, const char *name, Chan *mtpt)
{
	Path *np = kzalloc(sizeof *np);
	size_t n = strlen(p->s), m = strlen(name);
	int i;
	atomic_init(&np->ref, 1);
	np->s = kmalloc(n + m + 2);
	memcpy(np->s, p->s, n);
	if(n > 0 && p->s[n-1] != '/')
		np->s[n++] = '/';
	memcpy(np->s + n, name, m + 1);
	np->len = p->len + 1;
	np->mtpt = kzalloc(np->len * sizeof(Chan*));
	for(i = 0; i < p->len; i++){
		np->mtpt[i] = p->mtpt[i];
		if(np->mtpt[i] != NULL)
			incref(&np->mtpt[i]->ref);
	}
	np->mtpt[p->len] = mtpt;
	if(mtpt != NULL)
		incref(&mtpt->ref);
	return np;
}

/* The Path without its last element (the root's parent is the root). */
Path *
pathparent(Path *p)
{
	Path *np;
	char *s;
	int i;
	if(p->len <= 1){
		incref(&p->ref);
		return p;
	}
	np = kzalloc(sizeof *np);
	atomic_init(&np->ref, 1);
	np->s = kstrdup(p->s);
	s = strrchr(np->s, '/');
	if(s != NULL){
		/* keep the root's slash, or a device's "#c" prefix */
		if(s == np->s)
			s[1] = 0;
		else
			*s = 0;
	}
	np->len = p->len - 1;
	np->mtpt = kzalloc(np->len * sizeof(Chan*));
	for(i = 0; i < np->len; i++){
		np->mtpt[i] = p->mtpt[i];
		if(np->mtpt[i] != NULL)
			incref(&np->mtpt[i]->ref);
	}
	return np;
}

/* A new Path: p with the crossing of its last element set to mtpt
 * (referenced by the new Path): what pathappend(parent of p, last name
 * of p, mtpt) makes, without the parent. */
Path *
pathcross(Path *p, Chan *mtpt)
{
	Path *np = kzalloc(sizeof *np);
	int i;

	atomic_init(&np->ref, 1);
	np->s = kstrdup(p->s);
	np->len = p->len;
	np->mtpt = kzalloc(np->len * sizeof(Chan*));
	for(i = 0; i < p->len - 1; i++){
		np->mtpt[i] = p->mtpt[i];
		if(np->mtpt[i] != NULL)
			incref(&np->mtpt[i]->ref);
	}
	np->mtpt[np->len - 1] = mtpt;
	if(mtpt != NULL)
		incref(&mtpt->ref);
	return np;
}

/*
 * A new Path: p followed by the n names, a `..` dropping an element as
 * pathparent does, none of them crossing a mount point: what that many
 * pathappend and pathparent calls make, in one string and one array
 * (a walk of n names made n Paths, each copying the last: quadratic in
 * the depth).
 */
Path *
pathwalk(Path *p, char **names, int n)
{
	Path *np;
	size_t sn, max;
	char *s;
	int i, len, keep;

	max = strlen(p->s) + 1;
	for(i = 0; i < n; i++)
		max += strlen(names[i]) + 1;
	np = kzalloc(sizeof *np);
	atomic_init(&np->ref, 1);
	np->s = kmalloc(max);
	strcpy(np->s, p->s);
	sn = strlen(np->s);
	len = p->len;
	keep = p->len;	/* p's elements never dropped on the way */
	for(i = 0; i < n; i++){
		if(strcmp(names[i], "..") == 0){
			if(len <= 1)
				continue;
			s = strrchr(np->s, '/');
			if(s != NULL){
				/* keep the root's slash, or a device's "#c" prefix */
				if(s == np->s)
					s[1] = 0;
				else
					*s = 0;
				sn = strlen(np->s);
			}
			len--;
			if(len < keep)
				keep = len;
			continue;
		}
		if(sn > 0 && np->s[sn-1] != '/')
			np->s[sn++] = '/';
		strcpy(np->s + sn, names[i]);
		sn += strlen(names[i]);
		len++;
	}
	np->len = len;
	np->mtpt = kzalloc(len * sizeof(Chan*));
	/* an element of p keeps its crossing unless a `..` dropped it (an
	 * element appended again in its place crossed nothing) */
	for(i = 0; i < keep && i < len; i++){
		np->mtpt[i] = p->mtpt[i];
		if(np->mtpt[i] != NULL)
			incref(&np->mtpt[i]->ref);
	}
	return np;
}

/* Replace c's path with p (a new reference is taken). */
void
chansetpath(Chan *c, Path *p)
{
	if(p != NULL)
		incref(&p->ref);
	pathclose(c->path);
	c->path = p;
}

/* May c be opened with omode, given the open flags it already has? */
int
openmodeok(Chan *c, int omode)
{
	int m = omode & 3, have = c->mode & 3;
	if(!(c->flag & COPEN))
		return 1;
	if(have == ORDWR)
		return 1;
	if(m == OEXEC)
		m = OREAD;
	if(have == OEXEC)
		have = OREAD;
	return m == have;
}

/* OTRUNC through an fd's name (Linux's /proc/self/fd/N, /dev/stdout): a
 * file of a file system (#U, a mount) is truncated as Linux truncates
 * it; a pipe, the console or a device file ignores it, as on Linux. */
static int
fdtrunc(Chan *f)
{
	uchar buf[STATFIXLEN + 4*BIT16SZ];
	int dc, n;
	Dir d;

	dc = devtab[f->type]->dc;
	if(dc != 'U' && dc != 'M')
		return 0;
	if((f->mode & 3) == OREAD || (f->mode & 3) == OEXEC)
		return kseterr(Eperm);
	nulldir(&d);
	d.length = 0;
	n = convD2M(&d, buf, sizeof buf);
	if(n == 0 || devtab[f->type]->wstat == NULL)
		return kseterr(Eperm);
	return devtab[f->type]->wstat(f, buf, n) < 0 ? -1 : 0;
}

/* Open of a file that names the caller's fd.  Inferno's #d shares its
 * Chan, if omode fits how it is open.  With fresh (Linux's names:
 * /proc/self/fd/N, /dev/fd/N, /dev/stdout), a device that can opens the
 * file anew, as Linux does a regular file; anything else (a pipe, the
 * console, a 9P file) is shared. */
Chan *
fdreopen(Chan *c, int fd, int omode, int fresh)
{
	Chan *f, *nf;

	f = fdtochan(fd, -1, 0, 1);
	if(f == NULL)
		return NULL;
	if(fresh && devtab[f->type]->reopen != NULL && !(f->qid.type & QTDIR)
	&& (nf = devtab[f->type]->reopen(f, omode)) != f){
		cclose(f);
		if(nf == NULL)
			return NULL;
		cclose(c);
		return nf;
	}
	if(!openmodeok(f, omode)){
		cclose(f);
		return kseterrp(Eperm);
	}
	if((omode & OTRUNC) && fdtrunc(f) < 0){
		cclose(f);
		return NULL;
	}
	cclose(c);
	return f;
}
