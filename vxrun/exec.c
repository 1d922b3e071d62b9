/*
 * exec.c — load a program from the namespace into a fresh Vx: open the
 * file through the kernel (never by a host path), follow `#!` lines, and
 * hand the ELF image to vx_loadelffd: the kernel's own host descriptor
 * for a #U file, else a copy kept in a cache of images in memfds.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "dat.h"

enum {
	MAXIMAGE = 256 << 20,
	MAXINTERP = 5,		/* nested #! scripts: Linux runs 5, the 6th is ELOOP */
};

/*
 * Programs already read, by namespace identity (path, device, qid and
 * length): a memfd holding the file, which vx_loadelffd maps
 * copy-on-write.  Running a program again costs no read and no copy, and
 * every process running it shares the unwritten pages.
 */
enum {
	NIMG = 32, HDR = 256,
	IMGCACHE = 64 << 20,	/* bytes the cache keeps in all: it is no sandbox's */
	FILLSTEP = 1 << 20,	/* a fill is charged to its sandbox a MiB at a time */
};
static struct {
	char *path;
	ushort type;
	uint dev;
	uvlong qpath;
	ulong qvers;
	vlong length;
	int fd;
	unsigned long used;
} imgs[NIMG];
static pthread_mutex_t imglock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long imgclock;

static void
kerr(const char *path, char *err, int nerr)
{
	char e[ERRMAX];

	e[0] = 0;
	kgerrstr(e, sizeof e);
	snprintf(err, nerr, "%s: %s", path, e);
}

/* Charge (n > 0) or give back n bytes' pages to box, if any: 0 or -1. */
static int
fillcharge(Lbox *box, vlong n)
{
	if(box == NULL || n == 0)
		return 0;
	return box->acct.charge(&box->acct, VX_ACCT_PAGES, n / PGSIZE);
}

/* Copy the namespace file path into a new memfd.  The copy is host
 * memory: while it is made it is charged to box (a guest serving a
 * program slowly from every thread held -P copies of 256 MiB), and
 * then to each memory that maps it (vx_hold). */
static int
fillimage(const char *path, Lbox *box, vlong *np, char *err, int nerr)
{
	char *buf;
	long r;
	vlong n = 0, charged = 0;
	int kfd, mfd;

	kfd = kopen((char*)path, OREAD);
	if(kfd < 0){
		kerr(path, err, nerr);
		return -1;
	}
	mfd = memfd_create("vxinferno-image", MFD_CLOEXEC);
	buf = malloc(1 << 16);
	if(mfd < 0 || buf == NULL){
		snprintf(err, nerr, "%s: out of memory", path);
		goto fail;
	}
	for(;;){
		r = kread(kfd, buf, 1 << 16);
		if(r < 0){
			kerr(path, err, nerr);
			goto fail;
		}
		if(r == 0)
			break;
		if((n += r) > MAXIMAGE){
			snprintf(err, nerr, "%s: larger than %d bytes", path, MAXIMAGE);
			goto fail;
		}
		if(n > charged){
			if(fillcharge(box, FILLSTEP) < 0){
				snprintf(err, nerr, "%s: out of memory", path);	/* ENOMEM: the sandbox's bound */
				goto fail;
			}
			charged += FILLSTEP;
		}
		if(write(mfd, buf, r) != r){
			snprintf(err, nerr, "%s: %s", path, strerror(errno));
			goto fail;
		}
	}
	free(buf);
	kclose(kfd);
	fillcharge(box, -charged);
	*np = n;
	return mfd;
fail:
	free(buf);
	if(mfd >= 0)
		close(mfd);
	kclose(kfd);
	fillcharge(box, -charged);
	return -1;
}

/* The host descriptor of path when the kernel serves it from a host
 * file, else -1. */
