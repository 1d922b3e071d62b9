/*
 * guest_inotify.c — Linux's inotify as a program sees it: events of a
 * directory and a file watch, moves with cookies, IN_DELETE_SELF and
 * IN_IGNORED, one wd for one file reached by two names, IN_MASK_ADD,
 * IN_MASK_CREATE, IN_ONESHOT, IN_ONLYDIR, IN_DONT_FOLLOW, errors, a
 * buffer too small, FIONREAD, O_NONBLOCK, poll, select and epoll woken
 * by a child's change, dup, fork and close-on-exec, coalescing and
 * overflow.  Run in the current directory's tmp/ (the root's /tmp under
 * vxinferno); the same output natively and in the sandbox.
 *
 * guest_inotify host: wait for the host (tests/vxinferno_inotify.t) to
 * change tmp/h/file after "ready" on stdout says the watches are there.
 * guest_inotify many: watches and instances until the sandbox's bounds.
 * guest_inotify union: a union directory's watch (tmp/u).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct { unsigned bit; const char *name; } bits[] = {
	{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
	{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" },
	{ IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
	{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
	{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_UNMOUNT, "UNMOUNT" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" },
	{ IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
};

static unsigned lastcookie;
static char *volatile badptr = (char *)16;

static void
pmask(unsigned m)
{
	size_t i;
	const char *sep = "";

	for(i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if(m & bits[i].bit){
			printf("%s%s", sep, bits[i].name);
			sep = "|";
		}
	if(m & ~(unsigned)(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ISDIR))
		printf("%s0x%x", sep, m);
}

/* Print the events of buf[0..n): cookies as "same" or "new" (their
 * values are the system's) */
static void
pevents(const char *what, char *buf, long n)
{
	struct inotify_event *e;
	char *p;

	for(p = buf; p < buf + n; p += sizeof *e + e->len){
		e = (struct inotify_event *)p;
		printf("%s: wd %d ", what, e->wd);
		pmask(e->mask);
		if(e->cookie != 0){
			printf(" cookie %s", e->cookie == lastcookie ? "same" : "new");
			lastcookie = e->cookie;
		}
		printf(" len %u", e->len);
		if(e->len > 0)
			printf(" name %s", e->name);
		printf("\n");
	}
}

/* Read and print what is queued now (fd is non-blocking) */
static void
drain(int fd, const char *what)
{
	char buf[8192];
	long n;

	while((n = read(fd, buf, sizeof buf)) > 0)
		pevents(what, buf, n);
	if(n < 0 && errno != EAGAIN)
		printf("%s: read: %s\n", what, strerror(errno));
}

static void
res(const char *what, long r)
{
	if(r < 0)
		printf("%s: -1 %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void
touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if(fd < 0)
		printf("create %s: %s\n", path, strerror(errno));
	else
		close(fd);
}

static void
put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	if(fd < 0 || write(fd, s, strlen(s)) < 0)
		printf("write %s: %s\n", path, strerror(errno));
	if(fd >= 0)
		close(fd);
}

static const unsigned changes = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |
	IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF;

