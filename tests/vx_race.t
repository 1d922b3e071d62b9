#!/bin/sh
# vx_race.t — guests that race their own system calls against changes to
# their memory (tests/racy/*.c) must not crash or corrupt the host, and
# returns that race code writes must bring back what the code held, and
# a write that races a translation must not leave it running old code.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/lib/engines.sh
per_engine "$0"	# once per engine
VX=$top/bin/vxinferno
[ -x "$VX" ] || { echo "1..0 # SKIP bin/vxinferno not built"; exit 0; }
W=$(mktemp -d /tmp/vxrace.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/root/bin"
echo 1..9
i=0
# race NAME PATTERN WHAT: build tests/racy/NAME.c, run it; its output
# must match PATTERN (a case pattern) and its status be 0
race() {
	if gcc -m32 -static -O2 -pthread -o "$W/root/bin/$1" "$top/tests/racy/$1.c" 2>"$W/cc.err"; then
		echo "ok $((i + 1)) - build $1 race guest"
	else
		echo "not ok $((i + 1)) - build $1 race guest"; sed 's/^/# /' "$W/cc.err"
	fi
	out=$(timeout 60 "$VX" -r "$W/root" "$1" 2>"$W/err"); st=$?
	case "$out" in
	$2) echo "ok $((i + 2)) - $3" ;;
	*) echo "not ok $((i + 2)) - $3 (status $st)"
		printf '%s\n' "$out" | sed 's/^/# /'; sed 's/^/# /' "$W/err" ;;
	esac
	[ $st -eq 0 ] && echo "ok $((i + 3)) - $1 guest exits normally" || echo "not ok $((i + 3)) - $1 guest exits normally (status $st)"
	i=$((i + 3))
}
race unmap 'survived*' "host survives a read into a buffer unmapped meanwhile"
race retsmc ok "returns into code another thread rewrites, and into code rewritten, bring back what it held"
race codestale ok "code another thread rewrites while it is translated never runs its older bytes"
