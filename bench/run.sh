#!/bin/sh
# bench/run.sh BUILD-DIR — run the benchmarks natively, under the test host
# (vxinferno's sandbox) once per engine the host runs, and under qemu-i386
# when installed, side by side in one run, and print a table of CPU times
# (user + system, so that a busy machine skews them less than wall time)
# and ratios to the base.  The base is the native i386 run; on a host that
# does not execute i386 programs it is the x86-64 build of the same
# source (cc -O2 -static, built here into BUILD-DIR/bench64), and the
# table says that the native i386 ratio cannot be measured there.  The
# table is also written to BUILD-DIR/bench.txt.  `make` must have built
# BUILD-DIR/bench/* and BUILD-DIR/vxhost.  doc/bench.md explains the method.
#
# Environment: BENCH_RUNS (default 3) rounds per program, best kept
# (chase at least BENCH_CHASE_RUNS, 9: see bench_wall);
# BENCH_STARTS (50) starts of `empty` averaged; BENCH_TRAPS (1000000)
# system calls made by `nulltrap`; BENCH_ONLY a list of programs to run;
# BENCH_BASE=native|x86-64 forces the base; VXENGINE=NAME measures one
# engine only (tests/lib/engines.sh, also VXENGINES_OVERRIDE).

B=${1:-build}
runs=${BENCH_RUNS:-3}
chaseruns=${BENCH_CHASE_RUNS:-9}
[ "$chaseruns" -lt "$runs" ] && chaseruns=$runs
starts=${BENCH_STARTS:-50}
traps=${BENCH_TRAPS:-1000000}
progs=${BENCH_ONLY:-"crc32 sha256 interp fib chase zlib bzip2 nulltrap empty"}
limit=600
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/engines.sh"
. "$top/bench/lib.sh"
namew=10
cellw=11

if [ ! -d "$B/bench" ]; then
	echo "bench/run.sh: no $B/bench; run make first" >&2
	exit 1
fi
vx=
[ -x "$B/vxhost" ] && vx=$B/vxhost
qemu=$(command -v qemu-i386 2>/dev/null)
hyperfine=$(command -v hyperfine 2>/dev/null)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
table=$tmp/table
bad=0
cputime=$tmp/cputime
cc -O2 -o "$cputime" "$top/bench/host/cputime.c" || exit 1

# The runners, base first: native (i386 on the CPU) or x86 (the x86-64
# build), then vx_ENGINE for each engine, then qemu.
base=${BENCH_BASE:-}
case $base in
native|"") ;;
x86-64) base=x86 ;;
*) echo "bench/run.sh: BENCH_BASE=$base: want native or x86-64" >&2; exit 2 ;;
esac
if [ -z "$base" ]; then
	if host_runs_i386; then base=native; else base=x86; fi
fi
runners=$base
engines_load
if [ -n "$vx" ]; then
	for e in $ENGINES; do
		runners="$runners vx_$e"
	done
fi
[ -n "$qemu" ] && runners="$runners qemu"

label() {
	case $1 in
	native) echo "native" ;;
	x86) echo "x86-64" ;;
	vx_*) echo "${1#vx_}" ;;
	qemu) echo "qemu" ;;
	esac
}

# The x86-64 builds, when they are the base: a program that does not
# build (e.g. no static libz for x86-64) has no base and no ratios.
if [ $base = x86 ]; then
	mkdir -p "$B/bench64"
	for p in $progs; do
		case $p in zlib) l=-lz ;; bzip2) l=-lbz2 ;; *) l= ;; esac
		[ -x "$B/bench64/$p" ] && [ "$B/bench64/$p" -nt "$top/bench/$p.c" ] && continue
		cc -O2 -static -o "$B/bench64/$p" "$top/bench/$p.c" $l -lm 2>"$tmp/cc.err" || {
			echo "bench/run.sh: x86-64 build of $p failed: $(head -1 "$tmp/cc.err")" >&2
			rm -f "$B/bench64/$p"
		}
	done
fi

# cmdline RUNNER PROG: the command that runs PROG under RUNNER.
cmdline() {
	case $1 in
	native) echo "$B/bench/$2" ;;
	x86) echo "$B/bench64/$2" ;;
	vx_*) echo "env VXENGINE=${1#vx_} $vx -T $limit $B/bench/$2" ;;
	qemu) echo "$qemu $B/bench/$2" ;;
	esac
}

# runnable RUNNER PROG: is PROG built for RUNNER?
runnable() {
	case $1 in
	x86) [ -x "$B/bench64/$2" ] ;;
	*) [ -x "$B/bench/$2" ] ;;
	esac
}

# timed RUNNER PROG [ARGS]: run once; stdout to $tmp/out, stderr to
# $tmp/err; sets $ns to the CPU time in nanoseconds and $rc.
timed() {
	eng=$1
	prog=$2
	shift 2
	$cputime $(cmdline "$eng" "$prog") "$@" >"$tmp/out" 2>"$tmp/err" </dev/null 3>"$tmp/cpu"
	rc=$?
	ns=$(cat "$tmp/cpu" 2>/dev/null || echo 0)
}

