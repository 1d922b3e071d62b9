/*
 * syssem.c — System V semaphores: semget, semop and semtimedop (by
 * ipc(2), and semtimedop_time64), semctl.  A semop applies all its
 * operations or none, as Linux's; one that would block waits on gcv
 * for any change (a semop, SETVAL, SETALL, an exit's undo, IPC_RMID),
 * counted in the blocking semaphore's semncnt or semzcnt, and ends
 * EINTR at a signal, EAGAIN at its timeout, EIDRM when the set goes.
 * SEM_UNDO's adjustments are the process's (Lproc.semundo, shared by
 * its threads, not by a forked child, kept across exec) and applied
 * when it exits.  A set's memory, and an undo's, is charged to its
 * sandbox (ipccharge); the sets are that sandbox's (Ipcns.sem) and go
 * when it ends (semnsfree).
 *
 * Locking: glk guards the sets and every process's undos (a wait is on
 * gcv, which signals broadcast too).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum {
	SEMMSL = 32000, SEMMNS = 1024000000, SEMOPM = 500, SEMVMX = 32767,
	SEMAEM = SEMVMX, SEMMNU = SEMMNS, SEMMAP = SEMMNS, SEMUME = SEMOPM, SEMUSZ = 20,
	SEM_UNDO = 0x1000,
	GETPID = 11, GETVAL, GETALL, GETNCNT, GETZCNT, SETVAL, SETALL, SEM_STAT, SEM_INFO, SEM_STAT_ANY,
};

typedef struct Sem Sem;
typedef struct Semset Semset;
typedef struct Sop Sop;

struct Sem {
	int val;
	int pid;		/* the last to change it */
	int ncnt, zcnt;		/* waiting for it to grow, to be zero */
};

struct Semset {
	Ipc ipc;		/* first */
	int nsems;
	int ref;		/* waiters: a removed set is freed by the last */
	uint64_t otime;
	Sem sem[];
};

struct Semundo {
	Semundo *next;
	int32_t id;		/* its set */
	int nsems;
	Lbox *box;		/* charged a page per so many adjustments */
	int64_t pages;
	int16_t adj[];
};

struct Sop {
	uint16_t num;
	int16_t op;
	int16_t flg;
};

/* Set id of namespace ns. */
static Semset *
semof(Ipcns *ns, int32_t id)
{
	return (Semset *)ipcfind(&ns->sem, id);
}

static long
semcheck(Ipc *o, uint32_t nsems)
{
	return (int)nsems > ((Semset *)o)->nsems ? -EINVAL : 0;
}

static Ipc *
semmake(Lthread *t, uint32_t nsems, long *err)
{
	Semset *s;
	size_t size;
	Ipcns *ns;

	ns = ipcns(t);
	*err = -EINVAL;
	if(nsems == 0)
		return NULL;
	*err = -ENOSPC;
	if(ns->usedsems + nsems > SEMMNS)
		return NULL;
	*err = -ENOMEM;
	size = sizeof *s + nsems * sizeof s->sem[0];
	s = calloc(1, size);
	if(s == NULL)
		return NULL;
	s->ipc.id = -1;
	s->nsems = nsems;
	if(ipccharge(&s->ipc, t->p->lbox, size) < 0){
		ipcuncharge(&s->ipc);
		free(s);
		return NULL;
	}
	ns->usedsems += nsems;
	return &s->ipc;
}

/* semget(key, nsems, flags) */
long
sys_semget(Lthread *t, uint32_t *a)
{
	long r;

	if((int32_t)a[1] < 0 || (int32_t)a[1] > SEMMSL)
		return -EINVAL;
	pthread_mutex_lock(&glk);
	r = ipcget(t, &ipcns(t)->sem, a[0], a[2], a[1], semcheck, semmake);
	pthread_mutex_unlock(&glk);
	return r;
}

static void
undofree(Semundo *u)
{
	if(u->box != NULL){
		u->box->acct.charge(&u->box->acct, VX_ACCT_PAGES, -u->pages);
		boxput(u->box);
	}
	free(u);
}

/* The process's undo of set s, made if need be (glk held); NULL: no memory. */
static Semundo *
undoof(Lproc *p, Semset *s)
{
	Semundo *u;
	size_t size;

	for(u = p->semundo; u != NULL; u = u->next)
		if(u->id == s->ipc.id)
			return u;
	size = sizeof *u + s->nsems * sizeof u->adj[0];
	u = calloc(1, size);
	if(u == NULL)
		return NULL;
	u->id = s->ipc.id;
	u->nsems = s->nsems;
	u->pages = pgup(size) / PGSIZE;
	if(p->lbox != NULL){
		if(p->lbox->acct.charge(&p->lbox->acct, VX_ACCT_PAGES, u->pages) < 0){
			free(u);
			return NULL;
		}
		u->box = boxget(p->lbox);
	}
	u->next = p->semundo;
	p->semundo = u;
	return u;
}

