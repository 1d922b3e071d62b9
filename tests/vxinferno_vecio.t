#!/bin/sh
# vxinferno_vecio.t — readv and writev (preadv, pwritev) of streams and
# files (tests/guest_vecio.c), natively and as a guest, the same output:
# a pipe's writev of at most PIPE_BUF atomic among four writers and a
# 3 MB one whole (atomic); a datagram or seqpacket socket's readv and
# writev one datagram, a stream's readv one read, an eventfd's readv of
# 4+4 bytes one read (sockets); a pipe's and a socket's vectored calls
# whose second buffer is not there or read-only moving what Linux's do
# (faults); a file's preadv and pwritev as before (files).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_vecio.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_vecio

for m in atomic sockets faults files; do
	(cd "$R" && refrun ./bin/guest_vecio $m; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 60 $VX -N -r "$R" guest_vecio $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
done
same "four writers' writev records of 4,000 bytes through one pipe, each whole; one writev of 3 MB through a pipe, all of it in order" "$tmp/atomic.native" "$tmp/atomic.guest"
same "readv and writev of SOCK_DGRAM and SOCK_SEQPACKET socketpairs one datagram each (none for an empty writev), of a stream one read, an eventfd's readv one read" "$tmp/sockets.native" "$tmp/sockets.guest"
same "readv and writev of a pipe and of stream, datagram and seqpacket sockets whose second buffer is unmapped or read-only: the bytes, EFAULTs and leftovers of Linux's" "$tmp/faults.native" "$tmp/faults.guest"
same "preadv and pwritev of a file at an offset (the fd's own unmoved), readv and writev of a file whose second buffer is not there" "$tmp/files.native" "$tmp/files.guest"
finish
