/*
 * devmnt.c — #M, the mount driver.  A 9P2000 file server reached through
 * any Chan (a #N connection, a pipe, a #s file …) becomes a tree of Chans.
 * Each conversation Chan has one Mnt: a libstyx client that multiplexes
 * the requests of every proc over it by tag.  Every Chan of the tree holds
 * one fid (Chan.auxv) and a reference to its Mnt (Chan.aux).
 *
 * A proc waiting in an rpc is woken by kpkill and kinterrupt (procwake
 * calls mntwake): the client sends Tflush and the call fails
 * "interrupted".  Clunk and remove are not interrupted by a note, so fids
 * are not lost when a proc's Chans close; a killed proc waits for no
 * reply and no Rflush, so a server that never answers cannot keep it
 * (its fids are then the server's to forget at the hangup).
 *
 * Each Mnt keeps host descriptors for its life (the client's end, dup'd
 * or a bridge's socketpair, and the client's wake-up pipe) and host
 * threads (the client's reader; a bridge's two pumps): they are charged
 * to the sandbox of the proc that made it, as its open files are, so a
 * guest that mounts in a loop gets EMFILE at its descriptor bound
 * rather than the host's descriptors and threads (mntcharge).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "net.h"
#include "styx.h"

enum {
	MNTMSIZE = 64*1024 + STYX_IOHDRSZ,	/* what we ask for */
	Negotiating = 0, Ready = 1, Failed = -1,
};

typedef struct Mnt Mnt;
struct Mnt {
	int ref;		/* mntlk */
	int state;		/* mntlk: Negotiating, Ready, Failed */
	int pinned;		/* kfversion's reference, until the first attach */
	Mnt *next;
	Chan *conv;		/* the conversation, key of the table */
	StyxClient *client;
	uint id;		/* Chan.dev of the tree */
	uint32_t msize;
	atomic_uint nextfid;
	char err[ERRMAX];	/* why negotiation failed */
	Boxacct *acct;		/* charged nfd host descriptors, or NULL */
	int nfd;
};

static pthread_mutex_t mntlk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mntcond = PTHREAD_COND_INITIALIZER;
static Mnt *mnts;
static uint mntids;

static Qid
kqid(StyxQid q)
{
	return mkqid(q.path, q.vers, q.type);
}

static void
mntfree(Mnt *m)
{
	if(m->client != NULL)
		styx_client_free(m->client);	/* closes the host fd; pumps end */
	cclose(m->conv);
	if(m->acct != NULL){
		kboxcharge(m->acct, -m->nfd);
		kboxput(m->acct);
	}
	free(m);
}

/* Charge the caller's sandbox for the host descriptors m will keep: the
 * client's end and its wake-up pipe, and for a Chan that is no #N
 * connection a bridge's other end (chanhostfd).  -1 with Emfile past
 * the sandbox's bound. */
static int
mntcharge(Mnt *m)
{
	int n;

	if(up == NULL || up->acct == NULL)
		return 0;
	n = connhostfd(m->conv) >= 0 ? 3 : 4;
	if(kboxcharge(up->acct, n) < 0)
		return kseterr(Emfile);
	m->acct = kboxacct(up);
	m->nfd = n;
	return 0;
}

static void
mntput(Mnt *m)
{
	Mnt **l;
	int last;

	pthread_mutex_lock(&mntlk);
	last = --m->ref == 0;
	if(last)
		for(l = &mnts; *l != NULL; l = &(*l)->next)
			if(*l == m){
				*l = m->next;
				break;
			}
	pthread_mutex_unlock(&mntlk);
	if(last)
		mntfree(m);
}

/* A kill during the version exchange shuts the socket: the read ends. */
static void
negwake(void *a)
{
	shutdown(*(int*)a, SHUT_RDWR);
}

static void
setnegwake(int *fd)
{
	if(up == NULL)
		return;
	pthread_mutex_lock(&up->sleeplk);
	up->mntwake = fd != NULL ? negwake : NULL;
	up->mntwakearg = fd;
	pthread_mutex_unlock(&up->sleeplk);
	if(fd != NULL && (atomic_load(&up->killed) || atomic_load(&up->note)))
		negwake(fd);
}

