/* guest_hostile — a guest that attacks the system-call layer.  Each mode
 * prints one line per attempt; every attempt must fail cleanly:
 *	ptr	pointers outside guest memory (EFAULT, as natively)
 *	frame	forged sigreturn frames (privileged flags, 64-bit cs, bad MXCSR)
 *	badframe	a sigreturn frame outside memory (the guest dies of SIGSEGV)
 *	tls	crafted set_thread_area descriptors
 *	path	paths that try to leave the root
 *	dial	the dial extension call with bad strings, and without -N
 *	fuzzfound	what the system-call fuzzer (tests/sysfuzz) found: the
 *		same errors as natively, and threads that end at once
 *	mountpipe	mount of a pipe nobody serves, ended by SIGALRM's default
 *		action (a 9P wait ends only for a fatal signal)
 *	mountsilent	a mount served by the guest's own thread over a
 *		socketpair that answers Tversion and Tattach, then nothing
 *		(no Rflush, no Rclunk), both ends held by the process: a
 *		walk waiting on it must still end at SIGALRM's default
 *		action (it waited for the Rflush for ever)
 *	mountdeaf	a server like it that reads nothing after the first
 *		Twrite: threads' writes of 64 KiB fill the socket, so the
 *		next request's write waits; SIGALRM's default action must
 *		still end them
 *	mountmany	mounts in a loop, each of a socketpair served by a thread
 *		that answers Tversion and Tattach and ends: each mount keeps
 *		host descriptors (and while it lives, a host thread), so they must stop at the sandbox's descriptor bound
 *		(EMFILE), not at the mount table's 4,096 or the host's limit;
 *		"live" keeps the far ends open (the mounts stay up, silent)
 *	epollmany	epoll entries from every process of the sandbox: 8
 *		children, each with 800 epolls of the same 200 eventfds
 *		(1,280,000 entries, 51 MB of host memory): they must stop
 *		(ENOSPC, as Linux past max_user_watches) at the sandbox's
 *		bound (MAXBOXEPENTS, 2^20), and free it as they end
 *	roshared	a read blocked on a pipe whose buffer another thread maps
 *		over, shared and read-only, from a file open read-only: the
 *		host's copy must not kill the host, nor reach the file
 *	roprotect	the same page made writable by mprotect, which must fail
 *		as natively (EACCES) and leave it read-only
 *	procrace	readlinks of /proc/self/cwd and /proc/self/fd/N, opens of
 *		the fd entries and listings of /proc/self/fd, racing chdir,
 *		close and dup2 in other threads (run also under ASan)
 *	mapmany	a page of a file mapped 25000 times, shared then private,
 *		each mapping keeping a host fd: the shared ones must stop
 *		(ENOMEM) before the host runs out of fds, and opens work after
 *	mapcount	host memory areas (vm.max_map_count) used up by the
 *		guest: mprotect of every other page of 256 MiB, one-page
 *		mappings every other page, munmap of every other page.  Each
 *		must stop with ENOMEM while the host still starts threads,
 *		reads files, and maps memory again once the guest unmaps
 *	retflush N	returns into new code between flushes (the long engine's
 *		return table: its pages stay charged while resident)
 *	altstack	alternate signal stacks a frame cannot be written on:
 *		wrapping past 4 GiB, in unmapped memory, on read-only text,
 *		of size 4 GiB - 1; each child that takes a signal there dies
 *		of SIGSEGV, and a thread's stack is no other thread's
 *	timers	timers of a nanosecond on every clock and with every
 *		notification (a blocked signal, none, an ignored one, a
 *		thread that ends), setitimer of a microsecond, a timerfd of
 *		a nanosecond, while the guest sleeps a second (nstimers: two,
 *		and no more; the host must stay idle: vxinferno_hostile.t
 *		measures its CPU); settime and
 *		delete racing the firing from threads; children that exit or
 *		execve with such timers firing; forks reading an armed
 *		timerfd; 256 timers made and deleted over and over; epolls
 *		nested as deep as they go and a wide diamond of them
 *	rightsloop	unix sockets sent over themselves and closed: both
 *		ends of a socketpair in flight on it, two pairs each
 *		carrying the other's ends, an end passed back and forth;
 *		3000 times, each followed by a socketpair that must work
 *		(Linux collects such cycles; nothing may keep them); then
 *		files in flight towards a held end, their senders closed,
 *		must still arrive and work after new sockets are made
 *	unixhold	(tests/unit/vxrun_boxunix.c) binds the abstract name
 *		"\0vxboxunix" and the path /uxsock, listens, makes /ready
 *		and waits for /done
 *	procfd	/proc/self/fd links of every kind of fd (epoll, eventfd,
 *		timerfd, signalfd, pipe, socket, a /proc file), a number as N,
 *		opens of them and of /proc/self/exe, as natively
 *	scripts	#! scripts in /tmp run by execve: 5 nested run, 6 and one
 *		naming itself are ELOOP, a line without a newline runs, one
 *		longer than 255 bytes is cut there (its argument) unless the
 *		interpreter's name would be (ENOEXEC), 5000 arguments all
 *		arrive; the interpreter is this program ("argc…" mode)
 *	codeedge	code at its edges: instructions cut by an unmapped page,
 *		prefixes to 15 bytes and past, invalid opcodes of each map;
 *		the signal, si_code, si_addr and eip each gets, as natively
 *		(#GP past 15 bytes: SIGSEGV; #UD: SIGILL ILL_ILLOPN at eip)
 *	sockopts	setsockopt's values and lengths out of range: buffer
 *		sizes of INT_MAX and -1 (the host doubled the int: signed
 *		overflow), 1, 100000; lengths 0 and 2; timeouts and linger
 *		short or with a microsecond count of 2 s; as natively
 *	smcrace	a thread flips two bytes of code between not %eax (f7 d0)
 *		and cpuid (0f a2) while another runs them, with a system call
 *		after each run (so it sees each change and translates again):
 *		the translator decoded the bytes in guest memory and copied
 *		them from there again, so it could copy what it never decoded
 *		(a byte of each: f7 a2, a mul whose displacement was the next
 *		instructions of the code cache, and the host ran them
 *		misaligned; the guest died of SIGSEGV in 3 runs of 4, and the
 *		validator refused such fragments); each run must give not's
 *		result or the sandbox's cpuid (no XSAVE), never the host's
 *	unixhog	(tests/unit/vxrun_boxunix.c) opens AF_UNIX sockets, in
 *		children when its fd table is full, until socket() fails
 *		otherwise; writes their count and the error to /ready, waits
 *		for /done
 *	unixsocket	from another sandbox: exit status 1 when socket(AF_UNIX)
 *		fails, 2 when socketpair does
 *	unixprobe	from another sandbox; the exit status sums what went
 *		wrong: 1 a connect to the abstract name succeeds, 2 one to
 *		/uxsock succeeds, 4 its own bind of the abstract name fails,
 *		8 a connect to its own bound name then fails
 *	iovrace	sendmsg and recvmsg whose buffers another thread unmaps
 *		while they run (a stream send blocked in its first buffer,
 *		a MSG_WAITALL receive that has its first byte) or whose
 *		iovec it rewrites (datagrams): the host read the iovecs
 *		again as it copied (a null pointer, and a copy past the
 *		buffer sized by the first reading); each must end
 *	rwrace	read, readv, pread, write and a pipe's read whose buffer's
 *		second page another thread protects, unmaps and maps again
 *		meanwhile: offsets, counts and the bytes before the page
 *		agree, nothing is lost from the pipe
 *	tsrace	rt_sigtimedwait's timeout unmapped and mapped again by
 *		another thread (read twice, the second time unchecked)
 *	hugewait	futex and rt_sigtimedwait timeouts of 2^63-1 s, relative
 *		and absolute, ended by SIGALRM: EINTR, as natively
 *	pollrace	a poll waiting on a pipe whose fd another thread rewrites
 *		to 0x7fff0000 before the writer closes (the host read the
 *		fd again after the wait, unchecked): POLLHUP, as natively
 *	bigargs	execve of arguments of 5000 and 100000 bytes (each was
 *		EFAULT), and of 8191 strings of 4 KiB in argv and envp from
 *		16 threads (E2BIG; the host copied 64 MiB for each first)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/timerfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "guest/retto.h"
#include <ucontext.h>
#include <unistd.h>

#define BAD 0xfffff000u

static void
check(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? strerror(errno) : "succeeded");
}

static void
ptr(void)
{
	uint32_t iov[2] = { BAD, 16 };
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	check("write", syscall(SYS_write, 1, BAD, 16));
	check("read", syscall(SYS_read, open("bin/guest_hostile", O_RDONLY), BAD, 16));
	check("open", syscall(SYS_open, BAD, 0));
	check("stat64", syscall(SYS_stat64, "/", BAD));
	check("stat64 path", syscall(SYS_stat64, BAD, BAD));
	check("writev", syscall(SYS_writev, 1, iov, 1));
	check("writev iov", syscall(SYS_writev, 1, BAD, 1));
	check("getdents64", syscall(SYS_getdents64, fd, BAD, 4096));
	check("uname", syscall(SYS_uname, BAD));
	check("clock_gettime", syscall(SYS_clock_gettime, 0, BAD));
	check("execve", syscall(SYS_execve, BAD, 0, 0));
	check("pipe", syscall(SYS_pipe, BAD));
	check("rt_sigaction", syscall(SYS_rt_sigaction, SIGUSR1, BAD, 0, 8));
	check("getcwd", syscall(SYS_getcwd, BAD, 100));
	check("wait4", syscall(SYS_wait4, -1, BAD, 1, 0));
	check("futex", syscall(SYS_futex, BAD, 0, 0, 0, 0, 0));
	check("set_thread_area", syscall(SYS_set_thread_area, BAD));
	check("write wrap", syscall(SYS_write, 1, 0xfffffff0u, 0x20));
}

/* rt_sigreturn with the frame at f+4: resumes at label 1 with the
 * registers the frame names and returns the eflags found there. */
uint32_t forge(uint8_t *f);
__asm__(
	".text\n"
	".globl forge\n"
	"forge:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 20(%esp), %eax\n"
	"	movl %esp, 164+28(%eax)\n"	/* sc.esp */
	"	movl $1f, 164+56(%eax)\n"	/* sc.eip */
	"	leal 4(%eax), %esp\n"
	"	movl $173, %eax\n"
	"	int $0x80\n"
	"1:	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	pushfl\n	popl %eax\n"
	"	ret\n");

static void
frame(void)
{
	static uint8_t f[1024] __attribute__((aligned(16)));
	static uint8_t fp[512] __attribute__((aligned(16)));
	uint8_t *sc = f + 164;
	uint32_t fl, mx, v;

	memset(f, 0, sizeof f);
	v = 0xffffffffu & ~(0x100u | 0x400u | 0x40000u);	/* all but TF, DF, AC: those a program may set */
	memcpy(sc + 64, &v, 4);
	v = 0x33;				/* the host's 64-bit code selector */
	memcpy(sc + 60, &v, 4);
	v = 0x2b;
	memcpy(sc + 72, &v, 4);
	memcpy(sc + 8, &v, 4);
	v = 0x1234;				/* %fs: not a TLS slot */
	memcpy(sc + 4, &v, 4);
	__asm__ volatile("movl %%gs, %0" : "=r"(v));	/* %gs: glibc's TLS, kept */
	memcpy(sc + 0, &v, 4);
	__asm__ volatile("fxsave %0" : "=m"(fp));
	v = 0xffffffffu;			/* reserved MXCSR bits */
	memcpy(fp + 24, &v, 4);
	v = (uint32_t)fp;
	memcpy(sc + 76, &v, 4);
	memset(f + 252, 0, 8);			/* uc_sigmask */
	fl = forge(f);
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	printf("forged frame: resumed\n");
	printf("iopl %s, nt %s, vm %s\n", fl & 0x3000 ? "SET" : "clear", fl & 0x4000 ? "SET" : "clear",
	       fl & 0x20000 ? "SET" : "clear");
	printf("mxcsr reserved bits %s\n", mx & 0xffff0000u ? "SET" : "clear");
	printf("tls still works: errno %d\n", errno = 3);
}

static void
badframe(void)
{
	fflush(stdout);
	__asm__ volatile("movl $0xfffffff0, %%esp\n\tmovl $173, %%eax\n\tint $0x80" ::: "memory");
	printf("not reached\n");
}

struct udesc {
	uint32_t entry, base, limit;
	uint32_t flags;		/* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1 */
};

static uint16_t oldgs;

static void
onsegv(int sig)
{
	(void)sig;
	__asm__ volatile("movw %0, %%gs" :: "r"(oldgs));	/* glibc's TLS again */
	_exit(42);
}

