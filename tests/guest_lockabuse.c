/*
 * guest_lockabuse.c — what a hostile guest does to the file lock table
 * (vxrun/lock.c); run under vxinferno only, Linux has no such bound.
 *
 *	guest_lockabuse many	every other byte of a file locked until the
 *				table is full: ENOLCK, not the host's memory;
 *				unlocking gives the room back
 *	guest_lockabuse race N	flock and close of the same fd in two
 *				threads, N times: no lock may outlive its
 *				open file (checked through a second open)
 *	guest_lockabuse closerace N
 *				a thread sets a POSIX lock through an fd
 *				again and again while another closes it,
 *				N times: no lock may outlive the close
 *	guest_lockabuse handoff N [µs]
 *				two processes take an flock in turn N
 *				times each, releasing it by close µs
 *				(500) after the other said it waits: the
 *				time a waiter takes to get the lock
 *
 * For an embedding running two sandboxes (tests/unit/vxrun_boxes.c),
 * quiet, the answer in the exit status:
 *	guest_lockabuse fill	every other byte of /fillfile locked until
 *				ENOLCK (3 if never), then /full made; held
 *				until /done appears
 *	guest_lockabuse one	one lock on /onefile: 0, or 3 for ENOLCK
 *	guest_lockabuse hold	an flock of a new /env/boxa and a POSIX lock
 *				of /shared's first byte, then /held made;
 *				held until /done appears (1: a lock failed)
 *	guest_lockabuse probe	an flock of a new /env/boxb (+1 when it
 *				fails) and F_GETLK of /shared's first byte
 *				(+2 when its owner's pid shows, +4 when no
 *				conflict is seen)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MANY = 200000 };

static int
lk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, cmd, &fl) < 0 ? -errno : 0;
}

static int
many(void)
{
	int fd, i, r, st;
	pid_t kid;

	fd = open("manyfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(fd < 0){
		perror("manyfile");
		return 1;
	}
	r = 0;
	for(i = 0; i < MANY; i++)
		if((r = lk(fd, F_SETLK, F_WRLCK, 2 * (off_t)i, 1)) < 0)
			break;
	printf("many: %s after %d locks\n", r == -ENOLCK ? "ENOLCK" : r < 0 ? strerror(-r) : "no limit", i);
	/* full: a lock held already needs no room, an unlock makes some */
	r = lk(fd, F_SETLK, F_WRLCK, 2, 1);
	printf("full: held again %d", r);
	r = lk(fd, F_SETLK, F_UNLCK, 4, 1);
	printf(", unlock one %d", r);
	r = lk(fd, F_SETLK, F_RDLCK, 2 * (off_t)MANY + 1, 1);
	printf(", a new one %d", r);
	r = lk(fd, F_SETLK, F_RDLCK, 2 * (off_t)MANY + 3, 1);
	printf(", one more %s\n", r == -ENOLCK ? "ENOLCK" : strerror(-r));
	fflush(stdout);
	/* another process meets the same bound, and gets room when we unlock */
	if((kid = fork()) == 0){
		int k = open("manyfile", O_RDWR);
		int e = lk(k, F_SETLK, F_WRLCK, 2 * (off_t)MANY + 5, 1);

		printf("child while full: %s\n", e == -ENOLCK ? "ENOLCK" : strerror(-e));
		fflush(stdout);
		_exit(0);
	}
	waitpid(kid, &st, 0);
	printf("unlock all: %d\n", lk(fd, F_SETLK, F_UNLCK, 0, 0));
	printf("lock again: %d\n", lk(fd, F_SETLK, F_WRLCK, 0, 1));
	close(fd);
	unlink("manyfile");
	return 0;
}

static atomic_int go, armed, done;
static int rfd;

/* The threads of race and closerace hand over by flags.  A waiter
 * spins a while (some 100 µs), so that on an idle host the two threads
 * meet at the racing calls, then sleeps on the flag's futex: a pure
 * spin waited out each time slice for a thread that was not running,
 * and on a loaded 2-core host race 20000 took 245 s, past the test's
 * timeout (12 s at nice -15). */
enum { SPIN = 100000 };

static void
waitflag(atomic_int *v, int old)	/* until *v is not old */
{
	int k;

	for(k = 0; atomic_load(v) == old; k++)
		if(k >= SPIN)
			syscall(SYS_futex, v, FUTEX_WAIT_PRIVATE, old, NULL, NULL, 0);
}

