#!/bin/sh
# nocompat.t — this host as one without the compat engine: build/noldt
# runs commands under a seccomp filter that makes modify_ldt fail as on a
# kernel built without it.  vxinferno must then use the long engine, an
# explicit VXENGINE=compat must be a one-line error naming what is
# missing, and the engine tests must skip compat by name and reason and
# pass on long.
cd "$(dirname "$0")/.." || exit 1
N=build/noldt
n=0
fail=0
okrc() {	# okrc STATUS NAME: passes when STATUS is 0, as $? (C's ok(cond) passes when cond is true)
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
if [ ! -x $N ] || [ ! -x build/vxengines ]; then
	echo "1..0 # SKIP build/noldt or build/vxengines not built"
	exit 0
fi
if ! $N true 2>/dev/null; then
	echo "1..0 # SKIP seccomp filters are not available here"
	exit 0
fi
if ! build/vxengines | grep -qx 'long ok'; then
	echo "1..0 # SKIP the long engine does not run here: $(build/vxengines | grep '^long')"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nocompat.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# On a host that itself lacks compat (a PVM guest: no 32-bit code, no
# FSGSBASE) the reason is the host's own, found before modify_ldt is tried.
why=modify_ldt
build/vxengines | grep -q '^compat no: ' && why=$(build/vxengines | sed -n 's/^compat no: //p')
$N build/vxengines >"$tmp/eng"
grep '^compat no: ' "$tmp/eng" | grep -qF "$why"; okrc $? "vxengines: compat no, naming $why ($(grep '^compat' "$tmp/eng"))"
grep -qx 'long ok' "$tmp/eng"; okrc $? "vxengines: long ok"

$N bin/vxinferno cat /dev/drivers >"$tmp/drv" 2>"$tmp/drverr"
rc=$?
[ $rc = 0 ] && grep -q '^#c cons' "$tmp/drv"; okrc $? "vxinferno cat /dev/drivers runs (on long)"
$N bin/vxinferno -t true 2>&1 | grep -q '^vxinferno: engine long'; okrc $? "-t names the long engine"

VXENGINE=compat $N bin/vxinferno true >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc != 0 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q 'compat' "$tmp/err"
okrc $? "VXENGINE=compat: exit $rc and one line: $(cat "$tmp/err")"

$N bin/vxinferno sh -c 'echo hi > /env/x; cat /env/x' >"$tmp/sh" 2>&1
[ "$(cat "$tmp/sh")" = hi ]; okrc $? "busybox sh over the namespace"

# Engine tests under the filter: compat skipped by name and reason, long
# run.  One of each kind: fuzz.t loops over the engines itself (as diff.t
# and hostile.t do, through the same engines.sh calls; diff.t was run
# here until session 17: 18 s of CPU for the same skip line, its
# programs on long being diff.t's own checks), vxinferno_busybox.t
# through per_engine.
for t in tests/fuzz.t tests/vxinferno_busybox.t; do
	# (fuzz.t's work directory its own: prove -j2 may run fuzz.t itself
	# at the same time, which would rebuild the generator and the
	# programs under this run)
	FUZZ_WORK=$tmp/fuzz $N sh $t >"$tmp/tap" 2>/dev/null
	rc=$?
	nots=$(grep -c '^not ok' "$tmp/tap")
	skips=$(grep -F "# skip compat: $why" "$tmp/tap" | grep -c '^ok [0-9]* ')
	longs=$(grep -c '^ok [0-9]* - long:' "$tmp/tap")
	[ $rc = 0 ] && [ "$nots" = 0 ] && [ "$skips" -ge 1 ] && [ "$longs" -ge 1 ]
	okrc $? "$t without compat: exit $rc, $nots failures, $skips compat skips, $longs long passes"
done
echo "1..$n"
exit $fail
