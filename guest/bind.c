/*
 * bind [-a|-b|-c…] new old — Inferno's bind for guests, through the
 * extension call (guest/vxinferno.h).  `mount` and `unmount` are this
 * same program under other names:
 *	mount [-abc] file old [spec]	mounts the 9P server on file (e.g. /srv/x)
 *	unmount [new] old
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vxinferno.h"

static const char *argv0;

static int
fail(const char *what)
{
	char err[128];

	if(vx_errstr(err, sizeof err) < 0)
		snprintf(err, sizeof err, "not running under vxinferno");
	fprintf(stderr, "%s: %s: %s\n", argv0, what, err);
	return 1;
}

static int
usage(void)
{
	if(strcmp(argv0, "unmount") == 0)
		fprintf(stderr, "usage: unmount [new] old\n");
	else
		fprintf(stderr, "usage: %s [-abcC] %s old%s\n", argv0,
			strcmp(argv0, "mount") == 0 ? "file" : "new",
			strcmp(argv0, "mount") == 0 ? " [spec]" : "");
	return 2;
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
			return vx_unmount(argv[1], argv[2]) < 0 ? fail(argv[2]) : 0;
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
		fd = open(argv[i], O_RDWR);
		if(fd < 0){
			perror(argv[i]);
			return 1;
		}
		if(vx_mount(fd, -1, argv[i + 1], flags, argc - i == 3 ? argv[i + 2] : "") < 0)
			return fail(argv[i + 1]);
		return 0;
	}
	if(argc - i != 2)
		return usage();
	if(vx_bind(argv[i], argv[i + 1], flags) < 0)
		return fail(argv[i + 1]);
	return 0;
}
