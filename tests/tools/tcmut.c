/*
 * tcmut — a crafted copy of a persistent translation cache file
 * (libvx/tcache.c) for tests/vxinferno_tcache.t:
 *	tcmut IN OUT HOW
 * Unlike random damage, which the file's checksum catches, each HOW
 * keeps the checksum right, so the file gets past it to the bounds
 * checks, the consistency checks and the validator.  HOW names one attack; `tcmut -l` lists them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vxpriv.h"
#include "tcache.h"

static uint8_t *f;
static size_t n;
static TcHdr *h;
static TcIdx *ix;
static uint32_t *lk;		/* a copy of the page and link sections (tcache.h) as read */
static size_t nlk, nplk;	/* its bytes; the page section's */
static uint32_t nent0;

static TcEnt *
ent(uint32_t i)
{
	return (TcEnt *)(f + ix[i].off);
}

/* The whole file's sum, its own field 0 (tcache.c, fileread): every
 * attack gets past it. */
static void
sumfile(void)
{
	TcHdr hc = *h;
	TcSum s;

	hc.sum = 0;
	tcsuminit(&s, 0);
	tcsumadd(&s, &hc, sizeof hc);
	tcsumadd(&s, f + sizeof hc, n - sizeof hc);
	h->sum = tcsumend(&s);
}

/* The code of entry e, and its parts. */
static uint8_t *
code(TcEnt *e)
{
	return (uint8_t *)(e + 1) + e->nmap * sizeof(MapEnt) + e->nout * sizeof(TcOut) + e->nrel * sizeof(TcRel)
		+ (e->gend - e->geip) + (e->xhi - e->xlo);
}

static TcOut *
outs(TcEnt *e)
{
	return (TcOut *)((MapEnt *)(e + 1) + e->nmap);
}

/* Take k bytes out of entry e at p (inside it): what follows moves down,
 * the entry's length stays (tcache.c only needs its parts to fit). */
static void
cut(TcEnt *e, uint8_t *p, uint32_t k)
{
	uint8_t *end = (uint8_t *)e + e->len;

	memmove(p, p + k, (size_t)(end - p - k));
}

/* An entry no attack applies to: its header names another address, so
 * it is never taken, and every hit of the run is an attacked entry's. */
static void
disable(TcEnt *e)
{
	e->geip ^= 1;
}

/* Grow the file by k zero bytes; the header's size follows. */
static void
grow(size_t k)
{
	size_t ho = (uint8_t *)ix - f;

	f = realloc(f, n + k);
	if(f == NULL)
		exit(2);
	memset(f + n, 0, k);
	n += k;
	h = (TcHdr *)f;
	ix = (TcIdx *)(f + ho);
	h->size = n;
}

/* The link section's arrays where they lie in the file. */
static uint32_t *
lfirst(void)
{
	return (uint32_t *)(f + h->linkoff);
}

static uint32_t *
lto(void)
{
	return lfirst() + h->nent + 1;
}

static uint16_t *
lmi(void)
{
	return (uint16_t *)(lto() + h->nlink);
}

/* The file grew (an entry appended): the page and link sections at
 * its end again, the ones read where the count of entries is the same,
 * else none (no pages, no links), so the file gets past tcload's check
 * of the sections and the attack reaches the entries. */
static void
relink(void)
{
	size_t at = (n + 7) & ~(size_t)7, k;
	uint32_t *l;

	k = h->nent == nent0 ? nlk : ((size_t)h->nent + 1) * 4;	/* nlink 0: no mi[] */
	grow(at - n + k);
	l = (uint32_t *)(f + at);
	h->pageoff = at;
	if(h->nent == nent0){
		memcpy(l, lk, nlk);
		h->linkoff = at + nplk;
	}else{
		h->npage = 0;
		h->nlink = 0;
		h->linkoff = at;
	}
}

