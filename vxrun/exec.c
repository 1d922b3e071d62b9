/*
 * exec.c — load a program from the namespace into a fresh Vx: read the
 * file through the kernel (never the host), follow `#!` lines, and hand
 * the ELF image to vx_loadelf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"

enum {
	MAXIMAGE = 256 << 20,
	MAXINTERP = 4,		/* nested #! scripts */
	MAXARGS = 4096,
};

/* The whole file at path, or NULL with the reason in err. */
static char *
readprog(const char *path, long *np, char *err, int nerr)
{
	char *buf, *nb;
	long n, cap, r;
	Dir *d;
	int fd;

	d = kdirstat((char*)path);
	if(d == NULL){
		char e[ERRMAX];

		e[0] = 0;
		kgerrstr(e, sizeof e);
		snprintf(err, nerr, "%s: %s", path, e);
		return NULL;
	}
	if((d->mode & DMDIR) || !(d->mode & 0111)){
		snprintf(err, nerr, "%s: permission denied", path);
		free(d);
		return NULL;
	}
	free(d);
	fd = kopen((char*)path, OREAD);
	if(fd < 0){
		char e[ERRMAX];

		kgerrstr(e, sizeof e);
		snprintf(err, nerr, "%s: %s", path, e);
		return NULL;
	}
	cap = 1 << 16;
	n = 0;
	buf = malloc(cap);
	while(buf != NULL){
		if(n == cap){
			if(cap >= MAXIMAGE){
				snprintf(err, nerr, "%s: larger than %d bytes", path, MAXIMAGE);
				goto fail;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if(nb == NULL)
				break;
			buf = nb;
		}
		r = kread(fd, buf + n, cap - n);
		if(r < 0){
			char e[ERRMAX];

			kgerrstr(e, sizeof e);
			snprintf(err, nerr, "%s: %s", path, e);
			goto fail;
		}
		if(r == 0){
			kclose(fd);
			*np = n;
			return buf;
		}
		n += r;
	}
	snprintf(err, nerr, "%s: out of memory", path);
fail:
	free(buf);
	kclose(fd);
	return NULL;
}

/* Split a `#!interp [arg]` line in buf (n bytes) into interp and arg. */
static int
shebang(char *buf, long n, char **interp, char **arg)
{
	char *p, *e, *end;

	end = memchr(buf, '\n', n < 256 ? n : 256);
	if(end == NULL)
		return -1;
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

static int
countargs(char *const argv[])
{
	int n;

	for(n = 0; argv != NULL && argv[n] != NULL && n < MAXARGS; n++)
		;
	return n;
}

/*
 * Load path (a namespace path) into a new Vx at *vxp.  On failure nothing
 * is changed, err says why and the result is -errno.
 */
int
loadprog(Lthread *t, Vx **vxp, const char *path, char *const argv[], char *const envp[],
	 VxImage *img, char *err, int nerr)
{
	char *buf, *interp, *arg, **nargv, *prog, *cur;
	char verr[VX_ERRLEN];
	int depth, argc, i, j, r;
	long n;
	Vx *vx;

	(void)t;
	cur = strdup(path);
	nargv = NULL;
	argc = countargs(argv);
	if(cur == NULL)
		return -ENOMEM;
	for(depth = 0;; depth++){
		buf = readprog(cur, &n, err, nerr);
		if(buf == NULL){
			r = -errnoof(err);
			break;
		}
		if(n < 2 || buf[0] != '#' || buf[1] != '!'){
			vx = vx_new(conf.memsize, verr);
			if(vx == NULL){
				snprintf(err, nerr, "%s", verr);
				free(buf);
				r = -ENOMEM;
				break;
			}
			if(vx_loadelf(vx, buf, n, nargv != NULL ? nargv : argv, envp, cur, img) < 0){
				snprintf(err, nerr, "%s: %s", cur, vx_errstr(vx));
				vx_free(vx);
				free(buf);
				r = -ENOEXEC;
				break;
			}
			free(buf);
			*vxp = vx;
			r = 0;
			break;
		}
		if(depth >= MAXINTERP || shebang(buf, n, &interp, &arg) < 0){
			snprintf(err, nerr, "%s: bad interpreter line", cur);
			free(buf);
			r = -ENOEXEC;
			break;
		}
		/* argv becomes: interp [arg] script argv[1..] */
		{
			char **old = nargv != NULL ? nargv : (char**)argv;
			int oc = nargv != NULL ? countargs(nargv) : argc;
			char **nv = calloc(oc + 4, sizeof *nv);

			if(nv == NULL){
				free(buf);
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
			free(cur);
			cur = prog;
		}
		free(buf);
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
		d = kdirstat((char*)prog);
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
		d = kdirstat(cand);
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
