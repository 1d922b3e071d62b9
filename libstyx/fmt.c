/* fmt.c — one-line renderings of messages, qids and stats for traces. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "styximpl.h"

/* An appender that never overruns and keeps the total wanted. */
typedef struct Out {
	char *p;
	size_t n;
	size_t len;
} Out;

static void
out(Out *o, const char *fmt, ...)
{
	va_list ap;
	int m;

	va_start(ap, fmt);
	if(o->len < o->n)
		m = vsnprintf(o->p + o->len, o->n - o->len, fmt, ap);
	else
		m = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if(m > 0)
		o->len += m;
}

static void
outqid(Out *o, const StyxQid *q)
{
	char t[9];
	int n;

	n = 0;
	if(q->type & STYX_QTDIR) t[n++] = 'd';
	if(q->type & STYX_QTAPPEND) t[n++] = 'a';
	if(q->type & STYX_QTEXCL) t[n++] = 'l';
	if(q->type & STYX_QTMOUNT) t[n++] = 'm';
	if(q->type & STYX_QTAUTH) t[n++] = 'A';
	if(q->type & STYX_QTTMP) t[n++] = 't';
	t[n] = 0;
	out(o, "(%.16llx %lu %s)", (unsigned long long)q->path, (unsigned long)q->vers, t);
}

/* Up to 32 bytes of data, printable ones as text, the rest as \xNN. */
static void
outdata(Out *o, const uint8_t *d, uint32_t n)
{
	uint32_t i, m;

	m = n < 32 ? n : 32;
	out(o, " '");
	for(i = 0; i < m; i++){
		if(d[i] >= ' ' && d[i] < 0x7F && d[i] != '\'' && d[i] != '\\')
			out(o, "%c", d[i]);
		else
			out(o, "\\x%02x", d[i]);
	}
	out(o, n > m ? "'..." : "'");
}

static void
outdir(Out *o, const StyxDir *d)
{
	out(o, "'%s' '%s' '%s' '%s' q ", d->name, d->uid, d->gid, d->muid);
	outqid(o, &d->qid);
	out(o, " m %#lo at %lu mt %lu l %llu t %u d %lu",
		(unsigned long)d->mode, (unsigned long)d->atime, (unsigned long)d->mtime,
		(unsigned long long)d->length, d->type, (unsigned long)d->dev);
}

/* A stat blob is unpacked from a copy: the caller's bytes stay as they are. */
static void
outstat(Out *o, const uint8_t *s, uint16_t n)
{
	uint8_t *copy;
	StyxDir d;

	copy = malloc(n ? n : 1);
	if(copy == NULL){
		out(o, " stat (%u bytes)", n);
		return;
	}
	memcpy(copy, s, n);
	if(styx_unpackdir(copy, n, &d) < 0)
		out(o, " stat (bad, %u bytes)", n);
	else{
		out(o, " stat ");
		outdir(o, &d);
	}
	free(copy);
}

static void
fmtbody(Out *o, const Fcall *f)
{
	int i;

	switch(f->type){
	case Tversion:
	case Rversion:
		out(o, " msize %lu version '%s'", (unsigned long)f->msize, f->version);
		break;
	case Tauth:
		out(o, " afid %ld uname %s aname %s", (long)(int32_t)f->afid, f->uname, f->aname);
		break;
	case Rauth:
		out(o, " qid ");
		outqid(o, &f->aqid);
		break;
	case Tattach:
		out(o, " fid %lu afid %ld uname %s aname %s", (unsigned long)f->fid,
			(long)(int32_t)f->afid, f->uname, f->aname);
		break;
	case Rattach:
		out(o, " qid ");
		outqid(o, &f->qid);
		break;
	case Rerror:
		out(o, " ename %s", f->ename);
		break;
	case Tflush:
		out(o, " oldtag %u", f->oldtag);
		break;
	case Twalk:
		out(o, " fid %lu newfid %lu nwname %u", (unsigned long)f->fid,
			(unsigned long)f->newfid, f->nwname);
		for(i = 0; i < f->nwname && i < STYX_MAXWELEM; i++)
			out(o, " %d:%s", i, f->wname[i]);
		break;
	case Rwalk:
		out(o, " nwqid %u", f->nwqid);
		for(i = 0; i < f->nwqid && i < STYX_MAXWELEM; i++){
			out(o, " %d:", i);
			outqid(o, &f->wqid[i]);
		}
		break;
	case Topen:
		out(o, " fid %lu mode %d", (unsigned long)f->fid, f->mode);
		break;
	case Ropen:
	case Rcreate:
		out(o, " qid ");
		outqid(o, &f->qid);
		out(o, " iounit %lu", (unsigned long)f->iounit);
		break;
	case Tcreate:
		out(o, " fid %lu name %s perm %#lo mode %d", (unsigned long)f->fid,
			f->name, (unsigned long)f->perm, f->mode);
		break;
	case Tread:
		out(o, " fid %lu offset %llu count %lu", (unsigned long)f->fid,
			(unsigned long long)f->offset, (unsigned long)f->count);
		break;
	case Rread:
		out(o, " count %lu", (unsigned long)f->count);
		if(f->data != NULL)
			outdata(o, f->data, f->count);
		break;
	case Twrite:
		out(o, " fid %lu offset %llu count %lu", (unsigned long)f->fid,
			(unsigned long long)f->offset, (unsigned long)f->count);
		if(f->data != NULL)
			outdata(o, f->data, f->count);
		break;
	case Rwrite:
		out(o, " count %lu", (unsigned long)f->count);
		break;
	case Tclunk:
	case Tremove:
	case Tstat:
		out(o, " fid %lu", (unsigned long)f->fid);
		break;
	case Rstat:
		if(f->stat != NULL)
			outstat(o, f->stat, f->nstat);
		break;
	case Twstat:
		out(o, " fid %lu", (unsigned long)f->fid);
		if(f->stat != NULL)
			outstat(o, f->stat, f->nstat);
		break;
	}
}

int
styx_fmtfcall(char *buf, size_t n, const Fcall *f)
{
	Out o = {buf, n, 0};
	const char *name;

	if(n > 0)
		buf[0] = 0;
	name = styx_typename(f->type);
	if(name == NULL){
		out(&o, "unknown type %d tag %u", f->type, f->tag);
		return o.len;
	}
	out(&o, "%s tag %u", name, f->tag);
	fmtbody(&o, f);
	return o.len;
}

int
styx_fmtdir(char *buf, size_t n, const StyxDir *d)
{
	Out o = {buf, n, 0};

	if(n > 0)
		buf[0] = 0;
	outdir(&o, d);
	return o.len;
}

int
styx_fmtqid(char *buf, size_t n, const StyxQid *q)
{
	Out o = {buf, n, 0};

	if(n > 0)
		buf[0] = 0;
	outqid(&o, q);
	return o.len;
}