static void
errors(void)
{
	int in, pfd[2];

	printf("-- errors\n");
	res("init1 bad flag", inotify_init1(1));
	in = inotify_init1(IN_NONBLOCK);
	if(pipe(pfd) < 0)
		return;
	res("add bad fd", inotify_add_watch(999, "tmp", IN_MODIFY));
	res("add on a pipe", inotify_add_watch(pfd[0], "tmp", IN_MODIFY));
	res("add no events", inotify_add_watch(in, "tmp", IN_ONESHOT));
	res("add bad bit", inotify_add_watch(in, "tmp", IN_MODIFY | 0x800000));
	res("add MASK_ADD|MASK_CREATE", inotify_add_watch(in, "tmp", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
	res("add missing", inotify_add_watch(in, "tmp/nonesuch", IN_MODIFY));
	res("add missing dir", inotify_add_watch(in, "tmp/nonesuch/x", IN_MODIFY));
	res("add empty path", inotify_add_watch(in, "", IN_MODIFY));
	res("add bad path pointer", inotify_add_watch(in, (char *)16, IN_MODIFY));
	touch("tmp/e.file");
	res("add ONLYDIR on a file", inotify_add_watch(in, "tmp/e.file", IN_MODIFY | IN_ONLYDIR));
	res("add ENOTDIR path", inotify_add_watch(in, "tmp/e.file/x", IN_MODIFY));
	res("rm bad fd", inotify_rm_watch(999, 1));
	res("rm on a pipe", inotify_rm_watch(pfd[0], 1));
	res("rm unknown wd", inotify_rm_watch(in, 77));
	res("write", write(in, "x", 1));
	res("read empty, non-blocking", read(in, (char[64]){0}, 64));
	res("lseek", lseek(in, 0, SEEK_SET));
	unlink("tmp/e.file");
	close(pfd[0]);
	close(pfd[1]);
	close(in);
}

static void
dirwatch(void)
{
	int in, wd, wd2, fd;

	printf("-- directory\n");
	mkdir("tmp/w", 0755);
	mkdir("tmp/w2", 0755);
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	printf("cloexec %d\n", (fcntl(in, F_GETFD) & FD_CLOEXEC) != 0);
	printf("nonblock %d\n", (fcntl(in, F_GETFL) & O_NONBLOCK) != 0);
	wd = inotify_add_watch(in, "tmp/w", changes);
	wd2 = inotify_add_watch(in, "tmp/w2", changes);
	printf("wds %d %d\n", wd, wd2);
	res("same dir by another name", inotify_add_watch(in, "tmp/w/../w", changes));
	fd = open("tmp/w/a", O_WRONLY | O_CREAT | O_EXCL, 0644);
	if(write(fd, "hello", 5) != 5)
		printf("write: %s\n", strerror(errno));
	if(write(fd, "hello", 5) != 5)	/* coalesced with the first */
		printf("write: %s\n", strerror(errno));
	close(fd);
	chmod("tmp/w/a", 0600);
	rename("tmp/w/a", "tmp/w/b");
	rename("tmp/w/b", "tmp/w2/c");
	mkdir("tmp/w/sub", 0755);
	rmdir("tmp/w/sub");
	unlink("tmp/w2/c");
	drain(in, "dir");
	res("rm_watch", inotify_rm_watch(in, wd2));
	res("rm_watch again", inotify_rm_watch(in, wd2));
	drain(in, "dir");
	rmdir("tmp/w2");
	rmdir("tmp/w");
	drain(in, "dir");
	close(in);
}

static void
filewatch(void)
{
	int in, wd, fd;
	char small[20], buf[256];
	long n;

	printf("-- file\n");
	touch("tmp/f");
	in = inotify_init();
	wd = inotify_add_watch(in, "tmp/f", IN_ALL_EVENTS);
	printf("wd %d\n", wd);
	symlink("f", "tmp/fl");
	res("through a link", inotify_add_watch(in, "tmp/fl", IN_MODIFY | IN_MASK_ADD));
	res("MASK_CREATE again", inotify_add_watch(in, "tmp/f", IN_MODIFY | IN_MASK_CREATE));
	res("the link itself", inotify_add_watch(in, "tmp/fl", IN_ATTRIB | IN_DELETE_SELF | IN_DONT_FOLLOW));
	put("tmp/f", "more");
	ioctl(in, FIONREAD, &n);
	printf("FIONREAD %ld\n", n);
	res("read into 8 bytes", read(in, small, 8));
	res("read into a bad pointer", read(in, badptr, 64));
	n = read(in, buf, 16);
	printf("read 16: %ld\n", n);
	pevents("file", buf, n > 0 ? n : 0);
	n = read(in, buf, sizeof buf);
	pevents("file", buf, n > 0 ? n : 0);
	fd = fcntl(in, F_GETFL);
	fcntl(in, F_SETFL, fd | O_NONBLOCK);
	unlink("tmp/fl");
	unlink("tmp/f");
	drain(in, "file");
	close(in);
}

/* What a read, a listing and truncations make: Linux's IN_ACCESS only
 * for bytes read, IN_MODIFY alone for truncate and ftruncate. */
static void
readers(void)
{
	char buf[16];
	DIR *d;
	int in, fd;

	printf("-- reads, truncations\n");
	mkdir("tmp/r", 0755);
	touch("tmp/r/x");
	in = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in, "tmp/r", IN_ALL_EVENTS);
	inotify_add_watch(in, "tmp/r/x", IN_ALL_EVENTS);
	d = opendir("tmp/r");
	while(d != NULL && readdir(d) != NULL)
		;
	if(d != NULL)
		closedir(d);
	fd = open("tmp/r/x", O_RDONLY);
	res("read of nothing", read(fd, buf, sizeof buf));
	close(fd);
	res("truncate", truncate("tmp/r/x", 5));
	fd = open("tmp/r/x", O_RDWR);
	res("read of 5", read(fd, buf, sizeof buf));
	res("ftruncate", ftruncate(fd, 2));
	close(fd);
	drain(in, "reads");
	unlink("tmp/r/x");
	rmdir("tmp/r");
	drain(in, "reads");
	close(in);
}

static void
oneshot(void)
{
	int in;

	printf("-- oneshot, mask add\n");
	touch("tmp/o");
	in = inotify_init1(IN_NONBLOCK);
	res("oneshot", inotify_add_watch(in, "tmp/o", IN_MODIFY | IN_ONESHOT));
	put("tmp/o", "1");
	put("tmp/o", "2");
	drain(in, "oneshot");
	res("again", inotify_add_watch(in, "tmp/o", IN_MODIFY));
	res("add ATTRIB", inotify_add_watch(in, "tmp/o", IN_ATTRIB | IN_MASK_ADD));
	chmod("tmp/o", 0600);
	put("tmp/o", "3");
	drain(in, "add");
	res("replace by ATTRIB", inotify_add_watch(in, "tmp/o", IN_ATTRIB));
	put("tmp/o", "4");
	chmod("tmp/o", 0644);
	drain(in, "replace");
	unlink("tmp/o");
	drain(in, "replace");
	close(in);
}

/* A child changes the file while the parent waits in poll, select
 * and epoll_wait, then in a blocking read. */
static void
wakeups(void)
{
	struct epoll_event ev;
	struct pollfd pf;
	fd_set rs;
	int in, ep, i, st;
	char buf[256];
	long n;
	pid_t pid;

	printf("-- wakeups\n");
	touch("tmp/p");
	in = inotify_init();
	inotify_add_watch(in, "tmp/p", IN_MODIFY | IN_ATTRIB);
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.u32 = 7;
	epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev);
	for(i = 0; i < 4; i++){
		pid = fork();
		if(pid == 0){
			if(i % 2 == 0)
				put("tmp/p", "x");
			else
				chmod("tmp/p", 0600 | (i << 4));
			_exit(0);
		}
		switch(i){
		case 0:
			pf.fd = in;
			pf.events = POLLIN | POLLOUT;
			st = poll(&pf, 1, -1);
			printf("poll: %d revents 0x%x\n", st, pf.revents);
			break;
		case 1:
			FD_ZERO(&rs);
			FD_SET(in, &rs);
			printf("select: %d\n", select(in + 1, &rs, NULL, NULL, NULL));
			break;
		case 2:
			memset(&ev, 0, sizeof ev);
			st = epoll_wait(ep, &ev, 1, -1);
			printf("epoll: %d events 0x%x data %u\n", st, ev.events, ev.data.u32);
			break;
		}
		n = read(in, buf, sizeof buf);
		pevents("woken", buf, n > 0 ? n : 0);
		waitpid(pid, &st, 0);
	}
	pf.fd = in;
	pf.events = POLLIN;
	printf("poll, nothing: %d\n", poll(&pf, 1, 0));
	unlink("tmp/p");
	close(ep);
	close(in);
}

