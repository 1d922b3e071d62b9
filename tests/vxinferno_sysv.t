#!/bin/sh
# vxinferno_sysv.t — System V IPC (tests/guest_sysv.c): shared memory,
# semaphores and message queues, fork, SEM_UNDO at exit, EINTR, EIDRM,
# keys, the *ctl calls and Linux's errors, compared with the same
# program built for the host (x86_64: the host kernel's IPC, whose
# semantics an i386 program sees too; qemu-i386 handles shmat, munmap
# and msgsnd itself and gets them wrong, or dies).  The i386 part (the
# limits, ipc(2)'s conventions, the direct calls) is compared with
# i386 code run natively, or where qemu is the reference with the
# kernel's output recorded (tests/data/sysv/README).  Then the bound:
# shm segments stop at the sandbox's -M.  And pidfds and vmsplice,
# against the host's kernel too.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_sysv.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_sysv

if gcc -O1 -o "$tmp/host" tests/guest_sysv.c 2>"$tmp/cc.err"; then
	(timeout 60 "$tmp/host"; echo "status $?") >"$tmp/native" 2>&1
	timeout 60 $VX -r "$R" guest_sysv >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "shm, sem and msg: attach, fork, munmap, IPC_RMID; semop, waiters, EINTR, EIDRM, SEM_UNDO; types, full queue, MSG_COPY; errors" "$tmp/native" "$tmp/guest"
	(timeout 60 "$tmp/host" pidfd; echo "status $?") >"$tmp/pidfd.native" 2>&1
	timeout 60 $VX -r "$R" guest_sysv pidfd >"$tmp/pidfd.guest" 2>&1
	echo "status $?" >>"$tmp/pidfd.guest"
	same "pidfd_open, poll and epoll readable at exit, waitid(P_PIDFD), pidfd_send_signal, pidfd_getfd, errors; vmsplice" "$tmp/pidfd.native" "$tmp/pidfd.guest"
else
	sed 's/^/# /' "$tmp/cc.err"
	skip "shm, sem and msg against the host's kernel" "no host build of tests/guest_sysv.c"
	skip "pidfds against the host's kernel" "no host build of tests/guest_sysv.c"
fi

sysvref() {
	(cd "$R" && refrun ./bin/guest_sysv i386; echo "status $?") 2>&1
}
refout "$tmp/i386.native" tests/data/sysv/i386.out sysvref
timeout 60 $VX -r "$R" guest_sysv i386 >"$tmp/i386.guest" 2>&1
echo "status $?" >>"$tmp/i386.guest"
same "i386: the limits, ipc(2)'s IPC_64, old structures, version 0 msgrcv and shmat; the direct calls" "$tmp/i386.native" "$tmp/i386.guest"

# confinement: segments are charged to the sandbox's -M whole, from
# shmget to their end, also while a piece of one removed stays mapped
timeout 60 $VX -M 32 -r "$R" guest_sysv fill >"$tmp/fill" 2>&1
[ "$(grep -c '^fill: \(1[26]\|2[048]\) MiB, then Cannot allocate memory$' "$tmp/fill")" = 2 ]
okrc $? "shm segments stop short of -M 32 (ENOMEM), cut and removed while attached or not"
[ "$(grep -c '^fill: [0-9]* MiB' "$tmp/fill")" = 2 ] || sed 's/^/# /' "$tmp/fill"
finish
