#!/bin/sh
# kern_san.t — build the libkern unit tests with AddressSanitizer and
# UndefinedBehaviorSanitizer into build/san/ and run them: each must pass
# with no sanitizer report (any report makes the program fail).
cd "$(dirname "$0")/.." || exit 1
out=build/san
. tests/lib/san.sh
tests=$(ls tests/unit/kern_*.c | sed 's|tests/unit/||; s|\.c$||')
n=$(echo $tests | wc -w)
echo "1..$((n * 2 + 1))"
mkdir -p $out
# libkern uses libstyx (devmnt, export)
if sanobjs $out/obj.err; then echo "ok 1 - libkern builds with $CC -fsanitize=address,undefined"
else echo "not ok 1 - libkern builds with $CC -fsanitize=address,undefined"; sed 's/^/# /' $out/obj.err; fi
i=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $tests; do
	i=$((i + 1))
	if $CC $FLAGS -Ilibkern -o $out/$t.t tests/unit/$t.c $SANOBJ -lpthread 2>$out/$t.err; then
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
