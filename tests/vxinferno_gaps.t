#!/bin/sh
# vxinferno_gaps.t — what Linux programs see that vxinferno once got
# wrong (tests/guest_gaps.c), each the same natively and as a guest:
# epoll's EPOLLET edges and EPOLLONESHOT on pipes, sockets and eventfd;
# SCM_RIGHTS over AF_UNIX (across a fork, MSG_CTRUNC, files dropped
# and closed, message boundaries, bad control messages); /proc/self/task
# and thread names; SIGBUS past a mapped file's end and the siginfo of
# memory faults; MSG_OOB on TCP; pipes as byte streams (reads gather
# writes, FIONREAD, ends used the wrong way); what travels with a file
# passed by SCM_RIGHTS (status flags, access mode, offset); MADV_DONTNEED
# on private file, anonymous and shared mappings, and with mremap on
# copied (#e) and #U private mappings, and of a file grown after its
# mmap (growfile); MSG_PEEK (unix, tcp);
# O_NONBLOCK and O_APPEND shared by dup, fork and SCM_RIGHTS (ofd); #U
# files after a rename (files); named pipes (fifo) and device nodes;
# a process's own current directory (cwd); rename onto an existing
# name (replace); setfsuid16's answer for an id above 16 bits (fsids);
# the old i386 stat calls and their structs (stat, statbig, oldstat);
# symbolic links (symlinks); symbolic link loops, also as the first
# name under / (loops); sigaltstack (altstack: Go's runtime takes
# every signal on its own stack); AF_UNIX names as socket nodes
# (unixnode: python's multiprocessing.Manager unlinks its listener's);
# a symbolic link's O_PATH fd (opathlink); the terminal's foreground
# group (ttypgrp, on a pseudo-terminal); paths through /proc links
# (procpaths) and opens of /proc/self/fd/N (reopen); sigreturn's fpstate
# pointer (sigframe); MREMAP_FIXED and MREMAP_DONTUNMAP (mremapfixed);
# mremap's move of anonymous, read-only, file and code pages (mremapmove);
# vfork's child on its parent's memory (vfork); RLIMIT_FSIZE's EFBIG, SIGXFSZ
# and short writes (fsize); F_GETPIPE_SZ and F_SETPIPE_SZ (pipesz);
# reads and writes whose buffer runs into a page they cannot reach (rwfault),
# that never look at it (sinkfault: /dev/null), that take an eventfd's
# count before the fault (evfdfault), a pipe's, a socket's and a
# terminal's read whose buffer goes while it waits (pipewait, sockwait,
# ptywait), a pipe's write (pipewrwait);
# rmdir of a mount point (mountbusy); the niceness a guest was started
# with, as getpriority and /proc/self/stat say (nice).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_gaps.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_gaps

# The reference's scratch files go in the guest's root's /tmp (GAPSTMP),
# not the host's, so that runs of this test at once do not meet there;
# the names it prints are then made the guest's.
gapsref() {
	(cd "$R" && GAPSTMP=$R/tmp refrun ./bin/guest_gaps "$1"; echo "status $?") 2>&1 | sed "s|$R/tmp|/tmp|g"
}
# Where the reference is qemu, modes it gets wrong (tests/data/gaps/README)
# compare with what the CPU printed, recorded.
for m in et scm task bus oob pipe scmflags dontneed peek ofd ids link files fifo cwd replace stat calls symlinks altstack unixnode mlock opath opathlink procpaths reopen sigframe fsize pipesz rwfault sinkfault evfdfault pipewait sockwait pipewrwait; do
	refout "$tmp/$m.native" tests/data/gaps/$m.out gapsref $m
	timeout 60 $VX -N -r "$R" guest_gaps $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
done
# loops: a loop as the first name under the guest's / is looked up in
# the root's union (it said "no such file"); natively a directory of
# the host's, as deep as the guest's /tmp
(cd "$R" && refrun ./bin/guest_gaps loops "$R/tmp"; echo "status $?") >"$tmp/loops.native" 2>&1
timeout 60 $VX -N -r "$R" guest_gaps loops / >"$tmp/loops.guest" 2>&1
echo "status $?" >>"$tmp/loops.guest"
same "symbolic link loops as the first name under /: ELOOP, as Linux says of any loop" "$tmp/loops.native" "$tmp/loops.guest"
timeout 60 $VX -N -r "$R" guest_gaps loops /tmp >"$tmp/loops.tmp" 2>&1
echo "status $?" >>"$tmp/loops.tmp"
same "symbolic link loops in the guest's /tmp" "$tmp/loops.native" "$tmp/loops.tmp"
same "symbolic links in a #U tree: symlink, symlinkat, readlink, lstat, fstatat and open with O_NOFOLLOW, utimensat of a link, getdents' DT_LNK, rename and unlink of links (one leading nowhere too)" "$tmp/symlinks.native" "$tmp/symlinks.guest"
# calls: a line qemu gets wrong is checked against msync(2) instead
grep '^apart: ' "$tmp/calls.guest" >"$tmp/calls.apart"
sed -i '/^apart: /d' "$tmp/calls.native" "$tmp/calls.guest"
# altstack: SS_AUTODISARM (qemu 7.2 refuses it) against sigaltstack(2)
grep '^apart: ' "$tmp/altstack.guest" >"$tmp/altstack.apart"
sed -i '/^apart: /d' "$tmp/altstack.native" "$tmp/altstack.guest"
same "sigaltstack: SA_ONSTACK handlers run there and see SS_ONSTACK, EPERM from there, ENOMEM, EINVAL, EFAULT; none in a new thread, kept by fork; sigreturn sets it from uc_stack" "$tmp/altstack.native" "$tmp/altstack.guest"
printf 'apart: autodisarm: 0\napart: SS_AUTODISARM: on stack 2, flags inside 2, change inside ok, after: third flags 0 size 65536\napart: flags seen while disarmed 2\n' |
	cmp -s - "$tmp/altstack.apart"
