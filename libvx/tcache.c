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
 * now, its pages are not volatile (fresh code there would be a checked
 * fragment), and its checksum holds.  The entry's code is copied to
 * where the translation would go, its jumps to runtime stubs moved,
 * its exit stubs told the fragment's index, and then it is registered
 * exactly as a fresh translation (translate.c's fromcache, fragdone).
 *
 * Files: a header (magic, format version, engine, the build id of the
 * program libvx is linked into, the image key), an index sorted by
 * guest address, then the entries.  A file that is short, of another
 * build or engine, or whose header or index checksum is wrong is
 * ignored; an entry whose checksum or bounds are wrong is a miss.
 * Writes go to a temporary file renamed over the old one, so a reader
 * sees a whole file or none; two writers lose one's additions, never
 * corrupt.  The checksums catch damage, not an adversary: the
 * directory is the user's own (guests never see host paths).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "trans.h"

enum {
	TCVERSION = 1,
	TCDEFMAX = 256 << 20,	/* the directory's default bound */
	TCFILEMAX = 64 << 20,	/* one file's bound (offsets are 32-bit) */
	BUILDLEN = 32,
	KEYBYTES = 4096,	/* of the image hashed for its key */
	PENDSTEP = 1 << 20,	/* new entries' memory faulted in by this much */
	TCIOV = 1024,		/* entries per writev (IOV_MAX) */
	NEWFEW = 32,		/* fewer new entries than 1/NEWFEW of the old: not written */
	TCX87 = 1,
	TCCALLRET = 2,
};

typedef struct TcHdr {
	char magic[8];		/* "vxtcache" */
	uint32_t version;
	uint32_t engine;
	uint8_t build[BUILDLEN];
	uint64_t key;
	uint64_t size;		/* of the whole file */
	uint32_t nent;
	uint32_t pad;
	uint64_t sum;		/* of the header (sum 0) and the index */
} TcHdr;

typedef struct TcIdx {
	uint32_t geip;
	uint32_t off;		/* of its TcEnt from the file's start */
} TcIdx;

/* An entry, 8-aligned, then: MapEnt map[nmap], TcOut out[nout],
 * TcRel rel[nrel], the guest bytes [geip, gend) and [xlo, xhi), the
 * code (ncode bytes from the fragment's start). */
typedef struct TcEnt {
	uint64_t sum;		/* of the entry after this field */
	uint32_t len;		/* bytes, this header included, 8-aligned */
	uint32_t geip, gend, xlo, xhi;
	uint16_t ncode, nmap, nout, nrel;
	uint16_t ientry, body;	/* offsets in the code */
	uint8_t flags;		/* TCX87, TCCALLRET */
	uint8_t dispatch, thunks, guesses;
	uint32_t pad;
} TcEnt;

typedef struct TcOut {
	uint16_t site, stub;	/* offsets in the code */
	uint32_t target;
} TcOut;

typedef struct TcRel {
	uint32_t site;		/* offset of a rel32 in the code */
	uint32_t to;		/* its target's offset in the stubs */
} TcRel;

typedef struct TCache TCache;
struct TCache {
	TCache *next;
	int ref;
	int engine;
	uint64_t key;
	uint8_t *file;		/* the file as mapped at the start, or NULL */
	size_t filesize;
	const TcIdx *idx;
	uint32_t nidx;
	uint8_t *pend;		/* entries made since, in file form */
	size_t npend, apend;	/* in use, faulted in (of TCFILEMAX mapped) */
	uint32_t npendent;
};

static pthread_mutex_t tclk = PTHREAD_MUTEX_INITIALIZER;
static char *tcdir;
static uint64_t tcmax;
static uint8_t tcbuild[BUILDLEN];
static TCache *tclist;

static uint64_t
tcsum(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	uint64_t w;

	for(; n >= 8; b += 8, n -= 8){
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, b, n);
	h = (h ^ w ^ n) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

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

int
vx_tcache(const char *dir, uint64_t maxbytes, char err[VX_ERRLEN])
{
	uint8_t build[BUILDLEN], zero[BUILDLEN];
	struct stat st;
	char *d = NULL;

	if(dir != NULL){
		memset(build, 0, sizeof build);
		memset(zero, 0, sizeof zero);
		dl_iterate_phdr(buildnote, build);
		if(memcmp(build, zero, BUILDLEN) == 0){
			if(err)
				snprintf(err, VX_ERRLEN, "tcache: no build id in this program (link with --build-id)");
			return -1;
		}
		if(makedir(dir) < 0 || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)){
			if(err)
				snprintf(err, VX_ERRLEN, "tcache: %.80s: %s", dir, strerror(errno ? errno : ENOTDIR));
			return -1;
		}
		if((d = strdup(dir)) == NULL){
			if(err)
				snprintf(err, VX_ERRLEN, "tcache: out of memory");
			return -1;
		}
		memcpy(tcbuild, build, BUILDLEN);
	}
	pthread_mutex_lock(&tclk);
	free(tcdir);
	tcdir = d;
	tcmax = maxbytes ? maxbytes : TCDEFMAX;
	pthread_mutex_unlock(&tclk);
	return 0;
}

static void
tcpath(char *buf, size_t n, const char *dir, const TCache *c)
{
	snprintf(buf, n, "%s/%016llx-%s.vxtc", dir, (unsigned long long)c->key,
		c->engine == VX_ENGINE_LONG ? "long" : "compat");
}

/* Map c's file if it is whole and ours. */
static void
tcload(TCache *c)
{
	char path[4096];
	struct stat st;
	const TcHdr *h;
	TcHdr hc;
	uint8_t *m;
	int fd;

	tcpath(path, sizeof path, tcdir, c);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if(fd < 0)
		return;
	if(fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof *h || st.st_size > TCFILEMAX){
		close(fd);
		return;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	futimens(fd, NULL);	/* recently used: removed last */
	close(fd);
	if(m == MAP_FAILED)
		return;
	h = (const TcHdr *)m;
	if(memcmp(h->magic, "vxtcache", 8) != 0 || h->version != TCVERSION || h->engine != (uint32_t)c->engine
	|| memcmp(h->build, tcbuild, BUILDLEN) != 0 || h->key != c->key || h->size != (uint64_t)st.st_size
	|| h->nent > (st.st_size - sizeof *h) / sizeof(TcIdx))
		goto bad;
	hc = *h;
	hc.sum = 0;
	if(tcsum(m + sizeof *h, h->nent * sizeof(TcIdx), tcsum(&hc, sizeof hc, 0)) != h->sum)
		goto bad;
	c->file = m;
	c->filesize = (size_t)st.st_size;
	c->idx = (const TcIdx *)(m + sizeof *h);
	c->nidx = h->nent;
	return;
bad:
	munmap(m, (size_t)st.st_size);
}

/* Use (and later extend) the cache file of the program image just
 * loaded into vx. */
void
vx_tcattach(Vx *vx, const void *image, size_t size)
{
	TCache *c;
	uint64_t key;

	if(tcdir == NULL || image == NULL)
		return;
	if(vx->tc != NULL){
		vx_flushcache(vx);	/* its fragments' maps may be in the old file */
		vx_tcdetach(vx);
	}
	key = tcsum(image, size < KEYBYTES ? size : KEYBYTES, size);
	pthread_mutex_lock(&tclk);
	if(tcdir == NULL){
		pthread_mutex_unlock(&tclk);
		return;
	}
	for(c = tclist; c != NULL; c = c->next)
		if(c->key == key && c->engine == vx->engine)
			break;
	if(c == NULL && (c = calloc(1, sizeof *c)) != NULL){
		c->key = key;
		c->engine = vx->engine;
		tcload(c);
		c->next = tclist;
		tclist = c;
	}
	if(c != NULL)
		c->ref++;
	vx->tc = c;
	pthread_mutex_unlock(&tclk);
}

void
vx_tcshare(Vx *to, Vx *from)
{
	if(from->tc == NULL)
		return;
	pthread_mutex_lock(&tclk);
	from->tc->ref++;
	to->tc = from->tc;
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
 * volatile, and can be write-protected (vxmem_codefull)? */
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
	}
	return 1;
}

static const TcEnt *
tcfind(const TCache *c, uint32_t eip)
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
	if(c->idx[lo].off % 8 != 0 || c->idx[lo].off > c->filesize - sizeof(TcEnt))
		return NULL;
	return (const TcEnt *)(c->file + c->idx[lo].off);
}

