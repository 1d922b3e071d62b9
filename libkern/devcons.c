/*
 * devcons.c — #c, the console device: cons (the host's stdin and stdout,
 * or the embedder's functions from Kconf), consctl, null, zero, random,
 * time, msec, sysname, user, hostowner, drivers, pid, sysctl.  Bound
 * before /dev, it also gives Linux programs the names they open there:
 * tty (cons again), urandom (random again) and full (zeros to read, no
 * space to write).  tty and urandom have qids of their own, so that a
 * stat names them (Linux gives them device numbers of their own).
 *
 * `#c2` (attach spec "2") holds one file, cons, that writes the host's
 * stderr (or the embedder's conswrite): vxinferno's guest fd 2 where the
 * host's stdout and stderr are different files.  It is write-only, has
 * a qid of its own (vxrun treats it as no terminal, as the kernel pipe
 * it replaces was none) and shows as a FIFO, as that pipe did; a write
 * is the host's write(2), as cons's is, so nothing is queued between
 * the guest and the host and no thread copies it.
 *
 * sysname is each sandbox's own (NEWBOX; Boxacct.sysname), as a Linux
 * UTS namespace: the host owner's write in a sandbox renames that one
 * alone, and it reads the kernel's (Kconf.sysname, or what a proc in no
 * sandbox, the embedder's, wrote last) until one is written there.  It
 * was one for the host process: a guest, which runs as the host owner,
 * renamed every other sandbox's host.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

enum {
	Qdir, Qcons, Qconsctl, Qdrivers, Qhostowner, Qmsec, Qnull, Qpid,
	Qrandom, Qsysctl, Qsysname, Qtime, Quser, Qzero, Qfull, Qtty, Qurandom,
	Qerrcons,
};

enum { Errdev = 1 };	/* #c2: the host's stderr */

static Dirtab consdir[] = {
	{ "cons", { Qcons, 0, 0 }, 0, 0660 },
	{ "consctl", { Qconsctl, 0, 0 }, 0, 0220 },
	{ "drivers", { Qdrivers, 0, 0 }, 0, 0444 },
	{ "full", { Qfull, 0, 0 }, 0, 0666 },
	{ "hostowner", { Qhostowner, 0, 0 }, 0, 0664 },
	{ "msec", { Qmsec, 0, 0 }, 12, 0444 },
	{ "null", { Qnull, 0, 0 }, 0, 0666 },
	{ "pid", { Qpid, 0, 0 }, 12, 0444 },
	{ "random", { Qrandom, 0, 0 }, 0, 0444 },
	{ "sysctl", { Qsysctl, 0, 0 }, 0, 0644 },
	{ "sysname", { Qsysname, 0, 0 }, 0, 0664 },
	{ "time", { Qtime, 0, 0 }, 0, 0664 },
	{ "tty", { Qtty, 0, 0 }, 0, 0660 },
	{ "urandom", { Qurandom, 0, 0 }, 0, 0444 },
	{ "user", { Quser, 0, 0 }, 0, 0666 },
	{ "zero", { Qzero, 0, 0 }, 0, 0666 },	/* written to, as Linux's: writes vanish */
};
enum { Ncons = sizeof consdir / sizeof consdir[0] };

static Dirtab errdir[] = {
	{ "cons", { Qerrcons, 0, 0 }, 0, DMNAMEDPIPE | 0220 },
};

/* The directory of c's instance: #c's, or #c2's one file. */
static Dirtab *
tabof(Chan *c, int *n)
{
	if(c->dev == Errdev){
		*n = 1;
		return errdir;
	}
	*n = Ncons;
	return consdir;
}

static struct timespec boot;
static pthread_mutex_t syslk = PTHREAD_MUTEX_INITIALIZER;

static void
consinit(void)
{
	clock_gettime(CLOCK_MONOTONIC, &boot);
}

