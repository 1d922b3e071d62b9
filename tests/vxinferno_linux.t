#!/bin/sh
# vxinferno_linux.t — what Linux programs expect beyond files, checked
# with busybox (no Debian root needed): /proc served by #L from the
# guests' own state, links in it, hostile names, and errnos that used
# to be lost (EPERM, ENOTEMPTY, ELOOP …) against the same busybox run
# natively on the same tree.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
if [ ! -x "$BB" ]; then
	echo "1..0 # SKIP no busybox (mk/fetch.sh did not run)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_linux.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R"
vx() { timeout 60 $VX -r "$R" sh -c "$1" >"$tmp/out" 2>&1; echo "status $?" >>"$tmp/out"; }
want() { printf '%s\n' "$@" >"$tmp/want"; }

vx 'echo $$ > /tmp/pid; grep -E "^(Pid|PPid|Tgid)" /proc/self/status; cat /proc/$(cat /tmp/pid)/comm'
pid=$(cat "$R/tmp/pid")
want "Tgid:	$((pid + 1))" "Pid:	$((pid + 1))" "PPid:	$pid" sh "status 0"
same "/proc/self is the reader's, /proc/PID another's" "$tmp/want" "$tmp/out"

vx 'readlink /proc/self/exe | grep -q "^/bin/" && echo exe; exec 5>/tmp/w; readlink /proc/self/fd/5; ls /proc/self/fd | grep -qx 5 && echo fd5; cat /proc/sys/kernel/ngroups_max'
want exe /tmp/w fd5 65536 "status 0"
same "links: exe and fd/N; the fd listing" "$tmp/want" "$tmp/out"

vx 'cd /tmp && readlink /proc/self/cwd; cd / && readlink /proc/self/cwd; ls /proc/self | grep -qx cwd && echo listed; readlink /proc/1/cwd || echo none of another'
want /tmp / listed "none of another" "status 0"
same "link: cwd, the reader's own" "$tmp/want" "$tmp/out"

# MemTotal is the sandbox's memory (-M), as a container's is its cgroup's
vx() { timeout 60 $VX -r "$R" -M 300 sh -c "$1" >"$tmp/out" 2>&1; echo "status $?" >>"$tmp/out"; }
vx 'set -- $(cat /proc/self/stat); echo $1 $3; grep -c "^processor" /proc/cpuinfo >/dev/null && echo cpuinfo; grep -q "^MemTotal: *307200 kB" /proc/meminfo && echo meminfo; grep -q "\[stack\]" /proc/self/maps && echo maps; ls /proc | grep -qx self && echo listed'
pid=$(sed -n '1s/ .*//p' "$tmp/out")
want "$pid R" cpuinfo meminfo maps listed "status 0"
same "stat, cpuinfo, meminfo (-M 300), maps, the top" "$tmp/want" "$tmp/out"
vx() { timeout 60 $VX -r "$R" sh -c "$1" >"$tmp/out" 2>&1; echo "status $?" >>"$tmp/out"; }

# the CPUs a guest is given are those vxinferno may run on (taskset: 1),
# and every place says the same number: nproc (sched_getaffinity),
# cpuinfo, stat's cpuN lines, status's Cpus_allowed_list (before: the
# host's every CPU whatever the affinity)
cpus='echo $(nproc) $(grep -c "^processor" /proc/cpuinfo) $(grep -c "^cpu[0-9]" /proc/stat) $(sed -n "s/^Cpus_allowed_list:.*-//p" /proc/self/status)'
ncpus=$(nproc)
vx "$cpus"
want "$ncpus $ncpus $ncpus $((ncpus - 1))" "status 0"
same "CPUs: nproc, cpuinfo, stat, Cpus_allowed_list agree with the host's affinity ($ncpus)" "$tmp/want" "$tmp/out"
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	timeout 60 taskset -c 0 $VX -r "$R" sh -c "$cpus" >"$tmp/out" 2>&1
	echo "status $?" >>"$tmp/out"
	want "1 1 1 0" "status 0"
	same "CPUs under taskset -c 0: one everywhere" "$tmp/want" "$tmp/out"
else
	skip "CPUs under taskset -c 0: one everywhere" "no taskset"
fi
# /proc/stat's times are the sandbox's: a sleeping guest's CPUs are idle
# (before: idle was always 0, so top saw them busy), a busy one's user
# time grows by about what it used.  The sleep's own start (a fork, an
# exec) is user time too: under 20 ticks, or under an emulator (QEMU's
# TCG, 7-8 times slower, took 20 or more) less than the busy loop's
vx 'set -- $(head -1 /proc/stat); u0=$2 i0=$5; sleep 1; set -- $(head -1 /proc/stat); u1=$2 i1=$5
i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; set -- $(head -1 /proc/stat); u2=$2
echo idle $((i1 - i0 >= 50)) user $((u1 - u0 < 20 || u1 - u0 < u2 - u1)) $((u2 - u1 >= 10))'
want "idle 1 user 1 1" "status 0"
same "/proc/stat: the sandbox's own CPU time, idle while it sleeps" "$tmp/want" "$tmp/out"

