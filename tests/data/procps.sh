# procps.sh DIR — procps's ps and pgrep, psmisc's killall, on this
# shell's own children: run by the host's bash and programs on its
# kernel, and by the Debian i386 root's as a guest (tests/userland_tools.t);
# what it prints holds no pid or time.  The children run a program by a
# name no other process has (killall and pkill on the host see all).
d=$1
mkdir -p "$d" && ln -sf /bin/sleep "$d/snz$$" || exit 1
"$d/snz$$" 100 & a=$!
"$d/snz$$" 101 & b=$!
# until both have run the program (comm is set at exec)
for i in $(seq 20000); do
	read -r ca </proc/$a/comm
	read -r cb </proc/$b/comm
	[ "$ca $cb" = "snz$$ snz$$" ] && break
done
echo "comm $ca $cb" | sed "s/snz$$/snzP/g"
# a child in its sleep is S (R before it gets there; ps's own shell
# may be R or S as ps reads: not asked)
for i in $(seq 300); do
	st=$(ps -o stat= -p $a)
	[ "$st" = S ] && break
done
echo "sleeping child: $st"
# in pid order, as /proc lists them
ps -o args= --ppid $$ >"$d/ps"
sed "s|$d/snz$$ |D/snzP |; s/--ppid $$\$/--ppid P/" "$d/ps"
pgrep -x "snz$$" | sed "s/^$a\$/A/; s/^$b\$/B/"
e=$(ps -o etimes= -p $$)
[ "$e" -ge 0 ] && [ "$e" -lt 1000 ] && echo "elapsed in seconds: sane" || echo "elapsed $e"
ps -o etime= -p $$ | grep -q '^ *[0-9][0-9]:[0-9][0-9]$' && echo "elapsed: mm:ss"
pkill -0 -x "snz$$"; echo "pkill -0 $?"
killall -0 "snz$$"; echo "killall -0 $?"
killall "snz$$"; echo "killall $?"
kill $a $b 2>/dev/null	# (when killall failed)
wait $a; echo "first $?"
wait $b; echo "second $?"
killall "snz$$" 2>&1 | sed "s/snz$$/snzP/g"; echo "killall again $?"
# vmstat reads /proc/vmstat
vmstat >"$d/vm"; echo "vmstat $?"
head -2 "$d/vm"
rm -rf "$d"
# an open /proc/PID directory as a pidfd (killall's way): its own, and
# what is none (a task's directory, another of /proc)
python3 -c '
import os, signal
def send(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        signal.pidfd_send_signal(fd, 0)
        print(path.replace(str(os.getpid()), "P"), "ok")
    except OSError as e:
        print(path.replace(str(os.getpid()), "P"), e.strerror)
    os.close(fd)
for p in ("/proc/%d" % os.getpid(), "/proc/self", "/proc/self/task/%d" % os.getpid(), "/proc/sys"):
    send(p)
'
