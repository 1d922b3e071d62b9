#!/bin/sh
# bench/spawn.sh BUILD-DIR — what a process costs: a shell loop that
# forks, execs and waits for a tiny program BENCH_SPAWNS (200) times,
# static and dynamically linked, and a loop of BENCH_CCS (10) `gcc -O2 -c
# hello.c` (the driver spawning cc1 and as).  The base is the x86-64
# host doing the same: its dash running the loop, the same program built
# with cc -static, its coreutils true, its gcc -m32 (the same gcc 12
# making the same i386 object).  Against it: the i386 root's dash, true
# and gcc in vxinferno once per engine (VXCACHE=memory, the default
# before session 25 and where the default directory will not do: a later
# spawn of the same program takes the translations from memory) and on
# the long engine with the persistent translation cache (long+tc, the
# default's directory kept apart, warm after its first run), and
# chrooted under qemu-i386-static (binfmt_misc in a user namespace,
# tests/tools/qemuref.sh) where that runs.  Milliseconds per spawn or compile, the shell's own
# start included (a few per cent of the loop); CPU time (user + system)
# and wall time, each the best of BENCH_RUNS (3) interleaved rounds.
# Called by bench/run.sh as its third section; the table is appended
# to BUILD-DIR/bench.txt.  doc/bench.md, "Process spawn".

B=${1:-build}
runs=${BENCH_RUNS:-3}
n=${BENCH_SPAWNS:-200}
ncc=${BENCH_CCS:-10}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/engines.sh"
. "$top/bench/lib.sh"
namew=20
cellw=10
R=$B/i386root
if [ ! -f "$R/.i386root" ] || [ ! -x "$R/usr/bin/gcc" ]; then
	echo "# spawn: no Debian i386 root with gcc in $R (make i386root): not measured" | tee -a "$B/bench.txt"
	exit 0
fi
R=$(cd "$R" && pwd)
VX=$top/bin/vxinferno
tmp=$(mktemp -d "${TMPDIR:-/tmp}/benchs.XXXXXX") || exit 1
id=spawn$$
W=$R/tmp/$id
trap 'rm -rf "$tmp" "$W"' EXIT INT TERM
mkdir -p "$W" "$tmp/x86" || exit 1
cputime=$tmp/cputime
cc -O2 -o "$cputime" "$top/bench/host/cputime.c" || exit 1
table=$tmp/table
bad=0

printf 'int main(void) { return 0; }\n' >"$tmp/true.c"
cc -O2 -static -o "$tmp/true64" "$tmp/true.c" || exit 1
gcc -m32 -O2 -static -o "$W/true32" "$tmp/true.c" || exit 1
printf '#include <stdio.h>\nint main(int argc, char **argv) { printf("hello %%d %%s\\n", argc, argv[0]); return 0; }\n' >"$W/hello.c"
cp "$W/hello.c" "$tmp/x86/hello.c"
hostgcc=yes
gcc -m32 -O2 -c -o "$tmp/x86/probe.o" "$tmp/x86/hello.c" 2>/dev/null || hostgcc=

GUESTENV="PATH=/usr/bin:/bin HOME=/ TERM=dumb LANG=C"
loop() { echo "i=0; while [ \$i -lt $1 ]; do $2; i=\$((i + 1)); done"; }
runners=x86
engines_load
for e in $ENGINES; do
	[ -x "$VX" ] && runners="$runners vx_$e"
done
# the default engine again with the persistent translation cache (warm
# after its first run): cc1 is translated once, not at every compile
case " $ENGINES " in *" long "*) [ -x "$VX" ] && runners="$runners vxw_long" ;; esac
QS=$(command -v qemu-i386-static 2>/dev/null)
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
qemupre="env -i $GUESTENV QEMUREF_QEMU=$QS unshare -Urm $top/tests/tools/qemuref.sh $CHROOT $R /bin/sh"
if [ -n "$QS" ]; then
	$qemupre -c 'exit 42' 2>/dev/null
	[ $? -eq 42 ] && runners="$runners qemu"
fi
label() { case $1 in x86) echo "x86-64" ;; vx_*) echo "${1#vx_}" ;; vxw_*) echo "${1#vxw_}+tc" ;; *) echo "$1" ;; esac; }

