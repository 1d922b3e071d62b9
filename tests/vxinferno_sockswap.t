#!/bin/sh
# vxinferno_sockswap.t — what session 29's byfd and sockleft left
# (tests/guest_sockswap.c): copies from a datagram socket, a dup'd
# socket and a connected TCP socket whose write may come up short, and
# socket and timerfd calls on an fd another thread swaps meanwhile
# (tests/swapfd.h).  Each mode's output is the same as native i386's
# (qemu-i386 here).
# On 6c012a8 (session 30's loaded 2-vCPU host):
#   dgcopy (no race): splice and sendfile of a unix datagram to a full
#     nonblocking pipe answered EAGAIN with the datagram gone; a blocking
#     empty datagram socket's splice to a full pipe with
#     SPLICE_F_NONBLOCK waited for ever (the timeout).
#   tcpcopy (no race): a splice from a socket() and connect()ed TCP
#     socket was made again for ever (its record kept its ctl's qid
#     path; a spin at 98% CPU: the timeout).
#   sockid: a recv of a unix stream socket with a UDP socket's Sock
#     (or the other way) answered the datagram's 53 bytes with its
#     header: 16536 wrong answers of 200000.
#   ctlswap: hung (sockof read a dup's clone file by fd, which was the
#     pipe by then); with that read fixed, the pipe got the socket's
#     "sndbuf N" ctl messages (56569 and 43451 bytes, 2 runs).
#   tfdwait: hung, 2 runs of 2 with 30000 rounds.
# On 544b41b: cperr: a splice of length 0 with bad fds EBADF (Linux: 0),
#   a datagram spliced to a pipe's read end lost with the EBADF, a
#   socket's splice offset ESPIPE (EINVAL), copy_file_range to /dev/full
#   ENOSPC and to /dev/null a copy (EINVAL).
# On 544b41b: ctltemp: the pipe got "sndbuf N" ctl messages (600 and 58
#   bytes) and 76 and 8 of the dup2s or closes failed (the ctl's
#   temporary fd, the lowest free number, closed the guest's), 2 runs.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_sockswap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_sockswap

# vs MODE NATIVE GUEST WHAT: the mode's output with NATIVE as its
# argument on native i386, and with GUEST here, are the same
vs() {
	(cd "$R" && refrun ./bin/guest_sockswap $1 $2; echo "status $?") >"$tmp/$1.native" 2>&1
	timeout 120 $VX -N -r "$R" guest_sockswap $1 $3 >"$tmp/$1.guest" 2>&1
	echo "status $?" >>"$tmp/$1.guest"
	same "$1: $4 (native i386)" "$tmp/$1.native" "$tmp/$1.guest"
}
vs dgcopy "" "" "splice and sendfile from unix and UDP datagram sockets and a dup'd stream socket to full or nearly full pipes: nothing lost, no wait"
vs tcpcopy "" "" "splice from a connected and an accepted TCP socket"
vs cperr "" "" "splice and copy_file_range argument checks in Linux's order: length 0 first, modes before the read, a socket's offset, character devices"
vs sockid 20000 200000 "200000 recvs of an fd swapped between a UDP socket and a unix stream socket: each a 1-byte message or EAGAIN"
vs ctlswap 20000 200000 "200000 setsockopt(SO_SNDBUF)s of an fd swapped between an unconnected TCP socket and a pipe: the pipe gets nothing"
vs tfdwait 3000 30000 "30000 timerfd reads, the fd swapped with an empty pipe while each waits: each ends when the timer expires"
vs ctltemp 20000 100000 "100000 setsockopts and getsocknames of an unconnected TCP socket while a pipe is dup2'd onto the lowest free fd and closed: the pipe gets nothing, no dup2 or close fails"
finish
