#!/bin/sh
# vxinferno_ns.t — guests and the Inferno namespace: the extension calls
# (bind, unmount, errstr, dial, mount) from include/vxguest.h, union
# directories listed once per name, namespaces shared with children, /prog
# and /env, and a guest mounting another vxinferno's export.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_ns.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R"
if [ ! -x "$R/bin/sh" ]; then
	echo "1..0 # SKIP no busybox (mk/fetch.sh did not run)"
	exit 0
fi
for g in bind ns srv; do
	gcc -m32 -static -O1 -Iinclude -o "$R/bin/$g" "guest/$g.c" || echo "# cannot build guest/$g.c"
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
okrc $? "a guest binds (MREPL)"
$VX -r "$R" sh -c 'bind /a /mnt && bind -a /b /mnt && ls /mnt && cat /mnt/x' >"$tmp/out"
printf 'onlya\nonlyb\nx\nA\n' | cmp -s - "$tmp/out"
okrc $? "a union lists each name once, and the first member wins"
$VX -r "$R" sh -c 'bind -b /b /mnt && bind -a /a /mnt; cat /mnt/x; unmount /b /mnt && cat /mnt/x' >"$tmp/out"
printf 'B\nA\n' | cmp -s - "$tmp/out"
okrc $? "unmount takes one member out of a union"
$VX -r "$R" sh -c 'bind /a /mnt; sh -c "cat /mnt/onlya"' >"$tmp/out"
[ "$(cat "$tmp/out")" = a-only ]
okrc $? "children share the namespace"
$VX -r "$R" bind /nonexistent /mnt 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'file does not exist' "$tmp/err"
okrc $? "errstr gives the kernel's error string"
$VX -r "$R" sh -c 'ns' >"$tmp/out" 2>&1
grep -q "bind -b '#c' /dev" "$tmp/out"
okrc $? "ns prints /prog/PID/ns"
$VX -r "$R" sh -c 'bind -c /b /mnt && echo new > /mnt/created && cat /b/created' >"$tmp/out"
[ "$(cat "$tmp/out")" = new ] && [ -f "$R/b/created" ]
okrc $? "MCREATE: files created through the bind land in the host directory"
$VX -r "$R" sh -c 'echo val > /env/v; cat /env/v; ls /env' >"$tmp/out"
grep -qx val "$tmp/out" && grep -qx v "$tmp/out"
okrc $? "#e: /env holds the Inferno environment"

# A guest mounts the namespace another vxinferno exports (-x): by dial
# string over unix! and tcp! on loopback (with -N), and as a file posted
# in /srv by srv.  /bin/mount, as busybox sh would run its own applet.
S=$tmp/srvroot
mkdir -p "$S"
echo 'hello from the server' >"$S/hello"
srvpid=
stopserver() {
	[ -n "$srvpid" ] && kill "$srvpid" 2>/dev/null && wait "$srvpid" 2>/dev/null
	srvpid=
}
trap 'stopserver; rm -rf "$tmp"' EXIT INT TERM
# serve ADDR: a server in the background; 0 once a guest can mount it
serve() {
	(exec $VX -r "$S" -x "$1" >"$tmp/srv.out" 2>"$tmp/srv.err") &
	srvpid=$!
	i=0
	while [ $i -lt 100 ]; do
		timeout 20 $VX -N -r "$R" /bin/mount "$1" /mnt >/dev/null 2>"$tmp/probe.err" && return 0
		kill -0 "$srvpid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	sed 's/^/# server: /' "$tmp/srv.err"
	sed 's/^/# probe: /' "$tmp/probe.err"
	stopserver
	return 1
}
# usemount ADDR NAME: read, create, write, read back and unmount through it
usemount() {
	rm -f "$S/new"
	timeout 30 $VX -N -r "$R" sh -c "/bin/mount -c '$1' /mnt && cat /mnt/hello && echo written by $2 > /mnt/new && cat /mnt/new && unmount /mnt && ls /mnt | wc -l" >"$tmp/out" 2>&1
	printf 'hello from the server\nwritten by %s\n0\n' "$2" | cmp -s - "$tmp/out" && [ "$(cat "$S/new" 2>/dev/null)" = "written by $2" ]
	st=$?
	okrc $st "a guest mounts $2, reads, writes a new file on the server, unmounts"
	[ $st = 0 ] || sed 's/^/# /' "$tmp/out" | head -5
}

