/* dir.c — pack, check and unpack stat entries (stat(5)). */
#include "styximpl.h"

size_t
styx_dirsize(const StyxDir *d)
{
	size_t a, b, c, e;

	a = sxstrsize(d->name);
	b = sxstrsize(d->uid);
	c = sxstrsize(d->gid);
	e = sxstrsize(d->muid);
	if(a == 0 || b == 0 || c == 0 || e == 0)
		return 0;
	/* STATFIXED counts the four string lengths already */
	a = STYX_STATFIXED + a + b + c + e - 4*2;
	if(a - 2 > 0xFFFF)
		return 0;
	return a;
}

size_t
styx_packdir(const StyxDir *d, uint8_t *buf, size_t n)
{
	size_t m;
	uint8_t *p;

	m = styx_dirsize(d);
	if(m == 0 || m > n)
		return 0;
	p = buf;
	put16(p, m - 2);
	put16(p+2, d->type);
	put32(p+4, d->dev);
	p = sxputqid(p+8, &d->qid);
	put32(p, d->mode);
	put32(p+4, d->atime);
	put32(p+8, d->mtime);
	put64(p+12, d->length);
	p += 20;
	p = sxputstr(p, d->name);
	p = sxputstr(p, d->uid);
	p = sxputstr(p, d->gid);
	p = sxputstr(p, d->muid);
	return p - buf;
}

/* Skips one string without moving it; 0 or an error code. */
static int
skipstr(const uint8_t **pp, const uint8_t *e)
{
	const uint8_t *p;
	uint16_t n;

	p = *pp;
	if(e - p < 2)
		return STYX_ESTAT;
	n = get16(p);
	if(e - p - 2 < n || memchr(p+2, 0, n) != NULL)
		return STYX_ESTAT;
	*pp = p + 2 + n;
	return 0;
}

int
styx_statcheck(const uint8_t *buf, size_t n)
{
	const uint8_t *p, *e;
	int i;

	if(buf == NULL || n < STYX_STATFIXED || n > 0xFFFF+2)
		return -STYX_ESTAT;
	if(get16(buf) != n - 2)
		return -STYX_ESTAT;
	p = buf + STYX_STATFIXED - 4*2;
	e = buf + n;
	for(i = 0; i < 4; i++)
		if(skipstr(&p, e) != 0)
			return -STYX_ESTAT;
	if(p != e)
		return -STYX_ESTAT;
	return 0;
}

int
styx_unpackdir(uint8_t *buf, size_t n, StyxDir *d)
{
	Cursor c;
	size_t m;

	memset(d, 0, sizeof *d);
	if(buf == NULL || n < 2)
		return -STYX_ESTAT;
	m = (size_t)get16(buf) + 2;
	if(m > n || styx_statcheck(buf, m) < 0)
		return -STYX_ESTAT;
	c.p = buf + 2;
	c.e = buf + m;
	c.err = 0;
	d->type = sxget16(&c);
	d->dev = sxget32(&c);
	sxgetqid(&c, &d->qid);
	d->mode = sxget32(&c);
	d->atime = sxget32(&c);
	d->mtime = sxget32(&c);
	d->length = sxget64(&c);
	d->name = sxgetstr(&c);
	d->uid = sxgetstr(&c);
	d->gid = sxgetstr(&c);
	d->muid = sxgetstr(&c);
	if(c.err || c.p != c.e){	/* statcheck said no; defensive */
		memset(d, 0, sizeof *d);
		return -STYX_ESTAT;
	}
	return m;
}

void
styx_nulldir(StyxDir *d)
{
	memset(d, 0xFF, sizeof *d);
	d->name = d->uid = d->gid = d->muid = "";
}
