#!/bin/sh
# vx_race.t — guests that race their own system calls against changes to
# their memory (tests/racy/*.c) must not crash or corrupt the host, and
# returns that race code writes must bring back what the code held.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/lib/engines.sh
per_engine "$0"	# once per engine
VX=$top/bin/vxinferno
[ -x "$VX" ] || { echo "1..0 # SKIP bin/vxinferno not built"; exit 0; }
W=$(mktemp -d /tmp/vxrace.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/root/bin"
echo 1..6
if gcc -m32 -static -O2 -pthread -o "$W/root/bin/unmap" "$top/tests/racy/unmap.c" 2>"$W/cc.err"; then
	echo "ok 1 - build unmap race guest"
else
	echo "not ok 1 - build unmap race guest"; sed 's/^/# /' "$W/cc.err"
fi
out=$(timeout 60 "$VX" -r "$W/root" unmap 2>"$W/err"); st=$?
case "$out" in
survived*) echo "ok 2 - host survives a read into a buffer unmapped meanwhile" ;;
*) echo "not ok 2 - host survives a read into a buffer unmapped meanwhile (status $st)"; sed 's/^/# /' "$W/err" ;;
esac
[ $st -eq 0 ] && echo "ok 3 - guest exits normally" || echo "not ok 3 - guest exits normally (status $st)"
if gcc -m32 -static -O2 -pthread -o "$W/root/bin/retsmc" "$top/tests/racy/retsmc.c" 2>"$W/cc.err"; then
	echo "ok 4 - build return race guest"
else
	echo "not ok 4 - build return race guest"; sed 's/^/# /' "$W/cc.err"
fi
out=$(timeout 60 "$VX" -r "$W/root" retsmc 2>"$W/err"); st=$?
case "$out" in
ok) echo "ok 5 - returns into code another thread rewrites, and into code rewritten, bring back what it held" ;;
*) echo "not ok 5 - returns into code another thread rewrites, and into code rewritten, bring back what it held (status $st)"
	printf '%s\n' "$out" | sed 's/^/# /'; sed 's/^/# /' "$W/err" ;;
esac
[ $st -eq 0 ] && echo "ok 6 - return race guest exits normally" || echo "not ok 6 - return race guest exits normally (status $st)"
