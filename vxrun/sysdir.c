/*
 * sysdir.c — names and metadata: the stat family from a Dir, getdents64
 * from kif_dirreadnames (each name once, even in a union), and the calls that
 * change the namespace's files: mkdir, remove, rename, chmod, truncate,
 * utimes — the last four through wstat.  There are no symbolic links.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dat.h"

enum {
	LS_IFIFO = 0010000, LS_IFCHR = 0020000, LS_IFDIR = 0040000, LS_IFREG = 0100000,
	LS_IFSOCK = 0140000, LS_IFLNK = 0120000,
	SOCKTYPE = 0x100,	/* Dir.type of a socket fd's stat: no device's letter */
	LAT_SYMLINK_NOFOLLOW = 0x100, LAT_REMOVEDIR = 0x200, LAT_EMPTY_PATH = 0x1000,
	LAT_FDCWD = -100, LAT_SYMLINK_FOLLOW = 0x400,
	STAT64SIZE = 96, STATXSIZE = 256, STATSIZE = 64, OLDSTATSIZE = 32,
	OVERFLOWID = 65534,	/* a 16-bit uid or gid field's for an id that does not fit */
	MAXNONLFS = 0x7fffffff,
	STATXBASIC = 0x7ff, LSTATX_BTIME = 0x800, LSTATX_MNT_ID = 0x1000,
	DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12,
	LUTIME_NOW = (1 << 30) - 1, LUTIME_OMIT = (1 << 30) - 2,
	MAXSEEN = 1 << 20,
};

/* Linux's set-id and sticky bits of mode, as Dir.mode's, and back */
static ulong
dmspecial(uint32_t mode)
{
	return ((mode & 04000) ? DMSETUID : 0) | ((mode & 02000) ? DMSETGID : 0) | ((mode & 01000) ? DMSETVTX : 0);
}

static uint32_t
lspecial(ulong dm)
{
	return ((dm & DMSETUID) ? 04000 : 0) | ((dm & DMSETGID) ? 02000 : 0) | ((dm & DMSETVTX) ? 01000 : 0);
}

static uint32_t
lmode(Dir *d)
{
	uint32_t m;

	m = (d->mode & 0777) | lspecial(d->mode);
	if(d->mode & DMSYMLINK)
		return m | LS_IFLNK;
	if(d->mode & DMDIR)
		return m | LS_IFDIR;
	if(d->mode & DMNAMEDPIPE)
		return m | LS_IFIFO;
	if(d->mode & DMSOCKET)
		return m | LS_IFSOCK;
	if(d->type == '|')
		return 0600 | LS_IFIFO;	/* a pipe: Linux's pipefs inode, owner only */
	if(d->type == 'c' || d->type == 'P')
		return m | LS_IFCHR;
	if(d->type == SOCKTYPE)
		return m | LS_IFSOCK;
	return m | LS_IFREG;
}

/* Is the file at path (or fd, where path is NULL) a regular file to
 * Linux, what RLIMIT_FSIZE bounds?  No where it cannot be looked at:
 * the call itself then says what is wrong. */
int
isregular(char *path, int fd)
{
	Dir *d;
	int reg;

	d = path != NULL ? kdirstat(path) : kdirfstat(fd);
	if(d == NULL)
		return 0;
	reg = (lmode(d) & 0170000) == LS_IFREG;
	free(d);
	return reg;
}

/* isregular of an open file taken for a write (kif_fdfileio) */
int
fileisregular(Kiffile *k)
{
	Dir *d;
	int reg;

	if((d = kif_filedirstat(k)) == NULL)
		return 0;
	reg = (lmode(d) & 0170000) == LS_IFREG;
	free(d);
	return reg;
}

/* RLIMIT_FSIZE for truncate and fallocate: a regular file (path, or
 * fd where path is NULL) made longer than the soft limit is EFBIG, with
 * SIGXFSZ.  0 where the change may go on. */
long
fsizegrow(Lthread *t, char *path, int fd, int64_t size)
{
	if((uint64_t)size <= fsizelimit(t) || !isregular(path, fd))
		return 0;
	return fsizesig(t, -EFBIG);
}

/* st_dev: the device's letter and instance, as mountinfo's major and
 * minor; the root device's files are the root file system's (rootdev). */
static uint64_t
ldev(Dir *d)
{
	return (uint64_t)(d->type & 0xff) << 8 | (d->dev & 0xff);
}

/* The Linux device numbers of the console device's files that Linux
 * has (devices.txt: mem's 1:3 null and its kin, 5:0 the controlling
 * terminal, 5:1 the console): programs compare st_rdev with
 * makedev(1, 3) to tell /dev/null.  The others have none: 0:0. */
static struct {
	char *name;
	int major, minor;
} consdevs[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 },
	{ "tty", 5, 0 }, { "cons", 5, 1 },
};

static void
lrdev(Dir *d, uint32_t *major, uint32_t *minor)
{
	int i;

	*major = *minor = 0;
	if(d->type == 'P' && !(d->mode & DMDIR) && d->name != NULL){
		/* devices.txt: 5:2 ptmx, 136+ the Unix98 slaves */
		if(strcmp(d->name, "ptmx") == 0){
			*major = 5;
			*minor = 2;
		}else{
			*major = 136 + (uint32_t)(d->qid.path >> 4) / 256;
			*minor = (uint32_t)(d->qid.path >> 4) % 256;
		}
		return;
	}
	/* #c2/cons, the host's stderr, is a FIFO to Linux: no device number */
	if(d->type != 'c' || (d->mode & (DMDIR | DMNAMEDPIPE)) || d->name == NULL)
		return;
	for(i = 0; i < (int)(sizeof consdevs / sizeof consdevs[0]); i++)
		if(strcmp(d->name, consdevs[i].name) == 0){
			*major = consdevs[i].major;
			*minor = consdevs[i].minor;
			return;
		}
}

/* st_rdev as Linux's new_encode_dev: minor's low byte, major, the rest of minor */
static uint32_t
lrdevnum(Dir *d)
{
	uint32_t ma, mi;

	lrdev(d, &ma, &mi);
	return (mi & 0xff) | (ma & 0xfff) << 8 | (mi & ~0xffu) << 12;
}

/* A file of the root device (#/: /, /n, /chan, the mount points) shows
 * as one of the file system at / (procfs.c's rootfs, into *rf unless
 * NULL), which mountinfo lists as the root mount: a Linux program sees
 * one file system there.  Was d such a file? */
static int
rootdev(Lthread *t, Dir *d, Rootfs *rf)
{
	Rootfs local;

	if(d->type != '/')
		return 0;
	if(rf == NULL)
		rf = &local;
	rootfs(t->p, rf);
	d->type = rf->type;
	d->dev = rf->dev;
	return 1;
}

/* The inode number of a file: its qid path, folded to 32 bits when
 * wider (#L's and #U's paths can be), as a program built without
 * large-file support fails readdir and stat (EOVERFLOW) on an inode
 * that does not fit; never 0.  A device's root usually has qid path
 * 0: it gets the top 32-bit number, where 1 would be another file's
 * (#/'s chan: find saw a directory loop).  stat and getdents agree. */
static uint64_t
lino(Dir *d)
{
	uint64_t q;

	q = d->qid.path;
	if(q >> 32)
		q = (uint32_t)(q ^ (q >> 32));
	return q != 0 ? q : 0xffffffff;
}

/*
 * What the Dir does not say, the kernel may (kif_dirstat: a #U file's
 * host link count, size of a directory, blocks, block size and
 * nanoseconds).  Where it does
 * not (all zero: a 9P file, #L, a pipe), a file has one link, a
 * directory two, blocks are the length's, the change time is the
 * modification time.  The block size tells, never 0 in a host's stat:
 * a link count of 0 is a removed file's (Linux's fstat of one).
 */
static void
fillx(Dir *d, Kifstat *x)
{
	if(x->blksize != 0)
		return;
	x->nlink = (d->mode & DMDIR) ? 2 : 1;
	x->size = d->length;
	x->blocks = ((uint64_t)d->length + 511) / 512;
	x->blksize = 8192;
	x->atimens = x->mtimens = x->ctimens = 0;
	x->ctime = d->mtime;
}

static void
fillstat64(uint8_t *s, Dir *d, Kifstat *x)
{
	fillx(d, x);
	memset(s, 0, STAT64SIZE);
	put64(s, ldev(d));
	put32(s + 12, (uint32_t)lino(d));
	put32(s + 16, lmode(d));
	put32(s + 20, x->nlink);
	put32(s + 24, hostuid());
	put32(s + 28, hostgid());
	put64(s + 32, lrdevnum(d));
	put64(s + 44, x->size);
	put32(s + 52, x->blksize);
	put64(s + 56, x->blocks);
	put32(s + 64, d->atime);
	put32(s + 68, x->atimens);
	put32(s + 72, d->mtime);
	put32(s + 76, x->mtimens);
	put32(s + 80, x->ctime);
	put32(s + 84, x->ctimens);
	put64(s + 88, lino(d));
}

/* A uid or gid in a 16-bit field: one that does not fit is the
 * overflow id, as Linux's high2lowuid. */
static uint16_t
id16(uint32_t id)
{
	return (id & ~0xffffu) ? OVERFLOWID : id;
}

/* i386 struct stat (stat, lstat, fstat: 106-108), 64 bytes of 32-bit
 * fields with 16-bit mode, nlink, uid and gid; a size, inode or link
 * count that does not fit is EOVERFLOW and the buffer is not written,
 * as Linux's cp_new_stat. */