okrc $? "SS_AUTODISARM: the handler runs on the stack, which reads as disabled there and may be replaced; sigreturn sets uc_stack's"
same "AF_UNIX path names are socket nodes: bind makes one (umask, EADDRINUSE, ENOENT), stat/lstat/getdents say socket, connect by another spelling, ENOENT and ECONNREFUSED, open ENXIO, mknod S_IFSOCK, unlink; fstat of a socket is S_IFSOCK|0777" "$tmp/unixnode.native" "$tmp/unixnode.guest"
grep '^apart: ' "$tmp/mlock.guest" >"$tmp/mlock.apart"
sed -i '/^apart: /d' "$tmp/mlock.native" "$tmp/mlock.guest"
same "mlock, munlock, mlockall, munlockall: ranges rounded to pages, ENOMEM over a hole, EINVAL for bad flags (mlockall(MCL_CURRENT) of qemu itself depends on the host limit: not compared)" "$tmp/mlock.native" "$tmp/mlock.guest"
printf 'apart: munlock over a hole: -1 Cannot allocate memory\napart: mlock2 with MLOCK_ONFAULT: 0 \napart: mlock2 with a bad flag: -1 Invalid argument\n' | cmp -s - "$tmp/mlock.apart"
okrc $? "munlock over a hole is ENOMEM, mlock2 takes MLOCK_ONFAULT only, as mlock(2) says"
same "an O_PATH fd: read, write, pread, pwrite, readv, writev fail EBADF; fstat, openat, F_GETFL, fchdir work" "$tmp/opath.native" "$tmp/opath.guest"
same "an O_PATH|O_NOFOLLOW fd of a symbolic link: fstat, fstatat and statx with AT_EMPTY_PATH, readlinkat \"\" are the link's; ENOTDIR through it; kept by dup and fork; /proc/self/fd/N names the link, from / also when opened by a relative name, and fstat still finds it after a chdir; passed by SCM_RIGHTS it is still the link's (and /dev/null's O_PATH fd passed after it is /dev/null)" "$tmp/opathlink.native" "$tmp/opathlink.guest"
same "msync, waitid (WNOWAIT, WNOHANG, codes), rt_sigtimedwait (timeouts, thread's before process's, from a child), get/setpriority" "$tmp/calls.native" "$tmp/calls.guest"
printf 'apart: msync over an unmapped page: -1 Cannot allocate memory\n' | cmp -s - "$tmp/calls.apart"
okrc $? "msync over an unmapped page fails ENOMEM, as msync(2) says"
# nice: the reference and the guest started under nice -n 3 (on top of
# whatever niceness the test runs with): a guest starts with the host
# niceness vxinferno had, and getpriority, /proc/self/stat and a
# child's agree (it started at 0 whatever the host's)
case $REF in
native) (cd "$R" && nice -n 3 ./bin/guest_gaps nice; echo "status $?") >"$tmp/nice.native" 2>&1 ;;
qemu) (cd "$R" && nice -n 3 timeout 300 $REF_QEMU ./bin/guest_gaps nice; echo "status $?") >"$tmp/nice.native" 2>&1 ;;
*) (cd "$R" && refrun ./bin/guest_gaps nice; echo "status $?") >"$tmp/nice.native" 2>&1 ;;
esac
nice -n 3 timeout 60 $VX -N -r "$R" guest_gaps nice >"$tmp/nice.guest" 2>&1
echo "status $?" >>"$tmp/nice.guest"
grep '^apart: ' "$tmp/nice.guest" >"$tmp/nice.apart"
sed -i '/^apart: /d' "$tmp/nice.native" "$tmp/nice.guest"
same "a guest started under nice(1) has its niceness: getpriority, raised by setpriority, a child's" "$tmp/nice.native" "$tmp/nice.guest"
printf 'apart: /proc/self/stat priority and nice as getpriority\n%.0s' 1 2 3 | cmp -s - "$tmp/nice.apart"
okrc $? "/proc/self/stat's priority and nice fields are getpriority's"
# O_CREAT opens of one new name at once (ocreat): every open succeeds,
# none truncates, as open(2) says (the reference is Linux's promise: a
# qemu run of 600 forks would cost more than the check)
timeout 120 $VX -N -r "$R" guest_gaps ocreat >"$tmp/ocreat.guest" 2>&1
echo "status $?" >>"$tmp/ocreat.guest"
printf '%s\n' 'ocreat: 0 opens failed, 0 rounds lost a write' 'status 0' >"$tmp/ocreat.want"
same "O_CREAT opens of one new name by four processes at once: all succeed, none empties another's write" "$tmp/ocreat.want" "$tmp/ocreat.guest"
gapsref mremapmove >"$tmp/mremapmove.native"
timeout 60 $VX -N -r "$R" guest_gaps mremapmove >"$tmp/mremapmove.guest" 2>&1
echo "status $?" >>"$tmp/mremapmove.guest"
same "mremap moving a grown mapping: anonymous pages with their bytes (and in a fork), read-only ones read-only, a private file mapping's unwritten pages still the file's (a write to the file shows, in a fork too, MADV_DONTNEED) and its written one the process's, code run at the new place and written there; the old range unmapped" "$tmp/mremapmove.native" "$tmp/mremapmove.guest"
# mremapfixed: qemu-i386 7.2 ignores MREMAP_DONTUNMAP and loses pages
# with MREMAP_FIXED, so the guest is compared with what mremap(2) says
timeout 60 $VX -N -r "$R" guest_gaps mremapfixed >"$tmp/mremapfixed.guest" 2>&1
echo "status $?" >>"$tmp/mremapfixed.guest"
cat >"$tmp/mremapfixed.want" <<'EOF'
-- errors
FIXED without MAYMOVE: -1 EINVAL
DONTUNMAP without MAYMOVE: -1 EINVAL
DONTUNMAP growing: -1 EINVAL
an unknown flag: -1 EINVAL
FIXED to a misaligned address: -1 EINVAL
FIXED onto itself: -1 EINVAL
FIXED overlapping the old range's end: -1 EINVAL
FIXED with the new range past 4 GiB: -1 EINVAL
pages: 'A' 'A', 'B'
-- FIXED
two pages onto the middle of four: the address asked
new: 'B' 'A' 'a' 'B'; old: unmapped unmapped
three pages to one, FIXED: the address asked
new: 'C' 'A'; old: unmapped unmapped unmapped
one page to three, FIXED: the address asked
new: 'D' '0' '0'; old: unmapped
FIXED from an unmapped range: -1 EFAULT
-- DONTUNMAP
anonymous: moved
new: 'G' 'G'; old: '0' '0'
anonymous, FIXED: the address asked
new: 'I' 'I'; old: '0' '0'
a private file mapping, one page written: moved
new: 'w' 'y'; old: 'x' 'y'
a private file mapping grown, FIXED: the address asked
new: 'w' 'y' 'z'; old: unmapped
status 0
EOF
same "mremap: MREMAP_FIXED (whatever was at the new place replaced, shrinking, growing with zeros or the file's next pages, EFAULT for an unmapped old range) and MREMAP_DONTUNMAP (the old range left as just mapped: zero, or the file's pages again); EINVAL for their bad combinations, a misaligned or overlapping new range" "$tmp/mremapfixed.want" "$tmp/mremapfixed.guest"
# sigframe: the FPU after a NULL fpstate is compared with Linux's (its
# initial state; qemu's may differ)
grep '^apart: ' "$tmp/sigframe.guest" >"$tmp/sigframe.apart"
sed -i '/^apart: /d' "$tmp/sigframe.native" "$tmp/sigframe.guest"
same "sigreturn with a bad fpstate pointer in the frame (16, PROT_NONE, unmapped): SIGSEGV" "$tmp/sigframe.native" "$tmp/sigframe.guest"
same "RLIMIT_FSIZE: EFBIG and SIGXFSZ at the limit (handled, ignored, default in a child), writes cut short at it, truncate and fallocate past it, pipes and devices unbounded, inherited by fork" "$tmp/fsize.native" "$tmp/fsize.guest"
same "F_GETPIPE_SZ is the room a write fills; F_SETPIPE_SZ rounds up, EINVAL past 2 GiB, shrinks and grows the room a write fills (EBUSY below what is queued); a file has neither (EBADF)" "$tmp/pipesz.native" "$tmp/pipesz.guest"
same "a buffer that runs into an unmapped, PROT_NONE or read-only page: a file's read, pread, readv, preadv, write, pwrite, writev, pwritev move the bytes before it (a short count; EFAULT when none, 0 at the file's end), a pipe's or stream socket's fail EFAULT and leave the bytes; EBADF and EISDIR before EFAULT" "$tmp/rwfault.native" "$tmp/rwfault.guest"
same "/dev/null and /dev/zero writes from a buffer not there: the count (Linux never reads it), /dev/full's ENOSPC, /dev/null's read 0" "$tmp/sinkfault.native" "$tmp/sinkfault.guest"
same "an eventfd read into a buffer not there: the count (one, as a semaphore) taken, then EFAULT; EINVAL and EAGAIN first" "$tmp/evfdfault.native" "$tmp/evfdfault.guest"
same "a pipe read waiting while its buffer is unmapped, made PROT_NONE or read-only: EFAULT, the bytes left in the pipe, the read-only page kept and still read-only" "$tmp/pipewait.native" "$tmp/pipewait.guest"
same "a pipe write waiting on a full pipe whose buffer's rest is unmapped meanwhile: what it copied, nothing made up" "$tmp/pipewrwait.native" "$tmp/pipewrwait.guest"
same "a stream socket read waiting while its buffer is unmapped, made PROT_NONE or read-only: EFAULT, the bytes left" "$tmp/sockwait.native" "$tmp/sockwait.guest"
# ptywait: a terminal's read copies into the buffer itself, past the
# fault (Linux's tty layer keeps some of the bytes, we none: not
# compared); the page the guest made read-only must stay read-only to
# the guest after the call (the host's fault path opened it for good)
timeout 60 $VX -N -r "$R" guest_gaps ptywait >"$tmp/ptywait.guest" 2>&1
grep -c '^  a write to it: SIGSEGV$' "$tmp/ptywait.guest" | grep -qx 1
okrc $? "a read-only page a terminal read wrote to under the guest's mprotect stays read-only to the guest"
printf 'apart: fpstate NULL: returned, FPU control word 0x37f\n' | cmp -s - "$tmp/sigframe.apart"
okrc $? "sigreturn with no fpstate: the FPU's initial state, as Linux's"
same "epoll: EPOLLET edges (pipe, socketpair, eventfd), EPOLLONESHOT, held waits" "$tmp/et.native" "$tmp/et.guest"
grep -q '^a second arrival, not drained: 1 0x1/1$' "$tmp/et.guest" && grep -q '^held, a thread writes after 100 ms: 1 0x1/9$' "$tmp/et.guest"
okrc $? "epoll: a new arrival fires again, a held entry wakes for one"
same "SCM_RIGHTS: fork, shared offsets, boundaries, MSG_CTRUNC, closes, bad input" "$tmp/scm.native" "$tmp/scm.guest"
grep -q '^child got: "two" fds 2 ctrunc 0 controllen 20$' "$tmp/scm.guest" && grep -q '^then end of file: every write end closed: 0 $' "$tmp/scm.guest"
okrc $? "SCM_RIGHTS: the child got both files, and their closes reached the pipe"
same "/proc/self/task, task/TID/{stat,status,comm}, PR_SET_NAME" "$tmp/task.native" "$tmp/task.guest"
grep -q '^tasks with two threads: 3$' "$tmp/task.guest" && grep -q '^comm worker-one$' "$tmp/task.guest"
okrc $? "/proc/self/task lists three threads, one named by prctl"
same "SIGBUS past a shrunk file's end; SIGSEGV codes and addresses" "$tmp/bus.native" "$tmp/bus.guest"
grep -q '^the second page, past the end: signal 7 code 2 at the address: 1$' "$tmp/bus.guest"
okrc $? "a read past the end of a mapped file is SIGBUS BUS_ADRERR"
same "MSG_OOB on TCP: send, the mark, peek, take, none left" "$tmp/oob.native" "$tmp/oob.guest"
grep -q '^the urgent byte: 1 "!"$' "$tmp/oob.guest"
okrc $? "MSG_OOB: the urgent byte comes apart from the data"
same "pipes: reads take all queued across writes, readv, O_NONBLOCK, EOF, wrong ends, FIONREAD" "$tmp/pipe.native" "$tmp/pipe.guest"
grep -q '^a read of 100 after three 10-byte writes: 30 ' "$tmp/pipe.guest"
okrc $? "pipes: three 10-byte writes come back in one 100-byte read"
same "SCM_RIGHTS: a passed fd keeps O_NONBLOCK, O_APPEND, its access mode and offset" "$tmp/scmflags.native" "$tmp/scmflags.guest"
grep -q "^the pipe's read end, non-blocking: O_RDONLY O_NONBLOCK$" "$tmp/scmflags.guest"
okrc $? "SCM_RIGHTS: a non-blocking pipe read end arrives read-only and non-blocking"
same "MADV_DONTNEED: private file pages from the file, anonymous zero, shared kept" "$tmp/dontneed.native" "$tmp/dontneed.guest"
grep -q '^after MADV_DONTNEED: "from the file", the second page kept: "second page"$' "$tmp/dontneed.guest"
okrc $? "MADV_DONTNEED on a written private file page reads the file again"
same "MSG_PEEK: peeks leave the bytes, DONTWAIT, a failed peek does not stick (unix, tcp)" "$tmp/peek.native" "$tmp/peek.guest"
[ "$(grep -c '^and nothing is left: -1 ' "$tmp/peek.guest")" -eq 4 ]
okrc $? "MSG_PEEK: after an interrupted peek, a read takes the bytes"
same "O_NONBLOCK, O_APPEND: the open file's, shared by dup, dup2, F_DUPFD, fork, SCM_RIGHTS; not by another open" "$tmp/ofd.native" "$tmp/ofd.guest"
grep -q "^the parent's, after the child's F_SETFL O_NONBLOCK: O_RDONLY O_NONBLOCK$" "$tmp/ofd.guest" && grep -q '^a write through the original appends: "abcd"$' "$tmp/ofd.guest"
okrc $? "O_NONBLOCK set in a forked child and O_APPEND set on a dup reach the other fd"
same "set*id calls that keep the ids succeed, get calls agree, 16-bit calls, posix_spawn with RESETIDS" "$tmp/ids.native" "$tmp/ids.guest"
grep -q '^posix_spawn with RESETIDS: 0, the child ends with 7$' "$tmp/ids.guest"
okrc $? "posix_spawn with RESETIDS (make's way of running commands) runs the child"
same "hard links (#U): link, linkat and their errors; sem_open and shm_open in /dev/shm between parent and child" "$tmp/link.native" "$tmp/link.guest"
same "#U files: reopened through /proc/self/fd and /dev/fd after a rename and an unlink; fchmod, ftruncate of a renamed file; link counts, blocks, a directory's size, nanoseconds" "$tmp/files.native" "$tmp/files.guest"
grep -q '^reopened through /proc/self/fd: "first"$' "$tmp/files.guest" && grep -q '^the new name: mode 600 size 3$' "$tmp/files.guest"
okrc $? "a reopen and an fchmod after a rename reach the renamed file, not the old name"
grep -q '^after link: 2 and 2 links, the same inode: 1$' "$tmp/files.guest" && grep -q '^futimens a .25 m .5: a 1000000000.250000000 m 1000000000.500000000$' "$tmp/files.guest"
okrc $? "#U: stat gives the host's link count; futimens sets both times with their nanoseconds"
same "named pipes: mkfifo, stat, readdir, opens that wait for the other side or not, a read before any writer, fstat (the node's), poll, EOF, EPIPE, O_RDWR, a signal ends a waiting open" "$tmp/fifo.native" "$tmp/fifo.guest"
grep -q '^a blocking reader gets "from the child", then end of file; the child: 0$' "$tmp/fifo.guest" && grep -q '^a blocked open and a signal: Interrupted system call$' "$tmp/fifo.guest"
okrc $? "a FIFO carries a child's write to its parent; a signal ends an open that waits"
same "rename onto an existing name: atomic (a reader never misses it), links of one file, directories" "$tmp/replace.native" "$tmp/replace.guest"
grep -q '^1000 renames onto an existing name: 1000 ok; opens of it that found nothing: 0$' "$tmp/replace.guest" && grep -q '^  both names stay: 1 1$' "$tmp/replace.guest"
okrc $? "rename replaces its target in one step; onto another link of the same file it does nothing"
same "current directory: a forked or vforked child's chdir is its own, a thread's is its process's" "$tmp/cwd.native" "$tmp/cwd.guest"
# vfork: the child on its parent's memory; execs itself (mode none)
vforkref() {
	(cd "$R" && refrun ./bin/guest_gaps vfork ./bin/guest_gaps; echo "status $?") 2>&1
}
refout "$tmp/vfork.native" tests/data/gaps/vfork.out vforkref
(timeout 60 $VX -N -r "$R" guest_gaps vfork /bin/guest_gaps; echo "status $?") >"$tmp/vfork.guest" 2>&1
same "vfork: the child's writes and mappings are its parent's (and its /proc/self/maps), its pid, fd table and signal handlers its own, the alternate signal stack kept; the parent goes on at its exit, kill, fault, exec or failed exec, its stack whole" "$tmp/vfork.native" "$tmp/vfork.guest"
grep -q "^after a child's chdir, the parent's is as it was: 1$" "$tmp/cwd.guest"
okrc $? "a child's chdir leaves its parent's current directory"
# (before: every name through /proc/self/cwd or /proc/self/fd/N of a
# directory was ENOTDIR, and there was no /proc/self/root)
same "paths through /proc/self/cwd, /proc/self/root and /proc/self/fd/N: the link followed, ENOENT, ENOTDIR and creation as Linux" "$tmp/procpaths.native" "$tmp/procpaths.guest"
# (before: a pipe's end reopened for the other direction was the end
# itself, a read waited for ever; a directory's reading position and a
# device's open mode were the first fd's)
same "an open of /proc/self/fd/N is a new open: a file's offset and flags, a pipe's ends as a FIFO's, a directory's position, /dev/null for reading" "$tmp/reopen.native" "$tmp/reopen.guest"
# stat, lstat, fstat (106-108) fill the 64-byte i386 struct stat, not
# stat64's 96 bytes: the same as the reference, fields as stat64's,
# nothing written past it (a guard, the end of a mapping)
same "stat, lstat, fstat by number: struct stat's fields as stat64's, nothing past its 64 bytes" "$tmp/stat.native" "$tmp/stat.guest"
grep -q '^stat into the last 64 bytes of a mapping: 0$' "$tmp/stat.guest" && grep -q '^fstat fd: 0, agrees with stat64: 1, fits: 1; guard kept: 1$' "$tmp/stat.guest"
okrc $? "stat: a struct ending at the end of the memory is written, the bytes after one are kept"
# where a field does not fit (a 3 GiB file; the 16-bit inode of the
# oldest struct) the call is EOVERFLOW and the buffer untouched, as
# Linux's cp_new_stat, cp_old_stat (qemu does neither: checked on the
# sandbox alone, each answer against the same file's stat64)
statselfcheck() {	# statselfcheck MODE: every answer agrees with stat64's
	timeout 60 $VX -N -r "$R" guest_gaps "$1" >"$tmp/$1.guest" 2>&1 || return 1
	! grep -Eq 'agrees with stat64: 0|fits: 0|the fields say: 0|untouched: 0|guard kept: 0|succeeds where' "$tmp/$1.guest"
}
statselfcheck statbig && grep -q '^stat st.big: Value too large for defined data type, as the fields say: 1; untouched: 1$' "$tmp/statbig.guest" \
	&& grep -q '^fstat fd: Value too large for defined data type, as the fields say: 1; untouched: 1$' "$tmp/statbig.guest"
