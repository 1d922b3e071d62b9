/* mkseeds.c — write a seed corpus for fuzz_unpack: one well-formed
 * message of each 9P2000 type, a directory read and a 9P2000.L header;
 * with -x, sessions for fuzz_export: records ctl[1] len[2] body, body
 * a T-message without its size[4] (see fuzz_export.c). */
#include <stdio.h>
#include <string.h>
#include "styx.h"

static int nseed;

static void
emit(const char *dir, const uint8_t *b, size_t n)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof path, "%s/seed%03d", dir, nseed++);
	fp = fopen(path, "wb");
	if(fp == NULL)
		return;
	fwrite(b, 1, n, fp);
	fclose(fp);
}

/* --- fuzz_export sessions ------------------------------------------- */

static uint8_t sess[16384];
static size_t nsess;

/* Append f as a record; pipelined when pipe is set. */
static void
rec(Fcall *f, int pipe)
{
	uint8_t b[8192];
	size_t n;

	n = styx_pack(f, b, sizeof b);
	if(n < 4 || nsess + 3 + n - 4 > sizeof sess)
		return;
	sess[nsess++] = pipe;
	sess[nsess++] = n - 4;
	sess[nsess++] = (n - 4) >> 8;
	memcpy(sess + nsess, b + 4, n - 4);
	nsess += n - 4;
}

static Fcall *
t(Fcall *f, int type, int tag, uint32_t fid)
{
	memset(f, 0, sizeof *f);
	f->type = type;
	f->tag = tag;
	f->fid = fid;
	f->afid = STYX_NOFID;
	f->uname = "eve";
	f->aname = "";
	return f;
}

static void
attach(void)
{
	Fcall f;

	nsess = 0;
	rec(t(&f, Tattach, 1, 0), 0);
}

static void
walk(uint32_t fid, uint32_t newfid, int n, char *a, char *b)
{
	Fcall f;

	t(&f, Twalk, 2, fid);
	f.newfid = newfid;
	f.nwname = n;
	f.wname[0] = a;
	f.wname[1] = b;
	rec(&f, 0);
}

static void
op(int type, uint32_t fid, int mode, uint64_t off, uint32_t count, char *data, int pipe)
{
	Fcall f;

	t(&f, type, 3 + pipe, fid);
	f.mode = mode;
	f.offset = off;
	f.count = count;
	if(type == Twrite){
		f.count = strlen(data);
		f.data = (uint8_t*)data;
	}
	rec(&f, pipe);
}

static void
wstat(uint32_t fid, char *name, uint32_t mode, uint64_t length)
{
	uint8_t st[256];
	StyxDir d;
	Fcall f;

	styx_nulldir(&d);
	d.name = name;
	d.mode = mode;
	d.length = length;
	t(&f, Twstat, 5, fid);
	f.nstat = styx_packdir(&d, st, sizeof st);
	f.stat = st;
	rec(&f, 0);
}

