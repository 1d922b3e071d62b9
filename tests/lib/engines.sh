# engines.sh — sourced by every test that runs guest code: which sandbox
# engines to test, how to run a test once per engine, and how to run an
# i386 program outside the sandbox for a reference.  Source it from the
# repository root, or with $top set to it.
#
# Engines.  build/vxengines prints one line per engine the library knows:
# "NAME ok" or "NAME no: REASON".  Each test runs once per engine that
# says ok and prints one TAP skip naming the engine and its reason for
# each other.  Two knobs, for pretending and for narrowing a run:
#   VXENGINES_OVERRIDE="compat no: pretend;long ok"  replaces the lines of
#     the engines it names (";" or newlines between lines);
#   VXENGINE=NAME  tests only that engine (the others are skipped, saying
#     so); the test itself sets VXENGINE for each run it makes.
#
# References.  REF=native runs i386 programs on the host CPU, REF=qemu
# under qemu-i386; unset, native when the host executes i386 programs,
# else qemu.  The choice is exported, so nested scripts probe once.

ENG_TOP=${top:-$(pwd)}

# Translations.  vxinferno keeps them in $XDG_CACHE_HOME or $HOME by
# default; a test (and a run under it started without make, which sets
# the same) keeps them in memory only, for one vxinferno's sandboxes,
# unless VXCACHE says otherwise: a test never sees another's
# translations, nor the user's cache, and writes nothing in HOME.
# tests/vxinferno_tcache.t runs the default with its own HOME.
[ -n "${VXCACHE:-}" ] || VXCACHE=memory
export VXCACHE