okrc $? "stat, fstat of a 3 GiB file: EOVERFLOW, the buffer untouched"
statselfcheck oldstat && grep -q '^oldstat /dev/null: 0, agrees with stat64: 1, fits: 1; guard kept: 1$' "$tmp/oldstat.guest" \
	&& grep -q '^oldfstat fd: Value too large for defined data type, as the fields say: 1; untouched: 1$' "$tmp/oldstat.guest" \
	&& grep -q '^oldlstat st.none: No such file or directory; untouched: 1$' "$tmp/oldstat.guest"
okrc $? "oldstat, oldlstat, oldfstat (18, 84, 28): the 32-byte __old_kernel_stat, EOVERFLOW where the inode or size does not fit"
# a FIFO the host made in the tree is the kernel's named pipe to a
# guest: what a guest writes never reaches a host reader, and a guest
# open that waits for a guest reader ends when vxinferno is stopped
if [ -x "$R/bin/sh" ] && mkfifo "$R/tmp/hostfifo" 2>/dev/null; then
	timeout 6 cat "$R/tmp/hostfifo" >"$tmp/hostgot" 2>&1 &
	cpid=$!
	timeout -k 3 2 $VX -r "$R" sh -c 'echo secret > /tmp/hostfifo; echo written' >"$tmp/out" 2>&1
	echo "stopped: $?" >>"$tmp/out"
	timeout -k 3 10 $VX -r "$R" sh -c 'exec 3<>/tmp/hostfifo; echo through >&3; read x <&3; echo "$x"' >>"$tmp/out" 2>&1
	wait $cpid
	echo "the host reader: $? $(wc -c <"$tmp/hostgot")" >>"$tmp/out"
	printf '%s\n' "stopped: 124" "through" "the host reader: 124 0" >"$tmp/want"
	same "a host FIFO in the tree: guests meet in the kernel, nothing reaches a host reader, a waiting open ends with vxinferno" "$tmp/want" "$tmp/out"
	rm -f "$R/tmp/hostfifo"
