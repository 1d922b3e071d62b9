/* fuzz_mnt.c — libFuzzer target for the 9P client's reply handling:
 * libkern's mount driver (#M) and the libstyx client it uses, facing a
 * server whose replies the fuzzer chooses.
 *
 * Each input is one connection.  A small sane server (a root directory
 * holding a file "f" and a directory "d") answers every request, except
 * those the input replaces: the input is a list of records
 *	nth[1] flags[1] len[2] bytes[len]
 * and request number nth of the connection (Tversion is 0) is answered
 * with bytes instead; flags 1: put the request's tag in, 2: put the
 * true size in, 4: close the connection after (as after bytes that are
 * not one whole message: the client would wait for the rest), 8: the
 * bytes are an extra message before the sane reply (a reply to a tag
 * not asked for, a second reply, a stray Rflush).  When the client is
 * done the server closes.  The client mounts the connection and runs a
 * fixed script (walks, one longer than a Twalk takes, stats, reads, one
 * longer than the message size, a directory read, a write, create,
 * wstat, remove, fd2path, unmount) while a second proc sharing its
 * namespace (not its fds: a killed proc closes none) reads and stats and is interrupted or killed (bit 0 of the
 * input's first byte) in its waits: its requests share the connection,
 * so replies come in either order and flushes race their replies.
 * Whatever the replies, nothing may crash, leak or read out of bounds,
 * and every call must return.  The server's common parts are
 * tests/lib/fake9p.c. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel.h"
#include "fake9p.h"
#include "fuzztree.h"

enum { MSIZE = 8192 + STYX_IOHDRSZ, NFID = 256 };

static const char content[] = "hello, fuzzed world\n";
static const char *names[] = { "", "f", "d" };

static char root[64], addr[128];
static const uint8_t *in;	/* this input, for the server */
static size_t nin;
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int served;		/* the server finished this input's connection */

static StyxQid
qid(int n)
{
	return f9qid(n, n != 1);
}

static size_t
packstat(int n, uint8_t *buf, size_t max)
{
	StyxDir d;

	return styx_packdir(f9dir(&d, qid(n), names[n], sizeof content - 1), buf, max);
}

/* The record for request nth, if the input has one. */
static const uint8_t *
record(int nth, int *flags, size_t *len)
{
	size_t i, l;

	for(i = 0; i + 4 <= nin; i += 4 + l){
		l = in[i + 2] | in[i + 3] << 8;
		if(l > nin - i - 4)
			l = nin - i - 4;
		if(in[i] == nth){
			*flags = in[i + 1];
			*len = l;
			return in + i + 4;
		}
	}
	return NULL;
}

/* The sane answer to t. */
static void
sane(int fd, Fcall *t, int *fids)
{
	uint8_t buf[MSIZE];
	Fcall r;
	size_t m;
	int n, i, j;

	memset(&r, 0, sizeof r);
	r.type = t->type + 1;
	r.tag = t->tag;
	switch(t->type){
	case Tversion:
		r.msize = t->msize < MSIZE ? t->msize : MSIZE;
		r.version = "9P2000";
		break;
	case Tattach:
		if(t->fid < NFID)
			fids[t->fid] = 0;
		r.qid = qid(0);
		break;
	case Twalk:
		n = t->fid < NFID ? fids[t->fid] : -1;
		for(i = 0; n >= 0 && i < t->nwname; i++){
			for(j = 1; j < 3; j++)
				if(n == 0 && strcmp(t->wname[i], names[j]) == 0)
					break;
			if(n != 0 || j == 3)
				break;
			n = j;
			r.wqid[i] = qid(n);
		}
		r.nwqid = i;
		if(n < 0 || (i == 0 && t->nwname > 0)){
			r.type = Rerror;
			r.ename = "file does not exist";
		}else if(i == t->nwname && t->newfid < NFID)
			fids[t->newfid] = n;
		break;
	case Topen:
	case Tcreate:
		r.qid = qid(t->fid < NFID && fids[t->fid] >= 0 ? fids[t->fid] : 1);
		break;
	case Tread:
		n = t->fid < NFID ? fids[t->fid] : 1;
		m = 0;
		if(n == 1 && t->offset < sizeof content - 1){
			m = sizeof content - 1 - t->offset;
			memcpy(buf, content + t->offset, m);
		}else if(n == 0 && t->offset == 0){
			m = packstat(1, buf, sizeof buf);
			m += packstat(2, buf + m, sizeof buf - m);
		}
		r.count = m <= t->count ? m : 0;
		r.data = buf;
		break;
	case Twrite:
		r.count = t->count;
		break;
	case Tstat:
		r.nstat = packstat(t->fid < NFID && fids[t->fid] >= 0 ? fids[t->fid] : 0, buf, sizeof buf);
		r.stat = buf;
		break;
	case Tclunk:
	case Tremove:
		if(t->fid < NFID)
			fids[t->fid] = -1;
		break;
	case Tflush:
	case Twstat:
		break;
	default:
		r.type = Rerror;
		r.ename = "not here";
	}
	f9reply(fd, &r);
}

