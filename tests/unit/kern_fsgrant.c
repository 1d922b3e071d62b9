/* kern_fsgrant.c — a directory below an instance's top, bound into a
 * sandbox's namespace ('#U/d/a' at /n, '#Ud/a' at /srv), is all the
 * sandbox reaches of that instance: no symbolic link (relative, absolute,
 * a chain, one the sandbox makes, one swapped in by another thread while
 * it walks), no walk through one to create, rename or link, leads out of
 * it, while links that stay inside work as before.  Until session 29 a
 * link there resolved from the instance's top (red team 28: `../secret`
 * read a file the namespace never granted).  Bound at / (the sandbox's
 * root) the directory is the root absolute links start from. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include "kern_test.h"

static void
setup(void)
{
	kt_hwrite("secret", "SECRET");
	kt_hmkdir("d");
	kt_hwrite("d/other", "OTHER");
	kt_hmkdir("d/a");
	kt_hmkdir("d/a/sub");
	kt_hmkdir("d/b");
	kt_hmkdir("d/b/x");
	kt_hwrite("d/b/bf", "B");
	kt_hmkdir("d/a/sub3");
	kt_hmkdir("d/a/deep");
	kt_hmkdir("d/a/deep/x");
	kt_hmkdir("d/a/deep/x/y");
	kt_hwrite("d/a/deep/x/y/z", "Z");
	symlink("../../../rel2", kt_hpath("d/a/deep/x/y/out"));	/* inside, then out */
	kt_hwrite("d/a/f", "granted");
	kt_hwrite("d/a/sub/g", "deep");
	symlink("../../secret", kt_hpath("d/a/rel2"));	/* #U/d/a: out to the top's secret */
	symlink("../other", kt_hpath("d/a/rel"));		/* #Ud/a: out to d's other */
	symlink("/secret", kt_hpath("d/a/abs"));		/* absolute: the instance's top */
	symlink("/other", kt_hpath("d/a/absother"));
	symlink("/d/a/f", kt_hpath("d/a/absin"));		/* absolute, naming a file inside */
	symlink("/f", kt_hpath("d/a/absroot"));
	symlink("c2", kt_hpath("d/a/c1"));			/* a chain out */
	symlink("sub/../../../secret", kt_hpath("d/a/c2"));
	symlink("..", kt_hpath("d/a/dirup"));
	symlink("sub/g", kt_hpath("d/a/good"));		/* inside */
	symlink("sub/../f", kt_hpath("d/a/inup"));
	symlink("c3", kt_hpath("d/a/c4"));			/* a chain inside */
	symlink("sub/../good", kt_hpath("d/a/c3"));
	symlink("/proc/self/root", kt_hpath("d/a/magic"));
	symlink("../f", kt_hpath("d/a/sub/upf"));		/* out of sub, inside the grant */
	symlink("../../other", kt_hpath("d/a/sub/out"));
	kt_hmkdir("d/a/swdir");				/* the race's two sides */
	kt_hwrite("d/a/swdir/raceout", "INSIDE");
	kt_hwrite("d/raceout", "OUTSIDE");
	symlink("..", kt_hpath("d/a/swlink"));
	ok(kfsdir("d", kt_hpath("d"), 0) == 0, "kfsdir d: kt_root/d");
}

/* A sandbox in a namespace of its own, made by binds the embedder makes. */
static Proc *
sandbox(Proc **ctx, char *binds[][2])
{
	Proc *me = kcurproc(), *sb;
	int i, r = 0;

	*ctx = kprocnew(FORKNS);
	ksetproc(*ctx);
	r |= kunmount("#U", "/");
	for(i = 0; binds[i][0] != NULL; i++)
		r |= kbind(binds[i][0], binds[i][1], MREPL | MCREATE);
	ok(r == 0, "the embedder binds %s at %s (and more) in a namespace without #U at /", binds[0][0], binds[0][1]);
	sb = kprocnew(NEWBOX);
	ksetproc(me);
	return sb;
}

static void
drop(Proc *ctx, Proc *sb)
{
	ksetproc(kcurproc());
	kprocfree(sb);
	kprocfree(ctx);
}

/* A call that must fail, and what it said (its error read after it). */
#define refused(call, what) do { int r_ = (call); ok(r_ < 0, "%s (%s)", what, kt_err()); } while(0)

