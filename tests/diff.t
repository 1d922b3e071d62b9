#!/bin/sh
# diff.t — differential test: every guest program in build/guest (built
# from tests/guest/*.c at -O0 and -O2) runs natively and under the test
# host; stdout and exit status must be identical, and the host must not
# report a trap.  One TAP test per binary.
#
# Environment: VXHOST overrides the host (default build/vxhost), so the
# harness itself can be checked against a stand-in; DIFF_JOBS sets how
# many sandboxed runs go at once (default 2, one per core here).

cd "$(dirname "$0")/.." || exit 1
host=${VXHOST:-build/vxhost}
jobs=${DIFF_JOBS:-2}
limit=60

if [ ! -x "$host" ]; then
	echo "1..0 # SKIP $host not built"
	exit 0
fi
set -- build/guest/*.O0 build/guest/*.O2
if [ ! -e "$1" ]; then
	echo "1..0 # SKIP no guest programs in build/guest"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/diff.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# run_one BIN: native and sandboxed runs of one binary, results in $tmp.
# Native runs get the same time limit through timeout(1) when it exists.
run_one() {
	b=$1
	n=$(basename "$b")
	if command -v timeout >/dev/null 2>&1; then
		timeout $limit "$b" >"$tmp/$n.nat" 2>/dev/null </dev/null
	else
		"$b" >"$tmp/$n.nat" 2>/dev/null </dev/null
	fi
	echo $? >"$tmp/$n.natrc"
	"$host" -T $limit "$b" >"$tmp/$n.vx" 2>"$tmp/$n.vxerr" </dev/null
	echo $? >"$tmp/$n.vxrc"
}

# Run $jobs at a time; results are reported afterwards in a fixed order,
# with diagnostics on stderr where prove shows them.
running=0
for b in "$@"; do
	run_one "$b" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

echo "1..$#"
i=0
for b in "$@"; do
	i=$((i + 1))
	n=$(basename "$b")
	natrc=$(cat "$tmp/$n.natrc")
	vxrc=$(cat "$tmp/$n.vxrc")
	why=
	if [ "$natrc" = 124 ]; then
		why="native run timed out"
	elif [ "$vxrc" = 124 ]; then
		why="sandbox stopped it after ${limit}s"
	elif grep -q '^vxhost: trap' "$tmp/$n.vxerr"; then
		why="sandbox trapped: $(grep '^vxhost: trap' "$tmp/$n.vxerr" | head -1)"
	elif ! cmp -s "$tmp/$n.nat" "$tmp/$n.vx"; then
		why="stdout differs"
	elif [ "$natrc" != "$vxrc" ]; then
		why="exit status native $natrc, sandbox $vxrc"
	fi
	if [ -z "$why" ]; then
		echo "ok $i - $n"
		continue
	fi
	echo "not ok $i - $n"
	{
		echo "# $n: $why (exit native $natrc, sandbox $vxrc)"
		if ! cmp -s "$tmp/$n.nat" "$tmp/$n.vx"; then
			echo "# diff native sandbox:"
			diff "$tmp/$n.nat" "$tmp/$n.vx" | head -12 | cut -c1-200 | sed 's/^/#   /'
		fi
		if [ -s "$tmp/$n.vxerr" ]; then
			echo "# sandbox stderr:"
			head -5 "$tmp/$n.vxerr" | sed 's/^/#   /'
		fi
	} >&2
done
exit 0
