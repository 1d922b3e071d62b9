/* styx_codec.c — the 9P2000 codec: every message round-trips, known
 * encodings match intro(5) byte for byte, and malformed input of every
 * kind is refused. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "styx.h"
#include "tap.h"

static uint8_t stat1[128];
static size_t nstat1;
static uint8_t data1[] = "hello, world\0\xff";

static StyxQid
mkqid(int i)
{
	StyxQid q = {0x0102030405060708ull + i, 0xA0B0C0D0u + i, (uint8_t)(0x80 + i)};
	return q;
}

/* One sample of each message type, with every field distinctive. */
static int
sample(int type, Fcall *f)
{
	static char *names[16] = {"a", "bb", "", "usr", "glenda", "lib", "x", "y",
		"z", "0", "1", "2", "3", "4", "5", "last"};
	int i;

	memset(f, 0, sizeof *f);
	f->type = type;
	f->tag = 0x1234 + type;
	switch(type){
	case Tversion: case Rversion:
		f->tag = STYX_NOTAG; f->msize = 8216; f->version = "9P2000"; break;
	case Tauth:
		f->afid = 7; f->uname = "glenda"; f->aname = ""; break;
	case Rauth:
		f->aqid = mkqid(1); break;
	case Tattach:
		f->fid = 1; f->afid = STYX_NOFID; f->uname = "glenda"; f->aname = "main"; break;
	case Rattach:
		f->qid = mkqid(2); break;
	case Rerror:
		f->ename = "file does not exist"; break;
	case Tflush:
		f->oldtag = 0xBEEF; break;
	case Rflush: case Rclunk: case Rremove: case Rwstat:
		break;
	case Twalk:
		f->fid = 3; f->newfid = 4; f->nwname = 16;
		for(i = 0; i < 16; i++)
			f->wname[i] = names[i];
		break;
	case Rwalk:
		f->nwqid = 16;
		for(i = 0; i < 16; i++)
			f->wqid[i] = mkqid(i);
		break;
	case Topen:
		f->fid = 5; f->mode = STYX_ORDWR|STYX_OTRUNC; break;
	case Ropen: case Rcreate:
		f->qid = mkqid(3); f->iounit = 8192; break;
	case Tcreate:
		f->fid = 6; f->name = "newfile"; f->perm = STYX_DMDIR|0755; f->mode = STYX_OREAD; break;
	case Tread:
		f->fid = 8; f->offset = 0x1122334455667788ull; f->count = 4096; break;
	case Rread:
		f->count = sizeof data1; f->data = data1; break;
	case Twrite:
		f->fid = 9; f->offset = 1ull<<40; f->count = sizeof data1; f->data = data1; break;
	case Rwrite:
		f->count = 99; break;
	case Tclunk: case Tremove: case Tstat:
		f->fid = 10 + type; break;
	case Rstat:
		f->nstat = nstat1; f->stat = stat1; break;
	case Twstat:
		f->fid = 11; f->nstat = nstat1; f->stat = stat1; break;
	default:
		return 0;
	}
	return 1;
}

static int
streq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int
qideq(const StyxQid *a, const StyxQid *b)
{
	return a->path == b->path && a->vers == b->vers && a->type == b->type;
}

static int
fcalleq(const Fcall *a, const Fcall *b)
{
	int i;

	if(a->type != b->type || a->tag != b->tag || a->fid != b->fid || a->msize != b->msize
	|| !streq(a->version, b->version) || a->oldtag != b->oldtag || !streq(a->ename, b->ename)
	|| !qideq(&a->qid, &b->qid) || a->iounit != b->iounit || !qideq(&a->aqid, &b->aqid)
	|| a->afid != b->afid || !streq(a->uname, b->uname) || !streq(a->aname, b->aname)
	|| a->perm != b->perm || !streq(a->name, b->name) || a->mode != b->mode
	|| a->newfid != b->newfid || a->nwname != b->nwname || a->nwqid != b->nwqid
	|| a->offset != b->offset || a->count != b->count || a->nstat != b->nstat)
		return 0;
	for(i = 0; i < a->nwname; i++)
		if(!streq(a->wname[i], b->wname[i]))
			return 0;
	for(i = 0; i < a->nwqid; i++)
		if(!qideq(&a->wqid[i], &b->wqid[i]))
			return 0;
	if(a->count && (a->type == Rread || a->type == Twrite) && memcmp(a->data, b->data, a->count) != 0)
		return 0;
	if(a->nstat && memcmp(a->stat, b->stat, a->nstat) != 0)
		return 0;
	return 1;
}