static void
tls(void)
{
	struct udesc u;
	uint32_t v;
	pid_t pid;
	int st;

	u = (struct udesc){ 5, 0, 0xfffff, 1 | 0x10 | 0x40 };
	check("entry 5", syscall(SYS_set_thread_area, &u));
	u = (struct udesc){ -1, 0, 0xfffff, 1 | (2 << 1) | 0x10 | 0x40 };
	check("code segment", syscall(SYS_set_thread_area, &u));
	u = (struct udesc){ -1, 0, 0xfffff, 1 | 0x20 | 0x10 | 0x40 };
	check("not present", syscall(SYS_set_thread_area, &u));
	u = (struct udesc){ -1, 0, 0xfffff, 0x10 | 0x40 };
	check("16-bit", syscall(SYS_set_thread_area, &u));
	/* a flat 4 GiB segment is accepted, but must not reach past guest memory */
	u = (struct udesc){ -1, 0, 0xfffff, 1 | 0x10 | 0x40 };
	check("flat 4G", syscall(SYS_set_thread_area, &u));
	fflush(stdout);
	pid = fork();
	if(pid == 0){
		signal(SIGSEGV, onsegv);
		__asm__ volatile("movw %%gs, %0" : "=r"(oldgs));
		__asm__ volatile("movw %w1, %%gs\n\tmovl %%gs:0xffffeff0, %0" : "=r"(v) : "r"((u.entry << 3) | 3));
		_exit(1);
	}
	waitpid(pid, &st, 0);
	printf("read through it: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 42 ? "SIGSEGV" : "NOT STOPPED");
	if(!(WIFEXITED(st) && WEXITSTATUS(st) == 42))
		printf("status %#x\n", st);
}

static void
try(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if(fd < 0){
		printf("%s: blocked\n", path);
		return;
	}
	n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("%s: %s\n", path, strstr(buf, "root:x:0:0") ? "ESCAPED" : "blocked");
	close(fd);
}

static void
path(void)
{
	int i;

	try("/../../../../etc/passwd");
	try("#U/../../../../etc/passwd");
	try("/link/passwd");
	try("/abslink");
	try("/d/../../../../etc/passwd");
	for(i = 0; i < 20; i++)
		chdir("..");
	try("etc/passwd");
	try("../../etc/passwd");
}

/* Read path n times while the host swaps a directory on its way with a
 * symlink out of the root: how often it read the file inside, the
 * secret behind the link (must be never), or could not open it. */
static void
walkrace(const char *path, int n)
{
	char buf[64];
	int i, fd, inside = 0, secret = 0, none = 0;
	ssize_t k;

	for(i = 0; i < n; i++){
		fd = open(path, O_RDONLY);
		if(fd < 0){
			none++;
			continue;
		}
		k = read(fd, buf, sizeof buf - 1);
		buf[k > 0 ? k : 0] = 0;
		close(fd);
		if(strncmp(buf, "SECRET", 6) == 0)
			secret++;
		else if(strcmp(buf, "inside") == 0)
			inside++;
	}
	printf("secret %d\n", secret);
	fprintf(stderr, "walkrace %s: %d inside, %d secret, %d not found\n", path, inside, secret, none);
}

/* dial (include/vxguest.h) with strings it must not trust */
static void
dial(void)
{
	char *pg, big[5000];

	check("dial bad pointer", syscall(0x7004, BAD));
	check("dial null", syscall(0x7004, 0));
	pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(pg == MAP_FAILED || munmap(pg + 4096, 4096) < 0){
		printf("mmap failed\n");
		return;
	}
	memset(pg, 't', 4096);
	check("dial unterminated at the end of memory", syscall(0x7004, pg + 4096 - 8));
	memset(big, 'a', sizeof big - 1);
	memcpy(big, "tcp!", 4);
	big[sizeof big - 1] = 0;
	check("dial too long", syscall(0x7004, big));
	check("dial without -N", syscall(0x7004, "tcp!127.0.0.1!1"));
}

/* clone a thread that exits at once, without touching its stack */
long rawclone(uint32_t flags);
__asm__(
	".text\n"
	".globl rawclone\n"
	"rawclone:\n"
	"	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 16(%esp), %ebx\n"
	"	xorl %ecx, %ecx\n	xorl %edx, %edx\n	xorl %esi, %esi\n	xorl %edi, %edi\n"
	"	movl $120, %eax\n"
	"	int $0x80\n"
	"	testl %eax, %eax\n"
	"	jnz 1f\n"
	"	movl $1, %eax\n	xorl %ebx, %ebx\n	int $0x80\n	hlt\n"
	"1:	popl %edi\n	popl %esi\n	popl %ebx\n"
	"	ret\n");

static void execrace(void);

static char racestr[256] __attribute__((aligned(64)));
static volatile int racing;

/* flip the NUL that ends racestr while the main thread passes it as a path */
static void *
flipper(void *arg)
{
	(void)arg;
	while(racing)
		racestr[sizeof racestr - 2] ^= 'a';
	return NULL;
}

static void
fuzzfound(void)
{
	int p[2], i, bad;
	char b[8];
	long r;

	if(pipe(p) < 0)
		return;
	/* once waited forever (a pipe read with no signal to end it) */
	check("pread64 of a pipe", syscall(SYS_pread64, p[0], b, sizeof b, 0, 0));
	check("pwrite64 of a pipe", syscall(SYS_pwrite64, p[1], b, sizeof b, 0, 0));
	/* once waited forever, holding the memory lock */
	check("mmap of a pipe", (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0) == -1 ? -1 : 0);
	/* -INT_MIN overflowed */
	check("kill INT_MIN", syscall(SYS_kill, INT_MIN, 0));
	check("wait4 INT_MIN", syscall(SYS_wait4, INT_MIN, 0, 0, 0));
	/* the thread's tid was read after it could have ended and been freed */
	bad = 0;
	for(i = 0; i < 200; i++){
		r = rawclone(0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000);	/* VM FS FILES SIGHAND THREAD SYSVSEM */
		bad += r <= 0;
	}
	printf("threads that end at once: %s\n", bad ? "FAILED" : "all started");
	execrace();
	/* the host once copied a path with strlen then memcpy: a string whose
	 * NUL another thread removes in between came out unterminated */
	{
		pthread_t th;

		memset(racestr, 'a', sizeof racestr);
		memcpy(racestr, "/tmp/", 5);
		racestr[sizeof racestr - 1] = 0;
		racing = 1;
		if(pthread_create(&th, NULL, flipper, NULL) != 0)
			return;
		for(i = 0; i < 5000; i++){
			syscall(SYS_mkdirat, AT_FDCWD, racestr, 0755);
			syscall(SYS_access, racestr, 0);
		}
		racing = 0;
		pthread_join(th, NULL);
		printf("a path changing under the call: survived\n");
	}
}

static char *self;

static void *
execer(void *arg)
{
	char *av[] = { self, "execdone", NULL };

	(void)arg;
	syscall(SYS_execve, "/proc/self/exe", av, NULL);
	return NULL;
}

/* two threads of one process execve at the same moment: one wins (the
 * host once had each wait for the other to end, forever) */
static void
execrace(void)
{
	pthread_t th;
	int i, st, good;
	pid_t pid;

	good = 0;
	for(i = 0; i < 10; i++){
		fflush(stdout);
		pid = fork();
		if(pid == 0){
			pthread_create(&th, NULL, execer, NULL);
			execer(NULL);
			_exit(1);
		}
		if(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7)
			good++;
	}
	printf("exec in two threads at once: %d of 10 ran the new program\n", good);
}

static void
mountpipe(void)
{
	int p[2];

	if(pipe(p) < 0)
		return;
	alarm(1);
	syscall(0x7001, p[0], -1, "/n", 0, 0);
	printf("not reached\n");
}

/* One 9P message from fd into b[n]: its size, or -1 */
static long
readmsg9(int fd, unsigned char *b, long n)
{
	long got, r, size;

	for(got = 0; got < 4; got += r)
		if((r = read(fd, b + got, 4 - got)) <= 0)
			return -1;
	size = b[0] | b[1] << 8 | b[2] << 16 | (long)b[3] << 24;
	if(size < 7 || size > n)
		return -1;
	for(; got < size; got += r)
		if((r = read(fd, b + got, size - got)) <= 0)
			return -1;
	return size;
}

/* mountdeaf's server: walks, opens and clunks are answered, anything
 * else an error; a Twrite (0: no answer) stops it reading at all. */
static int
deafanswer(int fd, unsigned char *b)
{
	unsigned char r[9 + 16 * 13];
	int n, i;

	memset(r, 0, sizeof r);
	r[4] = b[4] + 1;
	r[5] = b[5];
	r[6] = b[6];
	switch(b[4]){
	case 110:	/* Twalk: a qid for every name, the last a file */
		n = b[15];
		r[0] = 9 + 13 * n;
		r[7] = n;
		for(i = 0; i < n; i++)
			r[9 + 13 * i] = i == n - 1 ? 0 : 0x80;
		break;
	case 112:	/* Topen: Ropen of a file, iounit 0 */
		r[0] = 24;
		break;
	case 120:	/* Tclunk */
		r[0] = 7;
		break;
	case 118:	/* Twrite: nothing more is read */
		return 0;
	default:	/* Rerror "no" */
		r[0] = 11;
		r[4] = 107;
		r[7] = 2;
		r[9] = 'n';
		r[10] = 'o';
		break;
	}
	return write(fd, r, r[0]) == r[0];
}

static void *
silentserver(void *a)
{
	static const unsigned char rversion[] = {
		19, 0, 0, 0, 101, 0xff, 0xff, 0, 32, 0, 0, 6, 0, '9', 'P', '2', '0', '0', '0' };
	unsigned char b[8192], rattach[20] = { 20, 0, 0, 0, 105 };
	int fd = *(int*)a;
	int deaf = fd < 0;

	if(deaf)
		fd = -fd;
	if(readmsg9(fd, b, sizeof b) < 0 || write(fd, rversion, sizeof rversion) != sizeof rversion)
		return NULL;
	if(readmsg9(fd, b, sizeof b) < 0)
		return NULL;
	rattach[5] = b[5];	/* its tag; qid: a directory, path 0 */
	rattach[6] = b[6];
	rattach[7] = 0x80;
	if(write(fd, rattach, sizeof rattach) != sizeof rattach)
		return NULL;
	while(deaf && readmsg9(fd, b, sizeof b) > 0 && deafanswer(fd, b))
		;
	while(deaf)
		pause();
	while(readmsg9(fd, b, sizeof b) > 0)
		;		/* Twalk, Tflush, …: never answered */
	return NULL;
}

/* Serve /n from a thread of ours over a socketpair (deaf: reading
 * nothing after the first Twrite); 0 once mounted. */
static int
mountself(int deaf)
{
	static int p[2], srvfd;
	pthread_t th;

	if(socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0)
		return -1;
	srvfd = deaf ? -p[1] : p[1];
	pthread_create(&th, NULL, silentserver, &srvfd);
	if(syscall(0x7001, p[0], -1, "/n", 0, "") < 0){
		printf("mount: %s\n", strerror(errno));
		return -1;
	}
	printf("mounted\n");
	fflush(stdout);
	return 0;
}

static void
mountsilent(void)
{
	if(mountself(0) < 0)
		return;
	alarm(1);
	open("/n/x", O_RDONLY);
	printf("not reached\n");
}

static void *
bigwriter(void *a)
{
	static char buf[65536];
	int fd = (int)(intptr_t)a;

	while(write(fd, buf, sizeof buf) > 0)
		;
	return NULL;
}

static void
mountdeaf(void)
{
	pthread_t th;
	int i, fds[64];

	if(mountself(1) < 0)
		return;
	alarm(2);
	for(i = 0; i < 64; i++){
		fds[i] = open("/n/f", O_WRONLY);
		if(fds[i] < 0){
			printf("open: %s\n", strerror(errno));
			return;
		}
	}
	for(i = 0; i < 64; i++)
		pthread_create(&th, NULL, bigwriter, (void*)(intptr_t)fds[i]);
	for(;;)
		pause();
}

/* A file mapping whose file then shrinks: its pages past the new end
 * have no data at all (Linux: SIGBUS on access, EFAULT from a call that
 * reads them).  Passed to a call whose host side copies with plain
 * loads (a pipe write), it must end, not fault in the host forever. */
static void
shrunk(void)
{
	char buf[8192], *p;
	int fd, pp[2];
	long r;

	fd = open("/tmp/shrunk", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(buf, 'x', sizeof buf);
	if(fd < 0 || write(fd, buf, sizeof buf) != sizeof buf || pipe(pp) < 0)
		return;
	p = mmap(NULL, sizeof buf, PROT_READ, MAP_PRIVATE, fd, 0);
	if(p == MAP_FAILED)
		return;
	ftruncate(fd, 0);
	r = write(pp[1], p + 4096, 4096);
	printf("pipe write from past the end: %s\n", r == 4096 || (r < 0 && errno == EFAULT) ? "ended" : "odd");
	r = write(pp[1], p, 16);
	printf("and again: %s\n", r == 16 || (r < 0 && errno == EFAULT) ? "ended" : "odd");
	unlink("/tmp/shrunk");
}

/* vforkfds n: n vfork children, each checking that its next open takes
 * its lowest free number, beside a thread making and closing pipes: a
 * child whose table was copied while the thread's pipe was half made or
 * half closed kept that kernel fd, unknown to it, across its exec (a
 * pipe end held open; 202 of 2,000 children). */
static atomic_int vfstop;

static void *
pipechurn(void *a)
{
	int p[2];

	(void)a;
	while(!atomic_load(&vfstop))
		if(pipe(p) == 0){
			close(p[0]);
			close(p[1]);
		}
	return NULL;
}

static void
vforkfds(long n)
{
	pthread_t th;
	long i, bad;
	int st, low, fd;
	pid_t c;

	pthread_create(&th, NULL, pipechurn, NULL);
	for(i = bad = 0; i < n; i++){
		c = vfork();
		if(c == 0){
			for(low = 0; fcntl(low, F_GETFD) >= 0; low++)
				;
			fd = open("/", O_RDONLY);
			_exit(fd == low ? 0 : 1);
		}
		if(c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	atomic_store(&vfstop, 1);
	pthread_join(th, NULL);
	if(bad == 0)
		printf("vforkfds: each child's next open took its lowest free number\n");
	else
		printf("vforkfds: %ld of %ld children's next open skipped a number\n", bad, n);
}

/* shrunkmany n: n pages of a file mapped, the file then emptied, and a
 * call the host answers with plain stores (gettimeofday) into every
 * other page: each made a host area of its own, and past
 * vm.max_map_count the host died of the SIGBUS (a call that ends,
 * EFAULT as on Linux or done, is what the guest may see). */
static void
shrunkmany(long n)
{
	char *p;
	long i, ended;
	int fd;

	fd = open("/tmp/shrunkmany", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || ftruncate(fd, n * 4096) < 0)
		return;
	p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	unlink("/tmp/shrunkmany");
	if(p == MAP_FAILED){
		printf("shrunkmany: mmap of %ld pages: %s\n", n, strerror(errno));
		return;
	}
	ftruncate(fd, 0);
	for(i = ended = 0; i < n; i += 2)
		if(syscall(SYS_gettimeofday, p + i * 4096, NULL) == 0 || errno == EFAULT)
			ended++;
	printf("shrunkmany: %s\n", ended == (n + 1) / 2 ? "every call ended" : "odd");
}

/* mountmany: n mounts, each of a socketpair served by a thread of ours
 * that answers Tversion and Tattach and ends */
static int mmlive;

static void *
attachserver(void *a)
{
	static const unsigned char rversion[] = {
		19, 0, 0, 0, 101, 0xff, 0xff, 0, 32, 0, 0, 6, 0, '9', 'P', '2', '0', '0', '0' };
	unsigned char b[8192], rattach[20] = { 20, 0, 0, 0, 105 };
	int fd = (int)(intptr_t)a;

	if(readmsg9(fd, b, sizeof b) > 0 && write(fd, rversion, sizeof rversion) == sizeof rversion
	&& readmsg9(fd, b, sizeof b) > 0){
		rattach[5] = b[5];	/* its tag; qid: a directory */
		rattach[6] = b[6];
		rattach[7] = 0x80;
		write(fd, rattach, sizeof rattach);
	}
	if(!mmlive)
		close(fd);
	return NULL;
}

static void
mountmany(int live)
{
	char dir[32];
	int i, p[2], err = 0, fd;
	pthread_t th;

	mmlive = live;
	for(i = 0; i < 4000; i++){
		snprintf(dir, sizeof dir, "/tmp/m%d", i);	/* a mount point each */
		if(mkdir(dir, 0755) < 0 && errno != EEXIST){
			err = errno;
			break;
		}
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0){
			err = errno;
			break;
		}
		if(pthread_create(&th, NULL, attachserver, (void*)(intptr_t)p[1]) != 0){
			err = EAGAIN;
			break;
		}
		if(syscall(0x7001, p[0], -1, dir, 0, "") < 0)
			err = errno;
		close(p[0]);	/* a refused mount sent nothing: the server sees the end */
		pthread_join(th, NULL);
		if(err != 0){
			close(p[1]);
			break;
		}
	}
	printf("mounts: %s\n", i >= 4000 ? "4000, no bound" : i > 0 && err == EMFILE ? "stopped, EMFILE" : strerror(err));
	fd = open("/bin/guest_hostile", O_RDONLY);
	printf("open after: %s\n", fd >= 0 ? "works" : strerror(errno));
	printf("mounted %d\n", i);
	fflush(stdout);
	if(live)	/* held until stdin ends, for the host to be measured */
		while(read(0, dir, sizeof dir) > 0)
			;
}

/* epollmany: one child's entries, then it waits for the parent */
static void
epollchild(int *evfd, int nev, int rep, int hold)
{
	int i, k, ep, err = 0;
	long n = 0;
	char c;

	for(k = 0; k < 800 && !err; k++){
		if((ep = epoll_create1(0)) < 0){
			err = errno;
			break;
		}
		for(i = 0; i < nev; i++){
			struct epoll_event e = { .events = EPOLLIN };
			if(epoll_ctl(ep, EPOLL_CTL_ADD, evfd[i], &e) < 0){
				err = errno;
				break;
			}
			n++;
		}
	}
	dprintf(rep, "%ld %d\n", n, err);
	read(hold, &c, 1);	/* the parent's end: all of them are counted */
	_exit(0);
}

static void
epollmany(void)
{
	enum { NEV = 200, NCHILD = 8 };
	int evfd[NEV], rep[2], hold[2], i, err, enospc = 0, other = 0;
	long n, total = 0;
	FILE *f;

	for(i = 0; i < NEV; i++)
		if((evfd[i] = eventfd(0, 0)) < 0){
			printf("eventfd: %s\n", strerror(errno));
			return;
		}
	if(pipe(rep) < 0 || pipe(hold) < 0)
		return;
	for(i = 0; i < NCHILD; i++)
		if(fork() == 0){
			close(rep[0]);
			close(hold[1]);
			epollchild(evfd, NEV, rep[1], hold[0]);
		}
	close(rep[1]);
	close(hold[0]);
	f = fdopen(rep[0], "r");
	for(i = 0; i < NCHILD && fscanf(f, "%ld %d", &n, &err) == 2; i++){
		total += n;
		enospc += err == ENOSPC;
		other += err != 0 && err != ENOSPC;
	}
	close(hold[1]);
	while(wait(NULL) > 0)
		;
	printf("epoll entries: %s\n", enospc > 0 && other == 0 ? "stopped, ENOSPC" : other ? "another error" : "no bound");
	printf("epoll entries held at once: %s\n", total <= 1 << 20 ? "at most 2^20" : "more than 2^20");
	/* and once they ended, the room is the sandbox's again */
	if(fork() == 0){
		i = epoll_create1(0);
		struct epoll_event e = { .events = EPOLLIN };
		_exit(i >= 0 && epoll_ctl(i, EPOLL_CTL_ADD, evfd[0], &e) == 0 ? 0 : 1);
	}
	wait(&err);
	printf("an epoll after: %s\n", WIFEXITED(err) && WEXITSTATUS(err) == 0 ? "works" : "refused");
	fflush(stdout);
}

static int rospipe[2];
static char *rosbuf;

static void *
rosreader(void *a)
{
	long r;

	(void)a;
	r = read(rospipe[0], rosbuf, 4096);
	return (void*)(r == 5 || (r < 0 && errno == EFAULT) ? "ended" : "odd");
}

static void
roshared(void)
{
	char page[4096], back[4096];
	pthread_t th;
	void *how;
	int fd, i;

	memset(page, 'f', sizeof page);
	fd = open("/tmp/roshared", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || write(fd, page, sizeof page) != sizeof page || close(fd) < 0 || pipe(rospipe) < 0)
		return;
	for(i = 0; i < 2; i++){
		fd = open("/tmp/roshared", O_RDONLY);
		rosbuf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if(fd < 0 || rosbuf == MAP_FAILED || pthread_create(&th, NULL, rosreader, NULL) != 0)
			return;
		usleep(200000);	/* the reader is blocked in read, its buffer checked */
		if(mmap(rosbuf, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
			return;
		if(write(rospipe[1], "hello", 5) != 5)
			return;
		pthread_join(th, &how);
		printf("read into a read-only shared page: %s\n", (char*)how);
		close(fd);
	}
	fd = open("/tmp/roshared", O_RDONLY);
	printf("the file: %s\n", fd >= 0 && read(fd, back, sizeof back) == sizeof back
		&& memcmp(back, page, sizeof page) == 0 ? "unchanged" : "written");
	unlink("/tmp/roshared");
}

static void
roprotect(void)
{
	char page[4096], back[4096], *p;
	int fd, pp[2];
	long r;

	memset(page, 'f', sizeof page);
	fd = open("/tmp/roprotect", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0 || write(fd, page, sizeof page) != sizeof page || close(fd) < 0 || pipe(pp) < 0)
		return;
	fd = open("/tmp/roprotect", O_RDONLY);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(fd < 0 || p == MAP_FAILED || mmap(p + 4096, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		return;
	r = mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE);
	printf("mprotect writable: %s\n", r < 0 ? strerror(errno) : "succeeded");
	if(write(pp[1], "hello", 5) != 5)
		return;
	r = read(pp[0], p + 4096, 5);
	printf("read into it: %s\n", r < 0 ? strerror(errno) : "succeeded");
	printf("its bytes: %.4s\n", p + 4096);
	close(fd);
	fd = open("/tmp/roprotect", O_RDONLY);
	printf("the file: %s\n", fd >= 0 && read(fd, back, sizeof back) == sizeof back
		&& memcmp(back, page, sizeof page) == 0 ? "unchanged" : "written");
	unlink("/tmp/roprotect");
}

/* procrace: what the readers see must always be one of the two states */
enum { RACEN = 3000 };
static atomic_int procracing;
static int racefd;

static void *
chdirer(void *a)
{
	(void)a;
	while(atomic_load(&procracing)){
		chdir("/tmp");
		chdir("/bin");
	}
	return NULL;
}

static void *
closer(void *a)
{
	int fd;

	(void)a;
	while(atomic_load(&procracing)){
		fd = open("/bin/guest_hostile", O_RDONLY);
		dup2(fd, racefd);	/* racefd: now this file, then gone */
		close(fd);
		close(racefd);
		fd = open("/tmp", O_RDONLY | O_DIRECTORY);
		dup2(fd, racefd);
		close(fd);
	}
	return NULL;
}

static void
procrace(void)
{
	char buf[256], path[64];
	pthread_t a, b;
	int i, bad, fd;
	long n;
	DIR *d;

	chdir("/tmp");	/* before the threads: then cwd is only ever /tmp or /bin */
	racefd = 100;	/* away from the fds the loops open */
	dup2(open("/tmp", O_RDONLY | O_DIRECTORY), racefd);
	atomic_store(&procracing, 1);
	pthread_create(&a, NULL, chdirer, NULL);
	pthread_create(&b, NULL, closer, NULL);
	snprintf(path, sizeof path, "/proc/self/fd/%d", racefd);
	bad = 0;
	for(i = 0; i < RACEN; i++){
		n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
		if(n >= 0){
			buf[n] = 0;
			if(strcmp(buf, "/tmp") != 0 && strcmp(buf, "/bin") != 0){
				bad++;
				printf("cwd named %s\n", buf);
			}
		}
		n = readlink(path, buf, sizeof buf - 1);
		if(n >= 0){
			buf[n] = 0;
			if(strcmp(buf, "/tmp") != 0 && strcmp(buf, "/bin/guest_hostile") != 0){
				bad++;
				printf("fd %d named %s\n", racefd, buf);
			}
		}
		fd = open(path, O_RDONLY);
		if(fd >= 0)
			close(fd);
		if(i % 16 == 0 && (d = opendir("/proc/self/fd")) != NULL){
			while(readdir(d) != NULL)
				;
			closedir(d);
		}
	}
	atomic_store(&procracing, 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("procrace: %d readlinks named something else\n", bad);
}

/* mapmany: n one-page mappings of fd side by side in a reserved range,
 * until one fails; how many were made. */
static long
mapruns(int fd, int flags, long n, int *err)
{
	char *base;
	long i;

	*err = 0;
	base = mmap(NULL, n * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(base == MAP_FAILED){
		*err = errno;
		return -1;
	}
	for(i = 0; i < n; i++)
		if(mmap(base + i * 4096, 4096, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, 0) == MAP_FAILED){
			*err = errno;
			break;
		}
	return i;
}

static void
afterwards(const char *what)
{
	int fd[16], p[2], i, n;

	for(n = 0; n < 16 && (fd[n] = open("bin/guest_hostile", O_RDONLY)) >= 0; n++)
		;
	printf("%s, 16 opens: %s\n", what, n == 16 ? "ok" : strerror(errno));
	for(i = 0; i < n; i++)
		close(fd[i]);
	printf("%s, pipe: %s\n", what, pipe(p) == 0 ? "ok" : strerror(errno));
	close(p[0]);
	close(p[1]);
}

static void
mapmany(void)
{
	enum { N = 25000 };
	long n;
	int fd, err;

	fd = open("/tmp/mapmany", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if(fd < 0 || ftruncate(fd, 4096) < 0){
		perror("mapmany");
		return;
	}
	n = mapruns(fd, MAP_SHARED, N, &err);
	printf("shared: %s\n", n == N ? "all made" : n > 1000 ? strerror(err) : "too few");
	afterwards("shared");
	n = mapruns(fd, MAP_PRIVATE, N, &err);
	printf("private: %s\n", n == N ? "all made" : strerror(err));
	afterwards("private");
	close(fd);
	unlink("/tmp/mapmany");
}

/* mapcount: what a guest at the limit still gets from the host (the
 * buffer is in place already: a new mapping is past the limit) */
static char bigbuf[8 << 20];

static void
atlimit(const char *what)
{
	char *b = bigbuf;
	int i, bad, fd;
	long n;

	bad = 0;
	for(i = 0; i < 20; i++)
		bad += rawclone(0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000) <= 0;
	printf("%s: threads %s\n", what, bad ? "FAILED" : "started");
	/* a read of a whole file at once: the host's buffer for it is large */
	fd = open("bin/guest_hostile", O_RDONLY);
	n = fd >= 0 ? read(fd, b, sizeof bigbuf) : -1;
	printf("%s: big read %s\n", what, n > 0 ? "ok" : strerror(errno));
	close(fd);
}

/* After the region is gone: mapping works again, and the pages hold. */
static void
mapagain(const char *what)
{
	char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if(p == MAP_FAILED){
		printf("%s, mmap after unmapping: %s\n", what, strerror(errno));
		return;
	}
	memset(p, 7, 1 << 20);
	printf("%s, mmap after unmapping: %s\n", what, p[12345] == 7 ? "ok" : "bad contents");
	munmap(p, 1 << 20);
	atlimit("after");
}

/* Code written at the limit runs as written, twice over (its page can
 * no longer be write-protected: the translator checks it instead). */
static void
codeatlimit(unsigned char *code)
{
	int (*fn)(void) = (int (*)(void))code;
	int a, b;

	code[0] = 0xb8;	/* mov $7, %eax; ret */
	memcpy(code + 1, &(int){7}, 4);
	code[5] = 0xc3;
	a = fn();
	memcpy(code + 1, &(int){8}, 4);
	b = fn();
	printf("code written at the limit: %s\n", a == 7 && b == 8 ? "runs as written" : "STALE");
}

static void
mapcount(void)
{
	enum { N = 65536, PG = 4096 };
	char *base, *code;
	long i;
	int err;

	code = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(code == MAP_FAILED){
		perror("mapcount");
		return;
	}
	memset(code, 0, 4 * PG);

	base = mmap(NULL, (size_t)N * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(base == MAP_FAILED){
		perror("mapcount");
		return;
	}
	for(i = err = 0; i < N; i += 2)
		if(mprotect(base + i * PG, PG, PROT_READ) < 0){
			err = errno;
			break;
		}
	printf("mprotect every other page: %s\n", err ? strerror(err) : "all made");
	atlimit("mprotect");
	codeatlimit((unsigned char *)code + PG + 100);
	munmap(base, (size_t)N * PG);
	mapagain("mprotect");

	base = mmap(NULL, (size_t)N * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	for(i = err = 0; base != MAP_FAILED && i < N; i += 2)
		if(mmap(base + i * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED){
			err = errno;
			break;
		}
	printf("mmap every other page: %s\n", err ? strerror(err) : "all made");
	atlimit("mmap");
	munmap(base, (size_t)N * PG);
	mapagain("mmap");

	base = mmap(NULL, (size_t)N * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	for(i = err = 0; base != MAP_FAILED && i < N; i += 2)
		if(munmap(base + i * PG, PG) < 0){
			err = errno;
			break;
		}
	printf("munmap every other page: %s\n", err ? strerror(err) : "all made");
	atlimit("munmap");
	munmap(base, (size_t)N * PG);
	mapagain("munmap");
}

static void
onusr1(int sig)
{
	(void)sig;
	write(1, "handler ran\n", 12);
}

/* A child with the alternate stack (sp, size) takes SIGUSR1 on it: how
 * it ended. */
static void
altchild(const char *what, uint32_t sp, uint32_t size)
{
	struct sigaction sa;
	stack_t ss;
	pid_t kid;
	int st;

	fflush(stdout);
	kid = fork();
	if(kid == 0){
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = onusr1;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGUSR1, &sa, NULL);
		memset(&ss, 0, sizeof ss);
		ss.ss_sp = (void *)(uintptr_t)sp;
		ss.ss_size = size;
		if(sigaltstack(&ss, NULL) < 0){
			printf("%s: sigaltstack %s\n", what, strerror(errno));
			_exit(0);
		}
		raise(SIGUSR1);
		_exit(0);
	}
	if(kid < 0 || waitpid(kid, &st, 0) != kid){
		printf("%s: fork or wait failed\n", what);
		return;
	}
	if(WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	else
		printf("%s: exit %d\n", what, WEXITSTATUS(st));
}

static stack_t threadss;

static void *
altthread(void *arg)
{
	stack_t ss;

	(void)arg;
	memset(&ss, 0, sizeof ss);
	sigaltstack(NULL, &ss);
	threadss = ss;
	return NULL;
}

static void
altstack(void)
{
	static char good[65536];
	pthread_t th;
	stack_t ss;
	char *hole;

	hole = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 65536);
	altchild("wrapping", 0xfffff000u, 0x2000);
	altchild("unmapped", (uint32_t)(uintptr_t)hole, 65536);
	altchild("text", (uint32_t)(uintptr_t)altchild & ~0xfffu, 8192);
	altchild("huge", 0x10000, 0xffffffffu);
	altchild("good", (uint32_t)(uintptr_t)good, sizeof good);
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = good;
	ss.ss_size = sizeof good;
	sigaltstack(&ss, NULL);
	pthread_create(&th, NULL, altthread, NULL);
	pthread_join(th, NULL);
	printf("a new thread's: %s\n", threadss.ss_flags & SS_DISABLE ? "none" : "the creator's");
}

/* timers: see the top */
static volatile int tmstop;
static int tmfd;

static void
nap1(long ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void *
tidexit(void *arg)
{
	*(volatile int *)arg = syscall(SYS_gettid);
	while(*(volatile int *)arg > 0)
		nap1(1000000);
	return NULL;
}

/* arm a timer of clock every ns, notifying as sev says */
static int
nstimer(clockid_t c, int notify, int sig, int tid, timer_t *tm)
{
	struct itimerspec its = { { 0, 1 }, { 0, 1 } };
	struct sigevent sev;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = notify;
	sev.sigev_signo = sig;
	sev._sigev_un._tid = tid;
	if(timer_create(c, &sev, tm) < 0)
		return -1;
	return timer_settime(*tm, 0, &its, NULL);
}

static void *
racer(void *arg)
{
	struct itimerspec its = { { 0, 1000 }, { 0, 1000 } };
	struct sigevent sev;
	timer_t tm[8];
	int i, k;

	(void)arg;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	for(k = 0; k < 300 && !tmstop; k++){
		for(i = 0; i < 8; i++)
			if(timer_create(i & 1 ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &sev, &tm[i]) < 0)
				tm[i] = 0;
		for(i = 0; i < 8; i++)
			if(tm[i] != 0)
				timer_settime(tm[i], i & 2 ? TIMER_ABSTIME : 0, &its, NULL);
		for(i = 0; i < 8; i++)
			if(tm[i] != 0)
				timer_delete(tm[i]);
	}
	return NULL;
}

static void *
taker(void *arg)
{
	struct timespec zero = { 0, 0 };
	sigset_t m;

	(void)arg;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	while(!tmstop)
		sigtimedwait(&m, NULL, &zero);
	return NULL;
}

static void *
tfdreader(void *arg)
{
	uint64_t v;

	(void)arg;
	while(!tmstop)
		if(read(tmfd, &v, 8) < 0)
			nap1(100000);
	return NULL;
}

static void
timers(int idle)
{
	struct itimerspec its = { { 0, 1 }, { 0, 1 } };
	struct itimerval iv = { { 0, 1 }, { 0, 1 } };
	struct epoll_event ev;
	siginfo_t si;
	sigset_t m;
	pthread_t th[4];
	timer_t tm[8], many[256];
	volatile int tid;
	uint64_t v;
	int i, k, n, st, ep[12], fd, got;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGALRM);
	sigprocmask(SIG_BLOCK, &m, NULL);
	tid = 0;
	pthread_create(&th[0], NULL, tidexit, (void *)&tid);
	while(tid == 0)
		nap1(1000000);
	n = 0;
	n += nstimer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0, &tm[0]) == 0;
	n += nstimer(CLOCK_REALTIME, SIGEV_NONE, 0, 0, &tm[1]) == 0;
	n += nstimer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGCHLD, 0, &tm[2]) == 0;	/* ignored */
	n += nstimer(CLOCK_BOOTTIME, SIGEV_THREAD_ID, SIGUSR2, tid, &tm[3]) == 0;
	n += nstimer(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR2, 0, &tm[4]) == 0;
	n += nstimer(CLOCK_THREAD_CPUTIME_ID, SIGEV_SIGNAL, SIGCHLD, 0, &tm[5]) == 0;
	tid = -1;	/* the thread ends: its timer's signals go nowhere */
	pthread_join(th[0], NULL);
	setitimer(ITIMER_REAL, &iv, NULL);
	tmfd = timerfd_create(CLOCK_MONOTONIC, 0);
	timerfd_settime(tmfd, 0, &its, NULL);
	printf("nanosecond timers armed: %d of 6\n", n);
	nap1(idle ? 2000000000 : 1000000000);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigwaitinfo(&m, &si);
	printf("a nanosecond timer's signal, a second later: overrun counted %d\n", si.si_overrun > 1000);
	read(tmfd, &v, 8);
	printf("a nanosecond timerfd, a second later: count %s\n", v > 1000 ? "many" : "few");
	iv = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &iv, NULL);
	if(idle)
		return;

	/* settime and delete racing the firing; reads racing settime */
	tmstop = 0;
	pthread_create(&th[0], NULL, racer, NULL);
	pthread_create(&th[1], NULL, racer, NULL);
	pthread_create(&th[2], NULL, taker, NULL);
	pthread_create(&th[3], NULL, tfdreader, NULL);
	for(k = 0; k < 2000; k++){
		its = (struct itimerspec){ { 0, k & 1 }, { 0, k % 3 } };
		timerfd_settime(tmfd, 0, &its, NULL);
	}
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	tmstop = 1;
	its = (struct itimerspec){ { 0, 1000000 }, { 0, 1000000 } };
	timerfd_settime(tmfd, 0, &its, NULL);	/* the reader's read ends */
	pthread_join(th[2], NULL);
	pthread_join(th[3], NULL);
	printf("settime and delete racing the timer thread: done\n");

	/* children exit and execve with nanosecond timers firing */
	got = 0;
	for(k = 0; k < 20; k++){
		pid = fork();
		if(pid == 0){
			timer_t t2;

			nstimer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0, &t2);
			nstimer(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR2, 0, &t2);
			nstimer(CLOCK_THREAD_CPUTIME_ID, SIGEV_NONE, 0, 0, &t2);
			timerfd_settime(tmfd, 0, &its, NULL);
			if(k & 1)
				execl(self, self, "execdone", (char *)NULL);
			_exit(7);
		}
		waitpid(pid, &st, 0);
		got += WIFEXITED(st) && WEXITSTATUS(st) == 7;
	}
	printf("children leaving with timers firing, half by execve: %d of 20\n", got);

	/* forks read a timerfd armed every ms */
	got = 0;
	for(k = 0; k < 20; k++){
		pid = fork();
		if(pid == 0)
			_exit(read(tmfd, &v, 8) == 8 && v >= 1 ? 0 : 1);
		waitpid(pid, &st, 0);
		got += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	printf("children reading the parent's armed timerfd: %d of 20\n", got);
	close(tmfd);
	for(i = 0; i < 6; i++)
		timer_delete(tm[i]);

	/* all a process may have, made and deleted over and over */
	for(k = 0, got = 0; k < 40; k++){
		for(n = 0; n < 256; n++)
			if(timer_create(CLOCK_MONOTONIC, NULL, &many[n]) < 0)
				break;
		got += n == 256 || n == 32;	/* qemu-i386 has 32 */
		while(n > 0)
			timer_delete(many[--n]);
	}
	printf("all timers made and deleted 40 times: %d\n", got);

	/* epolls nested until Linux refuses (ELOOP), then a loop */
	for(i = 0; i < 12; i++)
		ep[i] = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.u32 = 0;
	for(i = 1; i < 12; i++)
		if(epoll_ctl(ep[i], EPOLL_CTL_ADD, ep[i - 1], &ev) < 0)
			break;
	printf("epolls nested: %d levels before %s\n", i, i < 12 ? strerror(errno) : "none failed");
	n = epoll_ctl(ep[0], EPOLL_CTL_ADD, ep[i - 1], &ev);
	printf("the innermost into the outermost: %s\n", n < 0 ? strerror(errno) : "ok");
	n = epoll_wait(ep[i - 1], &ev, 1, 0);
	printf("a wait on the outermost: %d\n", n);
	for(i = 0; i < 12; i++)
		close(ep[i]);

	/* a diamond: two epolls each holding 1000 fds of one epoll */
	ep[0] = epoll_create1(0);
	ep[1] = epoll_create1(0);
	ep[2] = epoll_create1(0);
	fd = eventfd(1, 0);
	epoll_ctl(ep[0], EPOLL_CTL_ADD, fd, &ev);
	for(k = 0; k < 1000; k++){
		n = dup(ep[0]);
		epoll_ctl(ep[1], EPOLL_CTL_ADD, n, &ev);
	}
	epoll_ctl(ep[2], EPOLL_CTL_ADD, ep[1], &ev);
	n = dup(ep[2]);
	for(k = 0; k < 4; k++)
		epoll_ctl(ep[k & 1 ? 2 : 1], EPOLL_CTL_ADD, dup(ep[k & 1 ? 1 : 0]), &ev);
	/* (Linux refuses some of these adds: too many wakeup paths) */
	printf("a wide diamond of epolls, waited on: %s\n", epoll_wait(n, &ev, 1, 1000) >= 0 ? "returned" : "failed");
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGALRM);
	while(sigtimedwait(&m, NULL, &(struct timespec){ 0, 0 }) > 0)
		;
	sigprocmask(SIG_UNBLOCK, &m, NULL);
}

/* Send fds (n of them) over s with one byte; -1 on failure. */
static int
sendfds(int s, int *fds, int n)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))], byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof mh);
	memset(cbuf, 0, sizeof cbuf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	return sendmsg(s, &mh, 0) == 1 ? 0 : -1;
}

/* Receive up to n fds from s with one byte; how many, or -1. */
static int
recvfds(int s, int *fds, int n)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
	if(recvmsg(s, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if(cm == NULL || cm->cmsg_type != SCM_RIGHTS)
		return 0;
	n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
	return n;
}

/* Whether bytes written to w arrive at r. */
static int
talks(int w, int r)
{
	char buf[8];

	return write(w, "hello", 5) == 5 && read(r, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0;
}

/* Files in flight that a held socket will receive are not garbage,
 * even when their own connections are closed by the sender. */
static void
rightskept(void)
{
	int a[2], c[2], x[2], got[2], i;

	/* an end in flight on its own connection towards the held end */
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || sendfds(a[0], a, 1) < 0)
		goto fail;
	close(a[0]);
	for(i = 0; i < 8; i++){	/* new conversations: the collector runs */
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, x) < 0)
			goto fail;
		close(x[0]);
		close(x[1]);
	}
	printf("own end kept: %s\n", recvfds(a[1], got, 2) == 1 && talks(got[0], a[1]) ? "talks" : "lost");
	close(got[0]);
	close(a[1]);
	/* a pair in flight on another connection whose receiving end is held */
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, c) < 0
	|| sendfds(c[0], a, 2) < 0 || sendfds(a[0], c, 1) < 0)
		goto fail;
	close(a[0]);
	close(a[1]);
	close(c[0]);
	for(i = 0; i < 8; i++){
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, x) < 0)
			goto fail;
		close(x[0]);
		close(x[1]);
	}
	if(recvfds(c[1], got, 2) != 2){
		printf("pair carried: lost\n");
		return;
	}
	printf("pair carried: %s\n", recvfds(got[1], x, 1) == 1 && talks(got[0], got[1]) && talks(x[0], c[1]) ? "talks" : "lost");
	return;
