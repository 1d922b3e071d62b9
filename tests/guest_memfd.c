/*
 * guest_memfd.c — memfd_create, natively and as a guest (the output
 * must be the same): read, write, lseek, ftruncate and fstat of the
 * anonymous file, its name in /proc/self/fd and /proc/self/maps, two
 * MAP_SHARED mappings and a MAP_PRIVATE one, sharing across fork and
 * over SCM_RIGHTS, MFD_CLOEXEC, the flags and names refused, and the
 * seals (F_ADD_SEALS, F_GET_SEALS) with what each forbids.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	PG = 4096,
	XMFD_CLOEXEC = 1, XMFD_ALLOW_SEALING = 2, XMFD_HUGETLB = 4,
	XMFD_NOEXEC_SEAL = 8, XMFD_EXEC = 0x10,
	XF_ADD_SEALS = 1033, XF_GET_SEALS = 1034,
	XSEAL_SEAL = 1, XSEAL_SHRINK = 2, XSEAL_GROW = 4, XSEAL_WRITE = 8,
};

static int
mfd(const char *name, unsigned flags)
{
	return syscall(SYS_memfd_create, name, flags);
}

static void
say(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

/* The names the maps file gives fd's mappings. */
static void
mapsnames(void)
{
	char line[512], *p;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if(f == NULL){
		printf("maps: %s\n", strerror(errno));
		return;
	}
	while(fgets(line, sizeof line, f) != NULL)
		if((p = strstr(line, "/memfd:")) != NULL)
			printf("maps: %s", p);
	fclose(f);
}

static void
basics(void)
{
	char buf[64], path[64], *a, *b, *c;
	struct stat st;
	ssize_t n;
	int fd, r;

	fd = mfd("basic", 0);
	say("create", fd >= 0 ? 0 : -1);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("readlink: %s\n", buf);
	say("openat through it", openat(fd, "x", O_RDONLY));
	say("mkdirat through it", mkdirat(fd, "x", 0777));
	fstat(fd, &st);
	printf("fstat: mode %o size %ld nlink %ld\n", (unsigned)st.st_mode, (long)st.st_size, (long)st.st_nlink);
	printf("flags: fl %o fd %d\n", fcntl(fd, F_GETFL) & O_ACCMODE, fcntl(fd, F_GETFD));
	say("write", write(fd, "hello, memfd", 12));
	say("lseek", lseek(fd, 7, SEEK_SET));
	n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("read: %zd %s\n", n, buf);
	say("ftruncate", ftruncate(fd, 2 * PG));
	fstat(fd, &st);
	printf("fstat: size %ld\n", (long)st.st_size);
	a = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	c = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if(a == MAP_FAILED || b == MAP_FAILED || c == MAP_FAILED){
		printf("mmap: %s\n", strerror(errno));
		exit(1);
	}
	printf("mapped: %.12s\n", b);
	strcpy(a + PG, "through a");
	c[0] = 'J';
	printf("b sees: %s; private: %.5s; file: ", b + PG, c);
	pread(fd, buf, 5, 0);
	printf("%.5s\n", buf);
	pwrite(fd, "written", 8, PG + 100);
	printf("a sees the write: %s\n", a + PG + 100);
	mapsnames();
	if(fork() == 0){
		strcpy(b + 200, "from the child");
		pwrite(fd, "child", 5, 300);
		_exit(0);
	}
	r = wait(NULL);
	printf("after fork: %s, %.5s\n", a + 200, b + 300);
	say("shrink", ftruncate(fd, PG));
	fstat(fd, &st);
	printf("fstat: size %ld\n", (long)st.st_size);
	munmap(a, 2 * PG);
	munmap(b, 2 * PG);
	munmap(c, 2 * PG);
	close(fd);
	(void)r;
}

/* The fd passed over a unix socket to a child, which writes through
 * its own mapping. */
static void
passed(void)
{
	char cbuf[CMSG_SPACE(sizeof(int))], x = 'x', *p;
	struct msghdr m;
	struct cmsghdr *cm;
	struct iovec iov = { &x, 1 };
	int sv[2], fd, got, st;
	pid_t pid;

	fd = mfd("passed", 0);
	ftruncate(fd, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid = fork();
	if(pid == 0){
		close(fd);
		memset(&m, 0, sizeof m);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof cbuf;
		if(recvmsg(sv[1], &m, 0) != 1 || (cm = CMSG_FIRSTHDR(&m)) == NULL)
			_exit(2);
		memcpy(&got, CMSG_DATA(cm), sizeof got);
		p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, got, 0);
		if(p == MAP_FAILED)
			_exit(3);
		strcpy(p, "sent back");
		_exit(0);
	}
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof cbuf;
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof fd);
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	sendmsg(sv[0], &m, 0);
	waitpid(pid, &st, 0);
	printf("passed: child %d, sees %s\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, p);
	close(fd);
}

static void
badflags(void)
{
	char name[300];
	int fd;

	fd = mfd("ce", XMFD_CLOEXEC);
	printf("cloexec: %d\n", fcntl(fd, F_GETFD));
	close(fd);
	say("flag 0x20", mfd("x", 0x20));
	say("flag 1<<31", mfd("x", 1u << 31));
	say("exec and noexec_seal", mfd("x", XMFD_EXEC | XMFD_NOEXEC_SEAL));
	say("size bits without hugetlb", mfd("x", 21u << 26));
	say("hugetlb with a bad bit", mfd("x", XMFD_HUGETLB | 0x100));
	say("bad name", mfd((char*)16, 0));
	memset(name, 'n', sizeof name);
	name[249] = 0;
	fd = mfd(name, 0);
	say("name of 249", fd >= 0 ? 0 : -1);
	close(fd);
	name[249] = 'n';
	name[250] = 0;
	say("name of 250", mfd(name, 0));
	fd = mfd("", 0);
	say("empty name", fd >= 0 ? 0 : -1);
	close(fd);
}

