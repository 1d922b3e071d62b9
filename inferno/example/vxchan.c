/*
 * vxchan.c — the guest half of the file2chan example (vxchan.b): write
 * count messages to a file a Limbo thread serves and check each answer.
 * An ordinary Linux program: open, write, read.
 *
 *	vxchan file count
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char msg[64], want[80], got[128];
	int fd, i, n, count;
	ssize_t r;

	if(argc != 3){
		fprintf(stderr, "usage: vxchan file count\n");
		return 2;
	}
	count = atoi(argv[2]);
	fd = open(argv[1], O_RDWR);
	if(fd < 0){
		perror(argv[1]);
		return 1;
	}
	for(i = 0; i < count; i++){
		n = snprintf(msg, sizeof msg, "message %d from the guest", i);
		if(write(fd, msg, n) != n){
			perror("write");
			return 1;
		}
		snprintf(want, sizeof want, "re: %s", msg);
		r = read(fd, got, sizeof got - 1);
		if(r < 0){
			perror("read");
			return 1;
		}
		got[r] = 0;
		if(strcmp(got, want) != 0){
			fprintf(stderr, "vxchan: message %d: got \"%s\", want \"%s\"\n", i, got, want);
			return 1;
		}
	}
	printf("vxchan: %d messages exchanged with Limbo\n", count);
	return 0;
}
