/*
 * sysmsg.c — System V message queues: msgget, msgsnd, msgrcv, msgctl.
 * A message is copied from the guest before glk is taken and back
 * after it is let go; a sender waits while the queue is full (msg_qbytes
 * bytes or messages), a receiver while nothing matches, on gcv, ending
 * EINTR at a signal and EIDRM when the queue goes.  msgrcv's type: 0
 * the first, > 0 the first of that type (MSG_EXCEPT: of another), < 0
 * the first of the lowest type at most its magnitude; MSG_COPY the
 * n-th, left in place.  What a queue holds is charged to the sandbox
 * that made it (ipccharge), past which msgsnd fails ENOMEM; the queues
 * are that sandbox's (Ipcns.msg) and go when it ends (msgnsfree).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum {
	MSGMAX = 8192, MSGMNB = 16384, MSGPOOL = MSGMNI * MSGMNB / 1024,
	MSGTQL = MSGMNB, MSGMAP = MSGMNB, MSGSSZ = 16, MSGSEG = 0xffff,
	MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000,
	MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13,
	MSGHDR = 48,		/* what a message costs beyond its text, for the charge */
};

typedef struct Msg Msg;
typedef struct Msq Msq;

struct Msg {
	Msg *next;
	int32_t type;
	uint32_t len;
	uint8_t text[];
};

struct Msq {
	Ipc ipc;		/* first */
	Msg *first;
	Msg **last;
	uint32_t cbytes, qnum, qbytes;
	int lspid, lrpid;
	uint64_t stime, rtime;
	int ref;		/* waiters: a removed queue is freed by the last */
};

/* Queue id of t's namespace. */
static Msq *
msqof(Lthread *t, int32_t id)
{
	return (Msq *)ipcfind(&ipcns(t)->msg, id);
}

static long
msgcheck(Ipc *o, uint32_t arg)
{
	(void)o, (void)arg;
	return 0;
}

static Ipc *
msgmake(Lthread *t, uint32_t arg, long *err)
{
	Msq *q;

	(void)arg;
	*err = -ENOMEM;
	q = calloc(1, sizeof *q);
	if(q == NULL)
		return NULL;
	q->ipc.id = -1;
	q->last = &q->first;
	q->qbytes = MSGMNB;
	if(ipccharge(&q->ipc, t->p->lbox, sizeof *q) < 0){
		ipcuncharge(&q->ipc);
		free(q);
		return NULL;
	}
	return &q->ipc;
}

/* msgget(key, flags) */
long
sys_msgget(Lthread *t, uint32_t *a)
{
	long r;

	pthread_mutex_lock(&glk);
	r = ipcget(t, &ipcns(t)->msg, a[0], a[1], 0, msgcheck, msgmake);
	pthread_mutex_unlock(&glk);
	return r;
}

/* The charge for what q holds, with more bytes in more messages. */
static uint64_t
msqsize(Msq *q, uint32_t more, uint32_t nmore)
{
	return sizeof *q + q->cbytes + more + (uint64_t)(q->qnum + nmore) * MSGHDR;
}

static void
msqfree(Msq *q)
{
	Msg *m;

	while((m = q->first) != NULL){
		q->first = m->next;
		free(m);
	}
	free(q);
}

/* q out of namespace ns; freed here, or by its last waiter. */
static void
msqremove(Ipcns *ns, Msq *q)
{
	ipcdel(&q->ipc);
	ns->msgs -= q->qnum;
	ns->msgbytes -= q->cbytes;
	ipcuncharge(&q->ipc);
	pthread_cond_broadcast(&gcv);
	if(q->ref == 0)
		msqfree(q);
}

/* The sandbox has ended: its queues go (no process of it is left to
 * wait on one). */
void
msgnsfree(Ipcns *ns)
{
	int i;

	for(i = 0; i < ns->msg.n; i++)
		if(ns->msg.obj[i] != NULL)
			msqremove(ns, (Msq *)ns->msg.obj[i]);
}

/* Wait for a change to q (glk held): 0, -EINTR or -EIDRM. */
static long
msqwait(Lthread *t, Msq *q)
{
	if(interrupted(t))
		return -EINTR;
	q->ref++;
	pthread_cond_wait(&gcv, &glk);
	q->ref--;
	if(q->ipc.removed){
		if(q->ref == 0)
			msqfree(q);
		return -EIDRM;
	}
	return 0;
}

