#!/bin/sh
# vxinferno_futex.t — futex operations beyond wait and wake
# (tests/guest_futex.c): FUTEX_WAKE_OP's operations, comparisons, errors
# and counts; PI futexes by hand and as PTHREAD_PRIO_INHERIT mutexes
# (ownership, EDEADLK, EPERM, ESRCH, the hand-over, timeouts); the
# requeue of condition variable waiters onto a PI futex; the same
# natively and under vxinferno.  Robust futex lists, which qemu-i386
# refuses, against what futex(2), get_robust_list(2) and
# pthread_mutexattr_setrobust(3) say.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_futex.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_futex

for m in wakeop pi robust requeuepi; do
	(cd "$R" && refrun ./bin/guest_futex $m; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 120 $VX -r "$R" guest_futex $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
done
same "FUTEX_WAKE_OP: set, add, or, andn, xor, shifted arguments, the six comparisons, ENOSYS for unknown ones, EFAULT and EINVAL for the second word; waiters woken on the first word, on the second as the comparison says, counted" "$tmp/wakeop.native" "$tmp/wakeop.guest"
same "PI futexes: trylock, EDEADLK, EPERM, ESRCH for an ended owner, FUTEX_OWNER_DIED kept, the hand-over to a queued waiter, LOCK_PI and LOCK_PI2 timeouts; PTHREAD_PRIO_INHERIT mutexes" "$tmp/pi.native" "$tmp/pi.guest"
same "FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI: EINVAL, EFAULT, EAGAIN, ETIMEDOUT; a waiter given the free PI lock; three requeued behind a held one and handed it in turn; FUTEX_WAKE refused with such a waiter; a plain waiter met is EINVAL" "$tmp/requeuepi.native" "$tmp/requeuepi.guest"
grep -q '^each held it in turn: 3 of 3, the lock at the end 0$' "$tmp/requeuepi.guest"
okrc $? "FUTEX_CMP_REQUEUE_PI: three requeued waiters each own the PI mutex in turn"
# robust: where the reference has no robust lists (qemu), what the manuals say
if grep -q '^no robust lists' "$tmp/robust.native"; then
	cat >"$tmp/robust.native" <<'OUT'
robust: init: 0
owner's lock: 0
robust: lock after the owner ended: EOWNERDEAD
robust: consistent: 0
robust: unlock, lock, unlock: 0 0 0
owner's lock: 0
robust: the waiter's lock: EOWNERDEAD
robust PI: init: 0
owner's lock: 0
robust PI: lock after the owner ended: EOWNERDEAD
robust PI: consistent: 0
robust PI: unlock, lock, unlock: 0 0 0
owner's lock: 0
robust PI: the waiter's lock: EOWNERDEAD
-- a process ends holding a process-shared robust mutex
process: init: 0
process: lock after the child ended: EOWNERDEAD
-- get_robust_list and set_robust_list
get_robust_list: 0 len 12 head set 1
set_robust_list of a bad size: -1 EINVAL
set_robust_list: 0
get_robust_list: 0, it is the new head 1
get_robust_list of my tid: 0
get_robust_list of no thread: -1 ESRCH
get_robust_list to a bad address: -1 EFAULT
status 0
OUT
fi
same "robust futexes: a thread or process that ends holding a robust mutex (plain, PI, process-shared) gives the next locker and a queued waiter EOWNERDEAD; get_robust_list and set_robust_list" "$tmp/robust.native" "$tmp/robust.guest"
finish
