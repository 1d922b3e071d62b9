#!/bin/bash
# tlog.sh TEST: run one test for prove (make test's --exec), keeping its
# stdout, its stderr and how it ended in $TLOG (made by make test) for
# mk/tfail.sh, which repeats a failing file's details at the end of the
# run: prove -j2 shows neither the not ok lines nor their diagnostics,
# and the stderr of two files interleaves.
#
# CI's environment is not the developer's, so every test runs in the
# same one here: no terminal (its own session, stdin /dev/null, output
# to files), the C locale, UTC, umask 022, no core files.  It runs at
# most $TTIMEOUT seconds (1800): a test that hangs is killed, with
# whatever it started, and reported, rather than holding the whole run
# until CI's own limit kills it without a word.  The output goes to
# files, not pipes, so a process the test left behind cannot hold the
# run open either.
t=$1
log=$TLOG/$(printf '%s' "$t" | tr / _)
limit=${TTIMEOUT:-1800}
unset LANGUAGE $(env | sed -n 's/^\(LC_[A-Z_]*\)=.*/\1/p')
export LC_ALL=C TZ=UTC
umask 022
ulimit -Sc 0	# (the hard limit stays: diod, for one, raises the soft one)
start=$(date +%s)
setsid -w timeout -k 30 "$limit" "$t" </dev/null >"$log.out" 2>"$log.err"
rc=$?
took=$(($(date +%s) - start))
if { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && [ $took -ge "$limit" ]; then
	echo "timed out after $took s (TTIMEOUT=$limit)" >"$log.why"
	echo "# $t: timed out after $took s (TTIMEOUT=$limit): killed" >>"$log.err"
fi
# what the file cost, for mk/tcost.sh: its wall seconds and the CPU
# seconds of the processes it waited for (prove -j2's own CPU column
# mixes in the other file running at the same time)
times >"$log.cost"	# (not in a pipe: a subshell's children are not the test)
cpu=$(awk 'NR == 2 { for(i = 1; i <= 2; i++){ split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%.2f", s }' "$log.cost")
echo "$took $cpu $t" >"$log.cost"
cat "$log.out"
cat "$log.err" >&2
echo "$rc $t" >"$log.rc"
exit $rc
