#!/bin/sh
# vxinferno_getdents.t — getdents64 on #U (tests/guest_getdents.c), the
# same as natively: names with odd bytes, types, inode numbers that are
# what stat says, a directory read in small pieces, one changing while
# it is read, an empty one read to its end, a union of two host
# directories; symlinks inside shown as
# what they lead to, the ways out not at all; a buffer that runs into an
# unwritable page.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_getdents.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_getdents

mkdir -p "$R/d/sub" "$R/u" "$R/many" "$R/c1" "$R/c2" "$R/s/sub" "$tmp/ua/adir" "$tmp/ub/bdir"
for f in plain 'with space' "$(printf 'nl\nname')" "$(printf '\303\251t\303\251')" "$(printf 'hi\377\376')" 'back\slash'; do
	echo x >"$R/d/$f"
done
i=0
while [ $i -lt 400 ]; do
	: >"$R/many/an-entry-with-a-long-name-$i"
	i=$((i + 1))
done
# edge: names of one length, so that what fits before a page does not
# depend on the order a file system lists them in (tmpfs: newest first
# in Linux 6.1, in the order of creation in later ones; ext4: by hash;
# #U: sorted)
mkdir -p "$R/edge"
i=0
while [ $i -lt 400 ]; do
	: >"$R/edge/$(printf 'an-entry-with-a-long-name-%03d' $i)"
	i=$((i + 1))
done
i=0
while [ $i -lt 200 ]; do
	nm=$(printf 'old-%03d' $i)
	: >"$R/c1/$nm"
	: >"$R/c2/$nm"
	i=$((i + 1))
done
echo a >"$tmp/ua/a1"
echo a >"$tmp/ua/both"
echo b >"$tmp/ub/b1"
echo b >"$tmp/ub/both"
mkdir -p "$R/mixed"
for p in a ab abcdefgh abcdefghi abcdefgh-z "$(printf '\351t\351')" "$(printf '\377')" Z 0 _; do
	for q in '' 1 2 10 x "$(printf '\200')" y-long-tail; do
		for r in '' a b "$(printf '\376')"; do
			[ -n "$p$q$r" ] && : >"$R/mixed/$p$q$r"
		done
	done
done
echo f >"$R/s/f"
ln -s f "$R/s/tofile"
ln -s sub "$R/s/todir"
ln -s /etc "$R/s/abs"		# /etc below the root: none there
ln -s ../.. "$R/s/up"		# past the root: the root, as in a chroot
ln -s nonesuch "$R/s/dangling"

native() {	# native DIR [ARGS]: the listing from the reference CPU, sorted
	(cd "$1" && refrun "$R/bin/guest_getdents" "$2" $3) | LC_ALL=C sort
}
guest() {	# guest [VXARGS] -- DIR [ARGS]
	a=
	while [ "$1" != -- ]; do a="$a $1"; shift; done
	shift
	timeout 60 $VX $a -r "$R" guest_getdents "$@" | LC_ALL=C sort
}

native "$R" d >"$tmp/d.native"
guest -- d >"$tmp/d.guest"
cut -d' ' -f1,2 "$tmp/d.native" >"$tmp/d.native.names"
cut -d' ' -f1,2 "$tmp/d.guest" >"$tmp/d.guest.names"
same "names with odd bytes (a newline too) and their types" "$tmp/d.native.names" "$tmp/d.guest.names"
# a name with a control character cannot be walked (Inferno's rule for
# names, namec.c's validname), so it has no stat to compare with
grep -v '^nl' "$tmp/d.native" >"$tmp/d.native.stat"
grep -v '^nl' "$tmp/d.guest" >"$tmp/d.guest.stat"
same "each d_ino is the st_ino stat gives" "$tmp/d.native.stat" "$tmp/d.guest.stat"
[ "$(grep -c ino-same "$tmp/d.guest")" -eq 6 ]
okrc $? "the six that can be walked: d_ino and st_ino alike"

native "$R" many 300 >"$tmp/many.native"
guest -- many 300 >"$tmp/many.guest"
same "400 entries read 300 bytes at a time" "$tmp/many.native" "$tmp/many.guest"
# i386's getdents (its linux_dirent: 32-bit inode and offset, the type
# in the last byte), which old static programs call; until session 21
# it was ENOSYS and such a program listed nothing
native "$R" -g "d 100" >"$tmp/g.native"
guest -- -g d 100 >"$tmp/g.guest"
grep -v '^nl' "$tmp/g.native" >"$tmp/g.native.stat"
grep -v '^nl' "$tmp/g.guest" >"$tmp/g.guest.stat"
same "getdents: the names, types and inode numbers as natively, 100 bytes at a time" "$tmp/g.native.stat" "$tmp/g.guest.stat"

