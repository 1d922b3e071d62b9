#!/bin/sh
# userland.t — differential: Debian's own i386 programs (dynamically
# linked: ld.so and the libraries come from the guest's namespace) print
# the same bytes and end with the same status under vxinferno as on the
# reference CPU, in the Debian i386 root that mk/i386root.sh builds
# (build/i386root, made by `make i386root`).  Natively the programs run
# chrooted into the same root (unshare -r when not root), or under
# qemu-i386 -L root where the host does not execute i386 code.  Skipped,
# with the reason, when the root could not be built (no registry).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
. tests/lib/userland.sh
mkdir -p "$W/tree/a/b" "$W/tree/c" || exit 1

# the data: a compressible file of MB megabytes, a sound and a picture.
# Two thirds text, a third random bytes in hex.  4 MB: bzip2 -9 still
# makes five blocks, xz -1 has four times its dictionary, gzip streams
# a thousand windows; 20 MB (until session 17) made these checks a
# quarter of the file's CPU, the reference's side under qemu most of it.
MB=${USERLAND_MB:-4}
{ seq 1 $((MB * 20000)) | sed 's/$/ lorem ipsum dolor sit amet/'; head -c $((MB * 200000)) /dev/urandom | od -An -tx1; } |
	head -c $((MB * 1024 * 1024)) >"$W/big"
for i in 1 2 3 4 5; do echo "file $i" >"$W/tree/a/f$i"; echo "$i" >"$W/tree/a/b/g$i"; done
echo c >"$W/tree/c/h"
seq 1 5000 | sort -R --random-source="$W/big" >"$W/shuffled"
media=""
if command -v sox >/dev/null && command -v flac >/dev/null && command -v oggenc >/dev/null && command -v cjpeg >/dev/null; then
	sox -n -q -r 44100 -c 2 -b 16 "$tmp/t.wav" synth 10 sine 440 sine 660 gain -3 &&
	flac -s -f -o "$W/t.flac" "$tmp/t.wav" && oggenc -Q -o "$W/t.ogg" "$tmp/t.wav" &&
	perl -e 'print "P6\n640 480\n255\n"; for $y (0..479){ for $x (0..639){ print pack("C3", $x*$y % 256, ($x+2*$y) % 256, ($x ^ $y) % 256) } }' >"$tmp/t.ppm" &&
	cjpeg -quality 85 "$tmp/t.ppm" >"$W/t.jpg" && media=yes
fi

check "gzip -6 compresses ${MB} MB" "$W/big" /bin/gzip -6 -n -c
cp "$tmp/n.out" "$W/big.gz"	# the native run's output
check "gzip -d round trip" "$W/big.gz" /bin/gzip -d -c
check "bzip2 compresses ${MB} MB" "$W/big" /bin/bzip2 -9 -c
cp "$tmp/n.out" "$W/big.bz2"
check "bzip2 -d round trip" "$W/big.bz2" /bin/bzip2 -d -c
check "xz compresses ${MB} MB" "$W/big" /usr/bin/xz -1 -T1 -c
cp "$tmp/n.out" "$W/big.xz"
check "xz -d round trip" "$W/big.xz" /usr/bin/xz -d -c
head -c 1000 "$W/big.gz" >"$W/cut.gz"
check "gzip -t of a cut file fails the same way" /dev/null /bin/gzip -t "/tmp/$id/cut.gz"

check "python3: hashlib json zlib sqlite3 subprocess threading" /dev/null /usr/bin/python3 -c '
import hashlib, json, zlib, sqlite3, subprocess, threading, os, errno
print(hashlib.sha256(b"vxinferno" * 1000).hexdigest(), hashlib.md5(b"x").hexdigest())
print(json.dumps({"k": [1, 2.5, None, "s"], "n": {"a": True}}, sort_keys=True))
d = bytes(range(256)) * 4000
print(len(zlib.compress(d, 9)), zlib.crc32(d), zlib.decompress(zlib.compress(d)) == d)
c = sqlite3.connect(":memory:")
c.execute("create table t(k integer primary key, v text)")
c.executemany("insert into t(v) values(?)", [(str(i * i),) for i in range(2000)])
print(c.execute("select count(*), sum(length(v)), max(k) from t").fetchone())
out = []
lock = threading.Lock()
def work(i):
    h = hashlib.sha1(str(i).encode()).hexdigest()
    with lock:
        out.append(h)
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
print(sorted(out)[:2], len(out))
r = subprocess.run(["/usr/bin/sort", "-r"], input=b"b\na\nc\n", capture_output=True)
print(r.returncode, r.stdout)
print(subprocess.call(["/bin/false"]), subprocess.check_output(["/bin/echo", "sub"]))
for f, op in (("/nonexistent", open), ("/etc", open), ("/etc/passwd/x", open)):
    try:
        op(f)
    except OSError as e:
        print(f, errno.errorcode[e.errno])
for f in ("/tmp", "/nonexistent/x"):
    try:
        os.mkdir(f)
    except OSError as e:
        print("mkdir", f, errno.errorcode[e.errno])
