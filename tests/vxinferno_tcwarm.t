#!/bin/sh
# vxinferno_tcwarm.t — the persistent cache's two forms (libvx/tcache.c,
# vx_tcwarm): a program that turns warm keeps the warm form's
# translations in a cache object and file of their own.  An image key is
# a sum of the program's first bytes that whoever writes a program can
# choose (build/tckey): a copy of guest_tcwarm whose key is the
# original's with TCWARMKEY flipped, run first, must neither take the
# original's entries of the other form nor leave its own where the
# original's warm runs take them (each ret of a cold entry in a warm Vx
# leaves guest code: 2ff47c6's warm runs of the original left it 453,000
# times rather than 220).  Every run prints as native i386, also of
# guest_tcwarmth (threads that warm at once, a thread made by a warm
# one, a warm thread's fork) and of guest_callrun (warm, then stepped by
# TF, a profiling timer's signals, faults and a callee rewritten) taken
# from warm files.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
case $VX in /*) ;; *) VX=$(pwd)/$VX ;; esac	# runs start in the root (guest_callrun reads it)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_tcwarm.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_tcwarm guest_tcwarmth guest_callrun
unset XDG_CACHE_HOME VXCACHEMAX
# the native runs' output, and their status, NAME.ref and NAME.st ("apart:"
# lines are guest_callrun's own counts, which vary)
for g in guest_tcwarm guest_tcwarmth guest_callrun; do
	{ (cd "$R" && refrun "./bin/$g") 2>&1 </dev/null; echo "status $?" >"$tmp/$g.st"; } | grep -v '^apart: ' >"$tmp/$g.ref"
done

hits() { sed -n 's/.*cache hits \([0-9]*\), misses.*/\1/p' "$1" | tail -1; }
exits() { sed -n 's/.*stats: .*, exits \([0-9]*\),.*/\1/p' "$1" | tail -1; }

# run NAME K CACHE CMD...: output and status to $tmp/NAME.out, checked
# against K native runs' output and the last one's status (of the guest
# $G); -t's trace to $tmp/NAME.err
G=guest_tcwarm
run() {
	rn=$1 rk=$2 rc=$3
	shift 3
	{ (cd "$R" && VXCACHE=$rc timeout 120 "$VX" -t -r "$R" "$@") 2>"$tmp/$rn.err" </dev/null
	  echo "status $?" >"$tmp/$rn.st"; } | grep -v '^apart: ' >"$tmp/$rn.out"
	cat "$tmp/$rn.st" >>"$tmp/$rn.out"
	: >"$tmp/$rn.want"
	for i in $(seq "$rk"); do cat "$tmp/$G.ref" >>"$tmp/$rn.want"; done
	cat "$tmp/$G.st" >>"$tmp/$rn.want"
	same "$rn: prints as native i386" "$tmp/$rn.want" "$tmp/$rn.out"
}

if [ "${VXTEST_ENGINE:-}" = compat ] || [ ! -x build/tckey ]; then
	# compat keeps no cache (vx_tcattach): it prints as native
	run tcwarm 1 "$tmp/cache.compat" guest_tcwarm
	G=guest_tcwarmth run threads 1 "$tmp/cache.compat" guest_tcwarmth
	G=guest_callrun run callrun 1 "$tmp/cache.compat" guest_callrun
	[ -x build/tckey ] || skip "a crafted key" "no build/tckey"
	finish
	exit
fi
if ! build/tckey "$R/bin/guest_tcwarm" "$R/bin/flipped" >"$tmp/keys" 2>&1; then
	okrc 1 "tckey makes a copy whose key is flipped: $(cat "$tmp/keys")"
	finish
	exit
fi
chmod +x "$R/bin/flipped"

# a cache directory: the original twice (a file of each form), then the
# copy, which finds neither (their names and headers carry the form),
# then the copy again and the original, which takes its own
C=$tmp/cache.dir
run dir.a1 1 "$C" guest_tcwarm
run dir.a2 1 "$C" guest_tcwarm
run dir.b1 1 "$C" flipped
# (a first run takes a few: its fork's child, after the warming flush,
# reads the cold file written then)
h=$(hits "$tmp/dir.b1.err") h1=$(hits "$tmp/dir.a1.err")
okrc "$([ -n "$h" ] && [ -n "$h1" ] && [ "$h" -le $((2 * h1 + 50)) ]; echo $?)" \
	"the copy with the flipped key takes no entry of the original's files (hits ${h:-?}, a first run's ${h1:-?})"
