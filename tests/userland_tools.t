#!/bin/sh
# userland_tools.t — differential, as tests/userland.t (helpers in
# tests/lib/userland.sh): the everyday tools of a Debian i386 system
# through longer workflows, each against the root chrooted under
# qemu-i386-static (as tests/userland_more.t), where whatever a program
# executes is the root's too.  git (a merge with a conflict, rebase,
# stash, tags, gc and repack, local clones with hard-linked packs, a
# worktree, bisect run, archive, fsck); sqlite3 in WAL mode with a
# reader and writers in other processes (the -shm file mapped shared,
# fcntl locks) and VACUUM; tar and cpio of a tree with hard links,
# symbolic links, a FIFO, sparse files, long names and the set-id and
# sticky bits of directories; bash's job control without a tty (jobs,
# bg, fg, kill -STOP and -CONT), coprocesses, wait -n, read -t, traps;
# perl's IPC::Open3, File::Temp, a FIFO, signals, a socketpair and a
# TCP echo through the guest's /net, Data::Dumper and Storable of a big
# structure.  Skipped, with the reason, without the root or such a
# reference.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
. tests/lib/userland.sh
if [ ! -x "$R/usr/bin/git" ] || [ ! -x "$R/usr/bin/sqlite3" ] || [ ! -x "$R/bin/cpio" ]; then
	echo "1..0 # SKIP not in $R (make i386root)"
	exit 0
fi
chrootref
# git names its temporary files from /dev/urandom: the chroot has no
# devices but those made here (userland.sh makes /dev/null)
[ -c "$R/dev/urandom" ] || { rm -f "$R/dev/urandom"; mknod -m 666 "$R/dev/urandom" c 1 9 2>/dev/null; }
# the guests reach 127.0.0.1 through /net (perl's TCP echo)
guestrun() { timeout 120 $VX $GUESTOPTS -N -r "$R" "$@"; }

check "git: merge with a conflict, rebase, stash, tag, gc and repack, clones, a worktree, bisect run, archive, fsck" /dev/null /bin/bash -c '
export HOME="$1" GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@b GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@b GIT_PAGER=cat GIT_EDITOR=true
g() { /usr/bin/git -c gc.auto=0 -c maintenance.auto=false -c init.defaultBranch=main -c advice.detachedHead=false "$@"; }
rm -rf "$1"; mkdir -p "$1" && cd "$1" && g init -q r && cd r || exit 1
seq 1 20 >a; printf "x\ny\nz\n" >b; mkdir d; echo deep >d/e; g add . && g commit -q -m base
g checkout -q -b topic; sed -i "s/^5\$/five/" a; echo t >>b; g commit -q -a -m topic1; echo new >n; g add n; g commit -q -m topic2
g checkout -q main; sed -i "s/^5\$/FIVE/" a; g commit -q -a -m main1
g log -p --format="%h %s" topic | head -30
g checkout -q -b side topic; g rebase main 2>&1; echo rebase $?; g status --short; g diff | head -12; g rebase --abort; echo abort $?
g rebase -q -X theirs main; echo theirs $?; g log --format="%h %s %p"; g checkout -q main
g merge topic 2>&1; echo merge $?; g status --short; sed -n 3,10p a; g checkout --theirs a; g add a; g commit -q --no-edit; echo commit $?; g log --graph --oneline --all
echo dirty >>b; echo untracked >u; g stash push -q -u -m wip; echo stash $?; g status --short; g stash list; g stash show -p | head; g stash pop -q; echo pop $?; g status --short
g tag -a -m "tag msg" v1; g describe; g branch -d topic 2>&1; g branch -D side 2>&1 | sed "s/(was .*)//"; g reflog | head -4
for i in 1 2 3 4 5 6 7 8; do seq $i 2000 >>big; g add big; g commit -q -m "big $i"; done
g count-objects | cut -d, -f1; g gc -q; g count-objects -v | grep -v -e size -e prune; g verify-pack -v .git/objects/pack/*.idx | tail -2
g repack -a -d -q; ls .git/objects/pack | sed "s/pack-[0-9a-f]*/pack-X/"; g fsck --full --strict --no-progress 2>&1; echo fsck $?
cd .. && g clone -q r c1 && g clone -q --bare r c2.git && g clone -q --depth 3 "file://$PWD/r" c3 && g -C c1 log --oneline | wc -l && g -C c3 log --oneline | wc -l && stat -c %h r/.git/objects/pack/*.pack
g -C c1 worktree add -q ../wt -b wtb 2>&1; echo wt >>wt/a; g -C wt commit -q -a -m wt; g -C c1 log -1 --format=%s wtb; g -C c1 worktree list | sed "s/ [0-9a-f]\{7\} / X /; s|^/.*/||"
g -C c1 push -q ../c2.git wtb 2>&1; g -C c2.git branch; g -C c2.git fsck --no-progress 2>&1
g -C r bisect start HEAD HEAD~7 >/dev/null; g -C r bisect run sh -c "test \$(wc -l <big) -lt 8000" | grep -e "is the first" -e "^[0-9a-f]\{40\}"; g -C r bisect reset -q
g -C r archive --format=tar HEAD | tar -t | sort; g -C r archive --format=tar.gz HEAD | gzip -dc | wc -c
g -C r grep -n -e FIVE -e five; g -C r blame -s a | sed -n 4,6p; g -C r shortlog -s' bash "/tmp/$id/git.@K@"

