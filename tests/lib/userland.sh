# userland.sh — sourced by tests/userland*.t from the repository root,
# after tests/vxinferno/lib.sh and per_engine: the Debian i386 root R
# (or a TAP skip when it could not be built), rootrun (the reference:
# chrooted natively, or qemu-i386 -L R) and guestrun (vxinferno -r R),
# the scratch directory W (/tmp/$id inside the root, $tmp on the host)
# and the differential checks check and checkfile.
. tests/lib/i386root.sh
# the native way into the root, with the guest's environment and every
# signal at its default: the guest's side runs under timeout, which
# gives its child SIGINT back, while a suite started as a script's &
# job (SIGINT and SIGQUIT ignored) would pass them on to the reference
GUESTENV="PATH=/usr/local/bin:/usr/bin:/bin HOME=/ TERM=dumb LANG=C"	# vxinferno's defaults
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
UNSHARE=$(command -v unshare || echo /usr/bin/unshare)
# a regular file left there (a program that opened /dev/null in a chroot with no
# devices) would keep the device from being made
[ -c "$R/dev/null" ] || { rm -f "$R/dev/null"; mknod -m 666 "$R/dev/null" c 1 3 2>/dev/null; }
case $REF in
native)
	# in a mount namespace of its own, with the host's /dev and /proc
	# (tests/tools/nativeref.sh): a bare chroot has neither
	NATIVEREF=$(pwd)/tests/tools/nativeref.sh
	if [ "$(id -u)" = 0 ] && $UNSHARE -m sh "$NATIVEREF" $CHROOT "$R" /bin/true 2>/dev/null; then
		rootrun() { env --default-signal -i $GUESTENV $UNSHARE -m sh "$NATIVEREF" $CHROOT "$R" "$@"; }
	elif $UNSHARE -rm sh "$NATIVEREF" $CHROOT "$R" /bin/true 2>/dev/null; then
		rootrun() { env --default-signal -i $GUESTENV $UNSHARE -rm sh "$NATIVEREF" $CHROOT "$R" "$@"; }
	else
		echo "1..0 # SKIP cannot chroot into $R natively with /dev and /proc (not root, no user namespaces)"
		exit 0
	fi ;;
qemu)
	# qemu -L finds files that exist under the root, not new ones, and
	# ld.so does not find every library through it: name the libraries'
	# directories, the scratch directory by its host path, and argv[0]
	rootrun() {
		p=$1
		shift
		for x in "$@"; do
			case $x in /tmp/$id*) x=$R$x ;; esac
			set -- "$@" "$x"
			shift
		done
		env --default-signal -i $GUESTENV qemu-i386 -L "$R" -0 "$p" -E PYTHONHOME="$R/usr" \
			-E LD_LIBRARY_PATH="$R/lib/i386-linux-gnu:$R/usr/lib/i386-linux-gnu" "$R$p" "$@" \
			>"$tmp/q.out" 2>"$tmp/q.err"
		st=$?
		# the scratch directory by its guest name again, in text
		if grep -qI . "$tmp/q.out"; then sed "s|$R/|/|g" "$tmp/q.out"; else cat "$tmp/q.out"; fi
		sed "s|$R/|/|g" "$tmp/q.err" >&2
		return $st
	} ;;
*)
	echo "1..0 # SKIP $REF_WHY"
	exit 0 ;;
esac
# GUESTOPTS: more vxinferno options for the guest's side (checkwith)
GUESTOPTS=
guestrun() { timeout 120 $VX $GUESTOPTS -r "$R" "$@"; }

# chrootref: under qemu, make the reference the root chrooted with
# qemu-i386-static registered for i386 programs (tests/tools/qemuref.sh),
# as tests/userland_cc.t does: whatever a program executes and every file
# it opens by name are then the root's, as in the guest; or the whole
# test is a TAP skip that says why it cannot be.
chrootref() {
	[ "$REF" = qemu ] || return 0
	QS=$(command -v qemu-i386-static)
	if [ -z "$QS" ]; then
		echo "1..0 # SKIP no qemu-i386-static for a chrooted reference (apt-get install qemu-user-static)"
		exit 0
	fi
	rootrun() { env --default-signal -i $GUESTENV QEMUREF_QEMU=$QS $UNSHARE -Urm tests/tools/qemuref.sh $CHROOT "$R" "$@"; }
	rootrun /bin/sh -c 'exit 42' 2>/dev/null
	if [ $? -ne 42 ]; then
		echo "1..0 # SKIP cannot run $R chrooted under qemu-i386-static (no binfmt_misc in a user namespace)"
		exit 0
	fi
}

