#!/bin/sh
# vxinferno_net.t — sockets over the namespace's /net (#I): the test
# guest's TCP, UDP, socketpair, AF_UNIX and non-blocking checks, the
# same natively and as a guest; busybox wget and nc against a host
# server; host curl against busybox httpd in a guest; a guest without
# /net gets a clean error and cannot attach #I itself; a guest whose
# /net is another vxinferno's, mounted over 9P, reaches a host server
# through it.  Loopback only.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_net.t.XXXXXX") || exit 1
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_net

# port numbers for this run: different per engine and per test process
base=$((20000 + ($$ * 7) % 30000))
hp=$base	# the host http server
gp=$((base + 1))	# httpd in a guest
xp=$((base + 2))	# vxinferno -x
# waitport PORT: 0 once something accepts on 127.0.0.1:PORT
waitport() {
	python3 - "$1" <<'EOF'
import socket, sys, time
for i in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
}

# 1. the test guest, natively and with -N
(cd "$R" && refrun ./bin/guest_net; echo "status $?") >"$tmp/native" 2>&1
timeout -k 5 60 $VX -N -r "$R" guest_net >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "tcp, udp, socketpair, unix, non-blocking connect and poll: as natively" "$tmp/native" "$tmp/guest"
grep -qx 'all ok' "$tmp/guest"
okrc $? "every check of the test guest passed"

# 2. no network: without -N /net holds only unix (local to the kernel)
timeout -k 5 30 $VX -r "$R" guest_net nonet >"$tmp/out" 2>&1
st=$?
[ $st -eq 0 ] && [ "$(grep -c '^ok no /net' "$tmp/out")" -eq 2 ] && grep -qx 'all ok' "$tmp/out"
okrc $? "without -N socket(AF_INET/AF_INET6) fails EAFNOSUPPORT; socketpair and AF_UNIX work"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/out"
timeout -k 5 30 $VX sh -c "bind '#I' /net" >"$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q 'attach disallowed' "$tmp/out"
okrc $? "a guest cannot attach #I itself (/bin/bind of the default root)"
timeout -k 5 30 $VX -r "$R" ls /net >"$tmp/out" 2>&1
[ $? -eq 0 ] && printf 'unix\n' | cmp -s - "$tmp/out"
okrc $? "without -N /net has only unix"
timeout -k 5 30 $VX sh -c "bind '#Iunix' /tmp" >"$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q 'attach disallowed' "$tmp/out"
okrc $? "nor '#Iunix'"
timeout -k 5 30 $VX -b '#I:/net' -r "$R" ls /net >"$tmp/out" 2>&1
printf 'cs\ntcp\nudp\nunix\n' | cmp -s - "$tmp/out"
okrc $? "-b '#I:/net' gives a guest the network"
echo "bind '#I' /net" >"$tmp/net.ns"
timeout -k 5 30 $VX -n "$tmp/net.ns" -r "$R" ls /net/tcp >"$tmp/out" 2>&1
grep -qx clone "$tmp/out"
okrc $? "so does a namespace file"

# 3. busybox against a host server, and host curl against busybox httpd
if [ ! -x "$R/bin/wget" ]; then
	skip "busybox wget, nc, httpd" "busybox not fetched"
elif ! command -v python3 >/dev/null 2>&1; then
	skip "busybox wget, nc, httpd" "no python3 for the host server"
