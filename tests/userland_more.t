#!/bin/sh
# userland_more.t — differential, as tests/userland.t (helpers in
# tests/lib/userland.sh): more of Debian's i386 programs, each against
# the reference.  PHP, ImageMagick's convert, rsync (a sender and a
# receiver over a socketpair), the threaded compressors pigz, pbzip2
# and 7z, tcc and make building a multi-file C program in the sandbox,
# m4, bison and flex making a parser, vim's ex mode, groff, ed; and
# python3's own regression tests of the system calls (libpython3.11-
# testsuite) where the two agree.  Skipped, with the reason, when the
# root could not be built (no registry) or predates these packages.
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
. tests/lib/userland.sh
if [ ! -x "$R/usr/bin/php8.2" ] || [ ! -x "$R/usr/bin/rsync" ] || [ ! -d "$R/usr/lib/python3.11/test/libregrtest" ]; then
	echo "1..0 # SKIP not in $R (make i386root: the package list grew in session 16)"
	exit 0
fi
# Under qemu the reference is the root chrooted with qemu-i386-static
# registered for i386 programs (tests/tools/qemuref.sh), as in
# tests/userland_cc.t: whatever a program executes (bison its m4, rsync
# its receiver) and every file it opens by name (ImageMagick's coder
# modules) are the root's, as in the guest
if [ "$REF" = qemu ]; then
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
fi
# the chroot has no devices mounted: a file a program makes in its /dev
# (python's test_fileio opened /dev/tty to append, bison -o /dev/stdout)
# would be found through qemu -L by the other userland tests' references
strays() { find "$R/dev" -mindepth 1 -maxdepth 1 -type f -delete; }
strays
seq 1 60000 | sed 's/$/ lorem ipsum dolor sit amet/' >"$W/mid"
mkdir -p "$W/tree/a/b" "$W/tree/c"
for i in 1 2 3 4 5; do seq $i 7 20000 >"$W/tree/a/f$i"; echo "g $i" >"$W/tree/a/b/g$i"; done
echo c >"$W/tree/c/h"; ln -s ../c/h "$W/tree/a/lnk"; chmod 750 "$W/tree/c"

cat >"$W/t.php" <<'EOF'
<?php
$d = $argv[1]; @mkdir($d); chdir($d);
printf("%.6f %d %s\n", M_PI, PHP_INT_MAX, PHP_INT_SIZE);
$a = []; for ($i = 0; $i < 1000; $i++) $a["k$i"] = $i * $i; ksort($a, SORT_NATURAL);
echo count($a), " ", array_sum($a), " ", md5(json_encode(array_slice($a, 0, 5))), "\n";
echo json_encode(["x" => [1, 2.5, null, true], "s" => "é"]), "\n";
echo preg_replace_callback('/\d+/', fn($m) => $m[0] * 2, "a1 b22 c333"), " ", preg_match_all('/\b\w{5}\b/', "hello world there", $m), "\n";
file_put_contents("f", str_repeat("line\n", 100)); echo filesize("f"), " ", count(file("f")), " ", sha1_file("f"), "\n";
$h = fopen("f", "r+"); fseek($h, 10); fwrite($h, "XX"); fseek($h, 8); echo fread($h, 6), " ", ftell($h), "\n"; fclose($h);
echo gzdecode(gzencode(str_repeat("z", 10000))) === str_repeat("z", 10000) ? "gz ok" : "gz bad", " ", strlen(gzcompress(str_repeat("ab", 5000), 9)), "\n";
echo hash("sha256", "vx"), " ", bin2hex(pack("NnC", 1, 2, 3)), " ", base64_encode(random_bytes(0)), "\n";
echo date("Y-m-d H:i:s", 86400 * 400), " ", mktime(0, 0, 0, 2, 29, 2020), "\n";
$p = proc_open(["sh", "-c", "tr a-z A-Z; exit 3"], [0 => ["pipe", "r"], 1 => ["pipe", "w"]], $pp);
fwrite($pp[0], "proc open\n"); fclose($pp[0]); echo stream_get_contents($pp[1]); echo proc_close($p), "\n";
echo shell_exec("echo shell; echo err >&2"), exec("printf 'a\nb'", $out, $rc), " ", count($out), " $rc\n";
mkdir("s/t", 0750, true); touch("s/t/x"); echo implode(",", glob("s/*")), " ", decoct(fileperms("s") & 0777), "\n";
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(".", FilesystemIterator::SKIP_DOTS)); $n = []; foreach ($it as $f) $n[] = $f->getPathname(); sort($n); echo implode(" ", $n), "\n";
rename("f", "g"); var_dump(file_exists("f"), is_file("g"), @file_get_contents("/nonexistent"));
echo error_get_last()["message"] ?? "", "\n";
exit(4);
EOF

