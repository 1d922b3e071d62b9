/*
 * syssock.c — the BSD socket calls over the namespace's /net, as Plan
 * 9's and Inferno's libraries dial: socket opens /net/PROTO/clone (the
 * conversation's ctl), connect writes "connect addr!port" to ctl and then
 * the data file takes the guest fd's place, listen writes "announce",
 * accept opens the listen file.  Only k* calls are used, so a /net
 * mounted from another machine (9P) or an emulator's own #I serves a
 * guest as well as ours; a guest with no /net has no network.
 *
 * Beside each socket fd vxrun keeps a Sock (Fdinfo.sock): family, type,
 * the conversation's directory, whether the fd is its ctl or its data,
 * and the options.  An fd that lost it (dup) gets it back from its own
 * name (kfd2path) and the conversation's files.
 *
 * udp: connected with "connect"; otherwise, after the first bind or
 * sendto, announced with "headers", so each datagram carries Plan 9's
 * 52-byte header (raddr, laddr, ifcaddr as IPv6, rport, lport).
 * AF_UNIX: /net/unix, names kept by the kernel (never host paths), a
 * path name also a socket node in the file system (bind makes it);
 * socketpair is an announce, a connect and a listen on a private name.
 * SCM_RIGHTS: the device's "passfd" ctl message and fds file (doc/net.md);
 * MSG_PEEK and MSG_OOB (tcp): its "peek", "oob" and "urgent" messages.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dat.h"

enum {
	LAF_UNSPEC = 0, LAF_UNIX = 1, LAF_INET = 2, LAF_INET6 = 10,
	LSOCK_STREAM = 1, LSOCK_DGRAM = 2, LSOCK_SEQPACKET = 5,
	LSOCK_NONBLOCK = 04000, LSOCK_CLOEXEC = 02000000,
	LO_NONBLOCK = 04000, LO_APPEND = 02000,
	PASSFLAGS = 3,	/* what SCM_RIGHTS carries of an fd's flags: its mode (the
			   status flags are its open file's, which travels) */
	LMSG_OOB = 1, LMSG_PEEK = 2, LMSG_TRUNC = 0x20, LMSG_DONTWAIT = 0x40,
	LMSG_WAITALL = 0x100, LMSG_NOSIGNAL = 0x4000, LMSG_CTRUNC = 8,
	LMSG_CMSG_CLOEXEC = 0x40000000,
	LSCM_RIGHTS = 1, LSCM_CREDENTIALS = 2,
	CMSGHDR = 12,		/* i386 struct cmsghdr: len, level, type */
	MAXPASS = 253,		/* Linux's SCM_MAX_FD */
	LSOL_SOCKET = 1, LIPPROTO_IP = 0, LIPPROTO_TCP = 6, LIPPROTO_UDP = 17,
	LIPPROTO_IPV6 = 41, LIPV6_V6ONLY = 26,
	LSO_REUSEADDR = 2, LSO_TYPE = 3, LSO_ERROR = 4, LSO_BROADCAST = 6,
	LSO_SNDBUF = 7, LSO_RCVBUF = 8, LSO_KEEPALIVE = 9, LSO_LINGER = 13,
	LSO_OOBINLINE = 10, LSO_REUSEPORT = 15, LSO_PEERCRED = 17, LSO_RCVTIMEO = 20, LSO_SNDTIMEO = 21,
	LSO_ACCEPTCONN = 30, LSO_PROTOCOL = 38, LSO_DOMAIN = 39, LSO_PASSCRED = 16,
	LSO_RCVLOWAT = 18, LSO_SNDLOWAT = 19,
	LTCP_NODELAY = 1,
	Hdrlen = 52,
	Maxname = 108,		/* sun_path */
	Maxa = 3 * Maxname + 16,	/* an address as text (a unix name's bytes %XX) */
	Maxtab = 1024,		/* a unix path's table name as text */
	Maxdgram = 65536 + Hdrlen,
	Maxpacket = 256 * 1024,	/* a unix datagram's largest (the host's SO_SNDBUF) */
	Maxfrom = 2 + 1024 + 12,	/* devip's header of a unix datagram: its sender's
				 * name and user */
	Qfdsfile = 12,		/* devip's qid of a conversation's fds file (its Qfds):
				 * the low 4 bits of qid.path, the conversation above */
};

enum { Pfresh, Pbound, Plistening, Pconnected };

struct Sock {
	atomic_int ref;
	int family;
	int type;
	char proto[8];		/* tcp, udp, unix */
	char dir[128];		/* /net/tcp/4 */
	int isdata;		/* the guest fd is the data file, else ctl */
	int state;
	int headers;		/* udp: announced with headers */
	int shut;		/* shutdown: 1 rd, 2 wr */
	char name[Maxa];	/* unix: bound name (unixenc) */
	char peer[Maxa];	/* unix: the peer's name */
	int pair;		/* unix: an end of a socketpair */
	int reuse, reuseport, keepalive, nodelay, broadcast, sndbuf, rcvbuf, passcred;
	int bufasked;		/* SO_SNDBUF (1), SO_RCVBUF (2) set: hostopts */
	int v6only;		/* IPV6_V6ONLY of an AF_INET6 socket */
	int oobinline;		/* SO_OOBINLINE (tcp: its host socket's) */
	int credpid;		/* unix: the pid the conversation's "cred" last gave, or 0 */
	int connecting;		/* glk: connects under way (connbegin), the state
				 * Pconnected only once they are done */
};

static atomic_int pairid;
#define Pairname "%pair."	/* socketpair's private names */

Sock *
sockget(Sock *s)
{
	if(s != NULL)
		atomic_fetch_add(&s->ref, 1);
	return s;
}

/* The number /proc/self/fd/N's "socket:[N]" gives s: its conversation's
 * number and protocol, as devip's qids make them (QID >> 4), from its
 * directory alone (no kernel call: procfs holds glk). */
unsigned long
sockino(Sock *s)
{
	static const char *const protos[] = { "tcp", "udp", "unix" };
	char *e;
	unsigned long x;
	size_t i;

	e = strrchr(s->dir, '/');
	x = e != NULL ? strtoul(e + 1, NULL, 10) : 0;
	for(i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if(strcmp(s->proto, protos[i]) == 0)
			break;
	return x << 4 | i;
}

/* Whether EPIPE from a write on fd raises SIGPIPE: not a datagram or
 * seqpacket socket's, as on Linux. */
int
socksigpipe(Lproc *p, int fd)
{
	int r;

	r = 1;
	pthread_mutex_lock(&p->flk);
	if(fd >= 0 && fd < p->fdhi && p->fd[fd].sock != NULL)
		r = p->fd[fd].sock->type == LSOCK_STREAM;
	pthread_mutex_unlock(&p->flk);
	return r;
}

void
sockput(Sock *s)
{
	if(s != NULL && atomic_fetch_sub(&s->ref, 1) == 1)
		free(s);
}

/* Errors of the network in the kernel's or the host's words: the one
 * table of vxrun/errno.c knows them all exactly. */
static long
neterr(void)
{
	return kerrno();
}

/* A clone or listen file's answer, the conversation's number, into num
 * (NUL-terminated): 0, or the error with fd left open for the caller. */
static long
convnum(int fd, char *num, int n)
{
	long r;

	r = kread(fd, num, n - 1);
	if(r <= 0)
		return r < 0 ? neterr() : -EIO;
	num[r] = 0;
	return 0;
}

/* Open /net/proto/clone: the new conversation's ctl fd, its directory
 * in dir; or the error. */
static int
convclone(const char *proto, char *dir, int n)
{
	char path[64], num[16];
	long r;
	int fd;

	snprintf(path, sizeof path, "/net/%s/clone", proto);
	fd = kopen(path, ORDWR);
	if(fd < 0)
		return neterr();
	r = convnum(fd, num, sizeof num);
	if(r < 0){
		kclose(fd);
		return r;
	}
	snprintf(dir, n, "/net/%s/%s", proto, num);
	return fd;
}

/* The ctl message that makes a unix conversation of socket type base,
 * or NULL for a stream (the conversation's own) */
static char *
unixtypemsg(int base)
{
	if(base == LSOCK_DGRAM)
		return "type dgram";
	if(base == LSOCK_SEQPACKET)
		return "type seqpacket";
	return NULL;
}

/* Kiffile k's whole write of string m: 0 or -1 (the error set) */
static int
kfwrites(Kiffile *k, char *m)
{
	return kif_fileio(k, m, strlen(m), -1, 1) == (long)strlen(m) ? 0 : -1;
}

/* The conversation number a read of k (a clone or listen file) gives,
 * into num (NUL-terminated): 0, or the error */
static long
kfconvnum(Kiffile *k, char *num, int n)
{
	long r;

	r = kif_fileio(k, num, n - 1, -1, 0);
	if(r <= 0)
		return r < 0 ? neterr() : -EIO;
	num[r] = 0;
	return 0;
}

/* convclone's open of /net/proto/clone, at no fd: its file, or NULL
 * with *err the error, 1 where the kernel opens only at fds (then
 * convclone) */
static Kiffile *
convclonefile(const char *proto, char *dir, int n, long *err)
{
	char path[64], num[16];
	Kiffile *k;

	snprintf(path, sizeof path, "/net/%s/clone", proto);
	if((k = kif_fileopen(path, ORDWR)) == NULL){
		*err = kifbyfd() ? 1 : neterr();
		return NULL;
	}
	if((*err = kfconvnum(k, num, sizeof num)) < 0){
		kif_fileclose(k);
		return NULL;
	}
	snprintf(dir, n, "/net/%s/%s", proto, num);
	return k;
}

/*
 * A new socket's file k (opened at no fd) at the lowest free fd, with
 * status flags st (O_NONBLOCK) and recorded as s's in the same step
 * under flk, as Linux installs a socket's fd once it is made: the fd,
 * or -EMFILE past the limit (s's reference dropped).  Until session 31
 * the file took its fd when opened, before the record: another thread's
 * dup, which takes the lowest number free in the record, put its file
 * over it.
 */
static long
newsockfd(Lthread *t, Kiffile *k, uint32_t st, int cloexec, Sock *s)
{
	Lproc *p = t->p;
	long r;
	int fd;

	pthread_mutex_lock(&p->flk);
	fd = kif_filetofd(k, -1);
	if(fd < 0 || fd >= fdlimit(p)){
		r = fd < 0 ? neterr() : -EMFILE;
		if(fd >= 0)
			kclose(fd);
		pthread_mutex_unlock(&p->flk);
		sockput(s);
		return r;
	}
	if(st != 0)
		fdsetstatus(fd, 0, st);
	fdrecord(p, fd, 2, cloexec, NULL, NULL, s, NULL);
	pthread_mutex_unlock(&p->flk);
	return fd;
}

/* A blocking call the kernel ended for a signal: restart or EINTR. */
static long
waiterr(int restart)
{
	char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	if(strcmp(buf, "interrupted") == 0)
		return restart ? -LERESTART : -EINTR;
	return neterr();
}

static long
kwrites(int fd, char *s)
{
	return kwrite(fd, s, strlen(s)) == (long)strlen(s) ? 0 : -1;
}

/*
 * One read or write (write) of n bytes of the conversation file path,
 * opened for it alone (kif_fileopen): at no fd, as a temporary fd took
 * the lowest free number, which another thread of the guest could
 * dup2 a pipe of its own onto between the open and the write (the
 * pipe got the ctl message) and whose close then closed what the
 * guest put there (its dup2's fd gone behind its record), until
 * session 30.  By a kernel fd where the kernel opens only at fds.
 * The count, or -1 with the error set.
 */
static long
convio(char *path, int mode, void *buf, long n, int write)
{
	char err[ERRMAX];
	Kiffile *k;
	long r;
	int fd;

	if((k = kif_fileopen(path, mode)) != NULL){
		r = kif_fileio(k, buf, n, -1, write);
		if(r < 0)
			kgerrstr(err, sizeof err);
		kif_fileclose(k);
	}else{
		if(!kifbyfd())
			return -1;
		if((fd = kopen(path, mode)) < 0)
			return -1;
		r = write ? kwrite(fd, buf, n) : kread(fd, buf, n);
		if(r < 0)
			kgerrstr(err, sizeof err);
		kclose(fd);
	}
	if(r < 0)
		kwerrstr("%s", err);	/* the close's words are not the answer */
	return r;
}

/* Read a small file of the conversation ("local", "status" …). */
static int
convread(Sock *s, char *file, char *buf, int n)
{
	char path[160];
	long r;

	snprintf(path, sizeof path, "%s/%s", s->dir, file);
	r = convio(path, OREAD, buf, n - 1, 0);
	if(r < 0)
		return -1;
	buf[r] = 0;
	if(r > 0 && buf[r - 1] == '\n')
		buf[r - 1] = 0;
	return r;
}

/* Write a ctl message on a fresh open of the Sock's conversation's
 * ctl.  Not on the fd while it is the ctl (an unconnected socket's): a
 * file another thread dup2'd there since the call found its Sock got
 * the message (a pipe its bytes, another socket its connect or
 * "peek"), until session 30.  A Sock with no conversation known: the
 * fd. */
static int
ctlmsg(Sock *s, int fd, char *msg)
{
	char path[160];

	if(s->dir[0] == 0)
		return kwrites(fd, msg);
	snprintf(path, sizeof path, "%s/ctl", s->dir);
	return convio(path, ORDWR, msg, strlen(msg), 1) == (long)strlen(msg) ? 0 : -1;
}

static char *
credmsg(Lthread *t, char *msg, int n)
{
	snprintf(msg, n, "cred %d %d %d", t->p->pid, hostuid(), hostgid());
	return msg;
}

/* unix: tell the conversation whose its writes (and connect and
 * listen) are, when the process is another than last told: the pid
 * in the guest's namespace and the ids the guest sees (Linux's
 * SCM_CREDENTIALS, SO_PEERCRED). */
static void
unixcred(Lthread *t, Sock *s, int fd)
{
	char msg[64];

	if(s->family != LAF_UNIX || s->credpid == t->p->pid)
		return;
	ctlmsg(s, fd, credmsg(t, msg, sizeof msg));	/* a /net without it: no creds, and no more tries */
	s->credpid = t->p->pid;
}

/* The same on a conversation's ctl fd (socketpair's, before its Socks). */
static void
pidcred(Lthread *t, int ctl)
{
	char msg[64];

	kwrites(ctl, credmsg(t, msg, sizeof msg));
}

/* Kernel fd nfd's open file in fd's place, with fd's status flags
 * (an O_NONBLOCK set before connect or listen stays set); 0 or -1.
 * The record's device and qid path become the new file's in the same
 * step under flk (as dup2's), so that a copy's take (holdfile), which
 * compares them, finds the file the record describes: a connected
 * socket's record kept its ctl's, and a splice or sendfile from it was
 * made again for ever (until session 30). */
static int
replacefd(Lproc *p, Kiffile *nk, int nfd, int fd)
{
	unsigned long long qp;
	Kiffile *sparek;
	int st, dc, qt, r, spare;

	st = kif_fdflags(fd, 0, 0);
	/* a 9P file's last close is a clunk: kept by a reference at no fd
	 * (or, where the kernel keeps none, a spare fd) through the swap
	 * and closed after it, as dodup's */
	spare = -1;
	sparek = NULL;
	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) == 0 && dc == 'M' && (sparek = kif_fdfile(fd)) == NULL)
		spare = kdup(fd, -1);
	if(spare >= MAXFD){
		kclose(spare);	/* where fdreconcile does not look */
		spare = -1;
	}
	pthread_mutex_lock(&p->flk);
	r = nk != NULL ? kif_filetofd(nk, fd) : kdup(nfd, fd);
	if(r >= 0 && fd < MAXFD && p->fd[fd].used && kif_fdkind(fd, &dc, &qt, &qp, NULL) == 0){
		p->fd[fd].dc = dc;
		p->fd[fd].qpath = qp;
	}
	pthread_mutex_unlock(&p->flk);
	if(spare >= 0)
		kclose(spare);
	kif_fileclose(sparek);
	if(r < 0)
		return -1;
	if(st > 0)
		fdsetstatus(fd, 0, st & FDSTATUS);
	return 0;
}

