/* raw9p.h — a bare 9P2000 client for attacking a server: messages are
 * packed with libstyx and written as they are, several at once if the
 * caller likes, and replies read back one by one.  Used by the export
 * attack tests and the stateful fuzzer (tests/styxfuzz). */
#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "styx.h"

enum { R9MSIZE = 8192 + STYX_IOHDRSZ };

/* Connect to a unix socket; -1 on failure. */
static inline int
r9dial(const char *path)
{
	struct sockaddr_un a;
	int fd;

	if(strlen(path) >= sizeof a.sun_path)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if(fd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, strlen(path) + 1);
	if(connect(fd, (struct sockaddr*)&a, sizeof a) < 0){
		close(fd);
		return -1;
	}
	return fd;
}

/* Append f, packed, to buf at *n (room: cap); 0 if it does not fit. */
static inline int
r9add(uint8_t *buf, size_t cap, size_t *n, Fcall *f)
{
	size_t m;

	m = styx_packsize(f);
	if(m == 0 || *n + m > cap)
		return 0;
	styx_pack(f, buf + *n, m);
	*n += m;
	return 1;
}

static inline int
r9send(int fd, Fcall *f)
{
	uint8_t buf[R9MSIZE + 64];
	size_t n = 0;

	if(!r9add(buf, sizeof buf, &n, f))
		return -1;
	return styx_writeall(fd, buf, n) < 0 ? -1 : 0;
}

/* The next reply into buf (R9MSIZE), unpacked into f, within ms; 1 got
 * one, 0 timed out, -1 hangup or garbage. */
static inline int
r9recv(int fd, Fcall *f, uint8_t *buf, int ms)
{
	struct pollfd p;
	long n;

	p.fd = fd;
	p.events = POLLIN;
	if(poll(&p, 1, ms) <= 0)
		return 0;
	n = styx_readmsg(fd, buf, R9MSIZE);
	if(n <= 0)
		return -1;
	return styx_unpack(buf, n, f) == n ? 1 : -1;
}

/* One request and its reply (ms to wait); the reply's type, or -1. */
static inline int
r9rpc(int fd, Fcall *tx, Fcall *rx, uint8_t *buf, int ms)
{
	if(r9send(fd, tx) < 0 || r9recv(fd, rx, buf, ms) != 1)
		return -1;
	return rx->type;
}

static inline void
r9init(Fcall *f, int type, int tag, uint32_t fid)
{
	memset(f, 0, sizeof *f);
	f->type = type;
	f->tag = tag;
	f->fid = fid;
}

/* Tversion and Tattach of fid as user; 0 on success. */
static inline int
r9hello(int fd, uint32_t fid, const char *user, int ms)
{
	uint8_t buf[R9MSIZE];
	Fcall tx, rx;

	r9init(&tx, Tversion, STYX_NOTAG, 0);
	tx.msize = R9MSIZE;
	tx.version = "9P2000";
	if(r9rpc(fd, &tx, &rx, buf, ms) != Rversion)
		return -1;
	r9init(&tx, Tattach, 1, fid);
	tx.afid = STYX_NOFID;
	tx.uname = (char*)user;
	tx.aname = "";
	return r9rpc(fd, &tx, &rx, buf, ms) == Rattach ? 0 : -1;
}

/* Walk fid to newfid along the blank-separated names in path. */
static inline int
r9walk(int fd, uint32_t fid, uint32_t newfid, const char *path, int ms)
{
	uint8_t buf[R9MSIZE];
	char copy[1024], *p, *save;
	Fcall tx, rx;

	r9init(&tx, Twalk, 2, fid);
	tx.newfid = newfid;
	snprintf(copy, sizeof copy, "%s", path);
	for(p = strtok_r(copy, "/", &save); p != NULL && tx.nwname < STYX_MAXWELEM; p = strtok_r(NULL, "/", &save))
		tx.wname[tx.nwname++] = p;
	if(r9rpc(fd, &tx, &rx, buf, ms) != Rwalk || rx.nwqid != tx.nwname)
		return -1;
	return 0;
}

static inline int
r9open(int fd, uint32_t fid, int mode, int ms)
{
	uint8_t buf[R9MSIZE];
	Fcall tx, rx;

	r9init(&tx, Topen, 3, fid);
	tx.mode = mode;
	return r9rpc(fd, &tx, &rx, buf, ms) == Ropen ? 0 : -1;
}

/* Does a new client on path get Tversion, Tattach and Tstat answered,
 * each within ms? */
static inline int
r9alive(const char *path, int ms)
{
	uint8_t buf[R9MSIZE];
	Fcall tx, rx;
	int fd, r;

	fd = r9dial(path);
	if(fd < 0 || r9hello(fd, 0, "probe", ms) < 0){
		if(fd >= 0)
			close(fd);
		return 0;
	}
	r9init(&tx, Tstat, 7, 0);
	r = r9rpc(fd, &tx, &rx, buf, ms) == Rstat;
	close(fd);
	return r;
}

/* Entries in a /proc directory (fds, tasks), or -1. */
static inline int
r9count(const char *dir)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	d = opendir(dir);
	if(d == NULL)
		return -1;
	while((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static inline int
r9clunk(int fd, uint32_t fid, int ms)
{
	uint8_t buf[R9MSIZE];
	Fcall tx, rx;

	r9init(&tx, Tclunk, 4, fid);
	return r9rpc(fd, &tx, &rx, buf, ms) == Rclunk ? 0 : -1;
}
