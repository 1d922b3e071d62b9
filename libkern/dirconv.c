/*
 * dirconv.c — Plan 9's Dir packing calls (sizeD2M, convD2M, convM2D,
 * statcheck, dirpackage) for the kernel.  The stat(5) codec itself is
 * libstyx's (styx_packdir, styx_unpackdir, styx_statcheck): here only
 * Dir and StyxDir are converted, and Plan 9's conventions kept (a short
 * buffer gets just the size field; a Dir is at most STATMAX bytes).
 */
#include <stdlib.h>
#include <string.h>
#include "kernel.h"
#include "styx.h"

static uint
get2(uchar *p)
{
	return p[0] | p[1] << 8;
}

static void
tostyx(Dir *d, StyxDir *s)
{
	s->type = d->type;
	s->dev = d->dev;
	s->qid.path = d->qid.path;
	s->qid.vers = d->qid.vers;
	s->qid.type = d->qid.type;
	s->mode = d->mode;
	s->atime = d->atime;
	s->mtime = d->mtime;
	s->length = d->length;
	s->name = d->name;
	s->uid = d->uid;
	s->gid = d->gid;
	s->muid = d->muid;
}

static void
fromstyx(StyxDir *s, Dir *d)
{
	d->type = s->type;
	d->dev = s->dev;
	d->qid.path = s->qid.path;
	d->qid.vers = s->qid.vers;
	d->qid.type = s->qid.type;
	d->mode = s->mode;
	d->atime = s->atime;
	d->mtime = s->mtime;
	d->length = (vlong)s->length;
	d->name = s->name;
	d->uid = s->uid;
	d->gid = s->gid;
	d->muid = s->muid;
}

/* Packed size with the size field; 0 if d cannot be packed. */
uint
sizeD2M(Dir *d)
{
	StyxDir s;
	size_t n;

	tostyx(d, &s);
	n = styx_dirsize(&s);
	return n > STATMAX ? 0 : (uint)n;
}

/* Returns the bytes written; if n is too small but holds BIT16SZ, just
 * the size field and BIT16SZ; 0 if not even that fits or d is too big. */
uint
convD2M(Dir *d, uchar *buf, uint n)
{
	StyxDir s;
	uint ss;

	ss = sizeD2M(d);
	if(ss == 0 || n < BIT16SZ)
		return 0;
	if(n < ss){
		buf[0] = ss - BIT16SZ;
		buf[1] = (ss - BIT16SZ) >> 8;
		return BIT16SZ;
	}
	tostyx(d, &s);
	return styx_packdir(&s, buf, n);
}

/* 0 if buf is exactly one stat with consistent lengths and no NULs in its
 * strings. */
int
statcheck(uchar *buf, uint n)
{
	return styx_statcheck(buf, n) < 0 ? -1 : 0;
}

/* Unpack the first stat of buf into d.  With strs, the stat is copied
 * there (room for n bytes is enough) and unpacked in the copy; without,
 * in buf itself, which is overwritten to NUL-terminate the strings.
 * Returns the bytes used, 0 if bad. */
uint
convM2D(uchar *buf, uint n, Dir *d, char *strs)
{
	StyxDir s;
	uint size;

	if(n < BIT16SZ)
		return 0;
	size = get2(buf) + BIT16SZ;
	if(size > n || styx_statcheck(buf, size) < 0)
		return 0;
	if(strs != NULL){
		memmove(strs, buf, size);
		buf = (uchar*)strs;
	}
	if(styx_unpackdir(buf, size, &s) != (int)size)
		return 0;
	fromstyx(&s, d);
	return size;
}

void
nulldir(Dir *d)
{
	memset(d, 0xFF, sizeof *d);
	d->name = d->uid = d->gid = d->muid = "";
}

/* Unpack n bytes of concatenated stats into one allocation.  The first
 * pass only frames them (each length inside n); the second copies each
 * and unpacks it, styx_unpackdir checking it once (convM2D's statcheck
 * and a statcheck here made three checks of every stat of a listing). */
long
dirpackage(uchar *buf, long n, Dir **dp)
{
	long i, nd, ss;
	uint m;
	Dir *d;
	char *s;
	StyxDir sd;

	*dp = NULL;
	nd = 0;
	ss = 0;
	for(i = 0; i < n; i += m){
		if(n - i < BIT16SZ)
			return -1;
		m = get2(buf + i) + BIT16SZ;
		if(m > (uint)(n - i))
			return -1;
		nd++;
		ss += m;
	}
	d = malloc(nd * sizeof(Dir) + ss + 1);
	if(d == NULL)
		return -1;
	s = (char*)&d[nd];
	for(i = 0, nd = 0; i < n; nd++){
		m = get2(buf + i) + BIT16SZ;
		memcpy(s, buf + i, m);	/* each stat's copy holds its own strings */
		if(styx_unpackdir((uchar*)s, m, &sd) != (int)m){
			free(d);
			return -1;
		}
		fromstyx(&sd, &d[nd]);
		s += m;
		i += m;
	}
	*dp = d;
	return nd;
}
