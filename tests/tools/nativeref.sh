#!/bin/sh
# nativeref.sh CHROOT ROOT PROG [ARGS]: run PROG chrooted in ROOT on the
# host CPU, as the reference of a differential test, with the host's /dev
# and /proc bound over ROOT's: a program that reads /dev/fd/N (bash's
# process substitution), /dev/urandom, /proc/self or opens /dev/ptmx
# finds them, as it does under qemu-i386 -L ROOT and as a guest finds the
# sandbox's own.  Run it in a mount namespace of its own (unshare -m, or
# -rm when not root; unshare(1) makes it private), so the binds vanish
# with it and nothing outside changes.  CHROOT names chroot(8), which the
# guest's PATH does not reach.
c=$1 r=$2
shift 2
mount --rbind /dev "$r/dev" && mount --rbind /proc "$r/proc" ||
	{ echo "nativeref: cannot bind /dev and /proc into $r" >&2; exit 126; }
exec "$c" "$r" "$@"
