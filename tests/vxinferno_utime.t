#!/bin/sh
# vxinferno_utime.t — utimes(2) and utime(2) as the host kernel does them
# (tests/guest_utime.c): the same program run on the reference CPU
# (tests/lib/engines.sh) and as a guest, in roots of their own, must
# print the same, and what it prints must show the times were set.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_utime.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
for r in nat vx; do
	mkdir -p "$tmp/$r"
	mkroot "$tmp/$r" guest_utime
done
(cd "$tmp/nat" && refrun ./bin/guest_utime; echo "status $?") >"$tmp/nat.out" 2>&1
timeout 60 $VX -r "$tmp/vx" guest_utime >"$tmp/vx.out" 2>&1
echo "status $?" >>"$tmp/vx.out"
grep -q '^utime: mtime 1200000000$' "$tmp/nat.out" && grep -qx 'status 0' "$tmp/nat.out"
okrc $? "the reference run set the times (the test itself works)"
same "utimes and utime behave as the host kernel's" "$tmp/nat.out" "$tmp/vx.out"
finish
