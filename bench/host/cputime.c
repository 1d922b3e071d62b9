/*
 * cputime — run a command and print the CPU time (user + system, in
 * nanoseconds) it and its children used, to fd 3 when open, else stderr.
 * Benchmarks compare CPU time so that a busy machine skews them less than
 * wall time does; every engine here is single threaded or nearly so.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	int st;
	pid_t pid;
	FILE *out;

	if(argc < 2){
		fprintf(stderr, "usage: cputime cmd [args...]\n");
		return 2;
	}
	pid = fork();
	if(pid < 0){
		perror("cputime: fork");
		return 2;
	}
	if(pid == 0){
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if(wait4(pid, &st, 0, &ru) < 0){
		perror("cputime: wait4");
		return 2;
	}
	out = fdopen(3, "w");
	if(out == NULL)
		out = stderr;
	fprintf(out, "%lld\n",
		(long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL
		+ (long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
	fflush(out);
	if(WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
