/*
 * vxinferno — run a Linux i386 program in an Inferno namespace.
 *
 *	vxinferno [-htRN] [-r dir] [-n nsfile] [-b new:old[:ro|rw]] [-B new:old[:ro|rw]]
 *		[-e VAR=val] [-m MB] [-M MB] [-F fds] [-P threads] [-c seconds] [-u user]
 *		[-x addr] prog [args...]
 *
 * Only argument handling and wiring: the kernel (kernel.h) builds the
 * namespace, vxrun (vxrun.h) runs the guest.  See doc/vxinferno.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <nss.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "asan.h"
#include "kernel.h"
#include "vx.h"
#include "vxrun.h"
#include "vxinferno.h"

enum {
	MAXENV = 256,
	MAXBIND = 64,
	STOPWAIT = 2,		/* seconds guests get to end after SIGINT/SIGTERM */
	SIGXCPUSTATUS = 128 + 24,
};

char *argv0 = "vxinferno";

#define USAGE "usage: vxinferno [-htRN] [-r dir] [-n nsfile] [-b new:old[:ro|rw]] [-B new:old[:ro|rw]] " \
	"[-e VAR=val] [-m MB] [-M MB] [-F fds] [-P threads] [-c seconds] [-u user] [-x addr] prog [args...]"

static _Noreturn void fatal(int status, const char *fmt, ...);

/* -h: the usage on stdout, status 0; nothing to run: on stderr, status 2 */
static _Noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr, "%s\n", USAGE);
	exit(status);
}

/* A flag getopt refused: one line, as every error, with the usage in it. */
static _Noreturn void
badflag(int c, int opt)
{
	if(c == ':')
		fatal(2, "-%c wants an argument; %s", opt, USAGE);
	fatal(2, "unknown flag -%c; %s", opt, USAGE);
}

/* -M, -F, -P: a count from 1 to max, or "none" (-1: no bound) */
static long long
boundarg(int c, const char *s, long long max, const char *what)
{
	long long n;
	char *end;

	if(strcmp(s, "none") == 0)
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if(errno != 0 || *end != 0 || end == s || n < 1 || n > max)
		fatal(2, "-%c %s: want %s from 1 to %lld, or none", c, s, what, max);
	return n;
}

static _Noreturn void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", argv0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(status);
}


static char *
kerr(void)
{
	static char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	return buf;
}

