/* styx_diod.c — a real 9P2000.L-only peer: Debian's diod, run on one end
 * of a socketpair, must be refused by the client core with a message
 * that names 9P2000.L.  Skipped when diod is not installed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "styx.h"
#include "tap.h"
#include "diod.h"

int
main(void)
{
	const char *path;
	char err[STYX_ERRMAX], dir[] = "/tmp/styxdiodXXXXXX";
	StyxClient *c;
	int sv[2], st;
	pid_t pid;

	path = diodpath(err, sizeof err);
	if(path == NULL)
		skip_all(err);
	if(mkdtemp(dir) == NULL || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		skip_all("no temp dir or socketpair");
	signal(SIGPIPE, SIG_IGN);
	alarm(30);	/* a wedged peer fails the test instead of hanging it */
	pid = fork();
	if(pid == 0){
		close(sv[0]);
		dup2(sv[1], 3);
		execl(path, "diod", "-f", "-n", "-N", "-r", "3", "-w", "3", "-e", dir,
			"-L", "/dev/null", "-c", "/dev/null", (char*)NULL);
		_exit(127);
	}
	close(sv[1]);
	c = styx_client_new(sv[0], 8192, err);
	ok(c == NULL, "client refuses diod");
	ok(c == NULL && strstr(err, "9P2000.L") != NULL, "and says it speaks 9P2000.L: %s", c ? "" : err);
	if(c != NULL)
		styx_client_free(c);
	else
		close(sv[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	rmdir(dir);
	return done_testing();
}
