#!/bin/sh
# vxinferno_mkrm.t — mkdir, rmdir, unlink and O_CREAT|O_EXCL on #U
# (tests/guest_mkrm.c) as natively: in a tree 40 deep (each made with
# one resolution of its directory, kept for the create or the remove),
# through a symlinked directory, at names that are there as a file, a
# symlink, a dangling one; rmdir of "d/." and "d/..".  Names with
# trailing slashes.  Then a name in another member of a union than the
# one that creates.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_mkrm.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_mkrm

(cd "$R" && refrun bin/guest_mkrm tmp/t) >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_mkrm tmp/t >"$tmp/guest" 2>&1
same "mkdir, rmdir, unlink, O_EXCL 40 names deep, through links, on links" "$tmp/native" "$tmp/guest"

# trailing slashes: rename moves a directory so named (it was EINVAL),
# ENOTDIR for a file or a link; mkdir, rmdir, unlink, open as Linux's
(cd "$R" && refrun bin/guest_mkrm -s tmp/s) >"$tmp/s.native" 2>&1
timeout 60 $VX -r "$R" guest_mkrm -s tmp/s >"$tmp/s.guest" 2>&1
same "trailing slashes: rename of a directory (d/ -> e/), ENOTDIR for a file or link; mkdir, rmdir, unlink, open, renameat" "$tmp/s.native" "$tmp/s.guest"

mkdir -p "$R/mnt" "$tmp/ua/aonly" "$tmp/ub" "$tmp/n/mnt/aonly"
(cd "$tmp/n" && refrun "$R/bin/guest_mkrm" -u mnt aonly) >"$tmp/u.native" 2>&1
timeout 60 $VX -r "$R" -b "$tmp/ua:/mnt:rw" -B "$tmp/ub:/mnt:rw" guest_mkrm -u mnt aonly >"$tmp/u.guest" 2>&1
same "a union: mkdir of a name another member has is EEXIST; a new one made in the creating member" "$tmp/u.native" "$tmp/u.guest"
[ -d "$tmp/ua/aonly" ] && [ ! -e "$tmp/ub/aonly" ] && [ ! -e "$tmp/ub/aonly-new" ] && [ ! -e "$tmp/ua/aonly-new" ]
okrc $? "the other member's directory kept, nothing left in either"
finish
