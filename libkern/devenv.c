/*
 * devenv.c — #e, the environment of the current proc's Egrp: one file per
 * variable, created, read, written and removed like plain files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum { Maxenvname = 255, Maxenvsize = 16*1024*1024 };

static _Thread_local char envname[Maxenvname + 1];

static Evalue *
envlookup(Egrp *e, char *name, uvlong qpath)
{
	Evalue *v;
	for(v = e->ent; v != NULL; v = v->next)
		if((name != NULL && strcmp(v->name, name) == 0) || (name == NULL && v->qpath == qpath))
			return v;
	return NULL;
}

/* Entry i of the environment (or the one named), into d; e->lk held. */
static int
envgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	Egrp *e = up->egrp;
	Evalue *v;
	(void)tab; (void)ntab;
	if(name != NULL)
		v = envlookup(e, name, 0);
	else
		for(v = e->ent; v != NULL && i > 0; v = v->next)
			i--;
	if(v == NULL)
		return -1;
	snprintf(envname, sizeof envname, "%s", v->name);
	devdir(c, mkqid(v->qpath, v->vers, QTFILE), envname, v->len, up->user, 0666, d);
	return 1;
}

static Chan *
envattach(char *spec)
{
	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	return devattach('e', spec);
}

static Walkqid *
envwalk(Chan *c, Chan *nc, char **name, int nname)
{
	Walkqid *wq;
	pthread_rwlock_rdlock(&up->egrp->lk);
	wq = devwalk(c, nc, name, nname, NULL, 0, envgen);
	pthread_rwlock_unlock(&up->egrp->lk);
	return wq;
}

static int
envstat(Chan *c, uchar *db, int n)
{
	int r;
	pthread_rwlock_rdlock(&up->egrp->lk);
	r = devstat(c, db, n, NULL, 0, envgen);
	pthread_rwlock_unlock(&up->egrp->lk);
	return r;
}

static Chan *
envopen(Chan *c, int omode)
{
	Egrp *e = up->egrp;
	Evalue *v;
	if(c->qid.type & QTDIR){
		if((omode & 3) != OREAD)
			return kseterrp(Eisdir);
	}else{
		pthread_rwlock_wrlock(&e->lk);
		v = envlookup(e, NULL, c->qid.path);
		if(v == NULL){
			pthread_rwlock_unlock(&e->lk);
			return kseterrp(Enonexist);
		}
		if(omode & OTRUNC){
			envgrow(e, -v->len);
			v->len = 0;
			v->vers++;
		}
		pthread_rwlock_unlock(&e->lk);
	}
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

static int
envcreate(Chan *c, char *name, int omode, ulong perm)
{
	Egrp *e = up->egrp;
	Evalue *v;
	if(!(c->qid.type & QTDIR))
		return kseterr(Enotdir);
	if(perm & DMDIR)
		return kseterr(Eperm);
	if(strlen(name) > Maxenvname)
		return kseterr(Etoobig);
	pthread_rwlock_wrlock(&e->lk);
	if(envlookup(e, name, 0) != NULL){
		pthread_rwlock_unlock(&e->lk);
		return kseterr(Eexist);
	}
	if(envgrow(e, envsize(name, 0)) < 0){
		pthread_rwlock_unlock(&e->lk);
		return -1;
	}
	v = kzalloc(sizeof *v);
	v->name = kstrdup(name);
	v->val = kstrdup("");
	v->qpath = e->path++;
	v->next = e->ent;
	e->ent = v;
	e->vers++;
	c->qid = mkqid(v->qpath, v->vers, QTFILE);
	pthread_rwlock_unlock(&e->lk);
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static void
envclose(Chan *c)
{
	(void)c;
}

static long
envread(Chan *c, void *buf, long n, vlong off)
{
	Egrp *e = up->egrp;
	Evalue *v;
	long r;
	pthread_rwlock_rdlock(&e->lk);
	if(c->qid.type & QTDIR){
		r = devdirread(c, buf, n, NULL, 0, envgen);
		pthread_rwlock_unlock(&e->lk);
		return r;
	}
	v = envlookup(e, NULL, c->qid.path);
	if(v == NULL){
		pthread_rwlock_unlock(&e->lk);
		return kseterr(Enonexist);
	}
	if(off < 0 || n < 0)
		r = kseterr(Ebadarg);
	else if(off >= v->len)
		r = 0;
	else{
		r = v->len - off;
		if(r > n)
			r = n;
		memcpy(buf, v->val + off, r);
	}
	pthread_rwlock_unlock(&e->lk);
	return r;
}

static long
envwrite(Chan *c, void *buf, long n, vlong off)
{
	Egrp *e = up->egrp;
	Evalue *v;
	if(off < 0 || n < 0)
		return kseterr(Ebadarg);
	if(off > Maxenvsize || n > Maxenvsize - off)
		return kseterr(Etoobig);
	pthread_rwlock_wrlock(&e->lk);
	v = envlookup(e, NULL, c->qid.path);
	if(v == NULL){
		pthread_rwlock_unlock(&e->lk);
		return kseterr(Enonexist);
	}
	if(off + n > v->len){
		char *s;
		if(envgrow(e, off + n - v->len) < 0){
			pthread_rwlock_unlock(&e->lk);
			return -1;
		}
		s = realloc(v->val, off + n + 1);
		if(s == NULL){
			envgrow(e, -(off + n - v->len));
			pthread_rwlock_unlock(&e->lk);
			return kseterr(Enomem);
		}
		if(off > v->len)
			memset(s + v->len, 0, off - v->len);
		v->val = s;
		v->len = off + n;
		v->val[v->len] = 0;
	}
	memcpy(v->val + off, buf, n);
	v->vers++;
	pthread_rwlock_unlock(&e->lk);
	return n;
}

static int
envremove(Chan *c)
{
	Egrp *e = up->egrp;
	Evalue **l, *v;
	if(c->qid.type & QTDIR)
		return kseterr(Eperm);
	pthread_rwlock_wrlock(&e->lk);
	for(l = &e->ent; (v = *l) != NULL; l = &v->next)
		if(v->qpath == c->qid.path)
			break;
	if(v == NULL){
		pthread_rwlock_unlock(&e->lk);
		return kseterr(Enonexist);
	}
	*l = v->next;
	e->vers++;
	envgrow(e, -envsize(v->name, v->len));
	pthread_rwlock_unlock(&e->lk);
	free(v->name);
	free(v->val);
	free(v);
	return 0;
}

Dev envdevtab = {
	'e', "env",
	NULL, envattach, envwalk, envstat, envopen, envcreate,
	envclose, envread, envwrite, envremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
