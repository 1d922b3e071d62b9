#!/bin/sh
# styx_fuzz.t — build the 9P2000 codec fuzz target and the client's
# reply-handling target (tests/fuzz_styx/fuzz_mnt.c: libkern's mount
# driver and the libstyx client facing replies the fuzzer chooses)
# with libFuzzer, ASan and UBSan into build/fuzz_styx/ and run each
# briefly.  FUZZ_TIME=seconds runs longer (see doc/styx.md).
cd "$(dirname "$0")/.." || exit 1
B=build/fuzz_styx
T=${FUZZ_TIME:-20}
CC=${FUZZ_CC:-clang}
mkdir -p $B/corpus $B/seeds || exit 1

# Without libFuzzer there is nothing to run: skip, and say what is missing.
if ! printf 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;(void)n;return 0;}\n' > $B/probe.c ||
   ! $CC -fsanitize=fuzzer -o $B/probe $B/probe.c 2>/dev/null; then
	echo "1..0 # SKIP $CC -fsanitize=fuzzer does not link (install clang and libclang-rt-14-dev)"
	exit 0
fi
echo 1..6
SRC="libstyx/conv.c libstyx/dir.c libstyx/field.c libstyx/fmt.c libstyx/types.c"
FL="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Ilibstyx -g -O1"
if $CC $FL -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-o $B/fuzz_unpack tests/fuzz_styx/fuzz_unpack.c $SRC > $B/build.log 2>&1; then
	echo "ok 1 - fuzz target builds"
else
	sed 's/^/# /' $B/build.log; echo "not ok 1 - fuzz target builds"; exit 1
fi

if $CC $FL -o $B/mkseeds tests/fuzz_styx/mkseeds.c $SRC > $B/seeds.log 2>&1 &&
   $B/mkseeds $B/seeds >> $B/seeds.log 2>&1; then
	echo "ok 2 - seed corpus: $(ls $B/seeds | wc -l) messages"
else
	sed 's/^/# /' $B/seeds.log; echo "not ok 2 - seed corpus"
fi

# The fuzzer must run the whole time without a finding.
if $B/fuzz_unpack -max_total_time=$T -max_len=4096 -artifact_prefix=$B/ \
	$B/corpus $B/seeds > $B/fuzz.log 2>&1; then
	echo "ok 3 - ${T}s of fuzzing: $(grep -o 'Done [0-9]* runs' $B/fuzz.log | tail -1), $(ls $B/corpus | wc -l) in corpus"
else
	tail -30 $B/fuzz.log | sed 's/^/# /'; echo "not ok 3 - ${T}s of fuzzing found a crash (see $B/)"
fi

# Single inputs (a crash artifact, or this 9P2000.L header) replay through the harness.
printf '\013\000\000\000\014\000\000\000\000\000\000' > $B/dotl.msg
if $B/fuzz_unpack -runs=0 $B/dotl.msg > $B/one.log 2>&1 && grep -q 'Executed' $B/one.log; then
	echo "ok 4 - harness runs single inputs (9P2000.L header refused cleanly)"
else
	tail -5 $B/one.log | sed 's/^/# /'; echo "not ok 4 - harness runs single inputs"
fi

# The client's reply handling: libkern and libstyx instrumented, a fixed
# script of calls against a server whose chosen replies the fuzzer sets.
O=$B/mntobj
mkdir -p $O $B/mntcorpus $B/mntseeds
fail=0
for f in libkern/*.c libstyx/*.c; do
	$CC $FL -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
		-c -o $O/$(echo $f | tr / _ | sed 's/\.c$//').o $f >> $B/mntbuild.log 2>&1 || fail=1
done
if [ $fail = 0 ] && $CC $FL -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Itests/lib -o $B/fuzz_mnt tests/fuzz_styx/fuzz_mnt.c tests/lib/fake9p.c $O/*.o -lpthread >> $B/mntbuild.log 2>&1; then
	echo "ok 5 - client reply fuzz target builds"
	# seeds: a sane session (a record for a request never made), and
	# Rwalk, Rread and Rstat replies with their counts raised
	printf '\377\000\000\000' > $B/mntseeds/sane
	printf '\002\001\017\000\017\000\000\000\157\000\000\001\000\000\000\000\000\000\000' > $B/mntseeds/rwalk
	printf '\006\001\020\000\020\000\000\000\165\000\000\377\000\000\000hell' > $B/mntseeds/rread
	printf '\003\001\013\000\013\000\000\000\175\000\000\377\377\000\000' > $B/mntseeds/rstat
	if ASAN_OPTIONS=detect_leaks=1 $B/fuzz_mnt -max_total_time=$T -max_len=2048 -timeout=30 -artifact_prefix=$B/mnt- \
		$B/mntcorpus $B/mntseeds > $B/mntfuzz.log 2>&1; then
		echo "ok 6 - ${T}s of fuzzing the client's replies: $(grep -o 'Done [0-9]* runs' $B/mntfuzz.log | tail -1), $(ls $B/mntcorpus | wc -l) in corpus"
	else
		tail -40 $B/mntfuzz.log | sed 's/^/# /'; echo "not ok 6 - ${T}s of fuzzing the client's replies found a failure (see $B/mnt-*)"
	fi
else
	sed 's/^/# /' $B/mntbuild.log | tail -20; echo "not ok 5 - client reply fuzz target builds"
	echo "not ok 6 - fuzzing the client's replies # not built"
fi
