/*
 * errno.c — error strings to Linux errno values, by one table.
 *
 * A failed k* call leaves words in the proc's error string: the kernel's
 * own (Inferno's "file does not exist", libkern's E* strings and its few
 * literal messages), or the host's strerror text for a host errno the
 * kernel passed on (libkern's oserrstr, as Inferno's emu does), or a 9P
 * server's Rerror.  errnoof maps them back exactly: the whole string is
 * looked up; if it is not there, the part before the first ": " (an
 * Inferno error with detail added: "i/o on hungup channel: reset"), then
 * the part after the last ": " (context first, cause last: "dial
 * tcp!h!p: Connection refused").  A few kernel messages carry their
 * detail after a space ("unsupported network udp in …"): their entries
 * are marked prefix and match the start of the string up to a space or
 * colon.  No substring or case guessing: a string that matches nothing
 * is EIO.
 *
 * The host's texts are the host's strerror for every errno, read once,
 * so each host errno comes back as itself.  tests/unit/errno_table.c
 * checks every errno and every string the kernel raises.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "dat.h"

/* The kernel's words (libkern/errstr.c and its literal messages), the
 * personality's own (exec.c), and the common ones of Plan 9 and Inferno
 * file servers a guest may mount. */
const Errmap kernerrs[] = {
	{ "file does not exist", ENOENT, 0 },
	{ "does not exist", ENOENT, 0 },	/* Inferno emu's host files: "'name' does not exist" */
	{ "permission denied", EACCES, 0 },
	{ "file already exists", EEXIST, 0 },
	{ "mounted directory forbids creation", EACCES, 0 },
	{ "not a directory", ENOTDIR, 0 },
	{ "is a directory", EISDIR, 0 },
	{ "bad fd", EBADF, 0 },
	{ "no file descriptors over an export", EBADF, 0 },
	{ "bad arg", EINVAL, 0 },
	{ "not a symbolic link", EINVAL, 0 },	/* #U readlink, rmlink: a name that is no link */
	{ "i/o on hungup channel", EPIPE, 0 },
	{ "write on closed pipe", EPIPE, 0 },
	{ "no memory", ENOMEM, 0 },
	{ "device or object already in use", EBUSY, 0 },
	{ "i/o error", EIO, 0 },
	{ "file name syntax", EINVAL, 0 },
	{ "directory not empty", ENOTEMPTY, 0 },
	{ "inappropriate use of fd", EBADF, 0 },
	{ "file already open for I/O", EBUSY, 0 },
	{ "file not open", EBADF, 0 },
	{ "no free devices", ENODEV, 0 },
	{ "mount: no mount driver", ENODEV, 0 },
	{ "not mounted", EINVAL, 0 },
	{ "stat buffer too small", EOVERFLOW, 0 },
	{ "malformed stat buffer", EINVAL, 0 },
	{ "wstat prohibited", EPERM, 0 },
	{ "interrupted", EINTR, 0 },
	{ "killed", EINTR, 0 },
	{ "no kernel proc", ESRCH, 0 },
	{ "system limit reached", ENFILE, 0 },
	{ "read-only file system", EROFS, 0 },
	{ "bad character in file name", EINVAL, 0 },
	{ "read or write too large", EINVAL, 0 },
	{ "srv file does not exist", ENOENT, 0 },
	{ "mount/attach disallowed", EPERM, 0 },
	{ "short read", EIO, 0 },
	{ "not in union", EINVAL, 0 },
	{ "bad process or channel control request", EINVAL, 0 },
	/* libkern's literal messages */
	{ "too many open files", EMFILE, 0 },
	{ "file name too long", ENAMETOOLONG, 0 },
	{ "no such #U directory", ENOENT, 0 },
	{ "negative seek offset", EINVAL, 0 },
	{ "bad user name", EINVAL, 0 },
	{ "inconsistent mount", EINVAL, 0 },
	{ "kernel already started", EBUSY, 0 },
	{ "protocol botch", EPROTO, 0 },
	{ "fversion: only 9P2000 is spoken", EPROTONOSUPPORT, 0 },
	{ "mount: the auth fd is not for this connection", EINVAL, 0 },
	{ "mount", EPROTO, 0 },		/* "mount: server speaks 9P2000.L …" */
	{ "dial: a local address is not supported", EOPNOTSUPP, 0 },
	{ "bad dial string", EINVAL, 1 },	/* libstyx/dial.c: "bad dial string x: want …" */
	{ "bad unix socket path", EINVAL, 1 },
	{ "unsupported network", EPROTONOSUPPORT, 1 },
	{ "cannot resolve", EHOSTUNREACH, 1 },
	{ "no network connections", ENETUNREACH, 0 },
	{ "too many words", EINVAL, 0 },
	{ "unmatched quote", EINVAL, 0 },
	{ "includes nested too deep", ELOOP, 0 },
	{ "no space", ENOSPC, 0 },		/* "no space: environment full" (#e) */
	{ "file was renamed or replaced", ENOENT, 0 },	/* #U remove of a Chan whose file moved */
	/* #I (devip.c) */
	{ "bad address syntax", EINVAL, 0 },
	{ "already bound", EINVAL, 0 },
	{ "already connected", EISCONN, 0 },
	{ "already announced or connected", EISCONN, 0 },
	{ "address in use", EADDRINUSE, 0 },
	{ "not connected", ENOTCONN, 0 },
	{ "not announced", EINVAL, 0 },
	{ "unknown network", EPROTONOSUPPORT, 0 },
	{ "cs: can't translate address", EHOSTUNREACH, 0 },
	{ "read too short for header", EINVAL, 0 },
	{ "write too short for header", EINVAL, 0 },
	{ "cannot send to an IPv6 address from an IPv4 conversation", EAFNOSUPPORT, 0 },
	{ "no free conversations", ENFILE, 0 },
	{ "connection refused", ECONNREFUSED, 0 },
	{ "resource temporarily unavailable", EAGAIN, 0 },
	{ "too many files to pass", EINVAL, 0 },
	/* vxrun's own (exec.c) */
	{ "bad interpreter line", ENOEXEC, 0 },
	{ "out of memory", ENOMEM, 0 },
	{ "not found in the namespace", ENOENT, 0 },
	/* other Plan 9 and Inferno file servers */
	{ "file is a directory", EISDIR, 0 },
	{ "file not found", ENOENT, 0 },
	{ "file in use", EBUSY, 0 },
	{ "exclusive use file already open", EBUSY, 0 },
	{ "no space left on device", ENOSPC, 0 },
	{ "file system full", ENOSPC, 0 },
	{ "unknown fid", EBADF, 0 },
	{ "operation not supported", EOPNOTSUPP, 0 },
	{ "not implemented", ENOSYS, 0 },
	{ NULL, 0, 0 }
};

