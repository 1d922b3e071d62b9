#!/bin/sh
# long.sh [iterations] — the long differential fuzz run: random seeds, each
# a program of K cases x N instructions run on the reference CPU and under
# vxhost, once per engine the host runs (tests/lib/engines.sh; VXENGINE=
# NAME for one only); stops at the first mismatch and prints the seed,
# the engine and the failing case.
#
#	tests/fuzz/long.sh 500
#	K=100 N=40 tests/fuzz/long.sh 200	# longer sequences per case
#	VXHOST=/path/to/runner tests/fuzz/long.sh	# runner gets "-T secs prog"
#	SEED=1000 tests/fuzz/long.sh 10		# seeds 1000 to 1009, not random
#
# Every second program is made with gen -n: its data rich in NaNs,
# infinities and zeros.  WRONG=-b|-w|-z runs under vxhost the program
# made with that option too, a wrong sandbox's (gen.c, nanwrong), and on
# the reference the same made harmless, to check the check
# (tests/fuzz_nan.t).
#
# The reference is the host CPU, or qemu-i386 where the host does not
# execute i386 programs (REF=native|qemu forces one).  qemu is not exact
# (cmpxchg8b flags, NaN choice, MXCSR.DE): with it the programs are made
# with gen -q (no flag but ZF read after a cmpxchg8b, whose flags and DF
# qemu 7.2 clobbers; MXCSR.DE left out: without it the first program or
# two mismatched; the lanes of an SSE add, sub, mul or div whose sources
# were both NaNs made all ones after it: qemu picks another of the two
# NaNs than the CPU, which stopped the run every 200 to 1,000 programs),
# and a mismatch may still be qemu's, which the report says.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/lib/engines.sh
iters=${1:-100}
K=${K:-200}
N=${N:-20}
VX=${VXHOST:-$top/build/vxhost}
CC=${CC:-cc}
W=$(mktemp -d "${TMPDIR:-/tmp}/vxfuzz.XXXXXX") || exit 1
ulimit -c 0 2>/dev/null

if [ ! -x "$VX" ] && ! command -v "$VX" >/dev/null 2>&1; then
	echo "long.sh: $VX not found; run make first" >&2
	exit 2
fi
engines_load
ref_load
for e in $ENGINES_ALL; do
	engine_usable "$e" || echo "long.sh: engine $e skipped: $(engine_why "$e")"
done
if [ -z "$ENGINES" ]; then
	echo "long.sh: no engine to fuzz${ENGINES_ERR:+: $ENGINES_ERR}" >&2
	exit 2
fi
if [ "$REF" = none ]; then
	echo "long.sh: $REF_WHY" >&2
	exit 2
fi
GENOPT=
[ "$REF" = qemu ] && GENOPT=-q
echo "long.sh: engines $ENGINES; reference $REF_WHY${GENOPT:+; programs made with gen $GENOPT}${WRONG:+; under vxhost a wrong sandbox's, gen $WRONG}"
$CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -o "$W/gen" "$top/tests/fuzz/gen.c" || exit 2

i=0
while [ $i -lt "$iters" ]; do
	i=$((i + 1))
	if [ -n "${SEED:-}" ]; then
		seed=$((SEED + i - 1))
	else
		seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	fi
	p=$W/p
	opt=$GENOPT
	[ $((i % 2)) -eq 0 ] && opt="$opt -n"
	opt=${opt# }
	"$W/gen" $opt "$seed" "$K" "$N" "$p.lst" > "$p.S" || exit 2
	if ! gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$p" "$p.S" 2>"$p.err"; then
		echo "seed $seed: generated program does not assemble (generator bug)"
		head "$p.err"
		exit 1
	fi
	vp=$p
	if [ -n "${WRONG:-}" ]; then
		# the reference runs the same code made harmless (gen -v),
		# laid out as the wrong program
		vp=$W/pw
		"$W/gen" $opt $WRONG "$seed" "$K" "$N" "$vp.lst" > "$vp.S" &&
			gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$vp" "$vp.S" 2>"$p.err" &&
			"$W/gen" $opt $WRONG -v "$seed" "$K" "$N" "$p.lst" > "$p.S" &&
			gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$p" "$p.S" 2>"$p.err" || { head "$p.err"; exit 2; }
		if [ "$(nm "$p")" != "$(nm "$vp")" ]; then
			echo "seed $seed: gen $WRONG and gen $WRONG -v lay the program out differently (generator bug)"
			exit 1
		fi
	fi
	if ! ( refexec "$p" ) > "$p.native" 2>"$p.err"; then
		echo "seed $seed: generated program fails on the reference ($REF) (generator bug)"
		exit 1
	fi
	for e in $ENGINES; do
		VXENGINE=$e timeout 300 "$VX" -T 120 "$vp" > "$p.vx" 2>"$p.vxerr"
		st=$?
		if [ $st -ne 0 ] || ! cmp -s "$p.native" "$p.vx"; then
			echo "MISMATCH at iteration $i, engine $e: seed $seed (K=$K N=$N), vxhost exit status $st"
			[ "$REF" = qemu ] && echo "(the reference is qemu-i386, which is not exact: check the case on real hardware)"
			sh "$top/tests/fuzz/showdiff.sh" "$p.native" "$p.vx" "$vp.lst" "$p.vxerr" | sed 's/^# //'
			echo "reproduce: K=$K N=$N; gen $opt${opt:+ }${WRONG:+$WRONG }$seed \$K \$N x.lst > x.S; VXENGINE=$e vxhost x (files kept in $W)"
			exit 1
		fi
	done
	[ $((i % 10)) -eq 0 ] && echo "$i/$iters programs ($((i * K)) cases) agree on $ENGINES"
done
echo "all $iters programs agree (K=$K N=$N) on $ENGINES"
rm -rf "$W"
