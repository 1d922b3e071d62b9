#!/bin/sh
# vxinferno_byfdswap.t — the steps of a read or write that looked at
# its fd again after taking its open file (tests/guest_byfdswap.c),
# with another thread swapping the fd meanwhile, and a copy from a pipe
# or socket whose write comes up short.  Each mode's output is the same
# as native i386's (qemu-i386 here).
# On 7c066a1 (this session's loaded 2-vCPU host; races, so the counts
# are of this host):
#   evwait: the eventfd read waited on whatever was at its fd (an empty
#     pipe) when the counter's write woke it: hung, 3 runs of 3 (3000
#     rounds).
#   copyshort (no race): a splice from a pipe lost what it took and did
#     not write (to /dev/full: all 10000 bytes; to a nonblocking pipe
#     with a page of room: the rest).
#   ttyjob: a background write under TOSTOP reached the terminal, 4 runs
#     of 4 with 2000000 rounds (1 of 3 with 300000): the job-control look
#     by fd found /dev/null.
#   sigpipe: a write whose record was the socket answered ENOTSOCK (its
#     Sock looked for again by fd found the pipe), and EPIPEs went
#     without SIGPIPE (the look by fd found the datagram socket): 3 runs
#     of 3 with 200000 rounds.
#   sockfile: ENOTSOCK, and the file past RLIMIT_FSIZE (a socket write
#     made by fd into the file): 3 runs of 3 with 200000 rounds.
#   sockcopy (no race; on 6f3223d): a splice or sendfile from a stream
#     socket lost what its write did not take (to a full nonblocking
#     pipe: all 10000 bytes; to one with a page of room: the rest).
#   nbswap (on 2d590d1): a recv or read whose O_NONBLOCK was read by
#     fd (a blocking socket's) and whose take found the nonblocking
#     empty one waited on it for ever: hung, 1 run of 1 with 2000000
#     rounds, 2 of 3 with 200000.
#   evcopy (no race; on 4875294): splice from an eventfd or timerfd to a
#     full pipe read the counter, and its write's failure put the 8 bytes
#     into the doorbell pipe (kfileunread): the count lost, poll readable
#     for ever, a blocking read spinning (no signal reached it: the
#     timeout); splice and sendfile to and from an eventfd copied.
#     On 6c012a8: EINVAL where Linux's EAGAIN of a full pipe comes
#     first (4 lines), and a vmsplice to the eventfd added to its count.
#   copyroom: 8 threads' splices from a pipe to a full one, each taking
#     bytes and putting them back, while writers filled the room: the
#     64 KiB pipe took and held 384, 576 and 384 KiB (9 times its size
#     at most), 3 runs of 3 with 20000 rounds; and a splice from a pipe
#     to itself copied (Linux: EINVAL).
#   copyeof (on 99336ec): a pipe's reader, with another thread
#     splicing from it to a full pipe, saw end of file while the copy
#     held bytes it then put back: 45, 14 and 7 rounds of 30000 read
#     short (3 runs of 3; 1 of 3 with 3000 rounds).
#   netfile (no race; vxinferno's /net, so no native run): a send on a
#     TCP connection's data file opened O_WRONLY took its file for
#     reading, failed, and was made again for ever (a spin: timeout).
#   ready: a nonblocking read of the console (a FIFO nobody writes as
#     its standard input) waited: the readiness test by fd found the
#     file: hung, 3 runs of 3 with 2000000 rounds (none with 20000).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_byfdswap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_byfdswap

# vs MODE NATIVE GUEST WHAT: the mode's output with NATIVE as its
# argument on native i386, and with GUEST here, are the same
vs() {
	(cd "$R" && refrun ./bin/guest_byfdswap $1 $2; echo "status $?") >"$tmp/$1.native" 2>&1
	timeout 120 $VX -N -r "$R" guest_byfdswap $1 $3 >"$tmp/$1.guest" 2>&1
	echo "status $?" >>"$tmp/$1.guest"
	same "$1: $4 (native i386)" "$tmp/$1.native" "$tmp/$1.guest"
}
vs evwait 300 3000 "3000 eventfd reads, the fd swapped with an empty pipe while each waits: each ends when the count is written"
vs copyshort "" "" "splice from a pipe to /dev/full and to a nearly full nonblocking pipe: the pipe keeps what was not written"
vs sockcopy "" "" "splice and sendfile from a stream socket to a full or nearly full nonblocking pipe: the socket keeps what was not written"
vs evcopy "" "" "splice, sendfile and vmsplice from and to an eventfd and a timerfd: they fail as Linux's and take nothing"
# netfile: vxinferno's own /net, which native Linux has not
printf '%s\n' 'netfile: send 1, write 1, the peer got "xy"' 'netfile: recv "ab"' \
	'netfile: send on the read-only file -1 (Bad file descriptor)' done 'status 0' >"$tmp/netfile.want"
timeout 120 $VX -N -r "$R" guest_byfdswap netfile >"$tmp/netfile.guest" 2>&1
echo "status $?" >>"$tmp/netfile.guest"
same "netfile: send, write and recv through a /net data file opened O_WRONLY or O_RDONLY" "$tmp/netfile.want" "$tmp/netfile.guest"
vs copyroom 20000 20000 "8 threads' splices from a pipe to a full one while it is written: the pipe holds its size, no more"
vs copyeof 300 30000 "30000 pipes read to their end while another thread splices from them to a full pipe: every byte read"
vs ttyjob 3000 2000000 "2000000 background writes under TOSTOP to an fd swapped between a terminal and /dev/null: none reaches the terminal"
vs sigpipe 3000 200000 "200000 writes to an fd swapped between a broken pipe and a datagram socket: each EPIPE with its SIGPIPE"
vs nbswap 3000 2000000 "2000000 recvs and reads of an fd swapped between a blocking socket holding a byte and an empty nonblocking one: each answers 1 or EAGAIN"
vs sockfile 3000 200000 "200000 writes to an fd swapped between a socket and a file at RLIMIT_FSIZE: the file never past it"
# ready's standard input: a FIFO this shell holds open for writing
# and never writes
mkfifo "$tmp/in" || exit 1
exec 3<>"$tmp/in"
(cd "$R" && refrun ./bin/guest_byfdswap ready 3000 <"$tmp/in"; echo "status $?") >"$tmp/ready.native" 2>&1
timeout 120 $VX -N -r "$R" guest_byfdswap ready 2000000 <"$tmp/in" >"$tmp/ready.guest" 2>&1
echo "status $?" >>"$tmp/ready.guest"
exec 3<&-
same "ready: 2000000 nonblocking reads of an fd swapped between the console (an empty FIFO) and a file: none waits (native i386)" "$tmp/ready.native" "$tmp/ready.guest"
finish
