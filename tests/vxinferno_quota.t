#!/bin/sh
# vxinferno_quota.t — a sandbox's bounds (-M memory, -F host descriptors,
# -P threads; doc/guest-abi.md "Sandbox bounds"): a guest that takes all
# it may have (tests/guest_quota.c) gets ENOMEM, EMFILE or EAGAIN from
# the call past the bound, and vxinferno stays well; getrlimit says the
# bounds, setrlimit lowers a process's own.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_quota.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_quota

# Memory: 32 MiB written, then forks that copy it, in a sandbox of
# 200 MiB (each process commits its 32 MiB, its 8 MiB stack and a
# little more): a few children, then ENOMEM from every call that would
# take more, execve's too; all of it back once the children end.
timeout 120 $VX -r "$R" -m 256 -M 200 guest_quota memfork 32 >"$tmp/out" 2>&1
okrc $? "memory: a guest forking copies of 32 MiB in a 200 MiB sandbox runs to the end"
head -1 "$tmp/out" | grep -qx 'children [1-4], then fork: ENOMEM'
okrc $? "memory: fork fails ENOMEM after a few children ($(head -1 "$tmp/out"))"
printf '%s\n' 'filled: ENOMEM' 'mmap: ENOMEM' 'mmap PROT_NONE: made' 'mprotect writable: ENOMEM' \
	'sbrk: ENOMEM' 'mremap: ENOMEM' 'fork: ENOMEM' 'pthread_create: EAGAIN' 'execve: ENOMEM' \
	'after: fork and mmap made' >"$tmp/want"
tail -n +2 "$tmp/out" >"$tmp/got"
same "memory: at the bound mmap, mprotect, brk, mremap, fork, a thread's stack and execve fail; freed, it is there again" "$tmp/want" "$tmp/got"

# Kernel memory: an environment of 15 MiB (#e), which each fork copies,
# in a sandbox of 120 MiB: the copies are charged to it apart from the
# guest's pages, so the 7th copy fails ENOMEM on either engine (unbounded,
# only the guest's memory stopped it: 22 children in 192 MiB; with
# -M none a guest made the host hold 16 MiB more for each of up to -P
# processes).
timeout 120 $VX -r "$R" -M 120 -P 40 guest_quota envfork 15 >"$tmp/out" 2>&1
okrc $? "kernel memory: a guest forking copies of a 15 MiB environment in a 120 MiB sandbox runs to the end"
printf '%s\n' 'children 6, then fork: ENOMEM' 'after: fork made' >"$tmp/want"
same "kernel memory: the environments' copies are bounded: fork fails ENOMEM at the 7th; a fork works after" "$tmp/want" "$tmp/out"

# Processes: a fork bomb (every process forks two) in a sandbox of 12
# threads stops at 12 with EAGAIN, and forks again once they are gone.
# (12, not more: compat's guests share the host's low 4 GiB, where 14
# of the default size fit; past that a fork is ENOMEM, compatvm showed.)
timeout 120 $VX -r "$R" -P 12 guest_quota bomb >"$tmp/out" 2>&1
okrc $? "processes: a fork bomb bounded to 12 runs to the end"
printf '%s\n' 'processes 12, EAGAIN met, other errors 0' 'after: fork made' >"$tmp/want"
same "processes: the bomb stops at 12 with EAGAIN; a fork works after" "$tmp/want" "$tmp/out"

# The host's threads run out before the sandbox's bound: a clone whose
# host thread cannot be made (kif_start) fails EAGAIN whole.  Until
# session 28 the half-made thread stayed in its process, which then never
# ended (vxinferno hung at the guest's exit; python's multiprocessing
# left a "dangling" child).  Run as nobody under a host RLIMIT_NPROC of
# 40, which counts vxinferno's host threads, so the sandbox's -P is never
# met first.
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1 || ! command -v prlimit >/dev/null 2>&1; then
	skip "host threads out: clone and fork fail EAGAIN, the guest ends" "needs root, setpriv and prlimit (to run as nobody under RLIMIT_NPROC)"
	skip "host threads out: fork" "as above"
else
	cp "$VX" "$tmp/vx" && chmod 755 "$tmp" "$tmp/vx" && chmod -R a+rX "$R"
	nobody() { timeout -k 5 30 setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=40 "$tmp/vx" "$@"; }
	nobody -r "$R" -P 500 guest_quota threads >"$tmp/out" 2>&1
	st=$?
	[ $st -eq 0 ] && grep -qx 'threads [1-9][0-9]*, then EAGAIN' "$tmp/out"
	okrc $? "host threads out: pthread_create fails EAGAIN and the guest ends (status $st: $(head -1 "$tmp/out"))"
	nobody -r "$R" -P 500 guest_quota bomb >"$tmp/out" 2>&1
	st=$?
	[ $st -eq 0 ] && grep -qx 'processes [1-9][0-9]*, EAGAIN met, other errors 0' "$tmp/out" && grep -qx 'after: fork made' "$tmp/out"
	okrc $? "host threads out: fork fails EAGAIN, no child left half made, the guest ends (status $st: $(head -1 "$tmp/out"))"
fi
timeout 60 $VX -r "$R" -P 40 guest_quota threads >"$tmp/out" 2>&1
echo 'threads 39, then EAGAIN' >"$tmp/want"
same "threads: the 40th of the sandbox fails EAGAIN" "$tmp/want" "$tmp/out"