# the calls python3's own regression tests found missing or wrong:
# preadv/pwritev (and preadv2's flags), fallocate (posix_fallocate), a
# new file's mode under a umask looser than the host process's, and
# F_GETPIPE_SZ of a file that is no pipe
cat >"$W/sys.py" <<'EOF'
import os, sys, errno, select, shutil, fcntl
d = sys.argv[1]
shutil.rmtree(d, ignore_errors=True); os.mkdir(d); os.chdir(d)
def err(f, *a):
    try:
        return f(*a)
    except OSError as e:
        return errno.errorcode[e.errno]
fd = os.open("f", os.O_RDWR | os.O_CREAT, 0o644)
os.write(fd, b"0123456789abcdefghij")
b1, b2 = bytearray(3), bytearray(5)
print(os.preadv(fd, [b1, b2], 4), b1, b2, os.lseek(fd, 0, 1))
print(os.pwritev(fd, [b"XY", b"", b"Z"], 18), os.pread(fd, 30, 0), os.lseek(fd, 0, 1))
print(os.preadv(fd, [bytearray(4)], 100), err(os.preadv, fd, [b1], -2), err(os.preadv, 99, [b1], 0))
print(err(os.preadv, fd, [b1], 0, 0x80))
r, w = os.pipe()
print(err(os.preadv, r, [b1], 0), err(os.pwritev, w, [b"x"], 0))
os.posix_fallocate(fd, 0, 10); print(os.fstat(fd).st_size)
os.posix_fallocate(fd, 30, 70); print(os.fstat(fd).st_size, os.pread(fd, 5, 25))
print(err(os.posix_fallocate, fd, -1, 10), err(os.posix_fallocate, fd, 0, 0), err(os.posix_fallocate, r, 0, 10))
ro = os.open("f", os.O_RDONLY); print(err(os.posix_fallocate, ro, 0, 1000), os.fstat(fd).st_size)
print(err(os.posix_fallocate, os.open(".", os.O_RDONLY), 0, 10))
old = os.umask(0o002); os.mkdir("m", 0o777); os.makedirs("p/q", 0o555); fo = os.open("g", os.O_CREAT | os.O_WRONLY, 0o666); os.mkfifo("fifo", 0o666); os.umask(old)
print([oct(os.stat(x).st_mode & 0o777) for x in ("m", "p", "p/q", "g", "fifo")])
e = os.eventfd(0)
print(select.select([e], [e], [], 0)); os.eventfd_write(e, 3); print(select.select([e], [e], [], 0))
print(fcntl.fcntl(r, fcntl.F_GETPIPE_SZ), fcntl.fcntl(r, fcntl.F_SETPIPE_SZ, 1 << 16), err(fcntl.fcntl, fd, fcntl.F_GETPIPE_SZ))
EOF
check "python3: preadv, pwritev, posix_fallocate, modes under umask 002, eventfd select, F_GETPIPE_SZ" /dev/null /usr/bin/python3 "/tmp/$id/sys.py" "/tmp/$id/sys.@K@"

