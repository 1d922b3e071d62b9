#!/bin/sh
# vxinferno_split.t — instructions cut at every byte by the end of
# executable memory (tests/guest_split.c), natively and as a guest, the
# same signals, addresses and eips: a cut instruction faults on its fetch
# at the next page, a whole one runs, whether that page is PROT_NONE,
# unmapped or readable but not executable.  The code page is rewritten
# for every case, so it soon becomes volatile (its fragments check their
# bytes): a fragment of 1-3 bytes at its end checked them with a 4-byte
# load past them, which faulted on the next page (hlt, cpuid, fldz ...
# gave SIGSEGV at the next page instead of running).  A file's page
# that a truncation left past its end is SIGBUS to fetch from, as
# Linux's: the translator's own read of it made the page zeros, which
# the guest then ran; a fragment from the persistent cache that spans
# into such a page read it to check its bytes, with the same result.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_split.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_split

# qemu-i386 is no reference here: it reports SIGBUS a page late, and a
# cut privileged or over-long instruction's fault otherwise than the CPU
# (tests/data/split/README)
splitref() {
	(cd "$R" && refrun ./bin/guest_split "$@"; echo "status $?")
}
# nor is QEMU's TCG (compatvm's VM), the same translator: a cut undefined
# 0f 38 ff is #UD before its ModRM byte's fetch there, a 16-byte one the
# fetch's fault before the length's #GP.  The recordings are the CPU's.
splitout() {
	if cpu_tcg && [ -f "$2" ]; then
		cp "$2" "$1"
		echo "# the reference is the CPU's output recorded in $2 (QEMU's TCG differs)"
	else
		refout "$@"
	fi
}
for m in none unmapped noexec pasteof; do
	splitout "$tmp/$m.native" tests/data/split/$m.out splitref $m
	timeout 120 $VX -r "$R" guest_split $m >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
done
same "every instruction cut at every byte before a PROT_NONE page, and whole with room after it: the CPU's signals, addresses and eips" "$tmp/none.native" "$tmp/none.guest"
same "the same before an unmapped page" "$tmp/unmapped.native" "$tmp/unmapped.guest"
same "the same before a readable page that is not executable" "$tmp/noexec.native" "$tmp/noexec.guest"
same "the same before a file's page past its end (truncated since): SIGBUS" "$tmp/pasteof.native" "$tmp/pasteof.guest"

# the same through the persistent cache: a fragment cached while the
# file was whole spans into the page its truncation left past its end
C=$tmp/cache
mkdir -m 700 "$C"
tcref() {
	(cd "$R" && refrun ./bin/guest_split tcfile cut)
}
splitout "$tmp/tc.native" tests/data/split/tc.out tcref
VXCACHE=$C timeout 60 $VX -r "$R" guest_split tcfile full >/dev/null 2>&1
VXCACHE=$C timeout 60 $VX -r "$R" guest_split tcfile full >/dev/null 2>&1
VXCACHE=$C timeout 60 $VX -r "$R" guest_split tcfile cut >"$tmp/tc.guest" 2>&1
same "a cached fragment running into a file's page past its end (truncated since it was cached): SIGBUS" "$tmp/tc.native" "$tmp/tc.guest"
finish
