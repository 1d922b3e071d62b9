/* guest_grant — a guest whose namespace holds one directory below #U's top
 * (tests/vxinferno_grant.t binds '#U/d/a' at /n and nothing else of #U)
 * tries every Linux way out of it: open through relative, absolute and
 * chained links, openat from a directory fd, a link it makes, rename,
 * hard link, chdir and relative paths, /proc/self/fd/N of a file and of
 * a directory, and a name another thread keeps switching between a
 * directory and a link to `..` while it reads through it.  With "cwd"
 * (the test's second run, whose namespace file cds to '#U/d/a') it
 * tries the way out from its current directory by relative names.  Each line
 * says what it got; outside files hold OUT-something, never printed by
 * a correct kernel. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static void
show(const char *what, int fd)
{
	char buf[64];
	int n;

	if(fd < 0){
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if(n < 0){
		printf("%s: read: %s\n", what, strerror(errno));
		return;
	}
	buf[n] = 0;
	printf("%s: %s\n", what, buf);
}

static void
rc(const char *what, int r)
{
	if(r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

static volatile int racing;

static void *
swapper(void *a)
{
	(void)a;
	while(racing){
		rename("/n/swdir", "/n/sw");
		rename("/n/sw", "/n/swdir");
		rename("/n/swlink", "/n/sw");
		rename("/n/sw", "/n/swlink");
	}
	return NULL;
}

/* "cwd": started in the granted directory (a namespace file's cd
 * '#U/d/a'), by relative names alone */
static int
fromcwd(void)
{
	char buf[256];

	show("cwd f", open("f", O_RDONLY));
	show("cwd good", open("good", O_RDONLY));
	show("cwd rel2", open("rel2", O_RDONLY));
	show("cwd ../other", open("../other", O_RDONLY));
	show("cwd ../../secret", open("../../secret", O_RDONLY));
	show("cwd dirup/other", open("dirup/other", O_RDONLY));
	rc("cwd mkdir ../new", mkdir("../new", 0755));
	rc("cwd rename ../other", rename("../other", "stolen"));
	printf("cwd getcwd: %s\n", getcwd(buf, sizeof buf) != NULL ? buf : strerror(errno));
	return 0;
}

int
main(int argc, char **argv)
{
	char buf[256], p[64];
	int dfd, fd, i, in, out, fail;
	pthread_t t;
	ssize_t n;

	if(argc > 1 && strcmp(argv[1], "cwd") == 0)
		return fromcwd();
	show("f", open("/n/f", O_RDONLY));
	show("good (a link inside)", open("/n/good", O_RDONLY));
	show("rel2 (../../secret)", open("/n/rel2", O_RDONLY));
	show("abs (/secret)", open("/n/abs", O_RDONLY));
	show("c1 (a chain out)", open("/n/c1", O_RDONLY));
	show("dirup/other (a link to ..)", open("/n/dirup/other", O_RDONLY));
	show("/secret", open("/secret", O_RDONLY));
	show("/n/../secret", open("/n/../secret", O_RDONLY));

	dfd = open("/n", O_RDONLY | O_DIRECTORY);
	show("openat rel2", openat(dfd, "rel2", O_RDONLY));
	show("openat ../secret", openat(dfd, "../secret", O_RDONLY));
	show("openat sub/../good", openat(dfd, "sub/../good", O_RDONLY));
	show("openat dirup/other", openat(dfd, "dirup/other", O_RDONLY));

	rc("symlink ../../secret made", symlink("../../secret", "/n/made"));
	show("made", open("/n/made", O_RDONLY));
	n = readlink("/n/made", buf, sizeof buf - 1);
	printf("readlink made: %.*s\n", n < 0 ? 0 : (int)n, buf);
	rc("symlinkat /secret made2", symlinkat("/secret", dfd, "made2"));
	show("openat made2", openat(dfd, "made2", O_RDONLY));
	rc("rename dirup/other stolen", rename("/n/dirup/other", "/n/stolen"));
	rc("renameat dirup/other stolen", renameat(dfd, "dirup/other", dfd, "stolen"));
	rc("link rel2 hard", link("/n/rel2", "/n/hard"));
	rc("linkat rel2 hard (follow)", linkat(dfd, "rel2", dfd, "hard", AT_SYMLINK_FOLLOW));
	rc("mkdir dirup/new", mkdir("/n/dirup/new", 0755));
	rc("unlink dirup/other", unlink("/n/dirup/other"));

	rc("chdir /n/sub", chdir("/n/sub"));
	show("../f", open("../f", O_RDONLY));
	show("../rel2", open("../rel2", O_RDONLY));
	printf("getcwd: %s\n", getcwd(buf, sizeof buf) != NULL ? buf : strerror(errno));
	rc("chdir /n/dirup", chdir("/n/dirup"));

	fd = open("/n/f", O_RDONLY);
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	show("/proc/self/fd of f", open(p, O_RDONLY));
	close(fd);
	snprintf(p, sizeof p, "/proc/self/fd/%d/rel2", dfd);
	show("/proc/self/fd/dir/rel2", open(p, O_RDONLY));
	snprintf(p, sizeof p, "/proc/self/fd/%d/good", dfd);
	show("/proc/self/fd/dir/good", open(p, O_RDONLY));
	snprintf(p, sizeof p, "/proc/self/fd/%d/../secret", dfd);
	show("/proc/self/fd/dir/../secret", open(p, O_RDONLY));

	racing = 1;
	pthread_create(&t, NULL, swapper, NULL);
	in = out = fail = 0;
	for(i = 0; i < 3000; i++){
		fd = open("/n/sw/raceout", O_RDONLY);
		if(fd < 0){
			fail++;
			continue;
		}
		n = read(fd, buf, sizeof buf);
		close(fd);
		if(n > 3 && memcmp(buf, "OUT", 3) == 0)
			out++;
		else
			in++;
	}
	racing = 0;
	pthread_join(t, NULL);
	printf("race: %s\n", out == 0 ? "never out" : "OUT");
	if(getenv("GRANTVERBOSE") != NULL)
		fprintf(stderr, "race: %d in, %d out, %d failed\n", in, out, fail);
	return 0;
}