raise SystemExit(3)
'
check "perl: regexes and fork" /dev/null /usr/bin/perl -e '
my $s = "The quick brown fox jumps over the lazy dog" x 3;
my @w = ($s =~ /\b(\w{5})\b/g); print "@w\n";
(my $t = $s) =~ s/(\w+) (\w+)/$2 $1/g; print substr($t, 0, 60), "\n";
print join(",", map { sprintf "%02x", ord } split //, "Az09"), "\n";
my %h; $h{$_}++ for split /\s+/, $s; print join(" ", map { "$_=$h{$_}" } sort keys %h), "\n";
for my $i (1..3) { my $p = fork(); if ($p == 0) { print "child $i\n"; exit $i } waitpid($p, 0); print "reaped ", $? >> 8, "\n" }
pipe(my $r, my $w); if (!fork()) { close $r; print $w "via pipe\n"; exit 0 } close $w; print scalar <$r>; wait;
exit 4;'
check "sqlite3: 10,000 rows" /dev/null /usr/bin/sqlite3 "/tmp/$id/db.@K@" "create table t(a integer, b text);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 10000)
insert into t select x, printf('row %d', x * 7) from c;
create index ti on t(b);
select count(*), sum(a), min(b), max(b) from t;
select a, b from t where b like 'row 7%' order by a limit 5;
select count(*) from t where a % 3 = 0;"
rm -f "$W/db.n" "$W/db.g"
check "sort -n" "$W/shuffled" /usr/bin/sort -n
check "sort -u of words" "$W/big" /usr/bin/sort -u
check "tar cf" /dev/null /bin/tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "/tmp/$id" -cf - tree
check "tar czf (tar runs gzip through /bin/sh)" /dev/null /bin/tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "/tmp/$id" -czf - tree
rootrun /bin/tar -C "/tmp/$id" -cf "/tmp/$id/tree.tar" tree
SORTOUT=1 check "tar tvf" /dev/null /bin/tar -tvf "/tmp/$id/tree.tar"
mkdir -p "$W/xn" "$W/xg"
rootrun /bin/tar -C "/tmp/$id/xn" -xf "/tmp/$id/tree.tar"
echo "status $?" >"$tmp/native"
guestrun /bin/tar -C "/tmp/$id/xg" -xf "/tmp/$id/tree.tar" >>"$tmp/guest.x" 2>&1
echo "status $?" >"$tmp/guest"
(cd "$W/xn" && find . -printf '%p %y %s %m\n' | sort && cat tree/a/f3) >>"$tmp/native"
(cd "$W/xg" && find . -printf '%p %y %s %m\n' | sort && cat tree/a/f3) >>"$tmp/guest"
cat "$tmp/guest.x" >>"$tmp/guest"
same "tar xf" "$tmp/native" "$tmp/guest"
# what stat says beyond 9P's Dir: link counts (ln, find -links, du and
# tar store a linked file once), blocks (a sparse file has none), a
# directory's size, and times set to the nanosecond (touch -d, cp -p)
check "hard links and times: ln, stat, du, find -links, tar of a linked pair, touch -d, cp -p" /dev/null /bin/bash -c '
d=$1; rm -rf "$d"; mkdir -p "$d/s/t" && cd "$d" && printf 0123456789 >a && ln a b && : >c &&
touch -d "2001-02-03 04:05:06.789" a c && cp -p a p && truncate -s 1M sparse &&
stat -c "%n %h %s %b %y" a b c p && stat -c "%n %h %s %b" sparse s && du -s a sparse && find . -links 2 | sort &&
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - a b | tar -tvf - &&
{ [ p -nt a ] || [ a -nt p ] || echo p and a have the same mtime; } && touch -r a c && stat -c "%n %y" c' bash "/tmp/$id/lk.@K@"
SORTOUT=1 check "find" /dev/null /usr/bin/find "/tmp/$id/tree" -name "*[0-9]" -type f
SORTOUT=1 check "find -printf" /dev/null /usr/bin/find "/tmp/$id/tree" -mindepth 1 -printf "%d %y %m %P\n"
if [ -n "$media" ]; then
	check "flac -d" /dev/null /usr/bin/flac -s -d -c "/tmp/$id/t.flac"
	checkfile "oggdec" /usr/bin/oggdec -Q -o @OUT@ "/tmp/$id/t.ogg"
	check "djpeg" "$W/t.jpg" /usr/bin/djpeg
	check "djpeg -scale 1/2 -bmp" "$W/t.jpg" /usr/bin/djpeg -scale 1/2 -bmp
else
	for t in "flac -d" oggdec djpeg "djpeg -scale 1/2 -bmp"; do
		skip "$t" "no sox, flac, oggenc and cjpeg on the host to make the input (mk/prereq.sh)"
	done
fi

check "bash: process substitution through /dev/fd, here-strings, arrays, arithmetic; /dev/stdout opens a file anew (O_TRUNC)" /dev/null /bin/bash -c '
while read -r l; do echo "got $l"; done < <(printf "%s\n" one two)
read -r a b <<< "here string"; echo "$b $a"
x=(5 3 9); echo "${#x[@]} $(( x[0] * x[2] + x[1] )) ${x[*]:1}"
echo err >/dev/stderr
{ echo first line; echo out >/dev/stdout; echo last; } >"$1"; od -c "$1"
f() { local n=$1; (( n <= 1 )) && { echo 1; return; }; echo $(( n * $(f $((n - 1))) )); }; f 10
exit 5' bash "/tmp/$id/trunc.@K@"
check "a child's chdir is its own: mkdir -p, tar -C, cd in a subshell, then relative names" /dev/null /bin/bash -c '
d=$1; rm -rf "$d"; mkdir "$d" && cd "$d" && mkdir -p a/b/c && echo here > f && [ "$(/bin/pwd)" = "$d" ] && echo still there &&
/bin/tar -C a -cf t.tar b && (cd a/b && /bin/pwd >/dev/null) && /bin/tar -tf t.tar && cat f && ls' bash "/tmp/$id/cwd.@K@"
check "named pipes: mkfifo, a reader in the background, writers, read <>, ls -l, test -p" /dev/null /bin/bash -c '
d=$1; rm -rf "$d"; mkdir "$d" && cd "$d" && /usr/bin/mkfifo p && ls -l p | cut -c1-10 && [ -p p ] && echo is a fifo &&
{ cat p > out & } && echo one > p && wait && cat out &&
{ /usr/bin/tee copy < p | tr a-z A-Z & } && printf "two\nthree\n" > p && wait && cat copy &&
exec 3<> p && echo held >&3 && read -r x <&3 && echo "$x" && exec 3>&- &&
/usr/bin/timeout 0.5 cat p; echo "a reader alone waits: $?"; rm p; ls' bash "/tmp/$id/fifo.@K@"
# git: one process per command, no auto-maintenance (the qemu reference
# would run the host's git for anything git executes); dates fixed, so
# the commit ids are the same everywhere
check "git: init, add, commit, log, cat-file, diff" /dev/null /bin/bash -c '
export HOME="$1" GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@b GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@b GIT_PAGER=cat
g() { /usr/bin/git -c gc.auto=0 -c maintenance.auto=false -c init.defaultBranch=main -C "$HOME" "$@"; }
mkdir "$1" && g init -q && printf "line %s\n" 1 2 3 >"$1/f" && g add f && g commit -q -m first &&
printf "line %s\n" 1 two 3 4 >"$1/f" && g commit -q -a -m second &&
g log --format="%H %s" && g cat-file -p HEAD^{tree} && g diff HEAD~1 --stat && g diff HEAD~1 | tail -n 5 &&
g rev-list --count HEAD && g fsck --no-progress 2>&1' bash "/tmp/$id/repo.@K@"

# A compiler in the namespace: Debian's make -j2 (jobserver pipes, fork
# and exec) drives gcc (cpp, cc1, as, collect2, ld through vfork and
# pipes) to build this tree's 9P library and its codec test; the program
# made in the sandbox, run there, prints what the host compiler's build
# of the same source prints.
if [ -x "$R/usr/bin/make" ] && [ -x "$R/usr/bin/gcc" ]; then
	mkdir -p "$W/cc/tests"
	cp -r libstyx include "$W/cc/" && cp tests/unit/styx_codec.c tests/lib/tap.c tests/lib/tap.h "$W/cc/tests/"
	printf '%s\n' 'CFLAGS = -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Itests' \
		'OBJ = tests/styx_codec.o tests/tap.o $(patsubst %.c,%.o,$(wildcard libstyx/*.c))' \
		'codec: $(OBJ)' '	$(CC) -o $@ $(OBJ) -lpthread' >"$W/cc/Makefile"
	guestrun /usr/bin/make -s -j2 -C "/tmp/$id/cc" CC=gcc </dev/null >"$tmp/cc.out" 2>&1
	okrc $? "make -j2 and gcc build libstyx and its codec test inside the sandbox"
	sed 's/^/# /' "$tmp/cc.out" | head -10
	guestrun "/tmp/$id/cc/codec" </dev/null >"$tmp/codec.guest" 2>&1
	echo "status $?" >>"$tmp/codec.guest"
	cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Itests/lib -o "$tmp/codec" tests/unit/styx_codec.c tests/lib/tap.c libstyx/*.c -lpthread &&
		"$tmp/codec" >"$tmp/codec.host" 2>&1
	echo "status $?" >>"$tmp/codec.host"
	same "the program gcc made in the sandbox prints what the host's build of it prints" "$tmp/codec.host" "$tmp/codec.guest"
else
	skip "make and gcc build libstyx inside the sandbox" "no gcc and make in $R (make i386root)"
	skip "the program gcc made in the sandbox runs" "no gcc and make in $R"
fi

# Wider: what real programs of the Debian root do with the system, each
# against the reference.  Under qemu-i386 only the first program is
# i386: what it executes (sh, coreutils, sleep) is the host's Debian
# build of the same version, so a script's commands are compared with a
# real Linux's.
check "coreutils: date -d, dd, split, od, seq, timeout, nohup, env, id, install, mktemp, realpath, tee, yes|head, touch -d, chmod, ln, mv" /dev/null /bin/bash -c '
d=$1; rm -rf "$d"; mkdir "$d" && cd "$d" && umask 022 || exit 1
date -d "2020-02-29 12:34:56 UTC" +%s; date -u -d @1234567890 "+%F %T %a %j"
seq 1 1000 >n; dd if=n of=o bs=100 count=3 skip=2 status=none; wc -c <o; dd if=/dev/zero of=z bs=1k count=5 seek=10 conv=sparse status=none
stat -c "%s %b" z; dd if=n bs=7 count=3 status=none | od -c | head -3
split -l 300 -d n p; ls p*; wc -l <p03; od -An -tx2 -N16 n; seq -f "%05g" 1 3 9; seq -w 8 11
timeout 0.3 sleep 5; echo timeout $?; timeout 5 true; echo $?; nohup echo hi >/dev/null 2>&1; echo nohup $?
env -i A=1 env; env -u HOME sh -c "echo \${HOME-unset}"; id -u; id -g; id -un
install -m 640 -D n deep/dir/x && stat -c %a deep/dir/x; install -d -m 700 dd2 && stat -c %a dd2
t=$(mktemp -p .) && stat -c %a "$t"; t=$(mktemp -d -p . XXXXXX.d) && stat -c %a "$t"
(cd / && realpath -m ./a/../b/./c); realpath --relative-to=/usr /usr/bin; echo x | tee t1 t2 >/dev/null; cat t1 t2
yes abc | head -3; yes | head -c 100000 | wc -c
printf abc >f && touch -d "2001-02-03 04:05:06" f && ls -l --time-style=+%Y-%m-%dT%T f | cut -d" " -f1,5-
chmod 640 f && stat -c %A f; chmod -R go-rwx deep && find deep -printf "%m %p\n" | sort
ln f hard && stat -c %h f; mkdir e && mv f e/ && ls e; mv e/f . && ls e f; du -sb deep | cut -f1' bash "/tmp/$id/cu.@K@"
check "findutils, grep -r, sed -i, xargs -P, diff -r, patch, cpio" /dev/null /bin/bash -c '
d=$1; rm -rf "$d"; mkdir "$d" && cd "$d" || exit 1
mkdir -p t/a/b t/c && for i in 1 2 3; do echo "line $i foo" >t/a/f$i; echo bar$i >t/a/b/g$i; done; echo foo >t/c/h
touch -d 2000-01-01 t/a/f1; touch -d 2020-01-01 ref
find t -newer ref -type f | sort; find t ! -newer ref -type f; find t -type f -exec grep -l foo {} + | sort
find t -printf "%y %d %s %m %P|%f|%h\n" | sort; find t -type f -print0 | xargs -0 -P2 -n1 wc -c | sort
find t -type f | xargs -P 3 -I{} sh -c "echo {} \$(cat {})" | sort; find t -type f -size -1k -mtime +1000
grep -r foo t | sort; grep -rl bar t | sort; grep -rn --include="f*" line t | sort; grep -q nothing t/c/h; echo q $?
cp t/a/f2 s; sed -i "s/foo/FOO/; 1i top" s; cat s; sed -i.bak -e "\$a end" s; cat s s.bak; ls s*
mkdir -p a/s b/s && printf "1\n2\n3\n4\n" >a/f && printf "1\n2\nthree\n4\n5\n" >b/f && echo only >a/s/x && echo other >b/s/y
diff -ru a b | sed "/^[-+][-+][-+] /s/\t.*//"; echo diff $?; diff -ru a b >p.diff; cp -r a c && (cd c && patch -p1 <../p.diff); echo patch $?
cat c/f; ls c/s; patch --dry-run -p1 -d c <p.diff; echo again $?
find t | cpio -o -H newc 2>/dev/null >t.cpio; mkdir y && (cd y && cpio -idm <../t.cpio 2>&1) && find y | sort; cpio -t <t.cpio 2>&1 | sort' bash "/tmp/$id/fu.@K@"
check "gawk: fields, printf, strftime, getline from a command, pipes to sort, system" /dev/null /usr/bin/gawk '
BEGIN { printf "%.3f %d %s\n", atan2(0, -1), 2^31, strftime("%Y-%m-%d", 86400 * 365, 1)
	"echo piped" | getline x; print x; close("echo piped")
	for (i = 1; i <= 5; i++) print i * 7 | "sort -n -r"; close("sort -n -r")
	r = system("exit 3"); print "system", r
	n = split("a:b:c", f, ":"); print n, f[3]; s = "hello world"; gsub(/o/, "0", s); print s, toupper(substr(s, 1, 5))
	print length(ENVIRON["PATH"]) > 0, PROCINFO["pid"] > 0 }'
check "make -j2: parallel recipes, -q, -k and a failing job" /dev/null /bin/bash -c '
d=$1; rm -rf "$d"; mkdir "$d" && cd "$d" || exit 1
printf "all: a b\n\t@echo done\na:\n\t@sleep 0.2; echo a; touch a\nb:\n\t@echo b; touch b\nfail:\n\t@false\n.PHONY: fail\n" >Makefile
/usr/bin/make -j2 -s 2>&1 | sort; /usr/bin/make -s; echo again $?; /usr/bin/make -q all; echo q $?
/usr/bin/make -s -j2 fail 2>&1; echo fail $?; /usr/bin/make -k -j2 fail all >out 2>&1; echo k $?; sort out' bash "/tmp/$id/mk.@K@"
check "bash: traps, subshells, here-docs, wait for jobs, read from a fifo, PIPESTATUS" /dev/null /bin/bash -c '
trap "echo got INT" INT; trap "echo bye" EXIT; kill -INT $$; echo after
f() { trap "echo RET" RETURN; echo in f; }; f; ( exit 3 ); echo sub $?
x=$( (echo a; echo b) | tr a-z A-Z | sort -r); echo $x
cat <<EOT
here $((1 + 2)) ${x%%
*}
EOT
cat <<-"EOT"
	no $expand
	EOT
sleep 0.2 & p=$!; (sleep 0.1; exit 7) & q=$!; wait $q; echo q $?; wait $p; echo p $?; wait
mkfifo "$1" && { (echo via fifo >"$1") & read -r l <"$1"; echo "$l"; wait; rm "$1"; }
for i in 1 2 3; do echo $i; done | while read n; do echo n$n; done; echo ${PIPESTATUS[@]}
false | true; echo ${PIPESTATUS[@]}; set -o pipefail; false | true; echo pf $?
trap "echo USR1" USR1; kill -USR1 $$; sleep 0.1 & wait; (trap "" TERM; kill -TERM $BASHPID; echo ignored)' bash "/tmp/$id/fifo2.@K@"
# perl from the root's own library (qemu 7.2's statx does not look
# under -L, so @INC is named through links inside the scratch directory)
ln -s ../../usr/lib/i386-linux-gnu/perl/5.36.0 "$W/perlarch" && ln -s ../../usr/share/perl/5.36.0 "$W/perllib"
check "perl: POSIX, File::Find, IO::Select over socketpair, signals, fork, flock, sysseek" /dev/null /usr/bin/perl -I "/tmp/$id/perlarch" -I "/tmp/$id/perllib" -e '
use POSIX qw(:sys_wait_h floor ceil strftime); use File::Find; use IO::Select; use Socket; use IO::Handle; use Fcntl qw(:flock SEEK_SET);
my $d = shift; system("rm", "-rf", $d); mkdir $d or die; chdir $d;
print floor(2.5), ceil(2.5), " ", strftime("%Y-%m-%d", gmtime(86400 * 365)), "\n";
mkdir "t"; mkdir "t/s"; for (1..3) { open my $f, ">", "t/f$_" or die; print $f "x" x $_; close $f } open my $g, ">", "t/s/g"; close $g;
my @f; find(sub { push @f, "$File::Find::name " . (-s $_) if -f }, "t"); print join("\n", sort @f), "\n";
finddepth(sub { print "D $File::Find::name\n" if -d && $_ ne "." }, "t");
socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, PF_UNSPEC) or die "socketpair: $!"; $a->autoflush(1); $b->autoflush(1);
my $pid = fork; if (!$pid) { close $a; my $l = <$b>; print $b "echo: $l"; exit 0 }
close $b; print $a "hello\n"; my @r = IO::Select->new($a)->can_read(5); print scalar(@r), " ready\n"; print scalar <$a>; waitpid($pid, 0); print "child ", $? >> 8, "\n";
pipe(my $r, my $w); $w->autoflush(1); my $sel = IO::Select->new($r); print "empty: ", scalar($sel->can_read(0.1)), "\n"; print $w "z"; print "full: ", scalar($sel->can_read(0.1)), "\n";
$SIG{ALRM} = sub { die "alarm\n" }; eval { alarm 1; select(undef, undef, undef, 3); alarm 0 }; print "eval: $@";
my $k = fork; if (!$k) { sleep 10; exit 0 } kill "TERM", $k; waitpid($k, 0); print "signaled ", $? & 127, " ", WNOHANG, " ", waitpid(-1, WNOHANG), "\n";
open my $lf, ">", "lock"; print flock($lf, LOCK_EX | LOCK_NB) ? "locked\n" : "no\n";
open my $o, ">", "seek"; print $o "0123456789"; close $o; open $o, "+<", "seek"; sysseek($o, 3, SEEK_SET); sysread($o, my $c, 4); print "$c\n";
print "ENOENT: $!\n" if !open my $nx, "<", "/nonexistent"; my @pw = getpwuid(0); print "$pw[0] $pw[7]\n"; exit 6' "/tmp/$id/pl.@K@"

