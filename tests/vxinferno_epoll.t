#!/bin/sh
# vxinferno_epoll.t — epoll beside a waiting thread and over many fds
# (tests/guest_epollwait.c): epoll_ctl ADD and MOD (not DEL) wake a
# thread waiting in epoll_wait on that epoll, on one holding it, or in
# poll on it; a wait over nested epolls naming more fds than one kernel
# poll takes sees every one; maxevents up to Linux's EP_MAX_EVENTS; an
# empty pipe's read end is not writable.  The same output natively (or
# under qemu-i386) and under vxinferno.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_epoll.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_epollwait

(cd "$R" && refrun ./bin/guest_epollwait; echo "status $?") >"$tmp/native" 2>&1
timeout 120 $VX -r "$R" guest_epollwait >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "epoll_ctl during epoll_wait, nested fan-in, maxevents, pipe ends: as the reference" "$tmp/native" "$tmp/guest"
finish
