/* kern_fsdir.c — more host directories for #U (kfsdir): '#Uname' serves
 * its own directory, read-only or not, and none of the ways out (`..`,
 * symlinks absolute, relative and chained, resolved as in a chroot at
 * the top, magic links, a directory renamed away) reaches past it — not
 * even into the default #U that contains it. */
#include "kern_test.h"

static char wdir[300];		/* the writable instance, outside kt_root */

static char *
wpath(const char *rel)
{
	static char buf[2][600];
	static int i;
	char *b = buf[i++ & 1];
	snprintf(b, 600, "%s/%s", wdir, rel);
	return b;
}

static void
wcleanup(void)
{
	if(wdir[0])
		nftw(wdir, kt_rmone, 16, FTW_DEPTH | FTW_PHYS);
}

static void
setup(void)
{
	FILE *f;
	/* the read-only instance is kt_root/inner; kt_root/secret is outside it */
	kt_hwrite("secret", "SECRET");
	kt_hmkdir("inner");
	kt_hmkdir("inner/sub");
	kt_hwrite("inner/f", "inner data");
	kt_hwrite("inner/sub/g", "deeper");
	symlink(kt_hpath("secret"), kt_hpath("inner/abs"));	/* absolute, outside */
	symlink("..", kt_hpath("inner/up"));			/* relative, outside */
	symlink("../secret", kt_hpath("inner/rel"));
	symlink("c2", kt_hpath("inner/c1"));			/* a chain out */
	symlink("sub/../..", kt_hpath("inner/c2"));
	symlink("sub/g", kt_hpath("inner/good"));		/* stays inside */
	symlink("/proc/self/root", kt_hpath("inner/magic"));
	snprintf(wdir, sizeof wdir, "%s.w", kt_root);
	mkdir(wdir, 0755);
	atexit(wcleanup);
	mkdir(wpath("d"), 0755);
	f = fopen(wpath("d/h"), "w");
	fputs("in d", f);
	fclose(f);
	symlink(kt_hpath("secret"), wpath("out"));
}

static void
errors(void)
{
	char longname[40];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	kt_fails(kfsdir("a/b", kt_hpath("inner"), 1), "bad arg", "a name with a slash");
	kt_fails(kfsdir("", kt_hpath("inner"), 1), "bad arg", "an empty name");
	kt_fails(kfsdir(longname, kt_hpath("inner"), 1), "bad arg", "a name too long");
	kt_fails(kfsdir("x y", kt_hpath("inner"), 1), "bad arg", "a name with a blank");
	kt_fails(kfsdir(NULL, kt_hpath("inner"), 1), "bad arg", "no name");
	kt_fails(kfsdir("x", NULL, 1), "bad arg", "no directory");
	kt_fails(kfsdir("x", kt_hpath("nowhere"), 1), "file does not exist", "a missing directory");
	kt_fails(kfsdir("x", kt_hpath("inner/f"), 1), "not a directory", "a file");
	ok(kfsdir("ro", kt_hpath("inner"), 1) == 0, "kfsdir ro: kt_root/inner, read-only");
	ok(kfsdir("rw", wdir, 0) == 0, "kfsdir rw: another directory, writable");
	kt_fails(kfsdir("ro", wdir, 0), "file already exists", "a name used twice");
	kt_fails(kopen("#Unope", OREAD), "no such #U directory", "attach of an unknown instance");
}

static void
readonly(void)
{
	Dir *d, nd;
	char *s;
	isstr(kt_read("#Uro/f"), "inner data", "read through #Uro");
	isstr(kt_read("#Uro/good"), "deeper", "a symlink inside is followed");
	ok(kbind("#Uro", "/n", MREPL | MCREATE) == 0, "bind #Uro on /n");
	isstr(kt_read("/n/sub/g"), "deeper", "read through the bind");
	isstr(kt_ls("/n/sub"), "g", "list it");
	d = kdirstat("/n/f");
	ok(d != NULL && d->type == 'U' && d->length == 10, "stat it");
	free(d);
	s = kt_read("/prog/1/ns");
	ok(s != NULL && strstr(s, "bind -c '#Uro' /n") != NULL, "the ns listing names the instance");
	kt_fails(kcreate("/n/new", OWRITE, 0644), "read-only file system", "create");
	kt_fails(kcreate("/n/newdir", OREAD, DMDIR | 0755), "read-only file system", "mkdir");
	kt_fails(kopen("/n/f", OWRITE), "read-only file system", "open for writing");
	kt_fails(kopen("/n/f", OREAD | OTRUNC), "read-only file system", "truncate");
	kt_fails(kopen("/n/f", OREAD | ORCLOSE), "read-only file system", "remove on close");
	kt_fails(kremove("/n/f"), "read-only file system", "remove");
	nulldir(&nd);
	nd.mode = 0600;
	kt_fails(kdirwstat("/n/f", &nd), "read-only file system", "wstat");
	isstr(kt_hread("inner/f"), "inner data", "the host file is untouched");
	ok(kt_create("/made", OWRITE, 0644, "x") == 0 && kremove("/made") == 0, "the default #U stays writable");
}

