/*
 * errstr.c — Inferno's error strings, the per-proc error string, the host
 * errno mapping and the allocation helpers every file uses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

char Enonexist[] = "file does not exist";
char Eperm[] = "permission denied";
char Eexist[] = "file already exists";
char Enocreate[] = "mounted directory forbids creation";
char Enotdir[] = "not a directory";
char Eisdir[] = "is a directory";
char Ebadfd[] = "bad fd";
char Eagain[] = "resource temporarily unavailable";
char Eremotefd[] = "no file descriptors over an export";
char Ebadarg[] = "bad arg";
char Enotlink[] = "not a symbolic link";
char Ehungup[] = "i/o on hungup channel";
char Epipe[] = "write on closed pipe";
char Enomem[] = "no memory";
char Einuse[] = "device or object already in use";
char Eio[] = "i/o error";
char Efilename[] = "file name syntax";
char Enotempty[] = "directory not empty";
char Ebadusefd[] = "inappropriate use of fd";
char Eisopen[] = "file already open for I/O";
char Enotopen[] = "file not open";
char Enodev[] = "no free devices";
char Enomount[] = "mount: no mount driver";
char Eunmount[] = "not mounted";
char Eshortstat[] = "stat buffer too small";
char Ebadstat[] = "malformed stat buffer";
char Enowstat[] = "wstat prohibited";
char Eintr[] = "interrupted";
char Ekilled[] = "killed";
char Enoproc[] = "no kernel proc";
char Elimit[] = "system limit reached";
char Emfile[] = "too many open files";
char Ereadonly[] = "read-only file system";
char Ewstatname[] = "bad character in file name";
char Etoobig[] = "read or write too large";
char Enospace[] = "no space: environment full";
char Enosrv[] = "srv file does not exist";
char Enoattach[] = "mount/attach disallowed";
char Eshort[] = "short read";
char Eunion[] = "not in union";
char Ebadctl[] = "bad process or channel control request";

/* Threads with no proc still get an error string to read. */
static _Thread_local char noproc[ERRMAX];

static char *
errbuf(void)
{
	return up != NULL ? up->errstr : noproc;
}

int
kseterr(const char *s)
{
	char *e = errbuf();
	if(s != e)
		snprintf(e, ERRMAX, "%s", s);
	return -1;
}

void *
kseterrp(const char *s)
{
	kseterr(s);
	return NULL;
}

/*
 * A host errno in words: Inferno's own where it means exactly that
 * errno (so names and 9P peers see "file does not exist"), the host's
 * strerror text otherwise, as Inferno's emu reports host errors.  Each
 * errno gets its own string, so vxrun/errno.c maps it back to itself.
 */
const char *
oserrstr(int err)
{
	switch(err){
	case ENOENT: return Enonexist;
	case EACCES: return Eperm;
	case EEXIST: return Eexist;
	case ENOTDIR: return Enotdir;
	case EISDIR: return Eisdir;
	case ENOTEMPTY: return Enotempty;
	case EBADF: return Ebadfd;
	case EINVAL: return Ebadarg;
	case EROFS: return Ereadonly;
	case ENOMEM: return Enomem;
	case EBUSY: return Einuse;
	case EINTR: return Eintr;
	case EPIPE: return Epipe;
	case EIO: return Eio;
	}
	return strerror(err);
}

int
ksetosErr(int err)
{
	return kseterr(oserrstr(err));
}

void
kerrstr(char *buf, uint n)
{
	char *e = errbuf();
	char tmp[ERRMAX];
	if(n == 0)
		return;
	snprintf(tmp, sizeof tmp, "%s", e);
	snprintf(e, ERRMAX, "%.*s", (int)(n < ERRMAX ? n : ERRMAX), buf);
	snprintf(buf, n, "%s", tmp);
}

void
kgerrstr(char *buf, uint n)
{
	if(n > 0)
		snprintf(buf, n, "%s", errbuf());
}

void
kwerrstr(char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf(), ERRMAX, fmt, ap);
	va_end(ap);
}

void *
kmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if(p == NULL){
		fprintf(stderr, "libkern: out of memory\n");
		abort();
	}
	return p;
}

void *
kzalloc(size_t n)
{
	void *p = kmalloc(n);
	memset(p, 0, n);
	return p;
}

char *
kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(kmalloc(n), s, n);
}
