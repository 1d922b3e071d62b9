/*
 * guest_sysv.c — System V IPC as a guest and natively, the output the
 * same.  Its default mode builds for the host too (x86_64: the host
 * kernel's IPC, what an i386 program sees through the compat calls;
 * qemu-i386 does shmat and munmap itself, wrongly, and dies on msgsnd
 * past MSGMAX): shared memory (attach at a chosen, rounded or
 * kernel-chosen address, SHM_RDONLY, SHM_REMAP, fork, munmap of whole
 * attaches and of pieces, IPC_RMID while attached), semaphores (SETVAL,
 * SETALL, GETALL, GETPID, GETNCNT, GETZCNT, IPC_NOWAIT, timeouts,
 * waiters woken, EINTR, EIDRM, SEM_UNDO at exit), message queues
 * (types, MSG_EXCEPT, MSG_NOERROR, MSG_COPY, a full queue, blocking,
 * EINTR), keys, IPC_STAT/IPC_SET, /proc/sysvipc and the limits in
 * /proc/sys/kernel, and Linux's errors.  Nothing that depends on other
 * users of the host's IPC namespace is printed (ids, keys, times,
 * counts of all objects), and everything made is removed.
 *
 * "i386": what only an i386 program has: IPC_INFO's answers, ipc(2)'s
 * conventions (IPC_64, the old structures, msgrcv's and shmat's
 * version 0) and the direct calls.  "pidfd": pidfds and vmsplice.
 * "fill": shm segments made, attached and written until the sandbox's
 * memory bound stops them (vxinferno -M), also when each is cut by
 * munmap and removed while still attached.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <poll.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PG = 4096, XIPC_64 = 0x100, XSHMAT = 21, XSHMCTL = 24, XMSGSND = 11, XMSGRCV = 12, XSEMOP = 1, XSEMCTL = 3 };

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static void
say(const char *what, long r)
{
	if(r < 0)
		printf("%s: -1 %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
	fflush(stdout);
}

static void
sayerr(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok");
	fflush(stdout);
}

static key_t
mykey(int n)
{
	return (key_t)(0x56000000 | (getpid() & 0xfffff) << 4 | n);
}

static void
onsig(int sig)
{
	(void)sig;
}

/* A repeating SIGALRM without SA_RESTART: whatever the child blocks
 * in is interrupted, however late it gets there. */
