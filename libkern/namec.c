/*
 * namec.c — turning names into Chans: walks element by element through
 * the namespace, crossing mount points (domount), searching union members
 * in order, and leaving mounted trees through their mount points on `..`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

/* The Mhead whose mount point is c, or NULL; pg->ns must be held. */
Mhead *
findmount(Pgrp *pg, Chan *c)
{
	Mhead *m;
	for(m = pg->mhead; m != NULL; m = m->next)
		if(eqchan(m->from, c))
			return m;
	return NULL;
}

/* A snapshot of what is mounted on mtpt (referenced Chans), or NULL with
 * *n = 0.  *cre is the index of the first member taking creates, or -1. */
static Chan **
snapmembers(Chan *mtpt, int *n, int *cre)
{
	Pgrp *pg = up->pgrp;
	Mhead *mh;
	Mount *m;
	Chan **v = NULL;
	int i = 0;
	*n = 0;
	if(cre != NULL)
		*cre = -1;
	pthread_rwlock_rdlock(&pg->ns);
	mh = findmount(pg, mtpt);
	if(mh != NULL){
		for(m = mh->mount; m != NULL; m = m->next)
			i++;
		v = kmalloc((i ? i : 1) * sizeof(Chan*));
		for(i = 0, m = mh->mount; m != NULL; m = m->next, i++){
			v[i] = m->to;
			incref(&m->to->ref);
			if(cre != NULL && *cre < 0 && (m->mflag & MCREATE))
				*cre = i;
		}
		*n = i;
	}
	pthread_rwlock_unlock(&pg->ns);
	if(v != NULL && *n == 0){
		free(v);
		v = NULL;
	}
	return v;
}

void
freemembers(Chan **m, int n)
{
	int i;
	if(m == NULL)
		return;
	for(i = 0; i < n; i++)
		cclose(m[i]);
	free(m);
}

/* The mount point c's path says c stands for, or NULL. */
Chan *
mountpoint(Chan *c)
{
	if(c->path == NULL || c->path->len < 1)
		return NULL;
	return c->path->mtpt[c->path->len - 1];
}

/* The union members c stands for: the mounted Chans when c was reached by
 * crossing a mount point that is still mounted, else NULL. */
Chan **
unionmembers(Chan *c, int *n)
{
	Chan *mp = mountpoint(c);
	*n = 0;
	if(mp == NULL)
		return NULL;
	return snapmembers(mp, n, NULL);
}

/* c (unopened, path set, not yet counted as a crossing) replaced by what is
 * mounted on it, if anything, its path's last element then the crossing
 * of c.  Consumes c. */
Chan *
domount(Chan *c)
{
	Chan **mem, *nc;
	Path *np;
	int n;
	mem = snapmembers(c, &n, NULL);
	if(mem == NULL)
		return c;
	nc = cclone(mem[0]);
	freemembers(mem, n);
	if(nc == NULL){
		cclose(c);
		return NULL;
	}
	np = pathcross(c->path, c);
	chansetpath(nc, np);
	pathclose(np);
	cclose(c);
	return nc;
}


/* Dev.walkpath's answer to namec when it cannot show that a walk meets
 * no mount point: never a call's error (walkmember takes it), so not
 * in errstr.c's table of the errors calls give. */
char Ewalknames[] = "walk name by name";

/* Tests (kern_walk.c): with a mount point on the instance, walk name
 * by name, to hold the walk of a path at once to its answers. */
int walkbynames;

/* The directories mounted on in c's device instance (referenced), or
 * NULL with *n = 0. */
static Chan **
dirmtpts(Chan *c, int *n)
{
	Pgrp *pg = up->pgrp;
	Mhead *m;
	Chan **v = NULL;
	int i = 0;

	pthread_rwlock_rdlock(&pg->ns);
	for(m = pg->mhead; m != NULL; m = m->next)
		if(m->from->type == c->type && m->from->dev == c->dev && (m->from->qid.type & QTDIR))
			i++;
	if(i > 0){
		v = kmalloc(i * sizeof *v);
		i = 0;
		for(m = pg->mhead; m != NULL; m = m->next)
			if(m->from->type == c->type && m->from->dev == c->dev && (m->from->qid.type & QTDIR)){
				v[i++] = m->from;
				incref(&m->from->ref);
			}
	}
	pthread_rwlock_unlock(&pg->ns);
	*n = i;
	return v;
}

