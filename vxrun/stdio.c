/*
 * stdio.c — the guest's standard fds.  The console device writes to the
 * host's stdout; fd 2 is #c2/cons, which writes the host's stderr with
 * the host's write(2), as cons writes stdout — unless the host's stdout
 * and stderr are one open file (2>&1, a terminal opened once): then fd
 * 2 is the console itself, a dup of fd 1, as the host's are.  Either
 * way each write reaches the host before the guest's call returns, so
 * the two streams keep the order they were written in, as natively.
 * (Until session 24 fd 2 was a kernel pipe that a kernel proc on a
 * thread of its own copied out: a thread and its stack at every start,
 * and a wait for it at exit.)  A standard fd that is the host's
 * /dev/null is #c/null for the guest: it reads and writes the same, and
 * a program that asks whether its stdin is /dev/null (st_rdev 1:3) is
 * told so, as natively.
 */
#include <linux/kcmp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "dat.h"

/* Are the host's fds 1 and 2 the same open file description?  (kcmp:
 * a dup, or 2>&1.  Where the kernel refuses to say, they are not.) */
static int
samefile(void)
{
	pid_t pid = getpid();

	return syscall(SYS_kcmp, pid, pid, KCMP_FILE, 1, 2) == 0;
}

/* Is the host's fd the null device? */
static int
hostnull(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

/* What the host's fds 0-2 are (Fdinfo.hostfile): the console reads
 * fd 0 and writes fd 1, #c2's cons writes fd 2, and a guest's read or
 * write of a buffer that faults part way moves what the host's file
 * would natively: a regular file's the bytes before the fault, a
 * pipe's written the whole pipe buffers (pages) before it (Linux's
 * pipe_write copies a page a buffer, one that faults is not queued;
 * a first piece merged into a buffer the host's reader has not taken
 * is not foreseen), anything else's none (a stream's).  Set by
 * vxrun_stdio, which gives the guest the host's fds; an embedding's
 * own console is a stream (fdtab.c's hostkind stays 0 where this
 * file is not linked: the Inferno kit's). */
static void
findhostfiles(void)
{
	struct stat st;
	int fd;

	for(fd = 0; fd < 3; fd++){
		hostkind[fd] = 0;
		if(fstat(fd, &st) < 0)
			continue;
		if(S_ISREG(st.st_mode))
			hostkind[fd] = fd == 0 ? Hostread : Hostwrite;
		else if(S_ISFIFO(st.st_mode) && fd > 0)
			hostkind[fd] = Hostpipe;
	}
}

/* Kernel fd fd, opened with mode: #c/null where the host's is /dev/null, else cons. */
static int
stdopen(int fd, int mode)
{
	return kopen(hostnull(fd) ? "#c/null" : "#c/cons", mode) == fd ? 0 : -1;
}

int
vxrun_stdio(char *err, int nerr)
{
	int fd;

	findhostfiles();
	for(fd = 0; fd < 3; fd++)
		kclose(fd);
	if(stdopen(0, OREAD) < 0 || stdopen(1, OWRITE) < 0){
		kgerrstr(err, nerr);
		return -1;
	}
	if(hostnull(2)){
		if(kopen("#c/null", OWRITE) != 2){
			kgerrstr(err, nerr);
			return -1;
		}
		return 0;
	}
	if(samefile()){
		if(kdup(1, 2) != 2){
			kgerrstr(err, nerr);
			return -1;
		}
		return 0;
	}
	if(kopen("#c2/cons", OWRITE) != 2){
		kgerrstr(err, nerr);
		return -1;
	}
	return 0;
}

/* The guest is done with the standard fds: the host's writes were all
 * made as the guest asked, so nothing is left to wait for. */
void
vxrun_flush(void)
{
	int fd;

	for(fd = 0; fd < 3; fd++)
		kclose(fd);
}