/* Is e whole, consistent and made from the guest bytes there now? */
static int
entok(Vx *vx, const TCache *c, const TcEnt *e)
{
	const uint8_t *p = (const uint8_t *)(e + 1), *g;
	uint32_t glen, xlen;
	size_t need;

	if(e->len < sizeof *e || e->len > c->filesize - (size_t)((const uint8_t *)e - c->file))
		return 0;
	if(e->nmap == 0 || e->nmap > MAXMAP || e->nout > MAXEXIT || e->nrel > MAXREL
	|| e->ncode > FRAGROOM - BODYALIGN || e->ientry >= e->ncode || e->body > e->ncode
	|| e->gend < e->geip || e->gend - e->geip > 2 * VX_PAGE
	|| e->xhi < e->xlo || e->xhi - e->xlo > VX_PAGE)
		return 0;
	glen = e->gend - e->geip;
	xlen = e->xhi - e->xlo;
	need = sizeof *e + e->nmap * sizeof(MapEnt) + e->nout * sizeof(TcOut) + e->nrel * sizeof(TcRel) + glen + xlen + e->ncode;
	if(need > e->len)
		return 0;
	if(tcsum((const uint8_t *)e + 8, e->len - 8, 0) != e->sum)
		return 0;
	if(!codeok(vx, e->geip, glen) || !codeok(vx, e->xlo, xlen))
		return 0;
	g = p + e->nmap * sizeof(MapEnt) + e->nout * sizeof(TcOut) + e->nrel * sizeof(TcRel);
	return memcmp(g, vx->mem->base + e->geip, glen) == 0 && memcmp(g + glen, vx->mem->base + e->xlo, xlen) == 0;
}

