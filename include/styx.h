/*
 * styx.h — 9P2000 (Styx) for vxinferno: a strict message codec, a
 * multiplexing client core and a server core.  No dependency on libkern:
 * devmnt and export build on these with callbacks.
 *
 * Names: message types keep the manual's names (Tversion …); everything
 * else is prefixed Styx/STYX_/styx_ so this header can be included beside
 * kernel.h, which has its own Qid, Dir, QTDIR, DMDIR ….  StyxQid and
 * StyxDir have the same fields as Plan 9's Qid and Dir.
 *
 * Strings in an unpacked Fcall or StyxDir are NUL-terminated and point
 * into the message buffer given to the unpack call, which is modified in
 * place (each string is moved over its own 2-byte length).  They stay valid
 * as long as that buffer.  9P forbids NUL inside strings; unpack rejects it.
 * See doc/styx.md.
 */
#ifndef STYX_H
#define STYX_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	Tversion = 100, Rversion,
	Tauth = 102, Rauth,
	Tattach = 104, Rattach,
	Terror = 106, Rerror,	/* Terror is illegal */
	Tflush = 108, Rflush,
	Twalk = 110, Rwalk,
	Topen = 112, Ropen,
	Tcreate = 114, Rcreate,
	Tread = 116, Rread,
	Twrite = 118, Rwrite,
	Tclunk = 120, Rclunk,
	Tremove = 122, Rremove,
	Tstat = 124, Rstat,
	Twstat = 126, Rwstat,
	Tmax
};

enum {
	STYX_NOTAG = 0xFFFF,
	STYX_NOFID = 0xFFFFFFFFu,
	STYX_MAXWELEM = 16,
	STYX_IOHDRSZ = 24,		/* header room of Tread/Twrite/Rread */
	STYX_MINMSIZE = 256,		/* smallest msize we negotiate */
	STYX_MAXMSIZE = 4*1024*1024,	/* largest msize we accept */
	STYX_DEFMSIZE = 8192+24,
	STYX_ERRMAX = 128,
	STYX_STATFIXED = 2+2+4+13+4+4+4+8+4*2,	/* stat without strings, with size[2] */
};

/* Qid types, Dir mode bits, open modes. */
enum {
	STYX_QTDIR = 0x80, STYX_QTAPPEND = 0x40, STYX_QTEXCL = 0x20,
	STYX_QTMOUNT = 0x10, STYX_QTAUTH = 0x08, STYX_QTTMP = 0x04,
	STYX_QTFILE = 0x00,
};
#define STYX_DMDIR	0x80000000u
#define STYX_DMAPPEND	0x40000000u
#define STYX_DMEXCL	0x20000000u
#define STYX_DMMOUNT	0x10000000u
#define STYX_DMAUTH	0x08000000u
#define STYX_DMTMP	0x04000000u
enum {
	STYX_OREAD = 0, STYX_OWRITE = 1, STYX_ORDWR = 2, STYX_OEXEC = 3,
	STYX_OTRUNC = 0x10, STYX_ORCLOSE = 0x40,
};

/* Codec errors: unpack returns -code. */
enum {
	STYX_EOK,
	STYX_ESHORT,	/* message shorter than its fields */
	STYX_ESIZE,	/* size[4] differs from the buffer length */
	STYX_ETRAIL,	/* bytes left after the last field */
	STYX_ETYPE,	/* unknown or illegal message type */
	STYX_EDOTL,	/* a 9P2000.L message type */
	STYX_ESTRING,	/* string overflows its message or contains NUL */
	STYX_EWALK,	/* nwname or nwqid > MAXWELEM */
	STYX_ECOUNT,	/* count differs from the data length */
	STYX_ESTAT,	/* malformed stat */
	STYX_EBIG,	/* larger than msize */
	STYX_NERR
};
const char *styx_strerror(int code);	/* code or -code */

typedef struct StyxQid {
	uint64_t path;
	uint32_t vers;
	uint8_t type;
} StyxQid;

typedef struct StyxDir {
	uint16_t type;		/* server type */
	uint32_t dev;		/* server subtype */
	StyxQid qid;
	uint32_t mode;		/* permissions and STYX_DM* bits */
	uint32_t atime;
	uint32_t mtime;
	uint64_t length;
	char *name;
	char *uid;
	char *gid;
	char *muid;
} StyxDir;

/* One 9P message.  Fields are used as the type's line in intro(5) says;
 * the others are ignored by pack and left zero by unpack. */
