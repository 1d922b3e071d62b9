/* guest_red28 — session 28's red team: a guest that attacks trust between
 * the personality and its own namespace.  Each mode prints what it saw:
 *	fdsforge	a unix socketpair's conversation directory rebound to a
 *		directory of the guest's, whose "fds" file names fds (as
 *		devip's answer to a reader of passed files: "off len fd/mode…");
 *		a recvmsg with room for rights must get none (the runtime
 *		installed 9 and 20, never open, as received), and one with
 *		room for one must not close the fds it names (it closed the
 *		socketpair's own fds behind their records)
 *	convhold	(tests/unit/vxrun_boxunix.c) a socketpair with bytes
 *		queued at one end; makes /ready, waits for /done
 *	convprobe	from another sandbox: the exit status sums what it
 *		reached of other sandboxes' conversations in /net/unix: 1 a
 *		conversation listed, 2 a conversation's file opened, 4 bytes
 *		read from one
 *	elfcut	this program copied to /tmp/elfcut with its program headers
 *		moved 64 pages past the end of its bytes (so the loader cannot
 *		find them in the first page it reads), executed 1000 times
 *		("elfchild": exit 0 at once) while a child cuts the file to a
 *		page and writes it whole again: the loader mapped such a file
 *		and read the headers from the mapping, and a read past the new
 *		end killed the host (SIGBUS); each exec must just succeed,
 *		fail, or die of its text cut short (SIGBUS in the guest)
 *	fdrename	rename of /proc/self/fd/N onto /proc/self/fd/0 and onto
 *		itself, 1000 times: Linux's proc fd directory renames nothing
 *		(EPERM onto an fd's entry; onto itself 0, as any rename of a
 *		name onto itself: 500 of the 1000); vxinferno renamed
 *		the open file, and kept each old name in host memory until
 *		the fd was closed (200,000 renames: +50 MB)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <dirent.h>
#include <elf.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vxguest.h"

/* Fake fds files for every conversation number a socketpair can get
 * here, under dir; the answer starts at offset 1 (a reader about to
 * read 1 byte asks from there). */
static int
fakefds(const char *dir, const char *answer)
{
	char path[128];
	int i, fd;

	mkdir(dir, 0777);
	for(i = 0; i < 64; i++){
		snprintf(path, sizeof path, "%s/%d", dir, i);
		mkdir(path, 0777);
		strcat(path, "/fds");
		fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if(fd < 0 || write(fd, answer, strlen(answer)) != (ssize_t)strlen(answer)){
			printf("fake %s: %s\n", path, strerror(errno));
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* Receive one byte on s with clen bytes of control; print the rights. */
static void
recvone(int s, int clen)
{
	char buf[4], cbuf[256];
	struct iovec iov = { buf, 1 };
	struct msghdr mh;
	struct cmsghdr *c;
	int i, k, *f;
	long r;

	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = clen;
	r = recvmsg(s, &mh, 0);
	if(r < 0){
		printf("recvmsg: %s\n", strerror(errno));
		return;
	}
	printf("recvmsg %ld, control %u, %s\n", r, (unsigned)mh.msg_controllen,
		(mh.msg_flags & MSG_CTRUNC) ? "truncated" : "whole");
	for(c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)){
		k = (c->cmsg_len - CMSG_LEN(0)) / 4;
		f = (int *)CMSG_DATA(c);
		printf("rights:");
		for(i = 0; i < k; i++)
			printf(" %d", f[i]);
		printf("\n");
	}
}

static void
fdsforge(void)
{
	int sv[2], i;
	char b;

	if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0){
		printf("socketpair: %s\n", strerror(errno));
		return;
	}
	if(fakefds("/tmp/fake", "X0 1 0/2 9/2 20/2") < 0 || fakefds("/tmp/fake2", "X0 1 0/2 3/2 4/2") < 0)
		return;
	if(vx_bind("/tmp/fake", "/net/unix", VX_MBEFORE) < 0){
		printf("bind: %s\n", strerror(errno));
		return;
	}
	if(write(sv[1], "x", 1) != 1)
		printf("write: %s\n", strerror(errno));
	recvone(sv[0], 256);
	for(i = 9; i <= 20; i += 11)
		printf("fd %d: %s\n", i, fcntl(i, F_GETFD) < 0 ? strerror(errno) : "open");
	if(vx_bind("/tmp/fake2", "/net/unix", VX_MBEFORE) < 0){
		printf("bind: %s\n", strerror(errno));
		return;
	}
	if(write(sv[1], "y", 1) != 1)
		printf("write: %s\n", strerror(errno));
	recvone(sv[0], CMSG_LEN(4));
	/* the pair still works both ways */
	printf("write: %zd\n", write(sv[0], "z", 1));
	printf("read: %zd\n", read(sv[1], &b, 1));
	printf("write: %zd\n", write(sv[1], "w", 1));
	printf("read: %zd\n", read(sv[0], &b, 1));
}

static void
convhold(void)
{
	int sv[2], i;

	if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || write(sv[1], "theirs", 6) != 6)
		exit(1);
	close(open("/ready", O_WRONLY | O_CREAT, 0666));
	for(i = 0; i < 6000 && access("/done", F_OK) != 0; i++)
		usleep(10000);
	exit(0);
}

