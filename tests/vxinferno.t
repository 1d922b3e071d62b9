#!/bin/sh
# vxinferno.t — the command: the lab's example (cat of /dev/drivers), the
# README's first command, exit statuses, stderr, flags and their errors.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R"
gcc -m32 -static -O2 -o "$R/bin/cat9" guest/cat.c

# The lab's example: the guest cat reads the kernel's device list.
$VX -r "$R" cat9 /dev/drivers >"$tmp/out" 2>"$tmp/err"
okrc $? "guest cat of /dev/drivers exits 0"
grep -qx '#c cons' "$tmp/out"
okrc $? "it prints the #c cons line"
[ "$(grep -c '^#. ' "$tmp/out")" -ge 5 ]
okrc $? "and a line per device"

# The embedded default root, when built.
if [ -x build/root/bin/cat ] && [ -x build/root/bin/sh ]; then
	$VX cat /dev/drivers | grep -qx '#c cons'
	okrc $? "default root: cat /dev/drivers"
	$VX sh -c 'ls /dev; echo hi > /env/x; cat /env/x' >"$tmp/out"
	grep -qx cons "$tmp/out" && grep -qx hi "$tmp/out"
	okrc $? "default root: the README's first command"
	$VX bind /nonesuch /tmp 2>"$tmp/err"
	[ $? = 1 ] && [ "$(cat "$tmp/err")" = "bind: /nonesuch /tmp: file does not exist" ]
	okrc $? "default root: the guest bind names both names when one is missing"
else
	skip "default root: cat /dev/drivers" "build/root not built (make root)"
	skip "default root: the README's first command" "build/root not built (make root)"
	skip "default root: the guest bind names both names when one is missing" "build/root not built (make root)"
fi

if [ ! -x "$R/bin/sh" ]; then
	skip "shell tests" "no busybox (mk/fetch.sh did not run)"
	finish
	exit
fi