/* msgsnd(id, msgp, size, flags) */
long
sys_msgsnd(Lthread *t, uint32_t *a)
{
	uint32_t len;
	uint8_t *p;
	Msg *m;
	Msq *q;
	long r;

	len = a[2];
	if((p = gmem(t, a[1], 4, VX_PROT_READ)) == NULL)
		return -EFAULT;
	if(len > MSGMAX || (int32_t)a[0] < 0)
		return -EINVAL;
	if((int32_t)get32(p) < 1)
		return -EINVAL;
	m = malloc(sizeof *m + len);
	if(m == NULL)
		return -ENOMEM;
	m->type = get32(p);
	m->len = len;
	m->next = NULL;
	if((p = gmem(t, a[1] + 4, len, VX_PROT_READ)) == NULL){
		free(m);
		return -EFAULT;
	}
	memcpy(m->text, p, len);
	pthread_mutex_lock(&glk);
	r = -EINVAL;
	if((q = msqof(t, a[0])) == NULL)
		goto out;
	for(;;){
		if((r = ipcaccess(&q->ipc, 0222)) < 0)
			goto out;
		if((uint64_t)q->cbytes + len <= q->qbytes && q->qnum + 1 <= q->qbytes)
			break;
		r = -EAGAIN;
		if(a[3] & LIPC_NOWAIT)
			goto out;
		if((r = msqwait(t, q)) < 0)
			goto out;
	}
	r = -ENOMEM;
	if(ipccharge(&q->ipc, NULL, msqsize(q, len, 1)) < 0)
		goto out;
	*q->last = m;
	q->last = &m->next;
	m = NULL;
	q->cbytes += len;
	q->qnum++;
	ipcns(t)->msgs++;
	ipcns(t)->msgbytes += len;
	q->lspid = t->p->pid;
	q->stime = ipcnow();
	pthread_cond_broadcast(&gcv);
	r = 0;
out:
	pthread_mutex_unlock(&glk);
	free(m);
	return r;
}

/* The message msgrcv's mode takes from q, and where it is linked. */
static Msg **
msgfind(Msq *q, int32_t type, uint32_t flags)
{
	Msg **l, **found;
	int32_t n;

	if(flags & MSG_COPY){
		for(l = &q->first, n = 0; *l != NULL; l = &(*l)->next, n++)
			if(n == type)
				return l;
		return NULL;
	}
	for(l = &q->first; *l != NULL; l = &(*l)->next)
		if(type == 0 || ((flags & MSG_EXCEPT) ? (*l)->type != type : (*l)->type == type))
			break;
	if(type >= 0)
		return *l != NULL ? l : NULL;
	/* the lowest type at most -type, first of its kind */
	found = NULL;
	for(l = &q->first; *l != NULL; l = &(*l)->next)
		if((int64_t)(*l)->type <= -(int64_t)type && (found == NULL || (*l)->type < (*found)->type))
			found = l;
	return found;
}

/* msgrcv(id, msgp, size, type, flags): the bytes of text */
long
sys_msgrcv(Lthread *t, uint32_t *a)
{
	uint32_t flags, len;
	Msg **l, *m;
	uint8_t *p;
	Msq *q;
	long r;

	flags = a[4];
	if((int32_t)a[0] < 0 || (int32_t)a[2] < 0)
		return -EINVAL;
	if((flags & MSG_COPY) && ((flags & MSG_EXCEPT) || !(flags & LIPC_NOWAIT)))
		return -EINVAL;
	pthread_mutex_lock(&glk);
	m = NULL;
	r = -EINVAL;
	if((q = msqof(t, a[0])) == NULL)
		goto out;
	for(;;){
		if((r = ipcaccess(&q->ipc, 0444)) < 0)
			goto out;
		if((l = msgfind(q, a[3], flags)) != NULL)
			break;
		r = -ENOMSG;
		if(flags & LIPC_NOWAIT)
			goto out;
		if((r = msqwait(t, q)) < 0)
			goto out;
	}
	r = -E2BIG;
	if((*l)->len > a[2] && !(flags & MSG_NOERROR))
		goto out;
	r = -ENOMEM;
	if(flags & MSG_COPY){
		m = malloc(sizeof *m + (*l)->len);
		if(m == NULL)
			goto out;
		memcpy(m, *l, sizeof *m + (*l)->len);
	}else{
		m = *l;
		*l = m->next;
		if(q->last == &m->next)
			q->last = l;
		q->cbytes -= m->len;
		q->qnum--;
		ipcns(t)->msgs--;
		ipcns(t)->msgbytes -= m->len;
		q->lrpid = t->p->pid;
		q->rtime = ipcnow();
		ipccharge(&q->ipc, NULL, msqsize(q, 0, 0));	/* giving back: cannot fail */
		pthread_cond_broadcast(&gcv);
	}
	r = 0;
out:
	pthread_mutex_unlock(&glk);
	if(r < 0)
		return r;
	/* taken off the queue: lost, as Linux's, if the buffer is bad */
	len = m->len < a[2] ? m->len : a[2];
	if((p = gmem(t, a[1], 4 + len, VX_PROT_WRITE)) == NULL)
		r = -EFAULT;
	else{
		put32(p, m->type);
		memcpy(p + 4, m->text, len);
		r = len;
	}
	free(m);
	return r;
}