/* A child execs this program to read queue fd and print its events */
static void
execread(char *argv0, int fd)
{
	char fdarg[16];
	pid_t pid;
	int st;

	pid = fork();
	if(pid == 0){
		snprintf(fdarg, sizeof fdarg, "%d", fd);
		execl("bin/guest_inotify", argv0, "exec", fdarg, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
}

/* dup, fork, exec: the queue is the open file's */
static void
sharing(char *argv0)
{
	int in, d, st;
	char buf[256];
	long n;
	pid_t pid;

	printf("-- sharing\n");
	touch("tmp/s");
	in = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in, "tmp/s", IN_MODIFY);
	d = dup(in);
	close(in);
	put("tmp/s", "x");
	pid = fork();
	if(pid == 0){
		n = read(d, buf, sizeof buf);
		pevents("child", buf, n > 0 ? n : 0);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	res("parent's read after the child's", read(d, buf, sizeof buf));
	put("tmp/s", "y");
	execread(argv0, d);
	fcntl(d, F_SETFD, FD_CLOEXEC);
	execread(argv0, d);
	unlink("tmp/s");
	close(d);
}

/* Identical events in a row are one; distinct ones fill the queue to
 * max_queued_events and then one IN_Q_OVERFLOW. */
static void
overflow(void)
{
	static char buf[1 << 16];
	int in, fd, i, count, last, lastwd;
	long n, max;
	FILE *f;
	char *p;

	printf("-- overflow\n");
	max = 0;
	f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	if(f == NULL || fscanf(f, "%ld", &max) != 1)
		printf("max_queued_events unknown\n");
	if(f != NULL)
		fclose(f);
	touch("tmp/q");
	fd = open("tmp/q", O_WRONLY);
	in = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in, "tmp/q", IN_MODIFY | IN_ATTRIB);
	for(i = 0; i < 100; i++)
		if(write(fd, "x", 1) != 1)
			break;
	ioctl(in, FIONREAD, &n);
	printf("100 writes: %ld bytes queued\n", n);
	for(i = 0; i < max / 2 + 10; i++){
		if(write(fd, "x", 1) != 1)
			break;
		fchmod(fd, 0600 | (i & 1) << 4);
	}
	count = last = 0;
	lastwd = 0;
	while((n = read(in, buf, sizeof buf)) > 0)
		for(p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len){
			count++;
			last = ((struct inotify_event *)p)->mask;
			lastwd = ((struct inotify_event *)p)->wd;
		}
	printf("events: max_queued_events%+ld, the last ", count - max);
	pmask(last);
	printf(" wd %d\n", lastwd);
	close(fd);
	unlink("tmp/q");
	close(in);
}

/* Read (waiting) and print events of in until there have been count */
static void
waitfor(int in, const char *what, int count)
{
	char buf[512], *p;
	int got;
	long n;

	for(got = 0; got < count; ){
		n = read(in, buf, sizeof buf);
		if(n <= 0)
			break;
		pevents(what, buf, n);
		for(p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len)
			got++;
	}
}

/* The host changes tmp/h/file, and makes tmp/h/new, once it has read
 * "ready" on the guest's stdout (a pipe) */
static int
hostchange(void)
{
	int in;

	in = inotify_init();
	printf("wd %d\n", inotify_add_watch(in, "tmp/h/file", IN_MODIFY | IN_CLOSE_WRITE));
	printf("dir wd %d\n", inotify_add_watch(in, "tmp/h", IN_CREATE));
	printf("ready\n");
	waitfor(in, "host", 3);
	return 0;
}

/* A union directory's watch (vxinferno's -B): the host makes a file in
 * each member once it reads "ready"; both are the union's. */
static int
unionwatch(void)
{
	int in;

	in = inotify_init();
	printf("union wd %d\n", inotify_add_watch(in, "tmp/u", IN_CREATE | IN_DELETE_SELF));
	printf("ready\n");
	waitfor(in, "union", 2);
	return 0;
}

static long
procsys(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/sys/fs/inotify/%s", name);
	f = fopen(path, "r");
	if(f != NULL){
		if(fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * A hostile guest (vxinferno only: the files are /env's): 20 host files
 * watched by two instances, then up to 100,000 watches on distinct
 * files and 200 instances; the bounds /proc/sys/fs/inotify gives end
 * them (ENOSPC, EMFILE).  "ready" once done: the host counts its own
 * inotify descriptors and watches, then writes a line to stdin.
 */
static int
many(void)
{
	char name[64], line[16];
	int in, in2, i, fd, nw, ni, ok;
	long maxw, maxi;

	maxw = procsys("max_user_watches");
	maxi = procsys("max_user_instances");
	mkdir("tmp/m", 0755);
	in = inotify_init();
	in2 = inotify_init();
	nw = 0;
	for(i = 0; i < 20; i++){
		snprintf(name, sizeof name, "tmp/m/%d", i);
		touch(name);
		nw += inotify_add_watch(in, name, IN_MODIFY) > 0;
		nw += inotify_add_watch(in2, name, IN_ATTRIB) > 0;
	}
	ok = 1;
	for(i = 0; i < 100000 && ok; i++){
		snprintf(name, sizeof name, "/env/w%d", i);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if(fd < 0){
			printf("create %s: %s\n", name, strerror(errno));
			break;
		}
		close(fd);
		if(inotify_add_watch(in, name, IN_MODIFY) < 0){
			printf("watch %d: %s\n", nw, strerror(errno));
			ok = 0;
		}else
			nw++;
		if(!ok || i % 1000 == 999)
			printf("watches %d\n", nw);
	}
	printf("watches: %s max_user_watches\n", nw == maxw ? "=" : nw < maxw ? "<" : ">");
	for(ni = 2; ni < 1000; ni++)
		if(inotify_init() < 0){
			printf("instance %d: %s\n", ni, strerror(errno));
			break;
		}
	printf("instances: %s max_user_instances\n", ni == maxi ? "=" : ni < maxi ? "<" : ">");
	printf("ready\n");
	if(read(0, line, sizeof line) < 0)
		printf("stdin: %s\n", strerror(errno));
	close(in);
	printf("after closing one, a watch: %d\n", inotify_add_watch(in2, "/env/w0", IN_MODIFY) > 0);
	for(i = 0; i < 20; i++){
		snprintf(name, sizeof name, "tmp/m/%d", i);
		unlink(name);
	}
	rmdir("tmp/m");
	return 0;
}

int
main(int argc, char **argv)
{
	char buf[256];
	long n;

	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc > 2 && strcmp(argv[1], "exec") == 0){
		n = read(atoi(argv[2]), buf, sizeof buf);
		if(n < 0)
			printf("exec'd: read: %s\n", strerror(errno));
		else
			pevents("exec'd", buf, n);
		return 0;
	}
	if(argc > 1 && strcmp(argv[1], "host") == 0)
		return hostchange();
	if(argc > 1 && strcmp(argv[1], "many") == 0)
		return many();
	if(argc > 1 && strcmp(argv[1], "union") == 0)
		return unionwatch();
	errors();
	dirwatch();
	filewatch();
	readers();
	oneshot();
	wakeups();
	sharing(argv[0]);
	overflow();
	return 0;
}
