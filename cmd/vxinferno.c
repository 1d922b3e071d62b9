/*
 * vxinferno — run a Linux i386 program in an Inferno namespace.
 *
 *	vxinferno [-htRN] [-r dir] [-n nsfile] [-b new:old[:ro|rw]] [-B new:old[:ro|rw]]
 *		[-e VAR=val] [-m MB] [-M MB] [-F fds] [-P threads] [-c seconds] [-u user]
 *		[-x addr] prog [args...]
 *
 * Only argument handling and wiring: the kernel (kernel.h) builds the
 * namespace, vxrun (vxrun.h) runs the guest.  See doc/vxinferno.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <nss.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "asan.h"
#include "kernel.h"
#include "vx.h"
#include "vxrun.h"

enum {
	MAXENV = 256,
	MAXBIND = 64,
	STOPWAIT = 2,		/* seconds guests get to end after SIGINT/SIGTERM */
	SIGXCPUSTATUS = 128 + 24,
};

typedef struct Bind {
	char *new;
	char *old;
	int flag;
	int host;		/* -b/-B new:old:ro|rw — new is a host directory (Hro, Hrw) */
} Bind;

enum { Hnone, Hrw, Hro };

static char *argv0 = "vxinferno";

#define USAGE "usage: vxinferno [-htRN] [-r dir] [-n nsfile] [-b new:old[:ro|rw]] [-B new:old[:ro|rw]] " \
	"[-e VAR=val] [-m MB] [-M MB] [-F fds] [-P threads] [-c seconds] [-u user] [-x addr] prog [args...]"

static _Noreturn void fatal(int status, const char *fmt, ...);

/* -h: the usage on stdout, status 0; nothing to run: on stderr, status 2 */
static _Noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr, "%s\n", USAGE);
	exit(status);
}

/* A flag getopt refused: one line, as every error, with the usage in it. */
static _Noreturn void
badflag(int c, int opt)
{
	if(c == ':')
		fatal(2, "-%c wants an argument; %s", opt, USAGE);
	fatal(2, "unknown flag -%c; %s", opt, USAGE);
}

/* -M, -F, -P: a count from 1 to max, or "none" (-1: no bound) */
static long long
boundarg(int c, const char *s, long long max, const char *what)
{
	long long n;
	char *end;

	if(strcmp(s, "none") == 0)
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if(errno != 0 || *end != 0 || end == s || n < 1 || n > max)
		fatal(2, "-%c %s: want %s from 1 to %lld, or none", c, s, what, max);
	return n;
}

static _Noreturn void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", argv0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(status);
}

/* The nearest directory that exists on dir's path (dir itself, or the
 * one its missing components would be made in), opened; -1 if none.
 * The length of its name in dir in *len, if len is not NULL. */