/*
 * The whole run of names in member m at once (Dev.walkpath), or NULL.
 * last: m is the last member.  A failure that a walk name by name would
 * end with as well is final (*final set, the error in err): "not a
 * directory" (the first name was there), or "file does not exist" when
 * it would be that either way (the first name missing everywhere, err
 * the first member's error), or "interrupted".  Any other failure says
 * nothing of the first name, and neither does a device that cannot
 * show that the run meets no mount point (Ewalknames, *bynames set):
 * the caller walks it alone.
 */
static Chan *
walkmember(Chan *m, char **names, int run, int omode, int last, char *err, int *final, int *bynames)
{
	Chan *nc, **mt;
	int nmt;
	*final = 0;
	*bynames = 0;
	if(devtab[m->type]->walkpath == NULL)
		return NULL;
	mt = dirmtpts(m, &nmt);
	if(nmt > 0 && walkbynames){
		freemembers(mt, nmt);
		*bynames = 1;
		return NULL;
	}
	nc = devtab[m->type]->walkpath(m, names, run, omode, mt, nmt);
	freemembers(mt, nmt);
	if(nc != NULL)
		return nc;
	if(strcmp(up->errstr, Ewalknames) == 0){
		*bynames = 1;
		kseterr(Enonexist);
		return NULL;
	}
	if(strcmp(up->errstr, Eintr) == 0){
		/* the open it made waited (a named pipe) and a signal ended
		 * the wait: so ends the call, not a second walk and open */
		kgerrstr(err, ERRMAX);
		*final = 1;
		return NULL;
	}
	if(!last)
		return nc;
	if(strcmp(up->errstr, Enotdir) == 0
	|| (strcmp(up->errstr, Enonexist) == 0 && (err[0] == 0 || strcmp(err, Enonexist) == 0))){
		kgerrstr(err, ERRMAX);
		*final = 1;
	}
	return NULL;
}

static int plainrun(char **names, int n);
static Chan *walkrun(Chan *c, char **names, int *np);

/*
 * Walk names from c across its union members: the first name (not
 * "..") as found in the first member that has it, then, when *np > 1,
 * the rest of the run in that member.  A member whose device walks a
 * path at once takes the whole run in one step (walkmember).  *np: the
 * names of the run on entry, those walked on return.  omode as for
 * walknames, when the run ends the walk.
 */
static Chan *
walkone(Chan *c, char **names, int *np, int omode)
{
	Chan **mem, *one[1], *nc = NULL;
	int i, n, final = 0;
	char err[ERRMAX];
	mem = unionmembers(c, &n);
	if(mem == NULL){
		one[0] = c;
		incref(&c->ref);
		mem = one;
		n = 1;
	}
	err[0] = 0;
	for(i = 0; i < n && nc == NULL && !final; i++){
		Walkqid *wq;
		int bynames;
		nc = walkmember(mem[i], names, *np, omode, i == n - 1, err, &final, &bynames);
		if(nc != NULL || final)
			break;
		if(bynames && mem == one && devtab[c->type]->multiwalk){
			/* no union: the names before the next `..` in runs,
			 * each run's qids looked up in the mount table */
			*np = plainrun(names, *np);
			nc = walkrun(c, names, np);
			if(nc == NULL)
				kgerrstr(err, sizeof err);
			break;
		}
		wq = devtab[mem[i]->type]->walk(mem[i], NULL, names, 1);
		if(wq != NULL){
			nc = wq->clone;
			free(wq);
		}
		if(nc != NULL)
			*np = 1;
		/* a member that has the name but cannot give it (a symbolic
		 * link loop, a denied search) says more than one without it */
		if(nc == NULL && (err[0] == 0 || strcmp(err, Enonexist) == 0))
			kgerrstr(err, sizeof err);
	}
	if(mem == one)
		cclose(c);
	else
		freemembers(mem, n);
	if(nc == NULL)
		kseterr(err[0] ? err : Enonexist);
	return nc;
}

/* Is a Chan of c's device instance with qid q a mount point? */
static int
ismtpt(Chan *c, Qid q)
{
	Pgrp *pg = up->pgrp;
	Mhead *m;
	int r = 0;
	pthread_rwlock_rdlock(&pg->ns);
	for(m = pg->mhead; m != NULL && !r; m = m->next)
		r = m->from->type == c->type && m->from->dev == c->dev && eqqid(m->from->qid, q);
	pthread_rwlock_unlock(&pg->ns);
	return r;
}

