/* kern_nsfile.c — namespace(6) files: each command, quoting, $var,
 * includes, and all-or-nothing application with file:line errors. */
#include "kern_test.h"

static char *
ns(void)
{
	static char buf[2][8192];
	static int i;
	char *b = buf[i++ & 1], *s = kt_read("/prog/1/ns");
	snprintf(b, 8192, "%s", s != NULL ? s : "(null)");
	return b;
}

int
main(void)
{
	char *before, *s;
	kt_init(0, NULL);
	kt_hmkdir("a"); kt_hwrite("a/x", "ax");
	kt_hmkdir("b"); kt_hwrite("b/y", "by");
	kt_hmkdir("my dir"); kt_hwrite("my dir/q", "q");
	kt_hmkdir("lib");
	kt_hwrite("rel", "r");
	isstr(kt_read("rel"), "r", "a relative name from the first dot sees the host directory unioned at /");

	s = ns();
	ok(strstr(s, "bind -ac '#U' /\n") && strstr(s, "bind -b '#c' /dev\n") && strstr(s, "bind -c '#e' /env\n") &&
	   strstr(s, "bind '#p' /prog\n") && strstr(s, "bind '#d' /fd\n") && strstr(s, "bind -c '#s' /srv\n"),
	   "the default namespace is emu's");

	ok(knsstring("# a comment\n\nbind -a /b /a   # trailing comment\n", "t1") == 0, "bind -a with comments and blank lines");
	isstr(kt_ls("/a"), "x y", "applied");
	ok(knsstring("unmount /b /a\n", "t2") == 0 && strcmp(kt_ls("/a"), "x") == 0, "unmount new old");
	ok(knsstring("bind -bc /b /a\nunmount /a\n", "t3") == 0 && strcmp(kt_ls("/a"), "x") == 0, "unmount old");
	ok(knsstring("bind '/my dir' /a\n", "t4") == 0 && strcmp(kt_ls("/a"), "q") == 0, "quoted name with a blank");
	ok(knsstring("unmount /a\nbind 'it''s' /a\n", "t5") < 0, "'' is a quote inside quotes");
	isstr(kt_err(), "t5:2: bind 'it''s' /a: file does not exist", "(it's does not exist; the words quoted again)");
	ok(knsstring("bind -a #c /a\nunmount #c /a # gone again\n", "t5b") == 0 && strcmp(kt_ls("/a"), "q") == 0, "unquoted #c is a device, not a comment");
	ok(knsstring("cd /a\n", "t6") == 0 && strcmp(kt_dot(), "/a") == 0, "cd");
	ok(knsstring("cd /\n", "t6b") == 0, "cd /");

	kt_write("/env/where", "b");
	kt_create("/env/where", OWRITE, 0666, "b");
	ok(knsstring("bind /$where /a\n", "t7") == 0 && strcmp(kt_ls("/a"), "y") == 0, "$var from the environment");
	ok(knsstring("unmount /a\n", "t7b") == 0, "unmount");

	kt_hwrite("lib/inc", "bind -a /b /a\n");
	kt_hwrite("lib/top", "# top\n. /lib/inc\nbind -a '#c' /a\n");
	ok(knsfile("/lib/top") == 0, "knsfile with an include");
	isstr(kt_ls("/a"), "x y cons consctl drivers full hostowner msec null pid random sysctl sysname time tty urandom user zero", "both lines applied");
	ok(knsstring("unmount /a\n", "t8") == 0, "unmount");

	/* all or nothing */
	before = ns();
	ok(knsstring("bind -a /b /a\nbind /nonesuch /a\n", "bad1") < 0, "a bad second line fails");
	isstr(kt_err(), "bad1:2: bind /nonesuch /a: file does not exist", "error names file, line and what failed");
	isstr(ns(), before, "nothing of the file was applied");
	isstr(kt_ls("/a"), "x", "/a unchanged");
	ok(knsstring("cd /b\nfrobnicate /a\n", "bad2") < 0, "unknown command");
	isstr(kt_err(), "bad2:2: unknown command frobnicate", "named");
	isstr(kt_dot(), "/", "cd before the bad line was undone");
	ok(knsstring("bind -x /b /a\n", "bad3") < 0 && strcmp(kt_err(), "bad3:1: bind: bad flag -x") == 0, "bad flag");
	ok(knsstring("bind -ab /b /a\n", "bad4") < 0 && strcmp(kt_err(), "bad4:1: bind: -a and -b together") == 0, "-a with -b");
	ok(knsstring("bind /b\n", "bad5") < 0 && strcmp(kt_err(), "bad5:1: usage: bind [-abcC] new old") == 0, "too few words");
	ok(knsstring("bind /$nope /a\n", "bad6") < 0 && strcmp(kt_err(), "bad6:1: undefined variable $nope") == 0, "undefined variable");
	ok(knsstring("bind '/b /a\n", "bad7") < 0 && strcmp(kt_err(), "bad7:1: unmatched quote") == 0, "unmatched quote");
	ok(knsstring("mount /srv/x /n\n", "bad8") < 0 && strcmp(kt_err(), "bad8:1: mount /srv/x /n: file does not exist") == 0, "mount of a missing service");
	kt_hwrite("lib/bad", "bind /b /a\nunmount /nonesuch\n");
	kt_hwrite("lib/top2", "bind -a '#c' /a\n. /lib/bad\n");
	ok(knsfile("/lib/top2") < 0, "a bad included file");
	isstr(kt_err(), "/lib/top2:2: /lib/bad:2: unmount /nonesuch: file does not exist", "names both files");
	isstr(ns(), before, "and nothing was applied");
	kt_hwrite("lib/loop", ". /lib/loop\n");
	ok(knsfile("/lib/loop") < 0 && strstr(kt_err(), "includes nested too deep") != NULL, "include loops stop");
	ok(knsfile("/lib/none") < 0 && strcmp(kt_err(), "file does not exist") == 0, "missing namespace file");
	kt_hwrite("lib/top3", "bind -a '#c' /a\n. /lib/none\n");
	kt_fails(knsfile("/lib/top3"), "/lib/top3:2: . /lib/none: file does not exist", "a missing include is named");
	{
		/* words that would push the cause out are left out, then the place */
		char line[200];
		snprintf(line, sizeof line, "bind /%0100d /a\n", 0);
		kt_fails(knsstring(line, "long"), "long:1: file does not exist", "long words: the place and the cause");
	}
	{
		/* a NUL ended the text there: the bad line after it went unseen */
		FILE *f = fopen(kt_hpath("lib/nul"), "w");
		if(f != NULL){
			fwrite("bind -a /b /a\n\0\nbind /nonesuch /a\n", 1, 35, f);
			fclose(f);
		}
		ok(knsfile("/lib/nul") < 0 && strcmp(kt_err(), "/lib/nul: a NUL byte in a namespace file") == 0,
			"a NUL byte in a namespace file is an error, not its end (%s)", kt_err());
		isstr(ns(), before, "and nothing was applied");
	}
	ok(knsstring("bind a b c d e f g h i j k l m n o p q\n", "bad9") < 0
		&& strcmp(kt_err(), "bad9:1: too many words") == 0, "too many words (their copies freed: kern_san.t)");

	/* a shared namespace changes for every proc at once */
	{
		Proc *me = kcurproc(), *c = kprocnew(0);
		ok(knsstring("bind /b /a\n", "t9") == 0, "apply to a shared namespace");
		ksetproc(c);
		isstr(kt_ls("/a"), "y", "the sharing proc sees it");
		ksetproc(me);
		kprocfree(c);
		ok(knsstring("unmount /a\n", "t9b") == 0, "unmount");
	}

	/* mount lines: /b exported over a kernel pipe posted in #s */
	{
		int p[2], fd;
		char n[16];
		ok(kpipe(p) == 0, "a pipe for the export");
		fd = kcreate("/srv/fs", OWRITE, 0666);
		snprintf(n, sizeof n, "%d", p[0]);
		kwrite(fd, n, strlen(n));
		kclose(fd);
		ok(kexport(p[1], "/b", KEXPASYNC) == 0, "export /b on the pipe");
		kclose(p[0]);
		kclose(p[1]);
	}
	ok(knsstring("mount -c /srv/fs /n spec\n", "m1") == 0, "mount line");
	isstr(kt_ls("/n"), "y", "the mount serves /b");
	ok(strstr(ns(), "mount -c '#|/data' /n spec\n") != NULL, "ns shows the mount with its spec");
	ok(knsstring("unmount /n\nmount -bu glenda /srv/fs /n\n", "m2") == 0, "mount -u user");
	ok(strstr(ns(), "mount -b -u glenda '#|/data' /n\n") != NULL, "ns shows -u user");
	ok(knsstring("unmount /n\nmount -u 'ken' -c /srv/fs /n\n", "m3") == 0 && strstr(ns(), "mount -c -u ken '#|/data' /n\n") != NULL,
		"-u as a word of its own, then more flags");
	ok(knsstring("unmount /n\n", "m4") == 0, "unmount");
	kt_fails(knsstring("mount -u\n", "m5"), "m5:1: mount: -u needs a user name", "-u without a name");
	kt_fails(knsstring("mount -u 'a b' /srv/fs /n\n", "m6"), "m6:1: mount -u 'a b' /srv/fs /n: bad user name", "a user name with a blank");
	kt_fails(knsstring("bind -u x /a /b\n", "m7"), "m7:1: bind: bad flag -u", "bind has no -u");
	kremove("/srv/fs");
	return done_testing();
}
