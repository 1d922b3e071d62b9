#!/bin/sh
# vxinferno_sigswap.t — a read whose fd another thread dup2s a pipe
# over while the read is under way (tests/guest_sigswap.c): the read
# answers from the file it began on, or waits on the pipe where a
# signal ends the wait (EINTR), as Linux.  The runtime looked at the fd
# (fdlook) before the kernel took its file, and a read that looked at
# the file and then waited on the pipe was one no signal ended: a hang,
# which the timeout turns into a failure (main 25d3855: 5 runs of 1000
# rounds out of 5 hung; 60 rounds, red26c's count on c20333e, seldom
# did).  pread, preadv and sendfile with an offset: a positional read
# that looked at the fd as the file and then found the pipe must answer
# ESPIPE, not wait on the pipe (25d3855: pread hung 1 run of 2, preadv
# 2 of 2, sendfile 1 of 2).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_sigswap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_sigswap

(cd "$R" && refrun ./bin/guest_sigswap 1000; echo "status $?") >"$tmp/swap.native" 2>&1
timeout 60 $VX -N -r "$R" guest_sigswap 1000 >"$tmp/swap.guest" 2>&1
echo "status $?" >>"$tmp/swap.guest"
same "1000 reads whose fd becomes an empty pipe mid-call: each wait on the pipe ended by a signal (EINTR), as native i386" "$tmp/swap.native" "$tmp/swap.guest"
for m in pread preadv sendfile; do
	(cd "$R" && refrun ./bin/guest_sigswap $m 40; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 60 $VX -N -r "$R" guest_sigswap $m 40 >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
	same "40 ${m}s whose fd becomes an empty pipe mid-call: ESPIPE (or EINTR), no wait no signal ends, as native i386" "$tmp/$m.native" "$tmp/$m.guest"
done
finish