# -m 128: at its four writers nine processes are alive, a window each,
# and compat's windows share the host's low 4 GiB (14 of the default 256
# MiB fit, with the code caches beside them): on a loaded host an exec
# failed ENOMEM once there, and at -m 448 one always does
checkwith "-m 128" "sqlite3 WAL: a reader's snapshot across another process's commit, a busy writer, checkpoint, VACUUM, four writers" /dev/null /bin/bash -c '
rm -rf "$1"; mkdir -p "$1" && cd "$1" || exit 1
s() { /usr/bin/sqlite3 -bail db "$@"; }
s "pragma journal_mode=wal; create table t(a integer primary key, b text, c blob); create index tb on t(b);"
s "with recursive n(i) as (select 1 union all select i+1 from n where i<10000) insert into t(b,c) select '"'"'row '"'"'||i, randomblob(100) from n;"
ls; s "select count(*), sum(a), count(distinct b) from t;"
coproc R { /usr/bin/sqlite3 -bail db; }
echo "begin; select count(*) from t;" >&${R[1]}; read -r c <&${R[0]}; echo "reader sees $c"
s "insert into t(b) values('"'"'new'"'"'); select count(*) from t;"; ls
echo "select count(*) from t;" >&${R[1]}; read -r c <&${R[0]}; echo "reader still sees $c"
echo "commit; select count(*) from t;" >&${R[1]}; read -r c <&${R[0]}; echo "reader now sees $c"
echo "begin immediate; insert into t(b) values('"'"'r'"'"'); select '"'"'locked'"'"';" >&${R[1]}; read -r c <&${R[0]}; echo "$c"
s "pragma busy_timeout=0; insert into t(b) values('"'"'w'"'"');" 2>&1; echo "writer $?"
echo "commit; select count(*) from t;" >&${R[1]}; read -r c <&${R[0]}; echo "after $c"
exec {R[1]}>&-; wait $R_PID; echo "reader exit $?"; ls
s "delete from t where a % 3 = 0; select count(*) from t;"; a=$(stat -c %s db); s "pragma journal_mode=delete; vacuum;"; b=$(stat -c %s db); [ $b -lt $a ] && echo shrank
s "pragma integrity_check; select b from t order by a desc limit 3; select count(*) from t where b like '"'"'row 99%'"'"';"
s "pragma journal_mode=wal;"
for i in 1 2 3 4; do ( for j in 1 2 3 4 5; do /usr/bin/sqlite3 db ".timeout 20000" "insert into t(b) values('"'"'p$i-$j'"'"');" || echo fail; done ) & done; wait
s "select count(*) from t where b like '"'"'p%'"'"'; pragma integrity_check;"' bash "/tmp/$id/sq.@K@"

