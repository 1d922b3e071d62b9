/*
 * sysfile.c — the test host's file system calls.  The guest has exactly
 * the host's fds 0, 1 and 2 and no file system: opening anything fails
 * with ENOENT.  fstat and the terminal ioctls report what the host fd
 * really is, so glibc's stdio buffers exactly as it would natively.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "vxhost.h"

enum {
	MAXRW = 0x7ffff000,	/* Linux's MAX_RW_COUNT */
	MAXIOV = 1024,		/* UIO_MAXIOV */
	LAT_EMPTY_PATH = 0x1000,
	LTCGETS = 0x5401,
	LTIOCGWINSZ = 0x5413,
	LF_GETFD = 1, LF_SETFD = 2, LF_GETFL = 3, LF_SETFL = 4,
	STAT64SIZE = 96,
	STATXSIZE = 256,
	STATXBASIC = 0x7ff,	/* STATX_BASIC_STATS */
	TERMIOSSIZE = 36,	/* the kernel's struct termios: 4 flags, c_line, c_cc[19] */
};

/* The host fd for guest fd, or -1. */
int
vhfd(Host *h, uint32_t fd)
{
	if(fd > 2 || (h->closed & (1 << fd)))
		return -1;
	return fd;
}

static long
rw(Host *h, uint32_t *a, int out)
{
	uint32_t n;
	ssize_t r;
	void *p;
	int fd;

	fd = vhfd(h, a[0]);
	if(fd < 0)
		return -EBADF;
	n = a[2] > MAXRW ? MAXRW : a[2];
	p = vhmem(h, a[1], n, out ? VX_PROT_READ : VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	atomic_store(&h->inhost, 1);
	do
		r = out ? write(fd, p, n) : read(fd, p, n);
	while(r < 0 && errno == EINTR);
	atomic_store(&h->inhost, 0);
	return r < 0 ? -errno : r;
}

long
vh_read(Host *h, uint32_t *a)
{
	return rw(h, a, 0);
}

long
vh_write(Host *h, uint32_t *a)
{
	return rw(h, a, 1);
}

static long
rwv(Host *h, uint32_t *a, int out)
{
	struct iovec iov[MAXIOV];
	uint64_t total;
	uint8_t *g;
	uint32_t i, len;
	ssize_t r;
	int fd;

	fd = vhfd(h, a[0]);
	if(fd < 0)
		return -EBADF;
	if(a[2] > MAXIOV)
		return -EINVAL;
	g = vhmem(h, a[1], a[2] * 8, VX_PROT_READ);
	if(g == NULL)
		return -EFAULT;
	total = 0;
	for(i = 0; i < a[2]; i++){
		len = vhget32(g + 8 * i + 4);
		total += len;
		if(len > MAXRW || total > MAXRW)
			return -EINVAL;
		iov[i].iov_len = len;
		iov[i].iov_base = vhmem(h, vhget32(g + 8 * i), len, out ? VX_PROT_READ : VX_PROT_WRITE);
		if(iov[i].iov_base == NULL)
			return -EFAULT;
	}
	atomic_store(&h->inhost, 1);
	do
		r = out ? writev(fd, iov, a[2]) : readv(fd, iov, a[2]);
	while(r < 0 && errno == EINTR);
	atomic_store(&h->inhost, 0);
	return r < 0 ? -errno : r;
}

long
vh_readv(Host *h, uint32_t *a)
{
	return rwv(h, a, 0);
}

long
vh_writev(Host *h, uint32_t *a)
{
	return rwv(h, a, 1);
}

/* The guest may close its fds; the host keeps them (it reports on stderr). */
long
vh_close(Host *h, uint32_t *a)
{
	if(vhfd(h, a[0]) < 0)
		return -EBADF;
	h->closed |= 1 << a[0];
	return 0;
}

long
vh_lseek(Host *h, uint32_t *a)
{
	off_t r;
	int fd;

	fd = vhfd(h, a[0]);
	if(fd < 0)
		return -EBADF;
	r = lseek(fd, (int32_t)a[1], a[2]);
	if(r < 0)
		return -errno;
	if(r > INT32_MAX)
		return -EOVERFLOW;
	return r;
}

/* _llseek(fd, offset_high, offset_low, result, whence) */
long
vh_llseek(Host *h, uint32_t *a)
{
	uint8_t *res;
	off_t r;
	int fd;

	fd = vhfd(h, a[0]);
	if(fd < 0)
		return -EBADF;
	res = vhmem(h, a[3], 8, VX_PROT_WRITE);
	if(res == NULL)
		return -EFAULT;
	r = lseek(fd, (off_t)((uint64_t)a[1] << 32 | a[2]), a[4]);
	if(r < 0)
		return -errno;
	vhput64(res, r);
	return 0;
}

static long
tcgets(int fd, uint8_t *g)
{
	struct termios t;

	if(tcgetattr(fd, &t) < 0)
		return -errno;
	vhput32(g, t.c_iflag);
	vhput32(g + 4, t.c_oflag);
	vhput32(g + 8, t.c_cflag);
	vhput32(g + 12, t.c_lflag);
	g[16] = t.c_line;
	memcpy(g + 17, t.c_cc, TERMIOSSIZE - 17);
	return 0;
}

/* Only the two questions isatty and terminal-size code ask. */
long
vh_ioctl(Host *h, uint32_t *a)
{
	struct winsize ws;
	uint8_t *g;
	int fd;

	fd = vhfd(h, a[0]);
	if(fd < 0)
		return -EBADF;
	switch(a[1]){
	case LTCGETS:
		g = vhmem(h, a[2], TERMIOSSIZE, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		return tcgets(fd, g);
	case LTIOCGWINSZ:
		g = vhmem(h, a[2], sizeof ws, VX_PROT_WRITE);
		if(g == NULL)
			return -EFAULT;
		if(ioctl(fd, TIOCGWINSZ, &ws) < 0)
			return -errno;
		memcpy(g, &ws, sizeof ws);	/* four u16s on both */
		return 0;
	}
	return -ENOTTY;
}

long
vh_fcntl(Host *h, uint32_t *a)
{
	int fd, fl;

	fd = vhfd(h, a[0]);
	if(fd < 0)
		return -EBADF;
	switch(a[1]){
	case LF_GETFD:
	case LF_SETFD:
	case LF_SETFL:
		return 0;
	case LF_GETFL:
		fl = fcntl(fd, F_GETFL);
		if(fl < 0)
			return -errno;
		return fl & (O_ACCMODE | O_APPEND | O_NONBLOCK);	/* same values on i386 */
	}
	return -EINVAL;
}

/* The kernel's i386 struct stat64. */
static void
putstat64(uint8_t *g, struct stat *st)
{
	memset(g, 0, STAT64SIZE);
	vhput64(g + 0, st->st_dev);
	vhput32(g + 12, st->st_ino);
	vhput32(g + 16, st->st_mode);
	vhput32(g + 20, st->st_nlink);
	vhput32(g + 24, st->st_uid);
	vhput32(g + 28, st->st_gid);
	vhput64(g + 32, st->st_rdev);
	vhput64(g + 44, st->st_size);
	vhput32(g + 52, st->st_blksize);
	vhput64(g + 56, st->st_blocks);
	vhput32(g + 64, st->st_atim.tv_sec);
	vhput32(g + 68, st->st_atim.tv_nsec);
	vhput32(g + 72, st->st_mtim.tv_sec);
	vhput32(g + 76, st->st_mtim.tv_nsec);
	vhput32(g + 80, st->st_ctim.tv_sec);
	vhput32(g + 84, st->st_ctim.tv_nsec);
	vhput64(g + 88, st->st_ino);
}

static void
puttime(uint8_t *g, struct timespec *ts)
{
	vhput64(g, ts->tv_sec);
	vhput32(g + 8, ts->tv_nsec);
}

static void
putstatx(uint8_t *g, struct stat *st)
{
	memset(g, 0, STATXSIZE);
	vhput32(g + 0, STATXBASIC);
	vhput32(g + 4, st->st_blksize);
	vhput32(g + 16, st->st_nlink);
	vhput32(g + 20, st->st_uid);
	vhput32(g + 24, st->st_gid);
	g[28] = st->st_mode;
	g[29] = st->st_mode >> 8;
	vhput64(g + 32, st->st_ino);
	vhput64(g + 40, st->st_size);
	vhput64(g + 48, st->st_blocks);
	puttime(g + 64, &st->st_atim);
	puttime(g + 96, &st->st_ctim);
	puttime(g + 112, &st->st_mtim);
	vhput32(g + 128, major(st->st_rdev));
	vhput32(g + 132, minor(st->st_rdev));
	vhput32(g + 136, major(st->st_dev));
	vhput32(g + 140, minor(st->st_dev));
}

/* fstat the guest fd, or with a path, fail: there are no files. */
static long
statfd(Host *h, uint32_t fd, uint32_t path, uint32_t flags, uint32_t buf, int statx)
{
	struct stat st;
	const char *s;
	uint8_t *g;
	int hfd;

	if(path != 0){
		s = vhstr(h, path);
		if(s == NULL)
			return -EFAULT;
		if(s[0] != 0 || !(flags & LAT_EMPTY_PATH))
			return -ENOENT;
	}
	hfd = vhfd(h, fd);
	if(hfd < 0)
		return -EBADF;
	g = vhmem(h, buf, statx ? STATXSIZE : STAT64SIZE, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	if(fstat(hfd, &st) < 0)
		return -errno;
	if(statx)
		putstatx(g, &st);
	else
		putstat64(g, &st);
	return 0;
}

/* fstat64(fd, buf) */
long
vh_fstat64(Host *h, uint32_t *a)
{
	return statfd(h, a[0], 0, 0, a[1], 0);
}

/* fstatat64(dirfd, path, buf, flags) */
long
vh_fstatat64(Host *h, uint32_t *a)
{
	if(a[1] == 0)
		return -EFAULT;
	return statfd(h, a[0], a[1], a[3], a[2], 0);
}

/* statx(dirfd, path, flags, mask, buf) */
long
vh_statx(Host *h, uint32_t *a)
{
	if(a[1] == 0)
		return -EFAULT;
	return statfd(h, a[0], a[1], a[2], a[4], 1);
}

/* open, access, readlink, stat64 …: the path must be a readable string;
 * no file exists. */
static long
nofile(Host *h, uint32_t path)
{
	const char *s;

	s = vhstr(h, path);
	if(s == NULL)
		return -EFAULT;
	if(h->trace)
		fprintf(stderr, "vxhost:   path \"%.200s\"\n", s);
	return -ENOENT;
}

/* open(path, …), access(path, …), readlink(path, …) */
long
vh_nofile(Host *h, uint32_t *a)
{
	return nofile(h, a[0]);
}

/* openat(dirfd, path, …), faccessat, readlinkat */
long
vh_nofileat(Host *h, uint32_t *a)
{
	return nofile(h, a[1]);
}