/* IPC_INFO and MSG_INFO: msginfo's seven ints and a short. */
static long
msginfo(Lthread *t, uint32_t cmd, uint32_t addr)
{
	Ipcns *ns;
	uint8_t *p;

	ns = ipcns(t);
	p = gmem(t, addr, 32, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	memset(p, 0, 32);
	put32(p, cmd == MSG_INFO ? (uint32_t)ns->msg.inuse : MSGPOOL);
	put32(p + 4, cmd == MSG_INFO ? ns->msgs : MSGMAP);
	put32(p + 8, MSGMAX);
	put32(p + 12, MSGMNB);
	put32(p + 16, MSGMNI);
	put32(p + 20, MSGSSZ);
	put32(p + 24, cmd == MSG_INFO ? ns->msgbytes : MSGTQL);
	put16(p + 28, MSGSEG);
	return ipcmaxidx(&ns->msg);
}

static uint16_t
clamp16(uint32_t v)
{
	return v > 0xffff ? 0xffff : v;
}

/* msqid64_ds (88 bytes) or the old msqid_ds (56). */
static long
msqstat(Lthread *t, Msq *q, uint32_t addr, int v64)
{
	uint8_t *p;

	if((p = ipcds(t, addr, &q->ipc, v64, 88, 56)) == NULL)
		return -EFAULT;
	if(v64){
		puttime(p + 36, q->stime);
		puttime(p + 44, q->rtime);
		puttime(p + 52, q->ipc.ctime);
		put32(p + 60, q->cbytes);
		put32(p + 64, q->qnum);
		put32(p + 68, q->qbytes);
		put32(p + 72, q->lspid);
		put32(p + 76, q->lrpid);
		return 0;
	}
	put32(p + 24, q->stime);
	put32(p + 28, q->rtime);
	put32(p + 32, q->ipc.ctime);
	put32(p + 36, q->cbytes);
	put32(p + 40, q->qbytes);
	put16(p + 44, clamp16(q->cbytes));
	put16(p + 46, clamp16(q->qnum));
	put16(p + 48, clamp16(q->qbytes));
	put16(p + 50, q->lspid);
	put16(p + 52, q->lrpid);
	return 0;
}

/* IPC_SET's msg_qbytes: the 64-bit layout's, or the old one's short
 * (its long msg_lqbytes when that is 0, as Linux reads it). */
static long
getqbytes(Lthread *t, uint32_t addr, int v64, uint32_t *qbytes)
{
	uint8_t *p;

	p = gmem(t, addr, v64 ? 88 : 56, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	if(v64)
		*qbytes = get32(p + 68);
	else{
		*qbytes = get32(p + 48) & 0xffff;
		if(*qbytes == 0)
			*qbytes = get32(p + 40);
	}
	return 0;
}

/* msgctl(id, cmd, buf); direct: the msgctl call, not ipc(2)'s */
long
msgctlx(Lthread *t, uint32_t *a, int direct)
{
	uint32_t cmd, qbytes;
	Ipcset set;
	Msq *q;
	int v64;
	long r;

	cmd = ipcversion(a[1], direct, &v64);
	if((int32_t)cmd < 0 || (int32_t)a[0] < 0)
		return -EINVAL;
	qbytes = 0;
	if(cmd == LIPC_SET && ((r = getperm(t, a[2], v64, &set)) < 0 || (r = getqbytes(t, a[2], v64, &qbytes)) < 0))
		return r;
	pthread_mutex_lock(&glk);
	r = -EINVAL;
	switch(cmd){
	case LIPC_INFO:
	case MSG_INFO:
		r = msginfo(t, cmd, a[2]);
		break;
	case LIPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		if((q = (Msq *)ipcstatof(&ipcns(t)->msg, a[0], cmd != LIPC_STAT, cmd == MSG_STAT_ANY, &r)) == NULL)
			break;
		r = msqstat(t, q, a[2], v64);
		if(r == 0 && cmd != LIPC_STAT)
			r = q->ipc.id;
		break;
	case LIPC_SET:
	case LIPC_RMID:
		if((q = msqof(t, a[0])) == NULL || (r = ipcowner(&q->ipc)) < 0)
			break;
		r = 0;
		if(cmd == LIPC_RMID){
			msqremove(ipcns(t), q);
			break;
		}
		/* more than MSGMNB wants CAP_SYS_RESOURCE, which no guest has */
		r = -EPERM;
		if(qbytes > MSGMNB)
			break;
		q->qbytes = qbytes;
		ipcset(&q->ipc, &set);
		pthread_cond_broadcast(&gcv);
		r = 0;
		break;
	}
	pthread_mutex_unlock(&glk);
	return r;
}

long
sys_msgctl(Lthread *t, uint32_t *a)
{
	return msgctlx(t, a, 1);
}

/* /proc/sysvipc/msg of namespace ns (glk held) */
void
msgprocfs(FILE *f, Ipcns *ns)
{
	Msq *q;
	int i;

	fprintf(f, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid"
		"      stime      rtime      ctime\n");
	for(i = 0; i < ns->msg.n; i++){
		if((q = (Msq *)ns->msg.obj[i]) == NULL)
			continue;
		ipcprocids(f, &q->ipc);
		fprintf(f, "  %10u %10u %5d %5d %5u %5u %5u %5u %10llu %10llu %10llu\n", q->cbytes, q->qnum,
			q->lspid, q->lrpid, q->ipc.uid, q->ipc.gid, q->ipc.cuid, q->ipc.cgid, (unsigned long long)q->stime,
			(unsigned long long)q->rtime, (unsigned long long)q->ipc.ctime);
	}
}