fail:
	printf("rightskept: %s\n", strerror(errno));
}

static void
rightsloop(void)
{
	int i, k, a[2], b[2], fds[4], bad[3] = { 0, 0, 0 };
	static const char *what[3] = { "a pair in flight on itself", "two pairs carrying each other",
		"a pair and its end sent back" };

	for(i = 0; i < 3000; i++){
		k = i % 3;
		if(socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0){
			printf("%s: socketpair failed at %d: %s\n", what[k], i, strerror(errno));
			exit(1);
		}
		switch(k){
		case 0:
			fds[0] = a[0];
			fds[1] = a[1];
			bad[k] += sendfds(a[0], fds, 2) < 0;
			break;
		case 1:
			if(socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0){
				printf("%s: socketpair failed at %d: %s\n", what[k], i, strerror(errno));
				exit(1);
			}
			bad[k] += sendfds(a[0], b, 2) < 0;
			bad[k] += sendfds(b[0], a, 2) < 0;
			close(b[0]);
			close(b[1]);
			break;
		case 2:
			bad[k] += sendfds(a[0], &a[1], 1) < 0;
			bad[k] += sendfds(a[1], &a[0], 1) < 0;
			break;
		}
		close(a[0]);
		close(a[1]);
	}
	for(k = 0; k < 3; k++)
		printf("%s: done (%s)\n", what[k], bad[k] ? "some sends refused" : "all sent");
	rightskept();
}