run dir.b2 1 "$C" flipped
run dir.a3 1 "$C" guest_tcwarm
e2=$(exits "$tmp/dir.a2.err") e3=$(exits "$tmp/dir.a3.err")
okrc "$([ -n "$e2" ] && [ -n "$e3" ] && [ "$e3" -lt $((4 * e2 + 1000)) ]; echo $?)" \
	"after the copy's runs the original's warm run leaves guest code as before (exits ${e2:-?}, then ${e3:-?})"

# the copy first, in a fresh directory: its files must not become the
# original's (before, its cold form became the original's warm file)
C=$tmp/cache.first
run first.b1 1 "$C" flipped
run first.a1 1 "$C" guest_tcwarm
run first.a2 1 "$C" guest_tcwarm
e=$(exits "$tmp/first.a2.err")
okrc "$([ -n "$e" ] && [ -n "$e2" ] && [ "$e" -lt $((4 * e2 + 1000)) ]; echo $?)" \
	"the copy run first: the original's warm run leaves guest code as on its own (exits ${e:-?}, alone ${e2:-?})"
VXVALIDATE=1 run first.valid 1 "$C" guest_tcwarm

# in memory, the sandboxes of one vxinferno sharing cache objects
if [ -x "$R/bin/busybox" ]; then
	run mem.alone 3 memory sh -c 'guest_tcwarm; guest_tcwarm; guest_tcwarm'
	run mem.flip 4 memory sh -c 'flipped; flipped; guest_tcwarm; guest_tcwarm'
	a=$(exits "$tmp/mem.alone.err") b=$(exits "$tmp/mem.flip.err")
	okrc "$([ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt $((4 * a + 1000)) ]; echo $?)" \
		"in memory: the copy's runs leave the original's as fast (exits of three originals ${a:-?}, of two copies and two ${b:-?})"
else
	skip "in memory: the copy's runs leave the original's as fast" "no busybox (mk/fetch.sh did not run)"
fi

# threads and a fork around the warming flush, from a directory (cold,
# warm, under VXVALIDATE=1) and in memory
G=guest_tcwarmth
C=$tmp/cache.threads
run threads.cold 1 "$C" guest_tcwarmth
run threads.warm 1 "$C" guest_tcwarmth
VXVALIDATE=1 run threads.valid 1 "$C" guest_tcwarmth
[ -x "$R/bin/busybox" ] && run threads.mem 3 memory sh -c 'guest_tcwarmth; guest_tcwarmth; guest_tcwarmth'
h=$(hits "$tmp/threads.warm.err")
okrc "$([ "${h:-0}" -gt 0 ]; echo $?)" "threads: the warm run takes from the cache (hits ${h:-?})"

# runs at once into one directory bounded to 1 MiB (evict removes files
# of a pair), one killed mid-run each round: each finished run prints as
# native i386
C=$tmp/cache.many
for round in 1 2 3; do
	for k in 1 2 3 4; do
		case $k in
		1|2) p=guest_tcwarm ;;
		3) p=flipped ;;
		4) p=guest_tcwarmth ;;
		esac
		kill=
		[ $k = $round ] && kill="timeout -s KILL 0.0$((round * 2))"
		(cd "$R" && VXCACHE=$C VXCACHEMAX=1 $kill "$VX" -r "$R" $p >"$tmp/many.$k.out" 2>&1 </dev/null
		 echo "status $?" >>"$tmp/many.$k.out") &
	done
	wait
	for k in 1 2 3 4; do
		[ $k = "$round" ] && continue
		g=guest_tcwarm
		[ $k = 4 ] && g=guest_tcwarmth
		cat "$tmp/$g.ref" "$tmp/$g.st" >"$tmp/many.want"
		same "at once, round $round, run $k ($g): prints as native i386" "$tmp/many.want" "$tmp/many.$k.out"
	done
done

# warm, then stepped, signalled, faulting and rewritten, from warm files
G=guest_callrun
C=$tmp/cache.callrun
run callrun.cold 1 "$C" guest_callrun
run callrun.warm 1 "$C" guest_callrun
VXVALIDATE=1 run callrun.valid 1 "$C" guest_callrun
finish
