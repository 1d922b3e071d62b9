/* kern_walk.c — walks of several names at once: #U's cost per name (host
 * calls counted by fshostcalls), mount points met inside a run of names,
 * and the ways out of the tree tried in the middle of a long walk. */
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "kern_test.h"

long fshostcalls(void);	/* libkern/devfs.c */
long fstopwalks(void);	/* libkern/devfs.c */
extern int walkbynames;	/* libkern/namec.c */

static char outside[300];

static void
setup(void)
{
	char p[700];
	int i;
	/* a/b/c/d/e/f/g/h, a file at each depth */
	p[0] = 0;
	for(i = 0; i < 8; i++){
		size_t n = strlen(p);
		snprintf(p + n, sizeof p - n, "%s%c", i ? "/" : "", 'a' + i);
		kt_hmkdir(p);
	}
	kt_hwrite("a/b/c/f", "three");
	kt_hwrite("a/b/c/d/e/f/g/h/f", "eight");
	/* a mount point in the middle of a run: m/a/b/f on the host, over/b/f bound on m/a */
	kt_hmkdir("m"); kt_hmkdir("m/a"); kt_hmkdir("m/a/b"); kt_hwrite("m/a/b/f", "host");
	kt_hmkdir("m/a/only"); kt_hwrite("m/a/only/f", "hidden");
	kt_hmkdir("over"); kt_hmkdir("over/b"); kt_hwrite("over/b/f", "mounted");
	kt_hmkdir("over/deep"); kt_hwrite("over/deep/f", "deep");
	/* outside the root, and symlinks in the middle of a walk */
	snprintf(outside, sizeof outside, "%s.out", kt_root);
	mkdir(outside, 0755);
	snprintf(p, sizeof p, "%s/sub", outside);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/sub/secret", outside);
	{ FILE *f = fopen(p, "w"); fputs("SECRET", f); fclose(f); }
	symlink(outside, kt_hpath("a/b/abs"));			/* absolute, out */
	{
		char rel[400];
		snprintf(rel, sizeof rel, "../../../%s", strrchr(outside, '/') + 1);
		symlink(rel, kt_hpath("a/b/rel"));		/* relative, out */
	}
	symlink("../../..", kt_hpath("a/b/c/top"));		/* to the top: inside */
	symlink("../../../..", kt_hpath("a/b/c/above"));	/* one past the top */
	symlink("c/d", kt_hpath("a/b/in"));			/* inside, mid-walk */
	symlink("/proc/self/root", kt_hpath("a/b/magic"));
	symlink("/a/b/c", kt_hpath("a/b/fromtop"));		/* absolute, from the top */
	symlink("loop", kt_hpath("a/b/loop"));
}

/* Host calls to stat path. */
static long
statcost(char *path)
{
	long n = fshostcalls();
	Dir *d = kdirstat(path);
	n = fshostcalls() - n;
	ok(d != NULL, "stat %s (%ld host calls)", path, n);
	free(d);
	return n;
}

/* What readlink says of path: the target, or '!' and the error. */
static void
readlinkof(char *path, char out[ERRMAX])
{
	long n;

	n = kreadlink(path, out, ERRMAX - 1);
	if(n >= 0)
		out[n] = 0;
	else{
		out[0] = '!';
		snprintf(out + 1, ERRMAX - 1, "%.120s", kt_err());
	}
}

/* Host calls to readlink path; *n the length or -1. */
static long
readlinkcost(char *path, long *n)
{
	char buf[300];
	long c = fshostcalls();

	*n = kreadlink(path, buf, sizeof buf);
	return fshostcalls() - c;
}

/*
 * A link op (readlink, lstat …) on a name: its directory's walk keeps the
 * descriptor and stat it found (Wlinkdir) for the op, which resolved the
 * directory's path again (openat2, fstat for the host /proc check, the
 * op, close: 3 + 4 host calls where it is no link).  A lstat needs no
 * stat of the directory (Wlinkstat): 3.  A name at the top
 * is looked at through the top's own descriptor: one host call.  Where
 * the tree's file system has no block device, the check asks fstatfs.
 */
