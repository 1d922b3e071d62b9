#!/bin/sh
# vxinferno_memrace.t — host writes into guest memory another guest
# thread changes meanwhile (tests/guest_memrace.c), natively and as a
# guest.  remap: a page the guest unmaps and maps a file at while a
# system call writes into it keeps the file's bytes (the host fault
# handler's scratch page went over the file: lost in one run of 100 to
# 10,000 on session 24's binary).  The native run makes fewer rounds
# (its mmaps cost more); the output does not count them.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_memrace.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_memrace
(cd "$R" && GAPSTMP=$R/tmp refrun ./bin/guest_memrace remap 2000; echo "status $?") >"$tmp/remap.native" 2>&1
timeout 60 $VX -N -r "$R" guest_memrace remap 10000 >"$tmp/remap.guest" 2>&1
echo "status $?" >>"$tmp/remap.guest"
same "remap: the file's bytes stay" "$tmp/remap.native" "$tmp/remap.guest"
finish