/* What c reads and writes: tty is cons, urandom random. */
static int
consfile(Chan *c)
{
	switch((int)c->qid.path){
	case Qtty:
		return Qcons;
	case Qurandom:
		return Qrandom;
	}
	return c->qid.path;
}

static Chan *
consattach(char *spec)
{
	Chan *c;

	if(spec != NULL && spec[0] && strcmp(spec, "2") != 0)
		return kseterrp(Ebadarg);
	c = devattach('c', spec);
	if(spec != NULL && spec[0])
		c->dev = Errdev;
	return c;
}

static Walkqid *
conswalk(Chan *c, Chan *nc, char **name, int nname)
{
	Dirtab *tab;
	int n;

	tab = tabof(c, &n);
	return devwalk(c, nc, name, nname, tab, n, devgen);
}

static int
consstat(Chan *c, uchar *db, int n)
{
	Dirtab *tab;
	int ntab;

	tab = tabof(c, &ntab);
	return devstat(c, db, n, tab, ntab, devgen);
}

static Chan *
consopen(Chan *c, int omode)
{
	Dirtab *tab;
	int n;

	tab = tabof(c, &n);
	return devopen(c, omode, tab, n, devgen);
}

static void
consclose(Chan *c)
{
	(void)c;
}

/* Read the host's stdin, waiting in procwaithost so that kinterrupt and
 * kill end the wait (a read(2) blocked in the host could not be ended). */
static long
hostread(void *buf, long n)
{
	struct pollfd pf[2];
	long r;
	if(kern.conf.consread != NULL)
		return kern.conf.consread(kern.conf.consarg, buf, n);
	for(;;){
		pf[0].fd = 0;
		pf[0].events = POLLIN;
		pf[0].revents = 0;
		if(procwaithost(pf, 1, -1) < 0)
			return -1;
		if(pf[0].revents == 0)
			continue;	/* a wake-up, not input */
		r = read(0, buf, n);
		if(r >= 0)
			return r;
		if(errno != EINTR && errno != EAGAIN)
			return ksetosErr(errno);
	}
}

/* For kpoll: the console reads without blocking when stdin has input
 * (or end of file); the embedder's functions are taken as always ready. */
int
consready(Chan *c, int events, int *hostfd)
{
	struct pollfd pf;
	int r;
	r = events & KPWRITE;
	if(!(events & KPREAD))
		return r;
	if(consfile(c) != Qcons || kern.conf.consread != NULL)
		return r | KPREAD;
	pf.fd = 0;
	pf.events = POLLIN;
	pf.revents = 0;
	if(poll(&pf, 1, 0) > 0)
		return r | KPREAD;
	*hostfd = 0;
	return r;
}

/* Write the host's fd (1, or 2 for #c2), or the embedder's console. */
static long
hostwrite(int fd, const void *buf, long n)
{
	long r, m = 0;
	if(kern.conf.conswrite != NULL)
		return kern.conf.conswrite(kern.conf.consarg, buf, n);
	while(m < n){
		r = write(fd, (const char*)buf + m, n - m);
		if(r < 0){
			if(errno == EINTR)
				continue;
			return ksetosErr(errno);
		}
		m += r;
	}
	return n;
}

static char *
driverstext(void)
{
	char *s;
	int i, n = 0;
	for(i = 0; devtab[i] != NULL; i++)
		n += strlen(devtab[i]->name) + 5;
	s = kmalloc(n + 1);
	n = 0;
	for(i = 0; devtab[i] != NULL; i++)
		n += sprintf(s + n, "#%c %s\n", devtab[i]->dc, devtab[i]->name);
	s[n] = 0;
	return s;
}

