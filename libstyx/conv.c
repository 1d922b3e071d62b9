/* conv.c — pack and unpack 9P2000 messages (intro(5)), strictly. */
#include "styximpl.h"

enum { HDRSZ = 4+1+2 };

/* Adds string sizes, remembering a string too long to pack. */
static size_t
addstr(size_t *bad, const char *s)
{
	size_t n;

	n = sxstrsize(s);
	if(n == 0)
		*bad = 1;
	return n;
}

size_t
styx_packsize(const Fcall *f)
{
	size_t n, bad;
	int i;

	n = HDRSZ;
	bad = 0;
	switch(f->type){
	default:
		return 0;
	case Tversion:
	case Rversion:
		n += 4 + addstr(&bad, f->version);
		break;
	case Tauth:
		n += 4 + addstr(&bad, f->uname) + addstr(&bad, f->aname);
		break;
	case Rauth:
		n += QIDSZ;
		break;
	case Tattach:
		n += 4 + 4 + addstr(&bad, f->uname) + addstr(&bad, f->aname);
		break;
	case Rattach:
		n += QIDSZ;
		break;
	case Rerror:
		n += addstr(&bad, f->ename);
		break;
	case Tflush:
		n += 2;
		break;
	case Rflush:
		break;
	case Twalk:
		if(f->nwname > STYX_MAXWELEM)
			return 0;
		n += 4 + 4 + 2;
		for(i = 0; i < f->nwname; i++)
			n += addstr(&bad, f->wname[i]);
		break;
	case Rwalk:
		if(f->nwqid > STYX_MAXWELEM)
			return 0;
		n += 2 + (size_t)f->nwqid*QIDSZ;
		break;
	case Topen:
		n += 4 + 1;
		break;
	case Ropen:
	case Rcreate:
		n += QIDSZ + 4;
		break;
	case Tcreate:
		n += 4 + addstr(&bad, f->name) + 4 + 1;
		break;
	case Tread:
		n += 4 + 8 + 4;
		break;
	case Rread:
		n += 4 + (size_t)f->count;
		break;
	case Twrite:
		n += 4 + 8 + 4 + (size_t)f->count;
		break;
	case Rwrite:
		n += 4;
		break;
	case Tclunk:
	case Tremove:
	case Tstat:
		n += 4;
		break;
	case Rclunk:
	case Rremove:
	case Rwstat:
		break;
	case Rstat:
		n += 2 + f->nstat;
		break;
	case Twstat:
		n += 4 + 2 + f->nstat;
		break;
	}
	if(bad || n > 0xFFFFFFFFu)
		return 0;
	return n;
}

size_t
styx_pack(const Fcall *f, uint8_t *buf, size_t nbuf)
{
	size_t n;
	uint8_t *p;
	int i;

	n = styx_packsize(f);
	if(n == 0 || n > nbuf)
		return 0;
	if((f->type == Rread || f->type == Twrite) && f->count > 0 && f->data == NULL)
		return 0;
	if((f->type == Rstat || f->type == Twstat) && f->nstat > 0 && f->stat == NULL)
		return 0;
	put32(buf, n);
	put8(buf+4, f->type);
	put16(buf+5, f->tag);
	p = buf + HDRSZ;
	switch(f->type){
	case Tversion:
	case Rversion:
		put32(p, f->msize);
		p = sxputstr(p+4, f->version);
		break;
	case Tauth:
		put32(p, f->afid);
		p = sxputstr(p+4, f->uname);
		p = sxputstr(p, f->aname);
		break;
	case Rauth:
		p = sxputqid(p, &f->aqid);
		break;
	case Tattach:
		put32(p, f->fid);
		put32(p+4, f->afid);
		p = sxputstr(p+8, f->uname);
		p = sxputstr(p, f->aname);
		break;
	case Rattach:
		p = sxputqid(p, &f->qid);
		break;
	case Rerror:
		p = sxputstr(p, f->ename);
		break;
	case Tflush:
		put16(p, f->oldtag);
		p += 2;
		break;
	case Twalk:
		put32(p, f->fid);
		put32(p+4, f->newfid);
		put16(p+8, f->nwname);
		p += 10;
		for(i = 0; i < f->nwname; i++)
			p = sxputstr(p, f->wname[i]);
		break;
	case Rwalk:
		put16(p, f->nwqid);
		p += 2;
		for(i = 0; i < f->nwqid; i++)
			p = sxputqid(p, &f->wqid[i]);
		break;
	case Topen:
		put32(p, f->fid);
		put8(p+4, f->mode);
		p += 5;
		break;
	case Ropen:
	case Rcreate:
		p = sxputqid(p, &f->qid);
		put32(p, f->iounit);
		p += 4;
		break;
	case Tcreate:
		put32(p, f->fid);
		p = sxputstr(p+4, f->name);
		put32(p, f->perm);
		put8(p+4, f->mode);
		p += 5;
		break;
	case Tread:
		put32(p, f->fid);
		put64(p+4, f->offset);
		put32(p+12, f->count);
		p += 16;
		break;
	case Rread:
		put32(p, f->count);
		p += 4;
		if(f->count > 0)
			memmove(p, f->data, f->count);
		p += f->count;
		break;
	case Twrite:
		put32(p, f->fid);
		put64(p+4, f->offset);
		put32(p+12, f->count);
		p += 16;
		if(f->count > 0)
			memmove(p, f->data, f->count);
		p += f->count;
		break;
	case Rwrite:
		put32(p, f->count);
		p += 4;
		break;
	case Tclunk:
	case Tremove:
	case Tstat:
		put32(p, f->fid);
		p += 4;
		break;
	case Rstat:
		put16(p, f->nstat);
		p += 2;
		if(f->nstat > 0)
			memmove(p, f->stat, f->nstat);
		p += f->nstat;
		break;
	case Twstat:
		put32(p, f->fid);
		put16(p+4, f->nstat);
		p += 6;
		if(f->nstat > 0)
			memmove(p, f->stat, f->nstat);
		p += f->nstat;
		break;
	}
	return p - buf;
}