/* A listening unix socket of the abstract name, or the path, or -1. */
static int
unixlisten(const char *name, int abstract)
{
	struct sockaddr_un sa;
	int s;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + abstract, name, strlen(name));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if(s < 0 || bind(s, (struct sockaddr*)&sa, offsetof(struct sockaddr_un, sun_path) + abstract + strlen(name)) < 0
	|| listen(s, 4) < 0)
		return -1;
	return s;
}

static int
unixdial(const char *name, int abstract)
{
	struct sockaddr_un sa;
	int s, r;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + abstract, name, strlen(name));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	r = connect(s, (struct sockaddr*)&sa, offsetof(struct sockaddr_un, sun_path) + abstract + strlen(name));
	close(s);
	return r;
}

static void
unixhold(void)
{
	int i;

	if(unixlisten("vxboxunix", 1) < 0 || unixlisten("/uxsock", 0) < 0)
		exit(1);
	close(open("/ready", O_WRONLY | O_CREAT, 0666));
	for(i = 0; i < 6000 && access("/done", F_OK) != 0; i++)
		usleep(10000);
	exit(0);
}

static void
unixprobe(void)
{
	int st;

	st = 0;
	if(unixdial("vxboxunix", 1) == 0)
		st |= 1;
	if(unixdial("/uxsock", 0) == 0)
		st |= 2;
	if(unixlisten("vxboxunix", 1) < 0)
		st |= 4;
	else if(unixdial("vxboxunix", 1) != 0)
		st |= 8;
	exit(st);
}

