#!/bin/sh
# styx_vx.t — two vxinferno processes: one exports its namespace with -x
# (unix socket, then TCP on loopback), the other mounts it from a
# namespace file and runs busybox against it: cat, ls, echo > file, rm,
# stat, mkdir, mv, truncation, rename onto an existing name (files,
# directories, and put back when the rename fails).  Also -x beside a
# program, a server killed under a client, and a second vxinferno
# mounting the first's export while the first is itself a client; what
# a client finds in the server's /proc and /prog (none of its guests or
# procs).  Every server is killed at the end.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
if [ ! -x "$BB" ]; then
	echo "1..0 # SKIP no busybox (mk/fetch.sh did not run)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/styx_vx.t.XXXXXX") || exit 1
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
S=$tmp/srvroot
R=$tmp/cliroot
mkroot "$S"
mkdir -p "$S/export/sub" "$S/tmp"
mkroot "$R" guest_getdents
ABB=$(pwd)/$BB
mkdir -p "$R/mnt"
echo 'hello from the server' >"$S/export/hello"
seq 1 5000 >"$S/export/nums"
echo deep >"$S/export/sub/deep"

# serve ADDR [program…]: start a server in the background (with
# $SRVFLAGS), wait until it answers
serve() {
	a=$1
	shift
	(exec $VX -r "$S" $SRVFLAGS -x "$a" "$@" >"$tmp/srv.out" 2>"$tmp/srv.err") &
	srvpid=$!
	pids="$pids $srvpid"
	i=0
	echo "mount $a /mnt" >"$tmp/probe.ns"
	while [ $i -lt 200 ]; do
		if timeout 20 $VX -r "$R" -n "$tmp/probe.ns" cat /mnt/export/hello >/dev/null 2>"$tmp/probe.err"; then
			return 0
		fi
		kill -0 $srvpid 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	sed 's/^/# server: /' "$tmp/srv.err"
	sed 's/^/# probe: /' "$tmp/probe.err"
	return 1
}

# guest ADDR CMD: run CMD in a client with ADDR mounted on /mnt; the
# namespace file is written once per address, as clients run at once
guest() {
	nsf=$tmp/ns-$(echo "$1" | tr -c 'a-zA-Z0-9\n' _)
	[ -f "$nsf" ] || { echo "mount $1 /mnt" >"$nsf.new" && mv "$nsf.new" "$nsf"; }
	timeout 60 $VX -r "$R" -n "$nsf" sh -c "$2"
}

session() {	# the file operations, over address $1 ($2 names it)
	a=$1
	w=$2
	guest "$a" 'cat /mnt/export/hello' >"$tmp/out" 2>&1
	echo 'hello from the server' | cmp -s - "$tmp/out"
	okrc $? "$w: cat a file of the other process"
	guest "$a" 'cd /mnt/export && ls' >"$tmp/out" 2>&1
	(cd "$S/export" && refrun "$ABB" ls) | cmp -s - "$tmp/out"
	okrc $? "$w: ls lists the exported directory"
	# a directory read's qids are a walk's (doc/styx.md): through devmnt
	# a guest's getdents d_ino is the st_ino stat gives (the listing
	# gave the server devices' own paths)
	guest "$a" 'guest_getdents /mnt/export; guest_getdents /mnt' >"$tmp/out" 2>&1
	grep -q 'ino-same' "$tmp/out" && ! grep -q 'ino-differs' "$tmp/out"
	okrc $? "$w: getdents' d_ino through the mount is stat's st_ino, in a #U directory and in the server's / (a union of mount points)"
	grep 'ino-differs' "$tmp/out" | head -5 | sed 's/^/# /'
	guest "$a" 'echo written by the client > /mnt/export/new && cat /mnt/export/new' >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = "written by the client" ] && [ "$(cat "$S/export/new")" = "written by the client" ]
	okrc $? "$w: echo > file creates it on the server's host"
	guest "$a" 'echo more >> /mnt/export/new; wc -l < /mnt/export/new' >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = 2 ] && [ "$(tail -1 "$S/export/new")" = more ]
	okrc $? "$w: append"
	guest "$a" 'stat -c "%n %s" /mnt/export/nums' >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = "/mnt/export/nums $(wc -c <"$S/export/nums")" ]
	okrc $? "$w: stat gives the size"
	guest "$a" 'md5sum < /mnt/export/nums' >"$tmp/out" 2>&1
	refrun "$ABB" md5sum < "$S/export/nums" | cmp -s - "$tmp/out"
	okrc $? "$w: a multi-message file reads back exactly"
	guest "$a" 'mkdir /mnt/export/dir && mv /mnt/export/new /mnt/export/dir/moved 2>/dev/null || cp /mnt/export/new /mnt/export/dir/moved && rm -f /mnt/export/new; ls /mnt/export/dir' >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = moved ] && [ -f "$S/export/dir/moved" ] && [ ! -e "$S/export/new" ]
	okrc $? "$w: mkdir, move and rm"
	guest "$a" 'rm -r /mnt/export/dir && ls /mnt/export' >"$tmp/out" 2>&1
	[ ! -e "$S/export/dir" ]
	okrc $? "$w: rm -r a directory"
	guest "$a" 'cat /mnt/export/sub/../hello' >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = 'hello from the server' ]
	okrc $? "$w: .. inside the mount"
	guest "$a" 'cat /mnt/export/nonesuch' >"$tmp/out" 2>&1
	[ $? -ne 0 ] && grep -qi 'no such file' "$tmp/out"
	okrc $? "$w: a missing file is ENOENT"
}

