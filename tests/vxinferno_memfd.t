#!/bin/sh
# vxinferno_memfd.t — memfd_create (tests/guest_memfd.c): the anonymous
# file's read, write, lseek, ftruncate and fstat, its /proc/self/fd
# name, two MAP_SHARED mappings and a MAP_PRIVATE one, sharing across
# fork and over SCM_RIGHTS, MFD_CLOEXEC, the flags and names refused,
# and the seals (F_ADD_SEALS, F_GET_SEALS) with what each forbids; its
# pages bounded by the sandbox's -M.  The
# same output natively and under vxinferno, but for /proc/self/maps,
# where vxinferno names no file mapping (doc/guest-abi.md).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_memfd.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_memfd

(cd "$R" && refrun ./bin/guest_memfd; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -N -r "$R" guest_memfd >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
sed -i '/^maps: /d' "$tmp/native" "$tmp/guest"
same "memfd_create: read, write, lseek, ftruncate, fstat, /proc/self/fd name, shared and private mappings, fork, SCM_RIGHTS, MFD_CLOEXEC, bad flags and names, seals" "$tmp/native" "$tmp/guest"
grep -q '^readlink: /memfd:basic (deleted)$' "$tmp/guest" &&
	grep -q '^after fork: from the child, child$' "$tmp/guest" &&
	grep -q '^passed: child 0, sees sent back$' "$tmp/guest" &&
	grep -q '^get seals: 15 $' "$tmp/guest"
okrc $? "the guest's memfd is named, shared with its children and sealed"
# confinement: a memfd's pages are charged to the sandbox's memory
# bound (-M): writes stop there ENOSPC, and a closed memfd gives back;
# pages written through mappings count at the next mmap
timeout 60 $VX -N -M 32 -r "$R" guest_memfd fill >"$tmp/fill" 2>&1
[ "$(grep -c '^fill: 3[12] MiB, then No space left on device$' "$tmp/fill")" = 2 ]
okrc $? "a memfd grows to the sandbox's -M 32 and no further (ENOSPC), again once the first is closed"
grep -q '^windows: \(16\|32\|48\) MiB, then Cannot allocate memory$' "$tmp/fill"
okrc $? "a memfd filled through one mapped window after another stops near -M 32 (mmap ENOMEM)"
# many memfds kept open, each filled through a mapping then unmapped,
# or through a second open then closed: their pages stay charged (each
# memfd was charged apart, an open's charge given back at its close:
# 128 MiB held under -M 32)
grep -q '^mapped memfds: \([0-9]\|[12][0-9]\|3[0-2]\) MiB, then Cannot allocate memory$' "$tmp/fill"
okrc $? "memfds each filled through a mapping since unmapped stop near -M 32 (mmap ENOMEM)"
grep -q '^reopened memfds: \([0-9]\|[12][0-9]\|3[0-2]\) MiB, then No space left on device$' "$tmp/fill"
okrc $? "memfds each written through a second open since closed stop near -M 32 (ENOSPC)"
finish
