#!/bin/sh
# vxinferno_step.t — single-stepping by the trap flag (tests/guest_step.c):
# TF set by popf or in a signal frame makes a SIGTRAP after each
# instruction, at the next one's address, until the program or its
# handler clears it; through jumps, calls, returns, cpuid, daa and lsl
# (which the runtime does), a system call, indirect jumps, each iteration of
# rep movsb, a fault.  The same output under the reference and vxinferno.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_step.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_step

(cd "$R" && refrun ./bin/guest_step; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_step >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
# si_code and si_addr: Linux's (TRAP_TRACE, the next instruction: its
# exc_debug_user), which qemu does not give
grep '^apart: ' "$tmp/guest" >"$tmp/apart"
sed -i '/^apart: /d' "$tmp/native" "$tmp/guest"
printf 'apart: si_code 2, si_addr the next instruction 1\n' | cmp -s - "$tmp/apart"
okrc $? "a single step's siginfo: TRAP_TRACE, si_addr the next instruction, as Linux"
same "TF: a SIGTRAP after each instruction (popf, a signal frame, the runtime's instructions, a system call, rep iterations, a fault), until cleared" "$tmp/native" "$tmp/guest"
grep -q '^popf, then the handler keeps TF: 15 steps: ' "$tmp/guest"
okrc $? "TF kept by the SIGTRAP handler's frame: fifteen steps to the region's end"
finish