/* *What reads nothing outside: NULL, and says so. */
static void
nothing(char *path, const char *what)
{
	char *s = kt_read(path);

	ok(s == NULL, "%s: %s reads nothing (%s)", what, path, s != NULL ? s : kt_err());
}

static void
links(void)
{
	static char *b[][2] = {
		{ "#U/d/a", "/n" }, { "#Ud/a", "/srv" }, { "#U/d/b", "/prog" }, { NULL, NULL }
	};
	Proc *me = kcurproc(), *ctx, *sb;
	Dir *d;
	char buf[64];
	int fd, fd2;

	sb = sandbox(&ctx, b);
	ksetproc(sb);
	isstr(kt_read("/n/f"), "granted", "a file of the granted directory reads");
	isstr(kt_read("/n/good"), "deep", "a relative link inside");
	isstr(kt_read("/n/inup"), "granted", "a link inside through a `..` inside");
	isstr(kt_read("/n/c4"), "deep", "a chain inside");
	isstr(kt_read("/srv/good"), "deep", "#Ud/a: a relative link inside");
	nothing("/n/rel2", "a relative link out of #U/d/a");
	kt_fails(kopen("/n/rel2", OREAD), "permission denied", "its open");
	nothing("/srv/rel", "a relative link out of #Ud/a");
	nothing("/n/abs", "an absolute link to the top's file");
	nothing("/srv/absother", "#Ud/a: an absolute link to the top's file");
	kt_fails(kopen("/n/absin", OREAD), "permission denied", "an absolute link, even to a file inside (no root here)");
	nothing("/n/c1", "a chain out");
	nothing("/n/dirup/secret", "a link to .., then the top's file");
	nothing("/n/dirup/other", "a link to .., then d's file");
	nothing("/srv/dirup/other", "#Ud/a: a link to .., then the top's file");
	nothing("/n/sub/../rel2", "a `..` inside, then a link out");
	nothing("/n/magic/etc/hostname", "a magic link");
	d = kdirstat("/n/rel2");
	ok(d == NULL, "a stat through a link out fails (%s)", d != NULL ? d->name : kt_err());
	free(d);
	d = kdirstat("/n/dirup");
	ok(d == NULL, "a stat of a link to .. fails");
	free(d);
	ok(kt_ls("/n/dirup") == NULL, "nor does it list");
	isstr(kt_ls("/n/.."), kt_ls("/"), "/n/.. is the namespace's /");
	nothing("/n/../secret", "the namespace's /secret");

	/* the sandbox's own links */
	ok(ksymlink("../../secret", "/n/made") == 0, "the sandbox makes a link ../../secret");
	nothing("/n/made", "its own link out");
	ok(ksymlink("/secret", "/n/made2") == 0 && kt_read("/n/made2") == NULL, "and an absolute one");
	ok(ksymlink("sub/g", "/n/made3") == 0, "and one inside");
	isstr(kt_read("/n/made3"), "deep", "which reads");
	ok(kreadlink("/n/made", buf, sizeof buf) == 12, "its target reads as made");

	/* changes through a link out */
	refused(kcreate("/n/dirup/new", OWRITE, 0644), "create through a link to .. fails");
	ok(access(kt_hpath("d/new"), F_OK) < 0, "nothing made in d");
	refused(kmove("/n/dirup/other", "/n/stolen"), "rename of a file out, through a link, fails");
	ok(access(kt_hpath("d/other"), F_OK) == 0, "d/other stays");
	refused(klink("/n/rel2", "/n/hard"), "a hard link to a file out fails");
	ok(access(kt_hpath("d/a/hard"), F_OK) < 0, "none made");
	ok(kremove("/n/dirup/other") < 0 && access(kt_hpath("d/other"), F_OK) == 0, "remove through a link out fails");
	/* renames between two granted directories of one instance: as
	 * Linux between two bind mounts, "cross-device" */
	ok(kt_create("/n/mv", OWRITE, 0644, "mv") == 0, "a file to move");
	refused(kmove("/n/mv", "/prog/mv"), "a rename into another granted directory fails");
	ok(kmove("/n/mv", "/n/sub/mv") == 0 && kt_read("/n/sub/mv") != NULL, "a rename inside works");
	ok(kmove("/n/sub", "/n/sub2") == 0 && kmove("/n/sub2", "/n/sub") == 0, "a directory renamed inside, and back");
	refused(kmove("/n", "/n/x"), "the granted directory itself does not move");
	ok(kremove("/n") < 0 && access(kt_hpath("d/a"), F_OK) == 0, "nor is it removed (%s)", kt_err());

	/* the sandbox's own bind of a directory of its grant: the grant
	 * stays what the embedder gave, neither narrowed nor widened */
	ok(kbind("/n/sub", "/chan", MREPL) == 0, "the sandbox binds /n/sub at /chan");
	isstr(kt_read("/chan/upf"), "granted", "a link there to ../f, inside the grant, reads");
	nothing("/chan/out", "a link there out of the grant");
	isstr(kt_ls("/chan/.."), kt_ls("/"), "/chan/.. is the namespace's /");
	kt_fails(kopen("#U/d/other", OREAD), "no such #U directory", "nor can it attach #U");

	/* walks from a Chan below the grant: dot, an open directory */
	ok(kchdir("/n/sub") == 0, "cd /n/sub");
	isstr(kt_read("g"), "deep", "a relative read");
	isstr(kt_read("../f"), "granted", "../f");
	nothing("../rel2", "../rel2 from dot");
	nothing("../dirup/other", "../dirup/other from dot");
	isstr(kt_ls("../.."), kt_ls("/"), "../.. is the namespace's /");
	ok(kchdir("/") == 0, "cd /");

	/* /proc/self/fd: a reopen is of the file the fd holds */
	fd = kopen("/n/f", OREAD);
	snprintf(buf, sizeof buf, "#d/%d", fd);
	fd2 = kopen(buf, OREAD);
	ok(fd >= 0 && fd2 >= 0, "reopen of a granted file through #d");
	kclose(fd);
	kclose(fd2);
	ksetproc(me);
	drop(ctx, sb);
	isstr(kt_hread("secret"), "SECRET", "the secret is unchanged");
}