# python3's stdlib over the system: msync (mmap.flush), socketpair
# without a network (asyncio's wake-up pair), multiprocessing by fork,
# rt_sigtimedwait (sigwait), waitid, getpriority/setpriority (nice)
check "python3: os.walk shutil tempfile subprocess alarm mmap selectors socketpair asyncio multiprocessing sigwait waitid nice" /dev/null /usr/bin/python3 -c '
import os, sys, shutil, tempfile, subprocess, signal, mmap, select, selectors, socket, time, errno, asyncio, threading
import multiprocessing as mp
d = sys.argv[1]
shutil.rmtree(d, ignore_errors=True)
os.makedirs(d + "/w/a/b"); os.makedirs(d + "/w/c")
for p in ("w/a/f", "w/a/b/g", "w/c/h"):
    open(os.path.join(d, p), "w").write(p)
os.chdir(d)
print(sorted((r, sorted(ds), sorted(fs)) for r, ds, fs in os.walk("w")))
shutil.copytree("w", "w2"); shutil.copy2("w/a/f", "cp")
print(os.stat("cp").st_mtime_ns == os.stat("w/a/f").st_mtime_ns, shutil.move("w2/c", "w2/a/c"))
shutil.rmtree("w2"); print(os.path.exists("w2"), shutil.disk_usage(".").total > 0)
with tempfile.TemporaryFile(dir=".") as f:
    f.write(b"tmp"); f.seek(0); print(f.read())
