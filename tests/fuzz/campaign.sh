#!/bin/sh
# campaign.sh — long fuzzing of what a hostile peer or guest reaches, one
# target after another (never two fuzzers at once), each for SECS seconds
# (default 1200), under ASan and UBSan where the code allows:
#
#	tests/fuzz/campaign.sh [-t SECS] [target ...]	(make fuzz-campaign FUZZTIME=SECS)
#
# targets (default: all, in this order):
#	export	 libFuzzer: kexport and the libstyx server against T-messages
#	mnt	 libFuzzer: devmnt and the libstyx client against R-messages
#	unpack	 libFuzzer: the 9P codec
#	ns	 libFuzzer: namespace files (nsfile.c)
#	elf	 libFuzzer: the ELF loader (libvx/elf.c)
#	tcache	 libFuzzer: the translation cache's loader (libvx/tcache.c)
#		 against crafted cache files, the guest run (fuzz_tcache.c)
#	styx	 tests/styxfuzz: stateful random 9P sessions against kexport
#	sys	 tests/sysfuzz: random system calls from a guest, build/asan/vxinferno
#	code	 tests/tools/codefuzz.c: random code bytes, translator and validator
#		 (libvx plain: its signal handling runs on guest stacks)
# libFuzzer corpora grow in build/fuzz_styx/{xcorpus,mntcorpus,corpus,nscorpus,elfcorpus,tccorpus}
# from run to run.  Logs and findings go to build/campaign/; a summary
# line per target is printed, and the exit status is 1 if any target
# found something.  Runs under nice -n 19.
cd "$(dirname "$0")/../.." || exit 1
SECS=1200
while getopts t: o; do
	case $o in
	t) SECS=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
TARGETS=${*:-export mnt unpack ns elf tcache styx sys code}
W=build/campaign
DICT=tests/fuzz_styx/9p.dict	# 9P message types, fids, tags, names
F=build/fuzz_styx
mkdir -p $W
# leaks are findings too, also in the system-call fuzzer (whose long.sh
# alone leaves them off)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
found=0
say() { echo "$(date -u +%H:%M:%S) $*"; }

# libf NAME CORPUS SEEDS MAXLEN [DICT]: one libFuzzer target
libf() {
	[ -x $F/$1 ] || { say "$1: not built (clang and libFuzzer needed)"; found=1; return; }
	mkdir -p $F/$2
	nice -n 19 $F/$1 -max_total_time=$SECS -max_len=$4 -timeout=120 -print_final_stats=1 ${5:+-dict=$5} \
		-artifact_prefix=$W/$1- $F/$2 $F/$3 </dev/null >$W/$1.log 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' $W/$1.log)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' $W/$1.log | tail -1)
	if [ $rc = 0 ]; then
		say "$1: ${SECS}s, $execs runs, $cov, $(ls $F/$2 | wc -l) in corpus: no finding"
	else
		found=1
		say "$1: FINDING after $execs runs (exit $rc): $(ls -t $W/$1-* 2>/dev/null | head -1)"
		grep -m3 -E 'ERROR|SUMMARY|did not' $W/$1.log | sed 's/^/	/'
	fi
}

need_fuzzers() {
	[ -n "$built" ] && return
	built=1
	sh tests/fuzz_styx/build.sh || say "tests/fuzz_styx/build.sh failed (exit $?)"
}

for t in $TARGETS; do
	case $t in
	export) need_fuzzers; libf fuzz_export xcorpus xseeds 4096 $DICT ;;
	mnt) need_fuzzers; libf fuzz_mnt mntcorpus mntseeds 2048 $DICT ;;
	unpack) need_fuzzers; libf fuzz_unpack corpus seeds 4096 $DICT ;;
	ns) need_fuzzers; libf fuzz_ns nscorpus nsseeds 4096 ;;
	elf) need_fuzzers; libf fuzz_elf elfcorpus elfseeds 8192 ;;
	tcache) need_fuzzers; libf fuzz_tcache tccorpus tcseeds 16384 ;;
	styx)
		# styx_attack.t builds it under ASan (and runs export_attack)
		FUZZ_SECS=$SECS nice -n 19 sh tests/styx_attack.t >$W/styx.log 2>&1
		if grep -q '^not ok' $W/styx.log; then
			found=1; say "styx: FINDING (see $W/styx.log)"; grep -E '^not ok|^# .*(seed|reproduce)' $W/styx.log | sed 's/^/	/'
		else
			say "styx: ${SECS}s: $(grep -m1 -o '[0-9]* batches[^,]*' build/san-attack/styxfuzz.out 2>/dev/null) no finding"
		fi ;;
	sys)
		sh tests/sysfuzz/asan.sh >$W/sys-build.log 2>&1 || { say "sys: ASan build failed ($W/sys-build.log)"; found=1; continue; }
		end=$(( $(date +%s) + SECS ))
		first=$(( $(date +%s) % 1000000 * 1000 ))
		n=0 bad=0
		: >$W/sys.log
		while [ $(date +%s) -lt $end ]; do
			# in turn plain calls, -m (memory calls that make sense),
			# -l (file-lock calls), -t (timer calls) and -i (System V
			# IPC, terminals, pidfds), each with -j 4 now and then
			case $((n / 25 % 5)) in 0) opt= ;; 1) opt=-m ;; 2) opt=-l ;; 3) opt=-t ;; 4) opt=-i ;; esac
			[ $((n / 25 % 6)) = 5 ] && opt="$opt -j 4"
			nice -n 19 sh tests/sysfuzz/long.sh -v build/asan/vxinferno $opt -b $((first + n)) 25 >>$W/sys.log 2>&1 || bad=1
			n=$((n + 25))
		done
		if [ $bad = 0 ]; then say "sys: ${SECS}s, $n seeds from $first x 300 calls (a fifth each plain, -m, -l, -t, -i; a sixth -j 4): no finding"
		else found=1; say "sys: FINDING (see $W/sys.log)"; grep '^seed' $W/sys.log | head -5 | sed 's/^/	/'; fi ;;
	code)
		cc -O2 -g -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -o build/codefuzz \
			tests/tools/codefuzz.c build/libvx.a -lpthread 2>$W/code-build.log || { say "code: build failed"; found=1; continue; }
		(ulimit -c 0; VXVALIDATE=1 nice -n 19 build/codefuzz -t $SECS >$W/code.log 2>&1)
		rc=$?
		if [ $rc = 0 ]; then say "code: ${SECS}s: $(tail -1 $W/code.log)"
		else found=1; say "code: FINDING (exit $rc): $(tail -3 $W/code.log)"; fi ;;
	*) say "unknown target $t"; found=1 ;;
	esac
done
exit $found