static void
linkcost(void)
{
	struct stat tst;
	long c, n, k = stat(kt_root, &tst) == 0 && major(tst.st_dev) == 0;
	Dir *d;

	c = readlinkcost("/a/b/c/d", &n);
	ok(n < 0 && strcmp(kt_err(), "not a symbolic link") == 0 && c == 4 + k,
		"readlink of a directory four names deep: %ld host calls (%ld)", 4 + k, c);
	c = readlinkcost("/a/b/c/f", &n);
	ok(n < 0 && c == 4 + k, "of a file (%ld)", c);
	c = readlinkcost("/a/b/in", &n);
	ok(n == 3 && c == 4 + k, "of a link: the same (%ld)", c);
	c = readlinkcost("/a", &n);
	ok(n < 0 && strcmp(kt_err(), "not a symbolic link") == 0 && c == 1, "at the top: one host call (%ld)", c);
	c = readlinkcost("/a/b/nonesuch/x", &n);
	ok(n < 0 && strcmp(kt_err(), "file does not exist") == 0 && c == 1,
		"in a directory that is not there: the walk's openat2 (%ld)", c);
	c = readlinkcost("/a/b/c/f/x", &n);
	ok(n < 0 && strcmp(kt_err(), "not a directory") == 0, "in a file: not a directory (%ld host calls)", c);
	c = fshostcalls();
	d = klstatx("/a/b/in", NULL);
	c = fshostcalls() - c;
	ok(d != NULL && d->mode == (DMSYMLINK | 0777) && c == 3, "lstat of a link: 3 host calls, no fstat of its directory (%ld)", c);
	free(d);
	c = fshostcalls();
	d = klstatx("/a/b/c/f", NULL);
	c = fshostcalls() - c;
	ok(d != NULL && !(d->mode & DMSYMLINK) && strcmp(d->name, "f") == 0 && c == 3, "of a file: 3 (%ld)", c);
	free(d);
	d = klstatx("/a/b/c/f/x", NULL);
	ok(d == NULL && strcmp(kt_err(), "not a directory") == 0, "in a file: not a directory");
}

/*
 * A create 8 names deep resolves the directory's path from the top
 * once: its walk keeps the descriptor (Wlinkdir), the create's walk to
 * the name is an fstatat beside it and the create makes and opens the
 * file relative to it (it was 5 resolutions: the walk, the create's
 * walk, the create's check of the directory, its mkdirat, the open of
 * what it made).  A remove resolves the file's directory once too
 * (Wremove; it was 2: its walk, then the remove's directory).
 */
static void
mkrmcost(void)
{
	long t;
	int fd, r;

	t = fstopwalks();
	fd = kcreate("#U/a/b/c/d/e/f/g/h/new", OREAD | OEXCL, DMDIR | 0750);
	t = fstopwalks() - t;
	ok(fd >= 0 && t == 1, "mkdir 9 names deep: the path resolved once (%ld)", t);
	if(fd >= 0)
		kclose(fd);
	t = fstopwalks();
	fd = kcreate("#U/a/b/c/d/e/f/g/h/new", OREAD | OEXCL, DMDIR | 0750);
	t = fstopwalks() - t;
	ok(fd < 0 && strcmp(kt_err(), "file already exists") == 0 && t == 1, "again: there already, found beside the directory (%ld)", t);
	t = fstopwalks();
	fd = kcreate("#U/a/b/c/d/e/f/g/h/new/file", OWRITE | OEXCL, 0640);
	t = fstopwalks() - t;
	ok(fd >= 0 && t == 1, "a file in it: once (%ld)", t);
	if(fd >= 0)
		kclose(fd);
	t = fstopwalks();
	r = kremove("#U/a/b/c/d/e/f/g/h/new/file");
	t = fstopwalks() - t;
	ok(r == 0 && t == 1, "its remove: once (%ld)", t);
	t = fstopwalks();
	r = kremove("#U/a/b/c/d/e/f/g/h/new");
	t = fstopwalks() - t;
	ok(r == 0 && t == 1, "the directory's: once (%ld)", t);
	ok(kremove("#U/a/b/c/d/e/f/g/h/new") < 0 && strcmp(kt_err(), "file does not exist") == 0, "gone");
}

