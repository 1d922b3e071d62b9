/* kern_fs.c — #U: host files through the namespace, errors mapped to
 * Inferno's wording, wstat, and every way out of the directory closed:
 * `..`, absolute and relative symlinks (resolved as in a chroot at the
 * top), symlink chains, magic links, and a directory renamed away while
 * in use. */
#include <pwd.h>
#include <sys/inotify.h>
#include <sys/sysmacros.h>
#include "kern_test.h"

static char outside[300];

static void
setup(void)
{
	char p[600];
	kt_hmkdir("d"); kt_hmkdir("d/sub"); kt_hwrite("d/sub/f", "inside");
	kt_hwrite("file", "0123456789");
	kt_hmkdir("full"); kt_hwrite("full/x", "x");
	/* a secret next to the root, and a copy of the root's layout outside */
	snprintf(outside, sizeof outside, "%s.out", kt_root);
	mkdir(outside, 0755);
	snprintf(p, sizeof p, "%s/secret", outside);
	{ FILE *f = fopen(p, "w"); fputs("SECRET", f); fclose(f); }
	snprintf(p, sizeof p, "%s/secret", outside);
	symlink(p, kt_hpath("abs"));			/* absolute, outside */
	symlink("../", kt_hpath("up"));			/* relative, outside */
	{
		char rel[400];
		snprintf(rel, sizeof rel, "../%s/secret", strrchr(outside, '/') + 1);
		symlink(rel, kt_hpath("rel"));		/* relative, to the secret */
	}
	symlink("c2", kt_hpath("c1"));			/* chain: c1 -> c2 -> c3 -> outside */
	symlink("c3", kt_hpath("c2"));
	symlink("d/../../", kt_hpath("c3"));
	symlink("d/sub/f", kt_hpath("good"));		/* stays inside */
	symlink("/proc/self/root", kt_hpath("magic"));	/* a magic link */
	symlink("d/sub", kt_hpath("gooddir"));
	symlink("/d/sub/f", kt_hpath("absin"));		/* absolute: from the top */
	symlink("/d/../gooddir/", kt_hpath("absdir"));
}

static void
plain(void)
{
	Dir *d;
	int fd;
	char buf[32];
	isstr(kt_read("/file"), "0123456789", "read a host file through / (#U unioned)");
	isstr(kt_read("#U/file"), "0123456789", "and through #U");
	isstr(kt_read("/d/sub/f"), "inside", "nested");
	fd = kopen("/file", OREAD);
	ok(kseek(fd, -3, KSEEKEND) == 7 && kread(fd, buf, 10) == 3 && memcmp(buf, "789", 3) == 0, "seek from the end");
	ok(kpread(fd, buf, 2, 1) == 2 && memcmp(buf, "12", 2) == 0, "pread");
	kclose(fd);
	d = kdirstat("/file");
	ok(d != NULL && d->length == 10 && strcmp(d->name, "file") == 0 && d->type == 'U' && !(d->mode & DMDIR), "stat a file");
	isstr(d != NULL ? d->uid : NULL, getpwuid(geteuid())->pw_name, "uid is the owner's name");
	free(d);
	d = kdirstat("/d");
	ok(d != NULL && (d->mode & DMDIR) && (d->qid.type & QTDIR), "stat a directory");
	free(d);
	ok(kt_create("/newf", ORDWR, 0640, "made") == 0, "create a file at / (goes to #U: MCREATE)");
	isstr(kt_hread("newf"), "made", "it is on the host");
	{
		struct stat st;
		ok(stat(kt_hpath("newf"), &st) == 0 && (st.st_mode & 0777) == (0640 & ~umask(022)), "with the mode asked");
		umask(022);
	}
	fd = kcreate("/newd", OREAD, DMDIR|0755);
	ok(fd >= 0, "create a directory");
	kclose(fd);
	ok(kt_create("/newd/in", OWRITE, 0644, "z") == 0 && strcmp(kt_hread("newd/in"), "z") == 0, "a file in it");
	isstr(kt_ls("/newd"), "in", "ls it");
	kt_fails(kremove("/newd"), "directory not empty", "remove a non-empty directory");
	ok(kremove("/newd/in") == 0 && kremove("/newd") == 0, "remove file then directory");
	kt_fails(kopen("/nonesuch", OREAD), "file does not exist", "open a missing file");
	kt_fails(kopen("/file/x", OREAD), "not a directory", "walk through a file");
	kt_fails(kopen("/d", OWRITE), "is a directory", "open a directory for writing");
	kt_fails(kcreate("/file", OWRITE|OEXCL, 0644), "file already exists", "exclusive create of an existing file");
	kt_fails(kcreate("/nodir/x", OWRITE, 0644), "file does not exist", "create in a missing directory");
	{
		Dir nd;
		nulldir(&nd);
		nd.name = "renamed";
		ok(kdirwstat("/newf", &nd) == 0 && kt_hread("renamed") != NULL && kt_hread("newf") == NULL, "wstat renames");
		nulldir(&nd);
		nd.length = 2;
		ok(kdirwstat("/renamed", &nd) == 0 && strcmp(kt_hread("renamed"), "ma") == 0, "wstat truncates");
		nulldir(&nd);
		nd.mode = 0600;
		d = NULL;
		ok(kdirwstat("/renamed", &nd) == 0 && (d = kdirstat("/renamed")) != NULL && (d->mode & 0777) == 0600, "wstat chmods");
		free(d);
		nulldir(&nd);
		nd.name = "file";
		kt_fails(kdirwstat("/renamed", &nd), "file already exists", "rename onto an existing file");
		nulldir(&nd);
		nd.name = "a/b";
		kt_fails(kdirwstat("/renamed", &nd), "bad character in file name", "rename with a slash");
		nulldir(&nd);
		nd.mode = DMDIR|0755;
		kt_fails(kdirwstat("/renamed", &nd), "permission denied", "make a file a directory");
		ok(kremove("/renamed") == 0, "remove it");
	}
	fd = kcreate("/tmpf", ORDWR|ORCLOSE, 0600);
	ok(fd >= 0 && kt_hread("tmpf") != NULL, "create ORCLOSE");
	kclose(fd);
	ok(kt_hread("tmpf") == NULL, "removed at close");
	isstr(kt_read("/good"), "inside", "a symlink that stays inside is followed");
	isstr(kt_ls("/gooddir"), "f", "a directory symlink inside too");
	isstr(kt_read("/absin"), "inside", "an absolute symlink is resolved from the top, as in a chroot");
	isstr(kt_ls("#U/absdir"), "f", "an absolute one through `..` and another symlink");
}