/* Open the conversation's data file in place of fd (its ctl): opened at
 * no fd and put at fd in one step (kif_filetofd).  A temporary kernel
 * fd, the lowest free, was taken for the open until session 31: another
 * thread's open got the next number for a moment, and its dup, which
 * takes the lowest number free in the record, put its file over the
 * temporary (the connect then made that file the socket).  By a kernel
 * fd where the kernel opens only at fds. */
static int
todata(Lthread *t, Sock *s, int fd)
{
	char path[160];
	Kiffile *k;
	int dfd, r;

	if(s->isdata)
		return 0;
	snprintf(path, sizeof path, "%s/data", s->dir);
	if((k = kif_fileopen(path, ORDWR)) != NULL){
		r = replacefd(t->p, k, -1, fd);
		kif_fileclose(k);
	}else{
		if(!kifbyfd() || (dfd = kopen(path, ORDWR)) < 0)
			return -1;
		r = replacefd(t->p, NULL, dfd, fd);
		kclose(dfd);
	}
	if(r < 0)
		return -1;
	s->isdata = 1;
	return 0;
}

/*
 * A connect under way in one thread: its host connection may be made
 * (the peer's accept has returned) before its fd is the data file and
 * its state Pconnected.  Linux's recv, send or getpeername in another
 * thread then sees a socket connecting or connected, never ENOTCONN:
 * they wait (connwait) till the connect is done, as Linux's recv in
 * SYN_SENT waits.  A signal ends the wait (EINTR, or the call is made
 * again after an SA_RESTART handler, as Linux's recv).
 */
static void
connbegin(Sock *s)
{
	pthread_mutex_lock(&glk);
	s->connecting++;
	pthread_mutex_unlock(&glk);
}

/* state >= 0: the connect's end state (Pconnected), set under glk with
 * the count, as connwait reads both under it (until session 29 connect
 * wrote it outside glk) */
static void
connend(Sock *s, int state)
{
	pthread_mutex_lock(&glk);
	if(state >= 0)
		s->state = state;
	s->connecting--;
	pthread_cond_broadcast(&gcv);
	pthread_mutex_unlock(&glk);
}

static long
connwait(Lthread *t, Sock *s)
{
	long r;

	r = 0;
	pthread_mutex_lock(&glk);
	while(s->connecting > 0 && s->state != Pconnected){
		if(interrupted(t)){
			r = -LERESTART;	/* EINTR, or again after an SA_RESTART handler */
			break;
		}
		pthread_cond_wait(&gcv, &glk);
	}
	pthread_mutex_unlock(&glk);
	return r;
}

/* s becomes fd's record's Sock; gen, where not 0, the record's open
 * (Fdinfo.gen) it was found for: another open since (a dup2 of another
 * thread's) keeps its record, and setsock answers -1 (until session 29
 * the Sock went to whatever file was at the fd, and a regular file's
 * writes then went by the socket's path, past RLIMIT_FSIZE) */
static int
setsock(Lthread *t, int fd, Sock *s, uint32_t gen)
{
	Sock *old;

	pthread_mutex_lock(&t->p->flk);
	if(gen != 0 && (!t->p->fd[fd].used || t->p->fd[fd].gen != gen)){
		pthread_mutex_unlock(&t->p->flk);
		return -1;
	}
	if(fd >= t->p->fdhi)
		t->p->fdhi = fd + 1;
	old = t->p->fd[fd].sock;
	t->p->fd[fd].sock = s;
	t->p->fd[fd].slow = 1;		/* a signal ends its waits */
	t->p->fd[fd].isdir = 0;
	pthread_mutex_unlock(&t->p->flk);
	sockput(old);
	return 0;
}

static Sock *
newsock(int family, int type, const char *proto)
{
	Sock *s;

	s = calloc(1, sizeof *s);
	if(s == NULL)
		return NULL;
	atomic_init(&s->ref, 1);
	s->family = family;
	s->type = type;
	snprintf(s->proto, sizeof s->proto, "%s", proto);
	return s;
}

/* A unix Sock found again: its names from the device (a socketpair's
 * private name is none; unixenc never makes "%p") */
static void
unixnames(Sock *s)
{
	if(convread(s, "local", s->name, sizeof s->name) < 0)
		s->name[0] = 0;
	if(convread(s, "remote", s->peer, sizeof s->peer) < 0)
		s->peer[0] = 0;
	if(strncmp(s->name, Pairname, strlen(Pairname)) == 0 || strncmp(s->peer, Pairname, strlen(Pairname)) == 0){
		s->pair = 1;
		if(strncmp(s->name, Pairname, strlen(Pairname)) == 0)
			s->name[0] = 0;
		if(strncmp(s->peer, Pairname, strlen(Pairname)) == 0)
			s->peer[0] = 0;
	}
}

/*
 * A reference to s (which comes with one) for the rest of t's call:
 * sockdrop, when the call returns (lxdispatch) or the thread ends,
 * gives them back.  Another thread's close or dup2 of the fd drops the
 * fd table's reference meanwhile: the Sock a call had found was freed
 * while the call used it (a writev's sendbuf wrote a freed one, ASan).
 * A Sock held already keeps its one hold.
 */
static Sock *
sockhold(Lthread *t, Sock *s)
{
	Sock **h;
	int i;

	for(i = 0; i < t->nsockheld; i++)
		if(t->sockheld[i] == s){
			sockput(s);
			return s;
		}
	if(t->nsockheld == t->maxsockheld){
		h = realloc(t->sockheld, (t->maxsockheld + 4) * sizeof h[0]);
		if(h == NULL){
			sockput(s);
			return NULL;
		}
		t->sockheld = h;
		t->maxsockheld += 4;
	}
	t->sockheld[t->nsockheld++] = s;
	return s;
}

void
sockdrop(Lthread *t)
{
	while(t->nsockheld > 0)
		sockput(t->sockheld[--t->nsockheld]);
}

/*
 * sockof's read of a clone file's conversation number, at fd: of the
 * file of the open gen, taken with the record under flk, not by fd (a
 * pipe another thread dup2'd there since the look was read, and the
 * call waited on it for ever, until session 30).  Another open at the
 * fd: -LERESTARTNOINTR.  By fd where the kernel keeps no references.
 */
static long
cloneread(Lthread *t, uint32_t fd, uint32_t gen, char *num, long n)
{
	unsigned long long qp;
	Kiffile *k;
	long r;
	int dc;

	k = NULL;
	pthread_mutex_lock(&t->p->flk);
	r = t->p->fd[fd].used && t->p->fd[fd].gen == gen;
	if(r)
		k = kif_fdfileio(fd, 0, &dc, &qp);
	pthread_mutex_unlock(&t->p->flk);
	if(!r)
		return -LERESTARTNOINTR;
	if(k == NULL)
		return kifbyfd() ? kpread(fd, num, n, 0) : -1;
	r = dc == 'I' ? kif_fileio(k, num, n, 0, 0) : -LERESTARTNOINTR;
	kif_fileclose(k);
	return r;
}

/* The Sock of a guest fd, found again from the fd's name if need be
 * (a dup), held until the call returns (sockhold); NULL with *err
 * ENOTSOCK, EBADF or ENOMEM. */
static Sock *
sockof(Lthread *t, uint32_t fd, long *err)
{
	char *path, *file, *conv, *proto, st[64];
	uint32_t gen;
	Sock *s;
	int isdata;

	*err = -EBADF;
	if(!fdcheck(t->p, fd))
		return NULL;
	if(t->sockin && t->socklook != NULL && fd == (uint32_t)t->sockfd){
		/* sockrw's: its record's, whatever is at the fd now (a pipe
		 * put there since made a write fail ENOTSOCK) */
		*err = -ENOMEM;
		return sockhold(t, sockget(t->socklook));
	}
	pthread_mutex_lock(&t->p->flk);
	s = sockget(t->p->fd[fd].sock);
	gen = t->p->fd[fd].gen;
	if(t->sockin && fd == (uint32_t)t->sockfd && t->socklook == NULL){
		t->sockdc = t->p->fd[fd].dc;
		if(t->sockgen == 0)
			t->sockgen = gen;	/* the first look's open (socktake) */
	}
	pthread_mutex_unlock(&t->p->flk);
	if(s != NULL){
		*err = -ENOMEM;
		return sockhold(t, s);
	}
	*err = -ENOTSOCK;
	path = kfd2path(fd);
	if(path == NULL)
		return NULL;
	/* .../PROTO/N/data, .../PROTO/N/ctl or .../PROTO/clone */
	s = NULL;
	file = strrchr(path, '/');
	if(file == NULL)
		goto out;
	*file++ = 0;
	isdata = strcmp(file, "data") == 0;
	if(strcmp(file, "clone") == 0){
		char num[16];
		long r;

		r = cloneread(t, fd, gen, num, sizeof num - 1);
		if(r == -LERESTARTNOINTR)
			*err = r;
		if(r <= 0)
			goto out;
		num[r] = 0;
		proto = strrchr(path, '/');
		if(proto == NULL)
			goto out;
		proto++;
		s = newsock(LAF_INET, LSOCK_STREAM, proto);
		if(s == NULL)
			goto out;
		snprintf(s->dir, sizeof s->dir, "%s/%s", path, num);
	}else if(isdata || strcmp(file, "ctl") == 0){
		conv = strrchr(path, '/');
		if(conv == NULL)
			goto out;
		*conv = 0;
		proto = strrchr(path, '/');
		*conv = '/';
		if(proto == NULL)
			goto out;
		proto++;
		*strchr(proto, '/') = 0;
		s = newsock(LAF_INET, LSOCK_STREAM, proto);
		if(s == NULL)
			goto out;
		*strchr(proto, 0) = '/';
		snprintf(s->dir, sizeof s->dir, "%s", path);
	}else
		goto out;
	if(strcmp(s->proto, "tcp") != 0 && strcmp(s->proto, "udp") != 0 && strcmp(s->proto, "unix") != 0){
		free(s);
		s = NULL;
		goto out;
	}
	if(strcmp(s->proto, "udp") == 0)
		s->type = LSOCK_DGRAM;
	if(strcmp(s->proto, "unix") == 0)
		s->family = LAF_UNIX;
	s->isdata = isdata;
	if(convread(s, "status", st, sizeof st) > 0){
		/* devip's unix status ends with the conversation's type */
		if(s->family == LAF_UNIX && strstr(st, " dgram") != NULL)
			s->type = LSOCK_DGRAM;
		else if(s->family == LAF_UNIX && strstr(st, " seqpacket") != NULL)
			s->type = LSOCK_SEQPACKET;
		if(strstr(st, "Established") != NULL)
			s->state = Pconnected;
		else if(strstr(st, "Announced") != NULL)
			s->state = s->type == LSOCK_DGRAM ? Pbound : Plistening;
		else if(strstr(st, "Bound") != NULL)
			s->state = Pbound;
	}
	if(strcmp(s->proto, "udp") == 0 && isdata && s->state == Pbound)
		s->headers = 1;
	if(s->family == LAF_UNIX)
		unixnames(s);
	sockget(s);
	if(setsock(t, fd, s, gen) < 0){
		/* another file at the fd since the look: the call again, as
		 * though it had been there first */
		sockput(s);
		sockput(s);
		s = NULL;
		*err = -LERESTARTNOINTR;
	}
out:
	free(path);
	if(s == NULL)
		return NULL;
	*err = -ENOMEM;
	return sockhold(t, s);
}

/* --- addresses -------------------------------------------------------- */

/*
 * A unix name as the device takes it: one word of a ctl message, its
 * bytes exact.  Those that are not printable, space and '%' are %XX,
 * so an abstract name begins "%00" and a path never does (a path may
 * begin with '@').
 */
