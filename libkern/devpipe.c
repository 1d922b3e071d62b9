/*
 * devpipe.c — #|, pipes.  Each attach makes a new pipe: a directory with
 * two ends, data and data1; what is written on one is read from the
 * other as a byte stream, as from a Linux pipe: a read takes all that is
 * queued, across writes, up to its count, in the order written.  Only
 * a read of an empty queue waits, so several readers never wait on
 * each other's partial reads.  Reads block while empty; writes block
 * while the other side's queue is full (or fail at once for a proc that
 * asked knowait); both wake for kinterrupt and kill, and kpoll waiters
 * are woken on every change.  When every open of an end is closed, its reader sees end of file
 * after the queued data, and writes towards it fail "write on closed pipe".
 * An end's stat gives the bytes queued for it as its length and the bytes
 * ever written to it (mod 2^32) as its qid's version, so a poller can
 * tell a new arrival from old data (epoll's EPOLLET, vxrun/sysmore.c).
 *
 * A write queues what there is room for and waits for the rest, as
 * Linux's: one of at most Pipeatomic bytes goes in whole, at once, a
 * longer one may be split among others' writes and, interrupted or
 * without waiting (knowait), returns what it queued.  Taking a write of
 * any size whole made the host copy it whole: one guest buffer written
 * by many threads into many pipes was as many copies of it.  Bytes
 * queue in blocks of a page cut as Linux cuts its pipe buffers (qput):
 * small writes share one, and a read that faults stops where Linux's
 * does.  A pipe's room is charged to the sandbox that made it
 * (kboxmemcharge); one past the sandbox's bound gets Pipesmall bytes a
 * direction instead, as Linux gives one page to pipes of a user past
 * pipe-user-pages-soft.  Bytes move to and from the caller's buffer
 * with kcopy (Kconf.copy): where another thread took the buffer away
 * meanwhile, a read leaves the blocks that did not reach it whole queued
 * and a write queues the pieces it copied whole (EFAULT for none), as
 * Linux's; the caller need not look at the buffer first (vxrun passes
 * a buffer its guest cannot reach through: gmemguarded).
 *
 * A named pipe (Linux's FIFO) is a pipe of the same kind that a file
 * server names (fifoopen: #U's host FIFO nodes, by their host identity):
 * one queue, which every open for reading reads and every open for
 * writing writes, as Linux's.  An open for reading waits for a writer
 * and one for writing for a reader (with knowait: a reader does not
 * wait; a writer fails ENXIO; with knowait(KNOWAITOPEN) either fails
 * EAGAIN where it would wait); ORDWR waits for nobody.  A read of the
 * empty queue with no writer open is end of file, a write with no
 * reader fails "write on closed pipe"; when the last open goes, the
 * queue goes with it.  The pipe lives while a Chan has it open: the
 * data is the kernel's, and the host FIFO is never opened.  An open
 * FIFO's stat is the server's stat of its node (Linux's fstat of a FIFO
 * gives the inode it was opened by).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum {
	Qdir, Qdata0, Qdata1, Qfifo,
	Pipelimit = 64*1024,	/* bytes queued per direction before writers wait */
	Pipesmall = 4096,	/* the same, for a pipe its sandbox cannot afford */
	Pipeatomic = 4096,	/* Linux's PIPE_BUF: writes never split */
	Pipepage = 4096,	/* a block's room: Linux's pipe buffer, a page */
};

typedef struct Block Block;
struct Block {
	Block *next;
	long n, rp;		/* bytes in data, the first not yet read */
	long cap;		/* bytes data has room for */
	uchar data[];
};

typedef struct Queue {
	Block *head, *tail;
	long len;
	long held;		/* bytes copies took (kpipecopy), room kept till pipeunread */
} Queue;

