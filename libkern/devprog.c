/*
 * devprog.c — #p, one directory per kernel proc: status, ns (the
 * namespace in ns(1) form), fd (its open files) and ctl (write "kill",
 * or "interrupt" to fail its blocking call as a Plan 9 note does).
 * qid.path is pid<<4 | file; the top directory is 0.  A proc in a
 * sandbox (NEWBOX) finds only its sandbox's procs here, as if the
 * others did not exist (procvisible).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum { Qtop, Qpdir, Qctl, Qfd, Qns, Qstatus, Nprogq };

static const char *qname[] = { "", "", "ctl", "fd", "ns", "status" };
static const ulong qperm[] = { 0, 0, 0200, 0444, 0444, 0444 };
static _Thread_local char progname[16];

#define PID(c)	((int)((c)->qid.path >> 4))
#define QT(c)	((int)((c)->qid.path & 0xF))

/* The proc numbered pid if the caller may see it; kern.proclk held. */
static Proc *
progproc(int pid)
{
	Proc *p = pidtoproc(pid);
	return p != NULL && procvisible(p) ? p : NULL;
}

/* kern.proclk held */
static int
progdir(Chan *c, Proc *p, int q, Dir *d)
{
	if(q == Qpdir){
		snprintf(progname, sizeof progname, "%d", p->pid);
		devdir(c, mkqid((uvlong)p->pid << 4 | Qpdir, 0, QTDIR), progname, 0, p->user, 0555, d);
	}else
		devdir(c, mkqid((uvlong)p->pid << 4 | q, 0, QTFILE), (char*)qname[q], 0, p->user, qperm[q], d);
	return 1;
}

static int
proggen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	Proc *p;
	int q, r = -1;
	(void)tab; (void)ntab;
	pthread_mutex_lock(&kern.proclk);
	if(c->qid.path == 0){
		/* list the procs */
		if(name != NULL){
			char *e;
			long pid = strtol(name, &e, 10);
			p = (*e == 0 && e != name) ? progproc(pid) : NULL;
		}else
			for(p = kern.procs; p != NULL; p = p->next)
				if(procvisible(p) && i-- == 0)
					break;
		if(p != NULL)
			r = progdir(c, p, Qpdir, d);
	}else{
		/* a proc's directory, or a file in it */
		p = progproc(PID(c));
		if(p != NULL){
			if(name != NULL){
				if(strcmp(name, "..") == 0){
					devdir(c, mkqid(0, 0, QTDIR), "#p", 0, kern.eve, 0555, d);
					r = 1;
				}else
					for(q = Qctl; q < Nprogq; q++)
						if(strcmp(name, qname[q]) == 0)
							r = progdir(c, p, q, d);
			}else if(i >= 0 && i < Nprogq - Qctl)
				r = progdir(c, p, Qctl + i, d);
		}
	}
	pthread_mutex_unlock(&kern.proclk);
	return r;
}

static Chan *
progattach(char *spec)
{
	if(spec != NULL && spec[0])
		return kseterrp(Ebadarg);
	return devattach('p', spec);
}

static Walkqid *
progwalk(Chan *c, Chan *nc, char **name, int nname)
{
	return devwalk(c, nc, name, nname, NULL, 0, proggen);
}

static int
progstat(Chan *c, uchar *db, int n)
{
	Dir d;
	Proc *p;
	int m;
	if(c->qid.path == 0)
		return devstat(c, db, n, NULL, 0, proggen);
	pthread_mutex_lock(&kern.proclk);
	p = progproc(PID(c));
	if(p == NULL){
		pthread_mutex_unlock(&kern.proclk);
		return kseterr(Enonexist);
	}
	progdir(c, p, QT(c), &d);
	m = convD2M(&d, db, n);
	pthread_mutex_unlock(&kern.proclk);
	return m == 0 ? kseterr(Eshortstat) : m;
}

/* The text of a file, generated at open so reads are consistent. */
static char *
progtext(Proc *p, int q)
{
	char *s = NULL;
	int n;
	switch(q){
	case Qstatus:
		s = kmalloc(128);
		snprintf(s, 128, "%8d %8lu %10s %10s %s\n", p->pid, p->pgrp->pgrpid, p->user, p->state, p->name);
		return s;
	case Qns:
		if(nstext(p->pgrp, &s) < 0)
			return NULL;
		return s;
	case Qfd:
		return fdtext(p, &n);
	}
	return kstrdup("");
}

/* Is the caller serving a remote client (an export's worker: its #s is
 * its exporter's, not its sandbox's)?  The procs it can see are its
 * connection's, whose namespace and fds are the exporter's: the client
 * must not learn them beyond the tree it was given. */
static int
remotecaller(void)
{
	return up != NULL && up->srvbox != up->box;
}

static Chan *
progopen(Chan *c, int omode)
{
	Proc *p;
	int q = QT(c);
	if(c->qid.type & QTDIR){
		if((omode & 3) != OREAD)
			return kseterrp(Eisdir);
	}else{
		pthread_mutex_lock(&kern.proclk);
		p = progproc(PID(c));
		if(p == NULL){
			pthread_mutex_unlock(&kern.proclk);
			return kseterrp(Enonexist);
		}
		if(!devpermok(qperm[q], p->user, omode) || ((q == Qns || q == Qfd) && remotecaller())){
			pthread_mutex_unlock(&kern.proclk);
			return kseterrp(Eperm);
		}
		if(q != Qctl)
			c->aux = progtext(p, q);
		pthread_mutex_unlock(&kern.proclk);
		if(q != Qctl && c->aux == NULL)
			return NULL;
	}
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

static void
progclose(Chan *c)
{
	if(c->flag & COPEN)
		free(c->aux);
	c->aux = NULL;
}

static long
progread(Chan *c, void *buf, long n, vlong off)
{
	if(c->qid.type & QTDIR)
		return devdirread(c, buf, n, NULL, 0, proggen);
	if(c->aux == NULL)
		return kseterr(Eperm);
	return readstr(off, buf, n, c->aux);
}

/* Is the control message buf[0..n) word, with or without a newline? */
static int
ctlis(void *buf, long n, const char *word)
{
	long l = strlen(word);
	if(n == l + 1 && ((char*)buf)[l] == '\n')
		n--;
	return n == l && memcmp(buf, word, l) == 0;
}

static long
progwrite(Chan *c, void *buf, long n, vlong off)
{
	Proc *p;
	int kill;
	(void)off;
	if(QT(c) != Qctl)
		return kseterr(Eperm);
	kill = ctlis(buf, n, "kill");
	if(!kill && !ctlis(buf, n, "interrupt"))
		return kseterr(Ebadctl);
	pthread_mutex_lock(&kern.proclk);
	p = progproc(PID(c));
	/* interrupt: as a Plan 9 note, the proc's blocking call fails "interrupted" */
	if(p != NULL && !kill)
		kinterrupt(p);
	pthread_mutex_unlock(&kern.proclk);
	if(p == NULL)
		return kseterr(Enonexist);
	if(kill && kpkill(PID(c)) < 0)	/* (pids are not reused) */
		return -1;
	return n;
}

Dev progdevtab = {
	'p', "prog",
	NULL, progattach, progwalk, progstat, progopen, devcreate,
	progclose, progread, progwrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