/* Is any mount point on c's device instance? */
int
mtptondev(Chan *c)
{
	Pgrp *pg = up->pgrp;
	Mhead *m;
	int r = 0;
	pthread_rwlock_rdlock(&pg->ns);
	for(m = pg->mhead; m != NULL && !r; m = m->next)
		r = m->from->type == c->type && m->from->dev == c->dev;
	pthread_rwlock_unlock(&pg->ns);
	return r;
}

/* How many of names make a run of plain names (no `..`), at most
 * MAXWELEM; at least 1. */
static int
plainrun(char **names, int n)
{
	int i;
	for(i = 0; i < n && i < MAXWELEM; i++)
		if(strcmp(names[i], "..") == 0)
			break;
	return i > 0 ? i : 1;
}

/* How many of names a device that walks a path at once takes in one
 * run (Dev.walkpath): plain names and `..`s, any number (one host
 * resolution takes them all: runs of MAXWELEM made a walk of a deep
 * path resolve it again from the top for every sixteen names), so long
 * as no `..` leaves the names of the run (it never comes back to the
 * Chan the run starts from, which may be a union or a crossing), ending
 * with a plain name.  At least 1.  Without a mount point on the device
 * instance, such a `..` is the device's own. */
static int
pathrun(char **names, int n)
{
	int i, depth = 0, last = 0;
	for(i = 0; i < n; i++){
		if(strcmp(names[i], "..") == 0){
			if(depth <= 1)
				break;
			depth--;
		}else{
			depth++;
			last = i + 1;
		}
	}
	return last > 0 ? last : 1;
}

/* How many of names can go to c's device in one walk: a run of plain
 * names from a Chan that is no union, on a device that walks several
 * names at once. */
static int
runlen(Chan *c, char **names, int n)
{
	if(!devtab[c->type]->multiwalk || mountpoint(c) != NULL)
		return 1;
	return plainrun(names, n);
}

/*
 * A walk of several names stopped after k of them without saying why
 * (9P's short Rwalk): walk the k again and then the failing name alone,
 * so the error is the one the device gives for that name.  Should the
 * name be there after all (it was made meanwhile), the walk goes on from
 * it: *np is then k+1.
 */
static Chan *
walkwhy(Chan *c, char **names, int k, int *np)
{
	Walkqid *wq;
	Chan *p, *nc = NULL;
	wq = devtab[c->type]->walk(c, NULL, names, k);
	if(wq == NULL)
		return NULL;
	p = wq->clone;
	free(wq);
	if(p == NULL)
		return kseterrp(Enonexist);
	wq = devtab[p->type]->walk(p, NULL, &names[k], 1);
	if(wq != NULL){
		nc = wq->clone;
		free(wq);
	}
	cclose(p);
	if(nc != NULL)
		*np = k + 1;
	return nc;
}

/*
 * Walk *np names from c (no union) in one device walk.  A walk must stop
 * at a mount point and go on in the mounted tree, so if one of the names
 * before the last turned out to be a mount point (its qid is in the
 * mount table), the device walks again only up to it and *np says how
 * many names were walked.  A name that fails after a mount point is
 * looked for in the mounted tree, not reported.
 */
static Chan *
walkrun(Chan *c, char **names, int *np)
{
	Walkqid *wq;
	Chan *nc;
	int n = *np, k, lim;
	wq = devtab[c->type]->walk(c, NULL, names, n);
	if(wq == NULL)
		return NULL;
	lim = wq->nqid < n ? wq->nqid : n - 1;
	for(k = 0; k < lim; k++)
		if(ismtpt(c, wq->qid[k]))
			break;
	if(k < lim){
		cclose(wq->clone);
		free(wq);
		n = k + 1;
		wq = devtab[c->type]->walk(c, NULL, names, n);
		if(wq == NULL)
			return NULL;
	}
	nc = wq->clone;
	if(wq->nqid < n || nc == NULL){
		int dir;
		k = wq->nqid;
		dir = k > 0 && (wq->qid[k-1].type & QTDIR);
		if(nc != NULL)
			cclose(nc);
		free(wq);
		/* as a walk of one name at a time would say */
		if(k > 0 && k < n && !dir)
			return kseterrp(Enotdir);
		if(k > 0 && k < n && devtab[c->type]->multiwalk == Walkmanyquiet)
			return walkwhy(c, names, k, np);
		return NULL;
	}
	free(wq);
	*np = n;
	return nc;
}

