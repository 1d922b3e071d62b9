/*
 * vxguest.h — Inferno operations for guest programs (Linux i386 ABI
 * under vxinferno): bind, mount, unmount, errstr and dial are system
 * calls in a private range, made with int $0x80 like any other.  Results follow the
 * Linux convention: >= 0 on success, -errno on failure; vx_errstr gives
 * the kernel's error string of the last failed call of the thread.  Under
 * a real Linux kernel these numbers are unknown: -ENOSYS.
 *
 * The guest side of the extension-call ABI (doc/guest-abi.md); also
 * included by vxrun/linux.c for the numbers (no code is shared).
 */
#ifndef VXGUEST_H
#define VXGUEST_H

#define VX_SYS_BASE	0x7000
#define VX_SYS_BIND	0x7000	/* bind(new, old, flags) */
#define VX_SYS_MOUNT	0x7001	/* mount(fd, afd, old, flags, spec) */
#define VX_SYS_UNMOUNT	0x7002	/* unmount(new or NULL, old) */
#define VX_SYS_ERRSTR	0x7003	/* errstr(buf, n): copy out the error string */
#define VX_SYS_DIAL	0x7004	/* dial(addr): an fd connected to tcp!host!port or unix!/path */

/* bind and mount flags, Inferno's values */
#define VX_MREPL	0x0000
#define VX_MBEFORE	0x0001
#define VX_MAFTER	0x0002
#define VX_MCREATE	0x0004
#define VX_MCACHE	0x0010

#if defined(__i386__) && !defined(VXRUN_HOST)
static inline long
vx_syscall5(long nr, long a, long b, long c, long d, long e)
{
	long r;

	__asm__ volatile("int $0x80"
		: "=a"(r)
		: "0"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
		: "memory");
	return r;
}

static inline long
vx_bind(const char *new, const char *old, int flags)
{
	return vx_syscall5(VX_SYS_BIND, (long)new, (long)old, flags, 0, 0);
}

static inline long
vx_mount(int fd, int afd, const char *old, int flags, const char *spec)
{
	return vx_syscall5(VX_SYS_MOUNT, fd, afd, (long)old, flags, (long)spec);
}

static inline long
vx_unmount(const char *new, const char *old)
{
	return vx_syscall5(VX_SYS_UNMOUNT, (long)new, (long)old, 0, 0, 0);
}

/* Only when vxinferno runs with -N; else -EACCES. */
static inline long
vx_dial(const char *addr)
{
	return vx_syscall5(VX_SYS_DIAL, (long)addr, 0, 0, 0, 0);
}

static inline long
vx_errstr(char *buf, unsigned n)
{
	return vx_syscall5(VX_SYS_ERRSTR, (long)buf, (long)n, 0, 0, 0);
}
#endif
#endif
