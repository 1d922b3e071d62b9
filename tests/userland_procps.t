#!/bin/sh
# userland_procps.t — Debian i386's procps, psmisc, util-linux, screen
# and tar as guests (helpers in tests/lib/userland.sh).
# tests/data/procps.sh (ps, pgrep, pkill, killall and vmstat on the
# script's own children, and an open /proc/PID directory as a pidfd)
# is run by the host's bash and programs on its kernel, the same procps
# and psmisc versions, and by the root's as a guest: the same output;
# so is ps run by bash on a pty (tests/data/pty/ptyps.py), its TTY and
# STAT columns, util-linux's ionice and prlimit (tests/data/ionice.sh),
# and the names /proc/self/maps gives mapped files (tests/data/maps.py),
# and the signals /proc/PID/status says blocked, ignored and caught
# (tests/data/procsig.py).
# screen -D -m, which puts a pty's master in packet mode (TIOCPKT) and
# chmods its slave, runs a command in its window, against Linux's
# answers written here (the chroot under qemu has no /dev/ptmx), and so
# do tar --xattrs and python3's xattr calls (tests/data/xattr.sh).
# Skipped, with the reason, without the root or the host's programs.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
. tests/lib/userland.sh
if [ ! -x "$R/bin/ps" ] || [ ! -x "$R/usr/bin/killall" ] || [ ! -x "$R/usr/bin/screen" ] || [ ! -x "$R/usr/bin/ionice" ]; then
	echo "1..0 # SKIP procps, psmisc, screen or util-linux not in $R (make i386root)"
	exit 0
fi
cp tests/data/procps.sh tests/data/pty/ptyps.py tests/data/ionice.sh tests/data/maps.py tests/data/procsig.py "$W/"
hostok=1
for x in /bin/bash ps pgrep pkill killall vmstat python3 ionice prlimit setsid; do
	command -v $x >/dev/null 2>&1 || hostok=0
done
if [ $hostok = 1 ]; then
	hostcheck "procps and psmisc: ps's state, order and elapsed time, pgrep, pkill, killall, vmstat; /proc/PID as a pidfd; as the host's" /bin/bash /bin/bash procps.sh @W@/d
	hostcheck "ps on a pty: its terminal's processes, TTY pts/N, STAT's s and + (tty_nr and tpgid), as the host's" python3 /usr/bin/python3 ptyps.py
	hostcheck "util-linux: ionice of a process, its children, a group; prlimit of another process; as the host's" /bin/bash /bin/bash ionice.sh
	hostcheck "/proc/self/maps names a mapped file (offset, inode) and libc, as the host's" python3 /usr/bin/python3 maps.py @W@/md
	hostcheck "/proc/PID/status: SigBlk, SigIgn, SigCgt of a process, a thread, a child after exec with and without restore_signals, as the host's" python3 /usr/bin/python3 procsig.py
	# a launcher's ignored real-time signals are inherited by an exec,
	# and so by the guest (vxinferno read only 1-31 until session 28)
	ign='import os, signal, sys; [signal.signal(n, signal.SIG_IGN) for n in (10, 40, 64)]; os.execvp(sys.argv[1], sys.argv[1:])'
	python3 -c "$ign" grep SigIgn /proc/self/status >"$tmp/want" 2>&1
	python3 -c "$ign" $VX $GUESTOPTS -r "$R" /bin/grep SigIgn /proc/self/status >"$tmp/got" 2>&1
	same "the signals its launcher left ignored (10, 40, 64) are the guest's, as an exec's" "$tmp/want" "$tmp/got"
else
	skip "procps and psmisc against the host's" "the host lacks bash, procps, psmisc, util-linux or python3"
	skip "ps on a pty against the host's" "the host lacks bash, procps, psmisc, util-linux or python3"
	skip "ionice and prlimit against the host's" "the host lacks bash, procps, psmisc, util-linux or python3"
	skip "/proc/self/maps against the host's" "the host lacks bash, procps, psmisc, util-linux or python3"
	skip "/proc/PID/status's signals against the host's" "the host lacks bash, procps, psmisc, util-linux or python3"
	skip "a launcher's ignored signals against the host's" "the host lacks bash, procps, psmisc, util-linux or python3"
fi
cat >"$tmp/want" <<'W'
status 0
/dev/pts/N
24 80
W
# its socket in a directory of this run's: another sandbox's screen may have its pid
guestrun /bin/sh -c 'mkdir -m 700 "$1/scr.d" && SCREENDIR="$1/scr.d" screen -S vxt -D -m sh -c "{ tty; stty size; } >$1/scr 2>&1"; echo "status $?"; sed "1s/[0-9]*\$/N/" "$1/scr"' sh "/tmp/$id" >"$tmp/got" 2>&1
same "screen -D -m: a window on a pty in packet mode, its slave chmodded (Linux's answers)" "$tmp/want" "$tmp/got"
rm -rf "$W/scr" "$W/scr.d"
# extended attributes: Linux's answers for a file system with xattrs
# and none set (the host's own tree would keep the set: not the reference)
cat >"$tmp/want" <<'W'
tar c 0
tar x 0
[] ENODATA ENOTSUP ENODATA
[] ENODATA EBADF
ENOENT ENOENT ENOENT []
ERANGE ERANGE EINVAL
status 0
W
cp tests/data/xattr.sh "$W/"
guestrun /bin/bash "/tmp/$id/xattr.sh" "/tmp/$id/xd" >"$tmp/got" 2>&1
echo "status $?" >>"$tmp/got"
same "xattrs: tar --xattrs without a warning; empty lists, ENODATA, a set ENOTSUP (Linux's answers)" "$tmp/want" "$tmp/got"
finish