/* Bound at / the directory is the sandbox's root: absolute links start
 * there, `..` stops there. */
static void
asroot(void)
{
	static char *b[][2] = { { "#U/d/a", "/" }, { NULL, NULL } };
	Proc *me = kcurproc(), *ctx, *sb;

	sb = sandbox(&ctx, b);
	ksetproc(sb);
	isstr(kt_read("/f"), "granted", "root: /f");
	isstr(kt_read("/absroot"), "granted", "root: an absolute link /f starts at the root");
	nothing("/abs", "root: /secret under the root");
	nothing("/absin", "root: /d/a/f under the root");
	nothing("/rel2", "root: a relative link out");
	nothing("/dirup/other", "root: a link to .. stays at the root");
	isstr(kt_read("/dirup/f"), "granted", "root: whose f is the root's");
	isstr(kt_read("/../f"), "granted", "root: /.. is /");
	ksetproc(me);
	drop(ctx, sb);
}

/* A namespace rooted at the embedder's dot (NEWNS), dot a directory named
 * by an attach: the root is a grant, absolute links start there. */
static void
newns(void)
{
	Proc *me = kcurproc(), *sb;

	ok(kchdir("#U/d/a") == 0, "newns: the embedder's dot is #U/d/a");
	sb = kprocnew(NEWNS | NEWBOX);
	ksetproc(sb);
	isstr(kt_read("/f"), "granted", "newns: /f");
	isstr(kt_read("/absroot"), "granted", "newns: an absolute link /f from the root");
	nothing("/rel2", "newns: a relative link out");
	nothing("/abs", "newns: an absolute link to the top's /secret");
	nothing("/dirup/other", "newns: a link to ..");
	ksetproc(me);
	kprocfree(sb);
	ok(kchdir("/") == 0, "newns: cd /");
}

/* The embedder's dot a directory named by an attach (cd '#U/d/a', as a
 * namespace file's cd), its namespace holding nothing else of #U: a
 * sandbox made there, sharing that dot (FORKDOT, a copied namespace,
 * or the same one), is granted it as a bind would be.  Until red team
 * 29 its relative names walked from an ungranted Chan: `../other` and
 * `rel2` read outside, and `..` reached the top. */
