/*
 * rwloop.c — benchmark: a read's or write's fixed cost, for
 * bench/host/abtime (CPU per start; doc/bench.md, session 27).
 *
 *	rwloop null|pipe|sock|splice|none N
 *
 * null: N writes of 8 KiB to /dev/null; pipe: N 1-byte reads of a pipe
 * the loop refills 4 KiB at a time (one write per 4096 reads); sock: N
 * sends of 64 bytes into a unix stream socketpair and N recvs of them
 * from its other end (session 30); splice: N sends of 64 bytes into a
 * unix stream socketpair, each spliced from its other end to a pipe and
 * read from the pipe (session 31); none: nothing, the start's own cost
 * to take off.  Exits 1 if a call falls short.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[8192];

int
main(int argc, char **argv)
{
	long n, i, k;
	int fd, p[2], q[2];

	if(argc < 3)
		return 2;
	n = atol(argv[2]);
	if(strcmp(argv[1], "null") == 0){
		if((fd = open("/dev/null", O_WRONLY)) < 0)
			return 1;
		for(i = 0; i < n; i++)
			if(write(fd, buf, sizeof buf) != sizeof buf)
				return 1;
	}else if(strcmp(argv[1], "pipe") == 0){
		if(pipe(p) < 0)
			return 1;
		for(i = 0; i < n; i += 4096){
			if(write(p[1], buf, 4096) != 4096)
				return 1;
			for(k = 0; k < 4096; k++)
				if(read(p[0], buf, 1) != 1)
					return 1;
		}
	}else if(strcmp(argv[1], "sock") == 0){
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0)
			return 1;
		for(i = 0; i < n; i++)
			if(send(p[0], buf, 64, 0) != 64 || recv(p[1], buf, 64, 0) != 64)
				return 1;
	}else if(strcmp(argv[1], "splice") == 0){
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0 || pipe(q) < 0)
			return 1;
		for(i = 0; i < n; i++)
			if(send(p[0], buf, 64, 0) != 64 || splice(p[1], NULL, q[1], NULL, 64, 0) != 64 || read(q[0], buf, 64) != 64)
				return 1;
	}
	return 0;
}
