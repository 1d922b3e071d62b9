#!/bin/sh
# userland_runtimes.t — differential, as tests/userland.t (whose
# helpers are tests/lib/userland.sh): Debian i386 programs that stress
# other parts of the system.  Code written at run time (PCRE2's JIT in
# grep -P and pcre2test, LuaJIT's traces, V8 in node with its
# worker threads); threaded and signal-heavy runtimes (Go's gojq:
# goroutines, SIGURG preemption on sigaltstack, futexes; Rust's
# ripgrep thread pool; python3's
# concurrent.futures, multiprocessing's Manager over an AF_UNIX socket
# file, shared_memory in /dev/shm, ctypes callbacks through libffi's
# trampolines; sort --parallel; ruby's threads over a POSIX timer,
# fibers, Timeout, fork and a socketpair); and more of what users run (gpg's
# import and verify, curl through the guest's /net to a server on the
# host, git clone and gc, perl's XS modules and threads).  Skipped, with
# the reason, when the root could not be built (no registry).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
. tests/lib/userland.sh
if [ ! -x "$R/usr/bin/node" ] || [ ! -x "$R/usr/bin/gojq" ] || [ ! -x "$R/usr/bin/curl" ]; then
	echo "1..0 # SKIP not in $R (make i386root: the package list grew in session 11)"
	exit 0
fi
seq 1 50000 | sed 's/$/ lorem ipsum 1999 dolor sit amet/' >"$W/mid"
mkdir -p "$W/tree/a/b" "$W/tree/c"
for i in 1 2 3 4 5 6 7 8; do seq $i 3 3000 | sed "s/^/f$i line /" >"$W/tree/a/f$i"; echo "needle $i" >"$W/tree/a/b/g$i"; done
echo "needle c" >"$W/tree/c/h"

# --- code made at run time ---------------------------------------------
check "grep -P (PCRE2 JIT): lookarounds, backreferences, \\K, counts over 50,000 lines" /dev/null /bin/bash -c '
grep -P -c "(\d)\1" "$1"; grep -P -o "\b\d{3}(?=7 lorem)" "$1" | sort | uniq -c | sort -rn | head -3
grep -P -o "line \K\d+(?= lorem ipsum 1999)" "$1" | tail -2; grep -P -n "^(?:(\d)(?!\1))+7 " "$1" | tail -1; echo x | grep -P "(" ; echo bad $?' bash "/tmp/$id/mid"
cat >"$W/t.pcre" <<'EOF'
/(?<year>\d{4})-(?<m>\d\d)/jit,mark
    2024-05 and 1999-12
/^(a+)+$/jit
    aaaaaaaaaaaaaaaaaaaaaaaaab
/(*MARK:A)x|(*MARK:B)y/jit,mark
    y
/\bfoo(?=bar)|\p{Lu}{2,}/jit,utf
    foobar ABC
EOF
check "pcre2test -jit: named groups, marks, catastrophic backtracking, Unicode" /dev/null /usr/bin/pcre2test -q "/tmp/$id/t.pcre"
cat >"$W/t.lua" <<'EOF'
local s = 0
for i = 1, 3000000 do s = s + bit.band(i, 7) end	-- a hot loop: traced and compiled
local t = 0
for i = 0, 99999 do t = t + (i * i - i) % 1000 + math.floor(i / 3) end
print(s, t, string.format("%d-%s-%.2f", 42, "lj", 2.5))
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
print(co(), co(), co(), string.format("%q", 1 / 3), jit.version)
local f = assert(io.open(arg[1], "w")); for i = 1, 1000 do f:write(i, "\n") end; f:close()
local n = 0; for l in io.lines(arg[1]) do n = n + tonumber(l) end; os.remove(arg[1]); print(n)
os.exit(3)
EOF
check "luajit: compiled traces, coroutines, files" /dev/null /usr/bin/luajit "/tmp/$id/t.lua" "/tmp/$id/lj.@K@"
guestrun /usr/bin/luajit -e 'print(jit.status())' </dev/null >"$tmp/jit" 2>&1
grep -q '^true' "$tmp/jit"
okrc $? "luajit's JIT is on in the sandbox (it writes machine code and runs it)"
cat >"$W/t.js" <<'EOF'
const { Worker } = require("worker_threads"), zlib = require("zlib"), crypto = require("crypto");
const fs = require("fs");
let s = 0; for (let i = 0; i < 1e6; i++) s += (i * 7) % 13;	// optimized by TurboFan
const f = new Function("a", "b", "return a * b + " + s % 97); let g = 0; for (let i = 0; i < 1e5; i++) g = f(g % 1000, 3);
console.log(s, g, crypto.createHash("sha256").update("x".repeat(1e5)).digest("hex").slice(0, 16),
	zlib.gunzipSync(zlib.gzipSync(Buffer.alloc(1e5, 7))).length, JSON.stringify({ a: [1, { b: 2 }] }));