print(oct(os.stat(tempfile.mkdtemp(dir=".")).st_mode & 0o777))
print(subprocess.run("echo a; echo b >&2; exit 3", shell=True, capture_output=True))
p1 = subprocess.Popen(["echo", "hi"], stdout=subprocess.PIPE)
print(subprocess.run(["tr", "a-z", "A-Z"], stdin=p1.stdout, capture_output=True).stdout, p1.wait())
try:
    subprocess.run(["sleep", "5"], timeout=0.3)
except subprocess.TimeoutExpired as e:
    print("timed out", e.cmd)
print(len(subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE).communicate(b"x" * 200000)[0]))
def h(s, f): raise TimeoutError("alarm")
signal.signal(signal.SIGALRM, h); signal.alarm(1)
try:
    time.sleep(3)
except TimeoutError as e:
    print(e)
# msync: mmap.flush, a shared mapping seen by the file and a forked child
with open("m", "wb") as f: f.write(b"\0" * 8192)
with open("m", "r+b") as f:
    m = mmap.mmap(f.fileno(), 0); m[0:5] = b"hello"; m[4096:4100] = b"page"; m.flush(); m.flush(0, 4096)
    pid = os.fork()
    if pid == 0:
        m[5:10] = b"child"; os._exit(0)
    os.waitpid(pid, 0); print(m[0:10]); m.close()