# shcmd RUNNER WHAT: how RUNNER runs the loop WHAT (static, dynamic,
# cc): the command in $pre, its shell script in $script, the loop's
# count in $k
shcmd() {
	case $2 in
	static) p32=/tmp/$id/true32 p64=$tmp/true64 k=$n ;;
	dynamic) p32=/bin/true p64=/bin/true k=$n ;;
	cc) p32="gcc -O2 -c hello.c" p64="gcc -m32 -O2 -c hello.c" k=$ncc ;;
	esac
	case $1 in
	x86) pre="env -i $GUESTENV /bin/dash" script="cd $tmp/x86 && $(loop $k "$p64")" ;;
	vx_*) pre="env VXCACHE=memory VXENGINE=${1#vx_} $VX -r $R /bin/sh" script="cd /tmp/$id && $(loop $k "$p32")" ;;
	vxw_*) pre="env VXENGINE=${1#vxw_} VXCACHE=$tmp/tcache $VX -r $R /bin/sh" script="cd /tmp/$id && $(loop $k "$p32")" ;;
	qemu) pre=$qemupre script="cd /tmp/$id && $(loop $k "$p32")" ;;
	esac
}

# timed RUNNER WHAT: one run; CPU and wall ms per iteration in $cpu and
# $wall, status in $rc
timed() {
	shcmd "$1" "$2"
	t0=$(date +%s%N)
	$cputime $pre -c "$script" </dev/null >"$tmp/out" 2>&1 3>"$tmp/cpu"
	rc=$?
	t1=$(date +%s%N)
	[ -s "$tmp/out" ] && rc=1
	cpu=$(awk -v ns="$(cat "$tmp/cpu" 2>/dev/null || echo 0)" -v k="$k" 'BEGIN { printf "%.3f", ns / 1e6 / k }')
	wall=$(awk -v ns="$((t1 - t0))" -v k="$k" 'BEGIN { printf "%.3f", ns / 1e6 / k }')
}

# bench NAME WHAT: best of $runs interleaved rounds, a row for CPU, one for wall
bench() {
	for e in $runners; do eval "cpu_$e=; wall_$e="; done
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		for e in $runners; do
			[ "$2" = cc ] && [ $e = x86 ] && [ -z "$hostgcc" ] && continue
			eval "b=\$cpu_$e"
			[ "$b" = BAD ] && continue
			timed "$e" "$2"
			if [ "$rc" -ne 0 ]; then
				echo "bench/spawn.sh: $1 under $(label "$e") failed: $(head -2 "$tmp/out")" >&2
				bad=1
				eval "cpu_$e=BAD; wall_$e=BAD"
				continue
			fi
			eval "bw=\$wall_$e"
			[ -z "$b" ] || awk -v a="$cpu" -v b="$b" 'BEGIN { exit !(a < b) }' && eval "cpu_$e=$cpu"
			[ -z "$bw" ] || awk -v a="$wall" -v b="$bw" 'BEGIN { exit !(a < b) }' && eval "wall_$e=$wall"
		done
	done
	for kind in cpu wall; do
		vals=
		for e in $runners; do
			eval "v=\$${kind}_$e"
			case $v in BAD|"") vals="$vals ${v:--}" ;; *) vals="$vals ${v}ms" ;; esac
		done
		bestrow "$name $kind" $vals
	done
}

{
	echo "#"
	echo "# spawn: fork, exec, exit and wait in a shell loop ($n spawns; gcc -O2 -c: $ncc compiles), ms each, best of $runs interleaved rounds; ratio = time / x86-64 host's time"
	unmeasured
	[ -z "$QS" ] && echo "# no qemu-i386-static (apt-get install qemu-user-static): no qemu column"
	[ -z "$hostgcc" ] && echo "# the host's gcc -m32 does not build hello.c: no x86-64 figure for gcc -c"
} | tee "$table"
headrow "" "$(label x86)"
name="static true" bench "static true" static
name="dynamic true" bench "dynamic true" dynamic
name="gcc -c hello.c" bench "gcc -c hello.c" cc
cat "$table" >>"$B/bench.txt"
exit $bad
