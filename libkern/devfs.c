/*
 * devfs.c — #U, the host directory given to kinit, and nothing outside it;
 * '#Uname' is another host directory the embedder added with kfsdir, with
 * its own read-only flag, confined the same way.
 *
 * A Chan remembers its file as a path relative to that directory ("" for
 * the directory itself), built lexically: `..` drops the last element and
 * stops at the top.  Every host lookup resolves that path with openat2(2)
 * from an O_PATH descriptor of the top, with RESOLVE_IN_ROOT (the top is
 * the root: an absolute symlink starts from it and `..` stops at it, as
 * in a chroot there, so a Debian root's /usr/lib/ssl/openssl.cnf ->
 * /etc/ssl/openssl.cnf finds its target) and RESOLVE_NO_MAGICLINKS (no
 * /proc/self/fd style jumps).  So a symlink, a symlink chain, or a
 * directory renamed away while a Chan refers into it can never reach a
 * host file outside: the worst a race gives is "file does not exist".
 * A symlink is resolved in the tree, not through the namespace: an
 * absolute one names a path below the top however the tree is bound.
 * A directory below the top that a namespace was given alone (a bind of
 * '#U/d/a': a grant, fsgrant) is resolved from instead, with
 * RESOLVE_BENEATH (or RESOLVE_IN_ROOT, bound at /), so nothing walked
 * from it leads out of it.
 * With Kconf.readonly (or a read-only kfsdir) every change is refused.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

/* A directory entry as the host listed it. */
typedef struct Fsent {
	uvlong key;		/* the name's first 8 bytes, big-endian: most comparisons of a sort */
	ino_t ino;
	uint at;		/* the name's offset in the Fsfile's pool */
	ushort len;		/* its length */
	uchar dtype;		/* readdir's d_type */
} Fsent;

/*
 * A memfd's host memory and its charge, one for every open of it (the
 * first, kmemfd's, and each open of /proc/self/fd/N): charged to the
 * sandbox that made it until its last open is closed.  A charge per
 * open let a guest write a memfd through a second open, close that and
 * keep the pages uncharged.
 */
typedef struct Anonmem Anonmem;
struct Anonmem {
	int ref;		/* opens (anonlk) */
	int fd;			/* the first open's host descriptor, kept to the last */
	Boxacct *acct;		/* charged (a reference), or NULL */
	vlong held;		/* bytes charged (anoncharge) */
	vlong maplo, maphi;	/* the hull of the ranges ever mapped shared (fsmemmapped) */
};

/*
 * What a sandbox was granted of an instance: the directory a bind (or a
 * mount's union member, or a namespace's root) names, when that is below
 * the instance's top.  A Chan walked from it keeps it, and every host
 * resolution of such a Chan's path is made from the grant's own O_PATH
 * descriptor with the path below it, so no symbolic link, no `..` in
 * one, no absolute target, no link swapped in by a race reaches past it
 * (openat2's RESOLVE_BENEATH: EXDEV, "permission denied").  Bound at /
 * (the namespace's root) it is a root: RESOLVE_IN_ROOT there, an
 * absolute link starts at it.  A grant of the top itself is topgrant,
 * which resolves as an instance always did (from the top, its root).
 */
typedef struct Fsjail {
	atomic_int ref;
	int fd;			/* O_PATH descriptor of the directory granted */
	char *top;		/* its path below the instance's top, at the grant */
	size_t ntop;		/* strlen(top); 0: topgrant, resolved from ROOTFD */
	int inroot;		/* bound at /: RESOLVE_IN_ROOT, else RESOLVE_BENEATH */
	Boxacct *acct;		/* the sandbox fd is charged to (boxfd.c), or NULL */
} Fsjail;

static Fsjail topgrant = { 1, -1, "", 0, 1, NULL };

typedef struct Fsfile {
	/* Its path below the top ("" is the top).  A rename (setrel)
	 * replaces it while other requests on the same Chan may run (a
	 * stat through the export, another thread's fstat): read it only
	 * through relget, a copy made under rellk. */
	char *rel;
	pthread_mutex_t rellk;
	int fd;			/* open descriptor, or -1 */
	Boxacct *acct;		/* the sandbox fd is charged to (boxfd.c), or NULL */
	int dirread;		/* a directory fd read: rewind before reading again */
	int loaded;		/* names holds the listing */
	Fsent *names;		/* directory reads: the entries, sorted */
	char *pool;		/* their names, one after another */
	ulong npool, maxpool;
	int nnames;
	int inames;		/* next to return */
	Dir d;			/* the entry being returned */
	char uid[KNAMELEN], gid[KNAMELEN];
	struct stat wst;	/* the stat its walk found */
	int haswst;
	int linkfd;		/* O_PATH descriptor its walk kept for a link op (Wlinkdir), or -1 */
	int rmfd;		/* its directory's, kept for its remove (Wremove), or -1 */
	struct stat rmst;	/* that directory's stat */
	dev_t ddev;		/* the open directory's host identity */
	ino_t dino;
	Anonmem *anon;		/* a host memfd (kmemfd): no name in any tree */
	/* What its sandbox was granted (fsgrant): rel is below jail->top,
	 * and is resolved below it.  NULL: a Chan of an attach (the
	 * embedder's, or a sandbox's of a top its namespace holds), never
	 * bound, resolved from the top.  Fixed for the Fsfile's life: a
	 * rename or link to another grant is refused (EXDEV). */
	Fsjail *jail;
} Fsfile;

/*
 * The host directories served: instance 0 is Kconf.root ('#U'), the
 * others were added by kfsdir ('#Uname').  A Chan's dev is its instance.
 * Entries are filled before ninst counts them and never change after,
 * so lookups need no lock.
 */
enum { Ninst = 64 };

typedef struct Fsinst {
	char name[KNAMELEN];
	int rootfd;		/* O_PATH descriptor of the top */
	int readonly;
	int kernelfs;		/* the top is on a host kernel interface (kernelfs) */
} Fsinst;

static Fsinst insts[Ninst] = { [0] = { "", -1, 0, 0 } };
static atomic_int ninst = 1;
static pthread_mutex_t instlk = PTHREAD_MUTEX_INITIALIZER;

#define ROOTFD(c)	(insts[(c)->dev].rootfd)
#define JAIL(c)		(((Fsfile*)(c)->aux)->jail)

static Fsjail *
jailget(Fsjail *j)
{
	if(j != NULL && j->ntop > 0)
		atomic_fetch_add(&j->ref, 1);
	return j;
}

static void
jailput(Fsjail *j)
{
	if(j == NULL || j->ntop == 0 || atomic_fetch_sub(&j->ref, 1) != 1)
		return;
	close(j->fd);
	fdgiveback(j->acct);
	free(j->top);
	free(j);
}

/* The descriptor c's paths are resolved from: its grant's, or the top's. */
static int
jailfd(Chan *c)
{
	Fsjail *j = JAIL(c);
	return j != NULL && j->ntop > 0 ? j->fd : ROOTFD(c);
}

/* rel, a path below the instance's top, as one below j's directory
 * ("" for that directory); NULL when rel is not below it. */
static const char *
jailrel(Fsjail *j, const char *rel)
{
	if(j == NULL || j->ntop == 0)
		return rel;
	if(strncmp(rel, j->top, j->ntop) != 0)
		return NULL;
	if(rel[j->ntop] == 0)
		return "";
	return rel[j->ntop] == '/' ? rel + j->ntop + 1 : NULL;
}

/* Is rel the top c resolves from (its grant's directory, or the top)? */
static int
jailtop(Chan *c, const char *rel)
{
	const char *r = jailrel(JAIL(c), rel);
	return r != NULL && r[0] == 0;
}

/* openat2's rule for c's paths below jailfd. */
static uvlong
jailhow(Chan *c)
{
	Fsjail *j = JAIL(c);
	if(j != NULL && j->ntop > 0 && !j->inroot)
		return RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	return RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
}

/* Do a and b resolve below one directory (a rename or link between
 * them keeps a path below its grant)? */
static int
samegrant(Chan *a, Chan *b)
{
	Fsjail *x = JAIL(a), *y = JAIL(b);
	return strcmp(x != NULL ? x->top : "", y != NULL ? y->top : "") == 0;
}

/* Host calls made to look names up and stat them, for the tests that
 * hold a walk to its cost (fshostcalls). */
static atomic_long nhostcalls;
#define HC(e)	(atomic_fetch_add_explicit(&nhostcalls, 1, memory_order_relaxed), (e))

long
fshostcalls(void)
{
	return atomic_load(&nhostcalls);
}

/* Of those, resolutions of a path from the top (an openat2 at ROOTFD):
 * each walks every name of the path again in the host kernel. */
static atomic_long ntopwalks;
#define TOP(e)	(atomic_fetch_add_explicit(&ntopwalks, 1, memory_order_relaxed), HC(e))

long
fstopwalks(void)
{
	return atomic_load(&ntopwalks);
}

static int kernelfs(int fd, struct stat *st);

/* What the top's file system is: fixed, as the top's descriptor is. */
static int
topkernelfs(int fd)
{
	struct stat st;

	if(fstat(fd, &st) < 0)
		return 1;
	return kernelfs(fd, &st);
}

void
fsinit(void)
{
	if(kern.root != NULL && insts[0].rootfd < 0){
		insts[0].rootfd = open(kern.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if(insts[0].rootfd >= 0)
			insts[0].kernelfs = topkernelfs(insts[0].rootfd);
	}
	insts[0].readonly = kern.conf.readonly;
}

static int
goodinstname(const char *s)
{
	size_t n = strlen(s);
	if(n == 0 || n >= KNAMELEN)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

int
kfsdir(char *name, char *dir, int readonly)
{
	struct stat st;
	int fd, i, n;
	if(name == NULL || dir == NULL || !goodinstname(name))
		return kseterr(Ebadarg);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if(fd < 0)
		return ksetosErr(errno);
	if(fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)){
		close(fd);
		return kseterr(Enotdir);
	}
	pthread_mutex_lock(&instlk);
	n = atomic_load(&ninst);
	for(i = 1; i < n; i++)
		if(strcmp(insts[i].name, name) == 0)
			break;
	if(i < n || n >= Ninst){
		pthread_mutex_unlock(&instlk);
		close(fd);
		return kseterr(i < n ? Eexist : Elimit);
	}
	snprintf(insts[n].name, sizeof insts[n].name, "%s", name);
	insts[n].rootfd = fd;
	insts[n].readonly = readonly != 0;
	insts[n].kernelfs = kernelfs(fd, &st);
	atomic_store(&ninst, n + 1);
	pthread_mutex_unlock(&instlk);
	return 0;
}

/* The instance a spec names: "" is Kconf.root; -1 if none. */
static int
specinst(const char *spec)
{
	int i, n;
	if(spec == NULL || spec[0] == 0)
		return 0;
	n = atomic_load(&ninst);
	for(i = 1; i < n; i++)
		if(strcmp(insts[i].name, spec) == 0)
			return i;
	return -1;
}

static int nsholds(int inst);

/* Resolve rel below the top of c's instance, the top as its root, or
 * below the directory c's sandbox was granted (jailhow).  Returns a
 * host fd or -1 with errno; openat2's EXDEV (an escape the kernel saw:
 * a link out of a grant, or in a rename race) is refused as EACCES,
 * "permission denied". */
static int
fsresolve(Chan *c, const char *rel, int flags, mode_t mode)
{
	struct open_how how;
	const char *r;
	int fd, tries;
	if((r = jailrel(JAIL(c), rel)) == NULL){
		errno = EACCES;
		return -1;
	}
	memset(&how, 0, sizeof how);
	how.flags = flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY);
	how.mode = (flags & O_CREAT) ? mode : 0;
	how.resolve = jailhow(c);
	for(tries = 0; tries < 16; tries++){
		fd = TOP(syscall(SYS_openat2, jailfd(c), r[0] ? r : ".", &how, sizeof how));
		if(fd < 0 && errno == EXDEV && r != rel && !(up != NULL && up->remote) && nsholds(c->dev)){
			/* out of a grant, but the caller's namespace holds
			 * the instance's top (#U at /, a grant of a directory
			 * of it bound besides): nothing to keep it from, and
			 * the link resolves as its sandbox sees it, from the
			 * top, its root.  Not for an export's client, whose
			 * world is the directory exported, not the
			 * namespace its proc walks in. */
			how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
			fd = TOP(syscall(SYS_openat2, ROOTFD(c), rel, &how, sizeof how));
		}
		if(fd < 0 && errno == EXDEV)
			errno = EACCES;
		if(fd >= 0 || errno != EAGAIN)
			return fd;
	}
	return -1;
}

static int fsprocpath(char *buf, int fd);
static int reopenfd(int fd, int flags);

/*
 * A tree may hold a host mount of one of the kernel's own interfaces: a
 * Debian root prepared as a chroot with its /proc mounted, or -r / with
 * the host's.  Its files are no files of the tree: the host /proc's
 * self/mem of this process is its memory, readable and writable, and
 * /proc/sys, /sys and binfmt_misc set the host kernel's state.  No
 * RESOLVE_ flag keeps a resolution off them (their names are plain
 * symlinks and files, no magic links), so a file on one never opens.
 * Such file systems have no block device (major 0): a file on a
 * device's is not asked about (no host call more per open there).
 */
