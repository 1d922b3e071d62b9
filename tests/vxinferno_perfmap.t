#!/bin/sh
# vxinferno_perfmap.t — VXPERFMAP=1 (a profiling knob) keeps the
# addresses of the code caches it gives up reserved, so that perf's map
# names no host address twice (libvx/vx.c, cachefree); a guest that
# writes and runs code in a loop fills its 32 MiB cache again and again.
# The reservations must stay bounded (PERFKEEP): unbounded they filled
# the process's low 4 GB, and then every sandbox's execve failed with
# ENOMEM on the compat engine, whose guest memory lies there (red team,
# session 23).  About two minutes of CPU: run only with VXTEST_SLOW=1.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
need_vx
if [ "${VXTEST_SLOW:-}" != 1 ]; then
	skip "VXPERFMAP: a flush loop, then spawns" "slow (two minutes of CPU): VXTEST_SLOW=1"
	finish
	exit
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_perfmap.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_jitloop
if [ ! -x "$R/bin/busybox" ]; then
	skip "VXPERFMAP: a flush loop, then spawns" "no busybox"
	finish
	exit
fi
for e in compat long; do
	# the map is /tmp/perf-PID.map of vxinferno's pid (the exec'd sh's)
	VXENGINE=$e VXPERFMAP=1 VXCACHE=off timeout 600 sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/pid" \
		$VX -r "$R" sh -c 'guest_jitloop 160; echo status $?; /bin/true; echo status $?; guest_jitloop 1; echo status $?' \
		>"$tmp/$e.out" 2>&1
	echo "status $?" >>"$tmp/$e.out"
	vp=$(cat "$tmp/pid")
	rm -f "/tmp/perf-$vp.map"	# a GB of map lines
	printf 'sum %s\nstatus 0\nstatus 0\nsum %s\nstatus 0\nstatus 0\n' 1845493760 4294836224 >"$tmp/want"
	same "$e: VXPERFMAP=1, a guest's flush loop, then spawns still run" "$tmp/want" "$tmp/$e.out"
done
finish
