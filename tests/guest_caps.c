/*
 * guest_caps.c — capget and capset as a process holding no capability
 * sees them, run under the reference with every capability dropped
 * (tests/vxinferno_caps.t) and under vxinferno; the outputs must match:
 * the three versions, an unknown one (EINVAL, the kernel's written
 * back; a probe with no data pointer succeeds), pid 0, its own pid, a
 * child's, one that does not exist (ESRCH), a negative one (EINVAL),
 * bad pointers (EFAULT); capset keeping the sets empty (succeeds, also
 * with a bit above CAP_LAST_CAP), raising any (EPERM), on another
 * process (EPERM); prctl's capability calls; /proc/self/status's Cap
 * lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct __user_cap_header_struct Hdr;
typedef struct __user_cap_data_struct Data;

static void
say(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

static long
capget(void *h, void *d)
{
	return syscall(SYS_capget, h, d);
}

static long
capset(void *h, void *d)
{
	return syscall(SYS_capset, h, d);
}

/* capget of pid with version v: the answer and the words */
static void
get(const char *what, unsigned v, int pid)
{
	Hdr h = { v, pid };
	Data d[2];
	long r;

	memset(d, 0xa5, sizeof d);
	r = capget(&h, d);
	printf("%s: %ld %s version %#x", what, r, r < 0 ? strerrorname_np(errno) : "", h.version);
	if(r == 0)	/* (qemu writes the data after an error too) */
		printf(" eff %#x/%#x prm %#x/%#x inh %#x/%#x", d[0].effective, d[1].effective,
			d[0].permitted, d[1].permitted, d[0].inheritable, d[1].inheritable);
	printf("\n");
}

static void
set(const char *what, unsigned v, int pid, unsigned eff, unsigned prm, unsigned inh, unsigned hi)
{
	Hdr h = { v, pid };
	Data d[2] = { { eff, prm, inh }, { hi, hi, hi } };
	long r;

	r = capset(&h, d);
	printf("%s: %ld %s version %#x\n", what, r, r < 0 ? strerrorname_np(errno) : "", h.version);
}

/* /proc/self/status's capability lines, as capget's */
static void
status(void)
{
	char line[256];
	FILE *f;

	if((f = fopen("/proc/self/status", "r")) == NULL){
		printf("/proc/self/status: %s\n", strerrorname_np(errno));
		return;
	}
	while(fgets(line, sizeof line, f) != NULL)
		if(strncmp(line, "Cap", 3) == 0 || strncmp(line, "NoNewPrivs", 10) == 0)
			fputs(line, stdout);
	fclose(f);
}

int
main(void)
{
	Hdr h;
	char *none;
	int child, me;

	setvbuf(stdout, NULL, _IONBF, 0);
	me = getpid();
	none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	get("v1, pid 0", _LINUX_CAPABILITY_VERSION_1, 0);
	get("v2, pid 0", _LINUX_CAPABILITY_VERSION_2, 0);
	get("v3, pid 0", _LINUX_CAPABILITY_VERSION_3, 0);
	get("v3, own pid", _LINUX_CAPABILITY_VERSION_3, me);
	get("unknown version", 0x12345678, 0);
	get("version 0", 0, 0);
	h = (Hdr){ 0, 0 };
	say("probe with no data", capget(&h, NULL));
	printf("  version written back %#x\n", h.version);
	h = (Hdr){ _LINUX_CAPABILITY_VERSION_3, 0 };
	say("v3 with no data", capget(&h, NULL));
	h = (Hdr){ _LINUX_CAPABILITY_VERSION_1, 0x7ffffff0 };
	say("v1 with no data, no such pid", capget(&h, NULL));
	get("no such pid", _LINUX_CAPABILITY_VERSION_3, 0x7ffffff0);
	get("pid -1", _LINUX_CAPABILITY_VERSION_3, -1);
	child = fork();
	if(child == 0){
		pause();
		_exit(0);
	}
	get("a child", _LINUX_CAPABILITY_VERSION_3, child);
	set("capset on a child", _LINUX_CAPABILITY_VERSION_3, child, 0, 0, 0, 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	get("a reaped child", _LINUX_CAPABILITY_VERSION_3, child);
	say("header unmapped", capget(none, NULL));
	h = (Hdr){ _LINUX_CAPABILITY_VERSION_3, 0 };
	say("data unmapped", capget(&h, none));
	say("data at 1", capget(&h, (void *)1));
	say("capset, header unmapped", capset(none, none));
	say("capset, data unmapped", capset(&h, none));

	set("capset v3 of nothing", _LINUX_CAPABILITY_VERSION_3, 0, 0, 0, 0, 0);
	set("capset v1 of nothing, own pid", _LINUX_CAPABILITY_VERSION_1, me, 0, 0, 0, 0);
	set("capset v2 of nothing", _LINUX_CAPABILITY_VERSION_2, 0, 0, 0, 0, 0);
	set("capset with a bit above the last", _LINUX_CAPABILITY_VERSION_3, 0, 0, 0, 0, 0x80000000);
	set("capset raising CAP_NET_BIND_SERVICE", _LINUX_CAPABILITY_VERSION_3, 0, 1u << CAP_NET_BIND_SERVICE, 1u << CAP_NET_BIND_SERVICE, 0, 0);
	set("capset raising an inheritable", _LINUX_CAPABILITY_VERSION_3, 0, 0, 0, 1u << CAP_KILL, 0);
	set("capset raising CAP_SYSLOG (second word)", _LINUX_CAPABILITY_VERSION_3, 0, 0, 0, 0, 1u << (CAP_SYSLOG - 32));
	set("capset, unknown version", 0x1, 0, 0, 0, 0, 0);
	set("capset on pid 1", _LINUX_CAPABILITY_VERSION_3, 1, 0, 0, 0, 0);
	get("and after", _LINUX_CAPABILITY_VERSION_3, 0);

	say("PR_CAPBSET_READ CAP_CHOWN", prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0));
	say("PR_CAPBSET_READ 64", prctl(PR_CAPBSET_READ, 64, 0, 0, 0));
	say("PR_CAPBSET_DROP CAP_CHOWN", prctl(PR_CAPBSET_DROP, CAP_CHOWN, 0, 0, 0));
	say("PR_CAP_AMBIENT_IS_SET CAP_CHOWN", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0));
	say("PR_CAP_AMBIENT_RAISE CAP_CHOWN", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
	say("PR_CAP_AMBIENT_LOWER CAP_CHOWN", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_CHOWN, 0, 0));
	say("PR_CAP_AMBIENT_CLEAR_ALL", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
	say("PR_CAP_AMBIENT_CLEAR_ALL with an argument", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
	say("PR_CAP_AMBIENT_IS_SET 64", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 64, 0, 0));
	say("PR_CAP_AMBIENT 9", prctl(PR_CAP_AMBIENT, 9, 0, 0, 0));
	say("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	status();
	return 0;
}
