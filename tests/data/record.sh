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
#   tests/data/gaps/MODE.out, tests/data/hostile/fuzzfound.out  the
#     output of guest_gaps's and guest_hostile's modes qemu gets wrong;
#   the recordings the tests take themselves (see "tests" below).
# Run it from the repository root after `make`, on a host that executes
# i386 programs and has qemu-user; commit what it changes.  tests/diff.t
# and tests/fuzz.t fail when a recording is stale.  Arguments name the
# parts to record (diff fuzz gaps hostile tests split); none, all of
# them.  The parts gaps, hostile and tests record system calls'
# behaviour only: a full-system emulator's VM
# (/work/shared/tools/compatvm) may take them, where diff, fuzz and
# split need the CPU's own answers.
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
parts=${*:-diff fuzz gaps hostile tests split}
part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }

if part diff; then
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
fi

if part fuzz; then
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
fi

if part gaps; then
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
fi

if part hostile; then
# guest_hostile fuzzfound (tests/vxinferno_hostile.t): qemu is unreliable on it
mkdir -p tests/data/hostile
gcc -m32 -static -O1 -Iinclude -o "$tmp/guest_hostile" tests/guest_hostile.c -lpthread
(cd "$tmp" && timeout 60 ./guest_hostile fuzzfound) >tests/data/hostile/fuzzfound.out 2>&1
echo "recorded guest_hostile fuzzfound"
fi

# tests: the tests below take these recordings themselves, each of the
# reference run it makes (tests/vxinferno/lib.sh refout writes the files
# VXRECORD names where the reference is native), so that what is
# recorded is exactly what the test compares; the test's own result
# says whether vxinferno agrees.
# split (the faults of cut instructions) is the CPU's, not the kernel's:
# the part "split" records it alone, on a host that executes i386 code.
if part tests || part split; then
for t in gaps abi getdents pipefault streams vecio memrace inotify split; do
	case $t in
	gaps) rec="tests/data/gaps/sinkfault.out tests/data/gaps/evfdfault.out"
		# rwfault's read of /dev/zero into a buffer that runs into a
		# hole: Linux before 6.2 cleared user memory 8 bytes at a
		# store and counted 96 of 100 bytes (6.2 reworked x86's
		# clear_user); vxinferno's answer is the newer kernels'
		case $(uname -r) in
		[0-5].*|6.[01].*|6.[01]-*) echo "record.sh: Linux $(uname -r) is older than 6.2: tests/data/gaps/rwfault.out not taken" >&2 ;;
		*) rec="$rec tests/data/gaps/rwfault.out" ;;
		esac ;;
	abi) rec="tests/data/abi/tlsclearmt.out" ;;
	getdents) rec="tests/data/getdents/e.out tests/data/getdents/h.out tests/data/getdents/s.out tests/data/getdents/r.out" ;;
	pipefault) rec="tests/data/pipefault/faults.out tests/data/pipefault/writers.out" ;;
	streams) rec="tests/data/streams/stdout.file.out" ;;
	vecio) rec="tests/data/vecio/faults.out tests/data/vecio/limits.out" ;;
	memrace) rec="tests/data/memrace/remap.out tests/data/memrace/shared.out tests/data/memrace/pty.out" ;;
	inotify) rec="tests/data/inotify/guest_inotify.out" ;;
	split) rec="tests/data/split/none.out tests/data/split/unmapped.out tests/data/split/noexec.out tests/data/split/pasteof.out tests/data/split/tc.out" ;;
	esac
	case $t in split) part split || continue ;; *) part tests || continue ;; esac
	for f in $rec; do
		mkdir -p "$(dirname "$f")"
	done
	# one engine's run is enough: the reference does not depend on it
	st=0
	REF=native VXRECORD="$rec" VXENGINE=${VXENGINE:-long} sh tests/vxinferno_$t.t >"$tmp/$t.tap" 2>&1 || st=$?
	grep '^# recorded ' "$tmp/$t.tap" || true
	if [ $st != 0 ]; then
		echo "record.sh: tests/vxinferno_$t.t failed here (vxinferno, or this host: look before committing):" >&2
		grep -v '^ok ' "$tmp/$t.tap" >&2 || true
	fi
done
fi
