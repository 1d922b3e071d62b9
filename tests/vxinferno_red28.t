#!/bin/sh
# vxinferno_red28.t — session 28's red team (tests/guest_red28.c).
# fdsforge: a socketpair's conversation directory rebound to the guest's
# own, whose fds file names fds it was never sent; the runtime read that
# file by its name in the guest's namespace and installed 9 and 20 (never
# open) as received rights, or, with no room for them, closed the fds it
# named (the pair's own) behind their records (2fe3810).  Compared with
# the one right answer: no rights, nothing closed.  No native run: the
# bind is vxinferno's extension call.
# elfcut: execs of a program whose headers lie past its first page while
# another process cuts the file short and writes it again; the loader
# read the headers from a mapping of the file, and a read past the new
# end killed vxinferno (SIGBUS, status 135 on 2fe3810, at once).  Only
# the host's survival is compared (natively the writer gets ETXTBSY).
# fdrename: renames of /proc/self/fd/N, which Linux refuses (EPERM onto
# an fd's entry); vxinferno renamed the open file and kept every old
# name in host memory while the fd stayed open (+50 MB for 200,000).
# Compared with Linux's answer (qemu's /proc/self is its own).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_red28.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_red28
cat >"$tmp/fdsforge.want" <<'END'
recvmsg 1, control 0, whole
fd 9: Bad file descriptor
fd 20: Bad file descriptor
recvmsg 1, control 0, whole
write: 1
read: 1
write: 1
read: 1
status 0
END
timeout 60 $VX -r "$R" guest_red28 fdsforge >"$tmp/fdsforge.guest" 2>&1
echo "status $?" >>"$tmp/fdsforge.guest"
same "fdsforge: a forged fds file passes no fds, closes none" "$tmp/fdsforge.want" "$tmp/fdsforge.guest"
printf 'elfcut: headers past the first page: status 0\nelfcut: execs done\nstatus 0\n' >"$tmp/elfcut.want"
timeout 120 $VX -r "$R" guest_red28 elfcut >"$tmp/elfcut.guest" 2>&1
echo "status $?" >>"$tmp/elfcut.guest"
same "elfcut: execs of a file cut short under the loader; the host goes on" "$tmp/elfcut.want" "$tmp/elfcut.guest"
printf 'fdrename onto fd 0: -1 Operation not permitted\nfdrename: 500 of 1000 renamed\nfdrename: the file keeps its name\nstatus 0\n' >"$tmp/fdrename.want"
timeout 60 $VX -r "$R" guest_red28 fdrename >"$tmp/fdrename.guest" 2>&1
echo "status $?" >>"$tmp/fdrename.guest"
same "fdrename: /proc/self/fd/N is not renamed" "$tmp/fdrename.want" "$tmp/fdrename.guest"
finish
