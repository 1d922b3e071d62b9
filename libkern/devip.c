/*
 * devip.c — #I, the network device over host sockets, in the file
 * layout of Plan 9's and Inferno's ip(3):
 *
 *	#I/cs				name lookup: write "net!host!service",
 *					read "/net/tcp/clone addr!port" lines
 *	#I/{tcp,udp,unix}/clone		open: a new conversation (its ctl)
 *	#I/{tcp,udp,unix}/N/ctl		read: N; write: connect, announce,
 *					bind, hangup, keepalive, headers,
 *					shutdown, peek, oob, urgent,
 *					passfd, reuseport, sndbuf, rcvbuf,
 *					v6only, oobinline
 *	#I/{tcp,udp,unix}/N/data	the conversation's bytes
 *	#I/{tcp,udp,unix}/N/listen	open: wait for a caller; yields the
 *					new conversation's ctl
 *	#I/{tcp,udp,unix}/N/{local,remote,status}
 *	#I/unix/N/fds			read: open files passed with the
 *					bytes at the read position (below)
 *
 * '#Iunix' is the same device with only unix in its top directory: local
 * sockets for a guest that is given no network (vxinferno without -N).
 *
 * tcp and udp are host sockets.  unix is local to this kernel: its
 * addresses are names in a table here, never host paths, one table for
 * each sandbox (Proc.box, as #s's registry: a guest can neither reach
 * nor take another sandbox's names, abstract or paths); a connect
 * makes a host socketpair, one end for the caller, one queued for the
 * announcer's listen (of the conversation's type: a datagram or
 * seqpacket pair keeps message boundaries); a datagram conversation
 * that binds a name gets an inbox others write to ("to", "connect"),
 * each datagram after its sender's name.  So AF_UNIX works inside the
 * sandbox and reaches nothing outside it.  udp reads and writes carry Plan 9's 52-byte
 * header (raddr, laddr, ifcaddr as 16-byte IPv6 addresses, rport,
 * lport, big-endian) after "headers"; without it a udp conversation
 * must be connected.  Waits poll the host socket together with the
 * proc's wake-up eventfd, so a kill or kinterrupt ends them.
 *
 * Passing open files (SCM_RIGHTS) over a unix connection: the two ends
 * share a Ulink, which holds for each end the files on their way to
 * it, each batch marked with the stream offset of the byte it travels
 * with.  The ctl message "passfd FD…" takes Chans from the writer's own
 * fd table (an export's client has none: refused, as is its read of fds) (referenced: the writer may close its fds at once) and hangs
 * them on the conversation's next data write.  The peer reads its fds
 * file at an offset that says how many bytes it is about to read: when
 * the first batch's byte is among them, the batch's Chans are installed
 * in the reader's fd table (lowest free fds); the answer is "off len
 * fd/mode/flags …": where that batch's write begins and its length (the
 * reader stops at its end, as Linux's recvmsg stops after a message
 * that carried files), then the new fds if taken; "-1 0" when nothing
 * is in flight.  Bytes read past a batch's first byte drop it (its
 * Chans closed), as a plain read drops them on Linux; so do both
 * ends' closes.  Only Chans travel, never host descriptors.
 * Conversations that only their own files in flight keep open (a
 * socketpair sent over itself, then closed) are collected, as Linux
 * collects them: unixcollect, when a unix conversation is closed while
 * such files are in flight (nflight), as Linux's close does, and
 * before each new one.
 *
 * A data file's stat gives the bytes queued as its length and the bytes
 * ever arrived (mod 2^32) as its qid.vers; a unix announcement's ctl
 * and listen count its callers in qid.vers: what epoll's EPOLLET tells
 * new arrivals by (vxrun/sysmore.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

enum {
	Qtopdir = 1, Qcs, Qprotodir, Qclone, Qconvdir, Qctl, Qdata, Qlisten,
	Qlocal, Qremote, Qstatus, Qfds,	/* Qfds: vxrun/syssock.c checks its number (Qfdsfile) */
	Ptcp = 0, Pudp, Punix, Nproto,
	Maxpass = 253,		/* files per batch: Linux's SCM_MAX_FD */
	Maxbatch = 1024,	/* batches in flight towards one end */
	Fdsmsg = 4096,		/* a read of fds must take this (Maxpass answers) */
	Maxflags = 0xffff,	/* passfd's FLAGS: an answer stays under 16 bytes */
	Maxconv = 65536,	/* conversations per protocol, of every sandbox */
	Boxconv = 1024,		/* conversations per protocol of one sandbox */
	Remoteconv = Maxconv/16,	/* of every export's clients together (Proc.remote) */
	Nbacklog = 64,		/* unix: callers waiting for a listen */
	Maxdgramq = 10,		/* unix: a receiver not connected to the sender is full
				 * with more than this queued (Linux's max_dgram_qlen) */
	Hdrlen = 52,		/* udp headers */
	Maxaddr = 128,
	Maxuname = 1024,	/* unix: a name (vxrun writes its bytes %XX) */
	Devall = 0, Devunix,	/* Chan.dev: all of #I, or only unix ('#Iunix') */
};

/* qid.path: conversation+1 << 8 | protocol << 4 | file */
#define QID(p, c, t)	(((uvlong)(c) << 8) | ((p) << 4) | (t))
#define TYPE(q)		((int)((q).path & 0xF))
#define PROTO(q)	((int)(((q).path >> 4) & 0xF))
#define CONV(q)		((int)((q).path >> 8))

typedef struct Conv Conv;
typedef struct Rights Rights;
typedef struct Ulink Ulink;
typedef struct Uconv Uconv;
typedef struct Ubacklog Ubacklog;

/* Files passed with the byte at offset pos of the stream. */
struct Rights {
	Rights *next;
	uvlong pos;
	long len;		/* of the write they go with */
	int carries;		/* a unix conversation's file among them (nflight) */
	int n;
	Chan *c[Maxpass];
	uint fl[Maxpass];	/* the writer's words about each (FD/FLAGS) */
};

/* The two ends of a unix connection (under iplk). */
struct Ulink {
	int ref;
	char *caller;		/* the caller's name (its listener's peer), or NULL */
	Rights *q[2];		/* on their way to end i */
	int nq[2];
	int cred[2][3];		/* end i's user: pid, uid, gid (its "cred") */
};

/* A unix conversation's names (each as long as it is: setname) and
 * an announcement's callers, only while it is in use, given back at
 * its last close: a Conv's slot stays for ever (devdir's Dirs point at
 * its num and owner), so it holds no more than it must. */
struct Uconv {
	char *name;		/* the bound or announced name */
	char *spelled;		/* that name as its binder gave it, if not name */
	char *peer;		/* the peer's name, as it gave it */
	char *to;		/* datagrams: where the next write goes ("to") */
	Ubacklog *bl;		/* an announcement's callers, or NULL */
};

/* What a unix conversation's Uconv is charged to its sandbox: the
 * most its names can take, so that setting one never fails. */
#define Ucharge	((vlong)sizeof(Uconv) + 4 * Maxuname)

struct Ubacklog {
	int q[Nbacklog];	/* callers' socketpair ends for listen */
	Ulink *ql[Nbacklog];	/* their links */
	Boxacct *qacct[Nbacklog];	/* the sandboxes each is charged to (boxfd.c) */
};

struct Conv {
	int x;			/* index in its protocol */
	char num[8];		/* x as its directory's name (devdir keeps the pointer: a
				 * Conv is never freed) */
	int proto;
	int inuse;		/* opens of its files (and clone's) */
	int fd;			/* host socket, or -1 */
	int family;		/* of fd */
	int state;
	int headers;		/* udp: reads and writes carry a header */
	int reuseport;		/* tcp, udp: SO_REUSEPORT on its host socket ("reuseport") */
	int sndbuf, rcvbuf;	/* tcp, udp: SO_SNDBUF, SO_RCVBUF asked for ("sndbuf n"), or 0 */
	int v6only;		/* tcp, udp: IPV6_V6ONLY of an IPv6 host socket ("v6only n") */
	int oobinline;		/* tcp: SO_OOBINLINE of its host socket ("oobinline n") */
	int peek;		/* the next data read leaves its bytes queued */
	pthread_mutex_t rlk;	/* a stream's: its reads, and holder */
	pthread_cond_t rcv;	/* holder let it go */
	Proc *holder;		/* a stream's: the copy whose peeked bytes no other read takes
				 * till it takes them (kpipecopy, ipunread) */
	int oob;		/* tcp: the next data read takes the urgent byte */
	int urgent;		/* tcp: the next data write is urgent data */
	uvlong nread;		/* bytes taken by data reads */
	uvlong nwritten;	/* unix: bytes written */
	ulong ncalls;		/* unix: callers ever queued for listen */
	Ulink *link;		/* unix: shared with the other end, or NULL */
	int side;		/* which end of link */
	Rights *pend;		/* passfd's files for the next write */
	char owner[KNAMELEN];
	int named;		/* unix: name is bound (taken from others) */
	int stype;		/* unix: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	int inbox;		/* unix datagrams: the host socket others' sends go to, or -1 */
	Boxacct *inacct;	/* the sandbox inbox is charged to */
	int from;		/* unix datagrams: the next data read gives the sender first */
	int hasto;		/* unix datagrams: the next data write goes to "to" */
	int dgto;		/* unix datagrams: the conversation connect named (its x;
				 * writes go there), or -1 */
	ulong dgtogen;		/* and its gen, so that a slot used again is not it */
	ulong gen;		/* which use of its slot this is */
	ulong dgin, dgread;	/* unix datagrams: into its inbox and read from it, ever */
	Rights *inq;		/* files on their way with inbox datagrams (pos: dgin's) */
	int ninq;
	int err;		/* a host errno for the next data read or write, or 0 */
	int nowait;		/* the next data write fails rather than waits */
	int cred[3];		/* unix: its user's pid, uid, gid ("cred", from vxrun) */
	int peercred[3];	/* unix: its peer's, when it connected */
	int nq;			/* unix: callers in u->q */
	Uconv *u;		/* unix: its names and callers, while in use; else NULL */
	Boxacct *uacct;		/* the sandbox u is charged to (its kernel memory) */
	Boxacct *acct;		/* the sandbox fd is charged to */
	int box;		/* unix: the sandbox whose names it uses (Proc.box) */
	int remote;		/* made for an export's client (Proc.remote) */
};

enum { Sidle, Sbound, Sannounced, Sconnected, Sclosed };
static char *statename[] = { "Idle", "Bound", "Announced", "Established", "Closed" };
static char *protoname[Nproto] = { "tcp", "udp", "unix" };

extern Dev ipdevtab;
static pthread_mutex_t iplk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ipcv = PTHREAD_COND_INITIALIZER;	/* a unix caller queued */
static pthread_cond_t dgcv = PTHREAD_COND_INITIALIZER;	/* room in an inbox, or one went */
static Conv *convs[Nproto][Maxconv];
static int nconv[Nproto];
static atomic_int nflight;	/* batches carrying a unix conversation's file */
static _Thread_local int collecting;	/* this thread runs unixcollect */

/* cs: the answer to the last query, per open, in Chan.aux */

static Chan *
ipattach(char *spec)
{
	Chan *c;

	int dev;

	if(spec == NULL || spec[0] == 0)
		dev = Devall;
	else if(strcmp(spec, "unix") == 0)
		dev = Devunix;
	else
		return kseterrp(Ebadarg);
	c = devattach('I', spec);
	c->dev = dev;
	c->qid = mkqid(QID(0, 0, Qtopdir), 0, QTDIR);
	return c;
}

static Conv *
convof(Qid q)
{
	Conv *cv;

	if(PROTO(q) >= Nproto || CONV(q) >= Maxconv)
		return NULL;
	pthread_mutex_lock(&iplk);
	cv = convs[PROTO(q)][CONV(q)];
	pthread_mutex_unlock(&iplk);
	return cv;
}