/*
 * The translation of t->geip from the cache, put at t->start and
 * described in t as vx_translate leaves a fresh one (before its exits
 * are linked); -1: none usable.
 */
int
vx_tcget(Vx *vx, T *t)
{
	TCache *c = vx->tc;
	const TcEnt *e;
	const MapEnt *map;
	const TcOut *out;
	const TcRel *rel;
	const uint8_t *code;
	uint32_t base = stubbase(vx), nstub = stubsize(vx), start = (uint32_t)(uintptr_t)t->start, r;
	int i;

	if(c->file == NULL || (e = tcfind(c, t->geip)) == NULL || !entok(vx, c, e))
		return -1;
	map = (const MapEnt *)(e + 1);
	out = (const TcOut *)(map + e->nmap);
	rel = (const TcRel *)(out + e->nout);
	code = (const uint8_t *)(rel + e->nrel) + (e->gend - e->geip) + (e->xhi - e->xlo);
	for(i = 0; i < e->nmap; i++)
		if(map[i].hoff >= e->ncode || map[i].kind > M_TAIL || (map[i].kind == M_STUB && map[i].goff >= e->nout))
			return -1;
	for(i = 0; i < e->nout; i++)
		if(out[i].site + 4 > e->ncode || out[i].stub + 16 > e->ncode)
			return -1;
	for(i = 0; i < e->nrel; i++)
		if(rel[i].site < 1 || rel[i].site + 4 > e->ncode || rel[i].to >= nstub)
			return -1;
	memcpy(t->start, code, e->ncode);
	t->p = t->start + e->ncode;
	for(i = 0; i < e->nrel; i++){
		r = base + rel[i].to - (start + rel[i].site + 4);
		memcpy(t->start + rel[i].site, &r, 4);
	}
	/* each exit stub names the fragment (its index, as addfrag will
	 * make it) and the exit: fsimm's immediate, 7 bytes in */
	for(i = 0; i < e->nout; i++){
		r = (uint32_t)vx->nfrags << 8 | (uint32_t)i;
		memcpy(t->start + out[i].stub + 7, &r, 4);
		t->exit[i].site = start + out[i].site;
		t->exit[i].stub = start + out[i].stub;
		t->exit[i].target = out[i].target;
		t->exit[i].to = NULL;
	}
	t->nexit = e->nout;
	t->cmap = map;
	t->nmap = e->nmap;
	t->gend = e->gend;
	t->xlo = e->xlo;
	t->xhi = e->xhi;
	t->ientry = e->ientry;
	t->body = e->body;
	t->checked = 0;
	t->callret = (e->flags & TCCALLRET) != 0;
	t->x87 = (e->flags & TCX87) != 0;
	t->dispatch = e->dispatch;
	t->thunks = e->thunks;
	t->guesses = e->guesses;
	return 0;
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
		q = mmap(NULL, TCFILEMAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if(q == MAP_FAILED){
			pthread_mutex_unlock(&tclk);
			return;
		}
		c->pend = q;
	}
	while(c->npend + len > c->apend){
		nn = c->apend < PENDSTEP ? PENDSTEP / 4 : PENDSTEP;
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
	p += glen + xlen;
	memcpy(p, t->start, ncode);
	/* the stubs' fragment index is this run's: zero, set at load */
	for(i = 0; i < t->nexit; i++)
		memset(p + o[i].stub + 7, 0, 4);
	e->sum = tcsum((uint8_t *)e + 8, len - 8, 0);
	c->npend += len;
	c->npendent++;
	pthread_mutex_unlock(&tclk);
}

/* --- writing --- */

typedef struct Ent {
	uint32_t geip;
	uint32_t order;		/* old before new, new in the order made */
	const TcEnt *e;
} Ent;

static int
entcmp(const void *a, const void *b)
{
	const Ent *x = a, *y = b;

	if(x->geip != y->geip)
		return x->geip < y->geip ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Remove the least recently used cache files until the directory's
 * total is below the bound; stale temporary files go too. */
static void
evict(const char *dir, uint64_t max)
{
	char path[4096];
	struct dirent *d;
	struct stat st;
	struct { struct timespec t; off_t size; char name[256]; } *f = NULL, *nf, tmp;
	int n = 0, a = 0, i, j, fd;
	uint64_t total = 0;
	DIR *dp;
	time_t now = time(NULL);

	if((dp = opendir(dir)) == NULL)
		return;
	fd = dirfd(dp);
	while((d = readdir(dp)) != NULL){
		size_t l = strlen(d->d_name);
		if(fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if(strncmp(d->d_name, ".tmp", 4) == 0){
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
	/* oldest first (few files: insertion sort) */
	for(i = 1; i < n; i++)
		for(j = i; j > 0 && (f[j].t.tv_sec < f[j - 1].t.tv_sec
		|| (f[j].t.tv_sec == f[j - 1].t.tv_sec && f[j].t.tv_nsec < f[j - 1].t.tv_nsec)); j--){
			tmp = f[j];
			f[j] = f[j - 1];
			f[j - 1] = tmp;
		}
	for(i = 0; i < n && total > max; i++){
		snprintf(path, sizeof path, "%s", f[i].name);
		if(unlinkat(fd, path, 0) == 0)
			total -= (uint64_t)f[i].size;
	}
	closedir(dp);
	free(f);
}

static int
writeall(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	ssize_t k;

	while(n > 0){
		if((k = write(fd, p, n)) <= 0)
			return 0;
		p += k;
		n -= (size_t)k;
	}
	return 1;
}

/* All of iov[0..n) (a short write goes on from where it stopped). */
static int
writevall(int fd, struct iovec *iov, int n)
{
	ssize_t k;

	while(n > 0){
		if((k = writev(fd, iov, n)) <= 0)
			return 0;
		while(n > 0 && (size_t)k >= iov->iov_len){
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if(n > 0){
			iov->iov_base = (uint8_t *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 1;
}

/* Write c's old entries and its new ones (a new one replacing an old at
 * the same guest address) to its file, within the bounds. */
static void
tcwrite(TCache *c, const char *dir, uint64_t max)
{
	char path[4096], tmp[4096];
	size_t nent = c->nidx, i, j, k, n, size, off, hsize;
	uint64_t filemax = max / 2 < TCFILEMAX ? max / 2 : TCFILEMAX;
	struct iovec iov[TCIOV];
	Ent *v;
	TcHdr *h, hc;
	TcIdx *idx;
	const TcEnt *e;
	size_t p;
	int fd, ok;

	for(p = 0; p < c->npend; p += ((const TcEnt *)(c->pend + p))->len)
		nent++;
	if((v = malloc(nent * sizeof *v)) == NULL)
		return;
	n = 0;
	for(i = 0; i < c->nidx; i++)
		if((e = tcfind(c, c->idx[i].geip)) != NULL && e->len >= sizeof *e && e->len % 8 == 0
		&& e->len <= c->filesize - c->idx[i].off && tcsum((const uint8_t *)e + 8, e->len - 8, 0) == e->sum)
			v[n++] = (Ent){c->idx[i].geip, 0, e};
	for(p = 0, j = 1; p < c->npend; p += ((const TcEnt *)(c->pend + p))->len, j++)
		v[n++] = (Ent){((const TcEnt *)(c->pend + p))->geip, (uint32_t)j, (const TcEnt *)(c->pend + p)};
	qsort(v, n, sizeof *v, entcmp);
	/* the last of each address; newest first into the bound */
	for(i = j = 0; i < n; i++)
		if(i + 1 == n || v[i + 1].geip != v[i].geip)
			v[j++] = v[i];
	n = j;
	size = sizeof *h;
	for(i = 0; i < n; i++)
		size += sizeof *idx + v[i].e->len;
	while(size > filemax && n > 0){
		/* drop the oldest entry (old ones before new): rare */
		size_t k = 0;
		for(i = 1; i < n; i++)
			if(v[i].order < v[k].order)
				k = i;
		size -= sizeof *idx + v[k].e->len;
		memmove(&v[k], &v[k + 1], (n - k - 1) * sizeof *v);
		n--;
	}
	hsize = sizeof *h + n * sizeof *idx;
	if(n == 0 || (h = calloc(1, hsize)) == NULL){
		free(v);
		return;
	}
	memcpy(h->magic, "vxtcache", 8);
	h->version = TCVERSION;
	h->engine = (uint32_t)c->engine;
	memcpy(h->build, tcbuild, BUILDLEN);
	h->key = c->key;
	h->size = size;
	h->nent = (uint32_t)n;
	idx = (TcIdx *)(h + 1);
	off = hsize;
	for(i = 0; i < n; i++){
		idx[i].geip = v[i].geip;
		idx[i].off = (uint32_t)off;
		off += v[i].e->len;
	}
	hc = *h;
	h->sum = tcsum(idx, n * sizeof *idx, tcsum(&hc, sizeof hc, 0));
	snprintf(tmp, sizeof tmp, "%s/.tmp-%d-XXXXXX", dir, (int)getpid());
	fd = mkostemp(tmp, O_CLOEXEC);
	if(fd >= 0){
		/* the header and index, then the entries where they are: no
		 * copy of the whole file in memory */
		ok = writeall(fd, h, hsize);
		for(i = 0; ok && i < n; i += k){
			for(k = 0; k < TCIOV && i + k < n; k++){
				iov[k].iov_base = (void *)v[i + k].e;
				iov[k].iov_len = v[i + k].e->len;
			}
			ok = writevall(fd, iov, (int)k);
		}
		fchmod(fd, 0600);
		close(fd);
		tcpath(path, sizeof path, dir, c);
		if(!ok || rename(tmp, path) < 0)
			unlink(tmp);
		else
			evict(dir, max);
	}
	free(h);
	free(v);
}

/* vx no longer uses its cache; the last user writes what was made. */
void
vx_tcdetach(Vx *vx)
{
	TCache *c = vx->tc, **l;
	char *dir = NULL;
	uint64_t max;

	if(c == NULL)
		return;
	vx->tc = NULL;
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
	if(tcdir != NULL && c->npendent > 0 && (c->file == NULL || c->npendent >= c->nidx / NEWFEW))
		dir = strdup(tcdir);
	max = tcmax;
	pthread_mutex_unlock(&tclk);
	if(dir != NULL)
		tcwrite(c, dir, max);
	free(dir);
	if(c->file != NULL)
		munmap(c->file, c->filesize);
	if(c->pend != NULL)
		munmap(c->pend, TCFILEMAX);
	free(c);
}
