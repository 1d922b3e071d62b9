/*
 * vxrun.h — guest processes: unmodified Linux i386 programs whose system
 * calls are served by the Inferno kernel (kernel.h) through the Linux
 * personality.  An embedding starts the kernel (kinit), configures vxrun,
 * spawns a guest from an ELF found in the namespace and waits for it.
 *
 * Every call acts for the kernel proc bound to the calling thread: a
 * spawned guest starts with a copy of its fd table and environment and
 * shares its namespace.
 */
#ifndef VXRUN_H
#define VXRUN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Vxconf {
	uint32_t memsize;	/* bytes of guest memory per process; 0: 1 GiB
				 * on the long engine, 256 MiB on compat */
	int trace;		/* print every system call to stderr */
	double cpulimit;	/* CPU seconds for all guests together; 0: none */
	int dial;		/* guests may dial out (the dial extension call) */
	int shareenv;		/* spawned guests share the caller's environment
				 * (/env) instead of a copy, as Inferno's commands do */
	int exitafter;		/* the embedding exits once its spawned guest has
				 * ended: that guest's sandbox memory is left for
				 * the host process's exit to take back (in one
				 * pass, not a munmap by munmap), so its status
				 * comes sooner; the memory stays until then */
	uint64_t sigignore;	/* bit n-1: spawned guests start with signal n
				 * (1-64) ignored, as exec keeps ignored signals
				 * (the embedding's own, under nohup or in a
				 * background job) */
	/* What each sandbox (a spawned guest and every process it forks)
	 * may take of the host, all its processes together; 0 for each:
	 * the default (doc/guest-abi.md, "Sandbox bounds"). */
	uint64_t boxmem;	/* committed guest memory, bytes (VXRUN_NOBOUND:
				 * none; default 4 x memsize, at most the host's
				 * RAM, never below memsize): past it mmap, brk,
				 * mremap, fork and execve fail with ENOMEM */
	int boxfds;		/* host descriptors its files and file mappings
				 * keep open (-1: none; default a quarter of the
				 * host process's RLIMIT_NOFILE): past it EMFILE */
	int boxtasks;		/* its threads, each process's first included
				 * (-1: none; default 1024): past it fork and
				 * clone fail with EAGAIN, as RLIMIT_NPROC */
} Vxconf;

#define VXRUN_NOBOUND (~(uint64_t)0)

/* Configure before the first spawn. */
void vxrun_config(Vxconf *c);

/* Give the current kernel proc the guest's standard fds: 0 and 1 are
 * the console (#c/cons), 2 is #c2/cons, which writes the host's stderr,
 * so diagnostics stay apart from output.  Returns 0, or -1 with err set. */
int vxrun_stdio(char *err, int nerr);

/* Close the current proc's fds 0-2. */
void vxrun_flush(void);

/* Find prog in the namespace: as given when it holds a '/', else in each
 * directory of path (colon separated; NULL: "/bin").  Returns a malloc'd
 * namespace path, or NULL with the reason in err. */
char *vxrun_lookpath(const char *prog, const char *path, char *err, int nerr);

/* Start a guest process running the program at the namespace path with
 * argv and envp (NULL terminated).  Returns its pid, or -1 with the
 * reason in err. */
int vxrun_spawn(const char *path, char *const argv[], char *const envp[], char *err, int nerr);

/* vxrun_spawn with memsize bytes of guest memory for this guest and the
 * processes it forks instead of Vxconf's (0: Vxconf's). */
int vxrun_spawnmem(const char *path, char *const argv[], char *const envp[], uint32_t memsize,
	char *err, int nerr);

/* vxrun_spawn with bounds of its own for this guest's sandbox: each
 * field 0 means Vxconf's (memsize: guest memory per process; the others
 * as Vxconf's box fields). */
typedef struct Vxbounds {
	uint32_t memsize;
	uint64_t boxmem;
	int boxfds;
	int boxtasks;
} Vxbounds;
int vxrun_spawnbounded(const char *path, char *const argv[], char *const envp[], const Vxbounds *b,
	char *err, int nerr);

/* What guest pid's sandbox holds now: committed guest memory in bytes,
 * host descriptors, threads.  0, or -1 if there is no such guest. */
typedef struct Vxusage {
	uint64_t mem;
	int fds;
	int tasks;
} Vxusage;
int vxrun_usage(int pid, Vxusage *u);

/* Wait up to ms milliseconds (ms < 0: no limit) for guest pid to end:
 * its status as vxrun_wait gives it, -1 if there is no such guest, -2
 * if it is still running.  vxrun_kill sends Linux signal sig to guest
 * pid and the processes it started; -1 if there is no such guest. */
int vxrun_waitfor(int pid, int ms);
int vxrun_kill(int pid, int sig);

/* Wait for guest pid to end; returns its status as a shell reports it
 * (exit code, or 128+signal), or -1 if there is no such guest. */
int vxrun_wait(int pid);

/* Send Linux signal sig to every guest process (0: none left → 0). */
int vxrun_signalall(int sig);

/* The number of guest processes still running. */
int vxrun_nguests(void);

/* Put the host terminal back in the modes it had before a guest changed
 * them (done at exit; call it before _exit). */
void vxrun_restoretty(void);

#ifdef __cplusplus
}
#endif
#endif