static void
sessions(const char *dir)
{
	Fcall f;

	attach();	/* a file: open, read, write, stat, clunk */
	walk(0, 1, 1, "f1", NULL);
	op(Topen, 1, STYX_ORDWR, 0, 0, NULL, 0);
	op(Tread, 1, 0, 0, 100, NULL, 0);
	op(Twrite, 1, 0, 5, 0, "xyz", 0);
	op(Tstat, 1, 0, 0, 0, NULL, 0);
	op(Tclunk, 1, 0, 0, 0, NULL, 0);
	emit(dir, sess, nsess);

	attach();	/* directories, here and through the mount on /n */
	walk(0, 1, 1, "d1", NULL);
	op(Topen, 1, STYX_OREAD, 0, 0, NULL, 0);
	op(Tread, 1, 0, 0, 4096, NULL, 0);
	op(Tread, 1, 0, 0, 4096, NULL, 0);
	walk(0, 2, 2, "n", "f2");
	op(Topen, 2, STYX_OREAD, 0, 0, NULL, 0);
	op(Tread, 2, 0, 0, 8192, NULL, 0);
	walk(2, 3, 1, "..", NULL);
	op(Tstat, 3, 0, 0, 0, NULL, 0);
	emit(dir, sess, nsess);

	attach();	/* create, rename, truncate, remove */
	walk(0, 1, 0, NULL, NULL);
	t(&f, Tcreate, 6, 1);
	f.name = "new";
	f.perm = 0644;
	f.mode = STYX_ORDWR | STYX_ORCLOSE;
	rec(&f, 0);
	op(Twrite, 1, 0, 0, 0, "data", 0);
	wstat(1, "new2", ~0u, 2);
	op(Tremove, 1, 0, 0, 0, NULL, 0);
	emit(dir, sess, nsess);

	attach();	/* pipelined: a blocked open of the fifo, flushed */
	walk(0, 1, 1, "fifo", NULL);
	op(Topen, 1, STYX_OREAD, 0, 0, NULL, 1);
	t(&f, Tflush, 7, 0);
	f.oldtag = 4;
	rec(&f, 0);
	emit(dir, sess, nsess);

	attach();	/* the pipe on /p: a read parked, let go by a write
			 * to the other end, parked again and flushed, a
			 * third parked at the hangup */
	walk(0, 1, 2, "p", "data");
	op(Topen, 1, STYX_ORDWR, 0, 0, NULL, 0);
	op(Tread, 1, 0, 0, 100, NULL, 1);
	walk(0, 2, 2, "p", "data1");
	op(Topen, 2, STYX_ORDWR, 0, 0, NULL, 0);
	op(Twrite, 2, 0, 0, 0, "ping", 0);
	op(Tread, 1, 0, 0, 100, NULL, 1);
	t(&f, Tflush, 7, 0);
	f.oldtag = 4;
	rec(&f, 0);
	op(Tread, 1, 0, 0, 100, NULL, 1);
	emit(dir, sess, nsess);

	attach();	/* devices, and fid reuse */
	walk(0, 1, 2, "dev", "null");
	op(Topen, 1, STYX_ORDWR, 0, 0, NULL, 0);
	op(Twrite, 1, 0, ~0ull, 0, "zz", 0);
	walk(0, 1, 2, "dev", "sysname");
	op(Tclunk, 1, 0, 0, 0, NULL, 0);
	walk(0, 1, 2, "env", "x");
	op(Tread, 1, 0, 1ull << 63, 0xffffffff, NULL, 0);
	op(Tauth, 9, 0, 0, 0, NULL, 0);
	emit(dir, sess, nsess);
}

int
main(int argc, char **argv)
{
	static uint8_t buf[8192], st[1024];
	static char *names[] = {"usr", "glenda", "lib", ".."};
	StyxDir d;
	Fcall f;
	size_t n, ns;
	int t, i;

	if(argc == 3 && strcmp(argv[1], "-x") == 0){
		sessions(argv[2]);
		printf("%d sessions\n", nseed);
		return 0;
	}
	if(argc != 2){
		fprintf(stderr, "usage: mkseeds [-x] dir\n");
		return 1;
	}
	memset(&d, 0, sizeof d);
	d.qid.path = 42; d.qid.type = STYX_QTDIR; d.mode = STYX_DMDIR|0755;
	d.name = "lib"; d.uid = "glenda"; d.gid = "sys"; d.muid = "glenda";
	ns = styx_packdir(&d, st, sizeof st);
	d.name = "x";
	ns += styx_packdir(&d, st+ns, sizeof st - ns);
	for(t = Tversion; t < Tmax; t++){
		if(!styx_typeok(t))
			continue;
		memset(&f, 0, sizeof f);
		f.type = t; f.tag = 1; f.fid = 2; f.afid = STYX_NOFID; f.newfid = 3;
		f.msize = 8216; f.version = "9P2000"; f.uname = "glenda"; f.aname = "";
		f.ename = "permission denied"; f.name = "file"; f.perm = 0644;
		f.qid.path = 7; f.qid.type = STYX_QTDIR; f.iounit = 8192;
		f.offset = 100; f.count = 5; f.data = (uint8_t*)"hello";
		f.nwname = 4; f.nwqid = 3;
		for(i = 0; i < 4; i++)
			f.wname[i] = names[i];
		f.nstat = styx_dirsize(&d);
		f.stat = st + ns - f.nstat;
		if(t == Rread){
			f.count = ns;
			f.data = st;
		}
		n = styx_pack(&f, buf, sizeof buf);
		if(n > 0)
			emit(argv[1], buf, n);
	}
	memset(buf, 0, 11);
	buf[0] = 11; buf[4] = 12;	/* Tlopen */
	emit(argv[1], buf, 11);
	emit(argv[1], st, ns);
	printf("%d seeds\n", nseed);
	return 0;
}
