/*
 * sysipc.c — System V IPC's common part: the object tables (an IPC
 * namespace for each sandbox, as Linux's: a guest neither finds nor
 * names nor lists another sandbox's objects, nor the host's, and they
 * are removed when their sandbox ends), keys, ids, permissions, the ipc_perm of the
 * *ctl structures in both i386 layouts, the charge of an object's host
 * memory to the sandbox that made it, and i386's ipc(2) multiplexer.
 * The families are sysshm.c, syssem.c and sysmsg.c.
 *
 * An id is its slot plus IPCMNI times a sequence number, as Linux's,
 * so a removed object's id is not soon taken by the next one.
 * Permissions are checked as Linux's ipcperms with the guest's one set
 * of credentials (hostuid, hostgid) and no capability: a guest is
 * never privileged (sys_privileged), whatever the host user is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dat.h"

enum {
	IPCMNI = 32768,
	LIPC_CREAT = 01000, LIPC_EXCL = 02000,
	IPCOLD = 0,
	/* ipc(2)'s calls */
	SEMOP = 1, SEMGET, SEMCTL, SEMTIMEDOP,
	MSGSND = 11, MSGRCV, MSGGET, MSGCTL,
	SHMAT = 21, SHMDT, SHMGET, SHMCTL,
};

uint64_t
ipcnow(void)
{
	return (uint64_t)time(NULL);
}

Ipc *
ipcfind(Ipcids *ids, int32_t id)
{
	Ipc *o;

	if(id < 0 || id % IPCMNI >= ids->n)
		return NULL;
	o = ids->obj[id % IPCMNI];
	return o != NULL && o->id == id ? o : NULL;
}

/* By slot, as SHM_STAT, SEM_STAT and MSG_STAT name one. */
Ipc *
ipcslot(Ipcids *ids, int32_t idx)
{
	return idx >= 0 && idx < ids->n ? ids->obj[idx] : NULL;
}

static Ipc *
ipckey(Ipcids *ids, int32_t key)
{
	int i;

	for(i = 0; i < ids->n; i++)
		if(ids->obj[i] != NULL && ids->obj[i]->key == key && !ids->obj[i]->removed)
			return ids->obj[i];
	return NULL;
}

/* The object a *ctl's IPC_STAT names by id, or its *_STAT and
 * *_STAT_ANY by slot, which (but _ANY) the caller must be let read:
 * it, or NULL with *r set (-EINVAL, -EACCES). */
Ipc *
ipcstatof(Ipcids *ids, int32_t id, int byslot, int any, long *r)
{
	Ipc *o;

	*r = -EINVAL;
	o = byslot ? ipcslot(ids, id) : ipcfind(ids, id);
	if(o == NULL || (!any && (*r = ipcaccess(o, 0444)) < 0))
		return NULL;
	return o;
}

/* The highest slot in use, 0 when none: the *_INFO calls' answer. */
int
ipcmaxidx(Ipcids *ids)
{
	int i;

	for(i = ids->n - 1; i >= 0; i--)
		if(ids->obj[i] != NULL)
			return i;
	return 0;
}

/* Room for one more object: 0, or -ENOSPC past the family's MNI. */
static int
ipcroom(Ipcids *ids)
{
	Ipc **nobj;
	int n;

	if(ids->inuse >= ids->mni)
		return -ENOSPC;
	if(ids->inuse < ids->n)
		return 0;
	n = ids->n == 0 ? 16 : 2 * ids->n;
	if(n > ids->mni)
		n = ids->mni;
	nobj = realloc(ids->obj, n * sizeof *nobj);
	if(nobj == NULL)
		return -ENOMEM;
	memset(nobj + ids->n, 0, (n - ids->n) * sizeof *nobj);
	ids->obj = nobj;
	ids->n = n;
	return 0;
}