static int
nearestdir(const char *dir, size_t *len)
{
	char d[4096], *sl;
	int fd;

	snprintf(d, sizeof d, "%s", dir);
	while((fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 && (sl = strrchr(d, '/')) != NULL && sl != d)
		*sl = 0;
	if(len != NULL)
		*len = strlen(d);
	return fd;
}

/* Is directory dir (or, while it does not exist yet, the nearest that
 * does on its path), or a directory above it, the host directory top?
 * (By device and inode, walking up with "..": symlinks and other names
 * for either do not hide it.) */
static int
within(const char *dir, const char *top)
{
	struct stat st, tt, up;
	int fd, nfd, depth, r = 0;

	fd = nearestdir(dir, NULL);
	if(fd < 0 || stat(top, &tt) < 0){
		if(fd >= 0)
			close(fd);
		return 0;
	}
	for(depth = 0; depth < 4096 && fstat(fd, &st) == 0; depth++){
		if(st.st_dev == tt.st_dev && st.st_ino == tt.st_ino){
			r = 1;
			break;
		}
		if((nfd = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fstat(nfd, &up) < 0){
			if(nfd >= 0)
				close(nfd);
			break;
		}
		close(fd);
		fd = nfd;
		if(up.st_dev == st.st_dev && up.st_ino == st.st_ino)
			break;	/* the root */
	}
	close(fd);
	return r;
}

/*
 * The host's mount table (/proc/self/mountinfo), for guestreach: a
 * mount's device, the directory of its file system it shows (its
 * "root": a bind mount shows a subdirectory), where it is mounted, and
 * what guests writing through it may write besides: an overlay's upper
 * directory, a FUSE file system's anything (bindfs of HOME).
 */
typedef struct Mnt {
	char dev[32];
	char *root;
	char *at;
	char *upper;	/* overlay: its upperdir, or NULL */
	int fuse;
} Mnt;

static Mnt *mnts;
static int nmnt = -1;	/* -1: not read yet */

/* mountinfo's octal escapes (\040 for a blank...) undone in place. */
static void
unoctal(char *s)
{
	char *d = s;

	for(; *s; s++)
		if(s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7'){
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		}else
			*d++ = *s;
	*d = 0;
}

/* An overlay's upperdir= among its options o, unescaped, or NULL. */
static char *
upperdir(const char *o)
{
	const char *u = strstr(o, "upperdir=");
	char *v;
	size_t n;

	if(u == NULL || (u != o && u[-1] != ','))
		return NULL;
	u += 9;
	for(n = 0; u[n] && u[n] != ',' && u[n] != '\n'; n++)
		if(u[n] == '\\' && u[n + 1])
			n++;
	if((v = strndup(u, n)) != NULL)
		unoctal(v);
	return v;
}

/* Read the mount table once; -1 if it cannot be read whole. */
static int
loadmounts(void)
{
	char *line = NULL, *f[5], *p, *w, *type, *opts;
	size_t cap = 0;
	FILE *fp;
	Mnt *nm, *m;
	int i, a = 0, r = 0;

	if(nmnt >= 0)
		return 0;
	if((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -1;
	nmnt = 0;
	while(r == 0 && getline(&line, &cap, fp) > 0){
		/* id parent major:minor root mountpoint options [optional...] - type source superoptions */
		for(p = line, i = 0; i < 5 && (f[i] = strsep(&p, " \n")) != NULL; i++)
			;
		while((w = strsep(&p, " \n")) != NULL && strcmp(w, "-") != 0)
			;
		type = strsep(&p, " \n");
		strsep(&p, " \n");
		opts = strsep(&p, " \n");
		if(i < 5 || type == NULL || opts == NULL){
			r = -1;
			break;
		}
		if(nmnt == a){
			a = a ? 2 * a : 64;
			if((nm = realloc(mnts, a * sizeof *mnts)) == NULL){
				r = -1;
				break;
			}
			mnts = nm;
		}
		m = &mnts[nmnt];
		unoctal(f[3]);
		unoctal(f[4]);
		snprintf(m->dev, sizeof m->dev, "%s", f[2]);
		m->fuse = strcmp(type, "fuse") == 0 || strncmp(type, "fuse.", 5) == 0 || strcmp(type, "fuseblk") == 0;
		m->upper = strcmp(type, "overlay") == 0 ? upperdir(opts) : NULL;
		if((m->root = strdup(f[3])) == NULL || (m->at = strdup(f[4])) == NULL)
			r = -1;
		else
			nmnt++;
	}
	free(line);
	fclose(fp);
	return r;
}

/* Is path p top, or below it (by name)? */
static int
pathunder(const char *p, const char *top)
{
	size_t n = strlen(top);

	if(n == 1 && top[0] == '/')
		return p[0] == '/';
	return strncmp(p, top, n) == 0 && (p[n] == 0 || p[n] == '/');
}

/* Where the host path p (absolute, no symlinks, no . or ..) is in its
 * file system: the mount it is in (the last mounted of those whose
 * mount point holds it), and its path from that file system's top in
 * loc.  NULL if no mount holds it. */
static const Mnt *
fsloc(const char *p, char *loc, size_t nloc)
{
	const Mnt *m = NULL;
	size_t best = 0, n;
	const char *rest;
	int i;

	for(i = 0; i < nmnt; i++)
		if(pathunder(p, mnts[i].at) && (n = strlen(mnts[i].at)) >= best){
			best = n;
			m = &mnts[i];
		}
	if(m == NULL)
		return NULL;
	rest = p + (strcmp(m->at, "/") == 0 ? 0 : best);
	snprintf(loc, nloc, "%s%s", strcmp(m->root, "/") == 0 && rest[0] ? "" : m->root, rest);
	return m;
}

/*
 * Can a guest given host directory top reach canon (an absolute path
 * without symlinks, . or ..), or change what one of the directories on
 * its way is?  It reaches everything below top in top's file system,
 * and whatever is mounted below top, which devfs walks into: a bind of
 * HOME's parent under the root; through an overlay it writes its upper
 * directory, and through FUSE (bindfs of HOME) whatever the daemon
 * serves, which cannot be told.  Each directory on canon's way is
 * placed in its file system by its name and the mount table (a HOME
 * on a bind of a directory inside the root is in the root's tree,
 * whatever its name says), so a guest's rename or symlink in one it
 * can write cannot lead the check and the open that follows to two
 * different places: a directory it can change is on the way, and
 * refused.  1 if so, through top's own tree; 2 through a mount (or
 * an overlay's upper directory, or a FUSE mount) at or below top,
 * named in via; 0 if not; -1 when the mount table cannot be read.
 */
enum { MAXUPPER = 16 };

static int
guestreach(const char *canon, const char *top, char *via, size_t nvia)
{
	char rt[PATH_MAX], up[PATH_MAX], p[4096], loc[2 * 4096], tloc[2 * 4096], *sl;
	char *uloc[MAXUPPER];
	const Mnt *m, *tm, *um, *ov[MAXUPPER];
	const char *udev[MAXUPPER];
	int i, nu = 0, r = -1;

	if(loadmounts() < 0 || realpath(top, rt) == NULL || (tm = fsloc(rt, tloc, sizeof tloc)) == NULL)
		return -1;
	/* the mounts guests write through: top's and those below it */
	for(i = 0; i < nmnt; i++){
		m = &mnts[i];
		if(m != tm && !(pathunder(m->at, rt) && strcmp(m->at, rt) != 0))
			continue;
		if(m->fuse){
			snprintf(via, nvia, "%s (FUSE)", m->at);
			r = 2;
			goto out;
		}
		/* an upper directory not found by its name here (a
		 * container's root, made outside its namespace) holds
		 * nothing this process names */
		if(m->upper == NULL || realpath(m->upper, up) == NULL)
			continue;
		if(nu == MAXUPPER || (um = fsloc(up, loc, sizeof loc)) == NULL || (uloc[nu] = strdup(loc)) == NULL)
			goto out;
		udev[nu] = um->dev;
		ov[nu++] = m;
	}
	snprintf(p, sizeof p, "%s", canon);
	for(;;){
		if((m = fsloc(p, loc, sizeof loc)) == NULL)
			goto out;
		if(strcmp(m->dev, tm->dev) == 0 && pathunder(loc, tloc)){
			r = 1;
			goto out;
		}
		for(i = 0; i < nmnt; i++)
			if(pathunder(mnts[i].at, rt) && strcmp(mnts[i].at, rt) != 0
			&& strcmp(m->dev, mnts[i].dev) == 0 && pathunder(loc, mnts[i].root)){
				snprintf(via, nvia, "%s", mnts[i].at);
				r = 2;
				goto out;
			}
		for(i = 0; i < nu; i++)
			if(strcmp(m->dev, udev[i]) == 0 && pathunder(loc, uloc[i])){
				snprintf(via, nvia, "the upper directory of the overlay at %s", ov[i]->at);
				r = 2;
				goto out;
			}
		if(strcmp(p, "/") == 0){
			r = 0;
			goto out;
		}
		sl = strrchr(p, '/');
		if(sl == p)
			sl[1] = 0;
		else
			*sl = 0;
	}
out:
	while(nu > 0)
		free(uloc[--nu]);
	return r;
}

/*
 * dir as the directory it names will be made and opened: the nearest
 * directory on its path that exists, without symlinks (realpath), and
 * the names still to be made below it.  -1, said in why, if one of
 * those is . or .. (mkdir -p would go through a directory it just made
 * to one the check of the existing one did not look at:
 * HOME=/h/missing/../../root), or the name is too long.
 */
static int
canonical(const char *dir, char *canon, size_t ncanon, char *why, size_t nwhy)
{
	char d[4096], rp[PATH_MAX], *rest, *name, *save;
	size_t n, k;
	int fd;

	if((fd = nearestdir(dir, &n)) < 0){
		snprintf(why, nwhy, "%s: no directory on its path", dir);
		return -1;
	}
	close(fd);
	memcpy(d, dir, n);
	d[n] = 0;
	if(realpath(d, rp) == NULL){
		snprintf(why, nwhy, "%s: %s", d, strerror(errno));
		return -1;
	}
	k = snprintf(canon, ncanon, "%s", strcmp(rp, "/") == 0 ? "" : rp);
	snprintf(d, sizeof d, "%s", dir + n);
	for(rest = d; (name = strtok_r(rest, "/", &save)) != NULL; rest = NULL){
		if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0){
			snprintf(why, nwhy, "%s: . or .. after a directory that does not exist", dir);
			return -1;
		}
		if(k < ncanon)
			k += snprintf(canon + k, ncanon - k, "/%s", name);
	}
	if(k == 0)
		k = snprintf(canon, ncanon, "/");
	if(k >= ncanon){
		snprintf(why, nwhy, "%.64s...: too long", dir);
		return -1;
	}
	return 0;
}

/*
 * Whoever can write the cache directory can put code into this process
 * (doc/translator.md, "Trust"): never a guest.  The host directories
 * the guests (and an export's clients) can write are the root, unless
 * -R, and the -b/-B host:old:rw binds: why dir is inside one of them,
 * in why, or 0.
 */
static int
tcacheguest(const char *dir, const char *canon, const char *root, int readonly, Bind *binds, int nbind, char *why, size_t nwhy)
{
	char via[4096];
	const char *top;
	int i, r;

	for(i = readonly ? 0 : -1; i < nbind; i++){
		if(i >= 0 && binds[i].host != Hrw)
			continue;
		top = i < 0 ? root : binds[i].new;
		r = within(canon, top) ? 1 : guestreach(canon, top, via, sizeof via);
		if(r < 0){
			snprintf(why, nwhy, "%s: cannot tell whether guests reach it (no /proc/self/mountinfo, or %s not found)", dir, top);
			return 1;
		}
		if(r == 0)
			continue;
		if(r == 2)
			snprintf(why, nwhy, "%s is inside %s, mounted inside %s%s, which guests can write%s", dir, via,
				i < 0 ? "the root " : "", top, i < 0 ? " (-R makes it read-only)" : "");
		else
			snprintf(why, nwhy, "%s is inside %s%s, which guests can write%s", dir,
				i < 0 ? "the root " : "", top, i < 0 ? " (-R makes it read-only)" : "");
		return 1;
	}
	return 0;
}

/*
 * Why the default cache directory, unasked for, will not do, in why;
 * 0 if it will.  Beyond the rules every cache directory keeps
 * (tcacheguest, vx_tcache's), the default is not made where it would
 * not be this user's own (HOME of another user under sudo: the
 * directories made would be root's in their home), on a read-only
 * file system, one with less free than a file may take (DEFFREE: on a
 * full disk every run would translate and write a file in vain), or on
 * a network one (each load touches the file's mtime and maps the file:
 * round trips to a server at every start, and, with NFS's usual
 * AUTH_SYS, files the root of any client machine can write).  VXCACHE=on or a directory
 * still use such a place when asked.
 */
enum { DEFFREE = 64 << 20 };	/* libvx's largest file (tcache.c, TCFILEMAX) */

static int
tcdefaultbad(const char *dir, char *why, size_t nwhy)
{
	static const struct { long magic; const char *name; } net[] = {
		{0x6969, "NFS"}, {0xff534d42, "CIFS"}, {0xfe534d42, "SMB2"}, {0x517b, "SMB"},
		{0x5346414f, "AFS"}, {0x01021997, "9P"}, {0x00c36400, "Ceph"}, {0x65735546, "FUSE"},
	};
	struct statfs sf;
	struct stat st;
	size_t i;
	int fd;

	if(vx_engine() != VX_ENGINE_LONG){
		snprintf(why, nwhy, "the %s engine keeps no translations", vx_engine() ? vx_enginename(vx_engine()) : "no");
		return 1;
	}
	if((fd = nearestdir(dir, NULL)) < 0){
		snprintf(why, nwhy, "%s: no directory on its path", dir);
		return 1;
	}
	if(fstat(fd, &st) < 0 || fstatfs(fd, &sf) < 0){
		snprintf(why, nwhy, "%s: %s", dir, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	if(st.st_uid != geteuid()){
		snprintf(why, nwhy, "%s: the nearest directory on its path that exists is another user's", dir);
		return 1;
	}
	if(sf.f_flags & ST_RDONLY){
		snprintf(why, nwhy, "%s: a read-only file system", dir);
		return 1;
	}
	if((uint64_t)sf.f_bavail * (uint64_t)sf.f_bsize < DEFFREE){
		snprintf(why, nwhy, "%s: less than %d MiB free", dir, DEFFREE >> 20);
		return 1;
	}
	for(i = 0; i < sizeof net / sizeof net[0]; i++)
		if((unsigned long)sf.f_type == (unsigned long)net[i].magic){
			snprintf(why, nwhy, "%s: on %s, a network file system", dir, net[i].name);
			return 1;
		}
	return 0;
}

/* VXCACHEMAX=MB in bytes; 0, the default bound, when unset or bad
 * (said always). */
static uint64_t
tcachemax(void)
{
	const char *m = getenv("VXCACHEMAX");
	char *end;
	long mb;

	if(m == NULL)
		return 0;
	mb = strtol(m, &end, 10);
	if(*end == 0 && end != m && mb > 0 && mb < 1L << 20)
		return (uint64_t)mb << 20;
	fprintf(stderr, "%s: VXCACHEMAX=%s: want megabytes from 1 to %ld; the default bound\n", argv0, m, (1L << 20) - 1);
	return 0;
}

/*
 * The persistent translation cache (libvx/tcache.c).  By default (no
 * VXCACHE, or empty) $XDG_CACHE_HOME/vxinferno or else
 * $HOME/.cache/vxinferno, made 0700, where the trust rules (tcacheguest,
 * vx_tcache) and tcdefaultbad accept it; where they do not, silently (-t says why)
 * what VXCACHE=memory asks for: the translations kept in memory for
 * this run's later sandboxes of a program only (vx_tcmemory: a shell
 * loop's spawns).  VXCACHE=on asks for the same directory and
 * VXCACHE=/dir for dir, and say why when they cannot have it;
 * VXCACHE=off keeps nothing.  VXCACHEMAX=MB bounds the directory
 * (default 256).  Default since session 25: measured on this host a
 * warm cache takes 32% off python3's start and 39% off a gcc -c, and a
 * first run costs 28% and 34% more (it records and writes the file),
 * so it pays from a program's second run (doc/bench.md, "The persistent cache by
 * default").  A directory others can write (vx_tcache's "unsafe") or
 * one inside what guests can write (tcacheguest), asked for, is said
 * always; a directory that cannot be made, with -t only.
 */
static void
tcacheinit(int trace, const char *root, int readonly, Bind *binds, int nbind)
{
	char dir[4096], canon[4096], err[VX_ERRLEN], why[3 * 4096];
	const char *v = getenv("VXCACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	int dflt = v == NULL || v[0] == 0, dn;
	uint64_t max;

	if(!dflt && strcmp(v, "off") == 0){
		if(trace)
			fprintf(stderr, "%s: tcache off (VXCACHE=off)\n", argv0);
		return;
	}
	if(!dflt && strcmp(v, "memory") == 0){
		vx_tcmemory(1);
		if(trace)
			fprintf(stderr, "%s: tcache in memory\n", argv0);
		return;
	}
	if(!dflt && v[0] == '/')
		dn = snprintf(dir, sizeof dir, "%s", v);
	else if(!dflt && strcmp(v, "on") != 0){
		fprintf(stderr, "%s: VXCACHE=%s: want on, off, memory or an absolute directory; no translation cache\n", argv0, v);
		return;
	}else if(x != NULL && x[0] == '/')
		dn = snprintf(dir, sizeof dir, "%s/vxinferno", x);
	else if(h != NULL && h[0] == '/')
		dn = snprintf(dir, sizeof dir, "%s/.cache/vxinferno", h);
	else if(dflt){
		snprintf(why, sizeof why, "no XDG_CACHE_HOME or HOME");
		goto memory;
	}else{
		if(trace)
			fprintf(stderr, "%s: tcache off: VXCACHE=on but no XDG_CACHE_HOME or HOME\n", argv0);
		return;
	}
	max = tcachemax();
	/* checked and opened by one name without symlinks: what a guest
	 * can change on the way is refused (guestreach), the rest cannot
	 * change between the check and vx_tcache's open */
	if(dn >= (int)sizeof dir)
		snprintf(why, sizeof why, "%.64s...: too long", dir);	/* not a shorter name's directory */
	if(dn >= (int)sizeof dir || (dflt && tcdefaultbad(dir, why, sizeof why))
	|| canonical(dir, canon, sizeof canon, why, sizeof why) < 0
	|| tcacheguest(dir, canon, root, readonly, binds, nbind, why, sizeof why)){
		if(dflt)
			goto memory;
		fprintf(stderr, "%s: VXCACHE: %s; no translation cache\n", argv0, why);
		return;
	}
	if(vx_tcache(canon, max, err) < 0){
		if(dflt){
			snprintf(why, sizeof why, "%s", err);
			goto memory;
		}
		if(trace || strstr(err, "unsafe") != NULL)	/* a directory others can write: said always */
			fprintf(stderr, "%s: tcache off: %s\n", argv0, err);
	}else if(trace)
		fprintf(stderr, "%s: tcache %s%s\n", argv0, dir, dflt ? " (the default)" : "");
	return;
memory:
	vx_tcmemory(1);
	if(trace)
		fprintf(stderr, "%s: tcache in memory (the default directory refused: %s)\n", argv0, why);
}

static char *
kerr(void)
{
	static char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	return buf;
}

/* The embedded root: build/root beside the bin/ holding this program. */
static char *
defaultroot(void)
{
	static char path[PATH_MAX + 32];
	char exe[PATH_MAX];
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if(n < 0)
		fatal(1, "cannot find my own executable: %s", strerror(errno));
	exe[n] = 0;
	snprintf(path, sizeof path, "%s/../build/root", dirname(exe));
	if(stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		fatal(1, "no default root at %s (run make, or give -r dir)", path);
	return path;
}

static char *
readhost(const char *file)
{
	FILE *f;
	char *buf;
	long n;

	f = fopen(file, "r");
	if(f == NULL)
		fatal(1, "%s: %s", file, strerror(errno));
	if(fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > 1 << 20 || fseek(f, 0, SEEK_SET) < 0)
		fatal(1, "%s: cannot read (or larger than 1 MiB)", file);
	buf = malloc(n + 1);
	if(buf == NULL || fread(buf, 1, n, f) != (size_t)n)
		fatal(1, "%s: read error", file);
	buf[n] = 0;
	fclose(f);
	if(strlen(buf) != (size_t)n)	/* the text would end there, the rest unread */
		fatal(1, "%s: a NUL byte at offset %zu", file, strlen(buf));
	return buf;
}

/* -b/-B new:old binds namespace paths; new:old:ro and new:old:rw make
 * new a host directory, served by its own #U instance (read-only with
 * ro) and bound at old. */
static void
parsebind(Bind *b, char *arg, int flag)
{
	char *colon, *mode;

	colon = strchr(arg, ':');
	if(colon == NULL || colon == arg || colon[1] == 0)
		fatal(2, "bind '%s': want new:old or hostdir:old:ro|rw", arg);
	*colon = 0;
	b->new = arg;
	b->old = colon + 1;
	b->flag = flag;
	b->host = Hnone;
	mode = strchr(b->old, ':');
	if(mode == NULL)
		return;
	*mode++ = 0;
	if(b->old[0] == 0 || (strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0))
		fatal(2, "bind '%s': want new:old or hostdir:old:ro|rw", arg);
	b->host = strcmp(mode, "ro") == 0 ? Hro : Hrw;
	if(!(b->flag & MBEFORE))
		b->flag |= MCREATE;	/* -b: creates land there (or fail "read-only") */
	else if(b->host == Hro)
		b->flag &= ~MCREATE;	/* -B: creates go on to the next member */
}

/* A host directory bind: a #U instance named bN for it, then the bind.
 * Its errors say which of the two worlds' names failed: the host
 * directory, or the mount point in the namespace. */
static void
hostbind(Bind *b, int i)
{
	char spec[32];

	snprintf(spec, sizeof spec, "#Ub%d", i);
	if(kfsdir(spec + 2, b->new, b->host == Hro) < 0)
		fatal(1, "host directory %s: %s", b->new, kerr());
	if(kbind(spec, b->old, b->flag) < 0)
		fatal(1, "bind %s %s: %s: %s", b->new, b->old, b->old, kerr());
}

/* SIGINT and SIGTERM go to the guests; if they do not end soon, we do. */
static atomic_int spawned;	/* the first guest exists (or existed) */

static void *
sigthread(void *arg)
{
	sigset_t *set;
	int sig, i;

	set = arg;
	for(;;){
		if(sigwait(set, &sig) != 0)
			continue;
		/* even when no guest took the signal (all are already exiting),
		 * a guest that never finishes must not keep us alive */
		if(vxrun_signalall(sig) == 0 && vxrun_nguests() == 0){
			if(atomic_load(&spawned))
				continue;	/* they are all gone: main returns */
			/* before the first guest exists nobody would take it */
			vxrun_restoretty();
			_exit(128 + sig);
		}
		for(i = 0; i < STOPWAIT * 10 && vxrun_nguests() > 0; i++)
			usleep(100000);
		if(vxrun_nguests() > 0){
			fflush(stdout);
			fprintf(stderr, "%s: guests did not stop after signal %d\n", argv0, sig);
			vxrun_restoretty();
			_exit(128 + sig);
		}
	}
	return NULL;
}

/* The index in env of variable name (its first l bytes), or -1. */
static int
envindex(char **env, int n, const char *name, size_t l)
{
	int i;

	for(i = 0; i < n; i++)
		if(strncmp(env[i], name, l) == 0 && env[i][l] == '=')
			return i;
	return -1;
}

static char *
getenvof(char **env, int n, const char *name)
{
	size_t l;
	int i;

	l = strlen(name);
	i = envindex(env, n, name, l);
	return i < 0 ? NULL : env[i] + l + 1;
}

/* Put VAR=value in env, in place of an earlier VAR (a default or an
 * earlier -e): a guest's getenv takes the first of two. */
static void
setenvof(char **env, int *n, char *var)
{
	int i;

	i = envindex(env, *n, var, strchr(var, '=') - var);
	if(i >= 0){
		env[i] = var;
		return;
	}
	if(*n >= MAXENV)
		fatal(2, "too many -e");
	env[(*n)++] = var;
}

/* The host user's name: the kernel's user, and so the uname of mounts.
 * A uid /etc/passwd does not name is $USER, else its number, the name
 * its #U files show as owner (never "none": Inferno's none owns nothing,
 * not even the console it would be given). */
static char *
hostuser(void)
{
	static char name[KNAMELEN], num[KNAMELEN];
	unsigned uid = getuid();
	char *u;

	/* through #U's table: its stats then read /etc/passwd no more */
	khostid(name, 1, uid);
	snprintf(num, sizeof num, "%u", uid);
	if(strcmp(name, num) == 0){	/* none or too long in /etc/passwd: checkuser says why not */
		static char full[256];
		if(khostname(full, sizeof full, 1, uid))
			return full;
	}
	if(name[0] != 0 && strcmp(name, num) != 0)
		return name;
	u = getenv("USER");
	return u != NULL && u[0] != 0 ? u : num;
}

static void
checkuser(char *u)
{
	char *s;

	if(u[0] == 0 || strlen(u) >= KNAMELEN)
		fatal(2, "-u '%s': want a user name of 1 to %d bytes", u, KNAMELEN - 1);
	for(s = u; *s; s++)
		if((unsigned char)*s <= ' ' || *s == 0x7F)
			fatal(2, "-u '%s': no blanks or control characters in a user name", u);
}

/* -N: the host's network (#I) at /net; without it only #I's unix
 * ('#Iunix': sockets local to this kernel, which reach nothing outside),
 * since Linux programs take socketpair and AF_UNIX for granted (python's
 * asyncio makes its wake-up pair with them).  Once the namespace is
 * built, #I can no longer be attached: a guest has the network it was
 * given. */
static int netbound;

/* glibc's shm_open and sem_open make their files in /dev/shm and map
 * them shared: bind the guest's own /tmp there when it has one (without,
 * shm_open fails with ENOENT, as on a Linux without the tmpfs; with a
 * read-only root, EROFS). */
static void
shmdir(void)
{
	Dir *d;

	d = kdirstat("/tmp");
	if(d != NULL && (d->mode & DMDIR) && kbind("/tmp", "/dev/shm", MREPL|MCREATE) < 0)
		fatal(1, "bind /tmp /dev/shm: %s", kerr());
	free(d);
}

static void
startkernel(char *root, int readonly, Bind *binds, int nbind, char *nsfile, char *user)
{
	Kconf kc;
	int i;

	memset(&kc, 0, sizeof kc);
	kc.root = root;
	kc.readonly = readonly;
	kc.user = user;
	kc.sysname = "vxinferno";
	kc.copy = vx_guardcopy;	/* a pipe's bytes stay where the guest's buffer went */
	if(kinit(&kc) < 0)
		fatal(1, "kernel: %s", kerr());
	if(kbind(netbound ? "#I" : "#Iunix", "/net", MREPL) < 0)
		fatal(1, "bind %s /net: %s", netbound ? "#I" : "#Iunix", kerr());
	for(i = 0; i < nbind; i++)
		if(binds[i].host != Hnone)
			hostbind(&binds[i], i);
		else if(kbind(binds[i].new, binds[i].old, binds[i].flag) < 0)
			fatal(1, "bind %s %s: %s", binds[i].new, binds[i].old, kerr());
	if(nsfile != NULL && knsstring(readhost(nsfile), nsfile) < 0)
		fatal(1, "%s", kerr());
	shmdir();
	knoattach("I");
}

/* -x: export the namespace to every caller of addr, each in its own proc. */
static char listendir[KNETPATHLEN];

static int
announce(char *addr)
{
	int afd;

	afd = kannounce(addr, listendir);
	if(afd < 0)
		fatal(1, "-x %s: %s", addr, kerr());
	return afd;
}

static void
exportloop(void *a)
{
	int fd;

	while((fd = klisten(listendir, NULL)) >= 0){
		if(kexport(fd, "/", KEXPASYNC) < 0)
			fprintf(stderr, "%s: export: %s\n", argv0, kerr());
		kclose(fd);
	}
	fatal(1, "-x %s: %s", (char*)a, kerr());
}

/* The soft descriptor limit up to the hard one.  A sandbox gets a
 * quarter of it (vxrun's defboxfds), and the soft limit most shells
 * start with, 1024 (kept low for select(2)'s fd sets, which we do not
 * use), left a guest 256 descriptors where Linux gives it 1024: a guest
 * polling 480 pipes failed EMFILE in one caller's environment and not
 * in another's. */
static void
fdroom(void)
{
	struct rlimit rl;

	if(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max){
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A standard fd the host started us without is the null device: else
 * the first file opened here takes its number (the root's O_PATH
 * descriptor, the kernel's eventfd, a file a guest opened), and the
 * guest's fd 1 or 2, which write the host's (devcons), would write
 * that.  The guest's fd is then #c/null (stdio.c), where natively it
 * would be closed. */
static void
stdfds(void)
{
	int fd, nfd;

	for(fd = 0; fd < 3; fd++){
		if(fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if(nfd < 0)
			fatal(1, "/dev/null: %s", strerror(errno));
		if(nfd != fd){
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

int
main(int argc, char **argv)
{
	static sigset_t sigs;
	char err[256], *root, *nsfile, *export, *user, *path, *end, *env[MAXENV + 8];
	Bind binds[MAXBIND];
	pthread_t th;
	Vxconf vc;
	double cpu;
	long mb;
	int c, i, nenv, nbind, readonly, pid, status, afd;

	/* Host names (/net/cs, -m and -x addresses) are looked up in
	 * /etc/hosts and DNS only, the two sources built into glibc: this
	 * binary is static, and a module named in the host's nsswitch.conf
	 * (resolve, mymachines...) would be dlopened from the host's
	 * possibly different glibc, which can crash it. */
	if(__nss_configure_lookup("hosts", "files dns") != 0)
		fatal(1, "cannot configure host name lookup");
	fdroom();
	stdfds();
	root = NULL;
	nsfile = NULL;
	export = NULL;
	user = NULL;
	nbind = 0;
	readonly = 0;
	memset(&vc, 0, sizeof vc);
	nenv = 0;
	env[nenv++] = "PATH=/usr/local/bin:/usr/bin:/bin";
	env[nenv++] = "HOME=/";
	env[nenv++] = "TERM=dumb";
	env[nenv++] = "LANG=C";
	opterr = 0;	/* badflag says it, in one line */
	while((c = getopt(argc, argv, "+:r:n:b:B:e:m:M:F:P:c:tu:x:RNh")) != -1){
		switch(c){
		case 'r':
			root = optarg;
			break;
		case 'n':
			nsfile = optarg;
			break;
		case 'b':
		case 'B':
			if(nbind >= MAXBIND)
				fatal(2, "too many binds");
			parsebind(&binds[nbind++], optarg, c == 'b' ? MREPL : MBEFORE | MCREATE);
			break;
		case 'e':
			if(strchr(optarg, '=') == NULL || optarg[0] == '=')
				fatal(2, "-e '%s': want VAR=value", optarg);
			setenvof(env, &nenv, optarg);
			break;
		case 'm':
			mb = strtol(optarg, &end, 10);
			/* 4095 is the long engine's limit; compat's is 3072
			 * (its window shares the host's low 4 GiB), which
			 * vx_new reports */
			if(*end != 0 || mb < 4 || mb > 4095)
				fatal(2, "-m %s: want megabytes from 4 to 4095", optarg);
			vc.memsize = (uint32_t)mb << 20;
			break;
		case 'M':
			mb = boundarg(c, optarg, 1LL << 30, "megabytes");
			vc.boxmem = mb < 0 ? VXRUN_NOBOUND : (uint64_t)mb << 20;
			break;
		case 'F':
			vc.boxfds = (int)boundarg(c, optarg, 1 << 30, "descriptors");
			break;
		case 'P':
			vc.boxtasks = (int)boundarg(c, optarg, 1 << 30, "threads");
			break;
		case 'c':
			cpu = strtod(optarg, &end);
			if(*end != 0 || !(cpu > 0 && cpu < 1e9))
				fatal(2, "-c %s: want a positive number of CPU seconds", optarg);
			vc.cpulimit = cpu;
			break;
		case 't':
			vc.trace = 1;
			break;
		case 'u':
			checkuser(optarg);
			user = optarg;
			break;
		case 'x':
			export = optarg;
			break;
		case 'R':
			readonly = 1;
			break;
		case 'N':
			vc.dial = 1;
			netbound = 1;
			break;
		case 'h':
			usage(0);
		default:
			badflag(c, optopt);
		}
	}
	if(optind >= argc && export == NULL)
		usage(2);
	if(user == NULL)
		user = hostuser();
	if(vc.trace && vx_engine() != 0)	/* with none, the spawn's error says why */
		fprintf(stderr, "vxinferno: engine %s\n", vx_enginename(vx_engine()));
	if(root == NULL)
		root = defaultroot();
	else{
		struct stat st;

		if(stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
			fatal(1, "-r %s: not a directory", root);
	}
	tcacheinit(vc.trace, root, readonly, binds, nbind);

	/* what we were started ignoring, the guest starts ignoring (nohup,
	 * a background job's SIGINT), as an exec would */
	for(i = 1; i < 32; i++){
		struct sigaction sa;
		if(i != SIGKILL && i != SIGSTOP && sigaction(i, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			vc.sigignore |= 1u << (i - 1);
	}
	/* signals: SIGINT/SIGTERM for sigthread; SIGPIPE only as write errors */
	signal(SIGPIPE, SIG_IGN);
	if(optind >= argc){	/* -x alone: serve until a signal ends us */
		startkernel(root, readonly, binds, nbind, nsfile, user);
		announce(export);
		exportloop(export);
		return 1;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	/* before the namespace is built: a mount line whose server never
	 * answers (an HTTP port) waited with SIGINT and SIGTERM blocked and
	 * nobody to take them, so neither ^C nor timeout(1) ended it */
	if(pthread_create(&th, NULL, sigthread, &sigs) != 0)
		fatal(1, "cannot start the signal thread");

	startkernel(root, readonly, binds, nbind, nsfile, user);
	if(export != NULL){
		/* the listener alone holds the fd: guests copy our fd table */
		afd = announce(export);
		if(kspawn(exportloop, export, FORKFD, "export") < 0)
			fatal(1, "-x %s: %s", export, kerr());
		kclose(afd);
	}
	if(vxrun_stdio(err, sizeof err) < 0)
		fatal(1, "console: %s", err);

	env[nenv] = NULL;
	path = vxrun_lookpath(argv[optind], getenvof(env, nenv, "PATH"), err, sizeof err);
	if(path == NULL)
		fatal(127, "%s", err);
#ifndef VXASAN
	vc.exitafter = 1;	/* we exit once the guest has (LeakSanitizer would see its Vx) */
#endif
	vxrun_config(&vc);
	pid = vxrun_spawn(path, argv + optind, env, err, sizeof err);
	free(path);	/* the guest has its own copy */
	atomic_store(&spawned, 1);
	if(pid < 0)
		fatal(strstr(err, "does not exist") != NULL ? 127 : 126, "%s", err);
	status = vxrun_wait(pid);
	fflush(stdout);
	vxrun_flush();
	if(vc.cpulimit > 0 && status == SIGXCPUSTATUS)
		fprintf(stderr, "%s: CPU time limit of %g s exceeded\n", argv0, vc.cpulimit);
	if(vc.trace){
		VxStats vs;
		vx_allstats(&vs);
		fprintf(stderr, "vxinferno: stats: fragments %llu, code bytes %llu, exits %llu, flushes %llu, smc %llu, dispatch %llu, thunks %llu, guesses %llu, inside %llu, cache hits %llu, misses %llu, shared %llu\n",
			(unsigned long long)vs.fragments, (unsigned long long)vs.codebytes,
			(unsigned long long)vs.exits, (unsigned long long)vs.flushes, (unsigned long long)vs.smc,
			(unsigned long long)vs.dispatch, (unsigned long long)vs.thunks, (unsigned long long)vs.guesses,
			(unsigned long long)vs.inside, (unsigned long long)vs.tchits, (unsigned long long)vs.tcmisses,
			(unsigned long long)vs.tcshared);
	}
	return status < 0 ? 1 : status;
}