if serve "unix!$tmp/sock"; then
	okrc 0 "vxinferno -x unix!… serves"
	session "unix!$tmp/sock" unix
	# four clients at once, each its own file
	cpids=
	for c in 1 2 3 4; do
		guest "unix!$tmp/sock" "i=0; while [ \$i -lt 20 ]; do echo c$c \$i > /mnt/tmp/c$c; cat /mnt/tmp/c$c; i=\$((i+1)); done" >"$tmp/c$c.out" 2>&1 &
		cpids="$cpids $!"
	done
	i=0	# bounded: each client gives up after 60 s anyway
	while [ $i -lt 700 ]; do
		alive=0
		for p in $cpids; do kill -0 $p 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	good=0
	for c in 1 2 3 4; do
		[ "$(wc -l <"$tmp/c$c.out")" = 20 ] && [ "$(tail -1 "$tmp/c$c.out")" = "c$c 19" ] && good=$((good + 1))
	done
	[ $good = 4 ]
	okrc $? "four concurrent clients"
	[ $good = 4 ] || for c in 1 2 3 4; do tail -3 "$tmp/c$c.out" | sed "s/^/# c$c: /"; done
	kill "$srvpid"
	wait "$srvpid" 2>/dev/null
	! kill -0 "$srvpid" 2>/dev/null
	okrc $? "the server ends on SIGTERM"
else
	okrc 1 "vxinferno -x unix!… serves"
fi

port=$((20000 + $$ % 20000))
served=1
for try in 1 2 3 4 5; do
	if serve "tcp!127.0.0.1!$port"; then served=0; break; fi
	port=$((port + 1))
done
okrc $served "vxinferno -x tcp!127.0.0.1!$port serves"
if [ $served = 0 ]; then
	session "tcp!127.0.0.1!$port" tcp
	# the server dies under a client in the middle of its reads: killed
	# once the client says its reads have begun (not at a guessed time:
	# a client slow to start found no server)
	: >"$tmp/out"
	guest "tcp!127.0.0.1!$port" 'n=0; while cat /mnt/export/nums > /dev/null; do [ $n = 1 ] || echo reading; n=1; done; echo client saw the failure' >"$tmp/out" 2>&1 &
	cli=$!
	i=0
	until grep -q '^reading$' "$tmp/out" || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$srvpid"
	i=0
	while kill -0 $cli 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	! kill -0 $cli 2>/dev/null && grep -q '^reading$' "$tmp/out" && grep -q 'client saw the failure' "$tmp/out"
	okrc $? "a server killed mid-read: the client's cat fails and the client goes on"
	kill -9 $cli 2>/dev/null
fi