static void
cost(void)
{
	long c1, c4, c8;
	/* #U attached directly: no union at the top, the whole path is one run */
	c1 = statcost("#U/a");
	c4 = statcost("#U/a/b/c/d");
	c8 = statcost("#U/a/b/c/d/e/f/g/h");
	/* no mount point is on #U, so no qid on the way is needed: the
	 * attach's fstat of the top, then the whole path resolved by one
	 * openat2, an fstat and a close (Dev.walkpath), and the stat
	 * answered from the walk.  Name by name it was 1 + 3n-2. */
	ok(c1 <= 2, "one name from the top: two host calls (%ld)", c1);
	ok(c4 == 1 + 3, "four names: 1 + 3 host calls (%ld)", c4);
	ok(c8 == 1 + 3, "eight names: the same (%ld)", c8);
	isstr(kt_read("#U/a/b/c/d/e/f/g/h/f"), "eight", "read at depth eight");
	/* deeper than a 9P walk's sixteen names: still one resolution (runs
	 * of sixteen resolved the path from the top again for each) */
	{
		char p[200];
		long c;
		int i;

		strcpy(p, "#U");
		for(i = 0; i < 40; i++){
			strcat(p, "/z");
			kt_hmkdir(p + 3);
		}
		c = statcost(p);
		ok(c == 1 + 3, "forty names: 1 + 3 host calls (%ld)", c);
		strcat(p, "/../../z/z/../../../z");
		c = statcost(p);
		ok(c == 1 + 2*2 + 3, "then ../../z/z/../../../z: 1 + 2*2 + 3, a check that the path before each run of `..` is a directory (%ld)", c);
		c = statcost(p + 2);
		ok(c == 2*2 + 3, "the same from / (%ld)", c);
	}
	/* a failed name stops the walk where it fails */
	{
		long n = fshostcalls();
		kt_fails(kopen("#U/a/b/nonesuch/c/d/e", OREAD), "file does not exist", "a missing name mid-walk");
		ok(fshostcalls() - n <= 2, "and costs one openat2 after the attach (%ld)", fshostcalls() - n);
	}
	kt_fails(kopen("#U/a/b/c/f/x/y", OREAD), "not a directory", "a file mid-walk: not a directory");
	/* an open for reading is the walk's own openat2 (O_PATH) and its
	 * fstat (and an fstatfs of a file where the tree's file system has
	 * no block device: is it the host's /proc or the like?), then the
	 * open of that node (its /proc/self/fd name) and the close of the
	 * O_PATH descriptor: a node is never opened before it is known to
	 * be a file or directory */
	{
		struct stat tst;
		long n = fshostcalls(), want = 1 + 4 + (stat(kt_root, &tst) == 0 && major(tst.st_dev) == 0);
		int fd = kopen("#U/a/b/c/d/e/f/g/h/f", OREAD);
		ok(fd >= 0 && fshostcalls() - n == want, "open eight names deep: %ld host calls (%ld)", want, fshostcalls() - n);
		kclose(fd);
		n = fshostcalls();
		fd = kopen("#U/a/b/c/d", OREAD);
		ok(fd >= 0 && fshostcalls() - n == 1 + 4, "a directory too (%ld)", fshostcalls() - n);
		kclose(fd);
	}
	kt_fails(kopen("#U/a/b/c/d", OEXEC), "is a directory", "a directory opened to execute");
	kt_fails(kopen("#U/a/b/c/d", OWRITE), "is a directory", "or to write");
	kt_fails(kopen("#U/a/b/c/d", ORDWR), "is a directory", "or both");
	/* from the root, a union of #/ and #U: the first name and the rest
	 * in one step in #U, and the errors a walk name by name gives */
	{
		long n = fshostcalls();
		Dir *d = kdirstat("/a/b/c/d/e/f/g/h/f");
		ok(d != NULL && d->length == 5 && fshostcalls() - n == 3, "stat through the union at /: 3 host calls (%ld)",
			fshostcalls() - n);
		free(d);
	}
	kt_fails(kopen("/nonesuch/c/d", OREAD), "file does not exist", "through the union: the first name missing");
	kt_fails(kopen("/a/b/nonesuch/d", OREAD), "file does not exist", "a later one");
	kt_fails(kopen("/a/b/c/f/x", OREAD), "not a directory", "a file on the way");
	kt_fails(kopen("/a/b/abs/sub/secret", OREAD), "file does not exist", "a symlink out on the way: its path under the top");
	kt_fails(kopen("/a/b/c/above/x", OREAD), "file does not exist", "one past the top is the top");
	isstr(kt_read("/a/b/c/above/a/b/c/f"), "three", "and goes on from there");
	isstr(kt_read("/a/b/in/e/f/g/h/f"), "eight", "a symlink inside on the way");
	isstr(kt_read("/dev/../a/b/c/f"), "three", "a name of #/ first, then `..`, then #U's");
	/* . and .. in a run */
	isstr(kt_read("#U/a/./b/c/../c/./f"), "three", "./ and ../ inside a walk");
	isstr(kt_read("#U/a/b/c/d/e/../../../../../../a/b/c/f"), "three", "`..` back to the top and down again");
	/* a `..` that stays below the run's first name is the run's: the
	 * path before it resolved as a directory (openat2 and close), then
	 * the rest; name by name each `..` cost an openat2, fstat and close */
	{
		long n = fshostcalls();
		Dir *d = kdirstat("/a/b/c/d/e/f/../../../../../b/c/f");
		ok(d != NULL && d->length == 5 && fshostcalls() - n == 2 + 3,
			"stat of a/b/c/d/e/f/../../../../../b/c/f through the union: 2 + 3 host calls (%ld)", fshostcalls() - n);
		free(d);
		n = fshostcalls();
		kt_fails(kopen("/a/b/c/f/../f", OREAD), "not a directory", "a file before a `..`: not a directory");
		ok(fshostcalls() - n == 1, "found by the one openat2 (%ld)", fshostcalls() - n);
		kt_fails(kopen("/a/b/nonesuch/../c/f", OREAD), "file does not exist", "a missing name before a `..`");
	}
	linkcost();
}

