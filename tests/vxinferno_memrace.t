#!/bin/sh
# vxinferno_memrace.t — host writes into guest memory another guest
# thread changes meanwhile (tests/guest_memrace.c), natively and as a
# guest.  remap: a page the guest unmaps and maps a file at while a
# system call writes into it keeps the file's bytes (the host fault
# handler's scratch page went over the file).  shared: the same with a
# shared mapping of a file open read-only, which no mprotect opens for
# the host's write: the handler's scratch page made it anonymous for
# good (zeros read).  Both vary with the scheduling: session 24's binary
# lost the file in 0 to 532 rounds of 20,000, and failed remap or shared
# on one engine or both in each of 3 runs of this test.  pty: a
# terminal's read (slave, master) into a page unmapped while it waits
# takes the line and fails EFAULT, as Linux's (it wrote the line into a
# scratch page and returned its length), and a read into a bad buffer
# from the start takes the line too (it failed EFAULT leaving it).
# protect: an mprotect writable of such a shared page right after an
# eventfd read wrote into it fails EACCES, as Linux's (main 447b38d let
# 19 to 67 rounds of 2000 through on a loaded host, on the handler's
# private copy; a race: an idle host may see fewer).  The
# native run makes fewer rounds (its mmaps cost more); the output does
# not count them.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_memrace.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_memrace
# qemu dies on remap and shared (rcu_read_unlock's assertion, threads
# racing mmap) and checks a read's buffer before taking a terminal's
# line (pty): there Linux's output, recorded (tests/data/memrace/README)
mrref() { (cd "$R" && GAPSTMP=$R/tmp refrun ./bin/guest_memrace "$@"; echo "status $?"); }
for m in remap shared; do
	refout "$tmp/$m.native" tests/data/memrace/$m.out mrref $m 1000
	timeout 60 $VX -N -r "$R" guest_memrace $m 5000 >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
	same "$m: the file's bytes stay" "$tmp/$m.native" "$tmp/$m.guest"
done
(cd "$R" && GAPSTMP=$R/tmp refrun ./bin/guest_memrace protect 300; echo "status $?") >"$tmp/protect.native" 2>&1
timeout 60 $VX -N -r "$R" guest_memrace protect 500 >"$tmp/protect.guest" 2>&1
echo "status $?" >>"$tmp/protect.guest"
same "protect: a shared file page open read-only stays unwritable (EACCES)" "$tmp/protect.native" "$tmp/protect.guest"
refout "$tmp/pty.native" tests/data/memrace/pty.out mrref pty 20
timeout 60 $VX -N -r "$R" guest_memrace pty 20 >"$tmp/pty.guest" 2>&1
echo "status $?" >>"$tmp/pty.guest"
same "pty: a read whose buffer went takes the line, EFAULT" "$tmp/pty.native" "$tmp/pty.guest"
finish
