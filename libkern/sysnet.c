/*
 * sysnet.c — kdial, kannounce and klisten: Inferno dial strings
 * (tcp!host!port, unix!/path) through libstyx's socket code, with the
 * sockets made #N Chans in the proc's fd table.
 */
#include <errno.h>
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

int
kdial(char *addr)
{
	char err[STYX_ERRMAX];
	int h;

	if(netenter(addr) < 0)
		return -1;
	h = styx_dial(addr, err);
	if(h < 0)
		return kseterr(err);
	return fdof(h, addr);
}

int
kannounce(char *addr)
{
	char err[STYX_ERRMAX];
	int h;

	if(netenter(addr) < 0)
		return -1;
	h = styx_announce(addr, err);
	if(h < 0)
		return kseterr(err);
	return fdof(h, addr);
}

/* Waits in short slices so that a kill is noticed. */
int
klisten(int afd)
{
	char err[STYX_ERRMAX];
	Chan *c;
	int h;

	if(netenter("") < 0)
		return -1;
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
	return h;
}