static int
hostimage(const char *path)
{
	unsigned long long qpath;
	int kfd, hfd, dc, qtype;

	kfd = kopen((char*)path, OREAD);
	if(kfd < 0)
		return -1;
	hfd = -1;
	if(kif_fdkind(kfd, &dc, &qtype, &qpath, &hfd) < 0)
		hfd = -1;
	kclose(kfd);
	return hfd;
}

/* The host descriptor of path when the kernel serves it from a host
 * file (#U), with its stat from the open file in *dp, else -1: one walk
 * where progfd's stat and open made two.  A name ending in wait is not
 * opened (emu's #p/N/wait acts on an open: sysfile.c's progwait); nor
 * is a FIFO (OEXEC: #U's fsfifo refuses it, and the old way says EACCES). */
static int
hostprog(const char *path, Dir **dp)
{
	unsigned long long qpath;
	int kfd, hfd, dc, qtype;
	const char *s;

	*dp = NULL;
	s = strrchr(path, '/');
	if(strcmp(s != NULL ? s + 1 : path, "wait") == 0)
		return -1;
	kfd = kopen((char*)path, OEXEC);	/* a FIFO is not opened (fsfifo) */
	if(kfd < 0)
		return -1;
	hfd = -1;
	if(kif_fdkind(kfd, &dc, &qtype, &qpath, &hfd) == 0 && hfd >= 0)
		*dp = kdirfstat(kfd);
	kclose(kfd);
	if(*dp == NULL && hfd >= 0){
		close(hfd);
		hfd = -1;
	}
	return hfd;
}

/* Bytes the image cache holds, with imglock. */
static vlong
imgbytes(void)
{
	vlong t = 0;
	int i;

	for(i = 0; i < NIMG; i++)
		if(imgs[i].path != NULL)
			t += imgs[i].length;
	return t;
}

/* With imglock: the least recently used slot (of those filled) */
static int
imglru(int filled)
{
	int i, slot = -1;

	for(i = 0; i < NIMG; i++)
		if((!filled || imgs[i].path != NULL) && (slot < 0 || imgs[i].used < imgs[slot].used))
			slot = i;
	return slot;
}

/* With imglock: forget slot i's image. */
static void
imgdrop(int i)
{
	free(imgs[i].path);
	close(imgs[i].fd);
	imgs[i].path = NULL;
	imgs[i].used = 0;
}

/* A host fd (to close) holding the program at path, its first bytes in
 * hdr (*hn of them), and in *copied its length when that fd is a copy
 * in host memory (else 0), which whatever maps it must hold (vx_hold);
 * -1 with the reason in err.  A copy is made charged to box. */