static void
ticking(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsig;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int
reap(pid_t pid)
{
	int st;

	if(waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long
nattch(int id)
{
	struct shmid_ds ds;

	if(shmctl(id, IPC_STAT, &ds) < 0)
		return -1;
	return (long)ds.shm_nattch;
}

#ifndef __x86_64__
static void
limits(void)
{
	struct shminfo si;
	struct seminfo se;
	struct msginfo mi;

	if(shmctl(0, IPC_INFO, (struct shmid_ds *)&si) >= 0)
		printf("shminfo: max %lu min %lu mni %lu seg %lu all %lu\n", si.shmmax, si.shmmin, si.shmmni, si.shmseg, si.shmall);
	if(semctl(0, 0, IPC_INFO, (union semun){ .buf = (struct semid_ds *)&se }) >= 0)
		printf("seminfo: map %d mni %d mns %d mnu %d msl %d opm %d ume %d usz %d vmx %d aem %d\n",
			se.semmap, se.semmni, se.semmns, se.semmnu, se.semmsl, se.semopm, se.semume, se.semusz, se.semvmx, se.semaem);
	if(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0)
		printf("msginfo: pool %d map %d max %d mnb %d mni %d ssz %d tql %d seg %d\n",
			mi.msgpool, mi.msgmap, mi.msgmax, mi.msgmnb, mi.msgmni, mi.msgssz, mi.msgtql, mi.msgseg);
}

#endif

static void
shmkeys(void)
{
	int id, id2;

	id = shmget(mykey(1), 10000, IPC_CREAT | IPC_EXCL | 0600);
	say("shmget new key", id >= 0 ? 0 : -1);
	sayerr("shmget key again, IPC_EXCL", shmget(mykey(1), 10000, IPC_CREAT | IPC_EXCL | 0600));
	id2 = shmget(mykey(1), 5000, 0);
	printf("shmget key, smaller: same %d\n", id2 == id);
	sayerr("shmget key, larger", shmget(mykey(1), 20000, 0));
	sayerr("shmget absent key", shmget(mykey(2), 100, 0600));
	sayerr("shmget size 0", shmget(IPC_PRIVATE, 0, 0600));
	shmctl(id, IPC_RMID, NULL);
	sayerr("shmget after IPC_RMID", shmget(mykey(1), 100, 0600));
}

static void
shmattach(void)
{
	struct shmid_ds ds;
	char *a, *b, *c;
	int id, st;
	pid_t pid;

	id = shmget(IPC_PRIVATE, 10000, 0640);
	if(shmctl(id, IPC_STAT, &ds) < 0)
		return;
	printf("stat: segsz %lu nattch %lu mode %o cpid self %d lpid %d key %d\n", (unsigned long)ds.shm_segsz,
		(unsigned long)ds.shm_nattch, ds.shm_perm.mode, ds.shm_cpid == getpid(), ds.shm_lpid, ds.shm_perm.__key);
	a = shmat(id, NULL, 0);
	b = shmat(id, NULL, 0);
	printf("two attaches: %s, apart %d, page aligned %d, nattch %ld\n", a == (void *)-1 || b == (void *)-1 ? "failed" : "ok",
		a != b, ((unsigned long)a | (unsigned long)b) % PG == 0, nattch(id));
	strcpy(a, "written through a");
	a[9999] = 'z';
	printf("read through b: %s %c\n", b, b[9999]);
	shmctl(id, IPC_STAT, &ds);
	printf("lpid self %d atime set %d\n", ds.shm_lpid == getpid(), ds.shm_atime != 0);
	sayerr("shmdt b", shmdt(b));
	sayerr("shmdt b again", shmdt(b));
	sayerr("shmdt unaligned", shmdt(a + 1));
	sayerr("shmdt inside", shmdt(a + PG));
	printf("nattch %ld\n", nattch(id));
	/* a chosen address: rounded down with SHM_RND, else EINVAL */
	c = shmat(id, b + 123, 0);
	printf("shmat unaligned: %s\n", c == (void *)-1 ? strerror(errno) : "ok");
	c = shmat(id, b + 123, SHM_RND);
	printf("shmat SHM_RND: at b %d, sees %s\n", c == b, c == b ? c : "-");
	c = shmat(id, b, 0);
	printf("shmat over an attach: %s\n", c == (void *)-1 ? strerror(errno) : "ok");
	shmdt(b);
	/* read-only: a write is SIGSEGV */
	c = shmat(id, NULL, SHM_RDONLY);
	printf("SHM_RDONLY reads %s\n", c);
	pid = fork();
	if(pid == 0){
		c[0] = 'X';
		_exit(0);
	}
	printf("write to SHM_RDONLY: status %d\n", reap(pid));
	sayerr("mprotect of SHM_RDONLY to writable", mprotect(c, PG, PROT_READ | PROT_WRITE));
	shmdt(c);
	/* fork: the child shares the attach */
	pid = fork();
	if(pid == 0){
		printf("child: nattch %ld, sees %s\n", nattch(id), a);
		strcpy(a, "written by the child");
		_exit(0);
	}
	st = reap(pid);
	printf("after the child (%d): nattch %ld, sees %s\n", st, nattch(id), a);
	/* IPC_SET, then IPC_RMID while attached */
	ds.shm_perm.mode = 0604;
	sayerr("IPC_SET", shmctl(id, IPC_SET, &ds));
	shmctl(id, IPC_STAT, &ds);
	printf("mode %o\n", ds.shm_perm.mode);
	sayerr("IPC_RMID attached", shmctl(id, IPC_RMID, NULL));
	shmctl(id, IPC_STAT, &ds);
	printf("removed: mode %o key %d nattch %lu, still reads %s\n", ds.shm_perm.mode, ds.shm_perm.__key, (unsigned long)ds.shm_nattch, a);
	sayerr("shmdt last", shmdt(a));
	sayerr("IPC_STAT after the last detach", shmctl(id, IPC_STAT, &ds));
	sayerr("shmat of a bad id", (long)shmat(-1, NULL, 0));
	sayerr("shmat of a gone id", (long)shmat(id, NULL, 0));
	id = shmget(IPC_PRIVATE, 100, 0600);
	sayerr("shmctl bad cmd", shmctl(id, 99, &ds));
	shmctl(id, IPC_RMID, NULL);
}

/* What qemu-i386 does itself rather than pass to the kernel, and gets
 * wrong: SHM_REMAP's checks, and munmap of an attach (qemu's munmap
 * never detaches).  Its lines begin with '*': the test compares them
 * with this program built for the host (x86_64) instead. */
static void
shmvmas(void)
{
	char *a, *c, *m;
	int id;

	id = shmget(IPC_PRIVATE, 3 * PG, 0600);
	a = shmat(id, NULL, 0);
	strcpy(a, "segment");
	c = shmat(id, NULL, SHM_REMAP);
	printf("shmat NULL SHM_REMAP: %s\n", c == (void *)-1 ? strerror(errno) : "ok");
	/* over a mapping: EINVAL, or replacing it with SHM_REMAP */
	m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(m, "anonymous");
	c = shmat(id, m, 0);
	printf("shmat over a mapping: %s\n", c == (void *)-1 ? strerror(errno) : "ok");
	c = shmat(id, m, SHM_REMAP);
	printf("shmat SHM_REMAP: at m %d, sees %s, nattch %ld\n", c == m, c == m ? c : "-", nattch(id));
	/* munmap of the whole attach detaches it; of a part, cuts it */
	munmap(m + PG, PG);
	printf("after munmap of its middle: nattch %ld\n", nattch(id));
	sayerr("shmdt of the cut attach", shmdt(m));
	printf("nattch %ld, the rest unmapped %d\n", nattch(id), msync(m + 2 * PG, PG, MS_ASYNC) < 0 && errno == ENOMEM);
	c = shmat(id, NULL, 0);
	munmap(c, 3 * PG);
	printf("after munmap of a whole attach: nattch %ld\n", nattch(id));
	c = shmat(id, NULL, 0);
	munmap(c, PG);
	printf("after munmap of its head: nattch %ld\n", nattch(id));
	sayerr("shmdt of its old start", shmdt(c));
	sayerr("shmdt of the rest", shmdt(c + PG));
	printf("nattch %ld\n", nattch(id));
	shmdt(a);
	shmctl(id, IPC_RMID, NULL);
}

/* the removed-on-exit and exec-less exit: an attach ends with its process */
static void
shmexit(void)
{
	int id, st;
	pid_t pid;

	id = shmget(IPC_PRIVATE, PG, 0600);
	pid = fork();
	if(pid == 0){
		shmat(id, NULL, 0);
		shmat(id, NULL, 0);
		_exit(nattch(id) == 2 ? 0 : 1);
	}
	st = reap(pid);
	printf("child attached twice (%d), after its exit: nattch %ld\n", st, nattch(id));
	shmctl(id, IPC_RMID, NULL);
}

/* ipc(2) directly: SHMAT's address through a pointer, the old shmid_ds */
#ifndef __x86_64__
static void
shmipc(void)
{
	unsigned long addr;
	unsigned char old[48];
	struct shmid_ds ds;
	int id;
	long r;

	id = shmget(IPC_PRIVATE, 5000, 0600);
	addr = 0;
	r = syscall(SYS_ipc, XSHMAT, id, 0, &addr, NULL, 0);
	printf("ipc SHMAT: %ld, address set %d\n", r, addr != 0 && addr % PG == 0);
	r = syscall(SYS_ipc, XSHMAT | 1 << 16, id, 0, &addr, NULL, 0);
	printf("ipc SHMAT version 1: %s\n", r < 0 ? strerror(errno) : "ok");
	memset(old, 0xee, sizeof old);
	r = syscall(SYS_ipc, XSHMCTL, id, IPC_STAT, 0, old, 0);
	printf("ipc SHMCTL old IPC_STAT: %ld segsz %u nattch %u mode %o\n", r, old[16] | old[17] << 8,
		old[36] | old[37] << 8, old[12] | old[13] << 8);
	r = syscall(SYS_ipc, XSHMCTL, id, IPC_STAT | XIPC_64, 0, &ds, 0);
	printf("ipc SHMCTL IPC_64 IPC_STAT: %ld segsz %lu\n", r, (unsigned long)ds.shm_segsz);
	r = syscall(SYS_ipc, 99, 0, 0, 0, NULL, 0);
	printf("ipc 99: %s\n", r < 0 ? strerror(errno) : "ok");
	shmdt((void *)addr);
	shmctl(id, IPC_RMID, NULL);
}

#endif

static long
semval(int id, int n)
{
	return semctl(id, n, GETVAL);
}

/* Wait (bounded) for n processes waiting on semaphore num. */
static int
waiters(int id, int num, int cmd, int n)
{
	int i;

	for(i = 0; i < 5000; i++){
		if(semctl(id, num, cmd) == n)
			return 1;
		usleep(2000);
	}
	return 0;
}

static void
sems(void)
{
	struct sembuf op[2], big[501];
	struct semid_ds ds;
	unsigned short vals[3];
	struct timespec ts = { 0, 20000000 };
	int id, i, k;
	pid_t pid, p2;

	sayerr("semget nsems -1", semget(IPC_PRIVATE, -1, 0600));
	sayerr("semget nsems 0", semget(IPC_PRIVATE, 0, 0600));
	sayerr("semget nsems past SEMMSL", semget(IPC_PRIVATE, 32001, 0600));
	k = semget(mykey(3), 3, IPC_CREAT | 0600);
	sayerr("semget key, more sems", semget(mykey(3), 4, 0600));
	printf("semget key, fewer: same %d\n", semget(mykey(3), 2, 0600) == k);
	semctl(k, 0, IPC_RMID);
	id = semget(IPC_PRIVATE, 3, 0600);
	semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds });
	printf("sem stat: nsems %lu mode %o otime %ld\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode, (long)ds.sem_otime);
	say("SETVAL", semctl(id, 0, SETVAL, (union semun){ .val = 5 }));
	say("GETVAL", semval(id, 0));
	sayerr("SETVAL 32768", semctl(id, 0, SETVAL, (union semun){ .val = 32768 }));
	sayerr("SETVAL -1", semctl(id, 0, SETVAL, (union semun){ .val = -1 }));
	sayerr("SETVAL sem 3", semctl(id, 3, SETVAL, (union semun){ .val = 1 }));
	vals[0] = 1, vals[1] = 2, vals[2] = 3;
	say("SETALL", semctl(id, 0, SETALL, (union semun){ .array = vals }));
	memset(vals, 0, sizeof vals);
	say("GETALL", semctl(id, 0, GETALL, (union semun){ .array = vals }));
	printf("values %d %d %d\n", vals[0], vals[1], vals[2]);
	vals[1] = 40000;
	sayerr("SETALL 40000", semctl(id, 0, SETALL, (union semun){ .array = vals }));
	printf("GETPID self %d\n", semctl(id, 1, GETPID) == getpid());
	op[0] = (struct sembuf){ 0, -2, IPC_NOWAIT };
	sayerr("semop below zero, IPC_NOWAIT", semop(id, op, 1));
	op[0] = (struct sembuf){ 1, 0, IPC_NOWAIT };
	sayerr("semop wait for zero, IPC_NOWAIT", semop(id, op, 1));
	/* all or none: the second fails, the first is not done */
	op[0] = (struct sembuf){ 0, -1, 0 };
	op[1] = (struct sembuf){ 1, -5, IPC_NOWAIT };
	sayerr("semop two, second blocks", semop(id, op, 2));
	printf("values %ld %ld\n", semval(id, 0), semval(id, 1));
	op[0] = (struct sembuf){ 2, 32767, 0 };
	sayerr("semop past SEMVMX", semop(id, op, 1));
	op[0] = (struct sembuf){ 3, 1, 0 };
	sayerr("semop sem 3", semop(id, op, 1));
	sayerr("semop nsops 0", semop(id, op, 0));
	memset(big, 0, sizeof big);
	sayerr("semop nsops 501", semop(id, big, 501));
	sayerr("semop bad id", semop(-1, op, 1));
	sayerr("semop bad pointer", semop(id, (void *)16, 1));
	op[0] = (struct sembuf){ 0, -5, 0 };
	sayerr("semtimedop times out", semtimedop(id, op, 1, &ts));
	ts.tv_nsec = 1000000000;
	sayerr("semtimedop bad timeout", semtimedop(id, op, 1, &ts));
	op[0] = (struct sembuf){ 0, 2, 0 };
	semop(id, op, 1);
	printf("otime set %d\n", semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }) == 0 && ds.sem_otime != 0);
	/* a waiter, woken by an increment */
	semctl(id, 0, SETVAL, (union semun){ .val = 0 });
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 0, -1, 0 };
		_exit(semop(id, op, 1) == 0 ? 0 : 1);
	}
	printf("waiting: GETNCNT 1 %d\n", waiters(id, 0, GETNCNT, 1));
	op[0] = (struct sembuf){ 0, 1, 0 };
	semop(id, op, 1);
	i = reap(pid);
	printf("woken: status %d value %ld GETNCNT %d\n", i, semval(id, 0), semctl(id, 0, GETNCNT));
	/* two waiters, one increment of 2 */
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 0, -1, 0 };
		_exit(semop(id, op, 1) == 0 ? 0 : 1);
	}
	p2 = fork();
	if(p2 == 0){
		op[0] = (struct sembuf){ 0, -1, 0 };
		_exit(semop(id, op, 1) == 0 ? 0 : 1);
	}
	printf("two waiting %d\n", waiters(id, 0, GETNCNT, 2));
	op[0] = (struct sembuf){ 0, 2, 0 };
	semop(id, op, 1);
	i = reap(pid);
	i = i << 8 | reap(p2);
	printf("both woken: %d %d value %ld\n", i >> 8, i & 0xff, semval(id, 0));
	/* waiting for zero */
	semctl(id, 1, SETVAL, (union semun){ .val = 1 });
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 1, 0, 0 };
		_exit(semop(id, op, 1) == 0 ? 0 : 1);
	}
	printf("zero waiting: GETZCNT 1 %d\n", waiters(id, 1, GETZCNT, 1));
	semctl(id, 1, SETVAL, (union semun){ .val = 0 });
	i = reap(pid);
	printf("zero reached: status %d\n", i);
	/* EINTR */
	pid = fork();
	if(pid == 0){
		ticking();
		op[0] = (struct sembuf){ 0, -1, 0 };
		_exit(semop(id, op, 1) < 0 && errno == EINTR ? 0 : 1);
	}
	printf("semop interrupted by a signal: EINTR %d\n", reap(pid) == 0);
	/* SEM_UNDO at exit, up and down */
	semctl(id, 2, SETVAL, (union semun){ .val = 10 });
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 2, 5, SEM_UNDO };
		op[1] = (struct sembuf){ 1, 3, SEM_UNDO };
		semop(id, op, 2);
		op[0] = (struct sembuf){ 2, -7, SEM_UNDO };
		semop(id, op, 1);
		_exit(semval(id, 2) == 8 && semval(id, 1) == 3 ? 0 : 1);
	}
	i = reap(pid);
	printf("SEM_UNDO: child saw its changes %d, after its exit %ld %ld, GETPID child %d\n", i == 0, semval(id, 2),
		semval(id, 1), semctl(id, 2, GETPID) == pid);
	/* SETVAL forgets the undo */
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 2, 5, SEM_UNDO };
		semop(id, op, 1);
		semctl(id, 2, SETVAL, (union semun){ .val = 1 });
		_exit(0);
	}
	reap(pid);
	printf("SETVAL then exit: %ld\n", semval(id, 2));
	/* an undo kept within 0 */
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 2, 4, SEM_UNDO };
		semop(id, op, 1);
		op[0] = (struct sembuf){ 2, -5, 0 };
		semop(id, op, 1);
		_exit(0);
	}
	reap(pid);
	printf("undo below zero: %ld\n", semval(id, 2));
	/* IPC_RMID wakes a waiter with EIDRM */
	pid = fork();
	if(pid == 0){
		op[0] = (struct sembuf){ 0, -100, 0 };
		_exit(semop(id, op, 1) < 0 && errno == EIDRM ? 0 : 1);
	}
	printf("waiting %d\n", waiters(id, 0, GETNCNT, 1));
	sayerr("sem IPC_RMID", semctl(id, 0, IPC_RMID));
	printf("waiter: EIDRM %d\n", reap(pid) == 0);
	sayerr("GETVAL after IPC_RMID", semval(id, 0));
	id = semget(IPC_PRIVATE, 1, 0600);
	sayerr("semctl bad cmd", semctl(id, 0, 99));
	semctl(id, 0, IPC_RMID);
}

