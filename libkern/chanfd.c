/*
 * chanfd.c — a Chan as a host descriptor, for the Styx cores, which speak
 * over host fds.  A #N connection is its own socket (dup'd).  Any other
 * Chan gets a socketpair and two kernel procs pumping bytes between the
 * pair's far end and the Chan; when the descriptor is closed the
 * host-to-Chan pump sees end of file and kills its partner, which may be
 * blocked reading the Chan.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"
#include "net.h"
#include "styx.h"

enum { PUMPBUF = 64*1024 };

typedef struct Bridge {
	atomic_int ref;		/* the two pumps */
	Chan *c;
	int fd;			/* our end of the socketpair */
	atomic_int inpid;	/* the Chan-to-host pump, to kill */
} Bridge;

static void
bridgeput(Bridge *b)
{
	if(decref(&b->ref) > 0)
		return;
	close(b->fd);
	cclose(b->c);
	free(b);
}

/* Chan to host: ends when the Chan fails or the descriptor is gone. */
static void
pumpin(void *a)
{
	Bridge *b;
	char *buf;
	vlong off;
	long n;

	b = a;
	buf = kmalloc(PUMPBUF);
	for(off = 0;; off += n){
		n = devtab[b->c->type]->read(b->c, buf, PUMPBUF, off);
		if(n <= 0 || styx_writeall(b->fd, buf, n) < 0)
			break;
	}
	shutdown(b->fd, SHUT_WR);
	free(buf);
	bridgeput(b);
}

/* Host to Chan: ends at end of file, and then stops pumpin too. */
static void
pumpout(void *a)
{
	Bridge *b;
	char *buf;
	vlong off;
	ssize_t n;
	int pid;

	b = a;
	buf = kmalloc(PUMPBUF);
	for(off = 0;; off += n){
		n = read(b->fd, buf, PUMPBUF);
		if(n < 0 && errno == EINTR){
			n = 0;
			continue;
		}
		if(n <= 0 || devtab[b->c->type]->write(b->c, buf, n, off) != n)
			break;
	}
	shutdown(b->fd, SHUT_RDWR);
	pid = atomic_load(&b->inpid);
	if(pid > 0)
		kpkill(pid);
	free(buf);
	bridgeput(b);
}

int
chanhostfd(Chan *c)
{
	Bridge *b;
	int sv[2], fd, pid;

	fd = connhostfd(c);
	if(fd >= 0){
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if(fd < 0)
			return ksetosErr(errno);
		return fd;
	}
	if(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return ksetosErr(errno);
	b = kzalloc(sizeof *b);
	atomic_init(&b->ref, 2);
	atomic_init(&b->inpid, 0);
	b->c = c;
	incref(&c->ref);
	b->fd = sv[1];
	/* pumpin first, so pumpout always knows whom to stop */
	pid = kspawn(pumpin, b, NEWFD|NEWENV, "chanpump");
	if(pid < 0){
		close(sv[0]);
		close(sv[1]);
		cclose(c);
		free(b);
		return -1;
	}
	atomic_store(&b->inpid, pid);
	if(kspawn(pumpout, b, NEWFD|NEWENV, "chanpump") < 0){
		kpkill(pid);
		shutdown(sv[1], SHUT_RDWR);
		close(sv[0]);
		bridgeput(b);
		return -1;
	}
	return sv[0];
}