$VX -r "$R" /bin/mount "unix!$tmp/sock" /mnt 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'guests may not dial' "$tmp/err"
okrc $? "without -N a guest may not dial"
if serve "unix!$tmp/sock"; then
	usemount "unix!$tmp/sock" unix
	timeout 30 $VX -N -r "$R" sh -c "/bin/mount -c 'unix!$tmp/sock' /mnt && ns | grep ' /mnt\$'" >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = "mount -c 'unix!$tmp/sock' /mnt" ]
	okrc $? "ns shows the mount by its dial string, so the line replays"
	# every host descriptor vxinferno opens is close-on-exec: a 9P
	# client's (its wake pipe) and a program run from a mount (the
	# image cache's memfd and its copy) among them; fds this shell
	# handed down are not its own
	cp "$R/bin/busybox" "$S/busybox"
	$VX -N -r "$R" sh -c "/bin/mount 'unix!$tmp/sock' /mnt && exec /mnt/busybox sleep 4" >"$tmp/out" 2>&1 &
	vxpid=$!
	sleep 2
	leaked=
	for f in /proc/$vxpid/fdinfo/*; do
		fd=${f##*/}
		[ "$fd" -lt 3 ] || [ -e "/proc/$$/fd/$fd" ] && continue
		fl=$(awk '/^flags:/ { print $2 }' "$f" 2>/dev/null)
		[ -n "$fl" ] && [ $((0$fl & 02000000)) -eq 0 ] && leaked="$leaked $fd:$(readlink /proc/$vxpid/fd/$fd)"
	done
	[ -d /proc/$vxpid ] || echo "# vxinferno was not running"
	[ -d /proc/$vxpid ] && [ -z "$leaked" ]
	okrc $? "vxinferno's host descriptors are all close-on-exec (a 9P mount, a program run from it)"
	[ -n "$leaked" ] && echo "# not close-on-exec:$leaked"
	sed 's/^/# /' "$tmp/out" | head -3
	wait $vxpid
	stopserver
else
	okrc 1 "a server on unix!$tmp/sock"
fi
port=$((20000 + $$ % 20000))
served=1
for try in 1 2 3 4 5; do
	if serve "tcp!127.0.0.1!$port"; then served=0; break; fi
	port=$((port + 1))
done
if [ $served = 0 ]; then
	usemount "tcp!127.0.0.1!$port" tcp
	timeout 30 $VX -N -r "$R" sh -c "srv 'tcp!127.0.0.1!$port' remote && ls /srv && /bin/mount /srv/remote /mnt && cat /mnt/hello && rm /srv/remote" >"$tmp/out" 2>&1
	printf 'remote\nhello from the server\n' | cmp -s - "$tmp/out"
	okrc $? "srv posts a connection in /srv, and mount takes the file"
	stopserver
	timeout 30 $VX -N -r "$R" /bin/mount "tcp!127.0.0.1!$port" /mnt 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q 'Connection refused' "$tmp/err"
	okrc $? "a refused dial says so"
else
	okrc 1 "a server on tcp!127.0.0.1!$port"
	skip "srv posts a connection in /srv, and mount takes the file" "no server"
	skip "a refused dial says so" "no server"
fi
timeout 30 $VX -N -r "$R" /bin/mount 'udp!127.0.0.1!1' /mnt 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'unsupported network udp' "$tmp/err"
okrc $? "an unknown network is refused by name"
finish
