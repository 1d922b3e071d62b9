/* kern_err.c — the error path of every k* call gives Inferno's string,
 * and a thread without a proc gets "no kernel proc". */
#include <pthread.h>
#include "kern_test.h"

static char noproc[ERRMAX];
static int noprocr;

static void *
bare(void *a)
{
	(void)a;
	noprocr = kopen("/dev/null", OREAD);
	kgerrstr(noproc, sizeof noproc);
	return NULL;
}

int
main(void)
{
	uchar buf[512];
	char s[ERRMAX], *p;
	Dir *d, nd;
	int fd, wfd, pp[2];
	pthread_t t;

	kt_init(0, "ce|sdU");
	kt_hmkdir("d");
	kt_hwrite("f", "x");

	kt_fails(kread(99, buf, 1), "bad fd", "kread of a closed fd");
	kt_fails(kread(-1, buf, 1), "bad fd", "kread of fd -1");
	kt_fails(kwrite(99, buf, 1), "bad fd", "kwrite");
	kt_fails(kpread(99, buf, 1, 0), "bad fd", "kpread");
	kt_fails(kpwrite(99, buf, 1, 0), "bad fd", "kpwrite");
	kt_fails((int)kseek(99, 0, 0), "bad fd", "kseek");
	kt_fails(kclose(99), "bad fd", "kclose");
	kt_fails(kdup(99, -1), "bad fd", "kdup");
	ok(kfd2path(99) == NULL && strcmp(kt_err(), "bad fd") == 0, "kfd2path fails: bad fd");
	kt_fails(kfstat(99, buf, sizeof buf), "bad fd", "kfstat");
	ok(kdirfstat(99) == NULL && strcmp(kt_err(), "bad fd") == 0, "kdirfstat fails: bad fd");
	kt_fails(kiounit(99), "bad fd", "kiounit");
	{
		Dir *dd;
		kt_fails((int)kdirread(99, &dd), "bad fd", "kdirread");
	}
	fd = kopen("/f", OREAD);
	wfd = kopen("/dev/null", OWRITE);
	kt_fails(kwrite(fd, "x", 1), "inappropriate use of fd", "write on an OREAD fd");
	kt_fails(kread(wfd, buf, 1), "inappropriate use of fd", "read on an OWRITE fd");
	kt_fails(kread(fd, NULL, 5), "bad arg", "read into NULL");
	kt_fails(kread(fd, buf, -1), "bad arg", "negative count");
	kt_fails(kpread(fd, buf, 1, -5), "bad arg", "negative offset");
	kt_fails((int)kseek(fd, -10, KSEEKSET), "negative seek offset", "seek before 0");
	kt_fails((int)kseek(fd, 0, 7), "bad arg", "bad whence");
	kt_fails(kdup(fd, -2), "bad fd", "kdup to -2");
	kclose(wfd);
	kt_fails(kopen("", OREAD), "file does not exist", "open of an empty name");
	kt_fails(kopen("/f", 0x200), "bad arg", "open with unknown mode bits");
	kt_fails(kopen("/d\001x", OREAD), "file name syntax", "control characters in a name");
	kt_fails(kopen("#", OREAD), "file name syntax", "# alone");
	kt_fails(kopen("#Q", OREAD), "file does not exist", "unknown device");
	kt_fails(kopen("#cspec", OREAD), "bad arg", "a spec #c does not take");
	kt_fails(kopen("/d", OWRITE), "is a directory", "open a directory for writing");
	kt_fails(kopen("/f/g", OREAD), "not a directory", "walk through a file");
	kt_fails(kchdir("/f"), "not a directory", "chdir to a file");
	kt_fails(kcreate("/f", OWRITE|OEXCL, 0666), "file already exists", "exclusive create");
	kt_fails(kcreate("/d2", OWRITE, DMDIR|0777), "is a directory", "create a directory for writing");
	kt_fails(kcreate("/", OWRITE, 0666), "file already exists", "create of /");
	kt_fails(kcreate("#c/x", OWRITE, 0666), "permission denied", "create in a device");
	kt_fails(kremove("/nonesuch"), "file does not exist", "remove a missing file");
	kt_fails(kremove("#c/cons"), "permission denied", "remove a device file");
	kt_fails(kstat("/nonesuch", buf, sizeof buf), "file does not exist", "stat a missing file");
	kt_fails(kstat("/f", buf, 1), "stat buffer too small", "stat into 1 byte");
	{
		int r = kstat("/f", buf, 10);
		ok(r == BIT16SZ && (buf[0] | buf[1] << 8) > 10, "a short stat buffer gets the size needed");
	}
	kt_fails(kwstat("/f", buf, 3), "malformed stat buffer", "wstat of a short buffer");
	memset(buf, 0, sizeof buf);
	buf[0] = 200;
	kt_fails(kwstat("/f", buf, STATFIXLEN), "malformed stat buffer", "wstat with a wrong size field");
	nulldir(&nd);
	kt_fails(kdirwstat("#c/cons", &nd), "permission denied", "wstat of a device file");
	kt_fails(kbind("/d", "/f", MREPL), "inconsistent mount", "bind a directory on a file");
	kt_fails(kbind("/d", "/n", 0x100), "bad arg", "bind with unknown flags");
	kt_fails(kbind("/d", "/n", MBEFORE|MAFTER), "bad arg", "bind -a and -b");
	kt_fails(kbind("/nonesuch", "/n", MREPL), "file does not exist", "bind a missing file");
	kt_fails(kbind("/d", "/nonesuch", MREPL), "file does not exist", "bind on a missing file");
	kt_fails(kunmount(NULL, "/n"), "not mounted", "unmount what is not mounted");
	kt_fails(kmount(0, -1, "/n", MREPL, ""), "mount: no mount driver", "kmount without devmnt");
	kt_fails(kfversion(0, 8192, "9P2000", 6), "mount: no mount driver", "kfversion without devmnt");
	kt_fails(kfauth(0, ""), "mount: no mount driver", "kfauth without devmnt");
	kt_fails((int)kseek(kopen("/d", OREAD), 5, KSEEKSET), "is a directory", "seek in a directory");
	ok(kpipe(pp) == 0, "pipe");
	kclose(pp[1]);
	kt_fails(kwrite(pp[0], "x", 1), "write on closed pipe", "write on a closed pipe");
	kclose(pp[0]);
	ok((d = kdirstat("/f")) != NULL, "kdirstat");
	free(d);
	ok(kdirstat("/nonesuch") == NULL && strcmp(kt_err(), "file does not exist") == 0, "kdirstat of a missing file");
	/* kerrstr swaps, kgerrstr copies, kwerrstr sets */
	kwerrstr("my %s", "error");
	snprintf(s, sizeof s, "replacement");
	kerrstr(s, sizeof s);
	isstr(s, "my error", "kerrstr returns the error");
	isstr(kt_err(), "replacement", "and leaves the buffer's text");
	kgerrstr(s, 3);
	isstr(s, "re", "kgerrstr truncates to the buffer");
	/* configured devices only */
	p = kt_read("/dev/drivers");
	ok(p != NULL && strstr(p, "#s srv") && strstr(p, "#U fs"), "drivers lists configured devices");
	ok(kopen("#|", OREAD) >= 0, "#| is configured");
	ok(p != NULL && strstr(p, "#p") == NULL, "#p is not listed");
	kt_fails(kopen("#p", OREAD), "file does not exist", "an unconfigured device cannot be attached");
	kt_fails(kopen("/prog/1", OREAD), "file does not exist", "nor is it in the namespace");
	pthread_create(&t, NULL, bare, NULL);
	pthread_join(t, NULL);
	ok(noprocr < 0, "a thread without a proc cannot make calls");
	isstr(noproc, "no kernel proc", "and is told why");
	kclose(fd);
	return done_testing();
}