# a path ending in a slash (or "." or "..") names a directory: ENOTDIR
# for a file, EISDIR for a creating open, unlink("f/") removes nothing
cat >"$W/slash.py" <<'EOF'
import os, errno, sys, shutil
d = sys.argv[1]; shutil.rmtree(d, ignore_errors=True); os.mkdir(d); os.chdir(d)
open("f", "w").close(); os.mkdir("dd"); os.symlink("dd", "ld"); os.symlink("f", "lf")
def t(f, *a):
    try:
        r = f(*a)
        if f is os.open:
            os.close(r)
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
W = os.O_WRONLY | os.O_CREAT
for p, fl in (("new/", W), ("new/", W | os.O_EXCL), ("f/", os.O_RDONLY), ("f/", W), ("dd/", W), ("dd/", os.O_RDONLY),
              ("new2/", os.O_RDONLY), ("f/.", os.O_RDONLY), ("dd/.", os.O_RDONLY), ("ld/", os.O_RDONLY), ("lf/", os.O_RDONLY)):
    print(p, fl, t(os.open, p, fl, 0o644))
print(sorted(os.listdir(".")))
for f in (os.stat, os.lstat, os.mkdir, os.unlink, os.rmdir):
    print(f.__name__, [t(f, p) for p in ("f/", "lf/", "ld/", "m/", "dd/")])
print(sorted(os.listdir(".")), os.path.isdir("ld/"), os.path.exists("f/"))
try:
    shutil.copyfile("f", "nodir/")
except OSError as e:
    print(type(e).__name__)
EOF
check "python3: paths that end in a slash: open, O_CREAT, stat, lstat of a link/, mkdir, unlink, rmdir, shutil.copyfile" /dev/null /usr/bin/python3 "/tmp/$id/slash.py" "/tmp/$id/slash.@K@"

# a part of python3's regression suite: the names of the tests that
# failed or erred and the count run (no timings); a name after -x is a
# test left out, where the reference (qemu) or vxinferno is known to
# differ from Linux: /dev/tty, F_NOTIFY (dnotify), F_SETPIPE_SZ
cat >"$W/rt.py" <<'EOF'
import sys, unittest, os, io
import test.support
test.support.verbose = False
os.chdir(sys.argv[1])
names, out = sys.argv[2:sys.argv.index("-x")], set(sys.argv[sys.argv.index("-x") + 1:])
def tests(s):
    for t in s:
        if isinstance(t, unittest.TestSuite):
            yield from tests(t)
        elif t.id().split(".")[-1] not in out:
            yield t
suite = unittest.TestSuite(tests(unittest.defaultTestLoader.loadTestsFromNames(names)))
r = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
print("ran", r.testsRun)
for kind, l in (("FAIL", r.failures), ("ERROR", r.errors)):
    for t, tb in sorted(l, key=lambda x: x[0].id()):
        print(kind, t.id(), tb.strip().splitlines()[-1][:200])
EOF
mkdir -p "$W/rtn" "$W/rtg"
check "python3's regression tests: test_fileio test_glob test_tempfile test_shutil test_select test_poll test_fcntl" /dev/null /usr/bin/python3 "/tmp/$id/rt.py" "/tmp/$id/rt@K@" \
	test.test_fileio test.test_glob test.test_tempfile test.test_shutil test.test_select test.test_poll test.test_fcntl \
	-x testAbles test_fcntl_64_bit test_fcntl_f_pipesize

check "php: arrays, json, preg, files and seeks, zlib, hashes, dates, proc_open, shell_exec, exec, directory iterators" /dev/null /usr/bin/php8.2 -n "/tmp/$id/t.php" "/tmp/$id/php.@K@"

# ImageMagick (its OpenMP threads): a picture drawn and transformed,
# as PPM (no time stamps); JPEG of it; gray, threshold, morphology
IM=/usr/bin/convert-im6.q16
check "convert: gradient, blur, rotate, resize, draw, to PPM" /dev/null $IM -size 200x120 gradient:red-blue -blur 0x2 -rotate 30 -resize 50% -fill yellow -draw "circle 40,40 50,50" ppm:-
cp "$tmp/n.out" "$W/a.ppm"
check "convert: PPM to JPEG" "$W/a.ppm" $IM ppm:- -quality 80 jpg:-
cp "$tmp/n.out" "$W/a.jpg"
check "convert: gray, threshold, morphology, fx, signature" "$W/a.ppm" $IM ppm:- -colorspace Gray -threshold 50% -morphology Erode Square:1 -format "%k %[fx:mean] %#\n" info:
check "identify of the JPEG" /dev/null /usr/bin/identify-im6.q16 -format "%m %w %h %[colorspace] %Q %#\n" "/tmp/$id/a.jpg"

