/* guest_getdents.c — list a directory with getdents64, as ls and
 * Python's os.scandir do, for tests/vxinferno_getdents.t.
 *
 *   guest_getdents DIR [BUFSIZE]   one line per entry but . and ..:
 *                                  the name (odd bytes as \ooo), its
 *                                  d_type, and whether d_ino is the
 *                                  st_ino that stat gives the name
 *   guest_getdents -c DIR          read DIR in small pieces while adding
 *                                  and removing entries: says whether
 *                                  each name there all along came once
 *   guest_getdents -o DIR          whether DIR lists its names sorted
 *                                  (strcmp's order: #U sorts them)
 *   guest_getdents -g DIR [BUFSIZE]  as the first, with i386's getdents
 *                                  (its linux_dirent: 32-bit inode and
 *                                  offset, the type in the last byte)
 *   guest_getdents -e DIR          getdents64 and getdents into buffers
 *                                  that run into an unmapped, PROT_NONE
 *                                  or read-only page: what fits before
 *                                  it, EFAULT when nothing does, and
 *                                  the rest in the next read; a
 *                                  getdents64 entry fits when its name's
 *                                  NUL does (Linux writes no padding,
 *                                  but counts it).  DIR's names should
 *                                  be of one length, so that what fits
 *                                  does not depend on their order
 *   guest_getdents -h DIR          getdents64 and getdents with counts
 *                                  past INT_MAX (EINVAL) and of INT_MAX
 *                                  into a buffer on the stack (which
 *                                  natively runs past 4 GiB: entries)
 *   guest_getdents -s DIR          telldir before each entry, then
 *                                  seekdir back to every third position
 *                                  (last first): readdir gives that
 *                                  entry again (lseek of a directory to
 *                                  a d_off it gave; was EINVAL)
 *   guest_getdents -r DIR          getdents64 into a 16 MiB buffer whose
 *                                  last page another thread keeps making
 *                                  read-only and writable again: every
 *                                  read gets the entries (the first page
 *                                  never changes), none crashes the host
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ldirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static void
putname(const char *s)
{
	for(; *s; s++)
		if((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || *s == '\\')
			printf("\\%03o", (unsigned char)*s);
		else
			putchar(*s);
}

/* getdents' entry at b as getdents64's (in e, room for a name) */
static struct ldirent *
oldent(const char *b, struct ldirent *e)
{
	uint32_t ino, doff;
	uint16_t reclen;

	memcpy(&ino, b, 4);
	memcpy(&doff, b + 4, 4);
	memcpy(&reclen, b + 8, 2);
	e->ino = ino;
	e->off = doff;
	e->reclen = reclen;
	e->type = b[reclen - 1];
	snprintf(e->name, 256, "%s", b + 10);
	return e;
}

static int old;	/* -g: getdents, not getdents64 */

static int
list(const char *dir, int bufsize)
{
	static union { struct ldirent e; char room[sizeof(struct ldirent) + 256]; } one;
	char *buf;
	struct ldirent *d;
	struct stat st;
	long n, off;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	buf = malloc(bufsize);
	if(fd < 0 || buf == NULL){
		perror(dir);
		return 1;
	}
	while((n = syscall(old ? SYS_getdents : SYS_getdents64, fd, buf, bufsize)) > 0)
		for(off = 0; off < n; off += d->reclen){
			d = old ? oldent(buf + off, &one.e) : (struct ldirent *)(buf + off);
			if(strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0)
				continue;
			putname(d->name);
			if(fstatat(fd, d->name, &st, 0) < 0)
				printf(" %d nostat\n", d->type);
			else
				printf(" %d %s %s\n", d->type, S_ISDIR(st.st_mode) ? "dir" : "file",
					st.st_ino == d->ino ? "ino-same" : "ino-differs");
		}
	if(n < 0){
		perror(old ? "getdents" : "getdents64");
		return 1;
	}
	close(fd);
	return 0;
}

enum { Nold = 200, Nnew = 60 };