/* Give o a free slot (ipcroom made one) and an id. */
static void
ipcadd(Ipcids *ids, Ipc *o)
{
	int i;

	for(i = 0; ids->obj[i] != NULL; i++)
		;
	o->seq = ids->seq++ % (0x7fffffff / IPCMNI);
	o->id = o->seq * IPCMNI + i;
	o->ids = ids;
	ids->obj[i] = o;
	ids->inuse++;
}

/* o out of its table (if still in it), removed. */
void
ipcdel(Ipc *o)
{
	Ipcids *ids;

	ids = o->ids;
	if(ids != NULL && o->id >= 0 && ids->obj[o->id % IPCMNI] == o){
		ids->obj[o->id % IPCMNI] = NULL;
		ids->inuse--;
	}
	o->ids = NULL;
	o->removed = 1;
}

/* The namespace of t's sandbox (every guest process has one: spawn's
 * boxnew made it, fork shares it). */
Ipcns *
ipcns(Lthread *t)
{
	return t->p->lbox->ipc;
}

/* A sandbox's namespace, empty; NULL: no memory. */
Ipcns *
ipcnsnew(void)
{
	Ipcns *ns;

	ns = calloc(1, sizeof *ns);
	if(ns == NULL)
		return NULL;
	ns->shm.mni = SHMMNI;
	ns->sem.mni = SEMMNI;
	ns->msg.mni = MSGMNI;
	return ns;
}

/* Its sandbox has ended (boxput: no process, no reference left): every
 * object goes, as when Linux frees an IPC namespace, its host memory
 * and descriptors given back to the sandbox's account before that goes. */
void
ipcnsfree(Ipcns *ns)
{
	if(ns == NULL)
		return;
	shmnsfree(ns);
	semnsfree(ns);
	msgnsfree(ns);
	free(ns->shm.obj);
	free(ns->sem.obj);
	free(ns->msg.obj);
	free(ns);
}

/* Linux's ipcperms: flag's bits (0444 read, 0222 write, or a *get's
 * mode) against the owner's, group's or others' part of the mode. */
int
ipcaccess(Ipc *o, uint32_t flag)
{
	uint32_t want, granted;

	want = (flag >> 6 | flag >> 3 | flag) & 7;
	granted = o->mode;
	if(hostuid() == o->uid || hostuid() == o->cuid)
		granted >>= 6;
	else if(hostgid() == o->gid || hostgid() == o->cgid)
		granted >>= 3;
	return (want & ~granted & 7) ? -EACCES : 0;
}

/* IPC_SET and IPC_RMID: the owner's or creator's (EPERM). */
int
ipcowner(Ipc *o)
{
	return hostuid() == o->uid || hostuid() == o->cuid ? 0 : -EPERM;
}

/*
 * The *get calls' lookup, the family's lock held: the id of key's
 * object (check: the family's test of an existing one, -errno), or a
 * new one from make, which returns it or NULL with *err set.
 */
long
ipcget(Lthread *t, Ipcids *ids, int32_t key, uint32_t flag, uint32_t arg,
	long (*check)(Ipc *, uint32_t), Ipc *(*make)(Lthread *, uint32_t, long *))
{
	Ipc *o;
	long r;

	o = key != 0 ? ipckey(ids, key) : NULL;
	if(o != NULL){
		if((flag & LIPC_CREAT) && (flag & LIPC_EXCL))
			return -EEXIST;
		if((r = check(o, arg)) < 0 || (r = ipcaccess(o, flag)) < 0)
			return r;
		return o->id;
	}
	if(key != 0 && !(flag & LIPC_CREAT))
		return -ENOENT;
	if((r = ipcroom(ids)) < 0)
		return r;
	r = -ENOMEM;
	o = make(t, arg, &r);
	if(o == NULL)
		return r;
	o->key = key;
	o->uid = o->cuid = hostuid();
	o->gid = o->cgid = hostgid();
	o->mode = flag & 0777;
	o->ctime = ipcnow();
	ipcadd(ids, o);
	return o->id;
}

