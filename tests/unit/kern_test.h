/* kern_test.h — helpers shared by the libkern unit tests (kern_*.c):
 * a scratch host directory for #U, a captured console, and short ways to
 * read, write and list files through the k* calls. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel.h"
#include "tap.h"

static char kt_root[256];		/* the host directory served by #U */
static char kt_cons[65536];		/* what was written to #c/cons */
static long kt_ncons;
static const char *kt_consin = "";	/* what #c/cons reads */

static inline long
kt_consread(void *a, void *buf, long n)
{
	long l = strlen(kt_consin);
	(void)a;
	if(l > n)
		l = n;
	memcpy(buf, kt_consin, l);
	kt_consin += l;
	return l;
}

static inline long
kt_conswrite(void *a, const void *buf, long n)
{
	(void)a;
	if(kt_ncons + n < (long)sizeof kt_cons){
		memcpy(kt_cons + kt_ncons, buf, n);
		kt_ncons += n;
	}
	return n;
}

static inline int
kt_rmone(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static inline void
kt_cleanup(void)
{
	if(kt_root[0])
		nftw(kt_root, kt_rmone, 16, FTW_DEPTH | FTW_PHYS);
}

/* Host paths under kt_root, for setting up and checking. */
static inline char *
kt_hpath(const char *rel)
{
	static char buf[4][512];
	static int i;
	char *b = buf[i++ & 3];
	snprintf(b, 512, "%s/%s", kt_root, rel);
	return b;
}

static inline void
kt_hmkdir(const char *rel)
{
	mkdir(kt_hpath(rel), 0755);
}

static inline void
kt_hwrite(const char *rel, const char *s)
{
	FILE *f = fopen(kt_hpath(rel), "w");
	if(f == NULL){
		perror(rel);
		exit(2);
	}
	fputs(s, f);
	fclose(f);
}

static inline char *
kt_hread(const char *rel)
{
	static char buf[4096];
	FILE *f = fopen(kt_hpath(rel), "r");
	size_t n;
	if(f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static inline void
kt_init(int readonly, const char *devs)
{
	Kconf c;
	char err[ERRMAX];
	/* #U makes host files with the host's umask: the modes the tests
	 * expect are umask 022's, whatever the caller's (CI's may be 077) */
	umask(022);
	snprintf(kt_root, sizeof kt_root, "/tmp/kt.XXXXXX");
	if(mkdtemp(kt_root) == NULL){
		perror("mkdtemp");
		exit(2);
	}
	atexit(kt_cleanup);
	memset(&c, 0, sizeof c);
	c.root = kt_root;
	c.readonly = readonly;
	c.devs = devs;
	c.user = "eve";
	c.sysname = "testbox";
	c.consread = kt_consread;
	c.conswrite = kt_conswrite;
	if(kinit(&c) < 0){
		kgerrstr(err, sizeof err);
		printf("Bail out! kinit: %s\n", err);
		exit(1);
	}
}

static inline char *
kt_err(void)
{
	static char buf[ERRMAX];
	kgerrstr(buf, sizeof buf);
	return buf;
}

/* Export the namespace's root over 9P to every caller of the announced
 * directory adir, until listening fails (the tests' file servers). */
static inline void
kt_serve(char *adir)
{
	int fd;

	while((fd = klisten(adir, NULL)) >= 0){
		if(kexport(fd, "/", KEXPASYNC) < 0)
			diag("export: %s", kt_err());
		kclose(fd);
	}
}

/* A kernel proc's body: announce addr, then kt_serve. */
static inline void
kt_listener(void *addr)
{
	char adir[KNETPATHLEN];
	int afd;

	afd = kannounce(addr, adir);
	if(afd < 0){
		diag("announce %s: %s", (char*)addr, kt_err());
		return;
	}
	kt_serve(adir);
	kclose(afd);
}

/* The whole file, or NULL (error in kt_err). */
static inline char *
kt_read(char *path)
{
	static char buf[4][16384];
	static int i;
	char *b = buf[i++ & 3];
	long n = 0, r;
	int fd = kopen(path, OREAD);
	if(fd < 0)
		return NULL;
	while(n < (long)sizeof buf[0] - 1 && (r = kread(fd, b + n, sizeof buf[0] - 1 - n)) > 0)
		n += r;
	kclose(fd);
	if(r < 0)
		return NULL;
	b[n] = 0;
	return b;
}

static inline int
kt_write(char *path, char *s)
{
	int fd = kopen(path, OWRITE|OTRUNC);
	long r;
	if(fd < 0)
		return -1;
	r = kwrite(fd, s, strlen(s));
	kclose(fd);
	return r == (long)strlen(s) ? 0 : -1;
}

static inline int
kt_create(char *path, int mode, ulong perm, char *s)
{
	int fd = kcreate(path, mode, perm);
	if(fd < 0)
		return -1;
	if(s != NULL && kwrite(fd, s, strlen(s)) != (long)strlen(s)){
		kclose(fd);
		return -1;
	}
	kclose(fd);
	return 0;
}

/* Names in a directory, in read order, blank separated; NULL on error. */
static inline char *
kt_ls(char *path)
{
	static char buf[4][4096];
	static int i;
	char *b = buf[i++ & 3];
	Dir *d;
	long n, j;
	int fd = kopen(path, OREAD);
	b[0] = 0;
	if(fd < 0)
		return NULL;
	while((n = kdirread(fd, &d)) > 0){
		for(j = 0; j < n; j++){
			if(b[0])
				strncat(b, " ", 4095 - strlen(b));
			strncat(b, d[j].name, 4095 - strlen(b));
		}
		free(d);
	}
	kclose(fd);
	return n < 0 ? NULL : b;
}

/* The mode of entry name in directory path's listing, or -1 where it
 * is not listed. */
static inline long
kt_entmode(char *path, char *name)
{
	Dir *d;
	long n, j, m = -1;
	int fd = kopen(path, OREAD);
	if(fd < 0)
		return -1;
	while((n = kdirread(fd, &d)) > 0){
		for(j = 0; j < n; j++)
			if(strcmp(d[j].name, name) == 0)
				m = d[j].mode;
		free(d);
	}
	kclose(fd);
	return m;
}

/* The path of the current directory, as kfd2path gives it. */
static inline char *
kt_dot(void)
{
	static char buf[512];
	int fd = kopen(".", OREAD);
	char *s;
	if(fd < 0)
		return NULL;
	s = kfd2path(fd);
	kclose(fd);
	snprintf(buf, sizeof buf, "%s", s != NULL ? s : "(null)");
	free(s);
	return buf;
}

/* ok() that the last call failed with exactly want. */
static inline int
kt_fails(int r, const char *want, const char *what)
{
	char *e = kt_err();
	int good = r < 0 && strcmp(e, want) == 0;
	ok(good, "%s fails: %s", what, want);
	if(!good)
		diag("  got r=%d err='%s'", r, e);
	return good;
}