$VX -r "$R" sh -c 'exit 42'
okrc $([ $? -eq 42 ] && echo 0 || echo 1) "exit status is the guest's"
$VX -r "$R" sh -c 'kill -TERM $$'
okrc $([ $? -eq 143 ] && echo 0 || echo 1) "a guest killed by SIGTERM gives 128+15"
$VX -r "$R" sh -c 'echo out; echo err >&2' >"$tmp/out" 2>"$tmp/err"
[ "$(cat "$tmp/out")" = out ] && [ "$(cat "$tmp/err")" = err ]
okrc $? "guest stdout and stderr stay apart"
$VX -r "$R" sh -c 'i=0; while [ $i -lt 300 ]; do echo o$i; echo e$i >&2; i=$((i+1)); done' >"$tmp/out" 2>&1
awk 'NR % 2 == 1 && $0 != "o" (NR - 1) / 2 { bad++ } NR % 2 == 0 && $0 != "e" (NR / 2 - 1) { bad++ } END { exit NR != 600 || bad }' "$tmp/out"
okrc $? "with 2>&1, stdout and stderr lines keep the order they were written in"
# two opens of one file (>>f 2>>f, as a harness appending both to one
# log): each write reaches the host as the guest makes it, as natively
# (until session 24 stderr went through a kernel pipe and a copying
# thread, and its lines landed late)
: >"$tmp/both"
$VX -r "$R" sh -c 'i=0; while [ $i -lt 50 ]; do echo o$i; echo e$i >&2; i=$((i+1)); done' >>"$tmp/both" 2>>"$tmp/both"
awk 'NR % 2 == 1 && $0 != "o" (NR - 1) / 2 { bad++ } NR % 2 == 0 && $0 != "e" (NR / 2 - 1) { bad++ } END { exit NR != 100 || bad }' "$tmp/both"
okrc $? "stdout and stderr appended to one file apart: the lines in the order written"
$VX -r "$R" nosuchprog 2>"$tmp/err"
st=$?
[ $st -eq 127 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'nosuchprog' "$tmp/err"
okrc $? "a program not in the namespace: status 127 and one line"
: >"$tmp/hostonly"
chmod +x "$tmp/hostonly"
$VX -r "$R" "$tmp/hostonly" 2>/dev/null
okrc $([ $? -eq 127 ] && echo 0 || echo 1) "programs are looked up in the namespace, never on the host"
$VX -r "$R" -e FOO=bar -e PATH=/bin sh -c 'echo $FOO' >"$tmp/out"
[ "$(cat "$tmp/out")" = bar ]
okrc $? "-e sets the guest environment"
$VX -r "$R" -e PATH=/nowhere:/bin -e FOO=1 -e FOO=2 env >"$tmp/out"
[ "$(grep -c '^PATH=' "$tmp/out")" = 1 ] && grep -qx 'PATH=/nowhere:/bin' "$tmp/out" && grep -qx 'FOO=2' "$tmp/out" && [ "$(grep -c '^FOO=' "$tmp/out")" = 1 ]
okrc $? "-e replaces a default or an earlier -e of the same name (one PATH, the given one)"
$VX -r "$R" env | grep -qx 'PATH=/usr/local/bin:/usr/bin:/bin'
okrc $? "the default PATH is Linux's, so programs in /usr/bin find each other"
echo 'hello' | $VX -r "$R" cat >"$tmp/out"
[ "$(cat "$tmp/out")" = hello ]
okrc $? "stdin reaches the guest through #c/cons"
$VX -r "$R" -x bogus true 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && grep -q 'x bogus: bad dial string' "$tmp/err"
okrc $? "-x with a bad address fails clearly"
$VX -r "$R" -m 1 true 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
okrc $? "a bad flag value is one line and status 2"
# the long engine's window is a whole 4 GiB: -m up to 4095; compat's
# shares the host's low 4 GiB and says so in one line
if [ "$VXENGINE" = long ]; then
	kb=$($VX -r "$R" -m 4095 sh -c 'grep MemTotal /proc/meminfo' | awk '{ print $2 }')
	[ "${kb:-0}" -gt 4000000 ]
	okrc $? "-m 4095 on long: the guest sees $kb kB"
else
	$VX -r "$R" -m 4095 true 2>"$tmp/err"
	[ $? -ne 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '3 GiB' "$tmp/err"
	okrc $? "-m 4095 on compat: one line naming its 3 GiB limit"
fi
$VX -r "$R" -t sh -c 'exit 3' 2>"$tmp/err"
grep -q 'exit_group(0x3' "$tmp/err" && grep -q 'execve\|rt_sigaction' "$tmp/err"
okrc $? "-t traces system calls"
tail -n 1 "$tmp/err" | grep -Eq '^vxinferno: stats: fragments [1-9][0-9]*, code bytes [1-9][0-9]*, exits [1-9][0-9]*, flushes 0, smc [0-9]+, dispatch [0-9]+, thunks [0-9]+, guesses [0-9]+, inside [0-9]+, cache hits [0-9]+, misses [0-9]+, shared [0-9]+, ahead [0-9]+, section links [0-9]+, callruns [0-9]+, warm rets [0-9]+, warm indirect [0-9]+$'
okrc $? "-t ends with the translation statistics: fragments, code bytes, exits, no flush"
$VX -r "$R" sh -c 'exit 3' 2>&1 | grep -q 'stats:'
okrc $([ $? -ne 0 ] && echo 0 || echo 1) "without -t no statistics"
$VX -t -r "$R" sh -c 'true' 2>&1 | grep -q 'syscall_\|= -1 ENOSYS' 
okrc $? "-t shows unknown calls as ENOSYS"
$VX -r "$R" uname -s -v >"$tmp/out"
[ "$(cat "$tmp/out")" = "Linux #1 vxinferno" ]
okrc $? "uname: the system is Linux (the ABI), its version names vxinferno"
printf "bind -b '#c' /tmp\n" >"$tmp/ns"
$VX -r "$R" -n "$tmp/ns" ls /tmp >"$tmp/out"
grep -qx drivers "$tmp/out"
okrc $? "-n applies a namespace file"
printf "bind -b '#c' /tmp\n\000\nbind /nonesuch /tmp\n" >"$tmp/ns"
$VX -r "$R" -n "$tmp/ns" ls /tmp >"$tmp/out" 2>&1
st=$?
[ $st = 1 ] && grep -q 'a NUL byte at offset 18' "$tmp/out"
okrc $? "-n: a NUL byte in the file is an error, not the end of the text (the bad line after it went unseen; status $st)"
printf "bind -b '#c' /tmp\nbind /nonesuch /tmp\n" >"$tmp/ns"
$VX -r "$R" -n "$tmp/ns" true 2>"$tmp/err"
[ $? = 1 ] && [ "$(cat "$tmp/err")" = "vxinferno: $tmp/ns:2: bind /nonesuch /tmp: file does not exist" ]
okrc $? "-n: a failed line says file, line and what it tried, in one line"

# What a shell user meets: one line on stderr and a shell's status.
onerr() {	# onerr WANTSTATUS PATTERN NAME -- vxinferno args
	want=$1 pat=$2 name=$3
	shift 4
	$VX "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st = "$want" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "$pat" "$tmp/err"
	okrc $? "$name (status $st: $(head -c 160 "$tmp/err"))"
}
onerr 2 '^vxinferno: unknown flag -Z; usage: vxinferno ' "an unknown flag: one line with the usage, status 2" -- -Z true
onerr 2 '^vxinferno: -r wants an argument; usage: ' "a flag without its argument: one line, status 2" -- -r
$VX -h >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && grep -q '^usage: vxinferno \[-htRN\]' "$tmp/out" && [ ! -s "$tmp/err" ]
okrc $? "-h: the usage on stdout, status 0"
printf '#!/bin/nosuch -x\n' >"$R/bin/noint"
chmod +x "$R/bin/noint"
onerr 127 '^vxinferno: /bin/noint: interpreter /bin/nosuch: file does not exist$' "a script whose interpreter is missing: 127, naming both" -- -r "$R" noint
if gcc -m32 -O -o "$R/bin/dyn" guest/cat.c 2>/dev/null; then
	onerr 127 '^vxinferno: /bin/dyn: interpreter /lib/ld-linux.so.2: file does not exist$' "a dynamic program without its ld.so: 127, naming both" -- -r "$R" dyn
else
	skip "a dynamic program without its ld.so: 127, naming both" "gcc -m32 cannot link dynamically here"
fi
cp "$VX" "$R/bin/vx64"	# a 64-bit ELF program
onerr 126 '^vxinferno: /bin/vx64: elf: a 64-bit program' "a 64-bit program: 126, said so" -- -r "$R" /bin/vx64
onerr 126 '^vxinferno: /bin: a directory: permission denied$' "a directory: 126" -- -r "$R" /bin
echo 'echo hi' >"$R/bin/text"
chmod +x "$R/bin/text"
onerr 126 '^vxinferno: /bin/text: neither an ELF program nor a #! script$' "a text file without #!: 126, said so" -- -r "$R" text
$VX -r "$R" sh -c '/bin/text' >"$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = hi ]
okrc $? "and a guest shell still runs it as a script (ENOEXEC)"
$VX -r "$R" -B '#e:/tmp' sh -c 'echo v > /tmp/y; cat /env/y' >"$tmp/out"
[ "$(cat "$tmp/out")" = v ]
okrc $? "-B binds (with create) before the guest starts"
$VX -r "$R" -R sh -c 'echo x > /newfile' 2>/dev/null
[ $? -ne 0 ] && [ ! -e "$R/newfile" ]
okrc $? "-R makes the host root read-only"
# The kernel's user is the host user's name (looked up once, through #U's
# table of ids, which then names host files' owners).
$VX -r "$R" cat /dev/user >"$tmp/out"
[ "$(cat "$tmp/out")" = "$(id -un)" ]
okrc $? "/dev/user is the host user's name"
# Host ids are named from /etc/passwd and /etc/group read directly,
# never through NSS: the static binary's getpwuid_r loaded the host's
# other modules for an id the files do not name, and libnss_systemd
# crashed it (SIGSEGV where it is installed).  Run as uid 100000, gid
# 100001 of a user namespace whose /etc files are ours (asid FILES...:
# bind each tmp/FILE over /etc/FILE).
asid() {
	files=$1
	shift
	unshare -r -m sh -c 'for f in $0; do mount --bind "$1/$f" "/etc/$f" || exit 99; done; shift
		exec unshare --user --map-user=100000 --map-group=100001 "$@"' "$files" "$tmp" "$@"
}
printf 'passwd: files systemd\ngroup: files systemd\n' >"$tmp/nsswitch.conf"
grep -v ':100000:' /etc/passwd >"$tmp/passwd"
grep -v ':100001:' /etc/group >"$tmp/group"
if asid "nsswitch.conf passwd group" sh -c 'test "$(id -u)" = 100000' 2>/dev/null; then
	asid "nsswitch.conf passwd group" env USER=u100000 $(pwd)/$VX -r "$R" sh -c 'cat /dev/user; echo; ls -ld /tmp' >"$tmp/out" 2>&1
	echo "status $?" >>"$tmp/out"
	head -1 "$tmp/out" | grep -qx u100000 && grep -qx 'status 0' "$tmp/out"
	okrc $? "an id /etc/passwd does not name, NSS naming systemd: vxinferno runs (\$USER is the user)"
	# no $USER: the user is the uid's number, the owner its files show
	# (it was "none", to whom the console is not given)
	asid "nsswitch.conf passwd group" env -u USER $(pwd)/$VX -r "$R" sh -c 'cat /dev/user; echo; echo hi >/tmp/byuid; cat /tmp/byuid' >"$tmp/out" 2>&1
	echo "status $?" >>"$tmp/out"
	printf '%s\n' 100000 hi 'status 0' >"$tmp/want"
	same "no \$USER and an id /etc/passwd does not name: the user is the number, its files and console its own" "$tmp/want" "$tmp/out"
	# the first line naming the id wins; comments, NIS lines, a bad id
	# and a long line whose tail looks like an entry are passed over
	long=$(printf '%0500d' 0)	# the tail, from byte 511 on, is an entry
	{
		echo '# nobody:x:100000:100001::/:/bin/sh'
		echo '+bob:x:100000:100001::/:/bin/sh'
		echo 'carol:x:100000x:100001::/:/bin/sh'
		echo 'has blank:x:100000:100001::/:/bin/sh'
		echo "dave:x:7:7:${long}zed:x:100000:100001::/:/bin/sh"
		echo 'alice:x:100000:100001::/home/alice:/bin/sh'
		echo 'erin:x:100000:100001::/:/bin/sh'
	} >"$tmp/passwd"
	asid "passwd group" env -u USER $(pwd)/$VX -r "$R" cat /dev/user >"$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = alice ]
	okrc $? "/etc/passwd read directly: the first well-formed line naming the id"
else
	skip "an id /etc/passwd does not name, NSS naming systemd: vxinferno runs" "no user namespace with uid 100000 here"
	skip "no \$USER and an id /etc/passwd does not name: the user is the number" "no user namespace with uid 100000 here"
	skip "/etc/passwd read directly: the first well-formed line naming the id" "no user namespace with uid 100000 here"
fi
# Host names are looked up in /etc/hosts and DNS only, whatever the
# host's nsswitch.conf names: the static binary would dlopen other
# modules from the host's glibc (libnss_resolve, ...), which can crash
# it.  A module that does not exist stands for them here: with it alone,
# a lookup through glibc's configuration fails.
printf 'hosts: nosuchmodule\n' >"$tmp/nsswitch.conf"
if unshare -r -m true 2>/dev/null; then
	unshare -r -m sh -c 'mount --bind "$0" /etc/nsswitch.conf && exec "$@"' "$tmp/nsswitch.conf" \
		$VX -r "$R" -N sh -c 'exec 3<>/net/cs; echo "tcp!localhost!80" >&3; cat <&3' >"$tmp/out" 2>&1
	grep -qx '/net/tcp/clone 127.0.0.1!80' "$tmp/out"
	okrc $? "/net/cs names localhost from /etc/hosts whatever nsswitch.conf names for hosts"
else
	skip "/net/cs names localhost from /etc/hosts whatever nsswitch.conf names for hosts" "no user and mount namespace here"
fi
# The README's library example compiles and runs as written.
if [ -f build/vxrun.a ] && [ -x build/root/bin/cat ]; then
	awk '/^\/\* hello.c:/ { on = 1 } on && /^```$/ { exit } on' README.md >"$tmp/hello.c"
	cc=$(grep '^cc -Iinclude -o hello hello.c ' README.md | sed "s# hello hello.c # $tmp/hello $tmp/hello.c #")
	$cc 2>"$tmp/err" && "$tmp/hello" >"$tmp/out" 2>>"$tmp/err"
	[ $? = 0 ] && [ "$(cat "$tmp/out")" = glenda ]
	okrc $? "the README's C example builds and runs ($(head -c 200 "$tmp/err"))"
else
	skip "the README's C example builds and runs" "build/vxrun.a or build/root not built"
fi
finish