static int
negotiate(Mnt *m, uint32_t msize)
{
	char err[STYX_ERRMAX];
	int fd;

	fd = chanhostfd(m->conv);
	if(fd < 0){
		kgerrstr(m->err, sizeof m->err);
		return -1;
	}
	setnegwake(&fd);
	m->client = styx_client_new(fd, msize, err);
	setnegwake(NULL);
	if(m->client == NULL){
		close(fd);
		if(up != NULL && (atomic_load(&up->killed) || atomic_exchange(&up->note, 0))){
			snprintf(m->err, sizeof m->err, "%s", Eintr);
			return -1;
		}
		memcpy(m->err, "mount: ", 7);
		snprintf(m->err + 7, sizeof m->err - 7, "%.*s", (int)sizeof m->err - 8, err);
		return -1;
	}
	m->msize = styx_client_msize(m->client);
	return 0;
}

/* The Mnt of conversation conv, referenced; the first user negotiates
 * the version while later ones wait for the outcome. */
static Mnt *
mntget(Chan *conv, uint32_t msize)
{
	Mnt *m;
	int r;

	pthread_mutex_lock(&mntlk);
	for(m = mnts; m != NULL; m = m->next)
		if(m->conv == conv && m->state != Failed)
			break;
	if(m != NULL){
		m->ref++;
		while(m->state == Negotiating)
			pthread_cond_wait(&mntcond, &mntlk);
		pthread_mutex_unlock(&mntlk);
		if(m->state == Failed){
			kseterr(m->err);
			mntput(m);
			return NULL;
		}
		return m;
	}
	m = kzalloc(sizeof *m);
	m->ref = 1;
	m->state = Negotiating;
	m->conv = conv;
	incref(&conv->ref);
	m->id = ++mntids;
	atomic_init(&m->nextfid, 1);
	m->next = mnts;
	mnts = m;
	pthread_mutex_unlock(&mntlk);

	r = mntcharge(m);
	if(r < 0)
		kgerrstr(m->err, sizeof m->err);
	else
		r = negotiate(m, msize);

	pthread_mutex_lock(&mntlk);
	m->state = r < 0 ? Failed : Ready;
	pthread_cond_broadcast(&mntcond);
	pthread_mutex_unlock(&mntlk);
	if(r < 0){
		kseterr(m->err);
		mntput(m);
		return NULL;
	}
	return m;
}

static uint32_t
mntfid(Mnt *m)
{
	uint32_t f;

	do
		f = atomic_fetch_add(&m->nextfid, 1);
	while(f == STYX_NOFID);
	return f;
}

static Chan *
mntchan(Mnt *m, uint32_t fid, Qid q, Path *path)
{
	Chan *c;

	c = newchan();
	c->type = devno('M', 0);
	c->dev = m->id;
	c->qid = q;
	c->aux = m;
	c->auxv = fid;
	pthread_mutex_lock(&mntlk);
	m->ref++;
	pthread_mutex_unlock(&mntlk);
	c->path = path;
	if(path != NULL)
		incref(&path->ref);
	return c;
}

/* --- rpcs --------------------------------------------------------------- */

/* A proc's wait in an rpc: a note (kinterrupt) flushes an interruptible
 * one and waits for the Rflush; a kill flushes any, clunks too, and does
 * not wait for the Rflush, which a server may never send. */
typedef struct Mntwait {
	StyxIntr in;
	Proc *p;
	int intr;	/* a note interrupts it */
} Mntwait;

static void
mntwake(void *a)
{
	Mntwait *w = a;

	if(atomic_load(&w->p->killed))
		styx_abandon(&w->in);
	else if(w->intr)
		styx_interrupt(&w->in);
}

static void
setwake(Mntwait *w)
{
	pthread_mutex_lock(&up->sleeplk);
	up->mntwake = w != NULL ? mntwake : NULL;
	up->mntwakearg = w;
	pthread_mutex_unlock(&up->sleeplk);
}

