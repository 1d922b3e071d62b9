#!/bin/sh
# vxinferno_shm.t — MAP_SHARED (tests/guest_shm.c): anonymous shared
# memory across fork (written by both at once, through two forks, with
# mprotect and MADV_DONTNEED), a shared file mapping whose writes reach
# the file, a process-shared semaphore and mutex (futexes across guest
# processes), the access-mode errors, mappings cut in pieces across a
# fork, and map/unmap loops (whole and a page at a time) that must not
# pile up host fds.  The same output natively and under vxinferno.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_shm.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_shm

(cd "$R" && refrun ./bin/guest_shm "$R/tmp"; echo "status $?") >"$tmp/native" 2>&1
# 2048 host fds: 3000 rounds of leaked dups would run out (a hard limit
# below 2048 is a tighter bound still: then it stays)
(ulimit -n 2048 2>/dev/null; timeout 120 $VX -r "$R" guest_shm /tmp) >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "MAP_SHARED: anonymous, file, process-shared futexes, errors, loops" "$tmp/native" "$tmp/guest"
grep -q '^anon: child 0, shared b c, private a, counter 400000$' "$tmp/guest" &&
	grep -q '^file: after the child: child wrote' "$tmp/guest" &&
	grep -q '^pshared: child 0, total 40030$' "$tmp/guest" &&
	grep -q '^loops: 3000 rounds, ok$' "$tmp/guest" &&
	grep -q '^pieces: 3000 rounds, ok$' "$tmp/guest"
okrc $? "the guest saw its child's writes, shared futexes and 3000 map/unmap rounds, whole and in pieces"
finish
