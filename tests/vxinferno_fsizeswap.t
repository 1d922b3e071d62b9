#!/bin/sh
# vxinferno_fsizeswap.t — O_APPEND writes and writes near RLIMIT_FSIZE
# to an fd another thread keeps swapping between two files
# (tests/guest_fsizeswap.c): each write acts on the one open file it
# took, with that file's O_APPEND and that file's limit, as Linux's.
# 2fe3810 moved to the end of, and asked the limit of, whatever was at
# the fd before it took the file it wrote: an append's move went to the
# other file, or none was made, and the write went over records at the
# file's own stale offset (append: records lost in 3 runs of 3 with
# 200000 rounds, 3 of 4 with 100000, 1 of 3 with 20000); a limit asked
# of /dev/null let a write grow the file past it (fsize: 4 runs of 4
# with 100000 rounds, 2 of 3 with 30000).  A race: how often it hits
# depends on the host; the rounds are as many as a few seconds allow.
# limit (no race): a splice from a pipe into a file at its limit took
# all it asked for from the pipe and lost what did not fit (2fe3810:
# the pipe's next read waited for ever; Linux leaves the rest in the
# pipe), and copy_file_range sent SIGXFSZ after copying a part.
# pappend: pwrite to an O_APPEND file went to its offset, not its end
# (Linux's, its BUGS section).  copyedge: 2fe3810 answered 0 for a
# sendfile of 0 bytes from a write-only or O_PATH fd (Linux: EBADF) and
# copy_file_range copied from an O_PATH fd.  Each mode's output is "done"
# alone, as native i386's.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_fsizeswap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_fsizeswap

# vs MODE NATIVE GUEST WHAT: the mode's output with NATIVE as its
# argument on native i386, and with GUEST here, are the same
vs() {
	(cd "$R" && refrun ./bin/guest_fsizeswap $1 $2; echo "status $?") >"$tmp/$1.native" 2>&1
	timeout 120 $VX -N -r "$R" guest_fsizeswap $1 $3 >"$tmp/$1.guest" 2>&1
	echo "status $?" >>"$tmp/$1.guest"
	same "$1: $4 (native i386)" "$tmp/$1.native" "$tmp/$1.guest"
}
vs append 2000 200000 "200000 O_APPEND writes to an fd swapped with a file without it meanwhile, every record kept"
vs fsize 3000 100000 "100000 writes, pwrites and sendfiles at RLIMIT_FSIZE to an fd swapped with /dev/null meanwhile, the file never past it"
vs limit "" "" "splice, sendfile and copy_file_range up to RLIMIT_FSIZE, their answers, SIGXFSZ, and what a pipe keeps"
vs pappend "" "" "pwrite and pwritev to an O_APPEND file go to its end, whatever the offset"
vs copyedge "" "" "sendfile, copy_file_range and splice with fds not open for it, O_PATH, O_APPEND, counts of 0"
finish
