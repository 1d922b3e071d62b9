#!/bin/sh
# vxinferno_busybox.t — differential: Debian's busybox applets under
# vxinferno (-r on a scratch directory) print what the same busybox prints
# natively on the same directory.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
if [ ! -x "$BB" ]; then
	echo "1..0 # SKIP no busybox (mk/fetch.sh did not run)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_busybox.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R"
D=$R/d
ABB=$(pwd)/$BB
mkdir -p "$D/sub/deeper"
printf 'pear\napple\nfig\napple\nbanana\n' >"$D/f1"
seq 1 100 >"$D/nums"
seq 1 20000 | sed 's/$/ line of text/' >"$D/big"
printf 'a:1:x\nb:2:y\nc:3:z\n' >"$D/colon"
echo deep >"$D/sub/deeper/file"
echo n >"$D/sub/n"

# each: a name and a shell command run in /d (guest) or $D (native)
check() {
	name=$1
	cmd=$2
	(cd "$D" && refrun "$ABB" sh -c "$cmd") >"$tmp/native" 2>&1
	echo "status $?" >>"$tmp/native"
	timeout 60 $VX -r "$R" sh -c "cd /d && $cmd" >"$tmp/guest" 2>&1
	echo "status $?" >>"$tmp/guest"
	same "$name" "$tmp/native" "$tmp/guest"
}

check "cat" 'cat f1 colon'
check "wc" 'wc -l f1 nums; wc -c big; wc -w < big'
check "grep" 'grep -n apple f1; grep -c line big; grep -v a f1'
check "sed" "sed -e 's/apple/APPLE/g' -e '3d' f1; sed -n '\$p' nums"
check "awk" "awk '{s+=\$1} END {print s, NR}' nums; awk -F: '{print \$3 \$1}' colon"
check "find" 'find . | sort; find . -type f -name "*e*" | sort'
check "sort and uniq" 'sort f1; sort -rn nums | head -3; sort f1 | uniq -c'
check "pipeline" 'cat big | grep 7 | sort -r | uniq | head -5 | tr a-z A-Z'
check "gzip round trip" 'gzip -c big > big.gz && gunzip -c big.gz | md5sum; rm big.gz'
check "gzip -9 and zcat" 'gzip -9c f1 | zcat | md5sum'
check "md5sum" 'md5sum f1 big nums'
check "tar" 'tar cf - sub | tar tf - | sort; tar cf x.tar f1 sub && mkdir -p t && cd t && tar xf ../x.tar && cat f1 sub/n && cd .. && rm -r t x.tar'
check "xargs" 'echo a b c d e | xargs -n 2 echo; find sub -type f | sort | xargs cat'
check "ls" 'ls; ls -a sub; ls -l f1 sub/n | awk "{print \$1, \$5, \$NF}"'
check "files: mkdir touch cp mv rm" 'mkdir nd && touch nd/x && ls nd && cp f1 nd/y && mv nd/y nd/z && cmp f1 nd/z && rm -r nd && ls'
check "shell features" 'x=$(wc -l < f1); echo "lines=$x"; for i in 1 2 3; do echo $i; done | tac; (exit 3); echo $?; cat <<END
here $x
END'
check "redirections" 'echo one > o && echo two >> o && cat o && wc -c < o; rm o'
check "cut head tail od" 'cut -d: -f2 colon; head -2 big; tail -1 big; head -c 16 f1 | od -c'
check "stat and test" 'stat -c "%s %a %F" f1; test -d sub && echo dir; test -f nope || echo nofile'
check "exit status of a pipeline" 'false | true; echo $?; true | false; echo $?'
finish