static void
convprobe(void)
{
	static const char *files[] = { "data", "ctl", "status", "local", "remote", "fds" };
	char path[300], buf[64];
	struct dirent *e;
	DIR *d;
	int st, fd;
	size_t i;

	st = 0;
	d = opendir("/net/unix");
	while(d != NULL && (e = readdir(d)) != NULL){
		if(e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		st |= 1;
		for(i = 0; i < sizeof files / sizeof files[0]; i++){
			snprintf(path, sizeof path, "/net/unix/%s/%s", e->d_name, files[i]);
			if((fd = open(path, O_RDONLY | O_NONBLOCK)) < 0)
				continue;
			st |= 2;
			if(i == 0 && read(fd, buf, sizeof buf) > 0)
				st |= 4;
			close(fd);
		}
	}
	/* by number, not listed */
	for(i = 0; i < 64; i++){
		snprintf(path, sizeof path, "/net/unix/%zu/data", i);
		if((fd = open(path, O_RDONLY | O_NONBLOCK)) < 0)
			continue;
		st |= 2;
		if(read(fd, buf, sizeof buf) > 0)
			st |= 4;
		close(fd);
	}
	exit(st);
}

static void
elfcut(void)
{
	Elf32_Ehdr *eh;
	struct stat st;
	size_t at, n;
	char *img;
	struct timespec t0, t1;
	pid_t w, c;
	int fd, i, s;

	fd = open("/proc/self/exe", O_RDONLY);
	if(fd < 0 || fstat(fd, &st) < 0){
		printf("elfcut: /proc/self/exe: %s\n", strerror(errno));
		return;
	}
	eh = malloc(sizeof *eh);
	if(eh == NULL || pread(fd, eh, sizeof *eh, 0) != sizeof *eh)
		return;
	at = (((size_t)st.st_size + 4095) & ~(size_t)4095) + 64 * 4096;
	n = at + eh->e_phnum * sizeof(Elf32_Phdr);
	img = calloc(1, n);
	if(img == NULL || pread(fd, img, st.st_size, 0) != st.st_size)
		return;
	close(fd);
	memcpy(img + at, img + eh->e_phoff, eh->e_phnum * sizeof(Elf32_Phdr));
	((Elf32_Ehdr *)img)->e_phoff = at;
	fd = open("/tmp/elfcut", O_CREAT | O_TRUNC | O_WRONLY, 0755);
	if(fd < 0 || write(fd, img, n) != (ssize_t)n){
		printf("elfcut: /tmp/elfcut: %s\n", strerror(errno));
		return;
	}
	close(fd);
	/* left alone, it runs */
	c = fork();
	if(c == 0){
		char *a[] = { "/tmp/elfcut", "elfchild", NULL };
		execve(a[0], a, NULL);
		_exit(99);
	}
	if(c > 0 && waitpid(c, &s, 0) == c)
		printf("elfcut: headers past the first page: status %d\n", WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s));
	w = fork();
	if(w == 0){
		fd = open("/tmp/elfcut", O_WRONLY);
		for(;;){
			if(ftruncate(fd, 4096) < 0 || pwrite(fd, img + 4096, n - 4096, 4096) < 0)
				_exit(1);
		}
	}
	/* at most 1000 execs or 10 s: on a loaded host the rounds are
	 * fewer, but the pre-fix loader died within the first few; a child
	 * that runs a half-written image into a loop ends at its alarm */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for(i = 0; i < 1000; i++){
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if(t1.tv_sec - t0.tv_sec >= 10)
			break;
		c = fork();
		if(c == 0){
			char *a[] = { "/tmp/elfcut", "elfchild", NULL };
			alarm(5);
			execve(a[0], a, NULL);
			_exit(99);
		}
		/* it ran, or the exec failed (99), or it died of its text
		 * cut short under it (SIGBUS): the host must just go on */
		if(c < 0 || waitpid(c, &s, 0) != c){
			printf("elfcut: exec %d: %s\n", i, strerror(errno));
			break;
		}
	}
	kill(w, SIGKILL);
	waitpid(w, &s, 0);
	printf("elfcut: execs done\n");
}

static void
fdrename(void)
{
	char p[64], q[64];
	int fd, i, r, ok;

	mkdir("/tmp/fdrename", 0777);
	fd = open("/tmp/fdrename/f", O_CREAT | O_RDWR, 0644);
	if(fd < 0){
		printf("fdrename: open: %s\n", strerror(errno));
		return;
	}
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	r = rename(p, "/proc/self/fd/0");
	printf("fdrename onto fd 0: %d %s\n", r, r < 0 ? strerror(errno) : "");
	ok = 0;
	for(i = 0; i < 1000; i++){
		snprintf(q, sizeof q, "/proc/self/fd/%d", fd);
		if(rename(p, i & 1 ? "/proc/self/fd/0" : q) == 0)
			ok++;
	}
	printf("fdrename: %d of 1000 renamed\n", ok);
	printf("fdrename: the file %s\n", access("/tmp/fdrename/f", F_OK) == 0 ? "keeps its name" : "was renamed");
	close(fd);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2){
		fprintf(stderr, "usage: guest_red28 fdsforge|convhold|convprobe|elfcut|fdrename\n");
		return 2;
	}
	if(strcmp(argv[1], "elfchild") == 0)
		return 0;
	if(strcmp(argv[1], "fdsforge") == 0)
		fdsforge();
	else if(strcmp(argv[1], "convhold") == 0)
		convhold();
	else if(strcmp(argv[1], "convprobe") == 0)
		convprobe();
	else if(strcmp(argv[1], "elfcut") == 0)
		elfcut();
	else if(strcmp(argv[1], "fdrename") == 0)
		fdrename();
	else{
		fprintf(stderr, "guest_red28: unknown mode %s\n", argv[1]);
		return 2;
	}
	return 0;
}
