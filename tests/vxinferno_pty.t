#!/bin/sh
# vxinferno_pty.t — pseudo-terminals (#P, libkern/devpty.c; the ioctls
# in vxrun/syspty.c): tests/guest_pty.c the same under vxinferno as
# under the reference (openpt, canonical and raw modes, echo, the
# signal characters to a foreground group, SIGWINCH, the hangup, poll);
# what qemu-i386 does not pass on, and the sandbox's bounds, against
# Linux's answers written here; job control (tests/guest_ptyjobs.c) as
# the host's kernel has it; and Debian's python3 (os.openpty,
# os.forkpty, pty.fork, pty.spawn) and an interactive bash driven
# through a pty, the same as under the reference, and bash's jobs, bg
# and fg with ^Z and ^C as the host's bash; packet mode (TIOCPKT, as
# screen uses it) and chmod of a slave as the host's kernel.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_pty.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkroot "$tmp/root" guest_pty

(cd "$tmp/root" && refrun ./bin/guest_pty; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$tmp/root" guest_pty >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "ptys: openpt, modes, echo, line editing, VMIN/VTIME, ISIG to the foreground group, SIGWINCH, hangup, poll" "$tmp/native" "$tmp/guest"
grep -q '^leader: signal 1 code 0x80$' "$tmp/guest" && grep -q '^grandchild: signal 2 code 0x80$' "$tmp/guest"
okrc $? "the guest ran to its end (the signals seen)"

# qemu-i386 answers TIOCGPTLCK and TIOCGSID without passing them on
cat >"$tmp/want" <<'W'
TIOCGPTLCK: 0 1
TIOCGPTLCK unlocked: 0 0
TIOCGSID is me: 1
TIOCGSID on the master: 0 1
child: 0
status 0
W
timeout 60 $VX -r "$tmp/root" guest_pty sid >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "TIOCGPTLCK, TIOCGSID (Linux's answers)" "$tmp/want" "$tmp/guest"

cat >"$tmp/want" <<'W'
TCGETS to a bad address: -1 Bad address
TIOCSWINSZ from a bad address: -1 Bad address
TIOCGPTN to NULL: -1 Bad address
typed into a slave that does not read: bounded, then -1 Resource temporarily unavailable
written to a master that does not read: bounded, then -1 Resource temporarily unavailable
terminals: 63 more, then No space left on device
after closing them: ok
a walk under a slave: refused, the terminal kept: ok
status 0
W
timeout 60 $VX -r "$tmp/root" guest_pty limits >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "bad pointers, bounded queues, 64 ptys a sandbox (ENOSPC, as kernel.pty.max)" "$tmp/want" "$tmp/guest"

# job control: qemu-i386 7.2 hangs once a child stops (as
# userland_tools.t found), so the reference is the same program built
# for the host and run on its kernel
mkroot "$tmp/root" guest_ptyjobs
if cc -O1 -o "$tmp/jobs" tests/guest_ptyjobs.c 2>/dev/null; then
	timeout 60 "$tmp/jobs" >"$tmp/native" 2>&1
	echo "status $?" >>"$tmp/native"
	timeout 60 $VX -r "$tmp/root" guest_ptyjobs >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "job control: ^Z and fg, SIGTTIN, TOSTOP's SIGTTOU, tcsetattr's, EIO, an orphaned stopped group's SIGHUP and SIGCONT, as the host's kernel" "$tmp/native" "$tmp/guest"
else
	skip "job control on a pty against the host's kernel" "no host C compiler"
fi

rm -rf "$tmp"
if [ ! -x "${I386ROOT:-build/i386root}/usr/bin/python3" ]; then
	skip "python3's pty and os.openpty, bash -i through a pty" "no Debian i386 root (make i386root)"
	finish
	exit
fi
. tests/lib/userland.sh
cp tests/data/pty/*.py "$W/"
check "python3: os.openpty, tty.setraw, os.forkpty, pty.fork and ^C, pty.spawn" /dev/null /usr/bin/python3 "/tmp/$id/openpty.py"
check "bash -i driven through a pty: a job, kill %1, exit" /dev/null /usr/bin/python3 "/tmp/$id/bashi.py"
# job control: the reference is the host's python3 and bash (qemu-i386
# hangs once a child stops), run from the script's copy in the root
if command -v python3 >/dev/null 2>&1 && [ -x /bin/bash ]; then
	hostcheck "bash -i through a pty: sleep 100, ^Z, jobs, bg, fg, ^C, as the host's python3 and bash" python3 /usr/bin/python3 bashjobs.py
else
	skip "bash -i job control through a pty against the host's" "no python3 or bash on the host"
fi
# packet mode (screen's): the reference is the host's python3 and
# kernel, as for bashjobs.py
if command -v python3 >/dev/null 2>&1; then
	hostcheck "packet mode (TIOCPKT): status bytes for flushes, ^S, ^Q, IXON, ^C; chmod of a slave, as the host's kernel" python3 /usr/bin/python3 pktmode.py
else
	skip "packet mode against the host's kernel" "no python3 on the host"
fi
finish
