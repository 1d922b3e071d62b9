/*
 * guest_fsizeswap.c — O_APPEND writes and writes near RLIMIT_FSIZE to
 * an fd another thread keeps swapping between two files
 * (tests/vxinferno_fsizeswap.t).  A write acts on one open file, the
 * one at the fd when it began (Linux's fdget), with that file's
 * O_APPEND and that file's size limit.
 *
 *	guest_fsizeswap append|fsize N
 *	guest_fsizeswap limit|pappend|copyedge
 *
 * append: Swapfd swaps between file A open O_APPEND (fda) and file B
 * open without it (fdb).  Each of N rounds appends a record to A through
 * another open file of it (fdc), so fda's own offset falls behind A's
 * end, then writes a record to Swapfd.  As Linux: a record that goes to
 * A goes to its end (O_APPEND), one to B at B's offset, so A and B
 * together hold every record written.  A write whose move to the end
 * was of the other file (the fd's then) or never made (the fd's status
 * then was B's) wrote A at fda's stale offset, over records there.
 *
 * fsize: RLIMIT_FSIZE is Limit; Swapfd swaps between file A (fda) and
 * /dev/null.  Each of N rounds puts fda's offset Near bytes before the
 * limit, or at it, and writes Count bytes (write, pwrite at that
 * offset, or sendfile from a file of Count bytes).  As Linux: A's write
 * puts at most Near bytes (or fails EFBIG; SIGXFSZ is ignored), so A
 * never grows past Limit; /dev/null takes all Count.  A write whose
 * look at the limit was of /dev/null (the fd's then) and which then
 * wrote A grew A past the limit.
 *
 * limit: no second thread.  splice, sendfile and copy_file_range up
 * to RLIMIT_FSIZE (100 bytes), SIGXFSZ counted: what each answers, how
 * many signals came, and what a splice from a pipe left in it (Linux
 * leaves what did not fit; the runtime had taken it from the pipe and
 * lost it).  Its lines are compared with native i386's.
 *
 * pappend: no second thread.  pwrite and pwritev to an O_APPEND file
 * at offsets inside it: as Linux's (its BUGS), each goes to the end;
 * the runtime wrote at the offset.  Prints the offsets and the file.
 *
 * copyedge: no second thread.  sendfile, copy_file_range and splice
 * with an fd not open for the direction, an O_PATH fd, an O_APPEND out
 * and counts of 0: Linux refuses them (EBADF, EINVAL) before the count
 * matters; the runtime answered 0 for some and copied from an O_PATH
 * fd.  Prints each answer.
 *
 * Prints what was wrong, then "done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "swapfd.h"

enum {
	Rec = 16,		/* append's record */
	Limit = 64 * 1024,	/* fsize's RLIMIT_FSIZE */
	Near = 8,
	Count = 64,
};

