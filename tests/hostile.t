#!/bin/sh
# hostile.t — guests that try to escape the sandbox (tests/hostile/*) must
# end as the right trap with the host intact: vxhost prints exactly one
# last stderr line "vxhost: trap NAME eip=0x... addr=0x...", exits with
# 128+signal, and the guest printed nothing after the attack (no ESCAPED).
# Each program also runs natively where the CPU's answer is fixed, which
# checks the test program itself.  The sandbox half runs once per engine
# ("compat: farjmp33: PRIVILEGED"); an engine the host cannot run is one
# skip with its reason (tests/lib/engines.sh).  The native half needs the
# host CPU: with REF=qemu, or on a host that does not execute i386
# programs, it is skipped (qemu does not fault like the CPU).  Without
# build/vxhost only the native half runs.
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/engines.sh"
B=$top/build
H=$B/hostile
VX=${VXHOST:-$B/vxhost}
W=$(mktemp -d /tmp/hostile.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
ulimit -c 0 2>/dev/null
set -f	# the tables hold "*" and "/"; never glob

# Expected runs, one per line:
#   NAME|ARGS|TRAP|EIP|ADDR|NATIVE|OUT
# TRAP: a trap name, alternatives split by "/", "*" for any trap, "none"
#   for a normal exit (status in EIP's place), "timeout" for -T 1 runs
#   (a spinning guest is in its loop within milliseconds: a second of it
#   is the watchdog stopping translated code, as two were).
# EIP, ADDR: "-" (unchecked), a symbol of the program, SYM+N, or hex;
#   alternatives split by "/".
# NATIVE: the exit status of a native run, "-" when it depends on the
#   CPU or kernel (UMIP emulation, AMD vs Intel syscall/sysenter).
# OUT: expected stdout (printf %b escapes); empty when nothing.
# @AVX, @AVX2, @FMA as TRAP: see offered below.
table() {
	cat <<'EOF'
farjmp33||PRIVILEGED|fault|-|3|
farjmp23||PRIVILEGED|fault|-|3|
farcall33||PRIVILEGED|fault|-|3|
farcall23||PRIVILEGED|fault|-|3|
lret33||PRIVILEGED|fault|-|3|
iret23||PRIVILEGED|fault|-|3|
readhigh||PAGEFAULT|fault|0xfffffff0|139|
readc0||PAGEFAULT|fault|0xc0000000|139|
read7f||PAGEFAULT|fault|0x7fffffff|139|
writenull||PAGEFAULT|fault|0x00000000|139|
writetext||PAGEFAULT|fault|_start|139|
execdata||PAGEFAULT|dcode|dcode|139|
jmphigh||PAGEFAULT|0xfffffff0|0xfffffff0|139|
callptr||PAGEFAULT|0x00000010|0x00000010|139|
retnx||PAGEFAULT|0x20000000|0x20000000|139|
retwild||PAGEFAULT|0xfffffffc|0xfffffffc|139|
indnx||PAGEFAULT|0x20000000|0x20000000|139|
espzero||PAGEFAULT|fault|0xfffffffc|139|
cshigh||PAGEFAULT|fault|0xfffffff0|139|
csread||none|0|-|0|ok\n
div0||DIVIDE|fault|-|136|
idivov||DIVIDE|fault|-|136|
bound||BOUND|fault|-|139|
int81||INT|fault/fault_end|-|139|
int3||BREAKPOINT|fault/fault_end|-|133|
int3cd||BREAKPOINT/INT|fault/fault_end|-|133|
into||OVERFLOW|fault/fault_end|-|139|
intono||none|7|-|7|
ud2||ILLEGAL|fault|-|132|
tf||SINGLESTEP|-|-|133|
hlt||PRIVILEGED|fault|-|139|
cli||PRIVILEGED|fault|-|139|
inb||PRIVILEGED|fault|-|139|
outb||PRIVILEGED|fault|-|139|
insb||PRIVILEGED|fault|-|139|
rdmsr||PRIVILEGED|fault|-|139|
lgdt||PRIVILEGED|fault|-|139|
sgdt||none|0|-|-|ok\n
sidt||none|0|-|-|ok\n
sldt||none|0|-|-|ok\n
lar||none|0|-|0|ok\n
syscall||*|fault/after|-|-|
sysenter||*|fault/after|-|-|
overlap80||none|205|-|205|
overlapfar||PRIVILEGED|outer+1|-|3|
smc||PRIVILEGED|blk|-|3|
dfac||none|0|-|0|hello\ndone\n
align||ALIGN|fault|-|135|
spin||timeout|-|-|124|
spinjcc||timeout|-|-|124|
spinind||timeout|-|-|124|
fsgs|gshuge|PAGEFAULT|fault_gshuge|-|139|
fsgs|fszero|PAGEFAULT/PRIVILEGED|fault_fszero|-|139|
fsgs|fshuge|PAGEFAULT/PRIVILEGED|fault_fshuge|-|139|
fsgs|fstls|none|0|-|0|fs ok\n
rexincdec||none|0|-|0|
vexbits||none|0|-|0|
gatherwide||none|0|-|0|ok\n
avxstate|ymml|@AVX|fault_ymml|-|-|
avxstate|vpxr|@AVX2|fault_vpxr|-|-|
avxstate|kmov|ILLEGAL|fault_kmov|-|-|
avxstate|kget|ILLEGAL|fault_kget|-|-|
avxstate|vzup|@AVX|fault_vzup|-|-|
avxstate|vext|@AVX2|fault_vext|-|-|
avxstate|xmmv|@AVX|fault_xmmv|-|-|
avxstate|bcst|@AVX|fault_bcst|-|-|
avxstate|xsav|ILLEGAL|fault_xsav|-|-|
avxstate|xrst|ILLEGAL|fault_xrst|-|-|
avxstate|xsvc|ILLEGAL|fault_xsvc|-|-|
avxstate|xsvo|ILLEGAL|fault_xsvo|-|-|
avxstate|evex|ILLEGAL|fault_evex|-|-|
avxstate|xop8|ILLEGAL|fault_xop8|-|-|
avxstate|vx66|ILLEGAL|fault_vx66|-|-|
avxstate|vxf0|ILLEGAL|fault_vxf0|-|-|
avxstate|andl|ILLEGAL|fault_andl|-|-|
avxstate|vzal|@AVX|fault_vzal|-|-|
avxstate|fma3|@FMA|fault_fma3|-|-|
fsgsbase|rdfs|ILLEGAL|fault_rdfs|-|132|
fsgsbase|rdgs|ILLEGAL|fault_rdgs|-|132|
fsgsbase|wrfs|ILLEGAL|fault_wrfs|-|132|
fsgsbase|wrgs|ILLEGAL|fault_wrgs|-|132|
strtop|load|PAGEFAULT|fault|0xfffff000|139|
strtop|store|PAGEFAULT|fault_stos|0xfffff800|139|
strtop|stack|PAGEFAULT|fault_lods|-|139|
strdown|low|PAGEFAULT|fault|0x0000fffc|139|
strdown|zero|PAGEFAULT|fault|0x00001000|139|
stackwrap|pop|PAGEFAULT|fault|0xfffffffc|139|
stackwrap|ret|PAGEFAULT|fault_ret|0xfffffffc|139|
stackwrap|call|PAGEFAULT|fault_call|0xfffffffc|139|
stackwrap|odd|PAGEFAULT|fault_odd|0xfffffffe|135|
stackwrap|leave|PAGEFAULT|fault_leave|0xfffffffc|139|
stackwrap|enter|PAGEFAULT|fault_enter|0xfffffffc|139|
stackwrap|popl|PAGEFAULT|fault_popl|0xfffffffc|139|
moffstop|load|PAGEFAULT|fault_load|0xfffffffc|139|
moffstop|store|PAGEFAULT|fault_store|0xfffffffc|139|
moffstop|byte|PAGEFAULT|fault_byte|0xffffffff|139|
moffstop|word|PAGEFAULT|fault_word|0xfffffffe|139|
absolute||none|0|-|0|
addr16|bxsi|PAGEFAULT/ILLEGAL|fault_bxsi|0x00000010/0x00000000|139|
addr16|disp|PAGEFAULT/ILLEGAL|fault_disp|0x00001234/0x00000000|139|
addr16|bpdi|PAGEFAULT/ILLEGAL|fault_bpdi|0x00005678/0x00000000|139|
addr16|wrap|PAGEFAULT/ILLEGAL|fault_wrap|0x0000000f/0x00000000|139|
hostjmp|low|PAGEFAULT|0x00400000|0x00400000|139|
hostjmp|cache|PAGEFAULT|0x20000000|0x20000000|139|
hostjmp|top|PAGEFAULT|0xffffe000|0xffffe000|139|
hostjmp|call|PAGEFAULT|0x00401000|0x00401000|139|
hostjmp|direct|PAGEFAULT|0x00402000|0x00402000|139|
far33ind|jmp|PRIVILEGED|fault_jmp|-|3|
far33ind|call|PRIVILEGED|fault_call|-|3|
EOF
	# far transfers and segment loads: fixed selectors (host GDT code and
	# data, TLS, LDT entries, junk) plus two random ones per run
	r1=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	r2=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	sels="0x33 0x23 0x2b 0x07 0x0f 0x17 0x04 0x10 0x1234 0xfffc $(printf '0x%x 0x%x' "$r1" "$r2")"
	for k in jmp call lret iret; do
		for s in $sels 0; do
			echo "far|$k $s|PRIVILEGED|fault_$k|-|-|"
		done
	done
	for k in movds moves movss popds popes popss lds les lss; do
		for s in $sels 0 0x63; do
			echo "segload|$k $s|PRIVILEGED|fault_$k|-|-|"
		done
	done
	for k in movfs movgs popfs popgs lfs lgs; do
		for s in $sels; do
			# TLS slots are legal, and a null selector (a random draw of 0-3)
			case $s in 0x63|0x6b|0x73|0x0|0x1|0x2|0x3) continue ;; esac
			echo "segload|$k $s|PRIVILEGED/PAGEFAULT|fault_$k|-|-|"
		done
	done
}