/* ipc(2)'s SEMCTL takes its argument through a pointer, SEMOP's sops
 * are ptr */
#ifndef __x86_64__
static void
semipc(void)
{
	struct sembuf op = { 0, 3, 0 };
	union semun arg;
	int id;
	long r;

	id = semget(IPC_PRIVATE, 1, 0600);
	r = syscall(SYS_ipc, XSEMOP, id, 1, 0, &op, 0);
	printf("ipc SEMOP: %ld\n", r);
	arg.val = 0;
	r = syscall(SYS_ipc, XSEMCTL, id, 0, GETVAL, &arg, 0);
	printf("ipc SEMCTL GETVAL: %ld\n", r);
	r = syscall(SYS_ipc, XSEMCTL, id, 0, GETVAL, NULL, 0);
	printf("ipc SEMCTL without arg: %s\n", r < 0 ? strerror(errno) : "ok");
	semctl(id, 0, IPC_RMID);
}

#endif

struct mb {
	long type;
	char text[64];
};

static void
snd(int id, long type, const char *text, int flags)
{
	struct mb m;
	char what[64];

	m.type = type;
	strcpy(m.text, text);
	snprintf(what, sizeof what, "msgsnd %ld %s", type, text);
	sayerr(what, msgsnd(id, &m, strlen(text) + 1, flags));
}