static void
mounts(void)
{
	ok(kbind("/over", "/m/a", MREPL) == 0, "bind /over on /m/a");
	{
		/* a mount point on #U: a walk of a path at once first shows
		 * that it meets none on the way: the mount point is still
		 * at m/a (openat2, fstat, close), and the path is reached
		 * through directories alone (its openat2, fstat and close),
		 * where m/a is not on the way.  Name by name each name cost
		 * 3.  An open (which opens from the top) shows the
		 * directory so first: an openat2 and a close more. */
		long c4 = statcost("#U/a/b/c/d"), c8 = statcost("#U/a/b/c/d/e/f/g/h");
		ok(c4 == 1 + 3 + 3 && c8 == c4, "with a mount point on #U: 1 + 3 + 3 host calls at any depth (%ld, %ld)", c4, c8);
		{
			long n = fshostcalls();
			kt_fails(kopen("#U/a/b/c/d/nonesuch", OREAD), "file does not exist", "a missing name there");
			n = fshostcalls() - n;
			ok(n == 1 + 3 + 2 + 1, "an open of it: 1 + 3 + 2 + 1 host calls (%ld)", n);
			n = fshostcalls();
			{
				Dir *d = kdirstat("#U/a/b/c/d/nonesuch");
				n = fshostcalls() - n;
				ok(d == NULL && n == 1 + 3 + 1, "a stat: 1 + 3 + 1 (%ld)", n);
			}
		}
		walkbynames = 1;
		c4 = statcost("#U/a/b/c/d");
		c8 = statcost("#U/a/b/c/d/e/f/g/h");
		walkbynames = 0;
		ok(c8 - c4 == 3*4, "name by name each name costs 3 (%ld, %ld)", c4, c8);
		/* `..` in a run, as gcc's include path has: the path before
		 * the `..`s shown through directories alone (openat2, close)
		 * to meet no mount point; name by name it cost 3 a name */
		c4 = statcost("#U/a/b/c/f");
		c8 = statcost("#U/a/b/c/d/e/f/../../../f");
		ok(c8 == c4 + 2, "and with `..`s: the path before them once more, 2 (%ld, %ld)", c4, c8);
		kt_fails(kopen("#U/a/b/c/f/../f", OREAD), "not a directory", "a file before a `..`: not a directory");
		kt_fails(kopen("#U/a/b/nonesuch/../c/f", OREAD), "file does not exist", "a missing name before a `..`");
		isstr(kt_read("#U/m/a/b/../b/f"), "mounted", "a `..` from a name below the mount point: through it again");
		isstr(kt_read("#U/m/a/../a/b/f"), "mounted", "and from the mount point itself");
	}
	isstr(kt_read("/m/a/b/f"), "mounted", "a mount point in the middle of a walk whose names all exist below it too");
	isstr(kt_read("#U/m/a/b/f"), "mounted", "the mount is on the file: #U/m/a is mounted on too");
	isstr(kt_read("/m/a/deep/f"), "deep", "names that exist only in the mounted tree");
	kt_fails(kopen("/m/a/only/f", OREAD), "file does not exist", "names only under the mount point are hidden");
	isstr(kt_read("/m/a/b/../deep/f"), "deep", "`..` inside the mounted tree");
	isstr(kt_read("/m/a/../a/b/f"), "mounted", "`..` out of the mounted tree and back in");
	ok(kunmount(NULL, "/m/a") == 0, "unmount");
	isstr(kt_read("/m/a/b/f"), "host", "the host's file again");
	/* a mount point at the last name of a run, and one at the first */
	ok(kbind("/over/b", "/m/a/b", MREPL) == 0, "bind on the last directory of a run");
	isstr(kt_read("/m/a/b/f"), "mounted", "read through it");
	ok(kunmount(NULL, "/m/a/b") == 0, "unmount");
	ok(kbind("/over", "/m", MREPL) == 0, "bind on the first name");
	isstr(kt_read("/m/b/f"), "mounted", "read through it");
	kt_fails(kopen("/m/a/b/f", OREAD), "file does not exist", "the host's names under it are hidden");
	ok(kunmount(NULL, "/m") == 0, "unmount");
	/* a union of three at /: #U's over, the root device, #U */
	ok(kbind("#U/over", "/", MBEFORE) == 0, "bind #U/over before /");
	isstr(kt_read("/b/f"), "mounted", "a name of the first member");
	isstr(kt_read("/a/b/c/f"), "three", "names only the last member has");
	isstr(kt_read("/deep/f"), "deep", "the first member's again");
	kt_fails(kopen("/nonesuch/x", OREAD), "file does not exist", "a name no member has");
	kt_fails(kopen("/b/nonesuch", OREAD), "file does not exist", "a later name missing in the member with the first");
	kt_fails(kopen("/b/f/x", OREAD), "not a directory", "a file on the way in the first member");
	ok(kunmount("#U/over", "/") == 0, "unmount it");
}