/* `..` from c: leave a mounted tree through its mount point; at a parent
 * that was itself a crossing, find what is mounted there again. */
static Chan *
walkdotdot(Chan *c)
{
	Path *p = c->path, *pp;
	Chan *from, *nc, *mp;
	char *dd = "..";
	Walkqid *wq;
	if(p->len <= 1){
		incref(&c->ref);
		return c;
	}
	pp = pathparent(p);
	mp = pp->mtpt[pp->len - 1];
	if(mp != NULL){
		Chan **mem;
		int n;
		mem = snapmembers(mp, &n, NULL);
		nc = cclone(mem != NULL ? mem[0] : mp);
		freemembers(mem, n);
	}else{
		from = p->mtpt[p->len - 1];
		if(from == NULL)
			from = c;
		nc = NULL;
		wq = devtab[from->type]->walk(from, NULL, &dd, 1);
		if(wq != NULL){
			nc = wq->clone;
			free(wq);
		}
	}
	if(nc == NULL){
		pathclose(pp);
		return NULL;
	}
	chansetpath(nc, pp);
	pathclose(pp);
	return nc;
}

/* Walk *cp through names.  With nomount, the last name is not replaced by
 * what is mounted on it (the Chan to mount on).  omode >= 0: the Chan
 * reached is to be opened with it, and may come back open (Dev.walkpath);
 * Wlinkdir: a link op on a name in it follows.  On error *cp is kept. */
static int
walknames(Chan **cp, char **names, int nnames, int nomount, int omode)
{
	Chan *c = *cp, *nc;
	Path *np;
	int i, run;
	incref(&c->ref);
	for(i = 0; i < nnames; ){
		if(up->killed){
			cclose(c);
			return kseterr(Ekilled);
		}
		if(strcmp(names[i], "..") == 0){
			nc = walkdotdot(c);
			if(nc == NULL){
				cclose(c);
				return -1;
			}
			cclose(c);
			c = nc;
			i++;
			continue;
		}
		if(!(c->qid.type & QTDIR)){
			cclose(c);
			return kseterr(Enotdir);
		}
		run = runlen(c, names + i, nnames - i);
		if(mountpoint(c) != NULL || devtab[c->type]->walkpath != NULL){
			/* a union, or a device that walks a path at once */
			run = pathrun(names + i, nnames - i);
			nc = walkone(c, names + i, &run, i + run == nnames ? omode : -1);
		}else if(run == 1)
			nc = walkone(c, names + i, &run, -1);
		else
			nc = walkrun(c, names + i, &run);
		if(nc == NULL){
			cclose(c);
			return -1;
		}
		/* names i..i+run-1 walked; none but the last was a mount
		 * point; a `..` among them (pathrun) left one of them */
		np = pathwalk(c->path, names + i, run);
		cclose(c);
		i += run;
		chansetpath(nc, np);
		pathclose(np);
		if(!(nomount && i == nnames))
			nc = domount(nc);
		if(nc == NULL)
			return -1;
		c = nc;
	}
	cclose(*cp);
	*cp = c;
	return 0;
}

int
walkname(Chan **cp, char **names, int nnames, int nomount)
{
	return walknames(cp, names, nnames, nomount, -1);
}

/* Plan 9's rule for a file name element: no '/', no control characters;
 * "." and ".." are walked specially. */
int
validname(char *name, int slashok)
{
	uchar *s;
	if(name == NULL)
		return kseterr(Ebadarg);
	for(s = (uchar*)name; *s; s++)
		if(*s < ' ' || *s == 0x7F || (*s == '/' && !slashok))
			return kseterr(Efilename);
	return 0;
}

/* The most elements s can split into: one more than its slashes. */
static int
nelems(char *s)
{
	int n = 1;

	for(; *s; s++)
		n += *s == '/';
	return n;
}

/* Split s (modified) into elements, skipping empty and "." ones. */
static int
splitname(char *s, char **elem, int max)
{
	int n = 0;
	char *e;
	while(*s){
		while(*s == '/')
			s++;
		if(*s == 0)
			break;
		e = s;
		while(*s && *s != '/')
			s++;
		if(*s)
			*s++ = 0;
		if(strcmp(e, ".") == 0)
			continue;
		if(n >= max)
			return kseterr(Etoobig);
		elem[n++] = e;
	}
	return n;
}

