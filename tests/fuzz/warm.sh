#!/bin/sh
# warm.sh [-s SEED] [iterations] — the differential fuzzer's programs
# (tests/fuzz/gen.c) run the ways a user's runs go since the persistent
# cache is the default, under bin/vxinferno, against native i386:
#
#	cold	VXCACHE=off, as long.sh runs them (under vxhost)
#	file1	VXCACHE=DIR, empty: the run that writes the cache file
#	file2/3	from that file: fragments taken ahead, the link section's
#		links, the page section's inside-entry marks; file3 and
#		rewarm with VXVALIDATE=1 (every fragment, fresh, cached or
#		warm, through the validator; a cached one refused is a miss:
#		file3 must take as many as file2)
#	rewarm	(argv "W") the cases from the file, two million call/ret,
#		whose warming flushes the code cache, and the cases again:
#		what the long engine translates only warm (call sites' runs
#		made ahead, rets and indirect branches through the exact
#		return table)
#	alarm	as rewarm, under a 47 us timer's signals landing anywhere,
#		the handler clobbering registers, flags, DF, xmm and MXCSR
#		(argv "aW")
#	fork	(argv "F") the cases in a forked child, then in the parent,
#		VXCACHE=memory: the parent takes the child's translations
#		(shared)
#	forkfile  (argv "FW") the same from the file, warmed between two
#		rounds in each process
#	step	every instruction of each case single-stepped by TF, a
#		count printed per case (argv "s"), VXCACHE=off
#	rewarmstep  as rewarm, stepped (argv "Ws")
#
# The programs are made with gen -f: pushes and stores through page 0
# inside call sites' runs and prologues, whose SIGSEGV handler adds the
# fault's eip, esp and address into the scratch buffer and goes on past
# them (in every run above).
#
# Each run is compared with the program's native output in its mode (the
# cold output must be native's too), once per engine (tests/lib/engines.sh;
# VXENGINE=long for one; the file cache is long's alone, compat's file
# runs are plain runs).  Stops at the first mismatch with the seed, the
# mode and the case; at the end prints what the warm-only forms reached,
# summed from vxinferno -t's statistics.
#
#	tests/fuzz/warm.sh 100			# 100 programs, random seeds
#	K=50 N=30 tests/fuzz/warm.sh 200
#	tests/fuzz/warm.sh -s 1234 1		# one seed again
#	VXINFERNO=/other/bin/vxinferno tests/fuzz/warm.sh 50	# another build
#
# The reference is the host CPU where it runs i386 programs.  Where it
# does not (REF=qemu, tests/lib/engines.sh), qemu-i386 gives the plain,
# W, F and FW runs' outputs (aW's is W's: qemu 7.2 under the 47 us timer
# can die of SIGTRAP), and the step counts (s, Ws), which are
# the CPU's and the kernel's, come from the first engine's cold run
# (VXCACHE=off) in mode s: then "step" is that run and only rewarmstep
# is checked against it.  qemu is not exact (MXCSR.DE, cmpxchg8b flags,
# which of two NaNs an SSE add, sub, mul or div returns; the programs
# are made with gen -q, as long.sh's, which leaves those out): with it
# a mismatch may be qemu's, and the report says so.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/lib/engines.sh
seed0=
while getopts s: o; do
	case $o in
	s) seed0=$OPTARG ;;
	*) sed -n "2,48p" "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
iters=${1:-20}
K=${K:-100}
N=${N:-20}
VX=${VXINFERNO:-$top/bin/vxinferno}
CC=${CC:-cc}
W=$(mktemp -d /tmp/vxwarm.XXXXXX) || exit 1
ulimit -c 0 2>/dev/null
[ -x "$VX" ] || { echo "warm.sh: $VX not found; run make first" >&2; exit 2; }
engines_load
ref_load
case $REF in
native|qemu) ;;
*) echo "warm.sh: no reference: $REF_WHY" >&2; exit 2 ;;
esac
[ -n "$ENGINES" ] || { echo "warm.sh: no engine${ENGINES_ERR:+: $ENGINES_ERR}" >&2; exit 2; }
$CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -o "$W/gen" tests/fuzz/gen.c || exit 2
mkdir -p "$W/root"
echo "warm.sh: engines $ENGINES, K=$K N=$N, $VX; reference $REF_WHY"
refnote=
GENOPT=
if [ "$REF" = qemu ]; then
	refnote="(the reference is qemu-i386, which is not exact: check the case on real hardware)"
	GENOPT=-q	# no flag but ZF read after cmpxchg8b (tests/fuzz/gen.c)
fi

# run NAME ENGINE CACHE ARG [VALIDATE]: the program under vxinferno -t,
# output to $W/NAME.out, the statistics line kept in $W/stats
run() {
	VXENGINE=$2 VXCACHE=$3 VXVALIDATE=${5:-0} timeout 600 "$VX" -t -r "$W/root" /p $4 >"$W/$1.out" 2>"$W/$1.err" </dev/null
	st=$?
	case $1 in
	ref*) ;;	# a reference run's statistics are not summed
	*) grep '^vxinferno: stats:' "$W/$1.err" | sed "s/^/$2 $1 /" >>"$W/stats" ;;
	esac
	return $st
}