/* Entries old-000 .. old-199 are there at the start; after the first
 * read new ones come and old-180 .. old-199 go. */
static int
churn(const char *dir)
{
	char buf[512], path[4096];
	int seen[Nold], fd, i, k, bad, reads;
	struct ldirent *d;
	long n, off;

	memset(seen, 0, sizeof seen);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if(fd < 0){
		perror(dir);
		return 1;
	}
	reads = 0;
	while((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0){
		for(off = 0; off < n; off += d->reclen){
			d = (struct ldirent *)(buf + off);
			if(sscanf(d->name, "old-%d", &k) == 1 && k >= 0 && k < Nold)
				seen[k]++;
		}
		if(reads++ == 0){
			for(i = 0; i < Nnew; i++){
				snprintf(path, sizeof path, "%s/new-%03d", dir, i);
				close(open(path, O_WRONLY | O_CREAT, 0644));
			}
			for(i = Nold - 20; i < Nold; i++){
				snprintf(path, sizeof path, "%s/old-%03d", dir, i);
				unlink(path);
			}
		}
	}
	bad = 0;
	for(i = 0; i < Nold; i++)
		if(i < Nold - 20 ? seen[i] != 1 : seen[i] > 1)
			bad++;
	printf("churn: %d reads, %d wrong\n", reads, bad);
	return n < 0 || bad != 0;
}

/* Are DIR's names listed in strcmp's order (bytes unsigned)?  Says so,
 * or names the first out of place. */
static int
inorder(const char *dir)
{
	static char buf[32768], prev[256];
	struct ldirent *d;
	long n, off, count = 0;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if(fd < 0){
		perror(dir);
		return 1;
	}
	prev[0] = 0;
	while((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
		for(off = 0; off < n; off += d->reclen){
			d = (struct ldirent *)(buf + off);
			if(strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0)
				continue;
			if(count > 0 && strcmp(prev, d->name) >= 0){
				printf("out of order after %ld names: ", count);
				putname(d->name);
				printf("\n");
				return 0;
			}
			snprintf(prev, sizeof prev, "%s", d->name);
			count++;
		}
	printf("%ld names, in order\n", count);
	return 0;
}

/* The reclen of the entry at b, of either kind */
static unsigned
reclenat(const char *b, int isold)
{
	uint16_t r;

	memcpy(&r, b + (isold ? 8 : 16), 2);
	return r;
}

/* The bytes of the entry at b that the kernel writes: getdents64's
 * through its name's NUL, getdents' all (its type is the last byte) */
static long
writtenat(const char *b, int isold)
{
	return isold ? (long)reclenat(b, isold) : 19 + (long)strlen(b + 19) + 1;
}

/* Read DIR to its end with a big buffer after a first read of whatever
 * fits in room bytes before page end, the buffer said to be 8192: that
 * read's result, whether its entries' written bytes stayed within the
 * room (all of them, or all but the last one's padding) and the one
 * after them would not have fitted, and whether every name came once
 * in all. */
static void
edgeread(const char *dir, char *end, int room, int isold, const char *how)
{
	static char big[65536];
	char names[1024][32];
	long r, n, off, total, last;
	int fd, i, k, once, nnames, fitted;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if(fd < 0){
		perror(dir);
		return;
	}
	nnames = 0;
	once = 1;
	errno = 0;
	r = syscall(isold ? SYS_getdents : SYS_getdents64, fd, end - room, 8192);
	printf("%s, %s, %d bytes before the page: ", isold ? "getdents" : "getdents64", how, room);
	total = r > 0 ? r : 0;
	last = -1;
	for(off = 0; off < total && off < room && nnames < 1024; off += reclenat(end - room + off, isold)){
		last = off;
		snprintf(names[nnames++], 32, "%s", end - room + off + (isold ? 10 : 19));
	}
	if(r < 0)
		printf("%s", strerror(errno));
	else if(r == 0)
		printf("none");
	else if(r <= room)
		printf("some entries, all in the room");
	else if(last >= 0 && last + writtenat(end - room + last, isold) <= room && off == r)
		printf("some entries, the last one's padding past the room");
	else
		printf("too many bytes");
	fitted = -1;
	while((n = syscall(isold ? SYS_getdents : SYS_getdents64, fd, big, sizeof big)) > 0){
		if(fitted < 0)
			fitted = r > 0 && last >= 0 && writtenat(big, isold) > room - (last + (long)reclenat(end - room + last, isold));
		for(off = 0; off < n && nnames < 1024; off += reclenat(big + off, isold))
			snprintf(names[nnames++], 32, "%s", big + off + (isold ? 10 : 19));
	}
	for(i = 0; i < nnames; i++)
		for(k = 0; k < i; k++)
			if(strcmp(names[i], names[k]) == 0)
				once = 0;
	if(r > 0)
		printf(", the next would not have fitted: %d", fitted);
	printf("; then %s, %d names, each once: %d", n < 0 ? strerror(errno) : "the end", nnames, once);
	errno = 0;
	r = syscall(isold ? SYS_getdents : SYS_getdents64, fd, end, 8192);
	printf("; at the end, into the page: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	close(fd);
}

static int
edges(const char *dir)
{
	static const int rooms[] = { 0, 8, 100, 1000, 4000 };
	char *p;
	unsigned i;
	int isold;

	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED){
		perror("mmap");
		return 1;
	}
	for(isold = 0; isold < 2; isold++){
		mprotect(p + 4096, 4096, PROT_NONE);
		for(i = 0; i < sizeof rooms / sizeof rooms[0]; i++)
			edgeread(dir, p + 4096, rooms[i], isold, "PROT_NONE");
		mprotect(p + 4096, 4096, PROT_READ);
		edgeread(dir, p + 4096, 100, isold, "read-only");
		edgeread(dir, p + 4096, 8, isold, "read-only");
		munmap(p + 4096, 4096);
		edgeread(dir, p + 4096, 1000, isold, "unmapped");
		edgeread(dir, p + 4096, 8, isold, "unmapped");
		mmap(p + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	return 0;
}

/* Counts Linux's filldir (an int) and its 64-bit access_ok see */
static int
hugecounts(const char *dir)
{
	static const uint32_t counts[] = { 0xfffffff0u, 0x80000000u, 0x7fffffffu };
	char buf[65536];
	long r;
	int fd, isold;
	unsigned i;

	for(isold = 0; isold < 2; isold++)
		for(i = 0; i < sizeof counts / sizeof counts[0]; i++){
			fd = open(dir, O_RDONLY | O_DIRECTORY);
			if(fd < 0){
				perror(dir);
				return 1;
			}
			errno = 0;
			r = syscall(isold ? SYS_getdents : SYS_getdents64, fd, buf, counts[i]);
			printf("%s, count %#x into the stack: %s\n", isold ? "getdents" : "getdents64", counts[i],
				r > 0 ? "entries" : r == 0 ? "none" : strerror(errno));
			close(fd);
		}
	return 0;
}

enum { RACEBUF = 16 << 20, RACEREADS = 2000 };
static char *flipped;
static volatile int racedone;

static void *
flipper(void *arg)
{
	(void)arg;
	while(!racedone){
		mprotect(flipped, 4096, PROT_READ);
		mprotect(flipped, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

/* The buffer's room is found page by page; until session 22's red team
 * the host then asked for it again and, when the last page had turned
 * read-only meanwhile, wrote the entries through NULL (a host crash
 * within a few hundred reads). */
static int
racing(const char *dir)
{
	pthread_t th;
	char *p;
	long r, good = 0, i;
	int fd;

	p = mmap(NULL, RACEBUF + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED || (fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0){
		perror(dir);
		return 1;
	}
	munmap(p + RACEBUF, 4096);
	flipped = p + RACEBUF - 4096;
	if(pthread_create(&th, NULL, flipper, NULL) != 0)
		return 1;
	for(i = 0; i < RACEREADS; i++){
		lseek(fd, 0, SEEK_SET);
		r = syscall(SYS_getdents64, fd, p, RACEBUF + 4096);
		if(r > 0)
			good++;
	}
	racedone = 1;
	pthread_join(th, NULL);
	printf("%ld of %d reads got entries\n", good, RACEREADS);
	return 0;
}

/* Names getdents64 gives from fd now, after "." and "..", on one line */
static void
names(int fd)
{
	char buf[4096];
	struct ldirent *d;
	long n, off;

	while((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
		for(off = 0; off < n; off += d->reclen){
			d = (struct ldirent *)(buf + off);
			if(strcmp(d->name, ".") != 0 && strcmp(d->name, "..") != 0)
				printf(" %s", d->name);
		}
	printf("%s\n", n < 0 ? " error" : " end");
}

/* An empty directory read to its end stays ended (a name made in it
 * then is seen after a rewind, not before), as Linux's ext4. */
static int
atend(const char *dir)
{
	char path[4096];
	int fd, nf;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if(fd < 0){
		perror(dir);
		return 1;
	}
	printf("first:");
	names(fd);
	snprintf(path, sizeof path, "%s/made", dir);
	nf = open(path, O_CREAT | O_WRONLY, 0644);
	if(nf < 0){
		perror(path);
		return 1;
	}
	close(nf);
	printf("after a create:");
	names(fd);
	lseek(fd, 0, SEEK_SET);
	printf("after a rewind:");
	names(fd);
	return 0;
}

/* telldir before each entry, then seekdir back to every third, from the
 * last: the same entry again; then a rewind and an lseek by SEEK_CUR */
static int
seeks(char *dir)
{
	enum { Max = 4096 };
	static long pos[Max];
	static char name[Max][256];
	struct dirent *e;
	int i, nent, wrong;
	DIR *d;

	d = opendir(dir);
	if(d == NULL){
		perror(dir);
		return 1;
	}
	for(nent = 0; nent < Max; nent++){
		pos[nent] = telldir(d);
		if((e = readdir(d)) == NULL)
			break;
		snprintf(name[nent], sizeof name[nent], "%s", e->d_name);
	}
	wrong = 0;
	for(i = nent - 1; i >= 0; i -= 3){
		seekdir(d, pos[i]);
		e = readdir(d);
		if(e == NULL || strcmp(e->d_name, name[i]) != 0)
			wrong++;
	}
	seekdir(d, pos[nent > 0 ? nent : 0]);
	printf("seekdir back to every third of %s entries: %d wrong; at the end: %s\n", nent > 100 ? "many" : "few", wrong, readdir(d) == NULL ? "none" : "an entry");
	rewinddir(d);
	e = readdir(d);
	printf("after rewinddir: %s\n", e != NULL && strcmp(e->d_name, name[0]) == 0 ? "the first entry" : "another");
	closedir(d);
	return 0;
}

int
main(int argc, char **argv)
{
	if(argc == 3 && strcmp(argv[1], "-s") == 0)
		return seeks(argv[2]);
	if(argc == 3 && strcmp(argv[1], "-z") == 0)
		return atend(argv[2]);
	if(argc == 3 && strcmp(argv[1], "-c") == 0)
		return churn(argv[2]);
	if(argc == 3 && strcmp(argv[1], "-e") == 0)
		return edges(argv[2]);
	if(argc == 3 && strcmp(argv[1], "-h") == 0)
		return hugecounts(argv[2]);
	if(argc == 3 && strcmp(argv[1], "-r") == 0)
		return racing(argv[2]);
	if(argc == 3 && strcmp(argv[1], "-o") == 0)
		return inorder(argv[2]);
	if(argc >= 3 && strcmp(argv[1], "-g") == 0){
		old = 1;
		argc--;
		argv++;
	}
	if(argc < 2){
		fprintf(stderr, "usage: guest_getdents [-g] DIR [BUFSIZE] | -c DIR | -o DIR | -e DIR | -h DIR | -r DIR | -s DIR | -z DIR\n");
		return 2;
	}
	return list(argv[1], argc > 2 ? atoi(argv[2]) : 32768);
}
