/* mnt_local.c — export, then mount, in one process: a unix socket, TCP
 * on loopback and a kernel pipe carry 9P from devmnt to kexport.  File
 * operations through the mount are checked against the host directory;
 * concurrent clients, flush of a blocked read by a kill, kfversion and
 * kfauth, msize edge cases and the diod refusal. */
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "kern_test.h"
#include "styx.h"
#include "diod.h"

static char unixaddr[300];
static char tcpaddr[64];

/* A free loopback port (racy, but only loopback and only this test). */
static int
freeport(void)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if(fd < 0 || bind(fd, (struct sockaddr*)&a, sizeof a) < 0 || getsockname(fd, (struct sockaddr*)&a, &n) < 0)
		return -1;
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
mountaddr(char *addr, char *old)
{
	int fd, r, i;

	for(i = 0; i < 100; i++){	/* the listener may not be up yet */
		fd = kdial(addr, NULL, NULL, NULL);
		if(fd >= 0)
			break;
		usleep(20000);
	}
	if(fd < 0)
		return -1;
	r = kmount(fd, -1, old, MREPL, "");
	kclose(fd);
	return r;
}

static void
fileops(char *mnt, char *what)
{
	char path[256], buf[64];
	Dir *d, nd;
	int fd;

	snprintf(path, sizeof path, "%s/export/hello", mnt);
	isstr(kt_read(path), "hello, world\n", "%s: read a host file through the mount", what);
	snprintf(path, sizeof path, "%s/export/new", mnt);
	ok(kt_create(path, OWRITE, 0644, "created\n") == 0, "%s: create and write", what);
	isstr(kt_hread("export/new"), "created\n", "%s: the file is on the host", what);
	ok(kt_write(path, "rewritten\n") == 0, "%s: open OTRUNC and write", what);
	isstr(kt_hread("export/new"), "rewritten\n", "%s: the host sees the write", what);
	fd = kopen(path, OREAD);
	ok(fd >= 0 && kpread(fd, buf, 5, 2) == 5 && memcmp(buf, "writt", 5) == 0, "%s: pread at an offset", what);
	kclose(fd);
	d = kdirstat(path);
	ok(d != NULL && d->length == 10 && strcmp(d->name, "new") == 0 && !(d->qid.type & QTDIR),
		"%s: stat gives name, length and qid type", what);
	ok(d != NULL && d->type == 'M', "%s: stat says #M", what);
	free(d);
	nulldir(&nd);
	nd.name = "renamed";
	ok(kdirwstat(path, &nd) == 0 && kt_hread("export/renamed") != NULL, "%s: wstat renames", what);
	snprintf(path, sizeof path, "%s/export/renamed", mnt);
	nulldir(&nd);
	nd.length = 3;
	ok(kdirwstat(path, &nd) == 0, "%s: wstat truncates", what);
	isstr(kt_read(path), "rew", "%s: and the length took", what);
	snprintf(buf, sizeof buf, "%s/export", mnt);
	isstr(kt_ls(buf), "d hello renamed", "%s: directory read", what);
	ok(kremove(path) == 0 && kt_hread("export/renamed") == NULL, "%s: remove", what);
	snprintf(path, sizeof path, "%s/export/d/sub", mnt);
	ok(kt_create(path, OREAD, DMDIR|0755, NULL) == 0, "%s: create a directory", what);
	snprintf(path, sizeof path, "%s/export/d/sub/../../hello", mnt);
	isstr(kt_read(path), "hello, world\n", "%s: .. inside the mount", what);
	snprintf(path, sizeof path, "%s/export/nonesuch", mnt);
	kt_fails(kopen(path, OREAD), "file does not exist", "open of a missing file");
	snprintf(path, sizeof path, "%s/export/d/sub", mnt);
	ok(kremove(path) == 0, "%s: remove a directory", what);
	snprintf(path, sizeof path, "%s/export/d", mnt);
	snprintf(buf, sizeof buf, "%s/export/hello", mnt);
	kt_fails(kcreate(buf, OWRITE|OEXCL, 0644), "file already exists", "exclusive create of an existing file");
}

/* --- concurrent clients ------------------------------------------------- */

enum { NCLIENT = 4, NITER = 40 };
static atomic_int clientok;

