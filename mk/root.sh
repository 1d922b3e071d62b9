#!/bin/sh
# root.sh BUILD — make the embedded default root, BUILD/root: bin/ holds
# the example guests (guest/*.c, gcc -m32 -static) and, when fetched,
# Debian's busybox with a hard link per applet (links, not symlinks, so
# the host directory device never has to follow one).
set -e
B=${1:-build}
R=$B/root
mkdir -p "$R/bin" "$R/tmp" "$R/dev" "$R/env" "$R/prog" "$R/fd" "$R/srv" "$R/mnt" "$R/n"
for src in guest/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	out="$R/bin/$name"
	if [ ! -e "$out" ] || [ "$src" -nt "$out" ] || [ guest/vxinferno.h -nt "$out" ]; then
		echo "gcc -m32 -static -O2 -o $out $src"
		gcc -m32 -static -O2 -Iguest -o "$out" "$src"
	fi
done
# mount and unmount are bind under other names
for n in mount unmount; do
	if ! [ "$R/bin/$n" -ef "$R/bin/bind" ]; then
		ln -f "$R/bin/bind" "$R/bin/$n"
	fi
done
bb=$B/deb/bin/busybox
if [ -x "$bb" ]; then
	if [ ! -e "$R/bin/busybox" ] || [ "$bb" -nt "$R/bin/busybox" ]; then
		cp "$bb" "$R/bin/busybox"
	fi
	for a in $("$bb" --list); do
		# our own examples win over busybox applets of the same name
		[ -e "$R/bin/$a" ] && continue
		ln "$R/bin/busybox" "$R/bin/$a"
	done
else
	echo "root.sh: no $bb (mk/fetch.sh did not run): the root has no shell" >&2
fi