else
	skip "a host FIFO in the tree is the kernel's named pipe" "no busybox sh in the scratch root, or no mkfifo"
fi
timeout 60 $VX -r "$R" guest_gaps devnodes >"$tmp/out" 2>&1
printf '%s\n' 'mknod S_IFCHR: Operation not permitted' 'mknod S_IFBLK: Operation not permitted' \
	'mknodat S_IFCHR: Operation not permitted' 'any left: 0' >"$tmp/want"
same "mknod of a device is EPERM, as for an unprivileged Linux user" "$tmp/want" "$tmp/out"
timeout 60 $VX -r "$R" guest_gaps idother >"$tmp/out" 2>&1
printf '%s\n' 'setuid(other): Operation not permitted' 'setresgid(-1, other, -1): Operation not permitted' \
	'setgroups: Operation not permitted' 'still: 1 1' >"$tmp/want"
same "a guest cannot take another id, whoever the host user is" "$tmp/want" "$tmp/out"
timeout 60 $VX -r "$R" guest_gaps id16 >"$tmp/out" 2>&1
if grep -q 'not tried' "$tmp/out"; then
	skip "16-bit set*id calls take the low 16 bits" "the host ids do not fit 16 bits"
else
	printf '%s\n' 'setuid16(0x10000 + uid): ok' 'setreuid16(0xffff, 0x30000 + uid): ok' \
		'setresgid16(0x1ffff, 0x10000 + gid, 0xffff): ok' 'setuid16(0x2ffff): Invalid argument' \
		'setgid16(0x10000 + another gid): Operation not permitted' >"$tmp/want"
	same "16-bit set*id calls take the low 16 bits of an id, 0xffff as -1" "$tmp/want" "$tmp/out"
