# io.sh — util-linux's ionice and prlimit on this shell and its
# children: run by the host's bash and programs on its kernel, and by
# the Debian i386 root's as a guest (tests/userland_procps.t).  Not the
# real-time class, which a guest may not take (EPERM) and the host's
# root may.
ionice -p $$
ionice -c3 ionice -p 0
ionice -c2 -n5 ionice
ionice -c2 -n5 sh -c 'ionice; (ionice)'
ionice -c0 -n3 true 2>&1 | sed 's/ionice: //'
ionice -c3 -p $$; ionice -p $$; ionice; ionice -c 0 -p $$; ionice -p $$
sleep 100 & s=$!
ionice -c2 -n7 -p $s; ionice -p $s
ionice -p 999999 2>&1 | sed 's/ionice: //'
setsid sleep 101 & g=$!	# a group of its own (setsid does not fork: no group leader)
pg=
until [ "$pg" = "$g" ]; do read -r _ _ _ _ pg _ </proc/$g/stat; done
ionice -c3 -P $g; ionice -P $g; ionice -p $g
kill $s $g
wait
ulimit -n 100
prlimit --nofile -p $$ | tail -1
prlimit --nofile=50:60 -p $$; ulimit -n; ulimit -Hn
prlimit --nofile=50:70 -p $$ 2>&1 | sed 's/prlimit: //'
prlimit --core -p 999999 2>&1 | sed 's/prlimit: //'
# a negative pid is no process (python's test_resource)
python3 -c 'import resource
try:
    resource.prlimit(-1, resource.RLIMIT_NOFILE)
except ProcessLookupError:
    print("prlimit of pid -1: no such process")'