static void
wakeflag(atomic_int *v)
{
	syscall(SYS_futex, v, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void
setflag(atomic_int *v, int val)
{
	atomic_store(v, val);
	wakeflag(v);
}

/* A round: go 1, the closer says it is armed and spins; go 2, and it
 * closes rfd as the main thread locks it. */
static void *
closer(void *arg)
{
	(void)arg;
	for(;;){
		waitflag(&go, 0);
		if(atomic_load(&go) < 0)
			return NULL;
		setflag(&armed, 1);
		waitflag(&go, 1);
		close(rfd);
		atomic_store(&go, 0);
		setflag(&done, 1);
	}
}

static int
race(int n)
{
	pthread_t th;
	int i, stale, check;

	check = open("racefile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(check < 0 || pthread_create(&th, NULL, closer, NULL) != 0){
		perror("race");
		return 1;
	}
	stale = 0;
	for(i = 0; i < n; i++){
		atomic_store(&done, 0);
		atomic_store(&armed, 0);
		setflag(&go, 1);
		rfd = open("racefile", O_RDWR);
		waitflag(&armed, 0);
		atomic_store(&go, 2);
		if(i & 1)
			flock(rfd, LOCK_EX | LOCK_NB);
		else
			lk(rfd, F_OFD_SETLK, F_WRLCK, 0, 0);
		wakeflag(&go);	/* the closer may have gone to sleep */
		waitflag(&done, 0);
		/* rfd's open file is gone: so are its locks */
		if(flock(check, LOCK_EX | LOCK_NB) < 0 || lk(check, F_OFD_SETLK, F_WRLCK, 0, 0) < 0){
			stale++;
			if(stale == 1)
				printf("race: a lock outlived its open file at round %d\n", i);
		}
		flock(check, LOCK_UN);
		lk(check, F_OFD_SETLK, F_UNLCK, 0, 0);
	}
	setflag(&go, -1);
	pthread_join(th, NULL);
	printf("race: %d rounds, %d stale\n", n, stale);
	unlink("racefile");
	return 0;
}

static atomic_int spinning;

static void *
setter(void *arg)
{
	(void)arg;
	for(;;){
		waitflag(&go, 0);
		if(atomic_load(&go) < 0)
			return NULL;
		setflag(&spinning, 1);
		while(lk(rfd, F_SETLK, F_WRLCK, 0, 0) == 0)
			;
		atomic_store(&go, 0);
		setflag(&done, 1);
	}
}

/* A close drops the process's POSIX locks on the file; a lock set
 * through the fd while the close is under way must not stay. */
static int
closerace(int n)
{
	struct flock fl;
	pthread_t th;
	int i, stale, check;

	check = open("racefile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(check < 0 || pthread_create(&th, NULL, setter, NULL) != 0){
		perror("closerace");
		return 1;
	}
	stale = 0;
	for(i = 0; i < n; i++){
		rfd = open("racefile", O_RDWR);
		atomic_store(&done, 0);
		atomic_store(&spinning, 0);
		setflag(&go, 1);
		waitflag(&spinning, 0);
		close(rfd);
		waitflag(&done, 0);
		/* an OFD lock's owner is not the process: it sees the process's */
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		if(fcntl(check, F_OFD_GETLK, &fl) < 0 || fl.l_type != F_UNLCK){
			stale++;
			if(stale == 1)
				printf("closerace: a lock outlived the close at round %d\n", i);
			lk(check, F_SETLK, F_UNLCK, 0, 0);
		}
	}
	setflag(&go, -1);
	pthread_join(th, NULL);
	printf("closerace: %d rounds, %d stale\n", n, stale);
	unlink("racefile");
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Hand-offs: the waiter tells the holder (a byte down a pipe) it is
 * about to wait, the holder lets it sleep a little, notes the time and
 * closes its fd, then sends the time; the waiter's latency is from
 * that close to its flock's return, and it says when it has the lock.  Turns alternate: the waiter holds
 * next.  Pipes, not spinning, so a loaded machine's scheduler adds
 * nothing of its own. */
static int pause_us = 500;

static void
turns(int me, int fd, int in, int out, int n, double *total, double *longest)
{
	double w, t;
	char c;
	int r;

	*total = *longest = 0;
	for(r = 0; r < 2 * n; r++){
		if(r % 2 == me){
			if(read(in, &c, 1) != 1)
				_exit(3);
			if(pause_us > 0)
				usleep(pause_us);
			t = now();
			close(fd);
			fd = -1;
			write(out, &t, sizeof t);
			/* flock hands nothing over: wait until the waiter has
			 * it, or our next flock could take it back first */
			if(read(in, &c, 1) != 1)
				_exit(3);
		}else{
			fd = open("handfile", O_RDWR);
			write(out, "w", 1);
			if(fd < 0 || flock(fd, LOCK_EX) < 0){
				printf("handoff: open or flock: %s\n", strerror(errno));
				_exit(3);
			}
			w = now();
			if(read(in, &t, sizeof t) != sizeof t)
				_exit(3);
			write(out, "g", 1);
			w -= t;
			*total += w;
			if(w > *longest)
				*longest = w;
		}
	}
	if(fd >= 0)
		close(fd);
}

static int
handoff(int n)
{
	double t0, total, longest, kt, kl;
	int fd, st, a[2], b[2], res[2];
	pid_t kid;

	fd = open("handfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(fd < 0 || pipe(a) < 0 || pipe(b) < 0 || pipe(res) < 0){
		perror("handoff");
		return 1;
	}
	flock(fd, LOCK_EX);	/* the parent holds first */
	t0 = now();
	if((kid = fork()) == 0){
		close(fd);	/* the lock is the open file's: the parent's close must free it */
		turns(1, -1, a[0], b[1], n, &kt, &kl);
		write(res[1], &kt, sizeof kt);
		write(res[1], &kl, sizeof kl);
		_exit(0);
	}
	turns(0, fd, b[0], a[1], n, &total, &longest);
	waitpid(kid, &st, 0);
	if(st != 0 || read(res[0], &kt, sizeof kt) != sizeof kt || read(res[0], &kl, sizeof kl) != sizeof kl){
		printf("handoff: the child failed\n");
		return 1;
	}
	printf("handoff: %d hand-offs, %.3f s in all, mean %.1f us, longest %.1f ms\n",
		2 * n, now() - t0, (total + kt) / (2 * n) * 1e6, (kl > longest ? kl : longest) * 1e3);
	unlink("handfile");
	return 0;
}

/* Make path, empty. */
static void
mark(char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if(fd >= 0)
		close(fd);
}

/* Until path exists, a minute at most. */
static void
await(char *path)
{
	int i;

	for(i = 0; i < 6000 && access(path, F_OK) < 0; i++)
		usleep(10000);
}

static int
fill(void)
{
	int fd, i, r;

	fd = open("/fillfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(fd < 0)
		return 1;
	r = 0;
	for(i = 0; i < MANY; i++)
		if((r = lk(fd, F_SETLK, F_WRLCK, 2 * (off_t)i, 1)) < 0)
			break;
	mark("/full");
	await("/done");
	return r == -ENOLCK ? 0 : 3;
}

static int
one(void)
{
	int fd = open("/onefile", O_RDWR | O_CREAT, 0644);

	if(fd < 0)
		return 1;
	return lk(fd, F_SETLK, F_WRLCK, 0, 1) == -ENOLCK ? 3 : 0;
}

static int
hold(void)
{
	int e, s;

	e = open("/env/boxa", O_RDWR | O_CREAT, 0644);
	s = open("/shared", O_RDWR | O_CREAT, 0644);
	if(e < 0 || s < 0 || flock(e, LOCK_EX | LOCK_NB) < 0 || lk(s, F_SETLK, F_WRLCK, 0, 1) < 0)
		return 1;
	mark("/held");
	await("/done");
	return 0;
}

static int
probe(void)
{
	struct flock fl;
	int e, s, st;

	st = 0;
	e = open("/env/boxb", O_RDWR | O_CREAT, 0644);
	if(e < 0 || flock(e, LOCK_EX | LOCK_NB) < 0)
		st |= 1;
	s = open("/shared", O_RDWR);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_len = 1;
	if(s < 0 || fcntl(s, F_GETLK, &fl) < 0 || fl.l_type != F_WRLCK)
		st |= 4;
	else if(fl.l_pid != 0)
		st |= 2;
	return st;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "many") == 0)
		return many();
	if(argc > 2 && strcmp(argv[1], "race") == 0)
		return race(atoi(argv[2]));
	if(argc > 2 && strcmp(argv[1], "closerace") == 0)
		return closerace(atoi(argv[2]));
	if(argc > 2 && strcmp(argv[1], "handoff") == 0){
		if(argc > 3)
			pause_us = atoi(argv[3]);
		return handoff(atoi(argv[2]));
	}
	if(argc > 1 && strcmp(argv[1], "fill") == 0)
		return fill();
	if(argc > 1 && strcmp(argv[1], "one") == 0)
		return one();
	if(argc > 1 && strcmp(argv[1], "hold") == 0)
		return hold();
	if(argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe();
	fprintf(stderr, "usage: guest_lockabuse many | race N | closerace N | handoff N [µs] | fill | one | hold | probe\n");
	return 2;
}