enum { MAXERRNO = 134 };	/* Linux's errnos are 1..133 */
static const char *hosterr[MAXERRNO];
static pthread_once_t hostonce = PTHREAD_ONCE_INIT;

/* The host's strerror text for each errno it knows. */
static void
readhost(void)
{
	char unknown[64];
	int e;

	for(e = 1; e < MAXERRNO; e++){
		snprintf(unknown, sizeof unknown, "Unknown error %d", e);
		if(strcmp(strerror(e), unknown) != 0)
			hosterr[e] = strerror(e);
	}
}

/* The errno of exactly s (n bytes), or 0. */
static int
lookup(const char *s, size_t n)
{
	const Errmap *m;
	int e;

	for(m = kernerrs; m->s != NULL; m++)
		if(strncmp(m->s, s, n) == 0 && m->s[n] == 0)
			return m->err;
	pthread_once(&hostonce, readhost);
	for(e = 1; e < MAXERRNO; e++)
		if(hosterr[e] != NULL && strncmp(hosterr[e], s, n) == 0 && hosterr[e][n] == 0)
			return e;
	return 0;
}

/* The errno err names, or 0 when the table does not know it. */
int
errnolookup(const char *err)
{
	const Errmap *m;
	const char *p;
	size_t n;
	int e;

	if((e = lookup(err, strlen(err))) != 0)
		return e;
	/* Inferno's emu names the file first: "'/env/x' file does not exist" */
	if(err[0] == '\'' && (p = strstr(err + 1, "' ")) != NULL && (e = lookup(p + 2, strlen(p + 2))) != 0)
		return e;
	for(m = kernerrs; m->s != NULL; m++){
		n = strlen(m->s);
		if(m->prefix && strncmp(err, m->s, n) == 0 && (err[n] == ' ' || err[n] == ':'))
			return m->err;
	}
	if((p = strstr(err, ": ")) != NULL && (e = lookup(err, p - err)) != 0)
		return e;
	for(p = NULL; (err = strstr(err, ": ")) != NULL; err += 2)
		p = err + 2;
	if(p != NULL && (e = lookup(p, strlen(p))) != 0)
		return e;
	return 0;
}

int
errnoof(const char *err)
{
	int e;

	e = errnolookup(err);
	return e != 0 ? e : EIO;
}

/* -errno for the current proc's error string (after a k* call failed). */
long
kerrno(void)
{
	char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	return -errnoof(buf);
}
