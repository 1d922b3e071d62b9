/* fake9p.h — the parts every fake 9P server of the tests shares
 * (tests/unit/mnt_hostile.c, mnt_peer.c, tests/fuzz_styx/fuzz_mnt.c):
 * a listener with its accept loop, reading the next request, sending
 * replies (packed, or raw bytes with the header filled in), and the
 * qids and stats of a made-up tree.  What a server answers stays in its
 * test.  Built on libstyx alone (no libkern), in tests/lib/fake9p.c. */
#ifndef FAKE9P_H
#define FAKE9P_H

#include <stddef.h>
#include <stdint.h>
#include "styx.h"

/* Serve one connection; fd is the server's to close. */
typedef void F9serve(int fd, void *arg);
enum { F9THREAD = 1 };	/* each connection on a thread of its own */

/* Announce addr (a dial string) and accept on a new thread until the
 * process ends: each caller goes to serve(fd, arg), on a thread of its
 * own with F9THREAD, else on the accepting thread, one after another.
 * 0, or -1 with why in err. */
int f9listen(const char *addr, F9serve *serve, void *arg, int flags, char err[STYX_ERRMAX]);

/* The next request on fd, at most msize bytes, unpacked into t: the
 * buffer t's strings point into (free it), or NULL at the end of the
 * connection or on a message that does not unpack. */
uint8_t *f9next(int fd, size_t msize, Fcall *t);

/* Send r packed; 0, or -1 if it does not pack or the write fails. */
int f9reply(int fd, const Fcall *r);
int f9error(int fd, int tag, const char *ename);
/* Send the n bytes at b as they are, after writing the header into
 * them: size[4] = n, type[1], tag[2] (n >= 7). */
int f9raw(int fd, int type, int tag, uint8_t *b, size_t n);
void f9put16(uint8_t *p, unsigned v);
void f9put32(uint8_t *p, uint32_t v);

/* The qid of path, a directory's if isdir (version 0). */
StyxQid f9qid(uint64_t path, int isdir);
/* d made the stat of a file with qid q: glenda's, mode 0755 and DMDIR
 * for a directory, else 0644, length 0 for a directory; d is returned
 * for styx_packdir or for changes first.  name must outlive d. */
StyxDir *f9dir(StyxDir *d, StyxQid q, const char *name, uint64_t length);

#endif
