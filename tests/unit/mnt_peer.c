/* mnt_peer.c — devmnt against a 9P server that behaves like the Unix
 * servers in the wild (u9fs, plan9port's ramfs), written here on
 * libstyx's codec alone (and tests/lib/fake9p.h):
 *	- a failed walk says "No such file or directory", not Inferno's
 *	  "file does not exist", and create must still be tried;
 *	- the root's stat names it "" (u9fs) or "." (ramfs), while a mount
 *	  point must stat under its own name;
 *	- the uname of each Tattach is recorded, to check the user setting;
 * and TCP_NODELAY on both ends of a libstyx TCP connection.  With
 * bin/vxinferno built, a guest creates on the same server.  A root stat
 * as big as 9P allows, mounted where its new name makes it too big. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "kern_test.h"
#include "fake9p.h"

enum { NNODE = 64, NFID = 256, MSIZE = 8192 + STYX_IOHDRSZ, MAXDATA = 4096, BIGMSIZE = 65536 + STYX_IOHDRSZ };

typedef struct Node {
	int used;
	int parent;
	int isdir;
	uint32_t perm;
	char name[64];
	char data[MAXDATA];
	long len;
} Node;

/* The server's tree and what it saw, under one lock. */
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static Node node[NNODE];
static const char *rootname = "";
static const char *rootuid = "glenda";	/* bigroot: 65,400 bytes */
static char lastuname[64], lastaname[64];
static int ncreate, nattach;

static const char Enoent[] = "No such file or directory";

static int
child(int dir, const char *name)
{
	int i;

	for(i = 1; i < NNODE; i++)
		if(node[i].used && node[i].parent == dir && strcmp(node[i].name, name) == 0)
			return i;
	return -1;
}

static StyxQid
qidof(int n)
{
	return f9qid(n, node[n].isdir);
}

static size_t
packstat(int n, uint8_t *buf, size_t max)
{
	StyxDir d;

	f9dir(&d, qidof(n), n == 0 ? rootname : node[n].name, node[n].len);
	d.mode = node[n].perm | (node[n].isdir ? STYX_DMDIR : 0);
	if(n == 0)
		d.uid = (char*)rootuid;
	return styx_packdir(&d, buf, max);
}

static const char *
dowalk(int *fids, Fcall *t, Fcall *r)
{
	int n, i, c;

	n = fids[t->fid];
	for(i = 0; i < t->nwname; i++){
		if(!node[n].isdir)
			break;
		c = strcmp(t->wname[i], "..") == 0 ? node[n].parent : child(n, t->wname[i]);
		if(c < 0)
			break;
		n = c;
		r->wqid[i] = qidof(n);
	}
	if(i == 0 && t->nwname > 0)
		return Enoent;
	r->nwqid = i;
	if(i == t->nwname)
		fids[t->newfid] = n;
	return NULL;
}

static const char *
docreate(int *fids, Fcall *t, Fcall *r)
{
	int dir, i;

	dir = fids[t->fid];
	if(!node[dir].isdir)
		return "not a directory";
	if(child(dir, t->name) >= 0)
		return "File exists";
	for(i = 1; i < NNODE && node[i].used; i++)
		;
	if(i == NNODE)
		return "No space left on device";
	memset(&node[i], 0, sizeof node[i]);
	node[i].used = 1;
	node[i].parent = dir;
	node[i].isdir = (t->perm & STYX_DMDIR) != 0;
	node[i].perm = t->perm & 0777;
	snprintf(node[i].name, sizeof node[i].name, "%s", t->name);
	fids[t->fid] = i;
	ncreate++;
	r->qid = qidof(i);
	return NULL;
}

/* Directory reads give every entry at offset 0 and nothing after. */
static const char *
doread(int *fids, Fcall *t, Fcall *r, uint8_t *data)
{
	Node *f;
	size_t m, max;
	int n, i;

	n = fids[t->fid];
	f = &node[n];
	max = t->count < MAXDATA ? t->count : MAXDATA;
	r->count = 0;
	r->data = data;
	if(f->isdir){
		if(t->offset != 0)
			return NULL;
		for(i = 1; i < NNODE; i++)
			if(node[i].used && node[i].parent == n){
				m = packstat(i, data + r->count, max - r->count);
				if(m == 0)
					break;
				r->count += m;
			}
		return NULL;
	}
	if(t->offset < (uint64_t)f->len){
		m = f->len - t->offset;
		r->count = m < max ? m : max;
		memcpy(data, f->data + t->offset, r->count);
	}
	return NULL;
}

