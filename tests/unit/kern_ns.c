/* kern_ns.c — bind, unions, unmount, `..`, create in unions, fd2path,
 * the ns listing, and namespace sharing between procs (libkern). */
#include "kern_test.h"

static void
setup(void)
{
	kt_hmkdir("a"); kt_hwrite("a/x", "ax"); kt_hwrite("a/y", "ay");
	kt_hmkdir("b"); kt_hwrite("b/y", "by"); kt_hwrite("b/z", "bz");
	kt_hmkdir("c");
	kt_hmkdir("d"); kt_hmkdir("d/sub"); kt_hwrite("d/sub/f", "df");
	kt_hmkdir("e");
}

static void
replace(void)
{
	isstr(kt_ls("/a"), "x y", "ls /a before binds");
	ok(kbind("/b", "/a", MREPL) == 0, "bind /b /a");
	isstr(kt_ls("/a"), "y z", "MREPL: /a shows only /b");
	isstr(kt_read("/a/y"), "by", "MREPL: /a/y is /b/y");
	kt_fails(kopen("/a/x", OREAD), "file does not exist", "open /a/x hidden by MREPL");
	ok(kunmount(NULL, "/a") == 0, "unmount /a");
	isstr(kt_ls("/a"), "x y", "after unmount /a is itself again");
	kt_fails(kunmount(NULL, "/a"), "not mounted", "second unmount");
}

static void
unions(void)
{
	ok(kbind("/b", "/a", MAFTER) == 0, "bind -a /b /a");
	isstr(kt_ls("/a"), "x y y z", "MAFTER: members in order");
	isstr(kt_read("/a/y"), "ay", "MAFTER: first member wins a walk");
	isstr(kt_read("/a/z"), "bz", "MAFTER: later member found");
	ok(kbind("/e", "/a", MBEFORE) == 0, "bind -b /e /a");
	kt_hwrite("e/y", "ey");
	isstr(kt_read("/a/y"), "ey", "MBEFORE: new first member wins");
	isstr(kt_ls("/a"), "y x y y z", "union of three in order");
	kt_fails(kcreate("/a/new", OWRITE, 0644), "mounted directory forbids creation", "create without MCREATE");
	ok(kbind("/c", "/a", MAFTER|MCREATE) == 0, "bind -ac /c /a");
	ok(kt_create("/a/new", OWRITE, 0644, "N") == 0, "create in union with MCREATE");
	isstr(kt_hread("c/new"), "N", "the file went to the MCREATE member");
	ok(kt_hread("a/new") == NULL && kt_hread("e/new") == NULL, "and to no other member");
	ok(kt_create("/a/z", OWRITE, 0644, "Z") == 0, "create of an existing name opens it");
	isstr(kt_hread("b/z"), "Z", "existing file (in /b) was truncated and written");
	kt_fails(kcreate("/a/z", OWRITE|OEXCL, 0644), "file already exists", "create OEXCL of existing");
	ok(kunmount("/e", "/a") == 0, "unmount /e /a");
	isstr(kt_read("/a/y"), "ay", "after removing /e, /a/y is /a's again");
	kt_fails(kunmount("/d", "/a"), "not in union", "unmount of something not mounted there");
	{
		char *s = kt_read("/prog/1/ns");
		ok(s != NULL && strstr(s, "bind -a /b /a\n") != NULL && strstr(s, "bind -ac /c /a\n") != NULL, "ns lists the binds");
		if(s == NULL || strstr(s, "bind -a /b /a\n") == NULL)
			diag("ns: %s", s ? s : kt_err());
	}
	ok(kunmount(NULL, "/a") == 0, "unmount all of /a");
	isstr(kt_ls("/a"), "x y", "/a restored");
}

static void
dotdot(void)
{
	ok(kbind("/d", "/c", MREPL) == 0, "bind /d /c");
	ok(kchdir("/c/sub") == 0, "cd /c/sub");
	isstr(kt_dot(), "/c/sub", "fd2path of dot");
	isstr(kt_read("f"), "df", "relative read in the bound tree");
	ok(kchdir("..") == 0, "cd ..");
	isstr(kt_dot(), "/c", "`..` keeps the namespace path");
	isstr(kt_ls("."), "sub", "and is the bound directory (/d)");
	ok(kchdir("..") == 0, "cd .. again");
	isstr(kt_dot(), "/", "`..` from a mount root leaves through the mount point");
	ok(strstr(kt_ls("."), "dev") != NULL, "at the root");
	ok(kchdir("/c/sub/../..") == 0, "cd /c/sub/../..");
	isstr(kt_dot(), "/", "`..` in one name");
	isstr(kt_read("/c/sub/../sub/f"), "df", "walk down, up and down again");
	ok(kchdir("/..") == 0 && strcmp(kt_dot(), "/") == 0, "/.. is /");
	ok(kchdir("/dev") == 0, "cd /dev (a union of #c and #/dev)");
	ok(kchdir("..") == 0, "cd ..");
	isstr(kt_dot(), "/", "from a device directory back to /");
	ok(kbind("#c", "/c/sub", MREPL) == 0, "bind '#c' on a directory inside a bound tree");
	isstr(kt_read("/c/sub/sysctl"), "vxinferno 0.1", "walk crosses two mount points");
	ok(kchdir("/c/sub") == 0 && kchdir("..") == 0, "cd /c/sub; cd ..");
	isstr(kt_dot(), "/c", "back at the first mount point");
	isstr(kt_ls("."), "sub", "which is still the union at /c");
	ok(kchdir("/") == 0, "cd /");
	ok(kunmount(NULL, "/c/sub") == 0 && kunmount(NULL, "/c") == 0, "unmount both");
	isstr(kt_ls("/c"), "new", "/c is the host's /c again");
}