static void
roundtrips(void)
{
	uint8_t buf[1024], copy[1024], again[1024];
	Fcall f, g;
	size_t n, m;
	int t, r;

	for(t = Tversion; t < Tmax; t++){
		if(!sample(t, &f))
			continue;
		n = styx_pack(&f, buf, sizeof buf);
		if(!ok(n > 0 && n == styx_packsize(&f), "%s packs to its packsize", styx_typename(t)))
			continue;
		memcpy(copy, buf, n);
		r = styx_unpack(copy, n, &g);
		ok(r == (int)n && fcalleq(&f, &g), "%s unpacks to what was packed (%d: %s)",
			styx_typename(t), r, r < 0 ? styx_strerror(r) : "");
		m = styx_pack(&g, again, sizeof again);
		ok(m == n && memcmp(buf, again, n) == 0, "%s repacks to the same bytes", styx_typename(t));
		ok(styx_pack(&f, buf, n-1) == 0, "%s: pack refuses a buffer one byte short", styx_typename(t));
	}
}

/* Encodings written out by hand from intro(5)/version(5)/walk(5). */
static void
knownbytes(void)
{
	static const uint8_t tversion[] = {19,0,0,0, 100, 0xff,0xff, 0x18,0x20,0,0, 6,0, '9','P','2','0','0','0'};
	static const uint8_t twalk[] = {25,0,0,0, 110, 1,0, 5,0,0,0, 6,0,0,0, 2,0, 3,0,'u','s','r', 1,0,'x'};
	static const uint8_t rerror[] = {12,0,0,0, 107, 2,0, 3,0,'b','a','d'};
	uint8_t buf[64];
	Fcall f;
	size_t n;

	memset(&f, 0, sizeof f);
	f.type = Tversion; f.tag = STYX_NOTAG; f.msize = 8216; f.version = "9P2000";
	n = styx_pack(&f, buf, sizeof buf);
	ok(n == sizeof tversion && memcmp(buf, tversion, n) == 0, "Tversion bytes as in version(5)");

	memset(&f, 0, sizeof f);
	f.type = Twalk; f.tag = 1; f.fid = 5; f.newfid = 6; f.nwname = 2;
	f.wname[0] = "usr"; f.wname[1] = "x";
	n = styx_pack(&f, buf, sizeof buf);
	ok(n == sizeof twalk && memcmp(buf, twalk, n) == 0, "Twalk bytes as in walk(5)");

	memcpy(buf, rerror, sizeof rerror);
	ok(styx_unpack(buf, sizeof rerror, &f) == sizeof rerror && f.type == Rerror && f.tag == 2
		&& strcmp(f.ename, "bad") == 0, "hand-made Rerror unpacks");
}

/* Expect unpack of a copy of msg to fail with code want (0: any error). */
static void
refuse(const uint8_t *msg, size_t n, int want, const char *what)
{
	uint8_t *copy;
	Fcall f;
	int r;

	copy = malloc(n ? n : 1);
	memcpy(copy, msg, n);
	r = styx_unpack(copy, n, &f);
	if(want)
		ok(r == -want, "refused: %s (%d %s)", what, r, r < 0 ? styx_strerror(r) : "accepted");
	else
		ok(r < 0, "refused: %s (%d %s)", what, r, r < 0 ? styx_strerror(r) : "accepted");
	free(copy);
}

static void
setsize(uint8_t *b, uint32_t n)
{
	b[0] = n; b[1] = n>>8; b[2] = n>>16; b[3] = n>>24;
}