/*
 * Whether the caller may see cv: the conversations of its own sandbox
 * only (the table is one for every sandbox of the host process), as its
 * unix names are; the embedding's own procs (in none) see them all.  A
 * guest of another sandbox (or an export's client, whose connection is
 * a sandbox of its own) listed, opened and read them: another
 * sandbox's socket's bytes, its ctl.  What it has open stays its own.
 */
static int
convseen(Conv *cv)
{
	return up == NULL || up->box == 0 || cv->box == up->box;
}

static void
ipinit(void)
{
}

static int
ipgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	static char *convfiles[] = { "ctl", "data", "listen", "local", "remote", "status", "fds" };
	int p, j, t, n, queued;
	vlong len;
	Conv *cv;
	Qid q;

	(void)tab; (void)ntab;
	t = TYPE(c->qid);
	p = PROTO(c->qid);
	if(name != NULL && strcmp(name, "..") == 0){
		if(t == Qtopdir || t == Qcs || t == Qprotodir || t == Qclone)
			devdir(c, mkqid(QID(0, 0, Qtopdir), 0, QTDIR), "#I", 0, kern.eve, 0555, d);
		else
			devdir(c, mkqid(QID(p, 0, Qprotodir), 0, QTDIR), protoname[p], 0, kern.eve, 0555, d);
		return 1;
	}
	switch(t){
	case Qtopdir:
	case Qcs:
		if(c->dev == Devunix){
			if(name != NULL ? strcmp(name, protoname[Punix]) != 0 : i != 0)
				return -1;
			devdir(c, mkqid(QID(Punix, 0, Qprotodir), 0, QTDIR), protoname[Punix], 0, kern.eve, 0555, d);
			return 1;
		}
		if(name != NULL){
			if(strcmp(name, "cs") == 0)
				i = Nproto;
			else{
				for(i = 0; i < Nproto; i++)
					if(strcmp(name, protoname[i]) == 0)
						break;
				if(i == Nproto)
					return -1;
			}
		}
		if(i < 0 || i > Nproto)
			return -1;
		if(i == Nproto){
			devdir(c, mkqid(QID(0, 0, Qcs), 0, QTFILE), "cs", 0, kern.eve, 0666, d);
			return 1;
		}
		devdir(c, mkqid(QID(i, 0, Qprotodir), 0, QTDIR), protoname[i], 0, kern.eve, 0555, d);
		return 1;
	case Qprotodir:
	case Qclone:
		if(name != NULL){
			if(strcmp(name, "clone") == 0){
				i = 0;
			}else{
				char *e;
				long x;

				if(name[0] < '0' || name[0] > '9')
					return -1;
				x = strtol(name, &e, 10);
				if(*e != 0 || x >= Maxconv || (name[0] == '0' && name[1] != 0))
					return -1;
				if((cv = convof(mkqid(QID(p, x, 0), 0, 0))) == NULL || !convseen(cv))
					return -1;
				i = x + 1;
			}
		}
		if(i < 0)
			return -1;
		if(i == 0){
			devdir(c, mkqid(QID(p, 0, Qclone), 0, QTFILE), "clone", 0, kern.eve, 0666, d);
			return 1;
		}
		/* entry i: the (i-1)th conversation slot, skipping empty ones */
		pthread_mutex_lock(&iplk);
		n = nconv[p];
		pthread_mutex_unlock(&iplk);
		if(i - 1 >= n)
			return -1;
		cv = convof(mkqid(QID(p, i - 1, 0), 0, 0));
		if(cv == NULL || !convseen(cv))
			return 0;
		devdir(c, mkqid(QID(p, i - 1, Qconvdir), 0, QTDIR), cv->num, 0, cv->owner, 0555, d);
		return 1;
	default:
		cv = convof(c->qid);
		if(cv == NULL || !convseen(cv))
			return -1;
		if(name != NULL){
			for(j = 0; j < 7; j++)
				if(strcmp(name, convfiles[j]) == 0)
					break;
			i = j;
		}
		if(i < 0 || i >= 7 || (i == 6 && p != Punix))
			return -1;
		q = mkqid(QID(p, cv->x, Qctl + i), 0, QTFILE);
		len = 0;
		if(Qctl + i == Qdata && cv->fd >= 0 && ioctl(cv->fd, FIONREAD, &queued) == 0 && queued > 0){
			/* data: the bytes queued, and as the version the bytes
			 * ever arrived, so a poller can tell new data from old */
			len = queued;
		}
		if(Qctl + i == Qdata)
			q.vers = (ulong)(cv->nread + len);
		else if((Qctl + i == Qctl || Qctl + i == Qlisten) && p == Punix)
			q.vers = cv->ncalls;	/* a unix announcement's callers */
		devdir(c, q, convfiles[i], len, cv->owner, i == 0 || i == 1 || i == 2 ? 0660 : 0444, d);
		return 1;
	}
}

static Walkqid *
ipwalk(Chan *c, Chan *nc, char **name, int nname)
{
	Walkqid *wq;
	int i;

	wq = devwalk(c, nc, name, nname, NULL, 0, ipgen);
	if(wq == NULL)
		return NULL;
	/* ".." from a device-made qid: devwalk gives qid 0; go up one level */
	for(i = 0; i < wq->nqid; i++)
		if(wq->qid[i].path == 0)
			wq->qid[i] = mkqid(QID(0, 0, Qtopdir), 0, QTDIR);
	if(wq->clone != NULL && wq->clone->qid.path == 0)
		wq->clone->qid = mkqid(QID(0, 0, Qtopdir), 0, QTDIR);
	return wq;
}

static int
ipstat(Chan *c, uchar *db, int n)
{
	Dir d;
	int m;

	switch(TYPE(c->qid)){
	case Qtopdir:
		devdir(c, c->qid, "#I", 0, kern.eve, 0555, &d);
		break;
	case Qprotodir:
		devdir(c, c->qid, protoname[PROTO(c->qid)], 0, kern.eve, 0555, &d);
		break;
	case Qconvdir:{
		char buf[16];

		snprintf(buf, sizeof buf, "%d", CONV(c->qid));
		devdir(c, c->qid, buf, 0, kern.eve, 0555, &d);
		m = convD2M(&d, db, n);
		return m == 0 ? kseterr(Eshortstat) : m;
	}
	default:
		return devstat(c, db, n, NULL, 0, ipgen);
	}
	m = convD2M(&d, db, n);
	return m == 0 ? kseterr(Eshortstat) : m;
}

static void unixcollect(void);

/* Whether box has Boxconv conversations of protocol p, or, for an
 * export's client (remote), every client of every export Remoteconv
 * (iplk held): the table is shared by every sandbox of the host process,
 * so that one cannot take all of it.  Each export connection is a
 * sandbox of its own, so callers together (64 connections of 1024)
 * filled the table, and neither a guest nor the host had one left. */
static int
boxfull(int p, int box, int remote)
{
	Conv *cv;
	int i, n, nr;

	n = nr = 0;
	for(i = 0; i < nconv[p]; i++){
		cv = convs[p][i];
		if(cv == NULL || cv->inuse == 0)
			continue;
		if(cv->box == box && ++n >= Boxconv)
			return 1;
		if(remote && cv->remote && ++nr >= Remoteconv)
			return 1;
	}
	return 0;
}

static char noname[] = "";

/* *p made a copy of s (noname for ""), or freed (s NULL) (iplk held). */
static void
setname(char **p, char *s)
{
	if(*p != noname)
		free(*p);
	*p = s == NULL || s[0] == 0 ? noname : kstrdup(s);
}

/* The Uconv taken off cv, its names freed (iplk held). */
static Uconv *
uconvtake(Conv *cv)
{
	Uconv *u;

	u = cv->u;
	if(u != NULL){
		setname(&u->name, NULL);
		setname(&u->spelled, NULL);
		setname(&u->peer, NULL);
		setname(&u->to, NULL);
	}
	cv->u = NULL;
	return u;
}

/* A unix conversation's Uconv given back (NULL: none). */
static void
uconvfree(Uconv *u, Boxacct *acct)
{
	if(u == NULL)
		return;
	if(u->bl != NULL){
		kboxmemcharge(acct, -(vlong)sizeof *u->bl);
		free(u->bl);
	}
	free(u);
	kboxmemcharge(acct, -(vlong)Ucharge);
	kboxput(acct);
}

/* A free conversation of protocol p, in use once (the caller's open). */
static Conv *
newconv(int p)
{
	Boxacct *uacct;
	Uconv *u;
	Conv *cv;
	int i;

	u = NULL;
	uacct = NULL;
	if(p == Punix){
		unixcollect();
		/* its names are the sandbox's kernel memory: charged as
		 * the most they can take, so a name never fails for it */
		uacct = kboxacct(up);
		if(kboxmemcharge(uacct, Ucharge) < 0){
			kboxput(uacct);
			return kseterrp(Enomem);
		}
		u = kzalloc(sizeof *u);
		u->name = u->spelled = u->peer = u->to = noname;
	}
	pthread_mutex_lock(&iplk);
	if(boxfull(p, up != NULL ? up->box : 0, up != NULL && up->remote)){
		pthread_mutex_unlock(&iplk);
		uconvfree(u, uacct);
		return kseterrp("no free conversations");
	}
	for(i = 0; i < Maxconv; i++){
		cv = convs[p][i];
		if(cv == NULL){
			cv = kzalloc(sizeof *cv);
			pthread_mutex_init(&cv->rlk, NULL);
			pthread_cond_init(&cv->rcv, NULL);
			cv->x = i;
			snprintf(cv->num, sizeof cv->num, "%d", i);
			cv->proto = p;
			convs[p][i] = cv;
			if(i >= nconv[p])
				nconv[p] = i + 1;
		}else if(cv->inuse > 0)
			continue;
		cv->inuse = 1;
		cv->fd = -1;
		cv->acct = NULL;
		cv->family = AF_INET;
		cv->state = Sidle;
		cv->headers = cv->reuseport = 0;
		cv->sndbuf = cv->rcvbuf = 0;
		cv->v6only = cv->oobinline = 0;
		cv->peek = cv->oob = cv->urgent = 0;
		cv->holder = NULL;
		cv->nread = cv->nwritten = 0;
		cv->ncalls = 0;
		cv->link = NULL;
		cv->pend = NULL;
		cv->u = u;
		cv->uacct = uacct;
		cv->named = 0;
		cv->stype = SOCK_STREAM;
		cv->inbox = -1;
		cv->inacct = NULL;
		cv->from = cv->hasto = 0;
		cv->dgto = -1;
		cv->gen++;
		cv->dgin = cv->dgread = 0;
		cv->inq = NULL;
		cv->ninq = 0;
		cv->err = cv->nowait = 0;
		cv->cred[0] = cv->peercred[0] = 0;
		cv->cred[1] = cv->cred[2] = cv->peercred[1] = cv->peercred[2] = -1;
		cv->nq = 0;
		snprintf(cv->owner, sizeof cv->owner, "%s", up != NULL ? up->user : kern.eve);
		cv->box = up != NULL ? up->box : 0;
		cv->remote = up != NULL && up->remote;
		pthread_mutex_unlock(&iplk);
		return cv;
	}
	pthread_mutex_unlock(&iplk);
	uconvfree(u, uacct);
	return kseterrp("no free conversations");
}

/* One more open of the conversation q names, which must be in use
 * (convrelease undoes it); NULL with the error set otherwise. */
static Conv *
convhold(Qid q)
{
	Conv *cv;

	cv = convof(q);
	if(cv == NULL)
		return kseterrp(Enonexist);
	pthread_mutex_lock(&iplk);
	if(cv->inuse == 0 || !convseen(cv)){
		pthread_mutex_unlock(&iplk);
		return kseterrp(Enonexist);
	}
	cv->inuse++;
	pthread_mutex_unlock(&iplk);
	return cv;
}

/* A batch's memory given back (its Chans closed or taken already). */
static void
rightsgone(Rights *r)
{
	if(r->carries)
		atomic_fetch_sub(&nflight, 1);
	free(r);
}

/* Close the Chans of a list of batches (never under iplk: a Chan may
 * be a file of another conversation). */