/* A failed exchange's error, the kernel's way; -1. */
static int
mnterr(Mnt *m, char *err)
{
	if(strcmp(err, "interrupted") == 0)
		return kseterr(Eintr);
	if(styx_client_dead(m->client)){
		kwerrstr("%s: %s", Ehungup, strncmp(err, "hangup: ", 8) == 0 ? err + 8 : err);
		return -1;
	}
	return kseterr(err);
}

/* One exchange for the current proc; on success *rbuf holds the reply
 * (free it).  intr: a kinterrupt flushes it; a kill flushes every rpc. */
static int
mntrpc(Mnt *m, Fcall *tx, Fcall *rx, uint8_t **rbuf, int intr)
{
	char err[STYX_ERRMAX];
	Mntwait w;
	int r;

	if(intr && up != NULL && procintr() < 0)
		return -1;
	styx_intrinit(&w.in);
	w.p = up;
	w.intr = intr;
	if(up != NULL){
		setwake(&w);
		/* a wake-up sent before setwake is seen here */
		if(atomic_load(&up->killed) || (intr && atomic_load(&up->note)))
			mntwake(&w);
	}
	r = styx_rpc(m->client, tx, rx, rbuf, up != NULL ? &w.in : NULL, err);
	if(up != NULL)
		setwake(NULL);
	pthread_mutex_destroy(&w.in.lk);
	if(r == 0)
		return 0;
	if(strcmp(err, "interrupted") == 0 && intr && up != NULL && !atomic_load(&up->killed))
		atomic_store(&up->note, 0);	/* this wait took it */
	return mnterr(m, err);
}

static void
txinit(Fcall *f, int type, uint32_t fid)
{
	memset(f, 0, sizeof *f);
	f->type = type;
	f->fid = fid;
}

static Mnt *
mntof(Chan *c)
{
	return c->aux;
}

/* --- the device --------------------------------------------------------- */

static Chan *
mntdevattach(char *spec)
{
	(void)spec;
	return kseterrp(Enoattach);
}

/* The name ns shows for a mount: the dial string of a #N connection,
 * else the conversation's own name (/srv/x), so the line replays. */
static char *
mntname(Chan *conv)
{
	char *s;

	if(conv->path == NULL)
		return "#M";
	s = conv->path->s;
	if(strncmp(s, "#N/", 3) == 0 && s[3] != 0)
		return s + 3;
	return s;
}

static Chan *
mntattach(Mntparam *p)
{
	Fcall tx, rx;
	uint8_t *rb;
	Chan *c;
	Mnt *m;
	uint32_t fid;
	int unpin;

	m = mntget(p->chan, MNTMSIZE);
	if(m == NULL)
		return NULL;
	txinit(&tx, Tattach, mntfid(m));
	fid = tx.fid;
	tx.afid = STYX_NOFID;
	if(p->authchan != NULL){
		if(p->authchan->type != devno('M', 0) || mntof(p->authchan) != m || !(p->authchan->qid.type & QTAUTH)){
			mntput(m);
			return kseterrp("mount: the auth fd is not for this connection");
		}
		tx.afid = p->authchan->auxv;
	}
	tx.uname = p->user != NULL ? p->user : up->user;
	tx.aname = p->spec != NULL ? p->spec : "";
	if(mntrpc(m, &tx, &rx, &rb, 1) < 0){
		mntput(m);
		return NULL;
	}
	c = mntchan(m, fid, kqid(rx.qid), NULL);
	free(rb);
	c->path = newpath(mntname(p->chan));
	pthread_mutex_lock(&mntlk);
	unpin = m->pinned;
	m->pinned = 0;
	pthread_mutex_unlock(&mntlk);
	if(unpin)
		mntput(m);
	mntput(m);
	return c;
}