static void
malformed(void)
{
	uint8_t buf[1100], m[1100];
	char what[64];
	Fcall f;
	size_t n, k;
	int t, bad;

	/* every strict prefix, size field fixed up or not, fails */
	for(t = Tversion; t < Tmax; t++){
		if(!sample(t, &f))
			continue;
		n = styx_pack(&f, buf, sizeof buf);
		bad = 0;
		for(k = 0; k < n; k++){
			memcpy(m, buf, n);
			if(k >= 4)
				setsize(m, k);
			if(styx_unpack(m, k, &f) >= 0)
				bad++;
			memcpy(m, buf, n);
			if(styx_unpack(m, k, &f) >= 0)
				bad++;
		}
		ok(bad == 0, "%s: all %zu truncations refused", styx_typename(t), n);
		memcpy(m, buf, n);
		m[n] = 0;
		setsize(m, n+1);
		snprintf(what, sizeof what, "%s with a trailing byte", styx_typename(t));
		refuse(m, n+1, 0, what);
		memcpy(m, buf, n);
		refuse(m, n+1, STYX_ESIZE, "size field one less than the buffer");
	}

	sample(Tversion, &f);
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[11] = 0xff; m[12] = 0xff;
	refuse(m, n, STYX_ESTRING, "string length 65535 past the end");
	memcpy(m, buf, n);
	m[12] = 1;
	refuse(m, n, STYX_ESTRING, "string length past the end by 256");
	memcpy(m, buf, n);
	m[14] = 0;
	refuse(m, n, STYX_ESTRING, "NUL inside a string");
	memcpy(m, buf, n);
	setsize(m, 0xFFFFFFFFu);
	refuse(m, n, STYX_ESIZE, "size field 0xFFFFFFFF");
	refuse(buf, 3, STYX_ESHORT, "3-byte message");

	sample(Twalk, &f);
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[15] = 17;
	refuse(m, n, STYX_EWALK, "Twalk nwname 17");
	memcpy(m, buf, n);
	m[15] = 0xff; m[16] = 0xff;
	refuse(m, n, STYX_EWALK, "Twalk nwname 65535");
	sample(Rwalk, &f);
	f.nwqid = 16;
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[7] = 17;
	refuse(m, n, STYX_EWALK, "Rwalk nwqid 17");
	memcpy(m, buf, n);
	m[7] = 15;
	refuse(m, n, STYX_ETRAIL, "Rwalk nwqid 15 with 16 qids");

	sample(Rread, &f);
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[7]++;
	refuse(m, n, STYX_ECOUNT, "Rread count one more than the data");
	memcpy(m, buf, n);
	m[7]--;
	refuse(m, n, STYX_ECOUNT, "Rread count one less than the data");
	memcpy(m, buf, n);
	m[7] = 0xff; m[8] = 0xff; m[9] = 0xff; m[10] = 0xff;
	refuse(m, n, STYX_ECOUNT, "Rread count 0xFFFFFFFF");
	sample(Twrite, &f);
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[22] = 0x80;
	refuse(m, n, STYX_ECOUNT, "Twrite count 2^31+");

	sample(Rstat, &f);
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[9]++;		/* inner size */
	refuse(m, n, STYX_ESTAT, "Rstat whose stat size disagrees with n");
	memcpy(m, buf, n);
	m[7]--;		/* n */
	refuse(m, n, 0, "Rstat whose n is one short");
	memcpy(m, buf, n);
	m[9 + 2+2+4+13+4+4+4+8] = 0xff;	/* name length inside the stat */
	refuse(m, n, STYX_ESTAT, "Rstat whose name overflows the stat");
	sample(Twstat, &f);
	n = styx_pack(&f, buf, sizeof buf);
	memcpy(m, buf, n);
	m[13]--;	/* inner size */
	refuse(m, n, STYX_ESTAT, "Twstat whose stat size disagrees with n");

	/* types */
	{
		static const struct { int type; int err; const char *what; } types[] = {
			{0, STYX_ETYPE, "type 0"}, {99, STYX_ETYPE, "type 99"},
			{Terror, STYX_ETYPE, "Terror (106)"}, {Tmax, STYX_ETYPE, "type 128"},
			{255, STYX_ETYPE, "type 255"}, {12, STYX_EDOTL, "Tlopen (9P2000.L)"},
			{7, STYX_EDOTL, "Rlerror (9P2000.L)"}, {41, STYX_EDOTL, "Rreaddir (9P2000.L)"},
			{77, STYX_EDOTL, "Runlinkat (9P2000.L)"},
		};
		size_t i;
		for(i = 0; i < sizeof types/sizeof types[0]; i++){
			memset(m, 0, 11);
			setsize(m, 11);
			m[4] = types[i].type;
			refuse(m, 11, types[i].err, types[i].what);
		}
	}
	ok(strstr(styx_strerror(-STYX_EDOTL), "9P2000.L") != NULL, "9P2000.L error string names the dialect");
}

