#!/bin/sh
# vxinferno_vecrace.t — vectored calls with hostile iovecs while other
# threads unmap, remap and reprotect the buffers, rewrite the iovec
# array and dup2 other files over the fds (tests/guest_vecrace.c): the
# guest gets errors and short counts, the host survives.  sockswap:
# calls on a socket fd another thread dup2s fresh sockets over; the
# Sock a call had found was freed under it (heap-use-after-free), which
# only AddressSanitizer shows reliably: with build/asan/vxinferno
# (sh tests/sysfuzz/asan.sh) the runs are made with it too.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_vecrace.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_vecrace
mkdir -p "$R/tmp"

# survives VX WHAT ARGS...: the guest ends its run ("done"), the host
# with it, not by a signal or a sanitizer's report
survives() {
	v=$1
	what=$2
	shift 2
	timeout 120 $v -N -r "$R" guest_vecrace "$@" >"$tmp/out" 2>&1
	st=$?
	if [ $st -eq 0 ] && grep -q ': .*done$' "$tmp/out" && ! grep -q 'Sanitizer\|runtime error' "$tmp/out"; then
		okrc 0 "$what"
	else
		okrc 1 "$what (status $st)"
		grep -m5 'Sanitizer\|runtime error\|#[0-9] ' "$tmp/out" | sed 's/^/#   /'
	fi
}

survives "$VX" "readv, writev, vmsplice, preadv, pwritev, sendmsg, recvmsg of hostile iovecs while the buffers, the array and the fds change: the host survives" iovecs 1 1
survives "$VX" "calls on a socket fd while another thread dup2s fresh sockets over it: the host survives" sockswap 1000
if [ -x build/asan/vxinferno ] && [ ! build/asan/vxinferno -ot bin/vxinferno ]; then
	survives build/asan/vxinferno "the same under AddressSanitizer (build/asan/vxinferno): no report" iovecs 2 1
	survives build/asan/vxinferno "sockswap under AddressSanitizer: no heap-use-after-free of a Sock freed by another thread's dup2" sockswap 1000
else
	skip "the same under AddressSanitizer" "no build/asan/vxinferno as new as bin/vxinferno (sh tests/sysfuzz/asan.sh)"
	skip "sockswap under AddressSanitizer" "no build/asan/vxinferno as new as bin/vxinferno"
fi
finish
