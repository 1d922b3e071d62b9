#!/bin/sh
# vxinferno_sigquiet.t — signals to a thread busy in file calls, after
# which the runtime skips its signal lock when nothing changed
# (vxrun/syssig.c deliverquiet); tests/guest_sigquiet.c.  Each of 200
# signals (tgkill, kill to the process, SIGUSR2 with SA_RESTART, after
# a SIGSTOP and SIGCONT from a child) is waited for: a lost one is a
# hang, which the timeout turns into a failure.  pipewait: signals to a
# thread blocked in a pipe's read, whose wait the runtime marks
# interruptible without its lock (intrbeginio).  A third thread dup2s
# files over the fd the worker reads and writes.  alias: sigprocmask
# with the new and old set the same memory, as glibc's pthread_sigmask
# makes it (the runtime wrote the old mask before it read the new).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_sigquiet.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_sigquiet
mkdir -p "$R/tmp"

(cd "$R" && refrun ./bin/guest_sigquiet alias; echo "status $?") >"$tmp/alias.native" 2>&1
timeout 60 $VX -N -r "$R" guest_sigquiet alias >"$tmp/alias.guest" 2>&1
echo "status $?" >>"$tmp/alias.guest"
same "rt_sigprocmask and sigprocmask with the new and the old set in the same memory: the new is the one given, the old the mask before" "$tmp/alias.native" "$tmp/alias.guest"

printf 'SIGUSR1 150 SIGUSR2 50 swaps some\nstatus 0\n' >"$tmp/busy.want"
timeout 120 $VX -N -r "$R" guest_sigquiet 200 >"$tmp/busy.guest" 2>&1
echo "status $?" >>"$tmp/busy.guest"
same "200 signals to a thread looping over read, write, pread, lseek, stat, open and close (and a stop and continue): each delivered, none lost" "$tmp/busy.want" "$tmp/busy.guest"
printf 'SIGUSR1 300, reads ended by one some\nstatus 0\n' >"$tmp/wait.want"
timeout 120 $VX -N -r "$R" guest_sigquiet pipewait 300 >"$tmp/wait.guest" 2>&1
echo "status $?" >>"$tmp/wait.guest"
same "300 signals to a thread blocked reading an empty pipe: each ends the wait (EINTR), none lost against the read's start" "$tmp/wait.want" "$tmp/wait.guest"
finish