/* Wait for /done (the unit test's), at most a minute. */
static void
waitdone(void)
{
	int i;

	for(i = 0; i < 6000 && access("/done", F_OK) != 0; i++)
		usleep(10000);
}

static void
unixhog(void)
{
	char buf[32];
	int n, k, fd;

	n = 0;
	for(k = 0; k < 8; k++){
		while(socket(AF_UNIX, SOCK_STREAM, 0) >= 0)
			n++;
		if(errno != EMFILE)
			break;	/* no more conversations for this sandbox */
		/* a full fd table: a child goes on with a table of its own,
		 * the parent keeps what it holds */
		if(fork() != 0){
			waitdone();
			exit(0);
		}
		for(fd = 3; fd < 65536; fd++)
			close(fd);
	}
	snprintf(buf, sizeof buf, "%d %s", n, strerror(errno));
	fd = open("/ready", O_WRONLY | O_CREAT, 0666);
	write(fd, buf, strlen(buf));
	close(fd);
	waitdone();
	exit(0);
}

/* the exit status: 1 socket(AF_UNIX) fails, 2 socketpair fails */
static void
unixsocket(void)
{
	int sv[2], st;

	st = 0;
	if(socket(AF_UNIX, SOCK_STREAM, 0) < 0)
		st |= 1;
	if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		st |= 2;
	exit(st);
}

/* readlink of fd's /proc/self/fd entry, digits as N, and an open of it */
static void
fdentry(const char *what, int fd)
{
	char path[64], buf[512], *s;
	ssize_t n;
	int f;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	for(s = buf; *s; s++)
		if(*s >= '0' && *s <= '9'){
			*s = 'N';
			while(s[1] >= '0' && s[1] <= '9')
				memmove(s + 1, s + 2, strlen(s + 1));
		}
	f = open(path, O_RDONLY | O_NONBLOCK);
	printf("%s: %s, open %s\n", what, n < 0 ? strerror(errno) : buf, f >= 0 ? "ok" : strerror(errno));
	if(f >= 0)
		close(f);
}

static void
procfd(void)
{
	char buf[8];
	sigset_t m;
	int p[2], sv[2], f;
	ssize_t n;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	fdentry("epoll", epoll_create1(0));
	fdentry("eventfd", eventfd(0, 0));
	fdentry("timerfd", timerfd_create(CLOCK_MONOTONIC, 0));
	fdentry("signalfd", signalfd(-1, &m, 0));
	if(pipe(p) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0){
		fdentry("pipe", p[0]);
		fdentry("socket", sv[0]);
	}
	f = open("/proc/self/status", O_RDONLY);
	snprintf(buf, sizeof buf, "%d", f);
	{
		char path[64], l[512];

		snprintf(path, sizeof path, "/proc/self/fd/%d", f);
		n = readlink(path, l, sizeof l - 1);
		l[n > 0 ? n : 0] = 0;
		printf("a /proc file: %s\n", n > 0 && strncmp(l, "/proc/", 6) == 0 && strstr(l, "/status") != NULL
			? "named" : l);
	}
	f = open("/proc/self/exe", O_RDONLY);
	n = f >= 0 ? read(f, buf, 4) : -1;
	printf("/proc/self/exe: %s\n", n == 4 && memcmp(buf, "\177ELF", 4) == 0 ? "the program" : "not the program");
}

static sigjmp_buf edgejb;
static volatile unsigned long edgeaddr, edgeeip;
static volatile int edgesig, edgecode;

static void
onedge(int sig, siginfo_t *si, void *uc)
{
	edgesig = sig;
	edgecode = si->si_code;
	edgeaddr = (unsigned long)si->si_addr;
	edgeeip = ((ucontext_t *)uc)->uc_mcontext.gregs[14];	/* REG_EIP */
	siglongjmp(edgejb, 1);
}

/* Run the code at code; what stopped it, addresses from base (addr)
 * and from code (eip). */
static void
edgerun(const char *what, unsigned char *code, unsigned char *base)
{
	edgesig = 0;
	if(sigsetjmp(edgejb, 1) == 0){
		((void (*)(void))code)();
		printf("%s: returned\n", what);
		return;
	}
	printf("%s: signal %d code %d addr %s eip %+ld\n", what, edgesig, edgecode,
		edgeaddr == 0 ? "0" : edgeaddr == (unsigned long)code ? "the insn" : edgeaddr == (unsigned long)base ? "the page" : "elsewhere",
		(long)(edgeeip - (unsigned long)code));
}

static void
codeedge(void)
{
	static const unsigned char inv[][3] = {
		{ 0x0f, 0x0b }, { 0x0f, 0x04 }, { 0x0f, 0x0a }, { 0x0f, 0x24 }, { 0x0f, 0x38, 0xff },
		{ 0x0f, 0x3a, 0xff }, { 0xfe, 0xf8 }, { 0xff, 0xff }, { 0x0f, 0xff }, { 0x0f, 0xb9, 0x00 },
		{ 0x8d, 0xc0 }, { 0x0f, 0x00, 0xf8 }, { 0xf0, 0x90 }, { 0xf0, 0x01, 0xc0 },
	};
	struct sigaction sa;
	unsigned char *p, *end;
	char what[64];
	size_t i;
	int n;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = onedge;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED || munmap(p + 4096, 4096) < 0)
		return;
	end = p + 4096;
	end[-2] = 0xb8;		/* mov $imm32,%eax: 2 of its 5 bytes */
	end[-1] = 0x11;
	edgerun("mov cut after 2 bytes", end - 2, end);
	end[-1] = 0xb8;
	edgerun("mov cut after its opcode", end - 1, end);
	end[-1] = 0x74;
	edgerun("jcc cut before its displacement", end - 1, end);
	end[-1] = 0x0f;
	edgerun("0f cut", end - 1, end);
	memset(end - 8, 0x90, 8);
	edgerun("nops into the unmapped page", end - 8, end);
	memset(end - 6, 0x3e, 6);
	edgerun("prefixes into the unmapped page", end - 6, end);
	memset(end - 14, 0x2e, 13);	/* the 15th byte unmapped, 18 needed */
	end[-1] = 0x05;
	edgerun("prefixes, add $imm32 cut past 15 bytes", end - 14, end);
	for(n = 13; n <= 17; n++){
		memset(p, 0x66, n);
		p[n] = 0x90;
		p[n + 1] = 0xc3;
		snprintf(what, sizeof what, "%d prefixes and a nop", n);
		edgerun(what, p, end);
	}
	memset(p, 0x3e, 5);	/* 16 bytes: the immediate past the limit */
	memcpy(p + 5, "\x81\x84\x88\x00\x01\x00\x00\x01\x00\x00\x00\xc3", 12);
	edgerun("add $imm32 of 16 bytes", p, end);
	sigaction(SIGFPE, &sa, NULL);
	memcpy(p, "\xf7\xf1\xc3", 3);	/* div %ecx, %ecx 0 (the caller's ecx: set below) */
	memcpy(p + 8, "\x31\xc9\xe9", 3);	/* xor %ecx,%ecx; jmp p */
	*(int32_t *)(p + 11) = (int32_t)(p - (p + 15));
	edgerun("div by zero (from the jmp before)", p + 8, end);
	printf("  its eip: %s, si_addr: %s\n", edgeeip == (unsigned long)p ? "the div" : "elsewhere",
		edgeaddr == (unsigned long)p ? "the div" : "elsewhere");
	for(i = 0; i < sizeof inv / sizeof inv[0]; i++){
		memcpy(p, inv[i], 3);
		p[3] = 0xc3;
		snprintf(what, sizeof what, "%02x %02x %02x", inv[i][0], inv[i][1], inv[i][2]);
		edgerun(what, p, end);
	}
}

