/*
 * cat — the lab's example: copy files of the Inferno namespace (or stdin)
 * to stdout with plain read and write, e.g. `vxinferno cat /dev/drivers`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
copy(int fd, const char *name)
{
	char buf[8192];
	ssize_t n, w, k;

	while((n = read(fd, buf, sizeof buf)) > 0)
		for(w = 0; w < n; w += k){
			k = write(1, buf + w, n - w);
			if(k <= 0){
				perror("cat: write");
				return 1;
			}
		}
	if(n < 0){
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int i, fd, r;

	if(argc < 2)
		return copy(0, "stdin");
	r = 0;
	for(i = 1; i < argc; i++){
		fd = open(argv[i], O_RDONLY);
		if(fd < 0){
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			r = 1;
			continue;
		}
		r |= copy(fd, argv[i]);
		close(fd);
	}
	return r;
}