/* Every process's adjustment of semaphore num of the set id of
 * namespace ns (all of them for num < 0) is forgotten: SETVAL, SETALL
 * (0), IPC_RMID (the undo itself goes). */
static void
undoforget(Ipcns *ns, int32_t id, int num, int drop)
{
	Semundo **l, *u;
	Lproc *p;

	for(p = procs; p != NULL; p = p->next)
		for(l = &p->semundo; p->lbox != NULL && p->lbox->ipc == ns && (u = *l) != NULL;){
			if(u->id != id){
				l = &u->next;
				continue;
			}
			if(drop){
				*l = u->next;
				undofree(u);
				continue;
			}
			if(num < 0)
				memset(u->adj, 0, u->nsems * sizeof u->adj[0]);
			else if(num < u->nsems)
				u->adj[num] = 0;
			l = &u->next;
		}
}

/* s out of namespace ns; freed here, or by its last waiter. */
static void
semdrop(Ipcns *ns, Semset *s)
{
	ipcdel(&s->ipc);
	ns->usedsems -= s->nsems;
	ipcuncharge(&s->ipc);
	if(s->ref == 0)
		free(s);
}

static void
semremove(Ipcns *ns, Semset *s)
{
	int32_t id;

	id = s->ipc.id;
	semdrop(ns, s);
	undoforget(ns, id, -1, 1);
	pthread_cond_broadcast(&gcv);
}

/* The sandbox has ended: its sets go.  No process of it is left to
 * wait on one or to hold an undo of one. */
void
semnsfree(Ipcns *ns)
{
	int i;

	for(i = 0; i < ns->sem.n; i++)
		if(ns->sem.obj[i] != NULL)
			semdrop(ns, (Semset *)ns->sem.obj[i]);
}

/*
 * Linux's perform_atomic_semop: apply the operations in order, all or
 * none.  0 done (each semaphore's pid set, the undo adjusted), 1 when
 * operation *block would block, -ERANGE past SEMVMX or SEMAEM.
 */
static int
tryops(Semset *s, Sop *ops, int n, Semundo *un, int pid, int *block)
{
	int i, r, err;
	Sem *sm;

	err = 1;
	for(i = 0; i < n; i++){
		sm = &s->sem[ops[i].num];
		r = sm->val;
		if(ops[i].op == 0 && r != 0)
			break;
		r += ops[i].op;
		if(r < 0)
			break;
		if(r > SEMVMX){
			err = -ERANGE;
			break;
		}
		if((ops[i].flg & SEM_UNDO) && un != NULL
		&& (un->adj[ops[i].num] - ops[i].op < -SEMAEM - 1 || un->adj[ops[i].num] - ops[i].op > SEMAEM)){
			err = -ERANGE;
			break;
		}
		sm->val = r;
	}
	if(i < n){
		*block = i;
		while(--i >= 0)
			s->sem[ops[i].num].val -= ops[i].op;
		return err;
	}
	for(i = 0; i < n; i++){
		s->sem[ops[i].num].pid = pid;
		if((ops[i].flg & SEM_UNDO) && un != NULL)
			un->adj[ops[i].num] -= ops[i].op;
	}
	s->otime = ipcnow();
	return 0;
}

/* Wait for a change to s (glk held), counted in the semaphore op
 * blocks on: 0, or -EINTR, -EAGAIN (timed out), -EIDRM. */
static long
semwait(Lthread *t, Semset *s, Sop *op, struct timespec *dl)
{
	Sem *sm;
	long r;

	if(interrupted(t))
		return -EINTR;
	sm = &s->sem[op->num];
	if(op->op == 0)
		sm->zcnt++;
	else
		sm->ncnt++;
	s->ref++;
	r = 0;
	if(dl != NULL){
		if(pthread_cond_timedwait(&gcv, &glk, dl) == ETIMEDOUT)
			r = -EAGAIN;
	}else
		pthread_cond_wait(&gcv, &glk);
	s->ref--;
	if(s->ipc.removed){
		if(s->ref == 0)
			free(s);
		return -EIDRM;
	}
	if(op->op == 0)
		sm->zcnt--;
	else
		sm->ncnt--;
	return r;
}

