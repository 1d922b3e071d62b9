#!/bin/sh
# long.sh — the system-call fuzzer, long run, by hand:
#	tests/sysfuzz/long.sh [-v vxinferno] [-c ncalls] [-j threads] [-m] [-n] [-l] [-t] [-i] [-b first] [N]
# runs N seeds (default 1000) from first (default: from the clock), each a
# fresh vxinferno with a fresh root, and reports every seed where the host
# did not survive (killed by a signal, hung, a sanitizer report).
#	tests/sysfuzz/long.sh [-v vxinferno] [-c ncalls] -s SEED
# reruns one seed with the call log (-d), prints how it ended and the
# last calls.  -v picks the binary (e.g. build/asan/vxinferno); -j n
# fuzzes with n threads per guest (fuzz -j); then a guest left waiting
# forever that vxinferno ends on SIGTERM ("stuck") is listed but allowed:
# threads can leave each other waiting for good.  -m: half the calls are
# memory calls that make sense (fuzz -m: shared and partial mappings).
# -n: -m with memfd_create, seals, vfork children sharing the memory,
# mremap FIXED and DONTUNMAP, sendfile, splice, copy_file_range (fuzz -n).
# -l: half the calls are file-lock calls (fuzz -l: fcntl's locks, flock).
# -t: half the calls are timer calls (fuzz -t: POSIX timers, timerfds,
# signalfds, nested epolls, the CPU clocks).
# -i: half the calls are System V IPC, terminal and pidfd calls (fuzz -i).
# A canary file beside the root (as in tests/sysfuzz.t) is checked after
# every seed: a seed that changed anything beside the root is a finding.
cd "$(dirname "$0")/../.." || exit 1
. tests/sysfuzz/lib.sh
VX=bin/vxinferno
NCALLS=300
first=
seed=
FUZZOPT=
STUCKOK=
while getopts v:c:b:s:j:mnlti o; do
	case $o in
	v) VX=$OPTARG ;;
	c) NCALLS=$OPTARG ;;
	b) first=$OPTARG ;;
	s) seed=$OPTARG ;;
	j) FUZZOPT="$FUZZOPT -j $OPTARG"; STUCKOK=1 ;;
	m) FUZZOPT="$FUZZOPT -m" ;;
	n) FUZZOPT="$FUZZOPT -n" ;;
	l) FUZZOPT="$FUZZOPT -l" ;;
	t) FUZZOPT="$FUZZOPT -t" ;;
	i) FUZZOPT="$FUZZOPT -i" ;;
	*) sed -n '2,10p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
N=${1:-1000}
[ -n "$first" ] || first=$(( $(date +%s) % 1000000 * 1000 ))
w=$(mktemp -d "${TMPDIR:-/tmp}/sysfuzz.XXXXXX") || exit 1
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM
buildfuzz "$w/fuzz" || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ -n "$seed" ]; then
	freshroot "$w/root" "$w/fuzz"
	(ulimit -c 0; verdict "$w/verdict" 60 "$VX" -r "$w/root" fuzz $FUZZOPT -d /fuzz.log "$seed" "$NCALLS" \
		</dev/null >"$w/out" 2>&1)
	echo "seed $seed: $(cat "$w/verdict")"
	grep -a -A30 -e Sanitizer -e 'runtime error' "$w/out" | head -40
	echo "last calls (the log may be gone if the guest removed it):"
	tail -5 "$w/root/fuzz.log" 2>/dev/null
	exit 0
fi

# something beside the root that no guest may touch
mkdir -p "$w/box/root"
echo "canary $$" >"$w/box/canary"
touch -d '2001-01-01' "$w/box/canary"
canary() { stat -c '%s %Y %a' "$w/box/canary"; cat "$w/box/canary"; ls -a "$w/box"; }
canary >"$w/canary.before"

bad=0
i=0
while [ $i -lt "$N" ]; do
	s=$((first + i))
	fuzzrun "$VX" "$w/box/root" "$w" "$s" "$NCALLS"
	grep -q '^stuck' "$w/verdict" && echo "seed $s: $(cat "$w/verdict") (allowed)"
	canary >"$w/canary.after"
	if ! cmp -s "$w/canary.before" "$w/canary.after"; then
		bad=$((bad + 1))
		echo "seed $s: changed what is beside the guest's root:"
		diff "$w/canary.before" "$w/canary.after" | sed 's/^/	/'
		cp "$w/out" "${TMPDIR:-/tmp}/sysfuzz.seed$s.out"
		# put it back, so the next seeds are judged on their own
		rm -rf "$w/box"
		mkdir -p "$w/box/root"
		echo "canary $$" >"$w/box/canary"
		touch -d '2001-01-01' "$w/box/canary"
	elif ! hostok "$w"; then
		bad=$((bad + 1))
		echo "seed $s: $(cat "$w/verdict")"
		grep -a -e Sanitizer -e 'runtime error' -e 'open at start' "$w/out" | head -3
		cp "$w/out" "${TMPDIR:-/tmp}/sysfuzz.seed$s.out"
	fi
	i=$((i + 1))
done
echo "$N seeds from $first, $NCALLS calls each${FUZZOPT:+ ($FUZZOPT)}: $bad where the host did not survive or touched what is beside the root"
[ $bad -eq 0 ]