/* Symbolic links made and looked at through the namespace: at /, a
 * union of #/ (no links) and #U, #U's member answers. */
static void
links(void)
{
	char buf[64];
	Dir *d;
	long n;
	ok(ksymlink("file", "/toplink") == 0, "ksymlink at /, a union: made in #U");
	d = klstatx("/toplink", NULL);
	ok(d != NULL && d->mode == (DMSYMLINK | 0777) && d->length == 4, "klstatx shows the link itself");
	free(d);
	d = kdirstat("/toplink");
	ok(d != NULL && d->length == 10 && !(d->mode & DMSYMLINK), "kdirstat follows it");
	free(d);
	n = kreadlink("/toplink", buf, sizeof buf);
	ok(n == 4 && memcmp(buf, "file", 4) == 0, "kreadlink");
	d = klstatx("/dev", NULL);
	ok(d != NULL && (d->mode & DMDIR), "klstatx of a name of #/ is its stat");
	free(d);
	kt_fails(kreadlink("/file", buf, sizeof buf), "not a symbolic link", "kreadlink of a file: #U says it is no link");
	kt_fails(kreadlink("/dev", buf, sizeof buf), "bad arg", "of a name of #/, the union's first member, without links");
	kt_fails(ksymlink("x", "/dev"), "file already exists", "ksymlink over a name of #/");
	kt_fails(ksymlink("x", "/toplink"), "file already exists", "ksymlink over a name");
	kt_fails(ksymlink("x", "#c/link"), "Operation not permitted", "ksymlink where the device has no links");
	ok(ksymlink("nowhere", "/dangling") == 0 && kremovelink("/dangling") == 0 && kt_hread("dangling") == NULL
		&& access(kt_hpath("dangling"), F_OK) < 0, "kremovelink removes one that leads nowhere");
	ok(kremove("/toplink") == 0 && kt_hread("file") != NULL, "kremove through a link removes the link, not the file");
}

static void
escapes(void)
{
	char *s;
	isstr(kt_ls("#U/.."), kt_ls("#U"), "#U/.. is #U");
	isstr(kt_ls("#U/../../.."), kt_ls("#U"), "#U/../../.. is #U");
	isstr(kt_ls("#U/d/../../.."), kt_ls("#U"), "down and further up is still #U");
	/* the ways out resolve inside, as a chroot at the top resolves them */
	kt_fails(kopen("#U/abs", OREAD), "file does not exist", "absolute symlink out: its path under the top");
	kt_fails(kopen("#U/up/secret", OREAD), "file does not exist", "symlink to ../: the top");
	isstr(kt_ls("#U/up"), kt_ls("#U"), "which lists as the top");
	kt_fails(kopen("#U/rel", OREAD), "file does not exist", "relative symlink to the secret");
	isstr(kt_ls("#U/c1"), kt_ls("#U"), "a symlink chain past the top ends at the top");
	kt_fails(kopen("#U/c1/secret", OREAD), "file does not exist", "symlink chain as a directory");
	s = kt_read("#U/magic/etc/hostname");
	ok(s == NULL, "magic link /proc/self/root refused (%s)", kt_err());
	ok(kt_entmode("#U", "abs") == (DMSYMLINK | 0777) && kt_entmode("#U", "up") == (DMSYMLINK | 0777)
		&& kt_entmode("#U", "d") == (DMDIR | 0755), "a listing shows a symlink as itself, one that leads nowhere too");
	{
		int fd = kcreate("#U/up/new", OWRITE, 0644);
		ok(fd >= 0 && kt_hread("new") != NULL, "create through a symlink to ../ makes the file at the top");
		if(fd >= 0)
			kclose(fd);
		kremove("/new");
	}
	ok(access(kt_hpath("../new"), F_OK) < 0, "nothing was created outside");
	kt_fails(kremove("#U/up/secret"), "file does not exist", "remove through a symlink out");
	kt_fails(kbind("#U/rel", "/n", MREPL), "file does not exist", "bind through a symlink out");
	kt_fails(kopen("#U/d/sub/../../../secret", OREAD), "file does not exist", "lexical .. never passes the top");
}

