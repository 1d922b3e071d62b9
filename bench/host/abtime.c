/*
 * abtime N CMD-A... [-- CMD-B... [-- ...]] — start each command N times,
 * interleaved (A B, then B A, …, so that a busy machine slows them alike),
 * and print each one's CPU time per start (user + system, from wait4) as
 * min, p25, median and mean in ms, then its wall time (fork to reaped) the
 * same way, then the load average.  On a hypervisor that stalls the vCPU
 * for host-side page faults the two differ: report both.  Leading
 * NAME=value words of a command go into its environment.  stdin and stdout
 * are /dev/null; a start that fails is reported on stderr.  Used for the
 * start-up figures of doc/bench.md; build with `cc -O2 -o abtime abtime.c`.
 *
 *	abtime 200 build/vxhost.old build/bench/empty -- build/vxhost build/bench/empty
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAXCMD = 8 };

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
nowms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One start of cmd; its CPU time in ms, its wall time in *wall. */
static double
once(char **cmd, int k, double *wall)
{
	struct rusage ru;
	pid_t pid;
	int st, fd;
	double t0;

	t0 = nowms();
	pid = fork();
	if(pid < 0){
		perror("abtime: fork");
		exit(2);
	}
	if(pid == 0){
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		while(*cmd != NULL && strchr(*cmd, '=') != NULL)
			putenv(*cmd++);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if(wait4(pid, &st, 0, &ru) < 0){
		perror("abtime: wait4");
		exit(2);
	}
	*wall = nowms() - t0;
	if(!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fprintf(stderr, "abtime: command %c: status 0x%x\n", 'A' + k, st);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
		+ (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Sort v and print its min, p25, median and mean. */
static void
summary(char *what, int k, double *v, int n)
{
	double sum;
	int i;

	sum = 0;
	for(i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof v[0], cmp);
	printf("%c %s: min %.2f p25 %.2f med %.2f mean %.2f ms (n=%d)", 'A' + k,
		what, v[0], v[n / 4], v[n / 2], sum / n, n);
}

int
main(int argc, char **argv)
{
	char **cmd[MAXCMD], line[128];
	double *t[MAXCMD], *w[MAXCMD];
	int n, nc, i, k, kk;
	FILE *f;

	if(argc < 3 || (n = atoi(argv[1])) <= 0){
		fprintf(stderr, "usage: abtime N cmd... [-- cmd...]\n");
		return 2;
	}
	nc = 0;
	cmd[nc++] = argv + 2;
	for(i = 2; i < argc; i++)
		if(strcmp(argv[i], "--") == 0 && nc < MAXCMD){
			argv[i] = NULL;
			cmd[nc++] = argv + i + 1;
		}
	for(k = 0; k < nc; k++)
		if((t[k] = calloc(n, sizeof t[k][0])) == NULL
		|| (w[k] = calloc(n, sizeof w[k][0])) == NULL)
			return 2;
	for(i = 0; i < n; i++)
		for(k = 0; k < nc; k++){
			kk = i & 1 ? nc - 1 - k : k;
			t[kk][i] = once(cmd[kk], kk, &w[kk][i]);
		}
	for(k = 0; k < nc; k++){
		summary("cpu ", k, t[k], n);
		printf("\n");
		summary("wall", k, w[k], n);
		for(i = 0; cmd[k][i] != NULL; i++)
			printf(" %s", cmd[k][i]);
		printf("\n");
	}
	f = fopen("/proc/loadavg", "r");
	if(f != NULL && fgets(line, sizeof line, f) != NULL)
		printf("load %s", line);
	return 0;
}