static void
sockopts(void)
{
	static const int sizes[] = { INT_MAX, -1, 1, 100000 };
	static const int opts[] = { SO_SNDBUF, SO_RCVBUF };
	struct timeval tv;
	struct linger lg;
	socklen_t l;
	int sv[2], v, i, k;

	if(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	for(k = 0; k < 2; k++)
		for(i = 0; i < 4; i++){
			v = sizes[i];
			errno = 0;
			printf("%s %d: %s", opts[k] == SO_SNDBUF ? "SO_SNDBUF" : "SO_RCVBUF", sizes[i],
				setsockopt(sv[0], SOL_SOCKET, opts[k], &v, sizeof v) < 0 ? strerror(errno) : "set");
			l = sizeof v;
			getsockopt(sv[0], SOL_SOCKET, opts[k], &v, &l);
			if(v >= 425984)	/* net.core's maximum doubled: the host's, at least Linux's default */
				printf(", the most\n");
			else
				printf(", %d\n", v);
		}
	v = 1;
	printf("length 0: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, 0) < 0 ? strerror(errno) : "set");
	printf("length 2: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, 2) < 0 ? strerror(errno) : "set");
	printf("bad pointer: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, (void *)BAD, 4) < 0 ? strerror(errno) : "set");
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	printf("timeout of -1 s: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ? strerror(errno) : "set");
	tv.tv_sec = 0;
	tv.tv_usec = 2000000;
	printf("timeout of 2000000 us: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0 ? strerror(errno) : "set");
	printf("timeout of 4 bytes: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 4) < 0 ? strerror(errno) : "set");
	lg.l_onoff = 1;
	lg.l_linger = -5;
	printf("linger of -5 s: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0 ? strerror(errno) : "set");
	printf("linger of 4 bytes: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, 4) < 0 ? strerror(errno) : "set");
}

static volatile uint16_t *smcflip;
static atomic_int smcstop;

static void *
smcflipper(void *a)
{
	(void)a;
	while(!atomic_load(&smcstop)){
		*smcflip = 0xd0f7;	/* f7 d0: not %eax */
		*smcflip = 0xa20f;	/* 0f a2: cpuid */
	}
	return NULL;
}

static void
smcrace(long n)
{
	unsigned char *p;
	pthread_t th;
	uint32_t a, c, d, b;
	long i, not, sandbox, other;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED)
		return;
	/* xor %ecx,%ecx; mov $1,%eax; not %eax or cpuid; ret */
	memcpy(p, "\x31\xc9\xb8\x01\x00\x00\x00\xf7\xd0\xc3", 10);
	smcflip = (volatile uint16_t *)(p + 7);
	pthread_create(&th, NULL, smcflipper, NULL);
	not = sandbox = other = 0;
	for(i = 0; i < n; i++){
		__asm__ volatile("push %%ebx\n call *%4\n mov %%ebx, %3\n pop %%ebx"
			: "=a"(a), "=c"(c), "=d"(d), "=m"(b) : "r"(p) : "memory");
		syscall(SYS_getppid);
		if(a == 0xfffffffe && c == 0)
			not++;
		else if(a != 1 && !(c & (1u << 26)))	/* the sandbox offers no XSAVE */
			sandbox++;
		else
			other++;
	}
	atomic_store(&smcstop, 1);
	pthread_join(th, NULL);
	printf("smcrace: %s\n", not + sandbox == n ? "each run not's or the sandbox's cpuid" : "other results");
	if(other)
		printf("%ld runs of %ld neither (the host's cpuid?)\n", other, n);
}

/* A vfork child shares its parent's memory: code the parent ran, that
 * the child rewrites (and runs, then exits or fails an exec), runs as
 * rewritten in the parent, as on Linux.  The parent kept its stale
 * translation when the child that changed the page had gone before
 * the parent ran again (its memory then had one user, which was taken
 * for the one that changed it). */
static void
vforksmc(void)
{
	static const unsigned char ret1[] = { 0xb8, 1, 0, 0, 0, 0xc3 }, ret2[] = { 0xb8, 2, 0, 0, 0, 0xc3 };
	unsigned char *p;
	int (*f)(void);
	int i, before, st;
	pid_t c;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED)
		return;
	f = (int (*)(void))p;
	for(i = 0; i < 3; i++){
		memcpy(p, ret1, sizeof ret1);
		before = f();
		c = vfork();
		if(c == 0){
			memcpy(p, ret2, sizeof ret2);
			if(i > 0)
				f();
			if(i > 1)
				execl("/nonexistent", "x", (char *)NULL);
			_exit(0);
		}
		waitpid(c, &st, 0);
		printf("vforksmc %d: %d then %d\n", i, before, f());
	}
}

/* Write a script file of n bytes. */
static void
script(const char *path, const char *text, size_t n)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if(fd < 0 || write(fd, text, n) != (ssize_t)n)
		printf("%s: cannot write\n", path);
	close(fd);
}

/* execve path with argv in a child; what became of it. */
static void
runscript(const char *what, char *path, char **argv)
{
	char *env[] = { NULL };
	int st;
	pid_t p;

	fflush(stdout);
	p = fork();
	if(p == 0){
		execve(path, argv, env);
		printf("%s: %s\n", what, strerror(errno));
		fflush(stdout);
		_exit(99);
	}
	waitpid(p, &st, 0);
}

static void
scripts(void)
{
	static char *many[5001];
	char buf[512], *one[] = { "x", NULL };
	int i;

	script("/tmp/n1", "#!/bin/guest_hostile argc\n", 26);
	for(i = 2; i <= 6; i++){
		snprintf(buf, sizeof buf, "#!/tmp/n%d\n", i - 1);
		snprintf(buf + 100, 32, "/tmp/n%d", i);
		script(buf + 100, buf, strlen(buf));
	}
	script("/tmp/self", "#!/tmp/self\n", 12);
	script("/tmp/nonl", "#!/bin/guest_hostile argc", 25);
	memset(buf, ' ', sizeof buf);
	memcpy(buf, "#!/bin/guest_hostile", 20);
	memcpy(buf + 400, "argc\n", 5);
	script("/tmp/long", buf, 405);
	memset(buf, 'y', sizeof buf);
	memcpy(buf, "#!/bin/guest_hostile  argc", 26);
	buf[404] = '\n';
	script("/tmp/longarg", buf, 405);
	memset(buf, 'e', sizeof buf);
	memcpy(buf, "#!/bin/", 7);
	buf[404] = '\n';
	script("/tmp/cut", buf, 405);
	runscript("5 nested", "/tmp/n5", one);
	runscript("6 nested", "/tmp/n6", one);
	runscript("itself", "/tmp/self", one);
	runscript("no newline", "/tmp/nonl", one);
	runscript("a long line", "/tmp/long", one);
	runscript("a long argument", "/tmp/longarg", one);
	runscript("the interpreter's name cut", "/tmp/cut", one);
	many[0] = "x";
	for(i = 1; i < 5000; i++){
		many[i] = malloc(8);
		snprintf(many[i], 8, "%d", i);
	}
	runscript("5000 arguments", "/tmp/n1", many);
}

/* rwrace: read, readv, pread, write and a pipe's read with a buffer
 * whose second page another thread takes away and gives back while the
 * call runs (mprotect to PROT_NONE, to read-only, munmap and mmap).  A
 * file's read stops at the page it cannot reach (session 23, rwmem):
 * whatever the race, the offset moves by exactly what the call says it
 * moved, the bytes before the page are the file's, a pread moves no
 * offset, a write's file holds what it said it wrote, and a pipe keeps
 * every byte the read did not take. */
enum { RWFILE = 65536, RWROUNDS = 1500 };
static char *rwbuf;
static atomic_int rwstop;
static long rwshort, rwfault;	/* how often the race hit (rwrace -v) */
static int rwmode;

static void *
rwflipper(void *a)
{
	char *pg;

	(void)a;
	pg = rwbuf + 4096;
	while(!atomic_load(&rwstop)){
		switch(rwmode){
		case 0:
			mprotect(pg, 4096, PROT_NONE);
			break;
		case 1:
			mprotect(pg, 4096, PROT_READ);
			break;
		case 2:
			munmap(pg, 4096);
			mmap(pg, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
		mprotect(pg, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

static int
rwpattern(long off)
{
	return (off * 7 + 3) & 0xff;
}

/* the n bytes at p are the file's from off */
static int
rwsame(const char *p, long off, long n)
{
	long i;

	for(i = 0; i < n; i++)
		if((unsigned char)p[i] != rwpattern(off + i))
			return 0;
	return 1;
}

static const char *
rwround(int fd, int wfd, int pfd[2], int procfd)
{
	static char safe[8192];
	struct iovec v[2];
	struct stat st;
	long r, pos, k;
	int q;

	/* read: 2048 bytes reachable whatever, 2048 more maybe */
	lseek(fd, 100, SEEK_SET);
	r = read(fd, rwbuf + 2048, 4096);
	pos = lseek(fd, 0, SEEK_CUR);
	rwshort += r == 2048;
	if(r < 2048 || r > 4096 || pos != 100 + r)
		return "read: count or offset";
	if(!rwsame(rwbuf + 2048, 100, 2048))
		return "read: the bytes before the page";
	/* readv across the page */
	lseek(fd, 300, SEEK_SET);
	v[0].iov_base = rwbuf + 4000;
	v[0].iov_len = 96;
	v[1].iov_base = rwbuf + 4096 + 10;
	v[1].iov_len = 100;
	r = readv(fd, v, 2);
	pos = lseek(fd, 0, SEEK_CUR);
	if((r != 96 && r != 196) || pos != 300 + r)
		return "readv: count or offset";
	if(!rwsame(rwbuf + 4000, 300, 96))
		return "readv: the first buffer";
	/* pread: no offset moves */
	lseek(fd, 5, SEEK_SET);
	r = pread(fd, rwbuf + 2048, 4096, 200);
	if(r < 2048 || r > 4096 || lseek(fd, 0, SEEK_CUR) != 5 || !rwsame(rwbuf + 2048, 200, 2048))
		return "pread: count, offset or bytes";
	/* write: the file holds what the call said it wrote */
	for(k = 0; k < 2048; k++)
		rwbuf[2048 + k] = rwpattern(k);
	if(ftruncate(wfd, 0) < 0 || lseek(wfd, 0, SEEK_SET) != 0)
		return "write: truncate";
	r = write(wfd, rwbuf + 2048, 4096);
	pos = lseek(wfd, 0, SEEK_CUR);
	if(fstat(wfd, &st) < 0 || r < 2048 || r > 4096 || pos != r || st.st_size != r)
		return "write: count, offset or size";
	if(pread(wfd, safe, 2048, 0) != 2048 || !rwsame(safe, 0, 2048))
		return "write: the bytes before the page";
	/* a pipe: what the read did not take is still there */
	for(k = 0; k < 4096; k++)
		safe[k] = rwpattern(k);
	if(write(pfd[1], safe, 4096) != 4096)
		return "pipe: write";
	r = read(pfd[0], rwbuf + 2048, 4096);
	rwfault += r < 0;
	if(r < 0 && errno != EFAULT)
		return "pipe: read error";
	if(ioctl(pfd[0], FIONREAD, &q) < 0 || q != 4096 - (r > 0 ? r : 0))
		return "pipe: bytes lost";
	if(r > 0 && !rwsame(rwbuf + 2048, 0, r < 2048 ? r : 2048))
		return "pipe: the bytes before the page";
	if(q > 0 && (read(pfd[0], safe, q) != q || !rwsame(safe, r > 0 ? r : 0, q)))
		return "pipe: the bytes left";
	/* /proc: the offset moves by what the read says */
	lseek(procfd, 0, SEEK_SET);
	r = read(procfd, rwbuf + 4096 - 16, 4096);
	pos = lseek(procfd, 0, SEEK_CUR);
	if(r < 16 || pos != r)
		return "/proc read: count or offset";
	return NULL;
}

/* Kernel devices copy into guest memory themselves (not the host's
 * read): a buffer whose second page is read-only takes only the bytes
 * before it, and the page keeps what it held (the host's fault handler
 * would otherwise make the page writable under the copy). */
static void
rwmarks(void)
{
	static const char *files[] = { "/proc/self/status", "/dev/zero", "/dev/urandom", "/tmp/rwrace" };
	char *pg;
	long r, k;
	int i, fd, kept;

	pg = rwbuf + 4096;
	for(i = 0; i < 4; i++){
		memset(pg, 'm', 4096);
		mprotect(pg, 4096, PROT_READ);
		fd = open(files[i], O_RDONLY);
		r = read(fd, pg - 16, 4096);
		for(kept = 1, k = 0; k < 4096; k++)
			kept &= pg[k] == 'm';
		printf("read of %s into a buffer with a read-only second page: %ld, the page kept: %d\n", files[i], r, kept);
		close(fd);
		mprotect(pg, 4096, PROT_READ | PROT_WRITE);
	}
}

static void
rwrace(int verbose)
{
	static const char *modes[] = { "PROT_NONE", "read-only", "munmap and mmap" };
	char data[RWFILE];
	const char *why;
	pthread_t th;
	int fd, wfd, pfd[2], procfd, i, m;

	for(i = 0; i < RWFILE; i++)
		data[i] = rwpattern(i);
	fd = open("/tmp/rwrace", O_RDWR | O_CREAT | O_TRUNC, 0600);
	wfd = open("/tmp/rwrace.w", O_RDWR | O_CREAT | O_TRUNC, 0600);
	procfd = open("/proc/self/status", O_RDONLY);
	rwbuf = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(fd < 0 || wfd < 0 || procfd < 0 || rwbuf == MAP_FAILED || pipe(pfd) < 0 || write(fd, data, RWFILE) != RWFILE){
		perror("rwrace");
		exit(1);
	}
	rwmarks();
	for(m = 0; m < 3; m++){
		rwmode = m;
		atomic_store(&rwstop, 0);
		if(pthread_create(&th, NULL, rwflipper, NULL) != 0)
			exit(1);
		why = NULL;
		for(i = 0; i < RWROUNDS && why == NULL; i++)
			why = rwround(fd, wfd, pfd, procfd);
		atomic_store(&rwstop, 1);
		pthread_join(th, NULL);
		printf("rwrace, second page %s: %s\n", modes[m], why != NULL ? why : "ok");
		if(verbose)
			fprintf(stderr, "%d rounds: %ld short reads, %ld pipe EFAULTs\n", i, rwshort, rwfault);
		rwshort = rwfault = 0;
	}
	unlink("/tmp/rwrace");
	unlink("/tmp/rwrace.w");
}

/* iovrace: the buffers of a sendmsg or recvmsg taken away by another
 * thread while the call runs.  The calls checked the iovecs, then read
 * them from guest memory again as they copied: a buffer unmapped
 * meanwhile gave the host a null pointer to copy to or from, and an
 * iov_len grown meanwhile copied past the host's buffer sized by the
 * first reading. */
enum { IOVBIG = 4 << 20 };
static int iovsv[2];
static struct msghdr iovmsg;
static struct iovec iovv[2];
static atomic_int iovflipping;

static void *
iovsender(void *a)
{
	long r;

	(void)a;
	r = sendmsg(iovsv[0], &iovmsg, 0);
	close(iovsv[0]);
	return (void*)(r > 0 && r <= IOVBIG + 16 || (r < 0 && errno == EFAULT) ? "ended" : "odd");
}

static void *
iovreceiver(void *a)
{
	long r;

	(void)a;
	r = recvmsg(iovsv[1], &iovmsg, MSG_WAITALL);
	return (void*)((r >= 0 && r <= 2) || (r < 0 && errno == EFAULT) ? "ended" : "odd");
}

/* (60000, buf), (1, buf), (1, BAD), (1, buf), …: checked as 1 and
 * read again as 60000, the host copied past its buffer; checked at buf
 * and read again as BAD, it copied from a null pointer */
static void *
iovflipper(void *a)
{
	static char buf[65536];
	volatile struct iovec *v = a;

	while(atomic_load(&iovflipping)){
		v->iov_len = 60000;
		v->iov_len = 1;
		v->iov_base = (void*)BAD;
		v->iov_base = buf;
	}
	return NULL;
}

static void
iovrace(void)
{
	char *big, *small, buf[65536];
	pthread_t th;
	void *how;
	long r, n;
	int i, fl;

	/* a stream sendmsg blocked on its first buffer; the second unmapped */
	big = mmap(NULL, IOVBIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	small = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(big == MAP_FAILED || small == MAP_FAILED || socketpair(AF_UNIX, SOCK_STREAM, 0, iovsv) < 0)
		return;
	iovv[0] = (struct iovec){ big, IOVBIG };
	iovv[1] = (struct iovec){ small, 16 };
	iovmsg = (struct msghdr){ .msg_iov = iovv, .msg_iovlen = 2 };
	if(pthread_create(&th, NULL, iovsender, NULL) != 0 || read(iovsv[1], buf, 1) != 1)
		return;
	munmap(small, 4096);	/* the sender is in its first buffer */
	for(n = 1; (r = read(iovsv[1], buf, sizeof buf)) > 0; n += r)
		;
	pthread_join(th, &how);
	printf("sendmsg from a buffer unmapped meanwhile: %s\n", (char*)how);
	close(iovsv[1]);

	/* a recvmsg waiting for all its bytes, its buffer unmapped meanwhile */
	small = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(small == MAP_FAILED || socketpair(AF_UNIX, SOCK_STREAM, 0, iovsv) < 0)
		return;
	iovv[0] = (struct iovec){ small, 2 };
	iovmsg = (struct msghdr){ .msg_iov = iovv, .msg_iovlen = 1 };
	if(pthread_create(&th, NULL, iovreceiver, NULL) != 0 || write(iovsv[0], "a", 1) != 1)
		return;
	do	/* until the receiver has the first byte */
		sched_yield();
	while(ioctl(iovsv[1], FIONREAD, &fl) == 0 && fl > 0);
	munmap(small, 4096);
	if(write(iovsv[0], "b", 1) != 1)
		return;
	pthread_join(th, &how);
	printf("recvmsg into a buffer unmapped meanwhile: %s\n", (char*)how);

	/* no iovecs: their address is not looked at (Linux) */
	iovmsg = (struct msghdr){ .msg_iov = (void*)BAD, .msg_iovlen = 0 };
	printf("readv and sendmsg of no iovecs at a bad address: %ld %ld\n",
		(long)readv(0, (void*)BAD, 0), (long)sendmsg(iovsv[0], &iovmsg, MSG_DONTWAIT));
	close(iovsv[0]);
	close(iovsv[1]);

	/* datagrams whose iovec another thread rewrites */
	if(socketpair(AF_UNIX, SOCK_DGRAM, 0, iovsv) < 0)
		return;
	iovv[0] = (struct iovec){ iovflipper, 1 };
	iovmsg = (struct msghdr){ .msg_iov = iovv, .msg_iovlen = 1 };
	atomic_store(&iovflipping, 1);
	if(pthread_create(&th, NULL, iovflipper, &iovv[0]) != 0)
		return;
	for(i = 0; i < 200000; i++){
		r = sendmsg(iovsv[0], &iovmsg, MSG_DONTWAIT);
		if(r < 0 && errno != EFAULT && errno != EAGAIN && errno != ENOBUFS)
			break;
		while(recv(iovsv[1], buf, sizeof buf, MSG_DONTWAIT) > 0)
			;
	}
	atomic_store(&iovflipping, 0);
	pthread_join(th, NULL);
	printf("sendmsg of datagrams with an iovec rewritten meanwhile: %s\n", i == 200000 ? "ended" : strerror(errno));
}

/* tsrace: rt_sigtimedwait's timeout unmapped and mapped again by
 * another thread: the call read it twice, the second time without
 * looking (a null pointer in the host). */
static char *volatile tspage;
static atomic_int tsracing;

static void *
tsflipper(void *a)
{
	(void)a;
	while(atomic_load(&tsracing)){
		munmap(tspage, 4096);
		mmap(tspage, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	return NULL;
}

static void
tsrace(void)
{
	pthread_t th;
	sigset_t set;
	long r;
	int i;

	tspage = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(tspage == MAP_FAILED)
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	atomic_store(&tsracing, 1);
	if(pthread_create(&th, NULL, tsflipper, NULL) != 0)
		return;
	for(i = 0; i < 300000; i++){
		r = syscall(SYS_rt_sigtimedwait, &set, NULL, tspage, 8);
		if(r >= 0 || (errno != EAGAIN && errno != EFAULT))
			break;
	}
	atomic_store(&tsracing, 0);
	pthread_join(th, NULL);
	printf("rt_sigtimedwait with its timeout unmapped and mapped meanwhile: %s\n", i == 300000 ? "ended" : "odd");
}

/* hugewait: waits of 2^63 - 1 seconds, relative and absolute, ended by
 * SIGALRM: EINTR, as natively (the host added the clock to the seconds
 * as a signed 64-bit sum: UBSan's overflow, and the deadline it made was
 * in the past, ETIMEDOUT at once). */
static void
onalrm(int sig)
{
	(void)sig;
}

static void
hugewait1(const char *what, long nr, long op)
{
	struct { int64_t sec; int32_t nsec, pad; } ts = { INT64_MAX, 0, 0 };
	static uint32_t word;
	sigset_t set;
	long r;

	alarm(1);
	if(nr == SYS_rt_sigtimedwait_time64){
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		r = syscall(nr, &set, NULL, &ts, 8);
	}else
		r = syscall(nr, &word, op, 0, &ts, NULL, ~0u);
	printf("%s: %s\n", what, r < 0 ? strerror(errno) : "succeeded");
	alarm(0);
}

static void
hugewait(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;
	sigaction(SIGALRM, &sa, NULL);
	hugewait1("futex_time64 wait of 2^63-1 s", SYS_futex_time64, FUTEX_WAIT);
	hugewait1("futex_time64 wait_bitset until 2^63-1 s", SYS_futex_time64, FUTEX_WAIT_BITSET);
	hugewait1("futex_time64 wait_bitset realtime until 2^63-1 s", SYS_futex_time64, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME);
	hugewait1("rt_sigtimedwait_time64 of 2^63-1 s", SYS_rt_sigtimedwait_time64, 0);
}

/* pollrace: a poll waiting on a pipe whose fd another thread rewrites
 * to 0x7fff0000 before the pipe's writer closes: the host read the fd
 * again after the wait and indexed its fd table with it (a read far
 * past it).  Linux reports the pipe's POLLHUP.  A round in which the
 * rewrite came before the poll looked (POLLNVAL, at once: it waited for
 * ever) is tried again.  Then polls of fds not open: POLLNVAL at once. */
static struct pollfd prfd;
static int prpipe[2];
static atomic_int prstarted;

static void *
prpoller(void *a)
{
	(void)a;
	atomic_store(&prstarted, 1);
	return (void*)(long)poll(&prfd, 1, -1);
}

static void
pollrace(void)
{
	pthread_t th;
	void *r;
	int i, k;

	for(i = 0; i < 100; i++){
		if(pipe(prpipe) < 0)
			return;
		prfd = (struct pollfd){ .fd = prpipe[0], .events = POLLIN };
		atomic_store(&prstarted, 0);
		if(pthread_create(&th, NULL, prpoller, NULL) != 0)
			return;
		while(!atomic_load(&prstarted))
			sched_yield();
		for(k = 0; k < 100; k++)
			sched_yield();
		*(volatile int*)&prfd.fd = 0x7fff0000;
		close(prpipe[1]);
		pthread_join(th, &r);
		close(prpipe[0]);
		if(!(prfd.revents & POLLNVAL)){
			printf("poll whose fd was rewritten while it waited: %ld, %s\n", (long)r,
				prfd.revents == POLLHUP ? "POLLHUP" : "other");
			return;
		}
	}
	printf("poll whose fd was rewritten while it waited: never waited\n");
}

static void
pollnval(void)
{
	struct pollfd p[2] = { { .fd = 500, .events = POLLIN }, { .fd = -1 } };
	int r;

	r = poll(p, 2, -1);
	printf("poll of fd 500, not open, without timeout: %d, revents %#x\n", r, p[0].revents);
	p[0].fd = 0x7fff0000;
	r = poll(p, 1, 100000);
	printf("poll of fd 0x7fff0000: %d, revents %#x\n", r, p[0].revents);
}

/* bigargs: execve's arguments at and past the loader's bounds.  An
 * argument of 5000 or 100000 bytes runs (each was EFAULT: strings were
 * read as paths, 4095 bytes at most); argv and envp of 8191 strings of
 * 4 KiB each are E2BIG from 16 threads at once, and the host must not
 * have copied them first (64 MiB of host memory each; vxinferno_hostile.t
 * measures its peak). */
static char *bigv[8192];

static void *
bigexec(void *a)
{
	(void)a;
	execve("/bin/guest_hostile", bigv, bigv);
	return (void*)(long)errno;
}

static void
bigarg(long len)
{
	char *arg, *v[4];
	pid_t p;
	int st;

	arg = malloc(len + 1);
	memset(arg, 'x', len);
	memcpy(arg, "argc", 4);
	arg[len] = 0;
	v[0] = self;
	v[1] = arg;
	v[2] = "end";
	v[3] = NULL;
	fflush(stdout);
	if((p = fork()) == 0){
		execve("/bin/guest_hostile", v, v + 3);
		printf("an argument of %ld bytes: %s\n", len, strerror(errno));
		fflush(stdout);
		_exit(1);
	}
	waitpid(p, &st, 0);
	free(arg);
}

/* zombies: children that exit and are never reaped.  Each is a process
 * the host keeps, and they were not counted in the sandbox's threads
 * (-P): 3,000 of them under -P 64.  Linux counts zombies in
 * RLIMIT_NPROC; so must the sandbox, and reaping them gives room back. */
static void
zombies(void)
{
	int i, err = 0;
	pid_t p;

	for(i = 0; i < 3000; i++){
		p = fork();
		if(p == 0)
			_exit(0);
		if(p < 0){
			err = errno;
			break;
		}
	}
	printf("zombies: %s\n", i == 3000 ? "3000, no bound" : err == EAGAIN ? "stopped, EAGAIN" : strerror(err));
	printf("zombies made: %s\n", i < 64 ? "fewer than 64" : "64 or more");
	while(wait(NULL) > 0)
		;
	p = fork();
	if(p == 0)
		_exit(0);
	printf("fork after reaping: %s\n", p > 0 && waitpid(p, NULL, 0) == p ? "works" : strerror(errno));
}

/* cachegrow: every guest thread has its own translations of the code it
 * runs (a code cache of up to 32 MiB and its metadata, several times
 * that), host memory charged to nothing: 8 threads running the same
 * 4 MiB of code took 600 MiB of the host under -M 64, 16 running 8 MiB
 * 2.3 GB.  The threads run it and end; the host's peak is measured. */
static unsigned char *cgcode;

static void *
cgrun(void *a)
{
	((void (*)(void))cgcode)();
	return a;
}

static void
cachegrow(void)
{
	enum { NT = 8, CODE = 4 << 20 };
	pthread_t th[NT];
	pthread_attr_t at;
	int i, n = 0;

	cgcode = mmap(NULL, CODE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(cgcode == MAP_FAILED)
		return;
	memset(cgcode, 0x40, CODE);	/* inc %eax, 4 Mi times, then ret */
	cgcode[CODE - 1] = 0xc3;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	for(i = 0; i < NT; i++)
		if(pthread_create(&th[i], &at, cgrun, NULL) == 0)
			n++;
		else
			th[i] = 0;
	for(i = 0; i < NT; i++)
		if(th[i] != 0)
			pthread_join(th[i], NULL);
	printf("threads running 4 MiB of code: %s\n", n > 0 ? "ran" : "none started");
}

/* imgcache: programs run from a file no host file holds (a 9P mount
 * served by a thread of ours) are copied whole into host memory (a
 * memfd) and kept for the next exec of the same file.  Those copies
 * were charged to nothing: 40 such programs of 8 MiB, each refused
 * (not ELF) after its copy, left 256 MiB of host memory held by a
 * sandbox bounded to 32 (-M 32), and up to 8 GiB for one of any bound. */
enum { IMGSIZE = 8 << 20, NIMGS = 40, IMGBIG = 1000 };

/* the length of image k-1 (/n/i1000 is 48 MiB, the others 8) */
static uint32_t
imgsize(unsigned k)
{
	return k == IMGBIG + 1 ? 48 << 20 : IMGSIZE;
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* the image server's answer to the request in b */
static long
imganswer(unsigned char *b, unsigned char *r, uint32_t msize)
{
	static unsigned fidimg[64];
	uint32_t fid = b[7] | b[8] << 8 | b[9] << 16 | (uint32_t)b[10] << 24, cnt;
	uint64_t off;
	long n = 7;
	int i, nw;

	r[4] = b[4] + 1;
	r[5] = b[5];
	r[6] = b[6];
	switch(b[4]){
	case 110:	/* Twalk fid newfid nwname name…: /iN is image N, qid path N+1 */
		nw = b[15] | b[16] << 8;
		i = b[11] & 63;
		if(nw == 1){
			int len = b[17] | b[18] << 8;
			char name[16];
			if(len < 2 || len > 10 || b[19] != 'i')
				goto err;
			memcpy(name, b + 20, len - 1);
			name[len - 1] = 0;
			fidimg[i] = atoi(name) + 1;
		}else if(nw == 0)
			fidimg[i] = fidimg[fid & 63];
		else
			goto err;
		put16(r + 7, nw);
		memset(r + 9, 0, 13 * nw);
		if(nw)
			put32(r + 9 + 5, fidimg[i]);
		n = 9 + 13 * nw;
		break;
	case 124: {	/* Tstat: a program of IMGSIZE bytes (or the directory) */
		unsigned char *d = r + 9;
		memset(d, 0, 2 + 2 + 4 + 13 + 4 + 4 + 4 + 8 + 4 * 2);
		d[8] = fidimg[fid & 63] ? 0 : 0x80;
		put32(d + 8 + 5, fidimg[fid & 63]);
		put32(d + 21, fidimg[fid & 63] ? 0755 : 0x80000000u | 0755);
		put32(d + 33, fidimg[fid & 63] ? imgsize(fidimg[fid & 63]) : 0);
		put16(d, 2 + 4 + 13 + 4 + 4 + 4 + 8 + 4 * 2);
		put16(r + 7, 2 + 2 + 4 + 13 + 4 + 4 + 4 + 8 + 4 * 2);
		n = 9 + 2 + 2 + 4 + 13 + 4 + 4 + 4 + 8 + 4 * 2;
		break;
	}
	case 112:	/* Topen: Ropen qid iounit */
		memset(r + 7, 0, 17);
		n = 24;
		break;
	case 116:	/* Tread fid offset count: zeros */
		off = b[11] | b[12] << 8 | b[13] << 16 | (uint64_t)b[14] << 24;
		cnt = b[19] | b[20] << 8 | b[21] << 16 | (uint32_t)b[22] << 24;
		if(cnt > msize - 11)
			cnt = msize - 11;
		if(off >= imgsize(fidimg[fid & 63]))
			cnt = 0;
		else if(cnt > imgsize(fidimg[fid & 63]) - off)
			cnt = imgsize(fidimg[fid & 63]) - off;
		put32(r + 7, cnt);
		memset(r + 11, 0, cnt);
		n = 11 + cnt;
		break;
	case 120:	/* Tclunk */
		fidimg[fid & 63] = 0;
		break;
	default:
	err:
		r[4] = 107;
		put16(r + 7, 2);
		r[9] = 'n';
		r[10] = 'o';
		n = 11;
		break;
	}
	put32(r, n);
	return n;
}

static void *
imgserver(void *a)
{
	static unsigned char b[1 << 17], r[1 << 17];
	unsigned char rattach[20] = { 20, 0, 0, 0, 105 };
	int fd = (int)(intptr_t)a;
	uint32_t msize;
	long n;

	if(readmsg9(fd, b, sizeof b) < 0)
		return NULL;
	msize = b[7] | b[8] << 8 | b[9] << 16 | (uint32_t)b[10] << 24;	/* the client's, echoed */
	if(msize > sizeof r)
		msize = sizeof r;
	b[4] = 101;
	put32(b + 7, msize);
	if(write(fd, b, b[0] | b[1] << 8) < 0 || readmsg9(fd, b, sizeof b) < 0)
		return NULL;
	rattach[5] = b[5];
	rattach[6] = b[6];
	rattach[7] = 0x80;
	if(write(fd, rattach, sizeof rattach) != sizeof rattach)
		return NULL;
	while(readmsg9(fd, b, sizeof b) > 0){
		n = imganswer(b, r, msize);
		if(write(fd, r, n) != n)
			break;
	}
	return NULL;
}

static void
imgcache(int big)
{
	char path[16], *av[] = { "img", NULL }, c;
	int p[2], i, noexec = 0, other = 0;
	pthread_t th;

	if(socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0 || pthread_create(&th, NULL, imgserver, (void*)(intptr_t)p[1]) != 0)
		return;
	if(syscall(0x7001, p[0], -1, "/n", 0, "") < 0){
		printf("mount: %s\n", strerror(errno));
		return;
	}
	if(big){	/* one of 48 MiB, past the sandbox's -M 32 while it is copied */
		execve("/n/i1000", av, av + 1);
		printf("a program of 48 MiB from a mount under -M 32: %s\n", strerror(errno));
		return;
	}
	for(i = 0; i < NIMGS; i++){
		snprintf(path, sizeof path, "/n/i%d", i);
		execve(path, av, av + 1);
		if(errno == ENOEXEC)
			noexec++;
		else
			other = errno;
	}
	printf("%d programs of 8 MiB from a mount: %s\n", NIMGS, noexec == NIMGS ? "each not ELF" : strerror(other));
	fflush(stdout);
	while(read(0, &c, 1) > 0)	/* held until stdin ends, for the host to be measured */
		;
}

static void
bigargs(void)
{
	static char s[4096];
	pthread_t th[16];
	void *r;
	int i;

	bigarg(5000);
	bigarg(100000);
	memset(s, 'x', sizeof s - 1);
	for(i = 0; i < 8191; i++)
		bigv[i] = s;
	for(i = 0; i < 16; i++)
		if(pthread_create(&th[i], NULL, bigexec, NULL) != 0)
			return;
	for(i = 0; i < 16; i++){
		pthread_join(th[i], &r);
		if(i == 0)
			printf("argv and envp of 8191 strings of 4 KiB, 16 threads: %s\n", strerror((long)r));
	}
}

/*
 * fpurace: fnstenv, fnsave and fxsave store the last x87 instruction's
 * address, which in a sandbox is the code cache's.  Until session 21 the
 * translation stored over it after the instruction: a thread making the
 * image's page read-only between the two had the fault's handler find the
 * host address there (compat: at once, long: within some 100000 tries).
 * The handler checks the pointer after each fault; it must be 0 or in the
 * program; a failure says what it read and at which try.  The image is
 * cleared before each instruction's turn: a fault on fxsave's first try
 * read fnsave's tag word (0xffffffff) where fxsave has its pointer, a
 * false alarm about one run in 30 in the sandbox under load (session 23).
 * Then a signal frame's FXSAVE area: its selectors and the pointers'
 * upper halves are 0, as an x86-64 Linux's frame has them (the
 * sandbox gave its own selectors, 0x33 or an LDT one).
 */
extern char __executable_start[], etext[];
static uint8_t *fpuimg;
static int fpuipoff;
static atomic_int fpustop;
static volatile long fpufaults, fpuforeign;
static volatile uint32_t fpuseen;
static uint8_t fpuframe[16];
enum { FPUTRIES = 300000 };

static void
fpusegv(int sig)
{
	uint32_t a;

	(void)sig;
	memcpy(&a, fpuimg + fpuipoff, 4);
	fpufaults++;
	if(a != 0 && (a < (uint32_t)(uintptr_t)__executable_start || a >= (uint32_t)(uintptr_t)etext)){
		fpuforeign++;
		fpuseen = a;
	}
}

static void *
fputoggle(void *arg)
{
	(void)arg;
	while(!atomic_load(&fpustop)){
		mprotect(fpuimg, 4096, PROT_READ);
		mprotect(fpuimg, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

static void
fpuframesig(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	uint8_t *fp = (uint8_t*)((ucontext_t*)uc)->uc_mcontext.fpregs;

	memcpy(fpuframe, fp + 112 + 8, 16);
	fp[4] &= (uint8_t)~0x84;	/* the division's exception, and ES, */
	fp[112 + 2] &= (uint8_t)~0x84;	/* not raised again after the return */
}

static void
fpurace(void)
{
	static const char *what[3] = { "fnstenv", "fnsave", "fxsave" };
	static double one = 1.5, out;
	struct sigaction sa;
	pthread_t th;
	long i;
	int k;

	fpuimg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fpusegv;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	for(k = 0; k < 3; k++){
		fpuipoff = k < 2 ? 12 : 8;
		fpufaults = fpuforeign = 0;
		/* a fault on the first try finds what the last phase left:
		 * fnsave's tag word (0xffff, empty) where fxsave has FIP */
		memset(fpuimg, 0, 4096);
		atomic_store(&fpustop, 0);
		pthread_create(&th, NULL, fputoggle, NULL);
		for(i = 0; i < FPUTRIES && !fpuforeign; i++){
			if(k == 0)
				__asm__ volatile("fldl %0\n\tfstpl %1\n\tfnstenv (%2)" :: "m"(one), "m"(out), "r"(fpuimg) : "memory");
			else if(k == 1)
				__asm__ volatile("fldl %0\n\tfstpl %1\n\tfnsave (%2)\n\tfninit" :: "m"(one), "m"(out), "r"(fpuimg) : "memory");
			else
				__asm__ volatile("fldl %0\n\tfstpl %1\n\tfxsave (%2)" :: "m"(one), "m"(out), "r"(fpuimg) : "memory");
		}
		atomic_store(&fpustop, 1);
		pthread_join(th, NULL);
		if(fpuforeign)
			printf("%s under a racing mprotect: a host address seen (%08x, try %ld)\n", what[k], fpuseen, i - 1);
		else
			printf("%s under a racing mprotect: no host address\n", what[k]);
		if(getenv("FPUCOUNT") != NULL)
			fprintf(stderr, "%ld tries, %ld faults\n", i, fpufaults);
	}
	signal(SIGSEGV, SIG_DFL);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fpuframesig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	/* an exception pending (AMD's fxsave stores the pointers and
	 * selectors only then): a division by zero, unmasked */
	{
		static double zero;
		uint16_t cw = 0x037b;
		__asm__ volatile("fldcw %0\n\tfld1\n\tfdivl %1" :: "m"(cw), "m"(zero) : "memory");
	}
	raise(SIGUSR1);
	__asm__ volatile("fninit");
	printf("signal frame's fxsave: cs %02x%02x%02x%02x ds %02x%02x%02x%02x\n", fpuframe[7], fpuframe[6], fpuframe[5], fpuframe[4],
		fpuframe[15], fpuframe[14], fpuframe[13], fpuframe[12]);
}

/*
 * retflush N: returns into 24 new KiB of code a round, then a write to
 * code it ran while another thread lives (the next exit flushes the
 * cache), N rounds, after a million rets (a long-engine Vx then uses
 * its own return table, tests/guest/retto.h).  Each round's returns
 * wrote entries in 24 and more new pages of the table; a flush cleared
 * them with stores and stopped charging them, though they stayed
 * resident: the host grew by 100 KiB a round past any -M bound.
 */
static void *
retidle(void *arg)
{
	(void)arg;
	for(;;)
		pause();
	return NULL;
}

static void
retflush(int rounds)
{
	size_t size = (size_t)rounds * 24 * 1024 + 4096;
	unsigned char *code, *w;
	pthread_t t;
	int r, k;

	code = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	w = mmap(NULL, (size_t)rounds * 4096 + 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(code == MAP_FAILED || w == MAP_FAILED){
		printf("retflush: mmap: %s\n", strerror(errno));
		exit(1);
	}
	for(k = 0; k < rounds * 24; k++){	/* mov $0, %eax; ret */
		code[k * 1024] = 0xb8;
		code[k * 1024 + 5] = 0xc3;
	}
	for(k = 0; k < rounds; k++){
		w[k * 4096] = 0xb8;
		w[k * 4096 + 5] = 0xc3;
	}
	pthread_create(&t, NULL, retidle, NULL);
	retwarm();
	for(r = 0; r < rounds; r++){
		for(k = 0; k < 24; k++)
			retto(code + ((size_t)r * 24 + k) * 1024);
		retto(w + (size_t)r * 4096);
		w[(size_t)r * 4096 + 1]++;	/* translated code written */
		getppid();			/* an exit: the flush */
	}
	printf("retflush: %d rounds\n", rounds);
	fflush(stdout);
	_exit(0);
}

int
main(int argc, char **argv)
{
	if(argc < 2)
		return 2;
	self = argv[0];
	if(strcmp(argv[1], "execdone") == 0)
		return 7;
	if(strncmp(argv[1], "argc", 4) == 0){	/* an interpreter of scripts' */
		printf("argc %d, argument of %zu bytes, last %s\n", argc, strlen(argv[1]), argv[argc - 1]);
		return 0;
	}
	if(argv[1][0] == '/'){	/* an interpreter given no argument */
		printf("argc %d, no argument, last %s\n", argc, argv[argc - 1]);
		return 0;
	}
	if(strcmp(argv[1], "ptr") == 0)
		ptr();
	else if(strcmp(argv[1], "frame") == 0)
		frame();
	else if(strcmp(argv[1], "badframe") == 0)
		badframe();
	else if(strcmp(argv[1], "tls") == 0)
		tls();
	else if(strcmp(argv[1], "walkrace") == 0 && argc > 3)
		walkrace(argv[2], atoi(argv[3]));
	else if(strcmp(argv[1], "path") == 0)
		path();
	else if(strcmp(argv[1], "dial") == 0)
		dial();
	else if(strcmp(argv[1], "fuzzfound") == 0)
		fuzzfound();
	else if(strcmp(argv[1], "mountpipe") == 0)
		mountpipe();
	else if(strcmp(argv[1], "mountsilent") == 0)
		mountsilent();
	else if(strcmp(argv[1], "mountdeaf") == 0)
		mountdeaf();
	else if(strcmp(argv[1], "shrunk") == 0)
		shrunk();
	else if(strcmp(argv[1], "roshared") == 0)
		roshared();
	else if(strcmp(argv[1], "roprotect") == 0)
		roprotect();
	else if(strcmp(argv[1], "mapmany") == 0)
		mapmany();
	else if(strcmp(argv[1], "procrace") == 0)
		procrace();
	else if(strcmp(argv[1], "mapcount") == 0)
		mapcount();
	else if(strcmp(argv[1], "altstack") == 0)
		altstack();
	else if(strcmp(argv[1], "retflush") == 0)
		retflush(argc > 2 ? atoi(argv[2]) : 2000);
	else if(strcmp(argv[1], "timers") == 0)
		timers(0);
	else if(strcmp(argv[1], "nstimers") == 0)
		timers(1);
	else if(strcmp(argv[1], "rightsloop") == 0)
		rightsloop();
	else if(strcmp(argv[1], "smcrace") == 0)
		smcrace(argc > 2 ? atol(argv[2]) : 3000000);
	else if(strcmp(argv[1], "sockopts") == 0)
		sockopts();
	else if(strcmp(argv[1], "codeedge") == 0)
		codeedge();
	else if(strcmp(argv[1], "scripts") == 0)
		scripts();
	else if(strcmp(argv[1], "procfd") == 0)
		procfd();
	else if(strcmp(argv[1], "unixhold") == 0)
		unixhold();
	else if(strcmp(argv[1], "unixprobe") == 0)
		unixprobe();
	else if(strcmp(argv[1], "iovrace") == 0)
		iovrace();
	else if(strcmp(argv[1], "rwrace") == 0)
		rwrace(argc > 2);
	else if(strcmp(argv[1], "tsrace") == 0)
		tsrace();
	else if(strcmp(argv[1], "hugewait") == 0)
		hugewait();
	else if(strcmp(argv[1], "bigargs") == 0)
		bigargs();
	else if(strcmp(argv[1], "pollrace") == 0){
		pollrace();
		pollnval();
	}
	else if(strcmp(argv[1], "mountmany") == 0)
		mountmany(argc > 2 && strcmp(argv[2], "live") == 0);
	else if(strcmp(argv[1], "epollmany") == 0)
		epollmany();
	else if(strcmp(argv[1], "unixhog") == 0)
		unixhog();
	else if(strcmp(argv[1], "unixsocket") == 0)
		unixsocket();
	else if(strcmp(argv[1], "imgcache") == 0)
		imgcache(argc > 2 && strcmp(argv[2], "big") == 0);
	else if(strcmp(argv[1], "cachegrow") == 0)
		cachegrow();
	else if(strcmp(argv[1], "zombies") == 0)
		zombies();
	else if(strcmp(argv[1], "vforksmc") == 0)
		vforksmc();
	else if(strcmp(argv[1], "vforkfds") == 0 && argc > 2)
		vforkfds(atol(argv[2]));
	else if(strcmp(argv[1], "shrunkmany") == 0 && argc > 2)
		shrunkmany(atol(argv[2]));
	else if(strcmp(argv[1], "fpurace") == 0)
		fpurace();
	return 0;
}