id=ut$$
W=$R/tmp/$id		# the scratch directory, /tmp/$id inside
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0").XXXXXX") || exit 1
trap 'rm -rf "$tmp" "$W"' EXIT INT TERM
mkdir -p "$W" || exit 1
# check NAME STDIN PROG ARGS...: stdout (as its checksum when large),
# stderr and the exit status, natively and as a guest; @K@ in an
# argument is n for the native run, g for the guest's
check() {
	name=$1
	in=$2
	shift 2
	for k in n g; do
		a=""
		for x in "$@"; do
			x=$(printf '%s' "$x" | sed "s/@K@/$k/g; s/'/'\\\\''/g")
			a="$a '$x'"
		done
		if [ $k = n ]; then eval rootrun "$a"; else eval guestrun "$a"; fi <"$in" >"$tmp/$k.out" 2>"$tmp/$k.err"
		echo "status $?" >"$tmp/$( [ $k = n ] && echo native || echo guest)"
	done
	for k in n g; do
		# a directory's order is the file system's: sorted when asked
		[ -n "${SORTOUT:-}" ] && sort -o "$tmp/$k.out" "$tmp/$k.out"
		s=$(wc -c <"$tmp/$k.out")
		if [ "$s" -gt 4096 ]; then
			echo "$s bytes, sha256 $(sha256sum <"$tmp/$k.out" | cut -c1-64)"
		else
			cat "$tmp/$k.out"
		fi >>"$( [ $k = n ] && echo "$tmp/native" || echo "$tmp/guest")"
		cat "$tmp/$k.err" >>"$( [ $k = n ] && echo "$tmp/native" || echo "$tmp/guest")"
	done
	same "$name" "$tmp/native" "$tmp/guest"
}
# checkwith OPTS NAME STDIN PROG ARGS...: check, with vxinferno options
# OPTS for the guest (a bigger window than compat's default, say)
checkwith() {
	GUESTOPTS=$1
	shift
	check "$@"
	GUESTOPTS=
}

# checkfile NAME PROG ARGS...: the same for a program that writes the
# file @OUT@ (a file it may seek in; the guest's stdout is the console)
checkfile() {
	name=$1
	shift
	for k in n g; do
		a=""
		for x in "$@"; do
			[ "$x" = @OUT@ ] && x=/tmp/$id/out.$k
			a="$a '$x'"
		done
		if [ $k = n ]; then eval rootrun "$a"; else eval guestrun "$a"; fi </dev/null >"$tmp/$k.o" 2>&1
		echo "status $?" >>"$tmp/$k.o"
		echo "$(wc -c <"$W/out.$k") bytes, sha256 $(sha256sum <"$W/out.$k" | cut -c1-64)" >>"$tmp/$k.o"
		rm -f "$W/out.$k"
	done
	same "$name" "$tmp/n.o" "$tmp/g.o"
}

# hostcheck NAME HOSTPROG GUESTPROG SCRIPT ARGS...: the reference is the
# host's own HOSTPROG (its x86-64 build, on its kernel) running the copy
# of SCRIPT in the scratch directory, the guest the root's GUESTPROG
# running the same copy; @W@ in an argument is that directory (by its
# host name, by its guest name).  Stdout and stderr together and the
# exit status compared.
hostcheck() {
	name=$1
	hp=$2
	gp=$3
	sc=$4
	shift 4
	a=""
	for x in "$@"; do
		a="$a '$(printf '%s' "$x" | sed "s/'/'\\\\''/g")'"
	done
	eval "set -- $(printf '%s' "$a" | sed "s|@W@|$W|g")"
	env -i PATH=/usr/bin:/bin "$hp" "$W/$sc" "$@" >"$tmp/host" 2>&1
	echo "status $?" >>"$tmp/host"
	eval "set -- $(printf '%s' "$a" | sed "s|@W@|/tmp/$id|g")"
	guestrun "$gp" "/tmp/$id/$sc" "$@" >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "$name" "$tmp/host" "$tmp/guest"
}