print(open("m", "rb").read()[:10], open("m", "rb").read()[4096:4100])
r, w = os.pipe()
s = selectors.DefaultSelector(); s.register(r, selectors.EVENT_READ)
a = len(s.select(0.1)); os.write(w, b"x"); print(type(s).__name__, a, len(s.select(0.1)), select.select([r], [w], [], 0)[0:2] == ([r], [w]))
# socketpair with no network (vxinferno without -N), as asyncio needs
a, b = socket.socketpair(); a.sendall(b"sp"); print(b.recv(10), a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
async def main():
    p = await asyncio.create_subprocess_exec("echo", "async", stdout=asyncio.subprocess.PIPE)
    out, _ = await p.communicate()
    r = await asyncio.wait_for(asyncio.sleep(0.05, "slept"), 1)
    return out, p.returncode, r
print(asyncio.run(main()))
def sq(x): return x * x
ctx = mp.get_context("fork")
with ctx.Pool(2) as pool:
    print(pool.map(sq, range(10)))
q = ctx.Queue(); pr = ctx.Process(target=q.put, args=("from child",)); pr.start(); print(q.get()); pr.join(); print(pr.exitcode)
c1, c2 = ctx.Pipe(); pr = ctx.Process(target=c2.send, args=([1, "two"],)); pr.start(); print(c1.recv()); pr.join()
# sigwait and sigtimedwait (rt_sigtimedwait)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1, signal.SIGTERM])
t0 = time.monotonic(); print(signal.sigtimedwait([signal.SIGUSR1], 0.2), time.monotonic() - t0 >= 0.15)
threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGUSR1)).start()
print(signal.sigwaitinfo([signal.SIGUSR1]).si_signo)
pid = os.fork()
if pid == 0:
    os.kill(os.getppid(), signal.SIGTERM); os._exit(0)
os.waitpid(pid, 0); print(signal.sigwait([signal.SIGTERM, signal.SIGUSR1]), signal.sigpending())
# waitid, with WNOWAIT first
p = subprocess.Popen(["sh", "-c", "exit 9"])
i = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT); print(i.si_pid == p.pid, i.si_code == os.CLD_EXITED, i.si_status)
i = os.waitid(os.P_ALL, 0, os.WEXITED); print(i.si_pid == p.pid, i.si_status)
p = subprocess.Popen(["sleep", "5"]); print(os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG))
p.kill(); i = os.waitid(os.P_PID, p.pid, os.WEXITED); print(i.si_code == os.CLD_KILLED, i.si_status)
try:
    os.waitid(os.P_ALL, 0, os.WEXITED)
except ChildProcessError as e:
    print("ECHILD")
# nice: getpriority/setpriority, inherited by a child
print(os.nice(0), os.nice(3), os.getpriority(os.PRIO_PROCESS, 0), subprocess.run(["nice"], capture_output=True).stdout)
try:
    os.setpriority(os.PRIO_PROCESS, 0, 100); print(os.getpriority(os.PRIO_PROCESS, os.getpid()))
    os.setpriority(os.PRIO_PROCESS, 999999, 1)
except OSError as e:
    print(errno.errorcode[e.errno])
' "/tmp/$id/py.@K@"

# file locks between guest processes (vxrun/lock.c): fcntl.lockf and
# fcntl.flock across fork, and sqlite3's: a writer inside BEGIN EXCLUSIVE
# keeps the sqlite3 program out ("database is locked") until it commits
check "python3 fcntl.lockf, fcntl.flock and sqlite3 locking between processes" /dev/null /usr/bin/python3 -c '
import os, sys, fcntl, errno, sqlite3, subprocess, shutil
d = sys.argv[1]
shutil.rmtree(d, ignore_errors=True)
os.makedirs(d)
p = d + "/lk"
f = open(p, "w+")
fcntl.lockf(f, fcntl.LOCK_EX, 10, 0)
fcntl.flock(f, fcntl.LOCK_SH)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    g = open(p, "r+")
    for what, fn in (("lockf 0+10", lambda: fcntl.lockf(g, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)),
                     ("lockf 10+10", lambda: fcntl.lockf(g, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 10)),
                     ("flock ex", lambda: fcntl.flock(g, fcntl.LOCK_EX | fcntl.LOCK_NB)),
                     ("flock sh", lambda: fcntl.flock(g, fcntl.LOCK_SH | fcntl.LOCK_NB))):
        try:
            fn()
            os.write(w, (what + ": ok\n").encode())
        except OSError as e:
            os.write(w, (what + ": " + errno.errorcode[e.errno] + "\n").encode())
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
print(os.read(r, 1000).decode(), end="")
db = d + "/db"
c = sqlite3.connect(db, isolation_level=None)
c.execute("create table t(x)")
c.execute("begin exclusive")
c.execute("insert into t values(1)")
q = subprocess.run(["/usr/bin/sqlite3", db, "insert into t values(2);"], capture_output=True)
print(q.returncode, q.stderr.decode().strip())
c.execute("commit")
q = subprocess.run(["/usr/bin/sqlite3", db, "insert into t values(2); select count(*) from t;"], capture_output=True)
print(q.returncode, q.stdout.decode().strip(), q.stderr.decode().strip())
shutil.rmtree(d)
' "/tmp/$id/lk.@K@"

