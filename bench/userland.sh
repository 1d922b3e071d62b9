#!/bin/sh
# bench/userland.sh BUILD-DIR — Debian's own i386 programs (dynamically
# linked, from the root mk/i386root.sh builds in BUILD-DIR/i386root)
# decoding real files natively (chrooted into the root), under vxinferno
# once per engine, and under qemu-i386 -L root, side by side; and
# `python3 -c pass` start-up.  CPU time (user + system of the process and
# its children), best of BENCH_RUNS (3) interleaved rounds; every run's
# output must have the same checksum as the first.  Called by
# bench/run.sh as its second section; the table is appended to
# BUILD-DIR/bench.txt.  doc/bench.md explains the method.
#
# vxinferno runs with its persistent translation cache off, and the long
# engine once more with it on (column long+tc, warm after its first run:
# the default since session 25).  python3's start-up is a table of its
# own: natively, then the long engine with the cache off, its first run
# (an empty cache directory each start, the file written at its exit)
# and warm (the default's usual case), and compat (which keeps none).
# Environment: BENCH_RUNS, BENCH_STARTS (python3 starts per
# measurement, default 10), BENCH_MB (size of the text, default 96).

B=${1:-build}
runs=${BENCH_RUNS:-3}
starts=${BENCH_STARTS:-10}
mb=${BENCH_MB:-96}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/engines.sh"
. "$top/bench/lib.sh"
namew=16
cellw=10
R=$B/i386root
if [ ! -f "$R/.i386root" ]; then
	echo "# userland: no Debian i386 root in $R (make i386root): not measured" | tee -a "$B/bench.txt"
	exit 0
fi
R=$(cd "$R" && pwd)
VX=$top/bin/vxinferno
tmp=$(mktemp -d "${TMPDIR:-/tmp}/benchu.XXXXXX") || exit 1
id=bench$$
W=$R/tmp/$id
trap 'rm -rf "$tmp" "$W"' EXIT INT TERM
mkdir -p "$W" || exit 1
cputime=$tmp/cputime
cc -O2 -o "$cputime" "$top/bench/host/cputime.c" || exit 1
table=$tmp/table
bad=0

GUESTENV="PATH=/bin HOME=/ TERM=dumb LANG=C"
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
UNSHARE=$(command -v unshare || echo /usr/bin/unshare)
qemu=$(command -v qemu-i386 2>/dev/null)
runners=
if host_runs_i386; then
	if [ "$(id -u)" = 0 ] && $CHROOT "$R" /bin/true 2>/dev/null; then
		nativecmd="env -i $GUESTENV $CHROOT $R"
		runners=native
	elif $UNSHARE -r $CHROOT "$R" /bin/true 2>/dev/null; then
		nativecmd="env -i $GUESTENV $UNSHARE -r $CHROOT $R"
		runners=native
	fi
fi
engines_load
for e in $ENGINES; do
	[ -x "$VX" ] && runners="$runners vx_$e"
done
# the default engine again with the persistent translation cache (warm
# after the first run); the runs above have it off
case " $ENGINES " in *" long "*) [ -x "$VX" ] && runners="$runners vxw_long" ;; esac
[ -n "$qemu" ] && runners="$runners qemu"
set -- $runners
base=$1

# cmdline RUNNER PROG: how RUNNER runs the root's PROG
cmdline() {
	case $1 in
	native) echo "$nativecmd $2" ;;
	vx_*) echo "env VXENGINE=${1#vx_} VXCACHE=off $VX -r $R $2" ;;
	vxw_*) echo "env VXENGINE=${1#vxw_} VXCACHE=$tmp/tcache $VX -r $R $2" ;;
	vxf_*) echo "env VXENGINE=${1#vxf_} VXCACHE=$tmp/tcfirst $VX -r $R $2" ;;
	qemu) echo "env -i $GUESTENV $qemu -L $R $R$2" ;;
	esac
}
label() { case $1 in vx_*) echo "${1#vx_}" ;; vxw_*) echo "${1#vxw_}+tc" ;; vxf_*) echo "${1#vxf_}+tc1" ;; *) echo "$1" ;; esac; }

# the inputs, made with the host's tools
{ seq 1 3000000 | sed 's/$/ lorem ipsum dolor sit amet consectetur/'; head -c 30000000 /dev/urandom | od -An -tx1; } |
	head -c $((mb * 1024 * 1024)) >"$tmp/big"