typedef struct Fcall {
	uint8_t type;
	uint16_t tag;
	uint32_t fid;
	uint32_t msize;		/* Tversion, Rversion */
	char *version;		/* Tversion, Rversion */
	uint16_t oldtag;	/* Tflush */
	char *ename;		/* Rerror */
	StyxQid qid;		/* Rattach, Ropen, Rcreate */
	uint32_t iounit;	/* Ropen, Rcreate */
	StyxQid aqid;		/* Rauth */
	uint32_t afid;		/* Tauth, Tattach */
	char *uname;		/* Tauth, Tattach */
	char *aname;		/* Tauth, Tattach */
	uint32_t perm;		/* Tcreate */
	char *name;		/* Tcreate */
	uint8_t mode;		/* Tcreate, Topen */
	uint32_t newfid;	/* Twalk */
	uint16_t nwname;	/* Twalk */
	char *wname[STYX_MAXWELEM];	/* Twalk */
	uint16_t nwqid;		/* Rwalk */
	StyxQid wqid[STYX_MAXWELEM];	/* Rwalk */
	uint64_t offset;	/* Tread, Twrite */
	uint32_t count;		/* Tread, Twrite, Rread, Rwrite */
	uint8_t *data;		/* Twrite, Rread */
	uint16_t nstat;		/* Twstat, Rstat */
	uint8_t *stat;		/* Twstat, Rstat: one packed stat, size[2] included */
} Fcall;

/* Codec (conv.c, dir.c).  Sizes include the size[4] field. */
size_t styx_packsize(const Fcall *f);	/* 0: f cannot be packed */
size_t styx_pack(const Fcall *f, uint8_t *buf, size_t n);	/* bytes, 0 if invalid or n too small */
int styx_unpack(uint8_t *buf, size_t n, Fcall *f);	/* n or -STYX_E*; buf is modified */
int styx_typeok(int type);		/* a 9P2000 message type */
int styx_isdotl(int type);		/* a 9P2000.L type number */
const char *styx_typename(int type);	/* "Twalk" …, NULL if unknown */

size_t styx_dirsize(const StyxDir *d);	/* packed size incl. size[2]; 0 if invalid */
size_t styx_packdir(const StyxDir *d, uint8_t *buf, size_t n);	/* bytes, 0 if n too small */
int styx_statcheck(const uint8_t *buf, size_t n);	/* 0 if buf is exactly one valid stat, else -STYX_E* */
int styx_unpackdir(uint8_t *buf, size_t n, StyxDir *d);	/* bytes used (one stat from buf) or -STYX_E*; buf modified */
void styx_nulldir(StyxDir *d);		/* all "don't touch" values, as for Twstat */

/* Printing (fmt.c), for traces. Like snprintf: returns the length wanted. */
int styx_fmtfcall(char *buf, size_t n, const Fcall *f);
int styx_fmtdir(char *buf, size_t n, const StyxDir *d);
int styx_fmtqid(char *buf, size_t n, const StyxQid *q);

/* Message I/O (io.c).  readmsg reads one whole message of at most msize
 * bytes: returns its length, 0 on end of file before the first byte, -1
 * with errno on error (EMSGSIZE: too big; EPROTO: too small or cut short). */
long styx_readmsg(int fd, uint8_t *buf, size_t msize);
/* The same into a new buffer of the message's own size (free it); NULL
 * with *n = 0 at end of file, NULL with *n = -1 and errno on error. */
uint8_t *styx_readmsgalloc(int fd, size_t msize, long *n);
int styx_writeall(int fd, const void *buf, size_t n);	/* 0 or -1 with errno */

/* --- client (client.c) ------------------------------------------------ */

typedef struct StyxClient StyxClient;

/* An interrupt a caller owns (e.g. in its kernel proc): styx_interrupt,
 * from any thread, makes an rpc of that caller stop waiting, send Tflush
 * and fail with "interrupted" (unless the reply came first).  It stays
 * set, failing later rpcs at once, until styx_intrclear.
 * styx_abandon (a caller that is killed) does the same without waiting
 * for the Rflush, so a server that never answers cannot hold the caller:
 * the tags stay taken until the server answers them or hangs up. */
typedef struct StyxIntr {
	atomic_int set;
	atomic_int abandon;		/* styx_abandon: no wait for Rflush */
	pthread_mutex_t lk;
	pthread_mutex_t *waitlk;	/* while waiting: the client's lock */
	pthread_cond_t *waitcond;	/* and the condition slept on */
} StyxIntr;
void styx_intrinit(StyxIntr *in);
void styx_interrupt(StyxIntr *in);
void styx_abandon(StyxIntr *in);
void styx_intrclear(StyxIntr *in);

/* Negotiate the version on fd (which the client then owns) and start the
 * reader.  msize is clamped to [STYX_MINMSIZE, STYX_MAXMSIZE].  NULL on
 * failure with a message in err (e.g. a server that speaks 9P2000.L). */
