/*
 * gmem.c — reaching guest memory.  Every guest pointer goes through
 * vx_access, which checks the whole range and its protection; nothing
 * here dereferences a guest address itself.
 */
#include <errno.h>
#include <string.h>
#include "dat.h"

/* The host address of the len bytes at addr, all mapped with prot, or
 * NULL.  A range may end at 4 GiB itself (its last byte 0xffffffff). */
void *
gmem(Lthread *t, uint32_t addr, uint32_t len, int prot)
{
	if((uint64_t)addr + len > 0x100000000ull)
		return NULL;
	return vx_access(t->vx, addr, len, prot);
}

/* The host address of addr, with in *room how many of the len bytes
 * from there on are mapped with prot: len when all are, else up to the
 * first page that is not; NULL and 0 when not even the first byte is.
 * For calls Linux lets fill a buffer as far as its memory goes
 * (getdents64 writes the entries that fit before the fault).  A range
 * that runs past 4 GiB goes as far as 4 GiB: Linux's access_ok is the
 * 64-bit one, so such a count is no EFAULT of itself, and the copy
 * stops there as at any fault.
 * One answer, from one look at each page: a caller that asked gmem
 * again for the room could get NULL for it (another thread unmapped or
 * protected a page since) and write through that.  A page changed after
 * its look is the host fault handler's (vxmem_hostfault). */
void *
gmemroom(Lthread *t, uint32_t addr, uint32_t len, int prot, uint32_t *room)
{
	uint32_t n, chunk;
	void *p, *p0;

	*room = 0;
	if((uint64_t)addr + len > 0x100000000ull)
		len = (uint32_t)(0x100000000ull - addr);
	if((p = gmem(t, addr, len, prot)) != NULL){
		*room = len;
		return p;
	}
	p0 = NULL;
	for(n = 0; n < len; n += chunk){
		chunk = PGSIZE - ((addr + n) & (PGSIZE - 1));
		if(chunk > len - n)
			chunk = len - n;
		if((p = gmem(t, addr + n, chunk, prot)) == NULL)
			break;
		if(n == 0)
			p0 = p;
	}
	*room = n;
	return p0;
}

/* The host address of addr for a copy that stops by itself at the
 * first page the guest refuses (vx_guardcopy: a kernel pipe's), with in
 * *room how many of the len bytes lie in guest memory, mapped or not;
 * NULL when addr is past it.  Linux looks at a pipe's buffer only as it
 * copies: a read of a few bytes into a long buffer whose end is not
 * there moves them, an empty pipe's read waits or fails EAGAIN, a
 * write with no reader fails EPIPE, before any fault. */
void *
gmemguarded(Lthread *t, uint32_t addr, uint32_t len, uint32_t *room)
{
	uint32_t size;

	size = vx_memsize(t->vx);
	*room = 0;
	if(addr >= size)
		return NULL;
	*room = len < size - addr ? len : size - addr;
	return vx_access(t->vx, addr, 0, VX_PROT_NONE);	/* no page looked at */
}

/* Copy the NUL-terminated guest string at addr into buf, at most max
 * bytes with its NUL: its length, or -EFAULT, or -ENAMETOOLONG when no
 * NUL comes within max.  Checked page by page so a string at the end of
 * a mapping is found; each chunk is copied as far as the NUL seen in
 * guest memory and the copy terminated there whatever the guest did
 * meanwhile (another guest thread may rewrite the string while the
 * kernel reads it, and without its NUL the host would read on past what
 * was checked). */
long
gstrcpy(Lthread *t, uint32_t addr, char *buf, uint32_t max)
{
	uint32_t n, chunk, k;
	char *p, *z;

	for(n = 0; n < max; n += chunk){
		chunk = PGSIZE - ((addr + n) & (PGSIZE - 1));
		if(n + chunk > max)
			chunk = max - n;
		p = gmem(t, addr + n, chunk, VX_PROT_READ);
		if(p == NULL)
			return -EFAULT;
		z = memchr(p, 0, chunk);
		k = z != NULL ? (uint32_t)(z - p) + 1 : chunk;
		memcpy(buf + n, p, k);
		if(z != NULL){
			buf[n + k - 1] = 0;
			return n + k - 1;
		}
	}
	return -ENAMETOOLONG;
}

