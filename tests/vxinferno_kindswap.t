#!/bin/sh
# vxinferno_kindswap.t — reads and writes of an fd another thread keeps
# swapping between two kinds of file (tests/guest_kindswap.c).  The
# runtime chose the buffer it gives the kernel by what the fd was when
# it looked (the fd's file then), and 297e4aa's reads and writes check
# only that the file they take is the one fdlook's record saw: a
# record of a regular file, /dev/null at the fd for the look
# (isdevsink: one byte of the runtime's own memory, "unlooked", with
# the whole count) and the file again for the read moved 16 KiB between
# the file and the runtime's memory (sink: the host crashed, SIGSEGV,
# 2 runs of 6 with 20000 rounds); a record of an inotify queue, a
# terminal at the fd for the look (ptyfdof: a guarded buffer, no page
# looked at) and the queue again for the read copied its event into a
# page the guest may not write (pty: 2 runs of 5 with 500000 rounds).
# And the read's O_NONBLOCK was the fd's status when fdstatus looked,
# not the file's it took: a nonblocking terminal's read, with a
# blocking queue at the fd for the look, waited for input that never
# came (ptywait: a hang, 3 runs of 5 with 500000 rounds, the timeout
# turns it into a failure).  A splice from a pipe whose write found
# another file at the fd than its look had was made again after it had
# taken the bytes from the pipe (splice: bytes lost, 3 runs of 4 on
# 297e4aa).  A splice from an fd swapped between a pipe and a file
# whose check (a pipe at one end) looked at the pipe and whose copy at
# the file copied the file's bytes, where Linux's fails EINVAL
# (splicekind: 3 runs of 3 with 100000 rounds on 2fe3810).  Each
# mode's output is "done" alone, as native i386's.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_kindswap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_kindswap

for m in sink pty ptywait; do
	(cd "$R" && refrun ./bin/guest_kindswap $m 20000; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 120 $VX -N -r "$R" guest_kindswap $m 400000 >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
	same "$m: 400000 rounds of reads and writes of an fd swapped between two kinds of file meanwhile, each answered as one kind or the other (native i386)" "$tmp/$m.native" "$tmp/$m.guest"
done
(cd "$R" && refrun ./bin/guest_kindswap splice 400; echo "status $?") >"$tmp/splice.native" 2>&1
timeout 120 $VX -N -r "$R" guest_kindswap splice 4000 >"$tmp/splice.guest" 2>&1
echo "status $?" >>"$tmp/splice.guest"
same "splice: 4000 KiB from a pipe to an fd swapped between two files meanwhile, each byte to one or the other (native i386)" "$tmp/splice.native" "$tmp/splice.guest"
(cd "$R" && refrun ./bin/guest_kindswap splicekind 2000; echo "status $?") >"$tmp/splicekind.native" 2>&1
timeout 120 $VX -N -r "$R" guest_kindswap splicekind 200000 >"$tmp/splicekind.guest" 2>&1
echo "status $?" >>"$tmp/splicekind.guest"
same "splicekind: 200000 splices from an fd swapped between a pipe and a file, each the pipe's bytes or EINVAL (native i386)" "$tmp/splicekind.native" "$tmp/splicekind.guest"
finish
