# san.sh — sourced by tests/kern_san.t, styx_san.t and styx_attack.t from
# the repository root: CC (clang, else gcc) and FLAGS (AddressSanitizer
# and UndefinedBehaviorSanitizer), and sanobjs, which builds libkern,
# libstyx and tests/lib with them once for all three (they compiled the
# same 43 files each).  A lock: under prove -j2 two of them may start
# at once.
CC=clang
command -v clang >/dev/null 2>&1 || CC=gcc
FLAGS="-std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Itests/lib -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

# sanobjs ERRFILE: build them (the compilers' messages into ERRFILE);
# SANOBJ is then the objects, one per source
sanobjs() {
	mkdir -p build/sanobj
	if command -v flock >/dev/null 2>&1; then
		flock build/sanobj/lock make -s --no-print-directory -f tests/lib/san.mk CC="$CC" FLAGS="$FLAGS" >"$1" 2>&1
	else
		make -s --no-print-directory -f tests/lib/san.mk CC="$CC" FLAGS="$FLAGS" >"$1" 2>&1
	fi
	san_rc=$?
	SANOBJ=$(ls libkern/*.c libstyx/*.c tests/lib/*.c | sed 's|^|build/sanobj/|; s|\.c$|.o|')
	return $san_rc
}
