/*
 * bind [-a|-b|-c…] new old — Inferno's bind for guests, through the
 * extension calls (include/vxguest.h).  `mount` and `unmount` are this
 * same program under other names:
 *	mount [-abcC] addr|file old [spec]
 *		mounts the 9P server at the dial string addr (tcp!host!port,
 *		unix!/path; vxinferno -N must allow dialing) or on file
 *		(an fd posted in /srv, for instance)
 *	unmount [new] old
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vxguest.h"

static const char *argv0;

/* what failed: one name, or new and old (either can be the missing one) */
static int
fail2(const char *what, const char *old)
{
	char err[128];

	if(vx_errstr(err, sizeof err) < 0)
		snprintf(err, sizeof err, "not running under vxinferno");
	fprintf(stderr, "%s: %s%s%s: %s\n", argv0, what, old != NULL ? " " : "", old != NULL ? old : "", err);
	return 1;
}

static int
fail(const char *what)
{
	return fail2(what, NULL);
}

static int
usage(void)
{
	if(strcmp(argv0, "unmount") == 0)
		fprintf(stderr, "usage: unmount [new] old\n");
	else
		fprintf(stderr, "usage: %s [-abcC] %s old%s\n", argv0,
			strcmp(argv0, "mount") == 0 ? "addr|file" : "new",
			strcmp(argv0, "mount") == 0 ? " [spec]" : "");
	return 2;
}

/* net!address, as Inferno's dial takes it: a network name, then '!' */
static int
isdialstr(const char *s)
{
	const char *p;

	for(p = s; isalnum((unsigned char)*p); p++)
		;
	return p > s && *p == '!' && p[1] != 0;
}

/* An fd of the 9P server named by what: dialed, or an opened file. */
static int
serverfd(const char *what)
{
	int fd;

	if(isdialstr(what)){
		fd = vx_dial(what);
		if(fd < 0)
			fail(what);
		return fd;
	}
	fd = open(what, O_RDWR);
	if(fd < 0)
		perror(what);
	return fd;
}

int
main(int argc, char **argv)
{
	const char *s;
	int flags, i, fd;

	argv0 = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if(strcmp(argv0, "unmount") == 0){
		if(argc == 2)
			return vx_unmount(NULL, argv[1]) < 0 ? fail(argv[1]) : 0;
		if(argc == 3)
			return vx_unmount(argv[1], argv[2]) < 0 ? fail2(argv[1], argv[2]) : 0;
		return usage();
	}
	flags = VX_MREPL;
	for(i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != 0; i++)
		for(s = argv[i] + 1; *s; s++)
			switch(*s){
			case 'a': flags |= VX_MAFTER; break;
			case 'b': flags |= VX_MBEFORE; break;
			case 'c': flags |= VX_MCREATE; break;
			case 'C': flags |= VX_MCACHE; break;
			default: return usage();
			}
	if(strcmp(argv0, "mount") == 0){
		if(argc - i != 2 && argc - i != 3)
			return usage();
		fd = serverfd(argv[i]);
		if(fd < 0)
			return 1;
		if(vx_mount(fd, -1, argv[i + 1], flags, argc - i == 3 ? argv[i + 2] : "") < 0)
			return fail2(argv[i], argv[i + 1]);
		return 0;
	}
	if(argc - i != 2)
		return usage();
	if(vx_bind(argv[i], argv[i + 1], flags) < 0)
		return fail2(argv[i], argv[i + 1]);
	return 0;
}