# Host descriptors: a guest opening a host file (#U) without end stops
# at the sandbox's 100 with EMFILE, its child (whose files are its
# parent's) gets none more; closed, they open again.
timeout 60 $VX -r "$R" -F 100 guest_quota fds >"$tmp/out" 2>&1
okrc $? "descriptors: a guest opening without end in a sandbox of 100 runs to the end"
printf '%s\n' 'open: EMFILE' 'child open: EMFILE after 0' 'after closing: as many again' >"$tmp/want"
head -3 "$tmp/out" >"$tmp/got"
same "descriptors: EMFILE at the bound, in the child too; closed, as many open again" "$tmp/want" "$tmp/got"
nopen=$(sed -n 's/^opened //p' "$tmp/out")
[ -n "$nopen" ] && [ "$nopen" -ge 90 ] && [ "$nopen" -le 100 ]
okrc $? "descriptors: $nopen files opened of the 100 (the program's own mapping keeps a few)"
# A fork shares its parent's file mappings' host descriptors: 16
# processes holding 20 private mappings and a shared one each fit in
# -F 100 (mappings take at most half).  With a dup per mapping and per
# process, the second fork was ENOMEM (stress-ng's sigrt, 31 children
# of a dynamically linked program, stopped at its 21st so).
timeout 60 $VX -r "$R" -m 160 -F 100 guest_quota mapfork 20 15 >"$tmp/out" 2>&1
echo 'children 15 of 15, marks 15' >"$tmp/want"
same "descriptors: 15 forks of a process with 21 file mappings fit in 100 (shared ones still shared)" "$tmp/want" "$tmp/out"
# The default is a quarter of vxinferno's RLIMIT_NOFILE: 64 of 256.
(ulimit -n 256 && timeout 60 $VX -r "$R" guest_quota fds) >"$tmp/out" 2>&1
nopen=$(sed -n 's/^opened //p' "$tmp/out")
[ -n "$nopen" ] && [ "$nopen" -ge 54 ] && [ "$nopen" -le 64 ]
okrc $? "descriptors: by default a quarter of the host's RLIMIT_NOFILE (256): $nopen opened"
# vxinferno raises its soft limit to the hard one: at the soft 1024 most
# shells start with, the quarter was 256 and a guest had 256 fds, not 1024
if [ -x "$R/bin/sh" ] && { [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 4096 ]; }; then
	got=$(ulimit -Sn 1024 && timeout 60 $VX -r "$R" sh -c 'ulimit -n' 2>&1)
	[ "$got" = 1024 ]
	okrc $? "descriptors: at a soft limit of 1024 (hard $(ulimit -Hn)) a guest still has 1024 ($got)"
else
	skip "descriptors: at a soft limit of 1024 a guest still has 1024" "no busybox, or the hard limit $(ulimit -Hn) is below 4096"
fi

# getrlimit says the bounds; a process lowers its own limits, which
# then hold for it, and raises none above the sandbox's (EPERM).
timeout 60 $VX -r "$R" -m 256 -F 100 -P 40 guest_quota rlimit >"$tmp/out" 2>&1
printf '%s\n' 'AS: 268435456 / 268435456' 'NOFILE: 100 / 100' 'NPROC: 40 / 40' \
	'NPROC above the bound: EPERM' 'NOFILE lowered to 10: ok, reads 10' 'NOFILE raised again: EPERM' \
	'opens under NOFILE 10: EMFILE at fd 10' 'NPROC lowered to 2: ok' 'a thread under NPROC 2: ok' \
	'another: EAGAIN' 'AS lowered to 64 MiB: ok' 'mmap of 128 MiB under it: ENOMEM' >"$tmp/want"
same "rlimits: AS, NOFILE and NPROC say the bounds; lowered, they hold; raised past them, EPERM" "$tmp/want" "$tmp/out"
timeout 60 $VX -r "$R" -m 256 -M 100 guest_quota rlimit 2>&1 | head -1 >"$tmp/out"
echo 'AS: 104857600 / 104857600' >"$tmp/want"
same "rlimits: AS is the sandbox's memory where that is less than -m" "$tmp/want" "$tmp/out"
# The memory a guest is told of is its sandbox's: -M, and what its
# processes have not committed (sysinfo in pages past 4 GiB); with no
# bound, the host's.
timeout 60 $VX -r "$R" -M 192 guest_quota meminfo 64 >"$tmp/out" 2>&1
printf '%s\n' 'sysinfo total: 192 MiB' 'meminfo total: 192 MiB' 'available at most the total: 1' \
	'sysinfo: 64 MiB written, that much less available: 1' 'meminfo: 64 MiB written, that much less available: 1' >"$tmp/want"
same "sysinfo and /proc/meminfo: the sandbox's -M and what it has left" "$tmp/want" "$tmp/out"
hostmb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
timeout 60 $VX -r "$R" -M none guest_quota meminfo 1 2>&1 | head -3 >"$tmp/out"
printf '%s\n' "sysinfo total: $hostmb MiB" "meminfo total: $hostmb MiB" 'available at most the total: 1' >"$tmp/want"
same "sysinfo and /proc/meminfo with -M none: the host's $hostmb MiB" "$tmp/want" "$tmp/out"
finish
