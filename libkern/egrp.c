/*
 * egrp.c — environments (Egrp): named values read and written through
 * #e, shared or copied between procs like the other groups.
 */
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

/* What one variable costs its Egrp: value, name and bookkeeping. */
long
envsize(const char *name, long len)
{
	return len + strlen(name) + sizeof(Evalue) + 16;
}

static atomic_uint egrpids;

/* An environment for a proc of the sandbox whose account is acct (NULL:
 * none), which it holds a reference of. */
Egrp *
newegrp(Boxacct *acct)
{
	Egrp *e = kzalloc(sizeof *e);
	atomic_init(&e->ref, 1);
	e->id = atomic_fetch_add(&egrpids, 1) + 1;
	pthread_rwlock_init(&e->lk, NULL);
	e->path = 1;
	if(acct != NULL){
		atomic_fetch_add(&acct->ref, 1);
		e->acct = acct;
	}
	return e;
}

/* e holds n bytes more (n < 0: fewer); e->lk held.  Past Maxenvtotal
 * or its sandbox's bound on kernel memory, -1 "no space: environment full": every
 * proc of a sandbox may have a copy of its own (a fork copies it), so
 * the bound of one is not enough to bound the host's memory. */
int
envgrow(Egrp *e, long n)
{
	if(n > 0 && e->size + n > Maxenvtotal)
		return kseterr(Enospace);
	if(kboxmemcharge(e->acct, n) < 0)
		return kseterr(Enospace);
	e->size += n;
	return 0;
}

/* A copy of from for a proc of the sandbox of acct, or NULL "no free
 * space" if that sandbox cannot hold it. */
Egrp *
egrpcopy(Egrp *from, Boxacct *acct)
{
	Egrp *e = newegrp(acct);
	Evalue *v, **tail = &e->ent;
	pthread_rwlock_rdlock(&from->lk);
	if(envgrow(e, from->size) < 0){
		pthread_rwlock_unlock(&from->lk);
		closeegrp(e);
		return NULL;
	}
	for(v = from->ent; v != NULL; v = v->next){
		Evalue *n = kzalloc(sizeof *n);
		n->name = kstrdup(v->name);
		n->val = kmalloc(v->len + 1);
		memcpy(n->val, v->val, v->len);
		n->len = v->len;
		n->qpath = v->qpath;
		n->vers = v->vers;
		*tail = n;
		tail = &n->next;
	}
	e->path = from->path;
	e->vers = from->vers;
	pthread_rwlock_unlock(&from->lk);
	return e;
}

void
closeegrp(Egrp *e)
{
	Evalue *v, *next;
	if(e == NULL || decref(&e->ref) > 0)
		return;
	for(v = e->ent; v != NULL; v = next){
		next = v->next;
		free(v->name);
		free(v->val);
		free(v);
	}
	kboxmemcharge(e->acct, -e->size);
	kboxput(e->acct);
	pthread_rwlock_destroy(&e->lk);
	free(e);
}

/* A copy of the value of name, NUL-terminated, or NULL. */
char *
kgetenv(Egrp *e, const char *name)
{
	Evalue *v;
	char *s = NULL;
	pthread_rwlock_rdlock(&e->lk);
	for(v = e->ent; v != NULL; v = v->next)
		if(strcmp(v->name, name) == 0){
			s = kmalloc(v->len + 1);
			memcpy(s, v->val, v->len);
			s[v->len] = 0;
			break;
		}
	pthread_rwlock_unlock(&e->lk);
	return s;
}

int
ksetenv(Egrp *e, const char *name, const char *val)
{
	Evalue *v;
	long n = strlen(val);
	pthread_rwlock_wrlock(&e->lk);
	for(v = e->ent; v != NULL; v = v->next)
		if(strcmp(v->name, name) == 0)
			break;
	if(envgrow(e, envsize(name, n) - (v != NULL ? envsize(name, v->len) : 0)) < 0){
		pthread_rwlock_unlock(&e->lk);
		return -1;
	}
	if(v == NULL){
		v = kzalloc(sizeof *v);
		v->name = kstrdup(name);
		v->qpath = e->path++;
		v->next = e->ent;
		e->ent = v;
		e->vers++;
	}
	free(v->val);
	v->val = kmalloc(n + 1);
	memcpy(v->val, val, n + 1);
	v->len = n;
	v->vers++;
	pthread_rwlock_unlock(&e->lk);
	return 0;
}