/* data[count] that must fill the rest of the message exactly. */
static uint8_t *
getdata(Cursor *c, uint32_t count)
{
	if(c->err)
		return NULL;
	if((size_t)(c->e - c->p) != count){
		c->err = STYX_ECOUNT;
		return NULL;
	}
	return sxgetbytes(c, count);
}

/* stat[n]: n[2] then one whole, valid stat. */
static uint8_t *
getstat(Cursor *c, uint16_t *np)
{
	uint8_t *s;
	int e;

	*np = sxget16(c);
	s = sxgetbytes(c, *np);
	if(c->err)
		return NULL;
	e = styx_statcheck(s, *np);
	if(e < 0){
		c->err = -e;
		return NULL;
	}
	return s;
}

static void
unpackbody(Cursor *c, Fcall *f)
{
	int i;

	switch(f->type){
	case Tversion:
	case Rversion:
		f->msize = sxget32(c);
		f->version = sxgetstr(c);
		break;
	case Tauth:
		f->afid = sxget32(c);
		f->uname = sxgetstr(c);
		f->aname = sxgetstr(c);
		break;
	case Rauth:
		sxgetqid(c, &f->aqid);
		break;
	case Tattach:
		f->fid = sxget32(c);
		f->afid = sxget32(c);
		f->uname = sxgetstr(c);
		f->aname = sxgetstr(c);
		break;
	case Rattach:
		sxgetqid(c, &f->qid);
		break;
	case Rerror:
		f->ename = sxgetstr(c);
		break;
	case Tflush:
		f->oldtag = sxget16(c);
		break;
	case Twalk:
		f->fid = sxget32(c);
		f->newfid = sxget32(c);
		f->nwname = sxget16(c);
		if(!c->err && f->nwname > STYX_MAXWELEM){
			c->err = STYX_EWALK;
			break;
		}
		for(i = 0; i < f->nwname && !c->err; i++)
			f->wname[i] = sxgetstr(c);
		break;
	case Rwalk:
		f->nwqid = sxget16(c);
		if(!c->err && f->nwqid > STYX_MAXWELEM){
			c->err = STYX_EWALK;
			break;
		}
		for(i = 0; i < f->nwqid && !c->err; i++)
			sxgetqid(c, &f->wqid[i]);
		break;
	case Topen:
		f->fid = sxget32(c);
		f->mode = sxget8(c);
		break;
	case Ropen:
	case Rcreate:
		sxgetqid(c, &f->qid);
		f->iounit = sxget32(c);
		break;
	case Tcreate:
		f->fid = sxget32(c);
		f->name = sxgetstr(c);
		f->perm = sxget32(c);
		f->mode = sxget8(c);
		break;
	case Tread:
		f->fid = sxget32(c);
		f->offset = sxget64(c);
		f->count = sxget32(c);
		break;
	case Rread:
		f->count = sxget32(c);
		f->data = getdata(c, f->count);
		break;
	case Twrite:
		f->fid = sxget32(c);
		f->offset = sxget64(c);
		f->count = sxget32(c);
		f->data = getdata(c, f->count);
		break;
	case Rwrite:
		f->count = sxget32(c);
		break;
	case Tclunk:
	case Tremove:
	case Tstat:
		f->fid = sxget32(c);
		break;
	case Rflush:
	case Rclunk:
	case Rremove:
	case Rwstat:
		break;
	case Rstat:
		f->stat = getstat(c, &f->nstat);
		break;
	case Twstat:
		f->fid = sxget32(c);
		f->stat = getstat(c, &f->nstat);
		break;
	}
}

int
styx_unpack(uint8_t *buf, size_t n, Fcall *f)
{
	Cursor c;

	memset(f, 0, sizeof *f);
	if(buf == NULL || n < HDRSZ)
		return -STYX_ESHORT;
	if(get32(buf) != n)
		return -STYX_ESIZE;
	if(n > 0x7FFFFFFF)
		return -STYX_EBIG;
	f->type = buf[4];
	f->tag = get16(buf+5);
	if(styx_isdotl(f->type))
		return -STYX_EDOTL;
	if(!styx_typeok(f->type))
		return -STYX_ETYPE;
	c.p = buf + HDRSZ;
	c.e = buf + n;
	c.err = 0;
	unpackbody(&c, f);
	if(c.err == 0 && c.p != c.e)
		c.err = STYX_ETRAIL;
	if(c.err){
		memset(f, 0, sizeof *f);
		return -c.err;
	}
	return n;
}