static void
freerights(Rights *r)
{
	Rights *next;
	int i;

	for(; r != NULL; r = next){
		next = r->next;
		for(i = 0; i < r->n; i++)
			cclose(r->c[i]);
		rightsgone(r);
	}
}

/* Let go of end side of link (iplk held); the batches to free. */
static Rights *
unlink1(Ulink *l, int side)
{
	Rights *r, **e;

	if(l == NULL)
		return NULL;
	r = l->q[side];		/* nobody will read them now */
	l->q[side] = NULL;
	l->nq[side] = 0;
	if(--l->ref == 0){
		for(e = &r; *e != NULL; e = &(*e)->next)
			;
		*e = l->q[!side];
		free(l->caller);
		free(l);
	}
	return r;
}

/* The batches of queue q (*nq long) read past (pos < nread), taken
 * off (iplk held). */
static Rights *
stalerights(Rights **q, int *nq, uvlong nread)
{
	Rights *r, **e;

	r = NULL;
	e = &r;
	while(*q != NULL && (*q)->pos < nread){
		*e = *q;
		*q = (*e)->next;
		(*nq)--;
		e = &(*e)->next;
		*e = NULL;
	}
	return r;
}

/* The last open of a conversation went: its socket and queue go too. */
static void
convrelease(Conv *cv)
{
	Rights *drop, *r, **e;
	Boxacct *acct, *inacct, *uacct;
	int i, fd, inbox;
	Uconv *u;

	pthread_mutex_lock(&iplk);
	if(--cv->inuse > 0){
		pthread_mutex_unlock(&iplk);
		return;
	}
	fd = cv->fd;
	cv->fd = -1;
	acct = cv->acct;
	cv->acct = NULL;
	inbox = cv->inbox;
	cv->inbox = -1;
	inacct = cv->inacct;
	cv->inacct = NULL;
	drop = cv->pend;
	cv->pend = NULL;
	for(i = 0; i < cv->nq; i++){
		close(cv->u->bl->q[i]);
		fdgiveback(cv->u->bl->qacct[i]);
		if((r = unlink1(cv->u->bl->ql[i], 1)) != NULL){
			for(e = &r; *e != NULL; e = &(*e)->next)
				;
			*e = drop;
			drop = r;
		}
	}
	cv->nq = 0;
	if((r = unlink1(cv->link, cv->side)) != NULL){
		for(e = &r; *e != NULL; e = &(*e)->next)
			;
		*e = drop;
		drop = r;
	}
	cv->link = NULL;
	if((r = cv->inq) != NULL){
		for(e = &r; *e != NULL; e = &(*e)->next)
			;
		*e = drop;
		drop = r;
		cv->inq = NULL;
		cv->ninq = 0;
	}
	cv->dgto = -1;
	u = uconvtake(cv);
	uacct = cv->uacct;
	cv->uacct = NULL;
	cv->named = 0;
	cv->state = Sclosed;
	pthread_cond_broadcast(&dgcv);	/* its senders find it gone */
	pthread_mutex_unlock(&iplk);
	if(fd >= 0){
		close(fd);
		fdgiveback(acct);
	}
	if(inbox >= 0){
		close(inbox);
		fdgiveback(inacct);
	}
	freerights(drop);
	uconvfree(u, uacct);
	pollwakeup();
	/* what only files in flight keep is collected now, as Linux's
	 * close does, not when the next conversation is made: once */
	if(cv->proto == Punix && atomic_load(&nflight) > 0 && !collecting){
		collecting = 1;
		unixcollect();
		collecting = 0;
	}
}

/*
 * The collector of unix conversations that only files in flight keep
 * (a socket sent over its own connection and closed, two connections
 * each carrying the other's ends): no close will ever come for them,
 * so, as Linux's collector does, find them and drop what is in flight
 * to them.  A conversation is a candidate when every open of its files
 * is a Chan all of whose references are in batches in flight; it is
 * kept when a batch that a kept conversation (a non-candidate, first)
 * answers for carries one of its Chans.  The candidates left are
 * garbage: their batches are dropped, which closes their Chans and so
 * the conversations.  It runs when a unix conversation is closed while
 * batches carry unix files, and before one is made, so what a guest
 * strands this way is back at once.
 *
 * Holders the device does not see (a mount over the conversation, a
 * /srv post, a call under way) are references not in flight: their
 * conversations are never candidates.
 */
enum { Cfree, Ccand, Ckept, Maxowned = 4 + Nbacklog };

/* The lists of batches cv answers for (iplk held): its pend, those on
 * their way to it (with its inbox's datagrams or its link's bytes), those to its peer once the peer is gone, and those
 * to the callers it has not accepted.  Their count; each list's count
 * in nl (NULL: none). */
static int
ownedrights(Conv *cv, Rights ***rl, int **nl)
{
	Ulink *l;
	int n, i;

	n = 0;
	rl[n] = &cv->pend;
	nl[n++] = NULL;
	rl[n] = &cv->inq;
	nl[n++] = &cv->ninq;
	if((l = cv->link) != NULL){
		rl[n] = &l->q[cv->side];
		nl[n++] = &l->nq[cv->side];
		if(l->ref == 1){
			rl[n] = &l->q[!cv->side];
			nl[n++] = &l->nq[!cv->side];
		}
	}
	for(i = 0; i < cv->nq; i++){
		rl[n] = &cv->u->bl->ql[i]->q[1];
		nl[n++] = &cv->u->bl->ql[i]->nq[1];
	}
	return n;
}

/* The unix conversation whose open file c is, or NULL (iplk held). */
static Conv *
unixconvof(Chan *c)
{
	if(devtab[c->type] != &ipdevtab || !(c->flag & COPEN) || PROTO(c->qid) != Punix
	|| CONV(c->qid) >= Maxconv)
		return NULL;
	switch(TYPE(c->qid)){
	case Qctl: case Qdata: case Qlocal: case Qremote: case Qstatus: case Qfds:
		return convs[Punix][CONV(c->qid)];
	}
	return NULL;
}

static int
chancmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(Chan *const *)a, y = (uintptr_t)*(Chan *const *)b;

	return x < y ? -1 : x > y;
}

/* Mark kept what the batches cv answers for carry; whether any was new. */
static int
keepcarried(Conv *cv, uchar *state)
{
	Rights **rl[Maxowned], *r;
	int *nl[Maxowned], n, j, k, changed;
	Conv *o;

	changed = 0;
	n = ownedrights(cv, rl, nl);
	for(j = 0; j < n; j++)
		for(r = *rl[j]; r != NULL; r = r->next)
			for(k = 0; k < r->n; k++)
				if((o = unixconvof(r->c[k])) != NULL && state[o->x] == Ccand){
					state[o->x] = Ckept;
					changed = 1;
				}
	return changed;
}

static void
unixcollect(void)
{
	static uchar state[Maxconv];	/* under iplk */
	static int held[Maxconv];
	Rights **rl[Maxowned], *r, *drop, **e;
	int *nl[Maxowned], i, j, k, n, ncs, changed;
	Chan **cs, **ncsp;
	size_t cap;
	Conv *cv;

	cs = NULL;
	ncs = 0;
	cap = 0;
	drop = NULL;
	pthread_mutex_lock(&iplk);
	/* the unix Chans in flight, each as often as it is */
	for(i = 0; i < nconv[Punix]; i++){
		held[i] = 0;
		cv = convs[Punix][i];
		if(cv == NULL || cv->inuse == 0)
			continue;
		n = ownedrights(cv, rl, nl);
		for(j = 0; j < n; j++)
			for(r = *rl[j]; r != NULL; r = r->next)
				for(k = 0; k < r->n; k++){
					if(unixconvof(r->c[k]) == NULL)
						continue;
					if((size_t)ncs == cap){
						cap = cap == 0 ? 64 : 2 * cap;
						ncsp = realloc(cs, cap * sizeof cs[0]);
						if(ncsp == NULL)
							goto out;	/* next time */
						cs = ncsp;
					}
					cs[ncs++] = r->c[k];
				}
	}
	if(ncs == 0)
		goto out;
	/* a Chan all of whose references are in flight: no other holder
	 * is left to make one more, so the count cannot be stale */
	qsort(cs, ncs, sizeof cs[0], chancmp);
	for(i = 0; i < ncs; i = j){
		for(j = i + 1; j < ncs && cs[j] == cs[i]; j++)
			;
		if(atomic_load(&cs[i]->ref) == j - i)
			held[CONV(cs[i]->qid)]++;
	}
	for(i = 0; i < nconv[Punix]; i++){
		cv = convs[Punix][i];
		if(cv == NULL || cv->inuse == 0)
			state[i] = Cfree;
		else
			state[i] = held[i] == cv->inuse ? Ccand : Ckept;
	}
	do{
		changed = 0;
		for(i = 0; i < nconv[Punix]; i++)
			if(state[i] == Ckept)
				changed |= keepcarried(convs[Punix][i], state);
	}while(changed);
	for(i = 0; i < nconv[Punix]; i++){
		if(state[i] != Ccand)
			continue;
		n = ownedrights(convs[Punix][i], rl, nl);
		for(j = 0; j < n; j++){
			if(*rl[j] == NULL)
				continue;
			for(e = rl[j]; *e != NULL; e = &(*e)->next)
				;
			*e = drop;
			drop = *rl[j];
			*rl[j] = NULL;
			if(nl[j] != NULL)
				*nl[j] = 0;
		}
	}
out:
	pthread_mutex_unlock(&iplk);
	free(cs);
	freerights(drop);	/* the garbage's Chans: their closes release it */
}

/* Wait until hostfd has events (or, with hostfd < 0, for a short while);
 * -1 with the error set when the proc is killed or interrupted. */
static int
hostwait(int hostfd, int events)
{
	struct pollfd pf[2];

	pf[0].fd = hostfd;
	pf[0].events = events;
	pf[0].revents = 0;
	if(procwaithost(pf, 1, hostfd < 0 ? 100 : 1000) < 0)
		return -1;
	return 0;
}

/* A data read or write found the host socket not ready: wait for it,
 * or, for a proc that asked knowait (O_NONBLOCK, MSG_DONTWAIT), fail
 * "resource temporarily unavailable" at once.  The caller's readiness
 * test before the call is not enough: another reader may take the data
 * meanwhile, or another thread put another socket at the fd. */
static int
iowait(int hostfd, int events)
{
	if(up != NULL && up->nowait)
		return kseterr(Eagain);
	return hostwait(hostfd, events);
}

