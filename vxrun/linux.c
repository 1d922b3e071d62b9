/*
 * linux.c — the Linux i386 system call table (numbers from the kernel's
 * unistd_32.h), the extension calls, dispatch and the -t trace.  Calls
 * not listed return ENOSYS.  One row says everything about a call: its
 * number, name, handler, its arguments for the trace (one letter each:
 * x a number, p a path or other string) and flags (Tbefore: it may
 * block or not return, so it is traced before it runs too).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dat.h"
#define VXRUN_HOST
#include "vxguest.h"

enum { NSYSCALL = 450 };

#define SYS(nr, name, fn, args, flags)	[nr] = { nr, name, fn, args, flags }

static const Syscall systab[NSYSCALL] = {
	SYS(1, "exit", sys_exit, "x", Tbefore),
	SYS(2, "fork", sys_fork, "", 0),
	SYS(3, "read", sys_read, "xxx", 0),
	SYS(4, "write", sys_write, "xxx", 0),
	SYS(5, "open", sys_open, "pxx", 0),
	SYS(6, "close", sys_close, "x", 0),
	SYS(436, "close_range", sys_close_range, "xxx", 0),
	SYS(7, "waitpid", sys_waitpid, "xxx", Tbefore),
	SYS(8, "creat", sys_creat, "px", 0),
	SYS(9, "link", sys_link, "pp", 0),
	SYS(10, "unlink", sys_unlink, "p", 0),
	SYS(11, "execve", sys_execve, "pxx", Tbefore),
	SYS(12, "chdir", sys_chdir, "p", 0),
	SYS(13, "time", sys_time, "x", 0),
	SYS(15, "chmod", sys_chmod, "px", 0),
	SYS(16, "lchown", sys_lchown, "pxx", 0),
	SYS(18, "oldstat", sys_oldstat, "px", 0),
	SYS(19, "lseek", sys_lseek, "xxx", 0),
	SYS(20, "getpid", sys_getpid, "", 0),
	SYS(23, "setuid", sys_setuid16, "x", 0),
	SYS(24, "getuid", sys_getuid16, "", 0),
	SYS(27, "alarm", sys_alarm, "x", 0),
	SYS(28, "oldfstat", sys_oldfstat, "xx", 0),
	SYS(29, "pause", sys_pause, "", 0),
	SYS(30, "utime", sys_utime, "px", 0),
	SYS(33, "access", sys_access, "px", 0),
	SYS(36, "sync", sys_zero, "", 0),
	SYS(37, "kill", sys_kill, "xx", 0),
	SYS(38, "rename", sys_rename, "pp", 0),
	SYS(39, "mkdir", sys_mkdir, "px", 0),
	SYS(14, "mknod", sys_mknod, "pxx", 0),
	SYS(40, "rmdir", sys_rmdir, "p", 0),
	SYS(41, "dup", sys_dup, "x", 0),
	SYS(42, "pipe", sys_pipe, "x", 0),
	SYS(43, "times", sys_times, "x", 0),
	SYS(45, "brk", sys_brk, "x", 0),
	SYS(46, "setgid", sys_setgid16, "x", 0),
	SYS(47, "getgid", sys_getgid16, "", 0),
	SYS(49, "geteuid", sys_getuid16, "", 0),
	SYS(50, "getegid", sys_getgid16, "", 0),
	SYS(54, "ioctl", sys_ioctl, "xxx", 0),
	SYS(55, "fcntl", sys_fcntl64, "xxx", 0),
	SYS(57, "setpgid", sys_setpgid, "xx", 0),
	SYS(60, "umask", sys_umask, "x", 0),
	SYS(63, "dup2", sys_dup2, "xx", 0),
	SYS(64, "getppid", sys_getppid, "", 0),
	SYS(65, "getpgrp", sys_getpgrp, "", 0),
	SYS(66, "setsid", sys_setsid, "", 0),
	SYS(75, "setrlimit", sys_setrlimit, "xx", 0),
	SYS(77, "getrusage", sys_getrusage, "xx", 0),
	SYS(78, "gettimeofday", sys_gettimeofday, "xx", 0),
	SYS(70, "setreuid", sys_setreuid16, "xx", 0),
	SYS(71, "setregid", sys_setregid16, "xx", 0),
	SYS(80, "getgroups", sys_getgroups16, "xx", 0),
	SYS(81, "setgroups", sys_setgroups, "xx", 0),
	SYS(83, "symlink", sys_symlink, "pp", 0),
	SYS(84, "oldlstat", sys_oldlstat, "px", 0),
	SYS(85, "readlink", sys_readlink, "pxx", 0),
	SYS(90, "mmap", sys_mmap, "x", 0),
	SYS(91, "munmap", sys_munmap, "xx", 0),
	SYS(92, "truncate", sys_truncate, "px", 0),
	SYS(93, "ftruncate", sys_ftruncate, "xx", 0),
	SYS(94, "fchmod", sys_fchmod, "xx", 0),
	SYS(95, "fchown", sys_fchown, "xxx", 0),
	SYS(96, "getpriority", sys_getpriority, "xx", 0),
	SYS(97, "setpriority", sys_setpriority, "xxx", 0),
	SYS(99, "statfs", sys_statfs, "px", 0),
	SYS(100, "fstatfs", sys_fstatfs, "xx", 0),
	SYS(104, "setitimer", sys_setitimer, "xxx", 0),
	SYS(105, "getitimer", sys_getitimer, "xx", 0),
	SYS(106, "stat", sys_stat, "px", 0),
	SYS(107, "lstat", sys_lstat, "px", 0),
	SYS(108, "fstat", sys_fstat, "xx", 0),
	SYS(114, "wait4", sys_wait4, "xxxx", Tbefore),
	SYS(116, "sysinfo", sys_sysinfo, "x", 0),
	SYS(118, "fsync", sys_fsync, "x", 0),
	SYS(119, "sigreturn", sys_sigreturn, "", 0),
	SYS(120, "clone", sys_clone, "xxxxx", 0),
	SYS(122, "uname", sys_uname, "x", 0),
	SYS(125, "mprotect", sys_mprotect, "xxx", 0),
	SYS(132, "getpgid", sys_getpgid, "x", 0),
	SYS(133, "fchdir", sys_fchdir, "x", 0),
	SYS(138, "setfsuid", sys_setfsuid, "x", 0),
	SYS(139, "setfsgid", sys_setfsgid, "x", 0),
	SYS(140, "_llseek", sys_llseek, "xxxxx", 0),
	SYS(142, "_newselect", sys_select, "xxxxx", 0),
	SYS(144, "msync", sys_msync, "xxx", 0),
	SYS(145, "readv", sys_readv, "xxx", 0),
	SYS(146, "writev", sys_writev, "xxx", 0),
	SYS(147, "getsid", sys_getsid, "x", 0),
	SYS(148, "fdatasync", sys_fsync, "x", 0),
	SYS(150, "mlock", sys_mlock, "xx", 0),
	SYS(151, "munlock", sys_mlock, "xx", 0),
	SYS(152, "mlockall", sys_mlockall, "x", 0),
	SYS(153, "munlockall", sys_zero, "", 0),
	SYS(158, "sched_yield", sys_zero, "", 0),
	SYS(162, "nanosleep", sys_nanosleep, "xx", 0),
	SYS(163, "mremap", sys_mremap, "xxxxx", 0),
	SYS(164, "setresuid", sys_setresuid16, "xxx", 0),
	SYS(165, "getresuid", sys_getresuid16, "xxx", 0),
	SYS(168, "poll", sys_poll, "xxx", 0),
	SYS(170, "setresgid", sys_setresgid16, "xxx", 0),
	SYS(171, "getresgid", sys_getresgid16, "xxx", 0),
	SYS(172, "prctl", sys_prctl, "xxxxx", 0),
	SYS(173, "rt_sigreturn", sys_rt_sigreturn, "", 0),
	SYS(174, "rt_sigaction", sys_rt_sigaction, "xxxx", 0),
	SYS(73, "sigpending", sys_sigpending, "x", 0),
	SYS(126, "sigprocmask", sys_sigprocmask, "xxx", 0),
	SYS(175, "rt_sigprocmask", sys_rt_sigprocmask, "xxxx", 0),
	SYS(176, "rt_sigpending", sys_rt_sigpending, "xx", 0),
	SYS(177, "rt_sigtimedwait", sys_rt_sigtimedwait, "xxxx", 0),
	SYS(179, "rt_sigsuspend", sys_rt_sigsuspend, "xx", 0),
	SYS(180, "pread64", sys_pread64, "xxxxx", 0),
	SYS(181, "pwrite64", sys_pwrite64, "xxxxx", 0),
	SYS(182, "chown", sys_chown, "pxx", 0),
	SYS(183, "getcwd", sys_getcwd, "xx", 0),
	SYS(186, "sigaltstack", sys_sigaltstack, "xx", 0),
	SYS(187, "sendfile", sys_sendfile, "xxxx", 0),
	SYS(190, "vfork", sys_vfork, "", 0),
	SYS(191, "ugetrlimit", sys_ugetrlimit, "xx", 0),
	SYS(192, "mmap2", sys_mmap2, "xxxxxx", 0),
	SYS(193, "truncate64", sys_truncate64, "pxx", 0),
	SYS(194, "ftruncate64", sys_ftruncate64, "xxx", 0),
	SYS(195, "stat64", sys_stat64, "px", 0),
	SYS(196, "lstat64", sys_lstat64, "px", 0),
	SYS(197, "fstat64", sys_fstat64, "xx", 0),
	SYS(198, "lchown32", sys_lchown, "pxx", 0),
	SYS(184, "capget", sys_capget, "xx", 0),
	SYS(185, "capset", sys_capset, "xx", 0),
	SYS(199, "getuid32", sys_getuid, "", 0),
	SYS(200, "getgid32", sys_getgid, "", 0),
	SYS(201, "geteuid32", sys_getuid, "", 0),
	SYS(202, "getegid32", sys_getgid, "", 0),
	SYS(203, "setreuid32", sys_setreuid, "xx", 0),
	SYS(204, "setregid32", sys_setregid, "xx", 0),
	SYS(205, "getgroups32", sys_getgroups, "xx", 0),
	SYS(206, "setgroups32", sys_setgroups, "xx", 0),
	SYS(207, "fchown32", sys_fchown, "xxx", 0),
	SYS(208, "setresuid32", sys_setresuid, "xxx", 0),
	SYS(209, "getresuid32", sys_getresuid, "xxx", 0),
	SYS(210, "setresgid32", sys_setresgid, "xxx", 0),
	SYS(211, "getresgid32", sys_getresgid, "xxx", 0),
	SYS(212, "chown32", sys_chown, "pxx", 0),
	SYS(213, "setuid32", sys_setuid, "x", 0),
	SYS(214, "setgid32", sys_setgid, "x", 0),
	SYS(215, "setfsuid32", sys_setfsuid, "x", 0),
	SYS(216, "setfsgid32", sys_setfsgid, "x", 0),
	SYS(219, "madvise", sys_madvise, "xxx", 0),
	SYS(220, "getdents64", sys_getdents64, "xxx", 0),
	SYS(141, "getdents", sys_getdents, "xxx", 0),
	SYS(221, "fcntl64", sys_fcntl64, "xxx", 0),
	SYS(224, "gettid", sys_gettid, "", 0),
	SYS(238, "tkill", sys_tkill, "xx", 0),
	SYS(239, "sendfile64", sys_sendfile64, "xxxx", 0),
	SYS(240, "futex", sys_futex, "xxxxxx", Tbefore),
	SYS(243, "set_thread_area", sys_set_thread_area, "x", 0),
	SYS(244, "get_thread_area", sys_get_thread_area, "x", 0),
	SYS(252, "exit_group", sys_exit_group, "x", Tbefore),
	SYS(258, "set_tid_address", sys_set_tid_address, "x", 0),
	SYS(264, "clock_settime", sys_clock_settime, "xx", 0),
	SYS(265, "clock_gettime", sys_clock_gettime, "xx", 0),
	SYS(266, "clock_getres", sys_clock_getres, "xx", 0),
	SYS(267, "clock_nanosleep", sys_clock_nanosleep, "xxxx", 0),
	SYS(268, "statfs64", sys_statfs64, "pxx", 0),
	SYS(269, "fstatfs64", sys_fstatfs64, "xxx", 0),
	SYS(270, "tgkill", sys_tgkill, "xxx", 0),
	SYS(271, "utimes", sys_utimes, "px", 0),
	SYS(284, "waitid", sys_waitid, "xxxxx", Tbefore),
	SYS(295, "openat", sys_openat, "xpxx", 0),
	SYS(296, "mkdirat", sys_mkdirat, "xpx", 0),
	SYS(297, "mknodat", sys_mknodat, "xpxx", 0),
	SYS(298, "fchownat", sys_fchownat, "xpxxx", 0),
	SYS(300, "fstatat64", sys_fstatat64, "xpxx", 0),
	SYS(301, "unlinkat", sys_unlinkat, "xpx", 0),
	SYS(302, "renameat", sys_renameat, "xpxp", 0),
	SYS(303, "linkat", sys_linkat, "xpxpx", 0),
	SYS(304, "symlinkat", sys_symlinkat, "pxp", 0),
	SYS(305, "readlinkat", sys_readlinkat, "xpxx", 0),
	SYS(306, "fchmodat", sys_fchmodat, "xpx", 0),
	SYS(307, "faccessat", sys_faccessat, "xpx", 0),
	SYS(308, "pselect6", sys_pselect6, "xxxxxx", 0),
	SYS(309, "ppoll", sys_ppoll, "xxxxx", 0),
	SYS(311, "set_robust_list", sys_set_robust_list, "xx", 0),
	SYS(312, "get_robust_list", sys_get_robust_list, "xxx", 0),
	SYS(313, "splice", sys_splice, "xxxxxx", Tbefore),
	SYS(316, "vmsplice", sys_vmsplice, "xxxx", Tbefore),
	SYS(320, "utimensat", sys_utimensat, "xpxx", 0),
	SYS(324, "fallocate", sys_fallocate, "xxxxxx", 0),
	SYS(330, "dup3", sys_dup3, "xxx", 0),
	SYS(331, "pipe2", sys_pipe2, "xx", 0),
	SYS(333, "preadv", sys_preadv, "xxxxx", 0),
	SYS(334, "pwritev", sys_pwritev, "xxxxx", 0),
	SYS(340, "prlimit64", sys_prlimit64, "xxxx", 0),
	SYS(353, "renameat2", sys_renameat2, "xpxpx", 0),
	SYS(355, "getrandom", sys_getrandom, "xxx", 0),
	SYS(378, "preadv2", sys_preadv2, "xxxxxx", 0),
	SYS(379, "pwritev2", sys_pwritev2, "xxxxxx", 0),
	SYS(383, "statx", sys_statx, "xpxxx", 0),
	SYS(403, "clock_gettime64", sys_clock_gettime64, "xx", 0),
	SYS(404, "clock_settime64", sys_clock_settime64, "xx", 0),
	SYS(406, "clock_getres_time64", sys_clock_getres64, "xx", 0),
	SYS(407, "clock_nanosleep_time64", sys_clock_nanosleep64, "xxxx", 0),
	SYS(412, "utimensat_time64", sys_utimensat64, "xpxx", 0),
	SYS(413, "pselect6_time64", sys_pselect6_64, "xxxxxx", 0),
	SYS(414, "ppoll_time64", sys_ppoll64, "xxxxx", 0),
	SYS(421, "rt_sigtimedwait_time64", sys_rt_sigtimedwait_time64, "xxxx", 0),
	SYS(422, "futex_time64", sys_futex64, "xxxxxx", Tbefore),
	SYS(423, "sched_rr_get_interval_time64", sys_sched_rr_get_interval64, "xx", 0),
	SYS(434, "pidfd_open", sys_pidfd_open, "xx", 0),
	SYS(424, "pidfd_send_signal", sys_pidfd_send_signal, "xxxx", 0),
	SYS(438, "pidfd_getfd", sys_pidfd_getfd, "xxx", 0),
	/* System V IPC (sysipc.c, sysshm.c, syssem.c, sysmsg.c) */
	SYS(117, "ipc", sys_ipc, "xxxxxx", Tbefore),
	SYS(393, "semget", sys_semget, "xxx", 0),
	SYS(394, "semctl", sys_semctl, "xxxx", 0),
	SYS(395, "shmget", sys_shmget, "xxx", 0),
	SYS(396, "shmctl", sys_shmctl, "xxx", 0),
	SYS(397, "shmat", sys_shmat, "xxx", 0),
	SYS(398, "shmdt", sys_shmdt, "x", 0),
	SYS(399, "msgget", sys_msgget, "xx", 0),
	SYS(400, "msgsnd", sys_msgsnd, "xxxx", Tbefore),
	SYS(401, "msgrcv", sys_msgrcv, "xxxxx", Tbefore),
	SYS(402, "msgctl", sys_msgctl, "xxx", 0),
	SYS(420, "semtimedop_time64", sys_semtimedop64, "xxxx", Tbefore),
	/* sockets (syssock.c), over the namespace's /net */
	SYS(102, "socketcall", sys_socketcall, "xx", Tbefore),
	SYS(337, "recvmmsg", sys_recvmmsg, "xxxxx", Tbefore),
	SYS(345, "sendmmsg", sys_sendmmsg, "xxxx", Tbefore),
	SYS(359, "socket", sys_socket, "xxx", 0),
	SYS(360, "socketpair", sys_socketpair, "xxxx", 0),
	SYS(361, "bind", sys_bind, "xxx", 0),
	SYS(362, "connect", sys_connect, "xxx", Tbefore),
	SYS(363, "listen", sys_listen, "xx", 0),
	SYS(364, "accept4", sys_accept4, "xxxx", Tbefore),
	SYS(365, "getsockopt", sys_getsockopt, "xxxxx", 0),
	SYS(366, "setsockopt", sys_setsockopt, "xxxxx", 0),
	SYS(367, "getsockname", sys_getsockname, "xxx", 0),
	SYS(368, "getpeername", sys_getpeername, "xxx", 0),
	SYS(369, "sendto", sys_sendto, "xxxxxx", 0),
	SYS(370, "sendmsg", sys_sendmsg, "xxx", 0),
	SYS(371, "recvfrom", sys_recvfrom, "xxxxxx", Tbefore),
	SYS(372, "recvmsg", sys_recvmsg, "xxx", Tbefore),
	SYS(373, "shutdown", sys_shutdown, "xx", 0),

	SYS(439, "faccessat2", sys_faccessat, "xpxx", 0),

	/* real programs' calls (sysmore.c, sysfile.c) */
	SYS(143, "flock", sys_flock, "xx", 0),
	SYS(154, "sched_setparam", sys_sched_setparam, "xx", 0),
	SYS(155, "sched_getparam", sys_sched_getparam, "xx", 0),
	SYS(156, "sched_setscheduler", sys_sched_setscheduler, "xxx", 0),
	SYS(157, "sched_getscheduler", sys_sched_getscheduler, "x", 0),
	SYS(159, "sched_get_priority_max", sys_sched_prio, "x", 0),
	SYS(160, "sched_get_priority_min", sys_sched_prio_min, "x", 0),
	SYS(161, "sched_rr_get_interval", sys_sched_rr_get_interval, "xx", 0),
	SYS(226, "setxattr", sys_setxattr, "ppxxx", 0),
	SYS(227, "lsetxattr", sys_lsetxattr, "ppxxx", 0),
	SYS(228, "fsetxattr", sys_fsetxattr, "xpxxx", 0),
	SYS(229, "getxattr", sys_getxattr, "ppxx", 0),
	SYS(230, "lgetxattr", sys_lgetxattr, "ppxx", 0),
	SYS(231, "fgetxattr", sys_fgetxattr, "xpxx", 0),
	SYS(232, "listxattr", sys_listxattr, "pxx", 0),
	SYS(233, "llistxattr", sys_llistxattr, "pxx", 0),
	SYS(234, "flistxattr", sys_flistxattr, "xxx", 0),
	SYS(235, "removexattr", sys_removexattr, "pp", 0),
	SYS(236, "lremovexattr", sys_lremovexattr, "pp", 0),
	SYS(237, "fremovexattr", sys_fremovexattr, "xp", 0),
	SYS(241, "sched_setaffinity", sys_sched_setaffinity, "xxx", 0),
	SYS(242, "sched_getaffinity", sys_sched_getaffinity, "xxx", 0),
	SYS(250, "fadvise64", sys_fadvise, "xxxxx", 0),
	SYS(254, "epoll_create", sys_epoll_create, "x", 0),
	SYS(255, "epoll_ctl", sys_epoll_ctl, "xxxx", 0),
	SYS(256, "epoll_wait", sys_epoll_wait, "xxxx", Tbefore),
	SYS(272, "fadvise64_64", sys_fadvise, "xxxxxx", 0),
	SYS(319, "epoll_pwait", sys_epoll_pwait, "xxxxxx", Tbefore),
	SYS(329, "epoll_create1", sys_epoll_create1, "x", 0),
	SYS(323, "eventfd", sys_eventfd, "x", 0),
	SYS(321, "signalfd", sys_signalfd, "xxx", 0),
	SYS(327, "signalfd4", sys_signalfd4, "xxxx", 0),
	SYS(322, "timerfd_create", sys_timerfd_create, "xx", 0),
	SYS(325, "timerfd_settime", sys_timerfd_settime, "xxxx", 0),
	SYS(326, "timerfd_gettime", sys_timerfd_gettime, "xx", 0),
	SYS(410, "timerfd_gettime64", sys_timerfd_gettime64, "xx", 0),
	SYS(411, "timerfd_settime64", sys_timerfd_settime64, "xxxx", 0),
	SYS(259, "timer_create", sys_timer_create, "xxx", 0),
	SYS(260, "timer_settime", sys_timer_settime, "xxxx", 0),
	SYS(261, "timer_gettime", sys_timer_gettime, "xx", 0),
	SYS(262, "timer_getoverrun", sys_timer_getoverrun, "x", 0),
	SYS(263, "timer_delete", sys_timer_delete, "x", 0),
	SYS(408, "timer_gettime64", sys_timer_gettime64, "xx", 0),
	SYS(409, "timer_settime64", sys_timer_settime64, "xxxx", 0),
	SYS(178, "rt_sigqueueinfo", sys_rt_sigqueueinfo, "xxx", 0),
	SYS(335, "rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo, "xxxx", 0),
	SYS(328, "eventfd2", sys_eventfd2, "xx", 0),
	SYS(356, "memfd_create", sys_memfd_create, "px", 0),
	SYS(291, "inotify_init", sys_inotify_init, "", 0),
	SYS(332, "inotify_init1", sys_inotify_init1, "x", 0),
	SYS(292, "inotify_add_watch", sys_inotify_add_watch, "dpx", 0),
	SYS(293, "inotify_rm_watch", sys_inotify_rm_watch, "dd", 0),
	SYS(376, "mlock2", sys_mlock2, "xxx", 0),
	SYS(377, "copy_file_range", sys_copy_file_range, "xxxxxx", 0),
	SYS(68, "sgetmask", sys_sgetmask, "", 0),
	SYS(69, "ssetmask", sys_ssetmask, "x", 0),
	SYS(124, "adjtimex", sys_adjtimex, "x", 0),
	SYS(225, "readahead", sys_readahead, "xxxx", 0),
	SYS(318, "getcpu", sys_getcpu, "xxx", 0),
	SYS(289, "ioprio_set", sys_ioprio_set, "xxx", 0),
	SYS(290, "ioprio_get", sys_ioprio_get, "xx", 0),
	SYS(343, "clock_adjtime", sys_clock_adjtime, "xx", 0),
	SYS(344, "syncfs", sys_fsync, "x", 0),
	/* a privileged process's calls, refused (sysmisc.c) */
	SYS(21, "mount", sys_privileged, "ppp", 0),
	SYS(22, "umount", sys_privileged, "p", 0),
	SYS(25, "stime", sys_privileged, "x", 0),
	SYS(51, "acct", sys_privileged, "p", 0),
	SYS(52, "umount2", sys_privileged, "px", 0),
	SYS(61, "chroot", sys_chroot, "p", 0),
	SYS(74, "sethostname", sys_privileged, "xx", 0),
	SYS(79, "settimeofday", sys_privileged, "xx", 0),
	SYS(87, "swapon", sys_privileged, "px", 0),
	SYS(88, "reboot", sys_privileged, "xxxx", 0),
	SYS(101, "ioperm", sys_privileged, "xxx", 0),
	SYS(110, "iopl", sys_privileged, "x", 0),
	SYS(111, "vhangup", sys_privileged, "", 0),
	SYS(115, "swapoff", sys_privileged, "p", 0),
	SYS(121, "setdomainname", sys_privileged, "xx", 0),
	SYS(128, "init_module", sys_privileged, "xxp", 0),
	SYS(129, "delete_module", sys_privileged, "px", 0),
	SYS(217, "pivot_root", sys_privileged, "pp", 0),
	SYS(283, "kexec_load", sys_privileged, "xxxx", 0),
	SYS(350, "finit_module", sys_privileged, "xpx", 0),
};

