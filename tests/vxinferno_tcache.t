#!/bin/sh
# vxinferno_tcache.t — the persistent translation cache (libvx/tcache.c):
# programs print the same with the cache off, cold and warm, and a warm
# run takes its fragments from the cache (busybox forking a pipeline,
# threads, self-modifying code, python3 from the Debian i386 root) and
# leaves guest code less often, its cached code taken ahead; a
# cached fragment is not used for other guest bytes at its address; a
# damaged or truncated file is a miss; VXCACHE=off writes nothing; an
# unusable directory is silently no cache; the default (no VXCACHE) is
# the persistent cache in $XDG_CACHE_HOME or $HOME, where the trust
# rules accept it, else silently in memory (-t says why); VXCACHE=on's
# directory and its mode; VXCACHEMAX bounds the directory; a program run
# again in one vxinferno reads its file once, unless a new one was
# renamed in; with VXCACHE=memory, a program run again in one vxinferno
# takes the first run's translations from memory, its own code's when
# rebuilt.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_tcache.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_threads guest_tcache guest_tcbus guest_tcwarm
cp build/guest/smc.O2 "$R/bin/smc" 2>/dev/null
unset XDG_CACHE_HOME VXCACHEMAX

# compat has no validator: it keeps no cache (vx_tcattach)
if [ "${VXTEST_ENGINE:-}" = compat ]; then
	VXCACHE=$tmp/cache.compat $VX -r "$R" guest_threads >"$tmp/compat.out" 2>&1
	okrc "$([ $? = 0 ] && ! ls "$tmp"/cache.compat/*.vxtc >/dev/null 2>&1; echo $?)" "compat: runs and writes no cache file"
	env -u VXCACHE XDG_CACHE_HOME="$tmp/xdg.compat" $VX -t -r "$R" guest_threads >/dev/null 2>"$tmp/compat.err"
	okrc "$([ ! -e "$tmp/xdg.compat/vxinferno" ] && grep -q 'tcache in memory (the default directory refused: the compat engine' "$tmp/compat.err"; echo $?)" \
		"compat: the default makes no cache directory, -t says why"
	finish
	exit
fi

# hits FILE / misses FILE: the counts in vxinferno -t's statistics line
hits() { sed -n 's/.*cache hits \([0-9]*\), misses \([0-9]*\).*/\1/p' "$1" | tail -1; }
misses() { sed -n 's/.*cache hits \([0-9]*\), misses \([0-9]*\).*/\2/p' "$1" | tail -1; }
shared() { sed -n 's/.*cache hits .*, shared \([0-9]*\).*/\1/p' "$1" | tail -1; }
exits() { sed -n 's/.*stats: .*, exits \([0-9]*\),.*/\1/p' "$1" | tail -1; }

# run NAME CACHE ROOT CMD...: output and status to $tmp/NAME.out, -t's
# trace to $tmp/NAME.err
run() {
	rn=$1 rc=$2 rr=$3
	shift 3
	VXCACHE=$rc timeout 120 $VX -t -r "$rr" "$@" >"$tmp/$rn.out" 2>"$tmp/$rn.err" </dev/null
	echo "status $?" >>"$tmp/$rn.out"
}

# coldwarm NAME ROOT CMD...: off, cold and warm print the same; the cold
# run misses and writes the file, the warm run hits
coldwarm() {
	name=$1 root=$2
	shift 2
	C=$tmp/cache.$name
	run "$name.off" off "$root" "$@"
	run "$name.cold" "$C" "$root" "$@"
	run "$name.warm" "$C" "$root" "$@"
	same "$name: cold cache prints as no cache" "$tmp/$name.off.out" "$tmp/$name.cold.out"
	same "$name: warm cache prints as no cache" "$tmp/$name.off.out" "$tmp/$name.warm.out"
	h=$(hits "$tmp/$name.cold.err") m=$(misses "$tmp/$name.cold.err")
	okrc "$([ "${h:-1}" -eq 0 ] && [ "${m:-0}" -gt 0 ] && ls "$C"/*.vxtc >/dev/null 2>&1; echo $?)" \
		"$name: a cold run translates (hits ${h:-?}, misses ${m:-?}) and writes the cache"
	h=$(hits "$tmp/$name.warm.err") m=$(misses "$tmp/$name.warm.err")
	okrc "$([ "${h:-0}" -gt 0 ] && [ "${h:-0}" -gt "${m:-0}" ]; echo $?)" \
		"$name: a warm run takes most fragments from the cache (hits ${h:-?}, misses ${m:-?})"
}

# leaves NAME [N D]: the warm run left guest code less often than the
# cold one, under N/D as often (3/4 unless given): after a hit the entries
# the file has next are taken and linked with it (translate.c,
# runahead), not one at an exit each (a program of one thread:
# sandboxes that share a cache object do not run ahead); an entry
# marked as an indirect target gets its table slot, one made at a chain
# exit is linked from there (fromcache; python3 left 0.42 as often
# before, 0.21 with them)
leaves() {
	c=$(exits "$tmp/$1.cold.err") w=$(exits "$tmp/$1.warm.err")
	okrc "$([ -n "$c" ] && [ -n "$w" ] && [ $((${3:-4} * w)) -lt $((${2:-3} * c)) ]; echo $?)" \
		"$1: a warm run takes its cached code ahead, linked (exits cold ${c:-?}, warm ${w:-?}, under ${2:-3}/${3:-4})"
}

if [ -x "$R/bin/busybox" ]; then
	coldwarm busybox "$R" sh -c 'seq 1 3000 | sort -rn | head -3; echo $((6 * 7)) | md5sum; ls /bin/sh /bin/cat'
else
	for i in 1 2 3 4; do skip "busybox: cold and warm" "no busybox (mk/fetch.sh did not run)"; done
fi
coldwarm threads "$R" guest_threads
coldwarm one "$R" guest_tcache
leaves one

