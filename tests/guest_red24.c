/* guest_red24.c — start-up changes of session 24 under attack (red24d):
 * execve of what is not a program (a FIFO, a directory, a file without
 * exec permission, a symlink out of the root), getdents after its end,
 * the guest's fd 2 (#c2/cons).  Each mode prints what it saw; the test
 * compares that with the same program run natively. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tmpdir;

static char *
tpath(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
	return buf[i];
}

/* execve path in a child; what it returned (the child's exit says) */
static void
tryexec(const char *what, const char *path)
{
	pid_t pid;
	int st;

	pid = fork();
	if(pid == 0){
		char *argv[] = {(char*)path, NULL};
		alarm(20);	/* a watchdog, not a synchronisation */
		execve(path, argv, environ);
		_exit(errno);
	}
	waitpid(pid, &st, 0);
	if(WIFEXITED(st))
		printf("%s: %s\n", what, strerror(WEXITSTATUS(st)));
	else
		printf("%s: signal %d\n", what, WTERMSIG(st));
}

static void
execs(void)
{
	int fd;

	unlink(tpath("fifo"));
	if(mkfifo(tpath("fifo"), 0755) < 0)
		printf("mkfifo: %s\n", strerror(errno));
	chmod(tpath("fifo"), 0755);
	tryexec("fifo", tpath("fifo"));
	mkdir(tpath("dir"), 0755);
	tryexec("directory", tpath("dir"));
	tryexec("directory slash", "/");
	fd = open(tpath("noexec"), O_CREAT|O_WRONLY|O_TRUNC, 0644);
	write(fd, "#!/bin/true\n", 12);
	close(fd);
	tryexec("no x", tpath("noexec"));
	fd = open(tpath("noread"), O_CREAT|O_WRONLY|O_TRUNC, 0711);
	write(fd, "#!/bin/true\n", 12);
	close(fd);
	chmod(tpath("noread"), 0111);
	/* root reads it anyway natively; the guest too: only say it ran */
	fd = open(tpath("empty"), O_CREAT|O_WRONLY|O_TRUNC, 0755);
	close(fd);
	tryexec("empty", tpath("empty"));
	fd = open(tpath("junk"), O_CREAT|O_WRONLY|O_TRUNC, 0755);
	write(fd, "\177ELF junk junk junk", 20);
	close(fd);
	tryexec("junk", tpath("junk"));
	unlink(tpath("dirlink"));
	symlink(tpath("dir"), tpath("dirlink"));
	tryexec("link to a directory", tpath("dirlink"));
	unlink(tpath("fifolink"));
	symlink(tpath("fifo"), tpath("fifolink"));
	tryexec("link to a fifo", tpath("fifolink"));
	tryexec("missing", tpath("nosuch"));
	{
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		unlink(tpath("sock"));
		snprintf(sa.sun_path, sizeof sa.sun_path, "%s", tpath("sock"));
		bind(s, (struct sockaddr*)&sa, sizeof sa);
		chmod(tpath("sock"), 0755);
		tryexec("socket", tpath("sock"));
		close(s);
		unlink(tpath("sock"));
	}
	tryexec("dev null", "/dev/null");
	unlink(tpath("fifo"));
	unlink(tpath("fifolink"));
	unlink(tpath("dirlink"));
	unlink(tpath("noexec"));
	unlink(tpath("noread"));
	unlink(tpath("empty"));
	unlink(tpath("junk"));
	rmdir(tpath("dir"));
}

struct ldirent {
	unsigned long d_ino, d_off;
	unsigned short d_reclen;
	char d_name[];
};

/* names a getdents read of fd gives, as a count and a sum; its return */
static long
listing(int fd, int *count)
{
	char buf[65536];
	long r, total;
	int bpos;

	total = 0;
	*count = 0;
	for(;;){
		r = syscall(SYS_getdents, fd, buf, sizeof buf);
		if(r <= 0)
			return r < 0 ? -errno : total;
		total += r;
		for(bpos = 0; bpos < r; ){
			struct ldirent *d = (struct ldirent*)(buf + bpos);
			(*count)++;
			bpos += d->d_reclen;
		}
	}
}

/* A fork's child shares the listing's offset: what one reads the other
 * does not, and a rewind by the child starts the parent's over. */
static void
forked(int fd)
{
	char buf[200];
	int cnt, st;
	long r;

	lseek(fd, 0, SEEK_SET);
	r = syscall(SYS_getdents, fd, buf, sizeof buf);	/* a few names */
	printf("parent's first read: %d\n", r > 0);
	if(fork() == 0){
		listing(fd, &cnt);
		printf("child read the rest: %d more than none\n", cnt > 0);
		_exit(0);
	}
	wait(&st);
	r = syscall(SYS_getdents, fd, buf, sizeof buf);
	printf("parent after the child: %ld\n", r);
	if(fork() == 0){
		lseek(fd, 0, SEEK_SET);
		_exit(0);
	}
	wait(&st);
	listing(fd, &cnt);
	printf("parent after the child's rewind: %d names\n", cnt);
}