static void
rcv(int id, long type, size_t size, int flags, const char *what)
{
	struct mb m;
	long r;

	memset(&m, 0, sizeof m);
	r = msgrcv(id, &m, size, type, flags);
	if(r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %ld bytes, type %ld, %.*s\n", what, r, m.type, (int)r, m.text);
	fflush(stdout);
}

static void
msgs(void)
{
	struct msqid_ds ds;
	struct mb m;
	int id, k;
	pid_t pid;

	k = msgget(mykey(4), IPC_CREAT | IPC_EXCL | 0600);
	sayerr("msgget key again, IPC_EXCL", msgget(mykey(4), IPC_CREAT | IPC_EXCL | 0600));
	printf("msgget key: same %d\n", msgget(mykey(4), 0) == k);
	msgctl(k, IPC_RMID, NULL);
	sayerr("msgget after IPC_RMID", msgget(mykey(4), 0));
	id = msgget(IPC_PRIVATE, 0600);
	snd(id, 1, "one", 0);
	snd(id, 2, "two", 0);
	snd(id, 3, "three", 0);
	snd(id, 1, "uno", 0);
	snd(id, 0, "zero", 0);
	m.type = 1;
	sayerr("msgsnd past MSGMAX", msgsnd(id, &m, 8193, 0));
	sayerr("msgsnd bad pointer", msgsnd(id, (void *)16, 4, 0));
	msgctl(id, IPC_STAT, &ds);
	printf("msg stat: qnum %lu cbytes %lu qbytes %lu lspid self %d lrpid %d\n", (unsigned long)ds.msg_qnum,
		(unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_lspid == getpid(), ds.msg_lrpid);
	rcv(id, 0, 0, IPC_NOWAIT | MSG_COPY, "MSG_COPY 0");
	rcv(id, 2, 64, IPC_NOWAIT | MSG_COPY, "MSG_COPY 2");
	rcv(id, 9, 64, IPC_NOWAIT | MSG_COPY, "MSG_COPY 9");
	rcv(id, 0, 64, MSG_COPY, "MSG_COPY without IPC_NOWAIT");
	rcv(id, 2, 64, 0, "type 2");
	rcv(id, 1, 64, MSG_EXCEPT, "not type 1");
	rcv(id, 0, 2, 0, "too small");
	rcv(id, 0, 2, MSG_NOERROR, "MSG_NOERROR");
	rcv(id, -5, 64, 0, "type at most 5");
	rcv(id, 7, 64, IPC_NOWAIT, "type 7 IPC_NOWAIT");
	rcv(id, 0, -1, 0, "size -1");
	msgctl(id, IPC_STAT, &ds);
	printf("msg stat: qnum %lu cbytes %lu lrpid self %d\n", (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes,
		ds.msg_lrpid == getpid());
	/* a full queue */
	ds.msg_qbytes = 100;
	sayerr("IPC_SET qbytes 100", msgctl(id, IPC_SET, &ds));
	memset(&m, 'x', sizeof m);
	m.type = 4;
	sayerr("msgsnd 60", msgsnd(id, &m, 60, IPC_NOWAIT));
	sayerr("msgsnd 60 more, IPC_NOWAIT", msgsnd(id, &m, 60, IPC_NOWAIT));
	pid = fork();
	if(pid == 0)
		_exit(msgsnd(id, &m, 60, 0) == 0 ? 0 : 1);
	rcv(id, 4, 64, 0, "making room");
	printf("blocked sender done: %d\n", reap(pid));
	rcv(id, 4, 64, 0, "its message");
	/* a blocked receiver, woken by a send */
	pid = fork();
	if(pid == 0){
		memset(&m, 0, sizeof m);
		_exit(msgrcv(id, &m, 64, 6, 0) == 6 && strcmp(m.text, "hello") == 0 ? 0 : 1);
	}
	snd(id, 6, "hello", 0);
	printf("receiver got it: %d\n", reap(pid));
	pid = fork();
	if(pid == 0){
		ticking();
		_exit(msgrcv(id, &m, 64, 8, 0) < 0 && errno == EINTR ? 0 : 1);
	}
	printf("msgrcv interrupted by a signal: EINTR %d\n", reap(pid) == 0);
	sayerr("msg IPC_RMID", msgctl(id, IPC_RMID, NULL));
	sayerr("msgsnd after IPC_RMID", msgsnd(id, &m, 4, 0));
	id = msgget(IPC_PRIVATE, 0600);
	sayerr("msgctl bad cmd", msgctl(id, 99, &ds));
	msgctl(id, IPC_RMID, NULL);
}

/* ipc(2)'s MSGRCV version 0 takes msgp and the type through a struct */
#ifndef __x86_64__
static void
msgipc(void)
{
	struct mb m;
	struct { void *msgp; long type; } kludge;
	int id;
	long r;

	id = msgget(IPC_PRIVATE, 0600);
	m.type = 3;
	strcpy(m.text, "kludge");
	r = syscall(SYS_ipc, XMSGSND, id, 7, 0, &m, 0);
	printf("ipc MSGSND: %ld\n", r);
	memset(&m, 0, sizeof m);
	kludge.msgp = &m;
	kludge.type = 3;
	r = syscall(SYS_ipc, XMSGRCV, id, 64, 0, &kludge, 0);
	printf("ipc MSGRCV version 0: %ld %ld %s\n", r, m.type, m.text);
	m.type = 4;
	syscall(SYS_ipc, XMSGSND, id, 7, 0, &m, 0);
	memset(&m, 0, sizeof m);
	r = syscall(SYS_ipc, XMSGRCV | 1 << 16, id, 64, 0, &m, 4);
	printf("ipc MSGRCV version 1: %ld %ld %s\n", r, m.type, m.text);
	r = syscall(SYS_ipc, XMSGRCV, id, 64, 0, NULL, 0);
	printf("ipc MSGRCV version 0 without struct: %s\n", r < 0 ? strerror(errno) : "ok");
	msgctl(id, IPC_RMID, NULL);
}

#endif

/* file's header, and of the line of object id the columns cols (and
 * how many it has): no other user's objects, pids, ids or times */
static void
procline(const char *file, int id, const int *cols, int ncols)
{
	char line[512], *f[24], *p;
	int n, i, first;
	FILE *fp;

	fp = fopen(file, "r");
	if(fp == NULL){
		printf("%s: %s\n", file, strerror(errno));
		return;
	}
	for(first = 1; fgets(line, sizeof line, fp) != NULL; first = 0){
		if(first){
			printf("%s: %s", file, line);
			continue;
		}
		for(n = 0, p = strtok(line, " \n"); p != NULL && n < 24; p = strtok(NULL, " \n"))
			f[n++] = p;
		if(n < 2 || atoi(f[1]) != id)
			continue;
		printf("%s: %d columns:", file, n);
		for(i = 0; i < ncols; i++)
			printf(" %s", cols[i] < n ? f[cols[i]] : "-");
		printf("\n");
	}
	fclose(fp);
}

/* /proc/sysvipc and /proc/sys/kernel's limits */
static void
procfiles(void)
{
	static const int shmcols[] = { 0, 2, 3, 6, 7, 8, 9, 10, 14 }, semcols[] = { 0, 2, 3, 4, 5 },
		msgcols[] = { 0, 2, 3, 4, 7, 8 };
	static const char *const lims[] = { "shmmax", "shmall", "shmmni", "sem", "msgmax", "msgmnb", "msgmni" };
	struct { long type; char text[8]; } m = { 1, "four" };
	char path[64], line[128];
	int shm, sem, msg;
	size_t i;
	FILE *fp;
	char *a;

	shm = shmget(IPC_PRIVATE, 5000, 0640);
	sem = semget(IPC_PRIVATE, 2, 0600);
	msg = msgget(IPC_PRIVATE, 0604);
	a = shmat(shm, NULL, 0);
	a[0] = 1;
	msgsnd(msg, &m, 5, 0);
	procline("/proc/sysvipc/shm", shm, shmcols, sizeof shmcols / sizeof shmcols[0]);
	procline("/proc/sysvipc/sem", sem, semcols, sizeof semcols / sizeof semcols[0]);
	procline("/proc/sysvipc/msg", msg, msgcols, sizeof msgcols / sizeof msgcols[0]);
	shmdt(a);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
	for(i = 0; i < sizeof lims / sizeof lims[0]; i++){
		snprintf(path, sizeof path, "/proc/sys/kernel/%s", lims[i]);
		if((fp = fopen(path, "r")) == NULL){
			printf("%s: %s\n", path, strerror(errno));
			continue;
		}
		if(fgets(line, sizeof line, fp) != NULL)
			printf("%s: %s", path, line);
		fclose(fp);
	}
}

#ifndef __x86_64__
/* i386's direct calls (Linux 5.1), which glibc does not use: the 64-bit
 * layouts whether or not IPC_64 is asked for */
static void
direct(void)
{
	struct { unsigned short num; short op, flg; } op = { 0, 2, 0 };
	struct { long long sec; long nsec, pad; } ts = { 0, 1000000, 0 };
	struct shmid_ds ds;
	struct mb m;
	char *a;
	int id;
	long r;

	id = syscall(393, IPC_PRIVATE, 1, 0600);	/* semget */
	r = syscall(420, id, &op, 1, &ts);		/* semtimedop_time64 */
	printf("direct semtimedop_time64: %ld, value %ld\n", r, syscall(394, id, 0, GETVAL, 0));
	op.op = -5;
	r = syscall(420, id, &op, 1, &ts);
	printf("direct semtimedop_time64 times out: %s\n", r < 0 ? strerror(errno) : "ok");
	syscall(394, id, 0, IPC_RMID, 0);
	id = syscall(395, IPC_PRIVATE, 5000, 0600);	/* shmget */
	a = (char *)syscall(397, id, 0, 0);		/* shmat */
	memset(&ds, 0, sizeof ds);
	r = syscall(396, id, IPC_STAT, &ds);		/* shmctl, no IPC_64 */
	printf("direct shmat, shmctl IPC_STAT: %ld segsz %lu nattch %lu\n", r, (unsigned long)ds.shm_segsz, (unsigned long)ds.shm_nattch);
	r = syscall(396, id, IPC_STAT | XIPC_64, &ds);
	printf("direct shmctl IPC_64 IPC_STAT: %ld segsz %lu\n", r, (unsigned long)ds.shm_segsz);
	printf("direct shmdt: %ld\n", syscall(398, a));
	syscall(396, id, IPC_RMID, 0);
	id = syscall(399, IPC_PRIVATE, 0600);		/* msgget */
	m.type = 9;
	strcpy(m.text, "direct");
	r = syscall(400, id, &m, 7, 0);			/* msgsnd */
	memset(&m, 0, sizeof m);
	printf("direct msgsnd %ld", r);
	r = syscall(401, id, &m, 64, 0, 0);		/* msgrcv */
	printf(", msgrcv %ld %ld %s\n", r, m.type, m.text);
	printf("direct msgctl IPC_RMID: %ld\n", syscall(402, id, IPC_RMID, 0));
}
#endif

/* Segments of 4 MiB, each attached and written, until one fails: once
 * each cut by munmap and removed while still attached (a segment stays
 * charged while any page of it is mapped), then, those unmapped and so
 * gone, again. */
static int
fillup(char **at, int cut)
{
	int id, n;

	for(n = 0; n < 256; n++){
		id = shmget(IPC_PRIVATE, 4 << 20, 0600);
		if(id < 0)
			break;
		at[n] = shmat(id, NULL, 0);
		if(at[n] == (void *)-1){
			shmctl(id, IPC_RMID, NULL);
			break;
		}
		memset(at[n], 1, 4 << 20);
		if(cut)
			munmap(at[n], PG);
		shmctl(id, IPC_RMID, NULL);
	}
	return n;
}

static void
fill(void)
{
	static char *at[256];
	int i, n;

	n = fillup(at, 1);
	printf("fill: %d MiB, then %s\n", 4 * n, strerror(errno));
	for(i = 0; i < n; i++)
		munmap(at[i], 4 << 20);
	n = fillup(at, 0);
	printf("fill: %d MiB, then %s\n", 4 * n, strerror(errno));
}

/* vmsplice: into a pipe's write end, out of its read end */
static void
vmsplices(void)
{
	enum { NR_VMSPLICE = SYS_vmsplice };
	char a[8] = "hello, ", b[8] = "world", in[32];
	struct iovec iov[2] = { { a, 7 }, { b, 5 } }, out = { in, sizeof in };
	int p[2];
	long r;

	if(pipe(p) < 0)
		return;
	r = syscall(NR_VMSPLICE, p[1], iov, 2, 0);
	printf("vmsplice in: %ld\n", r);
	memset(in, 0, sizeof in);
	r = syscall(NR_VMSPLICE, p[0], &out, 1, 0);
	printf("vmsplice out: %ld %s\n", r, in);
	sayerr("vmsplice flags", syscall(NR_VMSPLICE, p[1], iov, 2, 0x100));
	sayerr("vmsplice not a pipe", syscall(NR_VMSPLICE, 1, iov, 2, 0));
	close(p[0]);
	close(p[1]);
}

/* A child that exits with status once p[1] is closed. */
static pid_t
waiting(int p[2], int status)
{
	pid_t pid;
	char c;

	if(pipe(p) < 0)
		return -1;
	pid = fork();
	if(pid == 0){
		close(p[1]);
		read(p[0], &c, 1);
		_exit(status);
	}
	close(p[0]);
	return pid;
}

/* pidfds: open, poll readable at exit, waitid(P_PIDFD), signals,
 * pidfd_getfd (ours EPERM: no guest may ptrace), the errors */
static void
pidfds(void)
{
	enum { NR_OPEN = 434, NR_SEND = 424, NR_GETFD = 438, PPIDFD = 3 };
	struct pollfd pf;
	struct epoll_event ev;
	siginfo_t si;
	int ep;
	char link[64], path[64];
	int fd, fd2, p[2];
	long r;
	pid_t pid;

	if((pid = waiting(p, 7)) < 0)
		return;
	fd = syscall(NR_OPEN, pid, 0);
	say("pidfd_open", fd >= 0 ? 0 : -1);
	printf("pidfd cloexec %d, access mode %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC, fcntl(fd, F_GETFL) & O_ACCMODE);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	r = readlink(path, link, sizeof link - 1);
	printf("link: %.*s\n", r > 0 ? (int)r : 0, link);
	pf = (struct pollfd){ fd, POLLIN, 0 };
	printf("poll while it runs: %d\n", poll(&pf, 1, 0));
	sayerr("read", read(fd, link, 8));
	sayerr("pidfd_send_signal 0", syscall(NR_SEND, fd, 0, NULL, 0));
	sayerr("pidfd_send_signal flags", syscall(NR_SEND, fd, 0, NULL, 8));
	sayerr("pidfd_send_signal not a pidfd", syscall(NR_SEND, 0, 0, NULL, 0));
	sayerr("pidfd_send_signal bad fd", syscall(NR_SEND, 999, 0, NULL, 0));
	r = syscall(NR_GETFD, fd, 0, 0);
	printf("pidfd_getfd: %s\n", r >= 0 || errno == EPERM ? "ok or EPERM" : strerror(errno));
	if(r >= 0)
		close(r);
	sayerr("pidfd_getfd flags", syscall(NR_GETFD, fd, 0, 1));
	sayerr("waitid P_PIDFD WNOHANG", waitid(PPIDFD, fd, &si, WEXITED | WNOHANG));
	close(p[1]);
	pf.revents = 0;
	r = poll(&pf, 1, 10000);
	printf("poll after its exit: %ld revents IN %d\n", r, (pf.revents & POLLIN) != 0);
	memset(&si, 0, sizeof si);
	r = waitid(PPIDFD, fd, &si, WEXITED);
	printf("waitid P_PIDFD: %ld code %d status %d pid ok %d\n", r, si.si_code, si.si_status, si.si_pid == pid);
	sayerr("pidfd_send_signal after reaping", syscall(NR_SEND, fd, SIGTERM, NULL, 0));
	sayerr("waitid P_PIDFD again", waitid(PPIDFD, fd, &si, WEXITED));
	close(fd);
	/* epoll on one */
	if((pid = waiting(p, 0)) < 0)
		return;
	fd = syscall(NR_OPEN, pid, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 42 };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	printf("epoll_wait while it runs: %d\n", epoll_wait(ep, &ev, 1, 0));
	close(p[1]);
	ev.data.u32 = 0;
	r = epoll_wait(ep, &ev, 1, 10000);
	printf("epoll_wait after its exit: %ld data %u\n", r, ev.data.u32);
	reap(pid);
	close(ep);
	close(fd);
	/* a signal through it */
	pid = fork();
	if(pid == 0){
		pause();
		_exit(0);
	}
	fd = syscall(NR_OPEN, pid, 0);
	sayerr("pidfd_send_signal SIGTERM", syscall(NR_SEND, fd, SIGTERM, NULL, 0));
	printf("killed: status %d\n", reap(pid));
	fd2 = syscall(NR_OPEN, pid, 0);
	printf("pidfd_open of a reaped child: %s\n", fd2 < 0 ? strerror(errno) : "ok");
	close(fd);
	sayerr("pidfd_open flags", syscall(NR_OPEN, getpid(), 1));
	sayerr("pidfd_open pid 0", syscall(NR_OPEN, 0, 0));
	fd = syscall(NR_OPEN, getpid(), O_NONBLOCK);
	printf("pidfd_open self O_NONBLOCK: %s %d\n", fd < 0 ? strerror(errno) : "ok", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	close(fd);
	vmsplices();
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if(argc > 1 && strcmp(argv[1], "fill") == 0){
		fill();
		return 0;
	}
	if(argc > 1 && strcmp(argv[1], "pidfd") == 0){
		pidfds();
		return 0;
	}
#ifndef __x86_64__
	if(argc > 1 && strcmp(argv[1], "i386") == 0){
		limits();
		shmipc();
		semipc();
		msgipc();
		direct();
		return 0;
	}
#endif
	shmkeys();
	shmattach();
	shmvmas();
	shmexit();
	sems();
	msgs();
	procfiles();
	return 0;
}
