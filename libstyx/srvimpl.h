/* srvimpl.h — the server core's connection state, shared by server.c
 * (reading, dispatch, replies) and srvfid.c (the fid table). */
#ifndef SRVIMPL_H
#define SRVIMPL_H

#include "styximpl.h"

enum { FIDHASH = 64 };

struct StyxConn {
	StyxSrv *srv;
	int fd;
	uint32_t msize;		/* negotiated; our largest before Tversion */
	int versioned;		/* a Tversion was answered */
	pthread_mutex_t lk;	/* everything below */
	pthread_cond_t work;	/* queue has requests, or closing */
	pthread_cond_t idle;	/* a request finished or a worker left */
	StyxFid *fids[FIDHASH];
	int nfids, maxfids;	/* in the table; its bound */
	StyxReq *active;	/* every request between read and reply */
	int nactive;
	StyxReq *qhead, *qtail;	/* requests no worker has taken yet */
	int nworkers, nidle, maxworkers;
	int closing;
	pthread_mutex_t wlk;	/* one reply written at a time; after lk */
};

/* srvfid.c; lk held for all but fidput */
StyxFid *fidlookup(StyxConn *c, uint32_t fid);	/* a new reference, or NULL */
StyxFid *fidnew(StyxConn *c, uint32_t fid);	/* in the table, referenced, not live; NULL if in use or too many */
void fidremove(StyxConn *c, StyxFid *f);	/* out of the table; drops the table's reference */
void fidput(StyxConn *c, StyxFid *f);		/* drop a reference; lk not held */
void fidclunkall(StyxConn *c);			/* lk not held, no requests active */

#endif
