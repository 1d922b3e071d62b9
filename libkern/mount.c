/*
 * mount.c — the mount table: bind/mount a Chan on another (MREPL,
 * MBEFORE, MAFTER, MCREATE) and unmount.  The table is a list of Mheads
 * (mount points) per Pgrp, each with its members in union order.  A
 * namespace holds at most Maxmount members in all: a union bound after
 * itself doubles (its members are copied), so thirty binds would ask
 * for 2^30 of them.
 */
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum { Maxmount = 4096 };	/* members of one Pgrp's mount table */

static char Emountfull[] = "no space: mount table full";

static atomic_ulong mountid;

static int
nmembers(Mount *m)
{
	int n;

	for(n = 0; m != NULL; m = m->next)
		n++;
	return n;
}

/* Members in pg's table; pg->ns held. */
static int
nmounts(Pgrp *pg)
{
	Mhead *mh;
	int n;

	n = 0;
	for(mh = pg->mhead; mh != NULL; mh = mh->next)
		n += nmembers(mh->mount);
	return n;
}

static Mount *
newmount(Chan *to, int flag, char *spec, char *user)
{
	Mount *m = kzalloc(sizeof *m);
	m->to = to;
	incref(&to->ref);
	m->mflag = flag;
	m->spec = spec != NULL && spec[0] ? kstrdup(spec) : NULL;
	m->user = user != NULL ? kstrdup(user) : NULL;
	m->id = atomic_fetch_add(&mountid, 1) + 1;
	return m;
}

void
mountfree(Mount *m)
{
	Mount *next;
	for(; m != NULL; m = next){
		next = m->next;
		cclose(m->to);
		free(m->spec);
		free(m->user);
		free(m);
	}
}

/* The members to add for new: new itself, or, when new stands for a
 * union, a copy of that union's members (as Plan 9 does). */
static Mount *
newmembers(Chan *new, int flag, char *spec, char *user)
{
	Chan **mem;
	Mount *head = NULL, **tail = &head;
	int i, n;
	mem = unionmembers(new, &n);
	if(mem == NULL)
		return newmount(new, flag, spec, user);
	for(i = 0; i < n; i++){
		*tail = newmount(mem[i], flag, spec, user);
		tail = &(*tail)->next;
	}
	freemembers(mem, n);
	return head;
}

int
cmount(Chan *new, Chan *old, int flag, char *spec, char *user)
{
	Pgrp *pg = up->pgrp;
	Mhead *mh;
	Mount *nm, *last, *dead = NULL;
	Chan *gnew, *gold;
	int order = flag & MORDER, root;
	if((old->qid.type ^ new->qid.type) & QTDIR)
		return kseterr("inconsistent mount");
	if(order == MORDER)
		return kseterr(Ebadarg);
	if(order != MREPL && !(old->qid.type & QTDIR))
		return kseterr(Enotdir);
	/* what the namespace keeps of a host directory named by an
	 * attach ('#U/d/a') is a grant of that directory alone (devfs.c);
	 * bound at /, it is the namespace's root */
	root = old->path != NULL && strcmp(old->path->s, "/") == 0;
	if((gnew = fsgrant(new, root ? Grantroot : 0)) == NULL)
		return -1;
	gold = NULL;
	if(order != MREPL && (gold = fsgrant(old, root ? Grantroot : 0)) == NULL){
		cclose(gnew);
		return -1;
	}
	nm = newmembers(gnew, flag & (MCREATE|MCACHE|MORDER), spec, user);
	cclose(gnew);
	pthread_rwlock_wrlock(&pg->ns);
	mh = findmount(pg, old);
	/* what the table will hold: a new union keeps old as a member, a
	 * replacement drops what was there */
	if(nmounts(pg) + nmembers(nm) + (mh == NULL && order != MREPL)
	- (mh != NULL && order == MREPL ? nmembers(mh->mount) : 0) > Maxmount){
		pthread_rwlock_unlock(&pg->ns);
		mountfree(nm);
		if(gold != NULL)
			cclose(gold);
		return kseterr(Emountfull);
	}
	if(mh == NULL){
		mh = kzalloc(sizeof *mh);
		mh->from = old;
		incref(&old->ref);
		mh->next = pg->mhead;
		pg->mhead = mh;
		/* a union keeps the directory mounted on as a member */
		if(order != MREPL)
			mh->mount = newmount(gold, 0, NULL, NULL);
	}
	for(last = nm; last->next != NULL; last = last->next)
		;
	switch(order){
	case MREPL:
		dead = mh->mount;
		mh->mount = nm;
		break;
	case MBEFORE:
		last->next = mh->mount;
		mh->mount = nm;
		break;
	case MAFTER:
		if(mh->mount == NULL)
			mh->mount = nm;
		else{
			Mount *m;
			for(m = mh->mount; m->next != NULL; m = m->next)
				;
			m->next = nm;
		}
		break;
	}
	pthread_rwlock_unlock(&pg->ns);
	mountfree(dead);	/* closes outside the lock */
	if(gold != NULL)
		cclose(gold);
	return 0;
}

static void
mheadfree(Mhead *mh)
{
	mountfree(mh->mount);
	cclose(mh->from);
	free(mh);
}

/* Remove mounted from the mount point mnt, or everything when mounted is
 * NULL. */
int
cunmount(Chan *mnt, Chan *mounted)
{
	Pgrp *pg = up->pgrp;
	Mhead **l, *mh, *deadh = NULL;
	Mount **ml, *m, *dead = NULL;
	pthread_rwlock_wrlock(&pg->ns);
	for(l = &pg->mhead; (mh = *l) != NULL; l = &mh->next)
		if(eqchan(mh->from, mnt))
			break;
	if(mh == NULL){
		pthread_rwlock_unlock(&pg->ns);
		return kseterr(Eunmount);
	}
	if(mounted == NULL){
		*l = mh->next;
		deadh = mh;
	}else{
		for(ml = &mh->mount; (m = *ml) != NULL; ml = &m->next)
			if(eqchan(m->to, mounted))
				break;
		if(m == NULL){
			pthread_rwlock_unlock(&pg->ns);
			return kseterr(Eunion);
		}
		*ml = m->next;
		m->next = NULL;
		dead = m;
		if(mh->mount == NULL){
			*l = mh->next;
			deadh = mh;
		}
	}
	pthread_rwlock_unlock(&pg->ns);
	mountfree(dead);
	if(deadh != NULL)
		mheadfree(deadh);
	return 0;
}