static const char *
dowrite(int *fids, Fcall *t, Fcall *r)
{
	Node *f;

	f = &node[fids[t->fid]];
	if(f->isdir)
		return "Is a directory";
	if(t->offset > MAXDATA || t->count > MAXDATA - t->offset)
		return "File too large";
	memcpy(f->data + t->offset, t->data, t->count);
	if((long)(t->offset + t->count) > f->len)
		f->len = t->offset + t->count;
	r->count = t->count;
	return NULL;
}

/* One request: fill r, or return an error text. */
static const char *
answer(int *fids, Fcall *t, Fcall *r, uint8_t *data, uint8_t *stat)
{
	if(t->type != Tversion && t->type != Tattach && t->type != Tauth && t->type != Tflush &&
	   (t->fid >= NFID || fids[t->fid] < 0))
		return "unknown fid";
	if(t->type == Twalk && t->newfid >= NFID)
		return "fid out of range";
	switch(t->type){
	case Tversion:
		r->msize = t->msize < MSIZE ? t->msize : MSIZE;
		if(strcmp(rootuid, "glenda") != 0)
			r->msize = t->msize < BIGMSIZE ? t->msize : BIGMSIZE;
		r->version = "9P2000";
		return NULL;
	case Tauth:
		return "u9fs authnone: no authentication required";
	case Tattach:
		if(t->fid >= NFID)
			return "fid out of range";
		snprintf(lastuname, sizeof lastuname, "%s", t->uname);
		snprintf(lastaname, sizeof lastaname, "%s", t->aname);
		nattach++;
		fids[t->fid] = 0;
		r->qid = qidof(0);
		return NULL;
	case Tflush:
		return NULL;
	case Twalk:
		return dowalk(fids, t, r);
	case Topen:
		r->qid = qidof(fids[t->fid]);
		r->iounit = 0;
		return NULL;
	case Tcreate:
		return docreate(fids, t, r);
	case Tread:
		return doread(fids, t, r, data);
	case Twrite:
		return dowrite(fids, t, r);
	case Tclunk:
		fids[t->fid] = -1;
		return NULL;
	case Tremove:
		if(fids[t->fid] != 0)
			node[fids[t->fid]].used = 0;
		fids[t->fid] = -1;
		return NULL;
	case Tstat:
		r->stat = stat;
		r->nstat = packstat(fids[t->fid], stat, STATMAX);
		return NULL;
	case Twstat:
		return NULL;
	}
	return "unknown message";
}

static void
serveconn(int fd, void *a)
{
	static uint8_t zero;
	int i, fids[NFID];
	uint8_t *in, *data, *stat;
	const char *err;
	Fcall t, r;

	(void)a;
	data = malloc(MAXDATA);
	stat = malloc(STATMAX);
	for(i = 0; i < NFID; i++)
		fids[i] = -1;
	while((in = f9next(fd, BIGMSIZE, &t)) != NULL){
		memset(&r, 0, sizeof r);
		r.data = &zero;
		pthread_mutex_lock(&lk);
		err = answer(fids, &t, &r, data, stat);
		pthread_mutex_unlock(&lk);
		r.tag = t.tag;
		r.type = t.type + 1;
		if(err != NULL){
			r.type = Rerror;
			r.ename = (char*)err;
		}
		i = f9reply(fd, &r);
		free(in);
		if(i < 0)
			break;
	}
	close(fd);
	free(data);
	free(stat);
}

static char sockpath[128], addr[160];

static int
mountpeer(char *old, int flag, char *spec)
{
	int fd, r;

	fd = kdial(addr, NULL, NULL, NULL);
	if(fd < 0)
		return -1;
	r = kmount(fd, -1, old, flag, spec);
	kclose(fd);
	return r;
}

static char *
statname(char *path)
{
	static char name[64];
	uint8_t buf[512];
	char strs[512];
	Dir d, *dp;
	int n;

	n = kstat(path, buf, sizeof buf);
	if(n <= 0 || convM2D(buf, n, &d, strs) == 0)
		return "(stat failed)";
	dp = kdirstat(path);
	if(dp == NULL || strcmp(dp->name, d.name) != 0){
		free(dp);
		return "(kstat and kdirstat differ)";
	}
	free(dp);
	snprintf(name, sizeof name, "%s", d.name);
	return name;
}

static int
hasentry(char *dir, char *name)
{
	Dir *d;
	long n, i;
	int fd, found;

	fd = kopen(dir, OREAD);
	if(fd < 0)
		return 0;
	found = 0;
	while((n = kdirread(fd, &d)) > 0){
		for(i = 0; i < n; i++)
			if(strcmp(d[i].name, name) == 0)
				found = 1;
		free(d);
	}
	kclose(fd);
	return found;
}

