#!/bin/sh
# vxinferno_ns.t — guests and the Inferno namespace: the extension calls
# (bind, unmount, errstr) from guest/vxinferno.h, union directories listed
# once per name, namespaces shared with children, /prog and /env.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_ns.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R"
if [ ! -x "$R/bin/sh" ]; then
	echo "1..0 # SKIP no busybox (mk/fetch.sh did not run)"
	exit 0
fi
for g in bind ns; do
	gcc -m32 -static -O1 -Iguest -o "$R/bin/$g" "guest/$g.c" || echo "# cannot build guest/$g.c"
done
ln -f "$R/bin/bind" "$R/bin/mount"
ln -f "$R/bin/bind" "$R/bin/unmount"
mkdir -p "$R/a" "$R/b" "$R/mnt"
echo A >"$R/a/x"
echo a-only >"$R/a/onlya"
echo B >"$R/b/x"
echo b-only >"$R/b/onlyb"

$VX -r "$R" sh -c 'bind /a /mnt && cat /mnt/x' >"$tmp/out"
[ "$(cat "$tmp/out")" = A ]
ok $? "a guest binds (MREPL)"
$VX -r "$R" sh -c 'bind /a /mnt && bind -a /b /mnt && ls /mnt && cat /mnt/x' >"$tmp/out"
printf 'onlya\nonlyb\nx\nA\n' | cmp -s - "$tmp/out"
ok $? "a union lists each name once, and the first member wins"
$VX -r "$R" sh -c 'bind -b /b /mnt && bind -a /a /mnt; cat /mnt/x; unmount /b /mnt && cat /mnt/x' >"$tmp/out"
printf 'B\nA\n' | cmp -s - "$tmp/out"
ok $? "unmount takes one member out of a union"
$VX -r "$R" sh -c 'bind /a /mnt; sh -c "cat /mnt/onlya"' >"$tmp/out"
[ "$(cat "$tmp/out")" = a-only ]
ok $? "children share the namespace"
$VX -r "$R" bind /nonexistent /mnt 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'file does not exist' "$tmp/err"
ok $? "errstr gives the kernel's error string"
$VX -r "$R" sh -c 'ns' >"$tmp/out" 2>&1
grep -q "bind -b '#c' /dev" "$tmp/out"
ok $? "ns prints /prog/PID/ns"
$VX -r "$R" sh -c 'bind -c /b /mnt && echo new > /mnt/created && cat /b/created' >"$tmp/out"
[ "$(cat "$tmp/out")" = new ] && [ -f "$R/b/created" ]
ok $? "MCREATE: files created through the bind land in the host directory"
$VX -r "$R" sh -c 'echo val > /env/v; cat /env/v; ls /env' >"$tmp/out"
grep -qx val "$tmp/out" && grep -qx v "$tmp/out"
ok $? "#e: /env holds the Inferno environment"
$VX -r "$R" sh -c 'mount /a/x /mnt' >/dev/null 2>"$tmp/err"
if grep -q 'no mount driver' "$tmp/err"; then
	skip "a guest mounts a 9P server" "the kernel has no mount driver yet (devmnt, the Styx issue)"
else
	skip "a guest mounts a 9P server" "no 9P server guest yet"
fi
finish
