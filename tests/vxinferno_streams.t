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
# count (stderr) and the bytes that went out.  The file: qemu checks a
# write's whole buffer first (EFAULT where Linux moves the bytes before
# the fault), so there Linux's output, recorded (tests/data/streams/README):
# its counts, a line "-- stdout", then what reached the file
fileref() {
	(cd "$R" && refrun ./bin/guest_streams stdout) >"$tmp/ref.out" 2>"$tmp/ref.err"
	cat "$tmp/ref.err"
	echo "-- stdout"
	cat "$tmp/ref.out"
}
refout "$tmp/file.ref" tests/data/streams/stdout.file.out fileref
sed '/^-- stdout$/,$d' "$tmp/file.ref" >"$tmp/filecount.native"
sed '1,/^-- stdout$/d' "$tmp/file.ref" >"$tmp/file.native"
timeout 60 $VX -N -r "$R" guest_streams stdout >"$tmp/file.guest" 2>"$tmp/filecount.guest"
same "write and writev to a standard fd on a host regular file from a buffer that faults part way: the bytes before the fault (a file's), not EFAULT" "$tmp/filecount.native" "$tmp/filecount.guest"
same "  and the file holds them" "$tmp/file.native" "$tmp/file.guest"
# The pipe: Linux's pipe_write copies a page at a time and counts the
# whole pages before the fault, EFAULT for none; but a write that faults
# leaves the empty buffer it took in the pipe (fs/pipe.c takes the slot
# before the copy), and a later write's first (length mod 4096) bytes
# go into it if the reader has not yet taken it.  So the third write is
# 16384 or, as the reader ran, 17 + 3 pages = 12305 (Linux 6.1 in a VM
# gave that, 2026-12-05): the counts are checked to be one of Linux's,
# and what the pipe carried to be the bytes they count, for the guest
# and for the reference where it is the CPU (qemu's are not Linux's)
linuxpipe() {	# linuxpipe COUNTS: one of Linux's answers
	for third in 16384 12305; do
		printf '%s\n' 'writev of 6 bytes and 10 not there: -1 Bad address' \
			'write of 16 bytes, the last 10 not there: -1 Bad address' \
			"write of 4 pages and 17 bytes, the last 10 not there: $third " \
			'writev of 3 pages, then a page and a half of 2: 12288 ' | cmp -s - "$1" && return 0
	done
	return 1
}
carried() {	# carried COUNTS DATA: DATA is the bytes COUNTS says went out
	perl -e '
		my $p = "o" x (8 * 4096);
		substr($p, $_ + 63, 1) = "\n" for grep { $_ % 64 == 0 } 0 .. 8 * 4096 - 1;
		my @from = ([5 * 4096 - 6, 6, 5 * 4096], [5 * 4096 - 6], [4096 - 7], [0, 3 * 4096, 4 * 4096 + 5]);
		open(my $c, "<", $ARGV[0]) or exit 2;
		my ($want, $i) = ("", 0);
		while(<$c>){
			my ($n) = /: (-?\d+) / or exit 3;
			my @f = @{$from[$i++]};
			next if $n <= 0;
			if(@f == 1){ $want .= substr($p, $f[0], $n); next }
			my $a = $n < $f[1] ? $n : $f[1];
			$want .= substr($p, $f[0], $a) . substr($p, $f[2], $n - $a);
		}
		local $/;
		open(my $d, "<", $ARGV[1]) or exit 2;
		exit(<$d> eq $want ? 0 : 1);
	' "$1" "$2"
}
timeout 60 $VX -N -r "$R" guest_streams stdout 2>"$tmp/pipecount.guest" | cat >"$tmp/pipe.guest"
pc=0 pd=0
if [ "$REF" = native ]; then
	(cd "$R" && refrun ./bin/guest_streams stdout) 2>"$tmp/pipecount.native" | cat >"$tmp/pipe.native"
	linuxpipe "$tmp/pipecount.native" || { pc=1; echo "# the CPU's counts are not those this test knows of Linux's:" >&2; sed 's/^/# /' "$tmp/pipecount.native" >&2; }
	carried "$tmp/pipecount.native" "$tmp/pipe.native" || pd=1
fi
linuxpipe "$tmp/pipecount.guest" || { pc=1; sed 's/^/# guest: /' "$tmp/pipecount.guest" >&2; }
okrc $pc "the same to a host pipe: the whole pages before the fault (Linux's pipe buffers), EFAULT for none, 17 bytes more where Linux merges into a faulted write's empty buffer"
carried "$tmp/pipecount.guest" "$tmp/pipe.guest" || pd=1
okrc $pd "  and the pipe carried them"
finish