static void
escapes(void)
{
	/* as in a chroot at the top */
	kt_fails(kopen("#U/a/b/abs/sub/secret", OREAD), "file does not exist", "absolute symlink out, mid-walk");
	kt_fails(kopen("#U/a/b/rel/sub/secret", OREAD), "file does not exist", "relative symlink out, mid-walk");
	kt_fails(kopen("#U/a/b/c/above/x", OREAD), "file does not exist", "a symlink one past the top, mid-walk");
	kt_fails(kopen("#U/a/b/magic/etc/hostname", OREAD), "file does not exist", "a magic link, mid-walk");
	isstr(kt_read("#U/a/b/fromtop/f"), "three", "an absolute symlink inside, mid-walk");
	ok(kdirstat("#U/a/b/abs/sub") == NULL, "no stat through a symlink out either");
	isstr(kt_read("#U/a/b/in/e/f/g/h/f"), "eight", "a symlink inside, mid-walk");
	isstr(kt_read("#U/a/b/in/e/../../c/f"), "three", "then `..`, lexical: a/b/in/e/../.. is a/b");
	isstr(kt_read("#U/a/b/c/top/a/b/c/f"), "three", "a symlink to the top, mid-walk");
	isstr(kt_read("#U/a/b/c/top/a/b/c/top/a/b/c/d/e/f/g/h/f"), "eight", "twice, in one long walk");
	kt_fails(kopen("#U/a/b/c/top/../../../secret", OREAD), "file does not exist", "`..` after a symlink never passes the top");
	ok(kt_entmode("#U/a/b", "abs") == (DMSYMLINK | 0777) && kt_entmode("#U/a/b", "magic") == (DMSYMLINK | 0777)
		&& kt_entmode("#U/a/b", "c") == (DMDIR | 0755), "the listing shows the symlinks as themselves");
}