vx 'for f in /proc/99999/status /proc/self/fd/-1 /proc/self/fd/99999999999999999999 /proc/self/fd/7 /proc/self/../../x "/proc/self/fd/0/x" /proc/0 /proc/+1; do cat "$f" >/dev/null 2>&1 || echo "no $f"; done; echo x 2>/dev/null > /proc/meminfo || echo ro; rm /proc/meminfo 2>/dev/null || echo nrm; mkdir /proc/x 2>/dev/null || echo nmk'
want "no /proc/99999/status" "no /proc/self/fd/-1" "no /proc/self/fd/99999999999999999999" "no /proc/self/fd/7" \
	"no /proc/self/../../x" "no /proc/self/fd/0/x" "no /proc/0" "no /proc/+1"
sed -n '1,8p' "$tmp/out" >"$tmp/out8"
same "bad names under /proc fail cleanly" "$tmp/want" "$tmp/out8"
grep -q '^ro$' "$tmp/out" && grep -q '^nrm$' "$tmp/out" && grep -q '^nmk$' "$tmp/out"
okrc $? "/proc is read-only"

# errnos by busybox's own messages, against the same commands natively
D=$R/d
mkdir -p "$D/full/sub" "$D/e"
echo x >"$D/f"
ln -s loop2 "$D/loop1" && ln -s loop1 "$D/loop2"
ABB=$(cd "$(dirname "$BB")" && pwd)/busybox
errcheck_abs() {
	(cd "$D" && refrun "$ABB" sh -c "$1") >"$tmp/native" 2>&1
	echo "status $?" >>"$tmp/native"
	timeout 60 $VX -r "$R" sh -c "cd /d && $1" >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "$2" "$tmp/native" "$tmp/guest"
}
# VXPERFMAP=1: perf's map of the code cache, one line per fragment,
# naming guest addresses (busybox's entry point among them)
timeout 60 sh -c 'echo $$ >"$1"; shift; exec env VXPERFMAP=1 "$@"' sh "$tmp/pid" $VX -r "$R" true >/dev/null 2>&1
pid=$(cat "$tmp/pid")
map=/tmp/perf-$pid.map
entry=$(od -An -tx4 -j24 -N4 "$R/bin/busybox" | tr -d ' ')
if [ -s "$map" ] && ! grep -qvE '^[0-9a-f]+ [0-9a-f]+ vx:[0-9a-f]{8}\+?$' "$map" && grep -q " vx:$entry" "$map"; then
	okrc 0 "VXPERFMAP=1 lists fragments for perf by guest address"
else
	okrc 1 "VXPERFMAP=1 lists fragments for perf by guest address"
	head -3 "$map" 2>&1 | sed 's/^/# /'
fi
rm -f "$map"
timeout 60 sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/pid" $VX -r "$R" true >/dev/null 2>&1
pid=$(cat "$tmp/pid")
[ ! -e /tmp/perf-$pid.map ]
okrc $? "no perf map without VXPERFMAP"

# /dev as Linux programs open it: #c's tty, urandom and full, and #/'s
# fd (#d), stdin, stdout, stderr; O_TRUNC through /dev/stdout truncates a
# file and is ignored on the console.  A console that is no terminal is
# no controlling terminal: /dev/tty is ENXIO, as natively without one
vx 'for f in fd full stderr stdin stdout tty urandom null zero; do [ -e /dev/$f ] && printf "%s " $f; done; echo
echo out > /dev/stdout; echo err > /dev/stderr; (echo tty > /dev/tty) 2>/dev/null || echo "no tty"
echo piped | cat /dev/stdin; echo fd0 | cat /dev/fd/0
head -c 4096 /dev/urandom | wc -c; head -c 3 /dev/full | od -An -tx1
echo x > /dev/full; echo "full: $?"
echo aaaa > /tmp/t; sh -c "echo b > /dev/stdout" >> /tmp/t; cat /tmp/t
exec 7< /tmp/t; cat /dev/fd/7'
want "fd full stderr stdin stdout tty urandom null zero " out err "no tty" piped fd0 4096 " 00 00 00" \
	"sh: write error: No space left on device" "full: 1" b b "status 0"
same "/dev: tty, urandom, full, fd/N, stdin, stdout, stderr; O_TRUNC through /dev/stdout" "$tmp/want" "$tmp/out"

# on a terminal the console is the sandbox's first session's controlling
# terminal; a session of its own (setsid) has none
if command -v script >/dev/null 2>&1; then
	SHELL=/bin/sh script -qec "timeout --foreground 60 $VX -r $R sh -c 'echo tty > /dev/tty && echo ok; setsid sh -c \"echo x > /dev/tty\" 2>/dev/null || echo none after setsid'" /dev/null </dev/null 2>&1 | tr -d '\r' >"$tmp/out"
	want tty ok "none after setsid"
	same "/dev/tty: the console on a terminal, ENXIO after setsid" "$tmp/want" "$tmp/out"
else
	skip "/dev/tty: the console on a terminal, ENXIO after setsid" "no script(1) here"
fi

errcheck_abs 'rmdir full 2>&1; mkdir f 2>&1; cat nope 2>&1; cat e 2>&1; cat f/x 2>&1; cat loop1 2>&1; true' "ENOTEMPTY EEXIST ENOENT EISDIR ENOTDIR ELOOP"
finish