typedef struct Pipe Pipe;
struct Pipe {
	atomic_int ref;		/* Chans */
	pthread_mutex_t lk;
	pthread_cond_t cv;	/* any change */
	uint id;
	Queue q[2];		/* q[i] is read by end i */
	ulong arrived[2];	/* bytes ever queued in q[i] */
	int nopen[2];		/* a FIFO's: readers, writers */
	int gone[2];		/* end i was opened and is now closed */
	/* a FIFO (fifoopen): its key, its place in the table, and how many
	 * opens for reading and writing there have been */
	int fifo;
	uvlong key[2];
	Chan *node;		/* the file server's Chan of the FIFO node: fstat's */
	Pipe *next;
	ulong nread, nwrite;
	long limit;		/* Pipelimit, Pipesmall, or kpiperoom's */
	Boxacct *acct;		/* charged for its room, or NULL */
	vlong charged;		/* what acct is charged for it */
};

enum { Rd, Wr };	/* a FIFO's nopen */

static atomic_uint pipeid;

#define PIPEID(c)	((uint)((c)->qid.path >> 4))
#define PTYPE(c)	((int)((c)->qid.path & 0xF))

static Qid
pipeqid(uint id, int t)
{
	return mkqid((uvlong)id << 4 | t, 0, t == Qdir ? QTDIR : QTFILE);
}

static Pipe *
newpipe(void)
{
	Pipe *p;

	p = kzalloc(sizeof *p);
	atomic_init(&p->ref, 1);
	pthread_mutex_init(&p->lk, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->id = atomic_fetch_add(&pipeid, 1) + 1;
	p->limit = Pipelimit;
	p->acct = kboxacct(up);
	p->charged = 2 * Pipelimit;
	if(kboxmemcharge(p->acct, p->charged) < 0){
		p->limit = Pipesmall;
		p->charged = 0;
	}
	return p;
}

/* Block b, filled, at q's tail */
static void
qappend(Queue *q, Block *b)
{
	b->next = NULL;
	b->rp = 0;
	b->cap = Pipepage;
	if(q->tail != NULL)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	q->len += b->n;
}

/*
 * Append n bytes to q in the pieces Linux's pipe takes them in, so that
 * a read whose buffer faults stops where Linux's does (piperead keeps a
 * block whose piece faulted whole, as Linux keeps its pipe buffer): the
 * first head bytes (a write's length modulo a page, at its start) go
 * into the last block when they fit there whole, the rest in blocks of a
 * page (Pipepage), the first filled first.  A piece the caller's buffer
 * does not give whole (kcopy: another thread took it away) is dropped
 * and ends the write: the bytes queued, fewer than n, are those of the
 * pieces before it, as Linux's.
 */
static long
qput(Queue *q, uchar *buf, long n, long head)
{
	Block *b;
	long k, done;

	done = 0;
	b = q->tail;
	if(head > 0 && head <= n && b != NULL && b->n + head <= b->cap){
		if(kcopy(b->data + b->n, buf, head) != (size_t)head)
			return 0;
		b->n += head;
		q->len += head;
		done = head;
	}
	while(done < n){
		k = n - done;
		if(k > Pipepage)
			k = Pipepage;
		b = kmalloc(sizeof *b + Pipepage);
		if(kcopy(b->data, buf + done, k) != (size_t)k){
			free(b);
			break;
		}
		b->n = k;
		qappend(q, b);
		done += k;
	}
	return done;
}

/* A Chan of file t of pipe p, holding p's reference. */
static Chan *
pipechan(Pipe *p, int t)
{
	Chan *c;

	c = devattach('|', NULL);
	c->qid = pipeqid(p->id, t);
	c->dev = p->id;
	c->aux = p;
	return c;
}

static Chan *
pipeattach(char *spec)
{
	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	return pipechan(newpipe(), Qdir);
}

static int
pipegen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	Pipe *p = c->aux;
	static char *names[] = { "data", "data1" };
	long len;
	ulong vers;
	Qid q;
	(void)tab; (void)ntab;
	if(name != NULL){
		for(i = 0; i < 2; i++)
			if(strcmp(name, names[i]) == 0)
				break;
	}
	if(i < 0 || i >= 2)
		return -1;
	pthread_mutex_lock(&p->lk);
	len = p->q[i].len;
	vers = p->arrived[i];
	pthread_mutex_unlock(&p->lk);
	q = pipeqid(p->id, Qdata0 + i);
	q.vers = vers;
	devdir(c, q, names[i], len, kern.eve, 0660, d);
	return 1;
}

