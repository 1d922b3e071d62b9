#!/bin/sh
# styx_fuzz.t — build the libFuzzer targets (tests/fuzz_styx/build.sh:
# the 9P codec, the client's reply handling, the export's request
# handling, namespace files, the ELF loader, the translation cache's
# loader against crafted cache files, with ASan and UBSan) into
# build/fuzz_styx/, run each briefly, and replay the inputs that once
# found a bug (tests/data/fuzzcases/TARGET/*, each through TARGET).
# FUZZ_TIME=seconds runs each that long; tests/fuzz/campaign.sh and
# `make fuzz-campaign` run them for real (doc/styx.md, "Longer fuzzing").
cd "$(dirname "$0")/.." || exit 1
B=build/fuzz_styx
T=${FUZZ_TIME:-}
sh tests/fuzz_styx/build.sh 2>$B.err
rc=$?
if [ $rc = 2 ]; then
	echo "1..0 # SKIP ${FUZZ_CC:-clang} -fsanitize=fuzzer does not link (install clang and libclang-rt-14-dev)"
	exit 0
fi
echo 1..10
if [ $rc = 0 ]; then
	echo "ok 1 - fuzz targets build: fuzz_unpack, fuzz_mnt, fuzz_export, fuzz_ns, fuzz_elf$([ -x $B/fuzz_tcache ] && echo ', fuzz_tcache'); seeds: $(ls $B/seeds | wc -l) messages, $(ls $B/xseeds | wc -l) sessions"
else
	sed 's/^/# /' $B.err | tail -30; echo "not ok 1 - fuzz targets build"; exit 1
fi
mkdir -p $B/corpus $B/mntcorpus $B/xcorpus $B/nscorpus $B/elfcorpus $B/tccorpus

# fuzz NUM NAME SECS CORPUS SEEDS MAXLEN: the fuzzer must run the whole
# time without a finding
fuzz() {
	if ASAN_OPTIONS=detect_leaks=1 $B/$2 -max_total_time=$3 -max_len=$6 -timeout=30 -artifact_prefix=$B/$2- \
		$B/$4 $B/$5 </dev/null > $B/$2.log 2>&1; then
		echo "ok $1 - $2, ${3}s: $(grep -o 'Done [0-9]* runs' $B/$2.log | tail -1), $(ls $B/$4 | wc -l) in corpus"
	else
		tail -40 $B/$2.log | sed 's/^/# /'; echo "not ok $1 - $2, ${3}s: a finding (see $B/$2-*)"
	fi
}
fuzz 2 fuzz_unpack ${T:-10} corpus seeds 4096

# Single inputs (a crash artifact, or this 9P2000.L header) replay through the harness.
printf '\013\000\000\000\014\000\000\000\000\000\000' > $B/dotl.msg
if $B/fuzz_unpack -runs=0 $B/dotl.msg > $B/one.log 2>&1 && grep -q 'Executed' $B/one.log; then
	echo "ok 3 - harness runs single inputs (9P2000.L header refused cleanly)"
else
	tail -5 $B/one.log | sed 's/^/# /'; echo "not ok 3 - harness runs single inputs"
fi
fuzz 4 fuzz_mnt ${T:-15} mntcorpus mntseeds 2048
fuzz 5 fuzz_export ${T:-15} xcorpus xseeds 4096

# libFuzzer's SIGALRM (for -timeout, every timeout/2+1 s, to any thread)
# ends the harness's waits for replies early: that is no hang.  A session
# replayed 500 times under a storm of them runs to its end.
$B/fuzz_export -runs=500 $B/xseeds/seed001 > $B/alrm.log 2>&1 &
pid=$!
# its handler in place first (before it, SIGALRM would end it): by the
# time it names the input it runs
i=0
while [ $i -lt 300 ] && ! grep -q '^Running: ' $B/alrm.log; do sleep 0.1; i=$((i + 1)); done
# until its work is done: a SIGALRM in libFuzzer's exit (past
# "Executed", its handler gone) killed it with status 142 once
while ! grep -q '^Executed' $B/alrm.log && kill -ALRM $pid 2>/dev/null; do sleep 0.002; done
wait $pid
st=$?
if [ $st = 0 ] && grep -q 'Executed' $B/alrm.log; then
	echo "ok 6 - fuzz_export: a signal in its waits is no hang (500 replays under SIGALRM)"
else
	grep -m3 -E 'did not|ERROR' $B/alrm.log | sed 's/^/# /'; echo "not ok 6 - fuzz_export: a signal in its waits is no hang (status $st)"
fi
fuzz 7 fuzz_ns ${T:-5} nscorpus nsseeds 4096
fuzz 8 fuzz_elf ${T:-5} elfcorpus elfseeds 8192
if [ -x $B/fuzz_tcache ]; then
	fuzz 9 fuzz_tcache ${T:-10} tccorpus tcseeds 16384
else
	echo "ok 9 # SKIP fuzz_tcache not built: its guest needs gcc -m32 (gcc-multilib)"
fi

# Each input that once found a bug replays through its target cleanly.
bad= n=0
for d in tests/data/fuzzcases/*/; do
	t=$(basename $d)
	[ -x $B/$t ] || continue	# fuzz_tcache without gcc -m32
	for f in $d*; do
		n=$((n + 1))
		ASAN_OPTIONS=detect_leaks=1 $B/$t $f > $B/case.log 2>&1 || { bad="$bad $t/$(basename $f)"; tail -20 $B/case.log | sed 's/^/# /'; }
	done
done
if [ -z "$bad" ] && [ $n -gt 0 ]; then
	echo "ok 10 - $n inputs that once found a bug replay cleanly (tests/data/fuzzcases)"
else
	echo "not ok 10 - inputs that once found a bug replay cleanly:${bad:- none found}"
fi
