#!/bin/sh
# fuzz_warm.t — the differential fuzzer's warm half, cheaply (the long
# campaigns are tests/fuzz/warm.sh, doc/testing.md): one small generated
# program run cold, three times from a cache directory, warmed between
# two rounds of its cases, under a timer's signals and single-stepped,
# against native i386; and
# tests/fuzz/steps.S, single steps through a pc thunk's call, followed
# jmps and a folded add of esp in fragments made unstepped, each step's
# eip and flags against native's; tests/fuzz/traps.S, the signals of
# int1, rsm, getsec and int3; tests/fuzz/addr16.S, the faults of memory
# operands with 16-bit addressing.  Needs a host that runs i386 programs.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"
need_vx
if [ "$REF" != native ]; then
	skip "warm fuzz" "the reference must be the CPU ($REF_WHY)"
	finish
	exit
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_warm.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/root"
# asmcase NAME WHAT [ARGS...]: tests/fuzz/NAME.S natively and under
# vxinferno, once per argument list (words split), the outputs the same
asmcase() {
	ac=$1 what=$2
	shift 2
	[ $# -gt 0 ] || set -- ""
	if ! gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$tmp/root/$ac" "tests/fuzz/$ac.S" 2>"$tmp/as.err"; then
		okrc 1 "tests/fuzz/$ac.S assembles"
		sed 's/^/# /' "$tmp/as.err"
		return
	fi
	for a in "$@"; do
		( refexec "$tmp/root/$ac" $a ) >>"$tmp/$ac.native" 2>&1
		VXCACHE=off timeout 120 $VX -r "$tmp/root" "/$ac" $a >>"$tmp/$ac.vx" 2>&1 </dev/null
	done
	same "$what" "$tmp/$ac.native" "$tmp/$ac.vx"
}
asmcase steps "steps through a thunk's call, followed jmps and a folded add of esp, made unstepped"
asmcase traps "int1, rsm, getsec, int3: the signal, si_code, eip and si_addr" "" x "x x" "x x x"
asmcase addr16 "16-bit addressing (0x67): each operand's fault, eip and address"
env -u VXTEST_ENGINE K=20 N=12 sh tests/fuzz/warm.sh -s 3 1 >"$tmp/warm.out" 2>&1
okrc $? "seed 3 (K=20 N=12): cold, from the cache file, warm, signalled and stepped runs print as native i386"
sed 's/^/# /' "$tmp/warm.out"
finish
