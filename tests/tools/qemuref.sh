#!/bin/sh
# qemuref.sh PROG [ARGS]: run an i386 program under qemu-i386 so that the
# i386 programs it executes in turn (busybox re-executing itself through
# /proc/self/exe, sh running applets) run under qemu too.  Run it inside a
# new user and mount namespace (unshare -Urm): there it mounts that
# namespace's own binfmt_misc (Linux 6.7 and later) and registers
# qemu-i386 for i386 ELF executables, so nothing outside is changed.  The
# F flag opens qemu-i386 now, so the registration holds in any mount
# namespace the program moves to.  The magic and mask are those of an
# ELF header: class 32, little-endian, version 1, type EXEC or DYN,
# machine 3 (i386).  QEMUREF_QEMU names another qemu: a static one
# (qemu-i386-static) for a program that chroots into an i386 root, where
# the host's dynamic qemu-i386 finds no libraries.
q=${QEMUREF_QEMU:-$(command -v qemu-i386)} || { echo "qemuref: qemu-i386 is missing" >&2; exit 126; }
[ -x "$q" ] || { echo "qemuref: $q is missing" >&2; exit 126; }
b=/proc/sys/fs/binfmt_misc
mount -t binfmt_misc binfmt_misc $b 2>/dev/null || { echo "qemuref: cannot mount binfmt_misc in a user namespace" >&2; exit 126; }
printf ':vxref-i386:M::\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\002\000\003\000:\377\377\377\377\377\376\376\000\377\377\377\377\377\377\377\377\376\377\377\377:%s:FP' "$q" >$b/register ||
	{ echo "qemuref: cannot register qemu-i386 with binfmt_misc" >&2; exit 126; }
exec "$@"
