#!/bin/sh
# vxinferno_pipefault.t — a pipe's read and write whose buffer the guest
# cannot reach all of (tests/guest_pipefault.c), natively and as a guest:
# the counts of Linux's pipe-buffer-at-a-time copy (faults), and a byte
# stream kept exact while another thread unmaps, remaps and reprotects
# the reader's and writer's buffers (race; racev with readv and writev),
# two writers' records whole and in order meanwhile (writers).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_pipefault.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_pipefault

# qemu checks a buffer whole first (EFAULT where Linux moves bytes), and
# fails writers: there Linux's output, recorded (tests/data/pipefault/README)
pfref() { (cd "$R" && refrun ./bin/guest_pipefault "$1"; echo "status $?"); }
refout "$tmp/faults.native" tests/data/pipefault/faults.out pfref faults
timeout 60 $VX -N -r "$R" guest_pipefault faults >"$tmp/faults.guest" 2>&1
echo "status $?" >>"$tmp/faults.guest"
same "pipe reads and writes into buffers that end in an unmapped, PROT_NONE or read-only page: whole pipe buffers moved, EFAULT for none, the rest left; EAGAIN and EPIPE before EFAULT" "$tmp/faults.native" "$tmp/faults.guest"

printf 'written 1048576, read 1048576, wrong bytes 0, faults seen 1\nstatus 0\n' >"$tmp/race.want"
# two runs that saw a fault and kept the stream exact; a run whose
# mutator never won a race (a loaded host) is run again, up to six
for m in race racev; do
	good=0 tries=0
	while [ $good -lt 2 ] && [ $tries -lt 6 ]; do
		tries=$((tries + 1))
		timeout 60 $VX -N -r "$R" guest_pipefault $m >"$tmp/$m.guest" 2>&1
		echo "status $?" >>"$tmp/$m.guest"
		if cmp -s "$tmp/race.want" "$tmp/$m.guest"; then
			good=$((good + 1))
			continue
		fi
		sed 's/faults seen 0$/faults seen 1/' "$tmp/$m.guest" | cmp -s "$tmp/race.want" - || break
	done
	case $m in
	race) what="a pipe's byte stream exact while another thread unmaps, remaps and reprotects the reader's and writer's buffers (two runs)";;
	racev) what="the same with writev and readv of two iovecs (two runs)";;
	esac
	same "$what" "$tmp/race.want" "$tmp/$m.guest"
done

# writers: two writers' 16-byte records (writes of at most PIPE_BUF,
# whole or EFAULT) and one reader, all three buffers changed meanwhile
refout "$tmp/writers.native" tests/data/pipefault/writers.out pfref writers
timeout 60 $VX -N -r "$R" guest_pipefault writers >"$tmp/writers.guest" 2>&1
echo "status $?" >>"$tmp/writers.guest"
same "two writers' records through one pipe, whole, once each and in order, while their buffers and the reader's are unmapped, remapped and reprotected" "$tmp/writers.native" "$tmp/writers.guest"
finish
