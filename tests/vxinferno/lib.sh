# lib.sh — shared by tests/vxinferno*.t: TAP helpers, a scratch root with
# busybox and the test guests, and the path of the command under test.
# Sourced from the repository root.  Native runs for comparison go through
# refrun (tests/lib/engines.sh): the host CPU, or qemu-i386 where the host
# does not execute i386 programs.
. tests/lib/engines.sh
ref_load

VX=bin/vxinferno
BB=build/deb/bin/busybox
n=0
fails=0

okrc() {		# okrc STATUS NAME: passes when STATUS is 0, as $? (C's ok(cond) passes when cond is true)
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

skip() {	# skip NAME REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# same NAME EXPECTED-FILE ACTUAL-FILE: pass if identical, else show the
# start of the diff (want, got) on stderr: prove shows it without -v, and
# make test's failure report repeats it
same() {
	if cmp -s "$2" "$3"; then
		okrc 0 "$1"
	else
		okrc 1 "$1"
		diff -u --label want --label got "$2" "$3" | head -30 | sed 's/^/# /' >&2
	fi
}

need_vx() {
	if [ ! -x "$VX" ]; then
		echo "1..0 # SKIP $VX not built"
		exit 0
	fi
}

# mkroot DIR: a guest root with bin/ (busybox and its applets when
# fetched) and the guests named after it, compiled from tests/guest_NAME.c
mkroot() {
	r=$1
	shift
	mkdir -p "$r/bin" "$r/tmp"
	if [ -x "$BB" ]; then
		cp "$BB" "$r/bin/busybox"
		# a link per applet, made by one process: an ln for each of
		# the 270 took 1.7 s of CPU, and two dozen tests make a root
		refrun "$BB" --list | B="$r/bin" perl -ne 'chomp; link("$ENV{B}/busybox", "$ENV{B}/$_")'
	fi
	for g in "$@"; do
		gcc -m32 -static -O1 -Iinclude -o "$r/bin/$g" "tests/$g.c" -lpthread 2>"$r/cc.err" \
			|| { cat "$r/cc.err" | sed 's/^/# /'; }
	done
	rm -f "$r/cc.err"
}

# refout OUT RECORDED CMD...: the reference output (stdout and stderr)
# into OUT: CMD's, which runs i386 code through refrun; or, where qemu is
# the reference and the file RECORDED exists, the CPU's output recorded
# there for a mode qemu gets wrong (see the README beside RECORDED).
# Recording: where the reference is native and VXRECORD names RECORDED
# (paths from the repository root, spaces between), CMD's output is
# also written there (tests/data/record.sh runs the tests so).
refout() {
	out=$1 rec=$2
	shift 2
	if [ "$REF" = qemu ] && [ -f "$rec" ]; then
		cp "$rec" "$out"
		echo "# the reference is the CPU's output recorded in $rec (qemu differs)"
	else
		"$@" >"$out" 2>&1
		case " ${VXRECORD:-} " in
		*" $rec "*)
			if [ "$REF" = native ]; then
				cp "$out" "$rec"
				echo "# recorded the reference's output in $rec"
			fi ;;
		esac
	fi
}

finish() {
	echo "1..$n"
	[ "$fails" -eq 0 ]
}
