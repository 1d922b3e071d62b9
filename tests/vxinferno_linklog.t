#!/bin/sh
# vxinferno_linklog.t — chained jumps into blocks whose code then changes
# (libvx/translate.c: the log of links, vx_linkexit, walked by
# vx_invalidate): 600 call sites and 300 jump sites into one block, a
# block that is both a target and a source, a loop linked to itself, a
# call site retargeted, a page unmapped and mapped again; alone, with a
# second thread alive, in another thread, in a fork's child; a timer's
# signal handler and another thread rewriting a block called through
# chained sites (tests/guest_linklog.c).  The same program on the
# reference CPU and as a guest must print the same: with no cache, and
# with a persistent cache made by one run and taken by the next, which
# start from other bytes (an argument) or the same.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_linklog.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset XDG_CACHE_HOME VXCACHEMAX
mkdir -p "$tmp/vx"
mkroot "$tmp/vx" guest_linklog	# it writes no file: run natively from there too
for a in "" x; do
	(refrun "$tmp/vx/bin/guest_linklog" $a; echo "status $?") >"$tmp/nat$a.out" 2>&1
done
grep -q '^a timer.s handler rewrites TS: enough signals, 0 stale$' "$tmp/nat.out" && grep -qx 'status 0' "$tmp/nat.out"
okrc $? "the reference run went through (the test itself works)"
(VXCACHE=off VXVALIDATE=1 timeout 60 $VX -r "$tmp/vx" guest_linklog; echo "status $?") >"$tmp/vx.out" 2>&1
same "no cache (VXVALIDATE=1): as natively" "$tmp/nat.out" "$tmp/vx.out"
# the long engine keeps a cache: made by the first run, taken back by
# the next, which starts from other bytes, and by one that does not
for k in 1 x 2; do
	a=
	[ "$k" = x ] && a=x
	(VXCACHE=$tmp/cache timeout 60 $VX -r "$tmp/vx" guest_linklog $a; echo "status $?") >"$tmp/vx$k.out" 2>&1
	same "VXCACHE, run $k: as natively" "$tmp/nat$a.out" "$tmp/vx$k.out"
done
finish
