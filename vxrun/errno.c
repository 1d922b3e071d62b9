/*
 * errno.c — Inferno error strings to Linux errno values.  The kernel says
 * what went wrong in words; the guest wants a number.  Strings are matched
 * by content (a device or a 9P server may say "file does not exist: x"),
 * and anything unknown is EIO.
 */
#include <errno.h>
#include <string.h>
#include "dat.h"

typedef struct Errmap {
	const char *s;
	int err;
} Errmap;

/* Substrings, most specific first; case does not matter, so the host's
 * words in a dial error ("Connection refused", "No such file…") map too. */
static const Errmap errmap[] = {
	{ "does not exist", ENOENT },
	{ "not found", ENOENT },
	{ "no such", ENOENT },
	{ "permission denied", EACCES },
	{ "wstat prohibited", EPERM },
	{ "read-only", EROFS },
	{ "already exists", EEXIST },
	{ "forbids creation", EACCES },
	{ "not a directory", ENOTDIR },
	{ "is a directory", EISDIR },
	{ "directory not empty", ENOTEMPTY },
	{ "bad fd", EBADF },
	{ "inappropriate use of fd", EBADF },
	{ "write on closed pipe", EPIPE },
	{ "hungup", EPIPE },
	{ "no memory", ENOMEM },
	{ "in use", EBUSY },
	{ "file name syntax", EINVAL },
	{ "bad character in file name", EINVAL },
	{ "file name too long", ENAMETOOLONG },
	{ "name too long", ENAMETOOLONG },
	{ "already open", EBUSY },
	{ "not open", EBADF },
	{ "no free devices", ENODEV },
	{ "no mount driver", ENOSYS },
	{ "not mounted", EINVAL },
	{ "not in union", EINVAL },
	{ "interrupted", EINTR },
	{ "killed", EINTR },
	{ "system limit", EMFILE },
	{ "too large", EFBIG },
	{ "no space", ENOSPC },
	{ "file system full", ENOSPC },
	{ "bad arg", EINVAL },
	{ "bad process or channel control", EINVAL },
	{ "mount/attach disallowed", EPERM },
	{ "unknown device", ENODEV },
	{ "unsupported network", EPROTONOSUPPORT },
	{ "bad", EINVAL },
	{ "not supported", EOPNOTSUPP },
	{ "timed out", ETIMEDOUT },
	{ "connection refused", ECONNREFUSED },
	{ "cannot resolve", EHOSTUNREACH },
	{ "no route to host", EHOSTUNREACH },
	{ "network is unreachable", ENETUNREACH },
	{ "cross-device", EXDEV },
	{ "i/o error", EIO },
};

int
errnoof(const char *err)
{
	size_t i;

	for(i = 0; i < sizeof errmap / sizeof errmap[0]; i++)
		if(strcasestr(err, errmap[i].s) != NULL)
			return errmap[i].err;
	return EIO;
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
