#!/bin/sh
# asan.sh — build build/asan/vxinferno with AddressSanitizer and
# UndefinedBehaviorSanitizer for the fuzzer's long runs:
#	sh tests/sysfuzz/asan.sh && tests/sysfuzz/long.sh -v build/asan/vxinferno 500
# libkern, libstyx, vxrun and cmd are sanitized; libvx stays plain
# (build/libvx.a from make), as its signal handling runs on guest stacks
# and segment registers.  Objects are rebuilt when a source or a header
# is newer.
cd "$(dirname "$0")/../.." || exit 1
set -e
CC=clang
command -v clang >/dev/null 2>&1 || CC=gcc
out=build/asan
mkdir -p $out/obj
[ -f build/libvx.a ] || make build/libvx.a
FLAGS="-std=c11 -Wall -Wextra -D_GNU_SOURCE -Iinclude -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer"
for f in libkern/*.c libstyx/*.c vxrun/*.c cmd/*.c; do
	o=$out/obj/$(echo $f | tr / _ | sed 's/\.c$/.o/')
	if [ ! -f $o ] || [ $f -nt $o ] || [ -n "$(find include libkern libstyx vxrun cmd -name '*.h' -newer $o)" ]; then
		# -Werror but for cmd/: clang sees a maybe-uninitialized after fatal()
		$CC $FLAGS $(case $f in cmd/*) ;; *) echo -Werror;; esac) -c -o $o $f
	fi
done
$CC -fsanitize=address,undefined -o $out/vxinferno $out/obj/*.o build/libvx.a -lpthread
echo "built $out/vxinferno"
