#!/bin/sh
# mk/i386root.sh DIR PACKAGE... — a Debian i386 root in DIR: the named
# i386 packages (and dash, for /bin/sh) and everything they depend on, unpacked with dpkg -x (no
# maintainer scripts run, nothing installed on the host).  The only
# network used is apt's package registry.  The .debs are kept in
# DIR.debs, and DIR/.i386root records the package list, so a second run
# with the same packages does nothing.
#
#   mk/i386root.sh build/i386root gzip bzip2 xz-utils python3
#   bin/vxinferno -r build/i386root /usr/bin/python3 -c 'print(1)'
#
# Exit status 2 (and one line saying why) when the registry cannot be
# reached, so tests can skip; 1 for any other failure.
set -u
[ $# -ge 2 ] || { echo "usage: mk/i386root.sh DIR PACKAGE..." >&2; exit 1; }
dir=$1
shift
# dash gives /bin/sh, through which programs run commands (tar its
# compressor, make its recipes, system(3)): Debian always has it
set -- dash "$@"
want=$(printf '%s\n' "$@" | sort -u | tr '\n' ' ')

# ldcache: the root's /etc/ld.so.cache, which a Debian system has (libc-bin's
# trigger runs ldconfig) and without which ld.so probes a dozen hwcap
# directories for every library.  The host's ldconfig reads only ELF
# headers (no i386 code runs on the host) and records i386 libraries as
# "libc6", the flags the i386 ld.so looks for; -X leaves the packages'
# links as they are.  Made again only when missing or older than the
# conf files.
ldcache() {
	[ -e "$1/etc/ld.so.conf" ] || printf 'include /etc/ld.so.conf.d/*.conf\n' >"$1/etc/ld.so.conf" || return 1
	c=$1/etc/ld.so.cache
	if [ -e "$c" ] && [ -z "$(find "$1/etc/ld.so.conf" "$1/etc/ld.so.conf.d" -newer "$c" 2>/dev/null)" ]; then
		return 0
	fi
	LDC=$(command -v ldconfig || echo /sbin/ldconfig)
	if [ "$(id -u)" = 0 ]; then
		"$LDC" -X -r "$1"
	else
		# ldconfig -r chroots
		unshare -r "$LDC" -X -r "$1"
	fi || { echo "i386root: ldconfig -r $1 failed" >&2; return 1; }
}
if [ -f "$dir/.i386root" ] && [ "$(cat "$dir/.i386root")" = "$want" ]; then
	ldcache "$dir" || exit 1
	exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx i386; then
	if [ "$(id -u)" = 0 ]; then
		dpkg --add-architecture i386 && apt-get update -qq >/dev/null 2>&1
	else
		echo "i386root: run as root once: dpkg --add-architecture i386 && apt-get update" >&2
		exit 1
	fi
fi

# apt-cache with a package cache of its own for this run: Debian's
# container images configure none (docker-clean sets Dir::Cache::pkgcache
# to ""), and then every apt-cache call parses all the package lists
# again, 1.5 s of CPU each.  The first call writes the cache, the others
# map it (apt makes it again if the lists change).
aptc=$(mktemp -d "${TMPDIR:-/tmp}/i386root.XXXXXX") || exit 1
trap 'rm -rf "$aptc"' EXIT
withcache() {
	c=$1
	shift
	"$c" -o Dir::Cache::pkgcache="$aptc/pkgcache.bin" -o Dir::Cache::srcpkgcache="$aptc/srcpkgcache.bin" "$@"
}
# The dependency closure: every package line apt-cache prints at the left
# margin.  i386 ones keep their qualifier; unqualified ones are either
# native (amd64: the i386 package of the same name is wanted instead) or
# Architecture: all.
closure() {
	withcache apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$@" 2>/dev/null |
		sed -n 's/^\([a-z0-9][a-z0-9.+-]*\)\(:i386\)\{0,1\}$/\1/p' | sort -u
}
# Each package asked for by its i386 name, but one of Architecture: all
# by its bare name (apt knows no NAME:i386 of it: its closure was empty).
# One apt-cache call for all of them: its stanzas name the package and
# its architecture.
asked() {
	all=" $(withcache apt-cache show --no-all-versions "$@" 2>/dev/null |
		awk '/^Package:/{p=$2} /^Architecture: all$/{print p}' | tr '\n' ' ') "
	for p in "$@"; do
		case $all in
		*" $p "*) echo "$p" ;;
		*) echo "$p:i386" ;;
		esac
	done
}
names=$(closure $(asked "$@"))
if [ -z "$names" ]; then
	[ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1
	names=$(closure $(asked "$@"))
fi
[ -n "$names" ] || { echo "i386root: apt-cache knows none of: $*" >&2; exit 1; }
pkgs=$({ withcache apt-cache show --no-all-versions $names
	withcache apt-cache show --no-all-versions $(for n in $names; do echo "$n:i386"; done); } 2>/dev/null |
	awk '/^Package:/{p=$2} /^Architecture: all$/{print p} /^Architecture: i386$/{print p ":i386"}' | sort -u)

mkdir -p "$dir.debs" || exit 1
cd "$dir.debs" || exit 1
# fetched: a .deb of package $1 is here
fetched() {
	for f in "$1"_*.deb; do
		[ -e "$f" ] && return 0
	done
	return 1
}
need=""
for p in $pkgs; do
	fetched "${p%:i386}" || need="$need $p"
done
if [ -n "$need" ]; then
	if ! withcache apt-get download $need >/dev/null 2>dl.err; then
		[ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1
		if ! withcache apt-get download $need >/dev/null 2>dl.err; then
			echo "i386root: apt-get download failed (registry unreachable?): $(grep -m1 . dl.err)" >&2
			exit 2
		fi
	fi
	rm -f dl.err
fi
cd - >/dev/null || exit 1
rm -rf "$dir"
mkdir -p "$dir" || exit 1
for p in $pkgs; do
	n=${p%:i386}
	for f in "$dir.debs/${n}"_*.deb; do
		dpkg-deb -x "$f" "$dir" || { echo "i386root: dpkg-deb -x $f failed" >&2; exit 1; }
	done
done
# What dpkg's maintainer scripts would have made and programs expect.
mkdir -p "$dir/tmp" "$dir/proc" "$dir/dev" "$dir/etc"
chmod 1777 "$dir/tmp"
[ -e "$dir/etc/passwd" ] || printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$dir/etc/passwd"
[ -e "$dir/etc/group" ] || printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
# /etc/hosts, which Debian's installer writes (netbase, in I386PKGS, has
# /etc/services and /etc/protocols): getaddrinfo("localhost") and
# python's test_socket need it
[ -e "$dir/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n' > "$dir/etc/hosts"
ldcache "$dir" || exit 1
printf '%s' "$want" > "$dir/.i386root"
