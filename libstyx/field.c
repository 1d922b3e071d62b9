/* field.c — bounded field readers and writers used by the codec. */
#include "styximpl.h"

static int
room(Cursor *c, size_t n)
{
	if(c->err)
		return 0;
	if((size_t)(c->e - c->p) < n){
		c->err = STYX_ESHORT;
		return 0;
	}
	return 1;
}

uint8_t
sxget8(Cursor *c)
{
	if(!room(c, 1))
		return 0;
	return *c->p++;
}

uint16_t
sxget16(Cursor *c)
{
	uint16_t v;

	if(!room(c, 2))
		return 0;
	v = get16(c->p);
	c->p += 2;
	return v;
}

uint32_t
sxget32(Cursor *c)
{
	uint32_t v;

	if(!room(c, 4))
		return 0;
	v = get32(c->p);
	c->p += 4;
	return v;
}

uint64_t
sxget64(Cursor *c)
{
	uint64_t v;

	if(!room(c, 8))
		return 0;
	v = get64(c->p);
	c->p += 8;
	return v;
}

uint8_t *
sxgetbytes(Cursor *c, size_t n)
{
	uint8_t *p;

	if(!room(c, n))
		return NULL;
	p = c->p;
	c->p += n;
	return p;
}

/*
 * A string is len[2] then len bytes.  It is moved down over its own
 * length field and NUL-terminated in the last byte it used to occupy,
 * so nothing after it is disturbed and no allocation is needed.
 */
char *
sxgetstr(Cursor *c)
{
	uint8_t *s;
	uint16_t n;

	if(!room(c, 2))
		return NULL;
	n = get16(c->p);
	if((size_t)(c->e - c->p) - 2 < n){
		c->err = STYX_ESTRING;
		return NULL;
	}
	s = c->p;
	if(memchr(s+2, 0, n) != NULL){
		c->err = STYX_ESTRING;
		return NULL;
	}
	memmove(s, s+2, n);
	s[n] = 0;
	c->p += 2 + n;
	return (char*)s;
}

void
sxgetqid(Cursor *c, StyxQid *q)
{
	q->type = sxget8(c);
	q->vers = sxget32(c);
	q->path = sxget64(c);
}

size_t
sxstrsize(const char *s)
{
	size_t n;

	n = s != NULL ? strlen(s) : 0;
	if(n > 0xFFFF)
		return 0;
	return 2 + n;
}

uint8_t *
sxputstr(uint8_t *p, const char *s)
{
	size_t n;

	n = s != NULL ? strlen(s) : 0;
	put16(p, n);
	if(n > 0)
		memcpy(p+2, s, n);
	return p + 2 + n;
}

uint8_t *
sxputqid(uint8_t *p, const StyxQid *q)
{
	put8(p, q->type);
	put32(p+1, q->vers);
	put64(p+5, q->path);
	return p + QIDSZ;
}
