#!/bin/sh
# vxinferno_rusage.t — getrusage, times, wait4's rusage, /proc/self/stat
# and another process's CPU clock (tests/guest_rusage.c): a process's own
# threads, a thread's own time, the reaped children's (their reaped
# children too, never an orphan's), ru_maxrss, faults and switches,
# clock_getcpuclockid of a child, alive, ended and reaped, the switches
# of another live thread, the size and resident set in status, statm
# and stat of a process that maps, touches and unmaps 64 MiB.  The same
# output natively (or under qemu-i386) and under vxinferno, but for the
# lines "vx:" (qemu-user makes up /proc/self/stat), checked here.
# busybox's time and python3's resource module: a command's figures are
# its own, never a busy sibling's.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_rusage.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_rusage

(cd "$R" && refrun ./bin/guest_rusage; echo "status $?") >"$tmp/native" 2>&1
timeout 120 $VX -r "$R" guest_rusage >"$tmp/guest" 2>&1
echo "status $?" >>"$tmp/guest"
grep -v '^vx:' "$tmp/native" >"$tmp/native.same"
grep -v '^vx:' "$tmp/guest" >"$tmp/guest.same"
same "getrusage, times, wait4, clock_getcpuclockid: as the reference" "$tmp/native.same" "$tmp/guest.same"
grep -q '^vx: /proc/self/stat utime+stime as times says 1, cutime+cstime 1$' "$tmp/guest"
okrc $? "/proc/self/stat's utime, stime, cutime and cstime are what times says"
# the reference's VmSize and vsize are qemu-user's (it reserves the
# guest's address space at its start): checked here
grep -q "^vx: 64 MiB mapped: VmSize grew by it 1, statm's size 1, /proc/self/stat's vsize 1\$" "$tmp/guest" &&
grep -q "^vx: 64 MiB touched: /proc/self/stat's rss grew by it 1\$" "$tmp/guest" &&
grep -q "^vx: 64 MiB unmapped: VmSize back 1, VmPeak kept 1\$" "$tmp/guest"
okrc $? "VmSize, statm's size and stat's vsize follow a 64 MiB mapping, stat's rss its touch"

# busybox time: a busy command's user time is its own; a sleeping one's
# is not its busy sibling's (before: wait4's rusage was zeros, and
# getrusage the whole host process's)
busy='i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'
timeout 120 $VX -r "$R" sh -c "time -p sh -c '$busy'; ( $busy ) & time -p sleep 1; wait" >"$tmp/time" 2>&1
u1=$(awk '$1 == "user" { print $2; exit }' "$tmp/time")
s1=$(awk '$1 == "sys" { print $2; exit }' "$tmp/time")
u2=$(awk '$1 == "user" { n++; if(n == 2) print $2 }' "$tmp/time")
s2=$(awk '$1 == "sys" { n++; if(n == 2) print $2 }' "$tmp/time")
awk -v u="$u1" 'BEGIN { exit !(u + 0 >= 0.1) }'
okrc $? "busybox time of a busy shell loop: user ${u1:-?} s"
# the sibling does the same work: the sleep's figures are a fraction of it
awk -v u="$u2" -v s="$s2" -v b="$u1" -v c="$s1" 'BEGIN { exit !(u != "" && u + s < (b + c) / 4) }'
okrc $? "busybox time of sleep 1 beside a busy sibling: user ${u2:-?} s, sys ${s2:-?} s"

# python3's resource module, in the Debian root when there is one
PYROOT=build/i386root
if [ -x "$PYROOT/usr/bin/python3" ]; then
	timeout 120 $VX -r "$PYROOT" /usr/bin/python3 -c '
import resource, subprocess, time, os
def cpu(r): return r.ru_utime + r.ru_stime
s0 = resource.getrusage(resource.RUSAGE_SELF)
o0 = time.process_time()
p = subprocess.Popen(["/usr/bin/python3", "-c", "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass"])
time.sleep(0.4)
s1 = resource.getrusage(resource.RUSAGE_SELF)
own = time.process_time() - o0
c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
p.wait()
c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
print("self", cpu(s1) - cpu(s0) < own + 0.2, "children", cpu(c0) < 0.1, cpu(c1) >= 0.45, "maxrss", s1.ru_maxrss > 1000, s1.ru_maxrss < 200000)
' >"$tmp/py" 2>&1
	grep -q '^self True children True True maxrss True True$' "$tmp/py"
	okrc $? "python3 resource.getrusage: its own, and a child's once waited for ($(head -c 200 "$tmp/py"))"
else
	skip "python3 resource.getrusage" "no Debian i386 root"
fi
finish
