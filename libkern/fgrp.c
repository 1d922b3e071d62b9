/*
 * fgrp.c — fd tables (Fgrp): allocation of the lowest free fd, lookup
 * with mode checks, copy for FORKFD.
 */
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum { DELTAFD = 16, MAXNFD = 65536 };

Fgrp *
newfgrp(void)
{
	Fgrp *f = kzalloc(sizeof *f);
	atomic_init(&f->ref, 1);
	pthread_mutex_init(&f->lk, NULL);
	f->nfd = DELTAFD;
	f->fd = kzalloc(f->nfd * sizeof(Chan*));
	return f;
}

Fgrp *
fgrpcopy(Fgrp *f)
{
	Fgrp *n = kzalloc(sizeof *n);
	int i;
	atomic_init(&n->ref, 1);
	pthread_mutex_init(&n->lk, NULL);
	pthread_mutex_lock(&f->lk);
	n->nfd = f->nfd;
	n->maxfd = f->maxfd;
	n->fd = kzalloc(n->nfd * sizeof(Chan*));
	for(i = 0; i < f->maxfd; i++)
		if((n->fd[i] = f->fd[i]) != NULL)
			incref(&n->fd[i]->ref);
	pthread_mutex_unlock(&f->lk);
	return n;
}

void
closefgrp(Fgrp *f)
{
	int i;
	if(f == NULL || decref(&f->ref) > 0)
		return;
	for(i = 0; i < f->maxfd; i++)
		cclose(f->fd[i]);
	free(f->fd);
	pthread_mutex_destroy(&f->lk);
	free(f);
}

/* Make room for fd in f; f->lk held. */
static int
growfd(Fgrp *f, int fd)
{
	int n;
	if(fd < f->nfd)
		return 0;
	if(fd >= MAXNFD)
		return kseterr("too many open files");
	n = (fd / DELTAFD + 1) * DELTAFD;
	f->fd = realloc(f->fd, n * sizeof(Chan*));
	if(f->fd == NULL)
		abort();
	memset(f->fd + f->nfd, 0, (n - f->nfd) * sizeof(Chan*));
	f->nfd = n;
	return 0;
}

static int
findfd(Fgrp *f, int start)
{
	int i;
	for(i = start; i < f->maxfd; i++)
		if(f->fd[i] == NULL)
			return i;
	return f->maxfd;
}

/* Install c (the reference passes to the table) at the lowest free fd. */
int
newfd(Chan *c)
{
	Fgrp *f = up->fgrp;
	int i;
	if(up->remote)
		return kseterr(Eremotefd);
	pthread_mutex_lock(&f->lk);
	i = findfd(f, 0);
	if(growfd(f, i) < 0){
		pthread_mutex_unlock(&f->lk);
		return -1;
	}
	f->fd[i] = c;
	if(i >= f->maxfd)
		f->maxfd = i + 1;
	pthread_mutex_unlock(&f->lk);
	return i;
}

int
newfd2(int fd[2], Chan *c[2])
{
	Fgrp *f = up->fgrp;
	int i, j;
	if(up->remote)
		return kseterr(Eremotefd);
	pthread_mutex_lock(&f->lk);
	i = findfd(f, 0);
	j = findfd(f, i + 1);
	if(j == i)
		j++;
	if(growfd(f, i) < 0 || growfd(f, j) < 0){
		pthread_mutex_unlock(&f->lk);
		return -1;
	}
	f->fd[i] = c[0];
	f->fd[j] = c[1];
	if(j >= f->maxfd)
		f->maxfd = j + 1;
	if(i >= f->maxfd)
		f->maxfd = i + 1;
	pthread_mutex_unlock(&f->lk);
	fd[0] = i;
	fd[1] = j;
	return 0;
}

/* The Chan of fd, referenced when iref.  mode >= 0 asks that the fd be
 * open for that mode (OREAD, OWRITE). */
Chan *
fdtochan(int fd, int mode, int chkmnt, int iref)
{
	Fgrp *f = up->fgrp;
	Chan *c;
	(void)chkmnt;
	if(up->remote)
		return kseterrp(Eremotefd);
	pthread_mutex_lock(&f->lk);
	if(fd < 0 || fd >= f->maxfd || (c = f->fd[fd]) == NULL){
		pthread_mutex_unlock(&f->lk);
		return kseterrp(Ebadfd);
	}
	if(iref)
		incref(&c->ref);
	pthread_mutex_unlock(&f->lk);
	if(mode < 0)
		return c;
	if(!(c->flag & COPEN) ||
	   (mode == OREAD && (c->mode & 3) == OWRITE) ||
	   (mode == OWRITE && (c->mode & 3) != OWRITE && (c->mode & 3) != ORDWR)){
		if(iref)
			cclose(c);
		return kseterrp(Ebadusefd);
	}
	return c;
}
