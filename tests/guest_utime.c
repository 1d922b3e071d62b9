/* guest_utime.c — utimes(2) and utime(2) as raw system calls (glibc
 * may route its wrappers through utimensat), run natively and under
 * vxinferno by tests/unit/vx_utime.c; the two outputs must match. */
#define _FILE_OFFSET_BITS 64	/* st_ino from a qid does not fit 32 bits */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static const char *file = "tmp/utime.f";

static void
show(const char *what, long r)
{
	struct stat st;

	if(r < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	if(stat(file, &st) < 0){
		printf("%s: stat: %s\n", what, strerror(errno));
		return;
	}
	printf("%s: mtime %ld\n", what, (long)st.st_mtime);
}

static void
shownow(const char *what, long r)
{
	struct stat st;
	long d;

	if(r < 0 || stat(file, &st) < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	d = (long)time(NULL) - (long)st.st_mtime;
	printf("%s: %s\n", what, d >= 0 && d < 100 ? "now" : "not now");
}

int
main(void)
{
	struct timeval tv[2];
	struct utimbuf ub;
	int fd;

	fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if(fd < 0){
		printf("create: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	tv[0].tv_sec = 5;
	tv[0].tv_usec = 0;
	tv[1].tv_sec = 1000000000;
	tv[1].tv_usec = 250000;
	show("utimes", syscall(SYS_utimes, file, tv));
	ub.actime = 7;
	ub.modtime = 1200000000;
	show("utime", syscall(SYS_utime, file, &ub));
	shownow("utimes NULL", syscall(SYS_utimes, file, NULL));
	show("utimes back", syscall(SYS_utimes, file, tv));
	shownow("utime NULL", syscall(SYS_utime, file, NULL));
	tv[1].tv_usec = 1000000;
	show("utimes usec 1000000", syscall(SYS_utimes, file, tv));
	show("utimes missing", syscall(SYS_utimes, "tmp/none/x", NULL));
	show("utime missing", syscall(SYS_utime, "tmp/none", NULL));
	show("utimes bad times", syscall(SYS_utimes, file, (void*)16));
	show("utime bad buf", syscall(SYS_utime, file, (void*)16));
	unlink(file);
	return 0;
}
