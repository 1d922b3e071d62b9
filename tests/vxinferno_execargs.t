#!/bin/sh
# vxinferno_execargs.t — execve's argument limits as Linux's
# (tests/guest_execargs.c): argv and envp up to a quarter of the 8 MiB
# stack rlimit, each string up to 128 KiB with its NUL, any number of
# strings; E2BIG past them.  The same natively and under vxinferno, the
# reference's stack rlimit made the 8 MiB the guest's getrlimit says.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_execargs.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_execargs

(ulimit -s 8192 && cd "$R" && refrun ./bin/guest_execargs; echo "status $?") >"$tmp/native" 2>&1
timeout 120 $VX -r "$R" guest_execargs >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
same "execve: 2 MiB of arguments and environment, strings of 128 KiB less 1, 100000 strings run; a string of 128 KiB, 3 MiB in all: E2BIG; _SC_ARG_MAX" "$tmp/native" "$tmp/guest"
finish