static int
kernelfs(int fd, struct stat *st)
{
	static const long magics[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
		SECURITYFS_MAGIC, BPF_FS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
		EFIVARFS_MAGIC, PSTOREFS_MAGIC, SELINUX_MAGIC, SMACK_MAGIC,
		BINFMTFS_MAGIC, 0x62656570 /* configfs */, 0x65735543 /* fusectl */,
	};
	struct statfs sf;
	size_t i;

	if(major(st->st_dev) != 0)
		return 0;
	if(HC(fstatfs(fd, &sf)) < 0)
		return 1;
	for(i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if((long)sf.f_type == magics[i])
			return 1;
	return 0;
}

static int
fserr(void)
{
	return ksetosErr(errno);
}

/* Refuse (Eperm) a change through fd, a directory or file of c's tree,
 * when it is on one of those file systems: a mkdir or rmdir there makes
 * or removes a host cgroup, a chmod opens a sysfs file to others; no
 * such change is a change of the tree.  0 when fd may be changed. */
static int
nokernelfs(int fd)
{
	struct stat st;

	if(HC(fstat(fd, &st)) < 0)
		return fserr();
	if(kernelfs(fd, &st))
		return kseterr(Eperm);
	return 0;
}

/* A file at rel, of from's grant (NULL: none). */
static Fsfile *
newfile(Fsfile *from, const char *rel)
{
	Fsfile *f = kzalloc(sizeof *f);
	f->jail = from != NULL ? jailget(from->jail) : NULL;
	f->rel = kstrdup(rel);
	pthread_mutex_init(&f->rellk, NULL);
	f->fd = -1;
	f->linkfd = -1;
	f->rmfd = -1;
	return f;
}

/* f's path now, a copy of the caller's own (to free).  Kept were the
 * strings every rename replaced, until the Chan went, for readers that
 * used f->rel itself: a 9P client renaming one fid again and again
 * (Twstat) made the host hold each old name (200,000 renames of one:
 * resident memory 2.2 MB to 20.9 MB). */
static char *
relget(Fsfile *f)
{
	char *s;

	pthread_mutex_lock(&f->rellk);
	s = kstrdup(f->rel);
	pthread_mutex_unlock(&f->rellk);
	return s;
}

/* The file's new path nr (taken), after a rename or create. */
static void
setrel(Fsfile *f, char *nr)
{
	char *old;

	pthread_mutex_lock(&f->rellk);
	old = f->rel;
	f->rel = nr;
	pthread_mutex_unlock(&f->rellk);
	free(old);
}

/* f keeps fd open: charged to up's sandbox; -1 with the error set
 * (fd closed) past the sandbox's bound. */
static int
keepfd(Fsfile *f, int fd)
{
	if(fdcharge(&f->acct) < 0){
		close(fd);
		return -1;
	}
	f->fd = fd;
	return 0;
}

static void
freenames(Fsfile *f)
{
	free(f->names);
	free(f->pool);
	f->names = NULL;
	f->pool = NULL;
	f->npool = f->maxpool = 0;
	f->nnames = f->inames = 0;
}

/* strcmp's order (unsigned bytes) of two entries: their keys decide
 * unless the names share their first 8 bytes. */
static int
byname(const void *a, const void *b, void *pool)
{
	const Fsent *x = a, *y = b;
	if(x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp((char*)pool + x->at, (char*)pool + y->at);
}

/* The first 8 bytes of name (NUL-padded) as a big-endian number. */
static uvlong
namekey(const char *name, ulong len)
{
	uvlong k = 0;
	ulong i;
	for(i = 0; i < 8; i++)
		k = k << 8 | (i < len ? (uchar)name[i] : 0);
	return k;
}

/*
 * Sort f's entries by name (strcmp's order).  The host lists a big
 * directory in hash order (ext4), and qsort's n log n calls of byname
 * were a sixth of a listing's cost: a radix sort of the 8-byte keys
 * (one pass a byte, stable, skipping a byte all keys share), then
 * byname among the entries whose keys are equal.
 */
static void
sortnames(Fsfile *f)
{
	Fsent *a, *b, *t;
	long n = f->nnames, i, j, pos[256];
	int shift;

	if(n < 64){
		if(n > 1)
			qsort_r(f->names, n, sizeof(Fsent), byname, f->pool);
		return;
	}
	a = f->names;
	b = kmalloc(n * sizeof(Fsent));
	for(shift = 0; shift < 64; shift += 8){
		memset(pos, 0, sizeof pos);
		for(i = 0; i < n; i++)
			pos[(a[i].key >> shift) & 0xFF]++;
		if(pos[(a[0].key >> shift) & 0xFF] == n)
			continue;	/* one byte in all: this pass moves nothing */
		for(i = 0, j = 0; i < 256; i++){
			long c = pos[i];
			pos[i] = j;
			j += c;
		}
		for(i = 0; i < n; i++)
			b[pos[(a[i].key >> shift) & 0xFF]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	if(a != f->names){
		memcpy(f->names, a, n * sizeof(Fsent));
		b = a;
	}
	free(b);
	for(i = 0; i < n; i = j){
		for(j = i + 1; j < n && f->names[j].key == f->names[i].key; j++)
			;
		if(j - i > 1)
			qsort_r(&f->names[i], j - i, sizeof(Fsent), byname, f->pool);
	}
}

/* What getdents64 gives for each entry. */
typedef struct Hostdirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	uchar type;
	char name[];
} Hostdirent;

enum { Dentbuf = 32768 };

/* Add de to f's entries, its name to the pool (one allocation for
 * the listing, not one a name). */
static void
addname(Fsfile *f, Hostdirent *de, int *max)
{
	ulong len;
	Fsent *e;
	if(de->name[0] == '.' && (de->name[1] == 0 || (de->name[1] == '.' && de->name[2] == 0)))
		return;
	if(f->nnames == *max){
		*max = *max ? 2 * *max : 64;
		f->names = realloc(f->names, *max * sizeof(Fsent));
		if(f->names == NULL)
			abort();
	}
	len = strlen(de->name);
	if(f->npool + len + 1 > f->maxpool){
		f->maxpool = f->maxpool ? 2 * f->maxpool : 4096;
		if(f->maxpool < f->npool + len + 1)
			f->maxpool = f->npool + len + 1;
		f->pool = realloc(f->pool, f->maxpool);
		if(f->pool == NULL)
			abort();
	}
	memcpy(f->pool + f->npool, de->name, len + 1);
	e = &f->names[f->nnames++];
	e->at = f->npool;
	e->len = len;
	e->key = namekey(de->name, len);
	e->ino = de->ino;
	e->dtype = de->type;
	f->npool += len + 1;
}

/* Read the whole directory and sort it, so listings do not depend on the
 * host file system's order.  What the host says of each entry (its inode
 * number and type) is kept for readers that need no more (fsdirnames).
 * getdents64 straight on the descriptor: a DIR stream would cost an
 * fstat, two fcntls and an lseek more for each directory opened. */
static int
loadnames(Fsfile *f)
{
	char *buf;
	long n, off;
	int max = 0;
	freenames(f);
	f->loaded = 0;
	if(f->dirread && HC(lseek(f->fd, 0, SEEK_SET)) < 0)
		return fserr();
	f->dirread = 1;
	buf = kmalloc(Dentbuf);
	for(;;){
		n = HC(syscall(SYS_getdents64, f->fd, buf, Dentbuf));
		if(n < 0){
			free(buf);
			return fserr();
		}
		if(n == 0)
			break;
		for(off = 0; off < n; off += ((Hostdirent*)(buf + off))->reclen)
			addname(f, (Hostdirent*)(buf + off), &max);
	}
	free(buf);
	sortnames(f);
	f->loaded = 1;
	return 0;
}

/*
 * An anonymous file is host memory: the pages the host holds for it
 * (st_blocks), and more bytes about to be written, are charged to its
 * sandbox's memory bound (kboxmemcharge) as Linux charges a memfd's to
 * the cgroup; past the bound a write fails ENOSPC.  Pages its shared
 * mappings may yet make (the hull of what was ever mapped, inside the
 * file) are charged too: a store through a mapping passes no call, and
 * a guest that filled one memfd after another through a window each,
 * unmapped, held their pages uncharged (20 of 32 MiB under -M 64).
 * After a write or a truncation the charge follows what the host holds
 * (a failure then is a page's rounding, let go).
 */
extern Dev fsdevtab;
static pthread_mutex_t anonlk = PTHREAD_MUTEX_INITIALIZER;

static vlong minv(vlong a, vlong b) { return a < b ? a : b; }
static vlong maxv(vlong a, vlong b) { return a > b ? a : b; }

static Anonmem *
newanon(int fd, Boxacct *acct)
{
	Anonmem *a = kzalloc(sizeof *a);

	a->ref = 1;
	a->fd = fd;
	a->acct = acct;
	if(acct != NULL)
		atomic_fetch_add(&acct->ref, 1);
	return a;
}

static Anonmem *
anonget(Anonmem *a)
{
	if(a != NULL){
		pthread_mutex_lock(&anonlk);
		a->ref++;
		pthread_mutex_unlock(&anonlk);
	}
	return a;
}

static void
anonput(Anonmem *a)
{
	int last;

	if(a == NULL)
		return;
	pthread_mutex_lock(&anonlk);
	last = --a->ref == 0;
	pthread_mutex_unlock(&anonlk);
	if(!last)
		return;
	close(a->fd);
	kboxmemcharge(a->acct, -a->held);
	kboxput(a->acct);
	free(a);
}

static int
anoncharge(Anonmem *a, vlong more)
{
	struct stat st;
	vlong now, size, mapped;
	int r;

	r = 0;
	pthread_mutex_lock(&anonlk);
	if(fstat(a->fd, &st) == 0){
		now = (vlong)st.st_blocks * 512;
		size = ((vlong)st.st_size + 4095) & ~(vlong)4095;
		mapped = (a->maphi < size ? a->maphi : size) - a->maplo;
		if(mapped > 0)
			now = maxv(now, minv(now + mapped, size));
		now += more;
		if(kboxmemcharge(a->acct, now - a->held) < 0)
			r = ksetosErr(ENOSPC);
		else
			a->held = now;
	}
	pthread_mutex_unlock(&anonlk);
	return r;
}

/* A shared mapping of [off, off+len) of c's file is to be made: if
 * c's is a memfd, its pages charged with those the mapping may make
 * (-1, ENOSPC, past the bound).  0 for any other file. */
int
fsmemmapped(Chan *c, vlong off, vlong len)
{
	Anonmem *a;

	if(devtab[c->type] != &fsdevtab || c->aux == NULL || (a = ((Fsfile*)c->aux)->anon) == NULL)
		return 0;
	if(off < 0 || len <= 0 || off > ((vlong)1 << 62) - len)
		return kseterr(Ebadarg);
	pthread_mutex_lock(&anonlk);
	if(a->maphi == 0 || off < a->maplo)
		a->maplo = off;
	if(off + len > a->maphi)
		a->maphi = off + len;
	pthread_mutex_unlock(&anonlk);
	return anoncharge(a, 0);
}

static void
freefile(Fsfile *f)
{
	if(f == NULL)
		return;
	freenames(f);
	if(f->fd >= 0){
		if(f->anon == NULL || f->fd != f->anon->fd)
			close(f->fd);
		fdgiveback(f->acct);
	}
	anonput(f->anon);
	if(f->linkfd >= 0)
		HC(close(f->linkfd));
	if(f->rmfd >= 0)
		HC(close(f->rmfd));
	jailput(f->jail);
	free(f->rel);
	pthread_mutex_destroy(&f->rellk);
	free(f);
}

static Qid
statqid(struct stat *st)
{
	Qid q;
	q.path = (uvlong)st->st_ino ^ ((uvlong)st->st_dev << 48);
	q.vers = (ulong)(st->st_mtim.tv_sec ^ (st->st_mtim.tv_nsec << 8));
	q.type = S_ISDIR(st->st_mode) ? QTDIR : QTFILE;
	return q;
}

/*
 * The name of a host user or group id, from /etc/passwd or /etc/group
 * read here: never through NSS, whose modules a static binary cannot
 * load safely (libnss_systemd crashed vxinferno for an id the files do
 * not name).  Each line is name:password:id:...; the first that names
 * id wins, as NSS's files module; a line that does not parse, a NIS
 * (+, -) or comment line, and a name with blanks or control characters
 * are passed over.  Only the start of a long line is looked at.
 */
enum { Idline = 512 };

/* The id of a line's third field, or -1 */
static long long
lineid(char *p)
{
	long long v;
	int i;

	for(i = 0; i < 2; i++){
		p = strchr(p, ':');
		if(p == NULL)
			return -1;
		p++;
	}
	if(*p < '0' || *p > '9')
		return -1;
	for(v = 0; *p >= '0' && *p <= '9'; p++){
		v = v * 10 + (*p - '0');
		if(v > 0xffffffffLL)
			return -1;
	}
	if(*p != ':' && *p != '\n' && *p != 0)
		return -1;
	return v;
}

/* Copy the line's name (its first field) into name[n]; 0 if none fits */
static int
linename(char *p, char *name, int n)
{
	int i;

	if(*p == '+' || *p == '-' || *p == '#')
		return 0;
	for(i = 0; p[i] != ':'; i++)
		if((unsigned char)p[i] <= ' ' || p[i] == 0x7f || i >= n - 1)
			return 0;
	if(i == 0)
		return 0;
	memcpy(name, p, i);
	name[i] = 0;
	return 1;
}

int
khostname(char *name, int n, int user, unsigned id)
{
	char line[Idline];
	int atstart, found;
	FILE *f;
	size_t l;

	f = fopen(user ? "/etc/passwd" : "/etc/group", "re");
	if(f == NULL)
		return 0;
	found = 0;
	atstart = 1;
	while(!found && fgets(line, sizeof line, f) != NULL){
		l = strlen(line);
		if(atstart && lineid(line) == id)
			found = linename(line, name, n);
		atstart = l > 0 && line[l - 1] == '\n';
	}
	fclose(f);
	return found;
}

/*
 * The names of host ids, remembered: every stat of a #U file names its
 * owner and group.  A few ids are ever seen; the oldest is forgotten
 * when the table is full.  An id the files do not name (or whose name
 * is too long) is its number.
 */
enum { Nidcache = 16 };
static struct {
	int user;
	unsigned id;
	char name[KNAMELEN];
} idcache[Nidcache];
static int nidcache, nextid;
static pthread_mutex_t idlk = PTHREAD_MUTEX_INITIALIZER;

static void
idname(char *buf, int user, unsigned id)
{
	int i;

	pthread_mutex_lock(&idlk);
	for(i = 0; i < nidcache; i++)
		if(idcache[i].user == user && idcache[i].id == id){
			memcpy(buf, idcache[i].name, KNAMELEN);
			pthread_mutex_unlock(&idlk);
			return;
		}
	pthread_mutex_unlock(&idlk);
	if(!khostname(buf, KNAMELEN, user, id))
		snprintf(buf, KNAMELEN, "%u", id);
	pthread_mutex_lock(&idlk);
	i = nidcache < Nidcache ? nidcache++ : nextid++ % Nidcache;
	idcache[i].user = user;
	idcache[i].id = id;
	memcpy(idcache[i].name, buf, KNAMELEN);
	pthread_mutex_unlock(&idlk);
}

char *
khostid(char buf[KNAMELEN], int user, unsigned id)
{
	idname(buf, user, id);
	return buf;
}

/* A host mode's set-id and sticky bits as Dir.mode's. */
static ulong
dmspecial(mode_t m)
{
	return ((m & S_ISUID) ? DMSETUID : 0) | ((m & S_ISGID) ? DMSETGID : 0) | ((m & S_ISVTX) ? DMSETVTX : 0);
}

/*
 * The set-id and sticky bits a wstat's mode dm may leave on the file st
 * is: the sticky bit, and the set-id bits of a directory (set-group-ID
 * gives its new files its group), as asked; on any other file set-id only
 * where it has them already (a chmod that keeps them, as tar's and
 * cp -p's), never newly: a program the sandbox marks would run with the
 * host user's authority for whoever else runs it.
 */
static mode_t
hostspecial(ulong dm, struct stat *st)
{
	mode_t m = 0;

	if(dm & DMSETVTX)
		m |= S_ISVTX;
	if((dm & DMSETGID) && (S_ISDIR(st->st_mode) || (st->st_mode & S_ISGID)))
		m |= S_ISGID;
	if((dm & DMSETUID) && (S_ISDIR(st->st_mode) || (st->st_mode & S_ISUID)))
		m |= S_ISUID;
	return m;
}

static void
stat2dir(Chan *c, struct stat *st, char *name, Fsfile *f, Dir *d)
{
	memset(d, 0, sizeof *d);
	d->type = 'U';
	d->dev = c->dev;
	d->qid = statqid(st);
	d->mode = (st->st_mode & 0777) | dmspecial(st->st_mode);
	if(S_ISDIR(st->st_mode))
		d->mode |= DMDIR;
	if(S_ISFIFO(st->st_mode))
		d->mode |= DMNAMEDPIPE;
	if(S_ISSOCK(st->st_mode))
		d->mode |= DMSOCKET;
	d->atime = st->st_atim.tv_sec;
	d->mtime = st->st_mtim.tv_sec;
	d->length = S_ISDIR(st->st_mode) ? 0 : st->st_size;
	d->name = name;
	idname(f->uid, 1, st->st_uid);
	idname(f->gid, 0, st->st_gid);
	d->uid = f->uid;
	d->gid = f->gid;
	d->muid = f->uid;
}

static char *
lastname(const char *rel)
{
	const char *s = strrchr(rel, '/');
	if(rel[0] == 0)
		return "/";
	return (char*)(s != NULL ? s + 1 : rel);
}

/* rel + "/" + name, or NULL if too long */
static char *
joinrel(const char *rel, const char *name)
{
	size_t n = strlen(rel), m = strlen(name);
	char *s;
	if(n + m + 2 > PATH_MAX)
		return kseterrp("file name too long");
	s = kmalloc(n + m + 2);
	if(n == 0)
		memcpy(s, name, m + 1);
	else{
		memcpy(s, rel, n);
		s[n] = '/';
		memcpy(s + n + 1, name, m + 1);
	}
	return s;
}

static void
relparent(char *rel)
{
	char *s = strrchr(rel, '/');
	if(s != NULL)
		*s = 0;
	else
		rel[0] = 0;
}

static int
lookup(Chan *c, const char *rel, struct stat *st)
{
	int fd = fsresolve(c, rel, O_PATH, 0);
	if(fd < 0)
		return fserr();
	if(HC(fstat(fd, st)) < 0){
		HC(close(fd));
		return fserr();
	}
	HC(close(fd));
	return 0;
}

/* c's own file resolved (fsresolve of its path now) */
static int
fsresolvec(Chan *c, int flags)
{
	char *rel;
	int fd, e;

	rel = relget(c->aux);
	fd = fsresolve(c, rel, flags, 0);
	e = errno;
	free(rel);
	errno = e;
	return fd;
}

/* The stat of c's own file, by its path now. */
static int
lookupc(Chan *c, struct stat *st)
{
	char *rel;
	int r;

	rel = relget(c->aux);
	r = lookup(c, rel, st);
	free(rel);
	return r;
}

/* Is c the top of instance inst?  (A memfd's Chan has instance 0 and
 * path "" too, and no tree.) */
static int
istop(Chan *c, int inst)
{
	char *rel;
	int top;

	if(c == NULL || devtab[c->type] != &fsdevtab || (int)c->dev != inst || c->aux == NULL
	|| ((Fsfile*)c->aux)->anon != NULL || !(c->qid.type & QTDIR))
		return 0;
	rel = relget(c->aux);
	top = rel[0] == 0;
	free(rel);
	return top;
}

/*
 * May the caller attach instance inst?  The instances are the host
 * process's, one table for every sandbox, and an embedder gives each
 * sandbox the directories it binds in that sandbox's namespace: a proc
 * of a sandbox (NEWBOX) attaches only an instance whose top its
 * namespace holds already (mounted, or its root), and any other is as
 * unknown to it.  (Any guest attached '#Uname' by its name, a directory
 * given to another sandbox of the embedding, or '#U' where it was given
 * only a directory below.)  A proc in no sandbox (the embedder's)
 * attaches any.
 */
static int
nsholds(int inst)
{
	Pgrp *pg;
	Mhead *mh;
	Mount *m;
	int r;

	if(up == NULL || up->box == 0)
		return 1;
	pg = up->pgrp;
	r = 0;
	pthread_rwlock_rdlock(&pg->ns);
	for(mh = pg->mhead; mh != NULL && !r; mh = mh->next)
		for(m = mh->mount; m != NULL && !r; m = m->next)
			r = istop(m->to, inst);
	pthread_rwlock_unlock(&pg->ns);
	if(!r){
		pthread_mutex_lock(&pg->lk);
		r = istop(pg->slash, inst);
		pthread_mutex_unlock(&pg->lk);
	}
	return r;
}

static Chan *
fsattach(char *spec)
{
	struct stat st;
	Chan *c;
	int inst = specinst(spec);
	if(inst < 0 || !nsholds(inst))
		return kseterrp("no such #U directory");
	if(insts[inst].rootfd < 0)
		return kseterrp(Enonexist);
	c = devattach('U', spec);
	c->dev = inst;
	if(HC(fstat(insts[inst].rootfd, &st)) < 0){
		fserr();
		cclose(c);
		return NULL;
	}
	c->qid = statqid(&st);
	c->aux = newfile(NULL, "");
	return c;
}

static char Eungranted[] = "no such #U directory";
static int unserved(Chan*);

/*
 * The Chan a namespace keeps for c, which is being bound (a bind's
 * source, a union's member, a namespace's root, an export's root): a
 * sandbox is granted exactly that directory.  A #U Chan walked from a
 * grant keeps it (every Chan a sandbox reaches through its namespace),
 * so a sandbox's own bind of a directory it reaches already narrows
 * nothing (given #U at /, its `bind /usr/bin /bin` still resolves
 * /bin/cc -> /etc/alternatives/cc from the top).  A Chan of an attach
 * ('#U/d/a' named by the embedder) becomes a grant of its directory (a
 * file's: its parent's), opened now, and a root (RESOLVE_IN_ROOT) when
 * bound at / (Grantroot); one of the top is topgrant, as an instance
 * always was.  With Grantnew (an export's root: its clients' world is
 * that directory) a Chan that has a grant is granted its own directory
 * anew, never wider than the grant it had.  Any other Chan is c
 * itself.  A new reference, or NULL with the error.  A sandbox grants
 * itself no Chan it is not served (unserved: the embedder's dot
 * changed under it), by a bind, a new namespace or sandbox from its
 * dot, or an export: "no such #U directory", as any use of it.
 */
Chan *
fsgrant(Chan *c, int how)
{
	struct stat st;
	Fsfile *f, *nf;
	Fsjail *j;
	Chan *nc;
	char *rel;
	int fd;

	f = c->aux;
	if(devtab[c->type] != &fsdevtab || f == NULL || f->anon != NULL || (c->flag & COPEN)
	|| (f->jail != NULL && !(how & Grantnew))){
		incref(&c->ref);
		return c;
	}
	if(unserved(c))
		return kseterrp(Eungranted);
	rel = relget(f);
	nf = newfile(NULL, rel);
	if(!(c->qid.type & QTDIR))
		relparent(rel);
	if(rel[0] == 0){
		free(rel);
		j = &topgrant;
	}else{
		j = kzalloc(sizeof *j);
		fd = fsresolve(c, rel, O_PATH | O_DIRECTORY, 0);
		if(fd < 0)
			fserr();
		else if((c->qid.type & QTDIR) && (HC(fstat(fd, &st)) < 0 || statqid(&st).path != c->qid.path)){
			/* not what the bind's walk found a moment ago: its
			 * path was renamed or replaced (a link swapped in) */
			close(fd);
			fd = -1;
			kseterr("file was renamed or replaced: not bound");
		}else if(fdcharge(&j->acct) < 0){	/* a sandbox's binds hold descriptors too */
			close(fd);
			fd = -1;
		}
		if(fd < 0){
			free(j);
			free(rel);
			freefile(nf);
			return NULL;
		}
		atomic_init(&j->ref, 1);
		j->fd = fd;
		j->top = rel;
		j->ntop = strlen(rel);
		j->inroot = (how & Grantroot) != 0;
	}
	nf->jail = j;
	nc = devclone(c);
	nc->aux = nf;
	return nc;
}

/*
 * Walking.  A name is looked up with one fstatat, not following a final
 * symlink, relative to an O_PATH descriptor of the directory it is in:
 * a single plain name cannot lead out of that directory.  The descriptor
 * of the next directory down is opened relative to the last in the same
 * way (O_NOFOLLOW, one name), so a walk of n names costs about 3n-2 host
 * calls instead of 3n, and each resolves one name, not the whole path
 * again.  A symlink (inside the tree or not) is resolved again from the
 * top with fsresolve, exactly as before, and the walk goes on from what
 * that found; `..` is lexical and also starts again from the top.
 *
 * The descriptors follow a directory the host renames while the walk is
 * under way; guest renames never take a directory out of the tree, but a
 * host process may.  Then the qids of the rest of that one walk describe
 * the moved directory's entries as the walk finds them; no file is ever
 * opened through these descriptors (fsopen resolves rel from the top) and
 * the next walk starts from the top again.
 */
typedef struct Walkfd {
	int fd;		/* O_PATH descriptor of rel, or -1 */
	int up;		/* rel's parent, when rel was one plain name below it */
} Walkfd;

static void
walkput(Chan *c, int *fd)
{
	if(*fd >= 0 && *fd != jailfd(c))
		HC(close(*fd));
	*fd = -1;
}

/* The directory rel, to look a name up in. */
static int
walkdir(Chan *c, Walkfd *w, const char *rel)
{
	struct open_how how;
	if(w->fd >= 0)
		return w->fd;
	if(jailtop(c, rel))
		return w->fd = jailfd(c);
	if(w->up >= 0){
		memset(&how, 0, sizeof how);
		how.flags = O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		w->fd = HC(syscall(SYS_openat2, w->up, lastname(rel), &how, sizeof how));
	}else
		w->fd = fsresolve(c, rel, O_PATH | O_DIRECTORY, 0);
	if(w->fd < 0)
		fserr();
	walkput(c, &w->up);
	return w->fd;
}

/* The stat of rel itself (for `.` and `..`), keeping its descriptor. */
static int
walkself(Chan *c, Walkfd *w, const char *rel, struct stat *st)
{
	int d = walkdir(c, w, rel);
	if(d < 0)
		return -1;
	if(HC(fstat(d, st)) < 0)
		return fserr();
	return 0;
}

/* Look name up in rel (nr is their join); on success the walk is at nr. */
static int
walkname1(Chan *c, Walkfd *w, const char *rel, const char *name, const char *nr, struct stat *st)
{
	int d = walkdir(c, w, rel);
	if(d < 0)
		return -1;
	if(HC(fstatat(d, name, st, AT_SYMLINK_NOFOLLOW)) < 0)
		return fserr();
	if(S_ISLNK(st->st_mode)){
		walkput(c, &w->fd);
		return lookup(c, nr, st);
	}
	w->up = w->fd;
	w->fd = -1;
	return 0;
}

/* A clone of f (nf) gets a copy of the descriptors f's walk kept for
 * the op that follows it (linkfd, rmfd): kcreate's createin and
 * kremove do that op on a clone. */
static void
keptfds(Fsfile *f, Fsfile *nf)
{
	if(f->linkfd >= 0 && (nf->linkfd = HC(fcntl(f->linkfd, F_DUPFD_CLOEXEC, 0))) >= 0){
		nf->wst = f->wst;
		nf->haswst = f->haswst;
	}
	if(f->rmfd >= 0 && (nf->rmfd = HC(fcntl(f->rmfd, F_DUPFD_CLOEXEC, 0))) >= 0){
		nf->rmst = f->rmst;
		nf->wst = f->wst;
		nf->haswst = f->haswst;
	}
}

/*
 * Is c a Chan of an attach (no grant) that the caller, a sandbox whose
 * namespace does not hold c's instance's top, walks from?  Its walks
 * are refused as its attach would be: the Chans a sandbox reaches
 * through its namespace carry grants, and a dot it was started with is
 * granted (proc.c grantdot), so this is a dot the embedder changed
 * after, where the sandbox shares it (red team 29: the embedder's cd
 * '#U/d/a' in a namespace the sandbox shared gave it the whole
 * instance through `../x` and links).  Never the embedder's (box 0).
 * Only a Chan with no grant, in a sandbox, pays the nsholds scan.
 */
static int
ungranted(Chan *c)
{
	Fsfile *f = c->aux;

	return f != NULL && f->jail == NULL && f->anon == NULL && up != NULL && up->box != 0 && !nsholds(c->dev);
}

/*
 * Is c, not open, such a Chan, for an op on its own file or in it as a
 * directory (open, stat, wstat, statfs, create, remove, a link, a
 * rename, a link op, a watch)?  Refused as its walks are: the sandbox
 * was given no grant of it, so it is not served at all (red team 29:
 * with walks refused, `.` still listed, stat'ed, and took creates,
 * links and a chmod).  An open Chan is the descriptor it holds, as
 * Linux's, and is left alone: a sandbox opens none of these.
 */
static int
unserved(Chan *c)
{
	return !(c->flag & COPEN) && ungranted(c);
}

static Walkqid *
fswalk(Chan *c, Chan *nc, char **name, int nname)
{
	Walkqid *wq;
	Fsfile *f = c->aux;
	Walkfd w = { -1, -1 };
	char *rel;
	struct stat st;
	int j;
	if(nname > MAXWELEM)
		return kseterrp(Ebadarg);
	if(c->flag & COPEN)
		return kseterrp(Eisopen);
	if(nname > 0 && ungranted(c))
		return kseterrp(Eungranted);
	wq = newwq();
	rel = relget(f);
	for(j = 0; j < nname; j++){
		char *n = name[j], *nr;
		if(j > 0 && !(wq->qid[j-1].type & QTDIR)){
			kseterr(Enotdir);
			break;
		}
		if(j == 0 && !(c->qid.type & QTDIR)){
			kseterr(Enotdir);
			break;
		}
		if(strcmp(n, "..") == 0){
			if(!jailtop(c, rel))	/* namec leaves a grant by its mount point */
				relparent(rel);
			nr = kstrdup(rel);
			walkput(c, &w.fd);
			walkput(c, &w.up);
			if(walkself(c, &w, nr, &st) < 0){
				free(nr);
				break;
			}
		}else if(strcmp(n, ".") == 0){
			nr = kstrdup(rel);
			if(walkself(c, &w, nr, &st) < 0){
				free(nr);
				break;
			}
		}else if(n[0] == 0 || strchr(n, '/') != NULL){
			kseterr(Efilename);
			break;
		}else if((nr = joinrel(rel, n)) == NULL)
			break;
		else if(walkname1(c, &w, rel, n, nr, &st) < 0){
			free(nr);
			break;
		}
		free(rel);
		rel = nr;
		wq->qid[j] = statqid(&st);
	}
	walkput(c, &w.fd);
	walkput(c, &w.up);
	wq->nqid = j;
	if(j < nname || nname == 0){
		if(nname == 0){
			/* clone; a descriptor kept for the create that
			 * follows (createin creates in a clone) goes with it */
			if(nc == NULL)
				nc = devclone(c);
			nc->aux = newfile(f, rel);
			keptfds(f, nc->aux);
			wq->clone = nc;
		}else if(j == 0){
			free(wq);
			wq = NULL;
		}
		free(rel);
		return wq;
	}
	if(nc == NULL)
		nc = devclone(c);
	else
		freefile(nc->aux);
	f = newfile(f, rel);
	/* what the walk saw answers a stat made at once (CWALKSTAT) */
	f->wst = st;
	f->haswst = 1;
	nc->aux = f;
	nc->qid = wq->qid[nname-1];
	wq->clone = nc;
	free(rel);
	return wq;
}

/* fswalk's Chan, when the walk got to the end of the names. */
static Chan *
walkall(Chan *c, char **name, int nname)
{
	Walkqid *wq;
	Chan *nc;
	wq = fswalk(c, NULL, name, nname);
	if(wq == NULL)
		return NULL;
	nc = wq->clone;
	if(nc != NULL && wq->nqid < nname){
		cclose(nc);
		nc = NULL;
	}
	free(wq);
	return nc;
}

static Chan *fsopen(Chan*, int);

/* Is rel there, a directory (following symlinks, confined)?  0 if so. */
static int
dirthere(Chan *c, const char *rel)
{
	int fd;

	fd = fsresolve(c, rel, O_PATH | O_DIRECTORY, 0);
	if(fd < 0)
		return fserr();
	HC(close(fd));
	return 0;
}

/* The stat of rel if its every name is a directory or file of the top's
 * own host file system, none a symlink: one fstatat for a name at the
 * top (it follows nothing, and a host mount there is the file system
 * it crosses into, which the walks that meet it refuse), else an
 * openat2 that refuses symlinks and host mounts. */
static int chainopenat(int dfd, const char *rel, int flags);

static int
chainstat(Chan *c, const char *rel, struct stat *st)
{
	const char *r;
	int fd, dfd, res;

	/* rel is a mount point's: one outside c's grant is only looked
	 * for (the walk goes name by name if it is not where its path
	 * says), from the top */
	dfd = jailfd(c);
	if((r = jailrel(JAIL(c), rel)) == NULL){
		r = rel;
		dfd = ROOTFD(c);
	}
	if(r[0] == 0)
		return HC(fstatat(dfd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
	if(strchr(r, '/') == NULL)
		return HC(fstatat(dfd, r, st, AT_SYMLINK_NOFOLLOW));
	fd = chainopenat(dfd, r, 0);
	if(fd < 0)
		return -1;
	res = HC(fstat(fd, st));
	HC(close(fd));
	return res;
}

/* openat2 of rel (below dfd) through directories of the top's own file
 * system alone (no symlink, no host mount on the way): chainstat's rule. */
static int
chainopenat(int dfd, const char *rel, int flags)
{
	struct open_how how;

	memset(&how, 0, sizeof how);
	how.flags = flags | O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS;
	return TOP(syscall(SYS_openat2, dfd, rel[0] ? rel : ".", &how, sizeof how));
}

/* chainopenat of c's path rel, below its grant. */
static int
chainopen(Chan *c, const char *rel, int flags)
{
	const char *r = jailrel(JAIL(c), rel);

	if(r == NULL){
		errno = EACCES;
		return -1;
	}
	return chainopenat(jailfd(c), r, flags);
}

/* Is one of the nmt mount points (their rels) a directory rel's walk
 * from c looks names up in: a name of rel[0:dirlen] below c's own? */
static int
mtonway(Chan *c, const char *rel, size_t dirlen, Chan **mt, int nmt)
{
	size_t clen, mlen;
	char *mrel;
	int i, on;

	mrel = relget(c->aux);
	clen = strlen(mrel);
	free(mrel);
	for(i = 0; i < nmt; i++){
		mrel = relget(mt[i]->aux);
		mlen = strlen(mrel);
		on = mlen > clen && mlen <= dirlen && strncmp(mrel, rel, mlen) == 0 && (rel[mlen] == '/' || mlen == dirlen);
		free(mrel);
		if(on)
			return 1;
	}
	return 0;
}

/*
 * A `..` in a run walked at once on an instance with mount points: rel
 * is the path before it.  The names of rel were looked up in the
 * directories before them, so none of those may be mounted on (the
 * walk would have gone into the mounted tree); rel itself may be, as
 * `..` from it is its parent either way.  rel is resolved through
 * directories alone (no symlink, no host mount: then a name is the
 * directory its path says, which nocross checks the mount points are),
 * as a directory: a name missing or a file on the way is the walk's
 * error, as dirthere's; anything else (a symlink) walks name by name.
 */
static int
peakok(Chan *c, const char *rel, Chan **mt, int nmt)
{
	const char *s = strrchr(rel, '/');
	int fd;

	if(mtonway(c, rel, s != NULL ? (size_t)(s - rel) : 0, mt, nmt))
		return kseterr(Ewalknames);
	fd = chainopen(c, rel, O_DIRECTORY);
	if(fd >= 0){
		HC(close(fd));
		return 0;
	}
	if(errno == ENOENT || errno == ENOTDIR)
		return fserr();
	return kseterr(Ewalknames);
}

/*
 * Does the walk of names (plain, at least two) from c to rel meet none
 * of the directories mounted on in this instance (mt) before its last
 * name?  Name by name, each directory on the way is looked up in the
 * mount table by its qid.  Here, instead: each mount point is looked
 * for where its Chan's path says it is, through directories of the
 * top's file system alone (no symlink, no host mount: chainstat), and
 * the directory the walk ends in (rel's first dirlen bytes) is reached
 * the same way (chainopen: the caller's, when it opened all of rel so,
 * *fd; else here).  On such a chain a directory has one path
 * (directories have no hard links), so the walk reaches a mount point
 * before its last name exactly when the mount point's path is one of
 * the walk's before it, a string compare.  0 when none is reached, or
 * when the chain ends at a missing name or a file before any is (the
 * walk fails there, name by name too); -1 (the walk must go name by
 * name) when a mount point is reached, is not where its path says
 * (renamed), or a symlink or host mount is on either way.
 */
static int
nocross(Chan *c, const char *rel, size_t dirlen, Chan **mt, int nmt, int chained)
{
	struct stat st;
	char *dir, *mrel;
	int i, fd, bad;

	if(mtonway(c, rel, dirlen, mt, nmt))
		return -1;	/* a name on the way is mounted on */
	for(i = 0; i < nmt; i++){
		mrel = relget(mt[i]->aux);
		/* the top (""): never a name on the way down */
		bad = mrel[0] != 0 && (chainstat(c, mrel, &st) < 0 || !eqqid(statqid(&st), mt[i]->qid));
		free(mrel);
		if(bad)
			return -1;
	}
	if(chained || dirlen == 0)
		return 0;
	dir = kmalloc(dirlen + 1);
	memcpy(dir, rel, dirlen);
	dir[dirlen] = 0;
	fd = chainopen(c, dir, O_DIRECTORY);
	free(dir);
	if(fd >= 0){
		HC(close(fd));
		return 0;
	}
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

/* Is name one element that can be made in a directory (not "", ".",
 * ".." nor holding a '/')? */
static int
plainname(const char *name)
{
	return name[0] != 0 && strchr(name, '/') == NULL && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static Chan Walklong[1];	/* walkkept: no answer, resolve the path */

/*
 * A walk of one plain name from a directory whose walk kept its
 * descriptor (Wlinkdir: a create's walk to the directory, then the
 * create's walk to the name in it): one fstatat beside that descriptor,
 * as a walk name by name does, not the whole path from the top again.
 * A symbolic link there is resolved from the top, confined, as
 * always (Walklong); a missing name is the walk's error.
 */
static Chan *
walkkept(Chan *c, Fsfile *f, char *name)
{
	struct stat st;
	Fsfile *nf;
	Chan *nc;
	char *nr, *rel;

	if(HC(fstatat(f->linkfd, name, &st, AT_SYMLINK_NOFOLLOW)) < 0){
		fserr();
		return NULL;
	}
	if(S_ISLNK(st.st_mode))
		return Walklong;
	rel = relget(f);
	nr = joinrel(rel, name);
	free(rel);
	if(nr == NULL)
		return NULL;
	nf = newfile(f, nr);
	free(nr);
	nf->wst = st;
	nf->haswst = 1;
	nc = devclone(c);
	nc->aux = nf;
	nc->qid = statqid(&st);
	return nc;
}

/*
 * The walk to a file about to be removed (Wremove), rel its path: its
 * directory resolved from the top and the file looked up beside it
 * (fstatat, not followed), the directory's descriptor kept for
 * fsremove, which would resolve it again.  A symbolic link there, a
 * name at the top, or a directory that does not resolve go the usual
 * way (Walklong); a name missing in its directory is the walk's error.
 */
static Chan *
walkremoved(Chan *c, char *rel)
{
	struct stat st, pst;
	char *parent, *last;
	Fsfile *nf;
	Chan *nc;
	int pfd;

	last = strrchr(rel, '/');
	if(last == NULL)
		return Walklong;
	parent = kstrdup(rel);
	parent[last - rel] = 0;
	pfd = fsresolve(c, parent, O_PATH | O_DIRECTORY, 0);
	free(parent);
	if(pfd < 0)
		return Walklong;
	if(HC(fstat(pfd, &pst)) < 0 || HC(fstatat(pfd, last + 1, &st, AT_SYMLINK_NOFOLLOW)) < 0){
		HC(close(pfd));
		if(errno != ENOENT)
			return Walklong;
		fserr();
		return NULL;
	}
	if(S_ISLNK(st.st_mode)){
		HC(close(pfd));
		return Walklong;
	}
	nf = newfile(c->aux, rel);
	nf->wst = st;
	nf->haswst = 1;
	nf->rmfd = pfd;
	nf->rmst = pst;
	nc = devclone(c);
	nc->aux = nf;
	nc->qid = statqid(&st);
	return nc;
}

/*
 * Dev.walkpath: where plain names lead, for a caller that needs no qid
 * on the way.  The whole path is resolved with one openat2 from the
 * top, confined as every lookup is (fsresolve), and stat'ed: three host
 * calls at any depth, where fswalk pays about three a name to learn
 * each one's qid.  Symlinks on the way are followed from the top as
 * fswalk follows them, a name on the way that is no directory fails
 * with ENOTDIR as fswalk's check does, and a missing one with ENOENT.
 * `.`, and one name from the top (one fstatat), are fswalk's.
 *
 * A `..` inside the run (namec's pathrun: it never leaves the names of
 * the run) is lexical, as fswalk's: the path before it is resolved once
 * as a directory (openat2 with O_DIRECTORY, and a close), which is all
 * a walk name by name learns there that matters (every name of it is
 * there, the last a directory; the parents it then walks back to are
 * those same names), and the walk goes on from its parent.  gcc looks
 * for its files as lib/gcc/i686-linux-gnu/12/../../../../include: two
 * openat2 and two closes and an fstat, where each `..` cost three.
 *
 * When the Chan is to be opened for reading next, fsopen opens it now:
 * its openat2 and fstat are then the walk's only host calls.  Opens
 * that may change the file go the long way, so that a read-only tree
 * refuses them only after the walk found the file, as before.  When a
 * link op on a name in the directory reached comes next (Wlinkdir:
 * klstatx, kreadlink …, in the same kernel call), the descriptor and
 * stat that found it are kept for that op (linkparent), which would
 * resolve the same path again for the same descriptor.
 */
static Chan *
fswalkpath(Chan *c, char **name, int nname, int omode, Chan **mt, int nmt)
{
	Fsfile *f = c->aux, *nf;
	struct stat st;
	char *rel, *cur;
	Chan *nc, *oc;
	size_t max, len;
	int j, fd, openit, depth, linkwalk;
	if(c->flag & COPEN)
		return kseterrp(Eisopen);
	if(!(c->qid.type & QTDIR))
		return kseterrp(Enotdir);
	if(nname > 0 && ungranted(c))
		return kseterrp(Eungranted);
	openit = omode >= 0 && ((omode & 3) == OREAD || (omode & 3) == OEXEC) && !(omode & (OTRUNC|ORCLOSE));
	if(nname == 1 && omode == -1 && f->linkfd >= 0 && plainname(name[0])
	&& (nc = walkkept(c, f, name[0])) != Walklong)
		return nc;
	for(j = 0, depth = 0; j < nname; j++){
		if(strcmp(name[j], ".") == 0)
			break;
		if(strcmp(name[j], "..") != 0)
			depth++;
		else if(--depth < 1 || j == nname - 1)
			break;
	}
	if(nmt > 0 && nname > 1){
		/* mount points on the instance: no `.`; each `..` (peakok)
		 * and the end (nocross) shown to meet none */
		for(j = 0; j < nname; j++)
			if(strcmp(name[j], ".") == 0)
				return kseterrp(Ewalknames);
	}
	linkwalk = omode == Wlinkdir || omode == Wlinkstat;
	cur = relget(f);
	if(nname < 1 || j < nname || (nname == 1 && jailtop(c, cur) && !openit && !linkwalk)){
		free(cur);
		return walkall(c, name, nname);
	}
	/* rel and the names in one string, as joinrel would make them one
	 * by one (a copy each: quadratic in the depth) */
	max = strlen(cur) + 1;
	for(j = 0; j < nname; j++){
		if(name[j][0] == 0 || strchr(name[j], '/') != NULL){
			free(cur);
			return kseterrp(Efilename);
		}
		max += strlen(name[j]) + 1;
	}
	rel = kmalloc(max);
	strcpy(rel, cur);
	free(cur);
	len = strlen(rel);
	for(j = 0; j < nname; j++){
		if(strcmp(name[j], "..") == 0){
			if(strcmp(name[j-1], "..") != 0 && (nmt > 0 ? peakok(c, rel, mt, nmt) : dirthere(c, rel)) < 0){
				free(rel);
				return NULL;
			}
			if(!jailtop(c, rel))
				relparent(rel);
			len = strlen(rel);
			continue;
		}
		if(len + strlen(name[j]) + 2 > PATH_MAX){
			free(rel);
			return kseterrp("file name too long");
		}
		if(len > 0)
			rel[len++] = '/';
		strcpy(rel + len, name[j]);
		len += strlen(name[j]);
	}
	if(omode == Wremove && nmt == 0 && (nc = walkremoved(c, rel)) != Walklong){
		free(rel);
		return nc;
	}
	fd = -1;
	if(nmt > 0 && nname > 1){
		int chained = 0, fails = 0;	/* fails: the errno of a walk that ends at a missing name or a file */
		/* a walk that needs no open: the path at once through
		 * directories alone shows the directories on the way and
		 * finds the file, one openat2 for both; a symlink or a host
		 * mount on the way (or a symlink last) takes the long way */
		if(!openit && !linkwalk){
			fd = chainopen(c, rel, 0);
			if(fd < 0 && (errno == ENOENT || errno == ENOTDIR))
				fails = errno;	/* kept past nocross's calls */
			if(fd < 0 && !fails && errno != ELOOP && errno != EXDEV){
				free(rel);
				return kseterrp(Ewalknames);
			}
			chained = fd >= 0 || fails;
		}
		if(nocross(c, rel, strrchr(rel, '/') != NULL ? (size_t)(strrchr(rel, '/') - rel) : 0, mt, nmt, chained) < 0){
			if(fd >= 0)
				HC(close(fd));
			free(rel);
			return kseterrp(Ewalknames);
		}
		if(fails){
			/* the walk fails there, and name by name too */
			errno = fails;
			fserr();
			free(rel);
			return NULL;
		}
	}
	if(openit){
		nc = devclone(c);
		nc->aux = newfile(f, rel);
		free(rel);
		/* not known yet: fsopen opens without O_DIRECTORY and learns */
		memset(&nc->qid, 0, sizeof nc->qid);
		oc = fsopen(nc, omode);
		if(oc == NULL)
			cclose(nc);
		return oc;	/* a FIFO's is another Chan (fsfifo) */
	}
	if(fd < 0)
		fd = fsresolve(c, rel, O_PATH | (omode == Wlinkstat ? O_DIRECTORY : 0), 0);
	if(fd >= 0 && omode == Wlinkstat && nmt == 0){
		/* for a lstat of a name in it (fslstat's fstatat beside
		 * the descriptor kept): a directory (O_DIRECTORY), on an
		 * instance with no directory mounted on, so its qid finds
		 * no mount point whatever it is; no fstat for it (a
		 * quarter of the host calls of find's lstat per entry) */
		nf = newfile(f, rel);
		nf->linkfd = fd;
		nc = devclone(c);
		free(rel);
		nc->aux = nf;
		memset(&nc->qid, 0, sizeof nc->qid);
		nc->qid.type = QTDIR;
		return nc;
	}
	if(fd < 0 || HC(fstat(fd, &st)) < 0){
		fserr();
		if(fd >= 0)
			HC(close(fd));
		free(rel);
		return NULL;
	}
	nf = newfile(f, rel);
	if(linkwalk && S_ISDIR(st.st_mode))
		nf->linkfd = fd;
	else
		HC(close(fd));
	nc = devclone(c);
	free(rel);
	nf->wst = st;
	nf->haswst = 1;
	nc->aux = nf;
	nc->qid = statqid(&st);
	return nc;
}

/* What the host's stat says beyond the Dir (Dev.statx). */
static void
stat2dirx(struct stat *st, Dirx *x)
{
	x->nlink = st->st_nlink;
	x->size = st->st_size;
	x->blocks = st->st_blocks;
	x->blksize = st->st_blksize;
	x->atimens = st->st_atim.tv_nsec;
	x->mtimens = st->st_mtim.tv_nsec;
	x->ctime = st->st_ctim.tv_sec;
	x->ctimens = st->st_ctim.tv_nsec;
}

/* What the host's statx of name under fd (flags: AT_*) says for the
 * mask Dirx.want: its stx_mask and the birth time. */
static void
statxat(int fd, char *name, int flags, Dirx *x)
{
	struct statx sx;

	if(HC(statx(fd, name, flags, x->want & ~(ulong)DXSTATX, &sx)) < 0)
		return;
	x->mask = sx.stx_mask;
	if(sx.stx_mask & STATX_BTIME){
		x->btime = sx.stx_btime.tv_sec;
		x->btimens = sx.stx_btime.tv_nsec;
	}
}

/* The same for c's file. */
static void
hoststatx(Chan *c, Fsfile *f, Dirx *x)
{
	int fd;

	fd = f->fd >= 0 ? f->fd : fsresolvec(c, O_PATH);
	if(fd < 0)
		return;
	statxat(fd, "", AT_EMPTY_PATH, x);
	if(f->fd < 0)
		HC(close(fd));
}

static int
fsstatx(Chan *c, uchar *db, int n, Dirx *x)
{
	Fsfile *f = c->aux, tmp;
	struct stat st;
	Dir d;
	char *rel;
	int m;
	if(unserved(c))
		return kseterr(Eungranted);
	if((c->flag & CWALKSTAT) && f->haswst && f->fd < 0){
		st = f->wst;
		f->haswst = 0;
	}else if(f->fd >= 0 ? HC(fstat(f->fd, &st)) < 0 : lookupc(c, &st) < 0)
		return f->fd >= 0 ? fserr() : -1;
	memset(&tmp, 0, sizeof tmp);
	rel = relget(f);
	stat2dir(c, &st, lastname(rel), &tmp, &d);
	m = convD2M(&d, db, n);
	free(rel);
	if(m == 0)
		return kseterr(Eshortstat);
	if(x != NULL)
		stat2dirx(&st, x);
	if(x != NULL && x->want != 0)
		hoststatx(c, f, x);
	return m;
}

static int
fsstat(Chan *c, uchar *db, int n)
{
	return fsstatx(c, db, n, NULL);
}

/* A new host descriptor of c's file when c is an open '#U' file that
 * may be read (kfdkind), else -1. */
int
fsdupfd(Chan *c)
{
	Fsfile *f;

	if(devtab[c->type] != &fsdevtab || (c->qid.type & QTDIR) || (c->mode & 3) == OWRITE)
		return -1;
	f = c->aux;
	if(f == NULL || f->fd < 0)
		return -1;
	return fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
}

static int linkparent(Chan *dir, char *name, struct stat *st);
static void linkput(Chan *dir, int dfd);

/* An O_PATH descriptor of c's host file, resolved in its tree, for a
 * host watch on it (devwatch.c); -1 for another device's Chan or a
 * memfd (no name in any tree). */
int
fswatchfd(Chan *c)
{
	Fsfile *f;
	int fd;

	if(devtab[c->type] != &fsdevtab)
		return -1;
	f = c->aux;
	if(f == NULL || f->anon)
		return -1;
	if(unserved(c))
		return kseterr(Eungranted);
	fd = fsresolvec(c, O_PATH);
	return fd < 0 ? fserr() : fd;
}

/* The same of the link name in directory dir itself (Linux's
 * IN_DONT_FOLLOW). */
int
fswatchlink(Chan *dir, char *name)
{
	struct stat st;
	int dfd, fd;

	if(devtab[dir->type] != &fsdevtab)
		return kseterr(Enotlink);
	if((dfd = linkparent(dir, name, &st)) < 0)
		return -1;
	fd = HC(openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
	if(fd < 0)
		fserr();
	linkput(dir, dfd);
	return fd;
}

static int
isrdonly(Chan *c)
{
	Fsfile *f = c->aux;

	if(f != NULL && f->anon)
		return 0;	/* not in the tree: a read-only tree does not hold it */
	if(insts[c->dev].readonly)
		return kseterr(Ereadonly);
	return 0;
}

static int
hostflags(int omode)
{
	static const int acc[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY };
	int fl = acc[omode & 3];
	if(omode & OTRUNC)
		fl |= O_TRUNC;
	return fl;
}

/*
 * A host FIFO in the tree is a named pipe the kernel serves (devpipe's
 * fifoopen), one per host file: guests that open it talk through the
 * kernel, and the host FIFO itself is never read or written, so no open
 * or I/O of it can block a host thread or reach a host process.  Not
 * for an export's 9P clients, whose opens must not wait on a guest.
 */
static Chan *
fsfifo(Chan *c, struct stat *st, int omode)
{
	Fsfile *f = c->aux;
	struct stat pst;
	Chan *nc;
	int fd;

	if(up->remote)
		return kseterrp(Eperm);
	/* an exec's open (OEXEC: execve's hostprog) never opens a FIFO:
	 * it would wait for a writer, or let one waiting go, where Linux's
	 * execve refuses the file without opening it (EACCES) */
	if((omode & 3) == OEXEC)
		return kseterrp(Eperm);
	/* the node is held by an O_PATH descriptor (which opens nothing),
	 * so fstat follows the inode, as Linux's, when the name is renamed
	 * or removed; a different file at the name by now (a race) is left
	 * to the path, as before */
	if(f->fd < 0){
		fd = fsresolvec(c, O_PATH);
		if(fd >= 0 && HC(fstat(fd, &pst)) == 0 && pst.st_dev == st->st_dev && pst.st_ino == st->st_ino){
			if(keepfd(f, fd) < 0)
				return NULL;
		}else if(fd >= 0)
			HC(close(fd));
	}
	incref(&c->ref);	/* the node fstat asks (fifoopen takes it) */
	nc = fifoopen((uvlong)c->dev << 56 ^ st->st_dev, st->st_ino, omode, c);
	if(nc == NULL)
		return NULL;
	pathclose(nc->path);	/* the pipe's own ("#|"): the node's name instead */
	nc->path = c->path;
	if(nc->path != NULL)
		incref(&nc->path->ref);
	if(omode & ORCLOSE)
		nc->flag |= CRCLOSE;
	cclose(c);	/* open returned another Chan: c is done with (openchan) */
	return nc;
}

/*
 * The file rel names is found first with an O_PATH descriptor (which
 * opens nothing) and its stat, and only a regular file or a directory
 * is then opened, through that descriptor's /proc/self/fd name: the
 * same inode, whatever happens to the name meanwhile.  Opening to find
 * out what a node is would let a guest act on the host: a device's
 * driver acts on an open (a watchdog starts), and a host writer blocked
 * in a FIFO's open is let go by a reader.
 */
static Chan *
fsopen(Chan *c, int omode)
{
	Fsfile *f = c->aux;
	struct stat st;
	int fd, pfd;
	if(unserved(c))
		return kseterrp(Eungranted);
	if(((omode & 3) != OREAD && (omode & 3) != OEXEC) || (omode & (OTRUNC|ORCLOSE)))
		if(isrdonly(c) < 0)
			return NULL;
	if(f->haswst && S_ISFIFO(f->wst.st_mode) && !(c->qid.type & QTDIR))
		return fsfifo(c, &f->wst, omode);
	pfd = fsresolvec(c, O_PATH);
	if(pfd < 0)
		return kseterrp(oserrstr(errno));
	if(HC(fstat(pfd, &st)) < 0){
		close(pfd);
		return kseterrp(oserrstr(errno));
	}
	if(S_ISFIFO(st.st_mode)){
		if(keepfd(f, pfd) < 0)	/* the node, for fstat (fsfifo) */
			return NULL;
		return fsfifo(c, &st, omode);
	}
	if(S_ISSOCK(st.st_mode)){
		close(pfd);
		return kseterrp(oserrstr(ENXIO));	/* Linux's open of a socket */
	}
	if(!S_ISDIR(st.st_mode) && (!S_ISREG(st.st_mode) || kernelfs(pfd, &st))){
		/* no host devices, no host /proc or /sys file */
		close(pfd);
		return kseterrp(Eperm);
	}
	if(S_ISDIR(st.st_mode) && (omode & 3) != OREAD){
		/* a directory after all (fswalkpath's open, or a race) */
		close(pfd);
		return kseterrp(Eisdir);
	}
	if(S_ISDIR(st.st_mode))
		fd = HC(reopenfd(pfd, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	else
		fd = HC(reopenfd(pfd, hostflags(omode) | O_CLOEXEC | O_NOCTTY));
	HC(close(pfd));
	if(fd < 0)
		return kseterrp(oserrstr(errno));
	if(keepfd(f, fd) < 0)
		return NULL;
	if(S_ISDIR(st.st_mode)){
		f->ddev = st.st_dev;
		f->dino = st.st_ino;
	}
	c->qid = statqid(&st);
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return c;
}

/* Make a directory or a FIFO node called name in the directory pfd,
 * a confined descriptor of c's directory; nothing is opened. */
static int
fsmknode(int pfd, char *name, mode_t mode)
{
	int r;

	if(S_ISDIR(mode))
		r = HC(mkdirat(pfd, name, mode & 0777));
	else
		r = HC(mknodat(pfd, name, mode, 0));
	if(r < 0)
		return ksetosErr(errno);
	return 0;
}

/* Open name, a plain name just made in the directory pfd: relative to
 * pfd, a final symlink not followed (another process may have put one
 * there since), so it is that directory's entry or nothing. */
static int
openmade(int pfd, char *name, int flags, mode_t mode)
{
	return HC(openat(pfd, name, flags | O_NOFOLLOW | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY), mode));
}

/*
 * The new file's permissions are perm exactly: the guest's umask was
 * applied to it already, and the host process's own (022, say) must
 * not clear more (a guest's umask 002 made 0755 directories, not
 * 0775).  Through the new file's descriptor, never its name, which
 * another guest thread could have replaced by then; an O_PATH one (a
 * FIFO or socket node) through its /proc/self/fd link, which is that
 * file and not a walk.
 */
static int
exactperm(int fd, struct stat *st, mode_t perm)
{
	char p[32];
	int r;

	/* a directory's set-group-ID its parent gave it stays */
	if(S_ISDIR(st->st_mode))
		perm |= st->st_mode & S_ISGID;
	if((st->st_mode & 07777) == perm)
		return 0;
	if(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		r = fchmod(fd, perm);
	else{
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		r = chmod(p, perm);
	}
	if(r < 0 || fstat(fd, st) < 0)
		return -1;
	return 0;
}

static int
fscreate(Chan *c, char *name, int omode, ulong perm)
{
	Fsfile *f = c->aux;
	struct stat st;
	char *nr, *rel;
	int fd, pfd, r, e;
	if(unserved(c))
		return kseterr(Eungranted);
	if(isrdonly(c) < 0)
		return -1;
	if(!plainname(name))
		return kseterr(Efilename);
	/* the directory resolved once, confined; the new file made and
	 * opened relative to it (a resolution of the whole path again for
	 * each made a deep tree's mkdir cost three) */
	if(f->linkfd >= 0 && f->haswst){
		/* the directory's walk kept it (Wlinkdir), with its stat */
		pfd = f->linkfd;
		f->linkfd = -1;
		r = kernelfs(pfd, &f->wst) ? kseterr(Eperm) : 0;
	}else{
		pfd = fsresolvec(c, O_PATH | O_DIRECTORY);
		if(pfd < 0)
			return fserr();
		r = nokernelfs(pfd);
	}
	if(r < 0){
		HC(close(pfd));
		return -1;
	}
	rel = relget(f);
	nr = joinrel(rel, name);
	free(rel);
	if(nr == NULL){
		HC(close(pfd));
		return -1;
	}
	if(perm & (DMNAMEDPIPE | DMSOCKET)){
		/* a FIFO or socket node (Linux's mknod S_IFIFO, S_IFSOCK: a
		 * bound AF_UNIX name): made, not opened; the Chan holds an
		 * O_PATH descriptor of it, for stat */
		if(up->remote || (perm & DMDIR))
			r = kseterr(Eperm);
		else
			r = fsmknode(pfd, name, ((perm & DMSOCKET) ? S_IFSOCK : S_IFIFO) | (perm & 0777));
		fd = r < 0 ? -1 : openmade(pfd, name, O_PATH, 0);
	}else if(perm & DMDIR){
		if((omode & 3) != OREAD)
			r = kseterr(Eisdir);
		else
			r = fsmknode(pfd, name, S_IFDIR | (perm & 0777) | ((perm & DMSETVTX) ? S_ISVTX : 0));
		fd = r < 0 ? -1 : openmade(pfd, name, O_RDONLY | O_DIRECTORY, 0);
	}else{
		r = 0;
		fd = openmade(pfd, name, hostflags(omode) | O_CREAT | O_EXCL, perm & 0777);
	}
	e = errno;
	HC(close(pfd));
	if(r < 0){
		free(nr);
		return -1;
	}
	errno = e;
	if(fd < 0 || HC(fstat(fd, &st)) < 0 || exactperm(fd, &st, (perm & 0777) | ((perm & DMDIR) && (perm & DMSETVTX) ? S_ISVTX : 0)) < 0){
		e = errno;
		if(fd >= 0)
			close(fd);
		free(nr);
		return ksetosErr(e);
	}
	if(keepfd(f, fd) < 0){
		free(nr);
		return -1;
	}
	if(S_ISDIR(st.st_mode)){
		f->ddev = st.st_dev;
		f->dino = st.st_ino;
	}
	setrel(f, nr);
	c->qid = statqid(&st);
	c->mode = omode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static void
fsclose(Chan *c)
{
	freefile(c->aux);
	c->aux = NULL;
}

/*
 * The stat of directory entry name (rel nr) of open directory f.  One
 * fstatat relative to the open directory, not following a final symlink,
 * cannot leave that directory; a symlink is shown as itself (linkdir),
 * as Linux's getdents and lstat show it, whether it leads anywhere or not.
 * The directory itself may have been moved out of the tree by the host
 * since it was opened: fsread checks that rel still names it once the
 * entries are packed, and returns none of them if not.
 */
static int
direntstat(Fsfile *f, const char *name, struct stat *st)
{
	if(HC(fstatat(f->fd, name, st, AT_SYMLINK_NOFOLLOW)) < 0)
		return fserr();
	return 0;
}

/* A symbolic link's own Dir, from its lstat in d: DMSYMLINK, a file. */
static void
linkdir(Dir *d)
{
	d->mode = DMSYMLINK | 0777;
	d->qid.type = QTFILE;
}

/*
 * An entry for a reader that needs only its name, qid and DMDIR, from
 * what readdir said: no stat.  Its qid.path is what stat's would be
 * (statqid) for any entry on the directory's own host file system; a
 * host mount point inside the tree has there, as in Linux's getdents64,
 * the inode number of the directory it covers.  The rest is left empty.
 */
static void
namedir(Chan *c, Fsfile *f, Fsent *e, Dir *d)
{
	memset(d, 0, sizeof *d);
	d->type = 'U';
	d->dev = c->dev;
	d->qid.path = (uvlong)e->ino ^ ((uvlong)f->ddev << 48);
	d->qid.type = e->dtype == DT_DIR ? QTDIR : QTFILE;
	d->mode = e->dtype == DT_DIR ? DMDIR : e->dtype == DT_FIFO ? DMNAMEDPIPE : e->dtype == DT_SOCK ? DMSOCKET : 0;
	if(e->dtype == DT_LNK)
		linkdir(d);
	d->name = f->pool + e->at;
	d->uid = d->gid = d->muid = "";
}

/* The next entry of f's listing; names (non-NULL) asks only for what
 * namedir gives.  An entry whose type the host file system does not
 * tell is stat'ed in both kinds of read, a symlink not followed. */
static Dir *
fsnextdir(Chan *c, void *names)
{
	Fsfile *f = c->aux;
	struct stat st;
	Fsent *e;
	for(;;){
		if(f->inames >= f->nnames)
			return NULL;
		e = &f->names[f->inames++];
		if(names != NULL && e->dtype != DT_UNKNOWN){
			namedir(c, f, e, &f->d);
			return &f->d;
		}
		if(direntstat(f, f->pool + e->at, &st) < 0)
			continue;
		stat2dir(c, &st, f->pool + e->at, f, &f->d);
		if(S_ISLNK(st.st_mode))
			linkdir(&f->d);
		return &f->d;
	}
}

/* Does f's rel still name the directory f has open? */
static int
stillthere(Chan *c, Fsfile *f)
{
	struct stat st;
	if(lookupc(c, &st) < 0)
		return -1;
	if(st.st_dev != f->ddev || st.st_ino != f->dino)
		return kseterr(Enonexist);	/* moved: rel names something else */
	return 0;
}

static long
fsread(Chan *c, void *buf, long n, vlong off)
{
	Fsfile *f = c->aux;
	long r;
	if(c->qid.type & QTDIR){
		if((off == 0 || !f->loaded) && loadnames(f) < 0)
			return -1;
		r = dirreadpack(c, buf, n, fsnextdir, NULL);
		if(r > 0 && stillthere(c, f) < 0)
			return -1;
		return r;
	}
	r = pread(f->fd, buf, n, off);
	return r < 0 ? fserr() : r;
}

/*
 * Dev.dirnames: a listing without a stat of every entry.  The names and
 * inode numbers come from the directory f has open; that rel still
 * names it is checked once each time the listing is read from the
 * host, after the read, not after every batch: no entry's stat is
 * given, so a directory the host moves out later shows only the names
 * it had while it was inside.
 */
static long
fsdirnames(Chan *c, void *buf, long n, vlong off)
{
	Fsfile *f = c->aux;
	int names = 1;
	if(!(c->qid.type & QTDIR))
		return fsread(c, buf, n, off);
	if(off == 0 || !f->loaded){
		if(loadnames(f) < 0 || stillthere(c, f) < 0)
			return -1;
	}
	return dirreadpack(c, buf, n, fsnextdir, &names);
}

enum { Dirlistmax = 512 };	/* entries a dirlist gives at most */

/*
 * Dev.dirlist: fsdirnames' entries as Dirs, in one allocation with
 * their names; nothing of a name's stat but its qid and type, as
 * namedir makes them (uid, gid and muid empty).  An entry whose type
 * the host does not say is stat'ed, as fsnextdir does.
 */
static long
fsdirlist(Chan *c, Dir **dp, vlong off)
{
	Fsfile *f = c->aux;
	struct stat st;
	long i, k, end, bytes;
	char *s, *name;
	Fsent *e;
	Dir *d;

	*dp = NULL;
	if(off == 0 || !f->loaded){
		if(loadnames(f) < 0 || stillthere(c, f) < 0)
			return -1;
	}
again:
	k = f->nnames - f->inames;
	if(k > Dirlistmax)
		k = Dirlistmax;
	if(k == 0)
		return 0;
	/* room for these k entries' names, and only these are taken: an
	 * entry gone since the listing (its stat fails) is left out, and
	 * one beyond them in its place overran the names' room by up to
	 * 255 bytes for each (a host file system without d_type, a guest
	 * removing names while it read) */
	bytes = 0;
	for(i = 0; i < k; i++)
		bytes += f->names[f->inames + i].len + 1;
	d = kmalloc(k * sizeof(Dir) + bytes);
	s = (char*)&d[k];
	end = f->inames + k;
	for(i = 0; f->inames < end; ){
		e = &f->names[f->inames++];
		name = f->pool + e->at;
		if(e->dtype != DT_UNKNOWN)
			namedir(c, f, e, &d[i]);
		else if(direntstat(f, name, &st) < 0)
			continue;
		else{
			stat2dir(c, &st, name, f, &d[i]);
			if(S_ISLNK(st.st_mode))
				linkdir(&d[i]);
			d[i].uid = d[i].gid = d[i].muid = "";
		}
		memcpy(s, name, e->len + 1);
		d[i].name = s;
		s += e->len + 1;
		i++;
	}
	if(i == 0){
		free(d);
		goto again;	/* all gone: 0 would end the listing */
	}
	*dp = d;
	return i;
}

static long
fswrite(Chan *c, void *buf, long n, vlong off)
{
	Fsfile *f = c->aux;
	long r;
	if(c->qid.type & QTDIR)
		return kseterr(Eisdir);
	if(f->anon && anoncharge(f->anon, n) < 0)
		return -1;
	r = pwrite(f->fd, buf, n, off);
	if(f->anon)
		anoncharge(f->anon, 0);
	return r < 0 ? fserr() : r;
}

/*
 * Is name in directory pfd still the file c refers to?  An open Chan is
 * its descriptor; an unopened one the file its walk found.  A rename
 * race must not remove whatever took the old name.
 */
static int
samefile(Chan *c, int pfd, const char *name, int *isdir)
{
	Fsfile *f = c->aux;
	struct stat st, ost;
	if(fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fserr();
	*isdir = S_ISDIR(st.st_mode);
	/* a symbolic link: the walk (and an open) followed it, confined */
	if(S_ISLNK(st.st_mode) && lookupc(c, &st) < 0)
		return -1;
	if(f->fd >= 0){
		if(fstat(f->fd, &ost) < 0)
			return fserr();
		if(st.st_dev == ost.st_dev && st.st_ino == ost.st_ino)
			return 0;
	}else if(statqid(&st).path == c->qid.path)
		return 0;
	return kseterr("file was renamed or replaced: not removed");
}

static int
fsremove(Chan *c)
{
	Fsfile *f = c->aux;
	char *rel, *parent, *name;
	int pfd, isdir, r = 0;
	rel = relget(f);
	if((unserved(c) && kseterr(Eungranted) < 0) || isrdonly(c) < 0 || (jailtop(c, rel) && kseterr(Eperm) < 0)){
		free(rel);
		fsclose(c);
		return -1;
	}
	parent = kstrdup(rel);
	relparent(parent);
	name = lastname(rel);
	if(f->rmfd >= 0){
		/* the walk's (Wremove), resolved in this same call */
		pfd = f->rmfd;
		f->rmfd = -1;
		if(kernelfs(pfd, &f->rmst))
			r = kseterr(Eperm);
	}else
		pfd = fsresolve(c, parent, O_PATH | O_DIRECTORY, 0);
	if(pfd < 0)
		r = fserr();
	else if(r < 0 || (f->rmst.st_mode == 0 && nokernelfs(pfd) < 0) || samefile(c, pfd, name, &isdir) < 0)
		r = -1;
	else if(unlinkat(pfd, name, isdir ? AT_REMOVEDIR : 0) < 0)
		r = fserr();
	if(pfd >= 0)
		close(pfd);
	free(parent);
	free(rel);
	fsclose(c);
	return r;
}

/* chmod, truncate and utimes through our own confined descriptor */
static int
fsprocpath(char *buf, int fd)
{
	snprintf(buf, 64, "/proc/self/fd/%d", fd);
	return 0;
}

/*
 * An O_PATH descriptor of the host's /proc/self/fd, held from the first
 * open on: reopenfd looks up one name in it, where a whole path looked up
 * /proc, self, fd and the number each time (in a new process each is a
 * fresh procfs lookup, ~1 µs an open more).  It names this process's
 * descriptors (its threads share one table), so a forked child, whose
 * /proc/self is another, drops it.
 */
static int procfd = -1;
static pthread_once_t procfdonce = PTHREAD_ONCE_INIT;

static void
procfdforked(void)
{
	if(procfd >= 0)
		close(procfd);
	procfd = -1;
}

static void
procfdinit(void)
{
	procfd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	pthread_atfork(NULL, NULL, procfdforked);
}

/* The file our descriptor fd holds, opened anew with flags: Linux's
 * open of /proc/self/fd/N, which opens that inode and nothing else. */
static int
reopenfd(int fd, int flags)
{
	char name[64];

	pthread_once(&procfdonce, procfdinit);
	if(procfd < 0){
		fsprocpath(name, fd);
		return open(name, flags);
	}
	snprintf(name, sizeof name, "%d", fd);
	return openat(procfd, name, flags);
}

static int
dontouch(ulong t)
{
	return t == (ulong)~0UL || (t & 0xFFFFFFFFUL) == 0xFFFFFFFFUL;
}

/* The times of wstat as utimensat's: 9P's mtime; with x (wstatx), the
 * atime as well and each with x's nanoseconds.  0 when it sets none. */
static int
wstattimes(Dir *d, Dirx *x, struct timespec ts[2])
{
	ts[0].tv_sec = ts[1].tv_sec = 0;
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	if(x != NULL && !dontouch(d->atime)){
		ts[0].tv_sec = (uint32_t)d->atime;
		ts[0].tv_nsec = x->atimens % 1000000000;
	}
	if(!dontouch(d->mtime)){
		ts[1].tv_sec = (uint32_t)d->mtime;
		ts[1].tv_nsec = x != NULL ? x->mtimens % 1000000000 : 0;
	}
	return ts[0].tv_nsec != UTIME_OMIT || ts[1].tv_nsec != UTIME_OMIT;
}

static int
settimes(char *pp, Dir *d, Dirx *x)
{
	struct timespec ts[2];

	if(!wstattimes(d, x, ts))
		return 0;
	return utimensat(AT_FDCWD, pp, ts, 0);
}

static int
fswstatx(Chan *c, uchar *db, int n, Dirx *x)
{
	Fsfile *f = c->aux;
	Dir d;
	struct stat st;
	char *strs, *rel = NULL, pp[64];
	int fd, r = 0;
	if(unserved(c))
		return kseterr(Eungranted);
	if(isrdonly(c) < 0)
		return -1;
	strs = kmalloc(n);
	if(convM2D(db, n, &d, strs) == 0){
		free(strs);
		return kseterr(Ebadstat);
	}
	/* an open Chan's own descriptor: its name may be stale (renamed
	 * through another Chan), the file it has open is not */
	fd = f->fd >= 0 ? f->fd : fsresolvec(c, O_PATH);
	if(fd < 0 || fstat(fd, &st) < 0){
		r = fserr();
		goto Out;
	}
	if(kernelfs(fd, &st)){
		r = kseterr(Eperm);
		goto Out;
	}
	fsprocpath(pp, fd);
	if(d.length != -1 && d.length != (S_ISDIR(st.st_mode) ? 0 : st.st_size)){
		int tr;
		if(S_ISDIR(st.st_mode) || d.length < 0){
			r = kseterr(Ebadarg);
			goto Out;
		}
		/* only regular files (a fifo's open to write would block) */
		if(!S_ISREG(st.st_mode)){
			r = kseterr(Eperm);
			goto Out;
		}
		/* the inode fd holds, checked above: not what rel names now.
		 * An open for writing truncates through its own descriptor
		 * (Linux's ftruncate: no permission asked again); else the
		 * file is truncated by its /proc/self/fd name, not opened,
		 * as Linux's truncate: a watch sees IN_MODIFY alone, no
		 * IN_OPEN and IN_CLOSE_WRITE of an open of ours */
		if(f->fd >= 0 && (c->flag & COPEN) && (c->mode & 3) != OREAD)
			tr = ftruncate(f->fd, d.length);
		else
			tr = truncate(pp, d.length);
		if(tr < 0){
			r = fserr();
			goto Out;
		}
	}
	if(d.mode != (ulong)~0UL && (d.mode & 0xFFFFFFFFUL) != 0xFFFFFFFFUL){
		if(((d.mode & DMDIR) != 0) != (S_ISDIR(st.st_mode) != 0)){
			r = kseterr(Eperm);
			goto Out;
		}
		if(chmod(pp, (d.mode & 0777) | hostspecial(d.mode, &st)) < 0){
			r = fserr();
			goto Out;
		}
	}
	if(settimes(pp, &d, x) < 0){
		r = fserr();
		goto Out;
	}
	rel = relget(f);
	if(d.name[0] != 0 && strcmp(d.name, lastname(rel)) != 0){
		char *parent, *nr;
		int pfd;
		if(jailtop(c, rel) || strcmp(d.name, ".") == 0 || strcmp(d.name, "..") == 0 || strchr(d.name, '/') != NULL){
			r = kseterr(Ewstatname);
			goto Out;
		}
		parent = kstrdup(rel);
		relparent(parent);
		nr = joinrel(parent, d.name);
		pfd = fsresolve(c, parent, O_PATH | O_DIRECTORY, 0);
		if(nr == NULL || pfd < 0 || syscall(SYS_renameat2, pfd, lastname(rel), pfd, d.name, RENAME_NOREPLACE) < 0){
			r = nr == NULL ? -1 : fserr();
			if(pfd >= 0)
				close(pfd);
			free(parent);
			free(nr);
			goto Out;
		}
		close(pfd);
		free(parent);
		setrel(f, nr);
	}
Out:
	if(fd >= 0 && fd != f->fd)
		close(fd);
	/* a shrink gives back; pages its shared mappings made are charged
	 * now, and past the bound a wstat that changes neither length, mode
	 * nor name fails: one that did, did */
	if(f->anon && anoncharge(f->anon, 0) < 0 && r == 0 && d.length == -1 && d.name[0] == 0
	&& (d.mode & 0xFFFFFFFFUL) == 0xFFFFFFFFUL)
		r = -1;
	free(rel);
	free(strs);
	return r;
}

static int
fswstat(Chan *c, uchar *db, int n)
{
	return fswstatx(c, db, n, NULL);
}

static void
fsinitdev(void)
{
	fsinit();
}

/* c's file opened anew: Linux's open of /proc/self/fd/N, which opens
 * the file c has open (its inode), whatever its name is now — renamed
 * through another Chan, or removed.  The host's own /proc/self/fd name
 * of c's descriptor does that, with the host's permission check of the
 * file for omode; it reaches no file c does not already hold. */
static Chan *
fsreopen(Chan *c, int omode)
{
	Fsfile *f = c->aux, *nf;
	struct stat st;
	Chan *nc;
	char *rel;
	int fd;

	if(f->fd < 0 || (c->qid.type & QTDIR))
		return kseterrp(Eperm);
	if(((omode & 3) != OREAD && (omode & 3) != OEXEC) || (omode & (OTRUNC|ORCLOSE)))
		if(isrdonly(c) < 0)
			return NULL;
	/* what f->fd holds first: a FIFO or socket node made here is held
	 * by an O_PATH descriptor, and opening it would reach the host's */
	if(HC(fstat(f->fd, &st)) < 0 || !S_ISREG(st.st_mode))
		return kseterrp(Eperm);
	fd = HC(reopenfd(f->fd, hostflags(omode) | O_CLOEXEC | O_NOCTTY));
	if(fd < 0)
		return kseterrp(oserrstr(errno));
	nc = newchan();
	nc->type = c->type;
	nc->dev = c->dev;
	nc->path = c->path;
	if(nc->path != NULL)
		incref(&nc->path->ref);
	rel = relget(f);
	nf = newfile(f, rel);
	free(rel);
	nf->anon = anonget(f->anon);
	nc->aux = nf;
	if(keepfd(nf, fd) < 0){
		cclose(nc);
		return NULL;
	}
	nc->qid = statqid(&st);
	nc->mode = omode & 3;
	nc->flag |= COPEN;
	nc->offset = 0;
	return nc;
}

/* name in dir a hard link to c's file: the file by a confined O_PATH
 * descriptor, linked through its /proc/self/fd name (linkat with
 * AT_EMPTY_PATH needs a capability), beside a confined descriptor of
 * dir.  A symbolic link is linked itself, as link(2) does. */
static int
fslink(Chan *c, Chan *dir, char *name)
{
	Fsfile *f = c->aux;
	char proc[64];
	int fd, dfd, r;

	if(f->anon)
		return kseterr(Enonexist);	/* a memfd has no name to link or move */
	if(unserved(c) || unserved(dir))
		return kseterr(Eungranted);
	if(c->dev != dir->dev || !samegrant(c, dir))
		return ksetosErr(EXDEV);
	if(isrdonly(dir) < 0)
		return -1;
	if(!plainname(name))
		return kseterr(Efilename);
	if(c->qid.type & QTDIR)
		return ksetosErr(EPERM);
	fd = fsresolvec(c, O_PATH | O_NOFOLLOW);
	if(fd < 0)
		return fserr();
	dfd = fsresolvec(dir, O_PATH | O_DIRECTORY);
	if(dfd < 0){
		r = fserr();
		close(fd);
		return r;
	}
	fsprocpath(proc, fd);
	if(nokernelfs(dfd) < 0)
		r = -1;
	else
		r = HC(linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW)) < 0 ? fserr() : 0;
	close(fd);
	close(dfd);
	return r;
}

/* c's file moved to name in dir, both of this instance: renameat
 * between confined descriptors of the two parents (the file checked to
 * be c's, as a remove checks).  The host's answer is Linux's: a target
 * replaced, ENOTEMPTY, EISDIR, EINVAL for a directory moved into itself. */
static int
fsmove(Chan *c, Chan *dir, char *name)
{
	Fsfile *f = c->aux;
	char *rel, *drel, *parent, *nr;
	int pfd, dfd, isdir, r;

	if(f->anon)
		return kseterr(Enonexist);	/* a memfd has no name to link or move */
	if(unserved(c) || unserved(dir))
		return kseterr(Eungranted);
	if(c->dev != dir->dev || !samegrant(c, dir))
		return ksetosErr(EXDEV);	/* as Linux's between two bind mounts */
	if(isrdonly(dir) < 0)
		return -1;
	rel = relget(f);
	if(jailtop(c, rel) || !plainname(name)){
		r = jailtop(c, rel) ? ksetosErr(EBUSY) : kseterr(Efilename);	/* the top, or a grant's */
		free(rel);
		return r;
	}
	drel = relget(dir->aux);
	parent = kstrdup(rel);
	relparent(parent);
	pfd = fsresolve(c, parent, O_PATH | O_DIRECTORY, 0);
	dfd = pfd < 0 ? -1 : fsresolve(dir, drel, O_PATH | O_DIRECTORY, 0);
	r = 0;
	if(pfd < 0 || dfd < 0)
		r = fserr();
	else if(nokernelfs(pfd) < 0 || nokernelfs(dfd) < 0 || samefile(c, pfd, lastname(rel), &isdir) < 0)
		r = -1;
	else if(HC(renameat(pfd, lastname(rel), dfd, name)) < 0)
		r = fserr();
	else{
		nr = joinrel(drel, name);
		if(nr != NULL)
			setrel(f, nr);
	}
	if(pfd >= 0)
		close(pfd);
	if(dfd >= 0)
		close(dfd);
	free(parent);
	free(drel);
	free(rel);
	return r;
}

/*
 * Symbolic links (Dev.symlink and the rest): name in directory dir
 * itself, by one *at call on a confined descriptor of dir, never
 * followed.  A link made here may name anything; every resolution in
 * the tree is confined (fsresolve), so it leads nowhere outside.
 *
 * The descriptor is the top's own for a name at the top, the one dir's
 * walk kept for this op (fswalkpath's Wlinkdir: resolved from the top a
 * moment before, in the same kernel call, as a walk's descriptors are),
 * or dir's path resolved again.  *st is its stat where known (the
 * walk's), else st_mode 0.  linkput lets it go.
 */
static int
linkparent(Chan *dir, char *name, struct stat *st)
{
	Fsfile *df = dir->aux;
	char *rel;
	int dfd, top;

	if(unserved(dir))
		return kseterr(Eungranted);
	if(!plainname(name))
		return kseterr(Efilename);
	st->st_mode = 0;
	rel = relget(df);
	top = jailtop(dir, rel);
	free(rel);
	if(top)
		return jailfd(dir);
	if(df->linkfd >= 0){
		dfd = df->linkfd;
		df->linkfd = -1;
		*st = df->wst;
		return dfd;
	}
	dfd = fsresolvec(dir, O_PATH | O_DIRECTORY);
	return dfd < 0 ? fserr() : dfd;
}

static void
linkput(Chan *dir, int dfd)
{
	if(dfd != jailfd(dir))
		HC(close(dfd));
}

/* linkparent for a call that changes dir (or reads a host kernel
 * interface's link: /proc's name host paths and processes), refused on
 * such a file system. */
static int
linkparentchange(Chan *dir, char *name)
{
	struct stat st;
	int dfd, r;

	if((dfd = linkparent(dir, name, &st)) < 0)
		return -1;
	if(dfd == ROOTFD(dir))
		r = insts[dir->dev].kernelfs ? kseterr(Eperm) : 0;
	else if(st.st_mode != 0)
		r = kernelfs(dfd, &st) ? kseterr(Eperm) : 0;
	else
		r = nokernelfs(dfd);
	if(r < 0){
		linkput(dir, dfd);
		return -1;
	}
	return dfd;
}

static int
fssymlink(Chan *dir, char *name, char *target)
{
	int dfd, r;

	if(isrdonly(dir) < 0 || (dfd = linkparentchange(dir, name)) < 0)
		return -1;
	r = HC(symlinkat(target, dfd, name)) < 0 ? fserr() : 0;
	linkput(dir, dfd);
	return r;
}

/* Is name in dfd a link?  0 if so, else -1 with Enotlink (or the
 * host's error) */
static int
islink(int dfd, char *name, struct stat *st)
{
	if(HC(fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW)) < 0)
		return fserr();
	return S_ISLNK(st->st_mode) ? 0 : kseterr(Enotlink);
}

static long
fsreadlink(Chan *dir, char *name, char *buf, long n)
{
	int dfd;
	long r;

	if((dfd = linkparentchange(dir, name)) < 0)
		return -1;
	r = HC(readlinkat(dfd, name, buf, n));
	if(r < 0)
		r = errno == EINVAL ? kseterr(Enotlink) : fserr();
	linkput(dir, dfd);
	return r;
}

static int
fslstat(Chan *dir, char *name, uchar *db, int n, Dirx *x)
{
	Fsfile tmp;
	struct stat st;
	Dir d;
	int dfd, r;

	if((dfd = linkparent(dir, name, &st)) < 0)
		return -1;
	r = HC(fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW));
	if(r == 0 && x != NULL && x->want != 0)
		statxat(dfd, name, AT_SYMLINK_NOFOLLOW, x);
	linkput(dir, dfd);
	if(r < 0)
		return fserr();
	memset(&tmp, 0, sizeof tmp);
	stat2dir(dir, &st, name, &tmp, &d);
	if(S_ISLNK(st.st_mode))
		linkdir(&d);
	r = convD2M(&d, db, n);
	if(r == 0)
		return kseterr(Eshortstat);
	if(x != NULL)
		stat2dirx(&st, x);
	return r;
}

static int
fsrmlink(Chan *dir, char *name)
{
	struct stat st;
	int dfd, r;

	if(isrdonly(dir) < 0 || (dfd = linkparentchange(dir, name)) < 0)
		return -1;
	r = islink(dfd, name, &st);
	if(r == 0 && HC(unlinkat(dfd, name, 0)) < 0)
		r = fserr();
	linkput(dir, dfd);
	return r;
}

static int
fslinktimes(Chan *dir, char *name, Dir *d, Dirx *x)
{
	struct timespec ts[2];
	struct stat st;
	int dfd, r;

	if(isrdonly(dir) < 0 || (dfd = linkparentchange(dir, name)) < 0)
		return -1;
	wstattimes(d, x, ts);
	r = islink(dfd, name, &st);
	if(r == 0 && HC(utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW)) < 0)
		r = fserr();
	linkput(dir, dfd);
	return r;
}

/* The host's statfs of the file system holding c's file; a read-only
 * instance says so whatever the host's mount does. */
static int
fsstatfs(Chan *c, Fsstat *s)
{
	Fsfile *f = c->aux;
	struct statfs h;
	int fd, r;

	if(unserved(c))
		return kseterr(Eungranted);
	fd = f->fd >= 0 ? f->fd : fsresolvec(c, O_PATH);
	if(fd < 0)
		return fserr();
	r = HC(fstatfs(fd, &h));
	if(fd != f->fd)
		close(fd);
	if(r < 0)
		return fserr();
	s->type = h.f_type;
	s->bsize = h.f_bsize;
	s->frsize = h.f_frsize;
	s->blocks = h.f_blocks;
	s->bfree = h.f_bfree;
	s->bavail = h.f_bavail;
	s->files = h.f_files;
	s->ffree = h.f_ffree;
	s->namelen = h.f_namelen;
	s->flags = h.f_flags;
	if(insts[c->dev].readonly)
		s->flags |= FSRDONLY;
	return 0;
}

/*
 * An open Chan of an anonymous file in host memory (Linux's
 * memfd_create, kmemfd): a host memfd held as an open '#U' file, so
 * that read, write, stat, truncation and mappings (kfdkind's host
 * descriptor) are a host file's, but with no name in any tree: its path
 * is only what /proc/self/fd shows, "/memfd:name (deleted)".  hostflags
 * go to the host's memfd_create (sealing).
 */
Chan *
fsmemchan(const char *name, unsigned hostflags)
{
	char path[300];
	struct stat st;
	Fsfile *f;
	Chan *c;
	int hfd, t;

	t = devno('U', 0);
	if(t < 0 || strlen(name) > 255)
		return kseterrp(Ebadarg);
	hfd = memfd_create(name, hostflags | MFD_CLOEXEC);
	if(hfd < 0)
		return kseterrp(oserrstr(errno));
	if(fstat(hfd, &st) < 0){
		close(hfd);
		return kseterrp(oserrstr(errno));
	}
	f = newfile(NULL, "");
	if(keepfd(f, hfd) < 0){
		freefile(f);
		return NULL;
	}
	f->anon = newanon(hfd, f->acct);
	c = newchan();
	c->type = t;
	c->dev = 0;
	c->aux = f;
	c->qid = statqid(&st);
	c->mode = ORDWR;
	c->flag |= COPEN;
	c->offset = 0;
	snprintf(path, sizeof path, "/memfd:%s (deleted)", name);
	c->path = newpath(path);
	return c;
}

Dev fsdevtab = {
	'U', "fs",
	fsinitdev, fsattach, fswalk, fsstat, fsopen, fscreate,
	fsclose, fsread, fswrite, fsremove, fswstat, NULL,
	Walkmany, fswalkpath, fsdirnames, fsreopen, fslink, fsmove,
	fsstatx, fswstatx, fsstatfs,
	fssymlink, fsreadlink, fslstat, fsrmlink, fslinktimes,
	fsdirlist,
};