static void
append(long rounds)
{
	struct stat sa, sb;
	struct rlimit rl;
	char rec[Rec];
	long i, written;
	pthread_t th;
	ssize_t r;
	int fdc;

	fda = open("tmp/fsizeswap.a", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	fdb = open("tmp/fsizeswap.b", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fdc = open("tmp/fsizeswap.a", O_WRONLY | O_APPEND);
	if(fda < 0 || fdb < 0 || fdc < 0 || dup2(fda, Swapfd) != Swapfd){
		printf("setup: %s\n", strerror(errno));
		return;
	}
	/* a limit far off: each write asks it, as well as O_APPEND's */
	rl.rlim_cur = 1 << 30;
	rl.rlim_max = RLIM_INFINITY;
	if(setrlimit(RLIMIT_FSIZE, &rl) < 0){
		printf("setrlimit: %s\n", strerror(errno));
		return;
	}
	written = 0;
	memset(rec, 'r', sizeof rec);
	pthread_create(&th, NULL, swapper, NULL);
	for(i = 0; i < rounds; i++){
		if(write(fdc, rec, sizeof rec) != sizeof rec){
			printf("write of A's other open file: %s\n", strerror(errno));
			break;
		}
		written += sizeof rec;
		r = write(Swapfd, rec, sizeof rec);
		if(r != sizeof rec){
			printf("write: %zd (%s)\n", r, r < 0 ? strerror(errno) : "short");
			break;
		}
		written += r;
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	if(fstat(fda, &sa) < 0 || fstat(fdb, &sb) < 0)
		printf("fstat: %s\n", strerror(errno));
	else if(sa.st_size + sb.st_size != written)
		printf("of %ld bytes written, A and B hold %ld: records written over\n", written, (long)(sa.st_size + sb.st_size));
}

static void
fsize(long rounds)
{
	static char buf[Count];
	struct rlimit rl;
	struct stat sa;
	pthread_t th;
	long i, bad;
	off_t off, soff;
	ssize_t r;
	int op, src;

	fda = open("tmp/fsizeswap.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	fdb = open("/dev/null", O_WRONLY);
	src = open("tmp/fsizeswap.src", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(buf, 'x', sizeof buf);
	if(fda < 0 || fdb < 0 || src < 0 || write(src, buf, sizeof buf) != sizeof buf || dup2(fda, Swapfd) != Swapfd){
		printf("setup: %s\n", strerror(errno));
		return;
	}
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = Limit;
	rl.rlim_max = RLIM_INFINITY;
	if(setrlimit(RLIMIT_FSIZE, &rl) < 0){
		printf("setrlimit: %s\n", strerror(errno));
		return;
	}
	pthread_create(&th, NULL, swapper, NULL);
	bad = 0;
	for(i = 0; i < rounds && bad < 4; i++){
		off = i & 1 ? Limit : Limit - Near;
		op = (i >> 1) % 3;
		lseek(fda, off, SEEK_SET);
		switch(op){
		case 0:	r = write(Swapfd, buf, Count); break;
		case 1:	r = pwrite(Swapfd, buf, Count, off); break;
		default: soff = 0; r = sendfile(Swapfd, src, &soff, Count); break;
		}
		/* A's: Near bytes, or EFBIG at the limit; /dev/null's: Count */
		if(r != Count && !(off < Limit && r == Near) && !(r < 0 && errno == EFBIG)){
			printf("%s of %d bytes at %ld: %zd (%s)\n", op == 0 ? "write" : op == 1 ? "pwrite" : "sendfile",
				Count, (long)off, r, r < 0 ? strerror(errno) : "");
			bad++;
		}
		if(fstat(fda, &sa) == 0 && sa.st_size > Limit){
			printf("%s of %d bytes at %ld grew the file to %ld, past its limit %d\n", op == 0 ? "write" : op == 1 ? "pwrite" : "sendfile",
				Count, (long)off, (long)sa.st_size, Limit);
			bad++;
			ftruncate(fda, 0);
		}
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
}

static volatile sig_atomic_t nsig;
static char out[4096];
static int nout;

static void
onxfsz(int sig)
{
	(void)sig;
	nsig++;
}

/* a line of limit's, kept until the limit is lifted (stdout may be a file) */
static void
said(char *what, long r)
{
	if(nout < (int)sizeof out)
		nout += snprintf(out + nout, sizeof out - nout, "%s: %ld%s%s, %d SIGXFSZ\n", what, r,
			r < 0 ? " " : "", r < 0 ? strerror(errno) : "", (int)nsig);
}

static void
limit(void)
{
	static char b[64];
	struct rlimit rl;
	int wr, rd, p[2];
	loff_t o;

	signal(SIGXFSZ, onxfsz);
	wr = open("tmp/fsizeswap.dst", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rd = open("tmp/fsizeswap.src", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(b, 'q', sizeof b);
	if(wr < 0 || rd < 0 || write(rd, b, sizeof b) != sizeof b || pipe(p) < 0){
		printf("setup: %s\n", strerror(errno));
		return;
	}
	rl.rlim_cur = 100;
	rl.rlim_max = RLIM_INFINITY;
	if(setrlimit(RLIMIT_FSIZE, &rl) < 0){
		printf("setrlimit: %s\n", strerror(errno));
		return;
	}
	said("write 10 to the pipe", write(p[1], "abcdefghij", 10));
	lseek(wr, 97, SEEK_SET);
	said("splice 10 from the pipe at 97", splice(p[0], NULL, wr, NULL, 10, 0));
	said("splice 10 from the pipe at 100", splice(p[0], NULL, wr, NULL, 10, 0));
	said("read of what the pipe kept", read(p[0], b, sizeof b));
	said("write 10 to the pipe", write(p[1], "abcdefghij", 10));
	o = 98;
	said("splice 10 from the pipe at offset 98", splice(p[0], NULL, wr, &o, 10, 0));
	said("read of what the pipe kept", read(p[0], b, sizeof b));
	lseek(wr, 90, SEEK_SET);
	lseek(rd, 0, SEEK_SET);
	said("sendfile 64 at 90", sendfile(wr, rd, NULL, 64));
	said("the source's offset", lseek(rd, 0, SEEK_CUR));
	o = 95;
	lseek(rd, 0, SEEK_SET);
	said("copy_file_range 20 at offset 95", copy_file_range(rd, NULL, wr, &o, 20, 0));
	said("the source's offset", lseek(rd, 0, SEEK_CUR));
	o = 100;
	said("copy_file_range 20 at offset 100", copy_file_range(rd, NULL, wr, &o, 20, 0));
	rl.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_FSIZE, &rl);
	fwrite(out, 1, nout, stdout);
}

static void
pappend(void)
{
	struct iovec v[2];
	char b[64];
	ssize_t n;
	int fd;

	fd = open("tmp/fsizeswap.p", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
	if(fd < 0 || write(fd, "abc", 3) != 3){
		printf("setup: %s\n", strerror(errno));
		return;
	}
	printf("pwrite at 0: %zd, offset %ld\n", pwrite(fd, "xy", 2, 0), (long)lseek(fd, 0, SEEK_CUR));
	v[0] = (struct iovec){"PQ", 2};
	v[1] = (struct iovec){"R", 1};
	printf("pwritev at 1: %zd, offset %ld\n", pwritev(fd, v, 2, 1), (long)lseek(fd, 0, SEEK_CUR));
	n = pread(fd, b, sizeof b - 1, 0);
	b[n > 0 ? n : 0] = 0;
	printf("the file: %s\n", b);
}

#define Say(x) do{ long r_; errno = 0; r_ = (long)(x); printf("%s: %ld%s%s\n", #x, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : ""); }while(0)

static void
copyedge(void)
{
	static char b[64];
	int rd, wr, pa, ap, p[2];
	loff_t i0, o0;
	off_t o;

	rd = open("tmp/fsizeswap.e", O_RDWR | O_CREAT | O_TRUNC, 0600);
	wr = open("tmp/fsizeswap.w", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	pa = open("tmp/fsizeswap.e", O_PATH);
	ap = open("tmp/fsizeswap.ap", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	memset(b, 'e', sizeof b);
	if(rd < 0 || wr < 0 || pa < 0 || ap < 0 || pipe(p) < 0 || write(rd, b, sizeof b) != sizeof b){
		printf("setup: %s\n", strerror(errno));
		return;
	}
	lseek(rd, 0, SEEK_SET);
	o = 0;
	i0 = o0 = 0;
	Say(sendfile(wr, wr, NULL, 10));
	Say(sendfile(wr, wr, NULL, 0));
	Say(sendfile(rd, rd, &o, 0));
	Say(sendfile(pa, rd, NULL, 10));
	Say(sendfile(wr, pa, NULL, 10));
	Say(sendfile(wr, pa, NULL, 0));
	Say(sendfile(ap, rd, NULL, 10));
	Say(sendfile(wr, rd, &o, 10));
	Say(sendfile(wr, rd, NULL, 100));
	Say(lseek(rd, 0, SEEK_CUR));
	Say(copy_file_range(rd, &i0, wr, NULL, 20, 0));
	Say(copy_file_range(wr, &i0, rd, NULL, 20, 0));
	Say(copy_file_range(rd, &i0, ap, NULL, 20, 0));
	Say(copy_file_range(pa, &i0, wr, NULL, 20, 0));
	Say(copy_file_range(rd, &i0, wr, &o0, 0, 0));
	Say(write(p[1], "abcdef", 6));
	Say(splice(p[0], NULL, wr, NULL, 3, 0));
	Say(splice(p[0], NULL, ap, NULL, 3, 0));
	Say(splice(p[0], NULL, rd, NULL, 3, 0));
	Say(splice(pa, NULL, p[1], NULL, 5, 0));
	Say(splice(wr, NULL, p[1], NULL, 5, 0));
	Say(splice(rd, NULL, wr, NULL, 5, 0));
}

int
main(int argc, char **argv)
{
	if(argc == 2 && strcmp(argv[1], "limit") == 0)
		limit();
	else if(argc == 2 && strcmp(argv[1], "pappend") == 0)
		pappend();
	else if(argc == 2 && strcmp(argv[1], "copyedge") == 0)
		copyedge();
	else if(argc != 3 || (strcmp(argv[1], "append") != 0 && strcmp(argv[1], "fsize") != 0)){
		fprintf(stderr, "usage: guest_fsizeswap append|fsize N, or limit|pappend|copyedge\n");
		return 2;
	}else if(strcmp(argv[1], "append") == 0)
		append(atol(argv[2]));
	else
		fsize(atol(argv[2]));
	printf("done\n");
	return 0;
}
