#!/bin/sh
# record.sh — record what real hardware prints where qemu-i386 does not
# print the same, for the differential tests on hosts whose reference is
# qemu (hosts that cannot execute i386 programs):
#   tests/data/diff/NAME.out, NAME.rc  stdout and exit status of each
#     guest program (build/guest/NAME) whose qemu output differs from the
#     CPU's (qemu's x87 is not bit-exact);
#   tests/data/fuzz.sums  per fuzz.t seed: "SEED K N sha256(program.S)
#     sha256(CPU output)" (qemu differs on cmpxchg8b flags, NaN choice,
#     MXCSR.DE; the outputs are too big to keep).
# Run it from the repository root after `make`, on a host that executes
# i386 programs and has qemu-user; commit what it changes.  tests/diff.t
# and tests/fuzz.t fail when a recording is stale.
set -e
cd "$(dirname "$0")/../.."
top=$(pwd)
. tests/lib/engines.sh
if ! host_runs_i386; then
	echo "record.sh: this host does not execute i386 programs: record on one that does" >&2
	exit 1
fi
command -v qemu-i386 >/dev/null 2>&1 || { echo "record.sh: qemu-i386 missing (apt-get install qemu-user)" >&2; exit 1; }
[ -e build/guest/arith.O2 ] || { echo "record.sh: run make first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/record.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

rm -f tests/data/diff/*.out tests/data/diff/*.rc
for b in build/guest/*.O0 build/guest/*.O2; do
	n=$(basename "$b")
	st=0
	timeout 60 "$b" >"$tmp/cpu" 2>/dev/null </dev/null || st=$?
	qst=0
	timeout 300 qemu-i386 "$b" >"$tmp/qemu" 2>/dev/null </dev/null || qst=$?
	if ! cmp -s "$tmp/cpu" "$tmp/qemu" || [ $st != $qst ]; then
		cp "$tmp/cpu" "tests/data/diff/$n.out"
		echo $st >"tests/data/diff/$n.rc"
		echo "recorded $n (qemu differs)"
	fi
done

. tests/fuzz/seeds.sh
cc -std=c11 -O2 -o "$tmp/gen" tests/fuzz/gen.c
: >"$tmp/sums"
for s in $SEEDS; do
	"$tmp/gen" "$s" $K $N >"$tmp/p.S"
	gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$tmp/p" "$tmp/p.S"
	"$tmp/p" >"$tmp/p.out"
	echo "$s $K $N $(sha256sum <"$tmp/p.S" | cut -c1-64) $(sha256sum <"$tmp/p.out" | cut -c1-64)" >>"$tmp/sums"
done
{
	echo "# fuzz.t seeds: SEED K N sha256(program.S) sha256(CPU output); written by tests/data/record.sh"
	cat "$tmp/sums"
} >tests/data/fuzz.sums
echo "recorded $(echo $SEEDS | wc -w) fuzz seeds in tests/data/fuzz.sums"

# guest_gaps's modes where qemu differs (tests/vxinferno_gaps.t)
gcc -m32 -static -O1 -Iinclude -o "$tmp/guest_gaps" tests/guest_gaps.c -lpthread
for m in et scm task bus oob pipe scmflags dontneed peek; do
	(cd "$tmp" && timeout 60 ./guest_gaps $m; echo "status $?") >"$tmp/$m.cpu" 2>&1
	(cd "$tmp" && timeout 60 qemu-i386 ./guest_gaps $m; echo "status $?") >"$tmp/$m.qemu" 2>&1
	rm -f "tests/data/gaps/$m.out"
	if ! cmp -s "$tmp/$m.cpu" "$tmp/$m.qemu"; then
		cp "$tmp/$m.cpu" "tests/data/gaps/$m.out"
		echo "recorded guest_gaps $m (qemu differs)"
	fi
done
# vfork: qemu-user's vfork is a fork, so the child's writes are its own
(cd "$tmp" && timeout 60 ./guest_gaps vfork ./guest_gaps; echo "status $?") >tests/data/gaps/vfork.out 2>&1
echo "recorded guest_gaps vfork"

# guest_hostile fuzzfound (tests/vxinferno_hostile.t): qemu is unreliable on it
mkdir -p tests/data/hostile
gcc -m32 -static -O1 -Iinclude -o "$tmp/guest_hostile" tests/guest_hostile.c -lpthread
(cd "$tmp" && timeout 60 ./guest_hostile fuzzfound) >tests/data/hostile/fuzzfound.out 2>&1
echo "recorded guest_hostile fuzzfound"

# guest_split (tests/vxinferno_split.t): qemu reports some of the faults
# of a cut instruction otherwise than the CPU (tests/data/split/README)
mkdir -p tests/data/split
gcc -m32 -static -O1 -Iinclude -o "$tmp/guest_split" tests/guest_split.c -lpthread
for m in none unmapped noexec pasteof; do
	(cd "$tmp" && timeout 120 ./guest_split $m; echo "status $?") >tests/data/split/$m.out 2>&1
done
(cd "$tmp" && timeout 60 ./guest_split tcfile cut) >tests/data/split/tc.out 2>&1
echo "recorded guest_split's modes"

# guest_inotify (tests/vxinferno_inotify.t): qemu keeps an event that a
# read into a bad pointer loses; the program works under its cwd's tmp/
# and execs bin/guest_inotify
mkdir -p tests/data/inotify "$tmp/ino/tmp" "$tmp/ino/bin"
gcc -m32 -static -O1 -Iinclude -o "$tmp/ino/bin/guest_inotify" tests/guest_inotify.c -lpthread
(cd "$tmp/ino" && timeout 60 ./bin/guest_inotify; echo "status $?") >tests/data/inotify/guest_inotify.out 2>&1
echo "recorded guest_inotify"
