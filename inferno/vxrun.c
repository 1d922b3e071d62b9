/*
 * vxrun.c — the $Vxrun builtin module (vxrun.m): Linux i386 programs run
 * by the vxinferno personality, every system call served by this
 * emulator's kernel for the calling Prog's namespace and fds.
 * install.sh copies it to libinterp.
 *
 * Blocking work runs between release() and acquire(), on copies of what
 * it needs from the Dis heap.  A guest runs on threads of its own; the
 * caller waits in slices, so a kill of the calling Prog (kill in the
 * shell, /prog/N/ctl) kills the guest within one slice.
 */
#include "lib9.h"
#include "interp.h"
#include "isa.h"
#include "runt.h"
#include "raise.h"
#include "kernel.h"
#include "vxrunmod.h"
#include "vxrun.h"

/* From vx.h, declared here: its types clash with the emulator's. */
extern int vx_engine(void);
extern const char *vx_enginename(int);

enum
{
	Maxargs = 4096,
	Slice = 50,		/* ms between looks at the caller's kill flag */
	Killwait = 3000,	/* ms a killed guest has to end */
	LSIGKILL = 9,
};

static char guestpath[] = "/vx/bin:/bin";
static char *guestenv[] = { "PATH=/vx/bin:/bin", "HOME=/", "TERM=dumb", "LANG=C", nil };

void
vxrunmodinit(void)
{
	Vxconf c;

	memset(&c, 0, sizeof c);
	c.shareenv = 1;		/* a guest's /env is its caller's, as for any command */
	c.trace = getenv("VXRUN_TRACE") != nil;	/* the host's: every call to emu's stderr */
	vxrun_config(&c);
	builtinmod("$Vxrun", Vxrunmodtab, Vxrunmodlen);
}

static void
freeargv(char **argv)
{
	int i;

	if(argv == nil)
		return;
	for(i = 0; argv[i] != nil; i++)
		free(argv[i]);
	free(argv);
}

/* A malloc'd, nil-terminated copy of a Limbo list of strings, made before
 * release(): the heap may move or go once the interpreter runs on. */
static char**
copyargv(List *l)
{
	List *p;
	char **argv;
	int n, i;

	n = 0;
	for(p = l; p != H; p = p->tail)
		if(++n > Maxargs)
			return nil;
	if(n == 0)
		return nil;
	argv = malloc((n+1)*sizeof(char*));
	if(argv == nil)
		return nil;
	i = 0;
	for(p = l; p != H; p = p->tail){
		argv[i] = strdup(string2c(*(String**)p->data));
		if(argv[i] == nil){
			freeargv(argv);
			return nil;
		}
		argv[++i] = nil;
	}
	return argv;
}

/* Released: look argv[0] up and start it.  The guest's pid, or -1 with
 * the error string set. */
static int
startguest(char **argv, int mb)
{
	char err[ERRMAX], *path;
	int pid;

	if(mb < 0 || mb > 4095){
		kwerrstr("bad memory size");
		return -1;
	}
	path = vxrun_lookpath(argv[0], guestpath, err, sizeof err);
	if(path == nil){
		kwerrstr("%s", err);
		return -1;
	}
	pid = vxrun_spawnmem(path, argv, guestenv, (uint32_t)mb << 20, err, sizeof err);
	free(path);
	if(pid < 0)
		kwerrstr("%s", err);
	return pid;
}

/* Released: wait for pid; kill it if the calling Prog is killed. */
static int
waitguest(Prog *me, int pid)
{
	int st, killed, waited;

	killed = 0;
	waited = 0;
	for(;;){
		st = vxrun_waitfor(pid, Slice);
		if(st != -2)
			break;
		if(!killed && (me->kill != nil || (me->flags & Pkilled))){
			vxrun_kill(pid, LSIGKILL);
			killed = 1;
		}
		if(killed && (waited += Slice) > Killwait){
			kwerrstr("guest %d does not end", pid);
			return -1;
		}
	}
	if(st == -1)
		kwerrstr("no guest %d", pid);
	return st;
}

void
Vxrun_run(void *fp)
{
	F_Vxrun_run *f;
	char **argv;
	Prog *me;
	int pid, st;

	f = fp;
	*f->ret = -1;
	argv = copyargv(f->argv);
	if(argv == nil){
		kwerrstr("bad argument list");
		return;
	}
	me = currun();
	release();
	pid = startguest(argv, f->mb);
	st = pid < 0 ? -1 : waitguest(me, pid);
	acquire();
	freeargv(argv);
	*f->ret = st;
}

void
Vxrun_start(void *fp)
{
	F_Vxrun_start *f;
	char **argv;
	int pid;

	f = fp;
	*f->ret = -1;
	argv = copyargv(f->argv);
	if(argv == nil){
		kwerrstr("bad argument list");
		return;
	}
	release();
	pid = startguest(argv, f->mb);
	acquire();
	freeargv(argv);
	*f->ret = pid;
}

void
Vxrun_wait(void *fp)
{
	F_Vxrun_wait *f;
	Prog *me;
	int pid, st;

	f = fp;
	pid = f->pid;
	me = currun();
	release();
	st = waitguest(me, pid);
	acquire();
	*f->ret = st;
}

void
Vxrun_kill(void *fp)
{
	F_Vxrun_kill *f;
	int r;

	f = fp;
	r = vxrun_kill(f->pid, LSIGKILL);
	if(r < 0)
		kwerrstr("no guest %d", (int)f->pid);
	*f->ret = r;
}

void
Vxrun_engine(void *fp)
{
	F_Vxrun_engine *f;
	const char *s;
	void *r;
	int e;

	f = fp;
	r = *f->ret;
	*f->ret = H;
	destroy(r);
	e = vx_engine();
	if(e == 0)
		return;
	s = vx_enginename(e);
	if(s != nil)
		retstr((char*)s, f->ret);
}
