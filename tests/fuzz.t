#!/bin/sh
# fuzz.t — differential random-instruction test: programs from
# tests/fuzz/gen.c run natively and under build/vxhost must print exactly
# the same registers, flags, xmm registers and scratch memory.
# The native half (generator builds, is deterministic, programs run clean on
# the CPU) always runs; the vxhost comparisons are skipped while
# build/vxhost does not exist.
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
VX=${VXHOST:-$B/vxhost}	# VXHOST=other-runner to compare against it
W=$B/fuzz
CC=${CC:-cc}
SEEDS="1 2 3 4"
K=250
N=12
ulimit -c 0 2>/dev/null

n=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # skip $1"; }
diag() { sed 's/^/# /'; }

echo "1..$((2 + 2 * $(echo "$SEEDS" | wc -w)))"
mkdir -p "$W" || exit 1

if $CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -o "$W/gen" "$top/tests/fuzz/gen.c" 2>"$W/gen.err"; then
	pass "generator builds"
else
	fail "generator builds"
	diag < "$W/gen.err"
	exit 1
fi

"$W/gen" 7 20 12 > "$W/det1.S" && "$W/gen" 7 20 12 > "$W/det2.S" &&
	"$W/gen" 8 20 12 > "$W/det3.S"
if cmp -s "$W/det1.S" "$W/det2.S" && ! cmp -s "$W/det1.S" "$W/det3.S"; then
	pass "generator is a function of its seed"
else
	fail "generator is a function of its seed"
fi

havevx=1
[ -x "$VX" ] || havevx=0

for s in $SEEDS; do
	p=$W/p$s
	# native: the program must assemble, run clean and dump every case
	if "$W/gen" "$s" $K $N "$p.lst" > "$p.S" &&
	   gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$p" "$p.S" 2>"$p.as.err" &&
	   "$p" > "$p.native" 2>"$p.native.err" &&
	   [ "$(wc -l < "$p.native")" -eq $((3 * K)) ]; then
		pass "seed $s: $K cases x $N insns run natively"
	else
		fail "seed $s: $K cases x $N insns run natively"
		cat "$p.as.err" "$p.native.err" 2>/dev/null | head -20 | diag
		skip "seed $s: no native reference"
		continue
	fi
	if [ $havevx = 0 ]; then
		skip "seed $s: build/vxhost missing"
		continue
	fi
	timeout 120 "$VX" -T 60 "$p" > "$p.vx" 2>"$p.vx.err"
	st=$?
	if [ $st -eq 0 ] && cmp -s "$p.native" "$p.vx"; then
		pass "seed $s: vxhost output equals native"
	else
		fail "seed $s: vxhost output equals native (exit status $st)"
		sh "$top/tests/fuzz/showdiff.sh" "$p.native" "$p.vx" "$p.lst" "$p.vx.err"
		echo "# reproduce: $W/gen $s $K $N x.lst > x.S" \
			"&& gcc -m32 -static -nostdlib -fno-pie -no-pie -o x x.S && $VX x"
	fi
done