/*
 * The mount driver walks a run of names in one Twalk.  An Rwalk that stops
 * short carries no error, so the failing name is asked alone: the guest
 * gets the server's own error for it.
 */
static void
ninep(void)
{
	int p[2];
	ok(kpipe(p) == 0 && kexport(p[0], "/", KEXPASYNC) == 0, "export / on a kernel pipe");
	kclose(p[0]);
	ok(kmount(p[1], -1, "/over", MREPL, "") == 0, "mount it on /over");
	kclose(p[1]);
	isstr(kt_read("/over/a/b/c/d/e/f/g/h/f"), "eight", "a long walk through the mount");
	isstr(kt_read("/over/a/b/c/../c/./f"), "three", ". and .. through the mount");
	kt_fails(kopen("/over/a/b/nonesuch/c", OREAD), "file does not exist", "a missing name in a run");
	kt_fails(kopen("/over/a/b/c/f/x/y", OREAD), "not a directory", "a file in a run");
	kt_fails(kopen("/over/a/b/loop/sub/secret", OREAD), "Too many levels of symbolic links",
		"a symlink loop in a run: the server's error for that name, not the short walk's");
	ok(kdirstat("/over/a/b/loop/sub") == NULL && strstr(kt_err(), "Too many levels") != NULL,
		"the same for a stat (%s)", kt_err());
	ok(kunmount(NULL, "/over") == 0, "unmount");
}

/*
 * A name that is a directory when fstatat looks at it and a symlink out
 * when the next directory is opened: a host thread swaps a/sw between the
 * two (renameat2 RENAME_EXCHANGE, atomic) while walks go through it.  No walk may ever
 * read the secret behind the symlink.
 */
static atomic_int swapping;

static void *
swapper(void *a)
{
	char sw[700], other[700];
	(void)a;
	snprintf(sw, sizeof sw, "%s", kt_hpath("a/sw"));
	snprintf(other, sizeof other, "%s", kt_hpath("a/swother"));
	while(atomic_load(&swapping))
		syscall(SYS_renameat2, AT_FDCWD, sw, AT_FDCWD, other, RENAME_EXCHANGE);
	return NULL;
}

