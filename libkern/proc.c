/*
 * proc.c — kernel procs.  A proc is the context of the k* calls: its
 * namespace, fd table, environment, user and error string.  A host thread
 * acts for one proc at a time (the thread-local `up`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

Kernel kern = { .proclk = PTHREAD_MUTEX_INITIALIZER };
_Thread_local Proc *up;

static Proc *
procalloc(const char *name)
{
	Proc *p = kzalloc(sizeof *p);
	atomic_init(&p->killed, 0);
	pthread_mutex_init(&p->sleeplk, NULL);
	atomic_init(&p->note, 0);
	p->wakefd = -1;
	snprintf(p->name, sizeof p->name, "%s", name);
	p->state = "ready";
	pthread_mutex_lock(&kern.proclk);
	p->pid = ++kern.nextpid;
	p->next = kern.procs;
	kern.procs = p;
	pthread_mutex_unlock(&kern.proclk);
	return p;
}

/* With kern.proclk held. */
Proc *
pidtoproc(int pid)
{
	Proc *p;
	for(p = kern.procs; p != NULL; p = p->next)
		if(p->pid == pid)
			return p;
	return NULL;
}

/* May the current proc see p in #p?  A proc in a sandbox sees its
 * sandbox's procs only, as a process sees its pid namespace's; one in
 * none (the embedding's, a plain emulator's) sees every proc. */
int
procvisible(Proc *p)
{
	return up == NULL || up->box == 0 || p->box == up->box;
}

/* A new root namespace: #/ at /, dot at /. */
static Pgrp *
rootpgrp(void)
{
	Pgrp *pg = newpgrp();
	pg->slash = devattach('/', NULL);
	pathclose(pg->slash->path);
	pg->slash->path = newpath("/");
	pg->dot = pg->slash;
	incref(&pg->dot->ref);
	return pg;
}

/* p's current directory, referenced: its own (FORKDOT) or its
 * namespace's. */
Chan *
procdot(Proc *p)
{
	Chan *c;

	if(p->dotg != NULL){
		pthread_mutex_lock(&p->dotg->lk);
		c = p->dotg->dot;
		incref(&c->ref);
		pthread_mutex_unlock(&p->dotg->lk);
		return c;
	}
	pthread_mutex_lock(&p->pgrp->lk);
	c = p->pgrp->dot;
	incref(&c->ref);
	pthread_mutex_unlock(&p->pgrp->lk);
	return c;
}

/* Make c p's current directory (c's reference is taken). */
void
setprocdot(Proc *p, Chan *c)
{
	pthread_mutex_t *lk;
	Chan **dot, *old;

	if(p->dotg != NULL){
		lk = &p->dotg->lk;
		dot = &p->dotg->dot;
	}else{
		lk = &p->pgrp->lk;
		dot = &p->pgrp->dot;
	}
	pthread_mutex_lock(lk);
	old = *dot;
	*dot = c;
	pthread_mutex_unlock(lk);
	cclose(old);
}

static void
putdotg(Dotgrp *d)
{
	if(d == NULL || decref(&d->ref) > 0)
		return;
	cclose(d->dot);
	pthread_mutex_destroy(&d->lk);
	free(d);
}

/* A namespace whose root is the current dot, with no mounts. */
static Pgrp *
dotpgrp(Proc *parent)
{
	Pgrp *pg = newpgrp(), *from = parent->pgrp;
	Chan *c;
	Path *p;
	c = procdot(parent);
	pthread_mutex_lock(&from->lk);
	pg->nodevs = from->nodevs;
	pthread_mutex_unlock(&from->lk);
	pg->slash = cclone(c);
	cclose(c);
	if(pg->slash != NULL){
		/* a host directory made a root is granted as one (devfs.c) */
		c = fsgrant(pg->slash, Grantroot);
		cclose(pg->slash);
		pg->slash = c;
	}
	if(pg->slash == NULL){
		closepgrp(pg);
		return NULL;
	}
	p = newpath("/");
	chansetpath(pg->slash, p);
	pathclose(p);
	pg->dot = pg->slash;
	incref(&pg->dot->ref);
	return pg;
}

/*
 * p's current directory after setgroups: with FORKDOT one of its own,
 * mydot (the parent's, taken before the groups changed) or in a new
 * namespace (NEWNS) that namespace's root; else a new namespace's own
 * dot, or the parent's Dotgrp shared (a thread), or p's kept (kpctl).
 */
static void
setdotg(Proc *p, Proc *parent, int flags, Chan *mydot)
{
	Dotgrp *d;

	if(flags & FORKDOT){
		d = kzalloc(sizeof *d);
		atomic_init(&d->ref, 1);
		pthread_mutex_init(&d->lk, NULL);
		if(mydot == NULL){
			pthread_mutex_lock(&p->pgrp->lk);
			mydot = p->pgrp->dot;
			incref(&mydot->ref);
			pthread_mutex_unlock(&p->pgrp->lk);
		}
		d->dot = mydot;
		putdotg(p->dotg);
		p->dotg = d;
		return;
	}
	if(mydot != NULL)
		cclose(mydot);
	if(flags & NEWNS){
		putdotg(p->dotg);
		p->dotg = NULL;
	}else if(p != parent && parent->dotg != NULL){
		p->dotg = parent->dotg;
		incref(&p->dotg->ref);
	}
}