# rsync: its generator, sender and receiver are processes over pipes
# and a socketpair
rsynced() {
	for k in n g; do (cd "$W/rs.$k" && find . -printf "%P %y %m %s %l\n" | sort && cat a/f1) >"$tmp/rs.$k"; done
	same "$1" "$tmp/rs.n" "$tmp/rs.g"
}
check "rsync -a of a tree" /dev/null /usr/bin/rsync -a "/tmp/$id/tree/" "/tmp/$id/rs.@K@/"
rsynced "rsync -a copied the tree, modes and links"
for k in n g; do echo changed >>"$W/rs.$k/a/f1"; rm "$W/rs.$k/c/h"; mkdir "$W/rs.$k/extra"; done
check "rsync -c -n -i (a dry run by checksums)" /dev/null /usr/bin/rsync -a -c -n -i "/tmp/$id/tree/" "/tmp/$id/rs.@K@/"
SORTOUT=1 check "rsync -ai --delete" /dev/null /usr/bin/rsync -ai --delete "/tmp/$id/tree/" "/tmp/$id/rs.@K@/"
rsynced "rsync --delete brought the copy back"
check "rsync of a missing source fails the same way" /dev/null /usr/bin/rsync -a /nonexistent/ "/tmp/$id/rsx/"

# threaded compressors: the output is the same for any thread count
check "pigz -p 4 of 2 MB" "$W/mid" /usr/bin/pigz -p 4 -n -c
check "pbzip2 -p4 of 2 MB" "$W/mid" /usr/bin/pbzip2 -p4 -c
check "7zz a (LZMA2, 2 threads)" /dev/null /usr/bin/7zz a -bso0 -bsp0 -mmt2 -mx5 -mtm=off -mtc=off -mta=off "/tmp/$id/t.@K@.7z" "/tmp/$id/tree" "/tmp/$id/mid"
for k in n g; do sha256sum <"$W/t.$k.7z" >"$tmp/7z.$k"; done
same "7zz made the same archive" "$tmp/7z.n" "$tmp/7z.g"
check "7zz t" /dev/null /usr/bin/7zz t -bsp0 -ba "/tmp/$id/t.n.7z"
check "7zz l -slt" /dev/null /usr/bin/7zz l -ba -slt "/tmp/$id/t.n.7z"
check "7zz x -so" /dev/null /usr/bin/7zz x -so "/tmp/$id/t.n.7z" mid

# tcc: a compiler that writes its ELF itself, and tcc -run (code made
# in memory and run at once)
mkdir -p "$W/tp"
printf '%s\n' 'int sq(int x) { return x * x; }' 'long sum(int n) { long s = 0; for (int i = 1; i <= n; i++) s += sq(i); return s; }' >"$W/tp/q.c"
printf '%s\n' '#include <stdio.h>' '#include <stdlib.h>' '#include <string.h>' 'int sq(int); long sum(int);' \
	'static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }' \
	'int main(int argc, char **argv) { qsort(argv + 1, argc - 1, sizeof *argv, cmp); for (int i = 1; i < argc; i++) printf("%s ", argv[i]);' \
	'  printf("\n%ld %d %.3f\n", sum(1000), sq(-7), 1.0 / 3); return 3; }' >"$W/tp/m.c"
printf 'int main(void) { return x; }\n' >"$W/tp/bad.c"
check "tcc builds a program of two files" /dev/null /usr/bin/tcc -o "/tmp/$id/tp/p.@K@" "/tmp/$id/tp/q.c" "/tmp/$id/tp/m.c"
check "the program tcc made runs" /dev/null "/tmp/$id/tp/p.n" zeta alpha mid
check "tcc -run" /dev/null /usr/bin/tcc "/tmp/$id/tp/q.c" -run "/tmp/$id/tp/m.c" b a
check "tcc reports an error" /dev/null /usr/bin/tcc -c -o /dev/null "/tmp/$id/tp/bad.c"