static void
sealing(void)
{
	struct stat st;
	char *p;
	int fd, pfd[2];

	fd = mfd("plain", 0);
	say("plain: get seals", fcntl(fd, XF_GET_SEALS));
	say("plain: add shrink", fcntl(fd, XF_ADD_SEALS, XSEAL_SHRINK));
	close(fd);
	pipe(pfd);
	say("pipe: get seals", fcntl(pfd[0], XF_GET_SEALS));
	close(pfd[0]);
	close(pfd[1]);

	fd = mfd("sealed", XMFD_ALLOW_SEALING);
	say("get seals", fcntl(fd, XF_GET_SEALS));
	ftruncate(fd, 2 * PG);
	say("add shrink", fcntl(fd, XF_ADD_SEALS, XSEAL_SHRINK));
	say("shrink", ftruncate(fd, PG));
	say("grow", ftruncate(fd, 3 * PG));
	say("add grow", fcntl(fd, XF_ADD_SEALS, XSEAL_GROW));
	say("grow", ftruncate(fd, 4 * PG));
	say("write past the end", pwrite(fd, "x", 1, 3 * PG));
	say("write inside", pwrite(fd, "inside", 6, 0));
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	say("add write with a writable shared mapping", fcntl(fd, XF_ADD_SEALS, XSEAL_WRITE));
	munmap(p, PG);
	say("add write", fcntl(fd, XF_ADD_SEALS, XSEAL_WRITE));
	say("write", pwrite(fd, "x", 1, 0));
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	say("writable shared mmap", p == MAP_FAILED ? -1 : 0);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	say("read-only shared mmap", p == MAP_FAILED ? -1 : 0);
	printf("reads: %.6s\n", p);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	say("writable private mmap", p == MAP_FAILED ? -1 : 0);
	say("add seal", fcntl(fd, XF_ADD_SEALS, XSEAL_SEAL));
	say("add after seal", fcntl(fd, XF_ADD_SEALS, 0));
	say("get seals", fcntl(fd, XF_GET_SEALS));
	fstat(fd, &st);
	printf("size %ld\n", (long)st.st_size);
	close(fd);
}

/* Up to 16 memfds of 8 MiB, all kept open: each filled through a
 * mapping then unmapped, or written through a second open (of
 * /proc/self/fd/N) then closed.  Each memfd's pages stay charged
 * (vxinferno held 20 of 32 MiB under -M 64 either way). */
static void
many(void)
{
	static char mb[1 << 20];
	int fd[16], i, k, n, r;
	char path[64], *p;

	memset(mb, 'm', sizeof mb);
	for(i = 0; i < 16; i++){
		fd[i] = mfd("many", 0);
		if(fd[i] < 0 || ftruncate(fd[i], 8 << 20) < 0)
			break;
		p = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd[i], 0);
		if(p == MAP_FAILED)
			break;
		memset(p, 'm', 8 << 20);
		munmap(p, 8 << 20);
	}
	printf("mapped memfds: %d MiB, then %s\n", 8 * i, i < 16 ? strerror(errno) : "no bound");
	for(n = 0; n < i; n++)
		close(fd[n]);
	for(i = 0; i < 16; i++){
		fd[i] = mfd("many", 0);
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd[i]);
		if(fd[i] < 0 || (r = open(path, O_RDWR)) < 0)
			break;
		for(k = 0; k < 8; k++)
			if(write(r, mb, sizeof mb) != (ssize_t)sizeof mb)
				break;
		close(r);
		if(k < 8)
			break;
	}
	printf("reopened memfds: %d MiB, then %s\n", 8 * i, i < 16 ? strerror(errno) : "no bound");
	for(n = 0; n <= i && n < 16; n++)
		close(fd[n]);
}

/* Write MiBs until a write fails (or 256 MiB): under vxinferno -M the
 * sandbox's bound stops it ENOSPC; closing the file gives it back.
 * Then fill one through 16 MiB windows mapped one after another: the
 * bound stops that too (an mmap ENOMEM). */
static void
fill(void)
{
	static char mb[1 << 20];
	int fd, i, round;

	memset(mb, 'f', sizeof mb);
	for(round = 0; round < 2; round++){
		fd = mfd("fill", 0);
		for(i = 0; i < 256; i++)
			if(write(fd, mb, sizeof mb) != (ssize_t)sizeof mb)
				break;
		printf("fill: %d MiB, then %s\n", i, i < 256 ? strerror(errno) : "no bound");
		close(fd);
	}
	/* through one mapped window after another */
	fd = mfd("windows", 0);
	ftruncate(fd, 256 << 20);
	for(i = 0; i < 16; i++){
		char *p = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)i * (16 << 20));
		if(p == MAP_FAILED)
			break;
		memset(p, 'w', 16 << 20);
		munmap(p, 16 << 20);
	}
	printf("windows: %d MiB, then %s\n", 16 * i, i < 16 ? strerror(errno) : "no bound");
	close(fd);
	many();
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc < 2 || strcmp(argv[1], "basics") == 0)
		basics();
	if(argc < 2 || strcmp(argv[1], "passed") == 0)
		passed();
	if(argc < 2 || strcmp(argv[1], "flags") == 0)
		badflags();
	if(argc < 2 || strcmp(argv[1], "seals") == 0)
		sealing();
	if(argc > 1 && strcmp(argv[1], "fill") == 0)
		fill();
	return 0;
}