/* kt_read's buffers are shared: threads read into their own */
static int
readis(char *path, char *want)
{
	char buf[128];
	long n;
	int fd;

	fd = kopen(path, OREAD);
	if(fd < 0)
		return 0;
	n = kread(fd, buf, sizeof buf - 1);
	kclose(fd);
	if(n < 0)
		return 0;
	buf[n] = 0;
	if(strcmp(buf, want) != 0){
		kwerrstr("read '%s'", buf);
		return 0;
	}
	return 1;
}

static void
client(void *a)
{
	char path[128], want[64];
	long id = (long)a;
	const char *what = "create";
	int i, good = 1;

	if(kpctl(FORKNS) < 0 || mountaddr(id & 1 ? tcpaddr : unixaddr, "/n") < 0){
		diag("client %ld: %s", id, kt_err());
		return;
	}
	for(i = 0; i < NITER && good; i++){
		snprintf(path, sizeof path, "/n/export/c%ld", id);
		snprintf(want, sizeof want, "client %ld round %d\n", id, i);
		good = kt_create(path, OWRITE, 0644, want) == 0;
		if(good)
			what = "read";
		good = good && readis(path, want);
		if(good)
			what = "remove";
		good = good && kremove(path) == 0;
	}
	if(!good)
		diag("client %ld: round %d: %s: %s", id, i, what, kt_err());
	else
		atomic_fetch_add(&clientok, 1);
}

/* --- a read that blocks, then a kill ------------------------------------ */

static atomic_int readerdone;
static char readererr[ERRMAX];

static void
blockedreader(void *a)
{
	char buf[16];
	int fd;

	(void)a;
	fd = kopen("/n/srv/blocker", OREAD);
	if(fd < 0 || kread(fd, buf, sizeof buf) >= 0)
		snprintf(readererr, sizeof readererr, "%s", fd < 0 ? kt_err() : "read returned");
	else
		kgerrstr(readererr, sizeof readererr);
	atomic_store(&readerdone, 1);
}

static int deaf[2];

static void
deafmount(void *a)
{
	(void)a;
	if(kmount(deaf[1], -1, "/mnt", MREPL, "") == 0)
		snprintf(readererr, sizeof readererr, "mounted");
	else
		kgerrstr(readererr, sizeof readererr);
	atomic_store(&readerdone, 1);
}

static void
flushtest(void)
{
	int p[2], fd, pid, i;
	char num[16];
	double t;

	ok(kpipe(p) == 0, "pipe for the blocked read");
	fd = kcreate("#s/blocker", OWRITE, 0666);
	snprintf(num, sizeof num, "%d", p[0]);
	ok(fd >= 0 && kwrite(fd, num, strlen(num)) > 0, "post it in #s");
	kclose(fd);
	pid = kspawn(blockedreader, NULL, 0, "reader");
	usleep(200000);
	ok(!atomic_load(&readerdone), "a read through the mount blocks");
	t = now();
	kpkill(pid);
	for(i = 0; i < 300 && !atomic_load(&readerdone); i++)
		usleep(10000);
	ok(atomic_load(&readerdone) && now() - t < 1.0, "a kill ends it promptly (%.3f s)", now() - t);
	isstr(readererr, "interrupted", "with 'interrupted'");
	kwrite(p[1], "x", 1);
	isstr(kt_read("/n/export/hello"), "hello, world\n", "the connection still works after the flush");
	kremove("#s/blocker");
	kclose(p[0]);
	kclose(p[1]);

	/* a mount whose server never answers Tversion: a kill ends it */
	ok(kpipe(deaf) == 0, "a pipe nobody serves");
	atomic_store(&readerdone, 0);
	pid = kspawn(deafmount, NULL, 0, "deafmount");
	usleep(200000);
	ok(!atomic_load(&readerdone), "mounting it waits for Rversion");
	t = now();
	kpkill(pid);
	for(i = 0; i < 300 && !atomic_load(&readerdone); i++)
		usleep(10000);
	ok(atomic_load(&readerdone) && now() - t < 1.0, "a kill ends the version exchange (%.3f s)", now() - t);
	isstr(readererr, "interrupted", "with 'interrupted'");
	kclose(deaf[0]);
	kclose(deaf[1]);
}

/* --- msize ---------------------------------------------------------------- */