static void
dotgrant(void)
{
	static int how[] = { FORKDOT|NEWBOX, FORKNS|NEWBOX, NEWBOX };
	static char *hows[] = { "FORKDOT", "FORKNS", "shared" };
	Proc *me = kcurproc(), *ctx, *sb, *sb2;
	struct stat hst;
	Fsstat fs;
	Dir *d, nd;
	char *s, buf[64];
	mode_t mode, nmode;
	int i;

	for(i = 0; i < 3; i++){
		ctx = kprocnew(FORKNS | FORKDOT);
		ksetproc(ctx);
		ok(kunmount("#U", "/") == 0 && kchdir("#U/d/a") == 0, "dot %s: #U unmounted, cd '#U/d/a'", hows[i]);
		sb = kprocnew(how[i]);
		ksetproc(sb);
		isstr(kt_read("f"), "granted", "dot %s: f", hows[i]);
		isstr(kt_read("good"), "deep", "dot %s: a link inside", hows[i]);
		nothing("rel2", hows[i]);
		nothing("../other", hows[i]);
		nothing("../../secret", hows[i]);
		nothing("dirup/other", hows[i]);
		refused(kcreate("../made", OWRITE, 0644), "dot: a create through .. makes nothing outside");
		ok(access(kt_hpath("d/made"), F_OK) < 0, "dot %s: nothing made in d", hows[i]);
		ksetproc(ctx);
		s = kt_read("../other");
		ok(s != NULL && strcmp(s, "OTHER") == 0, "dot %s: the embedder's own dot is as it was (%s)", hows[i], s != NULL ? s : kt_err());
		ksetproc(me);
		kprocfree(sb);
		kprocfree(ctx);
	}

	/* the dot it shares changed after it was made: walks from it are
	 * refused, as an attach of #U would be */
	ctx = kprocnew(FORKNS);
	ksetproc(ctx);
	ok(kunmount("#U", "/") == 0, "dot later: #U unmounted");
	sb = kprocnew(NEWBOX);
	ok(kchdir("#U/d/a") == 0, "dot later: cd '#U/d/a' after the sandbox shares the dot");
	s = kt_read("../other");
	ok(s != NULL && strcmp(s, "OTHER") == 0, "dot later: the embedder's own walks are as they were (%s)", s != NULL ? s : kt_err());
	ksetproc(sb);
	nothing("rel2", "dot later");
	nothing("../other", "dot later");
	nothing("f", "dot later (refused, not granted)");
	/* nor is the directory itself served: no listing (names, qids,
	 * and a stat of each entry), no stat, no change made in it */
	ok(kt_ls(".") == NULL, "dot later: . does not list (%s)", kt_err());
	kt_fails(kopen(".", OREAD), "no such #U directory", "dot later: its open");
	d = kdirstat(".");
	ok(d == NULL, "dot later: . does not stat (%s)", d != NULL ? d->name : kt_err());
	free(d);
	d = klstatx("rel2", NULL);
	ok(d == NULL, "dot later: nor a link in it (%s)", d != NULL ? d->name : kt_err());
	free(d);
	ok(kreadlink("rel2", buf, sizeof buf) < 0, "dot later: whose target does not read (%s)", kt_err());
	ok(kstatfs(".", &fs) < 0, "dot later: no statfs of . (%s)", kt_err());
	refused(kcreate("later1", OWRITE, 0644), "dot later: a create in . fails");
	refused(ksymlink("../../secret", "later2"), "dot later: a link made in . fails");
	ok(access(kt_hpath("d/a/later1"), F_OK) < 0 && access(kt_hpath("d/a/later2"), F_OK) < 0, "dot later: nothing made in d/a");
	nulldir(&nd);
	nd.mode = DMDIR | 0700;
	mode = stat(kt_hpath("d/a"), &hst) == 0 ? hst.st_mode & 0777 : 0;
	refused(kdirwstat(".", &nd), "dot later: a wstat of . fails");
	nmode = stat(kt_hpath("d/a"), &hst) == 0 ? hst.st_mode & 0777 : 0;
	ok(nmode == mode && mode != 0700, "dot later: d/a's mode unchanged (%o, was %o)", nmode, mode);
	chmod(kt_hpath("d/a"), mode);
	/* nor is it granted by the sandbox's own bind of it, or by a
	 * sandbox it makes there */
	sb2 = kprocnew(NEWBOX);
	ok(sb2 == NULL, "dot later: no sandbox is made by it there (%s)", kt_err());
	if(sb2 != NULL){
		ksetproc(sb2);
		nothing("f", "dot later: the sandbox it made");
		ksetproc(sb);
		kprocfree(sb2);
	}
	sb2 = kprocnew(FORKNS | FORKDOT);
	ok(sb2 != NULL, "dot later: a proc of its own sandbox is (%s)", sb2 != NULL ? "made" : kt_err());
	if(sb2 != NULL){
		ksetproc(sb2);
		nothing("f", "dot later: that proc");
		ksetproc(sb);
		kprocfree(sb2);
	}
	refused(kbind(".", "/", MAFTER), "dot later: the sandbox's bind of . fails");
	nothing("/f", "dot later: after a bind of . at /");
	symlink("f", kt_hpath("d/a/later3"));
	refused(kremovelink("later3"), "dot later: a link in . is not removed");
	ok(access(kt_hpath("d/a/later3"), F_OK) == 0, "dot later: d/a/later3 stays");
	ksetproc(ctx);
	s = kt_ls(".");
	ok(s != NULL && strstr(s, "rel2") != NULL, "dot later: the embedder's listing of . is as it was (%s)", s != NULL ? "rel2 listed" : kt_err());
	ok(kremovelink("later3") == 0, "dot later: the embedder removes its link");
	/* the top itself: a new namespace rooted at it, or a bind of it,
	 * would hold the top, and with it the whole instance */
	ok(kchdir("#U") == 0, "dot later: the embedder's cd '#U'");
	ksetproc(sb);
	nothing("secret", "dot later, the top");
	sb2 = kprocnew(NEWNS | NEWBOX);
	ok(sb2 == NULL, "dot later: no sandbox rooted at the top is made by it (%s)", kt_err());
	if(sb2 != NULL){
		ksetproc(sb2);
		nothing("/secret", "dot later: the sandbox rooted at the top");
		ksetproc(sb);
		kprocfree(sb2);
	}
	refused(kbind(".", "/", MAFTER), "dot later: its bind of the top fails");
	nothing("/secret", "dot later: after a bind of the top at /");
	nothing("secret", "dot later: after it, from .");
	ksetproc(me);
	kprocfree(sb);
	kprocfree(ctx);
}