static const char *hows[] = {
	"nent-huge", "nent-over", "size-lie", "off-past-end", "off-header", "off-unaligned",
	"off-tail", "dup-geip", "swap-off", "ncode-huge", "nmap-huge", "nout-huge", "nrel-huge",
	"len-huge", "gend-back", "map-hoff", "map-kind", "exit-site", "exit-stub", "rel-to",
	"rel-site", "overlap", "body-past", "code-syscall", "body-mid", "site-mid", "jmp-cache",
	"x87-clear", "gend-short", "xhi-drop", "indirect-all", "indirect-x87", "from-other",
	"link-next", "link-huge", "first-wild", "ord-next", "ord-huge", "linkoff-bad", "mi-next", "mi-inside", "page-wild", "npage-huge", "pageoff-bad", NULL,
};

int
main(int argc, char **argv)
{
	FILE *fp;
	uint32_t i, j, k;
	const char *how;
	TcEnt *e;
	long sz;

	if(argc == 2 && strcmp(argv[1], "-l") == 0){
		for(i = 0; hows[i] != NULL; i++)
			printf("%s\n", hows[i]);
		return 0;
	}
	if(argc != 4){
		fprintf(stderr, "usage: tcmut IN OUT HOW | tcmut -l\n");
		return 2;
	}
	how = argv[3];
	if((fp = fopen(argv[1], "rb")) == NULL || fseek(fp, 0, SEEK_END) < 0 || (sz = ftell(fp)) < (long)sizeof *h)
		return 2;
	n = (size_t)sz;
	f = malloc(n);
	rewind(fp);
	if(f == NULL || fread(f, 1, n, fp) != n)
		return 2;
	fclose(fp);
	h = (TcHdr *)f;
	ix = (TcIdx *)(h + 1);
	if(h->nent < 4 || h->linkoff > n || h->linkoff % 4 != 0 || h->pageoff > h->linkoff)
		return 2;
	nent0 = h->nent;
	nlk = n - h->pageoff;
	nplk = h->linkoff - h->pageoff;
	if((lk = malloc(nlk + 1)) == NULL)
		return 2;
	memcpy(lk, f + h->pageoff, nlk);

	if(strcmp(how, "nent-huge") == 0)
		h->nent = 0xffffffff;
	else if(strcmp(how, "nent-over") == 0)
		h->nent = (uint32_t)((n - sizeof *h) / sizeof(TcIdx) + 1);
	else if(strcmp(how, "size-lie") == 0){
		h->size += 8;
	}else if(strcmp(how, "off-past-end") == 0){
		for(i = 0; i < h->nent; i++)
			ix[i].off = (uint32_t)((n + 4096) & ~7ul);
	}else if(strcmp(how, "off-header") == 0){
		for(i = 0; i < h->nent; i++)
			ix[i].off = 8;
	}else if(strcmp(how, "off-unaligned") == 0){
		for(i = 0; i < h->nent; i++)
			ix[i].off += 4;
	}else if(strcmp(how, "off-tail") == 0){
		/* a header that fits at the very end, its body past it */
		for(i = 0; i < h->nent; i++)
			ix[i].off = (uint32_t)((n - sizeof(TcEnt)) & ~7ul);
	}else if(strcmp(how, "dup-geip") == 0){
		/* two index entries for one address: the first at a header
		 * appended at the end whose length would fit only from the
		 * second's offset; few entries, so a run rewrites the file */
		uint32_t g = ix[0].geip, o = ix[0].off, fo = (uint32_t)((n + 7) & ~7ul);
		grow(fo - n + sizeof(TcEnt));
		e = (TcEnt *)(f + fo);
		memset(e, 0, sizeof *e);
		e->len = (uint32_t)((n - o) & ~7ul);
		e->geip = g;
		h->nent = 2;
		ix[0].geip = g;
		ix[0].off = fo;
		ix[1].geip = g;
		ix[1].off = o;
	}else if(strcmp(how, "link-next") == 0){
		/* every exit resolved to the entry after the right one: its
		 * fragment is at another address, and a link to it would run
		 * other code (translate.c, ordfrag, ordentry) */
		for(i = 0; i < h->nlink; i++)
			if(lto()[i] != 0)
				lto()[i] = lto()[i] % h->nent + 1;
	}else if(strcmp(how, "mi-next") == 0){
		/* each link inside a fragment at the next map entry: another
		 * instruction, or none that may be entered; each to a start
		 * at the first (an unknown exit's, none: a start) */
		for(i = 0; i < h->nlink; i++)
			lmi()[i] = lmi()[i] == TCSTART ? 0 : lmi()[i] + 1;
	}else if(strcmp(how, "mi-inside") == 0){
		/* every exit resolved to an entry linked inside it, at map
		 * entries near and far past its end */
		for(i = 0; i < h->nlink; i++){
			if(lto()[i] == 0)
				lto()[i] = i % h->nent + 1;
			lmi()[i] = (uint16_t)(i % 7 == 6 ? 0xfffe : i % 40);
		}
	}else if(strcmp(how, "link-huge") == 0){
		for(i = 0; i < h->nlink; i++)
			lto()[i] = i % 2 ? 0xffffffff - i % 3 : 0x80000000u + i;
	}else if(strcmp(how, "first-wild") == 0){
		/* each entry's exits anywhere in (and past) the section */
		for(i = 0; i <= h->nent; i++)
			lfirst()[i] = i % 2 ? 0xfffffff0u : h->nlink - lfirst()[i];
	}else if(strcmp(how, "ord-next") == 0){
		/* each entry numbered as the next: the links read are its
		 * neighbour's */
		for(i = 0; i < h->nent; i++)
			ix[i].ord++;
	}else if(strcmp(how, "ord-huge") == 0){
		/* every other entry numbered past the file's count, with
		 * the bit that marks an entry made since the load
		 * (vxpriv.h, TCPEND); the others' headers name another
		 * address, so the run translates them again and the file
		 * is rewritten from the old entries and the new (tclayout:
		 * a number taken as it was wrote far past an array) */
		for(i = 0; i < h->nent; i++){
			if(i % 2)
				ix[i].ord = 0xfffffff0u - i;
			else
				disable(ent(i));
		}
	}else if(strcmp(how, "page-wild") == 0){
		/* the pages out of order, far past the guest's end and
		 * doubled; each page's bits all set */
		uint32_t *pg = (uint32_t *)(f + h->pageoff);
		for(i = 0; i < h->npage; i++)
			pg[i] = i % 3 == 0 ? 0xffffffffu - i : i % 3 == 1 ? pg[0] : pg[i] ^ 1;
		memset(f + h->linkoff - (size_t)h->npage * TCPAGEBITS, 0xff, (size_t)h->npage * TCPAGEBITS);
	}else if(strcmp(how, "npage-huge") == 0){
		h->npage = 0xffffffff;
	}else if(strcmp(how, "pageoff-bad") == 0){
		h->pageoff += 8;
	}else if(strcmp(how, "linkoff-bad") == 0){
		h->linkoff += 4;
	}else if(strcmp(how, "swap-off") == 0){
		/* each address names its neighbour's entry: whole and summed,
		 * for other guest bytes */
		for(i = 0; i + 1 < h->nent; i += 2){
			k = ix[i].off;
			ix[i].off = ix[i + 1].off;
			ix[i + 1].off = k;
		}
	}else{
		for(i = 0; i < h->nent; i++){
			e = ent(i);
			if(strcmp(how, "ncode-huge") == 0)
				e->ncode = 0xffff;
			else if(strcmp(how, "nmap-huge") == 0)
				e->nmap = 0xffff;
			else if(strcmp(how, "nout-huge") == 0)
				e->nout = 0xffff;
			else if(strcmp(how, "nrel-huge") == 0)
				e->nrel = 0xffff;
			else if(strcmp(how, "len-huge") == 0){
				e->len = 0xfffffff8;
				continue;
			}else if(strcmp(how, "gend-back") == 0)
				e->gend = e->geip - 1;
			else if(strcmp(how, "map-hoff") == 0){
				for(j = 0; j < e->nmap; j++)
					((MapEnt *)(e + 1))[j].hoff = 0xfff0;
			}else if(strcmp(how, "map-kind") == 0){
				for(j = 0; j < e->nmap; j++)
					((MapEnt *)(e + 1))[j].kind = 0xff;
			}else if(strcmp(how, "exit-site") == 0){
				for(j = 0; j < e->nout; j++)
					outs(e)[j].site = e->ncode - 2;
			}else if(strcmp(how, "exit-stub") == 0){
				for(j = 0; j < e->nout; j++)
					outs(e)[j].stub = 0xfff0;
			}else if(strcmp(how, "rel-to") == 0){
				for(j = 0; j < e->nrel; j++)
					((TcRel *)(outs(e) + e->nout))[j].to = 0xfffffff0;
			}else if(strcmp(how, "rel-site") == 0){
				for(j = 0; j < e->nrel; j++)
					((TcRel *)(outs(e) + e->nout))[j].site = 0xfffffff0;
			}else if(strcmp(how, "overlap") == 0){
				/* every index entry at the first entry: whole,
				 * but for another address */
				ix[i].off = ix[0].off;
				continue;
			}else if(strcmp(how, "body-past") == 0)
				e->body = e->ncode;
			else if(strcmp(how, "code-syscall") == 0){
				/* at the body: mov $231,%eax; mov $77,%edi;
				 * syscall (exit_group(77) of the host process) */
				static const uint8_t sc[] = { 0xb8, 231, 0, 0, 0, 0xbf, 77, 0, 0, 0, 0x0f, 0x05 };
				if(e->body + sizeof sc <= e->ncode)
					memcpy(code(e) + e->body, sc, sizeof sc);
			}else if(strcmp(how, "body-mid") == 0){
				/* entered one byte into its first instruction
				 * (one longer than a byte: else that is the next) */
				if(vx_validlen(code(e) + e->body, e->ncode - e->body) > 1)
					e->body++;
			}else if(strcmp(how, "site-mid") == 0){
				/* chaining would rewrite the bytes before a jump's
				 * rel32 */
				for(j = 0; j < e->nout; j++)
					if(outs(e)[j].site >= 2)
						outs(e)[j].site -= 2;
			}else if(strcmp(how, "jmp-cache") == 0){
				/* at the body: a jmp 64 KiB further into the code
				 * cache, where any code may lie */
				uint8_t *p = code(e) + e->body;
				int32_t rel = 65536;
				if(e->body + 5 <= e->ncode){
					p[0] = 0xe9;
					memcpy(p + 1, &rel, 4);
				}
			}else if(strcmp(how, "x87-clear") == 0){
				/* x87 code marked as none: its state would stay
				 * in the host's registers across exits */
				if(e->flags & TCX87)
					e->flags &= ~TCX87;
				else
					disable(e);
			}else if(strcmp(how, "indirect-all") == 0){
				/* every entry an indirect target: its table
				 * slot filled when it is taken (translate.c,
				 * fromcache), its entry checking the target */
				e->flags |= TCINDIRECT;
			}else if(strcmp(how, "indirect-x87") == 0){
				/* x87 code marked as none and as an indirect
				 * target: reached through the table without
				 * the guest's x87 state */
				if(e->flags & TCX87)
					e->flags = (uint8_t)((e->flags & ~TCX87) | TCINDIRECT);
				else
					disable(e);
			}else if(strcmp(how, "from-other") == 0){
				/* made at a chain exit of another entry's
				 * fragment (the next in the index):
				 * only that fragment's exits to this one's
				 * address may be linked to it */
				e->from = ix[i + 1 < h->nent ? i + 1 : 0].geip;
			}else if(strcmp(how, "gend-short") == 0){
				/* the last guest byte left out: a write to it
				 * would not drop the fragment */
				uint8_t *g = (uint8_t *)code(e) - (e->xhi - e->xlo) - (e->gend - e->geip);
				if(e->gend > e->geip){
					cut(e, g + (e->gend - e->geip) - 1, 1);
					e->gend--;
				}else
					disable(e);
			}else if(strcmp(how, "xhi-drop") == 0){
				/* a thunk's or followed block's bytes left out */
				uint8_t *x = (uint8_t *)code(e) - (e->xhi - e->xlo);
				if(e->xhi > e->xlo){
					cut(e, x, e->xhi - e->xlo);
					e->xlo = e->xhi = 0;
				}else
					disable(e);
			}else{
				fprintf(stderr, "tcmut: unknown HOW %s\n", how);
				return 2;
			}
		}
	}
	if(n != h->pageoff + nlk && strcmp(how, "size-lie") != 0 && strcmp(how, "linkoff-bad") != 0)
		relink();
	sumfile();
	if((fp = fopen(argv[2], "wb")) == NULL || fwrite(f, 1, n, fp) != n || fclose(fp) != 0)
		return 2;
	return 0;
}