fi
# MADV_DONTNEED on a private mapping of a file no host file is behind
# (an #e file: the sandbox copies it) reads the file's pages again, as a
# Linux private file mapping does (the reference maps a host file): after
# a rewrite, in a forked child, after mremap moved it, shared read-only,
# once the fd is closed
(cd "$R" && refrun ./bin/guest_gaps dontneedfile "$R/tmp/dnf") >"$tmp/want" 2>&1
timeout 60 $VX -r "$R" guest_gaps dontneedfile /env/dnf >"$tmp/out" 2>&1
same "MADV_DONTNEED on a private copy of a kernel device's file: the file's pages again, not zeros; mremap grows it with the file's pages" "$tmp/want" "$tmp/out"
grep -q '^grown and moved: 1, the pages: "FROM" "the second page"$' "$tmp/out" &&
	grep -q '^the second page of two grown and moved: 1 "written", madvised: ok "the second page"; the first kept: "FROM"$' "$tmp/out"
okrc $? "mremap growing a copy of a kernel device's file, moved: the file's next page, not zeros; a page moved out of it keeps its file"
# grown in place (qemu-i386 cannot: the sandbox alone)
timeout 60 $VX -r "$R" guest_gaps growinplace /env/dng >"$tmp/out" 2>&1
grep -q '^one page grown to two in place: ok, the second: "the second page", madvised: ok "the second page"$' "$tmp/out"
okrc $? "mremap growing a copy of a kernel device's file in place: the file's next page, also after MADV_DONTNEED"
# the refill while another thread reads the pages: never zeros, never a fault
(cd "$R" && refrun ./bin/guest_gaps dontneedrace "$R/tmp/dnr") >"$tmp/want" 2>&1
timeout 60 $VX -r "$R" guest_gaps dontneedrace /env/dnr >"$tmp/out" 2>&1
same "MADV_DONTNEED of a kernel device file's copy under a reading thread: the file's bytes throughout" "$tmp/want" "$tmp/out"
# the same for a private mapping of a #U (host) file, mapped in place
# from the host file: after mremap moved or grew it and in a forked
# child its pages are copies, which MADV_DONTNEED reads from the file
# again (the host's madvise would make them zero); grown, it has the
# file's next bytes
(cd "$R" && refrun ./bin/guest_gaps dontneedfile "$R/tmp/dnu") >"$tmp/want" 2>&1
timeout 60 $VX -r "$R" guest_gaps dontneedfile /tmp/dnu >"$tmp/out" 2>&1
same "MADV_DONTNEED and mremap on a private mapping of a #U file: the file's pages, moved, grown, in a child" "$tmp/want" "$tmp/out"
grep -q '^moved by mremap, madvise: ok, "FROM the file" "the second page"$' "$tmp/out" &&
	grep -q '^a forked child.s madvise: "FROM the file"$' "$tmp/out"