static Walkqid *
pipewalk(Chan *c, Chan *nc, char **name, int nname)
{
	Pipe *p = c->aux;
	Walkqid *wq;
	if(nc == NULL){
		if(c->flag & COPEN)
			return kseterrp(Eisopen);
		incref(&p->ref);	/* the clone's; a failed walk closes it again */
	}
	wq = devwalk(c, nc, name, nname, NULL, 0, pipegen);
	if(wq == NULL && nc == NULL)
		return NULL;
	if(wq != NULL && wq->clone != NULL && wq->clone->qid.path == 0)
		wq->clone->qid = pipeqid(p->id, Qdir);	/* ".." */
	return wq;
}

static void freepipe(Pipe*);

/* An open FIFO's stat is its node's, as Linux's fstat gives the inode
 * the FIFO was opened by (device, inode number, S_IFIFO mode, times);
 * the pipe's own when the node is gone from its server. */
static int
pipestatx(Chan *c, uchar *db, int n, Dirx *x)
{
	Pipe *p = c->aux;
	Dev *nd;
	Dir d;
	long len;
	int m;
	if(PTYPE(c) != Qfifo)
		return devstat(c, db, n, NULL, 0, pipegen);
	if(p->node != NULL){
		nd = devtab[p->node->type];
		m = x != NULL && nd->statx != NULL ? nd->statx(p->node, db, n, x) : nd->stat(p->node, db, n);
		if(m > 0)
			return m;
		if(x != NULL)
			memset(x, 0, sizeof *x);
	}
	pthread_mutex_lock(&p->lk);
	len = p->q[0].len;
	pthread_mutex_unlock(&p->lk);
	devdir(c, c->qid, "fifo", len, kern.eve, DMNAMEDPIPE | 0660, &d);
	m = convD2M(&d, db, n);
	return m == 0 ? kseterr(Eshortstat) : m;
}

/* An open FIFO's file system is its node's. */
static int
pipestatfs(Chan *c, Fsstat *s)
{
	Pipe *p = c->aux;
	Dev *nd;

	if(PTYPE(c) != Qfifo || p->node == NULL)
		return 0;
	nd = devtab[p->node->type];
	return nd->statfs != NULL ? nd->statfs(p->node, s) : 0;
}

static int
pipestat(Chan *c, uchar *db, int n)
{
	return pipestatx(c, db, n, NULL);
}

/* An open FIFO's wstat is its node's (chmod, utimes of the FIFO
 * through its fd, as Linux's fchmod and futimens change the inode);
 * a pipe's, or a FIFO whose node is gone, has none. */
static int
pipewstatx(Chan *c, uchar *db, int n, Dirx *x)
{
	Pipe *p = c->aux;
	Dev *nd;

	if(PTYPE(c) != Qfifo || p->node == NULL)
		return devwstat(c, db, n);
	nd = devtab[p->node->type];
	if(x != NULL && nd->wstatx != NULL)
		return nd->wstatx(p->node, db, n, x);
	return nd->wstat(p->node, db, n);
}

static int
pipewstat(Chan *c, uchar *db, int n)
{
	return pipewstatx(c, db, n, NULL);
}

/* The FIFOs open now, by key.  fifolk also guards their ref's last
 * decrement, so a lookup never revives a pipe being freed. */
static Pipe *fifos;
static pthread_mutex_t fifolk = PTHREAD_MUTEX_INITIALIZER;

/* Wait, with p->lk held, until *count moves from n: an open of the
 * other kind.  0, or -1 interrupted. */