/* An export of a directory of #U, walked through a namespace that holds
 * all of #U: its clients are granted that directory alone. */
static void
exported(void)
{
	Proc *me = kcurproc(), *ctx;
	int p[2];

	ctx = kprocnew(FORKNS);
	ksetproc(ctx);
	ok(kpipe(p) == 0 && kexport(p[0], "/d", KEXPASYNC) == 0, "export: /d (#U at /) on a kernel pipe");
	ok(kmount(p[1], -1, "/n", MREPL, "") == 0, "export: mounted at /n");
	isstr(kt_read("/n/a/f"), "granted", "export: a file");
	isstr(kt_read("/n/a/good"), "deep", "export: a link inside");
	isstr(kt_read("/n/a/dirup/raceout"), "OUTSIDE", "export: a link to .., inside the export");
	nothing("/n/a/rel2", "export: a link out of the exported directory");
	nothing("/n/a/abs", "export: an absolute link to the top's file");
	nothing("/n/a/c1", "export: a chain out");
	ksetproc(me);
	kprocfree(ctx);

	/* a grant bound inside the exported directory: its links out stay
	 * refused for the export's clients, although the exporting
	 * namespace holds all of #U */
	ctx = kprocnew(FORKNS);
	ksetproc(ctx);
	ok(kbind("#U/d/a", "/d/b", MREPL) == 0, "export: #U/d/a granted at /d/b");
	ok(kpipe(p) == 0 && kexport(p[0], "/d", KEXPASYNC) == 0, "export: /d again");
	ok(kmount(p[1], -1, "/n", MREPL, "") == 0, "export: mounted at /n");
	isstr(kt_read("/n/b/f"), "granted", "export: the grant inside, crossed");
	nothing("/n/b/rel2", "export: a link out of the grant inside");
	nothing("/n/b/abs", "export: an absolute one");
	ksetproc(me);
	kprocfree(ctx);
}

/* A sandbox given the whole instance (#U at /, vxinferno's) binds a
 * directory of it elsewhere: no narrower jail, its links resolve as
 * before (an absolute one from the top, its root). */
