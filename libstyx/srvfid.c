/* srvfid.c — a connection's fids: a hash table of reference-counted
 * StyxFids.  The table holds one reference, each request using a fid
 * another; destroyfid runs when the last goes, so a clunk racing a read
 * on the same fid is harmless. */
#include <stdlib.h>
#include "srvimpl.h"

static StyxFid **
bucket(StyxConn *c, uint32_t fid)
{
	return &c->fids[fid % FIDHASH];
}

static StyxFid *
fidfind(StyxConn *c, uint32_t fid)
{
	StyxFid *f;

	for(f = *bucket(c, fid); f != NULL; f = f->next)
		if(f->fid == fid)
			return f;
	return NULL;
}

/* Only established fids are visible: one whose Tattach or Twalk is
 * still running has no state a request could use yet. */
StyxFid *
fidlookup(StyxConn *c, uint32_t fid)
{
	StyxFid *f;

	f = fidfind(c, fid);
	if(f == NULL || !f->live)
		return NULL;
	f->ref++;
	return f;
}

StyxFid *
fidnew(StyxConn *c, uint32_t fid)
{
	StyxFid *f, **b;

	if(fid == STYX_NOFID || fidfind(c, fid) != NULL)
		return NULL;
	if(c->nfids >= c->maxfids)
		return NULL;
	f = calloc(1, sizeof *f);
	if(f == NULL)
		return NULL;
	c->nfids++;
	f->fid = fid;
	f->omode = -1;
	f->ref = 2;		/* the table's and the caller's */
	b = bucket(c, fid);
	f->next = *b;
	*b = f;
	return f;
}

void
fidremove(StyxConn *c, StyxFid *f)
{
	StyxFid **l;

	for(l = bucket(c, f->fid); *l != NULL; l = &(*l)->next)
		if(*l == f){
			*l = f->next;
			f->next = NULL;
			c->nfids--;
			f->gone = 1;
			f->ref--;	/* never the last: the caller holds one */
			return;
		}
}

void
fidput(StyxConn *c, StyxFid *f)
{
	int last;

	if(f == NULL)
		return;
	pthread_mutex_lock(&c->lk);
	last = --f->ref == 0;
	pthread_mutex_unlock(&c->lk);
	if(!last)
		return;
	if(f->live && c->srv->ops->destroyfid != NULL)
		c->srv->ops->destroyfid(f);
	free(f->uid);
	free(f);
}

void
fidclunkall(StyxConn *c)
{
	StyxFid *f;
	int i;

	for(i = 0; i < FIDHASH; i++){
		pthread_mutex_lock(&c->lk);
		while((f = c->fids[i]) != NULL){
			f->ref++;
			fidremove(c, f);
			pthread_mutex_unlock(&c->lk);
			fidput(c, f);
			pthread_mutex_lock(&c->lk);
		}
		pthread_mutex_unlock(&c->lk);
	}
}