# The exit status vxhost uses for a trap: 128 + the signal Linux sends
# for it (#OF is SIGSEGV on Linux; syscall is #UD on Intel).
trapstatus() {
	case $1 in
	PAGEFAULT|PRIVILEGED|INT|BOUND|OVERFLOW|UNKNOWN) echo 139 ;;
	ILLEGAL|SYSCALLINSN) echo 132 ;;
	DIVIDE|FPU|SIMD) echo 136 ;;
	BREAKPOINT|SINGLESTEP) echo 133 ;;
	ALIGN) echo 135 ;;
	*) echo none ;;
	esac
}

# symbols PROG: nmf is the file of PROG's symbols, nm's listing, made
# once a program (nm takes 0.1 s of CPU, and the far and segload
# programs are checked in a hundred rows each)
symbols() {
	nmf=$W/nm.${1##*/}
	[ -f "$nmf" ] || nm "$1" >"$nmf"
}

# Resolve "-", hex, SYM or SYM+N against program $1 to 8 hex digits.
addrof() {
	case $2 in
	-) echo - ;;
	0x*) printf '%08x\n' "$2" ;;
	*+*)
		symbols "$1"
		a=$(awk -v s="${2%%+*}" '$3 == s { print $1; exit }' "$nmf")
		[ -n "$a" ] && printf '%08x\n' $((0x$a + ${2#*+})) ;;
	*)
		symbols "$1"
		awk -v s="$2" '$3 == s { print $1; exit }' "$nmf" ;;
	esac
}

# Does value $1 (8 hex digits) match one of the /-separated specs in $3?
matches() {
	prog=$1 val=$2 specs=$3
	[ "$specs" = - ] && return 0
	old=$IFS; IFS=/
	for sp in $specs; do
		IFS=$old
		[ "$(addrof "$prog" "$sp")" = "$val" ] && return 0
	done
	IFS=$old
	return 1
}

inlist() {
	old=$IFS; IFS=/
	for x in $2; do
		[ "$x" = "$1" ] || [ "$x" = '*' ] && { IFS=$old; return 0; }
	done
	IFS=$old
	return 1
}

# Build a program the Makefile did not (e.g. make stopped early), with the
# Makefile's own commands.
build() {
	[ -x "$H/$1" ] && return 0
	mkdir -p "$H"
	if [ -f "$top/tests/hostile/$1.c" ]; then
		gcc -m32 -static -fno-pie -no-pie -O1 -o "$H/$1" "$top/tests/hostile/$1.c"
	else
		gcc -m32 -static -fno-pie -no-pie -nostdlib -o "$H/$1" "$top/tests/hostile/$1.S" 2>/dev/null
	fi
}

n=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # skip $1"; }
diag() { sed 's/^/# /'; }

# QEMU's TCG (../shared/tools/compatvm's VM, the only way to run compat
# on a host that cannot: /proc/cpuinfo says "QEMU TCG CPU") is not the
# CPU some rows assume; each row below failed there natively too, or
# for the CPU's own reason, as doc/testing.md ("Linux 6.1 and the
# compat engine") tells.  tcgwhy NAME ARGS WHO (native or an engine):
# the reason, or status 1.
tcg=
cpu_tcg && tcg=1
tcgwhy() {
	[ -n "$tcg" ] || return 1
	case "$1 $2:$3" in
	"lar :native")
		echo "QEMU's TCG: lar leaves the descriptor's undefined bits 19:16 zero (0x00c0fb00)" ;;
	"align :"*)
		echo "QEMU's TCG raises no #AC" ;;
	"vexbits :native"|"vexbits :compat")
		echo "QEMU's TCG runs VEX forms with bits 32-bit mode ignores otherwise (natively SIGSEGV)" ;;
	"gatherwide :"*)
		echo "QEMU's TCG computes a gather's 64-bit element addresses without the 4 GiB wrap (natively no end)" ;;
	"stackwrap odd:native")
		echo "QEMU's TCG checks no segment limit: a page fault (SIGSEGV), not #SS (SIGBUS)" ;;
	*)
		return 1 ;;
	esac
}

