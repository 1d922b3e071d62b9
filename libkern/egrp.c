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

Egrp *
newegrp(void)
{
	Egrp *e = kzalloc(sizeof *e);
	atomic_init(&e->ref, 1);
	e->id = atomic_fetch_add(&egrpids, 1) + 1;
	pthread_rwlock_init(&e->lk, NULL);
	e->path = 1;
	return e;
}

Egrp *
egrpcopy(Egrp *from)
{
	Egrp *e = newegrp();
	Evalue *v, **tail = &e->ent;
	pthread_rwlock_rdlock(&from->lk);
	for(v = from->ent; v != NULL; v = v->next){
		Evalue *n = kzalloc(sizeof *n);
		n->name = kstrdup(v->name);
		n->val = kmalloc(v->len + 1);
		memcpy(n->val, v->val, v->len);
		n->len = v->len;
		n->qpath = v->qpath;
		n->vers = v->vers;
		e->size += envsize(n->name, n->len);
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
	if(e->size - (v != NULL ? envsize(name, v->len) : 0) + envsize(name, n) > Maxenvtotal){
		pthread_rwlock_unlock(&e->lk);
		return kseterr(Enospace);
	}
	if(v == NULL){
		v = kzalloc(sizeof *v);
		v->name = kstrdup(name);
		v->qpath = e->path++;
		v->next = e->ent;
		e->ent = v;
		e->vers++;
	}else
		e->size -= envsize(name, v->len);
	e->size += envsize(name, n);
	free(v->val);
	v->val = kmalloc(n + 1);
	memcpy(v->val, val, n + 1);
	v->len = n;
	v->vers++;
	pthread_rwlock_unlock(&e->lk);
	return 0;
}