/*
 * A new sandbox's current directory, when it is a directory of #U
 * named by an attach (the embedder's `cd '#U/d/a'`, a namespace file's
 * cd): a grant of it, as a bind of it is (devfs.c fsgrant), so that no
 * walk from it — a `..`, a link — leads out of what the sandbox was
 * given.  Until red team 29 a guest started there read the rest of #U
 * by `../x` and by links out, its namespace holding nothing of it.
 * The granted dot is the sandbox's own (a Dotgrp), never a change to
 * the dot it shared.
 */
static int
grantdot(Proc *p, int flags)
{
	Chan *c, *g;
	Dotgrp *d;

	c = procdot(p);
	g = fsgrant(c, 0);
	cclose(c);
	if(g == NULL)
		return -1;
	if(g == c){
		cclose(g);
		return 0;
	}
	if(p->dotg != NULL && (flags & FORKDOT)){
		setprocdot(p, g);	/* its own already */
		return 0;
	}
	d = kzalloc(sizeof *d);
	atomic_init(&d->ref, 1);
	pthread_mutex_init(&d->lk, NULL);
	d->dot = g;
	putdotg(p->dotg);
	p->dotg = d;
	return 0;
}

static int
setgroups(Proc *p, Proc *parent, int flags)
{
	Pgrp *pg;
	Chan *mydot;
	Egrp *eg;

	/* the environment first: its copy is the part that can be refused
	 * (its sandbox's bound), and nothing is changed yet */
	eg = NULL;
	if(flags & NEWENV)
		eg = newegrp(p->acct);
	else if(flags & FORKENV){
		eg = egrpcopy(parent->egrp, p->acct);
		if(eg == NULL)
			return -1;
	}
	mydot = (flags & FORKDOT) && !(flags & NEWNS) ? procdot(parent) : NULL;
	if(flags & NEWNS){
		pg = dotpgrp(parent);
		if(pg == NULL){
			closeegrp(eg);
			return -1;	/* (mydot is NULL with NEWNS) */
		}
	}else if(flags & FORKNS)
		pg = pgrpcopy(parent->pgrp);
	else{
		pg = parent->pgrp;
		incref(&pg->ref);
	}
	if(flags & NODEVS)
		pg->nodevs = 1;
	closepgrp(p->pgrp);
	p->pgrp = pg;
	setdotg(p, parent, flags, mydot);
	if(flags & (NEWFD|FORKFD)){
		Fgrp *f = (flags & NEWFD) ? newfgrp() : fgrpcopy(parent->fgrp);
		closefgrp(p->fgrp);
		p->fgrp = f;
	}else if(p != parent){
		p->fgrp = parent->fgrp;
		incref(&p->fgrp->ref);
	}
	if(eg != NULL){
		closeegrp(p->egrp);
		p->egrp = eg;
	}else if(p != parent){
		p->egrp = parent->egrp;
		incref(&p->egrp->ref);
	}
	return 0;
}

Proc *
kprocnew(int flags)
{
	Proc *p;
	if(up == NULL)
		return kseterrp(Enoproc);
	if((flags & NEWNS) && (flags & FORKNS))
		return kseterrp(Ebadarg);
	p = procalloc(up->name);
	snprintf(p->user, sizeof p->user, "%s", up->user);
	p->box = (flags & NEWBOX) ? p->pid : up->box;
	p->acct = (flags & NEWBOX) ? newboxacct() : kboxacct(up);
	if(flags & NEWBOX)
		consnewbox(p->acct, up->acct);
	p->srvbox = (flags & NEWBOX) ? p->pid : up->srvbox;
	if(setgroups(p, up, flags) < 0 || ((flags & NEWBOX) && grantdot(p, flags) < 0)){
		kprocfree(p);
		return NULL;
	}
	return p;
}

void
kprocfree(Proc *p)
{
	Proc **l;
	Proc *save;
	if(p == NULL)
		return;
	pthread_mutex_lock(&kern.proclk);
	for(l = &kern.procs; *l != NULL; l = &(*l)->next)
		if(*l == p){
			*l = p->next;
			break;
		}
	pthread_mutex_unlock(&kern.proclk);
	/* devices may consult up while channels close */
	save = up;
	up = p;
	closefgrp(p->fgrp);
	putdotg(p->dotg);
	closepgrp(p->pgrp);
	closeegrp(p->egrp);
	up = save == p ? NULL : save;
	kboxput(p->acct);
	pthread_mutex_destroy(&p->sleeplk);
	if(p->wakefd >= 0)
		close(p->wakefd);
	free(p);
}

void
ksetproc(Proc *p)
{
	up = p;
}

Proc *
kcurproc(void)
{
	return up;
}

typedef struct Spawn {
	void (*fn)(void *);
	void *arg;
	Proc *p;
} Spawn;