gzip -6 -c "$tmp/big" >"$W/big.gz"
xz -2 -T1 -c "$tmp/big" >"$W/big.xz" 2>/dev/null || rm -f "$W/big.xz"
head -c $((mb * 1024 * 1024 / 4)) "$tmp/big" | bzip2 -9 -c >"$W/mid.bz2"
media=
if command -v sox >/dev/null && command -v flac >/dev/null && command -v cjpeg >/dev/null; then
	sox -n -q -r 44100 -c 2 -b 16 "$tmp/t.wav" synth 300 sine 440 sine 660 gain -3 &&
	flac -s -f -o "$W/t.flac" "$tmp/t.wav" &&
	{ printf 'P6\n6000 4000\n255\n'; head -c 72000000 /dev/urandom; } | cjpeg -quality 90 >"$W/t.jpg" && media=yes
fi

# timed RUNNER CMD...: run once with stdout's checksum in $sum, CPU ns
# in $ns, status in $rc
timed() {
	e=$1
	shift
	case $e in vxf_*) rm -rf "$tmp/tcfirst" ;; esac	# a first run each time
	{ $cputime $(cmdline "$e" "$1") $(shift; echo "$@") </dev/null 2>"$tmp/err" 3>"$tmp/cpu"; echo $? >"$tmp/rc"; } | sha256sum >"$tmp/sum"
	rc=$(cat "$tmp/rc")
	ns=$(cat "$tmp/cpu" 2>/dev/null || echo 0)
	sum=$(cut -c1-16 "$tmp/sum")
	[ -s "$tmp/err" ] && rc=1
}

# bench NAME N CMD...: best of $runs rounds of N runs of CMD (summed)
bench() {
	name=$1
	n=$2
	shift 2
	for e in $runners; do eval "best_$e=0"; done
	ref=
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		for e in $runners; do
			eval "b=\$best_$e"
			[ "$b" = BAD ] && continue
			total=0
			i=0
			while [ $i -lt "$n" ]; do
				timed "$e" "$@"
				if [ "$rc" -ne 0 ] || { [ -n "$ref" ] && [ "$sum" != "$ref" ]; }; then
					echo "bench/userland.sh: $name under $(label "$e"): wrong output or failed: $(head -2 "$tmp/err")" >&2
					bad=1
					total=BAD
					break
				fi
				ref=$sum
				total=$((total + ns))
				i=$((i + 1))
			done
			[ "$total" = BAD ] && { eval "best_$e=BAD"; continue; }
			if [ "$b" = 0 ] || [ "$total" -lt "$b" ]; then eval "best_$e=$total"; fi
		done
	done
	vals=
	for e in $runners; do
		eval "b=\$best_$e"
		case $b in BAD) vals="$vals BAD" ;; *) vals="$vals $(secs "$b")s" ;; esac
	done
	bestrow "$name" $vals
}

{
	echo "#"
	echo "# userland: Debian's i386 programs from $R, decoding files (CPU seconds, best of $runs); python3 start-up: $starts starts summed"
	[ "$base" != native ] && echo "# this host cannot run the root's programs natively (no i386 or no chroot): ratios are against $(label "$base")"
	unmeasured
} | tee "$table"
headrow program "$(label "$base")"

bench "gzip -d ${mb}MB" 1 /bin/gzip -dc "/tmp/$id/big.gz"
bench "bzip2 -d $((mb / 4))MB" 1 /bin/bzip2 -dc "/tmp/$id/mid.bz2"
[ -f "$W/big.xz" ] && bench "xz -d ${mb}MB" 1 /usr/bin/xz -dc "/tmp/$id/big.xz"
if [ -n "$media" ]; then
	bench "flac -d 300s" 1 /usr/bin/flac -s -d -c "/tmp/$id/t.flac"
	bench "djpeg 24Mpx" 1 /usr/bin/djpeg "/tmp/$id/t.jpg"
else
	echo "# flac, djpeg: no sox, flac, cjpeg on the host to make their input" | tee -a "$table"
fi
# python3's start: off, first run and warm side by side (labels of
# their own: the default is warm after a program's first run)
pyrunners=$base
for e in $runners; do
	[ "$e" = "$base" ] && continue
	case $e in
	vxw_long) pyrunners="$pyrunners vxf_long vxw_long" ;;
	*) pyrunners="$pyrunners $e" ;;
	esac
done
runners=$pyrunners
label() { case $1 in vx_*) echo "${1#vx_}-off" ;; vxf_*) echo "first" ;; vxw_*) echo "warm" ;; *) echo "$1" ;; esac; }
echo "# python3 start-up, $starts starts summed: long with the cache off, its first run (empty cache), warm (the default after a first run); compat keeps none" | tee -a "$table"
headrow program "$(label "$base")"
bench "python3 -c pass" "$starts" /usr/bin/python3 -c pass
cat "$table" >>"$B/bench.txt"
exit $bad
