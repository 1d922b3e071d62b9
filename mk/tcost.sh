#!/bin/sh
# tcost.sh [DIR]: what each test file of the last make test cost, from
# the .cost files mk/tlog.sh leaves in DIR (build/tlog): wall seconds,
# CPU seconds (user + sys of the file's processes), the file; the
# costliest first, then the sums.  For keeping make test inside its
# budget (doc/testing.md, "Cost").
dir=${1:-build/tlog}
cat "$dir"/*.cost | sort -k2,2nr | awk '
	{ printf "%6d %8.2f  %s\n", $1, $2, $3; w += $1; c += $2; n++ }
	END { printf "%6d %8.2f  %d files (wall summed over files; prove -j2 runs two at once)\n", w, c, n }'
