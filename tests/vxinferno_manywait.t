#!/bin/sh
# vxinferno_manywait.t — poll, select and epoll_wait on 12 tcp
# connections on 127.0.0.1 (with -N: host sockets) end when the last
# one gets a byte (tests/guest_manywait.c): the same output
# natively and under vxinferno.  Before session 28 the kernel waited on
# the first 8 host descriptors of a wait only, and each wait slept on
# (until a timeout, or here the program's watchdog).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_manywait.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_manywait
(cd "$R" && refrun ./bin/guest_manywait; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -N -r "$R" guest_manywait >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "poll, select, epoll_wait on 12 sockets: an arrival on the last ends each" "$tmp/native" "$tmp/guest"
finish