# note RUNNER PROG WHY: report a failed or wrong run.
note() {
	bad=1
	echo "bench/run.sh: $2 under $(label "$1"): $3" >&2
	head -3 "$tmp/err" | sed 's/^/    /' >&2
}


# One program timed as a whole: best of $runs rounds, runners interleaved
# in each round so a busy machine slows all of them alike.  Every run's
# output must equal the base's first run (or, without a base, the first
# run's).  chase takes at least $chaseruns rounds: its time is TLB and
# cache misses over 16 MiB of fresh pages, which on a virtual machine
# varies up to 2x from one run to the next with where the hypervisor
# placed them (native alone: 170-376 ms in six runs in a row here).
bench_wall() {
	p=$1
	rounds=$runs
	[ "$p" = chase ] && rounds=$chaseruns
	for e in $runners; do
		if runnable "$e" "$p"; then eval "best_$e=0"; else eval "best_$e=-"; fi
	done
	rm -f "$tmp/ref"
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		for e in $runners; do
			eval "b=\$best_$e"
			[ "$b" = BAD ] || [ "$b" = - ] && continue
			timed "$e" "$p"
			if [ $rc -ne 0 ]; then
				note "$e" "$p" "exit status $rc"
				eval "best_$e=BAD"
				continue
			fi
			if [ ! -f "$tmp/ref" ]; then
				cp "$tmp/out" "$tmp/ref"
			elif ! cmp -s "$tmp/out" "$tmp/ref"; then
				note "$e" "$p" "output differs from the first run's: $(head -1 "$tmp/out")"
				eval "best_$e=BAD"
				continue
			fi
			if [ "$b" = 0 ] || [ $ns -lt "$b" ]; then
				eval "best_$e=$ns"
			fi
		done
	done
	vals=
	for e in $runners; do
		eval "b=\$best_$e"
		case $b in
		BAD|-) vals="$vals $b" ;;
		*) vals="$vals $(secs "$b")s" ;;
		esac
		unset "best_$e"
	done
	set -- $vals
	b1=$1
	shift
	row "$p" "$b1" $(cells "$b1" "$@")
}

# nulltrap: the program measures itself; one run per runner.
bench_traps() {
	vals=
	for e in $runners; do
		if ! runnable "$e" nulltrap; then vals="$vals -"; continue; fi
		timed "$e" nulltrap "$traps"
		v=$(sed -n 's/^ns\/call //p' "$tmp/out")
		if [ $rc -ne 0 ] || [ -z "$v" ]; then
			note "$e" nulltrap "exit status $rc, no measurement"
			v=BAD
		else
			v=$(printf '%.0fns' "$v")
		fi
		vals="$vals $v"
	done
	set -- $vals
	b1=$1
	shift
	row nulltrap "$b1" $(cells "$b1" "$@")
}

# empty: mean start-up time over $starts runs, with hyperfine when present.
start_ms() {
	c=$(cmdline "$1" empty)
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
	vals=
	for e in $runners; do
		if ! runnable "$e" empty; then vals="$vals -"; continue; fi
		v=$(start_ms "$e") || { note "$e" empty "failed"; v=BAD; }
		vals="$vals $v"
	done
	set -- $vals
	b1=$1
	shift
	row empty "$b1" $(cells "$b1" "$@")
}

{
	echo "# vxinferno benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# host: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(nproc) cpus, Linux $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# best of $runs runs (chase: of $chaseruns), CPU seconds (user + system); ratio = time / $(label $base) time (lower is better)"
	if [ $base = x86 ]; then
		if [ -n "${BENCH_BASE:-}" ]; then
			echo "# base: the x86-64 build of each program (BENCH_BASE=x86-64)"
		else
			echo "# this host does not execute i386 programs: the native i386 ratio cannot be measured here; ratios are against the x86-64 build of the same source (cc -O2 -static)"
		fi
	fi
	[ -z "$vx" ] && echo "# $B/vxhost not built: no sandbox columns"
	unmeasured
	[ -n "$ENGINES_ERR" ] && echo "# no sandbox columns: $ENGINES_ERR"
	[ -z "$qemu" ] && echo "# qemu-i386 not installed (apt-get install qemu-user): no qemu column"
} | tee "$table"
headrow program "$(label $base)"

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
echo "# seconds: CPU time; nulltrap: ns per getpid round trip ($traps calls, int \$0x80; syscall in the x86-64 build); empty: ms per start, mean of $starts" | tee -a "$table"

cp "$table" "$B/bench.txt"
# the second section: Debian's dynamically linked programs (bench/userland.sh)
[ -n "${BENCH_ONLY:-}" ] || sh "$top/bench/userland.sh" "$B" || bad=1
# the third: what a process costs (bench/spawn.sh)
[ -n "${BENCH_ONLY:-}" ] || sh "$top/bench/spawn.sh" "$B" || bad=1
# the fourth: what a file system call costs (bench/files.sh)
[ -n "${BENCH_ONLY:-}" ] || sh "$top/bench/files.sh" "$B" || bad=1
exit $bad
