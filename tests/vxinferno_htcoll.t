#!/bin/sh
# vxinferno_htcoll.t — indirect calls to targets 64 KiB apart (their slot
# in the indirect table is the same; tests/guest_htcoll.c): the same sums
# natively and under vxinferno, also after one target is rewritten while
# the tables name it; on the long engine, two and three such targets
# called in turn do not leave guest code at each call (the second-chance
# table, blob64.S's vxlblob_miss): before it, 300,000 calls made about
# 300,000 exits.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_htcoll.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_htcoll

(cd "$R" && refrun ./bin/guest_htcoll 100000; echo "status $?") >"$tmp/native" 2>&1
VXCACHE=off timeout 60 $VX -t -r "$R" guest_htcoll 100000 >"$tmp/guest" 2>"$tmp/err"
echo "status $?" >>"$tmp/guest"
same "htcoll: sums through colliding targets, and after a rewrite" "$tmp/native" "$tmp/guest"
grep -q '^low 16 bits 0 0 0$' "$tmp/guest"
okrc $? "htcoll: the three targets share their low 16 bits"
x=$(sed -n 's/.*stats: .*, exits \([0-9]*\),.*/\1/p' "$tmp/err" | tail -1)
if [ "${VXTEST_ENGINE:-long}" = compat ]; then
	skip "htcoll: exits" "compat has no second-chance table"
else
	[ -n "$x" ] && [ "$x" -lt 20000 ]
	okrc $? "htcoll: 300,000 calls to colliding targets, ${x:-?} exits (under 20,000)"
fi
finish
