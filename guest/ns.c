/*
 * ns — print the namespace of a process (default: this one) as Plan 9's
 * ns does, by reading /prog/PID/ns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[64], buf[8192];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/prog/%s/ns", argc > 1 ? argv[1] : "");
	if(argc <= 1)
		snprintf(path, sizeof path, "/prog/%d/ns", (int)getpid());
	fd = open(path, O_RDONLY);
	if(fd < 0){
		fprintf(stderr, "ns: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while((n = read(fd, buf, sizeof buf)) > 0)
		if(write(1, buf, n) != n)
			return 1;
	close(fd);
	return n < 0;
}