# (the setuid bit of a regular file is one a guest may not set: below)
check "tar and cpio: hard and symbolic links, a FIFO, sparse files, long names, set-id and sticky directories" /dev/null /bin/bash -c '
rm -rf "$1"; mkdir -p "$1" && cd "$1" && umask 022 || exit 1
mkdir -p t/sub/deeper t/st; L=$(printf "n%.0s" $(seq 1 120)); mkdir -p "t/$L/$L"; echo long >"t/$L/$L/$L.txt"
seq 1 3000 >t/f; ln t/f t/hard; ln -s f t/sym; ln -s /nonexistent t/dangling; mkfifo t/fifo; chmod 640 t/fifo
printf x | dd of=t/sparse bs=1 seek=5000000 conv=notrunc status=none; truncate -s 3M t/sparse2; printf y >>t/sparse2
chmod 2750 t/sub/deeper; chmod 1777 t/st; mkdir -m 1770 t/st2; chmod 4755 t/sub; touch -d "1999-12-31 23:59:59" t/f; echo "é ü" >"t/ütf8 name"
stat -c "%n %s %b %h %a" t/sparse t/sparse2 t/f t/hard t/fifo t/st t/st2 t/sub t/sub/deeper | sort
tar --sparse -cf s.tar t; tar -cf p.tar --format=posix t; tar -czf z.tgz t
for a in s.tar p.tar; do tar -tvf $a --full-time | while read m o s d t n; do echo "$m $s $n"; done | sort; done
mkdir x1 x2; tar -C x1 -xpf s.tar; tar -C x2 -xzf z.tgz
for x in x1 x2; do find $x -printf "%y %m %s %n %P %l\n" | sort | md5sum; done; find x1 -printf "%y %m %s %n %P %l\n" | sort
stat -c "%n %b" x1/t/sparse x1/t/sparse2 | sort; cmp x1/t/sparse t/sparse && echo sparse same
tar -df s.tar; echo diff $?; echo changed >>t/f; tar -df s.tar 2>&1 | sort; tar -uf s.tar t/f; tar -tf s.tar | grep -c "t/f\$"
tar --delete -f p.tar t/sub; tar -tf p.tar | grep -c sub; tar -cf inc.tar -g snap t; echo more >t/new; tar -cf inc2.tar -g snap t; tar -tf inc2.tar | sort
find t -depth -print | cpio -o -H newc 2>/dev/null >n.cpio; mkdir c1 && (cd c1 && cpio -idmu --quiet <../n.cpio) && find c1 -printf "%y %m %s %n %P\n" | sort | md5sum
cpio -tv --quiet <n.cpio | while read m n o g s r; do echo "$m $n $s"; done | sort | head -12; mkdir c2 && find t -print | cpio -pdm c2 2>&1; diff -r t c2/t 2>&1 | head
gzip -9 -k t/f; gzip -l t/f.gz | tail -1 | tr -s " " | cut -d" " -f2,3; gzip -t t/f.gz; echo t $?; cat t/f t/f | gzip -1 >two.gz; gzip -dc two.gz | wc -l; printf garbage >>two.gz; gzip -dc two.gz 2>&1 >/dev/null; echo trail $?' bash "/tmp/$id/tar.@K@"