/* Does an open of mode omode read, write?  (OEXEC reads.) */
static int
modereads(int omode)
{
	return (omode & 3) != OWRITE;
}

static int
modewrites(int omode)
{
	return (omode & 3) == OWRITE || (omode & 3) == ORDWR;
}

/* The end of a successful open, pipe file or FIFO. */
static Chan *
pipeopened(Chan *c, int omode)
{
	Pipe *p = c->aux;

	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	/* its room a direction, fixed at its making: Linux's F_GETPIPE_SZ */
	c->iounit = p != NULL ? p->limit : Pipelimit;
	return c;
}

static int
fifowait(Pipe *p, ulong *count, ulong n)
{
	while(*count == n){
		if(procintr() < 0)
			return -1;
		procsleep(&p->lk, &p->cv);
	}
	return 0;
}

/*
 * An open Chan of the named pipe key (a file server's name for the host
 * file behind it) for omode: OREAD, OWRITE or ORDWR.  node is the
 * server's unopened Chan of the FIFO, which fifoopen takes (the pipe
 * keeps the first one for fstat).  NULL with the error set: interrupted
 * while waiting for the other side, or ENXIO for a writer under knowait
 * with no reader.
 */
Chan *
fifoopen(uvlong key0, uvlong key1, int omode, Chan *node)
{
	Pipe *p;
	Chan *c;
	int rd, wr, r;

	rd = modereads(omode);
	wr = modewrites(omode);
	pthread_mutex_lock(&fifolk);
	for(p = fifos; p != NULL; p = p->next)
		if(p->key[0] == key0 && p->key[1] == key1)
			break;
	if(p != NULL)
		incref(&p->ref);
	else{
		p = newpipe();
		p->fifo = 1;
		p->key[0] = key0;
		p->key[1] = key1;
		p->node = node;
		node = NULL;
		p->next = fifos;
		fifos = p;
	}
	pthread_mutex_unlock(&fifolk);
	if(node != NULL)
		cclose(node);
	c = pipechan(p, Qfifo);
	r = 0;
	pthread_mutex_lock(&p->lk);
	c->auxv = p->nwrite;
	p->nopen[Rd] += rd;
	p->nopen[Wr] += wr;
	p->nread += rd;
	p->nwrite += wr;
	pthread_cond_broadcast(&p->cv);
	if(rd && !wr && p->nopen[Wr] == 0 && up->nowait != 1)
		r = up->nowait == KNOWAITOPEN ? kseterr(Eagain) : fifowait(p, &p->nwrite, p->nwrite);
	else if(wr && !rd && p->nopen[Rd] == 0)
		r = up->nowait == 1 ? ksetosErr(ENXIO) : up->nowait == KNOWAITOPEN ? kseterr(Eagain) : fifowait(p, &p->nread, p->nread);
	if(r < 0){
		p->nopen[Rd] -= rd;
		p->nopen[Wr] -= wr;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	if(r < 0){
		cclose(c);	/* not COPEN: only the reference goes */
		return NULL;
	}
	return pipeopened(c, omode);
}

/* A FIFO's last Chan: out of the table, then freed. */
static void
fifoput(Pipe *p)
{
	Pipe **l;

	pthread_mutex_lock(&fifolk);
	if(decref(&p->ref) != 0){
		pthread_mutex_unlock(&fifolk);
		return;
	}
	for(l = &fifos; *l != NULL; l = &(*l)->next)
		if(*l == p){
			*l = p->next;
			break;
		}
	pthread_mutex_unlock(&fifolk);
	freepipe(p);
}

static int
fiford(Chan *c)
{
	return modereads(c->mode);
}

static int
fifowr(Chan *c)
{
	return modewrites(c->mode);
}

static Chan *
pipeopen(Chan *c, int omode)
{
	Pipe *p = c->aux;
	if(c->qid.type & QTDIR){
		if((omode & 3) != OREAD)
			return kseterrp(Eisdir);
	}else{
		pthread_mutex_lock(&p->lk);
		p->nopen[PTYPE(c) - Qdata0]++;
		pthread_mutex_unlock(&p->lk);
	}
	return pipeopened(c, omode);
}

/*
 * c's pipe opened anew (Dev.reopen: Linux's open of /proc/self/fd/N of a
 * pipe, which opens the pipe as a FIFO is opened): for reading, the end
 * that reads what data1 writes (data); for writing, the end whose
 * writes data reads (data1), whichever end c is: a one-way pipe's, as
 * pipe(2) gives them (data read, data1 written).  Each is one more open
 * of its end, so a reader sees end of file only when the reopened
 * writer is closed too.  ORDWR, which on Linux reads and writes the one
 * queue, has no end here, and a FIFO is opened by its name: c itself
 * for those, shared as before.
 */
static Chan *
pipereopen(Chan *c, int omode)
{
	Pipe *p = c->aux;
	Chan *nc;
	int t;

	if(p->fifo || (c->qid.type & QTDIR) || (omode & 3) == ORDWR || (omode & 3) == OEXEC)
		return c;
	t = (omode & 3) == OREAD ? Qdata0 : Qdata1;
	incref(&p->ref);	/* the new Chan's */
	nc = pipechan(p, t);
	if(c->path != NULL){	/* c's name, not the attach's "#|" */
		pathclose(nc->path);
		nc->path = c->path;
		incref(&nc->path->ref);
	}
	return pipeopen(nc, omode & 3);
}

static void
freequeue(Queue *q)
{
	Block *b, *next;
	for(b = q->head; b != NULL; b = next){
		next = b->next;
		free(b);
	}
}

static void
freepipe(Pipe *p)
{
	if(p->node != NULL)
		cclose(p->node);
	freequeue(&p->q[0]);
	freequeue(&p->q[1]);
	if(p->acct != NULL){
		kboxmemcharge(p->acct, -p->charged);
		kboxput(p->acct);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->lk);
	free(p);
}

static void
pipeclose(Chan *c)
{
	Pipe *p = c->aux;
	int end;
	if(p == NULL)
		return;
	if(p->fifo){
		if(c->flag & COPEN){
			pthread_mutex_lock(&p->lk);
			p->nopen[Rd] -= fiford(c);
			p->nopen[Wr] -= fifowr(c);
			if(p->nopen[Rd] == 0 && p->nopen[Wr] == 0){
				freequeue(&p->q[0]);	/* nobody has it open: its data goes */
				memset(&p->q[0], 0, sizeof p->q[0]);
			}
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->lk);
			pollwakeup();
		}
		fifoput(p);
		return;
	}
	if((c->flag & COPEN) && !(c->qid.type & QTDIR)){
		end = PTYPE(c) - Qdata0;
		pthread_mutex_lock(&p->lk);
		if(--p->nopen[end] == 0)
			p->gone[end] = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->lk);
		pollwakeup();
	}
	if(decref(&p->ref) == 0)
		freepipe(p);
}