/* A NUL-terminated guest string shorter than MAXPATH, copied into the
 * next of the thread's NSTRBUF string buffers (valid until NSTRBUF more
 * calls), or NULL.  A copy, not a pointer into guest memory (gstrcpy). */
char *
gstr(Lthread *t, uint32_t addr)
{
	char *buf;

	buf = t->strbuf[t->nextstrbuf++ % NSTRBUF];
	return gstrcpy(t, addr, buf, MAXPATH) >= 0 ? buf : NULL;
}

/* A path argument: sets *err to EFAULT, ENAMETOOLONG or ENOENT (empty). */
char *
gpath(Lthread *t, uint32_t addr, int *err)
{
	char *s;

	s = gstr(t, addr);
	if(s == NULL){
		*err = gmem(t, addr, 1, VX_PROT_READ) == NULL ? EFAULT : ENAMETOOLONG;
		return NULL;
	}
	if(s[0] == 0){
		*err = ENOENT;
		return NULL;
	}
	if((*err = -lxpath(s)) != 0)	/* through a /proc link */
		return NULL;
	return s;
}

/* A copy of the n iovecs (n <= MAXIOV) at addr in t->iovbuf (valid
 * until the thread's next giov), each buffer checked for prot (none:
 * the call looks at each as it comes to it), their total length in
 * *total.  The call works from the copy: another guest
 * thread may rewrite the array while the call copies, and a length read
 * again could exceed what was checked or allocated.  As Linux's, the
 * buffers past MAXRW bytes are cut to end there (a short count, not an
 * error).  NULL with *err: EFAULT, EINVAL (a length of 2 GiB or more,
 * negative as Linux's compat_ssize_t). */
Giov *
giov(Lthread *t, uint32_t addr, uint32_t n, int prot, uint64_t *total, long *err)
{
	uint8_t *g;
	Giov *v;
	uint32_t i;

	*total = 0;
	v = t->iovbuf;
	g = n != 0 ? gmem(t, addr, n * 8, VX_PROT_READ) : NULL;	/* none: not looked at */
	if(g == NULL && n != 0){
		*err = -EFAULT;
		return NULL;
	}
	for(i = 0; i < n; i++){
		v[i].base = get32(g + 8 * i);
		v[i].len = get32(g + 8 * i + 4);
		if(v[i].len > 0x7fffffff){
			*err = -EINVAL;	/* a negative ssize_t */
			return NULL;
		}
	}
	for(i = 0; i < n; i++){
		if(v[i].len > MAXRW - *total)
			v[i].len = MAXRW - *total;	/* Linux cuts the call at MAX_RW_COUNT */
		*total += v[i].len;
		if(v[i].len != 0 && prot != VX_PROT_NONE && gmem(t, v[i].base, v[i].len, prot) == NULL){
			*err = -EFAULT;
			return NULL;
		}
	}
	*err = 0;
	return v;
}

/*
 * Copying between a host buffer and a call's iovecs, n bytes from skip
 * bytes into them: a guard copy (vx_guardcopy) of each piece, ending at
 * the first byte the guest refuses or past its memory.  The bytes moved.
 * A cursor (the iovec and the bytes before it) carries a run of copies
 * that go forward through the iovecs, as a pipe's do, without a walk
 * from the first iovec each time.
 */
static uint32_t
giovcopy(Lthread *t, Giov *v, uint32_t nv, Giocur *c, uint64_t skip, uint8_t *host, uint32_t n, int out)
{
	uint32_t done, piece, room, k;
	uint64_t in;
	uint8_t *g;

	if(skip < c->at){
		c->i = 0;
		c->at = 0;
	}
	for(done = 0; done < n && c->i < nv; ){
		if(skip + done >= c->at + v[c->i].len){
			c->at += v[c->i++].len;	/* wholly before: the next */
			continue;
		}
		in = skip + done - c->at;
		piece = v[c->i].len - in < n - done ? (uint32_t)(v[c->i].len - in) : n - done;
		if(v[c->i].base + in + piece > 0x100000000ull)
			return done;	/* past 4 GiB: a fault */
		g = gmemguarded(t, v[c->i].base + in, piece, &room);
		if(g == NULL)
			return done;
		k = out ? vx_guardcopy(host + done, g, room) : vx_guardcopy(g, host + done, room);
		done += k;
		if(k < piece)
			return done;
	}
	return done;
}

