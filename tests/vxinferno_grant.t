#!/bin/sh
# vxinferno_grant.t — a guest whose namespace holds one directory below
# #U's top ('#U/d/a' at /n, bound by a namespace file, #U itself not at /)
# tries the Linux ways out of it (tests/guest_grant.c): links out relative,
# absolute and chained, openat from a directory fd, links it makes,
# rename, link, mkdir and unlink through a link to .., chdir and relative
# paths, /proc/self/fd/N of a file and of a directory, and a name another
# thread switches between a directory and a link to .. while it reads.
# Until session 29 a link there resolved from #U's top: on main 7c066a1
# this guest read OUT-SECRET and OUT-OTHER through each link, moved,
# linked and made files outside, and the race read outside.  Compared with
# the one right answer (no native run: the namespace is vxinferno's), and
# the host tree is checked unchanged.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_grant.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_grant
mkdir -p "$R/d/a/sub" "$R/d/a/swdir"
printf OUT-SECRET >"$R/secret"
printf OUT-OTHER >"$R/d/other"
printf OUT-RACE >"$R/d/raceout"
printf granted >"$R/d/a/f"
printf deep >"$R/d/a/sub/g"
printf INSIDE >"$R/d/a/swdir/raceout"
ln -s ../../secret "$R/d/a/rel2"
ln -s /secret "$R/d/a/abs"
ln -s c2 "$R/d/a/c1"
ln -s sub/../../../secret "$R/d/a/c2"
ln -s .. "$R/d/a/dirup"
ln -s sub/g "$R/d/a/good"
ln -s .. "$R/d/a/swlink"
cat >"$tmp/ns" <<'END'
unmount '#U' /
bind '#U/bin' /prog
bind -c '#U/d/a' /n
END
cat >"$tmp/want" <<'END'
f: granted
good (a link inside): deep
rel2 (../../secret): Permission denied
abs (/secret): Permission denied
c1 (a chain out): Permission denied
dirup/other (a link to ..): Permission denied
/secret: No such file or directory
/n/../secret: No such file or directory
openat rel2: Permission denied
openat ../secret: No such file or directory
openat sub/../good: deep
openat dirup/other: Permission denied
symlink ../../secret made: ok
made: Permission denied
readlink made: ../../secret
symlinkat /secret made2: ok
openat made2: Permission denied
rename dirup/other stolen: No such file or directory
renameat dirup/other stolen: No such file or directory
link rel2 hard: Permission denied
linkat rel2 hard (follow): Permission denied
mkdir dirup/new: Permission denied
unlink dirup/other: Permission denied
chdir /n/sub: ok
../f: granted
../rel2: Permission denied
getcwd: /n/sub
chdir /n/dirup: Permission denied
/proc/self/fd of f: granted
/proc/self/fd/dir/rel2: Permission denied
/proc/self/fd/dir/good: deep
/proc/self/fd/dir/../secret: No such file or directory
race: never out
status 0
END
timeout 120 $VX -r "$R" -n "$tmp/ns" /prog/guest_grant >"$tmp/got" 2>&1
echo "status $?" >>"$tmp/got"
same "a guest given #U/d/a alone reaches nothing outside it" "$tmp/want" "$tmp/got"
[ -f "$R/d/other" ] && [ ! -e "$R/d/new" ] && [ ! -e "$R/d/a/stolen" ] && [ ! -e "$R/d/a/hard" ]
okrc $? "the host tree outside is unchanged: d/other stays, nothing made, moved or linked"

# Started in the granted directory: the namespace file cds to '#U/d/a'
# (an attach's Chan, the embedder's dot), with nothing else of #U bound.
# Until red team 29 the guest's cwd was that ungranted Chan: ../other and
# ../../secret read outside by relative names, and rel2 read OUT-SECRET.
cat >"$tmp/ns2" <<'END'
unmount '#U' /
bind '#U/bin' /prog
cd '#U/d/a'
END
cat >"$tmp/want2" <<'END'
cwd f: granted
cwd good: deep
cwd rel2: Permission denied
cwd ../other: No such file or directory
cwd ../../secret: No such file or directory
cwd dirup/other: Permission denied
cwd mkdir ../new: ok
cwd rename ../other: No such file or directory
cwd getcwd: No such file or directory
status 0
END
timeout 120 $VX -r "$R" -n "$tmp/ns2" /prog/guest_grant cwd >"$tmp/got2" 2>&1
echo "status $?" >>"$tmp/got2"
same "a guest whose cwd is '#U/d/a' (a namespace file's cd) reaches nothing outside it" "$tmp/want2" "$tmp/got2"
[ -f "$R/d/other" ] && [ ! -e "$R/d/new" ] && [ ! -e "$R/d/a/stolen" ]
okrc $? "the host tree outside is unchanged after the cwd run"
finish