# a program that turns warm (a million rets: translate.c, vx_rtabwarm)
# and runs new code after the warming flush, itself and in a child
# forked then: the warm form's translations are kept too (tcache.c,
# vx_tcwarm), and the child starts cold on the cold form's, so a warm
# run translates almost nothing (before, everything after the flush:
# 460 of 1,140 fragments); the same under VXVALIDATE=1
C=$tmp/cache.tcwarm
run tcwarm.off off "$R" guest_tcwarm
run tcwarm.cold "$C" "$R" guest_tcwarm
run tcwarm.warm "$C" "$R" guest_tcwarm
VXVALIDATE=1 run tcwarm.valid "$C" "$R" guest_tcwarm
same "tcwarm: cold cache prints as no cache" "$tmp/tcwarm.off.out" "$tmp/tcwarm.cold.out"
same "tcwarm: warm cache prints as no cache" "$tmp/tcwarm.off.out" "$tmp/tcwarm.warm.out"
same "tcwarm: warm cache under VXVALIDATE=1 prints as no cache" "$tmp/tcwarm.off.out" "$tmp/tcwarm.valid.out"
f=$(sed -n 's/.*stats: fragments \([0-9]*\),.*/\1/p' "$tmp/tcwarm.warm.err" | tail -1)
h=$(hits "$tmp/tcwarm.warm.err")
okrc "$([ -n "$f" ] && [ -n "$h" ] && [ $((10 * (f - h))) -lt "$f" ]; echo $?)" \
	"tcwarm: a warm run takes the code run after the warming flush from the cache too (fragments ${f:-?}, hits ${h:-?})"
if [ -x "$R/bin/smc" ]; then
	coldwarm smc "$R" smc
	# VXVALIDATE=1: fragments from the cache go through the validator too
	VXVALIDATE=1 run smc.valid "$tmp/cache.smc" "$R" smc
	same "smc: warm cache under VXVALIDATE=1 prints as no cache" "$tmp/smc.off.out" "$tmp/smc.valid.out"
else
	for i in 1 2 3 4 5; do skip "smc: cold and warm" "build/guest/smc.O2 not built"; done
fi
I=${I386ROOT:-build/i386root}
if [ -f "$I/.i386root" ]; then
	I=$(cd "$I" && pwd)
	coldwarm python3 "$I" /usr/bin/python3 -c 'import json, hashlib; print(json.dumps({"k": hashlib.sha256(b"vx").hexdigest()}, sort_keys=True))'
	leaves python3 1 3
else
	for i in 1 2 3 4 5; do skip "python3: cold and warm" "no Debian i386 root in $I"; done
fi

