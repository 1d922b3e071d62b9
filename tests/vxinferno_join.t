#!/bin/sh
# vxinferno_join.t — blocks whose translation stops inside another's and
# jumps there (translate.c, `entered`), their targets rewritten while a
# second thread lives (every rewrite drops the process's translations),
# by another thread, in a fork's child, and with a persistent cache
# whose entries end at such a stop taken back in another order
# (tests/guest_joinmt.c, which runs tests/guest/join.c's cases): the
# same program on the reference CPU and as a guest must print the same.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_join.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset XDG_CACHE_HOME VXCACHEMAX
mkdir -p "$tmp/vx"
mkroot "$tmp/vx" guest_joinmt	# it writes no file: run natively from there too
for a in "" x; do
	(refrun "$tmp/vx/bin/guest_joinmt" $a; echo "status $?") >"$tmp/nat$a.out" 2>&1
done
grep -q '^111 h2 *1:' "$tmp/nat.out" && grep -q '^109 h2 *2:' "$tmp/nat.out" && grep -qx 'status 0' "$tmp/nat.out"
okrc $? "the reference run went through (the test itself works)"
(VXCACHE=off VXVALIDATE=1 timeout 60 $VX -r "$tmp/vx" guest_joinmt; echo "status $?") >"$tmp/vx.out" 2>&1
same "no cache (VXVALIDATE=1): as natively" "$tmp/nat.out" "$tmp/vx.out"
# the long engine keeps a cache: made by the first run, taken back by
# the next ones, the blocks that stop first in the last
for k in 1 2 x; do
	a=
	[ "$k" = x ] && a=x
	(VXCACHE=$tmp/cache timeout 60 $VX -r "$tmp/vx" guest_joinmt $a; echo "status $?") >"$tmp/vx$k.out" 2>&1
	same "VXCACHE, run $k: as natively" "$tmp/nat$a.out" "$tmp/vx$k.out"
done
finish
