/*
 * guest_kindswap.c — reads and writes of an fd another thread keeps
 * swapping between two kinds of file, where the runtime chooses the
 * buffer it gives the kernel by the kind of file (tests/vxinferno_kindswap.t).
 *
 *	guest_kindswap sink|pty|ptywait|splice|splicekind N
 *
 * sink: Swapfd swaps between a regular file and /dev/null.  Each of N
 * rounds reads and writes it (read, write, pread, pwrite) with a
 * buffer of Count bytes of which only the first page is the guest's.
 * As Linux: the file's read or write moves at most that page (or
 * fails EFAULT), /dev/null's read answers 0 and its write Count.  A
 * call that found /dev/null when it chose its buffer (one byte of the
 * runtime's that /dev/null never looks at) and the file when it read
 * or wrote moved Count bytes between the file and the runtime's own
 * memory (it crashed, or the file held bytes the guest never wrote).
 *
 * pty: Swapfd swaps between an inotify queue (O_NONBLOCK) that always
 * has events (of tmp/kindswap.d, from the cwd) and a terminal's master (O_NONBLOCK, nothing to read).
 * Each of N rounds reads it into a page the guest may read and not
 * write: Linux fails EFAULT (the queue's event is lost) or EAGAIN (the
 * terminal).  A read that found the terminal when it chose its buffer
 * (one only a terminal's or a pipe's copy may have) and the queue when
 * it read copied the event into the read-only page.
 *
 * ptywait: as pty, the queue blocking: a read that took the terminal's
 * file must not wait on it as though the fd's status then (the queue's,
 * blocking) were the terminal's own (O_NONBLOCK: EAGAIN).  A wait there
 * is a hang (the test's timeout).
 *
 * splice: Swapfd swaps between two regular files; a thread writes N
 * KiB into a pipe, which splice moves to Swapfd 4 KiB at a time until
 * its end.  As Linux: every byte reaches one file or the other.  A
 * splice whose write found another file at the fd than its look had
 * was made again from the start (LERESTARTNOINTR) after it had taken
 * the bytes from the pipe: they were lost.
 *
 * splicekind: Swapfd swaps between a pipe a thread keeps full of 'p'
 * and a regular file of 'F'; each of N rounds splices from Swapfd to
 * another file.  As Linux: the pipe's bytes move, or the splice fails
 * EINVAL (two files, no pipe).  A splice whose check found the pipe
 * and whose copy found the file copied 'F's.
 *
 * Prints what was wrong, then "done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swapfd.h"

enum { Page = 4096, Count = 4 * Page, Filelen = 16 * Page };

/* inotify events, always more */
static void *
maker(void *arg)
{
	int fd;

	(void)arg;
	while(!atomic_load(&stop)){
		fd = open("tmp/kindswap.d/f", O_CREAT | O_WRONLY, 0600);
		if(fd >= 0)
			close(fd);
		unlink("tmp/kindswap.d/f");
	}
	return NULL;
}

static char *buf;
static int pfd[2];
static long total;

