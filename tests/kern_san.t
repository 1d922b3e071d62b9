#!/bin/sh
# kern_san.t — build the libkern unit tests with AddressSanitizer and
# UndefinedBehaviorSanitizer into build/san/ and run them: each must pass
# with no sanitizer report (any report makes the program fail).
cd "$(dirname "$0")/.." || exit 1
out=build/san
CC=clang
command -v clang >/dev/null 2>&1 || CC=gcc
FLAGS="-std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Itests/lib -Ilibkern -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
tests=$(ls tests/unit/kern_*.c | sed 's|tests/unit/||; s|\.c$||')
n=$(echo $tests | wc -w)
echo "1..$((n * 2 + 1))"
mkdir -p $out/obj
fail=0
for f in libkern/*.c libstyx/*.c tests/lib/*.c; do	# libkern uses libstyx (devmnt, export)
	o=$out/obj/$(basename $f .c).o
	$CC $FLAGS -c -o $o $f 2>$out/obj/err.txt || { fail=1; cat $out/obj/err.txt | sed 's/^/# /'; }
done
if [ $fail = 0 ]; then echo "ok 1 - libkern builds with $CC -fsanitize=address,undefined"
else echo "not ok 1 - libkern builds with $CC -fsanitize=address,undefined"; fi
i=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $tests; do
	i=$((i + 1))
	if $CC $FLAGS -o $out/$t.t tests/unit/$t.c $out/obj/*.o -lpthread 2>$out/$t.err; then
		echo "ok $i - $t builds"
	else
		echo "not ok $i - $t builds"; sed 's/^/# /' $out/$t.err
	fi
	i=$((i + 1))
	if timeout 60 $out/$t.t >$out/$t.out 2>&1 && ! grep -q '^not ok' $out/$t.out && ! grep -q 'Sanitizer' $out/$t.out; then
		echo "ok $i - $t passes under the sanitizers"
	else
		echo "not ok $i - $t passes under the sanitizers"
		grep -E '^not ok|Sanitizer|runtime error|^    #' $out/$t.out | head -20 | sed 's/^/# /'
	fi
done
