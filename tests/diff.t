#!/bin/sh
# diff.t — differential test: every guest program in build/guest (built
# from tests/guest/*.c at -O0 and -O2) runs on the reference CPU and under
# the test host, once per sandbox engine; stdout and exit status must be
# identical, and the host must not report a trap.  One TAP test per binary
# and engine ("compat: arith.O2"), one skip per engine the host cannot run.
#
# The reference (tests/lib/engines.sh): the host CPU, or qemu-i386 where
# the host does not execute i386 programs (REF=native|qemu forces one).
# qemu's x87 is not bit-exact, so for the programs listed in
# tests/data/diff/ (NAME.out, NAME.rc, recorded on real hardware by
# tests/data/record.sh) a qemu reference is replaced by the recording; on
# the CPU the recording is checked against the CPU instead.  A reference
# run that dies (signal, "Exec format error", time limit) is a failure.
#
# Environment: VXHOST overrides the host (default build/vxhost), so the
# harness itself can be checked against a stand-in; DIFF_JOBS sets how
# many runs go at once (default 2, one per core here).

cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
. tests/lib/engines.sh
host=${VXHOST:-build/vxhost}
jobs=${DIFF_JOBS:-2}
limit=60
rec=tests/data/diff

if [ ! -x "$host" ]; then
	echo "1..0 # SKIP $host not built"
	exit 0
