#!/bin/sh
# vxinferno_locks.t — file locks between guest processes
# (tests/guest_locks.c): POSIX record locks (conflicts, F_GETLK's answer
# and owner, splitting and merging, upgrade and downgrade, release on
# the close of another fd of the file and at exit, not inherited by
# fork, EBADF for the open mode, SEEK_CUR, SEEK_END and negative
# lengths), F_SETLKW woken by the unlock, ended by a signal (EINTR) and
# refused for a deadlock (EDEADLK); OFD locks; flock shared across dup
# and fork, released at the last close, apart from POSIX locks.  The
# same output natively (Linux: qemu-i386 here) and under vxinferno.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_locks.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_locks

(cd "$R" && refrun ./bin/guest_locks; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_locks >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "locks: POSIX, OFD and flock between processes, as Linux keeps them" "$tmp/native" "$tmp/guest"
grep -q '^getlk 0+11: WR 10+4 kid$' "$tmp/guest" && grep -q '^after the child.s exit: UN$' "$tmp/guest" &&
	grep -q '^setlkw 1 (the child waits for us): -35$' "$tmp/guest" && grep -q '^flock b sh, one copy left: -11$' "$tmp/guest" &&
	grep -q '^done$' "$tmp/guest"
okrc $? "the guest ran to its end (a conflict seen, released at exit, EDEADLK, flock kept by a copy)"
finish
