/* guest_spawn — process creation the glibc way: fork+execve+waitpid,
 * system() and popen() (posix_spawn: clone with CLONE_VM|CLONE_VFORK),
 * and a pipe between two children.  Prints the same as natively.
 * guest_spawn highfd: fds far up the table across fork, execve (of
 * busybox sh, which takes fd numbers past 9) and exit.
 * guest_spawn hold K N: K children that exec this program again and
 * wait there, then N fork+execve of it one after another, as a shell
 * runs K background jobs and N commands; prints how many of each
 * worked.  On the compat engine every guest process takes its whole
 * memory size (-m) in the host's low 4 GiB, a spawn three at its
 * execve (the shell, the fork's copy, the new program). */
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

/* A held child, after its execve: says so on fd 1, waits for fd 0's end. */
static int
waitend(void)
{
	char c;

	if(write(1, "r", 1) != 1)
		return 1;
	while(read(0, &c, 1) > 0)
		;
	return 0;
}

static int
hold(char *self, int k, int nspawn)
{
	int go[2], ready[2], held = 0, spawned = 0, i, st;
	char c;
	pid_t a;

	if(pipe(go) < 0)
		return 1;
	for(i = 0; i < k; i++){
		if(pipe(ready) < 0)
			return 1;
		a = fork();
		if(a == 0){
			dup2(go[0], 0);
			dup2(ready[1], 1);
			close(go[0]), close(go[1]), close(ready[0]), close(ready[1]);
			execl(self, self, "waitend", (char *)0);
			_exit(127);
		}
		/* in its new program before the next fork (or gone: the
		 * pipe's end), so that each exec's moment of two windows
		 * comes alone */
		close(ready[1]);
		if(a > 0 && read(ready[0], &c, 1) == 1)
			held++;
		close(ready[0]);
	}
	close(go[0]);
	for(i = 0; i < nspawn; i++){
		a = fork();
		if(a == 0){
			execl(self, self, "nop", (char *)0);
			_exit(127);
		}
		if(a > 0 && waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			spawned++;
	}
	close(go[1]);
	while(wait(NULL) > 0)
		;
	printf("held %d of %d, spawned %d of %d\n", held, k, spawned, nspawn);
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
	if(argc > 1 && strcmp(argv[1], "nop") == 0)
		return 0;
	if(argc > 1 && strcmp(argv[1], "waitend") == 0)
		return waitend();
	if(argc > 3 && strcmp(argv[1], "hold") == 0)
		return hold("/bin/guest_spawn", atoi(argv[2]), atoi(argv[3]));
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
