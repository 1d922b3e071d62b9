#!/bin/sh
# bench/files.sh BUILD-DIR — what a file system call costs: a stat
# storm (a file and a missing name at each depth 1..30, as a compiler's
# header search), open/close, getdents64 of a 2,000-entry directory,
# and a tree 500 deep made and removed by whole paths (stress-ng's
# dirdeep) — bench/host/files.c, built for i386 and for x86-64.  The
# base is the x86-64 build making the same calls on the same host tree;
# against it vxinferno on each engine (the tree in its root), the long
# engine again with a host directory bound on the root (-b: a mount
# point on #U, which a walk must be shown not to meet), and qemu-i386
# on the host tree.  Microseconds of CPU time (user + system) per call,
# the program's start included (a few per cent), best of BENCH_RUNS (3)
# interleaved rounds.  Called by bench/run.sh as its fourth section;
# the table is appended to BUILD-DIR/bench.txt.  doc/bench.md, "File
# system calls".

B=${1:-build}
runs=${BENCH_RUNS:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/engines.sh"
. "$top/bench/lib.sh"
namew=16
cellw=10
R=$B/root
R=$(cd "$R" && pwd) || exit 1
VX=$top/bin/vxinferno
tmp=$(mktemp -d "${TMPDIR:-/tmp}/benchf.XXXXXX") || exit 1
id=files$$
W=$R/tmp/$id
trap 'rm -rf "$tmp" "$W"' EXIT INT TERM
mkdir -p "$W" "$tmp/bound" || exit 1
cputime=$tmp/cputime
cc -O2 -o "$cputime" "$top/bench/host/cputime.c" || exit 1
cc -O2 -o "$tmp/files64" "$top/bench/host/files.c" || exit 1
gcc -m32 -static -O2 -o "$W/files32" "$top/bench/host/files.c" || exit 1
"$tmp/files64" setup "$W" 0 >/dev/null || exit 1
table=$tmp/table
bad=0

runners=x86
engines_load
for e in $ENGINES; do
	runners="$runners vx_$e"
done
case " $ENGINES " in *" long "*) runners="$runners vxb_long" ;; esac
qemu=$(command -v qemu-i386 2>/dev/null)
[ -n "$qemu" ] && runners="$runners qemu"
label() { case $1 in x86) echo "x86-64" ;; vx_*) echo "${1#vx_}" ;; vxb_*) echo "${1#vxb_}+bind" ;; *) echo "$1" ;; esac; }

# timed RUNNER MODE N: one run; CPU µs per call in $us, status in $rc
timed() {
	case $1 in
	x86) set -- "$tmp/files64" "$2" "$W" "$3" ;;
	vx_*) set -- env VXENGINE="${1#vx_}" "$VX" -r "$R" "/tmp/$id/files32" "$2" "/tmp/$id" "$3" ;;
	vxb_*) set -- env VXENGINE="${1#vxb_}" "$VX" -r "$R" -b "$tmp/bound:/mnt:rw" "/tmp/$id/files32" "$2" "/tmp/$id" "$3" ;;
	qemu) set -- "$qemu" "$W/files32" "$2" "$W" "$3" ;;
	esac
	"$cputime" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" 3>"$tmp/cpu"
	rc=$?
	[ -s "$tmp/err" ] && rc=1
	us=$(awk -v ns="$(cat "$tmp/cpu" 2>/dev/null || echo 0)" -v k="$(cat "$tmp/out")" \
		'BEGIN { if (k + 0 > 0) printf "%.2f", ns / 1e3 / k; else print "BAD" }')
	[ "$us" = BAD ] && rc=1
}

# bench NAME MODE N: best of $runs interleaved rounds, one row
bench() {
	for e in $runners; do eval "t_$e="; done
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		for e in $runners; do
			eval "b=\$t_$e"
			[ "$b" = BAD ] && continue
			timed "$e" "$2" "$3"
			if [ "$rc" -ne 0 ]; then
				echo "bench/files.sh: $1 under $(label "$e") failed: $(head -2 "$tmp/err")" >&2
				bad=1
				eval "t_$e=BAD"
				continue
			fi
			[ -z "$b" ] || awk -v a="$us" -v b="$b" 'BEGIN { exit !(a < b) }' && eval "t_$e=$us"
		done
	done
	vals=
	for e in $runners; do
		eval "v=\$t_$e"
		case $v in BAD|"") vals="$vals ${v:--}" ;; *) vals="$vals ${v}us" ;; esac
	done
	bestrow "$name" $vals
}

{
	echo "#"
	echo "# files: CPU µs per file system call, best of $runs interleaved rounds; ratio = time / x86-64 host's time (the same calls natively)"
	unmeasured
	[ -z "$qemu" ] && echo "# no qemu-i386 (apt-get install qemu-user): no qemu column"
} | tee "$table"
headrow "" "$(label x86)"
name="stat" bench stat stat 100
name="open+close" bench open open 100
name="getdents64" bench dents dents 50
name="dirdeep 500" bench deep deep 500
cat "$table" >>"$B/bench.txt"
exit $bad
