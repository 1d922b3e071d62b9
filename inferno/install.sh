#!/bin/sh
# install.sh ROOT — copy the vxinferno kit into the Inferno tree ROOT
# (infernode, 64-bit Linux) and wire it into that tree's build: the
# $Vxrun builtin module, the vxinferno command, its manual page, the
# file2chan example and the guest programs.  Idempotent: a second run
# changes nothing it already changed; it says what it does.  Then build
# the tree with its own build (e.g. ./build-linux-amd64.sh headless).
#
# The emulator supplies the kernel, so libkern is not linked into it: the
# library installed here is the personality (vxrun, without its libkern
# side kif_libkern.c and the host stdio of stdio.c) and the sandbox
# (libvx), as one object whose only global symbols are vxrun_* and vx_*
# (the emulator has its own newproc, procs, conf...).  The kernel
# interface over the emulator, kif_emu.c, is compiled by the tree.
#
# Copied: module/vxrun.m, libinterp/vxrun.c and vxrun.h, emu/port/kif_emu.c
# and kif.h, appl/cmd/vxinferno/ (vxinferno.b, vxchan.b, mkfile),
# man/1/vxinferno, Linux/amd64/lib/libvxrun.a, the guests in vx/bin.
# Wired: module/runt.m includes vxrun.m; libinterp/mkfile builds vxrun.$O
# and vxrunmod.h; emu/Linux/emu has `vxrun kif_emu` under mod and `vxrun`
# under lib; appl/cmd/mkfile has vxinferno first in DIRS.  After a new
# install into a built tree, rebuild it whole: emu's mkfile does not
# relink when a library changes.
set -eu

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

[ $# -eq 1 ] || die "usage: inferno/install.sh ROOT"
ROOT=$(cd "$1" 2>/dev/null && pwd) || die "$1: no such directory"
KIT=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$KIT")
for f in module/runt.m libinterp/mkfile emu/Linux/emu emu/port/portmkfile appl/cmd/mkfile mkfiles/mkdis; do
	[ -f "$ROOT/$f" ] || die "$ROOT is not an Inferno tree (no $f)"
done
case $(uname -m) in
x86_64)	OBJTYPE=amd64;;
*)	die "only amd64 hosts (infernode's 64-bit emu) are supported";;
esac
LIBDIR=$ROOT/Linux/$OBJTYPE/lib

