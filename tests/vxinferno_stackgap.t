#!/bin/sh
# vxinferno_stackgap.t — a stack overflow faults at the stack's end, in
# the guard gap below it, and its SIGSEGV handler (on an alternate
# stack) finds the mapping made first intact (tests/guest_stackgap.c):
# the same output natively and under vxinferno.  Before session 28 the
# first mapping (or the interpreter's data page) lay right below the
# stack region and the overflow wrote over it.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_stackgap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_stackgap
(cd "$R" && refrun ./bin/guest_stackgap; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_stackgap >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "a stack overflow: SIGSEGV at the stack's end, the mapping made first untouched" "$tmp/native" "$tmp/guest"
finish
