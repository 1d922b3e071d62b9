#!/bin/sh
# userland_cc.t — Debian's i386 compiler in the namespace, against the
# same compiler on the reference CPU (doc/testing.md): gcc (the driver
# spawning cc1, as, collect2 and ld through vfork and pipes) compiles and
# links a program dynamically and statically and with -pipe; make -j2
# (jobserver pipes, posix_spawn) builds a program of four files and an
# archive; a configure-like shell loop forks and execs gcc -E, tr and
# test for each of its checks.  Every object, archive and executable is
# byte for byte the reference's, and the programs print the same.  The
# reference is the root run chrooted on the host CPU, or where the host
# does not execute i386 code, chrooted under qemu-i386-static registered
# with binfmt_misc in a user namespace of its own (tests/tools/qemuref.sh;
# qemu-i386 -L does not do: its statx ignores the root).  Skipped, with
# the reason, without the root's gcc or such a reference.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"
need_vx
. tests/lib/i386root.sh
if [ ! -x "$R/usr/bin/gcc" ] || [ ! -x "$R/usr/bin/make" ]; then
	echo "1..0 # SKIP no gcc and make in $R (make i386root)"
	exit 0
fi
GUESTENV="PATH=/usr/local/bin:/usr/bin:/bin HOME=/ TERM=dumb LANG=C"
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
case $REF in
native)
	if [ "$(id -u)" = 0 ] && $CHROOT "$R" /bin/true 2>/dev/null; then
		rootsh() { env --default-signal -i $GUESTENV $CHROOT "$R" /bin/sh "$@"; }
	elif unshare -r $CHROOT "$R" /bin/true 2>/dev/null; then
		rootsh() { env --default-signal -i $GUESTENV unshare -r $CHROOT "$R" /bin/sh "$@"; }
	else
		echo "1..0 # SKIP cannot chroot into $R natively (not root, no user namespaces)"
		exit 0
	fi ;;
qemu)
	QS=$(command -v qemu-i386-static)
	if [ -z "$QS" ]; then
		echo "1..0 # SKIP no qemu-i386-static for a chrooted reference (apt-get install qemu-user-static)"
		exit 0
	fi
	rootsh() { env --default-signal -i $GUESTENV QEMUREF_QEMU=$QS unshare -Urm tests/tools/qemuref.sh $CHROOT "$R" /bin/sh "$@"; }
	rootsh -c 'exit 42' 2>/dev/null
	if [ $? -ne 42 ]; then
		echo "1..0 # SKIP cannot run $R chrooted under qemu-i386-static (no binfmt_misc in a user namespace)"
		exit 0
	fi ;;
*)
	echo "1..0 # SKIP $REF_WHY"
	exit 0 ;;
esac
guestsh() { timeout 600 $VX -r "$R" /bin/sh "$@"; }

