#!/bin/sh
# root.sh BUILD — make the embedded default root, BUILD/root: bin/ holds
# the example guests (guest/*.c, gcc -m32 -static) and, when fetched,
# Debian's busybox with a hard link per applet (links, not symlinks, so
# the host directory device never has to follow one).
# The build never executes an i386 program on the host (many hosts cannot):
# busybox lists its applets inside our own sandbox, else under qemu-i386.
set -e
B=${1:-build}
R=$B/root
mkdir -p "$R/bin" "$R/tmp" "$R/dev" "$R/env" "$R/prog" "$R/fd" "$R/srv" "$R/mnt" "$R/n"
# guests resolve names with their own libc: "localhost" from /etc/hosts
# (the rest by DNS over the guest's /net; see doc/net.md)
mkdir -p "$R/etc"
[ -e "$R/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n' >"$R/etc/hosts"
for src in guest/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	out="$R/bin/$name"
	if [ ! -e "$out" ] || [ "$src" -nt "$out" ] || [ include/vxguest.h -nt "$out" ]; then
		echo "gcc -m32 -static -O2 -o $out $src"
		gcc -m32 -static -O2 -Iinclude -o "$out" "$src"
	fi
done
# mount and unmount are bind under other names
for n in mount unmount; do
	if ! [ "$R/bin/$n" -ef "$R/bin/bind" ]; then
		ln -f "$R/bin/bind" "$R/bin/$n"
	fi
done

# applets BUSYBOX: its applet list, one per line, from the first runner
# that works: the test host, the command, qemu-i386.  A list without "sh"
# is a failed run.  (VXCACHE=off: a build writes nothing in HOME.)
applets() {
	tmp=$B/applets.tmp
	if [ -x "$B/vxhost" ] && "$B/vxhost" "$1" --list >"$tmp" 2>/dev/null && grep -qx sh "$tmp"; then
		cat "$tmp"
	elif [ -x bin/vxinferno ] && VXCACHE=off bin/vxinferno -r "$R" busybox --list >"$tmp" 2>/dev/null && grep -qx sh "$tmp"; then
		cat "$tmp"
	elif command -v qemu-i386 >/dev/null 2>&1 && qemu-i386 "$1" --list >"$tmp" 2>/dev/null && grep -qx sh "$tmp"; then
		cat "$tmp"
	else
		rm -f "$tmp"
		why=$("$B/vxengines" 2>/dev/null | tr '\n' ';' | sed 's/;$//')
		echo "root.sh: cannot list busybox's applets: no sandbox engine runs here (${why:-build/vxengines not built}) and qemu-i386 is missing (apt-get install qemu-user)" >&2
		return 1
	fi
	rm -f "$tmp"
}

bb=$B/deb/bin/busybox
if [ -x "$bb" ]; then
	if [ ! -e "$R/bin/busybox" ] || [ "$bb" -nt "$R/bin/busybox" ]; then
		cp "$bb" "$R/bin/busybox"
	fi
	list=$(applets "$R/bin/busybox")
	# our own examples win over busybox applets of the same name; one
	# process makes the 270 links (an ln each took 1.7 s of CPU here)
	printf '%s\n' $list | R=$R perl -ne 'chomp; -e "$ENV{R}/bin/$_" or link("$ENV{R}/bin/busybox", "$ENV{R}/bin/$_") or die "root.sh: ln busybox $_: $!\n"'
else
	echo "root.sh: no $bb (mk/fetch.sh did not run): the root has no shell" >&2
fi