static void
msizetest(void)
{
	char big[10000], err[ERRMAX], v[32];
	int fd, i, r;
	long n, got;

	for(i = 0; i < (int)sizeof big; i++)
		big[i] = 'a' + i % 23;
	{
		FILE *f = fopen(kt_hpath("export/big"), "w");
		fwrite(big, 1, sizeof big, f);
		fclose(f);
	}
	fd = kdial(unixaddr, NULL, NULL, NULL);
	v[0] = 0;
	r = kfversion(fd, 100, v, sizeof v);
	if(!is(r, 256, "kfversion: msize 100 is raised to 256"))
		diag("kfversion: %s", kt_err());
	isstr(v, "9P2000", "kfversion gives the version");
	r = kfauth(fd, "");
	kgerrstr(err, sizeof err);
	ok(r < 0 && strcmp(err, "authentication not required") == 0, "kfauth: %s", err);
	ok(kmount(fd, -1, "/mnt", MREPL, "") == 0, "kmount on the versioned fd");
	kclose(fd);
	fd = kopen("/mnt/export/big", OREAD);
	ok(fd >= 0 && kiounit(fd) == 256 - 24, "iounit is msize-24: %d", fd >= 0 ? kiounit(fd) : -1);
	{
		static char back[20000];
		got = 0;
		while((n = kread(fd, back + got, sizeof back - got)) > 0)
			got += n;
		ok(got == (long)sizeof big && memcmp(back, big, sizeof big) == 0, "a 10000-byte file read in 232-byte messages");
	}
	kclose(fd);
	fd = kopen("/mnt/export/big", OWRITE|OTRUNC);
	ok(fd >= 0 && kwrite(fd, big, sizeof big) == (long)sizeof big, "and written back");
	kclose(fd);
	kunmount(NULL, "/mnt");
	fd = kdial(unixaddr, NULL, NULL, NULL);
	r = kfversion(fd, 8*1024*1024, v, sizeof v);
	is(r, 64*1024 + 24, "kfversion: 8 MiB is cut to the server's 64 KiB + 24");
	kclose(fd);
	fd = kdial(unixaddr, NULL, NULL, NULL);
	snprintf(v, sizeof v, "9P2000.L");
	kt_fails(kfversion(fd, 8192, v, sizeof v), "fversion: only 9P2000 is spoken", "kfversion 9P2000.L");
	kclose(fd);
}

/* --- diod --------------------------------------------------------------- */