id=cc$$
W=$R/tmp/$id
tmp=$(mktemp -d "${TMPDIR:-/tmp}/userland_cc.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp" "$W"' EXIT INT TERM
mkdir -p "$W/src" || exit 1

cat >"$W/src/hello.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int
main(int argc, char **argv)
{
	long s = 0;
	int i;

	for(i = 0; i < 1000; i++)
		s += (long)i * i;
	printf("hello %ld %s %zu\n", s, argc > 1 ? argv[1] : "-", strlen(getenv("PATH")));
	return 3;
}
EOF
printf '%s\n' 'long sum(int n); long fact(int n); const char *shout(const char *s);' >"$W/src/lib.h"
cat >"$W/src/main.c" <<'EOF'
#include <stdio.h>
#include "lib.h"
int main(void) { printf("sum %ld fact %ld %s\n", sum(100), fact(12), shout("abc")); return 0; }
EOF
printf '%s\n' '#include "lib.h"' 'long sum(int n) { long s = 0; while(n > 0) s += n--; return s; }' >"$W/src/sum.c"
printf '%s\n' '#include "lib.h"' 'long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }' >"$W/src/fact.c"
cat >"$W/src/shout.c" <<'EOF'
#include <ctype.h>
#include "lib.h"
static char buf[64];
const char *shout(const char *s) { unsigned i; for(i = 0; s[i] && i < sizeof buf - 1; i++) buf[i] = toupper((unsigned char)s[i]); buf[i] = 0; return buf; }
EOF
printf '%s\n' 'CFLAGS = -O2 -Wall' 'prog: main.o libx.a' '	$(CC) -o $@ main.o libx.a' \
	'libx.a: sum.o fact.o shout.o' '	ar rcD $@ sum.o fact.o shout.o' \
	'%.o: %.c lib.h' '	$(CC) $(CFLAGS) -c $<' >"$W/src/Makefile"
# the script both runs, in its own copy of src
cat >"$W/src/cc.sh" <<'EOF'
set -u
cd "$1" || exit 1
gcc -O2 -c -o hello.o hello.c || echo "gcc -c: $?"
gcc -O2 -pipe -c -o pipe.o hello.c || echo "gcc -pipe -c: $?"
gcc -O2 -o hello hello.c || echo "gcc: $?"
gcc -O2 -static -o hellos hello.c || echo "gcc -static: $?"
make -s -j2 CC=gcc prog || echo "make: $?"
./hello dyn; echo "status $?"
./hellos static; echo "status $?"
./prog; echo "status $?"
# a configure script's way: a fork and an exec or two per check
for h in stdio.h stdint.h sys/epoll.h no/such.h; do
	if printf '#include <%s>\n' "$h" | gcc -E - >/dev/null 2>&1; then r=yes; else r=no; fi
	echo "checking for $h... $r" | tr a-z A-Z
done
n=0
for i in $(seq 1 40); do [ "$(expr $i % 3)" = 0 ] && n=$((n + 1)); done
echo "multiples of three: $n"
EOF

cp -r "$W/src" "$W/vx" && cp -r "$W/src" "$W/ref" || exit 1
guestsh "/tmp/$id/src/cc.sh" "/tmp/$id/vx" </dev/null >"$tmp/vx.out" 2>&1
echo "status $?" >>"$tmp/vx.out"
rootsh "/tmp/$id/src/cc.sh" "/tmp/$id/ref" </dev/null >"$tmp/ref.out" 2>&1
rst=$?
echo "status $rst" >>"$tmp/ref.out"
if ref_failed $rst || ! grep -q '^hello ' "$tmp/ref.out"; then
	echo "1..0 # SKIP the reference failed to run the compile ($REF_WHY): $(head -3 "$tmp/ref.out" | tr '\n' ' ')"
	exit 0
fi
sed 's/^/# /' "$tmp/vx.out" | head -20
same "gcc, gcc -static, gcc -pipe and make -j2 run and their programs print what the reference's print" "$tmp/ref.out" "$tmp/vx.out"

# sums FILE...: a line per file, its name and checksum ("missing" if none)
sums() {
	d=$1
	shift
	for f in "$@"; do
		if [ -f "$d/$f" ]; then echo "$f $(sha256sum <"$d/$f" | cut -c1-64)"; else echo "$f missing"; fi
	done
}
sums "$W/ref" hello.o pipe.o >"$tmp/ref.o"
sums "$W/vx" hello.o pipe.o >"$tmp/vx.o"
same "gcc -c and gcc -pipe -c make the reference's object bytes" "$tmp/ref.o" "$tmp/vx.o"
sums "$W/ref" hello hellos >"$tmp/ref.x"
sums "$W/vx" hello hellos >"$tmp/vx.x"
same "gcc links the reference's executable bytes, dynamic and static" "$tmp/ref.x" "$tmp/vx.x"
sums "$W/ref" main.o sum.o fact.o shout.o libx.a prog >"$tmp/ref.m"
sums "$W/vx" main.o sum.o fact.o shout.o libx.a prog >"$tmp/vx.m"
same "make -j2 builds the reference's objects, archive and program" "$tmp/ref.m" "$tmp/vx.m"
finish
