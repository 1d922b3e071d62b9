/* mnt_hostile.c — devmnt (#M) and the libstyx client against a hostile
 * 9P server: replies with wrong tags or types, Rread and Rwrite counts
 * larger than asked or than the message, Rwalk with more qids than names
 * or more than 16, malformed stats in Rstat and in directory reads,
 * Rerror strings as long as msize allows, msize raised in Rversion,
 * Ropen iounit 0 and 2^32-1, a reply to a flushed tag after its Rflush,
 * a server that closes mid-message.  Each must fail the one call (or
 * hang up the connection) with an error, never crash, leak or hang;
 * styx_san.t runs this under ASan and LSan.  The server is written here
 * on libstyx's codec and raw bytes (tests/lib/fake9p.h), one scenario
 * per connection. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include "kern_test.h"
#include "fake9p.h"

enum { MSIZE = 8192 + STYX_IOHDRSZ, NFID = 1024 };

static const char content[] = "hello, hostile world\n";

/* The tree: 0 the root (a directory), 1 "f" (a file), 2 "d" (a
 * directory), 3 "slow" (a file whose reads are never answered until
 * flushed). */
static const char *names[] = { "", "f", "d", "slow" };

static char scen[32];		/* the next connection's scenario */
static atomic_int nflush;
static atomic_int nslowread;	/* Treads of "slow" the server holds */

static StyxQid
qid(int n)
{
	return f9qid(n, n == 0 || n == 2);
}

static size_t
packstat(int n, uint8_t *buf, size_t max)
{
	StyxDir d;

	return styx_packdir(f9dir(&d, qid(n), names[n], n == 1 ? sizeof content - 1 : 0), buf, max);
}

static int
scis(const char *s, const char *name)
{
	return strcmp(s, name) == 0;
}