# rename onto an existing name over 9P (doc/styx.md): our server, as
# Plan 9's, refuses a wstat onto a name that exists; the client renames
# the target aside and puts it back if the rename then fails.  /u is a
# union on the server: a read-only tree under a writable one, so a
# rename of the read-only tree's a onto the writable one's b fails
# after b was out of the way (b was removed first: it was lost)
mkdir -p "$tmp/rodir" "$tmp/rwdir" "$S/u"
echo source >"$tmp/rodir/a"
echo kept >"$tmp/rwdir/b"
SRVFLAGS="-b $tmp/rodir:/u:ro -B $tmp/rwdir:/u:rw"
if serve "unix!$tmp/sock3"; then
	guest "unix!$tmp/sock3" 'cd /mnt/export && echo old > t && exec 3<t && echo new > n && mv n t && cat t && cat <&3 && ls -a | grep -c vxrename' >"$tmp/out" 2>&1
	printf 'new\nold\n0\n' | cmp -s - "$tmp/out" && [ "$(cat "$S/export/t")" = new ] && [ ! -e "$S/export/n" ]
	rc=$?
	okrc $rc "rename onto an existing name over 9P: replaced, the old file still read through an fd, no name of ours left"
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/out"
	guest "unix!$tmp/sock3" 'cd /mnt/export && mkdir d1 d2 d3 d4 && echo f > d1/f && echo x > d3/x && echo y > d4/y && mv -T d1 d2 && cat d2/f; ls d1 2>/dev/null || echo d1 gone; mv -T d3 d4 2>/dev/null || echo refused; cat d3/x d4/y' >"$tmp/out" 2>&1
	printf 'f\nd1 gone\nrefused\nx\ny\n' | cmp -s - "$tmp/out"
	rc=$?
	okrc $rc "over 9P a directory replaces an empty one, not one with files (both kept)"
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/out"
	guest "unix!$tmp/sock3" 'mv /mnt/u/a /mnt/u/b 2>/dev/null || echo refused; cat /mnt/u/b /mnt/u/a; ls -a /mnt/u | grep -c vxrename' >"$tmp/out" 2>&1
	printf 'refused\nkept\nsource\n0\n' | cmp -s - "$tmp/out" && [ "$(cat "$tmp/rwdir/b")" = kept ]
	rc=$?
	okrc $rc "a rename over 9P that fails once its target is out of the way: the target is put back"
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/out"
	kill "$srvpid"
	wait "$srvpid" 2>/dev/null
else
	okrc 1 "a server with a union of a read-only and a writable tree"
fi
SRVFLAGS=

# -x beside a program: serves while the program runs, then exits with it
# (the program runs until the test has been served and says go, 60 s at most)
rm -f "$S/tmp/go" "$S/tmp/ran"
if serve "unix!$tmp/sock2" sh -c 'i=0; while [ ! -e /tmp/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; echo done > /tmp/ran; exit 7'; then
	guest "unix!$tmp/sock2" 'cat /mnt/export/hello' >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = 'hello from the server' ] && [ ! -e "$S/tmp/ran" ]
	okrc $? "-x beside a program serves while it runs"
	# a client is a sandbox of its own: the server's guests (sh, sleep)
	# are not in its /proc, nor the server's procs in its /prog
	guest "unix!$tmp/sock2" 'ls /mnt/proc | grep -c "^[0-9]"; ls /mnt/prog | wc -l; for d in /mnt/prog/*; do cat $d/status; done' >"$tmp/out" 2>&1
	[ "$(sed -n 1p "$tmp/out")" = 0 ]
	okrc $? "a client's /proc shows none of the server's guests ($(sed -n 1p "$tmp/out") processes)"
	[ "$(sed -n 2p "$tmp/out")" -gt 0 ] && ! sed 1,2d "$tmp/out" | grep -v ' export$\| exportwork$' | sed 's/^/# sees /' | grep .
	okrc $? "its /prog shows only its connection's export procs ($(sed -n 2p "$tmp/out") of them)"
	: >"$S/tmp/go"
	wait "$srvpid"
	st=$?
	[ $st = 7 ] && [ "$(cat "$S/tmp/ran")" = done ]
	okrc $? "and vxinferno exits with the program's status ($st)"
else
	okrc 1 "-x beside a program serves while it runs"
	skip "a client's /proc shows none of the server's guests" "no server"
	skip "its /prog shows only its connection's export procs" "no server"
	skip "and vxinferno exits with the program's status" "no server"
fi
finish
