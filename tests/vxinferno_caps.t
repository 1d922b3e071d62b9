#!/bin/sh
# vxinferno_caps.t — capget, capset, prctl's capability calls and
# /proc/self/status's Cap lines (tests/guest_caps.c): a guest holds no
# capability, whoever runs vxinferno.  The reference runs with every
# capability dropped (setpriv: as root, the bounding and inheritable sets
# emptied, which leaves root none after its exec; no new privileges, as a
# guest's PR_GET_NO_NEW_PRIVS says), so its output is the sandbox's.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_caps.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_caps
name="capget and capset as a process with no capability: versions 1, 2, 3, an unknown one written back, the probe with no data, pid 0, own, a child's, ESRCH, EINVAL, EFAULT; capset only keeping the sets empty, EPERM on another; PR_CAPBSET_*, PR_CAP_AMBIENT; /proc/self/status's Cap lines"
if ! command -v setpriv >/dev/null 2>&1; then
	skip "$name" "no setpriv(1) to drop the reference's capabilities"
	finish
	exit 0
fi
# a user other than root keeps the full bounding set (only root may
# empty it): its lines are not compared then
if [ "$(id -u)" = 0 ]; then
	drop="--bounding-set=-all --inh-caps=-all"
	apart=
else
	drop="--inh-caps=-all"
	apart='/^PR_CAPBSET_READ CAP_CHOWN:/d;/^CapBnd:/d'
fi
# setpriv runs first, then the reference (qemu without binfmt_misc: a
# user namespace would give it every capability again there)
case $REF in
native) ref= ;;
qemu) ref="timeout 300 qemu-i386" ;;
*) skip "$name" "$REF_WHY"; finish; exit 0 ;;
esac
(cd "$R" && setpriv --no-new-privs $drop $ref ./bin/guest_caps; echo "status $?") >"$tmp/native" 2>&1
timeout 60 $VX -r "$R" guest_caps >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
sed -i "$apart" "$tmp/native" "$tmp/guest"
same "$name" "$tmp/native" "$tmp/guest"
grep -q '^v3, pid 0: 0  version 0x20080522 eff 0/0 prm 0/0 inh 0/0$' "$tmp/guest"
okrc $? "capget: every set empty"
finish
