#!/bin/sh
# fuzz.t — differential random-instruction test: programs from
# tests/fuzz/gen.c run on the reference CPU and under build/vxhost, once
# per sandbox engine, must print exactly the same registers, flags, xmm
# registers and scratch memory.
# The reference half (generator builds, is deterministic, programs run
# clean) always runs.  The reference is the host CPU, or qemu-i386 where
# the host does not execute i386 programs (REF=native|qemu forces one,
# tests/lib/engines.sh).  qemu is not exact on these programs (cmpxchg8b
# flags, NaN choice, MXCSR.DE), so with qemu each seed's output is
# compared with the checksum of the CPU's output recorded in
# tests/data/fuzz.sums (tests/data/record.sh); on the CPU the recording
# is checked instead.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/lib/engines.sh
. tests/fuzz/seeds.sh	# SEEDS K N
B=$top/build
VX=${VXHOST:-$B/vxhost}	# VXHOST=other-runner to compare against it
W=${FUZZ_WORK:-$B/fuzz}	# (nocompat.t runs this file beside the real one: its own)
CC=${CC:-cc}
SUMS=tests/data/fuzz.sums
ulimit -c 0 2>/dev/null
engines_load
ref_load

# On QEMU's TCG as the CPU (../shared/tools/compatvm's VM: /proc/cpuinfo
# says "QEMU TCG CPU") the recording is not this CPU's output, and the
# engines run the same instructions on the same emulated CPU: the CPU
# is the reference and the recording is not checked (doc/testing.md,
# "Linux 6.1 and the compat engine").
tcg=
cpu_tcg && tcg=1

n=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # skip $1"; }
diag() { sed 's/^/# /'; }
sum() { sha256sum <"$1" | cut -c1-64; }

nseeds=$(echo $SEEDS | wc -w)
nall=$(echo $ENGINES_ALL | wc -w)
nok=$(echo $ENGINES | wc -w)
none=0
[ -z "$ENGINES_ALL" ] && none=1	# one test saying why there are no engines
echo "1..$((2 + 2 * nseeds + nok * nseeds + nall - nok + none))"
echo "# reference: $REF_WHY"
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

# The reference of each seed: $p.native from the CPU, or from qemu plus
# the recorded checksum ($p.want, "sum:HEX") that the sandbox must match.
refok=
for s in $SEEDS; do
	p=$W/p$s
	rm -f "$p.want"
	# the program must assemble, run clean and dump every case
	if "$W/gen" "$s" $K $N "$p.lst" > "$p.S" &&
	   gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$p" "$p.S" 2>"$p.as.err" &&
	   ( refexec "$p" ) > "$p.native" 2>"$p.native.err" &&
	   [ "$(wc -l < "$p.native")" -eq $((3 * K)) ]; then
		pass "seed $s: $K cases x $N insns run on the reference ($REF)"
	else
		fail "seed $s: $K cases x $N insns run on the reference ($REF)"
		cat "$p.as.err" "$p.native.err" 2>/dev/null | head -20 | diag
		skip "seed $s: no reference"
		continue
	fi
	rec=$(awk -v s="$s" -v k="$K" -v n="$N" '$1 == s && $2 == k && $3 == n' "$SUMS" 2>/dev/null)
	if [ -z "$rec" ] || [ "$(echo "$rec" | cut -d' ' -f4)" != "$(sum "$p.S")" ]; then
		fail "seed $s: the CPU's output is recorded in $SUMS"
		echo "# no recording of this program (tests/fuzz/gen.c or its seeds changed?):" \
			"run sh tests/data/record.sh on a host that executes i386 programs" | diag
		[ "$REF" = qemu ] && continue	# no trustworthy reference
	elif [ "$REF" = native ] && [ -n "$tcg" ]; then
		skip "seed $s: the recording in $SUMS: QEMU's TCG is not the hardware it was taken on"
	elif [ "$REF" = native ]; then
		if [ "$(echo "$rec" | cut -d' ' -f5)" = "$(sum "$p.native")" ]; then
			pass "seed $s: the recording in $SUMS equals the CPU's output"
		else
			fail "seed $s: the recording in $SUMS equals the CPU's output"
			echo "stale: run sh tests/data/record.sh" | diag
		fi
	else
		pass "seed $s: the CPU's output is recorded in $SUMS"
		echo "sum:$(echo "$rec" | cut -d' ' -f5)" > "$p.want"
	fi
	refok="$refok $s"
done

if [ $none = 1 ]; then
	if [ -n "$ENGINES_BROKEN" ]; then fail "$ENGINES_ERR"; else skip "$ENGINES_ERR"; fi
fi
for e in $ENGINES_ALL; do
	if ! engine_usable "$e"; then
		skip "$e: $(engine_why "$e")"
		continue
	fi
	for s in $SEEDS; do
		case " $refok " in
		*" $s "*) ;;
		*) skip "$e: seed $s: no reference"; continue ;;
		esac
		p=$W/p$s
		[ -x "$VX" ] || { fail "$e: seed $s: $VX not built"; continue; }
		VXENGINE=$e timeout 120 "$VX" -T 60 "$p" > "$p.$e" 2>"$p.$e.err"
		st=$?
		if [ -f "$p.want" ]; then
			[ "$(cat "$p.want")" = "sum:$(sum "$p.$e")" ]
		else
			cmp -s "$p.native" "$p.$e"
		fi
		same=$?
		if [ $st -eq 0 ] && [ $same -eq 0 ]; then
			pass "$e: seed $s: vxhost output equals the reference"
		else
			fail "$e: seed $s: vxhost output equals the reference (exit status $st)"
			[ -f "$p.want" ] && echo "# the checksum differs from the recorded CPU output; the difference from qemu's output (qemu may be the one that is wrong):"
			sh "$top/tests/fuzz/showdiff.sh" "$p.native" "$p.$e" "$p.lst" "$p.$e.err"
			echo "# reproduce: $W/gen $s $K $N x.lst > x.S" \
				"&& gcc -m32 -static -nostdlib -fno-pie -no-pie -o x x.S && VXENGINE=$e $VX x"
		fi
	done
done
