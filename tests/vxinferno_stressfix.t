#!/bin/sh
# vxinferno_stressfix.t — what stress-ng's stressors found wrong or
# missing (tests/guest_stressfix.c: the old sigprocmask behind
# getcontext/swapcontext, lseek's errors and the offsets of /dev/null,
# zero and full, an open at EMFILE that created its file, /dev/zero
# opened for writing, sched_getscheduler, names deeper than 256
# elements, EPOLLEXCLUSIVE, SEEK_DATA/SEEK_HOLE, getcpu, readahead,
# syncfs, sgetmask, adjtimex's read): the same program on the reference
# CPU (tests/lib/engines.sh) and as a guest, in roots of their own,
# must print the same.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_stressfix.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
for r in nat vx; do
	mkdir -p "$tmp/$r"
	mkroot "$tmp/$r" guest_stressfix
done
(cd "$tmp/nat" && refrun ./bin/guest_stressfix; echo "status $?") >"$tmp/nat.out" 2>&1
(timeout 60 $VX -r "$tmp/vx" guest_stressfix; echo "status $?") >"$tmp/vx.out" 2>&1
grep -q '^coroutine steps 2$' "$tmp/nat.out" && grep -q '^deep: 300 levels' "$tmp/nat.out" && grep -qx 'status 0' "$tmp/nat.out"
okrc $? "the reference run went through (the test itself works)"
same "the calls stress-ng found behave as the host kernel's" "$tmp/nat.out" "$tmp/vx.out"
# the privileged calls, only as a guest: natively as root they would
# act on the host
cat >"$tmp/priv.want" <<'EOF'
chroot /: Operation not permitted
chroot /nonexistent: No such file or directory
chroot /bin/guest_stressfix: Not a directory
reboot, bad magic: Operation not permitted
sethostname: Operation not permitted
mount: Operation not permitted
umount2: Operation not permitted
swapon: Operation not permitted
clone CLONE_NEWPID: Operation not permitted
clone CLONE_NEWNS: Operation not permitted
status 0
EOF
(timeout 60 $VX -r "$tmp/vx" guest_stressfix priv; echo "status $?") >"$tmp/priv.out" 2>&1
same "a privileged call is refused EPERM, as to a process without capabilities" "$tmp/priv.want" "$tmp/priv.out"
finish