static void
diodtest(void)
{
	const char *path;
	char addr[64], listen[64], err[ERRMAX];
	int port, fd, i, st, r;
	pid_t pid;

	path = diodpath(err, sizeof err);
	if(path == NULL){
		ok(1, "diod refused # SKIP %s", err);
		return;
	}
	port = freeport();
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	snprintf(addr, sizeof addr, "tcp!127.0.0.1!%d", port);
	pid = fork();
	if(pid == 0){
		execl(path, "diod", "-f", "-n", "-N", "-l", listen, "-e", kt_root,
			"-L", "/dev/null", "-c", "/dev/null", (char*)NULL);
		_exit(127);
	}
	fd = -1;
	for(i = 0; i < 250 && fd < 0; i++){
		fd = kdial(addr, NULL, NULL, NULL);
		if(fd < 0)
			usleep(20000);
	}
	ok(fd >= 0, "dial diod on %s", addr);
	r = kmount(fd, -1, "/mnt", MREPL, "");
	kgerrstr(err, sizeof err);
	ok(r < 0 && strstr(err, "9P2000.L") != NULL, "mounting diod fails naming 9P2000.L: %s", err);
	kclose(fd);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* The peer's side of the bind on /export/m, mounted at /mnt. */
static void
mtptpeer(void)
{
	struct stat st;
	Dir nd;

	kt_fails(kremove("/mnt/m"), "device or object already in use", "a peer's remove of a bind target in the exporter's namespace");
	nulldir(&nd);
	nd.name = "m3";
	kt_fails(kdirwstat("/mnt/m", &nd), "device or object already in use", "a peer's rename (wstat) of a bind target");
	nulldir(&nd);
	nd.mode = DMDIR | 0700;
	ok(kdirwstat("/mnt/m", &nd) == 0, "a wstat of its mode is no rename");
	ok(stat(kt_hpath("export/m2"), &st) == 0 && S_ISDIR(st.st_mode) && stat(kt_hpath("export/m3"), &st) < 0,
		"the bound directory is still there, by its name");
	ok(kunmount(NULL, "/export/m") == 0 && kremove("/mnt/m") == 0, "once unbound, the peer removes the name");
}

int
main(void)
{
	static char addr[2][300];
	long i;
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	alarm(60);
	kt_init(0, NULL);
	kt_hmkdir("export");
	kt_hmkdir("mnt");
	kt_hmkdir("export/d");
	kt_hwrite("export/hello", "hello, world\n");
	snprintf(unixaddr, sizeof unixaddr, "unix!%s/sock", kt_root);
	snprintf(tcpaddr, sizeof tcpaddr, "tcp!127.0.0.1!%d", freeport());
	snprintf(addr[0], sizeof addr[0], "%s", unixaddr);
	snprintf(addr[1], sizeof addr[1], "%s", tcpaddr);
	kt_fails(kdial("bogus", NULL, NULL, NULL), "bad dial string bogus: want net!address", "dial without a network");
	kt_fails(kdial("udp!1.2.3.4!9", NULL, NULL, NULL), "unsupported network udp in udp!1.2.3.4!9", "dial udp");
	kt_fails(kdial("tcp!127.0.0.1", NULL, NULL, NULL), "bad dial string tcp!127.0.0.1: want tcp!host!port", "dial without a port");
	kt_fails(kdial("tcp!127.0.0.1!99999", NULL, NULL, NULL), "bad dial string tcp!127.0.0.1!99999: port 99999 above 65535",
		"a port past 16 bits (getaddrinfo took 99999 as 34463)");
	ok(kspawn(kt_listener, addr[0], 0, "listen-unix") > 0, "listen on %s", unixaddr);
	ok(kspawn(kt_listener, addr[1], 0, "listen-tcp") > 0, "listen on %s", tcpaddr);

	ok(mountaddr(unixaddr, "/n") == 0, "mount %s on /n", unixaddr);
	fileops("/n", "unix");
	ok(kunmount(NULL, "/n") == 0, "unmount");
	ok(mountaddr(tcpaddr, "/n") == 0, "mount %s on /n", tcpaddr);
	fileops("/n", "tcp");
	ok(kunmount(NULL, "/n") == 0, "unmount");

	/* a peer's remove or rename of a name something is bound on in
	 * the exporter's namespace: in use, as the exporter's own (it
	 * removed or renamed the bound directory, m2) */
	kt_hmkdir("export/m");
	kt_hmkdir("export/m2");
	ok(kbind("/export/m2", "/export/m", MREPL) == 0, "bind /export/m2 on /export/m");
	/* any Chan will do: a kernel pipe, pumped */
	ok(kpipe(p) == 0 && kexport(p[0], "/export", KEXPASYNC) == 0, "export /export on a kernel pipe");
	kclose(p[0]);
	ok(kmount(p[1], -1, "/mnt", MREPL, "") == 0, "mount the pipe");
	kclose(p[1]);
	isstr(kt_read("/mnt/hello"), "hello, world\n", "read through the pipe");
	isstr(kt_read("/mnt/../mnt/hello"), "hello, world\n", ".. at the mount leaves through the mount point");
	kt_fails(kopen("/mnt/d/../../../etc/passwd", OREAD), "file does not exist", ".. never climbs above the exported root");
	mtptpeer();
	ok(kunmount(NULL, "/mnt") == 0, "unmount the pipe");

	{
		char ns[400];
		snprintf(ns, sizeof ns, "mount %s /mnt\n", tcpaddr);
		ok(knsstring(ns, "nsfile") == 0, "a namespace file mounts a dial string");
		isstr(kt_read("/mnt/export/hello"), "hello, world\n", "and the mount works");
		ok(kunmount(NULL, "/mnt") == 0, "unmount it");
		ok(knsstring("mount tcp!127.0.0.1!1 /mnt\n", "ns2") < 0 && strstr(kt_err(), "ns2:1: dial tcp!127.0.0.1!1:") != NULL,
			"a failed dial names the line: %s", kt_err());
	}
	ok(mountaddr(unixaddr, "/n") == 0, "mount again for the flush test");
	flushtest();
	msizetest();

	for(i = 0; i < NCLIENT; i++)
		kspawn(client, (void*)i, 0, "client");
	for(i = 0; i < 1000 && atomic_load(&clientok) < NCLIENT; i++)
		usleep(20000);
	is(atomic_load(&clientok), NCLIENT, "%d concurrent clients, %d rounds each, over unix and tcp", NCLIENT, NITER);
	diodtest();
	return done_testing();
}
