#!/bin/sh
# styx_san.t — the devmnt/export tests (tests/unit/mnt_*.c) and the
# client core's (styx_rpc.c) built with AddressSanitizer (leak checking
# on) and UndefinedBehaviorSanitizer into build/san-styx/ and run: every
# fid clunked, every Chan, Mnt, proc and reply freed, no report of any
# kind.
cd "$(dirname "$0")/.." || exit 1
out=build/san-styx
. tests/lib/san.sh
tests=$(ls tests/unit/mnt_*.c tests/unit/styx_rpc.c | sed 's|tests/unit/||; s|\.c$||')
n=$(echo $tests | wc -w)
echo "1..$((n * 2 + 1))"
mkdir -p $out
if sanobjs $out/obj.err; then echo "ok 1 - libkern and libstyx build with $CC -fsanitize=address,undefined"
else echo "not ok 1 - libkern and libstyx build with $CC -fsanitize=address,undefined"; sed 's/^/# /' $out/obj.err; fi
i=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $tests; do
	i=$((i + 1))
	if $CC $FLAGS -o $out/$t.t tests/unit/$t.c $SANOBJ -lpthread 2>$out/$t.err; then
		echo "ok $i - $t builds"
	else
		echo "not ok $i - $t builds"; sed 's/^/# /' $out/$t.err
	fi
	i=$((i + 1))
	if timeout 120 $out/$t.t >$out/$t.out 2>&1 && ! grep -q '^not ok' $out/$t.out && ! grep -q 'Sanitizer' $out/$t.out; then
		echo "ok $i - $t passes under the sanitizers"
	else
		echo "not ok $i - $t passes under the sanitizers"
		grep -E '^not ok|Sanitizer|runtime error|^    #' $out/$t.out | head -20 | sed 's/^/# /'
	fi
done
