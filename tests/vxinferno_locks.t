#!/bin/sh
# vxinferno_locks.t — file locks between guest processes
# (tests/guest_locks.c): POSIX record locks (conflicts, F_GETLK's answer
# and owner, splitting and merging, upgrade and downgrade, release on
# the close of another fd of the file and at exit, not inherited by
# fork, EBADF for the open mode, SEEK_CUR, SEEK_END and negative
# lengths), F_SETLKW woken by the unlock, ended by a signal (EINTR) and
# refused for a deadlock (EDEADLK: whichever of two processes closes the
# cycle, ordered by no sleep); OFD locks; flock shared across dup
# and fork, released at the last close, apart from POSIX locks.  The
# same output natively (Linux: qemu-i386 here) and under vxinferno,
# also for hostile struct flock64 values (ranges at 2^63 from each
# l_whence, negative lengths, bad types).  Then, under vxinferno only
# (tests/guest_lockabuse.c): a guest locking every other byte of a file
# meets ENOLCK at the table's bound (it had none: the host's memory and
# quadratic time), and flock or an OFD lock racing a close of its fd in
# another thread leaves no lock behind its open file (it did, a few in
# 20000 rounds: the open file could go between its identification and
# the lock's entry); a POSIX lock set through an fd by one thread while
# another closes it does not outlive the close (it did, a few in 2000
# rounds: the close dropped the process's locks before the kernel closed
# the fd); flock handed over by close between two processes in turn.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_locks.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_locks guest_lockabuse

(cd "$R" && refrun ./bin/guest_locks; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_locks >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "locks: POSIX, OFD and flock between processes, as Linux keeps them" "$tmp/native" "$tmp/guest"
grep -q '^getlk 0+11: WR 10+4 kid$' "$tmp/guest" && grep -q '^after the child.s exit: UN$' "$tmp/guest" &&
	grep -q '^setlkw on each other.s byte: -35 and 0$' "$tmp/guest" && grep -q '^flock b sh, one copy left: -11$' "$tmp/guest" &&
	grep -q '^done$' "$tmp/guest"
okrc $? "the guest ran to its end (a conflict seen, released at exit, EDEADLK, flock kept by a copy)"

timeout 120 $VX -r "$R" guest_lockabuse many >"$tmp/many" 2>&1
echo "status $?" >>"$tmp/many"
grep -q '^many: ENOLCK after [0-9]* locks$' "$tmp/many" &&
	grep -q '^full: held again 0, unlock one 0, a new one 0, one more ENOLCK$' "$tmp/many" &&
	grep -q '^child while full: ENOLCK$' "$tmp/many" && grep -q '^unlock all: 0$' "$tmp/many" &&
	grep -q '^lock again: 0$' "$tmp/many" && grep -q '^status 0$' "$tmp/many"
rc=$?
okrc $rc "every other byte locked: ENOLCK at the table's bound, room again after an unlock"
[ $rc = 0 ] || sed 's/^/# /' "$tmp/many"

# abuse NAME ARGS WANT DESC: guest_lockabuse NAME ARGS ends with the
# line matching WANT and status 0
abuse() {
	timeout 120 $VX -r "$R" guest_lockabuse $1 $2 >"$tmp/$1" 2>&1
	echo "status $?" >>"$tmp/$1"
	grep -q "$3" "$tmp/$1" && grep -q '^status 0$' "$tmp/$1"
	rc=$?
	okrc $rc "$4"
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/$1"
}
abuse race 20000 '^race: 20000 rounds, 0 stale$' \
	"flock and OFD locks racing a close in another thread: none outlives its open file"
abuse closerace 5000 '^closerace: 5000 rounds, 0 stale$' \
	"a POSIX lock set through an fd while another thread closes it: none outlives the close"
abuse handoff "200 0" '^handoff: 400 hand-offs, ' \
	"flock handed over by close 400 times between two processes, each waiter woken"
finish
