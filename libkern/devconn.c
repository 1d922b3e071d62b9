/*
 * devconn.c — #N, connections on host sockets.  kdial and klisten make
 * these Chans; they are born open, cannot be walked or attached, and
 * close their socket when the last reference goes.  Reads wait in short
 * polls so that a killed proc gets out.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "net.h"

static atomic_ulong connpath;

Chan *
connchan(int hostfd, const char *addr)
{
	Chan *c;
	char name[128];
	int t;

	t = devno('N', 0);
	if(t < 0){
		close(hostfd);
		return kseterrp("no network connections: #N is not configured");
	}
	c = newchan();
	c->type = t;
	c->qid = mkqid(atomic_fetch_add(&connpath, 1) + 1, 0, QTFILE);
	c->mode = ORDWR;
	c->flag = COPEN;
	c->auxv = hostfd;
	snprintf(name, sizeof name, "#N/%s", addr);
	c->path = newpath(name);
	return c;
}

int
connhostfd(Chan *c)
{
	if(c->type < 0 || devtab[c->type] == NULL || devtab[c->type]->dc != 'N')
		return -1;
	return (int)c->auxv;
}

static Chan *
connattach(char *spec)
{
	(void)spec;
	return kseterrp(Enoattach);
}

static Walkqid *
connwalk(Chan *c, Chan *nc, char **name, int nname)
{
	(void)c; (void)nc; (void)name; (void)nname;
	return kseterrp(Eisopen);
}

static int
connstat(Chan *c, uchar *db, int n)
{
	Dir d;
	char *name;
	int m;

	name = c->path != NULL ? strrchr(c->path->s, '/') : NULL;
	devdir(c, c->qid, name != NULL ? name + 1 : "conn", 0, kern.eve, 0666, &d);
	m = convD2M(&d, db, n);
	if(m == 0)
		return kseterr(Eshortstat);
	return m;
}

static Chan *
connopen(Chan *c, int omode)
{
	(void)omode;
	return c;
}

static void
connclose(Chan *c)
{
	close((int)c->auxv);
}

static long
connread(Chan *c, void *buf, long n, vlong off)
{
	struct pollfd pf;
	ssize_t r;

	(void)off;
	for(;;){
		if(procintr() < 0)
			return -1;
		pf.fd = (int)c->auxv;
		pf.events = POLLIN;
		if(poll(&pf, 1, 50) == 0)
			continue;
		r = read(pf.fd, buf, n);
		if(r >= 0)
			return r;
		if(errno == EINTR || errno == EAGAIN)
			continue;
		if(errno == ECONNRESET)
			return kseterr(Ehungup);
		return ksetosErr(errno);
	}
}

static long
connwrite(Chan *c, void *buf, long n, vlong off)
{
	char *p;
	ssize_t r;
	long left;

	(void)off;
	p = buf;
	for(left = n; left > 0; ){
		if(procintr() < 0)
			return -1;
		r = send((int)c->auxv, p, left, MSG_NOSIGNAL);
		if(r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if(r < 0)
			return kseterr(errno == EPIPE || errno == ECONNRESET ? Ehungup : oserrstr(errno));
		p += r;
		left -= r;
	}
	return n;
}

Dev conndevtab = {
	'N', "conn",
	NULL, connattach, connwalk, connstat, connopen, devcreate,
	connclose, connread, connwrite, devremove, devwstat, NULL,
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,	/* dirlist */
};
