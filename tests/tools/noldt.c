/*
 * noldt — run a command on this host as if its kernel had no LDT
 * (CONFIG_MODIFY_LDT_SYSCALL off, a hardening choice): a seccomp filter
 * makes modify_ldt fail with ENOSYS for the command and its children.
 * The compat engine then cannot run, which shows that vxinferno and its
 * tests fall back to the long engine, naming what is missing.
 *
 *	noldt cmd [args...]
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int
main(int argc, char **argv)
{
	struct sock_filter f[] = {
		/* only x86-64 system calls are filtered: the sandbox makes no other */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_modify_ldt, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof f / sizeof f[0], f };

	if(argc < 2){
		fprintf(stderr, "usage: noldt cmd [args...]\n");
		return 2;
	}
	if(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	   prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0){
		fprintf(stderr, "noldt: seccomp: %s\n", strerror(errno));
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "noldt: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
