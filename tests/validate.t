#!/bin/sh
# validate.t — the long engine's validator (libvx/validate.c) on random and
# mutated code, built alone with ASan and UBSan: never a crash, never a
# read past the input, always a reason.  VALIDATE_FUZZ=N sets the count
# (default 1000000, about 2 s).  Then guest code the validator must
# accept: x87env (fnstenv, fnsave, fxsave: fpuclean's state block
# accesses) and jtab (jump-table slices) under VXVALIDATE=1 print what
# they print without.
top=$(cd "$(dirname "$0")/.." && pwd)
n=${VALIDATE_FUZZ:-1000000}

# guests: tests 3 and 4, the long engine's own code validated: for the
# x87 images, and jump-table slices (jtab, translong.c's jtsite)
guest() {
	k=$1
	g=$top/build/guest/$2.O2
	if [ ! -x "$top/build/vxhost" ] || [ ! -x "$g" ] || ! "$top/build/vxengines" 2>/dev/null | grep -q '^long ok'; then
		echo "ok $k # skip no long engine, build/vxhost or $g"
		return
	fi
	VXENGINE=long timeout 60 "$top/build/vxhost" "$g" >"$W/plain" 2>&1 </dev/null; a=$?
	VXENGINE=long VXVALIDATE=1 timeout 60 "$top/build/vxhost" "$g" >"$W/valid" 2>&1 </dev/null; b=$?
	if [ $a -eq 0 ] && [ $b -eq 0 ] && cmp -s "$W/plain" "$W/valid"; then
		echo "ok $k - $2 under VXVALIDATE=1: as without"
	else
		echo "not ok $k - $2 under VXVALIDATE=1: as without (status $a, $b)"
		diff "$W/plain" "$W/valid" | head -10 | sed 's/^/# /'
	fi
}
guests() {
	guest 3 x87env
	guest 4 jtab
}
W=$(mktemp -d /tmp/validate.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
echo "1..4"
if ! cc -std=c11 -O1 -g -D_GNU_SOURCE -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$top/include" -I"$top/libvx" -o "$W/fuzz" \
	"$top/tests/validate/fuzz.c" "$top/libvx/validate.c" 2>"$W/err"; then
	if grep -q -i 'sanitize\|asan' "$W/err"; then
		echo "ok 1 # skip no ASan on this host"
		echo "ok 2 # skip no ASan on this host"
		guests
		exit 0
	fi
	sed 's/^/# /' "$W/err"
	echo "not ok 1 - fuzz driver builds"
	echo "not ok 2 - fuzz run"
	guests
	exit 0
fi
echo "ok 1 - fuzz driver builds with ASan and UBSan"
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
if ASAN_OPTIONS=detect_leaks=1 "$W/fuzz" "$n" "$seed" >"$W/out" 2>&1; then
	echo "ok 2 - $(cat "$W/out") (seed $seed)"
else
	sed 's/^/# /' "$W/out" | head -40
	echo "not ok 2 - fuzz run crashed or gave no reason (seed $seed)"
fi
guests