/* The extension calls, from VX_SYS_BASE (include/vxguest.h). */
static const Syscall xtab[] = {
#define XSYS(nr, name, fn, args, flags)	[nr - VX_SYS_BASE] = { nr, name, fn, args, flags }
	XSYS(VX_SYS_BIND, "vx_bind", sys_xbind, "ppx", 0),
	XSYS(VX_SYS_MOUNT, "vx_mount", sys_xmount, "xxpxp", 0),
	XSYS(VX_SYS_UNMOUNT, "vx_unmount", sys_xunmount, "pp", 0),
	XSYS(VX_SYS_ERRSTR, "vx_errstr", sys_xerrstr, "xx", 0),
	XSYS(VX_SYS_DIAL, "vx_dial", sys_xdial, "p", Tbefore),
#undef XSYS
};

/* nr's row, or NULL for a call we do not know. */
static const Syscall *
lookup(uint32_t nr)
{
	if(nr < NSYSCALL && systab[nr].fn != NULL)
		return &systab[nr];
	if(nr >= VX_SYS_BASE && nr - VX_SYS_BASE < sizeof xtab / sizeof xtab[0] && xtab[nr - VX_SYS_BASE].fn != NULL)
		return &xtab[nr - VX_SYS_BASE];
	return NULL;
}

