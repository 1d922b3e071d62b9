/* mkseeds.c — write a seed corpus for fuzz_unpack: one well-formed
 * message of each 9P2000 type, a directory read and a 9P2000.L header. */
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

int
main(int argc, char **argv)
{
	static uint8_t buf[8192], st[1024];
	static char *names[] = {"usr", "glenda", "lib", ".."};
	StyxDir d;
	Fcall f;
	size_t n, ns;
	int t, i;

	if(argc != 2){
		fprintf(stderr, "usage: mkseeds dir\n");
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