static void
wholeinstance(void)
{
	Proc *me = kcurproc(), *sb, *ctx;

	sb = kprocnew(FORKNS | NEWBOX);
	ksetproc(sb);
	isstr(kt_read("/d/a/abs"), "SECRET", "whole: an absolute link from the top (the root)");
	ok(kbind("/d/a", "/n", MREPL) == 0, "whole: the sandbox binds /d/a at /n");
	isstr(kt_read("/n/abs"), "SECRET", "whole: its absolute link still reads what the root names");
	isstr(kt_read("/n/rel2"), "SECRET", "whole: and a relative one what the tree holds");
	ksetproc(me);
	kprocfree(sb);

	/* the embedder grants #U/d/a at /n besides #U at /: a link out of
	 * the grant resolves as the sandbox sees it, from the top (its
	 * root), since it holds all of the instance anyway */
	ctx = kprocnew(FORKNS);
	ksetproc(ctx);
	ok(kbind("#U/d/a", "/n", MREPL) == 0, "whole: the embedder binds #U/d/a at /n, #U stays at /");
	sb = kprocnew(NEWBOX);
	ksetproc(sb);
	isstr(kt_read("/n/abs"), "SECRET", "whole: an absolute link out of the grant starts at the root");
	isstr(kt_read("/n/rel2"), "SECRET", "whole: a relative one reads what the tree holds");
	isstr(kt_read("/n/good"), "deep", "whole: one inside");
	ksetproc(me);
	kprocfree(sb);
	kprocfree(ctx);
}

/* Another thread swaps a directory and a link to .. (renameat2's
 * exchange) while the sandbox reads through the name: it reads the
 * directory's file, or fails, never d's. */
static atomic_int racing;

static void *
swapper(void *a)
{
	long n = 0;

	(void)a;
	while(atomic_load(&racing)){
		syscall(SYS_renameat2, AT_FDCWD, kt_hpath("d/a/swdir"), AT_FDCWD, kt_hpath("d/a/swlink"), 2 /* RENAME_EXCHANGE */);
		n++;
	}
	return (void*)n;
}

static void
race(void)
{
	static char *b[][2] = { { "#U/d/a", "/n" }, { NULL, NULL } };
	Proc *me = kcurproc(), *ctx, *sb;
	pthread_t t;
	int i, in = 0, out = 0, fail = 0;
	char *s, *names[] = { "/n/swdir/raceout", "/n/swlink/raceout" };
	void *n;

	sb = sandbox(&ctx, b);
	ksetproc(sb);
	atomic_store(&racing, 1);
	pthread_create(&t, NULL, swapper, NULL);
	for(i = 0; i < 4000; i++){
		s = kt_read(names[i & 1]);
		if(s == NULL)
			fail++;
		else if(strcmp(s, "INSIDE") == 0)
			in++;
		else
			out++;
	}
	atomic_store(&racing, 0);
	pthread_join(t, &n);
	ok(out == 0, "race: no read through the swapped link reaches out (%d inside, %d out, %d failed; %ld swaps)", in, out, fail, (long)n);
	ksetproc(me);
	drop(ctx, sb);
}

/* Mount points on the instance, inside the grant and in another one:
 * walks at once (walkpath) give what walks name by name give. */
static void
mounted(void)
{
	static char *b[][2] = {
		{ "#U/d/a", "/n" }, { "#U/d/b", "/prog" }, { "#U/d/b", "/n/sub3" }, { "#U/d/a/sub", "/prog/x" }, { NULL, NULL }
	};
	Proc *me = kcurproc(), *ctx, *sb;
	Dir *d;

	sb = sandbox(&ctx, b);
	ksetproc(sb);
	isstr(kt_read("/n/sub3/bf"), "B", "mounted: a grant bound inside a grant");
	isstr(kt_read("/n/deep/x/y/z"), "Z", "mounted: a deep walk past mount points");
	isstr(kt_read("/n/deep/x/y/../../../f"), "granted", "mounted: down and up again");
	isstr(kt_read("/n/sub3/../f"), "granted", "mounted: .. from a mount point inside");
	isstr(kt_read("/prog/x/g"), "deep", "mounted: the other grant's mount point");
	isstr(kt_read("/prog/x/../bf"), "B", "mounted: and .. from it");
	d = kdirstat("/n/deep/x/y/z");
	ok(d != NULL && d->length == 1, "mounted: a stat deep");
	free(d);
	nothing("/n/deep/x/y/out", "mounted: a link out, deep");
	nothing("/n/sub3/../rel2", "mounted: a link out after a mount point");
	nothing("/prog/x/../../a/f", "mounted: .. past the other grant");
	ksetproc(me);
	drop(ctx, sb);
}

int
main(void)
{
	kt_init(0, NULL);
	setup();
	links();
	asroot();
	mounted();
	newns();
	dotgrant();
	exported();
	wholeinstance();
	race();
	return done_testing();
}