static void
interop(void)
{
	char *s;
	int fd, nc;

	/* the uname is the proc's user; the aname the spec */
	if(!ok(mountpeer("/n", MREPL|MCREATE, "") == 0, "mount the peer on /n"))
		diag("%s", kt_err());
	isstr(lastuname, "eve", "Tattach carries the proc's user");
	isstr(lastaname, "", "and an empty aname");

	/* a mount point stats under its own name */
	isstr(statname("/n"), "n", "stat of /n when the server calls its root ''");
	fd = kopen("/n", OREAD);
	s = kfd2path(fd);
	isstr(s, "/n", "fd2path of the mount point is unchanged");
	free(s);
	{
		Dir *d = kdirfstat(fd);
		isstr(d != NULL ? d->name : "(null)", "n", "fstat of an open mount point");
		free(d);
	}
	kclose(fd);
	ok(hasentry("/", "n"), "the mount point's parent lists it as n");

	/* create where the walk said "No such file or directory" */
	nc = ncreate;
	kt_fails(kopen("/n/new", OREAD), Enoent, "the server's own words for a missing file");
	fd = kcreate("/n/new", OWRITE, 0644);
	if(!ok(fd >= 0, "create after a Unix-worded walk error"))
		diag("%s", kt_err());
	ok(ncreate == nc + 1, "one Tcreate was sent");
	ok(kwrite(fd, "hello", 5) == 5, "write the new file");
	kclose(fd);
	isstr(kt_read("/n/new"), "hello", "read it back");
	fd = kcreate("/n/d", OREAD, DMDIR|0755);
	if(!ok(fd >= 0, "mkdir on the peer"))
		diag("%s", kt_err());
	kclose(fd);
	ok(kt_create("/n/d/f", OWRITE, 0644, "x") == 0, "create inside the new directory");
	isstr(kt_read("/n/d/f"), "x", "and read it");
	nc = ncreate;
	kt_fails(kcreate("/n/nodir/f", OWRITE, 0644), Enoent, "a missing directory on the way still fails");
	ok(ncreate == nc, "with no Tcreate");
	fd = kcreate("/n/new", OWRITE|OEXCL, 0644);
	ok(fd < 0, "exclusive create of an existing file fails");
	kclose(fd);
	ok(kunmount(NULL, "/n") == 0, "unmount");

	/* plan9port's ramfs calls its root "." */
	pthread_mutex_lock(&lk);
	rootname = ".";
	pthread_mutex_unlock(&lk);
	ok(mountpeer("/n", MREPL, "") == 0, "mount again");
	isstr(statname("/n"), "n", "stat of /n when the server calls its root '.'");
	ok(kt_ls("/n") != NULL && strstr(kt_ls("/n"), "new") != NULL, "the mounted tree lists its files");
	isstr(statname("/n/d"), "d", "a directory inside keeps the server's name");
	ok(kunmount(NULL, "/n") == 0, "unmount");

	/* the namespace file's user and spec */
	{
		char line[256];

		snprintf(line, sizeof line, "mount -u glenda %s /n main\n", addr);
		if(!ok(knsstring(line, "peer.ns") == 0, "mount -u glenda from a namespace file"))
			diag("%s", kt_err());
		isstr(lastuname, "glenda", "Tattach carries the -u user");
		isstr(lastaname, "main", "and the spec as aname");
		ok(mountpeer("/n", MREPL, "") == 0 && strcmp(lastuname, "eve") == 0,
			"a later plain mount is the proc's user again");
		ok(kunmount(NULL, "/n") == 0, "unmount");
	}
}

/* A root stat of 65,461 bytes is good 9P, but mounted on a 200-byte
 * name it is too big to give under the mount point's name: the stat
 * must still end (it looped, asking the server again and again). */
static atomic_int bigdone;

static void
bigstat(void *a)
{
	Dir *d = kdirstat(a);
	uint8_t buf[256];

	atomic_store(&bigdone, d != NULL && strlen(d->uid) == 65400 && kstat(a, buf, sizeof buf) == BIT16SZ ? 1 : 2);
	free(d);
}

static void
bigroot(void)
{
	static char uid[65401], mtpt[256];
	char name[201];
	int pid, i;

	memset(uid, 'u', 65400);
	memset(name, 'm', 200);
	name[200] = 0;
	snprintf(mtpt, sizeof mtpt, "/%s", name);
	kt_hmkdir(name);
	pthread_mutex_lock(&lk);
	rootuid = uid;
	pthread_mutex_unlock(&lk);
	if(!ok(mountpeer(mtpt, MREPL, "") == 0, "mount a server with a 65,400-byte owner on a 200-byte name"))
		diag("%s", kt_err());
	pid = kspawn(bigstat, mtpt, 0, "bigstat");
	for(i = 0; i < 1000 && atomic_load(&bigdone) == 0; i++)
		usleep(10000);
	ok(atomic_load(&bigdone) == 1, "its stat ends, with the server's entry (a short buffer is told the size)");
	if(atomic_load(&bigdone) == 0)
		kpkill(pid);
	kunmount(NULL, mtpt);
	pthread_mutex_lock(&lk);
	rootuid = "glenda";
	pthread_mutex_unlock(&lk);
}

