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
	Maxenv = 256,		/* variables of /env passed to a guest */
	Maxval = 8192,		/* longest value passed */
	Maxname = 64,		/* and name */
	Slice = 50,		/* ms between looks at the caller's kill flag */
	Killwait = 3000,	/* ms a killed guest has to end */
	LSIGKILL = 9,
};

static char *defenv[] = { "PATH=/vx/bin:/bin", "HOME=/", "TERM=dumb", "LANG=C" };

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

static int
isname(char *s)
{
	if(*s == 0 || (*s >= '0' && *s <= '9'))
		return 0;
	for(; *s != 0; s++)
		if(!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* Add name=val to envp (n entries), replacing an entry of that name. */
static int
addenv(char **envp, int n, char *name, char *val, int nval)
{
	char *e;
	int i, l;

	l = strlen(name);
	e = malloc(l + 1 + nval + 1);
	if(e == nil)
		return n;
	memmove(e, name, l);
	e[l] = '=';
	memmove(e+l+1, val, nval);
	e[l+1+nval] = 0;
	for(i = 0; i < n; i++)
		if(strncmp(envp[i], name, l) == 0 && envp[i][l] == '='){
			free(envp[i]);
			envp[i] = e;
			return n;
		}
	if(n >= Maxenv){
		free(e);
		return n;
	}
	envp[n] = e;
	return n+1;
}

/* Released: the guest's environment, the caller's #e over a few
 * defaults.  Inferno keeps a list as NUL-separated words: they are
 * joined with spaces, as sh(1) would show them. */
static char**
guestenv(void)
{
	char **envp, *buf, path[Maxname+8];
	Dir *d;
	long nd, i, j, k;
	int n, fd;

	envp = malloc((Maxenv+1)*sizeof(char*));
	buf = malloc(Maxval);
	if(envp == nil || buf == nil){
		free(envp);
		free(buf);
		return nil;
	}
	n = 0;
	for(i = 0; i < nelem(defenv); i++)
		envp[n++] = strdup(defenv[i]);
	fd = kopen("#e", OREAD);	/* the device: a guest's root (vxinferno -r) may have no /env */
	if(fd >= 0){
		while((nd = kdirread(fd, &d)) > 0){
			for(i = 0; i < nd; i++){
				if(!isname(d[i].name) || strlen(d[i].name) >= Maxname || d[i].length >= Maxval)
					continue;
				snprint(path, sizeof path, "#e/%s", d[i].name);
				j = kopen(path, OREAD);
				if(j < 0)
					continue;
				k = kread(j, buf, Maxval-1);
				kclose(j);
				if(k < 0)
					continue;
				while(k > 0 && buf[k-1] == 0)
					k--;
				for(j = 0; j < k; j++)
					if(buf[j] == 0)
						buf[j] = ' ';
				n = addenv(envp, n, d[i].name, buf, k);
			}
			free(d);
		}
		kclose(fd);
	}
	envp[n] = nil;
	free(buf);
	return envp;
}

/* The PATH of envp (guestenv always gives one), where argv[0] is
 * looked up as a shell of the guest would. */
static char*
envpath(char **envp)
{
	int i;

	for(i = 0; envp[i] != nil; i++)
		if(strncmp(envp[i], "PATH=", 5) == 0)
			return envp[i] + 5;
	return "/vx/bin:/bin";
}

/* Released: look argv[0] up and start it.  The guest's pid, or -1 with
 * the error string set. */
static int
startguest(char **argv, int mb)
{
	char err[ERRMAX], *path, **envp;
	int pid;

	if(mb < 0 || mb > 4095){
		kwerrstr("bad memory size");
		return -1;
	}
	envp = guestenv();
	if(envp == nil){
		kwerrstr("out of memory");
		return -1;
	}
	path = vxrun_lookpath(argv[0], envpath(envp), err, sizeof err);
	if(path == nil){
		freeargv(envp);
		kwerrstr("%s", err);
		return -1;
	}
	pid = vxrun_spawnmem(path, argv, envp, (uint32_t)mb << 20, err, sizeof err);
	freeargv(envp);
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