static long
fillstat(uint8_t *s, Dir *d, Kifstat *x)
{
	uint64_t ino;

	fillx(d, x);
	ino = lino(d);
	if(x->size > MAXNONLFS || (ino >> 32) != 0 || x->nlink > 0xffff)
		return -EOVERFLOW;
	memset(s, 0, STATSIZE);
	put32(s, (uint32_t)ldev(d));
	put32(s + 4, (uint32_t)ino);
	put16(s + 8, lmode(d));
	put16(s + 10, x->nlink);
	put16(s + 12, id16(hostuid()));
	put16(s + 14, id16(hostgid()));
	put32(s + 16, lrdevnum(d));
	put32(s + 20, (uint32_t)x->size);
	put32(s + 24, x->blksize);
	put32(s + 28, (uint32_t)x->blocks);
	put32(s + 32, d->atime);
	put32(s + 36, x->atimens);
	put32(s + 40, d->mtime);
	put32(s + 44, x->mtimens);
	put32(s + 48, x->ctime);
	put32(s + 52, x->ctimens);
	return 0;
}

/* i386 struct __old_kernel_stat (oldstat, oldfstat, oldlstat: 18, 28,
 * 84), 32 bytes: seven 16-bit fields (a 16-bit inode: most files'
 * do not fit, EOVERFLOW), then size and the three times in seconds;
 * the device as Linux's old_encode_dev, major and minor in a byte each. */
static long
filloldstat(uint8_t *s, Dir *d, Kifstat *x)
{
	uint64_t ino;

	fillx(d, x);
	ino = lino(d);
	if(x->size > MAXNONLFS || ino > 0xffff || x->nlink > 0xffff)
		return -EOVERFLOW;
	memset(s, 0, OLDSTATSIZE);
	put16(s, ldev(d));
	put16(s + 2, ino);
	put16(s + 4, lmode(d));
	put16(s + 6, x->nlink);
	put16(s + 8, id16(hostuid()));
	put16(s + 10, id16(hostgid()));
	put16(s + 12, lrdevnum(d));	/* old_encode_dev: the same for these numbers */
	put32(s + 16, (uint32_t)x->size);
	put32(s + 20, d->atime);
	put32(s + 24, d->mtime);
	put32(s + 28, x->ctime);
	return 0;
}

static void
fillstatx(uint8_t *s, Dir *d, Kifstat *x)
{
	uint32_t ma, mi, mask;

	fillx(d, x);
	lrdev(d, &ma, &mi);
	memset(s, 0, STATXSIZE);
	mask = x->statxmask != 0 ? x->statxmask & (STATXBASIC | LSTATX_BTIME) : STATXBASIC;
	put32(s, mask);
	put32(s + 4, x->blksize);
	put32(s + 16, x->nlink);
	put32(s + 20, hostuid());
	put32(s + 24, hostgid());
	put16(s + 28, lmode(d));
	put64(s + 32, lino(d));
	put64(s + 40, x->size);
	put64(s + 48, x->blocks);
	put64(s + 64, d->atime);
	put32(s + 72, x->atimens);
	if(mask & LSTATX_BTIME){
		put64(s + 80, x->btime);
		put32(s + 88, x->btimens);
	}
	put64(s + 96, x->ctime);
	put32(s + 104, x->ctimens);
	put64(s + 112, d->mtime);
	put32(s + 120, x->mtimens);
	put32(s + 128, ma);
	put32(s + 132, mi);
	put32(s + 136, d->type & 0xff);
	put32(s + 140, d->dev & 0xff);
}

/*
 * Whether path names its last element as a directory: a trailing slash,
 * or a last element "." or "..".  Linux then wants a directory there
 * (ENOTDIR for a file: stat("f/"), open("f/"); unlink("f/") removes
 * nothing) and an O_CREAT open refuses the name (EISDIR), while the
 * kernel's lexical names drop the slash.
 */
int
dirpath(const char *path)
{
	const char *last;
	size_t n;

	n = strlen(path);
	if(n > 0 && path[n - 1] == '/')
		return 1;
	last = strrchr(path, '/');
	last = last != NULL ? last + 1 : path;
	return strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
}

/* 0 when path (links followed) is a directory, else -ENOTDIR or why
 * it is not there */
long
needdir(char *path)
{
	Dir *d;
	int isdir;

	d = kdirstat(path);
	if(d == NULL)
		return kerrno();
	isdir = (d->mode & DMDIR) != 0;
	free(d);
	return isdir ? 0 : -ENOTDIR;
}

/* The Dir of an open fd; a network conversation's file (a socket fd)
 * says so, as a Linux socket's S_IFSOCK.  By fd only: a path in /net
 * names a file like any other. */
static Dir *
fdstat(Lthread *t, int fd, Kifstat *x, unsigned long want)
{
	unsigned long long qpath;
	int dc, qtype;
	char *link;
	Dir *d;

	if((link = fdlink(t->p, fd)) != NULL){
		d = kif_lstatx(link, x, want);	/* an O_PATH fd of a link: the link's */
		free(link);
		return d;
	}
	d = kif_dirstatx(NULL, fd, x, want);
	if(d != NULL && kif_fdkind(fd, &dc, &qtype, &qpath, NULL) == 0 && dc == 'I' && !(qtype & QTDIR)){
		d->type = SOCKTYPE;
		d->length = 0;	/* a data file's is what is queued; a socket's st_size is 0 */
		d->mode = (d->mode & ~0777u) | 0777;	/* a Linux socket inode's */
	}
	return d;
}

/* The Dir for path relative to dirfd, or for dirfd itself (AT_EMPTY_PATH);
 * with what the host's statx says for the request mask want where not 0. */
static Dir *
statat(Lthread *t, uint32_t dirfd, uint32_t addr, uint32_t flags, Kifstat *x, unsigned long want, long *err)
{
	char *path, *s;
	Dir *d;
	int e;

	s = gstr(t, addr);
	if(s != NULL && s[0] == 0 && (flags & LAT_EMPTY_PATH)){
		if(!fdcheck(t->p, dirfd)){
			*err = -EBADF;
			return NULL;
		}
		d = fdstat(t, dirfd, x, want);
		if(d == NULL)
			*err = kerrno();
		return d;
	}
	path = atpath(t, dirfd, addr, &e);
	if(path == NULL){
		*err = -e;
		return NULL;
	}
	if(dirpath(path)){
		/* "link/" is the link's directory, even to lstat */
		flags &= ~LAT_SYMLINK_NOFOLLOW;
		if((*err = needdir(path)) < 0){
			free(path);
			return NULL;
		}
	}
	if(flags & LAT_SYMLINK_NOFOLLOW)
		d = kif_lstatx(path, x, want);
	else if((d = kif_dirstatx(path, -1, x, want)) != NULL)
		d->mode &= ~DMSYMLINK;	/* a link the walk did not follow: #L's */
	if(d == NULL)
		*err = kerrno();
	else if(progfile(d->type, d->qid.path)){
		free(d);	/* outside the sandbox (sysfile.c) */
		d = NULL;
		*err = -ENOENT;
	}
	free(path);
	return d;
}

/* The layouts of a stat call's buffer */
enum { Stat64, Statx, Stat, Oldstat };

static int statsize[] = {
	[Stat64] = STAT64SIZE, [Statx] = STATXSIZE, [Stat] = STATSIZE, [Oldstat] = OLDSTATSIZE,
};

static long
fillbuf(uint8_t *s, int layout, Dir *d, Kifstat *k)
{
	switch(layout){
	case Statx:
		fillstatx(s, d, k);
		return 0;
	case Stat:
		return fillstat(s, d, k);
	case Oldstat:
		return filloldstat(s, d, k);
	default:
		fillstat64(s, d, k);
		return 0;
	}
}

/* path with `.`, `..` and doubled slashes taken out, in place, as the
 * kernel's names are (lexically: a `..` after a symbolic link goes up
 * from the link's name, not its target's) */
