#!/bin/sh
# vxinferno_vecio.t — readv and writev (preadv, pwritev) of streams and
# files (tests/guest_vecio.c), natively and as a guest, the same output:
# a pipe's writev of at most PIPE_BUF atomic among four writers and a
# 3 MB one whole (atomic); a datagram or seqpacket socket's readv and
# writev one datagram, a stream's readv one read, an eventfd's readv of
# 4+4 bytes one read (sockets); a pipe's and a socket's vectored calls
# whose second buffer is not there or read-only moving what Linux's do
# (faults); a file's preadv and pwritev as before (files); iovecs past
# MAX_RW_COUNT, of 2 GiB, wrapping 4 GiB, UIO_MAXIOV (limits); vmsplice
# that waits only while the pipe is full and SPLICE_F_NONBLOCK
# (vmsplice); SIGPIPE with a short count (sigpipe).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_vecio.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_vecio

# qemu checks buffers whole first (faults) and cuts iovecs its own way
# (limits): there Linux's output, recorded (tests/data/vecio/README)
vecref() { (cd "$R" && refrun ./bin/guest_vecio "$1"; echo "status $?"); }
for m in atomic sockets faults files limits vmsplice sigpipe; do
	case $m in
	faults|limits) refout "$tmp/$m.native" tests/data/vecio/$m.out vecref $m ;;
	*) vecref $m >"$tmp/$m.native" 2>&1 ;;
	esac
	timeout 60 $VX -N -r "$R" guest_vecio $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
done
same "four writers' writev records of 4,000 bytes through one pipe, each whole; one writev of 3 MB through a pipe, all of it in order" "$tmp/atomic.native" "$tmp/atomic.guest"
same "readv and writev of SOCK_DGRAM and SOCK_SEQPACKET socketpairs one datagram each (none for an empty writev), of a stream one read, an eventfd's readv one read" "$tmp/sockets.native" "$tmp/sockets.guest"
same "readv and writev of a pipe and of stream, datagram and seqpacket sockets whose second buffer is unmapped or read-only: the bytes, EFAULTs and leftovers of Linux's" "$tmp/faults.native" "$tmp/faults.guest"
same "preadv and pwritev of a file at an offset (the fd's own unmoved), readv and writev of a file whose second buffer is not there" "$tmp/files.native" "$tmp/files.guest"
same "iovecs past MAX_RW_COUNT cut to end there (a nonblocking pipe's short count, a datagram's EMSGSIZE), not EINVAL; a length of 2 GiB EINVAL; a buffer wrapping 4 GiB EFAULT; UIO_MAXIOV" "$tmp/limits.native" "$tmp/limits.guest"
same "vmsplice waits only while the pipe is full, then takes what fits; SPLICE_F_NONBLOCK EAGAIN both ways (it waited for ever); the fd's O_NONBLOCK not looked at" "$tmp/vmsplice.native" "$tmp/vmsplice.guest"
same "a pipe's write and writev cut short by the reader's exit: the short count and SIGPIPE (none before), then EPIPE and SIGPIPE" "$tmp/sigpipe.native" "$tmp/sigpipe.guest"
finish