# engines_load: ENGINES_ALL (every engine named, in order), ENGINES (the
# usable ones), ENGINES_ERR (why there are none at all) and ENGINES_BROKEN
# (set when that is a failure: vxengines exists but fails); engine_why NAME.
engines_load() {
	[ -n "${ENGINES_LOADED:-}" ] && return 0
	ENGINES_LOADED=1
	ENGINES_ALL=
	ENGINES=
	ENGINES_ERR=
	ENGINES_BROKEN=
	if [ ! -x "$ENG_TOP/build/vxengines" ]; then
		ENGINES_ERR="build/vxengines not built (run make)"
		return 0
	fi
	eng_lines=$("$ENG_TOP/build/vxengines") || {
		ENGINES_ERR="build/vxengines failed (exit status $?)"
		ENGINES_BROKEN=1
		return 0
	}
	if [ -n "${VXENGINES_OVERRIDE:-}" ]; then
		eng_lines=$(printf '%s\n%s\n' "$eng_lines" "$VXENGINES_OVERRIDE" | tr ';' '\n' |
			awk 'NF { if(!($1 in line)) order[n++] = $1; line[$1] = $0 }
			     END { for(i = 0; i < n; i++) print line[order[i]] }')
	fi
	eng_nl='
'
	eng_ifs=$IFS
	IFS=$eng_nl
	for eng_l in $eng_lines; do
		IFS=$eng_ifs
		eng_name=${eng_l%% *}
		case $eng_name in
		*[!a-z0-9]*|"") continue ;;
		esac
		ENGINES_ALL="$ENGINES_ALL $eng_name"
		eng_rest=${eng_l#"$eng_name"}
		eng_rest=${eng_rest# }
		if [ "$eng_rest" != ok ]; then
			eng_rest=${eng_rest#no}
			eng_rest=${eng_rest#:}
			eval "eng_why_$eng_name=\${eng_rest# }"
		elif [ -n "${VXENGINE:-}" ] && [ -z "${VXTEST_ENGINE:-}" ] && [ "$VXENGINE" != "$eng_name" ]; then
			eval "eng_why_$eng_name=\"VXENGINE=\$VXENGINE selects another engine\""
		else
			eval "eng_why_$eng_name="
			ENGINES="$ENGINES $eng_name"
		fi
	done
	IFS=$eng_ifs
	ENGINES_ALL=${ENGINES_ALL# }
	ENGINES=${ENGINES# }
	if [ -z "$ENGINES_ALL" ]; then
		ENGINES_ERR="build/vxengines names no engine"
		ENGINES_BROKEN=1
	fi
	return 0
}

# engines_none: the whole TAP of a test that has no engine list: a skip
# when vxengines is not built, a failure when it is broken.  Exits.
engines_none() {
	if [ -n "$ENGINES_BROKEN" ]; then
		echo "1..1"
		echo "not ok 1 - $ENGINES_ERR"
		exit 1
	fi
	echo "1..0 # SKIP $ENGINES_ERR"
	exit 0
}

engine_why() {
	eval "printf '%s\n' \"\${eng_why_$1:-not usable}\""
}

engine_usable() {
	case " $ENGINES " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# tap_merge ENGINE LABEL STATUS FILE: copy the TAP in FILE (one run of a
# test, exit status STATUS) into ours: numbered on from $tap_n, every
# test name prefixed with LABEL ("long: " …), its plan checked.  A plan
# of 0 with a reason becomes one skip; a run that died, broke its plan or
# failed without saying so becomes a failing test.  Updates tap_n and
# tap_fails.
tap_merge() {
	tm_state=$(mktemp "${TMPDIR:-/tmp}/tap_merge.XXXXXX") || return 1
	awk -v n="${tap_n:-0}" -v label="$2" -v status="$3" -v state="$tm_state" '
		BEGIN { fails = 0; seen = 0; plan = -1; skipall = "" }
		/^1\.\.[0-9]+/ {
			plan = $0; sub(/^1\.\./, "", plan); sub(/[^0-9].*/, "", plan); plan += 0
			if(match($0, /#[ \t]*[Ss][Kk][Ii][Pp][^ \t]*[ \t]*/))
				skipall = substr($0, RSTART + RLENGTH)
			next
		}
		/^(not )?ok([ \t]|$)/ {
			seen++; n++
			bad = ($0 ~ /^not /)
			rest = $0
			sub(/^(not )?ok[ \t]*[0-9]*[ \t]*/, "", rest)
			sub(/^-[ \t]*/, "", rest)
			if(rest ~ /^#[ \t]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])/){
				d = rest; sub(/^#[ \t]*/, "", d)
				if(match(d, /^[Ss][Kk][Ii][Pp][^ \t]*[ \t]*/))
					print (bad ? "not " : "") "ok " n " # skip " label substr(d, RLENGTH + 1)
				else
					print (bad ? "not " : "") "ok " n " - " label "# " d
			} else
				print (bad ? "not " : "") "ok " n " - " label rest
			if(bad && rest !~ /#[ \t]*[Tt][Oo][Dd][Oo]/)
				fails++
			next
		}
		/^Bail out!/ { n++; fails++; print "not ok " n " - " label $0; next }
		{ print }
		END {
			if(plan == 0 && seen == 0){
				n++
				print "ok " n " # skip " label (skipall != "" ? skipall : "nothing to test")
			} else if(plan < 0){
				n++; fails++
				print "not ok " n " - " label "no plan: the test died (exit status " status ")"
			} else if(plan != seen){
				n++; fails++
				print "not ok " n " - " label "planned " plan " tests, ran " seen " (exit status " status ")"
			}
			if(status != 0 && fails == 0){
				n++; fails++
				print "not ok " n " - " label "exit status " status
			}
			print n, fails > state
		}' "$4"
	read -r tap_n tm_f <"$tm_state"
	rm -f "$tm_state"
	tap_fails=$((${tap_fails:-0} + tm_f))
}

# per_engine SCRIPT [ARGS]: call at the top of a test script (after its
# cd).  Outside an engine run it runs SCRIPT once per usable engine, with
# VXENGINE and VXTEST_ENGINE set, prints the merged TAP with the engine in
# every name and a skip for every other engine, and exits.  Inside an
# engine run it returns at once and the script tests that engine.
per_engine() {
	[ -n "${VXTEST_ENGINE:-}" ] && return 0
	pe_script=$1
	shift
	[ -f "$pe_script" ] || pe_script=$ENG_TOP/tests/$(basename "$pe_script")
	engines_load
	ref_load
	[ -z "$ENGINES_ALL" ] && engines_none
	pe_out=$(mktemp "${TMPDIR:-/tmp}/per_engine.XXXXXX") || exit 1
	tap_n=0
	tap_fails=0
	for pe_e in $ENGINES_ALL; do
		if engine_usable "$pe_e"; then
			VXTEST_ENGINE=$pe_e VXENGINE=$pe_e sh "$pe_script" "$@" >"$pe_out"
			tap_merge "$pe_e" "$pe_e: " $? "$pe_out"
		else
			tap_n=$((tap_n + 1))
			echo "ok $tap_n # skip $pe_e: $(engine_why "$pe_e")"
		fi
	done
	rm -f "$pe_out"
	echo "1..$tap_n"
	[ "$tap_fails" -eq 0 ]
	exit
}

# --- references -----------------------------------------------------------

# ref_load: REF (native, qemu or none) and REF_WHY (a line saying why).
ref_load() {
	[ -n "${REF_WHY:-}" ] && return 0
	case ${REF:-} in
	native) REF_WHY="REF=native: the host CPU" ;;
	qemu) REF_WHY="REF=qemu: qemu-i386" ;;
	"")
		if host_runs_i386; then
			REF=native
			REF_WHY="the host CPU"
		elif command -v qemu-i386 >/dev/null 2>&1; then
			REF=qemu
			REF_WHY="qemu-i386 (this host does not execute i386 programs)"
		else
			REF=none
			REF_WHY="no reference: this host does not execute i386 programs and qemu-i386 is missing (apt-get install qemu-user)"
		fi ;;
	*)
		REF_WHY="REF=$REF: want native or qemu"
		REF=none ;;
	esac
	# Under qemu, i386 programs the reference execs (busybox re-executing
	# itself, sh running applets) must run under qemu too: through
	# binfmt_misc in a user namespace of their own where the kernel
	# allows it (tests/tools/qemuref.sh), else they fail to execute and
	# the reference is wrong for any test that execs.
	REF_QEMU=qemu-i386
	if [ "$REF" = qemu ]; then
		[ -x "$ENG_TOP/build/i386probe" ] || host_runs_i386	# only to build the probe
		unshare -Urm "$ENG_TOP/tests/tools/qemuref.sh" "$ENG_TOP/build/i386probe" >/dev/null 2>&1
		if [ $? -eq 42 ]; then
			REF_QEMU="unshare -Urm $ENG_TOP/tests/tools/qemuref.sh"
			REF_WHY="$REF_WHY, its execs of i386 programs too (binfmt_misc in a user namespace)"
		else
			REF_WHY="$REF_WHY; i386 programs it execs do not run (no binfmt_misc in a user namespace here)"
		fi
	fi
	export REF REF_WHY REF_QEMU
}

# host_runs_i386: can the kernel execute a static i386 program?  (It may
# not: PVM guests, gVisor, ia32_emulation=0.)  Probed with a program that
# only exits 42, built here when make has not.
host_runs_i386() {
	hr_p=$ENG_TOP/build/i386probe
	if [ ! -x "$hr_p" ]; then
		mkdir -p "$ENG_TOP/build"
		gcc -m32 -static -nostdlib -fno-pie -no-pie -o "$hr_p.$$" "$ENG_TOP/tests/tools/i386probe.S" 2>/dev/null &&
			mv "$hr_p.$$" "$hr_p" || return 1
	fi
	( "$hr_p" ) >/dev/null 2>&1
	[ $? -eq 42 ]
}

# cpu_tcg: is the CPU QEMU's TCG, the emulated one of
# ../shared/tools/compatvm's VM (its /proc/cpuinfo says so)?  Not the
# hardware that recordings were taken on, and it checks no segment
# limit, raises no #AC (doc/testing.md, "Linux 6.1 and the compat
# engine"): the tests that depend on it say so.
cpu_tcg() {
	grep -q '^model name.*QEMU TCG CPU' /proc/cpuinfo 2>/dev/null
}

# refrun PROG [ARGS]: run an i386 program on the reference CPU.
refrun() {
	case $REF in
	native) "$@" ;;
	qemu) timeout 300 $REF_QEMU "$@" ;;	# qemu-user can deadlock (seen: execve racing in two threads)
	*) echo "refrun: $REF_WHY" >&2; return 126 ;;
	esac
}

# refexec PROG [ARGS]: the same, in place of the calling shell (so that
# timeout(1) or a kill reaches the program itself).
refexec() {
	case $REF in
	native) exec "$@" ;;
	qemu) exec timeout 300 $REF_QEMU "$@" ;;
	*) echo "refexec: $REF_WHY" >&2; exit 126 ;;
	esac
}

# ref_failed STATUS: did the reference run itself fail — killed by a
# signal, not executable ("Exec format error", 126), not found (127) or
# timed out (124)?  Then a comparison with it proves nothing.
ref_failed() {
	[ "$1" -ge 124 ] && [ "$1" -le 127 ] && return 0
	[ "$1" -gt 128 ]
}