static Walkqid *
mntwalk(Chan *c, Chan *nc, char **name, int nname)
{
	Fcall tx, rx;
	uint8_t *rb;
	Walkqid *wq;
	Mnt *m;
	int i;

	if(nc != NULL || nname < 0 || nname > MAXWELEM)
		return kseterrp(Ebadarg);
	if(c->flag & COPEN)
		return kseterrp(Eisopen);
	m = mntof(c);
	txinit(&tx, Twalk, c->auxv);
	tx.newfid = mntfid(m);
	tx.nwname = nname;
	for(i = 0; i < nname; i++)
		tx.wname[i] = name[i];
	if(mntrpc(m, &tx, &rx, &rb, 1) < 0)
		return NULL;
	if(rx.nwqid > nname || (nname > 0 && rx.nwqid == 0)){
		free(rb);
		return kseterrp("protocol botch: bad Rwalk");
	}
	wq = newwq();
	wq->nqid = rx.nwqid;
	for(i = 0; i < rx.nwqid; i++)
		wq->qid[i] = kqid(rx.wqid[i]);
	free(rb);
	if(wq->nqid == nname)
		wq->clone = mntchan(m, tx.newfid, nname > 0 ? wq->qid[nname-1] : c->qid, c->path);
	else
		kseterr(Enonexist);	/* for a caller that asks why it stopped */
	return wq;
}

static int
mntstat(Chan *c, uchar *db, int n)
{
	Fcall tx, rx;
	uint8_t *rb;
	Mnt *m;

	m = mntof(c);
	txinit(&tx, Tstat, c->auxv);
	if(mntrpc(m, &tx, &rx, &rb, 1) < 0)
		return -1;
	if(rx.nstat > n){
		free(rb);
		if(n < BIT16SZ)
			return kseterr(Eshortstat);
		db[0] = (rx.nstat - BIT16SZ);
		db[1] = (rx.nstat - BIT16SZ) >> 8;
		return BIT16SZ;
	}
	memcpy(db, rx.stat, rx.nstat);
	free(rb);
	/* the file is ours now: our device type and instance (STATFIXLEN
	 * is checked by the codec, so these bytes exist) */
	db[2] = 'M';
	db[3] = 0;
	db[4] = m->id;
	db[5] = m->id >> 8;
	db[6] = m->id >> 16;
	db[7] = m->id >> 24;
	return rx.nstat;
}

static void
setiounit(Chan *c, uint32_t iounit)
{
	uint32_t max;

	max = mntof(c)->msize - STYX_IOHDRSZ;
	c->iounit = iounit == 0 || iounit > max ? max : iounit;
}

