/*
 * sysnet.c — kdial, kannounce and klisten: Inferno dial strings
 * (tcp!host!port, unix!/path) through libstyx's socket code, with the
 * sockets made #N Chans in the proc's fd table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "net.h"
#include "styx.h"

static int
netenter(char *addr)
{
	if(up == NULL)
		return kseterr(Enoproc);
	if(atomic_load(&up->killed))
		return kseterr(Ekilled);
	if(addr == NULL)
		return kseterr(Ebadarg);
	return 0;
}

static int
fdof(int hostfd, char *addr)
{
	Chan *c;
	int fd;

	c = connchan(hostfd, addr);
	if(c == NULL)
		return -1;
	fd = newfd(c);
	if(fd < 0)
		cclose(c);
	return fd;
}

/* A conversation's name is its fd through the dup device. */
static int
setdir(char *dir, int fd)
{
	if(fd >= 0 && dir != NULL)
		snprintf(dir, KNETPATHLEN, "#d/%d", fd);
	return fd;
}

/* The fd named by a dir from kannounce: "#d/N" or "/fd/N". */
static int
dirfd(char *dir)
{
	char *s, *e;
	long fd;

	if(dir == NULL)
		return -1;
	if(strncmp(dir, "#d/", 3) == 0)
		s = dir + 3;
	else if(strncmp(dir, "/fd/", 4) == 0)
		s = dir + 4;
	else
		return -1;
	if(*s < '0' || *s > '9')
		return -1;
	fd = strtol(s, &e, 10);
	if(*e != 0 || fd > 1<<20)
		return -1;
	return fd;
}

int
kdial(char *addr, char *local, char *dir, int *cfdp)
{
	char err[STYX_ERRMAX];
	int h;

	if(cfdp != NULL)
		*cfdp = -1;
	if(netenter(addr) < 0)
		return -1;
	if(local != NULL && local[0] != 0)
		return kseterr("dial: a local address is not supported");
	h = styx_dial(addr, err);
	if(h < 0)
		return kseterr(err);
	return setdir(dir, fdof(h, addr));
}

int
kannounce(char *addr, char *dir)
{
	char err[STYX_ERRMAX];
	int h;

	if(netenter(addr) < 0)
		return -1;
	h = styx_announce(addr, err);
	if(h < 0)
		return kseterr(err);
	return setdir(dir, fdof(h, addr));
}

/* Waits in short slices so that a kill is noticed. */
int
klisten(char *dir, char *newdir)
{
	char err[STYX_ERRMAX];
	Chan *c;
	int h, afd;

	if(netenter(dir) < 0)
		return -1;
	afd = dirfd(dir);
	if(afd < 0)
		return kseterr(Ebadarg);
	c = fdtochan(afd, -1, 0, 1);
	if(c == NULL)
		return -1;
	if(connhostfd(c) < 0){
		cclose(c);
		return kseterr(Ebadusefd);
	}
	for(;;){
		if(procintr() < 0){
			cclose(c);
			return -1;
		}
		h = styx_listen(connhostfd(c), 50, err);
		if(h >= 0 || errno != ETIMEDOUT)
			break;
	}
	if(h < 0){
		cclose(c);
		return kseterr(err);
	}
	h = fdof(h, c->path != NULL ? c->path->s + 3 : "?");
	cclose(c);
	return setdir(newdir, h);
}
