#!/bin/sh
# Fetch Debian's i386 packages the tests and benchmarks use, without
# installing them: busybox-static (a real third-party guest), and the static
# zlib and bzip2 libraries (benchmarks).  They are unpacked under $1/deb.
# Needs the i386 architecture in apt's lists; as root it is added.
out=${1:-build}/deb
[ -x "$out/bin/busybox" ] && [ -f "$out/usr/lib/i386-linux-gnu/libz.a" ] && [ -f "$out/usr/lib/i386-linux-gnu/libbz2.a" ] && exit 0
mkdir -p "$out/pkgs" || exit 1
pkgs="busybox-static:i386 zlib1g-dev:i386 libbz2-dev:i386"
if ! dpkg --print-foreign-architectures | grep -qx i386; then
	if [ "$(id -u)" = 0 ]; then
		dpkg --add-architecture i386 && apt-get update -qq >/dev/null 2>&1
	else
		echo "fetch: run as root once: dpkg --add-architecture i386 && apt-get update" >&2
		exit 1
	fi
fi
cd "$out/pkgs" || exit 1
if ! apt-get download $pkgs >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1
	apt-get download $pkgs >/dev/null 2>&1 || { echo "fetch: apt-get download $pkgs failed" >&2; exit 1; }
fi
for f in *.deb; do dpkg-deb -x "$f" .. || exit 1; done
rm -f *.deb