static void
lexclean(char *path)
{
	char *r, *w, *seg;
	size_t n;

	r = w = path + 1;
	while(*r != 0){
		while(*r == '/')
			r++;
		seg = r;
		while(*r != 0 && *r != '/')
			r++;
		n = r - seg;
		if(n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if(n == 2 && seg[0] == '.' && seg[1] == '.'){
			while(w > path + 1 && *--w != '/')
				;
			continue;
		}
		if(w > path + 1)
			*w++ = '/';
		memmove(w, seg, n);
		w += n;
	}
	*w = 0;
}

/* path (malloc'd, taken) from the current directory's if relative, with
 * ".", ".." and repeated slashes taken out (a '#' device path as it is);
 * malloc'd, or NULL. */
char *
abspath(char *path)
{
	char *cwd, *abs;
	int fd;

	if(path[0] == '#')
		return path;
	abs = path;
	if(path[0] != '/'){
		abs = NULL;
		fd = kopen(".", OREAD);
		cwd = fd >= 0 ? kfd2path(fd) : NULL;
		if(fd >= 0)
			kclose(fd);
		if(cwd != NULL && asprintf(&abs, "%s/%s", cwd, path) < 0)
			abs = NULL;
		free(cwd);
		free(path);
	}
	if(abs != NULL && abs[0] == '/')
		lexclean(abs);
	return abs;
}

/* statx's mount id of what statat found (procfs.c's mountid), from its
 * path in the namespace; 0 for a path that is no file's in it (a
 * device's own, #c/...). */
static uint64_t
statmntid(Lthread *t, uint32_t dirfd, uint32_t addr, uint32_t flags)
{
	char *s, *path, *abs;
	uint64_t id;
	int e;

	s = gstr(t, addr);
	if(s != NULL && s[0] == 0 && (flags & LAT_EMPTY_PATH)){
		if((path = fdlink(t->p, dirfd)) == NULL)
			path = kfd2path(dirfd);
	}else
		path = atpath(t, dirfd, addr, &e);
	if(path == NULL)
		return 0;
	abs = abspath(path);
	if(abs == NULL || abs[0] != '/'){
		free(abs);
		return 0;
	}
	id = mountid(abs);
	free(abs);
	return id;
}

/* mask: statx's, what the caller asks for.  A host file's statx is asked
 * too (a host call more) where the mask asks for the birth time or not
 * for all the basic fields: its answer's mask (a multigrain file system
 * leaves out the times not asked for) and birth time are the guest's.
 * glibc's stat asks for the basic fields: Linux's answer is those.
 * STATX_MNT_ID, where asked (Linux fills it always; it costs a read of
 * the namespace here), is the id of mountinfo's line for the mount the
 * path is under. */
static long
statcall(Lthread *t, uint32_t dirfd, uint32_t path, uint32_t buf, uint32_t flags, uint32_t mask, int layout)
{
	uint64_t id;
	uint8_t *s;
	Kifstat k;
	long err;
	Dir *d;

	s = gmem(t, buf, statsize[layout], VX_PROT_WRITE);
	if(s == NULL)
		return -EFAULT;
	d = statat(t, dirfd, path, flags, &k, layout == Statx && ((mask & LSTATX_BTIME) || (mask & STATXBASIC) != STATXBASIC) ? KIF_STATX | mask : 0, &err);
	if(d == NULL)
		return err;
	rootdev(t, d, NULL);
	err = fillbuf(s, layout, d, &k);
	free(d);
	if(layout == Statx && (mask & LSTATX_MNT_ID) && (id = statmntid(t, dirfd, path, flags)) != 0){
		put32(s, get32(s) | LSTATX_MNT_ID);
		put64(s + 144, id);
	}
	return err;
}

static long
fstatcall(Lthread *t, uint32_t fd, uint32_t buf, int layout)
{
	uint8_t *s;
	Kifstat k;
	long err;
	Dir *d;

	if(!fdcheck(t->p, fd))
		return -EBADF;
	s = gmem(t, buf, statsize[layout], VX_PROT_WRITE);
	if(s == NULL)
		return -EFAULT;
	d = fdstat(t, fd, &k, 0);
	if(d == NULL)
		return kerrno();
	rootdev(t, d, NULL);
	err = fillbuf(s, layout, d, &k);
	free(d);
	return err;
}

long sys_stat64(Lthread *t, uint32_t *a) { return statcall(t, LAT_FDCWD, a[0], a[1], 0, 0, Stat64); }
long sys_lstat64(Lthread *t, uint32_t *a) { return statcall(t, LAT_FDCWD, a[0], a[1], LAT_SYMLINK_NOFOLLOW, 0, Stat64); }
long sys_fstatat64(Lthread *t, uint32_t *a) { return statcall(t, a[0], a[1], a[2], a[3], 0, Stat64); }
long sys_statx(Lthread *t, uint32_t *a) { return statcall(t, a[0], a[1], a[4], a[2], a[3], Statx); }
long sys_fstat64(Lthread *t, uint32_t *a) { return fstatcall(t, a[0], a[1], Stat64); }
long sys_stat(Lthread *t, uint32_t *a) { return statcall(t, LAT_FDCWD, a[0], a[1], 0, 0, Stat); }
long sys_lstat(Lthread *t, uint32_t *a) { return statcall(t, LAT_FDCWD, a[0], a[1], LAT_SYMLINK_NOFOLLOW, 0, Stat); }
long sys_fstat(Lthread *t, uint32_t *a) { return fstatcall(t, a[0], a[1], Stat); }
long sys_oldstat(Lthread *t, uint32_t *a) { return statcall(t, LAT_FDCWD, a[0], a[1], 0, 0, Oldstat); }
long sys_oldlstat(Lthread *t, uint32_t *a) { return statcall(t, LAT_FDCWD, a[0], a[1], LAT_SYMLINK_NOFOLLOW, 0, Oldstat); }
long sys_oldfstat(Lthread *t, uint32_t *a) { return fstatcall(t, a[0], a[1], Oldstat); }

static uint32_t
strhash(const char *s)
{
	uint32_t h;

	for(h = 2166136261u; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* Grow ds's hash of names to ncap slots. */
static int
growseen(Dstate *ds, uint32_t ncap)
{
	uint32_t i, h, *ns;

	ns = calloc(ncap, sizeof *ns);
	if(ns == NULL)
		return -1;
	for(i = 0; i < ds->cap; i++)
		if(ds->seen[i] != 0){
			for(h = strhash(ds->pool + ds->seen[i] - 1) & (ncap - 1); ns[h] != 0; h = (h + 1) & (ncap - 1))
				;
			ns[h] = ds->seen[i];
		}
	free(ds->seen);
	ds->seen = ns;
	ds->cap = ncap;
	return 0;
}

/* Add name (namelen bytes) to the names seen; 0 if it was there
 * already.  The names are kept in one pool, not allocated one by one:
 * a listing of thousands of names pays for a few reallocations. */
static int
addseen(Dstate *ds, const char *name, uint32_t namelen)
{
	uint32_t h, m;
	char *np;

	if(ds->nseen * 2 >= ds->cap && (ds->cap >= MAXSEEN || growseen(ds, ds->cap ? ds->cap * 2 : 64) < 0))
		return 1;
	for(h = strhash(name) & (ds->cap - 1); ds->seen[h] != 0; h = (h + 1) & (ds->cap - 1))
		if(strcmp(ds->pool + ds->seen[h] - 1, name) == 0)
			return 0;
	if(ds->npool + namelen + 1 > ds->maxpool){
		m = ds->maxpool ? ds->maxpool * 2 : 4096;
		while(m < ds->npool + namelen + 1)
			m *= 2;
		if((np = realloc(ds->pool, m)) == NULL)
			return 1;
		ds->pool = np;
		ds->maxpool = m;
	}
	memcpy(ds->pool + ds->npool, name, namelen + 1);
	ds->seen[h] = ds->npool + 1;
	ds->npool += namelen + 1;
	ds->nseen++;
	return 1;
}

static int
dtype(Dir *d)
{
	uint32_t m;

	m = lmode(d);
	switch(m & 0170000){
	case LS_IFDIR: return DT_DIR;
	case LS_IFIFO: return DT_FIFO;
	case LS_IFCHR: return DT_CHR;
	case LS_IFLNK: return DT_LNK;
	case LS_IFSOCK: return DT_SOCK;
	}
	return DT_REG;
}

static long dirents(uint32_t, Dstate*, uint8_t*, uint32_t, uint32_t, int, int64_t);

/* fd's listing (Fdinfo.ds), made at its first use, with a reference of
 * the caller's (dsput): a close may drop the fd's meanwhile */
static Dstate *
dshold(Lthread *t, uint32_t fd)
{
	Fdinfo *f;
	Dstate *ds;

	f = &t->p->fd[fd];
	pthread_mutex_lock(&t->p->flk);
	if(f->ds == NULL && (f->ds = dsnew()) != NULL){
		/* a descriptor passed by SCM_RIGHTS of one that listed
		 * (a dup or a fork's copy shares the Dstate: dsshare): it
		 * goes on from the kernel's offset, without . and .. again */
		if(kseek(fd, 0, KSEEKCUR) > 0)
			f->ds->dots = 2;
	}
	ds = f->ds;
	if(ds != NULL)
		atomic_fetch_add(&ds->ref, 1);
	pthread_mutex_unlock(&t->p->flk);
	return ds;
}

/* getdents64(fd, buf, n), or i386's getdents (old: its linux_dirent) */
static long
getdents(Lthread *t, uint32_t *a, int old)
{
	uint8_t *buf;
	uint32_t n, room;
	Dstate *ds;
	Fdinfo *f;
	long r;

	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	f = &t->p->fd[a[0]];
	if(!f->isdir)
		return -ENOTDIR;
	/* Linux's filldir keeps the count in an int: past INT_MAX no entry
	 * fits (EINVAL); its access_ok is the 64-bit one, so a count that
	 * runs past 4 GiB is no EFAULT of itself (a buffer on an i386
	 * stack asked with a count of 2 GiB): the entries go where the
	 * memory is, up to 4 GiB (gmemroom; red team, session 22: both
	 * were otherwise) */
	if(a[2] > 0x7fffffffu)
		return -EINVAL;
	n = a[2] > MAXRW ? MAXRW : a[2];
	/* a buffer running into unmapped or read-only pages takes the
	 * entries that fit before them, as Linux's (which stops at the
	 * fault): EFAULT only when the first does not fit */
	buf = gmemroom(t, a[1], n, VX_PROT_WRITE, &room);
	if((ds = dshold(t, a[0])) == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&ds->lk);
	r = dirents(a[0], ds, buf, n, room, old, -1);
	pthread_mutex_unlock(&ds->lk);
	dsput(ds);
	return r;
}

long sys_getdents64(Lthread *t, uint32_t *a) { return getdents(t, a, 0); }
long sys_getdents(Lthread *t, uint32_t *a) { return getdents(t, a, 1); }

/*
 * lseek of a directory: a rewind, or a position a listing gave back (an
 * entry's d_off counts the entries up to it; glibc's telldir keeps it
 * and seekdir seeks to it): the listing starts over and skips that many
 * entries, as Linux's ext4 takes back the positions it gave (before
 * session 26 anything but a rewind was EINVAL, and seekdir's next
 * readdir read on from wherever the listing was).  SEEK_CUR from the
 * listing's position; SEEK_END and a negative position EINVAL.  A
 * dup or a fork's copy sharing the listing (dsshare) moves with it,
 * the kernel's offset in the same step.
 */
int64_t
dirseek(Lthread *t, uint32_t fd, int64_t off, uint32_t whence)
{
	uint8_t junk[512];	/* room for an entry of the longest name */
	Dstate *ds;
	int64_t r, to;

	if(whence > 1)
		return -EINVAL;
	if((ds = dshold(t, fd)) == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&ds->lk);
	to = whence == 1 ? ds->off + off : off;
	if(to < 0)
		r = -EINVAL;
	else if(whence == 1 && off == 0)
		r = ds->off;	/* where the listing is */
	else if(kseek(fd, 0, 0) < 0)
		r = kerrno();
	else{
		dsreset(ds);
		while(ds->off < to && !ds->eof && dirents(fd, ds, junk, sizeof junk, sizeof junk, 0, to) > 0)
			;
		r = to;
	}
	pthread_mutex_unlock(&ds->lk);
	dsput(ds);
	return r;
}

/* Is fd the top of a #p whose procs are outside the sandbox (progfile)?
 * It lists nothing then. */
static int
progtop(int fd)
{
	unsigned long long qpath;
	int dc, qtype;

	return kif_fdkind(fd, &dc, &qtype, &qpath, NULL) == 0 && dc == 'p' && !kif_progboxed();
}

/* The length of an entry for a name of namelen bytes: getdents64's
 * linux_dirent64 (ino, off, reclen, type, name), 8-aligned, or
 * getdents' linux_dirent (32-bit ino and off, reclen, name, then its
 * type in the last byte), 4-aligned */
static uint32_t
dentlen(uint32_t namelen, int old)
{
	return old ? (10 + namelen + 2 + 3) & ~3u : (19 + namelen + 1 + 7) & ~7u;
}

/* The bytes of an entry that are written, as Linux's filldir64 and
 * compat_filldir: the fields and the name through its NUL; getdents'
 * type is its last byte.  The padding between is left as it was. */
static uint32_t
dentwritten(uint32_t reclen, uint32_t namelen, int old)
{
	return old ? reclen : 19 + namelen + 1;
}

static void
putdent(uint8_t *b, uint32_t reclen, uint64_t ino, int64_t off, int type, const char *name, uint32_t namelen, int old)
{
	if(old){
		put32(b, (uint32_t)ino);
		put32(b + 4, (uint32_t)off);
		put16(b + 8, reclen);
		memcpy(b + 10, name, namelen);
		b[10 + namelen] = 0;
		b[reclen - 1] = type;
		return;
	}
	put64(b, ino);
	put64(b + 8, off);
	put16(b + 16, reclen);
	b[18] = type;
	memcpy(b + 19, name, namelen);
	b[19 + namelen] = 0;
}

/* Whether an entry of reclen bytes, the first wrote of them written
 * (dentwritten), goes at buf[len]: 1, or 0 with *r what the call
 * returns, as Linux's filldir64: the bytes so far, else EINVAL for an
 * entry longer than the buffer (n), EFAULT for one whose written bytes
 * run past its writable part (room).  A getdents64 entry's padding
 * may lie past room: Linux counts it and never writes it. */
static int
dentfits(uint32_t len, uint32_t reclen, uint32_t wrote, uint32_t n, uint32_t room, long *r)
{
	if(len + reclen <= n && len + wrote <= room)
		return 1;
	*r = len ? (long)len : len + reclen > n ? -EINVAL : -EFAULT;
	return 0;
}

/*
 * A descriptor passed by SCM_RIGHTS has its own Dstate but shares the
 * kernel's Chan and its offset, as Linux's f_pos: a listing ended here
 * starts over when a rewind through another set that offset back to 0
 * (a directory's seeks to nothing else).  An empty
 * directory ends at 0 itself, so its rewind elsewhere is not seen.
 */
static void
dsrewound(uint32_t fd, Dstate *ds)
{
	if(ds->eofmid && kseek(fd, 0, KSEEKCUR) == 0)
		dsreset(ds);
}

/* A listing started over (a rewind), with ds->lk held. */
void
dsreset(Dstate *ds)
{
	free(ds->d);
	ds->d = NULL;
	ds->i = ds->n = 0;
	ds->nseen = ds->npool = 0;
	if(ds->seen != NULL)
		memset(ds->seen, 0, ds->cap * sizeof ds->seen[0]);
	ds->off = 0;
	ds->dots = 0;
	ds->eof = ds->eofmid = 0;
}

/* getdents64's (or getdents') entries from ds (fd's) into buf[0:n], of
 * which the first room bytes can be written; upto >= 0: none past the
 * upto'th of the listing (dirseek) */
static long
dirents(uint32_t fd, Dstate *ds, uint8_t *buf, uint32_t n, uint32_t room, int old, int64_t upto)
{
	uint32_t len, reclen, namelen;
	Dir *d;
	long r;

	len = 0;
	if(ds->eof)
		dsrewound(fd, ds);
	/* Linux lists . and .. first; Inferno's directories do not hold them */
	while(ds->dots < 2 && (upto < 0 || ds->off < upto)){
		namelen = ds->dots + 1;
		reclen = dentlen(namelen, old);
		if(!dentfits(len, reclen, dentwritten(reclen, namelen, old), n, room, &r))
			return r;
		addseen(ds, ds->dots ? ".." : ".", namelen);
		ds->off++;
		putdent(buf + len, reclen, ds->dots + 1, ds->off, DT_DIR, "..", namelen, old);
		len += reclen;
		ds->dots++;
	}
	for(;;){
		if(upto >= 0 && ds->off >= upto)
			break;
		if(ds->i >= ds->n){
			free(ds->d);
			ds->d = NULL;
			ds->i = ds->n = 0;
			/* at the end the listing stays ended until a rewind
			 * (dsreset, dsrewound), as Linux's getdents at end of directory:
			 * the kernel's offset counts entries, so an empty
			 * directory's never leaves 0, and asking again started
			 * its listing over (#U read it from the host again) */
			if(ds->eof)
				break;
			r = progtop(fd) ? 0 : kif_dirreadnames(fd, &ds->d);
			if(r < 0)
				return len ? (long)len : kerrno();
			if(r == 0){
				ds->eof = 1;
				ds->eofmid = kseek(fd, 0, KSEEKCUR) > 0;
				break;
			}
			ds->n = r;
		}
		d = &ds->d[ds->i];
		namelen = strlen(d->name);
		reclen = dentlen(namelen, old);
		if(!dentfits(len, reclen, dentwritten(reclen, namelen, old), n, room, &r))
			return r;
		ds->i++;
		if(!addseen(ds, d->name, namelen))
			continue;
		ds->off++;
		putdent(buf + len, reclen, lino(d), ds->off, dtype(d), d->name, namelen, old);
		len += reclen;
	}
	return len;
}

static long
domkdir(Lthread *t, char *path, uint32_t mode)
{
	int fd;

	/* OEXCL: a name that is there, in any union member, is EEXIST
	 * (the create's own walk finds it: no stat of the path first);
	 * the sticky bit as asked (Linux's mkdir keeps it); set-group-ID
	 * is the parent directory's to give */
	fd = kcreate(path, OREAD | OEXCL, DMDIR | (mode & 0777 & ~t->p->umask) | (dmspecial(mode) & DMSETVTX));
	if(fd < 0)
		return kerrno();
	kclose(fd);
	return 0;
}

long
sys_mkdir(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return domkdir(t, path, a[1]);
}

long
sys_mkdirat(Lthread *t, uint32_t *a)
{
	char *path;
	long r;
	int err;

	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = domkdir(t, path, a[2]);
	free(path);
	return r;
}

/*
 * mknod and mknodat: a FIFO is a named pipe made where the kernel's file
 * can be one (a #U tree's host FIFO node, which the kernel serves as a
 * pipe: libkern's devpipe fifoopen); a socket node likewise (what
 * bind of an AF_UNIX name leaves); a regular file is made empty, as
 * Linux does; a device node needs privilege the guest does not have
 * (EPERM, as for an unprivileged Linux user).
 */
static long
domknod(Lthread *t, char *path, uint32_t mode)
{
	uint32_t type, perm;
	Dir *d;
	long r;
	int fd;

	type = mode & 0170000;
	perm = mode & 0777 & ~t->p->umask;
	switch(type){
	case 0:
	case LS_IFREG:
	case LS_IFIFO:
	case LS_IFSOCK:
		break;
	case LS_IFCHR: case 0060000:
		return -EPERM;
	default:
		return -EINVAL;
	}
	d = gdirstat(path);
	if(d != NULL){
		free(d);
		return -EEXIST;
	}
	fd = kcreate(path, OREAD | OEXCL, perm | (type == LS_IFIFO ? DMNAMEDPIPE : type == LS_IFSOCK ? DMSOCKET : 0));
	if(fd < 0)
		return kerrno();
	/* a device without named pipes may have made a plain file: undo */
	r = 0;
	d = kdirfstat(fd);
	kclose(fd);
	if(d == NULL)
		return kerrno();
	if((type == LS_IFIFO && !(d->mode & DMNAMEDPIPE)) || (type == LS_IFSOCK && !(d->mode & DMSOCKET))){
		kremove(path);
		r = -EPERM;
	}
	free(d);
	return r;
}

long
sys_mknod(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return domknod(t, path, a[1]);
}

long
sys_mknodat(Lthread *t, uint32_t *a)
{
	char *path;
	long r;
	int err;

	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = domknod(t, path, a[2]);
	free(path);
	return r;
}

/* remove path; dir says what the caller expects it to be */
static long
doremove(char *path, int dir)
{
	Dir *d;
	Kifstat x;
	int isdir, islink, slash;
	size_t n;
	char c;

	/* "name/" is name itself (a link not followed) and must be a
	 * directory: unlink("f/") and rmdir("link/") are ENOTDIR */
	slash = dirpath(path);
	n = strlen(path);
	while(n > 1 && path[n - 1] == '/')
		n--;
	/* Linux's rmdir of "d/." is EINVAL and of "d/.." ENOTEMPTY: the
	 * walk would reach d (or its parent) and remove that */
	if(dir && n >= 1 && path[n - 1] == '.' && (n == 1 || path[n - 2] == '/'))
		return -EINVAL;
	if(dir && n >= 2 && path[n - 1] == '.' && path[n - 2] == '.' && (n == 2 || path[n - 3] == '/'))
		return -ENOTEMPTY;
	/* the root is in use (Linux: EBUSY for rmdir, EISDIR for unlink) */
	if(n == 1 && path[0] == '/')
		return dir ? -EBUSY : -EISDIR;
	c = path[n];
	path[n] = 0;
	d = kif_lstat(path, &x);
	path[n] = c;
	if(d == NULL)
		return kerrno();
	isdir = (d->mode & DMDIR) != 0;
	islink = (d->mode & DMSYMLINK) != 0;
	free(d);
	if((dir || slash) && (!isdir || islink))
		return -ENOTDIR;
	if(!dir && isdir)
		return -EISDIR;
	/* a link itself, even one that leads nowhere; #L's are kremove's */
	if(islink && kif_removelink(path) == 0)
		return 0;
	if(kremove(path) < 0)
		return kerrno();
	return 0;
}

long
sys_unlink(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return doremove(path, 0);
}

long
sys_rmdir(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return doremove(path, 1);
}

long
sys_unlinkat(Lthread *t, uint32_t *a)
{
	char *path;
	long r;
	int err;

	if(a[2] & ~(uint32_t)LAT_REMOVEDIR)
		return -EINVAL;
	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = doremove(path, (a[2] & LAT_REMOVEDIR) != 0);
	free(path);
	return r;
}

/* The directory part and last element of a path. */
static void
splitpath(const char *path, char *dir, int ndir, const char **last)
{
	const char *s;

	s = strrchr(path, '/');
	if(s == NULL){
		snprintf(dir, ndir, ".");
		*last = path;
	}else{
		snprintf(dir, ndir, "%.*s", s == path ? 1 : (int)(s - path), path);
		*last = s + 1;
	}
}

/* A symbolic link renamed within its directory: moved by the device
 * where it leads somewhere (the walk to it follows it), else made anew
 * at to, which Linux's rename would replace (td: what is there), and
 * removed at from, not in one step.  EXDEV where the device has no
 * links (#L's). */
static long
movelink(char *from, char *to, Dir *td)
{
	char buf[MAXPATH + 1];
	long n;

	if(kif_move(from, to) == 0)
		return 0;
	if(kerrno() != -ENOENT)
		return kerrno();
	n = kif_readlink(from, buf, MAXPATH);
	if(n < 0)
		return kerrno() == -EINVAL ? -EXDEV : kerrno();
	buf[n] = 0;
	if(td != NULL && (td->mode & DMDIR))
		return -EISDIR;
	if(td != NULL && ((td->mode & DMSYMLINK) ? kif_removelink(to) : kremove(to)) < 0)
		return kerrno();
	if(kif_symlink(buf, to) < 0 || kif_removelink(from) < 0)
		return kerrno();
	return 0;
}

/* Rename the last name of path to name, in its directory (a wstat of
 * the name, 9P's rename); -errno. */
static long
wstatname(char *path, const char *name)
{
	Dir nd;

	nulldir(&nd);
	nd.name = (char*)name;
	return kdirwstat(path, &nd) < 0 ? kerrno() : 0;
}

/*
 * rename's wstat onto an existing name in dir, which the server refused
 * (9P2000 servers do: Plan 9's, Inferno's, ours).  The target never
 * disappears when the rename fails: a file is first renamed aside (a
 * name of ours in the same directory) and put back if the rename then
 * fails, removed once it succeeded; a directory, which must be empty,
 * is removed and made again if the rename fails.  Not atomic: between
 * the steps the name is missing, as after Plan 9's mv.  doc/styx.md.
 */
static long
replacename(char *from, char *to, const char *dir, const char *tl, Dir *td)
{
	static atomic_uint seq;
	char aside[MAXPATH], asidename[64];
	long r, e;
	int fd;

	if(td->mode & DMDIR){
		if(kremove(to) < 0)
			return kerrno() == -EEXIST ? -ENOTEMPTY : kerrno();
		if((r = wstatname(from, tl)) < 0 && (fd = kcreate(to, OREAD, DMDIR | (td->mode & 0777))) >= 0)
			kclose(fd);
		return r;
	}
	snprintf(asidename, sizeof asidename, ".vxrename.%d.%u", kif_pid(kif_cur()), atomic_fetch_add(&seq, 1));
	if(snprintf(aside, sizeof aside, "%s/%s", dir, asidename) >= (int)sizeof aside)
		return -ENAMETOOLONG;
	if((r = wstatname(to, asidename)) < 0)
		return r;
	if((r = wstatname(from, tl)) < 0){
		if((e = wstatname(aside, tl)) < 0)
			fprintf(stderr, "vxinferno: rename: %s is left at %s: %s\n", to, aside, strerror(-e));
		return r;
	}
	kremove(aside);
	return 0;
}

/* Is name `.` or `..`, or path all slashes (`/`)?  Linux's rename
 * takes neither as a name to move or replace. */
static int
nonamed(const char *path, const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || (path[0] != 0 && strspn(path, "/") == strlen(path));
}

/* The directory dir names: 0, or the -errno of its lookup, ENOTDIR for
 * a file. */
static long
isdirat(const char *dir)
{
	Dir *d;
	long r;

	d = kdirstat((char*)dir);
	if(d == NULL)
		return kerrno();
	r = (d->mode & DMDIR) ? 0 : -ENOTDIR;
	free(d);
	return r;
}

/* rename of a name something is bound or mounted on, or onto one: the
 * device's move or wstat would reach the mounted tree's root (or a
 * union's first member), never the name.  Linux's EBUSY, after its
 * EISDIR and ENOTDIR for a file and a directory.  f and t: lstats of
 * from and to (t NULL where to is not there). */
static long
mountbusy(char *from, char *to, Dir *f, Dir *t)
{
	if(t != NULL && ((t->mode & DMDIR) != 0) != ((f->mode & DMDIR) != 0))
		return (t->mode & DMDIR) ? -EISDIR : -ENOTDIR;
	if((!(f->mode & DMSYMLINK) && kif_mounted(from, f) == 1) || (t != NULL && !(t->mode & DMSYMLINK) && kif_mounted(to, t) == 1))
		return -EBUSY;
	return 0;
}

/* rename to another directory: the device's move (kif_move), or a
 * symbolic link's (movelink).  a and td: lstats of from and to. */
static long
moveto(char *from, char *to, Dir *a, Dir *td)
{
	long r;

	r = kif_move(from, to) < 0 ? kerrno() : 0;
	if(r == -ENOENT && (a->mode & DMSYMLINK))
		r = movelink(from, to, td);
	return r;
}

/* rename within one directory (to's, tdir; its last name tl).  a and
 * td: lstats of from and to. */
static long
renamein(char *from, char *to, char *tdir, const char *tl, Dir *a, Dir *td)
{
	long r;

	if(a->mode & DMSYMLINK){
		r = movelink(from, to, td);
		if(r != -EXDEV)
			return r;
	}
	/* the device's move replaces a target of its own in one step; one
	 * that another member of a union holds is not its to replace */
	if(td == NULL || (td->type == a->type && td->dev == a->dev)){
		r = kif_move(from, to) < 0 ? kerrno() : 0;
		if(r != -EXDEV)
			return r;
	}
	/* Linux replaces an existing target (a directory only with a
	 * directory, mountbusy said, and only an empty one) */
	if((r = wstatname(from, tl)) == -EEXIST && td != NULL)
		r = replacename(from, to, tdir, tl, td);
	return r;
}

/* Drop path's trailing slashes (a path of slashes alone keeps one):
 * 1 where it had any. */
static int
unslash(char *path)
{
	size_t n;
	int had;

	had = 0;
	for(n = strlen(path); n > 1 && path[n - 1] == '/'; n--){
		path[n - 1] = 0;
		had = 1;
	}
	return had;
}

/* rename is a move where the kernel's device has one (kif_move: within
 * one #U tree, the host's rename, which replaces an existing target in
 * one step), also within one directory.  Elsewhere within a directory
 * it is a wstat of the name, which replaces an existing target in one
 * step where the server does (a 9P server over a Linux file system may);
 * where it refuses, replacename.  Across directories without a move,
 * EXDEV, and mv copies. */
static long
dorename(char *from, char *to)
{
	char fdir[MAXPATH], tdir[MAXPATH];
	const char *fl, *tl;
	Dir *a, *b, *td;
	Kifstat x;
	long r;
	int samedir, slashed;

	/* a trailing slash on either name wants a directory to move
	 * (Linux's rename("d/", "e/"); ENOTDIR for a file) */
	slashed = unslash(from) | unslash(to);
	splitpath(from, fdir, sizeof fdir, &fl);
	splitpath(to, tdir, sizeof tdir, &tl);
	if(nonamed(from, fl) || nonamed(to, tl)){
		/* Linux's EBUSY, once both directories are there */
		if((r = isdirat(fdir)) == 0 && (r = isdirat(tdir)) == 0)
			r = -EBUSY;
		return r;
	}
	if(*tl == 0 || *fl == 0)
		return -EINVAL;
	a = kdirstat(fdir);
	b = kdirstat(tdir);
	if(a == NULL || b == NULL){
		free(a);
		free(b);
		return -ENOENT;
	}
	samedir = a->type == b->type && a->dev == b->dev && a->qid.path == b->qid.path;
	free(a);
	free(b);
	a = kif_lstat(from, &x);
	if(a == NULL)
		return kerrno();
	if(slashed && !(a->mode & DMDIR)){
		free(a);
		return -ENOTDIR;	/* a link's too: rename follows none */
	}
	if(samedir && strcmp(fl, tl) == 0){
		free(a);
		return 0;
	}
	td = kif_lstat(to, &x);
	if((r = mountbusy(from, to, a, td)) == 0)
		r = samedir ? renamein(from, to, tdir, tl, a, td) : moveto(from, to, a, td);
	free(a);
	free(td);
	return r;
}

long
sys_rename(Lthread *t, uint32_t *a)
{
	char *from, *to;
	long r;
	int err;

	from = gpath(t, a[0], &err);
	if(from == NULL)
		return -err;
	from = strdup(from);
	to = gpath(t, a[1], &err);
	if(from == NULL || to == NULL){
		free(from);
		return from == NULL ? -ENOMEM : -err;
	}
	r = dorename(from, to);
	free(from);
	return r;
}

/* A call on two paths, each relative to its own dirfd (rename, link):
 * fn(from, to), or the error of either path. */
static long
twopaths(Lthread *t, uint32_t fd1, uint32_t p1, uint32_t fd2, uint32_t p2, long (*fn)(char*, char*))
{
	char *from, *to;
	long r;
	int err;

	from = atpath(t, fd1, p1, &err);
	if(from == NULL)
		return -err;
	to = atpath(t, fd2, p2, &err);
	if(to == NULL){
		free(from);
		return -err;
	}
	r = fn(from, to);
	free(from);
	free(to);
	return r;
}

static long
renameatcall(Lthread *t, uint32_t fd1, uint32_t p1, uint32_t fd2, uint32_t p2)
{
	return twopaths(t, fd1, p1, fd2, p2, dorename);
}

long sys_renameat(Lthread *t, uint32_t *a) { return renameatcall(t, a[0], a[1], a[2], a[3]); }

long
sys_renameat2(Lthread *t, uint32_t *a)
{
	if(a[4] != 0)
		return -EINVAL;
	return renameatcall(t, a[0], a[1], a[2], a[3]);
}

/* The directory the guest's path at addr names, in *path: 0, or the
 * -errno of its lookup, ENOTDIR for a file (chdir, chroot) */
static long
dirnamed(Lthread *t, uint32_t addr, char **path)
{
	Dir *d;
	int err;

	*path = gpath(t, addr, &err);
	if(*path == NULL)
		return -err;
	d = gdirstat(*path);
	if(d == NULL)
		return kerrno();
	err = (d->mode & DMDIR) ? 0 : ENOTDIR;
	free(d);
	return -err;
}

long
sys_chdir(Lthread *t, uint32_t *a)
{
	char *path;
	long r;

	if((r = dirnamed(t, a[0], &path)) < 0)
		return r;
	if(kchdir(path) < 0)
		return kerrno();
	return 0;
}

/* chroot(path): the name is looked at as chdir looks (ENOENT, ENOTDIR
 * …), then refused as Linux refuses a process without CAP_SYS_CHROOT:
 * a guest's root is its namespace's, which vx_bind changes */
long
sys_chroot(Lthread *t, uint32_t *a)
{
	char *path;
	long r;

	if((r = dirnamed(t, a[0], &path)) < 0)
		return r;
	return -EPERM;
}

long
sys_fchdir(Lthread *t, uint32_t *a)
{
	char *path;
	int r;

	if(!fdcheck(t->p, a[0]))
		return -EBADF;
	if(!t->p->fd[a[0]].isdir)
		return -ENOTDIR;
	path = kfd2path(a[0]);
	if(path == NULL)
		return kerrno();
	r = kchdir(path);
	free(path);
	return r < 0 ? kerrno() : 0;
}

long
sys_getcwd(Lthread *t, uint32_t *a)
{
	char *path;
	uint8_t *g;
	size_t n;
	int fd;

	fd = kopen(".", OREAD);
	if(fd < 0)
		return kerrno();
	path = kfd2path(fd);
	kclose(fd);
	if(path == NULL)
		return kerrno();
	n = strlen(path) + 1;
	if(n > a[1]){
		free(path);
		return -ERANGE;
	}
	g = gmem(t, a[0], n, VX_PROT_WRITE);
	if(g == NULL){
		free(path);
		return -EFAULT;
	}
	memcpy(g, path, n);
	free(path);
	return n;
}

/* Did the last k* call fail because a device that has links (#U)
 * found the name and it is no link?  Then no other device need be
 * asked (libkern's Enotlink; emu's kernel never says it). */
static int
notlink(void)
{
	char e[ERRMAX];

	e[0] = 0;
	kgerrstr(e, sizeof e);
	return strcmp(e, "not a symbolic link") == 0;
}

/* readlink: a symbolic link of a #U tree, or one of /proc's (self,
 * <pid>/exe, <pid>/fd/N), served by #L (procfs.c); anything else is
 * EINVAL. */
static long
doreadlink(Lthread *t, const char *path, uint32_t buf, uint32_t n)
{
	uint8_t *g;
	size_t len;
	char *s;
	long k;
	int err;

	if((int32_t)n <= 0)
		return -EINVAL;
	s = malloc(MAXPATH + 1);
	if(s == NULL)
		return -ENOMEM;
	k = kif_readlink((char*)path, s, MAXPATH);
	if(k >= 0)
		s[k] = 0;
	else{
		err = kerrno();
		free(s);
		if(err != -EINVAL || notlink())
			return err;
		s = linktarget(path, &err);
		if(s == NULL)
			return -err;
	}
	len = strlen(s);
	if(len > n)
		len = n;
	g = gmem(t, buf, len, VX_PROT_WRITE);
	if(g == NULL){
		free(s);
		return -EFAULT;
	}
	memcpy(g, s, len);
	free(s);
	return len;
}

long
sys_readlink(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return doreadlink(t, path, a[1], a[2]);
}

long
sys_readlinkat(Lthread *t, uint32_t *a)
{
	char *path, *s;
	long r;
	int err;

	/* an empty path: the link an O_PATH|O_NOFOLLOW fd names */
	s = gstr(t, a[1]);
	if(s != NULL && s[0] == 0 && (path = fdlink(t->p, a[0])) != NULL){
		r = doreadlink(t, path, a[2], a[3]);
		free(path);
		return r;
	}
	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = doreadlink(t, path, a[2], a[3]);
	free(path);
	return r;
}

/* access: the file exists, and the owner bits allow what is asked
 * (the guest acts as the files' owner). */
static long
doaccess(char *path, uint32_t mode)
{
	Dir *d;
	long r;

	if(mode & ~7u)
		return -EINVAL;
	d = gdirstat(path);
	if(d == NULL)
		return kerrno();
	r = 0;
	if((mode & 1) && !(d->mode & 0111))
		r = -EACCES;
	if((mode & 4) && !(d->mode & 0444))
		r = -EACCES;
	free(d);
	return r;
}

long
sys_access(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return doaccess(path, a[1]);
}

long
sys_faccessat(Lthread *t, uint32_t *a)
{
	char *path;
	long r;
	int err;

	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = doaccess(path, a[2]);
	free(path);
	return r;
}

/* wstat one field of path (or of fd when path is NULL). */
static long
wstatpath(char *path, int fd, Dir *nd)
{
	int r;

	r = path != NULL ? kdirwstat(path, nd) : kdirfwstat(fd, nd);
	return r < 0 ? kerrno() : 0;
}

static long
chmodpath(char *path, int fd, uint32_t mode)
{
	Dir *d, nd;
	long r;

	d = path != NULL ? kdirstat(path) : kdirfstat(fd);
	if(d == NULL)
		return kerrno();
	nulldir(&nd);
	nd.mode = (d->mode & ~(0777ul | DMSPECIAL)) | (mode & 0777) | dmspecial(mode);
	free(d);
	r = wstatpath(path, fd, &nd);
	return r;
}

long
sys_chmod(Lthread *t, uint32_t *a)
{
	char *path;
	int err;

	path = gpath(t, a[0], &err);
	if(path == NULL)
		return -err;
	return chmodpath(path, -1, a[1]);
}

long
sys_fchmod(Lthread *t, uint32_t *a)
{
	if(!fdopened(t->p, a[0]))
		return -EBADF;	/* an O_PATH fd's too, as Linux's */
	return chmodpath(NULL, a[0], a[1]);
}

long
sys_fchmodat(Lthread *t, uint32_t *a)
{
	char *path;
	long r;
	int err;

	path = atpath(t, a[0], a[1], &err);
	if(path == NULL)
		return -err;
	r = chmodpath(path, -1, a[2]);
	free(path);
	return r;
}

/* truncate(path, len) and truncate64(path, lo, hi): the 32-bit form
 * passes only len, and edx is then whatever it holds: ignore it. */
static long
truncatepath(Lthread *t, uint32_t addr, int64_t len)
{
	char *path;
	Dir nd;
	long r;
	int err;

	path = gpath(t, addr, &err);
	if(path == NULL)
		return -err;
	if(len < 0)
		return -EINVAL;
	if((r = fsizegrow(t, path, -1, len)) < 0)
		return r;
	nulldir(&nd);
	nd.length = len;
	return wstatpath(path, -1, &nd);
}

long
sys_truncate(Lthread *t, uint32_t *a)
{
	return truncatepath(t, a[0], (int32_t)a[1]);
}

long
sys_truncate64(Lthread *t, uint32_t *a)
{
	return truncatepath(t, a[0], arg64(a[1], a[2]));
}

static long
truncatefd(Lthread *t, uint32_t fd, int64_t len)
{
	Dir nd;
	long r;

	if(!fdcheck(t->p, fd))
		return -EBADF;
	if(len < 0)
		return -EINVAL;
	if((r = fsizegrow(t, NULL, fd, len)) < 0)
		return r;
	nulldir(&nd);
	nd.length = len;
	return wstatpath(NULL, fd, &nd);
}

long
sys_ftruncate(Lthread *t, uint32_t *a)
{
	return truncatefd(t, a[0], (int32_t)a[1]);
}

long
sys_ftruncate64(Lthread *t, uint32_t *a)
{
	return truncatefd(t, a[0], arg64(a[1], a[2]));
}

/*
 * The times of utimensat, utimes and utime.  A time is seconds and
 * nanoseconds, or Omit (leave it) or Now.  Where the kernel's file
 * can (#U) both are set with their nanoseconds, as Linux does; a 9P
 * file takes the mtime in seconds.
 */
enum { Omit = -1, Now = -2 };

typedef struct Ltime {
	int64_t sec;
	long nsec;		/* or Omit, Now */
} Ltime;

static void
whentime(Ltime *lt, uint32_t *dsec, unsigned long *dns)
{
	struct timespec now;

	if(lt->nsec == Omit)
		return;
	if(lt->nsec == Now){
		clock_gettime(CLOCK_REALTIME, &now);
		lt->sec = now.tv_sec;
		lt->nsec = now.tv_nsec;
	}
	*dsec = lt->sec;
	*dns = lt->nsec;
}

/* Set the times of dirfd's path, or of the fd itself when path is 0
 * (utimensat's futimens form); with nofollow, of a symbolic link
 * itself. */
static long
settimes(Lthread *t, uint32_t dirfd, uint32_t path, Ltime *at, Ltime *mt, int nofollow)
{
	uint32_t asec, msec;
	Kifstat x;
	char *s;
	long r;
	Dir nd;
	int err;

	nulldir(&nd);
	memset(&x, 0, sizeof x);
	asec = msec = ~0u;
	whentime(at, &asec, &x.atimens);
	whentime(mt, &msec, &x.mtimens);
	nd.atime = asec;
	nd.mtime = msec;
	if(path == 0){
		if(!fdcheck(t->p, dirfd))
			return -EBADF;
		return kif_dirwstat(NULL, dirfd, &nd, &x) < 0 ? kerrno() : 0;
	}
	s = atpath(t, dirfd, path, &err);
	if(s == NULL)
		return -err;
	if(nofollow && kif_linktimes(s, &nd, &x) == 0)
		r = 0;
	else if(nofollow && kerrno() != -EINVAL)
		r = kerrno();
	else
		r = kif_dirwstat(s, -1, &nd, &x) < 0 ? kerrno() : 0;
	free(s);
	return r;
}

/* One timespec of utimensat; 0 or -EINVAL. */
static long
gettimespec(uint8_t *ts, int wide, Ltime *lt)
{
	int64_t nsec;

	lt->sec = wide ? (int64_t)get64(ts) : (int32_t)get32(ts);
	nsec = wide ? (int64_t)get64(ts + 8) : (int32_t)get32(ts + 4);
	if(nsec == LUTIME_OMIT)
		lt->nsec = Omit;
	else if(nsec == LUTIME_NOW)
		lt->nsec = Now;
	else if(nsec < 0 || nsec > 999999999)
		return -EINVAL;
	else
		lt->nsec = nsec;
	return 0;
}

/* utimensat(dirfd, path, times, flags); wide: 64-bit timespecs */
static long
utimensat(Lthread *t, uint32_t *a, int wide)
{
	Ltime at = { 0, Now }, mt = { 0, Now };
	uint8_t *ts;
	int w;

	if(a[2] != 0){
		w = wide ? 16 : 8;
		ts = gmem(t, a[2], 2 * w, VX_PROT_READ);
		if(ts == NULL)
			return -EFAULT;
		if(gettimespec(ts, wide, &at) < 0 || gettimespec(ts + w, wide, &mt) < 0)
			return -EINVAL;
		if(at.nsec == Omit && mt.nsec == Omit)
			return 0;
	}
	return settimes(t, a[0], a[1], &at, &mt, (a[3] & LAT_SYMLINK_NOFOLLOW) != 0);
}

long
sys_utimensat(Lthread *t, uint32_t *a)
{
	return utimensat(t, a, 0);
}

long
sys_utimensat64(Lthread *t, uint32_t *a)
{
	return utimensat(t, a, 1);
}

/* utimes(path, times[2]): struct timeval {sec, usec}; NULL times: now. */
long
sys_utimes(Lthread *t, uint32_t *a)
{
	Ltime at = { 0, Now }, mt = { 0, Now };
	uint8_t *tv;
	int64_t usec[2];

	if(a[0] == 0)
		return -EFAULT;
	if(a[1] != 0){
		tv = gmem(t, a[1], 16, VX_PROT_READ);
		if(tv == NULL)
			return -EFAULT;
		at.sec = (int32_t)get32(tv);
		usec[0] = (int32_t)get32(tv + 4);
		mt.sec = (int32_t)get32(tv + 8);
		usec[1] = (int32_t)get32(tv + 12);
		if(usec[0] < 0 || usec[0] > 999999 || usec[1] < 0 || usec[1] > 999999)
			return -EINVAL;
		at.nsec = usec[0] * 1000;
		mt.nsec = usec[1] * 1000;
	}
	return settimes(t, LAT_FDCWD, a[0], &at, &mt, 0);
}

/* utime(path, buf): struct utimbuf {actime, modtime}; NULL buf: now. */
long
sys_utime(Lthread *t, uint32_t *a)
{
	Ltime at = { 0, Now }, mt = { 0, Now };
	uint8_t *ub;

	if(a[0] == 0)
		return -EFAULT;
	if(a[1] != 0){
		ub = gmem(t, a[1], 8, VX_PROT_READ);
		if(ub == NULL)
			return -EFAULT;
		at.sec = (int32_t)get32(ub);
		at.nsec = 0;
		mt.sec = (int32_t)get32(ub + 4);
		mt.nsec = 0;
	}
	return settimes(t, LAT_FDCWD, a[0], &at, &mt, 0);
}

/*
 * chown, lchown, fchown, fchownat (and the 16-bit calls).  Ownership is
 * not the guest's to change (every file's ids are the host process's),
 * so a change is accepted and nothing changes, and a program that
 * restores owners as root (tar, rsync -a, dpkg) goes on; but the file
 * must be there (ENOENT, ENOTDIR, EBADF), as Linux checks first.
 */
static long
chownat(Lthread *t, uint32_t dirfd, uint32_t path, uint32_t flags)
{
	Kifstat x;
	Dir *d;
	long err;

	if(flags & ~(LAT_SYMLINK_NOFOLLOW | LAT_EMPTY_PATH))
		return -EINVAL;
	d = statat(t, dirfd, path, flags, &x, 0, &err);
	if(d == NULL)
		return err;
	free(d);
	return 0;
}

long sys_chown(Lthread *t, uint32_t *a) { return chownat(t, LAT_FDCWD, a[0], 0); }
long sys_lchown(Lthread *t, uint32_t *a) { return chownat(t, LAT_FDCWD, a[0], LAT_SYMLINK_NOFOLLOW); }
long sys_fchownat(Lthread *t, uint32_t *a) { return chownat(t, a[0], a[1], a[4]); }

long
sys_fchown(Lthread *t, uint32_t *a)
{
	return fdopened(t->p, a[0]) ? 0 : -EBADF;
}

long
sys_umask(Lthread *t, uint32_t *a)
{
	uint32_t old;

	old = t->p->umask;
	t->p->umask = a[0] & 0777;
	return old;
}

long
sys_fsync(Lthread *t, uint32_t *a)
{
	return fdcheck(t->p, a[0]) ? 0 : -EBADF;
}

/*
 * statfs.  The host's answer for a #U tree (kif_statfs), with ST_RDONLY
 * for a read-only one; for the kernel's other devices, which hold no
 * storage, what Linux says of a file system of the kind: no blocks or
 * inodes, 4096-byte blocks, names of 255 bytes, and a type by device
 * (proc for /proc, v9fs for a 9P mount, pipefs and sockfs for pipes and
 * sockets, ramfs for the rest).  The root device's files are the root
 * file system's, as for stat.  f_fsid is st_dev.
 */
enum {
	PROC_MAGIC = 0x9fa0, DEVPTS_MAGIC = 0x1cd1, V9FS_MAGIC = 0x01021997, PIPEFS_MAGIC = 0x50495045,
	SOCKFS_MAGIC = 0x534f434b, RAMFS_MAGIC = 0x858458f6,
	LST_VALID = 0x20, LST_NOSUID = 2, LST_NODEV = 4, LST_NOEXEC = 8, LST_RELATIME = 0x1000,
	STATFS64SIZE = 84, STATFSSIZE = 64,
};

static void
kernelfs(int dc, Kifstatfs *s)
{
	memset(s, 0, sizeof *s);
	s->bsize = s->frsize = 4096;
	s->namelen = 255;
	s->flags = LST_VALID | LST_RELATIME;
	switch(dc){
	case 'L':
		s->type = PROC_MAGIC;
		s->flags |= LST_NOSUID | LST_NODEV | LST_NOEXEC;
		break;
	case 'P':
		s->type = DEVPTS_MAGIC;
		s->flags |= LST_NOSUID | LST_NOEXEC;
		break;
	case 'M': case 'U':	/* 'U': a kernel that says nothing of the host's (emu) */
		s->type = V9FS_MAGIC;
		break;
	case '|':
		s->type = PIPEFS_MAGIC;
		break;
	case 'I': case SOCKTYPE:
		s->type = SOCKFS_MAGIC;
		break;
	default:
		s->type = RAMFS_MAGIC;
	}
}

/* The file system of path's file (fd's when path is NULL), and the
 * st_dev its files have; 0 or -errno. */
static long
statfsof(Lthread *t, char *path, int fd, Kifstatfs *s, uint64_t *dev)
{
	Rootfs rf;
	Kifstat k;
	Dir *d;

	d = path != NULL ? kif_dirstat(path, -1, &k) : fdstat(t, fd, &k, 0);
	if(d == NULL)
		return kerrno();
	if(rootdev(t, d, &rf))
		path = rf.path;
	*dev = ldev(d);
	if(kif_statfs(path, fd, s) < 0){
		free(d);
		return kerrno();
	}
	if(s->type == 0 || d->type == SOCKTYPE)
		kernelfs(d->type, s);
	free(d);
	return 0;
}

/* struct statfs64 (i386: 84 bytes, 4-byte aligned) */
static void
putstatfs64(uint8_t *b, Kifstatfs *s, uint64_t dev)
{
	memset(b, 0, STATFS64SIZE);
	put32(b, s->type);
	put32(b + 4, s->bsize);
	put64(b + 8, s->blocks);
	put64(b + 16, s->bfree);
	put64(b + 24, s->bavail);
	put64(b + 32, s->files);
	put64(b + 40, s->ffree);
	put32(b + 48, (uint32_t)dev);
	put32(b + 52, (uint32_t)(dev >> 32));
	put32(b + 56, s->namelen);
	put32(b + 60, s->frsize);
	put32(b + 64, s->flags);
}

/* struct statfs, every count in 32 bits: EOVERFLOW where one does not
 * fit, as Linux's (a file count of ~0 means "unknown" and passes) */
static long
putstatfs(uint8_t *b, Kifstatfs *s, uint64_t dev)
{
	if((s->blocks | s->bfree | s->bavail) >> 32
	|| (s->files != ~0ull && s->files >> 32) || (s->ffree != ~0ull && s->ffree >> 32))
		return -EOVERFLOW;
	memset(b, 0, STATFSSIZE);
	put32(b, s->type);
	put32(b + 4, s->bsize);
	put32(b + 8, s->blocks);
	put32(b + 12, s->bfree);
	put32(b + 16, s->bavail);
	put32(b + 20, s->files);
	put32(b + 24, s->ffree);
	put32(b + 28, (uint32_t)dev);
	put32(b + 32, (uint32_t)(dev >> 32));
	put32(b + 36, s->namelen);
	put32(b + 40, s->frsize);
	put32(b + 44, s->flags);
	return 0;
}

/* statfs, statfs64 (wide: its size word says 84) of path or of fd */
static long
statfscall(Lthread *t, uint32_t patha, int fd, uint32_t size, uint32_t buf, int wide)
{
	Kifstatfs s;
	uint64_t dev;
	uint8_t *b;
	char *path;
	long r;
	int err;

	if(wide && size != STATFS64SIZE)
		return -EINVAL;
	path = NULL;
	if(fd < 0){
		path = gpath(t, patha, &err);
		if(path == NULL)
			return -err;
	}else if(!fdcheck(t->p, fd))
		return -EBADF;
	b = gmem(t, buf, wide ? STATFS64SIZE : STATFSSIZE, VX_PROT_WRITE);
	if(b == NULL)
		return -EFAULT;
	r = statfsof(t, path, fd, &s, &dev);
	if(r < 0)
		return r;
	if(!wide)
		return putstatfs(b, &s, dev);
	putstatfs64(b, &s, dev);
	return 0;
}

long sys_statfs64(Lthread *t, uint32_t *a) { return statfscall(t, a[0], -1, a[1], a[2], 1); }
long sys_fstatfs64(Lthread *t, uint32_t *a) { return statfscall(t, 0, (int)a[0], a[1], a[2], 1); }
long sys_statfs(Lthread *t, uint32_t *a) { return statfscall(t, a[0], -1, 0, a[1], 0); }
long sys_fstatfs(Lthread *t, uint32_t *a) { return statfscall(t, 0, (int)a[0], 0, a[1], 0); }

/* Inferno has neither hard nor symbolic links. */
/* link and linkat: where the kernel's files have hard links (#U); the
 * file is linked as it is (a symbolic link itself, as link(2) does) */
static long
dolink(char *from, char *to)
{
	return kif_link(from, to) < 0 ? kerrno() : 0;
}

static long
linkatcall(Lthread *t, uint32_t fd1, uint32_t p1, uint32_t fd2, uint32_t p2, uint32_t flags)
{
	if(flags & ~(uint32_t)LAT_SYMLINK_FOLLOW)
		return -EINVAL;
	return twopaths(t, fd1, p1, fd2, p2, dolink);
}

long sys_link(Lthread *t, uint32_t *a) { return linkatcall(t, LAT_FDCWD, a[0], LAT_FDCWD, a[1], 0); }
long sys_linkat(Lthread *t, uint32_t *a) { return linkatcall(t, a[0], a[1], a[2], a[3], a[4]); }

/* symlink, symlinkat: a symbolic link where the directory's device
 * makes them (#U: a host symlink, resolved in its tree as in a chroot
 * at the tree's top); elsewhere EPERM, symlink(2)'s "the file system
 * does not support symbolic links". */
static long
dosymlink(Lthread *t, uint32_t target, uint32_t dirfd, uint32_t addr)
{
	char *tg, *path;
	long r;
	int err;

	tg = gpath(t, target, &err);
	if(tg == NULL)
		return -err;
	path = atpath(t, dirfd, addr, &err);
	if(path == NULL)
		return -err;
	r = kif_symlink(tg, path) < 0 ? kerrno() : 0;
	free(path);
	return r;
}

long sys_symlink(Lthread *t, uint32_t *a) { return dosymlink(t, a[0], LAT_FDCWD, a[1]); }
long sys_symlinkat(Lthread *t, uint32_t *a) { return dosymlink(t, a[0], a[1], a[2]); }

/*
 * Extended attributes.  The kernel keeps none, so a file has none, as
 * on a Linux file system with xattrs and nothing set: its list is
 * empty, a get or a remove ENODATA, and a set EOPNOTSUPP (none could be
 * kept); each after the file is found (ENOENT, EBADF) and the name read
 * (EFAULT; ERANGE empty or past 255 bytes), as Linux's.  Until session
 * 20 every call was EOPNOTSUPP: tar --xattrs warned "Cannot flistxattr:
 * Operation not supported" at each file it archived.
 */
enum { Xfollow, Xnofollow, Xfd };

static long
xattrfile(Lthread *t, uint32_t who, int how)
{
	Kifstat k;
	long err;
	Dir *d;

	if(how == Xfd)
		return fdcheck(t->p, who) ? 0 : -EBADF;
	d = statat(t, LAT_FDCWD, who, how == Xnofollow ? LAT_SYMLINK_NOFOLLOW : 0, &k, 0, &err);
	if(d == NULL)
		return err;
	free(d);
	return 0;
}

static long
xattrname(Lthread *t, uint32_t addr)
{
	char buf[256];
	long n;

	n = gstrcpy(t, addr, buf, sizeof buf);
	if(n == -EFAULT)
		return n;
	return n <= 0 ? -ERANGE : 0;
}

/* get (a: who, name, value, size), set (who, name, value, size, flags),
 * list (who, list, size), remove (who, name) */
static long
xattrcall(Lthread *t, uint32_t *a, int how, int op)
{
	long r;

	if((r = xattrfile(t, a[0], how)) < 0)
		return r;
	if(op == 'l')
		return 0;
	if(op == 's' && (a[4] & ~3u))
		return -EINVAL;	/* XATTR_CREATE, XATTR_REPLACE */
	if((r = xattrname(t, a[1])) < 0)
		return r;
	return op == 's' ? -EOPNOTSUPP : -ENODATA;
}

long sys_getxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfollow, 'g'); }
long sys_lgetxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xnofollow, 'g'); }
long sys_fgetxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfd, 'g'); }
long sys_setxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfollow, 's'); }
long sys_lsetxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xnofollow, 's'); }
long sys_fsetxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfd, 's'); }
long sys_listxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfollow, 'l'); }
long sys_llistxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xnofollow, 'l'); }
long sys_flistxattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfd, 'l'); }
long sys_removexattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfollow, 'r'); }
long sys_lremovexattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xnofollow, 'r'); }
long sys_fremovexattr(Lthread *t, uint32_t *a) { return xattrcall(t, a, Xfd, 'r'); }
