#!/bin/bash
# tlog.sh TEST: run one test for prove (make test's --exec), keeping a
# copy of its stdout, its stderr and its exit status in $TLOG (made by
# make test) for mk/tfail.sh, which repeats a failing file's details at
# the end of the run: prove -j2 shows neither the not ok lines nor their
# diagnostics, and the stderr of two files interleaves.
t=$1
log=$TLOG/$(printf '%s' "$t" | tr / _)
exec 19> >(tee "$log.err" >&2)
"$t" 2>&19 19>&- | tee "$log.out"
rc=${PIPESTATUS[0]}
exec 19>&-
wait $!	# the copy of stderr is complete
echo "$rc $t" >"$log.rc"
exit $rc