/* A listen: wait for a caller, then a new conversation for it. */
static Conv *
convaccept(Conv *lc)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	Ulink *link;
	Rights *drop;
	Boxacct *acct;
	Conv *nc;
	int fd;

	link = NULL;
	acct = NULL;
	for(;;){
		pthread_mutex_lock(&iplk);
		if(lc->state != Sannounced){
			pthread_mutex_unlock(&iplk);
			return kseterrp("not announced");
		}
		if(lc->proto == Punix){
			if(lc->nq > 0){
				fd = lc->u->bl->q[0];
				link = lc->u->bl->ql[0];
				acct = lc->u->bl->qacct[0];	/* still its caller's */
				memmove(lc->u->bl->q, lc->u->bl->q + 1, (lc->nq - 1) * sizeof lc->u->bl->q[0]);
				memmove(lc->u->bl->ql, lc->u->bl->ql + 1, (lc->nq - 1) * sizeof lc->u->bl->ql[0]);
				memmove(lc->u->bl->qacct, lc->u->bl->qacct + 1, (lc->nq - 1) * sizeof lc->u->bl->qacct[0]);
				lc->nq--;
				pthread_mutex_unlock(&iplk);
				break;
			}
			if(procintr() < 0){
				pthread_mutex_unlock(&iplk);
				return NULL;
			}
			procsleep(&iplk, &ipcv);
			pthread_mutex_unlock(&iplk);
			continue;
		}
		pthread_mutex_unlock(&iplk);
		if(fdcharge(&acct) < 0)
			return NULL;
		sl = sizeof ss;
		fd = accept4(lc->fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if(fd >= 0)
			break;
		fdgiveback(acct);
		acct = NULL;
		if(errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			return kseterrp(oserrstr(errno));
		if(hostwait(lc->fd, POLLIN) < 0)
			return NULL;
	}
	nc = newconv(lc->proto);
	if(nc == NULL){
		close(fd);
		fdgiveback(acct);
		if(link != NULL){
			pthread_mutex_lock(&iplk);
			drop = unlink1(link, 1);
			pthread_mutex_unlock(&iplk);
			freerights(drop);
		}
		return NULL;
	}
	nc->fd = fd;
	nc->acct = acct;
	nc->family = lc->family;
	nc->state = Sconnected;
	if(lc->proto == Punix){
		nc->stype = lc->stype;
		pthread_mutex_lock(&iplk);
		setname(&nc->u->name, lc->u != NULL ? lc->u->name : NULL);
		setname(&nc->u->spelled, lc->u != NULL ? lc->u->spelled : NULL);
		nc->link = link;
		nc->side = 1;
		memmove(nc->cred, lc->cred, sizeof nc->cred);
		memmove(nc->peercred, link->cred[0], sizeof nc->peercred);
		setname(&nc->u->peer, link->caller);
		pthread_mutex_unlock(&iplk);
	}
	return nc;
}

static Chan *
ipopen(Chan *c, int omode)
{
	Conv *cv, *nc;
	int t, p;

	t = TYPE(c->qid);
	p = PROTO(c->qid);
	switch(t){
	case Qtopdir:
	case Qprotodir:
	case Qconvdir:
		if((omode & 3) != OREAD)
			return kseterrp(Eperm);
		break;
	case Qcs:
		break;
	case Qclone:
		cv = newconv(p);
		if(cv == NULL)
			return NULL;
		c->qid = mkqid(QID(p, cv->x, Qctl), 0, QTFILE);
		break;
	case Qlisten:
		/* the announcement stays while we wait, even if its last other
		 * open is closed meanwhile (then the wait ends: not announced) */
		cv = convhold(c->qid);
		if(cv == NULL)
			return NULL;
		nc = convaccept(cv);
		convrelease(cv);
		if(nc == NULL)
			return NULL;
		c->qid = mkqid(QID(p, nc->x, Qctl), 0, QTFILE);
		break;
	case Qlocal:
	case Qremote:
	case Qstatus:
	case Qfds:
		if((omode & 3) != OREAD)
			return kseterrp(Eperm);
		/* fall through */
	default:
		if(convhold(c->qid) == NULL)
			return NULL;
		break;
	}
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

static void
ipclose(Chan *c)
{
	Conv *cv;

	if(TYPE(c->qid) == Qcs)
		free(c->aux);
	c->aux = NULL;
	if(!(c->flag & COPEN))
		return;
	switch(TYPE(c->qid)){
	case Qctl: case Qdata: case Qlocal: case Qremote: case Qstatus: case Qfds:
		cv = convof(c->qid);
		if(cv != NULL)
			convrelease(cv);
	}
}

/* --- addresses -------------------------------------------------------- */

/* "host!port" (host "*" for any) as a sockaddr; names are resolved. */
static int
parseaddr(char *a, struct sockaddr_storage *ss, socklen_t *sl, int numeric)
{
	struct addrinfo hints, *ai;
	char host[Maxaddr], *bang, *port;
	int r;

	snprintf(host, sizeof host, "%s", a);
	bang = strrchr(host, '!');
	if(bang == NULL)
		return kseterr("bad address syntax");
	*bang = 0;
	port = bang + 1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_NUMERICSERV | (numeric ? AI_NUMERICHOST : 0);
	if(strcmp(host, "*") == 0){
		hints.ai_family = AF_INET;
		hints.ai_flags |= AI_PASSIVE;
	}
	/* getaddrinfo keeps a numeric port's low 16 bits: 99999 would be 34463 */
	if(port[0] == 0 || strspn(port, "0123456789") != strlen(port) || strtoul(port, NULL, 10) > 65535)
		return kseterr("bad address syntax");
	r = getaddrinfo(strcmp(host, "*") == 0 ? NULL : host, port, &hints, &ai);
	if(r != 0 || ai == NULL)
		return kseterr("cannot resolve host");
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sl = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static void
fmtaddr(struct sockaddr_storage *ss, char *buf, int n)
{
	char h[INET6_ADDRSTRLEN];
	int port;

	if(ss->ss_family == AF_INET6){
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		if(IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], h, sizeof h);
		else
			inet_ntop(AF_INET6, &s6->sin6_addr, h, sizeof h);
		port = ntohs(s6->sin6_port);
	}else if(ss->ss_family == AF_INET){
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, h, sizeof h);
		port = ntohs(s4->sin_port);
	}else{
		snprintf(buf, n, "::!0");
		return;
	}
	snprintf(buf, n, "%s!%d", h, port);
}

/* The conversation's local or remote address, as "addr!port\n". */
static void
convaddr(Conv *cv, int remote, char *buf, int n)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int r;

	if(cv->proto == Punix){
		pthread_mutex_lock(&iplk);
		if(cv->u == NULL)
			snprintf(buf, n, "\n");
		else
			snprintf(buf, n, "%s\n", remote ? cv->u->peer : cv->u->spelled[0] ? cv->u->spelled : cv->u->name);
		pthread_mutex_unlock(&iplk);
		return;
	}
	sl = sizeof ss;
	memset(&ss, 0, sizeof ss);
	r = -1;
	if(cv->fd >= 0)
		r = remote ? getpeername(cv->fd, (struct sockaddr *)&ss, &sl) : getsockname(cv->fd, (struct sockaddr *)&ss, &sl);
	if(r < 0){
		snprintf(buf, n, "%s\n", cv->family == AF_INET6 ? "::!0" : "0.0.0.0!0");
		return;
	}
	fmtaddr(&ss, buf, n - 1);
	strcat(buf, "\n");
}

/* --- ctl messages ----------------------------------------------------- */

