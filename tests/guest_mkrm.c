/* guest_mkrm.c — mkdir, rmdir, unlink and O_CREAT|O_EXCL in a tree 40
 * deep, through a symlinked directory and at names that are there in
 * other forms (a file, a symlink, a dangling one, a directory that is
 * not empty), O_CREAT through dangling links, for tests/vxinferno_mkrm.t: one line per call with its
 * errno, and each file's mode and type, the same natively and in the
 * sandbox.  Run in a directory of its own; leaves it as it found it
 * but for what the script made there.
 *
 *   guest_mkrm DIR		the calls below DIR (made first)
 *   guest_mkrm -u DIR NAME	mkdir and rmdir of DIR/NAME: NAME is in
 *				another member of a union at DIR
 *   guest_mkrm -s DIR		mkdir, rename, open, unlink and rmdir
 *				of names with trailing slashes in DIR
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[4096];

static void
say(const char *what, const char *p, int r)
{
	printf("%s %s: %s\n", what, p, r < 0 ? strerror(errno) : "ok");
}

static void
kind(const char *p)
{
	struct stat st;

	if(lstat(p, &st) < 0)
		printf("lstat %s: %s\n", p, strerror(errno));
	else
		printf("lstat %s: %s %04o\n", p, S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : S_ISREG(st.st_mode) ? "file" : "other", (unsigned)st.st_mode & 07777);
}

/* path = DIR/x/x/.../x (depth x's), then leaf if not NULL */
static char *
deep(const char *dir, int depth, const char *leaf)
{
	int n, i;

	n = snprintf(path, sizeof path, "%s", dir);
	for(i = 0; i < depth; i++)
		n += snprintf(path + n, sizeof path - n, "/x");
	if(leaf != NULL)
		snprintf(path + n, sizeof path - n, "/%s", leaf);
	return path;
}

static void
calls(const char *dir)
{
	char p[4200];
	int i, fd;

	umask(022);
	say("mkdir", dir, mkdir(dir, 0755));
	for(i = 1; i <= 40; i++)
		if(mkdir(deep(dir, i, NULL), 0750) < 0)
			say("mkdir", path, -1);
	kind(deep(dir, 40, NULL));
	say("mkdir again", "x40", mkdir(deep(dir, 40, NULL), 0755));
	say("mkdir in missing", "x40/no/y", mkdir(deep(dir, 40, "no/y"), 0755));
	fd = open(deep(dir, 40, "f"), O_CREAT | O_EXCL | O_WRONLY, 0666);
	say("creat excl", "x40/f", fd);
	close(fd);
	kind(path);
	say("creat excl again", "x40/f", open(path, O_CREAT | O_EXCL | O_WRONLY, 0666));
	say("mkdir on file", "x40/f", mkdir(path, 0755));
	say("mkdir under file", "x40/f/y", mkdir(deep(dir, 40, "f/y"), 0755));
	say("rmdir of file", "x40/f", rmdir(deep(dir, 40, "f")));
	say("symlink", "x40/l -> f", symlink("f", deep(dir, 40, "l")));
	say("symlink", "x40/dl -> nowhere", symlink("nowhere", deep(dir, 40, "dl")));
	say("symlink", "x40/dirl -> .", symlink(".", deep(dir, 40, "dirl")));
	say("mkdir on link", "x40/l", mkdir(deep(dir, 40, "l"), 0755));
	say("mkdir on dangling", "x40/dl", mkdir(deep(dir, 40, "dl"), 0755));
	snprintf(p, sizeof p, "%s/..", deep(dir, 39, NULL));
	say("rmdir dotdot", "x39/..", rmdir(p));
	say("creat excl on link", "x40/l", open(deep(dir, 40, "l"), O_CREAT | O_EXCL | O_WRONLY, 0666));
	say("creat excl on dangling", "x40/dl", open(deep(dir, 40, "dl"), O_CREAT | O_EXCL | O_WRONLY, 0666));
	/* without O_EXCL a dangling link's target is made, through a chain
	 * of links too; a loop is ELOOP, a target in no directory ENOENT */
	fd = open(deep(dir, 40, "dl"), O_CREAT | O_WRONLY, 0640);
	say("creat on dangling", "x40/dl", fd);
	close(fd);
	kind(deep(dir, 40, "nowhere"));
	say("unlink", "x40/nowhere", unlink(path));
	say("symlink", "x40/dl2 -> dl", symlink("dl", deep(dir, 40, "dl2")));
	fd = open(path, O_CREAT | O_RDWR, 0600);
	say("creat on a chain", "x40/dl2", fd);
	close(fd);
	kind(deep(dir, 40, "nowhere"));
	say("unlink", "x40/nowhere", unlink(path));
	say("unlink", "x40/dl2", unlink(deep(dir, 40, "dl2")));
	say("symlink", "x40/loop -> loop", symlink("loop", deep(dir, 40, "loop")));
	say("creat on a loop", "x40/loop", open(path, O_CREAT | O_WRONLY, 0600));
	say("unlink", "x40/loop", unlink(path));
	say("symlink", "x40/dm -> no/where", symlink("no/where", deep(dir, 40, "dm")));
	say("creat on dangling in no dir", "x40/dm", open(path, O_CREAT | O_WRONLY, 0600));
	say("unlink", "x40/dm", unlink(path));
	say("rmdir of link to dir", "x40/dirl", rmdir(deep(dir, 40, "dirl")));
	/* through the symlinked directory: x40/dirl/new is x40/new */
	say("mkdir through link", "x40/dirl/new", mkdir(deep(dir, 40, "dirl/new"), 0700));
	kind(deep(dir, 40, "new"));
	say("rmdir through link", "x40/dirl/new", rmdir(deep(dir, 40, "dirl/new")));
	kind(deep(dir, 40, "new"));
	say("rmdir not empty", "x39", rmdir(deep(dir, 39, NULL)));
	say("unlink of dir", "x40", unlink(deep(dir, 40, NULL)));
	say("unlink of link", "x40/l", unlink(deep(dir, 40, "l")));
	kind(deep(dir, 40, "f"));
	say("unlink", "x40/f", unlink(deep(dir, 40, "f")));
	say("unlink again", "x40/f", unlink(deep(dir, 40, "f")));
	say("unlink", "x40/dl", unlink(deep(dir, 40, "dl")));
	say("unlink", "x40/dirl", unlink(deep(dir, 40, "dirl")));
	say("rmdir missing", "x40/f", rmdir(deep(dir, 40, "f")));
	snprintf(p, sizeof p, "%s/.", deep(dir, 40, NULL));
	say("rmdir dot", "x40/.", rmdir(p));
	for(i = 40; i >= 1; i--)
		if(rmdir(deep(dir, i, NULL)) < 0)
			say("rmdir", path, -1);
	say("rmdir", dir, rmdir(dir));
	say("rmdir of the root", "/", rmdir("/"));
	say("rmdir of the root", "//", rmdir("//"));
	say("unlink of the root", "/", unlink("/"));
	kind(dir);
}

