#!/bin/sh
# bench/run.sh BUILD-DIR — run the benchmarks natively, under the test host
# (vxinferno's sandbox) and under qemu-i386 when installed, side by side in
# one run, and print a table of CPU times (user + system, so that a busy
# machine skews them less than wall time) and ratios to native.  The
# table is also written to BUILD-DIR/bench.txt.  Builds nothing: `make`
# must have built BUILD-DIR/bench/* and BUILD-DIR/vxhost.  doc/bench.md
# explains the method.
#
# Environment: BENCH_RUNS (default 3) rounds per program, best kept;
# BENCH_STARTS (50) starts of `empty` averaged; BENCH_TRAPS (1000000)
# system calls made by `nulltrap`; BENCH_ONLY a list of programs to run.

B=${1:-build}
runs=${BENCH_RUNS:-3}
starts=${BENCH_STARTS:-50}
traps=${BENCH_TRAPS:-1000000}
progs=${BENCH_ONLY:-"crc32 sha256 interp fib chase zlib bzip2 nulltrap empty"}
limit=600

if [ ! -d "$B/bench" ]; then
	echo "bench/run.sh: no $B/bench; run make first" >&2
	exit 1
fi
vx=
[ -x "$B/vxhost" ] && vx=$B/vxhost
qemu=$(command -v qemu-i386 2>/dev/null)
hyperfine=$(command -v hyperfine 2>/dev/null)
engines=native
[ -n "$vx" ] && engines="$engines vx"
[ -n "$qemu" ] && engines="$engines qemu"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
table=$tmp/table
bad=0
cputime=$tmp/cputime
cc -O2 -o "$cputime" "$(dirname "$0")/host/cputime.c" || exit 1

# cmdline ENGINE PROG: the command that runs PROG under ENGINE.
cmdline() {
	case $1 in
	native) echo "$2" ;;
	vx) echo "$vx -T $limit $2" ;;
	qemu) echo "$qemu $2" ;;
	esac
}

# timed ENGINE PROG [ARGS]: run once; stdout to $tmp/out, stderr to
# $tmp/err; sets $ns to the wall time in nanoseconds and $rc.
timed() {
	eng=$1
	prog=$2
	shift 2
	$cputime $(cmdline "$eng" "$prog") "$@" >"$tmp/out" 2>"$tmp/err" </dev/null 3>"$tmp/cpu"
	rc=$?
	ns=$(cat "$tmp/cpu" 2>/dev/null || echo 0)
}

# note ENGINE PROG WHY: report a failed or wrong run.
note() {
	bad=1
	echo "bench/run.sh: $2 under $1: $3" >&2
	head -3 "$tmp/err" | sed 's/^/    /' >&2
}

secs() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

row() { printf '%-10s %10s %12s %7s %10s %7s\n' "$@" | tee -a "$table"; }

# One program timed as a whole: best of $runs rounds, engines interleaved
# in each round so a busy machine slows all of them alike.  Every run's
# output must equal the first native run's.
bench_wall() {
	p=$1
	bin=$B/bench/$p
	for e in $engines; do
		eval "best_$e=0"
	done
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		for e in $engines; do
			eval "b=\$best_$e"
			[ "$b" = BAD ] && continue
			timed "$e" "$bin"
			if [ $rc -ne 0 ]; then
				note "$e" "$p" "exit status $rc"
				eval "best_$e=BAD"
				continue
			fi
			if [ "$e" = native ] && [ $r -eq 1 ]; then
				cp "$tmp/out" "$tmp/ref"
			elif ! cmp -s "$tmp/out" "$tmp/ref"; then
				note "$e" "$p" "output differs from native: $(head -1 "$tmp/out")"
				eval "best_$e=BAD"
				continue
			fi
			if [ "$b" = 0 ] || [ $ns -lt "$b" ]; then
				eval "best_$e=$ns"
			fi
		done
	done
	n=$best_native
	cols=
	for e in vx qemu; do
		eval "b=\${best_$e:-}"
		case $b in
		"") cols="$cols - -" ;;
		BAD) cols="$cols BAD -" ;;
		*) cols="$cols $(secs "$b") $(ratio "$b" "$n")" ;;
		esac
	done
	if [ "$n" = BAD ]; then
		row "$p" BAD $cols
	else
		row "$p" "$(secs "$n")" $cols
	fi
	unset best_native best_vx best_qemu
}

# nulltrap: the program measures itself; one run per engine.
bench_traps() {
	bin=$B/bench/nulltrap
	cols=
	for e in native vx qemu; do
		case " $engines " in
		*" $e "*) ;;
		*) cols="$cols -"; continue ;;
		esac
		timed "$e" "$bin" "$traps"
		v=$(sed -n 's/^ns\/call //p' "$tmp/out")
		if [ $rc -ne 0 ] || [ -z "$v" ]; then
			note "$e" nulltrap "exit status $rc, no measurement"
			v=BAD
		else
			v=$(printf '%.0fns' "$v")
		fi
		cols="$cols $v"
	done
	set -- $cols
	row nulltrap "$1" "$2" "$(ratio "${2%ns}" "${1%ns}")" "$3" "$(ratio "${3%ns}" "${1%ns}")"
}

# empty: mean start-up time over $starts runs, with hyperfine when present.
start_ms() {
	c=$(cmdline "$1" "$B/bench/empty")
	if [ -n "$hyperfine" ]; then
		"$hyperfine" -N --style none --warmup 3 --runs "$starts" \
			--export-json "$tmp/h.json" "$c" >/dev/null 2>"$tmp/err" || return 1
		tr ',{}' '\n\n\n' <"$tmp/h.json" | sed -n 's/^ *"mean": *//p' | head -1 |
			awk '{ printf "%.2fms", $1 * 1000 }'
	else
		t0=$(date +%s%N)
		i=0
		while [ $i -lt "$starts" ]; do
			$c >/dev/null 2>"$tmp/err" </dev/null || return 1
			i=$((i + 1))
		done
		t1=$(date +%s%N)
		awk -v n=$((t1 - t0)) -v k="$starts" 'BEGIN { printf "%.2fms", n / k / 1e6 }'
	fi
}

bench_empty() {
	cols=
	for e in native vx qemu; do
		case " $engines " in
		*" $e "*) ;;
		*) cols="$cols -"; continue ;;
		esac
		v=$(start_ms "$e") || { note "$e" empty "failed"; v=BAD; }
		cols="$cols $v"
	done
	set -- $cols
	row empty "$1" "$2" "$(ratio "${2%ms}" "${1%ms}")" "$3" "$(ratio "${3%ms}" "${1%ms}")"
}

{
	echo "# vxinferno benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# host: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(nproc) cpus, Linux $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# best of $runs runs, CPU seconds (user + system); ratio = engine time / native time (lower is better)"
	[ -z "$vx" ] && echo "# $B/vxhost not built: sandbox columns empty"
	[ -z "$qemu" ] && echo "# qemu-i386 not installed: qemu columns empty"
} | tee "$table"
row program "native s" "vxinferno s" ratio "qemu s" ratio

for p in $progs; do
	if [ ! -x "$B/bench/$p" ]; then
		echo "bench/run.sh: $B/bench/$p not built, skipped" >&2
		continue
	fi
	case $p in
	nulltrap) bench_traps ;;
	empty) bench_empty ;;
	*) bench_wall "$p" ;;
	esac
done
echo "# nulltrap: ns per int \$0x80 getpid round trip ($traps calls); empty: ms per start, mean of $starts" | tee -a "$table"

cp "$table" "$B/bench.txt"
exit $bad