static long
piperead(Chan *c, void *buf, long n, vlong off)
{
	Pipe *p = c->aux;
	Queue *q;
	Block *b;
	long m, k;
	int end;
	(void)off;
	if(c->qid.type & QTDIR)
		return devdirread(c, buf, n, NULL, 0, pipegen);
	if(n <= 0)
		return 0;	/* never waits, as Linux's */
	end = PTYPE(c) - Qdata0;
	if(p->fifo){
		if(!fiford(c))
			return kseterr(Ebadusefd);
		end = 0;
	}
	q = &p->q[end];
	pthread_mutex_lock(&p->lk);
	while(q->head == NULL){
		/* end of file once no copy holds bytes it may put back
		 * (Queue.held: until session 29 a reader could see end of
		 * file ahead of them: tests/vxinferno_byfdswap.t copyeof) */
		if(q->held == 0 && (p->fifo ? p->nopen[Wr] == 0 : p->gone[!end])){
			pthread_mutex_unlock(&p->lk);
			return 0;
		}
		if(up->nowait){
			pthread_mutex_unlock(&p->lk);
			return kseterr(Eagain);
		}
		if(procintr() < 0){
			pthread_mutex_unlock(&p->lk);
			return -1;
		}
		procsleep(&p->lk, &p->cv);
	}
	/* a block's piece that does not reach the buffer (kcopy: taken
	 * away meanwhile) stays queued, whole, as a Linux pipe buffer's
	 * does; with nothing moved the read fails EFAULT */
	for(m = 0; m < n && (b = q->head) != NULL; m += k){
		k = b->n - b->rp;
		if(k > n - m)
			k = n - m;
		if(kcopy((uchar*)buf + m, b->data + b->rp, k) != (size_t)k){
			if(m == 0)
				m = ksetosErr(EFAULT);
			break;
		}
		b->rp += k;
		q->len -= k;
		if(b->rp == b->n){
			q->head = b->next;
			if(q->head == NULL)
				q->tail = NULL;
			free(b);
		}
	}
	if(up->pipecopy && m > 0){
		/* a copy's (kpipecopy): their room stays taken until it
		 * settles them (pipeunread), one read a copy */
		q->held += m;
		up->copyq = q;
		up->copytaken = m;
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	return m;
}

/*
 * Put n bytes a read of c took back at the head of its queue, ahead of
 * what is queued, as though they had not been read (a personality's
 * copy from the pipe whose write came up short: Linux's splice takes
 * from a pipe only what it wrote).  A read made under kpipecopy kept
 * the room of what it took (Queue.held): it is given back here, n 0 or
 * more, so the bytes return within the pipe's room (until session 29
 * writers filled the room meanwhile, and each return put up to a
 * copy's 64 KiB more past it: a 64 KiB pipe held up to 576 KiB with
 * 8 copying threads, beyond what its sandbox was charged for).  Only
 * where c is a pipe end open for reading; -1 with the error set
 * otherwise.
 */
long
pipeunread(Chan *c, void *buf, long n)
{
	Pipe *p = c->aux;
	Queue *q;
	Block *b, *first, *last;
	long k, done;
	int end;

	if(devtab[c->type]->dc != '|' || (c->qid.type & QTDIR) || p == NULL || n < 0)
		return kseterr(Ebadusefd);
	end = PTYPE(c) - Qdata0;
	if(p->fifo){
		if(!fiford(c))
			return kseterr(Ebadusefd);
		end = 0;
	}
	first = last = NULL;
	for(done = 0; done < n; done += k){
		k = n - done > Pipepage ? Pipepage : n - done;
		b = kmalloc(sizeof *b + Pipepage);
		memmove(b->data, (uchar*)buf + done, k);
		b->n = k;
		b->rp = 0;
		b->cap = Pipepage;
		b->next = NULL;
		if(last != NULL)
			last->next = b;
		else
			first = b;
		last = b;
	}
	q = &p->q[end];
	pthread_mutex_lock(&p->lk);
	if(up->copyq == q){
		q->held -= up->copytaken;
		up->copyq = NULL;
		up->copytaken = 0;
	}
	if(last != NULL){
		last->next = q->head;
		if(q->head == NULL)
			q->tail = last;
		q->head = first;
		q->len += n;
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->lk);
	pollwakeup();
	return n;
}

/* What q may take: its limit less what it holds and what copies
 * reading it keep the room of (Queue.held) */
static long
pipequeueroom(Pipe *p, Queue *q)
{
	return p->limit - q->len - q->held;
}

/* The queue pipe end c writes to: the other end's, a FIFO's one; NULL
 * for a FIFO opened only for reading */
static Queue *
writeq(Chan *c)
{
	Pipe *p = c->aux;

	if(p->fifo)
		return fifowr(c) ? &p->q[0] : NULL;
	return &p->q[!(PTYPE(c) - Qdata0)];
}

/*
 * The room in whole pages of the queue pipe end c writes to, as Linux
 * counts a pipe's for a copy's read of a datagram (copy_splice_read: a
 * page for each buffer not in use): a Block is Linux's buffer, and the
 * bytes copies hold (Queue.held) count as the pages they fill.  In
 * bytes; -1 with the error set where c is no pipe end that writes.
 */
long
pipepageroom(Chan *c)
{
	Pipe *p = c->aux;
	Queue *q;
	Block *b;
	long used, slots;

	if(devtab[c->type]->dc != '|' || (c->qid.type & QTDIR) || p == NULL || (q = writeq(c)) == NULL)
		return kseterr(Ebadusefd);
	pthread_mutex_lock(&p->lk);
	used = (q->held + Pipepage - 1) / Pipepage;
	for(b = q->head; b != NULL; b = b->next)
		used++;
	slots = p->limit / Pipepage;
	pthread_mutex_unlock(&p->lk);
	return used < slots ? (slots - used) * Pipepage : 0;
}

/* Room in q for a write with want bytes still to go: all of them if
 * they must go whole (Pipeatomic), else any; 0 while it must wait. */
static long
pipespace(Pipe *p, Queue *q, long want, long n)
{
	long room = pipequeueroom(p, q);

	if(room <= 0 || (n <= Pipeatomic && room < want))
		return 0;
	return room < want ? room : want;
}

/* Ready for writing, to poll: a write of up to Pipeatomic bytes would
 * not wait, as Linux's pipe is writable while a page of it is free
 * (room for less made poll say "writable" to a write that then failed
 * EAGAIN, and a poll loop spun). */
static int
pipewritable(Pipe *p, Queue *q)
{
	return pipequeueroom(p, q) >= Pipeatomic;
}

static long
pipewrite(Chan *c, void *buf, long n, vlong off)
{
	Pipe *p = c->aux;
	Queue *q;
	long done, k, got;
	int end, woke;
	(void)off;
	if(c->qid.type & QTDIR)
		return kseterr(Eisdir);
	if((q = writeq(c)) == NULL)
		return kseterr(Ebadusefd);
	end = p->fifo ? 1 : PTYPE(c) - Qdata0;	/* q is q[!end] */
	done = 0;
	woke = 1;
	pthread_mutex_lock(&p->lk);
	for(;;){
		if(p->fifo ? p->nopen[Rd] == 0 : p->gone[!end]){
			pthread_mutex_unlock(&p->lk);
			return done > 0 ? done : kseterr(Epipe);
		}
		if(n == 0)
			break;
		k = pipespace(p, q, n - done, n);
		if(k > 0){
			got = qput(q, (uchar*)buf + done, k, done == 0 ? n % Pipepage : 0);
			p->arrived[!end] += got;
			done += got;
			woke = 0;
			pthread_cond_broadcast(&p->cv);
			if(got < k){
				/* the buffer went (kcopy): what came is queued */
				pthread_mutex_unlock(&p->lk);
				pollwakeup();
				return done > 0 ? done : ksetosErr(EFAULT);
			}
			if(done == n)
				break;
			continue;
		}
		if(!woke){
			/* pollers see what came before this one waits */
			pthread_mutex_unlock(&p->lk);
			pollwakeup();
			pthread_mutex_lock(&p->lk);
			woke = 1;
			continue;
		}
		if(up->nowait){
			pthread_mutex_unlock(&p->lk);
			return done > 0 ? done : kseterr(Eagain);
		}
		if(procintr() < 0){
			pthread_mutex_unlock(&p->lk);
			return done > 0 ? done : -1;
		}
		procsleep(&p->lk, &p->cv);
	}
	pthread_mutex_unlock(&p->lk);
	if(!woke)
		pollwakeup();
	return n;
}

/*
 * The room a direction of the pipe (or FIFO) fd is an end of, Linux's
 * F_GETPIPE_SZ; with size > 0 (a multiple of Pipepage) made that first,
 * Linux's F_SETPIPE_SZ: "device or resource busy" where a direction
 * holds more blocks (Linux's pipe buffers) than the new room has pages,
 * "operation not permitted" where growing it is more than its sandbox
 * can afford (as Linux refuses a user past its pipe pages).  -1 with the
 * error set; "bad file descriptor" for any other file.
 */
long
kpiperoom(int fd, long size)
{
	Chan *c;
	Pipe *p;
	Block *b;
	vlong more;
	long r, nb;
	int i;

	if(kenter() < 0)
		return -1;
	c = fdtochan(fd, -1, 0, 1);
	if(c == NULL)
		return -1;
	p = c->aux;
	if(devtab[c->type]->dc != '|' || (c->qid.type & QTDIR) || p == NULL){
		cclose(c);
		return ksetosErr(EBADF);
	}
	pthread_mutex_lock(&p->lk);
	r = p->limit;
	if(size > 0 && size != p->limit){
		for(i = 0; i < 2 && r >= 0; i++){
			nb = 0;
			for(b = p->q[i].head; b != NULL; b = b->next)
				nb++;
			if(nb > size / Pipepage)
				r = ksetosErr(EBUSY);
		}
		more = 2 * (vlong)size - p->charged;
		if(r >= 0 && size > p->limit && more > 0){
			if(kboxmemcharge(p->acct, more) < 0)
				r = ksetosErr(EPERM);
			else
				p->charged += more;
		}else if(r >= 0 && more < 0){
			kboxmemcharge(p->acct, more);
			p->charged += more;
		}
		if(r >= 0){
			p->limit = r = size;
			pthread_cond_broadcast(&p->cv);	/* writers: more room */
		}
	}
	pthread_mutex_unlock(&p->lk);
	cclose(c);
	pollwakeup();
	return r;
}

/* For kpoll: KPREAD when data waits, KPWRITE when there is room (or the
 * write would fail), KPHUP when the other end is gone (a read then gives
 * end of file once the data is taken). */
int
pipeready(Chan *c, int events, int *hostfd)
{
	Pipe *p = c->aux;
	int end, r, hup;
	(void)hostfd;
	if(c->qid.type & QTDIR)
		return events;
	end = PTYPE(c) - Qdata0;
	r = 0;
	if(p->fifo){
		/* as Linux: a reader sees a hangup only once a writer came
		 * after its open and all are gone; before that it waits */
		pthread_mutex_lock(&p->lk);
		hup = fiford(c) && p->nopen[Wr] == 0 && p->nwrite != c->auxv;
		if((events & KPREAD) && fiford(c) && p->q[0].head != NULL)
			r |= KPREAD;
		if((events & KPWRITE) && fifowr(c) && (pipewritable(p, &p->q[0]) || p->nopen[Rd] == 0))
			r |= KPWRITE;
		if(hup || (fifowr(c) && p->nopen[Rd] == 0))
			r |= KPHUP;
		pthread_mutex_unlock(&p->lk);
		return r;
	}
	pthread_mutex_lock(&p->lk);
	if((events & KPREAD) && p->q[end].head != NULL)
		r |= KPREAD;
	if((events & KPWRITE) && (pipewritable(p, &p->q[!end]) || p->gone[!end]))
		r |= KPWRITE;
	if(p->gone[!end])
		r |= KPHUP;
	pthread_mutex_unlock(&p->lk);
	return r;
}

static int
piperemove(Chan *c)
{
	pipeclose(c);
	return kseterr(Eperm);
}

Dev pipedevtab = {
	'|', "pipe",
	NULL, pipeattach, pipewalk, pipestat, pipeopen, devcreate,
	pipeclose, piperead, pipewrite, piperemove, pipewstat, NULL,
	0, NULL, NULL, pipereopen, NULL, NULL, pipestatx, pipewstatx, pipestatfs, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