const d = process.argv[2]; fs.rmSync(d, { recursive: true, force: true }); fs.mkdirSync(d + "/x", { recursive: true });
fs.writeFileSync(d + "/x/f", "data\n".repeat(1000)); console.log(fs.statSync(d + "/x/f").size, fs.readdirSync(d));
const workers = [1, 2, 3].map(n => new Promise(res => new Worker(
	"const { parentPort, workerData } = require('worker_threads'); let t = 0; for (let i = 0; i < 2e5 * workerData; i++) t += i % 3; parentPort.postMessage(t)",
	{ eval: true, workerData: n }).on("message", res)));
Promise.all(workers).then(v => { console.log("workers", v); setTimeout(() => { console.log("timer"); fs.rmSync(d, { recursive: true }); process.exitCode = 5 }, 20) });
EOF
check "node (V8's JIT): optimized loops, new Function, crypto, zlib, fs, worker_threads, timers" /dev/null /usr/bin/node "/tmp/$id/t.js" "/tmp/$id/node.@K@"

# --- threads and signals -----------------------------------------------
# Go's runtime crashes under qemu 7.2: the reference is Debian's jq
# (the same language, another implementation: the host's, run by sh)
check "gojq (Go: goroutines, GC workers, SIGURG preemption on sigaltstack) prints what jq does" /dev/null /bin/sh -c '
	f="[range(400000)] | map(. * 3 % 1001) | add, (map(tostring) | join(\"\") | length),
	({\"a\": [range(5)]} | tojson | fromjson | .a | reverse), (\"2015-03-05T23:51:47Z\" | fromdate), (try error(\"e\") catch .)"
	if [ "$1" = g ]; then exec /usr/bin/gojq -n -c "$f"; else exec jq -n -c "$f"; fi' sh @K@
SORTOUT=1 check "ripgrep (Rust: a thread pool walking a tree): rg --threads 4 -n" /dev/null /usr/bin/rg --threads 4 -n needle "/tmp/$id/tree"
SORTOUT=1 check "rg -c with a regex over the tree" /dev/null /usr/bin/rg --threads 4 -c "line 1\d\d\b" "/tmp/$id/tree"
SORTOUT=1 check "rg --files" /dev/null /usr/bin/rg --files "/tmp/$id/tree"
SORTOUT=1 check "rg -P (PCRE2 JIT from Rust) -o" /dev/null /usr/bin/rg -P -o "f\d(?= line 299\d$)" "/tmp/$id/tree"
check "sort --parallel=4 -S 1M (threads, temporary files)" "$W/mid" /usr/bin/sort --parallel=4 -S 1M -T "/tmp/$id" -k1,1nr
check "python3: concurrent.futures threads and processes, multiprocessing Pool, Queue, Manager, shared_memory, ctypes callbacks" /dev/null /usr/bin/python3 -c '
import hashlib, ctypes, os, sys, multiprocessing as mp
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor, as_completed
from multiprocessing import shared_memory
# under qemu what python runs (the resource tracker) is the host python
os.environ.pop("PYTHONHOME", None)
def h(i):
    return hashlib.sha256(str(i).encode()).hexdigest()[:8]
def child(name, q):
    s = shared_memory.SharedMemory(name=name); q.put(bytes(s.buf[:3])); s.buf[0] = 65; s.close()
if __name__ == "__main__":
    with ThreadPoolExecutor(4) as ex:
        print(list(ex.map(h, range(6))), sorted(f.result() for f in as_completed([ex.submit(h, 9), ex.submit(h, 10)])))
    with ProcessPoolExecutor(3) as ex:
        print(list(ex.map(h, range(6))))
    with mp.Pool(3) as pool:
        print(pool.map(h, range(4)), pool.apply_async(pow, (2, 10)).get(5))
    sm = shared_memory.SharedMemory(create=True, size=4096); sm.buf[:3] = b"abc"
    q = mp.Queue(); p = mp.Process(target=child, args=(sm.name, q)); p.start(); print(q.get()); p.join()
    print(bytes(sm.buf[:3]), p.exitcode, os.path.exists("/dev/shm/" + sm.name)); sm.close(); sm.unlink()
    with mp.Manager() as m:
        d = m.dict(); l = m.list([1, 2]); d["k"] = sum(l); lk = m.Lock()
        with lk:
            print(dict(d), list(l))
    libc = ctypes.CDLL("libc.so.6")
    CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
    a = (ctypes.c_int * 8)(5, 3, 9, 1, 7, 2, 8, 6)
    libc.qsort(a, 8, 4, CMP(lambda x, y: x[0] - y[0])); print(list(a))
    sys.exit(2)
'
# perl from the root's own library (userland.t says why the links)
ln -s ../../usr/lib/i386-linux-gnu/perl/5.36.0 "$W/perlarch" && ln -s ../../usr/share/perl/5.36.0 "$W/perllib"
check "perl: threads and Thread::Queue, Digest::SHA, Storable, POSIX, List::Util, Time::HiRes" /dev/null /usr/bin/perl -I "/tmp/$id/perlarch" -I "/tmp/$id/perllib" -e '
use threads; use threads::shared; use Thread::Queue; use Digest::SHA qw(sha256_hex hmac_sha1_hex); use Storable qw(freeze thaw dclone nstore retrieve);
use POSIX qw(floor strtol setlocale LC_ALL); use List::Util qw(sum max shuffle reduce); use Time::HiRes qw(sleep time);
my $q = Thread::Queue->new; my $total :shared = 0;
my @t = map { my $n = $_; threads->create(sub { my $s = 0; $s += $_ % ($n + 1) for 1 .. 100000; { lock($total); $total += $s } $q->enqueue($n); $s }) } 1 .. 4;
my @r = map { $_->join } @t; $q->end; my @got = sort { $a <=> $b } map { $q->dequeue } 1 .. 4; print "@r $total @got\n";
print sha256_hex("vx" x 1000), " ", hmac_sha1_hex("data", "key"), "\n";
my $d = { a => [1, 2, { b => "c" }], n => 3.5 }; my $c = thaw(freeze($d)); print $c->{a}[2]{b}, " ", dclone($d)->{n}, "\n";
nstore($d, "$ARGV[0]"); print retrieve("$ARGV[0]")->{a}[1], "\n"; unlink $ARGV[0];
print floor(-2.5), " ", (strtol("ff", 16))[0], " ", sum(1 .. 100), " ", max(3, 9, 2), " ", reduce { $a * $b } 1 .. 10; print "\n";
my $t0 = time; sleep 0.05; print time - $t0 >= 0.04 ? "slept\n" : "short\n"; exit 9' "/tmp/$id/st.@K@"

# --- more of what users run ----------------------------------------------
# gpg: a key made and a file signed by the host's gpg; the guest's gpg
# imports the key and verifies (no agent: none is needed, none started)
if command -v gpg >/dev/null; then
	mkdir -m 700 "$tmp/gh"
	GNUPGHOME=$tmp/gh gpg -q --batch --passphrase '' --quick-gen-key "Vx Test <vx@test>" ed25519 sign 2>/dev/null &&
		seq 1 5000 >"$W/signed" && GNUPGHOME=$tmp/gh gpg -q --batch --armor --export >"$W/pub.asc" &&
		GNUPGHOME=$tmp/gh gpg -q --batch --detach-sign -o "$W/signed.sig" "$W/signed"
	GNUPGHOME=$tmp/gh gpgconf --kill gpg-agent 2>/dev/null
	echo tampered >>"$W/signed.bad"; cat "$W/signed" >>"$W/signed.bad"
	check "gpg: import a public key, verify a good and a bad detached signature, list packets, list keys" /dev/null /bin/bash -c '
		H=$1 D=$2; g() { TZ=UTC gpg --no-autostart --homedir "$H" --batch "$@"; }; rm -rf "$H"; mkdir -m 700 "$H" || exit 1
		g --import "$D/pub.asc" 2>&1 | sed "s|$H|HOME|"; g --verify "$D/signed.sig" "$D/signed" 2>&1; echo good $?
		g --verify "$D/signed.sig" "$D/signed.bad" 2>&1 | grep BAD; g --list-packets "$D/signed.sig"
		g --with-colons --list-keys | cut -d: -f1-5,10 | grep -v ^tru' bash "/tmp/$id/g@K@" "/tmp/$id"
else
	skip "gpg: import and verify" "no gpg on the host to make the key"
fi
# curl in the guest (with the host's network, -N) and under the
# reference, against python3's http.server on the host
if command -v python3 >/dev/null; then
	# the server takes a free port of its own (0) and says which: a
	# fixed one may be another test's under prove -j, and the
	# reference and the guest must both find it serving
	(cd "$W/tree" && exec python3 -u -m http.server 0 --bind 127.0.0.1) >"$tmp/http.out" 2>&1 &
	hpid=$!
	port=""
	for i in $(seq 1 300); do
		port=$(sed -n 's/^Serving HTTP on [0-9.]* port \([0-9]*\).*/\1/p' "$tmp/http.out")
		[ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
		sleep 0.1
	done
	guestrun() { timeout 120 $VX $GUESTOPTS -N -r "$R" "$@"; }
	if [ -z "$port" ]; then
		okrc 1 "curl through the guest's /net: the host's http.server did not start in 30 s"
		sed 's/^/# /' "$tmp/http.out"
	# (curl's refusal says how many ms it took: 0 or 1, either side)
	else check "curl through the guest's /net: GET, -o, -w, a 404, -f, a HEAD, a refused connection" /dev/null /bin/bash -c '
		u=http://127.0.0.1:$1; curl -sS "$u/a/f3" | sha256sum; curl -sS -o "$2" -w "%{http_code} %{size_download} %{content_type}\n" "$u/a/b/g1"; cat "$2"; rm -f "$2"
		curl -sS -w "%{http_code}\n" -o /dev/null "$u/nothing"; curl -sSf "$u/nothing" 2>&1; echo f $?
		curl -sSI "$u/c/h" | grep -i -e "^HTTP" -e "^content-length" | tr -d "\r"
		r=$(curl -sS "http://127.0.0.1:1/" 2>&1); s=$?; echo "$r" | sed "s/ after [0-9]* ms//"; echo refused $s' bash $port "/tmp/$id/curl.@K@"
	fi
	guestrun() { timeout 120 $VX $GUESTOPTS -r "$R" "$@"; }
	kill $hpid 2>/dev/null
	wait $hpid 2>/dev/null
else
	skip "curl through the guest's /net" "no python3 on the host for the server"
fi
check "git: clone a local repository (fetch-pack, index-pack), commit, gc (repack, pack-refs), fsck" /dev/null /bin/bash -c '
export HOME="$1" GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@b GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@b GIT_PAGER=cat
g() { /usr/bin/git -c gc.auto=0 -c maintenance.auto=false -c init.defaultBranch=main "$@"; }
rm -rf "$1"; mkdir -p "$1" && cd "$1" && g init -q src && cd src || exit 1
for i in 1 2 3 4 5; do seq $i 500 >f$i; g add f$i; g commit -q -m "c$i"; done; g tag v1; cd ..
g clone -q --no-hardlinks src dst && cd dst && g log --format="%H %s" | head -3 && g rev-parse v1 &&
echo more >>f1 && g commit -q -a -m more && g gc -q && g count-objects -v | grep -v -e size -e prune && ls .git/objects/pack | wc -l &&
cat .git/packed-refs | grep -v "^#" && g fsck --no-progress 2>&1 && g -C ../src fetch -q ../dst main:fromdst && g -C ../src log -1 --format=%s fromdst' bash "/tmp/$id/git.@K@"
# --- ruby ----------------------------------------------------------------
# Its threads (a POSIX timer for their time slices: timer_create with
# SIGEV_THREAD_ID), Queue, ConditionVariable, fibers, Timeout, fork,
# pipes, a UNIX socketpair, IO.select, regexps and bignums.  Under qemu
# the reference is chrooted into the root under qemu-i386-static (ruby
# resolves its library paths with realpath, which qemu -L does not
# redirect); its fork comes before any thread, as qemu's fork of a
# process that has run threads breaks its mutexes.
cat >"$W/t.rb" <<'EOF'
require "socket"
require "timeout"
r, w = IO.pipe
pid = Process.fork { r.close; w.puts "child #{Process.pid != 0}"; w.close; exit!(7) }
w.close; p r.read; _, st = Process.wait2(pid); p st.exitstatus
q = Queue.new
workers = 4.times.map { |w| Thread.new { s = 0; 20000.times { |i| s += (i * w) % 7 }; q << [w, s] } }
workers.each(&:join)
p 4.times.map { q.pop }.sort
m = Mutex.new; cv = ConditionVariable.new; ready = false
t = Thread.new { m.synchronize { cv.wait(m) until ready; :woken } }
sleep 0.05; m.synchronize { ready = true; cv.signal }; p t.value
fib = Fiber.new { a, b = 0, 1; loop { Fiber.yield a; a, b = b, a + b } }
p 12.times.map { fib.resume }
e = Enumerator.new { |y| 3.times { |i| y << i * i } }; p e.to_a, e.next
p Timeout.timeout(2) { :fast }
begin
  Timeout.timeout(0.2) { sleep 10 }
rescue Timeout::Error => x
  p x.class
end
begin
  Timeout.timeout(0.2) { loop { } }
rescue Timeout::Error => x
  p [:busy, x.class]
end
a, b = UNIXSocket.pair
th = Thread.new { while (l = b.gets); b.puts l.upcase; end; b.close }
%w[alpha beta gamma].each { |s| a.puts s; p a.gets.chomp }
a.close_write; th.join; p a.read
rd, wr = IO.pipe; Thread.new { sleep 0.1; wr.write "late" ; wr.close }; p IO.select([rd], nil, nil, 5).nil?, rd.read
text = (1..3000).map { |i| "item#{i} value=#{i * 37 % 1000} tag:#{%w[x yy zzz][i % 3]}" }.join("\n")
p text.gsub(/value=(\d+)/) { "v=#{$1.to_i * 2}" }.scan(/v=(\d+)/).flatten.map(&:to_i).sum
p text.lines.grep(/tag:zzz$/).size, text =~ /item2999 (\w+)=/, $1
p (2**4000 + 3**2000).to_s.size, (1..400).reduce(:*).to_s[0, 30], 12345678901234567891.pow(77, 10**40 + 7)
p [3, 1, 2].sort.to_h { |x| [x, x.to_s * x] }, "%05.2f|%-6s|%x" % [3.14159, "ab", 255]
Signal.trap("USR1") { puts "usr1" }; Process.kill("USR1", Process.pid); sleep 0.1
exit 3
EOF
rubyref=yes
if [ "$REF" = qemu ]; then
	QS=$(command -v qemu-i386-static)
	if [ -n "$QS" ] && env -i QEMUREF_QEMU=$QS unshare -Urm tests/tools/qemuref.sh $CHROOT "$R" /bin/true 2>/dev/null; then
		rootrun() { env --default-signal -i $GUESTENV QEMUREF_QEMU=$QS unshare -Urm tests/tools/qemuref.sh $CHROOT "$R" "$@"; }
	else
		rubyref="no chrooted qemu-i386-static reference (apt-get install qemu-user-static; binfmt_misc in a user namespace)"
	fi
fi
if [ "$rubyref" = yes ]; then
	check "ruby: threads, Queue, ConditionVariable, fibers, Timeout, fork and wait, pipes, a UNIX socketpair, IO.select, regexps, bignums, a signal" /dev/null /usr/bin/ruby "/tmp/$id/t.rb"
else
	skip "ruby against the reference" "$rubyref"
fi
guestrun /usr/bin/ruby -e 'p Thread.new { 6 * 7 }.value' </dev/null >"$tmp/rb" 2>&1
if [ "$(cat "$tmp/rb")" = 42 ]; then
	okrc 0 "ruby starts its threads without a warning (timer_create is served)"
else
	okrc 1 "ruby starts its threads without a warning (timer_create is served)"
	sed 's/^/# /' "$tmp/rb" | head -3 >&2
fi
finish