# More of Debian's programs, each the first (i386) program of its check
# under qemu: openssl (its openssl.cnf is an absolute symlink in the
# root), lua5.4 and tclsh8.6 scripts over the system, libmagic's file,
# jq, bc, zstd and lz4 (and tar running zstd and xz), sqlite3's FTS5,
# JSON and R*Tree, zip and unzip; and symbolic links as coreutils, tar,
# cp and mv use them.
if [ -x "$R/usr/bin/openssl" ] && [ -x "$R/usr/bin/tclsh8.6" ] && [ -x "$R/usr/bin/zstd" ]; then
	head -c 1000000 "$W/big" >"$W/mid"
	openssl genrsa -out "$W/k.pem" 2048 2>/dev/null && openssl pkey -in "$W/k.pem" -pubout -out "$W/pub.pem"
	K=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f IV=0f0e0d0c0b0a09080706050403020100
	check "openssl dgst: sha256 and sha3-512 hmac" /dev/null /usr/bin/openssl dgst -r -sha256 -sha3-512 -hmac key "/tmp/$id/mid"
	check "openssl enc -aes-256-cbc, base64" "$W/mid" /usr/bin/openssl enc -aes-256-cbc -K $K -iv $IV -a
	check "openssl dgst -sign (PKCS#1 v1.5 is deterministic)" "$W/mid" /usr/bin/openssl dgst -sha256 -sign "/tmp/$id/k.pem"
	check "openssl req -x509 reads /usr/lib/ssl/openssl.cnf, an absolute symlink" /dev/null /usr/bin/openssl req -new -x509 \
		-key "/tmp/$id/k.pem" -subj "/CN=vx test/O=vxinferno" -days 3 -set_serial 77 -out "/tmp/$id/c.@K@"
	check "openssl x509 of what req made" /dev/null /usr/bin/openssl x509 -in "/tmp/$id/c.@K@" -noout -subject -issuer -serial -pubkey

	cat >"$W/t.lua" <<'EOF'
