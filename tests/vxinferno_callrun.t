#!/bin/sh
# vxinferno_callrun.t — call sites whose pushes and call are one run
# (tests/guest_callrun.c; the long engine moves esp once, ahead of the
# run's stores: translong.c, callrun): callees that read the caller's
# flags first (pushf, adc, jc, after a prologue's pushes), a callee
# rewritten after its caller was translated, a fault in each store of
# the run (eip and esp of the SIGSEGV), single steps and timer signals
# in such a run, a run across a page's end, displacement edges, runs
# that go up before they go down to their call, a call into its own run
# that recurses until its stores fault (left by siglongjmp), steps
# through subs from esp whose flags the next instruction overwrites.
# The same output under the reference and vxinferno.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_callrun.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_callrun

(cd "$R" && refrun ./bin/guest_callrun; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_callrun >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
for what in "callee reads the flags" "callee rewritten" "edges" "a run across" "a run that goes up" "signals inside" "esp page" "a call into its own run" "stepped through folded" "stepped" "status"; do
	grep "^$what" "$tmp/native" >"$tmp/n.$$"
	grep "^$what" "$tmp/guest" >"$tmp/g.$$"
	[ -s "$tmp/n.$$" ] || { echo "# reference printed no '$what' lines"; cat "$tmp/native" | sed 's/^/# /'; }
	same "$what: as the reference" "$tmp/n.$$" "$tmp/g.$$"
done
n_in=$(sed -n 's/^apart: signals inside a call.s run: //p' "$tmp/guest")
[ "${n_in:-0}" -gt 0 ]
okrc $? "the timer's signals landed inside the run ($n_in times)"
sed -i '/^apart: /d' "$tmp/native" "$tmp/guest"
same "the whole output as the reference" "$tmp/native" "$tmp/guest"
finish