static long
unixenc(uint8_t *b, int n, char *out, int room)
{
	static const char hex[] = "0123456789ABCDEF";
	int i, k;

	for(i = k = 0; i < n; i++){
		if(k + 4 > room)
			return -ENAMETOOLONG;
		if(b[i] > ' ' && b[i] < 0x7f && b[i] != '%')
			out[k++] = b[i];
		else{
			out[k++] = '%';
			out[k++] = hex[b[i] >> 4];
			out[k++] = hex[b[i] & 0xF];
		}
	}
	out[k] = 0;
	return 0;
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* unixenc undone: the name's bytes into b (at most n), their count */
static int
unixdec(char *a, uint8_t *b, int n)
{
	int k;

	for(k = 0; *a != 0 && k < n; k++){
		if(a[0] == '%' && hexval(a[1]) >= 0 && hexval(a[2]) >= 0){
			b[k] = hexval(a[1]) << 4 | hexval(a[2]);
			a += 3;
		}else
			b[k] = *a++;
	}
	return k;
}

/* A guest sockaddr as a /net address: "addr!port" or a unix name. */
static long
fromsa(Lthread *t, Sock *s, uint32_t addr, uint32_t len, char *out, int n)
{
	uint8_t *sa;
	char h[INET6_ADDRSTRLEN];
	int fam, i;

	if(len < 2 || len > 128)
		return -EINVAL;
	sa = gmem(t, addr, len, VX_PROT_READ);
	if(sa == NULL)
		return -EFAULT;
	fam = sa[0] | sa[1] << 8;
	if(s->family == LAF_UNIX){
		/* as Linux: no more than a sockaddr_un, more than the
		 * family; abstract (sun_path[0] 0): every byte given;
		 * a path: up to its NUL */
		if(fam != LAF_UNIX || len <= 2 || len > 2 + Maxname)
			return -EINVAL;
		if(sa[2] == 0)
			i = len - 2;
		else
			for(i = 0; i < (int)len - 2 && sa[2 + i] != 0; i++)
				;
		return unixenc(sa + 2, i, out, n);
	}
	if(fam == LAF_INET){
		if(len < 8)
			return -EINVAL;
		inet_ntop(AF_INET, sa + 4, h, sizeof h);
	}else if(fam == LAF_INET6 && s->family == LAF_INET6){
		if(len < 24)
			return -EINVAL;
		inet_ntop(AF_INET6, sa + 8, h, sizeof h);
		if(strncmp(h, "::ffff:", 7) == 0 && strchr(h + 7, '.') != NULL)
			memmove(h, h + 7, strlen(h + 7) + 1);
	}else
		return -EAFNOSUPPORT;
	snprintf(out, n, "%s!%d", h, sa[2] << 8 | sa[3]);
	return 0;
}

/* "addr!port" (or a unix name) into the guest's sockaddr at addr, with
 * its length at lenp in and out, as Linux does (cut to the room given). */
static long
tosa(Lthread *t, Sock *s, char *a, uint32_t addr, uint32_t lenp)
{
	uint8_t sa[128], *g, *gl;
	uint32_t room, len;
	char host[128], *bang;
	struct in6_addr a6;
	struct in_addr a4;
	int port, n;

	if(addr == 0)
		return 0;
	gl = gmem(t, lenp, 4, VX_PROT_READ | VX_PROT_WRITE);
	if(gl == NULL)
		return -EFAULT;
	room = get32(gl);
	if((int32_t)room < 0)
		return -EINVAL;
	memset(sa, 0, sizeof sa);
	if(s->family == LAF_UNIX){
		sa[0] = LAF_UNIX;
		len = 2;
		if(a != NULL && a[0] != 0){
			/* Linux's length: an abstract name's bytes; a path's
			 * and its NUL (111 for 108 bytes, one more than fits) */
			n = unixdec(a, sa + 2, Maxname);
			len = 2 + n + (n > 0 && sa[2] != 0);
		}
	}else{
		snprintf(host, sizeof host, "%s", a != NULL ? a : "0.0.0.0!0");
		bang = strrchr(host, '!');
		port = 0;
		if(bang != NULL){
			*bang = 0;
			port = atoi(bang + 1);
		}
		if(s->family == LAF_INET){
			sa[0] = LAF_INET;
			if(inet_pton(AF_INET, host, &a4) != 1)
				memset(&a4, 0, sizeof a4);
			memcpy(sa + 4, &a4, 4);
			len = 16;
		}else{
			sa[0] = LAF_INET6;
			if(inet_pton(AF_INET6, host, &a6) != 1){
				memset(&a6, 0, sizeof a6);
				if(inet_pton(AF_INET, host, &a4) == 1){
					a6.s6_addr[10] = a6.s6_addr[11] = 0xff;
					memcpy(&a6.s6_addr[12], &a4, 4);
				}
			}
			memcpy(sa + 8, &a6, 16);
			len = 28;
		}
		sa[2] = port >> 8;
		sa[3] = port;
	}
	if(room > 0){
		g = gmem(t, addr, room < len ? room : len, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		memcpy(g, sa, room < len ? room : len);
	}
	put32(gl, len);
	return 0;
}

/* --- unix names in the file system ------------------------------------ */

/*
 * A unix name that is a path (not abstract: "%00…") is also a socket node in
 * the file system, as on Linux: bind makes it (EADDRINUSE if the name
 * exists), connect needs it (ENOENT without it), unlink removes it.  The
 * kernel's table holds the name as an absolute, cleaned path, so "sock"
 * bound in /tmp and "/tmp/./sock" connected to are one name; a
 * socket's name (getsockname) stays as bound, and a caller's peer
 * (getpeername) is that name as the listener bound it (devip keeps
 * the spelling beside the table name).
 */
static int
unixfile(char *a)
{
	return strncmp(a, "%00", 3) != 0;
}

/* A path's bytes (unixdec) as a C string into out. */
static char *
unixpath(char *a, char *out)
{
	out[unixdec(a, (uint8_t *)out, Maxname)] = 0;
	return out;
}

/* a's table name into out: the current directory before a relative
 * path, then ".", "..", and repeated slashes taken out */
static long
unixtable(char *a, char *out, int n)
{
	char buf[MAXPATH], *cwd, *p, *e, *q;
	unsigned long long qp;
	Kiffile *k;
	int fd, len;

	cwd = NULL;
	if(a[0] != '/'){
		/* the current directory's name, of an open at no fd (a
		 * temporary fd until session 31: see todata) */
		if((k = kif_fileopen(".", OREAD)) != NULL){
			cwd = kif_filename(k, &qp);
			kif_fileclose(k);
		}else{
			if(!kifbyfd() || (fd = kopen(".", OREAD)) < 0)
				return kerrno();
			cwd = kfd2path(fd);
			kclose(fd);
		}
		if(cwd == NULL)
			return -ENOMEM;
	}
	len = snprintf(buf, sizeof buf, "%s/%s", cwd != NULL ? cwd : "", a);
	free(cwd);
	if(len >= (int)sizeof buf || len >= n)
		return -ENAMETOOLONG;
	q = out;
	for(p = buf; *p != 0; p = e){
		while(*p == '/')
			p++;
		for(e = p; *e != 0 && *e != '/'; e++)
			;
		if(e == p || (e - p == 1 && p[0] == '.'))
			continue;
		if(e - p == 2 && p[0] == '.' && p[1] == '.'){
			while(q > out && *--q != '/')
				;
			continue;
		}
		*q++ = '/';
		memcpy(q, p, e - p);
		q += e - p;
	}
	if(q == out)
		*q++ = '/';
	*q = 0;
	return 0;
}

/* bind's node for the path a with the process's umask; 1 when made, 0
 * where the file system has no socket nodes (the name is then only
 * the table's), or the error */
static long
unixmknode(Lthread *t, char *a)
{
	Kiffile *k;
	Dir *d;
	long r;
	int fd;

	d = kdirstat(a);
	if(d != NULL){
		free(d);
		return -EADDRINUSE;
	}
	/* made at no fd (see todata), where the kernel can */
	if((k = kif_filecreate(a, OREAD | OEXCL, (0777 & ~t->p->umask) | DMSOCKET)) != NULL){
		d = kif_filedirstat(k);
		kif_fileclose(k);
	}else{
		if(!kifbyfd() || (fd = kcreate(a, OREAD | OEXCL, (0777 & ~t->p->umask) | DMSOCKET)) < 0)
			return kerrno();
		d = kdirfstat(fd);
		kclose(fd);
	}
	r = d != NULL && (d->mode & DMSOCKET);
	free(d);
	if(!r)
		kremove(a);
	return r;
}

/* --- socket, bind, listen, accept, connect ------------------------------ */

/* A unix conversation's type, on its ctl fd: datagram and seqpacket
 * conversations keep message boundaries (a /net without the message
 * has streams only). */
static void
unixsettype(int fd, int base)
{
	char *m = unixtypemsg(base);

	if(m != NULL)
		kwrites(fd, m);
}

static long
dosocket(Lthread *t, int family, uint32_t type, uint32_t protocol)
{
	char dir[64];
	const char *proto;
	Kiffile *k;
	int base, fd;
	Sock *s;
	long r;

	base = type & 0xf;
	if(type & ~(0xf | LSOCK_NONBLOCK | LSOCK_CLOEXEC))
		return -EINVAL;
	switch(family){
	case LAF_UNIX:
		if(base != LSOCK_STREAM && base != LSOCK_DGRAM && base != LSOCK_SEQPACKET)
			return -ESOCKTNOSUPPORT;
		if(protocol != 0)
			return -EPROTONOSUPPORT;
		proto = "unix";
		break;
	case LAF_INET:
	case LAF_INET6:
		if(base == LSOCK_STREAM && (protocol == 0 || protocol == LIPPROTO_TCP))
			proto = "tcp";
		else if(base == LSOCK_DGRAM && (protocol == 0 || protocol == LIPPROTO_UDP))
			proto = "udp";
		else
			return -EPROTONOSUPPORT;
		break;
	default:
		return -EAFNOSUPPORT;
	}
	/* the clone opened at no fd, its fd taken once the socket is
	 * made (newsockfd) */
	if((k = convclonefile(proto, dir, sizeof dir, &r)) != NULL){
		if((s = newsock(family, base, proto)) == NULL){
			kif_fileclose(k);
			return -ENOMEM;
		}
		snprintf(s->dir, sizeof s->dir, "%s", dir);
		if(family == LAF_UNIX){
			if(unixtypemsg(base) != NULL)
				ctlmsg(s, -1, unixtypemsg(base));
			unixcred(t, s, -1);
		}
		r = newsockfd(t, k, type & LSOCK_NONBLOCK ? LO_NONBLOCK : 0, (type & LSOCK_CLOEXEC) != 0, s);
		kif_fileclose(k);
		return r;
	}
	if(r != 1)	/* no /net (or not this protocol in it): no such network */
		return r == -ENOENT ? -EAFNOSUPPORT : r;
	fd = convclone(proto, dir, sizeof dir);
	if(fd < 0)
		return fd == -ENOENT ? -EAFNOSUPPORT : fd;
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		return -EMFILE;
	}
	s = newsock(family, base, proto);
	if(s == NULL){
		kclose(fd);
		return -ENOMEM;
	}
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	if(family == LAF_UNIX){
		unixsettype(fd, base);
		unixcred(t, s, fd);
	}
	fdinstallx(t->p, fd, 2 | (type & LSOCK_NONBLOCK ? LO_NONBLOCK : 0), (type & LSOCK_CLOEXEC) != 0, NULL, NULL, s, NULL);
	return fd;
}

/*
 * fd's O_NONBLOCK: a call's taken socket file's (socktake), or the fd's
 * before the take, which the take then asks of the file it takes: a
 * file whose O_NONBLOCK is another (another thread's dup2 between)
 * makes the call again, so that its waits are the taken file's (a
 * blocking socket's call answered EAGAIN, or a nonblocking one's
 * waited, until session 29)
 */
static int
nonblocking(Lthread *t, uint32_t fd)
{
	int nb;

	if(t->sockin && fd == (uint32_t)t->sockfd && t->sockfile != NULL)
		return (kif_fileflags(t->sockfile) & LO_NONBLOCK) != 0;
	nb = (fdstatus(t->p, fd) & LO_NONBLOCK) != 0;
	if(t->sockin && fd == (uint32_t)t->sockfd && t->socknb == 0)
		t->socknb = 1 + nb;
	return nb;
}

/*
 * The socket file a send or receive on fd moves its bytes through,
 * taken at its first move (after connwait and todata, which put the
 * conversation's data file at the fd) and held to the call's end
 * (sockend), as Linux's send holds its file: the bytes and the
 * readiness test are that file's, not those of whatever another thread
 * dup2s over the fd meanwhile (a regular file there took a write()
 * past its RLIMIT_FSIZE and O_APPEND, by fd).  A file of another device
 * than the record's (a pipe, a file) makes the call again from the
 * start (-LERESTARTNOINTR), as though it had been there first.  NULL
 * with *r 0: by fd (a kernel that keeps no references, or no call
 * under way: ctl messages of socketpair's setup); with *r the errno
 * where the fd has no file open for the call's move (out: a send's;
 * until session 29 every take was for reading, and a send on a /net
 * data file opened O_WRONLY was made again for ever).
 */
static Kiffile *
socktake(Lthread *t, int fd, int out, long *r)
{
	unsigned long long qpath;
	Kiffile *k;
	uint32_t gen;
	int dc;

	*r = 0;
	if(!t->sockin || fd != t->sockfd)
		return NULL;
	if(t->sockfile != NULL)
		return t->sockfile;
	/* the file and the record's open together, as dup2 swaps both
	 * under flk */
	pthread_mutex_lock(&t->p->flk);
	gen = fd >= 0 && fd < MAXFD && t->p->fd[fd].used ? t->p->fd[fd].gen : 0;
	k = kif_fdfileio(fd, out, &dc, &qpath);
	pthread_mutex_unlock(&t->p->flk);
	if(k == NULL){
		if(!kifbyfd())
			*r = kerrno();
		return NULL;
	}
	/* another open than the one whose record gave the Sock (a socket
	 * of the same device dup2'd over it: until session 30 only the
	 * device was compared, and the call moved its bytes through the
	 * second socket with the first one's Sock), another device, or
	 * another O_NONBLOCK: the call again */
	if((t->sockgen != 0 && gen != t->sockgen) ||
	   (t->sockdc != 0 && dc != t->sockdc) ||
	   (t->socknb != 0 && ((kif_fileflags(k) & LO_NONBLOCK) != 0) != t->socknb - 1)){
		kif_fileclose(k);
		*r = -LERESTARTNOINTR;
		return NULL;
	}
	t->sockfile = k;
	return k;
}

/* A read (out 0) or write of fd's socket file (socktake) */
static long
sockio(Lthread *t, int fd, void *buf, long n, int out)
{
	Kiffile *k;
	long r;

	if((k = socktake(t, fd, out, &r)) != NULL)
		return kif_fileio(k, buf, n, -1, out);
	if(r == -LERESTARTNOINTR){
		kwerrstr("restart");	/* socktake's LERESTARTNOINTR (sockerr) */
		t->sockdc = -1;
		return -1;
	}
	if(r != 0)
		return -1;	/* the take's error, set (EBADF): not made again, which would find it again */
	return out ? kwrite(fd, buf, n) : kread(fd, buf, n);
}

/* kif_ready of fd's socket file (socktake) */
static int
sockready(Lthread *t, int fd, int events)
{
	Kiffile *k;
	long r;

	if((k = socktake(t, fd, (events & KIF_WRITE) != 0, &r)) != NULL)
		return kif_fileready(k, events);
	return r != 0 ? events : kif_ready(fd, events);	/* a mismatch: the move finds it */
}

static void
sockbegin(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, int *was)
{
	*was = t->sockin;
	if(*was)
		return;		/* one take a call */
	t->sockin = 1;
	t->sockfd = fd;
	t->sockfile = held != NULL ? kif_filedup(held) : NULL;
	t->socklook = f != NULL ? f->sock : NULL;
	t->sockdc = f != NULL ? f->dc : 0;
	t->sockgen = f != NULL ? f->gen : 0;
	t->socknb = 0;
}

/* the call's answer r; a take that found another device's file makes
 * the call again (sockio's) */
static long
sockend(Lthread *t, int was, long r)
{
	if(was)
		return r;
	if(t->sockdc == -1 && r < 0)
		r = -LERESTARTNOINTR;
	kif_fileclose(t->sockfile);
	t->sockfile = NULL;
	t->socklook = NULL;
	t->sockin = 0;
	return r;
}

/* udp: announce (on a if given, else any port) with headers, then data */
static long
udpannounce(Lthread *t, Sock *s, int fd, char *a)
{
	char msg[160];

	snprintf(msg, sizeof msg, "announce %s", a != NULL ? a : s->family == LAF_INET6 ? "::!0" : "*!0");
	if(ctlmsg(s, fd, msg) < 0 || ctlmsg(s, fd, "headers") < 0 || todata(t, s, fd) < 0)
		return neterr();
	s->state = Pbound;
	s->headers = 1;
	return 0;
}

/* A unix path name's table name, unixenc'd, into tab (Maxtab bytes). */
static long
unixtabname(char *a, char *tab)
{
	char path[Maxname + 1], abs[MAXPATH];
	long r;

	if((r = unixtable(unixpath(a, path), abs, sizeof abs)) < 0)
		return r;
	return unixenc((uint8_t *)abs, strlen(abs), tab, Maxtab);
}

/* Where the unix name a leads: its table name into tab (Maxtab bytes;
 * a path's absolute and cleaned) and a path's node into *node (NULL:
 * none, so the name was bound where there are no socket nodes, or not
 * at all: ENOENT if nobody has it); a file that is no socket refuses. */
static long
unixdest(char *a, char *tab, Dir **node)
{
	char path[Maxname + 1];
	long r;

	*node = NULL;
	if(!unixfile(a)){
		snprintf(tab, Maxtab, "%s", a);
		return 0;
	}
	if((r = unixtabname(a, tab)) < 0)
		return r;
	*node = kdirstat(unixpath(a, path));
	if(*node != NULL && !((*node)->mode & DMSOCKET)){
		free(*node);
		*node = NULL;
		return -ECONNREFUSED;
	}
	return 0;
}

/* A refusal of a connect or send to the unix name a as Linux words
 * it: a path without a node is ENOENT; a socket of another type is
 * EPROTOTYPE for a path, but an abstract name of another type is
 * nobody's (ECONNREFUSED). */
static long
unixrefused(char *a, Dir *node, long r)
{
	if(unixfile(a) && node == NULL && r == -ECONNREFUSED)
		return -ENOENT;
	if(!unixfile(a) && r == -EPROTOTYPE)
		return -ECONNREFUSED;
	return r;
}

/* bind a unix socket to the name a (unixenc'd): a path is entered in
 * the device's table as its absolute, cleaned path, with the name as
 * bound beside it, which a caller's getpeername gives; and made a
 * socket node */
static long
unixbind(Lthread *t, Sock *s, int fd, char *a)
{
	char path[Maxname + 1], tab[Maxtab], msg[Maxtab + Maxa + 8];
	long r, made;

	made = 0;
	if(unixfile(a)){
		if((r = unixtabname(a, tab)) < 0)
			return r;
		if((made = unixmknode(t, unixpath(a, path))) < 0)
			return made;
		snprintf(msg, sizeof msg, "bind %s %s", tab, a);
	}else
		snprintf(msg, sizeof msg, "bind %s", a);
	if(ctlmsg(s, fd, msg) < 0){
		r = neterr();
		if(made)
			kremove(path);
		return r;
	}
	snprintf(s->name, sizeof s->name, "%s", a);
	s->state = Pbound;
	return s->type == LSOCK_DGRAM && todata(t, s, fd) < 0 ? neterr() : 0;
}

/* Linux's autobind: an abstract name of five hex digits, the first
 * free one from a place that differs from call to call */
static long
unixautobind(Lthread *t, Sock *s, int fd)
{
	static atomic_uint next;
	char a[16], msg[32], err[ERRMAX];
	uint32_t x, i;

	if(s->name[0] != 0)
		return 0;
	if(s->state != Pfresh)
		return -EINVAL;
	x = (uint32_t)getpid() * 2654435761u + atomic_fetch_add(&next, 1) * 40503u;
	for(i = 0; i <= 0xFFFFF; i++){
		snprintf(a, sizeof a, "%%00%05x", (x + i) & 0xFFFFF);
		snprintf(msg, sizeof msg, "bind %s", a);
		if(ctlmsg(s, fd, msg) == 0){
			snprintf(s->name, sizeof s->name, "%s", a);
			s->state = Pbound;
			return s->type == LSOCK_DGRAM && todata(t, s, fd) < 0 ? neterr() : 0;
		}
		kgerrstr(err, sizeof err);
		kwerrstr("%s", err);
		if(strcmp(err, "address in use") != 0)
			return neterr();
	}
	return -ENOSPC;
}

static long
dobind(Lthread *t, uint32_t fd, uint32_t addr, uint32_t len)
{
	char a[Maxa], msg[Maxa + 8];
	uint8_t *sa;
	Sock *s;
	long r;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(s->family == LAF_UNIX && len == 2){
		if((sa = gmem(t, addr, 2, VX_PROT_READ)) == NULL)
			return -EFAULT;
		if(sa[0] == LAF_UNIX && sa[1] == 0)
			return unixautobind(t, s, fd);
	}
	r = fromsa(t, s, addr, len, a, sizeof a);
	if(r < 0)
		return r;
	if(s->state != Pfresh)
		return -EINVAL;
	if(strcmp(s->proto, "udp") == 0)
		return udpannounce(t, s, fd, a);
	if(strcmp(s->proto, "unix") == 0)
		return unixbind(t, s, fd, a);
	snprintf(msg, sizeof msg, "bind %s", a);
	if(ctlmsg(s, fd, msg) < 0)
		return neterr();
	s->state = Pbound;
	return 0;
}

/* A tcp or udp socket's SO_SNDBUF or SO_RCVBUF asked for (x bytes) on
 * its host socket: the device's "sndbuf" or "rcvbuf", the host
 * doubling it as Linux does; best effort (a /net without them keeps
 * its sizes).  A unix socket's change nothing. */
static void
bufctl(Sock *s, int fd, int snd, uint32_t x)
{
	char msg[32];

	if(strcmp(s->proto, "unix") == 0)
		return;
	if(x > 212992)
		x = 212992;	/* and an int's negative: net.core's maximum */
	snprintf(msg, sizeof msg, "%s %u", snd ? "sndbuf" : "rcvbuf", x > 0 ? x : 1);
	ctlmsg(s, fd, msg);
}

/* The sizes asked for and IPV6_V6ONLY again, on a new conversation
 * (reannounce's) */
static void
hostopts(Sock *s, int cfd)
{
	char msg[32];

	if(strcmp(s->proto, "unix") == 0)
		return;
	if(s->v6only)
		kwrites(cfd, "v6only 1");
	if(s->oobinline && strcmp(s->proto, "tcp") == 0)
		kwrites(cfd, "oobinline 1");
	if(s->bufasked & 1){
		snprintf(msg, sizeof msg, "sndbuf %d", s->sndbuf / 2 > 0 ? s->sndbuf / 2 : 1);
		kwrites(cfd, msg);
	}
	if(s->bufasked & 2){
		snprintf(msg, sizeof msg, "rcvbuf %d", s->rcvbuf / 2 > 0 ? s->rcvbuf / 2 : 1);
		kwrites(cfd, msg);
	}
}

/* An Inferno emulator's #I binds its host socket at "bind" and again
 * at "announce", which the host refuses (EINVAL), so a bound tcp socket
 * could not listen there.  Then the announce goes to a fresh
 * conversation, at the address the bound one holds (not listening, that
 * one does not keep the port from a second SO_REUSEADDR socket), whose
 * ctl takes fd's place; the bound one goes with fd's last reference. */
static long
reannounce(Lthread *t, Sock *s, int fd, char *msg)
{
	char dir[64];
	int cfd;
	long r;

	cfd = convclone(s->proto, dir, sizeof dir);
	if(cfd < 0)
		return cfd;
	r = 0;
	if(kwrites(cfd, msg) < 0)
		r = neterr();
	if(r == 0 && s->keepalive)
		kwrites(cfd, "keepalive");	/* as setsockopt: best effort */
	if(r == 0)
		hostopts(s, cfd);
	if(r == 0 && replacefd(t->p, NULL, cfd, fd) < 0)
		r = neterr();
	kclose(cfd);
	if(r == 0)
		snprintf(s->dir, sizeof s->dir, "%s", dir);
	return r;
}

static long
dolisten(Lthread *t, uint32_t fd)
{
	char a[Maxa], msg[Maxa + 16];
	Sock *s;
	long r;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(s->type == LSOCK_DGRAM)
		return -EOPNOTSUPP;
	if(s->state == Plistening)
		return 0;
	if(s->state == Pconnected)
		return -EINVAL;
	if(strcmp(s->proto, "unix") == 0){
		/* the bound name now takes callers (Linux: no listen on
		 * an unbound socket) */
		if(s->state != Pbound)
			return -EINVAL;
		unixcred(t, s, fd);
		if(ctlmsg(s, fd, "announce") < 0)
			return neterr();
		s->state = Plistening;
		return 0;
	}
	if(s->state == Pbound){
		if(convread(s, "local", a, sizeof a) < 0)
			return neterr();
	}else
		snprintf(a, sizeof a, "%s", s->family == LAF_INET6 ? "::!0" : "*!0");
	snprintf(msg, sizeof msg, "announce %s", a);
	if(ctlmsg(s, fd, msg) < 0){
		r = neterr();
		if(r != -EINVAL || s->state != Pbound || s->isdata)
			return r;
		r = reannounce(t, s, fd, msg);
		if(r < 0)
			return r;
	}
	s->state = Plistening;
	return 0;
}

static long
doaccept(Lthread *t, uint32_t fd, uint32_t addr, uint32_t lenp, uint32_t flags)
{
	char path[160], num[16], a[Maxa];
	Kiffile *lk, *dk;
	Sock *s, *ns;
	int lfd;
	long r;

	if(flags & ~(LSOCK_NONBLOCK | LSOCK_CLOEXEC))
		return -EINVAL;
	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(s->state != Plistening)
		return -EINVAL;
	if(nonblocking(t, fd) && !(kif_ready(fd, KIF_READ) & KIF_READ))
		return -EAGAIN;
	snprintf(path, sizeof path, "%s/listen", s->dir);
	/* the new conversation's files opened at no fd, its data file put
	 * at the new fd once it is made (newsockfd), as Linux's; where the
	 * kernel opens only at fds, the listen's fd becomes the socket's */
	lk = NULL;
	lfd = -1;
	intrbegin(t);
	if((lk = kif_fileopen(path, ORDWR)) == NULL && kifbyfd())
		lfd = kopen(path, ORDWR);
	intrend(t);
	if(lk == NULL && lfd < 0)
		return waiterr(1);
	if(lfd >= fdlimit(t->p)){
		kclose(lfd);
		return -EMFILE;
	}
	r = lk != NULL ? kfconvnum(lk, num, sizeof num) : convnum(lfd, num, sizeof num);
	if(r < 0 || (ns = newsock(s->family, s->type, s->proto)) == NULL){
		kif_fileclose(lk);
		if(lfd >= 0)
			kclose(lfd);
		return r < 0 ? r : -ENOMEM;
	}
	/* the conversation's directory beside the listener's */
	snprintf(path, sizeof path, "%s", s->dir);
	*strrchr(path, '/') = 0;
	snprintf(ns->dir, sizeof ns->dir, "%.100s/%s", path, num);
	ns->state = Pconnected;
	/* a tcp listener's buffer sizes are its callers', as Linux's (the
	 * host socket's own came from the host's accept) */
	if(strcmp(s->proto, "unix") != 0){
		ns->sndbuf = s->sndbuf;
		ns->rcvbuf = s->rcvbuf;
		ns->oobinline = s->oobinline;	/* the host's accept passes it on, as Linux's */
	}
	snprintf(ns->name, sizeof ns->name, "%s", s->name);
	/* unix: the caller's name, if it has one */
	if(strcmp(ns->proto, "unix") == 0 && convread(ns, "remote", ns->peer, sizeof ns->peer) < 0)
		ns->peer[0] = 0;
	unixcred(t, ns, lfd);
	if(lk != NULL){
		snprintf(path, sizeof path, "%s/data", ns->dir);
		dk = kif_fileopen(path, ORDWR);
		kif_fileclose(lk);
		if(dk == NULL){
			sockput(ns);
			return neterr();
		}
		ns->isdata = 1;
		sockget(ns);	/* newsockfd's, and this call's till it answers */
		lfd = newsockfd(t, dk, flags & LSOCK_NONBLOCK ? LO_NONBLOCK : 0, (flags & LSOCK_CLOEXEC) != 0, ns);
		kif_fileclose(dk);
		if(lfd < 0){
			sockput(ns);
			return lfd;
		}
	}else if(todata(t, ns, lfd) < 0){
		r = neterr();
		kclose(lfd);
		sockput(ns);
		return r;
	}else{
		sockget(ns);
		fdinstallx(t->p, lfd, 2 | (flags & LSOCK_NONBLOCK ? LO_NONBLOCK : 0), (flags & LSOCK_CLOEXEC) != 0, NULL, NULL, ns, NULL);
	}
	if(addr != 0){
		if(strcmp(ns->proto, "unix") == 0)
			snprintf(a, sizeof a, "%s", ns->peer);
		else if(convread(ns, "remote", a, sizeof a) < 0)
			snprintf(a, sizeof a, "0.0.0.0!0");
		r = tosa(t, ns, a, addr, lenp);
		if(r < 0){
			sockput(ns);
			return r;	/* the fd stays, as Linux's does */
		}
	}
	sockput(ns);
	return lfd;
}

/* A unix datagram socket that sends by name (not a socketpair's end). */
static int
unixdgram(Sock *s)
{
	return s->family == LAF_UNIX && s->type == LSOCK_DGRAM && !s->pair;
}

/* A unix datagram socket's peer is gone (AF_UNSPEC, or it closed). */
static void
dgramunpeered(Sock *s)
{
	s->state = s->name[0] != 0 ? Pbound : Pfresh;
	s->peer[0] = 0;
}

static long
doconnect(Lthread *t, uint32_t fd, uint32_t addr, uint32_t len)
{
	char a[Maxa], tab[Maxtab], msg[Maxtab + 16];
	uint8_t *sa;
	Dir *node;
	Sock *s;
	long r;
	int rr;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(s->type == LSOCK_DGRAM && len >= 2 && (sa = gmem(t, addr, 2, VX_PROT_READ)) != NULL && sa[0] == LAF_UNSPEC
	&& sa[1] == 0){
		if(!unixdgram(s)){
			/* udp: unconnected, its datagrams named again by sendto
			 * (headers); a /net without "disconnect" keeps it connected */
			if(s->state == Pconnected && ctlmsg(s, fd, "disconnect") == 0 && ctlmsg(s, fd, "headers") == 0){
				s->state = Pbound;
				s->headers = 1;
			}
			return 0;
		}
		/* a unix datagram socket's peer is let go */
		if(s->state == Pconnected && ctlmsg(s, fd, "disconnect") < 0)
			return neterr();
		dgramunpeered(s);
		return 0;
	}
	r = fromsa(t, s, addr, len, a, sizeof a);
	if(r < 0)
		return r;
	if(s->state == Pconnected && s->type != LSOCK_DGRAM)
		return -EISCONN;
	if(s->state == Plistening)
		return -EINVAL;
	node = NULL;
	if(strcmp(s->proto, "unix") == 0 && s->passcred && (r = unixautobind(t, s, fd)) < 0)
		return r;	/* as Linux, a caller that wants credentials gets a name */
	if(strcmp(s->proto, "unix") == 0){
		if((r = unixdest(a, tab, &node)) < 0)
			return r;
		unixcred(t, s, fd);
		snprintf(msg, sizeof msg, "connect %s", tab);
	}else
		snprintf(msg, sizeof msg, "connect %s", a);
	connbegin(s);
	intrbegin(t);
	rr = ctlmsg(s, fd, msg);
	intrend(t);
	if(rr < 0){
		r = waiterr(0);
		connend(s, -1);
		if(strcmp(s->proto, "unix") == 0)
			r = unixrefused(a, node, r);
		free(node);
		return r;
	}
	free(node);
	if(todata(t, s, fd) < 0){
		r = neterr();
		connend(s, -1);
		return r;
	}
	s->headers = 0;
	connend(s, Pconnected);
	/* getpeername: the listener's name as it bound it (the kernel's
	 * remote file), else as the caller wrote it */
	if(strcmp(s->proto, "unix") == 0 && convread(s, "remote", s->peer, sizeof s->peer) <= 0)
		snprintf(s->peer, sizeof s->peer, "%s", a);
	/* connected at once; a non-blocking caller is told it is under way,
	 * and poll and SO_ERROR then say it is done */
	if(nonblocking(t, fd) && s->type == LSOCK_STREAM && strcmp(s->proto, "unix") != 0)
		return -EINPROGRESS;
	return 0;
}

/* --- data --------------------------------------------------------------- */

/* A udp header for a guest sockaddr. */
static long
udphdr(Lthread *t, Sock *s, uint32_t addr, uint32_t len, uint8_t *h)
{
	char a[Maxa], *bang;
	struct in_addr a4;
	long r;
	int port;

	r = fromsa(t, s, addr, len, a, sizeof a);
	if(r < 0)
		return r;
	memset(h, 0, Hdrlen);
	bang = strrchr(a, '!');
	*bang = 0;
	port = atoi(bang + 1);
	if(inet_pton(AF_INET, a, &a4) == 1){
		h[10] = h[11] = 0xff;
		memcpy(h + 12, &a4, 4);
	}else if(inet_pton(AF_INET6, a, h) != 1)
		return -EINVAL;
	h[48] = port >> 8;
	h[49] = port;
	return 0;
}

static void
sigpipe(Lthread *t)
{
	postsigself(t, LSIGPIPE);
}

/* sendto on a unix datagram socket: the device's "to" names where its
 * next write goes (a path: by its table name, and ENOENT where no node
 * is); a sender that wants credentials is autobound first */
static long
unixsendto(Lthread *t, Sock *s, uint32_t fd, uint8_t *buf, uint32_t n, uint32_t addr, uint32_t alen, int nowait)
{
	char a[Maxa], tab[Maxtab], msg[Maxtab + 16];
	Dir *node;
	long r;

	if(addr == 0)
		return -ENOTCONN;
	r = fromsa(t, s, addr, alen, a, sizeof a);
	if(r < 0)
		return r;
	if(s->passcred && s->state == Pfresh && (r = unixautobind(t, s, fd)) < 0)
		return r;
	if((r = unixdest(a, tab, &node)) < 0)
		return r;
	snprintf(msg, sizeof msg, "to %s%s", tab, nowait ? " nowait" : "");
	if(ctlmsg(s, fd, msg) < 0 || todata(t, s, fd) < 0){
		free(node);
		return neterr();
	}
	intrbegin(t);
	r = sockio(t, fd, buf, n, 1);
	intrend(t);
	if(r < 0)
		r = unixrefused(a, node, waiterr(1));
	free(node);
	return r;
}

/* send buf[0:n] on fd to addr (0: the peer) */
static long
sendbuf1(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, uint32_t flags, uint32_t addr, uint32_t alen)
{
	uint8_t *m;
	Sock *s;
	long r;
	int nowait;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if((r = connwait(t, s)) < 0)
		return r;
	/* Linux's SIGPIPE: a stream's only */
	if(s->shut & 2){
		if(!(flags & LMSG_NOSIGNAL) && s->type == LSOCK_STREAM)
			sigpipe(t);
		return -EPIPE;
	}
	nowait = (flags & LMSG_DONTWAIT) || nonblocking(t, fd);
	unixcred(t, s, fd);
	if(unixdgram(s) && (addr != 0 || s->state != Pconnected))
		return unixsendto(t, s, fd, buf, n, addr, alen, nowait);
	if(unixdgram(s)){
		/* connected: to its peer, which may be full or gone */
		if(nowait)
			ctlmsg(s, fd, "nowait");	/* a /net without it waits */
		intrbegin(t);
		r = sockio(t, fd, buf, n, 1);
		intrend(t);
		if(r >= 0)
			return r;
		if((r = waiterr(1)) == -ECONNREFUSED)
			dgramunpeered(s);
		return r;
	}
	if(s->type == LSOCK_DGRAM && strcmp(s->proto, "udp") == 0 && s->state != Pconnected){
		if(addr == 0)
			return -EDESTADDRREQ;
		if(s->state == Pfresh && (r = udpannounce(t, s, fd, NULL)) < 0)
			return r;
		if(n > Maxdgram - Hdrlen)
			return -EMSGSIZE;
		m = malloc(Hdrlen + n);
		if(m == NULL)
			return -ENOMEM;
		r = udphdr(t, s, addr, alen, m);
		if(r == 0){
			memcpy(m + Hdrlen, buf, n);
			r = sockio(t, fd, m, Hdrlen + n, 1);
			r = r < 0 ? neterr() : (long)n;
		}
		free(m);
		return r;
	}
	if(s->state != Pconnected)
		return s->type == LSOCK_STREAM || s->family == LAF_UNIX ? -ENOTCONN : -EDESTADDRREQ;
	if(((flags & LMSG_DONTWAIT) || nonblocking(t, fd)) && n > 0 && !(sockready(t, fd, KIF_WRITE) & KIF_WRITE))
		return -EAGAIN;
	/* MSG_OOB: the device's "urgent" makes its next data write the
	 * host's MSG_OOB (tcp only; a /net without it: EOPNOTSUPP) */
	if(flags & LMSG_OOB){
		if(strcmp(s->proto, "tcp") != 0)
			return -EOPNOTSUPP;
		if(ctlmsg(s, fd, "urgent") < 0)
			return -EOPNOTSUPP;
	}
	intrbegin(t);
	r = sockio(t, fd, buf, n, 1);
	intrend(t);
	if(r < 0){
		r = waiterr(1);
		if(r == -EPIPE && !(flags & LMSG_NOSIGNAL) && s->type == LSOCK_STREAM)
			sigpipe(t);
	}
	return r;
}

static uint32_t
get32be(uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A unix datagram or seqpacket message whole (into a buffer of the
 * largest), so a short buffer's loss is known: MSG_TRUNC in *mflags,
 * and the message's length as the answer with MSG_TRUNC in flags. */
static long
packetrecv(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, uint32_t flags, int *mflags, char *from, int *cred)
{
	uint8_t *m, *p;
	long r, hl, skip;
	int i, whole;

	m = n < Maxpacket || from != NULL ? malloc(Maxfrom + Maxpacket) : buf;
	if(m == NULL)
		return -ENOMEM;
	intrbegin(t);
	r = sockio(t, fd, m, m != buf ? Maxfrom + Maxpacket : n, 0);
	intrend(t);
	if(r < 0)
		r = waiterr(1);
	else if(m != buf){
		p = m;
		if(from != NULL){
			/* devip's header: the sender's name, 2 bytes long,
			 * then its pid, uid and gid, 4 bytes each */
			hl = r >= 2 ? m[0] << 8 | m[1] : 0;
			whole = r >= 2 && 2 + hl + 12 <= r;	/* an empty datagram's is all of it */
			if(!whole)
				hl = 0;
			skip = whole ? 2 + hl + 12 : r;
			from[0] = 0;
			if(hl < Maxa){
				memcpy(from, m + 2, hl);
				from[hl] = 0;
			}
			for(i = 0; cred != NULL && i < 3; i++)
				cred[i] = whole ? (int)get32be(m + 2 + hl + 4 * i) : 0;
			if(cred != NULL)
				cred[3] = whole;
			p = m + skip;
			r -= skip;
		}
		memcpy(buf, p, (uint32_t)r < n ? (uint32_t)r : n);
		if((uint32_t)r > n){
			*mflags |= LMSG_TRUNC;
			if(!(flags & LMSG_TRUNC))
				r = n;
		}
	}
	if(m != buf)
		free(m);
	return r;
}

/* A unix link's peer's user now, from its status, into cred (cred[3]:
 * whether there is one). */
static void
linkcred(Sock *s, int *cred)
{
	char st[160], *p;

	cred[3] = 0;
	if(convread(s, "status", st, sizeof st) > 0 && (p = strstr(st, " sender ")) != NULL)
		cred[3] = sscanf(p, " sender %d %d %d", &cred[0], &cred[1], &cred[2]) == 3;
}

/* receive into buf[0:n] from fd; the sender's address to addr/lenp;
 * MSG_TRUNC in *mflags when a datagram did not fit; the sender's user
 * into cred (4 ints: pid uid gid, and whether known) if it is not NULL
 * and the socket wants them (SO_PASSCRED) */
static long
recvbuf1(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, uint32_t flags, uint32_t addr, uint32_t lenp, int *mflags, int *cred)
{
	char a[Maxa], h[INET6_ADDRSTRLEN], *from;
	uint8_t *m;
	uint32_t got;
	Sock *s;
	long r;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if((flags & LMSG_OOB) && strcmp(s->proto, "tcp") != 0)
		return -EOPNOTSUPP;
	if((r = connwait(t, s)) < 0)
		return r;
	if(s->state == Pfresh && s->type == LSOCK_DGRAM && strcmp(s->proto, "udp") == 0){
		if((r = udpannounce(t, s, fd, NULL)) < 0)
			return r;
		/* a copy's file, held from its start, is the ctl the data
		 * file has just replaced at the fd: the call again, with the
		 * data file (a splice from a fresh UDP socket read the ctl's
		 * number as a datagram: EIO, where Linux's waits) */
		if(t->sockin && t->sockfile != NULL && fd == (uint32_t)t->sockfd)
			return -LERESTARTNOINTR;
	}
	if(s->state == Pfresh || s->state == Plistening){
		/* Linux's words for a unix socket nobody can send to */
		if(s->family == LAF_UNIX && s->type == LSOCK_STREAM)
			return -EINVAL;
		if(s->family == LAF_UNIX && s->type == LSOCK_DGRAM && ((flags & LMSG_DONTWAIT) || nonblocking(t, fd)))
			return -EAGAIN;
		return -ENOTCONN;
	}
	if((s->shut & 1) && s->state != Pconnected)
		return 0;	/* a connected one's host socket reads what was queued first */
	if(flags & LMSG_OOB){
		/* the urgent byte: never waits (the device's "oob") */
		if((flags & LMSG_PEEK) && ctlmsg(s, fd, "peek") < 0)
			return -EOPNOTSUPP;
		if(ctlmsg(s, fd, "oob") < 0)
			return -EOPNOTSUPP;
		r = sockio(t, fd, buf, n, 0);
		return r < 0 ? neterr() : r;
	}
	if(((flags & LMSG_DONTWAIT) || nonblocking(t, fd)) && !(sockready(t, fd, KIF_READ) & (KIF_READ | KIF_HUP)))
		return -EAGAIN;
	/* MSG_PEEK: the device's "peek" makes its next data read leave the
	 * bytes queued (a /net without it, e.g. a remote one: EOPNOTSUPP) */
	if((flags & LMSG_PEEK) && ctlmsg(s, fd, "peek") < 0)
		return -EOPNOTSUPP;
	if(s->headers){
		m = malloc(Maxdgram);
		if(m == NULL)
			return -ENOMEM;
		intrbegin(t);
		r = sockio(t, fd, m, Maxdgram, 0);
		intrend(t);
		if(r < 0){
			free(m);
			return waiterr(1);
		}
		if(r < Hdrlen){
			free(m);
			return -EIO;
		}
		got = r - Hdrlen;
		memcpy(buf, m + Hdrlen, got < n ? got : n);
		if(m[10] == 0xff && m[11] == 0xff && memcmp(m, "\0\0\0\0\0\0\0\0\0\0", 10) == 0)
			inet_ntop(AF_INET, m + 12, h, sizeof h);
		else
			inet_ntop(AF_INET6, m, h, sizeof h);
		snprintf(a, sizeof a, "%s!%d", h, m[48] << 8 | m[49]);
		free(m);
		if(addr != 0 && (r = tosa(t, s, a, addr, lenp)) < 0)
			return r;
		if(got > n)
			*mflags |= LMSG_TRUNC;
		return (flags & LMSG_TRUNC) ? (long)got : (long)(got < n ? got : n);
	}
	from = NULL;
	if(cred != NULL && !(s->family == LAF_UNIX && s->passcred))
		cred = NULL;
	if(cred != NULL)
		cred[3] = 0;
	if(unixdgram(s) && (addr != 0 || cred != NULL)){
		/* the sender from the device's header ("from") */
		if(ctlmsg(s, fd, "from") < 0)
			return neterr();
		from = a;
	}
	if(s->family == LAF_UNIX && s->type != LSOCK_STREAM){
		if((r = packetrecv(t, fd, buf, n, flags, mflags, from, cred)) < 0)
			return r;
		got = r;
	}else for(got = 0; ; ){
		intrbegin(t);
		r = sockio(t, fd, buf + got, n - got, 0);
		intrend(t);
		if(r < 0)
			return got > 0 ? (long)got : waiterr(1);
		got += r;
		if(r == 0 || got == n || !(flags & LMSG_WAITALL) || s->type != LSOCK_STREAM || (flags & LMSG_PEEK))
			break;
	}
	if(cred != NULL && from == NULL)
		linkcred(s, cred);
	if(addr != 0){
		uint8_t *gl = gmem(t, lenp, 4, VX_PROT_WRITE);
		if(gl == NULL)
			return -EFAULT;
		if(s->family == LAF_UNIX){
			/* the sender, the peer: its name, or none (0 long) */
			if(from == NULL)
				from = s->peer;
			if(from[0] == 0 || tosa(t, s, from, addr, lenp) < 0)
				put32(gl, 0);
		}else if(s->type == LSOCK_DGRAM){
			if(convread(s, "remote", a, sizeof a) < 0 || tosa(t, s, a, addr, lenp) < 0)
				put32(gl, 0);
		}else
			put32(gl, 0);	/* a stream socket names no sender */
	}
	return got;
}

/*
 * A nonblocking send or receive (MSG_DONTWAIT, O_NONBLOCK) is made
 * under kif_nowait, so the device fails EAGAIN where it would wait,
 * whatever the readiness test before it saw: another reader may take
 * the bytes between the two, or another thread dup2 a blocking socket
 * over the fd (a call that waited for ever, session 25's red team).
 */
static long
sendbuf(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, uint32_t flags, uint32_t addr, uint32_t alen)
{
	long r;
	int nb, was;

	sockbegin(t, fd, NULL, NULL, &was);
	nb = (flags & LMSG_DONTWAIT) || nonblocking(t, fd);
	if(nb)
		kif_nowait(1);
	r = sendbuf1(t, fd, buf, n, flags, addr, alen);
	if(nb)
		kif_nowait(0);
	return sockend(t, was, r);
}

static long
recvbuf(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, uint32_t flags, uint32_t addr, uint32_t lenp, int *mflags, int *cred)
{
	long r;
	int nb, was;

	sockbegin(t, fd, NULL, NULL, &was);
	nb = (flags & LMSG_DONTWAIT) || nonblocking(t, fd);
	if(nb)
		kif_nowait(1);
	r = recvbuf1(t, fd, buf, n, flags, addr, lenp, mflags, cred);
	if(nb)
		kif_nowait(0);
	return sockend(t, was, r);
}

/* The got bytes a read took, in buf, into the iovecs: got, or if the
 * guest refuses part of them (past a fault, or unmapped by another
 * thread while the read waited) a datagram's EFAULT (it is lost, as
 * Linux's) and a stream's the bytes that reached them (EFAULT for none) */
long
recvdeliver(Lthread *t, uint32_t fd, Giov *v, uint32_t nv, const void *buf, long got)
{
	uint32_t k;

	if(got <= 0 || (k = giovscatter(t, v, nv, buf, got)) == (uint32_t)got)
		return got;
	return k > 0 && socksigpipe(t->p, fd) ? (long)k : -EFAULT;
}

/* A read or write of a socket (read, write, readv, writev): Linux's
 * recv and send with no flags, so a UDP socket's datagram comes without
 * the device's header, and a stream's EPIPE raises SIGPIPE */
long
sockrw(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n, int out)
{
	long r;
	int mflags, was;

	/* the record's Sock and device, and held (copyfd's) where given:
	 * the call moves its bytes through a file of that device, taken
	 * once (socktake) */
	sockbegin(t, fd, f, held, &was);
	mflags = 0;
	r = out ? sendbuf(t, fd, buf, n, 0, 0, 0) : recvbuf(t, fd, buf, n, 0, 0, 0, &mflags, NULL);
	return sockend(t, was, r);
}

/*
 * copyheld's read of a socket f (rwheld's refusals of a socket first):
 * a stream's bytes are peeked (the device's "peek"), left queued till
 * sockconsume takes what the copy wrote, as Linux's splice and sendfile
 * take from a socket only what went out (a short or failed write lost
 * the rest until session 29).  *peeked 0 where they were read: a
 * datagram socket's (a datagram is read whole), or a /net with no
 * "peek" (EOPNOTSUPP).
 */
long
sockpeek(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n, int *peeked)
{
	long r;
	int mflags, was;

	*peeked = 0;
	if((f->flags & 3) == 1)
		return -EBADF;	/* not open for reading */
	sockbegin(t, fd, f, held, &was);
	mflags = 0;
	r = -EOPNOTSUPP;
	if(sockpeeks(f)){
		r = recvbuf(t, fd, buf, n, LMSG_PEEK, 0, 0, &mflags, NULL);
		*peeked = r != -EOPNOTSUPP;
	}
	if(!*peeked)
		r = recvbuf(t, fd, buf, n, 0, 0, 0, &mflags, NULL);
	return sockend(t, was, r);
}

/*
 * copyheld's read of a stream socket f of this kernel's #I (sockholds)
 * held in held: the read is made under kif_pipecopy, which peeks the
 * bytes and holds the socket (no other read takes from it) till the
 * copy's kif_fileunread takes what its write took and lets it go, as
 * Linux's splice reads under the socket's lock.  sockpeek's peek and
 * sockconsume's take let another reader take the peeked bytes between
 * them (duplicated) and the take then took later ones (lost), until
 * session 31.
 */
long
sockholdread(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n)
{
	long r;
	int mflags, was;

	if((f->flags & 3) == 1)
		return -EBADF;	/* not open for reading */
	sockbegin(t, fd, f, held, &was);
	mflags = 0;
	kif_pipecopy(1);
	r = recvbuf(t, fd, buf, n, 0, 0, 0, &mflags, NULL);
	kif_pipecopy(0);
	return sockend(t, was, r);
}

/* Whether a copy from f, held in held, reads it by sockholdread: a stream
 * socket of a kernel whose #I holds a copy's read (not emu's, nor a
 * /net mounted from elsewhere) */
int
sockholds(Fdlook *f, Kiffile *held)
{
	return held != NULL && f->sock != NULL && sockpeeks(f) && f->dc == 'I' && kif_sockhold();
}

/* Whether sockpeek peeks f's socket (a stream's bytes), or reads
 * them (a datagram, read whole) */
int
sockpeeks(Fdlook *f)
{
	return f->sock->type == LSOCK_STREAM && !f->sock->headers;
}

/* fd's record given its Sock where it has none yet (a dup's, found
 * from the fd's name: sockof), for a copy from it: 0, or
 * -LERESTARTNOINTR where another open is at the fd since (sockof's).
 * A file of #I that is no socket (a status file) stays a file: 0. */
long
sockrecord(Lthread *t, uint32_t fd)
{
	long r;

	if(sockof(t, fd, &r) == NULL && r == -LERESTARTNOINTR)
		return r;
	return 0;
}

/* The n bytes of a socket sockpeek peeked and its copy wrote, taken
 * from it (into buf: they are out already), without waiting: another
 * reader may have taken them meanwhile (Linux's splice holds the
 * socket's lock; this does not) */
void
sockconsume(Lthread *t, uint32_t fd, Fdlook *f, Kiffile *held, void *buf, uint32_t n)
{
	long r;
	uint32_t got;
	int mflags, was;

	sockbegin(t, fd, f, held, &was);
	mflags = 0;
	for(got = 0; got < n; got += r)
		if((r = recvbuf(t, fd, (uint8_t*)buf + got, n - got, LMSG_DONTWAIT, 0, 0, &mflags, NULL)) <= 0)
			break;
	sockend(t, was, 0);
}

static long
dosendto(Lthread *t, uint32_t *a)
{
	uint32_t n;
	uint8_t *p;

	n = a[2] > MAXRW ? MAXRW : a[2];
	p = gmem(t, a[1], n, VX_PROT_READ);
	if(p == NULL && n != 0)
		return -EFAULT;
	return sendbuf(t, a[0], p, n, a[3], a[4], a[5]);
}

static long
dorecvfrom(Lthread *t, uint32_t *a)
{
	uint32_t n;
	uint8_t *p;
	int mflags;

	n = a[2] > MAXRW ? MAXRW : a[2];
	p = gmem(t, a[1], n, VX_PROT_WRITE);
	if(p == NULL && n != 0)
		return -EFAULT;
	return recvbuf(t, a[0], p, n, a[3], a[4], a[5], &mflags, NULL);
}

/* The iovecs of a guest msghdr (i386: name namelen iov iovlen control
 * controllen flags), a checked copy (giov); their total length in *total. */
static Giov *
msgiov(Lthread *t, uint8_t *mh, uint32_t *niov, uint64_t *total, int prot, long *err)
{
	*niov = get32(mh + 12);
	*total = 0;
	if(*niov > MAXIOV){
		*err = -EMSGSIZE;
		return NULL;
	}
	return giov(t, get32(mh + 8), *niov, prot, total, err);
}

/*
 * sendmsg's control messages, on a unix socket: SCM_RIGHTS's fds go to
 * the conversation's ctl as "passfd FD…" (the kernel takes their Chans
 * and hangs them on the next write: doc/net.md); SCM_CREDENTIALS must
 * name the sender itself and is then dropped (receivers get none).
 * *cancel: the Sock to cancel the passfd on if nothing is sent.
 */
static long
sendrights(Lthread *t, uint32_t fd, uint8_t *mh, uint64_t total, Sock **cancel)
{
	uint32_t clen, off, len, i, nfd, x, fl;
	unsigned long long qp;
	uint8_t *c;
	char *msg;
	Sock *s;
	Lnk *lk;
	long r;
	int n, dc, qt;

	*cancel = NULL;
	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(s->family != LAF_UNIX)
		return -EOPNOTSUPP;	/* no IP control messages */
	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0 || dc != 'I')
		return -EOPNOTSUPP;	/* a 9P /net: fd numbers mean nothing there */
	clen = get32(mh + 20);
	if(clen > 65536)
		return -ENOBUFS;
	c = gmem(t, get32(mh + 16), clen, VX_PROT_READ);
	if(c == NULL)
		return -EFAULT;
	msg = malloc(16 + MAXPASS * 12);
	if(msg == NULL)
		return -ENOMEM;
	n = sprintf(msg, "passfd");
	nfd = 0;
	r = 0;
	for(off = 0; off <= clen && clen - off >= CMSGHDR; off += (len + 3) & ~3u){
		len = get32(c + off);
		if(len < CMSGHDR || len > clen - off){
			r = -EINVAL;
			break;
		}
		if(get32(c + off + 4) != LSOL_SOCKET){
			r = -EINVAL;
			break;
		}
		if(get32(c + off + 8) == LSCM_CREDENTIALS){
			if(len < CMSGHDR + 12){
				r = -EINVAL;
				break;
			}
			if((int)get32(c + off + 12) != t->p->pid || get32(c + off + 16) != (uint32_t)hostuid()
			|| get32(c + off + 20) != (uint32_t)hostgid()){
				r = -EPERM;
				break;
			}
			continue;
		}
		if(get32(c + off + 8) != LSCM_RIGHTS){
			r = -EINVAL;
			break;
		}
		for(i = CMSGHDR; i + 4 <= len; i += 4){
			x = get32(c + off + i);
			if(x >= MAXFD){
				r = -EBADF;
				break;
			}
			pthread_mutex_lock(&t->p->flk);
			r = !t->p->fd[x].used ? -EBADF : t->p->fd[x].ep != NULL || t->p->fd[x].ev != NULL ? -EINVAL : 0;
			fl = t->p->fd[x].flags & PASSFLAGS;
			lk = r == 0 ? lnkget(t->p->fd[x].lnk) : NULL;
			pthread_mutex_unlock(&t->p->flk);
			if(r == 0 && nfd >= MAXPASS)
				r = -EINVAL;	/* too many, or state the kernel does not hold */
			if(r == 0 && lk != NULL)
				r = lnkpass(x, lk);	/* a link: its path goes by fdtab.c's table */
			lnkput(lk);
			if(r < 0)
				break;
			/* the open file's status flags and access mode travel
			 * with it, as Linux's open file description does */
			n += sprintf(msg + n, " %u/%u", x, fl);
			nfd++;
		}
		if(r < 0)
			break;
	}
	if(r == 0 && nfd > 0 && total > 0){
		/* a stream carries them with a byte, or not at all */
		if(ctlmsg(s, fd, msg) < 0){
			char err[ERRMAX];

			err[0] = 0;
			kgerrstr(err, sizeof err);
			/* a /net without passfd (a remote one, emu's) */
			r = strcmp(err, "bad process or channel control request") == 0 ? -EOPNOTSUPP : -errnoof(err);
		}else
			*cancel = sockget(s);
	}
	free(msg);
	return r;
}

static long
dosendmsg(Lthread *t, uint32_t fd, uint32_t msg, uint32_t flags)
{
	uint8_t *mh;
	uint32_t niov;
	uint64_t total;
	Sock *cancel;
	Giov *iov;
	long r;

	mh = gmem(t, msg, 28, VX_PROT_READ);
	if(mh == NULL)
		return -EFAULT;
	iov = msgiov(t, mh, &niov, &total, VX_PROT_READ, &r);
	if(iov == NULL)
		return r;
	cancel = NULL;
	if(get32(mh + 20) != 0){
		r = sendrights(t, fd, mh, total, &cancel);
		if(r < 0)
			return r;
	}
	r = socksendv(t, fd, get32(mh), get32(mh + 4), iov, niov, total, flags);
	if(r <= 0 && cancel != NULL)
		ctlmsg(cancel, fd, "passfd");	/* nothing went: neither do they */
	sockput(cancel);
	return r;
}

/* sendbuf as gatherput's put: the flags and the address */
typedef struct Sendto {
	uint32_t flags, addr, alen;
} Sendto;

static long
sendput(Lthread *t, uint32_t fd, uint8_t *buf, uint32_t n, void *arg)
{
	Sendto *to = arg;

	return sendbuf(t, fd, buf, n, to->flags, to->addr, to->alen);
}

/* The data of a sendmsg or a socket's writev: a datagram (or a stream's
 * write of at most Maxdgram) whole, gathered from the iovecs, EFAULT
 * and nothing sent if the guest refuses any of them; a longer stream
 * write a chunk at a time (gatherput) */
long
socksendv(Lthread *t, uint32_t fd, uint32_t addr, uint32_t alen, Giov *iov, uint32_t niov, uint64_t total, uint32_t flags)
{
	Sendto to = {flags, addr, alen};
	Sock *s;
	long r;

	if(total > Maxdgram){
		if((s = sockof(t, fd, &r)) == NULL)
			return r;
		if(s->type != LSOCK_STREAM)
			return -EMSGSIZE;
	}
	return gatherput(t, fd, iov, niov, total, total > Maxdgram ? Streamchunk : total, sendput, &to);
}

/* The Linux flags of a passed file: its sender's (at s, "/FLAGS"), in
 * an access mode the Chan's mode allows, else those of the Chan's mode. */
static int
passedflags(int chanmode, const char *s)
{
	long fl;

	if(*s != '/')
		return chanmode & 3;
	fl = strtol(s + 1, NULL, 10) & PASSFLAGS;
	if((chanmode & 3) != 2 && (fl & 3) != (chanmode & 3))
		fl = (fl & ~3L) | (chanmode & 3);
	return fl;
}

/* Files passed to a unix socket (doc/net.md): taken by a read of the
 * conversation's fds file, at the offset want (the bytes about to be
 * read), once the socket is readable, so a batch is there when its byte
 * is.  Their fds and modes into fds/modes (*n of them); in *limit the
 * bytes to read so as to stop at the end of the batch's message, or -1.
 * 0, or the errno of the wait. */
static long
takerights(Lthread *t, uint32_t fd, uint32_t flags, uint64_t want, int *fds, int *modes, int *n, long *limit)
{
	char path[160], *buf, *s, *e;
	unsigned long long qp;
	long r, off, len;
	Kifpoll kf;
	unsigned long long fqp;
	Kiffile *fk;
	Sock *s0;
	int ffd, dc, qt, mode, fdc, fqt;

	*n = 0;
	*limit = -1;
	s0 = sockof(t, fd, &r);
	if(s0 == NULL)
		return r;
	if(s0->family != LAF_UNIX || (flags & (LMSG_PEEK | LMSG_OOB)) || !s0->isdata || (s0->shut & 1)
	|| (s0->state != Pconnected && !(unixdgram(s0) && s0->state == Pbound)))
		return 0;	/* nothing to take, or recvbuf answers at once */
	if((flags & LMSG_DONTWAIT) || nonblocking(t, fd)){
		if(!(kif_ready(fd, KIF_READ) & KIF_READ))
			return 0;	/* recvbuf says EAGAIN */
	}else{
		kf.fd = fd;
		kf.events = KIF_READ;
		kf.revents = 0;
		intrbegin(t);
		r = kif_poll(&kf, 1, -1);
		intrend(t);
		if(r < 0)
			return waiterr(1);
	}
	/* only this kernel's #I installs files in our table: a 9P /net's
	 * answer would name fds it never made */
	if(kif_fdkind(fd, &dc, &qt, &qp, NULL) < 0 || dc != 'I')
		return 0;
	snprintf(path, sizeof path, "%s/fds", s0->dir);
	/* opened at no fd (a temporary fd until session 31: see todata) */
	fk = kif_fileopen(path, OREAD);
	ffd = -1;
	if(fk == NULL && (!kifbyfd() || (ffd = kopen(path, OREAD)) < 0))
		return 0;	/* a /net that passes no files */
	/* that name is the guest's namespace's: a file bound over it (or
	 * over /net) would name fds of ours it was never sent, installed
	 * below, or closed behind their records when they do not fit.
	 * Only this conversation's own fds file of this kernel's #I
	 * answers (the socket's qid with the fds file's type). */
	if(fk != NULL){
		fdc = kif_filedev(fk);
		free(kif_filename(fk, &fqp));
	}else if(kif_fdkind(ffd, &fdc, &fqt, &fqp, NULL) < 0)
		fdc = 0;
	buf = NULL;
	if(fdc == 'I' && fqp == ((qp & ~0xfull) | Qfdsfile) && (buf = malloc(4097)) != NULL)
		r = fk != NULL ? kif_filepread(fk, buf, 4096, want) : kpread(ffd, buf, 4096, want);
	kif_fileclose(fk);
	if(ffd >= 0)
		kclose(ffd);
	if(buf == NULL)
		return fdc == 'I' && fqp == ((qp & ~0xfull) | Qfdsfile) ? -ENOMEM : 0;
	off = len = -1;
	if(r > 0){
		buf[r] = 0;
		off = strtol(buf, &s, 10);
		len = strtol(s, &s, 10);
		while(*s == ' ' && *n < MAXPASS){
			fds[*n] = strtol(s + 1, &e, 10);
			if(*e != '/' || fds[*n] < 0)
				break;
			mode = strtol(e + 1, &s, 10);
			modes[*n] = passedflags(mode, s);
			if(*s == '/')
				strtol(s + 1, &s, 10);
			(*n)++;
		}
	}
	free(buf);
	if(*n > 0 && off >= 0 && len > 0)
		*limit = off + len;
	return 0;
}

/* Give the passed files to the guest: as fds (close-on-exec with
 * MSG_CMSG_CLOEXEC) in an SCM_RIGHTS message, as many as its control
 * buffer holds; the rest are closed and MSG_CTRUNC says so. */
static int
giverights(Lthread *t, uint8_t *mh, uint32_t flags, int *fds, int *modes, int n, uint32_t at)
{
	uint32_t clen, room;
	uint8_t *c;
	int i, k, trunc;

	trunc = 0;
	for(i = k = 0; i < n; i++){
		if(fds[i] >= fdlimit(t->p)){
			kclose(fds[i]);	/* beyond the guest's fds: lost, as on a full table */
			trunc = 1;
			continue;
		}
		fds[k] = fds[i];
		modes[k++] = modes[i];
	}
	n = k;
	clen = get32(mh + 20);
	room = clen >= at + CMSGHDR ? (clen - at - CMSGHDR) / 4 : 0;
	k = n < (int)room ? n : (int)room;
	c = NULL;
	if(k > 0 && (c = gmem(t, get32(mh + 16) + at, CMSGHDR + 4 * k, VX_PROT_WRITE)) == NULL)
		k = 0;
	trunc |= k < n;
	for(i = 0; i < n; i++)
		if(i < k)
			fdinstallx(t->p, fds[i], modes[i], (flags & LMSG_CMSG_CLOEXEC) != 0, NULL, NULL, NULL,
				lnkpassed(fds[i]));
		else
			kclose(fds[i]);
	if(k > 0){
		put32(c, CMSGHDR + 4 * k);
		put32(c + 4, LSOL_SOCKET);
		put32(c + 8, LSCM_RIGHTS);
		for(i = 0; i < k; i++)
			put32(c + CMSGHDR + 4 * i, fds[i]);
	}
	put32(mh + 20, at + (k > 0 ? CMSGHDR + 4 * k : 0));
	return trunc;
}

/* SO_PASSCRED's message, first, as Linux puts it: the sender's pid,
 * uid and gid (cred[3]: known; else pid 0 and the overflow ids).  The
 * control bytes it took (0: no room, and *trunc set). */
static uint32_t
givecred(Lthread *t, uint8_t *mh, int *cred, int *trunc)
{
	uint8_t *c;

	if(get32(mh + 20) < CMSGHDR + 12 || (c = gmem(t, get32(mh + 16), CMSGHDR + 12, VX_PROT_WRITE)) == NULL){
		*trunc = 1;
		return 0;
	}
	put32(c, CMSGHDR + 12);
	put32(c + 4, LSOL_SOCKET);
	put32(c + 8, LSCM_CREDENTIALS);
	put32(c + 12, cred[3] ? cred[0] : 0);
	put32(c + 16, cred[3] && cred[1] != -1 ? cred[1] : 65534);
	put32(c + 20, cred[3] && cred[2] != -1 ? cred[2] : 65534);
	return CMSGHDR + 12;
}

static long
dorecvmsg(Lthread *t, uint32_t fd, uint32_t msg, uint32_t flags)
{
	uint8_t *mh, *buf;
	uint32_t niov, i;
	uint64_t total;
	long r, got, limit;
	int *fds, *modes, nfd, trunc, mflags, cred[4];
	uint32_t at;
	Giov *iov;

	mh = gmem(t, msg, 28, VX_PROT_READ | VX_PROT_WRITE);
	if(mh == NULL)
		return -EFAULT;
	iov = msgiov(t, mh, &niov, &total, VX_PROT_NONE, &r);
	if(iov == NULL)
		return r;
	if(total > 1 << 20)
		total = 1 << 20;	/* a short read, as a stream may give */
	/* a buffer the guest refuses part of: a datagram is taken and
	 * delivered if it fits (recvdeliver), a stream's bytes stay */
	if((i = giovroom(t, iov, niov, VX_PROT_WRITE, total)) < total && (i == 0 || socksigpipe(t->p, fd)))
		return -EFAULT;
	buf = malloc(total + 1);
	fds = malloc(MAXPASS * sizeof fds[0]);
	modes = malloc(MAXPASS * sizeof modes[0]);
	if(buf == NULL || fds == NULL || modes == NULL){
		free(buf);
		free(fds);
		free(modes);
		return -ENOMEM;
	}
	nfd = 0;
	limit = -1;
	r = total > 0 ? takerights(t, fd, flags, total, fds, modes, &nfd, &limit) : 0;
	if(r < 0){
		free(buf);
		free(fds);
		free(modes);
		return r;
	}
	if(limit > 0 && (uint64_t)limit < total)
		total = limit;	/* stop at the next batch's byte, as Linux does */
	mflags = 0;
	memset(cred, 0, sizeof cred);
	cred[3] = -1;	/* -1: not asked for */
	got = recvbuf(t, fd, buf, total, flags, get32(mh), get32(mh) != 0 ? msg + 4 : 0, &mflags, cred);
	if(got >= 0){
		/* MSG_TRUNC may answer more than was read */
		if((uint64_t)got < total)
			total = got;
		if((r = recvdeliver(t, fd, iov, niov, buf, total)) != (long)total)
			got = r;
		if(got >= 0){
			trunc = 0;
			at = cred[3] >= 0 ? givecred(t, mh, cred, &trunc) : 0;
			trunc |= giverights(t, mh, flags, fds, modes, nfd, at);
			put32(mh + 24, (trunc ? LMSG_CTRUNC : 0) | mflags);
		}
	}
	/* the bytes went to another reader, or are lost: so are the files */
	if(got < 0)
		for(i = 0; i < (uint32_t)nfd; i++)
			kclose(fds[i]);
	free(buf);
	free(fds);
	free(modes);
	return got;
}

/* sendmmsg and recvmmsg: a vector of msghdrs, each with its length
 * after it; only the first recv may wait.  (glibc's resolver sends its
 * A and AAAA queries together.) */
static long
mmsg(Lthread *t, uint32_t fd, uint32_t vec, uint32_t n, uint32_t flags, int out)
{
	uint8_t *m;
	uint32_t i;
	long r;

	if(n > 1024)
		n = 1024;
	for(i = 0; i < n; i++){
		m = gmem(t, vec + 32 * i, 32, VX_PROT_READ | VX_PROT_WRITE);
		if(m == NULL)
			return i > 0 ? (long)i : -EFAULT;
		if(out)
			r = dosendmsg(t, fd, vec + 32 * i, flags);
		else
			r = dorecvmsg(t, fd, vec + 32 * i, i > 0 ? flags | LMSG_DONTWAIT : flags);
		if(r < 0)
			return i > 0 ? (long)i : r;
		put32(m + 28, r);
	}
	return n;
}

/* --- names, options, shutdown, socketpair ------------------------------- */

static long
doname(Lthread *t, uint32_t fd, uint32_t addr, uint32_t lenp, int remote)
{
	char a[Maxa];
	Sock *s;
	long r;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(remote && (r = connwait(t, s)) < 0)
		return r;
	if(remote && s->state != Pconnected)
		return -ENOTCONN;
	if(gmem(t, lenp, 4, VX_PROT_READ | VX_PROT_WRITE) == NULL)
		return -EFAULT;
	if(strcmp(s->proto, "unix") == 0)
		snprintf(a, sizeof a, "%s", remote ? s->peer : s->name);
	else if(s->state == Pfresh)
		snprintf(a, sizeof a, "%s", s->family == LAF_INET6 ? "::!0" : "0.0.0.0!0");
	else if(convread(s, remote ? "remote" : "local", a, sizeof a) < 0)
		return neterr();
	return tosa(t, s, a, addr != 0 ? addr : 0, lenp);
}

/* Linux sets these SOL_SOCKET options (those not above change nothing
 * here); the others, and the ones it only reads (SO_TYPE, SO_ERROR,
 * SO_PEERCRED …), are ENOPROTOOPT. */
static int
setbylinux(uint32_t name)
{
	static const uint8_t set[] = {
		1, 5, 10, 11, 12, 14, 15, 18, 25, 26, 27, 29, 32, 33, 34, 35, 36, 37,
		40, 41, 42, 43, 44, 45, 46, 47, 49, 50, 51, 52, 53, 54, 58, 60,
	};
	size_t i;

	for(i = 0; i < sizeof set; i++)
		if(set[i] == name)
			return 1;
	return 0;
}

/* SO_PEERCRED: the peer's pid, uid and gid when it connected (the
 * device's status); none: pid 0 and the overflow ids, as Linux */
static void
peercred(Sock *s, uint8_t *v)
{
	char st[160], *p;
	int c[3];

	c[0] = 0;
	c[1] = c[2] = -1;
	if(convread(s, "status", st, sizeof st) > 0 && (p = strstr(st, " peercred ")) != NULL
	&& sscanf(p, " peercred %d %d %d", &c[0], &c[1], &c[2]) != 3)
		c[0] = 0;
	put32(v, c[0]);
	put32(v + 4, c[1] != -1 ? c[1] : 65534);
	put32(v + 8, c[2] != -1 ? c[2] : 65534);
}

static long
dogetsockopt(Lthread *t, uint32_t fd, uint32_t level, uint32_t name, uint32_t val, uint32_t lenp)
{
	uint8_t *gl, *g, v[12];
	uint32_t len, room;
	Sock *s;
	long r;
	int x;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	gl = gmem(t, lenp, 4, VX_PROT_READ | VX_PROT_WRITE);
	if(gl == NULL)
		return -EFAULT;
	room = get32(gl);
	if((int32_t)room < 0)
		return -EINVAL;
	memset(v, 0, sizeof v);
	len = 4;
	x = 0;
	if(level == LSOL_SOCKET){
		switch(name){
		case LSO_TYPE: x = s->type; break;
		case LSO_ERROR: x = 0; break;	/* connects finish before they return */
		case LSO_REUSEADDR: x = s->reuse; break;
		case LSO_KEEPALIVE: x = s->keepalive; break;
		case LSO_BROADCAST: x = s->broadcast; break;
		case LSO_SNDBUF: x = s->sndbuf ? s->sndbuf : 212992; break;
		case LSO_RCVBUF: x = s->rcvbuf ? s->rcvbuf : 212992; break;
		case LSO_ACCEPTCONN: x = s->state == Plistening; break;
		case LSO_DOMAIN: x = s->family; break;
		case LSO_PROTOCOL: x = strcmp(s->proto, "tcp") == 0 ? LIPPROTO_TCP : strcmp(s->proto, "udp") == 0 ? LIPPROTO_UDP : 0; break;
		case LSO_REUSEPORT: x = s->reuseport; break;
		case LSO_PASSCRED: x = s->passcred; break;
		case LSO_OOBINLINE: x = s->oobinline; break;
		case LSO_LINGER: len = 8; break;
		case LSO_RCVTIMEO: case LSO_SNDTIMEO: len = 8; break;
		case LSO_PEERCRED:
			if(s->family != LAF_UNIX)
				return -ENOPROTOOPT;
			peercred(s, v);
			len = 12;
			goto out;
		case LSO_RCVLOWAT: case LSO_SNDLOWAT: x = 1; break;
		/* Linux's defaults of flags that change nothing here (SO_DEBUG,
		 * SO_DONTROUTE, SO_NO_CHECK, SO_PRIORITY, SO_BSDCOMPAT,
		 * SO_TIMESTAMP, SO_PASSSEC, SO_TIMESTAMPNS, SO_MARK) */
		case 1: case 5: case 11: case 12: case 14: case 29: case 34: case 35: case 36:
			x = 0;
			break;
		default: return -ENOPROTOOPT;
		}
	}else if(s->family == LAF_UNIX)
		return -EOPNOTSUPP;	/* Linux's unix sockets have options of SOL_SOCKET only */
	else if(level == LIPPROTO_TCP && strcmp(s->proto, "tcp") == 0){
		if(name != LTCP_NODELAY)
			return -ENOPROTOOPT;
		x = s->nodelay;
	}else if(level == LIPPROTO_IPV6 && name == LIPV6_V6ONLY && s->family == LAF_INET6)
		x = s->v6only;
	else if(level == LIPPROTO_IP || level == LIPPROTO_IPV6)
		x = 0;
	else
		return -ENOPROTOOPT;
	if(len == 4)
		put32(v, x);
out:
	if(room > len)
		room = len;
	g = gmem(t, val, room, VX_PROT_WRITE);
	if(g == NULL && room != 0)
		return -EFAULT;
	if(room != 0)
		memcpy(g, v, room);
	put32(gl, room);
	return 0;
}

/* Options are remembered for getsockopt; keepalive, SO_REUSEPORT and
 * a tcp or udp socket's buffer sizes are ctl messages (bufctl); the
 * rest (timeouts, TCP_NODELAY …) change nothing. */
/* SO_SNDBUF's and SO_RCVBUF's size for a request of x bytes, as Linux
 * sets it: x as unsigned, at most net.core's default maximum, doubled
 * (x * 2 of a guest's int overflowed), at least min. */
static int
sockbuf(uint32_t x, int min)
{
	if(x > 212992)
		x = 212992;
	return (int)x * 2 > min ? (int)x * 2 : min;
}

static long
dosetsockopt(Lthread *t, uint32_t fd, uint32_t level, uint32_t name, uint32_t val, uint32_t len)
{
	uint8_t *g;
	Sock *s;
	long r;
	int x;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(len > 256)
		return -EINVAL;
	g = gmem(t, val, len, VX_PROT_READ);
	if(g == NULL && len != 0)
		return -EFAULT;
	x = len >= 4 ? (int)get32(g) : len >= 1 ? g[0] : 0;
	if(level == LSOL_SOCKET){
		switch(name){
		case LSO_RCVTIMEO: case LSO_SNDTIMEO:
			/* a struct timeval: its microseconds below a second */
			if(len < 8)
				return -EINVAL;
			if(get32(g + 4) >= 1000000)
				return -EDOM;
			return 0;
		case LSO_LINGER:
			return len < 8 ? -EINVAL : 0;
		case LSO_REUSEADDR: case LSO_BROADCAST: case LSO_SNDBUF: case LSO_RCVBUF: case LSO_KEEPALIVE:
			if(len < 4)
				return -EINVAL;	/* an int, as Linux wants */
		}
		switch(name){
		case LSO_REUSEADDR: s->reuse = x != 0; break;
		case LSO_BROADCAST: s->broadcast = x != 0; break;
		case LSO_SNDBUF:
		case LSO_RCVBUF:
			if(name == LSO_SNDBUF)
				s->sndbuf = sockbuf((uint32_t)x, 4608);
			else
				s->rcvbuf = sockbuf((uint32_t)x, 2304);
			s->bufasked |= name == LSO_SNDBUF ? 1 : 2;
			bufctl(s, fd, name == LSO_SNDBUF, (uint32_t)x);
			break;
		case LSO_KEEPALIVE:
			s->keepalive = x != 0;
			if(x != 0 && strcmp(s->proto, "tcp") == 0 && s->state != Pfresh && ctlmsg(s, fd, "keepalive") < 0)
				return neterr();
			break;
		case LSO_PASSCRED:
			if(len < 4)
				return -EINVAL;
			s->passcred = x != 0;
			break;
		case LSO_OOBINLINE:
			/* urgent data read in line: the host tcp socket's
			 * (it was remembered nowhere, and ftplib's ABOR sent
			 * with MSG_OOB lost its last byte to the urgent mark) */
			if(len < 4)
				return -EINVAL;
			if(strcmp(s->proto, "tcp") == 0){
				char msg[16];

				/* best effort, as before: a /net that knows
				 * no "oobinline" sends no urgent data either */
				snprintf(msg, sizeof msg, "oobinline %d", x != 0);
				ctlmsg(s, fd, msg);
			}
			s->oobinline = x != 0;
			break;
		case LSO_REUSEPORT:
			/* on the host socket, once set (as Linux, an unset
			 * after bind changes nothing); not for unix (Linux's) */
			if(len < 4)
				return -EINVAL;
			if(s->family == LAF_UNIX)
				return -EOPNOTSUPP;
			if(x != 0 && !s->reuseport && ctlmsg(s, fd, "reuseport") < 0)
				return neterr();
			s->reuseport = x != 0;
			break;
		default:
			if(!setbylinux(name))
				return -ENOPROTOOPT;
		}
		return 0;
	}
	if(s->family == LAF_UNIX)
		return -EOPNOTSUPP;
	if(level == LIPPROTO_TCP){
		if(strcmp(s->proto, "tcp") != 0)
			return -ENOPROTOOPT;
		if(name == LTCP_NODELAY && len < 4)
			return -EINVAL;
		if(name == LTCP_NODELAY)
			s->nodelay = x != 0;
		return 0;
	}
	if(level == LIPPROTO_IPV6 && name == LIPV6_V6ONLY && s->family == LAF_INET6){
		/* the host socket's, before its bind (EINVAL after, the
		 * host's as Linux's): a dual-stack server's IPv6 socket
		 * beside an IPv4 one on the same port (it was always off,
		 * and that bind EADDRINUSE) */
		char msg[16];

		if(len < 4)
			return -EINVAL;
		snprintf(msg, sizeof msg, "v6only %d", x != 0);
		if(ctlmsg(s, fd, msg) < 0)
			return neterr();
		s->v6only = x != 0;
		return 0;
	}
	if(level == LIPPROTO_IP || level == LIPPROTO_IPV6 || level == LIPPROTO_UDP)
		return 0;
	return -ENOPROTOOPT;
}

static long
doshutdown(Lthread *t, uint32_t fd, uint32_t how)
{
	static char *msg[] = { "shutdown rd", "shutdown wr", "shutdown rdwr" };
	Sock *s;
	long r;

	s = sockof(t, fd, &r);
	if(s == NULL)
		return r;
	if(how > 2)
		return -EINVAL;
	if(s->state != Pconnected && s->family == LAF_UNIX){
		/* Linux shuts a unix socket down in any state */
		s->shut |= how == 0 ? 1 : how == 1 ? 2 : 3;
		return 0;
	}
	if(s->state != Pconnected)
		return -ENOTCONN;
	if(ctlmsg(s, fd, msg[how]) < 0)
		return neterr();
	s->shut |= how == 0 ? 1 : how == 1 ? 2 : 3;
	return 0;
}

/* fd at the lowest free fd, if that is lower: the fd it is at */
static int
lowerfd(int fd)
{
	int n;

	n = kdup(fd, -1);
	if(n < 0)
		return fd;
	kclose(n < fd ? fd : n);
	return n < fd ? n : fd;
}

/* A unix conversation made for socketpair at no fd (pairfiles): its
 * clone file, directory in dir, of type base, with the caller's creds
 * and ctl message msg; NULL with *err the error (1: by fds) */
static Kiffile *
pairconv(Lthread *t, int base, char *dir, int n, char *msg, long *err)
{
	char cred[64];
	Kiffile *k;

	if((k = convclonefile("unix", dir, n, err)) == NULL)
		return NULL;
	if(unixtypemsg(base) != NULL)
		kfwrites(k, unixtypemsg(base));
	kfwrites(k, credmsg(t, cred, sizeof cred));
	if(kfwrites(k, msg) < 0){
		*err = neterr();
		kif_fileclose(k);
		return NULL;
	}
	return k;
}

/*
 * socketpair's files opened at no fd: a conversation announces name, a
 * second connects to it, the announcer's listen takes it, and the two
 * connected ends' data files go to the two lowest free fds, recorded
 * with their Socks in the same step (newsockfd), as Linux's.  Until
 * session 31 the three conversations' files took temporary fds, the
 * lowest free, and moved down (lowerfd): another thread's open got a
 * number Linux would not give, and its dup put a file over one of them.
 * 0 and fds, the error, or 1 where the kernel opens only at fds.
 */
static long
pairfiles(Lthread *t, int base, uint32_t type, char *name, int *fds)
{
	char adir[64], bdir[64], ldir[64], msg[96], num[16], path[160];
	Kiffile *a, *b, *l, *d[2];
	Sock *s[2];
	long r;
	int i;

	a = b = l = d[0] = d[1] = NULL;
	s[0] = s[1] = NULL;
	fds[0] = fds[1] = -1;
	snprintf(msg, sizeof msg, "announce %s", name);
	if((a = pairconv(t, base, adir, sizeof adir, msg, &r)) == NULL)
		return r == -ENOENT ? -EAFNOSUPPORT : r;
	snprintf(msg, sizeof msg, "connect %s", name);
	if((b = pairconv(t, base, bdir, sizeof bdir, msg, &r)) == NULL)
		goto out;
	snprintf(path, sizeof path, "%s/listen", adir);
	if((l = kif_fileopen(path, ORDWR)) == NULL){
		r = neterr();
		goto out;
	}
	if((r = kfconvnum(l, num, sizeof num)) < 0)
		goto out;
	snprintf(ldir, sizeof ldir, "/net/unix/%s", num);
	for(i = 0; i < 2; i++){
		snprintf(path, sizeof path, "%s/data", i == 0 ? bdir : ldir);
		if((d[i] = kif_fileopen(path, ORDWR)) == NULL){
			r = neterr();
			goto out;
		}
		if((s[i] = newsock(LAF_UNIX, base, "unix")) == NULL){
			r = -ENOMEM;
			goto out;
		}
		snprintf(s[i]->dir, sizeof s[i]->dir, "%s", i == 0 ? bdir : ldir);
		s[i]->state = Pconnected;
		s[i]->pair = 1;
		s[i]->isdata = 1;
		s[i]->credpid = t->p->pid;
	}
	for(i = 0; i < 2; i++){
		r = newsockfd(t, d[i], type & LSOCK_NONBLOCK ? LO_NONBLOCK : 0, (type & LSOCK_CLOEXEC) != 0, s[i]);
		s[i] = NULL;	/* newsockfd's */
		if(r < 0){
			if(i == 1)
				fdclose(t->p, fds[0]);
			goto out;
		}
		fds[i] = r;
	}
	r = 0;
out:
	for(i = 0; i < 2; i++){
		sockput(s[i]);
		kif_fileclose(d[i]);
	}
	kif_fileclose(a);
	kif_fileclose(b);
	kif_fileclose(l);
	return r == -ENOENT ? -EAFNOSUPPORT : r;
}

static long
dosocketpair(Lthread *t, uint32_t family, uint32_t type, uint32_t protocol, uint32_t sv)
{
	char adir[64], bdir[64], ldir[64], name[64], msg[96], num[16], path[160];
	uint8_t *g;
	int afd, bfd, lfd, fds[2], i, base;
	Sock *s[2];
	long r;

	base = type & 0xf;
	if(family != LAF_UNIX)
		return family == LAF_INET || family == LAF_INET6 ? -EOPNOTSUPP : -EAFNOSUPPORT;
	if(type & ~(0xf | LSOCK_NONBLOCK | LSOCK_CLOEXEC))
		return -EINVAL;
	if(base != LSOCK_STREAM && base != LSOCK_DGRAM && base != LSOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	if(protocol != 0)
		return -EPROTONOSUPPORT;
	g = gmem(t, sv, 8, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	afd = bfd = lfd = -1;
	r = 0;
	snprintf(name, sizeof name, "%s%d.%d", Pairname, t->p->pid, atomic_fetch_add(&pairid, 1));
	if((r = pairfiles(t, base, type, name, fds)) != 1){
		if(r == 0){
			put32(g, fds[0]);
			put32(g + 4, fds[1]);
		}
		return r;
	}
	r = 0;
	afd = convclone("unix", adir, sizeof adir);
	if(afd < 0)
		goto err;
	unixsettype(afd, base);
	pidcred(t, afd);
	snprintf(msg, sizeof msg, "announce %s", name);
	if(kwrites(afd, msg) < 0)
		goto err;
	bfd = convclone("unix", bdir, sizeof bdir);
	if(bfd < 0)
		goto err;
	unixsettype(bfd, base);
	pidcred(t, bfd);
	snprintf(msg, sizeof msg, "connect %s", name);
	if(kwrites(bfd, msg) < 0)
		goto err;
	snprintf(path, sizeof path, "%s/listen", adir);
	lfd = kopen(path, ORDWR);
	if(lfd < 0)
		goto err;
	if(convnum(lfd, num, sizeof num) < 0)
		goto err;
	snprintf(ldir, sizeof ldir, "/net/unix/%s", num);
	kclose(afd);
	afd = -1;
	/* Linux's are the two lowest free fds: take the announcer's */
	bfd = lowerfd(bfd);
	lfd = lowerfd(lfd);
	fds[0] = bfd;
	fds[1] = lfd;
	for(i = 0; i < 2; i++){
		s[i] = newsock(LAF_UNIX, base, "unix");
		if(s[i] == NULL){
			if(i == 1)
				sockput(s[0]);
			r = -ENOMEM;
			goto out;
		}
		snprintf(s[i]->dir, sizeof s[i]->dir, "%s", i == 0 ? bdir : ldir);
		s[i]->state = Pconnected;
		s[i]->pair = 1;
		s[i]->credpid = t->p->pid;
	}
	for(i = 0; i < 2; i++)
		if(fds[i] >= fdlimit(t->p) || todata(t, s[i], fds[i]) < 0){
			r = fds[i] >= fdlimit(t->p) ? -EMFILE : neterr();
			sockput(s[0]);
			sockput(s[1]);
			goto out;
		}
	for(i = 0; i < 2; i++){
		fdinstallx(t->p, fds[i], 2 | (type & LSOCK_NONBLOCK ? LO_NONBLOCK : 0), (type & LSOCK_CLOEXEC) != 0, NULL, NULL, s[i], NULL);
	}
	put32(g, fds[0]);
	put32(g + 4, fds[1]);
	return 0;
err:
	r = neterr();
	if(r == -ENOENT)
		r = -EAFNOSUPPORT;
out:
	if(afd >= 0)
		kclose(afd);
	if(bfd >= 0)
		kclose(bfd);
	if(lfd >= 0)
		kclose(lfd);
	return r;
}

/* --- the calls ---------------------------------------------------------- */

long sys_socket(Lthread *t, uint32_t *a) { return dosocket(t, a[0], a[1], a[2]); }
long sys_socketpair(Lthread *t, uint32_t *a) { return dosocketpair(t, a[0], a[1], a[2], a[3]); }
long sys_bind(Lthread *t, uint32_t *a) { return dobind(t, a[0], a[1], a[2]); }
long sys_connect(Lthread *t, uint32_t *a) { return doconnect(t, a[0], a[1], a[2]); }
long sys_listen(Lthread *t, uint32_t *a) { return dolisten(t, a[0]); }
long sys_accept4(Lthread *t, uint32_t *a) { return doaccept(t, a[0], a[1], a[2], a[3]); }
long sys_getsockopt(Lthread *t, uint32_t *a) { return dogetsockopt(t, a[0], a[1], a[2], a[3], a[4]); }
long sys_setsockopt(Lthread *t, uint32_t *a) { return dosetsockopt(t, a[0], a[1], a[2], a[3], a[4]); }
long sys_getsockname(Lthread *t, uint32_t *a) { return doname(t, a[0], a[1], a[2], 0); }
long sys_getpeername(Lthread *t, uint32_t *a) { return doname(t, a[0], a[1], a[2], 1); }
long sys_sendto(Lthread *t, uint32_t *a) { return dosendto(t, a); }
long sys_recvfrom(Lthread *t, uint32_t *a) { return dorecvfrom(t, a); }
long sys_sendmsg(Lthread *t, uint32_t *a) { return dosendmsg(t, a[0], a[1], a[2]); }
long sys_recvmsg(Lthread *t, uint32_t *a) { return dorecvmsg(t, a[0], a[1], a[2]); }
long sys_shutdown(Lthread *t, uint32_t *a) { return doshutdown(t, a[0], a[1]); }
long sys_sendmmsg(Lthread *t, uint32_t *a) { return mmsg(t, a[0], a[1], a[2], a[3], 1); }
long sys_recvmmsg(Lthread *t, uint32_t *a) { return mmsg(t, a[0], a[1], a[2], a[3], 0); }

/* socketcall(call, args): i386's multiplexer; args points at the
 * call's arguments, as many as it takes. */
static long socketcall1(Lthread *t, uint32_t *a, uint32_t *x);

long
sys_socketcall(Lthread *t, uint32_t *a)
{
	uint32_t x[6];
	long r;

	memset(x, 0, sizeof x);
	r = socketcall1(t, a, x);
	if(r == -EAGAIN)
		fddrained(t->p, x[0]);
	return r;
}

static long
socketcall1(Lthread *t, uint32_t *a, uint32_t *x)
{
	static const uint8_t nargs[21] = { 0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4 };
	uint8_t *p;
	int i;

	if(a[0] < 1 || a[0] > 20)
		return -EINVAL;
	p = gmem(t, a[1], nargs[a[0]] * 4, VX_PROT_READ);
	if(p == NULL)
		return -EFAULT;
	for(i = 0; i < nargs[a[0]]; i++)
		x[i] = get32(p + 4 * i);
	switch(a[0]){
	case 1: return dosocket(t, x[0], x[1], x[2]);
	case 2: return dobind(t, x[0], x[1], x[2]);
	case 3: return doconnect(t, x[0], x[1], x[2]);
	case 4: return dolisten(t, x[0]);
	case 5: return doaccept(t, x[0], x[1], x[2], 0);
	case 6: return doname(t, x[0], x[1], x[2], 0);
	case 7: return doname(t, x[0], x[1], x[2], 1);
	case 8: return dosocketpair(t, x[0], x[1], x[2], x[3]);
	case 9: x[4] = x[5] = 0; return dosendto(t, x);		/* send */
	case 10: x[4] = x[5] = 0; return dorecvfrom(t, x);	/* recv */
	case 11: return dosendto(t, x);
	case 12: return dorecvfrom(t, x);
	case 13: return doshutdown(t, x[0], x[1]);
	case 14: return dosetsockopt(t, x[0], x[1], x[2], x[3], x[4]);
	case 15: return dogetsockopt(t, x[0], x[1], x[2], x[3], x[4]);
	case 16: return dosendmsg(t, x[0], x[1], x[2]);
	case 17: return dorecvmsg(t, x[0], x[1], x[2]);
	case 18: return doaccept(t, x[0], x[1], x[2], x[3]);
	case 19: return mmsg(t, x[0], x[1], x[2], x[3], 0);
	case 20: return mmsg(t, x[0], x[1], x[2], x[3], 1);
	}
	return -EINVAL;
}