/* One connection, scenario sc, until the client goes or sc ends it. */
static void
serveconn(int fd, void *a)
{
	int fids[NFID], i, n, slowtag = -1;
	uint8_t *b, raw[MSIZE], st[512];
	char sc[32];
	Fcall t, r;

	(void)a;
	memcpy(sc, scen, sizeof sc);
	for(i = 0; i < NFID; i++)
		fids[i] = -1;
	while((b = f9next(fd, MSIZE, &t)) != NULL){
		memset(&r, 0, sizeof r);
		r.type = t.type + 1;
		r.tag = t.tag;
		switch(t.type){
		case Tversion:
			r.msize = t.msize < MSIZE ? t.msize : MSIZE;
			if(scis(sc, "msizeup"))
				r.msize = t.msize + 4096;
			r.version = "9P2000";
			f9reply(fd, &r);
			break;
		case Tattach:
			if(t.fid >= NFID){
				f9error(fd, t.tag, "fid out of range");
				break;
			}
			fids[t.fid] = 0;
			r.qid = qid(0);
			f9reply(fd, &r);
			break;
		case Twalk:
			if(t.fid >= NFID || t.newfid >= NFID || fids[t.fid] < 0){
				f9error(fd, t.tag, "unknown fid");
				break;
			}
			if(scis(sc, "errhuge")){
				/* as long as msize allows */
				char *e = malloc(MSIZE - 9 - 7 + 1);
				memset(e, 'E', MSIZE - 9 - 7);
				e[MSIZE - 9 - 7] = 0;
				f9error(fd, t.tag, e);
				free(e);
				break;
			}
			n = fids[t.fid];
			for(i = 0; i < t.nwname; i++){
				int j;
				if(n != 0)
					break;
				for(j = 1; j < 4; j++)
					if(strcmp(t.wname[i], names[j]) == 0)
						break;
				if(j == 4)
					break;
				n = j;
				r.wqid[i] = qid(n);
			}
			r.nwqid = i;
			if(i == 0 && t.nwname > 0){
				f9error(fd, t.tag, "file does not exist");
				break;
			}
			if(i == t.nwname)
				fids[t.newfid] = t.nwname == 0 ? fids[t.fid] : n;
			if(t.nwname > 0 && scis(sc, "badtag"))
				r.tag = t.tag ^ 0x155;
			else if(t.nwname > 0 && scis(sc, "badtype"))
				r.type = Rclunk;
			else if(t.nwname > 0 && scis(sc, "walkmore")){
				r.nwqid = t.nwname + 1;	/* a qid for a name not sent */
				r.wqid[t.nwname] = qid(2);
			}else if(t.nwname > 0 && scis(sc, "walkzero"))
				r.nwqid = 0;
			else if(t.nwname > 0 && scis(sc, "walk17")){
				/* nwqid 17, with 17 qids: packsize refuses it */
				memset(raw, 0, sizeof raw);
				f9put16(raw + 7, 17);
				f9raw(fd, Rwalk, t.tag, raw, 7 + 2 + 17 * 13);
				break;
			}
			f9reply(fd, &r);
			break;
		case Topen:
			if(t.fid >= NFID || fids[t.fid] < 0){
				f9error(fd, t.tag, "unknown fid");
				break;
			}
			r.qid = qid(fids[t.fid]);
			r.iounit = scis(sc, "iounit0") ? 0 : scis(sc, "iounithuge") ? 0xffffffff : 0;
			f9reply(fd, &r);
			break;
		case Tread:
			if(t.fid >= NFID || fids[t.fid] < 0){
				f9error(fd, t.tag, "unknown fid");
				break;
			}
			n = fids[t.fid];
			if(n == 3){
				/* answered only after the flush (slowtag) */
				slowtag = t.tag;
				atomic_fetch_add(&nslowread, 1);
				break;
			}
			if(n == 0 || n == 2){
				size_t m = 0;
				if(t.offset == 0 && n == 0){
					for(i = 1; i < 4; i++)
						m += packstat(i, st + m, sizeof st - m);
					if(scis(sc, "dirbad"))
						st[0] += 3;	/* the first entry's size too big: entries overlap */
					else if(scis(sc, "dirpast"))
						f9put16(st + m - packstat(3, raw, sizeof raw), 400);	/* the last runs past the data */
					else if(scis(sc, "dirstr"))
						f9put16(st + 2 + 39, 200);	/* the first's name runs past its entry */
				}
				if(m > t.count)
					m = 0;
				r.count = m;
				r.data = st;
				f9reply(fd, &r);
				break;
			}
			if(scis(sc, "closemid")){
				/* a header for 100 bytes, 10 of them, then gone */
				memset(raw, 0, sizeof raw);
				f9put32(raw + 7, 89);
				f9raw(fd, Rread, t.tag, raw, 100);
				shutdown(fd, SHUT_RDWR);
				free(b);
				close(fd);
				return;
			}
			if(scis(sc, "readlie")){
				/* count says 100, the message holds 5 */
				memcpy(raw + 11, "hello", 5);
				f9put32(raw + 7, 100);
				f9raw(fd, Rread, t.tag, raw, 11 + 5);
				break;
			}
			if(t.offset >= sizeof content - 1)
				r.count = 0;
			else{
				r.count = sizeof content - 1 - t.offset;
				if(r.count > t.count)
					r.count = t.count;
			}
			memset(raw, 'x', sizeof raw);
			memcpy(raw, content, sizeof content - 1);
			r.data = raw + (t.offset < sizeof content ? t.offset : 0);
			if(scis(sc, "readbig"))
				r.count = t.count + 16 < 4096 ? t.count + 16 : 4096;	/* more than asked */
			f9reply(fd, &r);
			break;
		case Twrite:
			r.count = scis(sc, "writebig") ? t.count + 1 : t.count;
			f9reply(fd, &r);
			break;
		case Tstat:
			if(t.fid >= NFID || fids[t.fid] < 0){
				f9error(fd, t.tag, "unknown fid");
				break;
			}
			n = (int)packstat(fids[t.fid], raw + 9, sizeof raw - 9);
			if(scis(sc, "statsize"))
				f9put16(raw + 9, n);	/* the stat's own size 2 too big */
			else if(scis(sc, "statshort")){
				n = 4;
				f9put16(raw + 9, 2);
			}else if(scis(sc, "statstr") && fids[t.fid] == 1)
				f9put16(raw + 9 + 41, 300);	/* the name runs past the stat */
			f9put16(raw + 7, n);
			f9raw(fd, Rstat, t.tag, raw, 9 + n);
			break;
		case Tflush:
			atomic_fetch_add(&nflush, 1);
			if(scis(sc, "noflush"))
				break;	/* never answered */
			if(scis(sc, "lateflush") && t.oldtag == slowtag){
				/* Rflush, then (once the client has surely given
				 * the tag back) the flushed request's reply anyway */
				f9reply(fd, &r);
				usleep(200000);
				r.type = Rread;
				r.tag = slowtag;
				r.count = 4;
				r.data = (uint8_t*)"late";
				f9reply(fd, &r);
			}else if(t.oldtag == slowtag){
				/* the legal order: the reply, then Rflush */
				Fcall rr;
				memset(&rr, 0, sizeof rr);
				rr.type = Rread;
				rr.tag = slowtag;
				rr.count = 4;
				rr.data = (uint8_t*)"slow";
				f9reply(fd, &rr);
				f9reply(fd, &r);
			}else
				f9reply(fd, &r);
			slowtag = -1;
			break;
		case Tclunk:
		case Tremove:
			if(scis(sc, "noflush") && t.fid < NFID && fids[t.fid] == 3)
				break;	/* slow's clunk never answered either */
			if(t.fid < NFID)
				fids[t.fid] = -1;
			f9reply(fd, &r);
			break;
		default:
			f9error(fd, t.tag, "not here");
		}
		free(b);
	}
	close(fd);
}

