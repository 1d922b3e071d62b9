#!/bin/sh
# styx_attack.t — the export under attack, built with AddressSanitizer
# and UndefinedBehaviorSanitizer into build/san-attack/:
#   - tests/unit/export_attack.c, the issue 11 attacks as regression tests;
#   - tests/styxfuzz/styxfuzz.c, the stateful 9P fuzzer, for FUZZ_SECS
#     seconds (default 20) with seed STYXFUZZ_SEED (default: random; the
#     seed is printed, and on a failure with how to reproduce it).
# `make fuzz-styx SECS=600` runs the fuzzer longer.
cd "$(dirname "$0")/.." || exit 1
out=build/san-attack
. tests/lib/san.sh
secs=${FUZZ_SECS:-20}
echo "1..5"
mkdir -p $out
if sanobjs $out/obj.err; then echo "ok 1 - libkern and libstyx build with $CC -fsanitize=address,undefined"
else echo "not ok 1 - libkern and libstyx build with $CC -fsanitize=address,undefined"; sed 's/^/# /' $out/obj.err; fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if $CC $FLAGS -o $out/export_attack.t tests/unit/export_attack.c $SANOBJ -lpthread 2>$out/export_attack.err &&
   $CC $FLAGS -o $out/styxfuzz tests/styxfuzz/styxfuzz.c $(echo $SANOBJ | tr ' ' '\n' | grep -v tests/lib/tap.o) -lpthread 2>$out/styxfuzz.err; then
	echo "ok 2 - export_attack and styxfuzz build"
else
	echo "not ok 2 - export_attack and styxfuzz build"; cat $out/*.err | sed 's/^/# /'
fi
if timeout 300 $out/export_attack.t >$out/export_attack.out 2>&1 && ! grep -q '^not ok' $out/export_attack.out && ! grep -q 'Sanitizer' $out/export_attack.out; then
	echo "ok 3 - export_attack passes under the sanitizers ($(grep -c '^ok' $out/export_attack.out) checks)"
else
	echo "not ok 3 - export_attack passes under the sanitizers"
	grep -E '^not ok|Sanitizer|runtime error|^    #|^#' $out/export_attack.out | head -30 | sed 's/^/# /'
fi
# The fuzzer's server is a forked child: leaks at its SIGKILL are not
# reports.  ASan's allocator grows with the pool's threads, so the ASan
# run checks life, answers and fds, with a loose memory bound (1 GiB),
# and a plain build of the same fuzzer checks memory (64 MiB).
seedarg=
[ -n "$STYXFUZZ_SEED" ] && seedarg="-s $STYXFUZZ_SEED"
ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=16:abort_on_error=0 \
	timeout $((secs + 120)) $out/styxfuzz -t "$secs" -m 1048576 $seedarg >$out/styxfuzz.out 2>&1
rc=$?
sed 's/^/# /' $out/styxfuzz.out | grep -E 'seed|batches|FAILED|reproduce' | head -5
if [ $rc = 0 ] && ! grep -q 'Sanitizer\|runtime error' $out/styxfuzz.out; then
	echo "ok 4 - styxfuzz under ASan for $secs s: the server lives, answers, keeps its fds"
else
	echo "not ok 4 - styxfuzz under ASan for $secs s (exit $rc)"
	grep -E 'FAILED|reproduce|Sanitizer|runtime error|^    #[0-9]' $out/styxfuzz.out | head -30 | sed 's/^/# /'
fi
psecs=$(( secs / 2 ))
[ $psecs -lt 8 ] && psecs=8
if [ -f build/libkern.a ] && [ -f build/libstyx.a ] &&
   cc -O2 -g -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Itests/lib -o $out/styxfuzz.plain \
	tests/styxfuzz/styxfuzz.c build/libkern.a build/libstyx.a -lpthread 2>$out/plain.err; then
	timeout $((psecs + 120)) $out/styxfuzz.plain -t "$psecs" $seedarg >$out/plain.out 2>&1
	rc=$?
	sed 's/^/# /' $out/plain.out | grep -E 'seed|batches|FAILED|reproduce' | head -5
	if [ $rc = 0 ]; then
		echo "ok 5 - styxfuzz, plain build, $psecs s: resident memory grows less than 64 MiB"
	else
		echo "not ok 5 - styxfuzz, plain build, $psecs s (exit $rc)"
	fi
else
	echo "not ok 5 - styxfuzz, plain build: build/libkern.a and build/libstyx.a (make) needed"
	sed 's/^/# /' $out/plain.err 2>/dev/null | head
fi