engines_load
ref_load
havevx=1
[ -x "$VX" ] || havevx=0
if [ -z "$ENGINES_ALL" ]; then
	havevx=0
	ENGINES_ERR="no engines: $ENGINES_ERR"
fi
nall=$(echo $ENGINES_ALL | wc -w)
nok=$(echo $ENGINES | wc -w)
# @AVX, @AVX2, @FMA: ILLEGAL where cpuid hides the set from guests, else
# the instruction runs (the engines keep ymm0-7) and the guest escapes
offered() { [ -x build/vxengines ] && build/vxengines avx | grep -qx "$1 yes"; }
avxsub=
for s in avx avx2 fma; do
	S=$(echo $s | tr a-z A-Z)
	if offered $s; then
		avxsub="$avxsub -e s/@$S|fault_[a-z0-9]*|-|-|/none|3|-|-|ESCAPED\\\\n/"
	else
		avxsub="$avxsub -e s/@$S|/ILLEGAL|/"
	fi
done
table | sed $avxsub > "$W/table"
nnative=$(awk -F'|' '$6 != "-"' "$W/table" | wc -l)
nrun=$(wc -l < "$W/table")
if [ $havevx = 1 ]; then
	echo "1..$((nnative + nrun * nok + nall - nok))"
else
	echo "1..$((nnative + nrun))"
