/* mnt_remote.c — a server in another process: a child kernel exports
 * its namespace on a unix socket; the parent mounts it, streams a 1 GiB
 * sparse file with bounded memory on both sides, then kills the server
 * with SIGKILL while a read is outstanding. */
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>
#include "kern_test.h"

enum { GiB = 1 << 30 };

/* ASan keeps freed memory in quarantine: RSS says nothing there. */
#include "asan.h"
#ifdef VXASAN
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* VmHWM of a process in KiB, or -1. */
static long
hwm(const char *pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%s/status", pid);
	f = fopen(path, "r");
	if(f == NULL)
		return -1;
	while(fgets(line, sizeof line, f) != NULL)
		if(sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The child: a kernel of its own exporting "/" until killed. */
static void
server(const char *dir, const char *addr, int ready)
{
	Kconf c;
	int afd, fd, p[2];
	char num[16], adir[KNETPATHLEN];

	memset(&c, 0, sizeof c);
	c.root = dir;
	c.user = "srv";
	if(kinit(&c) < 0)
		_exit(2);
	/* a file whose reads block: a pipe nobody writes, posted in #s */
	if(kpipe(p) < 0 || (fd = kcreate("#s/blocker", OWRITE, 0666)) < 0)
		_exit(3);
	snprintf(num, sizeof num, "%d", p[0]);
	kwrite(fd, num, strlen(num));
	kclose(fd);
	afd = kannounce((char*)addr, adir);
	if(afd < 0)
		_exit(4);
	if(write(ready, "r", 1) != 1)
		_exit(5);
	close(ready);
	kt_serve(adir);
	_exit(0);
}

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

int
main(void)
{
	char dir[] = "/tmp/mntsrv.XXXXXX", addr[128], pidstr[16], c;
	static char buf[64*1024];
	int ready[2], fd, i, st, zero;
	long long total;
	long n, before, after, shwm;
	double t;
	FILE *f;
	pid_t pid;

	signal(SIGPIPE, SIG_IGN);
	alarm(90);
	if(mkdtemp(dir) == NULL || pipe(ready) < 0)
		skip_all("no temp dir");
	snprintf(addr, sizeof addr, "unix!%s/sock", dir);
	snprintf(buf, sizeof buf, "%s/export", dir);
	mkdir(buf, 0755);
	snprintf(buf, sizeof buf, "%s/export/big", dir);
	f = fopen(buf, "w");
	if(f == NULL || ftruncate(fileno(f), GiB) < 0)
		skip_all("cannot make a sparse file");
	fclose(f);
	snprintf(buf, sizeof buf, "%s/export/hello", dir);
	f = fopen(buf, "w");
	fputs("remote hello\n", f);
	fclose(f);

	pid = fork();	/* before any thread */
	if(pid == 0){
		close(ready[0]);
		server(dir, addr, ready[1]);
	}
	close(ready[1]);
	ok(read(ready[0], &c, 1) == 1, "the server process is listening");
	kt_init(0, NULL);
	fd = kdial(addr, NULL, NULL, NULL);
	ok(fd >= 0 && kmount(fd, -1, "/n", MREPL, "") == 0, "mount the other process's namespace on /n");
	kclose(fd);
	isstr(kt_read("/n/export/hello"), "remote hello\n", "read a file of the other process");
	ok(kt_create("/n/export/fromclient", OWRITE, 0644, "written remotely\n") == 0, "create and write there");
	snprintf(buf, sizeof buf, "%s/export/fromclient", dir);
	f = fopen(buf, "r");
	ok(f != NULL && fgets(buf, sizeof buf, f) != NULL && strcmp(buf, "written remotely\n") == 0,
		"the server's host directory has it");
	if(f != NULL)
		fclose(f);

	/* 1 GiB through 64 KiB messages */
	before = hwm("self");
	fd = kopen("/n/export/big", OREAD);
	total = 0;
	zero = 1;
	t = now();
	while(fd >= 0 && (n = kread(fd, buf, sizeof buf)) > 0){
		if(buf[0] != 0 || buf[n-1] != 0)
			zero = 0;
		total += n;
	}
	t = now() - t;
	kclose(fd);
	after = hwm("self");
	snprintf(pidstr, sizeof pidstr, "%d", (int)pid);
	shwm = hwm(pidstr);
	ok(total == GiB && zero, "streamed 1 GiB of zeros in %.2f s (%.0f MB/s)", t, total / t / 1e6);
	if(SANITIZED){
		ok(1, "client peak RSS # SKIP under ASan");
		ok(1, "server peak RSS # SKIP under ASan");
	}else{
		ok(before > 0 && after - before < 16*1024, "client peak RSS grew by %ld KiB (< 16 MiB)", after - before);
		ok(shwm > 0 && shwm < 64*1024, "server peak RSS %ld KiB (< 64 MiB)", shwm);
	}

	/* kill the server while a read waits */
	kspawn(blockedreader, NULL, 0, "reader");
	usleep(200000);
	ok(!atomic_load(&readerdone), "a read of the server's pipe blocks");
	t = now();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	for(i = 0; i < 500 && !atomic_load(&readerdone); i++)
		usleep(10000);
	ok(atomic_load(&readerdone) && now() - t < 2.0, "killing the server ends the read (%.3f s)", now() - t);
	ok(strstr(readererr, "hungup") != NULL, "with a hangup error: %s", readererr);
	t = now();
	ok(kt_read("/n/export/hello") == NULL && strstr(kt_err(), "hungup") != NULL && now() - t < 0.5,
		"later calls fail at once: %s", kt_err());
	ok(kunmount(NULL, "/n") == 0, "the dead mount can be unmounted");
	snprintf(buf, sizeof buf, "rm -rf '%s'", dir);
	if(system(buf) != 0)
		diag("cannot remove %s", dir);
	return done_testing();
}