static long
consread(Chan *c, void *buf, long n, vlong off)
{
	char tmp[64], *s;
	struct timespec ts;
	long r;
	if(c->qid.type & QTDIR){
		Dirtab *tab;
		int ntab;

		tab = tabof(c, &ntab);
		return devdirread(c, buf, n, tab, ntab, devgen);
	}
	switch(consfile(c)){
	case Qcons:
		return hostread(buf, n);
	case Qnull:
		return 0;
	case Qzero:
	case Qfull:
		memset(buf, 0, n);
		return n;
	case Qrandom:
		r = getrandom(buf, n, 0);
		return r < 0 ? ksetosErr(errno) : r;
	case Qtime:
		clock_gettime(CLOCK_REALTIME, &ts);
		return readnum(off, buf, n, (vlong)ts.tv_sec*1000000 + ts.tv_nsec/1000, 21);
	case Qmsec:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		return readnum(off, buf, n, (vlong)(ts.tv_sec - boot.tv_sec)*1000 + (ts.tv_nsec - boot.tv_nsec)/1000000, 12);
	case Qpid:
		return readnum(off, buf, n, up->pid, 12);
	case Qsysname:
		pthread_mutex_lock(&syslk);
		snprintf(tmp, sizeof tmp, "%s", up->acct != NULL && up->acct->sysname[0] ? up->acct->sysname : kern.sysname);
		pthread_mutex_unlock(&syslk);
		return readstr(off, buf, n, tmp);
	case Quser:
		return readstr(off, buf, n, up->user);
	case Qhostowner:
		return readstr(off, buf, n, kern.eve);
	case Qsysctl:
		return readstr(off, buf, n, "vxinferno 0.1");
	case Qdrivers:
		s = driverstext();
		r = readstr(off, buf, n, s);
		free(s);
		return r;
	}
	return kseterr(Eperm);
}

/* A one-line value written to a control-like file, without the newline. */
static int
oneline(char *dst, int max, void *buf, long n)
{
	if(n <= 0 || n >= max)
		return kseterr(Ebadarg);
	memcpy(dst, buf, n);
	dst[n] = 0;
	if(dst[n-1] == '\n')
		dst[n-1] = 0;
	if(dst[0] == 0 || strchr(dst, '\n') != NULL)
		return kseterr(Ebadarg);
	return 0;
}

static long
conswrite(Chan *c, void *buf, long n, vlong off)
{
	char tmp[KNAMELEN];
	(void)off;
	if(c->qid.type & QTDIR)
		return kseterr(Eisdir);
	switch(consfile(c)){
	case Qcons:
		return hostwrite(1, buf, n);
	case Qerrcons:
		return hostwrite(2, buf, n);
	case Qnull:
	case Qzero:
		return n;
	case Qfull:
		return kseterr("no space left on device");
	case Qconsctl:
		if(n >= 5 && (memcmp(buf, "rawon", 5) == 0 || memcmp(buf, "rawof", 5) == 0))
			return n;
		return kseterr(Ebadctl);
	case Qsysname:
		if(strcmp(up->user, kern.eve) != 0)
			return kseterr(Eperm);
		if(oneline(tmp, sizeof tmp, buf, n) < 0)
			return -1;
		pthread_mutex_lock(&syslk);
		if(up->acct != NULL)
			snprintf(up->acct->sysname, sizeof up->acct->sysname, "%s", tmp);
		else
			snprintf(kern.sysname, sizeof kern.sysname, "%s", tmp);
		pthread_mutex_unlock(&syslk);
		return n;
	case Quser:
		if(strcmp(up->user, kern.eve) != 0)
			return kseterr(Eperm);
		if(oneline(tmp, sizeof tmp, buf, n) < 0 || ksetuser(tmp) < 0)
			return -1;
		return n;
	}
	return kseterr(Eperm);
}

/* A new sandbox b, begun by a proc of sandbox from (NULL: none), starts
 * with from's sysname, as a Linux UTS namespace with its parent's. */
void
consnewbox(Boxacct *b, Boxacct *from)
{
	pthread_mutex_lock(&syslk);
	if(from != NULL)
		memcpy(b->sysname, from->sysname, sizeof b->sysname);
	pthread_mutex_unlock(&syslk);
}

Dev consdevtab = {
	'c', "cons",
	consinit, consattach, conswalk, consstat, consopen, devcreate,
	consclose, consread, conswrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
