#!/bin/sh
# vxinferno_unix.t — AF_UNIX sockets as a Linux program sees them
# (tests/guest_unix.c), the same under the reference and as a guest,
# one check per section: the exact names and lengths of getsockname,
# getpeername, accept and recvfrom (a path with spaces, a path that
# begins with '@', abstract names with NUL bytes, a bound caller,
# unnamed sockets); bind's address lengths; autobind (bind of the
# family alone, connect with SO_PASSCRED); datagram and seqpacket
# message boundaries (empty datagrams, MSG_PEEK, MSG_TRUNC, short
# buffers); datagrams by name (sendto, connect, recvfrom's sender,
# autobind by sendto); refusals (not listening, another type: path
# and abstract differ; fresh and listening sockets' recv, send and
# shutdown); unknown socket options; a connected datagram socket's
# peer (others' EPERM, connect(AF_UNSPEC), the peer's close); a full
# datagram receiver (EAGAIN, a blocking send's signal, room, close);
# SO_PEERCRED, SCM_CREDENTIALS from another process and SCM_RIGHTS by
# sendto; shutdown(SHUT_RD/WR) of stream and seqpacket ends, SIGPIPE
# and MSG_NOSIGNAL on a closed peer.  What qemu-i386 answers itself
# rather than the kernel (it cuts a sockaddr_un longer than its size;
# an option level unix sockets lack) is compared with the same source
# built for the host and run natively.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_unix.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_unix
tag=$(($$ % 100000))

for sec in names lengths autobind packets dgramnames refusals options dgrampeer dgramfull creds shutdown; do
	(refrun "$R/bin/guest_unix" $sec $tag "$R/tmp"; echo "status $?") >"$tmp/ref" 2>&1
	timeout -k 5 60 $VX -r "$R" guest_unix $sec $tag /tmp >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "unix $sec: as the reference" "$tmp/ref" "$tmp/guest"
done

if gcc -O1 -o "$tmp/guest_unix.host" tests/guest_unix.c 2>"$tmp/cc.err"; then
	mkdir "$tmp/host"
	("$tmp/guest_unix.host" native $tag "$tmp/host"; echo "status $?") >"$tmp/ref" 2>&1
	timeout -k 5 60 $VX -r "$R" guest_unix native $tag /tmp >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "bind past sizeof(struct sockaddr_un), levels unix lacks: as the host's kernel" "$tmp/ref" "$tmp/guest"
else
	sed 's/^/# /' "$tmp/cc.err"
	skip "bind past sizeof(struct sockaddr_un), levels unix lacks: as the host's kernel" "no host compiler"
fi
finish
