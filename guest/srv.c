/*
 * srv [-abcC] addr name [old] — as Plan 9's srv: dial the 9P server at
 * addr (tcp!host!port or unix!/path; vxinferno -N must allow dialing),
 * post the connection as /srv/name so that any guest of this vxinferno
 * can `mount /srv/name dir`, and with old also mount it there now.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vxguest.h"

static int
fail(const char *what)
{
	char err[128];

	if(vx_errstr(err, sizeof err) < 0)
		snprintf(err, sizeof err, "not running under vxinferno");
	fprintf(stderr, "srv: %s: %s\n", what, err);
	return 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: srv [-abcC] addr name [old]\n");
	return 2;
}

/* #s keeps the Chan of the fd whose number is written to a new file. */
static int
post(const char *name, int fd)
{
	char path[256], num[16];
	int sfd, n;

	if(strchr(name, '/') != NULL || snprintf(path, sizeof path, "/srv/%s", name) >= (int)sizeof path)
		return usage();
	sfd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if(sfd < 0)
		return fail(path);
	n = snprintf(num, sizeof num, "%d", fd);
	if(write(sfd, num, n) != n){
		fail(path);
		close(sfd);
		unlink(path);
		return 1;
	}
	close(sfd);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *s;
	char path[256];
	int flags, i, fd;

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
	if(argc - i != 2 && argc - i != 3)
		return usage();
	fd = vx_dial(argv[i]);
	if(fd < 0)
		return fail(argv[i]);
	if(post(argv[i + 1], fd) != 0)
		return 1;
	close(fd);
	if(argc - i == 3){
		snprintf(path, sizeof path, "/srv/%s", argv[i + 1]);
		fd = open(path, O_RDWR);
		if(fd < 0 || vx_mount(fd, -1, argv[i + 2], flags, "") < 0)
			return fail(argv[i + 2]);
	}
	return 0;
}