# a buffer that runs into a page the call cannot write (PROT_NONE,
# read-only, unmapped): the entries that fit before it, the rest in the
# next read, EFAULT only when not even the first fits, 0 at the end;
# until session 22 any such buffer was EFAULT.  A getdents64 entry fits
# when its name's NUL does: Linux writes no padding, but counts it (until
# session 27 the whole entry had to fit)
# (qemu's getdents differ here and below: there Linux's output, recorded,
# tests/data/getdents/README)
gdref() { (cd "$R" && refrun bin/guest_getdents "$1" "$2"); }
refout "$tmp/e.native" tests/data/getdents/e.out gdref -e edge
timeout 60 $VX -r "$R" guest_getdents -e edge >"$tmp/e.guest" 2>&1
same "getdents64, getdents: a buffer running into an unwritable page takes the entries that fit before it (getdents64's padding may not)" "$tmp/e.native" "$tmp/e.guest"

# counts past INT_MAX are EINVAL (Linux's filldir holds the count in an
# int), and INT_MAX from a buffer on the stack takes entries: natively
# and in a 3 GiB sandbox the stack lies high, so the count runs past
# 4 GiB, which Linux's access_ok (the 64-bit one) allows; until session
# 22's red team the first were entries and the last EFAULT
refout "$tmp/h.native" tests/data/getdents/h.out gdref -h many
timeout 60 $VX -m 3072 -r "$R" guest_getdents -h many >"$tmp/h.guest" 2>&1
same "getdents64, getdents: a count past INT_MAX is EINVAL, one past 4 GiB from the stack takes entries" "$tmp/h.native" "$tmp/h.guest"

# telldir and seekdir (glibc's seekdir is lseek to an entry's d_off):
# every third position read again gives its entry; until session 26 an
# lseek of a directory anywhere but 0 was EINVAL, and readdir after a
# seekdir went on from wherever the listing was
refout "$tmp/s.native" tests/data/getdents/s.out gdref -s many
timeout 60 $VX -r "$R" guest_getdents -s many >"$tmp/s.guest" 2>&1
same "seekdir back to positions telldir gave: readdir gives those entries again" "$tmp/s.native" "$tmp/s.guest"

# the same while another thread flips the buffer's last page between
# read-only and writable: every read gets its entries; until session 22's
# red team the host crashed (it wrote through NULL when the page turned
# read-only between its two looks at the buffer)
refout "$tmp/r.native" tests/data/getdents/r.out gdref -r many
timeout 60 $VX -r "$R" guest_getdents -r many >"$tmp/r.guest" 2>&1
same "getdents64 into a buffer whose last page another thread keeps protecting: the entries, no host crash" "$tmp/r.native" "$tmp/r.guest"

# #U sorts a listing by name, bytes unsigned (strcmp's order): a radix
# sort of each name's first 8 bytes, then strcmp where those are alike
# (many: all of them); mixed has bytes past 0x7f, names that are a
# prefix of others and names that differ only past their 8th byte
timeout 60 $VX -r "$R" guest_getdents -o many >"$tmp/order.many"
timeout 60 $VX -r "$R" guest_getdents -o mixed >"$tmp/order.mixed"
printf '400 names, in order\n%d names, in order\n' "$(ls -A "$R/mixed" | wc -l)" >"$tmp/order.want"
cat "$tmp/order.many" "$tmp/order.mixed" >"$tmp/order.got"
same "a listing comes sorted by name, bytes unsigned, past the first 8 too" "$tmp/order.want" "$tmp/order.got"

# an empty directory read to its end stays ended until a rewind, as
# Linux's ext4 (the kernel's offset, which counts entries, never left 0
# there, so each read at the end listed it again, from the host)
mkdir -p "$R/empty"
timeout 60 $VX -r "$R" guest_getdents -z empty >"$tmp/z.guest" 2>&1
printf '%s\n' 'first: end' 'after a create: end' 'after a rewind: made end' >"$tmp/z.want"
same "an empty directory at its end: no names until a rewind" "$tmp/z.want" "$tmp/z.guest"

(cd "$R" && refrun bin/guest_getdents -c c1) >"$tmp/c.native"
timeout 60 $VX -r "$R" guest_getdents -c c2 >"$tmp/c.guest"
grep -q ' 0 wrong$' "$tmp/c.native" && grep -q ' 0 wrong$' "$tmp/c.guest"
okrc $? "a directory changing while it is read: each name there all along listed once ($(cat "$tmp/c.guest"))"

{ native "$tmp" ua; native "$tmp" ub; } | LC_ALL=C sort -u >"$tmp/u.native"
guest -b "$tmp/ua:/u:ro" -B "$tmp/ub:/u:ro" -- u >"$tmp/u.guest"
same "a union of two host directories: each name once" "$tmp/u.native" "$tmp/u.guest"

guest -- s >"$tmp/s.guest"
printf '%s\n' 'abs 10 nostat' 'dangling 10 nostat' 'f 8 file ino-same' 'sub 4 dir ino-same' \
	'todir 10 dir ino-differs' 'tofile 10 file ino-differs' 'up 10 dir ino-differs' >"$tmp/s.want"
same "symlinks are listed as themselves (DT_LNK, their own inode), as in a chroot: stat follows one past the root to the root" "$tmp/s.want" "$tmp/s.guest"
finish