/* semtimedop(id, sops, nsops, timeout); wide: a 64-bit timespec */
long
semtimed(Lthread *t, uint32_t *a, int wide)
{
	Sop ops[SEMOPM];
	struct timespec dl;
	uint32_t n, i, max;
	int undo, alter, block;
	Semundo *un;
	Semset *s;
	uint8_t *p;
	long r;

	n = a[2];
	if((int32_t)n < 1 || (int32_t)a[0] < 0)
		return -EINVAL;
	if(n > SEMOPM)
		return -E2BIG;
	if((p = gmem(t, a[1], n * 6, VX_PROT_READ)) == NULL)
		return -EFAULT;
	max = 0;
	undo = alter = 0;
	for(i = 0; i < n; i++){
		memcpy(&ops[i], p + 6 * i, 6);
		if(ops[i].num > max)
			max = ops[i].num;
		if(ops[i].flg & SEM_UNDO)
			undo = 1;
		if(ops[i].op != 0)
			alter = 1;
	}
	if(a[3] != 0 && (r = tsdeadline(t, a[3], wide, 0, 0, &dl)) < 0)
		return r;
	pthread_mutex_lock(&glk);
	r = -EINVAL;
	if((s = semof(ipcns(t), a[0])) == NULL)
		goto out;
	r = -EFBIG;
	if(max >= (uint32_t)s->nsems)
		goto out;
	if((r = ipcaccess(&s->ipc, alter ? 0222 : 0444)) < 0)
		goto out;
	un = NULL;
	r = -ENOMEM;
	if(undo && (un = undoof(t->p, s)) == NULL)
		goto out;
	for(;;){
		r = tryops(s, ops, n, un, t->p->pid, &block);
		if(r <= 0)
			break;
		r = -EAGAIN;
		if(ops[block].flg & LIPC_NOWAIT)
			break;
		if((r = semwait(t, s, &ops[block], a[3] != 0 ? &dl : NULL)) < 0)
			break;
		/* the set is still there: its undo is still un */
	}
	if(r == 0)
		pthread_cond_broadcast(&gcv);
out:
	pthread_mutex_unlock(&glk);
	return r;
}

long
sys_semtimedop64(Lthread *t, uint32_t *a)
{
	return semtimed(t, a, 1);
}

