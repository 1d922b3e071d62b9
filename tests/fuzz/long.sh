#!/bin/sh
# long.sh [iterations] — the long differential fuzz run: random seeds, each
# a program of K cases x N instructions run natively and under vxhost;
# stops at the first mismatch and prints the seed and the failing case.
#
#	tests/fuzz/long.sh 500
#	K=100 N=40 tests/fuzz/long.sh 200	# longer sequences per case
#	VXHOST=/path/to/runner tests/fuzz/long.sh	# runner gets "-T secs prog"
top=$(cd "$(dirname "$0")/../.." && pwd)
iters=${1:-100}
K=${K:-200}
N=${N:-20}
VX=${VXHOST:-$top/build/vxhost}
CC=${CC:-cc}
W=$(mktemp -d /tmp/vxfuzz.XXXXXX) || exit 1
ulimit -c 0 2>/dev/null

if [ ! -x "$VX" ] && ! command -v "$VX" >/dev/null 2>&1; then
	echo "long.sh: $VX not found; run make first" >&2
	exit 2
fi
$CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -o "$W/gen" "$top/tests/fuzz/gen.c" || exit 2

i=0
while [ $i -lt "$iters" ]; do
	i=$((i + 1))
	seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	p=$W/p
	"$W/gen" "$seed" "$K" "$N" "$p.lst" > "$p.S" || exit 2
	if ! gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$p" "$p.S" 2>"$p.err"; then
		echo "seed $seed: generated program does not assemble (generator bug)"
		head "$p.err"
		exit 1
	fi
	if ! "$p" > "$p.native" 2>"$p.err"; then
		echo "seed $seed: generated program fails natively (generator bug)"
		exit 1
	fi
	timeout 300 "$VX" -T 120 "$p" > "$p.vx" 2>"$p.vxerr"
	st=$?
	if [ $st -ne 0 ] || ! cmp -s "$p.native" "$p.vx"; then
		echo "MISMATCH at iteration $i: seed $seed (K=$K N=$N), vxhost exit status $st"
		sh "$top/tests/fuzz/showdiff.sh" "$p.native" "$p.vx" "$p.lst" "$p.vxerr" | sed 's/^# //'
		echo "reproduce: K=$K N=$N; gen $seed \$K \$N x.lst > x.S (files kept in $W)"
		exit 1
	fi
	[ $((i % 10)) -eq 0 ] && echo "$i/$iters programs ($((i * K)) cases) agree"
done
echo "all $iters programs agree (K=$K N=$N)"
rm -rf "$W"
