/*
 * dirconv.c — Dir to and from 9P2000's packed stat form:
 *	size[2] type[2] dev[4] qid.type[1] qid.vers[4] qid.path[8]
 *	mode[4] atime[4] mtime[4] length[8] name[s] uid[s] gid[s] muid[s]
 * with little-endian integers and s = len[2] bytes.  Self-contained so it
 * can move to libstyx.  Every length in a buffer is checked.
 */
#include <stdlib.h>
#include <string.h>
#include "kernel.h"

static void
put2(uchar *p, uint v)
{
	p[0] = v; p[1] = v >> 8;
}

static void
put4(uchar *p, uint32_t v)
{
	put2(p, v & 0xFFFF); put2(p+2, v >> 16);
}

static void
put8(uchar *p, uvlong v)
{
	put4(p, (uint32_t)v); put4(p+4, (uint32_t)(v >> 32));
}

static uint
get2(uchar *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t
get4(uchar *p)
{
	return get2(p) | (uint32_t)get2(p+2) << 16;
}

static uvlong
get8(uchar *p)
{
	return get4(p) | (uvlong)get4(p+4) << 32;
}

static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

uint
sizeD2M(Dir *d)
{
	size_t n = STATFIXLEN + slen(d->name) + slen(d->uid) + slen(d->gid) + slen(d->muid);
	return n > STATMAX ? 0 : (uint)n;
}

static uchar *
putstr(uchar *p, const char *s)
{
	size_t n = slen(s);
	put2(p, n);
	if(n > 0)
		memcpy(p+2, s, n);
	return p + 2 + n;
}

/* Returns the bytes written; if n is too small but holds BIT16SZ, just
 * the size field and BIT16SZ; 0 if not even that fits or d is too big. */
uint
convD2M(Dir *d, uchar *buf, uint n)
{
	uint ss = sizeD2M(d);
	uchar *p = buf;
	if(ss == 0 || n < BIT16SZ)
		return 0;
	put2(p, ss - BIT16SZ);
	if(n < ss)
		return BIT16SZ;
	p += 2;
	put2(p, d->type); p += 2;
	put4(p, d->dev); p += 4;
	p[0] = d->qid.type; p += 1;
	put4(p, d->qid.vers); p += 4;
	put8(p, d->qid.path); p += 8;
	put4(p, d->mode); p += 4;
	put4(p, d->atime); p += 4;
	put4(p, d->mtime); p += 4;
	put8(p, d->length); p += 8;
	p = putstr(p, d->name);
	p = putstr(p, d->uid);
	p = putstr(p, d->gid);
	p = putstr(p, d->muid);
	return p - buf;
}

/* buf must hold exactly one stat with consistent lengths, no NULs in names. */
int
statcheck(uchar *buf, uint n)
{
	uchar *p, *e = buf + n;
	int i;
	if(n < STATFIXLEN || get2(buf) != n - BIT16SZ)
		return -1;
	p = buf + STATFIXLEN - 4*BIT16SZ;
	for(i = 0; i < 4; i++){
		uint l;
		if(p + BIT16SZ > e)
			return -1;
		l = get2(p);
		p += BIT16SZ;
		if(l > (uint)(e - p) || memchr(p, 0, l) != NULL)
			return -1;
		p += l;
	}
	return p == e ? 0 : -1;
}

/* Unpack one stat into d.  With strs, the strings are copied there (room
 * for n bytes is enough); without, they point into buf, which is
 * overwritten to NUL-terminate them.  Returns the bytes used, 0 if bad. */
uint
convM2D(uchar *buf, uint n, Dir *d, char *strs)
{
	uchar *p = buf;
	char **sv[4];
	uint size;
	int i;
	if(n < STATFIXLEN)
		return 0;
	size = get2(buf) + BIT16SZ;
	if(size > n || statcheck(buf, size) < 0)
		return 0;
	p += 2;
	d->type = get2(p); p += 2;
	d->dev = get4(p); p += 4;
	d->qid.type = p[0]; p += 1;
	d->qid.vers = get4(p); p += 4;
	d->qid.path = get8(p); p += 8;
	d->mode = get4(p); p += 4;
	d->atime = get4(p); p += 4;
	d->mtime = get4(p); p += 4;
	d->length = (vlong)get8(p); p += 8;
	sv[0] = &d->name; sv[1] = &d->uid; sv[2] = &d->gid; sv[3] = &d->muid;
	for(i = 0; i < 4; i++){
		uint l = get2(p);
		p += BIT16SZ;
		if(strs != NULL){
			memmove(strs, p, l);
			strs[l] = 0;
			*sv[i] = strs;
			strs += l + 1;
		}else{
			/* shift over the length so the NUL fits */
			memmove(p - 1, p, l);
			p[l-1] = 0;
			*sv[i] = (char*)p - 1;
			if(l == 0)
				*sv[i] = (char*)p - 1;
		}
		p += l;
	}
	return size;
}

void
nulldir(Dir *d)
{
	memset(d, 0xFF, sizeof *d);
	d->name = d->uid = d->gid = d->muid = "";
}

/* Unpack n bytes of concatenated stats into one allocation. */
long
dirpackage(uchar *buf, long n, Dir **dp)
{
	long i, nd = 0, ss = 0;
	Dir *d;
	char *s;
	*dp = NULL;
	for(i = 0; i < n; ){
		uint m;
		if(n - i < BIT16SZ)
			return -1;
		m = get2(buf + i) + BIT16SZ;
		if(m > (uint)(n - i) || statcheck(buf + i, m) < 0)
			return -1;
		nd++;
		ss += m;
		i += m;
	}
	d = malloc(nd * sizeof(Dir) + ss + 1);
	if(d == NULL)
		return -1;
	s = (char*)&d[nd];
	for(i = 0, nd = 0; i < n; nd++){
		uint m = convM2D(buf + i, n - i, &d[nd], s);
		s += m;	/* strings of one stat never exceed its size */
		i += m;
	}
	*dp = d;
	return nd;
}
