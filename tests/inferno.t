#!/bin/sh
# inferno.t — the vxinferno kit inside a real Inferno emulator: runs
# inferno/check.sh against the emu named by INFERNO_EMU, built from the
# tree INFERNO_ROOT after inferno/install.sh INFERNO_ROOT (see README,
# "Inside Inferno").  Without them it skips, saying why.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${INFERNO_EMU:-}" ] || [ -z "${INFERNO_ROOT:-}" ]; then
	echo "1..0 # SKIP INFERNO_EMU and INFERNO_ROOT do not name an emu built with the kit (inferno/install.sh ROOT, then build ROOT)"
	exit 0
fi
exec "$top/inferno/check.sh" "$INFERNO_EMU" "$INFERNO_ROOT"
