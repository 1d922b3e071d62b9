# lib.sh — shared by tests/sysfuzz.t and tests/sysfuzz/long.sh: build the
# fuzzer guest, make a fresh guest root, run one seed and judge how the
# host ended.  Sourced from the repository root.

# buildfuzz OUT: compile tests/sysfuzz/fuzz.c as a static i386 guest
buildfuzz() {
	gcc -m32 -static -O1 -Wall -Wextra -Werror -o "$1" tests/sysfuzz/fuzz.c
}

# freshroot DIR FUZZBIN: a small guest root (a few files and directories,
# the fuzzer as /bin/fuzz), made anew for every run so that a seed always
# meets the same tree (the guest removes and renames things)
freshroot() {
	rm -rf "$1"
	mkdir -p "$1/bin" "$1/tmp" "$1/dir/sub" "$1/a"
	cp "$2" "$1/bin/fuzz"
	echo hello >"$1/file"
	echo x >"$1/dir/f"
	seq 1 2000 >"$1/a/big"
}

# verdict FILE SECS cmd...: run cmd with a time limit and write how it
# ended to FILE: "exit N" — it exited, N may be a guest's 128+signal;
# "signal N" — the host process itself was killed (a host crash, which
# the shell would also show as 128+N); "stuck N" — still running at the
# limit, but it ended (status N) within 5 s of a SIGTERM, which vxinferno
# passes to its guests: a guest waited forever and the host was still in
# control; "timeout" — not even that: the host hung.
verdict() {
	perl -e '
		my ($f, $t) = (shift, shift);
		my $pid = fork;
		defined $pid or die "fork: $!";
		if($pid == 0){ exec @ARGV; exit 127 }
		my ($v, $late) = (undef, 0);
		local $SIG{ALRM} = sub {
			if(!$late){ $late = 1; kill "TERM", $pid; alarm 5; return }
			kill 9, $pid; $v = "timeout";
		};
		alarm $t;
		while(waitpid($pid, 0) != $pid){}
		my $st = $?;
		alarm 0;
		$v //= ($st & 127) ? "signal " . ($st & 127) : ($late ? "stuck " : "exit ") . ($st >> 8);
		open(my $o, ">", $f) or die "$f: $!";
		print $o "$v\n";
		close $o;' "$@"
}

# fuzzrun VX ROOT WORK SEED NCALLS: one run of the fuzzer WORK/fuzz under
# VX with a fresh root ROOT (and the fuzzer's options $FUZZOPT); the
# verdict is in WORK/verdict, the output in WORK/out.  Stdin is /dev/null
# so a console read ends at once.
fuzzrun() {
	freshroot "$2" "$3/fuzz"
	(ulimit -c 0; verdict "$3/verdict" 30 "$1" -r "$2" fuzz $FUZZOPT "$4" "$5" </dev/null >"$3/out" 2>&1)
}

# hostok TMP: the host survived the run: it exited by itself (any status:
# guests may die of signals or exit with garbage) — or, with STUCKOK set,
# when asked to — printed no sanitizer report, and the guest saw no fd
# but 0-2 at start
hostok() {
	{ grep -q '^exit ' "$1/verdict" || { [ -n "$STUCKOK" ] && grep -q '^stuck ' "$1/verdict"; }; } &&
	! grep -aq -e 'Sanitizer' -e 'runtime error:' "$1/out" &&
	! grep -aqE '^fuzz: fd [0-9]+ open at start' "$1/out"	# a line of its own: a guest may write its own format strings out
}
