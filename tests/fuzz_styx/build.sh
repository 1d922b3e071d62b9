#!/bin/sh
# build.sh — build the 9P libFuzzer targets into build/fuzz_styx/ with
# clang -fsanitize=fuzzer,address,undefined, and their seed corpora:
#	fuzz_unpack	the codec (libstyx's conv, dir, field, fmt, types)
#	fuzz_mnt	the client: devmnt and libstyx against chosen replies
#	fuzz_export	the server: kexport and libstyx against chosen requests
#	fuzz_ns		namespace files (libkern/nsfile.c)
#	fuzz_elf	the ELF loader (libvx/elf.c)
#	fuzz_tcache	the persistent translation cache's loader (libvx/tcache.c)
#			against crafted cache files of the guest tcguest
#			(built with gcc -m32 where it can; else not built)
#	seeds/ mntseeds/ xseeds/ nsseeds/ elfseeds/ tcseeds/	their seeds
#			(mkseeds.c, mkelfseeds.c, fuzz_tcache itself, and below)
# libkern and libstyx objects are instrumented once into mntobj/, libvx's
# C files into vxobj/ (its assembly plain), and rebuilt when a source or
# a header is newer.  Used by tests/styx_fuzz.t
# and tests/fuzz/campaign.sh.  Exit status 2: no libFuzzer here; 1: a
# build failed (its log is on stderr).
cd "$(dirname "$0")/../.." || exit 1
B=build/fuzz_styx
O=$B/mntobj
CC=${FUZZ_CC:-clang}
mkdir -p $B/seeds $B/mntseeds $B/xseeds $B/nsseeds $B/elfseeds $B/tcseeds $O $B/vxobj || exit 1
FL="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Ilibstyx -Itests/lib -g -O1"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CODEC="libstyx/conv.c libstyx/dir.c libstyx/field.c libstyx/fmt.c libstyx/types.c"
log=$B/build.log
: > $log
fail() { cat $log >&2; exit 1; }
# made OUT: OUT is newer than every source, header and object it may be
# made from, and than the compiler and flags last used (make test runs
# this script before the tests, then styx_fuzz.t runs it again: the
# second run links nothing that has not changed)
echo "$CC $FL $SAN" | cmp -s - $B/flags || echo "$CC $FL $SAN" >$B/flags
made() {
	[ -f "$1" ] && [ -z "$(find include libkern libstyx libvx tests/lib tests/fuzz_styx $O $B/vxobj $B/flags -newer "$1" 2>/dev/null | head -1)" ]
}
printf 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;(void)n;return 0;}\n' | cmp -s - $B/probe.c ||
	printf 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;(void)n;return 0;}\n' > $B/probe.c
[ -f $B/probe ] && [ $B/probe -nt $B/probe.c ] && [ $B/probe -nt $B/flags ] ||
	$CC -fsanitize=fuzzer -o $B/probe $B/probe.c 2>/dev/null || exit 2