static void
files(void)
{
	ok(kbind("/a/x", "/b/y", MREPL) == 0, "bind a file on a file");
	isstr(kt_read("/b/y"), "ax", "the file reads as the bound one");
	kt_fails(kremove("/b/y"), "device or object already in use", "remove of a bind target is refused (Linux's EBUSY)");
	isstr(kt_read("/a/x"), "ax", "and the bound file is still there");
	kt_fails(kbind("/a/x", "/b", MREPL), "inconsistent mount", "bind a file on a directory");
	kt_fails(kbind("/a", "/b/z", MREPL), "inconsistent mount", "bind a directory on a file");
	ok(kunmount("/a/x", "/b/y") == 0, "unmount the file");
	isstr(kt_read("/b/y"), "by", "restored");
	{
		int fd = kopen("/dev/../dev/./cons", OWRITE);
		char *p = fd >= 0 ? kfd2path(fd) : NULL;
		isstr(p, "/dev/cons", "fd2path is the clean walked name");
		free(p);
		kclose(fd);
	}
	{
		int fd = kopen("#c/null", OREAD);
		char *p = fd >= 0 ? kfd2path(fd) : NULL;
		isstr(p, "#c/null", "fd2path of a device name");
		free(p);
		kclose(fd);
	}
	ok(kbind("#e", "/n", MREPL|MCREATE) == 0, "bind a device on a root directory");
	ok(kt_create("/n/v", OWRITE, 0666, "1") == 0 && strcmp(kt_read("/env/v"), "1") == 0, "same file through /n and /env");
	kt_fails(kremove("/n"), "device or object already in use", "remove of a mount point is refused");
	ok(kunmount("#e", "/n") == 0, "unmount '#e' /n by name");
	ok(kremove("/env/v") == 0, "remove /env/v");
}

static void
bindunion(void)
{
	/* binding a union copies its members (Plan 9) */
	ok(kbind("/b", "/a", MAFTER) == 0, "bind -a /b /a");
	ok(kbind("/a", "/e", MREPL) == 0, "bind /a /e");
	isstr(kt_ls("/e"), "x y y z", "the union's members were copied");
	ok(kunmount(NULL, "/e") == 0 && kunmount(NULL, "/a") == 0, "unmount");
}

static void *
childmain(void *a)
{
	(void)a;
	return NULL;
}

static Proc *child;

static void
procs(void)
{
	Proc *me = kcurproc();
	char buf[64];
	(void)childmain;
	child = kprocnew(FORKNS|FORKFD);
	ok(child != NULL, "kprocnew FORKNS");
	ksetproc(child);
	ok(kbind("/b", "/a", MREPL) == 0, "child binds /b /a");
	isstr(kt_ls("/a"), "y z", "child sees its bind");
	ksetproc(me);
	isstr(kt_ls("/a"), "x y", "parent does not (FORKNS copies)");
	kprocfree(child);

	child = kprocnew(0);
	ksetproc(child);
	ok(kbind("/b", "/a", MREPL) == 0, "shared-namespace child binds /b /a");
	ksetproc(me);
	isstr(kt_ls("/a"), "y z", "parent sees it (namespace shared)");
	ok(kunmount(NULL, "/a") == 0, "parent unmounts");
	kprocfree(child);

	ok(kchdir("/d") == 0, "cd /d");
	child = kprocnew(NEWNS);
	ksetproc(child);
	isstr(kt_ls("/"), "sub", "NEWNS: the root is the old dot");
	kt_fails(kopen("/dev/cons", OREAD), "file does not exist", "NEWNS has no mounts");
	ok(kpctl(NODEVS) >= 0, "pctl NODEVS");
	kt_fails(kopen("#U", OREAD), "mount/attach disallowed", "NODEVS forbids #U");
	ok(kopen("#c/null", OREAD) >= 0, "NODEVS allows #c");
	ksetproc(me);
	kprocfree(child);
	ok(kchdir("/") == 0, "cd /");
	ok(kopen("#U", OREAD) >= 0, "parent may still attach #U");
	ok(kgetuser(buf, sizeof buf) != NULL && strcmp(buf, "eve") == 0, "user is the host owner");
}

/* A union bound after itself doubles (its members are copied, as Plan 9
 * does): thirty binds asked for 2^30 entries of host memory.  The mount
 * table is bounded: a bind past it fails "no space" (ENOSPC), and the
 * namespace works on. */
static void
doubling(void)
{
	int i, r = 0;

	kt_hmkdir("dbl");
	kt_hwrite("dbl/f", "f");
	for(i = 0; i < 20 && (r = kbind("/dbl", "/dbl", MAFTER)) == 0; i++)
		;
	ok(r < 0 && strncmp(kt_err(), "no space", 8) == 0, "a union bound after itself again and again stops: bind %d failed: %s", i + 1, kt_err());
	ok(i >= 10, "but only past a thousand members (%d binds)", i);
	isstr(kt_read("/dbl/f"), "f", "the union still reads");
	ok(kunmount(NULL, "/dbl") == 0, "and unmounts");
	ok(kbind("/dbl", "/dbl", MAFTER) == 0, "then binds again");
	kunmount(NULL, "/dbl");
}

int
main(void)
{
	kt_init(0, NULL);
	setup();
	replace();
	unions();
	dotdot();
	files();
	bindunion();
	procs();
	doubling();
	return done_testing();
}
