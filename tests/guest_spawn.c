/* guest_spawn — process creation the glibc way: fork+execve+waitpid,
 * system() and popen() (posix_spawn: clone with CLONE_VM|CLONE_VFORK),
 * and a pipe between two children.  Prints the same as natively. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	char buf[128];
	int p[2], st;
	pid_t a, b;
	FILE *f;

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
