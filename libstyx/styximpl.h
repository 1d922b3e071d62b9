/* styximpl.h — little-endian field access shared by the libstyx files. */
#ifndef STYXIMPL_H
#define STYXIMPL_H

#include <stdint.h>
#include <string.h>
#include "styx.h"

static inline void
put8(uint8_t *p, uint8_t v)
{
	p[0] = v;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p+2, v >> 16);
}

static inline void
put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p+4, v >> 32);
}

static inline uint16_t
get16(const uint8_t *p)
{
	return p[0] | p[1]<<8;
}

static inline uint32_t
get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p+2)<<16;
}

static inline uint64_t
get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p+4)<<32;
}

/* A bounded reader over a message: every get checks room first and
 * latches the first error, so parsers read straight through and test
 * err once at the end. */
typedef struct Cursor {
	uint8_t *p;
	uint8_t *e;
	int err;		/* STYX_E* code, 0 while all is well */
} Cursor;

uint8_t sxget8(Cursor *c);
uint16_t sxget16(Cursor *c);
uint32_t sxget32(Cursor *c);
uint64_t sxget64(Cursor *c);
char *sxgetstr(Cursor *c);
void sxgetqid(Cursor *c, StyxQid *q);
uint8_t *sxgetbytes(Cursor *c, size_t n);

/* A writer that packs into a buffer already known to be big enough. */
uint8_t *sxputstr(uint8_t *p, const char *s);
uint8_t *sxputqid(uint8_t *p, const StyxQid *q);
size_t sxstrsize(const char *s);	/* 2+len, 0 if too long */

enum { QIDSZ = 13 };

#endif
