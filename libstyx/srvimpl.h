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
	StyxFid *fids[FIDHASH];
	int nfids, maxfids;	/* in the table; its bound */
	StyxReq *active;	/* every request between read and reply */
	int nactive;		/* and the Tflushes waiting on them */
	int nreply;		/* refusals and Rflushes queued, not yet sent */
	atomic_long held;	/* bytes of requests read and not answered, with their messages (server.c HELDMAX) */
	int heldstop;		/* not reading until the export's held bytes fall */
	atomic_int nrunning;	/* requests on workers now (changed under the pool lock) */
	int replying;		/* a refusal or Rflush on a worker (pool lock) */
	int maxworkers;
	StyxReq *vreq;		/* a Tversion waiting for the rest to finish */
	int vqueued;
	int paused;		/* not reading: too much pending, or a Tversion */
	int eof;		/* no more reading: the end comes when all is done */
	int endqueued;
	int rc;			/* for done: 0 a clean hangup, -1 an error */
	StyxReq *endreq;	/* the end's job */
	void (*done)(void *arg, int rc);
	void *donearg;
	StyxConn *pnext;	/* in the pool's list of connections */
	/* the pool's (pool.lk): jobs queued, a queue a class (requests,
	 * refusals and Rflushes, Tversion and the end), and the ring of
	 * connections with jobs queued */
	StyxReq *jobs[3], *jobstail[3];
	StyxConn *rnext;
	int inready;
	/* the poller's alone: the message being read; the list of heldstop connections */
	StyxConn *hnext;
	int inhlist;
	uint8_t hdr[4];
	int nhdr;
	uint8_t *msg;
	uint32_t msgsize, nmsg;
	pthread_mutex_t wlk;	/* one reply written at a time; after lk */
};

/* srvfid.c; lk held for all but fidput */
StyxFid *fidlookup(StyxConn *c, uint32_t fid);	/* a new reference, or NULL */
StyxFid *fidnew(StyxConn *c, uint32_t fid);	/* in the table, referenced, not live; NULL if in use or too many */
void fidremove(StyxConn *c, StyxFid *f);	/* out of the table; drops the table's reference */
void fidput(StyxConn *c, StyxFid *f);		/* drop a reference; lk not held */
void fidclunkall(StyxConn *c);			/* lk not held, no requests active */

#endif
