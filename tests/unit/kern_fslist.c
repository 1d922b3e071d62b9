/* kern_fslist.c — #U listed for a reader that needs only names, qids and
 * DMDIR (kdirreadnames, Linux getdents64): the same names and qids as a
 * full listing (kdirread) without a host stat of every entry, in a union
 * of two host directories too, stable while the directory changes, and
 * with each symlink as itself; a 9P client reading the same directory
 * still gets whole entries. */
#include <sys/syscall.h>
#include "kern_test.h"

long fshostcalls(void);	/* libkern/devfs.c */

/*
 * A host file system whose getdents64 gives no d_type (DT_UNKNOWN: xfs
 * without ftype, some network and FUSE ones): this program's syscall,
 * which libkern calls for getdents64, says so while nodtype is set.
 * The others go to the kernel as they are (libkern's calls through
 * syscall: getdents64, openat2, renameat2).
 */
static int nodtype;

static long
rawsyscall(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
		: "rcx", "r11", "memory");
	if(r < 0 && r > -4096){
		errno = (int)-r;
		return -1;
	}
	return r;
}

long
syscall(long nr, ...)
{
	va_list ap;
	long a[6], r, off;
	int i;

	/* five at most (renameat2): a sixth would be read from the
	 * caller's stack, past what it passed (ASan says so) */
	va_start(ap, nr);
	for(i = 0; i < 5; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	a[5] = 0;
	r = rawsyscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if(nr == SYS_getdents64 && r > 0 && nodtype)
		for(off = 0; off < r; off += *(unsigned short*)((char*)a[1] + off + 16))
			((char*)a[1])[off + 18] = 0;	/* DT_UNKNOWN */
	return r;
}

enum { Nmany = 300 };

static void
setup(void)
{
	char name[64];
	int i;
	kt_hmkdir("d");
	kt_hmkdir("d/sub");
	kt_hwrite("d/f", "file");
	kt_hwrite("d/with space", "x");
	kt_hwrite("d/nl\nname", "x");		/* odd bytes: a newline, */
	kt_hwrite("d/\xc3\xa9t\xc3\xa9", "x");	/* UTF-8, */
	kt_hwrite("d/hi\xff\xfe", "x");		/* and bytes that are not */
	symlink("f", kt_hpath("d/tofile"));		/* each shown as a link */
	symlink("sub", kt_hpath("d/todir"));
	symlink("nonesuch", kt_hpath("d/dangling"));
	symlink("/etc", kt_hpath("d/abs"));
	symlink("../..", kt_hpath("d/up"));
	mkfifo(kt_hpath("d/fifo"), 0644);		/* a host fifo: a plain file */
	kt_hmkdir("many");
	for(i = 0; i < Nmany; i++){
		snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
		kt_hwrite(name, "x");
	}
	kt_hmkdir("ua");
	kt_hmkdir("ub");
	kt_hwrite("ua/a1", "a");
	kt_hwrite("ua/both", "from a");
	kt_hmkdir("ua/adir");
	kt_hwrite("ub/b1", "b");
	kt_hwrite("ub/both", "from b");
	kt_hmkdir("ub/bdir");
	kt_hmkdir("u");
}

/* A whole listing of path, by kdirread or kdirreadnames; NULL on error. */
static Dir *
listing(char *path, int names, long *np, long *calls)
{
	Dir *all = NULL, *d;
	long n, total = 0, c0;
	int fd = kopen(path, OREAD);
	if(fd < 0)
		return NULL;
	c0 = fshostcalls();
	while((n = names ? kdirreadnames(fd, &d) : kdirread(fd, &d)) > 0){
		long j;
		all = realloc(all, (total + n) * sizeof *all);
		for(j = 0; j < n; j++){
			all[total + j] = d[j];
			all[total + j].name = strdup(d[j].name);
			all[total + j].uid = strdup(d[j].uid);
		}
		total += n;
		free(d);
	}
	if(calls != NULL)
		*calls = fshostcalls() - c0;
	kclose(fd);
	*np = total;
	return n < 0 ? NULL : all;
}

static void
freelisting(Dir *d, long n)
{
	long i;
	for(i = 0; i < n; i++){
		free(d[i].name);
		free(d[i].uid);
	}
	free(d);
}

static Dir *
find(Dir *d, long n, const char *name)
{
	long i;
	for(i = 0; i < n; i++)
		if(strcmp(d[i].name, name) == 0)
			return &d[i];
	return NULL;
}

/* The two listings of path: the same names in the same order, the same
 * qid path and type, the same DMDIR. */
static int
alike(char *path, Dir *full, long nf, Dir *lite, long nl)
{
	long i;
	if(nf != nl){
		diag("%s: %ld entries, %ld by names", path, nf, nl);
		return 0;
	}
	for(i = 0; i < nf; i++)
		if(strcmp(full[i].name, lite[i].name) != 0 || full[i].qid.path != lite[i].qid.path
		|| full[i].qid.type != lite[i].qid.type || (full[i].mode & DMDIR) != (lite[i].mode & DMDIR)){
			diag("%s: entry %ld: %s %llx %d / %s %llx %d", path, i, full[i].name, full[i].qid.path,
				full[i].qid.type, lite[i].name, lite[i].qid.path, lite[i].qid.type);
			return 0;
		}
	return 1;
}

static void
same(void)
{
	Dir *full, *lite, *e;
	long nf, nl;
	full = listing("#U/d", 0, &nf, NULL);
	lite = listing("#U/d", 1, &nl, NULL);
	ok(full != NULL && lite != NULL, "list #U/d both ways");
	if(full == NULL || lite == NULL)
		return;
	ok(alike("#U/d", full, nf, lite, nl), "the same names, qids and DMDIR (%ld entries)", nl);
	ok(find(lite, nl, "nl\nname") != NULL && find(lite, nl, "\xc3\xa9t\xc3\xa9") != NULL
		&& find(lite, nl, "hi\xff\xfe") != NULL && find(lite, nl, "with space") != NULL,
		"names with a newline, UTF-8 and bytes that are not");
	ok(find(lite, nl, "abs") != NULL && find(lite, nl, "dangling") != NULL && find(lite, nl, "up") != NULL,
		"every symlink is listed, those that lead nowhere too");
	e = find(lite, nl, "todir");
	ok(e != NULL && e->mode == (DMSYMLINK | 0777) && e->qid.type == QTFILE
		&& e->qid.path != find(lite, nl, "sub")->qid.path,
		"a symlink is itself (DMSYMLINK, its own qid), as Linux's getdents gives it, not its target");
	e = find(full, nf, "tofile");
	ok(e != NULL && e->mode == (DMSYMLINK | 0777) && e->length == 1, "and so in the full listing, its length the target's");
	e = find(lite, nl, "fifo");
	ok(e != NULL && !(e->mode & DMDIR) && e->qid.type == QTFILE, "a host fifo is a plain file");
	e = find(full, nf, "f");
	ok(e != NULL && e->length == 4 && e->mtime != 0 && e->uid[0] != 0, "the full listing has whole entries");
	freelisting(full, nf);
	freelisting(lite, nl);
}

static void
cost(void)
{
	Dir *full, *lite;
	long nf, nl, cf, cl;
	full = listing("#U/many", 0, &nf, &cf);
	lite = listing("#U/many", 1, &nl, &cl);
	ok(full != NULL && lite != NULL && alike("#U/many", full, nf, lite, nl) && nl == Nmany,
		"%d entries, alike both ways", Nmany);
	/* getdents64 until it is empty, then the check that the directory
	 * is still where its name says (an openat2, fstat and close) */
	ok(cl <= 6, "listed by names: no host stat per entry (%ld host calls)", cl);
	ok(cf >= Nmany, "the full listing stats each (%ld host calls)", cf);
	freelisting(full, nf);
	freelisting(lite, nl);
}

/* Entries made and removed between the reads of one listing: each name
 * that was there all along is listed exactly once. */
static void
changing(void)
{
	char name[64];
	Dir *d;
	long n, i, seen[Nmany];
	int fd, k, bad = 0, first = 1;
	memset(seen, 0, sizeof seen);
	fd = kopen("#U/many", OREAD);
	ok(fd >= 0, "open #U/many");
	while((n = kdirreadnames(fd, &d)) > 0){
		for(i = 0; i < n; i++)
			if(sscanf(d[i].name, "entry-with-a-longish-name-%d", &k) == 1 && k >= 0 && k < Nmany)
				seen[k]++;
		free(d);
		if(first){
			first = 0;
			for(k = 0; k < 50; k++){
				snprintf(name, sizeof name, "many/new-%03d", k);
				kt_hwrite(name, "new");
			}
			for(k = Nmany - 20; k < Nmany; k++){
				snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", k);
				unlink(kt_hpath(name));
			}
		}
	}
	kclose(fd);
	for(k = 0; k < Nmany - 20; k++)
		if(seen[k] != 1)
			bad++;
	for(; k < Nmany; k++)
		if(seen[k] > 1)
			bad++;
	ok(n == 0 && bad == 0, "a directory changed between reads: each name there all along listed once (%d wrong)", bad);
}

/*
 * Entries without a type are stat'ed as they are listed; one removed
 * since is left out.  The dirlist of #U made room for the names of the
 * next 512 entries but went on past them in place of those left out:
 * with short names removed and long ones after them, it wrote past its
 * allocation (ASan: kern_san.t), up to 255 bytes an entry.
 */
enum { Ngone = 600 };

static void
untyped(void)
{
	char name[240];
	Dir *d;
	long n, i, nlong = 0, nshort = 0, ngone = 0;
	int fd, k, first = 1;

	kt_hmkdir("untyped");
	for(k = 0; k < Ngone; k++){
		snprintf(name, sizeof name, "untyped/a%04d", k);
		kt_hwrite(name, "");
		snprintf(name, sizeof name, "untyped/b%04d", k);
		kt_hwrite(name, "");
		snprintf(name, sizeof name, "untyped/c%04d%0200d", k, 0);
		kt_hwrite(name, "");
	}
	nodtype = 1;
	fd = kopen("#U/untyped", OREAD);
	ok(fd >= 0, "open #U/untyped");
	while((n = kdirreadnames(fd, &d)) > 0){
		for(i = 0; i < n; i++)
			if(d[i].name[0] == 'a')
				nshort++;
			else if(d[i].name[0] == 'b')
				ngone++;
			else if(d[i].name[0] == 'c' && strlen(d[i].name) == 205)
				nlong++;
		free(d);
		if(first){
			first = 0;
			for(k = 0; k < Ngone; k++){
				snprintf(name, sizeof name, "untyped/b%04d", k);
				unlink(kt_hpath(name));
			}
		}
	}
	nodtype = 0;
	kclose(fd);
	ok(n == 0 && nshort == Ngone && ngone == 0 && nlong == Ngone,
		"no d_type, names removed while listed: the rest listed whole, the removed ones not (%ld %ld %ld)",
		nshort, ngone, nlong);
}

static void
unionlist(void)
{
	Dir *full, *lite, *e;
	long nf, nl;
	ok(kbind("/ua", "/u", MREPL) == 0 && kbind("/ub", "/u", MAFTER) == 0, "a union of two host directories");
	full = listing("/u", 0, &nf, NULL);
	lite = listing("/u", 1, &nl, NULL);
	ok(full != NULL && lite != NULL && alike("/u", full, nf, lite, nl), "alike both ways (%ld entries)", nl);
	if(lite != NULL){
		e = find(lite, nl, "adir");
		ok(e != NULL && (e->mode & DMDIR) && find(lite, nl, "bdir") != NULL && find(lite, nl, "b1") != NULL,
			"entries of both members");
	}
	freelisting(full, nf);
	freelisting(lite, nl);
	ok(kunmount(NULL, "/u") == 0, "unmount");
}

/* The same directory read by a 9P client: whole entries. */
static void
ninep(void)
{
	int p[2];
	Dir *full, *lite, *e;
	long nf, nl;
	ok(kpipe(p) == 0 && kexport(p[0], "/", KEXPASYNC) == 0, "export / on a kernel pipe");
	kclose(p[0]);
	kt_hmkdir("over");
	ok(kmount(p[1], -1, "/over", MREPL, "") == 0, "mount it on /over");
	kclose(p[1]);
	full = listing("/over/d", 0, &nf, NULL);
	lite = listing("/over/d", 1, &nl, NULL);
	e = full != NULL ? find(full, nf, "f") : NULL;
	ok(e != NULL && e->length == 4 && e->mtime != 0 && e->uid[0] != 0, "the export's listing has whole entries");
	e = lite != NULL ? find(lite, nl, "f") : NULL;
	ok(e != NULL && e->length == 4 && e->uid[0] != 0, "read by names through the mount too: 9P has only whole ones");
	ok(full != NULL && lite != NULL && nf == nl, "the same entries (%ld)", nl);
	freelisting(full, nf);
	freelisting(lite, nl);
	ok(kunmount(NULL, "/over") == 0, "unmount");
}

int
main(void)
{
	kt_init(0, NULL);
	setup();
	same();
	cost();
	changing();
	untyped();
	unionlist();
	ninep();
	return done_testing();
}