static int
newsock(Conv *cv, int family)
{
	Boxacct *acct;
	int fd, one = 1;

	if(fdcharge(&acct) < 0)
		return -1;
	fd = socket(family, (cv->proto == Pudp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if(fd < 0){
		fdgiveback(acct);
		return ksetosErr(errno);
	}
	if(cv->proto == Ptcp)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if(family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &cv->v6only, sizeof cv->v6only);
	if(cv->proto == Pudp)
		setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
	if(cv->reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	if(cv->sndbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cv->sndbuf, sizeof cv->sndbuf);
	if(cv->rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cv->rcvbuf, sizeof cv->rcvbuf);
	if(cv->oobinline)
		setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one);
	cv->fd = fd;
	cv->acct = acct;
	cv->family = family;
	return 0;
}

/* bind the host socket to a (made now if needed) */
static int
ipbind(Conv *cv, char *a)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	if(parseaddr(a, &ss, &sl, 1) < 0)
		return -1;
	if(cv->fd >= 0 && cv->state != Sidle)
		return kseterr("already bound");
	if(cv->fd < 0 && newsock(cv, ss.ss_family) < 0)
		return -1;
	if(bind(cv->fd, (struct sockaddr *)&ss, sl) < 0)
		return ksetosErr(errno);
	cv->state = Sbound;
	return 0;
}

static int
ipconnect(Conv *cv, char *a, char *local)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int err;

	if(parseaddr(a, &ss, &sl, 0) < 0)
		return -1;
	if(cv->state == Sconnected && cv->proto != Pudp)
		return kseterr("already connected");
	if(cv->fd >= 0 && cv->family != ss.ss_family && cv->state == Sidle){
		close(cv->fd);
		cv->fd = -1;
		fdgiveback(cv->acct);
		cv->acct = NULL;
	}
	if(cv->fd < 0 && local != NULL && ipbind(cv, local) < 0)
		return -1;
	if(cv->fd < 0 && newsock(cv, ss.ss_family) < 0)
		return -1;
	if(connect(cv->fd, (struct sockaddr *)&ss, sl) < 0){
		if(errno != EINPROGRESS)
			return ksetosErr(errno);
		for(;;){
			struct pollfd pf;

			pf.fd = cv->fd;
			pf.events = POLLOUT;
			if(poll(&pf, 1, 0) > 0)
				break;
			if(hostwait(cv->fd, POLLOUT) < 0)
				return -1;
		}
		sl = sizeof err;
		if(getsockopt(cv->fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
			return ksetosErr(errno);
		if(err != 0)
			return ksetosErr(err);
	}
	cv->state = Sconnected;
	cv->headers = 0;
	return 0;
}

static int
ipannounce(Conv *cv, char *a)
{
	if(cv->state == Sannounced || cv->state == Sconnected)
		return kseterr("already announced or connected");
	if(cv->state != Sbound && ipbind(cv, a) < 0)
		return -1;
	if(cv->proto == Ptcp && listen(cv->fd, 128) < 0)
		return ksetosErr(errno);
	cv->state = Sannounced;
	return 0;
}

/* unix: names live in this kernel; a connect queues a socketpair end */
static int
unixname(char *a)
{
	return a != NULL && a[0] != 0 && strlen(a) < Maxuname && strchr(a, '\n') == NULL;
}

/* The conversation of cv's sandbox that holds name a, cv itself too,
 * or NULL (iplk held). */
static Conv *
unixholder(Conv *cv, char *a)
{
	Conv *o;
	int i;

	for(i = 0; i < nconv[Punix]; i++){
		o = convs[Punix][i];
		if(o != NULL && o->inuse > 0 && o->named && o->box == cv->box && strcmp(o->u->name, a) == 0)
			return o;
	}
	return NULL;
}

/* A datagram conversation's inbox: a host datagram socketpair, one end
 * its fd (its reads), the other where others' sends go, each datagram
 * after a header that names its sender (2 bytes of length, big-endian,
 * and the name). */
static int
unixinbox(Conv *cv)
{
	Boxacct *acct[2];
	int sv[2];

	if(fdcharge(&acct[0]) < 0)
		return -1;
	if(fdcharge(&acct[1]) < 0){
		fdgiveback(acct[0]);
		return -1;
	}
	if(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0){
		fdgiveback(acct[0]);
		fdgiveback(acct[1]);
		return ksetosErr(errno);
	}
	pthread_mutex_lock(&iplk);
	cv->fd = sv[0];
	cv->acct = acct[0];
	cv->inbox = sv[1];
	cv->inacct = acct[1];
	pthread_mutex_unlock(&iplk);
	return 0;
}

static int
unixdgram(Conv *cv)
{
	return cv->proto == Punix && cv->stype == SOCK_DGRAM && cv->link == NULL;
}

/* "bind NAME [SPELLED]": take NAME ("address in use" if taken).
 * SPELLED is how the binder wrote NAME (a relative path, say), which
 * its local file and a caller's remote file then give, as Linux's
 * getsockname and getpeername give the sun_path as bound. */
static int
unixbind(Conv *cv, char *a, char *spelled, int inbox)
{
	if(!unixname(a))
		return kseterr("bad address syntax");
	pthread_mutex_lock(&iplk);
	if(cv->state != Sidle || cv->named){
		pthread_mutex_unlock(&iplk);
		return kseterr("already announced or connected");
	}
	if(unixholder(cv, a) != NULL){
		pthread_mutex_unlock(&iplk);
		return kseterr("address in use");
	}
	setname(&cv->u->name, a);
	setname(&cv->u->spelled, unixname(spelled) ? spelled : NULL);
	cv->named = 1;
	cv->state = Sbound;
	pthread_mutex_unlock(&iplk);
	/* a datagram socket's name takes others' sends */
	if(inbox && unixdgram(cv) && cv->fd < 0 && unixinbox(cv) < 0){
		pthread_mutex_lock(&iplk);
		cv->named = 0;
		setname(&cv->u->name, NULL);
		setname(&cv->u->spelled, NULL);
		cv->state = Sidle;
		pthread_mutex_unlock(&iplk);
		return -1;
	}
	return 0;
}

/* "announce [NAME [SPELLED]]": take callers on the name bound, or
 * bind NAME first */
static int
unixannounce(Conv *cv, char *a, char *spelled)
{
	/* a datagram listener is a socketpair's (vxrun): no inbox */
	if(cv->state == Sidle && unixbind(cv, a, spelled, 0) < 0)
		return -1;
	pthread_mutex_lock(&iplk);
	if(cv->state != Sbound){
		pthread_mutex_unlock(&iplk);
		return kseterr("already announced or connected");
	}
	if(cv->u->bl == NULL){
		if(kboxmemcharge(cv->uacct, sizeof *cv->u->bl) < 0){
			pthread_mutex_unlock(&iplk);
			return kseterr(Enomem);
		}
		cv->u->bl = kzalloc(sizeof *cv->u->bl);
	}
	cv->state = Sannounced;
	pthread_mutex_unlock(&iplk);
	return 0;
}

/* Undo unixconnect's host socketpair and charges. */
static void
unixunpair(int *sv, Boxacct **acct, Ulink *l)
{
	close(sv[0]);
	close(sv[1]);
	fdgiveback(acct[0]);
	fdgiveback(acct[1]);
	free(l->caller);
	free(l);
}

/* Whether name a is announced: a datagram socketpair's listener. */
static int
unixlistening(Conv *cv, char *a)
{
	Conv *o;
	int r;

	pthread_mutex_lock(&iplk);
	o = unixholder(cv, a);
	r = o != NULL && o->state == Sannounced;
	pthread_mutex_unlock(&iplk);
	return r;
}

/* The datagram conversation of cv's sandbox that holds name a, or NULL
 * with the error set (iplk held). */
static Conv *
dgramholder(Conv *cv, char *a)
{
	Conv *o;

	o = unixholder(cv, a);
	if(o == NULL || o->inbox < 0){
		if(o != NULL && o->stype != SOCK_DGRAM)
			ksetosErr(EPROTOTYPE);	/* vxrun: for a path only */
		else
			kseterr("connection refused");
		return NULL;
	}
	return o;
}

/* Whether o is connected to cv (iplk held). */
static int
dgramours(Conv *o, Conv *cv)
{
	return o->dgto == cv->x && o->dgtogen == cv->gen;
}

/* The conversation cv is connected to, or NULL: not connected, or it
 * is gone, which dissolves the connection (iplk held). */
static Conv *
dgrampeer(Conv *cv)
{
	Conv *o;

	if(cv->dgto < 0)
		return kseterrp("not connected");
	o = convs[Punix][cv->dgto];
	if(o != NULL && o->inuse > 0 && o->gen == cv->dgtogen && o->inbox >= 0)
		return o;
	cv->dgto = -1;
	setname(&cv->u->peer, NULL);
	cv->state = cv->named ? Sbound : Sidle;
	return kseterrp("connection refused");
}

/* cv leaves its peer old (a connect elsewhere, or AF_UNSPEC's
 * "disconnect"): what its inbox holds is dropped, and old, if it was
 * connected to cv, is told ECONNRESET, as Linux does (iplk held; the
 * files that went with the dropped datagrams are returned). */
static Rights *
dgramleave(Conv *cv, Conv *old)
{
	char c;
	Rights *r;
	int lost;

	lost = cv->dgin != cv->dgread;
	while(cv->fd >= 0 && recv(cv->fd, &c, 1, MSG_DONTWAIT) >= 0)
		;
	cv->dgread = cv->dgin;
	r = cv->inq;
	cv->inq = NULL;
	cv->ninq = 0;
	if(lost && old != NULL && dgramours(old, cv))
		old->err = ECONNRESET;
	pthread_cond_broadcast(&dgcv);
	return r;
}

/* "connect NAME" of a datagram conversation: its writes go to NAME's
 * holder, and only that one's come in (again and again: a later
 * connect changes it) */
static int
dgramconnect(Conv *cv, char *a)
{
	Conv *o, *old;
	Rights *drop;

	drop = NULL;
	pthread_mutex_lock(&iplk);
	o = dgramholder(cv, a);
	if(o == NULL){
		pthread_mutex_unlock(&iplk);
		return -1;
	}
	if(cv->dgto >= 0 && !dgramours(cv, o) ){
		old = convs[Punix][cv->dgto];
		drop = dgramleave(cv, old != NULL && old->gen == cv->dgtogen ? old : NULL);
	}
	cv->dgto = o->x;
	cv->dgtogen = o->gen;
	memmove(cv->peercred, o->cred, sizeof cv->peercred);
	setname(&cv->u->peer, o->u->spelled[0] ? o->u->spelled : a);
	cv->state = Sconnected;
	pthread_mutex_unlock(&iplk);
	freerights(drop);
	pollwakeup();
	return 0;
}

/* "disconnect": AF_UNSPEC's connect of a datagram conversation */
static int
dgramdisconnect(Conv *cv)
{
	Conv *old;
	Rights *drop;

	drop = NULL;
	pthread_mutex_lock(&iplk);
	if(cv->dgto >= 0){
		old = convs[Punix][cv->dgto];
		drop = dgramleave(cv, old != NULL && old->gen == cv->dgtogen ? old : NULL);
		cv->dgto = -1;
		setname(&cv->u->peer, NULL);
		cv->state = cv->named ? Sbound : Sidle;
	}
	pthread_mutex_unlock(&iplk);
	freerights(drop);
	pollwakeup();
	return 0;
}

/* "disconnect" of udp: the host socket's connect(AF_UNSPEC), which lets
 * the peer go and its local address (unless bound) be chosen again at
 * the next connect; the port stays bound */
static int
udpdisconnect(Conv *cv)
{
	struct sockaddr sa;

	if(cv->fd < 0 || cv->state != Sconnected)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_family = AF_UNSPEC;
	if(connect(cv->fd, &sa, sizeof sa) < 0)
		return ksetosErr(errno);
	cv->state = Sbound;
	return 0;
}

/* A pending error (Linux's sk_err), taken: -1 with it set, or 0 (iplk held). */
static int
converr(Conv *cv)
{
	int e;

	if((e = cv->err) == 0)
		return 0;
	cv->err = 0;
	return ksetosErr(e);
}

/* A datagram message: its sender's name and user, then its bytes
 * (2 bytes of the name's length, big-endian, the name, pid uid gid as
 * 4 bytes each, big-endian); its length in *len (iplk held). */
static char *
dgrammsg(Conv *cv, char *buf, long n, long *len)
{
	char *m, *name;
	long hl;
	int i;

	name = cv->u->spelled[0] ? cv->u->spelled : cv->u->name;
	hl = cv->named ? (long)strlen(name) : 0;
	*len = 2 + hl + 12 + n;
	m = kmalloc(*len);
	m[0] = hl >> 8;
	m[1] = hl;
	memcpy(m + 2, name, hl);
	for(i = 0; i < 12; i++)
		m[2 + hl + i] = (uint)cv->cred[i / 4] >> (24 - 8 * (i % 4));
	memcpy(m + 2 + hl + 12, buf, n);
	return m;
}

/* Put m into o's inbox, with cv's files (iplk held): 1 when sent, 0
 * when o is full, -1 with the error set. */
static int
dgramput(Conv *cv, Conv *o, char *m, long len, long n)
{
	Rights *r, **e;

	/* a receiver connected to its sender takes as much as the host
	 * socket holds; others Maxdgramq */
	if(!dgramours(o, cv) && o->dgin - o->dgread > Maxdgramq)
		return 0;
	if(cv->pend != NULL && o->ninq >= Maxbatch)
		return ksetosErr(ETOOMANYREFS);
	if(send(o->inbox, m, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		return errno == EAGAIN ? 0 : ksetosErr(errno);
	if((r = cv->pend) != NULL){
		cv->pend = NULL;
		r->pos = o->dgin;
		r->len = n;
		r->next = NULL;
		for(e = &o->inq; *e != NULL; e = &(*e)->next)
			;
		*e = r;
		o->ninq++;
	}
	o->dgin++;
	return 1;
}

/* A datagram write: to "to" (once) or the connected peer, which must
 * be connected to the writer, if to anyone (else EPERM); a full
 * receiver makes it wait, or fail at once after "nowait". */
static long
dgramsend(Conv *cv, char *buf, long n)
{
	char *m, to[Maxuname];
	int hasto, nowait, r;
	long len;
	Conv *o;

	pthread_mutex_lock(&iplk);
	hasto = cv->hasto;
	cv->hasto = 0;
	nowait = cv->nowait;
	cv->nowait = 0;
	if(hasto)
		snprintf(to, sizeof to, "%s", cv->u->to);
	m = dgrammsg(cv, buf, n, &len);
	for(;;){
		if(converr(cv) < 0)
			break;
		o = hasto ? dgramholder(cv, to) : dgrampeer(cv);
		if(o == NULL)
			break;
		if(o->dgto >= 0 && !dgramours(o, cv)){
			ksetosErr(EPERM);	/* it takes its own peer's only */
			break;
		}
		if((r = dgramput(cv, o, m, len, n)) != 0){
			pthread_mutex_unlock(&iplk);
			free(m);
			pollwakeup();
			return r < 0 ? -1 : n;
		}
		if(nowait || (up != NULL && up->nowait)){
			kseterr(Eagain);
			break;
		}
		if(procintr() < 0)
			break;
		procsleep(&iplk, &dgcv);
	}
	pthread_mutex_unlock(&iplk);
	free(m);
	return -1;
}

/* Whether host socket fd is shut down for reading (its own
 * SHUT_RD: a unix datagram socket's poll says POLLRDHUP) */
static int
rdshut(int fd)
{
	struct pollfd p;

	p.fd = fd;
	p.events = POLLIN | POLLRDHUP;
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLRDHUP);
}

/* A datagram read from the inbox: its bytes, after its header when
 * "from" asked for the sender (and its user). */
static long
dgramrecv(Conv *cv, char *buf, long n, int peek)
{
	Rights *stale;
	char *m;
	long r, hl, skip;
	int from;

	stale = NULL;
	from = cv->from;
	cv->from = 0;
	m = kmalloc(n + 2 + Maxuname + 12);
	for(;;){
		pthread_mutex_lock(&iplk);
		if(converr(cv) < 0){
			pthread_mutex_unlock(&iplk);
			free(m);
			return -1;
		}
		r = recv(cv->fd, m, n + 2 + Maxuname + 12, peek ? MSG_PEEK : 0);
		if(r >= 0 && !peek){
			cv->dgread++;
			stale = stalerights(&cv->inq, &cv->ninq, cv->dgread);
			pthread_cond_broadcast(&dgcv);
		}
		pthread_mutex_unlock(&iplk);
		if(r >= 0)
			break;
		if(errno != EAGAIN && errno != EINTR){
			free(m);
			return ksetosErr(errno);
		}
		if(iowait(cv->fd, POLLIN) < 0){
			free(m);
			return -1;
		}
	}
	if(!peek){
		freerights(stale);
		pollwakeup();	/* room for a writer that polls */
	}
	hl = r >= 2 ? (uchar)m[0] << 8 | (uchar)m[1] : 0;
	if(2 + hl + 12 > r)
		hl = r >= 14 ? r - 14 : 0;
	skip = from ? 0 : (r >= 14 ? 2 + hl + 12 : r);
	r -= skip;
	if(r > n)
		r = n;
	memmove(buf, m + skip, r);
	free(m);
	return r;
}

/* "connect NAME": a host socketpair of the conversation's type, one
 * end queued for NAME's listen; the caller's own name, if it is bound,
 * is the peer its listener's new conversation gives */
static int
unixconnect(Conv *cv, char *a)
{
	Boxacct *acct[2];
	int sv[2];
	Ulink *l;
	Conv *o;

	if(!unixname(a))
		return kseterr("bad address syntax");
	if(unixdgram(cv) && !unixlistening(cv, a))
		return dgramconnect(cv, a);
	/* both ends are the caller's, the one its listener takes too */
	if(fdcharge(&acct[0]) < 0)
		return -1;
	if(fdcharge(&acct[1]) < 0){
		fdgiveback(acct[0]);
		return -1;
	}
	if(socketpair(AF_UNIX, cv->stype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0){
		fdgiveback(acct[0]);
		fdgiveback(acct[1]);
		return ksetosErr(errno);
	}
	l = kzalloc(sizeof *l);
	l->ref = 2;
	pthread_mutex_lock(&iplk);
	if(cv->state != Sidle && cv->state != Sbound){
		pthread_mutex_unlock(&iplk);
		unixunpair(sv, acct, l);
		return kseterr("already announced or connected");
	}
	o = unixholder(cv, a);
	if(o == NULL || o->state != Sannounced || o->nq >= Nbacklog || o->stype != cv->stype){
		pthread_mutex_unlock(&iplk);
		unixunpair(sv, acct, l);
		if(o != NULL && o->stype != cv->stype)
			return ksetosErr(EPROTOTYPE);	/* vxrun: for a path only */
		return kseterr(o == NULL || o->state != Sannounced ? "connection refused" : Eagain);
	}
	if(cv->named)
		l->caller = kstrdup(cv->u->spelled[0] ? cv->u->spelled : cv->u->name);
	memmove(l->cred[0], cv->cred, sizeof l->cred[0]);
	memmove(l->cred[1], o->cred, sizeof l->cred[1]);
	memmove(cv->peercred, o->cred, sizeof cv->peercred);
	o->u->bl->ql[o->nq] = l;
	o->u->bl->qacct[o->nq] = acct[1];
	o->u->bl->q[o->nq++] = sv[1];
	o->ncalls++;
	cv->link = l;
	cv->side = 0;
	cv->fd = sv[0];
	cv->acct = acct[0];
	cv->family = AF_UNIX;
	cv->state = Sconnected;
	setname(&cv->u->peer, o->u->spelled[0] ? o->u->spelled : a);
	pthread_cond_broadcast(&ipcv);
	pthread_mutex_unlock(&iplk);
	pollwakeup();
	return 0;
}

/* "type stream|dgram|seqpacket" (vxinferno's own, unix, before a
 * connect or bind): the host socketpair's type, so a datagram or
 * seqpacket conversation keeps each write one message; a caller and
 * its listener must agree */
static int
unixtype(Conv *cv, char *t)
{
	int st;

	if(strcmp(t, "stream") == 0)
		st = SOCK_STREAM;
	else if(strcmp(t, "dgram") == 0)
		st = SOCK_DGRAM;
	else if(strcmp(t, "seqpacket") == 0)
		st = SOCK_SEQPACKET;
	else
		return kseterr(Ebadarg);
	if(cv->state != Sidle)
		return kseterr("already announced or connected");
	cv->stype = st;
	return 0;
}

static int
iphangup(Conv *cv)
{
	if(cv->fd >= 0)
		shutdown(cv->fd, SHUT_RDWR);
	if(cv->proto == Punix && cv->state == Sannounced){
		pthread_mutex_lock(&iplk);
		cv->state = Sclosed;
		pthread_cond_broadcast(&ipcv);
		pthread_mutex_unlock(&iplk);
	}else
		cv->state = Sclosed;
	pollwakeup();
	return 0;
}

/* "cred PID UID GID" (vxinferno's own): whose the conversation's
 * writes are now, as its user's system sees them (Linux's
 * SCM_CREDENTIALS and SO_PEERCRED) */
static int
unixcred(Conv *cv, char **f)
{
	int i, c[3];
	char *e;

	for(i = 0; i < 3; i++){
		c[i] = strtol(f[i], &e, 10);
		if(*e != 0 || e == f[i])
			return kseterr(Ebadarg);
	}
	pthread_mutex_lock(&iplk);
	memmove(cv->cred, c, sizeof cv->cred);
	if(cv->link != NULL)
		memmove(cv->link->cred[cv->side], c, sizeof c);
	pthread_mutex_unlock(&iplk);
	return 0;
}

/* "passfd FD[/FLAGS]…": the caller's files, for the next data write,
 * each with a number the reader gets back as it was (vxrun: the file's
 * Linux status flags); no FD cancels what an earlier passfd left. */
static int
passfd(Conv *cv, char *args)
{
	Rights *r, *old;
	char *s, *e;
	long fd, fl;
	int i;

	if(cv->proto != Punix)
		return kseterr(Ebadctl);
	r = kzalloc(sizeof *r);
	for(s = strtok_r(args, " \t", &e); s != NULL; s = strtok_r(NULL, " \t", &e)){
		if(r->n >= Maxpass){
			freerights(r);
			return kseterr("too many files to pass");
		}
		fd = strtol(s, &s, 10);
		fl = 0;
		if(*s == '/')
			fl = strtol(s + 1, &s, 10);
		if(*s != 0 || fd < 0 || fd > 0x7fffffff || fl < 0 || fl > Maxflags){
			freerights(r);
			return kseterr(Ebadarg);
		}
		r->fl[r->n] = fl;
		r->c[r->n] = fdtochan(fd, -1, 0, 1);
		if(r->c[r->n] == NULL){
			freerights(r);
			return -1;
		}
		r->n++;
	}
	if(r->n == 0){
		free(r);
		r = NULL;
	}
	for(i = 0; r != NULL && i < r->n && !r->carries; i++)
		if(devtab[r->c[i]->type] == &ipdevtab && PROTO(r->c[i]->qid) == Punix){
			r->carries = 1;
			atomic_fetch_add(&nflight, 1);
		}
	pthread_mutex_lock(&iplk);
	if(r != NULL && !unixdgram(cv) && (cv->link == NULL || cv->state != Sconnected)){
		pthread_mutex_unlock(&iplk);
		freerights(r);
		return kseterr("not connected");
	}
	old = cv->pend;
	cv->pend = r;
	pthread_mutex_unlock(&iplk);
	freerights(old);
	return 0;
}

static long
ipctl(Conv *cv, char *buf, long n)
{
	char msg[4096], *f[4];
	int nf, r, on;
	char *s;

	if(n <= 0 || n >= (long)sizeof msg)
		return kseterr(Ebadctl);
	if((n > 7 && memcmp(buf, "passfd ", 7) == 0) || (n == 6 && memcmp(buf, "passfd", 6) == 0)){
		memcpy(msg, buf, n);
		msg[n] = 0;
		return passfd(cv, msg + 6) < 0 ? -1 : n;
	}
	memcpy(msg, buf, n);
	msg[n] = 0;
	if(msg[n - 1] == '\n')
		msg[n - 1] = 0;
	nf = 0;
	for(s = strtok(msg, " \t"); s != NULL && nf < 4; s = strtok(NULL, " \t"))
		f[nf++] = s;
	if(nf == 0)
		return kseterr(Ebadctl);
	r = -1;
	if(strcmp(f[0], "connect") == 0 && nf >= 2)
		r = cv->proto == Punix ? unixconnect(cv, f[1]) : ipconnect(cv, f[1], nf > 2 ? f[2] : NULL);
	else if(strcmp(f[0], "announce") == 0 && cv->proto == Punix)
		r = unixannounce(cv, nf > 1 ? f[1] : NULL, nf > 2 ? f[2] : NULL);
	else if(strcmp(f[0], "announce") == 0 && nf >= 2)
		r = ipannounce(cv, f[1]);
	else if(strcmp(f[0], "bind") == 0 && nf >= 2)
		r = cv->proto == Punix ? unixbind(cv, f[1], nf > 2 ? f[2] : NULL, 1) : ipbind(cv, f[1]);
	else if(strcmp(f[0], "type") == 0 && nf >= 2 && cv->proto == Punix)
		r = unixtype(cv, f[1]);
	else if(strcmp(f[0], "to") == 0 && nf >= 2 && unixname(f[1]) && unixdgram(cv)){
		/* vxinferno's own: the next data write goes to this name
		 * (and with "nowait" fails rather than waits for room) */
		pthread_mutex_lock(&iplk);
		setname(&cv->u->to, f[1]);
		cv->hasto = 1;
		cv->nowait = nf > 2 && strcmp(f[2], "nowait") == 0;
		pthread_mutex_unlock(&iplk);
		r = 0;
	}else if(strcmp(f[0], "disconnect") == 0 && unixdgram(cv))
		r = dgramdisconnect(cv);	/* vxinferno's own: connect(AF_UNSPEC) */
	else if(strcmp(f[0], "disconnect") == 0 && cv->proto == Pudp)
		r = udpdisconnect(cv);
	else if(strcmp(f[0], "nowait") == 0 && cv->proto == Punix){
		/* vxinferno's own, for MSG_DONTWAIT: the next datagram
		 * write fails rather than waits for room */
		cv->nowait = 1;
		r = 0;
	}else if(strcmp(f[0], "cred") == 0 && nf == 4 && cv->proto == Punix)
		r = unixcred(cv, f + 1);
	else if(strcmp(f[0], "from") == 0 && unixdgram(cv)){
		/* vxinferno's own: the next data read gives the sender first */
		cv->from = 1;
		r = 0;
	}
	else if(strcmp(f[0], "hangup") == 0)
		r = iphangup(cv);
	else if(strcmp(f[0], "headers") == 0 && cv->proto == Pudp){
		cv->headers = 1;
		r = 0;
	}else if((strcmp(f[0], "oob") == 0 || strcmp(f[0], "urgent") == 0) && cv->proto == Ptcp){
		/* vxinferno's own, for MSG_OOB: the next data read takes
		 * the urgent byte (never waiting), or the next write sends
		 * urgent data */
		if(f[0][0] == 'o')
			cv->oob = 1;
		else
			cv->urgent = 1;
		r = 0;
	}else if(strcmp(f[0], "peek") == 0){
		/* vxinferno's own, for MSG_PEEK: the next read of data
		 * returns what is queued without taking it: this proc's
		 * next read, not another's (the flag was the conversation's
		 * until red31, taken by whichever read came next: a read of
		 * another thread between a MSG_PEEK's "peek" and its read
		 * peeked, the MSG_PEEK took, bytes read twice and lost).
		 * An export client's, whose read may come on another
		 * worker, is the conversation's still. */
		if(up != NULL && !up->remote)
			up->peekconv = cv;
		else
			cv->peek = 1;
		r = 0;
	}else if(strcmp(f[0], "reuseport") == 0 && cv->proto != Punix){
		/* vxinferno's own, SO_REUSEPORT: before the host socket's
		 * bind (newsock), or on it now (Linux's, from its owner's uid) */
		on = 1;
		cv->reuseport = 1;
		r = cv->fd >= 0 && setsockopt(cv->fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ? ksetosErr(errno) : 0;
	}else if((strcmp(f[0], "sndbuf") == 0 || strcmp(f[0], "rcvbuf") == 0) && nf >= 2 && cv->proto != Punix){
		/* vxinferno's own, SO_SNDBUF and SO_RCVBUF: the bytes asked
		 * for (the host doubles them, as Linux), on the host socket
		 * now or when it is made (newsock); a listener's pass to the
		 * conversations it accepts, as Linux's */
		on = atoi(f[1]);
		if(on <= 0)
			return kseterr(Ebadctl);
		if(f[0][0] == 's')
			cv->sndbuf = on;
		else
			cv->rcvbuf = on;
		r = cv->fd >= 0 && setsockopt(cv->fd, SOL_SOCKET, f[0][0] == 's' ? SO_SNDBUF : SO_RCVBUF, &on, sizeof on) < 0 ? ksetosErr(errno) : 0;
	}else if(strcmp(f[0], "v6only") == 0 && nf >= 2 && cv->proto != Punix){
		/* vxinferno's own, IPV6_V6ONLY: an IPv6 host socket's, made
		 * now (newsock) or set now, before its bind (the host's
		 * EINVAL after, as Linux's) */
		on = atoi(f[1]) != 0;
		if(cv->fd >= 0 && cv->family == AF_INET6 &&
		   setsockopt(cv->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) < 0)
			r = ksetosErr(errno);
		else{
			cv->v6only = on;
			r = 0;
		}
	}else if(strcmp(f[0], "oobinline") == 0 && nf >= 2 && cv->proto == Ptcp){
		/* vxinferno's own, SO_OOBINLINE: urgent data read in line
		 * with the rest, on the host socket now or when it is made
		 * (newsock); a listener's passes to the conversations it
		 * accepts, as Linux's */
		on = atoi(f[1]) != 0;
		if(cv->fd >= 0 && setsockopt(cv->fd, SOL_SOCKET, SO_OOBINLINE, &on, sizeof on) < 0)
			r = ksetosErr(errno);
		else{
			cv->oobinline = on;
			r = 0;
		}
	}else if(strcmp(f[0], "keepalive") == 0){
		on = 1;
		r = cv->fd >= 0 && cv->proto == Ptcp && setsockopt(cv->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0 ? ksetosErr(errno) : 0;
	}else if(strcmp(f[0], "shutdown") == 0 && nf >= 2){
		/* vxinferno's own: half a close (Plan 9 has only hangup) */
		int how = strcmp(f[1], "rd") == 0 ? SHUT_RD : strcmp(f[1], "wr") == 0 ? SHUT_WR : SHUT_RDWR;
		if(cv->fd < 0 || cv->state != Sconnected)
			r = kseterr("not connected");
		else
			r = shutdown(cv->fd, how) < 0 ? ksetosErr(errno) : 0;
		pollwakeup();
	}else
		return kseterr(Ebadctl);
	return r < 0 ? -1 : n;
}

/* --- cs --------------------------------------------------------------- */

static long
cswrite(Chan *c, char *buf, long n)
{
	struct addrinfo hints, *ai, *a;
	char q[256], *f[3], *s, *out, line[Maxaddr + 32], host[INET6_ADDRSTRLEN];
	int nf, p, r;
	size_t len, cap;

	if(n <= 0 || n >= (long)sizeof q)
		return kseterr(Ebadarg);
	memcpy(q, buf, n);
	q[n] = 0;
	if(q[n - 1] == '\n')
		q[n - 1] = 0;
	nf = 0;
	for(s = q; nf < 3; ){
		f[nf++] = s;
		s = strchr(s, '!');
		if(s == NULL)
			break;
		*s++ = 0;
	}
	if(nf != 3)
		return kseterr("bad address syntax");
	if(strcmp(f[0], "net") == 0 || strcmp(f[0], "tcp") == 0)
		p = Ptcp;
	else if(strcmp(f[0], "udp") == 0)
		p = Pudp;
	else if(strcmp(f[0], "unix") == 0){
		snprintf(line, sizeof line, "/net/unix/clone %s!%s\n", f[1], f[2]);
		free(c->aux);
		c->aux = kstrdup(line);
		return n;
	}else
		return kseterr("unknown network");
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = p == Pudp ? SOCK_DGRAM : SOCK_STREAM;
	if(strcmp(f[1], "*") == 0)
		hints.ai_flags |= AI_PASSIVE;
	if(strspn(f[2], "0123456789") == strlen(f[2]) && strtoul(f[2], NULL, 10) > 65535)
		return kseterr("cs: can't translate address");
	r = getaddrinfo(strcmp(f[1], "*") == 0 ? NULL : f[1], f[2], &hints, &ai);
	if(r != 0 || ai == NULL)
		return kseterr("cs: can't translate address");
	cap = 256;
	out = kmalloc(cap);
	len = 0;
	out[0] = 0;
	for(a = ai; a != NULL; a = a->ai_next){
		fmtaddr((struct sockaddr_storage *)a->ai_addr, host, sizeof host);
		snprintf(line, sizeof line, "/net/%s/clone %s\n", protoname[p],
			strcmp(f[1], "*") == 0 ? (strchr(host, '!') ? strchr(host, '!') + 1 : host) : host);
		if(strstr(out, line) != NULL)
			continue;
		if(len + strlen(line) + 1 > cap){
			cap = 2 * cap + strlen(line);
			out = realloc(out, cap);
			if(out == NULL)
				abort();
		}
		strcpy(out + len, line);
		len += strlen(line);
	}
	freeaddrinfo(ai);
	free(c->aux);
	c->aux = out;
	return n;
}

/* Reads give one line each, as Plan 9's cs does; one shorter than the
 * line gets its start, and the next read goes on from there (the
 * answer is used up as it is read: the reader need not seek). */
static long
csread(Chan *c, char *buf, long n, vlong off)
{
	char *s, *e;
	long m, skip;

	(void)off;
	s = c->aux;
	if(s == NULL || *s == 0 || n <= 0)
		return 0;
	e = strchr(s, '\n');
	m = e != NULL ? e - s : (long)strlen(s);
	skip = m;
	if(m > n)
		m = skip = n;
	else if(e != NULL)
		skip++;		/* the whole line: its newline goes too */
	memcpy(buf, s, m);
	memmove(s, s + skip, strlen(s + skip) + 1);
	return m;
}

/* --- data --------------------------------------------------------------- */

static void
v6of(struct sockaddr_storage *ss, uchar *a, uchar *port)
{
	memset(a, 0, 16);
	port[0] = port[1] = 0;
	if(ss->ss_family == AF_INET){
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &s4->sin_addr, 4);
		memcpy(port, &s4->sin_port, 2);
	}else if(ss->ss_family == AF_INET6){
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		memcpy(a, &s6->sin6_addr, 16);
		memcpy(port, &s6->sin6_port, 2);
	}
}

/* A stream's conversation: its reads may be a copy's, which holds it
 * (streamrecv) */
static int
streamconv(Conv *cv)
{
	return cv->proto == Ptcp || (cv->proto == Punix && cv->stype == SOCK_STREAM);
}

/* n bytes a data read took from cv (not a peek): counted, and a unix
 * stream's batches of files whose first byte they passed dropped */
static void
readtaken(Conv *cv, uvlong n)
{
	Rights *stale;

	if(cv->proto != Punix){
		cv->nread += n;
		return;
	}
	pthread_mutex_lock(&iplk);
	cv->nread += n;
	stale = cv->link != NULL ? stalerights(&cv->link->q[cv->side], &cv->link->nq[cv->side], cv->nread) : NULL;
	pthread_mutex_unlock(&iplk);
	freerights(stale);
}

/*
 * A stream's recv (flags fl) of host socket fd, under its read lock
 * once no copy holds it: the bytes another proc's copy peeked stay for
 * it to take (ipunread).  A copy's read (kpipecopy, no "peek") is a
 * peek that holds the conversation, *held set, when it gets bytes, as
 * Linux's splice reads a socket under its lock: until session 31 a
 * copy peeked, wrote and then took as many bytes as it wrote, and a
 * read by another thread or process between took the peeked bytes
 * (duplicated: the copy's write had them too) and left the copy to
 * take later ones (lost).  recv's answer (errno set), or -2 with the
 * error set where the wait for a hold was interrupted.  The host
 * socket is nonblocking: no recv waits under the lock.
 */
static ssize_t
streamrecv(Conv *cv, int fd, char *buf, long n, int fl, int *held)
{
	ssize_t r;
	int copy, e;

	copy = up != NULL && up->pipecopy && !(fl & MSG_PEEK);
	pthread_mutex_lock(&cv->rlk);
	while(cv->holder != NULL && cv->holder != up){
		if(procintr() < 0){
			pthread_mutex_unlock(&cv->rlk);
			return -2;
		}
		procsleep(&cv->rlk, &cv->rcv);
	}
	r = recv(fd, buf, n, fl | (copy ? MSG_PEEK : 0));
	e = errno;
	if(r > 0 && copy){
		cv->holder = up;
		up->copyq = cv;
		up->copytaken = r;
		*held = 1;
	}
	pthread_mutex_unlock(&cv->rlk);
	errno = e;
	return r;
}

/*
 * A copy's settling of the bytes its read of stream conversation c
 * peeked and held (streamrecv): all but the last n (those its write did
 * not take, "put back") are taken from the host socket now, and the
 * conversation let go.  n, or -1 with the error set where this proc
 * holds no read of c.
 */
long
ipunread(Chan *c, long n)
{
	char *tmp;
	Conv *cv;
	long take, got, r;
	int fd;

	if(devtab[c->type]->dc != 'I' || TYPE(c->qid) != Qdata || (cv = convof(c->qid)) == NULL || up == NULL || up->copyq != cv)
		return kseterr(Ebadusefd);
	take = up->copytaken - (n < 0 ? 0 : n);
	up->copyq = NULL;
	up->copytaken = 0;
	pthread_mutex_lock(&cv->rlk);
	got = 0;
	if(take > 0){
		tmp = kmalloc(take);
		/* they are queued (peeked, and no other read took any): a
		 * recv gives them at once; only an error ends it sooner */
		fd = cv->fd;
		while(got < take && fd >= 0 && (r = recv(fd, tmp + got, take - got, MSG_DONTWAIT)) > 0)
			got += r;
		free(tmp);
	}
	cv->holder = NULL;
	pthread_cond_broadcast(&cv->rcv);
	pthread_mutex_unlock(&cv->rlk);
	if(got > 0)
		readtaken(cv, got);
	return n;
}

static long
dataread(Conv *cv, char *buf, long n)
{
	struct sockaddr_storage ss, ls;
	socklen_t sl;
	uchar *h;
	ssize_t r, whole;
	int fd, fl, peek, held;

	/* "peek" is for this read alone, however it ends: a peek that
	 * fails (interrupted, not connected) must not make the next read
	 * a peek too */
	if(up != NULL && up->peekconv == cv){
		peek = 1;
		up->peekconv = NULL;
	}else{
		peek = cv->peek;
		cv->peek = 0;
	}
	if(cv->oob){
		/* the urgent byte, or the host's error at once (EINVAL: none;
		 * EAGAIN: not yet here), as Linux's recv(MSG_OOB) */
		cv->oob = 0;
		if((fd = cv->fd) < 0)
			return kseterr("not connected");
		r = recv(fd, buf, n, MSG_OOB | (peek ? MSG_PEEK : 0));
		return r < 0 ? ksetosErr(errno) : r;
	}
	if(unixdgram(cv) && cv->inbox >= 0)
		return dgramrecv(cv, buf, n, peek);
	for(;;){
		fd = cv->fd;
		if(fd < 0)
			return cv->state == Sclosed ? 0 : kseterr("not connected");
		fl = peek ? MSG_PEEK : 0;
		if(cv->headers){
			if(n < Hdrlen)
				return kseterr("read too short for header");
			sl = sizeof ss;
			r = recvfrom(fd, buf + Hdrlen, n - Hdrlen, fl, (struct sockaddr *)&ss, &sl);
			if(r >= 0){
				if(!peek)
					cv->nread += r;
				h = (uchar *)buf;
				memset(h, 0, Hdrlen);
				v6of(&ss, h, h + 48);
				sl = sizeof ls;
				if(getsockname(fd, (struct sockaddr *)&ls, &sl) == 0)
					v6of(&ls, h + 16, h + 50);
				memcpy(h + 32, h + 16, 16);
				return r + Hdrlen;
			}
		}else{
			/* a unix message read short: the rest is gone, and the
			 * offsets of files in flight count all its bytes */
			if(cv->proto == Punix && cv->stype != SOCK_STREAM)
				fl |= MSG_TRUNC;
			held = 0;
			r = streamconv(cv) ? streamrecv(cv, fd, buf, n, fl, &held) : recv(fd, buf, n, fl);
			if(r == -2)
				return -1;	/* interrupted waiting for a copy's hold */
			if(r >= 0){
				whole = r;
				if(r > n)
					r = n;
				if(!peek && !held)
					readtaken(cv, whole);
				return r;
			}
		}
		if(errno == ECONNRESET || errno == EPIPE)
			return 0;
		if(errno != EAGAIN && errno != EINTR)
			return ksetosErr(errno);
		/* a unix datagram or seqpacket socket shut down for reading
		 * ("shutdown rd") and empty: Linux's read answers 0 (a
		 * datagram one's only where it would wait); the host socket
		 * polls readable and its nonblocking recv says EAGAIN, and
		 * the wait here spun on them for ever (until red30b) */
		if(errno == EAGAIN && cv->proto == Punix && (!(up != NULL && up->nowait) || cv->stype == SOCK_SEQPACKET) && rdshut(fd))
			return 0;
		if(iowait(fd, POLLIN) < 0)
			return -1;
	}
}

/* Before a write: passfd's files go on their way with its first byte
 * (queued before the byte can be read). */
static int
sendrights(Conv *cv, long len)
{
	Rights *r, **e;
	Ulink *l;

	pthread_mutex_lock(&iplk);
	r = cv->pend;
	l = cv->link;
	if(r == NULL || l == NULL){
		pthread_mutex_unlock(&iplk);
		return 0;
	}
	if(l->nq[!cv->side] >= Maxbatch){
		pthread_mutex_unlock(&iplk);
		return ksetosErr(ETOOMANYREFS);
	}
	cv->pend = NULL;
	r->pos = cv->nwritten;
	r->len = len;
	r->next = NULL;
	for(e = &l->q[!cv->side]; *e != NULL; e = &(*e)->next)
		;
	*e = r;
	l->nq[!cv->side]++;
	pthread_mutex_unlock(&iplk);
	return 0;
}

/* The write sent nothing: take back a batch sendrights queued for it. */
static void
unsendrights(Conv *cv)
{
	Rights *r, **e;
	Ulink *l;

	r = NULL;
	pthread_mutex_lock(&iplk);
	l = cv->link;
	if(l != NULL)
		for(e = &l->q[!cv->side]; *e != NULL; e = &(*e)->next)
			if((*e)->next == NULL && (*e)->pos == cv->nwritten){
				r = *e;
				*e = NULL;
				l->nq[!cv->side]--;
				break;
			}
	pthread_mutex_unlock(&iplk);
	freerights(r);
}

static long
datawrite(Conv *cv, char *buf, long n)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	uchar *h;
	ssize_t r;
	long done;
	int fd, e, fl, packet;

	if(unixdgram(cv))
		return dgramsend(cv, buf, n);
	fd = cv->fd;
	if(fd < 0)
		return kseterr("not connected");
	if(cv->headers){
		if(n < Hdrlen)
			return kseterr("write too short for header");
		h = (uchar *)buf;
		memset(&ss, 0, sizeof ss);
		if(cv->family == AF_INET6){
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			s6->sin6_family = AF_INET6;
			memcpy(&s6->sin6_addr, h, 16);
			memcpy(&s6->sin6_port, h + 48, 2);
			sl = sizeof *s6;
		}else{
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			static const uchar v4pre[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };
			if(memcmp(h, v4pre, 12) != 0)
				return kseterr("cannot send to an IPv6 address from an IPv4 conversation");
			s4->sin_family = AF_INET;
			memcpy(&s4->sin_addr, h + 12, 4);
			memcpy(&s4->sin_port, h + 48, 2);
			sl = sizeof *s4;
		}
		for(;;){
			r = sendto(fd, buf + Hdrlen, n - Hdrlen, MSG_NOSIGNAL, (struct sockaddr *)&ss, sl);
			if(r >= 0)
				return n;
			if(errno != EAGAIN && errno != EINTR)
				return ksetosErr(errno);
			if(iowait(fd, POLLOUT) < 0)
				return -1;
		}
	}
	if(cv->pend != NULL && n > 0 && sendrights(cv, n) < 0)
		return -1;
	fl = MSG_NOSIGNAL;
	if(cv->urgent){
		fl |= MSG_OOB;
		cv->urgent = 0;
	}
	/* a datagram or seqpacket write is one message, even an empty one */
	packet = cv->proto == Pudp || (cv->proto == Punix && cv->stype != SOCK_STREAM);
	for(done = 0; done < n || (packet && n == 0); ){
		r = send(fd, buf + done, n - done, fl);
		if(r >= 0){
			done += r;
			if(cv->proto == Punix){
				pthread_mutex_lock(&iplk);
				cv->nwritten += r;
				pthread_mutex_unlock(&iplk);
			}
			if(packet)
				break;
			continue;
		}
		e = errno;
		if(done == 0 && e != EAGAIN && e != EINTR)
			unsendrights(cv);
		if(e == EPIPE || e == ECONNRESET)
			return kseterr(Ehungup);
		if(e != EAGAIN && e != EINTR)
			return ksetosErr(e);
		if(iowait(fd, POLLOUT) < 0){
			if(done == 0)
				unsendrights(cv);
			return done > 0 ? done : -1;
		}
	}
	return n;
}

/* A read of fds by a reader about to read want bytes: the first batch
 * in flight, taken (installed as fds of the reader) when its first byte
 * is among those. */
static long
fdsread(Conv *cv, char *buf, long n, vlong want)
{
	Rights *r, *stale, **q;
	uvlong nread;
	Ulink *l;
	int *nq;
	char *s;
	vlong off;
	long m, len;
	int i, fd;

	if(up->remote)
		return kseterr(Eremotefd);	/* before a batch is taken */
	if(n < Fdsmsg)
		return kseterr(Eshort);	/* before anything is installed */
	r = NULL;
	off = -1;
	len = 0;
	pthread_mutex_lock(&iplk);
	/* a link's batches go with byte offsets; an inbox's with
	 * datagrams, each its own (the next one's: offset 0) */
	l = cv->link;
	if(l != NULL){
		q = &l->q[cv->side];
		nq = &l->nq[cv->side];
		nread = cv->nread;
	}else{
		q = &cv->inq;
		nq = &cv->ninq;
		nread = cv->dgread;
		if(want > 0)
			want = 1;
	}
	stale = stalerights(q, nq, nread);
	if(*q != NULL){
		off = (*q)->pos - nread;
		len = (*q)->len;
		if(off < want){
			r = *q;
			*q = r->next;
			(*nq)--;
			r->next = NULL;
		}
	}
	pthread_mutex_unlock(&iplk);
	freerights(stale);
	s = kmalloc(48 + (r != NULL ? r->n * 16 : 0));
	m = sprintf(s, "%lld %ld", off, len);
	for(i = 0; r != NULL && i < r->n; i++){
		fd = newfd(r->c[i]);
		if(fd < 0){
			/* no room: this one and the rest are closed, as Linux
			 * does with what it cannot install */
			for(; i < r->n; i++)
				cclose(r->c[i]);
			break;
		}
		m += sprintf(s + m, " %d/%d/%u", fd, r->c[i]->mode & 3, r->fl[i]);
	}
	if(r != NULL)
		rightsgone(r);
	memcpy(buf, s, m);
	free(s);
	return m;
}

static long
ipread(Chan *c, void *buf, long n, vlong off)
{
	char tmp[Maxuname + 64];
	Ulink *l;
	Conv *cv;

	switch(TYPE(c->qid)){
	case Qtopdir:
	case Qprotodir:
	case Qconvdir:
		return devdirread(c, buf, n, NULL, 0, ipgen);
	case Qcs:
		return csread(c, buf, n, off);
	}
	cv = convof(c->qid);
	if(cv == NULL)
		return kseterr(Enonexist);
	switch(TYPE(c->qid)){
	case Qctl:
		snprintf(tmp, sizeof tmp, "%d", cv->x);
		return readstr(off, buf, n, tmp);
	case Qlocal:
		convaddr(cv, 0, tmp, sizeof tmp);
		return readstr(off, buf, n, tmp);
	case Qremote:
		convaddr(cv, 1, tmp, sizeof tmp);
		return readstr(off, buf, n, tmp);
	case Qstatus:
		if(cv->proto != Punix){
			snprintf(tmp, sizeof tmp, "%s/%d %d %s\n", protoname[cv->proto], cv->x, cv->inuse, statename[cv->state]);
			return readstr(off, buf, n, tmp);
		}
		/* unix: and its type (vxrun finds a dup'ed socket's again),
		 * its peer's user when it connected, and its peer's now */
		pthread_mutex_lock(&iplk);
		l = cv->link;
		snprintf(tmp, sizeof tmp, "%s/%d %d %s %s peercred %d %d %d sender %d %d %d\n", protoname[cv->proto], cv->x,
			cv->inuse, statename[cv->state],
			cv->stype == SOCK_DGRAM ? "dgram" : cv->stype == SOCK_SEQPACKET ? "seqpacket" : "stream",
			cv->peercred[0], cv->peercred[1], cv->peercred[2],
			l != NULL ? l->cred[!cv->side][0] : 0, l != NULL ? l->cred[!cv->side][1] : -1,
			l != NULL ? l->cred[!cv->side][2] : -1);
		pthread_mutex_unlock(&iplk);
		return readstr(off, buf, n, tmp);
	case Qdata:
		return dataread(cv, buf, n);
	case Qfds:
		return fdsread(cv, buf, n, off);
	}
	return kseterr(Eperm);
}

static long
ipwrite(Chan *c, void *buf, long n, vlong off)
{
	Conv *cv;

	(void)off;
	if(TYPE(c->qid) == Qcs)
		return cswrite(c, buf, n);
	cv = convof(c->qid);
	if(cv == NULL)
		return kseterr(Enonexist);
	switch(TYPE(c->qid)){
	case Qctl:
		return ipctl(cv, buf, n);
	case Qdata:
		return datawrite(cv, buf, n);
	}
	return kseterr(Eperm);
}

/* A named datagram conversation's readiness: a datagram in its inbox
 * or an error to read; room at its peer, if it has one, to write.
 * Every change calls pollwakeup, so no host fd is waited on (its
 * inbox's end is always writable). */
static int
dgramready(Conv *cv, int events)
{
	struct pollfd pf;
	Conv *o;
	int r;

	r = 0;
	pthread_mutex_lock(&iplk);
	if(cv->err != 0)
		r |= events & (KPREAD | KPWRITE);
	if(cv->fd >= 0 && (events & KPREAD)){
		pf.fd = cv->fd;
		pf.events = POLLIN;
		if(poll(&pf, 1, 0) > 0)
			r |= KPREAD;
	}
	if(events & KPWRITE){
		o = cv->dgto >= 0 ? convs[Punix][cv->dgto] : NULL;
		if(o == NULL || o->gen != cv->dgtogen || o->inuse == 0 || dgramours(o, cv) || o->dgin - o->dgread <= Maxdgramq)
			r |= KPWRITE;
	}
	pthread_mutex_unlock(&iplk);
	return r;
}

/* Readiness (poll.c): the host socket's, or a unix listener's queue. */
int
ipready(Chan *c, int events, int *hostfd)
{
	struct pollfd pf;
	Conv *cv;
	int r;

	switch(TYPE(c->qid)){
	case Qctl: case Qdata: case Qlisten:
		break;
	default:
		return events & (KPREAD | KPWRITE);
	}
	cv = convof(c->qid);
	if(cv == NULL)
		return events & (KPREAD | KPWRITE);
	if(cv->proto == Punix && cv->state == Sannounced){
		pthread_mutex_lock(&iplk);
		r = cv->nq > 0 ? KPREAD : 0;
		pthread_mutex_unlock(&iplk);
		return r & events;
	}
	if(unixdgram(cv))
		return dgramready(cv, events);
	if(cv->fd < 0)
		return cv->state == Sclosed ? KPHUP | (events & (KPREAD | KPWRITE)) : (events & KPWRITE);
	pf.fd = cv->fd;
	pf.events = ((events & KPREAD) ? POLLIN : 0) | ((events & KPWRITE) ? POLLOUT : 0);
	pf.revents = 0;
	r = 0;
	if(poll(&pf, 1, 0) > 0){
		if(pf.revents & (POLLIN | POLLERR))
			r |= events & KPREAD;
		if(pf.revents & (POLLOUT | POLLERR))
			r |= events & KPWRITE;
		if(pf.revents & (POLLHUP | POLLRDHUP))
			r |= KPHUP | (events & KPREAD);
	}
	if(r == 0)
		*hostfd = cv->fd;
	return r;
}

Dev ipdevtab = {
	'I', "ip",
	ipinit, ipattach, ipwalk, ipstat, ipopen, devcreate,
	ipclose, ipread, ipwrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