/* Where a name starts: the root, dot or a device attach. */
static Chan *
startchan(char *name, char **rest)
{
	Pgrp *pg = up->pgrp;
	Chan *c;
	int t;
	if(name[0] == '#'){
		char spec[64];
		int dc = (uchar)name[1], n = 0;
		const char *s = name + 2;
		if(dc == 0)
			return kseterrp(Efilename);
		/* "#/x" is x in the root device: '/' has no spec */
		while(dc != '/' && *s && *s != '/' && n < (int)sizeof spec - 1)
			spec[n++] = *s++;
		spec[n] = 0;
		if(dc != '/' && *s && *s != '/')
			return kseterrp(Efilename);
		if(pg->nodevs && strchr("|decps", dc) == NULL)
			return kseterrp(Enoattach);
		if(strchr(kern.noattach, dc) != NULL)
			return kseterrp(Enoattach);
		t = devno(dc, 1);
		if(t < 0)
			return kseterrp(Enonexist);
		c = devtab[t]->attach(spec);
		if(c == NULL)
			return NULL;
		*rest = (char*)s;
		return c;
	}
	if(name[0] == '/'){
		pthread_mutex_lock(&pg->lk);
		c = pg->slash;
		incref(&c->ref);
		pthread_mutex_unlock(&pg->lk);
	}else
		c = procdot(up);
	*rest = name;
	if(name[0] != '/'){
		/* work on a clone: dot itself is shared */
		Chan *nc = cclone(c);
		cclose(c);
		return nc;
	}
	{
		/* the root is reached afresh, crossing any mount on it */
		Chan *nc = cclone(c);
		cclose(c);
		if(nc == NULL)
			return NULL;
		return domount(nc);
	}
}

/* Open c (unopened, or opened by its walk with omode) with omode;
 * directories reached at a union get the members for reading. */
Chan *	/* Styx: also used by export.c */
openchan(Chan *c, int omode)
{
	Chan *nc, **mem;
	int n, shared;
	shared = 0;
	if(!(c->flag & COPEN)){
		if((c->qid.type & QTDIR) && (omode & 3) != OREAD)
			return kseterrp(Eisdir);
		nc = devtab[c->type]->open(c, omode & ~OCEXEC);
		if(nc == NULL)
			return NULL;
		if(nc != c){
			/* an open Chan of another's (#d, /proc/self/fd, #s):
			 * its union read state is its opener's, left alone
			 * (replacing it leaked the old one at every open) */
			c = nc;
			shared = 1;
		}
	}
	if(omode & ORCLOSE)
		c->flag |= CRCLOSE;
	if((c->qid.type & QTDIR) && !shared){
		mem = unionmembers(c, &n);
		if(mem != NULL){
			c->ur = kzalloc(sizeof(Unionread));
			c->ur->mem = mem;
			c->ur->n = n;
		}
	}
	return c;
}

/* create's answer for nc, a file that is there: Eexist for OEXCL, else
 * nc opened and truncated, as Plan 9's create.  nc is consumed. */
static Chan *
createfound(Chan *nc, int omode)
{
	Chan *c;

	if(omode & OEXCL){
		cclose(nc);
		return kseterrp(Eexist);
	}
	c = openchan(nc, omode | OTRUNC);
	if(c == NULL)
		cclose(nc);
	return c;
}

/* Create name in directory c (a Chan at the parent).  The file goes to the
 * first union member that allows creation; if a walk to it succeeds, it is
 * opened and truncated instead, unless OEXCL.  c is consumed on every
 * path, a refused name too. */
