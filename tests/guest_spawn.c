/* guest_spawn — process creation the glibc way: fork+execve+waitpid,
 * system() and popen() (posix_spawn: clone with CLONE_VM|CLONE_VFORK),
 * and a pipe between two children.  Prints the same as natively.
 * guest_spawn highfd: fds far up the table across fork, execve (of
 * busybox sh, which takes fd numbers past 9) and exit. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* fd 900 is kept across fork and execve, 901 (close-on-exec) only
 * across fork; 1023 is the last fd there is. */
static int
highfd(void)
{
	pid_t a;
	int st;

	if(dup2(1, 900) != 900 || dup2(1, 901) != 901 || dup2(1, 1023) != 1023)
		return 1;
	fcntl(901, F_SETFD, FD_CLOEXEC);
	fflush(stdout);
	a = fork();
	if(a == 0){
		dprintf(900, "child: 900 %d 901 %d 1023 %d\n", fcntl(900, F_GETFD), fcntl(901, F_GETFD), fcntl(1023, F_GETFD));
		close(1023);
		execl("/bin/sh", "sh", "-c", "echo exec: 900 >&900; (echo 901 >&901) 2>/dev/null || echo exec: no 901", (char *)0);
		_exit(127);
	}
	waitpid(a, &st, 0);
	printf("parent: 1023 %d status %d\n", fcntl(1023, F_GETFD), WEXITSTATUS(st));
	return 0;
}

int
main(int argc, char **argv)
{
	char buf[128];
	int p[2], st;
	pid_t a, b;
	FILE *f;

	if(argc > 1 && strcmp(argv[1], "highfd") == 0)
		return highfd();
	fflush(stdout);
	st = system("echo from system; exit 4");
	printf("system status %d\n", WEXITSTATUS(st));
	f = popen("echo from popen", "r");
	if(f != NULL && fgets(buf, sizeof buf, f) != NULL)
		printf("read: %s", buf);
	printf("pclose %d\n", f ? pclose(f) : -1);

	pipe(p);
	fflush(stdout);
	a = fork();
	if(a == 0){
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", "echo one; echo two; echo three", (char *)0);
		_exit(127);
	}
	b = fork();
	if(b == 0){
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", "wc -l", (char *)0);
		_exit(127);
	}
	close(p[0]);
	close(p[1]);
	waitpid(a, &st, 0);
	printf("writer %d\n", WEXITSTATUS(st));
	waitpid(b, &st, 0);
	printf("reader %d\n", WEXITSTATUS(st));
	printf("no more children: %d\n", wait(NULL) < 0);
	return 0;
}
