#!/bin/sh
# vxinferno_memrace.t — host writes into guest memory another guest
# thread changes meanwhile (tests/guest_memrace.c), natively and as a
# guest.  remap: a page the guest unmaps and maps a file at while a
# system call writes into it keeps the file's bytes (the host fault
# handler's scratch page went over the file: lost in one run of 100 to
# 10,000 on session 24's binary).  shared: the same with a shared
# mapping of a file open read-only, which no mprotect opens for the
# host's write: the handler's scratch page made it anonymous for good
# (zeros read; a few rounds in 10,000 on session 24's binary).  The native run makes fewer rounds
# (its mmaps cost more); the output does not count them.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_memrace.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_memrace
for m in remap shared; do
	(cd "$R" && GAPSTMP=$R/tmp refrun ./bin/guest_memrace $m 1000; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 60 $VX -N -r "$R" guest_memrace $m 10000 >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
	same "$m: the file's bytes stay" "$tmp/$m.native" "$tmp/$m.guest"
done
finish
