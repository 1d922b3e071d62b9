#!/bin/sh
# vxinferno_inotify.t — Linux's inotify (tests/guest_inotify.c): a
# directory's and a file's events, moves and their cookies, a watched
# file removed (IN_DELETE_SELF, IN_IGNORED), one wd for two names,
# IN_MASK_ADD, IN_MASK_CREATE, IN_ONESHOT, IN_ONLYDIR, IN_DONT_FOLLOW,
# errors, FIONREAD, poll, select and epoll woken by a child, dup, fork
# and exec, coalescing and overflow: the same output natively and under
# vxinferno.  Then a host process's change to a bound file seen by the
# guest; a union directory's watch; a hostile guest stopped at the sandbox's bounds with the host's
# inotify untouched (one descriptor, one watch per host file); and
# Debian's tail -f and inotifywait where build/i386root has them.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_inotify.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_inotify

# where qemu-i386 is the reference, Linux's output recorded: qemu keeps
# the event a read into a bad pointer loses (tests/data/inotify/README)
inotifyref() {
	(cd "$R" && refrun ./bin/guest_inotify; echo "status $?")
}
refout "$tmp/native" tests/data/inotify/guest_inotify.out inotifyref
timeout 60 $VX -r "$R" guest_inotify >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "inotify: events, cookies, self events, wds, flags, errors, readiness, sharing, overflow" "$tmp/native" "$tmp/guest"
grep -q '^dir: wd 2 MOVED_TO cookie same len 16 name c$' "$tmp/guest" && grep -q '^file: wd 2 DELETE_SELF len 0$' "$tmp/guest" &&
	grep -q '^epoll: 1 events 0x1 data 7$' "$tmp/guest" && grep -q '^events: max_queued_events+1, the last Q_OVERFLOW wd -1$' "$tmp/guest"
okrc $? "the guest ran to its end (a move across directories, a link's own watch, epoll, overflow seen)"

# The host changes a file of the guest's tree once the guest says its
# watches are there (its stdout, a pipe): as natively, the guest sees it.
hostside() {	# hostside ROOT: echo the guest's lines; at "ready", change ROOT/tmp/h
	while read -r l; do
		echo "$l"
		if [ "$l" = ready ]; then
			echo hello >>"$1/tmp/h/file"
			: >"$1/tmp/h/new"
		fi
	done
}
mkdir -p "$R/tmp/h"
: >"$R/tmp/h/file"
(cd "$R" && refrun ./bin/guest_inotify host | hostside .) >"$tmp/hostnative" 2>&1
rm -f "$R/tmp/h/new"
timeout 60 $VX -r "$R" guest_inotify host 2>&1 | hostside "$R" >"$tmp/hostguest"
same "a host process's write and create seen by the guest's watches" "$tmp/hostnative" "$tmp/hostguest"

# A union directory (-B: a host directory bound before the root's
# tmp/u): its watch reports the entries of both members.
mkdir -p "$R/tmp/u" "$tmp/first"
timeout 60 $VX -r "$R" -B "$tmp/first:/tmp/u:rw" guest_inotify union 2>&1 | {
	while read -r l; do
		echo "$l"
		if [ "$l" = ready ]; then
			: >"$tmp/first/x"
			: >"$R/tmp/u/y"
		fi
	done
} >"$tmp/union"
printf 'union wd 1\nready\nunion: wd 1 CREATE len 16 name x\nunion: wd 1 CREATE len 16 name y\n' >"$tmp/unionwant"
same "a union directory's watch: a file made in each member" "$tmp/unionwant" "$tmp/union"

# A hostile guest: watches and instances until the bounds; meanwhile the
# host process holds one inotify descriptor and a watch per host file
# (20, each watched by two instances), not the guest's 8192.
mkfifo "$tmp/in" "$tmp/out"
$VX -r "$R" guest_inotify many <"$tmp/in" >"$tmp/out" 2>&1 &
vxpid=$!
exec 3>"$tmp/in"
hostfds=- hostwatches=-
while read -r l; do
	echo "$l" >>"$tmp/many"
	if [ "$l" = ready ]; then
		hostfds=$(ls -l "/proc/$vxpid/fd" 2>/dev/null | grep -c 'anon_inode:inotify')
		hostwatches=$(cat "/proc/$vxpid/fdinfo/"* 2>/dev/null | grep -c '^inotify wd:')
		echo go >&3
	fi
done <"$tmp/out"
exec 3>&-
wait $vxpid
echo "status $?" >>"$tmp/many"
grep -q '^watch 8192: No space left on device$' "$tmp/many" && grep -q '^watches: = max_user_watches$' "$tmp/many" &&
	grep -q '^instance 128: Too many open files$' "$tmp/many" && grep -q '^instances: = max_user_instances$' "$tmp/many" &&
	grep -q '^after closing one, a watch: 1$' "$tmp/many" && grep -q '^status 0$' "$tmp/many"
okrc $? "a guest's 100,000 watches end at the sandbox's 8192 (ENOSPC), 200 instances at 128 (EMFILE)"
sed -n '/watch 8192\|instance 1\|status/p' "$tmp/many" | sed 's/^/# /'
[ "$hostfds" = 1 ] && [ "$hostwatches" = 20 ]
okrc $? "the host process meanwhile holds one inotify descriptor and 20 watches (has $hostfds, $hostwatches)"

# Debian's programs (build/i386root): tail -f no longer falls back to
# polling, and inotifywait reports a change the host makes.
D=build/i386root
if [ -x "$D/usr/bin/tail" ]; then
	mkdir -p "$tmp/log"
	echo first >"$tmp/log/f"
	timeout 60 $VX -r "$D" -b "$tmp/log:/tmp:rw" /usr/bin/tail -n 1 -f /tmp/f 2>&1 | {
		read -r l1
		echo "$l1"
		echo second >>"$tmp/log/f"
		read -r l2
		echo "$l2"
		exec 0<&-
		echo third >>"$tmp/log/f"	# tail's next write ends it (SIGPIPE)
	} >"$tmp/tail" 2>&1
	printf 'first\nsecond\n' >"$tmp/tailwant"
	same "tail -f: the host's line appended, with no 'reverting to polling'" "$tmp/tailwant" "$tmp/tail"
else
	skip "tail -f" "no $D/usr/bin/tail (make i386root)"
fi
if [ -x "$D/usr/bin/inotifywait" ]; then
	timeout 60 $VX -r "$D" -b "$tmp/log:/tmp:rw" /usr/bin/inotifywait -e modify /tmp/f 2>&1 | {
		while read -r l; do
			echo "$l"
			[ "$l" = "Watches established." ] && echo third >>"$tmp/log/f"
		done
	} >"$tmp/iw" 2>&1
	printf 'Setting up watches.\nWatches established.\n/tmp/f MODIFY\n' >"$tmp/iwwant"
	same "inotifywait -e modify: the host's change" "$tmp/iwwant" "$tmp/iw"
else
	skip "inotifywait" "no $D/usr/bin/inotifywait (make i386root)"
fi
finish