/* Inferno's kdial/kannounce/klisten signatures and their dir names. */
static void
dialnames(void)
{
	char dir[KNETPATHLEN], want[KNETPATHLEN];
	int afd, cfd, fd;

	afd = kannounce("tcp!127.0.0.1!0", dir);
	ok(afd >= 0, "kannounce with a dir");
	snprintf(want, sizeof want, "#d/%d", afd);
	isstr(dir, want, "dir names the announcement's fd");
	kt_fails(klisten("tcp!127.0.0.1!0", NULL), "bad arg", "klisten wants a dir from kannounce");
	kt_fails(klisten("#d/999", NULL), "bad fd", "klisten of a dir that names no fd");
	cfd = 7;
	kt_fails(kdial(addr, "tcp!127.0.0.1!1", NULL, &cfd), "dial: a local address is not supported", "kdial with a local address");
	ok(cfd == -1, "*cfdp is -1: there is no ctl file");
	fd = kdial(addr, "", dir, &cfd);
	snprintf(want, sizeof want, "#d/%d", fd);
	ok(fd >= 0 && strcmp(dir, want) == 0 && cfd == -1, "kdial names its connection %s", dir);
	kclose(fd);
	kclose(afd);
}

static int
getnodelay(int fd)
{
	socklen_t n;
	int v;

	v = -1;
	n = sizeof v;
	if(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &n) < 0)
		return -1;
	return v;
}

static void
nodelay(void)
{
	char err[STYX_ERRMAX], a[64];
	struct sockaddr_in sin;
	socklen_t n;
	int afd, cfd, sfd;

	afd = styx_announce("tcp!127.0.0.1!0", err);
	ok(afd >= 0, "announce on a tcp port");
	n = sizeof sin;
	getsockname(afd, (struct sockaddr*)&sin, &n);
	snprintf(a, sizeof a, "tcp!127.0.0.1!%d", ntohs(sin.sin_port));
	cfd = styx_dial(a, err);
	sfd = styx_listen(afd, 2000, err);
	ok(cfd >= 0 && sfd >= 0, "dial and listen");
	ok(getnodelay(cfd) > 0, "TCP_NODELAY on the dialed end");
	ok(getnodelay(sfd) > 0, "TCP_NODELAY on the accepted end");
	close(cfd);
	close(sfd);
	close(afd);
}

/* A guest: busybox's echo > and mkdir on the peer, through vxinferno. */
static void
guest(void)
{
	char nsfile[160], cmd[512];
	struct passwd *pw;
	FILE *f;
	int st, n;

	if(access("bin/vxinferno", X_OK) < 0 || access("build/root/bin/sh", X_OK) < 0){
		ok(1, "# SKIP no bin/vxinferno or build/root/bin/sh (run make)");
		ok(1, "# SKIP");
		ok(1, "# SKIP");
		return;
	}
	snprintf(nsfile, sizeof nsfile, "%s.ns", sockpath);
	f = fopen(nsfile, "w");
	fprintf(f, "mount -c %s /n\n", addr);
	fclose(f);
	snprintf(cmd, sizeof cmd, "bin/vxinferno -n %s sh -c 'echo guest > /n/g && mkdir /n/gd && cat /n/g' >/dev/null 2>&1", nsfile);
	st = system(cmd);
	unlink(nsfile);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a guest creates a file and a directory on the peer");
	pthread_mutex_lock(&lk);
	n = child(0, "g");
	ok(n > 0 && node[n].len == 6 && memcmp(node[n].data, "guest\n", 6) == 0 && child(0, "gd") > 0,
		"the server has both");
	pw = getpwuid(getuid());
	isstr(lastuname, pw != NULL ? pw->pw_name : "?", "vxinferno attaches as the host user by default");
	pthread_mutex_unlock(&lk);
}

int
main(void)
{
	char err[STYX_ERRMAX];

	signal(SIGPIPE, SIG_IGN);
	kt_init(0, NULL);
	node[0].used = 1;
	node[0].isdir = 1;
	node[0].perm = 0775;
	snprintf(sockpath, sizeof sockpath, "/tmp/mnt_peer.%d", (int)getpid());
	snprintf(addr, sizeof addr, "unix!%s", sockpath);
	if(f9listen(addr, serveconn, NULL, F9THREAD, err) < 0){
		printf("Bail out! announce %s: %s\n", addr, err);
		return 1;
	}

	interop();
	dialnames();
	nodelay();
	bigroot();
	guest();
	unlink(sockpath);
	return done_testing();
}