check "chmod: set-id and sticky bits of directories; a FIFO through its fd and its O_PATH fd" /dev/null /usr/bin/python3 -c '
import os, sys, stat
d = sys.argv[1]; os.system("rm -rf " + d); os.mkdir(d); os.chdir(d); os.umask(0o22)
os.mkdir("d"); os.chmod("d", 0o3755); os.mkdir("d/sub"); os.mkdir("s", 0o1777)
print([oct(os.stat(n).st_mode) for n in ("d", "d/sub", "s")])
os.chmod("d", 0o755); os.chmod("s", 0o777); print([oct(os.stat(n).st_mode) for n in ("d", "s")])
os.mkfifo("p", 0o600)
for fl in (os.O_PATH, os.O_RDONLY | os.O_NONBLOCK):
    fd = os.open("p", fl)
    for how, f in (("fchmod", lambda m: os.chmod(fd, m)), ("chmod fd link", lambda m: os.chmod("/proc/self/fd/%d" % fd, m))):
        if how == "chmod fd link" and not os.path.exists("/proc/self/fd"):
            f = lambda m: os.chmod("p", m)	# the chroot has no /proc: the same change by name
        try:
            f(0o640); r = "ok"
        except OSError as e:
            r = os.strerror(e.errno)
        print(fl == os.O_PATH, how, r, oct(os.stat("p").st_mode)); os.chmod("p", 0o600)
    os.close(fd)
' "/tmp/$id/ch.@K@"
guestrun /bin/sh -c 'cd /tmp/'$id' && touch su && chmod 4755 su && chmod 2755 su; stat -c %a su; rm su' </dev/null >"$tmp/su" 2>&1
[ "$(cat "$tmp/su")" = 755 ]
okrc $? "chmod cannot make a regular file set-user-ID or set-group-ID from inside the sandbox"
sed 's/^/# /' "$tmp/su" | grep -v '^# 755$' >&2

check "bash: job control without a tty (jobs, kill -STOP and -CONT, bg, fg), coprocesses, wait -n, read -t, traps, here-docs" /dev/null /bin/bash -c '
set -m; sleep 5 & kill -STOP %1; until jobs | grep -q Stopped; do sleep 0.05; done; jobs; kill -CONT %1; jobs; kill %1; wait %1; echo killed $?
sleep 0.5 & kill -TSTP $!; until jobs | grep -q Stopped; do sleep 0.05; done; jobs; bg %1 2>&1; wait %1; echo bg $?
sh -c "kill -STOP \$\$; echo resumed; exit 4" & until jobs | grep -q Stopped; do sleep 0.05; done; fg 2>&1; echo fg $?
set +m
coproc UP { sed -u "s/.*/\U&/"; }; echo hello >&${UP[1]}; read -r l <&${UP[0]}; echo "$l"; exec {UP[1]}>&-; wait $UP_PID; echo coproc $?
coproc C2 { while read -r n; do echo $((n * n)); done; }; for i in 3 4; do echo $i >&${C2[1]}; read -r r <&${C2[0]}; echo sq $r; done; kill $C2_PID; wait $C2_PID; echo c2 $?
(sleep 0.6; exit 3) & (sleep 0.1; exit 5) & (sleep 0.3; exit 4) & wait -n; echo first $?; wait -n; echo second $?; wait -n; echo third $?; wait -n; echo none $?
(exit 7) & pid=$!; wait -p got -n; echo "got $([ $got = $pid ] && echo pid) $?"
{ sleep 1; echo late; } | { read -t 0.2 x; echo "read timeout $? [$x]"; }; echo abc | { read -t 1 -n 2 y; echo "n2 $? $y"; }
read -r -d , a b <<< "one two,three"; echo "[$a][$b]"; IFS=: read -ra arr <<< "a:b::c"; echo ${#arr[@]} ${arr[3]}
trap "echo ERR at \$LINENO" ERR; false; trap - ERR; trap "echo child done" CHLD; sleep 0.1 & wait; trap - CHLD
cat <<EOT | sed "s/^/> /"
$(date -u -d @0 +%Y) ${BASH_VERSINFO[0]} $((2**40))
EOT
bash -c "kill -TERM \$\$"; echo term $?; (trap "" TERM; kill -TERM $BASHPID; echo ignored)'

# waitpid's WUNTRACED and WCONTINUED, waitid's WSTOPPED: qemu-i386 7.2
# hangs in a child's SIGSTOP, so the reference is the host's python3
if command -v python3 >/dev/null; then
	cat >"$W/stop.py" <<'EOF'
import os, signal
# the children wait on a pipe, not a clock: one that ended before the
# parent saw it continued (or stopped) would be reaped in its stead
rd, wr = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(wr); os.kill(os.getpid(), signal.SIGSTOP); os.read(rd, 1); os._exit(3)
os.close(rd)
p, st = os.waitpid(pid, os.WUNTRACED); print(os.WIFSTOPPED(st), os.WSTOPSIG(st))
print(os.waitpid(pid, os.WNOHANG | os.WUNTRACED))
os.kill(pid, signal.SIGCONT); p, st = os.waitpid(pid, os.WCONTINUED); print(os.WIFCONTINUED(st))
os.close(wr)
r = os.waitid(os.P_PID, pid, os.WEXITED); print(r.si_code == os.CLD_EXITED, r.si_status)
got = []
signal.signal(signal.SIGCHLD, lambda s, f: got.append(s))
rd, wr = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(wr); os.read(rd, 1); os._exit(0)
os.close(rd)
os.kill(pid, signal.SIGSTOP); r = os.waitid(os.P_PID, pid, os.WSTOPPED); print(r.si_code == os.CLD_STOPPED, r.si_status)
with open("/proc/%d/stat" % pid) as f: print(f.read().split()[2])
os.kill(pid, signal.SIGTERM); print(os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG))
os.kill(pid, signal.SIGCONT); r = os.waitid(os.P_PID, pid, os.WEXITED); print(r.si_code == os.CLD_KILLED, r.si_status, len(got) >= 1)
EOF
	python3 -u "$W/stop.py" >"$tmp/stop.host" 2>&1
	echo "status $?" >>"$tmp/stop.host"
	guestrun /usr/bin/python3 -u "/tmp/$id/stop.py" </dev/null >"$tmp/stop.guest" 2>&1
	echo "status $?" >>"$tmp/stop.guest"
	same "SIGSTOP and SIGCONT: waitpid WUNTRACED and WCONTINUED, waitid WSTOPPED, /proc/PID/stat T, as the host's python3" "$tmp/stop.host" "$tmp/stop.guest"