static void
renamed(void)
{
	char to[600], p[700];
	int fd;
	/* cd into d/sub, then move d out of the root on the host */
	ok(kchdir("/d/sub") == 0, "cd /d/sub");
	fd = kopen(".", OREAD);
	ok(fd >= 0, "open . as well");
	snprintf(to, sizeof to, "%s/d", outside);
	ok(rename(kt_hpath("d"), to) == 0, "host renames d outside the root");
	snprintf(p, sizeof p, "%s/sub/f2", to);
	{ FILE *f = fopen(p, "w"); fputs("OUTSIDE", f); fclose(f); }
	kt_fails(kopen("f2", OREAD), "file does not exist", "a file in the moved directory is not reachable");
	{
		/* its entries are stat'd relative to the open directory: only
		 * while rel still names it */
		Dir *dd = NULL;
		long i, nd = kdirread(fd, &dd);
		int seen = 0;
		for(i = 0; i < nd; i++)
			if(strcmp(dd[i].name, "f2") == 0)
				seen = 1;
		ok(nd <= 0 && !seen, "listing the moved directory (open before the move) shows nothing (%s)", kt_err());
		free(dd);
	}
	kt_fails(kopen("f", OREAD), "file does not exist", "nor the old one");
	kt_fails(kcreate("g", OWRITE, 0644), "file does not exist", "create in it fails");
	snprintf(p, sizeof p, "%s/sub/g", to);
	ok(access(p, F_OK) < 0, "nothing created outside");
	kt_fails(kchdir(".."), "file does not exist", "cd .. from the moved directory");
	/* a new d inside the root is what the names now mean */
	kt_hmkdir("d"); kt_hmkdir("d/sub"); kt_hwrite("d/sub/f", "new inside");
	isstr(kt_read("f"), "new inside", "the names resolve inside the root again");
	kclose(fd);
	ok(kchdir("/") == 0, "cd /");
}

/* How many opens of a watched node the host saw since the last call. */
static int
hostopens(int in)
{
	char buf[4096] __attribute__((aligned(8)));
	struct inotify_event *e;
	long r, off;
	int n = 0;

	while((r = read(in, buf, sizeof buf)) > 0)
		for(off = 0; off < r; off += sizeof *e + e->len){
			e = (struct inotify_event*)(buf + off);
			n += (e->mask & IN_OPEN) != 0;
		}
	return n;
}

/*
 * A node the kernel does not serve as a host file (a FIFO: the kernel's
 * own named pipe; a device: refused) must not be opened on the host to
 * find out what it is: a device's driver acts on an open (a watchdog
 * starts), and a host process blocked in a FIFO's open would be let go
 * by a guest's reader.  inotify tells whether the host saw an open.
 */
static void
hostnodes(void)
{
	int in, fd, nopen;

	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	mkfifo(kt_hpath("hfifo"), 0666);
	if(in < 0 || inotify_add_watch(in, kt_hpath("hfifo"), IN_OPEN) < 0){
		ok(1, "a host FIFO is not opened on the host # skip no inotify");
		ok(1, "a host device node is not opened on the host # skip no inotify");
		return;
	}
	hostopens(in);
	knowait(1);
	fd = kopen("/hfifo", OREAD);
	knowait(0);
	nopen = hostopens(in);
	ok(fd >= 0 && nopen == 0, "a host FIFO opened for reading is the kernel's named pipe, not opened on the host (%d host opens)", nopen);
	if(fd >= 0)
		kclose(fd);
	if(geteuid() != 0 || mknod(kt_hpath("hnull"), S_IFCHR | 0666, makedev(1, 3)) < 0
	|| inotify_add_watch(in, kt_hpath("hnull"), IN_OPEN) < 0){
		ok(1, "a host device node is not opened on the host # skip not root: no device node made");
		close(in);
		return;
	}
	fd = kopen("/hnull", OREAD);
	nopen = hostopens(in);
	ok(fd < 0 && nopen == 0, "a host device node is refused (%s) without an open on the host (%d host opens)", kt_err(), nopen);
	if(fd >= 0)
		kclose(fd);
	close(in);
}

int
main(void)
{
	kt_init(0, NULL);
	setup();
	plain();
	links();
	escapes();
	renamed();
	hostnodes();
	{
		char cmd[700];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", outside);
		if(system(cmd) != 0)
			diag("cleanup of %s failed", outside);
	}
	return done_testing();
}