# check NAME ENGINE WANT: the run's output is WANT's, or stop
check() {
	if [ "$st" -ne 0 ] || ! cmp -s "$3" "$W/$1.out"; then
		echo "MISMATCH at program $i, engine $2, run $1: seed $seed (K=$K N=$N), exit status $st"
		[ -n "$refnote" ] && echo "$refnote"
		sh tests/fuzz/showdiff.sh "$3" "$W/$1.out" "$W/p.lst" "$W/$1.err" | sed 's/^# //'
		echo "reproduce: tests/fuzz/warm.sh -s $seed 1 (K=$K N=$N VXENGINE=$2; files kept in $W)"
		exit 1
	fi
}

i=0
: >"$W/stats"
while [ $i -lt "$iters" ]; do
	i=$((i + 1))
	seed=${seed0:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
	"$W/gen" -f $GENOPT "$seed" "$K" "$N" "$W/p.lst" >"$W/p.S" || exit 2
	if ! gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$W/root/p" "$W/p.S" 2>"$W/p.err"; then
		echo "seed $seed: generated program does not assemble (generator bug)"; head "$W/p.err"; exit 1
	fi
	for m in - W aW s Ws F FW; do
		a=$m; [ "$m" = - ] && a=
		if [ "$REF" = qemu ]; then
			case $m in
			s|Ws) continue ;;	# below, from an engine's cold run
			aW) continue ;;		# W's (qemu 7.2 under the timer can die of SIGTRAP)
			esac
		fi
		if ! ( [ "$REF" = native ] && exec timeout 120 "$W/root/p" $a; refexec "$W/root/p" $a ) >"$W/native$m" 2>"$W/p.err"; then
			echo "seed $seed: generated program fails on the reference ($REF) in mode '$a' (generator bug)"; exit 1
		fi
	done
	if [ "$REF" = qemu ]; then
		cp "$W/nativeW" "$W/nativeaW"
		# the step counts: the first engine's cold runs (VXCACHE=off)
		e=${ENGINES%% *}
		for m in s Ws; do
			run ref$m "$e" off $m
			if [ $st -ne 0 ]; then
				echo "seed $seed: the reference run in mode $m ($e, VXCACHE=off) failed with status $st"
				echo "reproduce: tests/fuzz/warm.sh -s $seed 1 (K=$K N=$N; files kept in $W)"
				exit 1
			fi
			cp "$W/ref$m.out" "$W/native$m"
		done
	fi
	cmp -s "$W/nativeW" "$W/nativeaW" || { echo "seed $seed: a timer's signals change the native output (generator bug)"; exit 1; }
	for e in $ENGINES; do
		C=$W/cache.$e
		rm -rf "$C"
		run cold "$e" off ""; check cold "$e" "$W/native-"
		run file1 "$e" "$C" ""; check file1 "$e" "$W/native-"
		run file2 "$e" "$C" ""; check file2 "$e" "$W/native-"
		run file3 "$e" "$C" "" 1; check file3 "$e" "$W/native-"
		h2=$(sed -n 's/.*cache hits \([0-9]*\),.*/\1/p' "$W/file2.err")
		h3=$(sed -n 's/.*cache hits \([0-9]*\),.*/\1/p' "$W/file3.err")
		if [ "$h3" != "$h2" ]; then
			echo "MISMATCH at program $i, engine $e: seed $seed (K=$K N=$N): VXVALIDATE=1 took $h3 cached fragments, without $h2"
			echo "reproduce: tests/fuzz/warm.sh -s $seed 1 (K=$K N=$N VXENGINE=$e; files kept in $W)"
			exit 1
		fi
		run rewarm "$e" "$C" W 1; check rewarm "$e" "$W/nativeW"
		run alarm "$e" "$C" aW; check alarm "$e" "$W/nativeW"
		run fork "$e" memory F; check fork "$e" "$W/nativeF"
		run forkfile "$e" "$C" FW; check forkfile "$e" "$W/nativeFW"
		run step "$e" off s; check step "$e" "$W/natives"
		run rewarmstep "$e" "$C" Ws; check rewarmstep "$e" "$W/nativeWs"
	done
	[ $((i % 10)) -eq 0 ] && echo "$i/$iters programs ($((i * K)) cases) agree on $ENGINES"
done
echo "all $iters programs agree (K=$K N=$N) on $ENGINES, 10 runs each"
# what was reached, per engine: the sums of the statistics' counts
for e in $ENGINES; do
	awk -v e="$e" '$1 == e {
		for(f = 3; f <= NF; f++){
			v = $f; sub(/,$/, "", v)
			if(v ~ /^[0-9]+$/){ name = $(f-1); if($(f-2) == "cache" || $(f-2) == "warm" || $(f-2) == "section") name = $(f-2) " " name; s[name] += v }
		}
	} END {
		printf "%s: cache hits %d (ahead %d), shared %d, section links %d, callruns %d, warm rets %d, warm indirect %d, inside %d\n",
			e, s["cache hits"], s["ahead"], s["shared"], s["section links"], s["callruns"], s["warm rets"], s["warm indirect"], s["inside"]
	}' "$W/stats"
done
rm -rf "$W"