/* The bytes of the n iovecs into buf (gather) or from it (scatter), as
 * many of len as the guest lets through, from the first on */
uint32_t
giovgather(Lthread *t, Giov *v, uint32_t nv, uint64_t skip, void *buf, uint32_t len)
{
	Giocur c = {0, 0};

	return giovcopy(t, v, nv, &c, skip, buf, len, 1);
}

uint32_t
giovscatter(Lthread *t, Giov *v, uint32_t nv, const void *buf, uint32_t len)
{
	Giocur c = {0, 0};

	return giovcopy(t, v, nv, &c, 0, (uint8_t*)buf, len, 0);
}

/* How many of the first len bytes of the iovecs the guest may access
 * with prot, now: up to the first page it refuses */
uint32_t
giovroom(Lthread *t, Giov *v, uint32_t nv, int prot, uint32_t len)
{
	uint32_t i, done, piece, room;

	for(i = 0, done = 0; i < nv && done < len; i++){
		piece = v[i].len < len - done ? v[i].len : len - done;
		if(piece == 0)
			continue;
		gmemroom(t, v[i].base, piece, prot, &room);
		done += room;
		if(room < piece)
			break;
	}
	return done;
}

/*
 * A pipe's readv and writev (sysfile.c) hand the pipe one buffer that
 * stands for the iovecs end to end: gvecbegin's token, a host address
 * never looked at (the guest memory's base).  The pipe copies through
 * it with Kconf.copy, which is guestcopy (gcopywire): while a call's
 * token is out, this thread's copies on the guest's side of it go to
 * the iovecs, a guard copy a piece (giovcopy).  So a writev of at most
 * PIPE_BUF goes in whole as one write, the pipe cuts its blocks as for
 * one buffer of that length, and a copy stops at the first byte the
 * guest refuses, with the pipe's own accounting of what moved, as
 * Linux's iov_iter.
 */
static _Thread_local Gvec *gvec;

/* Give out a token (into g, until gvecend) for len bytes of the iovecs
 * from skip on, with in *room how many of them it stands for: at most
 * the guest memory's size, so a copy that went astray through it would
 * reach only guest memory.  NULL: none (no guest memory). */
void *
gvecbegin(Gvec *g, Lthread *t, Giov *v, uint32_t nv, uint64_t skip, uint32_t len, int out, uint32_t *room)
{
	void *tok;

	tok = gmemguarded(t, 0, len, room);
	if(tok == NULL)
		return NULL;
	*g = (Gvec){t, v, nv, {0, 0}, skip, (uintptr_t)tok, *room, out};
	gvec = g;
	return tok;
}

void
gvecend(void)
{
	gvec = NULL;
}

/* Kconf.copy: a guard copy, or a pipe's copy through a vectored call's
 * token (gvecbegin) */
static size_t
guestcopy(void *dst, const void *src, size_t n)
{
	uintptr_t off;
	Gvec *g;

	if((g = gvec) != NULL){
		off = (uintptr_t)(g->out ? src : dst) - g->tok;
		if(off <= g->len && n <= g->len - off)
			return giovcopy(g->t, g->v, g->nv, &g->cur, g->skip + off,
				g->out ? dst : (void*)src, n, g->out);
	}
	return vx_guardcopy(dst, src, n);
}

void put16(void *p, uint16_t v) { memcpy(p, &v, 2); }
uint16_t get16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
void put32(void *p, uint32_t v) { memcpy(p, &v, 4); }
void put64(void *p, uint64_t v) { memcpy(p, &v, 8); }

uint32_t
get32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

uint64_t
get64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* A 64-bit argument i386 passes in two words, low first */
int64_t
arg64(uint32_t lo, uint32_t hi)
{
	return (int64_t)((uint64_t)hi << 32 | lo);
}

uint64_t
pgup(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/* Set by gcopywire: the kernel's pipes copy with guestcopy.  Where
 * they do not (emu's memmove), a pipe gets checked host buffers as
 * any other stream (kpipeof). */
int gpipecopy;

static void
copywire(void)
{
	gpipecopy = kif_copyhook(guestcopy);
}

/* Make guestcopy the kernel's copy (Kconf.copy) before the first guest
 * runs, whatever the embedding set: gvecbegin's token means nothing to
 * any other */
void
gcopywire(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, copywire);
}