static char sockpath[128], addr[160];

/* Mount a new connection in scenario sc at /m. */
static int
mountas(const char *sc)
{
	int fd, r;

	snprintf(scen, sizeof scen, "%s", sc);
	fd = kdial(addr, NULL, NULL, NULL);
	if(fd < 0)
		return -1;
	r = kmount(fd, -1, "/m", MREPL, "");
	kclose(fd);
	return r;
}

/* Read path whole through one open: the bytes, or NULL with why. */
static char *
readall(char *path, long max)
{
	static char buf[8192];
	long n, m;
	int fd;

	fd = kopen(path, OREAD);
	if(fd < 0)
		return NULL;
	for(n = 0; n < max && n < (long)sizeof buf - 1; n += m){
		m = kread(fd, buf + n, sizeof buf - 1 - n);
		if(m < 0){
			kclose(fd);
			return NULL;
		}
		if(m == 0)
			break;
	}
	kclose(fd);
	buf[n] = 0;
	return buf;
}

/* The mount still answers: a sane server's view of f. */
static int
healthy(void)
{
	char *s = readall("/m/f", 4096);

	return s != NULL && strcmp(s, content) == 0;
}

static void
walks(void)
{
	Dir *d;

	ok(mountas("sane") == 0 && healthy(), "a sane server: /m/f reads \"%s\"", "hello, hostile world");

	ok(mountas("badtag") == 0, "badtag: mounted (attach answered right)");
	d = kdirstat("/m/f");
	ok(d == NULL && strstr(kt_err(), "unknown tag") != NULL, "badtag: Rwalk with a tag never sent fails: %s", kt_err());
	free(d);
	d = kdirstat("/m/f");
	ok(d == NULL && strstr(kt_err(), "hungup") != NULL, "badtag: the connection is hung up after: %s", kt_err());
	free(d);

	ok(mountas("badtype") == 0, "badtype: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL && strstr(kt_err(), "another type") != NULL, "badtype: Rclunk for Twalk fails: %s", kt_err());
	free(d);

	ok(mountas("walkmore") == 0, "walkmore: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL && strstr(kt_err(), "bad Rwalk") != NULL, "walkmore: Rwalk with more qids than names fails: %s", kt_err());
	free(d);

	ok(mountas("walkzero") == 0, "walkzero: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL, "walkzero: Rwalk with no qid for one name fails: %s", kt_err());
	free(d);

	ok(mountas("walk17") == 0, "walk17: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL && kt_err()[0] != 0, "walk17: Rwalk with nwqid 17 fails: %s", kt_err());
	free(d);

	ok(mountas("errhuge") == 0, "errhuge: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL && strlen(kt_err()) < ERRMAX && strncmp(kt_err(), "EEEE", 4) == 0,
		"errhuge: an Rerror of %d bytes is cut to the error buffer (%zu)", MSIZE - 16, strlen(kt_err()));
	free(d);
}

static void
reads(void)
{
	char buf[64], *s;
	int fd;
	long n;

	ok(mountas("readbig") == 0, "readbig: mounted");
	fd = kopen("/m/f", OREAD);
	n = fd >= 0 ? kread(fd, buf, 8) : -2;
	ok(n < 0 && strstr(kt_err(), "larger than asked") != NULL, "readbig: Rread count above the asked 8 fails: %s", kt_err());
	if(fd >= 0)
		kclose(fd);

	ok(mountas("readlie") == 0, "readlie: mounted");
	s = readall("/m/f", 100);
	ok(s == NULL && kt_err()[0] != 0, "readlie: Rread count larger than its message fails: %s", kt_err());

	ok(mountas("writebig") == 0, "writebig: mounted");
	fd = kopen("/m/f", OWRITE);
	n = fd >= 0 ? kwrite(fd, "abc", 3) : -2;
	ok(n < 0 && strstr(kt_err(), "larger than asked") != NULL, "writebig: Rwrite count above the 3 sent fails: %s", kt_err());
	if(fd >= 0)
		kclose(fd);

	ok(mountas("iounit0") == 0 && healthy(), "iounit0: Ropen iounit 0 means msize's, reads work");
	ok(mountas("iounithuge") == 0 && healthy(), "iounithuge: Ropen iounit 2^32-1 is clamped, reads work");

	ok(mountas("closemid") == 0, "closemid: mounted");
	s = readall("/m/f", 100);
	ok(s == NULL && strstr(kt_err(), "hungup") != NULL, "closemid: a server gone mid-Rread: %s", kt_err());
	s = readall("/m/f", 100);
	ok(s == NULL, "closemid: the mount fails after: %s", kt_err());

	ok(mountas("msizeup") < 0 && strstr(kt_err(), "raised msize") != NULL, "msizeup: Rversion raising msize refuses the mount: %s", kt_err());
}

static void
stats(void)
{
	uchar buf[512];
	Dir *d, *dd;
	long n;
	int fd;

	ok(mountas("statsize") == 0, "statsize: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL && kt_err()[0] != 0, "statsize: a stat whose size field is wrong fails: %s", kt_err());
	free(d);

	ok(mountas("statshort") == 0, "statshort: mounted");
	ok(kstat("/m/f", buf, sizeof buf) < 0 && kt_err()[0] != 0, "statshort: a 4-byte stat fails: %s", kt_err());

	ok(mountas("statstr") == 0, "statstr: mounted");
	d = kdirstat("/m/f");
	ok(d == NULL && kt_err()[0] != 0, "statstr: a name running past its stat fails: %s", kt_err());
	free(d);

	/* directory reads: the kernel parses the entries (kdirread) */
	ok(mountas("sane") == 0, "dir: a sane server mounted");
	fd = kopen("/m", OREAD);
	n = fd >= 0 ? kdirread(fd, &dd) : -1;
	ok(n == 3 && strcmp(dd[0].name, "f") == 0 && strcmp(dd[2].name, "slow") == 0, "dir: three entries read (%ld)", n);
	if(n > 0)
		free(dd);
	kclose(fd);
	for(int i = 0; i < 3; i++){
		const char *sc[] = { "dirbad", "dirpast", "dirstr" };
		ok(mountas(sc[i]) == 0, "%s: mounted", sc[i]);
		fd = kopen("/m", OREAD);
		dd = NULL;
		n = fd >= 0 ? kdirread(fd, &dd) : -2;
		ok(n < 0 && dd == NULL, "%s: a malformed entry fails the directory read: %s", sc[i], kt_err());
		kclose(fd);
	}
}

/* A reader killed while the server holds its Tread: Tflush; the server
 * answers the read after its Rflush (lateflush) or before (legal). */
static atomic_int readerdone;
static char readererr[ERRMAX];

static void
slowreader(void *a)
{
	char buf[16];
	int fd;

	(void)a;
	readererr[0] = 0;
	fd = kopen("/m/slow", OREAD);
	if(fd < 0 || kread(fd, buf, sizeof buf) < 0)
		kgerrstr(readererr, sizeof readererr);
	if(fd >= 0)
		kclose(fd);
	atomic_store(&readerdone, 1);
}

/* Wait (at most 5 s) until the server holds a Tread more than s0: a
 * fixed pause let a loaded sanitizer run kill the reader before its
 * read was sent, and nothing was flushed. */
static void
waitslowread(int s0)
{
	for(int j = 0; j < 500 && atomic_load(&nslowread) == s0; j++)
		usleep(10000);
}

static void
flushes(void)
{
	const char *sc[] = { "legalflush", "lateflush" };
	int i, j, pid, f0, s0;

	for(i = 0; i < 2; i++){
		ok(mountas(sc[i]) == 0, "%s: mounted", sc[i]);
		atomic_store(&readerdone, 0);
		f0 = atomic_load(&nflush);
		s0 = atomic_load(&nslowread);
		pid = kspawn(slowreader, NULL, 0, "slowreader");
		waitslowread(s0);
		usleep(50000);
		ok(!atomic_load(&readerdone), "%s: the read waits for the server", sc[i]);
		kpkill(pid);
		/* a killed reader does not wait for the Rflush, nor for the
		 * server to take the Tflush */
		for(j = 0; j < 500 && (!atomic_load(&readerdone) || atomic_load(&nflush) == f0); j++)
			usleep(10000);
		ok(atomic_load(&readerdone) && atomic_load(&nflush) == f0 + 1, "%s: a kill flushes it and the reader ends (%s)",
			sc[i], readererr[0] ? readererr : "no error");
		if(i == 0)
			ok(healthy(), "%s: the connection works after", sc[i]);
		else{
			/* the late reply's tag is free again: an unknown tag,
			 * and the connection hangs up */
			isstr(readererr, "interrupted", "%s: the flushed read failed", sc[i]);
			usleep(300000);
			ok(!healthy() && strstr(kt_err(), "unknown tag") != NULL, "%s: a reply after Rflush hangs up the connection: %s",
				sc[i], kt_err());
			ok(mountas("sane") == 0 && healthy(), "%s: a new mount works after", sc[i]);
		}
	}
}

/* A server that answers neither the Tflush of a killed reader's Tread
 * nor the clunk of its fid: the kill must still end the reader, the
 * other requests go on, and the mount can be let go (its tags held for
 * replies that never come). */
static void
noflush(void)
{
	int j, pid, f0, s0;

	ok(mountas("noflush") == 0, "noflush: mounted");
	atomic_store(&readerdone, 0);
	f0 = atomic_load(&nflush);
	s0 = atomic_load(&nslowread);
	pid = kspawn(slowreader, NULL, 0, "slowreader");
	waitslowread(s0);
	usleep(50000);
	ok(!atomic_load(&readerdone), "noflush: the read waits for the server");
	kpkill(pid);
	/* the reader does not wait for the server to take the Tflush */
	for(j = 0; j < 500 && (!atomic_load(&readerdone) || atomic_load(&nflush) == f0); j++)
		usleep(10000);
	ok(atomic_load(&readerdone) && atomic_load(&nflush) == f0 + 1,
		"noflush: a kill flushes it and the reader ends without the Rflush (%s)",
		readererr[0] ? readererr : "no error");
	ok(healthy(), "noflush: the connection works after");
	ok(mountas("sane") == 0 && healthy(), "noflush: the mount replaced (its client freed), a new one works");
}

int
main(void)
{
	char err[STYX_ERRMAX];

	signal(SIGPIPE, SIG_IGN);
	kt_init(0, NULL);
	kt_hmkdir("m");
	snprintf(sockpath, sizeof sockpath, "/tmp/mnt_hostile.%d", (int)getpid());
	snprintf(addr, sizeof addr, "unix!%s", sockpath);
	if(f9listen(addr, serveconn, NULL, F9THREAD, err) < 0){
		printf("Bail out! announce %s: %s\n", addr, err);
		return 1;
	}

	walks();
	reads();
	stats();
	flushes();
	noflush();
	kunmount(NULL, "/m");
	unlink(sockpath);
	return done_testing();
}
