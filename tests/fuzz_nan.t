#!/bin/sh
# fuzz_nan.t — the random-instruction fuzzer (tests/fuzz/long.sh) on
# NaNs: four programs of seeds 999 to 1002, 1000 and 1002 with data rich
# in NaNs (gen -n), against the reference; then the same with a wrong
# sandbox (long.sh WRONG=, gen.c nanwrong), which the comparison must
# catch: every NaN result of an SSE add, sub, mul or div with the other
# sign (-w), or zero (-z).  Where qemu-i386 is the reference, long.sh
# makes the lanes whose sources were both NaNs all ones (gen -q), as
# qemu picks another of the two than the CPU: there a sandbox picking
# another of the two (-b) must pass, and on the CPU it must be caught.
# Without the -q bracket programs 1000 and 1002 mismatch under qemu.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/lib/engines.sh
engines_load
ref_load
ulimit -c 0 2>/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_nan.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
fails=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; fails=$((fails + 1)); }

# run NAME WRONG: long.sh over the four programs, output in $tmp/NAME
run() {
	TMPDIR=$tmp WRONG=$2 K=50 N=20 SEED=999 sh tests/fuzz/long.sh 4 >"$tmp/$1" 2>&1
}

run clean ""
st=$?
if [ $st -eq 2 ]; then
	echo "1..0 # SKIP $(tail -1 "$tmp/clean")"
	exit 0
fi
echo "# reference: $REF_WHY"
if [ $st -eq 0 ] && grep -q '^all 4 programs agree' "$tmp/clean"; then
	pass "seeds 999-1002 (K=50 N=20, 1000 and 1002 rich in NaNs): the sandbox prints as the reference"
else
	fail "seeds 999-1002 (K=50 N=20, 1000 and 1002 rich in NaNs): the sandbox prints as the reference"
	sed 's/^/# /' "$tmp/clean" | head -40
fi

# caught NAME WRONG WHAT: long.sh stops at a mismatch of a sandbox run,
# not for another reason
caught() {
	run "$1" "$2"
	st=$?
	if [ $st -eq 1 ] && grep -q '^MISMATCH at iteration .*vxhost exit status 0$' "$tmp/$1"; then
		pass "a sandbox whose $3 is caught: $(grep -m1 '^MISMATCH' "$tmp/$1")"
	else
		fail "a sandbox whose $3 is caught (long.sh exit status $st)"
		sed 's/^/# /' "$tmp/$1" | head -20
	fi
}
caught wrongsign -w "NaN results have the other sign (gen -w)"
caught wrongzero -z "NaN results are zero (gen -z)"

if [ "$REF" = qemu ]; then
	run both -b
	st=$?
	if [ $st -eq 0 ] && grep -q '^all 4 programs agree' "$tmp/both"; then
		pass "qemu reference: a sandbox that picks another NaN where both sources are NaNs (gen -b) passes"
	else
		fail "qemu reference: a sandbox that picks another NaN where both sources are NaNs (gen -b) passes (exit status $st)"
		sed 's/^/# /' "$tmp/both" | head -20
	fi
else
	caught both -b "NaN results where both sources are NaNs have the other sign (gen -b; on the CPU no tolerance)"
fi
echo "1..$n"
[ $fails -eq 0 ]