okrc $? "a #U private mapping moved by mremap, or in a forked child, reads the file again after MADV_DONTNEED"
timeout 60 $VX -r "$R" guest_gaps growinplace /tmp/dngu >"$tmp/out" 2>&1
grep -q '^one page grown to two in place: ok, the second: "the second page", madvised: ok "the second page"$' "$tmp/out"
okrc $? "mremap growing a #U private mapping in place: the file's next page, also after MADV_DONTNEED"
(cd "$R" && refrun ./bin/guest_gaps dontneedrace "$R/tmp/dnru") >"$tmp/want" 2>&1
timeout 60 $VX -r "$R" guest_gaps dontneedrace /tmp/dnru >"$tmp/out" 2>&1
same "MADV_DONTNEED of a #U private mapping under a reading thread: the file's bytes throughout" "$tmp/want" "$tmp/out"
# a #U file that grows after a private mapping of it: MADV_DONTNEED
# reads the pages past its old end from the file too (they were zero:
# our pages, not the host file's, since the file ended before them);
# and the same of an #e file's copy
(cd "$R" && refrun ./bin/guest_gaps growfile "$R/tmp/gf") >"$tmp/gfwant" 2>&1
timeout 60 $VX -r "$R" guest_gaps growfile /tmp/gf >"$tmp/gfout" 2>&1
same "a #U file grown after its private mapping: MADV_DONTNEED gives its new bytes past the old end" "$tmp/gfwant" "$tmp/gfout"
timeout 60 $VX -r "$R" guest_gaps growfile /env/gf >"$tmp/gfout" 2>&1
same "an #e file grown after its private mapping (a copy): the same" "$tmp/gfwant" "$tmp/gfout"
# st_dev as mountinfo says, and a directory on a device of its own is a
# mount point there (checked on the sandbox alone: a reference host may
# have file systems, such as btrfs subvolumes, that differ without one);
# a read-only tree is "ro" there
mkdir -p "$tmp/ro"
timeout 60 $VX -r "$R" -b "$tmp/ro:/tmp:ro" guest_gaps mounts / /tmp /dev >"$tmp/out" 2>&1
printf '%s\n' 'mount points checked against stat' '/: rw' '/tmp: ro' '/dev: rw' >"$tmp/want"
same "st_dev and /proc/self/mountinfo agree: / is one file system (#/ and #U), the mount points are listed; -b dir:old:ro is ro" "$tmp/want" "$tmp/out"
# statfs: the host's numbers for a #U tree (the free counts change, and
# are only checked to be within the totals), the same through statfs,
# statfs64 and fstatfs64; a read-only tree's has ST_RDONLY, as a
# read-only bind mount's (made in a user namespace for the reference)
(cd "$R" && refrun ./bin/guest_gaps statfs "$R/tmp") >"$tmp/want" 2>&1
timeout 60 $VX -r "$R" guest_gaps statfs /tmp >"$tmp/out" 2>&1
same "statfs of a #U tree is the host's: type, sizes, blocks, files, name length, flags" "$tmp/want" "$tmp/out"
# a kernel device's: what Linux says of /proc (its mount flags vary by
# host: not compared)
timeout 60 $VX -r "$R" guest_gaps statfs /proc >"$tmp/out" 2>&1
grep -q '^type 0x9fa0 bsize 4096 frsize 4096 blocks 0 files 0 namelen 255 flags 0x102e$' "$tmp/out"
okrc $? "statfs of /proc: proc's type, no blocks or files, 4096-byte blocks, nosuid nodev noexec relatime"
case $REF in qemu) refq=qemu-i386 ;; *) refq= ;; esac
if (cd "$R" && unshare -rm sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec $0 ./bin/guest_gaps statfs "$1"' "${refq:-env}" "$tmp/ro") >"$tmp/want" 2>&1; then
	timeout 60 $VX -r "$R" -b "$tmp/ro:/tmp:ro" guest_gaps statfs /tmp >"$tmp/out" 2>&1
	same "statfs of a read-only tree: ST_RDONLY, as a read-only bind mount's" "$tmp/want" "$tmp/out"
else
	skip "statfs of a read-only tree: ST_RDONLY, as a read-only bind mount's" "no read-only bind mount in a user namespace here"
fi
# rmdir of a mount point (a -b target, a union of two) is EBUSY, as a
# bind mount's (made in a user namespace for the reference), and leaves
# it; until session 22 EACCES; a plain directory beside them goes
mkdir -p "$tmp/mb1" "$tmp/mb2" "$R/mb" "$R/mbu" "$R/plain"
echo 1 >"$tmp/mb1/inside"
echo 2 >"$tmp/mb2/inside"
if (cd "$R" && unshare -rm sh -c 'mount --bind "$1" "$3/mb" && mount --bind "$1" "$3/mbu" && mount --bind "$2" "$3/mbu" &&
	exec $0 ./bin/guest_gaps mountbusy "$3/mb" "$3/mbu" "$3/mb/" "$3/plain"' "${refq:-env}" "$tmp/mb1" "$tmp/mb2" "$R") >"$tmp/want" 2>&1; then
	mkdir -p "$R/plain"
	timeout 60 $VX -r "$R" -b "$tmp/mb1:/mb:rw" -b "$tmp/mb1:/mbu:rw" -B "$tmp/mb2:/mbu:rw" guest_gaps mountbusy /mb /mbu /mb/ /plain >"$tmp/out" 2>&1
	same "rmdir and unlinkat(AT_REMOVEDIR) of a mount point (a bind, a union): EBUSY, nothing removed; unlink EISDIR" "$tmp/want" "$tmp/out"
else
	skip "rmdir and unlinkat(AT_REMOVEDIR) of a mount point (a bind, a union): EBUSY, nothing removed; unlink EISDIR" "no bind mount in a user namespace here"
fi
# rename of a mount point, onto one, and of a last name `.` or `..`:
# EBUSY as Linux's (a file onto a mount point EISDIR); until session 22
# EINVAL, EXDEV, or the rename of d/.. done
rbname="rename of a mount point (a bind, a union) and onto one, of d/.. and d/., and onto them: EBUSY, nothing moved"
mkdir -p "$R/rb"
if (cd "$R" && unshare -rm sh -c 'mount --bind "$1" "$3/mb" && mount --bind "$1" "$3/mbu" && mount --bind "$2" "$3/mbu" &&
	exec $0 ./bin/guest_gaps renamebusy "$3/mb" "$3/mbu" "$3/rb"' "${refq:-env}" "$tmp/mb1" "$tmp/mb2" "$R") >"$tmp/want" 2>&1; then
	timeout 60 $VX -r "$R" -b "$tmp/mb1:/mb:rw" -b "$tmp/mb1:/mbu:rw" -B "$tmp/mb2:/mbu:rw" guest_gaps renamebusy /mb /mbu /rb >"$tmp/out" 2>&1
	same "$rbname" "$tmp/want" "$tmp/out"
else
	skip "$rbname" "no bind mount in a user namespace here"
fi
# ids above 16 bits: the guest and the reference as uid 100000, gid
# 100001 of a user namespace, whose NSS is files only (for the
# reference's sake: vxinferno reads /etc/passwd itself, tests/vxinferno.t)
printf 'passwd: files\ngroup: files\n' >"$tmp/nsswitch.conf"
bigids() {
	(cd "$R" && unshare -r -m sh -c 'mount --bind "$0" /etc/nsswitch.conf &&
		exec unshare --user --map-user=100000 --map-group=100001 env USER=u100000 "$@"' "$tmp/nsswitch.conf" "$@")
}
if bigids sh -c 'test "$(id -u)" = 100000' 2>/dev/null; then
	case $REF in qemu) refq=qemu-i386 ;; *) refq= ;; esac
	bigids $refq ./bin/guest_gaps fsids >"$tmp/want" 2>&1
	bigids "$(pwd)/$VX" -r "$R" guest_gaps fsids >"$tmp/out" 2>&1
	same "setfsuid16, setfsgid16 answer all 32 bits of the id before (uid 100000)" "$tmp/want" "$tmp/out"
	grep -q '^setfsuid16(0xffff): 100000$' "$tmp/out"
	okrc $? "setfsuid16 of an id above 65535 is not narrowed"
	# struct stat's 16-bit uid and gid are the overflow id, 65534 (qemu
	# truncates them: checked against stat64 alone)
	bigids "$(pwd)/$VX" -r "$R" guest_gaps stat >"$tmp/out" 2>&1
	grep -q '^stat st.f: 0, agrees with stat64: 1' "$tmp/out" && ! grep -q 'agrees with stat64: 0' "$tmp/out"
	okrc $? "stat of uid 100000's file: 65534 in struct stat's 16-bit uid, gid"
else
	skip "setfsuid16, setfsgid16 answer all 32 bits of the id before" "no user namespace with uid 100000 here"
	skip "setfsuid16 of an id above 65535 is not narrowed" "no user namespace with uid 100000 here"
	skip "stat of uid 100000's file: 65534 in struct stat's 16-bit uid, gid" "no user namespace with uid 100000 here"
fi
# ttypgrp: tcsetpgrp needs a terminal, the caller's controlling one:
# both run on a pseudo-terminal of their own, made by script(1), in its
# foreground group: timeout(1) without --foreground makes a group of its
# own, and whether that is the foreground depends on whether script's
# shell execs it (bash does, dash does not: CI's SHELL=/bin/sh said 0)
ttyname="TIOCSPGRP as Linux's: a group of the caller's session or a process of it leading none; EPERM for another session's, ESRCH for none, EINVAL below 0; ENOTTY after setsid (no controlling terminal), for TIOCGPGRP too"
case $REF in
native) ttyref=./bin/guest_gaps ;;
qemu) ttyref="timeout --foreground 300 $REF_QEMU ./bin/guest_gaps" ;;
*) ttyref= ;;
esac
if command -v script >/dev/null 2>&1 && [ -n "$ttyref" ]; then
	(cd "$R" && SHELL=/bin/sh script -qec "$ttyref ttypgrp" /dev/null </dev/null) >"$tmp/ttypgrp.native" 2>&1
	SHELL=/bin/sh script -qec "timeout --foreground 60 $VX -r $R guest_gaps ttypgrp" /dev/null </dev/null >"$tmp/ttypgrp.guest" 2>&1
	same "$ttyname" "$tmp/ttypgrp.native" "$tmp/ttypgrp.guest"
	grep -q '^tcsetpgrp to the group of another session: -1 Operation not permitted' "$tmp/ttypgrp.guest"
	okrc $? "TIOCSPGRP of another session's group is EPERM (it was taken)"
else
	skip "$ttyname" "no script(1) or no reference"
	skip "TIOCSPGRP of another session's group is EPERM (it was taken)" "no script(1) or no reference"
fi
finish