static void
race(int mounted)
{
	char p[700];
	pthread_t t;
	int i, good = 0, secret = 0, other = 0;
	if(mounted)
		ok(kbind("/over", "/m/a", MREPL) == 0, "again with a mount point on #U (walks show they meet none first)");
	kt_hmkdir("a/sw");
	kt_hwrite("a/sw/f", "inside");
	snprintf(p, sizeof p, "%s/sub", outside);
	symlink(p, kt_hpath("a/swother"));
	snprintf(p, sizeof p, "%s/sub/f", outside);
	{ FILE *f = fopen(p, "w"); fputs("SECRET!!", f); fclose(f); }
	symlink("inside", kt_hpath("a/sw/l"));
	snprintf(p, sizeof p, "%s/sub/l", outside);
	symlink("SECRET", p);
	atomic_store(&swapping, 1);
	pthread_create(&t, NULL, swapper, NULL);
	for(i = 0; i < 5000; i++){
		char *s = kt_read("#U/a/sw/f");
		Dir *d = kdirstat("#U/a/sw/f");
		char l[ERRMAX];
		readlinkof(i & 1 ? "#U/a/sw/l" : "/a/sw/l", l);
		if(strncmp(l, "SECRET", 6) == 0)
			secret++;
		else if(l[0] != '!' && strcmp(l, "inside") != 0)
			other++;
		if(s != NULL && strcmp(s, "inside") == 0)
			good++;
		else if(s != NULL && strncmp(s, "SECRET", 6) == 0)
			secret++;
		else if(s != NULL)
			other++;
		if(d != NULL && d->length != 6)
			secret++;	/* the secret's stat (its length is 8) */
		free(d);
	}
	atomic_store(&swapping, 0);
	pthread_join(t, NULL);
	if(mounted)
		kunmount(NULL, "/m/a");
	/* the next round makes them again */
	unlink(kt_hpath("a/swother"));
	snprintf(p, sizeof p, "%s/sub/l", outside);
	unlink(p);
	unlink(kt_hpath("a/sw/l"));
	unlink(kt_hpath("a/sw/f"));
	rmdir(kt_hpath("a/sw"));
	ok(secret == 0 && other == 0, "5000 walks through a name swapped between a directory and a symlink out: "
		"never the secret, its stat nor its link (%d read inside, %d secret, %d other)", good, secret, other);
}

/*
 * The walk of a whole path at once (no mount point on #U) and the walk
 * name by name (one bound on a #U directory) must agree on every path:
 * the same file (qid) or the same error, for a stat and for an open,
 * and the same link or error for a readlink and an lstat (the first
 * keeps the directory's descriptor from its walk for the op).
 */
static char *paths[] = {
	"a/b/c/d/e/f/g/h/f", "a/b/c", "a/b/c/f", "a/b/nonesuch", "a/b/nonesuch/c", "a/b/c/f/x",
	"a/b/abs", "a/b/abs/sub/secret", "a/b/rel/sub", "a/b/c/above/x", "a/b/magic/etc",
	"a/b/in/e/f/g/h/f", "a/b/c/top/a/b/c/f", "a/b/in", "a/b/c/top", "nonesuch", "a/b/c/f/",
	"a//b///c", "a/./b/./c/f", "a/b/../b/c/f", "a/b/c/d/e/f/g/h/../../../../../../../../../x",
	"a/b/rel", "a/b/fromtop", "a/b/loop", "a/b/c/above", "a/b/in/e", "a/b/abs/sub", "a/b/magic", "a/b/in/e/../top",
	"a/b/c/d/../../c/f", "a/b/c/f/../d", "a/b/nonesuch/../c", "a/b/abs/../c", "a/b/in/../c/f", "a/b/c/above/../b",
	"a/b/loop/../c", "a/b/magic/../c", "a/b/c/d/e/../../../b/c/d/e/f/g/../../../../../f", "a/b/c/d/../../../a",
	/* through the mount point on m/a (when there is one) */
	"m/a/b/f", "m/a/deep/f", "m/a/only/f", "m/a/b", "m/a", "m/a/b/../deep/f", "m/a/../a/b/f", "m/nonesuch/x",
	"m/a/b/f/x", "m/a/nonesuch/f", "a/b/c/top/m/a/b/f", "a/b/fromtop/top/m/a/deep/f",
};
enum { Npaths = sizeof paths / sizeof paths[0] };

typedef struct Seen {
	char err[2][ERRMAX];
	uvlong qid[2];
	char link[ERRMAX];	/* readlink's target, or its error after a '!' */
	uvlong lqid;		/* lstat's qid, or 0 */
} Seen;

static void
look(Seen *s, int root)
{
	char p[300];
	int i, fd;
	for(i = 0; i < Npaths; i++){
		Dir *d;
		snprintf(p, sizeof p, "%s%s", root ? "/" : "#U/", paths[i]);
		memset(&s[i], 0, sizeof s[i]);
		d = kdirstat(p);
		if(d != NULL)
			s[i].qid[0] = d->qid.path;
		else
			snprintf(s[i].err[0], ERRMAX, "%s", kt_err());
		free(d);
		fd = kopen(p, OREAD);
		if(fd >= 0){
			d = kdirfstat(fd);
			s[i].qid[1] = d != NULL ? d->qid.path : 1;
			free(d);
			kclose(fd);
		}else
			snprintf(s[i].err[1], ERRMAX, "%s", kt_err());
		readlinkof(p, s[i].link);
		d = klstatx(p, NULL);
		s[i].lqid = d != NULL ? d->qid.path : 0;
		free(d);
	}
}

