#!/bin/sh
# vxinferno_eventfd.t — eventfd and eventfd2 (tests/guest_eventfd.c):
# the counter, semaphore mode, EAGAIN, EINVAL sizes, overflow, poll,
# select and epoll readiness, blocking reads woken by a thread, a forked
# child and a signal, a write at the maximum waiting for a reader;
# epoll_pwait's signal mask.  The same output natively and under vxinferno.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_eventfd.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_eventfd

(cd "$R" && refrun ./bin/guest_eventfd; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_eventfd >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "eventfd: counter, semaphore, sizes, overflow, readiness, blocking wake-ups" "$tmp/native" "$tmp/guest"
grep -q '^read: 8 ok 5$' "$tmp/guest" && grep -q '^child: 3$' "$tmp/guest" && grep -q '^epoll set: 1 events 0x1 data 42$' "$tmp/guest" &&
	grep -q '^epoll_pwait, SIGALRM unblocked: -1 Interrupted' "$tmp/guest" && grep -q '^closed: -1' "$tmp/guest"
okrc $? "the guest ran to its end (thread, child, epoll and epoll_pwait mask seen)"
finish