static int
splicesetup(void)
{
	fda = open("tmp/kindswap.a", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fdb = open("tmp/kindswap.b", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if(fda < 0 || fdb < 0 || pipe(pfd) < 0)
		return -1;
	return dup2(fda, Swapfd) == Swapfd ? 0 : -1;
}

static void *
filler(void *arg)
{
	static char blk[1024];
	long i;

	(void)arg;
	memset(blk, 'x', sizeof blk);
	for(i = 0; i < total; i += sizeof blk)
		if(write(pfd[1], blk, sizeof blk) != sizeof blk)
			break;
	close(pfd[1]);
	return NULL;
}

static void
splicer(long kib)
{
	struct stat sa, sb;
	pthread_t th;
	long moved, r;

	total = kib * 1024;
	pthread_create(&th, NULL, filler, NULL);
	for(moved = 0;; moved += r){
		r = splice(pfd[0], NULL, Swapfd, NULL, 4096, 0);
		if(r < 0){
			printf("splice: %s\n", strerror(errno));
			break;
		}
		if(r == 0)
			break;
	}
	atomic_store(&stop, 1);
	close(pfd[0]);
	pthread_join(th, NULL);
	if(fstat(fda, &sa) < 0 || fstat(fdb, &sb) < 0)
		printf("fstat: %s\n", strerror(errno));
	else if(moved != total || sa.st_size + sb.st_size != total)
		printf("of %ld bytes, splice moved %ld, the files hold %ld\n", total, moved, (long)(sa.st_size + sb.st_size));
}

static void *
pfiller(void *arg)
{
	static char blk[4096];

	(void)arg;
	memset(blk, 'p', sizeof blk);
	while(!atomic_load(&stop))
		if(write(pfd[1], blk, sizeof blk) < 0 && errno != EAGAIN)
			break;
	return NULL;
}

static void
splicekind(long rounds)
{
	static char blk[4096], back[4096];
	pthread_t fl, sw;
	long i, r, bad, k;
	int out;

	memset(blk, 'F', sizeof blk);
	fdb = open("tmp/kindswap.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	out = open("tmp/kindswap.o", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fdb < 0 || out < 0 || write(fdb, blk, sizeof blk) != sizeof blk || pipe(pfd) < 0 ||
	   fcntl(pfd[1], F_SETFL, O_NONBLOCK) < 0 || dup2(pfd[0], Swapfd) != Swapfd){
		printf("setup: %s\n", strerror(errno));
		return;
	}
	fda = pfd[0];
	pthread_create(&fl, NULL, pfiller, NULL);
	pthread_create(&sw, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds && bad == 0; i++){
		lseek(fdb, 0, SEEK_SET);
		lseek(out, 0, SEEK_SET);
		r = splice(Swapfd, NULL, out, NULL, 64, 0);
		if(r < 0 && errno != EINVAL){
			printf("splice: %s\n", strerror(errno));
			bad++;
		}
		if(r > 0 && pread(out, back, r, 0) == r)
			for(k = 0; k < r; k++)
				if(back[k] != 'p'){
					printf("splice with no pipe at the fd moved a file's bytes (%c)\n", back[k]);
					bad++;
					break;
				}
	}
	atomic_store(&stop, 1);
	pthread_join(sw, NULL);
	pthread_join(fl, NULL);
}

static int
sinksetup(void)
{
	static char blk[Page];
	int i;

	fda = open("tmp/kindswap.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	fdb = open("/dev/null", O_RDWR);
	if(fda < 0 || fdb < 0)
		return -1;
	memset(blk, 'F', sizeof blk);
	for(i = 0; i < Filelen / Page; i++)
		if(write(fda, blk, sizeof blk) != sizeof blk)
			return -1;
	/* a page of the guest's, then none */
	buf = mmap(NULL, Count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(buf == MAP_FAILED || munmap(buf + Page, Count - Page) < 0)
		return -1;
	memset(buf, 'G', Page);
	return dup2(fda, Swapfd) == Swapfd ? 0 : -1;
}

static void
sink(long rounds)
{
	static char back[Filelen];
	long i, r, k, bad;
	int op;

	bad = 0;
	for(i = 0; i < rounds && bad < 4; i++){
		op = i % 4;
		switch(op){
		case 0:	r = read(Swapfd, buf, Count); break;
		case 1:	r = write(Swapfd, buf, Count); break;
		case 2:	r = pread(Swapfd, buf, Count, 0); break;
		default: r = pwrite(Swapfd, buf, Count, 0); break;
		}
		lseek(fda, 0, SEEK_SET);
		/* the file's: at most the page; /dev/null's: 0 read, Count written */
		if(r > Page && !(r == Count && (op == 1 || op == 3))){
			printf("%s of %d bytes with %d in memory: %ld\n", op == 0 ? "read" : "pread", Count, Page, r);
			bad++;
		}
		memset(buf, 'G', Page);
	}
	atomic_store(&stop, 1);
	if(pread(fda, back, sizeof back, 0) != sizeof back){
		printf("file: %s\n", strerror(errno));
		return;
	}
	for(k = 0; k < Filelen; k++)
		if(back[k] != 'F' && back[k] != 'G'){
			printf("the file holds bytes the guest never wrote, from %ld\n", k);
			break;
		}
}

static int
ptysetup(int wait)
{
	mkdir("tmp/kindswap.d", 0700);
	fda = inotify_init1(wait ? 0 : IN_NONBLOCK);
	fdb = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if(fda < 0 || fdb < 0 || inotify_add_watch(fda, "tmp/kindswap.d", IN_ALL_EVENTS) < 0)
		return -1;
	/* a page the guest may read, not write: zeros */
	buf = mmap(NULL, Page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(buf == MAP_FAILED)
		return -1;
	return dup2(fda, Swapfd) == Swapfd ? 0 : -1;
}

static void
pty(long rounds)
{
	long i, r;

	for(i = 0; i < rounds; i++){
		r = read(Swapfd, buf, Page);
		if(r >= 0 || (errno != EFAULT && errno != EAGAIN)){
			printf("read into read-only memory: %ld (%s)\n", r, r < 0 ? strerror(errno) : "no error");
			break;
		}
		if(buf[0] != 0){
			printf("read failed %s but wrote read-only memory\n", strerror(errno));
			break;
		}
	}
	atomic_store(&stop, 1);
}

int
main(int argc, char **argv)
{
	pthread_t sw, mk;
	long rounds;
	int issink, wait;

	if(argc != 3 || (strcmp(argv[1], "sink") != 0 && strcmp(argv[1], "pty") != 0 && strcmp(argv[1], "ptywait") != 0 &&
	   strcmp(argv[1], "splice") != 0 && strcmp(argv[1], "splicekind") != 0)){
		fprintf(stderr, "usage: guest_kindswap sink|pty|ptywait|splice|splicekind N\n");
		return 2;
	}
	if(strcmp(argv[1], "splicekind") == 0){
		splicekind(atol(argv[2]));
		printf("done\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	if(strcmp(argv[1], "splice") == 0){
		if(splicesetup() < 0){
			printf("setup: %s\n", strerror(errno));
			return 1;
		}
		pthread_create(&sw, NULL, swapper, NULL);
		splicer(atol(argv[2]));
		pthread_join(sw, NULL);
		printf("done\n");
		return 0;
	}
	rounds = atol(argv[2]);
	issink = strcmp(argv[1], "sink") == 0;
	wait = strcmp(argv[1], "ptywait") == 0;
	if((issink ? sinksetup() : ptysetup(wait)) < 0){
		printf("setup: %s\n", strerror(errno));
		return 1;
	}
	if(!issink)
		pthread_create(&mk, NULL, maker, NULL);
	pthread_create(&sw, NULL, swapper, NULL);
	if(issink)
		sink(rounds);
	else
		pty(rounds);
	pthread_join(sw, NULL);
	if(!issink)
		pthread_join(mk, NULL);
	printf("done\n");
	return 0;
}
