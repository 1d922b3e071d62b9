/*
 * guest_execargs.c — execve's argument limits as Linux's: argv and envp
 * together up to a quarter of the stack's rlimit (2 MiB of 8 MiB, what
 * sysconf(_SC_ARG_MAX) says), each string up to MAX_ARG_STRLEN (128 KiB
 * with its NUL), any number of strings; E2BIG past them.  /bin/sh -c
 * runs in the child and says what it got.  The same natively and under
 * vxinferno (vxinferno_execargs.t, with the stack rlimit at 8 MiB).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { KiB = 1024 };

static char *
str(size_t len, int c)
{
	char *s;

	s = malloc(len + 1);
	memset(s, c, len);
	s[len] = 0;
	return s;
}

/* Run sh -c SCRIPT with n strings of len bytes after it, the
 * environment's BIG variable of envlen bytes (none if 0). */
static void
run(const char *what, const char *script, long n, size_t len, size_t envlen)
{
	char **argv, *envp[2], *one;
	int st, pfd[2], e;
	pid_t pid;
	long i;

	argv = malloc((n + 5) * sizeof *argv);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = (char *)script;
	argv[3] = "sh";
	one = str(len, 'a');
	for(i = 0; i < n; i++)
		argv[4 + i] = one;
	argv[4 + n] = NULL;
	envp[0] = NULL;
	envp[1] = NULL;
	if(envlen > 0){
		envp[0] = str(envlen + 4, 'e');
		memcpy(envp[0], "BIG=", 4);
	}
	if(pipe2(pfd, O_CLOEXEC) < 0)
		return;
	printf("%s: ", what);
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		execve("/bin/sh", argv, envp);
		e = errno;
		write(pfd[1], &e, sizeof e);
		_exit(127);
	}
	close(pfd[1]);
	if(read(pfd[0], &e, sizeof e) == sizeof e)
		printf("%s\n", strerrorname_np(e));
	close(pfd[0]);
	waitpid(pid, &st, 0);
	free(one);
	free(envp[0]);
	free(argv);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("_SC_ARG_MAX: %ld\n", sysconf(_SC_ARG_MAX));
	run("8 strings of 128 KiB less 1", "echo ran, $# of ${#1}", 8, 128 * KiB - 1, 0);
	run("a string of 128 KiB", "echo ran", 1, 128 * KiB, 0);
	run("a string of 128 KiB less 1", "echo ran, $# of ${#1}", 1, 128 * KiB - 1, 0);
	run("12 strings of 100 KiB", "echo ran, $#", 12, 100 * KiB, 0);
	run("30 strings of 100 KiB", "echo ran, $#", 30, 100 * KiB, 0);
	run("100000 strings of 1 byte", "echo ran, $#", 100000, 1, 0);
	run("an environment string of 100 KiB", "echo ran, ${#BIG}", 0, 0, 100 * KiB);
	run("an environment string of 128 KiB", "echo ran, ${#BIG}", 0, 0, 128 * KiB);
	run("1 MiB in argv and 100 KiB in envp", "echo ran, $# ${#BIG}", 10, 100 * KiB, 100 * KiB);
	return 0;
}
