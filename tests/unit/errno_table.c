/*
 * errno_table.c — the one table between error strings and Linux errnos
 * (vxrun/errno.c), exhaustively: every host errno, put into words by the
 * kernel (libkern's oserrstr) or straight from strerror, comes back as
 * itself; every error string the kernel raises — each E* string of
 * libkern/errstr.c and each literal message given to kseterr/kseterrp
 * in libkern's C files, read from the sources so a new one cannot be missed —
 * maps to an errno the table defines, not to the EIO of an unknown
 * string; and composed messages map by their parts, never by a
 * substring or a change of case.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "dat.h"	/* libkern's */
#include "fns.h"

/* vxrun/errno.c */
int errnoof(const char *err);
int errnolookup(const char *err);

/* Every "…" literal of kind (`char E…[] = "` or `kseterr("`) in file;
 * calls fn for each. */
static int
eachliteral(const char *file, const char *kind, void (*fn)(const char *, const char *))
{
	char line[1024], *p, *q;
	int n;
	FILE *f;

	f = fopen(file, "r");
	if(f == NULL)
		return -1;
	n = 0;
	while(fgets(line, sizeof line, f) != NULL){
		for(p = line; (p = strstr(p, kind)) != NULL; p = q + 1){
			p += strlen(kind);
			q = strchr(p, '"');
			if(q == NULL)
				break;
			*q = 0;
			fn(file, p);
			n++;
		}
	}
	fclose(f);
	return n;
}

static void
defined(const char *file, const char *s)
{
	int e;

	e = errnolookup(s);
	ok(e != 0, "%s: \"%s\" is in the table (%s)", file, s, e ? strerrorname_np(e) : "unknown");
}

int
main(void)
{
	static const struct { const char *s; int err; } cases[] = {
		{ "dial tcp!127.0.0.1!1: Connection refused", ECONNREFUSED },
		{ "i/o on hungup channel: Connection reset by peer", EPIPE },
		{ "unsupported network udp in udp!1.2.3.4!9", EPROTONOSUPPORT },
		{ "bad dial string bogus: want net!address", EINVAL },
		{ "cannot resolve nohost: Name or service not known", EHOSTUNREACH },
		{ "mount: server speaks 9P2000.L, not 9P2000", EPROTO },
		{ "/bin/x: file does not exist", ENOENT },
		{ "'/env/x' file does not exist", ENOENT },	/* Inferno emu's form */
		{ "'/tmp/w' does not exist", ENOENT },		/* emu's host files */
		{ "'/tmp/a b' permission denied", EACCES },
		{ "'/x' not a known error", EIO },
		{ "permission denied: guests may not dial (vxinferno -N allows it)", EACCES },
		{ "No space left on device", ENOSPC },
		{ "Disk quota exceeded", EDQUOT },
		{ "Text file busy", ETXTBSY },
		{ "Operation not permitted", EPERM },
		{ "Invalid cross-device link", EXDEV },
		{ "Resource temporarily unavailable", EAGAIN },
		{ "Too many levels of symbolic links", ELOOP },
		{ "File does not exist", EIO },		/* no case guessing */
		{ "the file does not exist here", EIO },	/* no substring guessing */
		{ "bad", EIO },
		{ "", EIO },
	};
	char unknown[64];
	struct dirent *de;
	char path[512];
	DIR *d;
	int e, n, nerr;
	size_t i;

	nerr = 0;
	for(e = 1; e < 134; e++){
		snprintf(unknown, sizeof unknown, "Unknown error %d", e);
		if(strcmp(strerror(e), unknown) == 0)
			continue;
		nerr++;
		is(errnoof(oserrstr(e)), e, "%s through the kernel (\"%s\")", strerrorname_np(e), oserrstr(e));
		is(errnoof(strerror(e)), e, "%s from the host's words (\"%s\")", strerrorname_np(e), strerror(e));
	}
	ok(nerr > 120, "the host knows %d errnos", nerr);
	n = eachliteral("libkern/errstr.c", "[] = \"", defined);
	ok(n > 30, "libkern/errstr.c: %d kernel error strings", n);
	d = opendir("libkern");
	ok(d != NULL, "libkern's sources are here");
	n = 0;
	while(d != NULL && (de = readdir(d)) != NULL){
		if(strlen(de->d_name) < 3 || strcmp(de->d_name + strlen(de->d_name) - 2, ".c") != 0)
			continue;
		snprintf(path, sizeof path, "libkern/%s", de->d_name);
		n += eachliteral(path, "kseterr(\"", defined);
		n += eachliteral(path, "kseterrp(\"", defined);
	}
	if(d != NULL)
		closedir(d);
	ok(n > 10, "libkern/*.c: %d literal error messages", n);
	for(i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is(errnoof(cases[i].s), cases[i].err, "\"%s\" is %s", cases[i].s, strerrorname_np(cases[i].err));
	return done_testing();
}
