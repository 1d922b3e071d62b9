#!/bin/sh
# vxinferno_timers.t — timerfd, signalfd and POSIX timers
# (tests/guest_timers.c): errors, expiry counts, readiness under poll,
# select and epoll, blocking reads woken by time, a child, a signal or a
# kill, fork, dup, close and exec; signalfd_siginfo for kill, tgkill,
# sigqueue and SIGCHLD; SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID,
# glibc's SIGEV_THREAD, overruns; a signalfd's readiness to each thread
# (its own signals and its process's), epolls nested in poll, select
# and epoll with timerfds and signalfds inside, a timerfd re-armed or
# disarmed by another thread while one waits on it, SIGEV_THREAD_ID at
# a thread that has ended (dropped), the CPU-time clocks of the process
# (its own threads only) and of another thread, clock_nanosleep and a
# timer on them.  The same output
# natively (or under qemu-i386) and under vxinferno, but for the lines
# "vx:", where the reference may differ (qemu's own timer ids, its 32
# timers, its signalfd4 that takes any sigsetsize, CAP_WAKE_ALARM that
# a root reference may have): those are checked against what Linux
# answers, or the sandbox's choice.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_timers.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_timers guest_timerdrop

(cd "$R" && refrun ./bin/guest_timers; echo "status $?") >"$tmp/native" 2>&1
timeout 120 $VX -r "$R" guest_timers >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
grep -v '^vx:' "$tmp/native" >"$tmp/native.same"
grep -v '^vx:' "$tmp/guest" >"$tmp/guest.same"
same "timerfd, signalfd, POSIX timers: as the reference" "$tmp/native.same" "$tmp/guest.same"
grep -q '^SIGEV_THREAD: create ok, ran with 42$' "$tmp/guest" && grep -q '^hidden fds at the end: 0$' "$tmp/guest" &&
	grep -q '^status 0$' "$tmp/guest"
okrc $? "the guest ran to its end (SIGEV_THREAD ran, no doorbell left open)"
grep -q '^vx: si_timerid is the id 1, si_value is the id 1$' "$tmp/guest"
okrc $? "a default timer's signal: si_timerid and si_value are the timer's id"
grep -q '^vx: signalfd4 sizemask 4: Invalid argument$' "$tmp/guest"
okrc $? "signalfd4 with a sigsetsize other than 8: EINVAL"
grep -q '^vx: timerfd_create REALTIME_ALARM: Operation not permitted$' "$tmp/guest" &&
	grep -q '^vx: timerfd_create BOOTTIME_ALARM: Operation not permitted$' "$tmp/guest"
okrc $? "timerfd_create on an _ALARM clock: EPERM (no guest has CAP_WAKE_ALARM)"
grep -q '^vx: timers made before failing: 256 (Resource temporarily unavailable)$' "$tmp/guest"
okrc $? "a process has at most 256 POSIX timers (EAGAIN after)"

# A timer's signal pending when the timer is set again, disarmed or
# deleted is dropped on Linux 6.14 and later (tests/guest_timerdrop.c):
# the reference is the host kernel itself (qemu-user queues signals its
# own way), with the program built for the host.
kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
if [ "$kv" -ge 6014 ] && gcc -O1 -o "$tmp/timerdrop" tests/guest_timerdrop.c 2>/dev/null; then
	"$tmp/timerdrop" >"$tmp/drop.host" 2>&1
	timeout 60 $VX -r "$R" guest_timerdrop >"$tmp/drop.guest" 2>&1
	same "a timer's pending signal dropped when it is set again, disarmed or deleted: as the host kernel" \
		"$tmp/drop.host" "$tmp/drop.guest"
else
	skip "a timer's pending signal dropped when it is set again" "the host kernel ($(uname -r)) is older than 6.14, or no host compiler"
fi

# A guest leaves with a timer firing every millisecond, a timerfd and a
# signalfd, and a child blocked reading it: the host ends the child and
# exits, nothing waits.
timeout 30 $VX -r "$R" guest_timers leave >"$tmp/leave" 2>&1
echo "status $?" >>"$tmp/leave"
grep -q '^leaving with' "$tmp/leave" && grep -q '^status 0$' "$tmp/leave"
okrc $? "a guest that leaves timers, a timerfd and a signalfd with a child blocked on it: the host exits"
finish