/* Paths of a and b that differ, from / (r) or #U; with nom, not those
 * through m/ (the one has a mount point there, the other not). */
static int
differ(Seen *a, Seen *b, int r, int nom)
{
	int i, bad = 0;

	for(i = 0; i < Npaths; i++){
		if(nom && strstr(paths[i], "m/") != NULL)
			continue;
		if(memcmp(&a[i], &b[i], sizeof(Seen)) != 0){
			diag("%s%s: %s %llx %s / %s %llx %s", r ? "/" : "#U/", paths[i], a[i].err[1], a[i].qid[1], a[i].link,
				b[i].err[1], b[i].qid[1], b[i].link);
			bad++;
		}
	}
	return bad;
}

/*
 * Three ways: no mount point on #U (the path at once), one on m/a (the
 * path at once where the walk can show that it meets none, else name by
 * name), and with that mount point every walk name by name.
 */
static void
agree(void)
{
	static Seen fast[2][Npaths], mid[2][Npaths], slow[2][Npaths];
	int r, bad;
	look(fast[0], 0);
	look(fast[1], 1);
	ok(kbind("/over", "/m/a", MREPL) == 0, "a mount point on #U");
	look(mid[0], 0);
	look(mid[1], 1);
	walkbynames = 1;
	look(slow[0], 0);
	look(slow[1], 1);
	walkbynames = 0;
	ok(kunmount(NULL, "/m/a") == 0, "unmount");
	for(r = 0; r < 2; r++){
		bad = differ(fast[r], slow[r], r, 1);
		ok(bad == 0, "from %s: each path the same file or error with no mount point on #U as name by name (%d differ)",
			r ? "/" : "#U", bad);
		bad = differ(mid[r], slow[r], r, 0);
		ok(bad == 0, "and with one on m/a, %d paths, at once where it meets none, as name by name (%d differ)",
			Npaths, bad);
	}
}

/*
 * A mount point is a directory, not a name: the host renames m/a, and
 * the walk through its new name still crosses into what is mounted (the
 * mount point is not where its Chan's path says: name by name); moved
 * under a directory that a walk of a path at once passes through, the
 * same.
 */
static void
moved(void)
{
	char from[700], to[700];

	ok(kbind("/over", "/m/a", MREPL) == 0, "bind /over on /m/a");
	snprintf(from, sizeof from, "%s", kt_hpath("m/a"));
	snprintf(to, sizeof to, "%s", kt_hpath("a/b/c/ma"));
	ok(rename(from, to) == 0, "the host moves m/a to a/b/c/ma");
	isstr(kt_read("#U/a/b/c/ma/b/f"), "mounted", "a walk through its new name crosses into the mount");
	isstr(kt_read("/a/b/c/ma/deep/f"), "deep", "from / too");
	kt_fails(kopen("/a/b/c/ma/only/f", OREAD), "file does not exist", "the host's names there stay hidden");
	isstr(kt_read("/a/b/fromtop/ma/b/f"), "mounted", "and through a symlink on the way (a/b/fromtop is /a/b/c)");
	ok(rename(to, from) == 0, "moved back");
	isstr(kt_read("/m/a/b/f"), "mounted", "crossed at m/a again");
	isstr(kt_read("/a/b/c/f"), "three", "and a walk elsewhere finds the host's file");
	ok(kunmount(NULL, "/m/a") == 0, "unmount");
}

int
main(void)
{
	kt_init(0, NULL);
	setup();
	cost();
	mkrmcost();
	agree();
	moved();
	mounts();
	escapes();
	ninep();
	race(0);
	race(1);
	{
		char cmd[700];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", outside);
		if(system(cmd) != 0)
			diag("cleanup of %s failed", outside);
	}
	return done_testing();
}
