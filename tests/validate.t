#!/bin/sh
# validate.t — the long engine's validator (libvx/validate.c) on random and
# mutated code, built alone with ASan and UBSan: never a crash, never a
# read past the input, always a reason.  VALIDATE_FUZZ=N sets the count
# (default 1000000, about 2 s).
top=$(cd "$(dirname "$0")/.." && pwd)
n=${VALIDATE_FUZZ:-1000000}
W=$(mktemp -d /tmp/validate.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
echo "1..2"
if ! cc -std=c11 -O1 -g -D_GNU_SOURCE -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$top/include" -I"$top/libvx" -o "$W/fuzz" \
	"$top/tests/validate/fuzz.c" "$top/libvx/validate.c" 2>"$W/err"; then
	if grep -q -i 'sanitize\|asan' "$W/err"; then
		echo "ok 1 # skip no ASan on this host"
		echo "ok 2 # skip no ASan on this host"
		exit 0
	fi
	sed 's/^/# /' "$W/err"
	echo "not ok 1 - fuzz driver builds"
	echo "not ok 2 - fuzz run"
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