static Chan *
mntopen(Chan *c, int omode)
{
	Fcall tx, rx;
	uint8_t *rb;

	txinit(&tx, Topen, c->auxv);
	tx.mode = omode & (3|OTRUNC);	/* ORCLOSE is the kernel's (CRCLOSE) */
	if(mntrpc(mntof(c), &tx, &rx, &rb, 1) < 0)
		return NULL;
	c->qid = kqid(rx.qid);
	setiounit(c, rx.iounit);
	free(rb);
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

static int
mntcreate(Chan *c, char *name, int omode, ulong perm)
{
	Fcall tx, rx;
	uint8_t *rb;

	txinit(&tx, Tcreate, c->auxv);
	tx.name = name;
	tx.perm = perm;
	tx.mode = omode & 3;
	if(mntrpc(mntof(c), &tx, &rx, &rb, 1) < 0)
		return -1;
	c->qid = kqid(rx.qid);
	setiounit(c, rx.iounit);
	free(rb);
	c->mode = omode & 3;
	c->offset = 0;
	return 0;
}

/* Clunk or remove: never interrupted, the fid goes whatever happens. */
static int
mntrelease(Chan *c, int type)
{
	Fcall tx, rx;
	uint8_t *rb;
	Mnt *m;
	int r;

	m = mntof(c);
	txinit(&tx, type, c->auxv);
	r = mntrpc(m, &tx, &rx, &rb, 0);
	if(r == 0)
		free(rb);
	c->aux = NULL;
	mntput(m);
	return r;
}

static void
mntclose(Chan *c)
{
	if(mntof(c) != NULL)
		mntrelease(c, Tclunk);
}

static int
mntremove(Chan *c)
{
	return mntrelease(c, Tremove);
}

/* What one Tread or Twrite of n bytes at off on c asks: at most what
 * fits. */
static void
mntiotx(Chan *c, Fcall *tx, int type, void *buf, long n, vlong off)
{
	if(n > (long)c->iounit && c->iounit > 0)
		n = c->iounit;
	if(n > (long)(mntof(c)->msize - STYX_IOHDRSZ))
		n = mntof(c)->msize - STYX_IOHDRSZ;
	txinit(tx, type, c->auxv);
	tx->offset = off;
	tx->count = n;
	if(type == Twrite)
		tx->data = buf;
}

/* Its reply rx (in rb, freed): the count moved, or -1. */
static long
mntiorx(Fcall *rx, uint8_t *rb, int type, void *buf, long n)
{
	long got;

	got = rx->count;
	if(got > n){
		free(rb);
		return kseterr("protocol botch: reply count larger than asked");
	}
	if(type == Tread)
		memcpy(buf, rx->data, got);
	free(rb);
	return got;
}

/* One Tread or Twrite of at most what fits; the count moved, or -1. */
static long
mntio(Chan *c, int type, void *buf, long n, vlong off)
{
	Fcall tx, rx;
	uint8_t *rb;

	mntiotx(c, &tx, type, buf, n, off);
	if(mntrpc(mntof(c), &tx, &rx, &rb, 1) < 0)
		return -1;
	return mntiorx(&rx, rb, type, buf, tx.count);
}

/*
 * The export's reads and writes of a mounted file, which park rather
 * than wait (export.c xmnt): one Tread or Twrite of c (a file, open)
 * sent and not waited for; done(arg) runs when its outcome is known
 * (styx_start).  1: sent, *np the count asked (at most what fits), *kp
 * the call for mntioend; 0: not now (a directory, not a mounted file,
 * or half the mount's tags in flight: the device's read or write, which
 * waits, is the way); -1 with the error.
 */
int
mntiostart(Chan *c, int type, void *buf, long *np, vlong off, void (*done)(void*), void *arg, StyxCall **kp)
{
	char err[STYX_ERRMAX];
	Fcall tx;
	Mnt *m;
	int r;

	m = devtab[c->type]->dc == 'M' ? mntof(c) : NULL;
	if(m == NULL || (c->qid.type & QTDIR) || (type != Tread && type != Twrite))
		return 0;
	if(off < 0 || *np < 0)
		return kseterr(Ebadarg);
	mntiotx(c, &tx, type, buf, *np > INT64_MAX - off ? INT64_MAX - off : *np, off);
	r = styx_start(m->client, &tx, done, arg, kp, err);
	if(r < 0)
		return mnterr(m, err);
	if(r > 0)
		return 0;
	*np = tx.count;
	return 1;
}

/* The remote server is asked to forget k (Tflush); its outcome comes
 * as before: the reply, or "interrupted" once the Rflush came. */
void
mntiocancel(StyxCall *k)
{
	styx_cancel(k);
}

/* k's outcome (k ends): the count moved (a read's data in buf, n the
 * count asked), or -1 with the error. */
long
mntioend(Chan *c, StyxCall *k, int type, void *buf, long n)
{
	char err[STYX_ERRMAX];
	Fcall rx;
	uint8_t *rb;

	if(styx_take(k, &rx, &rb, err) < 0)
		return mnterr(mntof(c), err);
	return mntiorx(&rx, rb, type, buf, n);
}

/* A directory's entries are files of ours, as a stat's (mntstat) and
 * as Plan 9's mntdirfix makes them: our device type and instance, not
 * what the server wrote there (an export keys its qid map by them).
 * Malformed entries are left to the reader's checks. */
static void
mntdirfix(Chan *c, uchar *buf, long n)
{
	long k, m;
	uchar *p;

	for(k = 0; n - k >= STATFIXLEN; k += m){
		p = buf + k;
		m = (p[0] | p[1] << 8) + BIT16SZ;
		if(m < STATFIXLEN || m > n - k)
			break;
		p[2] = 'M';
		p[3] = 0;
		p[4] = c->dev;
		p[5] = c->dev >> 8;
		p[6] = c->dev >> 16;
		p[7] = c->dev >> 24;
	}
}

/* Files move in msize pieces until done or short; a directory read is
 * one message, so that entries are never split. */
static long
mntrdwr(Chan *c, int type, void *buf, long n, vlong off)
{
	long done, r;

	if(off < 0 || n < 0)
		return kseterr(Ebadarg);
	if(n > INT64_MAX - off)
		n = INT64_MAX - off;	/* off + done never overflows */
	if(c->qid.type & QTDIR){
		r = mntio(c, type, buf, n, off);
		if(r > 0 && type == Tread)
			mntdirfix(c, buf, r);
		return r;
	}
	for(done = 0; done < n; done += r){
		r = mntio(c, type, (char*)buf + done, n - done, off + done);
		if(r < 0)
			return done > 0 ? done : -1;
		if(r == 0)
			break;
		if(type == Tread && r < (long)c->iounit && r < n - done){
			done += r;
			break;
		}
	}
	return done;
}

static long
mntread(Chan *c, void *buf, long n, vlong off)
{
	return mntrdwr(c, Tread, buf, n, off);
}

static long
mntwrite(Chan *c, void *buf, long n, vlong off)
{
	return mntrdwr(c, Twrite, buf, n, off);
}

static int
mntwstat(Chan *c, uchar *db, int n)
{
	Fcall tx, rx;
	uint8_t *rb;

	txinit(&tx, Twstat, c->auxv);
	tx.stat = db;
	tx.nstat = n;
	if(mntrpc(mntof(c), &tx, &rx, &rb, 1) < 0)
		return -1;
	free(rb);
	return n;
}

/* --- kfversion and kfauth (sysfile.c calls these) ------------------------- */

/* Negotiate on fd's Chan now; the Mnt stays for a later kmount. */
int
mntversion(Chan *c, uint msize, char *version, uint nversion)
{
	Mnt *m;
	int pin;

	if(version != NULL && version[0] != 0 && strcmp(version, "9P2000") != 0)
		return kseterr("fversion: only 9P2000 is spoken");
	if(msize == 0)
		msize = MNTMSIZE;
	m = mntget(c, msize);
	if(m == NULL)
		return -1;
	if(version != NULL && nversion > 0)
		snprintf(version, nversion, "9P2000");
	pthread_mutex_lock(&mntlk);
	pin = !m->pinned;
	m->pinned = 1;
	pthread_mutex_unlock(&mntlk);
	msize = m->msize;
	if(!pin)
		mntput(m);
	return msize;
}

/* Tauth on fd's conversation: a Chan for the auth fid, open for I/O. */
Chan *
mntauth(Chan *conv, char *aname)
{
	Fcall tx, rx;
	uint8_t *rb;
	Chan *c;
	Mnt *m;

	m = mntget(conv, MNTMSIZE);
	if(m == NULL)
		return NULL;
	txinit(&tx, Tauth, 0);
	tx.afid = mntfid(m);
	tx.uname = up->user;
	tx.aname = aname != NULL ? aname : "";
	if(mntrpc(m, &tx, &rx, &rb, 1) < 0){
		mntput(m);
		return NULL;
	}
	c = mntchan(m, tx.afid, kqid(rx.aqid), NULL);
	free(rb);
	mntput(m);
	c->path = newpath("#M/auth");
	c->mode = ORDWR;
	c->flag |= COPEN;
	c->iounit = m->msize - STYX_IOHDRSZ;
	return c;
}

Dev mntdevtab = {
	'M', "mnt",
	NULL, mntdevattach, mntwalk, mntstat, mntopen, mntcreate,
	mntclose, mntread, mntwrite, mntremove, mntwstat, mntattach,
	Walkmanyquiet,	/* an Rwalk stopped short says only how far it got */
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