/* Are b[len] one whole message (by its size)? */
static int
whole(const uint8_t *b, size_t len)
{
	return len >= 7 && (b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24) == len;
}

/* One connection, one input; then the next input may start. */
static void
serve(int fd, void *a)
{
	int fids[NFID], nth, flags;
	const uint8_t *rec;
	uint8_t *b, out[MSIZE];
	size_t len;
	Fcall t;

	(void)a;
	memset(fids, 0xff, sizeof fids);
	for(nth = 0; (b = f9next(fd, MSIZE, &t)) != NULL; nth++){
		rec = record(nth, &flags, &len);
		if(rec == NULL){
			sane(fd, &t, fids);	/* t's strings are in b */
			free(b);
			continue;
		}
		if((flags & 8) && whole(rec, len)){
			styx_writeall(fd, rec, len);
			sane(fd, &t, fids);
			free(b);
			continue;
		}
		free(b);
		if(len > sizeof out)
			len = sizeof out;
		memcpy(out, rec, len);
		if((flags & 2) && len >= 4){
			out[0] = len;
			out[1] = len >> 8;
			out[2] = len >> 16;
			out[3] = 0;
		}
		if((flags & 1) && len >= 7)
			f9put16(out + 5, t.tag);
		styx_writeall(fd, out, len);
		/* a reply that is not one whole message leaves the client
		 * waiting for the rest: the connection ends, as a server's
		 * that stopped would */
		if((flags & 4) || !whole(out, len))
			break;
	}
	shutdown(fd, SHUT_RDWR);
	close(fd);
	pthread_mutex_lock(&lk);
	served = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lk);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[STYX_ERRMAX];
	Kconf c;

	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	if(fuzztmp(root, sizeof root, "fuzz_mnt") < 0)
		abort();
	snprintf(addr, sizeof addr, "%s/m", root);
	mkdir(addr, 0755);
	snprintf(addr, sizeof addr, "unix!%s/sock", root);
	memset(&c, 0, sizeof c);
	c.root = root;
	c.user = "eve";
	c.sysname = "fuzz";
	if(kinit(&c) < 0)
		abort();
	if(f9listen(addr, serve, NULL, 0, err) < 0)
		abort();
	return 0;
}

/* The second proc: reads and stats on the mount beside the script. */
static void *
other(void *a)
{
	char rbuf[64];
	int fd;

	ksetproc(a);
	if((fd = kopen("/m/f", OREAD)) >= 0){
		kread(fd, rbuf, sizeof rbuf);
		kread(fd, rbuf, sizeof rbuf);
		kclose(fd);
	}
	free(kdirstat("/m/d"));
	free(kdirstat("/m/f"));
	ksetproc(NULL);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static char big[3 * MSIZE];
	uchar buf[512];
	char rbuf[128], *s;
	Dir *d, nd;
	int fd, mounted;
	pthread_t th;
	Proc *p2;

	pthread_mutex_lock(&lk);
	in = data;
	nin = n;
	served = 0;
	pthread_mutex_unlock(&lk);
	fd = kdial(addr, NULL, NULL, NULL);
	if(fd < 0)
		abort();
	mounted = kmount(fd, -1, "/m", MREPL, "") >= 0;
	kclose(fd);
	p2 = NULL;
	if(mounted && (p2 = kprocnew(NEWFD)) != NULL && pthread_create(&th, NULL, other, p2) != 0){
		kprocfree(p2);
		p2 = NULL;
	}
	if(mounted){
		if(p2 != NULL){
			/* in its first wait, or before it, or after it ended */
			sched_yield();
			if(n > 0 && (data[0] & 1))
				kpkill(kprocpid(p2));
			else
				kinterrupt(p2);
		}
		free(kdirstat("/m/f"));
		free(kdirstat("/m/d/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t"));
		free(kdirstat("/m/d/x/y"));
		kstat("/m", buf, sizeof buf);
		kstat("/m/f", buf, 20);
		if((fd = kopen("/m/f", ORDWR)) >= 0){
			kread(fd, rbuf, 8);
			kread(fd, rbuf, sizeof rbuf);
			kwrite(fd, "abc", 3);
			kpread(fd, big, sizeof big, 0);
			kpwrite(fd, big, sizeof big, 1);
			if((s = kfd2path(fd)) != NULL)
				free(s);
			kclose(fd);
		}
		if((fd = kcreate("/m/d/new", OWRITE, 0644)) >= 0)
			kclose(fd);
		nulldir(&nd);
		nd.name = "g";
		kdirwstat("/m/f", &nd);
		kremove("/m/d/new");
		if((fd = kopen("/m", OREAD)) >= 0){
			d = NULL;
			if(kdirread(fd, &d) > 0)
				free(d);
			kclose(fd);
		}
		if(p2 != NULL){
			pthread_join(th, NULL);
			kprocfree(p2);
		}
		kunmount(NULL, "/m");
	}
	/* the server is done with this input before the next one */
	pthread_mutex_lock(&lk);
	while(!served)
		pthread_cond_wait(&cv, &lk);
	pthread_mutex_unlock(&lk);
	return 0;
}
