/*
 * tcache.c — translations kept across runs (the persistent cache).
 *
 * A program's start translates the same guest code at the same guest
 * addresses every run (vxrun places mappings deterministically):
 * python3 -c pass spends a third of its time on it.  With vx_tcache on,
 * each fragment a sandbox translates is also appended to its cache
 * object (TCache, one per program image and engine, shared by the
 * sandboxes that run it: forks, threads, other guests); when the last
 * of them is freed the object's file in the cache directory is
 * rewritten with the old entries and the new.  The next run maps the
 * file and, where the translator would translate at eip, looks eip up:
 * an entry is used only when the guest bytes it was made from (its own
 * and a followed block's or inlined thunk's) are executable and equal
 * now, and its pages are not volatile (fresh code there would be a
 * checked fragment).  The entry's code is copied to
 * where the translation would go, its jumps to runtime stubs moved,
 * its exit stubs told the fragment's index, and then it is registered
 * exactly as a fresh translation (translate.c's fromcache, fragdone).
 *
 * Files: a header (magic, format version, engine, the build id of the
 * program libvx is linked into, the image key, one checksum of the
 * whole file), an index sorted by guest address, then the entries in
 * the order they were made (the order the next run looks them up in),
 * then what a warm start takes whole rather than rebuilds fragment by
 * fragment (tcache.h): the page section (each page's inside-entry bits)
 * and the link section (each exit's link to an entry, as the run that
 * wrote the file made it).
 * Named by the image key, the engine and the start of the build id, so
 * that two builds used in turn (two installed versions, a developer's
 * trees) keep a file each rather than overwriting each other's at
 * every run; the old builds' files go as the least recently used.
 * A file that is short, of another build or engine, or whose checksum
 * is wrong is ignored as a whole (the sum is taken as the file is read,
 * a piece at a time, not per entry at each lookup); an entry whose
 * bounds are wrong is a miss.
 * Writes go to a temporary file renamed over the old one, so a reader
 * sees a whole file or none; two writers lose one's additions, never
 * corrupt.
 *
 * Trust (doc/translator.md): whoever can write a cache file chooses
 * code this process runs.  So the directory, opened once and used
 * through its descriptor, must be this user's (or root's) and writable
 * by no one else, and a file must be this user's regular file that no
 * one else can write (no symlink is followed).  The checksum catches
 * damage, not an adversary; every offset and count in a file is
 * bounds-checked in the file's bytes as loaded, which nothing changes
 * after (mapped read-only from a file nothing writes in place, or a
 * private read-only copy: filemap, fileread), so a crafted file is a
 * miss, never an access out of bounds.  The code itself is trusted as the
 * translator's own output unless VXVALIDATE=1, which puts every cached
 * fragment through the validator with the entries and patch sites the
 * engine will use (translate.c, fromcache).  Only the long engine keeps
 * a cache: compat has no validator.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <stdatomic.h>
#include <unistd.h>
#include "asan.h"
#include "trans.h"
#include "tcache.h"

typedef struct TCache TCache;
struct TCache {
	TCache *next;
	int ref;
	int engine;
	int warm;		/* holds the warm form's translations (vx_tcwarm) */
	uint64_t key;
	uint8_t *file;		/* the file as read at the start, or NULL */
	int filemapped;		/* file is mapped from it, not a copy (filemap) */
	size_t filesize;
	dev_t dev;		/* the file read: a rewrite renames a new one in */
	ino_t ino;
	const TcIdx *idx;	/* the file's index, in it (read in place: tcfind) */
	uint32_t nidx;
	const uint32_t *lfirst, *lto;	/* the link section (tcache.h), in the file */
	const uint16_t *lmi;
	uint32_t nlink;
	TcMade *made;		/* links made since the load (translate.c, logmade) */
	uint32_t nmade, amade;
	const uint32_t *pages;	/* the page section (tcache.h), in the file */
	const uint8_t *pbits;
	uint32_t npage;
	uint32_t *wpages;	/* the last sandbox's pages and bits, for the file written (tcgetbits) */
	uint8_t *wbits;
	uint32_t nwpage;
	uint8_t *pend;		/* entries made since, in file form */
	size_t npend, apend;	/* in use, faulted in (of TCFILEMAX mapped) */
	uint32_t npendent;
	struct PendEnt *pendent;	/* those entries' addresses and places (tcwrite) */
	uint32_t apendent;
	uint32_t *phash;	/* pendent's index + 1 by address, the newest (pendfind) */
	uint32_t phsize;	/* slots, a power of two */
	uint32_t phashed;	/* pendent[0, phashed) are in it (phcatchup) */
	uint32_t *ind;		/* addresses vx_tcindirect marked since the load */
	uint32_t nind, aind;
	_Atomic(uint64_t *) pmay;	/* pmaybits(eip) set: pend may hold eip
				 * (vx_tcget asks without the lock) */
	int rec;		/* entries are made (tcput) and looked up since the load:
				 * with a directory always; in memory only once the image
				 * runs a second time, forks or makes a thread (tcseen) */
};

/* Where an entry made since the load lies in TCache.pend: tcwrite lists
 * them from here, not by walking the entries' headers one after another
 * (a chain of dependent loads through megabytes written long before:
 * 3 ms of python's cold run). */
typedef struct PendEnt {
	uint32_t geip, len, at;
	uint16_t nmap, nout;	/* tclayout reads its exits where it sums it */
} PendEnt;

#define TCTMP ".vxtc-tmp-"	/* a file being written; a writer that died leaves it */

static pthread_mutex_t tclk = PTHREAD_MUTEX_INITIALIZER;
static int tcdirfd = -1;	/* the directory, opened and checked once */
static uint64_t tcmax;
static uint8_t tcbuild[BUILDLEN];
static TCache *tclist;
static TCache *tckept;		/* read copies no sandbox uses now, newest first */
static int tcmem;		/* no directory: kept in this process's memory only */
enum { NSEEN = 64 };
static uint64_t tcseen[NSEEN];	/* memory only: images loaded before, a ring */
static int tcseenat;

static TCache *unkeepall(void);
static void freelist(TCache *c);

/* The GNU build id of the object this code is linked into: a rebuilt
 * translator never takes a file an older one wrote. */