fi
echo "# native half: $REF_WHY"
if [ $havevx = 1 ]; then
	for e in $ENGINES_ALL; do
		engine_usable "$e" || skip "$e: $(engine_why "$e")"
	done
fi

# vxcheck ENGINE: the sandboxed run of the current table row under ENGINE
vxcheck() {
	e=$1
	opt="-m 1024"	# the 1 GiB guest the address tests assume
	[ "$want" = timeout ] && opt="$opt -T 1"
	# shellcheck disable=SC2086
	( (cd "$W" && VXENGINE=$e exec timeout 30 "$VX" $opt "$prog" $args) 2> "$W/err"; exit $? ) > "$W/out" 2>"$W/err2"
	st=$?
	got=$(cat "$W/out")
	last=$(tail -1 "$W/err")
	why=
	case $want in
	timeout)
		[ $st = 124 ] || why="exit status $st, want 124"
		grep -q '^vxhost: timeout' "$W/err" || why="$why; no 'vxhost: timeout' line"
		;;
	none)
		[ "$st" = "$eip" ] || why="exit status $st, want $eip"
		grep -q '^vxhost: trap' "$W/err" && why="$why; unexpected trap"
		[ "$got" = "$wantout" ] || why="$why; stdout differs"
		;;
	*)
		# the trap's name, eip and addr, or nothing when the line is no trap line
		set -- $(echo "$last" | sed -n 's/^vxhost: trap \([A-Z]*\) eip=0x\([0-9a-f]\{8\}\) addr=0x\([0-9a-f]\{8\}\)$/\1 \2 \3/p')
		tn=${1:-} te=${2:-} ta=${3:-}
		if [ -z "$tn" ]; then
			why="last stderr line is not a trap line"
		else
			inlist "$tn" "$want" || why="trap $tn, want $want"
			[ "$st" = "$(trapstatus "$tn")" ] || why="$why; exit status $st, want $(trapstatus "$tn") for $tn"
			matches "$prog" "$te" "$eip" || why="$why; eip $te, want $eip"
			matches "$prog" "$ta" "$addr" || why="$why; addr $ta, want $addr"
		fi
		[ "$got" = "$wantout" ] || why="$why; guest output after the attack"
		;;
	esac
	if [ -z "$why" ]; then
		pass "$e: $title: $want"
	else
		fail "$e: $title: ${why#; }"
		{
			echo "stdout:"; head -5 "$W/out"
			echo "stderr:"; tail -5 "$W/err"
			cat "$W/err2"	# the shell's report if vxhost itself died
		} | diag
	fi
}