/* Charge o's host memory, now bytes, to the sandbox of the process that
 * made it (whose box it keeps until ipcuncharge, with no reference: o
 * is in that sandbox's namespace, which goes before it): 0, or -1
 * (ENOMEM) past the sandbox's bound, nothing changed. */
int
ipccharge(Ipc *o, Lbox *b, uint64_t bytes)
{
	int64_t pages;

	if(o->box == NULL)
		o->box = b;
	if(o->box == NULL)
		return 0;
	pages = (int64_t)(pgup(bytes) / PGSIZE);
	if(pages != o->pages && o->box->acct.charge(&o->box->acct, VX_ACCT_PAGES, pages - o->pages) < 0)
		return -1;
	o->pages = pages;
	return 0;
}

void
ipcuncharge(Ipc *o)
{
	if(o->box == NULL)
		return;
	if(o->pages != 0)
		o->box->acct.charge(&o->box->acct, VX_ACCT_PAGES, -o->pages);
	o->pages = 0;
	o->box = NULL;
}

/* o's ipc_perm at p: ipc64_perm (36 bytes) or the old one (16). */
void
putperm(uint8_t *p, Ipc *o, int v64)
{
	if(v64){
		memset(p, 0, 36);
		put32(p, o->key);
		put32(p + 4, o->uid);
		put32(p + 8, o->gid);
		put32(p + 12, o->cuid);
		put32(p + 16, o->cgid);
		put16(p + 20, o->mode);
		put16(p + 24, o->seq);
		return;
	}
	put32(p, o->key);
	put16(p + 4, o->uid > 0xffff ? 65534 : o->uid);
	put16(p + 6, o->gid > 0xffff ? 65534 : o->gid);
	put16(p + 8, o->cuid > 0xffff ? 65534 : o->cuid);
	put16(p + 10, o->cgid > 0xffff ? 65534 : o->cgid);
	put16(p + 12, o->mode);
	put16(p + 14, o->seq);
}

/* A *stat's structure at addr (size64 or sizeold bytes, as v64 says)
 * zeroed, with o's ipc_perm: it, or NULL (EFAULT). */
uint8_t *
ipcds(Lthread *t, uint32_t addr, Ipc *o, int v64, uint32_t size64, uint32_t sizeold)
{
	uint8_t *p;

	p = gmem(t, addr, v64 ? size64 : sizeold, VX_PROT_WRITE);
	if(p == NULL)
		return NULL;
	memset(p, 0, v64 ? size64 : sizeold);
	putperm(p, o, v64);
	return p;
}

