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
# operands with 16-bit addressing.
# With qemu-i386 as the reference (a host that does not execute i386
# programs) the same, but: int1 is left out (qemu-user raises SIGILL
# ILL_ILLOPN at it; the CPU's #DB gives SIGTRAP TRAP_BRKPT after it);
# warm.sh's programs are made with gen -q (qemu's cmpxchg8b flags,
# MXCSR.DE and choice of two NaNs left out), and its single-stepped
# runs' step counts are compared with the first engine's own cold
# stepped run, not a reference's (tests/fuzz/warm.sh).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"
need_vx
case $REF in
native) ;;
qemu) echo "# reference: $REF_WHY" ;;
*)
	skip "warm fuzz" "no reference ($REF_WHY)"
	finish
	exit ;;
esac
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
if [ "$REF" = qemu ]; then
	asmcase traps "rsm, getsec, int3: the signal, si_code, eip and si_addr" x "x x" "x x x"
	skip "int1: the signal, si_code, eip and si_addr" "qemu-i386 raises SIGILL at int1, the CPU SIGTRAP after it"
else
	asmcase traps "int1, rsm, getsec, int3: the signal, si_code, eip and si_addr" "" x "x x" "x x x"
fi
asmcase addr16 "16-bit addressing (0x67): each operand's fault, eip and address"
env -u VXTEST_ENGINE K=20 N=12 sh tests/fuzz/warm.sh -s 3 1 >"$tmp/warm.out" 2>&1
okrc $? "seed 3 (K=20 N=12): cold, from the cache file, warm, signalled and stepped runs print as the reference ($REF)"
sed 's/^/# /' "$tmp/warm.out"
finish
