/*
 * stdio.c — the guest's standard fds.  The console device writes to the
 * host's stdout, so fd 2 is a kernel pipe whose other end a small kernel
 * proc copies to the host's stderr — unless the host's stdout and stderr
 * are one open file (2>&1, a terminal opened once): then fd 2 is the
 * console too, so that the two streams keep the order they were written
 * in, as they do natively (through the pipe a line of stderr could land
 * after stdout written later).  A standard fd that is the host's
 * /dev/null is #c/null for the guest: it reads and writes the same, and
 * a program that asks whether its stdin is /dev/null (st_rdev 1:3) is
 * told so, as natively.
 */
#include <errno.h>
#include <linux/kcmp.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

static sem_t pumpdone;
static int pumping;
static int pumpfd;

static void
pump(void *arg)
{
	char buf[8192];
	long n, w, k;
	int i;

	/* keep only the read end: the copied write end would hold the pipe open */
	for(i = 0; i < 64; i++)
		if(i != pumpfd)
			kclose(i);
	while((n = kread(pumpfd, buf, sizeof buf)) > 0)
		for(w = 0; w < n; w += k){
			k = write(2, buf + w, n - w);
			if(k <= 0)
				break;
		}
	kif_set(NULL);
	kif_free(arg);
	sem_post(&pumpdone);
}

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

/* Kernel fd fd, opened with mode: #c/null where the host's is /dev/null, else cons. */
static int
stdopen(int fd, int mode)
{
	return kopen(hostnull(fd) ? "#c/null" : "#c/cons", mode) == fd ? 0 : -1;
}

int
vxrun_stdio(char *err, int nerr)
{
	Kproc *kp;
	int fd, p[2];

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
	if(kpipe(p) < 0){
		kgerrstr(err, nerr);
		return -1;
	}
	/* read end out of the way, write end at 2 */
	pumpfd = kdup(p[0], -1);
	if(pumpfd < 0 || kclose(p[0]) < 0 || (p[1] != 2 && kdup(p[1], 2) != 2)){
		kgerrstr(err, nerr);
		return -1;
	}
	if(p[1] != 2)
		kclose(p[1]);
	sem_init(&pumpdone, 0, 0);
	kp = kif_new(KIF_FORKFD);
	if(kp == NULL){
		kgerrstr(err, nerr);
		return -1;
	}
	if(kif_start(kp, pump, kp) < 0){
		kif_free(kp);
		snprintf(err, nerr, "cannot create a host thread");
		return -1;
	}
	pumping = 1;
	kclose(pumpfd);
	return 0;
}

void
vxrun_flush(void)
{
	struct timespec ts;
	int fd;

	for(fd = 0; fd < 3; fd++)
		kclose(fd);
	if(!pumping)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	while(sem_timedwait(&pumpdone, &ts) < 0 && errno == EINTR)
		;
}