# m4, then bison and flex (each runs m4) make a calculator's parser and
# scanner, tcc builds it, it computes
cat >"$W/calc.y" <<'EOF'
%{
#include <stdio.h>
int yylex(void); void yyerror(const char *s) { printf("error: %s\n", s); }
%}
%token NUM 258
%left '+' '-'
%left '*' '/'
%%
input: /* empty */ | input line ;
line: '\n' | expr '\n' { printf("%d\n", $1); } | error '\n' { yyerrok; } ;
expr: NUM | expr '+' expr { $$ = $1 + $3; } | expr '-' expr { $$ = $1 - $3; }
    | expr '*' expr { $$ = $1 * $3; } | expr '/' expr { $$ = $3 ? $1 / $3 : 0; } | '(' expr ')' { $$ = $2; } ;
%%
int main(void) { return yyparse(); }
EOF
cat >"$W/calc.l" <<'EOF'
%{
#define NUM 258
extern int yylval;
%}
%option noyywrap
%%
[0-9]+ { yylval = atoi(yytext); return NUM; }
[ \t] ;
.|\n { return yytext[0]; }
%%
EOF
cat >"$W/t.m4" <<'EOF'
define(`sq', `($1 * $1)')dnl
sq(7) + sq(2)
ifelse(1, 1, yes, no) len(abcdef) eval(2**10) substr(`hello', 1, 3) translit(`abc', `a-c', `A-C')
esyscmd(`echo from sh')dnl
sysval
EOF
check "m4: macros, eval, esyscmd" /dev/null /usr/bin/m4 "/tmp/$id/t.m4"
if command -v m4 >/dev/null; then
	check "bison (runs m4)" /dev/null /bin/sh -c 'cd "$1" && rm -f calc.c && bison -l -o calc.c calc.y && cat calc.c' sh "/tmp/$id"
	cp "$tmp/n.out" "$W/calc.c"
	check "flex -t (runs m4)" /dev/null /usr/bin/flex -L -t "/tmp/$id/calc.l"
	cp "$tmp/n.out" "$W/lex.c"
	check "tcc builds the calculator" /dev/null /usr/bin/tcc -o "/tmp/$id/calc.@K@" "/tmp/$id/calc.c" "/tmp/$id/lex.c"
	printf '1 + 2 * 3\n(1 + 2) * 3\n7 / 0\n4 +\n100 - 1\n' >"$W/calc.in"
	check "the calculator computes" "$W/calc.in" "/tmp/$id/calc.n"
else
	for t in bison flex tcc-calc calc; do skip "$t" "no m4 on the host, which the reference's bison and flex run (mk/prereq.sh)"; done
fi

# editors and formatters on files: the files they leave are compared too
edited() {
	same "$1" "$W/$2.n" "$W/$2.g"
}
for k in n g; do seq 1 30 | sed 's/^/row /' >"$W/v.$k"; seq 1 10 >"$W/e.$k"; done
check "vim.tiny -es: substitute, global, sort, normal mode, join, write" /dev/null /usr/bin/vim.tiny -u NONE -i NONE -N -es \
	-c '%s/row \(\d*5\)$/five \1/' -c 'g/row 1/d' -c 'sort! n' -c 'normal Gdd' -c '2,4j' -c wq "/tmp/$id/v.@K@"
edited "the file vim wrote" v
printf '%s\n' 2,4d /7/s/7/seven/ 0a top . "\$r /tmp/$id/tp/q.c" w q >"$W/ed.in"
check "ed -s: a script of edits" "$W/ed.in" /bin/ed -s "/tmp/$id/e.@K@"
edited "the file ed wrote" e
printf '.TH VX 1\n.SH NAME\nvx \\- a sandbox\n.SH SYNOPSIS\n.B vx\n[\\fIoptions\\fR]\n.SH DESCRIPTION\nRuns \\fBi386\\fR programs, long lines of text filled and adjusted by troff across the page width.\n.TP\n.B \\-t\nTrace.\n' >"$W/vx.1"
check "troff -man" "$W/vx.1" /usr/bin/troff -Tutf8 -man
cp "$tmp/n.out" "$W/vx.z"
check "grotty" "$W/vx.z" /usr/bin/grotty -c
strays
finish