else
	mkdir -p "$tmp/www"
	echo "hello from the host" >"$tmp/www/hello.txt"
	(cd "$tmp/www" && exec python3 -m http.server --bind 127.0.0.1 "$hp" >/dev/null 2>&1) &
	pids="$pids $!"
	if waitport "$hp"; then
		timeout -k 5 30 $VX -N -r "$R" wget -q -O - "http://127.0.0.1:$hp/hello.txt" >"$tmp/out" 2>&1
		echo "hello from the host" | cmp -s - "$tmp/out"
		okrc $? "busybox wget in a guest fetches from a host server"
		printf 'GET /hello.txt HTTP/1.0\r\n\r\n' | timeout -k 5 30 $VX -N -r "$R" nc 127.0.0.1 "$hp" >"$tmp/out" 2>&1
		head -1 "$tmp/out" | grep -q '200' && tail -1 "$tmp/out" | grep -qx 'hello from the host'
		okrc $? "busybox nc in a guest talks HTTP to a host server"
		if [ -f build/root/etc/hosts ]; then
			timeout -k 5 30 $VX -N wget -q -O - "http://localhost:$hp/hello.txt" >"$tmp/out" 2>&1
			echo "hello from the host" | cmp -s - "$tmp/out"
			okrc $? "a guest resolves localhost (the default root's /etc/hosts)"
		else
			skip "a guest resolves localhost" "no build/root/etc/hosts"
		fi
		timeout -k 5 30 $VX -r "$R" wget -q -O - "http://127.0.0.1:$hp/hello.txt" >"$tmp/out" 2>&1
		[ $? -ne 0 ] && grep -q 'Address family not supported' "$tmp/out"
		okrc $? "without /net busybox wget fails cleanly"
	else
		okrc 1 "a host http server on $hp"
	fi
	if command -v curl >/dev/null 2>&1; then
		mkdir -p "$R/www"
		echo "served by the guest" >"$R/www/index.html"
		timeout -k 5 60 $VX -N -r "$R" httpd -f -p "127.0.0.1:$gp" -h /www >/dev/null 2>&1 &
		pids="$pids $!"
		if waitport "$gp"; then
			curl -s --max-time 20 "http://127.0.0.1:$gp/index.html" >"$tmp/out" 2>&1 &&
				curl -s --max-time 20 "http://127.0.0.1:$gp/index.html" >>"$tmp/out" 2>&1
			printf 'served by the guest\nserved by the guest\n' | cmp -s - "$tmp/out"
			okrc $? "host curl gets a page twice from busybox httpd in a guest"
		else
			okrc 1 "busybox httpd in a guest listens on $gp"
		fi
	else
		skip "host curl against busybox httpd in a guest" "no curl"
	fi
fi

# 4. a remote /net: another vxinferno (-N -x) exports its namespace; a
# guest with no network of its own mounts it and binds its /net
if [ -x "$R/bin/wget" ] && command -v python3 >/dev/null 2>&1; then
	(exec $VX -N -r "$R" -x "tcp!127.0.0.1!$xp" >/dev/null 2>"$tmp/x.err") &
	xpid=$!
	pids="$pids $xpid"
	if waitport "$xp"; then
		printf 'mount -c tcp!127.0.0.1!%s /n\nbind /n/net /net\n' "$xp" >"$tmp/remote.ns"
		timeout -k 5 30 $VX -n "$tmp/remote.ns" -r "$R" wget -q -O - "http://127.0.0.1:$hp/hello.txt" >"$tmp/out" 2>&1
		echo "hello from the host" | cmp -s - "$tmp/out"
		okrc $? "a guest reaches a host server through a /net mounted over 9P"
		[ -s "$tmp/out" ] && ! grep -q hello "$tmp/out" && sed 's/^/# /' "$tmp/out" | head -5
		# a conversation of this run's own (its connection is a sandbox
		# of the exporter's: it sees none of the wget's, another's)
		timeout -k 5 30 $VX -n "$tmp/remote.ns" -r "$R" sh -c 'exec 3<>/net/tcp/clone; ls /net/tcp' >"$tmp/out" 2>&1
		grep -qx '[0-9]*' "$tmp/out"
		okrc $? "the conversation was made in the exporting vxinferno's #I"
		rm -f "$R/tmp/held" "$R/tmp/done"
		timeout -k 5 30 $VX -n "$tmp/remote.ns" -r "$R" sh -c 'exec 3<>/net/tcp/clone; : >/tmp/held; while [ ! -e /tmp/done ]; do sleep 0.1; done' >/dev/null 2>&1 &
		hold=$!
		for i in $(seq 100); do [ -e "$R/tmp/held" ] && break; sleep 0.1; done
		seen=$(timeout -k 5 30 $VX -n "$tmp/remote.ns" -r "$R" ls /net/tcp 2>&1)
		: >"$R/tmp/done"
		wait "$hold"
		[ -e "$R/tmp/held" ] && ! printf '%s\n' "$seen" | grep -qx '[0-9][0-9]*'
		okrc $? "another caller of the export sees none of them"
		echo "# listed:" $seen
		kill "$xpid" 2>/dev/null
		wait "$xpid" 2>/dev/null
		timeout -k 5 30 $VX -n "$tmp/remote.ns" -r "$R" true >"$tmp/out" 2>&1
		[ $? -ne 0 ]
		okrc $? "with the exporter gone there is no such /net"
	else
		okrc 1 "vxinferno -N -x on $xp"
		sed 's/^/# /' "$tmp/x.err"
	fi
else
	skip "a remote /net over 9P" "needs busybox and the host server"
fi
finish