else
	skip "SIGSTOP and SIGCONT against the host's python3" "no python3 on the host"
fi

# perl from the root's own library (userland.t says why the links)
ln -s ../../usr/lib/i386-linux-gnu/perl/5.36.0 "$W/perlarch" && ln -s ../../usr/share/perl/5.36.0 "$W/perllib"
check "perl: IPC::Open3 and Open2, File::Temp, File::Path, a FIFO, signals, a socketpair, a TCP echo, IO::Select, Data::Dumper and Storable of 3000 records, flock, waitpid" /dev/null /usr/bin/perl -I "/tmp/$id/perlarch" -I "/tmp/$id/perllib" -e '
use strict; use warnings; use IPC::Open3; use IPC::Open2; use Symbol qw(gensym); use File::Temp qw(tempfile tempdir); use POSIX qw(:sys_wait_h mkfifo _exit);
use Socket; use IO::Socket::INET; use Storable qw(freeze thaw); use Data::Dumper; use File::Path qw(make_path remove_tree); use File::Copy qw(copy move);
use Fcntl qw(:DEFAULT :flock); use Time::Local; use Digest::MD5 qw(md5_hex); use IO::Select;
$Data::Dumper::Sortkeys = 1; $Data::Dumper::Indent = 1;
my $d0 = shift; system("rm", "-rf", $d0); mkdir $d0 or die; chdir $d0 or die;
my $pid = open3(my $in, my $out, my $err = gensym, "sh", "-c", "tr a-z A-Z; echo to-err >&2; exit 3");
print $in "open three\n"; close $in; my @o = <$out>; my @e = <$err>; waitpid($pid, 0); print "open3: @o", "err: @e", "status ", $? >> 8, "\n";
$pid = open2(my $r2, my $w2, "sort", "-r"); print $w2 "$_\n" for qw(b c a); close $w2; print "open2: ", join(",", map { chomp; $_ } <$r2>), "\n"; waitpid $pid, 0;
my $dir = tempdir(CLEANUP => 1, DIR => "."); my ($fh, $fn) = tempfile(DIR => $dir, SUFFIX => ".txt"); print $fh "x" x 100; close $fh;
printf "tempfile %d %s %o\n", -s $fn, ($fn =~ /\.txt$/ ? "suffix" : "no"), (stat $fn)[2] & 07777;
make_path("a/b/c", "a/d"); copy($fn, "a/b/c/f") or die; move("a/b/c/f", "a/d/g") or die; print "moved ", -e "a/d/g" ? 1 : 0, -e "a/b/c/f" ? 1 : 0, "\n"; remove_tree("a"); print "tree gone ", -e "a" ? 0 : 1, "\n";
mkfifo("ff", 0600) or die; if (my $k = fork) { open my $f, ">", "ff" or die; print $f "through fifo\n"; close $f; waitpid $k, 0 } else { open my $f, "<", "ff"; print scalar <$f>; _exit(0) }
print "sig: "; $SIG{USR1} = sub { print "usr1 " }; kill USR1 => $$; $SIG{ALRM} = sub { die "alarm\n" }; eval { alarm 1; select(undef, undef, undef, 5); alarm 0 }; print $@;
socketpair(my $s1, my $s2, AF_UNIX, SOCK_STREAM, PF_UNSPEC) or die; if (!fork) { close $s1; $s2->autoflush(1); while (<$s2>) { print $s2 "echo $_" } _exit(0) } close $s2; $s1->autoflush(1); print $s1 "ping\n"; print scalar <$s1>; close $s1; wait;
my $srv = IO::Socket::INET->new(Listen => 5, LocalAddr => "127.0.0.1", LocalPort => 0, Proto => "tcp", ReuseAddr => 1) or die "listen: $!"; my $port = $srv->sockport;
if (!fork) { for (1 .. 2) { my $c = $srv->accept or die; while (my $l = <$c>) { print $c "tcp: $l" } close $c } _exit(0) }
for my $m (qw(one two)) { my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp") or die "connect: $!"; print $c "$m\n"; shutdown($c, 1); print <$c>; close $c } wait;
my $sel = IO::Select->new; pipe(my $pr, my $pw); $sel->add($pr); print "select none ", scalar($sel->can_read(0.1)) // 0, "\n"; syswrite $pw, "z"; print "select one ", scalar($sel->can_read(1)), "\n";
my $big = { map { ("k$_" => { list => [1 .. ($_ % 7)], name => "n" x ($_ % 5), h => { a => $_ } }) } 1 .. 3000 };
my $d = Dumper($big); print "dumper ", length($d), " ", md5_hex($d), "\n";
my $fr = freeze($big); print "storable ", md5_hex(Dumper(thaw($fr))) eq md5_hex($d) ? "same" : "differs", "\n";
print "posix ", POSIX::strftime("%Y-%m-%d %H:%M:%S", gmtime(timegm(1, 2, 3, 4, 5, 2006))), " ", POSIX::floor(-1.5), " ", POSIX::fmod(10, 3), "\n";
print "sysopen ", sysopen(my $x, "new", O_WRONLY | O_CREAT | O_EXCL, 0640) ? "ok" : $!, " ", sysopen(my $y, "new", O_WRONLY | O_CREAT | O_EXCL) ? "again" : "$!", "\n";
open my $lk, ">", "lock" or die; flock($lk, LOCK_EX) or die; if (!fork) { open my $l2, ">>", "lock"; print "child flock ", flock($l2, LOCK_EX | LOCK_NB) ? "got" : "busy", "\n"; close STDOUT; _exit(0) } wait;
my @kids = map { my $n = $_; my $k = fork; if (!$k) { _exit($n) } $k } 1 .. 5; my %st; for (@kids) { waitpid(-1, 0); $st{$? >> 8}++ } print "reaped ", join(",", sort keys %st), "\n";
exit 7' "/tmp/$id/pl.@K@"
strays() { find "$R/dev" -mindepth 1 -maxdepth 1 -type f -delete; }
strays
finish