made $B/fuzz_unpack || $CC $FL -fsanitize=fuzzer $SAN -o $B/fuzz_unpack tests/fuzz_styx/fuzz_unpack.c $CODEC >>$log 2>&1 || fail
# obj DIR FILES: compile each, instrumented, into DIR when out of date,
# two at a time (one core's serial compiling was the last of make
# test's build step)
obj() {
	d=$1
	shift
	rm -f $B/objfail
	running=0
	for f in "$@"; do
		o=$d/$(echo $f | tr / _ | sed 's/\.[cS]$//').o
		if [ ! -f $o ] || [ $f -nt $o ] || [ -n "$(find include libkern libstyx libvx -name '*.h' -newer $o)" ]; then
			case $f in
			*.S) $CC -g -Iinclude -Ilibvx -c -o $o $f ;;
			*) $CC $FL -Ilibvx -fsanitize=fuzzer-no-link $SAN -c -o $o $f ;;
			esac >>$log 2>&1 || { rm -f $o; : >$B/objfail; } &
			running=$((running + 1))
			[ $running -ge 2 ] && { wait; running=0; }
		fi
	done
	wait
	[ ! -e $B/objfail ] || fail
}
obj $O libkern/*.c libstyx/*.c
obj $B/vxobj libvx/*.c libvx/amd64/*.c libvx/amd64/*.S
made $B/fuzz_mnt || $CC $FL -fsanitize=fuzzer $SAN -o $B/fuzz_mnt tests/fuzz_styx/fuzz_mnt.c tests/lib/fake9p.c $O/*.o -lpthread >>$log 2>&1 || fail
made $B/fuzz_export || $CC $FL -fsanitize=fuzzer $SAN -o $B/fuzz_export tests/fuzz_styx/fuzz_export.c $O/*.o -lpthread >>$log 2>&1 || fail
made $B/fuzz_ns || $CC $FL -Ilibkern -fsanitize=fuzzer $SAN -o $B/fuzz_ns tests/fuzz_styx/fuzz_ns.c $O/*.o -lpthread >>$log 2>&1 || fail
made $B/fuzz_elf || $CC $FL -fsanitize=fuzzer $SAN -o $B/fuzz_elf tests/fuzz_styx/fuzz_elf.c $B/vxobj/*.o -lpthread >>$log 2>&1 || fail
# the cache's guest needs an i386 compiler (gcc-multilib); without one
# fuzz_tcache is not built (campaign.sh says so)
if made $B/tcguest || gcc -m32 -static -nostdlib -O1 -fpic -fno-stack-protector -fcf-protection=none \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror -o $B/tcguest tests/fuzz_styx/tcguest.c >>$log 2>&1; then
	made $B/fuzz_tcache || $CC $FL -Ilibvx -fsanitize=fuzzer $SAN -o $B/fuzz_tcache tests/fuzz_styx/fuzz_tcache.c $B/vxobj/*.o -lpthread >>$log 2>&1 || fail
	# its seeds: the cache files the guest's first runs make
	[ -s $B/tcseeds/cold ] && [ $B/tcseeds/cold -nt $B/fuzz_tcache ] ||
		FUZZ_TCACHE_SEEDS=$B/tcseeds ASAN_OPTIONS=detect_leaks=0 $B/fuzz_tcache >>$log 2>&1 || fail
else
	rm -f $B/fuzz_tcache
fi

# seeds: every message type; export sessions; for the client a sane
# session (a record for a request never made), and Rwalk, Rread and
# Rstat replies with their counts raised (see fuzz_mnt.c)
made $B/mkseeds || $CC $FL -o $B/mkseeds tests/fuzz_styx/mkseeds.c $CODEC >>$log 2>&1 || fail
$B/mkseeds $B/seeds >>$log 2>&1 && $B/mkseeds -x $B/xseeds >>$log 2>&1 || fail
{ made $B/mkelfseeds || $CC $FL -o $B/mkelfseeds tests/fuzz_styx/mkelfseeds.c >>$log 2>&1; } && $B/mkelfseeds $B/elfseeds >>$log 2>&1 || fail
# namespace files: each command, quoting, $var, includes, comments
printf "bind -a /b /a\nunmount /b /a\nbind -bc '#c' /b # c\n" > $B/nsseeds/bind
printf "bind /\$where '/my dir'\ncd /\$long\n" > $B/nsseeds/var
printf ". /lib/inc\nunmount /lib\n. /lib/loop\n" > $B/nsseeds/include
printf "mount -u eve -C unix!/x /n spec\nbind 'it''s' /a\ncd\n" > $B/nsseeds/mount
printf '\377\000\000\000' > $B/mntseeds/sane
printf '\002\001\017\000\017\000\000\000\157\000\000\001\000\000\000\000\000\000\000' > $B/mntseeds/rwalk
printf '\006\001\020\000\020\000\000\000\165\000\000\377\000\000\000hell' > $B/mntseeds/rread
printf '\003\001\013\000\013\000\000\000\175\000\000\377\377\000\000' > $B/mntseeds/rstat
printf '\002\010\007\000\007\000\000\000\153\000\000' > $B/mntseeds/strayflush
exit 0
