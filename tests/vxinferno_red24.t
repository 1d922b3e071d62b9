#!/bin/sh
# vxinferno_red24.t — execve of what is not a program (tests/guest_red24.c
# exec): a FIFO (the open waited for a writer, forever), a link to one, a
# socket node (ENXIO), a directory, a file without exec permission, an
# empty or junk file; each the same natively and as a guest (EACCES
# without opening, as Linux's execve).  getdents (dents) after its end,
# through a dup and a fork's copy, which share the listing's position
# with the descriptor they copy (the copy listed from the kernel's offset,
# past what the first had read ahead; a rewind through one did not
# start the other over).  An execve from a thread while the first sleeps
# in pause() (execthreads: it waited forever for that thread to end),
# and with two threads making threads as fast as they can (execspawn;
# races: exit_group and execve racing them and a blocked read).  Those
# two hung one run in six: the test's execer thread was made after the
# spawners, whose stacks filled a compat guest's 256 MiB first, so its
# pthread_create failed and the child paused for ever; it is made first
# now and says so if it cannot be.  races is compared with its one
# answer, not a native run (natively its spawners make thousands of
# threads: 0.7 CPU s).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_red24.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_red24
for m in exec dents execthreads execspawn; do
	(cd "$R" && GAPSTMP=$R/tmp refrun ./bin/guest_red24 $m; echo "status $?") 2>&1 | sed "s|$R/tmp|/tmp|g" >"$tmp/$m.native"
	timeout 60 $VX -N -r "$R" guest_red24 $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
	same "$m: as natively" "$tmp/$m.native" "$tmp/$m.guest"
done
printf 'races: 0 bad\nstatus 0\n' >"$tmp/races.want"
timeout 60 $VX -N -r "$R" guest_red24 races >"$tmp/races.guest" 2>&1
echo "status $?" >>"$tmp/races.guest"
same "races: each child's status once, none hangs" "$tmp/races.want" "$tmp/races.guest"
finish
