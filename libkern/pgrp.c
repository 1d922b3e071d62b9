/*
 * pgrp.c — namespaces (Pgrp): creation, copy for FORKNS, the swap used to
 * apply namespace files all at once, and the `ns` text of /prog/N/ns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

static atomic_ulong pgrpids;

Pgrp *
newpgrp(void)
{
	Pgrp *p = kzalloc(sizeof *p);
	atomic_init(&p->ref, 1);
	pthread_rwlock_init(&p->ns, NULL);
	pthread_mutex_init(&p->lk, NULL);
	p->pgrpid = atomic_fetch_add(&pgrpids, 1) + 1;
	return p;
}

static Mount *
mountcopy(Mount *m)
{
	Mount *head = NULL, **tail = &head;
	for(; m != NULL; m = m->next){
		Mount *n = kzalloc(sizeof *n);
		*n = *m;
		n->next = NULL;
		incref(&n->to->ref);
		n->spec = m->spec != NULL ? kstrdup(m->spec) : NULL;
		n->user = m->user != NULL ? kstrdup(m->user) : NULL;
		*tail = n;
		tail = &n->next;
	}
	return head;
}

Pgrp *
pgrpcopy(Pgrp *from)
{
	Pgrp *p = newpgrp();
	Mhead *m, **tail = &p->mhead;
	pthread_rwlock_rdlock(&from->ns);
	for(m = from->mhead; m != NULL; m = m->next){
		Mhead *n = kzalloc(sizeof *n);
		n->from = m->from;
		incref(&n->from->ref);
		n->mount = mountcopy(m->mount);
		*tail = n;
		tail = &n->next;
	}
	pthread_rwlock_unlock(&from->ns);
	pthread_mutex_lock(&from->lk);
	p->slash = from->slash;
	p->dot = from->dot;
	if(p->slash != NULL)
		incref(&p->slash->ref);
	if(p->dot != NULL)
		incref(&p->dot->ref);
	p->nodevs = from->nodevs;
	pthread_mutex_unlock(&from->lk);
	return p;
}

static void
mheadsfree(Mhead *m)
{
	Mhead *next;
	for(; m != NULL; m = next){
		next = m->next;
		mountfree(m->mount);
		cclose(m->from);
		free(m);
	}
}

void
closepgrp(Pgrp *p)
{
	if(p == NULL || decref(&p->ref) > 0)
		return;
	mheadsfree(p->mhead);
	cclose(p->slash);
	cclose(p->dot);
	pthread_rwlock_destroy(&p->ns);
	pthread_mutex_destroy(&p->lk);
	free(p);
}

/* Exchange the contents (mounts, slash, dot) of a and b, so that every
 * proc sharing a sees b's namespace at once. */
void
pgrpswap(Pgrp *a, Pgrp *b)
{
	Mhead *m;
	Chan *c;
	int nd;
	pthread_rwlock_wrlock(&a->ns);
	pthread_rwlock_wrlock(&b->ns);
	m = a->mhead; a->mhead = b->mhead; b->mhead = m;
	pthread_rwlock_unlock(&b->ns);
	pthread_rwlock_unlock(&a->ns);
	pthread_mutex_lock(&a->lk);
	pthread_mutex_lock(&b->lk);
	c = a->slash; a->slash = b->slash; b->slash = c;
	c = a->dot; a->dot = b->dot; b->dot = c;
	nd = a->nodevs; a->nodevs = b->nodevs; b->nodevs = nd;
	pthread_mutex_unlock(&b->lk);
	pthread_mutex_unlock(&a->lk);
}

/* rc quoting for names such as '#c' */
static void
putname(FILE *f, const char *s)
{
	const char *p;
	for(p = s; *p; p++)
		if(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:", *p) == NULL)
			break;
	if(*p == 0 && *s){
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for(p = s; *p; p++){
		if(*p == '\'')
			fputc('\'', f);
		fputc(*p, f);
	}
	fputc('\'', f);
}

typedef struct Nsline {
	Mhead *mh;
	Mount *m;
} Nsline;

static int
bymountid(const void *a, const void *b)
{
	const Nsline *x = a, *y = b;
	return x->m->id < y->m->id ? -1 : x->m->id > y->m->id;
}

/* The namespace as Plan 9's ns prints it: one bind or mount per line in
 * the order they were made, then cd. */
int
nstext(Pgrp *pg, char **text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	Nsline *v = NULL;
	int n = 0, i, max = 0;
	Mhead *mh;
	Mount *m;
	if(f == NULL)
		return kseterr(Enomem);
	pthread_rwlock_rdlock(&pg->ns);
	for(mh = pg->mhead; mh != NULL; mh = mh->next)
		for(m = mh->mount; m != NULL; m = m->next){
			if(m->to == mh->from || eqchan(m->to, mh->from))
				continue;	/* the implicit member of a union */
			if(n == max){
				max = max ? 2*max : 16;
				v = realloc(v, max * sizeof *v);
				if(v == NULL)
					abort();
			}
			v[n].mh = mh;
			v[n].m = m;
			n++;
		}
	if(n > 0)
		qsort(v, n, sizeof *v, bymountid);
	for(i = 0; i < n; i++){
		m = v[i].m;
		fputs(m->spec != NULL || devtab[m->to->type]->dc == 'M' ? "mount " : "bind ", f);
		switch(m->mflag & MORDER){
		case MBEFORE: fputs(m->mflag & MCREATE ? "-bc " : "-b ", f); break;
		case MAFTER: fputs(m->mflag & MCREATE ? "-ac " : "-a ", f); break;
		default: if(m->mflag & MCREATE) fputs("-c ", f); break;
		}
		if(m->user != NULL){
			fputs("-u ", f);
			putname(f, m->user);
			fputc(' ', f);
		}
		putname(f, m->to->path != NULL ? m->to->path->s : "?");
		fputc(' ', f);
		putname(f, v[i].mh->from->path != NULL ? v[i].mh->from->path->s : "?");
		if(m->spec != NULL){
			fputc(' ', f);
			putname(f, m->spec);
		}
		fputc('\n', f);
	}
	pthread_rwlock_unlock(&pg->ns);
	free(v);
	pthread_mutex_lock(&pg->lk);
	fputs("cd ", f);
	putname(f, pg->dot != NULL && pg->dot->path != NULL ? pg->dot->path->s : "/");
	fputc('\n', f);
	pthread_mutex_unlock(&pg->lk);
	fclose(f);
	*text = buf;
	return len;
}
