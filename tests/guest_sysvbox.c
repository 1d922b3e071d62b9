/*
 * guest_sysvbox.c — two sandboxes of one embedding (tests/unit/vxrun_boxes.c)
 * have an IPC namespace each, as Linux's: one neither finds another's
 * System V objects by key, nor reaches them by id, nor lists or counts
 * them.  Run under vxinferno only.
 *
 *	guest_sysvbox make	makes a shm segment, a semaphore set and a
 *				message queue of key KEY, writes to each, writes
 *				"SHMID SEMID MSQID" to /sysvready, waits for
 *				/done and exits without removing them
 *				(exit 1: something could not be made)
 *	guest_sysvbox probe SHMID SEMID MSQID
 *				from another sandbox; the exit status sums
 *				what went wrong:
 *	1 a shmget, semget or msgget of KEY without IPC_CREAT is not ENOENT
 *	2 a shmat, shmctl, semop, semctl, msgrcv or msgctl of those ids is
 *	  not EINVAL
 *	4 /proc/sysvipc/shm, sem or msg lists an object
 *	8 SHM_INFO, SEM_INFO or MSG_INFO counts an object, or a *_STAT_ANY
 *	  of slot 0 finds one
 *	16 with IPC_CREAT, the objects of KEY are not new ones (the
 *	  segment holds the first's bytes, the semaphore its value, the
 *	  queue its message), or cannot be made and removed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

enum { KEY = 0x5b0c5 };
static const char abytes[] = "the first sandbox's bytes";

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

struct lmsg {
	long type;
	char text[64];
};

/* The segment, set and queue of KEY, made if need be: 0, or -1. */
static int
getall(int *shm, int *sem, int *msq)
{
	*shm = shmget(KEY, 4096, IPC_CREAT | 0666);
	*sem = semget(KEY, 1, IPC_CREAT | 0666);
	*msq = msgget(KEY, IPC_CREAT | 0666);
	return *shm < 0 || *sem < 0 || *msq < 0 ? -1 : 0;
}

static void
awaitdone(void)
{
	while(access("/done", F_OK) != 0 && errno == ENOENT)
		usleep(10000);
}

static int
makemode(void)
{
	struct lmsg m = { 1, "the first sandbox's message" };
	int shm, sem, msq;
	char *p;
	FILE *f;

	if(getall(&shm, &sem, &msq) < 0)
		return 1;
	p = shmat(shm, NULL, 0);
	if(p == (void *)-1)
		return 1;
	memcpy(p, abytes, sizeof abytes);
	if(semctl(sem, 0, SETVAL, (union semun){ .val = 7 }) < 0 || msgsnd(msq, &m, sizeof m.text, 0) < 0)
		return 1;
	f = fopen("/sysvready.tmp", "w");
	if(f == NULL)
		return 1;
	fprintf(f, "%d %d %d\n", shm, sem, msq);
	fclose(f);
	rename("/sysvready.tmp", "/sysvready");
	awaitdone();
	return 0;
}

static int
einval(int r)
{
	return r < 0 && errno == EINVAL;
}

/* More than the header line in /proc/sysvipc/name? */
static int
listed(const char *name)
{
	char path[64], line[512];
	FILE *f;
	int n;

	snprintf(path, sizeof path, "/proc/sysvipc/%s", name);
	f = fopen(path, "r");
	if(f == NULL)
		return 1;
	for(n = 0; fgets(line, sizeof line, f) != NULL; n++)
		;
	fclose(f);
	return n != 1;
}

static int
counted(void)
{
	struct shm_info si;
	struct seminfo sei;
	struct msginfo mi;
	struct shmid_ds sd;
	struct semid_ds sed;
	struct msqid_ds md;

	if(shmctl(0, SHM_INFO, (struct shmid_ds *)&si) < 0 || si.used_ids != 0)
		return 1;
	if(semctl(0, 0, SEM_INFO, (union semun){ .info = &sei }) < 0 || sei.semusz != 0 || sei.semaem != 0)
		return 1;
	if(msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) < 0 || mi.msgpool != 0 || mi.msgmap != 0)
		return 1;
	return !einval(shmctl(0, SHM_STAT_ANY, &sd)) || !einval(semctl(0, 0, SEM_STAT_ANY, (union semun){ .buf = &sed }))
		|| !einval(msgctl(0, MSG_STAT_ANY, &md));
}

/* Its own objects of KEY: new, empty, and removed again. */
static int
ownobjects(void)
{
	struct lmsg m;
	int shm, sem, msq, bad;
	char *p;

	if(getall(&shm, &sem, &msq) < 0)
		return 1;
	bad = 0;
	p = shmat(shm, NULL, SHM_RDONLY);
	if(p == (void *)-1 || memcmp(p, abytes, sizeof abytes) == 0 || p[0] != 0)
		bad = 1;
	if(p != (void *)-1)
		shmdt(p);
	if(semctl(sem, 0, GETVAL) != 0)
		bad = 1;
	if(msgrcv(msq, &m, sizeof m.text, 0, IPC_NOWAIT) >= 0 || errno != ENOMSG)
		bad = 1;
	if(shmctl(shm, IPC_RMID, NULL) < 0 || semctl(sem, 0, IPC_RMID) < 0 || msgctl(msq, IPC_RMID, NULL) < 0)
		bad = 1;
	return bad;
}

static int
probe(int shm, int sem, int msq)
{
	struct sembuf op = { 0, -1, IPC_NOWAIT };
	struct shmid_ds sd;
	struct msqid_ds md;
	struct lmsg m;
	int st;

	st = 0;
	if(shmget(KEY, 0, 0) >= 0 || errno != ENOENT || semget(KEY, 0, 0) >= 0 || errno != ENOENT
	|| msgget(KEY, 0) >= 0 || errno != ENOENT)
		st |= 1;
	if(shmat(shm, NULL, 0) != (void *)-1 || errno != EINVAL || !einval(shmctl(shm, IPC_STAT, &sd))
	|| !einval(semop(sem, &op, 1)) || !einval(semctl(sem, 0, GETVAL))
	|| !einval(msgrcv(msq, &m, sizeof m.text, 0, IPC_NOWAIT)) || !einval(msgctl(msq, IPC_STAT, &md)))
		st |= 2;
	if(listed("shm") || listed("sem") || listed("msg"))
		st |= 4;
	if(counted())
		st |= 8;
	if(ownobjects())
		st |= 16;
	return st;
}

int
main(int argc, char **argv)
{
	if(argc == 2 && strcmp(argv[1], "make") == 0)
		return makemode();
	if(argc == 5 && strcmp(argv[1], "probe") == 0)
		return probe(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: guest_sysvbox make | probe SHMID SEMID MSQID\n");
	return 64;
}