# --- our libraries, built by our own Makefile -------------------------
say "building the personality, the sandbox and the guests (make -C $TOP)"
make -C "$TOP" -s > "${TMPDIR:-/tmp}/vxinferno-install.log" 2>&1 ||
	{ tail -20 "${TMPDIR:-/tmp}/vxinferno-install.log" >&2; die "make failed in $TOP"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/vxrun" "$tmp/libvx"
(cd "$tmp/vxrun" && ar x "$TOP/build/vxrun.a" && rm -f kif_libkern.o stdio.o)
(cd "$tmp/libvx" && ar x "$TOP/build/libvx.a")
ld -r -o "$tmp/vxrun-kit.o" "$tmp"/vxrun/*.o "$tmp"/libvx/*.o
objcopy -w --keep-global-symbol='vxrun_*' --keep-global-symbol='vx_*' "$tmp/vxrun-kit.o"
mkdir -p "$LIBDIR"
rm -f "$tmp/libvxrun.a"
ar rcs "$tmp/libvxrun.a" "$tmp/vxrun-kit.o"
if cmp -s "$tmp/libvxrun.a" "$LIBDIR/libvxrun.a"; then
	say "unchanged: $LIBDIR/libvxrun.a"
else
	cp "$tmp/libvxrun.a" "$LIBDIR/libvxrun.a"
	say "installed $LIBDIR/libvxrun.a"
fi

# --- files copied in ----------------------------------------------------
copy() {	# copy src dst [what src is]
	if cmp -s "$1" "$2"; then
		say "unchanged: $2"
	else
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
		say "copied ${3:-${1#$TOP/}} to $2"
	fi
}
copy "$KIT/vxrun.m" "$ROOT/module/vxrun.m"
copy "$KIT/vxrun.c" "$ROOT/libinterp/vxrun.c"
copy "$TOP/include/vxrun.h" "$ROOT/libinterp/vxrun.h"
copy "$KIT/kif_emu.c" "$ROOT/emu/port/kif_emu.c"
copy "$TOP/vxrun/kif.h" "$ROOT/emu/port/kif.h"
copy "$TOP/include/ptyctl.h" "$ROOT/emu/port/ptyctl.h"
copy "$KIT/vxinferno.b" "$ROOT/appl/cmd/vxinferno/vxinferno.b"
copy "$KIT/example/vxchan.b" "$ROOT/appl/cmd/vxinferno/vxchan.b"
copy "$KIT/mkfile" "$ROOT/appl/cmd/vxinferno/mkfile"
copy "$KIT/vxinferno.1" "$ROOT/man/1/vxinferno"

# guests: the project's root (our example guests, busybox and its
# applets, hard links kept) and the file2chan example's C guest
mkdir -p "$ROOT/vx/bin"
if [ -f "$ROOT/vx/bin/busybox" ] && cmp -s "$TOP/build/root/bin/busybox" "$ROOT/vx/bin/busybox"; then
	say "unchanged: $ROOT/vx/bin"
else
	cp -a "$TOP/build/root/bin/." "$ROOT/vx/bin/"
	say "copied the guests of build/root/bin to $ROOT/vx/bin"
fi
gcc -m32 -static -fno-pie -no-pie -O2 -Wall -I"$TOP/include" -o "$tmp/vxchan" "$KIT/example/vxchan.c" ||
	die "cannot build the example guest (gcc -m32 -static)"
copy "$tmp/vxchan" "$ROOT/vx/bin/vxchan" "inferno/example/vxchan.c, compiled,"

# --- wiring ---------------------------------------------------------------
# edit FILE DESCRIPTION AWK-PROGRAM: apply the program, report a change
edit() {
	awk "$3" "$1" > "$tmp/edit"
	if cmp -s "$tmp/edit" "$1"; then
		say "unchanged: $1 ($2)"
	else
		cat "$tmp/edit" > "$1"
		say "wired $1: $2"
	fi
}

edit "$ROOT/module/runt.m" 'include "vxrun.m"' '
	{ print }
	/^include "vxrun.m";/ { have = 1 }
	END { if(!have) print "include \"vxrun.m\";" }'

edit "$ROOT/libinterp/mkfile" 'vxrun.$O in OFILES, vxrun.m in MODULES, the vxrunmod.h rule' '
	/^OFILES=/ { inof = 1 }
	/^MODULES=/ { inmod = 1 }
	/vxrun\.\$O/ { haveo = 1 }
	/module\/vxrun\.m/ { havem = 1 }
	/^vxrunmod\.h:/ { haver = 1 }
	{ lines[++n] = $0 }
	END {
		for(i = 1; i <= n; i++){
			print lines[i]
			if(lines[i] ~ /^OFILES=/ && !haveo)
				print "\tvxrun.$O\\"
			if(lines[i] ~ /^MODULES=/ && !havem)
				print "\t$ROOT/module/vxrun.m\\"
		}
		if(!haver){
			print ""
			print "vxrunmod.h:D: $MODULES"
			print "\trm -f $target && limbo -t Vxrun -I$ROOT/module $ROOT/module/runt.m > $target"
			print ""
			print "vxrun.$O:\tvxrunmod.h vxrun.h"
		}
	}'

# emu config: `vxrun kif_emu` at the end of mod (the module, and the
# kernel interface object), `vxrun` under lib after interp and before 9 (the
# archives are searched in order)
for conf in "$ROOT"/emu/Linux/emu "$ROOT"/emu/Linux/emu-g; do
	[ -f "$conf" ] || continue
	edit "$conf" 'vxrun under mod and lib' '
		/^[a-z]/ { sect = $1 }
		sect == "mod" && $1 == "vxrun" { havemod = 1 }
		sect == "lib" && $1 == "vxrun" { havelib = 1 }
		{ lines[++n] = $0; sec[n] = sect }
		END {
			for(i = 1; i <= n; i++){
				if(sec[i] == "lib" && lines[i] ~ /^[ \t]+9[ \t]*$/ && !havelib){
					print "\tvxrun"
					havelib = 1
				}
				if(i > 1 && sec[i-1] == "lib" && sec[i] != "lib" && !havelib){
					print "\tvxrun"
					havelib = 1
				}
				if(i > 1 && sec[i-1] == "mod" && sec[i] != "mod" && !havemod){
					print "\tvxrun\tkif_emu"
					havemod = 1
				}
				print lines[i]
			}
		}'
done

# appl/cmd/vxinferno first in appl/cmd's DIRS: its install runs before
# a later directory's failure (infernode's git/push.b) stops the rest.
# (Earlier kits put the commands in appl/cmd's TARG: taken out.)
edit "$ROOT/appl/cmd/mkfile" 'vxinferno first in DIRS' '
	/^[ \t]+vxinferno\\?$/ { havedir = 1 }
	/^[ \t]+(vxinferno|vxchan)\.dis\\$/ { next }
	{ lines[++n] = $0 }
	END {
		for(i = 1; i <= n; i++){
			print lines[i]
			if(lines[i] ~ /^DIRS=/ && !havedir)
				print "\tvxinferno\\"
		}
	}'

say "done; now build $ROOT with its own build, e.g. (cd $ROOT && ./build-linux-amd64.sh headless)"
