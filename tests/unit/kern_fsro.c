/* kern_fsro.c — #U in read-only mode: reads work, every change is refused
 * with "read-only file system" and the host is untouched. */
#include "kern_test.h"

int
main(void)
{
	Dir nd;
	int fd;
	kt_init(1, NULL);
	kt_hmkdir("d");
	kt_hwrite("d/f", "data");
	isstr(kt_read("/d/f"), "data", "reading works");
	isstr(kt_ls("/d"), "f", "listing works");
	kt_fails(kopen("/d/f", OWRITE), "read-only file system", "open for writing");
	kt_fails(kopen("/d/f", ORDWR), "read-only file system", "open for read/write");
	kt_fails(kopen("/d/f", OREAD|OTRUNC), "read-only file system", "open with OTRUNC");
	kt_fails(kopen("/d/f", OREAD|ORCLOSE), "read-only file system", "open with ORCLOSE");
	kt_fails(kcreate("/d/g", OWRITE, 0644), "read-only file system", "create a file");
	kt_fails(kcreate("/d/h", OREAD, DMDIR|0755), "read-only file system", "create a directory");
	kt_fails(kremove("/d/f"), "read-only file system", "remove");
	nulldir(&nd);
	nd.name = "g";
	kt_fails(kdirwstat("/d/f", &nd), "read-only file system", "rename");
	nulldir(&nd);
	nd.mode = 0777;
	kt_fails(kdirwstat("/d/f", &nd), "read-only file system", "chmod");
	isstr(kt_hread("d/f"), "data", "the host file is unchanged");
	ok(kt_hread("d/g") == NULL, "nothing created");
	/* the rest of the namespace is not read-only */
	fd = kcreate("/env/x", OWRITE, 0666);
	ok(fd >= 0, "other devices still take writes");
	kclose(fd);
	kt_fails(kcreate("/newfile", OWRITE, 0644), "read-only file system", "create at / falls to #U and is refused");
	return done_testing();
}