/* The embedded root: build/root beside the bin/ holding this program. */
static char *
defaultroot(void)
{
	static char path[PATH_MAX + 32];
	char exe[PATH_MAX];
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if(n < 0)
		fatal(1, "cannot find my own executable: %s", strerror(errno));
	exe[n] = 0;
	snprintf(path, sizeof path, "%s/../build/root", dirname(exe));
	if(stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		fatal(1, "no default root at %s (run make, or give -r dir)", path);
	return path;
}

static char *
readhost(const char *file)
{
	FILE *f;
	char *buf;
	long n;

	f = fopen(file, "r");
	if(f == NULL)
		fatal(1, "%s: %s", file, strerror(errno));
	if(fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > 1 << 20 || fseek(f, 0, SEEK_SET) < 0)
		fatal(1, "%s: cannot read (or larger than 1 MiB)", file);
	buf = malloc(n + 1);
	if(buf == NULL || fread(buf, 1, n, f) != (size_t)n)
		fatal(1, "%s: read error", file);
	buf[n] = 0;
	fclose(f);
	if(strlen(buf) != (size_t)n)	/* the text would end there, the rest unread */
		fatal(1, "%s: a NUL byte at offset %zu", file, strlen(buf));
	return buf;
}

/* -b/-B new:old binds namespace paths; new:old:ro and new:old:rw make
 * new a host directory, served by its own #U instance (read-only with
 * ro) and bound at old. */
static void
parsebind(Bind *b, char *arg, int flag)
{
	char *colon, *mode;

	colon = strchr(arg, ':');
	if(colon == NULL || colon == arg || colon[1] == 0)
		fatal(2, "bind '%s': want new:old or hostdir:old:ro|rw", arg);
	*colon = 0;
	b->new = arg;
	b->old = colon + 1;
	b->flag = flag;
	b->host = Hnone;
	mode = strchr(b->old, ':');
	if(mode == NULL)
		return;
	*mode++ = 0;
	if(b->old[0] == 0 || (strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0))
		fatal(2, "bind '%s': want new:old or hostdir:old:ro|rw", arg);
	b->host = strcmp(mode, "ro") == 0 ? Hro : Hrw;
	if(!(b->flag & MBEFORE))
		b->flag |= MCREATE;	/* -b: creates land there (or fail "read-only") */
	else if(b->host == Hro)
		b->flag &= ~MCREATE;	/* -B: creates go on to the next member */
}

/* A host directory bind: a #U instance named bN for it, then the bind.
 * Its errors say which of the two worlds' names failed: the host
 * directory, or the mount point in the namespace. */
static void
hostbind(Bind *b, int i)
{
	char spec[32];

	snprintf(spec, sizeof spec, "#Ub%d", i);
	if(kfsdir(spec + 2, b->new, b->host == Hro) < 0)
		fatal(1, "host directory %s: %s", b->new, kerr());
	if(kbind(spec, b->old, b->flag) < 0)
		fatal(1, "bind %s %s: %s: %s", b->new, b->old, b->old, kerr());
}

/* SIGINT and SIGTERM go to the guests; if they do not end soon, we do. */
static atomic_int spawned;	/* the first guest exists (or existed) */

static void *
sigthread(void *arg)
{
	sigset_t *set;
	int sig, i;

	set = arg;
	for(;;){
		if(sigwait(set, &sig) != 0)
			continue;
		/* even when no guest took the signal (all are already exiting),
		 * a guest that never finishes must not keep us alive */
		if(vxrun_signalall(sig) == 0 && vxrun_nguests() == 0){
			if(atomic_load(&spawned))
				continue;	/* they are all gone: main returns */
			/* before the first guest exists nobody would take it */
			vxrun_restoretty();
			_exit(128 + sig);
		}
		for(i = 0; i < STOPWAIT * 10 && vxrun_nguests() > 0; i++)
			usleep(100000);
		if(vxrun_nguests() > 0){
			fflush(stdout);
			fprintf(stderr, "%s: guests did not stop after signal %d\n", argv0, sig);
			vxrun_restoretty();
			_exit(128 + sig);
		}
	}
	return NULL;
}

/* The index in env of variable name (its first l bytes), or -1. */
static int
envindex(char **env, int n, const char *name, size_t l)
{
	int i;

	for(i = 0; i < n; i++)
		if(strncmp(env[i], name, l) == 0 && env[i][l] == '=')
			return i;
	return -1;
}

static char *
getenvof(char **env, int n, const char *name)
{
	size_t l;
	int i;

	l = strlen(name);
	i = envindex(env, n, name, l);
	return i < 0 ? NULL : env[i] + l + 1;
}

/* Put VAR=value in env, in place of an earlier VAR (a default or an
 * earlier -e): a guest's getenv takes the first of two. */
static void
setenvof(char **env, int *n, char *var)
{
	int i;

	i = envindex(env, *n, var, strchr(var, '=') - var);
	if(i >= 0){
		env[i] = var;
		return;
	}
	if(*n >= MAXENV)
		fatal(2, "too many -e");
	env[(*n)++] = var;
}

/* The host user's name: the kernel's user, and so the uname of mounts.
 * A uid /etc/passwd does not name is $USER, else its number, the name
 * its #U files show as owner (never "none": Inferno's none owns nothing,
 * not even the console it would be given). */
static char *
hostuser(void)
{
	static char name[KNAMELEN], num[KNAMELEN];
	unsigned uid = getuid();
	char *u;

	/* through #U's table: its stats then read /etc/passwd no more */
	khostid(name, 1, uid);
	snprintf(num, sizeof num, "%u", uid);
	if(strcmp(name, num) == 0){	/* none or too long in /etc/passwd: checkuser says why not */
		static char full[256];
		if(khostname(full, sizeof full, 1, uid))
			return full;
	}
	if(name[0] != 0 && strcmp(name, num) != 0)
		return name;
	u = getenv("USER");
	return u != NULL && u[0] != 0 ? u : num;
}

static void
checkuser(char *u)
{
	char *s;

	if(u[0] == 0 || strlen(u) >= KNAMELEN)
		fatal(2, "-u '%s': want a user name of 1 to %d bytes", u, KNAMELEN - 1);
	for(s = u; *s; s++)
		if((unsigned char)*s <= ' ' || *s == 0x7F)
			fatal(2, "-u '%s': no blanks or control characters in a user name", u);
}

/* -N: the host's network (#I) at /net; without it only #I's unix
 * ('#Iunix': sockets local to this kernel, which reach nothing outside),
 * since Linux programs take socketpair and AF_UNIX for granted (python's
 * asyncio makes its wake-up pair with them).  Once the namespace is
 * built, #I can no longer be attached: a guest has the network it was
 * given. */
static int netbound;

/* glibc's shm_open and sem_open make their files in /dev/shm and map
 * them shared: bind the guest's own /tmp there when it has one (without,
 * shm_open fails with ENOENT, as on a Linux without the tmpfs; with a
 * read-only root, EROFS). */
static void
shmdir(void)
{
	Dir *d;

	d = kdirstat("/tmp");
	if(d != NULL && (d->mode & DMDIR) && kbind("/tmp", "/dev/shm", MREPL|MCREATE) < 0)
		fatal(1, "bind /tmp /dev/shm: %s", kerr());
	free(d);
}

static void
startkernel(char *root, int readonly, Bind *binds, int nbind, char *nsfile, char *user)
{
	Kconf kc;
	int i;

	memset(&kc, 0, sizeof kc);
	kc.root = root;
	kc.readonly = readonly;
	kc.user = user;
	kc.sysname = "vxinferno";
	kc.copy = vx_guardcopy;	/* a pipe's bytes stay where the guest's buffer went */
	if(kinit(&kc) < 0)
		fatal(1, "kernel: %s", kerr());
	if(kbind(netbound ? "#I" : "#Iunix", "/net", MREPL) < 0)
		fatal(1, "bind %s /net: %s", netbound ? "#I" : "#Iunix", kerr());
	for(i = 0; i < nbind; i++)
		if(binds[i].host != Hnone)
			hostbind(&binds[i], i);
		else if(kbind(binds[i].new, binds[i].old, binds[i].flag) < 0)
			fatal(1, "bind %s %s: %s", binds[i].new, binds[i].old, kerr());
	if(nsfile != NULL && knsstring(readhost(nsfile), nsfile) < 0)
		fatal(1, "%s", kerr());
	shmdir();
	knoattach("I");
}

/* -x: export the namespace to every caller of addr, each in its own proc. */
static char listendir[KNETPATHLEN];

static int
announce(char *addr)
{
	int afd;

	afd = kannounce(addr, listendir);
	if(afd < 0)
		fatal(1, "-x %s: %s", addr, kerr());
	return afd;
}

static void
exportloop(void *a)
{
	int fd;

	while((fd = klisten(listendir, NULL)) >= 0){
		if(kexport(fd, "/", KEXPASYNC) < 0)
			fprintf(stderr, "%s: export: %s\n", argv0, kerr());
		kclose(fd);
	}
	fatal(1, "-x %s: %s", (char*)a, kerr());
}

/* The soft descriptor limit up to the hard one.  A sandbox gets a
 * quarter of it (vxrun's defboxfds), and the soft limit most shells
 * start with, 1024 (kept low for select(2)'s fd sets, which we do not
 * use), left a guest 256 descriptors where Linux gives it 1024: a guest
 * polling 480 pipes failed EMFILE in one caller's environment and not
 * in another's. */
static void
fdroom(void)
{
	struct rlimit rl;

	if(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max){
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A standard fd the host started us without is the null device: else
 * the first file opened here takes its number (the root's O_PATH
 * descriptor, the kernel's eventfd, a file a guest opened), and the
 * guest's fd 1 or 2, which write the host's (devcons), would write
 * that.  The guest's fd is then #c/null (stdio.c), where natively it
 * would be closed. */
static void
stdfds(void)
{
	int fd, nfd;

	for(fd = 0; fd < 3; fd++){
		if(fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if(nfd < 0)
			fatal(1, "/dev/null: %s", strerror(errno));
		if(nfd != fd){
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

int
main(int argc, char **argv)
{
	static sigset_t sigs;
	char err[256], *root, *nsfile, *export, *user, *path, *end, *env[MAXENV + 8];
	Bind binds[MAXBIND];
	pthread_t th;
	Vxconf vc;
	double cpu;
	long mb;
	int c, i, nenv, nbind, readonly, pid, status, afd;

	/* Host names (/net/cs, -m and -x addresses) are looked up in
	 * /etc/hosts and DNS only, the two sources built into glibc: this
	 * binary is static, and a module named in the host's nsswitch.conf
	 * (resolve, mymachines...) would be dlopened from the host's
	 * possibly different glibc, which can crash it. */
	if(__nss_configure_lookup("hosts", "files dns") != 0)
		fatal(1, "cannot configure host name lookup");
	fdroom();
	stdfds();
	root = NULL;
	nsfile = NULL;
	export = NULL;
	user = NULL;
	nbind = 0;
	readonly = 0;
	memset(&vc, 0, sizeof vc);
	nenv = 0;
	env[nenv++] = "PATH=/usr/local/bin:/usr/bin:/bin";
	env[nenv++] = "HOME=/";
	env[nenv++] = "TERM=dumb";
	env[nenv++] = "LANG=C";
	opterr = 0;	/* badflag says it, in one line */
	while((c = getopt(argc, argv, "+:r:n:b:B:e:m:M:F:P:c:tu:x:RNh")) != -1){
		switch(c){
		case 'r':
			root = optarg;
			break;
		case 'n':
			nsfile = optarg;
			break;
		case 'b':
		case 'B':
			if(nbind >= MAXBIND)
				fatal(2, "too many binds");
			parsebind(&binds[nbind++], optarg, c == 'b' ? MREPL : MBEFORE | MCREATE);
			break;
		case 'e':
			if(strchr(optarg, '=') == NULL || optarg[0] == '=')
				fatal(2, "-e '%s': want VAR=value", optarg);
			setenvof(env, &nenv, optarg);
			break;
		case 'm':
			mb = strtol(optarg, &end, 10);
			/* 4095 is the long engine's limit; compat's is 3072
			 * (its window shares the host's low 4 GiB), which
			 * vx_new reports */
			if(*end != 0 || mb < 4 || mb > 4095)
				fatal(2, "-m %s: want megabytes from 4 to 4095", optarg);
			vc.memsize = (uint32_t)mb << 20;
			break;
		case 'M':
			mb = boundarg(c, optarg, 1LL << 30, "megabytes");
			vc.boxmem = mb < 0 ? VXRUN_NOBOUND : (uint64_t)mb << 20;
			break;
		case 'F':
			vc.boxfds = (int)boundarg(c, optarg, 1 << 30, "descriptors");
			break;
		case 'P':
			vc.boxtasks = (int)boundarg(c, optarg, 1 << 30, "threads");
			break;
		case 'c':
			cpu = strtod(optarg, &end);
			if(*end != 0 || !(cpu > 0 && cpu < 1e9))
				fatal(2, "-c %s: want a positive number of CPU seconds", optarg);
			vc.cpulimit = cpu;
			break;
		case 't':
			vc.trace = 1;
			break;
		case 'u':
			checkuser(optarg);
			user = optarg;
			break;
		case 'x':
			export = optarg;
			break;
		case 'R':
			readonly = 1;
			break;
		case 'N':
			vc.dial = 1;
			netbound = 1;
			break;
		case 'h':
			usage(0);
		default:
			badflag(c, optopt);
		}
	}
	if(optind >= argc && export == NULL)
		usage(2);
	if(user == NULL)
		user = hostuser();
	if(vc.trace && vx_engine() != 0)	/* with none, the spawn's error says why */
		fprintf(stderr, "vxinferno: engine %s\n", vx_enginename(vx_engine()));
	if(root == NULL)
		root = defaultroot();
	else{
		struct stat st;

		if(stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
			fatal(1, "-r %s: not a directory", root);
	}
	tcacheinit(vc.trace, root, readonly, binds, nbind);

	/* what we were started ignoring, the guest starts ignoring (nohup,
	 * a background job's SIGINT, a launcher's real-time ones), as an
	 * exec would.  The kernel is asked directly: glibc's sigaction
	 * refuses 32 and 33, which it keeps for itself, but a launcher may
	 * have left them ignored and a native program would inherit that. */
	for(i = 1; i <= 64; i++){
		struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } ka;
		if(i != SIGKILL && i != SIGSTOP && syscall(SYS_rt_sigaction, i, NULL, &ka, sizeof ka.mask) == 0
		&& ka.handler == (void*)SIG_IGN)
			vc.sigignore |= 1ull << (i - 1);
	}
	/* signals: SIGINT/SIGTERM for sigthread; SIGPIPE only as write errors */
	signal(SIGPIPE, SIG_IGN);
	if(optind >= argc){	/* -x alone: serve until a signal ends us */
		startkernel(root, readonly, binds, nbind, nsfile, user);
		announce(export);
		exportloop(export);
		return 1;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	/* before the namespace is built: a mount line whose server never
	 * answers (an HTTP port) waited with SIGINT and SIGTERM blocked and
	 * nobody to take them, so neither ^C nor timeout(1) ended it */
	if(pthread_create(&th, NULL, sigthread, &sigs) != 0)
		fatal(1, "cannot start the signal thread");

	startkernel(root, readonly, binds, nbind, nsfile, user);
	if(export != NULL){
		/* the listener alone holds the fd: guests copy our fd table */
		afd = announce(export);
		if(kspawn(exportloop, export, FORKFD, "export") < 0)
			fatal(1, "-x %s: %s", export, kerr());
		kclose(afd);
	}
	if(vxrun_stdio(err, sizeof err) < 0)
		fatal(1, "console: %s", err);

	env[nenv] = NULL;
	path = vxrun_lookpath(argv[optind], getenvof(env, nenv, "PATH"), err, sizeof err);
	if(path == NULL)
		fatal(127, "%s", err);
#ifndef VXASAN
	vc.exitafter = 1;	/* we exit once the guest has (LeakSanitizer would see its Vx) */
#endif
	vxrun_config(&vc);
	pid = vxrun_spawn(path, argv + optind, env, err, sizeof err);
	free(path);	/* the guest has its own copy */
	atomic_store(&spawned, 1);
	if(pid < 0)
		fatal(strstr(err, "does not exist") != NULL ? 127 : 126, "%s", err);
	status = vxrun_wait(pid);
	fflush(stdout);
	vxrun_flush();
	if(vc.cpulimit > 0 && status == SIGXCPUSTATUS)
		fprintf(stderr, "%s: CPU time limit of %g s exceeded\n", argv0, vc.cpulimit);
	if(vc.trace){
		VxStats vs;
		vx_allstats(&vs);
		fprintf(stderr, "vxinferno: stats: fragments %llu, code bytes %llu, exits %llu, flushes %llu, smc %llu, dispatch %llu, thunks %llu, guesses %llu, inside %llu, cache hits %llu, misses %llu, shared %llu, ahead %llu, section links %llu, callruns %llu, warm rets %llu, warm indirect %llu\n",
			(unsigned long long)vs.fragments, (unsigned long long)vs.codebytes,
			(unsigned long long)vs.exits, (unsigned long long)vs.flushes, (unsigned long long)vs.smc,
			(unsigned long long)vs.dispatch, (unsigned long long)vs.thunks, (unsigned long long)vs.guesses,
			(unsigned long long)vs.inside, (unsigned long long)vs.tchits, (unsigned long long)vs.tcmisses,
			(unsigned long long)vs.tcshared, (unsigned long long)vs.tcahead, (unsigned long long)vs.tclinks,
			(unsigned long long)vs.callruns, (unsigned long long)vs.warmrets, (unsigned long long)vs.warmind);
	}
	return status < 0 ? 1 : status;
}