/* A time as the 64-bit structures hold it: low word, high word. */
void
puttime(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/* IPC_SET's uid, gid and mode from the guest's structure at addr. */
long
getperm(Lthread *t, uint32_t addr, int v64, Ipcset *s)
{
	uint8_t *p;

	p = gmem(t, addr, v64 ? 36 : 16, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	if(v64){
		s->uid = get32(p + 4);
		s->gid = get32(p + 8);
		s->mode = get32(p + 20) & 0xffff;
	}else{
		s->uid = get32(p + 4) & 0xffff;
		s->gid = get32(p + 4) >> 16;
		s->mode = get32(p + 12) & 0xffff;
	}
	return 0;
}

void
ipcset(Ipc *o, Ipcset *s)
{
	o->uid = s->uid;
	o->gid = s->gid;
	o->mode = (o->mode & ~0777u) | (s->mode & 0777);
	o->ctime = ipcnow();
}

/* A ctl's cmd and which layout it takes: ipc(2)'s with IPC_64 the
 * 64-bit one, without the old one; the direct calls' always the 64-bit
 * one, and IPC_64 is not theirs (Linux's compat calls: EINVAL). */
uint32_t
ipcversion(uint32_t cmd, int direct, int *v64)
{
	*v64 = direct || (cmd & IPC64);
	return direct ? cmd : cmd & ~(uint32_t)IPC64;
}

/* /proc/sysvipc's shm, sem or msg (glk held): a header and a line for
 * each object of b's namespace (none for a reader that is no guest), as
 * Linux's; malloced, or NULL. */
char *
ipcprocfs(const char *which, Lbox *b)
{
	static Ipcns none;
	Ipcns *ns;
	char *s;
	size_t n;
	FILE *f;

	ns = b != NULL && b->ipc != NULL ? b->ipc : &none;
	s = NULL;
	f = open_memstream(&s, &n);
	if(f == NULL)
		return NULL;
	if(strcmp(which, "shm") == 0)
		shmprocfs(f, ns);
	else if(strcmp(which, "sem") == 0)
		semprocfs(f, ns);
	else
		msgprocfs(f, ns);
	fclose(f);
	return s;
}

/* The common columns of a /proc/sysvipc line. */
void
ipcprocids(FILE *f, Ipc *o)
{
	fprintf(f, "%10d %10d  %4o", o->key, o->id, o->mode);
}

/*
 * ipc(call, first, second, third, ptr, fifth): i386's multiplexer.  The
 * call's high half is a version: msgrcv's 0 takes its buffer and type
 * through a struct at ptr (Linux's ipc_kludge), shmat's puts the
 * address at third, semctl's argument is the word at ptr.
 */
long
sys_ipc(Lthread *t, uint32_t *a)
{
	uint32_t call, version, b[6];
	uint8_t *p;
	long r;

	call = a[0] & 0xffff;
	version = a[0] >> 16;
	switch(call){
	case SEMOP:
		b[0] = a[1], b[1] = a[4], b[2] = a[2], b[3] = 0;
		return semtimed(t, b, 0);
	case SEMTIMEDOP:
		b[0] = a[1], b[1] = a[4], b[2] = a[2], b[3] = a[5];
		return semtimed(t, b, 0);
	case SEMGET:
		b[0] = a[1], b[1] = a[2], b[2] = a[3];
		return sys_semget(t, b);
	case SEMCTL:
		if(a[4] == 0)
			return -EINVAL;
		if((p = gmem(t, a[4], 4, VX_PROT_READ)) == NULL)
			return -EFAULT;
		b[0] = a[1], b[1] = a[2], b[2] = a[3], b[3] = get32(p);
		return semctlx(t, b, 0);
	case MSGSND:
		b[0] = a[1], b[1] = a[4], b[2] = a[2], b[3] = a[3];
		return sys_msgsnd(t, b);
	case MSGRCV:
		if(version == 0){
			if(a[4] == 0)
				return -EINVAL;
			if((p = gmem(t, a[4], 8, VX_PROT_READ)) == NULL)
				return -EFAULT;
			b[0] = a[1], b[1] = get32(p), b[2] = a[2], b[3] = get32(p + 4), b[4] = a[3];
		}else
			b[0] = a[1], b[1] = a[4], b[2] = a[2], b[3] = a[5], b[4] = a[3];
		return sys_msgrcv(t, b);
	case MSGGET:
		b[0] = a[1], b[1] = a[2];
		return sys_msgget(t, b);
	case MSGCTL:
		b[0] = a[1], b[1] = a[2], b[2] = a[4];
		return msgctlx(t, b, 0);
	case SHMAT:
		if(version == 1)
			return -EINVAL;	/* iBCS2's, which Linux refuses too */
		b[0] = a[1], b[1] = a[4], b[2] = a[2];
		r = sys_shmat(t, b);
		if(r < 0 && r > -4096)
			return r;
		if((p = gmem(t, a[3], 4, VX_PROT_WRITE)) == NULL)
			return -EFAULT;
		put32(p, (uint32_t)r);
		return 0;
	case SHMDT:
		b[0] = a[4];
		return sys_shmdt(t, b);
	case SHMGET:
		b[0] = a[1], b[1] = a[2], b[2] = a[3];
		return sys_shmget(t, b);
	case SHMCTL:
		b[0] = a[1], b[1] = a[2], b[2] = a[4];
		return shmctlx(t, b, 0);
	}
	return -ENOSYS;
}
