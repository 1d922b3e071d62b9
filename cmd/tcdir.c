/*
 * tcdir.c — where vxinferno keeps its persistent translation cache:
 * the directory VXCACHE names, or the default one, and the checks that
 * keep it out of every guest's reach (a cache file's code runs in the
 * host).  doc/translator.md, "Trust".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "vx.h"
#include "vxinferno.h"

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
void
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