static int
progfd(const char *path, Lbox *box, char *hdr, long *hn, vlong *copied, char *err, int nerr)
{
	Dir *d;
	int i, fd, slot;
	vlong n;

	*copied = 0;

	/* a host file, the usual program: opened first, its stat the open
	 * file's (anything else, or none, is looked at below) */
	fd = hostprog(path, &d);
	if(fd >= 0){
		if(!(d->mode & 0111)){
			snprintf(err, nerr, "%s: not executable: permission denied", path);
			free(d);
			close(fd);
			return -1;
		}
		free(d);
		*hn = pread(fd, hdr, HDR, 0);
		if(*hn < 0)
			*hn = 0;
		return fd;
	}
	d = gdirstat((char*)path);
	if(d == NULL){
		kerr(path, err, nerr);
		return -1;
	}
	if(d->mode & DMSYMLINK){
		/* /proc/self/exe and the like (procfs.c): run what it names */
		static _Thread_local int depth;
		char *target;
		int e;

		free(d);
		target = depth < 8 ? linktarget(path, &e) : NULL;
		if(target == NULL){
			snprintf(err, nerr, "%s: %s", path, depth < 8 ? strerror(e) : "too many levels of links");
			return -1;
		}
		depth++;
		fd = progfd(target, box, hdr, hn, copied, err, nerr);
		depth--;
		free(target);
		return fd;
	}
	if((d->mode & (DMDIR|DMNAMEDPIPE|DMSOCKET)) || !(d->mode & 0111)){
		/* EACCES either way, as Linux's execve; the words say which.
		 * A FIFO is never opened: the open would wait for a writer */
		snprintf(err, nerr, "%s: %s: permission denied", path, (d->mode & DMDIR) ? "a directory"
			: (d->mode & (DMNAMEDPIPE|DMSOCKET)) ? "not a regular file" : "not executable");
		free(d);
		return -1;
	}
	/* a host file (#U): map it where it is, nothing to copy or keep */
	fd = hostimage(path);
	if(fd >= 0){
		free(d);
		*hn = pread(fd, hdr, HDR, 0);
		if(*hn < 0)
			*hn = 0;
		return fd;
	}
	pthread_mutex_lock(&imglock);
	for(i = 0; i < NIMG; i++)
		if(imgs[i].path != NULL && strcmp(imgs[i].path, path) == 0 && imgs[i].type == d->type
		&& imgs[i].dev == d->dev && imgs[i].qpath == d->qid.path && imgs[i].qvers == d->qid.vers
		&& imgs[i].length == d->length){
			imgs[i].used = ++imgclock;
			fd = fcntl(imgs[i].fd, F_DUPFD_CLOEXEC, 0);
			*copied = imgs[i].length;
			break;
		}
	pthread_mutex_unlock(&imglock);
	if(fd < 0){
		fd = fillimage(path, box, &n, err, nerr);
		if(fd < 0){
			free(d);
			return -1;
		}
		*copied = n;
		if(n > IMGCACHE)
			goto done;	/* kept only by what maps it */
		pthread_mutex_lock(&imglock);
		/* the least recently used go until it fits in IMGCACHE (32
		 * programs of 256 MiB kept 8 GiB, charged to no sandbox) */
		while(imgs[slot = imglru(0)].path != NULL || imgbytes() + n > IMGCACHE)
			imgdrop(imglru(1));
		imgs[slot].path = strdup(path);
		imgs[slot].type = d->type;
		imgs[slot].dev = d->dev;
		imgs[slot].qpath = d->qid.path;
		imgs[slot].qvers = d->qid.vers;
		imgs[slot].length = n;
		imgs[slot].used = ++imgclock;
		imgs[slot].fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if(imgs[slot].path == NULL || imgs[slot].fd < 0){
			free(imgs[slot].path);
			if(imgs[slot].fd >= 0)
				close(imgs[slot].fd);
			imgs[slot].path = NULL;
			imgs[slot].used = 0;
		}
		pthread_mutex_unlock(&imglock);
	}
done:
	free(d);
	*hn = pread(fd, hdr, HDR, 0);
	if(*hn < 0)
		*hn = 0;
	return fd;
}