fi
set -- build/guest/*.O0 build/guest/*.O2
if [ ! -e "$1" ]; then
	echo "1..0 # SKIP no guest programs in build/guest"
	exit 0
fi
engines_load
ref_load
[ -z "$ENGINES_ALL" ] && engines_none

# On QEMU's TCG as the CPU (../shared/tools/compatvm's VM: /proc/cpuinfo
# says "QEMU TCG CPU") the recordings are not this CPU's: its x87 is
# qemu's soft-float (which the sandbox's x87 runs on too: the CPU is the
# reference) and lar leaves bits 19:16 zero, where the sandbox answers
# system instructions itself with the hardware's values (sysinsn: the
# recording is the reference).  doc/testing.md, "Linux 6.1 and the
# compat engine".
tcg=
cpu_tcg && tcg=1
tcgrec() { [ -n "$tcg" ] && [ "$REF" = native ] && case $1 in sysinsn.*) true ;; *) false ;; esac; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/diff.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# limited CMD…: run with the time limit (status 124 when it is hit)
limited() {
	if command -v timeout >/dev/null 2>&1; then
		timeout ${lim:-$limit} "$@"
	else
		"$@"
	fi
}

# ref_one BIN: the reference run, results in $tmp/NAME.ref{,rc,err}
ref_one() {
	n=$(basename "$1")
	# qemu retranslates self-modifying code on every write: smc.O0 takes
	# 17 s of it on a loaded machine, so its runs get five times longer.
	lim=$limit
	[ "$REF" = qemu ] && lim=$((limit * 5))
	limited sh -c '. tests/lib/engines.sh; refexec "$@"' refexec "$1" >"$tmp/$n.ref" 2>"$tmp/$n.referr" </dev/null
	echo $? >"$tmp/$n.refrc"
}

# vx_one ENGINE BIN: the sandboxed run, results in $tmp/ENGINE/NAME.*
vx_one() {
	n=$(basename "$2")
	VXENGINE=$1 "$host" -T $limit "$2" >"$tmp/$1/$n.vx" 2>"$tmp/$1/$n.vxerr" </dev/null
	echo $? >"$tmp/$1/$n.vxrc"
}

# Run a function over every binary, $jobs at a time.
each() {
	running=0
	for b in "$@"; do
		"$fn" $fnarg "$b" &
		running=$((running + 1))
		if [ $running -ge "$jobs" ]; then
			wait
			running=0
		fi
	done
	wait
}

fn=ref_one fnarg= each "$@"
for e in $ENGINES; do
	mkdir -p "$tmp/$e"
	fn=vx_one fnarg=$e each "$@"
done

ntests=$(( $(echo $ENGINES_ALL | wc -w) - $(echo $ENGINES | wc -w) + $# * $(echo $ENGINES | wc -w) ))
nrec=0
if [ "$REF" = native ]; then
	for b in "$@"; do
		[ -f "$rec/$(basename "$b").out" ] && nrec=$((nrec + 1))
	done
fi
echo "1..$((ntests + nrec))"
echo "# reference: $REF_WHY"
i=0

# The reference of each binary: $tmp/NAME.want and .wantrc, and what it
# is ($tmp/NAME.what); a failed reference run leaves a reason in .bad.
for b in "$@"; do
	n=$(basename "$b")
	refrc=$(cat "$tmp/$n.refrc")
	if { [ "$REF" = qemu ] || tcgrec "$n"; } && [ -f "$rec/$n.out" ]; then
		cp "$rec/$n.out" "$tmp/$n.want"
		cat "$rec/$n.rc" >"$tmp/$n.wantrc" 2>/dev/null || echo 0 >"$tmp/$n.wantrc"
		echo "output recorded on real hardware ($rec/$n.out; qemu's differs)" >"$tmp/$n.what"
	else
		cp "$tmp/$n.ref" "$tmp/$n.want"
		echo "$refrc" >"$tmp/$n.wantrc"
		echo "$REF" >"$tmp/$n.what"
		if ref_failed "$refrc"; then
			{
				echo "reference run ($REF) failed with status $refrc: $(head -1 "$tmp/$n.referr")"
			} >"$tmp/$n.bad"
		fi
	fi
	# On the CPU, a recording must still be what the CPU prints.
	if [ "$REF" = native ] && [ -f "$rec/$n.out" ] && [ -n "$tcg" ]; then
		i=$((i + 1))
		echo "ok $i # skip reference: $n: QEMU's TCG is not the hardware the recording in $rec was taken on"
	elif [ "$REF" = native ] && [ -f "$rec/$n.out" ]; then
		i=$((i + 1))
		if cmp -s "$rec/$n.out" "$tmp/$n.ref" && [ "$(cat "$rec/$n.rc" 2>/dev/null)" = "$refrc" ]; then
			echo "ok $i - reference: $n: the recording in $rec equals the CPU's output"
		else
			echo "not ok $i - reference: $n: the recording in $rec equals the CPU's output"
			echo "# $rec/$n.out is stale: run sh tests/data/record.sh on a host that executes i386 programs" >&2
		fi
	fi
done

for e in $ENGINES_ALL; do
	if ! engine_usable "$e"; then
		i=$((i + 1))
		echo "ok $i # skip $e: $(engine_why "$e")"
		continue
	fi
	for b in "$@"; do
		i=$((i + 1))
		n=$(basename "$b")
		d=$tmp/$e
		wantrc=$(cat "$tmp/$n.wantrc")
		vxrc=$(cat "$d/$n.vxrc")
		why=
		if [ -f "$tmp/$n.bad" ]; then
			why=$(cat "$tmp/$n.bad")
		elif [ "$vxrc" = 124 ]; then
			why="sandbox stopped it after ${limit}s"
		elif grep -q '^vxhost: trap' "$d/$n.vxerr"; then
			why="sandbox trapped: $(grep '^vxhost: trap' "$d/$n.vxerr" | head -1)"
		elif ! cmp -s "$tmp/$n.want" "$d/$n.vx"; then
			why="stdout differs"
		elif [ "$wantrc" != "$vxrc" ]; then
			why="exit status reference $wantrc, sandbox $vxrc"
		fi
		if [ -z "$why" ]; then
			echo "ok $i - $e: $n"
			continue
		fi
		echo "not ok $i - $e: $n"
		{
			echo "# $e: $n: $why (reference: $(cat "$tmp/$n.what"), exit reference $wantrc, sandbox $vxrc)"
			if ! cmp -s "$tmp/$n.want" "$d/$n.vx"; then
				echo "# diff reference sandbox:"
				diff "$tmp/$n.want" "$d/$n.vx" | head -12 | cut -c1-200 | sed 's/^/#   /'
			fi
			if [ -s "$d/$n.vxerr" ]; then
				echo "# sandbox stderr:"
				head -5 "$d/$n.vxerr" | sed 's/^/#   /'
			fi
		} >&2
	done
done
exit 0