while IFS='|' read -r name args want eip addr native out; do
	prog=$H/$name
	title="$name${args:+ $args}"
	if ! build "$name" 2>"$W/build.err"; then
		[ "$native" != - ] && fail "$title: native (does not build)"
		if [ $havevx = 1 ]; then
			for e in $ENGINES; do fail "$e: $title: does not build"; done
		else
			fail "$title: does not build"
		fi
		diag < "$W/build.err"
		continue
	fi
	wantout=$(printf '%b' "$out")

	# native: what the CPU itself does with the program
	if [ "$native" != - ] && [ "$REF" != native ]; then
		skip "$title: native: not on the host CPU ($REF_WHY)"
	elif [ "$native" != - ] && tcgwhy "$name" "$args" native >"$W/tcg"; then
		skip "$title: native: $(cat "$W/tcg")"
	elif [ "$native" != - ]; then
		# shellcheck disable=SC2086
		# (the outer subshell keeps the shell's "Segmentation fault"
		# report out of the TAP stream)
		( (cd "$W" && exec timeout 1 "$prog" $args); exit $? ) > "$W/nout" 2>/dev/null
		st=$?
		if [ "$st" = "$native" ]; then
			pass "$title: native exit status $native"
		else
			fail "$title: native exit status $st, want $native"
		fi
	fi

	if [ $havevx = 0 ]; then
		if [ -n "$ENGINES_BROKEN" ]; then
			fail "$title: $ENGINES_ERR"
		else
			skip "$title: ${ENGINES_ERR:-build/vxhost missing}"
		fi
		continue
	fi
	for e in $ENGINES; do
		if tcgwhy "$name" "$args" "$e" >"$W/tcg"; then
			skip "$e: $title: $(cat "$W/tcg")"
		else
			vxcheck "$e"
		fi
	done
done < "$W/table"