static void *
spawnmain(void *a)
{
	Spawn s = *(Spawn*)a;
	free(a);
	up = s.p;
	up->state = "running";
	s.fn(s.arg);
	kprocfree(s.p);
	up = NULL;
	return NULL;
}

int
kspawn(void (*fn)(void *), void *arg, int flags, char *name)
{
	Spawn *s;
	pthread_t t;
	pthread_attr_t attr;
	Proc *p = kprocnew(flags);
	int pid;
	if(p == NULL)
		return -1;
	if(name != NULL)
		snprintf(p->name, sizeof p->name, "%s", name);
	pid = p->pid;
	s = kmalloc(sizeof *s);
	s->fn = fn;
	s->arg = arg;
	s->p = p;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if(pthread_create(&t, &attr, spawnmain, s) != 0){
		pthread_attr_destroy(&attr);
		free(s);
		kprocfree(p);
		return kseterr(Elimit);
	}
	pthread_attr_destroy(&attr);
	return pid;
}

int
kpctl(int flags)
{
	Boxacct *b;

	if(up == NULL)
		return kseterr(Enoproc);
	if((flags & NEWNS) && (flags & FORKNS))
		return kseterr(Ebadarg);
	if(setgroups(up, up, flags) < 0 || ((flags & NEWBOX) && grantdot(up, flags) < 0))
		return -1;
	if(flags & NEWBOX){
		pthread_mutex_lock(&kern.proclk);
		up->box = up->srvbox = up->pid;
		pthread_mutex_unlock(&kern.proclk);
		b = newboxacct();
		consnewbox(b, up->acct);
		kboxput(up->acct);
		up->acct = b;
	}
	return up->pid;
}

int
kgetpid(void)
{
	return up != NULL ? up->pid : -1;
}

int
ksetuser(char *user)
{
	if(up == NULL)
		return kseterr(Enoproc);
	if(user == NULL || user[0] == 0 || strlen(user) >= KNAMELEN || strpbrk(user, " \t\n/") != NULL)
		return kseterr(Ebadarg);
	snprintf(up->user, sizeof up->user, "%s", user);
	return 0;
}

char *
kgetuser(char *buf, uint n)
{
	if(up == NULL || n == 0)
		return NULL;
	snprintf(buf, n, "%s", up->user);
	return buf;
}

int
kprocname(char *name)
{
	if(up == NULL)
		return kseterr(Enoproc);
	snprintf(up->name, sizeof up->name, "%s", name);
	return 0;
}

int
kkilled(void)
{
	return up != NULL && atomic_load(&up->killed);
}

int
kpkill(int pid)
{
	Proc *p;
	pthread_mutex_lock(&kern.proclk);
	p = pidtoproc(pid);
	if(p != NULL){
		atomic_store(&p->killed, 1);
		procwake(p);	/* (and p->mntwake) under proclk, so p cannot be freed meanwhile */
	}
	pthread_mutex_unlock(&kern.proclk);
	if(p == NULL)
		return kseterr(Enonexist);
	return 0;
}

int
kprocpid(Proc *p)
{
	return p != NULL ? p->pid : -1;
}

/* Only p's own thread changes p's box (kpctl, an export worker's
 * xproc), under proclk for the others' procvisible; so p's thread
 * reads it without the lock, and vxrun asks for its own (no lock
 * beside its glk). */
int
kprocbox(Proc *p)
{
	return p != NULL ? p->box : 0;
}

/* The first proc: a root namespace, empty fd table and environment, the
 * host owner as user. */
Proc *
kfirstproc(void)
{
	Proc *p = procalloc("init");
	snprintf(p->user, sizeof p->user, "%s", kern.eve);
	p->pgrp = rootpgrp();
	p->fgrp = newfgrp();
	p->egrp = newegrp(NULL);
	p->state = "running";
	return p;
}

/* /prog/N/fd: dot, then one line per open fd:
 *	fd mode devchar dev qid.path qid.vers qid.type iounit offset path */
char *
fdtext(Proc *p, int *np)
{
	static const char *modes[] = { "r ", " w", "rw", "x " };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	Fgrp *fg = p->fgrp;
	Chan *dot;
	int i;
	if(f == NULL)
		return kseterrp(Enomem);
	dot = procdot(p);
	fprintf(f, "%s\n", dot->path != NULL ? dot->path->s : "/");
	cclose(dot);
	pthread_mutex_lock(&fg->lk);
	for(i = 0; i < fg->maxfd; i++){
		Chan *c = fg->fd[i];
		if(c == NULL)
			continue;
		fprintf(f, "%3d %s %c %4u %.16llx %3lu %.2x %5d %8lld %s\n",
			i, modes[c->mode & 3], devtab[c->type]->dc, c->dev,
			c->qid.path, c->qid.vers, c->qid.type, c->iounit,
			c->offset, c->path != NULL ? c->path->s : "?");
	}
	pthread_mutex_unlock(&fg->lk);
	fclose(f);
	*np = len;
	return buf;
}
