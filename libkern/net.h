/*
 * net.h — libkern's private interface between the Styx pieces: host
 * socket Chans (devconn.c), Chans as host descriptors (chanfd.c), the
 * mount driver (devmnt.c) and export (export.c).
 */

/* devconn.c: #N, a connection on a host socket, open for read and write */
Chan *connchan(int hostfd, const char *addr);	/* takes hostfd */
int connhostfd(Chan *c);			/* its host fd, or -1 if c is not one */

/* chanfd.c: a host descriptor carrying c's bytes both ways.  For a #N
 * Chan it is a dup of the socket; for any other Chan (a pipe, a #s
 * file …) a socketpair pumped by two kernel procs, which end when the
 * descriptor is closed or c fails.  -1 with the error set. */
int chanhostfd(Chan *c);

/* devmnt.c, for kfversion and kfauth: negotiate 9P on c now (the
 * connection waits for a kmount), and open an auth fid */
int mntversion(Chan *c, uint msize, char *version, uint nversion);
Chan *mntauth(Chan *conv, char *aname);

/* devmnt.c, for export: a read or write of a mounted file that is sent
 * and not waited for (the request parks meanwhile): done(arg) runs when
 * its outcome is known, mntioend takes it, mntiocancel sends a Tflush
 * (styx.h: styx_start). */
typedef struct StyxCall StyxCall;
int mntiostart(Chan *c, int type, void *buf, long *np, vlong off, void (*done)(void*), void *arg, StyxCall **kp);
void mntiocancel(StyxCall *k);
long mntioend(Chan *c, StyxCall *k, int type, void *buf, long n);