StyxClient *styx_client_new(int fd, uint32_t msize, char err[STYX_ERRMAX]);
uint32_t styx_client_msize(StyxClient *c);	/* negotiated */
/* Send tx (tag assigned here) and wait for its reply.  0: *rx is the
 * R-message of tx's type, with strings and data in *rbuf (free it).
 * -1: err says why (Rerror's ename, "interrupted", a hangup …).  intr may
 * be NULL.  Tversion and Tflush are the client's own, not for callers.
 * Safe from many threads at once; not after styx_client_free began. */
int styx_rpc(StyxClient *c, Fcall *tx, Fcall *rx, uint8_t **rbuf, StyxIntr *intr, char err[STYX_ERRMAX]);
int styx_client_dead(StyxClient *c);	/* the connection is gone */
/* Hang up, fail pending rpcs, close fd.  Every call (styx_start) must
 * have been taken (styx_take) before. */
void styx_client_free(StyxClient *c);

/*
 * A request not waited for (the export's reads and writes of a mounted
 * file, which park meanwhile).  styx_start sends tx (tag assigned here)
 * and returns: 0 with *kp, -1 with err (a hangup …), or 1 when half the
 * client's tags are in flight (then use styx_rpc, which waits for one).
 * done(arg) runs once, when the outcome is known: the reply came, or
 * after styx_cancel the Rflush, or the connection died; on the client's
 * reader thread holding no lock, or on styx_start's caller if the reply
 * came before it returned.  styx_take gives the outcome as styx_rpc
 * would (0 and *rx in *rbuf, or -1: the Rerror, "interrupted" for a
 * call flushed before its reply, "hangup: …") and ends the call; done
 * has returned by then and never runs after.  A call taken before its
 * outcome is abandoned: its tags wait for the server's answers.
 * styx_cancel sends Tflush(tag), once (it may wait for a free tag);
 * a reply that comes before the Rflush is still the outcome (flush(5)).
 */
typedef struct StyxCall StyxCall;
int styx_start(StyxClient *c, Fcall *tx, void (*done)(void *arg), void *arg, StyxCall **kp, char err[STYX_ERRMAX]);
void styx_cancel(StyxCall *k);
int styx_take(StyxCall *k, Fcall *rx, uint8_t **rbuf, char err[STYX_ERRMAX]);

/* --- server (server.c) ------------------------------------------------ */

typedef struct StyxSrv StyxSrv;
typedef struct StyxConn StyxConn;
typedef struct StyxFid StyxFid;
typedef struct StyxReq StyxReq;

struct StyxFid {
	uint32_t fid;
	int omode;		/* -1 until opened */
	StyxQid qid;
	char *uid;		/* of the attach */
	uint64_t diroffset;	/* directory reads: where the next must start */
	void *aux;		/* the callbacks' */
	/* private */
	int ref;
	int live;		/* established: destroyfid is due */
	int gone;		/* out of the table (clunked, removed) */
	StyxFid *next;
};

struct StyxReq {
	Fcall ifcall;		/* the request */
	Fcall ofcall;		/* the reply the callback fills */
	StyxFid *fid;
	StyxFid *newfid;	/* Twalk with newfid != fid, Tattach, Tauth */
	StyxFid *afid;		/* Tattach with an afid */
	StyxDir d;		/* Tstat: callback fills; Twstat: the request */
	atomic_int flushed;	/* Tflush arrived: the callback should give up */
	StyxConn *conn;
	void *aux;		/* the callbacks' */
	/* private */
	uint8_t *ibuf;
	long isize;		/* what it holds (itself, ibuf), counted until it is freed */
	uint8_t *rdata;		/* Tread: the data buffer; Tstat: the stat */
	StyxReq *next;		/* on the active list */
	StyxReq *qnext;		/* on the work queue */
	StyxReq *flushers;	/* Tflushes waiting for this reply */
	StyxReq *flushnext;
	int kind;		/* the pool's job: request, reply, version, end */
	int park;		/* styx_park's state (lk) */
	int parked;		/* was parked: run again, whatever happens */
	const char *err;	/* a refusal's error; NULL: an Rflush */
	char ebuf[STYX_ERRMAX];
};

/* Callbacks return NULL on success or an error string (sent as Rerror).
 * They run on worker threads and may block (or, for a read or write
 * that would wait, park: styx_park); several run at once on one
 * connection.  Unset ones answer "operation not supported" (auth:
 * "authentication not required"). */
