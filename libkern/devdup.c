/*
 * devdup.c — #d, the current proc's open fds as files: N opens the same
 * Chan as fd N (the open mode must agree with it), Nctl reads a line
 * describing fd N.  "#dL", Linux's /dev/fd, opens a regular file anew
 * instead, as Linux does (fdreopen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

static _Thread_local char dupname[24];

/* qid path: (fd+1)<<1 | isctl; the directory is 0 */
static int
dupgen(Chan *c, char *name, Dirtab *tab, int ntab, int i, Dir *d)
{
	Fgrp *f = up->fgrp;
	Chan *fc;
	int fd, ctl;
	(void)tab; (void)ntab;
	if(name != NULL){
		char *e;
		long v = strtol(name, &e, 10);
		if(e == name || name[0] == '-' || name[0] == '+' || (name[0] == '0' && name[1] >= '0' && name[1] <= '9') || v > 65535)
			return -1;
		if(*e == 0)
			ctl = 0;
		else if(strcmp(e, "ctl") == 0)
			ctl = 1;
		else
			return -1;
		fd = v;
	}else{
		fd = i >> 1;
		ctl = i & 1;
	}
	pthread_mutex_lock(&f->lk);
	if(fd >= f->maxfd){
		pthread_mutex_unlock(&f->lk);
		return -1;
	}
	fc = f->fd[fd];
	if(fc == NULL){
		pthread_mutex_unlock(&f->lk);
		return name != NULL ? -1 : 0;
	}
	{
		static const ulong perms[] = { 0400, 0200, 0600, 0400 };
		ulong perm = ctl ? 0400 : perms[fc->mode & 3];
		pthread_mutex_unlock(&f->lk);
		snprintf(dupname, sizeof dupname, ctl ? "%dctl" : "%d", fd);
		devdir(c, mkqid((uvlong)(fd + 1) << 1 | ctl, 0, QTFILE), dupname, 0, up->user, perm, d);
	}
	return 1;
}

/* "#dL": Linux's /dev/fd, whose N opens a regular file anew (Chan.dev 1) */
static Chan *
dupattach(char *spec)
{
	Chan *c;

	if(spec != NULL && spec[0] && strcmp(spec, "L") != 0)
		return kseterrp(Ebadarg);
	c = devattach('d', spec);
	if(c != NULL)
		c->dev = spec != NULL && spec[0] == 'L';
	return c;
}

static Walkqid *
dupwalk(Chan *c, Chan *nc, char **name, int nname)
{
	return devwalk(c, nc, name, nname, NULL, 0, dupgen);
}

static int
dupstat(Chan *c, uchar *db, int n)
{
	return devstat(c, db, n, NULL, 0, dupgen);
}

static Chan *
dupopen(Chan *c, int omode)
{
	int fd;
	if(c->qid.type & QTDIR || (c->qid.path & 1)){
		if((omode & 3) != OREAD)
			return kseterrp(c->qid.type & QTDIR ? Eisdir : Eperm);
		c->mode = OREAD;
		c->flag |= COPEN;
		c->offset = 0;
		return c;
	}
	fd = (int)(c->qid.path >> 1) - 1;
	return fdreopen(c, fd, omode, c->dev == 1);
}

static void
dupclose(Chan *c)
{
	(void)c;
}

static long
dupread(Chan *c, void *buf, long n, vlong off)
{
	Chan *f;
	char line[512];
	if(c->qid.type & QTDIR)
		return devdirread(c, buf, n, NULL, 0, dupgen);
	f = fdtochan((int)(c->qid.path >> 1) - 1, -1, 0, 1);
	if(f == NULL)
		return -1;
	snprintf(line, sizeof line, "%d %c %u %#llx %lu %#x %lld %s\n",
		(int)(c->qid.path >> 1) - 1, devtab[f->type]->dc, f->dev,
		f->qid.path, f->qid.vers, f->qid.type, f->offset,
		f->path != NULL ? f->path->s : "?");
	cclose(f);
	return readstr(off, buf, n, line);
}

static long
dupwrite(Chan *c, void *buf, long n, vlong off)
{
	(void)c; (void)buf; (void)n; (void)off;
	return kseterr(Eperm);
}

Dev dupdevtab = {
	'd', "dup",
	NULL, dupattach, dupwalk, dupstat, dupopen, devcreate,
	dupclose, dupread, dupwrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