static int
buildnote(struct dl_phdr_info *info, size_t sz, void *arg)
{
	uintptr_t me = (uintptr_t)&buildnote, lo, a;
	const ElfW(Nhdr) *n;
	int i, in = 0;

	(void)sz;
	for(i = 0; i < info->dlpi_phnum; i++){
		lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
		if(info->dlpi_phdr[i].p_type == PT_LOAD && me >= lo && me - lo < info->dlpi_phdr[i].p_memsz)
			in = 1;
	}
	if(!in)
		return 0;
	for(i = 0; i < info->dlpi_phnum; i++){
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if(ph->p_type != PT_NOTE)
			continue;
		for(a = info->dlpi_addr + ph->p_vaddr; a + sizeof *n <= info->dlpi_addr + ph->p_vaddr + ph->p_memsz;){
			n = (const ElfW(Nhdr) *)a;
			if(n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && n->n_descsz > 0
			&& memcmp((const char *)(n + 1), "GNU", 4) == 0){
				memcpy(arg, (const uint8_t *)(n + 1) + 4, n->n_descsz < BUILDLEN ? n->n_descsz : BUILDLEN);
				return 1;
			}
			a += sizeof *n + ((n->n_namesz + 3) & ~3u) + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1;
}

/* mkdir -p, the last component 0700. */
static int
makedir(const char *dir)
{
	char *p, *s = strdup(dir);
	int r = 0;

	if(s == NULL)
		return -1;
	for(p = s + 1; *p; p++)
		if(*p == '/'){
			*p = 0;
			if(mkdir(s, 0700) < 0 && errno != EEXIST)
				r = -1;
			*p = '/';
		}
	if(mkdir(s, 0700) < 0 && errno != EEXIST)
		r = -1;
	free(s);
	return r;
}

/* Is st something only this user (or root) can change?  Whoever can
 * write the cache directory or a file in it can put code into this
 * process (doc/translator.md, "Trust"). */
static const char *
unsafe(const struct stat *st)
{
	if(st->st_uid != geteuid() && st->st_uid != 0)
		return "owned by another user";
	if(st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

int
vx_tcache(const char *dir, uint64_t maxbytes, char err[VX_ERRLEN])
{
	uint8_t build[BUILDLEN], zero[BUILDLEN];
	TCache *kept;
	struct stat st;
	const char *why;
	int fd = -1;

	if(dir != NULL){
		memset(build, 0, sizeof build);
		memset(zero, 0, sizeof zero);
		dl_iterate_phdr(buildnote, build);
		if(memcmp(build, zero, BUILDLEN) == 0){
			if(err)
				snprintf(err, VX_ERRLEN, "tcache: no build id in this program (link with --build-id)");
			return -1;
		}
		/* the directory is opened once and used through fd: renaming
		 * it or a parent later changes nothing; what was checked is
		 * what is used */
		errno = 0;
		if(makedir(dir) < 0 || (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
		|| fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)){
			if(err)
				snprintf(err, VX_ERRLEN, "tcache: %.80s: %s", dir, strerror(errno ? errno : ENOTDIR));
			if(fd >= 0)
				close(fd);
			return -1;
		}
		if((why = unsafe(&st)) != NULL){
			if(err)
				snprintf(err, VX_ERRLEN, "tcache: %.60s: unsafe, %s (mode %03o)", dir, why, (unsigned)(st.st_mode & 07777));
			close(fd);
			return -1;
		}
		memcpy(tcbuild, build, BUILDLEN);
	}
	pthread_mutex_lock(&tclk);
	if(tcdirfd >= 0)
		close(tcdirfd);
	tcdirfd = fd;
	tcmax = maxbytes ? maxbytes : TCDEFMAX;
	kept = unkeepall();	/* read from the old directory */
	pthread_mutex_unlock(&tclk);
	freelist(kept);
	return 0;
}

/* Translations kept in memory only, without a directory (vx.h). */
void
vx_tcmemory(int on)
{
	TCache *kept = NULL;

	pthread_mutex_lock(&tclk);
	tcmem = on != 0;
	if(!tcmem && tcdirfd < 0)
		kept = unkeepall();
	pthread_mutex_unlock(&tclk);
	freelist(kept);
}

/* The file's name: the key, the engine and form, the build. */
static void
tcname(char *buf, size_t n, const TCache *c)
{
	snprintf(buf, n, "%016llx-%s%s-%02x%02x%02x%02x.vxtc", (unsigned long long)c->key,
		c->engine == VX_ENGINE_LONG ? "long" : "compat", c->warm ? "-warm" : "",
		tcbuild[0], tcbuild[1], tcbuild[2], tcbuild[3]);
}

/* The header's engine field: the engine and the form. */
static uint32_t
hdrengine(const TCache *c)
{
	return (uint32_t)c->engine | (c->warm ? TCFORMWARM : 0);
}

/*
 * The cache files mapped now (filemap), for vx_tcbus: set and cleared
 * by whoever maps and unmaps, read by a signal handler.  Full, a file
 * is read instead.
 */
enum { NFMAP = 64 };
static struct {
	_Atomic uintptr_t base;
	_Atomic size_t len;
} fmaps[NFMAP];
static atomic_uint tcbusgen;	/* times vx_tcbus replaced pages */

#ifndef VXASAN	/* ASan reads a copy: filemap */
static int
fmapadd(uint8_t *m, size_t n)
{
	uintptr_t zero;
	int i;

	for(i = 0; i < NFMAP; i++){
		zero = 0;
		if(atomic_compare_exchange_strong(&fmaps[i].base, &zero, (uintptr_t)m)){
			atomic_store(&fmaps[i].len, n);
			return 0;
		}
	}
	return -1;
}
#endif

static void
fmapdel(uint8_t *m)
{
	int i;

	for(i = 0; i < NFMAP; i++)
		if(atomic_load(&fmaps[i].base) == (uintptr_t)m){
			atomic_store(&fmaps[i].len, 0);
			atomic_store(&fmaps[i].base, 0);
			return;
		}
}

/*
 * Host code faulted SIGBUS at a: in a cache file mapped here whose file
 * was truncated in place since (its owner's or root's doing: writers
 * rename a new file over it, and no guest can reach the directory)?
 * Then the page and the rest of the mapping become read-only zeros and
 * the access goes on: zeros are no entry (entok), the file's sum fails
 * (tcload), the old entries are not written again (tclayout), and a
 * fragment being copied from there when it happened is dropped
 * (vx_tcget, tcbusgen).  Signal handler context: system calls and
 * atomics only.
 */
int
vx_tcbus(uintptr_t a)
{
	uintptr_t b, p = a & ~(uintptr_t)(VX_PAGE - 1), e;
	size_t n;
	int i;

	for(i = 0; i < NFMAP; i++){
		b = atomic_load(&fmaps[i].base);
		n = atomic_load(&fmaps[i].len);
		if(b == 0 || a < b || a - b >= n)
			continue;
		e = (b + n + VX_PAGE - 1) & ~(uintptr_t)(VX_PAGE - 1);
		atomic_fetch_add(&tcbusgen, 1);
		return mmap((void *)p, e - p, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED;
	}
	return 0;
}

/* Free a file's bytes: mapped from the file (filemap), or a copy. */
static void
filefree(uint8_t *m, size_t n, int mapped)
{
	if(m == NULL)
		return;
	if(mapped){
		fmapdel(m);
		munmap(m, n);
		return;
	}
#ifdef VXASAN
	(void)n;
	free(m);
#else
	munmap(m, vx_hugeround(n));
#endif
}

/* Add the file's bytes [from, to) at m to its sum (its own field 0). */
static void
filesum(TcSum *s, const uint8_t *m, size_t from, size_t to)
{
	TcHdr hc;

	if(from == 0){
		memcpy(&hc, m, sizeof hc);	/* n >= sizeof hc: tcload */
		hc.sum = 0;
		tcsumadd(s, &hc, sizeof hc);
		from = sizeof hc;
	}
	tcsumadd(s, m + from, to - from);
}

/*
 * The file's n bytes mapped read-only from the page cache: nothing to
 * zero and nothing to copy (a warm python start read 6.5 MB into fresh
 * memory).  In huge pages where the page cache holds the file in 2 MiB
 * folios (tcwrite writes it so; MADV_HUGEPAGE asks readahead for them
 * too), all pages mapped by one call (a fault each is several µs on a
 * virtual machine).  Checked in place, it must not change under the
 * checks, and nothing writes it in place: it is this user's, in a
 * directory only this user can write and no guest can reach
 * (cmd/vxinferno.c, tcacheguest), and writers rename a new file over
 * it, which leaves this mapping on the old one.  A truncation in place
 * (its owner's or root's doing) is caught by vx_tcbus.  NULL: keep a
 * private copy instead (fileread): with VXVALIDATE=1, so that what is
 * validated is what runs, and under ASan, which checks a crafted file's
 * reads in a malloc'd copy.
 */
static uint8_t *
filemap(int fd, size_t n, uint64_t *sum)
{
#ifdef VXASAN
	(void)fd, (void)n, (void)sum;
	return NULL;
#else
	TcSum s;
	uint8_t *m;

	if(vx_validating())
		return NULL;
	m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
	if(m == MAP_FAILED)
		return NULL;
	if(fmapadd(m, n) < 0){
		munmap(m, n);
		return NULL;
	}
	madvise(m, n, MADV_HUGEPAGE);
	madvise(m, n, MADV_POPULATE_READ);
	tcsuminit(&s, 0);
	filesum(&s, m, 0, n);
	*sum = tcsumend(&s);
	return m;
#endif
}

/*
 * A private copy of the file's n bytes, where it is not mapped
 * (filemap), read into transparent huge pages: a copy and a few 2 MiB
 * faults.  A private copy cannot change under the checks made on it.
 * Under ASan the copy is malloc'd, so that a read past a crafted
 * file's end is caught (tests/vxinferno_tcache.t).
 */
static uint8_t *
fileread(int fd, size_t n, uint64_t *sum)
{
	TcSum s;
	uint8_t *m;
	size_t got, want;
	ssize_t k;

#ifdef VXASAN
	m = malloc(n);
#else
	m = vx_hugemap(vx_hugeround(n));
#endif
	if(m == NULL)
		return NULL;
	tcsuminit(&s, 0);
	/* a piece at a time, summed while it is in the CPU's cache */
	for(got = 0; got < n; got += (size_t)k){
		want = n - got < TCREAD ? n - got : TCREAD;
		if((k = pread(fd, m + got, want, (off_t)got)) <= 0 || got + (size_t)k < sizeof(TcHdr)){
			filefree(m, n, 0);	/* a short first read: not worth the case */
			return NULL;
		}
		filesum(&s, m, got, got + (size_t)k);
	}
	*sum = tcsumend(&s);
#ifndef VXASAN
	mprotect(m, vx_hugeround(n), PROT_READ);
#endif
	return m;
}

/* The bytes of the link section's mi[nlink], padded to 4. */
static uint64_t
linkmibytes(uint64_t nlink)
{
	return (nlink * 2 + 3) & ~(uint64_t)3;
}

/* The page section's bytes for n pages. */
static uint64_t
pagebytes(uint64_t n)
{
	return ((n * 4 + 7) & ~(uint64_t)7) + n * TCPAGEBITS;
}

/* Do the page and link sections fit the file exactly, one after the
 * other, past the index? */
static int
linksok(const TcHdr *h, uint64_t size)
{
	uint64_t need = ((uint64_t)h->nent + 1 + h->nlink) * 4 + linkmibytes(h->nlink);

	return h->pageoff % 8 == 0 && h->pageoff >= sizeof *h + (uint64_t)h->nent * sizeof(TcIdx)
		&& h->npage <= h->nent && h->pageoff <= size && size - h->pageoff >= pagebytes(h->npage)
		&& h->linkoff == h->pageoff + pagebytes(h->npage)
		&& size - h->linkoff == need;
}

/*
 * Read c's file if it is whole and ours: a regular file of this user's
 * that no one else can write, in the directory vx_tcache checked, and
 * whose sum holds.  Mapped read-only from a file nothing writes in
 * place, or a private read-only copy (under ASan malloc'd, written by
 * nothing), so what vx_tcget checks in it stays as checked.
 */
static void
tcload(TCache *c)
{
	char name[64];
	struct stat st;
	const TcHdr *h;
	TcHdr hc;
	uint64_t sum;
	uint8_t *m;
	int fd, mapped;

	tcname(name, sizeof name, c);
	/* no symlink; O_NONBLOCK: a FIFO in its place must not block */
	fd = openat(tcdirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if(fd < 0)
		return;
	if(fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || unsafe(&st) != NULL
	|| st.st_size < (off_t)sizeof *h || st.st_size > TCFILEMAX){
		close(fd);
		return;
	}
	mapped = (m = filemap(fd, (size_t)st.st_size, &sum)) != NULL;
	if(!mapped)
		m = fileread(fd, (size_t)st.st_size, &sum);
	futimens(fd, NULL);	/* recently used: removed last */
	close(fd);
	if(m == NULL)
		return;
	/* the header is copied; the index is read where it lies, like
	 * the entries: it only finds an entry (tcfind), which is checked
	 * for the address looked up, and a zeroed piece (a truncation in
	 * place, vx_tcbus) finds none.  A private copy of it was python's
	 * 46 fresh pages, each first store a hypervisor trap on a PVM host
	 * (doc/bench.md, "python3's warm start: host costs, session 31"). */
	h = (const TcHdr *)m;
	hc = *h;
	if(hc.sum != sum || memcmp(hc.magic, "vxtcache", 8) != 0 || hc.version != TCVERSION || hc.engine != hdrengine(c)
	|| memcmp(hc.build, tcbuild, BUILDLEN) != 0 || hc.key != c->key || hc.size != (uint64_t)st.st_size
	|| hc.nent > (st.st_size - sizeof *h) / sizeof(TcIdx) || hc.nent == 0
	|| !linksok(&hc, (uint64_t)st.st_size))
		goto bad;
	c->idx = (const TcIdx *)(m + sizeof *h);
	c->lfirst = (const uint32_t *)(m + hc.linkoff);
	c->lto = c->lfirst + hc.nent + 1;
	c->lmi = (const uint16_t *)(c->lto + hc.nlink);
	c->nlink = hc.nlink;
	c->pages = (const uint32_t *)(m + hc.pageoff);
	c->pbits = m + hc.pageoff + pagebytes(hc.npage) - (uint64_t)hc.npage * TCPAGEBITS;
	c->npage = hc.npage;
	c->file = m;
	c->filemapped = mapped;
	c->filesize = (size_t)st.st_size;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->nidx = hc.nent;
	return;
bad:
	filefree(m, (size_t)st.st_size, mapped);
}

static void
tcfree(TCache *c)
{
	if(c->file != NULL)
		filefree(c->file, c->filesize, c->filemapped);
	free(c->pendent);
	free(c->phash);
	free(c->ind);
	free(c->made);
	free(c->wpages);
	free(c->wbits);
	free(atomic_load(&c->pmay));
	if(c->pend != NULL)
		munmap(c->pend, TCFILEMAX);
	free(c);
}

/*
 * Keep c, which no sandbox uses now and whose file was read and not
 * rewritten, for the next sandbox of its image (tclk held): a shell
 * loop of compiles runs cc1 afresh each time, and reading its 20 MB
 * file again cost a fresh copy, the read and the sum every time
 * (doc/bench.md, "Compiles, thirteenth session").  Its bytes (mapped or
 * copied) stay as checked; what it lacks is only what
 * another process wrote since (unkeep).  The oldest beyond KEPTMAX
 * copies or KEPTBYTES go; returns those to free after the unlock.
 */
static TCache *
keep(TCache *c)
{
	TCache **l, *gone = NULL, *x;
	size_t bytes = c->filesize;
	int n = 1;

	if(c->pend != NULL)
		munmap(c->pend, TCFILEMAX);
	c->pend = NULL;
	c->npend = c->apend = 0;
	c->npendent = 0;
	free(c->pendent);
	c->pendent = NULL;
	c->apendent = 0;
	free(c->phash);
	c->phash = NULL;
	c->phsize = c->phashed = 0;
	free(c->ind);
	c->ind = NULL;
	c->nind = c->aind = 0;
	free(c->made);
	c->made = NULL;
	c->nmade = c->amade = 0;
	free(c->wpages);
	free(c->wbits);
	c->wpages = NULL;
	c->wbits = NULL;
	c->nwpage = 0;
	free(atomic_load(&c->pmay));
	atomic_store(&c->pmay, NULL);
	c->next = tckept;
	tckept = c;
	for(l = &c->next; (x = *l) != NULL;){
		if(n + 1 > KEPTMAX || bytes + x->filesize > KEPTBYTES){
			*l = x->next;
			x->next = gone;
			gone = x;
			continue;
		}
		n++;
		bytes += x->filesize;
		l = &x->next;
	}
	return gone;
}

/*
 * The kept copy for key, taken off the kept list, if the file in the
 * directory is still the one it was read from (tclk held).  A writer
 * renames a new file in, so another device or inode means newer
 * entries: then the copy goes and the file is read again.  The file's
 * time is touched as a read touches it (evict removes the least
 * recently used).
 */
static TCache *
unkeep(uint64_t key, int engine, int warm)
{
	TCache **l, *c;
	struct stat st;
	char name[64];

	for(l = &tckept; (c = *l) != NULL; l = &c->next)
		if(c->key == key && c->engine == engine && c->warm == warm)
			break;
	if(c == NULL)
		return NULL;
	*l = c->next;
	c->next = NULL;
	if(tcdirfd < 0)
		return c;	/* memory only: nothing else writes it */
	tcname(name, sizeof name, c);
	if(fstatat(tcdirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != c->dev || st.st_ino != c->ino
	|| st.st_size != (off_t)c->filesize){
		tcfree(c);
		return NULL;
	}
	utimensat(tcdirfd, name, NULL, AT_SYMLINK_NOFOLLOW);
	return c;
}

/* The kept copies, taken off the list (tclk held), to free after. */
static TCache *
unkeepall(void)
{
	TCache *c = tckept;

	tckept = NULL;
	return c;
}

static void
freelist(TCache *c)
{
	TCache *n;

	for(; c != NULL; c = n){
		n = c->next;
		tcfree(c);
	}
}

/* vx_dropspares: the kept copies go back to the host too. */
void
vx_tcdropkept(void)
{
	TCache *c;

	pthread_mutex_lock(&tclk);
	c = unkeepall();
	pthread_mutex_unlock(&tclk);
	freelist(c);
}

/*
 * Memory only: has this process loaded the image key before (tclk
 * held)?  If not it is noted.  A program that runs once (python3 -c
 * pass: 16,000 fragments, 6.5 MB) would pay for keeping its fragments
 * (7 ms of 32, doc/bench.md) with nothing to gain; its second run, a
 * fork or a thread starts keeping them.
 */
static int
seen(uint64_t key)
{
	int i;

	for(i = 0; i < NSEEN; i++)
		if(tcseen[i] == key)
			return 1;
	tcseen[tcseenat] = key;
	tcseenat = (tcseenat + 1) % NSEEN;
	return 0;
}

/*
 * A Vx turns warm (translate.c, vx_rtabwarm) after about a million rets
 * and translates what runs from then on again, in the warm form (exact
 * rets and indirect branches through its return table), which the cold
 * form's entries do not hold.  Those translations are kept in a cache of
 * their own: the image's key with TCWARMKEY flipped, and the form
 * (TCache.warm: the file's name and header, the objects shared and
 * kept), so the file format is the cold one's.  A warm compile's cc1
 * translated 27,000 fragments again at every run for want of it
 * (doc/bench.md, "gcc -c with a warm cache").
 * The form is part of the name, not only the flipped key: a key is a sum
 * of the image's first bytes that whoever writes a program can choose
 * (tests/tools/tckey.c), and a copy of a program whose key was the
 * original's flipped had its cold run put cold-form entries into the
 * original's warm file.  Either form runs right in either Vx, but a
 * cold ret in a warm Vx, whose count to the runtime is 0 (translong.c,
 * coldret), leaves guest code at every ret: the original's warm runs
 * left it 453,000 times rather than 220, 5x slower, from then on (red
 * team, session 26; tests/vxinferno_tcwarm.t).
 */

/* vx uses the cache object of key (the image's, or its warm form's),
 * loaded or made if no sandbox has it. */
static void
attachkey(Vx *vx, uint64_t key, int warm)
{
	TCache *c;
	size_t n;

	pthread_mutex_lock(&tclk);
	if(tcdirfd < 0 && !tcmem){
		pthread_mutex_unlock(&tclk);
		return;
	}
	for(c = tclist; c != NULL; c = c->next)
		if(c->key == key && c->engine == vx->engine && c->warm == warm)
			break;
	if(c == NULL && (c = unkeep(key, vx->engine, warm)) != NULL){
		c->next = tclist;
		tclist = c;
	}
	if(c == NULL && (c = calloc(1, sizeof *c)) != NULL){
		c->key = key;
		c->engine = vx->engine;
		c->warm = warm;
		if(tcdirfd >= 0)
			tcload(c);
		c->rec = tcdirfd >= 0 || seen(key);
		c->next = tclist;
		tclist = c;
	}else if(c != NULL)
		c->rec = 1;	/* kept, or another sandbox runs it now */
	if(c != NULL)
		c->ref++;
	vx->tc = c;
	vx->tcwarm = warm;
	vx->tcnext = 0;
	vx->tclog = c != NULL && c->rec && c->file == NULL;	/* a file is made: its links (logmade) */
	n = c != NULL ? c->nidx : 0;
	pthread_mutex_unlock(&tclk);
	/* the program will take about as many fragments as its file holds */
	if(n > 0)
		vx_fragreserve(vx, n > RESERVEMAX ? RESERVEMAX : (int)n);
}

/* Use (and later extend) the cache file of the program image just
 * loaded into vx. */
void
vx_tcattach(Vx *vx, const void *image, size_t size)
{
	/* long only: its cached code goes through the validator (fromcache);
	 * compat has none, and would run a file's bytes unchecked */
	if((tcdirfd < 0 && !tcmem) || image == NULL || vx->engine != VX_ENGINE_LONG)
		return;
	if(vx->tc != NULL){
		vx_flushcache(vx);	/* its fragments' maps may be in the old file */
		vx_tcdetach(vx);
	}
	attachkey(vx, tcsum(image, size < KEYBYTES ? size : KEYBYTES, size), 0);
}

/* vx turns warm: its code is flushed, and from now on it takes and adds
 * the warm form's entries.  The cold object is let go before the flush:
 * a file written then takes the cold fragments' inside-entry bits
 * (tcgetbits; the flush frees them) and links. */
void
vx_tcwarm(Vx *vx)
{
	uint64_t key;

	if(vx->tc == NULL || vx->tcwarm){
		vx_flushcache(vx);
		return;
	}
	key = vx->tc->key ^ TCWARMKEY;
	vx_tcdetach(vx);
	vx_flushcache(vx);
	attachkey(vx, key, 1);
}

/* Held across a host fork (vx.c, forkhold). */
void
vx_tcforkhold(int hold)
{
	if(hold)
		pthread_mutex_lock(&tclk);
	else
		pthread_mutex_unlock(&tclk);
}

void
vx_tcshare(Vx *to, Vx *from)
{
	if(from->tc == NULL)
		return;
	if(from->tcwarm != to->rwarm){
		/* a warm Vx's fork or thread starts cold: the image's cold
		 * entries serve it */
		attachkey(to, from->tc->key ^ TCWARMKEY, to->rwarm);
		return;
	}
	pthread_mutex_lock(&tclk);
	from->tc->ref++;
	__atomic_store_n(&from->tc->rec, 1, __ATOMIC_RELAXED);	/* a fork or thread: another run of its code */
	to->tc = from->tc;
	to->tcwarm = from->tcwarm;
	to->tcnext = 0;
	to->tclog = from->tc->file == NULL;
	from->tclog = to->tclog;
	pthread_mutex_unlock(&tclk);
}

/* The runtime stubs' base: a long cache's start, compat's blob. */
static uint32_t
stubbase(Vx *vx)
{
	return vx->engine == VX_ENGINE_LONG ? vx_lstub(vx, vxlblob_start) : vx_blobaddr(vxblob_start);
}

static uint32_t
stubsize(Vx *vx)
{
	return vx->engine == VX_ENGINE_LONG ? (uint32_t)(vxlblob_end - vxlblob_start) : (uint32_t)(vxblob_end - vxblob_start);
}

/* Are [a, a + n) executable, mapped guest bytes on pages that are not
 * volatile, can be write-protected (vxmem_codefull), and are not a
 * file's past its end (vxmem_codepasteof: reading one to check the
 * bytes made it zeros, which the guest then ran)? */
static int
codeok(Vx *vx, uint32_t a, uint32_t n)
{
	VxMem *m = vx->mem;
	uint32_t p;
	uint8_t pg;

	if(n == 0)
		return 1;
	if((uint64_t)a + n > m->size)
		return 0;
	for(p = a >> VX_PAGESHIFT; p <= (a + n - 1) >> VX_PAGESHIFT; p++){
		pg = m->page[p];
		if((pg & (PG_MAPPED | PG_X | PG_VOLATILE)) != (PG_MAPPED | PG_X))
			return 0;
		if(vxmem_codefull(vx, p << VX_PAGESHIFT))
			return 0;	/* cannot be write-protected: translate afresh, checked */
		if(vxmem_codepasteof(vx, p << VX_PAGESHIFT))
			return 0;	/* translate afresh: the fetch is SIGBUS */
	}
	return 1;
}

/* The entry at off in the file, if its header lies inside it. */
static const uint8_t *
entat(const TCache *c, uint32_t off)
{
	if(off % 8 != 0 || off < sizeof(TcHdr) || off > c->filesize - sizeof(TcEnt))
		return NULL;
	return c->file + off;
}

/* Index entry i's number in the file's order, or ~0 (none) where it is
 * out of bounds: numbers are the link section's (vx_tclinks), and
 * one + 1 names the entry in Frag.tcent and tclayout's Ent.src, where
 * TCPEND marks one made since the load.  A crafted file's 0xfffffff0
 * made its entry a new one's: tclinks wrote newpend[0x7ffffff1], far
 * past its end (fuzz_tcache; tests/data/fuzzcases/fuzz_tcache). */
static uint32_t
ordof(const TCache *c, uint32_t i)
{
	return c->idx[i].ord < c->nidx ? c->idx[i].ord : ~(uint32_t)0;
}

/* The entry for eip in the file, or NULL; its offset is checked here,
 * the rest by entok. */
static const uint8_t *
tcfind(const TCache *c, uint32_t eip, uint32_t *ord)
{
	uint32_t lo = 0, hi = c->nidx, mid;

	while(lo < hi){
		mid = lo + (hi - lo) / 2;
		if(c->idx[mid].geip < eip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if(lo == c->nidx || c->idx[lo].geip != eip)
		return NULL;
	*ord = ordof(c, lo);
	return entat(c, c->idx[lo].off);
}

static uint32_t
phslot(uint32_t eip, uint32_t size)
{
	return (uint32_t)((eip * 0x9e3779b97f4a7c15ull) >> 32) & (size - 1);
}

/* Put pendent[k] in the hash (tclk held), in place of an older entry
 * at its address. */
static void
phput(TCache *c, uint32_t k)
{
	uint32_t i, j, eip = c->pendent[k].geip;

	for(i = phslot(eip, c->phsize);; i = (i + 1) & (c->phsize - 1)){
		j = c->phash[i];
		if(j == 0 || c->pendent[j - 1].geip == eip){
			c->phash[i] = k + 1;
			return;
		}
	}
}

/*
 * The entries made since the load, all in the hash (tclk held); 0: no
 * memory.  Hashed when a lookup wants them, not as each is made: a
 * first run makes 16,000 and looks up none (pendmay), and hashing them
 * one by one between translations, each a miss, was 0.75 ms of
 * python's first cached run.
 */
static int
phcatchup(TCache *c)
{
	uint32_t *old = c->phash, n, k;

	if(c->phash == NULL || 2 * c->npendent > c->phsize){
		for(n = c->phsize ? c->phsize : 4096; 2 * c->npendent > n; n *= 2)
			;
		if((c->phash = calloc(n, sizeof *c->phash)) == NULL){
			c->phash = old;
			return 0;
		}
		free(old);
		c->phsize = n;
		c->phashed = 0;
	}
	for(k = c->phashed; k < c->npendent; k++)
		phput(c, k);
	c->phashed = c->npendent;
	return 1;
}

/* The newest entry made since the load for eip (tclk held), or NULL:
 * a fork's child, or the next thread or spawn of a program while one of
 * its sandboxes lives, takes what another made (a shell's child
 * translated the shell's fork and exec paths afresh each time). */
static const uint8_t *
pendfind(TCache *c, uint32_t eip)
{
	uint32_t i, j;

	if(c->npendent == 0 || !phcatchup(c))
		return NULL;
	for(i = phslot(eip, c->phsize);; i = (i + 1) & (c->phsize - 1)){
		if((j = c->phash[i]) == 0)
			return NULL;
		if(c->pendent[j - 1].geip == eip)
			return c->pend + c->pendent[j - 1].at;
	}
}

/* pendmay's two bits for eip. */
static void
pmaybits(uint32_t eip, uint32_t b[2])
{
	uint64_t h = eip * 0x9e3779b97f4a7c15ull;

	b[0] = (uint32_t)(h >> 44) & (PMAYBITS - 1);
	b[1] = (uint32_t)(h >> 24) & (PMAYBITS - 1);
}

/*
 * May the entries made since the load hold one for eip?  Asked without
 * the lock before pendfind: a first run with a directory looks up each
 * of its 16,000 translations there and finds none, and the lock and the
 * hash's misses were 1.4 ms of python's 32 (doc/bench.md, "the first
 * cached run").  Two bits of PMAYBITS set after an entry went in: 16,000
 * entries leave one lookup in 1,000 asking pendfind for nothing.  A
 * lookup that races with the put may miss it, and translates afresh.
 */
static int
pendmay(TCache *c, uint32_t eip)
{
	uint64_t *m = atomic_load_explicit(&c->pmay, memory_order_acquire);
	uint32_t b[2];

	if(m == NULL)
		return 0;
	pmaybits(eip, b);
	return (__atomic_load_n(&m[b[0] / 64], __ATOMIC_RELAXED) >> (b[0] % 64) & 1)
		&& (__atomic_load_n(&m[b[1] / 64], __ATOMIC_RELAXED) >> (b[1] % 64) & 1);
}

/* Note eip for pendmay (tclk held); 0: no memory. */
static int
pmayput(TCache *c, uint32_t eip)
{
	uint64_t *m = atomic_load(&c->pmay);
	uint32_t b[2];

	if(m == NULL){
		if((m = calloc(PMAYBITS / 64, sizeof *m)) == NULL)
			return 0;
		atomic_store_explicit(&c->pmay, m, memory_order_release);
	}
	pmaybits(eip, b);
	__atomic_fetch_or(&m[b[0] / 64], 1ull << (b[0] % 64), __ATOMIC_RELAXED);
	__atomic_fetch_or(&m[b[1] / 64], 1ull << (b[1] % 64), __ATOMIC_RELAXED);
	return 1;
}

/* Write-protect the guest bytes [a, a + n) (codeok's): usually they
 * are already, and a warm start looks up every fragment here. */
static void
protect(Vx *vx, uint32_t a, uint32_t n)
{
	const uint8_t *pg = vx->mem->page;
	uint32_t p;

	if(n == 0)
		return;
	for(p = a >> VX_PAGESHIFT; p <= (a + n - 1) >> VX_PAGESHIFT; p++)
		if(!(__atomic_load_n(&pg[p], __ATOMIC_ACQUIRE) & PG_CODE)){
			vxmem_markcode(vx, a, a + n);
			return;
		}
}

/* Is e (a copy of the entry at ep in [base, base + size): the file, or
 * the entries made since) whole, consistent, and made from the guest
 * bytes there now? */
static int
entok(Vx *vx, const uint8_t *base, size_t size, const uint8_t *ep, const TcEnt *e)
{
	const uint8_t *g;
	uint32_t glen, xlen;
	size_t need;

	if(e->len < sizeof *e || e->len % 8 != 0 || e->len > size - (size_t)(ep - base))
		return 0;
	if(e->nmap == 0 || e->nmap > MAXMAP || e->nout > MAXEXIT || e->nrel > MAXREL
	|| e->ncode > FRAGROOM - BODYALIGN || e->ientry >= e->ncode || e->body >= e->ncode
	|| e->gend < e->geip || e->gend - e->geip > 2 * VX_PAGE
	|| e->xhi < e->xlo || e->xhi - e->xlo > VX_PAGE)
		return 0;
	glen = e->gend - e->geip;
	xlen = e->xhi - e->xlo;
	need = sizeof *e + e->nmap * sizeof(MapEnt) + e->nout * sizeof(TcOut) + e->nrel * sizeof(TcRel) + glen + xlen + e->ncode;
	if(need > e->len)
		return 0;
	if(!codeok(vx, e->geip, glen) || !codeok(vx, e->xlo, xlen))
		return 0;
	/* protected before they are compared: compared first, another
	 * guest thread's write before the protection (fragdone) went
	 * unseen, the fragment running the old bytes with no fault to drop
	 * it (red team, session 22; translate.c, decodeheld) */
	protect(vx, e->geip, glen);
	protect(vx, e->xlo, xlen);
	g = ep + sizeof *e + e->nmap * sizeof(MapEnt) + e->nout * sizeof(TcOut) + e->nrel * sizeof(TcRel);
	return vx_codesame(g, vx->mem->base + e->geip, glen) && vx_codesame(g + glen, vx->mem->base + e->xlo, xlen);
}

/*
 * The translation of t->geip from the cache, put at t->start and
 * described in t as vx_translate leaves a fresh one (before its exits
 * are linked): 0 from the file (or the memory-only copy), 1 from the
 * entries made since the load (another sandbox's); -1: none usable.  Every field is checked before it is
 * used (the header here, the map where it lies, the exits and stub
 * jumps one by one), in the file's bytes as loaded, which nothing
 * writes (tcload): a crafted file can make a miss, never an access out
 * of bounds.  What the copied code may do is fromcache's to check.
 */
int
vx_tcget(Vx *vx, T *t)
{
	TCache *c = vx->tc;
	const uint8_t *ep, *p;
	const MapEnt *map;
	TcEnt e;
	TcOut o;
	TcRel rl;
	const uint16_t *lmi;
	MapEnt *cmap;
	uint32_t base = stubbase(vx), nstub = stubsize(vx), start = (uint32_t)(uintptr_t)t->start, r;
	size_t pend;
	int i, shared = 0, fetch;
	unsigned gen = atomic_load(&tcbusgen);
	uint32_t ord = vx->tcord - 1;	/* the entry's at tcnext (0: ~0, none) */

	ep = NULL;
	t->tcord = 0;
	if(c->file == NULL && !__atomic_load_n(&c->rec, __ATOMIC_RELAXED))
		return -1;
	if(c->file != NULL){
		/* a run looks its entries up in about the order the file has
		 * them (tcwrite): the one after the last taken first, then the
		 * index */
		if((ep = entat(c, vx->tcnext)) == NULL || memcmp(ep + offsetof(TcEnt, geip), &t->geip, 4) != 0)
			ep = tcfind(c, t->geip, &ord);
		if(ep != NULL){
			memcpy(&e, ep, sizeof e);
			if(e.geip != t->geip || !entok(vx, c->file, c->filesize, ep, &e))
				ep = NULL;
			else{
				vx->tcnext = (uint32_t)(ep - c->file) + e.len;	/* entat checks it */
				vx->tcord = ord + 2;	/* the next one's; a hint: vx_tclinks checks it */
			}
		}
	}
	if(ep == NULL){
		/* the entries made since: written once, before they are in
		 * the hash, and never moved while a sandbox holds c */
		if(!__atomic_load_n(&c->rec, __ATOMIC_RELAXED) || !pendmay(c, t->geip))
			return -1;
		pthread_mutex_lock(&tclk);
		ep = pendfind(c, t->geip);
		pend = c->npend;
		pthread_mutex_unlock(&tclk);
		if(ep == NULL)
			return -1;
		memcpy(&e, ep, sizeof e);
		if(e.geip != t->geip || !entok(vx, c->pend, pend, ep, &e))
			return -1;
		shared = 1;
	}
	p = ep + sizeof e;
	/* the map is checked and used where it lies in a copy read at the
	 * load, or in the entries made since, which nothing writes again.
	 * A mapped file's is copied first: the fragment's map is read for
	 * its life, in signal handlers too (sig.c), and a truncation in
	 * place (vx_tcbus's zeros) or a rewrite in place changed it there
	 * after the check: a fault's eip became the fragment's start, and a
	 * guest's own SIGBUS, handled with SIGBUS blocked, read the map
	 * from a page cut away and the host died of it (red team, session
	 * 23; tests/vxinferno_tcache.t, guest_tcbus) */
	map = (const MapEnt *)p;
	if(!shared && c->filemapped){
		/* where the fragment will keep it (fragdone), not through
		 * t->map: one copy of 2 MB a python start, not two */
		cmap = vx_fragmem(vx, e.nmap * sizeof *map);
		memcpy(cmap, map, e.nmap * sizeof *map);
		map = cmap;
	}
	p += e.nmap * sizeof(MapEnt);
	/* taken ahead, its exits are linked by the file's links where it
	 * has them (translate.c, prelink), not looked up */
	fetch = !t->ahead || shared || vx_tclinks(vx, ord, e.nout, &lmi) == NULL;
	for(i = 0; i < e.nmap; i++)
		if(map[i].hoff >= e.ncode || map[i].kind > M_TAIL || (map[i].kind == M_STUB && map[i].goff >= e.nout))
			return -1;
	/* the code first: the stub jumps and the exit stubs are then
	 * patched in place */
	memcpy(t->start, p + e.nout * sizeof(TcOut) + e.nrel * sizeof(TcRel) + (e.gend - e.geip) + (e.xhi - e.xlo), e.ncode);
	t->p = t->start + e.ncode;
	for(i = 0; i < e.nout; i++){
		memcpy(&o, p, sizeof o);
		p += sizeof o;
		if((uint32_t)o.site + 4 > e.ncode || (uint32_t)o.stub + LSTUBLEN > e.ncode)
			return -1;
		/* each exit stub names the fragment (its index, as addfrag
		 * will make it) and the exit: the immediate, LSTUBIMM bytes in */
		r = (uint32_t)vx->nfrags << 8 | (uint32_t)i;
		memcpy(t->start + o.stub + LSTUBIMM, &r, 4);
		t->exit[i].site = start + o.site;
		t->exit[i].stub = start + o.stub;
		t->exit[i].target = o.target;
		t->exit[i].to = NULL;
		if(fetch)
			vx_hashprefetch(vx, o.target);	/* fromcache or prelink looks it up */
	}
	for(i = 0; i < e.nrel; i++){
		memcpy(&rl, p, sizeof rl);
		p += sizeof rl;
		if(rl.site < 1 || (uint64_t)rl.site + 4 > e.ncode || rl.to >= nstub)
			return -1;
		r = base + rl.to - (start + rl.site + 4);
		memcpy(t->start + rl.site, &r, 4);
	}
	if(atomic_load(&tcbusgen) != gen)
		return -1;	/* read in part from zeros a truncation left (vx_tcbus) */
	t->nexit = e.nout;
	t->cmap = map;	/* t->map is not filled in */
	t->nmap = e.nmap;
	t->gend = e.gend;
	t->xlo = e.xlo;
	t->xhi = e.xhi;
	t->ientry = e.ientry;
	t->body = e.body;
	t->checked = 0;
	t->callret = (e.flags & TCCALLRET) != 0;
	t->x87 = (e.flags & TCX87) != 0;
	t->indirect = (e.flags & TCINDIRECT) != 0;
	t->from = e.from;
	t->dispatch = e.dispatch;
	t->thunks = e.thunks;
	t->guesses = e.guesses;
	if(!shared)
		t->tcord = t->tcent = ord + 1;
	return shared;
}

/* The file's entry after the one last taken, or NULL. */
static const uint8_t *
nextent(Vx *vx)
{
	const TCache *c = vx->tc;

	if(c == NULL || c->file == NULL)
		return NULL;
	return entat(c, vx->tcnext);
}

/* The length of ep, nextent's entry, or 0 where it does not fit the
 * file. */
static uint32_t
nextlen(const Vx *vx, const uint8_t *ep)
{
	uint32_t len;

	memcpy(&len, ep + offsetof(TcEnt, len), 4);
	if(len < sizeof(TcEnt) || len % 8 != 0 || len > vx->tc->filesize - vx->tcnext)
		return 0;
	return len;
}

/* Its guest address (vx_translate's run-ahead takes it next), or 0. */
uint32_t
vx_tcahead(Vx *vx)
{
	const uint8_t *ep;
	uint32_t eip;

	if((ep = nextent(vx)) == NULL)
		return 0;
	memcpy(&eip, ep + offsetof(TcEnt, geip), 4);
	return eip;
}

/* The guest address of the entry after that one, or 0: run-ahead
 * starts fetching its fragment table bucket a fragment early. */
uint32_t
vx_tcafter(Vx *vx)
{
	const uint8_t *ep;
	uint32_t len, eip;

	if((ep = nextent(vx)) == NULL || (len = nextlen(vx, ep)) == 0 || (ep = entat(vx->tc, vx->tcnext + len)) == NULL)
		return 0;
	memcpy(&eip, ep + offsetof(TcEnt, geip), 4);
	return eip;
}

/*
 * Start fetching the file's bytes up to TCFETCHAHEAD past the next
 * entry.  Run-ahead reads the file in order, but each entry's header
 * (where the next one is) came as a miss of its own: about 400 bytes
 * an entry, read once each, much of the 6.5 MB file gone from the
 * caches since it was read; the hardware's prefetcher did not keep up
 * with a walk that stops at each entry for its checks.
 */
enum { TCFETCHAHEAD = 4096, TCLINE = 64 };

void
vx_tcprefetch(Vx *vx)
{
	const TCache *c = vx->tc;
	uint64_t a, end;

	if(c == NULL || c->file == NULL)
		return;
	end = (uint64_t)vx->tcnext + TCFETCHAHEAD;
	if(end > c->filesize)
		end = c->filesize;
	a = vx->tcfetched;
	if(a < vx->tcnext || a > end)	/* the run went elsewhere in the file */
		a = vx->tcnext & ~(uint32_t)(TCLINE - 1);
	for(; a < end; a += TCLINE)
		__builtin_prefetch(c->file + a);
	vx->tcfetched = (uint32_t)a;
}

/* Does vx use its cache object alone (no fork, thread or other sandbox
 * of its image uses it now)?  Only then is the file's order the order
 * it will want its entries in: sandboxes that ran at once made theirs
 * interleaved (a busybox pipeline's applets), and one of them taking
 * ahead would take the others' code (vx_translate's run-ahead).  A
 * hint: another may attach just after. */
int
vx_tcalone(Vx *vx)
{
	return vx->tc != NULL && __atomic_load_n(&vx->tc->ref, __ATOMIC_RELAXED) == 1;
}

/* Pass over that entry (its address has a fragment already). */
void
vx_tcpass(Vx *vx)
{
	const uint8_t *ep;
	uint32_t len;

	if((ep = nextent(vx)) == NULL)
		return;
	if((len = nextlen(vx, ep)) == 0)
		vx->tcnext = 0;
	else{
		vx->tcnext += len;
		vx->tcord++;
	}
}

/*
 * The links of the file's entry number ord (vx_tcget's t->tcord - 1),
 * which has nout exits: for each, the number + 1 of the entry it was
 * linked into (0: none) and in *mi the map entry (tcache.h), or NULL
 * where the link section does not say (a count that is not the entry's,
 * a number out of bounds).  Untrusted numbers: the caller links only to
 * what a lookup at the exit's own target would find (translate.c,
 * ordentry).
 */
const uint32_t *
vx_tclinks(Vx *vx, uint32_t ord, int nout, const uint16_t **mi)
{
	const TCache *c = vx->tc;
	uint32_t a, b;

	if(c == NULL || c->file == NULL || ord >= c->nidx)
		return NULL;
	a = c->lfirst[ord];
	b = c->lfirst[ord + 1];
	if(b < a || b - a != (uint32_t)nout || b > c->nlink)
		return NULL;
	*mi = c->lmi + a;
	return c->lto + a;
}

/* Page p's inside-entry bits in the file's page section, or NULL
 * (translate.c, entpage).  The section's order is the file's: a
 * crafted one finds another page's bits or none, a filter's error. */
/* Page p's place in c's page section, or c->npage */
static uint32_t
pagefind(const TCache *c, uint32_t p)
{
	uint32_t lo = 0, hi = c->npage, mid;

	while(lo < hi){
		mid = lo + (hi - lo) / 2;
		if(c->pages[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->npage && c->pages[lo] == p ? lo : c->npage;
}

const uint8_t *
vx_tcpagebits(Vx *vx, uint32_t p)
{
	const TCache *c = vx->tc;
	uint32_t i;

	if(c == NULL || c->file == NULL || (i = pagefind(c, p)) == c->npage)
		return NULL;
	return c->pbits + (size_t)i * TCPAGEBITS;
}

/*
 * Guest page p, a file's, is about to be read for the first time
 * (mem.c, codebytes' probe): if the file's page section lists it, fault
 * in the run of listed pages around it, gaps of up to FAULTGAP pages
 * closed, in one MADV_POPULATE_READ, and mark them done.  A warm python
 * start reads about 460 pages of python's and its libraries' code,
 * each first touch a page fault (50 with the kernel's fault-around),
 * each a round trip through the hypervisor on a PVM host (doc/bench.md,
 * "python3's warm start: host costs, session 31").  Only a prefetch:
 * the run is cut where a page is not the guest's executable,
 * unshared file page, the probe that follows decides as before (a page
 * past the file's end fails the call, and the probe's SIGBUS), and a
 * crafted section costs a call at most per listed page.
 */
enum { FAULTGAP = 16, FAULTMAX = 1024 };

static int
faultable(VxMem *m, uint32_t p)
{
	return (uint64_t)p < m->size >> VX_PAGESHIFT
		&& (m->page[p] & (PG_MAPPED | PG_X | PG_FILE | PG_SHARED | PG_VOLATILE)) == (PG_MAPPED | PG_X | PG_FILE);
}

void
vx_tcfaultin(Vx *vx, uint32_t p)
{
	const TCache *c = vx->tc;
	const uint32_t *pg;
	uint32_t lo, i, j, a, b, q;
	static atomic_int nopop;	/* the kernel has no MADV_POPULATE_READ */

	if(c == NULL || c->file == NULL || atomic_load_explicit(&nopop, memory_order_relaxed)
	|| (lo = pagefind(c, p)) == c->npage)
		return;
	pg = c->pages;
	if(vx->tcpopc != c || vx->ntcpop != c->npage){
		free(vx->tcpop);
		vx->tcpopc = NULL;
		if((vx->tcpop = calloc((c->npage + 7) / 8, 1)) == NULL)
			return;
		vx->tcpopc = c;
		vx->ntcpop = c->npage;
	}
	if(vx->tcpop[lo / 8] & (1 << lo % 8))
		return;
	/* [i, j] of the section, pages [a, b] */
	i = j = lo;
	a = b = p;
	while(i > 0 && pg[i - 1] < a && a - pg[i - 1] <= FAULTGAP && b - pg[i - 1] < FAULTMAX){
		for(q = pg[i - 1]; q < a && faultable(vx->mem, q); q++)
			;
		if(q < a)
			break;
		a = pg[--i];
	}
	while(j + 1 < c->npage && pg[j + 1] > b && pg[j + 1] - b <= FAULTGAP && pg[j + 1] - a < FAULTMAX){
		for(q = b + 1; q <= pg[j + 1] && faultable(vx->mem, q); q++)
			;
		if(q <= pg[j + 1])
			break;
		b = pg[++j];
	}
	for(q = i; q <= j; q++)
		vx->tcpop[q / 8] |= 1 << q % 8;
	if(!faultable(vx->mem, p))
		return;
	if(madvise(vx->mem->base + ((uint64_t)a << VX_PAGESHIFT), (uint64_t)(b - a + 1) << VX_PAGESHIFT, MADV_POPULATE_READ) < 0
	&& errno == EINVAL)
		atomic_store_explicit(&nopop, 1, memory_order_relaxed);
}

/* vx's log of the links it made, added to its cache object's for the
 * file (tclk held). */
static void
tcaddmade(TCache *c, Vx *vx)
{
	TcMade *p;
	uint32_t n;

	if(vx->nmade == 0 || c->nmade + vx->nmade > TCFILEMAX / sizeof *p)
		return;
	if(c->nmade + vx->nmade > c->amade){
		for(n = c->amade ? c->amade : 4096; n < c->nmade + vx->nmade; n *= 2)
			;
		if((p = realloc(c->made, n * sizeof *p)) == NULL)
			return;
		c->made = p;
		c->amade = n;
	}
	memcpy(c->made + c->nmade, vx->made, vx->nmade * sizeof *p);
	c->nmade += vx->nmade;
}

/*
 * n bytes of zeros for what a Vx holds for the cache (its log of links,
 * its table of entries taken), old's oldn bytes copied and old freed;
 * NULL without memory (old kept).  Pages of their own, as the Vx's
 * (vx.c, vxalloc): from malloc, LeakSanitizer, which does not look in
 * such pages, reported the log of a child still running when the host
 * exited as leaked (tests/vxinferno_eventfd.t).  Faulted in by the one
 * call: a warm python start touches its table's 16 pages in the order
 * it takes entries, and faulted one at a time they cost it 0.3-0.7 ms
 * (a three-way A/B against calloc's and this).
 */
void *
vx_tcgrow(void *old, size_t oldn, size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if(p == MAP_FAILED)
		return NULL;
	if(old != NULL){
		memcpy(p, old, oldn);
		munmap(old, oldn);
	}
	return p;
}

/* The fragment vx->frags[fi] was taken from the file's entry ord. */
void
vx_tctook(Vx *vx, uint32_t ord, uint32_t fi)
{
	const TCache *c = vx->tc;

	if(c == NULL || ord >= c->nidx)
		return;
	if(vx->tcfi == NULL){
		if((vx->tcfi = vx_tcgrow(NULL, 0, c->nidx * sizeof *vx->tcfi)) == NULL)
			return;
		vx->ntcfi = c->nidx;
	}
	if(ord < vx->ntcfi)
		vx->tcfi[ord] = fi + 1;
}

/*
 * The address space for entries made since the load: TCFILEMAX at a
 * huge-page boundary, the first huge page's worth in small pages (a
 * warm run that misses a few fragments faults in 16 KiB of it), the
 * rest in huge pages: python's first run puts 6.5 MB there, and
 * faulted in 4 KiB at a time that was 1,600 faults and 2.4 ms of its
 * 32 (doc/bench.md, "the first cached run").
 */
static uint8_t *
pendmap(void)
{
	uint8_t *q;

	if((q = vx_hugemap(TCFILEMAX)) == NULL)
		return NULL;
	madvise(q, VX_HUGE, MADV_NOHUGEPAGE);
	return q;
}

/* Keep the fragment vx_translate just made in t (its exits still at
 * their stubs) for the next run. */
void
vx_tcput(Vx *vx, T *t)
{
	TCache *c = vx->tc;
	uint32_t base = stubbase(vx), start = (uint32_t)(uintptr_t)t->start, ncode = (uint32_t)(t->p - t->start);
	uint32_t glen = t->gend - t->geip, xlen = t->xhi - t->xlo, rel;
	size_t len, nn;
	uint8_t *p, *q;
	TcEnt *e;
	TcOut *o;
	TcRel *r;
	int i;

	if(!__atomic_load_n(&c->rec, __ATOMIC_RELAXED))
		return;
	if(ncode > FRAGROOM - BODYALIGN || t->gend < t->geip || glen > 2 * VX_PAGE || xlen > VX_PAGE
	|| t->body > 0xffff || t->ientry > 0xffff || t->nmap == 0)
		return;
	len = sizeof *e + t->nmap * sizeof(MapEnt) + t->nexit * sizeof(TcOut) + t->nrel * sizeof(TcRel) + glen + xlen + ncode;
	len = (len + 7) & ~(size_t)7;
	pthread_mutex_lock(&tclk);
	if(c->npend + len > TCFILEMAX){
		pthread_mutex_unlock(&tclk);
		return;
	}
	if(c->pend == NULL){
		/* address space for the most a file holds, faulted in a step
		 * at a time by one system call (a page fault is several µs on
		 * a virtual machine; with writev below, python's cold run
		 * 227 -> 191 ms against realloc and a copy of the file) */
		if((q = pendmap()) == NULL){
			pthread_mutex_unlock(&tclk);
			return;
		}
		c->pend = q;
	}

	if(c->npendent == c->apendent){
		PendEnt *pe = realloc(c->pendent, (c->apendent ? 2 * (size_t)c->apendent : 1024) * sizeof *pe);
		if(pe == NULL){
			pthread_mutex_unlock(&tclk);
			return;
		}
		c->pendent = pe;
		c->apendent = c->apendent ? 2 * c->apendent : 1024;
	}
	while(c->npend + len > c->apend){
		nn = c->apend < PENDFIRST ? PENDFIRST : c->apend < PENDSTEP ? c->apend : PENDSTEP;
		madvise(c->pend + c->apend, nn, MADV_POPULATE_WRITE);
		c->apend += nn;
	}
	p = c->pend + c->npend;
	memset(p, 0, len);
	e = (TcEnt *)p;
	e->len = (uint32_t)len;
	e->geip = t->geip;
	e->gend = t->gend;
	e->xlo = t->xlo;
	e->xhi = t->xhi;
	e->ncode = (uint16_t)ncode;
	e->nmap = (uint16_t)t->nmap;
	e->nout = (uint16_t)t->nexit;
	e->nrel = (uint16_t)t->nrel;
	e->ientry = (uint16_t)t->ientry;
	e->body = (uint16_t)t->body;
	e->flags = (uint8_t)((t->x87 ? TCX87 : 0) | (t->callret ? TCCALLRET : 0));
	e->dispatch = (uint8_t)t->dispatch;
	e->thunks = (uint8_t)t->thunks;
	e->guesses = (uint8_t)t->guesses;
	e->from = t->from;
	p += sizeof *e;
	memcpy(p, t->map, t->nmap * sizeof(MapEnt));
	p += t->nmap * sizeof(MapEnt);
	o = (TcOut *)p;
	for(i = 0; i < t->nexit; i++){
		o[i].site = (uint16_t)(t->exit[i].site - start);
		o[i].stub = (uint16_t)(t->exit[i].stub - start);
		o[i].target = t->exit[i].target;
	}
	p += t->nexit * sizeof(TcOut);
	r = (TcRel *)p;
	for(i = 0; i < t->nrel; i++){
		memcpy(&rel, t->start + t->rel[i], 4);
		r[i].site = t->rel[i];
		r[i].to = start + t->rel[i] + 4 + rel - base;
	}
	p += t->nrel * sizeof(TcRel);
	memcpy(p, vx->mem->base + t->geip, glen);
	memcpy(p + glen, vx->mem->base + t->xlo, xlen);
	/* the bytes translated were protected before they were decoded
	 * (translate.c, decodeheld), so a write since faulted, and every
	 * such fault bumps smcgen before the write lands: unchanged after
	 * the copy, the copy is of the bytes translated.  Else the entry
	 * would pair the new bytes with the old code */
	if(atomic_load(&vx->mem->smcgen) != t->smcgen){
		pthread_mutex_unlock(&tclk);
		return;
	}
	p += glen + xlen;
	memcpy(p, t->start, ncode);
	/* the stubs' fragment index is this run's: zero, set at load */
	for(i = 0; i < t->nexit; i++)
		memset(p + o[i].stub + LSTUBIMM, 0, 4);
	c->pendent[c->npendent] = (PendEnt){t->geip, (uint32_t)len, (uint32_t)c->npend, (uint16_t)t->nmap, (uint16_t)t->nexit};
	if(pmayput(c, t->geip)){
		t->tcent = TCPEND | c->npendent;	/* its links are logged by it (logmade) */
		c->npend += len;
		c->npendent++;
	}
	pthread_mutex_unlock(&tclk);
}

/* The runtime filled eip's indirect table slot (an indirect jump, call
 * or ret missed it): mark the newest entry made at eip since the load,
 * so that the next run, taking it from the file, fills the slot at once
 * (translate.c, fromcache) rather than leave guest code at the first
 * miss.  The address is listed, not looked up: another sandbox may be
 * reading the entry unlocked, and a first run hashes no entries
 * (pendfind); tclayout marks the entries when the file is written. */
void
vx_tcindirect(Vx *vx, uint32_t eip)
{
	TCache *c = vx->tc;
	uint32_t *p, n;

	if(c == NULL || !__atomic_load_n(&c->rec, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&tclk);
	if(c->nind == c->aind && c->aind < TCFILEMAX / 64){
		n = c->aind ? 2 * c->aind : 1024;
		if((p = realloc(c->ind, n * sizeof *p)) != NULL){
			c->ind = p;
			c->aind = n;
		}
	}
	if(c->nind < c->aind)
		c->ind[c->nind++] = eip;
	pthread_mutex_unlock(&tclk);
}

static int
u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* --- writing --- */

typedef struct Ent {
	uint32_t geip;
	uint32_t order;		/* old before new, new in the order made */
	uint32_t len;		/* read once: what is checked is what is written */
	uint32_t at;		/* where it lies in the old file or the new entries */
	uint32_t off;		/* its offset in the file written */
	uint32_t src;		/* the entry as Frag.tcent names it (tclinks) */
	uint16_t nmap, nout;	/* nout 0 where the exits do not fit len */
	const uint8_t *e;
} Ent;

/*
 * Sort n keys by their high 32 bits, keeping the order of equal ones
 * (a radix sort, a byte at a time; t is room for n more).  Returns the
 * array holding the result, k or t.  Laying out python's first file
 * with qsort, a call to a comparison function each step, took 1.5 ms
 * of its 32 (doc/bench.md, "the first cached run").
 */
static uint64_t *
radixsort(uint64_t *k, uint64_t *t, size_t n)
{
	size_t cnt[256], i, sum, c;
	uint64_t *x;
	int sh;

	for(sh = 32; sh < 64; sh += 8){
		memset(cnt, 0, sizeof cnt);
		for(i = 0; i < n; i++)
			cnt[k[i] >> sh & 255]++;
		if(n == 0 || cnt[k[0] >> sh & 255] == n)
			continue;	/* one value in this byte: nothing moves */
		for(i = sum = 0; i < 256; i++){
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for(i = 0; i < n; i++)
			t[cnt[k[i] >> sh & 255]++] = k[i];
		x = k;
		k = t;
		t = x;
	}
	return k;
}
typedef struct Cfile {
	struct timespec t;	/* last used: a load touches the mtime */
	off_t size;
	char name[256];
} Cfile;

/* Least recently used first. */
static int
cfilecmp(const void *a, const void *b)
{
	const Cfile *x = a, *y = b;

	if(x->t.tv_sec != y->t.tv_sec)
		return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
	return (x->t.tv_nsec > y->t.tv_nsec) - (x->t.tv_nsec < y->t.tv_nsec);
}

/* Remove the least recently used cache files until the directory's
 * total is below the bound; stale temporary files go too. */
static void
evict(int dfd, uint64_t max)
{
	char path[4096];
	struct dirent *d;
	struct stat st;
	Cfile *f = NULL, *nf;
	int n = 0, a = 0, i, fd;
	uint64_t total = 0;
	DIR *dp;
	time_t now = time(NULL);

	/* its own open file (a dup would share the offset with other writers') */
	if((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if((dp = fdopendir(fd)) == NULL){
		close(fd);
		return;
	}
	while((d = readdir(dp)) != NULL){
		size_t l = strlen(d->d_name);
		if(fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if(strncmp(d->d_name, TCTMP, strlen(TCTMP)) == 0){
			if(now - st.st_mtime > 3600)
				unlinkat(fd, d->d_name, 0);	/* a writer that died */
			continue;
		}
		if(l < 5 || l >= sizeof f->name || strcmp(d->d_name + l - 5, ".vxtc") != 0)
			continue;
		if(n == a){
			a = a ? 2 * a : 32;
			if((nf = realloc(f, a * sizeof *f)) == NULL)
				break;
			f = nf;
		}
		f[n].t = st.st_mtim;
		f[n].size = st.st_size;
		memcpy(f[n].name, d->d_name, l + 1);
		total += (uint64_t)st.st_size;
		n++;
	}
	/* oldest first, and only when over the bound: with the cache on by
	 * default a directory holds hundreds of programs' files, and the
	 * insertion sort it had moved 280-byte records n^2/4 times at every
	 * write (800 files: a first run of /bin/true 12.6 ms, against 6.0
	 * sorted so, doc/bench.md) */
	if(total > max)
		qsort(f, n, sizeof *f, cfilecmp);
	for(i = 0; i < n && total > max; i++){
		snprintf(path, sizeof path, "%s", f[i].name);
		if(unlinkat(fd, path, 0) == 0)
			total -= (uint64_t)f[i].size;
	}
	closedir(dp);
	free(f);
}

/* writev all of v[0, n) (moved along as it is written); 0: failed. */
static int
writevall(int fd, struct iovec *v, int n)
{
	ssize_t k;

	while(n > 0){
		if((k = writev(fd, v, n)) <= 0)
			return 0;
		for(; n > 0 && (size_t)k >= v->iov_len; v++, n--)
			k -= (ssize_t)v->iov_len;
		if(n > 0){
			v->iov_base = (uint8_t *)v->iov_base + k;
			v->iov_len -= (size_t)k;
		}
	}
	return 1;
}

/*
 * A file is written one whole aligned 2 MiB of it per call: the page
 * cache then holds it in 2 MiB folios, which the readers' mappings map
 * as huge pages (filemap).  Written an entry at a time by writev, it
 * was held in small folios: each 4 KiB page of a reader's mapping one
 * more page table entry and TLB miss.  Each call is a writev of the
 * pieces where they lie (entries next to each other one piece): a
 * first run's entries are one run of its new entries' memory, and
 * copying them through a 2 MiB buffer first was 6.5 MB copied and a
 * huge page zeroed.  A chunk of more than WVMAX pieces (an old file's
 * entries replaced here and there) is copied into the buffer.
 */
enum { WVMAX = 64 };
typedef struct Wbuf {
	int fd, ok;
	uint8_t *b;		/* the buffer, VX_HUGE, made when wanted */
	size_t n, size;		/* this chunk's bytes so far; a chunk's */
	struct iovec v[WVMAX];
	int nv;
} Wbuf;

/* The chunk's pieces copied into the buffer, one piece after. */
static void
wbgather(Wbuf *w)
{
	size_t at;
	int i;

	if(w->b == NULL && (w->b = vx_hugemap(VX_HUGE)) == NULL){
		w->ok = 0;
		return;
	}
	i = w->v[0].iov_base == w->b ? 1 : 0;	/* gathered before */
	for(at = i ? w->v[0].iov_len : 0; i < w->nv; i++){
		memmove(w->b + at, w->v[i].iov_base, w->v[i].iov_len);
		at += w->v[i].iov_len;
	}
	w->v[0] = (struct iovec){w->b, at};
	w->nv = 1;
}

static void
wbflush(Wbuf *w)
{
	if(w->ok && w->nv > 0)
		w->ok = writevall(w->fd, w->v, w->nv);
	w->nv = 0;
	w->n = 0;
}

static void
wbput(Wbuf *w, const void *p, size_t n)
{
	const uint8_t *q = p;
	struct iovec *l;
	size_t k;

	while(w->ok && n > 0){
		k = w->size - w->n < n ? w->size - w->n : n;
		l = w->nv > 0 ? &w->v[w->nv - 1] : NULL;
		if(l != NULL && (const uint8_t *)l->iov_base + l->iov_len == q && l->iov_base != w->b)
			l->iov_len += k;	/* the next bytes in memory */
		else{
			if(w->nv == WVMAX)
				wbgather(w);
			w->v[w->nv++] = (struct iovec){(void *)q, k};
		}
		w->n += k;
		q += k;
		n -= k;
		if(w->n == w->size)
			wbflush(w);
	}
}

static void
wbpiece(void *arg, const void *p, size_t n)
{
	wbput(arg, p, n);
}

/* A file's layout, made by tclayout for tcwrite and tcremake. */
typedef struct Lay {
	TcHdr *h;		/* the header and index, hsize bytes */
	size_t hsize, size;	/* and the whole file's */
	Ent *v, **lay;		/* the entries; in the order laid out */
	size_t n;
	uint32_t *links;	/* the link section, nlinks bytes (nlinkmap mapped) */
	size_t nlinks, nlink, nlinkmap;
	const uint32_t *pages;	/* the page section: npage pages, */
	const uint8_t *pbits;	/* their bits */
	size_t npage;
	uint8_t ppad[8];	/* zeros after pages */
	void *scratch;		/* all of the above but links (tclayout) */
	size_t nscratch;
} Lay;

static void
layfree(Lay *L)
{
	munmap(L->links, L->nlinkmap);
	munmap(L->scratch, L->nscratch);
}

/* The page section's pieces, in the file's order: f(arg, p, n) each. */
static void
pagepieces(const Lay *L, void (*f)(void *, const void *, size_t), void *arg)
{
	size_t np = L->npage * 4;

	if(L->npage == 0)
		return;
	f(arg, L->pages, np);
	if(((np + 7) & ~(size_t)7) > np)
		f(arg, L->ppad, ((np + 7) & ~(size_t)7) - np);
	f(arg, L->pbits, L->npage * TCPAGEBITS);
}

static void
sumpiece(void *arg, const void *p, size_t n)
{
	tcsumadd(arg, p, n);
}

static void
tcsumpages(TcSum *s, const Lay *L)
{
	pagepieces(L, sumpiece, s);
}

/* An exit count that fits the entry's length (else 0: no links). */
static uint16_t
fitout(uint32_t len, uint16_t nmap, uint16_t nout)
{
	return sizeof(TcEnt) + (size_t)nmap * sizeof(MapEnt) + (size_t)nout * sizeof(TcOut) <= len ? nout : 0;
}

/*
 * The link section of the entries laid out (tcache.h), from the links
 * the run made (c->made, translate.c's logmade) and, for the entries of
 * the file it loaded, that file's (its section, as vx_tclinks reads
 * it).  Entries are named as Frag.tcent names them (the loaded file's
 * number + 1, or TCPEND and the place since the load), turned into the
 * new numbers by two arrays (newof): no lookup by address, no entry
 * read (python's first file: 37,000 exits resolved by a table of the
 * entries' starts cost 0.9 ms of its layout).  Links out of entries
 * dropped or replaced, or into them, are not kept; all are hints that
 * prelink checks.
 */
static uint32_t
newof(const uint32_t *newpend, uint32_t npend, const uint32_t *newold, uint32_t nold, uint32_t id)
{
	if(id & TCPEND)
		return (id & ~TCPEND) < npend ? newpend[id & ~TCPEND] : 0;
	return id != 0 && id - 1 < nold ? newold[id - 1] : 0;
}

static void
tclinks(Lay *L, const TCache *c, uint32_t *newpend, uint32_t *newold)
{
	uint32_t *first = L->links, *to = first + L->n + 1, k, q, a, b, t, fk, tk, np = c->npendent, no = c->nidx;
	uint16_t *mi = (uint16_t *)(to + L->nlink);
	const Ent *x;
	const TcMade *m;
	uint32_t j;

	first[0] = 0;
	for(k = 0; k < L->n; k++){
		x = L->lay[k];
		first[k + 1] = first[k] + x->nout;
		if(x->src & TCPEND)
			newpend[x->src & ~TCPEND] = k + 1;
		else if(x->src - 1 < no)
			newold[x->src - 1] = k + 1;
		/* unknown till below: a new entry's links were logged only
		 * if no file was loaded (vx_tcattach), an old one's are the
		 * file's */
		if(c->file != NULL || !(x->src & TCPEND))
			for(q = 0; q < x->nout; q++)
				mi[first[k] + q] = TCUNKNOWN;
	}
	/* the loaded file's, where the entry and its count are the same */
	for(k = 0; c->lfirst != NULL && k < L->n; k++){
		x = L->lay[k];
		if((x->src & TCPEND) || x->src - 1 >= no)
			continue;
		a = c->lfirst[x->src - 1];
		b = c->lfirst[x->src];
		if(b < a || b - a != x->nout || b > c->nlink)
			continue;
		/* an exit that was not linked, or linked to an entry dropped
		 * or replaced since: unknown, so that prelink looks it up (an
		 * entry this run added may be there: a file python3 -c pass
		 * wrote, rewritten by a run that imports more, left 350 more
		 * exits a start where these stayed "none") */
		for(q = 0; q < x->nout; q++){
			t = c->lto[a + q] != 0 ? newof(newpend, np, newold, no, c->lto[a + q]) : 0;
			to[first[k] + q] = t;
			mi[first[k] + q] = t != 0 ? c->lmi[a + q] : TCUNKNOWN;
		}
	}
	/* this run's, the newer */
	for(j = 0; j < c->nmade; j++){
		m = &c->made[j];
		if((fk = newof(newpend, np, newold, no, m->from)) == 0 || (tk = newof(newpend, np, newold, no, m->to)) == 0)
			continue;
		if(m->exit < first[fk] - first[fk - 1]){
			to[first[fk - 1] + m->exit] = tk;
			mi[first[fk - 1] + m->exit] = m->mi;
		}
	}
}

/* An entry's bytes in the file: its index entry, itself, its links. */
static size_t
entbytes(const Ent *x)
{
	return sizeof(TcIdx) + x->len + 4 + 6 * (size_t)x->nout;
}

/* Oldest first (old entries, order 0, before new), then in v's order. */
static int
agecmp(const void *a, const void *b)
{
	const Ent *x = *(const Ent *const *)a, *y = *(const Ent *const *)b;

	if(x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Drop v's oldest entries until what is left fits in filemax (*size
 * the file's size with all n); v stays in address order.  One sort:
 * dropping one at a time was quadratic, and a program with more
 * translations than its bound (cc1 in the in-memory cache) spent
 * three quarters of a build there.  The count left; 0 if no memory. */
static size_t
dropoldest(Ent *v, size_t n, size_t *size, uint64_t filemax)
{
	Ent **by;
	size_t i, j;

	if((by = malloc(n * sizeof *by)) == NULL)
		return 0;
	for(i = 0; i < n; i++)
		by[i] = &v[i];
	qsort(by, n, sizeof *by, agecmp);
	for(i = 0; i < n && *size > filemax; i++){
		*size -= entbytes(by[i]);
		by[i]->e = NULL;	/* dropped */
	}
	free(by);
	for(i = j = 0; i < n; i++)
		if(v[i].e != NULL)
			v[j++] = v[i];
	return j;
}

/* Mark the new entries of v (n, by address) whose indirect-table slot
 * the runtime filled (c->ind, TCINDIRECT).  No sandbox uses c now:
 * nothing reads the entries.  One walk of the two sorted lists: a
 * binary search of c->ind for each new entry was half of tclayout's
 * time in python's first run (0.4 ms of its 30, by perf; within the
 * noise of an A/B). */
static void
markind(TCache *c, Ent *v, size_t n)
{
	size_t i, j;

	if(c->nind == 0)
		return;
	qsort(c->ind, c->nind, sizeof *c->ind, u32cmp);
	for(i = j = 0; i < n && j < c->nind;){
		if(v[i].geip < c->ind[j])
			i++;
		else if(v[i].geip > c->ind[j])
			j++;
		else{
			if(v[i].order)
				((TcEnt *)(c->pend + v[i].at))->flags |= TCINDIRECT;
			i++;
		}
	}
}

/* *n bytes of zeros, *n rounded up as mapped: in huge pages where
 * that is most of a huge page (a small program's file gets small),
 * faulted in by the one call (it is all written). */
static void *
scratchmap(size_t *n)
{
	void *p;

	if(*n >= VX_HUGE / 2){
		*n = vx_hugeround(*n);
		return vx_hugemap(*n);
	}
	*n = (*n + VX_PAGE - 1) & ~(size_t)(VX_PAGE - 1);
	p = mmap(NULL, *n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Lay out c's old entries and its new ones (a new one replacing an old
 * at the same guest address) as a file of at most filemax bytes; 0:
 * nothing to lay out, or no memory. */
static int
tclayout(TCache *c, uint64_t filemax, Lay *L)
{
	size_t nent = c->nidx, i, j, n, size, off, hsize, nscratch, vat, nlink;
	uint32_t *newpend, *newold;
	uint64_t *k, *s;
	Ent *v, *w, **lay;
	TcHdr *h;
	TcSum sum;
	void *scratch;
	TcIdx *idx;
	const uint8_t *ep;
	TcEnt e;

	/* v, w, the sort's keys, lay, the header and index in one piece
	 * of huge pages: malloc'd apart, they were 1.5 MB of fresh small
	 * pages for python's first file, 400 faults */
	nent += c->npendent;
	vat = (sizeof *h + nent * sizeof *idx + 8 + 7) & ~(size_t)7;	/* past hsize's padding */
	nscratch = vat + nent * (2 * sizeof *v + 2 * sizeof *k + sizeof *lay + sizeof *newpend);
	if(nent == 0 || (scratch = scratchmap(&nscratch)) == NULL)
		return 0;
	h = scratch;	/* 8-aligned, then the rest by size */
	v = (Ent *)((uint8_t *)scratch + vat);
	w = v + nent;
	k = (uint64_t *)(w + nent);
	lay = (Ent **)(k + 2 * nent);
	newold = (uint32_t *)(lay + nent);	/* c->nidx, then */
	newpend = newold + c->nidx;	/* c->npendent, zeros */
	n = 0;
	/* the old entries whose bounds hold (the file's sum held at load),
	 * each checked where its own index entry says it is */
	for(i = 0; i < c->nidx; i++){
		if((ep = entat(c, c->idx[i].off)) == NULL)
			continue;
		memcpy(&e, ep, sizeof e);
		if(e.geip == c->idx[i].geip && e.len >= sizeof e && e.len % 8 == 0
		&& e.len <= c->filesize - c->idx[i].off)
			v[n++] = (Ent){e.geip, 0, e.len, c->idx[i].off, 0, ordof(c, i) + 1, e.nmap, fitout(e.len, e.nmap, e.nout), ep};
	}
	for(j = 0; j < c->npendent; j++){
		const PendEnt *pe = &c->pendent[j];
		v[n++] = (Ent){pe->geip, (uint32_t)j + 1, pe->len, pe->at, 0, TCPEND | (uint32_t)j, pe->nmap, fitout(pe->len, pe->nmap, pe->nout), c->pend + pe->at};
	}
	/* by address, the newest last at an address: v holds the old
	 * entries (order 0) and then the new in the order made, so a
	 * stable sort by address is that order.  The last of each
	 * address is kept; newest first into the bound */
	for(i = 0; i < n; i++)
		k[i] = (uint64_t)v[i].geip << 32 | i;
	s = radixsort(k, k + n, n);
	for(i = j = 0; i < n; i++)
		if(i + 1 == n || s[i + 1] >> 32 != s[i] >> 32)
			w[j++] = v[(uint32_t)s[i]];
	v = w;
	n = j;
	markind(c, v, n);
	/* hsize's and mi's padding, first[n], the pages */
	size = sizeof *h + 8 + 4 + 4 + pagebytes(c->nwpage);
	for(i = 0; i < n; i++)
		size += entbytes(&v[i]);
	if(size > filemax)
		n = dropoldest(v, n, &size, filemax);
	hsize = (sizeof *h + n * sizeof *idx + 7) & ~(size_t)7;	/* entries are 8-aligned */
	if(n == 0){
		munmap(scratch, nscratch);
		return 0;
	}
	/* the entries in the order they were made, which is the order the
	 * next run looks them up in: its reads of the file then go forward,
	 * a stream the CPU prefetches, not 16,000 jumps into a cold 6 MB.
	 * Old ones where they were in the old file (their offsets, below
	 * TCFILEMAX, 2^26), then new ones in the order made */
	for(i = 0; i < n; i++)
		k[i] = (uint64_t)(v[i].order ? 0x80000000u | v[i].order : v[i].at) << 32 | i;
	s = radixsort(k, k + n, n);
	for(i = 0; i < n; i++)
		lay[i] = &v[(uint32_t)s[i]];
	off = hsize;
	nlink = 0;
	for(i = 0; i < n; i++){
		lay[i]->off = (uint32_t)off;
		off += lay[i]->len;
		nlink += lay[i]->nout;
	}
	L->n = n;
	L->lay = lay;
	L->nlinks = (n + 1 + nlink) * 4 + linkmibytes(nlink);
	L->nlink = nlink;
	/* the pages' bits: as many pages as entries at most (tcload) */
	L->npage = c->nwpage <= n ? c->nwpage : 0;
	L->pages = c->wpages;
	L->pbits = c->wbits;
	memset(L->ppad, 0, sizeof L->ppad);
	/* faulted in by one call: from malloc, python's 350 KB were 85
	 * page faults */
	L->nlinkmap = L->nlinks;
	if((L->links = scratchmap(&L->nlinkmap)) == NULL){
		munmap(scratch, nscratch);
		return 0;
	}
	tclinks(L, c, newpend, newold);
	size = off + pagebytes(L->npage) + L->nlinks;
	memcpy(h->magic, "vxtcache", 8);
	h->version = TCVERSION;
	h->engine = hdrengine(c);
	memcpy(h->build, tcbuild, BUILDLEN);
	h->key = c->key;
	h->size = size;
	h->nent = (uint32_t)n;
	h->nlink = (uint32_t)nlink;
	h->npage = (uint32_t)L->npage;
	h->pageoff = off;
	h->linkoff = off + pagebytes(L->npage);
	for(i = 0; i < n; i++)
		lay[i]->order = (uint32_t)i;	/* its number (ord) from here on */
	idx = (TcIdx *)(h + 1);
	for(i = 0; i < n; i++){
		idx[i].geip = v[i].geip;
		idx[i].off = v[i].off;
		idx[i].ord = v[i].order;
	}
	/* the file's sum, its own field 0 (a fresh mapping's zeros), in
	 * the order written */
	tcsuminit(&sum, 0);
	tcsumadd(&sum, h, hsize);
	for(i = 0; i < n; i++)
		tcsumadd(&sum, lay[i]->e, lay[i]->len);
	tcsumpages(&sum, L);
	tcsumadd(&sum, L->links, L->nlinks);
	h->sum = tcsumend(&sum);
	L->h = h;
	L->hsize = hsize;
	L->size = size;
	L->v = v;
	L->scratch = scratch;
	L->nscratch = nscratch;
	return 1;
}

/* Write c's old entries and its new ones to its file, within the
 * bounds. */
static void
tcwrite(TCache *c, int dfd, uint64_t max)
{
	char name[64], tmp[64];
	uint64_t rnd;
	int try;
	size_t i;
	uint64_t filemax = max / 2 < TCFILEMAX ? max / 2 : TCFILEMAX;
	Wbuf w;
	Lay L;
	int fd, ok;

	if(!tclayout(c, filemax, &L))
		return;
	/* a new file of ours (O_EXCL, no symlink followed), in the
	 * directory that was checked */
	fd = -1;
	for(try = 0; fd < 0 && try < 8; try++){
		if(getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
			rnd = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull + (uint64_t)try;
		snprintf(tmp, sizeof tmp, "%s%d-%016llx", TCTMP, (int)getpid(), (unsigned long long)rnd);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if(fd >= 0){
		/* the header and index, then the entries, 2 MiB of the file
		 * at a time */
		w.fd = fd;
		w.ok = 1;
		w.b = NULL;
		w.n = 0;
		w.size = VX_HUGE;
		w.nv = 0;
		wbput(&w, L.h, L.hsize);
		for(i = 0; i < L.n; i++)
			wbput(&w, L.lay[i]->e, L.lay[i]->len);
		pagepieces(&L, wbpiece, &w);
		wbput(&w, L.links, L.nlinks);
		wbflush(&w);
		ok = w.ok;
		if(w.b != NULL)
			munmap(w.b, VX_HUGE);
		close(fd);
		tcname(name, sizeof name, c);
		if(!ok || renameat(dfd, tmp, dfd, name) < 0)
			unlinkat(dfd, tmp, 0);
		else
			evict(dfd, max);
	}
	layfree(&L);
}

/*
 * The memory-only cache (vx_tcmemory): c's old entries and its new
 * ones made into c's "file" in place of the old, as tcload would have
 * read it after tcwrite, for the next sandbox of its image in this
 * process (keep).  Its own copy, read-only once made, so vx_tcget's
 * checks hold as for a file read.  0: c unchanged (no memory).
 */
static void
copypiece(void *arg, const void *p, size_t n)
{
	uint8_t **at = arg;

	memcpy(*at, p, n);
	*at += n;
}

static int
tcremake(TCache *c)
{
	uint8_t *m, *mp;
	size_t i, off;
	Lay L;

	if(!tclayout(c, KEPTBYTES / 2, &L))
		return 0;
#ifdef VXASAN
	m = malloc(L.size);
#else
	m = vx_hugemap(vx_hugeround(L.size));
#endif
	if(m == NULL){
		layfree(&L);
		return 0;
	}
	memcpy(m, L.h, L.hsize);
	off = L.hsize;
	for(i = 0; i < L.n; i++){
		memcpy(m + off, L.lay[i]->e, L.lay[i]->len);
		off += L.lay[i]->len;
	}
	mp = m + off;
	pagepieces(&L, copypiece, &mp);
	memcpy(mp, L.links, L.nlinks);
#ifndef VXASAN
	mprotect(m, vx_hugeround(L.size), PROT_READ);
#endif
	layfree(&L);
	filefree(c->file, c->filesize, c->filemapped);
	c->file = m;
	c->filemapped = 0;
	c->filesize = L.size;
	c->idx = (const TcIdx *)(m + sizeof(TcHdr));
	c->nidx = (uint32_t)L.n;
	c->pages = (const uint32_t *)(m + off);
	c->pbits = m + off + pagebytes(L.npage) - L.npage * TCPAGEBITS;
	c->npage = (uint32_t)L.npage;
	off += pagebytes(L.npage);
	c->lfirst = (const uint32_t *)(m + off);
	c->lto = c->lfirst + L.n + 1;
	c->nlink = (uint32_t)L.nlink;
	c->lmi = (const uint16_t *)(c->lto + L.nlink);
	return 1;
}

static int
pagecmp(const void *a, const void *b)
{
	const EntPage *x = *(const EntPage *const *)a, *y = *(const EntPage *const *)b;

	return x->page < y->page ? -1 : x->page > y->page;
}

/* The inside-entry bits of vx, the last sandbox of c, for the file's
 * page section (no sandbox uses c now; without memory, none). */
static void
tcgetbits(TCache *c, Vx *vx)
{
	const EntPage **by;
	uint32_t i, n = 0, k;

	if(vx->ent == NULL || (by = malloc(vx->entused * sizeof *by + 1)) == NULL)
		return;
	for(i = 0; i < 1u << vx->entbits && n < (uint32_t)vx->entused; i++)
		if(vx->ent[i].page != 0)
			by[n++] = &vx->ent[i];
	qsort(by, n, sizeof *by, pagecmp);
	free(c->wpages);
	free(c->wbits);
	c->wpages = malloc(n * sizeof *c->wpages + 1);
	c->wbits = malloc((size_t)n * TCPAGEBITS + 1);
	c->nwpage = 0;
	if(c->wpages != NULL && c->wbits != NULL){
		for(k = 0; k < n; k++){
			c->wpages[k] = by[k]->page - 1;
			memcpy(c->wbits + (size_t)k * TCPAGEBITS, by[k]->bits, TCPAGEBITS);
		}
		c->nwpage = n;
	}
	free(by);
}

/* vx no longer uses its cache; the last user writes what was made
 * and keeps it in memory for the next sandbox (remade when remake).
 * When the process is about to exit (vx_tcabandon, !remake) there is
 * no next sandbox: the cache is neither kept nor freed, the host's exit
 * drops it (keep's and tcfree's munmaps and frees, three munmaps of
 * touched memory at a warm python start's exit, each a TLB flush). */
static void
tcdrop(Vx *vx, int remake)
{
	TCache *c = vx->tc, **l, *gone;
	int dfd = -1;
	uint64_t max;

	/* not the tables' munmaps either where the process exits: of
	 * touched pages, each a TLB flush of every CPU the process ran on,
	 * 0.2-0.3 ms of a warm python start's samples on a PVM host for the
	 * table of entries taken (doc/bench.md, "python3 start-up on a PVM
	 * host") */
	if(vx->tcfi != NULL && remake)
		munmap(vx->tcfi, vx->ntcfi * sizeof *vx->tcfi);
	vx->tcfi = NULL;
	vx->ntcfi = 0;
	free(vx->tcpop);
	vx->tcpop = NULL;
	vx->tcpopc = NULL;
	vx->ntcpop = 0;
	vx->tclog = 0;
	if(c != NULL){
		pthread_mutex_lock(&tclk);
		tcaddmade(c, vx);
		pthread_mutex_unlock(&tclk);
	}
	if(vx->made != NULL && remake)
		munmap(vx->made, vx->amade * sizeof *vx->made);
	vx->made = NULL;
	vx->nmade = vx->amade = 0;
	if(c == NULL)
		return;
	vx->tc = NULL;
	vx->tcnext = 0;
	pthread_mutex_lock(&tclk);
	if(--c->ref > 0){
		pthread_mutex_unlock(&tclk);
		return;
	}
	for(l = &tclist; *l != NULL; l = &(*l)->next)
		if(*l == c){
			*l = c->next;
			break;
		}
	/* a few new fragments do not pay for rewriting the file (python's
	 * start differs by a handful from run to run) */
	if(tcdirfd >= 0 && c->npendent > 0 && (c->file == NULL || c->npendent >= c->nidx / NEWFEW))
		dfd = fcntl(tcdirfd, F_DUPFD_CLOEXEC, 0);	/* vx_tcache may close tcdirfd meanwhile */
	max = tcmax;
	if(remake && tcdirfd < 0 && tcmem && c->npendent > 0 && (c->file == NULL || c->npendent >= c->nidx / NEWFEW)){
		/* memory only: made into c's file for the next sandbox (the
		 * copy is made unlocked: no other sandbox uses c now) */
		pthread_mutex_unlock(&tclk);
		tcgetbits(c, vx);
		tcremake(c);
		pthread_mutex_lock(&tclk);
	}
	if(dfd < 0 && !remake){
		pthread_mutex_unlock(&tclk);
		return;
	}
	if(dfd < 0 && (tcdirfd >= 0 || tcmem) && c->file != NULL){
		gone = keep(c);
		pthread_mutex_unlock(&tclk);
		freelist(gone);
		return;
	}
	pthread_mutex_unlock(&tclk);
	if(dfd >= 0){
		tcgetbits(c, vx);
		tcwrite(c, dfd, max);
		close(dfd);
	}
	if(remake)
		tcfree(c);
}

void
vx_tcdetach(Vx *vx)
{
	tcdrop(vx, 1);
}

/* vx_abandon: the process is about to exit; a file is written as at
 * vx_tcdetach; nothing is kept, remade or freed. */
void
vx_tcabandon(Vx *vx)
{
	tcdrop(vx, 0);
}
