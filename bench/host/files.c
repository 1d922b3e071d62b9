/*
 * files MODE DIR N — file system calls in a loop, for bench/files.sh.
 * Built twice: i386 (run by vxinferno and qemu-i386) and x86-64 (the
 * host's own calls on the same tree).  The tree is made first by
 * `files setup DIR 0`: d1/d2/…/d30, a file f in each, and a directory
 * big of 2,000 files.  Modes, N rounds each:
 *	stat	stat of f and of a missing name at each depth 1..30
 *	open	open and close of f, an open of the missing name
 *	dents	getdents64 of big until its end
 *	deep	mkdir of a tree N deep by whole paths, then rmdir (stress-ng's dirdeep)
 * Prints the number of calls made, so the caller gives a time per call.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char buf[8192];

/* DIR/d1/…/dD/leaf in buf */
static char *
at(const char *dir, int d, const char *leaf)
{
	int n, i;

	n = snprintf(buf, sizeof buf, "%s", dir);
	for(i = 1; i <= d; i++)
		n += snprintf(buf + n, sizeof buf - n, "/d%d", i);
	snprintf(buf + n, sizeof buf - n, "/%s", leaf);
	return buf;
}

static void
setup(const char *dir)
{
	char p[300];
	int d, i;

	for(d = 1; d <= 30; d++){
		at(dir, d, "f");
		*strrchr(buf, '/') = 0;
		mkdir(buf, 0755);
		close(open(at(dir, d, "f"), O_CREAT | O_WRONLY, 0644));
	}
	snprintf(p, sizeof p, "%s/big", dir);
	mkdir(p, 0755);
	for(i = 0; i < 2000; i++){
		snprintf(p, sizeof p, "%s/big/f%05d", dir, i);
		close(open(p, O_CREAT | O_WRONLY, 0644));
	}
}

static long
deep(const char *dir, int n)
{
	char *p = malloc(strlen(dir) + 2 * n + 16);
	long calls = 0;
	int len, i;

	len = sprintf(p, "%s/deep", dir);
	mkdir(p, 0755);
	for(i = 0; i < n; i++, calls++){
		len += sprintf(p + len, "/x");
		if(mkdir(p, 0755) < 0)
			return -1;
	}
	for(i = 0; i <= n; i++, calls++){
		if(rmdir(p) < 0)
			return -1;
		*strrchr(p, '/') = 0;
	}
	free(p);
	return calls;
}

int
main(int argc, char **argv)
{
	char dents[32768];
	struct stat st;
	long calls = 0;
	int n, i, d, fd;

	if(argc != 4)
		return 2;
	n = atoi(argv[3]);
	if(strcmp(argv[1], "setup") == 0)
		setup(argv[2]);
	else if(strcmp(argv[1], "deep") == 0)
		calls = deep(argv[2], n);
	else for(i = 0; i < n; i++){
		if(strcmp(argv[1], "stat") == 0)
			for(d = 1; d <= 30; d++, calls += 2){
				stat(at(argv[2], d, "f"), &st);
				stat(at(argv[2], d, "missing.h"), &st);
			}
		else if(strcmp(argv[1], "open") == 0)
			for(d = 1; d <= 30; d++, calls += 3){
				close(open(at(argv[2], d, "f"), O_RDONLY));
				open(at(argv[2], d, "missing.h"), O_RDONLY);
			}
		else if(strcmp(argv[1], "dents") == 0){
			snprintf(buf, sizeof buf, "%s/big", argv[2]);
			fd = open(buf, O_RDONLY | O_DIRECTORY);
			while(syscall(SYS_getdents64, fd, dents, sizeof dents) > 0)
				calls++;
			close(fd);
		}else
			return 2;
	}
	if(calls < 0)
		return 1;
	printf("%ld\n", calls);
	return 0;
}