typedef struct StyxSrvOps {
	const char *(*auth)(StyxReq *r);	/* set r->ofcall.aqid, r->newfid->aux */
	const char *(*attach)(StyxReq *r);	/* set r->ofcall.qid, r->newfid->aux */
	const char *(*walk)(StyxReq *r);	/* walk r->fid; set ofcall.nwqid/wqid; when all
						 * names walked set r->newfid->aux (newfid may equal fid) */
	const char *(*open)(StyxReq *r);	/* set ofcall.qid (iounit optional) */
	const char *(*create)(StyxReq *r);	/* fid becomes the new file: set ofcall.qid */
	const char *(*read)(StyxReq *r);	/* fill ofcall.data (room for ifcall.count), set ofcall.count */
	const char *(*write)(StyxReq *r);	/* set ofcall.count */
	const char *(*remove)(StyxReq *r);	/* the fid is clunked whatever happens */
	const char *(*stat)(StyxReq *r);	/* fill r->d (strings must live until destroyreq) */
	const char *(*wstat)(StyxReq *r);	/* r->d holds the request */
	const char *(*clunk)(StyxReq *r);	/* optional, before the fid is dropped (ORCLOSE …) */
	void (*flush)(StyxReq *old);		/* optional: old was flushed; wake it.  Runs on the
						 * reader with the connection locked: must not block */
	void (*destroyfid)(StyxFid *f);		/* fid dropped (clunk, remove, hangup) */
	void (*destroyreq)(StyxReq *r);		/* optional: after the reply was sent */
} StyxSrvOps;

struct StyxSrv {
	const StyxSrvOps *ops;
	uint32_t msize;		/* our largest; 0: STYX_DEFMSIZE */
	int maxworkers;		/* callbacks running at once per connection; 0: 16 */
	int maxfids;		/* per connection; 0: 4096 */
	int trace;		/* print every message on stderr */
	void *aux;
};

/*
 * Parking: a read or write callback whose request would wait (a read of
 * an empty pipe) may give its worker back instead of blocking on it.
 * It calls styx_park(r), then hands r to whatever will wait for it, and
 * returns what styx_park returned.  The request stays pending: its bytes
 * count in the connection's bounds, a Tflush finds it, the connection
 * does not end; but it holds no worker and counts in no worker bound.
 * styx_unpark(r), from any thread, once per styx_park, runs the same
 * callback again on a worker (it may park again).  A parked request is
 * run again whatever happens to it: when it may go on, and also when
 * r->flushed is set (ops->flush tells of it: a Tflush, a Tclunk or
 * Tremove of its fid, a Tversion, the hangup), and the callback should
 * then give up with an error: if a Tflush asked, only the Rflush is
 * sent.  Never call styx_unpark before styx_park has returned.  Both
 * take the connection's lock, under which ops->flush runs: call them
 * holding no lock that ops->flush takes, and never from ops->flush.
 */
const char *styx_park(StyxReq *r);
void styx_unpark(StyxReq *r);

/* Serve one connection on fd until the client hangs up or the fd fails;
 * then flush what is pending and drop every fid.  The calling thread only
 * waits: the shared poller and worker pool do the work.  Does not close
 * fd.  Returns 0 on a clean hangup, -1 on a protocol or I/O error. */
int styx_serve(StyxSrv *srv, int fd);
/* The same without a thread: the connection joins the shared poller and
 * pool, and done(arg, rc) runs on a worker when it has ended (every fid
 * dropped; fd not closed).  -1 if it could not be started: errno
 * EAGAIN when the pool serves as many connections as it can promise a
 * worker each (server.c POOLCONNS; styx_serve too). */
int styx_serveasync(StyxSrv *srv, int fd, void (*done)(void *arg, int rc), void *arg);
StyxSrv *styx_connsrv(StyxConn *c);
uint32_t styx_connmsize(StyxConn *c);

/* What every connection of the process holds now (for tests and the
 * curious): bytes of requests read and not answered, connections not
 * read (for the export-wide bound of those bytes; for any reason),
 * worker threads, requests and replies on workers, of them beyond their
 * connection's first, connections served, and the bounds (server.c). */
typedef struct StyxSrvStats {
	long held, heldmax, connheld, heldfloor;
	int heldstopped, paused;
	int workers, running, shared, sharedmax, poolmax;
	int conns, connsmax;
	int parked;		/* requests parked (styx_park), on no worker */
	long unparks;		/* styx_unparks since the process began */
} StyxSrvStats;
void styx_srvstats(StyxSrvStats *st);


/* --- dial strings (dial.c): tcp!host!port, unix!/path ----------------- */
/* Host socket descriptors (close-on-exec); -1 with err on failure.
 * announce accepts tcp!*!port for every local address and replaces a
 * stale unix socket file.  listen waits at most timeoutms (-1: forever)
 * and then fails with errno ETIMEDOUT. */
int styx_dial(const char *addr, char err[STYX_ERRMAX]);
int styx_announce(const char *addr, char err[STYX_ERRMAX]);
int styx_listen(int afd, int timeoutms, char err[STYX_ERRMAX]);

#ifdef __cplusplus
}
#endif
#endif
