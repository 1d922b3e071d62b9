/* vxrun_procs.c — a freed guest process's Lproc (vxrun/guest.c, "Freed
 * Lprocs kept") serves the next process made, and nothing of the old
 * one carries over: its fields, signal actions, program name and the fd
 * entries it used read as a new process's. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "../../vxrun/dat.h"	/* vxrun's, not libkern's */
#include "tap.h"

/* Take p (the newest, at the head) out of the table, as the reapers do. */
static void
unlink1(Lproc *p)
{
	pthread_mutex_lock(&glk);
	if(procs == p)
		procs = p->next;
	pthread_mutex_unlock(&glk);
}

int
main(void)
{
	Lproc *a, *b, *c;
	unsigned char v;
	size_t i;
	int zero;

	plan(7);
	a = newproc(NULL);
	if(a == NULL){
		ok(0, "newproc");
		return 1;
	}
	a->pid = 77;
	a->status = 0x100;
	a->pending = ~0ull;
	a->act[5].handler = 0x8048000;
	strcpy(a->exe, "/bin/old");
	strcpy(a->cmdline, "old");
	a->ncmdline = 4;
	a->fdhi = 3;
	a->fd[2].used = 1;
	a->fd[2].cloexec = 1;
	unlink1(a);
	freeproc(a);
	ok(mincore(a, 4096, &v) == 0, "a freed Lproc stays mapped, kept");

	b = newproc(NULL);
	ok(b == a, "the next process gets it");
	ok(b->pid == 0 && b->status == 0 && b->pending == 0 && b->parent == NULL && b->fdhi == 0,
		"its fields start over");
	ok(b->umask == 022 && b->exitsig == LSIGCHLD, "as newproc sets them");
	ok(b->act[5].handler == 0 && b->exe[0] == 0 && b->cmdline[0] == 0 && b->ncmdline == 0,
		"no signal action, program or command line of the old one");
	zero = 1;
	for(i = 0; i < MAXFD; i++)
		if(b->fd[i].used || b->fd[i].cloexec || b->fd[i].ds != NULL || b->fd[i].flags != 0)
			zero = 0;
	ok(zero, "its fd table is empty");
	c = newproc(b);
	ok(c != NULL && c != b && c->parent == b, "a second live one is another");
	unlink1(c);
	freeproc(c);
	unlink1(b);
	freeproc(b);
	return 0;
}
