/*
 * devsrv.c — #s, the service registry, as Plan 9's srv: create a file,
 * write the number of an open fd into it, and from then on every open of
 * the file yields that fd's Chan.  One registry for each sandbox
 * (Proc.box, NEWBOX; 0 for procs in none): this is how one proc offers
 * a file service to another, and no sandbox sees, opens, takes the name
 * of or removes another's posts, or the host's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum {
	Maxsrvname = 255,
	Maxsrv = 1024,	/* posts of one namespace: each keeps its Chan */
};

static char Esrvfull[] = "no space: too many posts in #s";

typedef struct Srv Srv;
struct Srv {
	Srv *next;
	char *name;
	char owner[KNAMELEN];
	ulong perm;
	uvlong path;
	int ns;			/* the sandbox it was made in (Proc.box) */
	Chan *chan;		/* posted, or NULL until the write */
};

static pthread_mutex_t srvlk = PTHREAD_MUTEX_INITIALIZER;
static Srv *srvs;
static uvlong srvpath = 1;
static _Thread_local char srvname[Maxsrvname + 1];

static int
curns(void)
{
	return up != NULL ? up->srvbox : 0;
}

/* The post called name (or with qid path), of the current proc's
 * namespace; srvlk held. */
static Srv *
srvlookup(char *name, uvlong path)
{
	Srv *s;
	for(s = srvs; s != NULL; s = s->next)
		if(s->ns == curns() && (name != NULL ? strcmp(s->name, name) == 0 : s->path == path))
			return s;
	return NULL;
}

/* Posts of the current proc's namespace; srvlk held. */
static int
nsrvs(void)
{
	Srv *s;
	int n;

	n = 0;
	for(s = srvs; s != NULL; s = s->next)
		n += s->ns == curns();
	return n;
}

/* srvlk held */
static int
srvgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	Srv *s;
	(void)tab; (void)ntab;
	if(name != NULL)
		s = srvlookup(name, 0);
	else
		for(s = srvs; s != NULL; s = s->next)
			if(s->ns == curns() && i-- == 0)
				break;
	if(s == NULL)
		return -1;
	snprintf(srvname, sizeof srvname, "%s", s->name);
	devdir(c, mkqid(s->path, 0, QTFILE), srvname, 0, s->owner, s->perm, d);
	return 1;
}

static Chan *
srvattach(char *spec)
{
	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	return devattach('s', spec);
}

static Walkqid *
srvwalk(Chan *c, Chan *nc, char **name, int nname)
{
	Walkqid *wq;
	pthread_mutex_lock(&srvlk);
	wq = devwalk(c, nc, name, nname, NULL, 0, srvgen);
	pthread_mutex_unlock(&srvlk);
	return wq;
}

static int
srvstat(Chan *c, uchar *db, int n)
{
	int r;
	pthread_mutex_lock(&srvlk);
	r = devstat(c, db, n, NULL, 0, srvgen);
	pthread_mutex_unlock(&srvlk);
	return r;
}

static Chan *
srvopen(Chan *c, int omode)
{
	Srv *s;
	Chan *f;
	if(c->qid.type & QTDIR){
		if((omode & 3) != OREAD)
			return kseterrp(Eisdir);
		c->mode = OREAD;
		c->flag |= COPEN;
		c->offset = 0;
		return c;
	}
	pthread_mutex_lock(&srvlk);
	s = srvlookup(NULL, c->qid.path);
	if(s == NULL){
		pthread_mutex_unlock(&srvlk);
		return kseterrp(Enonexist);
	}
	if(!devpermok(s->perm, s->owner, omode)){
		pthread_mutex_unlock(&srvlk);
		return kseterrp(Eperm);
	}
	f = s->chan;
	if(f == NULL){
		pthread_mutex_unlock(&srvlk);
		return kseterrp(Enosrv);
	}
	incref(&f->ref);
	pthread_mutex_unlock(&srvlk);
	if(!openmodeok(f, omode)){
		cclose(f);
		return kseterrp(Eperm);
	}
	cclose(c);
	return f;
}

static int
srvcreate(Chan *c, char *name, int omode, ulong perm)
{
	Srv *s;
	if(!(c->qid.type & QTDIR))
		return kseterr(Enotdir);
	if(perm & DMDIR)
		return kseterr(Eperm);
	if(strlen(name) > Maxsrvname)
		return kseterr(Etoobig);
	pthread_mutex_lock(&srvlk);
	if(srvlookup(name, 0) != NULL){
		pthread_mutex_unlock(&srvlk);
		return kseterr(Eexist);
	}
	if(nsrvs() >= Maxsrv){
		pthread_mutex_unlock(&srvlk);
		return kseterr(Esrvfull);
	}
	s = kzalloc(sizeof *s);
	s->name = kstrdup(name);
	snprintf(s->owner, sizeof s->owner, "%s", up->user);
	s->perm = perm & 0777;
	s->path = srvpath++;
	s->ns = curns();
	s->next = srvs;
	srvs = s;
	c->qid = mkqid(s->path, 0, QTFILE);
	pthread_mutex_unlock(&srvlk);
	c->mode = omode & 3;
	c->flag |= COPEN;
	return 0;
}

static void
srvclose(Chan *c)
{
	(void)c;
}

static long
srvread(Chan *c, void *buf, long n, vlong off)
{
	long r;
	(void)off;
	if(!(c->qid.type & QTDIR))
		return kseterr(Eperm);
	pthread_mutex_lock(&srvlk);
	r = devdirread(c, buf, n, NULL, 0, srvgen);
	pthread_mutex_unlock(&srvlk);
	return r;
}

/* Writing an fd number posts that fd's Chan. */
static long
srvwrite(Chan *c, void *buf, long n, vlong off)
{
	char tmp[16], *e;
	long fd;
	Chan *f;
	Srv *s;
	(void)off;
	if(n <= 0 || n >= (long)sizeof tmp)
		return kseterr(Ebadarg);
	memcpy(tmp, buf, n);
	tmp[n] = 0;
	fd = strtol(tmp, &e, 10);
	if(e == tmp || (*e != 0 && *e != '\n'))
		return kseterr(Ebadarg);
	f = fdtochan(fd, -1, 0, 1);
	if(f == NULL)
		return -1;
	pthread_mutex_lock(&srvlk);
	s = srvlookup(NULL, c->qid.path);
	if(s == NULL || s->chan != NULL){
		pthread_mutex_unlock(&srvlk);
		cclose(f);
		return kseterr(s == NULL ? Enonexist : Eexist);
	}
	s->chan = f;
	pthread_mutex_unlock(&srvlk);
	return n;
}

static int
srvremove(Chan *c)
{
	Srv **l, *s;
	if(c->qid.type & QTDIR)
		return kseterr(Eperm);
	pthread_mutex_lock(&srvlk);
	for(l = &srvs; (s = *l) != NULL; l = &s->next)
		if(s->path == c->qid.path && s->ns == curns())
			break;
	if(s == NULL){
		pthread_mutex_unlock(&srvlk);
		return kseterr(Enonexist);
	}
	if(strcmp(up->user, s->owner) != 0 && strcmp(up->user, kern.eve) != 0){
		pthread_mutex_unlock(&srvlk);
		return kseterr(Eperm);
	}
	*l = s->next;
	pthread_mutex_unlock(&srvlk);
	cclose(s->chan);
	free(s->name);
	free(s);
	return 0;
}

Dev srvdevtab = {
	's', "srv",
	NULL, srvattach, srvwalk, srvstat, srvopen, srvcreate,
	srvclose, srvread, srvwrite, srvremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