local d = arg[1]
os.execute("rm -rf " .. d .. "; mkdir " .. d)
print(string.format("%.10f %d %s", math.pi, math.maxinteger, 7 // 2), string.pack(">I4i2", 0x01020304, -2):byte(1, -1))
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
print(co(1), co(10))
local f = assert(io.open(d .. "/f", "w")); for i = 1, 1000 do f:write(i, "\n") end; f:close()
f = io.open(d .. "/f"); f:seek("set", 100); print(f:read("l"), f:seek("cur"), f:seek("end")); f:close()
local n = 0; for l in io.lines(d .. "/f") do n = n + #l end; print(n)
print(os.rename(d .. "/f", d .. "/g"), io.open(d .. "/f"), os.remove(d .. "/g"), (os.remove(d .. "/g")))
local p = io.popen("echo popen; exit 3"); print(p:read("a"), p:close())
print(os.execute("exit 5")); print(os.execute())
print(os.getenv("HOME"), os.date("!%Y-%m-%d %H:%M:%S", 86400 * 400), os.time{year = 2020, month = 2, day = 29, hour = 12})
local t = os.tmpname(); print(t:match("^/tmp/lua_") ~= nil, io.open(t) ~= nil); os.remove(t)
print(string.format("%q", "a\0b\n"), ("x"):rep(3, ","), utf8.char(228, 8364), utf8.len("\xc3\xa4x"))
local s = {} for w in ("the quick brown fox"):gmatch("%a+") do s[#s + 1] = w:upper() end; table.sort(s); print(table.concat(s, " "))
io.stderr:write("to stderr\n")
os.exit(7)
EOF
	check "lua5.4: string.pack, coroutines, io seek and lines, os.rename/remove/tmpname, io.popen, os.execute, dates" /dev/null /usr/bin/lua5.4 "/tmp/$id/t.lua" "/tmp/$id/lua.@K@"

	cat >"$W/t.tcl" <<'EOF'
set d [lindex $argv 0]
file delete -force $d; file mkdir $d/sub/deep; cd $d
puts "[expr {2**100}] [clock format 86400000 -gmt 1 -format {%Y-%m-%d %H:%M:%S %A}] [clock scan {2020-02-29 12:00:00} -gmt 1]"
set f [open data w]; for {set i 0} {$i < 1000} {incr i} {puts $f "line $i"}; close $f
puts "[file size data] [file type data] [file type sub] [file isdirectory sub]"
file copy data copy; file rename copy sub/moved; puts [lsort [glob -directory sub *]]
file attributes data -permissions 0640; puts [file attributes data -permissions]
file mtime data 1000000000; file stat data st; puts "[file mtime data] $st(size) $st(nlink) $st(type) [expr {$st(mode) & 0777}]"
puts [exec echo hi | tr a-z A-Z]
puts "[catch {exec sh -c {exit 3}} msg opts] [lreplace [dict get $opts -errorcode] 1 1]"
set p [open "|cat -n" r+]; puts $p "piped"; flush $p; close $p write; puts [gets $p]; close $p
set f [open data r]; seek $f 10; puts "[gets $f] [tell $f]"; seek $f -7 end; puts -nonewline [read $f]; close $f
set r [open data r]; set w [open out w]; puts "[fcopy $r $w] [file size out]"; close $r; close $w
set after 0; after 50 {set after 1}; vwait after; puts "after $after"
set rd [open "|sh -c {sleep 0.1; echo late}" r]; fconfigure $rd -blocking 0
fileevent $rd readable {set got [gets $rd]}; vwait got; puts "event $got"; close $rd
puts "[file tail [file normalize ./sub/../data]] [file dirname /a/b/c]"
puts "[catch {open /nonexistent/x} e] $e"
puts "[catch {file delete sub} e] $e"
file link -hard hl data; file stat hl st2; puts "hard $st2(nlink)"
puts "[catch {file link -symbolic sl data} e] $e [file readlink sl] [file type sl]"
file lstat sl ls; puts "$ls(type) $ls(size) [file size sl] [lsort [glob *]]"
file link -symbolic dl nowhere; puts "[file exists dl] [file type dl] [file readlink dl]"; file delete dl sl
puts "[lsort [glob -nocomplain *]] [info patchlevel]"
exit 4
EOF
	check "tclsh8.6: file ops and attributes, exec pipelines, fileevent, after/vwait, file link -symbolic and -hard, file lstat/readlink" /dev/null /usr/bin/tclsh8.6 "/tmp/$id/t.tcl" "/tmp/$id/tcl.@K@"

	mkdir -p "$W/mg"
	seq 1 1000 | gzip -n >"$W/mg/a.gz"; printf '#!/bin/sh\necho\n' >"$W/mg/s.sh"; printf '{"a":1}\n' >"$W/mg/j.json"
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\020\0\0\0\020\010\002\0\0\0' >"$W/mg/p.png"; : >"$W/mg/empty"
	printf '<?xml version="1.0"?><a/>' >"$W/mg/x.xml"; printf 'int main(void){return 0;}\n' >"$W/mg/c.c"; mkfifo "$W/mg/fifo"
	ln -s s.sh "$W/mg/link"; ln -s nowhere "$W/mg/dangling"; mkdir "$W/mg/dir"; cp "$R/usr/bin/file" "$W/mg/elf"
	check "file (libmagic): text, scripts, JSON, PNG, XML, C, gzip, ELF, fifo, directory, symlinks" /dev/null /usr/bin/file \
		$(cd "$W/mg" && ls | sed "s|^|/tmp/$id/mg/|") "/tmp/$id/mg/none"

	printf '{"a":[1,2,{"b":"x"}],"t":"2015-03-05T23:51:47Z"}\n{"a":[3]}\n' >"$W/in.json"
	check "jq: paths, reduce, dates, --stream, formats, --arg/--argjson, errors" /dev/null /usr/bin/jq -c --arg x 5 --argjson y '{"z":1}' '
		(.a | length), (.t // empty | fromdate), ([paths] | length), [$x, $y, $ENV.HOME],
		(1425599621 | todate, strftime("%A %j")), ("abc" | @base64, @uri, @sh, @html), input_filename,
		(reduce range(10000) as $i (0; . + $i)), ([limit(3; repeat(1))]), (try error("boom") catch .), .missing.x' "/tmp/$id/in.json"
	cat >"$W/t.bc" <<'EOF'
scale=500; 4*a(1)
scale=20; e(1); l(10); s(1)+c(1); sqrt(2)^2; 2^256; 7 % 3
define f(n) { if (n <= 1) return 1; return n * f(n - 1); }
f(60)
obase=16; 255; 4096
quit
EOF
	check "bc -l: 500 digits of pi, functions, a script" /dev/null /usr/bin/bc -lq "/tmp/$id/t.bc"
	check "zstd -12 -T2 (threads) of 1 MB" /dev/null /usr/bin/zstd -q -12 -T2 -c "/tmp/$id/mid"
	# from a pipe zstd -19 cannot size its window by the input: it
	# allocates about 80 MB at once (256 MiB of guest memory refused it:
	# compat's default window, hence -m 512)
	checkwith "-m 512" "zstd -19 from a pipe, 1 MB" /dev/null /bin/bash -c 'cat "$1" | zstd -q -19 -c | sha256sum' bash "/tmp/$id/mid"
	check "lz4 -9 of 1 MB" "$W/mid" /usr/bin/lz4 -q -9 -c
	check "tar --zstd, -J and -a (tar runs zstd and xz)" /dev/null /bin/bash -c 'd=$1; rm -rf "$d"; mkdir -p "$d" && cd "$d" || exit 1
		o="--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner"; tar $o --zstd -C "$2" -cf t.tzst tree && tar $o -C "$2" -Jcf t.txz tree &&
		tar $o -C "$2" -acf t.tar.zst tree && zstd -q -d -c t.tzst | sha256sum && xz -d -c t.txz | sha256sum && cmp t.tzst t.tar.zst &&
		mkdir x && tar -C x -xf t.txz && tar -tvf t.tzst | sort && find x -printf "%p %m %s\n" | sort' bash "/tmp/$id/tz.@K@" "/tmp/$id"
	check "sqlite3: FTS5 (bm25, highlight), FTS4 prefixes, JSON, R*Tree" /dev/null /usr/bin/sqlite3 :memory: "
		create virtual table f using fts5(body); insert into f values('the quick brown fox'), ('lazy dogs sleep'), ('quick quick');
		select rowid, round(bm25(f), 6), highlight(f, 0, '[', ']') from f where f match 'quick' order by rank;
		create virtual table g using fts4(x); insert into g values('hello world'), ('help me'); select * from g where g match 'hel*' order by 1;
		select json_object('a', 1, 'b', json_array(1, 2, 'x')), json_extract('{\"k\":[5,6]}', '\$.k[1]'), json_valid('{');
		select key, value from json_each('[10,20,{\"a\":null}]'); select json_group_array(x) from (select 1 x union select 2);
		create virtual table r using rtree(id, x0, x1, y0, y1); insert into r values(1, 0, 10, 0, 10), (2, 5, 15, 5, 15);
		select id from r where x0 < 6 and y1 > 12; select sqlite_version();"
	check "zip -r, unzip -l -t -p -d -x, update, delete, a cut archive" /dev/null /bin/bash -c 'd=$1; rm -rf "$d"; mkdir "$d" && cd "$d" || exit 1
		mkdir -p t/s; seq 1 20000 >t/n; printf "hello\n" >t/h; chmod 751 t/h; echo deep >t/s/d; touch -d "2001-02-03 04:05:06" t/n t/h t/s/d t/s t
		zip -q -X -r a.zip t; echo zip $?; unzip -Z -l a.zip | sed 1d | sort; unzip -tq a.zip; unzip -p a.zip t/h
		mkdir x && (cd x && unzip -q ../a.zip && find . -mindepth 1 -printf "%p %m %s %TY-%Tm-%Td %TH:%TM\n" | sort)
		zip -q -d a.zip t/h; echo more >t/h; zip -q -u a.zip t/h; unzip -p a.zip t/h; unzip -q a.zip -d y -x "t/s/*"; find y | sort
		head -c 100 a.zip >cut.zip; unzip -tq cut.zip; echo cut $?' bash "/tmp/$id/zip.@K@"
	# ls -l as its mode and names only (no awk in the root: gawk's link
	# is made by a maintainer script): the owner's name (its length) and
	# the minute differ between the runs (cut by columns took a minute
	# that had turned between the two, as user nobody)
	check "symbolic links: ln -s, ls -l, readlink, stat, test -L, find -type l, cp -a/-P/-L, mv and rm of links, tar of links, realpath" /dev/null /bin/bash -c '
		d=$1; rm -rf "$d"; mkdir -p "$d/w" && cd "$d/w" || exit 1
		echo data >f; mkdir dir; echo in >dir/x
		ln -s f lf; ln -s dir ld; ln -s nowhere dangle; ln -s /etc/passwd abs; ln -s ../w/f up
		ls -l lf ld dangle abs | sed -E "s/^([^ ]+)( +[^ ]+){7} +/\1 /"; readlink lf dangle abs; readlink -f ld | sed "s|.*/w/|w/|"; cat lf up; head -1 abs | cut -d: -f1
		stat -c "%n %F %s %N" lf ld dangle; stat -L -c "%n %F %s" lf ld; [ -L lf ] && [ -h dangle ] && [ ! -e dangle ] && [ -d ld ] && echo tests ok
		ls ld/; ls -F | sort | tr "\n" " "; echo; find . -type l | sort; find . -xtype l; find -L . -type f | sort
		ln -s f lf 2>&1; echo again $?; ln -sf dir lf; readlink lf; ln -sfn f lf; readlink lf
		cp -a lf cplf && readlink cplf; cp -P ld cpld; readlink cpld; cp -rL ld cpdir && ls cpdir
		mv dangle dangle2; ls dangle*; mv lf lf2 && cat lf2; rm dangle2 ld; ls
		tar --sort=name --mtime=@0 --owner=0 --group=0 -cf t.tar lf2 abs up cpld && tar -tvf t.tar
		mkdir x && tar -C x -xf t.tar && ls -l x | sed -E "s/^([^ ]+)( +[^ ]+){7} +/\1 /" | sort; realpath --relative-to=. lf2 up
		rm -rf x; ln -s x/y/z deep; mkdir -p x/y; echo z >x/y/z; cat deep; rm -rf x deep; ls' bash "/tmp/$id/ln.@K@"
else
	for t in openssl openssl-enc openssl-sign openssl-req openssl-x509 lua5.4 tclsh8.6 file jq bc zstd zstd-pipe lz4 tar-zstd sqlite3-fts zip symlinks; do
		skip "$t" "not in $R (make i386root: the package list grew in session 10)"
	done
fi

# /proc: the guest's own (the chrooted native run has none to compare)
guestrun /usr/bin/python3 -c '
import os
print(os.readlink("/proc/self/exe") in ("/usr/bin/python3", "/usr/bin/python3.11"))
st = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
print(int(st["Pid"]) == os.getpid(), open("/proc/self/stat").read().split()[0] == str(os.getpid()))
print(sorted(os.listdir("/proc/self/fd"))[:3], os.readlink("/proc/self/fd/0") != "")
print(open("/proc/sys/kernel/ngroups_max").read().strip(), "MemTotal" in open("/proc/meminfo").read())
print("processor" in open("/proc/cpuinfo").read(), any("[stack]" in l for l in open("/proc/self/maps")))
print(os.cpu_count() >= 1)
' </dev/null >"$tmp/proc" 2>&1
printf '%s\n' True "True True" "['0', '1', '2'] True" "65536 True" "True True" True >"$tmp/want"
same "/proc/self, /proc/sys, meminfo, cpuinfo, maps" "$tmp/want" "$tmp/proc"
# the mount table is the guest's namespace: df reads it without a
# warning, each mount's device is what stat says of its point, and
# find crosses the root's mount points without seeing a loop
guestrun /bin/sh -c '/bin/df / /proc >/dev/null; echo df $?
/usr/bin/python3 -c "
import os
print(sum(l in (\"#U / 9p rw 0 0\\n\", \"proc /proc proc rw 0 0\\n\") for l in open(\"/proc/self/mounts\")))
ok = 0
for l in open(\"/proc/self/mountinfo\"):
    f = l.split()
    ma, mi = f[2].split(\":\")
    ok += os.stat(f[4]).st_dev == os.makedev(int(ma), int(mi)) and f[f.index(\"-\") + 1] in (\"9p\", \"proc\", \"devpts\", \"none\")
print(\"mountinfo lines that agree with stat:\", ok == len(open(\"/proc/self/mountinfo\").readlines()) > 5)
"
/usr/bin/find / -maxdepth 1 >/dev/null; echo find $?' </dev/null >"$tmp/mounts" 2>&1
printf '%s\n' "df 0" 2 "mountinfo lines that agree with stat: True" "find 0" >"$tmp/want"
same "df reads /proc/self/mountinfo; mounts and mountinfo are the namespace; find / sees no loop" "$tmp/want" "$tmp/mounts"
# what programs infer from st_dev, as on a Linux whose / holds /tmp,
# /bin and /n and has /dev, /proc and /dev/shm mounted on it (the root
# is a union of #/ and #U: one file system to a guest)
guestrun /bin/sh -c '/bin/df --output=target /tmp /bin/ls /proc/self/stat /dev/null | tail -n +2
/usr/bin/stat -c %m /tmp /n /dev/shm /proc/self
/usr/bin/find / -xdev -maxdepth 2 \( -path /tmp -o -path /proc/self -o -path /dev/null -o -path /bin/sh -o -path /n \) -print | sort
/usr/bin/python3 -c "import os.path as p; print([p.ismount(x) for x in (\"/\", \"/tmp\", \"/n\", \"/dev\", \"/proc\", \"/dev/shm\")])"' </dev/null >"$tmp/xdev" 2>&1
printf '%s\n' / / /proc /dev / / /dev/shm /proc /bin/sh /n /tmp "[True, False, False, True, True, True]" >"$tmp/want"
same "one file system at /: df and stat %m name / for /tmp, find -xdev enters /bin and /tmp but not /proc or /dev, os.path.ismount" "$tmp/want" "$tmp/xdev"
# the root has an /etc/ld.so.cache (mk/i386root.sh runs the host's
# ldconfig -r): ld.so finds each of python3's libraries there at the first
# try, with no search of the hwcap directories
guestrun /bin/sh -c 'LD_DEBUG=libs /usr/bin/python3 -c pass 2>&1' </dev/null >"$tmp/ldso" 2>&1
printf 'cache 4, search path 0, tries 4\n' >"$tmp/want"
printf 'cache %d, search path %d, tries %d\n' "$(grep -c 'search cache=/etc/ld.so.cache' "$tmp/ldso")" \
	"$(grep -c 'search path=' "$tmp/ldso")" "$(grep -c 'trying file=' "$tmp/ldso")" >"$tmp/got"
same "ld.so finds python3's libraries through the root's /etc/ld.so.cache" "$tmp/want" "$tmp/got"
# sockets: python3's http.server inside a guest with /net (-N) answers
# curl on the host (loopback only)
if command -v curl >/dev/null; then
	# port 0: the kernel's choice, which the server prints (a fixed one
	# may be another program's, and curl would ask that)
	timeout 60 $VX -N -r "$R" /usr/bin/python3 -u -m http.server 0 --bind 127.0.0.1 \
		</dev/null >"$tmp/httpd.out" 2>&1 &
	hpid=$!
	code=none
	for i in $(seq 1 300); do
		port=$(sed -n 's/^Serving HTTP on [0-9.]* port \([0-9]*\).*/\1/p' "$tmp/httpd.out")
		[ -n "$port" ] && code=$(curl -s -m 2 -o "$tmp/index" -w '%{http_code}' "http://127.0.0.1:$port/tmp/$id/tree/c/h" 2>/dev/null) && [ "$code" = 200 ] && break
		kill -0 $hpid 2>/dev/null || break
		sleep 0.2
	done
	[ "$code" = 200 ] || sed 's/^/# server: /' "$tmp/httpd.out" | head -5
	kill $hpid 2>/dev/null
	wait $hpid 2>/dev/null
	printf '200 c\n' >"$tmp/want"
	printf '%s %s\n' "$code" "$(cat "$tmp/index" 2>/dev/null)" >"$tmp/got"
	same "python3 -m http.server in the guest answers curl on the host" "$tmp/want" "$tmp/got"
else
	skip "python3 -m http.server answers curl" "no curl on the host"
fi
finish