static void
escapes(void)
{
	isstr(kt_ls("#Uro/.."), kt_ls("#Uro"), "#Uro/.. is #Uro");
	isstr(kt_ls("#Uro/sub/../../.."), kt_ls("#Uro"), "down and further up is still #Uro");
	isstr(kt_ls("/n/.."), kt_ls("/"), "/n/.. is the namespace's /, not the host parent");
	kt_fails(kopen("#Uro/secret", OREAD), "file does not exist", "the containing directory's file is not there");
	kt_fails(kopen("#Uro/sub/../../secret", OREAD), "file does not exist", "lexical .. stops at the top");
	/* symlinks resolve as in a chroot at the instance's top */
	kt_fails(kopen("#Uro/abs", OREAD), "file does not exist", "an absolute symlink out: its path under the top");
	kt_fails(kopen("#Uro/rel", OREAD), "file does not exist", "a relative symlink out");
	kt_fails(kopen("#Uro/up/secret", OREAD), "file does not exist", "a symlink to ..: the top");
	isstr(kt_ls("#Uro/up"), kt_ls("#Uro"), "which lists as the top");
	kt_fails(kopen("#Uro/c1/secret", OREAD), "file does not exist", "a symlink chain out");
	ok(kt_read("#Uro/magic/etc/hostname") == NULL, "a magic link is refused (%s)", kt_err());
	kt_fails(kbind("#Uro/rel", "/n", MREPL), "file does not exist", "bind through a symlink out");
	ok(kt_entmode("#Uro", "abs") == (DMSYMLINK | 0777) && kt_entmode("#Uro", "good") == (DMSYMLINK | 0777),
		"a listing shows each symlink as itself");
	kt_fails(kopen("#Urw/out", OREAD), "file does not exist", "the writable one: a symlink out");
	kt_fails(kcreate("#Urw/out", OWRITE, 0644), "file does not exist", "create over a symlink out");
	isstr(kt_hread("secret"), "SECRET", "the secret is unchanged");
}

static void
writable(void)
{
	char to[700];
	ok(kt_create("#Urw/made", OWRITE, 0644, "hello") == 0, "create in #Urw");
	ok(access(wpath("made"), F_OK) == 0, "it is in that host directory");
	ok(kt_write("#Urw/made", "bye") == 0 && kremove("#Urw/made") == 0, "write and remove");
	ok(access(wpath("made"), F_OK) < 0, "gone from the host");
	/* a directory renamed away while a proc is in it */
	ok(kchdir("#Urw/d") == 0, "cd #Urw/d");
	isstr(kt_read("h"), "in d", "read in it");
	snprintf(to, sizeof to, "%s/moved", kt_root);
	ok(rename(wpath("d"), to) == 0, "the host moves d out (into kt_root)");
	kt_fails(kopen("h", OREAD), "file does not exist", "its file is no longer reachable");
	kt_fails(kcreate("new", OWRITE, 0644), "file does not exist", "nor can anything be created there");
	ok(access(kt_hpath("moved/new"), F_OK) < 0, "nothing was created outside");
	ok(kchdir("/") == 0, "cd /");
}

/* Each sandbox attaches only the instances its namespace was given (the
 * top held: mounted, or its root): the instance table is the process's,
 * and any guest attached '#Uname' by its name, a directory the embedder
 * gave another sandbox, or '#U' where it was given a directory below
 * (252b5b3: each attach here worked).  The embedder attaches any. */
static void
granted(void)
{
	Proc *me, *ctx, *sa, *ctx2, *sb;
	int fd;

	me = kcurproc();
	ctx = kprocnew(FORKNS);
	ksetproc(ctx);
	ok(kbind("#Uro", "/n", MREPL) == 0, "granted: the embedder binds #Uro in one namespace");
	sa = kprocnew(NEWBOX);	/* a sandbox in that namespace */
	ksetproc(sa);
	isstr(kt_read("/n/f"), "inner data", "granted: its sandbox reads it at /n");
	isstr(kt_read("#Uro/f"), "inner data", "granted: and attaches #Uro, which it holds");
	kt_fails(kopen("#Urw", OREAD), "no such #U directory", "granted: not #Urw, which it was not given");
	kt_fails(kbind("#Urw", "/n", MREPL), "no such #U directory", "granted: nor binds it");
	ok((fd = kopen("#U", OREAD)) >= 0, "granted: #U, bound at / in its namespace, it attaches");
	kclose(fd);
	ksetproc(me);
	ok((fd = kopen("#Urw", OREAD)) >= 0, "granted: the embedder (in no sandbox) attaches #Urw");
	kclose(fd);

	ctx2 = kprocnew(FORKNS);
	ksetproc(ctx2);
	ok(kunmount("#U", "/") == 0 && kbind("#U/inner", "/n", MREPL) == 0,
		"granted: another namespace: #U off /, #U/inner bound at /n");
	sb = kprocnew(NEWBOX);
	ksetproc(sb);
	isstr(kt_read("/n/f"), "inner data", "granted: its sandbox reads /n/f");
	kt_fails(kopen("#U/secret", OREAD), "no such #U directory", "granted: it attaches no #U above the directory it was given");
	kt_fails(kopen("#Uro", OREAD), "no such #U directory", "granted: nor #Uro, bound in the other namespace");
	ksetproc(me);
	kprocfree(sb);
	kprocfree(ctx2);
	kprocfree(sa);
	kprocfree(ctx);
}

int
main(void)
{
	kt_init(0, NULL);
	setup();
	errors();
	readonly();
	escapes();
	writable();
	granted();
	return done_testing();
}
