/*
 * guest_abi.c — what Linux programs check of the system that vxinferno
 * once answered otherwise: the device numbers of /dev/null and its kin,
 * and whether stdin is /dev/null (rdev).  Its output must be the same
 * natively and under vxinferno (tests/vxinferno_abi.t).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- rdev ---------------------------------------------------------------- */

/* The numbers by stat, the old i386 stat and statx: they must agree. */
static void
devnums(const char *path)
{
	struct statx sx;
	struct stat st;
	struct { uint32_t dev, ino; uint16_t mode, nlink, uid, gid; uint32_t rdev; char rest[44]; } ost;

	if(stat(path, &st) < 0){
		printf("%s: %s\n", path, strerror(errno));
		return;
	}
	printf("%s: char %d rdev %u:%u", path, S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
	if(syscall(SYS_stat, path, &ost) == 0)
		printf(", struct stat's %u:%u", major(ost.rdev), minor(ost.rdev));
	if(statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx) == 0)
		printf(", statx's %u:%u", sx.stx_rdev_major, sx.stx_rdev_minor);
	printf("\n");
}

/* Is fd /dev/null?  The test programs make: the same device numbers. */
static int
isdevnull(int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) &&
		a.st_rdev == b.st_rdev && a.st_rdev == makedev(1, 3);
}

static void
rdev(void)
{
	static const char *devs[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty" };
	unsigned i;
	int fd;

	for(i = 0; i < sizeof devs / sizeof devs[0]; i++)
		devnums(devs[i]);
	fd = open("/dev/null", O_RDWR);
	printf("an open /dev/null is /dev/null: %d\n", isdevnull(fd));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	printf("/dev/zero is not: %d\n", !isdevnull(fd));
	close(fd);
	printf("stdin is /dev/null: %d\n", isdevnull(0));
	printf("stdout is /dev/null: %d\n", isdevnull(1));
	printf("a read of stdin: %zd\n", read(0, &fd, 1));
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2){
		fprintf(stderr, "usage: guest_abi mode\n");
		return 2;
	}
	if(strcmp(argv[1], "rdev") == 0)
		rdev();
	else{
		fprintf(stderr, "guest_abi: unknown mode %s\n", argv[1]);
		return 2;
	}
	return 0;
}