Chan *	/* Styx: also used by export.c */
createin(Chan *c, char *name, int omode, ulong perm)
{
	Chan **mem, *dir, *nc;
	int n, cre;
	Path *np;
	char *nm[1], walkerr[ERRMAX];
	if(validname(name, 0) < 0){
		cclose(c);
		return NULL;
	}
	if(strcmp(name, "..") == 0){
		cclose(c);
		return kseterrp(Eexist);
	}
	nc = c;
	incref(&nc->ref);
	nm[0] = name;
	if(walkname(&nc, nm, 1, 0) == 0){
		cclose(c);
		return createfound(nc, omode);
	}
	cclose(nc);
	/* As Plan 9: whatever the walk said, the create decides.  Servers
	 * word "does not exist" their own way (u9fs sends the host's
	 * "No such file or directory"); only a kill or an interrupt stops. */
	if(atomic_load(&up->killed) || strcmp(up->errstr, Eintr) == 0){
		cclose(c);
		return NULL;
	}
	snprintf(walkerr, sizeof walkerr, "%s", up->errstr);
	mem = NULL;
	n = 0;
	if(mountpoint(c) != NULL)
		mem = snapmembers(mountpoint(c), &n, &cre);
	if(mem != NULL){
		if(cre < 0){
			freemembers(mem, n);
			cclose(c);
			return kseterrp(Enocreate);
		}
		dir = cclone(mem[cre]);
		freemembers(mem, n);
	}else
		dir = cclone(c);
	if(dir == NULL){
		cclose(c);
		return NULL;
	}
	np = pathappend(c->path, name, NULL);
	cclose(c);
	if(devtab[dir->type]->create(dir, name, omode & ~(OEXCL|OCEXEC), perm) < 0){
		if(strcmp(up->errstr, Eexist) == 0 && !(omode & OEXCL)){
			/* made since the walk, by another proc or the host: a
			 * second walk finds it (create's answer for a file that
			 * exists), else it is there but the walk cannot reach
			 * it (a symbolic link that leads nowhere), and the walk
			 * says why.  With OEXCL the name is there: Eexist, as
			 * Linux's O_EXCL and mkdir say of a dangling link. */
			nc = dir;
			nm[0] = name;
			if(mem == NULL && walkname(&nc, nm, 1, 0) == 0){
				pathclose(np);
				return createfound(nc, omode);
			}
			kseterr(walkerr);
		}
		pathclose(np);
		cclose(dir);
		return NULL;
	}
	chansetpath(dir, np);
	pathclose(np);
	dir->flag |= COPEN;
	if(omode & ORCLOSE)
		dir->flag |= CRCLOSE;
	return dir;
}

Chan *
namec(char *aname, int amode, int omode, ulong perm)
{
	char *buf, *rest = NULL, **elem, *last = NULL;
	Chan *c, *nc;
	int n, wmode;
	if(up == NULL)
		return kseterrp(Enoproc);
	if(aname == NULL || aname[0] == 0)
		return kseterrp(Enonexist);
	if(validname(aname, 1) < 0)
		return NULL;
	c = startchan(aname, &rest);
	if(c == NULL)
		return NULL;
	buf = kstrdup(rest);
	/* as many elements as the name has (Linux allows a 4095-byte
	 * name of 2047 of them): no fixed bound */
	n = nelems(buf);
	elem = kmalloc(n * sizeof *elem);
	n = splitname(buf, elem, n);
	if(n < 0)
		goto Err;
	if(amode == Acreate){
		if(n == 0){
			kseterr(Eexist);
			goto Err;
		}
		last = elem[--n];
	}
	wmode = -1;
	if(amode == Aopen)
		wmode = omode & ~OCEXEC;
	else if(amode == Alinkdir || amode == Acreate)
		wmode = Wlinkdir;	/* a create's walk to the name in it, its create */
	else if(amode == Alinkstat)
		wmode = Wlinkstat;
	else if(amode == Aremove)
		wmode = Wremove;
	if(walknames(&c, elem, n, amode == Amount, wmode) < 0)
		goto Err;
	switch(amode){
	case Amount:
		/* mount on the original, not on what is mounted there */
		if(mountpoint(c) != NULL){
			nc = cclone(mountpoint(c));
			if(nc == NULL)
				goto Err;
			chansetpath(nc, c->path);
			cclose(c);
			c = nc;
		}
		break;
	case Atodir:
	case Alinkdir:
	case Alinkstat:
		if(isdir(c) < 0)
			goto Err;
		break;
	case Aremove:
		/* a name something is bound or mounted on is in use: the
		 * remove would reach the mounted tree's root (or the top
		 * of a union), never the name itself.  Linux's EBUSY for
		 * a mount point. */
		if(mountpoint(c) != NULL){
			kseterr(Einuse);
			goto Err;
		}
		break;
	case Aopen:
		nc = openchan(c, omode);
		if(nc == NULL)
			goto Err;
		c = nc;
		break;
	case Acreate:
		if(isdir(c) < 0)
			goto Err;
		c = createin(c, last, omode, perm);
		free(elem);
		free(buf);
		return c;
	}
	free(elem);
	free(buf);
	return c;
Err:
	free(elem);
	free(buf);
	cclose(c);
	return NULL;
}
