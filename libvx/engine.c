/*
 * engine.c — which engine runs guest code on this host.
 *
 * compat needs modify_ldt, LDT data segments, far transfers to 32-bit
 * code and FSGSBASE (its stubs switch the FS base with wrfsbase); a host
 * lacking one of them may kill the process on first use (PVM: SIGSEGV on
 * an LDT selector load), so it is probed in a forked child that runs a
 * one-instruction guest.  long needs arch_prctl(ARCH_SET_GS) and room for
 * a 36 GiB reservation.  Each is probed once per process.
 * VXENGINE=compat|long in the environment forces a choice.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vxpriv.h"

static void
why(char *w, const char *msg)
{
	if(w)
		snprintf(w, VX_ERRLEN, "%s", msg);
}

/* The child: run int $0x80 under the compat engine; say how it went on
 * fd (a byte: '0' success, else the step that failed).  A host without
 * 32-bit segments kills it before it can write. */
static void
compatchild(int fd)
{
	char err[VX_ERRLEN], msg[1 + VX_ERRLEN];
	VxTrapInfo ti;
	uint8_t *p;
	char c = '0';
	Vx *vx;

	err[0] = 0;
	vx = vx_newengine(1 << 20, VX_ENGINE_COMPAT, err);
	if(vx == NULL)
		c = '2';
	else if(vx_map(vx, 0x10000, VX_PAGE, VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC) < 0
	|| (p = vx_access(vx, 0x10000, 2, VX_PROT_WRITE)) == NULL)
		c = '3';
	else{
		p[0] = 0xcd;
		p[1] = 0x80;
		vx_setreg(vx, VX_EIP, 0x10000);
		vx_setreg(vx, VX_ESP, 0x10ff0);
		if(vx_run(vx, &ti) != VX_TRAP_SYSCALL || ti.eip != 0x10000)
			c = '4';
	}
	msg[0] = c;
	snprintf(msg + 1, sizeof msg - 1, "%s", c == '2' ? err : "");
	if(write(fd, msg, 1 + strlen(msg + 1)) < 1)
		_exit(5);
	_exit(0);
}

/* The answer comes through a pipe, not the exit status, so that a
 * process ignoring SIGCHLD (children reaped at once) still learns it,
 * within PROBESECS (a host whose kernel hangs the child, as compatvm's
 * README tells of QEMU 7.2 with SMAP). */
enum { PROBESECS = 5 };
static int
compatprobe(char *w)
{
	struct pollfd pf;
	int fd[2], st, n, got, timedout;
	char msg[1 + VX_ERRLEN], c;
	pid_t pid;

	if(!vx_hasfsgsbase()){
		why(w, "FSGSBASE not advertised (AT_HWCAP2): the compat stubs need wrfsbase");
		return -1;
	}
	if(pipe2(fd, O_CLOEXEC) < 0){
		snprintf(w, VX_ERRLEN, "pipe for the compat probe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if(pid < 0){
		snprintf(w, VX_ERRLEN, "fork for the compat probe: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if(pid == 0){
		close(fd[0]);
		compatchild(fd[1]);
	}
	close(fd[1]);
	pf.fd = fd[0];
	pf.events = POLLIN;
	do
		n = poll(&pf, 1, PROBESECS * 1000);
	while(n < 0 && errno == EINTR);
	got = 0;
	timedout = n == 0;
	if(n > 0){
		/* the child writes its answer in one write; read to end of file */
		while(got < (int)sizeof msg - 1){
			n = (int)read(fd[0], msg + got, sizeof msg - 1 - got);
			if(n < 0 && errno == EINTR)
				continue;
			if(n <= 0)
				break;
			got += n;
		}
	}else
		kill(pid, SIGKILL);
	msg[got] = 0;
	c = got > 0 ? msg[0] : 0;
	close(fd[0]);
	st = 0;	/* none where SIGCHLD is ignored (ECHILD) */
	while(waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	switch(c){
	case '0':
		return 0;
	case 0:
		/* said apart: a host too slow or too loaded for the limit is
		 * no host without 32-bit segments (under QEMU's TCG at a load
		 * of 12 on 2 CPUs 2 of about 700 probes "died", which did not
		 * say how) */
		if(timedout)
			snprintf(w, VX_ERRLEN, "the compat probe did not answer in %d s "
				"(32-bit code segments or LDT segments hang here, or the host is too slow)", PROBESECS);
		else if(WIFSIGNALED(st))
			snprintf(w, VX_ERRLEN, "32-bit code segments or LDT segments do not work here "
				"(the probe died of signal %d)", WTERMSIG(st));
		else
			why(w, "32-bit code segments or LDT segments do not work here (the probe died)");
		return -1;
	case '2':
		snprintf(w, VX_ERRLEN, "%s", msg[1] ? msg + 1 : "modify_ldt or low memory unavailable");
		return -1;
	default:
		snprintf(w, VX_ERRLEN, "compat probe failed (step %c)", c);
		return -1;
	}
}

typedef struct Probe {
	int done, ok;
	char why[VX_ERRLEN];
} Probe;

static pthread_mutex_t probelk = PTHREAD_MUTEX_INITIALIZER;
static Probe probes[3];

int
vx_engineok(int e, char w[VX_ERRLEN])
{
	Probe *p;

	if(e != VX_ENGINE_COMPAT && e != VX_ENGINE_LONG){
		why(w, "no such engine");
		return 0;
	}
	p = &probes[e];
	pthread_mutex_lock(&probelk);
	if(!p->done){
		p->ok = (e == VX_ENGINE_LONG ? vx_longprobe(p->why) : compatprobe(p->why)) == 0;
		p->done = 1;
	}
	pthread_mutex_unlock(&probelk);
	if(!p->ok)
		why(w, p->why);
	return p->ok;
}

const char *
vx_enginename(int e)
{
	switch(e){
	case VX_ENGINE_COMPAT:
		return "compat";
	case VX_ENGINE_LONG:
		return "long";
	}
	return "none";
}

/* Where both run, the default is the one measured faster
 * (doc/translator.md); it also needs no forked probe. */
enum { PREFERRED = VX_ENGINE_LONG, OTHER = VX_ENGINE_COMPAT };

int
vx_engine(void)
{
	const char *s = getenv("VXENGINE");

	if(s && strcmp(s, "long") == 0)
		return vx_engineok(VX_ENGINE_LONG, NULL) ? VX_ENGINE_LONG : 0;
	if(s && strcmp(s, "compat") == 0)
		return vx_engineok(VX_ENGINE_COMPAT, NULL) ? VX_ENGINE_COMPAT : 0;
	if(s && *s)
		return 0;
	if(vx_engineok(PREFERRED, NULL))
		return PREFERRED;
	if(vx_engineok(OTHER, NULL))
		return OTHER;
	return 0;
}

int
vx_engineof(Vx *vx)
{
	return vx->engine;
}