/* IPC_INFO and SEM_INFO: seminfo's ten ints. */
static long
seminfo(Lthread *t, uint32_t cmd, uint32_t addr)
{
	Ipcns *ns;
	uint8_t *p;

	ns = ipcns(t);
	p = gmem(t, addr, 40, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	put32(p, SEMMAP);
	put32(p + 4, SEMMNI);
	put32(p + 8, SEMMNS);
	put32(p + 12, SEMMNU);
	put32(p + 16, SEMMSL);
	put32(p + 20, SEMOPM);
	put32(p + 24, SEMUME);
	put32(p + 28, cmd == SEM_INFO ? ns->sem.inuse : SEMUSZ);
	put32(p + 32, SEMVMX);
	put32(p + 36, cmd == SEM_INFO ? ns->usedsems : SEMAEM);
	return ipcmaxidx(&ns->sem);
}

/* semid64_ds (64 bytes) or the old semid_ds (44). */
static long
semstat(Lthread *t, Semset *s, uint32_t addr, int v64)
{
	uint8_t *p;

	if((p = ipcds(t, addr, &s->ipc, v64, 64, 44)) == NULL)
		return -EFAULT;
	if(v64){
		puttime(p + 36, s->otime);
		puttime(p + 44, s->ipc.ctime);
		put32(p + 52, s->nsems);
		return 0;
	}
	put32(p + 16, s->otime);
	put32(p + 20, s->ipc.ctime);
	put16(p + 40, s->nsems);
	return 0;
}

/* GETALL and SETALL: the values as unsigned shorts at addr (read once:
 * another guest thread may change them meanwhile). */
static long
semall(Lthread *t, Semset *s, uint32_t addr, int set)
{
	uint16_t *v;
	uint8_t *p;
	int i;

	p = gmem(t, addr, s->nsems * 2, set ? VX_PROT_READ : VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	if(!set){
		for(i = 0; i < s->nsems; i++)
			put16(p + 2 * i, s->sem[i].val);
		return 0;
	}
	v = malloc(s->nsems * sizeof v[0]);
	if(v == NULL)
		return -ENOMEM;
	memcpy(v, p, s->nsems * sizeof v[0]);
	for(i = 0; i < s->nsems; i++)
		if(v[i] > SEMVMX){
			free(v);
			return -ERANGE;
		}
	for(i = 0; i < s->nsems; i++){
		s->sem[i].val = v[i];
		s->sem[i].pid = t->p->pid;
	}
	free(v);
	undoforget(ipcns(t), s->ipc.id, -1, 0);
	s->ipc.ctime = ipcnow();
	pthread_cond_broadcast(&gcv);
	return 0;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, SETVAL of semaphore num. */
static long
semone(Lthread *t, Semset *s, uint32_t cmd, uint32_t num, uint32_t arg)
{
	Sem *sm;

	if(num >= (uint32_t)s->nsems)
		return -EINVAL;
	sm = &s->sem[num];
	switch(cmd){
	case GETVAL: return sm->val;
	case GETPID: return sm->pid;
	case GETNCNT: return sm->ncnt;
	case GETZCNT: return sm->zcnt;
	}
	sm->val = arg;
	sm->pid = t->p->pid;
	undoforget(ipcns(t), s->ipc.id, num, 0);
	s->ipc.ctime = ipcnow();
	pthread_cond_broadcast(&gcv);
	return 0;
}

/* semctl(id, num, cmd, arg); direct: the semctl call, not ipc(2)'s */
long
semctlx(Lthread *t, uint32_t *a, int direct)
{
	uint32_t cmd;
	Ipcset set;
	Semset *s;
	Ipcns *ns;
	int v64;
	long r;

	ns = ipcns(t);
	cmd = ipcversion(a[2], direct, &v64);
	if((int32_t)a[0] < 0)
		return -EINVAL;
	if(cmd == SETVAL && a[3] > SEMVMX)
		return -ERANGE;
	if(cmd == LIPC_SET && (r = getperm(t, a[3], v64, &set)) < 0)
		return r;
	pthread_mutex_lock(&glk);
	r = -EINVAL;
	switch(cmd){
	case LIPC_INFO:
	case SEM_INFO:
		r = seminfo(t, cmd, a[3]);
		break;
	case LIPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		if((s = (Semset *)ipcstatof(&ns->sem, a[0], cmd != LIPC_STAT, cmd == SEM_STAT_ANY, &r)) == NULL)
			break;
		r = semstat(t, s, a[3], v64);
		if(r == 0 && cmd != LIPC_STAT)
			r = s->ipc.id;
		break;
	case GETALL:
	case SETALL:
		if((s = semof(ns, a[0])) == NULL || (r = ipcaccess(&s->ipc, cmd == SETALL ? 0222 : 0444)) < 0)
			break;
		r = semall(t, s, a[3], cmd == SETALL);
		break;
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETVAL:
		if((s = semof(ns, a[0])) == NULL || (r = ipcaccess(&s->ipc, cmd == SETVAL ? 0222 : 0444)) < 0)
			break;
		r = semone(t, s, cmd, a[1], a[3]);
		break;
	case LIPC_SET:
	case LIPC_RMID:
		if((s = semof(ns, a[0])) == NULL || (r = ipcowner(&s->ipc)) < 0)
			break;
		r = 0;
		if(cmd == LIPC_SET)
			ipcset(&s->ipc, &set);
		else
			semremove(ns, s);
		break;
	}
	pthread_mutex_unlock(&glk);
	return r;
}

long
sys_semctl(Lthread *t, uint32_t *a)
{
	return semctlx(t, a, 1);
}

/* p exits: its adjustments are applied, each value kept within 0 and
 * SEMVMX, as Linux's exit_sem. */
void
semexit(Lproc *p)
{
	Semundo *u;
	Semset *s;
	int i, v;

	pthread_mutex_lock(&glk);
	while((u = p->semundo) != NULL){
		p->semundo = u->next;
		if((s = semof(p->lbox->ipc, u->id)) != NULL && s->nsems == u->nsems){
			for(i = 0; i < u->nsems; i++){
				if(u->adj[i] == 0)
					continue;
				v = s->sem[i].val + u->adj[i];
				s->sem[i].val = v < 0 ? 0 : v > SEMVMX ? SEMVMX : v;
				s->sem[i].pid = p->pid;
			}
			pthread_cond_broadcast(&gcv);
		}
		undofree(u);
	}
	pthread_mutex_unlock(&glk);
}

/* /proc/sysvipc/sem of namespace ns (glk held) */
void
semprocfs(FILE *f, Ipcns *ns)
{
	Semset *s;
	int i;

	fprintf(f, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
	for(i = 0; i < ns->sem.n; i++){
		if((s = (Semset *)ns->sem.obj[i]) == NULL)
			continue;
		ipcprocids(f, &s->ipc);
		fprintf(f, " %10d %5u %5u %5u %5u %10llu %10llu\n", s->nsems, s->ipc.uid, s->ipc.gid, s->ipc.cuid,
			s->ipc.cgid, (unsigned long long)s->otime, (unsigned long long)s->ipc.ctime);
	}
}
