#!/bin/sh
# Check the Debian prerequisites of the build; install the missing ones when
# running as root, otherwise name them in one line and fail.
missing=""
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

printf 'int main(void){return 0;}\n' > "$tmp/t.c"
gcc -m32 -static -o "$tmp/t" "$tmp/t.c" 2>/dev/null || missing="$missing gcc-multilib libc6-dev-i386"
command -v prove >/dev/null 2>&1 || missing="$missing perl"
command -v dpkg-deb >/dev/null 2>&1 || missing="$missing dpkg"
# The reference CPU of the differential tests (and of mk/root.sh) where the
# host cannot execute i386 programs, and a column of `make bench`.
command -v qemu-i386 >/dev/null 2>&1 || missing="$missing qemu-user"
# Under qemu-i386 a reference script's own execve runs the host's
# program of that name (qemu does not follow it): tests/userland.t's
# findutils check pipes through cpio, which a new Debian lacks.
command -v cpio >/dev/null 2>&1 || missing="$missing cpio"

# Optional: a real 9P2000.L server, so the Styx tests can check that
# mounting it is refused clearly (they skip without it).
if ! command -v diod >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq diod >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq diod >/dev/null 2>&1; } ||
		echo "prereq: diod not installed; its interop test will be skipped" >&2
fi

# Optional: makers of the sound and picture files tests/userland.t
# decodes with Debian's i386 flac, oggdec and djpeg (skipped without).
if ! command -v oggenc >/dev/null 2>&1 || ! command -v cjpeg >/dev/null 2>&1 || ! command -v sox >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sox flac vorbis-tools libjpeg-turbo-progs >/dev/null 2>&1 ||
		echo "prereq: sox, flac, vorbis-tools, libjpeg-turbo-progs not installed; userland media tests will be skipped" >&2
fi

# Optional: a static qemu-i386, the reference of tests/userland_cc.t
# (gcc chrooted into the i386 root, where the dynamic qemu-i386 finds no
# libraries); skipped without it.
if ! command -v qemu-i386-static >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >/dev/null 2>&1 ||
		echo "prereq: qemu-user-static not installed; tests/userland_cc.t will be skipped where i386 code cannot run" >&2
fi

[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "prereq: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq $missing; } >/dev/null 2>&1 || {
		echo "prereq: apt-get install$missing failed" >&2; exit 1; }
	exit 0
fi
echo "prereq: missing Debian packages, install them as root: apt-get install$missing" >&2
exit 1