static void
dents(int seeks)
{
	char name[64];
	int fd, fd2, i, cnt;
	long r, off, mid;
	char buf[4096];
	DIR *dp;
	struct dirent *de;

	mkdir(tpath("d"), 0755);
	for(i = 0; i < 40; i++){
		snprintf(name, sizeof name, "d/f%02d", i);
		close(open(tpath(name), O_CREAT|O_WRONLY, 0644));
	}
	fd = open(tpath("d"), O_RDONLY|O_DIRECTORY);
	r = listing(fd, &cnt);
	printf("first: %d names\n", cnt);
	r = syscall(SYS_getdents, fd, buf, sizeof buf);
	printf("again at end: %ld\n", r);
	/* a name added after the end: still at its end until a rewind */
	close(open(tpath("d/late"), O_CREAT|O_WRONLY, 0644));
	r = syscall(SYS_getdents, fd, buf, sizeof buf);
	printf("after a new name: %ld\n", r);
	/* dup shares the offset, and so the end */
	fd2 = dup(fd);
	r = syscall(SYS_getdents, fd2, buf, sizeof buf);
	printf("dup at end: %ld\n", r);
	lseek(fd2, 0, SEEK_SET);
	r = listing(fd, &cnt);
	printf("rewound through the dup: %d names\n", cnt);
	close(fd2);
	forked(fd);
	if(!seeks){
		close(fd);
		goto Out;
	}
	off = lseek(fd, 0, SEEK_CUR);
	printf("lseek cur ok: %d\n", off >= 0);
	/* telldir/seekdir round trip: the middle, then the end, then the middle */
	dp = fdopendir(fd);
	rewinddir(dp);
	for(i = 0; i < 20 && (de = readdir(dp)) != NULL; i++)
		;
	mid = telldir(dp);
	cnt = 0;
	while(readdir(dp) != NULL)
		cnt++;
	printf("rest after the middle: %d\n", cnt);
	seekdir(dp, mid);
	cnt = 0;
	while(readdir(dp) != NULL)
		cnt++;
	printf("rest after seekdir to the middle: %d\n", cnt);
	seekdir(dp, mid);
	cnt = 0;
	while(readdir(dp) != NULL)
		cnt++;
	printf("and again: %d\n", cnt);
	closedir(dp);
Out:
	for(i = 0; i < 40; i++){
		snprintf(name, sizeof name, "d/f%02d", i);
		unlink(tpath(name));
	}
	unlink(tpath("d/late"));
	rmdir(tpath("d"));
}

/* exit_group racing thread creation, a thread blocked in a read and
 * one in an execve: the parent's wait4 sees each child once, with the
 * status its exit gave, and nothing hangs. */
static int blockfd[2];

static void *
spawner(void *a)
{
	pthread_t th;

	(void)a;
	for(;;)
		if(pthread_create(&th, NULL, spawner, NULL) == 0)
			pthread_detach(th);
		else
			sched_yield();
}

static void *
blocked(void *a)
{
	char c;

	(void)a;
	read(blockfd[0], &c, 1);
	return NULL;
}

/* The execer is made before the spawners (made after, its stack's mmap
 * could fail: a compat guest's 256 MiB fill with their stacks in a
 * moment, and the child then paused for ever) and waits at the gate
 * till they run. */
static int gate[2];

static void *
execer(void *a)
{
	char *argv[] = {"/bin/true", NULL};
	char c;

	(void)a;
	read(gate[0], &c, 1);
	execve("/bin/true", argv, environ);
	/* failed: say why, rather than leave the spawners running for ever */
	fprintf(stderr, "execve: %s\n", strerror(errno));
	_exit(99);
}

/* In a fresh child: the execer, then spawners many, then the execve. */
static void
execwith(int spawners)
{
	pthread_t th;
	int e;

	pipe(gate);
	if((e = pthread_create(&th, NULL, execer, NULL)) != 0){
		fprintf(stderr, "pthread_create: %s\n", strerror(e));
		_exit(98);
	}
	while(spawners-- > 0)
		pthread_create(&th, NULL, spawner, NULL);
	write(gate[1], "", 1);
}

/* An execve from a thread while the first is in pause() (and, for
 * execspawn, while two others make threads as fast as they can): it
 * ends them all. */
static void
execthreads(int spawners)
{
	int i, st, bad;
	pid_t pid;

	bad = 0;
	for(i = 0; i < 12; i++){
		pid = fork();
		if(pid == 0){
			execwith(spawners && i % 2 ? 2 : 0);
			for(;;)
				pause();
		}
		if(waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	printf("execthreads: %d bad\n", bad);
}

static void
races(void)
{
	pthread_t th;
	int i, st, bad;
	pid_t pid, w;

	bad = 0;
	for(i = 0; i < 30; i++){
		pid = fork();
		if(pid == 0){
			pipe(blockfd);
			pthread_create(&th, NULL, blocked, NULL);
			if(i % 3 == 1){
				execwith(2);
				for(;;)
					pause();	/* the execer's execve ends us */
			}
			pthread_create(&th, NULL, spawner, NULL);
			pthread_create(&th, NULL, spawner, NULL);
			sched_yield();
			_exit(i % 3 == 2 ? 7 : 0);
		}
		w = waitpid(pid, &st, 0);
		if(w != pid || !WIFEXITED(st) || WEXITSTATUS(st) != (i % 3 == 2 ? 7 : 0))
			bad++;
		if(waitpid(-1, &st, WNOHANG) != -1 || errno != ECHILD)
			bad++;
	}
	printf("races: %d bad\n", bad);
}

int
main(int argc, char **argv)
{
	tmpdir = getenv("GAPSTMP") != NULL ? getenv("GAPSTMP") : "/tmp";
	setvbuf(stdout, NULL, _IONBF, 0);
	if(argc < 2)
		return 2;
	if(strcmp(argv[1], "exec") == 0)
		execs();
	else if(strcmp(argv[1], "dents") == 0)
		dents(0);
	else if(strcmp(argv[1], "execthreads") == 0)
		execthreads(0);
	else if(strcmp(argv[1], "execspawn") == 0)
		execthreads(1);
	else if(strcmp(argv[1], "races") == 0)
		races();
	else if(strcmp(argv[1], "dentsseek") == 0)
		dents(1);	/* lseek SEEK_CUR, seekdir: not as Linux yet */
	else
		return 2;
	return 0;
}
