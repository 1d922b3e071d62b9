#!/bin/sh
# sysfuzz.t — random system calls from a hostile guest (tests/sysfuzz/
# fuzz.c): the guest gets errors or dies, the host survives every run —
# it exits by itself, never killed by a signal or hung, also when half the
# calls are memory calls that make sense (fuzz -m) or file-lock calls
# (fuzz -l), or System V IPC, terminal and pidfd calls (fuzz -i) — nothing outside
# the guest's root changes, the guest starts with no fd but 0-2, and the
# host's open files do not grow over many fuzzing processes.
# Longer runs: tests/sysfuzz/long.sh.  A failing seed is reproduced with
#	tests/sysfuzz/long.sh -s SEED
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
. tests/sysfuzz/lib.sh
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sysfuzz.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
NCALLS=300
# seeds that once found a bug, then a range: 248 357 pread/mmap of a
# pipe waited forever; 3778 mount of a pipe (now ended by a fatal
# watchdog); 87 6352 kill/wait4 of INT_MIN (UBSan); 136 a clone'd
# thread's tid read after it was freed (ASan)
FIXED="248 357 3778 87 6352 136"
SEEDS="$FIXED $(seq 1 40)"

buildfuzz "$tmp/fuzz" 2>"$tmp/cc.err"
okrc $? "the fuzzer builds (gcc -m32 -static)"
[ -x "$tmp/fuzz" ] || { sed 's/^/# /' "$tmp/cc.err"; finish; exit 1; }

# Something beside the root that no guest may touch.
mkdir "$tmp/box"
echo "canary $$" >"$tmp/box/canary"
touch -d '2001-01-01' "$tmp/box/canary"
canary() { stat -c '%s %Y %a' "$tmp/box/canary"; cat "$tmp/box/canary"; ls -a "$tmp/box"; }
freshroot "$tmp/box/root" "$tmp/fuzz"
canary >"$tmp/canary.before"

bad=0
full=0
for s in $SEEDS; do
	fuzzrun "$VX" "$tmp/box/root" "$tmp" "$s" "$NCALLS"
	if ! hostok "$tmp"; then
		bad=$((bad + 1))
		echo "# seed $s: $(cat "$tmp/verdict")"
		grep -a -e Sanitizer -e 'runtime error' -e 'open at start' "$tmp/out" | head -5 | sed 's/^/#   /'
	fi
	grep -aq "^fuzz: seed $s: $NCALLS calls" "$tmp/out" && full=$((full + 1))
done
okrc $bad "the host survived $(echo $SEEDS | wc -w) seeds x $NCALLS calls"
echo "# $full runs reached the end; the others' guests died (as they may)"
[ "$full" -ge 10 ]
okrc $? "enough runs fuzz to the end ($full): the fuzzer does not just kill itself"

# moderun OPT SEEDS: fuzz OPT, each seed 1500 calls; bad counts the
# seeds where the host did not survive
moderun() {
	FUZZOPT=$1
	bad=0
	for s in $2; do
		fuzzrun "$VX" "$tmp/box/root" "$tmp" "$s" 1500
		if ! hostok "$tmp"; then
			bad=$((bad + 1))
			echo "# fuzz $1 seed $s: $(cat "$tmp/verdict")"
			grep -a -e Sanitizer -e 'runtime error' -e 'open at start' "$tmp/out" | head -5 | sed 's/^/#   /'
		fi
	done
	FUZZOPT=
}

# Memory calls that make sense (fuzz -m): shared and partial mappings,
# mprotect, mremap, and the host's copies into and out of them.  Seed 8
# (1,500 calls) killed the host: a read into a shared mapping of a file
# open read-only that a failed mprotect had marked writable.
MSEEDS="8 $(seq 100 119)"
moderun -m "$MSEEDS"
okrc $bad "memory calls (fuzz -m): the host survived $(echo $MSEEDS | wc -w) seeds x 1500 calls"

# This session's memory calls among them (fuzz -n): memfd_create and
# seals, vfork children mapping and unmapping on the parent's memory,
# mremap FIXED and DONTUNMAP, sendfile, splice, copy_file_range.
NSEEDS="$(seq 300 309)"
moderun -n "$NSEEDS"
okrc $bad "newer memory calls (fuzz -n): the host survived $(echo $NSEEDS | wc -w) seeds x 1500 calls"

# File-lock calls (fuzz -l): fcntl's lock commands with sane and insane
# struct flock/flock64, flock, and the closes, dups and forks between.
LSEEDS="$(seq 200 209)"
moderun -l "$LSEEDS"
okrc $bad "file-lock calls (fuzz -l): the host survived $(echo $LSEEDS | wc -w) seeds x 1500 calls"
# System V IPC, terminals and pidfds (fuzz -i).  Every one of these
# seeds killed the host of session 19 (a failed walk under a terminal's
# slave, such as stat of #P/pts/0/.., freed the terminal).
ISEEDS="$(seq 500 511)"
moderun -i "$ISEEDS"
okrc $bad "IPC, terminal and pidfd calls (fuzz -i): the host survived $(echo $ISEEDS | wc -w) seeds x 1500 calls"
canary >"$tmp/canary.after"
same "nothing beside the guest's root changed" "$tmp/canary.before" "$tmp/canary.after"

# One host, many fuzzing processes: its open files must not grow.  The
# descriptors libvx keeps of the host's own /proc/self files (mem,
# pagemap, maps, fd: one each, opened when first needed, which may be in
# a later child) are not counted, and none may be open twice.
hostfds() {
	ls -l /proc/$1/fd 2>/dev/null | awk -v me="/proc/$1/" '
		/ -> / { if(index($NF, me) == 1){ if(seen[$NF]++) dup = 1 } else n++ }
		END { print (dup ? 1000 : 0) + n }'
}
freshroot "$tmp/box/root" "$tmp/fuzz"
$VX -r "$tmp/box/root" fuzz -q -k 20 1000 "$NCALLS" </dev/null >"$tmp/kout" 2>"$tmp/kerr" &
pid=$!
n1=
n2=
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
	if [ -z "$n1" ] && grep -aqs '^mark 1' "$tmp/kout"; then
		n1=$(hostfds $pid)
	elif [ -n "$n1" ] && [ -z "$n2" ] && grep -aqs '^mark 2' "$tmp/kout"; then
		n2=$(hostfds $pid)
	fi
	sleep 0.05
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid
st=$?
grep -aq '^fuzz: 20 children done' "$tmp/kout"
okrc $? "20 fuzzing children one after the other in one host (status $st)"
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -le "$n1" ]
okrc $? "the host's open files do not grow: $n1 after the first child, $n2 after the last"
finish
