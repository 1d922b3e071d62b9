/* kern_dirconv.c — packing Dir to 9P2000 stat form and back: round trips,
 * exact layout, and rejection of every malformed buffer. */
#include "kern_test.h"

int
main(void)
{
	Dir d, e, *dv;
	uchar buf[256], two[512];
	char strs[256];
	uint n, i;
	int bad;
	memset(&d, 0, sizeof d);
	d.type = 'U'; d.dev = 7; d.qid.path = 0x1122334455667788ULL; d.qid.vers = 9; d.qid.type = QTDIR;
	d.mode = DMDIR|0755; d.atime = 1000; d.mtime = 2000; d.length = 0x0102030405LL;
	d.name = "name"; d.uid = "u"; d.gid = "gg"; d.muid = "";
	n = convD2M(&d, buf, sizeof buf);
	is(n, STATFIXLEN + 4 + 1 + 2 + 0, "packed size");
	is(sizeD2M(&d), n, "sizeD2M agrees");
	is(buf[0] | buf[1] << 8, n - 2, "size field excludes itself");
	is(buf[2], 'U', "type little-endian");
	is(buf[8], QTDIR, "qid.type after dev");
	is(buf[13], 0x88, "qid.path low byte first");
	is(statcheck(buf, n), 0, "statcheck accepts it");
	is(convM2D(buf, n, &e, strs), n, "convM2D uses it all");
	ok(e.type == 'U' && e.dev == 7 && e.qid.path == d.qid.path && e.qid.vers == 9 && e.qid.type == QTDIR &&
	   e.mode == d.mode && e.atime == 1000 && e.mtime == 2000 && e.length == d.length, "numbers round-trip");
	ok(strcmp(e.name, "name") == 0 && strcmp(e.uid, "u") == 0 && strcmp(e.gid, "gg") == 0 && strcmp(e.muid, "") == 0, "strings round-trip");
	is(convD2M(&d, buf, 10), BIT16SZ, "a short buffer gets only the size");
	is(convD2M(&d, buf, 1), 0, "less than the size field: 0");
	/* every truncation and every bad length is refused */
	bad = 0;
	for(i = 0; i < n; i++)
		if(statcheck(buf, i) == 0 || convM2D(buf, i, &e, strs) != 0)
			bad++;
	is(bad, 0, "every truncated stat is refused");
	buf[STATFIXLEN - 8] = 200;	/* name length beyond the end */
	ok(statcheck(buf, n) < 0 && convM2D(buf, n, &e, strs) == 0, "a string past the end is refused");
	n = convD2M(&d, buf, sizeof buf);
	buf[STATFIXLEN] = 0;	/* NUL inside the name */
	ok(statcheck(buf, n) < 0, "NUL in a name is refused");
	n = convD2M(&d, buf, sizeof buf);
	buf[0]++;
	ok(statcheck(buf, n) < 0, "a wrong size field is refused");
	buf[0]--;
	/* a run of two stats */
	n = convD2M(&d, two, sizeof two);
	d.name = "second";
	n += convD2M(&d, two + n, sizeof two - n);
	is(dirpackage(two, n, &dv), 2, "dirpackage unpacks two");
	ok(strcmp(dv[0].name, "name") == 0 && strcmp(dv[1].name, "second") == 0 && dv[1].qid.path == d.qid.path, "in order");
	free(dv);
	is(dirpackage(two, n - 1, &dv), -1, "a cut-off run is refused");
	/* Plan 9's limit: a packed Dir is at most STATMAX bytes */
	{
		char *big = malloc(STATMAX);
		Dir b = d;
		uchar copy[256];
		memset(big, 'n', STATMAX - 1);
		big[STATMAX - STATFIXLEN] = 0;
		b.name = big; b.uid = b.gid = b.muid = "";
		is(sizeD2M(&b), STATMAX, "a Dir of exactly STATMAX bytes packs");
		big[STATMAX - STATFIXLEN] = 'n';
		big[STATMAX - STATFIXLEN + 1] = 0;
		is(sizeD2M(&b), 0, "one byte more does not");
		is(convD2M(&b, buf, sizeof buf), 0, "and convD2M refuses it");
		free(big);
		/* unpacking into strs leaves the buffer as it was */
		d.name = "name";
		n = convD2M(&d, buf, sizeof buf);
		memcpy(copy, buf, n);
		ok(convM2D(buf, n, &e, strs) == n && memcmp(copy, buf, n) == 0 && strcmp(e.name, "name") == 0,
		   "convM2D with strs does not touch the buffer");
		ok(convM2D(buf, n, &e, NULL) == n && strcmp(e.name, "name") == 0 && strcmp(e.gid, "gg") == 0,
		   "convM2D without strs unpacks in place");
	}
	nulldir(&e);
	ok(e.mode == (ulong)~0UL && e.length == -1 && e.name[0] == 0, "nulldir");
	n = convD2M(&e, buf, sizeof buf);
	ok(convM2D(buf, n, &d, strs) == n && d.length == -1 && (d.mode & 0xFFFFFFFFUL) == 0xFFFFFFFFUL, "nulldir survives packing");
	return done_testing();
}