static void
dirs(void)
{
	StyxDir d, e;
	uint8_t buf[512], two[512];
	size_t n, m;
	int r;

	memset(&d, 0, sizeof d);
	d.type = 'M'; d.dev = 3; d.qid = mkqid(5); d.mode = STYX_DMDIR|0775;
	d.atime = 1000; d.mtime = 2000; d.length = 1ull<<33;
	d.name = "lib"; d.uid = "glenda"; d.gid = "sys"; d.muid = "";
	n = styx_packdir(&d, buf, sizeof buf);
	ok(n == styx_dirsize(&d) && n == STYX_STATFIXED + 3 + 6 + 3, "packdir size %zu", n);
	ok(styx_statcheck(buf, n) == 0, "statcheck accepts a packed dir");
	ok(styx_statcheck(buf, n-1) < 0 && styx_statcheck(buf, n+1) < 0, "statcheck wants the exact length");
	memcpy(two, buf, n);
	d.name = "second";
	m = styx_packdir(&d, two+n, sizeof two - n);
	r = styx_unpackdir(two, n+m, &e);
	ok(r == (int)n && strcmp(e.name, "lib") == 0 && strcmp(e.uid, "glenda") == 0
		&& strcmp(e.gid, "sys") == 0 && strcmp(e.muid, "") == 0 && e.length == 1ull<<33
		&& e.mode == (STYX_DMDIR|0775) && qideq(&e.qid, &d.qid) && e.type == 'M' && e.dev == 3
		&& e.atime == 1000 && e.mtime == 2000, "first of two entries unpacks");
	r = styx_unpackdir(two+n, m, &e);
	ok(r == (int)m && strcmp(e.name, "second") == 0, "second entry unpacks");
	ok(styx_unpackdir(two, n-1, &e) < 0, "entry cut short refused");
	memcpy(two, buf, n);
	two[n-1] = 0;
	two[STYX_STATFIXED-8+2] = 0;	/* NUL inside name */
	ok(styx_statcheck(two, n) < 0, "NUL in a stat string refused");
	styx_nulldir(&e);
	ok(e.mode == 0xFFFFFFFFu && e.length == ~0ull && strcmp(e.name, "") == 0, "nulldir is don't-touch");
	n = styx_packdir(&e, buf, sizeof buf);
	ok(n == STYX_STATFIXED && styx_statcheck(buf, n) == 0, "null dir packs to the fixed size");
}

static void
fmts(void)
{
	char b[256];
	Fcall f;
	int n;

	sample(Twalk, &f);
	f.nwname = 2;
	styx_fmtfcall(b, sizeof b, &f);
	isstr(b, "Twalk tag 4770 fid 3 newfid 4 nwname 2 0:a 1:bb", "Twalk prints");
	sample(Rread, &f);
	styx_fmtfcall(b, sizeof b, &f);
	isstr(b, "Rread tag 4777 count 15 'hello, world\\x00\\xff\\x00'", "Rread prints data escaped");
	sample(Rstat, &f);
	n = styx_fmtfcall(b, sizeof b, &f);
	ok(n > 0 && strstr(b, "'lib' 'glenda'") != NULL, "Rstat prints its dir: %s", b);
	sample(Twalk, &f);
	n = styx_fmtfcall(b, 10, &f);
	ok(n > 10 && strlen(b) == 9, "fmtfcall truncates safely and tells the length wanted");
}

static void
msgio(void)
{
	int p[2];
	uint8_t buf[256], big[300];
	Fcall f;
	size_t n;

	if(pipe(p) < 0)
		return;
	sample(Tversion, &f);
	n = styx_pack(&f, buf, sizeof buf);
	styx_writeall(p[1], buf, n);
	styx_writeall(p[1], buf, n);
	memset(big, 0, sizeof big);
	setsize(big, 200);
	styx_writeall(p[1], big, 4);
	ok(styx_readmsg(p[0], buf, sizeof buf) == (long)n, "readmsg reads one message");
	ok(styx_readmsg(p[0], buf, sizeof buf) == (long)n, "and the next");
	errno = 0;
	ok(styx_readmsg(p[0], buf, 100) == -1 && errno == EMSGSIZE, "message over msize refused");
	setsize(big, 5);
	styx_writeall(p[1], big, 4);
	errno = 0;
	ok(styx_readmsg(p[0], buf, sizeof buf) == -1 && errno == EPROTO, "size below 7 refused");
	setsize(big, 20);
	styx_writeall(p[1], big, 10);
	close(p[1]);
	errno = 0;
	ok(styx_readmsg(p[0], buf, sizeof buf) == -1 && errno == EPROTO, "message cut by EOF refused");
	ok(styx_readmsg(p[0], buf, sizeof buf) == 0, "EOF at a boundary reads 0");
	close(p[0]);
}

int
main(void)
{
	StyxDir d;

	memset(&d, 0, sizeof d);
	d.qid = mkqid(9); d.mode = 0644; d.length = 42;
	d.name = "lib"; d.uid = "glenda"; d.gid = "glenda"; d.muid = "none";
	nstat1 = styx_packdir(&d, stat1, sizeof stat1);
	roundtrips();
	knownbytes();
	malformed();
	dirs();
	fmts();
	msgio();
	return done_testing();
}