/* A string argument for the trace, quoted and cut short. */
static int
strarg(Lthread *t, char *buf, int n, uint32_t addr)
{
	char *s;

	s = gstr(t, addr);
	if(s == NULL)
		return snprintf(buf, n, "%#x", addr);
	return snprintf(buf, n, "\"%.40s%s\"", s, strlen(s) > 40 ? "..." : "");
}

/* One trace line; s is NULL for a call not served, shown by its Linux
 * name (lxnames.c), or as syscall_N when Linux has none, with all six
 * argument registers. */
static void
trace(Lthread *t, uint32_t nr, const Syscall *s, uint32_t *a, long r, int before)
{
	const char *kinds;
	char args[256];
	int i, len;

	len = 0;
	args[0] = 0;
	kinds = s != NULL ? s->args : "xxxxxx";
	for(i = 0; kinds[i] != 0 && i < 6 && len < (int)sizeof args - 1; i++){
		len += snprintf(args + len, sizeof args - len, "%s", i ? ", " : "");
		if(len >= (int)sizeof args - 1)
			break;
		if(kinds[i] == 'p')
			len += strarg(t, args + len, sizeof args - len, a[i]);
		else
			len += snprintf(args + len, sizeof args - len, "%#x", a[i]);
	}
	if(s != NULL)
		fprintf(stderr, "[%d] %s(%s)", t->tid, s->name, args);
	else if(lxname(nr) != NULL)
		fprintf(stderr, "[%d] %s(%s) [not served]", t->tid, lxname(nr), args);
	else
		fprintf(stderr, "[%d] syscall_%u(%s)", t->tid, nr, args);
	if(before)
		fprintf(stderr, " ...\n");
	else if(r == NORET)
		fprintf(stderr, " = ?\n");
	else if(r == -LERESTART || r == -LERESTARTNOINTR)
		fprintf(stderr, " = ? (interrupted)\n");
	else if((uint32_t)r >= (uint32_t)-4095)
		fprintf(stderr, " = -1 %s (%s)\n", strerrorname_np(-(int32_t)r), strerror(-(int32_t)r));
	else
		fprintf(stderr, " = %#lx\n", (unsigned long)(uint32_t)r);
}

/* Remember the failure for vx_errstr: the kernel's words if they are
 * what the errno came from, else the errno's. */
static void
seterr(Lthread *t, int err)
{
	char buf[ERRMAX];

	buf[0] = 0;
	kgerrstr(buf, sizeof buf);
	if(buf[0] != 0 && errnoof(buf) == err)
		snprintf(t->lasterr, sizeof t->lasterr, "%s", buf);
	else
		snprintf(t->lasterr, sizeof t->lasterr, "%s", strerror(err));
}

long
lxdispatch(Lthread *t, uint32_t nr, uint32_t *a)
{
	const Syscall *s;
	long r;

	s = lookup(nr);
	if(conf.trace && s != NULL && (s->flags & Tbefore))
		trace(t, nr, s, a, 0, 1);
	r = s != NULL ? s->fn(t, a) : -ENOSYS;
	if(t->nsockheld > 0)
		sockdrop(t);	/* the Socks the call found (syssock.c sockof) */
	if(r < 0 && r > -4096)
		seterr(t, -r);
	if(conf.trace)
		trace(t, nr, s, a, r, 0);
	return r;
}
