#!/bin/sh
# kif_layer.t — the personality reaches the kernel through kif.h and
# through the calls both kernels have: the Inferno kit links vxrun
# without kif_libkern.o and stdio.o into an emulator with its own kernel
# (inferno/install.sh), which has Inferno's k* calls (emu/port/sysfile.c:
# kopen, kread, kbind ...) but none of libkern's own additions.  A vxrun
# object naming any other libkern symbol builds here and fails to link
# there (seen: knowait).  Checked with nm on the built objects.  A call
# not on the list goes through a kif_ function (kif_libkern.c, and
# inferno/kif_emu.c for emu), or onto the list once emu has it.
cd "$(dirname "$0")/.." || exit 1
if [ ! -f build/vxrun.a ] || [ ! -f build/libkern.a ] || ! command -v nm >/dev/null 2>&1; then
	echo "1..0 # SKIP build/vxrun.a, build/libkern.a or nm missing"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kif_layer.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
nm -g --defined-only build/libkern.a 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/kern"
mkdir "$tmp/o"
top=$(pwd)
(cd "$tmp/o" && ar x "$top/build/vxrun.a")
rm -f "$tmp/o/kif_libkern.o" "$tmp/o/stdio.o"
nm -u "$tmp"/o/*.o | awk 'NF == 2 { print $2 }' | sort -u >"$tmp/used"
tr ' ' '\n' <<'LIST' | sort >"$tmp/both"
kbind kchdir kclose kcreate kdial kdirfstat kdirfwstat kdirstat kdirwstat
kdup kfd2path kgerrstr kmount kopen kpipe kpread kpwrite kread kremove
kseek kunmount kwerrstr kwrite nulldir
LIST
comm -12 "$tmp/kern" "$tmp/used" | comm -23 - "$tmp/both" >"$tmp/bad"
echo "1..1"
if [ -s "$tmp/bad" ]; then
	echo "not ok 1 - vxrun names libkern only through kif_libkern.c and calls emu has too (also: $(tr '\n' ' ' <"$tmp/bad"))"
	exit 1
fi
echo "ok 1 - vxrun names libkern only through kif_libkern.c and calls emu has too ($(wc -l <"$tmp/used") undefined symbols checked)"
