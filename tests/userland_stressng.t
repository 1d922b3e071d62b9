#!/bin/sh
# userland_stressng.t — Debian's stress-ng (i386) as a guest: a choice
# of its stressors, two instances each (fcntl one: below), a fixed number of bogo
# operations (--STRESSOR-ops; -t only bounds a run that would hang),
# with --verify, so stress-ng checks its own results.  Each must end
# with status 0 and report no failure.  They are the stressors that
# found bugs (context: the old sigprocmask behind getcontext; full and
# zero: lseek and opening /dev/zero for writing; open: a file created at
# EMFILE; schedpolicy; get: adjtimex; readahead; epoll: EPOLLEXCLUSIVE;
# sigrt: 31 children, whose forks each took a host fd per file mapping)
# and the system calls programs lean on (fork, clone, signals, futexes,
# pipes, locks, polling, mprotect, directories, System V IPC).  The full sweep of
# every stressor is in doc/stress-ng.md.  Skipped when the i386 root
# predates stress-ng.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
. tests/lib/i386root.sh
if [ ! -x "$R/usr/bin/stress-ng" ]; then
	echo "1..0 # SKIP no stress-ng in $R (make i386root: the package list grew in session 18)"
	exit 0
fi
id=sng$$
W=$R/tmp/$id
mkdir -p "$W" "${TMPDIR:-/tmp}" || exit 1
out=$(mktemp "${TMPDIR:-/tmp}/userland_stressng.t.XXXXXX") || exit 1
trap 'rm -rf "$W" "$out"' EXIT INT TERM
# stressor:ops[:instances], the ops sized so that each run takes a few
# tenths of a CPU second here.  fcntl runs alone: this stress-ng names
# its temporary directory by the parent's pid and instance 0 in every
# instance, so the first to finish removes it under the other (the same
# under qemu: mkdir EEXIST, then creat ENOENT); sigrt too, with 31
# children, so that compat's fit (below)
for so in context:200 full:200 zero:200 schedpolicy:200 get:100 open:200 \
	readahead:200 epoll:200 fork:50 vfork:50 clone:50 zombie:50 pipe:200 \
	sigsegv:200 futex:200 eventfd:200 timer:200 sigq:200 sigsuspend:200 \
	sigpending:200 sigfpe:200 sigrt:200:1 kill:200 seek:200 fcntl:200:1 flock:200 \
	lockf:200 poll:200 mprotect:200 getdent:200 dup:50 rename:200 utime:200 \
	sem-sysv:1000 msg:1000 shm-sysv:10; do
	inst=2 mem=
	case $so in *:*:*) inst=${so##*:} so=${so%:*} ;; esac
	s=${so%:*} ops=${so#*:}
	# sigrt: 32 processes, which compat's guests fit in the host's low
	# 4 GiB only at 64 MiB each (-m; then 4 times that, -M, is too little)
	[ "$s" = sigrt ] && mem="-m 64 -M none"
	timeout 120 $VX $mem -r "$R" /usr/bin/stress-ng --temp-path "/tmp/$id" --$s $inst --$s-ops $ops \
		-t 60 --verify >"$out" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q 'fail:' "$out"; then
		okrc 0 "stress-ng --$s $inst --$s-ops $ops --verify"
	else
		okrc 1 "stress-ng --$s $inst --$s-ops $ops --verify (status $rc)"
		grep -v 'metrc:' "$out" | head -8 | sed 's/^/# /' >&2
	fi
done
finish