/* In dir (made first, removed after): a directory d, a file f, a link
 * dl to d and fl to f.  Each call names them with trailing slashes. */
static char *
at(const char *dir, const char *name)
{
	static char b[4][1100];
	static int i;
	char *p = b[i++ & 3];

	snprintf(p, sizeof b[0], "%s/%s", dir, name);
	return p;
}

static void
slashes(const char *dir)
{
	int fd;

	umask(022);
	say("mkdir", dir, mkdir(dir, 0755));
	say("mkdir", "d/", mkdir(at(dir, "d/"), 0755));
	kind(at(dir, "d"));
	say("mkdir again", "d/", mkdir(at(dir, "d/"), 0755));
	say("mkdir", "e//", mkdir(at(dir, "e//"), 0755));
	kind(at(dir, "e"));
	close(open(at(dir, "f"), O_CREAT | O_WRONLY, 0644));
	say("symlink", "dl -> d", symlink("d", at(dir, "dl")));
	say("symlink", "fl -> f", symlink("f", at(dir, "fl")));
	say("mkdir on a file", "f/", mkdir(at(dir, "f/"), 0755));
	say("mkdir on a link to a dir", "dl/", mkdir(at(dir, "dl/"), 0755));
	say("mkdir on a dangling link", "nl/", (symlink("nowhere", at(dir, "nl")), mkdir(at(dir, "nl/"), 0755)));
	kind(at(dir, "nowhere"));
	rmdir(at(dir, "nowhere"));
	unlink(at(dir, "nl"));

	/* rename: a directory may have them on either name; a file not */
	say("rename dir", "d/ -> d2/", rename(at(dir, "d/"), at(dir, "d2/")));
	kind(at(dir, "d2"));
	say("rename dir", "d2 -> d/", rename(at(dir, "d2"), at(dir, "d/")));
	say("rename dir", "d// -> d2", rename(at(dir, "d//"), at(dir, "d2")));
	say("rename dir", "d2/ -> d", rename(at(dir, "d2/"), at(dir, "d")));
	kind(at(dir, "d"));
	say("rename dir onto an empty dir", "e/ -> d/", rename(at(dir, "e/"), at(dir, "d/")));
	kind(at(dir, "e"));
	say("mkdir", "e", mkdir(at(dir, "e"), 0755));
	say("rename file", "f/ -> g", rename(at(dir, "f/"), at(dir, "g")));
	say("rename file", "f -> g/", rename(at(dir, "f"), at(dir, "g/")));
	say("rename file", "f/ -> g/", rename(at(dir, "f/"), at(dir, "g/")));
	kind(at(dir, "f"));
	say("rename file onto a dir", "f -> e/", rename(at(dir, "f"), at(dir, "e/")));
	say("rename dir onto a file", "e/ -> f", rename(at(dir, "e/"), at(dir, "f")));
	say("rename dir onto a file", "e -> f/", rename(at(dir, "e"), at(dir, "f/")));
	say("rename link to a dir", "dl/ -> dl2", rename(at(dir, "dl/"), at(dir, "dl2")));
	say("rename link to a file", "fl/ -> fl2", rename(at(dir, "fl/"), at(dir, "fl2")));
	say("rename missing", "no/ -> x", rename(at(dir, "no/"), at(dir, "x")));
	say("rename missing onto itself", "no -> no", rename(at(dir, "no"), at(dir, "no")));
	say("rename file onto itself", "f/ -> f", rename(at(dir, "f/"), at(dir, "f")));
	say("rename file onto itself", "f -> f", rename(at(dir, "f"), at(dir, "f")));
	say("rename dir onto itself", "d/ -> d", rename(at(dir, "d/"), at(dir, "d")));
	say("renameat dir", "d/ -> d2/", renameat(AT_FDCWD, at(dir, "d/"), AT_FDCWD, at(dir, "d2/")));
	say("renameat dir", "d2/ -> d", renameat(AT_FDCWD, at(dir, "d2/"), AT_FDCWD, at(dir, "d")));
	say("rename into a missing dir", "e -> no/x/", rename(at(dir, "e"), at(dir, "no/x/")));
	kind(at(dir, "dl"));
	kind(at(dir, "fl"));

	/* open */
	fd = open(at(dir, "f/"), O_RDONLY);
	say("open file", "f/", fd);
	close(fd);
	fd = open(at(dir, "d/"), O_RDONLY);
	say("open dir", "d/", fd);
	close(fd);
	fd = open(at(dir, "dl/"), O_RDONLY);
	say("open link to a dir", "dl/", fd);
	close(fd);
	fd = open(at(dir, "fl/"), O_RDONLY);
	say("open link to a file", "fl/", fd);
	close(fd);
	say("open creat new", "n/", open(at(dir, "n/"), O_CREAT | O_WRONLY, 0644));
	kind(at(dir, "n"));
	say("open creat file", "f/", open(at(dir, "f/"), O_CREAT | O_WRONLY, 0644));
	say("open creat dir", "d/", open(at(dir, "d/"), O_CREAT | O_RDONLY, 0644));
	say("open creat excl dir", "d/", open(at(dir, "d/"), O_CREAT | O_EXCL | O_RDONLY, 0644));
	say("open dir for writing", "d/", open(at(dir, "d/"), O_WRONLY));

	/* unlink, rmdir */
	say("unlink file", "f/", unlink(at(dir, "f/")));
	say("unlink dir", "d/", unlink(at(dir, "d/")));
	say("unlink link to a file", "fl/", unlink(at(dir, "fl/")));
	say("unlink link to a dir", "dl/", unlink(at(dir, "dl/")));
	say("unlink missing", "no/", unlink(at(dir, "no/")));
	say("rmdir file", "f/", rmdir(at(dir, "f/")));
	say("rmdir link to a dir", "dl/", rmdir(at(dir, "dl/")));
	say("rmdir missing", "no/", rmdir(at(dir, "no/")));
	kind(at(dir, "fl"));
	kind(at(dir, "dl"));
	kind(at(dir, "f"));
	say("rmdir dir", "d/", rmdir(at(dir, "d/")));
	say("rmdir dir", "e//", rmdir(at(dir, "e//")));
	kind(at(dir, "d"));
	kind(at(dir, "e"));
	unlink(at(dir, "fl"));
	unlink(at(dir, "dl"));
	unlink(at(dir, "f"));
	say("rmdir", dir, rmdir(dir));
}

int
main(int argc, char **argv)
{
	char p[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc == 4 && strcmp(argv[1], "-u") == 0){
		snprintf(p, sizeof p, "%s/%s", argv[2], argv[3]);
		say("mkdir where another member has it", argv[3], mkdir(p, 0755));
		snprintf(p, sizeof p, "%s/%s-new", argv[2], argv[3]);
		say("mkdir", "new", mkdir(p, 0755));
		kind(p);
		say("rmdir", "new", rmdir(p));
		kind(p);
		return 0;
	}
	if(argc == 3 && strcmp(argv[1], "-s") == 0){
		slashes(argv[2]);
		return 0;
	}
	if(argc != 2){
		fprintf(stderr, "usage: guest_mkrm DIR | -u DIR NAME | -s DIR\n");
		return 2;
	}
	calls(argv[1]);
	return 0;
}