/* Split a `#!interp [arg]` line in buf (n bytes) into interp and arg. */
static int
shebang(char *buf, long n, char **interp, char **arg)
{
	char *p, *e, *end;

	if(n > HDR)
		n = HDR;
	end = memchr(buf, '\n', n);
	if(end == NULL){
		/* as Linux: a line longer than its 255 bytes is cut there,
		 * unless that would cut the interpreter's name (then ENOEXEC);
		 * a file of one line without a newline is that line */
		end = buf + (n < HDR ? n : HDR - 1);
		for(p = buf + 2; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		for(e = p; e < end && *e != ' ' && *e != '\t' && *e != 0; e++)
			;
		if(e == end && n >= HDR)
			return -1;
	}
	*end = 0;
	for(p = buf + 2; *p == ' ' || *p == '\t'; p++)
		;
	if(*p == 0)
		return -1;
	for(e = p; *e && *e != ' ' && *e != '\t'; e++)
		;
	*interp = p;
	*arg = NULL;
	if(*e){
		*e++ = 0;
		while(*e == ' ' || *e == '\t')
			e++;
		if(*e){
			*arg = e;
			for(p = e + strlen(e); p > e && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r'); p--)
				p[-1] = 0;
		}
	}
	return 0;
}

/* The interpreter's error in err (its name first) names the program
 * that wants it too: "/lib/ld-linux.so.2: file does not exist" alone
 * sent a user looking for the wrong file. */
static void
interperr(const char *path, char *err, int nerr)
{
	char e[ERRMAX];

	snprintf(e, sizeof e, "%s", err);
	snprintf(err, nerr, "%s: interpreter %s", path, e);
}

/*
 * Load the ELF file fd (the program at path) into vx; a dynamic one
 * with its interpreter, which is looked up in the namespace like the
 * program (a guest's /lib/ld-linux.so.2, never the host's).  -errno.
 */
static int
loadelf(Lbox *box, Vx *vx, int fd, char *const argv[], char *const envp[], const char *path,
	VxImage *img, char *err, int nerr)
{
	char interp[MAXPATH], ihdr[HDR];
	long ihn;
	vlong icopied;
	int ifd, r;

	r = vx_elfinterp(vx, fd, interp, sizeof interp);
	if(r < 0){
		snprintf(err, nerr, "%s: %s", path, vx_errstr(vx));
		return -ENOEXEC;
	}
	if(r == 0){
		if(vx_loadelffd(vx, fd, argv, envp, path, img) < 0){
			snprintf(err, nerr, "%s: %s", path, vx_errstr(vx));
			return -ENOEXEC;
		}
		return 0;
	}
	ifd = progfd(interp, box, ihdr, &ihn, &icopied, err, nerr);
	if(ifd < 0){
		r = errnoof(err) == EACCES ? -EACCES : errnoof(err) == ENOMEM ? -ENOMEM : -ENOENT;	/* Linux: the interpreter's error */
		interperr(path, err, nerr);
		return r;
	}
	if(icopied > 0 && vx_hold(vx, icopied) < 0){
		close(ifd);
		snprintf(err, nerr, "%s: interpreter %s: the sandbox's memory bound is reached", path, interp);
		return -ENOMEM;
	}
	r = vx_loadelfinterp(vx, fd, ifd, argv, envp, path, img);
	close(ifd);
	if(r < 0){
		snprintf(err, nerr, "%s: interpreter %s: %s", path, interp, vx_errstr(vx));
		return -ENOEXEC;
	}
	return 0;
}

static int
countargs(char *const argv[])
{
	int n;

	/* all of them: the loader bounds their bytes (E2BIG); a cap
	 * here dropped a script's arguments past it unseen */
	for(n = 0; argv != NULL && argv[n] != NULL; n++)
		;
	return n;
}

/*
 * Load path (a namespace path) into a new Vx of memsize bytes at *vxp.
 * On failure nothing is changed, err says why and the result is -errno.
 */
int
loadprog(Lbox *box, Vx **vxp, const char *path, char *const argv[], char *const envp[],
	 uint32_t memsize, VxImage *img, char *err, int nerr)
{
	char buf[HDR + 1], *interp, *arg, **nargv, *prog, *cur, *script;
	char verr[VX_ERRLEN];
	int depth, argc, i, j, r, fd;
	long n;
	int refused;
	vlong copied;
	Vx *vx;

	refused = box != NULL ? atomic_load(&box->refused) : 0;
	cur = strdup(path);
	script = NULL;	/* the #! script whose interpreter cur is */
	nargv = NULL;
	argc = countargs(argv);
	if(cur == NULL)
		return -ENOMEM;
	for(depth = 0;; depth++){
		fd = progfd(cur, box, buf, &n, &copied, err, nerr);
		if(fd < 0){
			r = -errnoof(err);
			if(script != NULL)
				interperr(script, err, nerr);
			break;
		}
		if(n < 2 || buf[0] != '#' || buf[1] != '!'){
			if(n < 4 || memcmp(buf, "\177ELF", 4) != 0){
				/* a text file without #! (a shell then runs it itself) */
				snprintf(err, nerr, "%s: neither an ELF program nor a #! script", cur);
				close(fd);
				r = -ENOEXEC;
				break;
			}
			vx = vx_new(memsize, verr);
			if(vx == NULL){
				snprintf(err, nerr, "%s", verr);
				close(fd);
				r = -ENOMEM;
				break;
			}
			/* charged to the sandbox from its first page on */
			if(box != NULL)
				vx_setaccount(vx, &box->acct);
			if(copied > 0 && vx_hold(vx, copied) < 0){
				snprintf(err, nerr, "%s: the sandbox's memory bound is reached", cur);
				vx_free(vx);
				close(fd);
				r = -ENOMEM;
				break;
			}
			r = loadelf(box, vx, fd, nargv != NULL ? nargv : argv, envp, cur, img, err, nerr);
			close(fd);
			if(r < 0){
				vx_free(vx);
				if(box != NULL && atomic_load(&box->refused) != refused){
					snprintf(err, nerr, "%s: the sandbox's memory bound is reached", cur);
					r = -ENOMEM;
				}
				break;
			}
			*vxp = vx;
			r = 0;
			break;
		}
		close(fd);
		if(depth >= MAXINTERP){
			snprintf(err, nerr, "%s: too many levels of #! interpreters", cur);
			r = -ELOOP;
			break;
		}
		if(shebang(buf, n, &interp, &arg) < 0){
			snprintf(err, nerr, "%s: bad interpreter line", cur);
			r = -ENOEXEC;
			break;
		}
		/* argv becomes: interp [arg] script argv[1..] */
		{
			char **old = nargv != NULL ? nargv : (char**)argv;
			int oc = nargv != NULL ? countargs(nargv) : argc;
			char **nv = calloc(oc + 4, sizeof *nv);

			if(nv == NULL){
				r = -ENOMEM;
				break;
			}
			j = 0;
			nv[j++] = strdup(interp);
			if(arg != NULL)
				nv[j++] = strdup(arg);
			nv[j++] = strdup(cur);
			for(i = 1; i < oc; i++)
				nv[j++] = strdup(old[i]);
			nv[j] = NULL;
			if(nargv != NULL){
				for(i = 0; nargv[i] != NULL; i++)
					free(nargv[i]);
				free(nargv);
			}
			nargv = nv;
			prog = strdup(interp);
			free(script);
			script = cur;
			cur = prog;
		}
		if(cur == NULL){
			r = -ENOMEM;
			break;
		}
	}
	if(nargv != NULL){
		for(i = 0; nargv[i] != NULL; i++)
			free(nargv[i]);
		free(nargv);
	}
	free(cur);
	free(script);
	return r;
}

char *
vxrun_lookpath(const char *prog, const char *path, char *err, int nerr)
{
	char *cand, *dirs, *dir, *save;
	Dir *d;

	if(prog[0] == 0){
		snprintf(err, nerr, "empty program name");
		return NULL;
	}
	if(strchr(prog, '/') != NULL || prog[0] == '#'){
		d = gdirstat((char*)prog);
		if(d == NULL){
			snprintf(err, nerr, "%s: not found in the namespace", prog);
			return NULL;
		}
		free(d);
		return strdup(prog);
	}
	dirs = strdup(path != NULL ? path : "/bin");
	if(dirs == NULL){
		snprintf(err, nerr, "out of memory");
		return NULL;
	}
	for(dir = strtok_r(dirs, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save)){
		if(asprintf(&cand, "%s/%s", dir, prog) < 0)
			break;
		d = gdirstat(cand);
		if(d != NULL && !(d->mode & DMDIR)){
			free(d);
			free(dirs);
			return cand;
		}
		free(d);
		free(cand);
	}
	free(dirs);
	snprintf(err, nerr, "%s: not found in the namespace (PATH=%s)", prog, path != NULL ? path : "/bin");
	return NULL;
}
