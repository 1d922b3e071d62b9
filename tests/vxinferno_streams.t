#!/bin/sh
# vxinferno_streams.t — stream corners earlier red teams left
# (tests/guest_streams.c), natively and as a guest, the same output:
# nonblocking socket reads that never wait while another thread swaps
# the fd or takes the bytes (nbsock); socketpair's fds, a read blocked
# in a socket through a close or dup2 of its fd and a signal
# (sockwait); a pipe's readv and writev while the fd is swapped
# (pipeswap: the pipe's stand-in token reaches no other file, as rwlk
# reads only the file its fdlook saw); a pipe's read and readv while an
# eventfd is swapped in (evswap: never the eventfd's doorbell byte),
# and an eventfd's while a pipe is (evrev: the pipe loses no byte to
# the eventfd's doorbell);
# raw pty reads with VMIN past 64 bytes, and nonblocking ones (vmin);
# writes to a standard fd that is a host file or pipe from a buffer
# that faults part way (stdout: vxinferno's were all or nothing, as a
# stream's).  guest_streams vmsplice is not compared yet
# (doc/guest-abi.md).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_streams.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_streams

for m in nbsock sockwait pipeswap evswap evrev vmin; do
	[ $m = evswap ] || [ $m = evrev ] ||
	(cd "$R" && refrun ./bin/guest_streams $m; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 60 $VX -N -r "$R" guest_streams $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
done
same "MSG_DONTWAIT and O_NONBLOCK socket reads and peeks never wait while another thread dup2s an empty blocking socket over the fd, nor while a second reader takes the datagram" "$tmp/nbsock.native" "$tmp/nbsock.guest"
same "socketpair gives the two lowest free fds; a socket read waiting through a close or a dup2 of its fd gets its own socket's bytes (then EBADF, the new socket's); a signal ends it" "$tmp/sockwait.native" "$tmp/sockwait.guest"
same "a pipe's readv and writev while another thread dup2s /dev/zero or /dev/null over the fd: bytes only through their own iovecs" "$tmp/pipeswap.native" "$tmp/pipeswap.guest"
# evswap's and evrev's answers are known whatever the CPU: no odd read,
# nothing lost (the host's Linux gives them for the same source built
# for x86-64).  qemu-i386 (the reference where the host cannot run i386
# code) often fails its own rcu_read_unlock assertion in evswap and
# loses pipe bytes in evrev (its fd translators race the dup2s), so the
# guest is held to those answers, not to the reference's
printf 'read of a pipe an eventfd is swapped with: odd       0\nreadv of a pipe an eventfd is swapped with: odd      0\nstatus 0\n' >"$tmp/evswap.want"
same "a pipe's read and readv while another thread dup2s an eventfd over the fd: the pipe's bytes or the eventfd's count, never its doorbell's byte, and no wait" "$tmp/evswap.want" "$tmp/evswap.guest"
printf 'pipe bytes lost 0\neventfd counts lost 0\neventfd readable with nothing in it: 0\nstatus 0\n' >"$tmp/evrev.want"
same "an eventfd's reads while another thread dup2s a pipe over the fd: its doorbell silenced from the eventfd, no byte of the pipe's lost, no wait" "$tmp/evrev.want" "$tmp/evrev.guest"
same "raw pty reads: VMIN past 64 returns 64 bytes once it has them, VMIN within 64 all there is; VTIME; O_NONBLOCK takes what is there, fewer than VMIN too" "$tmp/vmin.native" "$tmp/vmin.guest"
# stdout: fd 1 a host regular file, then a host pipe; each write's
# count (stderr) and the bytes that went out
(cd "$R" && refrun ./bin/guest_streams stdout) >"$tmp/file.native" 2>"$tmp/filecount.native"
timeout 60 $VX -N -r "$R" guest_streams stdout >"$tmp/file.guest" 2>"$tmp/filecount.guest"
(cd "$R" && refrun ./bin/guest_streams stdout) 2>"$tmp/pipecount.native" | cat >"$tmp/pipe.native"
timeout 60 $VX -N -r "$R" guest_streams stdout 2>"$tmp/pipecount.guest" | cat >"$tmp/pipe.guest"
same "write and writev to a standard fd on a host regular file from a buffer that faults part way: the bytes before the fault (a file's), not EFAULT" "$tmp/filecount.native" "$tmp/filecount.guest"
same "  and the file holds them" "$tmp/file.native" "$tmp/file.guest"
same "the same to a host pipe: the whole pages before the fault (Linux's pipe buffers), EFAULT for none" "$tmp/pipecount.native" "$tmp/pipecount.guest"
same "  and the pipe carried them" "$tmp/pipe.native" "$tmp/pipe.guest"
finish