# a program run again after its last process exited, in the same
# vxinferno (a shell loop of compiles runs cc1 afresh each time): its
# file is read once and the copy kept; when another writer has renamed a
# new file in meanwhile (another inode), the new one is read.  The
# program is guest_tcache, one thread, the same code each run: a run of
# guest_threads under load took paths its cold run had not, and with
# 1/NEWFEW new fragments its file was written again, not kept (opened 2
# times in a prove -j4 run at load 16)
# opens NAME FILE: how many times strace's log NAME opened FILE
opens() { grep -c "openat([^\"]*\"$(basename "$2")\"" "$tmp/$1.strace"; }
if command -v strace >/dev/null 2>&1 && [ -x "$R/bin/busybox" ]; then
	C=$tmp/cache.once
	run once "$C" "$R" guest_tcache
	f=$(ls "$C"/*.vxtc | head -1)
	cat "$tmp/once.out" "$tmp/once.out" | grep -v '^status' >"$tmp/twice.want"
	echo "status 0" >>"$tmp/twice.want"
	VXCACHE=$C strace -f -qq -e trace=openat -o "$tmp/kept.strace" $VX -r "$R" sh -c 'guest_tcache; guest_tcache' >"$tmp/kept.out" 2>&1 </dev/null
	echo "status $?" >>"$tmp/kept.out"
	same "run twice in one vxinferno with a warm cache: prints as without" "$tmp/twice.want" "$tmp/kept.out"
	k=$(opens kept "$f")
	okrc "$([ "$k" = 1 ]; echo $?)" "its cache file is read once, the copy kept for the second run (opened $k times)"
	rm -f "$R/step" "$R/go"
	VXCACHE=$C strace -f -qq -e trace=openat -o "$tmp/renamed.strace" $VX -r "$R" sh -c \
		'guest_tcache; touch /step; while [ ! -e /go ]; do sleep 0.1; done; guest_tcache' >"$tmp/renamed.out" 2>&1 </dev/null &
	i=0
	while [ ! -e "$R/step" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	cp "$f" "$f.new" && mv "$f.new" "$f"
	touch "$R/go"
	wait $!
	echo "status $?" >>"$tmp/renamed.out"
	same "a cache file renamed over meanwhile: prints as without" "$tmp/twice.want" "$tmp/renamed.out"
	k=$(opens renamed "$f")
	okrc "$([ "$k" = 2 ]; echo $?)" "a cache file renamed over between the runs is read again (opened $k times)"
	rm -f "$R/step" "$R/go"
else
	for i in 1 2 3 4; do skip "a program run again in one vxinferno" "no strace or no busybox"; done
fi

# the same path, rebuilt with other code at the same address: the cached
# translation of the old bytes is not used
C=$tmp/cache.rebuilt
for a in 1 2; do
	gcc -m32 -static -O1 -Wl,--build-id=none -DANSWER=$a -o "$tmp/answer$a" tests/guest_tcache.c
done
cp "$tmp/answer1" "$R/bin/answer"
run answer1 "$C" "$R" answer
cp "$tmp/answer2" "$R/bin/answer"
run answer2 "$C" "$R" answer
okrc "$(grep -qx 'answer 1499500' "$tmp/answer1.out"; echo $?)" "rebuilt: the first build runs (answer 1499500)"
if cmp -s -n 4096 "$tmp/answer1" "$tmp/answer2" && [ "$(wc -c <"$tmp/answer1")" = "$(wc -c <"$tmp/answer2")" ]; then
	okrc "$(grep -qx 'answer 1500500' "$tmp/answer2.out"; echo $?)" "rebuilt: the second build runs its own code (answer 1500500), not the cached first"
	h=$(hits "$tmp/answer2.err") m=$(misses "$tmp/answer2.err")
	okrc "$([ "${h:-0}" -gt 0 ] && [ "${m:-0}" -gt 0 ]; echo $?)" \
		"rebuilt: same key, so the unchanged code hits and the changed misses (hits ${h:-?}, misses ${m:-?})"
else
	skip "rebuilt: the second build runs its own code" "the two builds differ in their first page or size"
	skip "rebuilt: same key" "the two builds differ in their first page or size"
fi

# VXCACHE=memory: translations kept in memory only (vx_tcmemory), for this
# vxinferno's later sandboxes of a program: run three times, it prints
# as with VXCACHE=off and the later runs take fragments made by the
# first (VXCACHE=off: none); the rebuilt program swapped in between two
# runs of one vxinferno (same key, other code) runs its own code
if [ -x "$R/bin/busybox" ]; then
	# memrun NAME CACHE CMD: as run, VXCACHE=memory when CACHE is -
	memrun() {
		if [ "$2" = - ]; then
			VXCACHE=memory timeout 120 $VX -t -r "$R" sh -c "$3" >"$tmp/$1.out" 2>"$tmp/$1.err" </dev/null
		else
			VXCACHE=$2 timeout 120 $VX -t -r "$R" sh -c "$3" >"$tmp/$1.out" 2>"$tmp/$1.err" </dev/null
		fi
		echo "status $?" >>"$tmp/$1.out"
	}
	memrun mem.off off 'guest_tcache; guest_tcache; guest_tcache'
	memrun mem - 'guest_tcache; guest_tcache; guest_tcache'
	same "in memory: three runs print as with VXCACHE=off" "$tmp/mem.off.out" "$tmp/mem.out"
	h=$(hits "$tmp/mem.err") m=$(misses "$tmp/mem.err")
	okrc "$(grep -q 'tcache in memory' "$tmp/mem.err" && [ "${h:-0}" -gt 0 ]; echo $?)" \
		"in memory: the later runs take their fragments from the first's (hits ${h:-?}, misses ${m:-?})"
	h=$(shared "$tmp/mem.err")
	okrc "$([ "${h:-0}" -gt 0 ]; echo $?)" "in memory: the shell's later children take the fork paths its first child translated (shared ${h:-?})"
	h=$(hits "$tmp/mem.off.err") m=$(shared "$tmp/mem.off.err")
	okrc "$([ "${h:-1}" -eq 0 ] && [ "${m:-1}" -eq 0 ]; echo $?)" "VXCACHE=off: no fragment from another run (hits ${h:-?}, shared ${m:-?})"
	cp "$tmp/answer1" "$R/bin/answer"
	cp "$tmp/answer2" "$R/bin/answer2"
	memrun mem.rebuilt - 'answer; answer; cat /bin/answer2 >/bin/answer; answer'
	printf 'answer 1499500\nanswer 1499500\nanswer 1500500\nstatus 0\n' >"$tmp/mem.rebuilt.want"
	same "in memory: a program rebuilt between two runs runs its own code, not the kept copy's" \
		"$tmp/mem.rebuilt.want" "$tmp/mem.rebuilt.out"
else
	for i in 1 2 3 4 5; do skip "in memory" "no busybox"; done
fi

# damage: bytes overwritten in the middle, one byte changed, a truncated
# file, garbage.  One sum covers the whole file: a file with a byte
# changed anywhere is not used at all (no entry of it is taken)
if [ -x "$R/bin/busybox" ]; then
	P="seq 1 3000 | sort -rn | head -3; echo \$((6 * 7)) | md5sum; ls /bin/sh /bin/cat"
	for how in middle byte truncate garbage; do
		C=$tmp/cache.$how
		rm -rf "$C"
		cp -r "$tmp/cache.busybox" "$C"
		f=$(ls "$C"/*.vxtc | head -1)
		sz=$(wc -c <"$f")
		case $how in
		middle) head -c 20000 /dev/urandom | dd of="$f" bs=1 seek=$((sz / 2)) conv=notrunc 2>/dev/null ;;
		byte)
			o=$((sz * 3 / 4))
			b=$(od -An -tu1 -j"$o" -N1 "$f" | tr -d ' ')
			printf "\\$(printf %03o $(((b + 1) % 256)))" | dd of="$f" bs=1 seek="$o" conv=notrunc 2>/dev/null ;;
		truncate) truncate -s $((sz / 2)) "$f" ;;
		garbage) head -c "$sz" /dev/urandom >"$f" ;;
		esac
		run "damaged.$how" "$C" "$R" sh -c "$P"
		same "damaged cache ($how): prints as no cache" "$tmp/busybox.off.out" "$tmp/damaged.$how.out"
	done
	h=$(hits "$tmp/damaged.truncate.err")
	okrc "$([ "${h:-1}" -eq 0 ]; echo $?)" "a truncated cache file is not used at all (hits ${h:-?})"
	h=$(hits "$tmp/damaged.byte.err")
	okrc "$([ "${h:-1}" -eq 0 ]; echo $?)" "a cache file with one byte changed is not used at all (hits ${h:-?})"
else
	for i in 1 2 3 4 5 6; do skip "damaged cache" "no busybox"; done
fi

# a cache file truncated in place while a sandbox uses it (tcache.c
# maps the file, vx_tcbus): the pages past the new end read as zeros,
# which are no entry, and the run prints as without a cache instead of
# dying of SIGBUS.  The shell says ready once its file is mapped and
# waits on a FIFO while the file is cut to one page; the pipeline after
# that looks its fragments up in the pages gone
if [ -x "$R/bin/busybox" ]; then
	C=$tmp/cache.cut
	rm -rf "$C" "$tmp/in" "$tmp/out"
	cp -r "$tmp/cache.busybox" "$C"
	f=$(ls "$C"/*.vxtc | head -1)
	mkfifo "$tmp/in" "$tmp/out"
	VXCACHE=$C timeout 120 $VX -r "$R" sh -c "echo ready; read x; $P" <"$tmp/in" >"$tmp/out" 2>&1 &
	cut=$!
	exec 3>"$tmp/in" 4<"$tmp/out"
	read -r line <&4
	truncate -s 4096 "$f"
	echo go >&3
	exec 3>&-
	cat <&4 >"$tmp/cut.out"
	exec 4<&-
	wait $cut
	echo "status $?" >>"$tmp/cut.out"
	same "a cache file truncated in place while in use: prints as no cache ($line)" "$tmp/busybox.off.out" "$tmp/cut.out"
else
	skip "a cache file truncated in place while in use" "no busybox"
fi

# a fault in code from a mapped cache file after the file changed in
# place under it (cut to one page, or its entries overwritten with 0xff
# bytes): the fragment's map must be the one checked at the load, not
# the file's bytes now (tcache.c, vx_tcget copies it).  Read in place,
# a SIGSEGV's eip was the fragment's start, a guest's own SIGBUS (its
# mapping past its file's end) killed vxinferno with SIGBUS (the
# handler read the map from a page cut away with SIGBUS blocked), and
# 0xff bytes left no map entry for the pc (red team, session 23).
# guest_tcbus faults thrice, says ready, waits, and faults thrice more
tcbus() {
	how=$1 change=$2 C=$tmp/cache.tcbus.$1.$2 O=$tmp/tcbus.$1.$2
	echo go | VXCACHE=off timeout 120 $VX -r "$R" guest_tcbus "$how" >"$O.off" 2>&1
	echo "status $?" >>"$O.off"
	echo go | VXCACHE=$C timeout 120 $VX -r "$R" guest_tcbus "$how" >/dev/null 2>&1
	f=$(ls "$C"/*.vxtc 2>/dev/null | head -1)
	rm -f "$tmp/in" "$tmp/out"
	mkfifo "$tmp/in" "$tmp/out"
	VXCACHE=$C timeout 120 $VX -r "$R" guest_tcbus "$how" <"$tmp/in" >"$tmp/out" 2>&1 &
	pid=$!
	exec 3>"$tmp/in" 4<"$tmp/out"
	: >"$O.cut"
	while read -r line <&4; do
		echo "$line" >>"$O.cut"
		[ "$line" = ready ] && break
	done
	if [ -n "$f" ] && [ "$change" = cut ]; then
		truncate -s 4096 "$f"
	elif [ -n "$f" ]; then
		sz=$(wc -c <"$f")
		head -c $((sz - 4096)) /dev/zero | tr '\0' '\377' | dd of="$f" bs=4096 seek=1 conv=notrunc 2>/dev/null
	fi
	echo go >&3
	exec 3>&-
	cat <&4 >>"$O.cut"
	exec 4<&-
	wait $pid
	echo "status $?" >>"$O.cut"
	okrc "$([ -n "$f" ]; echo $?)" "tcbus $how $change: the cold run wrote a cache file"
	same "tcbus $how $change: a fault in cached code after the file changed in place" "$O.off" "$O.cut"
}
if [ -x "$R/bin/guest_tcbus" ]; then
	for t in "segv cut" "bus cut" "segv ff" "bus ff"; do
		tcbus $t
	done
else
	for i in 1 2 3 4 5 6 7 8; do skip "tcbus" "no guest_tcbus"; done
fi

# four processes at once on one new directory (each writes its file
# through a rename): all print right, and the file left is whole
if [ -x "$R/bin/busybox" ]; then
	C=$tmp/cache.four
	for i in 1 2 3 4; do run "four$i" "$C" "$R" sh -c "$P" & done
	wait
	bad=0
	for i in 1 2 3 4; do cmp -s "$tmp/busybox.off.out" "$tmp/four$i.out" || bad=1; done
	okrc $bad "four processes sharing a new cache directory print as no cache"
	run four.warm "$C" "$R" sh -c "$P"
	h=$(hits "$tmp/four.warm.err") m=$(misses "$tmp/four.warm.err")
	# (a few fragments may be new: timing changes which paths a pipeline takes)
	okrc "$(cmp -s "$tmp/busybox.off.out" "$tmp/four.warm.out" && [ "${h:-0}" -gt $((10 * ${m:-1})) ]; echo $?)" \
		"after them, a warm run prints right from a whole cache (hits ${h:-?}, misses ${m:-?})"
else
	for i in 1 2; do skip "four processes" "no busybox"; done
fi

# VXCACHE=off or VXCACHE=memory writes nothing; VXCACHE=on's
# directory is HOME's, mode 0700; XDG_CACHE_HOME wins over HOME; a
# VXCACHE that means nothing is one line on stderr and no cache
H=$tmp/home
mkdir -p "$H"
env HOME="$H" VXCACHE=off $VX -r "$R" guest_threads >/dev/null 2>&1
okrc "$([ ! -e "$H/.cache" ]; echo $?)" "VXCACHE=off: nothing written under HOME"
env HOME="$H" VXCACHE=memory $VX -r "$R" guest_threads >/dev/null 2>&1
okrc "$([ ! -e "$H/.cache" ]; echo $?)" "VXCACHE=memory: nothing written under HOME"
env HOME="$H" VXCACHE=yes $VX -r "$R" guest_threads >"$tmp/bad.out" 2>"$tmp/bad.err"
okrc "$([ $? = 0 ] && [ ! -e "$H/.cache" ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] && grep -q 'VXCACHE=yes' "$tmp/bad.err"; echo $?)" "VXCACHE=yes: runs without a cache, one line says why ($(cat "$tmp/bad.err"))"
# (one process with one thread: a threaded guest whose threads are still
# running when it exits may leave its translations unwritten)
one=guest_threads
[ -x "$R/bin/busybox" ] && one="busybox echo"
env HOME="$H" VXCACHE=on $VX -r "$R" $one >/dev/null 2>&1
okrc "$(ls "$H"/.cache/vxinferno/*.vxtc >/dev/null 2>&1; echo $?)" "VXCACHE=on: the cache is \$HOME/.cache/vxinferno"
m=$(stat -c %a "$H/.cache/vxinferno" 2>/dev/null)
okrc "$([ "$m" = 700 ]; echo $?)" "the cache directory is made mode 0700 (got ${m:-none})"
env VXCACHE=on HOME="$H" XDG_CACHE_HOME="$tmp/xdg" $VX -r "$R" $one >/dev/null 2>&1
okrc "$(ls "$tmp"/xdg/vxinferno/*.vxtc >/dev/null 2>&1; echo $?)" "XDG_CACHE_HOME: the cache is \$XDG_CACHE_HOME/vxinferno"

# the default (no VXCACHE, or empty): the persistent cache in
# $XDG_CACHE_HOME/vxinferno, else $HOME/.cache/vxinferno, made 0700, and
# a second run takes its fragments from the file; where the directory
# will not do, silently the in-memory cache, and -t says why
# dflt NAME CMD...: the default's run, -t's trace in $tmp/NAME.err
dflt() {
	dn=$1
	shift
	env -u VXCACHE HOME="$tmp/dhome" "$@" >"$tmp/$dn.out" 2>"$tmp/$dn.err" </dev/null
	echo "status $?" >>"$tmp/$dn.out"
}
mkdir -p "$tmp/dhome"
dflt dflt.1 XDG_CACHE_HOME="$tmp/dxdg" $VX -t -r "$R" $one
dflt dflt.2 XDG_CACHE_HOME="$tmp/dxdg" VXCACHE= $VX -t -r "$R" $one
m=$(stat -c %a "$tmp/dxdg/vxinferno" 2>/dev/null)
okrc "$(ls "$tmp"/dxdg/vxinferno/*.vxtc >/dev/null 2>&1 && [ "$m" = 700 ] && [ ! -e "$tmp/dhome/.cache" ] &&
	grep -q "tcache $tmp/dxdg/vxinferno (the default)" "$tmp/dflt.1.err"; echo $?)" \
	"no VXCACHE: the cache file is written in \$XDG_CACHE_HOME/vxinferno, made mode 0700 (${m:-none}), nothing under HOME"
h=$(hits "$tmp/dflt.2.err") m=$(misses "$tmp/dflt.2.err")
okrc "$([ "${h:-0}" -gt 0 ] && [ "$(hits "$tmp/dflt.1.err")" = 0 ] && cmp -s "$tmp/dflt.1.out" "$tmp/dflt.2.out"; echo $?)" \
	"no VXCACHE (or empty): the second run takes its fragments from the file (hits ${h:-?}, misses ${m:-?})"
dflt dflt.home $VX -r "$R" $one
okrc "$(ls "$tmp"/dhome/.cache/vxinferno/*.vxtc >/dev/null 2>&1; echo $?)" "no VXCACHE, no XDG_CACHE_HOME: the cache is \$HOME/.cache/vxinferno"
# refusedby NAME: nothing on stderr without -t, one line with it (in
# NAME.t.err) saying the in-memory cache and why; the run printed as
# with the cache off
refusedby() {
	grep "tcache" "$tmp/$1.t.err" | grep -q "tcache in memory (the default directory refused: $2" &&
		[ ! -s "$tmp/$1.err" ] && cmp -s "$tmp/dflt.1.out" "$tmp/$1.out"
}
: >"$tmp/dplain"
dflt dflt.nodir XDG_CACHE_HOME="$tmp/dplain" $VX -r "$R" $one
dflt dflt.nodir.t XDG_CACHE_HOME="$tmp/dplain" $VX -t -r "$R" $one
okrc "$(refusedby dflt.nodir "tcache: $tmp/dplain/vxinferno"; echo $?)" \
	"no VXCACHE, a directory that cannot be made: in memory, silently; -t says why ($(grep 'tcache in' "$tmp/dflt.nodir.t.err"))"
mkdir -p "$tmp/dgw/vxinferno"
chmod 775 "$tmp/dgw/vxinferno"
dflt dflt.gw XDG_CACHE_HOME="$tmp/dgw" $VX -r "$R" $one
dflt dflt.gw.t XDG_CACHE_HOME="$tmp/dgw" $VX -t -r "$R" $one
okrc "$(refusedby dflt.gw "tcache: $tmp/dgw/vxinferno: unsafe" && ! ls "$tmp"/dgw/vxinferno/*.vxtc >/dev/null 2>&1; echo $?)" \
	"no VXCACHE, a group-writable directory: in memory, silently; -t says why"
env -u VXCACHE -u HOME -u XDG_CACHE_HOME $VX -t -r "$R" $one >"$tmp/dflt.none.out" 2>"$tmp/dflt.none.t.err" </dev/null
echo "status $?" >>"$tmp/dflt.none.out"
: >"$tmp/dflt.none.err"
okrc "$(refusedby dflt.none "no XDG_CACHE_HOME or HOME"; echo $?)" "no VXCACHE, no HOME: in memory, -t says why"
# a guest whose root is writable (no -R) holding the default directory
# gets no cache there, and the directory is not made; with -R it does
RA=$(cd "$R" && pwd)
dflt dflt.root XDG_CACHE_HOME="$RA/tmp/dxdg" $VX -r "$R" $one
dflt dflt.root.t XDG_CACHE_HOME="$RA/tmp/dxdg" $VX -t -r "$R" $one
okrc "$(refusedby dflt.root "$RA/tmp/dxdg/vxinferno is inside the root" && [ ! -e "$RA/tmp/dxdg" ]; echo $?)" \
	"no VXCACHE, the directory inside the writable root: no cache there, silently; -t says why"
dflt dflt.rootro XDG_CACHE_HOME="$RA/tmp/dxdg" $VX -t -R -r "$R" $one
okrc "$(ls "$RA"/tmp/dxdg/vxinferno/*.vxtc >/dev/null 2>&1; echo $?)" "no VXCACHE, the directory inside a root -R makes read-only: used"
rm -rf "$RA/tmp/dxdg"
mkdir -p "$tmp/dbind"
dflt dflt.bind XDG_CACHE_HOME="$tmp/dbind/c" $VX -t -r "$R" -b "$tmp/dbind:/mnt:rw" $one
okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/dbind/c/vxinferno is inside $tmp/dbind, which guests can write" "$tmp/dflt.bind.err" && [ ! -e "$tmp/dbind/c" ]; echo $?)" \
	"no VXCACHE, the directory under an rw host bind: no cache there"
# a name with .. after a directory that does not exist: mkdir -p would
# go through the directory it makes, to one the check did not look at
# (here inside the writable root); refused, nothing made
dflt dflt.dotdot XDG_CACHE_HOME="$tmp/dmissing/../root/tmp/ddot" $VX -t -r "$R" $one
okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/dmissing/../root/tmp/ddot/vxinferno: . or .. after" "$tmp/dflt.dotdot.err" &&
	[ ! -e "$tmp/dmissing" ] && [ ! -e "$RA/tmp/ddot" ]; echo $?)" \
	"no VXCACHE, .. after a directory that does not exist: refused, nothing made"
# a name longer than the buffer it is made in: refused, not cut to a
# shorter name's directory ($HOME/.c)
mkdir -p "$tmp/dlong"
dflt dflt.long HOME="$tmp/dlong$(printf '/%.0s' $(seq 4080))" $VX -t -r "$R" $one
okrc "$(grep -q "tcache in memory (the default directory refused: .*: too long)" "$tmp/dflt.long.err" &&
	[ -z "$(ls -A "$tmp/dlong")" ]; echo $?)" "no VXCACHE, a HOME too long: refused, nothing made"
# guests reach what is mounted inside the root or an rw bind (devfs
# crosses host mounts), and a HOME on a bind of a directory inside the
# root is in the root's tree whatever its name: refused, in a mount
# namespace of their own (the guest would write the cache directory)
mkdir -p "$tmp/mhome" "$RA/mnt/h" "$RA/home/u" "$tmp/mbind" "$tmp/mrw/h"
if unshare -rm sh -c "mount --bind '$tmp/mhome' '$RA/mnt/h'" 2>/dev/null; then
	unshare -rm sh -c "mount --bind '$tmp/mhome' '$RA/mnt/h' && mount --bind '$tmp/mhome' '$tmp/mrw/h' &&
		env -u VXCACHE -u XDG_CACHE_HOME HOME='$tmp/mhome' $VX -t -r '$R' sh -c 'mkdir -p /mnt/h/.cache/vxinferno; ls /mnt/h/.cache/vxinferno' \
			>'$tmp/dflt.mnt.out' 2>'$tmp/dflt.mnt.err' </dev/null
		env -u VXCACHE -u XDG_CACHE_HOME HOME='$tmp/mhome' $VX -t -R -r '$R' -b '$tmp/mrw:/x:rw' $one \
			>/dev/null 2>'$tmp/dflt.mntrw.err' </dev/null
		VXCACHE='$tmp/mhome/c' $VX -r '$R' $one >/dev/null 2>'$tmp/dflt.mntvx.err' </dev/null"
	okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/mhome/.cache/vxinferno is inside $RA/mnt/h, mounted inside the root" "$tmp/dflt.mnt.err" &&
		! ls "$tmp"/mhome/.cache/vxinferno/*.vxtc >/dev/null 2>&1 && ! ls "$tmp"/mhome/c/*.vxtc >/dev/null 2>&1 &&
		grep -q "mhome/c is inside $RA/mnt/h, mounted inside the root.*; no translation cache" "$tmp/dflt.mntvx.err"; echo $?)" \
		"no VXCACHE, HOME bound inside the writable root: refused (VXCACHE=dir too, said)"
	okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/mhome/.cache/vxinferno is inside $tmp/mrw/h, mounted inside $tmp/mrw, which guests can write" "$tmp/dflt.mntrw.err"; echo $?)" \
		"no VXCACHE, HOME bound inside an rw bind's directory: refused"
	unshare -rm sh -c "mount --bind '$RA/home' '$tmp/mbind' &&
		env -u VXCACHE -u XDG_CACHE_HOME HOME='$tmp/mbind/u' $VX -t -r '$R' $one >/dev/null 2>'$tmp/dflt.mbind.err' </dev/null"
	okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/mbind/u/.cache/vxinferno is inside the root" "$tmp/dflt.mbind.err" &&
		[ ! -e "$RA/home/u/.cache" ]; echo $?)" "no VXCACHE, HOME on a bind of a directory inside the writable root: refused, nothing made"
else
	for i in 1 2 3; do skip "no VXCACHE, HOME reached through a mount" "no mount namespace (unshare -rm) to make one"; done
fi
# a root that is an overlay: guests write its upper directory
mkdir -p "$tmp/ov/l" "$tmp/ov/u/c" "$tmp/ov/w" "$tmp/ov/m"
cp -a "$RA/bin" "$tmp/ov/l/"
ovmount="mount -t overlay none -o lowerdir=$tmp/ov/l,upperdir=$tmp/ov/u,workdir=$tmp/ov/w $tmp/ov/m"
if unshare -rm sh -c "$ovmount" 2>/dev/null; then
	unshare -rm sh -c "$ovmount && env -u VXCACHE XDG_CACHE_HOME='$tmp/ov/u/c' HOME='$tmp/dhome' $VX -t -r '$tmp/ov/m' $one \
		>/dev/null 2>'$tmp/dflt.ov.err' </dev/null"
	okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/ov/u/c/vxinferno is inside the upper directory of the overlay at $tmp/ov/m" "$tmp/dflt.ov.err" &&
		[ ! -e "$tmp/ov/u/c/vxinferno" ]; echo $?)" "no VXCACHE, the directory in the upper directory of the overlay that is the root: refused"
else
	skip "no VXCACHE, the directory in an overlay root's upper directory" "no overlay mount in a user namespace"
fi
# a file system with little free (a full disk: every run would pay for
# a file it cannot write): a 1 MiB tmpfs in a mount namespace of its own
mkdir -p "$tmp/dsmall"
if unshare -rm sh -c "mount -t tmpfs -o size=1m none '$tmp/dsmall'" 2>/dev/null; then
	unshare -rm sh -c "mount -t tmpfs -o size=1m none '$tmp/dsmall' &&
		env -u VXCACHE HOME='$tmp/dhome' XDG_CACHE_HOME='$tmp/dsmall' $VX -t -r '$R' $one 2>'$tmp/dflt.small.err' >'$tmp/dflt.small.out' </dev/null"
	echo "status $?" >>"$tmp/dflt.small.out"
	okrc "$(grep -q "tcache in memory (the default directory refused: $tmp/dsmall/vxinferno: less than 64 MiB free" "$tmp/dflt.small.err" &&
		cmp -s "$tmp/dflt.1.out" "$tmp/dflt.small.out"; echo $?)" "no VXCACHE, a nearly full file system: in memory, -t says why"
else
	skip "no VXCACHE, a nearly full file system" "no mount namespace (unshare -rm) to make one"
fi
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$tmp/dother"
	chown nobody "$tmp/dother"
	dflt dflt.other XDG_CACHE_HOME="$tmp/dother" $VX -r "$R" $one
	dflt dflt.other.t XDG_CACHE_HOME="$tmp/dother" $VX -t -r "$R" $one
	okrc "$(refusedby dflt.other "$tmp/dother/vxinferno: the nearest directory on its path that exists is another user" && [ ! -e "$tmp/dother/vxinferno" ]; echo $?)" \
		"no VXCACHE, XDG_CACHE_HOME another user's (sudo): nothing made there, silently"
else
	skip "no VXCACHE, XDG_CACHE_HOME another user's (sudo)" "not root: cannot make one"
fi

# a directory that cannot be made, or one that cannot be written: the
# program runs as without a cache, and says nothing (one line with -t)
: >"$tmp/plainfile"
VXCACHE=$tmp/plainfile/sub $VX -r "$R" guest_threads >"$tmp/nodir.out" 2>"$tmp/nodir.err"
echo "status $?" >>"$tmp/nodir.out"
same "an impossible cache directory: runs as without a cache" "$tmp/threads.off.out" "$tmp/nodir.out"
okrc "$([ ! -s "$tmp/nodir.err" ]; echo $?)" "an impossible cache directory: nothing on stderr"
okrc "$(VXCACHE=$tmp/plainfile/sub $VX -t -r "$R" true 2>&1 | grep -c 'tcache off' | grep -qx 1; echo $?)" \
	"an impossible cache directory: one line with -t"
VXCACHE=/proc/self/fdinfo $VX -r "$R" guest_threads >"$tmp/rodir.out" 2>"$tmp/rodir.err"
echo "status $?" >>"$tmp/rodir.out"
same "an unwritable cache directory: runs as without a cache" "$tmp/threads.off.out" "$tmp/rodir.out"
okrc "$([ ! -s "$tmp/rodir.err" ]; echo $?)" "an unwritable cache directory: nothing on stderr"

# --- who can make us run a file's bytes (doc/translator.md, "Trust") ---

# a directory others can write, or one of another user's: refused, said
# always, nothing written
D=$tmp/dirs
mkdir -p "$D/ww" "$D/gw" "$D/other"
chmod 777 "$D/ww"
chmod 770 "$D/gw"
VXCACHE=$D/ww $VX -r "$R" guest_threads >"$tmp/ww.out" 2>"$tmp/ww.err"
okrc "$(grep -q 'unsafe, writable by group or others' "$tmp/ww.err" && ! ls "$D"/ww/*.vxtc >/dev/null 2>&1; echo $?)" \
	"a world-writable cache directory is refused and said ($(head -1 "$tmp/ww.err"))"
VXCACHE=$D/gw $VX -r "$R" guest_threads >/dev/null 2>"$tmp/gw.err"
okrc "$(grep -q 'unsafe' "$tmp/gw.err" && ! ls "$D"/gw/*.vxtc >/dev/null 2>&1; echo $?)" "a group-writable cache directory is refused"
if [ "$(id -u)" = 0 ]; then
	chown nobody "$D/other" && chmod 700 "$D/other"
	VXCACHE=$D/other $VX -r "$R" guest_threads >/dev/null 2>"$tmp/other.err"
	okrc "$(grep -q 'unsafe, owned by another user' "$tmp/other.err" && ! ls "$D"/other/*.vxtc >/dev/null 2>&1; echo $?)" \
		"a cache directory of another user's is refused"
else
	skip "a cache directory of another user's is refused" "not root: cannot make one"
fi

# in a good directory, a file that is not this user's own regular file,
# or that others can write, is not read: a symlink to a good cache, a
# copy owned by another user, one mode 0666, a FIFO (must not block)
if [ -x "$R/bin/busybox" ]; then
	P="seq 1 3000 | sort -rn | head -3; echo \$((6 * 7)) | md5sum; ls /bin/sh /bin/cat"
	good=$(ls "$tmp"/cache.busybox/*.vxtc | head -1)
	for how in symlink other mode666 fifo; do
		C=$tmp/cache.file.$how
		mkdir -m 700 "$C"
		f=$C/$(basename "$good")
		case $how in
		symlink) ln -s "$good" "$f" ;;
		# (only root can give a file away; as nobody, a chown to nobody
		# succeeded and left the file the user's own)
		other) cp "$good" "$f"; { [ "$(id -u)" = 0 ] && chown nobody "$f"; } 2>/dev/null || { rm -f "$f"; ln -s /nonexistent "$f"; } ;;
		mode666) cp "$good" "$f"; chmod 666 "$f" ;;
		fifo) mkfifo "$f" ;;
		esac
		VXCACHE=$C timeout 60 $VX -t -r "$R" sh -c "$P" >"$tmp/file.$how.out" 2>"$tmp/file.$how.err" </dev/null
		echo "status $?" >>"$tmp/file.$how.out"
		h=$(hits "$tmp/file.$how.err")
		okrc "$(cmp -s "$tmp/busybox.off.out" "$tmp/file.$how.out" && [ "${h:-1}" -eq 0 ]; echo $?)" \
			"cache file ($how): not read (hits ${h:-?}), runs as without"
	done
else
	for how in symlink other mode666 fifo; do skip "cache file ($how)" "no busybox"; done
fi

# a cache directory the guests can write (the root unless -R, a
# host:old:rw bind) is refused, said always; -R makes the root safe
C=$R/tmp/tcache
$VX -r "$R" true >/dev/null 2>&1
VXCACHE=$(cd "$R" && pwd)/tmp/tcache $VX -r "$R" guest_threads >/dev/null 2>"$tmp/inroot.err"
okrc "$(grep -q 'guests can write' "$tmp/inroot.err" && ! ls "$C"/*.vxtc >/dev/null 2>&1; echo $?)" \
	"a cache inside the writable root is refused ($(head -1 "$tmp/inroot.err"))"
VXCACHE=$(cd "$R" && pwd)/tmp/tcache $VX -R -r "$R" $one >/dev/null 2>"$tmp/inrootro.err"
okrc "$([ ! -s "$tmp/inrootro.err" ] && ls "$C"/*.vxtc >/dev/null 2>&1; echo $?)" "with -R the root is read-only: a cache there is used"
rm -rf "$C"
mkdir -p "$tmp/hostrw"
ln -s "$tmp/hostrw" "$tmp/hostrw.link"
VXCACHE=$tmp/hostrw.link/sub/cache $VX -r "$R" -b "$tmp/hostrw:/mnt:rw" guest_threads >/dev/null 2>"$tmp/inbind.err"
okrc "$(grep -q 'guests can write' "$tmp/inbind.err" && [ ! -e "$tmp/hostrw/sub" ]; echo $?)" \
	"a cache under an rw host bind, named through a symlink, is refused"

# crafted files (build/tcmut): each keeps the file's checksum right, so
# it reaches the bounds and consistency checks; a run must print as without a cache.  Then the code: with
# VXVALIDATE=1 a cached fragment that would make a system call, jump
# into other code or be entered or patched mid-instruction is refused.
# Under ASan (tcache.c instrumented, the file read into malloc'd memory)
# where the compiler has it.
if [ -x "$R/bin/busybox" ] && [ -x build/tcmut ]; then
	ASANVX=
	A=$tmp/asan
	mkdir -p "$A"
	if cc -std=c11 -D_GNU_SOURCE -Iinclude -Ilibvx -g -O1 -fsanitize=address -fno-omit-frame-pointer \
		-c -o "$A/tcache.o" libvx/tcache.c 2>"$A/err" &&
	   cc -fsanitize=address -o "$A/vxinferno" build/cmd/vxinferno.o build/cmd/tcdir.o "$A/tcache.o" build/vxrun.a build/libkern.a \
		build/libstyx.a build/libvx.a -lpthread 2>>"$A/err"; then
		ASANVX=$A/vxinferno
	fi
	for vx in $VX $ASANVX; do
		tag=plain
		[ "$vx" = "$ASANVX" ] && tag=asan
		C=$tmp/cache.craft.$tag
		VXCACHE=$C $vx -r "$R" sh -c "$P" >/dev/null 2>&1 </dev/null
		for how in $(build/tcmut -l); do
			val=0 nohit=0
			case $how in code-syscall|body-mid|site-mid|jmp-cache) val=1 ;; esac
			# fields the validator cannot see, derived again from the
			# guest code with VXVALIDATE=1 (translate.c, cachedfields):
			# every entry left in the file is crafted so, none is taken
			case $how in x87-clear|gend-short|xhi-drop|indirect-x87) val=1 nohit=1 ;; esac
			# the link section's numbers crafted (tcache.h): the file is
			# still used, its entries taken, and no link may go to a
			# fragment that is not at the exit's target
			case $how in link-next|link-huge|first-wild|ord-next|ord-huge|mi-next|mi-inside|page-wild) nohit=-1 ;; esac
			M=$tmp/craft
			rm -rf "$M"
			mkdir -m 700 "$M"
			bad=0
			for f in "$C"/*.vxtc; do
				build/tcmut "$f" "$M/$(basename "$f")" $how || bad=1
			done
			VXVALIDATE=$val VXCACHE=$M ASAN_OPTIONS=detect_leaks=0 timeout 120 $vx -t -r "$R" sh -c "$P" \
				>"$tmp/craft.out" 2>"$tmp/craft.err" </dev/null
			echo "status $?" >>"$tmp/craft.out"
			h=$(hits "$tmp/craft.err")
			okrc "$([ $bad = 0 ] && cmp -s "$tmp/busybox.off.out" "$tmp/craft.out" && ! grep -q AddressSanitizer "$tmp/craft.err" &&
				{ [ $nohit = 0 ] || { [ $nohit = 1 ] && [ "${h:-1}" -eq 0 ]; } || { [ $nohit = -1 ] && [ "${h:-0}" -gt 0 ]; }; }; echo $?)" \
				"crafted cache file ($tag, $how$([ $val = 1 ] && echo ', VXVALIDATE=1')): prints as no cache$([ $nohit = 1 ] && echo ", no entry taken (hits ${h:-none})")$([ $nohit = -1 ] && echo ", entries taken (hits ${h:-none})")"
			[ -s "$tmp/craft.err" ] && grep -m5 -A5 'AddressSanitizer\|ERROR' "$tmp/craft.err" | sed 's/^/# /'
		done
	done
	[ -z "$ASANVX" ] && skip "crafted cache files under ASan" "tcache.c does not build with -fsanitize=address: $(head -1 "$A/err")"
else
	skip "crafted cache files" "no busybox or build/tcmut"
fi

# two builds of vxinferno used in turn (two installed versions, two
# trees) keep a file each, and each hits at its second run: named by
# the same key, the other's file was a miss and overwritten at every
# run.  The other build: a copy with its build id's first byte changed
C=$tmp/cache.builds
if perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; $d = <F>;
	$i = index($d, pack("VVVa4", 4, 20, 3, "GNU")); die if $i < 0;
	substr($d, $i + 16, 1) = chr(ord(substr($d, $i + 16, 1)) ^ 0xff);
	open(O, ">", $ARGV[1]) or die; binmode O; print O $d; close O or die' "$VX" "$tmp/vxinferno.other" 2>/dev/null &&
	chmod +x "$tmp/vxinferno.other"; then
	for k in 1 2; do
		VXCACHE=$C $VX -t -r "$R" $one >/dev/null 2>"$tmp/build.a$k.err" </dev/null
		VXCACHE=$C "$tmp/vxinferno.other" -t -r "$R" $one >/dev/null 2>"$tmp/build.b$k.err" </dev/null
	done
	h=$(hits "$tmp/build.a2.err") m=$(hits "$tmp/build.b2.err")
	okrc "$([ "${h:-0}" -gt 0 ] && [ "${m:-0}" -gt 0 ] && [ "$(ls "$C"/*.vxtc | wc -l)" = 2 ]; echo $?)" \
		"two builds used in turn: a file each, each hits at its second run (hits ${h:-?} and ${m:-?}; $(ls "$C" | tr '\n' ' '))"
else
	skip "two builds used in turn" "no perl to make a copy with another build id"
fi

# VXCACHEMAX bounds the directory: several programs, 1 MiB in all
C=$tmp/cache.max
for p in guest_threads smc answer "sh -c true" "seq 1 10"; do
	VXCACHE=$C VXCACHEMAX=1 $VX -r "$R" $p >/dev/null 2>&1
done
[ -f "$I/.i386root" ] && VXCACHE=$C VXCACHEMAX=1 $VX -r "$I" /usr/bin/python3 -c pass >/dev/null 2>&1
t=$(cat "$C"/*.vxtc 2>/dev/null | wc -c)
nf=$(ls "$C"/*.vxtc 2>/dev/null | wc -l)
okrc "$([ "$t" -le 1048576 ] && [ "$nf" -ge 1 ]; echo $?)" "VXCACHEMAX=1: the directory holds at most 1 MiB ($t bytes in $nf files)"
finish
